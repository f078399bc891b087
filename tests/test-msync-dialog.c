/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The msync dialog, for real: a window on a temporary file under Xvfb, the
 * dialog opened through win.msync-dialog, its choices made and Run pressed;
 * each test checks the result the dialog shows against the mapping. */
#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pagescope-resources.h"
#include "ps-application.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window.h"

static gsize PAGE;
#define WAIT_MS 5000

static PsApplication *app;

/* ---- a window on a file ---- */

/* Destroyed when the test ends (ps_ui_test_window_new). */
static PsWindow *
open_window (const char *path)
{
  return ps_ui_test_window_on_file (app, path, PS_MAP_WRITABLE, 0);
}

static guint8 *
mapping (PsWindow *window)
{
  return ps_source_get_data (ps_session_get_source (ps_window_get_session (window)));
}

/* ---- the dialog ---- */

static GtkWindow *
open_dialog (PsWindow *window)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.msync-dialog", NULL));
  dialog = ps_ui_test_find_toplevel ("PsMsyncDialog", GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  ps_ui_test_wait_drawn (GTK_WIDGET (dialog));
  return dialog;
}

static gpointer
child (GtkWindow  *dialog,
       const char *name)
{
  return ps_ui_test_child (dialog, name);
}

static const char *
label_text (GtkWindow  *dialog,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (child (dialog, name)));
}

static gboolean
is_shown (gpointer data)
{
  GtkWidget *widget = data;
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

static gboolean
is_gone (gpointer data)
{
  return *(GtkWindow **) data == NULL;
}

static void
close_dialog (GtkWindow *dialog)
{
  ps_ui_test_close (dialog);
}

static gboolean
call_shown (gpointer data)
{
  GtkWidget *label = child (data, "call_label");

  return is_shown (label) && *gtk_label_get_text (GTK_LABEL (label)) != '\0';
}

/* Presses Run and waits for the result; returns the call line. The label is
 * emptied first, so even an identical call has to show anew. */
static const char *
run (GtkWindow *dialog)
{
  gtk_label_set_text (GTK_LABEL (child (dialog, "call_label")), "");
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  if (!ps_test_wait_until (call_shown, dialog, WAIT_MS))
    g_error ("no result; error shown: %s", label_text (dialog, "error_label"));
  g_assert_false (gtk_widget_get_visible (child (dialog, "error_label")));
  return label_text (dialog, "call_label");
}

static char *
expected_call (PsWindow   *window,
               guint64     offset,
               guint64     length,
               const char *flags)
{
  return g_strdup_printf ("msync(%p, %" G_GUINT64_FORMAT ", %s) = 0",
                          (void *) (mapping (window) + offset), length, flags);
}

/* ---- the keyboard ---- */

static gboolean
trigger_is_key (GtkShortcutTrigger *trigger,
                guint               keyval)
{
  if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    return trigger_is_key (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval) ||
           trigger_is_key (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), keyval);
  return GTK_IS_KEYVAL_TRIGGER (trigger) &&
         gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
         gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0;
}

/* Runs widget's shortcuts for keyval that act in phase (the target phase
 * too, when widget is the focus); TRUE if one took the key. */
static gboolean
run_shortcuts (GtkWidget           *widget,
               GtkPropagationPhase  phase,
               gboolean             target,
               guint                keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      GtkPropagationPhase own;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller)) != GTK_SHORTCUT_SCOPE_LOCAL)
        continue;
      own = gtk_event_controller_get_propagation_phase (controller);
      if (own != phase && !(target && own == GTK_PHASE_TARGET))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (trigger_is_key (gtk_shortcut_get_trigger (shortcut), keyval) &&
              gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                            widget, gtk_shortcut_get_arguments (shortcut)))
            return TRUE;
        }
    }
  return FALSE;
}

