/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window at 360 logical pixels wide (a phone, or 2x scale on a small
 * screen): its least width, every control on screen and whole, the folded
 * controls in the main menu; and back to the wide layout. */
#include "config.h"

#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"
#include "ps-window-views.h"

static PsApplication *app;

static PsWindow *
open_window (int width,
             int height)
{
  g_autoptr(GError) error = NULL;
  PsWindow *window;

  /* as a window closed at that size left it */
  g_settings_set_int (ps_application_get_settings (app), "window-width", width);
  g_settings_set_int (ps_application_get_settings (app), "window-height", height);
  window = ps_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ps_window_open_demo (window, &error));
  g_assert_no_error (error);
  ps_ui_test_wait_drawn (GTK_WIDGET (window));
  return window;
}

static int
min_width (GtkWidget *widget)
{
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || ADW_IS_SPLIT_BUTTON (widget) ||
         GTK_IS_DROP_DOWN (widget) || GTK_IS_LABEL (widget) || GTK_IS_EDITABLE (widget) ||
         GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget);
}

/* Every widget drawn outside a scrolled view lies wholly inside the window
 * and has at least its least width: nothing is cut off or squeezed. */
static void
assert_nothing_cut (GtkWidget *widget,
                    GtkWidget *window,
                    int        width)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget) || (GTK_IS_NATIVE (widget) && widget != window))
    return;
  if (widget != window && gtk_widget_compute_bounds (widget, window, &bounds) &&
      bounds.size.width > 0 && bounds.size.height > 0)
    {
      /* a header bar reaches one pixel under the window's rounded edge */
      if (bounds.origin.x < -1.5 || bounds.origin.x + bounds.size.width > width + 1.5)
        g_error ("%s (%s) lies at %.0f..%.0f, outside the window's %d px", G_OBJECT_TYPE_NAME (widget),
                 gtk_widget_get_css_name (widget), bounds.origin.x, bounds.origin.x + bounds.size.width, width);
      /* (containers aside: a header bar hands its box two pixels under the
       * box's least width, its title giving them up) */
      if (is_control (widget) &&
          bounds.size.width + gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget) + 0.5 < min_width (widget))
        g_error ("%s (%s%s%s) has %.0f px of its least %d", G_OBJECT_TYPE_NAME (widget), gtk_widget_get_css_name (widget),
                 GTK_IS_LABEL (widget) ? " " : "", GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "",
                 bounds.size.width, min_width (widget));
    }
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return;   /* what it shows scrolls */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    assert_nothing_cut (child, window, width);
}

static void
collect_actions (GMenuModel *model,
                 GString    *out)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      GMenuModel *linked;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_string_append_printf (out, "%s ", action);
      while (g_menu_link_iter_get_next (links, NULL, &linked))
        {
          collect_actions (linked, out);
          g_object_unref (linked);
        }
    }
}

typedef struct
{
  PsWindow *window;
  gboolean  narrow;
} LayoutWait;

static gboolean
layout_is (gpointer data)
{
  LayoutWait *w = data;

  ps_ui_test_wait_frame (GTK_WIDGET (w->window));
  return ps_window_get_narrow (w->window) == w->narrow;
}

static void
assert_narrow (PsWindow *window)
{
  GtkWidget *primary = ps_ui_test_child (window, "primary_menu_button");
  GtkScrolledWindow *hex_scroller = ps_ui_test_child (window, "hex_scroller");
  GtkAdjustment *hadj = gtk_scrolled_window_get_hadjustment (hex_scroller);
  g_autoptr(GString) actions = g_string_new (NULL);
  int width = gtk_widget_get_width (GTK_WIDGET (window));

  g_assert_true (ps_window_get_narrow (window));
  g_test_message ("narrow: window %d x %d, least %d x ?", width, gtk_widget_get_height (GTK_WIDGET (window)),
                  min_width (GTK_WIDGET (window)));
  g_assert_cmpint (width, <=, 360);
  g_assert_cmpint (min_width (GTK_WIDGET (window->toasts)), <=, 360);
  assert_nothing_cut (GTK_WIDGET (window), GTK_WIDGET (window), width);

  /* the header bar keeps open, pause and the main menu; the rest is in it */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->open_button)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->pause_button)));
  g_assert_true (gtk_widget_get_mapped (primary));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window->mode_dropdown)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (ps_window_views_get_add_button (window))));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window->interval_dropdown)));
  collect_actions (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (primary)), actions);
  g_test_message ("narrow menu: %s", actions->str);
  for (guint i = 0; i < 4; i++)
    {
      const char *needed[] = { "win.color-mode", "win.interval", "win.zoom-in", "win.write-dialog" };

      ps_assert_contains (actions->str, needed[i]);
    }

  /* the grid above the hex view, which scrolls sideways */
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->hpaned)), ==, GTK_ORIENTATION_VERTICAL);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->grid)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->hex)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (hadj), >, gtk_adjustment_get_page_size (hadj));
}

