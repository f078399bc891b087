/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions. Every command is one of these, with a string
 * parameter where it takes one, so menus, shortcuts, tests and
 * `gapplication action` all reach the same code: each parses its argument
 * (ps-action-args) and calls the session. What the session reports (its
 * result signals, whoever asked) becomes a toast here. */
#define G_LOG_DOMAIN "pagescope-window"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <sys/mman.h>

#include "ps-action-args.h"
#include "ps-bytes.h"
#include "ps-msync-dialog.h"
#include "ps-open-dialog.h"
#include "ps-parse.h"
#include "ps-probe-dialog.h"
#include "ps-probe.h"
#include "ps-replay.h"
#include "ps-window-private.h"
#include "ps-write-dialog.h"
#include "ps-writers-dialog.h"

/* A refusal or failure the session reported (and logged): a toast says why. */
void
ps_window_show_error (PsWindow     *self,
                      const GError *error)
{
  ps_window_show_toast (self, error->message);
}

/* An argument that does not parse reaches no call at all: without a line a
 * script (gapplication action, --log) would never learn why. */
static void
refuse_argument (PsWindow   *self,
                 const char *action,
                 GError     *error)
{
  g_prefix_error (&error, "%s: ", action);
  ps_event_log_add (self->log, TRUE, "%s", error->message);
  ps_window_show_error (self, error);
  g_error_free (error);
}

/* ---- open --------------------------------------------------------------- */

static gboolean
open_from_dialog (const PsSourceSpec *spec,
                  gpointer            user_data,
                  GError            **error)
{
  PsWindow *self = user_data;
  PsWindow *window;

  if (!ps_session_is_open (self->session) && !ps_window_is_replay (self))
    return ps_window_open_spec (self, spec, error);
  if (spec->kind == PS_SOURCE_FILE && spec->path != NULL && ps_replay_is_recording (spec->path))
    {
      /* a window of its own, made by the replay */
      ps_window_open_recording (self, spec->path);
      return TRUE;
    }

  /* this window shows something: the new source gets its own window (made
   * first, so that its log, echoed with --log, has the open calls too) */
  window = ps_window_new (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
  if (!ps_session_open (ps_window_get_session (window), spec, error))
    {
      gtk_window_destroy (GTK_WINDOW (window));
      return FALSE;
    }
  ps_application_add_recent (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))), spec);
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
  else if (g_str_equal (kind, "process"))
    ps_open_dialog_set_kind (dialog, PS_SOURCE_PROCESS);
  else
    ps_open_dialog_set_kind (dialog, PS_SOURCE_FILE);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A toast's whole message (ps_window_make_toast), in a dialog. */
static void
action_show_message (GtkWidget  *widget,
                     const char *name,
                     GVariant   *parameter)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (widget), NULL, g_variant_get_string (parameter, NULL));

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
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

  if (!ps_source_spec_parse (g_variant_get_string (parameter, NULL), &spec, &error))
    refuse_argument (self, "open-spec", g_steal_pointer (&error));
  else if (!open_from_dialog (&spec, self, &error))
    ps_window_show_error (self, error);
}

static void
action_open_demo (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  PsWindow *target = self;

  if (ps_session_is_open (self->session))
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

      /* a pid kept by an older version names another process by now */
      if (!ps_source_spec_parse (recent[i], &spec, NULL) || spec.kind == PS_SOURCE_PROCESS)
        continue;
      switch (spec.kind)
        {
        case PS_SOURCE_FILE: label = ps_text_for_display_bounded (spec.path, PS_DISPLAY_MAX_CHARS); break;
        case PS_SOURCE_POSIX:
          {
            g_autofree char *shown = ps_text_for_display_bounded (spec.name, PS_DISPLAY_MAX_CHARS);
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
action_interval (GtkWidget  *widget,
                 const char *name,
                 GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  GError *error = NULL;
  guint ms;

  if (!ps_interval_parse (g_variant_get_string (parameter, NULL), &ms, &error))
    {
      refuse_argument (self, "interval", error);
      return;
    }
  /* the setting follows (g_settings_bind) */
  ps_session_set_interval (self->session, ms);
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
      refuse_argument (self, "color-mode",
                       g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                    _("colour mode \"%s\": use activity, content, residency, cow or dirty"),
                                    g_variant_get_string (parameter, NULL)));
      return;
    }
  ps_page_grid_set_mode (self->grid, mode);
  ps_window_update_grid_look (self);
  if (gtk_drop_down_get_selected (self->mode_dropdown) != mode)
    gtk_drop_down_set_selected (self->mode_dropdown, mode);
  g_settings_set_enum (ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))),
                       "color-mode", mode);
}

