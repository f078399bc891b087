/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application's actions, driven as a script would drive them: the real
 * pagescope binary runs as a separate process, `gapplication action APP_ID
 * NAME 'ARG'` sends it the actions over D-Bus, and this process checks their
 * effects from outside: the file (pread, its own mapping, and the disk once
 * the page cache is dropped), /proc (the app's smaps, its children), and the
 * event log the app echoes on its stdout (--log).
 *
 * The app and every gapplication call use a private D-Bus daemon started
 * here, so these tests never meet another test's instance of the same app id
 * (test-window runs the binary too, perhaps at the same time).
 *
 * This process is a child subreaper: when the app dies, its orphans (writer
 * children killed by their PR_SET_PDEATHSIG) become children of this process,
 * which reaps them and sees how they died, whatever PID 1 does with orphans. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-app-test-util.h"
#include "ps-test-util.h"

static gsize PAGE;

/* ---- write-bytes, undo and msync on a shared writable mapping ---------------- */

/* The app's own report of an msync, "smaps: Shared_Dirty 0 KiB → 0 KiB,
 * Private_Dirty 16 KiB → 0 KiB": its dirty bytes in the mapping before and
 * after. */
static void
expect_dirty (App    *app,
              guint  *from,
              gint64 *before,
              gint64 *after)
{
  g_auto(GStrv) kib = app_wait_line (app, from, "smaps: Shared_Dirty ([0-9]+) KiB → ([0-9]+) KiB, "
                                                "Private_Dirty ([0-9]+) KiB → ([0-9]+) KiB");

  *before = (g_ascii_strtoll (kib[0], NULL, 10) + g_ascii_strtoll (kib[2], NULL, 10)) * 1024;
  *after = (g_ascii_strtoll (kib[1], NULL, 10) + g_ascii_strtoll (kib[3], NULL, 10)) * 1024;
}

/* The app's dirty bytes in its mapping, read from its smaps by this process. */
static gint64
app_dirty (App *app)
{
  gint64 shared, private;

  g_assert_true (ps_test_smaps_dirty (app->pid, g_ascii_strtoull (app->map_addr, NULL, 16), &shared, &private));
  return shared + private;
}

/* msync writes the app's dirty pages back, which is what it changes: the
 * app's smaps count them before and none after (in its log, and read here
 * from /proc/PID/smaps), and once the app is gone and the page cache
 * dropped the disk has the bytes. A read of the file proves nothing about
 * msync: it sees the page cache, written back or not. */
static void
test_write_msync (void)
{
  g_autofree char *path = ps_test_disk_file ("act-write", 4 * PAGE, 'a');
  const char *args[] = { "--writable", "--log", path, NULL };
  g_autofree char *msync_re = NULL;
  g_autofree char *page_msync_re = NULL;
  g_autoptr(GBytes) disk = NULL;
  g_auto(GStrv) synced = NULL;
  gint64 before, after;
  guint from = 0;
  App *app;

  if (path == NULL)
    {
      g_test_skip ("no temporary directory on a disk file system: msync writes nothing back on tmpfs");
      return;
    }
  app = app_start (args);
  gapp_action ("write-bytes", "0x10 de ad be ef");
  expect_line (app, &from, "memcpy\\(0x[0-9a-f]+ \\+ 0x10, 4 bytes\\) = ok");
  g_assert_cmpint (app_dirty (app), >=, PAGE);
  gapp_action ("msync", "sync");
  /* msync(ADDR, LENGTH, FLAGS) = 0 (T ms): the whole mapping, from its start */
  msync_re = g_strdup_printf ("msync\\(%s, %zu, MS_SYNC\\) = 0 \\(([0-9]+\\.[0-9]) ms\\)", app->map_addr, 4 * PAGE);
  synced = app_wait_line (app, &from, msync_re);
  g_assert_cmpfloat (g_ascii_strtod (synced[0], NULL), >=, 0);
  expect_dirty (app, &from, &before, &after);
  g_assert_cmpint (before, >=, PAGE);
  g_assert_cmpint (after, ==, 0);
  g_assert_cmpint (app_dirty (app), ==, 0);

  /* another process reads it (from the page cache) */
  assert_file_bytes (path, 0x10, "\xde\xad\xbe\xef", 4);
  assert_file_bytes (path, 0x0c, "aaaa", 4);
  assert_file_bytes (path, 0x14, "aaaa", 4);

  /* the string form */
  gapp_action ("write-bytes", "0 \"HELLO\"");
  expect_line (app, &from, "memcpy\\(0x[0-9a-f]+ \\+ 0x0, 5 bytes\\) = ok");
  g_assert_cmpint (app_dirty (app), >=, PAGE);
  gapp_action ("msync", "sync");
  g_clear_pointer (&synced, g_strfreev);
  synced = app_wait_line (app, &from, msync_re);
  expect_dirty (app, &from, &before, &after);
  g_assert_cmpint (before, >=, PAGE);
  g_assert_cmpint (after, ==, 0);
  assert_file_bytes (path, 0, "HELLOaaaaaaaaaaa\xde\xad\xbe\xef", 20);

  /* undo puts back what the last write replaced, through the same path; a
   * range is rounded out to its page */
  gapp_action ("undo", NULL);
  expect_line (app, &from, "memcpy\\(0x[0-9a-f]+ \\+ 0x0, 5 bytes\\) = ok");
  gapp_action ("msync", "async,invalidate offset=0 length=100");
  g_clear_pointer (&synced, g_strfreev);
  page_msync_re = g_strdup_printf ("msync\\(0x[0-9a-f]+, %zu, MS_ASYNC\\|MS_INVALIDATE\\) = 0 \\([0-9]+\\.[0-9] ms\\)", PAGE);
  synced = app_wait_line (app, &from, page_msync_re);
  assert_file_bytes (path, 0, "aaaaaaaaaaaaaaaa\xde\xad\xbe\xef", 20);

  /* the app gone, nothing maps the file: the disk itself has the bytes */
  app_quit (app);
  app_free (app);
  disk = ps_test_read_from_disk (path, 0, 20);
  if (disk != NULL)
    g_assert_cmpmem (g_bytes_get_data (disk, NULL), g_bytes_get_size (disk), "aaaaaaaaaaaaaaaa\xde\xad\xbe\xef", 20);
}

/* ---- MAP_PRIVATE: the write stays in the app's copy ---------------------------- */

static void
test_private_write (void)
{
  g_autofree char *path = ps_test_file ("act-private", 4 * PAGE, 'b');
  const char *args[] = { "--private", "--writable", "--log", path, NULL };
  g_autofree char *msync_re = NULL;
  guint from = 0;
  App *app;

  app = app_start (args);
  g_assert_cmpstr (app->map_type, ==, "PRIVATE");
  gapp_action ("write-bytes", "0x10 de ad be ef");
  expect_line (app, &from, "memcpy\\(0x[0-9a-f]+ \\+ 0x10, 4 bytes\\) = ok");
  gapp_action ("msync", "sync");
  g_clear_pointer (&msync_re, g_free);
  msync_re = g_strdup_printf ("msync\\(0x[0-9a-f]+, %zu, MS_SYNC\\) = 0 \\([0-9]+\\.[0-9] ms\\)", 4 * PAGE);
  expect_line (app, &from, msync_re);

  /* the file never saw it */
  assert_file_filled (path, 4 * PAGE, 'b');

  /* the app's copy has it: a probe child forked from the app reads it there */
  gapp_action ("probe", "0x10 read");
  expect_line (app, &from, "probe\\(offset=0x10, read\\) = ok \\(read 0xde\\) \\([0-9]+\\.[0-9]{2} ms\\)");

  app_quit (app);
  assert_file_filled (path, 4 * PAGE, 'b');
  app_free (app);
}

/* ---- read-only: writes are refused, and say how to reopen ---------------------- */

static void
test_read_only_refused (void)
{
  g_autofree char *path = ps_test_file ("act-ro", 4 * PAGE, 'r');
  const char *args[] = { "--log", path, NULL };
  guint from = 0;
  App *app;

  app = app_start (args);
  gapp_action ("write-bytes", "0x10 de ad be ef");
  /* the call the core would not make, then the refused action */
  expect_line (app, &from, "memcpy\\(0x[0-9a-f]+ \\+ 0x10, 4 bytes\\) not called: the mapping is read-only; "
                             "reopen it writable \\(Writable in the open dialog, or --writable\\)");
  expect_line (app, &from, "write-bytes: memcpy\\(0x[0-9a-f]+ \\+ 0x10, 4 bytes\\): the mapping is read-only; "
                             "reopen it writable \\(Writable in the open dialog, or --writable\\)");

  gapp_action ("spawn-writers", "2 counter 100");
  expect_line (app, &from, "spawn-writers: fork\\(2 writers, counter, .*\\): the mapping is read-only; "
                             "reopen it writable .*--writable\\)");
  gapp_action ("probe", "0 write");
  expect_line (app, &from, "probe: probe\\(offset=0x0, write\\): the mapping is read-only; .*--writable\\) to probe with a write");

  /* nothing was written, nothing was forked, and the app runs on */
  g_assert_true (app_alive (app));
  assert_file_filled (path, 4 * PAGE, 'r');
  {
    g_autofree char *children = children_of (app->pid, 0);
    g_assert_cmpstr (children, ==, "");
  }

  app_quit (app);
  assert_file_filled (path, 4 * PAGE, 'r');
  app_free (app);
}

/* ---- malformed arguments: refused with the reason, and nothing happens ------------ */

static void
test_bad_arguments (void)
{
  g_autofree char *path = ps_test_file ("act-bad", 4 * PAGE, 'z');
  const char *args[] = { "--writable", "--log", path, NULL };
  g_autofree char *past_end = g_strdup_printf ("0x%zx 00", 4 * PAGE);
  g_autofree char *past_end_says = g_strdup_printf ("write-bytes: memcpy\\(0x[0-9a-f]+ \\+ 0x%zx, 1 bytes\\): offset %zu is past "
                                                    "the end of the mapping \\(length %zu\\)", 4 * PAGE, 4 * PAGE, 4 * PAGE);
  g_autofree char *past_guard = g_strdup_printf ("0x%zx read", 16 * PAGE);
  g_autofree char *past_guard_says = g_strdup_printf ("probe: probe\\(offset=0x%zx, read\\): offset 0x%zx lies beyond the "
                                                      "guard page after the mapping .*", 16 * PAGE, 16 * PAGE);
  const char *cases[][3] = {
    /* action, argument, the log line */
    { "write-bytes", "0x10 zz", "write-bytes: column 6: 'z' is not a hex digit" },
    { "write-bytes", "0x10 de ag", "write-bytes: column 10: 'g' is not a hex digit" },
    { "write-bytes", "0x10 \"open", "write-bytes: column 6: unterminated string \\(opened at column 6\\)" },
    { "write-bytes", "0x10", "write-bytes: column 5: the bytes to write are missing after the offset, e\\.g\\. 0x10 de ad" },
    { "write-bytes", past_end, past_end_says },
    { "msync", "sometimes", "msync: msync flags \"sometimes\": unknown flag \"sometimes\"; use sync or async, optionally with invalidate" },
    { "msync", "sync,async", "msync: msync flags \"sync,async\": sync and async exclude each other" },
    { "probe", "0 peek", "probe: probe \"0 peek\": \"peek\" is neither read nor write" },
    { "probe", past_guard, past_guard_says },
    { "spawn-writers", "3 counter fast", "spawn-writers: rate \"fast\": expected writes per second \\(e\\.g\\. 100 or 2\\.5\\), or max" },
    { "spawn-writers", "0 counter 10", "spawn-writers: writer count \"0\": must be 1 to 64" },
    { "stop-writers", "abc", "stop-writers: pid \"abc\": expected a number" },
    { "stop-writers", "12345", "stop-writers: 12345 is not one of this session's writer children" },
    { "msync", "sync lenght=4K", "msync: unknown option \"lenght=\" \\(this action takes offset=, length=\\)" },
    { "spawn-writers", "1 counter 10 count=0", "spawn-writers: count=0: give at least 1, or leave count out to write until stopped" },
    /* no window for a malformed source: scripting still acts on this one */
    { "open", "bogus:1", "app.open refused: source \"bogus:1\": unknown kind \"bogus\".*" },
  };
  guint from = 0;
  App *app;

  app = app_start (args);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gapp_action (cases[i][0], cases[i][1]);
      g_strfreev (app_wait_line (app, &from, cases[i][2]));
      g_assert_true (app_alive (app));
    }

  /* nothing written, nothing forked */
  assert_file_filled (path, 4 * PAGE, 'z');
  {
    g_autofree char *children = children_of (app->pid, 0);
    g_assert_cmpstr (children, ==, "");
  }

  /* and it still does what it is asked */
  gapp_action ("write-bytes", "0x10 00 01");
  expect_line (app, &from, "memcpy\\(0x[0-9a-f]+ \\+ 0x10, 2 bytes\\) = ok");
  assert_file_bytes (path, 0x0e, "zz\x00\x01zz", 6);

  app_quit (app);
  app_free (app);
}

