/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A recording read back: read once into an index in memory (steps,
 * checkpoints of the heat, events, bytes, watches), then every question
 * about a time T is answered from the index. */
#define G_LOG_DOMAIN "pagescope-replay"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>   /* PRIu64 in translatable strings: xgettext knows it, not G_GUINT64_FORMAT */
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "ps-recorder-private.h"
#include "ps-replay-private.h"

G_DEFINE_FINAL_TYPE (PsReplay, ps_replay, G_TYPE_OBJECT)

/* ---- reading the file --------------------------------------------------------- */

typedef struct
{
  sqlite3    *db;
  const char *path;
} Reader;

static gboolean
fail (Reader     *r,
      int         rc,
      const char *what,
      GError    **error)
{
  g_autofree char *call = g_strdup_printf ("%s: %s", r->path, what);

  if ((rc & 0xff) == SQLITE_NOTADB)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: not a Pagescope recording (not an SQLite database)"), r->path);
      return FALSE;
    }
  return ps_sqlite_fail (r->db, rc, call, error);
}

/* Runs sql and calls row for each row; FALSE with an error if it failed. */
static gboolean
each_row (Reader      *r,
          const char  *sql,
          void       (*row) (sqlite3_stmt *stmt, gpointer data),
          gpointer     data,
          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (r->db, sql, -1, &stmt, NULL);

  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row (stmt, data);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_OK)
    return TRUE;
  return fail (r, rc, sql, error);
}

static void
read_int (sqlite3_stmt *stmt,
          gpointer      data)
{
  *(gint64 *) data = sqlite3_column_int64 (stmt, 0);
}

static gboolean
pragma_int (Reader      *r,
            const char  *sql,
            gint64      *value,
            GError     **error)
{
  *value = 0;
  return each_row (r, sql, read_int, value, error);
}

static sqlite3 *
open_db (const char  *path,
         int          flags,
         int         *rc)
{
  sqlite3 *db = NULL;

  *rc = sqlite3_open_v2 (path, &db, flags, NULL);
  if (*rc != SQLITE_OK)
    {
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 2000);
  return db;
}

/* Read-only; a file a killed recorder left with its write-ahead log needs
 * that log folded back in first, which takes write access to the file's
 * directory: tried only then. Nothing recorded changes either way. */
static gboolean
open_and_check (Reader      *r,
                GError     **error)
{
  gint64 app_id = 0, version = 0;
  GError *local_error = NULL;
  int rc;

  if (g_access (r->path, R_OK) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "open(%s): %s", r->path, g_strerror (errsv));
      return FALSE;
    }
  r->db = open_db (r->path, SQLITE_OPEN_READONLY, &rc);
  if (r->db == NULL ||
      (!pragma_int (r, "PRAGMA application_id", &app_id, &local_error) &&
       !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA)))
    {
      g_clear_error (&local_error);
      sqlite3_close (r->db);
      r->db = open_db (r->path, SQLITE_OPEN_READWRITE, &rc);
      if (r->db == NULL)
        return ps_sqlite_fail (NULL, rc, r->path, error);
      if (!pragma_int (r, "PRAGMA application_id", &app_id, error))
        return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (app_id != PS_RECORDING_APP_ID)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: not a Pagescope recording"), r->path);
      return FALSE;
    }
  if (!pragma_int (r, "PRAGMA user_version", &version, error))
    return FALSE;
  if (version > PS_RECORDING_FORMAT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: made by a newer Pagescope (recording format %d; this one reads up to %d)"),
                   r->path, (int) version, PS_RECORDING_FORMAT);
      return FALSE;
    }
  return TRUE;
}

gboolean
ps_replay_is_recording (const char *path)
{
  guint8 header[100];
  gssize got = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  got = pread (fd, header, sizeof header, 0);
  close (fd);
  /* "SQLite format 3\0", then the application id, big endian, at 68 */
  return got == sizeof header && memcmp (header, "SQLite format 3", 16) == 0 &&
         GUINT32_FROM_BE (*(guint32 *) (gpointer) (header + 68)) == PS_RECORDING_APP_ID;
}

sqlite3 *
ps_recording_open (const char  *path,
                   GError     **error)
{
  Reader r = { NULL, path };

  if (open_and_check (&r, error))
    return r.db;
  sqlite3_close (r.db);
  return NULL;
}

