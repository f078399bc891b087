/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsHexView: offsets, hex and ASCII of a mapping, one screen at a time.
 *
 * The vertical adjustment counts rows of PS_HEX_BYTES_PER_ROW bytes, not
 * pixels, so a 16 GiB object (1 Gi rows) scrolls like a small one. Only the
 * rows on screen are read and laid out: each row has a slot (keyed by row
 * number modulo the slot count, so scrolling by a row keeps the others) with
 * one PangoLayout and the text node it renders to, rebuilt only when the
 * row's bytes or their kinds change. A frame then costs a few colour nodes
 * per row (glow, selection, cursor) plus the cached text nodes.
 *
 * A frame is compared with what is on screen: it queues a redraw only if a
 * byte, its kind or its glow step changed. The glow fades in GLOW_LEVELS
 * steps, each shown when it comes (a timeout, not a tick every frame), and
 * the view changes at most as many times a second as the budget's fade
 * frame rate allows.
 *
 * Bytes come from the scanner's focus window when it covers a row (it follows
 * what is on screen), otherwise from ps_source_peek, which never reads a shmem
 * hole nor a page past EOF. The view never touches the mapping itself. */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>   /* PRIu64 in translatable strings: xgettext knows it, not G_GUINT64_FORMAT */
#include <math.h>
#include <string.h>

#include "ps-budget.h"
#include "ps-bytes.h"
#include "ps-hex-view-private.h"

#define ROW             PS_HEX_BYTES_PER_ROW
#define ROW_CHARS_FIXED 68                     /* a row is n_digits + this many columns */
#define PAD_X           8                      /* pixels left and right of the text */
#define ROW_PAD         2                      /* pixels added to the line height */
#define HEIGHT_CAP      (1 << 20)              /* natural height: enough to say "scroll" */
#define WHEEL_ROWS      3
#define GLOW_US         (3 * G_USEC_PER_SEC)   /* a changed byte fades over this */
#define GLOW_LEVELS     8                      /* alpha steps: a glowing byte is drawn again this often */
#define COPY_MAX        (16 * 1024 * 1024)
#define DIM_OFFSET      0x9000                 /* pango alpha of the offset column */
#define DIM_BYTES       0x5800                 /* ... of bytes that read as zero or cannot be read */
#define NO_ROW          G_MAXUINT64

typedef struct
{
  guint64        row;                          /* NO_ROW: empty */
  guint8         bytes[ROW];
  guint8         kinds[ROW];
  PangoLayout   *layout;
  GskRenderNode *node;                         /* the layout rendered at (0, 0) */
} Slot;

typedef struct
{
  GdkRGBA fg;
  GdkRGBA accent;
  GdkRGBA glow;                                /* alpha: the strongest glow */
  GdkRGBA selection;
  GdkRGBA hole;
  GdkRGBA hatch;
  GdkRGBA cursor_unfocused;
} Colors;

struct _PsHexView
{
  GtkWidget      parent_instance;

  PsSource      *source;
  PsFrame       *frame;
  guint64        length;                       /* bytes of the mapping */
  guint64        page_size;
  guint64        n_rows;
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
  Colors         colors;

  /* what is on screen */
  guint64        first_row;
  int            frac_px;                      /* the first row is scrolled up by this */
  guint          n_draw;                       /* rows drawn, the last maybe partly */
  guint64        range_offset;
  guint64        range_length;

  /* the bytes of the rows drawn */
  gboolean       data_dirty;
  guint          data_rows;                    /* capacity */
  guint8        *bytes;
  guint8        *kinds;                        /* PsHexByteKind */
  gint64        *change_us;                    /* monotonic; 0 never; -1 not watched */

  Slot          *slots;
  guint          n_slots;

  /* cursor and selection: the selection runs from anchor to cursor */
  guint64        cursor;
  guint64        anchor;
  gboolean       has_selection;
  gboolean       pending_center;

  guint          update_id;                    /* timeout: a glow step, or a frame held back */
  gint64         shown_us;                     /* when the screen was last brought up to date */
  guint          n_snapshots;                  /* for tests */
  double         drag_x;
  double         drag_y;
  GtkWidget     *menu;
};

static void ps_hex_view_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsHexView, ps_hex_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, ps_hex_view_scrollable_init))

enum
{
  PROP_0,
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

enum
{
  VISIBLE_RANGE_CHANGED,
  SIGNAL_CURSOR_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  MOVE_BYTES,
  MOVE_ROWS,
  MOVE_PAGES,
  MOVE_ROW_EDGE,
  MOVE_DOC_EDGE,
} MoveKind;

static void update_view (PsHexView *self);

/* ---- geometry of a row, in character columns and pixels ----------------- */

static inline guint
hex_col (PsHexView *self,
         guint      i)
{
  return self->n_digits + 2 + 3 * i + (i >= 8);
}

static inline guint
ascii_col (PsHexView *self,
           guint      i)
{
  return self->n_digits + 2 + 50 + i;
}

static double
origin_x (PsHexView *self)
{
  return PAD_X - (self->hadjustment ? round (gtk_adjustment_get_value (self->hadjustment)) : 0);
}

static inline double
col_x (PsHexView *self,
       double     col)
{
  return origin_x (self) + col * self->char_w;
}

static inline double
row_y (PsHexView *self,
       guint      i)
{
  return (double) i * self->row_h - self->frac_px;
}

static int
content_width (PsHexView *self)
{
  return (int) ceil (2 * PAD_X + (self->n_digits + ROW_CHARS_FIXED) * self->char_w);
}

/* ---- metrics and colours -------------------------------------------------- */

static void
clear_slots (PsHexView *self)
{
  for (guint i = 0; i < self->n_slots; i++)
    {
      g_clear_object (&self->slots[i].layout);
      g_clear_pointer (&self->slots[i].node, gsk_render_node_unref);
    }
  g_clear_pointer (&self->slots, g_free);
  self->n_slots = 0;
}

static int
text_width (PangoLayout *layout,
            const char  *text)
{
  int w;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, NULL);
  return w;
}

/* The style's font (the "ps-hex" class asks for monospace), unless it is not
 * monospace after all: the columns need one width for every character. */
static PangoFontDescription *
monospace_font (PsHexView *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (context));
  g_autoptr(PangoLayout) layout = pango_layout_new (context);

  pango_layout_set_font_description (layout, font);
  if (text_width (layout, "iiiiiiii") != text_width (layout, "MMMMMMMM"))
    pango_font_description_set_family (font, "monospace");
  return font;
}

static void
ensure_metrics (PsHexView *self)
{
  g_autoptr(PangoLayout) layout = NULL;
  int w, h;

  if (self->metrics_valid)
    return;
  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = monospace_font (self);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "0000000000000000000000000000000000000000000000000000000000000000");
  pango_layout_set_font_description (layout, self->font);
  pango_layout_get_size (layout, &w, &h);
  self->char_w = MAX ((double) w / PANGO_SCALE / 64, 1);
  self->row_h = MAX ((int) ceil ((double) h / PANGO_SCALE), 1) + ROW_PAD;

  /* a font without "·" falls back to another whose width would break the columns */
  pango_layout_set_text (layout, "\xc2\xb7\xc2\xb7", -1);
  pango_layout_get_size (layout, &w, NULL);
  self->have_middot = fabs ((double) w / PANGO_SCALE - 2 * self->char_w) < 0.5;
  self->metrics_valid = TRUE;
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            double         alpha)
{
  return (GdkRGBA) { color->red, color->green, color->blue, alpha };
}

