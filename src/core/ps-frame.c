/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-frame"
#include "config.h"

#include <string.h>

#include "ps-frame.h"

G_DEFINE_BOXED_TYPE (PsFrame, ps_frame, ps_frame_ref, ps_frame_unref)

/* ---- chunks ---- */

static PsPageChunk *
chunk_alloc (guint n_pages,
             gboolean uniform)
{
  guint n_blocks = uniform ? 1 : (n_pages + PS_FRAME_BLOCK_PAGES - 1) / PS_FRAME_BLOCK_PAGES;
  guint n_infos = uniform ? 1 : n_pages;
  PsPageChunk *c = g_malloc0 (sizeof *c + n_blocks * sizeof (PsPageBlock) + n_infos * sizeof (PsPageInfo));

  g_atomic_ref_count_init (&c->ref_count);
  c->n_pages = (guint16) n_pages;
  c->page_mask = uniform ? 0 : PS_PAGE_CHUNK_PAGES - 1;
  c->block_mask = uniform ? 0 : PS_FRAME_CHUNK_BLOCKS - 1;
  c->blocks = (PsPageBlock *) (gpointer) (c + 1);
  c->pages = (PsPageInfo *) (gpointer) (c->blocks + n_blocks);
  return c;
}

static gsize
chunk_size (const PsPageChunk *c)
{
  gboolean uniform = c->page_mask == 0;

  return sizeof *c + (uniform ? 1 : (c->n_pages + PS_FRAME_BLOCK_PAGES - 1u) / PS_FRAME_BLOCK_PAGES) *
         sizeof (PsPageBlock) + (uniform ? 1 : c->n_pages) * sizeof (PsPageInfo);
}

static inline PsPageChunk *
chunk_ref (PsPageChunk *c)
{
  g_atomic_ref_count_inc (&c->ref_count);
  return c;
}

static inline void
chunk_unref (PsPageChunk *c)
{
  if (g_atomic_ref_count_dec (&c->ref_count))
    g_free (c);
}

static inline gboolean
chunk_uniform (const PsPageChunk *c)
{
  return c->page_mask == 0;
}

static inline gboolean
chunk_owned (PsPageChunk *c)
{
  return g_atomic_ref_count_compare (&c->ref_count, 1);
}

static guint
chunk_pages_at (const PsFrame *frame,
                guint64        c)
{
  return (guint) MIN ((guint64) PS_PAGE_CHUNK_PAGES, frame->n_pages - c * PS_PAGE_CHUNK_PAGES);
}

static void
summarize_infos (const PsPageInfo *info,
                 guint             stride,
                 guint             n,
                 PsPageBlock      *out)
{
  memset (out, 0, sizeof *out);
  out->n_pages = n;
  for (guint i = 0; i < n; i++, info += stride)
    {
      out->last_change_ms = MAX (out->last_change_ms, info->last_change_ms);
      out->max_changes = MAX (out->max_changes, info->changes);
      out->n_state[MIN (info->state & PS_PAGE_STATE_MASK, PS_PAGE_PAST_MAPPING)]++;
      out->n_content[MIN (info->content, PS_CONTENT_ENTROPY)]++;
      out->n_private += (info->state & PS_PAGE_PRIVATE_COPY) != 0;
      out->n_dirty += (info->state & PS_PAGE_DIRTY) != 0;
    }
}

static gboolean
same_summary (const PsPageBlock *a,
              const PsPageBlock *b)
{
  return a->last_change_ms == b->last_change_ms && a->max_changes == b->max_changes &&
         a->n_private == b->n_private && a->n_dirty == b->n_dirty && a->n_pages == b->n_pages &&
         memcmp (a->n_state, b->n_state, sizeof a->n_state) == 0 &&
         memcmp (a->n_content, b->n_content, sizeof a->n_content) == 0;
}

static gboolean
same_info (const PsPageInfo *a,
           const PsPageInfo *b)
{
  return memcmp (a, b, sizeof *a) == 0;
}

/* A uniform chunk of *info at c, stamped with serial if its summary is new;
 * shares the chunk before it when that one is the same. */
