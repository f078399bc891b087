/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-session.h"

G_BEGIN_DECLS

#define PS_TYPE_MARKS_PANE (ps_marks_pane_get_type ())
G_DECLARE_FINAL_TYPE (PsMarksPane, ps_marks_pane, PS, MARKS_PANE, GtkWidget)

/* The session's marks: activating one goes there (win.goto), a new one
 * names the selection (win.mark). */
GtkWidget *ps_marks_pane_new         (void);
void       ps_marks_pane_set_session (PsMarksPane *self,
                                      PsSession   *session);

G_END_DECLS
