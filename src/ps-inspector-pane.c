/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The data inspector: what the bytes at the hex view's cursor mean, every
 * way (ps_inspect), read again with every frame; a value that changed
 * flashes. A typed value can be edited in place (a write through the
 * session, which undo takes back) and watched. */
#define G_LOG_DOMAIN "pagescope-inspector"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ps-inspector-pane-private.h"
#include "ps-inspector.h"
#include "ps-label.h"

#define FLASH_MS 700

struct _PsInspectorPane
{
  GtkWidget        parent_instance;

  /* template children */
  GtkLabel        *where_label;
  GtkToggleButton *big_endian_button;
  GtkListBox      *list;
  GtkLabel        *error_label;

  PsSession       *session;
  GArray          *rows;          /* of PsInspectRow: what is shown */
  GPtrArray       *type_labels;   /* GtkLabel per row */
  GPtrArray       *value_labels;
  GPtrArray       *edit_buttons;
  guint64          shown_at;      /* the offset the values are of */
  guint            flash_id;
};

G_DEFINE_FINAL_TYPE (PsInspectorPane, ps_inspector_pane, GTK_TYPE_WIDGET)

static void update (PsInspectorPane *self);

/* ---- editing and watching ---- */

static gboolean
edit_row (PsInspectorPane  *self,
          guint             index,
          const char       *text,
          GError          **error)
{
  const PsInspectRow *row = &g_array_index (self->rows, PsInspectRow, index);
  g_autoptr(GBytes) bytes = NULL;
  guint8 value[8];

  if (row->kind != PS_INSPECT_VALUE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("%s cannot be edited here"), row->label);
      return FALSE;
    }
  if (!ps_value_encode (&row->format, text, value, error))
    return FALSE;
  bytes = g_bytes_new (value, ps_value_size (row->format.type));
  /* the session refuses a read-only mapping, says why, and keeps undo */
  if (!ps_session_write (self->session, self->shown_at, bytes, NULL, error))
    return FALSE;
  update (self);
  return TRUE;
}

static void
on_edit_activate (GtkEntry        *entry,
                  PsInspectorPane *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (entry), "row"));
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (entry), GTK_TYPE_POPOVER);
  GtkLabel *problem = g_object_get_data (G_OBJECT (entry), "problem");
  g_autoptr(GError) error = NULL;

  if (edit_row (self, index, gtk_editable_get_text (GTK_EDITABLE (entry)), &error))
    {
      ps_label_show (problem, NULL);
      gtk_popover_popdown (GTK_POPOVER (popover));
    }
  else
    ps_label_show (problem, error->message);
}

static void
on_edit_clicked (GtkButton       *button,
                 PsInspectorPane *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "row"));
  const PsInspectRow *row = &g_array_index (self->rows, PsInspectRow, index);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *problem = gtk_label_new (NULL);
  g_autofree char *title = g_strdup_printf (_("New %s value at 0x%" PRIx64 ""), row->label, self->shown_at);

  gtk_editable_set_text (GTK_EDITABLE (entry), row->text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), title);
  gtk_label_set_wrap (GTK_LABEL (problem), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (problem), 40);
  gtk_widget_add_css_class (problem, "error");
  gtk_widget_set_visible (problem, FALSE);
  g_object_set_data (G_OBJECT (entry), "row", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (entry), "problem", problem);
  g_signal_connect_object (entry, "activate", G_CALLBACK (on_edit_activate), self, 0);
  gtk_box_append (GTK_BOX (box), gtk_label_new (title));
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), problem);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_widget_set_parent (popover, GTK_WIDGET (button));
  g_signal_connect (popover, "closed", G_CALLBACK (gtk_widget_unparent), NULL);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
