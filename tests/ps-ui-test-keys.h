/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Real key presses: X key events made by the X server's XTest extension,
 * which reach the window holding the X focus through the same path as the
 * keyboard's. FALSE (with why) where that cannot be done: not X11, or no
 * XTest. */
gboolean ps_ui_test_keys_available (char      **why);
/* Iterates until the window holds the X focus (asking for it again while a
 * loaded server has not granted it yet). */
void     ps_ui_test_wait_active    (GtkWindow  *window);
/* Presses and releases keyval with the modifiers (Shift added where the
 * keyboard needs it for the keyval, as for "question"), with the window
 * active, and lets GTK handle the events. */
void     ps_ui_test_press          (GtkWindow       *window,
                                    guint            keyval,
                                    GdkModifierType  mods);
/* The same for an accelerator as gtk_accelerator_parse reads it. */
void     ps_ui_test_press_accel    (GtkWindow  *window,
                                    const char *accel);

/* Real pointer events (XTest), with the window under the pointer: the
 * pointer moved to the point (x, y) of widget, the first button pressed or
 * released where it is. Each waits for the X server to have sent them
 * and lets GTK handle them. The display must be the test's alone: another
 * window above this one would get them. */
void     ps_ui_test_pointer_move   (GtkWidget  *widget,
                                    double      x,
                                    double      y);
void     ps_ui_test_pointer_button (GtkWidget  *widget,
                                    gboolean    down);

G_END_DECLS
