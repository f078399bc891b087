/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's narrow layout, for a small screen or 2x scale (libadwaita 1.2
 * has no breakpoints): when the wide layout has no room left (the window is
 * at its least width) the header bar keeps open, pause and the main menu,
 * which takes in the rest (colour mode, interval, zoom, the actions); the
 * grid goes above the hex view, the hex view scrolls sideways, the status
 * goes on as many lines as it needs (wide, it keeps to one line, so that
 * its text changing never moves the grid). With room to spare again, the wide
 * layout comes back (with the arrangement chosen in the menu,
 * ps-window-panes.c). The decision is made in size_allocate and applied at
 * the next frame. */
#define G_LOG_DOMAIN "pagescope-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-action-args.h"
#include "ps-window-private.h"
#include "ps-window-views.h"
#include "ps-wrap-box.h"
#include "ps-wrap-layout.h"

/* how much wider than the wide layout's least width the window must be
 * before it unfolds: no back and forth on a one-pixel change */
#define UNFOLD_MARGIN 24

typedef struct
{
  gboolean    narrow;
  int         wide_min;       /* the content's least width laid out wide, side pane aside */
  guint       tick;           /* a change of layout waiting for the next frame */
  GMenuModel *wide_menu;
  GMenuModel *narrow_menu;
  char       *open_label;
  int         hex_width_request;
  int         wide_position;  /* the paned's when wide, -1 unset */
} Narrow;

static void
narrow_free (gpointer data)
{
  Narrow *n = data;

  g_clear_object (&n->wide_menu);
  g_clear_object (&n->narrow_menu);
  g_free (n->open_label);
  g_free (n);
}

static Narrow *
narrow_of (PsWindow *self)
{
  static GQuark quark;
  Narrow *n;

  if (quark == 0)
    quark = g_quark_from_static_string ("ps-window-narrow");
  n = g_object_get_qdata (G_OBJECT (self), quark);
  if (n == NULL)
    {
      n = g_new0 (Narrow, 1);
      n->wide_position = -1;
      n->hex_width_request = -1;
      g_object_set_qdata_full (G_OBJECT (self), quark, n, narrow_free);
    }
  return n;
}

static GtkWidget *
child (PsWindow   *self,
       const char *id)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), PS_TYPE_WINDOW, id));
}

/* ---- the main menu when narrow ---------------------------------------------- */

static GMenuModel *
make_narrow_menu (GMenuModel *primary,
                  GMenuModel *actions,
                  GMenuModel *add_view)
{
  static const struct { const char *label; const char *action; } modes[] = {
    { N_("Activity"), "win.color-mode::activity" },
    { N_("Content"), "win.color-mode::content" },
    { N_("Residency"), "win.color-mode::residency" },
    { N_("Copy-on-write"), "win.color-mode::cow" },
  };
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) view = g_menu_new ();
  g_autoptr(GMenu) mode_menu = g_menu_new ();
  g_autoptr(GMenu) interval_menu = g_menu_new ();
  g_autoptr(GMenu) zoom = g_menu_new ();
  guint n;
  const guint *choices = ps_interval_choices (&n);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    g_menu_append (mode_menu, _(modes[i].label), modes[i].action);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = ps_interval_to_display (choices[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);
      g_autofree char *target = g_strdup_printf ("%u", choices[i]);

      g_menu_item_set_action_and_target (item, "win.interval", "s", target);
      g_menu_append_item (interval_menu, item);
    }
  g_menu_append_submenu (view, _("_Colour Mode"), G_MENU_MODEL (mode_menu));
  g_menu_append_submenu (view, _("Scan _Interval"), G_MENU_MODEL (interval_menu));
  g_menu_append (zoom, _("_Larger Cells"), "win.zoom-in");
  g_menu_append (zoom, _("_Smaller Cells"), "win.zoom-out");
  g_menu_append (zoom, _("_Fit the Whole Mapping"), "win.zoom-fit");
  g_menu_append_section (view, NULL, G_MENU_MODEL (zoom));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (view));
  g_menu_append_submenu (menu, _("_Actions"), actions);
  /* the header bar's Add View button, folded */
  g_menu_append_submenu (menu, _("Add _View"), add_view);
  g_menu_append_section (menu, NULL, primary);
  return G_MENU_MODEL (menu);
}

/* ---- the two layouts --------------------------------------------------------- */

static int
position_of (GtkPaned *paned)
{
  gboolean set;

  g_object_get (paned, "position-set", &set, NULL);
  return set ? gtk_paned_get_position (paned) : -1;
}