static PsPageChunk *
uniform_chunk (PsFrame          *frame,
               guint64           c,
               const PsPageInfo *info,
               const PsPageBlock *was,
               guint32           serial)
{
  PsPageBlock block;
  PsPageChunk *chunk;

  summarize_infos (info, 0, PS_FRAME_BLOCK_PAGES, &block);
  block.serial = was != NULL && same_summary (&block, was) ? was->serial : serial;
  if (c > 0 && frame->chunks[c - 1] != NULL && chunk_uniform (frame->chunks[c - 1]) &&
      same_info (frame->chunks[c - 1]->pages, info) &&
      memcmp (frame->chunks[c - 1]->blocks, &block, sizeof block) == 0)
    return chunk_ref (frame->chunks[c - 1]);
  chunk = chunk_alloc (PS_PAGE_CHUNK_PAGES, TRUE);
  chunk->pages[0] = *info;
  chunk->blocks[0] = block;
  chunk->serial = block.serial;
  return chunk;
}

static void
set_chunk (PsFrame     *frame,
           guint64      c,
           PsPageChunk *chunk)
{
  if (frame->chunks[c] != NULL)
    chunk_unref (frame->chunks[c]);
  frame->chunks[c] = chunk;
  frame->chunk_serials[c] = chunk->serial;
}

/* Chunk c, not uniform and held by this frame alone: copied if need be. */
static PsPageChunk *
chunk_for_write (PsFrame *frame,
                 guint64  c)
{
  PsPageChunk *old = frame->chunks[c];
  PsPageChunk *copy;

  if (!chunk_uniform (old) && chunk_owned (old))
    return old;
  copy = chunk_alloc (old->n_pages, FALSE);
  copy->serial = old->serial;
  if (chunk_uniform (old))
    {
      for (guint i = 0; i < old->n_pages; i++)
        copy->pages[i] = old->pages[0];
      for (guint b = 0; b * PS_FRAME_BLOCK_PAGES < old->n_pages; b++)
        copy->blocks[b] = old->blocks[0];
    }
  else
    {
      memcpy (copy->pages, old->pages, old->n_pages * sizeof (PsPageInfo));
      memcpy (copy->blocks, old->blocks,
              (old->n_pages + PS_FRAME_BLOCK_PAGES - 1u) / PS_FRAME_BLOCK_PAGES * sizeof (PsPageBlock));
    }
  set_chunk (frame, c, copy);
  return copy;
}

PsPageInfo *
ps_frame_pages_for_write (PsFrame *frame,
                          guint64  i,
                          guint64  n)
{
  g_return_val_if_fail (i < frame->n_pages, NULL);
  g_return_val_if_fail (n <= PS_PAGE_CHUNK_PAGES - i % PS_PAGE_CHUNK_PAGES, NULL);

  return &chunk_for_write (frame, i / PS_PAGE_CHUNK_PAGES)->pages[i % PS_PAGE_CHUNK_PAGES];
}

PsPageInfo *
ps_frame_page_for_write (PsFrame *frame,
                         guint64  i)
{
  return ps_frame_pages_for_write (frame, i, 1);
}

void
ps_frame_fill_chunk (PsFrame          *frame,
                     guint64           c,
                     const PsPageInfo *info)
{
  PsPageChunk *old;

  g_return_if_fail (c < frame->n_chunks);

  old = frame->chunks[c];
  if (chunk_pages_at (frame, c) < PS_PAGE_CHUNK_PAGES)
    {
      PsPageInfo *pages = chunk_for_write (frame, c)->pages;

      for (guint i = 0; i < chunk_pages_at (frame, c); i++)
        pages[i] = *info;
      return;
    }
  if (chunk_uniform (old) && same_info (old->pages, info))
    return;
  set_chunk (frame, c, uniform_chunk (frame, c, info, chunk_uniform (old) ? old->blocks : NULL,
                                      (guint32) frame->serial));
}

