/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the page grid's colours mean in the current mode: a wrapping row of
 * swatches (the grid's own colours, from ps_page_grid_mode_legend) and one
 * line on how to read them. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-grid-legend.h"

struct _PsGridLegend
{
  GtkWidget     parent_instance;

  GtkWidget    *box;
  GtkFlowBox   *swatches;
  GtkLabel     *hint;

  PsGridMode    mode;            /* a render mode (ps_grid_render_mode) */
  guint         fade_ms;
  PsDirtySource dirty_source;
  gboolean      shmem;
  guint         marks_shown;   /* bit m: a page has mark m */
};

G_DEFINE_FINAL_TYPE (PsGridLegend, ps_grid_legend, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_FADE_TIME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
source_argb (cairo_t *cr,
             guint32  premultiplied)
{
  double a = (premultiplied >> 24) / 255.0;

  if (a <= 0)
    {
      cairo_set_source_rgba (cr, 0, 0, 0, 0);
      return;
    }
  cairo_set_source_rgba (cr, ((premultiplied >> 16) & 0xff) / 255.0 / a,
                         ((premultiplied >> 8) & 0xff) / 255.0 / a,
                         (premultiplied & 0xff) / 255.0 / a, a);
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  const PsGridLegendEntry *entry = data;

  if (entry->swatch == PS_GRID_SWATCH_LINE)
    {
      /* the boundary line, between two dim cells */
      cairo_set_source_rgba (cr, 0.55, 0.55, 0.6, 0.25);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
      source_argb (cr, entry->color);
      cairo_rectangle (cr, 0, height / 2 - 1, width, 2);
      cairo_fill (cr);
      return;
    }
  source_argb (cr, entry->color);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  if (entry->swatch == PS_GRID_SWATCH_HATCHED)
    {
      source_argb (cr, entry->hatch);
      cairo_set_line_width (cr, 1);
      for (int d = 3; d < width + height; d += 4)
        {
          cairo_move_to (cr, d + 0.5, -0.5);
          cairo_line_to (cr, d - height + 0.5, height - 0.5);
        }
      cairo_save (cr);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_clip (cr);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
  /* a grey outline, so pale swatches show on either style */
  cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.45);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  cairo_stroke (cr);
}

static GtkWidget *
make_item (const PsGridLegendEntry *entry,
           guint                    fade_ms)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *swatch = g_object_new (GTK_TYPE_DRAWING_AREA,
                                    "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                    "content-width", 12,
                                    "content-height", 12,
                                    "valign", GTK_ALIGN_CENTER,
                                    NULL);
  g_autofree char *text = ps_grid_legend_entry_label (entry, fade_ms);
  GtkWidget *label = gtk_label_new (text);

  /* a long entry ("private copy: msync never writes it back") is cut, whole
   * in its tooltip, rather than widening the legend's narrow column. Not
   * wrapped: at GTK 4.8 a flow box of wrapping labels asks for a height
   * that scrolled the grid and the hex view out of the window. */
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 22);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_tooltip_text (label, text);

  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, (gpointer) entry, NULL);
  gtk_widget_add_css_class (swatch, "ps-swatch");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
rebuild (PsGridLegend *self)
{
  const PsGridLegendEntry *entries;
  GtkWidget *child;
  g_autofree char *hint = NULL;
  guint n;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->swatches))) != NULL)
    gtk_flow_box_remove (self->swatches, child);
  entries = ps_page_grid_mode_legend (self->mode, &n);
  for (guint i = 0; i < n; i++)
    gtk_flow_box_append (self->swatches, make_item (&entries[i], self->fade_ms));
  for (guint m = 1; m < PS_GRID_N_MARKS; m++)
    if (self->marks_shown & (1u << m))
      gtk_flow_box_append (self->swatches, make_item (&ps_grid_palette_get ()->mark_legend[m], self->fade_ms));
  hint = ps_page_grid_mode_hint (self->mode, self->fade_ms);
  if (PS_GRID_MODE_BASE (self->mode) == PS_GRID_DIRTY || PS_GRID_MODE_BASE (self->mode) == PS_GRID_DIRTY_UNKNOWN)
    {
      g_autofree char *text = g_strjoin (" ", hint,
                                         ps_grid_dirty_source_text (self->dirty_source),
                                         self->shmem ? ps_grid_dirty_shmem_text () : NULL, NULL);

      gtk_label_set_text (self->hint, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->hint), text);
      return;
    }
  gtk_label_set_text (self->hint, hint);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hint), NULL);
}

