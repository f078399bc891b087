/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsPageGrid and PsGridLegend, for real: the pure renderer, then the widget in
 * a window under Xvfb, read back pixel by pixel, and on a live POSIX segment
 * that another process writes. */
#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pagescope-resources.h"
#include "ps-grid-legend.h"
#include "ps-grid-overview.h"
#include "ps-page-grid-private.h"
#include "ps-probe.h"
#include "ps-scanner.h"
#include "ps-test-util.h"
#include "ps-ui-test-util.h"

static gsize PAGE;

/* ---- helpers ---- */

/* n pages, the first n_inside inside EOF (resident, zero), the rest past it;
 * the epoch 100 s ago. */
static PsFrame *
make_frame (guint64 n,
            guint64 n_inside,
            gint64  now_us)
{
  PsFrame *frame = ps_frame_new (n, 0);

  frame->epoch_us = now_us - 100 * G_USEC_PER_SEC;
  ps_geometry_init (&frame->geometry, n_inside * PAGE, 0, n * PAGE, PAGE);
  for (guint64 p = 0; p < n; p++)
    {
      frame->pages[p].state = p < n_inside ? PS_PAGE_RESIDENT : PS_PAGE_PAST_EOF;
      frame->pages[p].content = p < n_inside ? PS_CONTENT_ZERO : PS_CONTENT_UNKNOWN;
    }
  return frame;
}

/* Sets page p as changed age_ms before now_us, changes times. */
static void
set_changed (PsFrame *frame,
             guint64  p,
             gint64   now_us,
             guint32  age_ms,
             guint16  changes)
{
  frame->pages[p].last_change_ms = (guint32) ((now_us - frame->epoch_us) / 1000) - age_ms;
  frame->pages[p].changes = changes;
}

typedef struct
{
  GtkWidget  *window;
  PsPageGrid *grid;
} Shown;

/* The grid in a scrolled window (as the app has it) in a window of that size. */
/* Focus needs the window active, which the X server grants once the window
 * is viewable: a request made before that (a loaded machine) is lost, so
 * ask again until it holds. */
static gboolean
has_focus (gpointer data)
{
  GtkWidget *widget = data;

  if (gtk_widget_has_focus (widget))
    return TRUE;
  gtk_window_present (GTK_WINDOW (gtk_widget_get_root (widget)));
  gtk_widget_grab_focus (widget);
  return FALSE;
}

static Shown
show_grid (int width,
           int height)
{
  Shown shown;
  GtkWidget *scroller = gtk_scrolled_window_new ();

  shown.grid = PS_PAGE_GRID (ps_page_grid_new ());
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (shown.grid));
  shown.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (shown.window), width, height);
  gtk_window_set_resizable (GTK_WINDOW (shown.window), FALSE);
  gtk_window_set_child (GTK_WINDOW (shown.window), scroller);
  ps_ui_test_queue_destroy (GTK_WINDOW (shown.window));
  gtk_window_present (GTK_WINDOW (shown.window));
  ps_ui_test_wait_drawn (GTK_WIDGET (shown.grid));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (shown.grid)), ==, width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (shown.grid)), ==, height);
  return shown;
}

static void
hide_grid (Shown *shown)
{
  gtk_window_destroy (GTK_WINDOW (shown->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The widget as drawn now: 0xAARRGGBB words, width * height. */
typedef struct
{
  int      width;
  int      height;
  guint32 *px;
} Shot;

static void
on_after_paint (GdkFrameClock *clock,
                guint         *painted)
{
  (*painted)++;
}

static gboolean
is_nonzero (gpointer data)
{
  return *(guint *) data != 0;
}

/* ps_ui_test_render shows what the window last painted, and a queued redraw
 * drops that: let the frame clock paint the grid, then take it. */
static GdkTexture *
render_painted (PsPageGrid *grid)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (grid));
  guint painted = 0;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (GTK_WIDGET (grid));
  g_assert_true (ps_test_wait_until (is_nonzero, &painted, 5000));
  g_signal_handler_disconnect (clock, id);
  return ps_ui_test_render (GTK_WIDGET (grid));
}

static Shot
shoot (PsPageGrid *grid)
{
  g_autoptr(GdkTexture) texture = NULL;
  Shot shot;

  ps_ui_test_wait_frame (GTK_WIDGET (grid));
  texture = render_painted (grid);
  shot.width = gdk_texture_get_width (texture);
  shot.height = gdk_texture_get_height (texture);
  shot.px = g_new (guint32, (gsize) shot.width * shot.height);
  gdk_texture_download (texture, (guchar *) shot.px, shot.width * 4);
  /* spot-check the shared helper agrees on the layout */
  g_assert_cmphex (ps_ui_test_pixel (texture, shot.width - 1, 0), ==, shot.px[shot.width - 1]);
  return shot;
}

static guint32
shot_at (const Shot *shot,
         int         x,
         int         y)
{
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, shot->width);
  g_assert_cmpint (y, <, shot->height);
  return shot->px[(gsize) y * shot->width + x];
}

/* A point of a page's cell that hatching never covers (see decorate_cell). */
static guint32
cell_pixel (PsPageGrid *grid,
            const Shot *shot,
            guint64     page)
{
  GdkRectangle area;
  int dx = ps_page_grid_get_cell_size (grid) / 2;

  g_assert_true (ps_page_grid_get_page_area (grid, page, &area));
  return shot_at (shot, area.x + dx, area.y + (area.height > 4 ? dx + 1 : dx));
}

/* What a premultiplied colour looks like over the light style's white. */
static guint32
over_white (guint32 c)
{
  guint a = c >> 24;
  guint32 out = 0xff000000u;

  for (int shift = 0; shift <= 16; shift += 8)
    out |= MIN (255u, ((c >> shift) & 0xff) + (255 - a)) << shift;
  return out;
}

static void
assert_color_near (guint32 got,
                   guint32 want)
{
  for (int shift = 0; shift <= 24; shift += 8)
    if (ABS ((int) ((got >> shift) & 0xff) - (int) ((want >> shift) & 0xff)) > 2)
      g_error ("colour %08x, expected %08x", got, want);
}

static double
luminance (guint32 c)
{
  return 0.2126 * ((c >> 16) & 0xff) + 0.7152 * ((c >> 8) & 0xff) + 0.0722 * (c & 0xff);
}

static guint32
legend_line (PsGridMode  mode,
             const char *label)
{
  guint n;
  const PsGridLegendEntry *entries = ps_page_grid_mode_legend (mode, &n);

  for (guint i = 0; i < n; i++)
    if (entries[i].swatch == PS_GRID_SWATCH_LINE && g_str_equal (entries[i].label, label))
      return entries[i].color;
  g_assert_not_reached ();
}

/* A frame with a page of every kind, for the mode tests (24 pages, EOF after
 * page 19). */
static PsFrame *
kinds_frame (gint64 now_us)
{
  PsFrame *frame = make_frame (24, 20, now_us);

  frame->pages[1].content = PS_CONTENT_TEXT;
  frame->pages[2].content = PS_CONTENT_BINARY;
  frame->pages[3].content = PS_CONTENT_ENTROPY;
  frame->pages[4].state = PS_PAGE_ABSENT;
  frame->pages[5].state = PS_PAGE_UNKNOWN;
  frame->pages[5].content = PS_CONTENT_UNKNOWN;
  frame->pages[6].state = PS_PAGE_RESIDENT | PS_PAGE_PRIVATE_COPY;
  frame->pages[6].content = PS_CONTENT_TEXT;
  set_changed (frame, 7, now_us, 0, 1);
  return frame;
}

/* ---- modes by name ---- */

static void
test_mode_strings (void)
{
  for (PsGridMode mode = PS_GRID_ACTIVITY; mode <= PS_GRID_COW; mode++)
    {
      PsGridMode back = 99;

      g_assert_true (ps_grid_mode_from_string (ps_grid_mode_to_string (mode), &back));
      g_assert_cmpint (back, ==, mode);
    }
  g_assert_cmpstr (ps_grid_mode_to_string (PS_GRID_COW), ==, "cow");
  g_assert_false (ps_grid_mode_from_string ("heat", NULL));
  g_assert_false (ps_grid_mode_from_string (NULL, NULL));
}

/* ---- the pure renderer ---- */

static void
assert_distinct (const guint32 *colors,
                 guint          n)
{
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      if (colors[i] == colors[j])
        g_error ("colours %u and %u are both %08x", i, j, colors[i]);
}

