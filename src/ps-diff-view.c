/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The diff's bar and its list of changed rows. The rows are found again
 * when the snapshot says the pages that differ may have changed, at most
 * twice a second and only while the list is shown: each changed page is
 * compared row by row (ps_snapshot_get_changed_rows), never the pages that
 * did not change, so a 1 GiB mapping with three changed pages costs three
 * pages' compare. */
#define G_LOG_DOMAIN "pagescope-diff"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ps-diff-view.h"
#include "ps-hex-rows.h"

#define REFRESH_MS 500

struct _PsDiffView
{
  GtkWidget        parent_instance;

  GtkLabel        *summary;
  GtkScrolledWindow *rows_scroller;
  GtkListView     *rows_view;

  PsSnapshot      *snapshot;
  GtkStringList   *rows;         /* indexes into offsets, as decimal text */
  GArray          *offsets;      /* the rows' offsets, guint64 */
  GArray          *unknown;      /* per row: 0, or a notice's bytes not kept (gsize) */
  guint            bytes_per_row; /* as the hex view's */
  gboolean         only_changed;
  gboolean         rows_stale;
  guint            refresh_id;
  gint64           refreshed_us;
};

G_DEFINE_FINAL_TYPE (PsDiffView, ps_diff_view, GTK_TYPE_WIDGET)

enum { ROW_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_BYTES_PER_ROW, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- a row's text --------------------------------------------------------------- */

static void
append_byte (GString *markup,
             guint8   value,
             guint8   flags,
             gboolean old)
{
  if (old && !(flags & PS_DIFF_OLD_KNOWN))
    g_string_append (markup, "<span alpha=\"50%\">?\?</span>");
  else if (!(flags & PS_DIFF_OLD_KNOWN))
    /* its page changed, what it was is not known: not shown as a change */
    g_string_append_printf (markup, "%02x", value);
  else if (!(flags & PS_DIFF_CHANGED))
    g_string_append_printf (markup, "<span alpha=\"70%%\">%02x</span>", value);
  else if (old)
    g_string_append_printf (markup, "<span strikethrough=\"true\" foreground=\"#c01c28\">%02x</span>", value);
  else
    g_string_append_printf (markup, "<span weight=\"bold\" foreground=\"#1c71d8\">%02x</span>", value);
}

/* Two lines: the offset and the new bytes, then the old bytes under them. */
static char *
row_markup (PsDiffView *self,
            guint64     offset,
            gboolean    markup)
{
  guint8 old[PS_HEX_MAX_BYTES_PER_ROW], new[PS_HEX_MAX_BYTES_PER_ROW], flags[PS_HEX_MAX_BYTES_PER_ROW];
  GString *text = g_string_new (NULL);

  ps_snapshot_diff_range (self->snapshot, offset, self->bytes_per_row, old, new, flags);
  for (int line = 0; line < 2; line++)
    {
      gboolean is_old = line == 1;

      if (line == 0)
        g_string_append_printf (text, "%012" PRIx64 "  %s  ", offset, _("new"));
      else
        g_string_append_printf (text, "\n%12s  %s  ", "", _("old"));
      for (guint i = 0; i < self->bytes_per_row; i++)
        {
          guint8 value = is_old ? old[i] : new[i];

          if (i > 0)
            g_string_append (text, i % 8 == 0 ? "  " : " ");
          if (markup)
            append_byte (text, value, flags[i], is_old);
          else if (is_old && !(flags[i] & PS_DIFF_OLD_KNOWN))
            g_string_append (text, "??");
          else
            g_string_append_printf (text, "%02x", value);
        }
    }
  return g_string_free (text, FALSE);
}

char *
ps_diff_view_row_text (PsDiffView *self,
                       guint64     offset)
{
  g_return_val_if_fail (PS_IS_DIFF_VIEW (self), NULL);
  g_return_val_if_fail (self->snapshot != NULL, NULL);
  return row_markup (self, offset, FALSE);
}

/* In place of the rows of a page whose old bytes were not kept: how many
 * bytes, and why no row shows them. */
static char *
notice_text (PsDiffView *self,
             guint64     offset,
             gsize       n_unknown)
{
  guint64 page = offset / ps_snapshot_get_page_size (self->snapshot);

  /* TRANSLATORS: a row of the diff's "only changed rows" list, in place of
   * the rows of a page whose old bytes the snapshot could not keep */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%012" PRIx64 "  page %" PRIu64 " changed; the old value of %" PRIu64 " byte was not kept (the page was off screen when it first changed), so its changed rows cannot be told apart",
                                       "%012" PRIx64 "  page %" PRIu64 " changed; the old values of %" PRIu64 " bytes were not kept (the page was off screen when it first changed), so its changed rows cannot be told apart",
                                       n_unknown),
                          offset, page, (guint64) n_unknown);
}

