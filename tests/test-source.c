/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-source.h"
#include "ps-test-util.h"

/* Every test makes its own files and segments and removes them: each object
 * is queued for removal (g_test_queue_destroy) as soon as it exists, so a
 * test that returns early leaves nothing behind either. Children are forked
 * and reaped with a deadline (ps_test_fork, ps_test_reap); permission cases
 * run as user nobody in g_test_trap_subprocess children. */

#define CHILD_TIMEOUT_MS 10000
#define TRAP_TIMEOUT_US (60 * G_USEC_PER_SEC)

static gsize PAGE;

/* ---- cleanup ------------------------------------------------------------ */

static void
unlink_path (gpointer path)
{
  if (unlink (path) != 0 && errno == EISDIR)
    rmdir (path);
  g_free (path);
}

static void
unlink_posix (gpointer name)
{
  shm_unlink (name);
  g_free (name);
}

static void
remove_shmid (gpointer shmid)
{
  shmctl (GPOINTER_TO_INT (shmid), IPC_RMID, NULL);
}

static void
queue_unlink (const char *path)
{
  g_test_queue_destroy (unlink_path, g_strdup (path));
}

static void
queue_shm_unlink (const char *name)
{
  g_test_queue_destroy (unlink_posix, g_strdup (name));
}

static void
queue_rmid (int shmid)
{
  g_test_queue_destroy (remove_shmid, GINT_TO_POINTER (shmid));
}

/* ---- objects ------------------------------------------------------------ */

static char *
make_file (const char *tag,
           gsize       size,
           guint8      fill)
{
  char *path = ps_test_make_file (tag, size, fill);

  queue_unlink (path);
  return path;
}

/* n_pages pages, page i filled with 'A' + i */
static char *
make_pattern_file (const char *tag,
                   guint       n_pages)
{
  char *path = make_file (tag, n_pages * PAGE, 0);
  int fd = open (path, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree guint8 *buf = g_malloc (PAGE);

      memset (buf, 'A' + i, PAGE);
      g_assert_cmpint (pwrite (fd, buf, PAGE, i * PAGE), ==, (gssize) PAGE);
    }
  close (fd);
  return path;
}

/* A name in the temporary directory the leftovers check knows. */
static char *
temp_path (const char *tag)
{
  static guint serial;

  return g_strdup_printf ("%s/pagescope-test-%d-%s-%u", g_get_tmp_dir (), (int) getpid (), tag, serial++);
}

/* A SysV key no segment has, never the same twice in this process, and
 * away from the small numbers the other test programs pass to
 * ps_test_sysv_key. A key that exists belongs to someone else: skip it. */
static key_t
test_key (void)
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

static PsSource *
create_posix (const char *name,
              gsize       size,
              guint       mode,
              PsEventLog *log)
{
  g_autoptr(GError) error = NULL;
  PsSource *source = ps_source_create_posix (name, size, mode, log, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);
  queue_shm_unlink (name);
  return source;
}

static PsSource *
create_sysv (key_t       key,
             gsize       size,
             guint       mode,
             PsEventLog *log)
{
  g_autoptr(GError) error = NULL;
  PsSource *source = ps_source_create_sysv (key, size, mode, log, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);
  queue_rmid (ps_source_get_shmid (source));
  return source;
}

static void
write_ok (PsSource   *source,
          guint64     offset,
          const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ps_source_write (source, offset, (const guint8 *) text, strlen (text), NULL, &error));
  g_assert_no_error (error);
}

/* ---- what the process sees --------------------------------------------- */

/* The permissions column of /proc/self/maps for the mapping holding addr. */
static char *
maps_perms (gconstpointer addr)
{
  g_autofree char *maps = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      unsigned long start, end;
      char perms[5];

      if (sscanf (lines[i], "%lx-%lx %4s", &start, &end, perms) == 3 &&
          (unsigned long) addr >= start && (unsigned long) addr < end)
        return g_strdup (perms);
    }
  return g_strdup ("unmapped");
}

#define assert_perms(addr, expected) \
  G_STMT_START { \
    g_autofree char *perms_ = maps_perms (addr); \
    g_assert_cmpstr (perms_, ==, expected); \
  } G_STMT_END

static gboolean
log_find (PsEventLog *log,
          const char *prefix,
          const char *contains)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PsLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      const char *text = ps_log_entry_get_text (entry);

      if (g_str_has_prefix (text, prefix) && (contains == NULL || strstr (text + strlen (prefix), contains) != NULL))
        return TRUE;
    }
  return FALSE;
}

/* A log line that starts with prefix and, after it, contains contains. */
#define assert_log(log, prefix, contains) \
  G_STMT_START { \
    if (!log_find ((log), (prefix), (contains))) \
      { \
        g_autofree char *all_ = ps_event_log_to_text (log); \
        g_autofree char *what_ = g_strdup_printf ("no log line \"%s...%s\" in:\n%s", \
                                                  (prefix), (contains) ? (contains) : "", all_); \
        g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, what_); \
      } \
  } G_STMT_END

#define assert_log_line(log, line) assert_log (log, line, NULL)

static char *
status_text (int status)
{
  if (WIFEXITED (status))
    return g_strdup_printf ("exit %d", WEXITSTATUS (status));
  if (WIFSIGNALED (status))
    return g_strdup_printf ("SIG%s", sigabbrev_np (WTERMSIG (status)));
  return g_strdup_printf ("status 0x%x", status);
}

#define assert_status(status, expected) \
  G_STMT_START { \
    g_autofree char *status_ = status_text (status); \
    g_assert_cmpstr (status_, ==, expected); \
  } G_STMT_END

static void
child_prepare_to_fault (void)
{
  struct rlimit no_core = { 0, 0 };
  sigset_t set;

  /* no core file of shared memory; the default action, not the guard's */
  setrlimit (RLIMIT_CORE, &no_core);
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
  signal (SIGBUS, SIG_DFL);
  signal (SIGSEGV, SIG_DFL);
  sigemptyset (&set);
  sigaddset (&set, SIGBUS);
  sigaddset (&set, SIGSEGV);
  sigprocmask (SIG_UNBLOCK, &set, NULL);
}

typedef struct
{
  volatile guint8 *addr;
  gboolean         write;
} Probe;

static int
probe_child (gpointer data)
{
  Probe *probe = data;

  child_prepare_to_fault ();
  if (probe->write)
    probe->addr[0] = 'P';
  else
    (void) probe->addr[0];
  return 0;
}

/* Touches one byte in a forked child: "exit 0", "SIGBUS" or "SIGSEGV". */
static char *
probe (const void *addr,
       gboolean    write)
{
  Probe p = { (volatile guint8 *) addr, write };
  pid_t pid = ps_test_fork (probe_child, &p);

  return status_text (ps_test_reap (pid, CHILD_TIMEOUT_MS));
}

#define assert_probe(addr, write, expected) \
  G_STMT_START { \
    g_autofree char *probe_ = probe ((addr), (write)); \
    g_assert_cmpstr (probe_, ==, expected); \
  } G_STMT_END

/* Another process maps the object itself (it does not inherit ours) and
 * compares or writes len bytes at offset. Exit 0: as expected, 1: differs. */
typedef struct
{
  const char   *path;
  const char   *posix_name;
  int           shmid;        /* SysV when path and posix_name are NULL */
  guint64       offset;
  const guint8 *bytes;
  gsize         len;
  gboolean      write;
} Other;

static int
other_child (gpointer data)
{
  Other *o = data;
  guint64 base = o->offset / PAGE * PAGE;
  gsize span = o->offset - base + o->len;
  int prot = o->write ? PROT_READ | PROT_WRITE : PROT_READ;
  guint8 *p;
  int fd;

  if (o->path == NULL && o->posix_name == NULL)
    {
      p = shmat (o->shmid, NULL, o->write ? 0 : SHM_RDONLY);
      if (p == (void *) -1)
        return 10;
      base = 0;
    }
  else
    {
      if (o->path != NULL)
        fd = open (o->path, o->write ? O_RDWR : O_RDONLY);
      else
        fd = shm_open (o->posix_name, o->write ? O_RDWR : O_RDONLY, 0);
      if (fd < 0)
        return 10;
      p = mmap (NULL, span, prot, MAP_SHARED, fd, base);
      if (p == MAP_FAILED)
        return 11;
    }
  if (o->write)
    {
      memcpy (p + (o->offset - base), o->bytes, o->len);
      return 0;
    }
  return memcmp (p + (o->offset - base), o->bytes, o->len) == 0 ? 0 : 1;
}

static char *
other_process (Other *other)
{
  pid_t pid = ps_test_fork (other_child, other);

  return status_text (ps_test_reap (pid, CHILD_TIMEOUT_MS));
}

#define assert_other(other, expected) \
  G_STMT_START { \
    g_autofree char *other_ = other_process (other); \
    g_assert_cmpstr (other_, ==, expected); \
  } G_STMT_END

typedef struct
{
  const char *path;
  const char *posix_name;
  off_t       size;
} Resize;

static int
resize_child (gpointer data)
{
  Resize *r = data;

  if (r->path != NULL)
    return truncate (r->path, r->size) == 0 ? 0 : 1;
  else
    {
      int fd = shm_open (r->posix_name, O_RDWR, 0);
      return fd >= 0 && ftruncate (fd, r->size) == 0 ? 0 : 1;
    }
}

/* Another process truncates or extends the object. */
static void
resize_elsewhere (const char *path,
                  const char *posix_name,
                  off_t       size)
{
  Resize r = { path, posix_name, size };
  pid_t pid = ps_test_fork (resize_child, &r);

  assert_status (ps_test_reap (pid, CHILD_TIMEOUT_MS), "exit 0");
}

/* "0110": one character per page, '1' resident, '0' not, '?' unknown. */
static char *
residency_string (PsSource *source,
                  guint64   first,
                  guint64   n)
{
  g_autofree guint8 *vec = g_malloc0 (MAX (n, 1));
  g_autoptr(GError) error = NULL;
  char *s = g_malloc (n + 1);

  memset (vec, 0x55, n);
  g_assert_true (ps_source_query_residency (source, first, n, vec, &error));
  g_assert_no_error (error);
  for (guint64 i = 0; i < n; i++)
    s[i] = vec[i] == PS_RESIDENT_YES ? '1' : vec[i] == PS_RESIDENT_NO ? '0' :
           vec[i] == PS_RESIDENT_UNKNOWN ? '?' : 'X';
  s[n] = '\0';
  return s;
}

#define assert_residency(source, first, n, expected) \
  G_STMT_START { \
    g_autofree char *residency_ = residency_string ((source), (first), (n)); \
    g_assert_cmpstr (residency_, ==, expected); \
  } G_STMT_END

/* Peeks [offset, offset + len) and returns page_valid as "0110". */
static char *
peek_valid (PsSource *source,
            guint64   offset,
            guint8   *dst,
            gsize     len)
{
  guint64 n = (offset + len - 1) / PAGE - offset / PAGE + 1;
  g_autofree guint8 *valid = g_malloc (n);
  char *s = g_malloc (n + 1);

  memset (valid, 0x55, n);
  g_assert_true (ps_source_peek (source, offset, dst, len, valid));
  for (guint64 i = 0; i < n; i++)
    s[i] = valid[i] == TRUE ? '1' : valid[i] == FALSE ? '0' : 'X';
  s[n] = '\0';
  return s;
}

#define assert_peek_valid(source, offset, dst, len, expected) \
  G_STMT_START { \
    g_autofree char *valid_ = peek_valid ((source), (offset), (dst), (len)); \
    g_assert_cmpstr (valid_, ==, expected); \
  } G_STMT_END

/* Rss of a SysV segment from /proc/sysvipc/shm (its 15th column). */
static gint64
sysv_rss (int shmid)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents ("/proc/sysvipc/shm", &table, NULL, NULL));
  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      long long col[15];   /* every column but perms */

      if (sscanf (lines[i], "%lld %lld %*o %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld",
                  &col[0], &col[1], &col[2], &col[3], &col[4], &col[5], &col[6], &col[7],
                  &col[8], &col[9], &col[10], &col[11], &col[12], &col[13], &col[14]) == 15 &&
          col[1] == shmid)
        return col[13];
    }
  return -1;
}

static int
sysv_stat (int              shmid,
           struct shmid_ds *ds)
{
  struct shmid_ds local;

  if (shmctl (shmid, IPC_STAT, ds != NULL ? ds : &local) == 0)
    return 0;
  return errno;
}

static gsize
dev_shm_count (const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/shm", 0, NULL);
  const char *name;
  gsize n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

static void
become_nobody (void)
{
  if (!ps_test_become_nobody ())
    g_error ("cannot become user nobody: %s", g_strerror (errno));
  /* the uid change made us undumpable: keep /proc/self and LSan working */
  prctl (PR_SET_DUMPABLE, 1, 0, 0, 0);
  g_assert_cmpuint (geteuid (), ==, 65534);
}

/* Runs this test again, in a child that becomes nobody; the parent then
 * cleans up whatever the outcome and fails the test if the child did. */
static void
run_as_nobody (void)
{
  g_test_trap_subprocess (NULL, TRAP_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (g_test_trap_reached_timeout ())
    g_test_fail_printf ("the child running as nobody did not finish in time");
  else if (!g_test_trap_has_passed ())
    g_test_fail_printf ("the child running as nobody failed; its stderr is above");
}

/* ---- geometry ----------------------------------------------------------- */

static void
test_geometry_init (void)
{
  PsGeometry g, h;

  ps_geometry_init (&g, 100, 0, 3 * 4096, 4096);
  g_assert_cmpuint (g.object_size, ==, 100);
  g_assert_cmpuint (g.offset, ==, 0);
  g_assert_cmpuint (g.length, ==, 3 * 4096);
  g_assert_cmpuint (g.page_size, ==, 4096);
  g_assert_cmpuint (g.n_pages, ==, 3);
  g_assert_cmpuint (g.data_length, ==, 100);
  g_assert_cmpuint (g.n_inside, ==, 1);
  g_assert_cmpint (ps_geometry_zone (&g, 0), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone (&g, 1), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (&g, 2), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (&g, 3), ==, PS_ZONE_PAST_MAPPING);
  g_assert_cmpint (ps_geometry_zone_at (&g, 99), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone_at (&g, 4095), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone_at (&g, 4096), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone_at (&g, 3 * 4096), ==, PS_ZONE_PAST_MAPPING);

  /* the mapping starts inside the object and ends past it */
  ps_geometry_init (&g, 4 * 4096 + 1, 2 * 4096, 5 * 4096, 4096);
  g_assert_cmpuint (g.data_length, ==, 2 * 4096 + 1);
  g_assert_cmpuint (g.n_inside, ==, 3);
  g_assert_cmpuint (g.n_pages, ==, 5);

  /* the mapping starts past the end: nothing inside */
  ps_geometry_init (&g, 4096, 2 * 4096, 4096, 4096);
  g_assert_cmpuint (g.data_length, ==, 0);
  g_assert_cmpuint (g.n_inside, ==, 0);
  g_assert_cmpint (ps_geometry_zone (&g, 0), ==, PS_ZONE_PAST_EOF);

  /* a length that is not a page multiple still counts its last page */
  ps_geometry_init (&g, 10000, 0, 10000, 4096);
  g_assert_cmpuint (g.n_pages, ==, 3);
  g_assert_cmpuint (g.n_inside, ==, 3);
  g_assert_cmpint (ps_geometry_zone (&g, 3), ==, PS_ZONE_PAST_MAPPING);

  ps_geometry_init (&h, 10000, 0, 10000, 4096);
  g_assert_true (ps_geometry_equal (&g, &h));
  ps_geometry_init (&h, 10001, 0, 10000, 4096);
  g_assert_false (ps_geometry_equal (&g, &h));
}

/* ---- files -------------------------------------------------------------- */

static void
test_file_shared_readonly (void)
{
  g_autofree char *path = ps_test_make_file ("ro", 100, 'a');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  const PsGeometry *g;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 3 * 4096, log, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 100);
  g_assert_cmpuint (g->n_pages, ==, 3);
  g_assert_cmpuint (g->n_inside, ==, 1);
  g_assert_cmpint (ps_geometry_zone (g, 0), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone (g, 1), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (g, 3), ==, PS_ZONE_PAST_MAPPING);
  g_assert_cmpint (ps_source_get_data (source)[99], ==, 'a');
  g_assert_false (ps_source_is_writable (source));

  ps_source_close (source);
  unlink (path);
}

static void
test_file_offset_unaligned (void)
{
  g_autofree char *path = ps_test_make_file ("unaligned", 8192, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 100, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "mmap("));
  g_assert_nonnull (strstr (error->message, "page size"));
  unlink (path);
}

