/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The headless modes: a PsSession in a plain GLib main loop, printing what
 * it sees. SIGINT, SIGTERM and SIGHUP end the loop; the session closes
 * (children reaped, mapping gone) before the process exits. */
#define G_LOG_DOMAIN "pagescope-headless"

#include "config.h"

#include <glib-unix.h>
#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>
#include <signal.h>
#include <unistd.h>

#include "ps-headless.h"
#include "ps-recorder.h"

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      interrupted;
  guint         signal_ids[G_N_ELEMENTS (quit_signals)];
} Run;

static gboolean
on_signal (gpointer data)
{
  Run *run = data;

  run->interrupted = TRUE;
  g_cancellable_cancel (run->cancellable);
  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

static void
run_init (Run *run)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  run->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (quit_signals); i++)
    run->signal_ids[i] = g_unix_signal_add (quit_signals[i], on_signal, run);
}

static void
run_clear (Run *run)
{
  for (guint i = 0; i < G_N_ELEMENTS (quit_signals); i++)
    g_clear_handle_id (&run->signal_ids[i], g_source_remove);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_object (&run->cancellable);
}

/* The session, opened; or the error printed and NULL. */
static PsSession *
open_session (const PsSourceSpec *spec,
              gboolean            log,
              gboolean            paused)
{
  g_autoptr(PsSession) session = ps_session_new (NULL);
  g_autoptr(GError) error = NULL;

  if (log)
    ps_event_log_set_echo (ps_session_get_log (session), STDERR_FILENO);
  ps_session_set_paused (session, paused);
  if (!ps_session_open (session, spec, &error))
    {
      g_printerr ("pagescope: %s\n", error->message);
      return NULL;
    }
  return g_steal_pointer (&session);
}

/* ---- --watch ----------------------------------------------------------------- */

typedef struct
{
  Run                    run;
  const PsHeadlessWatch *options;
  FILE                  *out;
  guint64                lines;
} Watching;

/* A value as JSON: a number when it is one, null when it could not be
 * read, a string for what JSON has no number for (inf, nan). */
static void
print_json_value (FILE       *out,
                  PsWatch    *watch,
                  const char *text)
{
  double d;
  char *end = NULL;

  if (text == NULL || g_str_equal (text, "?"))
    {
      fputs ("null", out);
      return;
    }
  d = g_ascii_strtod (text, &end);
  if (end != text && *end == '\0' && isfinite (d))
    fputs (text, out);
  else
    fprintf (out, "\"%s\"", text);
}

static void
on_changed (PsWatch    *watch,
            const char *old,
            const char *new,
            Watching   *w)
{
  const PsWatchSpec *spec = ps_watch_get_spec (watch);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (w->options->json)
    {
      g_autofree char *type = ps_value_format_to_string (&spec->format, TRUE);
      g_autofree char *stamp = g_date_time_format_iso8601 (now);

      fprintf (w->out, "{\"time\":\"%s\",\"name\":\"%s\",\"offset\":%" G_GUINT64_FORMAT ",\"type\":\"%s\",\"old\":",
               stamp, spec->name, spec->offset, type);
      print_json_value (w->out, watch, old);
      fputs (",\"new\":", w->out);
      print_json_value (w->out, watch, new);
      fputs ("}\n", w->out);
    }
  else
    {
      g_autofree char *clock = g_date_time_format (now, "%H:%M:%S.%f");

      clock[12] = '\0';   /* milliseconds */
      fprintf (w->out, "%s %s 0x%" G_GINT64_MODIFIER "x %s -> %s\n", clock, spec->name, spec->offset, old, new);
    }
  fflush (w->out);
  if (w->options->count > 0 && ++w->lines >= w->options->count)
    g_main_loop_quit (w->run.loop);
}

static gboolean
on_duration (gpointer data)
{
  Watching *w = data;

  g_main_loop_quit (w->run.loop);
  return G_SOURCE_REMOVE;
}

int
ps_headless_watch (const PsSourceSpec    *spec,
                   const PsHeadlessWatch *options,
                   FILE                  *out)
{
  g_autoptr(PsSession) session = NULL;
  Watching w = { { 0 }, options, out, 0 };
  guint timer = 0;

  g_return_val_if_fail (spec != NULL && options != NULL && out != NULL, 2);

  session = open_session (spec, options->log, FALSE);
  if (session == NULL)
    return 1;
  if (options->interval_ms > 0)
    ps_session_set_interval (session, options->interval_ms);
  for (guint i = 0; i < options->watches->len; i++)
    {
      g_autoptr(GError) error = NULL;
      PsWatch *watch = ps_session_add_watch (session, g_ptr_array_index (options->watches, i), &error);

      if (watch == NULL)
        {
          g_printerr ("pagescope: %s\n", error->message);
          ps_session_close (session);
          return 1;
        }
      g_signal_connect (watch, "changed", G_CALLBACK (on_changed), &w);
    }

  run_init (&w.run);
  if (options->duration_us > 0)
    timer = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (options->duration_us / 1000, G_MAXUINT),
                                on_duration, &w, NULL);
  g_main_loop_run (w.run.loop);
  if (timer != 0 && g_main_context_find_source_by_id (NULL, timer) != NULL)
    g_source_remove (timer);   /* not gone by itself: the loop ended otherwise */
  /* no change is reported from here on */
  for (guint i = 0; i < g_list_model_get_n_items (ps_session_get_watches (session)); i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (ps_session_get_watches (session), i);
      g_signal_handlers_disconnect_by_data (watch, &w);
    }
  ps_session_close (session);
  run_clear (&w.run);
  return 0;
}