void
ps_frame_compact_chunk (PsFrame *frame,
                        guint64  c)
{
  PsPageChunk *old = frame->chunks[c];

  if (chunk_uniform (old) || old->n_pages < PS_PAGE_CHUNK_PAGES)
    return;
  for (guint i = 1; i < PS_PAGE_CHUNK_PAGES; i++)
    if (!same_info (&old->pages[i], &old->pages[0]))
      return;
  /* its blocks are alike but for their serials: the newest stands for all */
  set_chunk (frame, c, uniform_chunk (frame, c, &old->pages[0], NULL, old->serial));
}

void
ps_frame_set_pages (PsFrame          *frame,
                    guint64           first,
                    const PsPageInfo *pages,
                    guint64           n)
{
  g_return_if_fail (first <= frame->n_pages && n <= frame->n_pages - first);

  for (guint64 p = first; p < first + n;)
    {
      guint64 c = p / PS_PAGE_CHUNK_PAGES;
      guint64 end = MIN (first + n, (c + 1) * PS_PAGE_CHUNK_PAGES);
      PsPageInfo *to = ps_frame_pages_for_write (frame, p, end - p);

      memcpy (to, pages + (p - first), (end - p) * sizeof (PsPageInfo));
      p = end;
    }
  for (guint64 c = first / PS_PAGE_CHUNK_PAGES; n > 0 && c <= (first + n - 1) / PS_PAGE_CHUNK_PAGES; c++)
    ps_frame_compact_chunk (frame, c);
}

void
ps_frame_share_pages (PsFrame       *frame,
                      const PsFrame *last)
{
  g_return_if_fail (frame->n_pages == last->n_pages);

  for (guint64 c = 0; c < frame->n_chunks; c++)
    set_chunk (frame, c, chunk_ref (last->chunks[c]));
  frame->blocks_valid = last->blocks_valid;
}

/* ---- frames ---- */

/* A frame whose chunks are not there yet. */
static PsFrame *
frame_alloc (guint64 n_pages,
             gsize   focus_length)
{
  PsFrame *frame = g_new0 (PsFrame, 1);

  g_atomic_ref_count_init (&frame->ref_count);
  frame->n_pages = n_pages;
  frame->n_blocks = (n_pages + PS_FRAME_BLOCK_PAGES - 1) / PS_FRAME_BLOCK_PAGES;
  frame->n_chunks = (n_pages + PS_PAGE_CHUNK_PAGES - 1) / PS_PAGE_CHUNK_PAGES;
  frame->chunks = g_new0 (PsPageChunk *, MAX (frame->n_chunks, 1));
  frame->chunk_serials = g_new0 (guint32, MAX (frame->n_chunks, 1));
  frame->focus_bytes = g_malloc0 (MAX (focus_length, 1));
  frame->focus_change_ms = g_new0 (guint32, MAX (focus_length, 1));
  frame->focus_length = focus_length;
  frame->shared_dirty = frame->private_dirty = -1;
  return frame;
}

PsFrame *
ps_frame_new_sharing (const PsFrame *last,
                      gsize          focus_length)
{
  PsFrame *frame = frame_alloc (last->n_pages, focus_length);

  for (guint64 c = 0; c < frame->n_chunks; c++)
    frame->chunks[c] = chunk_ref (last->chunks[c]);
  memcpy (frame->chunk_serials, last->chunk_serials, frame->n_chunks * sizeof (guint32));
  frame->blocks_valid = last->blocks_valid;
  return frame;
}

PsFrame *
ps_frame_new (guint64 n_pages,
              gsize   focus_length)
{
  PsFrame *frame = frame_alloc (n_pages, focus_length);
  PsPageChunk *zero = NULL;

  /* every page zero (absent, never read): one chunk for all the whole ones */
  for (guint64 c = 0; c < frame->n_chunks; c++)
    {
      guint n = chunk_pages_at (frame, c);

      if (n < PS_PAGE_CHUNK_PAGES)
        frame->chunks[c] = chunk_alloc (n, FALSE);
      else if (zero == NULL)
        {
          frame->chunks[c] = zero = chunk_alloc (n, TRUE);
          summarize_infos (zero->pages, 0, PS_FRAME_BLOCK_PAGES, zero->blocks);
        }
      else
        frame->chunks[c] = chunk_ref (zero);
    }
  return frame;
}

