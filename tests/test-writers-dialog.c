/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The writer children dialog, for real: a window on a real file mapping,
 * the dialog over it, its form filled and its buttons pressed; the children
 * are real forked processes, and the tests check their writes in the
 * mapping and the file, and that every child stopped is reaped. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-application.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window.h"
#include "ps-writer.h"
#include "ps-writers-dialog.h"

static gsize PAGE;
#define DEADLINE_MS 10000

static PsApplication *app;

typedef struct
{
  char      *path;
  PsWindow  *window;
  GtkWindow *dialog;
} Fixture;

static void
fixture_open (Fixture    *f,
              const char *tag,
              gsize       size,
              guint8      fill,
              PsMapFlags  flags)
{
  /* both go when the test ends, however it ends */
  f->path = ps_test_file (tag, size, fill);
  f->window = ps_ui_test_window_on_file (app, f->path, flags, 0);

  f->dialog = ps_writers_dialog_new (GTK_WINDOW (f->window), ps_window_get_session (f->window));
  g_assert_true (gtk_window_get_transient_for (f->dialog) == GTK_WINDOW (f->window));
  gtk_window_present (f->dialog);
  ps_ui_test_wait_drawn (GTK_WIDGET (f->dialog));
}

static gboolean
no_children (gpointer data)
{
  PsWriters *writers = data;
  return ps_writers_get_n_running (writers) == 0;
}

/* Destroying the window destroys the dialog (destroy-with-parent) and reaps
 * every child still running. */
static void
fixture_close (Fixture *f)
{
  GtkWidget *dialog = GTK_WIDGET (f->dialog);

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_null (dialog);
  g_free (f->path);
}

static GtkWidget *
child (Fixture    *f,
       const char *id)
{
  return GTK_WIDGET (ps_ui_test_child (f->dialog, id));
}

/* ---- the rows of the list, as shown ---- */

typedef struct
{
  int        pid;
  GtkLabel  *pattern;
  GtkLabel  *writes;
  GtkLabel  *state;
  GtkWidget *stop;
} Row;

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_name (c), name) == 0)
        return c;
      if ((found = find_named (c, name)) != NULL)
        return found;
    }
  return NULL;
}

/* A column view row holds one cell per column, each holding the widget the
 * dialog made: the pid label's grandparent is its row. */
static void
collect_rows (GtkWidget *widget,
              GArray    *rows)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (g_strcmp0 (gtk_widget_get_name (c), "writer-pid") == 0 &&
          gtk_widget_get_visible (c) && *gtk_label_get_text (GTK_LABEL (c)) != '\0')
        {
          GtkWidget *row = gtk_widget_get_parent (gtk_widget_get_parent (c));
          Row r = { 0 };

          r.pid = atoi (gtk_label_get_text (GTK_LABEL (c)));
          r.pattern = GTK_LABEL (find_named (row, "writer-pattern"));
          r.writes = GTK_LABEL (find_named (row, "writer-writes"));
          r.state = GTK_LABEL (find_named (row, "writer-state"));
          r.stop = find_named (row, "writer-stop");
          g_assert_nonnull (r.pattern);
          g_assert_nonnull (r.writes);
          g_assert_nonnull (r.state);
          g_assert_nonnull (r.stop);
          g_array_append_val (rows, r);
        }
      else
        collect_rows (c, rows);
    }
}

static GArray *
rows_of (Fixture *f)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));

  collect_rows (child (f, "column_view"), rows);
  return rows;
}

static gboolean
row_of_pid (Fixture *f,
            int      pid,
            Row     *out)
{
  g_autoptr(GArray) rows = rows_of (f);

  for (guint i = 0; i < rows->len; i++)
    if (g_array_index (rows, Row, i).pid == pid)
      {
        *out = g_array_index (rows, Row, i);
        return TRUE;
      }
  return FALSE;
}

