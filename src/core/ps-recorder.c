/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recorder in the main context: starts and stops, follows the
 * session's log and watches, and owns the queue the pass func fills and
 * the writer thread empties. */
#define G_LOG_DOMAIN "pagescope-recorder"

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "ps-recorder-private.h"

G_DEFINE_FINAL_TYPE (PsRecorder, ps_recorder, G_TYPE_OBJECT)

enum {
  SIGNAL_STOPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
ps_rec_row_clear (PsRecRow *row)
{
  g_clear_pointer (&row->data, g_free);
  g_clear_pointer (&row->data2, g_free);
}

gint64
ps_recorder_now (PsRecorder *self)
{
  return g_get_monotonic_time () - self->start_us;
}

static void
count_rows (PsRecorder     *self,
            const PsRecRow *rows,
            guint           n_rows)
{
  for (guint i = 0; i < n_rows; i++)
    switch (rows[i].kind)
      {
      case ROW_CHANGE: self->stats.changes++; break;
      case ROW_EVENT: self->stats.events++; break;
      case ROW_BYTES: self->stats.bytes += rows[i].len; break;
      case ROW_META:
        if (g_strcmp0 (rows[i].data, "cap_reached_us") == 0)
          self->stats.cap_reached = TRUE;
        break;
      default: break;
      }
}

void
ps_recorder_queue_rows (PsRecorder *self,
                        PsRecRow   *rows,
                        guint       n_rows)
{
  gboolean dropped = FALSE, first_drop = FALSE;

  if (n_rows == 0)
    return;
  g_mutex_lock (&self->lock);
  if (self->write_error != NULL || self->stopping)
    dropped = TRUE;
  else if (self->queue->len + n_rows > PS_RECORDER_MAX_QUEUED)
    {
      /* the writer fell behind: drop rather than grow without bound */
      first_drop = self->stats.dropped == 0;
      self->stats.dropped += n_rows;
      dropped = TRUE;
    }
  else
    {
      count_rows (self, rows, n_rows);
      g_array_append_vals (self->queue, rows, n_rows);
      g_cond_signal (&self->cond);
    }
  g_mutex_unlock (&self->lock);

  if (dropped)
    for (guint i = 0; i < n_rows; i++)
      ps_rec_row_clear (&rows[i]);
  if (first_drop && self->source != NULL)
    ps_event_log_add (ps_source_get_log (self->source), TRUE,
                      "record: the file is written more slowly than the scanner finds changes: rows dropped");
}

static void
queue_one (PsRecorder *self,
           PsRecRow   *row)
{
  ps_recorder_queue_rows (self, row, 1);
}

static void
queue_meta (PsRecorder *self,
            const char *key,
            gint64      value)
{
  PsRecRow row = { .kind = ROW_META, .t = ps_recorder_now (self), .flag = TRUE, .a = (guint64) value };

  row.data = g_strdup (key);
  queue_one (self, &row);
}

/* ---- the session's log ---------------------------------------------------- */

static void
on_log_changed (GListModel *log,
                guint       position,
                guint       removed,
                guint       added,
                PsRecorder *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(PsLogEntry) entry = g_list_model_get_item (log, i);
      PsRecRow row = { .kind = ROW_EVENT };

      row.t = MAX (ps_log_entry_get_time (entry) - self->start_real_us, 0);
      row.flag = ps_log_entry_is_error (entry);
      row.data = g_strdup (ps_log_entry_get_text (entry));
      queue_one (self, &row);
    }
}

/* ---- the watches ------------------------------------------------------------ */

