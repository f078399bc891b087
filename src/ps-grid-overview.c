/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The overview strip (a minimap) beside the page grid.
 *
 * Each row of device pixels shows a run of pages (a power of two, so the
 * whole mapping fits the strip's height), coloured as the grid colours a
 * run: a change anywhere in it flashes the row. Rows come from PsGridRuns,
 * so a frame recomputes only the runs the scanner changed; rows whose
 * colour changed are painted into a kept picture and only their tiles are
 * uploaded. The part of the mapping the grid shows is outlined over it. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ps-budget.h"
#include "ps-grid-overview.h"
#include "ps-grid-picture.h"
#include "ps-grid-runs.h"

#define STRIP_WIDTH 18

struct _PsGridOverview
{
  GtkWidget       parent_instance;

  PsPageGrid     *grid;
  GSignalGroup   *grid_signals;
  GSignalGroup   *adjustment_signals;
  PsFrame        *frame;

  PsGridPicture  *picture;
  PsGridRuns     *runs;
  guint32        *colors;          /* of each row as painted */
  guint32        *tints;
  gsize           n_rows;          /* runs shown, the guard's included */
  guint64         run;
  guint           band;            /* device pixels of a run's band */
  int             pic_scale;
  int             pic_height;
  gboolean        stale;
  gint64          updated_us;
  gint64          fade_due_us;
  guint           update_id;
  guint           visibility_id;
};

G_DEFINE_FINAL_TYPE (PsGridOverview, ps_grid_overview, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GRID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
fade_period_us (void)
{
  return G_USEC_PER_SEC / MAX (ps_budget_get_fade_fps (ps_budget_get_default ()), 1);
}

static void
invalidate (PsGridOverview *self)
{
  self->stale = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Shown only while the grid does not show the whole mapping. */
static gboolean
update_visibility_now (gpointer data)
{
  PsGridOverview *self = data;
  GtkAdjustment *adj = self->grid != NULL ? gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->grid)) : NULL;
  gboolean needed = adj != NULL && self->frame != NULL &&
                    gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) + 0.5;

  self->visibility_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self), needed);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* The grid's adjustment changes while the grid is allocated: showing or
 * hiding a sibling then would resize the box in the middle of its own
 * allocation, so it waits for an idle. */
static void
update_visibility (PsGridOverview *self)
{
  if (self->visibility_id == 0)
    self->visibility_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_visibility_now, self, NULL);
}

/* The rows' colours now, highlights drawn over them. */
static void
row_colors (PsGridOverview *self,
            guint32        *out,
            guint32        *next_ms)
{
  PsGridMode mode = ps_page_grid_get_mode (self->grid);
  guint32 now_ms = ps_grid_now_ms (self->frame, g_get_monotonic_time ());

  ps_grid_runs_follow (self->runs, self->frame, self->run, 0, self->n_rows);
  ps_grid_runs_set_fade_ms (self->runs, ps_page_grid_get_fade_time (self->grid));
  ps_grid_runs_colors (self->runs, mode, now_ms, out, next_ms);
  for (gsize i = 0; self->tints != NULL && i < self->n_rows; i++)
    out[i] = ps_grid_blend (out[i], self->tints[i]);
}

static void
paint_row (PsGridOverview *self,
           gsize           i,
           guint32         color)
{
  gsize stride;
  guint32 *pixels = ps_grid_picture_get_pixels (self->picture, &stride);
  guint width = ps_grid_picture_get_width (self->picture);
  guint y = (guint) i * self->band;

  for (guint dy = 0; dy < self->band; dy++)
    for (guint x = 0; x < width; x++)
      pixels[(gsize) (y + dy) * stride + x] = color;
  ps_grid_picture_damage (self->picture, 0, y, width, self->band);
}

static void
set_fade_due (PsGridOverview *self,
              guint32         next_ms)
{
  self->fade_due_us = next_ms == G_MAXUINT32 ? 0 : self->frame->epoch_us + (gint64) next_ms * 1000;
}

static gboolean on_update_due (gpointer data);

static void
schedule_update (PsGridOverview *self,
                 gint64          due)
{
  gint64 wait;

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (due == 0 || self->stale || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  due = MAX (due, self->updated_us + fade_period_us ());
  wait = MAX (due - g_get_monotonic_time (), 0);
  self->update_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((wait + 999) / 1000), on_update_due, self, NULL);
}