static guint64
writes_shown (const Row *r)
{
  return g_ascii_strtoull (gtk_label_get_text (r->writes), NULL, 10);
}

typedef struct
{
  Fixture    *f;
  guint       n;
  const char *state;    /* every row shows this state */
  gboolean    writing;  /* and every row shows writes done > 0 */
} RowsWanted;

static gboolean
rows_are (gpointer data)
{
  RowsWanted *w = data;
  g_autoptr(GArray) rows = rows_of (w->f);

  if (rows->len != w->n)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      Row *r = &g_array_index (rows, Row, i);

      if (w->state != NULL && g_strcmp0 (gtk_label_get_text (r->state), w->state) != 0)
        return FALSE;
      if (w->writing && writes_shown (r) == 0)
        return FALSE;
    }
  return TRUE;
}

static void
wait_rows (Fixture    *f,
           guint       n,
           const char *state,
           gboolean    writing)
{
  RowsWanted w = { f, n, state, writing };

  if (!ps_test_wait_until (rows_are, &w, DEADLINE_MS))
    {
      g_autoptr(GArray) rows = rows_of (f);

      for (guint i = 0; i < rows->len; i++)
        g_test_message ("row %u: pid %d, writes %s, state %s", i, g_array_index (rows, Row, i).pid,
                        gtk_label_get_text (g_array_index (rows, Row, i).writes),
                        gtk_label_get_text (g_array_index (rows, Row, i).state));
      g_error ("expected %u rows (state %s%s), found %u", n, state ? state : "any",
               writing ? ", writing" : "", rows->len);
    }
}

/* A child stopped and reaped: no process, not even a zombie, and nothing
 * left for anyone to wait for. */
static void
assert_reaped (int pid)
{
  g_autofree char *proc = g_strdup_printf ("/proc/%d", pid);
  int status;

  g_assert_false (g_file_test (proc, G_FILE_TEST_EXISTS));
  g_assert_cmpint (waitpid (pid, &status, WNOHANG), ==, -1);
  g_assert_cmpint (errno, ==, ECHILD);
}

static guint64
slot (const guint8 *data,
      guint         index)
{
  guint64 value;

  memcpy (&value, data + index * 8, 8);
  return GUINT64_FROM_LE (value);
}

static guint64
file_slot (const char *path,
           guint       index)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  guint64 value = 0;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, &value, 8, index * 8), ==, 8);
  close (fd);
  return GUINT64_FROM_LE (value);
}

typedef struct
{
  const guint8 *data;
  guint         index;
  guint64       above;
} SlotWanted;

static gboolean
slot_grew (gpointer data)
{
  SlotWanted *w = data;
  return slot (w->data, w->index) > w->above;
}

/* Types text into a field of the form, as the user would. */
static void
set_field (Fixture    *f,
           const char *id,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, id)), text);
}

/* ---- shared: start three, watch them write, stop one, stop all ---- */

