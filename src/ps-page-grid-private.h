/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Test hooks of PsPageGrid: not for the app. */

#include "ps-page-grid.h"

G_BEGIN_DECLS

/* How many times the widget has been snapshot (drawn) so far. */
guint    ps_page_grid_get_snapshot_count (PsPageGrid *self);
/* Tile textures made so far: what was uploaded. */
guint64  ps_page_grid_get_upload_count   (PsPageGrid *self);

G_END_DECLS
