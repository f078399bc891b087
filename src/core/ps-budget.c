/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsBudget: what the whole process may cost, and how it is shared.
 *
 * Every 500 ms (or more) the process's CPU time is read with getrusage
 * (RUSAGE_SELF counts every thread, the renderer's too, and no child). The
 * scanners say what their own passes took; the rest is drawing. Drawing may
 * take DRAW_PART of the budget at the full fade frame rate; when it takes
 * more, or the process is over its budget, the frame rate drops (a third at
 * a time, down to PS_BUDGET_FADE_FPS_MIN), and comes back when the step up
 * would still fit. The scanners share what drawing leaves, and never less
 * than SCAN_FLOOR of the budget: a scanner whose share is too small for its
 * object sweeps it in slices, or stretches its interval. */
#define G_LOG_DOMAIN "pagescope-budget"

#include "config.h"

#include <sys/resource.h>

#include "ps-budget.h"

#define SAMPLE_US    (500 * 1000)
#define DRAW_PART    0.4
#define SCAN_FLOOR   0.2
#define SMOOTHING    0.7      /* weight of the newest measurement */

struct _PsBudget
{
  GObject  parent_instance;

  GMutex   lock;
  double   fraction;
  guint    n_scanners;
  gint     fade_fps;          /* atomic: the widgets read it often */
  gint     limits;            /* atomic */

  /* the measurement window, under lock */
  gint64   mark_wall_us;
  gint64   mark_cpu_us;
  gint64   scan_cpu_us;       /* scanners' CPU since the mark */
  gboolean scan_limited;      /* a scanner was limited since the mark */
  double   process;           /* smoothed fractions of one core */
  double   draw;
  gboolean measured;
};

G_DEFINE_FINAL_TYPE (PsBudget, ps_budget, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
process_cpu_us (void)
{
  struct rusage ru;

  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return 0;
  return (gint64) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * G_USEC_PER_SEC +
         ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* The fade's frame rate after a measurement. Under lock. */
static void
decide_fade (PsBudget *self)
{
  guint fps = g_atomic_int_get (&self->fade_fps);
  double part = self->fraction * DRAW_PART;

  if ((self->draw > part || self->process > self->fraction * 1.1) && fps > PS_BUDGET_FADE_FPS_MIN)
    fps = MAX (PS_BUDGET_FADE_FPS_MIN, fps * 2 / 3);
  else if (fps < PS_BUDGET_FADE_FPS_MAX)
    {
      guint up = MIN (PS_BUDGET_FADE_FPS_MAX, fps * 3 / 2);

      /* drawing costs about as much as it draws frames: step up only if
       * the faster rate would still fit */
      if (self->draw * up / fps < part * 0.8 && self->process < self->fraction)
        fps = up;
    }
  g_atomic_int_set (&self->fade_fps, fps);
}

/* Under lock. */
static void
measure (PsBudget *self,
         gint64    now)
{
  gint64 cpu = process_cpu_us ();
  gint64 wall = now - self->mark_wall_us;
  double process, draw;
  PsBudgetLimits limits = PS_BUDGET_LIMITS_NOTHING;

  if (self->mark_wall_us == 0 || wall <= 0)
    {
      self->mark_wall_us = now;
      self->mark_cpu_us = cpu;
      self->scan_cpu_us = 0;
      return;
    }
  process = (double) (cpu - self->mark_cpu_us) / wall;
  draw = MAX (0.0, (double) (cpu - self->mark_cpu_us - self->scan_cpu_us) / wall);
  if (self->measured)
    {
      process = SMOOTHING * process + (1 - SMOOTHING) * self->process;
      draw = SMOOTHING * draw + (1 - SMOOTHING) * self->draw;
    }
  self->process = process;
  self->draw = draw;
  self->measured = TRUE;
  decide_fade (self);

  if (g_atomic_int_get (&self->fade_fps) < PS_BUDGET_FADE_FPS_MAX)
    limits |= PS_BUDGET_LIMITS_FADE;
  if (self->scan_limited)
    limits |= PS_BUDGET_LIMITS_SCAN;
  g_atomic_int_set (&self->limits, limits);

  self->mark_wall_us = now;
  self->mark_cpu_us = cpu;
  self->scan_cpu_us = 0;
  self->scan_limited = FALSE;
}

static void
update_locked (PsBudget *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->mark_wall_us == 0 || now - self->mark_wall_us >= SAMPLE_US)
    measure (self, now);
}

void
ps_budget_update (PsBudget *self)
{
  g_return_if_fail (PS_IS_BUDGET (self));

  g_mutex_lock (&self->lock);
  update_locked (self);
  g_mutex_unlock (&self->lock);
}

double
ps_budget_account_scan (PsBudget *self,
                        gint64    cpu_us,
                        gboolean  limited)
{
  double share;

  g_return_val_if_fail (PS_IS_BUDGET (self), PS_BUDGET_DEFAULT_FRACTION);

  g_mutex_lock (&self->lock);
  self->scan_cpu_us += MAX (cpu_us, 0);
  self->scan_limited |= limited;
  update_locked (self);
  share = CLAMP (self->fraction - self->draw, self->fraction * SCAN_FLOOR, self->fraction);
  share /= MAX (self->n_scanners, 1);
  g_mutex_unlock (&self->lock);
  return share;
}

void
ps_budget_add_scanner (PsBudget *self)
{
  g_return_if_fail (PS_IS_BUDGET (self));

  g_mutex_lock (&self->lock);
  self->n_scanners++;
  g_mutex_unlock (&self->lock);
}

void
ps_budget_remove_scanner (PsBudget *self)
{
  g_return_if_fail (PS_IS_BUDGET (self));

  g_mutex_lock (&self->lock);
  g_warn_if_fail (self->n_scanners > 0);
  if (self->n_scanners > 0)
    self->n_scanners--;
  g_mutex_unlock (&self->lock);
}

void
ps_budget_set_fraction (PsBudget *self,
                        double    fraction)
{
  gboolean changed;

  g_return_if_fail (PS_IS_BUDGET (self));

  fraction = CLAMP (fraction, PS_BUDGET_MIN_FRACTION, PS_BUDGET_MAX_FRACTION);
  g_mutex_lock (&self->lock);
  changed = self->fraction != fraction;
  self->fraction = fraction;
  g_mutex_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

double
ps_budget_get_fraction (PsBudget *self)
{
  double fraction;

  g_return_val_if_fail (PS_IS_BUDGET (self), PS_BUDGET_DEFAULT_FRACTION);

  g_mutex_lock (&self->lock);
  fraction = self->fraction;
  g_mutex_unlock (&self->lock);
  return fraction;
}

guint
ps_budget_get_fade_fps (PsBudget *self)
{
  g_return_val_if_fail (PS_IS_BUDGET (self), PS_BUDGET_FADE_FPS_MAX);
  return g_atomic_int_get (&self->fade_fps);
}

PsBudgetLimits
ps_budget_get_limits (PsBudget *self)
{
  g_return_val_if_fail (PS_IS_BUDGET (self), PS_BUDGET_LIMITS_NOTHING);
  return g_atomic_int_get (&self->limits);
}

double
ps_budget_get_process_fraction (PsBudget *self)
{
  double process;

  g_return_val_if_fail (PS_IS_BUDGET (self), 0);

  g_mutex_lock (&self->lock);
  process = self->process;
  g_mutex_unlock (&self->lock);
  return process;
}

double
ps_budget_get_draw_fraction (PsBudget *self)
{
  double draw;

  g_return_val_if_fail (PS_IS_BUDGET (self), 0);

  g_mutex_lock (&self->lock);
  draw = self->draw;
  g_mutex_unlock (&self->lock);
  return draw;
}

/* ---- GObject ----------------------------------------------------------- */

static void
ps_budget_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, ps_budget_get_fraction (PS_BUDGET (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_budget_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_FRACTION:
      ps_budget_set_fraction (PS_BUDGET (object), g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_budget_finalize (GObject *object)
{
  PsBudget *self = PS_BUDGET (object);

  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (ps_budget_parent_class)->finalize (object);
}

static void
ps_budget_class_init (PsBudgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ps_budget_get_property;
  object_class->set_property = ps_budget_set_property;
  object_class->finalize = ps_budget_finalize;

  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, PS_BUDGET_MIN_FRACTION, PS_BUDGET_MAX_FRACTION,
                         PS_BUDGET_DEFAULT_FRACTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_budget_init (PsBudget *self)
{
  g_mutex_init (&self->lock);
  self->fraction = PS_BUDGET_DEFAULT_FRACTION;
  self->fade_fps = PS_BUDGET_FADE_FPS_MAX;
}

PsBudget *
ps_budget_new (void)
{
  return g_object_new (PS_TYPE_BUDGET, NULL);
}

PsBudget *
ps_budget_get_default (void)
{
  static PsBudget *budget;
  static gsize made;

  if (g_once_init_enter (&made))
    {
      budget = ps_budget_new ();
      g_once_init_leave (&made, 1);
    }
  return budget;
}
