/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The long fault tests of the real pagescope binary (meson suite chaos,
 * apart from test-actions so that one stays well under its timeout):
 *
 * - a storm of 1000 truncate/shrink/extend cycles of the watched file, the
 *   hex view on its tail and writers writing, while this process times a
 *   D-Bus call the app's main loop answers itself (org.gtk.Actions.List, not
 *   Peer.Ping, which GDBus answers on its own thread);
 * - 200 spawn/stop cycles of writers and 100 write-bytes, the app's VmRSS
 *   measured after a warm-up and at the end;
 * - SIGKILL of the app with 8 writers and a probe sweep running;
 * - the command line run as user nobody against root's 0600 file, POSIX and
 *   SysV segments and root's process: a clear error, exit 1, nothing changed.
 *
 * The app runs on a private D-Bus daemon (ps-app-test-util.c); this process
 * is a child subreaper, so no writer can outlive a failure unseen. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-app-test-util.h"
#include "ps-test-util.h"

static gsize PAGE;

/* the bound issue 12 sets on the main loop's answer */
#define ANSWER_BOUND_US (300 * G_TIME_SPAN_MILLISECOND)

/* ---- /proc ------------------------------------------------------------------- */

/* Nanoseconds the thread has spent runnable but waiting for a CPU (the second
 * field of /proc/PID/task/TID/schedstat); -1 if the kernel does not say. */
static gint64
run_delay_ns (pid_t pid,
              pid_t tid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task/%d/schedstat", (int) pid, (int) tid);
  g_autofree char *text = NULL;
  unsigned long long on_cpu, waiting;

  if (!g_file_get_contents (path, &text, NULL, NULL) || sscanf (text, "%llu %llu", &on_cpu, &waiting) != 2)
    return -1;
  return (gint64) waiting;
}

/* A line of /proc/PID/status in kB ("VmRSS"), -1 if absent. */
static gint64
status_kib (pid_t       pid,
            const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *at;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (at = strstr (text, key)) == NULL)
    return -1;
  return g_ascii_strtoll (at + strlen (key), NULL, 10);
}

static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return 0;
  return g_ascii_strtod (text, NULL);
}

static gboolean
app_has_no_child (gpointer data)
{
  App *app = data;
  g_autofree char *children = children_of (app->pid, 0);

  return *children == '\0';
}

/* ---- the truncation storm -------------------------------------------------- */

typedef struct
{
  pid_t   pid;           /* the app; its main thread's tid is its pid */
  char   *object_path;
  gint    stop;
  GArray *raw_us;        /* gint64: each call's round trip */
  GArray *waited_us;     /* gint64: what of it the main thread waited for a CPU */
  gboolean no_schedstat;
  char   *failure;       /* the first call that failed */
} Answers;

/* Times org.gtk.Actions.List, which the app's main loop answers (GApplication
 * exports its actions in the main context), again and again until told to
 * stop. */
static gpointer
time_answers (gpointer data)
{
  Answers *a = data;

  while (!g_atomic_int_get (&a->stop))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = NULL;
      gint64 w0 = run_delay_ns (a->pid, a->pid);
      gint64 t0 = g_get_monotonic_time ();
      gint64 raw, w1, waited;

      reply = g_dbus_connection_call_sync (bus, APP_ID, a->object_path, "org.gtk.Actions", "List", NULL,
                                           G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, DEADLINE_MS, NULL, &error);
      raw = g_get_monotonic_time () - t0;
      w1 = run_delay_ns (a->pid, a->pid);
      if (reply == NULL)
        {
          a->failure = g_strdup (error->message);
          break;
        }
      if (w0 < 0 || w1 < 0)
        a->no_schedstat = TRUE;
      waited = w0 >= 0 && w1 >= w0 ? (w1 - w0) / 1000 : 0;
      g_array_append_val (a->raw_us, raw);
      g_array_append_val (a->waited_us, waited);
      g_usleep (2000);
    }
  return NULL;
}

