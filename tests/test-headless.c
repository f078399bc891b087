/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless modes of the real pagescope binary, with no display: --watch
 * follows a counter another process increments, --find finds a pattern in
 * a sparse segment without allocating it, and what is malformed exits 2. */
#include "config.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-test-util.h"

typedef struct
{
  GPid     pid;
  int      out;
  GString *text;
} Run;

static void
run_start (Run                *run,
           const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_environ_unsetenv (g_get_environ (), "DISPLAY");

  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  g_ptr_array_add (argv, (char *) g_getenv ("PAGESCOPE_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &run->pid, NULL, &run->out, NULL, &error);
  g_assert_no_error (error);
  g_unix_set_fd_nonblocking (run->out, TRUE, NULL);
  run->text = g_string_new (NULL);
}

static void
run_read (Run *run)
{
  char buf[4096];
  ssize_t n;

  while ((n = read (run->out, buf, sizeof buf)) > 0)
    g_string_append_len (run->text, buf, n);
}

/* Waits for the process to end (deadline 20 s); its exit status. */
static int
run_finish (Run *run)
{
  int status = ps_test_reap (run->pid, 20000);

  run_read (run);
  close (run->out);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

typedef struct
{
  Run        *run;
  const char *needle;
} Seen;

static gboolean
output_has (gpointer data)
{
  Seen *s = data;

  run_read (s->run);
  return strstr (s->run->text->str, s->needle) != NULL;
}

typedef struct
{
  GPid        pid;
  const char *path;
} MapsWait;

static gboolean
maps_file (gpointer data)
{
  MapsWait *w = data;
  g_autofree char *maps_path = g_strdup_printf ("/proc/%d/maps", (int) w->pid);
  g_autofree char *maps = NULL;

  return g_file_get_contents (maps_path, &maps, NULL, NULL) && strstr (maps, w->path) != NULL;
}

/* A writer (pagescope-writer, unrelated) counts to 200 at 0x40; the watch
 * prints strictly increasing values ending with 200, as JSON Lines, and
 * SIGINT ends it cleanly. */
static void
test_watch_counter (void)
{
  g_autofree char *path = ps_test_file ("headless-watch", ps_test_page_size (), 0);
  const char *watch[] = { "--watch", "c:u64@0x40", "--json", "--interval", "10ms", path, NULL };
  const char *writer[] = { g_getenv ("PAGESCOPE_WRITER"), "--pattern", "counter", "--offset", "0x40",
                           "--length", "8", "--count", "200", "--rate", "500", path, NULL };
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  Seen seen = { &run, "\"new\":200}" };
  gint64 last = 0;
  int status;

  g_assert_nonnull (writer[0]);
  run_start (&run, watch);
  /* the watch reads its first value as soon as it has mapped the file: the
   * writer starts after that (the watch prints nothing until a change) */
  {
    MapsWait w = { run.pid, path };

    g_assert_true (ps_test_wait_until (maps_file, &w, 20000));
  }
  g_assert_true (g_spawn_sync (NULL, (char **) writer, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (ps_test_wait_until (output_has, &seen, 20000));
  kill (run.pid, SIGINT);
  g_assert_cmpint (run_finish (&run), ==, 0);

  lines = g_strsplit (g_strstrip (run.text->str), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *new = strstr (lines[i], "\"new\":");
      gint64 value;

      g_assert_nonnull (new);
      ps_assert_contains (lines[i], "\"name\":\"c\",\"offset\":64,\"type\":\"u64le\"");
      value = g_ascii_strtoll (new + 6, NULL, 10);
      g_assert_cmpint (value, >, last);
      g_assert_cmpint (value, <=, 200);
      last = value;
    }
  g_assert_cmpint (last, ==, 200);
  g_string_free (run.text, TRUE);
}

/* A pattern across a page boundary of a 64 MiB segment with holes: found,
 * and the segment's allocated size has not grown. */
static void
test_find_sparse (void)
{
  gsize page = ps_test_page_size ();
  g_autofree char *name = ps_test_posix_name ("headless-find");
  g_autofree char *expected = g_strdup_printf ("0x%" G_GSIZE_MODIFIER "x\n", 77 * page - 3);
  const char *find[] = { "--find", "text:ACROSS", "--posix", name, NULL };
  const char *all[] = { "--find", "text:ACROSS", "--all", "--posix", name, NULL };
  const char *none[] = { "--find", "text:NOWHERE", "--posix", name, NULL };
  Run run = { 0 };
  guint64 allocated;
  int fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL, 0600);

  g_assert_cmpint (fd, >=, 0);
  ps_test_queue_shm_unlink (name);
  g_assert_cmpint (ftruncate (fd, 64 << 20), ==, 0);
  g_assert_cmpint (pwrite (fd, "ACROSS", 6, 77 * page - 3), ==, 6);
  g_assert_cmpint (pwrite (fd, "ACROSS", 6, 9000 * page), ==, 6);
  allocated = ps_test_allocated (fd);

  run_start (&run, find);
  g_assert_cmpint (run_finish (&run), ==, 0);
  g_assert_cmpstr (run.text->str, ==, expected);
  g_string_free (run.text, TRUE);

  run_start (&run, all);
  g_assert_cmpint (run_finish (&run), ==, 0);
  {
    g_autofree char *both = g_strdup_printf ("%s0x%" G_GSIZE_MODIFIER "x\n", expected, 9000 * page);

    g_assert_cmpstr (run.text->str, ==, both);
  }
  g_string_free (run.text, TRUE);

  run_start (&run, none);
  g_assert_cmpint (run_finish (&run), ==, 0);
  g_assert_cmpstr (run.text->str, ==, "");
  g_string_free (run.text, TRUE);

  g_assert_cmpuint (ps_test_allocated (fd), ==, allocated);
  close (fd);
}

/* Another process's mapping (--pid, --map): an unrelated pagescope-writer
 * counts at 0x40 of a file it maps; the watch follows its counter through
 * /proc/PID/mem, and find finds bytes in its mapping. */
static void
test_process_view (void)
{
  g_autofree char *path = ps_test_file ("headless-pid", ps_test_page_size (), 0);
  const char *writer[] = { g_getenv ("PAGESCOPE_WRITER"), "--pattern", "counter", "--offset", "0x40",
                           "--length", "8", "--rate", "200", "--quiet", path, NULL };
  g_autofree char *pid_text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  GPid pid;
  gint64 last = 0;
  int fd = open (path, O_RDWR);

  g_assert_cmpint (pwrite (fd, "MARKER", 6, 0x100), ==, 6);
  close (fd);
  g_assert_true (g_spawn_async (NULL, (char **) writer, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  {
    MapsWait w = { pid, path };

    g_assert_true (ps_test_wait_until (maps_file, &w, 20000));
  }
  pid_text = g_strdup_printf ("%d", (int) pid);

  {
    const char *watch[] = { "--watch", "c:u64@0x40", "--json", "--interval", "10ms", "--count", "5",
                            "--pid", pid_text, "--map", path, NULL };

    run_start (&run, watch);
    g_assert_cmpint (run_finish (&run), ==, 0);
    lines = g_strsplit (g_strstrip (run.text->str), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 5);
    for (guint i = 0; lines[i] != NULL; i++)
      {
        const char *new = strstr (lines[i], "\"new\":");
        gint64 value;

        g_assert_nonnull (new);
        value = g_ascii_strtoll (new + 6, NULL, 10);
        g_assert_cmpint (value, >, last);
        last = value;
      }
    g_string_free (run.text, TRUE);
  }
  {
    const char *find[] = { "--find", "text:MARKER", "--pid", pid_text, "--map", path, NULL };

    run_start (&run, find);
    g_assert_cmpint (run_finish (&run), ==, 0);
    g_assert_cmpstr (run.text->str, ==, "0x100\n");
    g_string_free (run.text, TRUE);
  }
  kill (pid, SIGTERM);
  ps_test_reap (pid, 20000);
  g_spawn_close_pid (pid);
}

/* --pread: --find reads a sparse file with pread, finds what is there, and
 * reads no hole (the file's allocation stays as it was). */
static void
test_pread_find (void)
{
  gsize page = ps_test_page_size ();
  g_autofree char *path = ps_test_temp_path ("headless-pread");
  g_autofree char *expected = g_strdup_printf ("0x%" G_GSIZE_MODIFIER "x\n0x%" G_GSIZE_MODIFIER "x\n",
                                               77 * page - 3, 9000 * page);
  const char *all[] = { "--find", "text:ACROSS", "--all", "--pread", path, NULL };
  Run run = { 0 };
  guint64 allocated;
  int fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 64 << 20), ==, 0);
  g_assert_cmpint (pwrite (fd, "ACROSS", 6, 77 * page - 3), ==, 6);
  g_assert_cmpint (pwrite (fd, "ACROSS", 6, 9000 * page), ==, 6);
  allocated = ps_test_allocated (fd);

  run_start (&run, all);
  g_assert_cmpint (run_finish (&run), ==, 0);
  g_assert_cmpstr (run.text->str, ==, expected);
  g_string_free (run.text, TRUE);
  g_assert_cmpuint (ps_test_allocated (fd), ==, allocated);
  close (fd);
}

static void
test_refused (void)
{
  static const struct { const char *args[8]; int status; } cases[] = {
    { { "--watch", "bad", "/etc/hostname", NULL }, 2 },
    { { "--watch", "c:u128@0", "/etc/hostname", NULL }, 2 },
    { { "--watch", "c:u8@0", "--find", "00", "/etc/hostname", NULL }, 2 },
    { { "--watch", "c:u8@0", NULL }, 2 },
    { { "--watch", "c:u8@0", "--all", "/etc/hostname", NULL }, 2 },
    { { "--find", "00", "--count", "3", "/etc/hostname", NULL }, 2 },
    { { "--find", "zz", "/etc/hostname", NULL }, 2 },
    { { "--interval", "1s", NULL }, 2 },
    { { "--watch", "c:u8@0", "--duration", "forever", "/etc/hostname", NULL }, 2 },
    { { "--watch", "c:u8@0", "/nonexistent/file", NULL }, 1 },
    { { "--watch", "c:u64@0x100000", "/etc/hostname", NULL }, 1 },
    { { "--find", "00", "/nonexistent/file", NULL }, 1 },
    { { "--find", "00", "--pid", "1", NULL }, 2 },
    { { "--find", "00", "--map", "/etc/hostname", NULL }, 2 },
    { { "--find", "00", "--pid", "x", "--map", "/etc/hostname", NULL }, 2 },
    { { "--find", "00", "--pid", "1", "--map", "/etc/hostname", "--private", NULL }, 2 },
    { { "--find", "00", "--pid", "1", "--map", "/etc/hostname", "/etc/hostname", NULL }, 2 },
    { { "--find", "00", "--pid", "4194304", "--map", "/etc/hostname", NULL }, 1 },
    { { "--find", "00", "--pread", "--writable", "/etc/hostname", NULL }, 2 },
    { { "--find", "00", "--pread", "--private", "/etc/hostname", NULL }, 2 },
    { { "--find", "00", "--pread", "--anon", "4K", NULL }, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = { 0 };
      int status;

      run_start (&run, cases[i].args);
      status = run_finish (&run);
      if (status != cases[i].status)
        g_error ("%s …: exit %d, not %d", cases[i].args[0], status, cases[i].status);
      g_string_free (run.text, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  ps_test_init (&argc, &argv);
  g_assert_nonnull (g_getenv ("PAGESCOPE_BIN"));

  g_test_add_func ("/headless/watch-counter", test_watch_counter);
  g_test_add_func ("/headless/find-sparse", test_find_sparse);
  g_test_add_func ("/headless/process-view", test_process_view);
  g_test_add_func ("/headless/pread-find", test_pread_find);
  g_test_add_func ("/headless/refused", test_refused);
  return g_test_run ();
}
