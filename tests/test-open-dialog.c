/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The open dialog, for real: presented under Xvfb over a plain window, its
 * fields filled and Open pressed; the open function opens the spec with
 * ps_source_open, so each test checks the source that came out. */
#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pagescope-resources.h"
#include "ps-open-dialog-private.h"
#include "ps-parse.h"
#include "ps-test-util.h"
#include "ps-ui-test-util.h"

static GtkWindow *parent;
static gsize      PAGE;

/* What the open function saw. */
static struct
{
  guint     calls;
  PsSource *source;
} opened;

static gboolean
record_open (const PsSourceSpec *spec,
             gpointer            user_data,
             GError            **error)
{
  opened.calls++;
  g_clear_object (&opened.source);
  opened.source = ps_source_open (spec, NULL, error);
  return opened.source != NULL;
}

static void
on_destroy (GtkWidget *widget,
            gboolean  *destroyed)
{
  *destroyed = TRUE;
}

typedef struct
{
  PsOpenDialog *dialog;
  gboolean      destroyed;
} Dialog;

static void
dialog_open (Dialog       *d,
             PsSourceKind  kind)
{
  d->destroyed = FALSE;
  d->dialog = ps_open_dialog_new (parent, record_open, NULL);
  g_signal_connect (d->dialog, "destroy", G_CALLBACK (on_destroy), &d->destroyed);
  ps_open_dialog_set_kind (d->dialog, kind);
  g_assert_cmpint (ps_open_dialog_get_kind (d->dialog), ==, kind);
  gtk_window_present (GTK_WINDOW (d->dialog));
  ps_ui_test_wait_drawn (GTK_WIDGET (d->dialog));
}

static void
dialog_close (Dialog *d)
{
  if (!d->destroyed)
    gtk_window_destroy (GTK_WINDOW (d->dialog));
  g_assert_true (d->destroyed);
  d->dialog = NULL;
}

static void
set (Dialog     *d,
     const char *field,
     const char *value)
{
  g_assert_false (d->destroyed);
  if (!ps_open_dialog_set_field (d->dialog, field, value))
    g_error ("set_field (%s, %s) refused", field, value);
}

/* Presses Open; expects the dialog to close with a source. */
static PsSource *
open_ok (Dialog *d)
{
  guint calls = opened.calls;

  g_clear_object (&opened.source);
  ps_open_dialog_activate_open (d->dialog);
  if (!d->destroyed)
    g_error ("the dialog stayed open: %s", ps_open_dialog_get_error_text (d->dialog));
  g_assert_cmpuint (opened.calls, ==, calls + 1);
  g_assert_nonnull (opened.source);
  d->dialog = NULL;
  return g_steal_pointer (&opened.source);
}

/* The entry row that has the focus, or NULL. */
static GtkWidget *
focus_row (Dialog *d)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (d->dialog));

  return focus ? gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW) : NULL;
}

static const char *
focus_row_title (Dialog *d)
{
  GtkWidget *row = focus_row (d);

  return row ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : NULL;
}

/* The title of the row the error marks (it has the focus), or NULL. */
static const char *
error_row_title (Dialog *d)
{
  GtkWidget *row = focus_row (d);

  if (row == NULL || !gtk_widget_has_css_class (row, "error"))
    return NULL;
  return focus_row_title (d);
}

/* Nothing read-only, a label or a row that only shows a value, is a stop
 * on the way to the fields, and Tab still reaches last, the last field. */
static void
assert_no_label_in_tab_chain (GtkWindow *window,
                              gpointer   last)
{
  g_autoptr(GPtrArray) chain = ps_ui_test_tab_chain (window);

  g_assert_cmpuint (chain->len, >, 0);
  for (guint i = 0; i < chain->len; i++)
    {
      GtkWidget *stop = chain->pdata[i];

      g_test_message ("Tab stop %u: %s", i, G_OBJECT_TYPE_NAME (stop));
      if (GTK_IS_LABEL (stop))
        g_error ("Tab stops at the label \"%s\"", gtk_label_get_text (GTK_LABEL (stop)));
      if (ADW_IS_ACTION_ROW (stop) && !gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (stop)))
        g_error ("Tab stops at the row \"%s\", which only shows a value",
                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (stop)));
    }
  g_assert_true (g_ptr_array_find (chain, gtk_editable_get_delegate (last), NULL));
}

/* Presses Open; expects an error in the dialog, the dialog still open and
 * nothing opened. reaches_kernel: the fields parsed, so the open function ran. */
static const char *
open_fails (Dialog   *d,
            gboolean  reaches_kernel)
{
  guint calls = opened.calls;
  const char *text;

  g_clear_object (&opened.source);
  ps_open_dialog_activate_open (d->dialog);
  g_assert_false (d->destroyed);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (d->dialog)));
  g_assert_null (opened.source);
  g_assert_cmpuint (opened.calls, ==, calls + (reaches_kernel ? 1 : 0));
  text = ps_open_dialog_get_error_text (d->dialog);
  g_assert_nonnull (text);
  g_test_message ("error shown: %s", text);
  /* lay the error out and draw it */
  ps_ui_test_wait_drawn (GTK_WIDGET (d->dialog));
  return ps_open_dialog_get_error_text (d->dialog);
}

/* A table row as shown, with g_format_size's no-break spaces made plain. */
static char *
row_text (PsOpenDialog *dialog,
          PsSourceKind  kind,
          const char   *id)
{
  g_autofree char *row = ps_open_dialog_dup_row_text (dialog, kind, id);
  g_auto(GStrv) parts = row ? g_strsplit (row, "\u00a0", -1) : NULL;

  return parts ? g_strjoinv (" ", parts) : NULL;
}

/* A size as a table row shows it: g_format_size, no-break spaces made plain. */
static char *
size_text (guint64 size)
{
  g_autofree char *text = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
  g_auto(GStrv) parts = g_strsplit (text, "\u00a0", -1);

  return g_strjoinv (" ", parts);
}

