/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-session.h"

G_BEGIN_DECLS

/* Write bytes: offset (hex or decimal), data (hex in any spelling or a quoted
 * C string), repeat count or "fill the selection"; writes through the
 * session, whose undo puts the bytes back. */
GtkWindow *ps_write_dialog_new (GtkWindow *parent,
                                PsSession *session);

G_END_DECLS