static void
test_render_colors (void)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = kinds_frame (now);
  guint32 c[8];

  /* content: zero, text, binary, entropy, past EOF, past the mapping */
  c[0] = ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 0);
  c[1] = ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 1);
  c[2] = ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 2);
  c[3] = ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 3);
  c[4] = ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 20);
  c[5] = ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 24);
  c[6] = ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 5);   /* not read */
  assert_distinct (c, 7);

  /* residency: resident, absent, unknown, past EOF, past the mapping */
  c[0] = ps_page_grid_page_color (frame, PS_GRID_RESIDENCY, now, 0);
  c[1] = ps_page_grid_page_color (frame, PS_GRID_RESIDENCY, now, 4);
  c[2] = ps_page_grid_page_color (frame, PS_GRID_RESIDENCY, now, 5);
  c[3] = ps_page_grid_page_color (frame, PS_GRID_RESIDENCY, now, 20);
  c[4] = ps_page_grid_page_color (frame, PS_GRID_RESIDENCY, now, 24);
  assert_distinct (c, 5);
  /* the content class does not matter here */
  g_assert_cmphex (ps_page_grid_page_color (frame, PS_GRID_RESIDENCY, now, 1), ==, c[0]);

  /* copy-on-write: private copy, shared, absent, past EOF */
  c[0] = ps_page_grid_page_color (frame, PS_GRID_COW, now, 6);
  c[1] = ps_page_grid_page_color (frame, PS_GRID_COW, now, 0);
  c[2] = ps_page_grid_page_color (frame, PS_GRID_COW, now, 4);
  c[3] = ps_page_grid_page_color (frame, PS_GRID_COW, now, 20);
  assert_distinct (c, 4);

  /* activity: hot, cold, not allocated, past EOF */
  c[0] = ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 7);
  c[1] = ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 0);
  c[2] = ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 4);
  c[3] = ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 20);
  assert_distinct (c, 4);

  /* past the mapping: the guard, then nothing */
  g_assert_cmphex (ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 25), ==, 0);
}

static void
test_render_cells (void)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = kinds_frame (now);
  const guint columns = 5, rows = 6;
  guint8 marks[25] = { 0 };

  for (PsGridMode mode = PS_GRID_ACTIVITY; mode <= PS_GRID_COW; mode++)
    {
      guint32 px[5 * 6];
      g_autofree guint32 *big = g_new (guint32, columns * 8 * rows * 8);
      gsize big_stride = columns * 8;

      /* 1-pixel cells: one pixel per page */
      memset (px, 0xab, sizeof px);
      ps_page_grid_render (frame, mode, now, NULL, columns, 0, rows, 1, px, columns * 4);
      for (guint p = 0; p < columns * rows; p++)
        g_assert_cmphex (px[p], ==, ps_page_grid_page_color (frame, mode, now, p));

      /* a later row only */
      ps_page_grid_render (frame, mode, now, NULL, columns, 2, 1, 1, px, columns * 4);
      for (guint c = 0; c < columns; c++)
        g_assert_cmphex (px[c], ==, ps_page_grid_page_color (frame, mode, now, 2 * columns + c));

      /* 8-pixel cells: 7 pixels of colour and a transparent gap */
      ps_page_grid_render (frame, mode, now, NULL, columns, 0, rows, 8, big, big_stride * 4);
      for (guint p = 0; p < 20; p++)
        {
          gsize x = (p % columns) * 8, y = (p / columns) * 8;

          for (gsize dy = 0; dy < 7; dy++)
            for (gsize dx = 0; dx < 7; dx++)
              g_assert_cmphex (big[(y + dy) * big_stride + x + dx], ==, ps_page_grid_page_color (frame, mode, now, p));
          g_assert_cmphex (big[y * big_stride + x + 7], ==, 0);
          g_assert_cmphex (big[(y + 7) * big_stride + x], ==, 0);
        }
      /* past EOF and past the mapping are hatched: two colours in the cell */
      for (guint p = 20; p <= 24; p++)
        {
          gsize x = (p % columns) * 8, y = (p / columns) * 8;
          guint32 fill = ps_page_grid_page_color (frame, mode, now, p);
          guint n_fill = 0, n_other = 0;

          for (gsize dy = 0; dy < 7; dy++)
            for (gsize dx = 0; dx < 7; dx++)
              {
                if (big[(y + dy) * big_stride + x + dx] == fill)
                  n_fill++;
                else
                  n_other++;
              }
          g_assert_cmpuint (n_fill, >, 0);
          g_assert_cmpuint (n_other, >, 0);
        }
    }

  /* a probe mark: the whole 1-pixel cell, an inset square of a big one */
  marks[3] = PS_PROBE_SIGBUS + 1;
  marks[24] = PS_PROBE_SIGSEGV + 1;
  {
    guint32 px[5 * 6], plain[5 * 6];
    g_autofree guint32 *big = g_new (guint32, 5 * 16 * 6 * 16);

    ps_page_grid_render (frame, PS_GRID_CONTENT, now, NULL, columns, 0, rows, 1, plain, columns * 4);
    ps_page_grid_render (frame, PS_GRID_CONTENT, now, marks, columns, 0, rows, 1, px, columns * 4);
    for (guint p = 0; p < columns * rows; p++)
      if (p == 3 || p == 24)
        g_assert_cmphex (px[p], !=, plain[p]);
      else
        g_assert_cmphex (px[p], ==, plain[p]);
    g_assert_cmphex (px[3], !=, px[24]);

    ps_page_grid_render (frame, PS_GRID_CONTENT, now, marks, columns, 0, rows, 16, big, 5 * 16 * 4);
    /* the corner keeps the page's colour, the middle shows the mark */
    g_assert_cmphex (big[3 * 16 + 1], ==, plain[3]);
    g_assert_cmphex (big[8 * 5 * 16 + 3 * 16 + 8], ==, px[3]);
  }
}

/* ---- activity fades ---- */

static void
test_activity_fades (void)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = make_frame (16, 16, now);
  const guint32 ages[] = { 0, 400, 1000, 2000, 2900 };
  guint32 cold, often;
  double last = G_MAXDOUBLE;

  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    set_changed (frame, i, now, ages[i], 1);
  set_changed (frame, 8, now, 5000, 1);        /* long ago, once */
  set_changed (frame, 9, now, 5000, 500);      /* long ago, often */
  cold = ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 10);   /* never */

  /* hot right after the change, then cooler and cooler */
  for (guint i = 0; i < G_N_ELEMENTS (ages); i++)
    {
      guint32 c = ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, i);

      g_assert_cmpfloat (luminance (c), <, last);
      g_assert_cmphex (c, !=, cold);
      last = luminance (c);
    }
  g_assert_cmpfloat (luminance (ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 0)), >, 180);
  /* after ~3 s a page that changed once is cold again */
  g_assert_cmphex (ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 8), ==, cold);
  /* one that changes often stays warmer */
  often = ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 9);
  g_assert_cmphex (often, !=, cold);
  g_assert_cmpfloat (luminance (often), >, luminance (cold));
  g_assert_cmpfloat (luminance (often), <, luminance (ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 2)));

  /* the same page, later: time alone cools it */
  g_assert_cmpfloat (luminance (ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now + 1500 * 1000, 0)), <,
                     luminance (ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 0)));
  g_assert_cmphex (ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now + 3100 * 1000, 0), ==, cold);

  /* in a few steps, not a colour a frame: a cooling page is drawn again
   * only when it reaches the next one */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
    guint32 previous = 0;
    guint steps = 0;

    for (guint32 ms = 0; ms <= 3100; ms += 10)
      {
        guint32 c = ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now + (gint64) ms * 1000, 0);

        steps += c != previous;
        previous = c;
        g_hash_table_add (seen, GUINT_TO_POINTER (c));
      }
    g_assert_cmpuint (steps, ==, g_hash_table_size (seen));     /* never back to a colour */
    g_assert_cmpuint (steps, >=, 4);
    g_assert_cmpuint (steps, <=, 12);
  }
}


typedef struct
{
  PsPageGrid *grid;
  guint32     hot;
} Cooling;

/* Page 3 as painted now is darker than it was when hot. */
static gboolean
has_cooled (gpointer data)
{
  Cooling *cooling = data;
  g_autoptr(GdkTexture) texture = ps_ui_test_render (GTK_WIDGET (cooling->grid));
  GdkRectangle area;

  g_assert_true (ps_page_grid_get_page_area (cooling->grid, 3, &area));
  return luminance (ps_ui_test_pixel (texture, area.x + 8, area.y + 9)) < luminance (cooling->hot);
}