/* A key press as GTK hands it to the shortcuts on the way: capture phase
 * from the window down to the focus, then the focus and up to the window.
 * (No key event can be made here; the key controllers are not asked.) */
static gboolean
press_key (GtkWindow *dialog,
           guint      keyval)
{
  GtkWidget *focus = gtk_window_get_focus (dialog);
  g_autoptr(GPtrArray) path = g_ptr_array_new ();

  for (GtkWidget *w = focus ? focus : GTK_WIDGET (dialog); w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_add (path, w);
  for (guint i = path->len; i-- > 0;)
    if (run_shortcuts (path->pdata[i], GTK_PHASE_CAPTURE, FALSE, keyval))
      return TRUE;
  for (guint i = 0; i < path->len; i++)
    if (run_shortcuts (path->pdata[i], GTK_PHASE_BUBBLE, i == 0, keyval))
      return TRUE;
  return FALSE;
}

/* "12 KiB → 0 KiB", or "?" for an unknown value */
static void
assert_dirty_text (const char *text)
{
  g_assert_true (g_regex_match_simple ("^([0-9]+ KiB|\\?) → ([0-9]+ KiB|\\?)$", text, 0, 0));
}

/* Adds what "12 KiB → 0 KiB" says, in bytes, to *before and *after. */
static void
add_dirty (const char *text,
           gint64     *before,
           gint64     *after)
{
  const char *arrow = strstr (text, "→");
  char *end;
  gint64 b = g_ascii_strtoll (text, &end, 10);

  g_assert_true (end != text && arrow != NULL);
  *before += b * 1024;
  *after += g_ascii_strtoll (arrow + strlen ("→"), NULL, 10) * 1024;
}

/* "0x1000–0x2fff, 8192 bytes (2 pages)", as the dialog words a whole-page range */
static char *
range_text (guint64 offset,
            guint64 length)
{
  guint64 pages = length / PAGE;

  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "x–0x%" G_GINT64_MODIFIER "x, %" G_GUINT64_FORMAT " bytes (%"
                          G_GUINT64_FORMAT " %s)", offset, offset + length - 1, length, pages, pages == 1 ? "page" : "pages");
}

/* Alt+key on a mnemonic two widgets share only moves the focus between
 * them: every mnemonic on screen must be its own. Two labels with the same
 * text are one row's (an entry row has a second title label). */
static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_get_mapped (c))
        continue;
      if (GTK_IS_LABEL (c) && gtk_label_get_mnemonic_keyval (GTK_LABEL (c)) != GDK_KEY_VoidSymbol)
        {
          gpointer key = GUINT_TO_POINTER (gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (c))));
          const char *text = gtk_label_get_label (GTK_LABEL (c));
          const char *other = g_hash_table_lookup (seen, key);

          if (other != NULL && !g_str_equal (other, text))
            g_error ("\"%s\" and \"%s\" share a mnemonic", other, text);
          g_hash_table_insert (seen, key, (gpointer) text);
        }
      collect_mnemonics (c, seen);
    }
}

static void
assert_mnemonics_unique (GtkWindow *dialog)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  collect_mnemonics (GTK_WIDGET (dialog), seen);
  g_assert_cmpuint (g_hash_table_size (seen), >, 0);
}

/* ---- run over the whole mapping, and again with other flags ---- */

