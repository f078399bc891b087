/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsBudget measures this process for real: the tests spend CPU on their own
 * thread (as drawing would) and watch what the budget decides. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "ps-budget.h"
#include "ps-scanner.h"
#include "ps-test-util.h"

/* Keeps this thread busy for wall_ms: a whole core while it runs. */
static void
spin (guint wall_ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) wall_ms * 1000;
  volatile guint64 x = 0;

  while (g_get_monotonic_time () < until)
    for (int i = 0; i < 10000; i++)
      x += i;
}

static void
test_defaults (void)
{
  g_autoptr(PsBudget) budget = ps_budget_new ();
  double fraction;

  g_assert_cmpfloat (ps_budget_get_fraction (budget), ==, PS_BUDGET_DEFAULT_FRACTION);
  g_assert_cmpuint (ps_budget_get_fade_fps (budget), ==, PS_BUDGET_FADE_FPS_MAX);
  g_assert_cmpint (ps_budget_get_limits (budget), ==, PS_BUDGET_LIMITS_NOTHING);

  /* the settings' range */
  ps_budget_set_fraction (budget, 0);
  g_assert_cmpfloat (ps_budget_get_fraction (budget), ==, PS_BUDGET_MIN_FRACTION);
  g_object_set (budget, "fraction", 0.5, NULL);
  g_object_get (budget, "fraction", &fraction, NULL);
  g_assert_cmpfloat (fraction, ==, 0.5);
  ps_budget_set_fraction (budget, 4);
  g_assert_cmpfloat (ps_budget_get_fraction (budget), ==, PS_BUDGET_MAX_FRACTION);

  g_assert_true (ps_budget_get_default () == ps_budget_get_default ());
}

static void
test_scanners_share (void)
{
  g_autoptr(PsBudget) budget = ps_budget_new ();

  /* nothing drawn yet: one scanner may take the whole budget, two half */
  ps_budget_add_scanner (budget);
  g_assert_cmpfloat_with_epsilon (ps_budget_account_scan (budget, 0, FALSE), 0.25, 1e-9);
  ps_budget_add_scanner (budget);
  g_assert_cmpfloat_with_epsilon (ps_budget_account_scan (budget, 0, FALSE), 0.125, 1e-9);
  ps_budget_remove_scanner (budget);
  ps_budget_remove_scanner (budget);
}

typedef struct
{
  PsBudget *budget;
  guint     fps;
} FadeWait;

static gboolean
fade_back_up (gpointer data)
{
  FadeWait *w = data;

  g_usleep (100 * 1000);
  ps_budget_update (w->budget);
  return ps_budget_get_fade_fps (w->budget) == PS_BUDGET_FADE_FPS_MAX;
}

/* Drawing over its part of the budget: the fade slows first, down to its
 * floor; only then do the scanners get less, never nothing. When drawing
 * calms down the fade comes back. */
static void
test_drawing_slows_the_fade_first (void)
{
  g_autoptr(PsBudget) budget = ps_budget_new ();
  FadeWait wait = { budget, 0 };
  guint fps, previous = PS_BUDGET_FADE_FPS_MAX;
  double share;

  ps_budget_set_fraction (budget, 0.05);
  ps_budget_add_scanner (budget);
  ps_budget_update (budget);     /* the first mark */

  /* this thread "draws" a whole core, where 0.05 was the budget */
  for (int round = 0; round < 4; round++)
    {
      spin (600);
      ps_budget_update (budget);
      fps = ps_budget_get_fade_fps (budget);
      g_assert_cmpuint (fps, <=, previous);
      g_assert_cmpuint (fps, >=, PS_BUDGET_FADE_FPS_MIN);
      previous = fps;
    }
  g_assert_cmpuint (ps_budget_get_fade_fps (budget), ==, PS_BUDGET_FADE_FPS_MIN);
  g_assert_true (ps_budget_get_limits (budget) & PS_BUDGET_LIMITS_FADE);
  g_assert_cmpfloat (ps_budget_get_draw_fraction (budget), >, 0.05);
  g_assert_cmpfloat (ps_budget_get_process_fraction (budget), >=, ps_budget_get_draw_fraction (budget));

  /* the scanner is left its floor, a fifth of the budget */
  share = ps_budget_account_scan (budget, 0, TRUE);
  g_assert_cmpfloat_with_epsilon (share, 0.05 * 0.2, 1e-9);

  /* a scanner that said it was held back shows at the next measurement */
  spin (600);
  ps_budget_update (budget);
  g_assert_true (ps_budget_get_limits (budget) & PS_BUDGET_LIMITS_SCAN);

  /* idle again: the fade steps back up to its full rate */
  g_assert_true (ps_test_wait_until (fade_back_up, &wait, 30000));
  g_assert_false (ps_budget_get_limits (budget) & PS_BUDGET_LIMITS_FADE);
  g_assert_cmpfloat (ps_budget_account_scan (budget, 0, FALSE), >, 0.05 * 0.2);
  ps_budget_remove_scanner (budget);
}

