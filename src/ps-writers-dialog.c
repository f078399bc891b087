/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The writer children dialog: a form that starts children through the
 * session, and a live list of the session's PsWriters (pid, pattern, rate,
 * writes done, state) with a Stop button per child. The write counts live in
 * a shared page the children update, and no signal says they changed, so the
 * list re-reads them a few times a second while the dialog is on screen;
 * everything else follows the session's signals. */
#define G_LOG_DOMAIN "pagescope-writers-dialog"

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ps-label.h"
#include "ps-parse.h"
#include "ps-probe.h"
#include "ps-writer.h"
#include "ps-writers-dialog.h"

#define REFRESH_MS 250
#define RATE_MAX   1000000   /* writes per second; beyond, As fast as possible */

#define PS_TYPE_WRITERS_DIALOG (ps_writers_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PsWritersDialog, ps_writers_dialog, PS, WRITERS_DIALOG, AdwWindow)

struct _PsWritersDialog
{
  AdwWindow        parent_instance;

  /* template children */
  GtkWidget       *notice_box;
  GtkLabel        *notice_title;
  GtkLabel        *notice_label;
  GtkWidget       *spawn_group;
  AdwEntryRow     *count_row;
  AdwComboRow     *pattern_row;
  AdwEntryRow     *message_row;
  AdwEntryRow     *rate_row;
  GtkSwitch       *max_switch;
  AdwActionRow    *selection_row;
  GtkSwitch       *selection_switch;
  AdwExpanderRow  *limit_row;
  AdwEntryRow     *writes_row;
  GtkLabel        *error_label;
  GtkButton       *start_button;
  GtkWidget       *clear_button;
  GtkWidget       *stop_all_button;
  GtkStack        *list_stack;
  GtkColumnView   *column_view;
  GtkLabel        *summary_label;

  PsSession       *session;
  char            *failure;         /* the last failure of what this dialog asked */
  PsWriters       *writers;         /* the session's, followed when it changes */
  GSignalGroup    *writers_signals;
  GtkNoSelection  *selection;
  GHashTable      *bound_writes;    /* GtkListItem of the Writes column showing a child */
  guint            refresh_id;
  gboolean         range_known;     /* the fields below say what the row shows */
  gboolean         have_range;      /* the session has a selection */
  guint64          range_offset;
  guint64          range_length;
  guint64          last_total;      /* writes done by the listed children, at last_time */
  gint64           last_time;
  double           writes_per_s;
};

G_DEFINE_FINAL_TYPE (PsWritersDialog, ps_writers_dialog, ADW_TYPE_WINDOW)

typedef enum
{
  PATTERN_COUNTER,
  PATTERN_SWEEP,
  PATTERN_RANDOM,
  PATTERN_TEXT,
} PatternChoice;

static const char *const pattern_hints[] = {
  [PATTERN_COUNTER] = N_("Each child counts its writes in its own 8-byte slot: child i at 8 × i"),
  [PATTERN_SWEEP]   = N_("One byte per page, page after page across the range"),
  [PATTERN_RANDOM]  = N_("A random byte at a random offset in the range"),
  [PATTERN_TEXT]    = N_("The message, copied end to end across the range"),
};

static void update_form (PsWritersDialog *self);

/* ---- errors ---- */

static void
clear_error (PsWritersDialog *self)
{
  g_clear_pointer (&self->failure, g_free);
  update_form (self);
}

static void
show_failure (PsWritersDialog *self,
              const GError    *error)
{
  g_free (self->failure);
  self->failure = g_strdup (error->message);
  update_form (self);
}

/* ---- the list ---- */

typedef enum
{
  COL_PID,
  COL_PATTERN,
  COL_RATE,
  COL_WRITES,
  COL_STATE,
  COL_STOP,
} Column;

typedef struct
{
  Column      column;
  const char *title;
  const char *name;      /* the cell's widget name */
  gboolean    numeric;
  gboolean    expand;
} ColumnInfo;

