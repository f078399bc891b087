/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One pass of the scanner over a source: residency and pagemap in chunks,
 * hashing within the pass's share, the focus window whole, the changes
 * found, the frame made. Runs on the scanner's thread (or scan_now's
 * caller's); never touches a page that is not there. */
#define G_LOG_DOMAIN "pagescope-scanner"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ps-guard.h"
#include "ps-proc.h"
#include "ps-scanner-internal.h"

static inline guint32
now_ms (PsScanner *self)
{
  return (guint32) ((g_get_monotonic_time () - self->epoch_us) / 1000);
}

gint64
ps_scanner_thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Zero, text, binary or high entropy, from a sample of 512 bytes. */
static PsContentClass
classify (const guint8 *page,
          gsize         len,
          gboolean      zero)
{
  guint8 seen[256] = { 0 };
  guint text = 0, distinct = 0, total = 0;
  gsize stride = MAX (len / 8, 64);

  if (zero)
    return PS_CONTENT_ZERO;

  for (gsize start = 0; start < len; start += stride)
    for (gsize i = start; i < MIN (start + 64, len); i++)
      {
        guint8 b = page[i];

        distinct += !seen[b];
        seen[b] = 1;
        text += (b >= 0x20 && b < 0x7f) || b == '\n' || b == '\r' || b == '\t' || b >= 0x80;
        total++;
      }

  /* 512 random bytes show ~221 distinct values; text rarely 70, tables fewer */
  if (distinct >= 160)
    return PS_CONTENT_ENTROPY;
  if (text * 100 >= total * 95)
    return PS_CONTENT_TEXT;
  return PS_CONTENT_BINARY;
}

void
ps_scanner_free_hashes (PsScanner *self)
{
  if (self->hash_chunks == NULL)
    return;
  for (guint64 c = 0; c < (self->n_pages + PS_PAGE_CHUNK_PAGES - 1) / PS_PAGE_CHUNK_PAGES; c++)
    g_free (self->hash_chunks[c].hashes);
  g_clear_pointer (&self->hash_chunks, g_free);
}

gsize
ps_scanner_hash_bytes (PsScanner *self)
{
  guint64 n_chunks = (self->n_pages + PS_PAGE_CHUNK_PAGES - 1) / PS_PAGE_CHUNK_PAGES;
  gsize total = MAX (n_chunks, 1) * sizeof (PsHashChunk);

  for (guint64 c = 0; self->hash_chunks != NULL && c < n_chunks; c++)
    if (self->hash_chunks[c].hashes != NULL)
      total += PS_PAGE_CHUNK_PAGES * sizeof (guint64);
  return total;
}

static void
ensure_arrays (PsScanner *self,
               guint64    n_pages)
{
  if (self->n_pages == n_pages && self->hash_chunks != NULL)
    return;
  ps_scanner_free_hashes (self);
  /* all HASH_NEVER */
  self->hash_chunks = g_new0 (PsHashChunk, MAX ((n_pages + PS_PAGE_CHUNK_PAGES - 1) / PS_PAGE_CHUNK_PAGES, 1));
  g_free (self->dirty_blocks);
  self->dirty_blocks = g_malloc0 (MAX ((n_pages + PS_FRAME_BLOCK_PAGES - 1) / PS_FRAME_BLOCK_PAGES, 1));
  self->n_pages = n_pages;
  self->cursor = 0;
}

void
ps_scanner_mark_blocks (PsScanner *self,
            guint64    from,
            guint64    to)
{
  if (to <= from || self->dirty_blocks == NULL)
    return;
  memset (self->dirty_blocks + from / PS_FRAME_BLOCK_PAGES, 1,
          (to - 1) / PS_FRAME_BLOCK_PAGES - from / PS_FRAME_BLOCK_PAGES + 1);
}

/* Only the blocks a pass touched: a sweep in slices over 16 M pages costs
 * the summaries no more than its slice. A pass cut short keeps its marks
 * for the next one, which starts from its pages. */
static void
summarize_dirty (PsScanner *self,
                 PsFrame   *frame)
{
  for (guint64 b = 0; b < frame->n_blocks; b++)
    if (self->dirty_blocks[b])
      {
        guint64 run = b;

        while (run + 1 < frame->n_blocks && self->dirty_blocks[run + 1])
          run++;
        ps_frame_summarize (frame, b * PS_FRAME_BLOCK_PAGES, (run - b + 1) * PS_FRAME_BLOCK_PAGES);
        /* a chunk whose pages became alike is kept as one value again */
        for (guint64 c = b / PS_FRAME_CHUNK_BLOCKS; c <= run / PS_FRAME_CHUNK_BLOCKS; c++)
          ps_frame_compact_chunk (frame, c);
        memset (self->dirty_blocks + b, 0, run - b + 1);
        b = run;
      }
  frame->blocks_valid = TRUE;
}