/* ---- a scanner follows the process's budget ---- */

typedef struct
{
  PsScanner *scanner;
  guint      frames;
  gboolean   limited;
  guint      sweep_ms;
  guint      interval_ms;
} Watch;

static void
on_frame (PsScanner  *scanner,
          GParamSpec *pspec,
          Watch      *w)
{
  PsFrame *frame = ps_scanner_get_frame (scanner);

  w->frames++;
  w->limited = (frame->flags & PS_FRAME_BUDGET_LIMITED) != 0;
  w->sweep_ms = frame->sweep_ms;
  w->interval_ms = frame->interval_ms;
}

static gboolean
limited_frames (gpointer data)
{
  Watch *w = data;

  return w->frames > 5 && w->limited && (ps_budget_get_limits (ps_budget_get_default ()) & PS_BUDGET_LIMITS_SCAN);
}

static gboolean
free_frames (gpointer data)
{
  Watch *w = data;

  return w->frames > 5 && !w->limited;
}

static void
test_scanner_follows_budget (void)
{
  const gsize size = 256 * 1024 * 1024;
  g_autoptr(PsSource) source = ps_source_new_anon (size, NULL, NULL);
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  Watch watch = { scanner, 0, FALSE, 0, 0 };
  PsBudget *budget = ps_budget_get_default ();

  memset (ps_source_get_data (source), 3, size);
  /* 256 MiB every 10 ms would take more than a core: with 1 % of one, the
   * sweep is done in slices, and the frames say so */
  ps_budget_set_fraction (budget, 0.01);
  g_signal_connect (scanner, "notify::frame", G_CALLBACK (on_frame), &watch);
  ps_scanner_set_interval (scanner, 10);
  ps_scanner_start (scanner);
  g_assert_true (ps_test_wait_until (limited_frames, &watch, 60000));
  g_assert_cmpuint (watch.sweep_ms, >, watch.interval_ms);

  /* a budget of a whole core and a long interval: one pass covers it all */
  ps_budget_set_fraction (budget, 1.0);
  ps_scanner_set_interval (scanner, 200);
  watch.frames = 0;
  g_assert_true (ps_test_wait_until (free_frames, &watch, 60000));
  g_assert_cmpuint (watch.sweep_ms, ==, watch.interval_ms);
  ps_scanner_stop (scanner);
  ps_budget_set_fraction (budget, PS_BUDGET_DEFAULT_FRACTION);
}

int
main (int argc, char **argv)
{
  ps_test_init (&argc, &argv);
  g_test_add_func ("/budget/defaults", test_defaults);
  g_test_add_func ("/budget/scanners-share", test_scanners_share);
  g_test_add_func ("/budget/drawing-slows-the-fade-first", test_drawing_slows_the_fade_first);
  g_test_add_func ("/budget/scanner-follows-budget", test_scanner_follows_budget);
  return g_test_run ();
}