char *
ps_diff_view_get_row_text (PsDiffView *self,
                           guint       index)
{
  g_return_val_if_fail (PS_IS_DIFF_VIEW (self), NULL);
  g_return_val_if_fail (self->snapshot != NULL && self->offsets != NULL && index < self->offsets->len, NULL);
  if (g_array_index (self->unknown, gsize, index) > 0)
    return notice_text (self, g_array_index (self->offsets, guint64, index), g_array_index (self->unknown, gsize, index));
  return row_markup (self, g_array_index (self->offsets, guint64, index), FALSE);
}

gboolean
ps_diff_view_row_is_notice (PsDiffView *self,
                            guint       index)
{
  g_return_val_if_fail (PS_IS_DIFF_VIEW (self), FALSE);
  g_return_val_if_fail (self->offsets != NULL && index < self->offsets->len, FALSE);
  return g_array_index (self->unknown, gsize, index) > 0;
}

static void
row_setup (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_top (label, 2);
  gtk_widget_set_margin_bottom (label, 2);
  gtk_list_item_set_child (item, label);
}

static void
row_bind (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          PsDiffView               *self)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  guint index = (guint) g_ascii_strtoull (gtk_string_object_get_string (string), NULL, 10);
  g_autofree char *markup = NULL;
  g_autofree char *plain = NULL;
  GtkWidget *label = gtk_list_item_get_child (item);

  if (self->snapshot == NULL || self->offsets == NULL || index >= self->offsets->len)
    return;
  plain = ps_diff_view_get_row_text (self, index);
  if (ps_diff_view_row_is_notice (self, index))
    markup = g_markup_printf_escaped ("<i>%s</i>", plain);
  else
    markup = row_markup (self, g_array_index (self->offsets, guint64, index), TRUE);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
}

/* ---- the rows and the summary --------------------------------------------------- */

