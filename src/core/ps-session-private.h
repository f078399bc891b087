/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of the session share: its fields and its ways of refusing.
 * Only ps-session*.c include this. */
#pragma once

#include "ps-probe-batch.h"
#include "ps-session.h"

G_BEGIN_DECLS

#define MAX_UNDO          100
#define MAX_UNDO_BYTES    (64 * 1024 * 1024)
/* pages a sweep child probes: all of them, as every fork of the app costs a
 * page-table copy and copy-on-write faults after it (KERNEL-FACTS); a page
 * that hangs ends a child, and the next starts after it */
#define SWEEP_BATCH_PAGES G_MAXUINT64
#define MARKS_NOTIFY_MS   100        /* a sweep repaints its marks at most this often */

typedef struct
{
  guint64  offset;
  GBytes  *previous;
} UndoEntry;

typedef struct _ProbeOp ProbeOp;

struct _PsSession
{
  GObject        parent_instance;

  PsEventLog    *log;
  PsSource      *source;
  PsScanner     *scanner;
  PsWriters     *writers;
  GCancellable  *cancellable;       /* cancelled when the source goes */

  /* kept across sources */
  guint          interval_ms;
  double         budget;
  gboolean       paused;
  gboolean       dirty_pages;    /* the scanner finds dirty pages */

  PsRange        selection;
  guint64        cursor;
  GQueue         undo;              /* of UndoEntry, newest first */
  gsize          undo_bytes;

  GList         *probes;            /* of ProbeOp in flight */
  guint8        *marks;
  guint64        n_marks;
  gboolean       marks_dirty;
  guint          marks_timeout;

  GTask         *sweep_task;
  GCancellable  *sweep_cancellable;
  PsSweepReport  sweep;
  guint64        sweep_next;        /* the next page to probe */
  guint64        sweep_last;        /* the last (the guard page) */
  PsGeometry     sweep_geometry;
  PsProbeBatch  *sweep_batch;       /* the child probing now */
  gulong         sweep_cancelled_id;
  guint          sweep_stop;        /* an idle that ends a cancelled sweep */
  PsProbeOutcome sweep_outcome;     /* the last page's */

  guint          syncing;           /* msyncs running in worker threads */
  guint          finding;           /* finds running in worker threads */
  GTask         *find_task;         /* the newest find, for its progress */
  double         find_progress;

  GListStore    *watches;           /* of PsWatch */
  GListStore    *mark_store;        /* of PsMark */
  guint          marks_made;        /* for "mark N" */
};

struct _ProbeOp
{
  PsSession     *session;
  PsProbeChild  *child;
  GTask         *task;              /* the caller's */
  guint          watch_id;
  guint          timeout_id;
  gboolean       timed_out;
};

enum {
  PROP_0,
  PROP_LOG,
  PROP_SOURCE,
  PROP_SCANNER,
  PROP_WRITERS,
  PROP_FRAME,
  PROP_SELECTION,
  PROP_CURSOR,
  PROP_PAUSED,
  PROP_INTERVAL,
  PROP_CAN_UNDO,
  PROP_PROBE_MARKS,
  PROP_SWEEPING,
  PROP_SYNCING,
  PROP_FIND_PROGRESS,
  N_PROPS
};

enum {
  SIGNAL_WROTE,
  SIGNAL_MSYNC_FINISHED,
  SIGNAL_PROBE_FINISHED,
  SIGNAL_SWEEP_FINISHED,
  SIGNAL_WRITERS_SPAWNED,
  SIGNAL_REMOVED,
  N_SIGNALS
};

extern GParamSpec *ps_session_properties[N_PROPS];
extern guint ps_session_signals[N_SIGNALS];

gboolean ps_session_refuse        (PsSession    *self,
                                   GError      **error,
                                   GIOErrorEnum  code,
                                   const char   *action,
                                   const char   *format,
                                   ...) G_GNUC_PRINTF (5, 6);
gboolean ps_session_failed        (PsSession    *self,
                                   GError      **error,
                                   const char   *action,
                                   GError       *local_error);
gboolean ps_session_need_source   (PsSession    *self,
                                   const char   *action,
                                   GError      **error);
GTask   *ps_session_task_new      (PsSession          *self,
                                   const char         *action,
                                   gpointer            source_tag,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
void     ps_session_clear_undo    (PsSession    *self);
void     ps_session_undo_entry_free (UndoEntry  *entry);
void     ps_session_clear_marks   (PsSession    *self);
void     ps_session_cancel_probes (PsSession    *self);
void     ps_session_update_watches (PsSession   *self);

G_END_DECLS