PsFrame *
ps_frame_ref (PsFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  g_atomic_ref_count_inc (&frame->ref_count);
  return frame;
}

void
ps_frame_unref (PsFrame *frame)
{
  g_return_if_fail (frame != NULL);

  if (g_atomic_ref_count_dec (&frame->ref_count))
    {
      for (guint64 c = 0; c < frame->n_chunks; c++)
        chunk_unref (frame->chunks[c]);
      g_free (frame->chunks);
      g_free (frame->chunk_serials);
      g_free (frame->focus_bytes);
      g_free (frame->focus_change_ms);
      g_free (frame);
    }
}

/* The chunks count whole, shared or not, each once in a row of the same:
 * what this frame would cost alone. */
gsize
ps_frame_get_memory (const PsFrame *frame)
{
  gsize total = sizeof *frame + MAX (frame->n_chunks, 1) * (sizeof (PsPageChunk *) + sizeof (guint32)) +
                MAX (frame->focus_length, 1) * (1 + sizeof (guint32));

  for (guint64 c = 0; c < frame->n_chunks; c++)
    if (c == 0 || frame->chunks[c] != frame->chunks[c - 1])
      total += chunk_size (frame->chunks[c]);
  return total;
}

/* malloc's own share of a small allocation (glibc: 16 bytes, rounded up) */
#define MALLOC_OVERHEAD 16

guint64
ps_frame_watch_cost (guint64 n_pages,
                     guint64 n_resident)
{
  guint64 n_chunks = (n_pages + PS_PAGE_CHUNK_PAGES - 1) / PS_PAGE_CHUNK_PAGES;
  guint64 resident = MIN (n_resident, n_pages);
  guint64 dense_chunks = MIN (n_chunks, (resident + PS_PAGE_CHUNK_PAGES - 1) / PS_PAGE_CHUNK_PAGES);
  guint64 dense_chunk = sizeof (PsPageChunk) + PS_FRAME_CHUNK_BLOCKS * sizeof (PsPageBlock) +
                        PS_PAGE_CHUNK_PAGES * sizeof (PsPageInfo) + MALLOC_OVERHEAD;
  guint64 uniform_chunk = sizeof (PsPageChunk) + sizeof (PsPageBlock) + sizeof (PsPageInfo) + MALLOC_OVERHEAD;
  /* three frames (the scanner's last and next, the one on screen) hold a
   * pointer and a serial a chunk each; the scanner keeps a hash entry a chunk (a
   * pointer and a value), 8 bytes a distinct page, a byte per block */
  guint64 per_chunk = 3 * (sizeof (gpointer) + sizeof (guint32)) + 2 * sizeof (guint64) + PS_FRAME_CHUNK_BLOCKS;

  /* the pages that hold data are taken as changing: two copies of their
   * chunks (the frame on screen, the one being made) */
  return n_chunks * per_chunk + (n_chunks - dense_chunks) * uniform_chunk +
         dense_chunks * (2 * dense_chunk + PS_PAGE_CHUNK_PAGES * sizeof (guint64));
}

guint64
ps_frame_file_watch_cost (guint64 size,
                          guint64 allocated,
                          guint64 page_size)
{
  guint64 n_pages = size / page_size + (size % page_size != 0);

  return ps_frame_watch_cost (n_pages, MIN (n_pages, allocated / page_size + (allocated % page_size != 0)));
}

void
ps_frame_count_states (PsFrame *frame)
{
  frame->n_resident = frame->n_absent = frame->n_unknown = frame->n_private_copies = frame->n_dirty = 0;
  for (guint64 c = 0; c < frame->n_chunks; c++)
    {
      const PsPageChunk *chunk = frame->chunks[c];
      guint n = chunk_uniform (chunk) ? 1 : chunk->n_pages;
      guint64 weight = chunk_uniform (chunk) ? chunk->n_pages : 1;

      for (guint i = 0; i < n; i++)
        {
          guint8 state = chunk->pages[i].state;

          frame->n_resident += ((state & PS_PAGE_STATE_MASK) == PS_PAGE_RESIDENT) * weight;
          frame->n_absent += ((state & PS_PAGE_STATE_MASK) == PS_PAGE_ABSENT) * weight;
          frame->n_unknown += ((state & PS_PAGE_STATE_MASK) == PS_PAGE_UNKNOWN) * weight;
          frame->n_private_copies += ((state & PS_PAGE_PRIVATE_COPY) != 0) * weight;
          frame->n_dirty += ((state & PS_PAGE_DIRTY) != 0) * weight;
        }
    }
}

