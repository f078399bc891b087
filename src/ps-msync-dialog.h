/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-session.h"

G_BEGIN_DECLS

/* msync: MS_SYNC or MS_ASYNC, MS_INVALIDATE, whole mapping or selection;
 * runs it through the session and shows the result, time and dirty pages
 * before/after (also of an msync that scripting ran). */
GtkWindow *ps_msync_dialog_new (GtkWindow *parent,
                                PsSession *session);

G_END_DECLS