typedef struct
{
  const volatile guint64 *slots;
  guint64                 at_least[3];
} Counters;

static gboolean
counters_reached (gpointer data)
{
  Counters *c = data;

  for (guint i = 0; i < 3; i++)
    if (c->slots[i] < c->at_least[i])
      return FALSE;
  return TRUE;
}

static void
test_spawn_writers (void)
{
  g_autofree char *path = ps_test_file ("act-writers", 4 * PAGE, 0);
  const char *args[] = { "--writable", "--log", path, NULL };
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GArray) rest = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GArray) last = NULL;
  g_autofree char *stop_arg = NULL;
  Counters counters = { 0 };
  guint from = 0;
  void *view;
  int fd;
  App *app;

  /* this process's own view of the file: what the writers do shows here */
  fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  view = mmap (NULL, 4 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
  g_assert_true (view != MAP_FAILED);
  close (fd);
  counters.slots = view;

  app = app_start (args);
  gapp_action ("spawn-writers", "3 counter 100");
  pids = wait_forks (app, &from, 3);

  /* counter: writer i's count of writes, little-endian, at 8 * i; and it goes on */
  for (guint i = 0; i < 3; i++)
    counters.at_least[i] = 3;
  g_assert_true (app_wait (app, counters_reached, &counters, DEADLINE_MS));
  for (guint i = 0; i < 3; i++)
    counters.at_least[i] = counters.slots[i] + 3;
  g_assert_true (app_wait (app, counters_reached, &counters, DEADLINE_MS));
  g_assert_cmpuint (counters.slots[3], ==, 0);   /* no fourth writer */

  /* stop one by its pid: only that one dies */
  g_array_append_val (first, g_array_index (pids, pid_t, 0));
  g_array_append_vals (rest, &g_array_index (pids, pid_t, 1), 2);
  stop_arg = g_strdup_printf ("%d", (int) g_array_index (first, pid_t, 0));
  gapp_action ("stop-writers", stop_arg);
  {
    g_autofree char *kill_line = g_strdup_printf ("kill(%s, SIGTERM) = 0", stop_arg);
    expect_text (app, &from, kill_line);
  }
  wait_reaped (app, &from, first);
  for (guint i = 0; i < rest->len; i++)
    {
      ProcStat st;

      g_assert_true (proc_stat (g_array_index (rest, pid_t, i), &st));
      g_assert_cmpint (st.ppid, ==, app->pid);
      g_assert_cmpint (st.state, !=, 'Z');
    }

  /* stop the rest */
  gapp_action ("stop-writers", "");
  wait_reaped (app, &from, rest);
  {
    g_autofree char *children = children_of (app->pid, 0);
    g_assert_cmpstr (children, ==, "");
  }

  /* writers still running at quit die with the window and are reaped by the app */
  gapp_action ("spawn-writers", "2 sweep 50");
  last = wait_forks (app, &from, 2);
  app_quit (app);
  wait_reaped (app, &from, last);

  munmap (view, 4 * PAGE);
  app_free (app);
}

