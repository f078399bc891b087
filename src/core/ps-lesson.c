/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lessons. Each step is a function that acts through the lesson's
 * session and checks from the kernel's side what happened; its words (what
 * is claimed, what was seen) are translated. */
#define G_LOG_DOMAIN "pagescope-lesson"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-lesson-private.h"
#include "ps-probe.h"

G_DEFINE_FINAL_TYPE (PsLesson, ps_lesson, G_TYPE_OBJECT)

/* ---- helpers ------------------------------------------------------------ */

/* A directory on a disk: on tmpfs msync writes nothing back, and the msync
 * lesson would show nothing. */
static const char *
disk_dir (void)
{
  struct statfs fs;

  if (statfs (g_get_tmp_dir (), &fs) == 0 && fs.f_type != TMPFS_MAGIC)
    return g_get_tmp_dir ();
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  return g_get_user_cache_dir ();
}

char *
ps_lesson_make_file (PsLesson    *self,
                     const char  *tag,
                     gsize        size,
                     guint8       fill,
                     GError     **error)
{
  g_autofree char *template = g_strdup_printf ("%s/pagescope-lesson-%d-%s-XXXXXX", disk_dir (), (int) getpid (), tag);
  g_autofree guint8 *contents = g_malloc (MAX (size, 1));
  char *path = NULL;
  int fd;

  memset (contents, fill, size);
  fd = g_mkstemp (template);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "mkstemp(\"%s\"): %s", template, g_strerror (errsv));
      return NULL;
    }
  close (fd);
  path = g_strdup (template);
  if (!g_file_set_contents (path, (const char *) contents, size, error))
    {
      g_unlink (path);
      g_free (path);
      return NULL;
    }
  return path;
}

static gboolean
open_file (PsLesson    *self,
           const char  *path,
           PsMapFlags   flags,
           guint64      length,
           GError     **error)
{
  PsSourceSpec spec = { .kind = PS_SOURCE_FILE, .path = (char *) path, .flags = flags, .length = length };

  return ps_session_open (self->session, &spec, error);
}

/* The file's bytes as another reader sees them: read() through its own
 * descriptor. */
static gboolean
read_file (const char  *path,
           guint64      offset,
           guint8      *buf,
           gsize        len,
           GError     **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  gssize n;

  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "open(\"%s\"): %s", path, g_strerror (errsv));
      return FALSE;
    }
  n = pread (fd, buf, len, offset);
  close (fd);
  if (n != (gssize) len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "pread(\"%s\"): short read", path);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
  PsMsyncReport report;
  PsProbeResult probe;
} Wait;

gboolean
ps_lesson_wait_for (gboolean (*cond) (gpointer),
                    gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + PS_LESSON_DEADLINE_MS * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
on_probe (GObject *object, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->ok = ps_session_probe_finish (PS_SESSION (object), result, &w->probe, &w->error);
  w->done = TRUE;
}

static gboolean
probe (PsLesson       *self,
       guint64         offset,
       gboolean        write,
       PsProbeResult  *result,
       GError        **error)
{
  Wait w = { 0 };

  ps_session_probe_async (self->session, offset, write, NULL, on_probe, &w);
  if (!ps_lesson_wait_for (wait_done, &w))
    return g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("the probe did not come back")), FALSE;
  if (!w.ok)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  *result = w.probe;
  return TRUE;
}

static void
on_msync (GObject *object, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->ok = ps_session_msync_finish (PS_SESSION (object), result, &w->report, &w->error);
  w->done = TRUE;
}

gboolean
ps_lesson_writers_done (gpointer data)
{
  return ps_writers_get_n_running (ps_session_get_writers (data)) == 0;
}

/* Is page `page` of the mapping this process's own copy (pagemap: present
 * and not a file page)? */
