/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the replay's files share: its index in memory. ps-replay.c reads a
 * recording into it; ps-replay-at.c answers what was there at a time. */
#pragma once

#include "ps-recorder-private.h"
#include "ps-replay.h"

G_BEGIN_DECLS

#define MIN_CHECKPOINT_STEPS 65536
/* a replayed change's stamp: ms since the recording's start, plus this so
 * that 0 still means "never" */
#define STAMP_OFFSET_MS      1000
/* A recording claiming more pages is refused: a checkpoint keeps 8 bytes a
 * page (1 TiB of 4 KiB pages: 2 GiB each), and a hostile file must not make
 * replay ask for terabytes. */
#define MAX_PAGES            (1 << 28)
#define MIN_PAGE_SIZE        1024
#define MAX_PAGE_SIZE        (1 << 30)

/* A page change or a page state change. */
typedef struct
{
  guint32 t_ms;
  guint32 page;
  guint8  value;     /* content (a change), state (a state change) */
} Step;

/* The heat of every page after the first n_changes changes and n_states
 * state changes, all of them at or before t_ms. */
typedef struct
{
  guint32     t_ms;
  guint       n_changes;
  guint       n_states;
  PsPageInfo *pages;
} Checkpoint;

typedef struct
{
  gint64     t_us;
  PsRecFrame f;
} FrameRow;

typedef struct
{
  gint64   t_us;
  guint64  offset;
  gsize    len;
  guint8  *data;
} BytesRow;

typedef struct
{
  guint64 offset;
  guint64 length;
  gint64  t_start;
  gint64  t_end;     /* G_MAXINT64: to the end */
} Track;

typedef struct
{
  gint64      t_us;
  const char *text;  /* NULL: unreadable at that time ("?") */
} WatchValue;

typedef struct
{
  PsWatchSpec spec;
  gint64      t_added;
  gint64      t_removed;   /* G_MAXINT64: never */
  GArray     *values;      /* of WatchValue, by time */
} ReplayWatch;

struct _PsReplay
{
  GObject       parent_instance;

  char         *path;
  char         *source_name;
  char         *source_spec;
  PsGeometry    geometry;
  gint64        duration_us;
  gint64        start_unix_us;
  gboolean      complete;
  gsize         memory;

  GArray       *changes;       /* of Step, by time */
  GArray       *states;        /* of Step, by time */
  PsPageInfo   *initial;       /* the first keyframe's states and contents */
  GArray       *checkpoints;   /* of Checkpoint, by time */
  GArray       *frames;        /* of FrameRow, by time */
  GArray       *events;        /* of PsReplayEvent, by time */
  GArray       *bytes;         /* of BytesRow, by time */
  GHashTable   *bytes_by_page; /* page -> GArray of guint (indices in bytes) */
  GArray       *tracks;        /* of Track */
  GPtrArray    *watches;       /* of ReplayWatch */
  GStringChunk *strings;
};

/* Steps are kept to the ms (the scanner stamps changes to the ms): a frame
 * asked for at a step's own time shows it. */
static inline guint32
ps_replay_to_ms (gint64 t_us)
{
  return (guint32) MIN (MAX (t_us, 0) / 1000, G_MAXUINT32 - STAMP_OFFSET_MS - 1);
}

static inline void
ps_replay_apply_to_page (PsPageInfo *info,
                         const Step *s)
{
  info->last_change_ms = s->t_ms + STAMP_OFFSET_MS;
  if (info->changes < G_MAXUINT16)
    info->changes++;
  info->content = s->value;
}

static inline void
ps_replay_apply_change (PsPageInfo *pages,
                        guint64     n_pages,
                        const Step *s)
{
  if (s->page < n_pages)
    ps_replay_apply_to_page (&pages[s->page], s);
}

G_END_DECLS
