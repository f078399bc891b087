/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Watches: the session's watched values, live (value, previous, changes,
 * when last, a sparkline of the last minute for numbers), added by spec or
 * from the inspector, removed, exported and imported with the marks as a
 * small JSON file. */
#define G_LOG_DOMAIN "pagescope-watches"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "ps-label.h"
#include "ps-watches-pane.h"

#define FLASH_MS 700

struct _PsWatchesPane
{
  GtkWidget   parent_instance;

  /* template children */
  GtkEntry   *spec_entry;
  GtkListBox *list;
  GtkLabel   *error_label;
  GtkStack   *stack;

  PsSession  *session;
  GtkNativeDialog *chooser;
};

G_DEFINE_FINAL_TYPE (PsWatchesPane, ps_watches_pane, GTK_TYPE_WIDGET)

/* ---- a row ---- */

static void
draw_sparkline (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        data)
{
  PsWatch *watch = data;
  guint n;
  const PsWatchSample *samples = ps_watch_get_history (watch, &n);
  gint64 now = g_get_monotonic_time ();
  double lo = INFINITY, hi = -INFINITY;
  GdkRGBA color;

  if (n < 2)
    return;
  for (guint i = 0; i < n; i++)
    if (isfinite (samples[i].value))
      {
        lo = MIN (lo, samples[i].value);
        hi = MAX (hi, samples[i].value);
      }
  if (!isfinite (lo))
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < n; i++)
    {
      double age = (now - samples[i].time_us) / (double) (PS_WATCH_HISTORY_S * G_USEC_PER_SEC);
      double x = width * (1.0 - MIN (age, 1.0));
      double y = hi > lo ? (height - 2) * (1.0 - (samples[i].value - lo) / (hi - lo)) + 1 : height / 2.0;

      /* a step: the value holds until the next sample */
      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
      if (i + 1 < n)
        cairo_line_to (cr, width * (1.0 - MIN ((now - samples[i + 1].time_us) /
                                                 (double) (PS_WATCH_HISTORY_S * G_USEC_PER_SEC), 1.0)), y);
      else
        cairo_line_to (cr, width, y);
    }
  cairo_stroke (cr);
}

static gboolean
end_flash (gpointer data)
{
  gtk_widget_remove_css_class (GTK_WIDGET (data), "changed");
  g_object_set_data (data, "flash", NULL);
  return G_SOURCE_REMOVE;
}

static void
update_row (GtkWidget *row,
            PsWatch   *watch)
{
  GtkWidget *value = g_object_get_data (G_OBJECT (row), "value");
  GtkWidget *detail = g_object_get_data (G_OBJECT (row), "detail");
  GtkWidget *spark = g_object_get_data (G_OBJECT (row), "spark");
  const char *previous = ps_watch_get_previous (watch);
  guint64 changes = ps_watch_get_changes (watch);
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " change",
                                                         "%" PRIu64 " changes", changes), changes);
  g_autofree char *text = NULL;

  gtk_label_set_text (GTK_LABEL (value), ps_watch_get_value (watch) ? ps_watch_get_value (watch) : "?");
  if (changes == 0)
    text = g_strdup (count);
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) when = g_date_time_add (now, ps_watch_get_last_change (watch) - g_get_monotonic_time ());
      g_autofree char *clock = g_date_time_format (when, "%H:%M:%S");

      /* TRANSLATORS: "was 41 · 12 changes · last at 12:03:04" */
      text = g_strdup_printf (_("was %s · %s · last at %s"), previous, count, clock);
    }
  gtk_label_set_text (GTK_LABEL (detail), text);
  gtk_widget_queue_draw (spark);
}

static void
on_watch_changed (PsWatch    *watch,
                  const char *old,
                  const char *new,
                  GtkWidget  *row)
{
  GtkWidget *value = g_object_get_data (G_OBJECT (row), "value");

  update_row (row, watch);
  gtk_widget_add_css_class (value, "changed");
  if (g_object_get_data (G_OBJECT (value), "flash") == NULL)
    g_object_set_data_full (G_OBJECT (value), "flash",
                            GUINT_TO_POINTER (g_timeout_add_full (G_PRIORITY_DEFAULT, FLASH_MS, end_flash,
                                                                  g_object_ref (value), g_object_unref)),
                            NULL);
}