/* Segments made here go when the test ends, however it ends. */
static int
make_sysv (key_t  key,
           gsize  size)
{
  return ps_test_sysv_segment (key, size, 0600);
}

static void
make_posix (const char *name,
            gsize       size)
{
  int fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL, 0600);

  g_assert_cmpint (fd, >=, 0);
  ps_test_queue_shm_unlink (name);
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  close (fd);
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* ---- a file ---- */

static void
test_file (void)
{
  g_autofree char *path = ps_test_file ("dialog", 16 * PAGE, 'f');
  g_autofree char *offset = g_strdup_printf ("%zu", PAGE);
  g_autofree char *length = g_strdup_printf ("%zu", 2 * PAGE);
  g_autofree char *long_length = g_strdup_printf ("%zuK", 32 * PAGE / 1024);
  g_autoptr(PsSource) source = NULL;
  const PsGeometry *g;
  Dialog d;

  dialog_open (&d, PS_SOURCE_FILE);
  set (&d, "path", path);
  set (&d, "private", "true");
  set (&d, "writable", "true");
  set (&d, "offset", offset);
  set (&d, "length", length);
  source = open_ok (&d);
  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_FILE);
  g_assert_cmpstr (ps_source_get_path (source), ==, path);
  g_assert_cmpint (ps_source_get_flags (source), ==, PS_MAP_PRIVATE | PS_MAP_WRITABLE);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 16 * PAGE);
  g_assert_cmpuint (g->offset, ==, PAGE);
  g_assert_cmpuint (g->length, ==, 2 * PAGE);
  g_clear_object (&source);

  /* the defaults: shared, read-only, all of it; a length past EOF maps pages
   * past it. The path is the one opened last: the dialog offers it again. */
  dialog_open (&d, PS_SOURCE_FILE);
  set (&d, "offset", "");
  set (&d, "length", long_length);
  source = open_ok (&d);
  g_assert_cmpint (ps_source_get_flags (source), ==, PS_MAP_DEFAULT);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->offset, ==, 0);
  g_assert_cmpuint (g->n_pages, ==, 32);
  g_assert_cmpuint (g->n_inside, ==, 16);
  g_assert_cmpstr (ps_source_get_path (source), ==, path);
  g_clear_object (&source);
}

static GtkWidget *
find_window_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  GtkWidget *chooser = find_window_of_type (GTK_TYPE_FILE_CHOOSER_DIALOG);
  return chooser != NULL && gtk_widget_get_mapped (chooser);
}

static gboolean
chooser_gone (gpointer data)
{
  return find_window_of_type (GTK_TYPE_FILE_CHOOSER_DIALOG) == NULL;
}

/* Choose… shows a file chooser (GTK's own dialog here: no portal under
 * Xvfb); closing the open dialog takes the chooser with it. */
static void
test_file_chooser (void)
{
  Dialog d;

  dialog_open (&d, PS_SOURCE_FILE);
  set (&d, "path", g_get_tmp_dir ());
  gtk_widget_activate_action (GTK_WIDGET (d.dialog), "dialog.choose-file", NULL);
  g_assert_true (ps_test_wait_until (chooser_shown, NULL, 10000));
  dialog_close (&d);
  g_assert_true (ps_test_wait_until (chooser_gone, NULL, 10000));
}

typedef struct
{
  Dialog     *d;
  const char *title;
} FocusWait;

static gboolean
focus_is_on (gpointer data)
{
  FocusWait *w = data;
  return g_strcmp0 (focus_row_title (w->d), w->title) == 0;
}

static void
assert_focus_on (Dialog     *d,
                 const char *title)
{
  FocusWait w = { d, title };

  if (!ps_test_wait_until (focus_is_on, &w, 5000))
    g_error ("the focus is on %s (row \"%s\"), not in the row \"%s\"",
             G_OBJECT_TYPE_NAME (gtk_window_get_focus (GTK_WINDOW (d->dialog))), focus_row_title (d), title);
}

/* The dialog opens with the focus in the first field of its page, and so
 * does each page it switches to: a path typed at once and Enter open it. */
static void
test_focus (void)
{
  g_autofree char *path = ps_test_file ("dialog-focus", 2 * PAGE, 'k');
  GtkWidget *text;
  Dialog d;

  dialog_open (&d, PS_SOURCE_FILE);
  assert_focus_on (&d, "Path");
  ps_open_dialog_set_kind (d.dialog, PS_SOURCE_SYSV);
  assert_focus_on (&d, "Key, shmid or PATH:ID");
  ps_open_dialog_set_kind (d.dialog, PS_SOURCE_POSIX);
  assert_focus_on (&d, "Name, e.g. /myseg");
  ps_open_dialog_set_kind (d.dialog, PS_SOURCE_ANON);
  assert_focus_on (&d, "Size, e.g. 64K or 1M");
  ps_open_dialog_set_kind (d.dialog, PS_SOURCE_FILE);
  assert_focus_on (&d, "Path");

  /* Tab goes from field to field, never to a read-only label, and past the
   * error line when there is one */
  assert_no_label_in_tab_chain (GTK_WINDOW (d.dialog), ps_ui_test_child (d.dialog, "length_row"));
  set (&d, "length", "12Q");
  open_fails (&d, FALSE);
  assert_no_label_in_tab_chain (GTK_WINDOW (d.dialog), ps_ui_test_child (d.dialog, "length_row"));
  dialog_close (&d);

  dialog_open (&d, PS_SOURCE_FILE);
  assert_focus_on (&d, "Path");
  text = gtk_window_get_focus (GTK_WINDOW (d.dialog));
  g_assert_true (GTK_IS_TEXT (text));
  gtk_editable_set_text (GTK_EDITABLE (text), path);
  g_clear_object (&opened.source);
  g_signal_emit_by_name (text, "activate");   /* what Enter does */
  /* a button pressed from the keyboard clicks when its press animation ends */
  g_assert_true (ps_test_wait_until (is_true, &d.destroyed, 5000));
  g_assert_nonnull (opened.source);
  g_assert_cmpstr (ps_source_get_path (opened.source), ==, path);
  g_clear_object (&opened.source);
}