static void
test_run (void)
{
  g_autofree char *path = ps_test_disk_file ("msync-dlg-run", 2 * PAGE, 'a');
  g_autofree char *write = g_strdup_printf ("0x%zx \"SYNC\"", 2 * PAGE - 4);
  g_autofree char *whole = range_text (0, 2 * PAGE);
  g_autofree char *call = NULL;
  g_autoptr(GBytes) disk = NULL;
  gint64 dirty_before = 0, dirty_after = 0;
  PsWindow *window;
  GtkWindow *dialog;

  if (path == NULL)
    {
      g_test_skip ("no temporary directory on a disk file system: msync writes nothing back on tmpfs");
      return;
    }
  window = open_window (path);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.write-bytes", "s", write);
  dialog = open_dialog (window);
  g_assert_false (gtk_widget_is_sensitive (child (dialog, "selection_row")));
  ps_assert_contains (adw_action_row_get_subtitle (child (dialog, "selection_row")), "Nothing is selected");
  ps_assert_contains (adw_action_row_get_subtitle (child (dialog, "whole_row")), whole);
  g_assert_cmpstr (label_text (dialog, "call_label"), ==, "Not run yet");
  g_assert_true (gtk_check_button_get_active (child (dialog, "sync_check")));
  assert_mnemonics_unique (dialog);

  call = expected_call (window, 0, 2 * PAGE, "MS_SYNC");
  g_assert_cmpstr (run (dialog), ==, call);
  g_assert_true (gtk_widget_get_mapped (child (dialog, "result_group")));
  g_test_message ("time %s, shared %s, private %s", label_text (dialog, "time_label"),
                  label_text (dialog, "shared_label"), label_text (dialog, "private_label"));
  g_assert_true (g_regex_match_simple ("^[0-9.]+ (µs|ms), at [0-9]{2}:[0-9]{2}:[0-9]{2}$",
                                       label_text (dialog, "time_label"), 0, 0));
  assert_dirty_text (label_text (dialog, "shared_label"));
  assert_dirty_text (label_text (dialog, "private_label"));
  /* smaps is readable here: the values are known, and what msync changed
   * shows: the page written was dirty before, none is after */
  g_assert_null (strchr (label_text (dialog, "private_label"), '?'));
  add_dirty (label_text (dialog, "shared_label"), &dirty_before, &dirty_after);
  add_dirty (label_text (dialog, "private_label"), &dirty_before, &dirty_after);
  g_assert_cmpint (dirty_before, >=, PAGE);
  g_assert_cmpint (dirty_after, ==, 0);

  /* the dialog stays open: run it again, asynchronously and invalidating */
  gtk_check_button_set_active (child (dialog, "async_check"), TRUE);
  gtk_switch_set_active (child (dialog, "invalidate_switch"), TRUE);
  g_clear_pointer (&call, g_free);
  call = expected_call (window, 0, 2 * PAGE, "MS_ASYNC|MS_INVALIDATE");
  g_assert_cmpstr (run (dialog), ==, call);

  /* unmapped, the page can leave the page cache: the disk has the bytes */
  close_dialog (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
  disk = ps_test_read_from_disk (path, 2 * PAGE - 4, 4);
  if (disk != NULL)
    g_assert_cmpmem (g_bytes_get_data (disk, NULL), g_bytes_get_size (disk), "SYNC", 4);
}

/* ---- the selection, rounded out to whole pages ---- */

static void
test_selection (void)
{
  /* three pages and 100 bytes: the last page is partly mapped */
  g_autofree char *path = ps_test_file ("msync-dlg-sel", 3 * PAGE + 100, 's');
  PsWindow *window = open_window (path);
  PsHexView *hex = ps_window_get_hex_view (window);
  g_autofree char *call = NULL;
  g_autofree char *pages_1_2 = range_text (PAGE, 2 * PAGE);
  g_autofree char *last_page = range_text (3 * PAGE, PAGE);
  g_autofree char *selected = g_strdup_printf ("0x%zx–0x%zx", PAGE + 0x10, 2 * PAGE + 0xf);
  GtkWindow *dialog;
  const char *subtitle;

  ps_hex_view_set_selection (hex, PAGE + 0x10, PAGE);
  dialog = open_dialog (window);
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "selection_row")));
  g_assert_true (gtk_check_button_get_active (child (dialog, "selection_check")));
  subtitle = adw_action_row_get_subtitle (child (dialog, "selection_row"));
  g_test_message ("selection: %s", subtitle);
  ps_assert_contains (subtitle, pages_1_2);
  ps_assert_contains (subtitle, selected);
  call = expected_call (window, PAGE, 2 * PAGE, "MS_SYNC");
  g_assert_cmpstr (run (dialog), ==, call);

  /* back to the whole mapping: four pages, the last one partly */
  gtk_check_button_set_active (child (dialog, "whole_check"), TRUE);
  g_clear_pointer (&call, g_free);
  call = expected_call (window, 0, 4 * PAGE, "MS_SYNC");
  g_assert_cmpstr (run (dialog), ==, call);
  close_dialog (dialog);

  /* a selection in the partly mapped last page: the whole page */
  ps_hex_view_set_selection (hex, 3 * PAGE + 10, 20);
  dialog = open_dialog (window);
  ps_assert_contains (adw_action_row_get_subtitle (child (dialog, "selection_row")), last_page);
  g_clear_pointer (&call, g_free);
  call = expected_call (window, 3 * PAGE, PAGE, "MS_SYNC");
  g_assert_cmpstr (run (dialog), ==, call);
  close_dialog (dialog);

  /* pages selected in the grid are aligned already */
  ps_hex_view_set_selection (hex, 0, 0);
  ps_page_grid_set_selection (ps_window_get_grid (window), 1, 2);
  dialog = open_dialog (window);
  ps_assert_contains (adw_action_row_get_subtitle (child (dialog, "selection_row")), pages_1_2);
  gtk_switch_set_active (child (dialog, "invalidate_switch"), TRUE);
  g_clear_pointer (&call, g_free);
  call = expected_call (window, PAGE, 2 * PAGE, "MS_SYNC|MS_INVALIDATE");
  g_assert_cmpstr (run (dialog), ==, call);
  close_dialog (dialog);

}

