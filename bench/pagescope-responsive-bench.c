/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pagescope-responsive-bench: does the main loop keep answering while long
 * work runs? Starts the real `pagescope` binary on the (virtual) display and
 * the D-Bus session (build-aux/bench gives both), and calls a method its
 * main loop answers itself, org.gtk.Actions.List (not Peer.Ping: GDBus
 * answers that on its own thread), over and over, one call at a time,
 * noting how long each took, while the app
 *   idle     shows a 1 MiB file (the baseline);
 *   sweep    probes every page of a 100-byte file mapped 16 GiB long
 *            (4,194,303 pages past EOF, by children of 16,384 pages each);
 *   msync    runs msync(MS_SYNC) over a 1 GiB file whose every page is
 *            dirty, on a disk file system;
 *   scan4g   scans a 4 GiB POSIX segment, every page allocated, from its
 *            first pass on, at a 10 s interval;
 * and how long SIGTERM takes to end it: on the 1 MiB file (quit_idle) and
 * mid-pass over the 4 GiB segment (quit_4g). The last line:
 *   responsive-ratios: idle_max_ms=A sweep_max_ms=B msync_max_ms=C scan4g_max_ms=D
 *                      quit_idle_ms=E quit_4g_ms=F sweep_vs_idle=G msync_vs_idle=H
 *                      scan4g_vs_idle=I quit_4g_vs_idle=J
 * The targets: every *_max_ms <= 300, quit_4g_ms <= 1000 (issue 11).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/magic.h>

#define MIB          (G_GUINT64_CONSTANT (1) << 20)
#define GIB          (G_GUINT64_CONSTANT (1) << 30)
#define SAMPLE_S     5
#define START_S      60

typedef struct
{
  double max_ms;
  double median_ms;
  guint  n;
} Latency;

static GDBusConnection *bus;
static char *object_path;
static char *config_dir;
static char *pagescope_bin;
static GPid app_pid;
static GPtrArray *files;        /* to remove */
static char *segment_name;
static volatile gint msync_done;

static void
clean_up (void)
{
  if (app_pid > 0)
    {
      kill (app_pid, SIGKILL);
      waitpid (app_pid, NULL, 0);
      app_pid = 0;
    }
  if (files != NULL)
    for (guint i = 0; i < files->len; i++)
      g_unlink (g_ptr_array_index (files, i));
  if (segment_name != NULL)
    shm_unlink (segment_name);
  if (config_dir != NULL)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", config_dir);
      (void) !system (cmd);
    }
}

static void G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN
die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "pagescope-responsive-bench: ");
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  clean_up ();
  exit (1);
}

static void
on_signal (int sig)
{
  clean_up ();
  _exit (128 + sig);
}

/* A directory on a disk: on tmpfs msync writes nothing back. */
static const char *
disk_dir (void)
{
  struct statfs fs;

  if (statfs (g_get_tmp_dir (), &fs) == 0 && fs.f_type != TMPFS_MAGIC)
    return g_get_tmp_dir ();
  return "/var/tmp";
}

static char *
make_file (const char *dir,
           const char *tag,
           guint64     size,
           char        fill)
{
  g_autofree char *template = g_strdup_printf ("%s/pagescope-bench-%d-%s-XXXXXX", dir, (int) getpid (), tag);
  g_autofree char *chunk = g_malloc (MIB);
  int fd = g_mkstemp (template);

  if (fd < 0)
    die ("mkstemp: %s", g_strerror (errno));
  g_ptr_array_add (files, g_strdup (template));
  memset (chunk, fill, MIB);
  for (guint64 done = 0; done < size;)
    {
      gsize n = MIN (MIB, size - done);

      if (pwrite (fd, chunk, n, done) != (gssize) n)
        die ("pwrite: %s", g_strerror (errno));
      done += n;
    }
  close (fd);
  return g_strdup (template);
}

/* ---- the app ---- */

static void
write_settings (guint interval_ms)
{
  g_autofree char *dir = g_build_filename (config_dir, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (dir, "keyfile", NULL);
  g_autofree char *text = g_strdup_printf ("[io/github/pagescope/Pagescope]\n"
                                           "window-width=1200\nwindow-height=800\ninterval=%u\n", interval_ms);

  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents (keyfile, text, -1, NULL))
    die ("cannot write %s", keyfile);
}