static const ColumnInfo columns[] = {
  { COL_PID,     N_("PID"),     "writer-pid",     TRUE,  FALSE },
  { COL_PATTERN, N_("Pattern"), "writer-pattern", FALSE, TRUE },
  { COL_RATE,    N_("Rate"),    "writer-rate",    TRUE,  FALSE },
  { COL_WRITES,  N_("Writes"),  "writer-writes",  TRUE,  FALSE },
  { COL_STATE,   N_("State"),   "writer-state",   FALSE, FALSE },
  { COL_STOP,    "",            "writer-stop",    FALSE, FALSE },
};

static char *
writes_text (PsWriterChild *child)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, ps_writer_child_get_done (child));
}

/* As ps_writer_child_describe_exit (which the log keeps in English, as the
 * calls are), in the user's language. */
static char *
state_text (PsWriterChild *child)
{
  g_autofree char *signal = NULL;

  switch (ps_writer_child_get_state (child))
    {
    case PS_WRITER_RUNNING:
      return g_strdup (_("running"));
    case PS_WRITER_EXITED:
      if (ps_writer_child_get_exit_status (child) < 0)
        return g_strdup (_("reaped elsewhere"));
      return g_strdup_printf (_("exited %d"), ps_writer_child_get_exit_status (child));
    case PS_WRITER_KILLED:
    default:
      signal = ps_signal_name (ps_writer_child_get_term_signal (child));
      return g_strdup_printf (_("killed by %s"), signal);
    }
}

/* Why a child died, when it is not what stopping it does. */
static const char *
state_tooltip (PsWriterChild *child)
{
  if (ps_writer_child_get_state (child) != PS_WRITER_KILLED)
    return NULL;
  switch (ps_writer_child_get_term_signal (child))
    {
    case SIGTERM: return _("Ended by SIGTERM, as Stop sends");
    case SIGBUS:  return _("It touched a page wholly past the end of the object (SIGBUS)");
    case SIGSEGV: return _("It touched memory it may not write (SIGSEGV)");
    default:      return NULL;
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  data)
{
  const ColumnInfo *info = g_object_get_data (G_OBJECT (factory), "column");
  GtkWidget *widget;

  if (info->column == COL_STOP)
    {
      widget = gtk_button_new_with_label (_("Stop"));
      gtk_widget_add_css_class (widget, "flat");
    }
  else
    {
      widget = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (widget), info->numeric ? 1.0 : 0.0);
      if (info->expand)
        gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
      if (info->numeric)
        gtk_widget_add_css_class (widget, "numeric");
      if (info->column == COL_PATTERN)
        gtk_widget_add_css_class (widget, "monospace");
    }
  gtk_widget_set_name (widget, info->name);
  gtk_list_item_set_child (list_item, widget);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           PsWritersDialog          *self)
{
  const ColumnInfo *info = g_object_get_data (G_OBJECT (factory), "column");
  PsWriterChild *child = gtk_list_item_get_item (list_item);
  GtkWidget *widget = gtk_list_item_get_child (list_item);
  gboolean running = ps_writer_child_get_state (child) == PS_WRITER_RUNNING;
  g_autofree char *text = NULL;

  switch (info->column)
    {
    case COL_PID:
      text = g_strdup_printf ("%d", (int) ps_writer_child_get_pid (child));
      break;
    case COL_PATTERN:
      text = ps_pattern_to_string (ps_writer_child_get_pattern (child));
      gtk_widget_set_tooltip_text (widget, text);
      break;
    case COL_RATE:
      if (ps_writer_child_get_rate (child) <= 0)
        text = g_strdup (_("max"));
      else
        text = ps_writer_rate_to_string (ps_writer_child_get_rate (child));
      break;
    case COL_WRITES:
      text = writes_text (child);
      g_hash_table_add (self->bound_writes, list_item);
      break;
    case COL_STATE:
      text = state_text (child);
      gtk_widget_set_tooltip_text (widget, state_tooltip (child));
      {
        /* a child killed by anything but Stop's SIGTERM died of what it did */
        gboolean failed = ps_writer_child_get_state (child) == PS_WRITER_KILLED &&
                          ps_writer_child_get_term_signal (child) != SIGTERM;

        if (!running && !failed)
          gtk_widget_add_css_class (widget, "dim-label");
        else
          gtk_widget_remove_css_class (widget, "dim-label");
        if (failed)
          gtk_widget_add_css_class (widget, "error");
        else
          gtk_widget_remove_css_class (widget, "error");
      }
      break;
    case COL_STOP:
      {
        g_autofree char *pid = g_strdup_printf ("%d", (int) ps_writer_child_get_pid (child));
        g_autofree char *label = g_strdup_printf (_("Stop child %s"), pid);

        /* the target first: the action takes a string */
        gtk_actionable_set_action_target (GTK_ACTIONABLE (widget), "s", pid);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), "writers.stop");
        gtk_widget_set_sensitive (widget, running);
        gtk_widget_set_tooltip_text (widget, running ? _("Send it SIGTERM") : NULL);
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      }
      return;
    default:
      g_return_if_reached ();
    }
  gtk_label_set_text (GTK_LABEL (widget), text);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             PsWritersDialog          *self)
{
  const ColumnInfo *info = g_object_get_data (G_OBJECT (factory), "column");

  if (info->column == COL_WRITES && self->bound_writes != NULL)
    g_hash_table_remove (self->bound_writes, list_item);
}