static gboolean
is_private_copy (PsSource *source,
                 guint64   page)
{
  guint64 entry = 0;
  gsize size = (gsize) sysconf (_SC_PAGESIZE);
  guint64 vpage = (guintptr) ps_source_get_data (source) / size + page;
  int fd = open ("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = pread (fd, &entry, 8, vpage * 8) == 8;
  close (fd);
  return ok && ((entry >> 63) & 1) && !((entry >> 61) & 1);
}

static gint64
dirty_bytes (PsSource *source)
{
  gint64 shared = -1, private = -1;

  if (!ps_source_read_dirty (source, &shared, &private) || shared < 0 || private < 0)
    return -1;
  return shared + private;
}

/* ---- msync -------------------------------------------------------------- */

static gboolean
msync_map (PsLesson *self, GString *seen, GError **error)
{
  if ((self->path = ps_lesson_make_file (self, "msync", 2 * 4096, 'c', error)) == NULL ||
      !open_file (self, self->path, PS_MAP_WRITABLE, 0, error))
    return FALSE;
  g_string_printf (seen, _("%s is mapped MAP_SHARED, writable: this process now reads and writes the file's own "
                           "page-cache pages, not a copy of them."), self->path);
  return TRUE;
}

static gboolean
msync_write (PsLesson *self, GString *seen, GError **error)
{
  g_autoptr(GBytes) hello = g_bytes_new_static ("hello", 5);
  guint8 back[5];
  gint64 dirty;

  if (!ps_session_write (self->session, 0, hello, NULL, error) ||
      !read_file (self->path, 0, back, 5, error))
    return FALSE;
  dirty = dirty_bytes (ps_session_get_source (self->session));
  g_string_printf (seen, _("read() of the file returns \"%.5s\" at once: the mapping and read() share the page "
                           "cache. What msync changes is the disk: the page is dirty now (%" PRId64 " KiB dirty "
                           "in this mapping)."), back, dirty / 1024);
  return memcmp (back, "hello", 5) == 0 && dirty > 0;
}

static gboolean
msync_sync (PsLesson *self, GString *seen, GError **error)
{
  Wait w = { 0 };
  PsRangeArg whole = { TRUE, 0, 0 };
  gint64 before, after;

  ps_session_msync_async (self->session, &whole, MS_SYNC, NULL, on_msync, &w);
  if (!ps_lesson_wait_for (wait_done, &w) || !w.ok)
    {
      if (w.error != NULL)
        g_propagate_error (error, w.error);
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("msync did not come back"));
      return FALSE;
    }
  before = w.report.shared_dirty_before + w.report.private_dirty_before;
  after = w.report.shared_dirty_after + w.report.private_dirty_after;
  g_string_printf (seen, _("msync(MS_SYNC) took %.2f ms; the mapping's dirty pages went from %" PRId64 " KiB to "
                           "%" PRId64 " KiB: the kernel wrote them back to the file on disk."),
                   w.report.elapsed_us / 1000.0, before / 1024, after / 1024);
  return after == 0;
}

/* ---- private --------------------------------------------------------------- */

static gboolean
private_map (PsLesson *self, GString *seen, GError **error)
{
  if ((self->path = ps_lesson_make_file (self, "private", 4096, 'c', error)) == NULL ||
      !open_file (self, self->path, PS_MAP_WRITABLE | PS_MAP_PRIVATE, 0, error))
    return FALSE;
  /* read it, so that the page is mapped at all */
  {
    guint8 first;
    ps_source_peek (ps_session_get_source (self->session), 0, &first, 1, NULL);
  }
  g_string_printf (seen, _("Mapped MAP_PRIVATE. Page 0 is %s: no copy is made until a write "
                           "(pagemap: present and a file page)."),
                   is_private_copy (ps_session_get_source (self->session), 0) ? _("already a copy")
                                                                                : _("still the page cache's page"));
  return !is_private_copy (ps_session_get_source (self->session), 0);
}

static gboolean
private_write (PsLesson *self, GString *seen, GError **error)
{
  g_autoptr(GBytes) value = g_bytes_new_static ("000000016", 9);
  guint8 back[9];
  gboolean copy;

  if (!ps_session_write (self->session, 0, value, NULL, error) || !read_file (self->path, 0, back, 9, error))
    return FALSE;
  copy = is_private_copy (ps_session_get_source (self->session), 0);
  g_string_printf (seen, _("The file still holds \"%.9s\"; this process's page 0 holds \"000000016\" and is now "
                           "its own copy (pagemap: present, not a file page): the write made it (copy-on-write)."),
                   back);
  return memcmp (back, "ccccccccc", 9) == 0 && copy;
}