static void
zoom_by (PsWindow *self,
         int       direction)
{
  guint64 run;
  int zoom;

  ps_page_grid_zoom (self->grid, direction);
  /* the setting: a cell size, or below one pixel a page -log2 of the run */
  run = ps_page_grid_get_run (self->grid);
  zoom = run > 1 ? -(int) g_bit_nth_msf (run, -1) : (int) ps_page_grid_get_cell_size (self->grid);
  g_settings_set_int (ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))),
                      "zoom", zoom);
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

  /* the setting follows (g_settings_bind) */
  gtk_revealer_set_reveal_child (self->bottom_revealer, visible);
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

static void
action_write_bytes (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  guint64 offset;

  if (!ps_bytes_parse_write (g_variant_get_string (parameter, NULL), &offset, &data, &error))
    refuse_argument (self, "write-bytes", g_steal_pointer (&error));
  else if (!ps_session_write (self->session, offset, data, NULL, &error))
    ps_window_show_error (self, error);
  else
    ps_hex_view_goto (self->hex, offset);
}

static void
action_undo (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!ps_session_undo (self->session, NULL, &error))
    ps_window_show_error (self, error);
}

static char *
write_message (const PsWriteReport *r)
{
  g_autofree char *message = NULL;

  if (r->undo)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Restored %zu byte at 0x%" PRIx64,
                                         "Restored %zu bytes at 0x%" PRIx64, r->written),
                            r->written, r->offset);
  if (!r->private_copy)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrote %zu byte at 0x%" PRIx64,
                                            "Wrote %zu bytes at 0x%" PRIx64, r->written),
                               r->written, r->offset);
  else if (r->kind == PS_SOURCE_FILE)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Wrote %zu byte at 0x%" PRIx64 " to this process's private copy: the file is unchanged",
                                            "Wrote %zu bytes at 0x%" PRIx64 " to this process's private copy: the file is unchanged",
                                            r->written),
                               r->written, r->offset);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Wrote %zu byte at 0x%" PRIx64 " to this process's private copy: the segment is unchanged",
                                            "Wrote %zu bytes at 0x%" PRIx64 " to this process's private copy: the segment is unchanged",
                                            r->written),
                               r->written, r->offset);
  if (r->past_eof > 0 && !r->private_copy)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s; %" PRIu64 " byte lies past EOF and never reaches the file",
                                         "%s; %" PRIu64 " bytes lie past EOF and never reach the file",
                                         r->past_eof),
                            message, r->past_eof);
  return g_steal_pointer (&message);
}

static void
on_wrote (PsWindow            *self,
          const PsWriteReport *report)
{
  g_autofree char *message = write_message (report);

  ps_window_show_toast (self, message);
}

/* ---- msync -------------------------------------------------------------- */

static char *
dirty_text (gint64 bytes)
{
  return bytes < 0 ? g_strdup ("?") : g_strdup_printf ("%" G_GINT64_FORMAT " KiB", bytes / 1024);
}

static void
on_msync_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_session_msync_finish (PS_SESSION (object), result, NULL, &error))
    ps_window_show_error (self, error);
}

static void
action_msync (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  GError *error = NULL;
  PsMsyncArgs args;

  if (!ps_msync_args_parse (g_variant_get_string (parameter, NULL), &args, &error))
    {
      refuse_argument (self, "msync", error);
      return;
    }
  ps_session_msync_async (self->session, &args.range, args.flags, NULL, on_msync_done, g_object_ref (self));
}

