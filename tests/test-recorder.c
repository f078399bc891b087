/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsRecorder and PsReplay without a display: a session on a real file,
 * passes driven one by one (ps_scanner_scan_now), the recording checked
 * through SQLite itself and read back through PsReplay. */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>
#include <xxhash.h>

#include "ps-recorder.h"
#include "ps-replay.h"
#include "ps-test-util.h"

typedef struct
{
  PsEventLog *log;
  PsSession  *session;
  gsize       page;
  char       *file;
  char       *dir;
  char       *path;       /* the recording */
  PsRecorder *recorder;
} Fixture;

static void
remove_dir (gpointer data)
{
  g_autofree char *dir = data;
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-record-XXXXXX", (int) getpid ());
  PsSourceSpec spec = { .kind = PS_SOURCE_FILE, .flags = PS_MAP_WRITABLE };

  f->page = ps_test_page_size ();
  f->log = ps_event_log_new ();
  f->session = ps_session_new (f->log);
  f->file = ps_test_make_file ("record-src", 64 * f->page, 'a');
  f->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "t.pagescope-trace", NULL);

  spec.path = f->file;
  g_assert_true (ps_session_open (f->session, &spec, &error));
  g_assert_no_error (error);
  /* passes by hand, one at a time */
  ps_scanner_stop (ps_session_get_scanner (f->session));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->recorder != NULL)
    ps_recorder_stop (f->recorder, NULL);
  g_clear_object (&f->recorder);
  ps_session_close (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->log);
  unlink (f->file);
  g_free (f->file);
  g_free (f->path);
  remove_dir (f->dir);
}

static gboolean
delivered (gpointer data)
{
  Fixture *f = data;
  PsFrame *mine = g_object_get_data (G_OBJECT (f->session), "want");
  PsFrame *frame = ps_session_get_frame (f->session);

  return frame != NULL && frame->serial >= mine->serial;
}

/* One pass, and its frame through the main context (the watches read it). */
static void
pass (Fixture *f)
{
  PsFrame *frame = ps_scanner_scan_now (ps_session_get_scanner (f->session));

  g_object_set_data_full (G_OBJECT (f->session), "want", frame, (GDestroyNotify) ps_frame_unref);
  g_assert_true (ps_test_wait_until (delivered, f, 10000));
  /* the next pass gets a later stamp (ms) */
  g_usleep (2000);
}

static void
write_at (Fixture    *f,
          guint64     offset,
          const void *bytes,
          gsize       len)
{
  int fd = open (f->file, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, bytes, len, offset), ==, (ssize_t) len);
  close (fd);
}

static void
start (Fixture *f,
       guint64  cap)
{
  g_autoptr(GError) error = NULL;

  f->recorder = ps_recorder_start (f->session, f->path, cap, PS_RECORDER_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->recorder);
}

static void
stop (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ps_recorder_stop (f->recorder, &error));
  g_assert_no_error (error);
}

/* The rows of a query, "a|b" a row, one a line, as the sqlite3 shell
 * prints them. */
static char *
query (const char *path,
       const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", text != NULL ? text : "");
        }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  g_autofree char *text = query (path, sql);

  return g_ascii_strtoll (text, NULL, 10);
}

static PsReplay *
replay (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  PsReplay *r = ps_replay_open (f->path, &error);

  g_assert_no_error (error);
  return r;
}

/* ---- the recording --------------------------------------------------------- */

/* Three pages written one pass apart: exactly those, in order, with their
 * new hash and later times; one keyframe of the states; a frame a pass. */
