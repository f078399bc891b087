/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pagescope-cost-bench: what watching costs, all of it. Runs the real
 * `pagescope` binary in a child process on the (virtual) display, as a user
 * would, on a 1 GiB POSIX segment, and measures its whole process CPU (every
 * thread: scanner, main, the renderer's) from /proc. Another process writes
 * into the segment: `pagescope-writer`, or this program itself. Needs a
 * display (xvfb-run -a, as build-aux/bench does). The last line:
 *   cost-ratios: idle_cpu_pct=A idle_draw_pct=B busy_cpu_pct=C load_kept=D budget_kept_pct=E change_to_pixels_ms=F
 *                big_idle_cpu_pct=G big_busy_cpu_pct=H
 *
 * idle_cpu_pct     whole process, % of one core, over 10 s watching an
 *                  allocated, unchanging 1 GiB segment (target <= budget + 5)
 * idle_draw_pct    the same less the scanner thread (target <= 3)
 * busy_cpu_pct     while pagescope-writer writes 1000 random bytes a second
 *                  into it (target <= 35 with the default budget of 25)
 * load_kept        throughput of a load of two processes working in a shared
 *                  segment with Pagescope watching it, over without (it
 *                  stopped); alternated 5 times, the median (target >= 0.9)
 * budget_kept_pct  busy_cpu_pct with the budget set to 5 % (target <= 8)
 * change_to_pixels_ms  from a write by this process to the grid's pixels on
 *                  the screen changing, at the default interval (median)
 * big_idle_cpu_pct, big_busy_cpu_pct  the idle and busy cases on a 16 GiB
 *                  segment (1 GiB of it allocated, a page in 16), shown
 *                  whole at Fit, a cell a run of pages (targets as above)
 */
#include "config.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define GIB            (G_GUINT64_CONSTANT (1) << 30)
#define LOAD_BYTES     (G_GUINT64_CONSTANT (256) << 20)
#define MEASURE_S      10
#define LOAD_S         3
#define N_LOAD_PAIRS   5
#define LOAD_WARMUP_S  1
#define N_PIXEL_TRIALS 9
#define COLD_RGB       0x3b4057      /* the grid's colour of a page that never changed */

typedef struct
{
  char   *name;
  guint8 *data;
  gsize   size;
  gsize   allocated;    /* bytes written into */
} Segment;

static Segment watched, loaded, big;
static char *config_dir;
static GPid app_pid, writer_pid;
static Display *xdisplay;
static char *pagescope_bin, *writer_bin;

/* ---- clean-up, whatever happens ---- */

static void
stop_child (GPid *pid)
{
  if (*pid <= 0)
    return;
  kill (*pid, SIGTERM);
  kill (*pid, SIGCONT);     /* a stopped child would never see it */
  waitpid (*pid, NULL, 0);
  *pid = 0;
}

static void
remove_segment (Segment *segment)
{
  if (segment->name == NULL)
    return;
  if (segment->data != NULL)
    munmap (segment->data, segment->size);
  shm_unlink (segment->name);
  g_clear_pointer (&segment->name, g_free);
}

static void
clean_up (void)
{
  stop_child (&writer_pid);
  stop_child (&app_pid);
  remove_segment (&watched);
  remove_segment (&loaded);
  remove_segment (&big);
  if (config_dir != NULL)
    {
      g_autofree char *keyfile = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
      g_autofree char *settings = g_build_filename (config_dir, "glib-2.0", "settings", NULL);
      g_autofree char *glib = g_build_filename (config_dir, "glib-2.0", NULL);

      g_unlink (keyfile);
      g_rmdir (settings);
      g_rmdir (glib);
      g_rmdir (config_dir);
      g_clear_pointer (&config_dir, g_free);
    }
}

static void G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN
die (const char *format,
     ...)
{
  va_list args;
  g_autofree char *message = NULL;

  /* the message may name what clean_up frees */
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  clean_up ();
  fprintf (stderr, "%s\n", message);
  exit (1);
}

static void
on_signal (int sig)
{
  clean_up ();
  _exit (128 + sig);
}

static void
make_segment_every (Segment    *segment,
                    const char *tag,
                    gsize       size,
                    gsize       stride);

static void
make_segment (Segment    *segment,
              const char *tag,
              gsize       size)
{
  make_segment_every (segment, tag, size, 64);
}

/* A segment with a byte written every stride bytes: allocated all through
 * for a stride under a page, else one page in stride / 4096. */
static void
make_segment_every (Segment    *segment,
                    const char *tag,
                    gsize       size,
                    gsize       stride)
{
  int fd;

  segment->name = g_strdup_printf ("/pagescope-bench-%s-%d", tag, (int) getpid ());
  segment->size = size;
  fd = shm_open (segment->name, O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    die ("shm_open(\"%s\"): %s", segment->name, g_strerror (errno));
  if (ftruncate (fd, size) != 0)
    die ("ftruncate(%s): %s", segment->name, g_strerror (errno));
  segment->data = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close (fd);
  if (segment->data == MAP_FAILED)
    die ("mmap(%s): %s", segment->name, g_strerror (errno));
  /* allocated where written */
  for (gsize i = 0; i < size; i += stride)
    segment->data[i] = (guint8) (i / 4096 * 7 + i / 64);
  segment->allocated = stride < 4096 ? size : size / (stride / 4096);
}

/* ---- CPU from /proc ---- */

/* utime + stime of a /proc/.../stat file, in clock ticks; -1 if gone. */
static gint64
stat_ticks (const char *path,
            char       *comm,
            gsize       comm_size)
{
  g_autofree char *text = NULL;
  const char *open, *close;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return -1;
  open = strchr (text, '(');
  close = strrchr (text, ')');
  if (open == NULL || close == NULL)
    return -1;
  if (comm != NULL)
    g_strlcpy (comm, open + 1, MIN (comm_size, (gsize) (close - open)));
  /* after ") ": state is field 3; utime 14, stime 15 */
  fields = g_strsplit (close + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return -1;
  return g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10);
}

typedef struct
{
  gint64      wall_us;
  gint64      process;
  GHashTable *threads;     /* "comm" -> ticks summed over threads of that name */
  gint64      xserver;
} CpuSample;

static GPid
find_xserver (void)
{
  const char *display = g_getenv ("DISPLAY");
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *entry;

  if (display == NULL || dir == NULL)
    return 0;
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", entry, "cmdline", NULL);
      g_autofree char *cmdline = NULL;
      gsize len;

      if (!g_ascii_isdigit (entry[0]) || !g_file_get_contents (path, &cmdline, &len, NULL))
        continue;
      /* argv[0] Xvfb (or Xorg), argv[1] the display */
      if ((g_str_has_suffix (cmdline, "Xvfb") || g_str_has_suffix (cmdline, "Xorg")) &&
          strlen (cmdline) + 1 < len && g_str_equal (cmdline + strlen (cmdline) + 1, display))
        return atoi (entry);
    }
  return 0;
}

static CpuSample
sample (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *task_dir = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr(GDir) dir = g_dir_open (task_dir, 0, NULL);
  CpuSample s = { 0 };
  const char *entry;
  GPid xserver = find_xserver ();

  s.wall_us = g_get_monotonic_time ();
  s.process = stat_ticks (path, NULL, 0);
  s.threads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *tpath = g_build_filename (task_dir, entry, "stat", NULL);
      char comm[64] = "";
      gint64 ticks = stat_ticks (tpath, comm, sizeof comm);

      /* llvmpipe-0, llvmpipe-1: one line for the renderer's threads */
      if (g_str_has_prefix (comm, "llvmpipe-"))
        strcpy (comm, "llvmpipe-*");
      if (ticks >= 0)
        g_hash_table_insert (s.threads, g_strdup (comm),
                             GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (s.threads, comm)) + (int) ticks));
    }
  if (xserver > 0)
    {
      g_autofree char *xpath = g_strdup_printf ("/proc/%d/stat", xserver);
      s.xserver = stat_ticks (xpath, NULL, 0);
    }
  return s;
}

