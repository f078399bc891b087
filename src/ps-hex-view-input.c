/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hex view's input: the cursor and the selection from the keyboard and
 * the pointer, the wheel, copying, and the context menu (right click,
 * Shift+F10, the Menu key). */
#define G_LOG_DOMAIN "pagescope-hex"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-bytes.h"
#include "ps-hex-view-private.h"

#define WHEEL_ROWS      3
#define COPY_MAX        (16 * 1024 * 1024)

enum
{
  SIGNAL_CURSOR_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  MOVE_BYTES,
  MOVE_ROWS,
  MOVE_PAGES,
  MOVE_ROW_EDGE,
  MOVE_DOC_EDGE,
} MoveKind;

/* ---- cursor and selection ------------------------------------------------ */

void
ps_hex_view_update_actions (PsHexView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hex.copy-hex", self->has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hex.copy-text", self->has_selection);
  /* every change of the cursor or the selection comes through here */
  g_signal_emit (self, signals[SIGNAL_CURSOR_CHANGED], 0);
}

static void
move_cursor_to (PsHexView *self,
                guint64    target,
                gboolean   extend)
{
  if (self->length == 0)
    return;
  target = MIN (target, self->length - 1);
  if (extend && !self->has_selection)
    {
      self->anchor = self->cursor;
      self->has_selection = TRUE;
    }
  else if (!extend)
    {
      self->has_selection = FALSE;
      self->anchor = target;
    }
  self->cursor = target;
  ps_hex_view_scroll_to_row (self, target / self->bytes_per_row);
  ps_hex_view_update_actions (self);
  ps_hex_view_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static guint64
offset_by (PsHexView *self,
           guint64    from,
           gint64     delta,
           guint64    length)
{
  if (delta < 0 && (guint64) -delta > from)
    return from % self->bytes_per_row;          /* past the top: the first row, same column */
  if (delta > 0 && from + delta >= length)
    return length - 1;
  return from + delta;
}

static gboolean
move_cursor_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  PsHexView *self = PS_HEX_VIEW (widget);
  int kind, count;
  gboolean extend;
  guint64 row_start = self->cursor - self->cursor % self->bytes_per_row;
  guint64 target = self->cursor;

  if (!ps_hex_view_has_bytes (self) || self->length == 0)
    return FALSE;
  g_variant_get (args, "(iib)", &kind, &count, &extend);
  switch ((MoveKind) kind)
    {
    case MOVE_BYTES:
      target = offset_by (self, self->cursor, count, self->length);
      break;
    case MOVE_ROWS:
      target = offset_by (self, self->cursor, (gint64) count * self->bytes_per_row, self->length);
      break;
    case MOVE_PAGES:
      {
        gint64 rows = (gint64) MAX (floor (ps_hex_view_page_rows (self)), 1) * count;

        target = offset_by (self, self->cursor, rows * self->bytes_per_row, self->length);
        ps_hex_view_set_row_value (self, gtk_adjustment_get_value (self->vadjustment) + rows);
      }
      break;
    case MOVE_ROW_EDGE:
      target = count < 0 ? row_start : MIN (row_start + self->bytes_per_row - 1, self->length - 1);
      break;
    case MOVE_DOC_EDGE:
      target = count < 0 ? 0 : self->length - 1;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  move_cursor_to (self, target, extend);
  return TRUE;
}

/* Which byte is at (x, y) of the widget; ascii: whether in the ASCII column. */
gboolean
ps_hex_view_byte_at (PsHexView *self,
         double     x,
         double     y,
         guint64   *offset,
         gboolean  *ascii)
{
  double col = (x - ps_hex_view_origin_x (self)) / self->char_w;
  double rel = col - ps_hex_view_hex_col (self, 0);
  gint64 screen_row = (gint64) floor ((y + self->frac_px) / self->row_h);
  guint64 row;
  int i;

  if (!ps_hex_view_has_bytes (self) || self->length == 0)
    return FALSE;
  screen_row = CLAMP (screen_row, 0, (gint64) MAX (self->n_draw, 1) - 1);
  row = self->first_row + screen_row;
  *ascii = col >= ps_hex_view_ascii_col (self, 0) - 1;
  if (*ascii)
    i = CLAMP ((int) floor (col - ps_hex_view_ascii_col (self, 0)), 0, (int) self->bytes_per_row - 1);
  else
    {
      /* a group of 8 bytes is 25 columns with the space after it; the
       * space between groups goes to the group after it */
      int n_groups = (int) self->bytes_per_row / 8;
      int group = CLAMP ((int) floor ((rel + 1) / 25), 0, n_groups - 1);

      i = CLAMP ((int) floor ((rel - 25 * group + 0.5) / 3), 0, 7) + 8 * group;
    }
  *offset = MIN (row * self->bytes_per_row + i, self->length - 1);
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PsHexView      *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  guint64 offset;
  gboolean ascii;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_y = y;
  if (ps_hex_view_byte_at (self, x, y, &offset, &ascii))
    move_cursor_to (self, offset, (state & GDK_SHIFT_MASK) != 0);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PsHexView      *self)
{
  double x = self->drag_x + dx, y = self->drag_y + dy;
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  guint64 offset;
  gboolean ascii;

  /* dragging past an edge scrolls a row at a time */
  if (y < 0)
    ps_hex_view_set_row_value (self, gtk_adjustment_get_value (self->vadjustment) - 1);
  else if (y > height)
    ps_hex_view_set_row_value (self, gtk_adjustment_get_value (self->vadjustment) + 1);
  if (ps_hex_view_byte_at (self, x, CLAMP (y, 0, MAX (height - 1, 0)), &offset, &ascii) &&
      (offset != self->cursor || self->has_selection))
    move_cursor_to (self, offset, TRUE);
}

/* Shift+F10 and the Menu key: at the cursor's byte. */
static void
popup_menu_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PsHexView *self = PS_HEX_VIEW (widget);
  GdkRectangle at = { 0, 0, 1, 1 };
  graphene_rect_t rect;

  if (ps_hex_view_get_byte_rect (self, self->cursor, FALSE, &rect))
    at = (GdkRectangle) { (int) rect.origin.x, (int) (rect.origin.y + rect.size.height), 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &at);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      PsHexView       *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

/* ---- copy ---------------------------------------------------------------------- */

static void
copy_selection (PsHexView *self,
                gboolean   as_text)
{
  g_autofree guint8 *data = NULL;
  g_autofree char *text = NULL;
  guint64 offset, length;

  if (!ps_hex_view_has_bytes (self) || !ps_hex_view_get_selection (self, &offset, &length))
    return;
  if (length > COPY_MAX)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      length = COPY_MAX;
    }
  /* holes and pages past EOF copy as the zeros they read as, without being read */
  data = g_malloc (length);
  ps_hex_view_read_bytes (self, offset, data, length, NULL);
  text = as_text ? ps_bytes_to_escaped (data, length, length) : ps_bytes_to_hex (data, length, length);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
copy_hex_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  copy_selection (PS_HEX_VIEW (widget), FALSE);
}

