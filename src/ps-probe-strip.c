/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The probe's geometry strip: the object's data, the zero tail up to EOF
 * rounded up to a page, the pages wholly past EOF (SIGBUS), the guard page
 * past the mapping (SIGSEGV), and where the probe lands; and the same in
 * words, for its caption and its accessible description. */
#define G_LOG_DOMAIN "pagescope-probe-strip"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <math.h>

#include "ps-parse.h"
#include "ps-probe-strip.h"

/* ---- the geometry strip ---------------------------------------------------- */


typedef enum
{
  ZONE_DATA,    /* [0, EOF): ok */
  ZONE_TAIL,    /* [EOF, EOF rounded up to a page): zero-tail */
  ZONE_BUS,     /* [EOF rounded up, end of the mapping): SIGBUS */
  ZONE_GUARD,   /* the guard page after the mapping: SIGSEGV */
  N_ZONES
} Zone;

/* The outcome colours of the page grid's probe marks, so both read alike. */
static const struct { double r, g, b; } zone_rgb[N_ZONES] = {
  [ZONE_DATA]  = { 0x33 / 255.0, 0xd1 / 255.0, 0x7a / 255.0 },
  [ZONE_TAIL]  = { 0xf6 / 255.0, 0xd3 / 255.0, 0x2d / 255.0 },
  [ZONE_BUS]   = { 0xff / 255.0, 0x78 / 255.0, 0x00 / 255.0 },
  [ZONE_GUARD] = { 0xe0 / 255.0, 0x1b / 255.0, 0x24 / 255.0 },
};

#define MIN_ZONE_FRACTION 0.12   /* of the width, for a zone too thin to see */
#define BAR_HEIGHT        36
#define TICK_ROWS         2
#define GAP               6

struct _PsProbeStrip
{
  GtkWidget       parent_instance;

  PsGeometry      geometry;
  gboolean        have_geometry;
  PsSourceKind    kind;
  guint64         probe;
  gboolean        have_probe;
  gboolean        have_outcome;    /* the probe ran: outcome is what happened */
  PsProbeOutcome  outcome;

  GskRenderNode  *cache;           /* what snapshot draws, until invalidated */
};

G_DEFINE_FINAL_TYPE (PsProbeStrip, ps_probe_strip, GTK_TYPE_WIDGET)

typedef struct
{
  guint64  start[N_ZONES];
  guint64  end[N_ZONES];
  double   x[N_ZONES + 1];   /* the left edge of each zone, then the right edge */
  gboolean to_scale;
} Layout;

static void
zone_bounds (const PsGeometry *g,
             guint64           start[N_ZONES],
             guint64           end[N_ZONES])
{
  guint64 inside_end = g->n_inside * g->page_size;
  guint64 mapping_end = g->n_pages * g->page_size;

  start[ZONE_DATA] = 0;
  end[ZONE_DATA] = MIN (g->data_length, mapping_end);
  start[ZONE_TAIL] = end[ZONE_DATA];
  end[ZONE_TAIL] = MAX (start[ZONE_TAIL], MIN (inside_end, mapping_end));
  start[ZONE_BUS] = end[ZONE_TAIL];
  end[ZONE_BUS] = MAX (start[ZONE_BUS], mapping_end);
  start[ZONE_GUARD] = mapping_end;
  end[ZONE_GUARD] = mapping_end + g->page_size;
}

/* Each zone gets its share of the width, but a zone that has bytes never
 * less than MIN_ZONE_FRACTION: one byte of data in a GiB must show. */
static void
layout_zones (const PsGeometry *g,
              double            width,
              Layout           *out)
{
  double share[N_ZONES], sum = 0;
  guint64 total;

  zone_bounds (g, out->start, out->end);
  total = MAX (out->end[ZONE_GUARD], 1);
  out->to_scale = TRUE;
  for (guint z = 0; z < N_ZONES; z++)
    {
      guint64 len = out->end[z] - out->start[z];

      share[z] = (double) len / total;
      if (len > 0 && share[z] < MIN_ZONE_FRACTION)
        {
          share[z] = MIN_ZONE_FRACTION;
          out->to_scale = FALSE;
        }
      sum += share[z];
    }
  out->x[0] = 0;
  for (guint z = 0; z < N_ZONES; z++)
    out->x[z + 1] = out->x[z] + width * share[z] / sum;
}

static double
x_at (const Layout *l,
      guint64       offset)
{
  for (guint z = 0; z < N_ZONES; z++)
    if (offset >= l->start[z] && offset < l->end[z])
      return l->x[z] + (l->x[z + 1] - l->x[z]) * (offset - l->start[z]) / (l->end[z] - l->start[z]);
  return offset == 0 ? 0 : l->x[N_ZONES];
}

