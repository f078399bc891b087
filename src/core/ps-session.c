/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session: one opened source and everything done to it. The window, the
 * dialogs, scripting, the headless modes and the tests act through it; it
 * knows nothing of them. Long work never runs on the caller's thread for
 * more than a moment: msync runs in a worker thread, probes are reaped by a
 * GChildWatch, a sweep keeps a few probes in flight. */
#define G_LOG_DOMAIN "pagescope-session"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>

#include "ps-export.h"
#include "ps-session.h"

#define MAX_UNDO          100
#define MAX_UNDO_BYTES    (64 * 1024 * 1024)
#define SWEEP_IN_FLIGHT   2          /* children at a time: one per core here */
#define MARKS_NOTIFY_MS   100        /* a sweep repaints its marks at most this often */

/* ---- boxed types --------------------------------------------------------- */

#define DEFINE_PLAIN_BOXED(TypeName, type_name)                                    \
  static TypeName *type_name##_copy (const TypeName *v) { return g_memdup2 (v, sizeof *v); } \
  G_DEFINE_BOXED_TYPE (TypeName, type_name, type_name##_copy, g_free)

DEFINE_PLAIN_BOXED (PsRange, ps_range)
DEFINE_PLAIN_BOXED (PsWriteReport, ps_write_report)
DEFINE_PLAIN_BOXED (PsSweepReport, ps_sweep_report)

/* ---- the object ---------------------------------------------------------- */

typedef struct
{
  guint64  offset;
  GBytes  *previous;
} UndoEntry;

typedef struct _ProbeOp ProbeOp;

struct _PsSession
{
  GObject        parent_instance;

  PsEventLog    *log;
  PsSource      *source;
  PsScanner     *scanner;
  PsWriters     *writers;
  GCancellable  *cancellable;       /* cancelled when the source goes */

  /* kept across sources */
  guint          interval_ms;
  double         budget;
  gboolean       paused;

  PsRange        selection;
  guint64        cursor;
  GQueue         undo;              /* of UndoEntry, newest first */
  gsize          undo_bytes;

  GList         *probes;            /* of ProbeOp in flight */
  guint8        *marks;
  guint64        n_marks;
  gboolean       marks_dirty;
  guint          marks_timeout;

  GTask         *sweep_task;
  GCancellable  *sweep_cancellable;
  PsSweepReport  sweep;
  guint64        sweep_next;        /* the next page to probe */
  guint64        sweep_last;        /* the last (the guard page) */
  PsGeometry     sweep_geometry;
  guint          sweep_in_flight;

  guint          syncing;           /* msyncs running in worker threads */
  guint          finding;           /* finds running in worker threads */
  GTask         *find_task;         /* the newest find, for its progress */
  double         find_progress;

  GListStore    *watches;           /* of PsWatch */
  GListStore    *mark_store;        /* of PsMark */
  guint          marks_made;        /* for "mark N" */
};

struct _ProbeOp
{
  PsSession     *session;
  PsProbeChild  *child;
  GTask         *task;              /* a single probe's; NULL in a sweep */
  guint          watch_id;
  guint          timeout_id;
  gboolean       timed_out;
};

G_DEFINE_FINAL_TYPE (PsSession, ps_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOG,
  PROP_SOURCE,
  PROP_SCANNER,
  PROP_WRITERS,
  PROP_FRAME,
  PROP_SELECTION,
  PROP_CURSOR,
  PROP_PAUSED,
  PROP_INTERVAL,
  PROP_CAN_UNDO,
  PROP_PROBE_MARKS,
  PROP_SWEEPING,
  PROP_SYNCING,
  PROP_FIND_PROGRESS,
  N_PROPS
};

enum {
  SIGNAL_WROTE,
  SIGNAL_MSYNC_FINISHED,
  SIGNAL_PROBE_FINISHED,
  SIGNAL_SWEEP_FINISHED,
  SIGNAL_WRITERS_SPAWNED,
  SIGNAL_REMOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
undo_entry_free (UndoEntry *entry)
{
  g_bytes_unref (entry->previous);
  g_free (entry);
}

/* Refuses an operation: logged, so a script that runs with --log learns
 * why, and returned. */
static gboolean
refuse (PsSession    *self,
        GError      **error,
        GIOErrorEnum  code,
        const char   *action,
        const char   *format,
        ...) G_GNUC_PRINTF (5, 6);

static gboolean
refuse (PsSession    *self,
        GError      **error,
        GIOErrorEnum  code,
        const char   *action,
        const char   *format,
        ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  /* the log says what the caller hears, word for word */
  ps_event_log_add (self->log, TRUE, "%s: %s", action, reason);
  g_set_error (error, G_IO_ERROR, code, "%s: %s", action, reason);
  return FALSE;
}

/* A failure of the call below an operation: its error already names the
 * call; the log gets which operation it was. */
static gboolean
failed (PsSession   *self,
        GError     **error,
        const char  *action,
        GError      *local_error)
{
  ps_event_log_add (self->log, TRUE, "%s: %s", action, local_error->message);
  g_propagate_prefixed_error (error, local_error, "%s: ", action);
  return FALSE;
}

static gboolean
need_source (PsSession   *self,
             const char  *action,
             GError     **error)
{
  if (self->source != NULL)
    return TRUE;
  return refuse (self, error, G_IO_ERROR_NOT_INITIALIZED, action, _("nothing is open"));
}

/* ---- the source ---------------------------------------------------------- */

static void
update_watches (PsSession *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->watches));
  gint64 now;

  if (n == 0 || self->source == NULL)
    return;
  now = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (G_LIST_MODEL (self->watches), i);

      ps_watch_update (watch, self->source, now);
    }
}

static void
on_frame (PsSession *self)
{
  update_watches (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME]);
}

static void cancel_probes (PsSession *self);

static void
clear_undo (PsSession *self)
{
  gboolean had = !g_queue_is_empty (&self->undo);

  g_queue_clear_full (&self->undo, (GDestroyNotify) undo_entry_free);
  self->undo_bytes = 0;
  if (had)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
}

static void
clear_marks (PsSession *self)
{
  gboolean had = self->marks != NULL;

  g_clear_pointer (&self->marks, g_free);
  self->n_marks = 0;
  self->marks_dirty = FALSE;
  g_clear_handle_id (&self->marks_timeout, g_source_remove);
  if (had)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBE_MARKS]);
}

