/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recording file: its schema (docs/RECORDING.md says what each column
 * means), and the writer thread that empties the recorder's queue into it,
 * one transaction per batch. */
#define G_LOG_DOMAIN "pagescope-recorder"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ps-recorder-private.h"

static const char schema[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;\n"
  "CREATE TABLE frames (t INTEGER NOT NULL, serial INTEGER NOT NULL, n_pages INTEGER NOT NULL,\n"
  "  n_resident INTEGER NOT NULL, n_absent INTEGER NOT NULL, n_unknown INTEGER NOT NULL,\n"
  "  n_private_copies INTEGER NOT NULL, n_changed INTEGER NOT NULL, n_scanned INTEGER NOT NULL,\n"
  "  total_changes INTEGER NOT NULL, object_size INTEGER NOT NULL, flags INTEGER NOT NULL,\n"
  "  pass_us INTEGER NOT NULL, interval_ms INTEGER NOT NULL);\n"
  "CREATE TABLE changes (t INTEGER NOT NULL, page INTEGER NOT NULL, hash INTEGER NOT NULL,\n"
  "  content INTEGER NOT NULL);\n"
  "CREATE TABLE page_states (t INTEGER NOT NULL, page INTEGER NOT NULL, state INTEGER NOT NULL);\n"
  "CREATE TABLE keyframes (t INTEGER NOT NULL, n_pages INTEGER NOT NULL, pages BLOB NOT NULL);\n"
  "CREATE TABLE events (t INTEGER NOT NULL, error INTEGER NOT NULL, call TEXT, text TEXT NOT NULL);\n"
  "CREATE TABLE tracked (id INTEGER PRIMARY KEY, offset INTEGER NOT NULL, length INTEGER NOT NULL,\n"
  "  t_start INTEGER NOT NULL, t_end INTEGER, why TEXT NOT NULL);\n"
  "CREATE TABLE bytes (t INTEGER NOT NULL, offset INTEGER NOT NULL, data BLOB NOT NULL,\n"
  "  baseline INTEGER NOT NULL);\n"
  "CREATE TABLE watches (name TEXT NOT NULL, offset INTEGER NOT NULL, type TEXT NOT NULL,\n"
  "  t_added INTEGER NOT NULL, t_removed INTEGER);\n"
  "CREATE TABLE watch_values (t INTEGER NOT NULL, name TEXT NOT NULL, value TEXT, data BLOB);\n";

gboolean
ps_sqlite_fail (sqlite3    *db,
                int         rc,
                const char *what,
                GError    **error)
{
  const char *reason = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  GIOErrorEnum code = G_IO_ERROR_FAILED;

  switch (rc & 0xff)
    {
    case SQLITE_FULL: code = G_IO_ERROR_NO_SPACE; break;
    case SQLITE_CANTOPEN: code = G_IO_ERROR_NOT_FOUND; break;
    case SQLITE_PERM: case SQLITE_READONLY: code = G_IO_ERROR_PERMISSION_DENIED; break;
    case SQLITE_NOTADB: case SQLITE_CORRUPT: code = G_IO_ERROR_INVALID_DATA; break;
    default: break;
    }
  g_set_error (error, G_IO_ERROR, code, "%s: %s", what, reason);
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    return TRUE;
  return ps_sqlite_fail (db, rc, sql, error);
}

static void
remove_file_and_journals (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

sqlite3 *
ps_recording_create (const char  *path,
                     gboolean     replace,
                     GError     **error)
{
  g_autofree char *call = g_strdup_printf ("sqlite3_open_v2(%s)", path);
  g_autofree char *pragmas = NULL;
  sqlite3 *db = NULL;
  int rc;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!replace)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("record to %s: the file exists; give a new name"), path);
          return NULL;
        }
      remove_file_and_journals (path);
    }

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      ps_sqlite_fail (db, rc, call, error);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 1000);
  /* WAL: a commit is one append, readers see every committed batch while
   * it records, and a killed writer leaves the file readable up to its
   * last commit. NORMAL: no fsync per commit (an application crash loses
   * nothing committed; a power cut may lose the last batches). */
  pragmas = g_strdup_printf ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                             "PRAGMA application_id=%d; PRAGMA user_version=%d;",
                             PS_RECORDING_APP_ID, PS_RECORDING_FORMAT);
  if (!exec (db, pragmas, error) ||
      !exec (db, "BEGIN", error) ||
      !exec (db, schema, error) ||
      !exec (db, "COMMIT", error))
    {
      sqlite3_close (db);
      remove_file_and_journals (path);
      return NULL;
    }
  return db;
}

