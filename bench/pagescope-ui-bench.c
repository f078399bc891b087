/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pagescope-ui-bench: the window's speed and memory targets, against
 * baselines measured in the same run. Needs a display (xvfb-run -a). The last
 * line is machine-readable:
 *   ui-ratios: grid_frame_ms=X hex_screen_ms=Y overview_frame_ms=O overview_vs_1gib=R launch_vs_empty=Z
 *              overhead_mb=W overhead_budget_mb=V
 *
 * overview_frame_ms  a frame of a 64 GiB object (16,777,216 pages, 1000 of
 *                    them just changed) at Fit in a 350 x 380 pane, one
 *                    cell a run of pages, and its overview strip: the runs
 *                    recomputed and every cell's colour (target <= 4)
 * overview_vs_1gib   the same over a 1 GiB object's (target <= 1)
 */
#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ps-grid-runs.h"
#include "ps-hex-view.h"
#include "ps-page-grid.h"
#include "ps-scanner.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

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

/* ---- building a grid frame: 262,144 pages at 1-pixel cells ---- */

static double
bench_grid (void)
{
  const guint64 n_pages = GIB / 4096;
  const guint columns = 512, rows = n_pages / columns;
  PsFrame *frame = ps_frame_new (n_pages, 0);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) columns * rows);
  gint64 now = g_get_monotonic_time ();
  double times[50];

  frame->epoch_us = now - 10 * G_USEC_PER_SEC;
  ps_geometry_init (&frame->geometry, GIB - 100, 0, GIB, 4096);
  for (guint64 p = 0; p < n_pages; p++)
    {
      /* a mix: changes of every age, all states and classes */
      frame->pages[p].state = p % 7 == 0 ? PS_PAGE_ABSENT : PS_PAGE_RESIDENT;
      frame->pages[p].content = 1 + p % 4;
      frame->pages[p].changes = p % 5;
      frame->pages[p].last_change_ms = p % 5 ? (guint32) (10000 - p % 4000) : 0;
    }

  for (int r = 0; r < 50; r++)
    {
      gint64 t0 = g_get_monotonic_time ();
      ps_page_grid_render (frame, r % 2 ? PS_GRID_ACTIVITY : PS_GRID_RESIDENCY, now + r * 33000, NULL,
                           columns, 0, rows, 1, pixels, columns * 4);
      times[r] = (g_get_monotonic_time () - t0) / 1e3;
    }
  ps_frame_unref (frame);
  return median (times, 50);
}


/* ---- a frame of a huge object at Fit: runs of pages, and the overview ---- */

#define PANE_W 350
#define PANE_H 380

/* CPU time of this thread: what a frame costs, whatever else the machine
 * runs (a wall clock on a shared machine counts the waits for a core). */
static gint64
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* A frame as the scanner publishes it, every page summarised. */
static PsFrame *
big_frame (guint64 n_pages,
           gint64  now)
{
  PsFrame *frame = ps_frame_new (n_pages, 0);

  frame->epoch_us = now - 10 * G_USEC_PER_SEC;
  frame->serial = 1;
  ps_geometry_init (&frame->geometry, n_pages * 4096, 0, n_pages * 4096, 4096);
  for (guint64 p = 0; p < n_pages; p++)
    {
      /* sparse: one page in 7 written, some of them long ago */
      frame->pages[p].state = p % 7 == 0 ? PS_PAGE_RESIDENT : PS_PAGE_ABSENT;
      frame->pages[p].content = p % 7 == 0 ? 1 + p % 4 : PS_CONTENT_ZERO;
      frame->pages[p].changes = p % 35 == 0 ? 2 : 0;
      frame->pages[p].last_change_ms = p % 35 == 0 ? (guint32) (1000 + p % 8000) : 0;
    }
  ps_frame_summarize (frame, 0, n_pages);
  return frame;
}

/* The next pass, as the scanner makes it: the pages and blocks of the last,
 * 1000 pages changed, only their blocks summarised again. Returns the ms
 * the summaries took (the scanner thread's share). */