static PsFrame *
take_frame (PsScanner *self,
            guint64    n_pages,
            gsize      focus_length)
{
  /* the pages a pass does not change stay shared with the last frame */
  if (self->last != NULL && self->last->n_pages == n_pages)
    return ps_frame_new_sharing (self->last, focus_length);
  ps_scanner_mark_blocks (self, 0, n_pages);
  return ps_frame_new (n_pages, focus_length);
}

void
ps_scanner_publish (PsScanner *self,
                    PsFrame   *frame)
{
  PsFrame *old;

  g_clear_pointer (&self->last, ps_frame_unref);
  self->last = ps_frame_ref (frame);

  if (self->delivery == NULL)
    return;
  old = g_atomic_pointer_exchange (&self->mailbox, ps_frame_ref (frame));
  if (old != NULL)
    ps_frame_unref (old);
  g_source_set_ready_time (self->delivery, 0);
}

static gboolean
any_private_copy (const guint64 *pagemap,
                  guint64        n)
{
  for (guint64 i = 0; i < n; i++)
    if (ps_proc_pagemap_is_private_copy (pagemap[i]))
      return TRUE;
  return FALSE;
}

static const guint8 state_of[] = { PS_PAGE_ABSENT, PS_PAGE_RESIDENT, PS_PAGE_UNKNOWN };

/* A page's state from its residency byte: a page in memory keeps its dirty
 * bit until the dirty pages are asked again. */
static inline guint8
new_state (guint8 old,
           guint8 resident)
{
  return state_of[resident] | (resident != PS_RESIDENT_NO ? old & PS_PAGE_DIRTY : 0);
}

/* The states of pages [lo, hi) of one chunk from their residency bytes;
 * the chunk is copied only if one of them changes, kept whole if all alike. */
static void
set_states (PsFrame      *frame,
            guint64       lo,
            guint64       hi,
            const guint8 *vec)
{
  guint64 c = lo / PS_PAGE_CHUNK_PAGES;
  const PsPageChunk *chunk = frame->chunks[c];
  PsPageInfo *rw = NULL;
  guint64 base = c * PS_PAGE_CHUNK_PAGES;

  /* every byte equal to the next: all alike */
  if (lo == base && hi - lo == PS_PAGE_CHUNK_PAGES && chunk->page_mask == 0 &&
      memcmp (vec, vec + 1, hi - lo - 1) == 0)
    {
      PsPageInfo info = chunk->pages[0];

      /* every page alike, as they were: one value */
      info.state = new_state (info.state, vec[0]);
      ps_frame_fill_chunk (frame, c, &info);
      return;
    }
  for (guint64 p = lo; p < hi; p++)
    {
      /* once copied, the chunk read before is gone: the copy holds the page */
      const PsPageInfo *info = rw != NULL ? &rw[p - base] : &chunk->pages[(p - base) & chunk->page_mask];
      guint8 state = new_state (info->state, vec[p - lo]);

      if (state == info->state)
        continue;
      if (rw == NULL)
        rw = ps_frame_pages_for_write (frame, base, chunk->n_pages);
      rw[p - base].state = state;
    }
}

/* Page states of [from, to), inside EOF: residency in chunks, private
 * copies from pagemap (ps_source_read_pagemap: ours, or a viewed
 * process's). Touches no page. FALSE if a stop request ended it. */
