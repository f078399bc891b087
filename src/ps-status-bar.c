/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsStatusBar: what the scanner and the budget say, in one line.
 *
 * Frames come ten times a second or more; the bar keeps the newest and shows
 * it at most every REFRESH_US. What fluctuates from pass to pass (the pass
 * time, the changes a second, the CPU) is held steady until it moves by more
 * than a margin, and a label is set only when its text changed: a frame that
 * changes nothing shown lays out and draws nothing. */
#define G_LOG_DOMAIN "pagescope-status"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>   /* PRIu64 in translatable strings */
#include <math.h>

#include "ps-budget.h"
#include "ps-parse.h"
#include "ps-renderer.h"
#include "ps-status-bar-private.h"
#include "ps-wrap-layout.h"

#define REFRESH_US   (G_USEC_PER_SEC / 2)
#define RATE_US      G_USEC_PER_SEC       /* changes a second: over this at least */
#define SLACK        0.25                 /* a value moves this much before it shows */
#define CPU_SLACK    2.0                  /* percentage points */

struct _PsStatusBar
{
  GtkWidget     parent_instance;

  GtkLabel     *labels[PS_STATUS_N_FIELDS];

  PsSourceKind  kind;
  PsFrame      *frame;            /* the newest, maybe not shown yet */
  gint64        shown_us;         /* when the labels were last refreshed */
  guint         refresh_id;

  guint64       rate_changes;     /* total_changes at rate_time_us */
  gint64        rate_time_us;
  double        rate;             /* measured changes a second */
  double        shown_rate;       /* < 0: none yet */
  double        shown_pass_ms;
  double        shown_interval_ms;
  double        shown_sweep_ms;
  double        shown_cpu_pct;
};

G_DEFINE_FINAL_TYPE (PsStatusBar, ps_status_bar, GTK_TYPE_WIDGET)

/* ---- steady numbers ------------------------------------------------------ */

static double
two_digits (double value)
{
  double unit;

  if (value <= 0)
    return 0;
  unit = pow (10, floor (log10 (value)) - 1);
  return round (value / unit) * unit;
}

/* What to show for a measure: what is shown while the measure stays within
 * SLACK of it, else the measure to two significant digits. */
static double
steady (double shown,
        double measured)
{
  if (shown >= 0 && fabs (measured - shown) <= SLACK * shown)
    return shown;
  return two_digits (measured);
}

static char *
format_number (double value)
{
  if (value >= 10 || value == 0)
    return g_strdup_printf ("%.0f", value);
  if (value >= 1)
    return g_strdup_printf ("%.1f", value);
  return g_strdup_printf ("%.2g", value);
}

static char *
format_duration (guint ms)
{
  if (ms < 1000)
    /* TRANSLATORS: a duration in milliseconds */
    return g_strdup_printf (_("%u ms"), ms);
  /* TRANSLATORS: a duration in seconds, e.g. "1.5 s" */
  return g_strdup_printf (_("%.1f s"), ms / 1000.0);
}

/* ---- the labels ------------------------------------------------------------ */

static void
show (PsStatusBar   *self,
      PsStatusField  field,
      const char    *text)
{
  GtkLabel *label = self->labels[field];

  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
  if (field == PS_STATUS_BUDGET && gtk_widget_get_visible (GTK_WIDGET (label)) != (*text != '\0'))
    gtk_widget_set_visible (GTK_WIDGET (label), *text != '\0');
}

static void
show_tooltip (PsStatusBar   *self,
              PsStatusField  field,
              const char    *text)
{
  GtkWidget *label = GTK_WIDGET (self->labels[field]);
  const char *old = gtk_widget_get_tooltip_text (label);

  if (g_strcmp0 (old, text) != 0)
    gtk_widget_set_tooltip_text (label, text);
}

static void
measure_rate (PsStatusBar *self,
              PsFrame     *frame)
{
  if (self->rate_time_us != 0 && frame->time_us - self->rate_time_us < RATE_US)
    return;
  if (self->rate_time_us != 0 && frame->total_changes >= self->rate_changes)
    self->rate = (frame->total_changes - self->rate_changes) * (double) G_USEC_PER_SEC /
                 (frame->time_us - self->rate_time_us);
  self->rate_changes = frame->total_changes;
  self->rate_time_us = frame->time_us;
}