static void
add_columns (PsWritersDialog *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "column", (gpointer) &columns[i]);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cell), self, 0);
      g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_cell), self, 0);
      column = gtk_column_view_column_new (*columns[i].title ? _(columns[i].title) : "", factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, columns[i].column != COL_STOP);
      gtk_column_view_append_column (self->column_view, column);
    }
}

/* The Writes cells on screen, re-read; and the total rate. */
static void
refresh_counts (PsWritersDialog *self)
{
  GHashTableIter iter;
  gpointer key;
  guint64 total = 0;
  gint64 now = g_get_monotonic_time ();
  guint n = self->writers ? g_list_model_get_n_items (G_LIST_MODEL (self->writers)) : 0;

  g_hash_table_iter_init (&iter, self->bound_writes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GtkListItem *list_item = key;
      PsWriterChild *child = gtk_list_item_get_item (list_item);
      g_autofree char *text = NULL;

      if (child == NULL)
        continue;
      text = writes_text (child);
      gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PsWriterChild) child = g_list_model_get_item (G_LIST_MODEL (self->writers), i);
      total += ps_writer_child_get_done (child);
    }
  /* children cleared from the list take their counts with them: start over */
  if (self->last_time != 0 && total >= self->last_total && now > self->last_time)
    self->writes_per_s = (total - self->last_total) * (double) G_USEC_PER_SEC / (now - self->last_time);
  else
    self->writes_per_s = 0;
  self->last_total = total;
  self->last_time = now;
}

static void
update_summary (PsWritersDialog *self)
{
  guint n = self->writers ? g_list_model_get_n_items (G_LIST_MODEL (self->writers)) : 0;
  guint running = self->writers ? ps_writers_get_n_running (self->writers) : 0;
  g_autofree char *children = NULL;
  g_autofree char *text = NULL;

  children = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u running, %u exited", "%u running, %u exited", running),
                              running, n - running);
  if (running > 0)
    text = g_strdup_printf (_("%s · %.0f writes per second in all"), children, self->writes_per_s);
  else
    text = g_steal_pointer (&children);
  gtk_label_set_text (self->summary_label, text);
}

/* ---- what may be done now ---- */

static PsSource *
current_source (PsWritersDialog *self)
{
  /* NULL while the dialog is being built, before it has its session */
  return self->session != NULL ? ps_session_get_source (self->session) : NULL;
}

