/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session's find, in a worker thread with progress, and export of a
 * range to a file. */
#define G_LOG_DOMAIN "pagescope-session"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ps-export.h"
#include "ps-session-private.h"

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
      g_object_notify_by_pspec (G_OBJECT (p->session), ps_session_properties[PROP_FIND_PROGRESS]);
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
  /* a source, not g_main_context_invoke: that runs the function right here
   * when the context is free between two iterations, and the session's
   * notify handlers are the window's */
  {
    g_autoptr(GSource) source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_DEFAULT);
    g_source_set_callback (source, tell_progress, p, NULL);
    g_source_attach (source, job->context);
  }
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
      g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_FIND_PROGRESS]);
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
  FindJob *job;
  gsize len;
  const guint8 *bytes;

  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (pattern != NULL);

  outer = ps_session_task_new (self, "find", ps_session_find_async, cancellable, callback, user_data);
  if (outer == NULL)
    return;
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
  ExportJob *job;

  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (path != NULL);

  outer = ps_session_task_new (self, "export", ps_session_export_async, cancellable, callback, user_data);
  if (outer == NULL)
    return;
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

