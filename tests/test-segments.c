/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-segments.h"
#include "ps-segments-output.h"
#include "ps-test-util.h"

/* Every object a test makes is queued for removal (ps-test-util) from the
 * moment it exists. The test removes it the way a user would (IPC_RMID,
 * ipcrm, shm_unlink, sem_unlink); whatever is left when the test ends (an
 * early return, a failed assertion) goes then. Children that hold a mapping
 * wait on a pipe and die with us (PR_SET_PDEATHSIG). */

#define CHILD_TIMEOUT_MS 10000
#define WAIT_MS          5000
#define HOLDER_COMM      "ps-seg-holder"

static gsize PAGE;

/* /dev/shm/NAME for a POSIX name "/NAME"; prefix "sem." for a semaphore. */
static char *
shm_path (const char *name,
          const char *prefix)
{
  return g_strdup_printf ("/dev/shm/%s%s", prefix, name + 1);
}

/* ---- objects ------------------------------------------------------------ */

typedef struct
{
  key_t key;
  int   shmid;
} Sysv;

static Sysv
make_sysv (key_t key,
           gsize size,
           guint mode)
{
  Sysv sysv;

  sysv.key = key;
  sysv.shmid = shmget (key, size, IPC_CREAT | IPC_EXCL | mode);
  if (sysv.shmid < 0)
    g_error ("shmget(0x%08x, %zu): %s", (guint) key, size, g_strerror (errno));
  ps_test_queue_rmid (sysv.shmid);
  return sysv;
}

/* With a key of its own. ps_test_sysv_key keeps one byte of the pid, so
 * another test process may take the same key: then try the next one. */
static Sysv
make_sysv_keyed (gsize size,
                 guint mode)
{
  static guint next = 0x10;

  for (guint tries = 0; tries < 0x30; tries++)
    {
      key_t key = ps_test_sysv_key (next);
      int shmid;

      next = next == 0x3f ? 0x10 : next + 1;
      shmid = shmget (key, size, IPC_CREAT | IPC_EXCL | mode);
      if (shmid < 0 && errno == EEXIST)
        continue;
      if (shmid < 0)
        g_error ("shmget(0x%08x, %zu): %s", (guint) key, size, g_strerror (errno));
      ps_test_queue_rmid (shmid);
      return (Sysv) { key, shmid };
    }
  g_error ("no free SysV test key");
}

static void
remove_sysv (Sysv *sysv)
{
  g_assert_cmpint (shmctl (sysv->shmid, IPC_RMID, NULL), ==, 0);
}

typedef struct
{
  char *name;
  int   fd;
} Posix;

static Posix
make_posix (const char *tag,
            gsize       size)
{
  Posix posix;

  posix.name = ps_test_posix_name (tag);
  posix.fd = shm_open (posix.name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (posix.fd < 0)
    g_error ("shm_open(\"%s\"): %s", posix.name, g_strerror (errno));
  ps_test_queue_shm_unlink (posix.name);
  g_assert_cmpint (ftruncate (posix.fd, size), ==, 0);
  return posix;
}

static void
remove_posix (Posix *posix)
{
  g_assert_cmpint (shm_unlink (posix->name), ==, 0);
  close (posix->fd);
  g_free (posix->name);
}

/* ---- a child that maps a segment and waits --------------------------------- */

typedef struct
{
  pid_t  parent;
  int    shmid;      /* SysV segment to attach, or -1 */
  guint  n_attach;
  int    fd;         /* POSIX segment to map, or -1 */
  gsize  size;
  int    ready[2];   /* the child writes a byte once it maps the segment */
  int    hold[2];    /* and exits when it reads one */
  pid_t  pid;
} Holder;

/* After fork: only async-signal-safe calls. */
static int
holder_child (gpointer data)
{
  Holder *h = data;
  char byte = 'r';

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != h->parent)
    return 1;
  prctl (PR_SET_NAME, HOLDER_COMM);
  for (guint i = 0; i < h->n_attach; i++)
    if (shmat (h->shmid, NULL, SHM_RDONLY) == (void *) -1)
      return 2;
  if (h->fd >= 0 && mmap (NULL, h->size, PROT_READ, MAP_SHARED, h->fd, 0) == MAP_FAILED)
    return 3;
  if (write (h->ready[1], &byte, 1) != 1)
    return 4;
  /* one byte (or EOF) from the test: exit, which detaches */
  while (read (h->hold[0], &byte, 1) < 0 && errno == EINTR)
    ;
  return 0;
}

static void
holder_wait_ready (Holder *h)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;
  struct pollfd pfd = { h->ready[0], POLLIN, 0 };
  char byte;

  for (;;)
    {
      int timeout = (int) MAX (0, (deadline - g_get_monotonic_time ()) / 1000);
      int r = poll (&pfd, 1, timeout);

      if (r < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (r, ==, 1);
      break;
    }
  if (read (h->ready[0], &byte, 1) != 1)
    {
      int status = ps_test_reap (h->pid, CHILD_TIMEOUT_MS);

      h->pid = 0;
      g_error ("holder child could not map the segment: wait status 0x%x", status);
    }
}

