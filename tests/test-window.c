/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window and the application, for real: an in-process window under Xvfb,
 * and the pagescope binary for its command line. */
#include "config.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-application.h"
#include "ps-details-pane-private.h"
#include "ps-open-dialog-private.h"
#include "ps-parse.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-status-bar-private.h"
#include "ps-window-private.h"

static PsApplication *app;
static gsize          PAGE;

/* Destroyed when the test ends (ps_ui_test_window_new). */
static PsWindow *
make_window (void)
{
  return ps_ui_test_window_new (app);
}

static gboolean
has_frame (gpointer data)
{
  PsWindow *window = data;
  return ps_session_get_scanner (window->session) != NULL && ps_scanner_get_frame (ps_session_get_scanner (window->session)) != NULL;
}

/* ---- the window on a POSIX segment shows its size ---- */

/* A segment whose name is not UTF-8 (it crashed the window once): the title
 * shows the byte escaped, and the window draws. */
static void
test_posix_name_bytes (void)
{
  g_autofree char *base = ps_test_posix_name ("window");
  g_autofree char *name = g_strconcat (base, "-\xff", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  PsWindow *window;

  g_object_unref (ps_test_create_posix (name, PAGE, 0600, NULL));

  window = make_window ();
  spec.kind = PS_SOURCE_POSIX;
  spec.name = g_strdup (name);
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ps_test_wait_until (has_frame, window, 5000));
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  g_assert_true (g_utf8_validate (gtk_window_get_title (GTK_WINDOW (window)), -1, NULL));
  ps_assert_contains (adw_window_title_get_title (window->title), "-\\xff");
}

/* Hostile text is bounded where Pango lays it out (a 16 KiB path froze the
 * main loop for 10 s, a megabyte for minutes): an error quoting a 64 KiB
 * path, and a title made of a name of 200 bytes \xff (800 characters
 * escaped) show their start and end around one "…"; the caller still gets
 * the whole message. */
static void
test_hostile_long_names (void)
{
  g_autofree char *base = ps_test_posix_name ("window");
  g_autofree char *ffs = g_strnfill (200, '\xff');
  g_autofree char *name = g_strconcat (base, "-", ffs, "-end", NULL);
  g_autofree char *long_path = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) file_spec = { 0 };
  g_auto(PsSourceSpec) posix_spec = { 0 };
  PsWindow *failed = make_window ();
  PsWindow *window = make_window ();
  const char *shown;

  {
    GString *p = g_string_new ("/tmp/");
    while (p->len < 64 * 1024)
      g_string_append (p, "pagescope-hostile/");
    g_string_append (p, "tail-of-the-path");
    long_path = g_string_free (p, FALSE);
  }
  file_spec.kind = PS_SOURCE_FILE;
  file_spec.path = g_strdup (long_path);
  g_assert_false (ps_window_open_spec (failed, &file_spec, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %.80s... (%zu bytes)", error->message, strlen (error->message));
  g_assert_cmpuint (strlen (error->message), >, 64 * 1024);
  shown = adw_status_page_get_description (failed->error_page);
  g_assert_cmpuint (g_utf8_strlen (shown, -1), <=, PS_MESSAGE_MAX_CHARS);
  ps_assert_contains (shown, "…");
  ps_assert_contains (shown, "tail-of-the-path");
  g_assert_true (g_str_has_prefix (shown, "open(\"/tmp/pagescope-hostile/"));

  g_object_unref (ps_test_create_posix (name, PAGE, 0600, NULL));
  posix_spec.kind = PS_SOURCE_POSIX;
  posix_spec.name = g_strdup (name);
  g_assert_true (ps_window_open_spec (window, &posix_spec, &error));
  shown = adw_window_title_get_title (window->title);
  g_test_message ("title: %s", shown);
  g_assert_cmpuint (g_utf8_strlen (shown, -1), <=, PS_DISPLAY_MAX_CHARS + 64);
  ps_assert_contains (shown, "\\xff-end");
  /* the escapes around the "…" are whole */
  ps_assert_contains (shown, "\\xff…\\xff");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, shown);
}

static void
count_finalized (gpointer data,
                 GObject *where_the_object_was)
{
  (*(guint *) data)++;
}

/* Toasts do not pile up: 200 refusals in a row (a script's actions) leave
 * one toast saying the newest, not 200 queued to wait 6 s each (memory grew
 * with scripted actions: 200 spawn/stop cycles took VmRSS from 207 to
 * 330 MB, 100 write-bytes 42 MB of heap). */