static void
ensure_colors (PsHexView *self)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  Colors *c = &self->colors;
  gboolean dark;

  if (self->colors_valid)
    return;
  gtk_style_context_get_color (context, &c->fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &c->accent))
    gdk_rgba_parse (&c->accent, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS

  dark = 0.2126 * c->fg.red + 0.7152 * c->fg.green + 0.0722 * c->fg.blue > 0.5;
  /* libadwaita's yellow 3 under dark text, yellow 5 (dimmer) under light text */
  c->glow = dark ? (GdkRGBA) { 0.898, 0.647, 0.039, 0.60 } : (GdkRGBA) { 0.965, 0.827, 0.176, 0.90 };
  c->selection = with_alpha (&c->accent, 0.30);
  c->hole = with_alpha (&c->fg, 0.06);
  c->hatch = with_alpha (&c->fg, 0.16);
  c->cursor_unfocused = with_alpha (&c->fg, 0.45);
  self->colors_valid = TRUE;
}

/* ---- the bytes of the rows on screen ------------------------------------- */

static PsFrame *
usable_frame (PsHexView *self)
{
  PsFrame *frame = self->frame;

  /* a frame of another source (or mapping) says nothing about this one */
  if (frame == NULL || frame->geometry.page_size != self->page_size || frame->geometry.length != self->length)
    return NULL;
  return frame;
}

static const PsGeometry *
current_geometry (PsHexView *self)
{
  PsFrame *frame = usable_frame (self);

  return frame != NULL ? &frame->geometry : ps_source_get_geometry (self->source);
}

static gboolean
row_in_focus (PsFrame *frame,
              guint64  offset,
              guint64  length)
{
  return frame != NULL && frame->focus_length > 0 && offset >= frame->focus_offset &&
         offset + length <= frame->focus_offset + frame->focus_length &&
         ps_frame_focus_has (frame, offset);
}

static void
ensure_capacity (PsHexView *self,
                 guint      rows)
{
  if (rows <= self->data_rows)
    return;
  self->data_rows = rows;
  self->bytes = g_realloc_n (self->bytes, rows, ROW);
  self->kinds = g_realloc_n (self->kinds, rows, ROW);
  self->change_us = g_realloc_n (self->change_us, (gsize) rows * ROW, sizeof (gint64));
}

/* The kind of the bytes of a row that lies within one page. */
static PsHexByteKind
row_kind (PsHexView        *self,
          const PsGeometry *g,
          guint64           page,
          gboolean          from_focus,
          gboolean          peek_valid)
{
  PsFrame *frame = usable_frame (self);

  if (page >= g->n_inside)
    return PS_HEX_BYTE_PAST_EOF;
  if (from_focus)
    return self->shmem && ps_frame_page_state (frame, page) == PS_PAGE_ABSENT
           ? PS_HEX_BYTE_NOT_ALLOCATED : PS_HEX_BYTE_DATA;
  if (peek_valid)
    return PS_HEX_BYTE_DATA;
  return self->shmem ? PS_HEX_BYTE_NOT_ALLOCATED : PS_HEX_BYTE_UNREADABLE;
}

static void
fill_row (PsHexView        *self,
          const PsGeometry *g,
          guint             i,
          const guint8     *peeked,
          const guint8     *valid)
{
  PsFrame *frame = usable_frame (self);
  guint64 first = self->first_row * ROW;
  guint64 offset = (self->first_row + i) * ROW;
  guint64 len = MIN (ROW, self->length - offset);
  guint64 page = offset / self->page_size;
  gboolean focus = row_in_focus (frame, offset, len);
  gboolean peek_valid = !focus && peeked != NULL && valid[page - first / self->page_size];
  PsHexByteKind kind = row_kind (self, g, page, focus, peek_valid);

  for (guint b = 0; b < ROW; b++)
    {
      guint64 o = offset + b;
      gsize k = (gsize) i * ROW + b;
      PsHexByteKind byte_kind = kind;

      self->bytes[k] = 0;
      self->change_us[k] = -1;
      if (b >= len)
        {
          self->kinds[k] = PS_HEX_BYTE_OFF_SCREEN;
          continue;
        }
      if (kind == PS_HEX_BYTE_DATA && o >= g->data_length)
        byte_kind = PS_HEX_BYTE_ZERO_TAIL;
      self->kinds[k] = byte_kind;
      if (focus)
        {
          guint32 ms = frame->focus_change_ms[o - frame->focus_offset];

          self->bytes[k] = frame->focus_bytes[o - frame->focus_offset];
          self->change_us[k] = ms != 0 ? frame->epoch_us + (gint64) ms * 1000 : 0;
        }
      else if (peek_valid)
        self->bytes[k] = peeked[o - first];
    }
}

/* Reads the rows on screen: from the focus window where it covers them, the
 * rest with one ps_source_peek. */
static void
refresh_data (PsHexView *self)
{
  PsFrame *frame = usable_frame (self);
  const PsGeometry *g;
  guint64 offset, len;
  g_autofree guint8 *peeked = NULL;
  g_autofree guint8 *valid = NULL;

  self->data_dirty = FALSE;
  if (self->source == NULL || self->n_draw == 0)
    return;
  ensure_capacity (self, self->n_draw);
  g = current_geometry (self);
  offset = self->first_row * ROW;
  len = MIN ((guint64) self->n_draw * ROW, self->length - offset);

  for (guint i = 0; i < self->n_draw && peeked == NULL; i++)
    {
      guint64 o = offset + (guint64) i * ROW;

      if (o / self->page_size < g->n_inside && !row_in_focus (frame, o, MIN (ROW, self->length - o)))
        {
          peeked = g_malloc (len);
          valid = g_malloc0 ((offset + len - 1) / self->page_size - offset / self->page_size + 1);
          ps_source_peek (self->source, offset, peeked, len, valid);
        }
    }
  for (guint i = 0; i < self->n_draw; i++)
    fill_row (self, g, i, peeked, valid);
}

static void
ensure_data (PsHexView *self)
{
  if (self->data_dirty)
    refresh_data (self);
}

/* ---- glow ----------------------------------------------------------------- */

static int
glow_level (gint64 change_us,
            gint64 now)
{
  gint64 age;

  if (change_us <= 0)
    return 0;
  age = MAX (now - change_us, 0);
  if (age >= GLOW_US)
    return 0;
  return (int) ceil (GLOW_LEVELS * (1.0 - (double) age / GLOW_US));
}

/* When the byte's glow goes down a step (0: it does not glow). */
static gint64
next_glow_step (gint64 change_us,
                gint64 now)
{
  int level = glow_level (change_us, now);

  if (level == 0)
    return 0;
  /* level L lasts while age < GLOW_US * (GLOW_LEVELS - L + 1) / GLOW_LEVELS */
  return change_us + GLOW_US * (GLOW_LEVELS - level + 1) / GLOW_LEVELS;
}

static gint64
fade_period_us (void)
{
  return G_USEC_PER_SEC / MAX (ps_budget_get_fade_fps (ps_budget_get_default ()), 1);
}

static gboolean on_update_due (gpointer data);

/* The next look at the screen: when a byte on it goes down a glow step, or
 * (pending) when a frame was held back; never sooner than the fade frame
 * rate allows. */