static void
update_actions (PsWritersDialog *self)
{
  PsSource *source = current_source (self);
  guint n = self->writers ? g_list_model_get_n_items (G_LIST_MODEL (self->writers)) : 0;
  guint running = self->writers ? ps_writers_get_n_running (self->writers) : 0;
  gboolean writable = source != NULL && ps_source_is_writable (source);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writers.stop", running > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writers.stop-all", running > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writers.clear-exited", n > running);
  gtk_widget_set_sensitive (self->spawn_group, writable);
  /* how many more may start changes with the children running */
  update_form (self);
}

static void
update_list (PsWritersDialog *self)
{
  guint n = self->writers ? g_list_model_get_n_items (G_LIST_MODEL (self->writers)) : 0;

  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
  update_summary (self);
  update_actions (self);
}

/* Says plainly what the children cannot do on this mapping. */
static void
update_notice (PsWritersDialog *self)
{
  PsSource *source = current_source (self);

  if (source != NULL && !ps_source_is_writable (source))
    {
      gtk_label_set_text (self->notice_title, _("This mapping is read-only, so children cannot write"));
      gtk_label_set_text (self->notice_label,
                          _("It was mapped with PROT_READ only. A forked child inherits the mapping as it is, so its first write "
                            "would fault: no writer can be started. Reopen it writable (Writable in the open dialog, "
                            "or --writable) to use writer children."));
    }
  else if (source != NULL && ps_source_is_private (source))
    {
      gtk_label_set_text (self->notice_title, _("MAP_PRIVATE: the children’s writes never show in this window"));
      gtk_label_set_text (self->notice_label,
                          _("After fork() a child shares this private mapping’s pages with this process only until one of "
                            "them writes to a page: then the kernel gives the writer its own copy of that page "
                            "(copy-on-write). So each child writes to its own private copies, which neither the object "
                            "nor this window ever sees. Their write counts below still grow."));
    }
  gtk_widget_set_visible (self->notice_box, source != NULL && (!ps_source_is_writable (source) || ps_source_is_private (source)));
}

/* The range row: the window's selection, when there is one. */
static void
update_range (PsWritersDialog *self)
{
  PsRange range;
  gboolean have = ps_session_get_selection (self->session, &range);
  guint64 offset = range.offset, length = range.length;
  g_autofree char *subtitle = NULL;

  if (self->range_known && have == self->have_range &&
      offset == self->range_offset && length == self->range_length)
    return;
  self->range_known = TRUE;
  self->have_range = have;
  self->range_offset = offset;
  self->range_length = length;
  if (have)
    subtitle = g_strdup_printf (_("0x%" PRIx64 " to 0x%" PRIx64 " (%" PRIu64 " bytes), as selected in the window; otherwise the whole mapping"),
                                offset, offset + length - 1, length);
  else
    subtitle = g_strdup (_("Nothing is selected in the window, so the children write over the whole mapping"));
  adw_action_row_set_subtitle (self->selection_row, subtitle);
  if (!have)
    gtk_switch_set_active (self->selection_switch, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->selection_switch), have);
}

static void
on_items_changed (PsWritersDialog *self)
{
  update_list (self);
}

/* The session replaces its PsWriters when it opens another source. */
static void
follow_writers (PsWritersDialog *self)
{
  PsWriters *writers = ps_session_get_writers (self->session);

  if (!g_set_object (&self->writers, writers))
    return;
  g_signal_group_set_target (self->writers_signals, writers);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (writers));
  self->last_time = 0;
  update_notice (self);
  update_list (self);
}

static gboolean
refresh_tick (gpointer data)
{
  PsWritersDialog *self = data;

  refresh_counts (self);
  update_summary (self);
  return G_SOURCE_CONTINUE;
}

/* ---- the form, checked as it is filled in ---- */