static int
cmp_gint64 (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The q-quantile of values (sorted in place). */
static gint64
quantile (GArray *values,
          double  q)
{
  g_array_sort (values, cmp_gint64);
  return g_array_index (values, gint64, (guint) ((values->len - 1) * q));
}

/* The storm's sizes: 0, then one that is no page multiple (somewhere in the
 * first 15 pages, cut inside a page), then the whole file again. */
static off_t
odd_size (guint cycle)
{
  return (off_t) ((cycle * 7) % 15) * PAGE + 1 + (cycle * 131) % (PAGE - 1);
}

static void
test_truncate_storm_responsive (void)
{
  gsize size = 16 * PAGE;
  g_autofree char *path = ps_test_file ("chaos-storm", size, 's');
  const char *args[] = { "--writable", "--log", path, NULL };
  Answers answers = { 0 };
  g_autoptr(GArray) corrected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) raw_sorted = NULL;
  GThread *thread;
  gint64 raw_max = 0, corrected_max = 0, waited_total = 0, worst_raw = 0, worst_waited = 0, t0;
  guint worst = 0, spawned = 2, sigbus = 0;
  double load, per_core;
  guint from = 0;
  App *app;
  int fd;

  fd = open (path, O_RDWR | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  app = app_start (args);
  /* the hex view on the file's tail, which the storm cuts away and brings back */
  gapp_action ("goto", "end");
  gapp_action ("spawn-writers", "2 counter 1000");
  g_array_unref (wait_forks (app, &from, 2));

  answers.pid = app->pid;
  answers.object_path = g_strdelimit (g_strconcat ("/", APP_ID, NULL), ".", '/');
  answers.raw_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  answers.waited_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  thread = g_thread_new ("answers", time_answers, &answers);

  t0 = g_get_monotonic_time ();
  for (guint cycle = 0; cycle < 1000; cycle++)
    {
      g_assert_cmpint (ftruncate (fd, 0), ==, 0);
      app_pump (app, 1);
      g_assert_cmpint (ftruncate (fd, odd_size (cycle)), ==, 0);
      app_pump (app, 1);
      g_assert_cmpint (ftruncate (fd, size), ==, 0);
      app_pump (app, 1);
      /* writers that a cut killed (SIGBUS) are replaced: writers keep writing */
      if (cycle % 100 == 99)
        {
          gapp_action ("spawn-writers", "2 counter 1000");
          spawned += 2;
        }
      g_assert_true (app_alive (app));
    }
  g_atomic_int_set (&answers.stop, 1);
  g_thread_join (thread);
  g_test_message ("1000 truncation cycles in %.1f s",
                  (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC);
  close (fd);

  if (answers.failure != NULL)
    g_error ("org.gtk.Actions.List failed during the storm: %s", answers.failure);
  g_assert_cmpuint (answers.raw_us->len, >=, 20);
  for (guint i = 0; i < answers.raw_us->len; i++)
    {
      gint64 raw = g_array_index (answers.raw_us, gint64, i);
      gint64 waited = g_array_index (answers.waited_us, gint64, i);
      gint64 c = MAX (raw - waited, 0);

      g_array_append_val (corrected, c);
      waited_total += waited;
      if (raw > raw_max)
        raw_max = raw;
      if (c > corrected_max)
        {
          corrected_max = c;
          worst = i;
        }
    }
  worst_raw = g_array_index (answers.raw_us, gint64, worst);
  worst_waited = g_array_index (answers.waited_us, gint64, worst);
  raw_sorted = g_array_copy (answers.raw_us);
  load = load_average ();
  per_core = load / g_get_num_processors ();
  g_test_message ("%u calls of org.gtk.Actions.List during the storm: raw median %.1f ms, p99 %.1f ms, max %.1f ms; "
                  "less the main thread's wait for a CPU (schedstat%s): median %.1f ms, p99 %.1f ms, max %.1f ms "
                  "(call %u: raw %.1f ms, waited %.1f ms); %.1f s waited in all; load average %.2f on %u cores",
                  answers.raw_us->len, quantile (raw_sorted, 0.5) / 1000.0, quantile (raw_sorted, 0.99) / 1000.0,
                  raw_max / 1000.0, answers.no_schedstat ? ", NOT AVAILABLE" : "",
                  quantile (corrected, 0.5) / 1000.0, quantile (corrected, 0.99) / 1000.0, corrected_max / 1000.0,
                  worst, worst_raw / 1000.0, worst_waited / 1000.0, waited_total / 1e6,
                  load, g_get_num_processors ());

  /* the writers: each the app forked is reaped (those a cut killed too) */
  {
    g_autofree char *reaped = g_strdup_printf ("%u", spawned);

    for (guint i = 0; i < app->lines->len; i++)
      if (strstr (g_ptr_array_index (app->lines, i), "killed by SIGBUS") != NULL)
        sigbus++;
    g_test_message ("%s writers spawned, %u of them killed by SIGBUS when a cut took their page", reaped, sigbus);
  }
  gapp_action ("stop-writers", "");
  g_assert_true (app_wait (app, app_has_no_child, app, DEADLINE_MS));
  app_quit (app);
  app_free (app);
  g_free (answers.object_path);
  g_array_unref (answers.raw_us);
  g_array_unref (answers.waited_us);

  if (corrected_max > ANSWER_BOUND_US)
    {
      g_autofree char *why = g_strdup_printf ("the main loop took %.1f ms to answer (raw %.1f ms, %.1f ms of it "
                                              "waiting for a CPU), over the 300 ms bound, with a load average of "
                                              "%.2f on %u cores",
                                              corrected_max / 1000.0, worst_raw / 1000.0, worst_waited / 1000.0,
                                              load, g_get_num_processors ());

      /* more than two runnable threads a core: the machine, not the app */
      if (per_core > 2)
        g_test_skip (why);
      else
        g_test_fail_printf ("%s", why);
    }
}

/* ---- memory under scripted actions --------------------------------------------- */

typedef struct
{
  App   *app;
  guint *from;
  guint  cycles;
  guint  writes;
} Actions;

/* One spawn/stop cycle of 4 writers; every second cycle, one write-bytes. */
static void
act_cycle (Actions *a)
{
  g_autoptr(GArray) pids = NULL;

  gapp_action ("spawn-writers", "4 counter 1000");
  pids = wait_forks (a->app, a->from, 4);
  gapp_action ("stop-writers", "");
  wait_reaped (a->app, a->from, pids);
  a->cycles++;
  if (a->cycles % 2 == 0)
    {
      guint offset = (a->writes * 97) % (16 * PAGE - 64);
      g_autofree char *arg = g_strdup_printf ("%u \"write %03u\" * 4", offset, a->writes);
      g_autofree char *done = g_strdup_printf ("memcpy\\(0x[0-9a-f]+ \\+ 0x%x, 36 bytes\\) = ok", offset);

      gapp_action ("write-bytes", arg);
      expect_line (a->app, a->from, done);
      a->writes++;
    }
}

static void
test_memory_bounded (void)
{
  g_autofree char *path = ps_test_file ("chaos-memory", 16 * PAGE, 'm');
  const char *args[] = { "--writable", "--log", path, NULL };
  gint64 rss_start, rss_warm, rss_end, hwm_end;
  guint from = 0;
  Actions a = { .from = &from };

  a.app = app_start (args);
  rss_start = status_kib (a.app->pid, "VmRSS");
  /* the warm-up: caches, the log view's first rows, GTK's own first uses */
  while (a.cycles < 20)
    act_cycle (&a);
  rss_warm = status_kib (a.app->pid, "VmRSS");
  while (a.cycles < 200)
    act_cycle (&a);
  g_assert_cmpuint (a.writes, ==, 100);
  g_assert_true (app_has_no_child (a.app));
  rss_end = status_kib (a.app->pid, "VmRSS");
  hwm_end = status_kib (a.app->pid, "VmHWM");
  g_test_message ("VmRSS: %" G_GINT64_FORMAT " kB at start, %" G_GINT64_FORMAT " kB after 20 cycles and 10 writes, "
                  "%" G_GINT64_FORMAT " kB after 200 cycles of 4 writers and 100 write-bytes (%+.1f MB since the "
                  "warm-up); VmHWM %" G_GINT64_FORMAT " kB",
                  rss_start, rss_warm, rss_end, (rss_end - rss_warm) / 1024.0, hwm_end);
  g_assert_cmpint (rss_warm, >, 0);
  g_assert_cmpint (rss_end - rss_warm, <, 20 * 1024);

  app_quit (a.app);
  app_free (a.app);
}

/* ---- SIGKILL with 8 writers and a sweep running ----------------------------------- */

typedef struct
{
  GArray *pids;      /* the app's children when it was killed */
  GArray *done;      /* gboolean each: reaped here, or gone */
} Orphans;

/* Reaps each orphan as it dies (this process is their subreaper); one that
 * is not our child (the app reaped it before dying) must be gone. */
static gboolean
orphans_gone (gpointer data)
{
  Orphans *o = data;
  guint left = 0;

  for (guint i = 0; i < o->pids->len; i++)
    {
      gboolean *done = &g_array_index (o->done, gboolean, i);
      pid_t pid = g_array_index (o->pids, pid_t, i);
      int status;
      pid_t r;

      if (*done)
        continue;
      r = waitpid (pid, &status, WNOHANG);
      if (r == pid || (r < 0 && errno == ECHILD && pid_gone (pid, getpid ())))
        *done = TRUE;
      else
        left++;
    }
  return left == 0;
}

/* The app's children now, by /proc. */
static GArray *
app_children (App *app)
{
  g_autofree char *text = children_of (app->pid, 0);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      {
        pid_t pid = atoi (lines[i]);

        g_array_append_val (pids, pid);
      }
  return pids;
}

/* SIGKILL of the app while 8 writers write and a probe sweep's child probes
 * a 16 GiB mapping of a 100-byte file: every child dies with the app (their
 * PR_SET_PDEATHSIG) and is reaped here, their subreaper: no zombie, no
 * orphan goes on running. */
static void
test_sigkill_sweep (void)
{
  g_autofree char *path = ps_test_file ("chaos-kill", 100, 'k');
  const char *args[] = { "--writable", "--length", "16G", "--log", path, NULL };
  g_autofree char *page_1 = g_strdup_printf ("probe\\(offset=0x%zx, read\\) = SIGBUS .*", PAGE);
  Orphans orphans = { 0 };
  guint from = 0;
  App *app;

  app = app_start (args);
  gapp_action ("spawn-writers", "8 counter 1000");
  g_array_unref (wait_forks (app, &from, 8));
  gapp_action ("probe-sweep", "read");
  expect_line (app, &from, page_1);
  orphans.pids = app_children (app);
  g_test_message ("the app's children when it is killed: %u", orphans.pids->len);
  /* the 8 writers and the sweep's child */
  g_assert_cmpuint (orphans.pids->len, ==, 9);
  orphans.done = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_array_set_size (orphans.done, orphans.pids->len);

  g_assert_cmpint (kill (app->pid, SIGKILL), ==, 0);
  g_assert_true (app_wait (app, app_exited, app, DEADLINE_MS));
  g_assert_true (WIFSIGNALED (app->status));
  if (!app_wait (app, orphans_gone, &orphans, DEADLINE_MS))
    {
      g_autofree char *left = children_of (getpid (), bus_pid);

      for (guint i = 0; i < orphans.pids->len; i++)
        if (!g_array_index (orphans.done, gboolean, i))
          ps_test_queue_kill (g_array_index (orphans.pids, pid_t, i));
      g_error ("children of the app still running 10 s after its SIGKILL; ours now:\n%s", left);
    }
  app_finish (app);
  assert_no_stray_children ();
  g_array_unref (orphans.pids);
  g_array_unref (orphans.done);
  app_free (app);
}

/* ---- as user nobody --------------------------------------------------------------- */

static void
become_nobody (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (!ps_test_become_nobody ())
    _exit (125);
}

typedef struct
{
  int    status;
  char  *out;
  char  *err;
} Run;

/* The binary with args, run as nobody to its end. */
static void
run_as_nobody (const char * const *args,
               Run                *run)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("PAGESCOPE_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, child_env, G_SPAWN_DEFAULT, become_nobody, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
}

static char *
bytes_sha256 (const void *data,
              gsize       len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

/* A root process that maps path and waits. */
static int
hold_mapping (gpointer data)
{
  int fd = open (data, O_RDONLY);
  void *at = fd >= 0 ? mmap (NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (at == MAP_FAILED)
    return 1;
  for (;;)
    pause ();
}

typedef struct
{
  const char *what;
  const char *args[8];
  const char *call;     /* what the error must name */
} Attempt;

/* Each as nobody: `pagescope --find` on root's 0600 file, 0600 POSIX and SysV
 * segments, and root's process (its mapping of a file nobody may read):
 * exit 1 (the source cannot be opened, README "Without a window"), one
 * error on stderr naming the call and "Permission denied", nothing on
 * stdout; the objects' bytes, times and attach counts unchanged, the
 * process running. */
static void
test_as_nobody (void)
{
  gsize size = 4 * PAGE;
  g_autofree char *path = NULL;
  g_autofree char *mapped = NULL;
  g_autofree char *posix = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree guint8 *fill = g_malloc (size);
  key_t key;
  int shmid, fd;
  pid_t holder;
  void *at;
  struct stat file_before, file_after;
  struct shmid_ds shm_before, shm_after;
  g_autofree char *file_sum = NULL, *posix_sum = NULL, *sysv_sum = NULL;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root, to run pagescope as user nobody against root's objects");
      return;
    }
  for (gsize i = 0; i < size; i++)
    fill[i] = (guint8) (i * 13 + 1);

  path = ps_test_file ("chaos-nobody", size, 'n');
  g_assert_cmpint (chmod (path, 0600), ==, 0);
  posix = ps_test_posix_segment ("chaos-nobody", size);
  fd = shm_open (posix, O_RDWR, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, fill, size, 0), ==, (gssize) size);
  close (fd);
  key = ps_test_free_sysv_key ();
  shmid = ps_test_sysv_segment (key, size, 0600);
  at = shmat (shmid, NULL, 0);
  g_assert_true (at != (void *) -1);
  memcpy (at, fill, size);
  shmdt (at);
  key_text = g_strdup_printf ("0x%08x", (guint32) key);

  /* root's process, mapping a file anyone may read: only the process is
   * out of nobody's reach */
  mapped = ps_test_file ("chaos-nobody-proc", PAGE, 'p');
  g_assert_cmpint (chmod (mapped, 0644), ==, 0);
  holder = ps_test_fork (hold_mapping, mapped);
  pid_text = g_strdup_printf ("%d", (int) holder);
  {
    /* wait until it has mapped the file */
    g_autofree char *maps = NULL;
    g_autofree char *maps_path = g_strdup_printf ("/proc/%d/maps", (int) holder);
    gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

    while (!(g_file_get_contents (maps_path, &maps, NULL, NULL) && strstr (maps, mapped) != NULL))
      {
        g_clear_pointer (&maps, g_free);
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_usleep (10000);
      }
  }

  g_assert_cmpint (stat (path, &file_before), ==, 0);
  g_assert_cmpint (shmctl (shmid, IPC_STAT, &shm_before), ==, 0);
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    file_sum = bytes_sha256 (contents, len);
  }
  posix_sum = bytes_sha256 (fill, size);
  sysv_sum = g_strdup (posix_sum);

  {
    const Attempt attempts[] = {
      { "root's 0600 file", { "--find", "text:x", path, NULL }, "open(" },
      { "root's 0600 POSIX segment", { "--find", "text:x", "--posix", posix, NULL }, "shm_open(" },
      { "root's 0600 SysV segment", { "--find", "text:x", "--sysv", key_text, NULL }, "shm" },
      { "root's process", { "--find", "text:x", "--pid", pid_text, "--map", mapped, NULL }, "/maps" },
      { "root's 0600 file, writable", { "--watch", "v:u8@0", "--writable", path, NULL }, "open(" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
      {
        Run run = { 0 };

        run_as_nobody (attempts[i].args, &run);
        g_test_message ("as nobody, %s: wait status 0x%x, stderr: %s", attempts[i].what, run.status, run.err);
        g_assert_true (WIFEXITED (run.status));
        g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
        g_assert_cmpstr (run.out, ==, "");
        ps_assert_contains (run.err, "pagescope: ");
        ps_assert_contains (run.err, "Permission denied");
        ps_assert_contains (run.err, attempts[i].call);
        /* one clear line, not a trace */
        g_assert_cmpuint (strlen (run.err), <, 2048);
        g_assert_null (strstr (run.err, "CRITICAL"));
        g_assert_null (strstr (run.err, "WARNING"));
        g_free (run.out);
        g_free (run.err);
      }
  }

  /* nothing changed */
  g_assert_cmpint (stat (path, &file_after), ==, 0);
  g_assert_cmpint (file_after.st_mtim.tv_sec, ==, file_before.st_mtim.tv_sec);
  g_assert_cmpint (file_after.st_mtim.tv_nsec, ==, file_before.st_mtim.tv_nsec);
  g_assert_cmpint (file_after.st_size, ==, file_before.st_size);
  g_assert_cmpuint (file_after.st_mode & 07777, ==, 0600);
  g_assert_cmpuint (file_after.st_uid, ==, 0);
  {
    g_autofree char *contents = NULL;
    g_autofree char *sum = NULL;
    g_autofree guint8 *seg = g_malloc (size);
    gsize len;

    g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
    sum = bytes_sha256 (contents, len);
    g_assert_cmpstr (sum, ==, file_sum);

    fd = shm_open (posix, O_RDONLY, 0);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (pread (fd, seg, size, 0), ==, (gssize) size);
    close (fd);
    g_clear_pointer (&sum, g_free);
    sum = bytes_sha256 (seg, size);
    g_assert_cmpstr (sum, ==, posix_sum);
  }
  g_assert_cmpint (shmctl (shmid, IPC_STAT, &shm_after), ==, 0);
  g_assert_cmpint (shm_after.shm_nattch, ==, shm_before.shm_nattch);
  g_assert_cmpint (shm_after.shm_atime, ==, shm_before.shm_atime);
  g_assert_cmpuint (shm_after.shm_perm.mode & 0777, ==, 0600);
  at = shmat (shmid, NULL, SHM_RDONLY);
  g_assert_true (at != (void *) -1);
  {
    g_autofree char *sum = bytes_sha256 (at, size);

    g_assert_cmpstr (sum, ==, sysv_sum);
  }
  shmdt (at);
  {
    ProcStat st;

    g_assert_true (proc_stat (holder, &st));
    g_assert_cmpint (st.state, !=, 'Z');
    g_assert_cmpint (st.state, !=, 't');
    g_assert_cmpint (st.state, !=, 'T');
  }
  kill (holder, SIGKILL);
  ps_test_reap (holder, DEADLINE_MS);
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

  g_test_add_func ("/actions/chaos/truncate-storm-responsive", test_truncate_storm_responsive);
  g_test_add_func ("/actions/chaos/memory-bounded", test_memory_bounded);
  g_test_add_func ("/actions/chaos/sigkill-sweep", test_sigkill_sweep);
  g_test_add_func ("/chaos/as-nobody", test_as_nobody);
  rc = g_test_run ();

  bus_down ();
  assert_no_stray_children ();
  return rc;
}