static void
holder_stop (Holder *h)
{
  char byte = 'x';
  int status;

  if (h->pid <= 0)
    return;
  g_assert_cmpint (write (h->hold[1], &byte, 1), ==, 1);
  status = ps_test_reap (h->pid, CHILD_TIMEOUT_MS);
  h->pid = 0;
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

/* Its end of the pipe closed, a child still holding exits; ps_test_fork
 * queued its reaping. */
static void
holder_free (gpointer data)
{
  Holder *h = data;

  close (h->ready[0]);
  close (h->hold[1]);
  g_free (h);
}

/* Forks a child that attaches shmid n_attach times or maps fd, and waits
 * until it has. Freed (and the child stopped) when the test ends. */
static Holder *
holder_start (int   shmid,
              guint n_attach,
              int   fd,
              gsize size)
{
  Holder *h = g_new0 (Holder, 1);

  h->parent = getpid ();
  h->shmid = shmid;
  h->n_attach = n_attach;
  h->fd = fd;
  h->size = size;
  g_assert_cmpint (pipe2 (h->ready, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (h->hold, O_CLOEXEC), ==, 0);
  h->pid = ps_test_fork (holder_child, h);
  close (h->ready[1]);
  close (h->hold[0]);
  g_test_queue_destroy (holder_free, h);
  holder_wait_ready (h);
  return h;
}

/* ---- looking ------------------------------------------------------------ */

static void
list_all (GPtrArray **sysv,
          GPtrArray **posix)
{
  g_autoptr(GError) error = NULL;

  *sysv = ps_segments_list_sysv (&error);
  g_assert_no_error (error);
  g_assert_nonnull (*sysv);
  *posix = ps_segments_list_posix (&error);
  g_assert_no_error (error);
  g_assert_nonnull (*posix);
  ps_segments_find_mappers (*sysv, *posix);
}

static PsSysvSegment *
find_sysv (GPtrArray *list,
           int        shmid)
{
  for (guint i = 0; i < list->len; i++)
    {
      PsSysvSegment *segment = g_ptr_array_index (list, i);

      if (segment->shmid == shmid)
        return segment;
    }
  return NULL;
}

static PsPosixSegment *
find_posix (GPtrArray  *list,
            const char *name)
{
  for (guint i = 0; i < list->len; i++)
    {
      PsPosixSegment *segment = g_ptr_array_index (list, i);

      if (strcmp (segment->name, name) == 0)
        return segment;
    }
  return NULL;
}

/* The same, for a segment that must be there. */
static PsSysvSegment *
get_sysv (GPtrArray *list,
          int        shmid)
{
  PsSysvSegment *segment = find_sysv (list, shmid);

  if (segment == NULL)
    g_error ("SysV segment %d is not listed", shmid);
  return segment;
}

static PsPosixSegment *
get_posix (GPtrArray  *list,
           const char *name)
{
  PsPosixSegment *segment = find_posix (list, name);

  if (segment == NULL)
    g_error ("POSIX segment \"%s\" is not listed", name);
  return segment;
}

/* "PID/COMM, ..." in pid order, to compare in one assertion. */
static char *
mappers_string (GArray *mappers)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) sorted = g_array_copy (mappers);

  g_array_set_clear_func (sorted, NULL);
  for (guint i = 0; i < sorted->len; i++)
    for (guint j = i + 1; j < sorted->len; j++)
      if (g_array_index (sorted, PsMapper, j).pid < g_array_index (sorted, PsMapper, i).pid)
        {
          PsMapper tmp = g_array_index (sorted, PsMapper, i);

          g_array_index (sorted, PsMapper, i) = g_array_index (sorted, PsMapper, j);
          g_array_index (sorted, PsMapper, j) = tmp;
        }
  for (guint i = 0; i < sorted->len; i++)
    {
      PsMapper *m = &g_array_index (sorted, PsMapper, i);

      g_ptr_array_add (parts, g_strdup_printf ("%d/%s", (int) m->pid, m->command));
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (", ", (char **) parts->pdata);
}

static char *
holders_string (Holder *a,
                Holder *b)
{
  if (b == NULL)
    return g_strdup_printf ("%d/" HOLDER_COMM, (int) a->pid);
  if (b->pid < a->pid)
    return holders_string (b, a);
  return g_strdup_printf ("%d/" HOLDER_COMM ", %d/" HOLDER_COMM, (int) a->pid, (int) b->pid);
}

#define assert_mappers(mappers, a, b) \
  G_STMT_START { \
    g_autofree char *got_ = mappers_string (mappers); \
    g_autofree char *want_ = holders_string ((a), (b)); \
    g_assert_cmpstr (got_, ==, want_); \
  } G_STMT_END

typedef struct
{
  int       shmid;
  gboolean  gone;
  guint     nattch;    /* expected, when not gone */
  guint     mappers;
} SysvWait;

static gboolean
sysv_reached (gpointer data)
{
  SysvWait *wait = data;
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GError) error = NULL;
  PsSysvSegment *segment;

  sysv = ps_segments_list_sysv (&error);
  g_assert_no_error (error);
  ps_segments_find_mappers (sysv, NULL);
  segment = find_sysv (sysv, wait->shmid);
  if (wait->gone)
    return segment == NULL;
  return segment != NULL && segment->nattch == wait->nattch && segment->mappers->len == wait->mappers;
}

/* ---- SysV --------------------------------------------------------------- */

static void
test_sysv_list (void)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  Sysv made = make_sysv_keyed (3 * PAGE + 100, 0640);
  PsSysvSegment *segment;

  list_all (&sysv, &posix);
  segment = get_sysv (sysv, made.shmid);
  g_assert_cmpint (segment->key, ==, made.key);
  g_assert_cmpuint (segment->size, ==, 3 * PAGE + 100);
  g_assert_cmpuint (segment->perms, ==, 0640);
  g_assert_false (segment->dest);
  g_assert_false (segment->locked);
  g_assert_cmpstr (ps_sysv_segment_status (segment), ==, "");
  g_assert_cmpuint (segment->nattch, ==, 0);
  g_assert_cmpint (segment->cpid, ==, getpid ());
  g_assert_cmpuint (segment->uid, ==, geteuid ());
  g_assert_cmpuint (segment->cuid, ==, geteuid ());
  g_assert_cmpuint (segment->gid, ==, getegid ());
  g_assert_cmpint (segment->ctime, >, 0);
  g_assert_cmpuint (segment->rss, ==, 0);     /* nothing written: nothing allocated */
  g_assert_nonnull (segment->mappers);
  g_assert_cmpuint (segment->mappers->len, ==, 0);
  /* no attach: nobody maps it, whatever /proc lets us read */
  g_assert_true (segment->mappers_known);

  remove_sysv (&made);
  g_clear_pointer (&sysv, g_ptr_array_unref);
  g_clear_pointer (&posix, g_ptr_array_unref);
  list_all (&sysv, &posix);
  g_assert_null (find_sysv (sysv, made.shmid));
}

static void
spawn_ok (const char * const *argv,
          char              **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *env[] = { "LC_ALL=C", "PATH=/usr/bin:/bin:/usr/sbin:/sbin", NULL };
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, (char **) env, G_SPAWN_SEARCH_PATH_FROM_ENVP,
                     NULL, NULL, out, &err, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s\n%s", argv[0], error->message, err);
}

