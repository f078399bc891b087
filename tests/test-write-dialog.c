/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The write dialog, for real: a window on a temporary file under Xvfb, the
 * dialog opened through win.write-dialog, its fields typed into and Write
 * pressed; each test reads the file back through a separate descriptor. */
#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
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
open_window (const char *path,
             PsMapFlags  flags,
             guint64     length)
{
  return ps_ui_test_window_on_file (app, path, flags, length);
}

/* The file's bytes as another process would read them. */
static void
read_file (const char *path,
           guint64     offset,
           guint8     *buf,
           gsize       len)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, buf, len, offset), ==, (gssize) len);
  close (fd);
}

static void
assert_file_bytes (const char *path,
                   guint64     offset,
                   const char *expected,
                   gsize       len)
{
  g_autofree guint8 *buf = g_malloc (len);

  read_file (path, offset, buf, len);
  g_assert_cmpmem (buf, len, expected, len);
}

typedef struct
{
  const char *path;
  guint64     offset;
  const char *expected;
  gsize       len;
} FileBytes;

static gboolean
file_has_bytes (gpointer data)
{
  FileBytes *f = data;
  g_autofree guint8 *buf = g_malloc (f->len);

  read_file (f->path, f->offset, buf, f->len);
  return memcmp (buf, f->expected, f->len) == 0;
}

/* Enter presses the default button, which clicks a moment later. */
static void
wait_file_bytes (const char *path,
                 guint64     offset,
                 const char *expected,
                 gsize       len)
{
  FileBytes f = { path, offset, expected, len };

  if (!ps_test_wait_until (file_has_bytes, &f, WAIT_MS))
    assert_file_bytes (path, offset, expected, len);
}

/* ---- the dialog ---- */

static GtkWindow *
open_dialog (PsWindow   *window,
             const char *action,
             const char *type_name)
{
  GtkWindow *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  dialog = ps_ui_test_find_toplevel (type_name, GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (dialog));
  ps_ui_test_wait_drawn (GTK_WIDGET (dialog));
  return dialog;
}

static gpointer
child (GtkWindow  *dialog,
       const char *name)
{
  return ps_ui_test_child (dialog, name);
}

static void
type (GtkWindow  *dialog,
      const char *row,
      const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, row)), text);
}

/* Enter in a row: its text's "activate", which activates the default widget. */
static void
press_enter (GtkWindow  *dialog,
             const char *row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (child (dialog, row)));

  g_signal_emit_by_name (text, "activate");
}

static const char *
label_text (GtkWindow  *dialog,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (child (dialog, name)));
}

