/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows text in label, or hides the label when text is NULL: the dialogs'
 * error and result lines take no room until they have something to say. */
static inline void
ps_label_show (GtkLabel   *label,
               const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

G_END_DECLS