/* ---- a refused msync shows its error: MS_INVALIDATE over locked pages ---- */

static gboolean
error_shown (gpointer data)
{
  return is_shown (child (data, "error_label"));
}

static void
test_error (void)
{
  g_autofree char *path = ps_test_file ("msync-dlg-busy", 2 * PAGE, 'b');
  PsWindow *window = open_window (path);
  g_autofree char *call = NULL;
  GtkWindow *dialog;
  const char *text;

  /* the system call itself: AddressSanitizer makes mlock() a no-op */
  if (syscall (SYS_mlock, mapping (window), PAGE) != 0)
    {
      g_autofree char *why = g_strdup_printf ("mlock: %s", g_strerror (errno));

      g_test_skip (why);
      return;
    }
  dialog = open_dialog (window);
  run (dialog);   /* a result first: the error must replace it */
  gtk_switch_set_active (child (dialog, "invalidate_switch"), TRUE);
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  g_assert_true (ps_test_wait_until (error_shown, dialog, WAIT_MS));
  text = label_text (dialog, "error_label");
  g_test_message ("error shown: %s", text);
  ps_assert_contains (text, "MS_SYNC|MS_INVALIDATE");
  ps_assert_contains (text, g_strerror (EBUSY));
  ps_assert_contains (text, "locked");
  g_assert_false (gtk_widget_get_visible (child (dialog, "result_group")));

  /* unlocked, the same run succeeds and the error goes */
  g_assert_cmpint (syscall (SYS_munlock, mapping (window), PAGE), ==, 0);
  call = expected_call (window, 0, 2 * PAGE, "MS_SYNC|MS_INVALIDATE");
  g_assert_cmpstr (run (dialog), ==, call);
  g_assert_false (gtk_widget_get_visible (child (dialog, "error_label")));

  close_dialog (dialog);
}

/* ---- Enter runs msync from any control; Tab skips what only shows ---- */

