/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The probe dialog: an offset and Read or Write (a write says what it will
 * do before it runs), Probe (win.probe) and Sweep (win.probe-sweep); the
 * outcome from the window's "probe-finished", with its explanation, and the
 * geometry drawn as a strip: the object's data, the zero tail up to EOF
 * rounded up to a page, the pages wholly past EOF (SIGBUS), the guard page
 * past the mapping (SIGSEGV), and where the probe lands. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <math.h>

#include "ps-label.h"
#include "ps-parse.h"
#include "ps-probe-dialog.h"
#include "ps-probe.h"

/* An offset as the dialog shows it everywhere, the strip and its caption
 * too: hex, as the offset field and the log have it, then decimal. */
static char *
format_offset (guint64 offset)
{
  /* TRANSLATORS: an offset into the mapping, e.g. "0x2064 (8292)" */
  return g_strdup_printf (_("0x%" PRIx64 " (%" PRIu64 ")"), offset, offset);
}

/* ---- the geometry strip ---------------------------------------------------- */

#define PS_TYPE_PROBE_STRIP (ps_probe_strip_get_type ())
G_DECLARE_FINAL_TYPE (PsProbeStrip, ps_probe_strip, PS, PROBE_STRIP, GtkWidget)

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
      g_autofree char *at = format_offset (g->data_length);
      ticks[n++] = (Tick) { g->data_length, g_strdup_printf (_("EOF %s"), at) };
    }
  if (inside_end > g->data_length && inside_end < mapping_end)
    {
      g_autofree char *at = format_offset (inside_end);
      ticks[n++] = (Tick) { inside_end, g_strdup_printf (_("EOF rounded up %s"), at) };
    }
  {
    g_autofree char *at = format_offset (mapping_end);
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
  g_autofree char *at = format_offset (self->probe);
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

static void
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
static void
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
static char *
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
      first[z] = format_offset (start[z]);
      last[z] = end[z] > start[z] ? format_offset (end[z] - 1) : NULL;
    }
  mapping_end = format_offset (start[ZONE_GUARD]);
  object_size = format_offset (g->object_size);

  /* the mapping as the kernel maps it, whole pages, as the strip ends it */
  add_sentence (text, g_dngettext (GETTEXT_PACKAGE,
                                   "The mapping is %s bytes: %" PRIu64 " page of %" PRIu64 " bytes.",
                                   "The mapping is %s bytes: %" PRIu64 " pages of %" PRIu64 " bytes.",
                                   g->n_pages),
                mapping_end, g->n_pages, g->page_size);
  add_sentence (text, self->kind == PS_SOURCE_FILE ? _("The file is %s bytes.") : _("The object is %s bytes."),
                object_size);
  if (g->offset > 0)
    {
      g_autofree char *offset = format_offset (g->offset);

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

/* ---- the dialog ------------------------------------------------------------ */

#define PS_TYPE_PROBE_DIALOG (ps_probe_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PsProbeDialog, ps_probe_dialog, PS, PROBE_DIALOG, AdwWindow)

struct _PsProbeDialog
{
  AdwWindow        parent_instance;

  /* template children */
  AdwEntryRow     *offset_row;
  AdwActionRow    *access_row;
  GtkToggleButton *read_button;
  GtkToggleButton *write_button;
  GtkRevealer     *write_revealer;
  GtkLabel        *write_warning_label;
  GtkLabel        *error_label;
  GtkButton       *probe_button;
  GtkButton       *sweep_button;
  GtkLabel        *status_label;
  GtkLabel        *outcome_label;
  GtkLabel        *detail_label;
  GtkLabel        *explanation_label;
  PsProbeStrip    *strip;
  GtkLabel        *caption_label;

  PsWindow        *window;        /* weak */
  PsProbeResult    result;        /* the last probe the window reported */
  gboolean         have_result;
  gboolean         failed;        /* an action this dialog drives failed */
};

G_DEFINE_FINAL_TYPE (PsProbeDialog, ps_probe_dialog, ADW_TYPE_WINDOW)

static const char *const outcome_classes[] = { "success", "warning", "error" };

static PsSource *
window_source (PsProbeDialog *self)
{
  return self->window != NULL ? ps_window_get_source (self->window) : NULL;
}

static void update_offset (PsProbeDialog *self);

/* ---- errors ---- */

/* The last status or failure goes; what is wrong with the offset stays. */
static void
clear_error (PsProbeDialog *self)
{
  ps_label_show (self->status_label, NULL);
  update_offset (self);
}

static void
on_action_failed (PsWindow      *window,
                  const char    *action,
                  const GError  *error,
                  PsProbeDialog *self)
{
  if (g_strcmp0 (action, "probe") == 0 || g_strcmp0 (action, "probe-sweep") == 0)
    {
      self->failed = TRUE;
      ps_label_show (self->error_label, error->message);
    }
}

/* ---- the strip and its words ---- */

static void
update_caption (PsProbeDialog *self)
{
  g_autofree char *text = ps_probe_strip_describe (self->strip);

  gtk_label_set_text (self->caption_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->strip), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static gboolean
typed_offset (PsProbeDialog *self,
              guint64       *offset,
              GError       **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->offset_row))));

  if (*text == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Type an offset into the mapping, e.g. 4096 or 0x1000"));
      return FALSE;
    }
  return ps_parse_offset (text, _("offset"), offset, error);
}

