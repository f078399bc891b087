/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The replay's time strip. The bars are asked of the replay once per
 * width (ps_replay_get_activity sums the index, a few ms for millions of
 * changes) and kept in a render node; moving the playhead redraws only the
 * playhead over the cached node. */
#define G_LOG_DOMAIN "pagescope-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "ps-timeline.h"

#define BAR_PX      2        /* one bar (a bucket of time) every this many pixels */
#define TICK_H      6        /* the events' ticks along the top */
#define PAD_X       6        /* the strip's ends, so the playhead at 0 or the end shows */
#define MIN_STEP_US (10 * 1000)

struct _PsTimeline
{
  GtkWidget      parent_instance;

  PsReplay      *replay;
  gint64         position;
  GskRenderNode *strip;      /* bars and ticks at strip_width */
  int            strip_width;
  int            strip_height;
};

G_DEFINE_FINAL_TYPE (PsTimeline, ps_timeline, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_POSITION, N_PROPS };
enum { TOGGLE_PLAY, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gint64
duration (PsTimeline *self)
{
  return self->replay != NULL ? ps_replay_get_duration (self->replay) : 0;
}

gint64
ps_timeline_time_at (PsTimeline *self,
                     double      x)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * PAD_X;

  g_return_val_if_fail (PS_IS_TIMELINE (self), 0);

  if (w <= 0)
    return 0;
  return (gint64) (CLAMP ((x - PAD_X) / w, 0, 1) * duration (self));
}

double
ps_timeline_x_of (PsTimeline *self,
                  gint64      t_us)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * PAD_X;
  gint64 d = duration (self);

  g_return_val_if_fail (PS_IS_TIMELINE (self), 0);

  return PAD_X + (d > 0 ? w * (double) t_us / d : 0);
}

gint64
ps_timeline_get_step (PsTimeline *self)
{
  g_return_val_if_fail (PS_IS_TIMELINE (self), MIN_STEP_US);
  return MAX (duration (self) / 200, MIN_STEP_US);
}

/* ---- drawing ---------------------------------------------------------------- */

static GdkRGBA
fg_color (PsTimeline *self,
          double      alpha)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  fg.alpha *= alpha;
  return fg;
}

static void
append_bars (PsTimeline  *self,
             GtkSnapshot *snapshot,
             int          width,
             int          height)
{
  guint n = (guint) MAX ((width - 2 * PAD_X) / BAR_PX, 1);
  g_autofree guint32 *changes = g_new0 (guint32, n);
  GdkRGBA bar = { 0.208, 0.518, 0.894, 0.85 };   /* libadwaita blue 3 */
  guint32 most = 0;
  double h = height - TICK_H - 2;

  ps_replay_get_activity (self->replay, 0, MAX (duration (self), 1), n, changes);
  for (guint i = 0; i < n; i++)
    most = MAX (most, changes[i]);
  if (most == 0)
    return;
  for (guint i = 0; i < n; i++)
    if (changes[i] > 0)
      {
        /* a square root, so one change still shows beside a burst of thousands */
        double bh = MAX (h * sqrt ((double) changes[i] / most), 1);

        gtk_snapshot_append_color (snapshot, &bar,
                                   &GRAPHENE_RECT_INIT (PAD_X + i * BAR_PX, height - bh, BAR_PX - (BAR_PX > 1), bh));
      }
}

static void
append_ticks (PsTimeline  *self,
              GtkSnapshot *snapshot)
{
  GdkRGBA tick = fg_color (self, 0.7);
  GdkRGBA error = { 0.878, 0.106, 0.141, 1 };
  guint n = ps_replay_get_n_events (self->replay);

  for (guint i = 0; i < n; i++)
    {
      const PsReplayEvent *event = ps_replay_get_event (self->replay, i);
      double x = ps_timeline_x_of (self, event->t_us);

      gtk_snapshot_append_color (snapshot, event->is_error ? &error : &tick,
                                 &GRAPHENE_RECT_INIT (x - 0.5, 0, 1, TICK_H));
    }
}

