/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recorder's pass func, on the scanning thread: turns one pass into
 * rows (its counts, its changes, the pages whose state changed, the bytes
 * that changed in followed ranges) and queues them at once. It never
 * touches the file and never waits for the writer. */
#define G_LOG_DOMAIN "pagescope-recorder"

#include "config.h"

#include <string.h>

#include "ps-recorder-private.h"

/* A recording keeps the state and private-copy bits, not PS_PAGE_DIRTY: that
 * is known only while the dirty colour mode is shown, and would record a
 * state change a page each time it is switched on. */
#define RECORDED_STATE(byte) ((guint8) ((byte) & ~PS_PAGE_DIRTY))

/* Two changed runs closer than this are stored as one: a row costs more
 * than a few unchanged bytes. */
#define MERGE_GAP 16

static PsRecRow *
add_row (PsRecPass    *st,
         PsRecRowKind  kind,
         gint64        t)
{
  PsRecRow row = { .kind = kind, .t = t };

  g_array_append_val (st->rows, row);
  return &g_array_index (st->rows, PsRecRow, st->rows->len - 1);
}

/* When the pass found its changes: the stamp the scanner gave them (the
 * heat's own clock), else when the pass ended. */
static gint64
pass_time (PsRecorder       *self,
           const PsScanPass *pass)
{
  const PsFrame *frame = pass->frame;
  gint64 t;

  if (pass->n_changes > 0)
    t = frame->epoch_us + (gint64) ps_frame_page (frame, pass->changes[0].page)->last_change_ms * 1000;
  else
    t = frame->time_us;
  return MAX (t - self->start_us, 0);
}

static void
add_frame (PsRecPass     *st,
           const PsFrame *frame,
           gint64         t)
{
  PsRecFrame *f = g_new (PsRecFrame, 1);

  *f = (PsRecFrame) {
    frame->serial, frame->n_pages, frame->n_resident, frame->n_absent, frame->n_unknown,
    frame->n_private_copies, frame->n_changed, frame->n_scanned, frame->total_changes,
    frame->geometry.object_size, frame->flags, frame->pass_us, frame->interval_ms,
  };
  add_row (st, ROW_FRAME, t)->data = f;
}

static void
add_changes (PsRecPass        *st,
             const PsScanPass *pass,
             gint64            t)
{
  for (guint i = 0; i < pass->n_changes; i++)
    {
      const PsPageChange *c = &pass->changes[i];
      PsRecRow *row = add_row (st, ROW_CHANGE, t);

      row->a = c->page;
      row->b = c->new_hash;
      row->flag = ps_frame_page (pass->frame, c->page)->content;
    }
}

/* The states of every page once (a keyframe), then only those that change. */
static void
add_states (PsRecPass     *st,
            const PsFrame *frame,
            gint64         t)
{
  if (st->n_states != frame->n_pages)
    {
      guint8 *blob = g_malloc (2 * MAX (frame->n_pages, 1));
      PsRecRow *row;

      st->states = g_realloc (st->states, MAX (frame->n_pages, 1));
      st->n_states = frame->n_pages;
      for (guint64 p = 0; p < frame->n_pages; p++)
        {
          blob[2 * p] = st->states[p] = RECORDED_STATE (ps_frame_page (frame, p)->state);
          blob[2 * p + 1] = ps_frame_page (frame, p)->content;
        }
      row = add_row (st, ROW_KEYFRAME, t);
      row->a = frame->n_pages;
      row->data = blob;
      row->len = 2 * frame->n_pages;
      return;
    }
  /* a chunk at a time: a page's state without looking its chunk up again */
  for (guint64 c = 0; c < frame->n_chunks; c++)
    {
      const PsPageChunk *chunk = frame->chunks[c];
      guint64 first = c * PS_PAGE_CHUNK_PAGES;

      for (guint i = 0; i < chunk->n_pages; i++)
        {
          guint8 state = RECORDED_STATE (chunk->pages[i & chunk->page_mask].state);

          if (G_UNLIKELY (state != st->states[first + i]))
            {
              PsRecRow *row = add_row (st, ROW_STATE, t);

              row->a = first + i;
              row->flag = st->states[first + i] = state;
            }
        }
    }
}

/* ---- followed ranges ---------------------------------------------------- */

static guint64
open_track (PsRecorder *self,
            guint64     offset,
            guint64     length,
            const char *why,
            gint64      t)
{
  PsRecRow *row = add_row (&self->pass, ROW_TRACK_OPEN, t);

  row->c = ++self->pass.next_track;
  row->a = offset;
  row->b = length;
  row->data = g_strdup (why);
  return row->c;
}

static void
close_track (PsRecorder *self,
             guint64     track,
             gint64      t)
{
  if (track != 0)
    add_row (&self->pass, ROW_TRACK_CLOSE, t)->c = track;
}