static void
schedule_update (PsHexView *self,
                 gboolean   pending)
{
  gint64 now = g_get_monotonic_time ();
  gint64 due = pending ? now : 0;
  gint64 wait;

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (!pending && !self->data_dirty)
    for (gsize k = 0; k < (gsize) self->n_draw * ROW; k++)
      {
        gint64 step = next_glow_step (self->change_us[k], now);

        if (step != 0 && (due == 0 || step < due))
          due = step;
      }
  if (due == 0)
    return;
  due = MAX (due, self->shown_us + fade_period_us ());
  wait = MAX (due - now, 0);
  self->update_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((wait + 999) / 1000), on_update_due, self, NULL);
}

/* Reads the rows on screen again: TRUE if a byte, its kind or its glow step
 * differs from what was drawn. */
static gboolean
refresh_changes_screen (PsHexView *self)
{
  gsize n = (gsize) self->n_draw * ROW;
  gint64 now = g_get_monotonic_time ();
  g_autofree guint8 *bytes = NULL, *kinds = NULL;
  g_autofree guint8 *levels = NULL;
  gboolean changed = FALSE;

  if (self->data_dirty || n == 0)
    {
      refresh_data (self);
      return TRUE;
    }
  bytes = g_memdup2 (self->bytes, n);
  kinds = g_memdup2 (self->kinds, n);
  levels = g_new (guint8, n);
  for (gsize k = 0; k < n; k++)
    levels[k] = glow_level (self->change_us[k], now);
  refresh_data (self);
  changed = memcmp (bytes, self->bytes, n) != 0 || memcmp (kinds, self->kinds, n) != 0;
  for (gsize k = 0; k < n && !changed; k++)
    changed = levels[k] != glow_level (self->change_us[k], now);
  return changed;
}