/* A process that maps the file MAP_SHARED itself reads its first bytes. */
static gboolean
private_other (PsLesson *self, GString *seen, GError **error)
{
  int fds[2];
  char got[10] = { 0 };
  pid_t pid;
  int status;

  if (pipe2 (fds, O_CLOEXEC) != 0)
    return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "pipe2: %s", g_strerror (errno)), FALSE;
  pid = ps_fork_blocked ();
  if (pid == 0)
    {
      int fd = open (self->path, O_RDONLY);
      const char *map = fd >= 0 ? mmap (NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;

      ps_child_reset_signals ();
      if (map != MAP_FAILED)
        (void) !write (fds[1], map, 9);
      _exit (map == MAP_FAILED);
    }
  close (fds[1]);
  if (pid < 0)
    {
      close (fds[0]);
      return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "fork: %s", g_strerror (errno)), FALSE;
    }
  (void) !read (fds[0], got, 9);
  close (fds[0]);
  waitpid (pid, &status, 0);
  g_string_printf (seen, _("Another process (pid %d) maps the same file MAP_SHARED and reads \"%s\": this "
                           "process's private write is invisible to it, and to the file."), (int) pid, got);
  return g_str_equal (got, "ccccccccc");
}

/* A child maps the file MAP_PRIVATE and writes to it; the lesson looks at
 * the child's copy through /proc (the process view), never attaching. */
static gboolean
private_child (PsLesson *self, GString *seen, GError **error)
{
  int ready[2], hold[2];
  char byte = 0;
  guint8 child_bytes[9] = { 0 }, file_bytes[9] = { 0 };
  guint64 entry = 0;
  g_autoptr(PsSource) view = NULL;
  void *address = MAP_FAILED;
  pid_t pid;

  if (pipe2 (ready, O_CLOEXEC) != 0)
    return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "pipe2: %s", g_strerror (errno)), FALSE;
  if (pipe2 (hold, O_CLOEXEC) != 0)
    {
      close (ready[0]);
      close (ready[1]);
      return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "pipe2: %s", g_strerror (errno)), FALSE;
    }
  pid = ps_fork_blocked ();
  if (pid == 0)
    {
      int fd = open (self->path, O_RDONLY);
      char *map = fd >= 0 ? mmap (NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) : MAP_FAILED;

      ps_child_reset_signals ();
      close (hold[1]);   /* the lesson's end: its close is what ends the wait */
      close (ready[0]);
      if (map != MAP_FAILED)
        memcpy (map, "000000016", 9);
      /* where: the child also has the lesson's own mapping of the file */
      (void) !write (ready[1], &map, sizeof map);
      (void) !read (hold[0], &byte, 1);   /* until the lesson has looked */
      _exit (0);
    }
  close (ready[1]);
  close (hold[0]);
  if (pid > 0 && read (ready[0], &address, sizeof address) == sizeof address && address != MAP_FAILED)
    {
      ps_event_log_add (ps_session_get_log (self->session), FALSE,
                        "fork() = %d: mmap(\"%s\", MAP_PRIVATE, PROT_READ|PROT_WRITE), then memcpy(\"000000016\")",
                        (int) pid, self->path);
      view = ps_source_open_process (pid, NULL, (guintptr) address, ps_session_get_log (self->session), error);
      if (view != NULL)
        {
          ps_source_peek (view, 0, child_bytes, 9, NULL);
          ps_source_read_pagemap (view, 0, 1, &entry);
        }
    }
  close (ready[0]);
  close (hold[1]);
  if (pid > 0)
    waitpid (pid, NULL, 0);
  if (pid < 0)
    return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "fork: %s", g_strerror (errno)), FALSE;
  if (view == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("the child could not map the file"));
      return FALSE;
    }
  if (!read_file (self->path, 0, file_bytes, 9, error))
    return FALSE;
  g_string_printf (seen, _("Read through /proc/%d/mem (never attaching): pid %d's private copy holds \"%.9s\" and "
                           "is its own page (its pagemap: present, not a file page), while the file still holds "
                           "\"%.9s\". Each process's private write stays its own."),
                   (int) pid, (int) pid, child_bytes, file_bytes);
  return memcmp (child_bytes, "000000016", 9) == 0 && memcmp (file_bytes, "ccccccccc", 9) == 0 &&
         ((entry >> 63) & 1) && !((entry >> 61) & 1);
}

