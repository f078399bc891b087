/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What recording, replay and diff share in the window: their state, made
 * and released with the window, their actions, and one file chooser. */
#define G_LOG_DOMAIN "pagescope-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-window-time.h"

/* ---- the file chooser -------------------------------------------------------- */

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     PsWindow        *self)
{
  PsChosenFunc func = g_object_get_data (G_OBJECT (dialog), "ps-chosen-func");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  const char *choice;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = file != NULL ? g_file_get_path (file) : NULL;
    }
  /* asked only of a chooser given one: GtkFileChooserNative warns otherwise */
  choice = g_object_get_data (G_OBJECT (dialog), "ps-has-choice") != NULL
           ? gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "choice") : NULL;
  if (path != NULL)
    func (self, path, choice);
  else if (response == GTK_RESPONSE_ACCEPT)
    ps_window_show_toast (self, _("Only local files can be used"));
  /* the response is the last the chooser says: it may go */
  if (self->time->chooser == dialog)
    g_clear_object (&self->time->chooser);
}

GtkFileChooser *
ps_window_time_choose (PsWindow            *self,
                       const char          *title,
                       GtkFileChooserAction action,
                       const char          *accept,
                       const char          *name,
                       PsChosenFunc         func)
{
  PsWindowTime *t = self->time;

  if (t->chooser != NULL)
    {
      gtk_native_dialog_destroy (t->chooser);
      g_clear_object (&t->chooser);
    }
  t->chooser = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept, _("_Cancel")));
  gtk_native_dialog_set_modal (t->chooser, TRUE);
  if (name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (t->chooser), name);
  g_object_set_data (G_OBJECT (t->chooser), "ps-chosen-func", func);
  g_signal_connect_object (t->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  return GTK_FILE_CHOOSER (t->chooser);
}

char *
ps_window_time_file_name (PsWindow   *self,
                          const char *suffix)
{
  PsSource *source = ps_session_get_source (self->session);
  g_autofree char *base = g_path_get_basename (source != NULL ? ps_source_get_display_name (source) : "pagescope");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  g_strdelimit (base, "/\\:?*\"<>| ", '_');
  return g_strdup_printf ("%s-%s%s", base[0] == '.' ? base + 1 : base, stamp, suffix);
}

/* ---- actions ------------------------------------------------------------------- */

void
ps_window_time_update_actions (PsWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean open = ps_session_is_open (self->session);
  gboolean replay = ps_window_is_replay (self);
  gboolean diff = self->time->snapshot != NULL;

  gtk_widget_action_set_enabled (widget, "win.record", open || self->time->recorder != NULL);
  gtk_widget_action_set_enabled (widget, "win.record-to", open);
  gtk_widget_action_set_enabled (widget, "win.freeze", open);
  gtk_widget_action_set_enabled (widget, "win.compare-file", open);
  gtk_widget_action_set_enabled (widget, "win.save-snapshot", diff);
  gtk_widget_action_set_enabled (widget, "win.stop-diff", diff);
  gtk_widget_action_set_enabled (widget, "win.diff-only-changed", diff);
  gtk_widget_action_set_enabled (widget, "win.export-recording", replay && self->time->replay != NULL);
}

void
ps_window_class_install_time_actions (GtkWidgetClass *widget_class)
{
  g_type_ensure (PS_TYPE_REPLAY_BAR);
  g_type_ensure (PS_TYPE_DIFF_VIEW);
  ps_window_record_install_actions (widget_class);
  ps_window_replay_install_actions (widget_class);
  ps_window_diff_install_actions (widget_class);
}

static void
on_source (PsWindow *self)
{
  ps_window_diff_stop (self);
  if (ps_session_is_open (self->session))
    ps_window_replay_leave (self);
  ps_window_time_update_actions (self);
}

void
ps_window_time_init (PsWindow *self)
{
  self->time = g_new0 (PsWindowTime, 1);
  self->time->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->session, "notify::source", G_CALLBACK (on_source), self, G_CONNECT_SWAPPED);
  ps_window_time_update_actions (self);
}

void
ps_window_time_dispose (PsWindow *self)
{
  PsWindowTime *t = self->time;

  if (t == NULL)
    return;
  g_cancellable_cancel (t->cancellable);
  if (t->chooser != NULL)
    gtk_native_dialog_destroy (t->chooser);
  g_clear_object (&t->chooser);
  ps_window_record_dispose (self);
  ps_window_replay_dispose (self);
  ps_window_diff_dispose (self);
  g_clear_object (&t->cancellable);
  g_clear_pointer (&self->time, g_free);
}
