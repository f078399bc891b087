/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --export-events: a recording's page changes, or its watches' values, as
 * CSV or JSON Lines, streamed from the file row by row (memory stays the
 * same whatever the recording's length). */
#define G_LOG_DOMAIN "pagescope-headless"

#include "config.h"

#include <math.h>

#include "ps-headless.h"
#include "ps-recorder-private.h"

static gint64
meta_int (sqlite3    *db,
          const char *key)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return value;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void
print_csv_text (FILE       *out,
                const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      fputs (text, out);
      return;
    }
  fputc ('"', out);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        fputc ('"', out);
      fputc (*p, out);
    }
  fputc ('"', out);
}

/* A value as JSON: a number when it is a finite one, null when it could not
 * be read, else a string. */
static void
print_json_value (FILE       *out,
                  const char *text)
{
  g_autofree char *escaped = NULL;
  char *end = NULL;
  double d;

  if (text == NULL || g_str_equal (text, "?"))
    {
      fputs ("null", out);
      return;
    }
  d = g_ascii_strtod (text, &end);
  if (end != text && *end == '\0' && isfinite (d))
    {
      fputs (text, out);
      return;
    }
  escaped = g_strescape (text, NULL);
  fprintf (out, "\"%s\"", escaped);
}

static gboolean
export_changes (sqlite3 *db,
                gboolean json,
                FILE    *out)
{
  gint64 page_size = meta_int (db, "page_size");
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "SELECT t, page, hash FROM changes ORDER BY rowid", -1, &stmt, NULL);

  if (!json)
    fputs ("time,page,offset,length,hash\n", out);
  while (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 0);
      gint64 page = sqlite3_column_int64 (stmt, 1);
      guint64 hash = (guint64) sqlite3_column_int64 (stmt, 2);

      if (json)
        fprintf (out, "{\"time\":%" G_GINT64_FORMAT ".%06d,\"page\":%" G_GINT64_FORMAT ",\"offset\":%" G_GINT64_FORMAT
                      ",\"length\":%" G_GINT64_FORMAT ",\"hash\":\"0x%016" G_GINT64_MODIFIER "x\"}\n",
                 t / G_USEC_PER_SEC, (int) (t % G_USEC_PER_SEC), page, page * page_size, page_size, hash);
      else
        fprintf (out, "%" G_GINT64_FORMAT ".%06d,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                      ",0x%016" G_GINT64_MODIFIER "x\n",
                 t / G_USEC_PER_SEC, (int) (t % G_USEC_PER_SEC), page, page * page_size, page_size, hash);
    }
  return sqlite3_finalize (stmt) == SQLITE_OK && rc == SQLITE_OK;
}

static gboolean
export_watches (sqlite3 *db,
                gboolean json,
                FILE    *out)
{
  /* each value with the spec of the watch of its name that existed then */
  static const char sql[] =
    "SELECT v.t, v.name, w.offset, w.type, v.value FROM watch_values v "
    "JOIN watches w ON w.rowid = (SELECT rowid FROM watches WHERE name = v.name AND t_added <= v.t "
    "ORDER BY t_added DESC LIMIT 1) ORDER BY v.rowid";
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (!json)
    fputs ("time,name,offset,type,value\n", out);
  while (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      gint64 offset = sqlite3_column_int64 (stmt, 2);
      const char *type = (const char *) sqlite3_column_text (stmt, 3);
      const char *value = (const char *) sqlite3_column_text (stmt, 4);

      if (json)
        {
          fprintf (out, "{\"time\":%" G_GINT64_FORMAT ".%06d,\"name\":\"%s\",\"offset\":%" G_GINT64_FORMAT
                        ",\"type\":\"%s\",\"value\":",
                   t / G_USEC_PER_SEC, (int) (t % G_USEC_PER_SEC), name, offset, type);
          print_json_value (out, value);
          fputs ("}\n", out);
        }
      else
        {
          fprintf (out, "%" G_GINT64_FORMAT ".%06d,%s,%" G_GINT64_FORMAT ",%s,",
                   t / G_USEC_PER_SEC, (int) (t % G_USEC_PER_SEC), name, offset, type);
          print_csv_text (out, value != NULL ? value : "?");
          fputc ('\n', out);
        }
    }
  return sqlite3_finalize (stmt) == SQLITE_OK && rc == SQLITE_OK;
}

int
ps_headless_export_events (const char *path,
                           gboolean    json,
                           gboolean    watches,
                           FILE       *out)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (path != NULL && out != NULL, 2);

  db = ps_recording_open (path, &error);
  if (db == NULL)
    {
      g_printerr ("pagescope: %s\n", error->message);
      return 1;
    }
  ok = watches ? export_watches (db, json, out) : export_changes (db, json, out);
  if (!ok)
    g_printerr ("pagescope: %s: %s\n", path, sqlite3_errmsg (db));
  sqlite3_close (db);
  fflush (out);
  return ok ? 0 : 1;
}
