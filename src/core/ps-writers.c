/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsWriters: the writer children of one source, their shared counters
 * (one cache line each), spawning, stopping and reaping them. */
#define G_LOG_DOMAIN "pagescope-writer"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ps-bytes.h"
#include "ps-parse.h"
#include "ps-probe.h"
#include "ps-writer-private.h"


struct _PsWriters
{
  GObject    parent_instance;

  PsSource  *source;
  GPtrArray *children;     /* PsWriterChild, in spawn order */
  guint8    *slots;        /* PS_WRITERS_MAX counters, SLOT_SIZE apart, MAP_SHARED */
  gsize      slots_len;
  guint64    slots_used;   /* a bit per slot held by a running child */
  guint64    seed;
};

enum
{
  SIGNAL_CHILD_EXITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
ps_writers_get_item_type (GListModel *model)
{
  return PS_TYPE_WRITER_CHILD;
}

static guint
ps_writers_get_n_items (GListModel *model)
{
  return PS_WRITERS (model)->children->len;
}

static gpointer
ps_writers_get_item (GListModel *model,
                     guint       position)
{
  PsWriters *self = PS_WRITERS (model);

  if (position >= self->children->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->children, position));
}

static void
ps_writers_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ps_writers_get_item_type;
  iface->get_n_items = ps_writers_get_n_items;
  iface->get_item = ps_writers_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (PsWriters, ps_writers, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ps_writers_list_model_init))

static PsEventLog *
writers_log (PsWriters *self)
{
  return self->source != NULL ? ps_source_get_log (self->source) : NULL;
}

/* The child is gone and reaped: record how, log it, free its slot. */
static void
finish_child (PsWriters     *self,
              PsWriterChild *child,
              int            status)
{
  g_autofree char *how = NULL;

  child->final_done = child->done != NULL ? *child->done : child->final_done;
  child->done = NULL;
  self->slots_used &= ~(G_GUINT64_CONSTANT (1) << child->index);
  child->owner = NULL;

  if (status == -1)
    {
      child->state = PS_WRITER_EXITED;
      child->exit_status = -1;
      ps_call_fail (writers_log (self), NULL, ECHILD, "waitpid(%d)", (int) child->pid);
      return;
    }
  if (WIFSIGNALED (status))
    {
      child->state = PS_WRITER_KILLED;
      child->term_signal = WTERMSIG (status);
    }
  else
    {
      child->state = PS_WRITER_EXITED;
      child->exit_status = WEXITSTATUS (status);
    }
  how = ps_wait_status_to_string (status);
  ps_event_log_add (writers_log (self), FALSE, "waitpid(%d) = %s", (int) child->pid, how);
}