static gboolean
on_update_due (gpointer data)
{
  PsHexView *self = data;

  self->update_id = 0;
  /* a glow step is due, or a frame waits: either way what is shown changes
   * only if the screen does */
  if (refresh_changes_screen (self))
    gtk_widget_queue_draw (GTK_WIDGET (self));
  else
    schedule_update (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
stop_updates (PsHexView *self)
{
  g_clear_handle_id (&self->update_id, g_source_remove);
}

/* ---- row text -------------------------------------------------------------- */

typedef struct
{
  char     text[256];
  gsize    len;
  guint    n_runs;
  struct { guint start, end; guint16 alpha; } runs[40];
} RowText;

static void
row_text_dim (RowText *t,
              gsize    start,
              guint16  alpha)
{
  /* runs a separator apart merge, so a dim row is one attribute, not sixteen */
  if (t->n_runs > 0 && t->runs[t->n_runs - 1].alpha == alpha && start - t->runs[t->n_runs - 1].end <= 2)
    {
      t->runs[t->n_runs - 1].end = t->len;
      return;
    }
  if (t->n_runs == G_N_ELEMENTS (t->runs))
    return;
  t->runs[t->n_runs].start = start;
  t->runs[t->n_runs].end = t->len;
  t->runs[t->n_runs].alpha = alpha;
  t->n_runs++;
}

static void
row_text_add (RowText    *t,
              const char *s,
              gboolean    dim)
{
  gsize start = t->len;
  gsize n = strlen (s);

  memcpy (t->text + t->len, s, n);
  t->len += n;
  if (dim)
    row_text_dim (t, start, DIM_BYTES);
}

static void
row_text_hex (PsHexView *self,
              RowText   *t,
              guint8     value,
              guint8     kind)
{
  static const char digits[] = "0123456789abcdef";
  char hex[3] = { digits[value >> 4], digits[value & 0xf], 0 };

  switch (kind)
    {
    case PS_HEX_BYTE_DATA: row_text_add (t, hex, FALSE); break;
    case PS_HEX_BYTE_ZERO_TAIL: row_text_add (t, hex, TRUE); break;
    case PS_HEX_BYTE_NOT_ALLOCATED: row_text_add (t, self->have_middot ? "\xc2\xb7\xc2\xb7" : "__", TRUE); break;
    case PS_HEX_BYTE_PAST_EOF:
    case PS_HEX_BYTE_UNREADABLE: row_text_add (t, "--", TRUE); break;
    default: row_text_add (t, "  ", FALSE); break;
    }
}

static void
row_text_ascii (PsHexView *self,
                RowText   *t,
                guint8     value,
                guint8     kind)
{
  char c[2] = { g_ascii_isprint (value) ? (char) value : '.', 0 };

  switch (kind)
    {
    case PS_HEX_BYTE_DATA: row_text_add (t, c, FALSE); break;
    case PS_HEX_BYTE_ZERO_TAIL: row_text_add (t, ".", TRUE); break;
    case PS_HEX_BYTE_NOT_ALLOCATED: row_text_add (t, self->have_middot ? "\xc2\xb7" : "_", TRUE); break;
    default: row_text_add (t, " ", FALSE); break;
    }
}

static void
build_row_text (PsHexView    *self,
                guint64       row,
                const guint8 *bytes,
                const guint8 *kinds,
                RowText      *t)
{
  static const char digits[] = "0123456789abcdef";
  guint64 offset = row * ROW;

  t->len = 0;
  t->n_runs = 0;
  for (guint d = self->n_digits; d-- > 0;)
    t->text[t->len++] = digits[(offset >> (4 * d)) & 0xf];
  row_text_dim (t, 0, DIM_OFFSET);
  row_text_add (t, "  ", FALSE);
  for (guint i = 0; i < ROW; i++)
    {
      row_text_hex (self, t, bytes[i], kinds[i]);
      row_text_add (t, i == 7 ? "  " : i == ROW - 1 ? "" : " ", FALSE);
    }
  row_text_add (t, "  ", FALSE);
  for (guint i = 0; i < ROW; i++)
    row_text_ascii (self, t, bytes[i], kinds[i]);
}

static void
rebuild_slot (PsHexView *self,
              Slot      *slot)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  GtkSnapshot *snapshot;
  RowText t;

  build_row_text (self, slot->row, slot->bytes, slot->kinds, &t);
  if (slot->layout == NULL)
    {
      slot->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      pango_layout_set_font_description (slot->layout, self->font);
    }
  pango_layout_set_text (slot->layout, t.text, t.len);
  for (guint r = 0; r < t.n_runs; r++)
    {
      PangoAttribute *attr = pango_attr_foreground_alpha_new (t.runs[r].alpha);

      attr->start_index = t.runs[r].start;
      attr->end_index = t.runs[r].end;
      pango_attr_list_insert (attrs, attr);
    }
  pango_layout_set_attributes (slot->layout, attrs);

  g_clear_pointer (&slot->node, gsk_render_node_unref);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_append_layout (snapshot, slot->layout, &self->colors.fg);
  slot->node = gtk_snapshot_free_to_node (snapshot);
}

static void
ensure_slots (PsHexView *self)
{
  /* consecutive rows modulo n_slots never share a slot when n_slots >= n_draw */
  if (self->n_slots >= self->n_draw && self->slots != NULL)
    return;
  clear_slots (self);
  self->n_slots = self->n_draw + 2;
  self->slots = g_new0 (Slot, self->n_slots);
  for (guint i = 0; i < self->n_slots; i++)
    self->slots[i].row = NO_ROW;
}

static Slot *
row_slot (PsHexView *self,
          guint      i)
{
  guint64 row = self->first_row + i;
  Slot *slot = &self->slots[row % self->n_slots];
  const guint8 *bytes = self->bytes + (gsize) i * ROW;
  const guint8 *kinds = self->kinds + (gsize) i * ROW;

  if (slot->row != row || memcmp (slot->bytes, bytes, ROW) != 0 || memcmp (slot->kinds, kinds, ROW) != 0)
    {
      slot->row = row;
      memcpy (slot->bytes, bytes, ROW);
      memcpy (slot->kinds, kinds, ROW);
      rebuild_slot (self, slot);
    }
  return slot;
}

static void
invalidate_metrics (PsHexView *self)
{
  self->metrics_valid = FALSE;
  clear_slots (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The style changes with every state (focus, backdrop, hover): only a new
 * font means new metrics, and only a new text colour new text nodes. */
static void
restyle (PsHexView *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);
  GdkRGBA fg = self->colors.fg;
  gboolean had_colors = self->colors_valid;

  if (self->style_font == NULL || !pango_font_description_equal (font, self->style_font))
    {
      g_clear_pointer (&self->style_font, pango_font_description_free);
      self->style_font = pango_font_description_copy (font);
      invalidate_metrics (self);
    }
  self->colors_valid = FALSE;
  ensure_colors (self);
  if (had_colors && !gdk_rgba_equal (&fg, &self->colors.fg))
    clear_slots (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- drawing ---------------------------------------------------------------- */

/* The cell of byte i of a screen row: hex cells reach half a column either side. */
static graphene_rect_t
cell_rect (PsHexView *self,
           guint      screen_row,
           guint      i,
           gboolean   ascii)
{
  double y = row_y (self, screen_row);

  if (ascii)
    return GRAPHENE_RECT_INIT (col_x (self, ascii_col (self, i)), y, self->char_w, self->row_h);
  return GRAPHENE_RECT_INIT (col_x (self, hex_col (self, i)), y, 2 * self->char_w, self->row_h);
}

/* A background spanning bytes [a, b] of a screen row, in the hex and ASCII columns. */
static void
append_span (PsHexView     *self,
             GtkSnapshot   *snapshot,
             guint          screen_row,
             guint          a,
             guint          b,
             const GdkRGBA *color)
{
  double y = row_y (self, screen_row);
  double hx0 = col_x (self, hex_col (self, a) - 0.5);
  double hx1 = col_x (self, hex_col (self, b) + 2.5);
  double ax0 = col_x (self, ascii_col (self, a));
  double ax1 = col_x (self, ascii_col (self, b) + 1);

  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (hx0, y, hx1 - hx0, self->row_h));
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (ax0, y, ax1 - ax0, self->row_h));
}

static void
append_row_background (PsHexView   *self,
                       GtkSnapshot *snapshot,
                       guint        screen_row,
                       guint8       kind)
{
  const Colors *c = &self->colors;
  double y = row_y (self, screen_row);
  double x0 = col_x (self, hex_col (self, 0) - 0.5);
  double x1 = col_x (self, ascii_col (self, ROW - 1) + 1.5);
  graphene_rect_t rect = GRAPHENE_RECT_INIT (x0, y, x1 - x0, self->row_h);

  if (kind == PS_HEX_BYTE_NOT_ALLOCATED)
    gtk_snapshot_append_color (snapshot, &c->hole, &rect);
  else if (kind == PS_HEX_BYTE_PAST_EOF || kind == PS_HEX_BYTE_UNREADABLE)
    {
      /* stripes anchored to the widget, so they run on from row to row */
      GskColorStop stops[] = {
        { 0.0, c->hatch }, { 0.35, c->hatch },
        { 0.35, with_alpha (&c->hatch, 0) }, { 1.0, with_alpha (&c->hatch, 0) },
      };
      gtk_snapshot_append_repeating_linear_gradient (snapshot, &rect,
                                                     &GRAPHENE_POINT_INIT (0, 0), &GRAPHENE_POINT_INIT (5, 5),
                                                     stops, G_N_ELEMENTS (stops));
    }
}

static void
append_selection (PsHexView   *self,
                  GtkSnapshot *snapshot,
                  guint        screen_row)
{
  guint64 row = self->first_row + screen_row;
  guint64 lo = MIN (self->anchor, self->cursor);
  guint64 hi = MAX (self->anchor, self->cursor);
  guint64 row_lo = row * ROW, row_hi = row_lo + ROW - 1;

  if (!self->has_selection || hi < row_lo || lo > row_hi)
    return;
  append_span (self, snapshot, screen_row, MAX (lo, row_lo) - row_lo, MIN (hi, row_hi) - row_lo,
               &self->colors.selection);
}

static void
append_glow (PsHexView   *self,
             GtkSnapshot *snapshot,
             guint        screen_row,
             gint64       now)
{
  const gint64 *change = self->change_us + (gsize) screen_row * ROW;
  int levels[ROW];
  guint i = 0;

  for (guint b = 0; b < ROW; b++)
    levels[b] = glow_level (change[b], now);

  /* one rectangle per run of equal glow within a half row */
  while (i < ROW)
    {
      guint j = i;
      GdkRGBA color;

      if (levels[i] == 0)
        {
          i++;
          continue;
        }
      while (j + 1 < ROW && j + 1 != 8 && levels[j + 1] == levels[i])
        j++;
      color = with_alpha (&self->colors.glow, self->colors.glow.alpha * levels[i] / GLOW_LEVELS);
      append_span (self, snapshot, screen_row, i, j, &color);
      i = j + 1;
    }
}

static void
append_outline (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                const GdkRGBA         *color)
{
  GskRoundedRect outline;
  const float widths[4] = { 1, 1, 1, 1 };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&outline, rect, 2);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

static void
append_cursor (PsHexView   *self,
               GtkSnapshot *snapshot,
               guint        screen_row)
{
  const GdkRGBA *color = gtk_widget_has_focus (GTK_WIDGET (self))
                         ? &self->colors.accent : &self->colors.cursor_unfocused;
  guint i = self->cursor % ROW;
  graphene_rect_t hex = cell_rect (self, screen_row, i, FALSE);
  graphene_rect_t ascii = cell_rect (self, screen_row, i, TRUE);

  if (self->cursor / ROW != self->first_row + screen_row)
    return;
  append_outline (snapshot, &GRAPHENE_RECT_INIT (hex.origin.x - 0.25 * self->char_w, hex.origin.y,
                                                 hex.size.width + 0.5 * self->char_w, hex.size.height), color);
  append_outline (snapshot, &ascii, color);
}

static void
snapshot_row (PsHexView   *self,
              GtkSnapshot *snapshot,
              guint        screen_row,
              gint64       now)
{
  Slot *slot = row_slot (self, screen_row);

  append_row_background (self, snapshot, screen_row, self->kinds[(gsize) screen_row * ROW]);
  append_selection (self, snapshot, screen_row);
  append_glow (self, snapshot, screen_row, now);
  if (slot->node != NULL)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (origin_x (self), row_y (self, screen_row) + ROW_PAD / 2));
      gtk_snapshot_append_node (snapshot, slot->node);
      gtk_snapshot_restore (snapshot);
    }
  append_cursor (self, snapshot, screen_row);
}

static void
ps_hex_view_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  PsHexView *self = PS_HEX_VIEW (widget);
  gint64 now = g_get_monotonic_time ();

  if (self->source == NULL || self->n_draw == 0)
    return;
  ensure_metrics (self);
  ensure_colors (self);
  ensure_data (self);
  ensure_slots (self);
  self->n_snapshots++;
  self->shown_us = now;
  for (guint i = 0; i < self->n_draw; i++)
    snapshot_row (self, snapshot, i, now);
  schedule_update (self, FALSE);     /* the next glow step */
}

