/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the scanner's files share: its fields, and the pass that
 * ps-scanner-pass.c makes and ps-scanner.c's thread runs. Only
 * ps-scanner*.c include this. */
#pragma once

#include <xxhash.h>
#include <xxh_x86dispatch.h>

#include "ps-budget.h"
#include "ps-scanner-private.h"

G_BEGIN_DECLS

/* Residency is asked in chunks so its buffer stays small for any object. */
#define CHUNK_PAGES        65536
/* Hashes that cannot be a page's: "never hashed" and "past EOF". */
#define HASH_NEVER         G_GUINT64_CONSTANT (0)
#define HASH_PAST_EOF      PS_HASH_PAST_EOF
/* How often Shared_Dirty/Private_Dirty are read: smaps walks every mapping,
 * so at most every DIRTY_INTERVAL_US and within DIRTY_PART of the share. */
#define DIRTY_INTERVAL_US  G_USEC_PER_SEC
#define DIRTY_PART         0.05
#define MIN_SLICE_PAGES    256
/* A pass looks for a stop request this often: 8 MiB, a few ms at most, so
 * closing a window never waits for a pass over a large object. */
#define STOP_CHECK_PAGES   2048
/* How much nicer than the rest of the process the scanner thread is. */
#define SCANNER_NICE       10

/* The hashes of a frame chunk's pages (PS_PAGE_CHUNK_PAGES): an array, or
 * one value when every page has it (a hole, a page never hashed). */
typedef struct
{
  guint64 *hashes;
  guint64  uniform;
} PsHashChunk;

struct _PsScanner
{
  GObject       parent_instance;

  PsSource     *source;
  GMainContext *context;
  GSource      *delivery;       /* in context; woken when a frame is in the mailbox */
  PsFrame      *mailbox;        /* atomic: the newest frame not yet delivered */
  PsFrame      *frame;          /* main context: the newest delivered frame */

  GThread      *thread;
  GMutex        lock;
  GCond         cond;
  gint          stop_requested;  /* written under lock; a pass reads it atomically */
  gboolean      wake_requested;  /* under lock */
  gboolean      paused;          /* under lock */
  guint         interval_ms;     /* under lock */
  double        fixed_share;     /* under lock: > 0 instead of the process budget */
  PsBudget     *budget;          /* the process's: what the passes may take */
  guint64       focus_offset;    /* under lock: what the UI asked for */
  gsize         focus_length;

  /* Owned by whichever thread scans (the worker, or scan_now's caller). */
  guint64       n_pages;
  PsHashChunk  *hash_chunks;     /* (n_pages + PS_PAGE_CHUNK_PAGES - 1) / PS_PAGE_CHUNK_PAGES */
  guint8       *dirty_blocks;    /* per PS_FRAME_BLOCK_PAGES: pages changed, summary not yet */
  guint8       *vec;            /* CHUNK_PAGES residency bytes */
  guint64       cursor;          /* where the next slice starts */
  gint64        epoch_us;
  guint64       serial;
  guint64       total_changes;
  guint64       zero_hash;
  double        bytes_per_us;    /* measured hash throughput */
  PsFrame      *last;            /* the frame published last */
  guint64       cur_focus_offset;
  gsize         cur_focus_length;
  guint8       *focus_bytes;
  guint32      *focus_change_ms;
  guint8       *focus_scratch;
  guint64       focus_scanned;   /* pages of the focus hashed this pass */
  gint64        dirty_read_us;
  gint64        dirty_cost_us;
  gint64        shared_dirty;
  gint64        private_dirty;
  /* dirty pages (ps-scanner-dirty.c) */
  gint          dirty_requested;  /* atomic: the dirty colour mode is shown */
  gint          dirty_read_now;   /* atomic: woken (a write, msync): read smaps at the next pass */
  gboolean      dirty_on;         /* this pass asks them */
  gboolean      dirty_full_pending;   /* this pass asks every page's dirty bit */
  gint          dirty_pages_now;  /* atomic: woken: ask every page at the next pass */
  gint64        dirty_pages_us;   /* when every page was last asked */
  gint64        dirty_pages_cost_us;  /* ...and what the pass cost (thread CPU) */
  gint64        dirty_pages_t0;
  gboolean      dirty_had_bits;   /* the last frame may hold PS_PAGE_DIRTY bits */
  gboolean      dirty_per_mapping_only;   /* tests: as without root */
  gboolean      mapping_dirty;    /* per mapping: smaps had dirty bytes */
  PsDirtySource dirty_source;
  int           kpageflags_fd;    /* -1 not opened, -2 unavailable */
  gint64        cpu_mark_us;
  gint64        wall_mark_us;
  double        cpu_fraction;
  guint         effective_interval_ms;
  double        share;           /* of one core, for this scanner's passes now */

