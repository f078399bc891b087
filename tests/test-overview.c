/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The whole object at a glance, for real: the window under Xvfb on POSIX
 * segments larger than the grid has pixels. At Fit a cell shows a run of
 * pages; a write by another process to the last page shows without
 * scrolling, on the grid and on the overview strip; a run's tooltip names
 * its pages and a click shows them; a 64 GiB sparse segment shows where its
 * written pages are and is never filled. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-application.h"
#include "ps-grid-overview.h"
#include "ps-hex-view.h"
#include "ps-page-grid-private.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static PsApplication *app;
static gsize page;

typedef struct
{
  char     *name;
  guint64   size;
  int       fd;
  PsWindow *window;
  gboolean  swept;          /* a frame that finished a sweep came */
  guint64   sweep_after;    /* ...with a serial above this */
} Fixture;

/* ---- the segment, unlinked even when an assertion aborts ---- */

static char *current_segment;

static void
unlink_on_abort (int sig)
{
  if (current_segment != NULL)
    shm_unlink (current_segment);
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
make_sparse_segment (Fixture *f,
                     guint64  size)
{
  f->name = ps_test_posix_name ("overview");
  current_segment = f->name;
  f->size = size;
  f->fd = shm_open (f->name, O_RDWR | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (f->fd, >=, 0);
  g_assert_cmpint (ftruncate (f->fd, size), ==, 0);
}

typedef struct
{
  const char *name;
  guint64     offset;
  guint8      value;
} WriteArgs;

/* Another process: it opens the segment by name itself. */
static int
write_child (gpointer data)
{
  WriteArgs *args = data;
  int fd = shm_open (args->name, O_RDWR, 0);

  if (fd < 0)
    return 2;
  return pwrite (fd, &args->value, 1, args->offset) == 1 ? 0 : 3;
}

static void
write_from_another_process (Fixture *f,
                            guint64  offset,
                            guint8   value)
{
  WriteArgs args = { f->name, offset, value };
  int status = ps_test_reap (ps_test_fork (write_child, &args), 5000);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->fd = -1;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (f->fd >= 0)
    close (f->fd);
  if (f->name != NULL)
    shm_unlink (f->name);
  current_segment = NULL;
  g_free (f->name);
  g_settings_reset (ps_application_get_settings (app), "zoom");
  g_settings_reset (ps_application_get_settings (app), "pane-layout");
  g_settings_reset (ps_application_get_settings (app), "pane-position");
}

/* ---- the window ---- */

static void
on_frame (PsSession  *session,
          GParamSpec *pspec,
          Fixture    *f)
{
  PsFrame *frame = ps_session_get_frame (session);

  if (frame != NULL && (frame->flags & PS_FRAME_SWEEP_DONE) && frame->serial > f->sweep_after)
    f->swept = TRUE;
}

static gboolean
swept (gpointer data)
{
  return ((Fixture *) data)->swept;
}

/* Until the scanner has seen every page once more: each has its baseline. */
static void
wait_sweep (Fixture *f)
{
  PsFrame *frame = ps_session_get_frame (f->window->session);

  f->swept = FALSE;
  f->sweep_after = frame != NULL ? frame->serial : 0;
  g_assert_true (ps_test_wait_until (swept, f, 120000));
}

static void
open_window (Fixture *f)
{
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;

  g_settings_set_int (ps_application_get_settings (app), "zoom", 0);     /* Fit */
  f->window = ps_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  ps_ui_test_wait_drawn (GTK_WIDGET (f->window));
  spec.kind = PS_SOURCE_POSIX;
  spec.name = g_strdup (f->name);
  g_signal_connect (f->window->session, "notify::frame", G_CALLBACK (on_frame), f);
  g_assert_true (ps_window_open_spec (f->window, &spec, &error));
  g_assert_no_error (error);
  wait_sweep (f);
  ps_ui_test_wait_frame (GTK_WIDGET (f->window->grid));
}

static PsGridOverview *
find_overview (GtkWidget *widget)
{
  if (PS_IS_GRID_OVERVIEW (widget))
    return PS_GRID_OVERVIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      PsGridOverview *found = find_overview (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---- pixels ---- */

typedef struct
{
  GtkWidget  *widget;
  GdkTexture *texture;
} Render;

/* Within the paint: no frame can be waited for here, so with a layout
 * pending (a loaded machine) the next paint is taken instead. */
static void
on_after_paint (GdkFrameClock *clock,
                Render        *r)
{
  if (r->texture != NULL)
    return;
  r->texture = ps_ui_test_try_render (r->widget);
  if (r->texture == NULL)
    gtk_widget_queue_draw (r->widget);
}

static gboolean
rendered (gpointer data)
{
  return ((Render *) data)->texture != NULL;
}

/* What the widget shows at (x, y) now, rendered right after a paint. */
static guint32
pixel_now (GtkWidget *widget,
           int        x,
           int        y)
{
  Render r = { widget, NULL };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &r);
  guint32 pixel;

  gtk_widget_queue_draw (widget);
  g_assert_true (ps_test_wait_until (rendered, &r, 5000));
  g_signal_handler_disconnect (clock, id);
  pixel = ps_ui_test_pixel (r.texture, x, y);
  g_object_unref (r.texture);
  return pixel;
}

static guint32
cell_pixel (PsPageGrid *grid,
            guint64     page_number)
{
  GdkRectangle area;

  g_assert_true (ps_page_grid_get_page_area (grid, page_number, &area));
  g_assert_cmpint (area.y, >=, 0);
  g_assert_cmpint (area.y + area.height, <=, gtk_widget_get_height (GTK_WIDGET (grid)));
  return pixel_now (GTK_WIDGET (grid), area.x + area.width / 2, area.y + area.height / 2);
}

static guint32
overview_pixel (PsGridOverview *overview,
                guint64         page_number)
{
  double y, height;

  g_assert_true (ps_grid_overview_get_page_y (overview, page_number, &y, &height));
  return pixel_now (GTK_WIDGET (overview), gtk_widget_get_width (GTK_WIDGET (overview)) / 2, (int) (y + height / 2));
}

typedef struct
{
  GtkWidget *widget;
  guint64    page;
  guint32    before;
  gboolean   overview;
} Watch;

static gboolean
pixel_changed (gpointer data)
{
  Watch *w = data;
  guint32 now = w->overview ? overview_pixel (PS_GRID_OVERVIEW (w->widget), w->page)
                            : cell_pixel (PS_PAGE_GRID (w->widget), w->page);

  return now != w->before;
}

/* Waits until the pixel stays the same over a fade step and more: nothing
 * there is cooling any more. */
static guint32
still_pixel (Watch *w)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint32 last = 0;

  for (;;)
    {
      gint64 until = g_get_monotonic_time () + 800 * 1000;
      guint32 a = w->overview ? overview_pixel (PS_GRID_OVERVIEW (w->widget), w->page)
                              : cell_pixel (PS_PAGE_GRID (w->widget), w->page);

      if (a == last)
        return a;
      last = a;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      while (g_get_monotonic_time () < until)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (1000);
    }
}

/* ---- a 4 GiB segment: a write to its last page shows without scrolling ---- */

static void
test_last_page_at_fit (Fixture       *f,
                       gconstpointer  data)
{
  PsPageGrid *grid;
  PsGridOverview *overview;
  GtkAdjustment *adj;
  guint64 last;
  gint64 t0;
  Watch w;

  make_sparse_segment (f, 4 * GIB);
  last = f->size / page - 1;
  g_assert_cmpint (pwrite (f->fd, "first", 5, 0), ==, 5);
  open_window (f);
  grid = f->window->grid;
  overview = find_overview (GTK_WIDGET (f->window));
  g_assert_nonnull (overview);

  /* the whole object on screen: runs of pages, nothing to scroll */
  g_assert_true (ps_page_grid_get_fit (grid));
  g_assert_cmpuint (ps_page_grid_get_run (grid), >, 1);
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), <=, gtk_adjustment_get_page_size (adj));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overview)));
  g_test_message ("%" G_GUINT64_FORMAT " pages, %" G_GUINT64_FORMAT " a cell", f->size / page, ps_page_grid_get_run (grid));

  w = (Watch) { GTK_WIDGET (grid), last, 0, FALSE };
  w.before = still_pixel (&w);
  t0 = g_get_monotonic_time ();
  write_from_another_process (f, last * page + 100, 0x5a);
  g_assert_true (ps_test_wait_until (pixel_changed, &w, 60000));
  g_test_message ("the grid showed the write to page %" G_GUINT64_FORMAT " after %.0f ms",
                  last, (g_get_monotonic_time () - t0) / 1e3);

  /* one cell a page: the grid shows the start, the overview the rest */
  ps_page_grid_set_cell_size (grid, 1);
  ps_ui_test_wait_frame (GTK_WIDGET (grid));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), >, gtk_adjustment_get_page_size (adj));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overview)));
  ps_ui_test_wait_frame (GTK_WIDGET (overview));
  g_assert_cmpuint (ps_grid_overview_get_run (overview), >, 1);

  w = (Watch) { GTK_WIDGET (overview), last, 0, TRUE };
  w.before = still_pixel (&w);
  t0 = g_get_monotonic_time ();
  write_from_another_process (f, last * page + 200, 0xa5);
  g_assert_true (ps_test_wait_until (pixel_changed, &w, 60000));
  g_test_message ("the overview showed it after %.0f ms", (g_get_monotonic_time () - t0) / 1e3);
  /* the grid did not scroll to it */
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);

  /* a click on the overview's end scrolls the grid there */
  {
    double y, height;
    guint64 first, n;

    g_assert_true (ps_grid_overview_get_page_y (overview, last, &y, &height));
    ps_page_grid_scroll_to_page (grid, last);
    g_assert_true (ps_page_grid_get_visible_pages (grid, &first, &n));
    g_assert_cmpuint (first + n, >, last);
  }
}

