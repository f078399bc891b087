/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-session.h"

G_BEGIN_DECLS

/* What a session's mapping was, to compare it with what it is: the pages
 * that differ, and old and new bytes side by side.
 *
 * Two kinds:
 *
 *  - Frozen (ps_snapshot_freeze): "the mapping as a sweep of every page
 *    read it, a sweep begun after the freeze was asked". Taking one copies
 *    nothing: the scanner hashes every resident page once (it keeps a hash
 *    per page anyway) and the snapshot keeps none of them. From the
 *    next pass on, the scanner hands the snapshot every change (its pass
 *    func); the first change of a page after the freeze records the hash it
 *    had then, and its old bytes where they are still to be had: copy on
 *    first change. Memory grows with the pages that changed, never with the
 *    object: about 40 bytes a changed page, plus the old bytes kept.
 *
 *    Which old bytes can be kept: the scanner keeps a hash per page, not
 *    its bytes (docs/KERNEL-FACTS.md: per-page hashing runs at read speed
 *    and costs 0.2 % of the object; a copy doubles memory). Another process
 *    writing a page leaves no older version anywhere. So a page's old bytes
 *    are known when
 *      - they were zeros (a hole, or a page of zeros): nothing to keep;
 *      - the page lay in the scanner's focus window (what the hex view
 *        shows) when it first changed: the scanner hands over the window's
 *        bytes from before the pass (PsScanPass.focus_before) and the
 *        snapshot keeps the part of that page;
 *    and otherwise the snapshot knows the page changed, and when, but not
 *    what it held (ps_snapshot_get_old_bytes says which bytes it knows).
 *    The freeze waits for its sweep because the scanner's hashes lag: a
 *    pass under way when the freeze is asked may have hashed a page before
 *    a write that follows the freeze, and its slices leave other pages
 *    hashed seconds ago. A write made once the freeze returned is never
 *    missed; one made while it waits may count as before it.
 *
 *  - Against a file (ps_snapshot_compare_file): the old side is any file
 *    of the mapping's size (a saved snapshot, the file behind a private
 *    mapping, yesterday's copy), read from disk when asked. Comparing reads
 *    the mapping and the file once, in a worker thread, and keeps a hash per
 *    page of the file (8 bytes a page); then the scanner's changes keep it
 *    current.
 *
 * Both follow the session's scanner while its source stays open ("live");
 * "changed" is emitted in the main context, at most once a pass, when the
 * set of pages that differ may have changed. Old bytes, new bytes: the new
 * ones are read from the mapping when asked (never a hole: zeros). */

typedef enum
{
  PS_SNAPSHOT_FROZEN,
  PS_SNAPSHOT_FILE,
} PsSnapshotKind;

/* Per byte, from ps_snapshot_diff_range. */
typedef enum
{
  PS_DIFF_OLD_KNOWN = 1 << 0,   /* old holds the byte as it was */
  PS_DIFF_CHANGED   = 1 << 1,   /* it differs (or its page changed and the old byte is not known) */
} PsDiffFlags;

#define PS_TYPE_SNAPSHOT (ps_snapshot_get_type ())
G_DECLARE_FINAL_TYPE (PsSnapshot, ps_snapshot, PS, SNAPSHOT, GObject)

/* Refused when nothing is open. The snapshot is the mapping as a sweep
 * of every page read it, a sweep the scanner begins after the call (so a
 * write made during the pass under way is not missed): the sync one waits
 * for it (or makes it, when the scanner's thread does not run: tests,
 * scripts); the async one waits in a worker thread, and fails when the
 * scanner stops first. */
PsSnapshot    *ps_snapshot_freeze             (PsSession           *session,
                                               GError             **error);