/* Visible and laid out on screen. */
static gboolean
is_shown (gpointer data)
{
  GtkWidget *widget = data;
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

static void
wait_shown (GtkWindow  *dialog,
            const char *name)
{
  if (!ps_test_wait_until (is_shown, child (dialog, name), WAIT_MS))
    g_error ("%s is not shown", name);
}

static gboolean
is_sensitive (GtkWindow  *dialog,
              const char *name)
{
  return gtk_widget_is_sensitive (GTK_WIDGET (child (dialog, name)));
}

static gboolean
is_gone (gpointer data)
{
  return *(GtkWindow **) data == NULL;
}

/* No width the label may be laid out at puts a line break inside word. */
static void
assert_kept_together (GtkWindow  *dialog,
                      const char *name,
                      const char *word)
{
  PangoLayout *shown = gtk_label_get_layout (GTK_LABEL (child (dialog, name)));
  g_autoptr(PangoLayout) layout = pango_layout_copy (shown);
  const char *text = pango_layout_get_text (layout);
  const char *at = strstr (text, word);
  int start, end;

  g_assert_nonnull (at);
  start = at - text;
  end = start + strlen (word);
  for (int width = 150; width <= 1000; width++)
    {
      pango_layout_set_width (layout, width * PANGO_SCALE);
      for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
        {
          int line_start = ((PangoLayoutLine *) l->data)->start_index;

          if (line_start > start && line_start < end)
            g_error ("%s: %d pixels wide, a line starts inside \"%s\": \"%.*s\" / \"%s\"",
                     name, width, word, line_start - start, at, text + line_start);
        }
    }
}

/* Closes as Escape and the Close button do, and waits until it is gone. */
static void
close_dialog (GtkWindow *dialog)
{
  ps_ui_test_close (dialog);
}

/* ---- bad data: the column, no Write, nothing written ---- */

static void
test_bad_data (void)
{
  g_autofree char *path = ps_test_file ("write-dlg-bad", 4 * PAGE, 'a');
  PsWindow *window = open_window (path, PS_MAP_WRITABLE, 0);
  guint8 *data = ps_source_get_data (ps_session_get_source (ps_window_get_session (window)));
  GtkWindow *dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  g_autofree char *runs_past = g_strdup_printf ("0x%zx", 4 * PAGE - 2);
  g_autofree char *at_end = g_strdup_printf ("%zu", 4 * PAGE);
  const char *text;

  /* empty: no error yet, but nothing to write */
  g_assert_false (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));
  g_assert_false (gtk_widget_get_visible (child (dialog, "data_error_label")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "offset_row"))), ==, "0x0");

  type (dialog, "data_row", "de ad bg ef");
  wait_shown (dialog, "data_error_label");
  text = label_text (dialog, "data_error_label");
  g_test_message ("error shown:\n%s", text);
  /* the text, a caret under the 'g' (column 8), and the reason */
  ps_assert_contains (text, "de ad bg ef\n       ^\n");
  ps_assert_contains (text, "column 8");
  ps_assert_contains (text, "'g' is not a hex digit");
  g_assert_true (gtk_widget_has_css_class (child (dialog, "data_row"), "error"));
  g_assert_false (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));
  ps_assert_contains (label_text (dialog, "preview_label"), "Nothing to write");

  /* Enter, a click and the action itself do nothing; whether Enter did is
   * known at the end, when a later Enter has written */
  press_enter (dialog, "data_row");
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.write", NULL);
  g_assert_false (gtk_widget_get_visible (child (dialog, "result_label")));
  g_assert_cmpint (data[0], ==, 'a');

  /* an unterminated string points at its opening quote */
  type (dialog, "data_row", "00 \"abc");
  ps_assert_contains (label_text (dialog, "data_error_label"), "00 \"abc\n   ^\n");
  ps_assert_contains (label_text (dialog, "data_error_label"), "unterminated");

  /* fixed: the error goes, the preview says what would be written */
  type (dialog, "data_row", "de ad be ef");
  g_assert_false (gtk_widget_get_visible (child (dialog, "data_error_label")));
  g_assert_false (gtk_widget_has_css_class (child (dialog, "data_row"), "error"));
  g_assert_true (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));
  ps_assert_contains (label_text (dialog, "preview_label"), "0x0–0x3 (4 bytes): de ad be ef");

  /* a bad offset, and one past the mapping, are marked too */
  type (dialog, "offset_row", "0xZZ");
  wait_shown (dialog, "range_error_label");
  ps_assert_contains (label_text (dialog, "range_error_label"), "0xZZ");
  g_assert_true (gtk_widget_has_css_class (child (dialog, "offset_row"), "error"));
  g_assert_false (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));
  type (dialog, "offset_row", runs_past);
  ps_assert_contains (label_text (dialog, "range_error_label"), "past the end of the mapping");
  g_assert_false (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));
  type (dialog, "offset_row", at_end);
  ps_assert_contains (label_text (dialog, "range_error_label"), "past the end of the mapping");
  type (dialog, "offset_row", "0");
  type (dialog, "repeat_row", "0");
  g_assert_true (gtk_widget_has_css_class (child (dialog, "repeat_row"), "error"));
  g_assert_false (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));
  type (dialog, "repeat_row", "1");
  g_assert_true (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));

  /* a good write, by Enter as well: it lands, and the bad ones never did */
  type (dialog, "offset_row", "0x20");
  type (dialog, "data_row", "\"ok\"");
  press_enter (dialog, "data_row");
  wait_file_bytes (path, 0x1f, "aoka", 4);
  assert_file_bytes (path, 0, "aaaaaaaa", 8);
  close_dialog (dialog);
}

/* ---- a good write reaches the file (after msync from the msync dialog) ---- */

/* The msync dialog shows the call it made. */
static gboolean
msync_ran (gpointer data)
{
  return g_str_has_prefix (label_text (data, "call_label"), "msync(");
}

/* The dirty bytes an msync dialog's result shows, before and after: what
 * "8 KiB → 0 KiB" says in its Shared_Dirty and Private_Dirty rows. */
