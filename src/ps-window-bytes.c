/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Understanding the bytes, in the window: the find bar, the side pane (data
 * inspector, watches, marks), go to, export, and the cursor in the status
 * bar. Every command is a GAction with a string argument where scripting
 * needs one. */
#define G_LOG_DOMAIN "pagescope-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <inttypes.h>

#include "ps-window-private.h"

#define MAX_SAVED 10   /* sources whose watches and marks are kept */

/* ---- the cursor in the status bar ---- */

static void
update_cursor_label (PsWindow *self)
{
  PsSource *source = ps_session_get_source (self->session);
  guint64 cursor = ps_session_get_cursor (self->session);
  g_autofree char *text = NULL;
  PsRange sel;

  if (source == NULL)
    {
      gtk_label_set_text (self->cursor_label, "");
      return;
    }
  if (ps_session_get_selection (self->session, &sel))
    /* TRANSLATORS: the selection in the status bar: "0x10–0x1f (16 bytes)" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Selected 0x%" PRIx64 "–0x%" PRIx64 " (%" PRIu64 " byte)",
                                         "Selected 0x%" PRIx64 "–0x%" PRIx64 " (%" PRIu64 " bytes)", sel.length),
                            sel.offset, sel.offset + sel.length - 1, sel.length);
  else
    /* TRANSLATORS: the cursor in the status bar: "0x1234 (4660), page 1" */
    text = g_strdup_printf (_("Cursor 0x%" PRIx64 " (%" PRIu64 "), page %" PRIu64), cursor, cursor,
                            cursor / ps_source_get_geometry (source)->page_size);
  gtk_label_set_text (self->cursor_label, text);
}

/* ---- highlights: marks and find hits ---- */

#define FIND_HIT_RGBA 0xf5c21190u   /* amber, half strong: not one of the marks' colours */

/* The grid and the hex view tint the marks and the find bar's matches:
 * matches first, so a mark over one shows in its own colour on top. */
void
ps_window_update_highlights (PsWindow *self)
{
  GListModel *marks = ps_session_get_marks (self->session);
  guint n_marks = g_list_model_get_n_items (marks);
  guint n_hits = self->find_hits != NULL ? self->find_hits->len : 0;
  guint n_diff = 0;
  g_autofree PsHighlight *diff = ps_window_diff_highlights (self, &n_diff);
  g_autofree PsHighlight *ranges = g_new (PsHighlight, n_diff + n_hits + n_marks + 1);
  guint n = 0;

  /* the pages that differ from the snapshot first: under a match or a mark */
  if (n_diff > 0)
    memcpy (ranges, diff, n_diff * sizeof *diff);
  n = n_diff;

  for (guint i = 0; i < n_hits; i++)
    ranges[n++] = (PsHighlight) { g_array_index (self->find_hits, guint64, i), self->find_hit_length,
                                  FIND_HIT_RGBA };
  for (guint i = 0; i < n_marks; i++)
    {
      g_autoptr(PsMark) mark = g_list_model_get_item (marks, i);

      ranges[n++] = (PsHighlight) { ps_mark_get_offset (mark), ps_mark_get_length (mark), ps_mark_get_rgba (mark) };
    }
  ps_page_grid_set_highlights (self->grid, ranges, n);
  ps_hex_view_set_highlights (self->hex, ranges, n);
}

static void
on_hits (PsFindBar *bar,
         GArray    *hits,
         guint64    length,
         PsWindow  *self)
{
  g_clear_pointer (&self->find_hits, g_array_unref);
  if (hits->len > 0)
    self->find_hits = g_array_ref (hits);
  self->find_hit_length = length;
  ps_window_update_highlights (self);
}

static void
on_found (PsFindBar *bar,
          guint64    offset,
          guint64    length,
          PsWindow  *self)
{
  ps_hex_view_goto (self->hex, offset);
  if (length > 1)
    ps_hex_view_set_selection (self->hex, offset, length);
}

/* ---- go to ---- */

static gboolean
lookup_mark (const char *name,
             guint64    *offset,
             gpointer    data)
{
  PsMark *mark = ps_session_find_mark (data, name);

  if (mark != NULL)
    *offset = ps_mark_get_offset (mark);
  return mark != NULL;
}

static gboolean
go_to (PsWindow    *self,
       const char  *text,
       GError     **error)
{
  PsSource *source = ps_session_get_source (self->session);
  const PsGeometry *g = source != NULL ? ps_source_get_geometry (source) : NULL;
  guint64 offset;

  if (!ps_goto_parse (text, ps_session_get_cursor (self->session), g != NULL ? g->length : 0,
                      g != NULL ? g->page_size : 1, lookup_mark, self->session, &offset, error))
    return FALSE;
  ps_hex_view_goto (self->hex, offset);
  ps_page_grid_set_cursor (self->grid, offset / g->page_size);
  gtk_widget_grab_focus (GTK_WIDGET (self->hex));
  return TRUE;
}