static gboolean
update_states (PsScanner *self,
               PsFrame   *frame,
               guint64    from,
               guint64    to,
               gboolean   dirty)
{
  gboolean private = ps_source_is_private (self->source);
  guint64 pagemap[512];

  ps_scanner_mark_blocks (self, from, to);

  for (guint64 first = from; first < to; first += CHUNK_PAGES)
    {
      guint64 n = MIN (CHUNK_PAGES, to - first);

      if (ps_scanner_stopping (self))
        return FALSE;
      if (!ps_source_query_residency (self->source, first, n, self->vec, NULL))
        memset (self->vec, PS_RESIDENT_UNKNOWN, n);
      for (guint64 lo = first; lo < first + n;)
        {
          guint64 hi = MIN (first + n, (lo / PS_PAGE_CHUNK_PAGES + 1) * PS_PAGE_CHUNK_PAGES);

          set_states (frame, lo, hi, self->vec + (lo - first));
          lo = hi;
        }
    }

  if (private)
    {
      /* in steps of at most G_N_ELEMENTS (pagemap) that never cross a chunk */
      guint64 checked = 0;

      for (guint64 first = from; first < to;)
        {
          guint64 n = MIN (MIN (G_N_ELEMENTS (pagemap), to - first),
                           PS_PAGE_CHUNK_PAGES - first % PS_PAGE_CHUNK_PAGES);
          gboolean got;

          if (checked >= CHUNK_PAGES)
            {
              if (ps_scanner_stopping (self))
                return FALSE;
              checked = 0;
            }
          got = ps_source_read_pagemap (self->source, first, n, pagemap);

          /* a whole chunk or nothing (the reader loops over short reads) */
          if (got && any_private_copy (pagemap, n))
            ps_proc_pagemap_mark_copies (pagemap, (gssize) (n * sizeof (guint64)),
                                         ps_frame_pages_for_write (frame, first, n), n);
          first += n;
          checked += n;
        }
    }
  /* only while the dirty mode is shown, and within its share (ps-scanner-dirty.c) */
  if (dirty)
    ps_scanner_dirty_mark (self, frame, from, to);
  return TRUE;
}

/* Pages [from, to) past EOF, whole chunks as one value. */
static void
set_past_eof (PsFrame *frame,
              guint64  from,
              guint64  to)
{
  for (guint64 p = from; p < to;)
    {
      guint64 c = p / PS_PAGE_CHUNK_PAGES;
      guint64 end = MIN (to, (c + 1) * PS_PAGE_CHUNK_PAGES);

      if (p == c * PS_PAGE_CHUNK_PAGES && end - p == PS_PAGE_CHUNK_PAGES)
        {
          PsPageInfo info = *ps_frame_page (frame, p);

          if (frame->chunks[c]->page_mask == 0)
            {
              info.state = PS_PAGE_PAST_EOF;
              ps_frame_fill_chunk (frame, c, &info);
              p = end;
              continue;
            }
        }
      for (; p < end; p++)
        if (ps_frame_page (frame, p)->state != PS_PAGE_PAST_EOF)
          ps_frame_page_for_write (frame, p)->state = PS_PAGE_PAST_EOF;
    }
}

/* The states this pass needs: of every page when the whole object is hashed
 * or its size changed; else only of the pages it hashes (the focus and the
 * slice), the others keep those of their last sweep. Asking a page cache of
 * 262,144 pages for residency costs about 16 ms, too much to pay ten times a
 * second for pages that are not read. No page is read unless its state was
 * asked in the same pass. */
static gboolean
update_pass_states (PsScanner *self,
                    PsFrame   *frame,
                    guint64    slice_pages,
                    guint64    focus_first,
                    guint64    focus_end,
                    gboolean   all)
{
  const PsGeometry *g = &frame->geometry;
  guint64 inside = MIN (g->n_inside, g->n_pages);
  guint64 from;

  set_past_eof (frame, inside, g->n_pages);
  if (self->last == NULL || !ps_geometry_equal (&self->last->geometry, g))
    ps_scanner_mark_blocks (self, inside, g->n_pages);
  if (all || slice_pages >= g->n_pages || self->last == NULL || !ps_geometry_equal (&self->last->geometry, g))
    {
      if (!update_states (self, frame, 0, inside, all))
        return FALSE;
      if (!all)
        ps_scanner_dirty_mark (self, frame, MIN (focus_first, inside), MIN (focus_end, inside));
      return TRUE;
    }

  /* the window on screen: its dirty pages every pass (64 pages at most) */
  from = self->cursor < g->n_pages ? self->cursor : 0;
  return update_states (self, frame, MIN (focus_first, inside), MIN (focus_end, inside), self->dirty_on) &&
         update_states (self, frame, MIN (from, inside), MIN (from + slice_pages, inside), FALSE);
}

static inline gboolean
page_readable (PsScanner   *self,
               PsPageState  state)
{
  return state == PS_PAGE_RESIDENT || state == PS_PAGE_UNKNOWN;
}