/* A 1 TiB sparse file costs gigabytes of the app's memory to watch (16
 * bytes a page): the dialog says so before it is opened; a small file's line
 * says nothing of it. Neither file gets a block allocated. */
static void
test_file_memory_cost (void)
{
  g_autofree char *tib = ps_test_file ("dialog-tib", 0, 0);
  g_autofree char *huge = ps_test_file ("dialog-8tib", 0, 0);
  g_autofree char *small = ps_test_file ("dialog-small", 4 * PAGE, 's');
  g_autofree char *want = NULL;
  const char *text;
  struct stat st;
  Dialog d;

  g_assert_cmpint (truncate (tib, (off_t) 1 << 40), ==, 0);
  g_assert_cmpint (truncate (huge, (off_t) 8 << 40), ==, 0);
  dialog_open (&d, PS_SOURCE_FILE);
  set (&d, "path", small);
  text = gtk_label_get_text (d.dialog->file_size_label);
  g_test_message ("%s", text);
  g_assert_null (strstr (text, "memory"));
  /* a sparse terabyte is alike pages, kept as one value a chunk: no longer
   * the 4 GiB it took at 16 bytes a page, nothing to warn of */
  set (&d, "path", tib);
  text = gtk_label_get_text (d.dialog->file_size_label);
  g_test_message ("%s", text);
  ps_assert_contains (text, "268435456 pages");
  g_assert_null (strstr (text, "memory"));
  /* eight sparse terabytes still cost the frames' and hashes' chunk tables */
  set (&d, "path", huge);
  text = gtk_label_get_text (d.dialog->file_size_label);
  g_test_message ("%s", text);
  ps_assert_contains (text, "2147483648 pages");
  want = ps_format_size (ps_frame_file_watch_cost ((guint64) 8 << 40, 0, PAGE));
  g_assert_cmpuint (ps_frame_file_watch_cost ((guint64) 8 << 40, 0, PAGE), >=, PS_WATCH_WARN_BYTES);
  ps_assert_contains (text, "watching it takes about ");
  ps_assert_contains (text, want);
  ps_assert_contains (text, " of memory");
  dialog_close (&d);
  g_assert_cmpint (stat (tib, &st), ==, 0);
  g_assert_cmpint (st.st_blocks, ==, 0);
  g_assert_cmpint (stat (huge, &st), ==, 0);
  g_assert_cmpint (st.st_blocks, ==, 0);
}

static void
test_file_errors (void)
{
  g_autofree char *path = ps_test_file ("dialog-errors", 4 * PAGE, 'e');
  g_autofree char *at_end = g_strdup_printf ("%zu", 4 * PAGE);
  g_autofree char *far_past = g_strdup_printf ("0x%zx", 16 * PAGE);
  g_autofree char *empty = ps_test_file ("dialog-empty", 0, 0);
  g_autofree char *missing = g_strdup_printf ("%s-missing", path);
  const char *text;
  Dialog d;

  dialog_open (&d, PS_SOURCE_FILE);

  set (&d, "path", missing);
  text = open_fails (&d, TRUE);
  ps_assert_contains (text, "No such file or directory");
  ps_assert_contains (text, missing);
  g_assert_cmpstr (error_row_title (&d), ==, "Path");

  /* editing a field clears the error */
  set (&d, "path", g_get_tmp_dir ());
  g_assert_null (ps_open_dialog_get_error_text (d.dialog));
  text = open_fails (&d, TRUE);
  ps_assert_contains (text, "directory");

  set (&d, "path", path);
  set (&d, "offset", "100");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "page size");
  g_assert_cmpstr (error_row_title (&d), ==, "Offset");

  set (&d, "offset", "abc");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "offset \"abc\"");
  g_assert_cmpstr (error_row_title (&d), ==, "Offset");

  set (&d, "offset", "0");
  set (&d, "length", "12Q");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "length \"12Q\"");
  g_assert_cmpstr (error_row_title (&d), ==, "Length (empty: to the end of the file)");

  /* 0 is not "to the end of the file": an empty field is */
  set (&d, "length", "0");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "length \"0\": must not be zero");
  ps_assert_contains (text, "give no length");
  g_assert_cmpstr (error_row_title (&d), ==, "Length (empty: to the end of the file)");
  set (&d, "length", "0x0");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "must not be zero");

  /* refused past the parsing: an offset at or past the end with no length
   * is the offset's fault, an empty file with no length the length's */
  set (&d, "length", "");
  set (&d, "offset", at_end);
  text = open_fails (&d, TRUE);
  ps_assert_contains (text, "past the end");
  g_assert_cmpstr (error_row_title (&d), ==, "Offset");
  set (&d, "offset", far_past);
  text = open_fails (&d, TRUE);
  g_assert_cmpstr (error_row_title (&d), ==, "Offset");
  set (&d, "offset", "");
  set (&d, "path", empty);
  text = open_fails (&d, TRUE);
  ps_assert_contains (text, "empty");
  g_assert_cmpstr (error_row_title (&d), ==, "Length (empty: to the end of the file)");

  set (&d, "length", "");
  set (&d, "path", "   ");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "path");
  g_assert_cmpstr (error_row_title (&d), ==, "Path");

  dialog_close (&d);
}

/* ---- SysV ---- */

