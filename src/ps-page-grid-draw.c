/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the page grid draws.
 *
 * GTK 4.8 cannot scale a texture without filtering, so the cells are drawn on
 * the CPU at their final size into a pixel buffer of the rows on screen
 * (PsGridPicture), uploaded in tiles. The buffer is drawn whole when the
 * mode, size, scroll position, marks, highlights or geometry change. A new
 * frame, or a cooling cell reaching its next fade step, repaints only the
 * cells whose colour changed, and only their tiles are uploaded again; when
 * no colour changed nothing is queued for redraw. The fade has
 * PS_GRID_FADE_STEPS steps over the fade time, and the grid changes at most as many times a
 * second as the budget's fade frame rate allows.
 *
 * Below one pixel a page a cell shows a run of pages (PsGridRuns): its
 * colour comes from the frame's block summaries, and a frame recomputes only
 * the runs holding a block the scanner changed, so a 16 M page object costs
 * a frame no more than a small one. Boundaries, the selection and the cursor
 * are drawn over the picture by the snapshot. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ps-budget.h"
#include "ps-page-grid-private.h"

static gint64
fade_period_us (void)
{
  return G_USEC_PER_SEC / MAX (ps_budget_get_fade_fps (ps_budget_get_default ()), 1);
}

/* When a page that changed at last_ms next changes colour; *next_ms lowered. */
static inline void
lower_next (guint32  last_ms,
            guint32  now_ms,
            guint    fade_ms,
            guint32 *next_ms)
{
  if (last_ms == 0 || now_ms < last_ms)
    return;
  ps_grid_fade_lower_next (last_ms, now_ms - last_ms, fade_ms, next_ms);
}

static gboolean
small_cells (PsPageGrid *self)
{
  guint cell = self->pic_cell;

  return (cell >= PS_GRID_GAP_MIN_CELL ? cell - 1 : cell) < 4;
}

/* One cell a page: its pages, the guard page after them, nothing past it; a
 * mark fills a small cell. */
static void
page_colors (PsPageGrid *self,
             guint32     now_ms,
             guint64     first,
             gsize       n,
             guint32    *out,
             guint32    *next_ms)
{
  const PsGridPalette *pal = ps_grid_palette_get ();
  const PsFrame *frame = self->frame;
  guint64 n_data = first < frame->n_pages ? MIN (n, frame->n_pages - first) : 0;

  ps_grid_fill_colors (frame, self->mode, self->fade_ms, now_ms, first, n_data, out);
  for (gsize i = n_data; i < n; i++)
    out[i] = first + i == frame->n_pages ? pal->table[self->mode][PS_PAGE_PAST_MAPPING << 3] : 0;
  if (self->marks != NULL && small_cells (self))
    for (gsize i = 0; i < n && first + i < self->n_marks; i++)
      if (self->marks[first + i] != 0)
        out[i] = pal->marks[MIN (self->marks[first + i], PS_GRID_N_MARKS - 1)];
  if (self->mode != PS_GRID_ACTIVITY)
    return;
  for (guint64 i = 0; i < n_data; i++)
    lower_next (frame->pages[first + i].last_change_ms, now_ms, self->fade_ms, next_ms);
}

/* A run's colour as the cell shows it: its probe mark, its highlight. */
static inline guint32
finish_run_color (PsPageGrid *self,
                  gsize       i,
                  guint32     color)
{
  if (self->cell_marks != NULL && self->cell_marks[i] != 0)
    color = ps_grid_palette_get ()->marks[self->cell_marks[i]];
  return self->tints != NULL ? ps_grid_blend (color, self->tints[i]) : color;
}

/* The colour of each cell [first, first + n) of the picture, its highlight
 * drawn over it. In activity mode, *next_ms is lowered to when one of them
 * reaches its next fade step. */
