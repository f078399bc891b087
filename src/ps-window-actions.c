/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions. Every command is one of these, with a string
 * parameter where it takes one, so menus, shortcuts, dialogs, tests and
 * `gapplication action` all reach the same code. */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <sys/mman.h>

#include "ps-bytes.h"
#include "ps-msync-dialog.h"
#include "ps-open-dialog.h"
#include "ps-parse.h"
#include "ps-probe-dialog.h"
#include "ps-probe.h"
#include "ps-window-private.h"
#include "ps-write-dialog.h"
#include "ps-writers-dialog.h"

#define MAX_UNDO 100

enum {
  SIGNAL_PROBE_FINISHED,
  SIGNAL_MSYNC_FINISHED,
  SIGNAL_ACTION_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Reports a failed action: a toast, the "action-failed" signal, and a line
 * in the log. The log may already have the refused call, but not which
 * action it was, and an argument that does not parse reaches no call at
 * all: without this line a script (gapplication action, --log) would never
 * learn that its action was refused, or why. */
static void
fail (PsWindow     *self,
      const char   *action,
      const GError *error)
{
  ps_event_log_add (self->log, TRUE, "%s", error->message);
  ps_window_show_toast (self, error->message);
  g_signal_emit (self, signals[SIGNAL_ACTION_FAILED], 0, action, error);
}

static gboolean
need_source (PsWindow   *self,
             const char *action)
{
  if (self->source != NULL)
    return TRUE;
  {
    g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                                           _("%s: nothing is open"), action);
    fail (self, action, error);
  }
  return FALSE;
}

gboolean
ps_window_get_selection (PsWindow *self,
                         guint64  *offset,
                         guint64  *length)
{
  guint64 first, n;

  g_return_val_if_fail (PS_IS_WINDOW (self), FALSE);

  if (self->source == NULL)
    return FALSE;
  if (ps_hex_view_get_selection (self->hex, offset, length) && *length > 1)
    return TRUE;
  if (ps_page_grid_get_selection (self->grid, &first, &n) && n > 0)
    {
      const PsGeometry *g = ps_source_get_geometry (self->source);

      *offset = first * g->page_size;
      *length = MIN (n * g->page_size, g->length - MIN (*offset, g->length));
      return *length > 0;
    }
  return FALSE;
}

gpointer
ps_window_get_writers (PsWindow *self)
{
  g_return_val_if_fail (PS_IS_WINDOW (self), NULL);
  return self->writers;
}

/* Trailing "key=value" words of an argument, after any quoted part. */
static char *
split_options (const char  *text,
               GHashTable **options)
{
  const char *last_quote = strrchr (text, '"');
  const char *tail = last_quote ? last_quote + 1 : text;
  g_auto(GStrv) words = g_strsplit_set (tail, " \t", -1);
  GString *head = g_string_new_len (text, tail - text);
  gboolean in_options = FALSE;

  *options = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *eq = strchr (words[i], '=');

      if (*words[i] == '\0')
        continue;
      if (eq != NULL && eq != words[i])
        {
          in_options = TRUE;
          g_hash_table_insert (*options, g_strndup (words[i], eq - words[i]), g_strdup (eq + 1));
        }
      else if (!in_options)
        {
          if (head->len > 0 && !g_ascii_isspace (head->str[head->len - 1]))
            g_string_append_c (head, ' ');
          g_string_append (head, words[i]);
        }
    }
  return g_strstrip (g_string_free (head, FALSE));
}

/* Refuses any option that is not one of allowed (NULL-terminated): a typo
 * such as lenght=4K must not quietly act on the whole mapping. */
static gboolean
check_option_names (GHashTable         *options,
                    const char * const *allowed,
                    GError            **error)
{
  GHashTableIter iter;
  const char *key;

  g_hash_table_iter_init (&iter, options);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (!g_strv_contains (allowed, key))
      {
        g_autofree char *list = g_strjoinv ("=, ", (char **) allowed);

        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("unknown option \"%s=\" (this action takes %s=)"), key, list);
        return FALSE;
      }
  return TRUE;
}