static void
test_activity_widget_cools (void)
{
  Shown shown = show_grid (128, 64);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = make_frame (32, 32, now);
  guint32 hot, cooler, cold;

  set_changed (frame, 3, now, 0, 1);
  ps_page_grid_set_cell_size (shown.grid, 16);
  ps_page_grid_set_frame (shown.grid, frame);
  {
    Shot shot = shoot (shown.grid);

    hot = cell_pixel (shown.grid, &shot, 3);
    cold = cell_pixel (shown.grid, &shot, 4);
    g_free (shot.px);
  }
  g_assert_cmphex (hot, !=, cold);
  /* no new frame, no redraw asked for: the grid's own clock cools the page
   * (what was painted last, so not render_painted) */
  {
    Cooling cooling = { shown.grid, hot };

    g_assert_true (ps_test_wait_until (has_cooled, &cooling, 3000));
  }
  {
    g_autoptr(GdkTexture) texture = ps_ui_test_render (GTK_WIDGET (shown.grid));
    GdkRectangle area;

    g_assert_true (ps_page_grid_get_page_area (shown.grid, 3, &area));
    cooler = ps_ui_test_pixel (texture, area.x + 8, area.y + 9);
    g_assert_true (ps_page_grid_get_page_area (shown.grid, 4, &area));
    g_assert_cmphex (ps_ui_test_pixel (texture, area.x + 8, area.y + 9), ==, cold);
  }
  g_assert_cmpfloat (luminance (cooler), <, luminance (hot));
  g_assert_cmphex (cooler, !=, cold);
  hide_grid (&shown);
}

typedef struct
{
  PsPageGrid *grid;
  guint64     page;
  guint32     cold;
} ColdWait;

/* The page as painted now has the colour of a page that never changed. */
static gboolean
is_cold (gpointer data)
{
  ColdWait *w = data;
  g_autoptr(GdkTexture) texture = ps_ui_test_render (GTK_WIDGET (w->grid));
  GdkRectangle area;

  g_assert_true (ps_page_grid_get_page_area (w->grid, w->page, &area));
  return ps_ui_test_pixel (texture, area.x + 8, area.y + 9) == w->cold;
}

/* The fade time is the grid's: a page changed longer ago than the default
 * fade is still lit with a longer one, and cold with a shorter one before
 * the default would have cooled it; the grid's own clock follows it. Ages
 * are set in the frame, so no assertion depends on how fast the test runs
 * (a page only gets older). */
static void
test_activity_fade_time (void)
{
  Shown shown = show_grid (128, 64);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = make_frame (32, 32, now);
  g_autoptr(PsFrame) later = NULL;
  guint32 cold;

  g_assert_cmpuint (ps_page_grid_get_fade_time (shown.grid), ==, PS_GRID_FADE_MS_DEFAULT);
  set_changed (frame, 3, now, PS_GRID_FADE_MS_DEFAULT + 200, 1);   /* past the default fade */
  set_changed (frame, 5, now, PS_GRID_FADE_MS_DEFAULT / 2, 1);     /* half of it */
  ps_page_grid_set_cell_size (shown.grid, 16);
  g_object_set (shown.grid, "fade-time", 20000, NULL);
  ps_page_grid_set_frame (shown.grid, frame);
  {
    Shot shot = shoot (shown.grid);

    cold = cell_pixel (shown.grid, &shot, 4);
    /* 20 s: still lit after the old 3 s */
    g_assert_cmphex (cell_pixel (shown.grid, &shot, 3), !=, cold);
    g_assert_cmphex (cell_pixel (shown.grid, &shot, 5), !=, cold);
    g_free (shot.px);
  }

  /* 1 s: both cold at once, though the default would keep page 5 lit */
  ps_page_grid_set_fade_time (shown.grid, 1000);
  g_assert_cmpuint (ps_page_grid_get_fade_time (shown.grid), ==, 1000);
  {
    Shot shot = shoot (shown.grid);

    g_assert_cmphex (cell_pixel (shown.grid, &shot, 3), ==, cold);
    g_assert_cmphex (cell_pixel (shown.grid, &shot, 5), ==, cold);
    g_free (shot.px);
  }

  /* a change now: hot, then cold by the grid's own clock, no frame after it */
  now = g_get_monotonic_time ();
  later = make_frame (30, 30, now);   /* another size: the grid draws it whole */
  set_changed (later, 7, now, 0, 1);
  ps_page_grid_set_frame (shown.grid, later);
  {
    Shot shot = shoot (shown.grid);
    ColdWait w = { shown.grid, 7, cold };

    if (luminance (cell_pixel (shown.grid, &shot, 7)) <= luminance (cold))
      g_test_message ("page 7 already cold at the first shot (a loaded machine)");
    g_free (shot.px);
    g_assert_true (ps_test_wait_until (is_cold, &w, 10000));
  }
  hide_grid (&shown);
}

/* ---- every mode, drawn by the widget ---- */

static void
test_widget_modes (void)
{
  Shown shown = show_grid (256, 128);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = kinds_frame (now);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  ps_page_grid_set_cell_size (shown.grid, 16);       /* 16 columns: EOF in row 1 */
  ps_page_grid_set_frame (shown.grid, frame);

  for (PsGridMode mode = PS_GRID_ACTIVITY; mode <= PS_GRID_COW; mode++)
    {
      Shot shot;

      ps_page_grid_set_mode (shown.grid, mode);
      g_assert_cmpint (ps_page_grid_get_mode (shown.grid), ==, mode);
      shot = shoot (shown.grid);
      /* every cell has its page's colour (over the light style's background) */
      for (guint64 p = 0; p <= 24; p++)
        {
          guint32 want = ps_page_grid_page_color (frame, mode, g_get_monotonic_time (), p);

          if (p == 7 && mode == PS_GRID_ACTIVITY)
            continue;     /* cooling as we look */
          assert_color_near (cell_pixel (shown.grid, &shot, p), over_white (want));
        }
      /* past EOF looks like no page inside */
      for (guint64 p = 0; p < 20; p++)
        g_assert_cmphex (cell_pixel (shown.grid, &shot, 20), !=, cell_pixel (shown.grid, &shot, p));
      /* the EOF line steps down between page 19 and page 20 (row 1, column 4);
       * the end of the mapping after page 23 (row 1, column 8) */
      g_assert_cmphex (shot_at (&shot, 4 * 16, 16 + 8), ==, legend_line (mode, "EOF"));
      g_assert_cmphex (shot_at (&shot, 100, 16), ==, legend_line (mode, "EOF"));
      /* under row 1 both lines run together: the outer one, the mapping's, shows */
      g_assert_cmphex (shot_at (&shot, 2 * 16, 32), ==, legend_line (mode, "end of mapping"));
      g_assert_cmphex (shot_at (&shot, 8 * 16, 16 + 8), ==, legend_line (mode, "end of mapping"));
      /* nothing past the guard */
      g_assert_cmphex (shot_at (&shot, 200, 100), ==, 0xffffffff);
      g_free (shot.px);
    }

  /* marks show in every mode */
  {
    guint8 marks[25] = { 0 };

    marks[2] = PS_PROBE_OK + 1;
    marks[24] = PS_PROBE_SIGSEGV + 1;
    for (PsGridMode mode = PS_GRID_ACTIVITY; mode <= PS_GRID_COW; mode++)
      {
        Shot before, after;

        ps_page_grid_set_mode (shown.grid, mode);
        ps_page_grid_set_marks (shown.grid, NULL, 0);
        before = shoot (shown.grid);
        ps_page_grid_set_marks (shown.grid, marks, G_N_ELEMENTS (marks));
        after = shoot (shown.grid);
        g_assert_cmphex (cell_pixel (shown.grid, &before, 2), !=, cell_pixel (shown.grid, &after, 2));
        g_assert_cmphex (cell_pixel (shown.grid, &before, 24), !=, cell_pixel (shown.grid, &after, 24));
        g_assert_cmphex (cell_pixel (shown.grid, &before, 1), ==, cell_pixel (shown.grid, &after, 1));
        g_free (before.px);
        g_free (after.px);
      }
    ps_page_grid_set_marks (shown.grid, NULL, 0);
  }

  /* the dark style changes the background, and what shows through */
  {
    Shot light, dark;

    light = shoot (shown.grid);
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
    dark = shoot (shown.grid);
    g_assert_cmphex (shot_at (&light, 200, 100), !=, shot_at (&dark, 200, 100));
    g_assert_cmphex (cell_pixel (shown.grid, &light, 4), !=, cell_pixel (shown.grid, &dark, 4));
    g_assert_cmphex (cell_pixel (shown.grid, &light, 1), ==, cell_pixel (shown.grid, &dark, 1));
    g_free (light.px);
    g_free (dark.px);
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  }
  hide_grid (&shown);
}

/* ---- fit: the largest cell with which the whole mapping shows ---- */

