/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Snapshot and diff in the window: win.freeze (a sweep of every page, then copy
 * on first change: ps_snapshot_freeze_async),
 * win.compare-file (any file of the mapping's size, compared in a worker
 * thread), win.save-snapshot, win.stop-diff and win.diff-only-changed. The
 * pages that differ are tinted in the grid and the hex view as highlights,
 * a range per run of pages (at most MAX_RUNS: beyond that, runs a small
 * gap apart are joined), so a diff of a 1 GiB mapping costs what changed;
 * the diff view over the hex view says how many differ, and with only
 * changed rows lists them, old bytes under new. */
#define G_LOG_DOMAIN "pagescope-diff"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ps-window-time.h"

#define DIFF_RGBA 0xe01b24b0u   /* libadwaita red 3, strong: a page that differs */
#define MAX_RUNS  4096

PsSnapshot *
ps_window_get_snapshot (PsWindow *self)
{
  return self->time->snapshot;
}

PsDiffView *
ps_window_get_diff_view (PsWindow *self)
{
  return self->time->diff_view;
}

/* ---- highlights ------------------------------------------------------------------ */

/* Runs of the pages (ascending), joining runs at most gap pages apart. */
static GArray *
page_runs (GArray  *pages,
           guint64  gap)
{
  GArray *runs = g_array_new (FALSE, FALSE, sizeof (guint64) * 2);

  for (guint i = 0; i < pages->len; i++)
    {
      guint64 page = g_array_index (pages, guint64, i);
      guint64 *last = runs->len > 0 ? &g_array_index (runs, guint64, 2 * (runs->len - 1)) : NULL;

      if (last != NULL && page <= last[0] + last[1] + gap)
        last[1] = page + 1 - last[0];
      else
        {
          guint64 run[2] = { page, 1 };

          g_array_append_vals (runs, run, 1);
        }
    }
  return runs;
}

PsHighlight *
ps_window_diff_highlights (PsWindow *self,
                           guint    *n_ranges)
{
  PsSnapshot *snapshot = self->time != NULL ? self->time->snapshot : NULL;
  g_autoptr(GArray) pages = NULL;
  g_autoptr(GArray) runs = NULL;
  PsSource *source = ps_session_get_source (self->session);
  guint64 page_size, gap = 0;
  PsHighlight *ranges;

  *n_ranges = 0;
  if (snapshot == NULL || source == NULL)
    return NULL;
  page_size = ps_source_get_geometry (source)->page_size;
  pages = ps_snapshot_get_changed_pages (snapshot);
  runs = page_runs (pages, gap);
  while (runs->len > MAX_RUNS)
    {
      gap = gap == 0 ? 1 : gap * 2;
      g_array_unref (runs);
      runs = page_runs (pages, gap);
    }
  ranges = g_new (PsHighlight, MAX (runs->len, 1));
  for (guint i = 0; i < runs->len; i++)
    {
      guint64 *run = &g_array_index (runs, guint64, 2 * i);

      ranges[i] = (PsHighlight) { run[0] * page_size, run[1] * page_size, DIFF_RGBA };
    }
  *n_ranges = runs->len;
  return ranges;
}

/* ---- the diff shown ---------------------------------------------------------------- */

static void
show_hex (PsWindow *self,
          gboolean  visible)
{
  /* the box of the hex view and the side pane: the diff's rows take all
   * of its place */
  gtk_widget_set_visible (gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->hex))), visible);
}

static void
on_row_activated (PsDiffView *view,
                  guint64     offset,
                  PsWindow   *self)
{
  ps_window_set_diff_only_changed (self, FALSE);
  ps_hex_view_goto (self->hex, offset);
  gtk_widget_grab_focus (GTK_WIDGET (self->hex));
}