/* ---- 100 start/stop cycles of 8 writers ------------------------------------------------ */

static void
test_writer_cycles (void)
{
  g_autofree char *path = ps_test_file ("act-cycles", 4 * PAGE, 0);
  const char *args[] = { "--writable", "--log", path, NULL };
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (pid_t));
  gint64 t0;
  guint from = 0;
  App *app;

  app = app_start (args);
  t0 = g_get_monotonic_time ();
  for (guint cycle = 0; cycle < 100; cycle++)
    {
      g_autoptr(GArray) pids = NULL;

      gapp_action ("spawn-writers", "8 counter 1000");
      pids = wait_forks (app, &from, 8);
      gapp_action ("stop-writers", "");
      wait_reaped (app, &from, pids);
      g_array_append_vals (all, pids->data, pids->len);
    }
  g_test_message ("100 cycles of 8 writers through gapplication: %.1f s",
                  (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC);

  /* no zombie, no writer: the app has no child at all */
  {
    g_autofree char *children = children_of (app->pid, 0);
    g_assert_cmpstr (children, ==, "");
  }
  g_assert_cmpuint (all->len, ==, 800);

  app_quit (app);
  for (guint i = 0; i < all->len; i++)
    g_assert_true (pid_gone (g_array_index (all, pid_t, i), app->pid));
  app_free (app);
}

