/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A window replaying a recording. Its session stays closed (so every
 * action that acts on a mapping is disabled, and the replay bar says why);
 * the timeline's position is the time shown: the grid gets
 * ps_replay_get_frame at that time, the hex view reads the recorded bytes
 * (ps_replay_get_bytes, which says which were recorded), the Watches page
 * the values then. A frame at T is made against the clock now, so while
 * the replay stands still it is made again a few times a second: the heat
 * stays as it was at T instead of cooling on screen. */
#define G_LOG_DOMAIN "pagescope-replay"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ps-headless.h"
#include "ps-window-time.h"

#define REFRESH_MS 250

struct _PsReplayBytes
{
  PsReplay *replay;
  gint64    t_us;
};

static void
replay_bytes_free (gpointer data)
{
  PsReplayBytes *bytes = data;

  g_clear_object (&bytes->replay);
  g_free (bytes);
}

/* The hex view's reader: the bytes as recorded at the time shown. */
static void
read_replay_bytes (gpointer  user_data,
                   guint64   offset,
                   gsize     len,
                   guint8   *bytes,
                   guint8   *kinds)
{
  PsReplayBytes *r = user_data;
  const PsGeometry *g = ps_replay_get_geometry (r->replay);

  ps_replay_get_bytes (r->replay, r->t_us, offset, len, bytes, kinds);
  for (gsize i = 0; i < len; i++)
    {
      if ((offset + i) / g->page_size >= g->n_inside)
        kinds[i] = PS_HEX_BYTE_PAST_EOF;
      else
        switch (kinds[i])
          {
          case PS_REPLAY_BYTE_RECORDED: kinds[i] = PS_HEX_BYTE_DATA; break;
          case PS_REPLAY_BYTE_STALE: kinds[i] = PS_HEX_BYTE_STALE; break;
          default: kinds[i] = PS_HEX_BYTE_UNKNOWN; break;
          }
    }
}

gboolean
ps_window_is_replay (PsWindow *self)
{
  return self->time != NULL && self->time->replay_path != NULL;
}

PsReplay *
ps_window_get_replay (PsWindow *self)
{
  return self->time->replay;
}

PsReplayBar *
ps_window_get_replay_bar (PsWindow *self)
{
  return self->time->replay_bar;
}

/* ---- the time shown -------------------------------------------------------------- */

static void
show_frame (PsWindow *self,
            gint64    t_us)
{
  PsFrame *frame = ps_replay_get_frame (self->time->replay, t_us, g_get_monotonic_time ());

  ps_page_grid_set_frame (self->grid, frame);
  ps_frame_unref (frame);
}

static void
show_watches (PsWindow *self,
              gint64    t_us)
{
  PsWindowTime *t = self->time;
  guint n = ps_replay_get_n_watches (t->replay);

  for (guint i = 0; i < n; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (t->replay_watches, (int) i);
      AdwActionRow *action_row = row != NULL ? ADW_ACTION_ROW (row) : NULL;
      const char *value = ps_replay_get_watch_value (t->replay, i, t_us, NULL);

      if (action_row != NULL)
        adw_action_row_set_subtitle (action_row, value != NULL ? value : _("not read yet at this time"));
    }
}

static void
on_position (PsWindow *self)
{
  PsWindowTime *t = self->time;
  gint64 t_us = ps_timeline_get_position (ps_replay_bar_get_timeline (t->replay_bar));

  if (t->replay == NULL)
    return;
  show_frame (self, t_us);
  t->replay_bytes->t_us = t_us;
  ps_hex_view_reload (self->hex);
  show_watches (self, t_us);
  ps_window_replay_log_show (self, t_us);
}

static gboolean
on_refresh (gpointer data)
{
  PsWindow *self = data;
  PsWindowTime *t = self->time;

  /* playing makes a frame every frame already */
  if (t->replay != NULL && !ps_replay_bar_get_playing (t->replay_bar))
    show_frame (self, ps_timeline_get_position (ps_replay_bar_get_timeline (t->replay_bar)));
  return G_SOURCE_CONTINUE;
}

