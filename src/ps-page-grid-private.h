/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PsPageGrid's insides, shared by its files (the widget and its layout,
 * drawing, input, accessibility), and its test hooks. Not for the app. */

#include "ps-grid-picture.h"
#include "ps-grid-runs.h"
#include "ps-page-grid.h"

G_BEGIN_DECLS

struct _PsPageGrid
{
  GtkWidget       parent_instance;

  PsFrame        *frame;
  PsGridMode      mode;
  guint           fade_ms;          /* a change cools over this */
  guint           cell;             /* pixels */
  guint           max_cell;         /* the largest zooming and fitting give */
  guint64         run;              /* pages a cell shows: > 1 only with 1-pixel cells */
  guint8         *marks;            /* copied; padded to the frame's n_pages + 1 */
  guint64         n_marks;
  PsHighlight    *highlights;
  guint           n_highlights;

  guint64         cursor;           /* a page; in a run, the run's first page */
  guint64         anchor;           /* the selection's fixed end */
  guint64         sel_first;
  guint64         sel_n;            /* 0: no selection */

  GtkAdjustment  *hadjustment;
  GtkAdjustment  *vadjustment;
  guint           hscroll_policy : 1;
  guint           vscroll_policy : 1;

  /* the layout */
  gboolean        fit;              /* the cell size follows the widget's size */
  guint           columns;
  gboolean        keep_pending;     /* after a zoom or a new width: scroll keep_page into view */
  gboolean        keep_at_top;      /* ...to the top rather than just into view */
  guint64         keep_page;

  /* the picture: the cells on screen as last painted */
  PsGridPicture  *picture;
  PsGridRuns     *runs;             /* what the runs on screen hold (run > 1) */
  guint32        *cells;            /* the colour each cell was painted with */
  guint32        *tints;            /* each cell's highlight, 0: none */
  guint8         *cell_marks;       /* run > 1: the probe mark shown in each cell */
  gsize           n_cells;
  guint           pic_columns;      /* the layout the picture was drawn for */
  guint64         pic_first_row;
  guint           pic_cell;         /* device pixels */
  guint           pic_y_off;
  gboolean        stale;            /* the picture must be drawn again whole */
  gint64          updated_us;       /* when the cells were last brought up to date */
  gint64          fade_due_us;      /* the next fade step of a cell on screen; 0: none */
  gboolean        frame_pending;    /* a frame came that the cells do not show yet */
  guint           update_id;        /* the timeout of the next update */
  guint           n_snapshots;      /* for tests */

  /* dragging */
  double          drag_x;
  double          drag_y;
  guint64         drag_page;
  gboolean        drag_valid;
  gboolean        dragging;

  PsGeometry      described;        /* the geometry the accessible description tells */
  GtkWidget      *menu;             /* the context menu */
};

/* ---- layout (ps-page-grid.c) ---- */

guint64  ps_page_grid_n_pages         (PsPageGrid *self);
/* Cells that show pages; the guard cell comes after them. */
guint64  ps_page_grid_n_data_cells    (PsPageGrid *self);
guint64  ps_page_grid_cell_of_page    (PsPageGrid *self,
                                       guint64     page);
double   ps_page_grid_scroll_value    (PsPageGrid *self);
void     ps_page_grid_scroll_to_cell  (PsPageGrid *self,
                                       guint64     cell,
                                       gboolean    to_top);
void     ps_page_grid_configure       (PsPageGrid *self);
void     ps_page_grid_invalidate      (PsPageGrid *self);

/* ---- drawing (ps-page-grid-draw.c) ---- */

void     ps_page_grid_frame_changed   (PsPageGrid *self);
void     ps_page_grid_snapshot        (GtkWidget   *widget,
                                       GtkSnapshot *snapshot);
void     ps_page_grid_stop_updates    (PsPageGrid *self);
void     ps_page_grid_free_picture    (PsPageGrid *self);

/* ---- input (ps-page-grid-input.c) ---- */

void     ps_page_grid_class_init_input (GtkWidgetClass *widget_class);
void     ps_page_grid_init_input       (PsPageGrid     *self);
void     ps_page_grid_select_range     (PsPageGrid     *self,
                                        guint64         first,
                                        guint64         n);
void     ps_page_grid_move_cursor_to   (PsPageGrid     *self,
                                        guint64         page,
                                        gboolean        extend);
void     ps_page_grid_notify_cursor    (PsPageGrid     *self);

/* ---- accessibility and tooltips (ps-page-grid-a11y.c) ---- */

void     ps_page_grid_update_description (PsPageGrid *self);

/* ---- for tests ---- */

/* How many times the widget has been snapshot (drawn) so far. */
guint    ps_page_grid_get_snapshot_count (PsPageGrid *self);
/* Tile textures made so far: what was uploaded. */
guint64  ps_page_grid_get_upload_count   (PsPageGrid *self);

G_END_DECLS
