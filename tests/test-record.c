/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `pagescope --record` and `--export-events`, the real binary with no
 * display: a process writes a known set of pages at known times into a
 * POSIX segment while it records; the recording lists exactly those pages,
 * in order, each found by the first pass after its write; the sqlite3 shell
 * reads it; the watched range's bytes are those written; a recorder killed
 * with SIGKILL leaves everything it had committed readable. */
#include "config.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ps-replay.h"
#include "ps-test-util.h"

#define N_PAGES   64
#define INTERVAL  "20ms"

typedef struct
{
  gsize    page;
  char    *name;       /* the POSIX segment */
  int      fd;
  guint8  *map;
  char    *dir;
  char    *path;       /* the recording */
  GPid     pid;        /* pagescope */
  int      out;
  GString *text;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-rec-XXXXXX", (int) getpid ());

  f->page = ps_test_page_size ();
  f->name = ps_test_posix_name ("rec");
  f->fd = shm_open (f->name, O_RDWR | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (f->fd, >=, 0);
  g_assert_cmpint (ftruncate (f->fd, N_PAGES * f->page), ==, 0);
  f->map = mmap (NULL, N_PAGES * f->page, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
  g_assert_true (f->map != MAP_FAILED);
  f->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "t.pagescope-trace", NULL);
  f->text = g_string_new (NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  if (f->pid != 0)
    {
      kill (f->pid, SIGKILL);
      ps_test_reap (f->pid, 20000);
    }
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (f->path, suffixes[i], NULL);

      g_unlink (name);
    }
  g_rmdir (f->dir);
  munmap (f->map, N_PAGES * f->page);
  close (f->fd);
  shm_unlink (f->name);
  g_free (f->name);
  g_free (f->dir);
  g_free (f->path);
  g_string_free (f->text, TRUE);
}

/* ---- the binary ------------------------------------------------------------ */

static char **
environment (void)
{
  char **env = g_environ_unsetenv (g_get_environ (), "DISPLAY");

  return g_environ_unsetenv (env, "WAYLAND_DISPLAY");
}

static void
start_binary (Fixture            *f,
              const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = environment ();

  g_ptr_array_add (argv, (char *) g_getenv ("PAGESCOPE_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &f->pid, NULL, &f->out, NULL, &error);
  g_assert_no_error (error);
  g_unix_set_fd_nonblocking (f->out, TRUE, NULL);
}

/* Waits for the binary to end (deadline 20 s); its wait status. */
static int
finish_binary (Fixture *f)
{
  int status = ps_test_reap (f->pid, 20000);
  char buf[4096];
  ssize_t n;

  while ((n = read (f->out, buf, sizeof buf)) > 0)
    g_string_append_len (f->text, buf, n);
  close (f->out);
  f->pid = 0;
  return status;
}

/* A run to its end: exit status and stdout. */
static int
run_binary (const char * const *args,
            char              **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = environment ();
  int status;

  g_ptr_array_add (argv, (char *) g_getenv ("PAGESCOPE_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* ---- the recording, read while it is written --------------------------------- */

/* The rows of a query, "a|b" a row, one a line; NULL while the file is not
 * yet a database with that table (the recorder is starting). */
static char *
query (const char *path,
       const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 2000);
      rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
    }
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", text != NULL ? text : "");
        }
      g_string_append_c (out, '\n');
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  g_autofree char *text = query (path, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

typedef struct
{
  const char *path;
  const char *sql;
  gint64      at_least;
} Count;

static gboolean
count_reached (gpointer data)
{
  Count *c = data;

  return g_file_test (c->path, G_FILE_TEST_EXISTS) && query_int (c->path, c->sql) >= c->at_least;
}

static void
wait_for_count (const char *path,
                const char *sql,
                gint64      at_least)
{
  Count c = { path, sql, at_least };

  if (!ps_test_wait_until (count_reached, &c, 20000))
    g_error ("%s: \"%s\" did not reach %" G_GINT64_FORMAT, path, sql, at_least);
}

/* ---- the writer: another process, async-signal-safe calls only ---------------- */

#define N_WRITES 5
static const guint write_pages[N_WRITES] = { 5, 12, 3, 40, 7 };

typedef struct
{
  guint8  *map;
  gsize    page;
  gint64  *times;      /* shared: CLOCK_MONOTONIC µs of each write */
  guint    n;
  guint    gap_ms;
  gboolean forever;    /* page after page, until killed */
} Writer;

static gint64
monotonic_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
pause_ms (guint ms)
{
  struct timespec ts = { ms / 1000, (long) (ms % 1000) * 1000000 };

  while (nanosleep (&ts, &ts) != 0)
    ;
}

/* 16 bytes at the start of the page: "page NN write M." */
static void
fill_pattern (guint8 *dst,
              guint   page,
              guint   write)
{
  static const char digits[] = "0123456789";
  const char head[] = "page ";

  memcpy (dst, head, 5);
  dst[5] = digits[(page / 10) % 10];
  dst[6] = digits[page % 10];
  memcpy (dst + 7, " write ", 7);
  dst[14] = digits[write % 10];
  dst[15] = '.';
}

static int
writer_main (gpointer data)
{
  Writer *w = data;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  for (guint i = 0; w->forever || i < w->n; i++)
    {
      guint page = w->forever ? i % N_PAGES : write_pages[i];

      pause_ms (w->gap_ms);
      fill_pattern (w->map + page * w->page, page, i);
      if (!w->forever)
        w->times[i] = monotonic_us ();
    }
  return 0;
}

/* ---- the tests ---------------------------------------------------------------- */

static void
check_times (Fixture      *f,
             const gint64 *written)
{
  gint64 start = query_int (f->path, "SELECT value FROM meta WHERE key = 'start_monotonic_us'");

  for (guint i = 0; i < N_WRITES; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT t FROM changes WHERE page = %u", write_pages[i]);
      gint64 w = written[i] - start;
      gint64 t = query_int (f->path, sql);
      g_autofree char *next = NULL;
      gint64 next_end;

      /* the stamp is the ms the detecting pass began hashing, floored */
      g_assert_cmpint (t, >=, w - 2000);
      /* found by the first pass that began after the write: within one interval */
      next = g_strdup_printf ("SELECT min(t) FROM frames WHERE t - pass_us > %" G_GINT64_FORMAT, w + 1000);
      next_end = query_int (f->path, next);
      g_assert_cmpint (next_end, >, 0);
      g_assert_cmpint (t, <=, next_end);
    }
}

static void
test_posix_writer (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *watch = g_strdup_printf ("w:u64@%zu", 5 * f->page + 8);
  const char *args[] = { "--record", f->path, "--posix", f->name, "--interval", INTERVAL, "--watch", watch, NULL };
  gint64 *times = mmap (NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  Writer w = { f->map, f->page, times, N_WRITES, 150, FALSE };
  g_autofree char *pages = NULL;
  g_autofree char *sqlite_out = NULL;
  g_autofree char *sqlite_err = NULL;
  const char *sqlite_argv[] = { "sqlite3", f->path, "SELECT page FROM changes ORDER BY rowid;", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsReplay) replay = NULL;
  guint8 got[16], what[16], expect[16];
  int status;

  g_assert_true (times != MAP_FAILED);
  {
    g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
    g_assert_nonnull (sqlite3);
  }
  start_binary (f, args);
  /* the writer starts once the recorder has seen a pass */
  wait_for_count (f->path, "SELECT count(*) FROM frames", 2);
  status = ps_test_reap (ps_test_fork (writer_main, &w), 20000);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  wait_for_count (f->path, "SELECT count(*) FROM changes", N_WRITES);
  kill (f->pid, SIGINT);
  status = finish_binary (f);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  ps_assert_contains (f->text->str, "5 page changes");

  /* exactly those pages, in order; the sqlite3 shell reads them */
  pages = query (f->path, "SELECT page FROM changes ORDER BY rowid");
  g_assert_cmpstr (pages, ==, "5\n12\n3\n40\n7\n");
  g_assert_true (g_spawn_sync (NULL, (char **) sqlite_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &sqlite_out, &sqlite_err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (sqlite_out, ==, pages);
  check_times (f, times);

  /* the watched page's bytes are those written */
  replay = ps_replay_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (ps_replay_is_complete (replay));
  fill_pattern (expect, 5, 0);
  g_assert_true (ps_replay_get_bytes (replay, ps_replay_get_duration (replay), 5 * f->page, 16, got, what));
  g_assert_cmpmem (got, 16, expect, 16);
  for (guint i = 0; i < 16; i++)
    g_assert_cmpint (what[i], ==, PS_REPLAY_BYTE_RECORDED);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM bytes WHERE baseline = 0"), ==, 1);
  {
    /* and the watch took the value those bytes make */
    guint64 value;
    g_autofree char *text = NULL;

    memcpy (&value, expect + 8, 8);
    text = g_strdup_printf ("%" G_GUINT64_FORMAT, GUINT64_FROM_LE (value));
    g_assert_cmpstr (ps_replay_get_watch_value (replay, 0, ps_replay_get_duration (replay), NULL), ==, text);
  }
  munmap (times, 4096);
}

/* --export-events: CSV with a header, JSON Lines, the watches' values. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  const char *args[] = { "--record", f->path, "--posix", f->name, "--interval", INTERVAL, "--watch", "w:u8@0", NULL };
  gint64 *times = mmap (NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  Writer w = { f->map, f->page, times, 2, 60, FALSE };
  const char *csv[] = { "--export-events", f->path, "--csv", NULL };
  const char *json[] = { "--export-events", f->path, "--json", NULL };
  const char *watches[] = { "--export-events", f->path, "--watches", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *row = NULL;

  start_binary (f, args);
  wait_for_count (f->path, "SELECT count(*) FROM frames", 2);
  g_assert_true (WIFEXITED (ps_test_reap (ps_test_fork (writer_main, &w), 20000)));
  wait_for_count (f->path, "SELECT count(*) FROM changes", 2);
  kill (f->pid, SIGINT);
  g_assert_cmpint (WEXITSTATUS (finish_binary (f)), ==, 0);

  g_assert_cmpint (run_binary (csv, &out), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "time,page,offset,length,hash");
  row = g_strdup_printf (",5,%zu,%zu,0x", 5 * f->page, f->page);
  ps_assert_contains (lines[1], row);
  ps_assert_contains (lines[2], ",12,");
  g_assert_cmpstr (lines[3], ==, "");
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_binary (json, &out), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "{\"time\":"));
  ps_assert_contains (lines[0], ",\"page\":5,");
  ps_assert_contains (lines[1], ",\"page\":12,");
  ps_assert_contains (lines[1], ",\"hash\":\"0x");
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&out, g_free);

  /* the watch at 0 (page 0) read 0 all along */
  g_assert_cmpint (run_binary (watches, &out), ==, 0);
  g_assert_true (g_str_has_prefix (out, "time,name,offset,type,value\n0.000000,w,0,u8,0\n"));
  munmap (times, 4096);
}

/* SIGKILL while recording: what a reader saw committed is all still there,
 * and the file reads (sqlite3, PsReplay, --export-events) without repair by
 * hand. */
static void
test_sigkill (Fixture       *f,
              gconstpointer  data)
{
  const char *args[] = { "--record", f->path, "--posix", f->name, "--interval", "10ms", NULL };
  const char *csv[] = { "--export-events", f->path, NULL };
  Writer w = { f->map, f->page, NULL, 0, 15, TRUE };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *check = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsReplay) replay = NULL;
  pid_t writer;
  int status;

  start_binary (f, args);
  wait_for_count (f->path, "SELECT count(*) FROM frames", 2);
  writer = ps_test_fork (writer_main, &w);
  wait_for_count (f->path, "SELECT count(*) FROM changes", 20);
  before = query (f->path, "SELECT t, page, hash FROM changes ORDER BY rowid");
  g_assert_nonnull (before);
  kill (f->pid, SIGKILL);
  status = finish_binary (f);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  kill (writer, SIGKILL);
  ps_test_reap (writer, 20000);

  check = query (f->path, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok\n");
  after = query (f->path, "SELECT t, page, hash FROM changes ORDER BY rowid");
  g_assert_true (g_str_has_prefix (after, before));
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM meta WHERE key = 'end_us'"), ==, 0);

  replay = ps_replay_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (ps_replay_is_complete (replay));
  g_assert_cmpuint (ps_replay_get_n_changes (replay), >=, 20);
  g_assert_cmpint (run_binary (csv, &out), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 22);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "missing.pagescope-trace", NULL);
  g_autofree char *text = ps_test_file ("rec-text", 100, 'x');
  const struct { const char *args[10]; int status; } cases[] = {
    { { "--record", f->path, NULL }, 2 },                                         /* no source */
    { { "--record", f->path, "--cap", "lots", "--posix", f->name, NULL }, 2 },
    { { "--cap", "1M", "--posix", f->name, NULL }, 2 },                           /* not recording */
    { { "--record", f->path, "--find", "00", "--posix", f->name, NULL }, 2 },
    { { "--record", f->path, "--count", "3", "--posix", f->name, NULL }, 2 },
    { { "--record", f->path, "/nonexistent/file", NULL }, 1 },
    { { "--record", text, "--posix", f->name, NULL }, 1 },                        /* exists */
    { { "--record", f->path, "--watch", "w:u64@0x100000", "--posix", f->name, NULL }, 1 },
    { { "--export-events", missing, NULL }, 1 },
    { { "--export-events", text, NULL }, 1 },                                     /* not a recording */
    { { "--export-events", missing, "--csv", "--json", NULL }, 2 },
    { { "--export-events", missing, "--posix", f->name, NULL }, 2 },
    { { "--watches", NULL }, 2 },
    { { "--csv", "--posix", f->name, NULL }, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      int status = run_binary (cases[i].args, &out);

      if (status != cases[i].status)
        g_error ("%s %s …: exit %d, not %d", cases[i].args[0], cases[i].args[1], status, cases[i].status);
    }
  /* nothing was made where it was refused */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (text, &contents, NULL, NULL));
    g_assert_cmpint (contents[0], ==, 'x');
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("PAGESCOPE_BIN"));
#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/record/posix-writer", test_posix_writer);
  ADD ("/record/export", test_export);
  ADD ("/record/sigkill", test_sigkill);
  ADD ("/record/refused", test_refused);
  return g_test_run ();
}
