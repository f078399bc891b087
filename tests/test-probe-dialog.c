/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The probe dialog, for real: a window on a 100-byte file mapped with a
 * length of three pages, the dialog over it, offsets typed and Probe
 * pressed. Each probe is a real forked child; the tests check the outcome
 * the dialog shows, the words and colours of the geometry strip, the warning
 * a write gives before it runs, and that a bad offset runs nothing. */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-application.h"
#include "ps-probe-dialog.h"
#include "ps-probe.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

static gsize PAGE;

static PsApplication *app;

typedef struct
{
  char      *path;
  PsWindow  *window;
  GtkWindow *dialog;
  guint      probes;       /* the session's "probe-finished" seen */
} Fixture;

static void
on_probe_finished (PsSession           *session,
                   const PsProbeResult *result,
                   Fixture             *f)
{
  f->probes++;
}

static PsSession *
session_of (Fixture *f)
{
  return ps_window_get_session (f->window);
}

/* Probes and sweeps the session refused or that failed: its log says so. */
static guint
failures (Fixture *f)
{
  GListModel *log = G_LIST_MODEL (ps_session_get_log (session_of (f)));
  guint n = 0;

  ps_event_log_flush (ps_session_get_log (session_of (f)));
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(PsLogEntry) entry = g_list_model_get_item (log, i);
      const char *text = ps_log_entry_get_text (entry);

      n += ps_log_entry_is_error (entry) && (g_str_has_prefix (text, "probe: ") || g_str_has_prefix (text, "probe-sweep: "));
    }
  return n;
}

static gboolean
sweep_over (gpointer data)
{
  return !ps_session_is_sweeping (session_of (data));
}

/* A file of size bytes, A to Z over and over, mapped length bytes long
 * (0: the whole file). */
static void
fixture_open_sized (Fixture    *f,
                    const char *tag,
                    PsMapFlags  flags,
                    gsize       size,
                    guint64     length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    contents[i] = 'A' + i % 26;
  f->path = ps_test_file (tag, size, 0);
  g_assert_true (g_file_set_contents (f->path, contents, size, &error));
  f->window = ps_ui_test_window_on_file (app, f->path, flags, length);
  g_signal_connect (session_of (f), "probe-finished", G_CALLBACK (on_probe_finished), f);

  /* as win.probe-dialog opens it: at the first byte past EOF */
  f->dialog = ps_probe_dialog_new (GTK_WINDOW (f->window), session_of (f),
                                   ps_source_get_geometry (ps_session_get_source (session_of (f)))->data_length);
  g_assert_true (gtk_window_get_transient_for (f->dialog) == GTK_WINDOW (f->window));
  gtk_window_present (f->dialog);
  ps_ui_test_wait_drawn (GTK_WIDGET (f->dialog));
}

/* The 100-byte file of test-probe.c, mapped 3 pages long: data in page 0
 * up to 100, the zero tail to the end of that page, SIGBUS in pages 1 and
 * 2, the guard page after. The window and the file go when the test ends. */
static void
fixture_open (Fixture    *f,
              const char *tag,
              PsMapFlags  flags)
{
  fixture_open_sized (f, tag, flags, 100, 3 * PAGE);
}

static void
fixture_close (Fixture *f)
{
  GtkWidget *dialog = GTK_WIDGET (f->dialog);

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_null (dialog);     /* it goes with its window */
  g_free (f->path);
}

static GtkWidget *
child (Fixture    *f,
       const char *id)
{
  return GTK_WIDGET (ps_ui_test_child (f->dialog, id));
}

static const char *
text_of (Fixture    *f,
         const char *id)
{
  return gtk_label_get_text (GTK_LABEL (child (f, id)));
}

static void
type_offset (Fixture    *f,
             const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, "offset_row")), text);
}

typedef struct
{
  Fixture *f;
  guint    n;
} ProbesWanted;

static gboolean
probes_reach (gpointer data)
{
  ProbesWanted *w = data;
  return w->f->probes >= w->n;
}

/* Types the offset, presses Probe; expects exactly one probe, which the
 * main loop does not wait for. */
static void
probe (Fixture    *f,
       const char *offset)
{
  ProbesWanted w = { f, f->probes + 1 };

  type_offset (f, offset);
  ps_ui_test_click (child (f, "probe_button"));
  g_assert_true (ps_test_wait_until (probes_reach, &w, 10000));
  g_assert_cmpuint (f->probes, ==, w.n);
  g_assert_false (gtk_widget_get_visible (child (f, "error_label")));
}