/* ---- anon-fork ----------------------------------------------------------- */

static gboolean
anon_map (PsLesson *self, GString *seen, GError **error)
{
  PsSourceSpec spec = { .kind = PS_SOURCE_ANON, .size = 4096 };

  if (!ps_session_open (self->session, &spec, error))
    return FALSE;
  g_string_assign (seen, _("mmap(MAP_SHARED|MAP_ANONYMOUS) made one page that no file backs."));
  return TRUE;
}

static gboolean
anon_fork (PsLesson *self, GString *seen, GError **error)
{
  PsSpawnArgs args;
  guint8 bytes[8];
  guint64 value;

  if (!ps_spawn_args_parse ("1 counter max count=100 offset=0 length=8", &args, error) ||
      !ps_session_spawn_writers (self->session, &args, error))
    return FALSE;
  if (!ps_lesson_wait_for (ps_lesson_writers_done, self->session))
    return g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("the child did not finish")), FALSE;
  ps_source_peek (ps_session_get_source (self->session), 0, bytes, 8, NULL);
  memcpy (&value, bytes, 8);
  value = GUINT64_FROM_LE (value);
  g_string_printf (seen, _("A forked child wrote its counter 100 times; the parent reads %" PRIu64 " at offset 0: "
                           "a MAP_SHARED mapping is the same pages in parent and child after fork."), value);
  return value == 100;
}

/* ---- past-eof ------------------------------------------------------------- */

static gboolean
eof_map (PsLesson *self, GString *seen, GError **error)
{
  if ((self->path = ps_lesson_make_file (self, "past-eof", 100, 'e', error)) == NULL ||
      !open_file (self, self->path, PS_MAP_WRITABLE, 3 * 4096, error))
    return FALSE;
  g_string_printf (seen, _("A file of 100 bytes, mapped 3 pages (12288 bytes) long."));
  return TRUE;
}

static gboolean
eof_probe (PsLesson       *self,
           guint64         offset,
           PsProbeOutcome  expected,
           GString        *seen,
           GError        **error)
{
  PsProbeResult r;
  g_autofree char *explained = NULL;

  if (!probe (self, offset, FALSE, &r, error))
    return FALSE;
  explained = ps_probe_explain (&r);
  g_string_printf (seen, _("A child read offset 0x%" PRIx64 ": %s. %s"), offset,
                   ps_probe_outcome_to_string (r.outcome), explained);
  return r.outcome == expected;
}

static gboolean
eof_tail (PsLesson *self, GString *seen, GError **error)
{
  return eof_probe (self, 100, PS_PROBE_ZERO_TAIL, seen, error);
}

static gboolean
eof_sigbus (PsLesson *self, GString *seen, GError **error)
{
  return eof_probe (self, 4096, PS_PROBE_SIGBUS, seen, error);
}

static gboolean
eof_sigsegv (PsLesson *self, GString *seen, GError **error)
{
  return eof_probe (self, 3 * 4096, PS_PROBE_SIGSEGV, seen, error);
}

static gboolean
eof_write (PsLesson *self, GString *seen, GError **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("TAIL", 4);
  struct stat st;

  if (!ps_session_write (self->session, 100, bytes, NULL, error))
    return FALSE;
  if (stat (self->path, &st) != 0)
    return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "stat: %s", g_strerror (errno)), FALSE;
  g_string_printf (seen, _("Writing \"TAIL\" at offset 100 succeeded in memory, but the file is still %" PRIu64
                           " bytes: a store past EOF never reaches the file."), (guint64) st.st_size);
  return st.st_size == 100;
}

/* ---- file-ipc -------------------------------------------------------------- */

static gboolean
ipc_map (PsLesson *self, GString *seen, GError **error)
{
  if ((self->path = ps_lesson_make_file (self, "file-ipc", 4096, 0, error)) == NULL ||
      !open_file (self, self->path, PS_MAP_DEFAULT, 0, error))
    return FALSE;
  g_string_printf (seen, _("This process maps %s MAP_SHARED, read-only."), self->path);
  return TRUE;
}

