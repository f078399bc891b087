/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One more view of the window's object: a session of its own, a compact
 * grid above a hex view, and a label saying who looks and how. The window
 * (ps-window-views.c) adds and closes panes, colours the bytes that differ
 * between views and scrolls their hex views together. */
#define G_LOG_DOMAIN "pagescope-views"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-view-pane.h"

struct _PsViewPane
{
  GtkWidget          parent_instance;

  GtkWidget         *header;
  GtkLabel          *title;
  GtkButton         *close_button;
  GtkScrolledWindow *grid_scroller;
  GtkScrolledWindow *hex_scroller;
  PsPageGrid        *grid;
  PsHexView         *hex;

  PsSession         *session;
  char              *id;
  char              *label;
  gboolean           gone_shown;
};

G_DEFINE_FINAL_TYPE (PsViewPane, ps_view_pane, GTK_TYPE_WIDGET)

char *
ps_view_label_for_source (PsSource *source)
{
  g_autofree char *who = NULL;
  const char *gone;

  if (source == NULL)
    return g_strdup (_("nothing open"));
  who = ps_source_dup_viewer_label (source);
  gone = ps_source_get_gone_reason (source);
  if (gone == NULL)
    return g_steal_pointer (&who);
  /* TRANSLATORS: a view whose process went: "pid 4242 writer, MAP_PRIVATE (gone: the process exited)" */
  return g_strdup_printf (_("%s (gone: %s)"), who, _(gone));
}

void
ps_view_label_show (GtkLabel   *label,
                    const char *text)
{
  /* side by side at half a screen, a title is all there: it wraps, and the
   * views scroll sideways rather than squeezing it (ps-window-views.c) */
  gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_NONE);
  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_text (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
show_label (PsViewPane *self)
{
  g_autofree char *close = NULL;
  g_autofree char *grid_name = NULL;
  g_autofree char *hex_name = NULL;
  g_autofree char *pane_name = NULL;

  g_free (self->label);
  self->label = ps_view_label_for_source (ps_session_get_source (self->session));
  ps_view_label_show (self->title, self->label);
  /* TRANSLATORS: the close button of a view: "Close the view “file on disk (pread)”" */
  close = g_strdup_printf (_("Close the view “%s”"), self->label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->close_button), close);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->close_button), GTK_ACCESSIBLE_PROPERTY_LABEL, close, -1);
  /* TRANSLATORS: what a screen reader names a view and its parts: "View: this process, MAP_SHARED" */
  pane_name = g_strdup_printf (_("View: %s"), self->label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, pane_name, -1);
  grid_name = g_strdup_printf (_("Pages as seen by: %s"), self->label);
  hex_name = g_strdup_printf (_("Bytes as seen by: %s"), self->label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid), GTK_ACCESSIBLE_PROPERTY_LABEL, grid_name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->hex), GTK_ACCESSIBLE_PROPERTY_LABEL, hex_name, -1);
}

static void
on_source (PsViewPane *self)
{
  self->gone_shown = FALSE;
  ps_hex_view_set_source (self->hex, ps_session_get_source (self->session));
  show_label (self);
}

static void
on_frame (PsViewPane *self)
{
  PsFrame *frame = ps_session_get_frame (self->session);

  if (frame == NULL)
    return;
  ps_page_grid_set_frame (self->grid, frame);
  ps_hex_view_set_frame (self->hex, frame);
  /* a view of a process that exits says so at once */
  if ((frame->flags & PS_FRAME_GONE) && !self->gone_shown)
    {
      self->gone_shown = TRUE;
      show_label (self);
    }
}

static void
on_visible_range_changed (PsHexView  *hex,
                          guint64     offset,
                          guint64     length,
                          PsViewPane *self)
{
  PsScanner *scanner = ps_session_get_scanner (self->session);

  if (scanner != NULL)
    ps_scanner_set_focus (scanner, offset, length);
}

