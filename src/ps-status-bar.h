/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-frame.h"
#include "ps-source.h"

G_BEGIN_DECLS

#define PS_TYPE_STATUS_BAR (ps_status_bar_get_type ())
G_DECLARE_FINAL_TYPE (PsStatusBar, ps_status_bar, PS, STATUS_BAR, GtkWidget)

/* One line under the window: the object's size, pages, residency, changes a
 * second, pass time and interval, the process's CPU against its budget and
 * what the budget holds back. It takes every frame and shows at most two a
 * second. */
GtkWidget *ps_status_bar_new        (void);
/* The source the frames come from (NULL: none); starts the rates again. */
void       ps_status_bar_set_source (PsStatusBar *self,
                                     PsSource    *source);
void       ps_status_bar_set_frame  (PsStatusBar *self,
                                     PsFrame     *frame);

G_END_DECLS