static void
queue_watch_value (PsRecorder *self,
                   PsWatch    *watch,
                   gint64      t)
{
  const char *value = ps_watch_get_value (watch);
  const guint8 *bytes = ps_watch_get_bytes (watch);
  gsize size = ps_value_size (ps_watch_get_spec (watch)->format.type);
  PsRecRow row = { .kind = ROW_WATCH_VALUE, .t = t };

  if (value == NULL)
    return;
  row.data = g_strdup (ps_watch_get_name (watch));
  if (bytes != NULL)
    {
      gsize text_len = strlen (value);
      char *packed = g_malloc (text_len + 1 + size);

      /* the text, its NUL, then the bytes it was read from */
      memcpy (packed, value, text_len + 1);
      memcpy (packed + text_len + 1, bytes, size);
      row.data2 = packed;
      row.b = size;
    }
  queue_one (self, &row);
}

static void
on_watch_changed (PsWatch    *watch,
                  const char *old,
                  const char *new,
                  PsRecorder *self)
{
  queue_watch_value (self, watch, ps_recorder_now (self));
}

/* The pass func follows the pages the watches lie in. */
static void
update_watch_pages (PsRecorder *self)
{
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (guint64));

  for (guint i = 0; i < self->watch_objects->len; i++)
    {
      const PsWatchSpec *spec = ps_watch_get_spec (g_ptr_array_index (self->watch_objects, i));
      guint64 first = spec->offset / self->page_size;
      guint64 last = (spec->offset + ps_value_size (spec->format.type) - 1) / self->page_size;

      for (guint64 p = first; p <= last; p++)
        {
          gboolean seen = FALSE;

          for (guint j = 0; j < pages->len && !seen; j++)
            seen = g_array_index (pages, guint64, j) == p;
          if (!seen)
            g_array_append_val (pages, p);
        }
    }
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->watch_pages, g_array_unref);
  self->watch_pages = g_steal_pointer (&pages);
  self->watch_gen++;
  g_mutex_unlock (&self->lock);
}

/* The watches there at the start are there from its first instant. */
static void
add_watch (PsRecorder *self,
           PsWatch    *watch,
           guint       position)
{
  g_autofree char *spec = ps_watch_spec_to_string (ps_watch_get_spec (watch));
  gint64 t = self->recording ? ps_recorder_now (self) : 0;
  PsRecRow row = { .kind = ROW_WATCH_ADD, .t = t, .data = g_steal_pointer (&spec) };

  queue_one (self, &row);
  queue_watch_value (self, watch, t);
  g_signal_connect_object (watch, "changed", G_CALLBACK (on_watch_changed), self, 0);
  g_ptr_array_insert (self->watch_objects, position, g_object_ref (watch));
}

static void
on_watches_changed (GListModel *watches,
                    guint       position,
                    guint       removed,
                    guint       added,
                    PsRecorder *self)
{
  for (guint i = 0; i < removed; i++)
    {
      PsWatch *watch = g_ptr_array_index (self->watch_objects, position);
      PsRecRow row = { .kind = ROW_WATCH_REMOVE, .t = ps_recorder_now (self) };

      row.data = g_strdup (ps_watch_get_name (watch));
      queue_one (self, &row);
      g_signal_handlers_disconnect_by_data (watch, self);
      g_ptr_array_remove_index (self->watch_objects, position);
    }
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (watches, position + i);

      add_watch (self, watch, position + i);
    }
  update_watch_pages (self);
}

/* ---- start ------------------------------------------------------------------ */

