/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-page-grid.h"

G_BEGIN_DECLS

/* A strip beside the page grid: the whole mapping in one column, a row a
 * run of pages, in the grid's colours, with the part the grid shows
 * outlined; a click or a drag scrolls the grid there. It shows itself only
 * while the grid does not show the whole mapping. */
#define PS_TYPE_GRID_OVERVIEW (ps_grid_overview_get_type ())
G_DECLARE_FINAL_TYPE (PsGridOverview, ps_grid_overview, PS, GRID_OVERVIEW, GtkWidget)

GtkWidget  *ps_grid_overview_new       (void);
/* The grid it follows: its frame, mode, highlights and scroll position. */
void        ps_grid_overview_set_grid  (PsGridOverview *self,
                                        PsPageGrid     *grid);
PsPageGrid *ps_grid_overview_get_grid  (PsGridOverview *self);
/* Pages a row of the strip shows now (any whole number) (0 before it has a frame and a size). */
guint64     ps_grid_overview_get_run   (PsGridOverview *self);
/* The row of the strip (widget coordinates, its top) that shows a page. */
gboolean    ps_grid_overview_get_page_y (PsGridOverview *self,
                                         guint64         page,
                                         double         *y,
                                         double         *height);

G_END_DECLS