/* ---- the watches page -------------------------------------------------------------- */

static void
fill_watches (PsWindow *self)
{
  PsWindowTime *t = self->time;
  guint n = ps_replay_get_n_watches (t->replay);
  GtkWidget *scroller;
  AdwViewStackPage *page;

  t->replay_watches = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (t->replay_watches, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (t->replay_watches), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (t->replay_watches), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The recorded watches and their values at the time shown"), -1);
  gtk_list_box_set_placeholder (t->replay_watches, gtk_label_new (_("No watches were recorded")));
  for (guint i = 0; i < n; i++)
    {
      const PsWatchSpec *spec = ps_replay_get_watch (t->replay, i);
      g_autofree char *title = ps_watch_spec_to_string (spec);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_add_css_class (row, "property");
      gtk_list_box_append (t->replay_watches, row);
    }
  scroller = gtk_scrolled_window_new ();
  gtk_widget_set_margin_start (GTK_WIDGET (t->replay_watches), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (t->replay_watches), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (t->replay_watches), 6);
  gtk_widget_set_valign (GTK_WIDGET (t->replay_watches), GTK_ALIGN_START);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (t->replay_watches));
  page = adw_view_stack_add_titled (self->side_stack, scroller, "replay-watches", _("Recorded Watches"));
  adw_view_stack_page_set_icon_name (page, "view-reveal-symbolic");
  t->replay_watches_page = scroller;
  /* the live watches have nothing to show here */
  adw_view_stack_page_set_visible (adw_view_stack_get_page (self->side_stack, GTK_WIDGET (self->watches)), FALSE);
  adw_view_stack_set_visible_child (self->side_stack, scroller);
  if (n > 0)
    gtk_revealer_set_reveal_child (self->side_revealer, TRUE);
}

/* ---- loading ------------------------------------------------------------------------ */

static void
show_replay (PsWindow *self,
             PsReplay *replay)
{
  PsWindowTime *t = self->time;
  const PsGeometry *g = ps_replay_get_geometry (replay);
  PsTimeline *timeline = ps_replay_bar_get_timeline (t->replay_bar);
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;

  t->replay = g_object_ref (replay);
  t->replay_bytes = g_new0 (PsReplayBytes, 1);
  t->replay_bytes->replay = g_object_ref (replay);
  ps_hex_view_set_reader (self->hex, g->length, g->page_size, read_replay_bytes, t->replay_bytes, replay_bytes_free);
  ps_replay_bar_set_replay (t->replay_bar, replay);
  g_signal_connect_object (timeline, "notify::position", G_CALLBACK (on_position), self, G_CONNECT_SWAPPED);
  fill_watches (self);
  ps_window_replay_log_start (self);
  on_position (self);
  t->replay_refresh = g_timeout_add (REFRESH_MS, on_refresh, self);

  /* TRANSLATORS: the window's title while it replays a recording of NAME */
  title = g_strdup_printf (_("Replay of %s"), ps_replay_get_source_name (replay));
  subtitle = g_strdup_printf (ps_replay_is_complete (replay) ? _("%s · %.1f s, %" PRIu64 " changes · read-only")
                                                             : _("%s · %.1f s, %" PRIu64 " changes, cut short · read-only"),
                              t->replay_path, ps_replay_get_duration (replay) / 1e6, ps_replay_get_n_changes (replay));
  adw_window_title_set_title (self->title, title);
  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
  ps_window_time_update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (timeline));
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsReplay) replay = ps_replay_open_finish (result, &error);
  PsWindowTime *t = self->time;

  if (t == NULL || t->replay_path == NULL)
    return;    /* the window went, or left the replay */
  g_clear_object (&t->loading);
  if (replay != NULL)
    {
      show_replay (self, replay);
      return;
    }
  ps_window_replay_leave (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ps_window_show_toast (self, _("Reading the recording was cancelled"));
      return;
    }
  adw_status_page_set_icon_name (self->error_page, "dialog-error-symbolic");
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  adw_window_title_set_subtitle (self->title, _("Could not open"));
}

