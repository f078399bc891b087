/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Views of one object side by side in a window (ps-window-views.c): what
 * the window calls, and the hooks its tests use. */
#pragma once

#include "ps-view-pane.h"
#include "ps-window.h"

G_BEGIN_DECLS

typedef struct _PsWindowViews PsWindowViews;

/* win.add-view (a source spec), win.close-view (an id; "": the view with
 * the focus), win.add-view-menu; Ctrl+Shift+V and Ctrl+Shift+W. */
void           ps_window_class_install_view_actions (GtkWidgetClass *widget_class);
/* vpaned's start child (the window's own view) goes into a row that the
 * panes join; the Add View button goes into title's header bar. */
void           ps_window_views_init          (PsWindow           *window,
                                              GtkPaned           *vpaned,
                                              GtkWidget          *title);
void           ps_window_views_dispose       (PsWindow           *window);

gboolean       ps_window_views_add           (PsWindow           *window,
                                              const PsSourceSpec *spec,
                                              GError            **error);
gboolean       ps_window_views_close         (PsWindow           *window,
                                              const char         *id,
                                              GError            **error);
/* The Add View menu for what the window shows now. */
GMenuModel    *ps_window_views_build_menu    (PsWindow           *window);
/* The window's one Add View menu (its button's, and the narrow main
 * menu's submenu), and bringing it up to date before it shows. */
GMenuModel    *ps_window_views_get_menu      (PsWindow           *window);
void           ps_window_views_refresh_menu  (PsWindow           *window);
/* Narrow, the header bar has no Add View button: Ctrl+Shift+V opens the
 * menu by itself (ps-window-narrow.c calls this as the layout changes). */
void           ps_window_views_set_narrow    (PsWindow           *window,
                                              gboolean            narrow);

/* For tests. */
guint          ps_window_views_get_n_panes   (PsWindow           *window);
PsViewPane    *ps_window_views_get_pane      (PsWindow           *window,
                                              guint               i);
/* Bytes that differ between the views, as of the last comparison. */
guint64        ps_window_views_get_differing (PsWindow           *window);
gboolean       ps_window_views_is_comparing  (PsWindow           *window);
/* Comparisons finished so far. */
guint          ps_window_views_get_runs      (PsWindow           *window);
GtkLabel      *ps_window_views_get_label     (PsWindow           *window);
GtkMenuButton *ps_window_views_get_add_button (PsWindow          *window);
/* The menu Ctrl+Shift+V opens when narrow. */
GtkPopover    *ps_window_views_get_narrow_popover (PsWindow      *window);

G_END_DECLS