/* The hash a page in a state that is not read has (a hole reads as zeros);
 * FALSE if it has none (a file page not in memory cannot have changed). */
static inline gboolean
unread_hash (PsScanner   *self,
             PsPageState  state,
             gboolean     shmem,
             guint64     *h)
{
  if (state == PS_PAGE_ABSENT && shmem)
    *h = self->zero_hash;
  else if (state == PS_PAGE_PAST_EOF)
    *h = HASH_PAST_EOF;
  else
    return FALSE;
  return TRUE;
}

static inline void
record_change (PsScanner *self,
               guint64    p,
               guint64    old,
               guint64    h)
{
  if (self->collect_pass)
    {
      PsPageChange change = { p, old, h };

      g_array_append_val (self->changes, change);
    }
}

/* A whole uniform chunk of pages that are not read (holes, past EOF) whose
 * hashes are one value: all pages get the same hash, so the chunks stay
 * one value each. FALSE if it is not such a chunk. */
static gboolean
hash_uniform_chunk (PsScanner *self,
                    PsFrame   *frame,
                    guint64    c,
                    guint64    from,
                    guint64    to,
                    guint32    stamp)
{
  const PsPageChunk *chunk = frame->chunks[c];
  PsHashChunk *hc = &self->hash_chunks[c];
  PsPageInfo info = chunk->pages[0];
  PsPageState state = info.state & PS_PAGE_STATE_MASK;
  guint64 h, old;

  if (chunk->page_mask != 0 || page_readable (self, state))
    return FALSE;
  if (!unread_hash (self, state, ps_source_is_shmem (self->source), &h))
    return TRUE;
  if (hc->hashes == NULL && hc->uniform == h)
    {
      frame->n_scanned += to - from;
      return TRUE;
    }
  if (hc->hashes != NULL || from != c * PS_PAGE_CHUNK_PAGES || to - from != PS_PAGE_CHUNK_PAGES)
    return FALSE;

  old = hc->uniform;
  hc->uniform = h;
  frame->n_scanned += to - from;
  info.content = h == HASH_PAST_EOF ? PS_CONTENT_UNKNOWN : PS_CONTENT_ZERO;
  if (old != HASH_NEVER)
    {
      info.last_change_ms = stamp;
      if (info.changes < G_MAXUINT16)
        info.changes++;
      frame->n_changed += to - from;
      for (guint64 p = from; p < to; p++)
        record_change (self, p, old, h);
    }
  ps_frame_fill_chunk (frame, c, &info);
  return TRUE;
}

static inline guint64
hash_at (const PsHashChunk *hc,
         guint              i)
{
  return hc->hashes != NULL ? hc->hashes[i] : hc->uniform;
}

static inline void
hash_set (PsHashChunk *hc,
          guint        i,
          guint64      h)
{
  if (hc->hashes == NULL)
    {
      hc->hashes = g_new (guint64, PS_PAGE_CHUNK_PAGES);
      for (guint j = 0; j < PS_PAGE_CHUNK_PAGES; j++)
        hc->hashes[j] = hc->uniform;
    }
  hc->hashes[i] = h;
}

/* Hashes pages [from, to) of chunk c whose state allows it; records
 * changes. Runs armed against SIGBUS: the caller catches it. */
