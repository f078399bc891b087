/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs of pages in one cell. A 64 GiB object has 16 M pages, more than a
 * pane has pixels: each cell then shows a run of pages. Reading every page
 * for every frame would cost 128 MiB of memory traffic; the scanner keeps a
 * summary per block of PS_FRAME_BLOCK_PAGES pages instead, stamped with the
 * pass that last changed it, and the cache here recomputes only the runs
 * that hold such a block. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <string.h>

#include "ps-grid-runs.h"

/* A class of a few pages in a run still shows: one written page among 128
 * holes gets this share of the cell's colour. */
#define MIN_SHARE 0.3

static void
add_page (PsRunSummary     *out,
          const PsPageInfo *info)
{
  out->last_change_ms = MAX (out->last_change_ms, info->last_change_ms);
  out->max_changes = MAX (out->max_changes, info->changes);
  out->n_pages++;
  out->n_state[MIN (info->state & PS_PAGE_STATE_MASK, PS_PAGE_PAST_MAPPING)]++;
  out->n_content[MIN (info->content, PS_CONTENT_ENTROPY)]++;
  out->n_private += (info->state & PS_PAGE_PRIVATE_COPY) != 0;
}

static void
add_block (PsRunSummary      *out,
           const PsPageBlock *block)
{
  out->last_change_ms = MAX (out->last_change_ms, block->last_change_ms);
  out->max_changes = MAX (out->max_changes, block->max_changes);
  out->n_pages += block->n_pages;
  for (guint i = 0; i < 5; i++)
    {
      out->n_state[i] += block->n_state[i];
      out->n_content[i] += block->n_content[i];
    }
  out->n_private += block->n_private;
}

void
ps_grid_run_summarize (const PsFrame *frame,
                       guint64        first,
                       guint64        n,
                       PsRunSummary  *out)
{
  guint64 end;

  g_return_if_fail (frame != NULL);
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  if (first >= frame->n_pages)
    return;
  end = first + MIN (n, frame->n_pages - first);
  for (guint64 p = first; p < end;)
    {
      const PsPageBlock *block = &frame->blocks[p / PS_FRAME_BLOCK_PAGES];

      if (frame->blocks_valid && p % PS_FRAME_BLOCK_PAGES == 0 && p + block->n_pages <= end && block->n_pages > 0)
        {
          add_block (out, block);
          p += block->n_pages;
        }
      else
        add_page (out, &frame->pages[p++]);
    }
}

/* The weighted mix of colours (premultiplied, so mixing them is linear). */
static guint32
mix (const guint32 *counts,
     const guint32 *colors,
     guint          n)
{
  double share[8], total = 0, sum = 0;
  guint32 out = 0;

  for (guint i = 0; i < n; i++)
    total += counts[i];
  if (total == 0)
    return 0;
  for (guint i = 0; i < n; i++)
    {
      share[i] = counts[i] > 0 ? MAX (counts[i] / total, MIN_SHARE) : 0;
      sum += share[i];
    }
  for (int shift = 0; shift <= 24; shift += 8)
    {
      double c = 0;

      for (guint i = 0; i < n; i++)
        c += share[i] / sum * ((colors[i] >> shift) & 0xff);
      out |= (guint32) MIN (c + 0.5, 255.0) << shift;
    }
  return out;
}

static guint32
activity_run_color (const PsRunSummary  *run,
                    const PsGridPalette *pal,
                    guint                fade_ms,
                    guint32              now_ms,
                    guint32             *next_ms)
{
  guint32 data = run->n_state[PS_PAGE_RESIDENT] + run->n_state[PS_PAGE_UNKNOWN];

  if (run->last_change_ms != 0)
    {
      guint32 last = run->last_change_ms;
      guint32 age = now_ms > last ? now_ms - last : 0;

      ps_grid_fade_lower_next (last, age, fade_ms, next_ms);
      return pal->heat[ps_grid_fade_bucket (age, fade_ms)][g_bit_storage (MIN (run->max_changes, G_MAXUINT16))];
    }
  if (data > 0)
    return pal->by_state[PS_GRID_ACTIVITY][PS_PAGE_RESIDENT];
  if (run->n_state[PS_PAGE_ABSENT] > 0)
    return pal->by_state[PS_GRID_ACTIVITY][PS_PAGE_ABSENT];
  return pal->by_state[PS_GRID_ACTIVITY][PS_PAGE_PAST_EOF];
}

