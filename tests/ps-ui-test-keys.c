/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>

#include "ps-test-util.h"
#include "ps-ui-test-keys.h"

static Display *
x_display (GtkWidget *widget)
{
  GdkDisplay *display = widget != NULL ? gtk_widget_get_display (widget) : gdk_display_get_default ();

  return GDK_IS_X11_DISPLAY (display) ? gdk_x11_display_get_xdisplay (display) : NULL;
}

gboolean
ps_ui_test_keys_available (char **why)
{
  Display *dpy = x_display (NULL);
  int event_base, error_base, major, minor;

  if (dpy == NULL)
    {
      *why = g_strdup ("the display is not X11: no XTest to press keys with");
      return FALSE;
    }
  if (!XTestQueryExtension (dpy, &event_base, &error_base, &major, &minor))
    {
      *why = g_strdup ("the X server has no XTest extension");
      return FALSE;
    }
  return TRUE;
}

/* Without a window manager nobody hands the focus back when a dialog
 * closes, and GTK asks for it with the time of the last key press, which
 * the X server refuses once the focus moved after it: do as a window
 * manager would. */
static gboolean
is_active (gpointer data)
{
  GtkWindow *window = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  if (gtk_window_is_active (window))
    return TRUE;
  gtk_window_present (window);
  if (surface != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      Display *dpy = x_display (GTK_WIDGET (window));

      XSetInputFocus (dpy, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
      XFlush (dpy);
    }
  return FALSE;
}

void
ps_ui_test_wait_active (GtkWindow *window)
{
  if (!ps_test_wait_until (is_active, window, 10000))
    {
      GListModel *toplevels = gtk_window_get_toplevels ();
      Display *dpy = x_display (GTK_WIDGET (window));
      Window focus = 0;
      int revert;

      XGetInputFocus (dpy, &focus, &revert);
      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);
          GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (toplevel));

          g_printerr ("%s visible=%d active=%d xid=0x%lx\n", G_OBJECT_TYPE_NAME (toplevel),
                      gtk_widget_get_visible (toplevel), gtk_window_is_active (GTK_WINDOW (toplevel)),
                      surface != NULL ? (unsigned long) gdk_x11_surface_get_xid (surface) : 0ul);
        }
      g_error ("%s never got the X focus (it is on 0x%lx)", G_OBJECT_TYPE_NAME (window), (unsigned long) focus);
    }
}

static void
fake_key (Display *dpy,
          KeySym   keysym,
          gboolean down)
{
  KeyCode code = XKeysymToKeycode (dpy, keysym);

  g_assert_cmpuint (code, !=, 0);
  XTestFakeKeyEvent (dpy, code, down, CurrentTime);
}

/* Lets GTK read and handle what the server sent: after XSync, the events
 * our keys caused are in the connection's queue. */
static void
drain (Display *dpy)
{
  XSync (dpy, False);
  for (guint i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

void
ps_ui_test_press (GtkWindow       *window,
                  guint            keyval,
                  GdkModifierType  mods)
{
  Display *dpy = x_display (GTK_WIDGET (window));
  KeyCode code;
  gboolean shift = (mods & GDK_SHIFT_MASK) != 0;

  g_assert_nonnull (dpy);
  code = XKeysymToKeycode (dpy, keyval);
  if (code == 0)
    g_error ("no key of this keyboard gives %s", gdk_keyval_name (keyval));
  /* "question" and "plus" need Shift on most layouts */
  if (XkbKeycodeToKeysym (dpy, code, 0, 0) != keyval)
    {
      g_assert_cmpuint (XkbKeycodeToKeysym (dpy, code, 0, 1), ==, keyval);
      shift = TRUE;
    }
  ps_ui_test_wait_active (window);

  if (mods & GDK_CONTROL_MASK)
    fake_key (dpy, XK_Control_L, TRUE);
  if (mods & GDK_ALT_MASK)
    fake_key (dpy, XK_Alt_L, TRUE);
  if (shift)
    fake_key (dpy, XK_Shift_L, TRUE);
  XTestFakeKeyEvent (dpy, code, True, CurrentTime);
  XTestFakeKeyEvent (dpy, code, False, CurrentTime);
  if (shift)
    fake_key (dpy, XK_Shift_L, FALSE);
  if (mods & GDK_ALT_MASK)
    fake_key (dpy, XK_Alt_L, FALSE);
  if (mods & GDK_CONTROL_MASK)
    fake_key (dpy, XK_Control_L, FALSE);
  drain (dpy);
}

void
ps_ui_test_press_accel (GtkWindow  *window,
                        const char *accel)
{
  guint keyval;
  GdkModifierType mods;

  if (!gtk_accelerator_parse (accel, &keyval, &mods))
    g_error ("\"%s\" is no accelerator", accel);
  ps_ui_test_press (window, keyval, mods);
}

/* The point (x, y) of widget on the X screen: through its native's surface
 * (which may hold a shadow around the window) and the surface's X window. */
static void
root_point (GtkWidget *widget,
            double     x,
            double     y,
            int       *root_x,
            int       *root_y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  Display *dpy = x_display (widget);
  double nx, ny, sx, sy;
  Window child;

  g_assert_true (gtk_widget_translate_coordinates (widget, GTK_WIDGET (native), x, y, &nx, &ny));
  gtk_native_get_surface_transform (native, &sx, &sy);
  g_assert_cmpint (gdk_surface_get_scale_factor (surface), ==, 1);
  XTranslateCoordinates (dpy, gdk_x11_surface_get_xid (surface), DefaultRootWindow (dpy),
                         (int) (nx + sx), (int) (ny + sy), root_x, root_y, &child);
  /* what GTK finds there is the widget: not scrolled away, nor covered */
  {
    GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (native), nx, ny, GTK_PICK_DEFAULT);

    if (picked != widget && (picked == NULL || !gtk_widget_is_ancestor (picked, widget)))
      g_error ("at %g,%g of its window %s is not under the pointer: %s is", x, y, G_OBJECT_TYPE_NAME (widget),
               picked != NULL ? G_OBJECT_TYPE_NAME (picked) : "nothing");
  }
}

void
ps_ui_test_pointer_move (GtkWidget *widget,
                         double     x,
                         double     y)
{
  Display *dpy = x_display (widget);
  GdkSurface *surface = gtk_native_get_surface (gtk_widget_get_native (widget));
  Window root, child;
  int root_x, root_y, rx, ry, wx, wy;
  unsigned int mask;

  g_assert_nonnull (dpy);
  root_point (widget, x, y, &root_x, &root_y);
  XTestFakeMotionEvent (dpy, DefaultScreen (dpy), root_x, root_y, CurrentTime);
  drain (dpy);
  /* the pointer is there, over this window and no other */
  XQueryPointer (dpy, DefaultRootWindow (dpy), &root, &child, &rx, &ry, &wx, &wy, &mask);
  g_assert_cmpint (rx, ==, root_x);
  g_assert_cmpint (ry, ==, root_y);
  if (child != gdk_x11_surface_get_xid (surface))
    g_error ("the pointer at %d,%d is over X window 0x%lx, not %s's 0x%lx", root_x, root_y,
             (unsigned long) child, G_OBJECT_TYPE_NAME (gtk_widget_get_native (widget)),
             (unsigned long) gdk_x11_surface_get_xid (surface));
}

void
ps_ui_test_pointer_button (GtkWidget *widget,
                           gboolean   down)
{
  Display *dpy = x_display (widget);

  g_assert_nonnull (dpy);
  XTestFakeButtonEvent (dpy, 1, down, CurrentTime);
  drain (dpy);
}
