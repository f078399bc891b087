/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pagescope-record-bench: how fast a recording is written and read back.
 *
 *   events_per_s     page changes written to SQLite per second, through the
 *                    recorder's own path (its pass func on a 262,144-page
 *                    frame, the queue, the writer thread's batched
 *                    transactions), from the first pass handed over until
 *                    the file is closed. Target: >= 100,000.
 *   feed_ns          what the scanner's thread pays per change (the pass
 *                    func: copying the pass into the queue, comparing the
 *                    page states).
 *   replay_open_s    opening that recording (2,000,000 changes) for replay.
 *   replay_frame_ms  the median time to compute the frame at a random T of
 *                    it; replay_frame_max_ms the slowest of RUNS.
 *   frame_vs_copy    that median against copying the 262,144 pages' heat
 *                    (2 MiB) in the same run: what a frame costs beyond a copy.
 *
 * The last line is machine-readable:
 *   ratios: events_per_s=N feed_ns=N replay_open_s=X replay_frame_ms=X replay_frame_max_ms=X frame_vs_copy=X replay_bytes_per_change=X
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ps-recorder-private.h"
#include "ps-replay.h"

#define N_PAGES        262144
#define PAGE           4096
#define N_PASSES       40
#define CHANGES_A_PASS 50000
#define RUNS           200

static guint64
xorshift (guint64 *state)
{
  guint64 x = *state;

  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return *state = x;
}

static int
cmp_change (const void *a,
            const void *b)
{
  guint64 x = ((const PsPageChange *) a)->page, y = ((const PsPageChange *) b)->page;

  return (x > y) - (x < y);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* A pass as the scanner hands it over: CHANGES_A_PASS distinct pages in
 * page order, their stamps, a few pages changing state. */
static void
make_pass (PsFrame      *frame,
           PsPageChange *changes,
           guint         pass,
           gint64        start_us,
           guint64      *rng)
{
  guint32 stamp = (guint32) (pass * 100 + 1000);
  guint n = 0;

  frame->serial = pass + 1;
  frame->epoch_us = start_us - G_USEC_PER_SEC;
  frame->time_us = frame->epoch_us + (gint64) stamp * 1000 + 500;
  frame->interval_ms = 100;
  for (guint64 p = xorshift (rng) % 5; p < N_PAGES && n < CHANGES_A_PASS; p += 1 + xorshift (rng) % 9)
    {
      changes[n] = (PsPageChange) { p, xorshift (rng), xorshift (rng) };
      ps_frame_page_for_write (frame, p)->last_change_ms = stamp;
      ps_frame_page_for_write (frame, p)->content = PS_CONTENT_BINARY;
      n++;
    }
  qsort (changes, n, sizeof *changes, cmp_change);
  frame->n_changed = n;
  frame->total_changes += n;
  for (guint i = 0; i < 8; i++)
    ps_frame_page_for_write (frame, xorshift (rng) % N_PAGES)->state ^= PS_PAGE_RESIDENT;
}

typedef struct
{
  double   events_per_s;
  double   feed_ns;
  guint64  written;
} Writing;

static void
bench_write (const char *path,
             Writing    *w)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsRecorder) recorder = ps_recorder_start_detached (path, PAGE, &error);
  g_autoptr(PsFrame) frame = ps_frame_new (N_PAGES, 0);
  g_autofree PsPageChange *changes = g_new (PsPageChange, CHANGES_A_PASS);
  gint64 start, fed = 0, t0;
  guint64 rng = 0x9e3779b97f4a7c15;
  PsRecordStats stats;

  if (recorder == NULL)
    g_error ("%s", error->message);
  for (guint64 p = 0; p < N_PAGES; p++)
    ps_frame_page_for_write (frame, p)->state = PS_PAGE_RESIDENT;
  start = g_get_monotonic_time ();
  for (guint pass = 0; pass < N_PASSES; pass++)
    {
      PsScanPass sp = { frame, changes, 0 };

      make_pass (frame, changes, pass, start, &rng);
      sp.n_changes = frame->n_changed;
      t0 = g_get_monotonic_time ();
      ps_recorder_on_pass (NULL, &sp, recorder);
      fed += g_get_monotonic_time () - t0;
      /* a bench may feed faster than any scanner finds changes: wait
       * rather than let the recorder drop rows */
      do
        {
          ps_recorder_get_stats (recorder, &stats);
          if (stats.changes > stats.rows_written + 400000)
            g_usleep (1000);
        }
      while (stats.changes > stats.rows_written + 400000);
    }
  if (!ps_recorder_stop (recorder, &error))
    g_error ("%s", error->message);
  ps_recorder_get_stats (recorder, &stats);
  if (stats.dropped > 0)
    g_error ("%" G_GUINT64_FORMAT " rows dropped", stats.dropped);
  w->written = stats.changes;
  w->events_per_s = stats.changes / ((g_get_monotonic_time () - start) / 1e6);
  w->feed_ns = fed * 1000.0 / stats.changes;
}

