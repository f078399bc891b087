/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PsHexView's insides, shared by its files (the widget and its scrolling,
 * drawing, input, accessibility), and its test hooks. Not for the app. */

#include <math.h>

#include "ps-hex-rows.h"
#include "ps-hex-view.h"

G_BEGIN_DECLS

#define PS_HEX_PAD_X           8      /* pixels left and right of the text */
#define PS_HEX_ROW_PAD         2      /* pixels added to the line height */

/* One row's text, laid out and rendered, kept while its bytes stay. */
typedef struct
{
  guint64        row;                          /* G_MAXUINT64: empty */
  guint8         bytes[PS_HEX_MAX_BYTES_PER_ROW];
  guint8         kinds[PS_HEX_MAX_BYTES_PER_ROW];
  PangoLayout   *layout;
  GskRenderNode *node;                         /* the layout rendered at (0, 0) */
} PsHexSlot;

typedef struct
{
  GdkRGBA fg;
  GdkRGBA accent;
  GdkRGBA glow;                                /* alpha: the strongest glow */
  GdkRGBA selection;
  GdkRGBA hole;
  GdkRGBA hatch;
  GdkRGBA cursor_unfocused;
} PsHexColors;

struct _PsHexView
{
  GtkWidget      parent_instance;

  PsSource      *source;
  PsFrame       *frame;
  PsHexReadFunc  reader;                       /* instead of a source: a replay's bytes */
  gpointer       reader_data;
  GDestroyNotify reader_destroy;
  guint64        length;                       /* bytes of the mapping */
  guint64        page_size;
  guint64        n_rows;
  guint          bytes_per_row;                /* a multiple of 8 */
  guint          n_digits;                     /* of the offset column */
  gboolean       shmem;

  GtkAdjustment *hadjustment;
  GtkAdjustment *vadjustment;
  guint          hscroll_policy : 1;
  guint          vscroll_policy : 1;

  /* metrics, from the font */
  gboolean       metrics_valid;
  PangoFontDescription *style_font;           /* the style's, to notice a change */
  PangoFontDescription *font;                 /* the one drawn with: monospace */
  double         char_w;
  int            row_h;
  gboolean       have_middot;
  gboolean       colors_valid;
  PsHexColors    colors;

  /* what is on screen */
  guint64        first_row;
  int            frac_px;                      /* the first row is scrolled up by this */
  guint          n_draw;                       /* rows drawn, the last maybe partly */
  guint64        range_offset;
  guint64        range_length;

  /* the bytes of the rows drawn */
  gboolean       data_dirty;
  PsHexRows      rows;

  PsHexSlot     *slots;
  guint          n_slots;

  /* byte ranges tinted, sorted by offset */
  PsHighlight   *highlights;
  guint          n_highlights;
  guint64        highlight_span;               /* the longest range: how far back one can start */

  /* cursor and selection: the selection runs from anchor to cursor */
  guint64        cursor;
  guint64        anchor;
  gboolean       has_selection;
  gboolean       pending_center;

  guint          update_id;                    /* timeout: a glow step, or a frame held back */
  gboolean       frame_held;                   /* a frame waits for update_id, not read yet */
  gint64         shown_us;                     /* when the screen was last brought up to date */
  guint          n_snapshots;                  /* for tests */
  double         drag_x;
  double         drag_y;
  GtkWidget     *menu;
};

/* ---- a row's geometry, in character columns and pixels ---- */

/* The offset, two spaces, each byte in hex with a space after it and one
 * more after each group of 8 (two before the ASCII), then the ASCII. */
static inline guint
ps_hex_view_hex_col (PsHexView *self,
                     guint      i)
{
  return self->n_digits + 2 + 3 * i + i / 8;
}

static inline guint
ps_hex_view_ascii_col (PsHexView *self,
                       guint      i)
{
  return self->n_digits + 2 + 3 * self->bytes_per_row + self->bytes_per_row / 8 + i;
}

/* The columns of a whole row. */
static inline guint
ps_hex_view_row_chars (PsHexView *self)
{
  return ps_hex_view_ascii_col (self, self->bytes_per_row);
}