static void
msync_dirty (GtkWindow *msync,
             gint64    *before,
             gint64    *after)
{
  const char *const rows[] = { "shared_label", "private_label" };

  *before = *after = 0;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *text = label_text (msync, rows[i]);
      const char *arrow = strstr (text, "→");

      g_test_message ("%s: %s", rows[i], text);
      g_assert_nonnull (arrow);
      *before += g_ascii_strtoll (text, NULL, 10) * 1024;
      *after += g_ascii_strtoll (arrow + strlen ("→"), NULL, 10) * 1024;
    }
}

static void
test_write (void)
{
  g_autofree char *path = ps_test_disk_file ("write-dlg-ok", 4 * PAGE, 'a');
  g_autoptr(GBytes) disk = NULL;
  PsWindow *window;
  guint8 *data;
  GtkWindow *dialog;
  GtkWindow *msync;
  gint64 dirty_before, dirty_after;

  if (path == NULL)
    {
      g_test_skip ("no temporary directory on a disk file system: msync writes nothing back on tmpfs");
      return;
    }
  window = open_window (path, PS_MAP_WRITABLE, 0);
  data = ps_source_get_data (ps_session_get_source (ps_window_get_session (window)));
  dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");

  g_assert_false (gtk_widget_get_visible (child (dialog, "notice_box")));
  type (dialog, "offset_row", "0x1010");
  type (dialog, "data_row", "de ad \"HI\\n\"");
  ps_assert_contains (label_text (dialog, "preview_label"), "0x1010–0x1014 (5 bytes): de ad 48 49 0a");
  press_enter (dialog, "data_row");
  wait_shown (dialog, "result_label");
  ps_assert_contains (label_text (dialog, "result_label"), "Wrote 0x1010–0x1014 (5 bytes)");
  ps_assert_contains (label_text (dialog, "result_label"), "Ctrl+Z");
  g_assert_true (gtk_widget_has_css_class (child (dialog, "result_label"), "success"));
  g_assert_cmpmem (data + 0x100f, 7, "a\xde\xad" "HI\na", 7);
  close_dialog (dialog);

  /* msync wrote the page back: it was dirty and is clean now (any process
   * reads the bytes from the page cache before msync too) */
  msync = open_dialog (window, "win.msync-dialog", "PsMsyncDialog");
  gtk_widget_activate (gtk_window_get_default_widget (msync));
  g_assert_true (ps_test_wait_until (msync_ran, msync, WAIT_MS));
  ps_assert_contains (label_text (msync, "call_label"), "MS_SYNC) = 0");
  msync_dirty (msync, &dirty_before, &dirty_after);
  g_assert_cmpint (dirty_before, >=, PAGE);
  g_assert_cmpint (dirty_after, ==, 0);
  close_dialog (msync);
  assert_file_bytes (path, 0x100f, "a\xde\xad" "HI\na", 7);

  /* the dialog's Undo is the window's: the old bytes come back */
  dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  type (dialog, "offset_row", "2");
  type (dialog, "data_row", "0x7a");
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  wait_shown (dialog, "undo_button");
  g_assert_cmpint (data[2], ==, 'z');
  g_signal_emit_by_name (child (dialog, "undo_button"), "clicked");
  g_assert_cmpint (data[2], ==, 'a');
  ps_assert_contains (label_text (dialog, "result_label"), "Put back");
  g_assert_false (gtk_widget_get_visible (child (dialog, "undo_button")));
  /* the earlier write stays */
  g_assert_cmpmem (data + 0x1010, 2, "\xde\xad", 2);
  close_dialog (dialog);

  /* unmapped, the pages can leave the page cache: the disk has the write */
  gtk_window_destroy (GTK_WINDOW (window));
  disk = ps_test_read_from_disk (path, 0x100f, 7);
  if (disk != NULL)
    g_assert_cmpmem (g_bytes_get_data (disk, NULL), g_bytes_get_size (disk), "a\xde\xad" "HI\na", 7);
}

/* ---- a repeat count writes the pattern exactly N times ---- */