static void
on_page_activated (PsPageGrid *grid,
                   guint64     page,
                   PsViewPane *self)
{
  PsSource *source = ps_session_get_source (self->session);

  if (source == NULL)
    return;
  ps_hex_view_goto (self->hex, page * ps_source_get_geometry (source)->page_size);
  gtk_widget_grab_focus (GTK_WIDGET (self->hex));
}

PsViewPane *
ps_view_pane_new (PsSession  *session,
                  const char *id)
{
  PsViewPane *self;

  g_return_val_if_fail (PS_IS_SESSION (session), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (PS_TYPE_VIEW_PANE, NULL);
  self->session = g_object_ref (session);
  self->id = g_strdup (id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->close_button), "s", id);
  g_signal_connect_object (session, "notify::source", G_CALLBACK (on_source), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::frame", G_CALLBACK (on_frame), self, G_CONNECT_SWAPPED);
  on_source (self);
  on_frame (self);
  return self;
}

PsSession *
ps_view_pane_get_session (PsViewPane *self)
{
  g_return_val_if_fail (PS_IS_VIEW_PANE (self), NULL);
  return self->session;
}

const char *
ps_view_pane_get_id (PsViewPane *self)
{
  g_return_val_if_fail (PS_IS_VIEW_PANE (self), NULL);
  return self->id;
}

const char *
ps_view_pane_get_label (PsViewPane *self)
{
  g_return_val_if_fail (PS_IS_VIEW_PANE (self), NULL);
  return self->label;
}

PsPageGrid *
ps_view_pane_get_grid (PsViewPane *self)
{
  g_return_val_if_fail (PS_IS_VIEW_PANE (self), NULL);
  return self->grid;
}

PsHexView *
ps_view_pane_get_hex_view (PsViewPane *self)
{
  g_return_val_if_fail (PS_IS_VIEW_PANE (self), NULL);
  return self->hex;
}

GtkAdjustment *
ps_view_pane_get_hex_vadjustment (PsViewPane *self)
{
  g_return_val_if_fail (PS_IS_VIEW_PANE (self), NULL);
  return gtk_scrolled_window_get_vadjustment (self->hex_scroller);
}

static void
ps_view_pane_dispose (GObject *object)
{
  PsViewPane *self = PS_VIEW_PANE (object);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      ps_session_close (self->session);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_VIEW_PANE);
  G_OBJECT_CLASS (ps_view_pane_parent_class)->dispose (object);
}

static void
ps_view_pane_finalize (GObject *object)
{
  PsViewPane *self = PS_VIEW_PANE (object);

  g_clear_object (&self->session);
  g_free (self->id);
  g_free (self->label);
  G_OBJECT_CLASS (ps_view_pane_parent_class)->finalize (object);
}

static void
ps_view_pane_class_init (PsViewPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_view_pane_dispose;
  object_class->finalize = ps_view_pane_finalize;

  g_type_ensure (PS_TYPE_PAGE_GRID);
  g_type_ensure (PS_TYPE_HEX_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-view-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, PsViewPane, header);
  gtk_widget_class_bind_template_child (widget_class, PsViewPane, title);
  gtk_widget_class_bind_template_child (widget_class, PsViewPane, close_button);
  gtk_widget_class_bind_template_child (widget_class, PsViewPane, grid_scroller);
  gtk_widget_class_bind_template_child (widget_class, PsViewPane, hex_scroller);
  gtk_widget_class_bind_template_child (widget_class, PsViewPane, grid);
  gtk_widget_class_bind_template_child (widget_class, PsViewPane, hex);
  gtk_widget_class_set_css_name (widget_class, "viewpane");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_view_pane_init (PsViewPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* a compact grid: the whole mapping in the cells it has room for */
  ps_page_grid_set_fit (self->grid, TRUE);
  g_signal_connect_object (self->hex, "visible-range-changed", G_CALLBACK (on_visible_range_changed), self, 0);
  g_signal_connect_object (self->grid, "page-activated", G_CALLBACK (on_page_activated), self, 0);
}