/* ---- a run: its tooltip names its pages, a click shows them ---- */

static void
test_run_tooltip_and_click (Fixture       *f,
                            gconstpointer  data)
{
  PsPageGrid *grid;
  g_autofree char *text = NULL;
  g_autofree char *expect = NULL;
  GtkGestureDrag *drag = NULL;
  g_autoptr(GListModel) controllers = NULL;
  GdkRectangle area;
  guint64 run, target, first, n, offset, length;

  make_sparse_segment (f, GIB);
  open_window (f);
  grid = f->window->grid;
  run = ps_page_grid_get_run (grid);
  g_assert_cmpuint (run, >, 1);
  target = f->size / page / 2 + 3;
  g_assert_cmpint (pwrite (f->fd, "x", 1, target * page), ==, 1);

  first = target - target % run;
  text = ps_page_grid_describe_page (grid, target);
  expect = g_strdup_printf ("Pages %" G_GUINT64_FORMAT " – %" G_GUINT64_FORMAT " (of %" G_GUINT64_FORMAT ")",
                            first, first + run - 1, f->size / page);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, expect));

  /* the click, as the drag gesture sees it */
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (grid));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && drag == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        drag = GTK_GESTURE_DRAG (controller);
    }
  g_assert_nonnull (drag);
  g_assert_true (ps_page_grid_get_page_area (grid, target, &area));
  g_signal_emit_by_name (drag, "drag-begin", area.x + 0.5, area.y + 0.5);
  g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);

  /* the run's pages are selected, and the hex view shows its first */
  g_assert_true (ps_page_grid_get_selection (grid, &first, &n));
  g_assert_cmpuint (first, ==, target - target % run);
  g_assert_cmpuint (n, ==, run);
  g_assert_cmpuint (ps_hex_view_get_cursor (f->window->hex), ==, first * page);
  ps_ui_test_wait_frame (GTK_WIDGET (f->window->hex));
  ps_hex_view_get_visible_range (f->window->hex, &offset, &length);
  g_assert_cmpuint (offset, <=, first * page);
  g_assert_cmpuint (offset + length, >, first * page);
}