static double
next_pass (const PsFrame *last,
           PsFrame       *next,
           guint64        serial,
           guint32        now_ms,
           guint64       *seed)
{
  gint64 t0;

  memcpy (next->pages, last->pages, last->n_pages * sizeof (PsPageInfo));
  memcpy (next->blocks, last->blocks, last->n_blocks * sizeof (PsPageBlock));
  memcpy (next->chunk_serials, last->chunk_serials, last->n_chunks * sizeof (guint32));
  next->serial = serial;
  next->epoch_us = last->epoch_us;
  next->geometry = last->geometry;
  next->blocks_valid = TRUE;
  t0 = cpu_us ();
  for (int i = 0; i < 1000; i++)
    {
      guint64 p;

      *seed ^= *seed << 13, *seed ^= *seed >> 7, *seed ^= *seed << 17;
      p = *seed % last->n_pages;
      next->pages[p].state = PS_PAGE_RESIDENT;
      next->pages[p].last_change_ms = now_ms;
      next->pages[p].changes++;
      ps_frame_summarize (next, p, 1);
    }
  return (cpu_us () - t0) / 1e3;
}

/* The grid at Fit and the strip beside it, following one frame. */
static void
follow (PsGridRuns    *grid,
        PsGridRuns    *strip,
        const PsFrame *frame,
        guint64        run,
        gsize          n_cells,
        guint64        strip_run,
        gsize          n_rows,
        guint32       *colors,
        gint64         now)
{
  guint32 now_ms = ps_grid_now_ms (frame, now), next_ms = G_MAXUINT32;
  const gsize *changed;
  gsize n_changed;

  /* as the widgets do: follow, refresh the colours, read those that changed */
  ps_grid_runs_follow (grid, frame, run, 0, n_cells);
  if (ps_grid_runs_refresh (grid, PS_GRID_ACTIVITY, now_ms, &next_ms, &changed, &n_changed))
    memcpy (colors, ps_grid_runs_get_colors (grid), n_cells * sizeof (guint32));
  else
    for (gsize k = 0; k < n_changed; k++)
      colors[changed[k]] = ps_grid_runs_get_colors (grid)[changed[k]];
  ps_grid_runs_follow (strip, frame, strip_run, 0, n_rows);
  ps_grid_runs_refresh (strip, PS_GRID_ACTIVITY, now_ms, &next_ms, &changed, &n_changed);
}

/* One object at Fit: its frames, the grid's runs and the strip's. */
typedef struct
{
  PsFrame    *frames[2];
  guint64     run;
  gsize       n_cells;
  guint64     strip_run;
  gsize       n_rows;
  PsGridRuns *grid;
  PsGridRuns *strip;
  guint32    *colors;
  guint64     seed;
  gint64      now;
  double      first_ms;
  double      times[30];
  double      summaries[30];
} Fit;

static void
fit_init (Fit     *fit,
          guint64  n_pages)
{
  gint64 t0;

  fit->now = g_get_monotonic_time ();
  fit->run = ps_grid_run_for (n_pages, PANE_W * PANE_H);
  fit->n_cells = (n_pages + fit->run - 1) / fit->run + 1;
  fit->strip_run = MAX (1, (n_pages + PANE_H - 2) / (PANE_H - 1));
  if (fit->strip_run > PS_FRAME_BLOCK_PAGES)
    fit->strip_run = (fit->strip_run + PS_FRAME_BLOCK_PAGES - 1) / PS_FRAME_BLOCK_PAGES * PS_FRAME_BLOCK_PAGES;
  fit->n_rows = (n_pages + fit->strip_run - 1) / fit->strip_run + 1;
  fit->grid = ps_grid_runs_new ();
  fit->strip = ps_grid_runs_new ();
  fit->colors = g_new (guint32, fit->n_cells);
  fit->seed = 0x9e3779b97f4a7c15u;
  fit->frames[0] = big_frame (n_pages, fit->now);
  fit->frames[1] = ps_frame_new (n_pages, 0);
  t0 = cpu_us ();
  follow (fit->grid, fit->strip, fit->frames[0], fit->run, fit->n_cells, fit->strip_run, fit->n_rows,
          fit->colors, fit->now);
  fit->first_ms = (cpu_us () - t0) / 1e3;
}

/* Frame r: the scanner's next pass, then the views follow it (timed). */
static void
fit_frame (Fit *fit,
           int  r)
{
  PsFrame *last = fit->frames[r % 2], *next = fit->frames[(r + 1) % 2];
  gint64 when = fit->now + (r + 1) * 33000;
  gint64 t0;

  fit->summaries[r] = next_pass (last, next, r + 2, ps_grid_now_ms (last, when), &fit->seed);
  t0 = cpu_us ();
  follow (fit->grid, fit->strip, next, fit->run, fit->n_cells, fit->strip_run, fit->n_rows, fit->colors, when);
  fit->times[r] = (cpu_us () - t0) / 1e3;
}