/* Repaints the rows whose colour changed: only rows the scanner changed,
 * or that still fade, are looked at. */
static void
update_rows (PsGridOverview *self)
{
  PsGridMode mode = ps_page_grid_get_mode (self->grid);
  guint32 next_ms = G_MAXUINT32;
  const gsize *indices;
  const guint32 *colors;
  gboolean all, changed = FALSE;
  gsize n;

  self->updated_us = g_get_monotonic_time ();
  ps_grid_runs_follow (self->runs, self->frame, self->run, 0, self->n_rows);
  ps_grid_runs_set_fade_ms (self->runs, ps_page_grid_get_fade_time (self->grid));
  all = ps_grid_runs_refresh (self->runs, mode, ps_grid_now_ms (self->frame, self->updated_us), &next_ms, &indices, &n);
  colors = ps_grid_runs_get_colors (self->runs);
  for (gsize k = 0; k < (all ? self->n_rows : n); k++)
    {
      gsize i = all ? k : indices[k];
      guint32 color = self->tints != NULL ? ps_grid_blend (colors[i], self->tints[i]) : colors[i];

      if (color != self->colors[i])
        {
          self->colors[i] = color;
          paint_row (self, i, color);
          changed = TRUE;
        }
    }
  set_fade_due (self, next_ms);
  if (changed)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule_update (self, self->fade_due_us);
}

static gboolean
on_update_due (gpointer data)
{
  PsGridOverview *self = data;

  self->update_id = 0;
  if (!self->stale && self->frame != NULL && gtk_widget_get_visible (GTK_WIDGET (self)))
    update_rows (self);
  return G_SOURCE_REMOVE;
}

static void
rebuild (PsGridOverview *self,
         int             width,
         int             height,
         int             scale)
{
  guint device_h = (guint) (height * scale);
  const PsHighlight *ranges;
  guint n_ranges;
  guint32 next_ms = G_MAXUINT32;

  /* any whole number of pages a row, not only powers of two: the strip's
   * whole height is used */
  self->run = MAX (1, (self->frame->n_pages + device_h - 2) / MAX (device_h - 1, 1));
  /* past a block, whole blocks: a changed block then costs its row O(1) */
  if (self->run > PS_FRAME_BLOCK_PAGES)
    self->run = (self->run + PS_FRAME_BLOCK_PAGES - 1) / PS_FRAME_BLOCK_PAGES * PS_FRAME_BLOCK_PAGES;
  self->n_rows = (self->frame->n_pages + self->run - 1) / self->run + 1;
  self->band = MAX (1, device_h / (guint) self->n_rows);
  self->pic_scale = scale;
  self->pic_height = height;
  ps_grid_picture_resize (self->picture, width * scale, self->n_rows * self->band);
  g_free (self->colors);
  self->colors = g_new0 (guint32, self->n_rows);
  g_clear_pointer (&self->tints, g_free);
  ranges = ps_page_grid_get_highlights (self->grid, &n_ranges);
  if (n_ranges > 0)
    {
      self->tints = g_new (guint32, self->n_rows);
      ps_grid_tint_cells (ranges, n_ranges, self->frame->geometry.page_size, self->frame->n_pages,
                          self->run, 0, self->n_rows, self->tints);
    }
  self->updated_us = g_get_monotonic_time ();
  row_colors (self, self->colors, &next_ms);
  for (gsize i = 0; i < self->n_rows; i++)
    paint_row (self, i, self->colors[i]);
  ps_grid_picture_damage_all (self->picture);
  self->stale = FALSE;
  set_fade_due (self, next_ms);
  schedule_update (self, self->fade_due_us);
}

gboolean
ps_grid_overview_get_page_y (PsGridOverview *self,
                             guint64         page,
                             double         *y,
                             double         *height)
{
  g_return_val_if_fail (PS_IS_GRID_OVERVIEW (self), FALSE);

  if (self->frame == NULL || self->run == 0 || self->pic_scale == 0)
    return FALSE;
  page = MIN (page, self->frame->n_pages);
  if (y != NULL)
    *y = (double) (page == self->frame->n_pages ? self->n_rows - 1 : page / self->run) * self->band / self->pic_scale;
  if (height != NULL)
    *height = (double) self->band / self->pic_scale;
  return TRUE;
}