/* ---- 64 GiB, sparse: where the written pages are, and nothing filled ---- */

static void
test_sparse_64_gib (Fixture       *f,
                    gconstpointer  data)
{
  PsPageGrid *grid;
  GtkAdjustment *adj;
  guint64 written[] = { 0, 0, 0 };
  guint64 allocated, empty;
  guint32 hole_color;

  make_sparse_segment (f, 64 * GIB);
  written[0] = 16 * GIB / page;
  written[1] = 32 * GIB / page + 5;
  written[2] = f->size / page - 1;
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    g_assert_cmpint (pwrite (f->fd, "written", 7, written[i] * page), ==, 7);
  allocated = ps_test_allocated (f->fd);
  g_assert_cmpuint (allocated, ==, G_N_ELEMENTS (written) * page);

  open_window (f);
  grid = f->window->grid;
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), <=, gtk_adjustment_get_page_size (adj));
  g_test_message ("%" G_GUINT64_FORMAT " pages, %" G_GUINT64_FORMAT " a cell", f->size / page, ps_page_grid_get_run (grid));

  empty = 8 * GIB / page;
  hole_color = cell_pixel (grid, empty);
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    {
      guint32 c = cell_pixel (grid, written[i]);

      g_test_message ("page %" G_GUINT64_FORMAT ": %08x (holes: %08x)", written[i], c, hole_color);
      g_assert_cmphex (c, !=, hole_color);
    }
  /* the pages around a written run are holes */
  g_assert_cmphex (cell_pixel (grid, written[1] + 4 * ps_page_grid_get_run (grid)), ==, hole_color);
  /* watching it allocated nothing */
  g_assert_cmpuint (ps_test_allocated (f->fd), ==, allocated);
}