/* offset= and length= options (either alone: from 0, or to the end), else
 * the selection, else the whole mapping. */
static gboolean
option_range (PsWindow    *self,
              GHashTable  *options,
              guint64     *offset,
              guint64     *length,
              GError     **error)
{
  const char *offset_text = g_hash_table_lookup (options, "offset");
  const char *length_text = g_hash_table_lookup (options, "length");

  *offset = 0;
  *length = 0;
  if (offset_text == NULL && length_text == NULL)
    {
      if (!ps_window_get_selection (self, offset, length))
        *offset = *length = 0;
      return TRUE;
    }
  if (offset_text != NULL && !ps_parse_size (offset_text, "offset", offset, error))
    return FALSE;
  if (length_text != NULL && !ps_parse_size (length_text, "length", length, error))
    return FALSE;
  if (length_text != NULL && *length == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("length=0: give at least 1 byte, or leave length out to go to the end"));
      return FALSE;
    }
  return TRUE;
}

/* ---- open --------------------------------------------------------------- */

static gboolean
open_from_dialog (const PsSourceSpec *spec,
                  gpointer            user_data,
                  GError            **error)
{
  PsWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(PsEventLog) log = NULL;
  g_autoptr(PsSource) source = NULL;
  PsWindow *window;

  if (self->source == NULL)
    return ps_window_open_spec (self, spec, error);

  /* this window shows something: the new source gets its own window and log */
  log = ps_event_log_new ();
  source = ps_source_open (spec, log, error);
  if (source == NULL)
    return FALSE;
  window = ps_window_new (PS_APPLICATION (app));
  ps_window_set_source (window, source);
  ps_application_add_recent (PS_APPLICATION (app), spec);
  gtk_window_present (GTK_WINDOW (window));
  return TRUE;
}

static void
action_open_dialog (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  const char *kind = g_variant_get_string (parameter, NULL);
  PsOpenDialog *dialog = ps_open_dialog_new (GTK_WINDOW (self), open_from_dialog, self);

  if (g_str_equal (kind, "sysv"))
    ps_open_dialog_set_kind (dialog, PS_SOURCE_SYSV);
  else if (g_str_equal (kind, "posix"))
    ps_open_dialog_set_kind (dialog, PS_SOURCE_POSIX);
  else if (g_str_equal (kind, "anon"))
    ps_open_dialog_set_kind (dialog, PS_SOURCE_ANON);
  else
    ps_open_dialog_set_kind (dialog, PS_SOURCE_FILE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_open_spec (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;

  if (!ps_source_spec_parse (g_variant_get_string (parameter, NULL), &spec, &error) ||
      !open_from_dialog (&spec, self, &error))
    fail (self, "open-spec", error);
}

static void
action_open_demo (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  PsWindow *target = self;

  if (self->source != NULL)
    {
      target = ps_window_new (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
      gtk_window_present (GTK_WINDOW (target));
    }
  ps_window_open_demo (target, NULL);   /* a failure shows in the window */
}

static void
action_close (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

void
ps_window_refresh_recent (PsWindow *self)
{
  GSettings *settings = ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-sources");

  g_menu_remove_all (self->recent_section);
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = NULL;
      g_auto(PsSourceSpec) spec = { 0 };
      g_autofree char *label = NULL;

      if (!ps_source_spec_parse (recent[i], &spec, NULL))
        continue;
      switch (spec.kind)
        {
        case PS_SOURCE_FILE: label = ps_text_for_display (spec.path); break;
        case PS_SOURCE_POSIX:
          {
            g_autofree char *shown = ps_text_for_display (spec.name);
            label = g_strdup_printf ("POSIX %s", shown);
          }
          break;
        case PS_SOURCE_SYSV:
          label = spec.by_shmid ? g_strdup_printf ("SysV shmid %d", spec.shmid)
                                : g_strdup_printf ("SysV key 0x%08x", (guint32) spec.key);
          break;
        case PS_SOURCE_ANON:
        default:
          label = g_strdup (recent[i]);
        }
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.open-spec", "s", recent[i]);
      g_menu_append_item (self->recent_section, item);
    }
}

/* ---- scanning and view -------------------------------------------------- */

static void
action_pause (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  gboolean paused;

  if (!need_source (self, "pause"))
    return;
  paused = !ps_scanner_get_paused (self->scanner);
  ps_scanner_set_paused (self->scanner, paused);
  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button),
                            paused ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
  gtk_toggle_button_set_active (self->pause_button, paused);
  ps_event_log_add (self->log, FALSE, paused ? "scanner paused" : "scanner resumed");
}

static void
action_interval (GtkWidget  *widget,
                 const char *name,
                 GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  const char *text = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  guint64 ms = 0;
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  while (end && g_ascii_isspace (*end))
    end++;
  if (end == text || value <= 0)
    ms = 0;
  else if (end == NULL || *end == '\0' || g_str_equal (end, "ms"))
    ms = (guint64) value;
  else if (g_str_equal (end, "s"))
    ms = (guint64) (value * 1000);
  if (ms < PS_SCANNER_MIN_INTERVAL_MS || ms > PS_SCANNER_MAX_INTERVAL_MS)
    {
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("interval \"%s\": give 10 ms to 10 s, e.g. 100, 250ms or 2s"), text);
      fail (self, "interval", error);
      return;
    }
  g_settings_set_uint (ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))),
                       "interval", ms);
  if (self->scanner != NULL)
    ps_scanner_set_interval (self->scanner, ms);
}