static double
pct (gint64 ticks,
     gint64 wall_us)
{
  return 100.0 * ticks / sysconf (_SC_CLK_TCK) / (wall_us / 1e6);
}

typedef struct
{
  double process;
  double scanner;
  double xserver;
} Cost;

/* The process's CPU over `seconds`, with a line per thread name. */
static Cost
measure (const char *what,
         GPid        pid,
         int         seconds)
{
  CpuSample a = sample (pid), b;
  GHashTableIter iter;
  gpointer key, value;
  gint64 wall;
  Cost cost;

  g_usleep ((gulong) seconds * G_USEC_PER_SEC);
  b = sample (pid);
  wall = b.wall_us - a.wall_us;
  if (a.process < 0 || b.process < 0)
    die ("pagescope (pid %d) exited while measuring %s", pid, what);
  cost.process = pct (b.process - a.process, wall);
  cost.scanner = pct (GPOINTER_TO_INT (g_hash_table_lookup (b.threads, "pagescope-scan")) -
                      GPOINTER_TO_INT (g_hash_table_lookup (a.threads, "pagescope-scan")), wall);
  cost.xserver = a.xserver > 0 && b.xserver > 0 ? pct (b.xserver - a.xserver, wall) : -1;

  printf ("  %-44s %6.1f %% of a core\n", what, cost.process);
  g_hash_table_iter_init (&iter, b.threads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      double share = pct (GPOINTER_TO_INT (value) - GPOINTER_TO_INT (g_hash_table_lookup (a.threads, key)), wall);

      if (share >= 0.5)
        printf ("      thread %-35s %6.1f %%\n", (char *) key, share);
    }
  if (cost.xserver >= 0)
    printf ("      (the X server, another process:       %6.1f %%)\n", cost.xserver);
  g_hash_table_unref (a.threads);
  g_hash_table_unref (b.threads);
  return cost;
}