static void
test_sysv_by_row (void)
{
  key_t key = ps_test_sysv_key (1);
  gsize size = 12 * 1024 + 10;   /* bytes, not pages: the table says 12.0 KiB */
  int shmid = make_sysv (key, size);
  g_autofree char *id = g_strdup_printf ("%d", shmid);
  g_autofree char *key_text = g_strdup_printf ("0x%08x", (guint32) key);
  g_autofree char *row = NULL;
  g_autoptr(PsSource) source = NULL;
  Dialog d;

  dialog_open (&d, PS_SOURCE_SYSV);
  row = row_text (d.dialog, PS_SOURCE_SYSV, id);
  g_assert_nonnull (row);
  g_test_message ("row: %s", row);
  ps_assert_contains (row, key_text);
  ps_assert_contains (row, "| 600 |");
  ps_assert_contains (row, "12.0 KiB");

  g_assert_true (ps_open_dialog_select_sysv_shmid (d.dialog, shmid));
  source = open_ok (&d);
  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_SYSV);
  g_assert_cmpint (ps_source_get_shmid (source), ==, shmid);
  g_assert_cmpint (ps_source_get_key (source), ==, key);
  g_assert_false (ps_source_is_writable (source));
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, size);
  g_clear_object (&source);

  /* a shmid that is not in the table */
  dialog_open (&d, PS_SOURCE_SYSV);
  g_assert_false (ps_open_dialog_select_sysv_shmid (d.dialog, G_MAXINT));
  dialog_close (&d);
}

static void
test_sysv_typed (void)
{
  key_t key = ps_test_sysv_key (2);
  int shmid = make_sysv (key, 8192);
  g_autofree char *path = ps_test_file ("dialog-ftok", 10, 'k');
  key_t ftok_key = ftok (path, 65);
  int ftok_shmid = make_sysv (ftok_key, 4 * 1024);
  struct
  {
    const char *text;
    const char *by_shmid;
    const char *writable;
    int         shmid;
  } cases[] = {
    { g_strdup_printf ("0x%08x", (guint32) key), "false", "true", shmid },
    { g_strdup_printf ("%d", (int) key), "false", "false", shmid },
    { g_strdup_printf ("%d", shmid), "true", "false", shmid },
    { g_strdup_printf ("%s:65", path), "false", "false", ftok_shmid },
    { g_strdup_printf ("%s:A", path), "false", "true", ftok_shmid },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PsSource) source = NULL;
      Dialog d;

      dialog_open (&d, PS_SOURCE_SYSV);
      set (&d, "sysv-by-shmid", cases[i].by_shmid);
      set (&d, "sysv-key", cases[i].text);
      set (&d, "sysv-writable", cases[i].writable);
      source = open_ok (&d);
      g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_SYSV);
      g_assert_cmpint (ps_source_get_shmid (source), ==, cases[i].shmid);
      g_assert_cmpint (ps_source_is_writable (source), ==, g_str_equal (cases[i].writable, "true"));
      g_free ((char *) cases[i].text);
    }
}

static void
test_sysv_create (void)
{
  key_t key = ps_test_sysv_key (3);
  g_autofree char *key_text = g_strdup_printf ("0x%08x", (guint32) key);
  g_autoptr(PsSource) source = NULL;
  struct shmid_ds ds;
  Dialog d;

  dialog_open (&d, PS_SOURCE_SYSV);
  set (&d, "sysv-create", "true");
  set (&d, "sysv-create-key", key_text);
  set (&d, "sysv-create-size", "64K");
  set (&d, "sysv-create-mode", "640");
  source = open_ok (&d);
  ps_test_queue_rmid (ps_source_get_shmid (source));
  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_SYSV);
  g_assert_cmpint (ps_source_get_key (source), ==, key);
  g_assert_true (ps_source_is_writable (source));
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, 65536);
  g_assert_cmpint (shmctl (ps_source_get_shmid (source), IPC_STAT, &ds), ==, 0);
  g_assert_cmpint (ds.shm_perm.mode & 0777, ==, 0640);
  g_clear_object (&source);

  /* an empty key is IPC_PRIVATE */
  dialog_open (&d, PS_SOURCE_SYSV);
  set (&d, "sysv-create", "true");
  set (&d, "sysv-create-key", "");
  set (&d, "sysv-create-size", "8K");
  source = open_ok (&d);
  ps_test_queue_rmid (ps_source_get_shmid (source));
  g_assert_cmpint (ps_source_get_key (source), ==, IPC_PRIVATE);
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, 8192);
  g_clear_object (&source);
}

static void
test_sysv_errors (void)
{
  key_t missing = ps_test_sysv_key (9);
  key_t taken = ps_test_sysv_key (4);
  int shmid = make_sysv (taken, 4 * 1024);
  g_autofree char *missing_text = g_strdup_printf ("0x%08x", (guint32) missing);
  g_autofree char *taken_text = g_strdup_printf ("0x%08x", (guint32) taken);
  g_autofree char *expected = g_strdup_printf ("shmget(key=0x%08x, 0, 0): No such file or directory", (guint32) missing);
  const char *text;
  Dialog d;

  g_assert_cmpint (shmget (missing, 0, 0), <, 0);
  dialog_open (&d, PS_SOURCE_SYSV);

  set (&d, "sysv-key", "");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "Choose a segment in the table");

  set (&d, "sysv-key", "0xZZ");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "SysV key \"0xZZ\"");
  g_assert_cmpstr (error_row_title (&d), ==, "Key, shmid or PATH:ID");

  set (&d, "sysv-key", missing_text);
  text = open_fails (&d, TRUE);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpstr (error_row_title (&d), ==, "Key, shmid or PATH:ID");

  set (&d, "sysv-key", "/nonexistent/pagescope:1");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "ftok(\"/nonexistent/pagescope\", 1): No such file or directory");

  set (&d, "sysv-by-shmid", "true");
  set (&d, "sysv-key", "abc");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "shmid \"abc\"");

  /* the kernel knows no such shmid: IPC_STAT says only EINVAL */
  g_assert_cmpint (shmctl (G_MAXINT, IPC_STAT, &(struct shmid_ds) { 0 }), <, 0);
  set (&d, "sysv-key", "2147483647");
  text = open_fails (&d, TRUE);
  ps_assert_contains (text, "shmctl(shmid=2147483647, IPC_STAT)");
  ps_assert_contains (text, "there is no segment with shmid 2147483647");
  g_assert_cmpstr (error_row_title (&d), ==, "Key, shmid or PATH:ID");

  set (&d, "sysv-create", "true");
  set (&d, "sysv-create-key", taken_text);
  set (&d, "sysv-create-size", "0");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "must not be zero");
  g_assert_cmpstr (error_row_title (&d), ==, "Size");

  set (&d, "sysv-create-size", "4K");
  set (&d, "sysv-create-mode", "999");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "mode \"999\"");

  set (&d, "sysv-create-mode", "600");
  text = open_fails (&d, TRUE);
  ps_assert_contains (text, "File exists");

  dialog_close (&d);
  g_assert_cmpint (shmget (taken, 0, 0), ==, shmid);   /* "File exists": still the one made here */
}

