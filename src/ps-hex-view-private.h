/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Test hooks of PsHexView: not for the app. */

#include "ps-hex-view.h"

G_BEGIN_DECLS

/* How many times the widget has been snapshot (drawn) so far. */
guint ps_hex_view_get_snapshot_count (PsHexView *self);

G_END_DECLS
