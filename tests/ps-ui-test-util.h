/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-application.h"
#include "ps-window.h"

G_BEGIN_DECLS

/* ps_test_init, gtk_init, adw_init and the app's resources; fails the test
 * without a display. */
void        ps_ui_test_init          (int    *argc,
                                      char ***argv);
/* Renders what the widget shows now (its own snapshot, at its allocation)
 * with the window's renderer into a texture. */
GdkTexture *ps_ui_test_render        (GtkWidget  *widget);
/* As ps_ui_test_render, but NULL rather than waiting while a new layout is
 * pending: for a frame clock's handler, where no frame can be waited for. */
GdkTexture *ps_ui_test_try_render    (GtkWidget  *widget);
/* The pixel at (x, y) as 0xAARRGGBB. */
guint32     ps_ui_test_pixel         (GdkTexture *texture,
                                      int         x,
                                      int         y);
/* The template child id of a widget built from a template (a dialog);
 * fails the test if there is none. */
gpointer    ps_ui_test_child         (gpointer    templated,
                                      const char *id);
/* Clicks a button as the user would: it must be sensitive. */
void        ps_ui_test_click         (GtkWidget  *button);
gboolean    ps_ui_test_press_binding (GtkWidget       *widget,
                                      guint            keyval,
                                      GdkModifierType  mods);
/* Closes the window as Escape or its close button does, and waits until it
 * is destroyed. */
void        ps_ui_test_close         (GtkWindow  *window);
/* Iterates until the widget is mapped and has drawn a frame. */
void        ps_ui_test_wait_drawn    (GtkWidget  *widget);
/* Iterates until the widget's frame clock has painted a frame that started
 * after this call: layout and drawing have caught up with what was changed. */
void        ps_ui_test_wait_frame    (GtkWidget  *widget);
/* The widgets Tab visits, in order; fails where Tab gets stuck. */
GPtrArray  *ps_ui_test_tab_chain     (GtkWindow  *window);

/* ---- windows that go when the test ends, however it ends ---- */

/* Destroys the window when the test ends, unless it is gone by then. */
void        ps_ui_test_queue_destroy (GtkWindow  *window);
/* A window of the app at 1000×700, presented and drawn, nothing open. */
PsWindow   *ps_ui_test_window_new    (PsApplication      *app);
/* The same, on spec, which must open. */
PsWindow   *ps_ui_test_window_open   (PsApplication      *app,
                                      const PsSourceSpec *spec);
/* The same, on a file mapped with flags, length bytes long (0: the file's size). */
PsWindow   *ps_ui_test_window_on_file (PsApplication     *app,
                                       const char        *path,
                                       PsMapFlags         flags,
                                       guint64            length);
/* The toplevel of type type_name transient for parent (NULL: any), or NULL. */
GtkWindow  *ps_ui_test_find_toplevel (const char *type_name,
                                      GtkWindow  *parent);

G_END_DECLS