/* Read-only is PROT_READ: a write through the mapping faults, and
 * ps_source_write refuses and says how to reopen writable. */
static void
test_file_readonly_prot (void)
{
  g_autofree char *path = make_file ("prot", 2 * PAGE, 'r');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree char *open_line = NULL;
  g_autofree char *contents = NULL;
  struct stat before, after;
  guint8 *data;
  gsize len;

  g_assert_cmpint (stat (path, &before), ==, 0);
  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);

  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_FILE);
  g_assert_cmpint (ps_source_get_flags (source), ==, PS_MAP_DEFAULT);
  g_assert_false (ps_source_is_writable (source));
  g_assert_false (ps_source_is_private (source));
  g_assert_false (ps_source_is_shmem (source));
  g_assert_cmpstr (ps_source_get_path (source), ==, path);
  g_assert_cmpstr (ps_source_get_display_name (source), ==, path);
  g_assert_cmpint (ps_source_get_fd (source), >=, 0);
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
  g_assert_true (ps_source_get_log (source) == log);

  open_line = g_strdup_printf ("open(\"%s\", O_RDONLY) = %d", path, ps_source_get_fd (source));
  assert_log_line (log, open_line);
  assert_log (log, "mmap(", "PROT_READ, MAP_SHARED|MAP_FIXED");

  assert_perms (data, "r--s");
  assert_probe (data, FALSE, "exit 0");
  assert_probe (data, TRUE, "SIGSEGV");
  assert_probe (data + PAGE + 5, TRUE, "SIGSEGV");

  g_assert_false (ps_source_write (source, 0, (const guint8 *) "x", 1, &previous, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_nonnull (strstr (error->message, "reopen it writable"));
  g_assert_null (previous);
  assert_log (log, "memcpy(", "not called: the mapping is read-only");

  /* attaching and reading never wrote: same bytes, same mtime */
  g_assert_cmpint (data[0], ==, 'r');
  ps_source_close (source);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 2 * PAGE);
  for (gsize i = 0; i < len; i++)
    g_assert_cmpint (contents[i], ==, 'r');
  g_assert_cmpint (stat (path, &after), ==, 0);
  g_assert_cmpint (before.st_mtim.tv_sec, ==, after.st_mtim.tv_sec);
  g_assert_cmpint (before.st_mtim.tv_nsec, ==, after.st_mtim.tv_nsec);
}

/* A 100-byte file mapped three pages long: the rest of page 0 reads as
 * zeros, page 1 and 2 raise SIGBUS, the guard page after the mapping SIGSEGV. */
static void
test_file_zones (void)
{
  g_autofree char *path = make_file ("zones", 100, 'z');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree guint8 *buf = g_malloc (3 * PAGE);
  const PsGeometry *g;
  guint8 *data;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 3 * PAGE, NULL, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);
  g = ps_source_get_geometry (source);

  g_assert_cmpuint (g->object_size, ==, 100);
  g_assert_cmpuint (g->offset, ==, 0);
  g_assert_cmpuint (g->length, ==, 3 * PAGE);
  g_assert_cmpuint (g->page_size, ==, PAGE);
  g_assert_cmpuint (g->n_pages, ==, 3);
  g_assert_cmpuint (g->data_length, ==, 100);
  g_assert_cmpuint (g->n_inside, ==, 1);
  for (guint64 p = 0; p < 4; p++)
    g_assert_cmpint (ps_geometry_zone (g, p), ==,
                     p == 0 ? PS_ZONE_INSIDE : p < 3 ? PS_ZONE_PAST_EOF : PS_ZONE_PAST_MAPPING);

  /* what each zone does when touched */
  g_assert_cmpint (data[99], ==, 'z');
  g_assert_cmpint (data[100], ==, 0);
  g_assert_cmpint (data[PAGE - 1], ==, 0);
  assert_probe (data + PAGE - 1, FALSE, "exit 0");
  assert_probe (data + PAGE, FALSE, "SIGBUS");
  assert_probe (data + 3 * PAGE - 1, FALSE, "SIGBUS");
  assert_probe (data + 3 * PAGE, FALSE, "SIGSEGV");
  assert_perms (data + 3 * PAGE, "---p");

  /* peek copies what exists and skips what would fault */
  memset (buf, 0xee, 3 * PAGE);
  assert_peek_valid (source, 0, buf, 3 * PAGE, "100");
  for (gsize i = 0; i < 3 * PAGE; i++)
    g_assert_cmpint (buf[i], ==, i < 100 ? 'z' : 0);
  /* a peek past the mapping is clamped and never faults */
  assert_peek_valid (source, 2 * PAGE, buf, 2 * PAGE, "00");
}

static void
test_file_length_default (void)
{
  gsize size = 2 * PAGE + PAGE / 2;
  g_autofree char *path = make_file ("default-length", size, 'd');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *line = NULL;
  const PsGeometry *g;
  guint8 *data;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, log, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  data = ps_source_get_data (source);

  g_assert_cmpuint (g->object_size, ==, size);
  g_assert_cmpuint (g->length, ==, size);
  g_assert_cmpuint (g->data_length, ==, size);
  g_assert_cmpuint (g->n_pages, ==, 3);
  g_assert_cmpuint (g->n_inside, ==, 3);
  g_assert_cmpint (ps_geometry_zone (g, 2), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone (g, 3), ==, PS_ZONE_PAST_MAPPING);
  g_assert_cmpint (data[size - 1], ==, 'd');
  g_assert_cmpint (data[size], ==, 0);          /* rest of the last page */
  assert_probe (data + 3 * PAGE, FALSE, "SIGSEGV");

  line = g_strdup_printf (", %zu, PROT_READ, MAP_SHARED|MAP_FIXED, %d, 0) = 0x", size, ps_source_get_fd (source));
  assert_log (log, "mmap(0x", line);
}

static void
test_file_empty_with_length (void)
{
  g_autofree char *path = make_file ("empty-length", 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree guint8 *buf = g_malloc (2 * PAGE);
  const PsGeometry *g;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 2 * PAGE, NULL, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 0);
  g_assert_cmpuint (g->n_pages, ==, 2);
  g_assert_cmpuint (g->n_inside, ==, 0);
  g_assert_cmpuint (g->data_length, ==, 0);
  g_assert_cmpint (ps_geometry_zone (g, 0), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (g, 1), ==, PS_ZONE_PAST_EOF);
  assert_probe (ps_source_get_data (source), FALSE, "SIGBUS");
  memset (buf, 0xee, 2 * PAGE);
  assert_peek_valid (source, 0, buf, 2 * PAGE, "00");
  for (gsize i = 0; i < 2 * PAGE; i++)
    g_assert_cmpint (buf[i], ==, 0);
}

