/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The system-call log as a list of lines. GTK 4.8's list view makes every
 * line a Tab stop, so the Tab stops of the window grew with the log: this
 * widget takes Tab once and gives it back (focus), and the arrows move
 * between lines as the list view has them. Its context menu opens from the
 * keyboard too (Shift+F10, Menu), on the focused line. */
#define G_LOG_DOMAIN "pagescope-log-view"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-log-view.h"

struct _PsLogView
{
  GtkWidget          parent_instance;

  GtkScrolledWindow *scroller;
  GtkListView       *list;
  GtkPopover        *menu;

  GListModel        *log;           /* of PsLogEntry: the event log, or a replay's */
  guint              scroll_idle;   /* follows the newest line */
  char              *menu_line;     /* the line the context menu acts on */
  GtkWidget         *focus_before;  /* weak: where the focus goes back to */
  guint              restore_idle;
};

G_DEFINE_FINAL_TYPE (PsLogView, ps_log_view, GTK_TYPE_WIDGET)

/* ---- the lines ---------------------------------------------------------- */

static void
line_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
line_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  PsLogEntry *entry = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *line = ps_log_entry_format (entry);

  gtk_label_set_text (GTK_LABEL (label), line);
  gtk_widget_set_tooltip_text (label, line);
  if (ps_log_entry_is_error (entry))
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static gboolean
scroll_to_end (gpointer data)
{
  PsLogView *self = data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_idle = 0;
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  return G_SOURCE_REMOVE;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  PsLogView  *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  /* follow the newest entry unless the user scrolled up to read */
  if (added > 0 && self->scroll_idle == 0 &&
      gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >= gtk_adjustment_get_upper (adj) - 40)
    self->scroll_idle = g_idle_add (scroll_to_end, self);
}

void
ps_log_view_set_log (PsLogView  *self,
                     GListModel *log)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (PS_IS_LOG_VIEW (self));
  g_return_if_fail (log == NULL || g_list_model_get_item_type (log) == PS_TYPE_LOG_ENTRY);

  if (self->log != NULL)
    g_signal_handlers_disconnect_by_func (self->log, on_items_changed, self);
  g_set_object (&self->log, log);
  if (log == NULL)
    {
      gtk_list_view_set_model (self->list, NULL);
      return;
    }
  selection = gtk_no_selection_new (g_object_ref (log));
  gtk_list_view_set_model (self->list, GTK_SELECTION_MODEL (selection));
  g_signal_connect_object (log, "items-changed", G_CALLBACK (on_items_changed), self, 0);
}

/* The list shown (transfer none), or NULL. */
GListModel *
ps_log_view_get_log (PsLogView *self)
{
  g_return_val_if_fail (PS_IS_LOG_VIEW (self), NULL);
  return self->log;
}

/* ---- one Tab stop ------------------------------------------------------- */

static gboolean
has_focus_inside (PsLogView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self));
}

static gboolean
ps_log_view_focus (GtkWidget        *widget,
                   GtkDirectionType  direction)
{
  PsLogView *self = PS_LOG_VIEW (widget);

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return gtk_widget_child_focus (GTK_WIDGET (self->scroller), direction);
  /* Tab leaves from any line; coming in, it lands on one */
  if (has_focus_inside (self))
    return FALSE;
  return gtk_widget_child_focus (GTK_WIDGET (self->list), direction) ||
         gtk_widget_grab_focus (GTK_WIDGET (self->list));
}

/* ---- the context menu ----------------------------------------------------- */

/* The line shown by the list's row holding widget, if any. */
static const char *
line_of (PsLogView *self,
         GtkWidget *widget,
         GtkWidget **row)
{
  GtkWidget *child = widget;

  while (child != NULL && gtk_widget_get_parent (child) != GTK_WIDGET (self->list))
    child = gtk_widget_get_parent (child);
  if (child == NULL)
    return NULL;
  *row = child;
  for (GtkWidget *w = gtk_widget_get_first_child (child); w != NULL; w = gtk_widget_get_first_child (w))
    if (GTK_IS_LABEL (w))
      return gtk_label_get_text (GTK_LABEL (w));
  return NULL;
}

static void
forget_focus (PsLogView *self)
{
  if (self->focus_before != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->focus_before), (gpointer *) &self->focus_before);
  self->focus_before = NULL;
}

static gboolean
restore_focus (gpointer data)
{
  PsLogView *self = data;
  GtkWidget *back = self->focus_before;

  self->restore_idle = 0;
  forget_focus (self);
  /* the line may have scrolled away meanwhile: then another one */
  if (back == NULL || !gtk_widget_get_mapped (back) || !gtk_widget_grab_focus (back))
    gtk_widget_child_focus (GTK_WIDGET (self->list), GTK_DIR_TAB_FORWARD);
  return G_SOURCE_REMOVE;
}