static void
cell_colors (PsPageGrid *self,
             guint32     now_ms,
             guint64     first,
             gsize       n,
             guint32    *out,
             guint32    *next_ms)
{
  if (self->run > 1)
    {
      ps_grid_runs_follow (self->runs, self->frame, self->run, first, n);
      ps_grid_runs_colors (self->runs, self->mode, now_ms, out, next_ms);
      for (gsize i = 0; i < n; i++)
        out[i] = finish_run_color (self, i, out[i]);
      return;
    }
  page_colors (self, now_ms, first, n, out, next_ms);
  if (self->tints != NULL)
    for (gsize i = 0; i < n; i++)
      out[i] = ps_grid_blend (out[i], self->tints[i]);
}

/* Paints cell i of the picture (counted from its first row) anew: its fill,
 * and over it the hatching or probe mark of its page. */
static void
paint_cell (PsPageGrid *self,
            gsize       i,
            guint32     color)
{
  const PsGridPalette *pal = ps_grid_palette_get ();
  guint cell = self->pic_cell;
  guint inner = cell >= PS_GRID_GAP_MIN_CELL ? cell - 1 : cell;
  guint x = (guint) (i % self->pic_columns) * cell;
  guint y = (guint) (i / self->pic_columns) * cell;
  guint64 page = self->pic_first_row * self->pic_columns + i;
  gsize stride;
  guint32 *pixels = ps_grid_picture_get_pixels (self->picture, &stride);
  guint32 *origin = pixels + (gsize) y * stride + x;

  for (guint dy = 0; dy < inner; dy++)
    for (guint dx = 0; dx < inner; dx++)
      origin[dy * stride + dx] = color;
  if (self->run == 1 && page <= self->frame->n_pages)
    {
      PsPageState state = ps_grid_cell_state (self->frame, page);
      guint8 mark = self->marks != NULL && page < self->n_marks ? MIN (self->marks[page], PS_GRID_N_MARKS - 1) : 0;

      if (pal->hatch[state] != 0 || mark != 0)
        ps_grid_decorate_cell (origin, stride, inner, pal->hatch[state], state == PS_PAGE_PAST_MAPPING,
                               pal->marks[mark], cell >= 12);
    }
  ps_grid_picture_damage (self->picture, x, y, inner, inner);
}

/* Runs on screen: only those the scanner changed, or that still fade, are
 * looked at. TRUE if a cell changed colour. */
static gboolean
update_runs (PsPageGrid *self,
             guint32     now_ms,
             guint32    *next_ms)
{
  const gsize *indices;
  const guint32 *colors;
  gsize n;
  gboolean all, changed = FALSE;

  ps_grid_runs_follow (self->runs, self->frame, self->run, self->pic_first_row * self->pic_columns, self->n_cells);
  all = ps_grid_runs_refresh (self->runs, self->mode, now_ms, next_ms, &indices, &n);
  colors = ps_grid_runs_get_colors (self->runs);
  for (gsize k = 0; k < (all ? self->n_cells : n); k++)
    {
      gsize i = all ? k : indices[k];
      guint32 color = finish_run_color (self, i, colors[i]);

      if (color != self->cells[i])
        {
          self->cells[i] = color;
          paint_cell (self, i, color);
          changed = TRUE;
        }
    }
  return changed;
}

static gboolean on_update_due (gpointer data);

/* The next update: when a frame came, or when a cell on screen reaches its
 * next fade step, but never sooner than the fade frame rate allows. */
static void
schedule_update (PsPageGrid *self)
{
  gint64 due = self->frame_pending ? self->updated_us : self->fade_due_us;
  gint64 wait;

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (due == 0 || self->stale || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  due = MAX (due, self->updated_us + fade_period_us ());
  wait = MAX (due - g_get_monotonic_time (), 0);
  self->update_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((wait + 999) / 1000), on_update_due, self, NULL);
}

static void
set_fade_due (PsPageGrid *self,
              guint32     next_ms)
{
  self->fade_due_us = next_ms == G_MAXUINT32 ? 0 : self->frame->epoch_us + (gint64) next_ms * 1000;
}

/* Brings the cells on screen up to date with the frame and the time;
 * queues a redraw if any of them changed colour. */