/* The strip's accessible description says what its caption says, which
 * holds the text format gives. */
static void G_GNUC_PRINTF (2, 3)
assert_described (Fixture    *f,
                  const char *format,
                  ...)
{
  const char *caption = text_of (f, "caption_label");
  g_autofree char *mismatch = NULL;
  g_autofree char *needle = NULL;
  va_list args;

  va_start (args, format);
  needle = g_strdup_vprintf (format, args);
  va_end (args);

  ps_assert_contains (caption, needle);
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (child (f, "strip")),
                                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, caption);
  if (mismatch != NULL)
    g_error ("the strip's description is not its caption: %s", mismatch);
}

/* ---- the strip's colours ---- */

typedef enum
{
  HUE_GREEN,
  HUE_YELLOW,
  HUE_ORANGE,
  HUE_RED,
  N_HUES
} Hue;

/* argb is premultiplied: the strip alone is drawn on nothing */
static int
hue_of (guint32 argb)
{
  int a = argb >> 24;
  int r, g, b;

  if (a < 64)
    return -1;
  r = ((argb >> 16) & 0xff) * 255 / a;
  g = ((argb >> 8) & 0xff) * 255 / a;
  b = (argb & 0xff) * 255 / a;

  if (g > r + 40 && g > b + 40)
    return HUE_GREEN;
  if (r > 150 && g > 120 && b < 140 && ABS (r - g) < 40 && r > b + 60)
    return HUE_YELLOW;
  if (r > g + 50 && g > b + 30)
    return HUE_ORANGE;
  if (r > g + 80 && r > b + 80 && ABS (g - b) < 40)
    return HUE_RED;
  return -1;
}

/* Every zone is drawn in its outcome's colour; sigbus: there are pages
 * wholly past EOF, else no zone of them is drawn. */
static void
assert_strip_drawn (Fixture  *f,
                    gboolean  sigbus)
{
  GtkWidget *strip = child (f, "strip");
  g_autoptr(GdkTexture) texture = NULL;
  guint counts[N_HUES] = { 0 };
  int width, height;

  ps_ui_test_wait_drawn (strip);
  texture = ps_ui_test_render (strip);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, >, 200);
  g_assert_cmpint (height, >, 40);
  {
    g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);

    gdk_texture_download (texture, (guchar *) pixels, width * 4);
    for (gsize i = 0; i < (gsize) width * height; i++)
      {
        int hue = hue_of (pixels[i]);
        if (hue >= 0)
          counts[hue]++;
      }
  }
  g_test_message ("strip %dx%d: green %u, yellow %u, orange %u, red %u",
                  width, height, counts[HUE_GREEN], counts[HUE_YELLOW], counts[HUE_ORANGE], counts[HUE_RED]);
  for (guint i = 0; i < N_HUES; i++)
    if (i != HUE_ORANGE || sigbus)
      g_assert_cmpuint (counts[i], >, 100);
    else
      g_assert_cmpuint (counts[i], <, 100);
}

/* ---- the four outcomes ---- */

