/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which pages are dirty (not yet written back), for the "dirty" colour mode,
 * so msync's effect shows: per page where the kernel tells (as root, a
 * page's frame number from pagemap and its flags from /proc/kpageflags,
 * KPF_DIRTY), else per mapping (smaps' Shared_Dirty + Private_Dirty, given to
 * every page of the mapping that is in memory). Asked only while the mode is
 * shown (ps_scanner_set_dirty_pages): the window on screen every pass, every
 * page when asked for (a write, msync: ps_scanner_wake) and otherwise as
 * often as DIRTY_PAGES_PART of the scanner's share allows (they cost about
 * 3 us a page here: 60 ms for 64 MiB). Reads no page of the mapping: a hole
 * stays a hole.
 *
 * KERNEL-FACTS, "Dirty pages": the bit is the folio's (a write to one page
 * of a 16 KiB folio marks its four pages); pages of tmpfs/shm are always
 * dirty (there is nothing to write them back to); a private copy is
 * anonymous memory and never dirty in kpageflags. */
#define G_LOG_DOMAIN "pagescope-scanner"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "ps-scanner-internal.h"

#define KPF_DIRTY      4
#define PM_PRESENT     (G_GUINT64_CONSTANT (1) << 63)
#define PM_PFN_MASK    ((G_GUINT64_CONSTANT (1) << 55) - 1)
#define BATCH          512
#define KPF_UNAVAILABLE (-2)
/* Every page's dirty bits at most this often, and then only so often that
 * asking them takes no more than DIRTY_PAGES_PART of the scanner's share. */
#define DIRTY_PAGES_INTERVAL_US  G_USEC_PER_SEC
#define DIRTY_PAGES_PART         0.25