static gboolean
ipc_other_writes (PsLesson *self, GString *seen, GError **error)
{
  char expected[64];
  guint8 got[64] = { 0 };
  pid_t pid;
  int status;

  pid = ps_fork_blocked ();
  if (pid == 0)
    {
      /* async-signal-safe only: the message is built by hand */
      static const char head[] = "hello from pid ";
      char digits[16];
      int fd = open (self->path, O_RDWR);
      char *map = fd >= 0 ? mmap (NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
      int n = 0;

      ps_child_reset_signals ();
      if (map == MAP_FAILED)
        _exit (1);
      for (int v = (int) getpid (); v > 0 || n == 0; v /= 10)
        digits[n++] = '0' + v % 10;
      memcpy (map, head, sizeof head - 1);
      for (int i = 0; i < n; i++)
        map[sizeof head - 1 + i] = digits[n - 1 - i];
      _exit (0);
    }
  if (pid < 0)
    return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "fork: %s", g_strerror (errno)), FALSE;
  waitpid (pid, &status, 0);
  g_snprintf (expected, sizeof expected, "hello from pid %d", (int) pid);
  ps_source_peek (ps_session_get_source (self->session), 0, got, strlen (expected), NULL);
  g_string_printf (seen, _("Another process (pid %d) mapped the file and stored \"%s\"; this process's mapping "
                           "shows \"%s\" with no read() or pipe: both map the same page-cache page."),
                   (int) pid, expected, (char *) got);
  return memcmp (got, expected, strlen (expected)) == 0;
}

/* ---- the table ---------------------------------------------------------------- */

static const PsLessonStep msync_steps[] = {
  { N_("Map a file shared and writable"), N_("mmap gives a process a copy of the file in memory."), msync_map },
  { N_("Write through the mapping"), N_("What is written to the mapping is not in the file until msync."), msync_write },
  { N_("msync(MS_SYNC)"), N_("msync is what makes the write reach the file."), msync_sync },
};
static const PsLessonStep private_steps[] = {
  { N_("Map the file MAP_PRIVATE"), N_("MAP_PRIVATE gives the process its own copy of the file at once."), private_map },
  { N_("Write to the private mapping"), N_("A write to a mapping of a file changes the file."), private_write },
  { N_("Another process reads the file"), N_("Every process mapping a file sees the others' writes."), private_other },
  { N_("Look into another process's private copy"),
    N_("What another process keeps in its own memory cannot be seen from outside."), private_child },
};
static const PsLessonStep anon_steps[] = {
  { N_("An anonymous shared mapping"), N_("Anonymous memory belongs to one process."), anon_map },
  { N_("Fork a child that writes"), N_("After fork, the child's memory is a copy of the parent's."), anon_fork },
};
static const PsLessonStep eof_steps[] = {
  { N_("Map 3 pages of a 100-byte file"), N_("A mapping can be longer than the file."), eof_map },
  { N_("Read just past EOF"), N_("Reading past the end of a mapped file raises SIGSEGV."), eof_tail },
  { N_("Read a page wholly past EOF"), N_("Reading past the end of a mapped file raises SIGSEGV."), eof_sigbus },
  { N_("Read past the mapping"), N_("The mapping ends where the file ends."), eof_sigsegv },
  { N_("Write past EOF"), N_("Writing past the end of a mapped file extends the file."), eof_write },
};
static const PsLessonStep ipc_steps[] = {
  { N_("Map a shared file"), N_("A file is for storage; processes talk through pipes or sockets."), ipc_map },
  { N_("Another process writes into it"), N_("A process sees another's write only after it reads the file again."), ipc_other_writes },
};

static const PsLessonInfo infos[] = {
  { "msync", N_("msync: when a write reaches the file"), N_("A shared file mapping, a write, and what msync changes.") },
  { "private", N_("MAP_PRIVATE: copy on write"), N_("Who sees a private write: the file, another process, this one.") },
  { "anon-fork", N_("Anonymous shared memory across fork"), N_("A parent and a child share pages no file backs.") },
  { "past-eof", N_("Past the end of a file"), N_("Zero tail, SIGBUS and SIGSEGV: what the page size decides.") },
  { "file-ipc", N_("A file as shared memory"), N_("Two processes talking through a mapped file.") },
  { "sysv", N_("A SysV segment's life"), N_("shmget, shmat, fork, IPC_RMID and the last detach.") },
  { "ftok", N_("What ftok keys are made of"), N_("The bits of a path that make a key, and why keys collide.") },
  { "sync", N_("Synchronisation: why shared memory needs a lock"),
    N_("Writers on every core share a counter and records: lost updates and torn records without a lock, none with "
       "one.") },
};