typedef struct
{
  double open_s;
  double frame_ms;
  double frame_max_ms;
  double copy_ms;
  double bytes_per_change;
} Reading;

static void
bench_replay (const char *path,
              Reading    *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsReplay) replay = NULL;
  g_autofree PsPageInfo *from = g_new0 (PsPageInfo, N_PAGES);
  g_autofree PsPageInfo *to = g_new0 (PsPageInfo, N_PAGES);
  double frame_ms[RUNS], copy_ms[RUNS];
  guint64 rng = 0x2545f4914f6cdd1d;
  gint64 t0 = g_get_monotonic_time ();
  gint64 duration;

  replay = ps_replay_open (path, &error);
  if (replay == NULL)
    g_error ("%s", error->message);
  r->open_s = (g_get_monotonic_time () - t0) / 1e6;
  if (ps_replay_get_geometry (replay)->n_pages != N_PAGES)
    g_error ("the recording has %" G_GUINT64_FORMAT " pages", ps_replay_get_geometry (replay)->n_pages);
  duration = ps_replay_get_duration (replay);

  for (int i = 0; i < RUNS; i++)
    {
      gint64 t = (gint64) (xorshift (&rng) % (guint64) MAX (duration, 1));
      PsFrame *frame;

      t0 = g_get_monotonic_time ();
      frame = ps_replay_get_frame (replay, t, g_get_monotonic_time ());
      frame_ms[i] = (g_get_monotonic_time () - t0) / 1e3;
      ps_frame_unref (frame);

      t0 = g_get_monotonic_time ();
      memcpy (to, from, N_PAGES * sizeof (PsPageInfo));
      from[xorshift (&rng) % N_PAGES].changes++;   /* keep the copy from being elided */
      copy_ms[i] = (g_get_monotonic_time () - t0) / 1e3;
    }
  qsort (frame_ms, RUNS, sizeof (double), cmp_double);
  qsort (copy_ms, RUNS, sizeof (double), cmp_double);
  r->frame_ms = frame_ms[RUNS / 2];
  r->frame_max_ms = frame_ms[RUNS - 1];
  r->copy_ms = copy_ms[RUNS / 2];
  r->bytes_per_change = (double) ps_replay_get_memory (replay) / ps_replay_get_n_changes (replay);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("pagescope-bench-record-XXXXXX", &error);
  g_autofree char *path = NULL;
  Writing w = { 0 };
  Reading r = { 0 };

  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "bench.pagescope-trace", NULL);

  printf ("pagescope-record-bench: %d pages, %d passes of %d changes\n", N_PAGES, N_PASSES, CHANGES_A_PASS);
  bench_write (path, &w);
  printf ("  %-44s %10.0f /s\n", "page changes written (batched transactions)", w.events_per_s);
  printf ("  %-44s %10.1f ns\n", "scanner thread's cost per change", w.feed_ns);
  bench_replay (path, &r);
  printf ("  %-44s %10.2f s\n", "replay: open", r.open_s);
  printf ("  %-44s %10.3f ms (max %.3f)\n", "replay: frame at a random T", r.frame_ms, r.frame_max_ms);
  printf ("  %-44s %10.3f ms\n", "copy of the pages' heat (2 MiB)", r.copy_ms);
  printf ("  %-44s %10.1f bytes\n", "replay: memory per change", r.bytes_per_change);

  g_unlink (path);
  g_rmdir (dir);
  printf ("ratios: events_per_s=%.0f feed_ns=%.1f replay_open_s=%.2f replay_frame_ms=%.3f replay_frame_max_ms=%.3f "
          "frame_vs_copy=%.2f replay_bytes_per_change=%.1f\n",
          w.events_per_s, w.feed_ns, r.open_s, r.frame_ms, r.frame_max_ms, r.frame_ms / MAX (r.copy_ms, 1e-3),
          r.bytes_per_change);
  return 0;
}