static void
test_outcomes (void)
{
  g_autofree char *page_1 = g_strdup_printf ("%zu", PAGE);
  g_autofree char *guard = g_strdup_printf ("0x%zx", 3 * PAGE);
  const struct
  {
    const char *offset;
    const char *title;
    guint64     at;
    const char *outcome;
    const char *explained;
  } cases[] = {
    { "0",    "ok",                    0,        "ok",        "inside the object" },
    { "100",  "zero-tail",             100,      "zero-tail", "reads as zeros" },
    { page_1, "SIGBUS (BUS_ADRERR)",   PAGE,     "SIGBUS",    "wholly past the end of the file" },
    { guard,  "SIGSEGV (SEGV_ACCERR)", 3 * PAGE, "SIGSEGV",   "guard page" },
  };
  Fixture f = { 0 };

  fixture_open (&f, "probe-dialog", PS_MAP_DEFAULT);

  /* it opens at the first byte past EOF, with the geometry drawn and said */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (&f, "offset_row"))), ==, "0x64");
  g_assert_cmpstr (text_of (&f, "outcome_label"), ==, "Not probed yet");
  assert_described (&f, "The mapping is 0x%zx (%zu) bytes: 3 pages of %zu bytes.", 3 * PAGE, 3 * PAGE, PAGE);
  assert_described (&f, "The file is 0x64 (100) bytes.");
  assert_described (&f, "Offsets 0x0 (0) to 0x63 (99): the file’s data");
  assert_described (&f, "0x64 (100) to 0x%zx (%zu): the zero tail", PAGE - 1, PAGE - 1);
  assert_described (&f, "0x%zx (%zu) to 0x%zx (%zu): pages wholly past EOF inside the mapping (SIGBUS)",
                    PAGE, PAGE, 3 * PAGE - 1, 3 * PAGE - 1);
  assert_described (&f, "0x%zx (%zu) to 0x%zx (%zu): the guard page past the mapping (SIGSEGV)",
                    3 * PAGE, 3 * PAGE, 4 * PAGE - 1, 4 * PAGE - 1);
  assert_described (&f, "A probe at 0x64 (100) should give zero-tail.");
  assert_strip_drawn (&f, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      probe (&f, cases[i].offset);
      g_assert_cmpstr (text_of (&f, "outcome_label"), ==, cases[i].title);
      ps_assert_contains (text_of (&f, "explanation_label"), cases[i].explained);
      ps_assert_contains (text_of (&f, "detail_label"), "child ");
      assert_described (&f, "Probed at 0x%" G_GINT64_MODIFIER "x (%" G_GUINT64_FORMAT "): %s.",
                        cases[i].at, cases[i].at, cases[i].outcome);
    }
  g_assert_true (gtk_widget_has_css_class (child (&f, "outcome_label"), "error"));
  assert_strip_drawn (&f, TRUE);

  /* typing another offset moves the marker, and the strip says what it
   * should give; the old outcome is not claimed for it */
  {
    g_autofree char *in_page_2 = g_strdup_printf ("0x%zx", 2 * PAGE + 0xabc);
    g_autofree char *past_guard = g_strdup_printf ("0x%zx", 4 * PAGE);

    type_offset (&f, in_page_2);
    assert_described (&f, "A probe at 0x%zx (%zu) should give SIGBUS.", 2 * PAGE + 0xabc, 2 * PAGE + 0xabc);
    type_offset (&f, past_guard);
    assert_described (&f, "lies past the guard page");
  }

  /* Enter in the offset field presses the default button, Probe (which
   * shows itself pressed for a moment before it clicks) */
  {
    ProbesWanted w = { &f, f.probes + 1 };

    type_offset (&f, "50");
    g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (child (&f, "offset_row"))), "activate");
    g_assert_true (ps_test_wait_until (probes_reach, &w, 5000));
    g_assert_cmpuint (f.probes, ==, w.n);
    g_assert_cmpstr (text_of (&f, "outcome_label"), ==, "ok");
    ps_assert_contains (text_of (&f, "detail_label"), "read 0x59 at 0x32");   /* 'A' + 50 % 26 */
  }

  /* a read-only mapping: no write probe to choose */
  g_assert_false (gtk_widget_is_sensitive (child (&f, "write_button")));
  fixture_close (&f);
}

/* ---- a write says what it will do before it runs ---- */

static gboolean
child_revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (data));
}

static void
test_write_warning (void)
{
  Fixture f = { 0 };
  struct stat st;
  const char *warning;

  fixture_open (&f, "probe-dialog-write", PS_MAP_WRITABLE);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child (&f, "write_revealer"))));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (&f, "write_button")), TRUE);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child (&f, "write_revealer"))));
  warning = text_of (&f, "write_warning_label");
  ps_assert_contains (warning, "write one byte");
  ps_assert_contains (warning, "shared, so the write is real");
  ps_assert_contains (warning, "never becomes part of the object");
  g_assert_cmpuint (f.probes, ==, 0);   /* nothing ran yet */
  g_assert_true (ps_test_wait_until (child_revealed, child (&f, "write_revealer"), 5000));

  /* the write in the zero tail: done, and the file keeps its size */
  probe (&f, "200");
  g_assert_cmpstr (text_of (&f, "outcome_label"), ==, "zero-tail");
  ps_assert_contains (text_of (&f, "detail_label"), "wrote 0x");
  g_assert_cmpint (stat (f.path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 100);

  /* back to Read: the warning goes */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (&f, "read_button")), TRUE);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child (&f, "write_revealer"))));
  fixture_close (&f);

  /* a private mapping: the child writes its own copy */
  fixture_open (&f, "probe-dialog-private", PS_MAP_WRITABLE | PS_MAP_PRIVATE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (&f, "write_button")), TRUE);
  ps_assert_contains (text_of (&f, "write_warning_label"), "MAP_PRIVATE");
  ps_assert_contains (text_of (&f, "write_warning_label"), "its own copy");
  probe (&f, "10");
  g_assert_cmpstr (text_of (&f, "outcome_label"), ==, "ok");
  g_assert_cmpint (ps_source_get_data (ps_session_get_source (ps_window_get_session (f.window)))[10], ==, 'A' + 10);
  fixture_close (&f);
}