/* ---- scrolling and the visible range -------------------------------------- */

static double
page_rows (PsHexView *self)
{
  return self->vadjustment ? gtk_adjustment_get_page_size (self->vadjustment) : 0;
}

static void
set_row_value (PsHexView *self,
               double     value)
{
  double upper = (double) self->n_rows;

  value = CLAMP (value, 0, MAX (upper - page_rows (self), 0));
  gtk_adjustment_set_value (self->vadjustment, value);
}

static void
update_accessible (PsHexView *self)
{
  g_autofree char *text = NULL;

  if (self->source == NULL || self->range_length == 0)
    text = g_strdup (_("Nothing on screen"));
  else
    text = g_strdup_printf (_("Offsets 0x%" PRIx64 " to 0x%" PRIx64 " of %" PRIu64 " bytes on screen; cursor at 0x%" PRIx64),
                            self->range_offset, self->range_offset + self->range_length - 1,
                            self->length, self->cursor);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/* Recomputes the rows on screen from the adjustment and the height, and says
 * so when the byte range changed. */
static void
update_view (PsHexView *self)
{
  double value = self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0;
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  guint64 offset = 0, length = 0;

  ensure_metrics (self);
  value = MAX (value, 0);
  self->first_row = MIN ((guint64) floor (value), self->n_rows);
  self->frac_px = (int) round ((value - floor (value)) * self->row_h);
  self->n_draw = 0;
  if (self->source != NULL && height > 0 && self->first_row < self->n_rows)
    {
      guint64 want = (guint64) ceil ((double) (height + self->frac_px) / self->row_h);

      self->n_draw = (guint) MIN (want, self->n_rows - self->first_row);
      offset = self->first_row * ROW;
      length = MIN ((guint64) self->n_draw * ROW, self->length - offset);
    }
  self->data_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (offset != self->range_offset || length != self->range_length)
    {
      self->range_offset = offset;
      self->range_length = length;
      update_accessible (self);
      g_signal_emit (self, signals[VISIBLE_RANGE_CHANGED], 0, offset, length);
    }
}

static void
on_vadjustment_changed (GtkAdjustment *adjustment,
                        PsHexView     *self)
{
  update_view (self);
}

static void
on_hadjustment_changed (GtkAdjustment *adjustment,
                        PsHexView     *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (PsHexView      *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment,
                GCallback       callback,
                const char     *property)
{
  if (adjustment != NULL && adjustment == *slot)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, callback, self);
      g_object_unref (*slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", callback, self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify (G_OBJECT (self), property);
}

static void
configure_adjustments (PsHexView *self,
                       int        width,
                       int        height)
{
  double page = (double) height / self->row_h;
  double content = content_width (self);

  gtk_adjustment_configure (self->hadjustment,
                            CLAMP (gtk_adjustment_get_value (self->hadjustment), 0, MAX (content - width, 0)),
                            0, MAX (content, width), self->char_w * 4, width * 0.9, width);
  gtk_adjustment_configure (self->vadjustment,
                            CLAMP (gtk_adjustment_get_value (self->vadjustment), 0, MAX (self->n_rows - page, 0)),
                            0, (double) self->n_rows, 1, MAX (floor (page) - 1, 1), page);
}

static void
center_row (PsHexView *self,
            guint64    row)
{
  set_row_value (self, (double) row - (page_rows (self) - 1) / 2);
}

static void
ps_hex_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  PsHexView *self = PS_HEX_VIEW (widget);

  ensure_metrics (self);
  configure_adjustments (self, width, height);
  if (self->pending_center && height > 0)
    {
      self->pending_center = FALSE;
      center_row (self, self->cursor / ROW);
    }
  update_view (self);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
ps_hex_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  PsHexView *self = PS_HEX_VIEW (widget);

  ensure_metrics (self);
  /* scroll policies are "natural": the scrolled window compares these with its size */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (2 * PAD_X + 10 * self->char_w);
      *natural = content_width (self);
    }
  else
    {
      *minimum = self->row_h;
      *natural = (int) MIN ((guint64) self->row_h * MAX (self->n_rows, 1), HEIGHT_CAP);
    }
}

/* Scrolls as little as possible to show a row whole. */
static void
scroll_to_row (PsHexView *self,
               guint64    row)
{
  double value = gtk_adjustment_get_value (self->vadjustment);
  double page = page_rows (self);

  if (page <= 0)
    {
      self->pending_center = TRUE;
      return;
    }
  if (row < value)
    set_row_value (self, row);
  else if (row + 1 > value + page)
    set_row_value (self, row + 1 - page);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           PsHexView                *self)
{
  double rows;

  if (dy == 0 || self->source == NULL)
    return FALSE;
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    rows = dy * WHEEL_ROWS;
  else
    rows = dy / self->row_h;
  set_row_value (self, gtk_adjustment_get_value (self->vadjustment) + rows);
  return TRUE;
}

/* ---- cursor and selection ------------------------------------------------ */

static void
update_actions (PsHexView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hex.copy-hex", self->has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hex.copy-text", self->has_selection);
  /* every change of the cursor or the selection comes through here */
  g_signal_emit (self, signals[SIGNAL_CURSOR_CHANGED], 0);
}