static void
on_msync_finished (PsWindow            *self,
                   const PsMsyncReport *report)
{
  g_autofree char *sd0 = dirty_text (report->shared_dirty_before), *sd1 = dirty_text (report->shared_dirty_after);
  g_autofree char *pd0 = dirty_text (report->private_dirty_before), *pd1 = dirty_text (report->private_dirty_after);
  /* the counts are this process's mapping's only (smaps): a page only this
   * process maps counts as Private_Dirty even in a shared mapping, so the
   * toast says both, and whose they are */
  g_autofree char *d0 = dirty_text (report->shared_dirty_before < 0 || report->private_dirty_before < 0
                                    ? -1 : report->shared_dirty_before + report->private_dirty_before);
  g_autofree char *d1 = dirty_text (report->shared_dirty_after < 0 || report->private_dirty_after < 0
                                    ? -1 : report->shared_dirty_after + report->private_dirty_after);
  g_autofree char *message = g_strdup_printf (_("msync of %" PRIu64 " bytes took %.2f ms; this process's dirty pages in the mapping %s → %s"),
                                              report->length, report->elapsed_us / 1000.0, d0, d1);

  ps_event_log_add (self->log, FALSE, "smaps: Shared_Dirty %s → %s, Private_Dirty %s → %s",
                    sd0, sd1, pd0, pd1);
  ps_window_show_toast (self, message);
}

/* ---- writer children ---------------------------------------------------- */

static void
action_spawn_writers (GtkWidget  *widget,
                      const char *name,
                      GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  PsSpawnArgs args;

  if (!ps_spawn_args_parse (g_variant_get_string (parameter, NULL), &args, &error))
    refuse_argument (self, "spawn-writers", g_steal_pointer (&error));
  else if (!ps_session_spawn_writers (self->session, &args, &error))
    ps_window_show_error (self, error);
}

static void
on_writers_spawned (PsWindow *self,
                    guint     n)
{
  PsSource *source = ps_session_get_source (self->session);

  if (source != NULL && ps_source_is_private (source))
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
  g_autoptr(GError) error = NULL;
  guint64 pid;

  if (!ps_stop_args_parse (g_variant_get_string (parameter, NULL), &pid, &error))
    refuse_argument (self, "stop-writers", g_steal_pointer (&error));
  else if (!ps_session_stop_writers (self->session, pid, &error))
    ps_window_show_error (self, error);
}

/* ---- probe -------------------------------------------------------------- */

static void
on_probe_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  PsProbeResult probe;

  if (!ps_session_probe_finish (PS_SESSION (object), result, &probe, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ps_window_show_error (self, error);
      return;
    }
  {
    g_autofree char *explanation = ps_probe_explain (&probe);
    g_autofree char *message = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x: %s — %s", probe.offset,
                                                ps_probe_outcome_to_string (probe.outcome), explanation);
    ps_window_show_toast (self, message);
  }
}

static void
action_probe (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  GError *error = NULL;
  guint64 offset;
  gboolean write;

  if (!ps_probe_parse_arg (g_variant_get_string (parameter, NULL), &offset, &write, &error))
    {
      refuse_argument (self, "probe", error);
      return;
    }
  ps_session_probe_async (self->session, offset, write, NULL, on_probe_done, g_object_ref (self));
}

static void
on_sweep_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_session_sweep_finish (PS_SESSION (object), result, NULL, &error))
    ps_window_show_error (self, error);
}

static void
on_sweep_finished (PsWindow            *self,
                   const PsSweepReport *r)
{
  g_autofree char *message = NULL;

  if (r->cancelled)
    message = g_strdup_printf (_("Probe sweep cancelled after %" PRIu64 " of %" PRIu64 " pages: %u ok, %u zero-tail, %u SIGBUS, %u SIGSEGV"),
                               r->done, r->total, r->counts[PS_PROBE_OK], r->counts[PS_PROBE_ZERO_TAIL],
                               r->counts[PS_PROBE_SIGBUS], r->counts[PS_PROBE_SIGSEGV]);
  else
    message = g_strdup_printf (_("Probe sweep: %u ok, %u zero-tail, %u SIGBUS, %u SIGSEGV"),
                               r->counts[PS_PROBE_OK], r->counts[PS_PROBE_ZERO_TAIL],
                               r->counts[PS_PROBE_SIGBUS], r->counts[PS_PROBE_SIGSEGV]);
  ps_window_show_toast (self, message);
}

