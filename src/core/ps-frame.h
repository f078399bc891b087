/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-source.h"

G_BEGIN_DECLS

/* A page's state in a frame. */
typedef enum
{
  PS_PAGE_ABSENT,        /* shmem: not allocated (a hole, reads as zeros); file: not in the page cache */
  PS_PAGE_RESIDENT,
  PS_PAGE_UNKNOWN,       /* the kernel will not say (a file we neither own nor may write) */
  PS_PAGE_PAST_EOF,
  PS_PAGE_PAST_MAPPING,
} PsPageState;

typedef enum
{
  PS_CONTENT_UNKNOWN,    /* never read */
  PS_CONTENT_ZERO,
  PS_CONTENT_TEXT,
  PS_CONTENT_BINARY,
  PS_CONTENT_ENTROPY,    /* high entropy: compressed, encrypted, random */
} PsContentClass;

#define PS_PAGE_STATE_MASK     0x07
#define PS_PAGE_PRIVATE_COPY   0x08   /* MAP_PRIVATE: this page is our own copy (COW done) */
#define PS_PAGE_DIRTY          0x10   /* not yet written back (PsFrame.dirty_source says how known) */

/* How a frame knows which pages are dirty (ps-scanner-dirty.c). */
typedef enum
{
  PS_DIRTY_UNKNOWN,      /* not asked (the dirty colour mode is not shown) or the kernel will not say */
  PS_DIRTY_PER_PAGE,     /* each page: pagemap's frame number and /proc/kpageflags (root) */
  PS_DIRTY_PER_MAPPING,  /* smaps' Shared_Dirty + Private_Dirty of the whole mapping, given to
                          * every page of it that is in memory */
} PsDirtySource;

/* 8 bytes per page. */
typedef struct
{
  guint32 last_change_ms;   /* ms since the scanner's epoch; 0 = never changed */
  guint16 changes;          /* saturates at G_MAXUINT16 */
  guint8  state;            /* PsPageState | PS_PAGE_PRIVATE_COPY | PS_PAGE_DIRTY */
  guint8  content;          /* PsContentClass */
} PsPageInfo;

/* Pages a block summarises: a view that shows a run of pages in one cell
 * adds up blocks instead of reading every page. */
#define PS_FRAME_BLOCK_PAGES 64

/* Blocks a chunk holds: a chunk's serial is the newest of its blocks', so
 * a view finds the blocks a pass changed without looking at every block. */
#define PS_FRAME_CHUNK_BLOCKS 8

/* Pages a PsPageChunk holds. */
#define PS_PAGE_CHUNK_PAGES (PS_FRAME_BLOCK_PAGES * PS_FRAME_CHUNK_BLOCKS)

/* A summary of the pages of one block (the last block may hold fewer). */
typedef struct
{
  guint32 last_change_ms;   /* the latest change of one of its pages; 0 = never */
  guint32 serial;           /* the pass that last changed this summary (PsFrame.serial, low 32 bits) */
  guint16 max_changes;      /* the most changes of one of its pages */
  guint8  n_state[5];       /* its pages by PsPageState */
  guint8  n_content[5];     /* ...by PsContentClass */
  guint8  n_private;        /* ...that are private copies */
  guint8  n_dirty;          /* ...that are dirty */
  guint8  n_pages;
} PsPageBlock;

/* The states of PS_PAGE_CHUNK_PAGES pages (the last chunk may hold fewer)
 * and the summaries of their blocks. Immutable once a published frame holds
 * it; consecutive frames share the chunks a pass did not change. A uniform
 * chunk (every page alike: a hole, a sparse file's absent pages) keeps one
 * page and one block, so a 1 TiB sparse file costs a few MiB, not 4 GiB.
 * Read it through ps_frame_page() and ps_frame_block(). */
typedef struct
{
  gatomicrefcount ref_count;
  guint16       n_pages;
  guint16       page_mask;        /* PS_PAGE_CHUNK_PAGES - 1, or 0 when uniform */
  guint32       serial;           /* the newest PsPageBlock.serial of its blocks */
  guint8        block_mask;       /* PS_FRAME_CHUNK_BLOCKS - 1, or 0 when uniform */
  PsPageBlock  *blocks;
  PsPageInfo   *pages;
} PsPageChunk;

