/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The dirty colour mode, for real: a window on a file on disk under Xvfb,
 * Ctrl+5's mode, bytes written through win.write-bytes: the written page's
 * cell turns the legend's "dirty" on screen; win.msync: it turns "clean".
 * As root the kernel tells per page; otherwise per mapping, and the legend
 * says so. */
#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

#define WAIT_MS   10000
#define N_PAGES   16
#define WRITTEN   5

static gsize PAGE;
static PsApplication *app;

typedef struct
{
  PsWindow   *window;
  guint64     page;
  guint32     want;      /* premultiplied, as the legend has it */
  const char *what;
} Want;

/* What the window paints for a page's cell now, as 0xAARRGGBB. */
static guint32
painted_cell (PsPageGrid *grid,
              guint64     page)
{
  g_autoptr(GdkTexture) texture = ps_ui_test_render (GTK_WIDGET (grid));
  GdkRectangle area;

  g_assert_true (ps_page_grid_get_page_area (grid, page, &area));
  return ps_ui_test_pixel (texture, area.x + area.width / 2, area.y + area.height / 2);
}

static gboolean
near (guint32 a,
      guint32 b)
{
  for (int shift = 0; shift <= 24; shift += 8)
    if (ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > 3)
      return FALSE;
  return TRUE;
}

/* The frame says so, and the screen shows it (the legend's colours are
 * opaque: no background shows through). */
static gboolean
shows (gpointer data)
{
  Want *w = data;
  PsFrame *frame = ps_page_grid_get_frame (w->window->grid);
  guint32 pixel;

  if (frame == NULL || frame->dirty_source == PS_DIRTY_UNKNOWN)
    return FALSE;
  ps_ui_test_wait_frame (GTK_WIDGET (w->window->grid));
  pixel = painted_cell (w->window->grid, w->page);
  return near (pixel, w->want);
}

static guint32
legend_color (PsGridMode  mode,
              const char *label)
{
  guint n;
  const PsGridLegendEntry *entries = ps_page_grid_mode_legend (mode, &n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (entries[i].label, label))
      return entries[i].color;
  g_error ("no legend entry \"%s\"", label);
}

static void
wait_shows (Want       *w,
            const char *label)
{
  w->want = legend_color (PS_GRID_DIRTY, label);
  w->what = label;
  if (!ps_test_wait_until (shows, w, WAIT_MS))
    {
      PsFrame *frame = ps_page_grid_get_frame (w->window->grid);

      g_error ("page %" G_GUINT64_FORMAT " should show \"%s\" (%08x); painted %08x, frame: source %d, %" G_GUINT64_FORMAT " dirty",
               w->page, label, w->want, painted_cell (w->window->grid, w->page),
               frame ? (int) frame->dirty_source : -1, frame ? frame->n_dirty : 0);
    }
}

