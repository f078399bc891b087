/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The find bar: a pattern (bytes, text, text in any case, or a typed value in
 * either byte order), next and previous from the cursor (wrapping around),
 * and find all; the search runs in the session's worker, with its progress
 * and a Stop, never reading a hole of shared memory. A match is announced
 * with "found"; all of them with "hits" (to mark on the grid), and "hits"
 * with none once they no longer answer the bar's pattern. */
#define G_LOG_DOMAIN "pagescope-find-bar"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ps-find-bar.h"
#include "ps-label.h"

#define MAX_HITS   10000   /* listed and marked */
#define MAX_LISTED 500     /* rows in the results list */

typedef enum
{
  KIND_BYTES,
  KIND_TEXT,
  KIND_TEXT_ANY_CASE,
  KIND_FIRST_VALUE,    /* then u8 … f64, as PsValueType */
} Kind;

struct _PsFindBar
{
  GtkWidget       parent_instance;

  /* template children */
  GtkSearchBar   *search_bar;
  GtkDropDown    *kind_dropdown;
  GtkSearchEntry *entry;
  GtkCheckButton *big_endian_check;
  GtkMenuButton  *results_button;
  GtkListBox     *results_list;
  GtkWidget      *progress_box;
  GtkProgressBar *progress;
  GtkLabel       *status_label;

  PsSession      *session;
  GCancellable   *cancellable;
  gboolean        backward;
  gboolean        wrapped;       /* the search went round the end */
  gsize           pattern_len;
  gboolean        has_hits;      /* "hits" last told of some matches */
};

G_DEFINE_FINAL_TYPE (PsFindBar, ps_find_bar, GTK_TYPE_WIDGET)

enum {
  SIGNAL_FOUND,
  SIGNAL_HITS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The pattern as ps_find_pattern_parse reads it: the bar's kind and text. */
static char *
pattern_text (PsFindBar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);

  switch (kind)
    {
    case KIND_BYTES:
      return g_strdup (text);
    case KIND_TEXT:
      return g_strconcat ("text:", text, NULL);
    case KIND_TEXT_ANY_CASE:
      return g_strconcat ("itext:", text, NULL);
    default:
      {
        PsValueFormat format = { MIN (kind - KIND_FIRST_VALUE, PS_N_VALUE_TYPES - 1),
                                 gtk_check_button_get_active (self->big_endian_check) };
        g_autofree char *type = ps_value_format_to_string (&format, TRUE);

        return g_strdup_printf ("%s:%s", type, text);
      }
    }
}

static void
show_status (PsFindBar  *self,
             const char *message,
             gboolean    error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  ps_label_show (self->status_label, message);
}

static void
set_running (PsFindBar *self,
             gboolean   running)
{
  gtk_widget_set_visible (self->progress_box, running);
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "find.cancel", running);
}

static void
on_progress (PsFindBar *self)
{
  double p = ps_session_get_find_progress (self->session);

  if (p >= 0)
    gtk_progress_bar_set_fraction (self->progress, p);
}

/* ---- next and previous ---- */

static void start_next (PsFindBar *self, guint64 from, guint64 to, gboolean wrapped);

static void
on_next_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsFindBar) self = user_data;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  PsSource *source = ps_session_get_source (self->session);
  guint64 cursor = ps_session_get_cursor (self->session);

  if (!ps_session_find_finish (PS_SESSION (object), result, &hits, NULL, &error))
    {
      set_running (self, FALSE);
      show_status (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _("Stopped") : error->message,
                   !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
      return;
    }
  if (hits->len == 0 && !self->wrapped && source != NULL)
    {
      guint64 length = ps_source_get_geometry (source)->length;

      /* not between the cursor and the end: from the other end to the cursor */
      if (self->backward)
        start_next (self, cursor, length, TRUE);
      else
        start_next (self, 0, MIN (length, cursor + self->pattern_len), TRUE);
      return;
    }
  set_running (self, FALSE);
  if (hits->len == 0)
    {
      show_status (self, _("Not found"), TRUE);
      return;
    }
  {
    guint64 at = g_array_index (hits, guint64, 0);
    g_autofree char *text = g_strdup_printf (self->wrapped ? _("At 0x%" PRIx64 " (went round the end)")
                                                           : _("At 0x%" PRIx64 ""), at);

    show_status (self, text, FALSE);
    g_signal_emit (self, signals[SIGNAL_FOUND], 0, at, (guint64) self->pattern_len);
  }
}

