/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recording from the window: win.record (the header bar's toggle) asks
 * where, with the cap as a choice of the file chooser, and starts a
 * PsRecorder on the window's session; the status line says how it goes
 * twice a second (the recorder's stats are a few counters, read without a
 * lock on the file); stopping never waits on the main loop
 * (ps_recorder_stop_async) and says where the file is. */
#define G_LOG_DOMAIN "pagescope-window"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ps-window-time.h"

#define TRACE_SUFFIX ".pagescope-trace"

static GSettings *
settings_of (PsWindow *self)
{
  return ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

/* ---- the status line ---------------------------------------------------------- */

static void
update_label (PsWindow *self)
{
  PsWindowTime *t = self->time;
  PsRecordStats stats;
  g_autofree char *stored = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) line = g_string_new (NULL);

  if (t->recorder == NULL)
    return;
  ps_recorder_get_stats (t->recorder, &stats);
  stored = g_format_size (stats.bytes);
  /* TRANSLATORS: the status line while recording: "● Recording 0:12 · 1234 changes · 2.1 MB of bytes" */
  g_string_append_printf (line, _("● Recording %d:%02d · %" PRIu64 " changes · %s of bytes"),
                          (int) (stats.duration_us / G_USEC_PER_SEC / 60),
                          (int) (stats.duration_us / G_USEC_PER_SEC % 60), stats.changes, stored);
  if (stats.cap_reached)
    g_string_append_printf (line, " · %s", _("cap reached: no more bytes kept"));
  if (stats.dropped > 0)
    g_string_append_printf (line, " · %s", _("the disk falls behind: rows dropped"));
  gtk_label_set_text (t->record_label, line->str);
  text = g_strdup_printf (_("Recording to %s: %" PRIu64 " rows written, %" PRIu64 " events, %" PRIu64 " rows dropped"),
                          ps_recorder_get_path (t->recorder),
                          stats.rows_written, stats.events, stats.dropped);
  gtk_widget_set_tooltip_text (GTK_WIDGET (t->record_label), text);
}

static gboolean
on_record_tick (gpointer data)
{
  update_label (data);
  return G_SOURCE_CONTINUE;
}

static void
ensure_label (PsWindow *self)
{
  PsWindowTime *t = self->time;
  GtkWidget *line = gtk_widget_get_parent (GTK_WIDGET (self->status_bar));

  if (t->record_label != NULL)
    return;
  t->record_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (t->record_label), "ps-status");
  gtk_widget_add_css_class (GTK_WIDGET (t->record_label), "error");
  gtk_widget_set_margin_end (GTK_WIDGET (t->record_label), 8);
  gtk_widget_insert_after (GTK_WIDGET (t->record_label), line, GTK_WIDGET (self->status_bar));
}

/* ---- start and stop -------------------------------------------------------------- */