static void
test_repeat (void)
{
  g_autofree char *path = ps_test_file ("write-dlg-repeat", 2 * PAGE, '.');
  PsWindow *window = open_window (path, PS_MAP_WRITABLE, 0);
  GtkWindow *dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");

  type (dialog, "offset_row", "0x100");
  type (dialog, "data_row", "ab cd");
  type (dialog, "repeat_row", "3");
  ps_assert_contains (label_text (dialog, "preview_label"), "0x100–0x105 (6 bytes): ab cd ab cd ab cd");
  press_enter (dialog, "repeat_row");
  wait_shown (dialog, "result_label");
  assert_file_bytes (path, 0xff, ".\xab\xcd\xab\xcd\xab\xcd.", 8);

  /* a repeat inside the data multiplies with the count */
  type (dialog, "offset_row", "0x200");
  type (dialog, "data_row", "\"xy\" * 2");
  type (dialog, "repeat_row", "0x2");
  ps_assert_contains (label_text (dialog, "preview_label"), "(8 bytes)");
  press_enter (dialog, "data_row");
  wait_file_bytes (path, 0x1ff, ".xyxyxyxy.", 10);

  /* more than 16 MiB is refused before anything is written */
  type (dialog, "repeat_row", "5000000");
  ps_assert_contains (label_text (dialog, "range_error_label"), "16 MiB");
  g_assert_false (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));

  close_dialog (dialog);
}

/* ---- "fill the selection": the selected range exactly, pattern cut at the end ---- */

static void
test_fill_selection (void)
{
  g_autofree char *path = ps_test_file ("write-dlg-fill", 4 * PAGE, '.');
  PsWindow *window = open_window (path, PS_MAP_WRITABLE, 0);
  PsHexView *hex = ps_window_get_hex_view (window);
  g_autofree char *page_2 = g_strdup_printf ("0x%zx", 2 * PAGE);
  g_autofree char *page_2_range = g_strdup_printf ("0x%zx–0x%zx (%zu bytes)", 2 * PAGE, 3 * PAGE - 1, PAGE);
  GtkWindow *dialog;

  /* no selection: the switch cannot be turned on */
  dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  g_assert_false (is_sensitive (dialog, "fill_row"));
  close_dialog (dialog);

  /* 7 bytes with a 3-byte pattern: it does not divide, the end is cut */
  ps_hex_view_set_selection (hex, 0x200, 7);
  dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  g_assert_true (is_sensitive (dialog, "fill_row"));
  ps_assert_contains (adw_action_row_get_subtitle (child (dialog, "fill_row")), "0x200–0x206 (7 bytes)");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "offset_row"))), ==, "0x200");
  type (dialog, "data_row", "01 02 03");
  gtk_switch_set_active (child (dialog, "fill_switch"), TRUE);
  g_assert_false (is_sensitive (dialog, "offset_row"));
  g_assert_false (is_sensitive (dialog, "repeat_row"));
  ps_assert_contains (label_text (dialog, "preview_label"), "0x200–0x206 (7 bytes): 01 02 03 01 02 03 01");
  press_enter (dialog, "data_row");
  wait_shown (dialog, "result_label");
  assert_file_bytes (path, 0x1ff, ".\x01\x02\x03\x01\x02\x03\x01.", 9);
  close_dialog (dialog);

  /* a page selected in the grid: the pattern repeats whole, PAGE / 2 times */
  ps_hex_view_set_selection (hex, 0, 0);
  ps_page_grid_set_selection (ps_window_get_grid (window), 2, 1);
  dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "offset_row"))), ==, page_2);
  gtk_switch_set_active (child (dialog, "fill_switch"), TRUE);
  type (dialog, "data_row", "\"ok\"");
  ps_assert_contains (label_text (dialog, "preview_label"), page_2_range);
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  wait_shown (dialog, "result_label");
  {
    g_autofree guint8 *page = g_malloc (PAGE + 2);

    read_file (path, 2 * PAGE - 1, page, PAGE + 2);
    g_assert_cmpint (page[0], ==, '.');
    for (guint i = 0; i < PAGE; i += 2)
      g_assert_cmpmem (page + 1 + i, 2, "ok", 2);
    g_assert_cmpint (page[PAGE + 1], ==, '.');
  }
  close_dialog (dialog);
}

/* ---- a read-only mapping: said plainly, and Write stays off ---- */

static void
test_read_only (void)
{
  g_autofree char *path = ps_test_file ("write-dlg-ro", PAGE, 'r');
  PsWindow *window = open_window (path, PS_MAP_DEFAULT, 0);
  GtkWindow *dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");

  wait_shown (dialog, "notice_box");
  ps_assert_contains (label_text (dialog, "notice_label"), "read-only");
  ps_assert_contains (label_text (dialog, "notice_label"), "--writable");
  ps_assert_contains (label_text (dialog, "notice_label"), "Writable in the open dialog");
  /* the option is never broken after its "--" */
  assert_kept_together (dialog, "notice_label", "--writable");
  /* what Write would do, not what it does: it is off */
  type (dialog, "data_row", "41 42");
  g_test_message ("preview: %s", label_text (dialog, "preview_label"));
  ps_assert_contains (label_text (dialog, "preview_label"), "Would write 0x0–0x1 (2 bytes): 41 42");
  ps_assert_contains (label_text (dialog, "preview_label"), "read-only");
  g_assert_false (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));
  press_enter (dialog, "data_row");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.write", NULL);
  g_assert_false (gtk_widget_get_visible (child (dialog, "result_label")));
  close_dialog (dialog);
  assert_file_bytes (path, 0, "rr", 2);
}

