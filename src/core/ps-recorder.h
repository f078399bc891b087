/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-session.h"

G_BEGIN_DECLS

/* A recording: what a session saw, over time, in one SQLite file
 * (conventionally NAME.pagescope-trace; the schema is docs/RECORDING.md):
 *
 *   - every page change the scanner finds: time, page, new hash, content;
 *   - each pass's state counts (resident, absent, ...) and the pages whose
 *     state changed;
 *   - every line of the session's log (write, msync, probe, fork, ...);
 *   - the bytes that changed in the pages of the session's watches and in
 *     the scanner's focus window (what the hex view shows), as changed byte
 *     ranges against the previous version, after one copy of each range
 *     when it starts being followed; up to a cap on the bytes stored;
 *   - the watches and each new value they read.
 *
 * The caller's thread never writes to the file after ps_recorder_start: the
 * scanner's pass func copies what a pass found into a queue (its cost
 * counts against the scanner's budget), a worker thread writes the queue
 * in one transaction every COMMIT interval (200 ms) or every 50,000 rows.
 * The file is in WAL mode while it is being written: a process killed (even
 * with SIGKILL) leaves it readable up to its last committed transaction, and
 * another process may read it meanwhile (sqlite3 FILE, ps_replay_open). A
 * clean stop leaves one self-contained file (rollback journal mode).
 *
 * If the writer falls behind by more than a million rows, a pass's rows are
 * dropped and counted (PsRecordStats.dropped, meta "dropped_rows") rather
 * than growing memory without bound.
 *
 * Times in the file are microseconds since the recording started
 * (meta start_unix_us and start_monotonic_us say when that was).
 *
 * For the window: start it on the session the window shows; poll
 * ps_recorder_get_stats for a counter (it is cheap); "stopped" says the
 * recorder stopped by itself (the source went, the disk is full), with the
 * reason; stop it with ps_recorder_stop_async so the main loop never waits
 * for the last transaction. */

typedef enum
{
  PS_RECORDER_DEFAULT = 0,
  PS_RECORDER_REPLACE = 1 << 0,   /* an existing file is replaced; else refused */
} PsRecorderFlags;

#define PS_RECORDER_DEFAULT_CAP (G_GUINT64_CONSTANT (64) << 20)

typedef struct
{
  gint64   duration_us;     /* since the start */
  guint64  changes;         /* page changes taken */
  guint64  events;          /* log lines taken */
  guint64  bytes;           /* bytes of recorded ranges taken (against the cap) */
  guint64  rows_written;    /* rows committed to the file */
  guint64  dropped;         /* rows dropped: the writer fell behind */
  gboolean cap_reached;     /* no more bytes are recorded */
} PsRecordStats;

#define PS_TYPE_RECORDER (ps_recorder_get_type ())
G_DECLARE_FINAL_TYPE (PsRecorder, ps_recorder, PS, RECORDER, GObject)

/* Creates path and starts recording what session sees (it must be open).
 * cap_bytes: the most bytes of changed ranges to store (0: none, only page
 * changes, states and events). Refused with a GError naming the call when
 * the file exists (without PS_RECORDER_REPLACE) or cannot be created. */
PsRecorder *ps_recorder_start        (PsSession          *session,
                                      const char         *path,
                                      guint64             cap_bytes,
                                      PsRecorderFlags     flags,
                                      GError            **error);
const char *ps_recorder_get_path     (PsRecorder         *self);
/* The most bytes of changed ranges it stores, as started with. */
guint64     ps_recorder_get_cap      (PsRecorder         *self);
gboolean    ps_recorder_is_recording (PsRecorder         *self);
/* Thread-safe. */
void        ps_recorder_get_stats    (PsRecorder         *self,
                                      PsRecordStats      *stats);

/* Stops: no pass after this is recorded; the queue is written, the file
 * closed. Waits for the last transaction (tens of ms): for headless use and
 * tests; the window uses the async one. Idempotent; FALSE with the writer's
 * error if writing failed at any point. */
gboolean    ps_recorder_stop         (PsRecorder         *self,
                                      GError            **error);
void        ps_recorder_stop_async   (PsRecorder         *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean    ps_recorder_stop_finish  (PsRecorder         *self,
                                      GAsyncResult       *result,
                                      GError            **error);

/* Signal "stopped" (GError *reason, or NULL): the recorder stopped without
 * being asked (the session's source went, or writing failed). */

G_END_DECLS