static Zone
zone_of_outcome (PsProbeOutcome outcome)
{
  switch (outcome)
    {
    case PS_PROBE_OK: return ZONE_DATA;
    case PS_PROBE_ZERO_TAIL: return ZONE_TAIL;
    case PS_PROBE_SIGBUS: return ZONE_BUS;
    case PS_PROBE_SIGSEGV:
    case PS_PROBE_OTHER:
    default: return ZONE_GUARD;
    }
}

typedef struct
{
  GdkRGBA  fg;
  gboolean dark;       /* light text on a dark background */
  int      line;       /* the height of a line of text */
} Style;

static void
get_style (PsProbeStrip *self,
           Style        *style)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &style->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  style->dark = 0.2126 * style->fg.red + 0.7152 * style->fg.green + 0.0722 * style->fg.blue > 0.5;
  pango_layout_get_pixel_size (layout, NULL, &style->line);
}

static void
set_fg (cairo_t     *cr,
        const Style *style,
        double       alpha)
{
  cairo_set_source_rgba (cr, style->fg.red, style->fg.green, style->fg.blue, style->fg.alpha * alpha);
}

/* Text centred on x, kept inside [0, width]; returns its left edge. */
static double
place_text (PangoLayout *layout,
            double       x,
            double       width,
            double      *text_width)
{
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);
  *text_width = w;
  return CLAMP (x - w / 2.0, 0, MAX (0, width - w));
}

static void
draw_zone_names (PsProbeStrip *self,
                 cairo_t      *cr,
                 const Style  *style,
                 const Layout *l,
                 double        bar_y)
{
  const char *names[N_ZONES][2] = {
    [ZONE_DATA]  = { self->kind == PS_SOURCE_FILE ? _("file data") : _("data"), _("data") },
    [ZONE_TAIL]  = { _("zero tail"), _("zeros") },
    [ZONE_BUS]   = { _("past EOF: SIGBUS"), "SIGBUS" },
    [ZONE_GUARD] = { _("guard: SIGSEGV"), "SIGSEGV" },
  };

  for (guint z = 0; z < N_ZONES; z++)
    {
      double room = l->x[z + 1] - l->x[z] - 8;

      if (room <= 0)
        continue;
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), names[z][i]);
          int w, h;

          pango_layout_get_pixel_size (layout, &w, &h);
          if (w > room)
            continue;
          set_fg (cr, style, 0.95);
          cairo_move_to (cr, (l->x[z] + l->x[z + 1] - w) / 2, bar_y + (BAR_HEIGHT - h) / 2.0);
          pango_cairo_show_layout (cr, layout);
          break;
        }
    }
}

/* Thin lines between pages, where they are far enough apart to read. */
static void
draw_pages (PsProbeStrip *self,
            cairo_t      *cr,
            const Style  *style,
            const Layout *l,
            double        bar_y)
{
  guint64 page = self->geometry.page_size;

  set_fg (cr, style, 0.30);
  cairo_set_line_width (cr, 1);
  for (guint z = 0; z < N_ZONES; z++)
    {
      guint64 first = (l->start[z] + page - 1) / page;
      guint64 last = l->end[z] / page;
      double spacing = l->end[z] > l->start[z] ? (l->x[z + 1] - l->x[z]) * page / (l->end[z] - l->start[z]) : 0;

      if (spacing < 6 || last - first > 2048)
        continue;
      for (guint64 p = MAX (first, 1); p <= last; p++)
        {
          double x = floor (x_at (l, p * page)) + 0.5;

          if (p * page <= l->start[z] || p * page >= l->end[z])
            continue;
          cairo_move_to (cr, x, bar_y + 1);
          cairo_line_to (cr, x, bar_y + BAR_HEIGHT - 1);
        }
    }
  cairo_stroke (cr);
}

