/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session's probes past end of file: one child each, reaped by a
 * GChildWatch; a sweep keeps a few in flight and paints marks as they end. */
#define G_LOG_DOMAIN "pagescope-session"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "ps-probe-batch.h"
#include "ps-session-private.h"

/* ---- probes ---------------------------------------------------------------- */

/* Tells the probe marks changed, if they did, and forgets a pending tell. */
static void
flush_marks (PsSession *self)
{
  g_clear_handle_id (&self->marks_timeout, g_source_remove);
  if (self->marks_dirty)
    {
      self->marks_dirty = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_PROBE_MARKS]);
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
  g_signal_emit (self, ps_session_signals[SIGNAL_PROBE_FINISHED], 0, &result);
  g_task_return_pointer (op->task, g_memdup2 (&result, sizeof result), g_free);
  probe_op_free (op);
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
void
ps_session_cancel_probes (PsSession *self)
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

  task = ps_session_task_new (self, "probe", ps_session_probe_async, cancellable, callback, user_data);
  if (task != NULL && !start_probe (self, offset, write, task, &local_error))
    {
      ps_session_failed (self, &error, "probe", g_steal_pointer (&local_error));
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

  g_clear_handle_id (&self->sweep_stop, g_source_remove);
  if (self->sweep_cancelled_id != 0)
    g_cancellable_disconnect (self->sweep_cancellable, self->sweep_cancelled_id);
  self->sweep_cancelled_id = 0;
  g_clear_object (&self->sweep_cancellable);
  flush_marks (self);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SWEEPING]);
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
  g_signal_emit (self, ps_session_signals[SIGNAL_SWEEP_FINISHED], 0, &self->sweep);
  g_task_return_pointer (task, g_memdup2 (&self->sweep, sizeof self->sweep), g_free);
}

static void sweep_batch_done (guint64 next_page, gpointer data);

/* A page's outcome: marked, counted; the dialog hears of the first page of
 * each run of one outcome (hearing of all 262,143 would cost more than the
 * sweep). */
static void
sweep_page (const PsProbeResult *result,
            gpointer             data)
{
  PsSession *self = data;

  if (self->sweep.cancelled)
    return;
  mark (self, result);
  if (self->sweep.done == 0 || result->outcome != self->sweep_outcome)
    g_signal_emit (self, ps_session_signals[SIGNAL_PROBE_FINISHED], 0, result);
  self->sweep_outcome = result->outcome;
  self->sweep.done++;
  self->sweep.counts[result->outcome]++;
}

/* Runs one batch child at a time until every page is done, or the sweep is
 * cancelled; then finishes it. */
static void
sweep_pump (PsSession *self)
{
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;
  guint64 last;

  if (self->sweep_cancellable != NULL && g_cancellable_is_cancelled (self->sweep_cancellable))
    self->sweep.cancelled = TRUE;
  if (self->sweep.cancelled)
    g_clear_pointer (&self->sweep_batch, ps_probe_batch_free);
  if (self->sweep_batch != NULL)
    return;
  if (self->sweep.cancelled || self->sweep_next > self->sweep_last)
    {
      sweep_finish (self, NULL);
      return;
    }
  last = self->sweep_last - self->sweep_next < SWEEP_BATCH_PAGES ? self->sweep_last
                                                                  : self->sweep_next + SWEEP_BATCH_PAGES - 1;
  self->sweep_batch = ps_probe_batch_start (self->source, &self->sweep_geometry, self->sweep_next, last,
                                            self->sweep.write, 0x50, sweep_page, sweep_batch_done, self,
                                            &local_error);
  if (self->sweep_batch == NULL)
    {
      ps_session_failed (self, &error, "probe-sweep", g_steal_pointer (&local_error));
      self->sweep.cancelled = TRUE;
      sweep_finish (self, error);
    }
}

