/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The probe dialog: an offset and Read or Write (a write says what it will
 * do before it runs), Probe and Sweep (the session's, in the background,
 * with its progress and a Cancel); the outcome from the session's
 * "probe-finished", with its explanation, and the geometry drawn as a strip
 * (PsProbeStrip). */
#define G_LOG_DOMAIN "pagescope-probe-dialog"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <math.h>

#include "ps-label.h"
#include "ps-parse.h"
#include "ps-probe-dialog.h"
#include "ps-probe-strip.h"
#include "ps-probe.h"

/* ---- the dialog ------------------------------------------------------------ */

#define PS_TYPE_PROBE_DIALOG (ps_probe_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PsProbeDialog, ps_probe_dialog, PS, PROBE_DIALOG, AdwWindow)

struct _PsProbeDialog
{
  AdwWindow        parent_instance;

  /* template children */
  AdwEntryRow     *offset_row;
  AdwActionRow    *access_row;
  GtkToggleButton *read_button;
  GtkToggleButton *write_button;
  GtkRevealer     *write_revealer;
  GtkLabel        *write_warning_label;
  GtkLabel        *error_label;
  GtkButton       *probe_button;
  GtkButton       *sweep_button;
  GtkLabel        *status_label;
  GtkLabel        *outcome_label;
  GtkLabel        *detail_label;
  GtkLabel        *explanation_label;
  PsProbeStrip    *strip;
  GtkLabel        *caption_label;

  PsSession       *session;
  GCancellable    *cancellable;   /* cancelled when the dialog goes */
  PsProbeResult    result;        /* the last probe the session reported */
  gboolean         have_result;
};

G_DEFINE_FINAL_TYPE (PsProbeDialog, ps_probe_dialog, ADW_TYPE_WINDOW)

static const char *const outcome_classes[] = { "success", "warning", "error" };

static PsSource *
current_source (PsProbeDialog *self)
{
  /* NULL while the dialog is being built, before it has its session */
  return self->session != NULL ? ps_session_get_source (self->session) : NULL;
}

static void update_offset (PsProbeDialog *self);

/* ---- errors ---- */

/* The last status or failure goes; what is wrong with the offset stays. */
static void
clear_error (PsProbeDialog *self)
{
  ps_label_show (self->status_label, NULL);
  update_offset (self);
}

/* ---- the strip and its words ---- */

static void
update_caption (PsProbeDialog *self)
{
  g_autofree char *text = ps_probe_strip_describe (self->strip);

  gtk_label_set_text (self->caption_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->strip), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static gboolean
typed_offset (PsProbeDialog *self,
              guint64       *offset,
              GError       **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->offset_row))));

  if (*text == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Type an offset into the mapping, e.g. 4096 or 0x1000"));
      return FALSE;
    }
  return ps_parse_offset (text, _("offset"), offset, error);
}

/* The offset typed, if a probe can be made there; else NULL and why. Past
 * the guard page is not this mapping's, and the window refuses it. */
static char *
check_offset (PsProbeDialog *self,
              guint64       *offset)
{
  g_autoptr(GError) error = NULL;
  PsGeometry geometry;
  const PsGeometry *g = &geometry;

  if (!typed_offset (self, offset, &error))
    return g_strdup (error->message);
  if (ps_probe_strip_get_geometry (self->strip, &geometry) && ps_probe_expected (g, *offset) == PS_PROBE_OTHER)
    {
      g_autofree char *at = ps_format_offset (*offset);
      g_autofree char *last = ps_format_offset ((g->n_pages + 1) * g->page_size - 1);

      return g_strdup_printf (_("Offset %s lies past the guard page, so it cannot be probed: type an offset up to %s, "
                                "the guard page’s last byte"), at, last);
    }
  return NULL;
}

/* Probe only for an offset that can be probed: else the row is marked and
 * the error line says why. */
static void
update_offset (PsProbeDialog *self)
{
  guint64 offset;
  g_autofree char *problem = check_offset (self, &offset);

  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->offset_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->offset_row), "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.run", problem == NULL);
  ps_label_show (self->error_label, problem);
}

/* The marker follows what is typed; it keeps the last outcome while the
 * offset is the one probed. */
static void
on_offset_changed (PsProbeDialog *self)
{
  guint64 offset = 0;
  gboolean valid = typed_offset (self, &offset, NULL);
  gboolean probed = valid && self->have_result && self->result.offset == offset;

  clear_error (self);
  ps_probe_strip_set_probe (self->strip, valid, offset, probed, self->result.outcome);
  update_caption (self);
}

/* ---- write or read ---- */