void           ps_snapshot_freeze_async       (PsSession           *session,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PsSnapshot    *ps_snapshot_freeze_finish      (GAsyncResult        *result,
                                               GError             **error);
/* The file must be as long as the mapping's bytes inside EOF; refused
 * otherwise, naming both sizes. The sync one is for tests and scripts. */
PsSnapshot    *ps_snapshot_compare_file       (PsSession           *session,
                                               const char          *path,
                                               GCancellable        *cancellable,
                                               GError             **error);
void           ps_snapshot_compare_file_async (PsSession           *session,
                                               const char          *path,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PsSnapshot    *ps_snapshot_compare_file_finish (GAsyncResult       *result,
                                                GError            **error);

PsSnapshotKind ps_snapshot_get_kind           (PsSnapshot          *self);
/* The file compared against (PS_SNAPSHOT_FILE), else NULL. */
const char    *ps_snapshot_get_file           (PsSnapshot          *self);
/* Monotonic µs of the freeze or of the comparison. */
gint64         ps_snapshot_get_time           (PsSnapshot          *self);
/* Following the session's scanner still (FALSE once its source went). */
gboolean       ps_snapshot_is_live            (PsSnapshot          *self);

/* The pages that differ now, ascending (transfer full). */
GArray        *ps_snapshot_get_changed_pages  (PsSnapshot          *self);
guint64        ps_snapshot_get_n_changed      (PsSnapshot          *self);
gboolean       ps_snapshot_page_changed       (PsSnapshot          *self,
                                               guint64              page);

/* The bytes of [offset, offset + len) as they were, as far as known:
 * known (may be NULL) gets 1 for each byte known, 0 for the others (0 in
 * old). TRUE if every byte is known. Thread-safe. */
gboolean       ps_snapshot_get_old_bytes      (PsSnapshot          *self,
                                               guint64              offset,
                                               gsize                len,
                                               guint8              *old,
                                               guint8              *known);
/* Old and new bytes of a range side by side (a row of the hex view), with
 * PsDiffFlags per byte. TRUE if any byte is PS_DIFF_CHANGED. */
gboolean       ps_snapshot_diff_range         (PsSnapshot          *self,
                                               guint64              offset,
                                               gsize                len,
                                               guint8              *old,
                                               guint8              *new,
                                               guint8              *flags);
/* The offsets of the rows (row_size bytes each, from the page's start) of
 * a page that changed, for "only the rows that changed": those with a byte
 * known to differ. Bytes whose old value was not kept make no row (which
 * of them changed is not known): ps_snapshot_get_unknown_bytes counts
 * them, for a notice in their place. Empty for a page that did not
 * change. */
GArray        *ps_snapshot_get_changed_rows   (PsSnapshot          *self,
                                               guint64              page,
                                               gsize                row_size);
/* Of a page that changed since a freeze, the bytes whose old value was not
 * kept (it was off the focus window when it first changed, and not all
 * zeros); 0 for a page that did not change, or against a file. */
gsize          ps_snapshot_get_unknown_bytes  (PsSnapshot          *self,
                                               guint64              page);
gsize          ps_snapshot_get_page_size      (PsSnapshot          *self);

/* Bytes the snapshot holds: its table and the old bytes kept (a frozen
 * one), or the file's page hashes (against a file). */
gsize          ps_snapshot_get_memory         (PsSnapshot          *self);

/* Writes the mapping as it was to a new file of the mapping's size (an
 * existing one is refused): pages that did not change as they are now,
 * changed pages as they were. Pages whose old bytes are not all known are
 * left as holes (zeros) and counted in n_unknown; so are holes of shared
 * memory (the file stays sparse). Reads the whole mapping: the async one
 * runs in a worker thread. */
gboolean       ps_snapshot_save               (PsSnapshot          *self,
                                               const char          *path,
                                               guint64             *n_unknown,
                                               GCancellable        *cancellable,
                                               GError             **error);
void           ps_snapshot_save_async         (PsSnapshot          *self,
                                               const char          *path,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       ps_snapshot_save_finish        (PsSnapshot          *self,
                                               GAsyncResult        *result,
                                               guint64             *n_unknown,
                                               GError             **error);

G_END_DECLS