/* ---- bad offsets run nothing ---- */

static void
on_activated (GtkWidget *button,
              guint     *activated)
{
  (*activated)++;
}

/* The offset typed cannot be probed: the row marked, why in the error
 * line, Probe off, and Enter in the field runs nothing. */
static void
assert_refused (Fixture    *f,
                const char *offset,
                const char *reason)
{
  GtkWidget *button = child (f, "probe_button");
  guint activated = 0;
  gulong id;

  type_offset (f, offset);
  g_assert_true (gtk_widget_has_css_class (child (f, "offset_row"), "error"));
  g_assert_true (gtk_widget_get_visible (child (f, "error_label")));
  ps_assert_contains (text_of (f, "error_label"), reason);
  g_assert_false (gtk_widget_is_sensitive (button));

  /* Enter activates the default button only when it is sensitive, and
   * "activate" comes at once, before the button's pressed look */
  id = g_signal_connect (button, "activate", G_CALLBACK (on_activated), &activated);
  g_signal_emit_by_name (gtk_editable_get_delegate (GTK_EDITABLE (child (f, "offset_row"))), "activate");
  g_signal_handler_disconnect (button, id);
  g_assert_cmpuint (activated, ==, 0);
  /* nor does the action, asked directly */
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "probe.run", NULL);
  g_assert_cmpuint (f->probes, ==, 0);
  g_assert_cmpuint (failures (f), ==, 0);
}

static void
assert_accepted (Fixture    *f,
                 const char *offset)
{
  type_offset (f, offset);
  g_assert_false (gtk_widget_has_css_class (child (f, "offset_row"), "error"));
  g_assert_false (gtk_widget_get_visible (child (f, "error_label")));
  g_assert_true (gtk_widget_is_sensitive (child (f, "probe_button")));
}

static void
test_bad_offset (void)
{
  Fixture f = { 0 };
  g_autofree char *log_before = NULL;
  g_autofree char *log_after = NULL;
  g_autofree char *past_guard = g_strdup_printf ("0x%zx", 4 * PAGE);
  g_autofree char *guard_last = g_strdup_printf ("0x%zx", 4 * PAGE - 1);
  g_autofree char *guard_first = g_strdup_printf ("0x%zx", 3 * PAGE);
  g_autofree char *up_to = g_strdup_printf ("up to 0x%zx (%zu)", 4 * PAGE - 1, 4 * PAGE - 1);

  fixture_open (&f, "probe-dialog-bad", PS_MAP_DEFAULT);
  log_before = ps_event_log_to_text (ps_session_get_log (ps_window_get_session (f.window)));

  assert_refused (&f, "12x", "12x");
  assert_accepted (&f, "12");
  assert_refused (&f, "", "Type an offset");

  /* parsed, but past the guard page: refused in the dialog, with the
   * offset and the last one that can be probed, not the window's error */
  assert_refused (&f, "0x99999999", "Offset 0x99999999 (2576980377) lies past the guard page, so it cannot be probed");
  ps_assert_contains (text_of (&f, "error_label"), up_to);
  g_assert_null (strstr (text_of (&f, "error_label"), "probe("));
  assert_described (&f, "Offset 0x99999999 (2576980377) lies past the guard page: it cannot be probed.");
  assert_refused (&f, past_guard, "past the guard page");
  /* the guard page itself can be: its last byte, and its first */
  assert_accepted (&f, guard_last);
  assert_accepted (&f, guard_first);

  log_after = ps_event_log_to_text (ps_session_get_log (ps_window_get_session (f.window)));
  g_assert_cmpstr (log_after, ==, log_before);   /* no fork, no probe */
  g_assert_cmpstr (text_of (&f, "outcome_label"), ==, "Not probed yet");

  /* a Sweep leaves the offset's problem in place */
  type_offset (&f, past_guard);
  ps_ui_test_click (child (&f, "sweep_button"));
  g_assert_cmpuint (failures (&f), ==, 0);
  g_assert_true (gtk_widget_has_css_class (child (&f, "offset_row"), "error"));
  ps_assert_contains (text_of (&f, "error_label"), "past the guard page");
  g_assert_false (gtk_widget_is_sensitive (child (&f, "probe_button")));
  fixture_close (&f);
}