typedef enum
{
  PS_FRAME_SHRANK    = 1 << 0,   /* the object is smaller than when mapped */
  PS_FRAME_GREW      = 1 << 1,
  PS_FRAME_REMOVED   = 1 << 2,   /* SysV SHM_DEST, unlinked POSIX segment or file */
  PS_FRAME_SIGBUS    = 1 << 3,   /* this pass hit SIGBUS and ended early */
  PS_FRAME_PAUSED    = 1 << 4,
  PS_FRAME_SWEEP_DONE = 1 << 5,  /* this pass finished a sweep of every page */
  PS_FRAME_BUDGET_LIMITED = 1 << 6,  /* the budget stretched the interval or slices the sweep */
  PS_FRAME_GONE      = 1 << 7,   /* a process view: that process exited or its mapping went away;
                                  * the bytes and states are the last ones read */
} PsFrameFlags;

/* The immutable result of one scanner pass. Read its fields directly. */
typedef struct
{
  /*< private >*/
  gatomicrefcount ref_count;

  /*< public >*/
  guint64       serial;
  gint64        epoch_us;        /* monotonic time of the scanner's epoch */
  gint64        time_us;         /* monotonic time the pass ended */
  gint64        pass_us;         /* how long the pass took */
  guint         interval_ms;     /* the interval now (stretched by the budget) */
  guint         sweep_ms;        /* how long a sweep of every page takes now: interval_ms,
                                  * or more when the budget has it done in slices */
  double        cpu_fraction;    /* the scanner thread's CPU use, 0..1 of one core */
  PsFrameFlags  flags;
  PsGeometry    geometry;        /* after this pass's restat */

  guint64       n_pages;         /* pages of the mapping (+0: the guard is not a page here) */
  guint64       n_blocks;        /* (n_pages + PS_FRAME_BLOCK_PAGES - 1) / PS_FRAME_BLOCK_PAGES */
  gboolean      blocks_valid;    /* the blocks summarise the pages (ps_frame_summarize) */
  guint64       n_chunks;        /* (n_pages + PS_PAGE_CHUNK_PAGES - 1) / PS_PAGE_CHUNK_PAGES */
  PsPageChunk **chunks;          /* read through ps_frame_page(), ps_frame_block() */
  guint32      *chunk_serials;   /* each chunk's serial, side by side: a view skips the
                                  * chunks no pass changed without touching them */

  guint64       n_resident;
  guint64       n_absent;
  guint64       n_unknown;
  guint64       n_private_copies;
  guint64       n_changed;       /* pages found changed by this pass */
  guint64       n_scanned;       /* pages hashed by this pass */
  guint64       total_changes;   /* since the scanner started */
  gint64        shared_dirty;    /* bytes (smaps), -1 unknown */
  gint64        private_dirty;
  gint64        dirty_time_us;   /* when they were read (smaps is costly: not every pass) */
  PsDirtySource dirty_source;    /* how the pages' PS_PAGE_DIRTY was found */
  guint64       n_dirty;         /* pages marked PS_PAGE_DIRTY */

  /* The focus window: byte-exact copy of [focus_offset, +focus_length) and,
   * per byte, when it last changed (ms since epoch, 0 = never). */
  guint64       focus_offset;
  gsize         focus_length;
  guint8       *focus_bytes;
  guint32      *focus_change_ms;
} PsFrame;

GType     ps_frame_get_type   (void) G_GNUC_CONST;
#define PS_TYPE_FRAME (ps_frame_get_type ())

PsFrame  *ps_frame_new        (guint64  n_pages,
                               gsize    focus_length);
PsFrame  *ps_frame_ref        (PsFrame *frame);
void      ps_frame_unref      (PsFrame *frame);
gsize     ps_frame_get_memory (const PsFrame *frame);

/* Page i's state (i < n_pages). */
static inline const PsPageInfo *
ps_frame_page (const PsFrame *frame,
               guint64        i)
{
  const PsPageChunk *c = frame->chunks[i / PS_PAGE_CHUNK_PAGES];

  return &c->pages[(i % PS_PAGE_CHUNK_PAGES) & c->page_mask];
}

/* A run of pages inside one chunk, for a loop over many: page first + i is
 * run[i & *mask] for i < *n, *n cut at the chunk's end. */