static void
test_fit (void)
{
  Shown shown = show_grid (350, 500);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) small = make_frame (1000, 998, now);
  g_autoptr(PsFrame) large = make_frame (262144, 262144, now);
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (shown.grid));
  guint cell, columns;

  ps_page_grid_set_fit (shown.grid, TRUE);
  ps_page_grid_set_frame (shown.grid, small);
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));

  /* 1000 pages and the guard page fit, no scrolling; a pixel more would not */
  cell = ps_page_grid_get_cell_size (shown.grid);
  columns = 350 / cell;
  g_assert_cmpuint ((1001 + columns - 1) / columns * cell, <=, 500);
  g_assert_cmpuint ((1001 + 350 / (cell + 1) - 1) / (350 / (cell + 1)) * (cell + 1), >, 500);
  g_assert_cmpuint (cell, ==, 12);
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadj), ==, 500);

  /* a larger mapping shrinks the cells: 1 GiB at one pixel a page */
  ps_page_grid_set_frame (shown.grid, large);
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));
  g_assert_cmpuint (ps_page_grid_get_cell_size (shown.grid), ==, 1);

  /* a new size refits */
  ps_page_grid_set_frame (shown.grid, small);
  gtk_widget_set_size_request (gtk_widget_get_parent (GTK_WIDGET (shown.grid)), 700, 500);
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (shown.grid)), ==, 700);
  g_assert_cmpuint (ps_page_grid_get_cell_size (shown.grid), >, cell);

  /* choosing a cell size ends fitting */
  ps_page_grid_set_cell_size (shown.grid, 4);
  g_assert_false (ps_page_grid_get_fit (shown.grid));
  ps_page_grid_set_frame (shown.grid, large);
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));
  g_assert_cmpuint (ps_page_grid_get_cell_size (shown.grid), ==, 4);
  hide_grid (&shown);
}

/* ---- zoom: 1 GiB at one pixel a page, then 32-pixel cells ---- */

static void
test_zoom (void)
{
  const guint64 n = 262144;
  Shown shown = show_grid (512, 512);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = make_frame (n, n, now);
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (shown.grid));
  GdkRectangle area;
  guint64 page;
  Shot shot;

  for (guint64 p = 0; p < n; p++)
    frame->pages[p].content = 1 + (p * 7 + p / 512) % 4;
  ps_page_grid_set_mode (shown.grid, PS_GRID_CONTENT);
  ps_page_grid_set_cell_size (shown.grid, 0);
  g_assert_cmpuint (ps_page_grid_get_cell_size (shown.grid), ==, PS_GRID_MIN_CELL);
  ps_page_grid_set_frame (shown.grid, frame);
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));

  /* every page on screen: no scrolling */
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadj), ==, 512);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (vadj), ==, 512);
  shot = shoot (shown.grid);
  for (guint64 p = 0; p < n; p += 97)
    g_assert_cmphex (shot_at (&shot, p % 512, p / 512), ==, ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, p));
  g_assert_cmphex (shot_at (&shot, 511, 511), ==, ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, n - 1));
  g_assert_true (ps_page_grid_page_at (shown.grid, 511, 511, &page));
  g_assert_cmpuint (page, ==, n - 1);
  g_free (shot.px);

  /* the cursor near the end, then zoom in: it stays in view */
  ps_page_grid_set_cursor (shown.grid, 200000);
  ps_page_grid_set_cell_size (shown.grid, 1000);
  g_assert_cmpuint (ps_page_grid_get_cell_size (shown.grid), ==, PS_GRID_MAX_CELL);
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadj), ==, (double) n / 16 * 32);
  g_assert_true (ps_page_grid_get_page_area (shown.grid, 200000, &area));
  g_assert_cmpint (area.y, >=, 0);
  g_assert_cmpint (area.y + area.height, <=, 512);

  /* scrolling shows later rows */
  gtk_adjustment_set_value (vadj, 100 * 32);
  shot = shoot (shown.grid);
  g_assert_true (ps_page_grid_page_at (shown.grid, 16, 16, &page));
  g_assert_cmpuint (page, ==, 1600);
  g_assert_cmphex (shot_at (&shot, 16, 16), ==, ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 1600));
  g_assert_cmphex (shot_at (&shot, 15 * 32 + 16, 15 * 32 + 16), ==,
                   ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 1600 + 15 * 16 + 15));
  g_free (shot.px);

  /* part-way into a row */
  gtk_adjustment_set_value (vadj, 100 * 32 + 20);
  shot = shoot (shown.grid);
  g_assert_cmphex (shot_at (&shot, 16, 2), ==, ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 1600));
  g_assert_cmphex (shot_at (&shot, 16, 20), ==, ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 1616));
  g_free (shot.px);

  /* to the end: the last page, then the end of the mapping */
  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
  shot = shoot (shown.grid);
  g_assert_true (ps_page_grid_page_at (shown.grid, 15 * 32 + 16, 511 - 8, &page));
  g_assert_cmpuint (page, ==, n - 1);
  g_free (shot.px);
  hide_grid (&shown);
}

/* ---- hover, click, drag, keys ---- */

static void
on_activated (PsPageGrid *grid,
              guint64     page,
              GArray     *pages)
{
  g_array_append_val (pages, page);
}

static void
on_selection_changed (PsPageGrid *grid,
                      guint      *count)
{
  (*count)++;
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static GtkGestureDrag *
find_drag (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller))
        return GTK_GESTURE_DRAG (controller);
    }
  g_assert_not_reached ();
}

static void
test_tooltip (void)
{
  Shown shown = show_grid (256, 128);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = kinds_frame (now);
  guint8 marks[25] = { 0 };
  char *text;

  set_changed (frame, 6, now, 3200, 5);
  ps_page_grid_set_cell_size (shown.grid, 16);
  ps_page_grid_set_frame (shown.grid, frame);
  marks[21] = PS_PROBE_SIGBUS + 1;
  ps_page_grid_set_marks (shown.grid, marks, G_N_ELEMENTS (marks));
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));

  text = ps_page_grid_describe_page (shown.grid, 6);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Page 6 (of 24)"));
  g_assert_nonnull (strstr (text, "0x6000 – 0x6fff"));
  g_assert_nonnull (strstr (text, "resident · text"));
  g_assert_nonnull (strstr (text, "private copy"));
  /* 3.2 s before `now`, and the clock has moved on a little since */
  {
    double elapsed = (g_get_monotonic_time () - now) / 1e6;
    const char *ago = strstr (text, " s ago");
    const char *number = ago;

    g_assert_nonnull (ago);
    while (number > text && (g_ascii_isdigit (number[-1]) || number[-1] == '.'))
      number--;
    g_assert_cmpfloat (g_ascii_strtod (number, NULL), >=, 3.2 - 0.05);
    g_assert_cmpfloat (g_ascii_strtod (number, NULL), <=, 3.2 + elapsed + 0.05);
  }
  g_assert_nonnull (strstr (text, "5 changes"));
  g_free (text);

  text = ps_page_grid_describe_page (shown.grid, 0);
  g_assert_nonnull (strstr (text, "Last change: never"));
  g_assert_nonnull (strstr (text, "0 changes"));
  g_assert_nonnull (strstr (text, "zero"));
  g_free (text);

  text = ps_page_grid_describe_page (shown.grid, 4);
  g_assert_nonnull (strstr (text, "not allocated"));
  g_free (text);
  text = ps_page_grid_describe_page (shown.grid, 5);
  g_assert_nonnull (strstr (text, "residency unknown"));
  g_free (text);

  text = ps_page_grid_describe_page (shown.grid, 21);
  g_assert_nonnull (strstr (text, "Past EOF"));
  g_assert_nonnull (strstr (text, "SIGBUS"));
  g_assert_nonnull (strstr (text, "Probe: SIGBUS"));
  g_free (text);

  text = ps_page_grid_describe_page (shown.grid, 24);
  g_assert_nonnull (strstr (text, "Past the mapping"));
  g_assert_nonnull (strstr (text, "SIGSEGV"));
  g_free (text);
  g_assert_null (ps_page_grid_describe_page (shown.grid, 25));

  /* the tooltip asks the same, for the page under the pointer */
  {
    GtkTooltip *tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
    gboolean shown_tip = FALSE;

    g_signal_emit_by_name (shown.grid, "query-tooltip", 6 * 16 + 3, 5, FALSE, tooltip, &shown_tip);
    g_assert_true (shown_tip);
    shown_tip = TRUE;
    g_signal_emit_by_name (shown.grid, "query-tooltip", 200, 100, FALSE, tooltip, &shown_tip);
    g_assert_false (shown_tip);
    g_object_unref (tooltip);
  }
  hide_grid (&shown);
}

