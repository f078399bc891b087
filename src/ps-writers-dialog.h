/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-window.h"

G_BEGIN_DECLS

/* Writer children: spawn (count, pattern, rate, range, count of writes),
 * list (pid, pattern, rate, writes done, state/exit status), stop one or all.
 * Drives win.spawn-writers and win.stop-writers. */
GtkWindow *ps_writers_dialog_new (PsWindow *window);

G_END_DECLS