static void
test_file_offset (void)
{
  g_autofree char *path = make_pattern_file ("offset", 4);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) a = NULL;
  g_autoptr(PsSource) b = NULL;
  g_autoptr(PsSource) c = NULL;
  g_autofree guint8 *buf = g_malloc (5 * PAGE);
  g_autofree char *line = NULL;
  const PsGeometry *g;

  /* the rest of the file from page 2 */
  a = ps_source_open_file (path, PS_MAP_DEFAULT, 2 * PAGE, 0, log, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (a);
  g_assert_cmpuint (g->object_size, ==, 4 * PAGE);
  g_assert_cmpuint (g->offset, ==, 2 * PAGE);
  g_assert_cmpuint (g->length, ==, 2 * PAGE);
  g_assert_cmpuint (g->n_pages, ==, 2);
  g_assert_cmpuint (g->n_inside, ==, 2);
  g_assert_cmpint (ps_source_get_data (a)[0], ==, 'C');
  g_assert_cmpint (ps_source_get_data (a)[PAGE], ==, 'D');
  g_assert_cmpint (ps_source_get_data (a)[2 * PAGE - 1], ==, 'D');
  line = g_strdup_printf (", %zu, PROT_READ, MAP_SHARED|MAP_FIXED, %d, %zu) = 0x",
                          2 * PAGE, ps_source_get_fd (a), 2 * PAGE);
  assert_log (log, "mmap(0x", line);

  /* from page 1, five pages long: two of them past EOF */
  b = ps_source_open_file (path, PS_MAP_DEFAULT, PAGE, 5 * PAGE, NULL, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (b);
  g_assert_cmpuint (g->offset, ==, PAGE);
  g_assert_cmpuint (g->length, ==, 5 * PAGE);
  g_assert_cmpuint (g->data_length, ==, 3 * PAGE);
  g_assert_cmpuint (g->n_pages, ==, 5);
  g_assert_cmpuint (g->n_inside, ==, 3);
  g_assert_cmpint (ps_geometry_zone (g, 2), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone (g, 3), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (g, 5), ==, PS_ZONE_PAST_MAPPING);
  assert_peek_valid (b, 0, buf, 5 * PAGE, "11100");
  g_assert_cmpint (buf[0], ==, 'B');
  g_assert_cmpint (buf[2 * PAGE], ==, 'D');
  g_assert_cmpint (buf[3 * PAGE], ==, 0);
  assert_probe (ps_source_get_data (b) + 3 * PAGE, FALSE, "SIGBUS");

  /* wholly past EOF, with a length: allowed, nothing inside */
  c = ps_source_open_file (path, PS_MAP_DEFAULT, 8 * PAGE, PAGE, NULL, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (c);
  g_assert_cmpuint (g->n_inside, ==, 0);
  g_assert_cmpuint (g->data_length, ==, 0);
  g_assert_cmpint (ps_geometry_zone (g, 0), ==, PS_ZONE_PAST_EOF);
}

/* MAP_PRIVATE and writable: our writes are copies; the file and every
 * other process keep the original bytes. */
static void
test_file_private_writable (void)
{
  g_autofree char *path = make_file ("private", 2 * PAGE, 'a');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *open_line = NULL;
  gsize len;
  guint8 *data;
  Other other = { .path = path, .offset = 10, .bytes = (const guint8 *) "aaa", .len = 3 };

  source = ps_source_open_file (path, PS_MAP_PRIVATE | PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);
  g_assert_true (ps_source_is_private (source));
  g_assert_true (ps_source_is_writable (source));

  /* a private mapping needs no write permission on the file */
  open_line = g_strdup_printf ("open(\"%s\", O_RDONLY) = %d", path, ps_source_get_fd (source));
  assert_log_line (log, open_line);
  assert_log (log, "mmap(0x", "PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED");
  assert_perms (data, "rw-p");

  g_assert_true (ps_source_write (source, 10, (const guint8 *) "XYZ", 3, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "aaa", 3);
  g_assert_cmpmem (data + 10, 3, "XYZ", 3);

  /* the file is unchanged, even after msync */
  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 2 * PAGE);
  g_assert_cmpmem (contents + 10, 3, "aaa", 3);

  /* another process that maps the file sees the original */
  assert_other (&other, "exit 0");
}

typedef struct
{
  const char *path;
  guint64     offset;
  int         ready_fd;   /* child writes one byte here once it maps the page */
  int         wait_fd;    /* child waits here until the parent closes it */
  int         unused[2];
} Holder;

static int
holder_child (gpointer data)
{
  Holder *h = data;
  struct pollfd pfd = { h->wait_fd, POLLIN, 0 };
  volatile guint8 *p;
  int fd;

  close (h->unused[0]);
  close (h->unused[1]);
  fd = open (h->path, O_RDONLY);
  if (fd < 0)
    return 10;
  p = mmap (NULL, PAGE, PROT_READ, MAP_SHARED, fd, h->offset);
  if (p == MAP_FAILED)
    return 11;
  (void) p[0];                  /* this process maps the page too now */
  if (write (h->ready_fd, "r", 1) != 1)
    return 12;
  /* until the parent closes its end; a deadline in case it never does */
  while (poll (&pfd, 1, 2 * CHILD_TIMEOUT_MS) < 0 && errno == EINTR)
    ;
  return 0;
}

/* MAP_SHARED and writable: another process sees our writes, we see its
 * writes, and msync puts them in the file. */
static void
test_file_shared_writable (void)
{
  g_autofree char *path = make_file ("shared", 3 * PAGE, 's');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree char *open_line = NULL;
  PsMsyncReport report;
  guint8 *data;
  char buf[8] = { 0 };
  int fd;
  Other sees = { .path = path, .offset = PAGE + 10, .bytes = (const guint8 *) "hello", .len = 5 };
  Other writes = { .path = path, .offset = 2 * PAGE + 7, .bytes = (const guint8 *) "other", .len = 5, .write = TRUE };

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);
  open_line = g_strdup_printf ("open(\"%s\", O_RDWR) = %d", path, ps_source_get_fd (source));
  assert_log_line (log, open_line);
  assert_log (log, "mmap(0x", "PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED");
  assert_perms (data, "rw-s");

  g_assert_true (ps_source_write (source, PAGE + 10, (const guint8 *) "hello", 5, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "sssss", 5);
  assert_log (log, "memcpy(", ", 5 bytes) = ok");
  assert_other (&sees, "exit 0");

  /* and the other way round */
  assert_other (&writes, "exit 0");
  g_assert_cmpmem (data + 2 * PAGE + 7, 5, "other", 5);

  g_assert_true (ps_source_msync (source, PAGE + 10, 5, MS_SYNC, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.offset, ==, PAGE);
  g_assert_cmpuint (report.length, ==, PAGE);
  fd = open (path, O_RDONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, buf, 5, PAGE + 10), ==, 5);
  g_assert_cmpstr (buf, ==, "hello");
  g_assert_cmpint (pread (fd, buf, 5, 2 * PAGE + 7), ==, 5);
  g_assert_cmpstr (buf, ==, "other");
  close (fd);
}

/* What msync reports, checked against what smaps really says: a page dirtied
 * through a mapping only this process has is Private_Dirty (smaps counts a
 * page "shared" when more than one process maps it, whatever MAP_SHARED
 * says); it is Shared_Dirty while another process maps it too. The page
 * cache may hold the file in large folios, dirtied whole, so a 5-byte write
 * can show as more than one dirty page: assert "at least a page". */
static void
test_file_msync (void)
{
  g_autofree char *path = make_file ("msync", 3 * PAGE, 'm');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsSource) ro = NULL;
  g_autofree char *line = NULL;
  PsMsyncReport report;
  gint64 shared, private;
  int ready[2], wait_pipe[2];
  struct pollfd pfd;
  char c;
  pid_t pid;
  Holder holder;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);

  /* clean: nothing dirty */
  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, &report, &error));
  g_assert_true (ps_source_read_dirty (source, &shared, &private));
  g_assert_cmpint (shared + private, ==, 0);

  write_ok (source, PAGE + 10, "dirty");
  g_assert_true (ps_source_read_dirty (source, &shared, &private));
  g_assert_cmpint (shared, ==, 0);
  g_assert_cmpint (private, >=, PAGE);

  memset (&report, 0xff, sizeof report);
  g_assert_true (ps_source_msync (source, PAGE + 10, 5, MS_SYNC, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.offset, ==, PAGE);
  g_assert_cmpuint (report.length, ==, PAGE);
  g_assert_cmpint (report.flags, ==, MS_SYNC);
  g_assert_cmpint (report.elapsed_us, >=, 0);
  g_assert_cmpint (report.shared_dirty_before, ==, 0);
  g_assert_cmpint (report.private_dirty_before, >=, PAGE);
  g_assert_cmpint (report.shared_dirty_after, ==, 0);
  g_assert_cmpint (report.private_dirty_after, ==, 0);
  line = g_strdup_printf ("msync(%p, %zu, MS_SYNC) = 0 (", ps_source_get_data (source) + PAGE, PAGE);
  assert_log_line (log, line);

  /* an unaligned range is widened to whole pages */
  g_assert_true (ps_source_msync (source, PAGE - 1, 2, MS_ASYNC | MS_INVALIDATE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.offset, ==, 0);
  g_assert_cmpuint (report.length, ==, 2 * PAGE);
  g_assert_cmpint (report.flags, ==, MS_ASYNC | MS_INVALIDATE);
  assert_log (log, "msync(", ", MS_ASYNC|MS_INVALIDATE) = 0 (");

  /* length 0: to the end of the mapping */
  g_assert_true (ps_source_msync (source, 0, 0, MS_ASYNC, &report, &error));
  g_assert_cmpuint (report.offset, ==, 0);
  g_assert_cmpuint (report.length, ==, 3 * PAGE);

  /* a page another process maps as well counts as Shared_Dirty */
  g_assert_cmpint (pipe2 (ready, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (wait_pipe, O_CLOEXEC), ==, 0);
  holder = (Holder) { path, 2 * PAGE, ready[1], wait_pipe[0], { ready[0], wait_pipe[1] } };
  pid = ps_test_fork (holder_child, &holder);
  close (ready[1]);
  close (wait_pipe[0]);
  pfd = (struct pollfd) { ready[0], POLLIN, 0 };
  g_assert_cmpint (poll (&pfd, 1, CHILD_TIMEOUT_MS), ==, 1);
  g_assert_cmpint (read (ready[0], &c, 1), ==, 1);

  write_ok (source, 2 * PAGE, "both");
  g_assert_true (ps_source_msync (source, 2 * PAGE, PAGE, MS_SYNC, &report, &error));
  g_assert_cmpint (report.shared_dirty_before, >=, PAGE);
  g_assert_cmpint (report.shared_dirty_after, ==, 0);
  g_assert_cmpint (report.private_dirty_after, ==, 0);

  close (wait_pipe[1]);
  close (ready[0]);
  assert_status (ps_test_reap (pid, CHILD_TIMEOUT_MS), "exit 0");

  /* refused: past the mapping, or running past its end */
  g_assert_false (ps_source_msync (source, 3 * PAGE, PAGE, MS_SYNC, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "past the end of the mapping"));
  g_clear_error (&error);
  g_assert_false (ps_source_msync (source, PAGE, 10 * PAGE, MS_SYNC, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* flags the kernel rejects: its error, named */
  g_assert_false (ps_source_msync (source, 0, PAGE, MS_SYNC | MS_ASYNC, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "msync("));
  g_assert_nonnull (strstr (error->message, "Invalid argument"));
  assert_log (log, "msync(", "= -1 EINVAL (Invalid argument)");
  g_clear_error (&error);

  /* msync of a read-only shared mapping is allowed */
  ro = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ps_source_msync (ro, 0, 0, MS_SYNC, &report, &error));
  g_assert_no_error (error);
}

static void
test_msync_flags (void)
{
  static const struct { const char *text; int flags; const char *back; } good[] = {
    { "sync", MS_SYNC, "MS_SYNC" },
    { "async", MS_ASYNC, "MS_ASYNC" },
    { "sync,invalidate", MS_SYNC | MS_INVALIDATE, "MS_SYNC|MS_INVALIDATE" },
    { "async|invalidate", MS_ASYNC | MS_INVALIDATE, "MS_ASYNC|MS_INVALIDATE" },
    { "MS_ASYNC|MS_INVALIDATE", MS_ASYNC | MS_INVALIDATE, "MS_ASYNC|MS_INVALIDATE" },
    { "SYNC", MS_SYNC, "MS_SYNC" },
    { "invalidate", MS_SYNC | MS_INVALIDATE, "MS_SYNC|MS_INVALIDATE" },
    { "", MS_SYNC, "MS_SYNC" },
  };
  static const char *const bad[] = { "sync,async", "bogus", "syncx", "sync,flush", "MS_SYNC|MS_ASYNC" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *back = NULL;
      int flags = -1, again = -1;

      g_assert_true (ps_msync_flags_parse (good[i].text, &flags, &error));
      g_assert_no_error (error);
      g_assert_cmpint (flags, ==, good[i].flags);
      back = ps_msync_flags_to_string (flags);
      g_assert_cmpstr (back, ==, good[i].back);
      g_assert_true (ps_msync_flags_parse (back, &again, NULL));
      g_assert_cmpint (again, ==, flags);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      int flags = 12345;

      g_assert_false (ps_msync_flags_parse (bad[i], &flags, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_cmpint (flags, ==, 12345);
    }
}

/* Another process truncates and extends the file; restat says so. */
static void
test_file_restat (void)
{
  g_autofree char *path = make_file ("restat", 2 * PAGE, 'r');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree guint8 *buf = g_malloc (2 * PAGE);
  PsGeometry now;
  gboolean removed = TRUE;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_no_error (error);
  g_assert_false (removed);
  g_assert_true (ps_geometry_equal (&now, ps_source_get_geometry (source)));

  resize_elsewhere (path, NULL, 5 * PAGE);
  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_cmpuint (now.object_size, ==, 5 * PAGE);
  g_assert_cmpuint (now.length, ==, 2 * PAGE);   /* the mapping stays as it was */
  g_assert_cmpuint (now.n_inside, ==, 2);
  g_assert_false (removed);
  g_assert_false (ps_geometry_equal (&now, ps_source_get_geometry (source)));
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, 2 * PAGE);

  resize_elsewhere (path, NULL, 100);
  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_cmpuint (now.object_size, ==, 100);
  g_assert_cmpuint (now.data_length, ==, 100);
  g_assert_cmpuint (now.n_inside, ==, 1);
  g_assert_cmpint (ps_geometry_zone (&now, 1), ==, PS_ZONE_PAST_EOF);
  g_assert_false (removed);

  /* peek follows the new size and does not fault */
  assert_peek_valid (source, 0, buf, 2 * PAGE, "10");
  g_assert_cmpint (buf[99], ==, 'r');
  g_assert_cmpint (buf[100], ==, 0);

  g_assert_cmpint (unlink (path), ==, 0);
  g_assert_true (ps_source_restat (source, NULL, &removed, &error));
  g_assert_true (removed);
}

/* The file shrinks under a writable mapping: a write to a page now wholly
 * past EOF raises SIGBUS, which is caught and reported, again and again. */
static void
test_file_sigbus_write (void)
{
  g_autofree char *path = make_file ("sigbus", 3 * PAGE, 'w');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) shared = NULL;
  g_autoptr(PsSource) private = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree guint8 *buf = g_malloc (3 * PAGE);
  g_autofree char *size_text = g_strdup_printf ("the object is %zu bytes", PAGE + 100);
  struct stat st;

  shared = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  private = ps_source_open_file (path, PS_MAP_WRITABLE | PS_MAP_PRIVATE, 0, 0, log, &error);
  g_assert_no_error (error);

  resize_elsewhere (path, NULL, PAGE + 100);

  for (guint round = 0; round < 3; round++)
    {
      g_assert_false (ps_source_write (shared, 2 * PAGE + round, (const guint8 *) "bus", 3, &previous, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "SIGBUS"));
      g_assert_nonnull (strstr (error->message, size_text));
      g_assert_null (previous);
      g_clear_error (&error);
    }
  assert_log (log, "memcpy(", "= SIGBUS (the object is");

  g_assert_false (ps_source_write (private, 2 * PAGE, (const guint8 *) "bus", 3, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "SIGBUS"));
  g_clear_error (&error);

  /* the rest of the last page past EOF is still writable, and reads zeros */
  g_assert_true (ps_source_write (shared, PAGE + 200, (const guint8 *) "tail", 4, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "\0\0\0\0", 4);
  g_clear_pointer (&previous, g_bytes_unref);
  write_ok (shared, 0, "head");

  assert_peek_valid (shared, 0, buf, 3 * PAGE, "110");
  g_assert_cmpmem (buf, 4, "head", 4);
  g_assert_cmpmem (buf + PAGE + 200, 4, "tail", 4);
  g_assert_cmpint (buf[2 * PAGE], ==, 0);

  /* the tail never reaches the file; on a disk filesystem writeback even
   * zeroes it in the page cache, so it is not asserted after msync */
  g_assert_true (ps_source_msync (shared, 0, 2 * PAGE, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, PAGE + 100);
  assert_peek_valid (shared, 0, buf, 3 * PAGE, "110");
  g_assert_cmpmem (buf, 4, "head", 4);
}

/* A write that runs from inside the file onto a page wholly past EOF: the
 * pages before the fault are written, the error says exactly how many bytes,
 * and the bytes handed back undo exactly that, so the file is as before. */
static void
test_file_partial_write (void)
{
  gsize size = PAGE + 100;
  g_autofree char *path = make_file ("partial", size, 'p');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree guint8 *payload = g_malloc (2 * PAGE);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  gsize before_len, after_len;
  guint64 at = PAGE - 96;
  gsize written = 2 * PAGE - at;   /* up to the end of the last page inside EOF */

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 4 * PAGE, log, &error);
  g_assert_no_error (error);
  memset (payload, 'B', 2 * PAGE);

  g_assert_false (ps_source_write (source, at, payload, 2 * PAGE, &previous, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  expected = g_strdup_printf ("%zu bytes from 0x%" G_GINT64_MODIFIER "x were written, the other %zu lie",
                              written, at, 2 * PAGE - written);
  ps_assert_contains (error->message, expected);
  g_clear_error (&error);
  g_assert_nonnull (previous);
  g_assert_cmpuint (g_bytes_get_size (previous), ==, written);
  assert_log (log, "memcpy(", "= SIGBUS after ");

  /* what was written reached the file: the bytes before EOF are 'B' now */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpuint (after_len, ==, size);
  g_assert_cmpint (after[at], ==, 'B');
  g_assert_cmpint (after[size - 1], ==, 'B');
  g_clear_pointer (&after, g_free);

  /* and undoing exactly that gives the file back */
  g_assert_true (ps_source_write (source, at, g_bytes_get_data (previous, NULL), written, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, before, before_len);
}

/* Bytes written in the last page past EOF: written and counted, and the
 * log says they never reach the file; the file keeps its size and gets the
 * bytes before EOF. */
static void
test_file_write_past_eof (void)
{
  g_autofree char *path = ps_test_make_file ("src-tail", 100, 't');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 3 * PAGE, log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ps_source_bytes_past_eof (source, 0, 100), ==, 0);
  g_assert_cmpuint (ps_source_bytes_past_eof (source, 0x60, 8), ==, 4);
  g_assert_cmpuint (ps_source_bytes_past_eof (source, 0x64, 4), ==, 4);

  g_assert_true (ps_source_write (source, 0x60, (const guint8 *) "ABCDEFGH", 8, NULL, &error));
  g_assert_no_error (error);
  assert_log (log, "note: 4 of these bytes lie past EOF (the object is 100 bytes)", "never reach the file");
  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 100);
  g_assert_cmpmem (contents + 0x60, 4, "ABCD", 4);

  /* a write inside the file says nothing more */
  ps_event_log_clear (log);
  g_assert_true (ps_source_write (source, 0, (const guint8 *) "x", 1, NULL, &error));
  {
    g_autofree char *text = ps_event_log_to_text (log);
    g_assert_null (strstr (text, "past EOF"));
  }
  g_assert_cmpint (unlink (path), ==, 0);
}

/* Demo files left by a process that died are removed by the next demo;
 * a live process's file, and any other file, stay. */
static void
test_demo_sweep (void)
{
  g_autofree char *dir = g_dir_make_tmp ("pagescope-test-sweep-XXXXXX", NULL);
  g_autofree char *dead = NULL, *alive = NULL, *no_pid = NULL, *other = NULL;
  pid_t child = fork ();
  int status;

  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    _exit (0);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);   /* now no process has that pid */

  dead = g_strdup_printf ("%s/pagescope-demo-%d-AbC123", dir, (int) child);
  alive = g_strdup_printf ("%s/pagescope-demo-%d-AbC123", dir, (int) getpid ());
  no_pid = g_strdup_printf ("%s/pagescope-demo-AbC123", dir);
  other = g_strdup_printf ("%s/notes-%d-AbC123", dir, (int) child);
  for (const char *const *p = (const char *const[]) { dead, alive, no_pid, other, NULL }; *p != NULL; p++)
    g_assert_true (g_file_set_contents (*p, "x", 1, NULL));

  ps_source_sweep_stale_demos (dir);
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (alive, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (no_pid, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));

  unlink (alive);
  unlink (no_pid);
  unlink (other);
  g_assert_cmpint (rmdir (dir), ==, 0);
}

static void
test_file_write_checks (void)
{
  g_autofree char *path = make_file ("write-checks", 2 * PAGE, 'a');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autoptr(GBytes) undone = NULL;
  guint8 *data;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);

  /* the previous bytes undo the write */
  g_assert_true (ps_source_write (source, PAGE - 2, (const guint8 *) "ABCD", 4, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (data + PAGE - 2, 4, "ABCD", 4);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "aaaa", 4);
  g_assert_true (ps_source_write (source, PAGE - 2, g_bytes_get_data (previous, NULL),
                                  g_bytes_get_size (previous), &undone, &error));
  g_assert_cmpmem (data + PAGE - 2, 4, "aaaa", 4);
  g_assert_cmpmem (g_bytes_get_data (undone, NULL), g_bytes_get_size (undone), "ABCD", 4);

  /* the last byte of the mapping, and no further */
  write_ok (source, 2 * PAGE - 1, "z");
  g_assert_false (ps_source_write (source, 2 * PAGE, (const guint8 *) "z", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "past the end of the mapping"));
  g_clear_error (&error);
  g_assert_false (ps_source_write (source, 2 * PAGE - 1, (const guint8 *) "zz", 2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "run past the end of the mapping"));
  g_clear_error (&error);
  g_assert_false (ps_source_write (source, G_MAXUINT64 - 1, (const guint8 *) "zz", 2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  assert_log (log, "memcpy(", "not called: ");

  g_assert_false (ps_source_write (source, 0, (const guint8 *) "", 0, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

static void
test_file_close (void)
{
  g_autofree char *path = make_file ("close", 2 * PAGE, 'c');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  guint8 buf[16];
  guint8 vec[2];
  int fd;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  fd = ps_source_get_fd (source);
  g_assert_false (ps_source_is_closed (source));

  ps_source_close (source);
  g_assert_true (ps_source_is_closed (source));
  g_assert_null (ps_source_get_data (source));
  g_assert_cmpint (ps_source_get_fd (source), ==, -1);
  assert_log (log, "munmap(0x", " = 0");
  {
    g_autofree char *line = g_strdup_printf ("close(%d) = 0", fd);
    assert_log_line (log, line);
  }
  ps_source_close (source);   /* idempotent */

  memset (buf, 0xee, sizeof buf);
  assert_peek_valid (source, PAGE - 8, buf, sizeof buf, "00");
  for (gsize i = 0; i < sizeof buf; i++)
    g_assert_cmpint (buf[i], ==, 0);

  g_assert_false (ps_source_query_residency (source, 0, 2, vec, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_false (ps_source_write (source, 0, (const guint8 *) "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_false (ps_source_msync (source, PAGE, PAGE, MS_SYNC, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_false (ps_source_remove (source, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_file_residency (void)
{
  g_autofree char *path = make_file ("residency", 4 * PAGE, 'r');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *all = NULL;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);

  /* page-cache state: each page is 0 or 1; a page we just wrote is resident */
  write_ok (source, 2 * PAGE, "here");
  all = residency_string (source, 0, 4);
  g_assert_cmpuint (strspn (all, "01"), ==, 4);
  g_assert_cmpint (all[2], ==, '1');
  assert_residency (source, 2, 1, "1");
  assert_residency (source, 0, 0, "");
}

static void
test_file_describe (void)
{
  g_autofree char *path = make_file ("describe", PAGE, 'd');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree char *size_text = g_strdup_printf ("%zu bytes", PAGE);
  gboolean saw_kind = FALSE, saw_size = FALSE, saw_path = FALSE;

  g_assert_cmpint (chmod (path, 0640), ==, 0);
  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  fields = ps_source_describe (source);
  for (guint i = 0; i < fields->len; i++)
    {
      PsField *f = g_ptr_array_index (fields, i);

      if (g_str_equal (f->label, "Kind"))
        saw_kind = g_str_equal (f->value, "File");
      else if (g_str_equal (f->label, "Path"))
        saw_path = g_str_equal (f->value, path);
      else if (g_str_equal (f->label, "Object size"))
        saw_size = g_str_has_prefix (f->value, size_text);
      else if (g_str_equal (f->label, "Permissions"))
        g_assert_cmpstr (f->value, ==, "0640");
    }
  g_assert_true (saw_kind);
  g_assert_true (saw_path);
  g_assert_true (saw_size);
  g_assert_cmpstr (ps_source_kind_to_string (PS_SOURCE_FILE), ==, "file");
  g_assert_cmpstr (ps_source_kind_to_string (PS_SOURCE_ANON), ==, "anon");
  g_assert_cmpstr (ps_source_kind_to_string (PS_SOURCE_SYSV), ==, "sysv");
  g_assert_cmpstr (ps_source_kind_to_string (PS_SOURCE_POSIX), ==, "posix");
}

static void
test_file_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_demo (NULL, &error);
  g_autofree char *path = NULL;
  const PsGeometry *g;

  g_assert_no_error (error);
  path = g_strdup (ps_source_get_path (source));
  queue_unlink (path);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 256 * 1024 + 100);
  g_assert_cmpuint (g->n_inside, ==, (256 * 1024 + 100 + PAGE - 1) / PAGE);
  g_assert_cmpuint (g->n_pages, ==, g->n_inside + 2);
  g_assert_true (ps_source_is_writable (source));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  ps_source_close (source);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* ---- anonymous ---------------------------------------------------------- */

typedef struct
{
  guint8     *addr;
  const char *text;
} AnonWrite;

static int
anon_write_child (gpointer data)
{
  AnonWrite *w = data;

  memcpy (w->addr, w->text, strlen (w->text));
  return 0;
}

static void
test_anon_basic (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree guint8 *buf = g_malloc (4 * PAGE);
  g_autofree char *line = NULL;
  const PsGeometry *g;
  guint8 *data;
  AnonWrite w;
  pid_t pid;

  source = ps_source_new_anon (4 * PAGE, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);
  g = ps_source_get_geometry (source);

  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_ANON);
  g_assert_true (ps_source_is_writable (source));
  g_assert_false (ps_source_is_private (source));
  g_assert_true (ps_source_is_shmem (source));
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
  g_assert_cmpint (ps_source_get_fd (source), ==, -1);
  g_assert_cmpuint (g->object_size, ==, 4 * PAGE);
  g_assert_cmpuint (g->offset, ==, 0);
  g_assert_cmpuint (g->length, ==, 4 * PAGE);
  g_assert_cmpuint (g->n_pages, ==, 4);
  g_assert_cmpuint (g->n_inside, ==, 4);
  g_assert_cmpint (ps_geometry_zone (g, 4), ==, PS_ZONE_PAST_MAPPING);
  line = g_strdup_printf (", %zu, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x", 4 * PAGE);
  assert_log (log, "mmap(0x", line);
  assert_perms (data, "rw-s");
  assert_probe (data + 4 * PAGE, FALSE, "SIGSEGV");

  /* nothing allocated until written; exactly the written pages after */
  assert_residency (source, 0, 4, "0000");
  g_assert_true (ps_source_write (source, PAGE + 1, (const guint8 *) "anon", 4, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "\0\0\0\0", 4);
  assert_residency (source, 0, 4, "0100");

  /* a forked child shares the mapping: its write shows here */
  w = (AnonWrite) { data + 3 * PAGE, "child" };
  pid = ps_test_fork (anon_write_child, &w);
  assert_status (ps_test_reap (pid, CHILD_TIMEOUT_MS), "exit 0");
  g_assert_cmpmem (data + 3 * PAGE, 5, "child", 5);
  assert_residency (source, 0, 4, "0101");

  assert_peek_valid (source, 0, buf, 4 * PAGE, "0101");
  g_assert_cmpmem (buf + PAGE + 1, 4, "anon", 4);
  g_assert_cmpmem (buf + 3 * PAGE, 5, "child", 5);
  assert_residency (source, 0, 4, "0101");    /* peeking allocated nothing */

  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (ps_source_remove (source, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_anon_odd_size (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (PAGE + 904, NULL, &error);
  const PsGeometry *g;

  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, PAGE + 904);
  g_assert_cmpuint (g->length, ==, PAGE + 904);
  g_assert_cmpuint (g->n_pages, ==, 2);
  g_assert_cmpuint (g->n_inside, ==, 2);
  write_ok (source, PAGE + 903, "e");
  g_assert_false (ps_source_write (source, PAGE + 904, (const guint8 *) "e", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

/* ---- SysV --------------------------------------------------------------- */

static void
test_sysv_create (void)
{
  key_t key = test_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = NULL;
  g_autofree char *line = NULL;
  struct shmid_ds ds;
  const PsGeometry *g;
  guint8 *data;
  int shmid;

  source = create_sysv (key, 10000, 0, log);
  shmid = ps_source_get_shmid (source);
  data = ps_source_get_data (source);

  line = g_strdup_printf ("shmget(key=0x%08x, 10000, IPC_CREAT|IPC_EXCL|0600) = %d", (guint32) key, shmid);
  assert_log_line (log, line);
  g_free (line);
  line = g_strdup_printf ("shmat(shmid=%d, %p, SHM_REMAP) = %p", shmid, data, data);
  assert_log_line (log, line);

  g_assert_cmpint (sysv_stat (shmid, &ds), ==, 0);
  g_assert_cmpint (ds.shm_perm.__key, ==, key);
  g_assert_cmpint (ds.shm_perm.mode & 0777, ==, 0600);
  g_assert_cmpint (ds.shm_perm.mode & SHM_DEST, ==, 0);
  g_assert_cmpuint (ds.shm_segsz, ==, 10000);
  g_assert_cmpint (ds.shm_cpid, ==, getpid ());
  g_assert_cmpuint (ds.shm_nattch, ==, 1);
  g_assert_cmpint (ds.shm_perm.uid, ==, geteuid ());

  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_SYSV);
  g_assert_cmpint (ps_source_get_key (source), ==, key);
  g_assert_true (ps_source_is_writable (source));
  g_assert_true (ps_source_is_shmem (source));
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
  g_assert_cmpint (ps_source_get_fd (source), ==, -1);

  /* no pages past EOF: the kernel rounds the segment up to a page */
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 10000);
  g_assert_cmpuint (g->length, ==, 10000);
  g_assert_cmpuint (g->n_pages, ==, (10000 + PAGE - 1) / PAGE);
  g_assert_cmpuint (g->n_inside, ==, g->n_pages);
  g_assert_cmpint (ps_geometry_zone (g, g->n_pages), ==, PS_ZONE_PAST_MAPPING);
  assert_perms (data, "rw-s");
  assert_probe (data + g->n_pages * PAGE - 1, FALSE, "exit 0");
  assert_probe (data + g->n_pages * PAGE, FALSE, "SIGSEGV");

  write_ok (source, 9990, "sysv");
  g_assert_cmpmem (data + 9990, 4, "sysv", 4);
  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, NULL, NULL));

  {
    g_autoptr(GPtrArray) fields = ps_source_describe (source);
    gboolean saw_perms = FALSE;

    for (guint i = 0; i < fields->len; i++)
      {
        PsField *f = g_ptr_array_index (fields, i);

        if (g_str_equal (f->label, "Permissions"))
          saw_perms = g_str_equal (f->value, "0600");
      }
    g_assert_true (saw_perms);
  }
}

static void
test_sysv_create_mode (void)
{
  key_t key = test_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = create_sysv (key, PAGE, 0640, log);
  g_autofree char *line = NULL;
  struct shmid_ds ds;

  g_assert_cmpint (sysv_stat (ps_source_get_shmid (source), &ds), ==, 0);
  g_assert_cmpint (ds.shm_perm.mode & 0777, ==, 0640);
  line = g_strdup_printf ("shmget(key=0x%08x, %zu, IPC_CREAT|IPC_EXCL|0640) = %d",
                          (guint32) key, PAGE, ps_source_get_shmid (source));
  assert_log_line (log, line);
}

typedef struct
{
  int         shmid;
  const char *text;
} SysvWrite;

/* Attach by key (decimal, 0x hex), by shmid; read-only unless asked. */
static void
test_sysv_attach (void)
{
  key_t key = test_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = create_sysv (key, 3 * PAGE, 0, NULL);
  g_autoptr(PsSource) by_key = NULL;
  g_autoptr(PsSource) by_hex = NULL;
  g_autoptr(PsSource) by_dec = NULL;
  g_autoptr(PsSource) by_shmid = NULL;
  g_autoptr(PsSource) writable = NULL;
  g_autofree char *hex = g_strdup_printf ("0x%08x", (guint32) key);
  g_autofree char *dec = g_strdup_printf ("%d", (int) key);
  g_autofree char *line = NULL;
  int shmid = ps_source_get_shmid (creator);
  key_t parsed;
  guint8 *data;
  Other other = { .shmid = shmid, .offset = 2 * PAGE, .bytes = (const guint8 *) "from-other", .len = 10, .write = TRUE };

  write_ok (creator, PAGE, "created");

  by_key = ps_source_attach_sysv (key, PS_MAP_DEFAULT, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (by_key);
  g_assert_cmpint (ps_source_get_shmid (by_key), ==, shmid);
  g_assert_cmpint (ps_source_get_key (by_key), ==, key);
  g_assert_false (ps_source_is_writable (by_key));
  g_assert_cmpmem (data + PAGE, 7, "created", 7);
  line = g_strdup_printf ("shmget(key=0x%08x, 0, 0) = %d", (guint32) key, shmid);
  assert_log_line (log, line);
  g_free (line);
  line = g_strdup_printf ("shmat(shmid=%d, %p, SHM_RDONLY|SHM_REMAP) = %p", shmid, data, data);
  assert_log_line (log, line);
  g_free (line);
  line = g_strdup_printf ("shmctl(shmid=%d, IPC_STAT) = 0 (key 0x%08x, size %zu, mode 0600, nattch 1)",
                          shmid, (guint32) key, 3 * PAGE);
  assert_log_line (log, line);

  /* SHM_RDONLY: the mapping is read-only to the kernel */
  assert_perms (data, "r--s");
  assert_probe (data, TRUE, "SIGSEGV");
  g_assert_false (ps_source_write (by_key, 0, (const guint8 *) "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "reopen it writable"));
  g_clear_error (&error);

  /* another process's write shows in our read-only attach */
  assert_other (&other, "exit 0");
  g_assert_cmpmem (data + 2 * PAGE, 10, "from-other", 10);

  g_assert_true (ps_parse_sysv_key (hex, &parsed, &error));
  g_assert_cmpint (parsed, ==, key);
  by_hex = ps_source_attach_sysv (parsed, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_shmid (by_hex), ==, shmid);

  g_assert_true (ps_parse_sysv_key (dec, &parsed, &error));
  g_assert_cmpint (parsed, ==, key);
  by_dec = ps_source_attach_sysv (parsed, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_shmid (by_dec), ==, shmid);

  by_shmid = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_key (by_shmid), ==, key);
  g_assert_cmpmem (ps_source_get_data (by_shmid) + PAGE, 7, "created", 7);

  writable = ps_source_attach_shmid (shmid, PS_MAP_WRITABLE, NULL, &error);
  g_assert_no_error (error);
  assert_perms (ps_source_get_data (writable), "rw-s");
  write_ok (writable, 5, "shared");
  g_assert_cmpmem (ps_source_get_data (creator) + 5, 6, "shared", 6);
  g_assert_cmpmem (data + 5, 6, "shared", 6);

  {
    struct shmid_ds ds;

    g_assert_cmpint (sysv_stat (shmid, &ds), ==, 0);
    g_assert_cmpuint (ds.shm_nattch, ==, 6);
  }

  /* detach: the segment stays */
  ps_source_close (by_key);
  g_assert_true (ps_source_is_closed (by_key));
  assert_log (log, "shmdt(0x", ") = 0");
  g_assert_cmpint (sysv_stat (shmid, NULL), ==, 0);
}

static void
test_sysv_ftok (void)
{
  g_autofree char *path = make_file ("ftok", 1, 0);
  g_autofree char *text = g_strdup_printf ("%s:7", path);
  g_autofree char *text_char = g_strdup_printf ("%s:A", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = NULL;
  g_autoptr(PsSource) source = NULL;
  key_t key, key_char;
  int stale;

  g_assert_true (ps_parse_sysv_key (text, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpint (key, ==, ftok (path, 7));
  g_assert_true (ps_parse_sysv_key (text_char, &key_char, &error));
  g_assert_cmpint (key_char, ==, ftok (path, 'A'));

  stale = shmget (key, 0, 0);
  if (stale >= 0)
    {
      g_test_skip ("another segment has this ftok key");
      return;
    }
  creator = create_sysv (key, PAGE, 0, NULL);
  write_ok (creator, 0, "ftok");
  source = ps_source_attach_sysv (key, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_shmid (source), ==, ps_source_get_shmid (creator));
  g_assert_cmpmem (ps_source_get_data (source), 4, "ftok", 4);
}

static void
test_sysv_exists (void)
{
  key_t key = test_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) first = create_sysv (key, 2 * PAGE, 0, NULL);
  g_autoptr(PsSource) second = NULL;
  g_autofree char *call = g_strdup_printf ("shmget(key=0x%08x, %zu, IPC_CREAT|IPC_EXCL|0600)", (guint32) key, PAGE);
  g_autofree char *line = g_strdup_printf ("%s = -1 EEXIST (File exists)", call);
  struct shmid_ds ds;

  write_ok (first, 0, "first");
  second = ps_source_create_sysv (key, PAGE, 0, log, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (g_str_has_prefix (error->message, call));
  g_assert_nonnull (strstr (error->message, "File exists"));
  assert_log_line (log, line);

  /* the existing segment is untouched */
  g_assert_cmpint (shmget (key, 0, 0), ==, ps_source_get_shmid (first));
  g_assert_cmpint (sysv_stat (ps_source_get_shmid (first), &ds), ==, 0);
  g_assert_cmpuint (ds.shm_segsz, ==, 2 * PAGE);
  g_assert_cmpuint (ds.shm_nattch, ==, 1);
  g_assert_cmpmem (ps_source_get_data (first), 5, "first", 5);
}

static void
test_sysv_missing (void)
{
  key_t key = test_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *call = g_strdup_printf ("shmget(key=0x%08x, 0, 0)", (guint32) key);
  g_autofree char *line = g_strdup_printf ("%s = -1 ENOENT (No such file or directory)", call);

  source = ps_source_attach_sysv (key, PS_MAP_DEFAULT, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, call));
  g_assert_nonnull (strstr (error->message, "No such file or directory"));
  assert_log_line (log, line);
}

/* Bad input changes nothing: no segment is left behind. */
static void
test_sysv_bad_create (void)
{
  key_t key = test_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  source = ps_source_create_sysv (key, 0, 0, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "size must not be zero"));
  g_assert_true (g_str_has_prefix (error->message, "shmget(key="));
  g_clear_error (&error);
  assert_log (log, "shmget(key=", "not called: the size must not be zero");
  g_assert_cmpint (shmget (key, 0, 0), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);

  source = ps_source_create_sysv (key, PAGE, 01777, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "permission bits"));
  g_clear_error (&error);
  g_assert_cmpint (shmget (key, 0, 0), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);
}

/* After IPC_RMID the key is gone but the segment lives while attached, and
 * can still be attached by shmid (KERNEL-FACTS). */
static void
test_sysv_removed (void)
{
  key_t key = test_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) a = create_sysv (key, 2 * PAGE, 0, log);
  g_autoptr(PsSource) b = NULL;
  g_autoptr(PsSource) c = NULL;
  PsSourceSpec *spec = NULL;
  g_autofree char *line = NULL;
  g_autofree char *stat_line = NULL;
  int shmid = ps_source_get_shmid (a);
  struct shmid_ds ds;
  gboolean removed = FALSE;
  PsGeometry now;

  write_ok (a, 100, "still here");
  g_assert_true (ps_source_restat (a, NULL, &removed, &error));
  g_assert_false (removed);

  g_assert_true (ps_source_remove (a, &error));
  g_assert_no_error (error);
  line = g_strdup_printf ("shmctl(shmid=%d, IPC_RMID) = 0", shmid);
  assert_log_line (log, line);

  g_assert_true (ps_source_restat (a, &now, &removed, &error));
  g_assert_no_error (error);
  g_assert_true (removed);
  g_assert_cmpuint (now.object_size, ==, 2 * PAGE);

  g_assert_cmpint (sysv_stat (shmid, &ds), ==, 0);
  g_assert_cmpint (ds.shm_perm.mode & SHM_DEST, !=, 0);
  g_assert_cmpint (ds.shm_perm.__key, ==, IPC_PRIVATE);

  /* the key names nothing now */
  c = ps_source_attach_sysv (key, PS_MAP_DEFAULT, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* the shmid still attaches while a is attached */
  b = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, log, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_key (b), ==, IPC_PRIVATE);
  g_assert_cmpmem (ps_source_get_data (b) + 100, 10, "still here", 10);
  stat_line = g_strdup_printf ("shmctl(shmid=%d, IPC_STAT) = 0 (key 0x00000000", shmid);
  assert_log (log, stat_line, ", marked for removal)");
  g_assert_true (ps_source_restat (b, NULL, &removed, &error));
  g_assert_true (removed);

  /* its spec reopens it by shmid */
  spec = ps_source_dup_spec (b);
  g_assert_true (spec->by_shmid);
  g_assert_cmpint (spec->shmid, ==, shmid);
  ps_source_spec_clear (spec);
  g_free (spec);

  /* a's writes show in b */
  write_ok (a, 0, "after");
  g_assert_cmpmem (ps_source_get_data (b), 5, "after", 5);

  /* gone after the last detach */
  ps_source_close (a);
  g_assert_cmpint (sysv_stat (shmid, &ds), ==, 0);
  g_assert_cmpuint (ds.shm_nattch, ==, 1);
  ps_source_close (b);
  g_assert_cmpint (sysv_stat (shmid, NULL), ==, EINVAL);
  g_assert_true (ps_source_restat (b, NULL, &removed, &error));
  g_assert_no_error (error);
  g_assert_true (removed);
}

/* A sparse segment: the written pages and no others, and peeking reads
 * (so allocates) none of the holes. */
static void
test_sysv_residency (void)
{
  key_t key = test_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) writer = create_sysv (key, 32 * PAGE, 0, NULL);
  g_autoptr(PsSource) reader = NULL;
  g_autofree guint8 *buf = g_malloc (32 * PAGE);
  int shmid = ps_source_get_shmid (writer);
  const char *expected = "01000000000000000100000000000001";

  g_assert_cmpint (sysv_rss (shmid), ==, 0);
  write_ok (writer, PAGE + 3, "one");
  write_ok (writer, 17 * PAGE, "seventeen");
  write_ok (writer, 32 * PAGE - 4, "last");
  g_assert_cmpint (sysv_rss (shmid), ==, 3 * PAGE);
  assert_residency (writer, 0, 32, expected);
  assert_residency (writer, 16, 3, "010");

  /* a mapping that never touched a page sees the same */
  reader = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  assert_residency (reader, 0, 32, expected);

  assert_peek_valid (reader, 0, buf, 32 * PAGE, expected);
  g_assert_cmpmem (buf + PAGE + 3, 3, "one", 3);
  g_assert_cmpmem (buf + 17 * PAGE, 9, "seventeen", 9);
  g_assert_cmpmem (buf + 32 * PAGE - 4, 4, "last", 4);
  g_assert_cmpint (buf[5 * PAGE], ==, 0);
  g_assert_cmpint (sysv_rss (shmid), ==, 3 * PAGE);
  assert_residency (reader, 0, 32, expected);
}

/* ---- POSIX -------------------------------------------------------------- */

/* A name with bytes that are not UTF-8 and a newline: every text made of it
 * (the title, the details, the log, an error) is printable UTF-8 and shows
 * the bytes escaped; the segment itself is the one with the raw name. */
static void
test_posix_name_bytes (void)
{
  g_autofree char *base = ps_test_posix_name ("bytes");
  g_autofree char *name = g_strconcat (base, "-\xff\n", NULL);
  g_autofree char *missing = g_strconcat (base, "-missing-\xfe", NULL);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = create_posix (name, PAGE, 0, log);
  g_autoptr(GPtrArray) fields = ps_source_describe (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PsSource) none = NULL;

  g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
  g_assert_true (g_utf8_validate (ps_source_get_display_name (source), -1, NULL));
  ps_assert_contains (ps_source_get_display_name (source), "-\\xff\\n");
  for (guint i = 0; i < fields->len; i++)
    g_assert_true (g_utf8_validate (((PsField *) g_ptr_array_index (fields, i))->value, -1, NULL));

  none = ps_source_open_posix (missing, 0, 0, 0, log, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  ps_assert_contains (error->message, "-missing-\\xfe");

  text = ps_event_log_to_text (log);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  ps_assert_contains (text, "-\\xff\\n");
}

static void
test_posix_create (void)
{
  g_autofree char *name = ps_test_posix_name ("create");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = create_posix (name, 3 * PAGE + 10, 0, log);
  g_autofree char *line = NULL;
  g_autofree char *dev_path = g_strdup_printf ("/dev/shm%s", name);
  const PsGeometry *g;
  struct stat st;
  int fd = ps_source_get_fd (source);

  line = g_strdup_printf ("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0600) = %d", name, fd);
  assert_log_line (log, line);
  g_free (line);
  line = g_strdup_printf ("ftruncate(%d, %zu) = 0", fd, 3 * PAGE + 10);
  assert_log_line (log, line);

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 3 * PAGE + 10);
  g_assert_cmpint (st.st_uid, ==, geteuid ());
  g_assert_cmpuint (ps_test_allocated (fd), ==, 0);

  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_POSIX);
  g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
  g_assert_true (ps_source_is_writable (source));
  g_assert_true (ps_source_is_shmem (source));
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 3 * PAGE + 10);
  g_assert_cmpuint (g->length, ==, 3 * PAGE + 10);
  g_assert_cmpuint (g->n_pages, ==, 4);
  g_assert_cmpuint (g->n_inside, ==, 4);
  assert_perms (ps_source_get_data (source), "rw-s");
  write_ok (source, 3 * PAGE + 9, "!");
  g_assert_true (g_file_test (dev_path, G_FILE_TEST_IS_REGULAR));
}

static void
test_posix_create_mode (void)
{
  g_autofree char *name = ps_test_posix_name ("mode");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = create_posix (name, PAGE, 0640, log);
  g_autofree char *line = g_strdup_printf ("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0640) = %d",
                                           name, ps_source_get_fd (source));
  struct stat st;

  g_assert_cmpint (fstat (ps_source_get_fd (source), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  assert_log_line (log, line);
}

/* "/a", "a" and "//a" are the same segment. */
static void
test_posix_names (void)
{
  g_autofree char *name = ps_test_posix_name ("names");
  g_autofree char *doubled = g_strconcat ("/", name, NULL);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = create_posix (name, 2 * PAGE, 0, NULL);
  const char *forms[] = { name, name + 1, doubled };
  struct stat created;

  write_ok (creator, PAGE, "same");
  g_assert_cmpint (fstat (ps_source_get_fd (creator), &created), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(PsSource) source = ps_source_open_posix (forms[i], PS_MAP_DEFAULT, 0, 0, log, &error);
      g_autofree char *line = NULL;
      struct stat st;

      g_assert_no_error (error);
      g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
      g_assert_cmpint (fstat (ps_source_get_fd (source), &st), ==, 0);
      g_assert_cmpuint (st.st_ino, ==, created.st_ino);
      g_assert_cmpuint (st.st_dev, ==, created.st_dev);
      g_assert_cmpmem (ps_source_get_data (source) + PAGE, 4, "same", 4);
      g_assert_false (ps_source_is_writable (source));
      assert_perms (ps_source_get_data (source), "r--s");
      line = g_strdup_printf ("shm_open(\"%s\", O_RDONLY) = %d", name, ps_source_get_fd (source));
      assert_log_line (log, line);
    }
}

static void
test_posix_long_name (void)
{
  g_autofree char *base = ps_test_posix_name ("long");
  GString *name = g_string_new (base);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *prefix = g_strdup_printf ("pagescope-test-%d-long", (int) getpid ());

  while (name->len < 256)      /* '/' and 255 bytes */
    g_string_append_c (name, 'x');
  queue_shm_unlink (name->str);
  source = ps_source_create_posix (name->str, PAGE, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ps_source_remove (source, &error));
  g_assert_no_error (error);
  g_clear_object (&source);

  g_string_append_c (name, 'x');
  too_long = g_string_free (name, FALSE);
  source = ps_source_create_posix (too_long, PAGE, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG);
  g_clear_error (&error);
  source = ps_source_open_posix (too_long, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG);
  g_assert_cmpuint (dev_shm_count (prefix), ==, 0);
}

static void
test_posix_invalid_names (void)
{
  static const char *const names[] = { "", "/", "//", "/d/e", "f/", "/.", "/..", ".", ".." };
  g_autofree char *prefix = g_strdup_printf ("pagescope-test-%d-", (int) getpid ());
  gsize before = dev_shm_count (prefix);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree char *start = g_strdup_printf ("shm_open(\"%s\")", names[i]);

      source = ps_source_open_posix (names[i], PS_MAP_DEFAULT, 0, 0, log, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, start));
      g_assert_nonnull (strstr (error->message, "Invalid argument"));
      assert_log (log, start, "Invalid argument");
      g_clear_error (&error);

      source = ps_source_create_posix (names[i], PAGE, 0, log, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  g_assert_cmpuint (dev_shm_count (prefix), ==, before);
}

static void
test_posix_exists (void)
{
  g_autofree char *name = ps_test_posix_name ("exists");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) first = create_posix (name, 2 * PAGE, 0, NULL);
  g_autoptr(PsSource) second = NULL;
  g_autofree char *call = g_strdup_printf ("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0600)", name);
  g_autofree char *line = g_strdup_printf ("%s = -1 EEXIST (File exists)", call);
  struct stat st;

  write_ok (first, 0, "first");
  second = ps_source_create_posix (name, PAGE, 0, log, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (g_str_has_prefix (error->message, call));
  g_assert_nonnull (strstr (error->message, "File exists"));
  assert_log_line (log, line);

  /* the first is untouched: not truncated, not unlinked */
  g_assert_cmpint (fstat (ps_source_get_fd (first), &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 2 * PAGE);
  g_assert_cmpint (st.st_nlink, ==, 1);
  g_assert_cmpmem (ps_source_get_data (first), 5, "first", 5);
}

static void
test_posix_missing (void)
{
  g_autofree char *name = ps_test_posix_name ("missing");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *call = g_strdup_printf ("shm_open(\"%s\", O_RDONLY)", name);
  g_autofree char *line = g_strdup_printf ("%s = -1 ENOENT (No such file or directory)", call);

  source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, call));
  g_assert_nonnull (strstr (error->message, "No such file or directory"));
  assert_log_line (log, line);
}

static void
test_posix_bad_create (void)
{
  g_autofree char *name = ps_test_posix_name ("bad-create");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  queue_shm_unlink (name);
  source = ps_source_create_posix (name, 0, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "size must not be zero"));
  g_clear_error (&error);
  g_assert_cmpint (shm_open (name, O_RDONLY, 0), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);

  source = ps_source_create_posix (name, PAGE, 01666, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "permission bits"));
  g_clear_error (&error);
  g_assert_cmpint (shm_open (name, O_RDONLY, 0), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);

  /* 2^62 bytes: shm_open and ftruncate succeed (tmpfs is sparse), then no
   * address space is that large; the new segment is unlinked again */
  {
    g_autoptr(PsEventLog) log = ps_event_log_new ();
    g_autofree char *unlink_line = g_strdup_printf ("shm_unlink(\"%s\") = 0", name);

    source = ps_source_create_posix (name, G_GUINT64_CONSTANT (1) << 62, 0, log, &error);
    g_assert_null (source);
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "mmap("));
    assert_log_line (log, unlink_line);
    g_assert_cmpint (shm_open (name, O_RDONLY, 0), ==, -1);
    g_assert_cmpint (errno, ==, ENOENT);
  }
}

static void
test_posix_unlink (void)
{
  g_autofree char *name = ps_test_posix_name ("unlink");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = create_posix (name, PAGE, 0, log);
  g_autoptr(PsSource) again = NULL;
  g_autofree char *line = g_strdup_printf ("shm_unlink(\"%s\") = 0", name);
  gboolean removed = TRUE;

  write_ok (source, 0, "kept");
  g_assert_true (ps_source_restat (source, NULL, &removed, &error));
  g_assert_false (removed);

  g_assert_true (ps_source_remove (source, &error));
  g_assert_no_error (error);
  assert_log_line (log, line);
  g_assert_true (ps_source_restat (source, NULL, &removed, &error));
  g_assert_true (removed);

  /* the mapping outlives the name */
  g_assert_cmpmem (ps_source_get_data (source), 4, "kept", 4);
  again = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a second unlink fails and says so */
  g_assert_false (ps_source_remove (source, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_posix_private_writable (void)
{
  g_autofree char *name = ps_test_posix_name ("private");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = create_posix (name, 2 * PAGE, 0, NULL);
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree char *line = NULL;
  char buf[8] = { 0 };

  write_ok (creator, 0, "origin");
  source = ps_source_open_posix (name + 1, PS_MAP_PRIVATE | PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  line = g_strdup_printf ("shm_open(\"%s\", O_RDONLY) = %d", name, ps_source_get_fd (source));
  assert_log_line (log, line);
  assert_perms (ps_source_get_data (source), "rw-p");

  g_assert_true (ps_source_write (source, 0, (const guint8 *) "copied", 6, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "origin", 6);
  g_assert_cmpmem (ps_source_get_data (source), 6, "copied", 6);
  g_assert_cmpmem (ps_source_get_data (creator), 6, "origin", 6);
  g_assert_cmpint (pread (ps_source_get_fd (creator), buf, 6, 0), ==, 6);
  g_assert_cmpstr (buf, ==, "origin");
}

static void
test_posix_offset (void)
{
  g_autofree char *name = ps_test_posix_name ("offset");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = create_posix (name, 4 * PAGE, 0, NULL);
  g_autoptr(PsSource) source = NULL;
  g_autofree guint8 *buf = g_malloc (3 * PAGE);
  const PsGeometry *g;

  for (guint i = 0; i < 4; i++)
    {
      char text[2] = { (char) ('A' + i), 0 };
      write_ok (creator, i * PAGE, text);
    }

  source = ps_source_open_posix (name, PS_MAP_DEFAULT, 2 * PAGE, 3 * PAGE, NULL, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 4 * PAGE);
  g_assert_cmpuint (g->offset, ==, 2 * PAGE);
  g_assert_cmpuint (g->length, ==, 3 * PAGE);
  g_assert_cmpuint (g->n_inside, ==, 2);
  g_assert_cmpint (ps_geometry_zone (g, 2), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_source_get_data (source)[0], ==, 'C');
  g_assert_cmpint (ps_source_get_data (source)[PAGE], ==, 'D');
  for (guint round = 0; round < 20; round++)   /* mincore and SEEK_DATA both take turns */
    {
      assert_residency (source, 0, 3, "110");
      assert_residency (source, 1, 2, "10");
      assert_peek_valid (source, 0, buf, 3 * PAGE, "110");
    }
  assert_probe (ps_source_get_data (source) + 2 * PAGE, FALSE, "SIGBUS");

  g_clear_object (&source);
  source = ps_source_open_posix (name, PS_MAP_DEFAULT, 100, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "page size"));
}

static void
test_posix_restat (void)
{
  g_autofree char *name = ps_test_posix_name ("restat");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = create_posix (name, 2 * PAGE, 0, NULL);
  PsGeometry now;
  gboolean removed = TRUE;

  resize_elsewhere (NULL, name, 6 * PAGE);
  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_no_error (error);
  g_assert_false (removed);
  g_assert_cmpuint (now.object_size, ==, 6 * PAGE);
  g_assert_cmpuint (now.n_inside, ==, 2);

  resize_elsewhere (NULL, name, PAGE / 2);
  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_cmpuint (now.object_size, ==, PAGE / 2);
  g_assert_cmpuint (now.n_inside, ==, 1);
  g_assert_false (ps_source_write (source, PAGE, (const guint8 *) "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "SIGBUS"));
}

/* Peeking never reads a hole of a sparse segment: st_blocks stays. */
static void
test_posix_peek_sparse (void)
{
  g_autofree char *name = ps_test_posix_name ("sparse");
  g_autoptr(PsSource) source = create_posix (name, 64 * PAGE, 0, NULL);
  g_autofree guint8 *buf = g_malloc (64 * PAGE);
  int fd = ps_source_get_fd (source);
  GString *expected = g_string_new (NULL);
  g_autofree char *want = NULL;
  guint64 allocated;

  g_assert_cmpuint (ps_test_allocated (fd), ==, 0);
  write_ok (source, 3 * PAGE + 10, "three");
  write_ok (source, 40 * PAGE, "forty");
  allocated = ps_test_allocated (fd);
  g_assert_cmpuint (allocated, >=, 2 * PAGE);
  g_assert_cmpuint (allocated, <, 64 * PAGE);

  for (guint i = 0; i < 64; i++)
    g_string_append_c (expected, i == 3 || i == 40 ? '1' : '0');
  want = g_string_free (expected, FALSE);

  /* many times, so both ways of asking (mincore, SEEK_DATA) take a turn */
  for (guint round = 0; round < 40; round++)
    {
      memset (buf, 0xee, 64 * PAGE);
      assert_peek_valid (source, 0, buf, 64 * PAGE, want);
      g_assert_cmpmem (buf + 3 * PAGE + 10, 5, "three", 5);
      g_assert_cmpmem (buf + 40 * PAGE, 5, "forty", 5);
      g_assert_cmpint (buf[0], ==, 0);
      g_assert_cmpint (buf[63 * PAGE], ==, 0);
    }
  /* a range across holes and data */
  assert_peek_valid (source, 2 * PAGE + 100, buf, 2 * PAGE, "010");
  g_assert_cmpmem (buf + PAGE - 100 + 10, 5, "three", 5);
  g_assert_cmpuint (ps_test_allocated (fd), ==, allocated);
}

static void
test_posix_residency (void)
{
  g_autofree char *name = ps_test_posix_name ("residency");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = create_posix (name, 32 * PAGE, 0, NULL);
  g_autoptr(PsSource) reader = NULL;
  const char *expected = "10000001100000000000000000000001";

  write_ok (source, 0, "0");
  write_ok (source, 7 * PAGE, "7");
  write_ok (source, 8 * PAGE, "8");
  g_assert_cmpint (pwrite (ps_source_get_fd (source), "31", 2, 31 * PAGE), ==, 2);

  reader = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_residency (reader), ==, PS_RESIDENCY_MINCORE);
  for (guint round = 0; round < 40; round++)
    {
      assert_residency (source, 0, 32, expected);
      assert_residency (reader, 0, 32, expected);
      assert_residency (reader, 7, 2, "11");
      assert_residency (reader, 9, 22, "0000000000000000000000");
      assert_residency (reader, 30, 2, "01");
    }
}

/* ---- as another user ---------------------------------------------------- */

static void
expect_denied (PsSource   *source,
               GError     *error,
               const char *call_prefix)
{
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_true (g_str_has_prefix (error->message, call_prefix));
  g_assert_nonnull (strstr (error->message, "Permission denied"));
}

static void
file_denied_checks (const char *path)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *call = g_strdup_printf ("open(\"%s\", O_RDONLY)", path);
  g_autofree char *line = g_strdup_printf ("%s = -1 EACCES (Permission denied)", call);

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, log, &error);
  expect_denied (source, error, call);
  assert_log_line (log, line);
}

/* A root-owned 0600 file: nobody may not open it. A root-owned 0644 file:
 * nobody may map it read-only or private-writable, not shared-writable. */
static void
test_errors_permission_file (void)
{
  if (g_test_subprocess ())
    {
      const char *closed = g_getenv ("PS_TEST_CLOSED");
      const char *open_to_read = g_getenv ("PS_TEST_READABLE");
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree char *call = g_strdup_printf ("open(\"%s\", O_RDWR)", open_to_read);

      become_nobody ();
      file_denied_checks (closed);

      source = ps_source_open_file (open_to_read, PS_MAP_WRITABLE, 0, 0, NULL, &error);
      expect_denied (source, error, call);
      g_clear_error (&error);

      source = ps_source_open_file (open_to_read, PS_MAP_PRIVATE | PS_MAP_WRITABLE, 0, 0, NULL, &error);
      g_assert_no_error (error);
      write_ok (source, 0, "mine");
      g_assert_cmpmem (ps_source_get_data (source), 4, "mine", 4);
      return;
    }

  {
    g_autofree char *closed = make_file ("perm-closed", PAGE, 'c');
    g_autofree char *readable = make_file ("perm-readable", PAGE, 'r');
    g_autofree char *contents = NULL;

    if (geteuid () != 0)
      {
        /* not root: an object with mode 0 is closed to its owner too */
        g_assert_cmpint (chmod (closed, 0), ==, 0);
        file_denied_checks (closed);
        return;
      }
    g_assert_cmpint (chmod (closed, 0600), ==, 0);
    g_assert_cmpint (chmod (readable, 0644), ==, 0);
    g_setenv ("PS_TEST_CLOSED", closed, TRUE);
    g_setenv ("PS_TEST_READABLE", readable, TRUE);
    run_as_nobody ();
    g_unsetenv ("PS_TEST_CLOSED");
    g_unsetenv ("PS_TEST_READABLE");

    /* the private write did not reach the file */
    g_assert_true (g_file_get_contents (readable, &contents, NULL, NULL));
    g_assert_cmpint (contents[0], ==, 'r');
  }
}

static void
test_errors_permission_posix (void)
{
  if (g_test_subprocess ())
    {
      const char *name = g_getenv ("PS_TEST_NAME");
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree char *call = g_strdup_printf ("shm_open(\"%s\", O_RDONLY)", name);

      become_nobody ();
      source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, log, &error);
      expect_denied (source, error, call);
      assert_log (log, call, " = -1 EACCES (Permission denied)");
      return;
    }

  {
    g_autofree char *name = ps_test_posix_name ("perm");
    g_autoptr(PsSource) creator = create_posix (name, PAGE, 0600, NULL);

    if (geteuid () != 0)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PsSource) source = NULL;
        g_autofree char *call = g_strdup_printf ("shm_open(\"%s\", O_RDONLY)", name);

        g_assert_cmpint (fchmod (ps_source_get_fd (creator), 0), ==, 0);
        source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
        expect_denied (source, error, call);
        return;
      }
    g_setenv ("PS_TEST_NAME", name, TRUE);
    run_as_nobody ();
    g_unsetenv ("PS_TEST_NAME");
  }
}

/* A root-owned 0600 segment: IPC_STAT is denied, so is the attach. A new
 * segment its creator may not attach writable is removed again. */
static void
test_errors_permission_sysv (void)
{
  if (g_test_subprocess ())
    {
      int shmid = atoi (g_getenv ("PS_TEST_SHMID"));
      key_t key = (key_t) g_ascii_strtoll (g_getenv ("PS_TEST_KEY"), NULL, 10);
      key_t new_key = (key_t) g_ascii_strtoll (g_getenv ("PS_TEST_NEW_KEY"), NULL, 10);
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree char *call = g_strdup_printf ("shmctl(shmid=%d, IPC_STAT)", shmid);

      become_nobody ();
      source = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, log, &error);
      expect_denied (source, error, call);
      assert_log (log, call, " = -1 EACCES (Permission denied)");
      g_clear_error (&error);

      source = ps_source_attach_sysv (key, PS_MAP_DEFAULT, log, &error);
      expect_denied (source, error, call);
      g_clear_error (&error);

      /* 0400: created, then shmat(writable) is denied; nothing stays */
      source = ps_source_create_sysv (new_key, PAGE, 0400, log, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_true (g_str_has_prefix (error->message, "shmat(shmid="));
      assert_log (log, "shmctl(shmid=", ", IPC_RMID) = 0");
      g_assert_cmpint (shmget (new_key, 0, 0), ==, -1);
      g_assert_cmpint (errno, ==, ENOENT);
      return;
    }

  {
    key_t key = test_key ();
    key_t new_key = test_key ();
    g_autoptr(PsSource) creator = NULL;
    g_autofree char *shmid_text = NULL;
    g_autofree char *key_text = g_strdup_printf ("%d", (int) key);
    g_autofree char *new_key_text = g_strdup_printf ("%d", (int) new_key);
    int leftover;

    if (geteuid () != 0)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PsSource) source = NULL;
        int shmid = shmget (key, PAGE, IPC_CREAT | IPC_EXCL | 0);

        g_assert_cmpint (shmid, >=, 0);
        queue_rmid (shmid);
        source = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, NULL, &error);
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
        return;
      }

    creator = create_sysv (key, PAGE, 0600, NULL);
    shmid_text = g_strdup_printf ("%d", ps_source_get_shmid (creator));
    g_setenv ("PS_TEST_SHMID", shmid_text, TRUE);
    g_setenv ("PS_TEST_KEY", key_text, TRUE);
    g_setenv ("PS_TEST_NEW_KEY", new_key_text, TRUE);
    run_as_nobody ();
    g_unsetenv ("PS_TEST_SHMID");
    g_unsetenv ("PS_TEST_KEY");
    g_unsetenv ("PS_TEST_NEW_KEY");

    leftover = shmget (new_key, 0, 0);
    if (leftover >= 0)
      {
        shmctl (leftover, IPC_RMID, NULL);
        g_test_fail_printf ("a failed create left segment %d behind", leftover);
      }
  }
}

/* A root-owned 0644 POSIX segment, as nobody: mincore would say "all
 * resident", so SEEK_DATA answers, exactly, and peeking allocates nothing. */
static void
test_residency_nobody_posix (void)
{
  const char *expected = "0010011000000000";

  if (g_test_subprocess ())
    {
      const char *name = g_getenv ("PS_TEST_NAME");
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autoptr(PsSource) writable = NULL;
      g_autofree guint8 *buf = g_malloc (16 * PAGE);
      guint64 allocated;

      become_nobody ();
      source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_SEEK_DATA);
      g_assert_true (ps_source_is_shmem (source));
      assert_residency (source, 0, 16, expected);
      assert_residency (source, 4, 4, "0110");
      assert_residency (source, 7, 9, "000000000");

      allocated = ps_test_allocated (ps_source_get_fd (source));
      g_assert_cmpuint (allocated, >=, 3 * PAGE);
      g_assert_cmpuint (allocated, <, 16 * PAGE);
      assert_peek_valid (source, 0, buf, 16 * PAGE, expected);
      g_assert_cmpmem (buf + 2 * PAGE, 3, "two", 3);
      g_assert_cmpmem (buf + 5 * PAGE, 4, "five", 4);
      g_assert_cmpmem (buf + 6 * PAGE + 1, 3, "six", 3);
      g_assert_cmpuint (ps_test_allocated (ps_source_get_fd (source)), ==, allocated);

      writable = ps_source_open_posix (name, PS_MAP_WRITABLE, 0, 0, NULL, &error);
      g_assert_null (writable);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      return;
    }

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to run as another user; mincore is trusted for our own segments");
      return;
    }

  {
    g_autofree char *name = ps_test_posix_name ("nobody-posix");
    g_autoptr(PsSource) creator = create_posix (name, 16 * PAGE, 0644, NULL);

    g_assert_cmpint (fchmod (ps_source_get_fd (creator), 0644), ==, 0);
    write_ok (creator, 2 * PAGE, "two");
    write_ok (creator, 5 * PAGE, "five");
    write_ok (creator, 6 * PAGE + 1, "six");
    assert_residency (creator, 0, 16, expected);
    g_setenv ("PS_TEST_NAME", name, TRUE);
    run_as_nobody ();
    g_unsetenv ("PS_TEST_NAME");
  }
}

/* A root-owned 0644 file, as nobody: residency unknown; the bytes still show. */
static void
test_residency_nobody_file (void)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("PS_TEST_PATH");
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree guint8 *buf = g_malloc (3 * PAGE);

      become_nobody ();
      source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_UNKNOWN);
      g_assert_false (ps_source_is_shmem (source));
      assert_residency (source, 0, 3, "???");
      assert_peek_valid (source, 0, buf, 3 * PAGE, "111");
      g_assert_cmpint (buf[0], ==, 'f');
      g_assert_cmpint (buf[3 * PAGE - 1], ==, 'f');
      return;
    }

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to run as another user");
      return;
    }

  {
    g_autofree char *path = make_file ("nobody-file", 3 * PAGE, 'f');

    g_assert_cmpint (chmod (path, 0644), ==, 0);
    g_setenv ("PS_TEST_PATH", path, TRUE);
    run_as_nobody ();
    g_unsetenv ("PS_TEST_PATH");
  }
}