static gboolean
write_start_meta (PsRecorder  *self,
                  GError     **error)
{
  PsSourceSpec *spec = ps_source_dup_spec (self->source);
  const PsGeometry *g = ps_source_get_geometry (self->source);
  struct { const char *key; char *value; } meta[] = {
    { "format", g_strdup_printf ("%d", PS_RECORDING_FORMAT) },
    { "pagescope_version", g_strdup (PACKAGE_VERSION) },
    { "source", NULL },
    { "source_name", g_strdup (ps_source_get_display_name (self->source)) },
    { "kind", g_strdup (ps_source_kind_to_string (ps_source_get_kind (self->source))) },
    { "private", g_strdup (ps_source_is_private (self->source) ? "1" : "0") },
    { "page_size", g_strdup_printf ("%" G_GUINT64_FORMAT, g->page_size) },
    { "n_pages", g_strdup_printf ("%" G_GUINT64_FORMAT, g->n_pages) },
    { "mapping_offset", g_strdup_printf ("%" G_GUINT64_FORMAT, g->offset) },
    { "mapping_length", g_strdup_printf ("%" G_GUINT64_FORMAT, g->length) },
    { "object_size", g_strdup_printf ("%" G_GUINT64_FORMAT, g->object_size) },
    { "start_unix_us", g_strdup_printf ("%" G_GINT64_FORMAT, self->start_real_us) },
    { "start_monotonic_us", g_strdup_printf ("%" G_GINT64_FORMAT, self->start_us) },
    { "interval_ms", g_strdup_printf ("%u", ps_session_get_interval (self->session)) },
    { "cap_bytes", g_strdup_printf ("%" G_GUINT64_FORMAT, self->cap) },
  };
  gboolean ok = TRUE;

  meta[2].value = ps_source_spec_to_string (spec);
  ps_source_spec_clear (spec);
  g_free (spec);
  ok = sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      ok = ok && ps_recording_write_meta (self->db, meta[i].key, meta[i].value, error);
      g_free (meta[i].value);
    }
  return ok && sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
}

static void on_source_changed (PsRecorder *self);

PsRecorder *
ps_recorder_start (PsSession        *session,
                   const char       *path,
                   guint64           cap_bytes,
                   PsRecorderFlags   flags,
                   GError          **error)
{
  g_autoptr(PsRecorder) self = NULL;
  PsEventLog *log;

  g_return_val_if_fail (PS_IS_SESSION (session), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!ps_session_is_open (session))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("record to %s: nothing is open"), path);
      return NULL;
    }
  self = g_object_new (PS_TYPE_RECORDER, NULL);
  self->session = g_object_ref (session);
  self->source = g_object_ref (ps_session_get_source (session));
  self->scanner = g_object_ref (ps_session_get_scanner (session));
  self->path = g_strdup (path);
  self->cap = cap_bytes;
  self->page_size = ps_source_get_geometry (self->source)->page_size;
  ps_rec_pass_init (&self->pass, self->page_size);

  self->db = ps_recording_create (path, (flags & PS_RECORDER_REPLACE) != 0, error);
  if (self->db == NULL)
    return NULL;
  self->start_us = g_get_monotonic_time ();
  self->start_real_us = g_get_real_time ();
  if (!write_start_meta (self, error))
    {
      sqlite3_close (g_steal_pointer (&self->db));
      unlink (path);
      return NULL;
    }
  self->writer = g_thread_new ("pagescope-record", ps_recorder_writer_thread, self);

  log = ps_session_get_log (session);
  self->log_handler = g_signal_connect (log, "items-changed", G_CALLBACK (on_log_changed), self);
  self->watches = g_object_ref (ps_session_get_watches (session));
  on_watches_changed (self->watches, 0, 0, g_list_model_get_n_items (self->watches), self);
  self->watches_handler = g_signal_connect (self->watches, "items-changed", G_CALLBACK (on_watches_changed), self);
  self->source_handler = g_signal_connect_swapped (session, "notify::source", G_CALLBACK (on_source_changed), self);
  self->recording = TRUE;
  self->pass_func = ps_scanner_add_pass_func (self->scanner, ps_recorder_on_pass, self, NULL);
  ps_event_log_add (log, FALSE, "record: to %s (changed bytes up to %" G_GUINT64_FORMAT " bytes)", path, cap_bytes);
  return g_steal_pointer (&self);
}

