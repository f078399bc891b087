/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The page grid's pixels, from a frame: pure functions, no widget and no
 * display, for the grid, its overview, the benchmark and the tests. Pixels
 * are premultiplied B8G8R8A8 words (0xAARRGGBB in a guint32). */

#include "ps-frame.h"
#include "ps-grid-palette.h"
#include "ps-highlight.h"

G_BEGIN_DECLS

/* The cell colour of every page in rows [first_row, first_row + n_rows) of a
 * grid `columns` wide, one cell per page, cell x cell pixels, into pixels
 * (row stride in bytes). Writes columns * cell pixels of each of
 * n_rows * cell pixel rows. Cell n_pages is the guard page past the
 * mapping; later cells are transparent, and so are the 1-pixel gaps between
 * cells of 6 pixels or more. marks: NULL or frame->n_pages + 1 entries.
 * A change fades over PS_GRID_FADE_MS_DEFAULT. */
void        ps_page_grid_render         (const PsFrame *frame,
                                         PsGridMode     mode,
                                         gint64         now_us,
                                         const guint8  *marks,
                                         guint          columns,
                                         guint64        first_row,
                                         guint          n_rows,
                                         guint          cell,
                                         guint32       *pixels,
                                         gsize          stride);
/* The colour the render gives one page (for legends and tests): the fill
 * of its cell without marks or hatching, with the default fade. page may
 * be the guard (n_pages). */
guint32     ps_page_grid_page_color     (const PsFrame *frame,
                                         PsGridMode     mode,
                                         gint64         now_us,
                                         guint64        page);

/* ---- the pieces, for the widget ---- */

/* Milliseconds since the frame's epoch. */
guint32     ps_grid_now_ms              (const PsFrame *frame,
                                         gint64         now_us);
/* Colours of pages [first, first + n), all inside the frame; TRUE if one of
 * them is still fading. */
gboolean    ps_grid_fill_colors         (const PsFrame *frame,
                                         PsGridMode     mode,
                                         guint          fade_ms,
                                         guint32        now_ms,
                                         guint64        first,
                                         guint          n,
                                         guint32       *out);
/* As ps_page_grid_render with a fade over fade_ms, returning TRUE if a
 * page drawn is still fading. */
gboolean    ps_grid_render_rows         (const PsFrame *frame,
                                         PsGridMode     mode,
                                         guint          fade_ms,
                                         gint64         now_us,
                                         const guint8  *marks,
                                         guint          columns,
                                         guint64        first_row,
                                         guint          n_rows,
                                         guint          cell,
                                         guint32       *pixels,
                                         gsize          stride);
/* Hatching and a probe mark over one cell whose fill is drawn. */
void        ps_grid_decorate_cell       (guint32       *cell_origin,
                                         gsize          stride_words,
                                         guint          inner,
                                         guint32        hatch,
                                         gboolean       cross,
                                         guint32        mark,
                                         gboolean       ring);
/* The state a cell of one page shows: the guard past the pages. */
PsPageState ps_grid_cell_state          (const PsFrame *frame,
                                         guint64        page);

/* The highlight colour (premultiplied; 0: none) of cells
 * [first_cell, first_cell + n_cells) of a grid of `run` pages a cell:
 * the last range that covers one of a cell's pages wins. */
void        ps_grid_tint_cells          (const PsHighlight *ranges,
                                         guint              n_ranges,
                                         guint64            page_size,
                                         guint64            n_pages,
                                         guint64            run,
                                         guint64            first_cell,
                                         gsize              n_cells,
                                         guint32           *tints);
/* color with a tint drawn over it. */
static inline guint32
ps_grid_blend (guint32 color,
               guint32 tint)
{
  guint inv = 255 - (tint >> 24);
  guint32 out = 0;

  if (tint == 0)
    return color;
  for (int shift = 0; shift <= 24; shift += 8)
    {
      guint c = ((color >> shift) & 0xff) * inv / 255 + ((tint >> shift) & 0xff);

      out |= (guint32) MIN (c, 255u) << shift;
    }
  return out;
}

/* A straight 0xRRGGBBAA as a premultiplied 0xAARRGGBB. */
guint32     ps_grid_premultiply_rgba    (guint32 rgba);

G_END_DECLS