void
ps_session_close (PsSession *self)
{
  g_return_if_fail (PS_IS_SESSION (self));

  if (self->source == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  cancel_probes (self);

  if (self->scanner != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->scanner, on_frame, self);
      ps_scanner_stop (self->scanner);
    }
  g_clear_object (&self->scanner);
  /* writers first: their children die and are reaped here, not whenever a
   * dialog that still shows the list lets go of it */
  if (self->writers != NULL)
    ps_writers_stop_all (self->writers);
  g_clear_object (&self->writers);
  clear_undo (self);
  clear_marks (self);
  g_list_store_remove_all (self->watches);
  g_list_store_remove_all (self->mark_store);
  self->marks_made = 0;
  self->selection = (PsRange) { 0, 0 };
  self->cursor = 0;

  /* an msync in a worker thread still holds the mapping: it is unmapped
   * when that returns and lets go of it */
  if (self->syncing == 0 && self->finding == 0)
    ps_source_close (self->source);
  g_clear_object (&self->source);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITERS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME]);
}

void
ps_session_set_source (PsSession *self,
                       PsSource  *source)
{
  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (PS_IS_SOURCE (source));

  g_object_ref (source);
  ps_session_close (self);
  self->source = source;

  self->scanner = ps_scanner_new (source);
  ps_scanner_set_interval (self->scanner, self->interval_ms);
  if (self->budget > 0)
    ps_scanner_set_budget (self->scanner, self->budget);
  ps_scanner_set_paused (self->scanner, self->paused);
  g_signal_connect_object (self->scanner, "notify::frame", G_CALLBACK (on_frame), self, G_CONNECT_SWAPPED);
  self->writers = ps_writers_new (source);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WRITERS]);
  ps_scanner_start (self->scanner);
}

gboolean
ps_session_open (PsSession          *self,
                 const PsSourceSpec *spec,
                 GError            **error)
{
  g_autoptr(PsSource) source = NULL;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  /* ps_source_open logs the refused or failed call itself */
  source = ps_source_open (spec, self->log, error);
  if (source == NULL)
    return FALSE;
  ps_session_set_source (self, source);
  return TRUE;
}

gboolean
ps_session_open_demo (PsSession  *self,
                      GError    **error)
{
  g_autoptr(PsSource) source = NULL;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  source = ps_source_new_demo (self->log, error);
  if (source == NULL)
    return FALSE;
  ps_session_set_source (self, source);
  return TRUE;
}

/* ---- accessors ------------------------------------------------------------ */

PsEventLog *
ps_session_get_log (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->log;
}

PsSource *
ps_session_get_source (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->source;
}

PsScanner *
ps_session_get_scanner (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->scanner;
}

PsWriters *
ps_session_get_writers (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->writers;
}

PsFrame *
ps_session_get_frame (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->scanner != NULL ? ps_scanner_get_frame (self->scanner) : NULL;
}

gboolean
ps_session_is_open (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  return self->source != NULL;
}

void
ps_session_set_selection (PsSession     *self,
                          const PsRange *range)
{
  PsRange r = range != NULL ? *range : (PsRange) { 0, 0 };

  g_return_if_fail (PS_IS_SESSION (self));

  if (r.length == 0)
    r.offset = 0;
  if (r.offset == self->selection.offset && r.length == self->selection.length)
    return;
  self->selection = r;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION]);
}

gboolean
ps_session_get_selection (PsSession *self,
                          PsRange   *range)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  if (range != NULL)
    *range = self->selection;
  return self->selection.length > 0;
}

void
ps_session_set_cursor (PsSession *self,
                       guint64    offset)
{
  g_return_if_fail (PS_IS_SESSION (self));

  if (offset == self->cursor)
    return;
  self->cursor = offset;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
}

guint64
ps_session_get_cursor (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), 0);
  return self->cursor;
}

void
ps_session_set_paused (PsSession *self,
                       gboolean   paused)
{
  g_return_if_fail (PS_IS_SESSION (self));

  paused = !!paused;
  if (paused == self->paused)
    return;
  self->paused = paused;
  if (self->scanner != NULL)
    {
      ps_scanner_set_paused (self->scanner, paused);
      ps_event_log_add (self->log, FALSE, paused ? "scanner paused" : "scanner resumed");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

gboolean
ps_session_get_paused (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  return self->paused;
}

void
ps_session_set_interval (PsSession *self,
                         guint      interval_ms)
{
  g_return_if_fail (PS_IS_SESSION (self));

  interval_ms = CLAMP (interval_ms, PS_SCANNER_MIN_INTERVAL_MS, PS_SCANNER_MAX_INTERVAL_MS);
  if (interval_ms == self->interval_ms)
    return;
  self->interval_ms = interval_ms;
  if (self->scanner != NULL)
    ps_scanner_set_interval (self->scanner, interval_ms);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
ps_session_get_interval (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), 0);
  return self->interval_ms;
}

void
ps_session_set_budget (PsSession *self,
                       double     fraction)
{
  g_return_if_fail (PS_IS_SESSION (self));

  self->budget = fraction;
  if (self->scanner != NULL && fraction > 0)
    ps_scanner_set_budget (self->scanner, fraction);
}

void
ps_session_resolve_range (PsSession        *self,
                          const PsRangeArg *arg,
                          PsRange          *range)
{
  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (range != NULL);

  if (arg != NULL && arg->given)
    *range = (PsRange) { arg->offset, arg->length };
  else if (self->selection.length > 0)
    *range = self->selection;
  else
    *range = (PsRange) { 0, 0 };
}

/* ---- write and undo ------------------------------------------------------- */

static void
remember (PsSession *self,
          guint64    offset,
          GBytes    *previous)
{
  UndoEntry *entry = g_new0 (UndoEntry, 1);
  gboolean had = !g_queue_is_empty (&self->undo);

  entry->offset = offset;
  entry->previous = g_bytes_ref (previous);
  g_queue_push_head (&self->undo, entry);
  self->undo_bytes += g_bytes_get_size (previous);
  /* the history is bounded in entries and in bytes: a fill of a large
   * selection must not keep gigabytes for undo */
  while (g_queue_get_length (&self->undo) > 1 &&
         (g_queue_get_length (&self->undo) > MAX_UNDO || self->undo_bytes > MAX_UNDO_BYTES))
    {
      UndoEntry *old = g_queue_pop_tail (&self->undo);

      self->undo_bytes -= g_bytes_get_size (old->previous);
      undo_entry_free (old);
    }
  if (!had)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
}

static gboolean
write_bytes (PsSession     *self,
             const char    *action,
             guint64        offset,
             GBytes        *data,
             gboolean       undo,
             PsWriteReport *report,
             GError       **error)
{
  g_autoptr(GBytes) previous = NULL;
  g_autoptr(GError) local_error = NULL;
  PsWriteReport r = { 0 };
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);
  gboolean ok;

  ok = ps_source_write (self->source, offset, bytes, len, &previous, &local_error);
  r.offset = offset;
  r.requested = len;
  r.written = previous != NULL ? g_bytes_get_size (previous) : 0;
  r.past_eof = r.written > 0 ? ps_source_bytes_past_eof (self->source, offset, r.written) : 0;
  r.undo = undo;
  r.private_copy = ps_source_is_private (self->source);
  r.kind = ps_source_get_kind (self->source);
  if (report != NULL)
    *report = r;

  /* a write that a SIGBUS cut short still wrote its first pages: undoable */
  if (!undo && r.written > 0)
    remember (self, offset, previous);
  if (r.written > 0 && self->scanner != NULL)
    ps_scanner_wake (self->scanner);
  if (!ok)
    return failed (self, error, action, g_steal_pointer (&local_error));
  g_signal_emit (self, signals[SIGNAL_WROTE], 0, &r);
  return TRUE;
}

