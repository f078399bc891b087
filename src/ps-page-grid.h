/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-frame.h"

G_BEGIN_DECLS

typedef enum
{
  PS_GRID_ACTIVITY,    /* heat: a page flashes when it changes and fades over ~3 s */
  PS_GRID_CONTENT,     /* zero / text / binary / high entropy */
  PS_GRID_RESIDENCY,   /* resident / absent / unknown / past EOF */
  PS_GRID_COW,         /* private copies of a MAP_PRIVATE mapping */
} PsGridMode;

#define PS_GRID_MIN_CELL 1
#define PS_GRID_MAX_CELL 32

#define PS_TYPE_GRID_MODE (ps_grid_mode_get_type ())
GType ps_grid_mode_get_type (void) G_GNUC_CONST;

/* How a legend draws a swatch. */
typedef enum
{
  PS_GRID_SWATCH_FILL,
  PS_GRID_SWATCH_HATCHED,   /* past EOF, past the mapping */
  PS_GRID_SWATCH_LINE,      /* the EOF and end-of-mapping boundary lines */
} PsGridSwatch;

/* One colour of a mode and what it means: the same colours the grid draws. */
typedef struct
{
  guint32       color;      /* premultiplied 0xAARRGGBB, as ps_page_grid_render writes */
  guint32       hatch;      /* PS_GRID_SWATCH_HATCHED: the hatching's colour */
  PsGridSwatch  swatch;
  const char   *label;      /* untranslated (N_): show it with _() */
} PsGridLegendEntry;

#define PS_TYPE_PAGE_GRID (ps_page_grid_get_type ())
G_DECLARE_FINAL_TYPE (PsPageGrid, ps_page_grid, PS, PAGE_GRID, GtkWidget)

GtkWidget  *ps_page_grid_new            (void);
void        ps_page_grid_set_frame      (PsPageGrid *self,
                                         PsFrame    *frame);
PsFrame    *ps_page_grid_get_frame      (PsPageGrid *self);
void        ps_page_grid_set_mode       (PsPageGrid *self,
                                         PsGridMode  mode);
PsGridMode  ps_page_grid_get_mode       (PsPageGrid *self);
void        ps_page_grid_set_cell_size  (PsPageGrid *self,
                                         guint       cell_size);
guint       ps_page_grid_get_cell_size  (PsPageGrid *self);
/* Fit: the largest cell with which the whole mapping shows, following the
 * widget's size and the page count; ps_page_grid_set_cell_size turns it off. */
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

/* The page under a point of the widget: TRUE for a page of the mapping or
 * the guard page after it (page == frame->n_pages). */
gboolean    ps_page_grid_page_at        (PsPageGrid *self,
                                         double      x,
                                         double      y,
                                         guint64    *page);
/* Where the page's cell lies in widget coordinates (it may be scrolled out of
 * view); FALSE before the grid has a frame and a size. */
gboolean    ps_page_grid_get_page_area  (PsPageGrid     *self,
                                         guint64         page,
                                         GdkRectangle   *area);
/* The hover tooltip's text for a page (translated). */
char       *ps_page_grid_describe_page  (PsPageGrid *self,
                                         guint64     page);

/* The cell colour of every page in rows [first_row, first_row + n_rows) of a
 * grid `columns` wide, one cell per page, cell x cell pixels, into pixels
 * (premultiplied B8G8R8A8 words, row stride in bytes). Writes columns * cell
 * pixels of each of n_rows * cell pixel rows. Cell n_pages is the guard page
 * past the mapping; later cells are transparent, and so are the 1-pixel gaps
 * between cells of 6 pixels or more. marks: NULL or frame->n_pages + 1
 * entries. Pure: for the widget, the benchmark and the tests. */
void        ps_page_grid_render         (const PsFrame *frame,
                                         PsGridMode     mode,
                                         gint64         now_us,
                                         const guint8  *marks,
                                         guint          columns,
                                         guint64        first_row,
                                         guint          n_rows,
                                         guint          cell,
                                         guint32       *pixels,
                                         gsize          stride);
/* The colour the render gives one page (for legends and tests): the fill
 * of its cell without marks or hatching. page may be the guard (n_pages). */
guint32     ps_page_grid_page_color     (const PsFrame *frame,
                                         PsGridMode     mode,
                                         gint64         now_us,
                                         guint64        page);
/* The colours of a mode, for the legend. */
const PsGridLegendEntry *ps_page_grid_mode_legend (PsGridMode  mode,
                                                   guint      *n_entries);
/* One line on how to read a mode (translated). */
const char *ps_page_grid_mode_hint      (PsGridMode mode);

const char *ps_grid_mode_to_string      (PsGridMode mode);
gboolean    ps_grid_mode_from_string    (const char *text,
                                         PsGridMode *mode);

G_END_DECLS
