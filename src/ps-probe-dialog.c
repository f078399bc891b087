/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STUB: to be replaced by the real dialog. */
#include "config.h"
#include "ps-probe-dialog.h"
GtkWindow *ps_probe_dialog_new (PsWindow *window, guint64 offset) { return GTK_WINDOW (adw_window_new ()); }