/* Reads the app's --log lines; notes when msync is done. */
static gpointer
read_log (gpointer data)
{
  FILE *out = fdopen (GPOINTER_TO_INT (data), "r");
  char line[4096];

  while (out != NULL && fgets (line, sizeof line, out) != NULL)
    if (strstr (line, "msync(") != NULL && strstr (line, ") = ") != NULL)
      g_atomic_int_set (&msync_done, 1);
  if (out != NULL)
    fclose (out);
  return NULL;
}

static gboolean
app_answers (void)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, APP_ID, object_path, "org.gtk.Actions", "List",
                                                           NULL, G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                                           1000, NULL, NULL);
  return reply != NULL;
}

static void
start_app (const char * const *args,
           guint               interval_ms)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  int out_fd;

  write_settings (interval_ms);
  g_ptr_array_add (argv, pagescope_bin);
  g_ptr_array_add (argv, "--log");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "keyfile", TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config_dir, TRUE);
  if (!g_spawn_async_with_pipes (NULL, (char **) argv->pdata, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &app_pid, NULL, &out_fd, NULL, &error))
    die ("%s", error->message);
  g_thread_unref (g_thread_new ("log", read_log, GINT_TO_POINTER (out_fd)));
  deadline = g_get_monotonic_time () + START_S * G_USEC_PER_SEC;
  while (!app_answers ())
    {
      if (g_get_monotonic_time () > deadline || waitpid (app_pid, NULL, WNOHANG) == app_pid)
        die ("pagescope never answered on D-Bus");
      g_usleep (100 * 1000);
    }
  g_usleep (2 * G_USEC_PER_SEC);   /* the first frames: not what is measured */
}

static void
activate (const char *action,
          const char *parameter)
{
  GVariantBuilder params;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  g_variant_builder_init (&params, G_VARIANT_TYPE ("av"));
  if (parameter != NULL)
    g_variant_builder_add (&params, "v", g_variant_new_string (parameter));
  reply = g_dbus_connection_call_sync (bus, APP_ID, object_path, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sav@a{sv})", action, &params,
                                                      g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  if (reply == NULL)
    die ("activate %s: %s", action, error->message);
}

/* SIGTERM, and how long until the process is gone. */
static double
quit_app (void)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + 30 * G_USEC_PER_SEC;

  kill (app_pid, SIGTERM);
  while (waitpid (app_pid, NULL, WNOHANG) != app_pid)
    {
      if (g_get_monotonic_time () > deadline)
        die ("pagescope did not quit within 30 s of SIGTERM");
      g_usleep (1000);
    }
  app_pid = 0;
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Calls List back to back for seconds (or, done given, until done says
 * so, at most 60 s), timing each call. */
static Latency
sample (double           seconds,
        volatile gint   *done)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 end = g_get_monotonic_time () + (gint64) ((done != NULL ? 60 : seconds) * G_USEC_PER_SEC);
  Latency l = { 0 };

  while (g_get_monotonic_time () < end && (done == NULL || !g_atomic_int_get (done)))
    {
      gint64 t0 = g_get_monotonic_time ();
      double took;

      if (!app_answers ())
        die ("pagescope did not answer org.gtk.Actions.List within 1 s");
      took = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (ms, took);
      g_usleep (5 * 1000);
    }
  if (ms->len == 0)
    return l;
  qsort (ms->data, ms->len, sizeof (double), cmp_double);
  l.n = ms->len;
  l.max_ms = g_array_index (ms, double, ms->len - 1);
  l.median_ms = g_array_index (ms, double, ms->len / 2);
  return l;
}

static void
report (const char    *what,
        const Latency *l)
{
  printf ("  %-8s %5u calls  median %7.2f ms  max %7.2f ms\n", what, l->n, l->median_ms, l->max_ms);
  fflush (stdout);
}

/* ---- the cases ---- */

static Latency
run_sweep (void)
{
  g_autofree char *path = make_file (g_get_tmp_dir (), "sweep", 100, 's');
  const char *args[] = { "--length", "16G", path, NULL };
  Latency l;

  start_app (args, 100);
  activate ("probe-sweep", "read");
  l = sample (SAMPLE_S, NULL);
  activate ("cancel-sweep", NULL);
  quit_app ();
  return l;
}

