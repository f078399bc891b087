/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Cells that show a run of pages each, below one pixel a page: what a run
 * holds, its colour, and a cache of the runs on screen that follows frames
 * by recomputing only the runs whose pages changed (the frame's block
 * summaries say which). Pure: no widget, no display. */

#include "ps-frame.h"
#include "ps-grid-palette.h"

G_BEGIN_DECLS

/* What the pages of one run hold. */
typedef struct
{
  guint32 last_change_ms;   /* the latest change of one of them; 0 = never */
  guint32 max_changes;
  guint32 n_pages;
  guint32 n_state[5];       /* by PsPageState */
  guint32 n_content[5];     /* by PsContentClass */
  guint32 n_private;        /* private copies */
} PsRunSummary;

/* Pages [first, first + n) of the frame, clipped to it: from the block
 * summaries where a block lies whole inside, from the pages elsewhere. The
 * frame's blocks must be valid (ps_frame_summarize). */
void     ps_grid_run_summarize  (const PsFrame  *frame,
                                 guint64         first,
                                 guint64         n,
                                 PsRunSummary   *out);
/* The colour of a run (premultiplied 0xAARRGGBB): in activity mode its
 * hottest page and its most changed; in the others the mix of its pages,
 * where a class of a few pages still shows. *next_ms is lowered to when the
 * colour next changes with time; a change fades over fade_ms. A run
 * without pages is the guard cell. */
guint32  ps_grid_run_color      (const PsRunSummary *run,
                                 PsGridMode          mode,
                                 guint               fade_ms,
                                 guint32             now_ms,
                                 guint32            *next_ms);

/* The smallest power of two of pages a cell with which n_pages and the
 * guard cell after them fit in n_cells cells. */
guint64  ps_grid_run_for        (guint64 n_pages,
                                 guint64 n_cells);

typedef struct _PsGridRuns PsGridRuns;

PsGridRuns *ps_grid_runs_new     (void);
void        ps_grid_runs_free    (PsGridRuns *self);
/* Cells of `run` pages: cell i holds pages [i * run, (i + 1) * run), cell
 * ceil(n_pages / run) is the guard. Keeps cells [first, first + n): all of
 * them are recomputed when the layout, the geometry or the scanner changed,
 * else only those holding a block the scanner changed since the last frame
 * followed. Returns how many cells were recomputed. */
gsize       ps_grid_runs_follow  (PsGridRuns    *self,
                                  const PsFrame *frame,
                                  guint64        run,
                                  guint64        first,
                                  gsize          n);
/* How long a change fades (PS_GRID_FADE_MS_DEFAULT until set); a new
 * one recolours every cell at the next refresh. */
void        ps_grid_runs_set_fade_ms (PsGridRuns *self,
                                      guint       fade_ms);
/* Forgets what it follows: the next follow recomputes every cell. */
void        ps_grid_runs_reset   (PsGridRuns    *self);
/* Brings the colours of the cells kept up to date: only those recomputed
 * since, and those still fading, are looked at. The indices of the cells
 * whose colour changed go to *changed (valid until the next call); TRUE
 * when every cell may have changed (a new layout or mode): then read
 * them all. Cells past the guard are transparent. */
gboolean    ps_grid_runs_refresh (PsGridRuns    *self,
                                  PsGridMode     mode,
                                  guint32        now_ms,
                                  guint32       *next_ms,
                                  const gsize  **changed,
                                  gsize         *n_changed);
/* The colours as refreshed last. */
const guint32 *ps_grid_runs_get_colors (PsGridRuns *self);
/* Refreshes, then copies every cell's colour into out[n]. */
void        ps_grid_runs_colors  (PsGridRuns    *self,
                                  PsGridMode     mode,
                                  guint32        now_ms,
                                  guint32       *out,
                                  guint32       *next_ms);
const PsRunSummary *ps_grid_runs_get (PsGridRuns *self,
                                      guint64     cell);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsGridRuns, ps_grid_runs_free)

G_END_DECLS