/* A segment made by util-linux, not by us: ipcmk -M, removed with ipcrm. */
static void
test_sysv_ipcmk (void)
{
  const char *make[] = { "ipcmk", "-M", "12345", NULL };
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  g_autofree char *out = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *ipcmk = g_find_program_in_path ("ipcmk");
  PsSysvSegment *segment;
  struct shmid_ds ds;
  const char *line;
  int shmid;

  if (ipcmk == NULL)
    {
      g_test_skip ("no ipcmk (util-linux)");
      return;
    }
  spawn_ok (make, &out);
  line = strstr (out, "Shared memory id: ");
  g_assert_nonnull (line);
  shmid = atoi (line + strlen ("Shared memory id: "));
  ps_test_queue_rmid (shmid);
  g_assert_cmpint (shmctl (shmid, IPC_STAT, &ds), ==, 0);

  list_all (&sysv, &posix);
  segment = get_sysv (sysv, shmid);
  g_assert_cmpint (segment->key, ==, ds.shm_perm.__key);
  g_assert_cmpuint (segment->size, ==, 12345);    /* not rounded to pages */
  g_assert_cmpuint (segment->perms, ==, 0644);     /* ipcmk's default */
  g_assert_cmpint (segment->cpid, !=, getpid ());
  g_assert_cmpuint (segment->nattch, ==, 0);

  id_text = g_strdup_printf ("%d", shmid);
  {
    const char *rm[] = { "ipcrm", "-m", id_text, NULL };

    spawn_ok (rm, NULL);
  }
  g_clear_pointer (&sysv, g_ptr_array_unref);
  g_clear_pointer (&posix, g_ptr_array_unref);
  list_all (&sysv, &posix);
  g_assert_null (find_sysv (sysv, shmid));
}

/* Attached by children; removed while attached (dest, key 0, still mapped);
 * gone once the last one detaches. */
static void
test_sysv_mappers (void)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  Sysv made = make_sysv_keyed (2 * PAGE, 0600);
  SysvWait wait = { made.shmid, FALSE, 1, 1 };
  PsSysvSegment *segment;
  Holder *twice, *once;

  twice = holder_start (made.shmid, 2, -1, 0);
  once = holder_start (made.shmid, 1, -1, 0);

  list_all (&sysv, &posix);
  segment = get_sysv (sysv, made.shmid);
  g_assert_cmpint (segment->key, ==, made.key);
  /* nattch counts attaches, not processes: one process attached twice is named once */
  g_assert_cmpuint (segment->nattch, ==, 3);
  assert_mappers (segment->mappers, twice, once);
  /* the three attaches seen are all nattch counts */
  g_assert_true (segment->mappers_known);
  g_assert_cmpint (segment->lpid, ==, once->pid);

  /* a second walk replaces the mappers, it does not add to them */
  ps_segments_find_mappers (sysv, NULL);
  assert_mappers (segment->mappers, twice, once);

  remove_sysv (&made);
  g_clear_pointer (&sysv, g_ptr_array_unref);
  g_clear_pointer (&posix, g_ptr_array_unref);
  list_all (&sysv, &posix);
  segment = get_sysv (sysv, made.shmid);
  g_assert_true (segment->dest);
  g_assert_cmpstr (ps_sysv_segment_status (segment), ==, "dest");
  g_assert_cmpint (segment->key, ==, IPC_PRIVATE);
  g_assert_cmpuint (segment->perms, ==, 0600);
  assert_mappers (segment->mappers, twice, once);

  /* the exit unmaps when the last reference to the child's mm goes, which
   * another process reading its maps may hold a moment longer: wait */
  holder_stop (twice);
  g_assert_true (ps_test_wait_until (sysv_reached, &wait, WAIT_MS));
  g_clear_pointer (&sysv, g_ptr_array_unref);
  g_clear_pointer (&posix, g_ptr_array_unref);
  list_all (&sysv, &posix);
  segment = get_sysv (sysv, made.shmid);
  g_assert_cmpuint (segment->nattch, ==, 1);
  assert_mappers (segment->mappers, once, NULL);

  holder_stop (once);
  wait.gone = TRUE;
  g_assert_true (ps_test_wait_until (sysv_reached, &wait, WAIT_MS));
}

/* IPC_PRIVATE segments all show as /SYSV00000000 in maps: the inode (the
 * shmid) tells them apart. */
static void
test_sysv_private (void)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  Sysv a = make_sysv (IPC_PRIVATE, PAGE, 0600);
  Sysv b = make_sysv (IPC_PRIVATE, 5 * PAGE, 0600);
  Holder *holder_a = holder_start (a.shmid, 1, -1, 0);
  Holder *holder_b = holder_start (b.shmid, 1, -1, 0);
  PsSysvSegment *segment;

  list_all (&sysv, &posix);
  segment = get_sysv (sysv, a.shmid);
  g_assert_cmpint (segment->key, ==, IPC_PRIVATE);
  g_assert_cmpuint (segment->size, ==, PAGE);
  assert_mappers (segment->mappers, holder_a, NULL);
  segment = get_sysv (sysv, b.shmid);
  g_assert_cmpuint (segment->size, ==, 5 * PAGE);
  assert_mappers (segment->mappers, holder_b, NULL);

  holder_stop (holder_a);
  holder_stop (holder_b);
  remove_sysv (&a);
  remove_sysv (&b);
}

/* What the kernel prints, including what no live test can make here:
 * negative keys, SHM_LOCKED, and the 14 columns of kernels before rss/swap. */
static const char sysv_sample[] =
  "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n"
  "-1234567890          7  1600                  8192   100   101      2  1000  1001  1002  1003 1700000000 1700000001 1700000002                  4096                     0\n"
  "         0          8  2644                   100   200   201      0     0     0     0     0          0          0 1700000003                     0                  8192\n"
  " 305419896          9  3600                 12345   300   301      1    10    20    30    40          5          6          7\n";

static char *
temp_file (const char *tag,
           const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_strdup_printf ("%s/pagescope-test-%d-%s", g_get_tmp_dir (), (int) getpid (), tag);

  ps_test_queue_unlink (path);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_sysv_parse (void)
{
  g_autofree char *path = temp_file ("sysv-sample", sysv_sample);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = ps_segments_list_sysv_at (path, &error);
  PsSysvSegment *s;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);

  s = g_ptr_array_index (list, 0);
  g_assert_cmpint (s->key, ==, -1234567890);
  g_assert_cmpint (s->shmid, ==, 7);
  g_assert_cmpuint (s->perms, ==, 0600);
  g_assert_true (s->dest);
  g_assert_false (s->locked);
  g_assert_cmpuint (s->size, ==, 8192);
  g_assert_cmpint (s->cpid, ==, 100);
  g_assert_cmpint (s->lpid, ==, 101);
  g_assert_cmpuint (s->nattch, ==, 2);
  g_assert_cmpuint (s->uid, ==, 1000);
  g_assert_cmpuint (s->gid, ==, 1001);
  g_assert_cmpuint (s->cuid, ==, 1002);
  g_assert_cmpuint (s->cgid, ==, 1003);
  g_assert_cmpint (s->atime, ==, 1700000000);
  g_assert_cmpint (s->dtime, ==, 1700000001);
  g_assert_cmpint (s->ctime, ==, 1700000002);
  g_assert_cmpuint (s->rss, ==, 4096);
  g_assert_cmpuint (s->swap, ==, 0);

  s = g_ptr_array_index (list, 1);
  g_assert_cmpint (s->key, ==, 0);
  g_assert_cmpuint (s->perms, ==, 0644);
  g_assert_false (s->dest);
  g_assert_true (s->locked);
  g_assert_cmpstr (ps_sysv_segment_status (s), ==, "locked");
  g_assert_cmpuint (s->swap, ==, 8192);

  s = g_ptr_array_index (list, 2);
  g_assert_cmpint (s->key, ==, 0x12345678);
  g_assert_cmpstr (ps_sysv_segment_status (s), ==, "dest,locked");
  g_assert_cmpuint (s->size, ==, 12345);
  g_assert_cmpint (s->ctime, ==, 7);
  g_assert_cmpuint (s->rss, ==, 0);
}