static void
fit_clear (Fit *fit)
{
  ps_frame_unref (fit->frames[0]);
  ps_frame_unref (fit->frames[1]);
  ps_grid_runs_free (fit->grid);
  ps_grid_runs_free (fit->strip);
  g_free (fit->colors);
}

/* A 64 GiB object and a 1 GiB one, their frames alternated so both see the
 * same machine. */
static void
bench_fit (Fit *big,
           Fit *small)
{
  fit_init (big, G_GUINT64_CONSTANT (1) << 24);
  fit_init (small, GIB / 4096);
  for (int r = 0; r < 30; r++)
    {
      fit_frame (big, r);
      fit_frame (small, r);
    }
}

/* The tints of 5000 highlighted ranges (find hits, marks) over a grid of
 * 131,072 cells, as a rebuild of the picture computes them. */
static double
bench_tints (void)
{
  g_autofree PsHighlight *ranges = g_new (PsHighlight, 5000);
  g_autofree guint32 *tints = g_new (guint32, 131072);
  guint64 seed = 0x2545f4914f6cdd1du;
  double times[30];

  for (guint i = 0; i < 5000; i++)
    {
      seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
      ranges[i] = (PsHighlight) { seed % GIB, 1 + seed % 65536, 0x33d17a80 };
    }
  for (int r = 0; r < 30; r++)
    {
      gint64 t0 = cpu_us ();

      ps_grid_tint_cells (ranges, 5000, 4096, GIB / 4096, 2, 0, 131072, tints);
      times[r] = (cpu_us () - t0) / 1e3;
    }
  return median (times, 30);
}

/* ---- drawing a screen of the hex view ---- */

static gboolean
window_drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

static double
bench_hex (guint  bytes_per_row,
           guint *rows_on_screen)
{
  g_autoptr(PsSource) source = ps_source_new_anon (1024 * 1024, NULL, NULL);
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  g_autoptr(PsFrame) frame = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *hex = ps_hex_view_new ();
  guint8 *data = ps_source_get_data (source);
  double times[50];
  guint64 offset, length;
  gint64 deadline;

  for (gsize i = 0; i < 1024 * 1024; i++)
    data[i] = (guint8) (i * 31);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), hex);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  ps_hex_view_set_source (PS_HEX_VIEW (hex), source);
  ps_hex_view_set_bytes_per_row (PS_HEX_VIEW (hex), bytes_per_row);
  gtk_window_present (GTK_WINDOW (window));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!window_drawn (hex) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  /* every byte on screen just changed: the heaviest screen to draw */
  ps_hex_view_get_visible_range (PS_HEX_VIEW (hex), &offset, &length);
  ps_scanner_set_focus (scanner, offset, length);
  ps_frame_unref (ps_scanner_scan_now (scanner));
  for (guint64 i = offset; i < offset + length; i++)
    data[i] ^= 0xff;
  frame = ps_scanner_scan_now (scanner);
  ps_hex_view_set_frame (PS_HEX_VIEW (hex), frame);
  *rows_on_screen = length / bytes_per_row;

  /* the widget's own snapshot vfunc: a GtkWidgetPaintable would only
   * replay the node GTK cached at the last frame */
  for (int r = 0; r < 50; r++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      gint64 t0;

      if (r % 2)
        {
          /* every other screen after a scroll: every row laid out again */
          gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (hex)), r * 64);
        }
      ps_hex_view_set_frame (PS_HEX_VIEW (hex), frame);   /* as every frame does */
      t0 = g_get_monotonic_time ();
      GTK_WIDGET_GET_CLASS (hex)->snapshot (hex, snapshot);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      times[r] = (g_get_monotonic_time () - t0) / 1e3;
    }
  gtk_window_destroy (GTK_WINDOW (window));
  return median (times, 50);
}

/* ---- launch to first frame, and memory ---- */

typedef struct
{
  double  seconds;
  gint64  rss_anon_kb;
  gint64  rss_file_kb;
  gint64  rss_shmem_kb;
  gint64  hwm_kb;
} Launch;

/* The 1 GiB file, removed whatever happens. */
static char bench_path[] = "/tmp/pagescope-bench-XXXXXX";
static gboolean bench_path_made;

static void G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN
die (const char *format,
     ...)
{
  va_list args;

  if (bench_path_made)
    unlink (bench_path);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (1);
}

static gint64
status_kb (const char *text,
           const char *key)
{
  const char *p = strstr (text, key);
  return p ? g_ascii_strtoll (p + strlen (key) + 1, NULL, 10) : -1;
}

