/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When the object goes from under the window: a SysV segment removed
 * (IPC_RMID), a POSIX segment unlinked (shm_unlink), the file deleted or
 * replaced by another of the same name. The mapping stays, so the window
 * keeps showing it and says so in a banner above the views; win.reopen opens
 * whatever answers to the name now, enabled once something does
 * (ps_source_name_taken, looked up at most twice a second). */
#define G_LOG_DOMAIN "pagescope-window"

#include "config.h"

#include <glib/gi18n.h>
#include <sys/ipc.h>

#include "ps-parse.h"
#include "ps-window-private.h"

/* How often the name is looked up again while the banner shows. */
#define NAME_CHECK_US (500 * G_TIME_SPAN_MILLISECOND)

/* What happened, by kind; the name bounded (it is outside input). */
static char *
what_happened (PsSource *source)
{
  g_autofree char *name = ps_text_shorten (ps_source_get_display_name (source), PS_DISPLAY_MAX_CHARS + 64);

  switch (ps_source_get_kind (source))
    {
    case PS_SOURCE_SYSV:
      /* TRANSLATORS: %s names the segment ("SysV key 0x1234 (shmid 5)") */
      return g_strdup_printf (_("%s was removed (IPC_RMID): this window still shows it, attached until you "
                                "reopen or open something else."), name);
    case PS_SOURCE_POSIX:
      /* TRANSLATORS: %s names the segment ("POSIX /demo") */
      return g_strdup_printf (_("%s was unlinked (shm_unlink): nobody can open it by its name any more; this "
                                "window still shows it, mapped until you reopen or open something else."), name);
    default:
      /* TRANSLATORS: %s is the file's path */
      return g_strdup_printf (_("%s was deleted or replaced by another file: this window still shows the old "
                                "file, mapped until you reopen or open something else."), name);
    }
}

static const char *
what_next (PsSource *source,
           gboolean  taken)
{
  /* a segment opened by shmid has no key (IPC_PRIVATE) to find another by */
  if (ps_source_get_kind (source) == PS_SOURCE_SYSV && ps_source_get_key (source) == IPC_PRIVATE)
    return _("It was opened by its shmid, which no new segment can have: there is nothing to reopen.");
  if (taken)
    return ps_source_get_kind (source) == PS_SOURCE_SYSV
           ? _("A new segment with that key exists now: Reopen opens it.")
           : _("Something new of that name exists now: Reopen opens it.");
  return ps_source_get_kind (source) == PS_SOURCE_SYSV
         ? _("Reopen becomes possible once a segment with that key exists again.")
         : _("Reopen becomes possible once something of that name exists again.");
}

static void
show (PsWindow *self,
      PsSource *source)
{
  g_autofree char *what = what_happened (source);
  g_autofree char *text = g_strdup_printf ("%s %s", what, what_next (source, self->gone_taken));

  gtk_label_set_text (self->gone_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reopen", self->gone_taken);
  gtk_revealer_set_reveal_child (self->gone_revealer, TRUE);
}

void
ps_window_gone_update_frame (PsWindow *self,
                             PsFrame  *frame)
{
  PsSource *source = ps_session_get_source (self->session);
  gint64 now = g_get_monotonic_time ();
  gboolean shown = gtk_revealer_get_reveal_child (self->gone_revealer);
  gboolean taken;
  PsSourceKind kind;

  if (source == NULL || !(frame->flags & PS_FRAME_REMOVED))
    return;
  /* a process view says why it went in its own words (the status bar) */
  kind = ps_source_get_kind (source);
  if (ps_source_is_view (source) ||
      (kind != PS_SOURCE_FILE && kind != PS_SOURCE_POSIX && kind != PS_SOURCE_SYSV))
    return;
  if (shown && now - self->gone_checked_us < NAME_CHECK_US)
    return;
  self->gone_checked_us = now;
  taken = ps_source_name_taken (source);
  if (shown && taken == self->gone_taken)
    return;
  self->gone_taken = taken;
  show (self, source);
}

void
ps_window_gone_reset (PsWindow *self)
{
  self->gone_taken = FALSE;
  self->gone_checked_us = 0;
  gtk_revealer_set_reveal_child (self->gone_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reopen", FALSE);
}

/* Opens what answers to the name now, as it was opened (writable or not,
 * same offset and length); a failure is a toast and the old mapping stays. */
static void
action_reopen (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  PsSource *source = ps_session_get_source (self->session);
  PsSourceSpec *spec;
  g_autoptr(GError) error = NULL;

  if (source == NULL)
    return;
  spec = ps_source_dup_spec (source);
  ps_window_open_spec (self, spec, &error);
  ps_source_spec_clear (spec);
  g_free (spec);
}

void
ps_window_class_install_gone_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.reopen", NULL, action_reopen);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, gone_revealer);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, gone_label);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, gone_reopen);
}