static void
test_shared (void)
{
  Fixture f = { 0 };
  PsWriters *writers;
  guint8 *data;
  int stopped;

  fixture_open (&f, "writers-shared", 4 * PAGE, 0, PS_MAP_WRITABLE);
  writers = ps_session_get_writers (ps_window_get_session (f.window));
  data = ps_source_get_data (ps_session_get_source (ps_window_get_session (f.window)));

  /* a shared writable mapping: nothing to warn about, no children yet */
  g_assert_false (gtk_widget_get_visible (child (&f, "notice_box")));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (&f, "list_stack"))), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (child (&f, "stop_all_button")));

  set_field (&f, "count_row", "3");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (&f, "pattern_row")), 0);   /* counter */
  g_assert_false (gtk_widget_get_visible (child (&f, "message_row")));
  set_field (&f, "rate_row", "200");
  ps_ui_test_click (child (&f, "start_button"));
  g_assert_false (gtk_widget_get_visible (child (&f, "error_label")));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (writers)), ==, 3);

  /* three rows, each counting, each running */
  wait_rows (&f, 3, "running", TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (&f, "list_stack"))), ==, "list");
  {
    g_autoptr(GArray) rows = rows_of (&f);

    for (guint i = 0; i < rows->len; i++)
      g_assert_cmpstr (gtk_label_get_text (g_array_index (rows, Row, i).pattern), ==, "counter");
  }

  /* the parent sees the counters move in its own mapping, and in the file */
  for (guint i = 0; i < 3; i++)
    {
      SlotWanted w = { data, i, slot (data, i) };

      g_assert_true (ps_test_wait_until (slot_grew, &w, DEADLINE_MS));
      g_assert_cmpuint (file_slot (f.path, i), >, 0);
    }

  /* stop the second through its row's button */
  {
    g_autoptr(GArray) rows = rows_of (&f);
    Row r = g_array_index (rows, Row, 1);

    stopped = r.pid;
    ps_ui_test_click (r.stop);
  }
  {
    gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;
    Row r;

    while (g_get_monotonic_time () < deadline &&
           !(row_of_pid (&f, stopped, &r) && g_str_equal (gtk_label_get_text (r.state), "killed by SIGTERM")))
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (row_of_pid (&f, stopped, &r));
    g_assert_cmpstr (gtk_label_get_text (r.state), ==, "killed by SIGTERM");
    g_assert_false (gtk_widget_get_sensitive (r.stop));
  }
  assert_reaped (stopped);
  g_assert_cmpuint (ps_writers_get_n_running (writers), ==, 2);

  /* Stop All */
  ps_ui_test_click (child (&f, "stop_all_button"));
  wait_rows (&f, 3, "killed by SIGTERM", FALSE);
  g_assert_true (ps_test_wait_until (no_children, writers, DEADLINE_MS));
  {
    g_autoptr(GArray) rows = rows_of (&f);

    for (guint i = 0; i < rows->len; i++)
      assert_reaped (g_array_index (rows, Row, i).pid);
  }
  g_assert_false (gtk_widget_is_sensitive (child (&f, "stop_all_button")));

  /* Clear Exited empties the list */
  ps_ui_test_click (child (&f, "clear_button"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (writers)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (&f, "list_stack"))), ==, "empty");

  fixture_close (&f);
}

/* ---- private: the children write their own copies ---- */

static gboolean
all_unchanged (const guint8 *data,
               gsize         len,
               guint8        fill)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != fill)
      return FALSE;
  return TRUE;
}

static void
test_private (void)
{
  Fixture f = { 0 };
  const char *notice;
  g_autofree char *contents = NULL;
  gsize len;
  guint8 *data;

  fixture_open (&f, "writers-private", 2 * PAGE, 'p', PS_MAP_WRITABLE | PS_MAP_PRIVATE);
  data = ps_source_get_data (ps_session_get_source (ps_window_get_session (f.window)));

  g_assert_true (gtk_widget_get_visible (child (&f, "notice_box")));
  ps_assert_contains (gtk_label_get_text (GTK_LABEL (child (&f, "notice_title"))), "MAP_PRIVATE");
  notice = gtk_label_get_text (GTK_LABEL (child (&f, "notice_label")));
  ps_assert_contains (notice, "copy-on-write");
  ps_assert_contains (notice, "fork()");
  g_assert_true (gtk_widget_is_sensitive (child (&f, "start_button")));

  set_field (&f, "count_row", "2");
  set_field (&f, "rate_row", "500");
  ps_ui_test_click (child (&f, "start_button"));
  wait_rows (&f, 2, "running", TRUE);

  /* they have written (their counts say so), and neither this process's
   * view nor the file shows it */
  g_assert_true (all_unchanged (data, 2 * PAGE, 'p'));
  g_assert_true (g_file_get_contents (f.path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 2 * PAGE);
  g_assert_true (all_unchanged ((guint8 *) contents, len, 'p'));

  ps_ui_test_click (child (&f, "stop_all_button"));
  wait_rows (&f, 2, "killed by SIGTERM", FALSE);
  g_assert_true (all_unchanged (data, 2 * PAGE, 'p'));
  fixture_close (&f);
}

/* ---- read-only: nothing can be started ---- */

static void
test_read_only (void)
{
  Fixture f = { 0 };
  g_autofree char *error = NULL;

  fixture_open (&f, "writers-ro", PAGE, 'r', PS_MAP_DEFAULT);

  g_assert_true (gtk_widget_get_visible (child (&f, "notice_box")));
  ps_assert_contains (gtk_label_get_text (GTK_LABEL (child (&f, "notice_title"))), "read-only");
  g_assert_false (gtk_widget_is_sensitive (child (&f, "start_button")));

  /* the session refuses the same when scripting asks, and says why */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.spawn-writers", "s", "1 counter 10");
  ps_event_log_flush (ps_session_get_log (ps_window_get_session (f.window)));
  error = ps_event_log_to_text (ps_session_get_log (ps_window_get_session (f.window)));
  ps_assert_contains (error, "spawn-writers: ");
  ps_assert_contains (error, "read-only");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ps_session_get_writers (ps_window_get_session (f.window)))), ==, 0);
  fixture_close (&f);
}