/* ---- a private mapping: the write is this process's, the file unchanged ---- */

static void
test_private (void)
{
  g_autofree char *path = ps_test_file ("write-dlg-private", 2 * PAGE, 'p');
  PsWindow *window = open_window (path, PS_MAP_WRITABLE | PS_MAP_PRIVATE, 0);
  guint8 *data = ps_source_get_data (ps_session_get_source (ps_window_get_session (window)));
  GtkWindow *dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  GtkWindow *msync;

  wait_shown (dialog, "notice_box");
  ps_assert_contains (label_text (dialog, "notice_label"), "MAP_PRIVATE");
  ps_assert_contains (label_text (dialog, "notice_label"), "the file stays unchanged");
  type (dialog, "offset_row", "0x10");
  type (dialog, "data_row", "\"COW\"");
  press_enter (dialog, "data_row");
  wait_shown (dialog, "result_label");
  ps_assert_contains (label_text (dialog, "result_label"), "private copy");
  g_assert_cmpmem (data + 0x10, 3, "COW", 3);
  close_dialog (dialog);

  /* not even msync carries a private page to the file */
  msync = open_dialog (window, "win.msync-dialog", "PsMsyncDialog");
  ps_assert_contains (adw_preferences_group_get_description (child (msync, "flags_group")), "never carries them to the file");
  gtk_widget_activate (gtk_window_get_default_widget (msync));
  g_assert_true (ps_test_wait_until (msync_ran, msync, WAIT_MS));
  close_dialog (msync);
  assert_file_bytes (path, 0x10, "ppp", 3);
}

/* ---- a failure from the kernel side shows in the dialog ---- */

static void
test_failure_shown (void)
{
  g_autofree char *path = ps_test_file ("write-dlg-sigbus", PAGE, 's');
  /* three pages mapped over a one-page file: pages 1 and 2 lie past EOF */
  PsWindow *window = open_window (path, PS_MAP_WRITABLE, 3 * PAGE);
  GtkWindow *dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  g_autofree char *partly = g_strdup_printf ("0x%zx", PAGE - 2);
  g_autofree char *wholly = g_strdup_printf ("0x%zx", 2 * PAGE);
  struct stat st;

  /* partly, then wholly past the end of the file */
  type (dialog, "offset_row", partly);
  type (dialog, "data_row", "41 42 43 44");
  ps_assert_contains (label_text (dialog, "preview_label"), "Part of it lies past the end");
  type (dialog, "offset_row", wholly);
  type (dialog, "data_row", "41");
  g_test_message ("preview: %s", label_text (dialog, "preview_label"));
  ps_assert_contains (label_text (dialog, "preview_label"), "All of it lies past the end");
  ps_assert_contains (label_text (dialog, "preview_label"), "SIGBUS");
  g_assert_true (gtk_widget_is_sensitive (gtk_window_get_default_widget (dialog)));
  press_enter (dialog, "data_row");
  wait_shown (dialog, "result_label");
  g_test_message ("failure shown: %s", label_text (dialog, "result_label"));
  ps_assert_contains (label_text (dialog, "result_label"), "SIGBUS");
  g_assert_true (gtk_widget_has_css_class (child (dialog, "result_label"), "error"));
  g_assert_false (gtk_widget_get_visible (child (dialog, "undo_button")));
  close_dialog (dialog);

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, PAGE);
}

/* ---- long messages wrap: the dialog keeps its width ---- */

