/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STUB: to be replaced by the real dialog. */
#include "config.h"
#include "ps-write-dialog.h"
GtkWindow *ps_write_dialog_new (PsWindow *window) { return GTK_WINDOW (adw_window_new ()); }