/* ---- a text message, a count of writes, the selection, errors ---- */

static gboolean
file_starts_with (gpointer data)
{
  const char **args = data;
  g_autofree char *contents = NULL;
  gsize len;
  gsize want = strlen (args[1]);

  return g_file_get_contents (args[0], &contents, &len, NULL) && len >= want &&
         memcmp (contents, args[1], want) == 0;
}

static void
test_text_count_and_errors (void)
{
  Fixture f = { 0 };
  PsWriters *writers;
  const char *message = "hi, dad, \"this\" is son";
  const char *file_args[2];
  g_autofree char *quoted = NULL;
  g_autofree char *page_bytes = g_strdup_printf ("%zu bytes", PAGE);
  guint8 *data;

  fixture_open (&f, "writers-text", 2 * PAGE, '.', PS_MAP_WRITABLE);
  writers = ps_session_get_writers (ps_window_get_session (f.window));
  data = ps_source_get_data (ps_session_get_source (ps_window_get_session (f.window)));

  /* a message with a quote and commas, 3 writes, as fast as possible */
  set_field (&f, "count_row", "1");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (&f, "pattern_row")), 3);
  g_assert_true (gtk_widget_get_visible (child (&f, "message_row")));
  gtk_editable_set_text (GTK_EDITABLE (child (&f, "message_row")), message);
  gtk_switch_set_active (GTK_SWITCH (child (&f, "max_switch")), TRUE);
  g_assert_false (gtk_widget_is_sensitive (child (&f, "rate_row")));
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (child (&f, "limit_row")), TRUE);
  set_field (&f, "writes_row", "3");
  ps_ui_test_click (child (&f, "start_button"));
  g_assert_false (gtk_widget_get_visible (child (&f, "error_label")));

  /* it writes three copies end to end, then exits 0 */
  wait_rows (&f, 1, "exited 0", FALSE);
  {
    g_autoptr(GArray) rows = rows_of (&f);
    Row *r = &g_array_index (rows, Row, 0);

    g_assert_cmpstr (gtk_label_get_text (r->writes), ==, "3");
    quoted = g_strdup_printf ("\"%s\"", "hi, dad, \\\"this\\\" is son");
    g_assert_cmpstr (gtk_label_get_text (r->pattern), ==, quoted);
    g_assert_false (gtk_widget_get_sensitive (r->stop));
    assert_reaped (r->pid);
  }
  g_assert_cmpmem (data, strlen (message), message, strlen (message));
  g_assert_cmpmem (data + 2 * strlen (message), strlen (message), message, strlen (message));
  g_assert_cmpint (data[3 * strlen (message)], ==, '.');
  file_args[0] = f.path;
  file_args[1] = message;
  g_assert_true (file_starts_with (file_args));

  /* an empty message is refused in place, in words about the message, not
   * the action's pattern syntax: nothing can start */
  gtk_editable_set_text (GTK_EDITABLE (child (&f, "message_row")), "");
  g_assert_false (gtk_widget_is_sensitive (child (&f, "start_button")));
  g_assert_true (gtk_widget_get_visible (child (&f, "error_label")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (&f, "error_label"))), ==,
                   "The message is empty: type the text the children should write");
  g_assert_true (gtk_widget_has_css_class (child (&f, "message_row"), "error"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (writers)), ==, 1);
  /* typing clears it */
  gtk_editable_set_text (GTK_EDITABLE (child (&f, "message_row")), "x");
  g_assert_false (gtk_widget_get_visible (child (&f, "error_label")));
  g_assert_false (gtk_widget_has_css_class (child (&f, "message_row"), "error"));
  g_assert_true (gtk_widget_is_sensitive (child (&f, "start_button")));

  /* the selection: only the second page, where the counter lands at its start */
  g_assert_false (gtk_widget_get_sensitive (child (&f, "selection_switch")));
  ps_page_grid_set_selection (ps_window_get_grid (f.window), 1, 1);
  {
    gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

    while (!gtk_widget_get_sensitive (child (&f, "selection_switch")) && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_true (gtk_widget_get_sensitive (child (&f, "selection_switch")));
  ps_assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (&f, "selection_row"))), page_bytes);
  gtk_switch_set_active (GTK_SWITCH (child (&f, "selection_switch")), TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (&f, "pattern_row")), 0);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (child (&f, "limit_row")), TRUE);
  set_field (&f, "writes_row", "7");
  ps_ui_test_click (child (&f, "start_button"));
  g_assert_false (gtk_widget_get_visible (child (&f, "error_label")));
  wait_rows (&f, 2, "exited 0", FALSE);
  g_assert_cmpuint (slot (data + PAGE, 0), ==, 7);
  g_assert_cmpint (data[PAGE - 1], ==, '.');

  fixture_close (&f);
}

