/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The open dialog: a file, a SysV segment, a POSIX segment or an anonymous
 * shared mapping. Every field is parsed with ps-parse when the user presses
 * Open; a bad field is marked and explained in place, and an error from the
 * kernel (through the open function) keeps the dialog open and shows it.
 * This file is the window: its pages, modes, errors and actions. The fields
 * become a spec in ps-open-dialog-spec.c; the SysV and POSIX tables are
 * PsSegmentTable models; the test hooks are in ps-open-dialog-hooks.c. */
#define G_LOG_DOMAIN "pagescope-open-dialog"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-frame.h"
#include "ps-label.h"
#include "ps-open-dialog-private.h"
#include "ps-parse.h"

#define REFRESH_SECONDS 2

G_DEFINE_FINAL_TYPE (PsOpenDialog, ps_open_dialog, ADW_TYPE_WINDOW)

/* What the user typed last in this session, offered again next time. */
static char *last_path;
static char *last_posix_name;

static const char *const page_names[] = {
  [PS_SOURCE_FILE] = "file",
  [PS_SOURCE_ANON] = "anon",
  [PS_SOURCE_SYSV] = "sysv",
  [PS_SOURCE_POSIX] = "posix",
  [PS_SOURCE_PROCESS] = "process",
};

PsSourceKind
ps_open_dialog_get_kind (PsOpenDialog *self)
{
  const char *name;

  g_return_val_if_fail (PS_IS_OPEN_DIALOG (self), PS_SOURCE_FILE);

  name = adw_view_stack_get_visible_child_name (self->stack);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    if (g_strcmp0 (name, page_names[i]) == 0)
      return (PsSourceKind) i;
  return PS_SOURCE_FILE;
}

void
ps_open_dialog_set_kind (PsOpenDialog *self,
                         PsSourceKind  kind)
{
  g_return_if_fail (PS_IS_OPEN_DIALOG (self));
  g_return_if_fail ((guint) kind < G_N_ELEMENTS (page_names));

  adw_view_stack_set_visible_child_name (self->stack, page_names[kind]);
}

/* ---- errors ---- */

static void
clear_error (PsOpenDialog *self)
{
  if (self->error_row != NULL)
    gtk_widget_remove_css_class (self->error_row, "error");
  self->error_row = NULL;
  ps_label_show (self->error_label, NULL);
}

/* GTK 4.8 scrolls to the focus only when the focus enters the scrolled
 * page, not when it moves inside it: bring the row into view ourselves. */
static void
scroll_into_view (GtkWidget *row)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *viewport;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double value, page;
  const double margin = 12;

  if (scroller == NULL ||
      (viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller))) == NULL ||
      !gtk_widget_compute_bounds (row, viewport, &bounds))
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  if (bounds.origin.y < 0)
    gtk_adjustment_set_value (adjustment, value + bounds.origin.y - margin);
  else if (bounds.origin.y + bounds.size.height > page)
    gtk_adjustment_set_value (adjustment, value + bounds.origin.y + bounds.size.height - page + margin);
}

/* Keeps the row in view while an expander row opens around it. */
static gboolean
scroll_tick (GtkWidget     *row,
             GdkFrameClock *clock,
             gpointer       data)
{
  scroll_into_view (row);
  return gdk_frame_clock_get_frame_time (clock) < *(gint64 *) data ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Shows message at the bottom of the page, and marks and focuses row. */
void
ps_open_dialog_show_error (PsOpenDialog *self,
                           GtkWidget    *row,
                           const char   *message)
{
  g_autofree char *shown = NULL;

  /* the core's messages quote names as they are, in any bytes */
  if (!g_utf8_validate (message, -1, NULL))
    message = shown = ps_text_for_display (message);
  clear_error (self);
  ps_label_show (self->error_label, message);
  if (row == NULL)
    return;
  {
    GtkWidget *expander = gtk_widget_get_ancestor (row, ADW_TYPE_EXPANDER_ROW);

    if (expander != NULL)
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
  }
  gtk_widget_add_css_class (row, "error");
  self->error_row = row;
  gtk_widget_grab_focus (row);
  {
    gint64 *until = g_new (gint64, 1);

    *until = g_get_monotonic_time () + 400 * 1000;
    scroll_into_view (row);
    gtk_widget_add_tick_callback (row, scroll_tick, until, g_free);
  }
}

/* ---- mode: which button, which groups ---- */

gboolean
ps_open_dialog_creating (PsOpenDialog *self,
                         PsSourceKind  kind)
{
  if (kind == PS_SOURCE_SYSV)
    return adw_expander_row_get_enable_expansion (self->sysv_create_row);
  if (kind == PS_SOURCE_POSIX)
    return adw_expander_row_get_enable_expansion (self->posix_create_row);
  return kind == PS_SOURCE_ANON;
}

/* Greys out a group, first moving the focus out of it (a focused entry must
 * not become insensitive under the cursor). */
static void
set_group_sensitive (PsOpenDialog *self,
                     GtkWidget    *group,
                     gboolean      sensitive,
                     GtkWidget    *next_focus)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));

  if (!sensitive && focus != NULL && gtk_widget_is_ancestor (focus, group))
    gtk_widget_grab_focus (next_focus);
  gtk_widget_set_sensitive (group, sensitive);
}

