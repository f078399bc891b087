/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-page-grid.h"

G_BEGIN_DECLS

#define PS_TYPE_GRID_LEGEND (ps_grid_legend_get_type ())
G_DECLARE_FINAL_TYPE (PsGridLegend, ps_grid_legend, PS, GRID_LEGEND, GtkWidget)

/* A row of swatches with labels saying what the grid's colours mean in a mode. */
GtkWidget *ps_grid_legend_new      (void);
void       ps_grid_legend_set_mode (PsGridLegend *self,
                                    PsGridMode    mode);
/* The fade time the activity legend names (the grid's "fade-time"). */
void       ps_grid_legend_set_fade_time (PsGridLegend *self,
                                         guint         fade_ms);
/* The probe's marks on the grid (a mark a page, as ps_page_grid_set_marks
 * takes them): each outcome among them gets an entry. */
void       ps_grid_legend_set_marks (PsGridLegend *self,
                                     const guint8 *marks,
                                     gsize         n_marks);

G_END_DECLS