static gboolean
width_at_most_360 (gpointer data)
{
  ps_ui_test_wait_frame (data);
  return gtk_widget_get_width (data) <= 360;
}

static gboolean
side_shown (gpointer data)
{
  PsWindow *window = data;

  ps_ui_test_wait_frame (data);
  return gtk_revealer_get_child_revealed (window->side_revealer) && gtk_widget_get_mapped (GTK_WIDGET (window->find_bar));
}

static void
test_narrow_from_start (void)
{
  PsWindow *window = open_window (360, 740);

  assert_narrow (window);

  /* with the find bar and the side pane too */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.find-bar", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-inspector", NULL));
  g_assert_true (ps_test_wait_until (side_shown, window, 10000));
  assert_narrow (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A wide window made narrow folds once the wide layout is at its least
 * width, and unfolds with room to spare. */
static void
test_fold_and_unfold (void)
{
  PsWindow *window = open_window (1300, 800);
  LayoutWait w = { window, TRUE };
  GtkWidget *hex_scroller = ps_ui_test_child (window, "hex_scroller");
  int wide_min = min_width (GTK_WIDGET (window->toasts));
  int request;

  g_assert_false (ps_window_get_narrow (window));
  g_test_message ("wide: least width of the content %d", wide_min);
  /* bounded (below it the window folds): 811 before narrow layouts, 869
   * with the record button in the header bar */
  g_assert_cmpint (wide_min, <=, 880);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->mode_dropdown)));
  assert_nothing_cut (GTK_WIDGET (window), GTK_WIDGET (window), gtk_widget_get_width (GTK_WIDGET (window)));

  /* as a user dragging its edge: the window stops at the wide layout's
   * least width, folds, and then follows the drag down to 360 */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 740);
  g_assert_true (ps_test_wait_until (layout_is, &w, 10000));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 740);
  g_assert_true (ps_test_wait_until (width_at_most_360, window, 10000));
  assert_narrow (window);

  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  w.narrow = FALSE;
  g_assert_true (ps_test_wait_until (layout_is, &w, 10000));
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->mode_dropdown)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->interval_dropdown)));
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->hpaned)), ==, GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_get_size_request (hex_scroller, &request, NULL);
  g_assert_cmpint (request, ==, 560);
  assert_nothing_cut (GTK_WIDGET (window), GTK_WIDGET (window), gtk_widget_get_width (GTK_WIDGET (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The grid chosen above the hex view stays there through a fold; chosen
 * while narrow, it is there once wide again. */
static void
test_fold_keeps_layout (void)
{
  GSettings *settings = ps_application_get_settings (app);
  PsWindow *window = open_window (1300, 800);
  LayoutWait w = { window, TRUE };

  g_settings_set_string (settings, "pane-layout", "grid-right");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 740);
  g_assert_true (ps_test_wait_until (layout_is, &w, 10000));
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->hpaned)), ==, GTK_ORIENTATION_VERTICAL);
  g_settings_set_string (settings, "pane-layout", "stacked");
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->hpaned)), ==, GTK_ORIENTATION_VERTICAL);
  g_settings_set_string (settings, "pane-layout", "grid-left");
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->hpaned)), ==, GTK_ORIENTATION_VERTICAL);
  g_settings_set_string (settings, "pane-layout", "stacked");
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  w.narrow = FALSE;
  g_assert_true (ps_test_wait_until (layout_is, &w, 10000));
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->hpaned)), ==, GTK_ORIENTATION_VERTICAL);
  g_settings_reset (settings, "pane-layout");
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (window->hpaned)), ==, GTK_ORIENTATION_HORIZONTAL);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The submenu of a menu labelled label (mnemonic underscores ignored). */
static GMenuModel *
find_submenu (GMenuModel *model,
              const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GMenuModel) sub = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (sub != NULL && g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &text))
        {
          g_autofree char *plain = g_strdup (text);
          char *w = plain;

          for (const char *r = text; *r != '\0'; r++)
            if (*r != '_')
              *w++ = *r;
          *w = '\0';
          if (g_str_equal (plain, label))
            return g_steal_pointer (&sub);
        }
      if (section != NULL)
        {
          GMenuModel *found = find_submenu (section, label);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

/* The target of the first item of model (sections included) whose action is action. */
static char *
find_target (GMenuModel *model,
             const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      char *target = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action) &&
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_TARGET, "s", &target))
        return target;
      if (section != NULL && (target = find_target (section, action)) != NULL)
        return target;
    }
  return NULL;
}

