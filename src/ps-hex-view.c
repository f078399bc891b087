/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsHexView: offsets, hex and ASCII of a mapping, one screen at a time.
 *
 * The vertical adjustment counts rows of bytes-per-row bytes, not
 * pixels, so a 16 GiB object (1 Gi rows) scrolls like a small one. This
 * file: the widget, its scrolling and the rows on screen; the rows' bytes
 * are read by ps-hex-rows.c, drawn by ps-hex-view-draw.c; input is in
 * ps-hex-view-input.c, the words a tooltip and a screen reader say in
 * ps-hex-view-a11y.c.
 *
 * Bytes come from the scanner's focus window when it covers a row (it follows
 * what is on screen), otherwise from ps_source_peek, which never reads a shmem
 * hole nor a page past EOF. The view never touches the mapping itself. */
#define G_LOG_DOMAIN "pagescope-hex"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ps-hex-view-private.h"

#define HEIGHT_CAP      (1 << 20)              /* natural height: enough to say "scroll" */

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
  PROP_BYTES_PER_ROW,
};

enum
{
  VISIBLE_RANGE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
content_width (PsHexView *self)
{
  return (int) ceil (2 * PS_HEX_PAD_X + ps_hex_view_row_chars (self) * self->char_w);
}

/* ---- the bytes of the rows on screen ---- */

PsFrame *
ps_hex_view_usable_frame (PsHexView *self)
{
  PsFrame *frame = self->frame;

  /* a frame of another source (or mapping) says nothing about this one */
  if (frame == NULL || frame->geometry.page_size != self->page_size || frame->geometry.length != self->length)
    return NULL;
  return frame;
}

void
ps_hex_view_refresh_data (PsHexView *self)
{
  self->data_dirty = FALSE;
  self->frame_held = FALSE;
  if (!ps_hex_view_has_bytes (self) || self->n_draw == 0)
    return;
  if (self->reader != NULL)
    ps_hex_rows_read_with (&self->rows, self->reader, self->reader_data, self->length, self->first_row, self->n_draw);
  else
    ps_hex_rows_read (&self->rows, self->source, self->frame, self->first_row, self->n_draw);
}

void
ps_hex_view_read_bytes (PsHexView *self,
                        guint64    offset,
                        guint8    *data,
                        gsize      len,
                        guint8    *kind)
{
  const PsGeometry *g;
  guint8 valid = 0;

  memset (data, 0, len);
  if (self->reader != NULL)
    {
      g_autofree guint8 *kinds = g_malloc0 (len);

      self->reader (self->reader_data, offset, len, data, kinds);
      if (kind != NULL)
        *kind = kinds[0];
      return;
    }
  if (self->source == NULL)
    return;
  /* holes and pages past EOF read as the zeros they are, without being read */
  g = ps_source_get_geometry (self->source);
  if (kind == NULL)
    {
      ps_source_peek (self->source, offset, data, len, NULL);
      return;
    }
  if (offset / self->page_size >= g->n_inside)
    {
      *kind = PS_HEX_BYTE_PAST_EOF;
      return;
    }
  ps_source_peek (self->source, offset, data, MIN (len, 1), &valid);
  *kind = valid ? (offset >= g->data_length ? PS_HEX_BYTE_ZERO_TAIL : PS_HEX_BYTE_DATA)
                : self->shmem ? PS_HEX_BYTE_NOT_ALLOCATED : PS_HEX_BYTE_UNREADABLE;
}

void
ps_hex_view_ensure_data (PsHexView *self)
{
  if (self->data_dirty)
    ps_hex_view_refresh_data (self);
}

/* ---- scrolling and the visible range -------------------------------------- */

double
ps_hex_view_page_rows (PsHexView *self)
{
  return self->vadjustment ? gtk_adjustment_get_page_size (self->vadjustment) : 0;
}

void
ps_hex_view_set_row_value (PsHexView *self,
               double     value)
{
  double upper = (double) self->n_rows;

  value = CLAMP (value, 0, MAX (upper - ps_hex_view_page_rows (self), 0));
  gtk_adjustment_set_value (self->vadjustment, value);
}


static void
update_view (PsHexView *self)
{
  double value = self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0;
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  guint64 offset = 0, length = 0;

  ps_hex_view_ensure_metrics (self);
  value = MAX (value, 0);
  self->first_row = MIN ((guint64) floor (value), self->n_rows);
  self->frac_px = (int) round ((value - floor (value)) * self->row_h);
  self->n_draw = 0;
  if (ps_hex_view_has_bytes (self) && height > 0 && self->first_row < self->n_rows)
    {
      guint64 want = (guint64) ceil ((double) (height + self->frac_px) / self->row_h);

      self->n_draw = (guint) MIN (want, self->n_rows - self->first_row);
      offset = self->first_row * self->bytes_per_row;
      length = MIN ((guint64) self->n_draw * self->bytes_per_row, self->length - offset);
    }
  self->data_dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  if (offset != self->range_offset || length != self->range_length)
    {
      self->range_offset = offset;
      self->range_length = length;
      ps_hex_view_update_accessible (self);
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
  ps_hex_view_set_row_value (self, (double) row - (ps_hex_view_page_rows (self) - 1) / 2);
}

static void
ps_hex_view_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  PsHexView *self = PS_HEX_VIEW (widget);

  ps_hex_view_ensure_metrics (self);
  configure_adjustments (self, width, height);
  if (self->pending_center && height > 0)
    {
      self->pending_center = FALSE;
      center_row (self, self->cursor / self->bytes_per_row);
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

  ps_hex_view_ensure_metrics (self);
  /* scroll policies are "natural": the scrolled window compares these with its size */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) ceil (2 * PS_HEX_PAD_X + 10 * self->char_w);
      *natural = content_width (self);
    }
  else
    {
      *minimum = self->row_h;
      *natural = (int) MIN ((guint64) self->row_h * MAX (self->n_rows, 1), HEIGHT_CAP);
    }
}