static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  static const guint64 pages[] = { 5, 2, 9 };
  g_autofree guint8 *expect = g_malloc (f->page);
  g_autofree char *rows = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *want = NULL;

  pass (f);
  start (f, PS_RECORDER_DEFAULT_CAP);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      write_at (f, pages[i] * f->page + 7, "X", 1);
      pass (f);
    }
  stop (f);

  rows = query (f->path, "SELECT page FROM changes ORDER BY rowid");
  g_assert_cmpstr (rows, ==, "5\n2\n9\n");
  g_assert_cmpint (query_int (f->path, "SELECT count(DISTINCT t) FROM changes"), ==, 3);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM changes a JOIN changes b ON b.rowid = a.rowid + 1 "
                                       "WHERE b.t <= a.t"), ==, 0);
  /* the hash is the page's XXH3, its 64 bits as a signed integer */
  memset (expect, 'a', f->page);
  expect[7] = 'X';
  want = g_strdup_printf ("%" G_GINT64_FORMAT "\n", (gint64) XXH3_64bits (expect, f->page));
  hash = query (f->path, "SELECT hash FROM changes WHERE page = 5");
  g_assert_cmpstr (hash, ==, want);
  g_assert_cmpint (query_int (f->path, "SELECT content FROM changes WHERE page = 5"), ==, PS_CONTENT_TEXT);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM keyframes WHERE n_pages = 64 AND length(pages) = 128"), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM frames"), ==, 3);
  g_assert_cmpint (query_int (f->path, "SELECT sum(n_changed) FROM frames"), ==, 3);
  g_assert_cmpint (query_int (f->path, "SELECT n_resident FROM frames ORDER BY t DESC LIMIT 1"), ==, 64);
  /* stopped cleanly: one file, its end said */
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM meta WHERE key = 'end_us'"), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT value FROM meta WHERE key = 'page_size'"), ==, (gint64) f->page);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    g_autofree char *mode = query (f->path, "PRAGMA journal_mode");

    g_assert_cmpstr (mode, ==, "delete\n");

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
}

/* A watch's page: copied once when followed, then only the bytes that
 * changed; its values; read back, the bytes are those written. */
static void
test_watch_bytes (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(PsWatchSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsReplay) r = NULL;
  g_autofree guint8 *expect = g_malloc (f->page);
  g_autofree guint8 *got = g_malloc (f->page);
  g_autofree guint8 *what = g_malloc (f->page);
  g_autofree char *rows = NULL;
  g_autofree char *values = NULL;
  g_autofree char *want = g_strdup_printf ("0|%zu|1\n96|16|0\n", f->page);
  g_autofree char *text = g_strdup_printf ("w:u32@%zu", 10 * f->page + 100);
  static const char written[] = "0123456789ABCDEF";

  g_assert_true (ps_watch_spec_parse (text, &spec, &error));
  g_assert_nonnull (ps_session_add_watch (f->session, &spec, &error));
  g_assert_no_error (error);
  pass (f);
  start (f, PS_RECORDER_DEFAULT_CAP);
  pass (f);                                  /* the copy of page 10 */
  write_at (f, 10 * f->page + 96, written, 16);
  pass (f);
  stop (f);

  rows = query (f->path, "SELECT offset - 10 * (SELECT value FROM meta WHERE key = 'page_size'), length(data), baseline "
                         "FROM bytes ORDER BY rowid");
  g_assert_cmpstr (rows, ==, want);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM tracked WHERE why = 'watch' AND t_end IS NOT NULL"), ==, 1);
  values = query (f->path, "SELECT name, value, hex(data) FROM watch_values ORDER BY rowid");
  g_assert_cmpstr (values, ==, "w|1633771873|61616161\nw|926299444|34353637\n");

  r = replay (f);
  memset (expect, 'a', f->page);
  memcpy (expect + 96, written, 16);
  g_assert_true (ps_replay_get_bytes (r, ps_replay_get_duration (r), 10 * f->page, f->page, got, what));
  g_assert_cmpmem (got, f->page, expect, f->page);
  for (gsize i = 0; i < f->page; i++)
    g_assert_cmpint (what[i], ==, PS_REPLAY_BYTE_RECORDED);
  g_assert_cmpuint (ps_replay_get_n_watches (r), ==, 1);
  g_assert_cmpstr (ps_replay_get_watch_value (r, 0, ps_replay_get_duration (r), NULL), ==, "926299444");
  g_assert_cmpstr (ps_replay_get_watch_value (r, 0, 0, NULL), ==, "1633771873");
  /* page 11 was never followed */
  g_assert_false (ps_replay_get_bytes (r, ps_replay_get_duration (r), 11 * f->page, 16, got, what));
  g_assert_cmpint (what[0], ==, PS_REPLAY_BYTE_UNKNOWN);
}

