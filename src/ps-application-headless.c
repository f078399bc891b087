/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line's modes without a window: --watch, --find, --record and
 * --export-events, and the options that go with them only. */
#define G_LOG_DOMAIN "pagescope-app"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>

#include "ps-application.h"
#include "ps-application-headless.h"
#include "ps-headless.h"
#include "ps-parse.h"
#include "ps-recorder.h"

static gboolean
lookup_string (GVariantDict  *options,
               const char    *name,
               const char   **value)
{
  return g_variant_dict_lookup (options, name, "&s", value);
}

static gboolean
refuse_usage (const char *message)
{
  g_printerr ("pagescope: %s\n", message);
  return FALSE;
}

typedef enum
{
  MODE_WINDOW = 0,
  MODE_WATCH  = 1 << 0,
  MODE_FIND   = 1 << 1,
  MODE_RECORD = 1 << 2,
  MODE_EXPORT = 1 << 3,
} HeadlessMode;

/* Which headless mode the options ask for; FALSE (said why) for two.
 * --watch with --record names what to record: one mode. */
static gboolean
headless_mode (GVariantDict *options,
               HeadlessMode *mode)
{
  static const struct { const char *option; HeadlessMode mode; } modes[] = {
    { "find", MODE_FIND }, { "record", MODE_RECORD }, { "export-events", MODE_EXPORT }, { "watch", MODE_WATCH },
  };
  const char *first = NULL;

  *mode = MODE_WINDOW;
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      if (!g_variant_dict_contains (options, modes[i].option))
        continue;
      if (modes[i].mode == MODE_WATCH && *mode == MODE_RECORD)
        continue;
      if (first != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("--%s and --%s are two modes: give one"),
                                                      modes[i].option, first);

          return refuse_usage (message);
        }
      first = modes[i].option;
      *mode = modes[i].mode;
    }
  return TRUE;
}

