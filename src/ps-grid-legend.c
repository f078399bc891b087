/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STUB: to be replaced by the real PsGridLegend. */
#include "config.h"
#include "ps-grid-legend.h"

struct _PsGridLegend { GtkWidget parent_instance; };
G_DEFINE_FINAL_TYPE (PsGridLegend, ps_grid_legend, GTK_TYPE_WIDGET)
static void ps_grid_legend_class_init (PsGridLegendClass *klass) { }
static void ps_grid_legend_init (PsGridLegend *self) { }
GtkWidget *ps_grid_legend_new (void) { return g_object_new (PS_TYPE_GRID_LEGEND, NULL); }
void ps_grid_legend_set_mode (PsGridLegend *self, PsGridMode mode) { }