guint32
ps_grid_run_color (const PsRunSummary *run,
                   PsGridMode          mode,
                   guint               fade_ms,
                   guint32             now_ms,
                   guint32            *next_ms)
{
  const PsGridPalette *pal = ps_grid_palette_get ();
  guint32 past_eof = run->n_state[PS_PAGE_PAST_EOF];

  g_return_val_if_fail (mode <= PS_GRID_COW, 0);

  if (run->n_pages == 0)
    return pal->table[mode][PS_PAGE_PAST_MAPPING << 3];
  switch (mode)
    {
    case PS_GRID_ACTIVITY:
      return activity_run_color (run, pal, fade_ms, now_ms, next_ms);
    case PS_GRID_CONTENT:
      {
        /* pages past EOF are never read: their content is unknown */
        guint32 counts[6], colors[6];

        for (guint c = 0; c < 5; c++)
          {
            counts[c] = run->n_content[c];
            colors[c] = pal->by_content[c];
          }
        counts[PS_CONTENT_UNKNOWN] -= MIN (counts[PS_CONTENT_UNKNOWN], past_eof);
        counts[5] = past_eof;
        colors[5] = pal->by_state[mode][PS_PAGE_PAST_EOF];
        return mix (counts, colors, 6);
      }
    case PS_GRID_RESIDENCY:
      return mix (run->n_state, pal->by_state[mode], 4);
    case PS_GRID_COW:
    default:
      {
        guint32 data = run->n_state[PS_PAGE_RESIDENT] + run->n_state[PS_PAGE_UNKNOWN];
        guint32 counts[4] = { run->n_private, data - MIN (data, run->n_private),
                              run->n_state[PS_PAGE_ABSENT], past_eof };
        guint32 colors[4] = { pal->private_copy, pal->by_state[mode][PS_PAGE_RESIDENT],
                              pal->by_state[mode][PS_PAGE_ABSENT], pal->by_state[mode][PS_PAGE_PAST_EOF] };

        return mix (counts, colors, 4);
      }
    }
}

guint64
ps_grid_run_for (guint64 n_pages,
                 guint64 n_cells)
{
  guint64 run = 1;

  n_cells = MAX (n_cells, 2);
  while ((n_pages + run - 1) / run + 1 > n_cells)
    run *= 2;
  return run;
}

/* ---- the cache ---- */

#define DIRTY 1     /* recomputed since the colours were last refreshed */
#define WARM  2     /* its colour still changes with time */

struct _PsGridRuns
{
  PsRunSummary *cells;
  gsize         n;
  guint64       first;
  guint64       run;
  guint64       n_pages;
  PsGeometry    geometry;
  guint64       serial;      /* of the frame followed */
  gint64        epoch_us;    /* of its scanner */
  gboolean      valid;

  /* run a multiple of PS_FRAME_BLOCK_PAGES: each block lies in one cell,
   * and a changed block updates its cell by the difference from the block
   * as last seen, whatever the run's length */
  PsPageBlock  *seen;
  guint64       first_block;
  guint64       n_seen;

  /* the colours, refreshed where a cell was recomputed or still fades */
  guint32      *colors;
  guint8       *flags;
  GArray       *dirty;       /* gsize: cells with DIRTY */
  GArray       *warm;        /* gsize: cells with WARM */
  GArray       *changed;     /* gsize: whose colour the last refresh changed */
  PsGridMode    mode;
  guint         fade_ms;
  gboolean      colors_valid;
};

PsGridRuns *
ps_grid_runs_new (void)
{
  PsGridRuns *self = g_new0 (PsGridRuns, 1);

  self->dirty = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->warm = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->changed = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->fade_ms = PS_GRID_FADE_MS_DEFAULT;
  return self;
}

void
ps_grid_runs_free (PsGridRuns *self)
{
  if (self == NULL)
    return;
  g_free (self->cells);
  g_free (self->seen);
  g_free (self->colors);
  g_free (self->flags);
  g_array_unref (self->dirty);
  g_array_unref (self->warm);
  g_array_unref (self->changed);
  g_free (self);
}

void
ps_grid_runs_set_fade_ms (PsGridRuns *self,
                          guint       fade_ms)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (fade_ms > 0);

  if (fade_ms == self->fade_ms)
    return;
  self->fade_ms = fade_ms;
  self->colors_valid = FALSE;
}

void
ps_grid_runs_reset (PsGridRuns *self)
{
  g_return_if_fail (self != NULL);
  self->valid = FALSE;
}

static void
mark_dirty (PsGridRuns *self,
            gsize       i)
{
  if (self->flags[i] & DIRTY)
    return;
  self->flags[i] |= DIRTY;
  g_array_append_val (self->dirty, i);
}

/* A cell of a block that changed: its colour is looked at again only if
 * what it holds changed (a block holds up to 64 cells of short runs). */