static void
test_sysv_errors (void)
{
  g_autofree char *missing = g_strdup_printf ("%s/pagescope-test-%d-nothing", g_get_tmp_dir (), (int) getpid ());
  g_autofree char *short_row = temp_file ("sysv-short", "key shmid\n  1 2 3\n");
  g_autofree char *bad_number = temp_file ("sysv-bad",
                                           "1 2 600 x 0 0 0 0 0 0 0 0 0 0 0 0\n");
  g_autofree char *want = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *list;

  list = ps_segments_list_sysv_at (missing, &error);
  g_assert_null (list);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  want = g_strdup_printf ("open(\"%s\"): No such file or directory", missing);
  g_assert_cmpstr (error->message, ==, want);
  g_clear_error (&error);
  g_clear_pointer (&want, g_free);

  list = ps_segments_list_sysv_at (short_row, &error);
  g_assert_null (list);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  want = g_strdup_printf ("\"%s\" line 2: 3 columns, expected at least 14", short_row);
  g_assert_cmpstr (error->message, ==, want);
  g_clear_error (&error);
  g_clear_pointer (&want, g_free);

  list = ps_segments_list_sysv_at (bad_number, &error);
  g_assert_null (list);
  want = g_strdup_printf ("\"%s\" line 1: column size: \"x\" is not a number", bad_number);
  g_assert_cmpstr (error->message, ==, want);
}

/* ---- POSIX -------------------------------------------------------------- */

static void
test_posix_list (void)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  Posix made = make_posix ("list", 16 * PAGE);
  g_autofree guint8 *pages = g_malloc (3 * PAGE);
  PsPosixSegment *segment;
  guint64 before;
  Holder *holder;
  struct stat st;

  /* the child maps it; this process never does */
  holder = holder_start (-1, 0, made.fd, 16 * PAGE);

  list_all (&sysv, &posix);
  segment = get_posix (posix, made.name);
  g_assert_cmpuint (segment->size, ==, 16 * PAGE);
  g_assert_cmpuint (segment->perms, ==, 0600);
  g_assert_cmpuint (segment->uid, ==, geteuid ());
  g_assert_cmpint (fstat (made.fd, &st), ==, 0);
  g_assert_cmpint (segment->mtime, ==, st.st_mtime);
  g_assert_cmpuint (segment->ino, ==, st.st_ino);
  g_assert_cmpuint (segment->allocated, ==, ps_test_allocated (made.fd));
  assert_mappers (segment->mappers, holder, NULL);
  before = segment->allocated;

  memset (pages, 0x5a, 3 * PAGE);
  g_assert_cmpint (pwrite (made.fd, pages, 3 * PAGE, 4 * PAGE), ==, (gssize) (3 * PAGE));
  g_clear_pointer (&sysv, g_ptr_array_unref);
  g_clear_pointer (&posix, g_ptr_array_unref);
  list_all (&sysv, &posix);
  segment = get_posix (posix, made.name);
  g_assert_cmpuint (segment->allocated, >=, before + 3 * PAGE);
  g_assert_cmpuint (segment->allocated, ==, ps_test_allocated (made.fd));
  g_assert_cmpuint (segment->size, ==, 16 * PAGE);
  assert_mappers (segment->mappers, holder, NULL);

  holder_stop (holder);
  remove_posix (&made);
}

/* A segment unlinked and made again under the same name is another file:
 * the child mapping the old one does not map the new one. */
static void
test_posix_same_name (void)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  Posix old = make_posix ("again", PAGE);
  Holder *holder = holder_start (-1, 0, old.fd, PAGE);
  g_autofree char *name = g_strdup (old.name);
  PsPosixSegment *segment;
  Posix made;
  int fd;

  g_assert_cmpint (shm_unlink (old.name), ==, 0);
  fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  ps_test_queue_shm_unlink (name);
  made.fd = fd;
  made.name = g_strdup (name);

  list_all (&sysv, &posix);
  segment = get_posix (posix, name);
  g_assert_cmpuint (segment->mappers->len, ==, 0);

  holder_stop (holder);
  close (old.fd);
  g_free (old.name);
  remove_posix (&made);
}

/* sem_open's "sem.NAME" files and directories in /dev/shm are not segments. */
static void
test_posix_not_segments (void)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  g_autofree char *sem_name = ps_test_posix_name ("sem");
  g_autofree char *sem_file = shm_path (sem_name, "sem.");
  g_autofree char *dir_name = ps_test_posix_name ("dir");
  g_autofree char *dir_path = shm_path (dir_name, "");
  g_autofree char *as_segment = g_strconcat ("/sem.", sem_name + 1, NULL);
  struct stat st;
  sem_t *sem;

  sem = sem_open (sem_name, O_CREAT | O_EXCL, 0600, 1);
  g_assert_true (sem != SEM_FAILED);
  ps_test_queue_unlink (sem_file);
  g_assert_cmpint (lstat (sem_file, &st), ==, 0);   /* it is there, as the kernel names it */
  if (mkdir (dir_path, 0700) == 0)
    ps_test_queue_unlink (dir_path);

  list_all (&sysv, &posix);
  g_assert_null (find_posix (posix, as_segment));
  g_assert_null (find_posix (posix, sem_name));
  g_assert_null (find_posix (posix, dir_name));
  for (guint i = 0; i < posix->len; i++)
    {
      PsPosixSegment *segment = g_ptr_array_index (posix, i);

      g_assert_false (g_str_has_prefix (segment->name, "/sem."));
      if (i > 0)
        g_assert_cmpint (strcmp (((PsPosixSegment *) g_ptr_array_index (posix, i - 1))->name, segment->name), <, 0);
    }

  g_assert_cmpint (sem_close (sem), ==, 0);
  g_assert_cmpint (sem_unlink (sem_name), ==, 0);
}