static void
start_next (PsFindBar *self,
            guint64    from,
            guint64    to,
            gboolean   wrapped)
{
  g_autofree char *text = pattern_text (self);
  g_autoptr(PsFindPattern) pattern = NULL;
  g_autoptr(GError) error = NULL;

  pattern = ps_find_pattern_parse (text, &error);
  if (pattern == NULL)
    {
      show_status (self, error->message, TRUE);
      return;
    }
  ps_find_pattern_get_bytes (pattern, &self->pattern_len);
  self->wrapped = wrapped;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  ps_session_find_async (self->session, pattern, from, to, self->backward, FALSE, 1, self->cancellable,
                         on_next_done, g_object_ref (self));
}

void
ps_find_bar_find (PsFindBar *self,
                  gboolean   backward)
{
  guint64 cursor;

  g_return_if_fail (PS_IS_FIND_BAR (self));

  if (self->session == NULL || !ps_session_is_open (self->session))
    return;
  if (*gtk_editable_get_text (GTK_EDITABLE (self->entry)) == '\0')
    {
      gtk_search_bar_set_search_mode (self->search_bar, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->entry));
      return;
    }
  cursor = ps_session_get_cursor (self->session);
  self->backward = backward;
  show_status (self, NULL, FALSE);
  if (backward)
    start_next (self, 0, cursor, FALSE);
  else
    start_next (self, cursor + 1, G_MAXUINT64, FALSE);
}

static void
action_next (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  ps_find_bar_find (PS_FIND_BAR (widget), FALSE);
}

static void
action_previous (GtkWidget  *widget,
                 const char *name,
                 GVariant   *parameter)
{
  ps_find_bar_find (PS_FIND_BAR (widget), TRUE);
}

/* ---- all ---- */

static void
on_result_activated (GtkListBox    *list,
                     GtkListBoxRow *row,
                     PsFindBar     *self)
{
  guint64 at = *(guint64 *) g_object_get_data (G_OBJECT (row), "offset");

  g_signal_emit (self, signals[SIGNAL_FOUND], 0, at, (guint64) self->pattern_len);
}

static void
list_hits (PsFindBar *self,
           GArray    *hits)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
  for (guint i = 0; i < MIN (hits->len, MAX_LISTED); i++)
    {
      guint64 at = g_array_index (hits, guint64, i);
      g_autofree char *text = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", at);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "monospace");
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "offset", g_memdup2 (&at, sizeof at), g_free);
      gtk_list_box_append (self->results_list, row);
    }
}

static void
on_all_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsFindBar) self = user_data;
  g_autoptr(GArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;
  gboolean truncated = FALSE;

  set_running (self, FALSE);
  if (!ps_session_find_finish (PS_SESSION (object), result, &hits, &truncated, &error))
    {
      show_status (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _("Stopped") : error->message,
                   !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
      return;
    }
  list_hits (self, hits);
  label = g_strdup_printf (truncated ? _("%u+ found") : g_dngettext (GETTEXT_PACKAGE, "%u found", "%u found", hits->len),
                           hits->len);
  gtk_menu_button_set_label (self->results_button, label);
  gtk_widget_set_visible (GTK_WIDGET (self->results_button), hits->len > 0);
  if (hits->len == 0)
    text = g_strdup (_("Not found"));
  else if (truncated)
    text = g_strdup_printf (_("The first %u matches are listed and marked; there are more"), hits->len);
  show_status (self, text, hits->len == 0);
  self->has_hits = hits->len > 0;
  g_signal_emit (self, signals[SIGNAL_HITS], 0, hits, (guint64) self->pattern_len);
}

/* The matches marked no longer answer what the bar shows (its pattern
 * changed, it closed, the source changed): they go, and "hits" says so. */
static void
forget_hits (PsFindBar *self)
{
  g_autoptr(GArray) none = NULL;

  if (!self->has_hits)
    return;
  self->has_hits = FALSE;
  none = g_array_new (FALSE, FALSE, sizeof (guint64));
  gtk_widget_set_visible (GTK_WIDGET (self->results_button), FALSE);
  g_signal_emit (self, signals[SIGNAL_HITS], 0, none, (guint64) 0);
}

static void
on_search_mode (PsFindBar *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    forget_hits (self);
}

static void
action_all (GtkWidget  *widget,
            const char *name,
            GVariant   *parameter)
{
  PsFindBar *self = PS_FIND_BAR (widget);
  g_autofree char *text = NULL;
  g_autoptr(PsFindPattern) pattern = NULL;
  g_autoptr(GError) error = NULL;

  if (self->session == NULL || !ps_session_is_open (self->session))
    return;
  text = pattern_text (self);
  pattern = ps_find_pattern_parse (text, &error);
  if (pattern == NULL)
    {
      show_status (self, error->message, TRUE);
      return;
    }
  ps_find_pattern_get_bytes (pattern, &self->pattern_len);
  show_status (self, NULL, FALSE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  ps_session_find_async (self->session, pattern, 0, G_MAXUINT64, FALSE, TRUE, MAX_HITS, self->cancellable,
                         on_all_done, g_object_ref (self));
}

static void
action_cancel (GtkWidget  *widget,
               const char *name,
               GVariant   *parameter)
{
  g_cancellable_cancel (PS_FIND_BAR (widget)->cancellable);
}

static void
on_kind_changed (PsFindBar *self)
{
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);

  gtk_widget_set_visible (GTK_WIDGET (self->big_endian_check), kind >= KIND_FIRST_VALUE + PS_VALUE_U16);
}

static void
on_activate (PsFindBar *self)
{
  ps_find_bar_find (self, FALSE);
}

/* ---- lifetime ---- */

static void
ps_find_bar_dispose (GObject *object)
{
  PsFindBar *self = PS_FIND_BAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_FIND_BAR);
  /* the template's root is not a bound child: it goes by hand */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_find_bar_parent_class)->dispose (object);
}