gboolean
ps_session_write (PsSession     *self,
                  guint64        offset,
                  GBytes        *data,
                  PsWriteReport *report,
                  GError       **error)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (report != NULL)
    memset (report, 0, sizeof *report);
  if (!need_source (self, "write-bytes", error))
    return FALSE;
  return write_bytes (self, "write-bytes", offset, data, FALSE, report, error);
}

gboolean
ps_session_can_undo (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  return !g_queue_is_empty (&self->undo);
}

gboolean
ps_session_undo (PsSession     *self,
                 PsWriteReport *report,
                 GError       **error)
{
  UndoEntry *entry;
  gboolean ok;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  if (report != NULL)
    memset (report, 0, sizeof *report);
  if (!need_source (self, "undo", error))
    return FALSE;
  if (g_queue_is_empty (&self->undo))
    return refuse (self, error, G_IO_ERROR_NOT_FOUND, "undo", _("there is nothing to undo"));

  entry = g_queue_pop_head (&self->undo);
  self->undo_bytes -= g_bytes_get_size (entry->previous);
  ok = write_bytes (self, "undo", entry->offset, entry->previous, TRUE, report, error);
  if (!ok)
    {
      /* kept, so it can be tried again once the object has grown back */
      g_queue_push_head (&self->undo, entry);
      self->undo_bytes += g_bytes_get_size (entry->previous);
      return FALSE;
    }
  undo_entry_free (entry);
  if (g_queue_is_empty (&self->undo))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  return TRUE;
}

/* ---- msync ------------------------------------------------------------- */

typedef struct
{
  PsSource      *source;
  PsRange        range;
  int            flags;
  PsMsyncReport  report;
} MsyncJob;

static void
msync_job_free (MsyncJob *job)
{
  g_clear_object (&job->source);
  g_free (job);
}