/* Another directory: what is listed, and a missing directory is no error. */
static void
test_posix_at (void)
{
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-shmdir-XXXXXX", (int) getpid ());
  g_autofree char *dir = g_dir_make_tmp (template, NULL);
  g_autofree char *file = NULL, *sem = NULL, *sub = NULL, *symlink_path = NULL, *missing = NULL, *want = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  PsPosixSegment *segment;

  g_assert_nonnull (dir);
  ps_test_queue_unlink (dir);
  file = g_build_filename (dir, "seg", NULL);
  ps_test_queue_unlink (file);
  g_file_set_contents (file, "12345", 5, &error);
  g_assert_no_error (error);
  sem = g_build_filename (dir, "sem.x", NULL);
  ps_test_queue_unlink (sem);
  g_file_set_contents (sem, "", 0, &error);
  g_assert_no_error (error);
  sub = g_build_filename (dir, "sub", NULL);
  g_assert_cmpint (mkdir (sub, 0700), ==, 0);
  ps_test_queue_unlink (sub);
  symlink_path = g_build_filename (dir, "link", NULL);
  g_assert_cmpint (symlink ("seg", symlink_path), ==, 0);
  ps_test_queue_unlink (symlink_path);

  list = ps_segments_list_posix_at (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  segment = g_ptr_array_index (list, 0);
  g_assert_cmpstr (segment->name, ==, "/seg");
  g_assert_cmpuint (segment->size, ==, 5);
  g_assert_nonnull (segment->mappers);
  g_clear_pointer (&list, g_ptr_array_unref);

  missing = g_build_filename (dir, "none", NULL);
  list = ps_segments_list_posix_at (missing, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = ps_segments_list_posix_at (file, &error);
  g_assert_null (list);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  want = g_strdup_printf ("opendir(\"%s\"): Not a directory", file);
  g_assert_cmpstr (error->message, ==, want);
}

/* ---- formats ------------------------------------------------------------ */

/* A name with everything a JSON string or a table cell must escape:
 * quote, backslash, newline, tab, a control byte, non-ASCII, invalid UTF-8. */
#define ODD_TAG "odd\"q\\b\nn\tt\001c-\xc3\xa9-\xff"

typedef struct
{
  Sysv    sysv;
  Posix   posix;
  Holder *sysv_holder;
  Holder *posix_holder;
} Both;

static void
both_make (Both *both)
{
  both->sysv = make_sysv_keyed (7 * PAGE + 1, 0600);
  both->posix = make_posix (ODD_TAG, 9 * PAGE);
  both->sysv_holder = holder_start (both->sysv.shmid, 1, -1, 0);
  both->posix_holder = holder_start (-1, 0, both->posix.fd, 9 * PAGE);
}

static void
both_remove (Both *both)
{
  holder_stop (both->sysv_holder);
  holder_stop (both->posix_holder);
  remove_sysv (&both->sysv);
  remove_posix (&both->posix);
}

/* Parses the JSON and prints one line per segment, with names as the hex of
 * their UTF-8, so the test compares exact values. */
static const char json_checker[] =
  "import json, sys\n"
  "doc = json.loads(sys.stdin.buffer.read().decode('utf-8'))\n"
  "def ints(s, keys):\n"
  "    for k in keys:\n"
  "        assert type(s[k]) is int, (k, s)\n"
  "def mappers(s):\n"
  "    assert type(s['mappers-known']) is bool, s\n"
  "    if s['mapped-by'] is None:\n"
  "        assert not s['mappers-known'], s\n"
  "        return '?'\n"
  "    for m in s['mapped-by']:\n"
  "        ints(m, ('pid',))\n"
  "        assert type(m['command']) is str\n"
  "    seen = ','.join('%d/%s' % (m['pid'], m['command']) for m in s['mapped-by']) or '-'\n"
  "    return seen if s['mappers-known'] else seen + ',?'\n"
  "for s in doc['sysv']:\n"
  "    ints(s, ('key', 'id', 'uid', 'gid', 'cuid', 'cgid', 'size', 'nattch', 'ctime', 'cpid', 'lpid', 'rss', 'swap'))\n"
  "    for k in ('attach', 'detach'):\n"
  "        assert s[k] is None or (type(s[k]) is int and s[k] > 0), s\n"
  "    assert 0 <= s['key'] <= 0xffffffff, s\n"
  "    assert type(s['owner']) is str\n"
  "    assert s['command'] is None or type(s['command']) is str\n"
  "    print('sysv', s['id'], '0x%08x' % s['key'], s['size'], s['perms'], s['status'] or '-', mappers(s))\n"
  "for s in doc['posix']:\n"
  "    ints(s, ('uid', 'gid', 'size', 'allocated', 'mtime'))\n"
  "    assert type(s['owner']) is str\n"
  "    print('posix', s['name'].encode('utf-8').hex(), s['size'], s['perms'], mappers(s))\n";

/* The checker's output, or NULL (skipped) without python3. */
static char *
check_json (const char *json)
{
  g_autoptr(GSubprocess) python = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *program = g_find_program_in_path ("python3");
  char *out = NULL;

  if (program == NULL)
    {
      g_test_skip ("no python3 to check the JSON");
      return NULL;
    }
  python = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             program, "-c", json_checker, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (python, json, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (python))
    g_error ("the JSON does not check: %s\n%s", err, json);
  return out;
}

static char *
format (GPtrArray    *sysv,
        GPtrArray    *posix,
        PsListFormat  format,
        const char   *columns)
{
  PsListOptions options = { format, FALSE, FALSE, columns };
  g_autoptr(GError) error = NULL;
  char *text = ps_segments_output (sysv, posix, &options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

static char *
hex (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    g_string_append_printf (out, "%02x", *p);
  return g_string_free (out, FALSE);
}

static void
test_json (void)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  g_autofree char *json = NULL;
  g_autofree char *checked = NULL;
  g_autofree char *valid_name = NULL;
  g_autofree char *name_hex = NULL;
  g_autofree char *want_sysv = NULL;
  g_autofree char *want_posix = NULL;
  Both both;

  both_make (&both);
  list_all (&sysv, &posix);
  json = format (sysv, posix, PS_LIST_JSON, NULL);
  checked = check_json (json);
  if (checked != NULL)
    {
      /* as root, a process with capabilities we lack may still hide its
       * maps: then the POSIX mapper seen is not known to be the only one */
      gboolean posix_known = get_posix (posix, both.posix.name)->mappers_known;

      valid_name = g_utf8_make_valid (both.posix.name, -1);
      name_hex = hex (valid_name);
      want_sysv = g_strdup_printf ("sysv %d 0x%08x %zu 0600 - %d/" HOLDER_COMM "\n",
                                   both.sysv.shmid, (guint) both.sysv.key,
                                   7 * PAGE + 1, (int) both.sysv_holder->pid);
      want_posix = g_strdup_printf ("posix %s %zu 0600 %d/" HOLDER_COMM "%s\n",
                                    name_hex, 9 * PAGE, (int) both.posix_holder->pid, posix_known ? "" : ",?");
      ps_assert_contains (checked, want_sysv);
      ps_assert_contains (checked, want_posix);
    }
  both_remove (&both);
}

static void
test_json_synthetic (void)
{
  g_autofree char *path = temp_file ("sysv-json", sysv_sample);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sysv = ps_segments_list_sysv_at (path, &error);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autofree char *json = NULL;
  g_autofree char *checked = NULL;
  g_autofree char *none = NULL;

  g_assert_no_error (error);
  /* not walked: who maps them is not known, which is null, never [] */
  json = format (sysv, empty, PS_LIST_JSON, NULL);
  checked = check_json (json);
  if (checked == NULL)
    return;
  ps_assert_contains (checked, "sysv 7 0xb669fd2e 8192 0600 dest ?\n");
  ps_assert_contains (checked, "sysv 8 0x00000000 100 0644 locked ?\n");
  ps_assert_contains (checked, "sysv 9 0x12345678 12345 0600 dest,locked ?\n");
  g_assert_null (strstr (checked, "posix"));
  /* atime 0: never attached */
  ps_assert_contains (json, "\"attach\": null");

  none = format (empty, empty, PS_LIST_JSON, NULL);
  g_clear_pointer (&checked, g_free);
  checked = check_json (none);
  g_assert_cmpstr (checked, ==, "");
}

/* Where a cell starts on a line, in characters. */
static glong
column_of (const char *line,
           const char *cell)
{
  const char *at = strstr (line, cell);

  g_assert_nonnull (at);
  return g_utf8_pointer_to_offset (line, at);
}

static const char *
line_with (GStrv       lines,
           const char *text)
{
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], text) != NULL)
      return lines[i];
  g_error ("no line with \"%s\"", text);
}