static void
move_cursor_to (PsHexView *self,
                guint64    target,
                gboolean   extend)
{
  if (self->length == 0)
    return;
  target = MIN (target, self->length - 1);
  if (extend && !self->has_selection)
    {
      self->anchor = self->cursor;
      self->has_selection = TRUE;
    }
  else if (!extend)
    {
      self->has_selection = FALSE;
      self->anchor = target;
    }
  self->cursor = target;
  scroll_to_row (self, target / ROW);
  update_actions (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static guint64
offset_by (guint64 from,
           gint64  delta,
           guint64 length)
{
  if (delta < 0 && (guint64) -delta > from)
    return from % ROW;          /* past the top: the first row, same column */
  if (delta > 0 && from + delta >= length)
    return length - 1;
  return from + delta;
}

static gboolean
move_cursor_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  PsHexView *self = PS_HEX_VIEW (widget);
  int kind, count;
  gboolean extend;
  guint64 row_start = self->cursor - self->cursor % ROW;
  guint64 target = self->cursor;

  if (self->source == NULL || self->length == 0)
    return FALSE;
  g_variant_get (args, "(iib)", &kind, &count, &extend);
  switch ((MoveKind) kind)
    {
    case MOVE_BYTES:
      target = offset_by (self->cursor, count, self->length);
      break;
    case MOVE_ROWS:
      target = offset_by (self->cursor, (gint64) count * ROW, self->length);
      break;
    case MOVE_PAGES:
      {
        gint64 rows = (gint64) MAX (floor (page_rows (self)), 1) * count;

        target = offset_by (self->cursor, rows * ROW, self->length);
        set_row_value (self, gtk_adjustment_get_value (self->vadjustment) + rows);
      }
      break;
    case MOVE_ROW_EDGE:
      target = count < 0 ? row_start : MIN (row_start + ROW - 1, self->length - 1);
      break;
    case MOVE_DOC_EDGE:
      target = count < 0 ? 0 : self->length - 1;
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  move_cursor_to (self, target, extend);
  return TRUE;
}

/* Which byte is at (x, y) of the widget; ascii: whether in the ASCII column. */
static gboolean
byte_at (PsHexView *self,
         double     x,
         double     y,
         guint64   *offset,
         gboolean  *ascii)
{
  double col = (x - origin_x (self)) / self->char_w;
  double rel = col - hex_col (self, 0);
  gint64 screen_row = (gint64) floor ((y + self->frac_px) / self->row_h);
  guint64 row;
  int i;

  if (self->source == NULL || self->length == 0)
    return FALSE;
  screen_row = CLAMP (screen_row, 0, (gint64) MAX (self->n_draw, 1) - 1);
  row = self->first_row + screen_row;
  *ascii = col >= ascii_col (self, 0) - 1;
  if (*ascii)
    i = (int) floor (col - ascii_col (self, 0));
  else if (rel < 24)
    i = (int) floor ((rel + 0.5) / 3);
  else
    i = 8 + (int) floor ((rel - 25 + 0.5) / 3);
  i = CLAMP (i, 0, ROW - 1);
  if (!*ascii && rel < 24)
    i = MIN (i, 7);
  else if (!*ascii)
    i = MAX (i, 8);
  *offset = MIN (row * ROW + i, self->length - 1);
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PsHexView      *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  guint64 offset;
  gboolean ascii;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_y = y;
  if (byte_at (self, x, y, &offset, &ascii))
    move_cursor_to (self, offset, (state & GDK_SHIFT_MASK) != 0);
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PsHexView      *self)
{
  double x = self->drag_x + dx, y = self->drag_y + dy;
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  guint64 offset;
  gboolean ascii;

  /* dragging past an edge scrolls a row at a time */
  if (y < 0)
    set_row_value (self, gtk_adjustment_get_value (self->vadjustment) - 1);
  else if (y > height)
    set_row_value (self, gtk_adjustment_get_value (self->vadjustment) + 1);
  if (byte_at (self, x, CLAMP (y, 0, MAX (height - 1, 0)), &offset, &ascii) &&
      (offset != self->cursor || self->has_selection))
    move_cursor_to (self, offset, TRUE);
}

static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      PsHexView       *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

/* ---- copy ---------------------------------------------------------------------- */

static void
copy_selection (PsHexView *self,
                gboolean   as_text)
{
  g_autofree guint8 *data = NULL;
  g_autofree char *text = NULL;
  guint64 offset, length;

  if (self->source == NULL || !ps_hex_view_get_selection (self, &offset, &length))
    return;
  if (length > COPY_MAX)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      length = COPY_MAX;
    }
  /* holes and pages past EOF copy as the zeros they read as, without being read */
  data = g_malloc (length);
  ps_source_peek (self->source, offset, data, length, NULL);
  text = as_text ? ps_bytes_to_escaped (data, length, length) : ps_bytes_to_hex (data, length, length);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
copy_hex_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  copy_selection (PS_HEX_VIEW (widget), FALSE);
}

static void
copy_text_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  copy_selection (PS_HEX_VIEW (widget), TRUE);
}

/* ---- tooltip ------------------------------------------------------------------ */

static const char *
page_state_text (PsPageState state,
                 gboolean    shmem)
{
  switch (state)
    {
    case PS_PAGE_ABSENT: return shmem ? _("not allocated (a hole: reads as zero, never read)") : _("not in the page cache");
    case PS_PAGE_RESIDENT: return _("resident");
    case PS_PAGE_UNKNOWN: return _("residency unknown");
    case PS_PAGE_PAST_EOF: return _("wholly past the end of the object");
    case PS_PAGE_PAST_MAPPING: return _("past the mapping");
    default: return "?";
    }
}

static char *
value_text (guint8 value,
            guint8 kind)
{
  switch (kind)
    {
    case PS_HEX_BYTE_NOT_ALLOCATED:
      return g_strdup (_("Not allocated: reads as 0x00, never read"));
    case PS_HEX_BYTE_ZERO_TAIL:
      return g_strdup (_("Past the end of the object, inside its last page: reads as 0x00"));
    case PS_HEX_BYTE_PAST_EOF:
      return g_strdup (_("Past the end of the object: an access would raise SIGBUS"));
    case PS_HEX_BYTE_UNREADABLE:
      return g_strdup (_("Could not be read"));
    default:
      if (g_ascii_isprint (value))
        return g_strdup_printf (_("Value 0x%02x (%u, “%c”)"), value, value, value);
      return g_strdup_printf (_("Value 0x%02x (%u)"), value, value);
    }
}

static char *
tooltip_text (PsHexView *self,
              guint64    offset)
{
  guint screen_row = (guint) (offset / ROW - self->first_row);
  gsize k = (gsize) screen_row * ROW + offset % ROW;
  PsFrame *frame = usable_frame (self);
  guint64 page = offset / self->page_size;
  gint64 change = self->change_us[k];
  g_autofree char *value = value_text (self->bytes[k], self->kinds[k]);
  g_autofree char *where = g_strdup_printf (_("Offset 0x%" PRIx64 " (%" PRIu64 ")"), offset, offset);
  g_autofree char *state = NULL;
  g_autofree char *page_line = NULL;
  g_autofree char *changed = NULL;

  if (frame != NULL && page < frame->n_pages)
    state = g_strdup (page_state_text (ps_frame_page_state (frame, page), self->shmem));
  else if (self->kinds[k] == PS_HEX_BYTE_NOT_ALLOCATED)
    state = g_strdup (page_state_text (PS_PAGE_ABSENT, TRUE));
  else if (self->kinds[k] == PS_HEX_BYTE_PAST_EOF)
    state = g_strdup (page_state_text (PS_PAGE_PAST_EOF, self->shmem));
  else
    state = g_strdup (_("not scanned yet"));

  if (change > 0)
    changed = g_strdup_printf (_("Changed %.1f s ago"), MAX (g_get_monotonic_time () - change, 0) / (double) G_USEC_PER_SEC);
  else if (change == 0)
    changed = g_strdup (_("Never changed"));

  page_line = g_strdup_printf (_("Page %" PRIu64 ": %s"), page, state);
  return g_strjoin ("\n", where, value, page_line, changed, NULL);
}

static gboolean
ps_hex_view_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip)
{
  PsHexView *self = PS_HEX_VIEW (widget);
  g_autofree char *text = NULL;
  guint64 offset;
  gboolean ascii;
  double col;

  if (self->source == NULL || self->n_draw == 0)
    return FALSE;
  ensure_data (self);
  col = (x - origin_x (self)) / self->char_w;
  if (keyboard_mode)
    offset = self->cursor;
  else if (col < hex_col (self, 0) - 0.5 || col > ascii_col (self, ROW) ||
           !byte_at (self, x, y, &offset, &ascii))
    return FALSE;
  if (offset / ROW < self->first_row || offset / ROW >= self->first_row + self->n_draw)
    return FALSE;
  text = tooltip_text (self, offset);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- GObject, GtkWidget, GtkScrollable ------------------------------------ */

static void
ps_hex_view_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (ps_hex_view_parent_class)->css_changed (widget, change);
  restyle (PS_HEX_VIEW (widget));
}

static void
ps_hex_view_system_setting_changed (GtkWidget        *widget,
                                    GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (ps_hex_view_parent_class)->system_setting_changed (widget, setting);
  if (setting == GTK_SYSTEM_SETTING_DPI || setting == GTK_SYSTEM_SETTING_FONT_NAME ||
      setting == GTK_SYSTEM_SETTING_FONT_CONFIG)
    invalidate_metrics (PS_HEX_VIEW (widget));
}

static void
ps_hex_view_state_flags_changed (GtkWidget     *widget,
                                 GtkStateFlags  previous)
{
  GTK_WIDGET_CLASS (ps_hex_view_parent_class)->state_flags_changed (widget, previous);
  gtk_widget_queue_draw (widget);    /* the cursor is drawn differently with focus */
}