static void
ensure_strip (PsTimeline *self,
              int         width,
              int         height)
{
  g_autoptr(GtkSnapshot) snapshot = NULL;
  GdkRGBA ground = fg_color (self, 0.06);

  if (self->strip != NULL && self->strip_width == width && self->strip_height == height)
    return;
  g_clear_pointer (&self->strip, gsk_render_node_unref);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_color (snapshot, &ground, &GRAPHENE_RECT_INIT (0, 0, width, height));
  append_bars (self, snapshot, width, height);
  append_ticks (self, snapshot);
  self->strip = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  self->strip_width = width;
  self->strip_height = height;
}

static void
ps_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  PsTimeline *self = PS_TIMELINE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA head = fg_color (self, 1);
  double x;

  if (self->replay == NULL || width <= 2 * PAD_X || height <= 0)
    return;
  ensure_strip (self, width, height);
  if (self->strip != NULL)
    gtk_snapshot_append_node (snapshot, self->strip);
  x = ps_timeline_x_of (self, self->position);
  gtk_snapshot_append_color (snapshot, &head, &GRAPHENE_RECT_INIT (round (x) - 1, 0, 2, height));
  if (gtk_widget_has_visible_focus (widget))
    {
      GdkRGBA focus = { 0.208, 0.518, 0.894, 0.5 };
      float w[4] = { 2, 2, 2, 2 };
      GdkRGBA c[4] = { focus, focus, focus, focus };

      gtk_snapshot_append_border (snapshot, &GSK_ROUNDED_RECT_INIT (0, 0, width, height), w, c);
    }
}

static void
ps_timeline_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 120;
  else
    *minimum = *natural = 40;
}

/* ---- accessibility ------------------------------------------------------------- */

static void
update_accessible (PsTimeline *self)
{
  /* TRANSLATORS: the replay's time for a screen reader: "1.250 s of 12.000 s" */
  g_autofree char *text = g_strdup_printf (_("%.3f s of %.3f s"), self->position / 1e6, duration (self) / 1e6);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, duration (self) / 1e6,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, self->position / 1e6,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

/* ---- position ------------------------------------------------------------------ */

void
ps_timeline_set_position (PsTimeline *self,
                          gint64      t_us)
{
  g_return_if_fail (PS_IS_TIMELINE (self));

  t_us = CLAMP (t_us, 0, duration (self));
  if (t_us == self->position)
    return;
  self->position = t_us;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

gint64
ps_timeline_get_position (PsTimeline *self)
{
  g_return_val_if_fail (PS_IS_TIMELINE (self), 0);
  return self->position;
}

void
ps_timeline_set_replay (PsTimeline *self,
                        PsReplay   *replay)
{
  g_return_if_fail (PS_IS_TIMELINE (self));

  if (!g_set_object (&self->replay, replay))
    return;
  g_clear_pointer (&self->strip, gsk_render_node_unref);
  self->position = -1;
  ps_timeline_set_position (self, 0);
}

PsReplay *
ps_timeline_get_replay (PsTimeline *self)
{
  g_return_val_if_fail (PS_IS_TIMELINE (self), NULL);
  return self->replay;
}

/* ---- input --------------------------------------------------------------------- */

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            PsTimeline      *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  ps_timeline_set_position (self, ps_timeline_time_at (self, x));
}

static void
on_drag (GtkGestureDrag *gesture,
         double          dx,
         double          dy,
         PsTimeline     *self)
{
  double x, y;

  if (gtk_gesture_drag_get_start_point (gesture, &x, &y))
    ps_timeline_set_position (self, ps_timeline_time_at (self, x + dx));
}

static void
step_to (PsTimeline *self,
         gint64      t_us)
{
  if (t_us < 0)
    gtk_widget_error_bell (GTK_WIDGET (self));
  else
    ps_timeline_set_position (self, t_us);
}

/* timeline.move: where the keys take the playhead */
static void
action_move (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  PsTimeline *self = PS_TIMELINE (widget);
  const char *to = g_variant_get_string (parameter, NULL);
  gint64 step = ps_timeline_get_step (self);

  if (self->replay == NULL)
    return;
  if (g_str_equal (to, "back"))
    step_to (self, MAX (self->position - step, 0));
  else if (g_str_equal (to, "forward"))
    step_to (self, self->position + step);
  else if (g_str_equal (to, "page-back"))
    step_to (self, MAX (self->position - 20 * step, 0));
  else if (g_str_equal (to, "page-forward"))
    step_to (self, self->position + 20 * step);
  else if (g_str_equal (to, "start"))
    step_to (self, 0);
  else if (g_str_equal (to, "end"))
    step_to (self, duration (self));
  else if (g_str_equal (to, "prev-change"))
    step_to (self, ps_replay_prev_change (self->replay, self->position));
  else if (g_str_equal (to, "next-change"))
    step_to (self, ps_replay_next_change (self->replay, self->position));
  else
    g_warning ("timeline.move: unknown target “%s”", to);
}

static void
action_toggle_play (GtkWidget  *widget,
                    const char *name,
                    GVariant   *parameter)
{
  if (PS_TIMELINE (widget)->replay != NULL)
    g_signal_emit (widget, signals[TOGGLE_PLAY], 0);
}

static void
add_move_binding (GtkWidgetClass  *widget_class,
                  guint            keyval,
                  guint            kp_keyval,
                  GdkModifierType  mods,
                  const char      *to)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, mods, "timeline.move", "s", to);
  gtk_widget_class_add_binding_action (widget_class, kp_keyval, mods, "timeline.move", "s", to);
}

