/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-frame.h"
#include "ps-watch.h"

G_BEGIN_DECLS

/* A recording read back (ps-recorder.h writes it; docs/RECORDING.md is the
 * schema): what the session saw at any time T, for the timeline strip and
 * the replay of the grid, the hex view and the watches.
 *
 * Times are microseconds since the recording started: the span is
 * [0, ps_replay_get_duration]. Opening reads the recording once and keeps
 * an index in memory, so that nothing after it touches the file:
 *   - every page change and page state change, 12 bytes each, and every
 *     max(65,536, n_pages) of them the heat of every page (8 bytes a page):
 *     at most about 20 bytes per change in all;
 *   - the session's events, the watches' values, the recorded bytes (the
 *     recording's cap bounds them).
 * A frame at T is the last such checkpoint before T plus the changes since
 * (at most max(65,536, n_pages) of them): about a millisecond for 262,144
 * pages (bench/pagescope-record-bench: replay_frame_ms), fast enough to
 * follow the mouse.
 *
 * A recording still being written, or cut short by a crash or SIGKILL,
 * opens up to its last committed transaction; ps_replay_is_complete says
 * whether it was stopped cleanly.
 *
 * For the window:
 *   - strip: ps_replay_get_activity for the bars (page changes per bucket
 *     of time), ps_replay_get_n_events / _get_event for the ticks;
 *   - scrub: ps_replay_get_frame (self, T, g_get_monotonic_time ()) gives a
 *     PsFrame the grid draws as it draws a live one: its epoch is chosen so
 *     that the fade, measured against the monotonic clock now, shows the
 *     heat as it was at T (a page that changed 2 s before T is 2 s cold);
 *     keys: ps_replay_next_change / _prev_change step between changes;
 *   - hex view: ps_replay_get_bytes for the rows on screen, which says for
 *     each byte whether it was recorded at T;
 *   - watches: ps_replay_get_watch / _get_watch_value. */

typedef struct
{
  gint64      t_us;
  gboolean    is_error;
  const char *call;      /* "msync", "write", "probe", ...; NULL when not a call */
  const char *text;      /* the log line, as the log showed it */
} PsReplayEvent;

typedef enum
{
  PS_REPLAY_BYTE_UNKNOWN,    /* never recorded up to T */
  PS_REPLAY_BYTE_RECORDED,   /* followed at T: its value then */
  PS_REPLAY_BYTE_STALE,      /* recorded before T, no longer followed at T: its last value known */
} PsReplayByte;

#define PS_TYPE_REPLAY (ps_replay_get_type ())
G_DECLARE_FINAL_TYPE (PsReplay, ps_replay, PS, REPLAY, GObject)

/* Whether path looks like a recording (the SQLite header and Pagescope's
 * application id), reading its first 100 bytes only: for a command line or
 * a file chooser to pick replay over mapping the file. */
gboolean           ps_replay_is_recording      (const char          *path);

/* Opens read-only; refused, with the reason, when the file is not a
 * Pagescope recording or was made by a newer format. */
PsReplay          *ps_replay_open              (const char          *path,
                                                GError             **error);
/* The same in a worker thread (a long recording takes a second or two). */
void               ps_replay_open_async        (const char          *path,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
PsReplay          *ps_replay_open_finish       (GAsyncResult        *result,
                                                GError             **error);

const char        *ps_replay_get_path          (PsReplay            *self);
/* What was recorded: its name as the window's title shows it, and its
 * spec text (file:/path?..., posix:/name) or NULL. */
const char        *ps_replay_get_source_name   (PsReplay            *self);
const char        *ps_replay_get_source_spec   (PsReplay            *self);
/* The mapping when the recording started (object_size: then). */
const PsGeometry  *ps_replay_get_geometry      (PsReplay            *self);
gint64             ps_replay_get_duration      (PsReplay            *self);
gint64             ps_replay_get_start_unix_us (PsReplay            *self);
gboolean           ps_replay_is_complete       (PsReplay            *self);
guint64            ps_replay_get_n_changes     (PsReplay            *self);
/* Bytes the index holds (for the about box and the benchmark). */
gsize              ps_replay_get_memory        (PsReplay            *self);

/* Page changes per bucket: [from, to) cut into n_buckets equal parts. */
void               ps_replay_get_activity      (PsReplay            *self,
                                                gint64               from_us,
                                                gint64               to_us,
                                                guint                n_buckets,
                                                guint32             *changes);
/* The time of the first change after t (or the last before t), to the
 * ms, so that the frame at that time shows it; -1: none. */
gint64             ps_replay_next_change       (PsReplay            *self,
                                                gint64               t_us);
gint64             ps_replay_prev_change       (PsReplay            *self,
                                                gint64               t_us);

/* The session's log lines, oldest first; the first at or after t. */
guint              ps_replay_get_n_events      (PsReplay            *self);
const PsReplayEvent *ps_replay_get_event       (PsReplay            *self,
                                                guint                index);
guint              ps_replay_find_event        (PsReplay            *self,
                                                gint64               t_us);

/* The frame as it was at t (transfer full): per page its state, content,
 * the time of its last change up to t and how many changes up to t; the
 * counts of the last pass before t. No focus window (focus_length 0). */
PsFrame           *ps_replay_get_frame         (PsReplay            *self,
                                                gint64               t_us,
                                                gint64               now_us);

/* The bytes of [offset, offset + len) of the mapping at t, as recorded,
 * and for each byte a PsReplayByte in what (may be NULL). Bytes never
 * recorded are 0. TRUE if any byte is PS_REPLAY_BYTE_RECORDED. */
gboolean           ps_replay_get_bytes         (PsReplay            *self,
                                                gint64               t_us,
                                                guint64              offset,
                                                gsize                len,
                                                guint8              *bytes,
                                                guint8              *what);

/* The watches the recording followed (also those added or removed while
 * it ran), and each one's value at t: the text the watch showed ("?" while
 * its page could not be read), NULL when it did not exist at t or had not
 * been read yet. changed_us (may be NULL): when it took that value. */
guint              ps_replay_get_n_watches     (PsReplay            *self);
const PsWatchSpec *ps_replay_get_watch         (PsReplay            *self,
                                                guint                index);
const char        *ps_replay_get_watch_value   (PsReplay            *self,
                                                guint                index,
                                                gint64               t_us,
                                                gint64              *changed_us);

G_END_DECLS