static void
ensure_view (PsWindow *self)
{
  PsWindowTime *t = self->time;
  GtkWidget *hex_box;

  if (t->diff_view != NULL)
    return;
  /* above the box of the hex view and the side pane, under the find bar */
  hex_box = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (self->hex)));
  t->diff_view = PS_DIFF_VIEW (ps_diff_view_new ());
  gtk_widget_insert_before (GTK_WIDGET (t->diff_view), gtk_widget_get_parent (hex_box), hex_box);
  g_signal_connect_object (t->diff_view, "row-activated", G_CALLBACK (on_row_activated), self, 0);
  /* its rows are as wide as the hex view's */
  g_object_bind_property (self->hex, "bytes-per-row", t->diff_view, "bytes-per-row", G_BINDING_SYNC_CREATE);
}

static void
set_snapshot (PsWindow   *self,
              PsSnapshot *snapshot)
{
  PsWindowTime *t = self->time;

  if (t->snapshot != NULL)
    g_signal_handlers_disconnect_by_data (t->snapshot, self);
  g_set_object (&t->snapshot, snapshot);
  if (snapshot != NULL)
    {
      ensure_view (self);
      g_signal_connect_object (snapshot, "changed", G_CALLBACK (ps_window_update_highlights), self,
                               G_CONNECT_SWAPPED);
    }
  if (t->diff_view != NULL)
    {
      ps_diff_view_set_snapshot (t->diff_view, snapshot);
      gtk_widget_set_visible (GTK_WIDGET (t->diff_view), snapshot != NULL);
    }
  if (snapshot == NULL)
    ps_window_set_diff_only_changed (self, FALSE);
  ps_window_update_highlights (self);
  ps_window_time_update_actions (self);
}

void
ps_window_diff_stop (PsWindow *self)
{
  if (self->time->comparing != NULL)
    g_cancellable_cancel (self->time->comparing);
  g_clear_object (&self->time->comparing);
  if (self->time->snapshot != NULL)
    set_snapshot (self, NULL);
}

gboolean
ps_window_get_diff_only_changed (PsWindow *self)
{
  return self->time != NULL && self->time->only_changed;
}

void
ps_window_set_diff_only_changed (PsWindow *self,
                                 gboolean  only_changed)
{
  PsWindowTime *t = self->time;

  only_changed = only_changed && t->snapshot != NULL;
  if (only_changed == t->only_changed)
    return;
  t->only_changed = only_changed;
  if (t->diff_view != NULL)
    ps_diff_view_set_only_changed (t->diff_view, only_changed);
  show_hex (self, !only_changed);
  g_object_notify (G_OBJECT (self), "diff-only-changed");
}

/* ---- actions --------------------------------------------------------------------------- */

static void
on_frozen (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSnapshot) snapshot = ps_snapshot_freeze_finish (result, &error);

  if (self->time == NULL)
    return;
  if (snapshot == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ps_window_show_error (self, error);
      return;
    }
  g_clear_object (&self->time->comparing);
  set_snapshot (self, snapshot);
  ps_window_show_toast (self, _("Frozen: the pages that change from now on are shown in red"));
}

/* The snapshot is taken once the scanner has read every page after this
 * (ps_snapshot_freeze_async): a worker thread waits for that sweep, the
 * main loop never does. */
void
ps_window_freeze (PsWindow *self)
{
  PsWindowTime *t = self->time;

  if (!ps_session_is_open (self->session))
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                                                     _("freeze: nothing is open"));

      ps_window_show_error (self, error);
      return;
    }
  ps_window_diff_stop (self);
  t->comparing = g_cancellable_new ();
  ps_snapshot_freeze_async (self->session, t->comparing, on_frozen, g_object_ref (self));
}

static void
action_freeze (GtkWidget  *widget,
               const char *name,
               GVariant   *parameter)
{
  ps_window_freeze (PS_WINDOW (widget));
}

static void
on_compared (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSnapshot) snapshot = ps_snapshot_compare_file_finish (result, &error);

  if (self->time == NULL)
    return;
  g_clear_object (&self->time->comparing);
  if (snapshot == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ps_window_show_error (self, error);
      return;
    }
  set_snapshot (self, snapshot);
}