/* The first byte of every page from the one holding EOF to the guard page
 * past the mapping, in the background; each outcome is painted on the grid
 * as it comes. Asked again while one runs, it is refused; cancel-sweep
 * ends it. */
static void
action_probe_sweep (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  GError *error = NULL;
  gboolean write;

  if (!ps_sweep_args_parse (g_variant_get_string (parameter, NULL), &write, &error))
    {
      refuse_argument (self, "probe-sweep", error);
      return;
    }
  ps_session_sweep_async (self->session, write, NULL, on_sweep_done, g_object_ref (self));
}

static void
action_cancel_sweep (GtkWidget  *widget,
                     const char *name,
                     GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);

  if (!ps_session_is_sweeping (self->session))
    {
      refuse_argument (self, "cancel-sweep",
                       g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("no probe sweep is running")));
      return;
    }
  ps_session_cancel_sweep (self->session);
}

/* Every result the session reports, whoever asked for it: a toast. */
void
ps_window_follow_session (PsWindow *self)
{
  g_signal_connect_object (self->session, "wrote", G_CALLBACK (on_wrote), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "msync-finished", G_CALLBACK (on_msync_finished), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "writers-spawned", G_CALLBACK (on_writers_spawned), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "sweep-finished", G_CALLBACK (on_sweep_finished), self, G_CONNECT_SWAPPED);
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
      GtkWindow *parent = GTK_WINDOW (self);
      PsSource *source = ps_session_get_source (self->session);

      switch (kind)
        {
        case PS_DIALOG_WRITE:
          *slot = ps_write_dialog_new (parent, self->session);
          break;
        case PS_DIALOG_MSYNC:
          *slot = ps_msync_dialog_new (parent, self->session);
          break;
        case PS_DIALOG_WRITERS:
          *slot = ps_writers_dialog_new (parent, self->session);
          break;
        case PS_DIALOG_PROBE:
        default:
          /* start where it is interesting: the first byte past EOF */
          *slot = ps_probe_dialog_new (parent, self->session,
                                       probe_offset != G_MAXUINT64 ? probe_offset
                                                                   : source != NULL ? ps_source_get_geometry (source)->data_length : 0);
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
    if (g_str_equal (name + strlen ("win."), names[kind]))
      {
        if (!ps_session_is_open (self->session))
          refuse_argument (self, names[kind], g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("nothing is open")));
        else
          ps_window_present_dialog (self, kind, G_MAXUINT64);
      }
}

/* ---- keyboard shortcuts -------------------------------------------------- */

/* Built when first asked for, not (as GtkApplication does with
 * gtk/help-overlay.ui) for every window at start-up. Given to the window as
 * its help overlay, so that GTK fills in each shortcut's keys from the
 * application's accelerators (and follows them if they change). */
static void
action_show_help_overlay (GtkWidget  *widget,
                          const char *name,
                          GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);

  if (gtk_application_window_get_help_overlay (window) == NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/pagescope/Pagescope/help-overlay.ui");

      gtk_application_window_set_help_overlay (window, GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
    }
  gtk_window_present (GTK_WINDOW (gtk_application_window_get_help_overlay (window)));
}

/* ---- remove ------------------------------------------------------------- */

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    PsWindow         *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "remove"))
    return;
  if (!ps_session_remove (self->session, &error))
    ps_window_show_error (self, error);
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
  PsSource *source = ps_session_get_source (self->session);
  GtkWidget *dialog;
  g_autofree char *shown = NULL;
  gboolean sysv;

  if (source == NULL)
    {
      refuse_argument (self, "remove-segment", g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("nothing is open")));
      return;
    }
  sysv = ps_source_get_kind (source) == PS_SOURCE_SYSV;
  shown = ps_text_shorten (ps_source_get_display_name (source), PS_DISPLAY_MAX_CHARS);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove the Segment?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  sysv ? _("shmctl(IPC_RMID) marks %s for removal: its key is freed at once and it disappears when the last process detaches. Processes attached now keep it.")
                                       : _("shm_unlink removes the name %s: no new process can open it, and its memory is freed when the last mapping goes. Processes that map it now keep it."),
                                  shown);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- keys ---------------------------------------------------------------- */

