/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-ui-test-util"

#include "config.h"

#include <adwaita.h>

#include "ps-test-util.h"
#include "ps-ui-test-util.h"

void
ps_ui_test_init (int    *argc,
                 char ***argv)
{
  ps_test_init (argc, argv);
  if (!gtk_init_check ())
    g_error ("no display: run the UI tests under xvfb-run (build-aux/test does)");
  adw_init ();
  gtk_window_set_default_icon_name ("io.github.pagescope.Pagescope");
}

static GskRenderNode *
snapshot_widget (GtkWidget *widget)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

GdkTexture *
ps_ui_test_try_render (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = gtk_native_get_renderer (native);
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_nonnull (renderer);
  node = width > 0 && height > 0 ? snapshot_widget (widget) : NULL;
  return node != NULL ? gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height)) : NULL;
}

GdkTexture *
ps_ui_test_render (GtkWidget *widget)
{
  GdkTexture *texture;

  g_assert_nonnull (gtk_native_get_renderer (gtk_widget_get_native (widget)));
  g_assert_cmpint (gtk_widget_get_width (widget), >, 0);
  g_assert_cmpint (gtk_widget_get_height (widget), >, 0);
  texture = ps_ui_test_try_render (widget);
  /* nothing while a new layout is pending (a loaded machine gets there
   * later): after the next frame there is */
  if (texture == NULL)
    {
      ps_ui_test_wait_frame (widget);
      texture = ps_ui_test_try_render (widget);
    }
  g_assert_nonnull (texture);
  return texture;
}

guint32
ps_ui_test_pixel (GdkTexture *texture,
                  int         x,
                  int         y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *data = g_new (guint32, (gsize) width * height);

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);
  /* gdk_texture_download gives premultiplied B8G8R8A8 in memory: 0xAARRGGBB words */
  gdk_texture_download (texture, (guchar *) data, width * 4);
  return data[(gsize) y * width + x];
}

static gboolean
is_drawn (gpointer data)
{
  GtkWidget *widget = data;
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

void
ps_ui_test_wait_drawn (GtkWidget *widget)
{
  g_assert_true (ps_test_wait_until (is_drawn, widget, 10000));
  /* a whole frame, so layout and snapshot happened */
  ps_ui_test_wait_frame (widget);
}

typedef struct
{
  GtkWidget *widget;
  guint      painted;
} FrameWait;

static void
on_after_paint (GdkFrameClock *clock,
                FrameWait     *wait)
{
  /* the first frame may have begun before the change: ask for another */
  if (++wait->painted == 1)
    gtk_widget_queue_draw (wait->widget);
}

static gboolean
painted_twice (gpointer data)
{
  return ((FrameWait *) data)->painted >= 2;
}

void
ps_ui_test_wait_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  FrameWait wait = { widget, 0 };
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &wait);
  gtk_widget_queue_draw (widget);
  g_assert_true (ps_test_wait_until (painted_twice, &wait, 10000));
  g_signal_handler_disconnect (clock, id);
}

gpointer
ps_ui_test_child (gpointer    templated,
                  const char *id)
{
  GObject *object = gtk_widget_get_template_child (templated, G_OBJECT_TYPE (templated), id);

  if (object == NULL)
    g_error ("%s has no template child \"%s\"", G_OBJECT_TYPE_NAME (templated), id);
  return object;
}

void
ps_ui_test_click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
is_gone (gpointer data)
{
  return *(GtkWindow **) data == NULL;
}

void
ps_ui_test_close (GtkWindow *window)
{
  GtkWindow *watch = window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &watch);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  g_assert_true (ps_test_wait_until (is_gone, &watch, 10000));
}

/* The widgets Tab visits, from the first, as GtkWindow's Tab binding moves
 * the focus; the walk ends where it began, and fails where Tab gets stuck
 * (a widget that takes Tab without taking the focus). */
GPtrArray *
ps_ui_test_tab_chain (GtkWindow *window)
{
  GPtrArray *chain = g_ptr_array_new ();

  gtk_window_set_focus (window, NULL);
  for (guint i = 0; i < 200; i++)
    {
      GtkWidget *focus;
      guint seen;

      g_signal_emit_by_name (window, "move-focus", GTK_DIR_TAB_FORWARD);
      focus = gtk_window_get_focus (window);
      if (focus == NULL && chain->len > 0)
        break;
      if (focus != NULL && g_ptr_array_find (chain, focus, &seen))
        {
          if (seen != 0)
            g_error ("Tab is stuck at the %s after %u stops", G_OBJECT_TYPE_NAME (focus), chain->len);
          break;
        }
      if (focus != NULL)
        g_ptr_array_add (chain, focus);
    }
  return chain;
}

/* ---- windows ---- */

static void
destroy_if_alive (gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr(GtkWindow) window = g_weak_ref_get (ref);

  if (window != NULL)
    gtk_window_destroy (window);
  g_weak_ref_clear (ref);
  g_free (ref);
}

void
ps_ui_test_queue_destroy (GtkWindow *window)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, window);
  g_test_queue_destroy (destroy_if_alive, ref);
}

PsWindow *
ps_ui_test_window_new (PsApplication *app)
{
  PsWindow *window = ps_window_new (app);

  ps_ui_test_queue_destroy (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  ps_ui_test_wait_drawn (GTK_WIDGET (window));
  return window;
}

PsWindow *
ps_ui_test_window_open (PsApplication      *app,
                        const PsSourceSpec *spec)
{
  PsWindow *window = ps_ui_test_window_new (app);
  g_autoptr(GError) error = NULL;

  g_assert_true (ps_window_open_spec (window, spec, &error));
  g_assert_no_error (error);
  return window;
}

PsWindow *
ps_ui_test_window_on_file (PsApplication *app,
                           const char    *path,
                           PsMapFlags     flags,
                           guint64        length)
{
  PsSourceSpec spec = { .kind = PS_SOURCE_FILE, .path = (char *) path, .flags = flags, .length = length };

  return ps_ui_test_window_open (app, &spec);
}

GtkWindow *
ps_ui_test_find_toplevel (const char *type_name,
                          GtkWindow  *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (g_str_equal (G_OBJECT_TYPE_NAME (toplevel), type_name) &&
          (parent == NULL || gtk_window_get_transient_for (toplevel) == parent))
        return toplevel;
    }
  return NULL;
}

/* Runs the widget's own key binding for keyval+mods, as a key press would
 * (no display input needed); fails the test when it has none. Returns what
 * the binding's action returned. */
gboolean
ps_ui_test_press_binding (GtkWidget       *widget,
                          guint            keyval,
                          GdkModifierType  mods)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                                 widget, gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_error ("no binding for %s with modifiers 0x%x", gdk_keyval_name (keyval), mods);
}