/* ---- the children ---- */

static void
write_settings (double budget)
{
  g_autofree char *settings = g_build_filename (config_dir, "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings, "keyfile", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (settings, 0700);
  /* the window size the issue measured; the budget under test */
  text = g_strdup_printf ("[io/github/pagescope/Pagescope]\n"
                          "window-width=1400\nwindow-height=900\ncpu-budget=%g\n", budget);
  if (!g_file_set_contents (keyfile, text, -1, &error))
    die ("%s", error->message);
}

static GPid
spawn (const char * const *argv,
       gboolean            quiet)
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  GPid pid;

  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "keyfile", TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", config_dir, TRUE);
  if (!g_spawn_async (NULL, (char **) argv, envp,
                      G_SPAWN_DO_NOT_REAP_CHILD | (quiet ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                      NULL, NULL, &pid, &error))
    die ("%s", error->message);
  return pid;
}

/* ---- pixels of the screen ---- */

typedef struct
{
  int x, y, width, height;
} Box;

static XImage *
grab (const Box *box)
{
  return XGetImage (xdisplay, DefaultRootWindow (xdisplay), box->x, box->y, box->width, box->height,
                    AllPlanes, ZPixmap);
}

static gboolean
same_image (XImage *a,
            XImage *b)
{
  return memcmp (a->data, b->data, (gsize) a->bytes_per_line * a->height) == 0;
}

/* The grid: the box of the cold cells' colour, once the window shows it. */
static gboolean
find_grid (Box *grid)
{
  Box screen = { 0, 0, DisplayWidth (xdisplay, 0), DisplayHeight (xdisplay, 0) };
  XImage *image = grab (&screen);
  int x0 = G_MAXINT, y0 = G_MAXINT, x1 = -1, y1 = -1;
  guint64 n = 0;

  if (image == NULL)
    return FALSE;
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      if ((XGetPixel (image, x, y) & 0xffffff) == COLD_RGB)
        {
          x0 = MIN (x0, x);
          x1 = MAX (x1, x);
          y0 = MIN (y0, y);
          y1 = MAX (y1, y);
          n++;
        }
  XDestroyImage (image);
  if (n < 10000)
    return FALSE;
  *grid = (Box) { x0, y0, x1 - x0 + 1, y1 - y0 + 1 };
  return TRUE;
}

/* Pages of shared memory the process has mapped in, in kB: the scanner maps
 * each page the first time it reads it. */
static gint64
rss_shmem_kb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, "RssShmem:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("RssShmem:"), NULL, 10);
}

/* Starts pagescope on a segment and waits until its grid is on screen and
 * its first sweep is done: until then a page it has not seen yet has no
 * baseline, so a write to it is no change (and the first sweep, mapping
 * every page in, costs more than the next ones). */