/* ---- SIGKILL the app: its writers die of their PR_SET_PDEATHSIG ------------------------- */

typedef struct
{
  GArray *pids;
  GArray *statuses;
  guint   reaped;
} Orphans;

/* Reaps each orphan (this process is their subreaper) as it dies. */
static gboolean
orphans_reaped (gpointer data)
{
  Orphans *o = data;

  for (guint i = 0; i < o->pids->len; i++)
    {
      int *status = &g_array_index (o->statuses, int, i);
      pid_t pid = g_array_index (o->pids, pid_t, i);

      int got = 0;
      pid_t r;

      if (*status != -1)
        continue;
      r = waitpid (pid, &got, WNOHANG);
      if (r < 0)
        g_error ("waitpid(%d): %s: the writer is not this process's child", (int) pid, g_strerror (errno));
      if (r == pid)
        {
          *status = got;
          o->reaped++;
        }
    }
  return o->reaped == o->pids->len;
}

static void
test_sigkill (void)
{
  g_autofree char *path = ps_test_file ("act-kill", 4 * PAGE, 0);
  const char *args[] = { "--writable", "--log", path, NULL };
  Orphans orphans = { 0 };
  guint from = 0;
  App *app;

  app = app_start (args);
  gapp_action ("spawn-writers", "4 random 200");
  orphans.pids = wait_forks (app, &from, 4);
  orphans.statuses = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; i < 4; i++)
    {
      int unset = -1;
      g_array_append_val (orphans.statuses, unset);
    }

  g_assert_cmpint (kill (app->pid, SIGKILL), ==, 0);
  /* app_finish also waits until the app's stdout reaches EOF: that takes
   * the writers dying too, as they hold it */
  g_assert_true (app_wait (app, app_exited, app, DEADLINE_MS));
  g_assert_true (WIFSIGNALED (app->status));
  g_assert_cmpint (WTERMSIG (app->status), ==, SIGKILL);

  /* each writer was re-parented here and died of SIGTERM, its death signal */
  if (!app_wait (app, orphans_reaped, &orphans, 5000))
    {
      g_autofree char *left = children_of (getpid (), bus_pid);

      /* our children now: leave none running behind the failure */
      for (guint i = 0; i < 4; i++)
        if (g_array_index (orphans.statuses, int, i) == -1)
          ps_test_queue_kill (g_array_index (orphans.pids, pid_t, i));
      g_error ("%u of 4 writers died within 5 s of the app's SIGKILL; our children:\n%s", orphans.reaped, left);
    }
  for (guint i = 0; i < 4; i++)
    {
      int status = g_array_index (orphans.statuses, int, i);

      g_assert_true (WIFSIGNALED (status));
      g_assert_cmpint (WTERMSIG (status), ==, SIGTERM);
      g_assert_true (pid_gone (g_array_index (orphans.pids, pid_t, i), app->pid));
    }
  app_finish (app);
  assert_no_stray_children ();

  g_array_unref (orphans.pids);
  g_array_unref (orphans.statuses);
  app_free (app);
}

