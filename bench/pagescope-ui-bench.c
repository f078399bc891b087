/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pagescope-ui-bench: the window's speed and memory targets, against
 * baselines measured in the same run. Needs a display (xvfb-run -a). The last
 * line is machine-readable:
 *   ui-ratios: grid_frame_ms=X hex_screen_ms=Y launch_vs_empty=Z overhead_mb=W overhead_budget_mb=V
 */
#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* ---- drawing a screen of the hex view ---- */

static gboolean
window_drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

static double
bench_hex (guint *rows_on_screen)
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
  *rows_on_screen = length / PS_HEX_BYTES_PER_ROW;

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
  hex_ms = bench_hex (&rows);
  printf ("Hex view, one screen (%u rows, every byte glowing; half of them just scrolled), median of 50:\n", rows);
  printf ("  %-46s %7.3f ms (target <= 4)\n", "snapshot of the widget", hex_ms);
  bench_launch (empty_bin, pagescope_bin, &ratio, &ratio_adw, &overhead_mb, &budget_mb);

  printf ("ui-ratios: grid_frame_ms=%.3f hex_screen_ms=%.3f launch_vs_empty=%.2f launch_vs_empty_adw=%.2f overhead_mb=%.1f overhead_budget_mb=%.1f\n",
          grid_ms, hex_ms, ratio, ratio_adw, overhead_mb, budget_mb);
  return 0;
}
