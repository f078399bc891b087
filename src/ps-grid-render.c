/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The page grid's pixels, one cell per page: the renderer the widget, the
 * benchmark and the tests share. Pure: a frame in, pixels out. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <string.h>

#include "ps-grid-render.h"

guint32
ps_grid_now_ms (const PsFrame *frame,
                gint64         now_us)
{
  gint64 ms = (now_us - frame->epoch_us) / 1000;

  return (guint32) CLAMP (ms, 0, (gint64) G_MAXUINT32);
}

static inline guint32
activity_color (const PsGridPalette *pal,
                const PsPageInfo    *info,
                guint                fade_ms,
                guint32              now_ms,
                gboolean            *warm)
{
  guint state = info->state & 0x0f;
  guint32 last = info->last_change_ms;
  guint32 age;
  guint bucket;

  if (last == 0 || (state & PS_PAGE_STATE_MASK) >= PS_PAGE_PAST_EOF)
    return pal->table[PS_GRID_ACTIVITY][state << 3];
  age = now_ms > last ? now_ms - last : 0;
  bucket = ps_grid_fade_bucket (age, fade_ms);
  *warm |= age < fade_ms;
  return pal->heat[bucket][g_bit_storage (info->changes)];
}

gboolean
ps_grid_fill_colors (const PsFrame *frame,
                     PsGridMode     mode,
                     guint          fade_ms,
                     guint32        now_ms,
                     guint64        first,
                     guint          n,
                     guint32       *out)
{
  const PsGridPalette *pal = ps_grid_palette_get ();
  const PsPageInfo *pages = frame->pages + first;
  gboolean warm = FALSE;

  if (mode == PS_GRID_ACTIVITY)
    {
      for (guint i = 0; i < n; i++)
        out[i] = activity_color (pal, &pages[i], fade_ms, now_ms, &warm);
    }
  else
    {
      const guint32 *table = pal->table[mode];

      for (guint i = 0; i < n; i++)
        out[i] = table[(pages[i].state & 0x0f) << 3 | (pages[i].content & 7)];
    }
  return warm;
}

PsPageState
ps_grid_cell_state (const PsFrame *frame,
                    guint64        page)
{
  if (page < frame->n_pages)
    return ps_frame_page_state (frame, page);
  return PS_PAGE_PAST_MAPPING;
}

/* Hatching (past EOF: one diagonal; past the mapping: crossed) and a probe
 * mark over one cell whose fill is already drawn. */
void
ps_grid_decorate_cell (guint32 *cell_origin,
                       gsize    stride_w,
                       guint    inner,
                       guint32  hatch,
                       gboolean cross,
                       guint32  mark,
                       gboolean ring)
{
  if (hatch != 0 && inner >= PS_GRID_HATCH_MIN)
    for (guint y = 0; y < inner; y++)
      {
        guint32 *px = cell_origin + y * stride_w;

        for (guint x = 0; x < inner; x++)
          if (((x + y) & 3) == 3 || (cross && ((x + 4 * inner - y) & 3) == 0))
            px[x] = hatch;
      }
  if (mark != 0 && inner >= 4)
    {
      guint inset = MAX (1, inner / 4);

      for (guint y = inset; y < inner - inset; y++)
        {
          guint32 *px = cell_origin + y * stride_w;
          gboolean edge_row = y == inset || y == inner - inset - 1;

          for (guint x = inset; x < inner - inset; x++)
            px[x] = ring && (edge_row || x == inset || x == inner - inset - 1) ? PS_GRID_MARK_RING : mark;
        }
    }
}

