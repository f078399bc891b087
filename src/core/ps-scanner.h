/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-frame.h"
#include "ps-source.h"

G_BEGIN_DECLS

#define PS_SCANNER_MIN_INTERVAL_MS   10
#define PS_SCANNER_MAX_INTERVAL_MS   10000
#define PS_SCANNER_FOCUS_MAX_PAGES   64

#define PS_TYPE_SCANNER (ps_scanner_get_type ())
G_DECLARE_FINAL_TYPE (PsScanner, ps_scanner, PS, SCANNER, GObject)

/* The worker that watches a source. Frames are delivered in the main context
 * that was the thread default at ps_scanner_new: the "frame" property changes
 * (notify::frame) there. The thread never calls GTK; the UI never waits on it. */
PsScanner  *ps_scanner_new            (PsSource  *source);
PsSource   *ps_scanner_get_source     (PsScanner *self);

void        ps_scanner_start          (PsScanner *self);
/* Joins the thread at once: a pass under way stops at its next step of a
 * few MiB, whatever the object's size and the interval. */
void        ps_scanner_stop           (PsScanner *self);
gboolean    ps_scanner_is_running     (PsScanner *self);

void        ps_scanner_set_paused     (PsScanner *self,
                                       gboolean   paused);
gboolean    ps_scanner_get_paused     (PsScanner *self);
void        ps_scanner_set_interval   (PsScanner *self,
                                       guint      interval_ms);
guint       ps_scanner_get_interval   (PsScanner *self);
/* A fixed fraction of one core for this scanner's passes, instead of its
 * share of the process's budget (ps_budget_get_default), which it follows
 * by default. For tests and benchmarks. */
void        ps_scanner_set_budget     (PsScanner *self,
                                       double     fraction);
/* The byte range on screen; clamped to PS_SCANNER_FOCUS_MAX_PAGES pages. */
void        ps_scanner_set_focus      (PsScanner *self,
                                       guint64    offset,
                                       gsize      length);
/* Which pages are dirty, in each frame's PS_PAGE_DIRTY and dirty_source:
 * per page where the kernel tells (root: pagemap and /proc/kpageflags),
 * else per mapping (smaps). Costs about a microsecond a page it asks (the
 * pages a pass asks the states of), so it is off unless the dirty colour
 * mode is shown. Thread-safe; the next pass asks every page. */
void        ps_scanner_set_dirty_pages (PsScanner *self,
                                        gboolean   dirty_pages);
gboolean    ps_scanner_get_dirty_pages (PsScanner *self);
/* Ask for a pass now (after a write, say). */
void        ps_scanner_wake           (PsScanner *self);

/* The newest frame delivered to the main context (transfer none), or NULL. */
PsFrame    *ps_scanner_get_frame      (PsScanner *self);

/* One full pass in the calling thread (every page, no budget), for tests and
 * the benchmark. Not while the thread runs. Returns the frame (transfer full). */
PsFrame    *ps_scanner_scan_now       (PsScanner *self);

/* ---- pass funcs: every change, for whoever must not miss one ----
 *
 * Frames reach the main context through a mailbox that keeps only the
 * newest, so a busy main loop skips some; a recorder or a snapshot must
 * see every change, so they listen on the scanning thread instead.
 *
 * PsPageChange: one page a pass found changed, with the hash it had before
 * and the one it has now (XXH3 of the page; PS_HASH_PAST_EOF for a page
 * wholly past EOF; a hole of shared memory hashes as a page of zeros,
 * PsScanPass.zero_hash). A page's first sight is its baseline, not a change.
 *
 * PsScanPass: one pass, handed over before its frame is published.
 *   frame          the pass's frame (read only; ref it to keep it)
 *   changes        the pages it found changed, in the order it hashed them
 *                  (the focus window first), n_changes == frame->n_changed
 *   focus_before   the focus window's bytes as they were before this pass,
 *                  laid out as frame->focus_bytes (index: offset -
 *                  frame->focus_offset), valid over [before_offset,
 *                  before_offset + before_length): the whole window, or
 *                  where a window that moved overlapped the one before;
 *                  NULL when there is none (first pass, SIGBUS, paused).
 *                  These are the only bytes the scanner holds the old
 *                  version of: elsewhere it keeps a hash per page.
 *   focus_read     this pass read the window (frame->focus_bytes are the
 *                  mapping's); FALSE when paused or cut short by SIGBUS,
 *                  where a window that just moved holds zeros not yet read.
 *
 * A pass func runs on the scanning thread (or scan_now's caller) and its
 * cost counts against the scanner's budget: it must be quick (copy what it
 * needs into a queue) and may call no GTK and take no lock its adder holds
 * while removing it. The pointers live only for the call.
 *
 * Cost: while at least one func is attached, the scanner keeps the pass's
 * change list, 24 bytes per page found changed in one pass (the list's
 * room is that of the busiest pass, at most 24 bytes per page of the
 * mapping); with none attached, nothing. */
#define PS_HASH_PAST_EOF  G_GUINT64_CONSTANT (1)

typedef struct
{
  guint64 page;
  guint64 old_hash;
  guint64 new_hash;
} PsPageChange;

typedef struct
{
  PsFrame            *frame;
  const PsPageChange *changes;
  guint               n_changes;
  const guint8       *focus_before;
  guint64             before_offset;
  gsize               before_length;
  gboolean            focus_read;
  guint64             zero_hash;
} PsScanPass;

typedef void (*PsScannerPassFunc) (PsScanner        *scanner,
                                   const PsScanPass *pass,
                                   gpointer          data);

/* Thread-safe; the first pass handed over is the first that begins after
 * this. Returns an id for ps_scanner_remove_pass_func. */
guint       ps_scanner_add_pass_func    (PsScanner         *self,
                                         PsScannerPassFunc  func,
                                         gpointer           data,
                                         GDestroyNotify     destroy);
/* The same, but func is handed only the passes after a full sweep (every
 * page hashed, in one pass) that begins after this call: the scanner makes
 * that sweep at its next pass, whatever its budget or pause. A listener
 * that compares with "now" (a freeze) starts from hashes taken after it
 * asked, so no write made after the call is missed: a write made during
 * the pass under way, which that pass may already have hashed, is in the
 * sweep's hashes or found changed by the passes after it. */
guint       ps_scanner_add_pass_func_after_sweep (PsScanner         *self,
                                                  PsScannerPassFunc  func,
                                                  gpointer           data,
                                                  GDestroyNotify     destroy);
/* Blocks until the func's sweep is done (TRUE; at once for any other
 * func), or the scanner stopped or cancellable was cancelled (FALSE).
 * Not from a pass func nor the main thread of a running UI (run it in a
 * worker thread). A scanner whose thread is not running makes no sweep:
 * call ps_scanner_scan_now. */
gboolean    ps_scanner_wait_pass_func   (PsScanner         *self,
                                         guint              id,
                                         GCancellable      *cancellable);
/* Whether the func's sweep is done (any other func: TRUE). */
gboolean    ps_scanner_pass_func_ready  (PsScanner         *self,
                                         guint              id);
/* Waits for a call under way, then func is never called again and destroy
 * (data) runs. Not from a pass func. */
void        ps_scanner_remove_pass_func (PsScanner         *self,
                                         guint              id);

/* Memory the scanner holds per page, without frames (for the benchmark). */
gsize       ps_scanner_get_state_bytes (PsScanner *self);

G_END_DECLS