/* SysV is not affected by the mincore hardening: exact for nobody too. */
static void
test_residency_nobody_sysv (void)
{
  const char *expected = "0100000001000000";

  if (g_test_subprocess ())
    {
      int shmid = atoi (g_getenv ("PS_TEST_SHMID"));
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autoptr(PsSource) writable = NULL;
      g_autofree guint8 *buf = g_malloc (16 * PAGE);
      g_autofree char *call = g_strdup_printf ("shmat(shmid=%d, ", shmid);

      become_nobody ();
      source = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
      assert_residency (source, 0, 16, expected);
      assert_peek_valid (source, 0, buf, 16 * PAGE, expected);
      g_assert_cmpmem (buf + PAGE, 3, "one", 3);
      g_assert_cmpmem (buf + 9 * PAGE, 4, "nine", 4);
      g_assert_cmpint (sysv_rss (shmid), ==, 2 * PAGE);

      writable = ps_source_attach_shmid (shmid, PS_MAP_WRITABLE, log, &error);
      expect_denied (writable, error, call);
      assert_log (log, call, " = -1 EACCES (Permission denied)");
      return;
    }

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to run as another user");
      return;
    }

  {
    g_autoptr(PsSource) creator = create_sysv (test_key (), 16 * PAGE, 0644, NULL);
    g_autofree char *shmid_text = g_strdup_printf ("%d", ps_source_get_shmid (creator));

    write_ok (creator, PAGE, "one");
    write_ok (creator, 9 * PAGE, "nine");
    g_setenv ("PS_TEST_SHMID", shmid_text, TRUE);
    run_as_nobody ();
    g_unsetenv ("PS_TEST_SHMID");
  }
}