/* ODD_TAG's name as a table cell: backslash, control characters and bytes
 * that are not UTF-8 escaped, so the cell tells exactly which bytes it has. */
static char *
shown_in_table (const char *name)
{
  g_autoptr(GString) shown = g_string_new (name);

  g_string_replace (shown, "\\", "\\\\", 0);
  g_string_replace (shown, "\xff", "\\xff", 0);
  g_string_replace (shown, "\n", "\\n", 0);
  g_string_replace (shown, "\t", "\\t", 0);
  g_string_replace (shown, "\001", "\\x01", 0);
  return g_string_free (g_steal_pointer (&shown), FALSE);
}

/* Where a right-aligned cell ends on a line, in characters. */
static glong
end_of (const char *line,
        const char *cell)
{
  return column_of (line, cell) + g_utf8_strlen (cell, -1);
}

static void
test_table (void)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  g_autofree char *table = NULL;
  g_autofree char *bytes_table = NULL;
  g_autofree char *key = NULL;
  g_autofree char *shown_name = NULL;
  g_autofree char *sysv_mapper = NULL;
  g_autofree char *posix_mapper = NULL;
  g_autofree char *size = NULL;
  g_auto(GStrv) lines = NULL;
  PsListOptions bytes = { PS_LIST_TABLE, FALSE, TRUE, NULL };
  const char *heading, *row;
  Both both;

  both_make (&both);
  list_all (&sysv, &posix);
  table = format (sysv, posix, PS_LIST_TABLE, NULL);
  g_assert_true (g_utf8_validate (table, -1, NULL));
  lines = g_strsplit (table, "\n", -1);

  /* the SysV row lines up under its headings: text on the left, numbers on the right */
  key = g_strdup_printf ("0x%08x", (guint) both.sysv.key);
  sysv_mapper = g_strdup_printf ("%d/" HOLDER_COMM, (int) both.sysv_holder->pid);
  size = ps_format_size (7 * PAGE + 1);
  heading = line_with (lines, "KEY");
  row = line_with (lines, key);
  g_assert_cmpint (column_of (row, key), ==, column_of (heading, "KEY"));
  g_assert_cmpint (end_of (row, size), ==, end_of (heading, "SIZE"));
  g_assert_cmpint (column_of (row, "0600"), ==, column_of (heading, "PERMS"));
  g_assert_cmpint (column_of (row, sysv_mapper), ==, column_of (heading, "MAPPED-BY"));
  g_assert_false (g_str_has_suffix (row, " "));

  /* the POSIX row too, with its name escaped to one line */
  shown_name = shown_in_table (both.posix.name);
  posix_mapper = g_strdup_printf ("%d/" HOLDER_COMM, (int) both.posix_holder->pid);
  heading = line_with (lines, "ALLOCATED");
  row = line_with (lines, shown_name);
  g_assert_cmpint (column_of (row, shown_name), ==, column_of (heading, "NAME"));
  g_assert_cmpint (column_of (row, posix_mapper), ==, column_of (heading, "MAPPED-BY"));
  g_free (size);
  size = ps_format_size (9 * PAGE);
  g_assert_cmpint (end_of (row, size), ==, end_of (heading, "SIZE"));

  ps_assert_contains (table, "SysV shared memory segments\n");
  ps_assert_contains (table, "POSIX shared memory segments\n");

  /* --bytes */
  bytes_table = ps_segments_output (sysv, posix, &bytes, NULL);
  g_strfreev (lines);
  lines = g_strsplit (bytes_table, "\n", -1);
  g_free (size);
  size = g_strdup_printf ("%zu", 7 * PAGE + 1);
  g_assert_cmpint (end_of (line_with (lines, key), size), ==, end_of (line_with (lines, "KEY"), "SIZE"));
  both_remove (&both);
}

static void
test_table_empty (void)
{
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autofree char *both = format (empty, empty, PS_LIST_TABLE, NULL);
  g_autofree char *posix_only = format (NULL, empty, PS_LIST_TABLE, NULL);
  g_autofree char *raw = format (empty, empty, PS_LIST_RAW, NULL);
  PsListOptions noheadings = { PS_LIST_TABLE, TRUE, FALSE, NULL };
  g_autofree char *bare = ps_segments_output (empty, empty, &noheadings, NULL);

  g_assert_cmpstr (both, ==, "SysV shared memory segments: none\n\nPOSIX shared memory segments: none\n");
  g_assert_cmpstr (posix_only, ==, "POSIX shared memory segments: none\n");
  /* for scripts: nothing at all */
  g_assert_cmpstr (raw, ==, "");
  g_assert_cmpstr (bare, ==, "");
  ps_segments_find_mappers (NULL, NULL);
  ps_segments_find_mappers (empty, empty);
}