/* Spawns argv and times it until it prints "first-frame". */
static Launch
launch (const char * const *argv,
        const char * const *env_extra)
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);
  Launch result = { -1, -1, -1, -1, -1 };
  gint64 t0, deadline;
  GPid pid;
  int fd, status;

  for (guint i = 0; env_extra[i] != NULL; i += 2)
    envp = g_environ_setenv (envp, env_extra[i], env_extra[i + 1], TRUE);

  t0 = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &pid, NULL, &fd, NULL, &error))
    die ("%s", error->message);
  deadline = t0 + 60 * G_USEC_PER_SEC;
  while (strstr (out->str, "first-frame") == NULL && g_get_monotonic_time () < deadline)
    {
      char buf[1024];
      ssize_t n = read (fd, buf, sizeof buf);

      if (n <= 0)
        break;
      g_string_append_len (out, buf, n);
    }
  result.seconds = (g_get_monotonic_time () - t0) / 1e6;
  /* the memory lines follow */
  for (;;)
    {
      char buf[1024];
      ssize_t n = read (fd, buf, sizeof buf);

      if (n <= 0)
        break;
      g_string_append_len (out, buf, n);
    }
  close (fd);
  waitpid (pid, &status, 0);
  if (strstr (out->str, "first-frame") == NULL)
    die ("%s never drew its first frame:\n%s", argv[0], out->str);
  result.rss_anon_kb = status_kb (out->str, "RssAnon:");
  result.rss_file_kb = status_kb (out->str, "RssFile:");
  result.rss_shmem_kb = status_kb (out->str, "RssShmem:");
  result.hwm_kb = status_kb (out->str, "VmHWM:");
  g_string_free (out, TRUE);
  return result;
}

static int
cmp_launch (const void *a,
            const void *b)
{
  return cmp_double (&((const Launch *) a)->seconds, &((const Launch *) b)->seconds);
}