/* GTK leaves the focus on the window's first focusable widget once a
 * popover has closed: give it back to the line the menu was opened on,
 * after GTK is done. */
static void
on_menu_closed (PsLogView *self)
{
  if (self->focus_before != NULL && self->restore_idle == 0)
    self->restore_idle = g_idle_add (restore_focus, self);
}

static void
popup_at (PsLogView          *self,
          const char         *line,
          const GdkRectangle *area)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  forget_focus (self);
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    {
      self->focus_before = focus;
      g_object_add_weak_pointer (G_OBJECT (focus), (gpointer *) &self->focus_before);
    }
  g_free (self->menu_line);
  self->menu_line = g_strdup (line);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.copy-line", line != NULL);
  gtk_popover_set_pointing_to (self->menu, area);
  gtk_popover_popup (self->menu);
}

/* Shift+F10 and Menu: the menu of the focused line, at that line. */
static void
action_context_menu (GtkWidget  *widget,
                     const char *name,
                     GVariant   *parameter)
{
  PsLogView *self = PS_LOG_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *row = NULL;
  const char *line = root != NULL ? line_of (self, gtk_root_get_focus (root), &row) : NULL;
  graphene_rect_t bounds;
  GdkRectangle area = { gtk_widget_get_width (widget) / 4, gtk_widget_get_height (widget) / 2, 1, 1 };

  if (row != NULL && gtk_widget_compute_bounds (row, widget, &bounds))
    area = (GdkRectangle) { bounds.origin.x + 24, bounds.origin.y + bounds.size.height, 1, 1 };
  popup_at (self, line, &area);
}

static void
popup_at_pointer (PsLogView *self,
                  double     x,
                  double     y)
{
  GtkWidget *row = NULL;
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  const char *line = picked != NULL ? line_of (self, picked, &row) : NULL;

  popup_at (self, line, &(GdkRectangle) { x, y, 1, 1 });
}

static void
on_right_click (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                PsLogView       *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_at_pointer (self, x, y);
}

static void
on_long_press (GtkGestureLongPress *gesture,
               double               x,
               double               y,
               PsLogView           *self)
{
  popup_at_pointer (self, x, y);
}

static void
action_copy_line (GtkWidget  *widget,
                  const char *name,
                  GVariant   *parameter)
{
  PsLogView *self = PS_LOG_VIEW (widget);

  if (self->menu_line != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->menu_line);
}

GtkPopover *
ps_log_view_get_menu (PsLogView *self)
{
  g_return_val_if_fail (PS_IS_LOG_VIEW (self), NULL);
  return self->menu;
}

const char *
ps_log_view_get_menu_line (PsLogView *self)
{
  g_return_val_if_fail (PS_IS_LOG_VIEW (self), NULL);
  return self->menu_line;
}

/* ---- layout: the scrolled list, and the menu presented over it ------------ */

static void
ps_log_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  gtk_widget_measure (GTK_WIDGET (PS_LOG_VIEW (widget)->scroller), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
ps_log_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  PsLogView *self = PS_LOG_VIEW (widget);

  gtk_widget_allocate (GTK_WIDGET (self->scroller), width, height, baseline, NULL);
  gtk_popover_present (self->menu);
}

/* ---- GObject ---------------------------------------------------------------- */

static void
ps_log_view_dispose (GObject *object)
{
  PsLogView *self = PS_LOG_VIEW (object);

  ps_log_view_set_log (self, NULL);
  forget_focus (self);
  g_clear_handle_id (&self->restore_idle, g_source_remove);
  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  g_clear_pointer (&self->menu_line, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_LOG_VIEW);
  G_OBJECT_CLASS (ps_log_view_parent_class)->dispose (object);
}

static void
ps_log_view_class_init (PsLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_log_view_dispose;
  widget_class->focus = ps_log_view_focus;
  widget_class->measure = ps_log_view_measure;
  widget_class->size_allocate = ps_log_view_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PsLogView, scroller);
  gtk_widget_class_bind_template_child (widget_class, PsLogView, list);
  gtk_widget_class_bind_template_child (widget_class, PsLogView, menu);

  gtk_widget_class_install_action (widget_class, "log.context-menu", NULL, action_context_menu);
  gtk_widget_class_install_action (widget_class, "log.copy-line", NULL, action_copy_line);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "log.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "log.context-menu", NULL);
}

static void
ps_log_view_init (PsLogView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (line_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (line_bind), NULL);
  gtk_list_view_set_factory (self->list, factory);

  g_signal_connect_object (self->menu, "closed", G_CALLBACK (on_menu_closed), self, G_CONNECT_SWAPPED);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_right_click), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect_object (long_press, "pressed", G_CALLBACK (on_long_press), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (long_press));
}

GtkWidget *
ps_log_view_new (void)
{
  return g_object_new (PS_TYPE_LOG_VIEW, NULL);
}