/* What a table cell says about mappers: those seen, "none", "unknown", or
 * those seen and maybe others. */
static void
test_table_mappers (void)
{
  g_autofree char *path = temp_file ("sysv-mappers", sysv_sample);
  g_autoptr(GPtrArray) sysv = ps_segments_list_sysv_at (path, NULL);
  PsSysvSegment *known_none, *partial;
  PsMapper mapper = { 4242, g_strdup ("wri\nter") };
  g_autofree char *table = NULL, *raw = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (sysv);
  /* the second is as listed: not walked, so not known */
  known_none = g_ptr_array_index (sysv, 0);
  partial = g_ptr_array_index (sysv, 2);
  known_none->mappers_known = TRUE;
  g_array_append_val (partial->mappers, mapper);

  table = format (sysv, NULL, PS_LIST_TABLE, "ID,MAPPED-BY,MAPPERS-KNOWN");
  lines = g_strsplit (table, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "SysV shared memory segments");
  g_assert_true (g_regex_match_simple ("^ +7 none +yes$", lines[2], 0, 0));
  g_assert_true (g_regex_match_simple ("^ +8 unknown +no$", lines[3], 0, 0));
  g_assert_true (g_regex_match_simple ("^ +9 4242/wri\\\\nter; maybe others +no$", lines[4], 0, 0));

  raw = format (sysv, NULL, PS_LIST_RAW, "ID,MAPPED-BY,MAPPERS-KNOWN");
  g_assert_cmpstr (raw, ==,
                   "ID MAPPED-BY MAPPERS-KNOWN\n"
                   "7 none yes\n"
                   "8 unknown no\n"
                   "9 4242/wri\\x0ater,unknown no\n");
}

/* Raw mode: column names as headings, one space between cells, a cell
 * that would be empty is "-", sizes without a space, unsafe bytes \xHH. */
static void
test_raw (void)
{
  g_autofree char *path = temp_file ("sysv-raw", sysv_sample);
  g_autoptr(GPtrArray) sysv = ps_segments_list_sysv_at (path, NULL);
  g_autofree char *dir = NULL, *file = NULL, *raw = NULL, *raw_posix = NULL;
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-rawdir-XXXXXX", (int) getpid ());
  g_autoptr(GPtrArray) posix = NULL;
  PsListOptions options = { PS_LIST_RAW, TRUE, FALSE, "NAME,SIZE,ALLOCATED" };

  g_assert_nonnull (sysv);
  raw = format (sysv, NULL, PS_LIST_RAW, "KEY,ID,SIZE,STATUS,COMMAND");
  g_assert_cmpstr (raw, ==,
                   "KEY ID SIZE STATUS COMMAND\n"
                   "0xb669fd2e 7 8.0KiB dest -\n"
                   "0x00000000 8 100B locked -\n"
                   "0x12345678 9 12.1KiB dest,locked -\n");

  dir = g_dir_make_tmp (template, NULL);
  g_assert_nonnull (dir);
  ps_test_queue_unlink (dir);
  file = g_build_filename (dir, "a b\xff", NULL);
  ps_test_queue_unlink (file);
  g_assert_true (g_file_set_contents (file, "12345", 5, NULL));
  posix = ps_segments_list_posix_at (dir, NULL);
  g_assert_nonnull (posix);
  raw_posix = ps_segments_output (NULL, posix, &options, NULL);
  g_assert_true (g_str_has_prefix (raw_posix, "/a\\x20b\\xff 5B "));
}

/* In a locale that is not UTF-8, libsmartcols cannot measure other
 * characters (it looped for ever on a no-break space): the table is ASCII. */
static void
test_table_c_locale (void)
{
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-cdir-XXXXXX", (int) getpid ());
  g_autofree char *dir = g_dir_make_tmp (template, NULL);
  g_autofree char *file = NULL, *table = NULL;
  g_autofree char *locale = g_strdup (setlocale (LC_ALL, NULL));
  g_autoptr(GPtrArray) posix = NULL;

  g_assert_nonnull (dir);
  ps_test_queue_unlink (dir);
  file = g_build_filename (dir, "\xc3\xa9t\xc3\xa9-\xff", NULL);
  ps_test_queue_unlink (file);
  g_assert_true (g_file_set_contents (file, "12345", 5, NULL));
  posix = ps_segments_list_posix_at (dir, NULL);
  g_assert_nonnull (posix);

  setlocale (LC_ALL, "C");
  table = format (NULL, posix, PS_LIST_TABLE, "NAME,SIZE,ALLOCATED");
  setlocale (LC_ALL, locale);
  for (const char *p = table; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 0x80);
  ps_assert_contains (table, "/\\u00e9t\\u00e9-\\xff 5 bytes");
}

/* --output: the columns in its order, any case; a list that lacks one of
 * them is left out; a mistake names the column and lists them all. */
static void
test_output_columns (void)
{
  static const struct { const char *columns; gboolean sysv, posix; const char *says; } cases[] = {
    { "key,ID", TRUE, FALSE, NULL },
    { "NAME", FALSE, TRUE, NULL },
    { "SIZE,MAPPED-BY", TRUE, TRUE, NULL },
    { "KEY,NAME", FALSE, FALSE, "--output KEY,NAME: no list has all of these columns" },
    { "SIZE,BOGUS", FALSE, FALSE, "--output: no column is called \"BOGUS\"" },
    { "SIZE,size", FALSE, FALSE, "--output: SIZE is named twice" },
    { "SIZE,", FALSE, FALSE, "--output \"SIZE,\": a column name is empty" },
    { "", FALSE, FALSE, "--output: give at least one column" },
  };
  g_autofree char *path = temp_file ("sysv-columns", sysv_sample);
  g_autoptr(GPtrArray) sysv = ps_segments_list_sysv_at (path, NULL);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autofree char *table = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PsListOptions options = { PS_LIST_TABLE, FALSE, FALSE, cases[i].columns };
      g_autoptr(GError) error = NULL;
      gboolean with_sysv = 2, with_posix = 2;
      gboolean ok = ps_list_options_check (&options, &with_sysv, &with_posix, &error);

      g_test_message ("--output \"%s\"", cases[i].columns);
      if (cases[i].says == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (with_sysv, ==, cases[i].sysv);
          g_assert_cmpint (with_posix, ==, cases[i].posix);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, cases[i].says));
      ps_assert_contains (error->message, "SysV segments have KEY, ID, PERMS");
      ps_assert_contains (error->message, "POSIX segments have NAME, PERMS");
    }

  /* in the order given, whatever the case */
  table = format (sysv, empty, PS_LIST_TABLE, "nattch,key");
  ps_assert_contains (table, "NATTCH KEY\n");
  ps_assert_contains (table, "     2 0xb669fd2e\n");
  g_assert_null (strstr (table, "POSIX"));
}

