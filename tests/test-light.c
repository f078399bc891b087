/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A light observer, for real: the window under Xvfb on a POSIX segment that
 * other processes write. Watching what does not change draws nothing; the
 * status bar changes at most twice a second; a page written by another
 * process shows at once and cools in a few visible steps; and with a tight
 * budget the status says what the budget holds back, and a change on screen
 * still shows. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-application.h"
#include "ps-budget.h"
#include "ps-hex-view-private.h"
#include "ps-page-grid-private.h"
#include "ps-status-bar-private.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

static PsApplication *app;

typedef struct
{
  char     *name;
  gsize     size;
  guint8   *map;
  PsWindow *window;
  pid_t     writer;
} Fixture;

/* ---- the segment and the processes that write it ---- */

static void
make_segment (Fixture *f,
              gsize    size)
{
  gsize page_size = ps_test_page_size ();
  int fd;

  f->name = ps_test_posix_name ("light");
  f->size = size;
  fd = shm_open (f->name, O_RDWR | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (fd, >=, 0);
  /* unlinked when the test ends, also when a failed assertion aborts it
   * before the fixture's teardown */
  ps_test_queue_shm_unlink (f->name);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  f->map = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  g_assert_true (f->map != MAP_FAILED);
  close (fd);
  /* allocated: something in every page */
  for (gsize off = 0; off < size; off += page_size)
    f->map[off + 7] = (guint8) (1 + off / page_size % 200);
}

typedef struct
{
  const char *name;
  gsize       size;
  guint64     offset;      /* G_MAXUINT64: random bytes until killed */
  guint8      value;
} WriteArgs;

/* Another process: it maps the segment by name itself. */
static int
write_child (gpointer data)
{
  WriteArgs *args = data;
  int fd = shm_open (args->name, O_RDWR, 0);
  guint64 state = 0x9e3779b97f4a7c15u ^ (guint64) getpid ();
  guint8 *map;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (fd < 0)
    return 2;
  map = mmap (NULL, args->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED)
    return 3;
  if (args->offset != G_MAXUINT64)
    {
      map[args->offset] = args->value;
      return 0;
    }
  for (;;)
    {
      struct timespec ms = { 0, 1000 * 1000 };

      state ^= state << 13, state ^= state >> 7, state ^= state << 17;
      map[state % args->size] = (guint8) (state >> 56);
      nanosleep (&ms, NULL);
    }
}

static void
start_random_writer (Fixture *f)
{
  WriteArgs args = { f->name, f->size, G_MAXUINT64, 0 };

  f->writer = ps_test_fork (write_child, &args);
}

static void
write_from_another_process (Fixture *f,
                            guint64  offset,
                            guint8   value)
{
  WriteArgs args = { f->name, f->size, offset, value };
  int status = ps_test_reap (ps_test_fork (write_child, &args), 5000);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static void
fixture_teardown (Fixture  *f,
                  gconstpointer data)
{
  if (f->writer > 0)
    {
      kill (f->writer, SIGKILL);
      ps_test_reap (f->writer, 5000);
    }
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (f->map != NULL)
    munmap (f->map, f->size);
  if (f->name != NULL)
    shm_unlink (f->name);
  g_free (f->name);
  g_settings_reset (ps_application_get_settings (app), "cpu-budget");
}

/* ---- the window ---- */

static gboolean
has_frames (gpointer data)
{
  PsWindow *window = data;
  PsFrame *frame = ps_session_get_frame (window->session);

  return frame != NULL && frame->serial >= 30;
}

/* The window on the segment, a few seconds in: start-up is over and the
 * status bar has said what it says. */
static void
open_window (Fixture *f)
{
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;

  f->window = ps_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  ps_ui_test_wait_drawn (GTK_WIDGET (f->window));
  spec.kind = PS_SOURCE_POSIX;
  spec.name = g_strdup (f->name);
  g_assert_true (ps_window_open_spec (f->window, &spec, &error));
  g_assert_no_error (error);
  g_assert_true (ps_test_wait_until (has_frames, f->window, 30000));
}

typedef struct
{
  guint paints;
  guint layouts;
  guint labels[PS_STATUS_N_FIELDS];
} Counts;

static void
count_paint (GdkFrameClock *clock,
             Counts        *counts)
{
  counts->paints++;
}

static void
count_layout (GdkFrameClock *clock,
              Counts        *counts)
{
  counts->layouts++;
}

static void
count_label (GtkLabel   *label,
             GParamSpec *pspec,
             guint      *n)
{
  (*n)++;
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* Runs the main loop for ms, counting the window's paints and layouts and
 * each status label's changes. Returns the seconds it ran. */
static double
watch_for (Fixture *f,
           guint    ms,
           Counts  *counts)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  gint64 t0 = g_get_monotonic_time ();
  gint64 until = t0 + (gint64) ms * 1000;
  gulong paint_id, layout_id;
  gulong label_ids[PS_STATUS_N_FIELDS];

  memset (counts, 0, sizeof *counts);
  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), counts);
  layout_id = g_signal_connect (clock, "layout", G_CALLBACK (count_layout), counts);
  for (guint i = 0; i < PS_STATUS_N_FIELDS; i++)
    label_ids[i] = g_signal_connect (ps_status_bar_get_label (f->window->status_bar, i), "notify::label",
                                     G_CALLBACK (count_label), &counts->labels[i]);
  g_assert_true (ps_test_wait_until (time_passed, &until, ms + 1000));
  g_signal_handler_disconnect (clock, paint_id);
  g_signal_handler_disconnect (clock, layout_id);
  for (guint i = 0; i < PS_STATUS_N_FIELDS; i++)
    g_signal_handler_disconnect (ps_status_bar_get_label (f->window->status_bar, i), label_ids[i]);
  return (g_get_monotonic_time () - t0) / 1e6;
}

