/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The page grid: one cell per page of the mapping, or below one pixel a
 * page one cell per run of pages. This file: the widget, its properties and
 * its layout (cell size, run, fit, scrolling). Drawing is in
 * ps-page-grid-draw.c, input in ps-page-grid-input.c, the words a tooltip
 * and a screen reader say in ps-page-grid-a11y.c. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ps-page-grid-private.h"

/* Runs beyond this many pages a cell are never needed: 2^40 pages of
 * 4 KiB are 4 PiB. */
#define MAX_RUN (G_GUINT64_CONSTANT (1) << 40)

enum {
  PROP_0,
  PROP_MODE,
  PROP_FADE_TIME,
  PROP_CELL_SIZE,
  PROP_RUN,
  PROP_FIT,
  PROP_CURSOR,
  PROP_FRAME,
  N_PROPS,
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE_WITH_CODE (PsPageGrid, ps_page_grid, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

/* ---- cells ---- */

guint64
ps_page_grid_n_pages (PsPageGrid *self)
{
  return self->frame != NULL ? self->frame->n_pages : 0;
}

guint64
ps_page_grid_n_data_cells (PsPageGrid *self)
{
  return (ps_page_grid_n_pages (self) + self->run - 1) / self->run;
}

/* The guard page has a cell of its own after the last run. */
guint64
ps_page_grid_cell_of_page (PsPageGrid *self,
                           guint64     page)
{
  if (page >= ps_page_grid_n_pages (self))
    return ps_page_grid_n_data_cells (self) + (page - ps_page_grid_n_pages (self));
  return page / self->run;
}

static gboolean
guard_marked (PsPageGrid *self)
{
  guint64 n = ps_page_grid_n_pages (self);

  return self->marks != NULL && self->n_marks > n && self->marks[n] != 0;
}

static guint
columns_for (PsPageGrid *self,
             int         width)
{
  return MAX (1, width / (int) self->cell);
}

/* Rows the scroll range covers: the cells, and the guard cell when it fits
 * in the last row or carries a probe mark (otherwise it shows only when the
 * area below the cells is on screen). */
static guint64
n_rows_of (PsPageGrid *self,
           guint       columns)
{
  guint64 n = ps_page_grid_n_data_cells (self);

  if (n % columns == 0 && guard_marked (self))
    n++;
  return MAX (1, (n + columns - 1) / columns);
}

double
ps_page_grid_scroll_value (PsPageGrid *self)
{
  return self->vadjustment != NULL ? floor (gtk_adjustment_get_value (self->vadjustment)) : 0;
}

void
ps_page_grid_invalidate (PsPageGrid *self)
{
  self->stale = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ps_page_grid_scroll_to_cell (PsPageGrid *self,
                             guint64     cell,
                             gboolean    to_top)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double top = (double) (cell / MAX (self->columns, 1)) * self->cell;
  double value = ps_page_grid_scroll_value (self);

  if (self->vadjustment == NULL)
    return;
  if (to_top || top < value)
    value = top;
  else if (top + self->cell > value + height)
    value = top + self->cell - height;
  gtk_adjustment_set_value (self->vadjustment, value);
}

/* The largest cell with which every page and the guard page after them fit
 * in width x height; 0 if not even one pixel a page does. */
static guint
fit_cell (guint64 n_pages,
          guint   max_cell,
          int     width,
          int     height)
{
  for (guint cell = max_cell; cell >= PS_GRID_MIN_CELL; cell--)
    {
      guint64 columns = MAX (1, width / (int) cell);

      if ((n_pages + 1 + columns - 1) / columns * cell <= (guint64) height)
        return cell;
    }
  return 0;
}

/* The run with which the whole mapping fits at one pixel a cell. */
static guint64
fit_run (PsPageGrid *self,
         int         width,
         int         height)
{
  return MIN (ps_grid_run_for (ps_page_grid_n_pages (self), (guint64) MAX (width, 1) * MAX (height, 1)), MAX_RUN);
}

static void
set_layout (PsPageGrid *self,
            guint       cell,
            guint64     run)
{
  gboolean cell_changed = cell != self->cell, run_changed = run != self->run;

  self->cell = cell;
  self->run = run;
  if (cell_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CELL_SIZE]);
  if (run_changed)
    {
      /* the cursor and the selection stand for whole cells */
      self->cursor -= self->cursor % run;
      ps_page_grid_update_description (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
    }
}

void
ps_page_grid_configure (PsPageGrid *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  guint columns;
  double upper;
  double value = ps_page_grid_scroll_value (self);

  if (width <= 0)
    {
      ps_page_grid_invalidate (self);
      return;
    }
  if (self->fit && self->frame != NULL && height > 0)
    {
      guint cell = fit_cell (ps_page_grid_n_pages (self), self->max_cell, width, height);
      guint64 run = cell > 0 ? 1 : fit_run (self, width, height);

      if (cell == 0)
        cell = 1;
      if (cell != self->cell || run != self->run)
        {
          set_layout (self, cell, run);
          self->columns = 0;     /* a fitted grid starts at its top */
          value = 0;
        }
    }
  columns = columns_for (self, width);
  upper = MAX ((double) n_rows_of (self, columns) * self->cell, height);
  /* a new width rewraps the rows: keep the page at the top where it was */
  if (columns != self->columns && self->columns != 0 && !self->keep_pending && self->frame != NULL)
    {
      self->keep_page = (guint64) (value / self->cell) * self->columns * self->run;
      self->keep_at_top = TRUE;
      self->keep_pending = TRUE;
    }
  self->columns = columns;

  if (self->hadjustment != NULL)
    gtk_adjustment_configure (self->hadjustment, 0, 0, width, 1, width, width);
  if (self->vadjustment != NULL)
    {
      gtk_adjustment_configure (self->vadjustment, CLAMP (value, 0, upper - height), 0, upper,
                                self->cell * 4, MAX (height - self->cell, self->cell), height);
      if (self->keep_pending && self->frame != NULL && width > 0)
        {
          self->keep_pending = FALSE;
          ps_page_grid_scroll_to_cell (self, ps_page_grid_cell_of_page (self, MIN (self->keep_page, ps_page_grid_n_pages (self))),
                                       self->keep_at_top);
        }
    }
  ps_page_grid_invalidate (self);
}

/* Before a zoom: keep the cursor in view if it is, else the page at the top
 * at the top. */
static void
keep_in_view (PsPageGrid *self)
{
  double value, top;
  gboolean cursor_shown;

  if (self->frame == NULL || self->columns == 0)
    return;
  value = ps_page_grid_scroll_value (self);
  top = (double) (ps_page_grid_cell_of_page (self, self->cursor) / self->columns) * self->cell;
  cursor_shown = top >= value && top + self->cell <= value + gtk_widget_get_height (GTK_WIDGET (self));
  self->keep_at_top = !cursor_shown;
  self->keep_page = cursor_shown ? self->cursor : (guint64) (value / self->cell) * self->columns * self->run;
  self->keep_pending = TRUE;
}

/* ---- size and scrolling ---- */

static void
ps_page_grid_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 32;
      *natural = 64 * self->cell;
    }
  else
    {
      guint columns = columns_for (self, for_size > 0 ? for_size : 64 * (int) self->cell);
      guint64 rows = n_rows_of (self, columns);

      *minimum = self->cell;
      *natural = (int) MIN (rows * self->cell, 4096);
    }
}