static void
test_toasts_bounded (void)
{
  PsWindow *window = make_window ();
  static guint finalized;       /* the last toast goes with the window, later */
  guint made = 0;
  gpointer last = NULL;

  gtk_window_present (GTK_WINDOW (window));
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *message = g_strdup_printf ("refusal %u", i);

      ps_window_show_toast (window, message);
      g_assert_nonnull (window->toast);
      if (window->toast != last)
        {
          made++;
          g_object_weak_ref (G_OBJECT (window->toast), count_finalized, &finalized);
          last = window->toast;
        }
      g_main_context_iteration (NULL, FALSE);
    }
  g_test_message ("%u toasts made, %u finalized", made, finalized);
  g_assert_cmpuint (made - finalized, <=, 2);
  g_assert_cmpstr (adw_toast_get_title (window->toast), ==, "refusal 199");
}

static void
test_posix_size (void)
{
  g_autofree char *name = ps_test_posix_name ("window");
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  gsize size = 3 * PAGE + 100;
  g_autofree char *kib = g_strdup_printf ("%.1f", size / 1024.0);
  g_autofree char *bytes = g_strdup_printf ("%zu bytes", size);
  PsWindow *window;
  const char *text;

  g_object_unref (ps_test_create_posix (name, size, 0600, NULL));

  window = make_window ();
  spec.kind = PS_SOURCE_POSIX;
  spec.name = g_strdup (name);
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "main");
  g_assert_true (ps_test_wait_until (has_frame, window, 5000));
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);

  /* the status says the size; the details give it in bytes */
  text = gtk_label_get_text (ps_status_bar_get_label (window->status_bar, PS_STATUS_SIZE));
  g_assert_nonnull (strstr (text, kib));     /* 12388 bytes = 12.1 KiB */
  g_assert_nonnull (strstr (gtk_label_get_text (ps_status_bar_get_label (window->status_bar, PS_STATUS_PAGES)), "4 pages"));
  g_assert_nonnull (strstr (adw_window_title_get_title (window->title), name));
  {
    g_autofree char *details = ps_details_pane_dup_text (window->details);

    ps_assert_contains (details, bytes);
  }

  /* read-only by default: attaching never writes */
  g_assert_false (ps_source_is_writable (ps_session_get_source (ps_window_get_session (window))));
}

static void
test_open_error (void)
{
  g_autofree char *name = ps_test_posix_name ("missing");
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  PsWindow *window = make_window ();
  g_autofree char *expected = NULL;

  spec.kind = PS_SOURCE_POSIX;
  spec.name = g_strdup (name);
  g_assert_false (ps_window_open_spec (window, &spec, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  expected = g_strdup_printf ("shm_open(\"%s\", O_RDONLY): No such file or directory", name);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->stack), ==, "error");
  g_assert_cmpstr (adw_status_page_get_description (window->error_page), ==, expected);
  g_assert_cmpstr (adw_status_page_get_icon_name (window->error_page), ==, "dialog-error-symbolic");
  /* and the log has the failing call */
  {
    g_autofree char *log = ps_event_log_to_text (ps_session_get_log (ps_window_get_session (window)));
    g_assert_nonnull (strstr (log, "= -1 ENOENT (No such file or directory)"));
  }
}

/* ---- the keyboard shortcuts window, built when asked for ---- */

static void
test_help_overlay (void)
{
  PsWindow *window = make_window ();
  GtkWindow *overlay = NULL;

  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (gtk_window_get_toplevels ()); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (gtk_window_get_toplevels (), i);

      if (GTK_IS_SHORTCUTS_WINDOW (toplevel))
        overlay = toplevel;
    }
  g_assert_nonnull (overlay);
  g_assert_true (gtk_window_get_transient_for (overlay) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_window_destroy (overlay);
}

/* ---- names for a screen reader (check-a11y reads them over AT-SPI) ---- */

/* The icon-only controls have labels; the inner button that takes the
 * focus in a drop-down or a menu button is labelled by it. */