/* Tab moves focus onto the view and on past it, never into the context menu. */
static gboolean
ps_hex_view_focus (GtkWidget        *widget,
                   GtkDirectionType  direction)
{
  if (gtk_widget_is_focus (widget))
    return FALSE;
  return gtk_widget_grab_focus (widget);
}

static void
ps_hex_view_unmap (GtkWidget *widget)
{
  stop_updates (PS_HEX_VIEW (widget));
  GTK_WIDGET_CLASS (ps_hex_view_parent_class)->unmap (widget);
}

static void
ps_hex_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PsHexView *self = PS_HEX_VIEW (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT: g_value_set_object (value, self->hadjustment); break;
    case PROP_VADJUSTMENT: g_value_set_object (value, self->vadjustment); break;
    case PROP_HSCROLL_POLICY: g_value_set_enum (value, self->hscroll_policy); break;
    case PROP_VSCROLL_POLICY: g_value_set_enum (value, self->vscroll_policy); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_hex_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PsHexView *self = PS_HEX_VIEW (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value),
                      G_CALLBACK (on_hadjustment_changed), "hadjustment");
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value),
                      G_CALLBACK (on_vadjustment_changed), "vadjustment");
      break;
    case PROP_HSCROLL_POLICY:
      if (self->hscroll_policy != (guint) g_value_get_enum (value))
        {
          self->hscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_VSCROLL_POLICY:
      if (self->vscroll_policy != (guint) g_value_get_enum (value))
        {
          self->vscroll_policy = g_value_get_enum (value);
          gtk_widget_queue_resize (GTK_WIDGET (self));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_hex_view_dispose (GObject *object)
{
  PsHexView *self = PS_HEX_VIEW (object);

  stop_updates (self);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_object (&self->source);
  g_clear_pointer (&self->frame, ps_frame_unref);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_hadjustment_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_vadjustment_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  clear_slots (self);
  G_OBJECT_CLASS (ps_hex_view_parent_class)->dispose (object);
}

static void
ps_hex_view_finalize (GObject *object)
{
  PsHexView *self = PS_HEX_VIEW (object);

  g_free (self->bytes);
  g_free (self->kinds);
  g_free (self->change_us);
  g_clear_pointer (&self->font, pango_font_description_free);
  g_clear_pointer (&self->style_font, pango_font_description_free);
  G_OBJECT_CLASS (ps_hex_view_parent_class)->finalize (object);
}

static void
add_move_binding (GtkWidgetClass  *widget_class,
                  guint            keyval,
                  GdkModifierType  mods,
                  MoveKind         kind,
                  int              count)
{
  gtk_widget_class_add_binding (widget_class, keyval, mods, move_cursor_cb, "(iib)", kind, count, FALSE);
  gtk_widget_class_add_binding (widget_class, keyval, mods | GDK_SHIFT_MASK, move_cursor_cb, "(iib)", kind, count, TRUE);
}

static void
add_bindings (GtkWidgetClass *widget_class)
{
  add_move_binding (widget_class, GDK_KEY_Left, 0, MOVE_BYTES, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Left, 0, MOVE_BYTES, -1);
  add_move_binding (widget_class, GDK_KEY_Right, 0, MOVE_BYTES, 1);
  add_move_binding (widget_class, GDK_KEY_KP_Right, 0, MOVE_BYTES, 1);
  add_move_binding (widget_class, GDK_KEY_Up, 0, MOVE_ROWS, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Up, 0, MOVE_ROWS, -1);
  add_move_binding (widget_class, GDK_KEY_Down, 0, MOVE_ROWS, 1);
  add_move_binding (widget_class, GDK_KEY_KP_Down, 0, MOVE_ROWS, 1);
  add_move_binding (widget_class, GDK_KEY_Page_Up, 0, MOVE_PAGES, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Page_Up, 0, MOVE_PAGES, -1);
  add_move_binding (widget_class, GDK_KEY_Page_Down, 0, MOVE_PAGES, 1);
  add_move_binding (widget_class, GDK_KEY_KP_Page_Down, 0, MOVE_PAGES, 1);
  add_move_binding (widget_class, GDK_KEY_Home, 0, MOVE_ROW_EDGE, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Home, 0, MOVE_ROW_EDGE, -1);
  add_move_binding (widget_class, GDK_KEY_End, 0, MOVE_ROW_EDGE, 1);
  add_move_binding (widget_class, GDK_KEY_KP_End, 0, MOVE_ROW_EDGE, 1);
  add_move_binding (widget_class, GDK_KEY_Home, GDK_CONTROL_MASK, MOVE_DOC_EDGE, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Home, GDK_CONTROL_MASK, MOVE_DOC_EDGE, -1);
  add_move_binding (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, MOVE_DOC_EDGE, 1);
  add_move_binding (widget_class, GDK_KEY_KP_End, GDK_CONTROL_MASK, MOVE_DOC_EDGE, 1);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "hex.copy-hex", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, GDK_CONTROL_MASK, "hex.copy-hex", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "hex.copy-text", NULL);
}

static void
ps_hex_view_class_init (PsHexViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ps_hex_view_get_property;
  object_class->set_property = ps_hex_view_set_property;
  object_class->dispose = ps_hex_view_dispose;
  object_class->finalize = ps_hex_view_finalize;

  widget_class->snapshot = ps_hex_view_snapshot;
  widget_class->measure = ps_hex_view_measure;
  widget_class->size_allocate = ps_hex_view_size_allocate;
  widget_class->query_tooltip = ps_hex_view_query_tooltip;
  widget_class->css_changed = ps_hex_view_css_changed;
  widget_class->system_setting_changed = ps_hex_view_system_setting_changed;
  widget_class->state_flags_changed = ps_hex_view_state_flags_changed;
  widget_class->unmap = ps_hex_view_unmap;
  widget_class->focus = ps_hex_view_focus;

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * PsHexView::visible-range-changed:
   * @offset: the first byte on screen
   * @length: how many bytes are on screen
   *
   * The bytes on screen changed: scrolling, a resize or a new source.
   */
  signals[VISIBLE_RANGE_CHANGED] =
    g_signal_new ("visible-range-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT64);
  /**
   * PsHexView::cursor-changed:
   *
   * The cursor moved or the selection changed.
   */
  signals[SIGNAL_CURSOR_CHANGED] =
    g_signal_new ("cursor-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "hex.copy-hex", NULL, copy_hex_action);
  gtk_widget_class_install_action (widget_class, "hex.copy-text", NULL, copy_text_action);
  add_bindings (widget_class);

  gtk_widget_class_set_css_name (widget_class, "hexview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_hex_view_scrollable_init (GtkScrollableInterface *iface)
{
}

static GtkWidget *
make_menu (PsHexView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *popover;

  g_menu_append (menu, _("Copy as _Hex"), "hex.copy-hex");
  g_menu_append (menu, _("Copy as _Text"), "hex.copy-text");
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_widget_set_parent (popover, GTK_WIDGET (self));
  return popover;
}

static void
add_controllers (PsHexView *self)
{
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

static void
ps_hex_view_init (PsHexView *self)
{
  self->hscroll_policy = GTK_SCROLL_NATURAL;
  self->vscroll_policy = GTK_SCROLL_NATURAL;
  self->n_digits = 8;
  self->page_size = 4096;
  set_adjustment (self, &self->hadjustment, NULL, G_CALLBACK (on_hadjustment_changed), "hadjustment");
  set_adjustment (self, &self->vadjustment, NULL, G_CALLBACK (on_vadjustment_changed), "vadjustment");

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "view");
  gtk_widget_add_css_class (GTK_WIDGET (self), "ps-hex");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Hex view"), -1);
  update_accessible (self);
  add_controllers (self);
  self->menu = make_menu (self);
  update_actions (self);
}

/* ---- public API ------------------------------------------------------------ */

GtkWidget *
ps_hex_view_new (void)
{
  return g_object_new (PS_TYPE_HEX_VIEW, NULL);
}

static guint
hex_digits (guint64 value)
{
  guint n = 1;

  while (value >>= 4)
    n++;
  return n;
}

void
ps_hex_view_set_source (PsHexView *self,
                        PsSource  *source)
{
  g_return_if_fail (PS_IS_HEX_VIEW (self));
  g_return_if_fail (source == NULL || PS_IS_SOURCE (source));

  if (source == self->source)
    return;
  g_set_object (&self->source, source);
  g_clear_pointer (&self->frame, ps_frame_unref);
  stop_updates (self);
  clear_slots (self);

  if (source != NULL)
    {
      const PsGeometry *g = ps_source_get_geometry (source);

      self->length = g->length;
      self->page_size = MAX (g->page_size, ROW);
      self->shmem = ps_source_is_shmem (source);
    }
  else
    self->length = 0;
  self->n_rows = (self->length + ROW - 1) / ROW;
  self->n_digits = MAX (8, hex_digits (self->length > 0 ? self->length - 1 : 0));
  self->cursor = self->anchor = 0;
  self->has_selection = FALSE;
  self->pending_center = FALSE;
  update_actions (self);

  gtk_adjustment_set_value (self->vadjustment, 0);
  gtk_adjustment_set_value (self->hadjustment, 0);
  update_view (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

PsSource *
ps_hex_view_get_source (PsHexView *self)
{
  g_return_val_if_fail (PS_IS_HEX_VIEW (self), NULL);
  return self->source;
}

void
ps_hex_view_set_frame (PsHexView *self,
                       PsFrame   *frame)
{
  g_return_if_fail (PS_IS_HEX_VIEW (self));

  if (frame == self->frame)
    return;
  if (frame != NULL)
    ps_frame_ref (frame);
  g_clear_pointer (&self->frame, ps_frame_unref);
  self->frame = frame;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || self->data_dirty)
    {
      /* read at the next draw, however many frames come before it */
      self->data_dirty = TRUE;
      return;
    }
  /* no sooner than the fade frame rate allows; then only if the screen
   * changes */
  if (g_get_monotonic_time () - self->shown_us < fade_period_us ())
    schedule_update (self, TRUE);
  else if (refresh_changes_screen (self))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ps_hex_view_goto (PsHexView *self,
                  guint64    offset)
{
  double value, page;
  guint64 row;

  g_return_if_fail (PS_IS_HEX_VIEW (self));

  if (self->source == NULL || self->length == 0)
    return;
  offset = MIN (offset, self->length - 1);
  row = offset / ROW;
  self->cursor = self->anchor = offset;
  self->has_selection = FALSE;
  update_actions (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  value = gtk_adjustment_get_value (self->vadjustment);
  page = page_rows (self);
  if (page <= 0)
    self->pending_center = TRUE;
  else if (row < value || row + 1 > value + page)
    center_row (self, row);
}

guint64
ps_hex_view_get_cursor (PsHexView *self)
{
  g_return_val_if_fail (PS_IS_HEX_VIEW (self), 0);
  return self->cursor;
}

gboolean
ps_hex_view_get_selection (PsHexView *self,
                           guint64   *offset,
                           guint64   *length)
{
  guint64 lo, hi;

  g_return_val_if_fail (PS_IS_HEX_VIEW (self), FALSE);

  lo = self->has_selection ? MIN (self->anchor, self->cursor) : self->cursor;
  hi = self->has_selection ? MAX (self->anchor, self->cursor) : self->cursor;
  if (offset != NULL)
    *offset = lo;
  if (length != NULL)
    *length = self->has_selection ? hi - lo + 1 : 0;
  return self->has_selection;
}

void
ps_hex_view_set_selection (PsHexView *self,
                           guint64    offset,
                           guint64    length)
{
  g_return_if_fail (PS_IS_HEX_VIEW (self));

  if (self->length == 0)
    return;
  offset = MIN (offset, self->length - 1);
  if (length == 0)
    {
      self->cursor = self->anchor = offset;
      self->has_selection = FALSE;
    }
  else
    {
      self->anchor = offset;
      self->cursor = MIN (offset + length - 1, self->length - 1);
      self->has_selection = TRUE;
    }
  update_actions (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
ps_hex_view_get_visible_range (PsHexView *self,
                               guint64   *offset,
                               guint64   *length)
{
  g_return_if_fail (PS_IS_HEX_VIEW (self));

  if (offset != NULL)
    *offset = self->range_offset;
  if (length != NULL)
    *length = self->range_length;
}

/* The index of a byte in the arrays of the rows on screen, or -1. */
static gssize
screen_index (PsHexView *self,
              guint64    offset)
{
  if (self->source == NULL || offset >= self->length || offset / ROW < self->first_row ||
      offset / ROW >= self->first_row + self->n_draw)
    return -1;
  ensure_data (self);
  return (gssize) ((offset / ROW - self->first_row) * ROW + offset % ROW);
}

gboolean
ps_hex_view_get_byte (PsHexView *self,
                      guint64    offset,
                      guint8    *value)
{
  gssize k;

  g_return_val_if_fail (PS_IS_HEX_VIEW (self), FALSE);

  k = screen_index (self, offset);
  if (k < 0)
    return FALSE;
  if (value != NULL)
    *value = self->bytes[k];
  return TRUE;
}

PsHexByteKind
ps_hex_view_get_byte_kind (PsHexView *self,
                           guint64    offset)
{
  gssize k;

  g_return_val_if_fail (PS_IS_HEX_VIEW (self), PS_HEX_BYTE_OFF_SCREEN);

  k = screen_index (self, offset);
  return k < 0 ? PS_HEX_BYTE_OFF_SCREEN : (PsHexByteKind) self->kinds[k];
}

double
ps_hex_view_get_glow (PsHexView *self,
                      guint64    offset)
{
  gssize k;

  g_return_val_if_fail (PS_IS_HEX_VIEW (self), 0);

  k = screen_index (self, offset);
  if (k < 0)
    return 0;
  return (double) glow_level (self->change_us[k], g_get_monotonic_time ()) / GLOW_LEVELS;
}

gboolean
ps_hex_view_get_byte_rect (PsHexView       *self,
                           guint64          offset,
                           gboolean         ascii,
                           graphene_rect_t *rect)
{
  g_return_val_if_fail (PS_IS_HEX_VIEW (self), FALSE);

  if (screen_index (self, offset) < 0)
    return FALSE;
  ensure_metrics (self);
  if (rect != NULL)
    *rect = cell_rect (self, (guint) (offset / ROW - self->first_row), offset % ROW, ascii);
  return TRUE;
}

/* ---- for tests (ps-hex-view-private.h) ------------------------------------- */

guint
ps_hex_view_get_snapshot_count (PsHexView *self)
{
  g_return_val_if_fail (PS_IS_HEX_VIEW (self), 0);
  return self->n_snapshots;
}