/* The offset typed, if a probe can be made there; else NULL and why. Past
 * the guard page is not this mapping's, and the window refuses it. */
static char *
check_offset (PsProbeDialog *self,
              guint64       *offset)
{
  g_autoptr(GError) error = NULL;
  const PsGeometry *g = &self->strip->geometry;

  if (!typed_offset (self, offset, &error))
    return g_strdup (error->message);
  if (self->strip->have_geometry && ps_probe_expected (g, *offset) == PS_PROBE_OTHER)
    {
      g_autofree char *at = format_offset (*offset);
      g_autofree char *last = format_offset ((g->n_pages + 1) * g->page_size - 1);

      return g_strdup_printf (_("Offset %s lies past the guard page, so it cannot be probed: type an offset up to %s, "
                                "the guard page’s last byte"), at, last);
    }
  return NULL;
}

/* Probe only for an offset that can be probed: else the row is marked and
 * the error line says why. */
static void
update_offset (PsProbeDialog *self)
{
  guint64 offset;
  g_autofree char *problem = check_offset (self, &offset);

  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->offset_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->offset_row), "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "probe.run", problem == NULL);
  ps_label_show (self->error_label, problem);
}

/* The marker follows what is typed; it keeps the last outcome while the
 * offset is the one probed. */
static void
on_offset_changed (PsProbeDialog *self)
{
  guint64 offset = 0;
  gboolean valid = typed_offset (self, &offset, NULL);
  gboolean probed = valid && self->have_result && self->result.offset == offset;

  clear_error (self);
  ps_probe_strip_set_probe (self->strip, valid, offset, probed, self->result.outcome);
  update_caption (self);
}

/* ---- write or read ---- */

static void
update_write_warning (PsProbeDialog *self)
{
  PsSource *source = window_source (self);
  gboolean writable = source != NULL && ps_source_is_writable (source);

  gtk_widget_set_sensitive (GTK_WIDGET (self->write_button), writable);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->write_button),
                               writable ? NULL : _("The mapping is read-only: reopen it writable to probe with a write"));
  if (source != NULL && ps_source_is_private (source))
    gtk_label_set_text (self->write_warning_label,
                        _("A write probe makes a child process write one byte at the offset (Sweep writes one in each page it probes). "
                          "This mapping is MAP_PRIVATE: the child writes its own copy of the page (copy-on-write after fork), "
                          "so neither the object nor this window changes."));
  else
    gtk_label_set_text (self->write_warning_label,
                        _("A write probe makes a child process write one byte at the offset (Sweep writes one in each page it probes). "
                          "This mapping is shared, so the write is real: inside the object it changes the data for every process "
                          "that maps it. In the zero tail past EOF it lands in the page cache, where other processes mapping the "
                          "object can see it while the page stays cached, though it never becomes part of the object."));
}