static void
action_goto (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!go_to (self, g_variant_get_string (parameter, NULL), &error))
    {
      ps_event_log_add (self->log, TRUE, "%s", error->message);
      ps_window_show_error (self, error);
    }
}

static void
on_goto_activate (GtkEntry *entry,
                  PsWindow *self)
{
  GtkLabel *problem = g_object_get_data (G_OBJECT (entry), "problem");
  g_autoptr(GError) error = NULL;

  if (go_to (self, gtk_editable_get_text (GTK_EDITABLE (entry)), &error))
    gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (entry), GTK_TYPE_POPOVER)));
  else
    {
      gtk_label_set_text (problem, error->message);
      gtk_widget_set_visible (GTK_WIDGET (problem), TRUE);
    }
}

/* Ctrl+L: a small popover over the hex view, an entry and what is wrong. */
static void
action_goto_dialog (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *problem = gtk_label_new (NULL);
  const char *hint = _("Go to: 0x1000, 4096, +16, -0x10, page 3, end, or a mark's name");

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), hint);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 36);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Go to"), -1);
  gtk_label_set_wrap (GTK_LABEL (problem), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (problem), 40);
  gtk_widget_add_css_class (problem, "error");
  gtk_widget_set_visible (problem, FALSE);
  g_object_set_data (G_OBJECT (entry), "problem", problem);
  g_signal_connect_object (entry, "activate", G_CALLBACK (on_goto_activate), self, 0);
  gtk_box_append (GTK_BOX (box), gtk_label_new (hint));
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), problem);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_BOTTOM);
  gtk_widget_set_parent (popover, GTK_WIDGET (self->hex));
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
  gtk_widget_grab_focus (entry);
}

/* ---- find ---- */

static void
action_find_bar (GtkWidget  *widget,
                 const char *name,
                 GVariant   *parameter)
{
  ps_find_bar_show (PS_WINDOW (widget)->find_bar, NULL);
}

/* find "PATTERN": the next match from the cursor, as F3 finds it. */
static void
action_find (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);

  ps_find_bar_show (self->find_bar, g_variant_get_string (parameter, NULL));
  ps_find_bar_find (self->find_bar, FALSE);
}

static void
action_find_next (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  ps_find_bar_find (PS_WINDOW (widget)->find_bar, g_str_equal (name, "win.find-previous"));
}

/* ---- the side pane ---- */

static void
show_side (PsWindow   *self,
           const char *page)
{
  gtk_revealer_set_reveal_child (self->side_revealer, TRUE);
  adw_view_stack_set_visible_child_name (self->side_stack, page);
}

static void
action_toggle_inspector (GtkWidget  *widget,
                         const char *name,
                         GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  gboolean shown = gtk_revealer_get_reveal_child (self->side_revealer) &&
                   g_str_equal (adw_view_stack_get_visible_child_name (self->side_stack), "inspector");

  if (shown)
    gtk_revealer_set_reveal_child (self->side_revealer, FALSE);
  else
    show_side (self, "inspector");
}

/* mark "NAME" (or "": mark N): the selection, named. */
static void
action_mark (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  const char *text = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  PsRange range;

  if (!ps_session_get_selection (self->session, &range))
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   _("mark: select the bytes or pages to mark first"));
      ps_event_log_add (self->log, TRUE, "%s", error->message);
      ps_window_show_error (self, error);
      return;
    }
  if (ps_session_add_mark (self->session, *text != '\0' ? text : NULL, &range, &error) == NULL)
    ps_window_show_error (self, error);
  else
    show_side (self, "marks");
}

/* watch "NAME:TYPE@OFFSET" */
static void
action_watch (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_auto(PsWatchSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;

  if (!ps_watch_spec_parse (g_variant_get_string (parameter, NULL), &spec, &error))
    {
      ps_event_log_add (self->log, TRUE, "%s", error->message);
      ps_window_show_error (self, error);
    }
  else if (ps_session_add_watch (self->session, &spec, &error) == NULL)
    ps_window_show_error (self, error);
  else
    show_side (self, "watches");
}

/* ---- export ---- */

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize written = ps_session_export_finish (PS_SESSION (object), result, &error);
  g_autofree char *size = NULL;
  g_autofree char *message = NULL;

  if (written < 0)
    {
      ps_window_show_error (self, error);
      return;
    }
  size = g_format_size ((guint64) written);
  message = g_strdup_printf (_("Exported: %s of data written, the rest left as holes"), size);
  ps_window_show_toast (self, message);
}

static void
export_to (PsWindow   *self,
           const char *path)
{
  /* the selection, else the whole mapping */
  ps_session_export_async (self->session, NULL, path, NULL, on_exported, g_object_ref (self));
}