static void
add_bindings (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "timeline.move", "s", action_move);
  gtk_widget_class_install_action (widget_class, "timeline.toggle-play", NULL, action_toggle_play);
  add_move_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, 0, "back");
  add_move_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, 0, "forward");
  add_move_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, GDK_CONTROL_MASK, "prev-change");
  add_move_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, GDK_CONTROL_MASK, "next-change");
  add_move_binding (widget_class, GDK_KEY_Page_Up, GDK_KEY_KP_Page_Up, 0, "page-back");
  add_move_binding (widget_class, GDK_KEY_Page_Down, GDK_KEY_KP_Page_Down, 0, "page-forward");
  add_move_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, 0, "start");
  add_move_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, 0, "end");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "timeline.toggle-play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Space, 0, "timeline.toggle-play", NULL);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  PsTimeline *self = PS_TIMELINE (widget);
  gint64 t = keyboard_mode ? self->position : ps_timeline_time_at (self, x);
  gint64 slack = ps_timeline_time_at (self, PAD_X + 3);
  g_autoptr(GString) text = g_string_new (NULL);
  guint i;

  if (self->replay == NULL)
    return FALSE;
  g_string_append_printf (text, _("%.3f s"), t / 1e6);
  /* the events under the pointer, a few pixels either side */
  for (i = ps_replay_find_event (self->replay, MAX (t - slack, 0));
       i < ps_replay_get_n_events (self->replay) && text->len < 2000; i++)
    {
      const PsReplayEvent *event = ps_replay_get_event (self->replay, i);

      if (event->t_us > t + slack)
        break;
      g_string_append_printf (text, "\n%s", event->text);
    }
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------------- */

static void
ps_timeline_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  PsTimeline *self = PS_TIMELINE (widget);

  GTK_WIDGET_CLASS (ps_timeline_parent_class)->css_changed (widget, change);
  g_clear_pointer (&self->strip, gsk_render_node_unref);
  gtk_widget_queue_draw (widget);
}

static void
ps_timeline_dispose (GObject *object)
{
  PsTimeline *self = PS_TIMELINE (object);

  g_clear_pointer (&self->strip, gsk_render_node_unref);
  g_clear_object (&self->replay);
  G_OBJECT_CLASS (ps_timeline_parent_class)->dispose (object);
}

static void
ps_timeline_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PsTimeline *self = PS_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_POSITION: g_value_set_int64 (value, self->position); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_timeline_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_POSITION: ps_timeline_set_position (PS_TIMELINE (object), g_value_get_int64 (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_timeline_class_init (PsTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_timeline_dispose;
  object_class->get_property = ps_timeline_get_property;
  object_class->set_property = ps_timeline_set_property;
  widget_class->snapshot = ps_timeline_snapshot;
  widget_class->measure = ps_timeline_measure;
  widget_class->css_changed = ps_timeline_css_changed;

  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* space: play or pause */
  signals[TOGGLE_PLAY] = g_signal_new ("toggle-play", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  add_bindings (widget_class);
  gtk_widget_class_set_css_name (widget_class, "pstimeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
ps_timeline_init (PsTimeline *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag = gtk_gesture_drag_new ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (on_drag), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline: page changes over time, the session's events as ticks"), -1);
}

GtkWidget *
ps_timeline_new (void)
{
  return g_object_new (PS_TYPE_TIMELINE, NULL);
}