static void
action_color_mode (GtkWidget  *widget,
                   const char *name,
                   GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  PsGridMode mode;

  if (!ps_grid_mode_from_string (g_variant_get_string (parameter, NULL), &mode))
    {
      g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                             _("colour mode \"%s\": use activity, content, residency or cow"),
                                             g_variant_get_string (parameter, NULL));
      fail (self, "color-mode", error);
      return;
    }
  ps_page_grid_set_mode (self->grid, mode);
  ps_grid_legend_set_mode (self->legend, mode);
  if (gtk_drop_down_get_selected (self->mode_dropdown) != mode)
    gtk_drop_down_set_selected (self->mode_dropdown, mode);
  g_settings_set_enum (ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))),
                       "color-mode", mode);
}

static void
zoom_by (PsWindow *self,
         int       direction)
{
  guint cell = ps_page_grid_get_cell_size (self->grid);

  cell = direction > 0 ? MIN (cell * 2, PS_GRID_MAX_CELL) : MAX (cell / 2, PS_GRID_MIN_CELL);
  ps_page_grid_set_cell_size (self->grid, cell);
  g_settings_set_int (ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))),
                      "zoom", cell);
  ps_window_update_actions (self);
}

static void
action_zoom_in (GtkWidget  *widget,
                const char *name,
                GVariant   *parameter)
{
  zoom_by (PS_WINDOW (widget), +1);
}

static void
action_zoom_out (GtkWidget  *widget,
                 const char *name,
                 GVariant   *parameter)
{
  zoom_by (PS_WINDOW (widget), -1);
}

static void
action_zoom_fit (GtkWidget  *widget,
                 const char *name,
                 GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);

  ps_page_grid_set_fit (self->grid, TRUE);
  g_settings_set_int (ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))),
                      "zoom", 0);
  ps_window_update_actions (self);
}

static void
action_toggle_log (GtkWidget  *widget,
                   const char *name,
                   GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  gboolean visible = !gtk_revealer_get_reveal_child (self->bottom_revealer);

  gtk_revealer_set_reveal_child (self->bottom_revealer, visible);
  g_settings_set_boolean (ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))),
                          "log-visible", visible);
}

static void
action_copy_log (GtkWidget  *widget,
                 const char *name,
                 GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autofree char *text = ps_event_log_to_text (self->log);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  ps_window_show_toast (self, _("The log is on the clipboard"));
}

static void
action_clear_log (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  ps_event_log_clear (PS_WINDOW (widget)->log);
}

