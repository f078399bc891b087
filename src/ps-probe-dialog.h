/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-session.h"

G_BEGIN_DECLS

/* Probe past end-of-file: an offset (or a page clicked past EOF), read or
 * write (a write says so before it runs), the outcome with its explanation
 * and the geometry drawn (file size, EOF rounded up to a page, end of the
 * mapping, the probe); a sweep of every page past EOF, with its progress,
 * that can be cancelled. All through the session. */
GtkWindow *ps_probe_dialog_new (GtkWindow *parent,
                                PsSession *session,
                                guint64    offset);

G_END_DECLS
