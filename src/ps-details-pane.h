/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-session.h"

G_BEGIN_DECLS

#define PS_TYPE_DETAILS_PANE (ps_details_pane_get_type ())
G_DECLARE_FINAL_TYPE (PsDetailsPane, ps_details_pane, PS, DETAILS_PANE, GtkWidget)

/* The session's source described, live while the pane is shown: the object
 * and its mapping, and for a SysV or POSIX segment its lifecycle (who has
 * it attached, IPC_RMID or shm_unlink, the key, permissions, owner, times),
 * read again every second off the main loop. */
GtkWidget *ps_details_pane_new         (void);
void       ps_details_pane_set_session (PsDetailsPane *self,
                                        PsSession     *session);

G_END_DECLS