/* ---- write bytes and undo ----------------------------------------------- */

static gboolean
write_and_remember (PsWindow      *self,
                    guint64        offset,
                    GBytes        *data,
                    gboolean       remember,
                    GError       **error)
{
  g_autoptr(GBytes) previous = NULL;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  gboolean ok = ps_source_write (self->source, offset, bytes, len, &previous, error);

  /* a write that a SIGBUS cut short still wrote its first pages: undoable */
  if (remember && previous != NULL)
    {
      PsUndoEntry *entry = g_new0 (PsUndoEntry, 1);

      entry->offset = offset;
      entry->previous = g_steal_pointer (&previous);
      g_queue_push_head (&self->undo, entry);
      while (g_queue_get_length (&self->undo) > MAX_UNDO)
        ps_undo_entry_free (g_queue_pop_tail (&self->undo));
    }
  ps_scanner_wake (self->scanner);
  ps_window_update_actions (self);
  return ok;
}

static void
action_write_bytes (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *message = NULL;
  guint64 offset, past;
  gsize len;

  if (!need_source (self, "write-bytes"))
    return;
  if (!ps_bytes_parse_write (g_variant_get_string (parameter, NULL), &offset, &data, &error) ||
      !write_and_remember (self, offset, data, TRUE, &error))
    {
      g_prefix_error (&error, "write-bytes: ");
      fail (self, "write-bytes", error);
      return;
    }
  hex = ps_bytes_to_hex (g_bytes_get_data (data, &len), g_bytes_get_size (data), 8);
  if (!ps_source_is_private (self->source))
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %zu byte at 0x%" PRIx64 " (%s)",
                                            "Wrote %zu bytes at 0x%" PRIx64 " (%s)", len),
                               len, offset, hex);
  else if (ps_source_get_kind (self->source) == PS_SOURCE_FILE)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Wrote %zu byte at 0x%" PRIx64 " (%s) to this process's private copy: the file is unchanged",
                                            "Wrote %zu bytes at 0x%" PRIx64 " (%s) to this process's private copy: the file is unchanged",
                                            len),
                               len, offset, hex);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Wrote %zu byte at 0x%" PRIx64 " (%s) to this process's private copy: the segment is unchanged",
                                            "Wrote %zu bytes at 0x%" PRIx64 " (%s) to this process's private copy: the segment is unchanged",
                                            len),
                               len, offset, hex);
  past = ps_source_bytes_past_eof (self->source, offset, len);
  if (past > 0 && !ps_source_is_private (self->source))
    {
      g_autofree char *note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%s; %" PRIu64 " byte lies past EOF and never reaches the file",
                                                            "%s; %" PRIu64 " bytes lie past EOF and never reach the file",
                                                            past),
                                               message, past);
      g_free (message);
      message = g_steal_pointer (&note);
    }
  ps_window_show_toast (self, message);
  ps_hex_view_goto (self->hex, offset);
}

static void
action_undo (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  PsUndoEntry *entry = g_queue_pop_head (&self->undo);
  g_autoptr(GError) error = NULL;

  if (entry == NULL || self->source == NULL)
    return;
  if (!write_and_remember (self, entry->offset, entry->previous, FALSE, &error))
    {
      g_prefix_error (&error, "undo: ");
      fail (self, "undo", error);
    }
  else
    {
      gsize len = g_bytes_get_size (entry->previous);
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Restored %zu byte at 0x%" PRIx64,
                                                               "Restored %zu bytes at 0x%" PRIx64, len),
                                                  len, entry->offset);
      ps_window_show_toast (self, message);
    }
  ps_undo_entry_free (entry);
  ps_window_update_actions (self);
}

/* ---- msync -------------------------------------------------------------- */

static const char * const range_options[] = { "offset", "length", NULL };

static char *
dirty_text (gint64 bytes)
{
  return bytes < 0 ? g_strdup ("?") : g_strdup_printf ("%" G_GINT64_FORMAT " KiB", bytes / 1024);
}

