/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Write bytes: the data (hex or a quoted string), where, and how often or
 * "fill the selection". Every field is checked as the user types, with the
 * offending character pointed at; the write goes through the session, and
 * its outcome, or why it was refused, shows here. */
#define G_LOG_DOMAIN "pagescope-write-dialog"

#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n.h>

#include "ps-bytes.h"
#include "ps-label.h"
#include "ps-parse.h"
#include "ps-write-dialog.h"

/* Characters shown either side of the one an error points at. */
#define ERROR_CONTEXT 30
/* Bytes the preview shows before "…". */
#define PREVIEW_BYTES 16

#define PS_TYPE_WRITE_DIALOG (ps_write_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PsWriteDialog, ps_write_dialog, PS, WRITE_DIALOG, AdwWindow)

struct _PsWriteDialog
{
  AdwWindow      parent_instance;

  /* template children */
  GtkWidget     *notice_box;
  GtkImage      *notice_icon;
  GtkLabel      *notice_label;
  AdwEntryRow   *data_row;
  GtkLabel      *data_error_label;
  AdwEntryRow   *offset_row;
  AdwEntryRow   *repeat_row;
  AdwActionRow  *fill_row;
  GtkSwitch     *fill_switch;
  GtkLabel      *range_error_label;
  GtkLabel      *preview_label;
  GtkLabel      *result_label;
  GtkWidget     *undo_button;

  PsSession     *session;
  gboolean       has_selection;    /* the session's selection */
  guint64        sel_offset;
  guint64        sel_length;

  /* what Write would write, when update() says it is valid */
  GBytes        *pattern;
  guint64        offset;
  guint64        length;

  guint64        written_offset;   /* the last write, for Undo */
  guint64        written_length;

  gboolean       setting_offset;   /* the dialog itself sets the offset */
};

G_DEFINE_FINAL_TYPE (PsWriteDialog, ps_write_dialog, ADW_TYPE_WINDOW)

static PsSource *
current_source (PsWriteDialog *self)
{
  /* NULL while the dialog is being built, before it has its session */
  return self->session != NULL ? ps_session_get_source (self->session) : NULL;
}

static char *
format_range (guint64 offset,
              guint64 length)
{
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " byte", "%" PRIu64 " bytes", length), length);

  /* TRANSLATORS: a byte range and its size, e.g. "0x10–0x13 (4 bytes)" */
  return g_strdup_printf (_("0x%" PRIx64 "–0x%" PRIx64 " (%s)"), offset, offset + length - 1, count);
}

/* ---- errors in place ---- */

