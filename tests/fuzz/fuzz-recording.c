/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A recording (.pagescope-trace, an SQLite file) opened for replay: anyone
 * can hand one over, so its every byte and row is outside input. The first
 * byte of an input says how the rest makes the file:
 *   even: the rest is the file, byte for byte (SQLite's own checks, the
 *         header ps_replay_is_recording reads);
 *   odd:  the rest is SQL run on a copy of a small real recording
 *         (data/recording.pagescope-trace): rows changed, removed, added,
 *         tables dropped or made again with other columns.
 * Bits 1 and 2 of that byte choose what --export-events prints of it
 * (JSON Lines or CSV; page changes or the watches' values).
 * Promises: ps_replay_open gives a replay or an error saying why, never
 * both, and never crashes or runs away; on a replay, every question the
 * window asks (a frame at any time, the activity, the changes, the events,
 * the bytes of any range, the watches) is answered within what it holds;
 * --export-events exits 0 or 1, and each line of its JSON is one valid
 * JSON object, whatever the rows held. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"
#include <json-glib/json-glib.h>

#include "ps-headless.h"
#include "ps-replay.h"

#define MAX_SQL_STEPS 200000   /* a WITH RECURSIVE may not run forever */

static char *path;
static GBytes *template;

static void
remove_files (void)
{
  static const char *const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
      unlink (name);
    }
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (path != NULL)
    return;
  /* on tmpfs where there is one: SQLite's fsyncs cost nothing there */
  path = g_strdup_printf ("%s/pagescope-fuzz-%d.pagescope-trace",
                          g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK) == 0
                            ? "/dev/shm" : g_get_tmp_dir (),
                          (int) getpid ());
  if (!g_file_get_contents (FUZZ_RECORDING_TEMPLATE, &contents, &len, &error))
    g_error ("%s", error->message);
  template = g_bytes_new_take (g_steal_pointer (&contents), len);
  atexit (remove_files);
}

static void
write_file (const guint8 *data,
            gsize         size)
{
  int fd;

  remove_files ();
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, data, size) != (ssize_t) size)
    g_error ("%s: %s", path, g_strerror (errno));
  close (fd);
}

static int
stop_runaway (void *steps)
{
  return ++*(guint *) steps > MAX_SQL_STEPS / 1000;
}

/* Only what changes this one file: no ATTACH (another file), no VACUUM INTO. */
static int
authorize (void       *data,
           int         action,
           const char *a,
           const char *b,
           const char *c,
           const char *d)
{
  return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

static void
apply_sql (const char *sql)
{
  g_autofree char *lower = g_ascii_strdown (sql, -1);
  sqlite3 *db = NULL;
  guint steps = 0;

  gsize size;
  const guint8 *bytes = g_bytes_get_data (template, &size);

  write_file (bytes, size);
  if (strstr (lower, "vacuum") != NULL || strstr (lower, "attach") != NULL)
    return;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
    {
      sqlite3_set_authorizer (db, authorize, NULL);
      sqlite3_progress_handler (db, 1000, stop_runaway, &steps);
      sqlite3_limit (db, SQLITE_LIMIT_LENGTH, 1 << 20);
      sqlite3_exec (db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
      sqlite3_exec (db, sql, NULL, NULL, NULL);
    }
  sqlite3_close (db);
}

static void
ask_everything (PsReplay *replay)
{
  const PsGeometry *g = ps_replay_get_geometry (replay);
  gint64 duration = ps_replay_get_duration (replay);
  gint64 times[] = { G_MININT64, -1, 0, 1, duration / 2, duration, MIN (duration, G_MAXINT64 - 1) + 1, G_MAXINT64 };
  guint32 activity[16];
  guint8 bytes[512], what[512];
  guint64 offsets[] = { 0, g->page_size - 256, g->length > 256 ? g->length - 256 : 0, G_MAXUINT64 - 1024 };

  FUZZ_CHECK (duration >= 0);
  FUZZ_CHECK (g->page_size > 0);
  ps_replay_get_activity (replay, 0, duration, G_N_ELEMENTS (activity), activity);
  ps_replay_get_activity (replay, duration, 0, G_N_ELEMENTS (activity), activity);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(PsFrame) frame = ps_replay_get_frame (replay, times[i], g_get_monotonic_time ());
      gint64 next = ps_replay_next_change (replay, times[i]);
      gint64 prev = ps_replay_prev_change (replay, times[i]);
      guint e = ps_replay_find_event (replay, times[i]);

      FUZZ_CHECK (frame != NULL && frame->n_pages == g->n_pages);
      FUZZ_CHECK (next == -1 || next >= 0);
      FUZZ_CHECK (prev == -1 || prev >= 0);
      FUZZ_CHECK (e <= ps_replay_get_n_events (replay));
      for (guint o = 0; o < G_N_ELEMENTS (offsets); o++)
        {
          ps_replay_get_bytes (replay, times[i], offsets[o], sizeof bytes, bytes, what);
          for (guint b = 0; b < sizeof what; b++)
            FUZZ_CHECK (what[b] <= PS_REPLAY_BYTE_STALE);
        }
      for (guint w = 0; w < ps_replay_get_n_watches (replay); w++)
        {
          gint64 changed = 0;

          ps_replay_get_watch_value (replay, w, times[i], &changed);
          FUZZ_CHECK (ps_replay_get_watch (replay, w) != NULL);
        }
    }
  for (guint i = 0; i < ps_replay_get_n_events (replay); i++)
    FUZZ_CHECK (ps_replay_get_event (replay, i)->text != NULL);
}

static void
check_json_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(JsonParser) parser = json_parser_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (lines[i][0] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, &error))
        fprintf (stderr, "not JSON: %s\n%s\n", error->message, lines[i]);
      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
    }
}

static void
export (gboolean json,
        gboolean watches)
{
  g_autofree char *text = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&text, &len);
  int status;

  status = ps_headless_export_events (path, json, watches, out);
  fclose (out);
  FUZZ_CHECK (status == 0 || status == 1);
  FUZZ_CHECK (strlen (text) == len);
  if (json)
    check_json_lines (text);
}

static void
quiet (const char *text)
{
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(PsReplay) replay = NULL;
  g_autoptr(GError) error = NULL;

  if (size == 0)
    return 0;
  setup ();
  if (data[0] & 1)
    {
      g_autofree char *sql = fuzz_text (data + 1, size - 1);
      apply_sql (sql);
    }
  else
    write_file (data + 1, size - 1);

  ps_replay_is_recording (path);
  replay = ps_replay_open (path, &error);
  FUZZ_CHECK ((replay == NULL) != (error == NULL));
  if (replay != NULL)
    ask_everything (replay);
  g_set_printerr_handler (quiet);
  export ((data[0] & 2) != 0, (data[0] & 4) != 0);
  g_set_printerr_handler (NULL);
  remove_files ();
  return 0;
}