static void
action_msync (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GHashTable) options = NULL;
  g_autofree char *flags_text = NULL;
  g_autoptr(GError) error = NULL;
  PsMsyncReport report = { 0 };
  guint64 offset, length;
  int flags;

  if (!need_source (self, "msync"))
    return;
  flags_text = split_options (g_variant_get_string (parameter, NULL), &options);
  if (!ps_msync_flags_parse (flags_text, &flags, &error) ||
      !check_option_names (options, range_options, &error) ||
      !option_range (self, options, &offset, &length, &error) ||
      !ps_source_msync (self->source, offset, length, flags, &report, &error))
    {
      g_prefix_error (&error, "msync: ");
      fail (self, "msync", error);
      return;
    }

  {
    g_autofree char *sd0 = dirty_text (report.shared_dirty_before), *sd1 = dirty_text (report.shared_dirty_after);
    g_autofree char *pd0 = dirty_text (report.private_dirty_before), *pd1 = dirty_text (report.private_dirty_after);
    /* a page only this process maps counts as Private_Dirty even in a shared
     * mapping, so the toast says both */
    g_autofree char *d0 = dirty_text (report.shared_dirty_before < 0 || report.private_dirty_before < 0
                                      ? -1 : report.shared_dirty_before + report.private_dirty_before);
    g_autofree char *d1 = dirty_text (report.shared_dirty_after < 0 || report.private_dirty_after < 0
                                      ? -1 : report.shared_dirty_after + report.private_dirty_after);
    g_autofree char *message = g_strdup_printf (_("msync of %" PRIu64 " bytes took %.2f ms; dirty pages %s → %s"),
                                                report.length, report.elapsed_us / 1000.0, d0, d1);
    ps_event_log_add (self->log, FALSE, "smaps: Shared_Dirty %s → %s, Private_Dirty %s → %s",
                      sd0, sd1, pd0, pd1);
    ps_window_show_toast (self, message);
  }
  g_signal_emit (self, signals[SIGNAL_MSYNC_FINISHED], 0, &report);
}

/* ---- writer children ---------------------------------------------------- */

static const char * const writer_options[] = { "offset", "length", "count", NULL };

/* count=N: each child exits after N writes; 0 would mean never, which is
 * what leaving count out says. */
static gboolean
parse_count (const char  *text,
             guint64     *count,
             GError     **error)
{
  if (!ps_parse_size (text, "count", count, error))
    return FALSE;
  if (*count == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("count=0: give at least 1, or leave count out to write until stopped"));
      return FALSE;
    }
  return TRUE;
}

static void
action_spawn_writers (GtkWidget  *widget,
                      const char *name,
                      GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GHashTable) options = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GError) error = NULL;
  PsPattern pattern;
  guint64 offset, length, count = 0;
  double rate;
  guint n;
  const char *text;

  if (!need_source (self, "spawn-writers"))
    return;
  head = split_options (g_variant_get_string (parameter, NULL), &options);
  if (!ps_writers_parse_spawn_arg (head, &n, &pattern, &rate, &error) ||
      !check_option_names (options, writer_options, &error) ||
      !option_range (self, options, &offset, &length, &error) ||
      ((text = g_hash_table_lookup (options, "count")) != NULL && !parse_count (text, &count, &error)) ||
      !ps_writers_spawn (self->writers, n, &pattern, rate, offset, length, count, &error))
    {
      g_prefix_error (&error, "spawn-writers: ");
      fail (self, "spawn-writers", error);
      return;
    }
  if (ps_source_is_private (self->source))
    ps_window_show_toast (self, _("This mapping is MAP_PRIVATE: each child writes to its own copy of the pages, so its writes never show here"));
  else
    {
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Started %u writer child", "Started %u writer children", n), n);
      ps_window_show_toast (self, message);
    }
}