/* ---- POSIX ---- */

static void
test_posix (void)
{
  g_autofree char *name = ps_test_posix_name ("dialog");
  g_autofree char *row = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *size_cell = NULL;
  g_autofree char *offset = g_strdup_printf ("0x%zx", PAGE);
  g_autofree char *length = g_strdup_printf ("%zuK", 2 * PAGE / 1024);
  const PsGeometry *g;
  Dialog d;

  make_posix (name, 5 * PAGE);
  size_cell = g_strdup_printf ("| 600 | %s |", size_text (5 * PAGE));

  /* by row */
  dialog_open (&d, PS_SOURCE_POSIX);
  row = row_text (d.dialog, PS_SOURCE_POSIX, name);
  g_assert_nonnull (row);
  g_test_message ("row: %s", row);
  ps_assert_contains (row, name);
  ps_assert_contains (row, size_cell);
  g_assert_true (ps_open_dialog_select_posix_name (d.dialog, name));
  source = open_ok (&d);
  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_POSIX);
  g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
  g_assert_cmpint (ps_source_get_flags (source), ==, PS_MAP_DEFAULT);
  g_assert_cmpuint (ps_source_get_geometry (source)->length, ==, 5 * PAGE);
  g_clear_object (&source);

  /* by typed name, without its slash, with options */
  dialog_open (&d, PS_SOURCE_POSIX);
  set (&d, "posix-name", name + 1);
  set (&d, "posix-writable", "true");
  set (&d, "posix-private", "true");
  set (&d, "posix-offset", offset);
  set (&d, "posix-length", length);
  source = open_ok (&d);
  g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
  g_assert_cmpint (ps_source_get_flags (source), ==, PS_MAP_WRITABLE | PS_MAP_PRIVATE);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->offset, ==, PAGE);
  g_assert_cmpuint (g->length, ==, 2 * PAGE);
  g_clear_object (&source);
}

/* A name that is not UTF-8, with a newline and an ESC in it, is shown
 * escaped, and picking its row still opens that very segment. */
static void
test_posix_odd_name (void)
{
  g_autofree char *base = ps_test_posix_name ("dialog-odd");
  g_autofree char *name = g_strconcat (base, "\xff\n\x1b", NULL);
  g_autofree char *shown = g_strconcat (base, "\\xff\\n\\x1b", NULL);
  g_autofree char *row = NULL;
  g_autoptr(PsSource) source = NULL;
  Dialog d;

  make_posix (name, 2 * PAGE);
  dialog_open (&d, PS_SOURCE_POSIX);
  row = row_text (d.dialog, PS_SOURCE_POSIX, name);
  g_assert_nonnull (row);
  g_test_message ("row: %s", row);
  g_assert_true (g_utf8_validate (row, -1, NULL));
  ps_assert_contains (row, shown);
  g_assert_null (strpbrk (row, "\n\x1b"));

  g_assert_true (ps_open_dialog_select_posix_name (d.dialog, name));
  g_assert_cmpstr (gtk_editable_get_text (ps_ui_test_child (d.dialog, "posix_name_row")), ==, shown);
  source = open_ok (&d);
  g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
  g_assert_cmpuint (ps_source_get_geometry (source)->length, ==, 2 * PAGE);
  g_clear_object (&source);

  /* offered again, as shown, it opens the same segment */
  dialog_open (&d, PS_SOURCE_POSIX);
  g_assert_cmpstr (gtk_editable_get_text (ps_ui_test_child (d.dialog, "posix_name_row")), ==, shown);
  source = open_ok (&d);
  g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
  g_clear_object (&source);
}

static void
test_posix_create (void)
{
  g_autofree char *name = ps_test_posix_name ("dialog-create");
  g_autoptr(PsSource) source = NULL;
  struct stat st;
  Dialog d;
  int fd;

  ps_test_queue_shm_unlink (name);
  dialog_open (&d, PS_SOURCE_POSIX);
  set (&d, "posix-create", "true");
  set (&d, "posix-create-name", name);
  set (&d, "posix-create-size", "32K");
  set (&d, "posix-create-mode", "644");
  source = open_ok (&d);
  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_POSIX);
  g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
  g_assert_true (ps_source_is_writable (source));
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, 32768);
  fd = shm_open (name, O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  close (fd);
  g_clear_object (&source);
}

