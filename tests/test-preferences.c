/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window bound to the settings both ways, what a new window
 * takes from them, the budget followed at once; and the window's size and
 * dividers kept from one window to the next. */
#include "config.h"

#include <string.h>

#include "ps-budget.h"
#include "ps-diff-view.h"
#include "ps-grid-legend.h"
#include "ps-preferences-window.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"
#include "ps-window-time.h"
#include "ps-window-views.h"

static PsApplication *app;

static GSettings *
settings (void)
{
  return ps_application_get_settings (app);
}

static void
reset_settings (void)
{
  const char *keys[] = { "interval", "color-mode", "log-visible", "cpu-budget", "window-width", "window-height",
                         "pane-position", "log-pane-position", "fade-time", "hex-row-width" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings (), keys[i]);
}

static guint
count_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      n += PS_IS_PREFERENCES_WINDOW (toplevel);
    }
  return n;
}

static GtkWindow *
open_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (PS_IS_PREFERENCES_WINDOW (toplevel))
        return toplevel;
    }
  g_error ("app.preferences showed no preferences window");
}

static PsWindow *
make_window (int width,
             int height)
{
  PsWindow *window = ps_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  ps_ui_test_wait_drawn (GTK_WIDGET (window));
  return window;
}

static void
test_bound (void)
{
  PsWindow *parent, *window;
  GtkWindow *prefs;
  AdwComboRow *interval_row, *mode_row;
  GtkSwitch *log_switch;
  GtkSpinButton *budget_spin;

  reset_settings ();
  parent = make_window (900, 700);
  prefs = open_preferences ();
  ps_ui_test_wait_drawn (GTK_WIDGET (prefs));
  g_assert_true (gtk_window_get_transient_for (prefs) == GTK_WINDOW (parent));
  interval_row = ps_ui_test_child (prefs, "interval_row");
  mode_row = ps_ui_test_child (prefs, "mode_row");
  log_switch = ps_ui_test_child (prefs, "log_switch");
  budget_spin = ps_ui_test_child (prefs, "budget_spin");

  /* the defaults, shown */
  g_assert_cmpuint (adw_combo_row_get_selected (interval_row), ==, 3);   /* 100 ms */
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (interval_row)), ==, "100 ms");
  g_assert_cmpuint (adw_combo_row_get_selected (mode_row), ==, PS_GRID_ACTIVITY);
  g_assert_true (gtk_switch_get_active (log_switch));
  g_assert_cmpfloat (gtk_spin_button_get_value (budget_spin), ==, 25);

  /* each row writes its key */
  adw_combo_row_set_selected (interval_row, 6);
  g_assert_cmpuint (g_settings_get_uint (settings (), "interval"), ==, 1000);
  adw_combo_row_set_selected (mode_row, PS_GRID_RESIDENCY);
  g_assert_cmpint (g_settings_get_enum (settings (), "color-mode"), ==, PS_GRID_RESIDENCY);
  gtk_switch_set_active (log_switch, FALSE);
  g_assert_false (g_settings_get_boolean (settings (), "log-visible"));
  gtk_spin_button_set_value (budget_spin, 10);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings (), "cpu-budget"), 0.10, 1e-9);
  /* the budget is the whole process's, followed at once */
  g_assert_cmpfloat_with_epsilon (ps_budget_get_fraction (ps_budget_get_default ()), 0.10, 1e-9);

  /* a new window starts from them */
  window = make_window (900, 700);
  g_assert_cmpuint (ps_session_get_interval (window->session), ==, 1000);
  g_assert_cmpint (ps_page_grid_get_mode (window->grid), ==, PS_GRID_RESIDENCY);
  g_assert_cmpuint (gtk_drop_down_get_selected (window->mode_dropdown), ==, PS_GRID_RESIDENCY);
  g_assert_false (gtk_revealer_get_reveal_child (window->bottom_revealer));

  /* and a window's own change is the next default, shown at once */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.interval", "s", "20ms"));
  g_assert_cmpuint (adw_combo_row_get_selected (interval_row), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.color-mode", "s", "content"));
  g_assert_cmpuint (adw_combo_row_get_selected (mode_row), ==, PS_GRID_CONTENT);
  /* a value between the choices shows the one at or below it */
  g_settings_set_uint (settings (), "interval", 250);
  g_assert_cmpuint (adw_combo_row_get_selected (interval_row), ==, 4);   /* 200 ms */
  g_settings_set_double (settings (), "cpu-budget", 0.5);
  g_assert_cmpfloat (gtk_spin_button_get_value (budget_spin), ==, 50);

  /* asked again, the same window comes forward */
  g_assert_true (open_preferences () == prefs);
  g_assert_cmpuint (count_preferences (), ==, 1);

  gtk_window_destroy (prefs);
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (parent));
  reset_settings ();
}