static void
hash_chunk (PsScanner *self,
            PsFrame   *frame,
            guint64    c,
            guint64    from,
            guint64    to,
            guint32    stamp)
{
  const guint8 *base = ps_source_get_data (self->source);
  gsize page = frame->geometry.page_size;
  gboolean shmem = ps_source_is_shmem (self->source);
  guint64 first = c * PS_PAGE_CHUNK_PAGES;
  PsHashChunk *hc = &self->hash_chunks[c];
  const PsPageInfo *ro = frame->chunks[c]->pages;
  guint mask = frame->chunks[c]->page_mask;
  PsPageInfo *rw = NULL;

  ps_scanner_mark_blocks (self, from, to);
  if (hash_uniform_chunk (self, frame, c, from, to, stamp))
    return;

  for (guint64 p = from; p < to; p++)
    {
      guint i = (guint) (p - first);
      PsPageState state = ro[i & mask].state & PS_PAGE_STATE_MASK;
      guint64 old = hash_at (hc, i);
      PsPageInfo *info;
      guint64 h;

      /* The hardware prefetcher stops at a page boundary: ask for the next
       * page while hashing this one (a prefetch never faults or allocates,
       * but only readable pages are asked for anyway). */
      if (p + 1 < to && page_readable (self, ro[(i + 1) & mask].state & PS_PAGE_STATE_MASK))
        for (gsize line = 0; line < page; line += 64)
          __builtin_prefetch (base + (p + 1) * page + line);

      if (page_readable (self, state))
        h = ps_scanner_hash_page (base + p * page, page);
      else if (!unread_hash (self, state, shmem, &h))
        continue;

      frame->n_scanned++;
      if (h == old)
        continue;
      hash_set (hc, i, h);
      if (rw == NULL)
        {
          rw = ps_frame_pages_for_write (frame, first, frame->chunks[c]->n_pages);
          ro = rw;
          mask = PS_PAGE_CHUNK_PAGES - 1;
        }
      info = &rw[i];

      if (h == HASH_PAST_EOF)
        info->content = PS_CONTENT_UNKNOWN;
      else if (h == self->zero_hash)
        info->content = PS_CONTENT_ZERO;
      else
        info->content = classify (base + p * page, page, FALSE);

      if (old == HASH_NEVER)
        continue;                /* the first sight is the baseline, not a change */
      info->last_change_ms = stamp;
      if (info->changes < G_MAXUINT16)
        info->changes++;
      frame->n_changed++;
      record_change (self, p, old, h);
    }
}

/* Hashes pages [from, to) whose state allows it, a chunk at a time. */
static void
hash_pages (PsScanner *self,
            PsFrame   *frame,
            guint64    from,
            guint64    to,
            guint32    stamp)
{
  ps_scanner_mark_blocks (self, from, to);

  for (guint64 p = from; p < to;)
    {
      guint64 c = p / PS_PAGE_CHUNK_PAGES;
      guint64 end = MIN (to, (c + 1) * PS_PAGE_CHUNK_PAGES);

      hash_chunk (self, frame, c, p, end, stamp);
      p = end;
    }
}

/* hash_pages in steps of STOP_CHECK_PAGES; FALSE if a stop request ended it. */
static gboolean
hash_range (PsScanner *self,
            PsFrame   *frame,
            guint64    from,
            guint64    to,
            guint32    stamp)
{
  for (guint64 lo = from; lo < to; lo += STOP_CHECK_PAGES)
    {
      if (ps_scanner_stopping (self))
        return FALSE;
      /* a process view reads what that process has present into its mirror */
      ps_source_refresh (self->source, lo, MIN (to, lo + STOP_CHECK_PAGES) - lo);
      hash_pages (self, frame, lo, MIN (to, lo + STOP_CHECK_PAGES), stamp);
      if (self->slice_hook != NULL)
        self->slice_hook (self, frame->n_scanned, self->slice_hook_data);
    }
  return TRUE;
}

/* Moves the focus window to what the UI asked for, keeping what overlaps. */
static void
refocus (PsScanner *self,
         guint64    offset,
         gsize      length)
{
  guint8 *bytes;
  guint32 *times;

  if (offset == self->cur_focus_offset && length == self->cur_focus_length && self->focus_bytes != NULL)
    {
      self->before_offset = offset;
      self->before_length = length;
      return;
    }

  bytes = g_malloc0 (MAX (length, 1));
  times = g_new0 (guint32, MAX (length, 1));
  self->before_offset = offset;
  self->before_length = 0;
  if (self->focus_bytes != NULL)
    {
      guint64 lo = MAX (offset, self->cur_focus_offset);
      guint64 hi = MIN (offset + length, self->cur_focus_offset + self->cur_focus_length);

      if (lo < hi)
        {
          self->before_offset = lo;
          self->before_length = hi - lo;
          memcpy (bytes + (lo - offset), self->focus_bytes + (lo - self->cur_focus_offset), hi - lo);
          memcpy (times + (lo - offset), self->focus_change_ms + (lo - self->cur_focus_offset),
                  (hi - lo) * sizeof (guint32));
        }
    }
  g_free (self->focus_bytes);
  g_free (self->focus_change_ms);
  g_free (self->focus_scratch);
  self->focus_bytes = bytes;
  self->focus_change_ms = times;
  self->focus_scratch = g_malloc0 (MAX (length, 1));
  self->cur_focus_offset = offset;
  self->cur_focus_length = length;
}

/* Reads the focus window byte for byte (never a shmem hole, never past EOF)
 * and stamps the bytes that changed. Runs armed against SIGBUS. */