/* ---- a bad number is refused at its row, and nothing starts ---- */

static void
on_activated (GtkWidget *button,
              guint     *activated)
{
  (*activated)++;
}

/* The form refuses: the row marked, why in the error line, Start off, and
 * Enter in the field starts nothing. */
static void
assert_refused (Fixture    *f,
                const char *row,
                const char *reason)
{
  GtkWidget *start = child (f, "start_button");
  guint activated = 0;
  gulong id;

  g_assert_true (gtk_widget_has_css_class (child (f, row), "error"));
  g_assert_true (gtk_widget_get_visible (child (f, "error_label")));
  ps_assert_contains (gtk_label_get_text (GTK_LABEL (child (f, "error_label"))), reason);
  g_assert_false (gtk_widget_is_sensitive (start));

  /* Enter activates the default button only when it is sensitive, and then
   * at once: "activate" is emitted before the button's pressed look */
  id = g_signal_connect (start, "activate", G_CALLBACK (on_activated), &activated);
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (child (f, row))), "activate");
  g_signal_handler_disconnect (start, id);
  g_assert_cmpuint (activated, ==, 0);
  /* nor does the action, asked directly */
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "writers.start", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ps_session_get_writers (ps_window_get_session (f->window)))), ==, 0);
}

static void
assert_accepted (Fixture *f)
{
  static const char *const rows[] = { "count_row", "message_row", "rate_row", "writes_row" };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_assert_false (gtk_widget_has_css_class (child (f, rows[i]), "error"));
  g_assert_false (gtk_widget_get_visible (child (f, "error_label")));
  g_assert_true (gtk_widget_is_sensitive (child (f, "start_button")));
}