static void
on_stopped_finish (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  PsRecorder *recorder = PS_RECORDER (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (!ps_recorder_stop_finish (recorder, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ps_window_show_toast (self, error->message);
      return;
    }
  if (self->time == NULL)
    return;
  /* TRANSLATORS: a toast when a recording stops */
  text = g_strdup_printf (_("Recording saved to %s"), ps_recorder_get_path (recorder));
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("_Replay"));
  adw_toast_set_action_name (toast, "win.open-recording");
  adw_toast_set_action_target_value (toast, g_variant_new_string (ps_recorder_get_path (recorder)));
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
stop_recording (PsWindow *self)
{
  PsWindowTime *t = self->time;
  g_autoptr(PsRecorder) recorder = g_steal_pointer (&t->recorder);

  if (recorder == NULL)
    return;
  g_signal_handlers_disconnect_by_data (recorder, self);
  g_clear_handle_id (&t->record_tick, g_source_remove);
  if (t->record_label != NULL)
    gtk_label_set_text (t->record_label, "");
  ps_recorder_stop_async (recorder, NULL, on_stopped_finish, g_object_ref (self));
  g_object_notify (G_OBJECT (self), "recording");
  ps_window_time_update_actions (self);
}

static void
on_recorder_stopped (PsRecorder *recorder,
                     GError     *reason,
                     PsWindow   *self)
{
  if (reason != NULL)
    ps_window_show_toast (self, reason->message);
  stop_recording (self);
}

gboolean
ps_window_record_to (PsWindow   *self,
                     const char *path,
                     guint64     cap_bytes,
                     GError    **error)
{
  PsWindowTime *t = self->time;
  PsRecorder *recorder;

  g_return_val_if_fail (PS_IS_WINDOW (self), FALSE);

  if (t->recorder != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("record: already recording to %s"),
                   ps_recorder_get_path (t->recorder));
      return FALSE;
    }
  /* the chooser asked before replacing a file */
  recorder = ps_recorder_start (self->session, path, cap_bytes, PS_RECORDER_REPLACE, error);
  if (recorder == NULL)
    return FALSE;
  t->recorder = recorder;
  g_signal_connect_object (recorder, "stopped", G_CALLBACK (on_recorder_stopped), self, 0);
  ensure_label (self);
  update_label (self);
  t->record_tick = g_timeout_add (500, on_record_tick, self);
  g_object_notify (G_OBJECT (self), "recording");
  ps_window_time_update_actions (self);
  return TRUE;
}

static void
start_chosen (PsWindow   *self,
              const char *path,
              const char *choice)
{
  g_autoptr(GError) error = NULL;
  guint64 cap_mib = g_settings_get_uint (settings_of (self), "record-cap-mib");
  guint64 chosen;

  /* an id of ours, or the setting as it stands */
  if (choice != NULL && g_ascii_string_to_unsigned (choice, 10, 0, 1048576, &chosen, NULL))
    cap_mib = chosen;
  g_settings_set_uint (settings_of (self), "record-cap-mib", (guint) cap_mib);
  if (!ps_window_record_to (self, path, cap_mib << 20, &error))
    ps_window_show_error (self, error);
}

/* The cap as a choice of the chooser, the setting's value first: GTK 4.8's
 * own file chooser (the one used without the portal) ignores
 * gtk_file_chooser_set_choice for a choice with options and starts on the
 * first one, which was "no bytes", so a user who did not touch it recorded
 * no bytes at all. First is what stands, whichever chooser shows it. */
static void
add_cap_choice (PsWindow       *self,
                GtkFileChooser *chooser)
{
  static const guint caps[] = { 0, 16, 64, 256, 1024, 4096 };
  const char *ids[G_N_ELEMENTS (caps) + 2] = { NULL };
  const char *labels[G_N_ELEMENTS (caps) + 2] = { NULL };
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  guint cap = g_settings_get_uint (settings_of (self), "record-cap-mib");
  guint n = 0;

  for (gint i = -1; i < (gint) G_N_ELEMENTS (caps); i++)
    {
      guint value = i < 0 ? cap : caps[i];
      char *id, *label;

      if (i >= 0 && value == cap)
        continue;     /* first already */
      id = g_strdup_printf ("%u", value);
      /* TRANSLATORS: a choice of how many bytes a recording keeps */
      label = value == 0 ? g_strdup (_("No bytes, only page changes"))
                         : g_strdup_printf (_("Up to %u MiB of changed bytes"), value);
      g_ptr_array_add (texts, id);
      g_ptr_array_add (texts, label);
      ids[n] = id;
      labels[n] = label;
      n++;
    }
  gtk_file_chooser_add_choice (chooser, "choice", _("Keep"), ids, labels);
  g_object_set_data (G_OBJECT (chooser), "ps-has-choice", GINT_TO_POINTER (TRUE));
  gtk_file_chooser_set_choice (chooser, "choice", ids[0]);
}

gboolean
ps_window_get_recording (PsWindow *self)
{
  return self->time != NULL && self->time->recorder != NULL;
}

void
ps_window_set_recording (PsWindow *self,
                         gboolean  recording)
{
  g_autofree char *name = NULL;
  GtkFileChooser *chooser;

  if (recording == ps_window_get_recording (self))
    return;
  if (!recording)
    {
      stop_recording (self);
      return;
    }
  if (!ps_session_is_open (self->session))
    {
      ps_window_show_toast (self, _("record: nothing is open to record"));
      g_object_notify (G_OBJECT (self), "recording");
      return;
    }
  /* "recording" turns TRUE when the file is chosen and the recorder runs */
  name = ps_window_time_file_name (self, TRACE_SUFFIX);
  chooser = ps_window_time_choose (self, _("Record Into"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Record"), name,
                                   start_chosen);
  add_cap_choice (self, chooser);
  gtk_native_dialog_show (self->time->chooser);
  g_object_notify (G_OBJECT (self), "recording");
}

static void
action_record_to (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  guint cap = g_settings_get_uint (settings_of (self), "record-cap-mib");
  const char *path = g_variant_get_string (parameter, NULL);

  if (path[0] == '\0')
    {
      ps_window_set_recording (self, !ps_window_get_recording (self));
      return;
    }
  if (!ps_window_record_to (self, path, (guint64) cap << 20, &error))
    ps_window_show_error (self, error);
}

PsRecorder *
ps_window_get_recorder (PsWindow *self)
{
  return self->time->recorder;
}

void
ps_window_record_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_property_action (widget_class, "win.record", "recording");
  gtk_widget_class_install_action (widget_class, "win.record-to", "s", action_record_to);
}

void
ps_window_record_dispose (PsWindow *self)
{
  PsWindowTime *t = self->time;

  g_clear_handle_id (&t->record_tick, g_source_remove);
  if (t->recorder != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* the window goes: the last transaction is written now (tens of ms) */
      g_signal_handlers_disconnect_by_data (t->recorder, self);
      if (!ps_recorder_stop (t->recorder, &error))
        g_warning ("%s", error->message);
      g_clear_object (&t->recorder);
    }
}