static void
scan_focus (PsScanner *self,
            PsFrame   *frame,
            gboolean   fresh_window,
            guint32    stamp)
{
  const guint8 *base = ps_source_get_data (self->source);
  guint64 page = frame->geometry.page_size;
  guint64 offset = self->cur_focus_offset;
  gsize length = self->cur_focus_length;
  gboolean shmem = ps_source_is_shmem (self->source);
  guint64 covered;
  guint8 *swap;

  for (guint64 p = offset / page; length > 0 && p * page < offset + length && p < frame->n_pages; p++)
    {
      PsPageState state = ps_frame_page_state (frame, p);
      guint64 lo = MAX (offset, p * page) - offset;
      guint64 hi = MIN (offset + length, (p + 1) * page) - offset;
      guint8 *now = self->focus_scratch + lo;

      if (state == PS_PAGE_PAST_EOF || state == PS_PAGE_PAST_MAPPING)
        memset (now, 0, hi - lo);
      else if (state == PS_PAGE_ABSENT && shmem)
        memset (now, 0, hi - lo);
      else
        memcpy (now, base + offset + lo, hi - lo);   /* on screen: a file page may be read */

      if (fresh_window)
        continue;
      for (guint64 i = lo; i < hi; i++)
        if (self->focus_scratch[i] != self->focus_bytes[i])
          self->focus_change_ms[i] = stamp;
    }
  /* Swapped rather than copied: the previous bytes stay in focus_scratch
   * until the next pass, for the pass funcs (PsScanPass.focus_before). */
  covered = MIN ((guint64) length, frame->n_pages * page > offset ? frame->n_pages * page - offset : 0);
  if (covered < length)
    memcpy (self->focus_scratch + covered, self->focus_bytes + covered, length - covered);
  swap = self->focus_bytes;
  self->focus_bytes = self->focus_scratch;
  self->focus_scratch = swap;
  self->focus_swapped = TRUE;
}

/* Shared_Dirty/Private_Dirty come from /proc/self/smaps, which walks the
 * page tables of every mapping (13 ms for 1 GiB resident here): read it at
 * most every DIRTY_INTERVAL_US, and then only so often that it takes no more
 * than DIRTY_PART of the scanner's share. */
static void
read_dirty (PsScanner *self,
            PsFrame   *frame)
{
  gint64 now = g_get_monotonic_time ();

  if (g_atomic_int_compare_and_exchange (&self->dirty_read_now, TRUE, FALSE) ||
      now - self->dirty_read_us >= MAX (DIRTY_INTERVAL_US, self->dirty_cost_us / (DIRTY_PART * self->share)))
    {
      ps_source_read_dirty (self->source, &self->shared_dirty, &self->private_dirty);
      self->dirty_read_us = g_get_monotonic_time ();
      self->dirty_cost_us = self->dirty_read_us - now;
    }
  frame->shared_dirty = self->shared_dirty;
  frame->private_dirty = self->private_dirty;
  frame->dirty_time_us = self->dirty_read_us;
}

typedef enum
{
  PASS_DONE,
  PASS_FAULTED,    /* a SIGBUS ended it: the object shrank under us */
  PASS_STOPPED,    /* ps_scanner_stop asked, between two steps */
} PassEnd;

/* The part of a pass that reads the mapping, armed against SIGBUS: the
 * window on screen every pass, the rest in slices. */
static __attribute__ ((noinline)) PassEnd
hash_pass (PsScanner *self,
           PsFrame   *frame,
           guint64    slice_pages,
           gboolean   fresh_window,
           guint64    focus_first,
           guint64    focus_end,
           guint32    stamp)
{
  guint64 n_pages = frame->n_pages;

  self->focus_scanned = 0;
  if (sigsetjmp (*ps_guard_jmp_buf (), 1) != 0)
    return PASS_FAULTED;
  ps_guard_arm ();

  if (self->cur_focus_length > 0)
    {
      if (!hash_range (self, frame, focus_first, focus_end, stamp))
        goto stopped;
      scan_focus (self, frame, fresh_window, stamp);
    }
  self->focus_scanned = frame->n_scanned;

  if (slice_pages >= n_pages)
    {
      if (!hash_range (self, frame, 0, focus_first, stamp) ||
          !hash_range (self, frame, focus_end, n_pages, stamp))
        goto stopped;
      frame->flags |= PS_FRAME_SWEEP_DONE;
    }
  else
    {
      guint64 todo = slice_pages;

      while (todo > 0)
        {
          guint64 from = self->cursor < n_pages ? self->cursor : 0;
          guint64 to = MIN (n_pages, from + todo);

          if (!hash_range (self, frame, from, to, stamp))
            goto stopped;
          todo -= to - from;
          self->cursor = to;
          if (to == n_pages)
            {
              self->cursor = 0;
              frame->flags |= PS_FRAME_SWEEP_DONE;
              break;
            }
        }
    }
  ps_guard_disarm ();
  return PASS_DONE;

stopped:
  ps_guard_disarm ();
  return PASS_STOPPED;
}

