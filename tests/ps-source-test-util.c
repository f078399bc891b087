/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-source-test-util"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-source-test-util.h"

void
ps_test_write_ok (PsSource   *source,
                  guint64     offset,
                  const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ps_source_write (source, offset, (const guint8 *) text, strlen (text), NULL, &error));
  g_assert_no_error (error);
}

char *
ps_test_maps_perms (gconstpointer addr)
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

/* ---- a byte touched in a child ---- */

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

char *
ps_test_probe_byte (const void *addr,
                    gboolean    write)
{
  Probe p = { (volatile guint8 *) addr, write };
  pid_t pid = ps_test_fork (probe_child, &p);

  return ps_test_status_text (ps_test_reap (pid, CHILD_TIMEOUT_MS));
}

/* ---- another process ---- */

static int
other_child (gpointer data)
{
  PsTestOther *o = data;
  gsize page = ps_test_page_size ();
  guint64 base = o->offset / page * page;
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

char *
ps_test_other_process (PsTestOther *other)
{
  pid_t pid = ps_test_fork (other_child, other);

  return ps_test_status_text (ps_test_reap (pid, CHILD_TIMEOUT_MS));
}

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

void
ps_test_resize_elsewhere (const char *path,
                          const char *posix_name,
                          off_t       size)
{
  Resize r = { path, posix_name, size };
  pid_t pid = ps_test_fork (resize_child, &r);

  ps_assert_status (ps_test_reap (pid, CHILD_TIMEOUT_MS), "exit 0");
}

/* ---- residency and peeks ---- */

char *
ps_test_residency_string (PsSource *source,
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

char *
ps_test_peek_valid (PsSource *source,
                    guint64   offset,
                    guint8   *dst,
                    gsize     len)
{
  gsize page = ps_test_page_size ();
  guint64 n = (offset + len - 1) / page - offset / page + 1;
  g_autofree guint8 *valid = g_malloc (n);
  char *s = g_malloc (n + 1);

  memset (valid, 0x55, n);
  g_assert_true (ps_source_peek (source, offset, dst, len, valid));
  for (guint64 i = 0; i < n; i++)
    s[i] = valid[i] == TRUE ? '1' : valid[i] == FALSE ? '0' : 'X';
  s[n] = '\0';
  return s;
}

/* ---- the kernel's tables ---- */

gint64
ps_test_sysv_rss (int shmid)
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

int
ps_test_sysv_stat (int              shmid,
                   struct shmid_ds *ds)
{
  struct shmid_ds local;

  if (shmctl (shmid, IPC_STAT, ds != NULL ? ds : &local) == 0)
    return 0;
  return errno;
}

gsize
ps_test_dev_shm_count (const char *prefix)
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

void
ps_test_expect_denied (PsSource   *source,
                       GError     *error,
                       const char *call_prefix)
{
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_true (g_str_has_prefix (error->message, call_prefix));
  g_assert_nonnull (strstr (error->message, "Permission denied"));
}
