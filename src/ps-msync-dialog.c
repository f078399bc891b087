/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msync: MS_SYNC or MS_ASYNC, MS_INVALIDATE, the whole mapping or the
 * selection rounded out to whole pages. Run asks the session, which runs it
 * in a worker thread; its report (the session's "msync-finished", whoever
 * asked) or why it failed shows here, and the dialog stays open to run
 * again. */
#define G_LOG_DOMAIN "pagescope-msync-dialog"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <sys/mman.h>

#include "ps-label.h"
#include "ps-msync-dialog.h"

#define PS_TYPE_MSYNC_DIALOG (ps_msync_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PsMsyncDialog, ps_msync_dialog, PS, MSYNC_DIALOG, AdwWindow)

struct _PsMsyncDialog
{
  AdwWindow            parent_instance;

  /* template children */
  AdwPreferencesGroup *flags_group;
  GtkCheckButton      *sync_check;
  GtkCheckButton      *async_check;
  GtkSwitch           *invalidate_switch;
  AdwActionRow        *whole_row;
  GtkCheckButton      *whole_check;
  AdwActionRow        *selection_row;
  GtkCheckButton      *selection_check;
  GtkLabel            *error_label;
  GtkWidget           *result_group;
  GtkLabel            *call_label;
  GtkLabel            *time_label;
  GtkLabel            *shared_label;
  GtkLabel            *private_label;
  GtkWidget           *run_button;

  PsSession           *session;
  GCancellable        *cancellable;     /* cancelled when the dialog goes */
  gboolean             has_selection;   /* the selection rounded out to pages */
  guint64              sel_offset;
  guint64              sel_length;
};

G_DEFINE_FINAL_TYPE (PsMsyncDialog, ps_msync_dialog, ADW_TYPE_WINDOW)

static PsSource *
current_source (PsMsyncDialog *self)
{
  /* NULL while the dialog is being built, before it has its session */
  return self->session != NULL ? ps_session_get_source (self->session) : NULL;
}

static guint64
round_up (guint64 value,
          guint64 to)
{
  return (value + to - 1) / to * to;
}

/* "0x1000–0x2fff, 8192 bytes (2 pages)" */
static char *
format_pages (guint64 offset,
              guint64 length,
              guint64 page_size)
{
  guint64 n_pages = length / page_size;
  g_autofree char *bytes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " byte", "%" PRIu64 " bytes", length), length);
  g_autofree char *pages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " page", "%" PRIu64 " pages", n_pages), n_pages);

  /* TRANSLATORS: a range, its size and its page count */
  return g_strdup_printf (_("0x%" PRIx64 "–0x%" PRIx64 ", %s (%s)"), offset, offset + length - 1, bytes, pages);
}

static char *
format_dirty (gint64 bytes)
{
  return bytes < 0 ? g_strdup ("?") : g_strdup_printf (_("%" PRIi64 " KiB"), bytes / 1024);
}

static char *
format_elapsed (gint64 us)
{
  if (us < 1000)
    return g_strdup_printf (_("%" PRIi64 " µs"), us);
  return g_strdup_printf (_("%.2f ms"), us / 1000.0);
}

/* What msync can do here: a private copy or shared memory has no file to
 * write back to, and that is the lesson, not an error. */
static void
setup_description (PsMsyncDialog *self,
                   PsSource      *source)
{
  if (ps_source_is_private (source))
    adw_preferences_group_set_description (self->flags_group,
                                           _("This mapping is MAP_PRIVATE: the pages it wrote are this process’s own copies, and msync never carries them to the file."));
  else if (ps_source_is_shmem (source))
    adw_preferences_group_set_description (self->flags_group,
                                           _("Shared memory has no file behind it: its pages are the object itself, so msync has nothing to write back."));
}

/* ---- the range ---- */

static void
setup_ranges (PsMsyncDialog *self,
              PsSource      *source)
{
  const PsGeometry *g = ps_source_get_geometry (source);
  PsRange selection;
  guint64 offset = 0, length = 0;
  g_autofree char *whole = format_pages (0, round_up (g->length, g->page_size), g->page_size);
  g_autofree char *subtitle = NULL;

  adw_action_row_set_subtitle (self->whole_row, whole);

  self->has_selection = FALSE;
  if (ps_session_get_selection (self->session, &selection))
    {
      offset = selection.offset;
      length = MIN (selection.length, g->length - MIN (offset, g->length));
      self->has_selection = length > 0;
    }
  if (self->has_selection)
    {
      g_autofree char *pages = NULL;

      self->sel_offset = offset / g->page_size * g->page_size;
      self->sel_length = round_up (offset + length, g->page_size) - self->sel_offset;
      pages = format_pages (self->sel_offset, self->sel_length, g->page_size);
      subtitle = g_strdup_printf (_("%s: the selection 0x%" PRIx64 "–0x%" PRIx64 " rounded out to whole pages"),
                                  pages, offset, offset + length - 1);
    }
  else
    subtitle = g_strdup (_("Nothing is selected: select bytes in the hex view or pages in the grid first"));
  adw_action_row_set_subtitle (self->selection_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->selection_row), self->has_selection);
}

static void
on_range_toggled (PsMsyncDialog *self)
{
  /* a radio group: only the active button's toggle matters, and both come */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.run",
                                 current_source (self) != NULL && !ps_session_is_syncing (self->session) &&
                                 (gtk_check_button_get_active (self->whole_check) || self->has_selection));
}

/* ---- running ---- */