static inline const PsPageInfo *
ps_frame_pages (const PsFrame *frame,
                guint64        first,
                guint64       *n,
                guint         *mask)
{
  const PsPageChunk *c = frame->chunks[first / PS_PAGE_CHUNK_PAGES];
  guint64 in_chunk = first % PS_PAGE_CHUNK_PAGES;

  *n = MIN (*n, PS_PAGE_CHUNK_PAGES - in_chunk);
  *mask = c->page_mask;
  return c->page_mask != 0 ? c->pages + in_chunk : c->pages;
}

/* The summary of block b, pages [b * PS_FRAME_BLOCK_PAGES, +n_pages). */
static inline const PsPageBlock *
ps_frame_block (const PsFrame *frame,
                guint64        b)
{
  const PsPageChunk *c = frame->chunks[b / PS_FRAME_CHUNK_BLOCKS];

  return &c->blocks[(b % PS_FRAME_CHUNK_BLOCKS) & c->block_mask];
}

/* The newest serial of the blocks of chunk c (PS_FRAME_CHUNK_BLOCKS blocks). */
static inline guint32
ps_frame_chunk_serial (const PsFrame *frame,
                       guint64        c)
{
  return frame->chunk_serials[c];
}

static inline PsPageState
ps_frame_page_state (const PsFrame *frame,
                     guint64        page)
{
  return (PsPageState) (ps_frame_page (frame, page)->state & PS_PAGE_STATE_MASK);
}

/* For the frame's producer, before it is published: page i, writable. Copies
 * its chunk first when another frame shares it or it is uniform. */
PsPageInfo *ps_frame_page_for_write (PsFrame *frame,
                                     guint64  i);
/* The same for a run inside one chunk: pages [i, i + n) with
 * n <= PS_PAGE_CHUNK_PAGES - i % PS_PAGE_CHUNK_PAGES. */
PsPageInfo *ps_frame_pages_for_write (PsFrame *frame,
                                      guint64  i,
                                      guint64  n);
/* Sets every page of chunk c to *info, kept as one value when the chunk is whole. */
void        ps_frame_fill_chunk      (PsFrame          *frame,
                                      guint64           c,
                                      const PsPageInfo *info);
/* Stores pages [first, first + n) from an array, uniform chunks kept as one value. */
void        ps_frame_set_pages       (PsFrame          *frame,
                                      guint64           first,
                                      const PsPageInfo *pages,
                                      guint64           n);
/* A frame whose pages are last's, its chunks shared (copy on write). */
PsFrame    *ps_frame_new_sharing     (const PsFrame *last,
                                      gsize          focus_length);
/* A frame's pages replaced by last's (the same number), chunks shared. */
void        ps_frame_share_pages     (PsFrame       *frame,
                                      const PsFrame *last);
/* Chunk c of a frame being made again as one value if all its pages became alike. */
void        ps_frame_compact_chunk   (PsFrame *frame,
                                      guint64  c);

/* n_resident, n_absent, n_unknown and n_private_copies from the pages. */
void        ps_frame_count_states    (PsFrame *frame);

/* What watching n_pages pages costs the app's memory, estimated before
 * opening: the frames (shared chunks), the scanner's hashes and summaries.
 * n_resident: pages expected to hold data (distinct states and hashes);
 * the others are taken as a sparse object's alike pages. */
guint64     ps_frame_watch_cost      (guint64 n_pages,
                                      guint64 n_resident);
/* The same for a file of size bytes, allocated of them on disk (st_blocks *
 * 512): a sparse file's holes cost next to nothing, its data in full. */
guint64     ps_frame_file_watch_cost (guint64 size,
                                      guint64 allocated,
                                      guint64 page_size);

/* From this estimate on, the app says what watching will cost before it opens. */
#define PS_WATCH_WARN_BYTES ((guint64) 256 << 20)

/* Brings the summaries of the blocks that hold pages [first, first + n) up
 * to date with the pages; a block whose summary changes is stamped with the
 * frame's serial, and so is its chunk. The scanner summarises what each pass changed; a frame
 * made by hand is summarised whole before a view adds up its blocks. */
void      ps_frame_summarize  (PsFrame *frame,
                               guint64  first,
                               guint64  n);

/* Does the focus window hold this byte (and was its page readable)? */
gboolean  ps_frame_focus_has  (const PsFrame *frame,
                               guint64        offset);

const char *ps_page_state_to_string    (PsPageState    state);
const char *ps_content_class_to_string (PsContentClass content);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsFrame, ps_frame_unref)

G_END_DECLS