static void
msync_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  MsyncJob *job = task_data;
  GError *error = NULL;

  if (!ps_source_msync (job->source, job->range.offset, job->range.length, job->flags, &job->report, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Back on the session's thread: account, tell, and hand the outcome on. */
static void
msync_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PsSession *self = PS_SESSION (object);
  g_autoptr(GTask) outer = user_data;
  MsyncJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  /* if the session let go of this source meanwhile, the job's reference
   * was the last: the mapping goes with the task */
  self->syncing--;
  if (self->syncing == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_prefix_error (&error, "msync: ");
      ps_event_log_add (self->log, TRUE, "%s", error->message);
      g_task_return_error (outer, error);
      return;
    }
  g_task_set_task_data (outer, g_memdup2 (&job->report, sizeof job->report), g_free);
  g_signal_emit (self, signals[SIGNAL_MSYNC_FINISHED], 0, &job->report);
  g_task_return_boolean (outer, TRUE);
}

void
ps_session_msync_async (PsSession          *self,
                        const PsRangeArg   *range,
                        int                 flags,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  GError *error = NULL;
  MsyncJob *job;

  g_return_if_fail (PS_IS_SESSION (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, ps_session_msync_async);
  if (!need_source (self, "msync", &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  job = g_new0 (MsyncJob, 1);
  job->source = g_object_ref (self->source);
  job->flags = flags;
  ps_session_resolve_range (self, range, &job->range);

  self->syncing++;
  if (self->syncing == 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
  /* msync cannot be interrupted: a cancelled one still finishes, in its thread */
  inner = g_task_new (self, NULL, msync_done, g_steal_pointer (&outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) msync_job_free);
  g_task_run_in_thread (inner, msync_thread);
}

gboolean
ps_session_msync_finish (PsSession     *self,
                         GAsyncResult  *result,
                         PsMsyncReport *report,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (report != NULL)
    *report = *(PsMsyncReport *) g_task_get_task_data (G_TASK (result));
  return TRUE;
}

gboolean
ps_session_is_syncing (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  return self->syncing > 0;
}

/* ---- writer children ----------------------------------------------------- */

gboolean
ps_session_spawn_writers (PsSession         *self,
                          const PsSpawnArgs *args,
                          GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  PsRange range;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (args != NULL, FALSE);

  if (!need_source (self, "spawn-writers", error))
    return FALSE;
  ps_session_resolve_range (self, &args->range, &range);
  if (!ps_writers_spawn (self->writers, args->n, &args->pattern, args->rate, range.offset, range.length,
                         args->count, &local_error))
    return failed (self, error, "spawn-writers", g_steal_pointer (&local_error));
  g_signal_emit (self, signals[SIGNAL_WRITERS_SPAWNED], 0, args->n);
  return TRUE;
}

gboolean
ps_session_stop_writers (PsSession  *self,
                         guint64     pid,
                         GError    **error)
{
  GListModel *list;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  if (!need_source (self, "stop-writers", error))
    return FALSE;
  list = G_LIST_MODEL (self->writers);
  if (pid == 0)
    {
      if (ps_writers_get_n_running (self->writers) == 0)
        return refuse (self, error, G_IO_ERROR_NOT_FOUND, "stop-writers", _("no writer child is running"));
      ps_writers_stop_all (self->writers);
      return TRUE;
    }
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(PsWriterChild) child = g_list_model_get_item (list, i);

      if ((guint64) ps_writer_child_get_pid (child) != pid)
        continue;
      if (ps_writer_child_get_state (child) != PS_WRITER_RUNNING)
        return refuse (self, error, G_IO_ERROR_NOT_FOUND, "stop-writers",
                       _("writer child %" PRIu64 " has already ended"), pid);
      ps_writers_stop (self->writers, child);
      return TRUE;
    }
  return refuse (self, error, G_IO_ERROR_NOT_FOUND, "stop-writers",
                 _("%" PRIu64 " is not one of this session's writer children"), pid);
}

/* ---- probes ---------------------------------------------------------------- */

/* Tells the probe marks changed, if they did, and forgets a pending tell. */
static void
flush_marks (PsSession *self)
{
  g_clear_handle_id (&self->marks_timeout, g_source_remove);
  if (self->marks_dirty)
    {
      self->marks_dirty = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBE_MARKS]);
    }
}

static gboolean
on_marks_timeout (gpointer data)
{
  PsSession *self = data;

  self->marks_timeout = 0;   /* this source ends here */
  flush_marks (self);
  return G_SOURCE_REMOVE;
}

static void
mark (PsSession           *self,
      const PsProbeResult *result)
{
  const PsGeometry *g = ps_source_get_geometry (self->source);
  guint64 page = result->offset / g->page_size;

  if (self->marks == NULL || self->n_marks != g->n_pages + 1)
    {
      g_free (self->marks);
      self->n_marks = g->n_pages + 1;
      self->marks = g_malloc0 (self->n_marks);
    }
  if (page < self->n_marks)
    self->marks[page] = result->outcome + 1;
  self->marks_dirty = TRUE;
  if (self->marks_timeout == 0)
    self->marks_timeout = g_timeout_add (self->sweep_task != NULL ? MARKS_NOTIFY_MS : 0, on_marks_timeout, self);
}

static void sweep_probe_done (PsSession *self, const PsProbeResult *result);
static void sweep_pump (PsSession *self);

static void
probe_op_free (ProbeOp *op)
{
  g_clear_handle_id (&op->watch_id, g_source_remove);
  g_clear_handle_id (&op->timeout_id, g_source_remove);
  g_clear_pointer (&op->child, ps_probe_child_free);
  g_clear_object (&op->task);
  g_free (op);
}

static void
on_probe_exited (GPid     pid,
                 gint     status,
                 gpointer data)
{
  ProbeOp *op = data;
  g_autoptr(PsSession) self = g_object_ref (op->session);   /* a handler may drop the last other */
  PsProbeResult result;

  op->watch_id = 0;   /* the source is done with */
  g_clear_handle_id (&op->timeout_id, g_source_remove);
  self->probes = g_list_remove (self->probes, op);
  ps_probe_child_finish (op->child, status, op->timed_out, &result);

  mark (self, &result);
  g_signal_emit (self, signals[SIGNAL_PROBE_FINISHED], 0, &result);
  if (op->task != NULL)
    g_task_return_pointer (op->task, g_memdup2 (&result, sizeof result), g_free);
  else
    sweep_probe_done (self, &result);
  probe_op_free (op);
  if (self->sweep_task != NULL)
    sweep_pump (self);
}

static gboolean
on_probe_deadline (gpointer data)
{
  ProbeOp *op = data;

  op->timeout_id = 0;
  op->timed_out = TRUE;
  kill (ps_probe_child_get_pid (op->child), SIGKILL);   /* the child watch reaps it */
  return G_SOURCE_REMOVE;
}

/* Forks the probe and watches for its end; FALSE if it could not start. */
static gboolean
start_probe (PsSession  *self,
             guint64     offset,
             gboolean    write,
             GTask      *task,
             GError    **error)
{
  const PsGeometry *g = ps_source_get_geometry (self->source);
  ProbeOp *op;
  PsProbeChild *child;

  /* said before the child runs, and only of a write that will be made */
  if (write && ps_source_is_writable (self->source) && offset < (g->n_pages + 1) * g->page_size)
    ps_event_log_add (self->log, FALSE,
                      "probe(offset=0x%" G_GINT64_MODIFIER "x, write): a child will write one byte there%s",
                      offset, ps_source_is_private (self->source) ? " (to its own private copy)"
                                                                  : " (a shared mapping: the write is real)");
  child = ps_probe_start (self->source, offset, write, 0x50, error);
  if (child == NULL)
    return FALSE;

  op = g_new0 (ProbeOp, 1);
  op->session = self;
  op->child = child;
  op->task = task != NULL ? g_object_ref (task) : NULL;
  op->watch_id = g_child_watch_add (ps_probe_child_get_pid (child), on_probe_exited, op);
  op->timeout_id = g_timeout_add (PS_PROBE_DEADLINE_MS, on_probe_deadline, op);
  self->probes = g_list_prepend (self->probes, op);
  return TRUE;
}

/* The source goes: every probe child is killed and reaped now, so none is
 * left behind, and whoever waits for one hears it was cancelled. */
static void
cancel_probes (PsSession *self)
{
  g_autoptr(GList) probes = g_steal_pointer (&self->probes);

  for (GList *l = probes; l != NULL; l = l->next)
    {
      ProbeOp *op = l->data;
      pid_t pid = ps_probe_child_get_pid (op->child);
      int status = -1;

      /* GLib must not reap it any more: waitpid below does */
      g_clear_handle_id (&op->watch_id, g_source_remove);
      kill (pid, SIGKILL);
      while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
        ;
      ps_probe_child_finish (op->child, status, FALSE, NULL);
      if (op->task != NULL)
        g_task_return_new_error (op->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "probe: %s", _("the source was closed"));
      probe_op_free (op);
    }
  if (self->sweep_task != NULL)
    {
      self->sweep.cancelled = TRUE;
      self->sweep_in_flight = 0;
      sweep_pump (self);
    }
}

void
ps_session_probe_async (PsSession          *self,
                        guint64             offset,
                        gboolean            write,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;

  g_return_if_fail (PS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_session_probe_async);
  if (!need_source (self, "probe", &error))
    g_task_return_error (task, error);
  else if (!start_probe (self, offset, write, task, &local_error))
    {
      failed (self, &error, "probe", g_steal_pointer (&local_error));
      g_task_return_error (task, error);
    }
}

gboolean
ps_session_probe_finish (PsSession     *self,
                         GAsyncResult  *result,
                         PsProbeResult *probe,
                         GError       **error)
{
  g_autofree PsProbeResult *r = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return FALSE;
  if (probe != NULL)
    *probe = *r;
  return TRUE;
}

/* ---- the sweep ------------------------------------------------------------- */

static void
sweep_finish (PsSession *self,
              GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->sweep_task);

  g_clear_object (&self->sweep_cancellable);
  flush_marks (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SWEEPING]);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  ps_event_log_add (self->log, FALSE,
                    "probe-sweep: %s after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " pages: "
                    "%u ok, %u zero-tail, %u SIGBUS, %u SIGSEGV, %u other",
                    self->sweep.cancelled ? "cancelled" : "done", self->sweep.done, self->sweep.total,
                    self->sweep.counts[PS_PROBE_OK], self->sweep.counts[PS_PROBE_ZERO_TAIL],
                    self->sweep.counts[PS_PROBE_SIGBUS], self->sweep.counts[PS_PROBE_SIGSEGV],
                    self->sweep.counts[PS_PROBE_OTHER]);
  g_signal_emit (self, signals[SIGNAL_SWEEP_FINISHED], 0, &self->sweep);
  g_task_return_pointer (task, g_memdup2 (&self->sweep, sizeof self->sweep), g_free);
}

/* The offset to probe in a page: in the page that holds EOF, the first byte
 * past EOF; elsewhere the page's first byte. */
static guint64
sweep_offset (const PsGeometry *g,
              guint64           page)
{
  if (page + 1 == g->n_inside && g->data_length % g->page_size != 0)
    return g->data_length;
  return page * g->page_size;
}