static gboolean
popover_shown (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
panes_are_one (gpointer data)
{
  return ps_window_views_get_n_panes (data) == 1;
}

/* Narrow, Add View is in the main menu, up to date as it opens, and
 * Ctrl+Shift+V (win.add-view-menu) opens it where the button was. */
static void
test_add_view (void)
{
  g_autofree char *path = ps_test_file ("narrow", 4 * ps_test_page_size (), 'n');
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  PsWindow *window = open_window (360, 740);
  GtkMenuButton *primary = ps_ui_test_child (window, "primary_menu_button");
  g_autoptr(GMenuModel) add_view = NULL;
  g_autofree char *target = NULL;
  GtkPopover *popover;

  assert_narrow (window);
  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (path);
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  g_assert_no_error (error);
  ps_ui_test_wait_drawn (GTK_WIDGET (window));

  /* opened, the main menu's Add View lists this file's views */
  gtk_menu_button_popup (primary);
  g_assert_true (ps_test_wait_until (popover_shown, gtk_menu_button_get_popover (primary), 10000));
  add_view = find_submenu (gtk_menu_button_get_menu_model (primary), "Add View");
  g_assert_nonnull (add_view);
  target = find_target (add_view, "win.add-view");
  g_assert_nonnull (target);
  g_test_message ("narrow Add View: %s", target);
  ps_assert_contains (target, path);
  gtk_menu_button_popdown (primary);

  /* its item adds the view */
  g_assert_cmpuint (ps_window_views_get_n_panes (window), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-view", "s", target));
  g_assert_true (ps_test_wait_until (panes_are_one, window, 10000));

  /* Ctrl+Shift+V: the same menu, though the button is folded away */
  popover = ps_window_views_get_narrow_popover (window);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (ps_window_views_get_add_button (window))));
  g_assert_true (ps_ui_test_press_binding (GTK_WIDGET (window), GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  g_assert_true (ps_test_wait_until (popover_shown, popover, 10000));
  g_assert_true (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)) == ps_window_views_get_menu (window));
  g_assert_nonnull (find_target (ps_window_views_get_menu (window), "win.add-view"));

  /* wide again, the button is back and the narrow menu goes */
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  {
    LayoutWait w = { window, FALSE };

    g_assert_true (ps_test_wait_until (layout_is, &w, 10000));
  }
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ps_window_views_get_add_button (window))));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = ps_ui_test_app_new (&argc, &argv);
  g_test_add_func ("/narrow/from-start", test_narrow_from_start);
  g_test_add_func ("/narrow/fold-and-unfold", test_fold_and_unfold);
  g_test_add_func ("/narrow/fold-keeps-layout", test_fold_keeps_layout);
  g_test_add_func ("/narrow/add-view", test_add_view);
  return g_test_run ();
}