static GPid
start_pagescope (const Segment *segment,
                 double         budget,
                 Box           *grid)
{
  const char *argv[] = { pagescope_bin, "--posix", segment->name, NULL };
  gint64 deadline, started;
  Box box;
  GPid pid;

  write_settings (budget);
  started = g_get_monotonic_time ();
  pid = spawn (argv, TRUE);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!find_grid (&box))
    {
      if (g_get_monotonic_time () > deadline || waitpid (pid, NULL, WNOHANG) == pid)
        die ("pagescope --posix %s never showed its grid", segment->name);
      g_usleep (200 * 1000);
    }
  if (grid != NULL)
    *grid = box;
  while (rss_shmem_kb (pid) < (gint64) (segment->allocated / 1024 * 95 / 100))
    {
      if (waitpid (pid, NULL, WNOHANG) == pid)
        die ("pagescope --posix %s exited", segment->name);
      if (g_get_monotonic_time () > started + 120 * G_USEC_PER_SEC)
        break;
      g_usleep (200 * 1000);
    }
  if (rss_shmem_kb (pid) < (gint64) (segment->allocated / 1024 * 95 / 100))
    printf ("  (first sweep not done after %.0f s: %" G_GINT64_FORMAT " of %" G_GUINT64_FORMAT " kB seen; measured anyway)\n",
            (g_get_monotonic_time () - started) / 1e6, rss_shmem_kb (pid), segment->size / 1024);
  else
    printf ("  (first sweep done %.1f s after start)\n", (g_get_monotonic_time () - started) / 1e6);
  /* the first paints, fonts and shaders: not what is measured */
  g_usleep (2 * G_USEC_PER_SEC);
  return pid;
}

static void
stop_pagescope (void)
{
  stop_child (&app_pid);
}

/* Waits until two grabs 300 ms apart are the same: nothing fading. */
static XImage *
wait_still (const Box *grid)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  XImage *before = grab (grid);

  for (;;)
    {
      XImage *after;

      g_usleep (300 * 1000);
      after = grab (grid);
      if (same_image (before, after) || g_get_monotonic_time () > deadline)
        {
          XDestroyImage (before);
          return after;
        }
      XDestroyImage (before);
      before = after;
    }
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v,
        int     n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return v[n / 2];
}

/* From a write into a page to the grid's pixels changing on the screen. */
static double
change_to_pixels (const Box *grid)
{
  double times[N_PIXEL_TRIALS];
  guint64 n_pages = watched.size / 4096;

  printf ("From a write by another process to the grid's pixels (median of %d):\n", N_PIXEL_TRIALS);
  for (int t = 0; t < N_PIXEL_TRIALS; t++)
    {
      XImage *still = wait_still (grid);
      /* pages spread over the object, away from the hex view's first screen */
      guint64 page = n_pages / 8 + (guint64) t * (n_pages / 2 / N_PIXEL_TRIALS) + 17 * t;
      gint64 t0, deadline;
      gboolean changed = FALSE;

      t0 = g_get_monotonic_time ();
      watched.data[page * 4096 + 100] ^= 0x5a;
      deadline = t0 + 5 * G_USEC_PER_SEC;
      while (!changed && g_get_monotonic_time () < deadline)
        {
          XImage *now = grab (grid);

          changed = !same_image (still, now);
          XDestroyImage (now);
          if (!changed)
            g_usleep (2000);
        }
      XDestroyImage (still);
      times[t] = (g_get_monotonic_time () - t0) / 1e3;
      printf ("  page %-8" G_GUINT64_FORMAT " %7.1f ms%s\n", page, times[t], changed ? "" : " (never showed: counted as that)");
    }
  return median (times, N_PIXEL_TRIALS);
}

/* ---- the load: two processes updating records in a shared segment ---- */

typedef struct
{
  guint64 counter;
  guint64 checksum;
  guint8  payload[48];
} Record;