static void
sweep_batch_done (guint64  next_page,
                  gpointer data)
{
  PsSession *self = data;

  g_clear_pointer (&self->sweep_batch, ps_probe_batch_free);
  self->sweep_next = next_page;
  sweep_pump (self);
}

static gboolean
on_sweep_stop (gpointer data)
{
  PsSession *self = data;

  self->sweep_stop = 0;   /* this source ends here */
  /* the child is killed and reaped now; the report says how far it got */
  if (self->sweep_task != NULL)
    sweep_pump (self);
  return G_SOURCE_REMOVE;
}

/* Not the place to end the sweep: disconnecting from a cancellable inside
 * its "cancelled" handler deadlocks. */
static void
on_sweep_cancelled (GCancellable *cancellable,
                    gpointer      data)
{
  PsSession *self = data;

  if (self->sweep_task == NULL)
    return;
  /* nothing more is counted; the child dies now, and is reaped when the
   * sweep ends, before the batch's pipe is read again */
  self->sweep.cancelled = TRUE;
  if (self->sweep_batch != NULL && ps_probe_batch_get_pid (self->sweep_batch) > 0)
    kill (ps_probe_batch_get_pid (self->sweep_batch), SIGKILL);
  if (self->sweep_stop == 0)
    self->sweep_stop = g_idle_add_full (G_PRIORITY_DEFAULT, on_sweep_stop, self, NULL);
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

  task = ps_session_task_new (self, "probe-sweep", ps_session_sweep_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  if (self->sweep_task != NULL)
    {
      ps_session_refuse (self, &error, G_IO_ERROR_BUSY, "probe-sweep", _("a sweep is already running"));
      g_task_return_error (task, error);
      return;
    }
  if (!ps_source_check_own_mapping (self->source, "probe-sweep", &local_error))
    {
      ps_session_failed (self, &error, "probe-sweep", g_steal_pointer (&local_error));
      g_task_return_error (task, error);
      return;
    }
  if (!ps_source_restat (self->source, &g, NULL, &local_error))
    {
      ps_session_failed (self, &error, "probe-sweep", g_steal_pointer (&local_error));
      g_task_return_error (task, error);
      return;
    }

  memset (&self->sweep, 0, sizeof self->sweep);
  self->sweep.write = write;
  self->sweep_geometry = g;
  self->sweep_next = g.n_inside > 0 ? g.n_inside - 1 : 0;
  self->sweep_last = g.n_pages;   /* the guard page past the mapping */
  self->sweep.total = self->sweep_last - self->sweep_next + 1;
  self->sweep_task = g_steal_pointer (&task);
  self->sweep_cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  ps_event_log_add (self->log, FALSE,
                    "probe-sweep: %s, %" G_GUINT64_FORMAT " pages from page %" G_GUINT64_FORMAT
                    " (the one holding EOF) to the guard page, by one child that goes on after each fault",
                    write ? "write" : "read", self->sweep.total, self->sweep_next);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SWEEPING]);
  /* connected last: a cancellable cancelled already calls back at once */
  self->sweep_cancelled_id = g_cancellable_connect (self->sweep_cancellable, G_CALLBACK (on_sweep_cancelled),
                                                    self, NULL);
  if (self->sweep_task != NULL)
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

  /* on_sweep_cancelled kills the child and ends the sweep */
  if (self->sweep_cancellable != NULL)
    g_cancellable_cancel (self->sweep_cancellable);
}

void
ps_session_get_sweep_report (PsSession     *self,
                             PsSweepReport *report)
{
  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (report != NULL);
  *report = self->sweep;
}

const guint8 *
ps_session_peek_probe_marks (PsSession *self,
                             gsize     *n_pages)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  g_return_val_if_fail (n_pages != NULL, NULL);
  *n_pages = self->marks != NULL ? self->n_marks : 0;
  return self->marks;
}

GBytes *
ps_session_get_probe_marks (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->marks != NULL ? g_bytes_new (self->marks, self->n_marks) : NULL;
}

