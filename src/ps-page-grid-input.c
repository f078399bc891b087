/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The page grid's input: the cursor and the selection from the keyboard,
 * clicks and drags, the tooltip and the context menu. Below one pixel a
 * page, the cursor and the selection move by whole runs, and a click on a
 * run selects its pages and shows them in the hex view. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ps-page-grid-private.h"

enum {
  SIGNAL_PAGE_ACTIVATED,
  SIGNAL_SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- cursor and selection ---- */

void
ps_page_grid_select_range (PsPageGrid *self,
                           guint64     first,
                           guint64     n)
{
  guint64 pages = ps_page_grid_n_pages (self);

  if (first >= pages)
    n = 0;
  else
    n = MIN (n, pages - first);
  if (n == 0)
    first = 0;
  if (first == self->sel_first && n == self->sel_n)
    return;
  self->sel_first = first;
  self->sel_n = n;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.clear-selection", n > 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

/* The pages of the cells from the one holding a to the one holding b. */
static void
select_between (PsPageGrid *self,
                guint64     a,
                guint64     b)
{
  guint64 lo = MIN (a, b), hi = MAX (a, b);

  lo -= lo % self->run;
  hi += self->run - 1 - hi % self->run;
  ps_page_grid_select_range (self, lo, hi - lo + 1);
}

void
ps_page_grid_move_cursor_to (PsPageGrid *self,
                             guint64     page,
                             gboolean    extend)
{
  guint64 n = ps_page_grid_n_pages (self);

  page = n > 0 ? MIN (page, n - 1) : 0;
  page -= page % self->run;
  if (extend)
    select_between (self, self->anchor, page);
  else
    self->anchor = page;
  if (page != self->cursor)
    {
      self->cursor = page;
      ps_page_grid_notify_cursor (self);
      ps_page_grid_update_description (self);
    }
  if (self->columns > 0)
    ps_page_grid_scroll_to_cell (self, ps_page_grid_cell_of_page (self, page), FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
action_move_cursor (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);
  const char *unit;
  gint64 count;
  gboolean extend;
  guint64 n = ps_page_grid_n_pages (self);
  guint64 columns = MAX (self->columns, 1);
  gint64 step;
  gint64 target;

  g_variant_get (parameter, "(&sxb)", &unit, &count, &extend);
  if (n == 0)
    return;
  if (g_str_equal (unit, "edge"))
    step = n;
  else if (g_str_equal (unit, "row"))
    step = columns * self->run;
  else if (g_str_equal (unit, "screen"))
    step = columns * self->run * MAX (1, gtk_widget_get_height (widget) / (int) self->cell - 1);
  else
    step = self->run;
  /* moving up or left off the grid stops at the first page, down at the last */
  target = (gint64) self->cursor + count * step;
  if (extend && self->sel_n == 0)
    self->anchor = self->cursor;
  if (!extend && self->sel_n > 0)
    ps_page_grid_select_range (self, 0, 0);
  ps_page_grid_move_cursor_to (self, (guint64) CLAMP (target, 0, (gint64) n - 1), extend);
}

static void
action_activate_cursor (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  if (self->cursor < ps_page_grid_n_pages (self))
    g_signal_emit (self, signals[SIGNAL_PAGE_ACTIVATED], 0, self->cursor);
}

static void
action_clear_selection (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ps_page_grid_clear_selection (PS_PAGE_GRID (widget));
}

static void
action_select_all (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  self->anchor = 0;
  ps_page_grid_select_range (self, 0, ps_page_grid_n_pages (self));
}

/* Zooms into the cursor's run: one cell a page, the run in view. */
static void
action_zoom_into (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  if (self->run > 1)
    ps_page_grid_set_run (self, 1);
}

/* ---- pointer ---- */

/* Where pages are: a point's page, a page's cell. */

gboolean
ps_page_grid_page_at (PsPageGrid *self,
                      double      x,
                      double      y,
                      guint64    *page)
{
  guint64 col, row, cell, n_data, p;

  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);

  if (self->frame == NULL || self->columns == 0 || x < 0 || y < 0 ||
      x >= gtk_widget_get_width (GTK_WIDGET (self)) || y >= gtk_widget_get_height (GTK_WIDGET (self)))
    return FALSE;
  col = (guint64) x / self->cell;
  if (col >= self->columns)
    return FALSE;
  row = (guint64) ((y + ps_page_grid_scroll_value (self)) / self->cell);
  cell = row * self->columns + col;
  n_data = ps_page_grid_n_data_cells (self);
  if (cell > n_data)
    return FALSE;
  p = cell == n_data ? self->frame->n_pages : cell * self->run;
  if (page != NULL)
    *page = p;
  return TRUE;
}

gboolean
ps_page_grid_get_page_area (PsPageGrid   *self,
                            guint64       page,
                            GdkRectangle *area)
{
  guint64 cell;

  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (self->frame == NULL || self->columns == 0)
    return FALSE;
  cell = ps_page_grid_cell_of_page (self, page);
  area->x = (int) (cell % self->columns) * self->cell;
  area->y = (int) ((double) (cell / self->columns) * self->cell - ps_page_grid_scroll_value (self));
  area->width = area->height = self->cell;
  return TRUE;
}

/* The page under a point, clamped into the grid (for a drag that leaves it). */
static guint64
page_at_clamped (PsPageGrid *self,
                 double      x,
                 double      y)
{
  guint columns = MAX (self->columns, 1);
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  guint64 col = (guint64) CLAMP (x, 0, (double) columns * self->cell - 1) / self->cell;
  guint64 row = (guint64) ((CLAMP (y, 0, height - 1) + ps_page_grid_scroll_value (self)) / self->cell);
  guint64 n = ps_page_grid_n_pages (self);

  return MIN ((row * columns + col) * self->run, n > 0 ? n - 1 : 0);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PsPageGrid     *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  guint64 page = 0;

  if (gtk_widget_get_focusable (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_y = y;
  self->dragging = FALSE;
  self->drag_valid = ps_page_grid_page_at (self, x, y, &page) && page < ps_page_grid_n_pages (self);
  self->drag_page = page;
  if (self->drag_valid && (state & GDK_SHIFT_MASK))
    {
      /* shift+click extends from the cursor */
      self->dragging = TRUE;
      if (self->sel_n == 0)
        self->anchor = self->cursor;
      ps_page_grid_move_cursor_to (self, page, TRUE);
    }
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PsPageGrid     *self)
{
  guint64 page;

  if (self->frame == NULL || ps_page_grid_n_pages (self) == 0)
    return;
  if (!self->dragging && fabs (dx) < 3 && fabs (dy) < 3)
    return;
  if (!self->dragging)
    {
      self->dragging = TRUE;
      self->anchor = page_at_clamped (self, self->drag_x, self->drag_y);
      ps_page_grid_select_range (self, 0, 0);
    }
  page = page_at_clamped (self, self->drag_x + dx, self->drag_y + dy);
  ps_page_grid_move_cursor_to (self, page, TRUE);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             PsPageGrid     *self)
{
  if (self->dragging || !self->drag_valid)
    return;
  /* a click: the hex view goes there; on a run, its pages are selected */
  ps_page_grid_select_range (self, 0, 0);
  ps_page_grid_move_cursor_to (self, self->drag_page, FALSE);
  if (self->run > 1)
    select_between (self, self->drag_page, self->drag_page);
  g_signal_emit (self, signals[SIGNAL_PAGE_ACTIVATED], 0, self->drag_page);
}

static gboolean
query_tooltip (GtkWidget  *widget,
               int         x,
               int         y,
               gboolean    keyboard_mode,
               GtkTooltip *tooltip)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);
  g_autofree char *text = NULL;
  GdkRectangle area;
  guint64 page;

  if (keyboard_mode)
    page = self->cursor;
  else if (!ps_page_grid_page_at (self, x, y, &page))
    return FALSE;
  if (self->frame == NULL)
    return FALSE;
  text = ps_page_grid_describe_page (self, page);
  gtk_tooltip_set_text (tooltip, text);
  if (ps_page_grid_get_page_area (self, page, &area))
    gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

/* ---- the context menu ---- */

static void
popup_menu_at (PsPageGrid *self,
               double      x,
               double      y)
{
  if (gtk_widget_get_focusable (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.zoom-into", self->run > 1);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      PsPageGrid      *self)
{
  guint64 page;

  if (ps_page_grid_page_at (self, x, y, &page) && page < ps_page_grid_n_pages (self))
    ps_page_grid_move_cursor_to (self, page, FALSE);
  popup_menu_at (self, x, y);
}

/* Shift+F10 and the Menu key: at the cursor's cell. */
static void
action_popup_menu (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);
  GdkRectangle area = { 0, 0, 1, 1 };

  if (ps_page_grid_get_page_area (self, self->cursor, &area))
    {
      area.x += area.width / 2;
      area.y += area.height / 2;
    }
  popup_menu_at (self, CLAMP (area.x, 0, gtk_widget_get_width (widget)),
                 CLAMP (area.y, 0, gtk_widget_get_height (widget)));
}

static GtkWidget *
make_menu (PsPageGrid *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *popover;

  g_menu_append (menu, _("Show in _Hex View"), "grid.activate-cursor");
  g_menu_append (menu, _("_Zoom Into These Pages"), "grid.zoom-into");
  g_menu_append (menu, _("Select _All Pages"), "grid.select-all");
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_widget_set_parent (popover, GTK_WIDGET (self));
  return popover;
}

/* ---- set-up ---- */

/* Tab moves focus onto the grid and on past it, never into the context menu. */
static gboolean
focus_vfunc (GtkWidget        *widget,
             GtkDirectionType  direction)
{
  if (gtk_widget_is_focus (widget) || !gtk_widget_get_focusable (widget))
    return FALSE;
  return gtk_widget_grab_focus (widget);
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           keyval,
                  guint           kp_keyval,
                  const char     *unit,
                  gint64          count)
{
  guint keys[] = { keyval, kp_keyval };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, keys[i], 0, "grid.move-cursor",
                                           "(sxb)", unit, count, FALSE);
      gtk_widget_class_add_binding_action (widget_class, keys[i], GDK_SHIFT_MASK, "grid.move-cursor",
                                           "(sxb)", unit, count, TRUE);
    }
}

void
ps_page_grid_class_init_input (GtkWidgetClass *widget_class)
{
  GType type = G_TYPE_FROM_CLASS (widget_class);

  widget_class->query_tooltip = query_tooltip;
  widget_class->focus = focus_vfunc;

  signals[SIGNAL_PAGE_ACTIVATED] =
    g_signal_new ("page-activated", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  signals[SIGNAL_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", type, G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "grid.move-cursor", "(sxb)", action_move_cursor);
  gtk_widget_class_install_action (widget_class, "grid.activate-cursor", NULL, action_activate_cursor);
  gtk_widget_class_install_action (widget_class, "grid.clear-selection", NULL, action_clear_selection);
  gtk_widget_class_install_action (widget_class, "grid.select-all", NULL, action_select_all);
  gtk_widget_class_install_action (widget_class, "grid.zoom-into", NULL, action_zoom_into);
  gtk_widget_class_install_action (widget_class, "grid.popup-menu", NULL, action_popup_menu);

  add_move_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, "page", -1);
  add_move_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, "page", 1);
  add_move_binding (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, "row", -1);
  add_move_binding (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, "row", 1);
  add_move_binding (widget_class, GDK_KEY_Page_Up, GDK_KEY_KP_Page_Up, "screen", -1);
  add_move_binding (widget_class, GDK_KEY_Page_Down, GDK_KEY_KP_Page_Down, "screen", 1);
  add_move_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, "edge", -1);
  add_move_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, "edge", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "grid.activate-cursor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "grid.activate-cursor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "grid.activate-cursor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "grid.activate-cursor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "grid.clear-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "grid.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "grid.popup-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "grid.popup-menu", NULL);
}

void
ps_page_grid_init_input (PsPageGrid *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_pressed), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  g_signal_connect_swapped (focus, "enter", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (widget, focus);

  self->menu = make_menu (self);
  gtk_widget_action_set_enabled (widget, "grid.clear-selection", FALSE);
}
