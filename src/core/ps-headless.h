/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>

#include "ps-find.h"
#include "ps-session.h"

G_BEGIN_DECLS

/* Pagescope without a display: the same PsSession, for scripts and servers.
 * Each returns the process's exit status: 0 done, 1 the source could not be
 * opened (or a watch does not fit it), 130 interrupted where that loses
 * something (a find). SIGINT, SIGTERM and SIGHUP end a run cleanly. */

typedef struct
{
  GPtrArray *watches;      /* of PsWatchSpec * */
  guint      interval_ms;  /* 0: the default */
  guint64    count;        /* stop after this many changes; 0: no limit */
  gint64     duration_us;  /* stop after this long; 0: no limit */
  gboolean   json;         /* JSON Lines rather than text */
  gboolean   log;          /* the system calls, on stderr */
} PsHeadlessWatch;

/* One line per change of a watched value: time, name, offset, old, new. */
int  ps_headless_watch (const PsSourceSpec    *spec,
                        const PsHeadlessWatch *options,
                        FILE                  *out);

/* The offsets where pattern is found (the first, or all of them), one per
 * line as 0x hex. */
int  ps_headless_find  (const PsSourceSpec    *spec,
                        const PsFindPattern   *pattern,
                        gboolean               all,
                        gboolean               log,
                        FILE                  *out);

/* Records what the source does into a new recording (ps-recorder.h) until
 * the duration or a signal; the watches' pages and values are recorded.
 * Prints one line saying what was recorded. 1 also when the file exists or
 * cannot be written. */
typedef struct
{
  GPtrArray *watches;      /* of PsWatchSpec * */
  guint      interval_ms;  /* 0: the default */
  gint64     duration_us;  /* 0: until a signal */
  guint64    cap;          /* bytes of changed ranges */
  gboolean   log;
} PsHeadlessRecord;

int  ps_headless_record (const PsSourceSpec     *spec,
                         const char             *path,
                         const PsHeadlessRecord *options,
                         FILE                   *out);

/* A recording's page changes (time, page, offset, length, hash) or, with
 * watches, its watches' values (time, name, offset, type, value), as CSV
 * with a header line or as JSON Lines. Times in seconds since the
 * recording started. 1 when the recording cannot be read. */
int  ps_headless_export_events (const char *path,
                                gboolean    json,
                                gboolean    watches,
                                FILE       *out);

G_END_DECLS