static void
mark_row (GtkWidget *row,
          gboolean   bad)
{
  if (bad)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

/* The typed text around the offending character, a caret under it, and the
 * message:
 *     de ad bg ef
 *            ^
 *     column 8: 'g' is not a hex digit */
static char *
point_at (const char *text,
          int         column,
          const char *message)
{
  glong n = g_utf8_strlen (text, -1);
  glong at = column - 1;
  glong first, last;
  GString *out;

  if (at < 0 || at > n)
    return g_strdup (message);

  first = MAX (0, at - ERROR_CONTEXT);
  last = MIN (n, at + ERROR_CONTEXT);
  out = g_string_new (first > 0 ? "…" : "");
  for (glong i = first; i < last; i++)
    {
      gunichar c = g_utf8_get_char (g_utf8_offset_to_pointer (text, i));
      g_string_append_unichar (out, g_unichar_isprint (c) ? c : ' ');
    }
  if (last < n)
    g_string_append (out, "…");
  g_string_append_c (out, '\n');
  if (first > 0)
    g_string_append_c (out, ' ');
  for (glong i = first; i < at; i++)
    {
      gunichar c = g_utf8_get_char (g_utf8_offset_to_pointer (text, i));
      g_string_append (out, g_unichar_iswide (c) ? "  " : " ");
    }
  g_string_append_printf (out, "^\n%s", message);
  return g_string_free (out, FALSE);
}

/* ---- checking what the user typed ---- */

static gboolean
data_is_blank (PsWriteDialog *self)
{
  const char *p = gtk_editable_get_text (GTK_EDITABLE (self->data_row));

  while (g_ascii_isspace (*p))
    p++;
  return *p == '\0';
}

/* The data as bytes, or NULL (an error shown, unless the field is blank). */
static GBytes *
check_data (PsWriteDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->data_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  GBytes *bytes;
  int column;

  if (data_is_blank (self))
    {
      mark_row (GTK_WIDGET (self->data_row), FALSE);
      ps_label_show (self->data_error_label, NULL);
      return NULL;
    }
  bytes = ps_bytes_parse_at (text, &column, &error);
  mark_row (GTK_WIDGET (self->data_row), bytes == NULL);
  if (bytes == NULL)
    shown = point_at (text, column, error->message);
  ps_label_show (self->data_error_label, shown);
  return bytes;
}

/* Offset and length; FALSE with *problem and the row at fault marked. */
static gboolean
check_range (PsWriteDialog  *self,
             gsize           pattern_len,
             char          **problem)
{
  gboolean fill = gtk_switch_get_active (self->fill_switch);
  PsSource *source = current_source (self);
  const PsGeometry *g = source != NULL ? ps_source_get_geometry (source) : NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->offset_row));
  g_autoptr(GError) error = NULL;
  guint64 repeat = 1;

  mark_row (GTK_WIDGET (self->offset_row), FALSE);
  mark_row (GTK_WIDGET (self->repeat_row), FALSE);
  mark_row (GTK_WIDGET (self->fill_row), FALSE);

  if (fill)
    {
      self->offset = self->sel_offset;
      self->length = self->sel_length;
      if (self->length > PS_BYTES_MAX)
        {
          g_autofree char *size = g_strdup_printf ("%" PRIu64, self->length);

          mark_row (GTK_WIDGET (self->fill_row), TRUE);
          *problem = g_strdup_printf (_("The selection is %s bytes; one write carries at most 16 MiB. Select less, or write it in parts."), size);
          return FALSE;
        }
    }
  else
    {
      if (!ps_parse_offset (text, _("offset"), &self->offset, &error))
        {
          mark_row (GTK_WIDGET (self->offset_row), TRUE);
          *problem = g_strdup (error->message);
          return FALSE;
        }
      text = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));
      if (!ps_parse_offset (text, _("repeat count"), &repeat, &error) || repeat == 0)
        {
          mark_row (GTK_WIDGET (self->repeat_row), TRUE);
          *problem = error != NULL ? g_strdup (error->message)
                                   : g_strdup (_("The repeat count must be at least 1"));
          return FALSE;
        }
      if (pattern_len > 0 && repeat > PS_BYTES_MAX / pattern_len)
        {
          mark_row (GTK_WIDGET (self->repeat_row), TRUE);
          *problem = g_strdup_printf (_("%zu bytes repeated %" PRIu64 " times is more than 16 MiB, the most one write carries"),
                                      pattern_len, repeat);
          return FALSE;
        }
      self->length = pattern_len * repeat;
    }

  if (g == NULL)
    {
      *problem = g_strdup (_("Nothing is open in the window any more"));
      return FALSE;
    }
  if (self->offset >= g->length)
    {
      mark_row (GTK_WIDGET (self->offset_row), !fill);
      *problem = g_strdup_printf (_("Offset 0x%" PRIx64 " is past the end of the mapping, which is 0x%" PRIx64 " bytes long"),
                                  self->offset, g->length);
      return FALSE;
    }
  if (self->length > g->length - self->offset)
    {
      mark_row (fill ? GTK_WIDGET (self->fill_row) : GTK_WIDGET (self->repeat_row), TRUE);
      *problem = g_strdup_printf (_("%" PRIu64 " bytes at 0x%" PRIx64 " run past the end of the mapping, which is 0x%" PRIx64 " bytes long"),
                                  self->length, self->offset, g->length);
      return FALSE;
    }
  return TRUE;
}

static char *
preview_text (PsWriteDialog *self)
{
  PsSource *source = current_source (self);
  const PsGeometry *g = ps_source_get_geometry (source);
  g_autoptr(GBytes) head = ps_bytes_fill (self->pattern, MIN (self->length, PREVIEW_BYTES + 1));
  g_autofree char *hex = ps_bytes_to_hex (g_bytes_get_data (head, NULL), g_bytes_get_size (head), PREVIEW_BYTES);
  g_autofree char *range = format_range (self->offset, self->length);
  GString *text = g_string_new (NULL);

  /* Write is off on a read-only mapping: say what it would do, not does */
  if (ps_source_is_writable (source))
    /* TRANSLATORS: "Writes 0x10–0x13 (4 bytes): de ad be ef" */
    g_string_printf (text, _("Writes %s: %s"), range, hex);
  else
    /* TRANSLATORS: "Would write 0x10–0x13 (4 bytes): de ad be ef (not here: …)" */
    g_string_printf (text, _("Would write %s: %s (not here: the mapping is read-only)"), range, hex);
  if (self->offset >= g->data_length)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("All of it lies past the end of the object: it never reaches it, and in a page wholly past the end the write fails with SIGBUS."));
    }
  else if (self->offset + self->length > g->data_length)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("Part of it lies past the end of the object: bytes there never reach it, and in a page wholly past the end the write fails with SIGBUS."));
    }
  return g_string_free (text, FALSE);
}

