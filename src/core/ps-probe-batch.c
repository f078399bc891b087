/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A batch probe: one child walks many pages, catching each fault and going
 * on; the main context reads its records as they come. */
#define G_LOG_DOMAIN "pagescope-probe"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-probe-batch.h"
#include "ps-probe-private.h"

#define RECORDS_PER_WRITE 256
#define DEADLINE_CHECK_MS 500

/* What the child says of one page, in page order. */
typedef struct
{
  gint32  signo;    /* 0: the access completed */
  gint32  code;     /* si_code */
  gint32  value;    /* the byte read or written */
  gint32  unused;
  guint64 addr;     /* si_addr */
} Record;

struct _PsProbeBatch
{
  PsEventLog       *log;
  PsProbeResult     proto;        /* what every page's result shares */
  guint8           *base;
  guint64           next;         /* the next page to be reported */
  guint64           last;
  int               fd;           /* the read end, non-blocking */
  guint8            partial[sizeof (Record)];
  gsize             n_partial;
  guint             fd_watch;
  guint             child_watch;
  guint             deadline_watch;
  gint64            last_us;      /* when a record last came (or the fork) */
  gboolean          timed_out;

  PsProbeResult     run;          /* the first page of the run being logged */
  guint64           run_pages;
  guint64           run_last;     /* the offset of its last page */

  PsProbeBatchFunc  each;
  PsProbeBatchDone  done;
  gpointer          data;
};

guint64
ps_probe_sweep_offset (const PsGeometry *g,
                       guint64           page)
{
  if (page + 1 == g->n_inside && g->data_length % g->page_size != 0)
    return g->data_length;
  return page * g->page_size;
}

/* ---- the child: async-signal-safe calls only ------------------------------ */

static sigjmp_buf batch_jmp;
static volatile sig_atomic_t fault_signo;
static volatile sig_atomic_t fault_code;
static volatile guintptr fault_addr;

static void
batch_fault_handler (int        signo,
                     siginfo_t *info,
                     void      *context)
{
  fault_signo = signo;
  fault_code = info->si_code;
  fault_addr = (guintptr) info->si_addr;
  /* savemask 1: the mask sigsetjmp saved (nothing blocked) comes back, so
   * the next page's fault is delivered too */
  siglongjmp (batch_jmp, 1);
}

static void
write_records (int           fd,
               const Record *records,
               gsize         n)
{
  const char *p = (const char *) records;
  gsize left = n * sizeof (Record);

  while (left > 0)
    {
      ssize_t w = write (fd, p, left);

      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        _exit (3);   /* the parent is gone */
      p += w;
      left -= (gsize) w;
    }
}

G_GNUC_NORETURN static void
batch_child (int               fd,
             pid_t             parent,
             guint8           *base,
             const PsGeometry *g,
             guint64           first,
             guint64           last,
             gboolean          write_access,
             guint8            value)
{
  Record buf[RECORDS_PER_WRITE];
  volatile gsize n = 0;
  struct sigaction action;
  sigset_t none;

  ps_child_reset_signals ();
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (1);

  memset (&action, 0, sizeof action);
  action.sa_sigaction = batch_fault_handler;
  action.sa_flags = SA_SIGINFO;
  sigemptyset (&action.sa_mask);
  sigaction (SIGBUS, &action, NULL);
  sigaction (SIGSEGV, &action, NULL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);

  for (volatile guint64 page = first; page <= last; page++)
    {
      volatile guint8 *address = base + ps_probe_sweep_offset (g, page);
      Record *r = &buf[n];

      memset (r, 0, sizeof *r);
      if (sigsetjmp (batch_jmp, 1) == 0)
        {
          if (write_access)
            *address = value;
          r->value = write_access ? value : *address;
        }
      else
        {
          r->signo = fault_signo;
          r->code = fault_code;
          r->addr = fault_addr;
        }
      if (++n == RECORDS_PER_WRITE)
        {
          write_records (fd, buf, n);
          n = 0;
        }
    }
  write_records (fd, buf, n);
  _exit (0);
}

/* ---- the parent ----------------------------------------------------------- */

/* The end of a run: how many pages after its first had its outcome. */
static void
end_run (PsProbeBatch *self)
{
  if (self->run_pages == 2)
    ps_event_log_add (self->log, FALSE, "  and the page after it, at offset 0x%" G_GINT64_MODIFIER "x: the same",
                      self->run_last);
  else if (self->run_pages > 2)
    ps_event_log_add (self->log, FALSE,
                      "  and the %" G_GUINT64_FORMAT " pages after it, to offset 0x%" G_GINT64_MODIFIER "x: the same",
                      self->run_pages - 1, self->run_last);
  self->run_pages = 0;
}