static void
update_cells (PsPageGrid *self)
{
  gint64 now_us = g_get_monotonic_time ();
  guint32 next_ms = G_MAXUINT32;
  g_autofree guint32 *colors = self->run > 1 ? NULL : g_new (guint32, MAX (self->n_cells, 1));
  gboolean changed = FALSE;

  self->frame_pending = FALSE;
  self->updated_us = now_us;
  if (self->run > 1)
    changed = update_runs (self, ps_grid_now_ms (self->frame, now_us), &next_ms);
  else
    {
      cell_colors (self, ps_grid_now_ms (self->frame, now_us), self->pic_first_row * self->pic_columns,
                   self->n_cells, colors, &next_ms);
      for (gsize i = 0; i < self->n_cells; i++)
        if (colors[i] != self->cells[i])
          {
            self->cells[i] = colors[i];
            paint_cell (self, i, colors[i]);
            changed = TRUE;
          }
    }
  set_fade_due (self, next_ms);
  if (changed)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule_update (self);
}

static gboolean
on_update_due (gpointer data)
{
  PsPageGrid *self = data;

  self->update_id = 0;
  if (!self->stale && self->frame != NULL)
    update_cells (self);
  return G_SOURCE_REMOVE;
}

void
ps_page_grid_frame_changed (PsPageGrid *self)
{
  if (self->stale)
    {
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  /* the same pages: repaint the cells whose colour changed, now or when
   * the fade's frame rate allows */
  self->frame_pending = TRUE;
  if (g_get_monotonic_time () - self->updated_us >= fade_period_us ())
    update_cells (self);
  else
    schedule_update (self);
}

void
ps_page_grid_stop_updates (PsPageGrid *self)
{
  g_clear_handle_id (&self->update_id, g_source_remove);
}

void
ps_page_grid_free_picture (PsPageGrid *self)
{
  ps_page_grid_stop_updates (self);
  g_clear_pointer (&self->picture, ps_grid_picture_free);
  g_clear_pointer (&self->runs, ps_grid_runs_free);
  g_clear_pointer (&self->cells, g_free);
  g_clear_pointer (&self->tints, g_free);
  g_clear_pointer (&self->cell_marks, g_free);
}

/* The probe mark each run on screen shows: its worst. */
static void
collect_cell_marks (PsPageGrid *self,
                    guint64     first_cell)
{
  gboolean any = FALSE;

  g_clear_pointer (&self->cell_marks, g_free);
  if (self->marks == NULL || self->run == 1)
    return;
  self->cell_marks = g_new0 (guint8, MAX (self->n_cells, 1));
  for (gsize i = 0; i < self->n_cells; i++)
    {
      guint64 p0 = (first_cell + i) * self->run;
      guint64 p1 = MIN (p0 + self->run, self->n_marks);

      for (guint64 p = p0; p < p1; p++)
        self->cell_marks[i] = MAX (self->cell_marks[i], MIN (self->marks[p], PS_GRID_N_MARKS - 1));
      any |= self->cell_marks[i] != 0;
    }
  if (!any)
    g_clear_pointer (&self->cell_marks, g_free);
}

static void
collect_tints (PsPageGrid *self,
               guint64     first_cell)
{
  g_clear_pointer (&self->tints, g_free);
  if (self->n_highlights == 0)
    return;
  self->tints = g_new (guint32, MAX (self->n_cells, 1));
  ps_grid_tint_cells (self->highlights, self->n_highlights, self->frame->geometry.page_size,
                      self->frame->n_pages, self->run, first_cell, self->n_cells, self->tints);
}

static void
pad_marks (PsPageGrid *self)
{
  guint64 n = ps_page_grid_n_pages (self);

  if (self->marks != NULL && self->n_marks < n + 1)
    {
      self->marks = g_realloc (self->marks, n + 1);
      memset (self->marks + self->n_marks, 0, n + 1 - self->n_marks);
      self->n_marks = n + 1;
    }
}

/* The whole picture, for the rows on screen. */
static void
rebuild (PsPageGrid *self,
         int         width,
         int         height,
         int         scale,
         gint64      now_us)
{
  guint cell = self->cell * scale;
  guint columns = self->columns;
  gsize stride_w;
  double value = ps_page_grid_scroll_value (self) * scale;
  guint64 first_row = (guint64) value / cell;
  guint y_off = (guint64) value % cell;
  guint n_rows = (height * scale + y_off + cell - 1) / cell;
  guint64 first_cell = first_row * columns;
  guint32 next_ms = G_MAXUINT32;
  guint32 *pixels;

  pad_marks (self);
  ps_grid_picture_resize (self->picture, width * scale, n_rows * cell);
  pixels = ps_grid_picture_get_pixels (self->picture, &stride_w);
  memset (pixels, 0, stride_w * n_rows * cell * sizeof (guint32));

  self->pic_columns = columns;
  self->pic_first_row = first_row;
  self->pic_cell = cell;
  self->pic_y_off = y_off;
  self->n_cells = (gsize) columns * n_rows;
  g_free (self->cells);
  self->cells = g_new (guint32, MAX (self->n_cells, 1));
  collect_tints (self, first_cell);
  collect_cell_marks (self, first_cell);
  cell_colors (self, ps_grid_now_ms (self->frame, now_us), first_cell, self->n_cells, self->cells, &next_ms);

  if (self->run == 1)
    {
      ps_grid_render_rows (self->frame, self->mode, self->fade_ms, now_us, self->marks, columns, first_row,
                           n_rows, cell, pixels, stride_w * sizeof (guint32));
      /* highlighted cells again, with their tint */
      for (gsize i = 0; self->tints != NULL && i < self->n_cells; i++)
        if (self->tints[i] != 0)
          paint_cell (self, i, self->cells[i]);
    }
  else
    for (gsize i = 0; i < self->n_cells; i++)
      if (self->cells[i] != 0)
        paint_cell (self, i, self->cells[i]);

  ps_grid_picture_damage_all (self->picture);
  self->stale = FALSE;
  self->frame_pending = FALSE;
  self->updated_us = now_us;
  set_fade_due (self, next_ms);
  schedule_update (self);
}

/* ---- over the picture ---- */

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          x,
             float          y,
             float          width,
             float          height)
{
  if (width > 0 && height > 0)
    gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
rgba_from_argb (GdkRGBA *rgba,
                guint32  argb)
{
  rgba->alpha = (argb >> 24) / 255.f;
  rgba->red = ((argb >> 16) & 0xff) / 255.f;
  rgba->green = ((argb >> 8) & 0xff) / 255.f;
  rgba->blue = (argb & 0xff) / 255.f;
}

/* A line before cell `boundary`: across the row when it starts a row, else
 * stepping down around the rest of its row. Drawn on the far side (the cells
 * past it), plus the gap before it. */
static void
append_boundary (PsPageGrid  *self,
                 GtkSnapshot *snapshot,
                 guint64      boundary,
                 guint32      argb,
                 double       value)
{
  guint cell = self->cell;
  guint columns = self->columns;
  guint64 row = boundary / columns;
  guint col = boundary % columns;
  float t = cell >= 8 ? 2 : 1;
  float o = cell >= PS_GRID_GAP_MIN_CELL && boundary > 0 ? 1 : 0;
  float y = (float) ((double) row * cell - value) - o;
  float x = (float) col * cell - o;
  float right = (float) columns * cell;
  GdkRGBA color;

  rgba_from_argb (&color, argb);
  if (col == 0)
    append_rect (snapshot, &color, 0, y, right, t);
  else
    {
      append_rect (snapshot, &color, x, y, right - x, t);
      append_rect (snapshot, &color, x, y, t, cell + o);
      append_rect (snapshot, &color, 0, y + cell, x + t, t);
    }
}

static void
append_selection (PsPageGrid  *self,
                  GtkSnapshot *snapshot,
                  gboolean     dark,
                  double       value)
{
  guint64 first = ps_page_grid_cell_of_page (self, self->sel_first);
  guint64 last = ps_page_grid_cell_of_page (self, self->sel_first + self->sel_n - 1);
  guint columns = self->columns;
  guint64 r0 = first / columns, r1 = last / columns;
  float c0 = first % columns, c1 = last % columns;
  float cell = self->cell;
  float y0 = (float) ((double) r0 * cell - value);
  float y1 = (float) ((double) r1 * cell - value);
  GdkRGBA fill;

  gdk_rgba_parse (&fill, dark ? "rgba(120,174,237,0.45)" : "rgba(28,113,216,0.40)");
  if (r0 == r1)
    append_rect (snapshot, &fill, c0 * cell, y0, (c1 - c0 + 1) * cell, cell);
  else
    {
      append_rect (snapshot, &fill, c0 * cell, y0, (columns - c0) * cell, cell);
      append_rect (snapshot, &fill, 0, y0 + cell, columns * cell, y1 - y0 - cell);
      append_rect (snapshot, &fill, 0, y1, (c1 + 1) * cell, cell);
    }
}

static void
append_cursor (PsPageGrid  *self,
               GtkSnapshot *snapshot,
               double       value)
{
  guint64 cursor = ps_page_grid_cell_of_page (self, self->cursor);
  float cell = self->cell;
  float size = MAX (cell, 7);
  float x = (float) (cursor % self->columns) * cell + cell / 2 - size / 2;
  float y = (float) ((double) (cursor / self->columns) * cell - value) + cell / 2 - size / 2;
  GskRoundedRect outer, inner;
  GdkRGBA black = { 0, 0, 0, 0.9f }, white = { 1, 1, 1, 0.95f };
  const float w1[4] = { 1, 1, 1, 1 };

  gsk_rounded_rect_init_from_rect (&outer, &GRAPHENE_RECT_INIT (x - 1, y - 1, size + 2, size + 2), 0);
  gsk_rounded_rect_init_from_rect (&inner, &GRAPHENE_RECT_INIT (x, y, size, size), 0);
  gtk_snapshot_append_border (snapshot, &outer, w1, (GdkRGBA[4]) { black, black, black, black });
  gtk_snapshot_append_border (snapshot, &inner, w1, (GdkRGBA[4]) { white, white, white, white });
}

void
ps_page_grid_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA background;
  double value = ps_page_grid_scroll_value (self);
  guint64 n, inside;

  if (width <= 0 || height <= 0)
    return;
  /* Adwaita's view background, light or dark: what the translucent cells
   * (not allocated, past EOF) read through to */
  gdk_rgba_parse (&background, dark ? "#1e1e1e" : "#ffffff");
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  append_rect (snapshot, &background, 0, 0, width, height);
  if (self->frame == NULL || self->columns == 0)
    {
      gtk_snapshot_pop (snapshot);
      return;
    }

  self->n_snapshots++;
  if (self->stale || self->pic_cell != self->cell * (guint) scale || self->pic_columns != self->columns ||
      ps_grid_picture_get_width (self->picture) != (guint) (width * scale) ||
      ps_grid_picture_get_height (self->picture) < (guint) (height * scale) + self->pic_y_off)
    rebuild (self, width, height, scale, g_get_monotonic_time ());
  ps_grid_picture_snapshot (self->picture, snapshot, scale, self->pic_y_off, height * scale);

  if (self->sel_n > 0)
    append_selection (self, snapshot, dark, value);
  n = self->frame->n_pages;
  inside = MIN (self->frame->geometry.n_inside, n);
  /* in a run that EOF cuts, the line comes after the run */
  if (inside < n)
    append_boundary (self, snapshot, (inside + self->run - 1) / self->run, PS_GRID_EOF_LINE, value);
  append_boundary (self, snapshot, ps_page_grid_n_data_cells (self), PS_GRID_END_LINE, value);
  if (gtk_widget_has_focus (widget) && n > 0)
    append_cursor (self, snapshot, value);
  gtk_snapshot_pop (snapshot);
}
