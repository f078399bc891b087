/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 gives a control without a label its class name as its accessible
 * name ("GtkToggleButton"), and the part of a drop-down or a menu button
 * that takes the focus is an inner button no template can reach. Under
 * root, each such inner button is named by its drop-down or menu button,
 * a combo row's list of its choice by the row, the drop-down arrow of a
 * split button by its tooltip, a search bar's close button as "Close". Call
 * once the widgets are built. */
void ps_a11y_name_inner_buttons (GtkWidget *root);

G_END_DECLS
