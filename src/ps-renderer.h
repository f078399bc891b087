/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Where OpenGL is drawn on the CPU (Mesa's llvmpipe or softpipe: a virtual
 * machine, a server over X forwarding or VNC, a machine without a GPU),
 * has the display's windows drawn with GSK's cairo renderer instead. A
 * GSK_RENDERER the user set is left alone. Before any window is realized. */
void  ps_renderer_choose   (GdkDisplay *display);
/* How the widget's window is drawn, and why (translated). */
char *ps_renderer_describe (GtkWidget  *widget);

G_END_DECLS