static void
update_mode (PsOpenDialog *self)
{
  PsSourceKind kind = ps_open_dialog_get_kind (self);
  const char *label;

  if (ps_open_dialog_creating (self, kind))
    label = _("_Create");
  else if (kind == PS_SOURCE_SYSV)
    label = _("_Attach");
  else
    label = _("_Open");
  gtk_button_set_label (self->open_button, label);
  set_group_sensitive (self, self->sysv_attach_group, !ps_open_dialog_creating (self, PS_SOURCE_SYSV),
                       GTK_WIDGET (self->sysv_create_key_row));
  set_group_sensitive (self, self->posix_open_group, !ps_open_dialog_creating (self, PS_SOURCE_POSIX),
                       GTK_WIDGET (self->posix_create_name_row));
}

/* Where a page starts: the field one types into to open something, so
 * typing at once and Enter open it. */
static GtkWidget *
first_input (PsOpenDialog *self)
{
  PsSourceKind kind = ps_open_dialog_get_kind (self);

  switch (kind)
    {
    case PS_SOURCE_SYSV:
      return GTK_WIDGET (ps_open_dialog_creating (self, kind) ? self->sysv_create_key_row : self->sysv_key_row);
    case PS_SOURCE_POSIX:
      return GTK_WIDGET (ps_open_dialog_creating (self, kind) ? self->posix_create_name_row : self->posix_name_row);
    case PS_SOURCE_ANON:
      return GTK_WIDGET (self->anon_size_row);
    case PS_SOURCE_PROCESS:
      return GTK_WIDGET (self->process_row);
    case PS_SOURCE_FILE:
    default:
      return GTK_WIDGET (self->path_row);
    }
}

/* ---- the file ---- */

/* The typed path, with ~ and file:// understood; NULL when empty. */
char *
ps_open_dialog_typed_path (PsOpenDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->path_row));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    return NULL;
  if (g_str_has_prefix (stripped, "file://"))
    {
      char *path = g_filename_from_uri (stripped, NULL, NULL);
      if (path != NULL)
        return path;
    }
  if (g_str_equal (stripped, "~") || g_str_has_prefix (stripped, "~/"))
    return g_build_filename (g_get_home_dir (), stripped + 1, NULL);
  /* a path may end in spaces; keep what was typed */
  return g_strdup (text);
}