static void
test_accessible_names (void)
{
  PsWindow *window = make_window ();
  GtkWidget *controls[] = {
    GTK_WIDGET (window->pause_button), GTK_WIDGET (window->interval_dropdown),
    GTK_WIDGET (window->mode_dropdown),
  };

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      GtkWidget *inner = gtk_widget_get_first_child (controls[i]);

      gtk_test_accessible_assert_property (GTK_ACCESSIBLE (controls[i]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                           i == 0 ? "Pause the scanner"
                                           : i == 1 ? "Scan interval" : "Colour mode of the page grid");
      if (i > 0)
        {
          g_assert_true (GTK_IS_BUTTON (inner));
          g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (inner), GTK_ACCESSIBLE_RELATION_LABELLED_BY));
        }
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- a click on a page past EOF asks what touching it does ---- */

static guint
count_toplevels (const char *type_name)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      n += g_str_equal (G_OBJECT_TYPE_NAME (toplevel), type_name);
    }
  return n;
}

static GtkWindow *
find_toplevel (const char *type_name)
{
  return ps_ui_test_find_toplevel (type_name, NULL);
}

/* ---- --log echoes what the open dialog opens ---- */

static gboolean
open_dialog_shown (gpointer data)
{
  return ps_ui_test_find_toplevel ("PsOpenDialog", NULL) != NULL;
}

/* Opens path through the window's open dialog, as a user would. */
static void
open_through_dialog (PsWindow   *window,
                     const char *path)
{
  PsOpenDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-dialog", "s", "file"));
  g_assert_true (ps_test_wait_until (open_dialog_shown, NULL, 5000));
  dialog = PS_OPEN_DIALOG (ps_ui_test_find_toplevel ("PsOpenDialog", NULL));
  g_assert_true (ps_open_dialog_set_field (dialog, "path", path));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  ps_open_dialog_activate_open (dialog);
  /* it goes once the source is open */
  if (dialog != NULL)
    g_error ("the open dialog refused %s: %s", path, ps_open_dialog_get_error_text (dialog));
}

/* With --log, a source opened from the dialog prints its open calls too:
 * into the empty window, and into the new window made for it when the
 * window already shows something. stdout is a file for the while. */
static void
test_log_echo_dialog (void)
{
  g_autofree char *a = ps_test_file ("window-echo-a", 100, 'a');
  g_autofree char *b = ps_test_file ("window-echo-b", 100, 'b');
  g_autofree char *open_a = g_strdup_printf ("open(\"%s\", O_RDONLY) = ", a);
  g_autofree char *open_b = g_strdup_printf ("open(\"%s\", O_RDONLY) = ", b);
  g_autofree char *out_path = ps_test_temp_path ("window-echo");
  g_autofree char *out = NULL;
  int out_fd, saved;
  PsWindow *window;
  guint windows;

  out_fd = open (out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  g_assert_no_errno (out_fd >= 0 ? 0 : -1);
  fflush (stdout);
  saved = dup (STDOUT_FILENO);
  g_assert_no_errno (dup2 (out_fd, STDOUT_FILENO) >= 0 ? 0 : -1);
  close (out_fd);

  ps_application_set_echo_log (app, TRUE);
  window = make_window ();
  open_through_dialog (window, a);
  g_assert_true (ps_session_is_open (window->session));
  windows = count_toplevels ("PsWindow");
  open_through_dialog (window, b);
  g_assert_cmpuint (count_toplevels ("PsWindow"), ==, windows + 1);
  ps_application_set_echo_log (app, FALSE);

  /* the new window goes when the test ends */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (PS_IS_WINDOW (toplevel) && toplevel != GTK_WINDOW (window))
          ps_ui_test_queue_destroy (toplevel);
      }
  }

  fflush (stdout);
  g_assert_no_errno (dup2 (saved, STDOUT_FILENO) >= 0 ? 0 : -1);
  close (saved);
  g_assert_true (g_file_get_contents (out_path, &out, NULL, NULL));
  ps_assert_contains (out, open_a);
  ps_assert_contains (out, open_b);
}