void
ps_window_compare_file (PsWindow   *self,
                        const char *path)
{
  PsWindowTime *t = self->time;

  ps_window_diff_stop (self);
  t->comparing = g_cancellable_new ();
  ps_snapshot_compare_file_async (self->session, path, t->comparing, on_compared, g_object_ref (self));
  ps_window_show_toast (self, _("Comparing with the file…"));
}

static void
compare_chosen (PsWindow   *self,
                const char *path,
                const char *choice)
{
  ps_window_compare_file (self, path);
}

static void
action_compare_file (GtkWidget  *widget,
                     const char *name,
                     GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  const char *path = g_variant_get_string (parameter, NULL);

  if (path[0] != '\0')
    {
      ps_window_compare_file (self, path);
      return;
    }
  ps_window_time_choose (self, _("Compare With a File of the Same Size"), GTK_FILE_CHOOSER_ACTION_OPEN,
                         _("_Compare"), NULL, compare_chosen);
  gtk_native_dialog_show (self->time->chooser);
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  PsSnapshot *snapshot = PS_SNAPSHOT (object);
  const char *path = g_object_get_data (G_OBJECT (self), "ps-snapshot-path");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint64 n_unknown = 0;

  if (!ps_snapshot_save_finish (snapshot, result, &n_unknown, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ps_window_show_error (self, error);
      return;
    }
  if (n_unknown > 0)
    /* TRANSLATORS: a toast after saving a snapshot some of whose old pages were not known */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Snapshot saved to %s; %" PRIu64 " changed page whose old bytes were not kept is left as zeros",
                                         "Snapshot saved to %s; %" PRIu64 " changed pages whose old bytes were not kept are left as zeros",
                                         n_unknown), path, n_unknown);
  else
    text = g_strdup_printf (_("Snapshot saved to %s"), path);
  ps_window_show_toast (self, text);
}

void
ps_window_save_snapshot (PsWindow   *self,
                         const char *path)
{
  PsSnapshot *snapshot = self->time->snapshot;

  if (snapshot == NULL)
    return;
  ps_snapshot_save_async (snapshot, path, self->time->cancellable, on_saved, g_object_ref (self));
  /* the path for the toast: kept on the window until the save finishes */
  g_object_set_data_full (G_OBJECT (self), "ps-snapshot-path", g_strdup (path), g_free);
}

static void
save_chosen (PsWindow   *self,
             const char *path,
             const char *choice)
{
  ps_window_save_snapshot (self, path);
}

static void
action_save_snapshot (GtkWidget  *widget,
                      const char *name,
                      GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autofree char *file_name = ps_window_time_file_name (self, ".snapshot");

  ps_window_time_choose (self, _("Save the Snapshot"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), file_name,
                         save_chosen);
  gtk_native_dialog_show (self->time->chooser);
}

static void
action_stop_diff (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  ps_window_diff_stop (PS_WINDOW (widget));
}

void
ps_window_diff_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.freeze", NULL, action_freeze);
  gtk_widget_class_install_action (widget_class, "win.compare-file", "s", action_compare_file);
  gtk_widget_class_install_action (widget_class, "win.save-snapshot", NULL, action_save_snapshot);
  gtk_widget_class_install_action (widget_class, "win.stop-diff", NULL, action_stop_diff);
  gtk_widget_class_install_property_action (widget_class, "win.diff-only-changed", "diff-only-changed");
}

void
ps_window_diff_dispose (PsWindow *self)
{
  PsWindowTime *t = self->time;

  if (t->comparing != NULL)
    g_cancellable_cancel (t->comparing);
  g_clear_object (&t->comparing);
  if (t->snapshot != NULL)
    g_signal_handlers_disconnect_by_data (t->snapshot, self);
  g_clear_object (&t->snapshot);
}