static void
on_remove_clicked (GtkButton     *button,
                   PsWatchesPane *self)
{
  g_autoptr(GError) error = NULL;

  if (!ps_session_remove_watch (self->session, g_object_get_data (G_OBJECT (button), "name"), &error))
    ps_label_show (self->error_label, error->message);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PsWatchesPane *self = user_data;
  PsWatch *watch = item;
  g_autofree char *spec = ps_watch_spec_to_string (ps_watch_get_spec (watch));
  g_autofree char *remove_label = g_strdup_printf (_("Stop watching %s"), ps_watch_get_name (watch));
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (ps_watch_get_name (watch));
  GtkWidget *value = gtk_label_new (NULL);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *spark = gtk_drawing_area_new ();

  gtk_widget_set_margin_start (row, 6);
  gtk_widget_set_margin_end (row, 6);
  gtk_widget_set_margin_top (row, 4);
  gtk_widget_set_margin_bottom (row, 4);
  gtk_widget_set_tooltip_text (name, spec);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "value");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data_full (G_OBJECT (remove), "name", g_strdup (ps_watch_get_name (watch)), g_free);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked), self, 0);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (spark), 20);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (spark), draw_sparkline, g_object_ref (watch), g_object_unref);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spark), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The value over the last minute"), -1);

  gtk_box_append (GTK_BOX (top), name);
  gtk_box_append (GTK_BOX (top), value);
  gtk_box_append (GTK_BOX (top), remove);
  gtk_box_append (GTK_BOX (row), top);
  gtk_box_append (GTK_BOX (row), detail);
  gtk_box_append (GTK_BOX (row), spark);
  g_object_set_data (G_OBJECT (row), "value", value);
  g_object_set_data (G_OBJECT (row), "detail", detail);
  g_object_set_data (G_OBJECT (row), "spark", spark);
  g_signal_connect_object (watch, "changed", G_CALLBACK (on_watch_changed), row, 0);
  update_row (row, watch);
  return row;
}

/* ---- adding, importing, exporting ---- */

static void
on_add (PsWatchesPane *self)
{
  g_auto(PsWatchSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;

  if (!ps_watch_spec_parse (gtk_editable_get_text (GTK_EDITABLE (self->spec_entry)), &spec, &error) ||
      ps_session_add_watch (self->session, &spec, &error) == NULL)
    {
      ps_label_show (self->error_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->spec_entry), "error");
      return;
    }
  ps_label_show (self->error_label, NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->spec_entry), "error");
  gtk_editable_set_text (GTK_EDITABLE (self->spec_entry), "");
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     PsWatchesPane   *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gboolean saving = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)) == GTK_FILE_CHOOSER_ACTION_SAVE;
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->chooser);
  if (response != GTK_RESPONSE_ACCEPT || path == NULL)
    return;
  if (saving)
    {
      g_autofree char *json = ps_session_export_annotations (self->session);

      g_file_set_contents (path, json, -1, &error);
    }
  else
    {
      g_autofree char *json = NULL;

      if (g_file_get_contents (path, &json, NULL, &error))
        ps_session_import_annotations (self->session, json, &error);
    }
  ps_label_show (self->error_label, error != NULL ? error->message : NULL);
}

static void
choose (PsWatchesPane        *self,
        GtkFileChooserAction  action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean saving = action == GTK_FILE_CHOOSER_ACTION_SAVE;

  self->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (saving ? _("Export Watches and Marks")
                                                                         : _("Import Watches and Marks"),
                                                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                  action, saving ? _("_Export") : _("_Import"),
                                                                  _("_Cancel")));
  if (saving)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "pagescope-annotations.json");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (self->chooser);
}

static void
on_export (PsWatchesPane *self)
{
  choose (self, GTK_FILE_CHOOSER_ACTION_SAVE);
}

static void
on_import (PsWatchesPane *self)
{
  choose (self, GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
on_items_changed (PsWatchesPane *self)
{
  GListModel *watches = ps_session_get_watches (self->session);

  gtk_stack_set_visible_child_name (self->stack, g_list_model_get_n_items (watches) > 0 ? "list" : "empty");
}

/* ---- lifetime ---- */

static void
ps_watches_pane_dispose (GObject *object)
{
  PsWatchesPane *self = PS_WATCHES_PANE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_WATCHES_PANE);
  /* the template's root is not a bound child: it goes by hand */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_watches_pane_parent_class)->dispose (object);
}

static void
ps_watches_pane_class_init (PsWatchesPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_watches_pane_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-watches-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, PsWatchesPane, spec_entry);
  gtk_widget_class_bind_template_child (widget_class, PsWatchesPane, list);
  gtk_widget_class_bind_template_child (widget_class, PsWatchesPane, error_label);
  gtk_widget_class_bind_template_child (widget_class, PsWatchesPane, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_add);
  gtk_widget_class_bind_template_callback (widget_class, on_export);
  gtk_widget_class_bind_template_callback (widget_class, on_import);
}

static void
ps_watches_pane_init (PsWatchesPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ps_watches_pane_new (void)
{
  return g_object_new (PS_TYPE_WATCHES_PANE, NULL);
}

void
ps_watches_pane_set_session (PsWatchesPane *self,
                             PsSession     *session)
{
  g_return_if_fail (PS_IS_WATCHES_PANE (self));
  g_return_if_fail (PS_IS_SESSION (session));

  g_set_object (&self->session, session);
  /* the session keeps one list for its life: bound once */
  gtk_list_box_bind_model (self->list, ps_session_get_watches (session), create_row, self, NULL);
  g_signal_connect_object (ps_session_get_watches (session), "items-changed", G_CALLBACK (on_items_changed),
                           self, G_CONNECT_SWAPPED);
  on_items_changed (self);
}