static void
test_click_past_eof (void)
{
  g_autofree char *path = ps_test_file ("window-click", 100, 'c');
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  PsWindow *window = make_window ();
  GtkWindow *dialog;
  GObject *offset_row;

  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (path);
  spec.length = 3 * PAGE;
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  g_assert_true (ps_test_wait_until (has_frame, window, 5000));
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);

  /* the page holding EOF goes to the hex view */
  g_signal_emit_by_name (window->grid, "page-activated", (guint64) 0);
  g_assert_null (find_toplevel ("PsProbeDialog"));

  /* a page wholly past EOF opens the probe dialog there */
  g_signal_emit_by_name (window->grid, "page-activated", (guint64) 2);
  dialog = find_toplevel ("PsProbeDialog");
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  offset_row = gtk_widget_get_template_child (GTK_WIDGET (dialog), G_OBJECT_TYPE (dialog), "offset_row");
  g_assert_cmpuint (g_ascii_strtoull (gtk_editable_get_text (GTK_EDITABLE (offset_row)), NULL, 0), ==, 2 * PAGE);

  /* and so does the guard page past the mapping: the one dialog, there */
  g_signal_emit_by_name (window->grid, "page-activated", (guint64) 3);
  g_assert_cmpuint (count_toplevels ("PsProbeDialog"), ==, 1);
  dialog = find_toplevel ("PsProbeDialog");
  offset_row = gtk_widget_get_template_child (GTK_WIDGET (dialog), G_OBJECT_TYPE (dialog), "offset_row");
  g_assert_cmpuint (g_ascii_strtoull (gtk_editable_get_text (GTK_EDITABLE (offset_row)), NULL, 0), ==, 3 * PAGE);

  /* asking again for a dialog presents the open one */
  for (int i = 0; i < 2; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.probe-dialog", NULL));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.writers-dialog", NULL));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.msync-dialog", NULL));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.write-dialog", NULL));
    }
  g_assert_cmpuint (count_toplevels ("PsProbeDialog"), ==, 1);
  g_assert_cmpuint (count_toplevels ("PsWritersDialog"), ==, 1);
  g_assert_cmpuint (count_toplevels ("PsMsyncDialog"), ==, 1);
  g_assert_cmpuint (count_toplevels ("PsWriteDialog"), ==, 1);

  /* a closed one is made again */
  gtk_window_destroy (find_toplevel ("PsMsyncDialog"));
  g_assert_cmpuint (count_toplevels ("PsMsyncDialog"), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.msync-dialog", NULL));
  g_assert_cmpuint (count_toplevels ("PsMsyncDialog"), ==, 1);

  /* and the window takes them all along */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_cmpuint (count_toplevels ("PsProbeDialog") + count_toplevels ("PsWritersDialog") +
                    count_toplevels ("PsMsyncDialog") + count_toplevels ("PsWriteDialog"), ==, 0);
}

/* ---- actions on a real mapping ---- */

/* The refusals and failures of actions: the log's error lines, each as the
 * action's caller hears it ("ACTION: why"). */
static guint
n_errors (PsWindow  *window,
          char     **last)
{
  PsEventLog *log = ps_session_get_log (ps_window_get_session (window));
  guint n = 0;

  ps_event_log_flush (log);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(PsLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (!ps_log_entry_is_error (entry))
        continue;
      n++;
      if (last != NULL)
        {
          g_free (*last);
          *last = g_strdup (ps_log_entry_get_text (entry));
        }
    }
  return n;
}

typedef struct
{
  PsWindow *window;
  guint     before;
} ErrorWait;

static gboolean
new_error (gpointer data)
{
  ErrorWait *w = data;
  return n_errors (w->window, NULL) > w->before;
}

/* Runs a window action and returns the error line it adds to the log, also
 * when it runs in the background (msync, probes). */
static char *
refusal_of (PsWindow   *window,
            const char *action,
            const char *argument)
{
  g_autofree char *name = g_strconcat ("win.", action, NULL);
  ErrorWait w = { window, n_errors (window, NULL) };
  char *last = NULL;

  if (argument != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), name, "s", argument);
  else
    gtk_widget_activate_action (GTK_WIDGET (window), name, NULL);
  if (!ps_test_wait_until (new_error, &w, 10000))
    g_error ("%s \"%s\" was not refused", action, argument);
  n_errors (window, &last);
  return last;
}

typedef struct
{
  PsWindow   *window;
  const char *needle;
} LogWait;

static gboolean
log_has (gpointer data)
{
  LogWait *w = data;
  PsEventLog *log = ps_session_get_log (ps_window_get_session (w->window));
  g_autofree char *text = NULL;

  ps_event_log_flush (log);
  text = ps_event_log_to_text (log);
  return strstr (text, w->needle) != NULL;
}