void
ps_recorder_close_tracks (PsRecorder *self,
                          gint64      t)
{
  PsRecPass *st = &self->pass;
  GHashTableIter iter;
  PsRecWatched *w;

  close_track (self, st->focus_track, t);
  st->focus_track = 0;
  st->focus_offset = 0;
  st->focus_length = 0;
  if (st->watched == NULL)
    return;
  g_hash_table_iter_init (&iter, st->watched);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &w))
    close_track (self, w->track, t);
  g_hash_table_remove_all (st->watched);
}

/* The cap on stored bytes: reached, every range stops being followed (the
 * rest of the recording has page changes, states and events only). */
static gboolean
take_bytes (PsRecorder *self,
            gsize       len,
            gint64      t)
{
  PsRecPass *st = &self->pass;
  PsRecRow *row;

  if (self->cap_reached)
    return FALSE;
  if (self->bytes_taken + len <= self->cap)
    {
      self->bytes_taken += len;
      return TRUE;
    }
  self->cap_reached = TRUE;
  ps_recorder_close_tracks (self, t);
  row = add_row (st, ROW_META, t);
  row->data = g_strdup ("cap_reached_us");
  row->flag = TRUE;
  row->a = t;
  if (self->source != NULL)
    ps_event_log_add (ps_source_get_log (self->source), FALSE,
                      "record: %" G_GUINT64_FORMAT " bytes of changed ranges stored, the cap: "
                      "from here on only page changes, states and events",
                      self->bytes_taken);
  return FALSE;
}

/* Bytes of [offset, offset + len), one row per page they touch. */
static gboolean
add_bytes (PsRecorder   *self,
           guint64       offset,
           const guint8 *bytes,
           gsize         len,
           gboolean      baseline,
           gint64        t)
{
  guint64 page = self->page_size;

  while (len > 0)
    {
      gsize n = MIN (len, page - offset % page);
      PsRecRow *row;

      if (!take_bytes (self, n, t))
        return FALSE;
      row = add_row (&self->pass, ROW_BYTES, t);
      row->a = offset;
      row->data = g_memdup2 (bytes, n);
      row->len = n;
      row->flag = baseline;
      offset += n;
      bytes += n;
      len -= n;
    }
  return TRUE;
}

/* The runs of bytes that differ between old and new (at offset), as rows;
 * equal blocks of 64 bytes are skipped with memcmp. */
static gboolean
add_diff (PsRecorder   *self,
          guint64       offset,
          const guint8 *old,
          const guint8 *new,
          gsize         len,
          gint64        t)
{
  gsize i = 0;

  while (i < len)
    {
      gsize start, end, gap;

      if (i % 64 == 0 && len - i >= 64 && memcmp (old + i, new + i, 64) == 0)
        {
          i += 64;
          continue;
        }
      if (old[i] == new[i])
        {
          i++;
          continue;
        }
      start = i;
      end = i + 1;
      /* on while the next difference is near */
      for (gap = 0, i++; i < len && gap < MERGE_GAP; i++)
        {
          if (old[i] != new[i])
            {
              end = i + 1;
              gap = 0;
            }
          else
            gap++;
        }
      i = end;
      if (!add_bytes (self, offset + start, new + start, end - start, FALSE, t))
        return FALSE;
    }
  return TRUE;
}

/* The focus window: a new window is copied where it was not followed
 * already, a window that stayed is compared with its bytes before the pass. */
static void
follow_focus (PsRecorder       *self,
              const PsScanPass *pass,
              gint64            t)
{
  PsRecPass *st = &self->pass;
  const PsFrame *frame = pass->frame;
  guint64 off = frame->focus_offset, len = frame->focus_length;
  guint64 lo = 0, hi = 0;   /* what was followed and the scanner has the bytes before of */

  if (self->cap_reached || !pass->focus_read)
    return;
  if (pass->focus_before != NULL && st->focus_track != 0)
    {
      lo = MAX (pass->before_offset, st->focus_offset);
      hi = MIN (pass->before_offset + pass->before_length, st->focus_offset + st->focus_length);
      hi = MAX (lo, hi);
    }

  if (off != st->focus_offset || len != st->focus_length || st->focus_track == 0)
    {
      close_track (self, st->focus_track, t);
      st->focus_track = 0;
      st->focus_offset = off;
      st->focus_length = len;
      if (len == 0)
        return;
      st->focus_track = open_track (self, off, len, "focus", t);
      /* a copy of what only the new window holds; [lo, hi) lies inside it */
      if (hi <= lo)
        {
          add_bytes (self, off, frame->focus_bytes, len, TRUE, t);
          return;
        }
      if ((lo > off && !add_bytes (self, off, frame->focus_bytes, lo - off, TRUE, t)) ||
          (hi < off + len && !add_bytes (self, hi, frame->focus_bytes + (hi - off), off + len - hi, TRUE, t)))
        return;
    }
  if (hi > lo)
    add_diff (self, lo, pass->focus_before + (lo - off), frame->focus_bytes + (lo - off), hi - lo, t);
}