/* The side pane's page switcher: icons over short titles when narrow. */
static void
side_switcher_policy (PsWindow              *self,
                      AdwViewSwitcherPolicy  policy)
{
  GtkWidget *pane = gtk_revealer_get_child (self->side_revealer);

  for (GtkWidget *w = pane != NULL ? gtk_widget_get_first_child (pane) : NULL; w != NULL; w = gtk_widget_get_next_sibling (w))
    if (ADW_IS_VIEW_SWITCHER (w))
      adw_view_switcher_set_policy (ADW_VIEW_SWITCHER (w), policy);
}

static GSettings *
settings_of (PsWindow *self)
{
  return ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

/* Wide, the grid may be above the hex view too, if the user chose so. */
static gboolean
wide_stacked (PsWindow *self)
{
  return g_settings_get_enum (settings_of (self), "pane-layout") == 2;   /* "stacked" */
}

static void
apply (PsWindow *self,
       gboolean  narrow)
{
  Narrow *n = narrow_of (self);
  GtkPaned *paned = self->hpaned;
  const char *folded[] = { "zoom_box", "actions_button", "record_button", "copy_log_button", "clear_log_button" };

  n->narrow = narrow;
  for (guint i = 0; i < G_N_ELEMENTS (folded); i++)
    gtk_widget_set_visible (child (self, folded[i]), !narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->interval_dropdown), !narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->mode_dropdown), !narrow);
  if (self->views != NULL)
    ps_window_views_set_narrow (self, narrow);
  if (narrow)
    adw_split_button_set_icon_name (self->open_button, "document-open-symbolic");
  else
    {
      adw_split_button_set_label (self->open_button, n->open_label);
      adw_split_button_set_use_underline (self->open_button, TRUE);
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (child (self, "primary_menu_button")),
                                  narrow ? n->narrow_menu : n->wide_menu);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (child (self, "status_box")),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  ps_wrap_layout_set_single_line (PS_WRAP_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self->status_bar))), !narrow);
  side_switcher_policy (self, narrow ? ADW_VIEW_SWITCHER_POLICY_NARROW : ADW_VIEW_SWITCHER_POLICY_WIDE);

  /* the grid above the hex view, which scrolls sideways; the grid's share
   * of a wide window comes back with it */
  if (narrow)
    {
      n->wide_position = position_of (paned);
      gtk_paned_set_position (paned, -1);
      /* the setting keeps the wide layout's divider (ps-window-panes.c
       * saves every move, this one too) */
      g_settings_set_int (settings_of (self), "pane-position", n->wide_position);
    }
  gtk_orientable_set_orientation (GTK_ORIENTABLE (paned), narrow || wide_stacked (self) ? GTK_ORIENTATION_VERTICAL
                                                                                     : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_size_request (child (self, "hex_scroller"), narrow ? -1 : n->hex_width_request, -1);
  if (!narrow)
    gtk_paned_set_position (paned, n->wide_position);
}

/* The arrangement chosen from the menu (ps-window-panes.c) changed: the
 * narrow layout keeps the grid above the hex view, and the divider kept
 * aside belonged to the old one. */
static void
on_pane_layout (PsWindow *self)
{
  Narrow *n = narrow_of (self);

  n->wide_position = -1;
  if (n->narrow)
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->hpaned), GTK_ORIENTATION_VERTICAL);
}

static gboolean
apply_at_frame (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  PsWindow *self = PS_WINDOW (widget);
  Narrow *n = narrow_of (self);

  n->tick = 0;
  apply (self, !n->narrow);
  return G_SOURCE_REMOVE;
}

/* The least width of the window's content laid out wide, without the side
 * pane (which opens and closes meanwhile). Measured while wide. */
static int
measure_wide_min (PsWindow *self)
{
  int min = 0, side = 0;

  gtk_widget_measure (GTK_WIDGET (self->toasts), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->side_revealer), GTK_ORIENTATION_HORIZONTAL, -1, &side, NULL, NULL, NULL);
  return min - side;
}

static gboolean
should_be_narrow (PsWindow *self,
                  int       width)
{
  Narrow *n = narrow_of (self);
  int side = 0;

  gtk_widget_measure (GTK_WIDGET (self->side_revealer), GTK_ORIENTATION_HORIZONTAL, -1, &side, NULL, NULL, NULL);
  if (n->narrow)
    return width < n->wide_min + side + UNFOLD_MARGIN;
  return width <= n->wide_min + side;
}