/* One page's result: told; logged when it starts a run of one outcome,
 * counted in the run otherwise. */
static void
report (PsProbeBatch  *self,
        PsProbeResult *r,
        int            status)
{
  gboolean same = self->run_pages > 0 && r->outcome == self->run.outcome && r->signo == self->run.signo &&
                  r->si_code == self->run.si_code && r->timed_out == self->run.timed_out;

  if (!same)
    {
      g_autofree char *call = g_strdup_printf ("probe(offset=0x%" G_GINT64_MODIFIER "x, %s)", r->offset,
                                               r->write ? "write" : "read");

      end_run (self);
      ps_probe_log_outcome (self->log, call, r, status);
      self->run = *r;
    }
  self->run_pages++;
  self->run_last = r->offset;
  self->next++;
  self->each (r, self->data);
}

static void
take_record (PsProbeBatch *self,
             const Record *record)
{
  PsProbeResult r = self->proto;
  gint64 now = g_get_monotonic_time ();
  int status;

  if (self->next > self->last)
    return;
  r.offset = ps_probe_sweep_offset (&self->proto.geometry, self->next);
  r.elapsed_us = now - self->last_us;
  self->last_us = now;
  if (record->signo != 0)
    {
      r.have_fault = TRUE;
      r.si_code = record->code;
      r.fault_offset = record->addr - (guint64) (guintptr) self->base;
      status = record->signo;   /* a wait status: killed by that signal */
    }
  else
    {
      r.value = (guint8) record->value;
      status = 0;
    }
  ps_probe_classify (&r, status, record->signo == 0);
  report (self, &r, status);
}

/* Reads what is in the pipe, at most max_reads reads of a buffer (0: all
 * of it); FALSE at its end or on an error. */
