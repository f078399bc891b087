/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the hex view draws.
 *
 * Only the rows on screen are read and laid out: each row has a slot (keyed
 * by row number modulo the slot count, so scrolling by a row keeps the
 * others) with one PangoLayout and the text node it renders to, rebuilt only
 * when the row's bytes or their kinds change. A frame then costs a few
 * colour nodes per row (highlights, selection, glow, cursor) plus the cached
 * text nodes.
 *
 * A frame is compared with what is on screen: it queues a redraw only if a
 * byte, its kind or its glow step changed. The glow fades in
 * PS_HEX_GLOW_LEVELS steps, each shown when it comes (a timeout, not a tick
 * every frame), and the view changes at most as many times a second as the
 * budget's fade frame rate allows. */
#define G_LOG_DOMAIN "pagescope-hex"

#include "config.h"

#include <string.h>

#include "ps-budget.h"
#include "ps-hex-view-private.h"

/* ---- metrics and colours ---- */

void
ps_hex_view_clear_slots (PsHexView *self)
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

void
ps_hex_view_ensure_metrics (PsHexView *self)
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
  self->row_h = MAX ((int) ceil ((double) h / PANGO_SCALE), 1) + PS_HEX_ROW_PAD;

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
  PsHexColors *c = &self->colors;
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
  gint64 wait, due;

  /* a draw's look for the next glow step must not drop a frame held back:
   * it would stay unread until some later frame (a file that grew back kept
   * showing "wholly past the end") */
  self->frame_held = self->frame_held || pending;
  due = self->frame_held ? now : 0;

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (!pending && !self->data_dirty)
    for (gsize k = 0; k < (gsize) self->n_draw * self->bytes_per_row; k++)
      {
        gint64 step = ps_hex_next_glow_step (self->rows.change_us[k], now);

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
  gsize n = (gsize) self->n_draw * self->bytes_per_row;
  gint64 now = g_get_monotonic_time ();
  g_autofree guint8 *bytes = NULL, *kinds = NULL;
  g_autofree guint8 *levels = NULL;
  gboolean changed = FALSE;

  if (self->data_dirty || n == 0)
    {
      ps_hex_view_refresh_data (self);
      return TRUE;
    }
  bytes = g_memdup2 (self->rows.bytes, n);
  kinds = g_memdup2 (self->rows.kinds, n);
  levels = g_new (guint8, n);
  for (gsize k = 0; k < n; k++)
    levels[k] = ps_hex_glow_level (self->rows.change_us[k], now);
  ps_hex_view_refresh_data (self);
  changed = memcmp (bytes, self->rows.bytes, n) != 0 || memcmp (kinds, self->rows.kinds, n) != 0;
  for (gsize k = 0; k < n && !changed; k++)
    changed = levels[k] != ps_hex_glow_level (self->rows.change_us[k], now);
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

void
ps_hex_view_stop_updates (PsHexView *self)
{
  g_clear_handle_id (&self->update_id, g_source_remove);
}


static void
rebuild_slot (PsHexView *self,
              PsHexSlot *slot)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  GtkSnapshot *snapshot;
  PsHexRowText t;

  ps_hex_row_text_build (&t, slot->row, self->bytes_per_row, self->n_digits, self->have_middot, slot->bytes, slot->kinds);
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
  ps_hex_view_clear_slots (self);
  self->n_slots = self->n_draw + 2;
  self->slots = g_new0 (PsHexSlot, self->n_slots);
  for (guint i = 0; i < self->n_slots; i++)
    self->slots[i].row = G_MAXUINT64;
}

static PsHexSlot *
row_slot (PsHexView *self,
          guint      i)
{
  guint64 row = self->first_row + i;
  PsHexSlot *slot = &self->slots[row % self->n_slots];
  const guint8 *bytes = self->rows.bytes + (gsize) i * self->bytes_per_row;
  const guint8 *kinds = self->rows.kinds + (gsize) i * self->bytes_per_row;

  if (slot->row != row || memcmp (slot->bytes, bytes, self->bytes_per_row) != 0 || memcmp (slot->kinds, kinds, self->bytes_per_row) != 0)
    {
      slot->row = row;
      memcpy (slot->bytes, bytes, self->bytes_per_row);
      memcpy (slot->kinds, kinds, self->bytes_per_row);
      rebuild_slot (self, slot);
    }
  return slot;
}