/* ---- probe past EOF ------------------------------------------------------------------------ */

static void
test_probe (void)
{
  g_autofree char *path = ps_test_file ("act-probe", 100, 'p');
  g_autofree char *length = g_strdup_printf ("%zu", 3 * PAGE);
  const char *ro_args[] = { "--length", length, "--log", path, NULL };
  const char *rw_args[] = { "--writable", "--length", length, "--log", path, NULL };
  g_autofree char *page_1 = g_strdup_printf ("%zu read", PAGE);
  g_autofree char *page_1_re = g_strdup_printf ("probe\\(offset=0x%zx, read\\) = SIGBUS \\(BUS_ADRERR at \\+0x%zx\\) "
                                                "\\([0-9]+\\.[0-9]{2} ms\\)", PAGE, PAGE);
  g_autofree char *last = g_strdup_printf ("0x%zx read", 3 * PAGE - 1);
  g_autofree char *last_re = g_strdup_printf ("probe\\(offset=0x%zx, read\\) = SIGBUS \\(BUS_ADRERR at \\+0x%zx\\) "
                                              "\\([0-9]+\\.[0-9]{2} ms\\)", 3 * PAGE - 1, 3 * PAGE - 1);
  g_autofree char *guard = g_strdup_printf ("%zu read", 3 * PAGE);
  g_autofree char *guard_re = g_strdup_printf ("probe\\(offset=0x%zx, read\\) = SIGSEGV \\(SEGV_ACCERR at \\+0x%zx\\) "
                                               "\\([0-9]+\\.[0-9]{2} ms\\)", 3 * PAGE, 3 * PAGE);
  g_autofree char *msync_re = g_strdup_printf ("msync\\(0x[0-9a-f]+, %zu, MS_SYNC\\) = 0 \\([0-9]+\\.[0-9] ms\\)", 3 * PAGE);
  guint from = 0;
  App *app;

  /* 100 bytes in a mapping of 3 pages */
  app = app_start (ro_args);
  gapp_action ("probe", "0 read");
  expect_line (app, &from, "probe\\(offset=0x0, read\\) = ok \\(read 0x70\\) \\([0-9]+\\.[0-9]{2} ms\\)");
  gapp_action ("probe", "100 read");
  expect_line (app, &from, "probe\\(offset=0x64, read\\) = zero-tail \\(read 0x00\\) \\([0-9]+\\.[0-9]{2} ms\\)");
  gapp_action ("probe", page_1);
  expect_line (app, &from, "fork\\(\\) = [0-9]+");
  expect_line (app, &from, "waitpid\\([0-9]+\\) = killed by SIGBUS");
  expect_line (app, &from, page_1_re);
  gapp_action ("probe", last);
  expect_line (app, &from, last_re);
  /* past the mapping: its guard page */
  gapp_action ("probe", guard);
  expect_line (app, &from, "waitpid\\([0-9]+\\) = killed by SIGSEGV");
  expect_line (app, &from, guard_re);
  /* the probe children are the app's to reap: none is left */
  {
    g_autofree char *children = children_of (app->pid, 0);
    g_assert_cmpstr (children, ==, "");
  }
  app_quit (app);
  assert_file_filled (path, 100, 'p');
  app_free (app);

  /* a write into the zero tail of a shared mapping never reaches the file */
  from = 0;
  app = app_start (rw_args);
  gapp_action ("probe", "100 write");
  expect_line (app, &from, "probe\\(offset=0x64, write\\): a child will write one byte there \\(a shared mapping: the write is real\\)");
  expect_line (app, &from, "probe\\(offset=0x64, write\\) = zero-tail \\(wrote 0x50\\) \\([0-9]+\\.[0-9]{2} ms\\)");
  gapp_action ("msync", "sync");
  expect_line (app, &from, msync_re);
  assert_file_filled (path, 100, 'p');
  app_quit (app);
  assert_file_filled (path, 100, 'p');
  app_free (app);
}