/* ---- a file mapped whole: the captions and the strip agree ---- */

static void
test_whole_file (void)
{
  Fixture f = { 0 };
  gsize size = 2 * PAGE + 100, end = 3 * PAGE;
  g_autofree char *eof = g_strdup_printf ("0x%zx", size);
  g_autofree char *size_bytes = g_strdup_printf ("%zu bytes:", size);
  g_autofree char *last = g_strdup_printf ("0x%zx", end - 1);
  const char *caption;

  /* two pages and 100 bytes, mapped as three pages */
  fixture_open_sized (&f, "probe-dialog-whole", PS_MAP_DEFAULT, size, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (&f, "offset_row"))), ==, eof);

  /* the mapping in whole pages, as the strip ends it; the file's size apart */
  assert_described (&f, "The mapping is 0x%zx (%zu) bytes: 3 pages of %zu bytes.", end, end, PAGE);
  assert_described (&f, "The file is 0x%zx (%zu) bytes.", size, size);
  assert_described (&f, "Offsets 0x0 (0) to 0x%zx (%zu): the file’s data (ok).", size - 1, size - 1);
  assert_described (&f, "0x%zx (%zu) to 0x%zx (%zu): the zero tail", size, size, end - 1, end - 1);
  assert_described (&f, "0x%zx (%zu) to 0x%zx (%zu): the guard page past the mapping (SIGSEGV).",
                    end, end, end + PAGE - 1, end + PAGE - 1);
  assert_described (&f, "A probe at 0x%zx (%zu) should give zero-tail.", size, size);
  caption = text_of (&f, "caption_label");
  g_assert_null (strstr (caption, size_bytes));
  g_assert_null (strstr (caption, "SIGBUS"));   /* no page lies wholly past EOF */
  assert_strip_drawn (&f, FALSE);

  probe (&f, last);
  g_assert_cmpstr (text_of (&f, "outcome_label"), ==, "zero-tail");
  assert_described (&f, "Probed at 0x%zx (%zu): zero-tail.", end - 1, end - 1);
  fixture_close (&f);
}

/* ---- the sweep paints the grid ---- */

static void
test_sweep (void)
{
  Fixture f = { 0 };

  g_autoptr(GBytes) marks = NULL;
  const guint8 *mark;

  fixture_open (&f, "probe-dialog-sweep", PS_MAP_DEFAULT);
  ps_ui_test_click (child (&f, "sweep_button"));
  g_assert_true (ps_test_wait_until (sweep_over, &f, 20000));
  g_assert_false (gtk_widget_get_visible (child (&f, "error_label")));
  g_assert_cmpuint (failures (&f), ==, 0);
  g_assert_true (gtk_widget_get_visible (child (&f, "status_label")));
  ps_assert_contains (text_of (&f, "status_label"), "Probed 4 pages");
  /* pages 0 (from EOF: zero-tail), 1 and 2 (SIGBUS), 3 (the guard: SIGSEGV) */
  marks = ps_session_get_probe_marks (session_of (&f));
  g_assert_nonnull (marks);
  g_assert_cmpuint (g_bytes_get_size (marks), ==, 4);
  mark = g_bytes_get_data (marks, NULL);
  g_assert_cmpint (mark[0], ==, PS_PROBE_ZERO_TAIL + 1);
  g_assert_cmpint (mark[1], ==, PS_PROBE_SIGBUS + 1);
  g_assert_cmpint (mark[2], ==, PS_PROBE_SIGBUS + 1);
  g_assert_cmpint (mark[3], ==, PS_PROBE_SIGSEGV + 1);
  fixture_close (&f);
}

int
main (int argc, char **argv)
{
  int rc;

  PAGE = ps_test_page_size ();
  app = ps_ui_test_app_new (&argc, &argv);

  g_test_add_func ("/probe-dialog/outcomes", test_outcomes);
  g_test_add_func ("/probe-dialog/write-warning", test_write_warning);
  g_test_add_func ("/probe-dialog/bad-offset", test_bad_offset);
  g_test_add_func ("/probe-dialog/sweep", test_sweep);
  g_test_add_func ("/probe-dialog/whole-file", test_whole_file);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
