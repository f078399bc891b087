/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

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
      g_free (frame->focus_bytes);
      g_free (frame->focus_change_ms);
      g_free (frame);
    }
}

gsize
ps_frame_get_memory (const PsFrame *frame)
{
  return sizeof *frame + MAX (frame->n_pages, 1) * sizeof (PsPageInfo) +
         MAX (frame->focus_length, 1) * (1 + sizeof (guint32));
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