/* The app answers a D-Bus call its main loop handles itself (not Peer.Ping,
 * which GDBus answers on its own thread) while a sweep probes a 100-byte
 * file mapped 16 GiB long (4,194,303 pages past EOF: long enough to be
 * under way after the calls); cancel-sweep ends it, a second sweep is under
 * way when SIGTERM quits the app; no child is left. */
static void
test_sweep_responsive (void)
{
  g_autofree char *path = ps_test_file ("act-sweep", 100, 's');
  g_autofree char *object_path = g_strdelimit (g_strconcat ("/", APP_ID, NULL), ".", '/');
  const char *args[] = { "--length", "16G", "--log", path, NULL };
  gsize pages = ((gsize) 16 << 30) / PAGE + 1;   /* the mapping's and the guard page */
  g_autofree char *started = g_strdup_printf ("probe-sweep: read, %zu pages from page 0 \\(the one holding EOF\\) "
                                              "to the guard page, by one child that goes on after each fault", pages);
  g_autofree char *page_1 = g_strdup_printf ("probe\\(offset=0x%zx, read\\) = SIGBUS .*", PAGE);
  g_autofree char *cancelled = g_strdup_printf ("probe-sweep: cancelled after [0-9]+ of %zu pages: [0-9]+ ok, "
                                                "1 zero-tail, [0-9]+ SIGBUS, 0 SIGSEGV, 0 other", pages);
  guint from = 0;
  App *app;

  app = app_start (args);
  gapp_action ("probe-sweep", "read");
  expect_line (app, &from, started);
  expect_line (app, &from, page_1);
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, APP_ID, object_path, "org.gtk.Actions", "List",
                                                               NULL, G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                                               DEADLINE_MS, NULL, &error);
      g_assert_no_error (error);
      app_pump (app, 0);
    }
  gapp_action ("cancel-sweep", NULL);
  expect_line (app, &from, cancelled);

  gapp_action ("probe-sweep", "read");
  expect_line (app, &from, page_1);
  kill (app->pid, SIGTERM);
  app_finish (app);
  g_assert_true (WIFEXITED (app->status) && WEXITSTATUS (app->status) == 0);
  assert_no_stray_children ();
  app_free (app);
}

int
main (int argc, char **argv)
{
  int rc;

  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);
  g_assert_nonnull (g_getenv ("PAGESCOPE_BIN"));

  /* orphans of the app come to us, not to PID 1 (which may never reap them) */
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);
  bus_up ();

  g_test_add_func ("/actions/write-msync", test_write_msync);
  g_test_add_func ("/actions/private-write", test_private_write);
  g_test_add_func ("/actions/read-only-refused", test_read_only_refused);
  g_test_add_func ("/actions/bad-arguments", test_bad_arguments);
  g_test_add_func ("/actions/spawn-writers", test_spawn_writers);
  g_test_add_func ("/actions/writer-cycles", test_writer_cycles);
  g_test_add_func ("/actions/sigkill", test_sigkill);
  g_test_add_func ("/actions/probe", test_probe);
  g_test_add_func ("/actions/sweep-responsive", test_sweep_responsive);
  rc = g_test_run ();

  bus_down ();
  assert_no_stray_children ();
  return rc;
}
