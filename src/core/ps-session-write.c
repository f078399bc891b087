/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session's writes, their undo history, and msync in a worker thread. */
#define G_LOG_DOMAIN "pagescope-session"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ps-session-private.h"

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
      ps_session_undo_entry_free (old);
    }
  if (!had)
    g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_CAN_UNDO]);
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
    return ps_session_failed (self, error, action, g_steal_pointer (&local_error));
  g_signal_emit (self, ps_session_signals[SIGNAL_WROTE], 0, &r);
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
  if (!ps_session_need_source (self, "write-bytes", error))
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
  if (!ps_session_need_source (self, "undo", error))
    return FALSE;
  if (g_queue_is_empty (&self->undo))
    return ps_session_refuse (self, error, G_IO_ERROR_NOT_FOUND, "undo", _("there is nothing to undo"));

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
  ps_session_undo_entry_free (entry);
  if (g_queue_is_empty (&self->undo))
    g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_CAN_UNDO]);
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
    g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SYNCING]);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_prefix_error (&error, "msync: ");
      ps_event_log_add (self->log, TRUE, "%s", error->message);
      g_task_return_error (outer, error);
      return;
    }
  g_task_set_task_data (outer, g_memdup2 (&job->report, sizeof job->report), g_free);
  /* the dirty mode shows msync's effect at once (smaps read again too) */
  if (self->scanner != NULL && ps_scanner_get_source (self->scanner) == job->source)
    ps_scanner_wake (self->scanner);
  g_signal_emit (self, ps_session_signals[SIGNAL_MSYNC_FINISHED], 0, &job->report);
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
  MsyncJob *job;

  g_return_if_fail (PS_IS_SESSION (self));

  outer = ps_session_task_new (self, "msync", ps_session_msync_async, cancellable, callback, user_data);
  if (outer == NULL)
    return;
  job = g_new0 (MsyncJob, 1);
  job->source = g_object_ref (self->source);
  job->flags = flags;
  ps_session_resolve_range (self, range, &job->range);

  self->syncing++;
  if (self->syncing == 1)
    g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SYNCING]);
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

