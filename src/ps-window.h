/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-application.h"
#include "ps-event-log.h"
#include "ps-hex-view.h"
#include "ps-page-grid.h"
#include "ps-scanner.h"
#include "ps-source.h"

G_BEGIN_DECLS

#define PS_TYPE_WINDOW (ps_window_get_type ())
G_DECLARE_FINAL_TYPE (PsWindow, ps_window, PS, WINDOW, AdwApplicationWindow)

PsWindow   *ps_window_new          (PsApplication      *app);
/* Opens spec here (its calls go to this window's log). On failure the
 * window shows the error and keeps what it showed before, if anything. */
gboolean    ps_window_open_spec    (PsWindow           *self,
                                    const PsSourceSpec *spec,
                                    GError            **error);
gboolean    ps_window_open_demo    (PsWindow           *self,
                                    GError            **error);
/* Shows source (whose log becomes this window's log). */
void        ps_window_set_source   (PsWindow           *self,
                                    PsSource           *source);
PsSource   *ps_window_get_source   (PsWindow           *self);
PsScanner  *ps_window_get_scanner  (PsWindow           *self);
PsEventLog *ps_window_get_log      (PsWindow           *self);
PsPageGrid *ps_window_get_grid     (PsWindow           *self);
PsHexView  *ps_window_get_hex_view (PsWindow           *self);
void        ps_window_show_toast   (PsWindow           *self,
                                    const char         *message);
/* The range the actions apply to: the hex view's selection, else the grid's
 * selected pages, else FALSE (the whole mapping). */
gboolean    ps_window_get_selection (PsWindow          *self,
                                     guint64           *offset,
                                     guint64           *length);
gpointer    ps_window_get_writers  (PsWindow           *self);   /* PsWriters */

/* Signals, for the dialogs that drive the window's actions:
 *   "probe-finished"  (const PsProbeResult *result)
 *   "msync-finished"  (const PsMsyncReport *report)
 *   "action-failed"   (const char *action, const GError *error)
 */

G_END_DECLS
