/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-app"

#include "config.h"

#include <glib-unix.h>
#include <inttypes.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-application.h"
#include "ps-application-headless.h"
#include "ps-budget.h"
#include "ps-frame.h"
#include "ps-headless.h"
#include "ps-lesson-window.h"
#include "ps-recorder.h"
#include "ps-parse.h"
#include "ps-preferences-window.h"
#include "ps-process-view.h"
#include "ps-renderer.h"
#include "ps-segments.h"
#include "ps-segments-output.h"
#include "ps-window.h"

#define MAX_RECENT 10

struct _PsApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  gboolean        echo_log;
  gboolean        quit_on_signals;
  int             exit_status;   /* 1 once a source named on the command line failed to open */
};

G_DEFINE_FINAL_TYPE (PsApplication, ps_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "sysv", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Attach to the SysV segment with this key (decimal, 0x hex, or PATH:ID for ftok)"), N_("KEY") },
  { "shmid", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Attach to the SysV segment with this shmid"), N_("ID") },
  { "posix", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Open the POSIX segment with this name"), N_("NAME") },
  { "anon", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Make an anonymous shared mapping of this size (4096, 64K, 1M, 2G)"), N_("SIZE") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the built-in demo: a fresh file mapped two pages past its end"), NULL },
  { "pid", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Show another process's mapping, read-only (with --map)"), N_("PID") },
  { "map", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --pid: which mapping, by the path of what it maps or an address (0x hex) inside it"), N_("PATH|ADDRESS") },
  { "private", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Map MAP_PRIVATE (copy-on-write) instead of MAP_SHARED"), NULL },
  { "writable", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Map writable (read-only by default)"), NULL },
  { "pread", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Read FILE with pread instead of mapping it: what the page cache or the disk holds"), NULL },
  { "offset", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Map from this offset (a multiple of the page size)"), N_("N") },
  { "length", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Map this many bytes (default: the size of the object)"), N_("N") },
  { "list", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the SysV and POSIX segments and who maps them, then exit"), NULL },
  { "output", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --list: the columns to print, e.g. KEY,ID,SIZE,MAPPED-BY"), N_("COLUMNS") },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --list: print JSON; with --watch or --export-events: JSON Lines"), NULL },
  { "raw", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --list: print raw cells for scripts"), NULL },
  { "noheadings", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --list: print no headings"), NULL },
  { "bytes", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --list: print sizes in bytes"), NULL },
  { "watch", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, N_("Without a window: print each change of this value (NAME:TYPE@OFFSET, e.g. count:u64@0x40; repeatable); with --record: record it"), N_("WATCH") },
  { "find", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Without a window: print where this pattern is (bytes, \"text\", text:…, itext:…, u32:7…)"), N_("PATTERN") },
  { "all", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --find: every match, not only the first"), NULL },
  { "interval", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --watch or --record: the time between two scans (10ms to 10s)"), N_("T") },
  { "count", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --watch: stop after this many changes"), N_("N") },
  { "duration", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --watch or --record: stop after this long (500ms, 10s, 2m)"), N_("T") },
  { "lesson", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Open a guided lesson (list: the lessons); with --check, run it without a window"), N_("NAME") },
  { "check", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --lesson: run every step and print what each check found"), NULL },
  { "record", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Without a window: record what happens to the source into this new file (SQLite), until --duration or SIGINT"), N_("FILE") },
  { "cap", 0, 0, G_OPTION_ARG_STRING, NULL, N_("With --record: store at most this many bytes of changed ranges (default 64M; 0: none)"), N_("SIZE") },
  { "export-events", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Print the page changes of a recording as CSV (or JSON Lines with --json), then exit"), N_("FILE") },
  { "csv", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --export-events: print CSV (the default)"), NULL },
  { "watches", 0, 0, G_OPTION_ARG_NONE, NULL, N_("With --export-events: print the watches' values instead of the page changes"), NULL },
  { "log", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print every system call the app makes to stdout"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

static gboolean
lookup_string (GVariantDict  *options,
               const char    *name,
               const char   **value)
{
  return g_variant_dict_lookup (options, name, "&s", value);
}

/* --demo maps its own file: it takes none of the mapping options. The rest
 * is the rule every source follows (ps_source_spec_check): refused here,
 * before anything is opened, so a malformed command line exits 2 and never
 * shows a window. */
static gboolean
check_mapping_options (GVariantDict  *options,
                       PsSourceSpec  *spec,
                       gboolean       demo,
                       gboolean       has_source,
                       GError       **error)
{
  static const char *mapping[] = { "private", "writable", "pread", "offset", "length" };

  if (demo)
    {
      for (guint i = 0; i < G_N_ELEMENTS (mapping); i++)
        if (g_variant_dict_contains (options, mapping[i]))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("--%s does not apply to --demo: %s"), mapping[i],
                         _("the demo maps its own file, shared and writable"));
            return FALSE;
          }
      return TRUE;
    }
  if (!has_source)
    return TRUE;   /* no source named: nothing to check */
  return ps_source_spec_check_options (spec, NULL, error);
}

/* --pid PID --map PATH|0xADDRESS: another process's mapping. */
static gboolean
parse_process (GVariantDict  *options,
               PsSourceSpec  *spec,
               guint         *named,
               GError       **error)
{
  const char *pid_text = NULL, *map_text = NULL;

  lookup_string (options, "pid", &pid_text);
  lookup_string (options, "map", &map_text);
  if (pid_text == NULL && map_text == NULL)
    return TRUE;
  if (pid_text == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("--map goes with --pid: it names which of that process's mappings to show"));
      return FALSE;
    }
  if (map_text == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("--pid needs --map: the path of what that process maps, or an address (0x hex) inside the mapping"));
      return FALSE;
    }
  spec->kind = PS_SOURCE_PROCESS;
  if (!ps_process_parse_pid (pid_text, "--pid", &spec->pid, error) ||
      !ps_process_parse_map (map_text, "--map", &spec->path, &spec->address, error))
    return FALSE;
  (*named)++;
  return TRUE;
}

/* The source named by everything but FILE, or the kind and mapping options
 * every FILE shares; FALSE with an error for a malformed one. */
static gboolean
parse_source (GVariantDict  *options,
              gboolean       files,
              gboolean       demo,
              PsSourceSpec  *spec,
              gboolean      *has_source,
              GError       **error)
{
  const char *text;
  guint named = demo;

  if (files)
    {
      spec->kind = PS_SOURCE_FILE;
      named++;
    }
  if (lookup_string (options, "sysv", &text))
    {
      spec->kind = PS_SOURCE_SYSV;
      if (!ps_parse_sysv_key (text, &spec->key, error))
        return FALSE;
      named++;
    }
  if (lookup_string (options, "shmid", &text))
    {
      spec->kind = PS_SOURCE_SYSV;
      spec->by_shmid = TRUE;
      if (!ps_parse_shmid (text, &spec->shmid, error))
        return FALSE;
      named++;
    }
  if (lookup_string (options, "posix", &text))
    {
      g_autofree char *name = ps_posix_name_normalize (text, error);

      if (name == NULL)
        return FALSE;
      spec->kind = PS_SOURCE_POSIX;
      spec->name = g_steal_pointer (&name);
      named++;
    }
  if (lookup_string (options, "anon", &text))
    {
      spec->kind = PS_SOURCE_ANON;
      if (!ps_parse_size (text, "--anon", &spec->size, error))
        return FALSE;
      if (spec->size == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("--anon \"%s\": the size must not be zero"), text);
          return FALSE;
        }
      named++;
    }
  if (!parse_process (options, spec, &named, error))
    return FALSE;
  if (named > 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("name one source: FILE, --sysv, --shmid, --posix, --anon, --pid or --demo"));
      return FALSE;
    }

  if (g_variant_dict_contains (options, "private"))
    spec->flags |= PS_MAP_PRIVATE;
  if (g_variant_dict_contains (options, "writable"))
    spec->flags |= PS_MAP_WRITABLE;
  if (g_variant_dict_contains (options, "pread"))
    spec->flags |= PS_MAP_PREAD;
  if (lookup_string (options, "offset", &text) && !ps_parse_size (text, "--offset", &spec->offset, error))
    return FALSE;
  if (lookup_string (options, "length", &text) && !ps_parse_length (text, "--length", &spec->length, error))
    return FALSE;
  if (named == 0 && (spec->flags != 0 || spec->offset != 0 || spec->length != 0))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("--private, --writable, --pread, --offset and --length need a source to apply to"));
      return FALSE;
    }
  *has_source = named > 0 && !demo;
  /* each FILE is checked with its path (ps_application_parse_options) */
  return check_mapping_options (options, spec, demo, *has_source && !files, error);
}

gboolean
ps_application_parse_options (GVariantDict  *options,
                              GArray       **sources,
                              gboolean      *demo,
                              GError       **error)
{
  g_autoptr(GArray) specs = g_array_new (FALSE, TRUE, sizeof (PsSourceSpec));
  g_auto(PsSourceSpec) spec = { 0 };
  g_autofree const char **files = NULL;
  gboolean has_source;

  g_array_set_clear_func (specs, (GDestroyNotify) ps_source_spec_clear);
  *sources = NULL;
  *demo = g_variant_dict_contains (options, "demo");
  if (!g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files) || files[0] == NULL)
    g_clear_pointer (&files, g_free);

  if (!parse_source (options, files != NULL, *demo, &spec, &has_source, error))
    return FALSE;

  /* Exec=pagescope %F: a file manager gives every file it was asked to open,
   * each with the same mapping options */
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    {
      PsSourceSpec file = spec;

      file.path = g_strdup (files[i]);
      g_array_append_val (specs, file);
      if (!ps_source_spec_check_options (&file, NULL, error))
        return FALSE;
    }
  if (files == NULL && has_source)
    {
      g_array_append_val (specs, spec);
      memset (&spec, 0, sizeof spec);
    }
  *sources = g_steal_pointer (&specs);
  return TRUE;
}

static int
print_list (GVariantDict *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PsListOptions list = { PS_LIST_TABLE, FALSE, FALSE, NULL };

  if (g_variant_dict_contains (options, "json") && g_variant_dict_contains (options, "raw"))
    {
      g_printerr ("pagescope: %s\n", _("--json and --raw are two formats: give one"));
      return 2;
    }
  if (g_variant_dict_contains (options, "json"))
    list.format = PS_LIST_JSON;
  else if (g_variant_dict_contains (options, "raw"))
    list.format = PS_LIST_RAW;
  list.noheadings = g_variant_dict_contains (options, "noheadings");
  list.bytes = g_variant_dict_contains (options, "bytes");
  lookup_string (options, "output", &list.columns);

  text = ps_segments_list_output (&list, &error);
  if (text == NULL)
    {
      g_printerr ("pagescope: %s\n", error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ? 2 : 1;
    }
  fputs (text, stdout);
  return 0;
}

/* In the process that was started: things that need no window, and every
 * check of the arguments, so a malformed one exits 2 right here. */
static int
ps_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  static const char *list_only[] = { "output", "raw", "noheadings", "bytes" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sources = NULL;
  gboolean demo;
  int status;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("pagescope %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "list"))
    {
      static const char *others[] = { "sysv", "shmid", "posix", "anon", "demo", "pid", "map", "private", "writable", "pread",
                                      "offset", "length", "log", "record", "export-events", G_OPTION_REMAINING };

      for (guint i = 0; i < G_N_ELEMENTS (others); i++)
        if (g_variant_dict_contains (options, others[i]))
          {
            g_printerr ("pagescope: %s\n", _("--list prints the segment tables and exits: it takes only --output, --json, --raw, --noheadings and --bytes"));
            return 2;
          }
      return print_list (options);
    }
  if ((status = ps_application_run_headless (options)) >= 0)
    return status;
  if (g_variant_dict_contains (options, "check") && !g_variant_dict_contains (options, "lesson"))
    {
      g_printerr ("pagescope: %s\n", _("--check goes with --lesson"));
      return 2;
    }
  if (g_variant_dict_contains (options, "lesson"))
    {
      const char *name;

      g_autoptr(PsLesson) lesson = NULL;

      lookup_string (options, "lesson", &name);
      if (g_variant_dict_contains (options, "check") || g_str_equal (name, "list"))
        return ps_lesson_check_main (name, g_variant_dict_contains (options, "log"), stdout);
      /* a lesson that does not exist is refused before any window */
      lesson = ps_lesson_new (name, &error);
      if (lesson == NULL)
        {
          g_printerr ("pagescope: %s\n", error->message);
          return 2;
        }
    }
  if (!ps_application_check_window_options (options))
    return 2;
  for (guint i = 0; i < G_N_ELEMENTS (list_only); i++)
    if (g_variant_dict_contains (options, list_only[i]))
      {
        g_autofree char *message = g_strdup_printf (_("--%s goes with --list"), list_only[i]);

        g_printerr ("pagescope: %s\n", message);
        return 2;
      }

  if (!ps_application_parse_options (options, &sources, &demo, &error))
    {
      g_printerr ("pagescope: %s\n", error->message);
      return 2;
    }
  return -1;
}

/* ---- a command line GOption cannot parse ---- */

/* --help and its kin: GApplication prints the help, whatever else is there. */
static gboolean
asks_for_help (char **arguments)
{
  static const char *help[] = { "-h", "-?", "--help", "--help-all", "--help-gapplication" };

  for (guint i = 1; arguments[i] != NULL && strcmp (arguments[i], "--") != 0; i++)
    for (guint j = 0; j < G_N_ELEMENTS (help); j++)
      if (strcmp (arguments[i], help[j]) == 0)
        return TRUE;
  return FALSE;
}

typedef union
{
  gboolean   flag;
  char      *text;
  char     **texts;
} OptionValue;

/* Parses a copy of the arguments with the options GApplication will parse
 * them with, into values that are then dropped. */
static gboolean
parses (char  **arguments,
        GError **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  GOptionEntry entries[G_N_ELEMENTS (option_entries) + 1];
  OptionValue values[G_N_ELEMENTS (option_entries)];
  g_auto(GStrv) copy = g_strdupv (arguments);
  gboolean ok;

  memset (values, 0, sizeof values);
  for (guint i = 0; i < G_N_ELEMENTS (option_entries); i++)
    {
      entries[i] = option_entries[i];
      if (entries[i].long_name != NULL)
        entries[i].arg_data = &values[i];
    }
  /* GApplication's own, for a program that is not a service or a launcher */
  entries[G_N_ELEMENTS (option_entries) - 1] = (GOptionEntry) { "gapplication-service", 0, 0, G_OPTION_ARG_NONE,
                                                                &values[G_N_ELEMENTS (option_entries) - 1].flag,
                                                                NULL, NULL };
  entries[G_N_ELEMENTS (option_entries)] = (GOptionEntry) { NULL };
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  ok = g_option_context_parse_strv (context, &copy, error);

  for (guint i = 0; i < G_N_ELEMENTS (option_entries); i++)
    if (entries[i].arg == G_OPTION_ARG_STRING || entries[i].arg == G_OPTION_ARG_FILENAME)
      g_free (values[i].text);
    else if (entries[i].arg == G_OPTION_ARG_STRING_ARRAY || entries[i].arg == G_OPTION_ARG_FILENAME_ARRAY)
      g_strfreev (values[i].texts);
  return ok;
}

/* GApplication answers an unknown option or a missing value with GOption's
 * bare message and status 1: say it as every other refusal, with status 2. */
static gboolean
ps_application_local_command_line (GApplication   *app,
                                   char         ***arguments,
                                   int            *exit_status)
{
  g_autoptr(GError) error = NULL;

  if (!asks_for_help (*arguments) && !parses (*arguments, &error))
    {
      g_autofree char *message = g_strdup_printf (_("%s (see --help)"), error->message);

      g_printerr ("pagescope: %s\n", message);
      *exit_status = 2;
      return TRUE;
    }
  return G_APPLICATION_CLASS (ps_application_parent_class)->local_command_line (app, arguments, exit_status);
}

static PsWindow *
new_window (PsApplication *self)
{
  PsWindow *window = ps_window_new (self);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* A file whose watching takes a lot of memory: said on stderr before it is
 * opened (the open dialog says it too). */
static void
warn_watch_cost (GApplicationCommandLine *cmdline,
                 const PsSourceSpec      *spec)
{
  struct stat st;
  guint64 cost;

  if (spec == NULL || spec->kind != PS_SOURCE_FILE || spec->path == NULL ||
      stat (spec->path, &st) != 0 || !S_ISREG (st.st_mode))
    return;
  cost = ps_frame_file_watch_cost (st.st_size, (guint64) st.st_blocks * 512, sysconf (_SC_PAGESIZE));
  if (cost >= PS_WATCH_WARN_BYTES)
    {
      g_autofree char *size = ps_format_size (cost);
      g_autofree char *text = g_strdup_printf (_("watching %s takes about %s of memory"), spec->path, size);

      g_application_command_line_printerr (cmdline, "pagescope: %s\n", text);
    }
}

/* One window, opening spec (or the demo, or nothing); FALSE when what it
 * was to open failed, which the window and stderr say. */
static gboolean
open_window (PsApplication           *self,
             GApplicationCommandLine *cmdline,
             PsSourceSpec            *spec,
             gboolean                 demo)
{
  g_autoptr(GError) error = NULL;
  PsWindow *window;

  /* a relative FILE (or --map PATH) is relative to the invoking process */
  if (spec != NULL && (spec->kind == PS_SOURCE_FILE || spec->kind == PS_SOURCE_PROCESS) &&
      spec->path != NULL && !g_path_is_absolute (spec->path))
    {
      char *path = g_build_filename (g_application_command_line_get_cwd (cmdline), spec->path, NULL);

      g_free (spec->path);
      spec->path = path;
    }

  warn_watch_cost (cmdline, spec);

  /* open before presenting: the scanner's first pass runs while the window
   * is laid out, so the first paint can already show it */
  window = ps_window_new (self);
  if (demo && !ps_window_open_demo (window, &error))
    g_application_command_line_printerr (cmdline, "pagescope: %s\n", error->message);
  else if (spec != NULL && !ps_window_open_spec (window, spec, &error))
    g_application_command_line_printerr (cmdline, "pagescope: %s\n", error->message);
  gtk_window_present (GTK_WINDOW (window));
  return error == NULL;
}

static int
ps_application_command_line (GApplication            *app,
                             GApplicationCommandLine *cmdline)
{
  PsApplication *self = PS_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sources = NULL;
  gboolean demo, failed = FALSE;

  if (g_variant_dict_contains (options, "log"))
    self->echo_log = TRUE;

  if (!ps_application_parse_options (options, &sources, &demo, &error))
    {
      g_application_command_line_printerr (cmdline, "pagescope: %s\n", error->message);
      return 2;
    }
  if (g_variant_dict_contains (options, "lesson"))
    {
      const char *lesson;

      GtkWindow *window;

      g_variant_dict_lookup (options, "lesson", "&s", &lesson);
      window = ps_lesson_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)), lesson);
      gtk_window_set_application (window, GTK_APPLICATION (self));
      gtk_window_present (window);
      return 0;
    }

  /* a window for each source; one for the demo, or an empty one */
  if (sources->len == 0)
    failed = !open_window (self, cmdline, NULL, demo);
  for (guint i = 0; i < sources->len; i++)
    failed |= !open_window (self, cmdline, &g_array_index (sources, PsSourceSpec, i), FALSE);

  if (failed && !g_application_command_line_get_is_remote (cmdline))
    self->exit_status = 1;
  return failed ? 1 : 0;
}

static void
ps_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    gtk_window_present (window);
  else
    new_window (PS_APPLICATION (app));
}

/* ---- application actions: each applies to the active window ---- */

static void
forward_to_window (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (app);
  g_autofree char *name = g_strconcat ("win.", g_action_get_name (G_ACTION (action)), NULL);

  if (window == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("app.%s refused: no window to apply it to"),
                                                  g_action_get_name (G_ACTION (action)));

      g_printerr ("pagescope: %s\n", message);
      return;
    }
  /* a window's action that needs a source is disabled while nothing is
   * open, and GTK drops a disabled action without a word: say why here */
  if (PS_IS_WINDOW (window) && !ps_session_is_open (ps_window_get_session (PS_WINDOW (window))) &&
      !g_str_equal (g_action_get_name (G_ACTION (action)), "color-mode") &&
      !g_str_equal (g_action_get_name (G_ACTION (action)), "interval"))
    {
      ps_event_log_add (ps_session_get_log (ps_window_get_session (PS_WINDOW (window))), TRUE,
                        "%s: nothing is open", g_action_get_name (G_ACTION (action)));
      return;
    }
  gtk_widget_activate_action_variant (GTK_WIDGET (window), name, parameter);
}

static void
action_new_window (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  new_window (PS_APPLICATION (user_data));
}

static void
action_open (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  PsApplication *self = user_data;
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  PsWindow *window;

  /* a malformed source opens no window: the refusal goes to stderr and to
   * the log of the window scripting acts on */
  if (!ps_source_spec_parse (g_variant_get_string (parameter, NULL), &spec, &error))
    {
      GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

      g_printerr ("pagescope: app.open: %s\n", error->message);
      if (PS_IS_WINDOW (active))
        ps_event_log_add (ps_session_get_log (ps_window_get_session (PS_WINDOW (active))), TRUE,
                          "app.open refused: %s", error->message);
      return;
    }
  /* one that cannot be opened gets a window saying why, as on the command line */
  window = new_window (self);
  if (!ps_window_open_spec (window, &spec, &error))
    g_printerr ("pagescope: app.open: %s\n", error->message);
}

/* The same links, copyright and developers as the metainfo (meson.build). */
static void
action_about (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *developers[] = { _("The Pagescope developers"), NULL };
  g_autofree char *renderer = ps_renderer_describe (parent != NULL ? GTK_WIDGET (parent) : NULL);

  adw_show_about_window (parent,
                         "application-name", "Pagescope",
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("See mapped memory and shared-memory segments change live."),
                         "developer-name", developers[0],
                         "developers", developers,
                         "website", PACKAGE_HOMEPAGE,
                         "issue-url", PACKAGE_BUGTRACKER,
                         "copyright", PACKAGE_COPYRIGHT,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         "debug-info", renderer,
                         NULL);
}

/* One preferences window, over the window it was asked from. */
static void
action_preferences (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer      user_data)
{
  PsApplication *self = user_data;
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *preferences = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && preferences == NULL; i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (PS_IS_PREFERENCES_WINDOW (toplevel))
        preferences = toplevel;
    }
  if (preferences == NULL)
    preferences = ps_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                             ps_application_get_settings (self));
  gtk_window_present (preferences);
}

static void
action_lessons (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWindow *lessons = ps_lesson_window_new (parent, NULL);

  gtk_window_set_application (lessons, GTK_APPLICATION (user_data));
  gtk_window_present (lessons);
}

static void
action_quit (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* closing each window saves its size and releases its source, writers
   * and children; the application ends with the last one */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  /* as app.quit: each window releases its source (the demo file goes),
   * its writer children are stopped and reaped */
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
  return G_SOURCE_CONTINUE;
}

/* Armed when the primary instance starts: before that (--list, --help, a
 * second instance handing its command line over) no main loop would run the
 * handler, so a signal must keep its default action. */
static void
arm_quit_signals (PsApplication *self)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    g_unix_signal_add_full (G_PRIORITY_HIGH, signals[i], on_quit_signal, self, NULL);
}

void
ps_application_quit_on_signals (PsApplication *self)
{
  g_return_if_fail (PS_IS_APPLICATION (self));

  self->quit_on_signals = TRUE;
}

static const GActionEntry app_actions[] = {
  { "new-window", action_new_window },
  { "open", action_open, "s" },
  { "about", action_about },
  { "preferences", action_preferences },
  { "lessons", action_lessons },
  { "quit", action_quit },
  { "write-bytes", forward_to_window, "s" },
  { "msync", forward_to_window, "s" },
  { "spawn-writers", forward_to_window, "s" },
  { "stop-writers", forward_to_window, "s" },
  { "probe", forward_to_window, "s" },
  { "probe-sweep", forward_to_window, "s" },
  { "cancel-sweep", forward_to_window },
  { "goto", forward_to_window, "s" },
  { "find", forward_to_window, "s" },
  { "mark", forward_to_window, "s" },
  { "watch", forward_to_window, "s" },
  { "export", forward_to_window, "s" },
  { "undo", forward_to_window },
  { "pause", forward_to_window },
  { "color-mode", forward_to_window, "s" },
  { "interval", forward_to_window, "s" },
};

static void
ps_application_startup (GApplication *app)
{
  PsApplication *self = PS_APPLICATION (app);
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.new-window", { "<Control>n", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    /* the menu's File… item shows it: an accelerator names an action and
     * its target, and win.open-dialog takes the kind to open */
    { "win.open-dialog::file", { "<Control>o", NULL } },
    { "win.close", { "<Control>w", NULL } },
    /* Space pauses too, but as the window's own binding (ps-window-actions.c):
     * an accelerator here would take it from the find bar's entry */
    { "win.undo", { "<Control>z", NULL } },
    { "win.write-dialog", { "<Control>e", NULL } },
    { "win.msync-dialog", { "<Control>s", NULL } },
    { "win.writers-dialog", { "<Control>r", NULL } },
    { "win.probe-dialog", { "<Control>p", NULL } },
    { "win.zoom-in", { "<Control>plus", "<Control>equal", NULL } },
    { "win.zoom-out", { "<Control>minus", NULL } },
    { "win.zoom-fit", { "<Control>0", NULL } },
    { "win.presentation", { "F11", NULL } },
    { "win.color-mode::activity", { "<Control>1", NULL } },
    { "win.color-mode::content", { "<Control>2", NULL } },
    { "win.color-mode::residency", { "<Control>3", NULL } },
    { "win.color-mode::cow", { "<Control>4", NULL } },
    { "win.color-mode::dirty", { "<Control>5", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "win.toggle-log", { "F9", NULL } },
    { "win.find-bar", { "<Control>f", NULL } },
    { "win.find-next", { "F3", "<Control>g", NULL } },
    { "win.find-previous", { "<Shift>F3", "<Control><Shift>g", NULL } },
    { "win.goto-dialog", { "<Control>l", NULL } },
    { "win.toggle-inspector", { "F7", NULL } },
    { "win.mark::", { "<Control>m", NULL } },
    { "win.export-dialog", { "<Control><Shift>e", NULL } },
    { "win.record", { "<Control><Shift>r", NULL } },
    { "win.freeze", { "<Control><Shift>f", NULL } },
    { "win.diff-only-changed", { "<Control><Shift>d", NULL } },
  };

  G_APPLICATION_CLASS (ps_application_parent_class)->startup (app);
  if (self->quit_on_signals)
    arm_quit_signals (self);
  /* before the first window is realized */
  if (gdk_display_get_default () != NULL)
    ps_renderer_choose (gdk_display_get_default ());

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
  /* one budget for the process, every window's scanning and drawing */
  g_settings_bind (ps_application_get_settings (self), "cpu-budget", ps_budget_get_default (), "fraction",
                   G_SETTINGS_BIND_GET);
}

static void
ps_application_finalize (GObject *object)
{
  PsApplication *self = PS_APPLICATION (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ps_application_parent_class)->finalize (object);
}

static void
ps_application_class_init (PsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ps_application_finalize;
  app_class->local_command_line = ps_application_local_command_line;
  app_class->handle_local_options = ps_application_handle_local_options;
  app_class->command_line = ps_application_command_line;
  app_class->activate = ps_application_activate;
  app_class->startup = ps_application_startup;
}

static void
ps_application_init (PsApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…] — see mapped memory change live"));
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Open a file, a SysV or POSIX shared-memory segment or an anonymous mapping,\n"
      "and watch its pages change as processes write to them.\n"
      "\n"
      "Examples:\n"
      "  pagescope --demo\n"
      "  pagescope /tmp/data --length 64K --writable\n"
      "  pagescope --posix /my-segment\n"
      "  pagescope --sysv 0x1234\n"
      "  pagescope --shmid 98310\n"
      "  pagescope --list --json"));
}

PsApplication *
ps_application_new (void)
{
  return g_object_new (PS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/pagescope/Pagescope",
                       NULL);
}

GSettings *
ps_application_get_settings (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (BASE_APP_ID);
  return self->settings;
}

/* What the process should exit with once the windows are closed: GApplication
 * forgets what the first command line returned when it runs its loop. */
int
ps_application_get_exit_status (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), 0);
  return self->exit_status;
}

gboolean
ps_application_get_echo_log (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), FALSE);
  return self->echo_log;
}

/* One an older version kept: it names another process by now. */
static gboolean
is_process_spec (const char *text)
{
  g_auto(PsSourceSpec) spec = { 0 };

  return ps_source_spec_parse (text, &spec, NULL) && spec.kind == PS_SOURCE_PROCESS;
}

void
ps_application_set_echo_log (PsApplication *self,
                             gboolean       echo)
{
  g_return_if_fail (PS_IS_APPLICATION (self));

  self->echo_log = echo;
}

void
ps_application_add_recent (PsApplication      *self,
                           const PsSourceSpec *spec)
{
  GSettings *settings = ps_application_get_settings (self);
  g_auto(GStrv) old = g_settings_get_strv (settings, "recent-sources");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *text = ps_source_spec_to_string (spec);
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  /* a view of a process names a pid, which means another process (or none)
   * once that one exits: it is never kept */
  if (spec->kind == PS_SOURCE_PROCESS)
    return;
  g_strv_builder_add (builder, text);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (g_strcmp0 (old[i], text) != 0 && !is_process_spec (old[i]))
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (settings, "recent-sources", (const char * const *) recent);
}