on_watch_clicked (GtkButton       *button,
                  PsInspectorPane *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "row"));
  const PsInspectRow *row = &g_array_index (self->rows, PsInspectRow, index);
  g_autofree char *type = ps_value_format_to_string (&row->format, TRUE);
  g_autofree char *name = g_strdup_printf ("%s_%" G_GINT64_MODIFIER "x", type, self->shown_at);
  PsWatchSpec spec = { name, self->shown_at, row->format };
  g_autoptr(GError) error = NULL;

  ps_label_show (self->error_label, NULL);
  if (ps_session_add_watch (self->session, &spec, &error) == NULL)
    ps_label_show (self->error_label, error->message);
}

/* ---- the rows ---- */

static GtkWidget *
icon_button (const char      *icon,
             const char      *tooltip,
             guint            index,
             GCallback        callback,
             PsInspectorPane *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "row", GUINT_TO_POINTER (index));
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static void
build_rows (PsInspectorPane *self,
            GArray          *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const PsInspectRow *row = &g_array_index (rows, PsInspectRow, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *type = gtk_label_new (row->label);
      GtkWidget *value = gtk_label_new (row->text);

      gtk_widget_set_margin_start (box, 6);
      gtk_widget_set_margin_end (box, 6);
      gtk_label_set_xalign (GTK_LABEL (type), 0);
      gtk_label_set_width_chars (GTK_LABEL (type), 11);
      gtk_widget_add_css_class (type, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_widget_add_css_class (value, "value");
      gtk_box_append (GTK_BOX (box), type);
      gtk_box_append (GTK_BOX (box), value);
      g_ptr_array_add (self->type_labels, type);
      g_ptr_array_add (self->value_labels, value);
      if (row->kind == PS_INSPECT_VALUE)
        {
          GtkWidget *edit = icon_button ("document-edit-symbolic", _("Edit this value"), i,
                                         G_CALLBACK (on_edit_clicked), self);

          gtk_box_append (GTK_BOX (box), edit);
          gtk_box_append (GTK_BOX (box), icon_button ("view-reveal-symbolic", _("Watch this value"), i,
                                                      G_CALLBACK (on_watch_clicked), self));
          g_ptr_array_add (self->edit_buttons, edit);
        }
      gtk_list_box_append (self->list, box);
    }
}

static gboolean
end_flash (gpointer data)
{
  PsInspectorPane *self = data;

  self->flash_id = 0;
  for (guint i = 0; i < self->value_labels->len; i++)
    gtk_widget_remove_css_class (g_ptr_array_index (self->value_labels, i), "changed");
  return G_SOURCE_REMOVE;
}

/* The values at the cursor now; a value that changed at the same offset
 * flashes (a move of the cursor is not a change). */
static void
update (PsInspectorPane *self)
{
  PsSource *source = self->session != NULL ? ps_session_get_source (self->session) : NULL;
  guint8 bytes[PS_INSPECT_BYTES];
  g_autoptr(GArray) rows = NULL;
  g_autofree char *where = NULL;
  guint64 at, len = 0;
  gboolean moved, flashed = FALSE;
  PsGeometry g;

  if (source == NULL)
    {
      gtk_label_set_text (self->where_label, _("Nothing is open"));
      return;
    }
  at = ps_session_get_cursor (self->session);
  if (!ps_source_restat (source, &g, NULL, NULL))
    g = *ps_source_get_geometry (source);
  /* the bytes the object has from here: past EOF there is nothing to read */
  len = at < g.data_length ? MIN (PS_INSPECT_BYTES, g.data_length - at) : 0;
  if (len > 0 && !ps_source_peek (source, at, bytes, len, NULL))
    len = 0;
  rows = ps_inspect (bytes, len, gtk_toggle_button_get_active (self->big_endian_button));
  if (self->type_labels->len == 0)
    build_rows (self, rows);

  moved = at != self->shown_at;
  for (guint i = 0; i < rows->len; i++)
    {
      const PsInspectRow *row = &g_array_index (rows, PsInspectRow, i);
      GtkWidget *value = g_ptr_array_index (self->value_labels, i);
      const char *old = gtk_label_get_text (GTK_LABEL (value));

      gtk_label_set_text (g_ptr_array_index (self->type_labels, i), row->label);
      if (g_strcmp0 (old, row->text) == 0)
        continue;
      if (!moved && self->rows != NULL)
        {
          gtk_widget_add_css_class (value, "changed");
          flashed = TRUE;
        }
      gtk_label_set_text (GTK_LABEL (value), row->text);
    }
  if (flashed)
    {
      g_clear_handle_id (&self->flash_id, g_source_remove);
      self->flash_id = g_timeout_add (FLASH_MS, end_flash, self);
    }
  g_clear_pointer (&self->rows, g_array_unref);
  self->rows = g_steal_pointer (&rows);
  self->shown_at = at;
  where = g_strdup_printf (_("At 0x%" PRIx64 ""), at);
  gtk_label_set_text (self->where_label, where);
}

static void
on_order_toggled (PsInspectorPane *self)
{
  /* the same offset, another order: no flash */
  self->shown_at = G_MAXUINT64;
  update (self);
}

/* ---- lifetime ---- */

static void
ps_inspector_pane_dispose (GObject *object)
{
  PsInspectorPane *self = PS_INSPECTOR_PANE (object);

  g_clear_handle_id (&self->flash_id, g_source_remove);
  ps_inspector_pane_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_INSPECTOR_PANE);
  /* the template's root is not a bound child: it goes by hand */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->type_labels, g_ptr_array_unref);
  g_clear_pointer (&self->value_labels, g_ptr_array_unref);
  g_clear_pointer (&self->edit_buttons, g_ptr_array_unref);
  G_OBJECT_CLASS (ps_inspector_pane_parent_class)->dispose (object);
}