  PsScannerSliceHook slice_hook;   /* tests: after each STOP_CHECK_PAGES of hashing */
  gpointer      slice_hook_data;
  guint64       stopped_pass_pages;   /* pages hashed by the last pass a stop cut short */

  /* Pass funcs (a recorder, a snapshot): called on the scanning thread with
   * each pass's changes. pass_lock is held around the calls, so removing
   * one waits for a call under way. */
  GMutex        pass_lock;
  GArray       *pass_funcs;      /* of PassFunc, under pass_lock */
  guint         last_pass_func_id;
  gint          collect;         /* atomic: pass funcs are attached */
  gboolean      collect_pass;    /* this pass fills changes (collect at its start) */
  GArray       *changes;         /* of PsPageChange, this pass's */
  guint64       before_offset;   /* the part of the window focus_scratch holds the previous bytes of */
  gsize         before_length;
  gboolean      focus_swapped;   /* this pass's scan_focus ran to its end */
  /* Sweeps asked by ps_scanner_add_pass_func_after_sweep: a func waits for
   * the sweep numbered as it was added; a full pass that began with
   * sweep_wanted == n completes sweeps up to n. */
  GCond         pass_cond;       /* with pass_lock: a sweep done, a stop, a cancel */
  guint64       sweep_wanted;    /* under pass_lock */
  guint64       sweep_done;      /* under pass_lock */
  guint64       pass_sweep;      /* scanning thread: what this pass completes if it sweeps whole (0: none) */
  gint          running;         /* atomic: the thread runs (waiters give up when it stops) */
};

typedef struct
{
  guint             id;
  PsScannerPassFunc func;
  gpointer          data;
  GDestroyNotify    destroy;
  guint64           after_sweep;   /* handed passes once sweep_done reaches it (0: at once) */
} PassFunc;

static inline guint64
ps_scanner_hash_page (const guint8 *page,
                      gsize         len)
{
  /* libxxhash's own dispatch picks the widest vector unit at run time; on
   * this machine it beats XXH3 inlined with -O2 (see bench/) */
  return XXH3_64bits_dispatch (page, len);
}

/* A stop request was made (read without the lock, between slices). */
static inline gboolean
ps_scanner_stopping (PsScanner *self)
{
  return g_atomic_int_get (&self->stop_requested);
}

/* The hash chunks freed. */
void     ps_scanner_free_hashes    (PsScanner *self);
/* What they hold, in bytes. */
gsize    ps_scanner_hash_bytes     (PsScanner *self);
/* This thread's CPU time. */
gint64   ps_scanner_thread_cpu_us  (void);
/* One pass: slice_pages outside the focus, the focus whole; NULL if a stop
 * request cut it short. */
PsFrame *ps_scanner_scan_pass      (PsScanner *self,
                                    guint64    slice_pages,
                                    guint64    focus_offset,
                                    gsize      focus_length,
                                    gboolean   paused);
/* A sweep asked and not done yet: the next pass must hash every page.
 * Records what the pass completes (pass_sweep). */
gboolean ps_scanner_begin_pass_sweep (PsScanner *self);
/* The pass's changes to the pass funcs (a recorder, a snapshot); a whole
 * sweep that began after a func was added makes that func ready. */
void     ps_scanner_run_pass_funcs (PsScanner *self,
                                    PsFrame   *frame);
/* Pages [from, to) of the frame may have changed: their blocks are
 * summarised again before the frame is published. */
void     ps_scanner_mark_blocks    (PsScanner *self,
                                    guint64    from,
                                    guint64    to);
/* ps-scanner-dirty.c: TRUE when the pass must ask the states of every page
 * (the dirty mode just switched on). */
gboolean ps_scanner_dirty_begin    (PsScanner *self);
/* PS_PAGE_DIRTY of pages [from, to), whose states were just asked. */
void     ps_scanner_dirty_mark     (PsScanner *self,
                                    PsFrame   *frame,
                                    guint64    from,
                                    guint64    to);
/* After the pass's smaps figures: the frame's dirty_source, and the
 * per-mapping verdict on every page. */
void     ps_scanner_dirty_finish   (PsScanner *self,
                                    PsFrame   *frame);
void     ps_scanner_dirty_close    (PsScanner *self);
/* The frame into the mailbox, the main context woken. */
void     ps_scanner_publish        (PsScanner *self,
                                    PsFrame   *frame);

G_END_DECLS