static void
append_viewport (PsGridOverview *self,
                 GtkSnapshot    *snapshot,
                 int             width)
{
  guint64 first, n;
  double y0, y1, h;
  GskRoundedRect outline;
  GdkRGBA color;
  const float widths[4] = { 2, 2, 2, 2 };

  if (!ps_page_grid_get_visible_pages (self->grid, &first, &n) ||
      !ps_grid_overview_get_page_y (self, first, &y0, &h) ||
      !ps_grid_overview_get_page_y (self, first + n - 1, &y1, NULL))
    return;
  gdk_rgba_parse (&color, adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "#78aeed" : "#1c71d8");
  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (0, y0 - 1, width, MAX (y1 + h - y0 + 2, 4)), 2);
  gtk_snapshot_append_border (snapshot, &outline, widths, (GdkRGBA[4]) { color, color, color, color });
}

static void
ps_grid_overview_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PsGridOverview *self = PS_GRID_OVERVIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  GdkRGBA background;

  if (width <= 0 || height <= 0 || self->frame == NULL || self->grid == NULL)
    return;
  gdk_rgba_parse (&background, adw_style_manager_get_dark (adw_style_manager_get_default ()) ? "#1e1e1e" : "#ffffff");
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->stale || self->pic_scale != scale || ps_grid_picture_get_width (self->picture) != (guint) (width * scale) ||
      self->pic_height != height)
    rebuild (self, width, height, scale);
  ps_grid_picture_snapshot (self->picture, snapshot, scale, 0, ps_grid_picture_get_height (self->picture));
  append_viewport (self, snapshot, width);
}

static void
ps_grid_overview_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? STRIP_WIDTH : 32;
}

/* ---- following the grid ---- */

static void
on_frame (PsGridOverview *self)
{
  PsFrame *frame = ps_page_grid_get_frame (self->grid);
  gboolean same_layout;

  if (frame == self->frame)
    return;
  same_layout = frame != NULL && self->frame != NULL && ps_geometry_equal (&frame->geometry, &self->frame->geometry);
  if (frame != NULL)
    ps_frame_ref (frame);
  g_clear_pointer (&self->frame, ps_frame_unref);
  self->frame = frame;
  if (!same_layout)
    {
      update_visibility (self);
      invalidate (self);
    }
  else if (!self->stale && gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      /* no sooner than the fade frame rate allows */
      if (g_get_monotonic_time () - self->updated_us >= fade_period_us ())
        update_rows (self);
      else
        schedule_update (self, self->updated_us);
    }
}

static void
on_scrolled (PsGridOverview *self)
{
  update_visibility (self);
}

static void
on_grid_vadjustment (PsGridOverview *self)
{
  g_signal_group_set_target (self->adjustment_signals,
                             self->grid != NULL ? gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->grid)) : NULL);
  update_visibility (self);
}

/* ---- pointer: the grid goes where the strip is clicked or dragged ---- */

static void
scroll_grid_to (PsGridOverview *self,
                double          y)
{
  guint64 row, page;

  if (self->grid == NULL || self->frame == NULL || self->band == 0)
    return;
  row = (guint64) MAX (0, y * self->pic_scale / self->band);
  page = MIN (row * self->run + self->run / 2, self->frame->n_pages);
  ps_page_grid_scroll_to_page (self->grid, page);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PsGridOverview *self)
{
  scroll_grid_to (self, y);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PsGridOverview *self)
{
  double x, y;

  if (gtk_gesture_drag_get_start_point (gesture, &x, &y))
    scroll_grid_to (self, y + dy);
}

/* ---- lifecycle ---- */

static void
ps_grid_overview_unmap (GtkWidget *widget)
{
  PsGridOverview *self = PS_GRID_OVERVIEW (widget);

  g_clear_handle_id (&self->update_id, g_source_remove);
  self->stale = TRUE;
  GTK_WIDGET_CLASS (ps_grid_overview_parent_class)->unmap (widget);
}