static void
ps_inspector_pane_class_init (PsInspectorPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_inspector_pane_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-inspector-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, PsInspectorPane, where_label);
  gtk_widget_class_bind_template_child (widget_class, PsInspectorPane, big_endian_button);
  gtk_widget_class_bind_template_child (widget_class, PsInspectorPane, list);
  gtk_widget_class_bind_template_child (widget_class, PsInspectorPane, error_label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_inspector_pane_init (PsInspectorPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->type_labels = g_ptr_array_new ();
  self->value_labels = g_ptr_array_new ();
  self->edit_buttons = g_ptr_array_new ();
  self->shown_at = G_MAXUINT64;
  g_signal_connect_object (self->big_endian_button, "toggled", G_CALLBACK (on_order_toggled), self,
                           G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Data inspector"), -1);
}

GtkWidget *
ps_inspector_pane_new (void)
{
  return g_object_new (PS_TYPE_INSPECTOR_PANE, NULL);
}

void
ps_inspector_pane_set_session (PsInspectorPane *self,
                               PsSession       *session)
{
  g_return_if_fail (PS_IS_INSPECTOR_PANE (self));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session == NULL)
    return;
  /* the cursor moves, a frame may change the bytes, another source opens */
  g_signal_connect_object (session, "notify::cursor", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::frame", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::source", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

/* ---- for tests ---- */

const char *
ps_inspector_pane_get_text (PsInspectorPane *self,
                            const char      *label)
{
  g_return_val_if_fail (PS_IS_INSPECTOR_PANE (self), NULL);

  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    if (g_str_equal (g_array_index (self->rows, PsInspectRow, i).label, label))
      return gtk_label_get_text (g_ptr_array_index (self->value_labels, i));
  return NULL;
}

gboolean
ps_inspector_pane_edit (PsInspectorPane  *self,
                        const char       *label,
                        const char       *text,
                        GError          **error)
{
  g_return_val_if_fail (PS_IS_INSPECTOR_PANE (self), FALSE);

  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    if (g_str_equal (g_array_index (self->rows, PsInspectRow, i).label, label))
      return edit_row (self, i, text, error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no row %s", label);
  return FALSE;
}