static void
test_write_and_undo (void)
{
  g_autofree char *path = ps_test_file ("window-write", 2 * PAGE, 'a');
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  PsWindow *window = make_window ();
  g_autofree char *contents = NULL;
  guint8 *data;

  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (path);
  spec.flags = PS_MAP_WRITABLE;
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  data = ps_source_get_data (ps_session_get_source (ps_window_get_session (window)));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.write-bytes", "s", "0x10 de ad be ef");
  g_assert_cmpmem (data + 0x10, 4, "\xde\xad\xbe\xef", 4);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.write-bytes", "s", "0x12 \"HI\"");
  g_assert_cmpmem (data + 0x10, 4, "\xde\xadHI", 4);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpmem (data + 0x10, 4, "\xde\xad\xbe\xef", 4);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpmem (data + 0x10, 4, "aaaa", 4);

  /* msync runs in the background and reports in the log (what it changes,
   * the dirty pages, is tested on the session, test-session.c
   * /session/msync; the file read here shows the write, msync or not) */
  {
    LogWait w = { window, ", MS_SYNC) = 0" };

    gtk_widget_activate_action (GTK_WIDGET (window), "win.write-bytes", "s", "0 \"OK\"");
    gtk_widget_activate_action (GTK_WIDGET (window), "win.msync", "s", "sync");
    g_assert_true (ps_test_wait_until (log_has, &w, 10000));
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpmem (contents, 2, "OK", 2);
  }
}

/* A typo in an option is refused, not taken as "the whole mapping"; length=
 * alone counts from 0; count=0 starts nothing. */
static void
test_action_options (void)
{
  g_autofree char *path = ps_test_file ("window-options", 3 * PAGE, 'o');
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  PsWindow *window = make_window ();
  static const struct { const char *action, *argument, *says; } refused[] = {
    { "msync", "sync lenght=4K", "unknown option \"lenght=\"" },
    { "msync", "sync offset=4K lenght=4K", "unknown option \"lenght=\"" },
    { "msync", "sync length=0", "length \"0\": must not be zero" },
    { "spawn-writers", "1 counter 10 bogus=1", "unknown option \"bogus=\"" },
    { "spawn-writers", "1 counter 10 count=0", "count=0" },
  };

  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (path);
  spec.flags = PS_MAP_WRITABLE;
  g_assert_true (ps_window_open_spec (window, &spec, &error));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *line = refusal_of (window, refused[i].action, refused[i].argument);
      g_autofree char *prefix = g_strconcat (refused[i].action, ": ", NULL);

      g_assert_true (g_str_has_prefix (line, prefix));
      ps_assert_contains (line, refused[i].says);
    }
  /* nothing was started */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ps_session_get_writers (ps_window_get_session (window)))), ==, 0);

  /* length= alone: from offset 0 */
  {
    g_autofree char *one_page = g_strdup_printf (", %zu, MS_SYNC) = 0", PAGE);
    g_autofree char *argument = g_strdup_printf ("sync length=%zu", PAGE);
    LogWait w = { window, one_page };

    ps_event_log_clear (ps_session_get_log (ps_window_get_session (window)));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.msync", "s", argument);
    g_assert_true (ps_test_wait_until (log_has, &w, 10000));
  }
}

static void
test_write_refused (void)
{
  g_autofree char *path = ps_test_file ("window-ro", PAGE, 'r');
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  PsWindow *window = make_window ();
  g_autofree char *contents = NULL;
  g_autofree char *line = NULL;

  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (path);
  g_assert_true (ps_window_open_spec (window, &spec, &error));

  line = refusal_of (window, "write-bytes", "0 41");
  g_assert_true (g_str_has_prefix (line, "write-bytes: "));
  ps_assert_contains (line, "read-only");
  ps_assert_contains (line, "writable");
  g_free (line);

  /* a malformed argument names the column and writes nothing */
  line = refusal_of (window, "write-bytes", "0 de ag");
  ps_assert_contains (line, "column");
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpint (contents[0], ==, 'r');
  g_free (line);

  /* a probe write is refused before any child runs, and the log does not
   * announce one */
  line = refusal_of (window, "probe", "0x10 write");
  g_assert_true (g_str_has_prefix (line, "probe: "));
  ps_assert_contains (line, "read-only");
  {
    g_autofree char *log = ps_event_log_to_text (ps_session_get_log (ps_window_get_session (window)));
    g_assert_null (strstr (log, "a child will write"));
  }
}

/* ---- the binary ---- */

static char *
run_binary (const char * const *args,
            gboolean            no_display,
            int                *status,
            char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  char *out = NULL;
  GError *error = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("PAGESCOPE_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  if (no_display)
    {
      envp = g_environ_unsetenv (envp, "DISPLAY");
      envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
    }
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, err, status, &error);
  g_assert_no_error (error);
  return out;
}