/* ---- errors ------------------------------------------------------------- */

static void
test_errors_missing_file (void)
{
  g_autofree char *path = temp_path ("missing");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *line = g_strdup_printf ("open(\"%s\", O_RDONLY) = -1 ENOENT (No such file or directory)", path);
  PsLogEntry *entry;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "No such file"));
  assert_log_line (log, line);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_true (ps_log_entry_is_error (entry));
  g_object_unref (entry);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_errors_directory (void)
{
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-dir-XXXXXX", (int) getpid ());
  g_autofree char *dir = g_dir_make_tmp (template, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  g_assert_nonnull (dir);
  queue_unlink (dir);
  source = ps_source_open_file (dir, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_nonnull (strstr (error->message, "directory"));
  g_clear_error (&error);

  source = ps_source_open_file (dir, PS_MAP_WRITABLE, 0, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_nonnull (strstr (error->message, "Is a directory"));
}

/* A FIFO must be refused without blocking in open(): run it in a child
 * with a deadline, so a blocking open fails the test instead of hanging it. */
static void
test_errors_fifo (void)
{
  if (g_test_subprocess ())
    {
      const char *fifo = g_getenv ("PS_TEST_FIFO");
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;

      source = ps_source_open_file (fifo, PS_MAP_DEFAULT, 0, 0, NULL, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_assert_nonnull (strstr (error->message, "FIFO"));
      g_assert_nonnull (strstr (error->message, fifo));
      g_clear_error (&error);

      source = ps_source_open_file (fifo, PS_MAP_WRITABLE, 0, 0, NULL, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      return;
    }

  {
    g_autofree char *fifo = temp_path ("fifo");

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    queue_unlink (fifo);
    g_setenv ("PS_TEST_FIFO", fifo, TRUE);
    g_test_trap_subprocess (NULL, 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_unsetenv ("PS_TEST_FIFO");
    if (g_test_trap_reached_timeout ())
      g_test_fail_printf ("opening a FIFO blocked");
    else if (!g_test_trap_has_passed ())
      g_test_fail_printf ("the FIFO checks failed; see above");
  }
}

static void
test_errors_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_open_file ("/dev/null", PS_MAP_DEFAULT, 0, PAGE, NULL, &error);

  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
}

static void
test_errors_empty_file (void)
{
  g_autofree char *path = make_file ("empty", 0, 0);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  struct stat st;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_assert_nonnull (strstr (error->message, "give a length"));
  g_assert_true (g_str_has_prefix (error->message, "mmap("));
  assert_log (log, "mmap(", "not called: the object is empty");
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
}

static void
test_errors_offset_past_eof (void)
{
  g_autofree char *path = make_file ("past-eof", PAGE, 'p');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 2 * PAGE, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "past the end"));
  g_assert_nonnull (strstr (error->message, "give a length"));
  g_clear_error (&error);

  /* exactly at the end is nothing to map either */
  source = ps_source_open_file (path, PS_MAP_DEFAULT, PAGE, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_errors_too_large (void)
{
  g_autofree char *path = make_file ("too-large", PAGE, 'l');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  guint64 far = (guint64) G_MAXINT64 / PAGE * PAGE;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, G_MAXUINT64, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);

  /* offset + length would overflow off_t */
  source = ps_source_open_file (path, PS_MAP_DEFAULT, far, 2 * PAGE, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "too large"));
}

static void
test_errors_empty_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_open_file ("", PS_MAP_DEFAULT, 0, 0, NULL, &error);

  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "empty"));
}

