/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-hex-view.h"
#include "ps-page-grid.h"
#include "ps-session.h"

G_BEGIN_DECLS

#define PS_TYPE_VIEW_PANE (ps_view_pane_get_type ())
G_DECLARE_FINAL_TYPE (PsViewPane, ps_view_pane, PS, VIEW_PANE, GtkWidget)

/* One more view of the object a window shows, beside it: its own session
 * (another mapping of the object, the file read with pread, another
 * process's mapping), a compact page grid and a hex view, under a label
 * that says who is looking and how. Its close button activates
 * win.close-view with its id. */
PsViewPane *ps_view_pane_new           (PsSession  *session,
                                        const char *id);
PsSession  *ps_view_pane_get_session   (PsViewPane *self);
const char *ps_view_pane_get_id        (PsViewPane *self);
/* The label as shown (who is looking and how, and whether it is gone). */
const char *ps_view_pane_get_label     (PsViewPane *self);
PsPageGrid *ps_view_pane_get_grid      (PsViewPane *self);
PsHexView  *ps_view_pane_get_hex_view  (PsViewPane *self);
GtkAdjustment *ps_view_pane_get_hex_vadjustment (PsViewPane *self);

/* The label of a view: who is looking and how ("pid 4242 writer,
 * MAP_PRIVATE"), and "gone" once that process or its mapping went away. */
char       *ps_view_label_for_source   (PsSource   *source);
/* Shows label on a label widget readable at any width: all of it, wrapped
 * (every word tells views apart), also as its tooltip and accessible name. */
void        ps_view_label_show         (GtkLabel   *label,
                                        const char *text);

G_END_DECLS