gboolean
ps_grid_render_rows (const PsFrame *frame,
                     PsGridMode     mode,
                     guint          fade_ms,
                     gint64         now_us,
                     const guint8  *marks,
                     guint          columns,
                     guint64        first_row,
                     guint          n_rows,
                     guint          cell,
                     guint32       *pixels,
                     gsize          stride)
{
  const PsGridPalette *pal = ps_grid_palette_get ();
  gsize stride_w = stride / sizeof (guint32);
  guint inner = cell >= PS_GRID_GAP_MIN_CELL ? cell - 1 : cell;
  guint32 now_ms = ps_grid_now_ms (frame, now_us);
  guint32 guard = pal->table[mode][PS_PAGE_PAST_MAPPING << 3];
  g_autofree guint32 *scratch = cell > 1 ? g_new (guint32, columns) : NULL;
  gboolean warm = FALSE;

  for (guint r = 0; r < n_rows; r++)
    {
      guint64 first = (first_row + r) * columns;
      guint32 *row0 = pixels + (gsize) r * cell * stride_w;
      guint32 *colors = cell == 1 ? row0 : scratch;
      guint n_data = first < frame->n_pages ? (guint) MIN (columns, frame->n_pages - first) : 0;
      gboolean decorated = FALSE;

      warm |= ps_grid_fill_colors (frame, mode, fade_ms, now_ms, first, n_data, colors);
      for (guint c = n_data; c < columns; c++)
        colors[c] = first + c == frame->n_pages ? guard : 0;

      /* small cells: a mark is the whole cell */
      if (marks != NULL)
        for (guint c = 0; c < columns && first + c <= frame->n_pages; c++)
          if (marks[first + c] != 0)
            {
              if (inner < 4)
                colors[c] = pal->marks[MIN (marks[first + c], PS_GRID_N_MARKS - 1)];
              else
                decorated = TRUE;
            }
      if (cell == 1)
        continue;

      {
        guint32 *px = row0;

        for (guint c = 0; c < columns; c++)
          {
            guint32 v = colors[c];

            for (guint k = 0; k < inner; k++)
              *px++ = v;
            if (inner < cell)
              *px++ = 0;
          }
      }
      for (guint y = 1; y < inner; y++)
        memcpy (row0 + y * stride_w, row0, (gsize) columns * cell * sizeof (guint32));
      for (guint y = inner; y < cell; y++)
        memset (row0 + y * stride_w, 0, (gsize) columns * cell * sizeof (guint32));

      if (inner >= PS_GRID_HATCH_MIN)
        decorated |= first + columns > MIN (frame->geometry.n_inside, frame->n_pages);
      if (!decorated)
        continue;
      for (guint c = 0; c < columns && first + c <= frame->n_pages; c++)
        {
          PsPageState state = ps_grid_cell_state (frame, first + c);
          guint8 mark = marks != NULL ? MIN (marks[first + c], PS_GRID_N_MARKS - 1) : 0;

          if (pal->hatch[state] != 0 || mark != 0)
            ps_grid_decorate_cell (row0 + (gsize) c * cell, stride_w, inner, pal->hatch[state],
                           state == PS_PAGE_PAST_MAPPING, pal->marks[mark], cell >= 12);
        }
    }
  return warm;
}

void
ps_page_grid_render (const PsFrame *frame,
                     PsGridMode     mode,
                     gint64         now_us,
                     const guint8  *marks,
                     guint          columns,
                     guint64        first_row,
                     guint          n_rows,
                     guint          cell,
                     guint32       *pixels,
                     gsize          stride)
{
  g_return_if_fail (frame != NULL);
  g_return_if_fail (mode <= PS_GRID_COW);
  g_return_if_fail (columns > 0 && cell > 0);
  g_return_if_fail (stride >= (gsize) columns * cell * sizeof (guint32));

  ps_grid_render_rows (frame, mode, PS_GRID_FADE_MS_DEFAULT, now_us, marks, columns, first_row, n_rows, cell, pixels, stride);
}

guint32
ps_page_grid_page_color (const PsFrame *frame,
                         PsGridMode     mode,
                         gint64         now_us,
                         guint64        page)
{
  const PsGridPalette *pal = ps_grid_palette_get ();
  guint32 color;

  g_return_val_if_fail (frame != NULL, 0);
  g_return_val_if_fail (mode <= PS_GRID_COW, 0);

  if (page == frame->n_pages)
    return pal->table[mode][PS_PAGE_PAST_MAPPING << 3];
  if (page > frame->n_pages)
    return 0;
  ps_grid_fill_colors (frame, mode, PS_GRID_FADE_MS_DEFAULT, ps_grid_now_ms (frame, now_us), page, 1, &color);
  return color;
}

guint32
ps_grid_premultiply_rgba (guint32 rgba)
{
  guint a = rgba & 0xff;
  guint r = (rgba >> 24) * a / 255;
  guint g = ((rgba >> 16) & 0xff) * a / 255;
  guint b = ((rgba >> 8) & 0xff) * a / 255;

  return (a << 24) | (r << 16) | (g << 8) | b;
}

void
ps_grid_tint_cells (const PsHighlight *ranges,
                    guint              n_ranges,
                    guint64            page_size,
                    guint64            n_pages,
                    guint64            run,
                    guint64            first_cell,
                    gsize              n_cells,
                    guint32           *tints)
{
  memset (tints, 0, n_cells * sizeof (guint32));
  if (page_size == 0 || run == 0)
    return;
  for (guint r = 0; r < n_ranges; r++)
    {
      const PsHighlight *h = &ranges[r];
      guint64 first_page, last_page, c0, c1;
      guint32 tint;

      if (h->length == 0 || h->offset / page_size >= n_pages)
        continue;
      first_page = h->offset / page_size;
      last_page = MIN ((h->offset + h->length - 1) / page_size, n_pages - 1);
      c0 = MAX (first_page / run, first_cell);
      c1 = MIN (last_page / run, first_cell + n_cells - 1);
      tint = ps_grid_premultiply_rgba (h->rgba);
      for (guint64 c = c0; c <= c1 && c0 <= c1; c++)
        tints[c - first_cell] = tint;
    }
}