/* Keeps SWEEP_IN_FLIGHT probes running until every page is done, or the
 * sweep is cancelled; finishes it when the last one is back. */
static void
sweep_pump (PsSession *self)
{
  GError *error = NULL;

  if (self->sweep_cancellable != NULL && g_cancellable_is_cancelled (self->sweep_cancellable))
    self->sweep.cancelled = TRUE;
  while (!self->sweep.cancelled && self->sweep_in_flight < SWEEP_IN_FLIGHT &&
         self->sweep_next <= self->sweep_last)
    {
      g_autoptr(GError) local_error = NULL;
      guint64 offset = sweep_offset (&self->sweep_geometry, self->sweep_next);

      if (!start_probe (self, offset, self->sweep.write, NULL, &local_error))
        {
          failed (self, &error, "probe-sweep", g_steal_pointer (&local_error));
          self->sweep.cancelled = TRUE;
          break;
        }
      self->sweep_next++;
      self->sweep_in_flight++;
    }
  if (self->sweep_in_flight == 0 && (self->sweep.cancelled || self->sweep_next > self->sweep_last))
    sweep_finish (self, error);
  else if (error != NULL)
    g_error_free (error);   /* the probes in flight finish it */
}

static void
sweep_probe_done (PsSession           *self,
                  const PsProbeResult *result)
{
  if (self->sweep_task == NULL)
    return;
  self->sweep_in_flight--;
  self->sweep.done++;
  self->sweep.counts[result->outcome]++;
}

void
ps_session_sweep_async (PsSession          *self,
                        gboolean            write,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;
  PsGeometry g;

  g_return_if_fail (PS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_session_sweep_async);
  if (!need_source (self, "probe-sweep", &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->sweep_task != NULL)
    {
      refuse (self, &error, G_IO_ERROR_BUSY, "probe-sweep", _("a sweep is already running"));
      g_task_return_error (task, error);
      return;
    }
  if (!ps_source_check_own_mapping (self->source, "probe-sweep", &local_error))
    {
      failed (self, &error, "probe-sweep", g_steal_pointer (&local_error));
      g_task_return_error (task, error);
      return;
    }
  if (!ps_source_restat (self->source, &g, NULL, &local_error))
    {
      failed (self, &error, "probe-sweep", g_steal_pointer (&local_error));
      g_task_return_error (task, error);
      return;
    }

  memset (&self->sweep, 0, sizeof self->sweep);
  self->sweep.write = write;
  self->sweep_geometry = g;
  self->sweep_next = g.n_inside > 0 ? g.n_inside - 1 : 0;
  self->sweep_last = g.n_pages;   /* the guard page past the mapping */
  self->sweep.total = self->sweep_last - self->sweep_next + 1;
  self->sweep_in_flight = 0;
  self->sweep_task = g_steal_pointer (&task);
  self->sweep_cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  ps_event_log_add (self->log, FALSE,
                    "probe-sweep: %s, %" G_GUINT64_FORMAT " pages from page %" G_GUINT64_FORMAT
                    " (the one holding EOF) to the guard page, %d children at a time",
                    write ? "write" : "read", self->sweep.total, self->sweep_next, SWEEP_IN_FLIGHT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SWEEPING]);
  sweep_pump (self);
}

gboolean
ps_session_sweep_finish (PsSession     *self,
                         GAsyncResult  *result,
                         PsSweepReport *report,
                         GError       **error)
{
  g_autofree PsSweepReport *r = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  r = g_task_propagate_pointer (G_TASK (result), error);
  if (r == NULL)
    return FALSE;
  if (report != NULL)
    *report = *r;
  return TRUE;
}

gboolean
ps_session_is_sweeping (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  return self->sweep_task != NULL;
}

void
ps_session_cancel_sweep (PsSession *self)
{
  g_return_if_fail (PS_IS_SESSION (self));

  if (self->sweep_cancellable != NULL)
    g_cancellable_cancel (self->sweep_cancellable);
  /* the probes in flight come back within moments and end it */
}

void
ps_session_get_sweep_report (PsSession     *self,
                             PsSweepReport *report)
{
  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (report != NULL);
  *report = self->sweep;
}

GBytes *
ps_session_get_probe_marks (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->marks != NULL ? g_bytes_new (self->marks, self->n_marks) : NULL;
}

/* ---- find ------------------------------------------------------------------- */

typedef struct
{
  PsSession     *session;        /* a strong reference: progress is told in its context */
  PsSource      *source;
  PsFindPattern *pattern;
  guint64        from;
  guint64        to;
  gboolean       backward;
  gboolean       all;
  guint          max_hits;
  GArray        *hits;
  gboolean       truncated;
  gint64         told_us;        /* the worker's: when progress was last told */
  GMainContext  *context;
  GCancellable  *caller;         /* its cancellable, and the session's, cancel the find */
  gulong         caller_id;
  GCancellable  *closing;
  gulong         closing_id;
} FindJob;

static void
find_job_free (FindJob *job)
{
  if (job->caller != NULL)
    g_cancellable_disconnect (job->caller, job->caller_id);
  if (job->closing != NULL)
    g_cancellable_disconnect (job->closing, job->closing_id);
  g_clear_object (&job->caller);
  g_clear_object (&job->closing);
  g_clear_object (&job->session);
  g_clear_object (&job->source);
  g_clear_pointer (&job->pattern, ps_find_pattern_free);
  g_clear_pointer (&job->hits, g_array_unref);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

typedef struct
{
  PsSession *session;
  double     progress;
} Progress;

static gboolean
tell_progress (gpointer data)
{
  Progress *p = data;

  if (p->session->find_task != NULL)
    {
      p->session->find_progress = p->progress;
      g_object_notify_by_pspec (G_OBJECT (p->session), properties[PROP_FIND_PROGRESS]);
    }
  g_object_unref (p->session);
  g_free (p);
  return G_SOURCE_REMOVE;
}

/* In the worker: at most ten times a second, into the session's context. */
static void
on_find_progress (guint64  done,
                  guint64  total,
                  gpointer data)
{
  FindJob *job = data;
  gint64 now = g_get_monotonic_time ();
  Progress *p;

  if (now - job->told_us < 100 * 1000 || total == 0)
    return;
  job->told_us = now;
  p = g_new (Progress, 1);
  p->session = g_object_ref (job->session);
  p->progress = (double) done / total;
  g_main_context_invoke (job->context, tell_progress, p);
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FindJob *job = task_data;
  GError *error = NULL;
  gboolean ok;

  if (job->all)
    ok = ps_find_all (job->source, job->pattern, job->from, job->to, job->max_hits, job->hits,
                      &job->truncated, cancellable, on_find_progress, job, &error);
  else
    {
      guint64 found;

      ok = ps_find_next (job->source, job->pattern, job->from, job->to, job->backward, &found,
                         cancellable, on_find_progress, job, &error);
      if (ok && found != G_MAXUINT64)
        g_array_append_val (job->hits, found);
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
find_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  PsSession *self = PS_SESSION (object);
  g_autoptr(GTask) outer = user_data;
  FindJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  self->finding--;
  if (self->find_task == outer)
    {
      g_clear_object (&self->find_task);
      self->find_progress = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIND_PROGRESS]);
    }
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ps_event_log_add (self->log, TRUE, "%s", error->message);
      g_task_return_error (outer, error);
      return;
    }
  g_task_set_task_data (outer, g_array_ref (job->hits), (GDestroyNotify) g_array_unref);
  g_object_set_data (G_OBJECT (outer), "truncated", GINT_TO_POINTER (job->truncated));
  g_task_return_boolean (outer, TRUE);
}

