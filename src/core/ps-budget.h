/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PS_BUDGET_DEFAULT_FRACTION  0.25
#define PS_BUDGET_MIN_FRACTION      0.01
#define PS_BUDGET_MAX_FRACTION      1.0
/* The fade animation's frame rates: what reads as a fade, down to what still
 * shows its steps. */
#define PS_BUDGET_FADE_FPS_MAX      12
#define PS_BUDGET_FADE_FPS_MIN      5

/* What the budget holds back now. */
typedef enum
{
  PS_BUDGET_LIMITS_NOTHING = 0,
  PS_BUDGET_LIMITS_FADE    = 1 << 0,   /* the fade runs below PS_BUDGET_FADE_FPS_MAX */
  PS_BUDGET_LIMITS_SCAN    = 1 << 1,   /* a scanner sweeps its object slower than its interval */
} PsBudgetLimits;

#define PS_TYPE_BUDGET (ps_budget_get_type ())
G_DECLARE_FINAL_TYPE (PsBudget, ps_budget, PS, BUDGET, GObject)

/* One budget for the whole process: a fraction of one core that every thread
 * together (the scanners, the main loop, the renderer's threads) may use,
 * measured with getrusage (RUSAGE_SELF). Drawing is paid first: when it takes
 * more than its part, the fade's frame rate drops, down to
 * PS_BUDGET_FADE_FPS_MIN; the scanners share what is left, so their sweeps
 * stretch. Every function may be called from any thread. */
PsBudget       *ps_budget_get_default          (void);
PsBudget       *ps_budget_new                  (void);

/* The "fraction" property: of one core, clamped to
 * [PS_BUDGET_MIN_FRACTION, PS_BUDGET_MAX_FRACTION]. */
void            ps_budget_set_fraction         (PsBudget *self,
                                                double    fraction);
double          ps_budget_get_fraction         (PsBudget *self);

/* A scanner thread counts itself in while it runs. */
void            ps_budget_add_scanner          (PsBudget *self);
void            ps_budget_remove_scanner       (PsBudget *self);
/* After each pass: the CPU time the pass took on its thread, and whether the
 * scanner could not sweep its object within its interval. Measures the
 * process when due and returns the fraction of one core this scanner's
 * passes may take now. */
double          ps_budget_account_scan         (PsBudget *self,
                                                gint64    cpu_us,
                                                gboolean  limited);

/* Measures the process if the last measurement is 500 ms old or more. */
void            ps_budget_update               (PsBudget *self);

guint           ps_budget_get_fade_fps         (PsBudget *self);
PsBudgetLimits  ps_budget_get_limits           (PsBudget *self);
/* The last measurement, fractions of one core: the whole process, and the
 * part of it that is not scanning (drawing, mostly). */
double          ps_budget_get_process_fraction (PsBudget *self);
double          ps_budget_get_draw_fraction    (PsBudget *self);

G_END_DECLS
