/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-window.h"

G_BEGIN_DECLS

/* msync: MS_SYNC or MS_ASYNC, MS_INVALIDATE, whole mapping or selection;
 * drives win.msync and shows the result, time and dirty pages before/after. */
GtkWindow *ps_msync_dialog_new (PsWindow *window);

G_END_DECLS
