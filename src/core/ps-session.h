/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-action-args.h"
#include "ps-event-log.h"
#include "ps-find.h"
#include "ps-mark.h"
#include "ps-probe.h"
#include "ps-scanner.h"
#include "ps-source.h"
#include "ps-watch.h"
#include "ps-writer.h"

G_BEGIN_DECLS

/* A byte range of the mapping; length 0: none (a selection) or to the end. */
typedef struct
{
  guint64 offset;
  guint64 length;
} PsRange;

#define PS_TYPE_RANGE (ps_range_get_type ())
GType ps_range_get_type (void) G_GNUC_CONST;

/* What one write (or undo) did. */
typedef struct
{
  guint64      offset;
  gsize        written;     /* bytes written: all asked for, or those before a SIGBUS */
  gsize        requested;
  guint64      past_eof;    /* of the written, bytes past EOF in the last page: never in the object */
  gboolean     undo;        /* it restored bytes an earlier write replaced */
  gboolean     private_copy;/* MAP_PRIVATE: only this process's copy changed */
  PsSourceKind kind;
} PsWriteReport;

#define PS_TYPE_WRITE_REPORT (ps_write_report_get_type ())
GType ps_write_report_get_type (void) G_GNUC_CONST;

/* How a probe sweep went. */
typedef struct
{
  gboolean write;
  guint64  total;                      /* pages to probe */
  guint64  done;                       /* probed */
  guint    counts[PS_PROBE_OTHER + 1]; /* by PsProbeOutcome */
  gboolean cancelled;
} PsSweepReport;

#define PS_TYPE_SWEEP_REPORT (ps_sweep_report_get_type ())
GType ps_sweep_report_get_type (void) G_GNUC_CONST;

#define PS_TYPE_SESSION (ps_session_get_type ())
G_DECLARE_FINAL_TYPE (PsSession, ps_session, PS, SESSION, GObject)

/* One opened source and everything done to it: its scanner, its writer
 * children, the event log, the undo history, the probe marks and the
 * selection. Every operation the app offers is a method here, so the window,
 * the dialogs, scripting, the headless modes and the tests all act through
 * the same code. GLib only; lives in the main context it was made in (forks
 * happen there, children are reaped there). A refusal returns a GError that
 * names the call and the reason, and is logged.
 *
 * Signals, for whoever shows results (a toast, a dialog), whatever asked:
 *   "wrote"           (PsWriteReport)   a write or an undo
 *   "msync-finished"  (PsMsyncReport)
 *   "probe-finished"  (PsProbeResult)   also the first page of each run of one outcome in a sweep
 *   "sweep-finished"  (PsSweepReport)   also when cancelled
 *   "writers-spawned" (guint n)
 *   "removed"                           IPC_RMID / shm_unlink done */
PsSession  *ps_session_new                (PsEventLog   *log);

PsEventLog *ps_session_get_log            (PsSession    *self);
PsSource   *ps_session_get_source         (PsSession    *self);
PsScanner  *ps_session_get_scanner        (PsSession    *self);
PsWriters  *ps_session_get_writers        (PsSession    *self);
PsFrame    *ps_session_get_frame          (PsSession    *self);
gboolean    ps_session_is_open            (PsSession    *self);

/* Opens (replacing what was open) and starts scanning. */
gboolean    ps_session_open               (PsSession          *self,
                                           const PsSourceSpec *spec,
                                           GError            **error);
gboolean    ps_session_open_demo          (PsSession          *self,
                                           GError            **error);
void        ps_session_set_source         (PsSession          *self,
                                           PsSource           *source);
/* Stops the scanner and the writers, cancels what runs, unmaps. Never waits
 * for long: an msync still running keeps the mapping until it returns. */
void        ps_session_close              (PsSession          *self);

/* ---- view state ---- */
void        ps_session_set_selection      (PsSession          *self,
                                           const PsRange      *range);
/* FALSE when nothing is selected. */
gboolean    ps_session_get_selection      (PsSession          *self,
                                           PsRange            *range);
void        ps_session_set_cursor         (PsSession          *self,
                                           guint64             offset);
guint64     ps_session_get_cursor         (PsSession          *self);
void        ps_session_set_paused         (PsSession          *self,
                                           gboolean            paused);
gboolean    ps_session_get_paused         (PsSession          *self);
/* Whether the scanner finds the dirty pages (ps_scanner_set_dirty_pages):
 * on while the dirty colour mode is shown, also for the next source. */
void        ps_session_set_dirty_pages    (PsSession          *self,
                                           gboolean            dirty_pages);
gboolean    ps_session_get_dirty_pages    (PsSession          *self);
void        ps_session_set_interval       (PsSession          *self,
                                           guint               interval_ms);
guint       ps_session_get_interval       (PsSession          *self);
/* A fixed share of one core for this session's scanner, instead of its
 * share of the process's budget (ps_budget_get_default, the default). */
void        ps_session_set_budget         (PsSession          *self,
                                           double              fraction);
/* The range an action with these options acts on: the options' own, else
 * the selection, else the whole mapping (offset 0, length 0). */
void        ps_session_resolve_range      (PsSession          *self,
                                           const PsRangeArg   *arg,
                                           PsRange            *range);

/* ---- operations ---- */
gboolean    ps_session_write              (PsSession          *self,
                                           guint64             offset,
                                           GBytes             *data,
                                           PsWriteReport      *report,
                                           GError            **error);
