/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-session.h"

G_BEGIN_DECLS

/* Writer children: spawn (count, pattern, rate, range, count of writes),
 * list (pid, pattern, rate, writes done, state/exit status), stop one or all,
 * through the session. */
GtkWindow *ps_writers_dialog_new (GtkWindow *parent,
                                  PsSession *session);

G_END_DECLS