void
ps_hex_view_invalidate_metrics (PsHexView *self)
{
  self->metrics_valid = FALSE;
  ps_hex_view_clear_slots (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The style changes with every state (focus, backdrop, hover): only a new
 * font means new metrics, and only a new text colour new text nodes. */
void
ps_hex_view_restyle (PsHexView *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  const PangoFontDescription *font = pango_context_get_font_description (context);
  GdkRGBA fg = self->colors.fg;
  gboolean had_colors = self->colors_valid;

  if (self->style_font == NULL || !pango_font_description_equal (font, self->style_font))
    {
      g_clear_pointer (&self->style_font, pango_font_description_free);
      self->style_font = pango_font_description_copy (font);
      ps_hex_view_invalidate_metrics (self);
    }
  self->colors_valid = FALSE;
  ensure_colors (self);
  if (had_colors && !gdk_rgba_equal (&fg, &self->colors.fg))
    ps_hex_view_clear_slots (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}


/* ---- drawing ---------------------------------------------------------------- */

/* The cell of byte i of a screen row: hex cells reach half a column either side. */
graphene_rect_t
ps_hex_view_cell_rect (PsHexView *self,
           guint      screen_row,
           guint      i,
           gboolean   ascii)
{
  double y = ps_hex_view_row_y (self, screen_row);

  if (ascii)
    return GRAPHENE_RECT_INIT (ps_hex_view_col_x (self, ps_hex_view_ascii_col (self, i)), y, self->char_w, self->row_h);
  return GRAPHENE_RECT_INIT (ps_hex_view_col_x (self, ps_hex_view_hex_col (self, i)), y, 2 * self->char_w, self->row_h);
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
  double y = ps_hex_view_row_y (self, screen_row);
  double hx0 = ps_hex_view_col_x (self, ps_hex_view_hex_col (self, a) - 0.5);
  double hx1 = ps_hex_view_col_x (self, ps_hex_view_hex_col (self, b) + 2.5);
  double ax0 = ps_hex_view_col_x (self, ps_hex_view_ascii_col (self, a));
  double ax1 = ps_hex_view_col_x (self, ps_hex_view_ascii_col (self, b) + 1);

  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (hx0, y, hx1 - hx0, self->row_h));
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (ax0, y, ax1 - ax0, self->row_h));
}

static void
append_row_background (PsHexView   *self,
                       GtkSnapshot *snapshot,
                       guint        screen_row,
                       guint8       kind)
{
  const PsHexColors *c = &self->colors;
  double y = ps_hex_view_row_y (self, screen_row);
  double x0 = ps_hex_view_col_x (self, ps_hex_view_hex_col (self, 0) - 0.5);
  double x1 = ps_hex_view_col_x (self, ps_hex_view_ascii_col (self, self->bytes_per_row - 1) + 1.5);
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

/* The highlights that may touch bytes [lo, hi]: [*from, *to) of the sorted
 * ranges. No range starts more than highlight_span bytes before one it
 * covers. */
static void
highlights_between (PsHexView *self,
                    guint64    lo,
                    guint64    hi,
                    guint     *from,
                    guint     *to)
{
  guint64 start = lo > self->highlight_span ? lo - self->highlight_span : 0;
  guint a = 0, b = self->n_highlights;

  while (a < b)
    {
      guint mid = a + (b - a) / 2;

      if (self->highlights[mid].offset < start)
        a = mid + 1;
      else
        b = mid;
    }
  *from = a;
  for (b = a; b < self->n_highlights && self->highlights[b].offset <= hi; b++)
    ;
  *to = b;
}

static void
append_highlights (PsHexView   *self,
                   GtkSnapshot *snapshot,
                   guint        screen_row,
                   guint        from,
                   guint        to)
{
  guint64 row_lo = (self->first_row + screen_row) * self->bytes_per_row, row_hi = row_lo + self->bytes_per_row - 1;

  for (guint i = from; i < to; i++)
    {
      const PsHighlight *h = &self->highlights[i];
      guint64 end;
      GdkRGBA color;

      if (h->length == 0 || h->offset > row_hi)
        continue;
      end = h->offset + h->length - 1;
      if (end < row_lo)
        continue;
      color = (GdkRGBA) { (h->rgba >> 24) / 255.f, ((h->rgba >> 16) & 0xff) / 255.f,
                          ((h->rgba >> 8) & 0xff) / 255.f, (h->rgba & 0xff) / 255.f };
      append_span (self, snapshot, screen_row, MAX (h->offset, row_lo) - row_lo, MIN (end, row_hi) - row_lo, &color);
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
  guint64 row_lo = row * self->bytes_per_row, row_hi = row_lo + self->bytes_per_row - 1;

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
  const gint64 *change = self->rows.change_us + (gsize) screen_row * self->bytes_per_row;
  int levels[PS_HEX_MAX_BYTES_PER_ROW];
  guint i = 0;

  for (guint b = 0; b < self->bytes_per_row; b++)
    levels[b] = ps_hex_glow_level (change[b], now);

  /* one rectangle per run of equal glow within a group of 8 */
  while (i < self->bytes_per_row)
    {
      guint j = i;
      GdkRGBA color;

      if (levels[i] == 0)
        {
          i++;
          continue;
        }
      while (j + 1 < self->bytes_per_row && (j + 1) % 8 != 0 && levels[j + 1] == levels[i])
        j++;
      color = with_alpha (&self->colors.glow, self->colors.glow.alpha * levels[i] / PS_HEX_GLOW_LEVELS);
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
  guint i = self->cursor % self->bytes_per_row;
  graphene_rect_t hex = ps_hex_view_cell_rect (self, screen_row, i, FALSE);
  graphene_rect_t ascii = ps_hex_view_cell_rect (self, screen_row, i, TRUE);

  if (self->cursor / self->bytes_per_row != self->first_row + screen_row)
    return;
  append_outline (snapshot, &GRAPHENE_RECT_INIT (hex.origin.x - 0.25 * self->char_w, hex.origin.y,
                                                 hex.size.width + 0.5 * self->char_w, hex.size.height), color);
  append_outline (snapshot, &ascii, color);
}

static void
snapshot_row (PsHexView   *self,
              GtkSnapshot *snapshot,
              guint        screen_row,
              gint64       now,
              guint        hl_from,
              guint        hl_to)
{
  PsHexSlot *slot = row_slot (self, screen_row);

  append_row_background (self, snapshot, screen_row, self->rows.kinds[(gsize) screen_row * self->bytes_per_row]);
  append_highlights (self, snapshot, screen_row, hl_from, hl_to);
  append_selection (self, snapshot, screen_row);
  append_glow (self, snapshot, screen_row, now);
  if (slot->node != NULL)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (ps_hex_view_origin_x (self), ps_hex_view_row_y (self, screen_row) + PS_HEX_ROW_PAD / 2));
      gtk_snapshot_append_node (snapshot, slot->node);
      gtk_snapshot_restore (snapshot);
    }
  append_cursor (self, snapshot, screen_row);
}

void
ps_hex_view_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  PsHexView *self = PS_HEX_VIEW (widget);
  gint64 now = g_get_monotonic_time ();
  guint hl_from, hl_to;

  if (!ps_hex_view_has_bytes (self) || self->n_draw == 0)
    return;
  ps_hex_view_ensure_metrics (self);
  ensure_colors (self);
  ps_hex_view_ensure_data (self);
  ensure_slots (self);
  self->n_snapshots++;
  self->shown_us = now;
  highlights_between (self, self->first_row * self->bytes_per_row, (self->first_row + self->n_draw) * self->bytes_per_row - 1,
                      &hl_from, &hl_to);
  for (guint i = 0; i < self->n_draw; i++)
    snapshot_row (self, snapshot, i, now, hl_from, hl_to);
  schedule_update (self, FALSE);     /* the next glow step */
}

void
ps_hex_view_frame_changed (PsHexView *self)
{
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