static void
test_errors_anon_size_zero (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (0, log, &error);
  PsSourceSpec spec = { .kind = PS_SOURCE_ANON, .size = 0 };

  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "mmap(NULL, 0, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS"));
  g_assert_nonnull (strstr (error->message, "must not be zero"));
  assert_log (log, "mmap(NULL, 0, ", "not called: the size must not be zero");
  g_clear_error (&error);

  source = ps_source_open (&spec, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  source = ps_source_new_anon (G_MAXUINT64, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "too large"));
}

static void
test_errors_sysv_private (void)
{
  key_t key = test_key ();
  g_autoptr(PsSource) creator = create_sysv (key, PAGE, 0, NULL);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_SYSV, .key = key, .flags = PS_MAP_PRIVATE | PS_MAP_WRITABLE };

  source = ps_source_attach_shmid (ps_source_get_shmid (creator), PS_MAP_PRIVATE, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "private"));
  assert_log (log, "shmat(shmid=", "not called: ");
  g_clear_error (&error);

  source = ps_source_open (&spec, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  {
    struct shmid_ds ds;

    g_assert_cmpint (sysv_stat (ps_source_get_shmid (creator), &ds), ==, 0);
    g_assert_cmpuint (ds.shm_nattch, ==, 1);
  }
}

static void
test_errors_sysv_offset (void)
{
  key_t key = test_key ();
  g_autoptr(PsSource) creator = create_sysv (key, 2 * PAGE, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_SYSV, .key = key, .offset = PAGE };
  PsSourceSpec by_shmid = { .kind = PS_SOURCE_SYSV, .by_shmid = TRUE,
                            .shmid = ps_source_get_shmid (creator), .length = PAGE };

  source = ps_source_open (&spec, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "offset"));
  g_clear_error (&error);

  source = ps_source_open (&by_shmid, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  spec.offset = 0;
  source = ps_source_open (&spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_shmid (source), ==, ps_source_get_shmid (creator));
}