static void (*parent_size_allocate) (GtkWidget *, int, int, int);

static void
narrow_size_allocate (GtkWidget *widget,
                      int        width,
                      int        height,
                      int        baseline)
{
  PsWindow *self = PS_WINDOW (widget);
  Narrow *n = narrow_of (self);

  gboolean change;

  parent_size_allocate (widget, width, height, baseline);
  if (n->narrow_menu == NULL)
    return;   /* before ps_window_narrow_init */
  if (!n->narrow)
    n->wide_min = measure_wide_min (self);
  /* not during the allocation: at the next frame */
  change = should_be_narrow (self, gtk_widget_get_width (GTK_WIDGET (self->toasts))) != n->narrow;
  if (change && n->tick == 0)
    n->tick = gtk_widget_add_tick_callback (widget, apply_at_frame, NULL, NULL);
  else if (!change && n->tick != 0)
    {
      gtk_widget_remove_tick_callback (widget, n->tick);
      n->tick = 0;
    }
}

void
ps_window_class_init_narrow (GtkWidgetClass *widget_class)
{
  const char *ids[] = { "primary_menu_button", "actions_button", "zoom_box", "copy_log_button",
                        "clear_log_button", "status_box", "hex_scroller" };

  /* the find bar's row (a template within the template) */
  g_type_ensure (PS_TYPE_WRAP_BOX);
  /* found with gtk_widget_get_template_child: no field of the window */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    gtk_widget_class_bind_template_child_full (widget_class, ids[i], FALSE, 0);
  parent_size_allocate = GTK_WIDGET_CLASS (g_type_class_peek_parent (widget_class))->size_allocate;
  widget_class->size_allocate = narrow_size_allocate;
}

/* The narrow main menu holds the Add View menu: up to date as it opens. */
static void
on_primary_menu (GtkMenuButton *button,
                 gpointer       data)
{
  PsWindow *self = data;

  if (narrow_of (self)->narrow && self->views != NULL)
    ps_window_views_refresh_menu (self);
}

/* Once the window has its default size: a window that starts narrower
 * than the wide layout's least width starts narrow, rather than being
 * made that wide first. */
void
ps_window_narrow_init (PsWindow *self)
{
  Narrow *n = narrow_of (self);
  GtkMenuButton *primary = GTK_MENU_BUTTON (child (self, "primary_menu_button"));
  int width, height;

  n->wide_menu = g_object_ref (gtk_menu_button_get_menu_model (primary));
  n->narrow_menu = make_narrow_menu (n->wide_menu,
                                     gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (child (self, "actions_button"))),
                                     ps_window_views_get_menu (self));
  gtk_menu_button_set_create_popup_func (primary, on_primary_menu, self, NULL);
  n->open_label = g_strdup (adw_split_button_get_label (self->open_button));
  gtk_widget_get_size_request (child (self, "hex_scroller"), &n->hex_width_request, NULL);
  n->wide_min = measure_wide_min (self);
  /* after ps-window-panes.c's handler, which sets the wide orientation */
  g_signal_connect_object (settings_of (self), "changed::pane-layout", G_CALLBACK (on_pane_layout),
                           self, G_CONNECT_SWAPPED);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);   /* 4.8 needs both */
  if (width > 0 && should_be_narrow (self, width))
    apply (self, TRUE);
}

/* ---- the divider above the log, kept from one window to the next ---------- */

void
ps_window_save_log_pane (PsWindow  *self,
                         GSettings *settings)
{
  /* while the log shows: hidden, its divider says nothing */
  if (gtk_revealer_get_reveal_child (self->bottom_revealer))
    g_settings_set_int (settings, "log-pane-position", position_of (self->vpaned));
}

void
ps_window_restore_log_pane (PsWindow  *self,
                            GSettings *settings)
{
  gtk_paned_set_position (self->vpaned, g_settings_get_int (settings, "log-pane-position"));
}

/* The hex view's least width as the wide layout wants it (ps-window-views.c
 * halves it beside other views); the narrow layout has none, it scrolls. */
void
ps_window_narrow_set_hex_width (PsWindow *self,
                                int       wide_request)
{
  Narrow *n = narrow_of (self);

  n->hex_width_request = wide_request;
  if (!n->narrow)
    gtk_widget_set_size_request (child (self, "hex_scroller"), wide_request, -1);
}

gboolean
ps_window_get_narrow (PsWindow *self)
{
  g_return_val_if_fail (PS_IS_WINDOW (self), FALSE);
  return narrow_of (self)->narrow;
}
