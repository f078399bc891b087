/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-session.h"

G_BEGIN_DECLS

#define PS_TYPE_INSPECTOR_PANE (ps_inspector_pane_get_type ())
G_DECLARE_FINAL_TYPE (PsInspectorPane, ps_inspector_pane, PS, INSPECTOR_PANE, GtkWidget)

/* The data inspector, following a session's cursor and frames. */
GtkWidget *ps_inspector_pane_new         (void);
void       ps_inspector_pane_set_session (PsInspectorPane *self,
                                          PsSession       *session);

G_END_DECLS