static void
test_errors_sysv_bad_ids (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  source = ps_source_attach_sysv (IPC_PRIVATE, PS_MAP_DEFAULT, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "IPC_PRIVATE"));
  g_assert_nonnull (strstr (error->message, "shmid"));
  g_clear_error (&error);

  /* a shmid nobody has: the kernel's EINVAL, named */
  source = ps_source_attach_shmid (G_MAXINT, PS_MAP_DEFAULT, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "shmid=2147483647"));
  assert_log_line (log, "shmctl(shmid=2147483647, IPC_STAT) = -1 EINVAL (Invalid argument)");
}

/* ---- specs -------------------------------------------------------------- */

static void
test_spec_round_trip (void)
{
  static const char *const texts[] = {
    "file:/tmp/x",
    "file:/tmp/some%20file?private&writable&offset=4096&length=8192",
    "file:relative/path?length=100",
    "posix:/name",
    "posix:/name?writable",
    "posix:/name?private&writable&offset=8192",
    "posix:/name?create&size=8192",
    "posix:/name?create&size=8192&mode=600",
    "sysv:0x50530001",
    "sysv:0x50530001?writable",
    "sysv:0x50530001?create&size=4096&mode=640",
    "sysv:0xffffffff",
    "shmid:42",
    "shmid:42?writable",
    "anon:65536",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_auto(PsSourceSpec) spec = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *back = NULL;

      g_assert_true (ps_source_spec_parse (texts[i], &spec, &error));
      g_assert_no_error (error);
      back = ps_source_spec_to_string (&spec);
      g_assert_cmpstr (back, ==, texts[i]);
    }
}