static void
show_object (PsStatusBar *self,
             PsFrame     *frame)
{
  const PsGeometry *g = &frame->geometry;
  g_autofree char *size = ps_format_size (g->object_size);
  g_autofree char *size_text = g_strdup_printf (_("Size %s"), size);
  g_autofree char *pages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " page (%" PRIu64 " past EOF)",
                                                         "%" PRIu64 " pages (%" PRIu64 " past EOF)", g->n_pages),
                                            g->n_pages, g->n_pages - g->n_inside);
  g_autofree char *resident = NULL;

  if (frame->n_unknown > 0)
    resident = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Residency unknown for %" PRIu64 " page",
                                             "Residency unknown for %" PRIu64 " pages", frame->n_unknown),
                                frame->n_unknown);
  else
    resident = g_strdup_printf (_("%" PRIu64 " resident"), frame->n_resident);
  show (self, PS_STATUS_SIZE, size_text);
  show (self, PS_STATUS_PAGES, pages);
  show (self, PS_STATUS_RESIDENT, resident);
}

static void
show_pace (PsStatusBar *self,
           PsFrame     *frame)
{
  g_autofree char *rate = NULL, *changes = NULL, *pass_ms = NULL, *interval = NULL, *pass = NULL;

  measure_rate (self, frame);
  self->shown_rate = steady (self->shown_rate, self->rate);
  self->shown_pass_ms = steady (self->shown_pass_ms, frame->pass_us / 1000.0);
  /* stretched by the budget, the interval moves with every pass */
  self->shown_interval_ms = steady (self->shown_interval_ms, frame->interval_ms);

  rate = format_number (self->shown_rate);
  /* TRANSLATORS: %s is a number, e.g. "1000 changes/s" */
  changes = g_strdup_printf (_("%s changes/s"), rate);
  interval = format_duration ((guint) self->shown_interval_ms);
  if (self->shown_pass_ms < 1)
    /* TRANSLATORS: "Pass under 1 ms, every 100 ms" */
    pass = g_strdup_printf (_("Pass under 1 ms, every %s"), interval);
  else
    {
      pass_ms = format_number (self->shown_pass_ms);
      /* TRANSLATORS: "Pass 12 ms, every 100 ms" */
      pass = g_strdup_printf (_("Pass %s ms, every %s"), pass_ms, interval);
    }
  show (self, PS_STATUS_CHANGES, changes);
  show (self, PS_STATUS_PASS, pass);
}

static void
show_budget (PsStatusBar *self,
             PsFrame     *frame)
{
  PsBudget *budget = ps_budget_get_default ();
  double process = ps_budget_get_process_fraction (budget) * 100;
  double draw = ps_budget_get_draw_fraction (budget) * 100;
  PsBudgetLimits limits = ps_budget_get_limits (budget);
  g_autofree char *cpu = NULL, *detail = NULL, *sweep = NULL, *renderer = NULL;
  GString *held = g_string_new (NULL);

  if (self->shown_cpu_pct < 0 || fabs (process - self->shown_cpu_pct) > CPU_SLACK)
    self->shown_cpu_pct = round (process);
  /* TRANSLATORS: the whole process's CPU against its budget, e.g. "CPU 24 % of 25 %" */
  cpu = g_strdup_printf (_("CPU %.0f %% of %.0f %%"), self->shown_cpu_pct,
                         round (ps_budget_get_fraction (budget) * 100));
  renderer = ps_renderer_describe (GTK_WIDGET (self));
  /* TRANSLATORS: the tooltip of "CPU 24 % of 25 %": where it goes, then how the window is drawn */
  detail = g_strdup_printf (_("All of Pagescope's threads together, in percent of one core: scanning %.0f %%, drawing and the rest %.0f %%.\n%s."),
                            round (MAX (process - draw, 0)), round (draw), renderer);
  show (self, PS_STATUS_CPU, cpu);
  show_tooltip (self, PS_STATUS_CPU, detail);

  if (frame->flags & PS_FRAME_BUDGET_LIMITED)
    {
      self->shown_sweep_ms = steady (self->shown_sweep_ms, frame->sweep_ms);
      sweep = format_duration ((guint) self->shown_sweep_ms);
      /* TRANSLATORS: the budget holds the scanner back; %s is a duration */
      g_string_append_printf (held, _("Budget: every page every %s"), sweep);
    }
  if (limits & PS_BUDGET_LIMITS_FADE)
    {
      if (held->len > 0)
        g_string_append (held, " · ");
      /* TRANSLATORS: the budget slows the fade animation to so many frames a second */
      g_string_append_printf (held, _("Budget: fade at %u fps"), ps_budget_get_fade_fps (budget));
    }
  show (self, PS_STATUS_BUDGET, held->str);
  g_string_free (held, TRUE);
}

