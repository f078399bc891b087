/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The renderer, where OpenGL is software.
 *
 * GSK's GL renderer on llvmpipe cannot tell which part of the window changed
 * since the last frame (no buffer age there), so every frame is the whole
 * window, rasterised on the CPU: any change, a label or a cell, cost tens of
 * milliseconds, and a segment under heavy writes took a whole core
 * (bench/pagescope-cost-bench). The cairo renderer draws only the damaged
 * region, with the same pixels for what Pagescope shows. So where GL is
 * software, the display's windows are drawn with cairo, through the display's
 * "gsk-renderer" data that GSK reads before the GSK_RENDERER variable (GTK's
 * inspector uses it the same way). */
#define G_LOG_DOMAIN "pagescope-renderer"

#include "config.h"

#include <epoxy/gl.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ps-renderer.h"

#define CHOSEN_KEY  "gsk-renderer"
#define GL_KEY      "pagescope-gl-renderer"

/* GL_RENDERER of the display's GL, or NULL if there is no GL. */
static char *
gl_renderer_name (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  char *copy;

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_debug ("no GL: %s", error->message);
      return NULL;
    }
  gdk_gl_context_make_current (context);
  name = (const char *) glGetString (GL_RENDERER);
  copy = g_strdup (name != NULL ? name : "");
  gdk_gl_context_clear_current ();
  return copy;
}

static gboolean
is_software (const char *gl_renderer)
{
  static const char *software[] = { "llvmpipe", "softpipe", "swrast", "Software Rasterizer" };

  for (guint i = 0; i < G_N_ELEMENTS (software); i++)
    if (strstr (gl_renderer, software[i]) != NULL)
      return TRUE;
  return FALSE;
}

void
ps_renderer_choose (GdkDisplay *display)
{
  g_autofree char *gl = NULL;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (g_getenv ("GSK_RENDERER") != NULL || g_object_get_data (G_OBJECT (display), CHOSEN_KEY) != NULL)
    return;
  gl = gl_renderer_name (display);
  if (gl == NULL || !is_software (gl))
    return;
  g_debug ("GL is %s, drawn on the CPU: windows are drawn with cairo", gl);
  g_object_set_data_full (G_OBJECT (display), GL_KEY, g_steal_pointer (&gl), g_free);
  g_object_set_data_full (G_OBJECT (display), CHOSEN_KEY, g_strdup ("cairo"), g_free);
}

char *
ps_renderer_describe (GtkWidget *widget)
{
  GtkNative *native = widget != NULL ? gtk_widget_get_native (widget) : NULL;
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  GdkDisplay *display = widget != NULL ? gtk_widget_get_display (widget) : gdk_display_get_default ();
  const char *software_gl = display != NULL ? g_object_get_data (G_OBJECT (display), GL_KEY) : NULL;
  const char *name = renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "?";

  if (software_gl != NULL && renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer))
    /* TRANSLATORS: %s is the name of the OpenGL driver, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)" */
    return g_strdup_printf (_("Drawn with cairo: OpenGL here is %s, which draws on the CPU and redraws the whole window for any change"),
                            software_gl);
  /* TRANSLATORS: %s is GTK's renderer, e.g. "GskGLRenderer" */
  return g_strdup_printf (_("Drawn with %s"), name);
}