static void
action_stop_writers (GtkWidget  *widget,
                     const char *name,
                     GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  const char *text = g_variant_get_string (parameter, NULL);
  guint64 pid;
  g_autoptr(GError) error = NULL;

  if (self->writers == NULL)
    return;
  if (*text == '\0' || g_str_equal (text, "all"))
    {
      ps_writers_stop_all (self->writers);
      return;
    }
  if (!ps_parse_offset (text, "pid", &pid, &error))
    {
      g_prefix_error (&error, "stop-writers: ");
      fail (self, "stop-writers", error);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->writers)); i++)
    {
      g_autoptr(PsWriterChild) child = g_list_model_get_item (G_LIST_MODEL (self->writers), i);

      if ((guint64) ps_writer_child_get_pid (child) == pid)
        {
          ps_writers_stop (self->writers, child);
          return;
        }
    }
  error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("stop-writers: %" PRIu64 " is not one of this window's writer children"), pid);
  fail (self, "stop-writers", error);
}

/* ---- probe -------------------------------------------------------------- */

static void
mark_probe (PsWindow            *self,
            const PsProbeResult *result)
{
  const PsGeometry *g = ps_source_get_geometry (self->source);
  guint64 page = result->offset / g->page_size;

  if (self->probe_marks == NULL || self->n_probe_marks != g->n_pages + 1)
    {
      g_free (self->probe_marks);
      self->n_probe_marks = g->n_pages + 1;
      self->probe_marks = g_malloc0 (self->n_probe_marks);
    }
  if (page < self->n_probe_marks)
    self->probe_marks[page] = result->outcome + 1;
  ps_page_grid_set_marks (self->grid, self->probe_marks, self->n_probe_marks);
}

static gboolean
run_probe (PsWindow      *self,
           guint64        offset,
           gboolean       write,
           PsProbeResult *result,
           GError       **error)
{
  const PsGeometry *g = ps_source_get_geometry (self->source);

  /* said before the child runs, and only of a write ps_probe_run will make:
   * a read-only mapping, or an offset past the guard page, is refused */
  if (write && ps_source_is_writable (self->source) && offset < (g->n_pages + 1) * g->page_size)
    ps_event_log_add (self->log, FALSE,
                      "probe(offset=0x%" G_GINT64_MODIFIER "x, write): a child will write one byte there%s",
                      offset, ps_source_is_private (self->source) ? " (to its own private copy)" : " (a shared mapping: the write is real)");
  if (!ps_probe_run (self->source, offset, write, 0x50, result, error))
    return FALSE;
  mark_probe (self, result);
  return TRUE;
}

static void
action_probe (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  PsProbeResult result;
  guint64 offset;
  gboolean write;

  if (!need_source (self, "probe"))
    return;
  if (!ps_probe_parse_arg (g_variant_get_string (parameter, NULL), &offset, &write, &error) ||
      !run_probe (self, offset, write, &result, &error))
    {
      g_prefix_error (&error, "probe: ");
      fail (self, "probe", error);
      return;
    }
  {
    g_autofree char *explanation = ps_probe_explain (&result);
    g_autofree char *message = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x: %s — %s", offset,
                                                ps_probe_outcome_to_string (result.outcome), explanation);
    ps_window_show_toast (self, message);
  }
  g_signal_emit (self, signals[SIGNAL_PROBE_FINISHED], 0, &result);
}

/* The first byte of every page from the one holding EOF to the guard page
 * past the mapping, each outcome painted on the grid. */