static void
ps_grid_overview_dispose (GObject *object)
{
  PsGridOverview *self = PS_GRID_OVERVIEW (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->visibility_id, g_source_remove);
  if (self->grid_signals != NULL)
    g_signal_group_set_target (self->grid_signals, NULL);
  if (self->adjustment_signals != NULL)
    g_signal_group_set_target (self->adjustment_signals, NULL);
  g_clear_object (&self->grid_signals);
  g_clear_object (&self->adjustment_signals);
  g_clear_weak_pointer (&self->grid);
  g_clear_pointer (&self->frame, ps_frame_unref);
  g_clear_pointer (&self->picture, ps_grid_picture_free);
  g_clear_pointer (&self->runs, ps_grid_runs_free);
  g_clear_pointer (&self->colors, g_free);
  g_clear_pointer (&self->tints, g_free);
  G_OBJECT_CLASS (ps_grid_overview_parent_class)->dispose (object);
}

static void
ps_grid_overview_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PsGridOverview *self = PS_GRID_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_GRID: g_value_set_object (value, self->grid); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_grid_overview_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PsGridOverview *self = PS_GRID_OVERVIEW (object);

  switch (prop_id)
    {
    case PROP_GRID: ps_grid_overview_set_grid (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_grid_overview_class_init (PsGridOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_grid_overview_dispose;
  object_class->get_property = ps_grid_overview_get_property;
  object_class->set_property = ps_grid_overview_set_property;
  properties[PROP_GRID] =
    g_param_spec_object ("grid", NULL, NULL, PS_TYPE_PAGE_GRID,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->snapshot = ps_grid_overview_snapshot;
  widget_class->measure = ps_grid_overview_measure;
  widget_class->unmap = ps_grid_overview_unmap;
  gtk_widget_class_set_css_name (widget_class, "gridoverview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ps_grid_overview_init (PsGridOverview *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->picture = ps_grid_picture_new ();
  self->runs = ps_grid_runs_new ();
  self->stale = TRUE;

  self->grid_signals = g_signal_group_new (PS_TYPE_PAGE_GRID);
  g_signal_group_connect_swapped (self->grid_signals, "notify::frame", G_CALLBACK (on_frame), self);
  g_signal_group_connect_swapped (self->grid_signals, "notify::mode", G_CALLBACK (invalidate), self);
  g_signal_group_connect_swapped (self->grid_signals, "notify::fade-time", G_CALLBACK (invalidate), self);
  g_signal_group_connect_swapped (self->grid_signals, "highlights-changed", G_CALLBACK (invalidate), self);
  g_signal_group_connect_swapped (self->grid_signals, "notify::vadjustment", G_CALLBACK (on_grid_vadjustment), self);
  self->adjustment_signals = g_signal_group_new (GTK_TYPE_ADJUSTMENT);
  g_signal_group_connect_swapped (self->adjustment_signals, "changed", G_CALLBACK (on_scrolled), self);
  g_signal_group_connect_swapped (self->adjustment_signals, "value-changed", G_CALLBACK (gtk_widget_queue_draw), self);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), _("The whole mapping: click or drag to show that part in the grid"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Overview of the whole mapping"),
                                  -1);
}

GtkWidget *
ps_grid_overview_new (void)
{
  return g_object_new (PS_TYPE_GRID_OVERVIEW, NULL);
}

void
ps_grid_overview_set_grid (PsGridOverview *self,
                           PsPageGrid     *grid)
{
  g_return_if_fail (PS_IS_GRID_OVERVIEW (self));
  g_return_if_fail (grid == NULL || PS_IS_PAGE_GRID (grid));

  if (grid == self->grid)
    return;
  g_set_weak_pointer (&self->grid, grid);
  g_signal_group_set_target (self->grid_signals, grid);
  on_grid_vadjustment (self);
  on_frame (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRID]);
}

PsPageGrid *
ps_grid_overview_get_grid (PsGridOverview *self)
{
  g_return_val_if_fail (PS_IS_GRID_OVERVIEW (self), NULL);
  return self->grid;
}

guint64
ps_grid_overview_get_run (PsGridOverview *self)
{
  g_return_val_if_fail (PS_IS_GRID_OVERVIEW (self), 0);
  return self->frame != NULL ? self->run : 0;
}