static gboolean
writing (PsProbeDialog *self)
{
  return gtk_toggle_button_get_active (self->write_button);
}

static void
on_access_changed (PsProbeDialog *self)
{
  clear_error (self);
  gtk_revealer_set_reveal_child (self->write_revealer, writing (self));
  adw_action_row_set_subtitle (self->access_row,
                               writing (self) ? _("Write one byte: read what it does below before you probe")
                                              : _("Read one byte, or write one"));
}

/* ---- the outcome ---- */

static char *
outcome_title (const PsProbeResult *r)
{
  const char *outcome = ps_probe_outcome_to_string (r->outcome);

  if ((r->outcome == PS_PROBE_SIGBUS || r->outcome == PS_PROBE_SIGSEGV) && r->have_fault)
    {
      g_autofree char *code = ps_si_code_name (r->signo, r->si_code);
      return g_strdup_printf ("%s (%s)", outcome, code);
    }
  return g_strdup (outcome);
}

static char *
outcome_detail (const PsProbeResult *r)
{
  g_autofree char *what = NULL;

  if (r->outcome == PS_PROBE_OK || r->outcome == PS_PROBE_ZERO_TAIL)
    what = g_strdup_printf (r->write ? _("wrote 0x%02x at 0x%" PRIx64 "") : _("read 0x%02x at 0x%" PRIx64 ""),
                            r->value, r->offset);
  else if (r->have_fault)
    what = g_strdup_printf (r->write ? _("a write at 0x%" PRIx64 " faulted at +0x%" PRIx64 "")
                                     : _("a read at 0x%" PRIx64 " faulted at +0x%" PRIx64 ""),
                            r->offset, r->fault_offset);
  else
    what = g_strdup_printf (r->write ? _("a write at 0x%" PRIx64 "") : _("a read at 0x%" PRIx64 ""), r->offset);
  return g_strdup_printf (_("%s · child %d · %.2f ms"), what, (int) r->pid, r->elapsed_us / 1000.0);
}

static void
show_result (PsProbeDialog *self)
{
  const PsProbeResult *r = &self->result;
  g_autofree char *title = outcome_title (r);
  g_autofree char *detail = outcome_detail (r);
  g_autofree char *explanation = ps_probe_explain (r);
  guint class = r->outcome == PS_PROBE_OK ? 0 : r->outcome == PS_PROBE_ZERO_TAIL ? 1 : 2;

  gtk_label_set_text (self->outcome_label, title);
  gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_label), "dim-label");
  for (guint i = 0; i < G_N_ELEMENTS (outcome_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->outcome_label), outcome_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->outcome_label), outcome_classes[class]);
  gtk_label_set_text (self->detail_label, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), TRUE);
  gtk_label_set_text (self->explanation_label, explanation);

  ps_probe_strip_set_geometry (self->strip, &r->geometry, r->kind);
  ps_probe_strip_set_probe (self->strip, TRUE, r->offset, TRUE, r->outcome);
  update_caption (self);
  update_offset (self);
}

static void
on_probe_finished (PsWindow            *window,
                   const PsProbeResult *result,
                   PsProbeDialog       *self)
{
  self->result = *result;
  self->have_result = TRUE;
  show_result (self);
}

/* ---- actions ---- */

