/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --export-events: a recording's page changes, or its watches' values, as
 * CSV or JSON Lines, streamed from the file row by row (memory stays the
 * same whatever the recording's length). */
#define G_LOG_DOMAIN "pagescope-headless"

#include "config.h"

#include <json-glib/json-glib.h>
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

/* Any text as a JSON string: a recording may come from anywhere, and its
 * names and values hold whatever bytes it was given (quotes, control
 * characters, invalid UTF-8). */
static void
print_json_string (FILE       *out,
                   const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), valid);
  g_autofree char *json = json_to_string (node, FALSE);

  fputs (json, out);
}

/* Microseconds as seconds, "12.000345": a number in JSON and CSV for any
 * time a row holds, negative ones too (a file edited by hand). */
static void
print_time (FILE   *out,
            gint64  t)
{
  guint64 u = t < 0 ? -(guint64) t : (guint64) t;

  fprintf (out, "%s%" G_GUINT64_FORMAT ".%06u", t < 0 ? "-" : "", u / G_USEC_PER_SEC, (guint) (u % G_USEC_PER_SEC));
}

/* A page's offset; -1 for a page number no mapping has (a file edited by hand). */
static gint64
page_offset (gint64 page,
             gint64 page_size)
{
  return page >= 0 && page_size > 0 && page <= G_MAXINT64 / page_size ? page * page_size : -1;
}

/* A value as JSON: a number when it is a finite one, null when it could not
 * be read, else a string. */
static void
print_json_value (FILE       *out,
                  const char *text)
{
  g_autoptr(JsonNode) number = NULL;

  if (text == NULL || g_str_equal (text, "?"))
    {
      fputs ("null", out);
      return;
    }
  /* a number exactly when JSON reads it as one ("0x10", "1.", " 5" are not) */
  number = json_from_string (text, NULL);
  if (number != NULL && JSON_NODE_HOLDS_VALUE (number) &&
      (json_node_get_value_type (number) == G_TYPE_INT64 ||
       (json_node_get_value_type (number) == G_TYPE_DOUBLE && isfinite (json_node_get_double (number)))) &&
      !g_ascii_isspace (text[0]) && !g_ascii_isspace (text[strlen (text) - 1]))
    {
      fputs (text, out);
      return;
    }
  print_json_string (out, text);
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
      gint64 offset = page_offset (page, page_size);
      guint64 hash = (guint64) sqlite3_column_int64 (stmt, 2);

      if (json)
        {
          fputs ("{\"time\":", out);
          print_time (out, t);
          fprintf (out, ",\"page\":%" G_GINT64_FORMAT ",\"offset\":%" G_GINT64_FORMAT
                        ",\"length\":%" G_GINT64_FORMAT ",\"hash\":\"0x%016" G_GINT64_MODIFIER "x\"}\n",
                   page, offset, page_size, hash);
        }
      else
        {
          print_time (out, t);
          fprintf (out, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",0x%016" G_GINT64_MODIFIER "x\n",
                   page, offset, page_size, hash);
        }
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
          fputs ("{\"time\":", out);
          print_time (out, t);
          fputs (",\"name\":", out);
          print_json_string (out, name);
          fprintf (out, ",\"offset\":%" G_GINT64_FORMAT ",\"type\":", offset);
          print_json_string (out, type);
          fputs (",\"value\":", out);
          print_json_value (out, value);
          fputs ("}\n", out);
        }
      else
        {
          print_time (out, t);
          fputc (',', out);
          print_csv_text (out, name);
          fprintf (out, ",%" G_GINT64_FORMAT ",", offset);
          print_csv_text (out, type);
          fputc (',', out);
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