static void
ps_page_grid_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  ps_page_grid_configure (self);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
on_adjustment_value_changed (GtkAdjustment *adjustment,
                             PsPageGrid    *self)
{
  ps_page_grid_invalidate (self);
}

static void
set_adjustment (PsPageGrid     *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed, self);
      g_object_unref (*slot);
    }
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_adjustment_value_changed), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* ---- lifecycle ---- */

static void
on_dark_changed (PsPageGrid *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ps_page_grid_unmap (GtkWidget *widget)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  /* nothing to keep up to date while not shown: drawn whole when mapped */
  ps_page_grid_stop_updates (self);
  self->stale = TRUE;
  GTK_WIDGET_CLASS (ps_page_grid_parent_class)->unmap (widget);
}

static void
ps_page_grid_dispose (GObject *object)
{
  PsPageGrid *self = PS_PAGE_GRID (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  ps_page_grid_free_picture (self);
  g_clear_pointer (&self->frame, ps_frame_unref);
  G_OBJECT_CLASS (ps_page_grid_parent_class)->dispose (object);
}

static void
ps_page_grid_finalize (GObject *object)
{
  PsPageGrid *self = PS_PAGE_GRID (object);

  g_free (self->marks);
  g_free (self->highlights);
  G_OBJECT_CLASS (ps_page_grid_parent_class)->finalize (object);
}

static void
ps_page_grid_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PsPageGrid *self = PS_PAGE_GRID (object);

  switch (prop_id)
    {
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_FADE_TIME: g_value_set_uint (value, self->fade_ms); break;
    case PROP_CELL_SIZE: g_value_set_uint (value, self->cell); break;
    case PROP_RUN: g_value_set_uint64 (value, self->run); break;
    case PROP_FIT: g_value_set_boolean (value, self->fit); break;
    case PROP_CURSOR: g_value_set_uint64 (value, self->cursor); break;
    case PROP_FRAME: g_value_set_boxed (value, self->frame); break;
    case PROP_HADJUSTMENT: g_value_set_object (value, self->hadjustment); break;
    case PROP_VADJUSTMENT: g_value_set_object (value, self->vadjustment); break;
    case PROP_HSCROLL_POLICY: g_value_set_enum (value, self->hscroll_policy); break;
    case PROP_VSCROLL_POLICY: g_value_set_enum (value, self->vscroll_policy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_page_grid_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PsPageGrid *self = PS_PAGE_GRID (object);

  switch (prop_id)
    {
    case PROP_MODE:
      ps_page_grid_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_FADE_TIME:
      ps_page_grid_set_fade_time (self, g_value_get_uint (value));
      break;
    case PROP_CELL_SIZE:
      ps_page_grid_set_cell_size (self, g_value_get_uint (value));
      break;
    case PROP_RUN:
      ps_page_grid_set_run (self, g_value_get_uint64 (value));
      break;
    case PROP_FIT:
      ps_page_grid_set_fit (self, g_value_get_boolean (value));
      break;
    case PROP_CURSOR:
      ps_page_grid_set_cursor (self, g_value_get_uint64 (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_page_grid_class_init (PsPageGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_page_grid_dispose;
  object_class->finalize = ps_page_grid_finalize;
  object_class->get_property = ps_page_grid_get_property;
  object_class->set_property = ps_page_grid_set_property;

  widget_class->snapshot = ps_page_grid_snapshot;
  widget_class->measure = ps_page_grid_measure;
  widget_class->size_allocate = ps_page_grid_size_allocate;
  widget_class->unmap = ps_page_grid_unmap;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, PS_TYPE_GRID_MODE, PS_GRID_ACTIVITY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* milliseconds over which a changed page cools from hot to cold */
  properties[PROP_FADE_TIME] =
    g_param_spec_uint ("fade-time", NULL, NULL, PS_GRID_FADE_MS_MIN, PS_GRID_FADE_MS_MAX, PS_GRID_FADE_MS_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CELL_SIZE] =
    g_param_spec_uint ("cell-size", NULL, NULL, PS_GRID_MIN_CELL, PS_GRID_PRESENT_MAX_CELL, 8,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* pages a cell shows: above 1 only with 1-pixel cells */
  properties[PROP_RUN] =
    g_param_spec_uint64 ("run", NULL, NULL, 1, MAX_RUN, 1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE: the cell size is the largest with which the whole mapping shows;
   * setting a cell size turns it off */
  properties[PROP_FIT] =
    g_param_spec_boolean ("fit", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURSOR] =
    g_param_spec_uint64 ("cursor", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* the frame shown: the overview follows it */
  properties[PROP_FRAME] =
    g_param_spec_boxed ("frame", NULL, NULL, PS_TYPE_FRAME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* the highlights changed (ps_page_grid_get_highlights) */
  g_signal_new ("highlights-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  ps_page_grid_class_init_input (widget_class);

  gtk_widget_class_set_css_name (widget_class, "pagegrid");
  /* one picture; the pages are not child elements an AT could walk: the
   * description tells the page under the cursor */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ps_page_grid_init (PsPageGrid *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->cell = 8;
  self->fade_ms = PS_GRID_FADE_MS_DEFAULT;
  self->max_cell = PS_GRID_MAX_CELL;
  self->run = 1;
  self->stale = TRUE;
  self->picture = ps_grid_picture_new ();
  self->runs = ps_grid_runs_new ();
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (widget, "ps-page-grid");
  ps_page_grid_init_input (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Page grid"),
                                  -1);
  ps_page_grid_update_description (self);
}

/* ---- public API ----------------------------------------------------------- */

GtkWidget *
ps_page_grid_new (void)
{
  return g_object_new (PS_TYPE_PAGE_GRID, NULL);
}

void
ps_page_grid_set_frame (PsPageGrid *self,
                        PsFrame    *frame)
{
  guint64 old_pages;
  gboolean same_layout;

  g_return_if_fail (PS_IS_PAGE_GRID (self));

  if (frame == self->frame)
    return;
  old_pages = ps_page_grid_n_pages (self);
  same_layout = frame != NULL && self->frame != NULL &&
                ps_geometry_equal (&frame->geometry, &self->frame->geometry);
  /* a frame made by hand (tests) has no block summaries yet */
  if (frame != NULL && !frame->blocks_valid)
    ps_frame_summarize (frame, 0, frame->n_pages);
  if (frame != NULL)
    ps_frame_ref (frame);
  g_clear_pointer (&self->frame, ps_frame_unref);
  self->frame = frame;

  if (ps_page_grid_n_pages (self) != old_pages)
    {
      guint64 n = ps_page_grid_n_pages (self);

      if (self->cursor >= n && self->cursor > 0)
        ps_page_grid_set_cursor (self, n > 0 ? n - 1 : 0);
      ps_page_grid_select_range (self, self->sel_first, self->sel_n);
      ps_page_grid_configure (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  if (frame == NULL || !ps_geometry_equal (&frame->geometry, &self->described))
    ps_page_grid_update_description (self);
  if (!same_layout)
    ps_page_grid_invalidate (self);
  else
    ps_page_grid_frame_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME]);
}

PsFrame *
ps_page_grid_get_frame (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), NULL);
  return self->frame;
}

void
ps_page_grid_set_mode (PsPageGrid *self,
                       PsGridMode  mode)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));
  g_return_if_fail (mode <= PS_GRID_COW);

  if (mode == self->mode)
    return;
  self->mode = mode;
  ps_page_grid_update_description (self);
  ps_page_grid_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

PsGridMode
ps_page_grid_get_mode (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), PS_GRID_ACTIVITY);
  return self->mode;
}

void
ps_page_grid_set_fade_time (PsPageGrid *self,
                            guint       fade_ms)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));
  g_return_if_fail (fade_ms >= PS_GRID_FADE_MS_MIN && fade_ms <= PS_GRID_FADE_MS_MAX);

  if (fade_ms == self->fade_ms)
    return;
  self->fade_ms = fade_ms;
  ps_grid_runs_set_fade_ms (self->runs, fade_ms);
  ps_page_grid_update_description (self);
  /* every cell again: the warm ones were scheduled for the old steps */
  ps_page_grid_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FADE_TIME]);
}

guint
ps_page_grid_get_fade_time (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), PS_GRID_FADE_MS_DEFAULT);
  return self->fade_ms;
}