static void
update_write_warning (PsProbeDialog *self)
{
  PsSource *source = current_source (self);
  gboolean writable = source != NULL && ps_source_is_writable (source);

  gtk_widget_set_sensitive (GTK_WIDGET (self->write_button), writable);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->write_button),
                               writable ? NULL : _("The mapping is read-only: reopen it writable to probe with a write"));
  if (source != NULL && ps_source_is_private (source))
    gtk_label_set_text (self->write_warning_label,
                        _("A write probe makes a child process write one byte at the offset (Sweep writes one in each page it probes). "
                          "This mapping is MAP_PRIVATE: the child writes its own copy of the page (copy-on-write after fork), "
                          "so neither the object nor this window changes."));
  else
    gtk_label_set_text (self->write_warning_label,
                        _("A write probe makes a child process write one byte at the offset (Sweep writes one in each page it probes). "
                          "This mapping is shared, so the write is real: inside the object it changes the data for every process "
                          "that maps it. In the zero tail past EOF it lands in the page cache, where other processes mapping the "
                          "object can see it while the page stays cached, though it never becomes part of the object."));
}

static gboolean
writing (PsProbeDialog *self)
{
  return gtk_toggle_button_get_active (self->write_button);
}

static void
on_access_changed (PsProbeDialog *self)
{
  clear_error (self);
  gtk_revealer_set_reveal_child (self->write_revealer, writing (self));
  adw_action_row_set_subtitle (self->access_row,
                               writing (self) ? _("Write one byte: read what it does below before you probe")
                                              : _("Read one byte, or write one"));
}

/* ---- the outcome ---- */

static char *
outcome_title (const PsProbeResult *r)
{
  const char *outcome = ps_probe_outcome_to_string (r->outcome);

  if ((r->outcome == PS_PROBE_SIGBUS || r->outcome == PS_PROBE_SIGSEGV) && r->have_fault)
    {
      g_autofree char *code = ps_si_code_name (r->signo, r->si_code);
      return g_strdup_printf ("%s (%s)", outcome, code);
    }
  return g_strdup (outcome);
}

static char *
outcome_detail (const PsProbeResult *r)
{
  g_autofree char *what = NULL;

  if (r->outcome == PS_PROBE_OK || r->outcome == PS_PROBE_ZERO_TAIL)
    what = g_strdup_printf (r->write ? _("wrote 0x%02x at 0x%" PRIx64 "") : _("read 0x%02x at 0x%" PRIx64 ""),
                            r->value, r->offset);
  else if (r->have_fault)
    what = g_strdup_printf (r->write ? _("a write at 0x%" PRIx64 " faulted at +0x%" PRIx64 "")
                                     : _("a read at 0x%" PRIx64 " faulted at +0x%" PRIx64 ""),
                            r->offset, r->fault_offset);
  else
    what = g_strdup_printf (r->write ? _("a write at 0x%" PRIx64 "") : _("a read at 0x%" PRIx64 ""), r->offset);
  return g_strdup_printf (_("%s · child %d · %.2f ms"), what, (int) r->pid, r->elapsed_us / 1000.0);
}

static void
show_result (PsProbeDialog *self)
{
  const PsProbeResult *r = &self->result;
  g_autofree char *title = outcome_title (r);
  g_autofree char *detail = outcome_detail (r);
  g_autofree char *explanation = ps_probe_explain (r);
  guint class = r->outcome == PS_PROBE_OK ? 0 : r->outcome == PS_PROBE_ZERO_TAIL ? 1 : 2;

  gtk_label_set_text (self->outcome_label, title);
  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_label), "dim-label");
  for (guint i = 0; i < G_N_ELEMENTS (outcome_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_label), outcome_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->outcome_label), outcome_classes[class]);
  gtk_label_set_text (self->detail_label, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), TRUE);
  gtk_label_set_text (self->explanation_label, explanation);

  ps_probe_strip_set_geometry (self->strip, &r->geometry, r->kind);
  ps_probe_strip_set_probe (self->strip, TRUE, r->offset, TRUE, r->outcome);
  update_caption (self);
  update_offset (self);
}

static void
on_probe_finished (PsSession           *session,
                   const PsProbeResult *result,
                   PsProbeDialog       *self)
{
  self->result = *result;
  self->have_result = TRUE;
  show_result (self);
}

/* ---- actions ---- */

static void
on_probe_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* an outcome shows through "probe-finished", whoever asked */
  if (!ps_session_probe_finish (PS_SESSION (object), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ps_label_show (PS_PROBE_DIALOG (user_data)->error_label, error->message);
}

static void
action_run (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PsProbeDialog *self = PS_PROBE_DIALOG (widget);
  g_autofree char *problem = NULL;
  guint64 offset;

  clear_error (self);
  /* Probe is off for an offset that cannot be probed, and says why */
  if ((problem = check_offset (self, &offset)) != NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->offset_row));
      return;
    }
  ps_session_probe_async (self->session, offset, writing (self), self->cancellable, on_probe_done, self);
}

