/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STUB: to be replaced by the real PsHexView. */
#include "config.h"
#include "ps-hex-view.h"

struct _PsHexView { GtkWidget parent_instance; PsSource *source; };
G_DEFINE_FINAL_TYPE (PsHexView, ps_hex_view, GTK_TYPE_WIDGET)
static void ps_hex_view_class_init (PsHexViewClass *klass)
{
  g_signal_new ("visible-range-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT64);
}
static void ps_hex_view_init (PsHexView *self) { }
GtkWidget *ps_hex_view_new (void) { return g_object_new (PS_TYPE_HEX_VIEW, NULL); }
void ps_hex_view_set_source (PsHexView *self, PsSource *source) { self->source = source; }
PsSource *ps_hex_view_get_source (PsHexView *self) { return self->source; }
void ps_hex_view_set_frame (PsHexView *self, PsFrame *frame) { }
void ps_hex_view_goto (PsHexView *self, guint64 offset) { }
guint64 ps_hex_view_get_cursor (PsHexView *self) { return 0; }
gboolean ps_hex_view_get_selection (PsHexView *self, guint64 *offset, guint64 *length) { return FALSE; }
void ps_hex_view_set_selection (PsHexView *self, guint64 offset, guint64 length) { }
void ps_hex_view_get_visible_range (PsHexView *self, guint64 *offset, guint64 *length) { *offset = *length = 0; }