gboolean
ps_recording_write_meta (sqlite3     *db,
                         const char  *key,
                         const char  *value,
                         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      /* numbers as numbers, so that queries compare them as such */
      if (value != NULL && value[0] != '\0' && strspn (value, "-0123456789") == strlen (value))
        sqlite3_bind_int64 (stmt, 2, g_ascii_strtoll (value, NULL, 10));
      else
        sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  return ps_sqlite_fail (db, rc, "INSERT INTO meta", error);
}

char *
ps_recording_call_name (const char *text)
{
  gsize n = 0;

  if (text == NULL)
    return NULL;
  while (g_ascii_isalnum (text[n]) || text[n] == '_' || text[n] == '-')
    n++;
  if (n == 0 || (text[n] != '(' && text[n] != ':'))
    return NULL;
  return g_strndup (text, n);
}

/* ---- the writer thread --------------------------------------------------- */

enum
{
  STMT_FRAME,
  STMT_CHANGE,
  STMT_STATE,
  STMT_KEYFRAME,
  STMT_EVENT,
  STMT_TRACK_OPEN,
  STMT_TRACK_CLOSE,
  STMT_BYTES,
  STMT_WATCH_ADD,
  STMT_WATCH_REMOVE,
  STMT_WATCH_VALUE,
  STMT_META,
  N_STMTS
};

static const char *statements[N_STMTS] = {
  [STMT_FRAME] = "INSERT INTO frames VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
  [STMT_CHANGE] = "INSERT INTO changes VALUES (?,?,?,?)",
  [STMT_STATE] = "INSERT INTO page_states VALUES (?,?,?)",
  [STMT_KEYFRAME] = "INSERT INTO keyframes VALUES (?,?,?)",
  [STMT_EVENT] = "INSERT INTO events VALUES (?,?,?,?)",
  [STMT_TRACK_OPEN] = "INSERT INTO tracked (id, offset, length, t_start, why) VALUES (?,?,?,?,?)",
  [STMT_TRACK_CLOSE] = "UPDATE tracked SET t_end = ? WHERE id = ?",
  [STMT_BYTES] = "INSERT INTO bytes VALUES (?,?,?,?)",
  [STMT_WATCH_ADD] = "INSERT INTO watches (name, offset, type, t_added) VALUES (?,?,?,?)",
  [STMT_WATCH_REMOVE] = "UPDATE watches SET t_removed = ? WHERE name = ? AND t_removed IS NULL",
  [STMT_WATCH_VALUE] = "INSERT INTO watch_values VALUES (?,?,?,?)",
  [STMT_META] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?,?)",
};

typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
} Writer;

static void
bind_frame (sqlite3_stmt     *s,
            const PsRecRow   *row)
{
  const PsRecFrame *f = row->data;

  sqlite3_bind_int64 (s, 1, row->t);
  sqlite3_bind_int64 (s, 2, f->serial);
  sqlite3_bind_int64 (s, 3, f->n_pages);
  sqlite3_bind_int64 (s, 4, f->n_resident);
  sqlite3_bind_int64 (s, 5, f->n_absent);
  sqlite3_bind_int64 (s, 6, f->n_unknown);
  sqlite3_bind_int64 (s, 7, f->n_private_copies);
  sqlite3_bind_int64 (s, 8, f->n_changed);
  sqlite3_bind_int64 (s, 9, f->n_scanned);
  sqlite3_bind_int64 (s, 10, f->total_changes);
  sqlite3_bind_int64 (s, 11, f->object_size);
  sqlite3_bind_int64 (s, 12, f->flags);
  sqlite3_bind_int64 (s, 13, f->pass_us);
  sqlite3_bind_int64 (s, 14, f->interval_ms);
}