/* The replay bar goes under the grid, in the box that holds the grid and
 * its legend (whatever the panes' arrangement). */
static void
add_bar (PsWindow *self)
{
  PsWindowTime *t = self->time;
  GtkWidget *box = GTK_WIDGET (self->grid);

  while (box != NULL && gtk_widget_get_parent (box) != GTK_WIDGET (self->hpaned))
    box = gtk_widget_get_parent (box);
  g_return_if_fail (GTK_IS_BOX (box));
  t->replay_bar = PS_REPLAY_BAR (ps_replay_bar_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (t->replay_bar));
}

void
ps_window_open_recording (PsWindow   *self,
                          const char *path)
{
  PsWindowTime *t;

  g_return_if_fail (PS_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  /* this window shows something: the replay gets its own window */
  if (ps_session_is_open (self->session) || ps_window_is_replay (self))
    {
      PsWindow *window = ps_window_new (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));

      ps_window_open_recording (window, path);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  t = self->time;
  t->replay_path = g_strdup (path);
  t->loading = g_cancellable_new ();
  add_bar (self);
  ps_replay_bar_show_loading (t->replay_bar, t->loading);
  gtk_stack_set_visible_child_name (self->stack, "main");
  adw_window_title_set_title (self->title, _("Replay"));
  adw_window_title_set_subtitle (self->title, path);
  ps_window_time_update_actions (self);
  ps_replay_open_async (path, t->loading, on_loaded, g_object_ref (self));
}

void
ps_window_replay_leave (PsWindow *self)
{
  PsWindowTime *t = self->time;

  if (t->replay_path == NULL)
    return;
  if (t->loading != NULL)
    g_cancellable_cancel (t->loading);
  g_clear_object (&t->loading);
  g_clear_handle_id (&t->replay_refresh, g_source_remove);
  if (t->replay_bar != NULL)
    gtk_widget_unparent (GTK_WIDGET (t->replay_bar));
  t->replay_bar = NULL;
  if (t->replay_watches_page != NULL)
    {
      adw_view_stack_remove (self->side_stack, t->replay_watches_page);
      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->side_stack, GTK_WIDGET (self->watches)), TRUE);
    }
  t->replay_watches_page = NULL;
  t->replay_watches = NULL;
  t->replay_bytes = NULL;       /* the hex view's: freed with its reader */
  ps_window_replay_log_stop (self);
  if (t->replay != NULL && !ps_session_is_open (self->session))
    {
      ps_hex_view_set_source (self->hex, NULL);
      ps_page_grid_set_frame (self->grid, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  g_clear_object (&t->replay);
  g_clear_pointer (&t->replay_path, g_free);
  ps_window_time_update_actions (self);
}

/* ---- export ------------------------------------------------------------------------- */

typedef struct
{
  char     *recording;
  char     *path;
  gboolean  json;
  gboolean  watches;
} Export;

static void
export_free (Export *e)
{
  g_free (e->recording);
  g_free (e->path);
  g_free (e);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *e = task_data;
  FILE *out = fopen (e->path, "w");
  int saved;

  if (out == NULL)
    {
      saved = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved), "fopen(%s): %s", e->path,
                               g_strerror (saved));
      return;
    }
  if (ps_headless_export_events (e->recording, e->json, e->watches, out) != 0)
    {
      fclose (out);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not read the recording %s"),
                               e->recording);
      return;
    }
  if (fclose (out) != 0)
    {
      saved = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved), "fclose(%s): %s", e->path,
                               g_strerror (saved));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_exported (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PsWindow *self = PS_WINDOW (object);
  Export *e = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ps_window_show_error (self, error);
      return;
    }
  text = g_strdup_printf (_("Exported to %s"), e->path);
  ps_window_show_toast (self, text);
}