static void
action_run (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  PsProbeDialog *self = PS_PROBE_DIALOG (widget);
  g_autofree char *problem = NULL;
  g_autofree char *arg = NULL;
  guint64 offset;

  clear_error (self);
  if (self->window == NULL)
    return;
  /* Probe is off for an offset that cannot be probed, and says why */
  if ((problem = check_offset (self, &offset)) != NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->offset_row));
      return;
    }
  arg = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x %s", offset, writing (self) ? "write" : "read");
  /* the outcome comes back through "probe-finished", a failure through "action-failed" */
  self->failed = FALSE;
  if (!gtk_widget_activate_action (GTK_WIDGET (self->window), "win.probe", "s", arg))
    ps_label_show (self->error_label, _("The window cannot probe now"));
}

static void
action_sweep (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PsProbeDialog *self = PS_PROBE_DIALOG (widget);
  PsSource *source = window_source (self);
  PsGeometry g;

  clear_error (self);
  if (self->window == NULL || source == NULL)
    return;
  self->failed = FALSE;
  if (!gtk_widget_activate_action (GTK_WIDGET (self->window), "win.probe-sweep", "s", writing (self) ? "write" : "read"))
    ps_label_show (self->error_label, _("The window cannot probe now"));
  else if (!self->failed && ps_source_restat (source, &g, NULL, NULL))
    {
      /* as the sweep goes: from the page holding EOF to the guard page */
      guint64 n = g.n_pages + 1 - (g.n_inside > 0 ? g.n_inside - 1 : 0);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Probed %" PRIu64 " page, from the one holding EOF to the guard page: its outcome is painted on the grid.",
                                                            "Probed %" PRIu64 " pages, from the one holding EOF to the guard page: their outcomes are painted on the grid.",
                                                            n),
                                               n);

      ps_label_show (self->status_label, text);
    }
}

/* ---- lifetime ---- */

static void
ps_probe_dialog_dispose (GObject *object)
{
  PsProbeDialog *self = PS_PROBE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_PROBE_DIALOG);
  g_clear_weak_pointer (&self->window);
  G_OBJECT_CLASS (ps_probe_dialog_parent_class)->dispose (object);
}

static void
ps_probe_dialog_class_init (PsProbeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_probe_dialog_dispose;

  g_type_ensure (PS_TYPE_PROBE_STRIP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-probe-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, offset_row);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, access_row);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, read_button);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, write_button);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, write_revealer);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, write_warning_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, probe_button);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, sweep_button);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, detail_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, strip);
  gtk_widget_class_bind_template_child (widget_class, PsProbeDialog, caption_label);
  gtk_widget_class_bind_template_callback (widget_class, on_offset_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_access_changed);

  gtk_widget_class_install_action (widget_class, "probe.run", NULL, action_run);
  gtk_widget_class_install_action (widget_class, "probe.sweep", NULL, action_sweep);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_probe_dialog_init (PsProbeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  on_access_changed (self);
}

GtkWindow *
ps_probe_dialog_new (PsWindow *window,
                     guint64   offset)
{
  PsProbeDialog *self;
  PsSource *source;
  g_autofree char *text = NULL;

  g_return_val_if_fail (PS_IS_WINDOW (window), NULL);

  self = g_object_new (PS_TYPE_PROBE_DIALOG, "transient-for", window, NULL);
  g_set_weak_pointer (&self->window, window);
  g_signal_connect_object (window, "probe-finished", G_CALLBACK (on_probe_finished), self, 0);
  g_signal_connect_object (window, "action-failed", G_CALLBACK (on_action_failed), self, 0);

  source = ps_window_get_source (window);
  if (source != NULL)
    {
      PsGeometry geometry;

      /* the size now, not when the window last looked */
      if (!ps_source_restat (source, &geometry, NULL, NULL))
        geometry = *ps_source_get_geometry (source);
      ps_probe_strip_set_geometry (self->strip, &geometry, ps_source_get_kind (source));
    }
  update_write_warning (self);
  text = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", offset);
  gtk_editable_set_text (GTK_EDITABLE (self->offset_row), text);
  on_offset_changed (self);
  return GTK_WINDOW (self);
}