/* Scrolls as little as possible to show a row whole. */
void
ps_hex_view_scroll_to_row (PsHexView *self,
               guint64    row)
{
  double value = gtk_adjustment_get_value (self->vadjustment);
  double page = ps_hex_view_page_rows (self);

  if (page <= 0)
    {
      self->pending_center = TRUE;
      return;
    }
  if (row < value)
    ps_hex_view_set_row_value (self, row);
  else if (row + 1 > value + page)
    ps_hex_view_set_row_value (self, row + 1 - page);
}


/* ---- GObject, GtkWidget, GtkScrollable ------------------------------------ */

static void
ps_hex_view_css_changed (GtkWidget         *widget,
                         GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (ps_hex_view_parent_class)->css_changed (widget, change);
  ps_hex_view_restyle (PS_HEX_VIEW (widget));
}

static void
ps_hex_view_system_setting_changed (GtkWidget        *widget,
                                    GtkSystemSetting  setting)
{
  GTK_WIDGET_CLASS (ps_hex_view_parent_class)->system_setting_changed (widget, setting);
  if (setting == GTK_SYSTEM_SETTING_DPI || setting == GTK_SYSTEM_SETTING_FONT_NAME ||
      setting == GTK_SYSTEM_SETTING_FONT_CONFIG)
    ps_hex_view_invalidate_metrics (PS_HEX_VIEW (widget));
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
  ps_hex_view_stop_updates (PS_HEX_VIEW (widget));
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
    case PROP_BYTES_PER_ROW: g_value_set_uint (value, self->bytes_per_row); break;
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
    case PROP_BYTES_PER_ROW:
      ps_hex_view_set_bytes_per_row (self, g_value_get_uint (value));
      break;
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

static void clear_reader (PsHexView *self);

static void
ps_hex_view_dispose (GObject *object)
{
  PsHexView *self = PS_HEX_VIEW (object);

  ps_hex_view_stop_updates (self);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_object (&self->source);
  clear_reader (self);
  g_clear_pointer (&self->frame, ps_frame_unref);
  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_hadjustment_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_vadjustment_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  ps_hex_view_clear_slots (self);
  G_OBJECT_CLASS (ps_hex_view_parent_class)->dispose (object);
}

static void
ps_hex_view_finalize (GObject *object)
{
  PsHexView *self = PS_HEX_VIEW (object);

  ps_hex_rows_clear (&self->rows);
  g_free (self->highlights);
  g_clear_pointer (&self->font, pango_font_description_free);
  g_clear_pointer (&self->style_font, pango_font_description_free);
  G_OBJECT_CLASS (ps_hex_view_parent_class)->finalize (object);
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
  /* bytes a row: a multiple of 8 (another is taken down to one) */
  g_object_class_install_property (object_class, PROP_BYTES_PER_ROW,
    g_param_spec_uint ("bytes-per-row", NULL, NULL, PS_HEX_MIN_BYTES_PER_ROW, PS_HEX_MAX_BYTES_PER_ROW,
                       PS_HEX_BYTES_PER_ROW, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

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
  ps_hex_view_class_init_input (widget_class);

  gtk_widget_class_set_css_name (widget_class, "hexview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_hex_view_scrollable_init (GtkScrollableInterface *iface)
{
}


static void
ps_hex_view_init (PsHexView *self)
{
  self->hscroll_policy = GTK_SCROLL_NATURAL;
  self->vscroll_policy = GTK_SCROLL_NATURAL;
  self->n_digits = 8;
  self->bytes_per_row = PS_HEX_BYTES_PER_ROW;
  self->page_size = 4096;
  set_adjustment (self, &self->hadjustment, NULL, G_CALLBACK (on_hadjustment_changed), "hadjustment");
  set_adjustment (self, &self->vadjustment, NULL, G_CALLBACK (on_vadjustment_changed), "vadjustment");

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "view");
  gtk_widget_add_css_class (GTK_WIDGET (self), "ps-hex");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Hex view"), -1);
  ps_hex_view_update_accessible (self);
  ps_hex_view_init_input (self);
  ps_hex_view_update_actions (self);
}

/* ---- public API ------------------------------------------------------------ */

void
ps_hex_view_set_bytes_per_row (PsHexView *self,
                               guint      bytes_per_row)
{
  guint64 top;

  g_return_if_fail (PS_IS_HEX_VIEW (self));
  g_return_if_fail (bytes_per_row >= PS_HEX_MIN_BYTES_PER_ROW && bytes_per_row <= PS_HEX_MAX_BYTES_PER_ROW);

  bytes_per_row -= bytes_per_row % 8;
  if (bytes_per_row == self->bytes_per_row)
    return;
  /* the byte at the top stays in the top row */
  top = self->first_row * self->bytes_per_row;
  self->bytes_per_row = bytes_per_row;
  ps_hex_rows_set_width (&self->rows, bytes_per_row);
  ps_hex_view_clear_slots (self);
  self->n_rows = (self->length + bytes_per_row - 1) / bytes_per_row;
  /* the adjustments count rows of the old width until the next allocation */
  gtk_adjustment_configure (self->vadjustment, (double) (top / bytes_per_row), 0, (double) self->n_rows,
                            1, gtk_adjustment_get_page_increment (self->vadjustment),
                            gtk_adjustment_get_page_size (self->vadjustment));
  update_view (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify (G_OBJECT (self), "bytes-per-row");
}

guint
ps_hex_view_get_bytes_per_row (PsHexView *self)
{
  g_return_val_if_fail (PS_IS_HEX_VIEW (self), PS_HEX_BYTES_PER_ROW);
  return self->bytes_per_row;
}

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

/* Shows length bytes of a mapping from now on: from the top, nothing
 * selected. */
static void
reset_bytes (PsHexView *self,
             guint64    length,
             guint64    page_size,
             gboolean   shmem)
{
  g_clear_pointer (&self->frame, ps_frame_unref);
  ps_hex_view_stop_updates (self);
  ps_hex_view_clear_slots (self);

  self->length = length;
  self->page_size = MAX (page_size, self->bytes_per_row);
  self->shmem = shmem;
  self->n_rows = (self->length + self->bytes_per_row - 1) / self->bytes_per_row;
  self->n_digits = MAX (8, hex_digits (self->length > 0 ? self->length - 1 : 0));
  self->cursor = self->anchor = 0;
  self->has_selection = FALSE;
  self->pending_center = FALSE;
  ps_hex_view_update_actions (self);

  gtk_adjustment_set_value (self->vadjustment, 0);
  gtk_adjustment_set_value (self->hadjustment, 0);
  update_view (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
clear_reader (PsHexView *self)
{
  if (self->reader_destroy != NULL)
    self->reader_destroy (self->reader_data);
  self->reader = NULL;
  self->reader_data = NULL;
  self->reader_destroy = NULL;
}

void
ps_hex_view_set_source (PsHexView *self,
                        PsSource  *source)
{
  const PsGeometry *g;

  g_return_if_fail (PS_IS_HEX_VIEW (self));
  g_return_if_fail (source == NULL || PS_IS_SOURCE (source));

  if (source == self->source && self->reader == NULL)
    return;
  clear_reader (self);
  g_set_object (&self->source, source);
  if (source == NULL)
    {
      reset_bytes (self, 0, self->bytes_per_row, FALSE);
      return;
    }
  g = ps_source_get_geometry (source);
  reset_bytes (self, g->length, g->page_size, ps_source_is_shmem (source));
}

void
ps_hex_view_set_reader (PsHexView     *self,
                        guint64        length,
                        guint64        page_size,
                        PsHexReadFunc  func,
                        gpointer       user_data,
                        GDestroyNotify destroy)
{
  g_return_if_fail (PS_IS_HEX_VIEW (self));
  g_return_if_fail (func != NULL);

  clear_reader (self);
  g_clear_object (&self->source);
  self->reader = func;
  self->reader_data = user_data;
  self->reader_destroy = destroy;
  reset_bytes (self, length, page_size, FALSE);
}

void
ps_hex_view_reload (PsHexView *self)
{
  g_return_if_fail (PS_IS_HEX_VIEW (self));

  self->data_dirty = TRUE;
  ps_hex_view_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
  ps_hex_view_frame_changed (self);
}

void
ps_hex_view_goto (PsHexView *self,
                  guint64    offset)
{
  double value, page;
  guint64 row;

  g_return_if_fail (PS_IS_HEX_VIEW (self));

  if (!ps_hex_view_has_bytes (self) || self->length == 0)
    return;
  offset = MIN (offset, self->length - 1);
  row = offset / self->bytes_per_row;
  self->cursor = self->anchor = offset;
  self->has_selection = FALSE;
  ps_hex_view_update_actions (self);
  ps_hex_view_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  value = gtk_adjustment_get_value (self->vadjustment);
  page = ps_hex_view_page_rows (self);
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
  ps_hex_view_update_actions (self);
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
  if (!ps_hex_view_has_bytes (self) || offset >= self->length || offset / self->bytes_per_row < self->first_row ||
      offset / self->bytes_per_row >= self->first_row + self->n_draw)
    return -1;
  ps_hex_view_ensure_data (self);
  return (gssize) ((offset / self->bytes_per_row - self->first_row) * self->bytes_per_row + offset % self->bytes_per_row);
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
    *value = self->rows.bytes[k];
  return TRUE;
}

PsHexByteKind
ps_hex_view_get_byte_kind (PsHexView *self,
                           guint64    offset)
{
  gssize k;

  g_return_val_if_fail (PS_IS_HEX_VIEW (self), PS_HEX_BYTE_OFF_SCREEN);

  k = screen_index (self, offset);
  return k < 0 ? PS_HEX_BYTE_OFF_SCREEN : (PsHexByteKind) self->rows.kinds[k];
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
  return (double) ps_hex_glow_level (self->rows.change_us[k], g_get_monotonic_time ()) / PS_HEX_GLOW_LEVELS;
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
  ps_hex_view_ensure_metrics (self);
  if (rect != NULL)
    *rect = ps_hex_view_cell_rect (self, (guint) (offset / self->bytes_per_row - self->first_row), offset % self->bytes_per_row, ascii);
  return TRUE;
}

/* ---- for tests (ps-hex-view-private.h) ------------------------------------- */

guint
ps_hex_view_get_snapshot_count (PsHexView *self)
{
  g_return_val_if_fail (PS_IS_HEX_VIEW (self), 0);
  return self->n_snapshots;
}

/* ---- highlights ---- */

static int
compare_highlights (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  const PsHighlight *x = a, *y = b;

  return (x->offset > y->offset) - (x->offset < y->offset);
}

void
ps_hex_view_set_highlights (PsHexView         *self,
                            const PsHighlight *ranges,
                            guint              n_ranges)
{
  g_return_if_fail (PS_IS_HEX_VIEW (self));
  g_return_if_fail (ranges != NULL || n_ranges == 0);

  g_clear_pointer (&self->highlights, g_free);
  self->n_highlights = 0;
  self->highlight_span = 0;
  if (n_ranges > 0)
    {
      self->highlights = g_memdup2 (ranges, (gsize) n_ranges * sizeof *ranges);
      self->n_highlights = n_ranges;
      /* stable: of two ranges at one offset the later is drawn over */
      g_qsort_with_data (self->highlights, n_ranges, sizeof *ranges, compare_highlights, NULL);
      for (guint i = 0; i < n_ranges; i++)
        self->highlight_span = MAX (self->highlight_span, ranges[i].length);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