/* ---- meta ----------------------------------------------------------------------- */

static void
read_meta_row (sqlite3_stmt *stmt,
               gpointer      data)
{
  /* the recorder's meta has a key on every row; a file made elsewhere need not */
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return;
  g_hash_table_insert (data, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                       g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
}

static gint64
meta_int (GHashTable *meta,
          const char *key,
          gint64      fallback)
{
  const char *text = g_hash_table_lookup (meta, key);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : fallback;
}

static gboolean
read_meta (PsReplay  *self,
           Reader    *r,
           GError   **error)
{
  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gint64 page_size;

  if (!each_row (r, "SELECT key, value FROM meta", read_meta_row, meta, error))
    return FALSE;
  page_size = meta_int (meta, "page_size", 0);
  /* a power of two as sysconf gives it (4 KiB to 64 KiB here); 1 would let
   * a row of bytes near 2^64 wrap the loops over its pages */
  if (page_size < MIN_PAGE_SIZE || page_size > MAX_PAGE_SIZE || (page_size & (page_size - 1)) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: the recording has no valid page size"), r->path);
      return FALSE;
    }
  self->source_name = g_strdup (g_hash_table_lookup (meta, "source_name"));
  self->source_spec = g_strdup (g_hash_table_lookup (meta, "source"));
  ps_geometry_init (&self->geometry, meta_int (meta, "object_size", 0), meta_int (meta, "mapping_offset", 0),
                    meta_int (meta, "mapping_length", 0), page_size);
  if (self->geometry.n_pages > MAX_PAGES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: the recording claims %" PRIu64 " pages; replay holds at most %d"),
                   r->path, self->geometry.n_pages, MAX_PAGES);
      return FALSE;
    }
  self->start_unix_us = meta_int (meta, "start_unix_us", 0);
  self->complete = g_hash_table_contains (meta, "end_us");
  self->duration_us = meta_int (meta, "end_us", 0);
  return TRUE;
}

/* ---- steps ------------------------------------------------------------------------ */

static void
read_step (sqlite3_stmt *stmt,
           gpointer      data)
{
  Step step;

  step.t_ms = ps_replay_to_ms (sqlite3_column_int64 (stmt, 0));
  step.page = (guint32) sqlite3_column_int64 (stmt, 1);
  step.value = (guint8) sqlite3_column_int (stmt, 2);
  g_array_append_val ((GArray *) data, step);
}

static int
step_cmp (gconstpointer a,
          gconstpointer b)
{
  const Step *x = a, *y = b;

  return (x->t_ms > y->t_ms) - (x->t_ms < y->t_ms);
}

/* Rows are written in time order; a recording edited by hand may not be:
 * then a stable sort (qsort with the position as the tie-break would do,
 * but the order of equal times does not matter to the heat). */
static void
ensure_sorted (GArray *steps)
{
  for (guint i = 1; i < steps->len; i++)
    if (g_array_index (steps, Step, i).t_ms < g_array_index (steps, Step, i - 1).t_ms)
      {
        g_array_sort (steps, step_cmp);
        return;
      }
}

static void
read_keyframe (sqlite3_stmt *stmt,
               gpointer      data)
{
  PsReplay *self = data;
  const guint8 *blob = sqlite3_column_blob (stmt, 1);
  gint64 n = sqlite3_column_int64 (stmt, 0);

  if (self->initial != NULL || blob == NULL || n <= 0 || n > MAX_PAGES || sqlite3_column_bytes (stmt, 1) != 2 * n)
    return;
  /* the mapping's pages, as the scanner counted them */
  self->geometry.n_pages = n;
  self->initial = g_new0 (PsPageInfo, n);
  for (gint64 p = 0; p < n; p++)
    {
      self->initial[p].state = blob[2 * p];
      self->initial[p].content = blob[2 * p + 1];
    }
}

static void
add_checkpoint (PsReplay         *self,
                const PsPageInfo *pages,
                guint32           t_ms,
                guint             n_changes,
                guint             n_states)
{
  Checkpoint c = { t_ms, n_changes, n_states, g_memdup2 (pages, self->geometry.n_pages * sizeof (PsPageInfo)) };

  g_array_append_val (self->checkpoints, c);
  self->memory += self->geometry.n_pages * sizeof (PsPageInfo);
}