PsRecorder *
ps_recorder_start_detached (const char  *path,
                            gsize        page_size,
                            GError     **error)
{
  g_autoptr(PsRecorder) self = g_object_new (PS_TYPE_RECORDER, NULL);

  self->path = g_strdup (path);
  self->cap = PS_RECORDER_DEFAULT_CAP;
  self->page_size = page_size;
  ps_rec_pass_init (&self->pass, page_size);
  self->db = ps_recording_create (path, TRUE, error);
  if (self->db == NULL)
    return NULL;
  self->start_us = g_get_monotonic_time ();
  self->start_real_us = g_get_real_time ();
  {
    g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, page_size);

    if (!ps_recording_write_meta (self->db, "format", "1", error) ||
        !ps_recording_write_meta (self->db, "page_size", size, error))
      return NULL;
  }
  self->recording = TRUE;
  self->writer = g_thread_new ("pagescope-record", ps_recorder_writer_thread, self);
  return g_steal_pointer (&self);
}

/* ---- stop ------------------------------------------------------------------- */

/* The caller's part of a stop: nothing more comes in; the last rows go to
 * the queue and the writer is told. Then only the writer's end is left. */
static void
begin_stop (PsRecorder *self)
{
  gint64 t;

  self->recording = FALSE;
  if (self->pass_func != 0)
    ps_scanner_remove_pass_func (self->scanner, self->pass_func);
  self->pass_func = 0;
  if (self->log_handler != 0)
    {
      /* what was logged up to now is recorded */
      ps_event_log_flush (ps_session_get_log (self->session));
      g_clear_signal_handler (&self->log_handler, ps_session_get_log (self->session));
    }
  if (self->watches != NULL)
    g_clear_signal_handler (&self->watches_handler, self->watches);
  if (self->session != NULL)
    g_clear_signal_handler (&self->source_handler, self->session);
  for (guint i = 0; self->watch_objects != NULL && i < self->watch_objects->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watch_objects, i), self);

  /* the pass func is gone: its state is this thread's now */
  t = ps_recorder_now (self);
  ps_recorder_close_tracks (self, t);
  ps_recorder_queue_rows (self, (PsRecRow *) (gpointer) self->pass.rows->data, self->pass.rows->len);
  g_array_set_size (self->pass.rows, 0);
  queue_meta (self, "end_us", t);
  g_mutex_lock (&self->lock);
  if (self->stats.dropped > 0)
    {
      PsRecRow row = { .kind = ROW_META, .t = t, .flag = TRUE, .a = self->stats.dropped };

      row.data = g_strdup ("dropped_rows");
      g_array_append_val (self->queue, row);
    }
  self->stats.duration_us = t;
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
end_stop (PsRecorder  *self,
          GError     **error)
{
  PsRecordStats stats;

  if (self->writer != NULL)
    g_thread_join (g_steal_pointer (&self->writer));
  ps_recorder_get_stats (self, &stats);
  if (self->session != NULL && !self->finished)
    ps_event_log_add (ps_session_get_log (self->session), self->write_error != NULL,
                      "record: %s: %" G_GUINT64_FORMAT " page changes, %" G_GUINT64_FORMAT
                      " events, %" G_GUINT64_FORMAT " bytes of changed ranges in %.1f s%s%s",
                      self->path, stats.changes, stats.events, stats.bytes, stats.duration_us / 1e6,
                      self->write_error != NULL ? "; writing failed: " : "",
                      self->write_error != NULL ? self->write_error->message : "");
  self->finished = TRUE;
  if (self->write_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->write_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
ps_recorder_stop (PsRecorder  *self,
                  GError     **error)
{
  g_return_val_if_fail (PS_IS_RECORDER (self), FALSE);

  if (self->recording)
    begin_stop (self);
  return end_stop (self, error);
}

static void
join_writer (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PsRecorder *self = source_object;
  GThread *writer = g_steal_pointer (&self->writer);

  if (writer != NULL)
    g_thread_join (writer);
  g_task_return_boolean (task, TRUE);
}

void
ps_recorder_stop_async (PsRecorder          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PS_IS_RECORDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_recorder_stop_async);
  if (self->recording)
    begin_stop (self);
  /* only the join is left, and the writer ends by itself: not cancellable */
  g_task_run_in_thread (task, join_writer);
}

gboolean
ps_recorder_stop_finish (PsRecorder    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  g_task_propagate_boolean (G_TASK (result), NULL);
  return end_stop (self, error);
}

static void
on_self_stopped (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  PsRecorder *self = PS_RECORDER (object);
  g_autoptr(GError) error = NULL;

  ps_recorder_stop_finish (self, result, &error);
  g_signal_emit (self, signals[SIGNAL_STOPPED], 0, error);
}

/* The writer could not write (the disk is full): the recording ends. */
gboolean
ps_recorder_on_write_failed (gpointer data)
{
  PsRecorder *self = data;

  if (self->recording)
    ps_recorder_stop_async (self, NULL, on_self_stopped, NULL);
  return G_SOURCE_REMOVE;
}

/* The session's source went (closed, or another opened): the recording ends. */
static void
on_source_changed (PsRecorder *self)
{
  if (self->recording && ps_session_get_source (self->session) != self->source)
    ps_recorder_stop_async (self, NULL, on_self_stopped, NULL);
}

/* ---- accessors ---------------------------------------------------------------- */

const char *
ps_recorder_get_path (PsRecorder *self)
{
  g_return_val_if_fail (PS_IS_RECORDER (self), NULL);
  return self->path;
}

guint64
ps_recorder_get_cap (PsRecorder *self)
{
  g_return_val_if_fail (PS_IS_RECORDER (self), 0);
  return self->cap;
}

gboolean
ps_recorder_is_recording (PsRecorder *self)
{
  g_return_val_if_fail (PS_IS_RECORDER (self), FALSE);
  return self->recording;
}

void
ps_recorder_get_stats (PsRecorder    *self,
                       PsRecordStats *stats)
{
  g_return_if_fail (PS_IS_RECORDER (self));
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&self->lock);
  *stats = self->stats;
  if (!self->stopping)
    stats->duration_us = ps_recorder_now (self);
  g_mutex_unlock (&self->lock);
}