static inline double
ps_hex_view_origin_x (PsHexView *self)
{
  return PS_HEX_PAD_X - (self->hadjustment ? round (gtk_adjustment_get_value (self->hadjustment)) : 0);
}

static inline double
ps_hex_view_col_x (PsHexView *self,
                   double     col)
{
  return ps_hex_view_origin_x (self) + col * self->char_w;
}

static inline double
ps_hex_view_row_y (PsHexView *self,
                   guint      i)
{
  return (double) i * self->row_h - self->frac_px;
}

/* ---- the widget (ps-hex-view.c) ---- */

/* A source or a reader gives the view bytes to show. */
static inline gboolean
ps_hex_view_has_bytes (PsHexView *self)
{
  return self->source != NULL || self->reader != NULL;
}
/* Bytes [offset, offset + len) as they read now (zeros where they do not),
 * for copying and for the cursor's description. */
void     ps_hex_view_read_bytes      (PsHexView *self,
                                      guint64    offset,
                                      guint8    *data,
                                      gsize      len,
                                      guint8    *kind);

/* The frame, if it is of this source's mapping. */
PsFrame *ps_hex_view_usable_frame    (PsHexView *self);
void     ps_hex_view_ensure_data     (PsHexView *self);
void     ps_hex_view_refresh_data    (PsHexView *self);
double   ps_hex_view_page_rows       (PsHexView *self);
void     ps_hex_view_set_row_value   (PsHexView *self,
                                      double     value);
void     ps_hex_view_scroll_to_row   (PsHexView *self,
                                      guint64    row);

/* ---- drawing (ps-hex-view-draw.c) ---- */

void     ps_hex_view_ensure_metrics  (PsHexView *self);
void     ps_hex_view_invalidate_metrics (PsHexView *self);
void     ps_hex_view_restyle         (PsHexView *self);
void     ps_hex_view_clear_slots     (PsHexView *self);
void     ps_hex_view_snapshot        (GtkWidget   *widget,
                                      GtkSnapshot *snapshot);
graphene_rect_t ps_hex_view_cell_rect (PsHexView *self,
                                       guint      screen_row,
                                       guint      i,
                                       gboolean   ascii);
/* A frame came: redraw when the screen changes, no sooner than the fade
 * frame rate allows. */
void     ps_hex_view_frame_changed   (PsHexView *self);
void     ps_hex_view_stop_updates    (PsHexView *self);

/* ---- input (ps-hex-view-input.c) ---- */

void     ps_hex_view_class_init_input (GtkWidgetClass *widget_class);
void     ps_hex_view_init_input       (PsHexView      *self);
void     ps_hex_view_update_actions   (PsHexView      *self);
/* Which byte is at (x, y) of the widget; ascii: whether in the ASCII column. */
gboolean ps_hex_view_byte_at          (PsHexView      *self,
                                       double          x,
                                       double          y,
                                       guint64        *offset,
                                       gboolean       *ascii);

/* ---- accessibility and tooltips (ps-hex-view-a11y.c) ---- */

void     ps_hex_view_update_accessible (PsHexView *self);
gboolean ps_hex_view_query_tooltip     (GtkWidget  *widget,
                                        int         x,
                                        int         y,
                                        gboolean    keyboard_mode,
                                        GtkTooltip *tooltip);
/* The tooltip's text for the byte at offset, which must be on screen. */
char    *ps_hex_view_tooltip_text      (PsHexView  *self,
                                        guint64     offset);

/* ---- for tests ---- */

/* How many times the widget has been snapshot (drawn) so far. */
guint         ps_hex_view_get_snapshot_count (PsHexView *self);
/* The byte as shown now (FALSE if it is not on screen), what it shows, how
 * strongly it glows (0..1), and where its cell is in the widget. */
gboolean      ps_hex_view_get_byte       (PsHexView       *self,
                                          guint64          offset,
                                          guint8          *value);
PsHexByteKind ps_hex_view_get_byte_kind  (PsHexView       *self,
                                          guint64          offset);
double        ps_hex_view_get_glow       (PsHexView       *self,
                                          guint64          offset);
gboolean      ps_hex_view_get_byte_rect  (PsHexView       *self,
                                          guint64          offset,
                                          gboolean         ascii,
                                          graphene_rect_t *rect);

G_END_DECLS