static void
update_summary (PsDiffView *self)
{
  g_autofree char *text = NULL;
  g_autofree char *from = NULL;
  guint64 n;

  if (self->snapshot == NULL)
    return;
  n = ps_snapshot_get_n_changed (self->snapshot);
  if (ps_snapshot_get_kind (self->snapshot) == PS_SNAPSHOT_FILE)
    from = g_path_get_basename (ps_snapshot_get_file (self->snapshot));
  else
    {
      gint64 age_s = (g_get_monotonic_time () - ps_snapshot_get_time (self->snapshot)) / G_USEC_PER_SEC;
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (double) -age_s);

      /* TRANSLATORS: what the diff compares with: "the snapshot of 12:34:56" */
      from = g_date_time_format (then, _("the snapshot of %H:%M:%S"));
    }
  /* TRANSLATORS: the diff bar: "3 pages differ from the snapshot of 12:34:56" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " page differs from %s", "%" PRIu64 " pages differ from %s", n),
                          n, from);
  if (self->only_changed && self->offsets != NULL)
    {
      g_autofree char *rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row", "%u rows", self->offsets->len),
                                               self->offsets->len);
      char *both = g_strdup_printf ("%s · %s%s", text, rows,
                                    self->offsets->len >= PS_DIFF_VIEW_MAX_ROWS ? _(" (the first ones)") : "");

      g_free (text);
      text = both;
    }
  if (!ps_snapshot_is_live (self->snapshot))
    {
      char *ended = g_strdup_printf ("%s · %s", text, _("the source went: no longer followed"));

      g_free (text);
      text = ended;
    }
  gtk_label_set_text (self->summary, text);
}

static void
find_rows (PsDiffView *self)
{
  g_autoptr(GArray) pages = ps_snapshot_get_changed_pages (self->snapshot);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  GArray *offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  GArray *unknown = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize page_size = ps_snapshot_get_page_size (self->snapshot);

  for (guint i = 0; i < pages->len && offsets->len < PS_DIFF_VIEW_MAX_ROWS; i++)
    {
      guint64 page = g_array_index (pages, guint64, i);
      g_autoptr(GArray) rows = ps_snapshot_get_changed_rows (self->snapshot, page, self->bytes_per_row);
      gsize n_unknown = ps_snapshot_get_unknown_bytes (self->snapshot, page);
      gsize none = 0;

      /* bytes whose old value was not kept: one notice, not every row */
      if (n_unknown > 0)
        {
          guint64 offset = page * page_size;

          g_array_append_val (offsets, offset);
          g_array_append_val (unknown, n_unknown);
          g_ptr_array_add (texts, g_strdup_printf ("%u", offsets->len - 1));
        }
      for (guint r = 0; r < rows->len && offsets->len < PS_DIFF_VIEW_MAX_ROWS; r++)
        {
          g_array_append_val (offsets, g_array_index (rows, guint64, r));
          g_array_append_val (unknown, none);
          g_ptr_array_add (texts, g_strdup_printf ("%u", offsets->len - 1));
        }
    }
  g_ptr_array_add (texts, NULL);
  g_clear_pointer (&self->offsets, g_array_unref);
  g_clear_pointer (&self->unknown, g_array_unref);
  self->offsets = offsets;
  self->unknown = unknown;
  gtk_string_list_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                          (const char * const *) texts->pdata);
  self->rows_stale = FALSE;
  self->refreshed_us = g_get_monotonic_time ();
}

static gboolean
on_refresh_due (gpointer data)
{
  PsDiffView *self = data;

  self->refresh_id = 0;
  if (self->snapshot != NULL && self->only_changed)
    find_rows (self);
  update_summary (self);
  return G_SOURCE_REMOVE;
}

static void
on_snapshot_changed (PsDiffView *self)
{
  gint64 wait_ms;

  self->rows_stale = TRUE;
  if (self->refresh_id != 0)
    return;
  wait_ms = REFRESH_MS - (g_get_monotonic_time () - self->refreshed_us) / 1000;
  if (wait_ms <= 0)
    on_refresh_due (self);
  else
    self->refresh_id = g_timeout_add ((guint) wait_ms, on_refresh_due, self);
}

void
ps_diff_view_set_snapshot (PsDiffView *self,
                           PsSnapshot *snapshot)
{
  g_return_if_fail (PS_IS_DIFF_VIEW (self));

  if (self->snapshot != NULL)
    g_signal_handlers_disconnect_by_data (self->snapshot, self);
  g_set_object (&self->snapshot, snapshot);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_pointer (&self->offsets, g_array_unref);
  g_clear_pointer (&self->unknown, g_array_unref);
  gtk_string_list_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)), NULL);
  self->refreshed_us = 0;
  if (snapshot == NULL)
    return;
  g_signal_connect_object (snapshot, "changed", G_CALLBACK (on_snapshot_changed), self, G_CONNECT_SWAPPED);
  on_refresh_due (self);
}

void
ps_diff_view_set_only_changed (PsDiffView *self,
                               gboolean    only_changed)
{
  g_return_if_fail (PS_IS_DIFF_VIEW (self));

  self->only_changed = only_changed;
  gtk_widget_set_visible (GTK_WIDGET (self->rows_scroller), only_changed);
  gtk_widget_set_vexpand (GTK_WIDGET (self), only_changed);
  if (only_changed && self->snapshot != NULL)
    on_refresh_due (self);
}