static void
test_spec_fields (void)
{
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PsSourceSpec back = { 0 };

  g_assert_true (ps_source_spec_parse ("file:/tmp/some%20file?private&writable&offset=0x1000&length=8K", &spec, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.kind, ==, PS_SOURCE_FILE);
  g_assert_cmpstr (spec.path, ==, "/tmp/some file");
  g_assert_cmpint (spec.flags, ==, PS_MAP_PRIVATE | PS_MAP_WRITABLE);
  g_assert_cmpuint (spec.offset, ==, 4096);
  g_assert_cmpuint (spec.length, ==, 8192);
  ps_source_spec_clear (&spec);
  g_assert_null (spec.path);
  g_assert_cmpint (spec.kind, ==, 0);
  g_assert_cmpuint (spec.offset, ==, 0);

  g_assert_true (ps_source_spec_parse ("posix:name?create&size=64K&mode=0640", &spec, &error));
  g_assert_cmpint (spec.kind, ==, PS_SOURCE_POSIX);
  g_assert_cmpstr (spec.name, ==, "/name");
  g_assert_true (spec.create);
  g_assert_cmpuint (spec.size, ==, 65536);
  g_assert_cmpuint (spec.mode, ==, 0640);
  ps_source_spec_clear (&spec);

  g_assert_true (ps_source_spec_parse ("posix://name", &spec, &error));
  g_assert_cmpstr (spec.name, ==, "/name");
  ps_source_spec_clear (&spec);

  g_assert_true (ps_source_spec_parse ("sysv:1234?writable", &spec, &error));
  g_assert_cmpint (spec.kind, ==, PS_SOURCE_SYSV);
  g_assert_false (spec.by_shmid);
  g_assert_cmpint (spec.key, ==, 1234);
  g_assert_cmpint (spec.flags, ==, PS_MAP_WRITABLE);
  text = ps_source_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "sysv:0x000004d2?writable");
  ps_source_spec_clear (&spec);

  g_assert_true (ps_source_spec_parse ("shmid:98310", &spec, &error));
  g_assert_true (spec.by_shmid);
  g_assert_cmpint (spec.shmid, ==, 98310);
  ps_source_spec_clear (&spec);

  g_assert_true (ps_source_spec_parse ("anon:1M", &spec, &error));
  g_assert_cmpint (spec.kind, ==, PS_SOURCE_ANON);
  g_assert_cmpuint (spec.size, ==, 1024 * 1024);
  ps_source_spec_clear (&spec);

  /* awkward paths survive: '?', '&', '%', ':', spaces and UTF-8 */
  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup ("/tmp/a?b&c%d:e f\xc3\xa9");
  spec.flags = PS_MAP_WRITABLE;
  g_free (text);
  text = ps_source_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "file:/tmp/a%3Fb%26c%25d%3Ae%20f%C3%A9?writable");
  g_assert_true (ps_source_spec_parse (text, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (back.path, ==, spec.path);
  g_assert_cmpint (back.flags, ==, PS_MAP_WRITABLE);
  ps_source_spec_clear (&back);

  /* ftok inside a spec */
  {
    g_autofree char *path = make_file ("spec-ftok", 1, 0);
    g_autofree char *ftok_text = g_strdup_printf ("sysv:%s:9", path);

    g_assert_true (ps_source_spec_parse (ftok_text, &back, &error));
    g_assert_no_error (error);
    g_assert_cmpint (back.key, ==, ftok (path, 9));
    ps_source_spec_clear (&back);
  }
}

static void
test_spec_errors (void)
{
  static const struct { const char *text; const char *says; } bad[] = {
    { "", "expected KIND:WHAT" },
    { "/tmp/x", "expected KIND:WHAT" },
    { "bogus:x", "unknown kind \"bogus\"" },
    { "file:", "the path is empty" },
    { "file:/x?", "an empty option" },
    { "file:/x?writable&", "an empty option" },
    { "file:/x?wat", "unknown option \"wat\" (file takes: private, writable, offset, length)" },
    { "file:/x?create&size=1", "option \"create\" does not apply to file" },
    { "file:/x?writable&writable", "given twice" },
    { "file:/x?offset", "needs a value" },
    { "file:/x?offset=", "needs a value" },
    { "file:/x?private=1", "takes no value" },
    { "file:/x?offset=abc", "offset \"abc\"" },
    { "file:/x?length=-1", "must not be negative" },
    { "file:/x%zz", "bad %-escape" },
    { "file:/x%00", "bad %-escape" },
    { "posix:", "the name is empty" },
    { "posix:/a/b", "'/' only at its start" },
    { "posix:/..", "are not names" },
    { "posix:/x?size=4096", "apply only with create" },
    { "posix:/x?mode=600", "apply only with create" },
    { "posix:/x?create", "create needs a size" },
    { "posix:/x?create&size=0", "must not be zero" },
    { "posix:/x?create&size=4096&offset=4096", "offset does not apply to posix" },
    { "posix:/x?create&size=4096&private", "private does not apply to posix" },
    { "file:/x?offset=100", "must be a multiple of the page size" },
    { "file:/x?length=0", "length \"0\": must not be zero" },
    { "posix:/x?create&size=4096&mode=999", "mode \"999\"" },
    { "sysv:", "the key is empty" },
    { "sysv:zz", "SysV key \"zz\"" },
    { "sysv:0x1?private", "option \"private\" does not apply to sysv" },
    { "sysv:0x1?offset=4096", "option \"offset\" does not apply to sysv" },
    { "shmid:abc", "shmid \"abc\"" },
    { "shmid:1?create&size=1", "option \"create\" does not apply to shmid" },
    { "anon:", "size \"\"" },
    { "anon:0", "the size must not be zero" },
    { "anon:4096?writable", "anon takes no options" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(PsSourceSpec) spec = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *start = g_strdup_printf ("source \"%s\": ", bad[i].text);

      if (ps_source_spec_parse (bad[i].text, &spec, &error))
        g_error ("\"%s\" parsed", bad[i].text);
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_IO_ERROR);
      if (!g_str_has_prefix (error->message, start) || strstr (error->message, bad[i].says) == NULL)
        g_error ("\"%s\": message \"%s\" lacks \"%s\"", bad[i].text, error->message, bad[i].says);
      /* nothing half-filled */
      g_assert_null (spec.path);
      g_assert_null (spec.name);
      g_assert_cmpint (spec.kind, ==, 0);
      g_assert_cmpuint (spec.size, ==, 0);
    }
}

static void
assert_reopens (PsSource *source)
{
  PsSourceSpec *spec = ps_source_dup_spec (source);
  g_auto(PsSourceSpec) parsed = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) again = NULL;
  g_autofree char *text = ps_source_spec_to_string (spec);
  const PsGeometry *a, *b;

  g_assert_true (ps_source_spec_parse (text, &parsed, &error));
  g_assert_no_error (error);
  g_assert_false (parsed.create);
  again = ps_source_open (&parsed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_kind (again), ==, ps_source_get_kind (source));
  g_assert_cmpint (ps_source_get_flags (again), ==, ps_source_get_flags (source));
  a = ps_source_get_geometry (source);
  b = ps_source_get_geometry (again);
  g_assert_cmpuint (a->offset, ==, b->offset);
  g_assert_cmpuint (a->length, ==, b->length);
  g_assert_cmpuint (a->object_size, ==, b->object_size);
  if (ps_source_get_kind (source) == PS_SOURCE_SYSV)
    g_assert_cmpint (ps_source_get_shmid (again), ==, ps_source_get_shmid (source));
  if (ps_source_get_kind (source) != PS_SOURCE_ANON && ps_source_get_geometry (source)->n_inside > 0)
    g_assert_cmpint (ps_source_get_data (again)[0], ==, ps_source_get_data (source)[0]);
  ps_source_spec_clear (spec);
  g_free (spec);
}

/* What a source says about itself opens the same thing again. */
static void
test_spec_reopen (void)
{
  g_autofree char *path = make_pattern_file ("spec-reopen", 4);
  g_autofree char *name = ps_test_posix_name ("spec-reopen");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) file = NULL;
  g_autoptr(PsSource) file_long = NULL;
  g_autoptr(PsSource) posix = create_posix (name, 3 * PAGE, 0, NULL);
  g_autoptr(PsSource) sysv = create_sysv (test_key (), 2 * PAGE, 0, NULL);
  g_autoptr(PsSource) anon = ps_source_new_anon (5 * PAGE, NULL, &error);
  g_autoptr(PsSource) posix_private = NULL;

  g_assert_no_error (error);
  file = ps_source_open_file (path, PS_MAP_PRIVATE | PS_MAP_WRITABLE, PAGE, 0, NULL, &error);
  g_assert_no_error (error);
  file_long = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 6 * PAGE, NULL, &error);
  g_assert_no_error (error);
  posix_private = ps_source_open_posix (name, PS_MAP_PRIVATE, PAGE, PAGE, NULL, &error);
  g_assert_no_error (error);
  write_ok (sysv, 0, "s");

  assert_reopens (file);
  assert_reopens (file_long);
  assert_reopens (posix);
  assert_reopens (posix_private);
  assert_reopens (sysv);
  assert_reopens (anon);

  /* a spec that creates: through ps_source_open, and refused the second time */
  {
    g_autofree char *created_name = ps_test_posix_name ("spec-create");
    g_autofree char *text = g_strdup_printf ("posix:%s?create&size=8192&mode=640", created_name);
    g_auto(PsSourceSpec) spec = { 0 };
    g_autoptr(PsSource) created = NULL;
    g_autoptr(PsSource) twice = NULL;
    struct stat st;

    g_assert_true (ps_source_spec_parse (text, &spec, &error));
    queue_shm_unlink (created_name);
    created = ps_source_open (&spec, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (fstat (ps_source_get_fd (created), &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0640);
    g_assert_cmpint (st.st_size, ==, 8192);
    twice = ps_source_open (&spec, NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  }
}

int
main (int argc, char **argv)
{
  PAGE = (gsize) sysconf (_SC_PAGESIZE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/source/geometry/init", test_geometry_init);

  g_test_add_func ("/source/file/shared-readonly", test_file_shared_readonly);
  g_test_add_func ("/source/file/offset-unaligned", test_file_offset_unaligned);
  g_test_add_func ("/source/file/readonly-prot", test_file_readonly_prot);
  g_test_add_func ("/source/file/zones", test_file_zones);
  g_test_add_func ("/source/file/length-default", test_file_length_default);
  g_test_add_func ("/source/file/empty-with-length", test_file_empty_with_length);
  g_test_add_func ("/source/file/offset", test_file_offset);
  g_test_add_func ("/source/file/private-writable", test_file_private_writable);
  g_test_add_func ("/source/file/shared-writable", test_file_shared_writable);
  g_test_add_func ("/source/file/msync", test_file_msync);
  g_test_add_func ("/source/file/msync-flags", test_msync_flags);
  g_test_add_func ("/source/file/restat", test_file_restat);
  g_test_add_func ("/source/file/sigbus-write", test_file_sigbus_write);
  g_test_add_func ("/source/file/partial-write", test_file_partial_write);
  g_test_add_func ("/source/file/write-checks", test_file_write_checks);
  g_test_add_func ("/source/file/write-past-eof", test_file_write_past_eof);
  g_test_add_func ("/source/demo/sweep", test_demo_sweep);
  g_test_add_func ("/source/file/close", test_file_close);
  g_test_add_func ("/source/file/residency", test_file_residency);
  g_test_add_func ("/source/file/describe", test_file_describe);
  g_test_add_func ("/source/file/demo", test_file_demo);

  g_test_add_func ("/source/anon/basic", test_anon_basic);
  g_test_add_func ("/source/anon/odd-size", test_anon_odd_size);

  g_test_add_func ("/source/sysv/create", test_sysv_create);
  g_test_add_func ("/source/sysv/create-mode", test_sysv_create_mode);
  g_test_add_func ("/source/sysv/attach", test_sysv_attach);
  g_test_add_func ("/source/sysv/ftok", test_sysv_ftok);
  g_test_add_func ("/source/sysv/exists", test_sysv_exists);
  g_test_add_func ("/source/sysv/missing", test_sysv_missing);
  g_test_add_func ("/source/sysv/bad-create", test_sysv_bad_create);
  g_test_add_func ("/source/sysv/removed", test_sysv_removed);
  g_test_add_func ("/source/sysv/residency", test_sysv_residency);
  g_test_add_func ("/source/sysv/residency-nobody", test_residency_nobody_sysv);

  g_test_add_func ("/source/posix/create", test_posix_create);
  g_test_add_func ("/source/posix/name-bytes", test_posix_name_bytes);
  g_test_add_func ("/source/posix/create-mode", test_posix_create_mode);
  g_test_add_func ("/source/posix/names", test_posix_names);
  g_test_add_func ("/source/posix/long-name", test_posix_long_name);
  g_test_add_func ("/source/posix/invalid-names", test_posix_invalid_names);
  g_test_add_func ("/source/posix/exists", test_posix_exists);
  g_test_add_func ("/source/posix/missing", test_posix_missing);
  g_test_add_func ("/source/posix/bad-create", test_posix_bad_create);
  g_test_add_func ("/source/posix/unlink", test_posix_unlink);
  g_test_add_func ("/source/posix/private-writable", test_posix_private_writable);
  g_test_add_func ("/source/posix/offset", test_posix_offset);
  g_test_add_func ("/source/posix/restat", test_posix_restat);
  g_test_add_func ("/source/posix/peek-sparse", test_posix_peek_sparse);
  g_test_add_func ("/source/posix/residency", test_posix_residency);
  g_test_add_func ("/source/posix/residency-nobody", test_residency_nobody_posix);
  g_test_add_func ("/source/file/residency-nobody", test_residency_nobody_file);

  g_test_add_func ("/source/errors/missing-file", test_errors_missing_file);
  g_test_add_func ("/source/errors/directory", test_errors_directory);
  g_test_add_func ("/source/errors/fifo", test_errors_fifo);
  g_test_add_func ("/source/errors/device", test_errors_device);
  g_test_add_func ("/source/errors/empty-file", test_errors_empty_file);
  g_test_add_func ("/source/errors/offset-past-eof", test_errors_offset_past_eof);
  g_test_add_func ("/source/errors/empty-path", test_errors_empty_path);
  g_test_add_func ("/source/errors/too-large", test_errors_too_large);
  g_test_add_func ("/source/errors/permission-file", test_errors_permission_file);
  g_test_add_func ("/source/errors/permission-posix", test_errors_permission_posix);
  g_test_add_func ("/source/errors/permission-sysv", test_errors_permission_sysv);
  g_test_add_func ("/source/errors/anon-size-zero", test_errors_anon_size_zero);
  g_test_add_func ("/source/errors/sysv-private", test_errors_sysv_private);
  g_test_add_func ("/source/errors/sysv-offset", test_errors_sysv_offset);
  g_test_add_func ("/source/errors/sysv-bad-ids", test_errors_sysv_bad_ids);

  g_test_add_func ("/source/spec/round-trip", test_spec_round_trip);
  g_test_add_func ("/source/spec/fields", test_spec_fields);
  g_test_add_func ("/source/spec/errors", test_spec_errors);
  g_test_add_func ("/source/spec/reopen", test_spec_reopen);

  return g_test_run ();
}