/* The summaries of chunk c's blocks [b0, b1) brought up to date. */
static void
summarize_chunk (PsFrame *frame,
                 guint64  c,
                 guint64  b0,
                 guint64  b1,
                 guint32  serial)
{
  PsPageChunk *chunk = frame->chunks[c];

  if (chunk_uniform (chunk))
    {
      PsPageBlock now;

      summarize_infos (chunk->pages, 0, PS_FRAME_BLOCK_PAGES, &now);
      if (same_summary (&now, chunk->blocks))
        return;
      now.serial = serial;
      set_chunk (frame, c, uniform_chunk (frame, c, chunk->pages, NULL, serial));
      return;
    }
  for (guint64 b = b0; b < b1; b++)
    {
      guint first = (guint) (b % PS_FRAME_CHUNK_BLOCKS) * PS_FRAME_BLOCK_PAGES;
      PsPageBlock now;

      summarize_infos (chunk->pages + first, 1, MIN (PS_FRAME_BLOCK_PAGES, chunk->n_pages - first), &now);
      if (!same_summary (&now, &chunk->blocks[b % PS_FRAME_CHUNK_BLOCKS]))
        {
          chunk = chunk_for_write (frame, c);
          now.serial = serial;
          chunk->blocks[b % PS_FRAME_CHUNK_BLOCKS] = now;
          chunk->serial = frame->chunk_serials[c] = serial;
        }
    }
}

void
ps_frame_summarize (PsFrame *frame,
                    guint64  first,
                    guint64  n)
{
  guint32 serial;
  guint64 b_end;

  g_return_if_fail (frame != NULL);

  frame->blocks_valid = TRUE;
  if (first >= frame->n_pages || n == 0)
    return;
  n = MIN (n, frame->n_pages - first);
  serial = (guint32) frame->serial;
  b_end = (first + n - 1) / PS_FRAME_BLOCK_PAGES + 1;
  for (guint64 b = first / PS_FRAME_BLOCK_PAGES; b < b_end;)
    {
      guint64 c = b / PS_FRAME_CHUNK_BLOCKS;
      guint64 next = MIN (b_end, (c + 1) * PS_FRAME_CHUNK_BLOCKS);

      summarize_chunk (frame, c, b, next, serial);
      b = next;
    }
}

gboolean
ps_frame_focus_has (const PsFrame *frame,
                    guint64        offset)
{
  PsPageState state;
  guint64 page;

  if (offset < frame->focus_offset || offset - frame->focus_offset >= frame->focus_length)
    return FALSE;
  page = offset / frame->geometry.page_size;
  if (page >= frame->n_pages)
    return FALSE;
  state = ps_frame_page_state (frame, page);
  /* an absent shmem page is a hole: its bytes are the zeros it reads as */
  return state != PS_PAGE_PAST_EOF && state != PS_PAGE_PAST_MAPPING;
}

const char *
ps_page_state_to_string (PsPageState state)
{
  switch (state)
    {
    case PS_PAGE_ABSENT: return "absent";
    case PS_PAGE_RESIDENT: return "resident";
    case PS_PAGE_UNKNOWN: return "unknown";
    case PS_PAGE_PAST_EOF: return "past-eof";
    case PS_PAGE_PAST_MAPPING: return "past-mapping";
    default: return "?";
    }
}

const char *
ps_content_class_to_string (PsContentClass content)
{
  switch (content)
    {
    case PS_CONTENT_UNKNOWN: return "unknown";
    case PS_CONTENT_ZERO: return "zero";
    case PS_CONTENT_TEXT: return "text";
    case PS_CONTENT_BINARY: return "binary";
    case PS_CONTENT_ENTROPY: return "entropy";
    default: return "?";
    }
}