/* ---- --find ------------------------------------------------------------------- */

typedef struct
{
  Run      run;
  GArray  *hits;
  gboolean truncated;
  GError  *error;
} Finding;

static void
on_found (GObject      *object,
          GAsyncResult *result,
          gpointer      data)
{
  Finding *f = data;

  ps_session_find_finish (PS_SESSION (object), result, &f->hits, &f->truncated, &f->error);
  g_main_loop_quit (f->run.loop);
}

int
ps_headless_find (const PsSourceSpec  *spec,
                  const PsFindPattern *pattern,
                  gboolean             all,
                  gboolean             log,
                  FILE                *out)
{
  g_autoptr(PsSession) session = NULL;
  Finding f = { { 0 } };
  int status = 0;

  g_return_val_if_fail (spec != NULL && pattern != NULL && out != NULL, 2);

  /* the scanner has nothing to do for a find: it stays paused */
  session = open_session (spec, log, TRUE);
  if (session == NULL)
    return 1;
  run_init (&f.run);
  ps_session_find_async (session, pattern, 0, G_MAXUINT64, FALSE, all, G_MAXUINT, f.run.cancellable, on_found, &f);
  g_main_loop_run (f.run.loop);
  /* a signal ends the loop before the find has come back: wait for it, it
   * stops at its next window */
  while (f.hits == NULL && f.error == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (f.error != NULL)
    {
      if (!g_error_matches (f.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("pagescope: %s\n", f.error->message);
      status = f.run.interrupted ? 130 : 1;
    }
  else
    for (guint i = 0; i < f.hits->len; i++)
      fprintf (out, "0x%" G_GINT64_MODIFIER "x\n", g_array_index (f.hits, guint64, i));
  fflush (out);
  g_clear_error (&f.error);
  g_clear_pointer (&f.hits, g_array_unref);
  ps_session_close (session);
  run_clear (&f.run);
  return status;
}

/* ---- --record ------------------------------------------------------------------ */

typedef struct
{
  Run      run;
  gboolean failed;
} Recording;

static gboolean
on_record_duration (gpointer data)
{
  Recording *rec = data;

  g_main_loop_quit (rec->run.loop);
  return G_SOURCE_REMOVE;
}

/* The recorder stopped by itself: the file could not be written. */
static void
on_recorder_stopped (PsRecorder *recorder,
                     GError     *reason,
                     Recording  *rec)
{
  if (reason != NULL)
    g_printerr ("pagescope: %s\n", reason->message);
  rec->failed = TRUE;
  g_main_loop_quit (rec->run.loop);
}

static gboolean
add_watches (PsSession *session,
             GPtrArray *watches)
{
  for (guint i = 0; watches != NULL && i < watches->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (ps_session_add_watch (session, g_ptr_array_index (watches, i), &error) == NULL)
        {
          g_printerr ("pagescope: %s\n", error->message);
          return FALSE;
        }
    }
  return TRUE;
}

int
ps_headless_record (const PsSourceSpec     *spec,
                    const char             *path,
                    const PsHeadlessRecord *options,
                    FILE                   *out)
{
  g_autoptr(PsSession) session = NULL;
  g_autoptr(PsRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  Recording rec = { { 0 } };
  PsRecordStats stats;
  guint timer = 0;
  gboolean written;

  g_return_val_if_fail (spec != NULL && path != NULL && options != NULL && out != NULL, 2);

  session = open_session (spec, options->log, FALSE);
  if (session == NULL)
    return 1;
  if (options->interval_ms > 0)
    ps_session_set_interval (session, options->interval_ms);
  if (!add_watches (session, options->watches))
    {
      ps_session_close (session);
      return 1;
    }
  recorder = ps_recorder_start (session, path, options->cap, PS_RECORDER_DEFAULT, &error);
  if (recorder == NULL)
    {
      g_printerr ("pagescope: %s\n", error->message);
      ps_session_close (session);
      return 1;
    }
  g_signal_connect (recorder, "stopped", G_CALLBACK (on_recorder_stopped), &rec);

  run_init (&rec.run);
  if (options->duration_us > 0)
    timer = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (options->duration_us / 1000, G_MAXUINT),
                                on_record_duration, &rec, NULL);
  g_main_loop_run (rec.run.loop);
  if (timer != 0 && g_main_context_find_source_by_id (NULL, timer) != NULL)
    g_source_remove (timer);
  g_signal_handlers_disconnect_by_data (recorder, &rec);

  written = ps_recorder_stop (recorder, &error);
  if (!written && !rec.failed)
    g_printerr ("pagescope: %s\n", error->message);
  ps_recorder_get_stats (recorder, &stats);
  fprintf (out, _("%s: %" PRIu64 " page changes, %" PRIu64 " events, %" PRIu64 " bytes of changed ranges in %.1f s%s\n"),
           path, stats.changes, stats.events, stats.bytes, stats.duration_us / 1e6,
           stats.cap_reached ? _(" (the cap was reached)") : "");
  fflush (out);
  ps_session_close (session);
  run_clear (&rec.run);
  return written && !rec.failed ? 0 : 1;
}