/* The focus window: copied where a window starts, changed runs after;
 * a window that moves is copied only where it is new, and what it left is
 * "stale" after that. */
static void
test_focus (Fixture       *f,
            gconstpointer  data)
{
  PsScanner *scanner = ps_session_get_scanner (f->session);
  guint64 base = 3 * f->page;
  g_autoptr(PsReplay) r = NULL;
  g_autofree char *rows = NULL;
  guint8 got[300], what[300];
  gint64 t_moved, t_first;

  ps_scanner_set_focus (scanner, base + 50, 200);
  pass (f);
  start (f, PS_RECORDER_DEFAULT_CAP);
  pass (f);
  write_at (f, base + 60, "YY", 2);
  write_at (f, base + 240, "Z", 1);
  pass (f);
  ps_scanner_set_focus (scanner, base + 150, 200);
  pass (f);
  stop (f);
  t_moved = query_int (f->path, "SELECT max(t_start) FROM tracked");
  t_first = query_int (f->path, "SELECT min(t) FROM bytes");

  rows = query (f->path, "SELECT offset - 3 * 4096, length(data), baseline FROM bytes ORDER BY rowid");
  if (f->page == 4096)
    g_assert_cmpstr (rows, ==, "50|200|1\n60|2|0\n240|1|0\n250|100|1\n");
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM tracked WHERE why = 'focus'"), ==, 2);

  r = replay (f);
  ps_replay_get_bytes (r, ps_replay_get_duration (r), base + 50, 300, got, what);
  g_assert_cmpint (what[0], ==, PS_REPLAY_BYTE_STALE);          /* +50: left behind */
  g_assert_cmpint (got[10], ==, 'Y');                           /* +60 */
  g_assert_cmpint (what[100], ==, PS_REPLAY_BYTE_RECORDED);     /* +150 */
  g_assert_cmpint (got[190], ==, 'Z');                          /* +240 */
  g_assert_cmpint (what[299], ==, PS_REPLAY_BYTE_RECORDED);     /* +349 */
  /* before the move, +50 was followed and +300 was not yet */
  ps_replay_get_bytes (r, MAX (t_moved - 1, 0), base + 50, 300, got, what);
  g_assert_cmpint (what[0], ==, PS_REPLAY_BYTE_RECORDED);
  g_assert_cmpint (what[250], ==, PS_REPLAY_BYTE_UNKNOWN);
  /* before the write, the copy's bytes */
  ps_replay_get_bytes (r, t_first, base + 50, 300, got, what);
  g_assert_cmpint (got[10], ==, 'a');
  ps_replay_get_bytes (r, t_first - 1, base + 50, 300, got, what);
  g_assert_cmpint (what[10], ==, PS_REPLAY_BYTE_UNKNOWN);
}

/* The cap: bytes stop being recorded when it is reached, page changes go
 * on; the log and the file say when. */