/* Checks the fields and shows what is wrong or what would be written;
 * TRUE if pattern, offset and length say what Write would write. */
static gboolean
update (PsWriteDialog *self)
{
  PsSource *source = current_source (self);
  g_autofree char *problem = NULL;
  g_autofree char *preview = NULL;
  gboolean range_ok;
  gboolean valid;

  g_clear_pointer (&self->pattern, g_bytes_unref);
  self->pattern = check_data (self);
  range_ok = check_range (self, self->pattern != NULL ? g_bytes_get_size (self->pattern) : 0, &problem);
  ps_label_show (self->range_error_label, problem);
  valid = self->pattern != NULL && range_ok;

  if (valid)
    preview = preview_text (self);
  else if (data_is_blank (self))
    preview = g_strdup (_("Type the bytes to write."));
  else
    preview = g_strdup (_("Nothing to write until the marked field is fixed."));
  gtk_label_set_text (self->preview_label, preview);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.write",
                                 valid && source != NULL && ps_source_is_writable (source));
  return valid;
}

/* ---- the outcome ---- */

static void
show_result (PsWriteDialog *self,
             const char    *message,
             gboolean       error)
{
  GtkWidget *label = GTK_WIDGET (self->result_label);

  gtk_widget_remove_css_class (label, error ? "success" : "error");
  gtk_widget_add_css_class (label, error ? "error" : "success");
  ps_label_show (self->result_label, message);
}

static void
action_write (GtkWidget  *widget,
              const char *name,
              GVariant   *parameter)
{
  PsWriteDialog *self = PS_WRITE_DIALOG (widget);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *range = NULL;
  g_autofree char *message = NULL;
  PsSource *source;

  source = current_source (self);
  if (!update (self) || source == NULL || !ps_source_is_writable (source))
    return;

  data = ps_bytes_fill (self->pattern, self->length);
  if (!ps_session_write (self->session, self->offset, data, NULL, &error))
    {
      /* a write cut short by SIGBUS says how much it wrote: undo takes that back */
      show_result (self, error->message, TRUE);
      return;
    }

  range = format_range (self->offset, self->length);
  if (ps_source_is_private (source))
    message = g_strdup_printf (ps_source_get_kind (source) == PS_SOURCE_FILE
                                 ? _("Wrote %s to this process’s private copy; the file is unchanged. Undo puts the old bytes back (so does Ctrl+Z in the window).")
                                 : _("Wrote %s to this process’s private copy; the segment is unchanged. Undo puts the old bytes back (so does Ctrl+Z in the window)."),
                               range);
  else
    message = g_strdup_printf (_("Wrote %s. Undo puts the old bytes back (so does Ctrl+Z in the window)."), range);
  show_result (self, message, FALSE);
  self->written_offset = self->offset;
  self->written_length = self->length;
  gtk_widget_set_visible (self->undo_button, TRUE);
  gtk_widget_action_set_enabled (widget, "dialog.undo", TRUE);
}

static void
action_undo (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  PsWriteDialog *self = PS_WRITE_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  /* one undo per write: a second would undo an earlier write */
  gtk_widget_action_set_enabled (widget, "dialog.undo", FALSE);
  gtk_widget_set_visible (self->undo_button, FALSE);
  if (!ps_session_undo (self->session, NULL, &error))
    show_result (self, error->message, TRUE);
  else
    {
      g_autofree char *range = format_range (self->written_offset, self->written_length);
      g_autofree char *message = g_strdup_printf (_("Put back the bytes %s held before the write."), range);

      show_result (self, message, FALSE);
    }
}

/* ---- fields ---- */

static void
set_offset_text (PsWriteDialog *self,
                 guint64        offset)
{
  g_autofree char *text = g_strdup_printf ("0x%" PRIx64, offset);

  self->setting_offset = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->offset_row), text);
  self->setting_offset = FALSE;
}

static void
on_field_changed (PsWriteDialog *self)
{
  gboolean fill = gtk_switch_get_active (self->fill_switch);

  if (self->setting_offset)
    return;
  if (fill)
    set_offset_text (self, self->sel_offset);
  gtk_widget_set_sensitive (GTK_WIDGET (self->offset_row), !fill);
  gtk_widget_set_sensitive (GTK_WIDGET (self->repeat_row), !fill);
  update (self);
}

/* A line may break after a hyphen: not inside an option the user types
 * as it is shown (a non-breaking hyphen would not paste as one). */