static void
on_child_exited (GPid     pid,
                 int      status,
                 gpointer data)
{
  PsWriterChild *child = data;
  PsWriters *self = child->owner;
  guint position;

  child->watch_id = 0;
  if (self == NULL)
    return;

  finish_child (self, child, status);
  g_signal_emit (self, signals[SIGNAL_CHILD_EXITED], 0, child);
  if (g_ptr_array_find (self->children, child, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

static void
send_signal (PsWriters     *self,
             PsWriterChild *child,
             int            signo)
{
  g_autofree char *name = ps_signal_name (signo);

  if (kill (child->pid, signo) == 0)
    ps_event_log_add (writers_log (self), FALSE, "kill(%d, %s) = 0", (int) child->pid, name);
  else
    ps_call_fail (writers_log (self), NULL, errno, "kill(%d, %s)", (int) child->pid, name);
}

/* SIGTERM, then reap synchronously; SIGKILL whoever outlives the deadline. */
static void
reap_all (PsWriters *self)
{
  g_autoptr(GPtrArray) pending = g_ptr_array_new ();
  gint64 deadline;

  for (guint i = 0; i < self->children->len; i++)
    {
      PsWriterChild *child = g_ptr_array_index (self->children, i);

      if (child->state != PS_WRITER_RUNNING)
        continue;
      /* from now on only we reap it; the watch must not */
      g_clear_handle_id (&child->watch_id, g_source_remove);
      send_signal (self, child, SIGTERM);
      g_ptr_array_add (pending, child);
    }

  deadline = g_get_monotonic_time () + REAP_DEADLINE_US;
  while (pending->len > 0)
    {
      gboolean late = g_get_monotonic_time () > deadline;

      for (guint i = pending->len; i-- > 0; )
        {
          PsWriterChild *child = g_ptr_array_index (pending, i);
          int status = 0;
          pid_t r;

          if (late)
            send_signal (self, child, SIGKILL);
          do
            r = waitpid (child->pid, &status, late ? 0 : WNOHANG);
          while (r < 0 && errno == EINTR);

          if (r == child->pid || r < 0)
            {
              /* r < 0: ECHILD, the watch reaped it just before we removed it */
              finish_child (self, child, r < 0 ? -1 : status);
              g_ptr_array_remove_index_fast (pending, i);
            }
        }
      if (pending->len > 0)
        g_usleep (1000);
    }
}

static void
ps_writers_dispose (GObject *object)
{
  PsWriters *self = PS_WRITERS (object);

  reap_all (self);
  if (self->slots != NULL)
    {
      if (munmap (self->slots, self->slots_len) == 0)
        ps_event_log_add (writers_log (self), FALSE, "munmap(%p, %zu) = 0", self->slots, self->slots_len);
      else
        ps_call_fail (writers_log (self), NULL, errno, "munmap(%p, %zu)", self->slots, self->slots_len);
      self->slots = NULL;
    }
  g_clear_object (&self->source);
  G_OBJECT_CLASS (ps_writers_parent_class)->dispose (object);
}

static void
ps_writers_finalize (GObject *object)
{
  PsWriters *self = PS_WRITERS (object);

  g_ptr_array_unref (self->children);
  G_OBJECT_CLASS (ps_writers_parent_class)->finalize (object);
}

static void
ps_writers_class_init (PsWritersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_writers_dispose;
  object_class->finalize = ps_writers_finalize;

  /**
   * PsWriters::child-exited:
   * @child: the PsWriterChild, reaped; its state says how it ended
   */
  signals[SIGNAL_CHILD_EXITED] =
    g_signal_new ("child-exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, PS_TYPE_WRITER_CHILD);
}

static void
ps_writers_init (PsWriters *self)
{
  self->children = g_ptr_array_new_with_free_func (g_object_unref);
  self->seed = ((guint64) g_random_int () << 32) | g_random_int ();
}

PsWriters *
ps_writers_new (PsSource *source)
{
  PsWriters *self;

  g_return_val_if_fail (PS_IS_SOURCE (source), NULL);

  self = g_object_new (PS_TYPE_WRITERS, NULL);
  self->source = g_object_ref (source);
  return self;
}

guint
ps_writers_get_n_running (PsWriters *self)
{
  guint n = 0;

  g_return_val_if_fail (PS_IS_WRITERS (self), 0);

  for (guint i = 0; i < self->children->len; i++)
    if (((PsWriterChild *) g_ptr_array_index (self->children, i))->state == PS_WRITER_RUNNING)
      n++;
  return n;
}

static gboolean
map_slots (PsWriters *self,
           GError   **error)
{
  gsize len = PS_WRITERS_MAX * SLOT_SIZE;
  void *addr;

  if (self->slots != NULL)
    return TRUE;
  addr = mmap (NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (addr == MAP_FAILED)
    return ps_call_fail (writers_log (self), error, errno,
                         "mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0)", len);
  ps_event_log_add (writers_log (self), FALSE,
                    "mmap(NULL, %zu, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = %p (the writers' counters)",
                    len, addr);
  self->slots = addr;
  self->slots_len = len;
  return TRUE;
}

static guint
take_slot (PsWriters *self)
{
  for (guint i = 0; i < PS_WRITERS_MAX; i++)
    if (!(self->slots_used & (G_GUINT64_CONSTANT (1) << i)))
      {
        self->slots_used |= G_GUINT64_CONSTANT (1) << i;
        return i;
      }
  g_return_val_if_reached (0);
}

/* The child: async-signal-safe calls only (KERNEL-FACTS, fork in a threaded
 * GTK process). All signals are blocked on entry (ps_fork_blocked). */
G_GNUC_NORETURN static void
writer_child (const PsWriterJob *job,
              pid_t              parent)
{
  sigset_t none;

  /* PDEATHSIG follows the thread that forked us; it may be gone already */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () != parent)
    _exit (0);

  ps_child_reset_signals ();
  /* the mapping needs no fd; holding the app's pipes and sockets open would
   * keep their readers from seeing EOF for as long as we run */
  close_range (3, ~0U, 0);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);

  ps_writer_run (job, NULL);
  _exit (0);
}

static pid_t
fork_writer (const PsWriterJob *job,
             int               *errsv)
{
  pid_t parent = getpid ();
  pid_t pid = ps_fork_blocked ();

  if (pid == 0)
    writer_child (job, parent);
  *errsv = errno;
  return pid;
}

static gboolean
check_spawn (PsWriters  *self,
             const char *call,
             guint       n,
             double      rate,
             guint64     range_offset,
             guint64    *range_length,
             GError    **error)
{
  PsEventLog *log = writers_log (self);
  guint running = ps_writers_get_n_running (self);
  guint64 length;

  if (self->source == NULL || ps_source_is_closed (self->source))
    return ps_call_refuse (log, error, G_IO_ERROR_CLOSED, call, _("the source is closed"));
  if (!ps_source_check_own_mapping (self->source, call, error))
    return FALSE;
  length = ps_source_get_geometry (self->source)->length;

  if (n == 0)
    return ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("the number of writers must be 1 to %d"), PS_WRITERS_MAX);
  if (n > PS_WRITERS_MAX - running)
    return ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("%u writers are running and %u more would pass the limit of %d"),
                           running, n, PS_WRITERS_MAX);
  if (!isfinite (rate) || rate < 0)
    return ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("the rate must be a finite number of writes per second, 0 or more (0: as fast as possible)"));
  if (rate > 0 && rate < PS_WRITER_RATE_MIN)
    {
      g_autofree char *text = g_strdup_printf ("%g", rate);
      g_autoptr(GError) reason = NULL;

      ps_writer_rate_too_small (&reason, text);
      return ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call, "%s", reason->message);
    }
  if (!ps_source_is_writable (self->source))
    return ps_call_refuse (log, error, G_IO_ERROR_READ_ONLY, call,
                           _("the mapping is read-only; reopen it writable (Writable in the open dialog, or --writable)"));
  if (range_offset >= length)
    return ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("the range starts at %" PRIu64 ", at or past the end of the mapping (%" PRIu64 " bytes)"),
                           range_offset, length);
  if (*range_length == 0)
    {
      /* the whole mapping means the object's bytes in it: a write to a page
       * wholly past EOF raises SIGBUS and would kill the child at once */
      guint64 end = MIN (ps_source_get_geometry (self->source)->data_length, length);

      if (range_offset >= end)
        return ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                               _("the object ends at %" PRIu64 " bytes, so nothing of it lies at %" PRIu64 "; give a length to write past its end anyway (a page wholly past it raises SIGBUS)"),
                               end, range_offset);
      *range_length = end - range_offset;
    }
  else if (*range_length > length - range_offset)
    return ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("the range of %" PRIu64 " bytes at %" PRIu64 " runs past the end of the mapping (%" PRIu64 " bytes)"),
                           *range_length, range_offset, length);
  return TRUE;
}