static void
ps_find_bar_class_init (PsFindBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_find_bar_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-find-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, PsFindBar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PsFindBar, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PsFindBar, entry);
  gtk_widget_class_bind_template_child (widget_class, PsFindBar, big_endian_check);
  gtk_widget_class_bind_template_child (widget_class, PsFindBar, results_button);
  gtk_widget_class_bind_template_child (widget_class, PsFindBar, results_list);
  gtk_widget_class_bind_template_child (widget_class, PsFindBar, progress_box);
  gtk_widget_class_bind_template_child (widget_class, PsFindBar, progress);
  gtk_widget_class_bind_template_child (widget_class, PsFindBar, status_label);

  gtk_widget_class_install_action (widget_class, "find.next", NULL, action_next);
  gtk_widget_class_install_action (widget_class, "find.previous", NULL, action_previous);
  gtk_widget_class_install_action (widget_class, "find.all", NULL, action_all);
  gtk_widget_class_install_action (widget_class, "find.cancel", NULL, action_cancel);

  /**
   * PsFindBar::found:
   * A match, to show: its offset and length.
   */
  signals[SIGNAL_FOUND] =
    g_signal_new ("found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT64);
  /**
   * PsFindBar::hits:
   * Every match of a find all (a GArray of guint64 offsets), and the length.
   */
  signals[SIGNAL_HITS] =
    g_signal_new ("hits", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_ARRAY, G_TYPE_UINT64);
}

static void
ps_find_bar_init (PsFindBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->entry));
  g_signal_connect_object (self->entry, "activate", G_CALLBACK (on_activate), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kind_dropdown, "notify::selected", G_CALLBACK (on_kind_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->results_list, "row-activated", G_CALLBACK (on_result_activated), self, 0);
  g_signal_connect_object (self->entry, "changed", G_CALLBACK (forget_hits), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kind_dropdown, "notify::selected", G_CALLBACK (forget_hits), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->big_endian_check, "toggled", G_CALLBACK (forget_hits), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled", G_CALLBACK (on_search_mode), self,
                           G_CONNECT_SWAPPED);
  on_kind_changed (self);
  set_running (self, FALSE);
}

GtkWidget *
ps_find_bar_new (void)
{
  return g_object_new (PS_TYPE_FIND_BAR, NULL);
}

void
ps_find_bar_set_session (PsFindBar *self,
                         PsSession *session)
{
  g_return_if_fail (PS_IS_FIND_BAR (self));
  g_return_if_fail (PS_IS_SESSION (session));

  g_set_object (&self->session, session);
  g_signal_connect_object (session, "notify::find-progress", G_CALLBACK (on_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::source", G_CALLBACK (forget_hits), self, G_CONNECT_SWAPPED);
}

void
ps_find_bar_show (PsFindBar  *self,
                  const char *text)
{
  g_return_if_fail (PS_IS_FIND_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  if (text != NULL)
    {
      /* a pattern given whole: its kind is in the text (text:, u32:...) */
      gtk_drop_down_set_selected (self->kind_dropdown, KIND_BYTES);
      gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}