static void
keep_together (GtkLabel   *label,
               const char *word)
{
  const char *text = gtk_label_get_text (label);
  const char *at = strstr (text, word);
  PangoAttrList *attrs;
  PangoAttribute *attr;

  if (at == NULL)
    return;
  attrs = pango_attr_list_new ();
  attr = pango_attr_allow_breaks_new (FALSE);
  attr->start_index = at - text;
  attr->end_index = attr->start_index + strlen (word);
  pango_attr_list_insert (attrs, attr);
  gtk_label_set_attributes (label, attrs);
  pango_attr_list_unref (attrs);
}

static void
setup_notice (PsWriteDialog *self,
              PsSource      *source)
{
  gboolean file = ps_source_get_kind (source) == PS_SOURCE_FILE;
  const char *text;

  if (!ps_source_is_writable (source))
    text = _("This mapping is read-only, so nothing can be written to it. To write, open it again writable: "
             "tick Writable in the open dialog, or start Pagescope with --writable.");
  else if (ps_source_is_private (source))
    text = file ? _("This is a private mapping (MAP_PRIVATE): a write goes to this process’s own copy of the page, and the file stays unchanged.")
                : _("This is a private mapping (MAP_PRIVATE): a write goes to this process’s own copy of the page, and the segment stays unchanged.");
  else
    return;
  gtk_image_set_from_icon_name (self->notice_icon, ps_source_is_writable (source) ? "dialog-information-symbolic"
                                                                                  : "dialog-warning-symbolic");
  gtk_label_set_text (self->notice_label, text);
  keep_together (self->notice_label, "--writable");
  gtk_widget_set_visible (self->notice_box, TRUE);
}

static void
setup_fill (PsWriteDialog *self)
{
  g_autofree char *subtitle = NULL;

  if (self->has_selection)
    {
      g_autofree char *range = format_range (self->sel_offset, self->sel_length);
      subtitle = g_strdup_printf (_("The selection, %s: the data repeats, and is cut at its end, to fill it exactly"), range);
    }
  else
    subtitle = g_strdup (_("Nothing is selected: select bytes in the hex view or pages in the grid first"));
  adw_action_row_set_subtitle (self->fill_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->fill_row), self->has_selection);
}

/* ---- lifetime ---- */

static void
ps_write_dialog_dispose (GObject *object)
{
  PsWriteDialog *self = PS_WRITE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_WRITE_DIALOG);
  g_clear_object (&self->session);
  g_clear_pointer (&self->pattern, g_bytes_unref);
  G_OBJECT_CLASS (ps_write_dialog_parent_class)->dispose (object);
}

static void
ps_write_dialog_class_init (PsWriteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_write_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-write-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, notice_box);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, notice_label);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, data_row);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, data_error_label);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, offset_row);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, fill_row);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, fill_switch);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, range_error_label);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, preview_label);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, result_label);
  gtk_widget_class_bind_template_child (widget_class, PsWriteDialog, undo_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);

  gtk_widget_class_install_action (widget_class, "dialog.write", NULL, action_write);
  gtk_widget_class_install_action (widget_class, "dialog.undo", NULL, action_undo);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_write_dialog_init (PsWriteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.write", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.undo", FALSE);
}

static void
read_selection (PsWriteDialog *self)
{
  PsRange range;

  self->has_selection = ps_session_get_selection (self->session, &range);
  self->sel_offset = range.offset;
  self->sel_length = range.length;
}

/* The selection changed in the window: the fill follows it. */
static void
on_selection_changed (PsWriteDialog *self)
{
  read_selection (self);
  setup_fill (self);
  if (!self->has_selection && gtk_switch_get_active (self->fill_switch))
    gtk_switch_set_active (self->fill_switch, FALSE);
  on_field_changed (self);
}

static void
on_source_changed (PsWriteDialog *self)
{
  PsSource *source = current_source (self);

  gtk_widget_set_visible (self->notice_box, FALSE);
  if (source != NULL)
    setup_notice (self, source);
  update (self);
}

GtkWindow *
ps_write_dialog_new (GtkWindow *parent,
                     PsSession *session)
{
  PsWriteDialog *self;

  g_return_val_if_fail (PS_IS_SESSION (session), NULL);

  self = g_object_new (PS_TYPE_WRITE_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::selection", G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::source", G_CALLBACK (on_source_changed), self, G_CONNECT_SWAPPED);

  read_selection (self);
  if (current_source (self) != NULL)
    setup_notice (self, current_source (self));
  setup_fill (self);
  set_offset_text (self, self->has_selection ? self->sel_offset : ps_session_get_cursor (session));
  update (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->data_row));
  return GTK_WINDOW (self);
}