static void
test_posix_errors (void)
{
  g_autofree char *missing = ps_test_posix_name ("dialog-missing");
  g_autofree char *taken = ps_test_posix_name ("dialog-taken");
  g_autofree char *expected = g_strdup_printf ("shm_open(\"%s\", O_RDONLY): No such file or directory", missing);
  g_autofree char *not_aligned = g_strdup_printf ("%zu", PAGE + 1);
  g_autofree char *one_page = g_strdup_printf ("%zu", PAGE);
  const char *text;
  Dialog d;

  make_posix (taken, PAGE);
  dialog_open (&d, PS_SOURCE_POSIX);

  set (&d, "posix-name", "");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "Choose a segment in the table");

  set (&d, "posix-name", "a/b");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "shm_open(\"a/b\"): Invalid argument");
  g_assert_cmpstr (error_row_title (&d), ==, "Name, e.g. /myseg");

  set (&d, "posix-name", missing);
  text = open_fails (&d, TRUE);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpstr (error_row_title (&d), ==, "Name, e.g. /myseg");

  set (&d, "posix-name", taken);
  set (&d, "posix-offset", not_aligned);
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "page size");

  /* the segment is one page: an offset of one page is past its end */
  set (&d, "posix-offset", one_page);
  text = open_fails (&d, TRUE);
  ps_assert_contains (text, "past the end");
  g_assert_cmpstr (error_row_title (&d), ==, "Offset (a multiple of the page size)");

  set (&d, "posix-offset", "");
  set (&d, "posix-length", "0");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "length \"0\": must not be zero");
  ps_assert_contains (text, "give no length");
  g_assert_cmpstr (error_row_title (&d), ==, "Length (empty: to the end)");
  set (&d, "posix-length", "");

  set (&d, "posix-offset", "");
  set (&d, "posix-create", "true");
  set (&d, "posix-create-name", taken);
  set (&d, "posix-create-size", "4K");
  text = open_fails (&d, TRUE);
  ps_assert_contains (text, "File exists");
  g_assert_cmpstr (error_row_title (&d), ==, "Name");

  set (&d, "posix-create-name", "");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "Type a name");

  dialog_close (&d);
}

/* ---- anonymous ---- */

static void
test_anon (void)
{
  g_autoptr(PsSource) source = NULL;
  const char *text;
  Dialog d;

  dialog_open (&d, PS_SOURCE_ANON);
  set (&d, "anon-size", "64K");
  source = open_ok (&d);
  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_ANON);
  g_assert_true (ps_source_is_writable (source));
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, 65536);
  g_clear_object (&source);

  dialog_open (&d, PS_SOURCE_ANON);
  set (&d, "anon-size", "0");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "must not be zero");
  g_assert_cmpstr (error_row_title (&d), ==, "Size, e.g. 64K or 1M");

  set (&d, "anon-size", "12Q");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "size \"12Q\": unknown suffix");

  set (&d, "anon-size", "");
  text = open_fails (&d, FALSE);
  ps_assert_contains (text, "Give a size");

  /* Enter in the field that has the focus presses the default button */
  set (&d, "anon-size", "8K");
  g_assert_nonnull (gtk_window_get_focus (GTK_WINDOW (d.dialog)));
  g_clear_object (&opened.source);
  g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (GTK_WINDOW (d.dialog))));
  g_signal_emit_by_name (gtk_window_get_focus (GTK_WINDOW (d.dialog)), "activate");   /* what Enter does */
  /* a button pressed from the keyboard clicks when its press animation ends */
  g_assert_true (ps_test_wait_until (is_true, &d.destroyed, 5000));
  g_assert_nonnull (opened.source);
  g_assert_cmpuint (ps_source_get_geometry (opened.source)->object_size, ==, 8192);
  g_clear_object (&opened.source);
}

static void
test_cancel (void)
{
  guint calls = opened.calls;
  Dialog d;

  dialog_open (&d, PS_SOURCE_ANON);
  gtk_widget_activate_action (GTK_WIDGET (d.dialog), "window.close", NULL);
  g_assert_true (d.destroyed);
  g_assert_cmpuint (opened.calls, ==, calls);
}

/* ---- another process's mapping ---- */

#define CHILD_TIMEOUT_MS 10000

/* A child that maps a file MAP_PRIVATE and writes "000000016" into its own
 * copy of the second page, or attaches a SysV segment; it calls itself comm
 * and holds its mapping until its pipe reads EOF. */
typedef struct
{
  const char *comm;
  const char *path;      /* a file, or NULL: */
  int         shmid;     /* ... this segment */
  int         ready[2];
  int         hold[2];
  pid_t       pid;
} Child;