static void
copy_text_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  copy_selection (PS_HEX_VIEW (widget), TRUE);
}


static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           PsHexView                *self)
{
  double rows;

  if (dy == 0 || !ps_hex_view_has_bytes (self))
    return FALSE;
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    rows = dy * WHEEL_ROWS;
  else
    rows = dy / self->row_h;
  ps_hex_view_set_row_value (self, gtk_adjustment_get_value (self->vadjustment) + rows);
  return TRUE;
}


static void
add_move_binding (GtkWidgetClass  *widget_class,
                  guint            keyval,
                  GdkModifierType  mods,
                  MoveKind         kind,
                  int              count)
{
  gtk_widget_class_add_binding (widget_class, keyval, mods, move_cursor_cb, "(iib)", kind, count, FALSE);
  gtk_widget_class_add_binding (widget_class, keyval, mods | GDK_SHIFT_MASK, move_cursor_cb, "(iib)", kind, count, TRUE);
}

static void
add_bindings (GtkWidgetClass *widget_class)
{
  add_move_binding (widget_class, GDK_KEY_Left, 0, MOVE_BYTES, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Left, 0, MOVE_BYTES, -1);
  add_move_binding (widget_class, GDK_KEY_Right, 0, MOVE_BYTES, 1);
  add_move_binding (widget_class, GDK_KEY_KP_Right, 0, MOVE_BYTES, 1);
  add_move_binding (widget_class, GDK_KEY_Up, 0, MOVE_ROWS, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Up, 0, MOVE_ROWS, -1);
  add_move_binding (widget_class, GDK_KEY_Down, 0, MOVE_ROWS, 1);
  add_move_binding (widget_class, GDK_KEY_KP_Down, 0, MOVE_ROWS, 1);
  add_move_binding (widget_class, GDK_KEY_Page_Up, 0, MOVE_PAGES, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Page_Up, 0, MOVE_PAGES, -1);
  add_move_binding (widget_class, GDK_KEY_Page_Down, 0, MOVE_PAGES, 1);
  add_move_binding (widget_class, GDK_KEY_KP_Page_Down, 0, MOVE_PAGES, 1);
  add_move_binding (widget_class, GDK_KEY_Home, 0, MOVE_ROW_EDGE, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Home, 0, MOVE_ROW_EDGE, -1);
  add_move_binding (widget_class, GDK_KEY_End, 0, MOVE_ROW_EDGE, 1);
  add_move_binding (widget_class, GDK_KEY_KP_End, 0, MOVE_ROW_EDGE, 1);
  add_move_binding (widget_class, GDK_KEY_Home, GDK_CONTROL_MASK, MOVE_DOC_EDGE, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Home, GDK_CONTROL_MASK, MOVE_DOC_EDGE, -1);
  add_move_binding (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, MOVE_DOC_EDGE, 1);
  add_move_binding (widget_class, GDK_KEY_KP_End, GDK_CONTROL_MASK, MOVE_DOC_EDGE, 1);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "hex.copy-hex", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, GDK_CONTROL_MASK, "hex.copy-hex", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "hex.copy-text", NULL);
}


static GtkWidget *
make_menu (PsHexView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *popover;

  g_menu_append (menu, _("Copy as _Hex"), "hex.copy-hex");
  g_menu_append (menu, _("Copy as _Text"), "hex.copy-text");
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_widget_set_parent (popover, GTK_WIDGET (self));
  return popover;
}

static void
add_controllers (PsHexView *self)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}


void
ps_hex_view_class_init_input (GtkWidgetClass *widget_class)
{
  /**
   * PsHexView::cursor-changed:
   *
   * The cursor moved or the selection changed.
   */
  signals[SIGNAL_CURSOR_CHANGED] =
    g_signal_new ("cursor-changed", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "hex.copy-hex", NULL, copy_hex_action);
  gtk_widget_class_install_action (widget_class, "hex.copy-text", NULL, copy_text_action);
  gtk_widget_class_install_action (widget_class, "hex.popup-menu", NULL, popup_menu_action);
  add_bindings (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "hex.popup-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "hex.popup-menu", NULL);
}

void
ps_hex_view_init_input (PsHexView *self)
{
  add_controllers (self);
  self->menu = make_menu (self);
}
