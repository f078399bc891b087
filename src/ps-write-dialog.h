/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-window.h"

G_BEGIN_DECLS

/* Write bytes: offset (hex or decimal), data (hex in any spelling or a quoted
 * C string), repeat count or "fill the selection"; drives win.write-bytes. */
GtkWindow *ps_write_dialog_new (PsWindow *window);

G_END_DECLS
