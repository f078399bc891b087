/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-test-util"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-test-util.h"

#define TRAP_TIMEOUT_US (60 * G_USEC_PER_SEC)

/* ---- cleanup, also on abort ------------------------------------------------
 * Every object queued is also written into this table, which the SIGABRT
 * handler walks with async-signal-safe calls only (unlink, shmctl, kill,
 * waitpid); the queued destroy that runs when the test ends clears its slot.
 * Slots are filled on the main thread only. */

typedef enum
{
  CLEAN_NONE,
  CLEAN_PATH,    /* unlink, or rmdir a directory */
  CLEAN_SYSV,
  CLEAN_CHILD,       /* forked here: killed and reaped */
  CLEAN_SUBPROCESS,  /* a GSubprocess: killed, GLib reaps it */
} CleanKind;

typedef struct
{
  volatile sig_atomic_t kind;
  char                 *path;    /* CLEAN_PATH: a file, or /dev/shm/NAME */
  int                   id;      /* CLEAN_SYSV: shmid; CLEAN_CHILD, CLEAN_SUBPROCESS: pid */
  pid_t                 creator; /* CLEAN_SYSV: its shm_cpid, or 0 if IPC_STAT was refused */
  GSubprocess          *process; /* CLEAN_SUBPROCESS, a reference */
} Cleanup;

#define MAX_CLEANUPS 512

static Cleanup cleanups[MAX_CLEANUPS];
static pid_t   owner_pid;

/* Whether pid is a child of ours that has not exited; never reaps it. A
 * child the test reaped itself may be another process's pid by now: it is
 * no child of ours, and waitid says so. */
