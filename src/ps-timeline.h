/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-replay.h"

G_BEGIN_DECLS

#define PS_TYPE_TIMELINE (ps_timeline_get_type ())
G_DECLARE_FINAL_TYPE (PsTimeline, ps_timeline, PS, TIMELINE, GtkWidget)

/* A recording's time as a strip: the page changes per slice of time as
 * bars, the session's events (write, msync, probe...) as ticks, errors in
 * red, and a playhead at "position" (µs since the recording started). The
 * mouse puts the playhead where it clicks or drags; the keys step it
 * (Left/Right), jump (Page Up/Down, Home/End) and go to the previous or
 * next change (Ctrl+Left/Right). Space emits "toggle-play". A slider to
 * assistive technologies. */
GtkWidget *ps_timeline_new          (void);
void       ps_timeline_set_replay   (PsTimeline *self,
                                     PsReplay   *replay);
PsReplay  *ps_timeline_get_replay   (PsTimeline *self);
void       ps_timeline_set_position (PsTimeline *self,
                                     gint64      t_us);
gint64     ps_timeline_get_position (PsTimeline *self);
/* The position of x (widget coordinates), and the x of a position. */
gint64     ps_timeline_time_at      (PsTimeline *self,
                                     double      x);
double     ps_timeline_x_of         (PsTimeline *self,
                                     gint64      t_us);
/* A step of Left/Right: a two-hundredth of the recording, at least 10 ms. */
gint64     ps_timeline_get_step     (PsTimeline *self);

G_END_DECLS