/* Walks every step once, in time order, and keeps the heat every
 * max(MIN_CHECKPOINT_STEPS, n_pages) steps: a frame never applies more. */
static void
build_checkpoints (PsReplay *self)
{
  guint64 n_pages = self->geometry.n_pages;
  guint every = MAX (MIN_CHECKPOINT_STEPS, n_pages);
  g_autofree PsPageInfo *pages = g_new0 (PsPageInfo, MAX (n_pages, 1));
  guint ci = 0, si = 0, since = 0;
  guint32 t = 0;

  if (self->initial != NULL)
    memcpy (pages, self->initial, n_pages * sizeof (PsPageInfo));
  add_checkpoint (self, pages, 0, 0, 0);
  while (ci < self->changes->len || si < self->states->len)
    {
      const Step *c = ci < self->changes->len ? &g_array_index (self->changes, Step, ci) : NULL;
      const Step *s = si < self->states->len ? &g_array_index (self->states, Step, si) : NULL;

      if (s == NULL || (c != NULL && c->t_ms <= s->t_ms))
        {
          ps_replay_apply_change (pages, n_pages, c);
          t = c->t_ms;
          ci++;
        }
      else
        {
          if (s->page < n_pages)
            pages[s->page].state = s->value;
          t = s->t_ms;
          si++;
        }
      if (++since == every)
        {
          add_checkpoint (self, pages, t, ci, si);
          since = 0;
        }
    }
}

/* ---- frames, events, bytes, tracks, watches ------------------------------------------- */

static void
read_frame (sqlite3_stmt *stmt,
            gpointer      data)
{
  FrameRow row;

  row.t_us = sqlite3_column_int64 (stmt, 0);
  row.f.serial = sqlite3_column_int64 (stmt, 1);
  row.f.n_pages = sqlite3_column_int64 (stmt, 2);
  row.f.n_resident = sqlite3_column_int64 (stmt, 3);
  row.f.n_absent = sqlite3_column_int64 (stmt, 4);
  row.f.n_unknown = sqlite3_column_int64 (stmt, 5);
  row.f.n_private_copies = sqlite3_column_int64 (stmt, 6);
  row.f.n_changed = sqlite3_column_int64 (stmt, 7);
  row.f.n_scanned = sqlite3_column_int64 (stmt, 8);
  row.f.total_changes = sqlite3_column_int64 (stmt, 9);
  row.f.object_size = sqlite3_column_int64 (stmt, 10);
  row.f.flags = sqlite3_column_int (stmt, 11);
  row.f.pass_us = sqlite3_column_int64 (stmt, 12);
  row.f.interval_ms = sqlite3_column_int (stmt, 13);
  g_array_append_val ((GArray *) data, row);
}

static void
read_event (sqlite3_stmt *stmt,
            gpointer      data)
{
  PsReplay *self = data;
  PsReplayEvent event;
  const char *call = (const char *) sqlite3_column_text (stmt, 2);
  const char *text = (const char *) sqlite3_column_text (stmt, 3);

  event.t_us = sqlite3_column_int64 (stmt, 0);
  event.is_error = sqlite3_column_int (stmt, 1) != 0;
  event.call = call != NULL ? g_string_chunk_insert_const (self->strings, call) : NULL;
  event.text = g_string_chunk_insert (self->strings, text != NULL ? text : "");
  g_array_append_val (self->events, event);
}

static void
read_bytes (sqlite3_stmt *stmt,
            gpointer      data)
{
  PsReplay *self = data;
  BytesRow row;
  guint64 page_size = self->geometry.page_size;
  guint64 first, last;
  guint index = self->bytes->len;

  row.t_us = sqlite3_column_int64 (stmt, 0);
  row.offset = sqlite3_column_int64 (stmt, 1);
  row.len = sqlite3_column_bytes (stmt, 2);
  if (row.len == 0)
    return;
  row.data = g_memdup2 (sqlite3_column_blob (stmt, 2), row.len);
  g_array_append_val (self->bytes, row);
  self->memory += row.len + sizeof row;

  first = row.offset / page_size;
  last = (row.offset + row.len - 1) / page_size;
  for (guint64 p = first; p <= last; p++)
    {
      GArray *list = g_hash_table_lookup (self->bytes_by_page, &p);

      if (list == NULL)
        {
          list = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (self->bytes_by_page, g_memdup2 (&p, sizeof p), list);
        }
      g_array_append_val (list, index);
    }
}