static const guint n_msync = G_N_ELEMENTS (msync_steps);
static const guint n_private = G_N_ELEMENTS (private_steps);
static const guint n_anon = G_N_ELEMENTS (anon_steps);
static const guint n_eof = G_N_ELEMENTS (eof_steps);
static const guint n_ipc = G_N_ELEMENTS (ipc_steps);

/* in the order of infos; a lesson in its own file says its count there */
static const struct { const PsLessonStep *steps; const guint *n; } tables[] = {
  { msync_steps, &n_msync },
  { private_steps, &n_private },
  { anon_steps, &n_anon },
  { eof_steps, &n_eof },
  { ipc_steps, &n_ipc },
  { ps_lesson_sysv_steps, &ps_lesson_sysv_n_steps },
  { ps_lesson_ftok_steps, &ps_lesson_ftok_n_steps },
  { ps_lesson_sync_steps, &ps_lesson_sync_n_steps },
};

G_STATIC_ASSERT (G_N_ELEMENTS (infos) == G_N_ELEMENTS (tables));

/* ---- the object ---------------------------------------------------------------- */

enum {
  PROP_0,
  PROP_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const PsLessonInfo *
ps_lesson_list (guint *n_lessons)
{
  if (n_lessons != NULL)
    *n_lessons = G_N_ELEMENTS (infos);
  return infos;
}

void
ps_lesson_clean_up (PsLesson *self)
{
  g_return_if_fail (PS_IS_LESSON (self));

  if (self->sync != NULL)
    ps_sync_stop (self->sync);
  g_clear_object (&self->sync);
  if (self->session != NULL)
    ps_session_close (self->session);
  if (self->shmid >= 0)
    shmctl (self->shmid, IPC_RMID, NULL);
  self->shmid = -1;
  if (self->path != NULL)
    g_unlink (self->path);
  if (self->path2 != NULL)
    g_unlink (self->path2);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->path2, g_free);
}

static void
ps_lesson_dispose (GObject *object)
{
  PsLesson *self = PS_LESSON (object);

  ps_lesson_clean_up (self);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_lesson_parent_class)->dispose (object);
}

static void
ps_lesson_finalize (GObject *object)
{
  g_free (PS_LESSON (object)->live);
  G_OBJECT_CLASS (ps_lesson_parent_class)->finalize (object);
}