static void
draw_bar (PsProbeStrip *self,
          cairo_t      *cr,
          const Style  *style,
          const Layout *l,
          double        bar_y)
{
  double alpha = style->dark ? 0.45 : 0.60;

  for (guint z = 0; z < N_ZONES; z++)
    {
      double x0 = l->x[z], w = l->x[z + 1] - l->x[z];

      if (w <= 0)
        continue;
      cairo_set_source_rgba (cr, zone_rgb[z].r, zone_rgb[z].g, zone_rgb[z].b, alpha);
      cairo_rectangle (cr, x0, bar_y, w, BAR_HEIGHT);
      cairo_fill (cr);
      /* hatched where an access faults, as the grid hatches those pages */
      if (z == ZONE_BUS || z == ZONE_GUARD)
        {
          cairo_save (cr);
          cairo_rectangle (cr, x0, bar_y, w, BAR_HEIGHT);
          cairo_clip (cr);
          set_fg (cr, style, 0.22);
          cairo_set_line_width (cr, 1.5);
          for (double x = x0 - BAR_HEIGHT; x < x0 + w; x += z == ZONE_GUARD ? 6 : 9)
            {
              cairo_move_to (cr, x, bar_y + BAR_HEIGHT);
              cairo_line_to (cr, x + BAR_HEIGHT, bar_y);
            }
          cairo_stroke (cr);
          cairo_restore (cr);
        }
    }
  draw_pages (self, cr, style, l, bar_y);
  set_fg (cr, style, 0.55);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, bar_y + 0.5, l->x[N_ZONES] - 1, BAR_HEIGHT - 1);
  cairo_stroke (cr);
  draw_zone_names (self, cr, style, l, bar_y);
}

typedef struct
{
  guint64  offset;
  char    *text;
} Tick;

static void
draw_ticks (PsProbeStrip *self,
            cairo_t      *cr,
            const Style  *style,
            const Layout *l,
            double        bar_y)
{
  const PsGeometry *g = &self->geometry;
  guint64 mapping_end = g->n_pages * g->page_size;
  guint64 inside_end = MIN (g->n_inside * g->page_size, mapping_end);
  double right[TICK_ROWS];
  Tick ticks[4];
  guint n = 0;

  ticks[n++] = (Tick) { 0, g_strdup ("0") };
  if (g->data_length < mapping_end)
    {
      g_autofree char *at = ps_format_offset (g->data_length);
      ticks[n++] = (Tick) { g->data_length, g_strdup_printf (_("EOF %s"), at) };
    }
  if (inside_end > g->data_length && inside_end < mapping_end)
    {
      g_autofree char *at = ps_format_offset (inside_end);
      ticks[n++] = (Tick) { inside_end, g_strdup_printf (_("EOF rounded up %s"), at) };
    }
  {
    g_autofree char *at = ps_format_offset (mapping_end);
    ticks[n++] = (Tick) { mapping_end, g_strdup_printf (_("end of mapping %s"), at) };
  }

  for (guint r = 0; r < TICK_ROWS; r++)
    right[r] = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), ticks[i].text);
      double x = round (x_at (l, ticks[i].offset));
      double w, left = place_text (layout, x, l->x[N_ZONES], &w);
      guint row = TICK_ROWS;

      /* the first row it fits in, else the one it overlaps least */
      for (guint r = 0; r < TICK_ROWS && row == TICK_ROWS; r++)
        if (left >= right[r] + GAP)
          row = r;
      if (row == TICK_ROWS)
        {
          row = 0;
          for (guint r = 1; r < TICK_ROWS; r++)
            if (right[r] < right[row])
              row = r;
        }
      right[row] = left + w;

      set_fg (cr, style, 0.85);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, CLAMP (x, 0.5, l->x[N_ZONES] - 0.5), bar_y - 3);
      cairo_line_to (cr, CLAMP (x, 0.5, l->x[N_ZONES] - 0.5), bar_y + BAR_HEIGHT + 4 + row * (style->line + 2));
      cairo_stroke (cr);
      cairo_move_to (cr, left, bar_y + BAR_HEIGHT + 4 + row * (style->line + 2));
      pango_cairo_show_layout (cr, layout);
      g_free (ticks[i].text);
    }
}

