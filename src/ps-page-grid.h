/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-frame.h"
#include "ps-grid-palette.h"
#include "ps-grid-render.h"
#include "ps-highlight.h"

G_BEGIN_DECLS

#define PS_GRID_MIN_CELL 1
#define PS_GRID_MAX_CELL 32
/* presentation mode: a lesson's few pages fill the pane, seen from the back row */
#define PS_GRID_PRESENT_MAX_CELL 160

#define PS_TYPE_PAGE_GRID (ps_page_grid_get_type ())
G_DECLARE_FINAL_TYPE (PsPageGrid, ps_page_grid, PS, PAGE_GRID, GtkWidget)

GtkWidget  *ps_page_grid_new            (void);
void        ps_page_grid_set_frame      (PsPageGrid *self,
                                         PsFrame    *frame);
PsFrame    *ps_page_grid_get_frame      (PsPageGrid *self);
void        ps_page_grid_set_mode       (PsPageGrid *self,
                                         PsGridMode  mode);
PsGridMode  ps_page_grid_get_mode       (PsPageGrid *self);
/* Milliseconds over which a changed page cools from hot to cold, in
 * [PS_GRID_FADE_MS_MIN, PS_GRID_FADE_MS_MAX] (the "fade-time" property). */
void        ps_page_grid_set_fade_time  (PsPageGrid *self,
                                         guint       fade_ms);
guint       ps_page_grid_get_fade_time  (PsPageGrid *self);
/* One cell a page, cell_size pixels square. */
void        ps_page_grid_set_cell_size  (PsPageGrid *self,
                                         guint       cell_size);
guint       ps_page_grid_get_cell_size  (PsPageGrid *self);
/* The largest cell zooming and fitting give: PS_GRID_MAX_CELL, or up to
 * PS_GRID_PRESENT_MAX_CELL in presentation mode. */
void        ps_page_grid_set_max_cell   (PsPageGrid *self,
                                         guint       max_cell);
/* Below one pixel a page: a one-pixel cell shows a run of this many pages
 * (a power of two; 1: one cell a page). */
void        ps_page_grid_set_run        (PsPageGrid *self,
                                         guint64     pages_per_cell);
guint64     ps_page_grid_get_run        (PsPageGrid *self);
/* A zoom step: in (+1) halves the run of pages a cell holds, then doubles
 * the cell; out (-1) the other way, no further than the run with which the
 * whole mapping fits. TRUE if the zoom changed. */
gboolean    ps_page_grid_zoom           (PsPageGrid *self,
                                         int         direction);
gboolean    ps_page_grid_can_zoom       (PsPageGrid *self,
                                         int         direction);
/* Fit: the largest cell with which the whole mapping shows, or the
 * smallest run of pages a cell when even one pixel a page is too many,
 * following the widget's size and the page count; setting a cell size or
 * a run turns it off. */
void        ps_page_grid_set_fit        (PsPageGrid *self,
                                         gboolean    fit);
gboolean    ps_page_grid_get_fit        (PsPageGrid *self);
guint64     ps_page_grid_get_cursor     (PsPageGrid *self);
void        ps_page_grid_set_cursor     (PsPageGrid *self,
                                         guint64     page);
/* The selected page range (drag, shift+arrows); FALSE if none. */
gboolean    ps_page_grid_get_selection  (PsPageGrid *self,
                                         guint64    *first_page,
                                         guint64    *n_pages);
void        ps_page_grid_set_selection  (PsPageGrid *self,
                                         guint64     first_page,
                                         guint64     n_pages);
void        ps_page_grid_clear_selection (PsPageGrid *self);
/* Probe outcomes to paint over pages (PsProbeOutcome + 1 per page, 0 = none;
 * entry n_pages of the mapping is the guard page past it), or NULL to clear.
 * Copied. */
void        ps_page_grid_set_marks      (PsPageGrid   *self,
                                         const guint8 *marks,
                                         guint64       n_pages);
/* Byte ranges of the mapping to tint (marks, find hits), or NULL: the
 * cells of the pages a range covers, in runs and on the overview too.
 * Copied; a few thousand stay cheap. */
void        ps_page_grid_set_highlights (PsPageGrid        *self,
                                         const PsHighlight *ranges,
                                         guint              n_ranges);
const PsHighlight *ps_page_grid_get_highlights (PsPageGrid *self,
                                                guint      *n_ranges);

/* The pages whose cells are on screen (whole rows); FALSE without a frame
 * or a size. */
gboolean    ps_page_grid_get_visible_pages (PsPageGrid *self,
                                            guint64    *first,
                                            guint64    *n);
/* Scrolls so the row of the page's cell is in the middle. */
void        ps_page_grid_scroll_to_page (PsPageGrid *self,
                                         guint64     page);

/* The page under a point of the widget: TRUE for a page of the mapping or
 * the guard page after it (page == frame->n_pages); in a cell of a run of
 * pages, the run's first page. */
gboolean    ps_page_grid_page_at        (PsPageGrid *self,
                                         double      x,
                                         double      y,
                                         guint64    *page);
/* Where the cell of a page lies in widget coordinates (it may be scrolled
 * out of view); FALSE before the grid has a frame and a size. */
gboolean    ps_page_grid_get_page_area  (PsPageGrid     *self,
                                         guint64         page,
                                         GdkRectangle   *area);
/* The hover tooltip's text for the cell of a page (translated): the page,
 * or the run of pages the cell shows. */
char       *ps_page_grid_describe_page  (PsPageGrid *self,
                                         guint64     page);

G_END_DECLS
