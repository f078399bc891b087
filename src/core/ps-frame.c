/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-frame"
#include "config.h"

#include <string.h>

#include "ps-frame.h"

G_DEFINE_BOXED_TYPE (PsFrame, ps_frame, ps_frame_ref, ps_frame_unref)

PsFrame *
ps_frame_new (guint64 n_pages,
              gsize   focus_length)
{
  PsFrame *frame = g_new0 (PsFrame, 1);

  g_atomic_ref_count_init (&frame->ref_count);
  frame->n_pages = n_pages;
  frame->pages = g_new0 (PsPageInfo, MAX (n_pages, 1));
  frame->n_blocks = (n_pages + PS_FRAME_BLOCK_PAGES - 1) / PS_FRAME_BLOCK_PAGES;
  frame->blocks = g_new0 (PsPageBlock, MAX (frame->n_blocks, 1));
  frame->n_chunks = (frame->n_blocks + PS_FRAME_CHUNK_BLOCKS - 1) / PS_FRAME_CHUNK_BLOCKS;
  frame->chunk_serials = g_new0 (guint32, MAX (frame->n_chunks, 1));
  frame->focus_bytes = g_malloc0 (MAX (focus_length, 1));
  frame->focus_change_ms = g_new0 (guint32, MAX (focus_length, 1));
  frame->focus_length = focus_length;
  frame->shared_dirty = frame->private_dirty = -1;
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
      g_free (frame->pages);
      g_free (frame->blocks);
      g_free (frame->chunk_serials);
      g_free (frame->focus_bytes);
      g_free (frame->focus_change_ms);
      g_free (frame);
    }
}

gsize
ps_frame_get_memory (const PsFrame *frame)
{
  return sizeof *frame + MAX (frame->n_pages, 1) * sizeof (PsPageInfo) +
         MAX (frame->n_blocks, 1) * sizeof (PsPageBlock) + MAX (frame->n_chunks, 1) * sizeof (guint32) +
         MAX (frame->focus_length, 1) * (1 + sizeof (guint32));
}

static void
summarize_block (const PsFrame *frame,
                 guint64        block,
                 PsPageBlock   *out)
{
  guint64 first = block * PS_FRAME_BLOCK_PAGES;
  guint n = (guint) MIN (PS_FRAME_BLOCK_PAGES, frame->n_pages - first);

  memset (out, 0, sizeof *out);
  out->n_pages = n;
  for (guint i = 0; i < n; i++)
    {
      const PsPageInfo *info = &frame->pages[first + i];

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

void
ps_frame_summarize (PsFrame *frame,
                    guint64  first,
                    guint64  n)
{
  guint32 serial;

  g_return_if_fail (frame != NULL);

  frame->blocks_valid = TRUE;
  if (first >= frame->n_pages || n == 0)
    return;
  n = MIN (n, frame->n_pages - first);
  serial = (guint32) frame->serial;
  for (guint64 b = first / PS_FRAME_BLOCK_PAGES; b <= (first + n - 1) / PS_FRAME_BLOCK_PAGES; b++)
    {
      PsPageBlock now;

      summarize_block (frame, b, &now);
      if (!same_summary (&now, &frame->blocks[b]))
        {
          now.serial = serial;
          frame->blocks[b] = now;
          frame->chunk_serials[b / PS_FRAME_CHUNK_BLOCKS] = serial;
        }
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
