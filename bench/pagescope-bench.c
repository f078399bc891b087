/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pagescope-bench: the scanner's speed and memory targets, each measured
 * against a baseline in the same run. The last line is machine-readable:
 *   ratios: scan_vs_read=X sparse_growth_bytes=N handoff_ms=Y state_bytes_per_page=Z changed_found=A/B stop_ms=S find_vs_read=F
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>
#include <xxh_x86dispatch.h>

#include "ps-find.h"
#include "ps-scanner-private.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)
#define RUNS 7

static char *
bench_name (const char *tag)
{
  return g_strdup_printf ("/pagescope-bench-%d-%s", (int) getpid (), tag);
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

static __attribute__ ((noinline)) guint64
read_pass (const guint8 *data,
           gsize         len)
{
  const guint64 *w = (const guint64 *) data;
  guint64 sum = 0;

  for (gsize i = 0; i < len / 8; i++)
    sum += w[i];
  return sum;
}

guint64 hash_inline_pass (const guint8 *data, gsize len);   /* bench-hash-inline.c */

static __attribute__ ((noinline)) guint64
hash_dispatch_pass (const guint8 *data,
                    gsize         len)
{
  guint64 acc = 0;

  for (gsize off = 0; off < len; off += 4096)
    acc ^= XXH3_64bits_dispatch (data + off, 4096);
  return acc;
}

static double
time_pass (guint64 (*pass) (const guint8 *, gsize),
           const guint8 *data,
           gsize         len)
{
  volatile guint64 sink;
  gint64 t0 = g_get_monotonic_time ();

  sink = pass (data, len);
  (void) sink;
  return (g_get_monotonic_time () - t0) / 1e6;
}

/* ---- scan_vs_read, changed_found: 1 GiB resident POSIX segment ---- */

/* find_vs_read: an 8-byte pattern that is not there, through the whole
 * resident segment, against a plain read in the same run. */
static double
bench_find (PsSource *source,
            double    read_s)
{
  static const guint8 absent[8] = { 0xfe, 0xed, 0xfa, 0xce, 0xca, 0xfe, 0xbe, 0xef };
  g_autoptr(PsFindPattern) pattern = ps_find_pattern_new (absent, sizeof absent, FALSE);
  double find_s[RUNS];

  for (int r = 0; r < RUNS; r++)
    {
      g_autoptr(GError) error = NULL;
      guint64 found;
      gint64 t0 = g_get_monotonic_time ();

      if (!ps_find_next (source, pattern, 0, G_MAXUINT64, FALSE, &found, NULL, NULL, NULL, &error))
        g_error ("%s", error->message);
      find_s[r] = (g_get_monotonic_time () - t0) / 1e6;
      if (found != G_MAXUINT64)
        g_error ("an absent pattern was found at %" G_GUINT64_FORMAT, found);
    }
  printf ("  %-44s %6.1f GB/s\n", "find an absent 8-byte pattern", GIB / median (find_s, RUNS) / 1e9);
  return read_s / median (find_s, RUNS);
}

static void
bench_scan (double  *scan_vs_read,
            double  *find_vs_read,
            guint64 *found,
            guint64 *changed,
            guint64 *false_positives)
{
  g_autofree char *name = bench_name ("resident");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  double read_s[RUNS], scan_s[RUNS], inline_s[RUNS], dispatch_s[RUNS];
  guint64 n_pages = GIB / 4096;
  guint8 *data;

  source = ps_source_create_posix (name, GIB, 0600, NULL, &error);
  if (source == NULL)
    g_error ("%s", error->message);
  data = ps_source_get_data (source);
  for (guint64 i = 0; i < GIB; i += 8)
    *(guint64 *) (data + i) = i * 0x9e3779b97f4a7c15ull;

  scanner = ps_scanner_new (source);
  ps_frame_unref (ps_scanner_scan_now (scanner));   /* the baseline */

  for (int r = 0; r < RUNS; r++)
    {
      gint64 t0;
      PsFrame *frame;

      read_s[r] = time_pass (read_pass, data, GIB);
      inline_s[r] = time_pass (hash_inline_pass, data, GIB);
      dispatch_s[r] = time_pass (hash_dispatch_pass, data, GIB);
      t0 = g_get_monotonic_time ();
      frame = ps_scanner_scan_now (scanner);
      scan_s[r] = (g_get_monotonic_time () - t0) / 1e6;
      if (frame->n_scanned != n_pages || frame->n_changed != 0)
        g_error ("a quiet pass hashed %" G_GUINT64_FORMAT " pages and found %" G_GUINT64_FORMAT " changed",
                 frame->n_scanned, frame->n_changed);
      ps_frame_unref (frame);
    }

  printf ("1 GiB resident POSIX segment, median of %d passes:\n", RUNS);
  printf ("  %-44s %6.1f GB/s\n", "plain read (sum of 64-bit words)", GIB / median (read_s, RUNS) / 1e9);
  printf ("  %-44s %6.1f GB/s\n", "XXH3_64bits per page, inlined (-O2, SSE2)", GIB / median (inline_s, RUNS) / 1e9);
  printf ("  %-44s %6.1f GB/s\n", "XXH3_64bits_dispatch per page (libxxhash)", GIB / median (dispatch_s, RUNS) / 1e9);
  printf ("  %-44s %6.1f GB/s  (%.1f ms a pass)\n", "scanner pass (restat, mincore, hash, frame)",
          GIB / median (scan_s, RUNS) / 1e9, median (scan_s, RUNS) * 1e3);
  *scan_vs_read = median (read_s, RUNS) / median (scan_s, RUNS);
  *find_vs_read = bench_find (source, median (read_s, RUNS));

  /* 1 page in 100 rewritten between passes */
  {
    g_autofree gboolean *dirty = g_new0 (gboolean, n_pages);
    g_autoptr(PsFrame) frame = NULL;

    *changed = 0;
    for (guint64 p = 0; p < n_pages; p++)
      if (g_rand_int_range (rand, 0, 100) == 0)
        {
          data[p * 4096 + g_rand_int_range (rand, 0, 4096)] ^= 0xff;
          dirty[p] = TRUE;
          (*changed)++;
        }
    frame = ps_scanner_scan_now (scanner);
    *found = 0;
    *false_positives = 0;
    for (guint64 p = 0; p < n_pages; p++)
      {
        gboolean reported = ps_frame_page (frame, p)->changes > 0;

        *found += reported && dirty[p];
        *false_positives += reported && !dirty[p];
      }
    if (frame->n_changed != *found + *false_positives)
      g_error ("n_changed %" G_GUINT64_FORMAT " disagrees with the pages", frame->n_changed);
  }

  ps_source_remove (source, NULL);
}

/* ---- sparse_growth_bytes: 16 GiB POSIX segment, 1 % written ---- */

static guint64
allocated (int fd)
{
  struct stat st;

  fstat (fd, &st);
  return (guint64) st.st_blocks * 512;
}

static void
bench_sparse (guint64 *growth,
              double  *pass_ms)
{
  g_autofree char *name = bench_name ("sparse");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  guint64 size = 16 * GIB, n_pages = size / 4096, before, written = 0;
  double times[10];
  guint8 *data;

  source = ps_source_create_posix (name, size, 0600, NULL, &error);
  if (source == NULL)
    g_error ("%s", error->message);
  data = ps_source_get_data (source);
  for (guint64 p = 0; p < n_pages; p += 100)
    data[p * 4096] = 1, written++;
  before = allocated (ps_source_get_fd (source));

  scanner = ps_scanner_new (source);
  for (int i = 0; i < 10; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      ps_frame_unref (ps_scanner_scan_now (scanner));
      times[i] = (g_get_monotonic_time () - t0) / 1e3;
    }
  *growth = allocated (ps_source_get_fd (source)) - before;
  *pass_ms = median (times, 10);
  printf ("16 GiB sparse POSIX segment, %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " pages written (1 %%), 10 passes:\n",
          written, n_pages);
  printf ("  %-44s %6.1f ms\n", "pass time (median)", *pass_ms);
  printf ("  %-44s %6" G_GUINT64_FORMAT " bytes\n", "allocated size growth", *growth);
  ps_source_remove (source, NULL);
}

/* ---- handoff_ms and state_bytes_per_page: 262,144 pages ---- */

typedef struct
{
  PsScanner *scanner;
  double     delays[64];
  int        n;
} Handoff;

static void
on_frame (PsScanner  *scanner,
          GParamSpec *pspec,
          Handoff    *h)
{
  PsFrame *frame = ps_scanner_get_frame (scanner);

  if (frame != NULL && h->n < (int) G_N_ELEMENTS (h->delays))
    h->delays[h->n++] = (g_get_monotonic_time () - frame->time_us) / 1e3;
}

static void
bench_handoff (double *handoff_ms,
               double *bytes_per_page)
{
  g_autoptr(PsSource) source = ps_source_new_anon (GIB, NULL, NULL);
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  Handoff h = { scanner, { 0 }, 0 };
  guint64 n_pages = GIB / 4096;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  PsFrame *frame;
  gsize memory;

  /* a quarter resident, so passes have work */
  memset (ps_source_get_data (source), 7, GIB / 4);
  g_signal_connect (scanner, "notify::frame", G_CALLBACK (on_frame), &h);
  ps_scanner_set_interval (scanner, 20);
  ps_scanner_start (scanner);
  while (h.n < (int) G_N_ELEMENTS (h.delays) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  ps_scanner_stop (scanner);

  *handoff_ms = median (h.delays, h.n);
  frame = ps_scanner_get_frame (scanner);
  /* the scanner's own state, the frame it keeps for the next pass and the
   * one the UI holds: what a scanner costs per page in steady state */
  memory = ps_scanner_get_state_bytes (scanner) + 2 * ps_frame_get_memory (frame);
  *bytes_per_page = (double) memory / n_pages;
  printf ("Frame hand-off, %" G_GUINT64_FORMAT " pages, %d frames:\n", n_pages, h.n);
  printf ("  %-44s %6.3f ms\n", "pass end to frame in the main loop (median)", *handoff_ms);
  printf ("  %-44s %6.1f bytes\n", "scanner state per page (hashes)", (double) ps_scanner_get_state_bytes (scanner) / n_pages);
  printf ("  %-44s %6.1f bytes\n", "one frame per page", (double) ps_frame_get_memory (frame) / n_pages);
  printf ("  %-44s %6.1f bytes\n", "state + 2 frames per page", *bytes_per_page);
}

/* ---- stop_ms: stopping a scanner mid-pass over 4 GiB at a 10 s interval ---- */

static void
note_mid_pass (PsScanner *scanner,
               guint64    pages_hashed,
               gpointer   data)
{
  /* a few steps in: well inside the pass */
  if (pages_hashed >= 8192)
    g_atomic_int_set ((gint *) data, TRUE);
}

static void
bench_stop (double *stop_ms,
            double *pass_ms)
{
  g_autofree char *name = bench_name ("stop");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GError) error = NULL;
  const guint64 size = 4 * GIB;
  double stops[5];
  PsFrame *frame;
  guint8 *data;

  source = ps_source_create_posix (name, size, 0600, NULL, &error);
  if (source == NULL)
    g_error ("%s", error->message);
  data = ps_source_get_data (source);
  for (guint64 i = 0; i < size; i += 512)
    *(guint64 *) (data + i) = i * 0x9e3779b97f4a7c15ull;

  for (int r = 0; r < 5; r++)
    {
      g_autoptr(PsScanner) scanner = ps_scanner_new (source);
      gint mid = FALSE;
      gint64 t0;

      ps_scanner_set_interval (scanner, PS_SCANNER_MAX_INTERVAL_MS);
      /* a pass in this thread first: the thread's passes then take the
       * whole object at once, as they do at a 10 s interval */
      frame = ps_scanner_scan_now (scanner);
      *pass_ms = frame->pass_us / 1e3;
      ps_frame_unref (frame);
      ps_scanner_set_slice_hook (scanner, note_mid_pass, &mid);
      ps_scanner_start (scanner);
      while (!g_atomic_int_get (&mid))
        g_usleep (100);
      t0 = g_get_monotonic_time ();
      ps_scanner_stop (scanner);
      stops[r] = (g_get_monotonic_time () - t0) / 1e3;
    }
  ps_source_remove (source, NULL);

  *stop_ms = median (stops, 5);
  printf ("Stopping a scanner mid-pass, 4 GiB resident, 10 s interval (median of 5):\n");
  printf ("  %-44s %6.1f ms\n", "a whole pass", *pass_ms);
  printf ("  %-44s %6.2f ms\n", "ps_scanner_stop mid-pass", *stop_ms);
}

int
main (int argc, char **argv)
{
  double scan_vs_read, find_vs_read, handoff_ms, bytes_per_page, sparse_ms, stop_ms, pass_ms;
  guint64 found, changed, false_positives, growth;

  setvbuf (stdout, NULL, _IOLBF, 0);
  bench_scan (&scan_vs_read, &find_vs_read, &found, &changed, &false_positives);
  printf ("  %-44s %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " found, %" G_GUINT64_FORMAT " unchanged reported\n",
          "1 page in 100 rewritten", found, changed, false_positives);
  bench_sparse (&growth, &sparse_ms);
  bench_handoff (&handoff_ms, &bytes_per_page);
  bench_stop (&stop_ms, &pass_ms);

  printf ("targets: scan_vs_read >= 0.8, sparse_growth_bytes = 0, handoff_ms < 2, state_bytes_per_page <= 32, changed_found equal, stop_ms < 16 (a frame), find_vs_read >= 0.5\n");
  printf ("ratios: scan_vs_read=%.2f sparse_growth_bytes=%" G_GUINT64_FORMAT " handoff_ms=%.3f state_bytes_per_page=%.1f changed_found=%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " stop_ms=%.2f find_vs_read=%.2f\n",
          scan_vs_read, growth, handoff_ms, bytes_per_page, found + false_positives, changed, stop_ms, find_vs_read);
  return 0;
}