static void
test_keyboard (void)
{
  g_autofree char *path = ps_test_file ("msync-dlg-keys", 2 * PAGE, 'k');
  PsWindow *window = open_window (path);
  g_autofree char *call = expected_call (window, 0, 2 * PAGE, "MS_SYNC");
  const char *const controls[] = { "sync_check", "async_check", "invalidate_switch", "whole_check" };
  g_autoptr(GPtrArray) chain = NULL;
  GtkWindow *dialog = open_dialog (window);
  GtkWidget *result_group = child (dialog, "result_group");
  GtkWindow *watch = dialog;

  g_assert_true (gtk_window_get_default_widget (dialog) == child (dialog, "run_button"));
  g_assert_true (gtk_window_get_focus (dialog) == child (dialog, "sync_check"));
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      g_test_message ("Enter on %s", controls[i]);
      gtk_widget_grab_focus (child (dialog, controls[i]));
      g_assert_true (gtk_window_get_focus (dialog) == child (dialog, controls[i]));
      gtk_label_set_text (GTK_LABEL (child (dialog, "call_label")), "");
      g_assert_true (press_key (dialog, i == 1 ? GDK_KEY_KP_Enter : GDK_KEY_Return));
      if (!ps_test_wait_until (call_shown, dialog, WAIT_MS))
        g_error ("Enter on %s did not run msync", controls[i]);
      g_assert_cmpstr (label_text (dialog, "call_label"), ==, call);
      /* and changed nothing */
      g_assert_true (gtk_check_button_get_active (child (dialog, "sync_check")));
      g_assert_false (gtk_switch_get_active (child (dialog, "invalidate_switch")));
      g_assert_true (gtk_check_button_get_active (child (dialog, "whole_check")));
    }

  /* the Last Run values are read, not visited: Tab goes around the rest */
  chain = ps_ui_test_tab_chain (dialog);
  for (guint i = 0; i < chain->len; i++)
    {
      GtkWidget *stop = chain->pdata[i];

      g_test_message ("Tab stop %u: %s", i, G_OBJECT_TYPE_NAME (stop));
      if (gtk_widget_is_ancestor (stop, result_group))
        g_error ("Tab stops in Last Run, at a %s", G_OBJECT_TYPE_NAME (stop));
      g_assert_false (GTK_IS_LABEL (stop));
    }
  g_assert_true (g_ptr_array_find (chain, child (dialog, "sync_check"), NULL));
  g_assert_true (g_ptr_array_find (chain, child (dialog, "invalidate_switch"), NULL));
  g_assert_true (g_ptr_array_find (chain, child (dialog, "run_button"), NULL));

  /* a focused button keeps its own Enter: Close closes */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &watch);
  gtk_widget_grab_focus (chain->pdata[0]);
  g_assert_true (GTK_IS_BUTTON (chain->pdata[0]));
  g_assert_true (press_key (dialog, GDK_KEY_Return));
  g_assert_true (ps_test_wait_until (is_gone, &watch, WAIT_MS));

}

/* ---- nothing dangles: a closed dialog hears nothing, a closed window takes it along ---- */

static void
test_lifetime (void)
{
  g_autofree char *path = ps_test_file ("msync-dlg-life", PAGE, 'l');
  PsWindow *window = open_window (path);
  GtkWindow *dialog = open_dialog (window);
  GtkWindow *watch;

  close_dialog (dialog);
  /* the window still reports to whoever listens, and the dialog is gone */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.msync", "s", "sync");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.msync", "s", "bogus");

  dialog = open_dialog (window);
  watch = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &watch);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (ps_test_wait_until (is_gone, &watch, WAIT_MS));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  PAGE = ps_test_page_size ();
  app = ps_ui_test_app_new (&argc, &argv);

  g_test_add_func ("/msync-dialog/run", test_run);
  g_test_add_func ("/msync-dialog/selection", test_selection);
  g_test_add_func ("/msync-dialog/error", test_error);
  g_test_add_func ("/msync-dialog/keyboard", test_keyboard);
  g_test_add_func ("/msync-dialog/lifetime", test_lifetime);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