/* Whether a label under widget shows text. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

/* The words of the first line of a diff row after "new": its bytes. */
static guint
diff_row_bytes (PsDiffView *diff)
{
  g_autofree char *text = ps_diff_view_row_text (diff, 0);
  g_auto(GStrv) lines = g_strsplit (text, "\n", 2);
  g_auto(GStrv) words = g_strsplit_set (lines[0], " ", -1);
  guint n = 0;

  for (guint i = 0; words[i] != NULL; i++)
    n += words[i][0] != '\0';
  return n - 2;   /* the offset and "new" */
}

static gboolean
has_snapshot (gpointer data)
{
  return ps_window_get_snapshot (data) != NULL;
}

/* The Display rows change every open window at once: the grid's fade (and
 * the legend that names it), the hex view's row width (and the snapshot's
 * changed rows). */
static void
test_display_followed (void)
{
  PsWindow *window;
  GtkWindow *prefs;
  GtkSpinButton *fade_spin;
  AdwComboRow *row_width_row;
  PsDiffView *diff;
  PsViewPane *pane;
  g_autofree char *path = ps_test_file ("display", 8 * ps_test_page_size (), 'd');
  g_auto(PsSourceSpec) spec = { 0 };
  g_auto(PsSourceSpec) pread = { 0 };
  g_autoptr(GError) error = NULL;

  reset_settings ();
  window = make_window (1300, 800);
  spec.kind = pread.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (path);
  pread.path = g_strdup (path);
  pread.flags = PS_MAP_PREAD;
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  g_assert_no_error (error);
  /* a view beside the window's own draws as it does */
  g_assert_true (ps_window_views_add (window, &pread, &error));
  g_assert_no_error (error);
  pane = ps_window_views_get_pane (window, 0);
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.freeze", NULL));
  g_assert_true (ps_test_wait_until (has_snapshot, window, 10000));
  diff = ps_window_get_diff_view (window);
  g_assert_nonnull (diff);

  prefs = open_preferences ();
  ps_ui_test_wait_drawn (GTK_WIDGET (prefs));
  fade_spin = ps_ui_test_child (prefs, "fade_spin");
  row_width_row = ps_ui_test_child (prefs, "row_width_row");

  /* the defaults, shown and drawn */
  g_assert_cmpfloat (gtk_spin_button_get_value (fade_spin), ==, 3);
  g_assert_cmpuint (ps_page_grid_get_fade_time (window->grid), ==, 3000);
  g_assert_true (shows_label (GTK_WIDGET (window->legend), "1.5 s ago"));
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (row_width_row)), ==, "16 bytes");
  g_assert_cmpuint (ps_hex_view_get_bytes_per_row (window->hex), ==, 16);
  g_assert_cmpuint (diff_row_bytes (diff), ==, 16);

  /* the fade: the key, the window's grid and its legend */
  gtk_spin_button_set_value (fade_spin, 1.5);
  g_assert_cmpuint (g_settings_get_uint (settings (), "fade-time"), ==, 1500);
  g_assert_cmpuint (ps_page_grid_get_fade_time (window->grid), ==, 1500);
  g_assert_true (shows_label (GTK_WIDGET (window->legend), "750 ms ago"));
  g_assert_false (shows_label (GTK_WIDGET (window->legend), "1.5 s ago"));
  g_assert_true (shows_label (GTK_WIDGET (window->legend), "cools over 1.5 s"));
  g_assert_cmpuint (ps_page_grid_get_fade_time (ps_view_pane_get_grid (pane)), ==, 1500);

  /* the row width: the key, the hex view, the snapshot's rows */
  adw_combo_row_set_selected (row_width_row, 3);
  g_assert_cmpuint (g_settings_get_uint (settings (), "hex-row-width"), ==, 32);
  g_assert_cmpuint (ps_hex_view_get_bytes_per_row (window->hex), ==, 32);
  g_assert_cmpuint (diff_row_bytes (diff), ==, 32);
  g_assert_cmpuint (ps_hex_view_get_bytes_per_row (ps_view_pane_get_hex_view (pane)), ==, 32);

  /* set elsewhere (gsettings), shown in the window and the row */
  g_settings_set_uint (settings (), "hex-row-width", 64);
  g_assert_cmpuint (ps_hex_view_get_bytes_per_row (window->hex), ==, 64);
  g_assert_cmpuint (adw_combo_row_get_selected (row_width_row), ==, 7);
  g_settings_set_uint (settings (), "fade-time", 10000);
  g_assert_cmpuint (ps_page_grid_get_fade_time (window->grid), ==, 10000);
  g_assert_cmpfloat (gtk_spin_button_get_value (fade_spin), ==, 10);

  /* a new window starts with them */
  {
    PsWindow *other = make_window (900, 700);

    g_assert_cmpuint (ps_page_grid_get_fade_time (other->grid), ==, 10000);
    g_assert_cmpuint (ps_hex_view_get_bytes_per_row (other->hex), ==, 64);
    gtk_window_destroy (GTK_WINDOW (other));
  }

  gtk_window_destroy (prefs);
  gtk_window_destroy (GTK_WINDOW (window));
  reset_settings ();
}