static void
action_probe_sweep (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  const char *mode = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;
  PsGeometry g;
  guint counts[PS_PROBE_OTHER + 1] = { 0 };
  guint64 first;
  gboolean write;

  if (!need_source (self, "probe-sweep"))
    return;
  write = g_str_equal (mode, "write");
  if (!write && *mode != '\0' && !g_str_equal (mode, "read"))
    {
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("probe-sweep \"%s\": use read or write"), mode);
      fail (self, "probe-sweep", error);
      return;
    }
  if (!ps_source_restat (self->source, &g, NULL, &error))
    {
      fail (self, "probe-sweep", error);
      return;
    }

  first = g.n_inside > 0 ? g.n_inside - 1 : 0;
  for (guint64 page = first; page <= g.n_pages; page++)
    {
      PsProbeResult result;
      guint64 offset = page * g.page_size;

      /* in the page that holds EOF, probe the first byte past EOF */
      if (page + 1 == g.n_inside && g.data_length % g.page_size != 0)
        offset = g.data_length;
      if (!run_probe (self, offset, write, &result, &error))
        {
          g_prefix_error (&error, "probe-sweep: ");
          fail (self, "probe-sweep", error);
          return;
        }
      counts[result.outcome]++;
    }
  {
    g_autofree char *message = g_strdup_printf (_("Probe sweep: %u ok, %u zero-tail, %u SIGBUS, %u SIGSEGV"),
                                                counts[PS_PROBE_OK], counts[PS_PROBE_ZERO_TAIL],
                                                counts[PS_PROBE_SIGBUS], counts[PS_PROBE_SIGSEGV]);
    ps_window_show_toast (self, message);
  }
}

/* ---- dialogs ------------------------------------------------------------- */

/* One dialog of each kind per window: asking again presents the open one. */
void
ps_window_present_dialog (PsWindow     *self,
                          PsDialogKind  kind,
                          guint64       probe_offset)
{
  GtkWindow **slot = &self->dialogs[kind];

  /* a probe asked for at an offset starts again there */
  if (*slot != NULL && kind == PS_DIALOG_PROBE && probe_offset != G_MAXUINT64)
    gtk_window_destroy (*slot);
  if (*slot == NULL)
    {
      switch (kind)
        {
        case PS_DIALOG_WRITE:
          *slot = ps_write_dialog_new (self);
          break;
        case PS_DIALOG_MSYNC:
          *slot = ps_msync_dialog_new (self);
          break;
        case PS_DIALOG_WRITERS:
          *slot = ps_writers_dialog_new (self);
          break;
        case PS_DIALOG_PROBE:
        default:
          /* start where it is interesting: the first byte past EOF */
          *slot = ps_probe_dialog_new (self, probe_offset != G_MAXUINT64 ? probe_offset
                                                                         : ps_source_get_geometry (self->source)->data_length);
          break;
        }
      g_object_add_weak_pointer (G_OBJECT (*slot), (gpointer *) slot);   /* each is transient for us */
    }
  gtk_window_present (*slot);
}

static void
action_dialog (GtkWidget  *widget,
               const char *name,
               GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  static const char *names[PS_N_DIALOGS] = {
    [PS_DIALOG_WRITE] = "write-dialog",
    [PS_DIALOG_MSYNC] = "msync-dialog",
    [PS_DIALOG_WRITERS] = "writers-dialog",
    [PS_DIALOG_PROBE] = "probe-dialog",
  };

  for (guint kind = 0; kind < PS_N_DIALOGS; kind++)
    if (g_str_equal (name + strlen ("win."), names[kind]) && need_source (self, names[kind]))
      ps_window_present_dialog (self, kind, G_MAXUINT64);
}

/* ---- keyboard shortcuts -------------------------------------------------- */

/* Built when first asked for, not (as GtkApplication does with
 * gtk/help-overlay.ui) for every window at start-up. */
static void
action_show_help_overlay (GtkWidget  *widget,
                          const char *name,
                          GVariant   *parameter)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/pagescope/Pagescope/help-overlay.ui");
  GtkWindow *overlay = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));

  gtk_window_set_transient_for (overlay, GTK_WINDOW (widget));
  gtk_window_present (overlay);
}

/* ---- remove ------------------------------------------------------------- */

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    PsWindow         *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "remove") || self->source == NULL)
    return;
  if (!ps_source_remove (self->source, &error))
    fail (self, "remove-segment", error);
  else
    ps_window_show_toast (self, _("Removed. It stays mapped here until this window closes."));
  ps_window_update_actions (self);
}