static gboolean
child_running (pid_t pid)
{
  siginfo_t info = { 0 };

  return waitid (P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
}

/* Async-signal-safe: what the abort handler runs too. */
static void
clean_now (Cleanup *c)
{
  struct shmid_ds ds;

  switch (c->kind)
    {
    case CLEAN_PATH:
      if (unlink (c->path) != 0 && errno == EISDIR)
        rmdir (c->path);
      break;
    case CLEAN_SYSV:
      /* only while it is still the segment queued: a shmid the test removed
       * itself may name another process's segment by now */
      if (c->creator == 0 || (shmctl (c->id, IPC_STAT, &ds) == 0 && ds.shm_cpid == c->creator))
        shmctl (c->id, IPC_RMID, NULL);
      break;
    case CLEAN_CHILD:
      if (child_running (c->id))
        kill (c->id, SIGKILL);
      /* killed now or exited before: reaped, no zombie stays */
      if (waitpid (c->id, NULL, WNOHANG) == 0)
        waitpid (c->id, NULL, 0);
      break;
    case CLEAN_SUBPROCESS:
      if (child_running (c->id))
        kill (c->id, SIGKILL);
      break;
    default:
      break;
    }
  c->kind = CLEAN_NONE;
}

static void
on_fatal_signal (int signo)
{
  /* a forked child runs its parent's handler too: it owns nothing */
  if (getpid () == owner_pid)
    for (guint i = 0; i < MAX_CLEANUPS; i++)
      if (cleanups[i].kind != CLEAN_NONE)
        clean_now (&cleanups[i]);
  signal (signo, SIG_DFL);
  raise (signo);
}

void
ps_test_init (int    *argc,
              char ***argv)
{
  /* an assertion (abort), G_BREAKPOINT, meson's timeout, ^C, a closed terminal */
  const int fatal[] = { SIGABRT, SIGTRAP, SIGTERM, SIGINT, SIGHUP };
  struct sigaction action = { 0 };

  g_test_init (argc, argv, NULL);
  owner_pid = getpid ();
  action.sa_handler = on_fatal_signal;
  sigemptyset (&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  for (guint i = 0; i < G_N_ELEMENTS (fatal); i++)
    sigaction (fatal[i], &action, NULL);
}

/* Children the queue reaped, and how they ended: GLib runs the queue before
 * a fixture's teardown, which may reap the child itself (ps_test_reap). */
static GHashTable *reaped_by_queue;

static void
reap_queued_child (Cleanup *c)
{
  int status;

  if (child_running (c->id))
    kill (c->id, SIGKILL);
  if (waitpid (c->id, &status, 0) == c->id)
    {
      if (reaped_by_queue == NULL)
        reaped_by_queue = g_hash_table_new (NULL, NULL);
      g_hash_table_insert (reaped_by_queue, GINT_TO_POINTER (c->id), GINT_TO_POINTER (status));
    }
  c->kind = CLEAN_NONE;
}

static void
run_cleanup (gpointer data)
{
  Cleanup *c = data;

  if (c->kind == CLEAN_CHILD)
    reap_queued_child (c);
  else if (c->kind == CLEAN_SUBPROCESS)
    {
      /* GLib's child watch reaps it: wait for that, never waitpid here */
      g_subprocess_force_exit (c->process);
      g_subprocess_wait (c->process, NULL, NULL);
      c->kind = CLEAN_NONE;
    }
  else
    clean_now (c);
  g_clear_object (&c->process);
}

static Cleanup *
queue_cleanup (CleanKind   kind,
               const char *path,
               int         id)
{
  for (guint i = 0; i < MAX_CLEANUPS; i++)
    {
      Cleanup *c = &cleanups[i];

      if (c->kind != CLEAN_NONE)
        continue;
      g_free (c->path);
      g_clear_object (&c->process);
      c->path = g_strdup (path);
      c->id = id;
      c->kind = kind;
      g_test_queue_destroy (run_cleanup, c);
      return c;
    }
  g_error ("more than %d objects queued for removal", MAX_CLEANUPS);
}

void
ps_test_queue_unlink (const char *path)
{
  queue_cleanup (CLEAN_PATH, path, 0);
}

void
ps_test_queue_shm_unlink (const char *name)
{
  g_autofree char *path = NULL;

  /* shm_unlink is unlink in /dev/shm, which the abort handler may call */
  while (*name == '/')
    name++;
  path = g_strconcat ("/dev/shm/", name, NULL);
  queue_cleanup (CLEAN_PATH, path, 0);
}

void
ps_test_queue_rmid (int shmid)
{
  struct shmid_ds ds;
  Cleanup *c = queue_cleanup (CLEAN_SYSV, NULL, shmid);

  c->creator = shmctl (shmid, IPC_STAT, &ds) == 0 ? ds.shm_cpid : 0;
}

void
ps_test_queue_kill (pid_t pid)
{
  queue_cleanup (CLEAN_CHILD, NULL, pid);
}

void
ps_test_queue_subprocess (GSubprocess *process)
{
  const char *id = g_subprocess_get_identifier (process);
  Cleanup *c;

  if (id == NULL)
    return;   /* it has exited already */
  c = queue_cleanup (CLEAN_SUBPROCESS, NULL, atoi (id));
  c->process = g_object_ref (process);
}

/* The child was reaped: its pid may be reused, so never kill it later. */
static void
forget_child (pid_t pid)
{
  for (guint i = 0; i < MAX_CLEANUPS; i++)
    if (cleanups[i].kind == CLEAN_CHILD && cleanups[i].id == pid)
      cleanups[i].kind = CLEAN_NONE;
}

/* ---- objects ------------------------------------------------------------- */

char *
ps_test_posix_name (const char *tag)
{
  static guint serial;
  return g_strdup_printf ("/pagescope-test-%d-%s-%u", (int) getpid (), tag, g_atomic_int_add (&serial, 1));
}

static char *
make_file_in (const char *dir,
              const char *tag,
              gsize       size,
              guint8      fill)
{
  g_autofree char *path = g_strdup_printf ("%s/pagescope-test-%d-%s-XXXXXX", dir, (int) getpid (), tag);
  g_autofree guint8 *contents = g_malloc (MAX (size, 1));
  g_autoptr(GError) error = NULL;
  int fd;

  memset (contents, fill, size);
  fd = g_mkstemp (path);
  if (fd < 0)
    g_error ("mkstemp(%s): %s", path, g_strerror (errno));
  close (fd);
  g_file_set_contents (path, (const char *) contents, size, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

char *
ps_test_make_file (const char *tag,
                   gsize       size,
                   guint8      fill)
{
  return make_file_in (g_get_tmp_dir (), tag, size, fill);
}

char *
ps_test_file (const char *tag,
              gsize       size,
              guint8      fill)
{
  char *path = ps_test_make_file (tag, size, fill);

  ps_test_queue_unlink (path);
  return path;
}

char *
ps_test_pattern_file (const char *tag,
                      guint       n_pages)
{
  gsize page = ps_test_page_size ();
  char *path = ps_test_file (tag, n_pages * page, 0);
  g_autofree guint8 *buf = g_malloc (page);
  int fd = open (path, O_WRONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < n_pages; i++)
    {
      memset (buf, 'A' + i, page);
      g_assert_cmpint (pwrite (fd, buf, page, (off_t) i * page), ==, (gssize) page);
    }
  close (fd);
  return path;
}

char *
ps_test_temp_path (const char *tag)
{
  static guint serial;
  char *path = g_strdup_printf ("%s/pagescope-test-%d-%s-%u", g_get_tmp_dir (), (int) getpid (), tag,
                                g_atomic_int_add (&serial, 1));

  ps_test_queue_unlink (path);
  return path;
}

gboolean
ps_test_is_on_disk (const char *path)
{
  struct statfs fs;

  return statfs (path, &fs) == 0 && fs.f_type != TMPFS_MAGIC && fs.f_type != RAMFS_MAGIC;
}

char *
ps_test_disk_file (const char *tag,
                   gsize       size,
                   guint8      fill)
{
  const char *dirs[] = { g_get_tmp_dir (), "/var/tmp" };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    if (ps_test_is_on_disk (dirs[i]) && access (dirs[i], W_OK) == 0)
      {
        char *path = make_file_in (dirs[i], tag, size, fill);

        ps_test_queue_unlink (path);
        return path;
      }
  return NULL;
}

char *
ps_test_posix_segment (const char *tag,
                       gsize       size)
{
  char *name = ps_test_posix_name (tag);
  int fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd < 0)
    g_error ("shm_open(\"%s\"): %s", name, g_strerror (errno));
  ps_test_queue_shm_unlink (name);
  g_assert_cmpint (ftruncate (fd, (off_t) size), ==, 0);
  close (fd);
  return name;
}

int
ps_test_sysv_segment (key_t key,
                      gsize size,
                      guint mode)
{
  int shmid = shmget (key, size, IPC_CREAT | IPC_EXCL | (int) mode);

  if (shmid < 0)
    g_error ("shmget(0x%08x, %zu): %s", (guint32) key, size, g_strerror (errno));
  ps_test_queue_rmid (shmid);
  return shmid;
}

PsSource *
ps_test_create_posix (const char *name,
                      gsize       size,
                      guint       mode,
                      PsEventLog *log)
{
  g_autoptr(GError) error = NULL;
  PsSource *source = ps_source_create_posix (name, size, mode, log, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);
  ps_test_queue_shm_unlink (name);
  return source;
}

PsSource *
ps_test_create_sysv (key_t       key,
                     gsize       size,
                     guint       mode,
                     PsEventLog *log)
{
  g_autoptr(GError) error = NULL;
  PsSource *source = ps_source_create_sysv (key, size, mode, log, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);
  ps_test_queue_rmid (ps_source_get_shmid (source));
  return source;
}

gsize
ps_test_page_size (void)
{
  return (gsize) sysconf (_SC_PAGESIZE);
}

int
ps_test_sysv_key (guint n)
{
  return (int) (0x50530000u | ((guint) (getpid () & 0xff) << 8) | (n & 0xff));
}

key_t
ps_test_free_sysv_key (void)
{
  static guint next = 0x40;

  for (guint tries = 0; tries < 0xc0; tries++)
    {
      key_t key = ps_test_sysv_key (next);

      next = next == 0xff ? 0x40 : next + 1;
      if (shmget (key, 0, 0) < 0 && errno == ENOENT)
        return key;
    }
  g_error ("no free SysV test key");
}

guint64
ps_test_allocated (int fd)
{
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  return (guint64) st.st_blocks * 512;
}

/* ---- what msync changed ----------------------------------------------------- */

gboolean
ps_test_smaps_dirty (pid_t    pid,
                     guint64  addr,
                     gint64  *shared_dirty,
                     gint64  *private_dirty)
{
  g_autofree char *path = pid == 0 ? g_strdup ("/proc/self/smaps") : g_strdup_printf ("/proc/%d/smaps", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean inside = FALSE, found = FALSE;

  *shared_dirty = *private_dirty = -1;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 start, end;
      long long kib;

      /* a mapping's header: "start-end perms offset dev inode path" */
      if (sscanf (lines[i], "%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x ", &start, &end) == 2 &&
          strchr (lines[i], ':') != NULL && !g_str_has_suffix (lines[i], " kB"))
        {
          if (found)
            break;
          inside = addr >= start && addr < end;
          found = inside;
        }
      else if (inside && sscanf (lines[i], "Shared_Dirty: %lld kB", &kib) == 1)
        *shared_dirty = kib * 1024;
      else if (inside && sscanf (lines[i], "Private_Dirty: %lld kB", &kib) == 1)
        *private_dirty = kib * 1024;
    }
  return found && *shared_dirty >= 0 && *private_dirty >= 0;
}

static gboolean
drop_page_cache (void)
{
  int fd;
  gboolean ok;

  sync ();
  fd = open ("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    {
      g_test_message ("cannot drop the page cache (%s): the disk itself was not read", g_strerror (errno));
      return FALSE;
    }
  ok = write (fd, "1", 1) == 1;
  if (!ok)
    g_test_message ("drop_caches: %s: the disk itself was not read", g_strerror (errno));
  close (fd);
  return ok;
}

/* Whether any page of [offset, offset + len) of the file is in the page
 * cache: mincore on a mapping of its own, which faults nothing in. */
static gboolean
any_page_cached (int     fd,
                 goffset offset,
                 gsize   len)
{
  gsize page = ps_test_page_size ();
  goffset start = offset / page * page;
  gsize span = offset + len - start;
  gsize n = (span + page - 1) / page;
  g_autofree guint8 *vec = g_malloc0 (n);
  void *map = mmap (NULL, span, PROT_READ, MAP_SHARED, fd, start);
  gboolean cached = FALSE;

  g_assert_true (map != MAP_FAILED);
  g_assert_cmpint (mincore (map, span, vec), ==, 0);
  for (gsize i = 0; i < n; i++)
    cached |= vec[i] & 1;
  munmap (map, span);
  return cached;
}

GBytes *
ps_test_read_from_disk (const char *path,
                        goffset     offset,
                        gsize       len)
{
  g_autofree guint8 *buf = g_malloc (MAX (len, 1));
  int fd;

  if (!drop_page_cache ())
    return NULL;
  fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  if (any_page_cached (fd, offset, len))
    {
      g_test_message ("%s is still in the page cache after drop_caches (mapped somewhere?): "
                      "the disk itself was not read", path);
      close (fd);
      return NULL;
    }
  g_assert_cmpint (pread (fd, buf, len, offset), ==, (gssize) len);
  close (fd);
  return g_bytes_new_take (g_steal_pointer (&buf), len);
}

/* ---- the event log ------------------------------------------------------- */

gboolean
ps_test_log_has (PsEventLog *log,
                 const char *needle)
{
  g_autofree char *text = ps_event_log_to_text (log);

  return strstr (text, needle) != NULL;
}

gboolean
ps_test_log_find (PsEventLog *log,
                  const char *prefix,
                  const char *contains)
{
  guint n;

  ps_event_log_flush (log);
  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PsLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      const char *text = ps_log_entry_get_text (entry);

      if (g_str_has_prefix (text, prefix) && (contains == NULL || strstr (text + strlen (prefix), contains) != NULL))
        return TRUE;
    }
  return FALSE;
}

/* ---- waiting and children ---------------------------------------------------- */

gboolean
ps_test_wait_until (gboolean (*func) (gpointer data),
                    gpointer   data,
                    guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!func (data))
    {
      if (g_get_monotonic_time () > deadline)
        return func (data);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

pid_t
ps_test_fork (int    (*func) (gpointer data),
              gpointer data)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (func (data));
  if (g_test_get_path () != NULL && *g_test_get_path () != '\0')
    ps_test_queue_kill (pid);
  return pid;
}

int
ps_test_reap (pid_t pid,
              guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gpointer queued;
  int status = 0;

  for (;;)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);

      if (r == pid)
        {
          forget_child (pid);
          return status;
        }
      if (r < 0 && errno == ECHILD && reaped_by_queue != NULL &&
          g_hash_table_steal_extended (reaped_by_queue, GINT_TO_POINTER (pid), NULL, &queued))
        return GPOINTER_TO_INT (queued);
      if (r < 0 && errno != EINTR)
        g_error ("waitpid(%d): %s", (int) pid, g_strerror (errno));
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          forget_child (pid);
          g_error ("child %d did not exit within %u ms", (int) pid, timeout_ms);
        }
      g_usleep (1000);
    }
}