static void
draw_marker (PsProbeStrip *self,
             cairo_t      *cr,
             const Style  *style,
             const Layout *l,
             double        bar_y)
{
  guint64 limit = l->end[ZONE_GUARD];
  double width = l->x[N_ZONES];
  double x = CLAMP (round (x_at (l, self->probe)), 1, width - 1);
  g_autofree char *at = ps_format_offset (self->probe);
  g_autofree char *text = NULL;
  g_autoptr(PangoLayout) layout = NULL;
  double w;

  if (self->have_outcome)
    text = g_strdup_printf ("%s: %s", at, ps_probe_outcome_to_string (self->outcome));
  else if (self->probe >= limit)
    text = g_strdup_printf (_("%s: past the guard page"), at);
  else
    text = g_strdup_printf (_("probe at %s"), at);
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  /* the line through the bar, in the outcome's colour once there is one */
  set_fg (cr, style, 1.0);
  cairo_set_line_width (cr, 4);
  cairo_move_to (cr, x, bar_y - 2);
  cairo_line_to (cr, x, bar_y + BAR_HEIGHT + 2);
  cairo_stroke (cr);
  if (self->have_outcome)
    {
      Zone z = zone_of_outcome (self->outcome);
      cairo_set_source_rgb (cr, zone_rgb[z].r, zone_rgb[z].g, zone_rgb[z].b);
    }
  else
    cairo_set_source_rgb (cr, style->dark ? 0.12 : 1.0, style->dark ? 0.12 : 1.0, style->dark ? 0.12 : 1.0);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, x, bar_y - 1);
  cairo_line_to (cr, x, bar_y + BAR_HEIGHT + 1);
  cairo_stroke (cr);

  /* the arrow above, and what it says */
  set_fg (cr, style, 1.0);
  cairo_move_to (cr, x - 6, bar_y - 10);
  cairo_line_to (cr, x + 6, bar_y - 10);
  cairo_line_to (cr, x, bar_y - 2);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_move_to (cr, place_text (layout, x, width, &w), 0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_strip (PsProbeStrip *self,
            cairo_t      *cr,
            int           width)
{
  Style style;
  Layout l;
  double bar_y;

  get_style (self, &style);
  bar_y = style.line + 12;
  layout_zones (&self->geometry, width, &l);
  draw_bar (self, cr, &style, &l, bar_y);
  draw_ticks (self, cr, &style, &l, bar_y);
  if (self->have_probe)
    draw_marker (self, cr, &style, &l, bar_y);
}

static void
ps_probe_strip_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  PsProbeStrip *self = PS_PROBE_STRIP (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (!self->have_geometry || width <= 0 || height <= 0)
    return;
  if (self->cache == NULL)
    {
      GtkSnapshot *cache = gtk_snapshot_new ();
      cairo_t *cr = gtk_snapshot_append_cairo (cache, &GRAPHENE_RECT_INIT (0, 0, width, height));

      draw_strip (self, cr, width);
      cairo_destroy (cr);
      self->cache = gtk_snapshot_free_to_node (cache);
    }
  if (self->cache != NULL)
    gtk_snapshot_append_node (snapshot, self->cache);
}

static void
ps_probe_strip_invalidate (PsProbeStrip *self)
{
  g_clear_pointer (&self->cache, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ps_probe_strip_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 640;
    }
  else
    {
      Style style;

      get_style (PS_PROBE_STRIP (widget), &style);
      /* the marker's text, the arrow, the bar, the rows of ticks */
      *minimum = *natural = style.line + 12 + BAR_HEIGHT + 4 + TICK_ROWS * (style.line + 2);
    }
}

static void
ps_probe_strip_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  ps_probe_strip_invalidate (PS_PROBE_STRIP (widget));
}

static void
ps_probe_strip_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (ps_probe_strip_parent_class)->css_changed (widget, change);
  ps_probe_strip_invalidate (PS_PROBE_STRIP (widget));
}

static void
ps_probe_strip_finalize (GObject *object)
{
  g_clear_pointer (&PS_PROBE_STRIP (object)->cache, gsk_render_node_unref);
  G_OBJECT_CLASS (ps_probe_strip_parent_class)->finalize (object);
}

static void
ps_probe_strip_class_init (PsProbeStripClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ps_probe_strip_finalize;
  widget_class->snapshot = ps_probe_strip_snapshot;
  widget_class->measure = ps_probe_strip_measure;
  widget_class->size_allocate = ps_probe_strip_size_allocate;
  widget_class->css_changed = ps_probe_strip_css_changed;
  gtk_widget_class_set_css_name (widget_class, "probestrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ps_probe_strip_init (PsProbeStrip *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The mapping’s geometry and where the probe lands"), -1);
}

void
ps_probe_strip_set_geometry (PsProbeStrip     *self,
                             const PsGeometry *geometry,
                             PsSourceKind      kind)
{
  self->geometry = *geometry;
  self->have_geometry = TRUE;
  self->kind = kind;
  ps_probe_strip_invalidate (self);
}

/* A probe at offset; with_outcome: it ran, and this is what happened. */
void
ps_probe_strip_set_probe (PsProbeStrip   *self,
                          gboolean        have_probe,
                          guint64         offset,
                          gboolean        with_outcome,
                          PsProbeOutcome  outcome)
{
  self->have_probe = have_probe;
  self->probe = offset;
  self->have_outcome = have_probe && with_outcome;
  self->outcome = outcome;
  ps_probe_strip_invalidate (self);
}