void
ps_session_find_async (PsSession           *self,
                       const PsFindPattern *pattern,
                       guint64              from,
                       guint64              to,
                       gboolean             backward,
                       gboolean             all,
                       guint                max_hits,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GCancellable) both = NULL;
  GError *error = NULL;
  FindJob *job;
  gsize len;
  const guint8 *bytes;

  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (pattern != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, ps_session_find_async);
  if (!need_source (self, "find", &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  bytes = ps_find_pattern_get_bytes (pattern, &len);
  job = g_new0 (FindJob, 1);
  job->session = g_object_ref (self);
  job->source = g_object_ref (self->source);
  job->pattern = ps_find_pattern_new (bytes, len, ps_find_pattern_ignores_case (pattern));
  job->from = from;
  job->to = to;
  job->backward = backward;
  job->all = all;
  job->max_hits = max_hits;
  job->hits = g_array_new (FALSE, FALSE, sizeof (guint64));
  job->context = g_main_context_ref_thread_default ();

  /* the caller's cancellable, or the session closing, stops it */
  both = g_cancellable_new ();
  if (cancellable != NULL)
    {
      job->caller = g_object_ref (cancellable);
      job->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                              g_object_ref (both), g_object_unref);
    }
  job->closing = g_object_ref (self->cancellable);
  job->closing_id = g_cancellable_connect (self->cancellable, G_CALLBACK (g_cancellable_cancel),
                                           g_object_ref (both), g_object_unref);

  self->finding++;
  g_set_object (&self->find_task, outer);
  self->find_progress = 0;
  inner = g_task_new (self, both, find_done, g_steal_pointer (&outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) find_job_free);
  g_task_run_in_thread (inner, find_thread);
}

gboolean
ps_session_find_finish (PsSession     *self,
                        GAsyncResult  *result,
                        GArray       **hits,
                        gboolean      *truncated,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (hits != NULL)
    *hits = g_array_ref (g_task_get_task_data (G_TASK (result)));
  if (truncated != NULL)
    *truncated = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (result), "truncated"));
  return TRUE;
}

double
ps_session_get_find_progress (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), 0);
  return self->find_task != NULL ? self->find_progress : -1;
}

/* ---- watches --------------------------------------------------------------- */

GListModel *
ps_session_get_watches (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->watches);
}

PsWatch *
ps_session_find_watch (PsSession  *self,
                       const char *name)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->watches)); i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (G_LIST_MODEL (self->watches), i);

      if (g_strcmp0 (ps_watch_get_name (watch), name) == 0)
        return watch;   /* the store holds it */
    }
  return NULL;
}

PsWatch *
ps_session_add_watch (PsSession          *self,
                      const PsWatchSpec  *spec,
                      GError            **error)
{
  g_autoptr(PsWatch) watch = NULL;
  const PsGeometry *g;
  gsize size;

  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  g_return_val_if_fail (spec != NULL && spec->name != NULL, NULL);

  if (!need_source (self, "watch", error))
    return NULL;
  g = ps_source_get_geometry (self->source);
  size = ps_value_size (spec->format.type);
  if (spec->offset >= g->length || size > g->length - spec->offset)
    {
      refuse (self, error, G_IO_ERROR_INVALID_ARGUMENT, "watch",
              _("%s at 0x%" PRIx64 " (%zu bytes) does not lie inside the mapping (%" PRIu64 " bytes)"),
              spec->name, spec->offset, size, g->length);
      return NULL;
    }
  if (ps_session_find_watch (self, spec->name) != NULL)
    {
      refuse (self, error, G_IO_ERROR_EXISTS, "watch", _("there is already a watch named %s"), spec->name);
      return NULL;
    }
  watch = ps_watch_new (spec);
  ps_watch_update (watch, self->source, g_get_monotonic_time ());
  g_list_store_append (self->watches, watch);
  return watch;
}

gboolean
ps_session_remove_watch (PsSession  *self,
                         const char *name,
                         GError    **error)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->watches)); i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (G_LIST_MODEL (self->watches), i);

      if (g_strcmp0 (ps_watch_get_name (watch), name) == 0)
        {
          g_list_store_remove (self->watches, i);
          return TRUE;
        }
    }
  return refuse (self, error, G_IO_ERROR_NOT_FOUND, "unwatch", _("there is no watch named %s"), name);
}

/* ---- export ------------------------------------------------------------------ */