/* ---- nothing changes: nothing is drawn ---- */

static void
test_idle_draws_nothing (Fixture       *f,
                         gconstpointer  data)
{
  guint grid0, hex0;
  double seconds;
  Counts counts;

  make_segment (f, 4 * 1024 * 1024);
  open_window (f);

  grid0 = ps_page_grid_get_snapshot_count (f->window->grid);
  hex0 = ps_hex_view_get_snapshot_count (f->window->hex);
  seconds = watch_for (f, 2000, &counts);
  for (guint i = 0; i < PS_STATUS_N_FIELDS; i++)
    g_test_message ("status label %u: %u changes", i, counts.labels[i]);
  g_test_message ("over %.1f s: %u paints, %u layouts; grid %u, hex view %u snapshots", seconds,
                  counts.paints, counts.layouts, ps_page_grid_get_snapshot_count (f->window->grid) - grid0,
                  ps_hex_view_get_snapshot_count (f->window->hex) - hex0);
  /* twenty frames came, and none of them was drawn */
  g_assert_cmpuint (ps_page_grid_get_snapshot_count (f->window->grid), ==, grid0);
  g_assert_cmpuint (ps_hex_view_get_snapshot_count (f->window->hex), ==, hex0);
  for (guint i = 0; i < PS_STATUS_N_FIELDS; i++)
    g_assert_cmpuint (counts.labels[i], <=, 2 * seconds + 1);
}

/* ---- a busy segment: the status bar still changes at most twice a second ---- */

static void
test_status_twice_a_second (Fixture       *f,
                            gconstpointer  data)
{
  double seconds;
  Counts counts;

  make_segment (f, 4 * 1024 * 1024);
  start_random_writer (f);
  open_window (f);

  seconds = watch_for (f, 3000, &counts);
  for (guint i = 0; i < PS_STATUS_N_FIELDS; i++)
    {
      g_test_message ("status label %u: %u changes in %.1f s", i, counts.labels[i], seconds);
      g_assert_cmpuint (counts.labels[i], <=, 2 * seconds + 1);
    }
  /* while the frames, ten a second, change the grid */
  g_assert_cmpuint (counts.paints, >, 0);
}

/* ---- a write by another process: shown within a second, then cooling in steps ---- */

static guint32
painted_cell (PsPageGrid *grid,
              guint64     page)
{
  g_autoptr(GdkTexture) texture = ps_ui_test_render (GTK_WIDGET (grid));
  GdkRectangle area;

  g_assert_true (ps_page_grid_get_page_area (grid, page, &area));
  return ps_ui_test_pixel (texture, area.x + area.width / 2, area.y + area.height / 2);
}

typedef struct
{
  PsPageGrid *grid;
  guint64     page;
  guint32     color;        /* as painted before */
  guint32     now;
} CellWatch;

static gboolean
cell_changed (gpointer data)
{
  CellWatch *w = data;

  w->now = painted_cell (w->grid, w->page);
  return w->now != w->color;
}