/* ---- the panes: grid left, right or above the hex view, kept ---- */

static void
test_pane_layout_kept (Fixture       *f,
                       gconstpointer  data)
{
  GSettings *settings = ps_application_get_settings (app);
  GtkWidget *grid_pane, *hex_pane;
  PsWindow *second;

  f->window = ps_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  ps_ui_test_wait_drawn (GTK_WIDGET (f->window));
  grid_pane = gtk_widget_get_parent (GTK_WIDGET (f->window->legend));
  hex_pane = gtk_paned_get_end_child (f->window->hpaned);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (f->window->hex), hex_pane));
  g_assert_true (gtk_paned_get_start_child (f->window->hpaned) == grid_pane);

  /* the grid right of the bytes */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.pane-layout", "s", "grid-right"));
  g_assert_true (gtk_paned_get_start_child (f->window->hpaned) == hex_pane);
  g_assert_true (gtk_paned_get_end_child (f->window->hpaned) == grid_pane);
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (f->window->hpaned)), ==, GTK_ORIENTATION_HORIZONTAL);
  g_assert_cmpint (g_settings_get_enum (settings, "pane-layout"), ==, 1);

  /* above them */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.pane-layout", "s", "stacked"));
  g_assert_true (gtk_paned_get_start_child (f->window->hpaned) == grid_pane);
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (f->window->hpaned)), ==, GTK_ORIENTATION_VERTICAL);
  ps_ui_test_wait_frame (GTK_WIDGET (f->window));

  /* the divider moved: kept; the next window comes as this one is */
  gtk_paned_set_position (f->window->hpaned, 260);
  g_assert_cmpint (g_settings_get_int (settings, "pane-position"), ==, 260);
  second = ps_window_new (app);
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (second->hpaned)), ==, GTK_ORIENTATION_VERTICAL);
  g_assert_cmpint (gtk_paned_get_position (second->hpaned), ==, 260);
  gtk_window_destroy (GTK_WINDOW (second));

  /* a new layout forgets the divider */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.pane-layout", "s", "grid-left"));
  g_assert_true (gtk_paned_get_start_child (f->window->hpaned) == grid_pane);
  g_assert_cmpint (g_settings_get_int (settings, "pane-position"), ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  page = ps_test_page_size ();
  signal (SIGABRT, unlink_on_abort);
  signal (SIGTRAP, unlink_on_abort);
  app = ps_ui_test_app_new (&argc, &argv);

  g_test_add ("/overview/last-page-at-fit", Fixture, NULL, fixture_setup, test_last_page_at_fit, fixture_teardown);
  g_test_add ("/overview/run-tooltip-and-click", Fixture, NULL, fixture_setup, test_run_tooltip_and_click, fixture_teardown);
  g_test_add ("/overview/sparse-64-gib", Fixture, NULL, fixture_setup, test_sparse_64_gib, fixture_teardown);
  g_test_add ("/overview/pane-layout-kept", Fixture, NULL, fixture_setup, test_pane_layout_kept, fixture_teardown);
  return g_test_run ();
}