static void
zoom_to (PsPageGrid *self,
         guint       cell,
         guint64     run)
{
  ps_page_grid_set_fit (self, FALSE);
  if (cell == self->cell && run == self->run)
    return;
  keep_in_view (self);
  set_layout (self, cell, run);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  ps_page_grid_configure (self);
}

void
ps_page_grid_set_cell_size (PsPageGrid *self,
                            guint       cell_size)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  zoom_to (self, CLAMP (cell_size, PS_GRID_MIN_CELL, self->max_cell), 1);
}

void
ps_page_grid_set_max_cell (PsPageGrid *self,
                           guint       max_cell)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));
  g_return_if_fail (max_cell >= PS_GRID_MIN_CELL && max_cell <= PS_GRID_PRESENT_MAX_CELL);

  if (max_cell == self->max_cell)
    return;
  self->max_cell = max_cell;
  /* a fitted grid fits again, now with the new largest cell */
  if (self->cell > max_cell && !self->fit)
    zoom_to (self, max_cell, 1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  ps_page_grid_configure (self);
}

guint
ps_page_grid_get_cell_size (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), 0);
  return self->cell;
}

void
ps_page_grid_set_run (PsPageGrid *self,
                      guint64     pages_per_cell)
{
  guint64 run = 1;

  g_return_if_fail (PS_IS_PAGE_GRID (self));

  while (run < pages_per_cell && run < MAX_RUN)
    run *= 2;
  zoom_to (self, 1, run);
}