static void
test_write_shows_then_cools (Fixture       *f,
                             gconstpointer  data)
{
  const guint64 page = 40;
  PsPageGrid *grid;
  CellWatch watch;
  guint32 cold, previous;
  guint steps = 0, snapshots0, paints;
  gint64 t0, deadline;
  Counts counts;
  gulong paint_id;

  make_segment (f, 64 * ps_test_page_size ());
  open_window (f);
  grid = f->window->grid;
  ps_ui_test_wait_frame (GTK_WIDGET (grid));
  cold = painted_cell (grid, page);
  g_assert_cmphex (cold, ==, painted_cell (grid, page + 1));

  /* within a second of the write its cell changes colour */
  watch = (CellWatch) { grid, page, cold, cold };
  t0 = g_get_monotonic_time ();
  write_from_another_process (f, page * ps_test_page_size () + 100, 0xa5);
  g_assert_true (ps_test_wait_until (cell_changed, &watch, 1000));
  g_test_message ("page %" G_GUINT64_FORMAT " changed on screen after %.0f ms", page,
                  (g_get_monotonic_time () - t0) / 1e3);
  g_assert_cmphex (painted_cell (grid, page + 1), ==, cold);

  /* then it cools, through a few colours, each drawn once: the cell is
   * looked at after each paint of the window (looking at it while a redraw
   * is queued would snapshot the grid itself) */
  snapshots0 = ps_page_grid_get_snapshot_count (grid);
  previous = watch.now;
  paints = 0;
  paint_id = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (grid)), "after-paint",
                               G_CALLBACK (count_paint), &counts);
  memset (&counts, 0, sizeof counts);
  deadline = g_get_monotonic_time () + 8 * G_USEC_PER_SEC;
  while (previous != cold && g_get_monotonic_time () < deadline)
    {
      guint32 c;

      g_main_context_iteration (NULL, TRUE);
      if (counts.paints == paints)
        continue;
      paints = counts.paints;
      c = painted_cell (grid, page);
      if (c != previous)
        steps++;
      previous = c;
    }
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (GTK_WIDGET (grid)), paint_id);
  g_test_message ("cooled in %u steps, %u snapshots of the grid", steps,
                  ps_page_grid_get_snapshot_count (grid) - snapshots0);
  g_assert_cmphex (previous, ==, cold);
  g_assert_cmpuint (steps, >=, 3);
  g_assert_cmpuint (steps, <=, 10);
  /* a snapshot a step, not thirty a second */
  g_assert_cmpuint (ps_page_grid_get_snapshot_count (grid) - snapshots0, <=, steps + 2);
}

/* ---- a tight budget: the status says so, and a change on screen shows ---- */

static gboolean
budget_shown (gpointer data)
{
  Fixture *f = data;
  GtkLabel *label = ps_status_bar_get_label (f->window->status_bar, PS_STATUS_BUDGET);

  return gtk_widget_get_visible (GTK_WIDGET (label)) && strstr (gtk_label_get_text (label), "Budget") != NULL;
}

typedef struct
{
  PsWindow *window;
  guint64   offset;
  guint8    value;
} ByteWatch;

static gboolean
byte_shown (gpointer data)
{
  ByteWatch *w = data;
  guint8 value;

  return ps_hex_view_get_byte (w->window->hex, w->offset, &value) && value == w->value &&
         ps_hex_view_get_glow (w->window->hex, w->offset) > 0;
}

static void
test_tight_budget (Fixture       *f,
                   gconstpointer  data)
{
  ByteWatch watch;
  guint8 value;

  /* 5 % of a core cannot hash 256 MiB ten times a second */
  g_settings_set_double (ps_application_get_settings (app), "cpu-budget", 0.05);
  g_assert_cmpfloat (ps_budget_get_fraction (ps_budget_get_default ()), ==, 0.05);
  make_segment (f, 256 * 1024 * 1024);
  start_random_writer (f);
  open_window (f);

  g_assert_true (ps_test_wait_until (budget_shown, f, 10000));
  g_test_message ("status: %s", gtk_label_get_text (ps_status_bar_get_label (f->window->status_bar,
                                                                             PS_STATUS_BUDGET)));

  /* what the hex view shows is scanned first, whatever the budget */
  g_assert_true (ps_hex_view_get_byte (f->window->hex, 0x21, &value));
  watch = (ByteWatch) { f->window, 0x21, (guint8) (value ^ 0x5a) };
  write_from_another_process (f, watch.offset, watch.value);
  g_assert_true (ps_test_wait_until (byte_shown, &watch, 2000));
}

int
main (int argc, char **argv)
{
  int rc;

  app = ps_ui_test_app_new (&argc, &argv);
  g_test_add ("/light/idle-draws-nothing", Fixture, NULL, NULL, test_idle_draws_nothing, fixture_teardown);
  g_test_add ("/light/status-twice-a-second", Fixture, NULL, NULL, test_status_twice_a_second, fixture_teardown);
  g_test_add ("/light/write-shows-then-cools", Fixture, NULL, NULL, test_write_shows_then_cools, fixture_teardown);
  g_test_add ("/light/tight-budget", Fixture, NULL, NULL, test_tight_budget, fixture_teardown);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