static void
bench_launch (const char *empty_bin,
              const char *pagescope_bin,
              double     *ratio,
              double     *ratio_adw,
              double     *overhead_mb,
              double     *budget_mb)
{
  const char *path = bench_path;
  const char *no_env[] = { NULL };
  const char *ps_env[] = { "PAGESCOPE_BENCH_FIRST_FRAME", "1", NULL };
  const char *empty_argv[] = { empty_bin, NULL };
  const char *adw_argv[] = { empty_bin, "--adw", NULL };
  const char *ps_argv[] = { pagescope_bin, path, NULL };
  g_autofree guint8 *block = g_malloc (1 << 20);
  Launch empty[5], adw[5], ps[5];
  int fd = mkstemp (bench_path);

  if (fd < 0)
    die ("mkstemp %s: %s", bench_path, g_strerror (errno));
  bench_path_made = TRUE;

  /* a 1 GiB file, in the page cache as a file just written is */
  for (gsize i = 0; i < (1 << 20); i++)
    block[i] = (guint8) (i * 7 + i / 4096);
  for (int i = 0; i < 1024; i++)
    if (write (fd, block, 1 << 20) != 1 << 20)
      die ("write %s: %s", path, g_strerror (errno));
  close (fd);

  /* alternate, so both see the same machine */
  for (int r = 0; r < 5; r++)
    {
      empty[r] = launch (empty_argv, no_env);
      adw[r] = launch (adw_argv, no_env);
      ps[r] = launch (ps_argv, ps_env);
    }
  unlink (path);
  bench_path_made = FALSE;
  qsort (empty, 5, sizeof *empty, cmp_launch);
  qsort (adw, 5, sizeof *adw, cmp_launch);
  qsort (ps, 5, sizeof *ps, cmp_launch);

  *ratio = ps[2].seconds / empty[2].seconds;
  *ratio_adw = ps[2].seconds / adw[2].seconds;
  /* the file's pages are the shared page cache (RssFile), not our memory */
  *overhead_mb = ((ps[2].rss_anon_kb + ps[2].rss_shmem_kb) - (empty[2].rss_anon_kb + empty[2].rss_shmem_kb)) / 1024.0;
  *budget_mb = 0.02 * GIB / (1024.0 * 1024.0) + 60;

  printf ("Launch to first frame (median of 5, alternated):\n");
  printf ("  %-46s %7.3f s   RssAnon %6.1f MB  RssFile %7.1f MB  VmHWM %7.1f MB\n", "empty GTK 4 window",
          empty[2].seconds, empty[2].rss_anon_kb / 1024.0, empty[2].rss_file_kb / 1024.0, empty[2].hwm_kb / 1024.0);
  printf ("  %-46s %7.3f s   RssAnon %6.1f MB  RssFile %7.1f MB  VmHWM %7.1f MB\n", "empty libadwaita window (for reference)",
          adw[2].seconds, adw[2].rss_anon_kb / 1024.0, adw[2].rss_file_kb / 1024.0, adw[2].hwm_kb / 1024.0);
  printf ("  %-46s %7.3f s   RssAnon %6.1f MB  RssFile %7.1f MB  VmHWM %7.1f MB\n", "pagescope on a 1 GiB file (grid drawn)",
          ps[2].seconds, ps[2].rss_anon_kb / 1024.0, ps[2].rss_file_kb / 1024.0, ps[2].hwm_kb / 1024.0);
  printf ("  %-46s %7.2f (target <= 1.2)\n", "launch ratio", *ratio);
  printf ("  %-46s %7.2f\n", "launch ratio to the empty libadwaita window", *ratio_adw);
  printf ("  %-46s %7.1f MB (budget 2 %% of 1 GiB + 60 MB = %.1f MB)\n", "memory overhead (anon + shmem RSS over empty)",
          *overhead_mb, *budget_mb);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = g_path_get_dirname (argv[0]);
  g_autofree char *empty_bin = g_build_filename (dir, "empty-window", NULL);
  g_autofree char *pagescope_bin = g_build_filename (dir, "..", "src", "pagescope", NULL);
  double grid_ms, hex_ms, ratio, ratio_adw, overhead_mb, budget_mb;
  double big_ms, small_ms;
  Fit big, small;
  guint rows;

  setvbuf (stdout, NULL, _IOLBF, 0);
  if (!gtk_init_check ())
    {
      printf ("pagescope-ui-bench needs a display: run it under xvfb-run -a (build-aux/bench does)\n");
      return 77;
    }
  adw_init ();

  grid_ms = bench_grid ();
  printf ("Grid frame for 262,144 pages at 1-pixel cells (512 x 512), median of 50:\n");
  printf ("  %-46s %7.3f ms (target <= 4)\n", "ps_page_grid_render", grid_ms);
  bench_fit (&big, &small);
  big_ms = median (big.times, 30);
  small_ms = median (small.times, 30);
  printf ("A frame at Fit in a %u x %u pane and its overview strip, 1000 pages changed, CPU time, median of 30:\n", PANE_W, PANE_H);
  printf ("  %-46s %7.3f ms (target <= 4); the first, every run: %.1f ms\n", "64 GiB sparse, 16,777,216 pages",
          big_ms, big.first_ms);
  printf ("  %-46s %7.3f ms; the first: %.1f ms\n", "1 GiB, 262,144 pages", small_ms, small.first_ms);
  printf ("  %-46s %7.2f (target <= 1)\n", "64 GiB over 1 GiB", big_ms / small_ms);
  printf ("  %-46s %7.3f ms (64 GiB) %.3f ms (1 GiB)\n", "the scanner's block summaries for them",
          median (big.summaries, 30), median (small.summaries, 30));
  fit_clear (&big);
  fit_clear (&small);
  printf ("  %-46s %7.3f ms\n", "tints of 5000 highlights, 131,072 cells", bench_tints ());
  hex_ms = bench_hex (PS_HEX_BYTES_PER_ROW, &rows);
  printf ("Hex view, one screen (%u rows, every byte glowing; half of them just scrolled), median of 50:\n", rows);
  printf ("  %-46s %7.3f ms (target <= 4)\n", "snapshot of the widget", hex_ms);
  {
    /* the widest rows the preferences allow: four times the bytes a screen */
    double wide_ms = bench_hex (PS_HEX_MAX_BYTES_PER_ROW, &rows);

    printf ("  %-46s %7.3f ms (%u rows)\n", "the same, 64 bytes a row", wide_ms, rows);
  }
  bench_launch (empty_bin, pagescope_bin, &ratio, &ratio_adw, &overhead_mb, &budget_mb);

  printf ("ui-ratios: grid_frame_ms=%.3f hex_screen_ms=%.3f overview_frame_ms=%.3f overview_vs_1gib=%.2f launch_vs_empty=%.2f launch_vs_empty_adw=%.2f overhead_mb=%.1f overhead_budget_mb=%.1f\n",
          grid_ms, hex_ms, big_ms, big_ms / small_ms, ratio, ratio_adw, overhead_mb, budget_mb);
  return 0;
}
