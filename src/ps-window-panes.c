/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's panes: the grid beside the hex view, on its right, or above
 * it, and where the divider is, kept in GSettings for the next window. */
#define G_LOG_DOMAIN "pagescope-window"

#include "config.h"

#include "ps-window-private.h"

typedef enum
{
  LAYOUT_GRID_LEFT,
  LAYOUT_GRID_RIGHT,
  LAYOUT_STACKED,
} Layout;

static GtkWidget *
grid_pane (PsWindow *self)
{
  return gtk_widget_get_parent (GTK_WIDGET (self->legend));
}

/* The other side of the divider: the hex view and what goes with it. */
static GtkWidget *
bytes_pane (PsWindow *self)
{
  GtkWidget *start = gtk_paned_get_start_child (self->hpaned);

  return start == grid_pane (self) ? gtk_paned_get_end_child (self->hpaned) : start;
}

static void
apply_layout (PsWindow *self,
              Layout    layout)
{
  g_autoptr(GtkWidget) grid = g_object_ref (grid_pane (self));
  g_autoptr(GtkWidget) hex = g_object_ref (bytes_pane (self));
  gboolean grid_first = layout != LAYOUT_GRID_RIGHT;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->hpaned),
                                  layout == LAYOUT_STACKED ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  if ((gtk_paned_get_start_child (self->hpaned) == grid) == grid_first)
    return;
  gtk_paned_set_start_child (self->hpaned, NULL);
  gtk_paned_set_end_child (self->hpaned, NULL);
  gtk_paned_set_start_child (self->hpaned, grid_first ? grid : hex);
  gtk_paned_set_end_child (self->hpaned, grid_first ? hex : grid);
}

static void
on_layout_changed (GSettings  *settings,
                   const char *key,
                   PsWindow   *self)
{
  g_autofree char *nick = g_settings_get_string (settings, "pane-layout");
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "pane-layout");

  apply_layout (self, g_settings_get_enum (settings, "pane-layout"));
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (nick));
  /* a divider placed for another layout means nothing in this one */
  g_object_set (self->hpaned, "position-set", FALSE, NULL);
}

/* The menu's radio items: the setting changes, every window follows it. */
static void
on_change_state (GSimpleAction *action,
                 GVariant      *value,
                 GSettings     *settings)
{
  g_settings_set_string (settings, "pane-layout", g_variant_get_string (value, NULL));
}

static void
on_position (GtkPaned   *paned,
             GParamSpec *pspec,
             GSettings  *settings)
{
  gboolean set = FALSE;
  int position;

  g_object_get (paned, "position-set", &set, NULL);
  position = set ? gtk_paned_get_position (paned) : -1;

  if (g_settings_get_int (settings, "pane-position") != position)
    g_settings_set_int (settings, "pane-position", position);
}

void
ps_window_setup_panes (PsWindow  *self,
                       GSettings *settings)
{
  g_autofree char *nick = g_settings_get_string (settings, "pane-layout");
  g_autoptr(GSimpleAction) action = g_simple_action_new_stateful ("pane-layout", G_VARIANT_TYPE_STRING,
                                                                  g_variant_new_string (nick));
  int position = g_settings_get_int (settings, "pane-position");

  /* win.pane-layout, a radio choice in the primary menu; the window's own
   * action, so it goes with the window */
  g_signal_connect_object (action, "change-state", G_CALLBACK (on_change_state), settings, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
  apply_layout (self, g_settings_get_enum (settings, "pane-layout"));
  if (position >= 0)
    gtk_paned_set_position (self->hpaned, position);
  g_signal_connect_object (settings, "changed::pane-layout", G_CALLBACK (on_layout_changed), self, 0);
  g_signal_connect_object (self->hpaned, "notify::position", G_CALLBACK (on_position), settings, 0);
  g_signal_connect_object (self->hpaned, "notify::position-set", G_CALLBACK (on_position), settings, 0);
}