static void
show_flags (PsStatusBar *self,
            PsFrame     *frame)
{
  GString *flags = g_string_new (NULL);

  if (frame->flags & PS_FRAME_REMOVED)
    g_string_append (flags, self->kind == PS_SOURCE_SYSV
                            ? _("Marked for removal (IPC_RMID): gone when the last process detaches")
                            : _("Removed: unlinked, still mapped"));
  if (frame->flags & PS_FRAME_GONE)
    g_string_append_printf (flags, "%s%s", flags->len ? " · " : "",
                            _("The process exited or its mapping went away: showing the last bytes read"));
  if (frame->flags & PS_FRAME_SHRANK)
    g_string_append_printf (flags, "%s%s", flags->len ? " · " : "", _("Shrank since mapped"));
  else if (frame->flags & PS_FRAME_GREW)
    g_string_append_printf (flags, "%s%s", flags->len ? " · " : "", _("Grew since mapped"));
  if (frame->flags & PS_FRAME_SIGBUS)
    g_string_append_printf (flags, "%s%s", flags->len ? " · " : "", _("SIGBUS caught"));
  if (frame->flags & PS_FRAME_PAUSED)
    g_string_append_printf (flags, "%s%s", flags->len ? " · " : "", _("Paused"));
  show (self, PS_STATUS_FLAGS, flags->str);
  g_string_free (flags, TRUE);
}

static void
refresh (PsStatusBar *self)
{
  self->shown_us = g_get_monotonic_time ();
  if (self->frame == NULL)
    return;
  show_object (self, self->frame);
  show_pace (self, self->frame);
  show_budget (self, self->frame);
  show_flags (self, self->frame);
}

static gboolean
refresh_due (gpointer data)
{
  PsStatusBar *self = data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* ---- GObject ---------------------------------------------------------------- */

static void
ps_status_bar_dispose (GObject *object)
{
  PsStatusBar *self = PS_STATUS_BAR (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->frame, ps_frame_unref);
  gtk_widget_dispose_template (GTK_WIDGET (object), PS_TYPE_STATUS_BAR);
  G_OBJECT_CLASS (ps_status_bar_parent_class)->dispose (object);
}

static void
ps_status_bar_class_init (PsStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *ids[PS_STATUS_N_FIELDS] = {
    "size", "pages", "resident", "changes", "pass", "cpu", "budget", "flags",
  };

  object_class->dispose = ps_status_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "ps-status-bar.ui");
  for (guint i = 0; i < PS_STATUS_N_FIELDS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, ids[i], FALSE,
                                               G_STRUCT_OFFSET (PsStatusBar, labels) + i * sizeof (GtkLabel *));
  /* its labels go on to further lines in a narrow window */
  gtk_widget_class_set_layout_manager_type (widget_class, PS_TYPE_WRAP_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statusbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
ps_status_bar_init (PsStatusBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ps_wrap_layout_set_spacing (PS_WRAP_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 18, 2);
  /* one line, its height the same whatever it says (the narrow window
   * makes it wrap) */
  ps_wrap_layout_set_single_line (PS_WRAP_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), TRUE);
  ps_status_bar_set_source (self, NULL);
}

GtkWidget *
ps_status_bar_new (void)
{
  return g_object_new (PS_TYPE_STATUS_BAR, NULL);
}

void
ps_status_bar_set_source (PsStatusBar *self,
                          PsSource    *source)
{
  g_return_if_fail (PS_IS_STATUS_BAR (self));
  g_return_if_fail (source == NULL || PS_IS_SOURCE (source));

  self->kind = source != NULL ? ps_source_get_kind (source) : PS_SOURCE_FILE;
  g_clear_pointer (&self->frame, ps_frame_unref);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->rate_time_us = 0;
  self->rate = 0;
  self->shown_rate = -1;
  self->shown_pass_ms = -1;
  self->shown_interval_ms = -1;
  self->shown_sweep_ms = -1;
  self->shown_cpu_pct = -1;
  self->shown_us = 0;
}

void
ps_status_bar_set_frame (PsStatusBar *self,
                         PsFrame     *frame)
{
  gint64 wait;

  g_return_if_fail (PS_IS_STATUS_BAR (self));

  if (frame == self->frame)
    return;
  if (frame != NULL)
    ps_frame_ref (frame);
  g_clear_pointer (&self->frame, ps_frame_unref);
  self->frame = frame;
  if (self->refresh_id != 0)
    return;      /* this frame shows then */

  wait = self->shown_us + REFRESH_US - g_get_monotonic_time ();
  if (self->shown_us == 0 || wait <= 0)
    refresh (self);
  else
    self->refresh_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, (guint) ((wait + 999) / 1000),
                                           refresh_due, self, NULL);
}

/* ---- for tests (ps-status-bar-private.h) ---------------------------------- */

GtkLabel *
ps_status_bar_get_label (PsStatusBar   *self,
                         PsStatusField  field)
{
  g_return_val_if_fail (PS_IS_STATUS_BAR (self), NULL);
  g_return_val_if_fail (field < PS_STATUS_N_FIELDS, NULL);
  return self->labels[field];
}
