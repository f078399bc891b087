/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STUB: to be replaced by the real PsPageGrid. */
#include "config.h"
#include "ps-page-grid.h"

struct _PsPageGrid { GtkWidget parent_instance; PsGridMode mode; guint cell; };
G_DEFINE_FINAL_TYPE (PsPageGrid, ps_page_grid, GTK_TYPE_WIDGET)
static void ps_page_grid_class_init (PsPageGridClass *klass)
{
  g_signal_new ("page-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
}
static void ps_page_grid_init (PsPageGrid *self) { self->cell = 8; }
GtkWidget *ps_page_grid_new (void) { return g_object_new (PS_TYPE_PAGE_GRID, NULL); }
void ps_page_grid_set_frame (PsPageGrid *self, PsFrame *frame) { }
PsFrame *ps_page_grid_get_frame (PsPageGrid *self) { return NULL; }
void ps_page_grid_set_mode (PsPageGrid *self, PsGridMode mode) { self->mode = mode; }
PsGridMode ps_page_grid_get_mode (PsPageGrid *self) { return self->mode; }
void ps_page_grid_set_cell_size (PsPageGrid *self, guint cell) { self->cell = cell; }
guint ps_page_grid_get_cell_size (PsPageGrid *self) { return self->cell; }
guint64 ps_page_grid_get_cursor (PsPageGrid *self) { return 0; }
void ps_page_grid_set_cursor (PsPageGrid *self, guint64 page) { }
gboolean ps_page_grid_get_selection (PsPageGrid *self, guint64 *first, guint64 *n) { return FALSE; }
void ps_page_grid_set_selection (PsPageGrid *self, guint64 first, guint64 n) { }
void ps_page_grid_clear_selection (PsPageGrid *self) { }
void ps_page_grid_set_marks (PsPageGrid *self, const guint8 *marks, guint64 n) { }
gboolean ps_grid_mode_from_string (const char *text, PsGridMode *mode)
{
  static const char *names[] = { "activity", "content", "residency", "cow" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0) { *mode = i; return TRUE; }
  return FALSE;
}