/* export "PATH" */
static void
action_export (GtkWidget  *widget,
               const char *name,
               GVariant   *parameter)
{
  export_to (PS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    PsWindow        *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  g_clear_object (&self->export_chooser);
  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    export_to (self, path);
}

static void
action_export_dialog (GtkWidget  *widget,
                      const char *name,
                      GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);

  if (self->export_chooser != NULL)
    return;
  self->export_chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Export the Selection, or the Whole Mapping"),
                                                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                                                        _("_Export"), _("_Cancel")));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), "pagescope-export.bin");
  g_signal_connect_object (self->export_chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (self->export_chooser);
}

/* ---- watches and marks kept with the source ---- */

static char *
source_key (PsWindow *self)
{
  PsSource *source = ps_session_get_source (self->session);
  PsSourceSpec *spec;
  char *key;

  if (source == NULL)
    return NULL;
  spec = ps_source_dup_spec (source);
  key = ps_source_spec_to_string (spec);
  ps_source_spec_clear (spec);
  g_free (spec);
  return key;
}

void
ps_window_save_annotations (PsWindow *self)
{
  GSettings *settings = ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  g_autofree char *key = source_key (self);
  g_autoptr(GVariant) old = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *k, *v;
  guint kept = 1;
  gboolean empty;

  if (key == NULL)
    return;
  empty = g_list_model_get_n_items (ps_session_get_watches (self->session)) == 0 &&
          g_list_model_get_n_items (ps_session_get_marks (self->session)) == 0;
  old = g_settings_get_value (settings, "source-annotations");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  if (!empty)
    {
      g_autofree char *json = ps_session_export_annotations (self->session);
      g_variant_builder_add (&builder, "{ss}", key, json);
    }
  /* the others, as many as make MAX_SAVED */
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (!g_str_equal (k, key) && kept++ < MAX_SAVED)
      g_variant_builder_add (&builder, "{ss}", k, v);
  g_settings_set_value (settings, "source-annotations", g_variant_builder_end (&builder));
}

void
ps_window_restore_annotations (PsWindow *self)
{
  GSettings *settings = ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  g_autofree char *key = source_key (self);
  g_autoptr(GVariant) saved = NULL;
  const char *json;

  if (key == NULL)
    return;
  saved = g_settings_get_value (settings, "source-annotations");
  /* what no longer fits the object (it shrank) is refused, and said */
  if (g_variant_lookup (saved, key, "&s", &json))
    ps_session_import_annotations (self->session, json, NULL);
}

/* ---- set-up ---- */

void
ps_window_bytes_init (PsWindow *self)
{
  ps_find_bar_set_session (self->find_bar, self->session);
  ps_inspector_pane_set_session (self->inspector, self->session);
  ps_watches_pane_set_session (self->watches, self->session);
  ps_marks_pane_set_session (self->marks, self->session);
  g_signal_connect_object (self->find_bar, "found", G_CALLBACK (on_found), self, 0);
  g_signal_connect_object (self->find_bar, "hits", G_CALLBACK (on_hits), self, 0);
  g_signal_connect_object (ps_session_get_marks (self->session), "items-changed", G_CALLBACK (ps_window_update_highlights),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::cursor", G_CALLBACK (update_cursor_label), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::selection", G_CALLBACK (update_cursor_label), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::source", G_CALLBACK (update_cursor_label), self, G_CONNECT_SWAPPED);
}

void
ps_window_bytes_dispose (PsWindow *self)
{
  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (self->export_chooser);
  g_clear_object (&self->export_chooser);
  g_clear_pointer (&self->find_hits, g_array_unref);
}

void
ps_window_class_install_byte_actions (GtkWidgetClass *widget_class)
{
  g_type_ensure (PS_TYPE_FIND_BAR);
  g_type_ensure (PS_TYPE_INSPECTOR_PANE);
  g_type_ensure (PS_TYPE_WATCHES_PANE);
  g_type_ensure (PS_TYPE_MARKS_PANE);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, cursor_label);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, find_bar);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, side_revealer);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, watches);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, marks);

  gtk_widget_class_install_action (widget_class, "win.goto", "s", action_goto);
  gtk_widget_class_install_action (widget_class, "win.goto-dialog", NULL, action_goto_dialog);
  gtk_widget_class_install_action (widget_class, "win.find-bar", NULL, action_find_bar);
  gtk_widget_class_install_action (widget_class, "win.find", "s", action_find);
  gtk_widget_class_install_action (widget_class, "win.find-next", NULL, action_find_next);
  gtk_widget_class_install_action (widget_class, "win.find-previous", NULL, action_find_next);
  gtk_widget_class_install_action (widget_class, "win.toggle-inspector", NULL, action_toggle_inspector);
  gtk_widget_class_install_action (widget_class, "win.mark", "s", action_mark);
  gtk_widget_class_install_action (widget_class, "win.watch", "s", action_watch);
  gtk_widget_class_install_action (widget_class, "win.export", "s", action_export);
  gtk_widget_class_install_action (widget_class, "win.export-dialog", NULL, action_export_dialog);
}