gboolean
ps_writers_spawn (PsWriters       *self,
                  guint            n,
                  const PsPattern *pattern,
                  double           rate,
                  guint64          range_offset,
                  guint64          range_length,
                  guint64          count,
                  GError         **error)
{
  g_autofree char *pattern_text = NULL;
  g_autofree char *rate_text = NULL;
  g_autofree char *call = NULL;
  PsWriterJob job = { 0 };
  guint first;

  g_return_val_if_fail (PS_IS_WRITERS (self), FALSE);
  g_return_val_if_fail (pattern != NULL, FALSE);

  pattern_text = ps_pattern_to_string (pattern);
  rate_text = ps_writer_rate_to_string (rate);
  call = g_strdup_printf ("fork(%u writers, %s, %s, range 0x%" G_GINT64_MODIFIER "x+0x%" G_GINT64_MODIFIER "x, count %" G_GUINT64_FORMAT ")",
                          n, pattern_text, rate_text, range_offset, range_length, count);
  if (!check_spawn (self, call, n, rate, range_offset, &range_length, error))
    return FALSE;
  /* a message cut to fit would not be the message asked for */
  if (pattern->kind == PS_PATTERN_TEXT && pattern->text_len > range_length)
    return ps_call_refuse (writers_log (self), error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("the message is %zu bytes and the range only %" PRIu64 "; shorten the message or widen the range"),
                           pattern->text_len, range_length);
  if (!map_slots (self, error))
    return FALSE;

  job.base = ps_source_get_data (self->source);
  job.range_offset = range_offset;
  job.range_length = range_length;
  job.pattern = *pattern;
  job.rate = rate;
  job.count = count;
  job.seed = self->seed;
  job.page_size = ps_source_get_geometry (self->source)->page_size;

  first = self->children->len;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PsWriterChild) child = g_object_new (PS_TYPE_WRITER_CHILD, NULL);
      int errsv = 0;

      child->index = take_slot (self);
      child->done = (volatile guint64 *) (self->slots + child->index * SLOT_SIZE);
      *child->done = 0;
      job.index = child->index;
      job.done = child->done;

      child->pid = fork_writer (&job, &errsv);
      if (child->pid < 0)
        {
          self->slots_used &= ~(G_GUINT64_CONSTANT (1) << child->index);
          if (self->children->len > first)
            g_list_model_items_changed (G_LIST_MODEL (self), first, 0, self->children->len - first);
          /* the children already forked keep running, in the list */
          return ps_call_fail (writers_log (self), error, errsv, "fork()");
        }
      ps_event_log_add (writers_log (self), FALSE, "fork() = %d", (int) child->pid);

      child->owner = self;
      child->pattern = *pattern;
      child->rate = rate;
      child->watch_id = g_child_watch_add_full (G_PRIORITY_DEFAULT, child->pid, on_child_exited,
                                                g_object_ref (child), g_object_unref);
      g_ptr_array_add (self->children, g_steal_pointer (&child));
    }
  g_list_model_items_changed (G_LIST_MODEL (self), first, 0, n);
  return TRUE;
}

void
ps_writers_stop (PsWriters     *self,
                 PsWriterChild *child)
{
  g_return_if_fail (PS_IS_WRITERS (self));
  g_return_if_fail (PS_IS_WRITER_CHILD (child));

  /* not yet reaped (the watch reaps), so the pid cannot have been reused */
  if (child->state == PS_WRITER_RUNNING && child->owner == self)
    send_signal (self, child, SIGTERM);
}

void
ps_writers_stop_all (PsWriters *self)
{
  g_return_if_fail (PS_IS_WRITERS (self));

  for (guint i = 0; i < self->children->len; i++)
    ps_writers_stop (self, g_ptr_array_index (self->children, i));
}

void
ps_writers_clear_exited (PsWriters *self)
{
  g_return_if_fail (PS_IS_WRITERS (self));

  for (guint i = self->children->len; i-- > 0; )
    {
      PsWriterChild *child = g_ptr_array_index (self->children, i);

      if (child->state != PS_WRITER_RUNNING)
        {
          g_ptr_array_remove_index (self->children, i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
        }
    }
}