/* What Start asks the session for. */
typedef struct
{
  guint   count;
  double  rate;      /* 0: as fast as possible */
  guint64 writes;    /* 0: until stopped */
} Form;

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static char *
check_count (PsWritersDialog *self,
             guint            running,
             guint           *count)
{
  g_autofree char *text = row_text (self->count_row);
  guint64 n;

  if (*text == '\0')
    return g_strdup_printf (_("Type how many children to start, 1 to %d"), PS_WRITERS_MAX);
  if (!ps_parse_offset (text, "count", &n, NULL))
    return g_strdup_printf (_("Children: “%s” is not a whole number; type 1 to %d"), text, PS_WRITERS_MAX);
  if (n == 0)
    return g_strdup (_("Children: start at least 1"));
  if (n > PS_WRITERS_MAX)
    return g_strdup_printf (_("Children: at most %d writer children run at once"), PS_WRITERS_MAX);
  if (n > PS_WRITERS_MAX - running)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Children: %u is running and at most %d run at once, so start at most %u more, or stop some first",
                                         "Children: %u are running and at most %d run at once, so start at most %u more, or stop some first",
                                         running),
                            running, PS_WRITERS_MAX, PS_WRITERS_MAX - running);
  *count = (guint) n;
  return NULL;
}

static char *
check_message (PsWritersDialog *self)
{
  gsize len = strlen (gtk_editable_get_text (GTK_EDITABLE (self->message_row)));

  if (len == 0)
    return g_strdup (_("The message is empty: type the text the children should write"));
  if (len >= PS_PATTERN_TEXT_MAX)
    return g_strdup_printf (_("The message is %zu bytes; at most %d fit"), len, PS_PATTERN_TEXT_MAX - 1);
  return NULL;
}

static char *
check_rate (PsWritersDialog *self,
            double          *rate)
{
  g_autofree char *text = row_text (self->rate_row);
  char *end = NULL;
  double value;

  if (*text == '\0')
    return g_strdup (_("Type how many writes per second each child makes, e.g. 100 or 2.5"));
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    return g_strdup_printf (_("Writes per second: “%s” is not a number; type e.g. 100 or 2.5"), text);
  /* below one write in 10 s the children's schedule loses its meaning */
  if (value < 0.1)
    return g_strdup (_("Writes per second: at least 0.1 (one write every 10 seconds); for no pause at all, turn on As fast as possible"));
  if (value > RATE_MAX)
    return g_strdup_printf (_("Writes per second: at most %d; for more, turn on As fast as possible"), RATE_MAX);
  *rate = value;
  return NULL;
}

static char *
check_writes (PsWritersDialog *self,
              guint64         *writes)
{
  g_autofree char *text = row_text (self->writes_row);

  if (*text == '\0')
    return g_strdup (_("Type how many writes each child makes before it exits"));
  if (!ps_parse_offset (text, "count", writes, NULL))
    return g_strdup_printf (_("Number of writes: “%s” is not a whole number"), text);
  if (*writes == 0)
    return g_strdup (_("Number of writes: at least 1 (or turn off Stop after a number of writes)"));
  return NULL;
}

/* The form as Start would send it; NULL, or what is wrong and in *row the
 * row at fault (NULL when it is none of them). */
static char *
check_form (PsWritersDialog *self,
            Form            *form,
            GtkWidget      **row)
{
  guint running = self->writers ? ps_writers_get_n_running (self->writers) : 0;
  char *problem = NULL;

  *row = NULL;
  *form = (Form) { 0 };
  if (running >= PS_WRITERS_MAX)
    return g_strdup_printf (_("At most %d writer children run at once, and %u are running: stop some to start more"),
                            PS_WRITERS_MAX, running);
  if ((problem = check_count (self, running, &form->count)) != NULL)
    *row = GTK_WIDGET (self->count_row);
  else if (adw_combo_row_get_selected (self->pattern_row) == PATTERN_TEXT &&
           (problem = check_message (self)) != NULL)
    *row = GTK_WIDGET (self->message_row);
  else if (!gtk_switch_get_active (self->max_switch) &&
           (problem = check_rate (self, &form->rate)) != NULL)
    *row = GTK_WIDGET (self->rate_row);
  else if (adw_expander_row_get_enable_expansion (self->limit_row) &&
           (problem = check_writes (self, &form->writes)) != NULL)
    *row = GTK_WIDGET (self->writes_row);
  return problem;
}