void
ps_window_export_recording (PsWindow   *self,
                            const char *kind,
                            const char *path)
{
  g_autoptr(GTask) task = NULL;
  Export *e = g_new0 (Export, 1);

  e->recording = g_strdup (self->time->replay_path);
  e->path = g_strdup (path);
  e->json = g_strcmp0 (kind, "jsonl") == 0;
  e->watches = g_strcmp0 (kind, "watches") == 0;
  task = g_task_new (self, self->time->cancellable, on_exported, NULL);
  g_task_set_source_tag (task, ps_window_export_recording);
  g_task_set_task_data (task, e, (GDestroyNotify) export_free);
  g_task_run_in_thread (task, export_thread);
}

static void
export_chosen (PsWindow   *self,
               const char *path,
               const char *choice)
{
  const char *kind = g_object_get_data (G_OBJECT (self->time->chooser), "ps-export-kind");

  ps_window_export_recording (self, kind, path);
}

static void
action_export_recording (GtkWidget  *widget,
                         const char *name,
                         GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  const char *kind = g_variant_get_string (parameter, NULL);
  g_autofree char *base = NULL;
  g_autofree char *file_name = NULL;
  const char *suffix;

  if (g_strcmp0 (kind, "csv") == 0)
    suffix = "-changes.csv";
  else if (g_strcmp0 (kind, "jsonl") == 0)
    suffix = "-changes.jsonl";
  else if (g_strcmp0 (kind, "watches") == 0)
    suffix = "-watches.csv";
  else
    {
      g_autofree char *text = g_strdup_printf (_("export-recording: “%s” is not csv, jsonl or watches"), kind);

      ps_window_show_toast (self, text);
      return;
    }
  if (self->time->replay == NULL)
    return;
  base = g_path_get_basename (self->time->replay_path);
  if (g_str_has_suffix (base, ".pagescope-trace"))
    base[strlen (base) - strlen (".pagescope-trace")] = '\0';
  file_name = g_strconcat (base, suffix, NULL);
  ps_window_time_choose (self, _("Export the Recording"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), file_name,
                         export_chosen);
  g_object_set_data_full (G_OBJECT (self->time->chooser), "ps-export-kind", g_strdup (kind), g_free);
  gtk_native_dialog_show (self->time->chooser);
}

static void
open_chosen (PsWindow   *self,
             const char *path,
             const char *choice)
{
  ps_window_open_recording (self, path);
}

static void
action_open_recording (GtkWidget  *widget,
                       const char *name,
                       GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  g_autoptr(GtkFileFilter) filter = NULL;
  GtkFileChooser *chooser;

  if (path[0] != '\0')
    {
      ps_window_open_recording (self, path);
      return;
    }
  chooser = ps_window_time_choose (self, _("Replay a Recording"), GTK_FILE_CHOOSER_ACTION_OPEN, _("_Replay"), NULL,
                                   open_chosen);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Pagescope recordings"));
  gtk_file_filter_add_pattern (filter, "*.pagescope-trace");
  gtk_file_chooser_add_filter (chooser, filter);
  gtk_native_dialog_show (self->time->chooser);
}

void
ps_window_replay_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-recording", "s", action_open_recording);
  gtk_widget_class_install_action (widget_class, "win.export-recording", "s", action_export_recording);
}

void
ps_window_replay_dispose (PsWindow *self)
{
  PsWindowTime *t = self->time;

  if (t->loading != NULL)
    g_cancellable_cancel (t->loading);
  g_clear_object (&t->loading);
  g_clear_handle_id (&t->replay_refresh, g_source_remove);
  g_clear_object (&t->replay_log);
  g_clear_object (&t->replay);
  g_clear_pointer (&t->replay_path, g_free);
}