char *
ps_test_status_text (int status)
{
  if (WIFEXITED (status))
    return g_strdup_printf ("exit %d", WEXITSTATUS (status));
  if (WIFSIGNALED (status))
    return g_strdup_printf ("SIG%s", sigabbrev_np (WTERMSIG (status)));
  return g_strdup_printf ("status 0x%x", status);
}

gboolean
ps_test_become_nobody (void)
{
  if (geteuid () != 0)
    return FALSE;
  return setgroups (0, NULL) == 0 && setresgid (65534, 65534, 65534) == 0 &&
         setresuid (65534, 65534, 65534) == 0;
}

void
ps_test_child_become_nobody (void)
{
  if (!ps_test_become_nobody ())
    g_error ("cannot become user nobody: %s", g_strerror (errno));
  /* the uid change made us undumpable: keep /proc/self and LSan working */
  prctl (PR_SET_DUMPABLE, 1, 0, 0, 0);
  g_assert_cmpuint (geteuid (), ==, 65534);
}

void
ps_test_run_as_nobody (void)
{
  g_test_trap_subprocess (NULL, TRAP_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (g_test_trap_reached_timeout ())
    g_test_fail_printf ("the child running as nobody did not finish in time");
  else if (!g_test_trap_has_passed ())
    g_test_fail_printf ("the child running as nobody failed; its stderr is above");
}

/* ---- a child that attaches a segment, waits, and detaches ---- */

static int
attacher_main (gpointer data)
{
  PsTestAttacher *a = data;
  char byte = 'r';
  void *addr;

  /* async-signal-safe calls only: the parent may have threads */
  prctl (PR_SET_NAME, "ps-attacher", 0, 0, 0);
  close (a->ready[0]);
  close (a->go[1]);
  if (a->posix_name != NULL)
    {
      int fd = shm_open (a->posix_name, O_RDONLY, 0);

      addr = fd >= 0 ? mmap (NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
      if (addr == MAP_FAILED)
        return 2;
    }
  else if ((a->inherited != NULL && shmdt (a->inherited) != 0) ||
           (addr = shmat (a->shmid, NULL, SHM_RDONLY)) == (void *) -1)
    return 2;
  if (write (a->ready[1], &byte, 1) != 1)
    return 3;
  while (read (a->go[0], &byte, 1) < 0 && errno == EINTR)
    ;
  if (a->posix_name != NULL)
    munmap (addr, 4096);
  else
    shmdt (addr);
  return 0;
}

pid_t
ps_test_attacher_start (PsTestAttacher *a)
{
  char byte;
  pid_t pid;

  g_assert_no_errno (pipe2 (a->ready, O_CLOEXEC));
  g_assert_no_errno (pipe2 (a->go, O_CLOEXEC));
  pid = ps_test_fork (attacher_main, a);
  close (a->ready[1]);
  close (a->go[0]);
  g_assert_cmpint (read (a->ready[0], &byte, 1), ==, 1);
  close (a->ready[0]);
  return pid;
}

void
ps_test_attacher_detach (PsTestAttacher *a,
                         pid_t           pid)
{
  close (a->go[1]);
  ps_assert_status (ps_test_reap (pid, 10000), "exit 0");
}

gsize
ps_test_malloc_in_use (void)
{
  struct mallinfo2 mi = mallinfo2 ();

  return mi.uordblks + mi.hblkhd;
}

gsize
ps_test_rss_anon (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nRssAnon:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("\nRssAnon:"), NULL, 10) * 1024;
}
