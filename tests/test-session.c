/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsSession without a display: every operation the app offers, acted on a
 * real mapping, checked from outside (the file through its own descriptor,
 * /proc/self/smaps, child processes). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ps-session.h"
#include "ps-test-util.h"

typedef struct
{
  PsSession  *session;
  PsEventLog *log;
  gsize       page;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->log = ps_event_log_new ();
  f->session = ps_session_new (f->log);
  f->page = ps_test_page_size ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* closing reaps every child the session made: none is left behind */
  ps_session_close (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->log);
}

static void
open_file (Fixture    *f,
           const char *path,
           PsMapFlags  flags,
           guint64     length)
{
  g_autoptr(GError) error = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_FILE, .path = (char *) path, .flags = flags, .length = length };

  g_assert_true (ps_session_open (f->session, &spec, &error));
  g_assert_no_error (error);
}

static char *
file_contents (const char *path,
               gsize      *len)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, NULL));
  return contents;
}

/* ---- write and undo ---- */

static void
test_write_undo (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-write", 2 * f->page, 'a');
  g_autoptr(GBytes) bytes = g_bytes_new_static ("HELLO", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autofree char *restored = NULL;
  PsWriteReport report;
  gsize len;

  open_file (f, path, PS_MAP_WRITABLE, 0);
  g_assert_false (ps_session_can_undo (f->session));

  g_assert_true (ps_session_write (f->session, f->page - 2, bytes, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.written, ==, 5);
  g_assert_true (ps_session_can_undo (f->session));
  after = file_contents (path, &len);
  g_assert_cmpmem (after + f->page - 2, 5, "HELLO", 5);

  g_assert_true (ps_session_undo (f->session, &report, &error));
  g_assert_no_error (error);
  g_assert_true (report.undo);
  restored = file_contents (path, &len);
  g_assert_cmpmem (restored + f->page - 2, 5, "aaaaa", 5);

  /* nothing left to undo: refused, and said why, in the error and the log */
  g_assert_false (ps_session_can_undo (f->session));
  g_assert_false (ps_session_undo (f->session, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  ps_assert_contains (error->message, "nothing to undo");
  g_assert_true (ps_test_log_has (f->log, "undo: there is nothing to undo"));
}

/* The history is bounded: the newest 100 writes, and at most 64 MiB of
 * previous bytes, can be undone; older ones are forgotten, not replayed. */
static void
test_write_undo_bounded (Fixture       *f,
                         gconstpointer  data)
{
  gsize big = 24 * 1024 * 1024;
  g_autofree char *path = ps_test_file ("session-undo-cap", 3 * big, 'a');
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) fill = NULL;
  guint undone = 0;
  gsize len;

  open_file (f, path, PS_MAP_WRITABLE, 0);
  for (guint i = 0; i < 150; i++)
    {
      g_autoptr(GBytes) one = g_bytes_new ("B", 1);

      g_assert_true (ps_session_write (f->session, i, one, NULL, &error));
      g_assert_no_error (error);
    }
  while (ps_session_undo (f->session, NULL, NULL))
    undone++;
  g_assert_cmpuint (undone, ==, 100);
  after = file_contents (path, &len);
  /* the 50 oldest writes stay, the 100 newest are undone */
  for (guint i = 0; i < 150; i++)
    g_assert_cmpint (after[i], ==, i < 50 ? 'B' : 'a');
  g_clear_pointer (&after, g_free);

  /* three writes of 24 MiB: the oldest's 24 MiB of history goes */
  fill = g_bytes_new_take (g_malloc (big), big);
  memset ((char *) g_bytes_get_data (fill, NULL), 'C', big);
  for (guint i = 0; i < 3; i++)
    g_assert_true (ps_session_write (f->session, i * big, fill, NULL, &error));
  undone = 0;
  while (ps_session_undo (f->session, NULL, NULL))
    undone++;
  g_assert_cmpuint (undone, ==, 2);
  after = file_contents (path, &len);
  g_assert_cmpint (after[big - 1], ==, 'C');
  g_assert_cmpint (after[big], ==, 'a');
  g_assert_cmpint (after[3 * big - 1], ==, 'a');
}

static void
test_write_read_only (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-ro", f->page, 'r');
  g_autoptr(GBytes) bytes = g_bytes_new_static ("X", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  gsize len;

  open_file (f, path, PS_MAP_DEFAULT, 0);
  g_assert_false (ps_session_write (f->session, 0, bytes, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  ps_assert_contains (error->message, "write-bytes: ");
  ps_assert_contains (error->message, "read-only");
  g_assert_false (ps_session_can_undo (f->session));
  after = file_contents (path, &len);
  g_assert_cmpint (after[0], ==, 'r');
}

/* A write that faults partway is undoable for exactly what it wrote. */
static void
test_write_partial (Fixture       *f,
                    gconstpointer  data)
{
  gsize size = f->page + 100;
  g_autofree char *path = ps_test_file ("session-partial", size, 'p');
  g_autofree guint8 *payload = g_malloc (2 * f->page);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *during = NULL, *after = NULL;
  gsize len;
  PsWriteReport report;
  guint64 at = f->page - 96;

  before = file_contents (path, &len);
  memset (payload, 'B', 2 * f->page);
  bytes = g_bytes_new (payload, 2 * f->page);
  open_file (f, path, PS_MAP_WRITABLE, 4 * f->page);

  g_assert_false (ps_session_write (f->session, at, bytes, &report, &error));
  g_assert_nonnull (error);
  ps_assert_contains (error->message, "SIGBUS");
  g_assert_cmpuint (report.written, ==, 2 * f->page - at);
  g_assert_true (ps_session_can_undo (f->session));
  during = file_contents (path, &len);
  g_assert_cmpint (during[size - 1], ==, 'B');
  g_clear_error (&error);

  g_assert_true (ps_session_undo (f->session, &report, &error));
  g_assert_no_error (error);
  after = file_contents (path, &len);
  g_assert_cmpmem (after, len, before, size);
}

/* ---- msync ---- */

typedef struct
{
  gboolean       done;
  gboolean       ok;
  PsMsyncReport  report;
  PsProbeResult  probe;
  PsSweepReport  sweep;
  GError        *error;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static void
on_msync (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Wait *w = data;

  w->ok = ps_session_msync_finish (PS_SESSION (object), result, &w->report, &w->error);
  w->done = TRUE;
}

/* What msync changes: the mapping's dirty pages (smaps, before and after),
 * and the bytes on disk (read once the mapping is gone and the clean page
 * cache dropped: a page still mapped stays cached). */
static void
test_msync (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = ps_test_disk_file ("session-msync", 8 * f->page, 'm');
  g_autoptr(GBytes) disk = NULL;
  PsSource *source;
  Wait w = { 0 };
  guint8 *map;

  if (path == NULL)
    {
      g_test_skip ("no temporary directory on a disk file system: msync writes nothing back on tmpfs");
      return;
    }
  open_file (f, path, PS_MAP_WRITABLE, 0);
  source = ps_session_get_source (f->session);
  map = ps_source_get_data (source);
  for (guint i = 0; i < 8; i++)
    map[i * f->page] = 'D';

  ps_session_msync_async (f->session, NULL, MS_SYNC, NULL, on_msync, &w);
  g_assert_true (ps_session_is_syncing (f->session));
  g_assert_true (ps_test_wait_until (wait_done, &w, 10000));
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_false (ps_session_is_syncing (f->session));

  /* eight pages were dirty (this process alone maps the file: smaps counts
   * them as Private_Dirty) and none is after */
  g_assert_cmpint (w.report.shared_dirty_before + w.report.private_dirty_before, ==, 8 * (gint64) f->page);
  g_assert_cmpint (w.report.shared_dirty_after + w.report.private_dirty_after, ==, 0);

  ps_session_close (f->session);
  disk = ps_test_read_from_disk (path, 5 * f->page, 1);
  if (disk != NULL)
    g_assert_cmpint (((const char *) g_bytes_get_data (disk, NULL))[0], ==, 'D');
}

/* Closing while msync runs never waits for it; the mapping goes when it
 * returns. */
static void
test_msync_close (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-msync-close", 64 * f->page, 'c');
  Wait w = { 0 };
  guint8 *map;

  open_file (f, path, PS_MAP_WRITABLE, 0);
  map = ps_source_get_data (ps_session_get_source (f->session));
  memset (map, 'x', 64 * f->page);
  ps_session_msync_async (f->session, NULL, MS_SYNC, NULL, on_msync, &w);
  ps_session_close (f->session);
  g_assert_false (ps_session_is_open (f->session));
  g_assert_true (ps_test_wait_until (wait_done, &w, 10000));
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  g_assert_false (ps_session_is_syncing (f->session));
}

/* ---- writer children ---- */

static gboolean
writers_done (gpointer data)
{
  PsWriters *writers = data;

  return ps_writers_get_n_running (writers) == 0;
}

static void
test_writers (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-writers", f->page, 0);
  g_autoptr(GError) error = NULL;
  PsSpawnArgs args;
  PsRange selection = { 64, 8 };
  guint64 value = 0;
  g_autofree char *contents = NULL;
  gsize len;

  open_file (f, path, PS_MAP_WRITABLE, 0);
  /* the counter of 1 writer, 25 writes, in the selection: the 8 bytes at 64 */
  ps_session_set_selection (f->session, &selection);
  g_assert_true (ps_spawn_args_parse ("1 counter max count=25", &args, &error));
  g_assert_true (ps_session_spawn_writers (f->session, &args, &error));
  g_assert_no_error (error);
  g_assert_true (ps_test_wait_until (writers_done, ps_session_get_writers (f->session), 10000));
  contents = file_contents (path, &len);
  memcpy (&value, contents + 64, 8);
  g_assert_cmpuint (GUINT64_FROM_LE (value), ==, 25);

  /* nothing running: stop-writers says so */
  g_assert_false (ps_session_stop_writers (f->session, 0, &error));
  ps_assert_contains (error->message, "no writer child is running");
  g_clear_error (&error);
  g_assert_false (ps_session_stop_writers (f->session, 1, &error));
  ps_assert_contains (error->message, "1 is not one of this session's writer children");
  g_assert_true (ps_test_log_has (f->log, "stop-writers: 1 is not one"));
}

/* ---- probes ---- */

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
test_probe (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-probe", 100, 'p');
  g_autoptr(GBytes) marks = NULL;
  Wait w = { 0 };

  open_file (f, path, PS_MAP_DEFAULT, 3 * f->page);
  ps_session_probe_async (f->session, f->page, FALSE, NULL, on_probe, &w);
  g_assert_true (ps_test_wait_until (wait_done, &w, 10000));
  g_assert_no_error (w.error);
  g_assert_cmpint (w.probe.outcome, ==, PS_PROBE_SIGBUS);

  marks = ps_session_get_probe_marks (f->session);
  g_assert_nonnull (marks);
  g_assert_cmpuint (g_bytes_get_size (marks), ==, 4);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (marks, NULL))[1], ==, PS_PROBE_SIGBUS + 1);

  /* a write probe on a read-only mapping is refused before any child */
  memset (&w, 0, sizeof w);
  ps_session_probe_async (f->session, 0, TRUE, NULL, on_probe, &w);
  g_assert_true (ps_test_wait_until (wait_done, &w, 10000));
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_clear_error (&w.error);
}

static void
on_sweep (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Wait *w = data;

  w->ok = ps_session_sweep_finish (PS_SESSION (object), result, &w->sweep, &w->error);
  w->done = TRUE;
}

static void
test_sweep (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-sweep", 100, 's');
  Wait w = { 0 };

  open_file (f, path, PS_MAP_DEFAULT, 6 * f->page);
  ps_session_sweep_async (f->session, FALSE, NULL, on_sweep, &w);
  g_assert_true (ps_session_is_sweeping (f->session));
  g_assert_true (ps_test_wait_until (wait_done, &w, 20000));
  g_assert_no_error (w.error);
  /* page 0 holds EOF (zero tail), 1..5 are wholly past it, 6 is the guard */
  g_assert_cmpuint (w.sweep.total, ==, 7);
  g_assert_cmpuint (w.sweep.done, ==, 7);
  g_assert_cmpuint (w.sweep.counts[PS_PROBE_ZERO_TAIL], ==, 1);
  g_assert_cmpuint (w.sweep.counts[PS_PROBE_SIGBUS], ==, 5);
  g_assert_cmpuint (w.sweep.counts[PS_PROBE_SIGSEGV], ==, 1);
  g_assert_false (w.sweep.cancelled);
}

/* A whole sweep of a 100-byte file mapped 1 GiB long: 262,145 pages at
 * 4 KiB, every one probed (one fork per page took hours here; the children
 * that catch each fault and go on take moments), with the outcome the
 * geometry predicts for each, and no child left. */
static void
test_sweep_whole (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-sweep-whole", 100, 's');
  g_autoptr(GBytes) marks = NULL;
  const guint8 *m;
  guint64 pages = ((guint64) 1 << 30) / f->page;
  Wait w = { 0 };
  gsize n;
  int status;

  open_file (f, path, PS_MAP_DEFAULT, (guint64) 1 << 30);
  ps_session_sweep_async (f->session, FALSE, NULL, on_sweep, &w);
  g_assert_true (ps_test_wait_until (wait_done, &w, 120000));
  g_assert_no_error (w.error);
  g_assert_false (w.sweep.cancelled);
  g_assert_cmpuint (w.sweep.total, ==, pages + 1);
  g_assert_cmpuint (w.sweep.done, ==, pages + 1);
  g_assert_cmpuint (w.sweep.counts[PS_PROBE_ZERO_TAIL], ==, 1);
  g_assert_cmpuint (w.sweep.counts[PS_PROBE_SIGBUS], ==, pages - 1);
  g_assert_cmpuint (w.sweep.counts[PS_PROBE_SIGSEGV], ==, 1);
  g_assert_cmpuint (w.sweep.counts[PS_PROBE_OTHER], ==, 0);

  /* the marks say the same page by page */
  marks = ps_session_get_probe_marks (f->session);
  m = g_bytes_get_data (marks, &n);
  g_assert_cmpuint (n, ==, pages + 1);
  g_assert_cmpuint (m[0], ==, PS_PROBE_ZERO_TAIL + 1);
  for (guint64 i = 1; i < pages; i++)
    if (m[i] != PS_PROBE_SIGBUS + 1)
      g_error ("page %" G_GUINT64_FORMAT ": mark %u, not SIGBUS", i, m[i]);
  g_assert_cmpuint (m[pages], ==, PS_PROBE_SIGSEGV + 1);
  g_assert_cmpint (waitpid (-1, &status, WNOHANG), ==, -1);
}

typedef struct
{
  Wait     *wait;
  guint     ticks;
  PsSession *session;
} Ticker;

static gboolean
on_tick (gpointer data)
{
  Ticker *t = data;
  PsSweepReport report;

  t->ticks++;
  ps_session_get_sweep_report (t->session, &report);
  /* cancel once the loop has run a few times beside it */
  if (t->ticks == 5)
    ps_session_cancel_sweep (t->session);
  return G_SOURCE_CONTINUE;
}

/* A sweep over a mapping far past EOF (262,143 pages of 4 KiB at 1 GiB)
 * runs beside the main loop, which keeps dispatching other sources, and can
 * be cancelled; no child is left. */
static void
test_sweep_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-sweep-cancel", 100, 's');
  Wait w = { 0 };
  Ticker t = { &w, 0, f->session };
  guint tick;
  int status;

  open_file (f, path, PS_MAP_DEFAULT, (guint64) 1 << 30);
  ps_session_sweep_async (f->session, FALSE, NULL, on_sweep, &w);
  tick = g_timeout_add (10, on_tick, &t);
  g_assert_true (ps_test_wait_until (wait_done, &w, 60000));
  g_source_remove (tick);
  g_assert_no_error (w.error);
  g_assert_true (w.sweep.cancelled);
  g_assert_cmpuint (w.sweep.done, <, w.sweep.total);
  g_assert_cmpuint (t.ticks, >=, 5);
  g_assert_false (ps_session_is_sweeping (f->session));
  /* every probe child was reaped */
  g_assert_cmpint (waitpid (-1, &status, WNOHANG), ==, -1);
}

/* Closing in the middle of a sweep kills and reaps its children now. */
static void
test_sweep_close (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-sweep-close", 100, 's');
  Wait w = { 0 };
  int status;

  open_file (f, path, PS_MAP_DEFAULT, (guint64) 1 << 30);
  ps_session_sweep_async (f->session, FALSE, NULL, on_sweep, &w);
  ps_session_close (f->session);
  g_assert_true (ps_test_wait_until (wait_done, &w, 10000));
  g_assert_no_error (w.error);
  g_assert_true (w.sweep.cancelled);
  g_assert_cmpint (waitpid (-1, &status, WNOHANG), ==, -1);
}

/* ---- watches ---- */

static void
on_watch_changed (PsWatch    *watch,
                  const char *old,
                  const char *new,
                  GPtrArray  *seen)
{
  g_ptr_array_add (seen, g_strdup (new));
}

typedef struct
{
  PsWatch   *watch;
  PsWriters *writers;
} WatchWait;

static gboolean
watch_reaches_200 (gpointer data)
{
  WatchWait *w = data;

  return ps_writers_get_n_running (w->writers) == 0 && g_strcmp0 (ps_watch_get_value (w->watch), "200") == 0;
}

/* A writer child increments a u64 counter at 0x40 200 times: the watch never
 * shows a value the writer did not write, its values only increase, it ends
 * at 200, and its change count is the number of values it showed. */
static void
test_watch_counter (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-watch", f->page, 0);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_auto(PsWatchSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  PsSpawnArgs args;
  PsWatch *watch;
  WatchWait w;
  guint64 last = 0;

  open_file (f, path, PS_MAP_WRITABLE, 0);
  ps_session_set_interval (f->session, 10);
  g_assert_true (ps_watch_spec_parse ("c:u64@0x40", &spec, &error));
  watch = ps_session_add_watch (f->session, &spec, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ps_watch_get_value (watch), ==, "0");
  g_signal_connect (watch, "changed", G_CALLBACK (on_watch_changed), seen);

  g_assert_true (ps_spawn_args_parse ("1 counter 1000 count=200 offset=0x40 length=8", &args, &error));
  g_assert_true (ps_session_spawn_writers (f->session, &args, &error));
  w = (WatchWait) { watch, ps_session_get_writers (f->session) };
  g_assert_true (ps_test_wait_until (watch_reaches_200, &w, 20000));

  g_assert_cmpuint (seen->len, >, 0);
  for (guint i = 0; i < seen->len; i++)
    {
      guint64 v = g_ascii_strtoull (g_ptr_array_index (seen, i), NULL, 10);

      g_assert_cmpuint (v, >, last);
      g_assert_cmpuint (v, <=, 200);
      last = v;
    }
  g_assert_cmpuint (last, ==, 200);
  g_assert_cmpuint (ps_watch_get_changes (watch), ==, seen->len);

  /* the same name twice, and a watch past the mapping, are refused */
  g_assert_null (ps_session_add_watch (f->session, &spec, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_free (spec.name);
  spec.name = g_strdup ("far");
  spec.offset = f->page - 4;
  g_assert_null (ps_session_add_watch (f->session, &spec, &error));
  ps_assert_contains (error->message, "does not lie inside the mapping");
}

/* ---- marks, go to, annotations, export ---- */

static gboolean
lookup_mark (const char *name,
             guint64    *offset,
             gpointer    data)
{
  PsMark *mark = ps_session_find_mark (data, name);

  if (mark != NULL)
    *offset = ps_mark_get_offset (mark);
  return mark != NULL;
}

static void
test_marks_and_goto (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-marks", 4 * f->page, 'm');
  g_autoptr(GError) error = NULL;
  PsRange range = { 0x100, 16 };
  PsMark *mark;
  guint64 at;

  open_file (f, path, PS_MAP_DEFAULT, 0);
  mark = ps_session_add_mark (f->session, "header", &range, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ps_mark_get_offset (mark), ==, 0x100);
  mark = ps_session_add_mark (f->session, NULL, &(PsRange) { 0x2000, 8 }, &error);
  g_assert_cmpstr (ps_mark_get_name (mark), ==, "mark 1");
  g_assert_null (ps_session_add_mark (f->session, "header", &range, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (ps_session_add_mark (f->session, "9lives", &range, &error));
  g_clear_error (&error);
  g_assert_null (ps_session_add_mark (f->session, "far", &(PsRange) { 4 * f->page - 1, 2 }, &error));
  g_clear_error (&error);

  g_assert_true (ps_goto_parse ("0x10", 0, 4 * f->page, f->page, lookup_mark, f->session, &at, &error) && at == 0x10);
  g_assert_true (ps_goto_parse ("+16", 0x10, 4 * f->page, f->page, lookup_mark, f->session, &at, &error) && at == 0x20);
  g_assert_true (ps_goto_parse ("-0x10", 0x20, 4 * f->page, f->page, lookup_mark, f->session, &at, &error) && at == 0x10);
  g_assert_true (ps_goto_parse ("page 2", 0, 4 * f->page, f->page, lookup_mark, f->session, &at, &error) && at == 2 * f->page);
  g_assert_true (ps_goto_parse ("end", 0, 4 * f->page, f->page, lookup_mark, f->session, &at, &error) && at == 4 * f->page - 1);
  g_assert_true (ps_goto_parse ("header", 0, 4 * f->page, f->page, lookup_mark, f->session, &at, &error) && at == 0x100);
  g_assert_true (ps_goto_parse ("mark 1", 0, 4 * f->page, f->page, lookup_mark, f->session, &at, &error) && at == 0x2000);
  g_assert_no_error (error);
  g_assert_false (ps_goto_parse ("-1", 0, 4 * f->page, f->page, lookup_mark, f->session, &at, &error));
  ps_assert_contains (error->message, "outside the mapping");
  g_clear_error (&error);
  g_assert_false (ps_goto_parse ("page 4", 0, 4 * f->page, f->page, lookup_mark, f->session, &at, &error));
  g_clear_error (&error);
  g_assert_false (ps_goto_parse ("nowhere", 0, 4 * f->page, f->page, lookup_mark, f->session, &at, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_annotations_round_trip (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("session-annotations", 2 * f->page, 'a');
  g_autoptr(GError) error = NULL;
  g_auto(PsWatchSpec) spec = { 0 };
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;

  open_file (f, path, PS_MAP_DEFAULT, 0);
  g_assert_true (ps_watch_spec_parse ("seq:u32be@0x40", &spec, &error));
  g_assert_nonnull (ps_session_add_watch (f->session, &spec, &error));
  g_assert_nonnull (ps_session_add_mark (f->session, "head", &(PsRange) { 0, 64 }, &error));
  json = ps_session_export_annotations (f->session);
  ps_assert_contains (json, "\"seq\"");
  ps_assert_contains (json, "\"u32be\"");

  /* another session on the same file takes them back */
  ps_session_close (f->session);
  open_file (f, path, PS_MAP_DEFAULT, 0);
  g_assert_true (ps_session_import_annotations (f->session, json, &error));
  g_assert_no_error (error);
  g_assert_nonnull (ps_session_find_watch (f->session, "seq"));
  g_assert_nonnull (ps_session_find_mark (f->session, "head"));
  again = ps_session_export_annotations (f->session);
  g_assert_cmpstr (again, ==, json);

  /* a bad one changes nothing */
  g_assert_false (ps_session_import_annotations (f->session,
                  "{\"pagescope-annotations\":1,\"watches\":[{\"name\":\"x\",\"type\":\"u8\",\"offset\":1}],"
                  "\"marks\":[{\"name\":\"far\",\"offset\":999999,\"length\":1}]}", &error));
  g_clear_error (&error);
  g_assert_null (ps_session_find_watch (f->session, "x"));
  g_assert_false (ps_session_import_annotations (f->session, "[1,2", &error));
  g_clear_error (&error);
  g_assert_false (ps_session_import_annotations (f->session, "{\"marks\":[]}", &error));
  ps_assert_contains (error->message, "pagescope-annotations");
}

static void
on_export (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  Wait *w = data;

  w->ok = ps_session_export_finish (PS_SESSION (object), result, &w->error) >= 0;
  w->done = TRUE;
}

/* A sparse segment exported: the same bytes, the same holes, and the
 * segment allocated no more than before. */
static void
test_export_sparse (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *name = ps_test_posix_name ("session-export");
  g_autofree char *out = g_build_filename (g_get_tmp_dir (), "pagescope-test-export-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_POSIX, .name = name };
  PsRangeArg whole = { TRUE, 0, 0 };
  Wait w = { 0 };
  guint64 allocated;
  int shm, fd;
  g_autofree guint8 *a = g_malloc (f->page), *b = g_malloc (f->page);

  shm = shm_open (name, O_RDWR | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (shm, >=, 0);
  ps_test_queue_shm_unlink (name);
  g_assert_cmpint (ftruncate (shm, 1024 * f->page), ==, 0);
  g_assert_cmpint (pwrite (shm, "first", 5, 3 * f->page + 1), ==, 5);
  g_assert_cmpint (pwrite (shm, "last", 4, 1024 * f->page - 4), ==, 4);
  allocated = ps_test_allocated (shm);
  fd = g_mkstemp (out);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  ps_test_queue_unlink (out);

  g_assert_true (ps_session_open (f->session, &spec, &error));
  ps_session_export_async (f->session, &whole, out, NULL, on_export, &w);
  g_assert_true (ps_test_wait_until (wait_done, &w, 20000));
  g_assert_no_error (w.error);

  fd = open (out, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  /* the same bytes where there are any */
  for (guint64 p = 0; p < 1024; p += 1)
    if (p == 3 || p == 1023 || p % 100 == 0)
      {
        g_assert_cmpint (pread (shm, a, f->page, p * f->page), ==, (gssize) f->page);
        g_assert_cmpint (pread (fd, b, f->page, p * f->page), ==, (gssize) f->page);
        g_assert_cmpmem (a, f->page, b, f->page);
      }
  /* and the same holes: data only at pages 3 and 1023 */
  g_assert_cmpint (lseek (fd, 0, SEEK_DATA), ==, (off_t) (3 * f->page));
  g_assert_cmpint (lseek (fd, 3 * f->page, SEEK_HOLE), ==, (off_t) (4 * f->page));
  g_assert_cmpint (lseek (fd, 4 * f->page, SEEK_DATA), ==, (off_t) (1023 * f->page));
  g_assert_cmpuint (ps_test_allocated (shm), ==, allocated);
  close (fd);
  close (shm);
}

/* ---- nothing open ---- */

static void
test_nothing_open (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  PsSpawnArgs args = { 0 };

  g_assert_false (ps_session_write (f->session, 0, bytes, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  ps_assert_contains (error->message, "write-bytes: nothing is open");
  g_clear_error (&error);
  g_assert_false (ps_session_undo (f->session, NULL, &error));
  g_clear_error (&error);
  g_assert_false (ps_session_spawn_writers (f->session, &args, &error));
  g_clear_error (&error);
  g_assert_false (ps_session_stop_writers (f->session, 123, &error));
  ps_assert_contains (error->message, "stop-writers: nothing is open");
  g_assert_true (ps_test_log_has (f->log, "stop-writers: nothing is open"));
}

/* ---- a removed segment ---- */

static void
test_remove (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *name = ps_test_posix_name ("session-remove");
  g_autoptr(GError) error = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_POSIX, .name = name, .create = TRUE, .size = f->page };
  guint removed = 0;
  int fd;

  ps_test_queue_shm_unlink (name);
  g_assert_true (ps_session_open (f->session, &spec, &error));
  g_assert_no_error (error);
  g_signal_connect_swapped (f->session, "removed", G_CALLBACK (g_atomic_int_inc), &removed);
  g_assert_true (ps_session_remove (f->session, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 1);
  fd = shm_open (name, O_RDONLY, 0);
  g_assert_cmpint (fd, ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  ps_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/session/write/undo", test_write_undo);
  ADD ("/session/write/undo-bounded", test_write_undo_bounded);
  ADD ("/session/write/read-only", test_write_read_only);
  ADD ("/session/write/partial", test_write_partial);
  ADD ("/session/msync/dirty-pages", test_msync);
  ADD ("/session/msync/close", test_msync_close);
  ADD ("/session/writers", test_writers);
  ADD ("/session/probe", test_probe);
  ADD ("/session/sweep/all", test_sweep);
  ADD ("/session/sweep/whole", test_sweep_whole);
  ADD ("/session/sweep/cancel", test_sweep_cancel);
  ADD ("/session/sweep/close", test_sweep_close);
  ADD ("/session/nothing-open", test_nothing_open);
  ADD ("/session/remove", test_remove);
  ADD ("/session/watch/counter", test_watch_counter);
  ADD ("/session/marks-and-goto", test_marks_and_goto);
  ADD ("/session/annotations", test_annotations_round_trip);
  ADD ("/session/export-sparse", test_export_sparse);
#undef ADD
  return g_test_run ();
}