static void
read_track (sqlite3_stmt *stmt,
            gpointer      data)
{
  Track track;

  track.offset = sqlite3_column_int64 (stmt, 0);
  track.length = sqlite3_column_int64 (stmt, 1);
  track.t_start = sqlite3_column_int64 (stmt, 2);
  track.t_end = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? G_MAXINT64 : sqlite3_column_int64 (stmt, 3);
  g_array_append_val ((GArray *) data, track);
}

static void
replay_watch_free (ReplayWatch *w)
{
  ps_watch_spec_clear (&w->spec);
  g_array_unref (w->values);
  g_free (w);
}

static void
read_watch (sqlite3_stmt *stmt,
            gpointer      data)
{
  PsReplay *self = data;
  g_autofree char *text = g_strdup_printf ("%s:%s@%" G_GINT64_FORMAT, (const char *) sqlite3_column_text (stmt, 0),
                                           (const char *) sqlite3_column_text (stmt, 2),
                                           (gint64) sqlite3_column_int64 (stmt, 1));
  ReplayWatch *w = g_new0 (ReplayWatch, 1);

  if (!ps_watch_spec_parse (text, &w->spec, NULL))
    {
      g_free (w);
      return;
    }
  w->t_added = sqlite3_column_int64 (stmt, 3);
  w->t_removed = sqlite3_column_type (stmt, 4) == SQLITE_NULL ? G_MAXINT64 : sqlite3_column_int64 (stmt, 4);
  w->values = g_array_new (FALSE, FALSE, sizeof (WatchValue));
  g_ptr_array_add (self->watches, w);
}

/* A value belongs to the watch of that name that existed at its time. */
static void
read_watch_value (sqlite3_stmt *stmt,
                  gpointer      data)
{
  PsReplay *self = data;
  const char *name = (const char *) sqlite3_column_text (stmt, 1);
  const char *text = (const char *) sqlite3_column_text (stmt, 2);
  WatchValue value = { sqlite3_column_int64 (stmt, 0), NULL };

  if (text != NULL && strcmp (text, "?") != 0)
    value.text = g_string_chunk_insert_const (self->strings, text);
  for (guint i = self->watches->len; i > 0; i--)
    {
      ReplayWatch *w = g_ptr_array_index (self->watches, i - 1);

      if (g_strcmp0 (w->spec.name, name) == 0 && w->t_added <= value.t_us)
        {
          g_array_append_val (w->values, value);
          return;
        }
    }
}

/* A recording cut short says nothing of its end: its last row does. */
static void
find_duration (PsReplay *self)
{
  gint64 end = self->duration_us;

  if (self->frames->len > 0)
    end = MAX (end, g_array_index (self->frames, FrameRow, self->frames->len - 1).t_us);
  if (self->changes->len > 0)
    end = MAX (end, (gint64) g_array_index (self->changes, Step, self->changes->len - 1).t_ms * 1000);
  if (self->events->len > 0)
    end = MAX (end, g_array_index (self->events, PsReplayEvent, self->events->len - 1).t_us);
  self->duration_us = end;
}

static gboolean
read_all (PsReplay  *self,
          Reader    *r,
          GError   **error)
{
  if (!read_meta (self, r, error) ||
      !each_row (r, "SELECT n_pages, pages FROM keyframes ORDER BY rowid", read_keyframe, self, error) ||
      !each_row (r, "SELECT t, page, content FROM changes ORDER BY rowid", read_step, self->changes, error) ||
      !each_row (r, "SELECT t, page, state FROM page_states ORDER BY rowid", read_step, self->states, error) ||
      !each_row (r, "SELECT * FROM frames ORDER BY rowid", read_frame, self->frames, error) ||
      !each_row (r, "SELECT t, error, call, text FROM events ORDER BY t, rowid", read_event, self, error) ||
      !each_row (r, "SELECT t, offset, data FROM bytes ORDER BY rowid", read_bytes, self, error) ||
      !each_row (r, "SELECT offset, length, t_start, t_end FROM tracked ORDER BY id", read_track, self->tracks, error) ||
      !each_row (r, "SELECT name, offset, type, t_added, t_removed FROM watches ORDER BY rowid", read_watch, self, error) ||
      !each_row (r, "SELECT t, name, value FROM watch_values ORDER BY rowid", read_watch_value, self, error))
    return FALSE;
  ensure_sorted (self->changes);
  ensure_sorted (self->states);
  self->memory += (self->changes->len + self->states->len) * sizeof (Step) + self->frames->len * sizeof (FrameRow) +
                  self->events->len * sizeof (PsReplayEvent);
  build_checkpoints (self);
  find_duration (self);
  return TRUE;
}

