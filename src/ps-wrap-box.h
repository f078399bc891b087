/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_WRAP_BOX (ps_wrap_box_get_type ())
G_DECLARE_FINAL_TYPE (PsWrapBox, ps_wrap_box, PS, WRAP_BOX, GtkWidget)

/* A row of children that goes on to a second line when the window is too
 * narrow for it (PsWrapLayout), for a template: its children are added as
 * <child> elements, "spacing" between them and between lines. */
GtkWidget *ps_wrap_box_new (void);

G_END_DECLS