static void
test_click_and_drag (void)
{
  Shown shown = show_grid (256, 128);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = kinds_frame (now);
  g_autoptr(GArray) activated = g_array_new (FALSE, FALSE, sizeof (guint64));
  GtkGestureDrag *drag = find_drag (GTK_WIDGET (shown.grid));
  guint selection_changes = 0;
  guint64 page, first, n;

  ps_page_grid_set_cell_size (shown.grid, 16);
  ps_page_grid_set_frame (shown.grid, frame);
  g_signal_connect (shown.grid, "page-activated", G_CALLBACK (on_activated), activated);
  g_signal_connect (shown.grid, "selection-changed", G_CALLBACK (on_selection_changed), &selection_changes);
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));

  /* where pages are */
  g_assert_true (ps_page_grid_page_at (shown.grid, 0, 0, &page));
  g_assert_cmpuint (page, ==, 0);
  g_assert_true (ps_page_grid_page_at (shown.grid, 5 * 16 + 15.5, 16 + 1, &page));
  g_assert_cmpuint (page, ==, 21);
  g_assert_true (ps_page_grid_page_at (shown.grid, 8 * 16 + 1, 16 + 1, &page));
  g_assert_cmpuint (page, ==, 24);      /* the guard */
  g_assert_false (ps_page_grid_page_at (shown.grid, 9 * 16 + 1, 16 + 1, &page));
  g_assert_false (ps_page_grid_page_at (shown.grid, -1, 3, &page));

  /* a click on page 18 activates it */
  g_signal_emit_by_name (drag, "drag-begin", 2 * 16 + 4.0, 16 + 4.0);
  g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpuint (g_array_index (activated, guint64, 0), ==, 18);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 18);
  g_assert_false (ps_page_grid_get_selection (shown.grid, NULL, NULL));

  /* a click on the guard page activates nothing */
  g_signal_emit_by_name (drag, "drag-begin", 8 * 16 + 4.0, 16 + 4.0);
  g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
  g_assert_cmpuint (activated->len, ==, 1);

  /* a drag from page 2 to page 13 selects pages 2..13 */
  g_signal_emit_by_name (drag, "drag-begin", 2 * 16 + 4.0, 4.0);
  g_signal_emit_by_name (drag, "drag-update", 5.0, 0.0);
  g_signal_emit_by_name (drag, "drag-update", 11 * 16.0, 0.0);
  g_signal_emit_by_name (drag, "drag-end", 11 * 16.0, 0.0);
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_true (ps_page_grid_get_selection (shown.grid, &first, &n));
  g_assert_cmpuint (first, ==, 2);
  g_assert_cmpuint (n, ==, 12);
  g_assert_cmpuint (selection_changes, >, 0);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 13);

  /* the selection is drawn over the pages */
  {
    Shot shot = shoot (shown.grid);
    guint32 selected = cell_pixel (shown.grid, &shot, 5);
    guint32 plain = ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 5);

    g_assert_cmphex (selected, !=, plain);
    g_free (shot.px);
  }

  /* backwards, down into the next row and beyond the pages: clamped */
  g_signal_emit_by_name (drag, "drag-begin", 3 * 16 + 4.0, 16 + 4.0);
  g_signal_emit_by_name (drag, "drag-update", -2 * 16.0, -16.0);
  g_signal_emit_by_name (drag, "drag-end", -2 * 16.0, -16.0);
  g_assert_true (ps_page_grid_get_selection (shown.grid, &first, &n));
  g_assert_cmpuint (first, ==, 1);
  g_assert_cmpuint (n, ==, 19 - 1 + 1);
  g_signal_emit_by_name (drag, "drag-begin", 4.0, 4.0);
  g_signal_emit_by_name (drag, "drag-update", 250.0, 120.0);
  g_signal_emit_by_name (drag, "drag-end", 250.0, 120.0);
  g_assert_true (ps_page_grid_get_selection (shown.grid, &first, &n));
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (n, ==, 24);

  /* Escape clears it */
  selection_changes = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shown.grid), "grid.clear-selection", NULL));
  g_assert_false (ps_page_grid_get_selection (shown.grid, NULL, NULL));
  g_assert_cmpuint (selection_changes, ==, 1);
  hide_grid (&shown);
}

static void
move (PsPageGrid *grid,
      const char *unit,
      gint64      count,
      gboolean    extend)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (grid), "grid.move-cursor", "(sxb)", unit, count, extend));
}

static void
test_keyboard (void)
{
  Shown shown = show_grid (160, 80);     /* 10 columns of 16 px, 5 rows on screen */
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = make_frame (200, 200, now);
  g_autoptr(GArray) activated = g_array_new (FALSE, FALSE, sizeof (guint64));
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (shown.grid));
  guint64 first, n;
  guint notified = 0;
  GdkRectangle area;

  ps_page_grid_set_cell_size (shown.grid, 16);
  ps_page_grid_set_frame (shown.grid, frame);
  g_signal_connect (shown.grid, "page-activated", G_CALLBACK (on_activated), activated);
  g_signal_connect (shown.grid, "notify::cursor", G_CALLBACK (on_notify), &notified);
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (shown.grid)));
  gtk_widget_grab_focus (GTK_WIDGET (shown.grid));
  g_assert_true (ps_test_wait_until (has_focus, shown.grid, 10000));

  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 0);
  move (shown.grid, "page", 1, FALSE);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 1);
  g_assert_cmpuint (notified, ==, 1);
  move (shown.grid, "row", 1, FALSE);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 11);
  move (shown.grid, "page", -1, FALSE);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 10);
  move (shown.grid, "row", -5, FALSE);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 0);
  move (shown.grid, "edge", 1, FALSE);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 199);
  /* the cursor stays on screen */
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), >, 0);
  g_assert_true (ps_page_grid_get_page_area (shown.grid, 199, &area));
  g_assert_cmpint (area.y, >=, 0);
  g_assert_cmpint (area.y + area.height, <=, 80);
  move (shown.grid, "page", 5, FALSE);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 199);
  move (shown.grid, "edge", -1, FALSE);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), ==, 0);
  move (shown.grid, "screen", 1, FALSE);
  g_assert_cmpuint (ps_page_grid_get_cursor (shown.grid), ==, 40);   /* 5 rows on screen: 4 rows a page */

  /* shift extends a selection from where the cursor was */
  move (shown.grid, "page", 2, TRUE);
  move (shown.grid, "row", 1, TRUE);
  g_assert_true (ps_page_grid_get_selection (shown.grid, &first, &n));
  g_assert_cmpuint (first, ==, 40);
  g_assert_cmpuint (n, ==, 13);
  move (shown.grid, "row", -2, TRUE);
  g_assert_true (ps_page_grid_get_selection (shown.grid, &first, &n));
  g_assert_cmpuint (first, ==, 32);
  g_assert_cmpuint (n, ==, 9);
  /* a plain move drops it */
  move (shown.grid, "page", 1, FALSE);
  g_assert_false (ps_page_grid_get_selection (shown.grid, NULL, NULL));
  /* Escape with nothing selected does nothing (and is disabled, so the key goes on) */
  gtk_widget_activate_action (GTK_WIDGET (shown.grid), "grid.clear-selection", NULL);
  g_assert_false (ps_page_grid_get_selection (shown.grid, NULL, NULL));

  /* Enter activates the cursor's page */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shown.grid), "grid.activate-cursor", NULL));
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpuint (g_array_index (activated, guint64, 0), ==, 33);

  /* select all, and the API's own selection */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shown.grid), "grid.select-all", NULL));
  g_assert_true (ps_page_grid_get_selection (shown.grid, &first, &n));
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (n, ==, 200);
  ps_page_grid_set_selection (shown.grid, 190, 50);
  g_assert_true (ps_page_grid_get_selection (shown.grid, &first, &n));
  g_assert_cmpuint (first, ==, 190);
  g_assert_cmpuint (n, ==, 10);
  ps_page_grid_clear_selection (shown.grid);
  g_assert_false (ps_page_grid_get_selection (shown.grid, NULL, NULL));

  /* the focused grid draws its cursor */
  g_assert_true (ps_test_wait_until (has_focus, shown.grid, 10000));
  {
    Shot shot = shoot (shown.grid);

    g_assert_true (ps_page_grid_get_page_area (shown.grid, 33, &area));
    g_assert_cmphex (shot_at (&shot, area.x, area.y + 8), !=,
                     ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 33));
    g_free (shot.px);
  }
  hide_grid (&shown);
}

/* ---- accessibility ---- */