static void
show_sweep (PsProbeDialog *self)
{
  PsSweepReport r;
  g_autofree char *text = NULL;
  gboolean running = ps_session_is_sweeping (self->session);

  ps_session_get_sweep_report (self->session, &r);
  gtk_button_set_label (self->sweep_button, running ? _("_Cancel Sweep") : _("_Sweep"));
  if (r.total == 0)
    return;
  if (running)
    /* TRANSLATORS: the sweep's progress, "Probed 120 of 262144 pages…" */
    text = g_strdup_printf (_("Probed %" PRIu64 " of %" PRIu64 " pages, from the one holding EOF to the guard page…"),
                            r.done, r.total);
  else if (r.cancelled)
    text = g_strdup_printf (_("Sweep cancelled after %" PRIu64 " of %" PRIu64 " pages: %u ok, %u zero-tail, %u SIGBUS, %u SIGSEGV."),
                            r.done, r.total, r.counts[PS_PROBE_OK], r.counts[PS_PROBE_ZERO_TAIL],
                            r.counts[PS_PROBE_SIGBUS], r.counts[PS_PROBE_SIGSEGV]);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Probed %" PRIu64 " page, from the one holding EOF to the guard page: its outcome is painted on the grid.",
                                         "Probed %" PRIu64 " pages, from the one holding EOF to the guard page: their outcomes are painted on the grid.",
                                         r.done),
                            r.done);
  ps_label_show (self->status_label, text);
}

static void
on_sweep_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!ps_session_sweep_finish (PS_SESSION (object), result, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ps_label_show (PS_PROBE_DIALOG (user_data)->error_label, error->message);
}

static void
action_sweep (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PsProbeDialog *self = PS_PROBE_DIALOG (widget);

  clear_error (self);
  if (ps_session_is_sweeping (self->session))
    ps_session_cancel_sweep (self->session);
  else if (current_source (self) != NULL)
    ps_session_sweep_async (self->session, writing (self), NULL, on_sweep_done, self);
}

/* ---- lifetime ---- */

static void
ps_probe_dialog_dispose (GObject *object)
{
  PsProbeDialog *self = PS_PROBE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_PROBE_DIALOG);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_probe_dialog_parent_class)->dispose (object);
}

static void
ps_probe_dialog_class_init (PsProbeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_probe_dialog_dispose;

  g_type_ensure (PS_TYPE_PROBE_STRIP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-probe-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, offset_row);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, access_row);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, read_button);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, write_button);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, write_revealer);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, write_warning_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, probe_button);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, sweep_button);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, strip);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, caption_label);
  gtk_widget_class_bind_template_callback (widget_class, on_offset_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_access_changed);

  gtk_widget_class_install_action (widget_class, "probe.run", NULL, action_run);
  gtk_widget_class_install_action (widget_class, "probe.sweep", NULL, action_sweep);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_probe_dialog_init (PsProbeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  on_access_changed (self);
}

static void
on_source_changed (PsProbeDialog *self)
{
  PsSource *source = current_source (self);

  if (source != NULL)
    {
      PsGeometry geometry;

      /* the size now, not when the window last looked */
      if (!ps_source_restat (source, &geometry, NULL, NULL))
        geometry = *ps_source_get_geometry (source);
      ps_probe_strip_set_geometry (self->strip, &geometry, ps_source_get_kind (source));
    }
  update_write_warning (self);
  update_caption (self);
}

GtkWindow *
ps_probe_dialog_new (GtkWindow *parent,
                     PsSession *session,
                     guint64    offset)
{
  PsProbeDialog *self;
  g_autofree char *text = NULL;

  g_return_val_if_fail (PS_IS_SESSION (session), NULL);

  self = g_object_new (PS_TYPE_PROBE_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (session, "probe-finished", G_CALLBACK (on_probe_finished), self, 0);
  g_signal_connect_object (session, "notify::source", G_CALLBACK (on_source_changed), self, G_CONNECT_SWAPPED);
  /* the sweep's progress, as often as its marks are repainted */
  g_signal_connect_object (session, "notify::probe-marks", G_CALLBACK (show_sweep), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::sweeping", G_CALLBACK (show_sweep), self, G_CONNECT_SWAPPED);

  on_source_changed (self);
  text = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", offset);
  gtk_editable_set_text (GTK_EDITABLE (self->offset_row), text);
  on_offset_changed (self);
  show_sweep (self);
  return GTK_WINDOW (self);
}