static void
action_remove_segment (GtkWidget  *widget,
                       const char *name,
                       GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  GtkWidget *dialog;
  gboolean sysv;

  if (!need_source (self, "remove-segment"))
    return;
  sysv = ps_source_get_kind (self->source) == PS_SOURCE_SYSV;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove the Segment?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  sysv ? _("shmctl(IPC_RMID) marks %s for removal: its key is freed at once and it disappears when the last process detaches. Processes attached now keep it.")
                                       : _("shm_unlink removes the name %s: no new process can open it, and its memory is freed when the last mapping goes. Processes that map it now keep it."),
                                  ps_source_get_display_name (self->source));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- enabling ------------------------------------------------------------ */

void
ps_window_update_actions (PsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean open = self->source != NULL;
  gboolean segment = open && (ps_source_get_kind (self->source) == PS_SOURCE_SYSV ||
                              ps_source_get_kind (self->source) == PS_SOURCE_POSIX);
  guint cell = ps_page_grid_get_cell_size (self->grid);
  static const char *need_open[] = {
    "pause", "write-dialog", "msync-dialog", "writers-dialog", "probe-dialog", "probe-sweep",
    "write-bytes", "msync", "spawn-writers", "probe",
  };

  for (guint i = 0; i < G_N_ELEMENTS (need_open); i++)
    gtk_widget_action_set_enabled (widget, need_open[i], open);
  gtk_widget_action_set_enabled (widget, "undo", open && !g_queue_is_empty (&self->undo));
  gtk_widget_action_set_enabled (widget, "remove-segment", segment);
  gtk_widget_action_set_enabled (widget, "zoom-in", cell < PS_GRID_MAX_CELL);
  gtk_widget_action_set_enabled (widget, "zoom-out", cell > PS_GRID_MIN_CELL);
  gtk_widget_action_set_enabled (widget, "zoom-fit", !ps_page_grid_get_fit (self->grid));
}

void
ps_window_class_install_actions (GtkWidgetClass *widget_class)
{
  signals[SIGNAL_PROBE_FINISHED] =
    g_signal_new ("probe-finished", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_MSYNC_FINISHED] =
    g_signal_new ("msync-finished", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_ACTION_FAILED] =
    g_signal_new ("action-failed", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "win.open-dialog", "s", action_open_dialog);
  gtk_widget_class_install_action (widget_class, "win.open-spec", "s", action_open_spec);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, action_open_demo);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, action_close);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, action_pause);
  gtk_widget_class_install_action (widget_class, "win.interval", "s", action_interval);
  gtk_widget_class_install_action (widget_class, "win.color-mode", "s", action_color_mode);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, action_zoom_in);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, action_zoom_out);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, action_zoom_fit);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, action_show_help_overlay);
  gtk_widget_class_install_action (widget_class, "win.toggle-log", NULL, action_toggle_log);
  gtk_widget_class_install_action (widget_class, "win.copy-log", NULL, action_copy_log);
  gtk_widget_class_install_action (widget_class, "win.clear-log", NULL, action_clear_log);
  gtk_widget_class_install_action (widget_class, "win.write-bytes", "s", action_write_bytes);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, action_undo);
  gtk_widget_class_install_action (widget_class, "win.msync", "s", action_msync);
  gtk_widget_class_install_action (widget_class, "win.spawn-writers", "s", action_spawn_writers);
  gtk_widget_class_install_action (widget_class, "win.stop-writers", "s", action_stop_writers);
  gtk_widget_class_install_action (widget_class, "win.probe", "s", action_probe);
  gtk_widget_class_install_action (widget_class, "win.probe-sweep", "s", action_probe_sweep);
  gtk_widget_class_install_action (widget_class, "win.write-dialog", NULL, action_dialog);
  gtk_widget_class_install_action (widget_class, "win.msync-dialog", NULL, action_dialog);
  gtk_widget_class_install_action (widget_class, "win.writers-dialog", NULL, action_dialog);
  gtk_widget_class_install_action (widget_class, "win.probe-dialog", NULL, action_dialog);
  gtk_widget_class_install_action (widget_class, "win.remove-segment", NULL, action_remove_segment);
}
