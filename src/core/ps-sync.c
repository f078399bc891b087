/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The synchronisation lesson's writers and checker: see ps-sync.h. The
 * children are made as ps-writer makes its own (fork from the main thread,
 * every signal blocked across it, PR_SET_PDEATHSIG, async-signal-safe calls
 * only), and loop over the page until its stop flag is set. */
#define G_LOG_DOMAIN "pagescope-sync"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-probe.h"
#include "ps-sync.h"

#define MAGIC             G_GUINT64_CONSTANT (0x31304e5953535028)   /* "(PSSYNC01" */
#define STOP_OFFSET       16
#define SLOT_SIZE         64
#define N_PAYLOAD         28
#define REAP_DEADLINE_US  (2 * G_USEC_PER_SEC)

/* One record: 32 words, 256 bytes. The writer and serial say whose write
 * it is; every payload word repeats the writer's letter ('A', 'B', ...), so a
 * torn record shows mixed letters in the hex view; the checksum covers all
 * but the sequence. */
typedef struct
{
  guint64 seq;        /* odd while a write is under way (seqlock) */
  guint64 writer;
  guint64 serial;
  guint64 payload[N_PAYLOAD];
  guint64 checksum;
} Record;

G_STATIC_ASSERT (sizeof (Record) == PS_SYNC_RECORD_SIZE);
G_STATIC_ASSERT (PS_SYNC_SLOTS_OFFSET + PS_SYNC_MAX_WRITERS * SLOT_SIZE <= PS_SYNC_RECORDS_OFFSET);
G_STATIC_ASSERT (PS_SYNC_RECORDS_OFFSET + PS_SYNC_N_RECORDS * PS_SYNC_RECORD_SIZE <= PS_SYNC_SIZE);
G_STATIC_ASSERT (sizeof (pthread_mutex_t) <= PS_SYNC_SEM_OFFSET - PS_SYNC_MUTEX_OFFSET);
G_STATIC_ASSERT (sizeof (sem_t) <= PS_SYNC_SLOTS_OFFSET - PS_SYNC_SEM_OFFSET);

typedef struct
{
  guint64 increments;   /* written by its child only */
  guint64 records;
} Slot;

struct _PsSync
{
  GObject       parent_instance;

  PsSource     *source;
  guint8       *page;
  PsSyncMethod  method;
  GArray       *children;     /* pid_t, running or not yet reaped */
  GArray       *watches;      /* guint, one GChildWatch per child */
  guint64       torn;
  guint64       checked;
  guint64       torn_seq[PS_SYNC_N_RECORDS];        /* the torn state seen last, */
  guint64       torn_checksum[PS_SYNC_N_RECORDS];   /* so that each counts once */
};