static void
bind_watch_add (sqlite3_stmt   *s,
                const PsRecRow *row)
{
  g_auto(PsWatchSpec) spec = { 0 };
  g_autofree char *type = NULL;

  /* the text came from ps_watch_spec_to_string: it parses */
  if (!ps_watch_spec_parse (row->data, &spec, NULL))
    return;
  type = ps_value_format_to_string (&spec.format, TRUE);
  sqlite3_bind_text (s, 1, spec.name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (s, 2, spec.offset);
  sqlite3_bind_text (s, 3, type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (s, 4, row->t);
}

static void
bind_row (sqlite3_stmt   *s,
          const PsRecRow *row)
{
  switch (row->kind)
    {
    case ROW_FRAME:
      bind_frame (s, row);
      break;
    case ROW_CHANGE:
      sqlite3_bind_int64 (s, 1, row->t);
      sqlite3_bind_int64 (s, 2, row->a);
      sqlite3_bind_int64 (s, 3, (sqlite3_int64) row->b);   /* the hash's 64 bits, signed */
      sqlite3_bind_int (s, 4, row->flag);
      break;
    case ROW_STATE:
      sqlite3_bind_int64 (s, 1, row->t);
      sqlite3_bind_int64 (s, 2, row->a);
      sqlite3_bind_int (s, 3, row->flag);
      break;
    case ROW_KEYFRAME:
      sqlite3_bind_int64 (s, 1, row->t);
      sqlite3_bind_int64 (s, 2, row->a);
      sqlite3_bind_blob64 (s, 3, row->data, row->len, SQLITE_STATIC);
      break;
    case ROW_EVENT:
      {
        char *call = ps_recording_call_name (row->data);

        sqlite3_bind_int64 (s, 1, row->t);
        sqlite3_bind_int (s, 2, row->flag);
        if (call != NULL)
          sqlite3_bind_text (s, 3, call, -1, g_free);
        sqlite3_bind_text (s, 4, row->data, -1, SQLITE_STATIC);
      }
      break;
    case ROW_TRACK_OPEN:
      sqlite3_bind_int64 (s, 1, row->c);
      sqlite3_bind_int64 (s, 2, row->a);
      sqlite3_bind_int64 (s, 3, row->b);
      sqlite3_bind_int64 (s, 4, row->t);
      sqlite3_bind_text (s, 5, row->data, -1, SQLITE_STATIC);
      break;
    case ROW_TRACK_CLOSE:
      sqlite3_bind_int64 (s, 1, row->t);
      sqlite3_bind_int64 (s, 2, row->c);
      break;
    case ROW_BYTES:
      sqlite3_bind_int64 (s, 1, row->t);
      sqlite3_bind_int64 (s, 2, row->a);
      sqlite3_bind_blob64 (s, 3, row->data, row->len, SQLITE_STATIC);
      sqlite3_bind_int (s, 4, row->flag);
      break;
    case ROW_WATCH_ADD:
      bind_watch_add (s, row);
      break;
    case ROW_WATCH_REMOVE:
      sqlite3_bind_int64 (s, 1, row->t);
      sqlite3_bind_text (s, 2, row->data, -1, SQLITE_STATIC);
      break;
    case ROW_WATCH_VALUE:
      sqlite3_bind_int64 (s, 1, row->t);
      sqlite3_bind_text (s, 2, row->data, -1, SQLITE_STATIC);
      if (row->data2 != NULL)
        {
          gsize text_len = strlen (row->data2);

          sqlite3_bind_text (s, 3, row->data2, -1, SQLITE_STATIC);
          sqlite3_bind_blob64 (s, 4, (const char *) row->data2 + text_len + 1, row->b, SQLITE_STATIC);
        }
      break;
    case ROW_META:
      sqlite3_bind_text (s, 1, row->data, -1, SQLITE_STATIC);
      if (row->flag)
        sqlite3_bind_int64 (s, 2, (sqlite3_int64) row->a);
      else
        sqlite3_bind_text (s, 2, row->data2, -1, SQLITE_STATIC);
      break;
    default:
      g_assert_not_reached ();
    }
}

static const guint stmt_of[] = {
  [ROW_FRAME] = STMT_FRAME, [ROW_CHANGE] = STMT_CHANGE, [ROW_STATE] = STMT_STATE,
  [ROW_KEYFRAME] = STMT_KEYFRAME, [ROW_EVENT] = STMT_EVENT, [ROW_TRACK_OPEN] = STMT_TRACK_OPEN,
  [ROW_TRACK_CLOSE] = STMT_TRACK_CLOSE, [ROW_BYTES] = STMT_BYTES, [ROW_WATCH_ADD] = STMT_WATCH_ADD,
  [ROW_WATCH_REMOVE] = STMT_WATCH_REMOVE, [ROW_WATCH_VALUE] = STMT_WATCH_VALUE, [ROW_META] = STMT_META,
};

/* One transaction: every row of the batch, or none. */
static gboolean
write_batch (Writer  *w,
             GArray  *batch,
             GError **error)
{
  if (!exec (w->db, "BEGIN", error))
    return FALSE;
  for (guint i = 0; i < batch->len; i++)
    {
      const PsRecRow *row = &g_array_index (batch, PsRecRow, i);
      sqlite3_stmt *s = w->stmts[stmt_of[row->kind]];
      int rc;

      bind_row (s, row);
      rc = sqlite3_step (s);
      sqlite3_reset (s);
      sqlite3_clear_bindings (s);
      if (rc != SQLITE_DONE)
        {
          ps_sqlite_fail (w->db, rc, statements[stmt_of[row->kind]], error);
          sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return exec (w->db, "COMMIT", error);
}

static gboolean
prepare (Writer  *w,
         GError **error)
{
  for (guint i = 0; i < N_STMTS; i++)
    {
      int rc = sqlite3_prepare_v3 (w->db, statements[i], -1, SQLITE_PREPARE_PERSISTENT, &w->stmts[i], NULL);

      if (rc != SQLITE_OK)
        return ps_sqlite_fail (w->db, rc, statements[i], error);
    }
  return TRUE;
}

/* Waits for a batch: rows, and COMMIT_US since the last commit or
 * BATCH_ROWS of them, or a stop. Under lock. */
static void
wait_for_batch (PsRecorder *self,
                gint64      last_commit)
{
  while (!self->stopping)
    {
      if (self->queue->len >= PS_RECORDER_BATCH_ROWS)
        return;
      if (self->queue->len == 0)
        g_cond_wait (&self->cond, &self->lock);
      else if (g_get_monotonic_time () >= last_commit + PS_RECORDER_COMMIT_US)
        return;
      else
        g_cond_wait_until (&self->cond, &self->lock, last_commit + PS_RECORDER_COMMIT_US);
    }
}

static void
free_batch (GArray *batch)
{
  for (guint i = 0; i < batch->len; i++)
    ps_rec_row_clear (&g_array_index (batch, PsRecRow, i));
  g_array_set_size (batch, 0);
}

/* A file left in WAL mode needs its -wal beside it; a finished one is one
 * file. Switching fails while another process reads it: then it stays WAL,
 * which sqlite3 reads just as well. */
static void
finish_file (Writer *w)
{
  sqlite3_exec (w->db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
}

gpointer
ps_recorder_writer_thread (gpointer data)
{
  PsRecorder *self = data;
  Writer w = { self->db };
  g_autoptr(GArray) batch = g_array_new (FALSE, FALSE, sizeof (PsRecRow));
  g_autoptr(GError) error = NULL;
  gint64 last_commit = g_get_monotonic_time ();
  gboolean failed = !prepare (&w, &error);

  for (;;)
    {
      GArray *swap;
      gboolean last;

      g_mutex_lock (&self->lock);
      if (!failed)
        wait_for_batch (self, last_commit);
      else
        while (!self->stopping)   /* nothing more is queued: wait for the stop */
          g_cond_wait (&self->cond, &self->lock);
      swap = self->queue;
      self->queue = batch;
      batch = swap;
      last = self->stopping;
      g_mutex_unlock (&self->lock);

      if (!failed && batch->len > 0)
        {
          failed = !write_batch (&w, batch, &error);
          last_commit = g_get_monotonic_time ();
          g_mutex_lock (&self->lock);
          if (!failed)
            self->stats.rows_written += batch->len;
          g_mutex_unlock (&self->lock);
        }
      free_batch (batch);
      if (failed && self->write_error == NULL)
        {
          g_mutex_lock (&self->lock);
          self->write_error = g_error_copy (error);
          g_mutex_unlock (&self->lock);
          if (self->source != NULL)
            ps_event_log_add (ps_source_get_log (self->source), TRUE, "record: %s: %s", self->path, error->message);
          /* a source, not g_main_context_invoke: that would run it on this
           * thread whenever no thread holds the context, and "stopped"'s
           * handlers call GTK */
          if (!last)
            {
              g_autoptr(GSource) idle = g_idle_source_new ();

              g_source_set_callback (idle, ps_recorder_on_write_failed, g_object_ref (self), g_object_unref);
              g_source_attach (idle, self->context);
            }
        }
      if (last)
        break;
    }

  for (guint i = 0; i < N_STMTS; i++)
    sqlite3_finalize (w.stmts[i]);
  if (!failed)
    finish_file (&w);
  sqlite3_close (w.db);
  self->db = NULL;
  return NULL;
}