/* /proc/kpageflags, opened once; FALSE when it cannot be (not root). */
static gboolean
open_kpageflags (PsScanner *self)
{
  if (self->kpageflags_fd == KPF_UNAVAILABLE)
    return FALSE;
  if (self->kpageflags_fd >= 0)
    return TRUE;
  self->kpageflags_fd = open ("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
  if (self->kpageflags_fd < 0)
    {
      int errsv = errno;

      self->kpageflags_fd = KPF_UNAVAILABLE;
      ps_event_log_add (ps_source_get_log (self->source), FALSE,
                        "open(\"/proc/kpageflags\", O_RDONLY) = -1 %s (%s): dirty pages per mapping (smaps)",
                        ps_errno_name (errsv), g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static gboolean
pread_all (int     fd,
           void   *buf,
           gsize   len,
           goffset at)
{
  for (gsize done = 0; done < len;)
    {
      ssize_t got = pread (fd, (char *) buf + done, len - done, at + (goffset) done);

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        return FALSE;
      done += (gsize) got;
    }
  return TRUE;
}

/* The flags of n frames, one pread per run of consecutive frame numbers
 * (a folio's pages are consecutive: one read for a whole folio). */
static gboolean
read_flags (int            fd,
            const guint64 *pfns,
            guint          n,
            guint64       *flags)
{
  for (guint i = 0; i < n;)
    {
      guint j = i + 1;

      if (pfns[i] == 0)
        {
          flags[i++] = 0;
          continue;
        }
      while (j < n && pfns[j] == pfns[i] + (j - i))
        j++;
      if (!pread_all (fd, flags + i, (j - i) * sizeof (guint64), (goffset) (pfns[i] * sizeof (guint64))))
        return FALSE;
      i = j;
    }
  return TRUE;
}

/* Per page over [from, to); FALSE when the kernel will not say (no frame
 * numbers: not root), and the caller falls back to per mapping. */
static gboolean
mark_per_page (PsScanner *self,
               PsFrame   *frame,
               guint64    from,
               guint64    to)
{
  guint64 entries[BATCH], pfns[BATCH], flags[BATCH];

  if (!open_kpageflags (self))
    return FALSE;
  for (guint64 first = from; first < to; first += BATCH)
    {
      guint n = (guint) MIN (BATCH, to - first);
      gboolean any = FALSE;

      if (!ps_source_read_pagemap (self->source, first, n, entries))
        return FALSE;
      for (guint i = 0; i < n; i++)
        {
          pfns[i] = (entries[i] & PM_PRESENT) ? entries[i] & PM_PFN_MASK : 0;
          /* present with frame number 0: the kernel hides them (no CAP_SYS_ADMIN) */
          if ((entries[i] & PM_PRESENT) && pfns[i] == 0)
            return FALSE;
          any |= pfns[i] != 0;
        }
      if (!any)
        continue;
      if (!read_flags (self->kpageflags_fd, pfns, n, flags))
        return FALSE;
      for (guint i = 0; i < n; i++)
        if (pfns[i] != 0 && (flags[i] >> KPF_DIRTY) & 1)
          ps_frame_page_for_write (frame, first + i)->state |= PS_PAGE_DIRTY;
    }
  return TRUE;
}

static inline gboolean
in_memory (const PsPageInfo *info)
{
  return (info->state & PS_PAGE_STATE_MASK) == PS_PAGE_RESIDENT;
}

/* A page's state with its dirty bit set (in memory only) or cleared. */
static inline guint8
with_dirty (const PsPageInfo *info,
            gboolean          dirty)
{
  return (info->state & ~PS_PAGE_DIRTY) | (dirty && in_memory (info) ? PS_PAGE_DIRTY : 0);
}

/* The dirty bits of pages [from, to): set on the pages in memory when
 * dirty, else cleared. A chunk is copied (and its blocks summarised again)
 * only when one of its pages changes. */
static void
set_dirty_bits (PsScanner *self,
                PsFrame   *frame,
                guint64    from,
                guint64    to,
                gboolean   dirty)
{
  for (guint64 lo = from; lo < to;)
    {
      guint64 base = lo - lo % PS_PAGE_CHUNK_PAGES;
      guint64 hi = MIN (to, base + PS_PAGE_CHUNK_PAGES);
      const PsPageChunk *chunk = frame->chunks[lo / PS_PAGE_CHUNK_PAGES];
      PsPageInfo *rw = NULL;

      /* a chunk of alike pages (holes, mostly) that keeps its bit: one look */
      if (chunk->page_mask == 0 && with_dirty (&chunk->pages[0], dirty) == chunk->pages[0].state)
        {
          lo = hi;
          continue;
        }
      for (guint64 p = lo; p < hi; p++)
        {
          const PsPageInfo *info = rw != NULL ? &rw[p - base] : &chunk->pages[(p - base) & chunk->page_mask];
          guint8 now = with_dirty (info, dirty);

          if (now == info->state)
            continue;
          if (rw == NULL)
            rw = ps_frame_pages_for_write (frame, base, chunk->n_pages);
          rw[p - base].state = now;
        }
      if (rw != NULL)
        ps_scanner_mark_blocks (self, lo, hi);
      lo = hi;
    }
}

static void
mark_per_mapping (PsScanner *self,
                  PsFrame   *frame,
                  guint64    from,
                  guint64    to)
{
  if (self->mapping_dirty)
    set_dirty_bits (self, frame, from, to, TRUE);
}

void
ps_scanner_dirty_mark (PsScanner *self,
                       PsFrame   *frame,
                       guint64    from,
                       guint64    to)
{
  if (!self->dirty_on || to <= from)
    return;
  set_dirty_bits (self, frame, from, to, FALSE);
  if (!self->dirty_per_mapping_only && self->dirty_source != PS_DIRTY_PER_MAPPING)
    {
      if (mark_per_page (self, frame, from, to))
        {
          self->dirty_source = PS_DIRTY_PER_PAGE;
          return;
        }
      /* some pages of the range may be marked: this pass starts again per mapping */
      set_dirty_bits (self, frame, from, to, FALSE);
      self->dirty_full_pending = TRUE;
    }
  self->dirty_source = PS_DIRTY_PER_MAPPING;
  mark_per_mapping (self, frame, from, to);
}

/* At a pass's start: what the UI asked for. Switched on, the pass asks the
 * states of every page (they are asked with their dirty bits), and smaps
 * at once. */
gboolean
ps_scanner_dirty_begin (PsScanner *self)
{
  gboolean on = g_atomic_int_get (&self->dirty_requested);

  if (on != self->dirty_on)
    {
      self->dirty_on = on;
      self->dirty_full_pending = on;
      self->dirty_read_us = 0;
      self->dirty_source = PS_DIRTY_UNKNOWN;
    }
  if (!on)
    return FALSE;
  /* woken (a write, msync) or due: every page this pass */
  if (g_atomic_int_compare_and_exchange (&self->dirty_pages_now, TRUE, FALSE))
    self->dirty_full_pending = TRUE;
  else if (self->dirty_source != PS_DIRTY_PER_MAPPING &&
           g_get_monotonic_time () - self->dirty_pages_us >=
             MAX (DIRTY_PAGES_INTERVAL_US, self->dirty_pages_cost_us / (DIRTY_PAGES_PART * self->share)))
    self->dirty_full_pending = TRUE;
  if (self->dirty_full_pending)
    self->dirty_pages_t0 = ps_scanner_thread_cpu_us ();
  return self->dirty_full_pending;
}

/* After the pass's states and its smaps figures: the verdict per mapping
 * applied to every page when it changed; bits cleared when switched off. */
void
ps_scanner_dirty_finish (PsScanner *self,
                         PsFrame   *frame)
{
  if (!self->dirty_on)
    {
      if (self->dirty_had_bits)
        {
          set_dirty_bits (self, frame, 0, frame->n_pages, FALSE);
          self->dirty_had_bits = FALSE;
        }
      frame->dirty_source = PS_DIRTY_UNKNOWN;
      return;
    }
  self->dirty_had_bits = TRUE;
  if (self->dirty_source == PS_DIRTY_PER_MAPPING)
    {
      gboolean dirty;

      if (self->shared_dirty < 0 || self->private_dirty < 0)
        {
          /* smaps will not say either (a file read with pread: no mapping) */
          frame->dirty_source = PS_DIRTY_UNKNOWN;
          set_dirty_bits (self, frame, 0, frame->n_pages, FALSE);
          return;
        }
      dirty = self->shared_dirty + self->private_dirty > 0;
      self->mapping_dirty = dirty;
      /* every pass (pages come into memory and go) */
      set_dirty_bits (self, frame, 0, frame->n_pages, dirty);
    }
  if (self->dirty_full_pending)
    {
      /* thread CPU time of the pass's states, residency and hashing apart:
       * close enough for pacing, and it errs on the side of asking less */
      self->dirty_pages_cost_us = ps_scanner_thread_cpu_us () - self->dirty_pages_t0;
      self->dirty_pages_us = g_get_monotonic_time ();
    }
  self->dirty_full_pending = FALSE;
  frame->dirty_source = self->dirty_source;
}

void
ps_scanner_dirty_close (PsScanner *self)
{
  if (self->kpageflags_fd >= 0)
    close (self->kpageflags_fd);
  self->kpageflags_fd = -1;
}

/* ---- the switch ---- */

void
ps_scanner_set_dirty_pages (PsScanner *self,
                            gboolean   dirty_pages)
{
  g_return_if_fail (PS_IS_SCANNER (self));

  if (g_atomic_int_get (&self->dirty_requested) == !!dirty_pages)
    return;
  g_atomic_int_set (&self->dirty_requested, !!dirty_pages);
  ps_scanner_wake (self);
}

gboolean
ps_scanner_get_dirty_pages (PsScanner *self)
{
  g_return_val_if_fail (PS_IS_SCANNER (self), FALSE);
  return g_atomic_int_get (&self->dirty_requested);
}

void
ps_scanner_set_dirty_per_mapping_only (PsScanner *self,
                                       gboolean   per_mapping_only)
{
  g_return_if_fail (PS_IS_SCANNER (self));
  self->dirty_per_mapping_only = per_mapping_only;
}