static void
update_file_info (PsOpenDialog *self)
{
  g_autofree char *path = ps_open_dialog_typed_path (self);
  g_autofree char *text = NULL;
  struct stat st;

  if (path == NULL)
    text = g_strdup (_("No file chosen"));
  else if (stat (path, &st) != 0)
    text = g_strdup (g_strerror (errno));
  else if (S_ISDIR (st.st_mode))
    text = g_strdup (_("a directory"));
  else if (!S_ISREG (st.st_mode))
    text = g_strdup (_("not a regular file"));
  else
    {
      guint64 size = st.st_size;
      guint64 page = sysconf (_SC_PAGESIZE);
      guint64 n_pages = (size + page - 1) / page;
      g_autofree char *human = ps_format_size (size);
      g_autofree char *bytes = g_strdup_printf ("%" G_GUINT64_FORMAT, size);
      g_autofree char *pages = g_strdup_printf ("%" G_GUINT64_FORMAT, n_pages);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%s bytes), %s page", "%s (%s bytes), %s pages", n_pages),
                              human, bytes, pages);
      guint64 watch = ps_frame_file_watch_cost (size, (guint64) st.st_blocks * 512, page);

      /* a large file with data costs gigabytes to watch: say so before
       * opening it, not after the memory is gone */
      if (watch >= PS_WATCH_WARN_BYTES)
        {
          g_autofree char *cost = ps_format_size (watch);
          g_autofree char *head = g_steal_pointer (&text);

          text = g_strdup_printf (_("%s; watching it takes about %s of memory"), head, cost);
        }
    }
  gtk_label_set_text (self->file_size_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_size_label), text);
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     PsOpenDialog    *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      ps_open_dialog_show_error (self, GTK_WIDGET (self->path_row), _("That file is not on a local file system, so it cannot be mapped"));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->path_row), path);
  gtk_editable_set_position (GTK_EDITABLE (self->path_row), -1);
}

static void
action_choose_file (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PsOpenDialog *self = PS_OPEN_DIALOG (widget);
  g_autofree char *path = ps_open_dialog_typed_path (self);

  if (self->chooser == NULL)
    {
      self->chooser = gtk_file_chooser_native_new (_("Choose a File to Map"), GTK_WINDOW (self),
                                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
      gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
      g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
    }
  /* start where the typed path points */
  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), file, NULL);
      else if (g_file_query_exists (file, NULL))
        gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->chooser), file, NULL);
    }
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- the tables ---- */

/* Re-reads one table, SysV or POSIX: the table keeps its selection. */
static void
refresh_table (PsOpenDialog *self,
               PsSourceKind  kind)
{
  gboolean sysv = kind == PS_SOURCE_SYSV;
  PsSegmentTable *table = sysv ? self->sysv_table : self->posix_table;
  g_autoptr(GError) error = NULL;
  GtkLabel *empty_label = sysv ? self->sysv_empty_label : self->posix_empty_label;

  /* setting the selection back on the same segment fills no field */
  self->filling = TRUE;
  ps_segment_table_refresh (table, &error);
  self->filling = FALSE;
  gtk_label_set_text (empty_label, error != NULL ? error->message
                                   : sysv ? _("No SysV segments") : _("No POSIX segments in /dev/shm"));
  gtk_widget_set_visible (GTK_WIDGET (empty_label),
                          g_list_model_get_n_items (ps_segment_table_get_rows (table)) == 0);
  ps_open_dialog_show_hidden (self, kind);
}

void
ps_open_dialog_refresh (PsOpenDialog *self)
{
  g_return_if_fail (PS_IS_OPEN_DIALOG (self));

  refresh_table (self, PS_SOURCE_SYSV);
  refresh_table (self, PS_SOURCE_POSIX);
}

static gboolean
refresh_tick (gpointer data)
{
  PsOpenDialog *self = data;
  PsSourceKind kind = ps_open_dialog_get_kind (self);

  if (kind == PS_SOURCE_SYSV || kind == PS_SOURCE_POSIX)
    refresh_table (self, kind);
  return G_SOURCE_CONTINUE;
}

static void
action_refresh (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ps_open_dialog_refresh (PS_OPEN_DIALOG (widget));
}

static void
set_text (PsOpenDialog *self,
          AdwEntryRow  *row,
          const char   *text)
{
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  self->filling = FALSE;
}

/* A picked row fills the field the dialog attaches by: the shmid, which
 * also works for a segment marked for removal (its key reads 0). */
static void
fill_from_sysv (PsOpenDialog *self,
                PsSegmentRow   *item)
{
  adw_expander_row_set_enable_expansion (self->sysv_create_row, FALSE);
  set_text (self, self->sysv_key_row, ps_segment_row_get_id (item));
  gtk_drop_down_set_selected (self->sysv_by_dropdown, 1);
}

/* Shows a POSIX name escaped in the name row, and keeps it as it is for
 * opening while the row shows it. */
static void
set_posix_name (PsOpenDialog *self,
                const char   *name)
{
  g_free (self->picked_name);
  g_free (self->picked_text);
  self->picked_name = g_strdup (name);
  self->picked_text = ps_text_for_display (name);
  set_text (self, self->posix_name_row, self->picked_text);
}