guint64
ps_page_grid_get_run (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), 1);
  return self->run;
}

/* The longest run worth zooming out to: the whole mapping fits. */
static guint64
widest_run (PsPageGrid *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->frame == NULL || width <= 0 || height <= 0)
    return 1;
  return fit_run (self, width, height);
}

gboolean
ps_page_grid_can_zoom (PsPageGrid *self,
                       int         direction)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);

  if (direction > 0)
    return self->run > 1 || self->cell < self->max_cell;
  return self->cell > PS_GRID_MIN_CELL || self->run < widest_run (self);
}

gboolean
ps_page_grid_zoom (PsPageGrid *self,
                   int         direction)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);

  if (!ps_page_grid_can_zoom (self, direction))
    return FALSE;
  if (direction > 0)
    zoom_to (self, self->run > 1 ? 1 : MIN (self->cell * 2, self->max_cell), MAX (self->run / 2, 1));
  else if (self->cell > PS_GRID_MIN_CELL)
    zoom_to (self, MAX (self->cell / 2, PS_GRID_MIN_CELL), 1);
  else
    zoom_to (self, 1, self->run * 2);
  return TRUE;
}

void
ps_page_grid_set_fit (PsPageGrid *self,
                      gboolean    fit)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  fit = !!fit;
  if (fit == self->fit)
    return;
  self->fit = fit;
  if (fit)
    ps_page_grid_configure (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
}