gboolean    ps_session_can_undo           (PsSession          *self);
gboolean    ps_session_undo               (PsSession          *self,
                                           PsWriteReport      *report,
                                           GError            **error);

/* msync in a worker thread: MS_SYNC of a large dirty mapping takes seconds. */
void        ps_session_msync_async        (PsSession          *self,
                                           const PsRangeArg   *range,
                                           int                 flags,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean    ps_session_msync_finish       (PsSession          *self,
                                           GAsyncResult       *result,
                                           PsMsyncReport      *report,
                                           GError            **error);
gboolean    ps_session_is_syncing         (PsSession          *self);

gboolean    ps_session_spawn_writers      (PsSession          *self,
                                           const PsSpawnArgs  *args,
                                           GError            **error);
/* pid 0: every writer child. */
gboolean    ps_session_stop_writers       (PsSession          *self,
                                           guint64             pid,
                                           GError            **error);

/* One probe in a child; the main loop never waits for it. */
void        ps_session_probe_async        (PsSession          *self,
                                           guint64             offset,
                                           gboolean            write,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean    ps_session_probe_finish       (PsSession          *self,
                                           GAsyncResult       *result,
                                           PsProbeResult      *probe,
                                           GError            **error);
/* Every page from the one holding EOF to the guard page, by one child at a
 * time that probes thousands of pages (PsProbeBatch); outcomes are painted
 * as they come ("probe-marks"). Cancel with the cancellable or
 * ps_session_cancel_sweep: the child is killed at once; the report says how
 * far it got. */
void        ps_session_sweep_async        (PsSession          *self,
                                           gboolean            write,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean    ps_session_sweep_finish       (PsSession          *self,
                                           GAsyncResult       *result,
                                           PsSweepReport      *report,
                                           GError            **error);
gboolean    ps_session_is_sweeping        (PsSession          *self);
void        ps_session_cancel_sweep       (PsSession          *self);
/* The sweep running now (or the last one): progress and counts. */
void        ps_session_get_sweep_report   (PsSession          *self,
                                           PsSweepReport      *report);
/* PsProbeOutcome + 1 per page (0: not probed); entry n_pages is the guard
 * page. NULL when nothing was probed. */
GBytes     *ps_session_get_probe_marks    (PsSession          *self);
/* The same without a copy (a sweep of 16 GiB has 4 M marks, and a fresh
 * buffer costs a page fault a page): valid until the marks next change. */
const guint8 *ps_session_peek_probe_marks (PsSession          *self,
                                           gsize              *n_pages);

/* ---- find ---- */
/* The pattern in [from, to), in a worker thread: the first match forward,
 * the last backward, or all (at most max_hits). Cancelled by cancellable or
 * by the source going; "find-progress" (0..1, -1 when none runs) tells how
 * far the newest find got, ten times a second at most. */
void        ps_session_find_async         (PsSession           *self,
                                           const PsFindPattern *pattern,
                                           guint64              from,
                                           guint64              to,
                                           gboolean             backward,
                                           gboolean             all,
                                           guint                max_hits,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* hits: the offsets found (none: empty). */
gboolean    ps_session_find_finish        (PsSession           *self,
                                           GAsyncResult        *result,
                                           GArray             **hits,
                                           gboolean            *truncated,
                                           GError             **error);
double      ps_session_get_find_progress  (PsSession           *self);

/* ---- watches ---- */
/* A GListModel of PsWatch, read again at every frame; emptied when the
 * source goes. */
GListModel *ps_session_get_watches        (PsSession          *self);
/* Refused when nothing is open, when the name is taken, or when the value
 * would not lie inside the mapping. */
PsWatch    *ps_session_add_watch          (PsSession          *self,
                                           const PsWatchSpec  *spec,
                                           GError            **error);
gboolean    ps_session_remove_watch       (PsSession          *self,
                                           const char         *name,
                                           GError            **error);
PsWatch    *ps_session_find_watch         (PsSession          *self,
                                           const char         *name);

/* ---- export ---- */
/* The range (its options', else the selection, else the whole mapping) to
 * a new file, in a worker thread; holes of shared memory stay holes
 * (ps_export_range). Finish gives the bytes written, or -1. */
void        ps_session_export_async       (PsSession          *self,
                                           const PsRangeArg   *range,
                                           const char         *path,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gssize      ps_session_export_finish      (PsSession          *self,
                                           GAsyncResult       *result,
                                           GError            **error);

/* ---- marks ---- */
/* A GListModel of PsMark; emptied when the source goes. */
GListModel *ps_session_get_marks          (PsSession          *self);
/* name NULL: "mark N". The colour cycles. Refused when nothing is open, the
 * name is taken or not a name, or the range does not lie in the mapping. */
PsMark     *ps_session_add_mark           (PsSession          *self,
                                           const char         *name,
                                           const PsRange      *range,
                                           GError            **error);
gboolean    ps_session_remove_mark        (PsSession          *self,
                                           const char         *name,
                                           GError            **error);
PsMark     *ps_session_find_mark          (PsSession          *self,
                                           const char         *name);

/* Watches and marks as a small JSON document, and back: imported ones
 * replace those of the same name; nothing changes when one is refused. */
char       *ps_session_export_annotations (PsSession          *self);
gboolean    ps_session_import_annotations (PsSession          *self,
                                           const char         *json,
                                           GError            **error);

/* IPC_RMID / shm_unlink; the mapping stays until the session closes. */
gboolean    ps_session_remove             (PsSession          *self,
                                           GError            **error);

G_END_DECLS