static void
on_msync_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PsMsyncDialog *self;

  if (ps_session_msync_finish (PS_SESSION (object), result, NULL, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* a report shows through "msync-finished"; a closed dialog shows nothing */
  self = PS_MSYNC_DIALOG (user_data);
  /* the message names the call, the errno and why, e.g. EBUSY for
   * MS_INVALIDATE on locked pages */
  ps_label_show (self->error_label, error->message);
  gtk_widget_set_visible (self->result_group, FALSE);
}

static void
action_run (GtkWidget  *widget,
            const char *name,
            GVariant   *parameter)
{
  PsMsyncDialog *self = PS_MSYNC_DIALOG (widget);
  PsSource *source = current_source (self);
  PsRangeArg range = { TRUE, 0, 0 };
  int flags;

  if (source == NULL)
    return;
  flags = gtk_check_button_get_active (self->async_check) ? MS_ASYNC : MS_SYNC;
  if (gtk_switch_get_active (self->invalidate_switch))
    flags |= MS_INVALIDATE;
  if (gtk_check_button_get_active (self->selection_check) && self->has_selection)
    {
      const PsGeometry *g = ps_source_get_geometry (source);

      /* the core rounds the end up to a page itself, and refuses a length
       * past the mapping: the last page may be partly mapped */
      range.offset = self->sel_offset;
      range.length = MIN (self->sel_length, g->length - self->sel_offset);
    }
  ps_label_show (self->error_label, NULL);
  ps_session_msync_async (self->session, &range, flags, self->cancellable, on_msync_done, self);
}

static void
on_msync_finished (PsSession           *session,
                   const PsMsyncReport *report,
                   PsMsyncDialog       *self)
{
  PsSource *source = current_source (self);
  g_autofree char *flags = ps_msync_flags_to_string (report->flags);
  g_autofree char *call = NULL;
  g_autofree char *elapsed = format_elapsed (report->elapsed_us);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *clock = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *time = NULL;
  g_autofree char *sd0 = format_dirty (report->shared_dirty_before);
  g_autofree char *sd1 = format_dirty (report->shared_dirty_after);
  g_autofree char *pd0 = format_dirty (report->private_dirty_before);
  g_autofree char *pd1 = format_dirty (report->private_dirty_after);
  g_autofree char *shared = g_strdup_printf ("%s → %s", sd0, sd1);
  g_autofree char *private = g_strdup_printf ("%s → %s", pd0, pd1);

  if (source == NULL)
    return;
  /* the call as the log writes it */
  call = g_strdup_printf ("msync(%p, %" PRIu64 ", %s) = 0",
                          (void *) (ps_source_get_data (source) + report->offset), report->length, flags);
  /* TRANSLATORS: how long msync took, and when it ran: "0.42 ms, at 12:03:04" */
  time = g_strdup_printf (_("%s, at %s"), elapsed, clock);

  gtk_label_set_text (self->call_label, call);
  gtk_label_set_text (self->time_label, time);
  gtk_label_set_text (self->shared_label, shared);
  gtk_label_set_text (self->private_label, private);
  ps_label_show (self->error_label, NULL);
  gtk_widget_set_visible (self->result_group, TRUE);
}

/* Enter runs msync from any control: the radio buttons, the switch and
 * the rows would each take it for themselves, so this runs first, in the
 * capture phase. A focused button (Close) keeps its own Enter. */
static gboolean
on_enter (GtkWidget *widget,
          GVariant  *args,
          gpointer   data)
{
  PsMsyncDialog *self = PS_MSYNC_DIALOG (widget);

  if (GTK_IS_BUTTON (gtk_window_get_focus (GTK_WINDOW (self))))
    return FALSE;
  if (gtk_widget_is_sensitive (self->run_button))
    gtk_widget_activate (self->run_button);
  return TRUE;
}

/* ---- lifetime ---- */

static void
ps_msync_dialog_dispose (GObject *object)
{
  PsMsyncDialog *self = PS_MSYNC_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_MSYNC_DIALOG);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_msync_dialog_parent_class)->dispose (object);
}

static void
ps_msync_dialog_class_init (PsMsyncDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_msync_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-msync-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, flags_group);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, sync_check);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, async_check);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, invalidate_switch);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, whole_row);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, whole_check);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, selection_row);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, selection_check);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, result_group);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, call_label);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, time_label);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, shared_label);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, private_label);
  gtk_widget_class_bind_template_child (widget_class, PsMsyncDialog, run_button);
  gtk_widget_class_bind_template_callback (widget_class, on_range_toggled);

  gtk_widget_class_install_action (widget_class, "dialog.run", NULL, action_run);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_msync_dialog_init (PsMsyncDialog *self)
{
  GtkEventController *enter = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_event_controller_set_propagation_phase (enter, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (enter),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Return|KP_Enter|ISO_Enter"),
                                                          gtk_callback_action_new (on_enter, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), enter);
}

static void
on_source_changed (PsMsyncDialog *self)
{
  PsSource *source = current_source (self);

  if (source != NULL)
    {
      setup_description (self, source);
      setup_ranges (self, source);
    }
  on_range_toggled (self);
}

GtkWindow *
ps_msync_dialog_new (GtkWindow *parent,
                     PsSession *session)
{
  PsMsyncDialog *self;

  g_return_val_if_fail (PS_IS_SESSION (session), NULL);

  self = g_object_new (PS_TYPE_MSYNC_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (session, "msync-finished", G_CALLBACK (on_msync_finished), self, 0);
  g_signal_connect_object (session, "notify::source", G_CALLBACK (on_source_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::selection", G_CALLBACK (on_source_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::syncing", G_CALLBACK (on_range_toggled), self, G_CONNECT_SWAPPED);

  on_source_changed (self);
  /* the selection, when there is one, is what the user meant */
  if (self->has_selection)
    gtk_check_button_set_active (self->selection_check, TRUE);
  on_range_toggled (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->sync_check));
  return GTK_WINDOW (self);
}