/* The COMMAND column: the creator's command line while it runs; not a
 * process that took its pid later. */
static void
test_sysv_command (void)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  g_autofree char *cmdline = NULL;
  Sysv made = make_sysv_keyed (PAGE, 0600);
  PsSysvSegment *segment;
  gsize length;

  g_assert_true (g_file_get_contents ("/proc/self/cmdline", &cmdline, &length, NULL));
  for (gsize i = 0; i + 1 < length; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  list_all (&sysv, &posix);
  segment = get_sysv (sysv, made.shmid);
  g_assert_cmpstr (segment->command, ==, cmdline);

  /* the same pid, a segment older than its process: not the creator */
  segment->ctime -= 3600;
  ps_segments_find_mappers (sysv, NULL);
  g_assert_null (segment->command);
  remove_sysv (&made);
}

/* ---- what another user sees (issue 12) ------------------------------------ */

#define ENV_ATTACHED   "PAGESCOPE_TEST_ATTACHED_SHMID"
#define ENV_DETACHED   "PAGESCOPE_TEST_DETACHED_SHMID"
#define ENV_POSIX      "PAGESCOPE_TEST_POSIX_NAME"

/* In a child that is user nobody: root's holder is not ours to read. */
static void
as_nobody_subprocess (void)
{
  int attached = atoi (g_getenv (ENV_ATTACHED));
  int detached = atoi (g_getenv (ENV_DETACHED));
  const char *name = g_getenv (ENV_POSIX);
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  g_autofree char *table = NULL, *json = NULL, *checked = NULL, *name_hex = NULL, *want = NULL;
  g_auto(GStrv) lines = NULL;
  PsSysvSegment *segment;

  g_assert_true (ps_test_become_nobody ());
  list_all (&sysv, &posix);
  segment = get_sysv (sysv, attached);
  g_assert_cmpuint (segment->nattch, ==, 1);
  g_assert_cmpuint (segment->mappers->len, ==, 0);
  g_assert_false (segment->mappers_known);
  /* no attach at all: that much nobody can tell */
  segment = get_sysv (sysv, detached);
  g_assert_true (segment->mappers_known);
  g_assert_false (get_posix (posix, name)->mappers_known);

  table = format (sysv, posix, PS_LIST_TABLE, NULL);
  lines = g_strsplit (table, "\n", -1);
  {
    g_autofree char *id = g_strdup_printf (" %d ", attached);
    g_autofree char *other = g_strdup_printf (" %d ", detached);

    g_assert_true (g_str_has_suffix (line_with (lines, id), " unknown"));
    g_assert_true (g_str_has_suffix (line_with (lines, other), " none"));
    g_assert_true (g_str_has_suffix (line_with (lines, name), " unknown"));
  }

  /* in JSON, null: never [] */
  json = format (sysv, posix, PS_LIST_JSON, NULL);
  checked = check_json (json);
  if (checked == NULL)
    return;
  g_strfreev (lines);
  lines = g_strsplit (checked, "\n", -1);
  want = g_strdup_printf ("sysv %d 0x", attached);
  g_assert_true (g_str_has_suffix (line_with (lines, want), " 0644 - ?"));
  g_free (want);
  want = g_strdup_printf ("sysv %d 0x", detached);
  g_assert_true (g_str_has_suffix (line_with (lines, want), " 0644 - -"));
  g_free (want);
  name_hex = hex (name);
  want = g_strdup_printf ("posix %s %zu 0644 ?", name_hex, PAGE);
  line_with (lines, want);
}

static void
test_as_nobody (void)
{
  g_autofree char *attached_text = NULL, *detached_text = NULL;
  Sysv attached, detached;
  Posix posix;
  Holder *sysv_holder, *posix_holder;

  if (g_test_subprocess ())
    {
      as_nobody_subprocess ();
      return;
    }
  if (geteuid () != 0)
    {
      g_test_skip ("needs root, to become user nobody");
      return;
    }
  attached = make_sysv_keyed (PAGE, 0644);
  detached = make_sysv_keyed (PAGE, 0644);
  posix = make_posix ("nobody", PAGE);
  g_assert_cmpint (fchmod (posix.fd, 0644), ==, 0);
  sysv_holder = holder_start (attached.shmid, 1, -1, 0);
  posix_holder = holder_start (-1, 0, posix.fd, PAGE);

  attached_text = g_strdup_printf ("%d", attached.shmid);
  detached_text = g_strdup_printf ("%d", detached.shmid);
  g_setenv (ENV_ATTACHED, attached_text, TRUE);
  g_setenv (ENV_DETACHED, detached_text, TRUE);
  g_setenv (ENV_POSIX, posix.name, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();

  holder_stop (sysv_holder);
  holder_stop (posix_holder);
  remove_sysv (&attached);
  remove_sysv (&detached);
  remove_posix (&posix);
}

int
main (int argc, char **argv)
{
  /* as pagescope does: the table depends on the locale's character set */
  setlocale (LC_ALL, "");
  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);

  g_test_add_func ("/segments/sysv/list", test_sysv_list);
  g_test_add_func ("/segments/sysv/ipcmk", test_sysv_ipcmk);
  g_test_add_func ("/segments/sysv/mappers", test_sysv_mappers);
  g_test_add_func ("/segments/sysv/private", test_sysv_private);
  g_test_add_func ("/segments/sysv/parse", test_sysv_parse);
  g_test_add_func ("/segments/sysv/errors", test_sysv_errors);
  g_test_add_func ("/segments/posix/list", test_posix_list);
  g_test_add_func ("/segments/posix/same-name", test_posix_same_name);
  g_test_add_func ("/segments/posix/not-segments", test_posix_not_segments);
  g_test_add_func ("/segments/posix/at", test_posix_at);
  g_test_add_func ("/segments/json/live", test_json);
  g_test_add_func ("/segments/json/synthetic", test_json_synthetic);
  g_test_add_func ("/segments/table/live", test_table);
  g_test_add_func ("/segments/table/empty", test_table_empty);
  g_test_add_func ("/segments/table/mappers", test_table_mappers);
  g_test_add_func ("/segments/table/c-locale", test_table_c_locale);
  g_test_add_func ("/segments/raw", test_raw);
  g_test_add_func ("/segments/output/columns", test_output_columns);
  g_test_add_func ("/segments/sysv/command", test_sysv_command);
  g_test_add_func ("/segments/as-nobody", test_as_nobody);

  return g_test_run ();
}
