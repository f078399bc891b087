/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-application.h"
#include "ps-hex-view.h"
#include "ps-page-grid.h"
#include "ps-session.h"

G_BEGIN_DECLS

#define PS_TYPE_WINDOW (ps_window_get_type ())
G_DECLARE_FINAL_TYPE (PsWindow, ps_window, PS, WINDOW, AdwApplicationWindow)

PsWindow   *ps_window_new          (PsApplication      *app);
/* What the window shows and acts on; the same session for the window's
 * life, whatever it opens. */
PsSession  *ps_window_get_session  (PsWindow           *self);
/* Opens spec here. On failure the window shows the error and keeps what it
 * showed before, if anything. */
gboolean    ps_window_open_spec    (PsWindow           *self,
                                    const PsSourceSpec *spec,
                                    GError            **error);
gboolean    ps_window_open_demo    (PsWindow           *self,
                                    GError            **error);
/* Replays a recording here (ps_replay_is_recording): read in the
 * background, then the timeline under the grid; the window's source, if
 * any, is closed. */
void        ps_window_open_recording (PsWindow         *self,
                                      const char       *path);
/* Shows an opened source. */
void        ps_window_set_source   (PsWindow           *self,
                                    PsSource           *source);
PsPageGrid *ps_window_get_grid     (PsWindow           *self);
PsHexView  *ps_window_get_hex_view (PsWindow           *self);
void        ps_window_show_toast   (PsWindow           *self,
                                    const char         *message);

G_END_DECLS