static void
compute_cell (PsGridRuns    *self,
              const PsFrame *frame,
              guint64        cell)
{
  PsRunSummary now;

  ps_grid_run_summarize (frame, cell * self->run, self->run, &now);
  if (memcmp (&now, &self->cells[cell - self->first], sizeof now) == 0)
    return;
  self->cells[cell - self->first] = now;
  mark_dirty (self, cell - self->first);
}

/* A block changed: its cell moves by the difference (counts add up; the
 * latest change and the most changes only grow while the scanner runs). */
static void
apply_block (PsGridRuns        *self,
             guint64            b,
             const PsPageBlock *now)
{
  PsPageBlock *old = &self->seen[b - self->first_block];
  gsize i = b * PS_FRAME_BLOCK_PAGES / self->run - self->first;
  PsRunSummary *cell = &self->cells[i];

  cell->last_change_ms = MAX (cell->last_change_ms, now->last_change_ms);
  cell->max_changes = MAX (cell->max_changes, now->max_changes);
  cell->n_pages += now->n_pages - old->n_pages;
  for (guint k = 0; k < 5; k++)
    {
      cell->n_state[k] += now->n_state[k] - old->n_state[k];
      cell->n_content[k] += now->n_content[k] - old->n_content[k];
    }
  cell->n_private += now->n_private - old->n_private;
  *old = *now;
  mark_dirty (self, i);
}

static gboolean
by_blocks (PsGridRuns *self)
{
  return self->run % PS_FRAME_BLOCK_PAGES == 0;
}

/* The blocks of the cells kept, as they are now. */
static void
keep_blocks (PsGridRuns    *self,
             const PsFrame *frame)
{
  guint64 p0 = self->first * self->run;
  guint64 p1 = MIN ((self->first + self->n) * self->run, frame->n_pages);

  self->n_seen = 0;
  if (!by_blocks (self) || p0 >= p1)
    return;
  self->first_block = p0 / PS_FRAME_BLOCK_PAGES;
  self->n_seen = (p1 - 1) / PS_FRAME_BLOCK_PAGES - self->first_block + 1;
  self->seen = g_renew (PsPageBlock, self->seen, self->n_seen);
  memcpy (self->seen, frame->blocks + self->first_block, self->n_seen * sizeof (PsPageBlock));
}

/* The cells holding a block stamped after the frame followed last. */
static gsize
follow_changed (PsGridRuns    *self,
                const PsFrame *frame)
{
  guint64 p0 = self->first * self->run;
  guint64 p1 = MIN ((self->first + self->n) * self->run, frame->n_pages);
  guint32 since = (guint32) self->serial;
  const PsPageBlock *blocks = frame->blocks;
  gsize done = 0;

  if (p0 >= p1)
    return 0;
  for (guint64 b = p0 / PS_FRAME_BLOCK_PAGES; b <= (p1 - 1) / PS_FRAME_BLOCK_PAGES; b++)
    {
      guint64 c0, c1;

      /* a chunk no pass changed since: none of its blocks */
      if (b % PS_FRAME_CHUNK_BLOCKS == 0 &&
          (gint32) (frame->chunk_serials[b / PS_FRAME_CHUNK_BLOCKS] - since) <= 0)
        {
          b += PS_FRAME_CHUNK_BLOCKS - 1;
          continue;
        }
      if (G_LIKELY ((gint32) (blocks[b].serial - since) <= 0))
        continue;
      if (by_blocks (self))
        {
          apply_block (self, b, &blocks[b]);
          done++;
          continue;
        }
      c0 = MAX (b * PS_FRAME_BLOCK_PAGES / self->run, self->first);
      c1 = MIN (((b + 1) * PS_FRAME_BLOCK_PAGES - 1) / self->run, self->first + self->n - 1);
      for (guint64 c = c0; c <= c1; c++)
        compute_cell (self, frame, c);
      done += c1 - c0 + 1;
    }
  return done;
}