typedef struct
{
  PsSource *source;
  PsRange   range;
  char     *path;
  guint64   written;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_object (&job->source);
  g_free (job->path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (ps_export_range (job->source, job->range.offset, job->range.length, job->path, &job->written,
                       cancellable, NULL, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PsSession *self = PS_SESSION (object);
  g_autoptr(GTask) outer = user_data;
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  self->finding--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      ps_event_log_add (self->log, TRUE, "%s", error->message);
      g_task_return_error (outer, error);
      return;
    }
  ps_event_log_add (self->log, FALSE, "export(0x%" G_GINT64_MODIFIER "x, %" G_GUINT64_FORMAT " bytes) = %"
                    G_GUINT64_FORMAT " bytes written, the rest holes",
                    job->range.offset, job->range.length, job->written);
  g_task_return_int (outer, (gssize) MIN (job->written, (guint64) G_MAXSSIZE));
}

void
ps_session_export_async (PsSession          *self,
                         const PsRangeArg   *range,
                         const char         *path,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  GError *error = NULL;
  ExportJob *job;

  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (path != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, ps_session_export_async);
  if (!need_source (self, "export", &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  job = g_new0 (ExportJob, 1);
  job->source = g_object_ref (self->source);
  job->path = g_strdup (path);
  ps_session_resolve_range (self, range, &job->range);
  if (job->range.length == 0)
    job->range.length = ps_source_get_geometry (self->source)->length - MIN (job->range.offset,
                                                                            ps_source_get_geometry (self->source)->length);
  /* like a find, it holds the mapping until it returns */
  self->finding++;
  inner = g_task_new (self, cancellable, export_done, g_steal_pointer (&outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (inner, export_thread);
}

gssize
ps_session_export_finish (PsSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- marks ----------------------------------------------------------------- */

GListModel *
ps_session_get_marks (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->mark_store);
}

static gint
find_in (GListModel  *model,
         const char  *name,
         const char *(*get_name) (gpointer item))
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (get_name (item), name) == 0)
        return (gint) i;
    }
  return -1;
}

PsMark *
ps_session_find_mark (PsSession  *self,
                      const char *name)
{
  gint i;

  g_return_val_if_fail (PS_IS_SESSION (self), NULL);

  i = find_in (G_LIST_MODEL (self->mark_store), name, (gpointer) ps_mark_get_name);
  if (i < 0)
    return NULL;
  {
    g_autoptr(PsMark) mark = g_list_model_get_item (G_LIST_MODEL (self->mark_store), i);
    return mark;   /* the store holds it */
  }
}

static gboolean
check_mark (PsSession     *self,
            const char    *name,
            const PsRange *range,
            GError       **error)
{
  const PsGeometry *g = ps_source_get_geometry (self->source);

  if (!ps_mark_name_is_valid (name))
    return refuse (self, error, G_IO_ERROR_INVALID_ARGUMENT, "mark",
                   _("\"%s\" is not a name: 1 to 64 letters, digits, '_', '-', '.' or spaces, starting with a letter"),
                   name);
  if (range->length == 0 || range->offset >= g->length || range->length > g->length - range->offset)
    return refuse (self, error, G_IO_ERROR_INVALID_ARGUMENT, "mark",
                   _("%s: the range does not lie inside the mapping (%" PRIu64 " bytes); select what to mark"),
                   name, g->length);
  return TRUE;
}

PsMark *
ps_session_add_mark (PsSession      *self,
                     const char     *name,
                     const PsRange  *range,
                     GError        **error)
{
  g_autofree char *made = NULL;
  g_autoptr(PsMark) mark = NULL;

  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  g_return_val_if_fail (range != NULL, NULL);

  if (!need_source (self, "mark", error))
    return NULL;
  if (name == NULL)
    {
      do
        {
          g_free (made);
          made = g_strdup_printf ("mark %u", ++self->marks_made);
        }
      while (ps_session_find_mark (self, made) != NULL);
      name = made;
    }
  if (!check_mark (self, name, range, error))
    return NULL;
  if (ps_session_find_mark (self, name) != NULL)
    {
      refuse (self, error, G_IO_ERROR_EXISTS, "mark", _("there is already a mark named %s"), name);
      return NULL;
    }
  mark = ps_mark_new (name, range->offset, range->length,
                      ps_mark_colors[g_list_model_get_n_items (G_LIST_MODEL (self->mark_store)) % PS_MARK_N_COLORS]);
  g_list_store_append (self->mark_store, mark);
  return mark;
}

gboolean
ps_session_remove_mark (PsSession  *self,
                        const char *name,
                        GError    **error)
{
  gint i;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  i = find_in (G_LIST_MODEL (self->mark_store), name, (gpointer) ps_mark_get_name);
  if (i < 0)
    return refuse (self, error, G_IO_ERROR_NOT_FOUND, "unmark", _("there is no mark named %s"), name);
  g_list_store_remove (self->mark_store, i);
  return TRUE;
}

/* ---- watches and marks as JSON ---------------------------------------------- */

char *
ps_session_export_annotations (PsSession *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GListModel *watches = G_LIST_MODEL (self->watches);
  GListModel *marks = G_LIST_MODEL (self->mark_store);

  g_return_val_if_fail (PS_IS_SESSION (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pagescope-annotations");
  json_builder_add_int_value (b, 1);
  if (self->source != NULL)
    {
      PsSourceSpec *spec = ps_source_dup_spec (self->source);
      g_autofree char *text = ps_source_spec_to_string (spec);

      ps_source_spec_clear (spec);
      g_free (spec);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, text);
    }
  json_builder_set_member_name (b, "watches");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (watches); i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (watches, i);
      const PsWatchSpec *spec = ps_watch_get_spec (watch);
      g_autofree char *type = ps_value_format_to_string (&spec->format, TRUE);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, spec->name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, type);
      json_builder_set_member_name (b, "offset");
      json_builder_add_int_value (b, (gint64) spec->offset);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "marks");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (marks); i++)
    {
      g_autoptr(PsMark) mark = g_list_model_get_item (marks, i);
      g_autofree char *color = g_strdup_printf ("#%08x", ps_mark_get_rgba (mark));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, ps_mark_get_name (mark));
      json_builder_set_member_name (b, "offset");
      json_builder_add_int_value (b, (gint64) ps_mark_get_offset (mark));
      json_builder_set_member_name (b, "length");
      json_builder_add_int_value (b, (gint64) ps_mark_get_length (mark));
      json_builder_set_member_name (b, "color");
      json_builder_add_string_value (b, color);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* A member that must be a string, or a whole number >= 0. */
static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
member_size (JsonObject *object,
             const char *name,
             guint64    *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return FALSE;
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
ps_session_import_annotations (PsSession   *self,
                               const char  *json,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) watches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonArray *list;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (!need_source (self, "import", error))
    return FALSE;
  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    return refuse (self, error, G_IO_ERROR_INVALID_DATA, "import", _("not JSON: %s"), local_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !json_object_has_member (root = json_node_get_object (json_parser_get_root (parser)), "pagescope-annotations"))
    return refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                   _("not Pagescope's watches and marks (no \"pagescope-annotations\" member)"));

  /* everything is checked before anything changes */
  list = member_array (root, "watches");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = o != NULL ? member_string (o, "name") : NULL;
      const char *type = o != NULL ? member_string (o, "type") : NULL;
      g_autofree char *text = NULL;
      g_auto(PsWatchSpec) spec = { 0 };
      guint64 offset;

      if (name == NULL || type == NULL || !member_size (o, "offset", &offset))
        return refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                       _("watch %u: it needs a name, a type and an offset"), i + 1);
      text = g_strdup_printf ("%s:%s@%" G_GUINT64_FORMAT, name, type, offset);
      if (!ps_watch_spec_parse (text, &spec, &local_error))
        return refuse (self, error, G_IO_ERROR_INVALID_DATA, "import", "%s", local_error->message);
      if (offset + ps_value_size (spec.format.type) > ps_source_get_geometry (self->source)->length)
        return refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                       _("watch %s: it does not lie inside this mapping"), name);
      g_ptr_array_add (watches, ps_watch_new (&spec));
    }
  list = member_array (root, "marks");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = o != NULL ? member_string (o, "name") : NULL;
      const char *color = o != NULL ? member_string (o, "color") : NULL;
      PsRange range;
      guint64 rgba = ps_mark_colors[i % PS_MARK_N_COLORS];

      if (name == NULL || !member_size (o, "offset", &range.offset) || !member_size (o, "length", &range.length))
        return refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                       _("mark %u: it needs a name, an offset and a length"), i + 1);
      if (color != NULL && (color[0] != '#' || strlen (color) != 9 ||
                            !g_ascii_string_to_unsigned (color + 1, 16, 0, G_MAXUINT32, &rgba, NULL)))
        return refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                       _("mark %s: the colour \"%s\" is not #RRGGBBAA"), name, color);
      if (!check_mark (self, name, &range, error))
        return FALSE;
      g_ptr_array_add (marks, ps_mark_new (name, range.offset, range.length, (guint32) rgba));
    }

  for (guint i = 0; i < watches->len; i++)
    {
      PsWatch *watch = g_ptr_array_index (watches, i);
      gint at = find_in (G_LIST_MODEL (self->watches), ps_watch_get_name (watch), (gpointer) ps_watch_get_name);

      if (at >= 0)
        g_list_store_remove (self->watches, at);
      ps_watch_update (watch, self->source, g_get_monotonic_time ());
      g_list_store_append (self->watches, watch);
    }
  for (guint i = 0; i < marks->len; i++)
    {
      PsMark *mark = g_ptr_array_index (marks, i);
      gint at = find_in (G_LIST_MODEL (self->mark_store), ps_mark_get_name (mark), (gpointer) ps_mark_get_name);

      if (at >= 0)
        g_list_store_remove (self->mark_store, at);
      g_list_store_append (self->mark_store, mark);
    }
  return TRUE;
}

