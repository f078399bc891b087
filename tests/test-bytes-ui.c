/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Understanding the bytes in the window: the data inspector live and
 * edited, go to, find, marks, watches kept with the source. Real windows
 * under Xvfb, real files, real writer children. */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "ps-hex-view-private.h"
#include "ps-inspector-pane-private.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

static PsApplication *app;

typedef struct
{
  PsWindow *window;
  char     *path;
  gsize     page;
} Fixture;

static void
open_window (Fixture    *f,
             const char *path,
             PsMapFlags  flags)
{
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;

  f->window = ps_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1300, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (path);
  spec.flags = flags;
  g_assert_true (ps_window_open_spec (f->window, &spec, &error));
  g_assert_no_error (error);
  ps_ui_test_wait_drawn (GTK_WIDGET (f->window));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->page = ps_test_page_size ();
  f->path = ps_test_file ("bytes-ui", 4 * f->page, 0);
  open_window (f, f->path, GPOINTER_TO_UINT (data));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_free (f->path);
}

static PsSession *
session_of (Fixture *f)
{
  return ps_window_get_session (f->window);
}

typedef struct
{
  PsInspectorPane *pane;
  const char      *label;
  const char      *want;
} InspectorWait;

static gboolean
inspector_shows (gpointer data)
{
  InspectorWait *w = data;

  return g_strcmp0 (ps_inspector_pane_get_text (w->pane, w->label), w->want) == 0;
}

/* A writer child increments a u64 counter at 0x40 200 times: with the
 * cursor there, the inspector shows 200 at the end. */
static void
test_inspector_live (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  InspectorWait w = { f->window->inspector, "u64 (LE)", "200" };
  PsSpawnArgs args;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-inspector", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.goto", "s", "0x40");
  g_assert_cmpuint (ps_session_get_cursor (session_of (f)), ==, 0x40);
  g_assert_cmpstr (ps_inspector_pane_get_text (f->window->inspector, "u64 (LE)"), ==, "0");
  ps_session_set_interval (session_of (f), 20);
  g_assert_true (ps_spawn_args_parse ("1 counter 2000 count=200 offset=0x40 length=8", &args, &error));
  g_assert_true (ps_session_spawn_writers (session_of (f), &args, &error));
  g_assert_true (ps_test_wait_until (inspector_shows, &w, 20000));
  /* the other byte order and the other readings follow */
  g_assert_cmpstr (ps_inspector_pane_get_text (f->window->inspector, "u64 (BE)"), ==, "14411518807585587200");
  g_assert_cmpstr (ps_inspector_pane_get_text (f->window->inspector, "u8"), ==, "200");
  g_assert_cmpstr (ps_inspector_pane_get_text (f->window->inspector, "binary"), ==, "1100 1000");
}

