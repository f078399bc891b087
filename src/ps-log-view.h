/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-event-log.h"

G_BEGIN_DECLS

#define PS_TYPE_LOG_VIEW (ps_log_view_get_type ())
G_DECLARE_FINAL_TYPE (PsLogView, ps_log_view, PS, LOG_VIEW, GtkWidget)

/* The system-call log, one line a call, newest last, following the newest
 * unless scrolled up. One Tab stop: Tab enters on a line and leaves at
 * once, the arrows move between lines. Its context menu (right click, a
 * long press, Shift+F10 or the Menu key) copies the line, copies the whole
 * log (win.copy-log) or clears it (win.clear-log). */
GtkWidget  *ps_log_view_new          (void);
/* log: a PsEventLog, or any list of PsLogEntry (a replay's log) */
void        ps_log_view_set_log      (PsLogView  *self,
                                      GListModel *log);
GListModel *ps_log_view_get_log      (PsLogView  *self);
/* For tests: the context menu, and the line it acts on (NULL: none). */
GtkPopover *ps_log_view_get_menu     (PsLogView  *self);
const char *ps_log_view_get_menu_line (PsLogView *self);

G_END_DECLS