/* The options that go with some headless modes only: refused elsewhere. */
static gboolean
check_headless_options (GVariantDict *options,
                        HeadlessMode  mode)
{
  static const struct { const char *option; HeadlessMode modes; const char *with; } only[] = {
    { "interval", MODE_WATCH | MODE_RECORD, "--watch, --record" },
    { "count", MODE_WATCH, "--watch" },
    { "duration", MODE_WATCH | MODE_RECORD, "--watch, --record" },
    { "all", MODE_FIND, "--find" },
    { "cap", MODE_RECORD, "--record" },
    { "csv", MODE_EXPORT, "--export-events" },
    { "watches", MODE_EXPORT, "--export-events" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (only); i++)
    if (g_variant_dict_contains (options, only[i].option) && (only[i].modes & mode) == 0)
      {
        g_autofree char *message = g_strdup_printf (_("--%s goes with %s"), only[i].option, only[i].with);
        return refuse_usage (message);
      }
  if (g_variant_dict_contains (options, "json") && (mode & (MODE_WATCH | MODE_EXPORT)) == 0 &&
      !g_variant_dict_contains (options, "list"))
    return refuse_usage (_("--json goes with --list, --watch or --export-events"));
  return TRUE;
}

static gboolean
parse_watch_specs (GVariantDict  *options,
                   GPtrArray     *watches,
                   GError       **error)
{
  g_autofree const char **specs = NULL;

  g_variant_dict_lookup (options, "watch", "^a&s", &specs);
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      PsWatchSpec *spec = g_new0 (PsWatchSpec, 1);

      g_ptr_array_add (watches, spec);
      if (!ps_watch_spec_parse (specs[i], spec, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_duration_option (GVariantDict  *options,
                       gint64        *duration_us,
                       GError       **error)
{
  const char *text;
  gint64 us;

  if (!lookup_string (options, "duration", &text))
    return TRUE;
  if (!ps_parse_duration (text, "--duration", G_USEC_PER_SEC, &us, error))
    return FALSE;
  *duration_us = us;
  return TRUE;
}

static gboolean
parse_watch_options (GVariantDict    *options,
                     PsHeadlessWatch *watch,
                     GError         **error)
{
  const char *text;

  if (!parse_watch_specs (options, watch->watches, error))
    return FALSE;
  if (lookup_string (options, "interval", &text) && !ps_interval_parse (text, &watch->interval_ms, error))
    return FALSE;
  if (lookup_string (options, "count", &text) && !ps_parse_length (text, "--count", &watch->count, error))
    return FALSE;
  if (!parse_duration_option (options, &watch->duration_us, error))
    return FALSE;
  watch->json = g_variant_dict_contains (options, "json");
  watch->log = g_variant_dict_contains (options, "log");
  return TRUE;
}

static gboolean
parse_record_options (GVariantDict     *options,
                      PsHeadlessRecord *record,
                      GError          **error)
{
  const char *text;

  if (!parse_watch_specs (options, record->watches, error))
    return FALSE;
  if (lookup_string (options, "interval", &text) && !ps_interval_parse (text, &record->interval_ms, error))
    return FALSE;
  if (!parse_duration_option (options, &record->duration_us, error))
    return FALSE;
  record->cap = PS_RECORDER_DEFAULT_CAP;
  if (lookup_string (options, "cap", &text) && !ps_parse_size (text, "--cap", &record->cap, error))
    return FALSE;
  record->log = g_variant_dict_contains (options, "log");
  return TRUE;
}

static void
watch_spec_free (PsWatchSpec *spec)
{
  ps_watch_spec_clear (spec);
  g_free (spec);
}

/* --export-events FILE: a recording, no source. */
static int
run_export (GVariantDict *options)
{
  static const char *sources[] = { "sysv", "shmid", "posix", "anon", "demo", "private", "writable", "pread", "offset",
                                   "length", "log", G_OPTION_REMAINING };
  g_autofree char *path = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (g_variant_dict_contains (options, sources[i]))
      {
        refuse_usage (_("--export-events reads a recording: it takes only --csv, --json and --watches"));
        return 2;
      }
  if (g_variant_dict_contains (options, "json") && g_variant_dict_contains (options, "csv"))
    {
      refuse_usage (_("--csv and --json are two formats: give one"));
      return 2;
    }
  g_variant_dict_lookup (options, "export-events", "^ay", &path);
  return ps_headless_export_events (path, g_variant_dict_contains (options, "json"),
                                    g_variant_dict_contains (options, "watches"), stdout);
}

static int
run_record (GVariantDict       *options,
            const PsSourceSpec *spec)
{
  PsHeadlessRecord record = { g_ptr_array_new_with_free_func ((GDestroyNotify) watch_spec_free) };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int status = 2;

  g_variant_dict_lookup (options, "record", "^ay", &path);
  if (!parse_record_options (options, &record, &error))
    g_printerr ("pagescope: %s\n", error->message);
  else
    status = ps_headless_record (spec, path, &record, stdout);
  g_ptr_array_unref (record.watches);
  return status;
}

/* --watch, --find, --record: a session and a main loop, no display;
 * --export-events: a recording read. */
static int
run_mode (GVariantDict *options,
          HeadlessMode  mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sources = NULL;
  gboolean demo;
  const char *pattern_text;

  if (!check_headless_options (options, mode))
    return 2;
  if (mode == MODE_EXPORT)
    return run_export (options);
  if (!ps_application_parse_options (options, &sources, &demo, &error))
    {
      g_printerr ("pagescope: %s\n", error->message);
      return 2;
    }
  if (demo || sources->len != 1)
    {
      g_autofree char *message = g_strdup_printf (_("%s needs one source: FILE, --sysv, --shmid, --posix, --anon or --pid"),
                                                  mode == MODE_WATCH ? "--watch" : mode == MODE_FIND ? "--find" : "--record");

      refuse_usage (message);
      return 2;
    }
  if (mode == MODE_RECORD)
    return run_record (options, &g_array_index (sources, PsSourceSpec, 0));
  if (mode == MODE_WATCH)
    {
      PsHeadlessWatch watch = { g_ptr_array_new_with_free_func ((GDestroyNotify) watch_spec_free) };
      int status = 2;

      if (!parse_watch_options (options, &watch, &error))
        g_printerr ("pagescope: %s\n", error->message);
      else
        status = ps_headless_watch (&g_array_index (sources, PsSourceSpec, 0), &watch, stdout);
      g_ptr_array_unref (watch.watches);
      return status;
    }
  lookup_string (options, "find", &pattern_text);
  {
    g_autoptr(PsFindPattern) pattern = ps_find_pattern_parse (pattern_text, &error);

    if (pattern == NULL)
      {
        g_printerr ("pagescope: --find: %s\n", error->message);
        return 2;
      }
    return ps_headless_find (&g_array_index (sources, PsSourceSpec, 0), pattern,
                             g_variant_dict_contains (options, "all"), g_variant_dict_contains (options, "log"),
                             stdout);
  }
}


int
ps_application_run_headless (GVariantDict *options)
{
  HeadlessMode mode;

  if (!headless_mode (options, &mode))
    return 2;
  if (mode == MODE_WINDOW)
    return -1;
  return run_mode (options, mode);
}

gboolean
ps_application_check_window_options (GVariantDict *options)
{
  return check_headless_options (options, MODE_WINDOW);
}