static Latency
run_msync (void)
{
  g_autofree char *path = make_file (disk_dir (), "msync", GIB, 'a');
  const char *args[] = { "--writable", path, NULL };
  g_autofree char *chunk = g_malloc (MIB);
  Latency l;
  int fd;

  start_app (args, 100);
  /* every page dirty: written through the page cache the app maps */
  fd = open (path, O_WRONLY);
  memset (chunk, 'b', MIB);
  for (guint64 done = 0; done < GIB; done += MIB)
    if (pwrite (fd, chunk, MIB, done) != (gssize) MIB)
      die ("pwrite: %s", g_strerror (errno));
  close (fd);
  g_atomic_int_set (&msync_done, 0);
  activate ("msync", "sync");
  l = sample (0, &msync_done);
  if (!g_atomic_int_get (&msync_done))
    die ("msync did not end within 60 s");
  quit_app ();
  return l;
}

static Latency
run_scan4g (double *quit_ms)
{
  g_autofree char *name = g_strdup_printf ("/pagescope-bench-%d-4g", (int) getpid ());
  const char *args[] = { "--posix", name, NULL };
  int fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL, 0600);
  guint8 *data;
  Latency l;

  if (fd < 0)
    die ("shm_open: %s", g_strerror (errno));
  segment_name = g_strdup (name);
  if (ftruncate (fd, 4 * GIB) != 0 || (data = mmap (NULL, 4 * GIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED)
    die ("4 GiB segment: %s", g_strerror (errno));
  close (fd);
  for (guint64 off = 0; off < 4 * GIB; off += 4096)
    data[off] = (guint8) (off >> 12);
  munmap (data, 4 * GIB);

  start_app (args, 10000);
  l = sample (SAMPLE_S, NULL);
  *quit_ms = quit_app ();
  shm_unlink (segment_name);
  g_clear_pointer (&segment_name, g_free);
  return l;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  Latency idle, sweep, msync, scan4g;
  double quit_idle, quit_4g;

  signal (SIGINT, on_signal);
  signal (SIGTERM, on_signal);
  signal (SIGHUP, on_signal);
  if (g_getenv ("DISPLAY") == NULL || g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      printf ("pagescope-responsive-bench: needs a display and a D-Bus session (build-aux/bench)\n");
      return 77;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    die ("%s", error->message);
  object_path = g_strdelimit (g_strconcat ("/", APP_ID, NULL), ".", '/');
  files = g_ptr_array_new_with_free_func (g_free);
  config_dir = g_dir_make_tmp ("pagescope-bench-XXXXXX", NULL);
  {
    g_autofree char *dir = g_path_get_dirname (argv[0]);

    /* beside this program's build directory, or another build's binary */
    pagescope_bin = argc > 1 ? g_strdup (argv[1]) : g_build_filename (dir, "..", "src", "pagescope", NULL);
  }

  printf ("pagescope-responsive-bench: org.gtk.Actions.List answered by the main loop, one call at a time\n");
  {
    g_autofree char *path = make_file (g_get_tmp_dir (), "idle", MIB, 'i');
    const char *args[] = { path, NULL };

    start_app (args, 100);
    idle = sample (SAMPLE_S, NULL);
    quit_idle = quit_app ();
  }
  report ("idle", &idle);
  sweep = run_sweep ();
  report ("sweep", &sweep);
  msync = run_msync ();
  report ("msync", &msync);
  scan4g = run_scan4g (&quit_4g);
  report ("scan4g", &scan4g);
  printf ("  SIGTERM to exit: %.1f ms on 1 MiB, %.1f ms mid-pass over 4 GiB\n", quit_idle, quit_4g);

  printf ("responsive-ratios: idle_max_ms=%.1f sweep_max_ms=%.1f msync_max_ms=%.1f scan4g_max_ms=%.1f "
          "quit_idle_ms=%.1f quit_4g_ms=%.1f sweep_vs_idle=%.2f msync_vs_idle=%.2f scan4g_vs_idle=%.2f "
          "quit_4g_vs_idle=%.2f\n",
          idle.max_ms, sweep.max_ms, msync.max_ms, scan4g.max_ms, quit_idle, quit_4g,
          sweep.max_ms / MAX (idle.max_ms, 0.01), msync.max_ms / MAX (idle.max_ms, 0.01),
          scan4g.max_ms / MAX (idle.max_ms, 0.01), quit_4g / MAX (quit_idle, 0.01));
  clean_up ();
  return 0;
}