/* ---- GObject ------------------------------------------------------------------ */

static void
ps_recorder_dispose (GObject *object)
{
  PsRecorder *self = PS_RECORDER (object);

  /* nobody holds it any more: the file is finished, never left half written */
  if (self->recording)
    begin_stop (self);
  if (self->writer != NULL)
    g_thread_join (g_steal_pointer (&self->writer));
  g_clear_object (&self->scanner);
  g_clear_object (&self->watches);
  g_clear_object (&self->source);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_recorder_parent_class)->dispose (object);
}

static void
ps_recorder_finalize (GObject *object)
{
  PsRecorder *self = PS_RECORDER (object);

  if (self->db != NULL)
    sqlite3_close (self->db);
  ps_rec_pass_clear (&self->pass);
  for (guint i = 0; i < self->queue->len; i++)
    ps_rec_row_clear (&g_array_index (self->queue, PsRecRow, i));
  g_array_unref (self->queue);
  g_clear_pointer (&self->watch_pages, g_array_unref);
  g_clear_pointer (&self->watch_objects, g_ptr_array_unref);
  g_clear_error (&self->write_error);
  g_main_context_unref (self->context);
  g_free (self->path);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (ps_recorder_parent_class)->finalize (object);
}

static void
ps_recorder_class_init (PsRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_recorder_dispose;
  object_class->finalize = ps_recorder_finalize;

  signals[SIGNAL_STOPPED] =
    g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
ps_recorder_init (PsRecorder *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->queue = g_array_new (FALSE, FALSE, sizeof (PsRecRow));
  self->watch_pages = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->watch_objects = g_ptr_array_new_with_free_func (g_object_unref);
  self->context = g_main_context_ref_thread_default ();
}