PsReplay *
ps_replay_open (const char  *path,
                GError     **error)
{
  g_autoptr(PsReplay) self = NULL;
  Reader r = { NULL, path };
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (PS_TYPE_REPLAY, NULL);
  self->path = g_strdup (path);
  ok = open_and_check (&r, error) && read_all (self, &r, error);
  sqlite3_close (r.db);
  return ok ? g_steal_pointer (&self) : NULL;
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  PsReplay *replay = ps_replay_open (task_data, &error);

  if (replay == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, replay, g_object_unref);
}

void
ps_replay_open_async (const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ps_replay_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_in_thread);
}

PsReplay *
ps_replay_open_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- accessors ------------------------------------------------------------------------ */

const char *
ps_replay_get_path (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), NULL);
  return self->path;
}

const char *
ps_replay_get_source_name (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), NULL);
  return self->source_name;
}

const char *
ps_replay_get_source_spec (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), NULL);
  return self->source_spec;
}

const PsGeometry *
ps_replay_get_geometry (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), NULL);
  return &self->geometry;
}

gint64
ps_replay_get_duration (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), 0);
  return self->duration_us;
}

gint64
ps_replay_get_start_unix_us (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), 0);
  return self->start_unix_us;
}

gboolean
ps_replay_is_complete (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), FALSE);
  return self->complete;
}

guint64
ps_replay_get_n_changes (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), 0);
  return self->changes->len;
}

gsize
ps_replay_get_memory (PsReplay *self)
{
  g_return_val_if_fail (PS_IS_REPLAY (self), 0);
  return sizeof *self + self->memory;
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
ps_replay_finalize (GObject *object)
{
  PsReplay *self = PS_REPLAY (object);

  for (guint i = 0; i < self->checkpoints->len; i++)
    g_free (g_array_index (self->checkpoints, Checkpoint, i).pages);
  for (guint i = 0; i < self->bytes->len; i++)
    g_free (g_array_index (self->bytes, BytesRow, i).data);
  g_array_unref (self->checkpoints);
  g_array_unref (self->bytes);
  g_array_unref (self->changes);
  g_array_unref (self->states);
  g_array_unref (self->frames);
  g_array_unref (self->events);
  g_array_unref (self->tracks);
  g_hash_table_unref (self->bytes_by_page);
  g_ptr_array_unref (self->watches);
  g_string_chunk_free (self->strings);
  g_free (self->initial);
  g_free (self->path);
  g_free (self->source_name);
  g_free (self->source_spec);
  G_OBJECT_CLASS (ps_replay_parent_class)->finalize (object);
}

static void
ps_replay_class_init (PsReplayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_replay_finalize;
}

static void
ps_replay_init (PsReplay *self)
{
  self->changes = g_array_new (FALSE, FALSE, sizeof (Step));
  self->states = g_array_new (FALSE, FALSE, sizeof (Step));
  self->checkpoints = g_array_new (FALSE, FALSE, sizeof (Checkpoint));
  self->frames = g_array_new (FALSE, FALSE, sizeof (FrameRow));
  self->events = g_array_new (FALSE, FALSE, sizeof (PsReplayEvent));
  self->bytes = g_array_new (FALSE, FALSE, sizeof (BytesRow));
  self->bytes_by_page = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_array_unref);
  self->tracks = g_array_new (FALSE, FALSE, sizeof (Track));
  self->watches = g_ptr_array_new_with_free_func ((GDestroyNotify) replay_watch_free);
  self->strings = g_string_chunk_new (4096);
}