/* Async-signal-safe calls only. */
static int
child_main (gpointer data)
{
  Child *c = data;
  char *addr;
  char ch;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  prctl (PR_SET_NAME, c->comm);
  close (c->hold[1]);
  close (c->ready[0]);
  if (c->path != NULL)
    {
      int fd = open (c->path, O_RDONLY | O_CLOEXEC);

      if (fd < 0)
        return 1;
      addr = mmap (NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
      if (addr == MAP_FAILED)
        return 2;
      memcpy (addr + PAGE + 20, "000000016", 9);
    }
  else
    {
      addr = shmat (c->shmid, NULL, SHM_RDONLY);
      if (addr == (void *) -1)
        return 3;
    }
  (void) !write (c->ready[1], "r", 1);
  while (read (c->hold[0], &ch, 1) == 1)
    ;
  return 0;
}

static void
child_start (Child *c)
{
  struct pollfd ready;
  char ch;

  g_assert_cmpint (pipe2 (c->ready, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (c->hold, O_CLOEXEC), ==, 0);
  c->pid = ps_test_fork (child_main, c);
  close (c->ready[1]);
  close (c->hold[0]);
  ready = (struct pollfd) { c->ready[0], POLLIN, 0 };
  g_assert_cmpint (poll (&ready, 1, CHILD_TIMEOUT_MS), ==, 1);
  g_assert_cmpint (read (c->ready[0], &ch, 1), ==, 1);
}

static void
child_stop (Child *c)
{
  if (c->hold[1] < 0)
    return;
  close (c->hold[1]);
  c->hold[1] = -1;
  g_assert_cmpint (ps_test_reap (c->pid, CHILD_TIMEOUT_MS), ==, 0);
  close (c->ready[0]);
}

static void
assert_peek (PsSource   *source,
             guint64     offset,
             const char *expected)
{
  guint8 bytes[16];
  gsize len = strlen (expected);

  g_assert_true (ps_source_peek (source, offset, bytes, len, NULL));
  g_assert_cmpmem (bytes, len, expected, len);
}

static const char *
combo_text (AdwComboRow *row)
{
  gpointer item = adw_combo_row_get_selected_item (row);

  g_assert_nonnull (item);
  return gtk_string_object_get_string (item);
}

/* The Process page lists a child that maps a file MAP_PRIVATE, by pid and
 * name, and its mapping; Open gives a view of the child's own copy (its
 * bytes, not the file's). A process that exits before Open is an error
 * in the dialog, which stays open. This process is not listed. */
static void
test_process (void)
{
  g_autofree char *path = ps_test_file ("dialog-process", 4 * PAGE, 'c');
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *listed_as = NULL;
  g_autofree char *pid_text = NULL;
  g_autofree char *label = NULL;
  g_autofree char *label_start = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsSource) file = NULL;
  PsSourceSpec file_spec = { .kind = PS_SOURCE_FILE, .path = path };
  Child c = { .comm = "s000_writer_B", .path = path };
  const char *text;
  Dialog d;

  child_start (&c);
  listed_as = g_strdup_printf ("%d s000_writer_B (", (int) c.pid);
  pid_text = g_strdup_printf ("%d", (int) c.pid);
  label_start = g_strdup_printf ("pid %d s000_writer_B", (int) c.pid);

  dialog_open (&d, PS_SOURCE_PROCESS);
  g_assert_false (ps_open_dialog_pick_process (d.dialog, getpid (), NULL));
  g_assert_true (ps_open_dialog_pick_process (d.dialog, c.pid, base));
  g_assert_true (g_str_has_prefix (combo_text (d.dialog->process_row), listed_as));
  ps_assert_contains (combo_text (d.dialog->mapping_row), base);
  ps_assert_contains (combo_text (d.dialog->mapping_row), "rw-p");
  /* a mapping it does not have */
  g_assert_false (ps_open_dialog_pick_process (d.dialog, c.pid, "no-such-mapping"));
  g_assert_true (ps_open_dialog_pick_process (d.dialog, c.pid, base));

  source = open_ok (&d);
  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_PROCESS);
  g_assert_cmpint (ps_source_get_pid (source), ==, c.pid);
  g_assert_false (ps_source_is_writable (source));
  label = ps_source_dup_viewer_label (source);
  g_test_message ("viewer: %s", label);
  g_assert_true (g_str_has_prefix (label, label_start));
  ps_assert_contains (label, "MAP_PRIVATE");
  /* the child's copy, and the file as it was */
  assert_peek (source, PAGE + 20, "000000016");
  file = ps_source_open (&file_spec, NULL, NULL);
  g_assert_nonnull (file);
  assert_peek (file, PAGE + 20, "ccccccccc");
  g_clear_object (&source);

  /* picked, then gone before Open */
  dialog_open (&d, PS_SOURCE_PROCESS);
  g_assert_true (ps_open_dialog_pick_process (d.dialog, c.pid, base));
  child_stop (&c);
  text = open_fails (&d, TRUE);
  ps_assert_contains (text, pid_text);
  dialog_close (&d);
}

static gboolean
shown_in_table (PsOpenDialog *dialog,
                int           shmid)
{
  GListModel *shown = G_LIST_MODEL (ps_segment_table_get_selection (dialog->sysv_table));
  g_autofree char *id = g_strdup_printf ("%d", shmid);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(PsSegmentRow) row = g_list_model_get_item (shown, i);

      if (g_str_equal (ps_segment_row_get_id (row), id))
        return TRUE;
    }
  return FALSE;
}

/* The SysV table: a "Mapped by" column naming the child that attaches each
 * segment; the one a process called Xvfb attaches is hidden until the check
 * button shows the display server's segments; "Open as Seen By" on the
 * writer's segment lists the writer and opens its view of the segment. */
static void
test_seen_by (void)
{
  int writer_shmid = make_sysv (ps_test_free_sysv_key (), 4 * 1024);
  int display_shmid = make_sysv (ps_test_free_sysv_key (), 4 * 1024);
  Child writer = { .comm = "s000_writer_B", .shmid = writer_shmid };
  Child display = { .comm = "Xvfb", .shmid = display_shmid };
  g_autofree char *writer_id = g_strdup_printf ("%d", writer_shmid);
  g_autofree char *display_id = g_strdup_printf ("%d", display_shmid);
  g_autofree char *writer_cell = NULL;
  g_autofree char *display_cell = NULL;
  g_autofree char *writer_row = NULL;
  g_autofree char *display_row = NULL;
  g_autofree char *item_label = NULL;
  g_autofree char *target = NULL;
  g_autofree char *wanted_label = NULL;
  g_autoptr(PsSource) source = NULL;
  GMenuModel *menu;
  guint calls;
  Dialog d;

  child_start (&writer);
  child_start (&display);
  writer_cell = g_strdup_printf ("| %d s000_writer_B", (int) writer.pid);
  display_cell = g_strdup_printf ("| %d Xvfb", (int) display.pid);
  wanted_label = g_strdup_printf ("pid %d s000_writer_B", (int) writer.pid);

  dialog_open (&d, PS_SOURCE_SYSV);
  writer_row = row_text (d.dialog, PS_SOURCE_SYSV, writer_id);
  display_row = row_text (d.dialog, PS_SOURCE_SYSV, display_id);
  g_test_message ("rows: %s / %s", writer_row, display_row);
  ps_assert_contains (writer_row, writer_cell);
  ps_assert_contains (display_row, display_cell);

  /* the display server's: hidden, counted on the check button */
  g_assert_true (shown_in_table (d.dialog, writer_shmid));
  g_assert_false (shown_in_table (d.dialog, display_shmid));
  g_assert_false (gtk_check_button_get_active (d.dialog->sysv_display_check));
  ps_assert_contains (gtk_check_button_get_label (d.dialog->sysv_display_check), "hidden)");
  gtk_check_button_set_active (d.dialog->sysv_display_check, TRUE);
  g_assert_true (shown_in_table (d.dialog, display_shmid));
  g_assert_true (shown_in_table (d.dialog, writer_shmid));
  g_assert_null (strstr (gtk_check_button_get_label (d.dialog->sysv_display_check), "hidden"));
  gtk_check_button_set_active (d.dialog->sysv_display_check, FALSE);
  g_assert_false (shown_in_table (d.dialog, display_shmid));

  /* Open as Seen By, with nothing selected, then on the writer's */
  gtk_menu_button_popup (d.dialog->sysv_seen_by);
  menu = gtk_menu_button_get_menu_model (d.dialog->sysv_seen_by);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 1);
  g_assert_false (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_TARGET, "s", &target));
  gtk_menu_button_popdown (d.dialog->sysv_seen_by);

  g_assert_true (ps_open_dialog_select_sysv_shmid (d.dialog, writer_shmid));
  gtk_menu_button_popup (d.dialog->sysv_seen_by);
  menu = gtk_menu_button_get_menu_model (d.dialog->sysv_seen_by);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 1);
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &item_label));
  g_assert_cmpstr (item_label, ==, wanted_label);
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_TARGET, "s", &target));
  g_test_message ("Open as Seen By: %s -> %s", item_label, target);
  gtk_menu_button_popdown (d.dialog->sysv_seen_by);

  calls = opened.calls;
  gtk_widget_activate_action (GTK_WIDGET (d.dialog), "dialog.open-spec", "s", target);
  g_assert_true (d.destroyed);
  g_assert_cmpuint (opened.calls, ==, calls + 1);
  source = g_steal_pointer (&opened.source);
  g_assert_nonnull (source);
  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_PROCESS);
  g_assert_cmpint (ps_source_get_pid (source), ==, writer.pid);
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, >=, 4 * 1024);

  g_clear_object (&source);
  /* the display child, forked later, holds the writer's pipe too: it goes first */
  child_stop (&display);
  child_stop (&writer);
}

