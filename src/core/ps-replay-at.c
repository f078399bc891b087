/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A replay at a time T: the pages' heat and states from the nearest
 * checkpoint forward, the bytes recorded, the watches' values. */
#define G_LOG_DOMAIN "pagescope-replay"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ps-replay-private.h"

/* ---- what was at T ---------------------------------------------------------------- */

/* The first step after t_ms. */
static guint
steps_upto (GArray  *steps,
            guint32  t_ms)
{
  guint lo = 0, hi = steps->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (steps, Step, mid).t_ms <= t_ms)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static const Checkpoint *
checkpoint_at (PsReplay *self,
               guint32   t_ms)
{
  guint lo = 0, hi = self->checkpoints->len;

  /* the last checkpoint at or before t_ms (the first one is at 0) */
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->checkpoints, Checkpoint, mid).t_ms <= t_ms)
        lo = mid;
      else
        hi = mid;
    }
  return &g_array_index (self->checkpoints, Checkpoint, lo);
}

static const FrameRow *
frame_row_at (PsReplay *self,
              gint64    t_us)
{
  guint lo = 0, hi = self->frames->len;

  if (hi == 0)
    return NULL;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->frames, FrameRow, mid).t_us <= t_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return &g_array_index (self->frames, FrameRow, lo > 0 ? lo - 1 : 0);
}

static void
fill_counts (PsReplay *self,
             PsFrame  *frame,
             gint64    t_us,
             guint     n_changes)
{
  const FrameRow *row = frame_row_at (self, t_us);
  const PsGeometry *g = &self->geometry;

  frame->total_changes = n_changes;
  if (row == NULL)
    {
      frame->geometry = *g;
      return;
    }
  ps_geometry_init (&frame->geometry, row->f.object_size, g->offset, g->length, g->page_size);
  frame->geometry.n_pages = frame->n_pages;
  frame->serial = row->f.serial;
  frame->flags = row->f.flags;
  frame->pass_us = row->f.pass_us;
  frame->interval_ms = frame->sweep_ms = row->f.interval_ms;
  frame->n_resident = row->f.n_resident;
  frame->n_absent = row->f.n_absent;
  frame->n_unknown = row->f.n_unknown;
  frame->n_private_copies = row->f.n_private_copies;
  frame->n_changed = row->f.n_changed;
  frame->n_scanned = row->f.n_scanned;
}

PsFrame *
ps_replay_get_frame (PsReplay *self,
                     gint64    t_us,
                     gint64    now_us)
{
  guint32 t_ms = ps_replay_to_ms (t_us);
  const Checkpoint *c;
  PsFrame *frame;
  guint64 n_pages;
  guint i;

  g_return_val_if_fail (PS_IS_REPLAY (self), NULL);

  n_pages = self->geometry.n_pages;
  c = checkpoint_at (self, t_ms);
  frame = ps_frame_new (n_pages, 0);
  ps_frame_set_pages (frame, 0, c->pages, n_pages);
  for (i = c->n_changes; i < self->changes->len; i++)
    {
      const Step *s = &g_array_index (self->changes, Step, i);

      if (s->t_ms > t_ms)
        break;
      if (s->page < n_pages)
        ps_replay_apply_to_page (ps_frame_page_for_write (frame, s->page), s);
    }
  for (guint j = c->n_states; j < self->states->len; j++)
    {
      const Step *s = &g_array_index (self->states, Step, j);

      if (s->t_ms > t_ms)
        break;
      if (s->page < n_pages)
        ps_frame_page_for_write (frame, s->page)->state = s->value;
    }

  /* the fade, measured against now_us, shows the heat as it was at t */
  frame->time_us = now_us;
  frame->epoch_us = now_us - ((gint64) t_ms + STAMP_OFFSET_MS) * 1000;
  fill_counts (self, frame, t_us, i);
  return frame;
}

void
ps_replay_get_activity (PsReplay *self,
                        gint64    from_us,
                        gint64    to_us,
                        guint     n_buckets,
                        guint32  *changes)
{
  guint before;

  g_return_if_fail (PS_IS_REPLAY (self));
  g_return_if_fail (n_buckets == 0 || changes != NULL);

  if (n_buckets == 0)
    return;
  /* a bucket holds the changes in (its start, its end]: ms steps, ceil */
  before = from_us > 0 ? steps_upto (self->changes, ps_replay_to_ms (from_us - 1)) : 0;
  for (guint b = 0; b < n_buckets; b++)
    {
      /* in double: a recording's times may span the whole of gint64 */
      double at = (double) from_us + ((double) to_us - (double) from_us) * (b + 1) / n_buckets;
      gint64 end = at >= 0x1p63 ? G_MAXINT64 : at <= -0x1p63 ? G_MININT64 : (gint64) at;
      guint upto = end > 0 ? steps_upto (self->changes, ps_replay_to_ms (end - 1)) : 0;

      changes[b] = upto - MIN (before, upto);
      before = MAX (before, upto);
    }
}

gint64
ps_replay_next_change (PsReplay *self,
                       gint64    t_us)
{
  guint i;

  g_return_val_if_fail (PS_IS_REPLAY (self), -1);

  i = t_us < 0 ? 0 : steps_upto (self->changes, ps_replay_to_ms (t_us));
  return i < self->changes->len ? (gint64) g_array_index (self->changes, Step, i).t_ms * 1000 : -1;
}