typedef struct
{
  GtkPaned *paned;
  int       want;
} PositionWait;

static gboolean
position_is (gpointer data)
{
  PositionWait *w = data;

  return gtk_paned_get_position (w->paned) == w->want;
}

/* Closed, a window leaves its size and dividers for the next. */
static void
test_panes_kept (void)
{
  PsWindow *window;
  g_autoptr(GError) error = NULL;
  PositionWait w;

  reset_settings ();
  window = make_window (1000, 760);
  g_assert_true (ps_window_open_demo (window, &error));
  g_assert_no_error (error);
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  gtk_paned_set_position (window->hpaned, 333);
  gtk_paned_set_position (window->vpaned, 350);
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  g_assert_cmpint (gtk_paned_get_position (window->hpaned), ==, 333);
  g_assert_cmpint (gtk_paned_get_position (window->vpaned), ==, 350);
  ps_ui_test_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings (), "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings (), "window-height"), ==, 760);
  g_assert_cmpint (g_settings_get_int (settings (), "pane-position"), ==, 333);
  g_assert_cmpint (g_settings_get_int (settings (), "log-pane-position"), ==, 350);

  /* the next window opens as this one was */
  window = ps_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ps_window_open_demo (window, &error));
  ps_ui_test_wait_drawn (GTK_WIDGET (window));
  w = (PositionWait) { window->hpaned, 333 };
  g_assert_true (ps_test_wait_until (position_is, &w, 10000));
  w = (PositionWait) { window->vpaned, 350 };
  g_assert_true (ps_test_wait_until (position_is, &w, 10000));
  ps_ui_test_close (GTK_WINDOW (window));

  /* a window closed narrow keeps the wide layout's divider */
  g_settings_set_int (settings (), "window-width", 360);
  window = ps_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  ps_ui_test_wait_drawn (GTK_WIDGET (window));
  g_assert_true (ps_window_get_narrow (window));
  ps_ui_test_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings (), "pane-position"), ==, 333);
  reset_settings ();
}

int
main (int   argc,
      char *argv[])
{
  app = ps_ui_test_app_new (&argc, &argv);
  g_test_add_func ("/preferences/bound", test_bound);
  g_test_add_func ("/preferences/panes-kept", test_panes_kept);
  g_test_add_func ("/preferences/display-followed", test_display_followed);
  return g_test_run ();
}