static guint64
xorshift (guint64 *s)
{
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Each op updates four random records and checksums them (FNV-1a over
 * their bytes): random memory traffic over the segment, and arithmetic. */
static guint64
load_worker (Record *records,
             guint64 n_records,
             guint64 seed,
             gint64  from_us,
             gint64  until_us)
{
  guint64 ops = 0, s = seed | 1;

  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      if (now >= until_us)
        return ops;
      for (int k = 0; k < 256; k++)
        {
          Record *r[4];
          guint64 h = 0xcbf29ce484222325u;

          for (int i = 0; i < 4; i++)
            {
              r[i] = &records[xorshift (&s) % n_records];
              r[i]->counter++;
              r[i]->payload[r[i]->counter % 48] ^= (guint8) s;
            }
          for (int i = 0; i < 4; i++)
            for (gsize b = 0; b < sizeof (Record); b++)
              h = (h ^ ((const guint8 *) r[i])[b]) * 0x100000001b3u;
          r[0]->checksum = h;
          ops += now >= from_us;
        }
    }
}

/* Ops per second of the two processes together. */
static double
run_load (void)
{
  gint64 start = g_get_monotonic_time ();
  gint64 from = start + LOAD_WARMUP_S * G_USEC_PER_SEC;
  gint64 until = from + LOAD_S * G_USEC_PER_SEC;
  guint64 total = 0;
  int fds[2];
  pid_t pids[2];

  if (pipe (fds) != 0)
    die ("pipe: %s", g_strerror (errno));
  for (int i = 0; i < 2; i++)
    {
      pids[i] = fork ();
      if (pids[i] < 0)
        die ("fork: %s", g_strerror (errno));
      if (pids[i] == 0)
        {
          guint64 ops;

          signal (SIGINT, SIG_DFL);
          signal (SIGTERM, SIG_DFL);
          ops = load_worker ((Record *) loaded.data, loaded.size / sizeof (Record),
                             0x9e3779b97f4a7c15u * (i + 1), from, until);

          if (write (fds[1], &ops, sizeof ops) != sizeof ops)
            _exit (1);
          _exit (0);
        }
    }
  close (fds[1]);
  for (int i = 0; i < 2; i++)
    {
      guint64 ops = 0;

      if (read (fds[0], &ops, sizeof ops) != sizeof ops)
        die ("a load process failed");
      total += ops;
      waitpid (pids[i], NULL, 0);
    }
  close (fds[0]);
  return total / (double) LOAD_S;
}

/* Pagescope runs throughout, watching the load's segment; "without" is
 * while it is stopped (SIGSTOP: no CPU, the same memory), so each pair of
 * runs is seconds apart and sees the same machine, which others share. */