gboolean
ps_page_grid_get_fit (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);
  return self->fit;
}

guint64
ps_page_grid_get_cursor (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), 0);
  return self->cursor;
}

void
ps_page_grid_notify_cursor (PsPageGrid *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
}

void
ps_page_grid_set_cursor (PsPageGrid *self,
                         guint64     page)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  if (self->frame == NULL)
    {
      /* before the first frame: remember it, clamped when one comes */
      if (page != self->cursor)
        {
          self->cursor = page;
          ps_page_grid_notify_cursor (self);
        }
      return;
    }
  ps_page_grid_move_cursor_to (self, page, FALSE);
}

gboolean
ps_page_grid_get_selection (PsPageGrid *self,
                            guint64    *first_page,
                            guint64    *n_pages)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);

  if (first_page != NULL)
    *first_page = self->sel_first;
  if (n_pages != NULL)
    *n_pages = self->sel_n;
  return self->sel_n > 0;
}

void
ps_page_grid_set_selection (PsPageGrid *self,
                            guint64     first_page,
                            guint64     n_pages)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  self->anchor = first_page;
  ps_page_grid_select_range (self, first_page, n_pages);
}

void
ps_page_grid_clear_selection (PsPageGrid *self)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  self->anchor = self->cursor;
  ps_page_grid_select_range (self, 0, 0);
}