/* ---- the tables refresh ---- */

typedef struct
{
  PsOpenDialog *dialog;
  PsSourceKind  kind;
  const char   *id;
  const char   *needle;   /* NULL: the row must be gone */
} RowWait;

static gboolean
row_matches (gpointer data)
{
  RowWait *w = data;
  g_autofree char *row = row_text (w->dialog, w->kind, w->id);

  if (w->needle == NULL)
    return row == NULL;
  return row != NULL && strstr (row, w->needle) != NULL;
}

static void
test_tables_refresh (void)
{
  key_t key = ps_test_sysv_key (5);
  g_autofree char *name = ps_test_posix_name ("dialog-refresh");
  g_autofree char *id = NULL;
  RowWait w;
  Dialog d;
  int shmid;
  void *addr;

  dialog_open (&d, PS_SOURCE_SYSV);

  /* made after the dialog opened: it shows within a refresh */
  shmid = make_sysv (key, 4 * 1024);
  id = g_strdup_printf ("%d", shmid);
  w = (RowWait) { d.dialog, PS_SOURCE_SYSV, id, "| 4.0 KiB | 0 |" };
  g_assert_true (ps_test_wait_until (row_matches, &w, 6000));

  /* attached, then marked for removal: the key reads 0 */
  addr = shmat (shmid, NULL, SHM_RDONLY);
  g_assert_true (addr != (void *) -1);
  g_assert_cmpint (shmctl (shmid, IPC_RMID, NULL), ==, 0);
  w.needle = "0x00000000 |";
  g_assert_true (ps_test_wait_until (row_matches, &w, 6000));
  w.needle = "| 1 |";
  g_assert_true (row_matches (&w));
  w.needle = "marked for removal";
  g_assert_true (row_matches (&w));

  /* gone after the last detach */
  g_assert_cmpint (shmdt (addr), ==, 0);
  w.needle = NULL;
  g_assert_true (ps_test_wait_until (row_matches, &w, 6000));

  /* POSIX: appears, then goes */
  ps_open_dialog_set_kind (d.dialog, PS_SOURCE_POSIX);
  make_posix (name, 12 * 1024);
  w = (RowWait) { d.dialog, PS_SOURCE_POSIX, name, "| 12.0 KiB |" };
  g_assert_true (ps_test_wait_until (row_matches, &w, 6000));
  g_assert_cmpint (shm_unlink (name), ==, 0);
  w.needle = NULL;
  g_assert_true (ps_test_wait_until (row_matches, &w, 6000));

  dialog_close (&d);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  PAGE = ps_test_page_size ();
  ps_ui_test_init (&argc, &argv);
  /* links the resource bundle in: its constructor registers it, but only if
   * something references it (nothing in the app library does) */
  g_assert_nonnull (pagescope_get_resource ());

  parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (parent, 900, 700);
  gtk_window_present (parent);
  ps_ui_test_wait_drawn (GTK_WIDGET (parent));

  g_test_add_func ("/open-dialog/file", test_file);
  g_test_add_func ("/open-dialog/file-chooser", test_file_chooser);
  g_test_add_func ("/open-dialog/focus", test_focus);
  g_test_add_func ("/open-dialog/file-errors", test_file_errors);
  g_test_add_func ("/open-dialog/file-memory-cost", test_file_memory_cost);
  g_test_add_func ("/open-dialog/sysv-by-row", test_sysv_by_row);
  g_test_add_func ("/open-dialog/sysv-typed", test_sysv_typed);
  g_test_add_func ("/open-dialog/sysv-create", test_sysv_create);
  g_test_add_func ("/open-dialog/sysv-errors", test_sysv_errors);
  g_test_add_func ("/open-dialog/posix", test_posix);
  g_test_add_func ("/open-dialog/posix-odd-name", test_posix_odd_name);
  g_test_add_func ("/open-dialog/posix-create", test_posix_create);
  g_test_add_func ("/open-dialog/posix-errors", test_posix_errors);
  g_test_add_func ("/open-dialog/anon", test_anon);
  g_test_add_func ("/open-dialog/cancel", test_cancel);
  g_test_add_func ("/open-dialog/tables-refresh", test_tables_refresh);
  g_test_add_func ("/open-dialog/process", test_process);
  g_test_add_func ("/open-dialog/seen-by", test_seen_by);
  status = g_test_run ();

  gtk_window_destroy (parent);
  return status;
}
