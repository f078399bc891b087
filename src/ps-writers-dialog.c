/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STUB: to be replaced by the real dialog. */
#include "config.h"
#include "ps-writers-dialog.h"
GtkWindow *ps_writers_dialog_new (PsWindow *window) { return GTK_WINDOW (adw_window_new ()); }