gint64
ps_replay_prev_change (PsReplay *self,
                       gint64    t_us)
{
  guint i;

  g_return_val_if_fail (PS_IS_REPLAY (self), -1);

  if (t_us <= 0)
    return -1;
  /* the changes whose ms lies before t */
  i = steps_upto (self->changes, ps_replay_to_ms (t_us > G_MAXINT64 - 999 ? G_MAXINT64 : t_us + 999) - 1);
  return i > 0 ? (gint64) g_array_index (self->changes, Step, i - 1).t_ms * 1000 : -1;
}

guint
ps_replay_get_n_events (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), 0);
  return self->events->len;
}

const PsReplayEvent *
ps_replay_get_event (PsReplay *self,
                     guint     index)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), NULL);
  g_return_val_if_fail (index < self->events->len, NULL);
  return &g_array_index (self->events, PsReplayEvent, index);
}

guint
ps_replay_find_event (PsReplay *self,
                      gint64    t_us)
{
  guint lo = 0, hi;

  g_return_val_if_fail (PS_IS_REPLAY (self), 0);

  hi = self->events->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->events, PsReplayEvent, mid).t_us < t_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* ---- bytes ------------------------------------------------------------------------ */

static void
apply_bytes_row (const BytesRow *row,
                 guint64         offset,
                 gsize           len,
                 guint8         *bytes,
                 guint8         *what)
{
  guint64 lo = MAX (offset, row->offset);
  guint64 hi = MIN (offset + len, row->offset + row->len);

  if (lo >= hi)
    return;
  memcpy (bytes + (lo - offset), row->data + (lo - row->offset), hi - lo);
  memset (what + (lo - offset), PS_REPLAY_BYTE_STALE, hi - lo);
}

static gboolean
mark_followed (PsReplay *self,
               gint64    t_us,
               guint64   offset,
               gsize     len,
               guint8   *what)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->tracks->len; i++)
    {
      const Track *tr = &g_array_index (self->tracks, Track, i);
      guint64 lo = MAX (offset, tr->offset);
      guint64 hi = MIN (offset + len, tr->offset + tr->length);
      /* a range followed to the end of the recording is followed at its last instant too */
      gboolean open = tr->t_end == G_MAXINT64 || tr->t_end >= self->duration_us;

      if (lo >= hi || t_us < tr->t_start || (t_us >= tr->t_end && !(open && t_us <= self->duration_us)))
        continue;
      for (guint64 o = lo; o < hi; o++)
        if (what[o - offset] != PS_REPLAY_BYTE_UNKNOWN)
          {
            what[o - offset] = PS_REPLAY_BYTE_RECORDED;
            any = TRUE;
          }
    }
  return any;
}

gboolean
ps_replay_get_bytes (PsReplay *self,
                     gint64    t_us,
                     guint64   offset,
                     gsize     len,
                     guint8   *bytes,
                     guint8   *what)
{
  g_autofree guint8 *own_what = NULL;
  guint64 page_size;

  g_return_val_if_fail (PS_IS_REPLAY (self), FALSE);
  g_return_val_if_fail (bytes != NULL || len == 0, FALSE);

  if (what == NULL)
    what = own_what = g_malloc (MAX (len, 1));
  memset (bytes, 0, len);
  memset (what, PS_REPLAY_BYTE_UNKNOWN, len);
  if (len == 0)
    return FALSE;

  page_size = self->geometry.page_size;
  for (guint64 p = offset / page_size; p <= (offset + len - 1) / page_size; p++)
    {
      GArray *list = g_hash_table_lookup (self->bytes_by_page, &p);

      /* the rows of a page in time order: each newer one over the older */
      for (guint i = 0; list != NULL && i < list->len; i++)
        {
          const BytesRow *row = &g_array_index (self->bytes, BytesRow, g_array_index (list, guint, i));

          if (row->t_us > t_us)
            break;
          apply_bytes_row (row, offset, len, bytes, what);
        }
    }
  return mark_followed (self, t_us, offset, len, what);
}

/* ---- watches ------------------------------------------------------------------------ */

guint
ps_replay_get_n_watches (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), 0);
  return self->watches->len;
}

const PsWatchSpec *
ps_replay_get_watch (PsReplay *self,
                     guint     index)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), NULL);
  g_return_val_if_fail (index < self->watches->len, NULL);
  return &((ReplayWatch *) g_ptr_array_index (self->watches, index))->spec;
}

const char *
ps_replay_get_watch_value (PsReplay *self,
                           guint     index,
                           gint64    t_us,
                           gint64   *changed_us)
{
  ReplayWatch *w;
  guint lo = 0, hi;

  g_return_val_if_fail (PS_IS_REPLAY (self), NULL);
  g_return_val_if_fail (index < self->watches->len, NULL);

  w = g_ptr_array_index (self->watches, index);
  if (changed_us != NULL)
    *changed_us = -1;
  if (t_us < w->t_added || t_us >= w->t_removed)
    return NULL;
  hi = w->values->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (w->values, WatchValue, mid).t_us <= t_us)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return NULL;
  if (changed_us != NULL)
    *changed_us = g_array_index (w->values, WatchValue, lo - 1).t_us;
  return g_array_index (w->values, WatchValue, lo - 1).text != NULL ? g_array_index (w->values, WatchValue, lo - 1).text
                                                                    : "?";
}