/* The zh_CN catalogue is built and the app finds it ($PAGESCOPE_LOCALEDIR):
 * --help in Chinese, and a malformed argument's error too. */
static void
test_cli_zh_cn (void)
{
  const char *help[] = { "--help", NULL };
  const char *bad[] = { "--anon", "12Q", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  out = run_binary (help, TRUE, &status, &err);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_nonnull (strstr (out, "共享内存"));
  g_assert_null (strstr (out, "shared-memory segment"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = run_binary (bad, TRUE, &status, &err);
  g_unsetenv ("LANGUAGE");
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);
  g_assert_true (g_str_has_prefix (err, "pagescope: "));
  g_assert_true (g_utf8_validate (err, -1, NULL));
  /* the first CJK character the message has: it is translated */
  {
    gboolean cjk = FALSE;

    for (const char *p = err; *p != '\0'; p = g_utf8_next_char (p))
      cjk |= g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN;
    g_test_message ("%s", err);
    g_assert_true (cjk);
  }
}

/* An uninstalled build speaks Chinese with nothing set but the language:
 * no $PAGESCOPE_LOCALEDIR (the binary finds its build tree's po/ by itself)
 * and no locale at all (LANGUAGE alone, as in a bare container). */
static void
test_cli_zh_cn_uninstalled (void)
{
  const char *argv[] = { g_getenv ("PAGESCOPE_BIN"), "--help", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  for (guint i = 0; i < 3; i++)
    envp = g_environ_unsetenv (envp, (const char *[]) { "PAGESCOPE_LOCALEDIR", "LC_ALL", "LANG" }[i]);
  envp = g_environ_unsetenv (envp, "LC_MESSAGES");
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_setenv (envp, "LANGUAGE", "zh_CN", TRUE);
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  ps_assert_contains (out, "共享内存");
  g_assert_null (strstr (out, "shared-memory segment"));
}

/* Each exits 2 with one line naming the option and the reason, before
 * anything is opened (no display is needed to say so). */
static void
test_cli_malformed (void)
{
  static const struct { const char *args[6]; const char *says; } cases[] = {
    { { "--offset", "abc", "/etc/hostname", NULL }, "--offset" },
    { { "--sysv", "0xZZ", NULL }, "0xZZ" },
    { { "--anon", "12Q", NULL }, "12Q" },
    { { "--posix", "a/b", NULL }, "a/b" },
    { { "--shmid", "-3", NULL }, "-3" },
    { { "--writable", NULL }, "need a source" },
    { { "--anon", "1M", "--posix", "x", NULL }, "name one source" },
    { { "--offset", "123", "/etc/hostname", NULL }, "multiple of the page size" },
    { { "--length", "0", "/etc/hostname", NULL }, "--length \"0\": must not be zero" },
    { { "--sysv", "0x1234", "--length", "8K", NULL }, "--length does not apply to --sysv" },
    { { "--shmid", "1", "--private", NULL }, "--private does not apply to --shmid" },
    { { "--anon", "64K", "--private", NULL }, "--private does not apply to --anon" },
    { { "--anon", "64K", "--offset", "4K", NULL }, "--offset does not apply to --anon" },
    { { "--demo", "--length", "4K", NULL }, "--length does not apply to --demo" },
    { { "--list", "--writable", NULL }, "--list" },
    { { "--list", "/etc/hostname", NULL }, "--list" },
    /* what GOption itself refuses, said the same way */
    { { "--frobnicate", NULL }, "Unknown option --frobnicate (see --help)" },
    { { "--sysv", NULL }, "Missing argument for --sysv (see --help)" },
    { { "/etc/hostname", "--offset", NULL }, "Missing argument for --offset" },
    /* --list's own options */
    { { "--raw", NULL }, "--raw goes with --list" },
    { { "--list", "--json", "--raw", NULL }, "two formats" },
    { { "--list", "--output", "KEY,BOGUS", NULL }, "no column is called \"BOGUS\"" },
    { { "--list", "--output", "KEY,NAME", NULL }, "no list has all of these columns" },
    { { "", NULL }, "the path is empty" },   /* once opened the current directory */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      out = run_binary (cases[i].args, TRUE, &status, &err);
      g_test_message ("%s", err);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 2);
      g_assert_true (g_str_has_prefix (err, "pagescope: "));
      ps_assert_contains (err, cases[i].says);
      g_assert_nonnull (strchr (err, '\n'));
      g_assert_cmpstr (strchr (err, '\n') + 1, ==, "");   /* one line */
    }
}

static void
test_cli_list_no_display (void)
{
  g_autofree char *name = ps_test_posix_name ("list");
  g_autoptr(PsSource) made = ps_test_create_posix (name, 3 * PAGE, 0600, NULL);
  const char *json_args[] = { "--list", "--json", NULL };
  const char *table_args[] = { "--list", NULL };
  g_autofree char *out = NULL, *err = NULL, *table = NULL, *err2 = NULL;
  int status;

  out = run_binary (json_args, TRUE, &status, &err);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_nonnull (strstr (out, name));
  g_assert_nonnull (strstr (out, "\"posix\""));
  g_assert_nonnull (strstr (out, "\"sysv\""));
  table = run_binary (table_args, TRUE, &status, &err2);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_nonnull (strstr (table, name));
}

/* A second invocation reaches the running instance: the primary, started
 * with --log, logs the second window's shm_open on its stdout. */
typedef struct
{
  GString *out;
  int      fd;
} Reader;

static gboolean
read_more (gpointer data)
{
  Reader *r = data;
  char buf[4096];
  ssize_t n;

  while ((n = read (r->fd, buf, sizeof buf)) > 0)
    g_string_append_len (r->out, buf, n);
  return FALSE;
}

static gboolean
primary_says (Reader     *r,
              const char *needle,
              guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;

  while (strstr (r->out->str, needle) == NULL && g_get_monotonic_time () < deadline)
    {
      read_more (r);
      g_usleep (10 * 1000);
    }
  return strstr (r->out->str, needle) != NULL;
}

static void
test_cli_second_instance (void)
{
  g_autofree char *name = ps_test_posix_name ("second");
  g_autofree char *needle = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) made = ps_test_create_posix (name, 2 * PAGE, 0600, NULL);
  const char *primary_argv[] = { g_getenv ("PAGESCOPE_BIN"), "--log", "--demo", NULL };
  const char *second_args[] = { "--posix", name, NULL };
  const char *quit_argv[] = { "gapplication", "action", APP_ID, "quit", NULL };
  g_autofree char *out = NULL, *err = NULL;
  Reader reader = { g_string_new (NULL), -1 };
  GPid primary;
  int status;

  g_spawn_async_with_pipes (NULL, (char **) primary_argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &primary, NULL, &reader.fd, NULL, &error);
  g_assert_no_error (error);
  ps_test_queue_kill (primary);
  g_unix_set_fd_nonblocking (reader.fd, TRUE, NULL);
  g_assert_true (primary_says (&reader, "mmap(", 20000));   /* the demo is open */

  out = run_binary (second_args, FALSE, &status, &err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  needle = g_strdup_printf ("shm_open(\"%s\", O_RDONLY) = ", name);
  g_assert_true (primary_says (&reader, needle, 10000));

  /* quit through D-Bus, as any script would; the demo file goes with it */
  g_spawn_sync (NULL, (char **) quit_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  status = ps_test_reap (primary, 10000);
  g_assert_true (WIFEXITED (status));
  read_more (&reader);
  g_assert_nonnull (strstr (reader.out->str, "unlink(\""));

  close (reader.fd);
  g_string_free (reader.out, TRUE);
}

/* SIGTERM, as a session ending sends: the app quits as app.quit does, and the
 * demo file goes with it, so do its writer children. */
/* A source named on the command line that cannot be opened: the error is on
 * stderr and in the window, and the process exits 1 once it is closed. */
static void
test_cli_open_failed_status (void)
{
  g_autofree char *missing = g_strdup_printf ("/tmp/pagescope-missing-%d", getpid ());
  const char *argv[] = { g_getenv ("PAGESCOPE_BIN"), missing, NULL };
  g_autoptr(GError) error = NULL;
  Reader reader = { g_string_new (NULL), -1 };
  GPid pid;
  int status;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, NULL, &reader.fd, &error);
  g_assert_no_error (error);
  ps_test_queue_kill (pid);
  g_unix_set_fd_nonblocking (reader.fd, TRUE, NULL);
  g_assert_true (primary_says (&reader, "No such file or directory", 20000));

  kill (pid, SIGTERM);
  status = ps_test_reap (pid, 10000);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  close (reader.fd);
  g_string_free (reader.out, TRUE);
}

static void
test_cli_sigterm (void)
{
  const char *argv[] = { g_getenv ("PAGESCOPE_BIN"), "--log", "--demo", NULL };
  const char *spawn_argv[] = { "gapplication", "action", APP_ID, "spawn-writers", "'2 counter 50'", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *demo = NULL;
  Reader reader = { g_string_new (NULL), -1 };
  const char *at, *end;
  GPid pid;
  int status;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &reader.fd, NULL, &error);
  g_assert_no_error (error);
  ps_test_queue_kill (pid);
  g_unix_set_fd_nonblocking (reader.fd, TRUE, NULL);
  g_assert_true (primary_says (&reader, "madvise(", 20000));
  at = strstr (reader.out->str, "open(\"");
  g_assert_nonnull (at);
  at += strlen ("open(\"");
  end = strchr (at, '"');
  demo = g_strndup (at, end - at);
  g_assert_true (g_file_test (demo, G_FILE_TEST_EXISTS));
  g_spawn_sync (NULL, (char **) spawn_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (primary_says (&reader, "fork() = ", 10000));

  kill (pid, SIGTERM);
  status = ps_test_reap (pid, 10000);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  read_more (&reader);
  /* the writers were stopped and reaped before the app ended */
  g_assert_nonnull (strstr (reader.out->str, "= killed by SIGTERM"));
  g_assert_false (g_file_test (demo, G_FILE_TEST_EXISTS));

  close (reader.fd);
  g_string_free (reader.out, TRUE);
}

/* ---- the panes fit the window ---- */

/* The legend, the grid and the hex view's first row lie inside the window
 * once a frame is drawn: a legend of wrapping labels once asked for a
 * height that pushed all three above the window's top. */
static gboolean
laid_out (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_height (data) > 0;
}

static void
assert_inside (GtkWidget  *widget,
               GtkWidget  *window,
               const char *what)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  if (bounds.origin.y < 0 || bounds.origin.y >= gtk_widget_get_height (window) || bounds.size.height <= 0)
    g_error ("%s lies at y %.0f..%.0f, outside the window's %d px", what, bounds.origin.y,
             bounds.origin.y + bounds.size.height, gtk_widget_get_height (window));
}

static void
test_panes_fit (void)
{
  g_autofree char *path = ps_test_file ("window-fit", 256 * 1024, 'f');
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  PsWindow *window = make_window ();
  GtkWidget *legend = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (window), PS_TYPE_WINDOW, "legend");

  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  g_assert_true (ps_test_wait_until (has_frame, window, 5000));
  g_assert_true (ps_test_wait_until (laid_out, window->grid, 5000));
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);

  assert_inside (legend, GTK_WIDGET (window), "the legend");
  assert_inside (GTK_WIDGET (window->grid), GTK_WIDGET (window), "the grid");
  assert_inside (GTK_WIDGET (window->hex), GTK_WIDGET (window), "the hex view");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  int rc;

  PAGE = ps_test_page_size ();
  app = ps_ui_test_app_new (&argc, &argv);

  g_test_add_func ("/window/posix-size", test_posix_size);
  g_test_add_func ("/window/posix-name-bytes", test_posix_name_bytes);
  g_test_add_func ("/window/open-error", test_open_error);
  g_test_add_func ("/window/toasts-bounded", test_toasts_bounded);
  g_test_add_func ("/window/hostile-long-names", test_hostile_long_names);
  g_test_add_func ("/window/help-overlay", test_help_overlay);
  g_test_add_func ("/window/log-echo-dialog", test_log_echo_dialog);
  g_test_add_func ("/window/accessible-names", test_accessible_names);
  g_test_add_func ("/window/click-past-eof", test_click_past_eof);
  g_test_add_func ("/window/panes-fit", test_panes_fit);
  g_test_add_func ("/window/write-and-undo", test_write_and_undo);
  g_test_add_func ("/window/write-refused", test_write_refused);
  g_test_add_func ("/window/action-options", test_action_options);
  g_test_add_func ("/cli/malformed", test_cli_malformed);
  g_test_add_func ("/cli/zh-cn", test_cli_zh_cn);
  g_test_add_func ("/cli/zh-cn-uninstalled", test_cli_zh_cn_uninstalled);
  g_test_add_func ("/cli/sigterm", test_cli_sigterm);
  g_test_add_func ("/cli/open-failed-status", test_cli_open_failed_status);
  g_test_add_func ("/cli/list-no-display", test_cli_list_no_display);
  g_test_add_func ("/cli/second-instance", test_cli_second_instance);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
