/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The chaos suite's own tests (meson test --suite chaos runs these with the
 * fault tests of the other suites; docs/RELIABILITY.md lists them all):
 * a read-only session in which every write-ish action is tried, on a file, a
 * POSIX and a SysV segment, changes no byte of any, and each refusal says
 * why; a session that spawns and stops writers 100 times leaves no child;
 * a 1 TiB sparse file and a 64 GiB sparse POSIX segment are scanned whole
 * in bounded memory without allocating a block of either. */
#define G_LOG_DOMAIN "pagescope-test"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-action-args.h"
#include "ps-scanner.h"
#include "ps-session.h"
#include "ps-test-util.h"

typedef struct
{
  gboolean       done;
  gboolean       ok;
  GError        *error;
  PsProbeResult  probe;
  PsMsyncReport  msync;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
on_probe (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Wait *w = data;

  w->ok = ps_session_probe_finish (PS_SESSION (object), result, &w->probe, &w->error);
  w->done = TRUE;
}

static void
on_msync (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Wait *w = data;

  w->ok = ps_session_msync_finish (PS_SESSION (object), result, &w->msync, &w->error);
  w->done = TRUE;
}

/* SHA-256 of an object's bytes, read by this process apart from the session:
 * a file or POSIX segment through read(), a SysV segment attached read-only. */
static char *
object_sha256 (const PsSourceSpec *spec,
               gsize               size)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  if (spec->kind == PS_SOURCE_SYSV)
    {
      void *at = shmat (shmget (spec->key, 0, 0), NULL, SHM_RDONLY);

      g_assert_true (at != (void *) -1);
      g_checksum_update (sum, at, (gssize) size);
      shmdt (at);
    }
  else
    {
      g_autofree char *path = spec->kind == PS_SOURCE_FILE ? g_strdup (spec->path)
                                                           : g_strconcat ("/dev/shm", spec->name, NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_cmpuint (len, ==, size);
      g_checksum_update (sum, (const guchar *) contents, (gssize) len);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* A refusal: FALSE, an error whose message names why, a log line. */
static void
assert_refused (gboolean    ok,
                GError    **error,
                const char *why)
{
  g_assert_false (ok);
  g_assert_nonnull (*error);
  g_test_message ("refused: %s", (*error)->message);
  ps_assert_contains ((*error)->message, why);
  g_clear_error (error);
}

static void
try_every_write (PsSession *session,
                 gsize      page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\xde\xad\xbe\xef", 4);
  PsSpawnArgs spawn;
  PsMsyncArgs msync;
  PsWriteReport report;
  Wait w = { 0 };

  assert_refused (ps_session_write (session, 0x10, bytes, &report, &error), &error, "read-only");
  assert_refused (ps_session_write (session, page - 2, bytes, &report, &error), &error, "read-only");
  assert_refused (ps_session_undo (session, &report, &error), &error, "nothing to undo");
  g_assert_true (ps_spawn_args_parse ("2 counter 100", &spawn, NULL));
  assert_refused (ps_session_spawn_writers (session, &spawn, &error), &error, "read-only");
  g_assert_true (ps_spawn_args_parse ("1 random max count=100", &spawn, NULL));
  assert_refused (ps_session_spawn_writers (session, &spawn, &error), &error, "read-only");
  assert_refused (ps_session_stop_writers (session, 0, &error), &error, "no writer child");

  ps_session_probe_async (session, 0, TRUE, NULL, on_probe, &w);
  g_assert_true (ps_test_wait_until (wait_done, &w, 10000));
  assert_refused (w.ok, &w.error, "read-only");

  /* msync with invalidate is allowed on a read-only mapping: it writes
   * nothing back, having nothing dirty; the bytes must stay */
  g_assert_true (ps_msync_args_parse ("sync,invalidate", &msync, NULL));
  w = (Wait) { 0 };
  ps_session_msync_async (session, &msync.range, msync.flags, NULL, on_msync, &w);
  g_assert_true (ps_test_wait_until (wait_done, &w, 10000));
  if (!w.ok)
    g_test_message ("msync: %s", w.error->message);
  g_clear_error (&w.error);
}

/* A read-only session (the default) on each kind of object: every write,
 * undo, writer, probe write and msync(MS_INVALIDATE) tried three times, and
 * the object's SHA-256 unchanged, read apart from the session, before and
 * after the session closes. */
static void
test_read_only_untouched (void)
{
  gsize page = ps_test_page_size ();
  gsize size = 4 * page;
  g_autofree char *path = ps_test_file ("chaos-ro", size, 'r');
  g_autofree char *posix = ps_test_posix_segment ("chaos-ro", size);
  key_t key = ps_test_free_sysv_key ();
  PsSourceSpec specs[3] = {
    { .kind = PS_SOURCE_FILE, .path = path },
    { .kind = PS_SOURCE_POSIX, .name = posix },
    { .kind = PS_SOURCE_SYSV, .key = key },
  };

  ps_test_sysv_segment (key, size, 0600);
  {
    /* the segments hold bytes worth guarding, not zeros */
    int fd = shm_open (posix, O_RDWR, 0);
    g_autofree guint8 *fill = g_malloc (size);
    void *at = shmat (shmget (key, 0, 0), NULL, 0);

    for (gsize i = 0; i < size; i++)
      fill[i] = (guint8) (i * 7 + 3);
    g_assert_cmpint (pwrite (fd, fill, size, 0), ==, (gssize) size);
    close (fd);
    memcpy (at, fill, size);
    shmdt (at);
  }

  for (guint k = 0; k < G_N_ELEMENTS (specs); k++)
    {
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autoptr(PsSession) session = ps_session_new (log);
      g_autoptr(GError) error = NULL;
      g_autofree char *before = object_sha256 (&specs[k], size);
      g_autofree char *after = NULL;
      g_autofree char *closed = NULL;

      g_assert_true (ps_session_open (session, &specs[k], &error));
      g_assert_no_error (error);
      for (int round = 0; round < 3; round++)
        try_every_write (session, page);
      after = object_sha256 (&specs[k], size);
      ps_session_close (session);
      closed = object_sha256 (&specs[k], size);
      g_test_message ("kind %d: %s", specs[k].kind, before);
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpstr (closed, ==, before);
      g_assert_true (ps_test_log_has (log, "the mapping is read-only"));
    }
}

/* This process's children that are zombies or alive, by /proc. */
static guint
count_children (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/children", getpid (), getpid ());
  g_autofree char *text = NULL;
  g_auto(GStrv) pids = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  pids = g_strsplit_set (g_strstrip (text), " ", -1);
  return pids[0] == NULL || *pids[0] == '\0' ? 0 : g_strv_length (pids);
}

static gboolean
no_children (gpointer data)
{
  return count_children () == 0;
}

/* 100 cycles of 4 writer children spawned and stopped on a writable POSIX
 * segment: none is left, alive or zombie, after each stop has been reaped. */
static void
test_writer_cycles (void)
{
  gsize size = 16 * ps_test_page_size ();
  g_autofree char *posix = ps_test_posix_segment ("chaos-cycles", size);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSession) session = ps_session_new (log);
  g_autoptr(GError) error = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_POSIX, .name = posix, .flags = PS_MAP_WRITABLE };
  PsSpawnArgs spawn;

  g_assert_cmpuint (count_children (), ==, 0);
  g_assert_true (ps_session_open (session, &spec, &error));
  g_assert_true (ps_spawn_args_parse ("4 counter 1000", &spawn, NULL));
  for (int cycle = 0; cycle < 100; cycle++)
    {
      g_assert_true (ps_session_spawn_writers (session, &spawn, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count_children (), >=, 4);
      g_assert_true (ps_session_stop_writers (session, 0, &error));
      g_assert_no_error (error);
      g_assert_true (ps_test_wait_until (no_children, NULL, 10000));
    }
  ps_session_close (session);
  g_assert_cmpuint (count_children (), ==, 0);
}

/* ---- huge sparse objects ---- */

/* A field of /proc/self/status, in KiB. */
static guint64
status_kib (const char *field)
{
  g_autofree char *text = NULL;
  const char *at;

  g_assert_true (g_file_get_contents ("/proc/self/status", &text, NULL, NULL));
  at = strstr (text, field);
  g_assert_nonnull (at);
  return g_ascii_strtoull (at + strlen (field) + 1, NULL, 10);
}

/* What watching a sparse object may cost at most: before chunks, 16 bytes
 * a page (4 GiB for 1 TiB, 256 MiB for 64 GiB); now a few bytes a chunk. */
#define SPARSE_RSS_LIMIT_KIB  (96 * 1024)

/* One whole scan of a sparse object whose written pages are at offsets:
 * every page accounted for, the written ones resident, the allocated size
 * unchanged, the process's memory bounded. */
static void
scan_sparse (PsSource      *source,
             int            fd,
             const guint64 *offsets,
             guint          n_offsets,
             guint64        size)
{
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  guint64 page = ps_test_page_size ();
  guint64 allocated = ps_test_allocated (fd);
  guint64 rss_before = status_kib ("VmRSS:");
  g_autoptr(PsFrame) frame = NULL;
  gint64 t0 = g_get_monotonic_time ();

  frame = ps_scanner_scan_now (scanner);
  g_test_message ("%" G_GUINT64_FORMAT " pages scanned in %.1f s: VmHWM %" G_GUINT64_FORMAT " KiB, VmRSS %"
                  G_GUINT64_FORMAT " -> %" G_GUINT64_FORMAT " KiB, frame %" G_GSIZE_FORMAT " bytes, scanner %"
                  G_GSIZE_FORMAT " bytes", frame->n_pages, (g_get_monotonic_time () - t0) / 1e6,
                  status_kib ("VmHWM:"), rss_before, status_kib ("VmRSS:"), ps_frame_get_memory (frame),
                  ps_scanner_get_state_bytes (scanner));
  g_assert_cmpuint (frame->n_pages, ==, size / page);
  g_assert_true (frame->flags & PS_FRAME_SWEEP_DONE);
  g_assert_cmpuint (frame->n_resident + frame->n_absent + frame->n_unknown, ==, frame->n_pages);
  for (guint i = 0; i < n_offsets; i++)
    {
      g_assert_cmpint (ps_frame_page_state (frame, offsets[i] / page), ==, PS_PAGE_RESIDENT);
      g_assert_cmpint (ps_frame_page (frame, offsets[i] / page)->content, !=, PS_CONTENT_ZERO);
    }
  g_assert_cmpint (ps_frame_page_state (frame, frame->n_pages / 2 + 1), ==, PS_PAGE_ABSENT);
  g_assert_cmpuint (frame->n_resident, <=, 1024);
  g_assert_cmpuint (ps_frame_get_memory (frame), <, (gsize) SPARSE_RSS_LIMIT_KIB * 1024);
  /* what the open dialog and the command line say it costs is not less */
  g_assert_cmpuint (ps_frame_get_memory (frame) + ps_scanner_get_state_bytes (scanner), <=,
                    ps_frame_watch_cost (frame->n_pages, frame->n_resident));
  g_assert_cmpuint (ps_frame_watch_cost (frame->n_pages, frame->n_resident), <, PS_WATCH_WARN_BYTES);
  g_assert_cmpuint (ps_test_allocated (fd), ==, allocated);
  g_assert_cmpuint (status_kib ("VmRSS:") - MIN (rss_before, status_kib ("VmRSS:")), <, SPARSE_RSS_LIMIT_KIB);
  g_assert_cmpuint (status_kib ("VmHWM:"), <, rss_before + SPARSE_RSS_LIMIT_KIB);
}

static void
write_at (int            fd,
          const guint64 *offsets,
          guint          n)
{
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (pwrite (fd, "pagescope", 9, offsets[i]), ==, 9);
}

static void
test_huge_sparse_file (void)
{
  const guint64 size = (guint64) 1 << 40;
  const guint64 offsets[] = { 0, size / 2, size - ps_test_page_size () };
  g_autofree char *path = ps_test_temp_path ("huge-sparse");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GError) error = NULL;
  int fd = open (path, O_RDWR | O_CREAT | O_EXCL, 0600);

  g_assert_cmpint (fd, >=, 0);
  if (ftruncate (fd, size) != 0)
    {
      g_test_skip_printf ("no 1 TiB sparse file here: ftruncate: %s", g_strerror (errno));
      close (fd);
      return;
    }
  write_at (fd, offsets, G_N_ELEMENTS (offsets));
  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  scan_sparse (source, fd, offsets, G_N_ELEMENTS (offsets), size);
  close (fd);
}

static void
test_huge_sparse_posix (void)
{
  const guint64 size = (guint64) 64 << 30;
  const guint64 offsets[] = { 0, size / 2, size - ps_test_page_size () };
  g_autofree char *name = ps_test_posix_segment ("huge-sparse", size);
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GError) error = NULL;
  int fd = shm_open (name, O_RDWR, 0);

  g_assert_cmpint (fd, >=, 0);
  write_at (fd, offsets, G_N_ELEMENTS (offsets));
  source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  scan_sparse (source, fd, offsets, G_N_ELEMENTS (offsets), size);
  close (fd);
}

int
main (int    argc,
      char **argv)
{
  ps_test_init (&argc, &argv);

  g_test_add_func ("/chaos/read-only-untouched", test_read_only_untouched);
  g_test_add_func ("/chaos/writer-cycles", test_writer_cycles);
  g_test_add_func ("/chaos/huge-sparse-file", test_huge_sparse_file);
  g_test_add_func ("/chaos/huge-sparse-posix", test_huge_sparse_posix);
  return g_test_run ();
}