static void
ps_lesson_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_LIVE:
      g_value_set_string (value, PS_LESSON (object)->live);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_lesson_class_init (PsLessonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_lesson_dispose;
  object_class->finalize = ps_lesson_finalize;
  object_class->get_property = ps_lesson_get_property;

  /**
   * PsLesson:live:
   * What the running step shows as it goes (figures that change), or NULL.
   */
  properties[PROP_LIVE] = g_param_spec_string ("live", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

void
ps_lesson_set_live (PsLesson   *self,
                    const char *text)
{
  if (g_strcmp0 (self->live, text) == 0)
    return;
  g_free (self->live);
  self->live = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

const char *
ps_lesson_get_live (PsLesson *self)
{
  g_return_val_if_fail (PS_IS_LESSON (self), NULL);
  return self->live;
}

gboolean
ps_lesson_is_running (PsLesson *self)
{
  g_return_val_if_fail (PS_IS_LESSON (self), FALSE);
  return self->running;
}

static void
ps_lesson_init (PsLesson *self)
{
  self->shmid = -1;
}

PsLesson *
ps_lesson_new (const char  *id,
               GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
    if (g_strcmp0 (id, infos[i].id) == 0)
      {
        PsLesson *self = g_object_new (PS_TYPE_LESSON, NULL);

        self->info = &infos[i];
        self->steps = tables[i].steps;
        self->n_steps = *tables[i].n;
        self->session = ps_session_new (NULL);
        return self;
      }
  {
    g_autoptr(GString) known = g_string_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
      g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", infos[i].id);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("lesson \"%s\": there is none; the lessons are %s"),
                 id, known->str);
  }
  return NULL;
}

const PsLessonInfo *
ps_lesson_get_info (PsLesson *self)
{
  g_return_val_if_fail (PS_IS_LESSON (self), NULL);
  return self->info;
}

PsSession *
ps_lesson_get_session (PsLesson *self)
{
  g_return_val_if_fail (PS_IS_LESSON (self), NULL);
  return self->session;
}

guint
ps_lesson_get_n_steps (PsLesson *self)
{
  g_return_val_if_fail (PS_IS_LESSON (self), 0);
  return self->n_steps;
}

const char *
ps_lesson_get_step_title (PsLesson *self,
                          guint     step)
{
  g_return_val_if_fail (PS_IS_LESSON (self) && step < self->n_steps, NULL);
  return _(self->steps[step].title);
}

const char *
ps_lesson_get_step_claim (PsLesson *self,
                          guint     step)
{
  g_return_val_if_fail (PS_IS_LESSON (self) && step < self->n_steps, NULL);
  return _(self->steps[step].claim);
}

gboolean
ps_lesson_run_step (PsLesson  *self,
                    guint      step,
                    gboolean  *held,
                    char     **observed,
                    GError   **error)
{
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(PsLesson) hold = NULL;

  g_return_val_if_fail (PS_IS_LESSON (self), FALSE);
  g_return_val_if_fail (held != NULL && observed != NULL, FALSE);

  if (self->running)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("lesson %s: step %u is still running"),
                   self->info->id, self->next + 1);
      return FALSE;
    }
  if (step != self->next || step >= self->n_steps)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("lesson %s: step %u runs after step %u"),
                   self->info->id, step + 1, self->next);
      return FALSE;
    }
  ps_event_log_add (ps_session_get_log (self->session), FALSE, "lesson %s, step %u: %s",
                    self->info->id, step + 1, self->steps[step].title);
  /* a step turns the main loop while it waits: the window stays drawn, and
   * may close; the lesson stays until the step is done */
  hold = g_object_ref (self);
  self->running = TRUE;
  *held = self->steps[step].run (self, seen, error);
  self->running = FALSE;
  ps_lesson_set_live (self, NULL);
  if (seen->len == 0)   /* it could not run */
    return FALSE;
  g_clear_error (error);
  self->next++;
  *observed = g_strdup (seen->str);
  return TRUE;
}

int
ps_lesson_check_main (const char *id,
                      gboolean    log,
                      FILE       *out)
{
  g_autoptr(PsLesson) lesson = NULL;
  g_autoptr(GError) error = NULL;
  gboolean all = TRUE;

  if (g_strcmp0 (id, "list") == 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (infos); i++)
        fprintf (out, "%-10s %s\n", infos[i].id, _(infos[i].title));
      return 0;
    }
  lesson = ps_lesson_new (id, &error);
  if (lesson == NULL)
    {
      g_printerr ("pagescope: %s\n", error->message);
      return 2;
    }
  if (log)
    ps_event_log_set_echo (ps_session_get_log (lesson->session), STDERR_FILENO);
  fprintf (out, "%s\n", _(lesson->info->title));
  for (guint i = 0; i < lesson->n_steps; i++)
    {
      g_autofree char *observed = NULL;
      gboolean held = FALSE;

      fprintf (out, "\n%u. %s\n", i + 1, _(lesson->steps[i].title));
      /* TRANSLATORS: what a textbook claims, before what this machine did */
      fprintf (out, _("   Claimed: %s\n"), _(lesson->steps[i].claim));
      if (!ps_lesson_run_step (lesson, i, &held, &observed, &error))
        {
          fprintf (out, _("   Could not run: %s\n"), error->message);
          all = FALSE;
          break;
        }
      fprintf (out, _("   Seen:    %s\n"), observed);
      fprintf (out, "   %s\n", held ? _("Check: held") : _("Check: DID NOT HOLD"));
      all &= held;
      fflush (out);
    }
  ps_lesson_clean_up (lesson);
  return all ? 0 : 1;
}