static void
fill_from_posix (PsOpenDialog *self,
                 PsSegmentRow   *item)
{
  adw_expander_row_set_enable_expansion (self->posix_create_row, FALSE);
  set_posix_name (self, ps_segment_row_get_id (item));
}

static void
on_sysv_selected (GtkSingleSelection *selection,
                  GParamSpec         *pspec,
                  PsOpenDialog       *self)
{
  PsSegmentRow *item = gtk_single_selection_get_selected_item (selection);

  if (!self->filling && item != NULL)
    fill_from_sysv (self, item);
}

static void
on_posix_selected (GtkSingleSelection *selection,
                   GParamSpec         *pspec,
                   PsOpenDialog       *self)
{
  PsSegmentRow *item = gtk_single_selection_get_selected_item (selection);

  if (!self->filling && item != NULL)
    fill_from_posix (self, item);
}

static void
on_sysv_activate (GtkColumnView *view,
                  guint          position,
                  PsOpenDialog  *self)
{
  GtkSingleSelection *selection = ps_segment_table_get_selection (self->sysv_table);
  g_autoptr(PsSegmentRow) item = g_list_model_get_item (G_LIST_MODEL (selection), position);

  if (item == NULL)
    return;
  gtk_single_selection_set_selected (selection, position);
  fill_from_sysv (self, item);
  gtk_widget_activate_action (GTK_WIDGET (self), "dialog.open", NULL);
}

static void
on_posix_activate (GtkColumnView *view,
                   guint          position,
                   PsOpenDialog  *self)
{
  GtkSingleSelection *selection = ps_segment_table_get_selection (self->posix_table);
  g_autoptr(PsSegmentRow) item = g_list_model_get_item (G_LIST_MODEL (selection), position);

  if (item == NULL)
    return;
  gtk_single_selection_set_selected (selection, position);
  fill_from_posix (self, item);
  gtk_widget_activate_action (GTK_WIDGET (self), "dialog.open", NULL);
}

/* ---- edits ---- */

static void
on_field_changed (GtkEditable  *editable,
                  PsOpenDialog *self)
{
  clear_error (self);
}

static void
on_path_changed (GtkEditable  *editable,
                 PsOpenDialog *self)
{
  clear_error (self);
  update_file_info (self);
}

/* Typing a key or name of one's own: the table's pick no longer applies. */
static void
on_sysv_key_changed (GtkEditable  *editable,
                     PsOpenDialog *self)
{
  clear_error (self);
  if (!self->filling)
    gtk_single_selection_set_selected (ps_segment_table_get_selection (self->sysv_table),
                                       GTK_INVALID_LIST_POSITION);
}

static void
on_posix_name_changed (GtkEditable  *editable,
                       PsOpenDialog *self)
{
  clear_error (self);
  if (!self->filling)
    gtk_single_selection_set_selected (ps_segment_table_get_selection (self->posix_table),
                                       GTK_INVALID_LIST_POSITION);
}

static void
on_option_changed (GObject      *object,
                   GParamSpec   *pspec,
                   PsOpenDialog *self)
{
  clear_error (self);
}

static void
on_create_toggled (GObject      *object,
                   GParamSpec   *pspec,
                   PsOpenDialog *self)
{
  clear_error (self);
  update_mode (self);
}

static void
on_page_changed (GObject      *object,
                 GParamSpec   *pspec,
                 PsOpenDialog *self)
{
  clear_error (self);
  update_mode (self);
  refresh_tick (self);
  /* the processes are read when asked for: a walk of every /proc/PID/maps */
  if (ps_open_dialog_get_kind (self) == PS_SOURCE_PROCESS && self->process_pids->len == 0)
    ps_open_dialog_fill_processes (self);
  gtk_widget_grab_focus (first_input (self));
}

static void
remember (const PsSourceSpec *spec)
{
  if (spec->kind == PS_SOURCE_FILE)
    {
      g_free (last_path);
      last_path = g_strdup (spec->path);
    }
  else if (spec->kind == PS_SOURCE_POSIX && !spec->create)
    {
      g_free (last_posix_name);
      last_posix_name = g_strdup (spec->name);
    }
}