static void
ps_grid_legend_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PS_TYPE_GRID_LEGEND);
  G_OBJECT_CLASS (ps_grid_legend_parent_class)->dispose (object);
}

static void
ps_grid_legend_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PsGridLegend *self = PS_GRID_LEGEND (object);

  switch (prop_id)
    {
    case PROP_FADE_TIME: g_value_set_uint (value, self->fade_ms); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_grid_legend_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PsGridLegend *self = PS_GRID_LEGEND (object);

  switch (prop_id)
    {
    case PROP_FADE_TIME: ps_grid_legend_set_fade_time (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_grid_legend_class_init (PsGridLegendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_grid_legend_dispose;
  object_class->get_property = ps_grid_legend_get_property;
  object_class->set_property = ps_grid_legend_set_property;

  /* the grid's fade time, which the activity legend names */
  properties[PROP_FADE_TIME] =
    g_param_spec_uint ("fade-time", NULL, NULL, PS_GRID_FADE_MS_MIN, PS_GRID_FADE_MS_MAX, PS_GRID_FADE_MS_DEFAULT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "ps-grid-legend.ui");
  gtk_widget_class_bind_template_child (widget_class, PsGridLegend, box);
  gtk_widget_class_bind_template_child (widget_class, PsGridLegend, swatches);
  gtk_widget_class_bind_template_child (widget_class, PsGridLegend, hint);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "gridlegend");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_grid_legend_init (PsGridLegend *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->fade_ms = PS_GRID_FADE_MS_DEFAULT;
  gtk_widget_add_css_class (GTK_WIDGET (self), "ps-grid-legend");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Page grid colours"),
                                  -1);
  rebuild (self);
}

GtkWidget *
ps_grid_legend_new (void)
{
  return g_object_new (PS_TYPE_GRID_LEGEND, NULL);
}

void
ps_grid_legend_set_mode (PsGridLegend *self,
                         PsGridMode    mode)
{
  g_return_if_fail (PS_IS_GRID_LEGEND (self));
  g_return_if_fail (PS_GRID_MODE_BASE (mode) < PS_GRID_N_TABLES);

  if (mode == self->mode)
    return;
  self->mode = mode;
  rebuild (self);
}

PsGridMode
ps_grid_legend_get_mode (PsGridLegend *self)
{
  g_return_val_if_fail (PS_IS_GRID_LEGEND (self), PS_GRID_ACTIVITY);
  return self->mode;
}

void
ps_grid_legend_set_dirty_source (PsGridLegend  *self,
                                 PsDirtySource  source,
                                 gboolean       shmem)
{
  g_return_if_fail (PS_IS_GRID_LEGEND (self));

  shmem = !!shmem;
  if (source == self->dirty_source && shmem == self->shmem)
    return;
  self->dirty_source = source;
  self->shmem = shmem;
  rebuild (self);
}

const char *
ps_grid_legend_get_hint (PsGridLegend *self)
{
  g_return_val_if_fail (PS_IS_GRID_LEGEND (self), NULL);
  return gtk_label_get_text (self->hint);
}

void
ps_grid_legend_set_marks (PsGridLegend *self,
                          const guint8 *marks,
                          gsize         n_marks)
{
  guint shown = 0;

  g_return_if_fail (PS_IS_GRID_LEGEND (self));

  for (gsize i = 0; i < n_marks; i++)
    if (marks[i] != 0)
      shown |= 1u << MIN (marks[i], PS_GRID_N_MARKS - 1);
  if (shown == self->marks_shown)
    return;
  self->marks_shown = shown;
  rebuild (self);
}

void
ps_grid_legend_set_fade_time (PsGridLegend *self,
                              guint         fade_ms)
{
  g_return_if_fail (PS_IS_GRID_LEGEND (self));
  g_return_if_fail (fade_ms >= PS_GRID_FADE_MS_MIN && fade_ms <= PS_GRID_FADE_MS_MAX);

  if (fade_ms == self->fade_ms)
    return;
  self->fade_ms = fade_ms;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FADE_TIME]);
}