/* Space pauses while the grid or the hex view has the focus, before their
 * own keys see it (the grid's Space would activate a page, as Enter does);
 * elsewhere the window's binding pauses only if nothing took it, so a
 * focused entry still types a space and a focused button is still pressed. */
static gboolean
space_over_views (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  PsWindow *self = PS_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL || (focus != GTK_WIDGET (self->grid) && focus != GTK_WIDGET (self->hex)))
    return FALSE;
  return gtk_widget_activate_action (widget, "win.pause", NULL);
}

void
ps_window_init_keys (PsWindow *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkShortcutAction *pause = gtk_callback_action_new (space_over_views, NULL, NULL);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_KP_Space, 0)),
                                                          pause));
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* ---- enabling ------------------------------------------------------------ */

void
ps_window_update_actions (PsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  PsSource *source = ps_session_get_source (self->session);
  gboolean open = source != NULL;
  gboolean segment = open && (ps_source_get_kind (source) == PS_SOURCE_SYSV ||
                              ps_source_get_kind (source) == PS_SOURCE_POSIX);
  static const char *need_open[] = {
    "pause", "write-dialog", "msync-dialog", "writers-dialog", "probe-dialog", "probe-sweep",
    "write-bytes", "msync", "spawn-writers", "probe",
  };

  for (guint i = 0; i < G_N_ELEMENTS (need_open); i++)
    gtk_widget_action_set_enabled (widget, need_open[i], open);
  /* undo stays enabled: with nothing to undo it says so, where a disabled
   * action activated by a script would be dropped without a word */
  gtk_widget_action_set_enabled (widget, "undo", open);
  gtk_widget_action_set_enabled (widget, "cancel-sweep", ps_session_is_sweeping (self->session));
  gtk_widget_action_set_enabled (widget, "remove-segment", segment);
  gtk_widget_action_set_enabled (widget, "zoom-in", ps_page_grid_can_zoom (self->grid, +1));
  gtk_widget_action_set_enabled (widget, "zoom-out", ps_page_grid_can_zoom (self->grid, -1));
  gtk_widget_action_set_enabled (widget, "zoom-fit", !ps_page_grid_get_fit (self->grid));
}

void
ps_window_class_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open-dialog", "s", action_open_dialog);
  gtk_widget_class_install_action (widget_class, "win.open-spec", "s", action_open_spec);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, action_open_demo);
  gtk_widget_class_install_action (widget_class, "win.close", NULL, action_close);
  gtk_widget_class_install_property_action (widget_class, "win.pause", "paused");
  gtk_widget_class_install_property_action (widget_class, "win.presentation", "presenting");
  gtk_widget_class_install_action (widget_class, "win.show-message", "s", action_show_message);
  /* bindings, not an application accelerator: those run before the focus
   * widget sees the key, so Space could never be typed into the find bar
   * nor press a focused button (see also ps_window_init_keys) */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "win.pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Space, 0, "win.pause", NULL);
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
  gtk_widget_class_install_action (widget_class, "win.cancel-sweep", NULL, action_cancel_sweep);
  gtk_widget_class_install_action (widget_class, "win.write-dialog", NULL, action_dialog);
  gtk_widget_class_install_action (widget_class, "win.msync-dialog", NULL, action_dialog);
  gtk_widget_class_install_action (widget_class, "win.writers-dialog", NULL, action_dialog);
  gtk_widget_class_install_action (widget_class, "win.probe-dialog", NULL, action_dialog);
  gtk_widget_class_install_action (widget_class, "win.remove-segment", NULL, action_remove_segment);
}