G_DEFINE_FINAL_TYPE (PsSync, ps_sync, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the page -------------------------------------------------------------------- */

static inline volatile guint64 *
word_at (guint8 *page,
         gsize   offset)
{
  return (volatile guint64 *) (page + offset);
}

static inline Record *
record_at (const guint8 *page,
           guint         index)
{
  return (Record *) (page + PS_SYNC_RECORDS_OFFSET + (gsize) index * PS_SYNC_RECORD_SIZE);
}

static inline volatile Slot *
slot_at (guint8 *page,
         guint   index)
{
  return (volatile Slot *) (page + PS_SYNC_SLOTS_OFFSET + (gsize) index * SLOT_SIZE);
}

static inline guint64
checksum_of (guint64        writer,
             guint64        serial,
             const guint64 *payload)
{
  /* FNV-1a over words: any field from another write changes it */
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  h = (h ^ writer) * G_GUINT64_CONSTANT (0x100000001b3);
  h = (h ^ serial) * G_GUINT64_CONSTANT (0x100000001b3);
  for (guint i = 0; i < N_PAYLOAD; i++)
    h = (h ^ payload[i]) * G_GUINT64_CONSTANT (0x100000001b3);
  return h;
}

/* ---- the children: async-signal-safe only -------------------------------------------- */

typedef struct
{
  guint8       *page;
  PsSyncMethod  method;
  guint         index;
  int           cpu;       /* -1: not pinned */
  pid_t         parent;
} Job;

static inline gboolean
stop_requested (guint8 *page)
{
  return __atomic_load_n ((guint32 *) (page + STOP_OFFSET), __ATOMIC_RELAXED) != 0;
}

static void
lock (const Job *job)
{
  if (job->method == PS_SYNC_MUTEX)
    {
      pthread_mutex_t *mutex = (pthread_mutex_t *) (job->page + PS_SYNC_MUTEX_OFFSET);

      /* robust: a writer killed holding it hands it on, never deadlocks the rest */
      if (pthread_mutex_lock (mutex) == EOWNERDEAD)
        pthread_mutex_consistent (mutex);
    }
  else if (job->method == PS_SYNC_SEMAPHORE)
    while (sem_wait ((sem_t *) (job->page + PS_SYNC_SEM_OFFSET)) != 0 && errno == EINTR)
      ;
}

static void
unlock (const Job *job)
{
  if (job->method == PS_SYNC_MUTEX)
    pthread_mutex_unlock ((pthread_mutex_t *) (job->page + PS_SYNC_MUTEX_OFFSET));
  else if (job->method == PS_SYNC_SEMAPHORE)
    sem_post ((sem_t *) (job->page + PS_SYNC_SEM_OFFSET));
}

/* The shared counter: load, add, store; with atomics, one fetch-and-add. */
static void
increment (const Job *job)
{
  volatile guint64 *counter = word_at (job->page, PS_SYNC_COUNTER_OFFSET);

  if (job->method == PS_SYNC_ATOMIC)
    {
      __atomic_fetch_add ((guint64 *) counter, 1, __ATOMIC_RELAXED);
      return;
    }
  lock (job);
  {
    guint64 value = *counter;

    *counter = value + 1;
  }
  unlock (job);
}

/* Starts a write of r: its sequence becomes odd. With atomics the record is
 * claimed by a compare-and-swap from even to odd; otherwise (under a lock,
 * or racing without one) by a plain load and store. */
static void
begin_record (const Job *job,
              Record    *r)
{
  if (job->method == PS_SYNC_ATOMIC)
    {
      guint64 seq = __atomic_load_n (&r->seq, __ATOMIC_RELAXED);

      for (;;)
        {
          if ((seq & 1) == 0 &&
              __atomic_compare_exchange_n (&r->seq, &seq, seq + 1, TRUE, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            break;
          seq = __atomic_load_n (&r->seq, __ATOMIC_RELAXED);
        }
    }
  else
    __atomic_store_n (&r->seq, *(volatile guint64 *) &r->seq + 1, __ATOMIC_RELAXED);
  /* the fields are written after the odd sequence is seen */
  __atomic_thread_fence (__ATOMIC_RELEASE);
}

static void
end_record (Record *r)
{
  __atomic_store_n (&r->seq, *(volatile guint64 *) &r->seq + 1, __ATOMIC_RELEASE);
}

static void
write_record (const Job *job,
              Record    *r,
              guint64    serial)
{
  volatile guint64 *words = (volatile guint64 *) r;
  guint64 payload[N_PAYLOAD];
  guint64 letter = ('A' + job->index % 26) * G_GUINT64_CONSTANT (0x0101010101010101);

  for (guint i = 0; i < N_PAYLOAD; i++)
    payload[i] = letter;
  if (job->method != PS_SYNC_ATOMIC)
    lock (job);
  begin_record (job, r);
  /* field by field, as a program would: the window a tear needs */
  words[1] = job->index;
  words[2] = serial;
  for (guint i = 0; i < N_PAYLOAD; i++)
    words[3 + i] = payload[i];
  words[3 + N_PAYLOAD] = checksum_of (job->index, serial, payload);
  end_record (r);
  if (job->method != PS_SYNC_ATOMIC)
    unlock (job);
}

static void
pin (int cpu)
{
  cpu_set_t set;

  if (cpu < 0)
    return;
  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  sched_setaffinity (0, sizeof set, &set);
}

G_GNUC_NORETURN static void
sync_child (const Job *job)
{
  volatile Slot *slot = slot_at (job->page, job->index);
  guint64 rng = G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) ^ ((guint64) job->index << 32 | (guint64) getpid ());
  sigset_t none;

  /* PDEATHSIG follows the thread that forked us; it may be gone already */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () != job->parent)
    _exit (0);
  ps_child_reset_signals ();
  close_range (3, ~0U, 0);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  pin (job->cpu);

  for (guint64 n = 0; !stop_requested (job->page); n++)
    {
      increment (job);
      slot->increments = n + 1;

      rng ^= rng >> 12;
      rng ^= rng << 25;
      rng ^= rng >> 27;
      write_record (job, record_at (job->page, (guint) ((rng * G_GUINT64_CONSTANT (0x2545F4914F6CDD1D)) >> 62)), n);
      slot->records = n + 1;
    }
  _exit (0);
}

/* ---- the checker ------------------------------------------------------------------- */

/* Reads record i as a seqlock reader does, without a lock: FALSE when a
 * write was under way or came in between (read it next time); else *torn
 * says whether its checksum fails, *seq and *stored which state it is. */
static gboolean
check_one (const guint8 *page,
           guint         i,
           gboolean     *torn,
           guint64      *seq,
           guint64      *stored)
{
  Record *r = record_at (page, i);
  const volatile guint64 *words = (const volatile guint64 *) r;
  guint64 copy[PS_SYNC_RECORD_SIZE / 8];
  guint64 before, after;

  before = __atomic_load_n (&r->seq, __ATOMIC_ACQUIRE);
  if (before & 1)
    return FALSE;
  for (guint w = 1; w < G_N_ELEMENTS (copy); w++)
    copy[w] = words[w];
  __atomic_thread_fence (__ATOMIC_ACQUIRE);
  after = __atomic_load_n (&r->seq, __ATOMIC_RELAXED);
  if (after != before)
    return FALSE;
  *seq = before;
  *stored = copy[3 + N_PAYLOAD];
  *torn = checksum_of (copy[1], copy[2], copy + 3) != *stored;
  return TRUE;
}

guint
ps_sync_check_records (const guint8 *page,
                       guint        *checked,
                       guint64      *seqs)
{
  guint torn = 0, consistent = 0;

  g_return_val_if_fail (page != NULL, 0);

  for (guint i = 0; i < PS_SYNC_N_RECORDS; i++)
    {
      gboolean is_torn;
      guint64 seq, stored;

      if (seqs != NULL)
        seqs[i] = G_MAXUINT64;
      if (!check_one (page, i, &is_torn, &seq, &stored))
        continue;
      consistent++;
      torn += is_torn;
      if (seqs != NULL)
        seqs[i] = seq;
    }
  if (checked != NULL)
    *checked = consistent;
  return torn;
}

/* ---- PsSync --------------------------------------------------------------------------- */

static void
ps_sync_dispose (GObject *object)
{
  PsSync *self = PS_SYNC (object);

  ps_sync_stop (self);
  g_clear_object (&self->source);
  G_OBJECT_CLASS (ps_sync_parent_class)->dispose (object);
}

static void
ps_sync_finalize (GObject *object)
{
  PsSync *self = PS_SYNC (object);

  g_array_unref (self->children);
  g_array_unref (self->watches);
  G_OBJECT_CLASS (ps_sync_parent_class)->finalize (object);
}

static void
ps_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, ps_sync_is_running (PS_SYNC (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_sync_class_init (PsSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_sync_dispose;
  object_class->finalize = ps_sync_finalize;
  object_class->get_property = ps_sync_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_sync_init (PsSync *self)
{
  self->children = g_array_new (FALSE, FALSE, sizeof (pid_t));
  self->watches = g_array_new (FALSE, FALSE, sizeof (guint));
}

static PsEventLog *
sync_log (PsSync *self)
{
  return ps_source_get_log (self->source);
}

PsSync *
ps_sync_new (PsSource  *source,
             GError   **error)
{
  g_autofree char *call = NULL;
  PsSync *self;

  g_return_val_if_fail (PS_IS_SOURCE (source), NULL);

  call = g_strdup_printf ("sync lesson on %s", ps_source_get_display_name (source));
  if (ps_source_is_closed (source))
    {
      ps_call_refuse (ps_source_get_log (source), error, G_IO_ERROR_CLOSED, call, _("the source is closed"));
      return NULL;
    }
  if (!ps_source_is_writable (source) || ps_source_is_private (source))
    {
      ps_call_refuse (ps_source_get_log (source), error, G_IO_ERROR_READ_ONLY, call,
                      _("the writers need a writable shared mapping (MAP_SHARED): with MAP_PRIVATE each would write its own copy"));
      return NULL;
    }
  if (ps_source_get_geometry (source)->data_length < PS_SYNC_SIZE)
    {
      ps_call_refuse (ps_source_get_log (source), error, G_IO_ERROR_INVALID_ARGUMENT, call,
                      _("the lesson needs %d bytes of the object, and the mapping holds fewer"), PS_SYNC_SIZE);
      return NULL;
    }
  self = g_object_new (PS_TYPE_SYNC, NULL);
  self->source = g_object_ref (source);
  self->page = ps_source_get_data (source);
  return self;
}

/* The page for a run: zeros, then the header, consistent records, and the
 * lock object the method uses, made process-shared. */
static gboolean
init_page (PsSync        *self,
           PsSyncMethod   method,
           guint          n_writers,
           GError       **error)
{
  PsEventLog *log = sync_log (self);
  guint64 zeros[N_PAYLOAD] = { 0 };
  int rc;

  memset (self->page, 0, PS_SYNC_SIZE);
  *word_at (self->page, 0) = MAGIC;
  *(guint32 *) (self->page + 8) = method;
  *(guint32 *) (self->page + 12) = n_writers;
  for (guint i = 0; i < PS_SYNC_N_RECORDS; i++)
    record_at (self->page, i)->checksum = checksum_of (0, 0, zeros);

  if (method == PS_SYNC_MUTEX)
    {
      pthread_mutexattr_t attr;
      pthread_mutex_t *mutex = (pthread_mutex_t *) (self->page + PS_SYNC_MUTEX_OFFSET);

      pthread_mutexattr_init (&attr);
      pthread_mutexattr_setpshared (&attr, PTHREAD_PROCESS_SHARED);
      pthread_mutexattr_setrobust (&attr, PTHREAD_MUTEX_ROBUST);
      rc = pthread_mutex_init (mutex, &attr);
      pthread_mutexattr_destroy (&attr);
      if (rc != 0)
        return ps_call_fail (log, error, rc, "pthread_mutex_init(%p, PTHREAD_PROCESS_SHARED|PTHREAD_MUTEX_ROBUST)", mutex);
      ps_event_log_add (log, FALSE, "pthread_mutex_init(%p, PTHREAD_PROCESS_SHARED|PTHREAD_MUTEX_ROBUST) = 0 (at +0x%x)",
                        mutex, PS_SYNC_MUTEX_OFFSET);
    }
  else if (method == PS_SYNC_SEMAPHORE)
    {
      sem_t *sem = (sem_t *) (self->page + PS_SYNC_SEM_OFFSET);

      if (sem_init (sem, 1, 1) != 0)
        return ps_call_fail (log, error, errno, "sem_init(%p, pshared=1, value=1)", sem);
      ps_event_log_add (log, FALSE, "sem_init(%p, pshared=1, value=1) = 0 (at +0x%x)", sem, PS_SYNC_SEM_OFFSET);
    }
  return TRUE;
}

static void
on_child_exited (GPid     pid,
                 int      status,
                 gpointer data)
{
  PsSync *self = data;
  g_autofree char *how = ps_wait_status_to_string (status);

  for (guint i = 0; i < self->children->len; i++)
    if (g_array_index (self->children, pid_t, i) == pid)
      {
        g_array_remove_index (self->children, i);
        g_array_remove_index (self->watches, i);
        break;
      }
  ps_event_log_add (sync_log (self), FALSE, "waitpid(%d) = %s", (int) pid, how);
  if (self->children->len == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* The cores this process may run on, to pin children to in turn. */
static GArray *
usable_cpus (void)
{
  GArray *cpus = g_array_new (FALSE, FALSE, sizeof (int));
  cpu_set_t set;

  if (sched_getaffinity (0, sizeof set, &set) == 0)
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
      if (CPU_ISSET (cpu, &set))
        g_array_append_val (cpus, cpu);
  return cpus;
}

gboolean
ps_sync_start (PsSync        *self,
               PsSyncMethod   method,
               guint          n_writers,
               GError       **error)
{
  g_autoptr(GArray) cpus = usable_cpus ();
  g_autofree char *call = NULL;
  PsEventLog *log;

  g_return_val_if_fail (PS_IS_SYNC (self), FALSE);
  g_return_val_if_fail (method < PS_SYNC_N_METHODS, FALSE);

  log = sync_log (self);
  if (n_writers == 0)
    n_writers = MAX (2, cpus->len);
  call = g_strdup_printf ("fork(%u sync writers, %s)", n_writers, ps_sync_method_to_string (method));
  if (ps_sync_is_running (self))
    return ps_call_refuse (log, error, G_IO_ERROR_BUSY, call, _("the writers are running: stop them first"));
  if (ps_source_is_closed (self->source))
    return ps_call_refuse (log, error, G_IO_ERROR_CLOSED, call, _("the source is closed"));
  if (n_writers > PS_SYNC_MAX_WRITERS)
    return ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("the number of writers must be 1 to %d"), PS_SYNC_MAX_WRITERS);
  if (!init_page (self, method, n_writers, error))
    return FALSE;
  self->method = method;
  self->torn = self->checked = 0;
  memset (self->torn_seq, 0xff, sizeof self->torn_seq);

  for (guint i = 0; i < n_writers; i++)
    {
      Job job = { self->page, method, i, cpus->len > 0 ? g_array_index (cpus, int, i % cpus->len) : -1, getpid () };
      pid_t pid = ps_fork_blocked ();
      guint watch;

      if (pid == 0)
        sync_child (&job);
      if (pid < 0)
        {
          ps_call_fail (log, error, errno, "fork()");
          ps_sync_stop (self);
          return FALSE;
        }
      ps_event_log_add (log, FALSE, "fork() = %d (sync writer %c, %s, cpu %d)", (int) pid, 'A' + i % 26,
                        ps_sync_method_to_string (method), job.cpu);
      watch = g_child_watch_add (pid, on_child_exited, self);
      g_array_append_val (self->children, pid);
      g_array_append_val (self->watches, watch);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

void
ps_sync_stop (PsSync *self)
{
  gint64 deadline;

  g_return_if_fail (PS_IS_SYNC (self));

  if (self->children->len == 0)
    return;
  /* from now on only we reap them */
  for (guint i = 0; i < self->watches->len; i++)
    g_source_remove (g_array_index (self->watches, guint, i));
  g_array_set_size (self->watches, 0);
  __atomic_store_n ((guint32 *) (self->page + STOP_OFFSET), 1, __ATOMIC_RELAXED);
  ps_event_log_add (sync_log (self), FALSE, "sync writers: stop flag set at +0x%x", STOP_OFFSET);

  /* each finishes the loop it is in: microseconds, unless one is stopped */
  deadline = g_get_monotonic_time () + REAP_DEADLINE_US;
  while (self->children->len > 0)
    {
      gboolean late = g_get_monotonic_time () > deadline;

      for (guint i = self->children->len; i-- > 0; )
        {
          pid_t pid = g_array_index (self->children, pid_t, i);
          int status = 0;
          pid_t r;

          if (late && kill (pid, SIGKILL) == 0)
            ps_event_log_add (sync_log (self), FALSE, "kill(%d, SIGKILL) = 0 (it did not stop in time)", (int) pid);
          do
            r = waitpid (pid, &status, late ? 0 : WNOHANG);
          while (r < 0 && errno == EINTR);
          if (r == pid || r < 0)
            {
              g_autofree char *how = r == pid ? ps_wait_status_to_string (status) : g_strdup ("-1 ECHILD");

              ps_event_log_add (sync_log (self), FALSE, "waitpid(%d) = %s", (int) pid, how);
              g_array_remove_index (self->children, i);
            }
        }
      if (self->children->len > 0)
        g_usleep (200);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
ps_sync_is_running (PsSync *self)
{
  g_return_val_if_fail (PS_IS_SYNC (self), FALSE);
  return self->children->len > 0;
}

PsSyncMethod
ps_sync_get_method (PsSync *self)
{
  g_return_val_if_fail (PS_IS_SYNC (self), PS_SYNC_UNLOCKED);
  return self->method;
}

void
ps_sync_get_counts (PsSync       *self,
                    PsSyncCounts *counts)
{
  guint32 n_writers;

  g_return_if_fail (PS_IS_SYNC (self));
  g_return_if_fail (counts != NULL);

  memset (counts, 0, sizeof *counts);
  counts->method = self->method;
  counts->n_running = self->children->len;
  if (ps_source_is_closed (self->source))
    return;

  /* the slots first: a child adds to its slot after the counter, so the
   * counter read after them is never behind because of that */
  n_writers = MIN (*(volatile guint32 *) (self->page + 12), PS_SYNC_MAX_WRITERS);
  for (guint i = 0; i < n_writers; i++)
    {
      counts->expected += slot_at (self->page, i)->increments;
      counts->records_written += slot_at (self->page, i)->records;
    }
  counts->counter = __atomic_load_n ((guint64 *) (self->page + PS_SYNC_COUNTER_OFFSET), __ATOMIC_ACQUIRE);
  counts->lost = counts->expected > counts->counter ? counts->expected - counts->counter : 0;

  for (guint i = 0; i < PS_SYNC_N_RECORDS; i++)
    {
      gboolean torn;
      guint64 seq, stored;

      if (!check_one (self->page, i, &torn, &seq, &stored))
        continue;
      self->checked++;
      if (!torn)
        continue;
      counts->torn_now++;
      /* each torn state once, however often it is looked at */
      if (seq != self->torn_seq[i] || stored != self->torn_checksum[i])
        {
          self->torn++;
          self->torn_seq[i] = seq;
          self->torn_checksum[i] = stored;
        }
    }
  counts->records_checked = self->checked;
  counts->torn = self->torn;
}

/* ---- names ---------------------------------------------------------------------------- */

static const char *const method_names[] = { "none", "mutex", "semaphore", "atomic" };

const char *
ps_sync_method_to_string (PsSyncMethod method)
{
  g_return_val_if_fail (method < PS_SYNC_N_METHODS, "?");
  return method_names[method];
}

gboolean
ps_sync_method_parse (const char   *text,
                      PsSyncMethod *method,
                      GError      **error)
{
  g_return_val_if_fail (text != NULL && method != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    if (g_ascii_strcasecmp (text, method_names[i]) == 0)
      {
        *method = i;
        return TRUE;
      }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("synchronisation \"%s\": expected none, mutex, semaphore or atomic"), text);
  return FALSE;
}
