/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-writer.h"

G_BEGIN_DECLS

/* The string arguments of the app's actions, parsed once for every way in:
 * the window's actions, `gapplication action`, the dialogs and tests. Each
 * parser refuses what it does not understand (nothing is dropped) and says
 * why; none acts. */

/* A byte range of the mapping named by offset= and length= options. */
typedef struct
{
  gboolean given;    /* offset= or length= was given; else: the selection, or all */
  guint64  offset;
  guint64  length;   /* 0: to the end */
} PsRangeArg;

/* "sync" | "async" | "sync,invalidate" | "async,invalidate" [offset=N] [length=N] */
typedef struct
{
  int        flags;
  PsRangeArg range;
} PsMsyncArgs;

gboolean ps_msync_args_parse  (const char  *text,
                               PsMsyncArgs *args,
                               GError     **error);

/* "COUNT PATTERN RATE" [offset=N] [length=N] [count=N] */
typedef struct
{
  guint      n;
  PsPattern  pattern;
  double     rate;
  PsRangeArg range;
  guint64    count;  /* writes per child; 0: until stopped */
} PsSpawnArgs;

gboolean ps_spawn_args_parse  (const char  *text,
                               PsSpawnArgs *args,
                               GError     **error);

/* "" or "all" (*pid = 0), or one writer child's pid. */
gboolean ps_stop_args_parse   (const char  *text,
                               guint64     *pid,
                               GError     **error);

/* "read" (or "") | "write" */
gboolean ps_sweep_args_parse  (const char  *text,
                               gboolean    *write,
                               GError     **error);

/* "100", "250ms", "2s": the scanner's interval, 10 ms to 10 s. */
gboolean ps_interval_parse    (const char  *text,
                               guint       *interval_ms,
                               GError     **error);
/* The intervals offered to choose from (the header bar, the preferences),
 * in ms, ascending. */
const guint *ps_interval_choices    (guint *n_choices);
/* An interval as the user reads it, translated: "10 ms", "2 s", "2.5 s". */
char        *ps_interval_to_display (guint  interval_ms);

/* Where "go to" goes: an offset in hex or decimal (sizes too: 4K), +N or -N
 * from the cursor, "page N", "end" (the last byte), or a name that lookup
 * knows (a mark). The result lies inside the mapping (length bytes). */
typedef gboolean (*PsGotoLookup) (const char *name,
                                  guint64    *offset,
                                  gpointer    user_data);

gboolean ps_goto_parse        (const char   *text,
                               guint64       cursor,
                               guint64       length,
                               guint64       page_size,
                               PsGotoLookup  lookup,
                               gpointer      user_data,
                               guint64      *offset,
                               GError      **error);

G_END_DECLS
