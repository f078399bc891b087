/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-session.h"

G_BEGIN_DECLS

#define PS_TYPE_WATCHES_PANE (ps_watches_pane_get_type ())
G_DECLARE_FINAL_TYPE (PsWatchesPane, ps_watches_pane, PS, WATCHES_PANE, GtkWidget)

/* The session's watches, live; added, removed, exported and imported. */
GtkWidget *ps_watches_pane_new         (void);
void       ps_watches_pane_set_session (PsWatchesPane *self,
                                        PsSession     *session);

G_END_DECLS