/* ---- remove ---------------------------------------------------------------- */

gboolean
ps_session_remove (PsSession  *self,
                   GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  if (!need_source (self, "remove-segment", error))
    return FALSE;
  if (!ps_source_remove (self->source, &local_error))
    return failed (self, error, "remove-segment", g_steal_pointer (&local_error));
  g_signal_emit (self, signals[SIGNAL_REMOVED], 0);
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------- */

static void
ps_session_dispose (GObject *object)
{
  PsSession *self = PS_SESSION (object);

  ps_session_close (self);
  g_clear_handle_id (&self->marks_timeout, g_source_remove);
  G_OBJECT_CLASS (ps_session_parent_class)->dispose (object);
}

static void
ps_session_finalize (GObject *object)
{
  PsSession *self = PS_SESSION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->log);
  g_clear_object (&self->watches);
  g_clear_object (&self->mark_store);
  g_clear_object (&self->find_task);
  g_free (self->marks);
  G_OBJECT_CLASS (ps_session_parent_class)->finalize (object);
}

static void
ps_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PsSession *self = PS_SESSION (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_SCANNER:
      g_value_set_object (value, self->scanner);
      break;
    case PROP_WRITERS:
      g_value_set_object (value, self->writers);
      break;
    case PROP_FRAME:
      g_value_set_boxed (value, ps_session_get_frame (self));
      break;
    case PROP_SELECTION:
      g_value_set_boxed (value, &self->selection);
      break;
    case PROP_CURSOR:
      g_value_set_uint64 (value, self->cursor);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_ms);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, ps_session_can_undo (self));
      break;
    case PROP_PROBE_MARKS:
      g_value_take_boxed (value, ps_session_get_probe_marks (self));
      break;
    case PROP_SWEEPING:
      g_value_set_boolean (value, self->sweep_task != NULL);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing > 0);
      break;
    case PROP_FIND_PROGRESS:
      g_value_set_double (value, ps_session_get_find_progress (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PsSession *self = PS_SESSION (object);

  switch (prop_id)
    {
    case PROP_LOG:
      self->log = g_value_dup_object (value);
      break;
    case PROP_SELECTION:
      ps_session_set_selection (self, g_value_get_boxed (value));
      break;
    case PROP_CURSOR:
      ps_session_set_cursor (self, g_value_get_uint64 (value));
      break;
    case PROP_PAUSED:
      ps_session_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_INTERVAL:
      ps_session_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_session_constructed (GObject *object)
{
  PsSession *self = PS_SESSION (object);

  G_OBJECT_CLASS (ps_session_parent_class)->constructed (object);
  if (self->log == NULL)
    self->log = ps_event_log_new ();
}

static void
ps_session_class_init (PsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ps_session_dispose;
  object_class->finalize = ps_session_finalize;
  object_class->get_property = ps_session_get_property;
  object_class->set_property = ps_session_set_property;
  object_class->constructed = ps_session_constructed;

  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, PS_TYPE_EVENT_LOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] = g_param_spec_object ("source", NULL, NULL, PS_TYPE_SOURCE, ro);
  properties[PROP_SCANNER] = g_param_spec_object ("scanner", NULL, NULL, PS_TYPE_SCANNER, ro);
  properties[PROP_WRITERS] = g_param_spec_object ("writers", NULL, NULL, PS_TYPE_WRITERS, ro);
  properties[PROP_FRAME] = g_param_spec_boxed ("frame", NULL, NULL, PS_TYPE_FRAME, ro);
  properties[PROP_SELECTION] = g_param_spec_boxed ("selection", NULL, NULL, PS_TYPE_RANGE, rw);
  properties[PROP_CURSOR] = g_param_spec_uint64 ("cursor", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, rw);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, PS_SCANNER_MIN_INTERVAL_MS, PS_SCANNER_MAX_INTERVAL_MS, 100, rw);
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, ro);
  properties[PROP_PROBE_MARKS] = g_param_spec_boxed ("probe-marks", NULL, NULL, G_TYPE_BYTES, ro);
  properties[PROP_SWEEPING] = g_param_spec_boolean ("sweeping", NULL, NULL, FALSE, ro);
  properties[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE, ro);
  properties[PROP_FIND_PROGRESS] = g_param_spec_double ("find-progress", NULL, NULL, -1, 1, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_WROTE] =
    g_signal_new ("wrote", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PS_TYPE_WRITE_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_MSYNC_FINISHED] =
    g_signal_new ("msync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PS_TYPE_MSYNC_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_PROBE_FINISHED] =
    g_signal_new ("probe-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PS_TYPE_PROBE_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_SWEEP_FINISHED] =
    g_signal_new ("sweep-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PS_TYPE_SWEEP_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_WRITERS_SPAWNED] =
    g_signal_new ("writers-spawned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_REMOVED] =
    g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ps_session_init (PsSession *self)
{
  g_queue_init (&self->undo);
  self->interval_ms = 100;
  self->budget = 0;     /* the process's budget (PsBudget) */
  self->cancellable = g_cancellable_new ();
  self->watches = g_list_store_new (PS_TYPE_WATCH);
  self->mark_store = g_list_store_new (PS_TYPE_MARK);
}

PsSession *
ps_session_new (PsEventLog *log)
{
  return g_object_new (PS_TYPE_SESSION, "log", log, NULL);
}