/* Start only for a form that can start, the row at fault marked, and why
 * in the error line; else the last failure of an action, if any. */
static void
update_form (PsWritersDialog *self)
{
  PsSource *source = current_source (self);
  GtkWidget *rows[] = {
    GTK_WIDGET (self->count_row), GTK_WIDGET (self->message_row),
    GTK_WIDGET (self->rate_row), GTK_WIDGET (self->writes_row),
  };
  GtkWidget *bad = NULL;
  g_autofree char *problem = NULL;
  Form form;

  /* on a read-only mapping the notice says why nothing can start */
  if (source != NULL && ps_source_is_writable (source))
    problem = check_form (self, &form, &bad);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (rows[i] == bad)
      gtk_widget_add_css_class (rows[i], "error");
    else
      gtk_widget_remove_css_class (rows[i], "error");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writers.start",
                                 source != NULL && ps_source_is_writable (source) && problem == NULL);
  ps_label_show (self->error_label, problem != NULL ? problem : self->failure);
}

static void
on_form_changed (PsWritersDialog *self)
{
  clear_error (self);
}

static void
on_pattern_changed (PsWritersDialog *self)
{
  guint choice = adw_combo_row_get_selected (self->pattern_row);

  if (choice < G_N_ELEMENTS (pattern_hints))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->pattern_row), _(pattern_hints[choice]));
  gtk_widget_set_visible (GTK_WIDGET (self->message_row), choice == PATTERN_TEXT);
  clear_error (self);
}

static void
on_max_toggled (PsWritersDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->rate_row), !gtk_switch_get_active (self->max_switch));
  clear_error (self);
}

/* The pattern chosen, parsed as the command line and scripting parse it. */
static gboolean
form_pattern (PsWritersDialog *self,
              PsPattern       *pattern,
              GError         **error)
{
  static const char *const names[] = { "counter", "sweep", "random" };
  guint choice = adw_combo_row_get_selected (self->pattern_row);
  g_autofree char *spec = NULL;

  if (choice < G_N_ELEMENTS (names))
    return ps_pattern_parse (names[choice], pattern, error);
  spec = g_strconcat ("text:", gtk_editable_get_text (GTK_EDITABLE (self->message_row)), NULL);
  return ps_pattern_parse (spec, pattern, error);
}

static void
action_start (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PsWritersDialog *self = PS_WRITERS_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  PsSpawnArgs args = { 0 };
  GtkWidget *row;
  Form form;

  clear_error (self);
  update_range (self);
  /* Start is off for a form that cannot start: this is for a form changed
   * since, and says nothing new */
  if ((problem = check_form (self, &form, &row)) != NULL)
    {
      if (row != NULL)
        gtk_widget_grab_focus (row);
      return;
    }
  if (!form_pattern (self, &args.pattern, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->message_row));
      ps_label_show (self->error_label, error->message);
      return;
    }
  args.n = form.count;
  args.rate = form.rate;
  args.count = form.writes;
  /* the range always given, so that "whole mapping" holds even when the
   * session has a selection */
  args.range.given = TRUE;
  if (gtk_switch_get_active (self->selection_switch) && self->have_range)
    {
      args.range.offset = self->range_offset;
      args.range.length = self->range_length;
    }
  if (!ps_session_spawn_writers (self->session, &args, &error))
    show_failure (self, error);
  follow_writers (self);
}

static void
action_stop (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  PsWritersDialog *self = PS_WRITERS_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  guint64 pid;

  clear_error (self);
  if (!ps_stop_args_parse (g_variant_get_string (parameter, NULL), &pid, &error) ||
      !ps_session_stop_writers (self->session, pid, &error))
    show_failure (self, error);
}