void
ps_page_grid_set_marks (PsPageGrid   *self,
                        const guint8 *marks,
                        guint64       n_pages)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  /* a sweep repaints its marks ten times a second: the buffer is reused,
   * as a fresh one costs a page fault a page */
  if (marks != NULL && n_pages > 0 && self->marks != NULL && self->n_marks == n_pages)
    memcpy (self->marks, marks, n_pages);
  else
    {
      g_clear_pointer (&self->marks, g_free);
      self->n_marks = 0;
      if (marks != NULL && n_pages > 0)
        {
          self->marks = g_memdup2 (marks, n_pages);
          self->n_marks = n_pages;
        }
    }
  ps_page_grid_configure (self);
}

void
ps_page_grid_set_highlights (PsPageGrid        *self,
                             const PsHighlight *ranges,
                             guint              n_ranges)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));
  g_return_if_fail (ranges != NULL || n_ranges == 0);

  g_clear_pointer (&self->highlights, g_free);
  self->n_highlights = 0;
  if (n_ranges > 0)
    {
      self->highlights = g_memdup2 (ranges, (gsize) n_ranges * sizeof *ranges);
      self->n_highlights = n_ranges;
    }
  ps_page_grid_invalidate (self);
  g_signal_emit_by_name (self, "highlights-changed");
}

const PsHighlight *
ps_page_grid_get_highlights (PsPageGrid *self,
                             guint      *n_ranges)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), NULL);

  if (n_ranges != NULL)
    *n_ranges = self->n_highlights;
  return self->highlights;
}

void
ps_page_grid_scroll_to_page (PsPageGrid *self,
                             guint64     page)
{
  double height, row;

  g_return_if_fail (PS_IS_PAGE_GRID (self));

  if (self->frame == NULL || self->columns == 0 || self->vadjustment == NULL)
    return;
  height = gtk_widget_get_height (GTK_WIDGET (self));
  row = (double) (ps_page_grid_cell_of_page (self, MIN (page, self->frame->n_pages)) / self->columns);
  gtk_adjustment_set_value (self->vadjustment, row * self->cell + self->cell / 2.0 - height / 2);
}

gboolean
ps_page_grid_get_visible_pages (PsPageGrid *self,
                                guint64    *first,
                                guint64    *n)
{
  double value, height;
  guint64 c0, c1, n_pages;

  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);

  if (self->frame == NULL || self->columns == 0 || self->frame->n_pages == 0)
    return FALSE;
  value = ps_page_grid_scroll_value (self);
  height = gtk_widget_get_height (GTK_WIDGET (self));
  n_pages = self->frame->n_pages;
  c0 = (guint64) (value / self->cell) * self->columns;
  c1 = ((guint64) ((value + MAX (height, 1) - 1) / self->cell) + 1) * self->columns;
  *first = MIN (c0 * self->run, n_pages - 1);
  *n = MIN (c1 * self->run, n_pages) - *first;
  return TRUE;
}

/* ---- for tests (ps-page-grid-private.h) ------------------------------------ */

guint
ps_page_grid_get_snapshot_count (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), 0);
  return self->n_snapshots;
}

guint64
ps_page_grid_get_upload_count (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), 0);
  return ps_grid_picture_get_uploads (self->picture);
}