static void
test_long_error (void)
{
  static const char *const labels[] = {
    "notice_label", "data_error_label", "range_error_label", "preview_label", "result_label",
  };
  g_autofree char *path = ps_test_file ("write-dlg-long", 4 * PAGE, 'l');
  PsWindow *window = open_window (path, PS_MAP_WRITABLE, 0);
  GtkWindow *dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  g_autofree char *digits = g_strnfill (201, 'a');
  g_autofree char *zeds = g_strnfill (200, 'Z');
  g_autofree char *offset = g_strconcat ("0x", zeds, NULL);
  int width = gtk_widget_get_width (GTK_WIDGET (dialog));

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      GtkLabel *label = child (dialog, labels[i]);

      g_assert_true (gtk_label_get_wrap (label));
      g_assert_cmpint (gtk_label_get_wrap_mode (label), ==, PANGO_WRAP_WORD_CHAR);
    }

  /* 201 digits: the message quotes them all, in one unbreakable word */
  type (dialog, "data_row", digits);
  wait_shown (dialog, "data_error_label");
  ps_assert_contains (label_text (dialog, "data_error_label"), "odd number of hex digits");
  ps_ui_test_wait_frame (GTK_WIDGET (dialog));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), ==, width);

  type (dialog, "data_row", "00");
  type (dialog, "offset_row", offset);
  wait_shown (dialog, "range_error_label");
  ps_assert_contains (label_text (dialog, "range_error_label"), zeds);
  ps_ui_test_wait_frame (GTK_WIDGET (dialog));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), ==, width);

  /* fixed: no wider than before */
  type (dialog, "offset_row", "0");
  type (dialog, "data_row", "de ad");
  ps_ui_test_wait_frame (GTK_WIDGET (dialog));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), ==, width);

  close_dialog (dialog);
}

/* ---- Tab goes from field to field, never to a label ---- */

static void
test_tab_order (void)
{
  g_autofree char *path = ps_test_file ("write-dlg-tab", 4 * PAGE, 't');
  PsWindow *window = open_window (path, PS_MAP_WRITABLE | PS_MAP_PRIVATE, 0);
  GtkWindow *dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  g_autoptr(GPtrArray) chain = NULL;

  /* every label shown: the notice, both errors, the preview, a result */
  type (dialog, "data_row", "41");
  press_enter (dialog, "data_row");
  wait_shown (dialog, "result_label");
  type (dialog, "data_row", "4g");
  type (dialog, "repeat_row", "0");
  wait_shown (dialog, "data_error_label");
  wait_shown (dialog, "range_error_label");
  wait_shown (dialog, "notice_box");

  chain = ps_ui_test_tab_chain (dialog);
  g_assert_cmpuint (chain->len, >, 0);
  for (guint i = 0; i < chain->len; i++)
    {
      g_test_message ("Tab stop %u: %s", i, G_OBJECT_TYPE_NAME (chain->pdata[i]));
      if (GTK_IS_LABEL (chain->pdata[i]))
        g_error ("Tab stops at the label \"%s\"", gtk_label_get_text (chain->pdata[i]));
    }
  /* and it goes on past them to every field */
  g_assert_true (g_ptr_array_find (chain, gtk_editable_get_delegate (child (dialog, "data_row")), NULL));
  g_assert_true (g_ptr_array_find (chain, gtk_editable_get_delegate (child (dialog, "offset_row")), NULL));
  g_assert_true (g_ptr_array_find (chain, gtk_editable_get_delegate (child (dialog, "repeat_row")), NULL));
  g_assert_true (g_ptr_array_find (chain, child (dialog, "undo_button"), NULL));

  close_dialog (dialog);
}

/* ---- the dialog outlives nothing: closing the window takes it along ---- */

static void
test_window_closes (void)
{
  g_autofree char *path = ps_test_file ("write-dlg-close", PAGE, 'c');
  PsWindow *window = open_window (path, PS_MAP_WRITABLE, 0);
  GtkWindow *dialog = open_dialog (window, "win.write-dialog", "PsWriteDialog");
  GtkWindow *watch = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &watch);
  type (dialog, "data_row", "00");
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

  g_test_add_func ("/write-dialog/bad-data", test_bad_data);
  g_test_add_func ("/write-dialog/write", test_write);
  g_test_add_func ("/write-dialog/repeat", test_repeat);
  g_test_add_func ("/write-dialog/fill-selection", test_fill_selection);
  g_test_add_func ("/write-dialog/read-only", test_read_only);
  g_test_add_func ("/write-dialog/private", test_private);
  g_test_add_func ("/write-dialog/failure-shown", test_failure_shown);
  g_test_add_func ("/write-dialog/long-error", test_long_error);
  g_test_add_func ("/write-dialog/tab-order", test_tab_order);
  g_test_add_func ("/write-dialog/window-closes", test_window_closes);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