static void
test_accessible (void)
{
  Shown shown = show_grid (256, 128);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = kinds_frame (now);
  char *description;

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (shown.grid), GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (shown.grid), GTK_ACCESSIBLE_PROPERTY_LABEL, "Page grid");
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (shown.grid), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));

  ps_page_grid_set_frame (shown.grid, frame);
  ps_page_grid_set_mode (shown.grid, PS_GRID_RESIDENCY);
  /* check_property gives back the value when it differs */
  description = gtk_test_accessible_check_property (GTK_ACCESSIBLE (shown.grid), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");
  g_assert_nonnull (description);
  g_test_message ("%s", description);
  g_assert_nonnull (strstr (description, "24 pages of 4.0"));
  g_assert_nonnull (strstr (description, "EOF is after page 19"));
  g_assert_nonnull (strstr (description, "resident"));
  g_free (description);

  ps_page_grid_set_mode (shown.grid, PS_GRID_ACTIVITY);
  description = gtk_test_accessible_check_property (GTK_ACCESSIBLE (shown.grid), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");
  g_assert_nonnull (strstr (description, "flashes"));
  /* it starts with the page under the cursor, so a reader says that first */
  g_assert_true (g_str_has_prefix (description, "Cursor: Page 0 (of 24);0x0 – 0xfff;resident · zero;"));
  g_free (description);

  /* the cursor moves: the description follows, with the page's last change */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (shown.grid), "grid.move-cursor", "(sxb)", "page", (gint64) 7, FALSE));
  description = gtk_test_accessible_check_property (GTK_ACCESSIBLE (shown.grid), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");
  g_test_message ("%s", description);
  g_assert_true (g_str_has_prefix (description, "Cursor: Page 7 (of 24);0x7000 – 0x7fff;resident · zero;Last change: "));
  g_assert_nonnull (strstr (description, "s ago;1 change."));
  g_free (description);
  ps_page_grid_set_cursor (shown.grid, 21);
  description = gtk_test_accessible_check_property (GTK_ACCESSIBLE (shown.grid), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");
  g_assert_true (g_str_has_prefix (description, "Cursor: Page 21 (of 24);0x15000 – 0x15fff;Past EOF"));
  g_free (description);
  hide_grid (&shown);
}


/* ---- runs of pages, below one pixel a page (no display needed) ---- */

/* A frame as the scanner publishes it: serial n, blocks summarised. */
static PsFrame *
runs_frame (guint64 n,
            guint64 serial,
            gint64  now_us)
{
  PsFrame *frame = make_frame (n, n, now_us);

  for (guint64 p = 0; p < n; p++)
    frame->pages[p].state = p % 3 == 0 ? PS_PAGE_RESIDENT : PS_PAGE_ABSENT;
  frame->serial = serial;
  ps_frame_summarize (frame, 0, n);
  return frame;
}

static void
test_runs_summary (void)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = runs_frame (1000, 1, now);
  PsRunSummary run, by_pages = { 0 };

  /* blocks and single pages add up to what the pages say */
  set_changed (frame, 130, now, 500, 3);
  ps_frame_summarize (frame, 130, 1);
  ps_grid_run_summarize (frame, 60, 200, &run);
  for (guint64 p = 60; p < 260; p++)
    {
      by_pages.n_pages++;
      by_pages.n_state[frame->pages[p].state & PS_PAGE_STATE_MASK]++;
      by_pages.last_change_ms = MAX (by_pages.last_change_ms, frame->pages[p].last_change_ms);
    }
  g_assert_cmpuint (run.n_pages, ==, 200);
  g_assert_cmpuint (run.n_state[PS_PAGE_RESIDENT], ==, by_pages.n_state[PS_PAGE_RESIDENT]);
  g_assert_cmpuint (run.n_state[PS_PAGE_ABSENT], ==, by_pages.n_state[PS_PAGE_ABSENT]);
  g_assert_cmpuint (run.last_change_ms, ==, by_pages.last_change_ms);
  g_assert_cmpuint (run.max_changes, ==, 3);
  /* clipped to the frame; past it, nothing */
  ps_grid_run_summarize (frame, 990, 64, &run);
  g_assert_cmpuint (run.n_pages, ==, 10);
  ps_grid_run_summarize (frame, 1000, 64, &run);
  g_assert_cmpuint (run.n_pages, ==, 0);

  /* a run with one changed page flashes; one of holes only is "not allocated";
   * one resident page among holes still shows in residency mode */
  ps_grid_run_summarize (frame, 128, 8, &run);
  g_assert_cmphex (ps_grid_run_color (&run, PS_GRID_ACTIVITY, PS_GRID_FADE_MS_DEFAULT, ps_grid_now_ms (frame, now), NULL), ==,
                   ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 130));
  for (guint64 p = 0; p < 64; p++)
    frame->pages[256 + p].state = PS_PAGE_ABSENT;
  frame->pages[300].state = PS_PAGE_RESIDENT;
  ps_frame_summarize (frame, 256, 64);
  ps_grid_run_summarize (frame, 256, 32, &run);
  g_assert_cmphex (ps_grid_run_color (&run, PS_GRID_ACTIVITY, PS_GRID_FADE_MS_DEFAULT, 0, NULL), ==,
                   ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 256));
  ps_grid_run_summarize (frame, 288, 32, &run);
  g_assert_cmphex (ps_grid_run_color (&run, PS_GRID_RESIDENCY, PS_GRID_FADE_MS_DEFAULT, 0, NULL), !=,
                   ps_page_grid_page_color (frame, PS_GRID_RESIDENCY, now, 256));
  g_assert_cmpuint (ps_grid_run_for (1000, 2000), ==, 1);
  g_assert_cmpuint (ps_grid_run_for (1000, 300), ==, 4);
  g_assert_cmpuint (ps_grid_run_for (G_GUINT64_CONSTANT (1) << 24, 350 * 380), ==, 128);
}

/* The cache recomputes only the runs holding a block a later pass changed. */
static void
test_runs_incremental (void)
{
  gint64 now = g_get_monotonic_time ();
  const guint64 n = 1 << 16;
  g_autoptr(PsGridRuns) runs = ps_grid_runs_new ();
  g_autoptr(PsFrame) first = runs_frame (n, 5, now);
  g_autoptr(PsFrame) next = runs_frame (n, 6, now);
  g_autoptr(PsFrame) again = NULL;
  g_autofree guint32 *colors = g_new (guint32, n / 128 + 1);
  const PsRunSummary *cell;

  g_assert_cmpuint (ps_grid_runs_follow (runs, first, 128, 0, n / 128 + 1), ==, n / 128 + 1);
  /* the next pass: the blocks stay stamped 5 but one, changed by pass 6 */
  for (guint64 b = 0; b < next->n_blocks; b++)
    next->blocks[b].serial = 5;
  for (guint64 c = 0; c < next->n_chunks; c++)
    next->chunk_serials[c] = 5;
  set_changed (next, 40000, now, 0, 1);
  ps_frame_summarize (next, 40000, 1);
  g_assert_cmpuint (ps_grid_runs_follow (runs, next, 128, 0, n / 128 + 1), ==, 1);
  cell = ps_grid_runs_get (runs, 40000 / 128);
  g_assert_nonnull (cell);
  g_assert_cmpuint (cell->last_change_ms, ==, next->pages[40000].last_change_ms);
  ps_grid_runs_colors (runs, PS_GRID_ACTIVITY, ps_grid_now_ms (next, now), colors, NULL);
  g_assert_cmphex (colors[40000 / 128], !=, colors[40000 / 128 + 1]);
  /* the guard, then nothing */
  g_assert_cmphex (colors[n / 128], ==, ps_page_grid_page_color (next, PS_GRID_ACTIVITY, now, n));
  /* the same frame again: nothing to do; a frame from a new scanner: all */
  g_assert_cmpuint (ps_grid_runs_follow (runs, next, 128, 0, n / 128 + 1), ==, 0);
  again = runs_frame (n, 1, now);
  g_assert_cmpuint (ps_grid_runs_follow (runs, again, 128, 0, n / 128 + 1), ==, n / 128 + 1);
}