static void
action_open (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PsOpenDialog *self = PS_OPEN_DIALOG (widget);
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  GtkWidget *bad = NULL;
  gboolean opened;

  clear_error (self);
  if (!ps_open_dialog_build_checked_spec (self, &spec, &bad, &error))
    {
      ps_open_dialog_show_error (self, bad, error->message);
      return;
    }
  if (self->open_func == NULL)
    return;

  g_object_ref (self);
  opened = self->open_func (&spec, self->user_data, &error);
  if (opened)
    {
      remember (&spec);
      gtk_window_destroy (GTK_WINDOW (self));
    }
  else
    ps_open_dialog_show_open_error (self, &spec, error);
  g_object_unref (self);
}

/* ---- lifetime ---- */

static void
ps_open_dialog_map (GtkWidget *widget)
{
  PsOpenDialog *self = PS_OPEN_DIALOG (widget);

  GTK_WIDGET_CLASS (ps_open_dialog_parent_class)->map (widget);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_tick, self);
}

static void
ps_open_dialog_unmap (GtkWidget *widget)
{
  PsOpenDialog *self = PS_OPEN_DIALOG (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (ps_open_dialog_parent_class)->unmap (widget);
}

static void
ps_open_dialog_dispose (GObject *object)
{
  PsOpenDialog *self = PS_OPEN_DIALOG (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->error_row = NULL;
  g_clear_pointer (&self->picked_name, g_free);
  g_clear_pointer (&self->picked_text, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_OPEN_DIALOG);
  ps_open_dialog_process_dispose (self);
  g_clear_object (&self->sysv_table);
  g_clear_object (&self->posix_table);
  G_OBJECT_CLASS (ps_open_dialog_parent_class)->dispose (object);
}

static void
ps_open_dialog_class_init (PsOpenDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_open_dialog_dispose;
  widget_class->map = ps_open_dialog_map;
  widget_class->unmap = ps_open_dialog_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-open-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, open_button);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, path_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, file_size_label);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, private_switch);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, writable_switch);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, offset_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, length_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_view);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_empty_label);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_attach_group);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_key_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_by_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_writable_switch);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_create_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_create_key_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_create_size_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_create_mode_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_view);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_empty_label);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_open_group);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_name_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_private_switch);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_writable_switch);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_offset_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_length_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_create_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_create_name_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_create_size_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_create_mode_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, anon_size_row);
  ps_open_dialog_process_class_init (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_path_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_create_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_sysv_key_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_posix_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sysv_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_posix_activate);

  gtk_widget_class_install_action (widget_class, "dialog.open", NULL, action_open);
  gtk_widget_class_install_action (widget_class, "dialog.choose-file", NULL, action_choose_file);
  gtk_widget_class_install_action (widget_class, "dialog.refresh", NULL, action_refresh);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_open_dialog_init (PsOpenDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ps_open_dialog_process_init (self);

  self->sysv_table = ps_segment_table_new (PS_SOURCE_SYSV);
  self->posix_table = ps_segment_table_new (PS_SOURCE_POSIX);
  ps_segment_table_attach_view (self->sysv_table, self->sysv_view);
  ps_segment_table_attach_view (self->posix_table, self->posix_view);
  g_signal_connect_object (ps_segment_table_get_selection (self->sysv_table), "notify::selected",
                           G_CALLBACK (on_sysv_selected), self, 0);
  g_signal_connect_object (ps_segment_table_get_selection (self->posix_table), "notify::selected",
                           G_CALLBACK (on_posix_selected), self, 0);

  if (last_path != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->path_row), last_path);
  if (last_posix_name != NULL)
    set_posix_name (self, last_posix_name);
  update_file_info (self);
  update_mode (self);
  ps_open_dialog_refresh (self);
  gtk_window_set_focus (GTK_WINDOW (self), first_input (self));
}

PsOpenDialog *
ps_open_dialog_new (GtkWindow  *parent,
                    PsOpenFunc  open_func,
                    gpointer    user_data)
{
  PsOpenDialog *self = g_object_new (PS_TYPE_OPEN_DIALOG,
                                     "transient-for", parent,
                                     "modal", TRUE,
                                     NULL);

  self->open_func = open_func;
  self->user_data = user_data;
  return self;
}