static void
test_cap (Fixture       *f,
          gconstpointer  data)
{
  g_auto(PsWatchSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  PsRecordStats stats;
  g_autofree char *text = NULL;

  g_assert_true (ps_watch_spec_parse ("w:u8@0", &spec, &error));
  spec.offset = 20 * f->page;
  g_assert_nonnull (ps_session_add_watch (f->session, &spec, &error));
  pass (f);
  start (f, f->page + 8);
  pass (f);                                       /* the page's copy: fits */
  write_at (f, 20 * f->page + 1, "12345678", 8);
  pass (f);                                       /* 8 bytes: fits exactly */
  write_at (f, 20 * f->page + 1000, "!", 1);
  pass (f);                                       /* one more: over */
  write_at (f, 21 * f->page, "!", 1);
  pass (f);
  ps_recorder_get_stats (f->recorder, &stats);
  g_assert_true (stats.cap_reached);
  g_assert_cmpuint (stats.bytes, ==, f->page + 8);
  stop (f);

  g_assert_cmpint (query_int (f->path, "SELECT sum(length(data)) FROM bytes"), ==, (gint64) f->page + 8);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM meta WHERE key = 'cap_reached_us'"), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM tracked WHERE t_end IS NULL"), ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM changes"), ==, 3);
  ps_event_log_flush (f->log);
  text = ps_event_log_to_text (f->log);
  ps_assert_contains (text, "the cap");
}

/* The session's log lines are events, with their call; the window's
 * ticks come from them. */
static void
test_events (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("HELLO", 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsReplay) r = NULL;
  gboolean found = FALSE;

  pass (f);
  start (f, PS_RECORDER_DEFAULT_CAP);
  g_assert_true (ps_session_write (f->session, 30 * f->page, bytes, NULL, &error));
  g_assert_no_error (error);
  pass (f);
  stop (f);

  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM events WHERE call = 'memcpy' AND text LIKE '%5 bytes%'"), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM events WHERE call = 'record'"), >=, 1);
  r = replay (f);
  for (guint i = 0; i < ps_replay_get_n_events (r); i++)
    {
      const PsReplayEvent *e = ps_replay_get_event (r, i);

      if (g_strcmp0 (e->call, "memcpy") == 0)
        {
          found = TRUE;
          g_assert_false (e->is_error);
          g_assert_cmpuint (ps_replay_find_event (r, e->t_us), <=, i);
        }
    }
  g_assert_true (found);
  g_assert_cmpuint (ps_replay_get_n_changes (r), ==, 1);
}

/* An existing file is refused and left alone, unless replacing. */
static void
test_exists (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsRecorder) again = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (f->path, "keep me", -1, NULL));
  again = ps_recorder_start (f->session, f->path, 0, PS_RECORDER_DEFAULT, &error);
  g_assert_null (again);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  ps_assert_contains (error->message, f->path);
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");

  g_clear_error (&error);
  f->recorder = ps_recorder_start (f->session, f->path, 0, PS_RECORDER_REPLACE, &error);
  g_assert_no_error (error);
  stop (f);
  g_assert_cmpint (query_int (f->path, "PRAGMA application_id"), ==, 0x50675363);
}

/* The session closing ends the recording by itself: "stopped", and a
 * finished file. */