/* Fit below one pixel a page: runs of pages, zoom through them. */
static void
test_fit_runs (void)
{
  Shown shown = show_grid (256, 128);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = make_frame (100000, 100000, now);
  g_autoptr(GArray) activated = g_array_new (FALSE, FALSE, sizeof (guint64));
  GtkGestureDrag *drag = find_drag (GTK_WIDGET (shown.grid));
  g_autofree char *text = NULL;
  guint64 page, first, n;

  set_changed (frame, 77777, now, 0, 1);
  ps_page_grid_set_fit (shown.grid, TRUE);
  ps_page_grid_set_frame (shown.grid, frame);
  g_signal_connect (shown.grid, "page-activated", G_CALLBACK (on_activated), activated);
  ps_ui_test_wait_frame (GTK_WIDGET (shown.grid));
  /* 32768 pixels for 100000 pages and the guard: 4 pages a pixel */
  g_assert_cmpuint (ps_page_grid_get_cell_size (shown.grid), ==, 1);
  g_assert_cmpuint (ps_page_grid_get_run (shown.grid), ==, 4);
  g_assert_true (ps_page_grid_page_at (shown.grid, 1, 0, &page));
  g_assert_cmpuint (page, ==, 4);
  g_assert_true (ps_page_grid_page_at (shown.grid, 25000 % 256, 25000 / 256, &page));
  g_assert_cmpuint (page, ==, 100000);      /* the guard's cell: 25000 */
  g_assert_false (ps_page_grid_page_at (shown.grid, 25001 % 256, 25001 / 256, &page));
  g_assert_false (ps_page_grid_can_zoom (shown.grid, -1));
  g_assert_true (ps_page_grid_can_zoom (shown.grid, +1));

  /* the tooltip names the run; the cell of the changed page flashes */
  text = ps_page_grid_describe_page (shown.grid, 77778);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Pages 77776 – 77779 (of 100000)"));
  g_assert_nonnull (strstr (text, "4 resident"));
  g_assert_nonnull (strstr (text, "(page 77777)"));
  {
    Shot shot = shoot (shown.grid);

    g_assert_cmphex (cell_pixel (shown.grid, &shot, 77777), ==,
                     ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, g_get_monotonic_time (), 77777));
    g_assert_cmphex (cell_pixel (shown.grid, &shot, 77781), ==, ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 0));
    g_free (shot.px);
  }

  /* a click on a run selects its pages and shows the first */
  g_signal_emit_by_name (drag, "drag-begin", 10.5, 2.5);
  g_signal_emit_by_name (drag, "drag-end", 0.0, 0.0);
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpuint (g_array_index (activated, guint64, 0), ==, (2 * 256 + 10) * 4);
  g_assert_true (ps_page_grid_get_selection (shown.grid, &first, &n));
  g_assert_cmpuint (first, ==, (2 * 256 + 10) * 4);
  g_assert_cmpuint (n, ==, 4);

  /* zooming in returns to one cell a page, then larger */
  g_assert_true (ps_page_grid_zoom (shown.grid, +1));
  g_assert_false (ps_page_grid_get_fit (shown.grid));
  g_assert_cmpuint (ps_page_grid_get_run (shown.grid), ==, 2);
  g_assert_true (ps_page_grid_zoom (shown.grid, +1));
  g_assert_cmpuint (ps_page_grid_get_run (shown.grid), ==, 1);
  g_assert_true (ps_page_grid_zoom (shown.grid, +1));
  g_assert_cmpuint (ps_page_grid_get_cell_size (shown.grid), ==, 2);
  g_assert_true (ps_page_grid_zoom (shown.grid, -1));
  g_assert_true (ps_page_grid_zoom (shown.grid, -1));
  g_assert_cmpuint (ps_page_grid_get_run (shown.grid), ==, 2);
  hide_grid (&shown);
}

/* Highlighted byte ranges tint the cells of their pages, and nothing else,
 * in cells of one page and of runs. */
static void
test_highlights (void)
{
  Shown shown = show_grid (256, 128);
  gint64 now = g_get_monotonic_time () - 10 * G_USEC_PER_SEC;   /* nothing fades while it runs */
  g_autoptr(PsFrame) frame = make_frame (64, 64, now);
  const PsHighlight ranges[] = {
    { 2 * PAGE + 100, PAGE, 0x33d17aff },       /* pages 2 and 3 */
    { 10 * PAGE, 1, 0xe01b2480 },               /* page 10, half strong */
  };
  Shot before, after;

  ps_page_grid_set_cell_size (shown.grid, 16);
  ps_page_grid_set_frame (shown.grid, frame);
  before = shoot (shown.grid);
  ps_page_grid_set_highlights (shown.grid, ranges, G_N_ELEMENTS (ranges));
  after = shoot (shown.grid);
  for (guint64 p = 0; p < 64; p++)
    {
      gboolean lit = p == 2 || p == 3 || p == 10;

      if (lit)
        g_assert_cmphex (cell_pixel (shown.grid, &after, p), !=, cell_pixel (shown.grid, &before, p));
      else
        g_assert_cmphex (cell_pixel (shown.grid, &after, p), ==, cell_pixel (shown.grid, &before, p));
    }
  assert_color_near (cell_pixel (shown.grid, &after, 2), 0xff33d17a);
  g_free (before.px);
  g_free (after.px);

  /* runs of 4 pages: the runs of pages 2, 3 and 10 */
  ps_page_grid_set_highlights (shown.grid, NULL, 0);
  ps_page_grid_set_run (shown.grid, 4);
  before = shoot (shown.grid);
  ps_page_grid_set_highlights (shown.grid, ranges, G_N_ELEMENTS (ranges));
  after = shoot (shown.grid);
  for (guint64 p = 0; p < 64; p += 4)
    {
      gboolean lit = p == 0 || p == 8;

      if (lit)
        g_assert_cmphex (cell_pixel (shown.grid, &after, p), !=, cell_pixel (shown.grid, &before, p));
      else
        g_assert_cmphex (cell_pixel (shown.grid, &after, p), ==, cell_pixel (shown.grid, &before, p));
    }
  g_free (before.px);
  g_free (after.px);
  hide_grid (&shown);
}

static GtkWidget *
popover_of (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return child;
  g_assert_not_reached ();
}

static void
press (GtkWidget       *widget,
       guint            keyval,
       GdkModifierType  mods)
{
  g_assert_true (ps_ui_test_press_binding (widget, keyval, mods));
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

/* Shift+F10 and the Menu key open the context menu at the cursor. */
static void
test_context_menu_keys (void)
{
  Shown shown = show_grid (256, 128);
  g_autoptr(PsFrame) frame = make_frame (64, 64, g_get_monotonic_time ());
  GtkWidget *menu = popover_of (GTK_WIDGET (shown.grid));

  ps_page_grid_set_frame (shown.grid, frame);
  ps_page_grid_set_cursor (shown.grid, 9);
  g_assert_false (gtk_widget_get_visible (menu));
  press (GTK_WIDGET (shown.grid), GDK_KEY_F10, GDK_SHIFT_MASK);
  g_assert_true (ps_test_wait_until (is_visible, menu, 5000));
  gtk_popover_popdown (GTK_POPOVER (menu));
  press (GTK_WIDGET (shown.grid), GDK_KEY_Menu, 0);
  g_assert_true (ps_test_wait_until (is_visible, menu, 5000));
  gtk_popover_popdown (GTK_POPOVER (menu));
  hide_grid (&shown);
}


/* ---- the overview strip ---- */

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_widget_get_mapped (data);
}

static guint32
strip_pixel (PsGridOverview *overview,
             guint64         page_number)
{
  g_autoptr(GdkTexture) texture = NULL;
  double y, height;

  ps_ui_test_wait_frame (GTK_WIDGET (overview));
  texture = ps_ui_test_render (GTK_WIDGET (overview));
  g_assert_true (ps_grid_overview_get_page_y (overview, page_number, &y, &height));
  return ps_ui_test_pixel (texture, gtk_widget_get_width (GTK_WIDGET (overview)) / 2, (int) (y + height / 2));
}

/* Beside a grid that shows part of the mapping: the whole of it, a change
 * lit, highlights tinted; a click scrolls the grid there. */