/* The watches' pages: a page a watch lies in is copied when the watch
 * comes, then compared with its copy whenever the scanner finds it changed. */
static void
apply_watch_set (PsRecorder *self,
                 gint64      t)
{
  PsRecPass *st = &self->pass;
  g_autoptr(GArray) pages = NULL;
  GHashTableIter iter;
  guint64 *key;
  PsRecWatched *w;

  g_mutex_lock (&self->lock);
  if (self->watch_gen != st->watch_gen)
    {
      pages = g_array_copy (self->watch_pages);
      st->watch_gen = self->watch_gen;
    }
  g_mutex_unlock (&self->lock);
  if (pages == NULL || self->source == NULL || self->cap_reached)
    return;

  g_hash_table_iter_init (&iter, st->watched);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &w))
    {
      gboolean kept = FALSE;

      for (guint i = 0; i < pages->len && !kept; i++)
        kept = g_array_index (pages, guint64, i) == *key;
      if (!kept)
        {
          close_track (self, w->track, t);
          g_hash_table_iter_remove (&iter);
        }
    }
  for (guint i = 0; i < pages->len && !self->cap_reached; i++)
    {
      guint64 page = g_array_index (pages, guint64, i);

      if (g_hash_table_contains (st->watched, &page))
        continue;
      w = g_new0 (PsRecWatched, 1);
      w->copy = g_malloc0 (self->page_size);
      /* a hole reads as zeros, and is not read */
      ps_source_peek (self->source, page * self->page_size, w->copy, self->page_size, NULL);
      w->track = open_track (self, page * self->page_size, self->page_size, "watch", t);
      g_hash_table_insert (st->watched, g_memdup2 (&page, sizeof page), w);
      add_bytes (self, page * self->page_size, w->copy, self->page_size, TRUE, t);
    }
}

static void
follow_watched (PsRecorder       *self,
                const PsScanPass *pass,
                gint64            t)
{
  PsRecPass *st = &self->pass;
  const PsFrame *frame = pass->frame;
  guint32 stamp;
  GHashTableIter iter;
  guint64 *page;
  PsRecWatched *w;

  if (pass->n_changes == 0 || self->source == NULL || g_hash_table_size (st->watched) == 0)
    return;
  stamp = ps_frame_page (frame, pass->changes[0].page)->last_change_ms;
  g_hash_table_iter_init (&iter, st->watched);
  while (!self->cap_reached && g_hash_table_iter_next (&iter, (gpointer *) &page, (gpointer *) &w))
    {
      if (*page >= frame->n_pages || ps_frame_page (frame, *page)->last_change_ms != stamp)
        continue;
      if (!ps_source_peek (self->source, *page * self->page_size, st->page_buf, self->page_size, NULL))
        continue;   /* SIGBUS: the object shrank; the next pass says so */
      if (add_diff (self, *page * self->page_size, w->copy, st->page_buf, self->page_size, t))
        memcpy (w->copy, st->page_buf, self->page_size);
    }
}

void
ps_recorder_on_pass (PsScanner        *scanner,
                     const PsScanPass *pass,
                     gpointer          data)
{
  PsRecorder *self = data;
  PsRecPass *st = &self->pass;
  gint64 t = pass_time (self, pass);

  add_frame (st, pass->frame, MAX (pass->frame->time_us - self->start_us, 0));
  add_changes (st, pass, t);
  add_states (st, pass->frame, t);
  if (self->cap > 0)
    {
      apply_watch_set (self, t);
      follow_watched (self, pass, t);
      follow_focus (self, pass, t);
    }
  ps_recorder_queue_rows (self, (PsRecRow *) (gpointer) st->rows->data, st->rows->len);
  g_array_set_size (st->rows, 0);   /* the queue owns what they point to */
}

static void
watched_free (PsRecWatched *w)
{
  g_free (w->copy);
  g_free (w);
}

void
ps_rec_pass_clear (PsRecPass *st)
{
  g_clear_pointer (&st->states, g_free);
  g_clear_pointer (&st->watched, g_hash_table_unref);
  if (st->rows != NULL)
    for (guint i = 0; i < st->rows->len; i++)
      ps_rec_row_clear (&g_array_index (st->rows, PsRecRow, i));
  g_clear_pointer (&st->rows, g_array_unref);
  g_clear_pointer (&st->page_buf, g_free);
}

void
ps_rec_pass_init (PsRecPass *st,
                  gsize      page_size)
{
  st->watched = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) watched_free);
  st->rows = g_array_new (FALSE, FALSE, sizeof (PsRecRow));
  st->page_buf = g_malloc (page_size);
}