static double
load_kept (void)
{
  double without[N_LOAD_PAIRS], with[N_LOAD_PAIRS], ratio[N_LOAD_PAIRS];

  printf ("A load of two processes in a shared %u MiB segment, ops/s (alternated):\n",
          (guint) (LOAD_BYTES >> 20));
  app_pid = start_pagescope (&loaded, 0.25, NULL);
  for (int r = 0; r < N_LOAD_PAIRS; r++)
    {
      CpuSample a, b;

      kill (app_pid, SIGSTOP);
      without[r] = run_load ();
      kill (app_pid, SIGCONT);
      a = sample (app_pid);
      with[r] = run_load ();
      b = sample (app_pid);
      ratio[r] = with[r] / without[r];
      printf ("  without %12.0f   with Pagescope watching %12.0f   %.2f   (Pagescope: %.1f %% of a core)\n",
              without[r], with[r], ratio[r], pct (b.process - a.process, b.wall_us - a.wall_us));
      g_hash_table_unref (a.threads);
      g_hash_table_unref (b.threads);
    }
  stop_pagescope ();
  return median (ratio, N_LOAD_PAIRS);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_path_get_dirname (argv[0]);
  g_autoptr(GError) error = NULL;
  const char *writer_argv[8];
  Cost idle, busy, tight, big_idle, big_busy;
  double kept, pixels_ms;
  Box grid;

  setvbuf (stdout, NULL, _IOLBF, 0);
  pagescope_bin = g_build_filename (dir, "..", "src", "pagescope", NULL);
  writer_bin = g_build_filename (dir, "..", "src", "writer", "pagescope-writer", NULL);
  if (argc > 1)
    pagescope_bin = g_strdup (argv[1]);     /* another build's binary, for a before/after */
  xdisplay = XOpenDisplay (NULL);
  if (xdisplay == NULL)
    {
      printf ("pagescope-cost-bench needs a display: run it under xvfb-run -a (build-aux/bench does)\n");
      return 77;
    }
  config_dir = g_dir_make_tmp ("pagescope-bench-XXXXXX", &error);
  if (config_dir == NULL)
    die ("%s", error->message);
  signal (SIGINT, on_signal);
  signal (SIGTERM, on_signal);

  printf ("pagescope: %s\n", pagescope_bin);
  printf ("GSK_RENDERER: %s\n", g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(unset: pagescope's choice)");
  make_segment (&watched, "cost", GIB);

  printf ("Whole-process CPU over %d s, window 1400 x 900, default budget (25 %%):\n", MEASURE_S);
  app_pid = start_pagescope (&watched, 0.25, &grid);
  idle = measure ("idle: 1 GiB allocated, unchanging", app_pid, MEASURE_S);
  pixels_ms = change_to_pixels (&grid);

  writer_argv[0] = writer_bin;
  writer_argv[1] = "--posix";
  writer_argv[2] = watched.name;
  writer_argv[3] = "-p";
  writer_argv[4] = "random";
  writer_argv[5] = "-r";
  writer_argv[6] = "1000";
  writer_argv[7] = NULL;
  writer_pid = spawn (writer_argv, TRUE);
  g_usleep (2 * G_USEC_PER_SEC);
  busy = measure ("busy: pagescope-writer -p random -r 1000", app_pid, MEASURE_S);
  stop_pagescope ();

  printf ("The same, budget 5 %%:\n");
  app_pid = start_pagescope (&watched, 0.05, NULL);
  tight = measure ("busy, budget 5 %", app_pid, MEASURE_S);
  stop_pagescope ();
  stop_child (&writer_pid);
  remove_segment (&watched);

  printf ("The same on a 16 GiB segment, 1 GiB of it allocated, at Fit (a cell a run of pages):\n");
  make_segment_every (&big, "big", 16 * GIB, 16 * 4096);
  app_pid = start_pagescope (&big, 0.25, NULL);
  big_idle = measure ("idle: 16 GiB, one page in 16 allocated", app_pid, MEASURE_S);
  writer_argv[2] = big.name;
  writer_pid = spawn (writer_argv, TRUE);
  g_usleep (2 * G_USEC_PER_SEC);
  big_busy = measure ("busy: pagescope-writer -p random -r 1000", app_pid, MEASURE_S);
  stop_pagescope ();
  stop_child (&writer_pid);
  remove_segment (&big);

  make_segment (&loaded, "load", LOAD_BYTES);
  kept = load_kept ();
  remove_segment (&loaded);

  printf ("  %-44s %6.1f %% (target <= 30)\n", "idle_cpu_pct", idle.process);
  printf ("  %-44s %6.1f %% (target <= 3)\n", "idle_draw_pct", idle.process - idle.scanner);
  printf ("  %-44s %6.1f %% (target <= 35)\n", "busy_cpu_pct", busy.process);
  printf ("  %-44s %6.2f (target >= 0.9)\n", "load_kept", kept);
  printf ("  %-44s %6.1f %% (target <= 30)\n", "big_idle_cpu_pct (16 GiB)", big_idle.process);
  printf ("  %-44s %6.1f %% (target <= 35)\n", "big_busy_cpu_pct (16 GiB)", big_busy.process);
  printf ("  %-44s %6.1f %% (target <= 8)\n", "budget_kept_pct", tight.process);
  printf ("  %-44s %6.1f ms (target <= interval + 2 frames)\n", "change_to_pixels_ms", pixels_ms);
  printf ("cost-ratios: idle_cpu_pct=%.1f idle_draw_pct=%.1f busy_cpu_pct=%.1f load_kept=%.2f budget_kept_pct=%.1f change_to_pixels_ms=%.0f big_idle_cpu_pct=%.1f big_busy_cpu_pct=%.1f\n",
          idle.process, idle.process - idle.scanner, busy.process, kept, tight.process, pixels_ms,
          big_idle.process, big_busy.process);
  clean_up ();
  XCloseDisplay (xdisplay);
  return 0;
}