static void
test_write_then_msync (void)
{
  g_autofree char *path = ps_test_disk_file ("dirty-ui", N_PAGES * PAGE, 'f');
  g_autofree char *write = g_strdup_printf ("%#" G_GINT64_MODIFIER "x 57 52 49 54 45", (gint64) (WRITTEN * PAGE + 100));
  PsWindow *window;
  Want w = { 0 };
  PsFrame *frame;

  if (path == NULL)
    {
      g_test_skip ("no disk file system to write back to");
      return;
    }
  {
    int fd = open (path, O_RDONLY | O_CLOEXEC);

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (fsync (fd), ==, 0);
    close (fd);
  }
  window = ps_ui_test_window_on_file (app, path, PS_MAP_WRITABLE, 0);
  ps_page_grid_set_cell_size (window->grid, 24);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.color-mode", "s", "dirty"));
  g_assert_true (ps_session_get_dirty_pages (ps_window_get_session (window)));
  w.window = window;
  w.page = WRITTEN;

  /* written back: clean */
  wait_shows (&w, "clean");

  /* a write: its page turns dirty */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.write-bytes", "s", write));
  wait_shows (&w, "dirty: not yet written back");
  frame = ps_page_grid_get_frame (window->grid);
  /* the legend says how the kernel told */
  if (geteuid () == 0)
    {
      g_assert_cmpint (frame->dirty_source, ==, PS_DIRTY_PER_PAGE);
      ps_assert_contains (ps_grid_legend_get_hint (window->legend), "per page");
    }
  else
    {
      g_assert_cmpint (frame->dirty_source, ==, PS_DIRTY_PER_MAPPING);
      ps_assert_contains (ps_grid_legend_get_hint (window->legend), "per mapping");
    }
  g_assert_null (strstr (ps_grid_legend_get_hint (window->legend), "tmpfs"));
  {
    g_autofree char *tip = ps_page_grid_describe_page (window->grid, WRITTEN);

    ps_assert_contains (tip, "dirty: not yet written back");
  }

  /* msync: clean again */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.msync", "s", "sync"));
  wait_shows (&w, "clean");
  frame = ps_page_grid_get_frame (window->grid);
  g_assert_cmpuint (frame->n_dirty, ==, 0);
  {
    g_autofree char *tip = ps_page_grid_describe_page (window->grid, WRITTEN);

    ps_assert_contains (tip, "\nclean (");
  }

  /* another mode: the kernel is not asked any more */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.color-mode", "s", "activity"));
  g_assert_false (ps_session_get_dirty_pages (ps_window_get_session (window)));
  ps_ui_test_close (GTK_WINDOW (window));
}

static void
on_msync_finished (PsSession *session,
                   gpointer   report,
                   guint     *count)
{
  (*count)++;
}

static gboolean
is_nonzero (gpointer data)
{
  return *(guint *) data != 0;
}

typedef struct
{
  PsWindow *window;
  guint64   serial;
} Later;

static gboolean
frame_after (gpointer data)
{
  Later *l = data;
  PsFrame *frame = ps_page_grid_get_frame (l->window->grid);

  return frame != NULL && frame->serial > l->serial + 1;
}

/* Shared memory (tmpfs) has nothing to write back to: the written page
 * stays dirty after msync, and the legend says why. */
static void
test_shared_memory_stays_dirty (void)
{
  PsSourceSpec spec = { .kind = PS_SOURCE_ANON, .size = N_PAGES * PAGE };   /* shared and writable */
  g_autofree char *write = g_strdup_printf ("%#" G_GINT64_MODIFIER "x 57 52 49 54 45", (gint64) (WRITTEN * PAGE));
  PsWindow *window = ps_ui_test_window_open (app, &spec);
  Want w = { window, WRITTEN, 0, NULL };
  Later later = { window, 0 };
  guint synced = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.color-mode", "s", "dirty"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.write-bytes", "s", write));
  wait_shows (&w, "dirty: not yet written back");
  ps_assert_contains (ps_grid_legend_get_hint (window->legend), "tmpfs");

  g_signal_connect (ps_window_get_session (window), "msync-finished", G_CALLBACK (on_msync_finished), &synced);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.msync", "s", "sync"));
  g_assert_true (ps_test_wait_until (is_nonzero, &synced, WAIT_MS));
  /* frames made after the msync (it woke the scanner): still dirty */
  later.serial = ps_page_grid_get_frame (window->grid)->serial;
  g_assert_true (ps_test_wait_until (frame_after, &later, WAIT_MS));
  wait_shows (&w, "dirty: not yet written back");
  g_signal_handlers_disconnect_by_func (ps_window_get_session (window), on_msync_finished, &synced);
  ps_ui_test_close (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  app = ps_ui_test_app_new (&argc, &argv);
  PAGE = ps_test_page_size ();
  g_test_add_func ("/dirty-ui/write-then-msync", test_write_then_msync);
  g_test_add_func ("/dirty-ui/shared-memory-stays-dirty", test_shared_memory_stays_dirty);
  return g_test_run ();
}