void
ps_diff_view_set_bytes_per_row (PsDiffView *self,
                                guint       bytes_per_row)
{
  g_return_if_fail (PS_IS_DIFF_VIEW (self));
  g_return_if_fail (bytes_per_row >= PS_HEX_MIN_BYTES_PER_ROW && bytes_per_row <= PS_HEX_MAX_BYTES_PER_ROW);

  bytes_per_row -= bytes_per_row % 8;
  if (bytes_per_row == self->bytes_per_row)
    return;
  self->bytes_per_row = bytes_per_row;
  /* rows of the new width, listed again at once */
  if (self->snapshot != NULL && self->only_changed)
    {
      g_clear_handle_id (&self->refresh_id, g_source_remove);
      on_refresh_due (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_PER_ROW]);
}

guint
ps_diff_view_get_bytes_per_row (PsDiffView *self)
{
  g_return_val_if_fail (PS_IS_DIFF_VIEW (self), PS_HEX_BYTES_PER_ROW);
  return self->bytes_per_row;
}

guint
ps_diff_view_get_n_rows (PsDiffView *self)
{
  g_return_val_if_fail (PS_IS_DIFF_VIEW (self), 0);
  return self->offsets != NULL ? self->offsets->len : 0;
}

guint64
ps_diff_view_get_row_offset (PsDiffView *self,
                             guint       index)
{
  g_return_val_if_fail (PS_IS_DIFF_VIEW (self), 0);
  g_return_val_if_fail (self->offsets != NULL && index < self->offsets->len, 0);
  return g_array_index (self->offsets, guint64, index);
}

static void
on_activate (GtkListView *view,
             guint        position,
             PsDiffView  *self)
{
  if (self->offsets != NULL && position < self->offsets->len)
    g_signal_emit (self, signals[ROW_ACTIVATED], 0, g_array_index (self->offsets, guint64, position));
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
ps_diff_view_dispose (GObject *object)
{
  PsDiffView *self = PS_DIFF_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->snapshot != NULL)
    g_signal_handlers_disconnect_by_data (self->snapshot, self);
  g_clear_object (&self->snapshot);
  g_clear_pointer (&self->offsets, g_array_unref);
  g_clear_pointer (&self->unknown, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_DIFF_VIEW);
  /* the template's box has no id: dispose_template leaves it */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (ps_diff_view_parent_class)->dispose (object);
}

static void
ps_diff_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PsDiffView *self = PS_DIFF_VIEW (object);

  switch (prop_id)
    {
    case PROP_BYTES_PER_ROW: g_value_set_uint (value, self->bytes_per_row); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_diff_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PsDiffView *self = PS_DIFF_VIEW (object);

  switch (prop_id)
    {
    case PROP_BYTES_PER_ROW: ps_diff_view_set_bytes_per_row (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_diff_view_class_init (PsDiffViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_diff_view_dispose;
  object_class->get_property = ps_diff_view_get_property;
  object_class->set_property = ps_diff_view_set_property;

  /* bytes a listed row, as the hex view's "bytes-per-row" */
  properties[PROP_BYTES_PER_ROW] =
    g_param_spec_uint ("bytes-per-row", NULL, NULL, PS_HEX_MIN_BYTES_PER_ROW, PS_HEX_MAX_BYTES_PER_ROW,
                       PS_HEX_BYTES_PER_ROW, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ROW_ACTIVATED] = g_signal_new ("row-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-diff-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PsDiffView, summary);
  gtk_widget_class_bind_template_child (widget_class, PsDiffView, rows_scroller);
  gtk_widget_class_bind_template_child (widget_class, PsDiffView, rows_view);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "psdiffview");
}

static void
ps_diff_view_init (PsDiffView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->bytes_per_row = PS_HEX_BYTES_PER_ROW;
  self->rows = gtk_string_list_new (NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (row_bind), self, 0);
  gtk_list_view_set_factory (self->rows_view, factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_list_view_set_model (self->rows_view, GTK_SELECTION_MODEL (selection));
  g_signal_connect_object (self->rows_view, "activate", G_CALLBACK (on_activate), self, 0);
}

GtkWidget *
ps_diff_view_new (void)
{
  return g_object_new (PS_TYPE_DIFF_VIEW, NULL);
}
