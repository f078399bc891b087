/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The replay's controls. Playing runs on the widget's frame clock: each
 * frame moves the timeline by the time since the last one times the speed,
 * so playback follows the display and never blocks the main loop. */
#define G_LOG_DOMAIN "pagescope-replay"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ps-replay-bar.h"

static const double speeds[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10 };

struct _PsReplayBar
{
  GtkWidget        parent_instance;

  GtkStack        *stack;
  GtkProgressBar  *progress;
  GtkToggleButton *play_button;
  GtkDropDown     *speed_dropdown;
  GtkLabel        *time_label;
  GtkLabel        *tag_label;     /* "REPLAY · read-only": a replay says so */
  PsTimeline      *timeline;

  GCancellable    *loading;
  guint            pulse_id;
  guint            tick_id;
  gint64           last_frame_us;
};

G_DEFINE_FINAL_TYPE (PsReplayBar, ps_replay_bar, GTK_TYPE_WIDGET)

/* ---- loading ------------------------------------------------------------------- */

static gboolean
pulse (gpointer data)
{
  gtk_progress_bar_pulse (PS_REPLAY_BAR (data)->progress);
  return G_SOURCE_CONTINUE;
}

void
ps_replay_bar_show_loading (PsReplayBar  *self,
                            GCancellable *cancellable)
{
  g_return_if_fail (PS_IS_REPLAY_BAR (self));

  g_set_object (&self->loading, cancellable);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (100, pulse, self);
}

static void
on_cancel_clicked (PsReplayBar *self)
{
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
}

/* ---- the time ------------------------------------------------------------------- */

static void
update_time (PsReplayBar *self)
{
  PsReplay *replay = ps_timeline_get_replay (self->timeline);
  g_autofree char *text = NULL;

  if (replay == NULL)
    return;
  /* TRANSLATORS: the replay's time and the recording's length, in seconds */
  text = g_strdup_printf (_("%.3f s / %.3f s"), ps_timeline_get_position (self->timeline) / 1e6,
                          ps_replay_get_duration (replay) / 1e6);
  gtk_label_set_text (self->time_label, text);
}

void
ps_replay_bar_set_replay (PsReplayBar *self,
                          PsReplay    *replay)
{
  g_return_if_fail (PS_IS_REPLAY_BAR (self));

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_object (&self->loading);
  ps_replay_bar_set_playing (self, FALSE);
  ps_timeline_set_replay (self->timeline, replay);
  gtk_stack_set_visible_child_name (self->stack, "ready");
  update_time (self);
}

PsTimeline *
ps_replay_bar_get_timeline (PsReplayBar *self)
{
  g_return_val_if_fail (PS_IS_REPLAY_BAR (self), NULL);
  return self->timeline;
}

static void
step_change (PsReplayBar *self,
             gboolean     next)
{
  PsReplay *replay = ps_timeline_get_replay (self->timeline);
  gint64 t;

  if (replay == NULL)
    return;
  t = next ? ps_replay_next_change (replay, ps_timeline_get_position (self->timeline))
           : ps_replay_prev_change (replay, ps_timeline_get_position (self->timeline));
  if (t < 0)
    gtk_widget_error_bell (GTK_WIDGET (self));
  else
    ps_timeline_set_position (self->timeline, t);
}

static void
on_prev_clicked (PsReplayBar *self)
{
  step_change (self, FALSE);
}

static void
on_next_clicked (PsReplayBar *self)
{
  step_change (self, TRUE);
}

/* ---- playing -------------------------------------------------------------------- */

double
ps_replay_bar_get_speed (PsReplayBar *self)
{
  guint i;

  g_return_val_if_fail (PS_IS_REPLAY_BAR (self), 1);
  i = gtk_drop_down_get_selected (self->speed_dropdown);
  return i < G_N_ELEMENTS (speeds) ? speeds[i] : 1;
}

void
ps_replay_bar_set_speed (PsReplayBar *self,
                         double       speed)
{
  guint best = 0;

  g_return_if_fail (PS_IS_REPLAY_BAR (self));
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (fabs (speeds[i] - speed) < fabs (speeds[best] - speed))
      best = i;
  gtk_drop_down_set_selected (self->speed_dropdown, best);
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  PsReplayBar *self = PS_REPLAY_BAR (widget);
  PsReplay *replay = ps_timeline_get_replay (self->timeline);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  gint64 t;

  if (replay == NULL)
    return G_SOURCE_CONTINUE;
  t = ps_timeline_get_position (self->timeline) + (gint64) ((now - self->last_frame_us) * ps_replay_bar_get_speed (self));
  self->last_frame_us = now;
  ps_timeline_set_position (self->timeline, t);
  if (t >= ps_replay_get_duration (replay))
    {
      /* the end: stopping removes this tick */
      self->tick_id = 0;
      gtk_toggle_button_set_active (self->play_button, FALSE);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_play_toggled (PsReplayBar *self)
{
  gboolean playing = gtk_toggle_button_get_active (self->play_button);
  PsReplay *replay = ps_timeline_get_replay (self->timeline);

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->play_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  playing ? _("Pause") : _("Play"), -1);
  if (!playing || replay == NULL)
    {
      if (self->tick_id != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
      return;
    }
  /* at the end, play starts again from the beginning */
  if (ps_timeline_get_position (self->timeline) >= ps_replay_get_duration (replay))
    ps_timeline_set_position (self->timeline, 0);
  self->last_frame_us = g_get_monotonic_time ();
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
}

void
ps_replay_bar_set_playing (PsReplayBar *self,
                           gboolean     playing)
{
  g_return_if_fail (PS_IS_REPLAY_BAR (self));
  gtk_toggle_button_set_active (self->play_button, playing);
}

gboolean
ps_replay_bar_get_playing (PsReplayBar *self)
{
  g_return_val_if_fail (PS_IS_REPLAY_BAR (self), FALSE);
  return gtk_toggle_button_get_active (self->play_button);
}

static void
on_toggle_play (PsReplayBar *self)
{
  ps_replay_bar_set_playing (self, !ps_replay_bar_get_playing (self));
}

/* ---- GObject --------------------------------------------------------------------- */

static void
ps_replay_bar_dispose (GObject *object)
{
  PsReplayBar *self = PS_REPLAY_BAR (object);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_object (&self->loading);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_REPLAY_BAR);
  G_OBJECT_CLASS (ps_replay_bar_parent_class)->dispose (object);
}

static void
ps_replay_bar_class_init (PsReplayBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_replay_bar_dispose;

  g_type_ensure (PS_TYPE_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-replay-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, PsReplayBar, stack);
  gtk_widget_class_bind_template_child (widget_class, PsReplayBar, progress);
  gtk_widget_class_bind_template_child (widget_class, PsReplayBar, play_button);
  gtk_widget_class_bind_template_child (widget_class, PsReplayBar, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PsReplayBar, time_label);
  gtk_widget_class_bind_template_child (widget_class, PsReplayBar, tag_label);
  gtk_widget_class_bind_template_child (widget_class, PsReplayBar, timeline);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_prev_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_play_toggled);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "psreplaybar");
}

static void
ps_replay_bar_init (PsReplayBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->timeline, "notify::position", G_CALLBACK (update_time), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "toggle-play", G_CALLBACK (on_toggle_play), self, G_CONNECT_SWAPPED);
}

GtkWidget *
ps_replay_bar_new (void)
{
  return g_object_new (PS_TYPE_REPLAY_BAR, NULL);
}