static void
test_bad_numbers (void)
{
  static const struct
  {
    const char *row;
    const char *text;
    const char *reason;
  } cases[] = {
    { "rate_row",   "abc",  "“abc” is not a number" },
    { "rate_row",   "0",    "at least 0.1" },
    { "rate_row",   "-5",   "at least 0.1" },
    { "rate_row",   "2e6",  "at most 1000000" },
    { "rate_row",   "",     "Type how many writes per second" },
    { "count_row",  "99",   "at most 64" },
    { "count_row",  "200",  "at most 64" },
    { "count_row",  "0",    "at least 1" },
    { "count_row",  "3x",   "“3x” is not a whole number" },
    { "count_row",  "",     "Type how many children" },
    { "writes_row", "0",    "at least 1" },
    { "writes_row", "ten",  "“ten” is not a whole number" },
    { "writes_row", "",     "Type how many writes" },
  };
  Fixture f = { 0 };

  fixture_open (&f, "writers-bad", PAGE, 0, PS_MAP_WRITABLE);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (child (&f, "limit_row")), TRUE);
  assert_accepted (&f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *before = gtk_editable_get_text (GTK_EDITABLE (child (&f, cases[i].row)));
      g_autofree char *saved = g_strdup (before);

      g_test_message ("%s: \"%s\"", cases[i].row, cases[i].text);
      set_field (&f, cases[i].row, cases[i].text);
      assert_refused (&f, cases[i].row, cases[i].reason);
      /* what was typed stays as typed: nothing replaced it */
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (&f, cases[i].row))), ==, cases[i].text);
      set_field (&f, cases[i].row, saved);
      assert_accepted (&f);
    }

  /* a rate that does not apply is not checked: As fast as possible */
  set_field (&f, "rate_row", "abc");
  assert_refused (&f, "rate_row", "not a number");
  gtk_switch_set_active (GTK_SWITCH (child (&f, "max_switch")), TRUE);
  assert_accepted (&f);
  gtk_switch_set_active (GTK_SWITCH (child (&f, "max_switch")), FALSE);
  assert_refused (&f, "rate_row", "not a number");
  set_field (&f, "rate_row", "2.5");
  /* nor a number of writes with no limit */
  set_field (&f, "writes_row", "0");
  assert_refused (&f, "writes_row", "at least 1");
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (child (&f, "limit_row")), FALSE);
  assert_accepted (&f);

  /* and what is typed is what starts: 2 children at 2.5/s */
  set_field (&f, "count_row", " 2 ");
  ps_ui_test_click (child (&f, "start_button"));
  wait_rows (&f, 2, "running", FALSE);
  {
    g_autoptr(PsWriterChild) c = g_list_model_get_item (G_LIST_MODEL (ps_session_get_writers (ps_window_get_session (f.window))), 0);

    g_assert_cmpfloat (ps_writer_child_get_rate (c), ==, 2.5);
  }
  fixture_close (&f);
}

/* ---- at most 64 at once, and the dialog says so ---- */

typedef struct
{
  Fixture    *f;
  gboolean    sensitive;
  const char *error;     /* in the error line, or NULL: none shown */
} StartWanted;

static gboolean
start_is (gpointer data)
{
  StartWanted *w = data;
  GtkWidget *label = child (w->f, "error_label");

  if (gtk_widget_is_sensitive (child (w->f, "start_button")) != w->sensitive)
    return FALSE;
  if (w->error == NULL)
    return !gtk_widget_get_visible (label);
  return gtk_widget_get_visible (label) && strstr (gtk_label_get_text (GTK_LABEL (label)), w->error) != NULL;
}

static void
wait_start (Fixture    *f,
            gboolean    sensitive,
            const char *error)
{
  StartWanted w = { f, sensitive, error };

  if (!ps_test_wait_until (start_is, &w, DEADLINE_MS))
    g_error ("expected Start %s with error \"%s\"; it is %s, error line \"%s\"",
             sensitive ? "on" : "off", error ? error : "(none)",
             gtk_widget_is_sensitive (child (f, "start_button")) ? "on" : "off",
             gtk_widget_get_visible (child (f, "error_label")) ? gtk_label_get_text (GTK_LABEL (child (f, "error_label"))) : "(hidden)");
}