/* On a read-only mapping an edit is refused, and says why. */
static void
test_inspector_edit_refused (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.goto", "s", "0x10");
  g_assert_false (ps_inspector_pane_edit (f->window->inspector, "u32 (LE)", "7", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  ps_assert_contains (error->message, "read-only");
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  for (gsize i = 0; i < len; i++)
    g_assert_cmpint (contents[i], ==, 0);
}

/* On a writable one it writes exactly the value's bytes, and undo takes
 * them back. */
static void
test_inspector_edit (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *undone = NULL;
  gsize len;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.goto", "s", "0x10");
  g_assert_true (ps_inspector_pane_edit (f->window->inspector, "u32 (BE)", "0x01020304", &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_cmpmem (contents + 0x10, 4, "\1\2\3\4", 4);
  g_assert_cmpint (contents[0x0f], ==, 0);
  g_assert_cmpint (contents[0x14], ==, 0);
  g_assert_cmpstr (ps_inspector_pane_get_text (f->window->inspector, "u32 (BE)"), ==, "16909060");
  /* a value that does not fit the type writes nothing */
  g_assert_false (ps_inspector_pane_edit (f->window->inspector, "u8", "256", &error));
  g_clear_error (&error);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  g_assert_true (g_file_get_contents (f->path, &undone, &len, NULL));
  g_assert_cmpmem (undone + 0x10, 4, "\0\0\0\0", 4);
}

typedef struct
{
  PsSession *session;
  guint64    want;
} SelectionWait;

/* A match is shown selected. */
static gboolean
selected_at (gpointer data)
{
  SelectionWait *w = data;
  PsRange range;

  return ps_session_get_selection (w->session, &range) && range.offset == w->want;
}

/* Go to, find and marks, as the window's actions do them. */
static void
test_goto_find_mark (Fixture       *f,
                     gconstpointer  data)
{
  SelectionWait w = { session_of (f), 2 * f->page + 7 };
  int fd = open (f->path, O_WRONLY);

  g_assert_cmpint (pwrite (fd, "NEEDLE", 6, 2 * f->page + 7), ==, 6);
  close (fd);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.goto", "s", "page 1");
  g_assert_cmpuint (ps_session_get_cursor (session_of (f)), ==, f->page);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.goto", "s", "+0x10");
  g_assert_cmpuint (ps_session_get_cursor (session_of (f)), ==, f->page + 0x10);

  /* find, from the cursor, in the background */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find", "s", "text:NEEDLE");
  g_assert_true (ps_test_wait_until (selected_at, &w, 20000));

  /* the match is selected: marking it names it, and go to finds it by name */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.mark", "s", "needle");
  g_assert_nonnull (ps_session_find_mark (session_of (f), "needle"));
  g_assert_cmpuint (ps_mark_get_length (ps_session_find_mark (session_of (f), "needle")), ==, 6);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.goto", "s", "0");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.goto", "s", "needle");
  g_assert_cmpuint (ps_session_get_cursor (session_of (f)), ==, 2 * f->page + 7);
}

static gboolean
grid_has_highlights (gpointer data)
{
  Fixture *f = data;
  guint n = 0;

  ps_page_grid_get_highlights (f->window->grid, &n);
  return n == 3;
}

/* Find all marks every match in the grid and the hex view, a mark adds its
 * own colour, and the matches go once the pattern changes. */
static void
test_highlights (Fixture       *f,
                 gconstpointer  data)
{
  const guint64 at[] = { 5, 2 * f->page + 7, 3 * f->page + 100 };
  const PsHighlight *ranges;
  guint n = 0;
  int fd = open (f->path, O_WRONLY);

  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    g_assert_cmpint (pwrite (fd, "NEEDLE", 6, at[i]), ==, 6);
  close (fd);

  ps_find_bar_show (f->window->find_bar, "text:NEEDLE");
  gtk_widget_activate_action (GTK_WIDGET (f->window->find_bar), "find.all", NULL);
  g_assert_true (ps_test_wait_until (grid_has_highlights, f, 20000));
  ranges = ps_page_grid_get_highlights (f->window->grid, &n);
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      g_assert_cmpuint (ranges[i].offset, ==, at[i]);
      g_assert_cmpuint (ranges[i].length, ==, 6);
    }
  g_assert_cmpuint (f->window->hex->n_highlights, ==, 3);

  /* a mark is tinted in its own colour, over the matches */
  ps_hex_view_set_selection (f->window->hex, 0x200, 16);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.mark", "s", "table");
  ranges = ps_page_grid_get_highlights (f->window->grid, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpuint (ranges[3].offset, ==, 0x200);
  g_assert_cmpuint (ranges[3].rgba, ==, ps_mark_get_rgba (ps_session_find_mark (session_of (f), "table")));

  /* a new pattern: the old matches no longer answer it */
  ps_find_bar_show (f->window->find_bar, "text:HAY");
  ranges = ps_page_grid_get_highlights (f->window->grid, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (ranges[0].offset, ==, 0x200);
  g_assert_cmpuint (f->window->hex->n_highlights, ==, 1);

  /* the mark removed: nothing is tinted */
  g_assert_true (ps_session_remove_mark (session_of (f), "table", NULL));
  ps_page_grid_get_highlights (f->window->grid, &n);
  g_assert_cmpuint (n, ==, 0);
}

/* Watches and marks go with the source: closed and opened again, they are
 * back. */
static void
test_kept_with_source (Fixture       *f,
                       gconstpointer  data)
{
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.watch", "s", "seq:u32@0x20");
  g_assert_nonnull (ps_session_find_watch (session_of (f), "seq"));
  ps_hex_view_set_selection (f->window->hex, 0x100, 16);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.mark", "s", "table");
  g_assert_nonnull (ps_session_find_mark (session_of (f), "table"));

  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  open_window (f, f->path, PS_MAP_DEFAULT);
  g_assert_nonnull (ps_session_find_watch (session_of (f), "seq"));
  g_assert_nonnull (ps_session_find_mark (session_of (f), "table"));
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  app = ps_ui_test_app_new (&argc, &argv);
#define ADD(path, flags, func) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (flags), fixture_setup, func, fixture_teardown)
  ADD ("/bytes-ui/inspector/live", PS_MAP_WRITABLE, test_inspector_live);
  ADD ("/bytes-ui/inspector/edit-refused", PS_MAP_DEFAULT, test_inspector_edit_refused);
  ADD ("/bytes-ui/inspector/edit", PS_MAP_WRITABLE, test_inspector_edit);
  ADD ("/bytes-ui/goto-find-mark", PS_MAP_DEFAULT, test_goto_find_mark);
  ADD ("/bytes-ui/highlights", PS_MAP_DEFAULT, test_highlights);
  ADD ("/bytes-ui/kept-with-source", PS_MAP_DEFAULT, test_kept_with_source);
#undef ADD
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