static void
on_stopped (PsRecorder *recorder,
            GError     *reason,
            gboolean   *stopped)
{
  g_assert_no_error (reason);
  *stopped = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_source_closed (Fixture       *f,
                    gconstpointer  data)
{
  gboolean stopped = FALSE;

  pass (f);
  start (f, 0);
  g_signal_connect (f->recorder, "stopped", G_CALLBACK (on_stopped), &stopped);
  pass (f);
  ps_session_close (f->session);
  g_assert_false (ps_recorder_is_recording (f->recorder));
  g_assert_true (ps_test_wait_until (is_true, &stopped, 10000));
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM meta WHERE key = 'end_us'"), ==, 1);
}

/* ---- replay ----------------------------------------------------------------- */

/* Between two writes the first page is hot and the second has never
 * changed; after the second both have; the fade's clock says how long ago. */
static void
test_replay_frame (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PsReplay) r = NULL;
  g_autoptr(PsFrame) between = NULL;
  g_autoptr(PsFrame) after = NULL;
  gint64 t1, t2, now = g_get_monotonic_time ();
  guint32 buckets[4];

  pass (f);
  start (f, 0);
  write_at (f, 5 * f->page, "1", 1);
  pass (f);
  g_usleep (20000);
  write_at (f, 9 * f->page, "2", 1);
  pass (f);
  stop (f);

  t1 = query_int (f->path, "SELECT t FROM changes WHERE page = 5");
  t2 = query_int (f->path, "SELECT t FROM changes WHERE page = 9");
  g_assert_cmpint (t2 - t1, >=, 20000);
  g_assert_true (ps_replay_is_recording (f->path));
  g_assert_false (ps_replay_is_recording (f->file));
  g_assert_false (ps_replay_is_recording ("/nonexistent"));
  r = replay (f);
  g_assert_true (ps_replay_is_complete (r));
  g_assert_cmpuint (ps_replay_get_geometry (r)->n_pages, ==, 64);

  between = ps_replay_get_frame (r, t1 + 10000, now);
  g_assert_cmpuint (between->n_pages, ==, 64);
  g_assert_cmpuint (ps_frame_page (between, 5)->changes, ==, 1);
  g_assert_cmpuint (ps_frame_page (between, 9)->changes, ==, 0);
  g_assert_cmpuint (ps_frame_page (between, 9)->last_change_ms, ==, 0);
  g_assert_cmpuint (between->total_changes, ==, 1);
  g_assert_cmpint (ps_frame_page_state (between, 5), ==, PS_PAGE_RESIDENT);
  /* the age the grid computes against now: how long before t the change was */
  {
    gint64 age_ms = (now - between->epoch_us) / 1000 - ps_frame_page (between, 5)->last_change_ms;

    g_assert_cmpint (age_ms, >=, 9);
    g_assert_cmpint (age_ms, <=, 10);
  }

  after = ps_replay_get_frame (r, t2, now);
  g_assert_cmpuint (ps_frame_page (after, 5)->changes, ==, 1);
  g_assert_cmpuint (ps_frame_page (after, 9)->changes, ==, 1);
  g_assert_cmpuint (after->total_changes, ==, 2);

  ps_replay_get_activity (r, 0, t2 + 1, 4, buckets);
  g_assert_cmpuint (buckets[0] + buckets[1] + buckets[2] + buckets[3], ==, 2);
  /* stepping from change to change lands on frames that show them */
  g_assert_cmpint (ps_replay_next_change (r, -1), ==, t1 / 1000 * 1000);
  g_assert_cmpint (ps_replay_next_change (r, t1), ==, t2 / 1000 * 1000);
  g_assert_cmpint (ps_replay_prev_change (r, t2 / 1000 * 1000), ==, t1 / 1000 * 1000);
  g_assert_cmpint (ps_replay_next_change (r, t2), ==, -1);
  {
    g_autoptr(PsFrame) at = ps_replay_get_frame (r, ps_replay_next_change (r, t1), now);

    g_assert_cmpuint (ps_frame_page (at, 9)->changes, ==, 1);
  }
}

static void
test_replay_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "none.pagescope-trace", NULL);
  sqlite3 *db = NULL;

  g_assert_null (ps_replay_open (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  ps_assert_contains (error->message, missing);
  g_clear_error (&error);

  g_assert_null (ps_replay_open (f->file, &error));   /* a file of 'a's */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  ps_assert_contains (error->message, "not a Pagescope recording");
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (ps_replay_open (f->path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  ps_assert_contains (error->message, "not a Pagescope recording");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/recorder/changes", test_changes);
  ADD ("/recorder/watch-bytes", test_watch_bytes);
  ADD ("/recorder/focus", test_focus);
  ADD ("/recorder/cap", test_cap);
  ADD ("/recorder/events", test_events);
  ADD ("/recorder/exists", test_exists);
  ADD ("/recorder/source-closed", test_source_closed);
  ADD ("/replay/frame", test_replay_frame);
  ADD ("/replay/refused", test_replay_refused);
  return g_test_run ();
}