/* Appends a sentence, after a space when the text has one already. */
G_GNUC_PRINTF (2, 3)
static void
add_sentence (GString    *text,
              const char *format,
              ...)
{
  va_list args;

  if (text->len > 0)
    g_string_append_c (text, ' ');
  va_start (args, format);
  g_string_append_vprintf (text, format, args);
  va_end (args);
}

/* What the strip shows, in words: its caption and its accessible description. */
char *
ps_probe_strip_describe (PsProbeStrip *self)
{
  const PsGeometry *g = &self->geometry;
  GString *text = g_string_new (NULL);
  guint64 start[N_ZONES], end[N_ZONES];
  char *first[N_ZONES], *last[N_ZONES];
  g_autofree char *mapping_end = NULL;
  g_autofree char *object_size = NULL;

  if (!self->have_geometry)
    return g_string_free (text, FALSE);
  zone_bounds (g, start, end);
  for (guint z = 0; z < N_ZONES; z++)
    {
      first[z] = ps_format_offset (start[z]);
      last[z] = end[z] > start[z] ? ps_format_offset (end[z] - 1) : NULL;
    }
  mapping_end = ps_format_offset (start[ZONE_GUARD]);
  object_size = ps_format_offset (g->object_size);

  /* the mapping as the kernel maps it, whole pages, as the strip ends it */
  add_sentence (text, g_dngettext (GETTEXT_PACKAGE,
                                   "The mapping is %s bytes: %" PRIu64 " page of %" PRIu64 " bytes.",
                                   "The mapping is %s bytes: %" PRIu64 " pages of %" PRIu64 " bytes.",
                                   g->n_pages),
                mapping_end, g->n_pages, g->page_size);
  add_sentence (text, self->kind == PS_SOURCE_FILE
                        ? g_dngettext (GETTEXT_PACKAGE, "The file is %s byte.", "The file is %s bytes.", g->object_size)
                        : g_dngettext (GETTEXT_PACKAGE, "The object is %s byte.", "The object is %s bytes.", g->object_size),
                object_size);
  if (g->offset > 0)
    {
      g_autofree char *offset = ps_format_offset (g->offset);

      add_sentence (text, _("It starts at offset %s of the object; the offsets here are into the mapping."), offset);
    }
  if (last[ZONE_DATA] != NULL)
    add_sentence (text, self->kind == PS_SOURCE_FILE
                        ? _("Offsets %s to %s: the file’s data (ok).")
                        : _("Offsets %s to %s: the object’s data (ok)."),
                  first[ZONE_DATA], last[ZONE_DATA]);
  if (last[ZONE_TAIL] != NULL)
    add_sentence (text, _("%s to %s: the zero tail, past EOF on its last page (reads 0; writes never reach the object)."),
                  first[ZONE_TAIL], last[ZONE_TAIL]);
  if (last[ZONE_BUS] != NULL)
    add_sentence (text, _("%s to %s: pages wholly past EOF inside the mapping (SIGBUS)."),
                  first[ZONE_BUS], last[ZONE_BUS]);
  add_sentence (text, _("%s to %s: the guard page past the mapping (SIGSEGV)."),
                first[ZONE_GUARD], last[ZONE_GUARD]);

  if (self->have_outcome)
    add_sentence (text, _("Probed at 0x%" PRIx64 " (%" PRIu64 "): %s."),
                  self->probe, self->probe, ps_probe_outcome_to_string (self->outcome));
  else if (self->have_probe && ps_probe_expected (g, self->probe) == PS_PROBE_OTHER)
    add_sentence (text, _("Offset 0x%" PRIx64 " (%" PRIu64 ") lies past the guard page: it cannot be probed."),
                  self->probe, self->probe);
  else if (self->have_probe)
    add_sentence (text, _("A probe at 0x%" PRIx64 " (%" PRIu64 ") should give %s."),
                  self->probe, self->probe, ps_probe_outcome_to_string (ps_probe_expected (g, self->probe)));
  for (guint z = 0; z < N_ZONES; z++)
    {
      g_free (first[z]);
      g_free (last[z]);
    }
  return g_string_free (text, FALSE);
}

gboolean
ps_probe_strip_get_geometry (PsProbeStrip *self,
                             PsGeometry   *geometry)
{
  g_return_val_if_fail (PS_IS_PROBE_STRIP (self), FALSE);

  if (self->have_geometry && geometry != NULL)
    *geometry = self->geometry;
  return self->have_geometry;
}