static void
test_overview_strip (void)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(PsFrame) frame = make_frame (100000, 100000, now);
  const PsHighlight mark = { 20000 * (guint64) PAGE, PAGE, 0x33d17aff };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  PsPageGrid *grid = PS_PAGE_GRID (ps_page_grid_new ());
  PsGridOverview *overview = PS_GRID_OVERVIEW (ps_grid_overview_new ());
  GtkGestureDrag *drag = find_drag (GTK_WIDGET (overview));
  GtkAdjustment *adj;
  guint32 cold, lit, tinted;
  double y, height;

  set_changed (frame, 90000, now, 0, 1);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (grid));
  gtk_widget_set_hexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (overview));
  ps_grid_overview_set_grid (overview, grid);
  gtk_window_set_default_size (GTK_WINDOW (window), 300, 240);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  ps_page_grid_set_cell_size (grid, 4);
  ps_page_grid_set_frame (grid, frame);
  g_assert_true (ps_test_wait_until (widget_visible, overview, 5000));
  ps_ui_test_wait_frame (GTK_WIDGET (overview));
  adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (grid));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), >, gtk_adjustment_get_page_size (adj));
  g_assert_cmpuint (ps_grid_overview_get_run (overview), >, 1);

  /* the changed page's row flashes: the grid does not show it */
  cold = strip_pixel (overview, 50000);
  lit = strip_pixel (overview, 90000);
  assert_color_near (cold, over_white (ps_page_grid_page_color (frame, PS_GRID_ACTIVITY, now, 50000)));
  g_assert_cmphex (lit, !=, cold);
  g_assert_cmpfloat (luminance (lit), >, luminance (cold) + 60);

  /* a highlight tints its row, and no other */
  ps_page_grid_set_highlights (grid, &mark, 1);
  tinted = strip_pixel (overview, 20000);
  g_assert_cmphex (tinted, !=, cold);
  g_assert_cmphex (strip_pixel (overview, 50000), ==, cold);

  /* a click near the end scrolls the grid there */
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);
  g_assert_true (ps_grid_overview_get_page_y (overview, 90000, &y, &height));
  g_signal_emit_by_name (drag, "drag-begin", 5.0, y + height / 2);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, 0);
  {
    guint64 first, n;

    g_assert_true (ps_page_grid_get_visible_pages (grid, &first, &n));
    g_assert_cmpuint (first, <=, 90000);
    g_assert_cmpuint (first + n, >, 90000);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- the legend ---- */

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_legend (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *legend = ps_grid_legend_new ();
  GtkWidget *flow, *hint;
  char *hint_text;

  gtk_window_set_default_size (GTK_WINDOW (window), 240, 200);
  gtk_window_set_child (GTK_WINDOW (window), legend);
  gtk_window_present (GTK_WINDOW (window));
  ps_ui_test_wait_drawn (legend);
  flow = find_descendant (legend, GTK_TYPE_FLOW_BOX);
  hint = gtk_widget_get_last_child (gtk_widget_get_first_child (legend));
  g_assert_nonnull (flow);
  g_assert_true (GTK_IS_LABEL (hint));

  for (PsGridMode mode = PS_GRID_ACTIVITY; mode <= PS_GRID_COW; mode++)
    {
      guint n, count = 0;
      const PsGridLegendEntry *entries = ps_page_grid_mode_legend (mode, &n);
      gboolean found_first = FALSE;

      ps_grid_legend_set_mode (PS_GRID_LEGEND (legend), mode);
      ps_ui_test_wait_frame (legend);
      for (GtkWidget *child = gtk_widget_get_first_child (flow); child != NULL; child = gtk_widget_get_next_sibling (child))
        {
          GtkWidget *label = find_descendant (child, GTK_TYPE_LABEL);

          count++;
          found_first |= g_str_equal (gtk_label_get_text (GTK_LABEL (label)), entries[0].label);
        }
      g_assert_cmpuint (count, ==, n);
      g_assert_true (found_first);
      hint_text = ps_page_grid_mode_hint (mode, PS_GRID_FADE_MS_DEFAULT);
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (hint)), ==, hint_text);
      g_free (hint_text);
      /* it fits its narrow column */
      g_assert_cmpint (gtk_widget_get_width (legend), <=, 240);
    }
  /* the swatches are the grid's own colours */
  {
    guint n;
    const PsGridLegendEntry *entries = ps_page_grid_mode_legend (PS_GRID_CONTENT, &n);
    gint64 now = g_get_monotonic_time ();
    g_autoptr(PsFrame) frame = kinds_frame (now);

    g_assert_cmphex (entries[1].color, ==, ps_page_grid_page_color (frame, PS_GRID_CONTENT, now, 1));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- the test: another process writes one page of a live segment ---- */

#define LIVE_PAGES 64
#define LIVE_TARGET 37

typedef struct
{
  const char *name;
  int         go;       /* read end: one byte means "write now" */
  int         go_w;     /* the parent's end, closed */
} ChildArgs;

static int
child_writer (gpointer data)
{
  ChildArgs *args = data;
  int fd = shm_open (args->name, O_RDWR, 0);
  char c;
  guint8 *map;

  close (args->go_w);
  if (fd < 0)
    return 2;
  map = mmap (NULL, LIVE_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED)
    return 3;
  if (read (args->go, &c, 1) != 1)
    return 4;
  memcpy (map + LIVE_TARGET * PAGE + 100, "written by another process", 26);
  munmap (map, LIVE_PAGES * PAGE);
  close (fd);
  return 0;
}

static void
on_scanner_frame (PsScanner  *scanner,
                  GParamSpec *pspec,
                  PsPageGrid *grid)
{
  PsFrame *frame = ps_scanner_get_frame (scanner);

  if (frame != NULL)
    ps_page_grid_set_frame (grid, frame);
}

typedef struct
{
  PsPageGrid *grid;
  guint64     min_serial;
  guint32     before;
  guint32     now;
} Watch;

static gboolean
has_frames (gpointer data)
{
  Watch *watch = data;
  PsFrame *frame = ps_page_grid_get_frame (watch->grid);

  return frame != NULL && frame->serial >= watch->min_serial;
}

static gboolean
target_changed (gpointer data)
{
  Watch *watch = data;
  g_autoptr(GdkTexture) texture = render_painted (watch->grid);
  GdkRectangle area;

  g_assert_true (ps_page_grid_get_page_area (watch->grid, LIVE_TARGET, &area));
  watch->now = ps_ui_test_pixel (texture, area.x + area.width / 2, area.y + area.height / 2);
  return watch->now != watch->before;
}

static void
test_live_other_process (void)
{
  g_autofree char *name = ps_test_posix_name ("grid-live");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  Shown shown = show_grid (256, 128);     /* 16 columns of 16 px: 4 rows of pages */
  guint32 before[LIVE_PAGES];
  Watch watch = { shown.grid, 0, 0, 0 };
  ChildArgs args;
  int go[2];
  pid_t pid;
  int status;
  gint64 t0;

  source = ps_test_create_posix (name, LIVE_PAGES * PAGE, 0600, NULL);
  ps_page_grid_set_cell_size (shown.grid, 16);

  /* really another process: it opens the segment by name and maps it itself */
  g_assert_cmpint (pipe (go), ==, 0);
  args.name = name;
  args.go = go[0];
  args.go_w = go[1];
  pid = ps_test_fork (child_writer, &args);
  close (go[0]);

  scanner = ps_scanner_new (source);
  ps_scanner_set_interval (scanner, 20);
  g_signal_connect_object (scanner, "notify::frame", G_CALLBACK (on_scanner_frame), shown.grid, 0);
  ps_scanner_start (scanner);

  /* a few passes in: the baseline is taken and the grid shows it */
  watch.min_serial = 3;
  g_assert_true (ps_test_wait_until (has_frames, &watch, 5000));
  {
    Shot shot = shoot (shown.grid);

    for (guint p = 0; p < LIVE_PAGES; p++)
      before[p] = cell_pixel (shown.grid, &shot, p);
    g_free (shot.px);
  }
  watch.before = before[LIVE_TARGET];

  /* write one page; within 1 s its cell changes, and no other */
  t0 = g_get_monotonic_time ();
  g_assert_cmpint (write (go[1], "w", 1), ==, 1);
  g_assert_true (ps_test_wait_until (target_changed, &watch, 1000));
  g_test_message ("page %d changed on screen after %.0f ms: %08x -> %08x", LIVE_TARGET,
                  (g_get_monotonic_time () - t0) / 1000.0, watch.before, watch.now);
  {
    Shot shot = shoot (shown.grid);

    for (guint p = 0; p < LIVE_PAGES; p++)
      if (p == LIVE_TARGET)
        g_assert_cmphex (cell_pixel (shown.grid, &shot, p), !=, before[p]);
      else
        g_assert_cmphex (cell_pixel (shown.grid, &shot, p), ==, before[p]);
    g_free (shot.px);
  }
  {
    PsFrame *frame = ps_page_grid_get_frame (shown.grid);

    g_assert_cmpuint (frame->pages[LIVE_TARGET].changes, ==, 1);
  }

  close (go[1]);
  status = ps_test_reap (pid, 5000);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  ps_scanner_stop (scanner);
  ps_source_close (source);
  hide_grid (&shown);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  PAGE = ps_test_page_size ();
  ps_ui_test_init (&argc, &argv);
  /* the app's style, as AdwApplication loads it: links the resources in too */
  g_assert_nonnull (pagescope_get_resource ());
  gtk_css_provider_load_from_resource (css, RESOURCE_PATH "style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/page-grid/mode-strings", test_mode_strings);
  g_test_add_func ("/page-grid/render/colors", test_render_colors);
  g_test_add_func ("/page-grid/render/cells", test_render_cells);
  g_test_add_func ("/page-grid/activity/fades", test_activity_fades);
  g_test_add_func ("/page-grid/activity/widget-cools", test_activity_widget_cools);
  g_test_add_func ("/page-grid/activity/fade-time", test_activity_fade_time);
  g_test_add_func ("/page-grid/widget/modes", test_widget_modes);
  g_test_add_func ("/page-grid/widget/zoom", test_zoom);
  g_test_add_func ("/page-grid/widget/fit", test_fit);
  g_test_add_func ("/page-grid/widget/tooltip", test_tooltip);
  g_test_add_func ("/page-grid/widget/click-and-drag", test_click_and_drag);
  g_test_add_func ("/page-grid/widget/keyboard", test_keyboard);
  g_test_add_func ("/page-grid/widget/accessible", test_accessible);
  g_test_add_func ("/page-grid/widget/highlights", test_highlights);
  g_test_add_func ("/page-grid/widget/fit-runs", test_fit_runs);
  g_test_add_func ("/page-grid/widget/context-menu-keys", test_context_menu_keys);
  g_test_add_func ("/page-grid/overview/strip", test_overview_strip);
  g_test_add_func ("/page-grid/runs/summary", test_runs_summary);
  g_test_add_func ("/page-grid/runs/incremental", test_runs_incremental);
  g_test_add_func ("/page-grid/legend", test_legend);
  g_test_add_func ("/page-grid/live/other-process-writes-one-page", test_live_other_process);
  return g_test_run ();
}