gsize
ps_grid_runs_follow (PsGridRuns    *self,
                     const PsFrame *frame,
                     guint64        run,
                     guint64        first,
                     gsize          n)
{
  gboolean whole;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (frame != NULL, 0);
  g_return_val_if_fail (run > 0, 0);

  /* frames made by hand have no serial; a new scanner has a new epoch */
  whole = !self->valid || run != self->run || first != self->first || n != self->n ||
          frame->n_pages != self->n_pages || !ps_geometry_equal (&frame->geometry, &self->geometry) ||
          frame->serial == 0 || frame->serial < self->serial || frame->epoch_us != self->epoch_us ||
          !frame->blocks_valid;
  if (n != self->n || self->cells == NULL)
    {
      g_free (self->cells);
      g_free (self->colors);
      g_free (self->flags);
      self->cells = g_new0 (PsRunSummary, MAX (n, 1));
      self->colors = g_new0 (guint32, MAX (n, 1));
      self->flags = g_new0 (guint8, MAX (n, 1));
    }
  self->run = run;
  self->first = first;
  self->n = n;
  self->n_pages = frame->n_pages;
  self->geometry = frame->geometry;
  self->epoch_us = frame->epoch_us;
  self->valid = TRUE;

  if (!whole)
    {
      gsize done = frame->serial == self->serial ? 0 : follow_changed (self, frame);

      self->serial = frame->serial;
      return done;
    }
  self->serial = frame->serial;
  self->colors_valid = FALSE;
  for (gsize i = 0; i < n; i++)
    ps_grid_run_summarize (frame, (first + i) * run, run, &self->cells[i]);
  keep_blocks (self, frame);
  return n;
}

/* Colours cell i; TRUE if its colour will still change with time. */
static gboolean
color_cell (PsGridRuns *self,
            gsize       i,
            guint64     guard,
            guint32     now_ms,
            guint32    *next_ms)
{
  guint32 next = G_MAXUINT32;
  guint32 color = self->first + i > guard ? 0 : ps_grid_run_color (&self->cells[i], self->mode, self->fade_ms, now_ms, &next);

  if (color != self->colors[i])
    {
      self->colors[i] = color;
      g_array_append_val (self->changed, i);
    }
  /* only activity fades */
  if (next == G_MAXUINT32 || self->mode != PS_GRID_ACTIVITY)
    return FALSE;
  if (next_ms != NULL)
    *next_ms = MIN (*next_ms, next);
  return TRUE;
}

static void
set_warm (PsGridRuns *self,
          gsize       i)
{
  if (self->flags[i] & WARM)
    return;
  self->flags[i] |= WARM;
  g_array_append_val (self->warm, i);
}

gboolean
ps_grid_runs_refresh (PsGridRuns  *self,
                      PsGridMode   mode,
                      guint32      now_ms,
                      guint32     *next_ms,
                      const gsize **changed,
                      gsize       *n_changed)
{
  guint64 guard;
  gboolean all;
  gsize kept = 0;

  g_return_val_if_fail (self != NULL && self->valid, TRUE);

  guard = (self->n_pages + self->run - 1) / self->run;
  g_array_set_size (self->changed, 0);
  all = !self->colors_valid || mode != self->mode;
  self->mode = mode;
  if (all)
    {
      g_array_set_size (self->dirty, 0);
      g_array_set_size (self->warm, 0);
      memset (self->flags, 0, self->n);
      for (gsize i = 0; i < self->n; i++)
        if (color_cell (self, i, guard, now_ms, next_ms))
          set_warm (self, i);
      self->colors_valid = TRUE;
    }
  else
    {
      /* the cells that fade: each stays in the list while it fades */
      for (gsize k = 0; k < self->warm->len; k++)
        {
          gsize i = g_array_index (self->warm, gsize, k);

          if (color_cell (self, i, guard, now_ms, next_ms))
            g_array_index (self->warm, gsize, kept++) = i;
          else
            self->flags[i] &= ~WARM;
        }
      g_array_set_size (self->warm, kept);
      for (gsize k = 0; k < self->dirty->len; k++)
        {
          gsize i = g_array_index (self->dirty, gsize, k);

          self->flags[i] &= ~DIRTY;
          if (!(self->flags[i] & WARM) && color_cell (self, i, guard, now_ms, next_ms))
            set_warm (self, i);
        }
      g_array_set_size (self->dirty, 0);
    }
  if (changed != NULL)
    *changed = (const gsize *) (gpointer) self->changed->data;
  if (n_changed != NULL)
    *n_changed = self->changed->len;
  return all;
}

const guint32 *
ps_grid_runs_get_colors (PsGridRuns *self)
{
  g_return_val_if_fail (self != NULL && self->valid, NULL);
  return self->colors;
}

void
ps_grid_runs_colors (PsGridRuns *self,
                     PsGridMode  mode,
                     guint32     now_ms,
                     guint32    *out,
                     guint32    *next_ms)
{
  g_return_if_fail (self != NULL && self->valid);

  ps_grid_runs_refresh (self, mode, now_ms, next_ms, NULL, NULL);
  memcpy (out, self->colors, self->n * sizeof (guint32));
}

const PsRunSummary *
ps_grid_runs_get (PsGridRuns *self,
                  guint64     cell)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!self->valid || cell < self->first || cell - self->first >= self->n)
    return NULL;
  return &self->cells[cell - self->first];
}
