/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-replay.h"
#include "ps-timeline.h"

G_BEGIN_DECLS

#define PS_TYPE_REPLAY_BAR (ps_replay_bar_get_type ())
G_DECLARE_FINAL_TYPE (PsReplayBar, ps_replay_bar, PS, REPLAY_BAR, GtkWidget)

/* Under the grid of a window that replays a recording: while it loads, a
 * progress bar and Cancel (which cancels the cancellable given); then the
 * timeline, play/pause at 0.1×–10×, the previous and next change, the time
 * and what the hex view's kinds of bytes mean. The time shown is the
 * timeline's "position". */
GtkWidget  *ps_replay_bar_new          (void);
void        ps_replay_bar_show_loading (PsReplayBar  *self,
                                        GCancellable *cancellable);
void        ps_replay_bar_set_replay   (PsReplayBar  *self,
                                        PsReplay     *replay);
PsTimeline *ps_replay_bar_get_timeline (PsReplayBar  *self);
/* Playing moves the position at the chosen speed; it stops at the end. */
void        ps_replay_bar_set_playing  (PsReplayBar  *self,
                                        gboolean      playing);
gboolean    ps_replay_bar_get_playing  (PsReplayBar  *self);
/* 0.1 to 10. */
double      ps_replay_bar_get_speed    (PsReplayBar  *self);
void        ps_replay_bar_set_speed    (PsReplayBar  *self,
                                        double        speed);

G_END_DECLS