static gboolean
drain (PsProbeBatch *self,
       guint         max_reads)
{
  guint8 buf[RECORDS_PER_WRITE * sizeof (Record)];

  for (guint reads = 0; max_reads == 0 || reads < max_reads; reads++)
    {
      ssize_t n = read (self->fd, buf, sizeof buf);
      gsize at = 0;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return errno == EAGAIN;
      if (n == 0)
        return FALSE;
      while (at < (gsize) n)
        {
          gsize take = MIN (sizeof (Record) - self->n_partial, (gsize) n - at);

          memcpy (self->partial + self->n_partial, buf + at, take);
          self->n_partial += take;
          at += take;
          if (self->n_partial == sizeof (Record))
            {
              Record record;

              memcpy (&record, self->partial, sizeof record);
              self->n_partial = 0;
              take_record (self, &record);
            }
        }
    }
  return TRUE;
}

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     data)
{
  PsProbeBatch *self = data;

  /* a buffer at a time: the child writes as fast as it is read, and the
   * main loop has other work */
  if (drain (self, 16))
    return G_SOURCE_CONTINUE;
  self->fd_watch = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
on_deadline_check (gpointer data)
{
  PsProbeBatch *self = data;

  if (self->timed_out || g_get_monotonic_time () - self->last_us < PS_PROBE_DEADLINE_MS * G_GINT64_CONSTANT (1000))
    return G_SOURCE_CONTINUE;
  self->timed_out = TRUE;
  kill (self->proto.pid, SIGKILL);
  ps_event_log_add (self->log, TRUE, "kill(%d, SIGKILL) = 0 (the probe of offset 0x%" G_GINT64_MODIFIER "x "
                    "did not finish within %d s)", (int) self->proto.pid,
                    ps_probe_sweep_offset (&self->proto.geometry, self->next), PS_PROBE_DEADLINE_MS / 1000);
  return G_SOURCE_CONTINUE;   /* the child watch ends the batch */
}

/* The child ended before it reported every page: the page it was at gets
 * the ending (timed out, or the wait status), so a batch started after it
 * never runs into the same page again. */
static void
report_stuck_page (PsProbeBatch *self,
                   int           status)
{
  PsProbeResult r = self->proto;

  r.offset = ps_probe_sweep_offset (&self->proto.geometry, self->next);
  r.timed_out = self->timed_out;
  r.elapsed_us = g_get_monotonic_time () - self->last_us;
  ps_probe_classify (&r, self->timed_out ? -1 : status, FALSE);
  report (self, &r, self->timed_out ? -1 : status);
}

static void
on_child_exited (GPid     pid,
                 gint     status,
                 gpointer data)
{
  PsProbeBatch *self = data;
  g_autofree char *how = ps_wait_status_to_string (status);

  self->child_watch = 0;   /* this source ends here */
  g_clear_handle_id (&self->fd_watch, g_source_remove);
  g_clear_handle_id (&self->deadline_watch, g_source_remove);
  drain (self, 0);
  if (self->next <= self->last)
    report_stuck_page (self, status);
  end_run (self);
  ps_event_log_add (self->log, !WIFEXITED (status) || WEXITSTATUS (status) != 0, "waitpid(%d) = %s",
                    (int) pid, how);
  self->proto.pid = 0;   /* reaped */
  self->done (self->next, self->data);   /* last: it may free the batch */
}

PsProbeBatch *
ps_probe_batch_start (PsSource         *source,
                      const PsGeometry *geometry,
                      guint64           first,
                      guint64           last,
                      gboolean          write,
                      guint8            value,
                      PsProbeBatchFunc  each,
                      PsProbeBatchDone  done,
                      gpointer          data,
                      GError          **error)
{
  PsEventLog *log = ps_source_get_log (source);
  PsProbeBatch *self;
  guint8 *base = ps_source_get_data (source);
  pid_t parent = getpid ();
  pid_t pid;
  int fds[2];

  g_return_val_if_fail (first <= last && last <= geometry->n_pages, NULL);
  g_return_val_if_fail (each != NULL && done != NULL, NULL);

  /* the child's end blocks (it waits for the parent to read), the
   * parent's never does */
  if (pipe2 (fds, O_CLOEXEC) != 0)
    return ps_call_fail (log, error, errno, "pipe2(O_CLOEXEC)"), NULL;
  g_unix_set_fd_nonblocking (fds[0], TRUE, NULL);

  pid = ps_fork_blocked ();
  if (pid == 0)
    batch_child (fds[1], parent, base, geometry, first, last, write, value);
  if (pid < 0)
    {
      int errsv = errno;

      close (fds[0]);
      close (fds[1]);
      return ps_call_fail (log, error, errsv, "fork()"), NULL;
    }
  close (fds[1]);
  ps_event_log_add (log, FALSE, "fork() = %d: one child %s pages %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                    ", catching SIGBUS and SIGSEGV (sigsetjmp) and going on", (int) pid,
                    write ? "writes" : "reads", first, last);

  self = g_new0 (PsProbeBatch, 1);
  self->log = log != NULL ? g_object_ref (log) : NULL;
  self->proto.write = write;
  self->proto.value = write ? value : 0;
  self->proto.kind = ps_source_get_kind (source);
  self->proto.flags = ps_source_get_flags (source);
  self->proto.geometry = *geometry;
  self->proto.pid = pid;
  self->base = base;
  self->next = first;
  self->last = last;
  self->fd = fds[0];
  self->last_us = g_get_monotonic_time ();
  self->each = each;
  self->done = done;
  self->data = data;
  /* below drawing and input: a sweep's progress can wait for a frame */
  self->fd_watch = g_unix_fd_add_full (self->fd, G_PRIORITY_DEFAULT_IDLE, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                       on_readable, self, NULL);
  self->child_watch = g_child_watch_add (pid, on_child_exited, self);
  self->deadline_watch = g_timeout_add (DEADLINE_CHECK_MS, on_deadline_check, self);
  return self;
}

pid_t
ps_probe_batch_get_pid (PsProbeBatch *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->proto.pid;
}

void
ps_probe_batch_free (PsProbeBatch *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->fd_watch, g_source_remove);
  g_clear_handle_id (&self->deadline_watch, g_source_remove);
  if (self->child_watch != 0)
    {
      pid_t pid = self->proto.pid;
      g_autofree char *how = NULL;
      int status = 0;

      /* GLib must not reap it any more: waitpid below does */
      g_clear_handle_id (&self->child_watch, g_source_remove);
      kill (pid, SIGKILL);
      while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
        ;
      end_run (self);
      how = ps_wait_status_to_string (status);
      ps_event_log_add (self->log, FALSE, "kill(%d, SIGKILL) = 0, waitpid(%d) = %s (the sweep was stopped)",
                        (int) pid, (int) pid, how);
    }
  close (self->fd);
  g_clear_object (&self->log);
  g_free (self);
}