/* A pass cut short by a stop request is not published, but what it found
 * is kept as the last frame, so a scanner started again misses no change. */
static PsFrame *
keep_stopped_pass (PsScanner *self,
                   PsFrame   *frame)
{
  self->stopped_pass_pages = frame->n_scanned;
  self->total_changes += frame->n_changed;
  g_clear_pointer (&self->last, ps_frame_unref);
  self->last = frame;
  return NULL;
}

/* One pass. slice_pages: how many pages outside the focus to hash (G_MAXUINT64: all).
 * NULL if a stop request ended it. */
PsFrame *
ps_scanner_scan_pass (PsScanner *self,
                      guint64    slice_pages,
                      guint64    focus_offset,
                      gsize      focus_length,
                      gboolean   paused)
{
  const PsGeometry *mapped = ps_source_get_geometry (self->source);
  PassEnd end = PASS_DONE;
  PsGeometry g;
  gboolean removed = FALSE;
  gboolean fresh_window;
  PsFrame *frame;
  gint64 t0 = g_get_monotonic_time ();
  gint64 hash_t0;
  guint64 focus_first, focus_end;
  guint64 hashed_before = 0;
  guint32 stamp;
  gboolean all_states;

  if (!ps_source_restat (self->source, &g, &removed, NULL))
    g = self->last ? self->last->geometry : *mapped;

  ensure_arrays (self, g.n_pages);
  /* A slice ends on a chunk's end: a chunk of holes is then hashed whole and
   * its hashes stay one value (a slice ending inside it would spell them out). */
  if (slice_pages < g.n_pages)
    {
      guint64 from = self->cursor < g.n_pages ? self->cursor : 0;

      slice_pages += (PS_PAGE_CHUNK_PAGES - (from + slice_pages) % PS_PAGE_CHUNK_PAGES) % PS_PAGE_CHUNK_PAGES;
    }
  /* the change list exists only while someone listens: it costs nothing otherwise */
  self->collect_pass = g_atomic_int_get (&self->collect);
  self->focus_swapped = FALSE;
  if (!self->collect_pass)
    g_clear_pointer (&self->changes, g_array_unref);
  else if (self->changes == NULL)
    self->changes = g_array_new (FALSE, FALSE, sizeof (PsPageChange));
  else
    g_array_set_size (self->changes, 0);
  fresh_window = focus_offset != self->cur_focus_offset || focus_length != self->cur_focus_length ||
                 self->focus_bytes == NULL;
  refocus (self, focus_offset, focus_length);

  frame = take_frame (self, g.n_pages, focus_length);
  frame->serial = ++self->serial;
  frame->epoch_us = self->epoch_us;
  frame->geometry = g;
  frame->flags = 0;
  frame->n_changed = frame->n_scanned = 0;
  frame->n_resident = frame->n_absent = frame->n_unknown = frame->n_private_copies = frame->n_dirty = 0;
  if (g.object_size < mapped->object_size)
    frame->flags |= PS_FRAME_SHRANK;
  else if (g.object_size > mapped->object_size)
    frame->flags |= PS_FRAME_GREW;
  if (removed)
    frame->flags |= PS_FRAME_REMOVED;
  if (paused)
    frame->flags |= PS_FRAME_PAUSED;

  focus_first = focus_offset / g.page_size;
  focus_end = MIN (g.n_pages, (focus_offset + focus_length + g.page_size - 1) / g.page_size);
  all_states = ps_scanner_dirty_begin (self);
  if (!update_pass_states (self, frame, paused ? G_MAXUINT64 : slice_pages, focus_first, focus_end, all_states))
    return keep_stopped_pass (self, frame);
  stamp = MAX (now_ms (self), 1);
  /* CPU time, not wall: on a busy machine the thread waits for a core, and
   * that costs the budget nothing */
  hash_t0 = ps_scanner_thread_cpu_us ();

  if (!paused)
    {
      end = hash_pass (self, frame, slice_pages, fresh_window, focus_first, focus_end, stamp);
      hashed_before = self->focus_scanned;
    }
  if (end == PASS_STOPPED)
    return keep_stopped_pass (self, frame);

  if (end == PASS_FAULTED)
    {
      PsFault fault = ps_guard_fault ();

      frame->flags |= PS_FRAME_SIGBUS;
      ps_event_log_add (ps_source_get_log (self->source), TRUE,
                        "scanner: SIGBUS (si_code %d) at %p: the object shrank under the mapping; pass ended",
                        fault.code, fault.addr);
      /* the next restat clamps to the new size */
    }

  if (frame->n_scanned > hashed_before)
    {
      gint64 spent = MAX (ps_scanner_thread_cpu_us () - hash_t0, 1);
      double rate = (double) (frame->n_scanned * g.page_size) / spent;

      self->bytes_per_us = self->bytes_per_us > 0 ? 0.7 * self->bytes_per_us + 0.3 * rate : rate;
    }

  read_dirty (self, frame);
  ps_scanner_dirty_finish (self, frame);
  summarize_dirty (self, frame);
  frame->focus_offset = self->cur_focus_offset;
  memcpy (frame->focus_bytes, self->focus_bytes, focus_length);
  memcpy (frame->focus_change_ms, self->focus_change_ms, focus_length * sizeof (guint32));

  ps_frame_count_states (frame);
  self->total_changes += frame->n_changed;
  frame->total_changes = self->total_changes;
  /* a process view learns it while reading: asked after the pass */
  if (ps_source_get_gone_reason (self->source) != NULL)
    frame->flags |= PS_FRAME_GONE;

  frame->time_us = g_get_monotonic_time ();
  frame->pass_us = frame->time_us - t0;
  frame->cpu_fraction = self->cpu_fraction;
  frame->interval_ms = self->effective_interval_ms;
  frame->sweep_ms = self->effective_interval_ms;
  return frame;
}