static void
action_stop_all (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PsWritersDialog *self = PS_WRITERS_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  clear_error (self);
  if (!ps_session_stop_writers (self->session, 0, &error))
    show_failure (self, error);
}

static void
action_clear_exited (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PsWritersDialog *self = PS_WRITERS_DIALOG (widget);

  clear_error (self);
  if (self->writers != NULL)
    ps_writers_clear_exited (self->writers);
}

/* ---- lifetime ---- */

static void
ps_writers_dialog_map (GtkWidget *widget)
{
  PsWritersDialog *self = PS_WRITERS_DIALOG (widget);

  GTK_WIDGET_CLASS (ps_writers_dialog_parent_class)->map (widget);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_MS, refresh_tick, self);
  refresh_tick (self);
}

static void
ps_writers_dialog_unmap (GtkWidget *widget)
{
  PsWritersDialog *self = PS_WRITERS_DIALOG (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (ps_writers_dialog_parent_class)->unmap (widget);
}

static void
ps_writers_dialog_dispose (GObject *object)
{
  PsWritersDialog *self = PS_WRITERS_DIALOG (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->selection != NULL)
    gtk_no_selection_set_model (self->selection, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_WRITERS_DIALOG);
  g_clear_object (&self->selection);
  g_clear_object (&self->writers_signals);
  g_clear_object (&self->writers);
  g_clear_pointer (&self->bound_writes, g_hash_table_unref);
  g_clear_pointer (&self->failure, g_free);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_writers_dialog_parent_class)->dispose (object);
}

static void
ps_writers_dialog_class_init (PsWritersDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_writers_dialog_dispose;
  widget_class->map = ps_writers_dialog_map;
  widget_class->unmap = ps_writers_dialog_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-writers-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, notice_box);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, notice_title);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, notice_label);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, spawn_group);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, count_row);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, pattern_row);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, message_row);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, rate_row);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, max_switch);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, selection_row);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, selection_switch);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, limit_row);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, writes_row);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, start_button);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, clear_button);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, stop_all_button);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, list_stack);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, column_view);
  gtk_widget_class_bind_template_child (widget_class, PsWritersDialog, summary_label);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_pattern_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_max_toggled);

  gtk_widget_class_install_action (widget_class, "writers.start", NULL, action_start);
  gtk_widget_class_install_action (widget_class, "writers.stop", "s", action_stop);
  gtk_widget_class_install_action (widget_class, "writers.stop-all", NULL, action_stop_all);
  gtk_widget_class_install_action (widget_class, "writers.clear-exited", NULL, action_clear_exited);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_writers_dialog_init (PsWritersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound_writes = g_hash_table_new (NULL, NULL);
  self->writers_signals = g_signal_group_new (PS_TYPE_WRITERS);
  g_signal_group_connect_object (self->writers_signals, "items-changed", G_CALLBACK (on_items_changed),
                                 self, G_CONNECT_SWAPPED);
  self->selection = gtk_no_selection_new (NULL);
  add_columns (self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  on_pattern_changed (self);
  update_list (self);
}

static void
on_source_changed (PsWritersDialog *self)
{
  follow_writers (self);
  update_notice (self);
  update_actions (self);
}

GtkWindow *
ps_writers_dialog_new (GtkWindow *parent,
                       PsSession *session)
{
  PsWritersDialog *self;

  g_return_val_if_fail (PS_IS_SESSION (session), NULL);

  self = g_object_new (PS_TYPE_WRITERS_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  g_signal_connect_object (session, "notify::writers", G_CALLBACK (on_source_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::selection", G_CALLBACK (update_range), self, G_CONNECT_SWAPPED);
  follow_writers (self);
  update_range (self);
  update_notice (self);
  update_actions (self);
  return GTK_WINDOW (self);
}
