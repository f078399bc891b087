/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Marks: named, coloured ranges of the mapping, listed to jump to. */
#define G_LOG_DOMAIN "pagescope-marks"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ps-label.h"
#include "ps-marks-pane.h"

struct _PsMarksPane
{
  GtkWidget   parent_instance;

  /* template children */
  GtkEntry   *name_entry;
  GtkListBox *list;
  GtkLabel   *error_label;
  GtkStack   *stack;

  PsSession  *session;
};

G_DEFINE_FINAL_TYPE (PsMarksPane, ps_marks_pane, GTK_TYPE_WIDGET)

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  guint32 rgba = GPOINTER_TO_UINT (data);

  cairo_set_source_rgba (cr, (rgba >> 24) / 255.0, ((rgba >> 16) & 0xff) / 255.0,
                         ((rgba >> 8) & 0xff) / 255.0, (rgba & 0xff) / 255.0);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
}

static void
on_remove_clicked (GtkButton   *button,
                   PsMarksPane *self)
{
  g_autoptr(GError) error = NULL;

  if (!ps_session_remove_mark (self->session, g_object_get_data (G_OBJECT (button), "name"), &error))
    ps_label_show (self->error_label, error->message);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  PsMarksPane *self = user_data;
  PsMark *mark = item;
  guint64 offset = ps_mark_get_offset (mark), length = ps_mark_get_length (mark);
  g_autofree char *range = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "0x%" PRIx64 ", %" PRIu64 " byte",
                                                         "0x%" PRIx64 ", %" PRIu64 " bytes", length),
                                            offset, length);
  g_autofree char *remove_label = g_strdup_printf (_("Remove the mark %s"), ps_mark_get_name (mark));
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = gtk_drawing_area_new ();
  GtkWidget *name = gtk_label_new (ps_mark_get_name (mark));
  GtkWidget *where = gtk_label_new (range);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                  GUINT_TO_POINTER (ps_mark_get_rgba (mark)), NULL);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (where, "dim-label");
  gtk_widget_add_css_class (where, "monospace");
  gtk_widget_set_tooltip_text (remove, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data_full (G_OBJECT (remove), "name", g_strdup (ps_mark_get_name (mark)), g_free);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked), self, 0);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), where);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "name", g_strdup (ps_mark_get_name (mark)), g_free);
  return row;
}

static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  PsMarksPane   *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.goto", "s", g_object_get_data (G_OBJECT (row), "name"));
}

static void
on_mark (PsMarksPane *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  g_autoptr(GError) error = NULL;
  PsRange range;

  if (!ps_session_get_selection (self->session, &range))
    {
      ps_label_show (self->error_label, _("Select the bytes (or pages) to mark first"));
      return;
    }
  if (ps_session_add_mark (self->session, *name != '\0' ? name : NULL, &range, &error) == NULL)
    {
      ps_label_show (self->error_label, error->message);
      return;
    }
  ps_label_show (self->error_label, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
}

static void
on_items_changed (PsMarksPane *self)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (ps_session_get_marks (self->session)) > 0 ? "list" : "empty");
}

static void
ps_marks_pane_dispose (GObject *object)
{
  PsMarksPane *self = PS_MARKS_PANE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_MARKS_PANE);
  /* the template's root is not a bound child: it goes by hand */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_marks_pane_parent_class)->dispose (object);
}

static void
ps_marks_pane_class_init (PsMarksPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_marks_pane_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-marks-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, PsMarksPane, name_entry);
  gtk_widget_class_bind_template_child (widget_class, PsMarksPane, list);
  gtk_widget_class_bind_template_child (widget_class, PsMarksPane, error_label);
  gtk_widget_class_bind_template_child (widget_class, PsMarksPane, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_mark);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
ps_marks_pane_init (PsMarksPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ps_marks_pane_new (void)
{
  return g_object_new (PS_TYPE_MARKS_PANE, NULL);
}

void
ps_marks_pane_set_session (PsMarksPane *self,
                           PsSession   *session)
{
  g_return_if_fail (PS_IS_MARKS_PANE (self));
  g_return_if_fail (PS_IS_SESSION (session));

  g_set_object (&self->session, session);
  gtk_list_box_bind_model (self->list, ps_session_get_marks (session), create_row, self, NULL);
  g_signal_connect_object (ps_session_get_marks (session), "items-changed", G_CALLBACK (on_items_changed),
                           self, G_CONNECT_SWAPPED);
  on_items_changed (self);
}