static void
test_limit (void)
{
  Fixture f = { 0 };
  PsWriters *writers;

  fixture_open (&f, "writers-limit", PAGE, 0, PS_MAP_WRITABLE);
  writers = ps_session_get_writers (ps_window_get_session (f.window));

  /* 62 running: 3 more would pass the limit, 2 do not */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.spawn-writers", "s", "62 counter 1"));
  g_assert_cmpuint (ps_writers_get_n_running (writers), ==, 62);
  set_field (&f, "count_row", "3");
  wait_start (&f, FALSE, "62 are running");
  ps_assert_contains (gtk_label_get_text (GTK_LABEL (child (&f, "error_label"))), "62 are running");
  ps_assert_contains (gtk_label_get_text (GTK_LABEL (child (&f, "error_label"))), "at most 2 more");
  g_assert_true (gtk_widget_has_css_class (child (&f, "count_row"), "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (&f, "count_row"))), ==, "3");
  set_field (&f, "count_row", "2");
  wait_start (&f, TRUE, NULL);
  set_field (&f, "rate_row", "1");
  ps_ui_test_click (child (&f, "start_button"));
  g_assert_cmpuint (ps_writers_get_n_running (writers), ==, 64);

  /* 64 running: Start off, and the error line says why */
  wait_start (&f, FALSE, "At most 64 writer children run at once, and 64 are running: stop some to start more");
  g_assert_false (gtk_widget_has_css_class (child (&f, "count_row"), "error"));

  /* stopping them lifts it */
  ps_ui_test_click (child (&f, "stop_all_button"));
  g_assert_true (ps_test_wait_until (no_children, writers, DEADLINE_MS));
  wait_start (&f, TRUE, NULL);
  fixture_close (&f);
}

/* ---- Enter starts; closing the dialog leaves the children to the window ---- */

static void
test_close_dialog (void)
{
  Fixture f = { 0 };
  PsWriters *writers;
  GtkWidget *dialog;
  g_autoptr(GArray) rows = NULL;
  int pid;

  fixture_open (&f, "writers-close", PAGE, 0, PS_MAP_WRITABLE);
  writers = ps_session_get_writers (ps_window_get_session (f.window));

  /* Enter in a number field presses Start, the default button (which shows
   * itself pressed for a moment before it clicks) */
  set_field (&f, "count_row", "1");
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (child (&f, "count_row"))), "activate");
  wait_rows (&f, 1, "running", TRUE);
  rows = rows_of (&f);
  pid = g_array_index (rows, Row, 0).pid;

  /* Escape closes the dialog; the child keeps running */
  dialog = GTK_WIDGET (f.dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_widget_activate_action (dialog, "window.close", NULL);
  g_assert_null (dialog);
  g_assert_cmpuint (ps_writers_get_n_running (writers), ==, 1);

  /* the window going reaps it */
  gtk_window_destroy (GTK_WINDOW (f.window));
  assert_reaped (pid);
  g_free (f.path);
}

int
main (int argc, char **argv)
{
  int rc;

  PAGE = ps_test_page_size ();
  app = ps_ui_test_app_new (&argc, &argv);

  g_test_add_func ("/writers-dialog/shared", test_shared);
  g_test_add_func ("/writers-dialog/private", test_private);
  g_test_add_func ("/writers-dialog/read-only", test_read_only);
  g_test_add_func ("/writers-dialog/text-count-and-errors", test_text_count_and_errors);
  g_test_add_func ("/writers-dialog/close-dialog", test_close_dialog);
  g_test_add_func ("/writers-dialog/bad-numbers", test_bad_numbers);
  g_test_add_func ("/writers-dialog/limit", test_limit);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