/* Hands the pass to the pass funcs, on the thread that scanned it, before
 * the frame is published; a pass that began before the first func was added
 * is not handed (its changes were not listed). */
gboolean
ps_scanner_begin_pass_sweep (PsScanner *self)
{
  g_mutex_lock (&self->pass_lock);
  self->pass_sweep = self->sweep_wanted > self->sweep_done ? self->sweep_wanted : 0;
  g_mutex_unlock (&self->pass_lock);
  return self->pass_sweep != 0;
}

void
ps_scanner_run_pass_funcs (PsScanner *self,
                           PsFrame   *frame)
{
  PsScanPass pass = { 0 };

  if (!self->collect_pass)
    {
      /* nobody listens now (a func waiting for this sweep went): the sweep
       * is done all the same, or every pass would be one */
      g_mutex_lock (&self->pass_lock);
      if (self->pass_sweep > self->sweep_done && (frame->flags & PS_FRAME_SWEEP_DONE))
        self->sweep_done = self->pass_sweep;
      g_mutex_unlock (&self->pass_lock);
      return;
    }
  pass.frame = frame;
  pass.changes = (const PsPageChange *) (gpointer) self->changes->data;
  pass.n_changes = self->changes->len;
  if (self->focus_swapped && self->before_length > 0)
    {
      pass.focus_before = self->focus_scratch;
      pass.before_offset = self->before_offset;
      pass.before_length = self->before_length;
    }
  pass.focus_read = self->focus_swapped;
  pass.zero_hash = self->zero_hash;

  g_mutex_lock (&self->pass_lock);
  for (guint i = 0; i < self->pass_funcs->len; i++)
    {
      PassFunc *f = &g_array_index (self->pass_funcs, PassFunc, i);

      /* one waiting for a sweep starts from the hashes it leaves */
      if (f->after_sweep <= self->sweep_done)
        f->func (self, &pass, f->data);
    }
  /* every page hashed in one pass that began after the request: from the
   * next pass on, its funcs see every change against these hashes */
  if (self->pass_sweep > self->sweep_done && (frame->flags & PS_FRAME_SWEEP_DONE) &&
      !(frame->flags & PS_FRAME_SIGBUS))
    {
      self->sweep_done = self->pass_sweep;
      g_cond_broadcast (&self->pass_cond);
    }
  g_mutex_unlock (&self->pass_lock);
}

