/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every keyboard shortcut, pressed as a user presses it: the shortcuts
 * window (itself opened with Ctrl+?) lists each with its keys, every key of
 * every listed shortcut is sent by the X server (XTest) to the window with
 * the focus, and what it should do is checked. A shortcut listed with no
 * check here fails the test, and so does an application accelerator the
 * shortcuts window does not list. */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "ps-open-dialog.h"
#include "ps-preferences-window.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-ui-test-keys.h"
#include "ps-window-private.h"
#include "ps-window-time.h"
#include "ps-window-views.h"

static PsApplication *app;

typedef struct
{
  PsWindow   *window;
  char       *path;
  gsize       page;
  guint       want_panes;   /* check_close_view waits for this many views */
} Keys;

/* ---- finding windows ---- */

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return toplevel;
    }
  return NULL;
}

static guint
count_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      n += PS_IS_WINDOW (toplevel);
    }
  return n;
}

typedef struct
{
  GType       type;
  GtkWindow  *found;
} Shown;

static gboolean
is_shown (gpointer data)
{
  Shown *s = data;

  s->found = find_toplevel (s->type);
  return s->found != NULL && gtk_widget_get_mapped (GTK_WIDGET (s->found));
}

/* Waits for a visible toplevel of the type, the effect of a key. */
static GtkWindow *
wait_shown (GType       type,
            const char *accel)
{
  Shown s = { type, NULL };

  if (!ps_test_wait_until (is_shown, &s, 10000))
    g_error ("%s showed no %s", accel, g_type_name (type));
  return s.found;
}

/* ---- waiting on a property ---- */

typedef struct
{
  GObject    *object;
  const char *property;
  gboolean    want;
} BoolWait;

static gboolean
bool_is (gpointer data)
{
  BoolWait *w = data;
  gboolean value;

  g_object_get (w->object, w->property, &value, NULL);
  return value == w->want;
}

static void
wait_bool (gpointer    object,
           const char *property,
           gboolean    want,
           const char *accel)
{
  BoolWait w = { object, property, want };

  if (!ps_test_wait_until (bool_is, &w, 10000))
    g_error ("after %s, %s:%s is still %s", accel, G_OBJECT_TYPE_NAME (object), property, want ? "FALSE" : "TRUE");
}

/* ---- the checks, one per action ---- */

static void
check_open_dialog (Keys       *k,
                   const char *accel)
{
  GtkWindow *dialog;

  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  dialog = wait_shown (PS_TYPE_OPEN_DIALOG, accel);
  g_assert_cmpint (ps_open_dialog_get_kind (PS_OPEN_DIALOG (dialog)), ==, PS_SOURCE_FILE);
  ps_ui_test_close (dialog);
}

typedef struct
{
  PsWindow     *window;
  PsDialogKind  kind;
} DialogWait;

static gboolean
dialog_shown (gpointer data)
{
  DialogWait *w = data;

  return w->window->dialogs[w->kind] != NULL && gtk_widget_get_mapped (GTK_WIDGET (w->window->dialogs[w->kind]));
}

static void
check_dialog (Keys         *k,
              const char   *accel,
              PsDialogKind  kind)
{
  DialogWait w = { k->window, kind };
  GtkWindow *dialog;

  g_assert_null (k->window->dialogs[kind]);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  if (!ps_test_wait_until (dialog_shown, &w, 10000))
    g_error ("%s showed no dialog", accel);
  dialog = k->window->dialogs[kind];
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (k->window));
  ps_ui_test_close (dialog);
}

static void
check_write_dialog (Keys *k, const char *accel)   { check_dialog (k, accel, PS_DIALOG_WRITE); }
static void
check_msync_dialog (Keys *k, const char *accel)   { check_dialog (k, accel, PS_DIALOG_MSYNC); }
static void
check_writers_dialog (Keys *k, const char *accel) { check_dialog (k, accel, PS_DIALOG_WRITERS); }
static void
check_probe_dialog (Keys *k, const char *accel)   { check_dialog (k, accel, PS_DIALOG_PROBE); }

static gboolean
focus_in_find_bar (gpointer data)
{
  Keys *k = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (k->window));

  /* mapped: the bar has begun to slide in, so keys reach its entry */
  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (k->window->find_bar)) &&
         gtk_widget_get_mapped (focus);
}

static gboolean
text_is_ab_space (gpointer data)
{
  return g_str_equal (gtk_editable_get_text (data), "ab ");
}

/* Space pauses with the focus on the grid, as after a click on it, and
 * resumes; typed into the find bar it is a space, and pauses nothing. */
static void
check_pause (Keys       *k,
             const char *accel)
{
  PsSession *session = k->window->session;
  GtkEditable *entry = ps_ui_test_child (k->window->find_bar, "entry");

  gtk_widget_grab_focus (GTK_WIDGET (k->window->grid));
  g_assert_false (ps_session_get_paused (session));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  wait_bool (session, "paused", TRUE, accel);
  g_assert_true (gtk_toggle_button_get_active (k->window->pause_button));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  wait_bool (session, "paused", FALSE, accel);

  ps_find_bar_show (k->window->find_bar, "ab");
  g_assert_true (ps_test_wait_until (focus_in_find_bar, k, 10000));
  gtk_editable_set_position (entry, -1);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  if (!ps_test_wait_until (text_is_ab_space, entry, 10000))
    g_error ("Space in the find bar: \"%s\", paused %d", gtk_editable_get_text (entry), ps_session_get_paused (session));
  g_assert_false (ps_session_get_paused (session));
  gtk_editable_set_text (entry, "");
  ps_ui_test_press (GTK_WINDOW (k->window), GDK_KEY_Escape, 0);
  gtk_widget_grab_focus (GTK_WIDGET (k->window->grid));
}

static void
check_zoom (Keys       *k,
            const char *accel,
            int         direction)
{
  guint before;

  ps_page_grid_set_cell_size (k->window->grid, 8);
  before = ps_page_grid_get_cell_size (k->window->grid);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  if (direction > 0)
    g_assert_cmpuint (ps_page_grid_get_cell_size (k->window->grid), ==, before * 2);
  else
    g_assert_cmpuint (ps_page_grid_get_cell_size (k->window->grid), ==, before / 2);
  g_assert_false (ps_page_grid_get_fit (k->window->grid));
}

static void
check_zoom_in (Keys *k, const char *accel)  { check_zoom (k, accel, +1); }
static void
check_zoom_out (Keys *k, const char *accel) { check_zoom (k, accel, -1); }

static void
check_zoom_fit (Keys       *k,
                const char *accel)
{
  ps_page_grid_set_cell_size (k->window->grid, 8);
  g_assert_false (ps_page_grid_get_fit (k->window->grid));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_true (ps_page_grid_get_fit (k->window->grid));
}

static void
check_color_mode (Keys       *k,
                  const char *accel,
                  PsGridMode  mode)
{
  PsGridMode other = mode == PS_GRID_ACTIVITY ? PS_GRID_CONTENT : PS_GRID_ACTIVITY;
  g_autofree char *other_name = g_strdup (ps_grid_mode_to_string (other));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (k->window), "win.color-mode", "s", other_name));
  g_assert_cmpint (ps_page_grid_get_mode (k->window->grid), ==, other);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_cmpint (ps_page_grid_get_mode (k->window->grid), ==, mode);
  g_assert_cmpuint (gtk_drop_down_get_selected (k->window->mode_dropdown), ==, mode);
}

static void
check_activity (Keys *k, const char *accel)  { check_color_mode (k, accel, PS_GRID_ACTIVITY); }
static void
check_content (Keys *k, const char *accel)   { check_color_mode (k, accel, PS_GRID_CONTENT); }
static void
check_residency (Keys *k, const char *accel) { check_color_mode (k, accel, PS_GRID_RESIDENCY); }
static void
check_cow (Keys *k, const char *accel)       { check_color_mode (k, accel, PS_GRID_COW); }

static void
check_toggle (Keys        *k,
              const char  *accel,
              GtkRevealer *revealer)
{
  gboolean before = gtk_revealer_get_reveal_child (revealer);

  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_cmpint (gtk_revealer_get_reveal_child (revealer), ==, !before);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_cmpint (gtk_revealer_get_reveal_child (revealer), ==, before);
}

static void
check_toggle_log (Keys *k, const char *accel)       { check_toggle (k, accel, k->window->bottom_revealer); }
static void
check_toggle_inspector (Keys *k, const char *accel) { check_toggle (k, accel, k->window->side_revealer); }

/* F11 turns presentation mode on (the window's style class, larger cells)
 * and off again. */
static void
check_presentation (Keys       *k,
                    const char *accel)
{
  GtkWidget *window = GTK_WIDGET (k->window);

  g_assert_false (gtk_widget_has_css_class (window, "presentation"));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_true (gtk_widget_has_css_class (window, "presentation"));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_false (gtk_widget_has_css_class (window, "presentation"));
}

/* Ctrl+Shift+R asks where to record (the file chooser); cancelling it
 * records nothing. */
static void
check_record (Keys       *k,
              const char *accel)
{
  GtkWindow *chooser;

  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  chooser = wait_shown (GTK_TYPE_FILE_CHOOSER_DIALOG, accel);
  gtk_window_close (chooser);
  wait_bool (k->window, "recording", FALSE, accel);
}

static gboolean
diff_on (gpointer data)
{
  return ps_window_get_snapshot (PS_WINDOW (data)) != NULL;
}

/* Ctrl+Shift+F freezes a snapshot: the diff's actions turn on; they are
 * turned off again for the next key. */
static void
check_freeze (Keys       *k,
              const char *accel)
{
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  if (!ps_test_wait_until (diff_on, k->window, 10000))
    g_error ("%s froze no snapshot", accel);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (k->window), "win.stop-diff", NULL));
  g_assert_false (diff_on (k->window));
}

/* Ctrl+Shift+D, with a snapshot, shows only the changed rows, and again
 * the hex view. */
static void
check_diff_only_changed (Keys       *k,
                         const char *accel)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (k->window), "win.freeze", NULL));
  g_assert_true (ps_test_wait_until (diff_on, k->window, 10000));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  wait_bool (k->window, "diff-only-changed", TRUE, accel);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  wait_bool (k->window, "diff-only-changed", FALSE, accel);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (k->window), "win.stop-diff", NULL));
}

/* Ctrl+Z puts back what a write changed. */
static void
check_undo (Keys       *k,
            const char *accel)
{
  PsSession *session = k->window->session;
  guint8 *data = ps_source_get_data (ps_session_get_source (session));
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\x5a\x5a", 2);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (data[16], ==, 0);
  g_assert_true (ps_session_write (session, 16, bytes, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (data[16], ==, 0x5a);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_cmpuint (data[16], ==, 0);
  g_assert_false (ps_session_can_undo (session));
}

static void
check_find_bar (Keys       *k,
                const char *accel)
{
  gtk_widget_grab_focus (GTK_WIDGET (k->window->grid));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_true (ps_test_wait_until (focus_in_find_bar, k, 10000));
  ps_ui_test_press (GTK_WINDOW (k->window), GDK_KEY_Escape, 0);
  gtk_widget_grab_focus (GTK_WIDGET (k->window->grid));
}

typedef struct
{
  PsSession *session;
  guint64    want;
} CursorWait;

static gboolean
cursor_is (gpointer data)
{
  CursorWait *w = data;

  return ps_session_get_cursor (w->session) == w->want;
}

static gboolean
match_selected (gpointer data)
{
  CursorWait *w = data;
  PsRange range;

  return ps_session_get_selection (w->session, &range) && range.offset == w->want && range.length == 4;
}

/* The file holds "KEYS" at page 1 and page 2 (written in setup): from the
 * start, next selects the one at page 1, and previous goes round to page 2. */
static void
check_find (Keys       *k,
            const char *accel,
            gboolean    backward)
{
  CursorWait w = { k->window->session, 0 };
  GtkEditable *entry = ps_ui_test_child (k->window->find_bar, "entry");
  PsRange range = { 0, 0 };

  ps_find_bar_show (k->window->find_bar, "\"KEYS\"");
  ps_hex_view_goto (k->window->hex, 0);
  gtk_widget_grab_focus (GTK_WIDGET (k->window->hex));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  w.want = backward ? 2 * k->page : k->page;
  if (!ps_test_wait_until (match_selected, &w, 10000))
    {
      ps_session_get_selection (w.session, &range);
      g_error ("%s: the selection is %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT ", not %" G_GUINT64_FORMAT "+4",
               accel, range.offset, range.length, w.want);
    }
  gtk_editable_set_text (entry, "");
}

static void
check_find_next (Keys *k, const char *accel)     { check_find (k, accel, FALSE); }
static void
check_find_previous (Keys *k, const char *accel) { check_find (k, accel, TRUE); }

static gboolean
popover_focused (gpointer data)
{
  Keys *k = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (k->window));

  return focus != NULL && GTK_IS_TEXT (focus) &&
         gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL &&
         gtk_widget_get_mapped (focus);
}

/* Ctrl+L: the go-to entry; typing into it and Enter moves the cursor. */
static void
check_goto (Keys       *k,
            const char *accel)
{
  CursorWait w = { k->window->session, 0x123 };

  gtk_widget_grab_focus (GTK_WIDGET (k->window->grid));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_true (ps_test_wait_until (popover_focused, k, 10000));
  gtk_editable_set_text (GTK_EDITABLE (gtk_root_get_focus (GTK_ROOT (k->window))), "0x123");
  ps_ui_test_press (GTK_WINDOW (k->window), GDK_KEY_Return, 0);
  g_assert_true (ps_test_wait_until (cursor_is, &w, 10000));
}

static void
check_mark (Keys       *k,
            const char *accel)
{
  GListModel *marks = ps_session_get_marks (k->window->session);
  guint before = g_list_model_get_n_items (marks);

  ps_hex_view_set_selection (k->window->hex, 32, 16);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_cmpuint (g_list_model_get_n_items (marks), ==, before + 1);
}

static void
check_export (Keys       *k,
              const char *accel)
{
  GtkWindow *chooser;

  g_assert_null (k->window->export_chooser);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_nonnull (k->window->export_chooser);
  chooser = wait_shown (GTK_TYPE_FILE_CHOOSER_DIALOG, accel);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_null (k->window->export_chooser);
}

static void
check_preferences (Keys       *k,
                   const char *accel)
{
  GtkWindow *preferences;

  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  preferences = wait_shown (PS_TYPE_PREFERENCES_WINDOW, accel);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (k->window));
  ps_ui_test_close (preferences);
}

static void
check_help_overlay (Keys       *k,
                    const char *accel)
{
  GtkWindow *overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (k->window)));

  g_assert_nonnull (overlay);
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_true (wait_shown (GTK_TYPE_SHORTCUTS_WINDOW, accel) == overlay);
  ps_ui_test_press (overlay, GDK_KEY_Escape, 0);
  wait_bool (overlay, "visible", FALSE, "Escape");
}

static void
check_new_window (Keys       *k,
                  const char *accel)
{
  guint before = count_windows ();
  GtkWindow *made = NULL;

  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  g_assert_cmpuint (count_windows (), ==, before + 1);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (PS_IS_WINDOW (l->data) && l->data != k->window)
      made = l->data;
  g_assert_nonnull (made);
  gtk_window_destroy (made);
}

/* Ctrl+Shift+V: the Add View menu opens under its button. */
static void
check_add_view_menu (Keys       *k,
                     const char *accel)
{
  GtkPopover *popover;

  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  popover = gtk_menu_button_get_popover (ps_window_views_get_add_button (k->window));
  g_assert_nonnull (popover);
  wait_bool (popover, "visible", TRUE, accel);
  gtk_popover_popdown (popover);
  wait_bool (popover, "visible", FALSE, "popdown");
}

static gboolean
panes_are (gpointer data)
{
  Keys *k = data;

  return ps_window_views_get_n_panes (k->window) == k->want_panes;
}

/* Ctrl+Shift+W: a view added beside the window's own closes again. */
static void
check_close_view (Keys       *k,
                  const char *accel)
{
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  guint n = ps_window_views_get_n_panes (k->window);

  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (k->path);
  spec.flags = PS_MAP_PREAD;
  g_assert_true (ps_window_views_add (k->window, &spec, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ps_window_views_get_n_panes (k->window), ==, n + 1);
  k->want_panes = n;
  gtk_widget_grab_focus (GTK_WIDGET (ps_view_pane_get_grid (ps_window_views_get_pane (k->window, n))));
  ps_ui_test_press_accel (GTK_WINDOW (k->window), accel);
  if (!ps_test_wait_until (panes_are, k, 10000))
    g_error ("%s: the added view is still open (focus %s)", accel, G_OBJECT_TYPE_NAME (gtk_root_get_focus (GTK_ROOT (k->window))));
}

/* A window of its own, closed by Ctrl+W. */
static void
check_close (Keys       *k,
             const char *accel)
{
  PsWindow *other = ps_window_new (app);
  guint before;

  gtk_window_present (GTK_WINDOW (other));
  ps_ui_test_wait_drawn (GTK_WIDGET (other));
  before = count_windows ();
  ps_ui_test_press_accel (GTK_WINDOW (other), accel);
  g_assert_cmpuint (count_windows (), ==, before - 1);
}

/* Last of all: every window closes. */
static void
check_quit (Keys       *k,
            const char *accel)
{
  PsWindow *other = ps_window_new (app);

  gtk_window_present (GTK_WINDOW (other));
  ps_ui_test_wait_drawn (GTK_WIDGET (other));
  g_assert_cmpuint (count_windows (), ==, 2);
  ps_ui_test_press_accel (GTK_WINDOW (other), accel);
  g_assert_cmpuint (count_windows (), ==, 0);
  k->window = NULL;
}

typedef void (*Check) (Keys *k, const char *accel);

static const struct
{
  const char *action;   /* as the shortcuts window names it; the key for Space */
  Check       check;
} checks[] = {
  { "win.show-help-overlay", check_help_overlay },
  { "win.open-dialog::file", check_open_dialog },
  { "app.new-window", check_new_window },
  { "app.preferences", check_preferences },
  { "space", check_pause },
  { "win.zoom-in", check_zoom_in },
  { "win.zoom-out", check_zoom_out },
  { "win.zoom-fit", check_zoom_fit },
  { "win.toggle-log", check_toggle_log },
  { "win.presentation", check_presentation },
  { "win.record", check_record },
  { "win.freeze", check_freeze },
  { "win.diff-only-changed", check_diff_only_changed },
  { "win.toggle-inspector", check_toggle_inspector },
  { "win.color-mode::activity", check_activity },
  { "win.color-mode::content", check_content },
  { "win.color-mode::residency", check_residency },
  { "win.color-mode::cow", check_cow },
  { "win.find-bar", check_find_bar },
  { "win.find-next", check_find_next },
  { "win.find-previous", check_find_previous },
  { "win.goto-dialog", check_goto },
  { "win.mark::", check_mark },
  { "win.export-dialog", check_export },
  { "win.write-dialog", check_write_dialog },
  { "win.undo", check_undo },
  { "win.msync-dialog", check_msync_dialog },
  { "win.writers-dialog", check_writers_dialog },
  { "win.probe-dialog", check_probe_dialog },
  { "<Control><Shift>v", check_add_view_menu },
  { "<Control><Shift>w", check_close_view },
  { "win.close", check_close },
  { "app.quit", check_quit },
};

/* ---- the shortcuts window ---- */

typedef struct
{
  char *title;
  char *action;        /* NULL: a binding listed by its keys */
  char *accelerator;
} Listed;

static void
listed_free (gpointer data)
{
  Listed *l = data;

  g_free (l->title);
  g_free (l->action);
  g_free (l->accelerator);
  g_free (l);
}

/* The shortcuts of the sections (the window also holds copies of them for
 * its search). */
static void
collect_shortcuts (GtkWidget *widget,
                   GPtrArray *out)
{
  if (GTK_IS_SHORTCUTS_WINDOW (widget))
    {
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
        collect_shortcuts (child, out);
      return;
    }
  if (GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "internal-search") != NULL)
    {
      GtkSelectionModel *pages = gtk_stack_get_pages (GTK_STACK (widget));

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (pages), i);
          GtkStackPage *page = GTK_STACK_PAGE (item);

          if (GTK_IS_SHORTCUTS_SECTION (gtk_stack_page_get_child (page)))
            collect_shortcuts (gtk_stack_page_get_child (page), out);
        }
      g_object_unref (pages);
      return;
    }
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      Listed *l = g_new0 (Listed, 1);

      g_object_get (widget, "title", &l->title, "action-name", &l->action, "accelerator", &l->accelerator, NULL);
      g_ptr_array_add (out, l);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_shortcuts (child, out);
}

static Check
check_for (const Listed *l)
{
  const char *key = l->action != NULL ? l->action : l->accelerator;

  /* the replay window's timeline keys: test-time-ui /time/replay presses
   * each on a real recording's timeline */
  if (l->action == NULL && g_str_has_prefix (l->title, "Replay: "))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    if (g_str_equal (checks[i].action, key))
      return checks[i].check;
  g_error ("the shortcuts window lists \"%s\" (%s), which this test does not check", l->title, key);
}

/* The detailed name the shortcuts window would show for an accelerator's
 * action ("win.mark::" for an empty string target). */
static gboolean
listed_has_action (GPtrArray  *listed,
                   const char *detailed)
{
  g_autofree char *name = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_action_parse_detailed_name (detailed, &name, &target, &error));
  for (guint i = 0; i < listed->len; i++)
    {
      Listed *l = g_ptr_array_index (listed, i);
      g_autofree char *lname = NULL;
      g_autoptr(GVariant) ltarget = NULL;

      if (l->action == NULL || !g_action_parse_detailed_name (l->action, &lname, &ltarget, NULL))
        continue;
      if (g_str_equal (name, lname) &&
          ((target == NULL && ltarget == NULL) ||
           (target != NULL && ltarget != NULL && g_variant_equal (target, ltarget))))
        return TRUE;
    }
  return FALSE;
}

static void
test_every_shortcut (void)
{
  Keys k = { 0 };
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func (listed_free);
  g_autofree char *why = NULL;
  g_auto(GStrv) accel_actions = NULL;
  GtkWindow *overlay;
  int fd;

  if (!ps_ui_test_keys_available (&why))
    {
      g_test_skip (why);
      return;
    }
  k.page = ps_test_page_size ();
  k.path = ps_test_file ("shortcuts", 4 * k.page, 0);
  fd = open (k.path, O_WRONLY);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "KEYS", 4, k.page), ==, 4);
  g_assert_cmpint (pwrite (fd, "KEYS", 4, 2 * k.page), ==, 4);
  close (fd);

  k.window = ps_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (k.window), 1300, 800);
  gtk_window_present (GTK_WINDOW (k.window));
  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (k.path);
  spec.flags = PS_MAP_WRITABLE;
  g_assert_true (ps_window_open_spec (k.window, &spec, &error));
  g_assert_no_error (error);
  ps_ui_test_wait_drawn (GTK_WIDGET (k.window));

  /* Ctrl+? opens the shortcuts window: each shortcut shows its keys */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (k.window)));
  ps_ui_test_press_accel (GTK_WINDOW (k.window), "<Control>question");
  overlay = wait_shown (GTK_TYPE_SHORTCUTS_WINDOW, "Ctrl+?");
  g_assert_true (gtk_window_get_transient_for (overlay) == GTK_WINDOW (k.window));
  collect_shortcuts (GTK_WIDGET (overlay), listed);
  g_assert_cmpuint (listed->len, >=, 20);
  for (guint i = 0; i < listed->len; i++)
    {
      Listed *l = g_ptr_array_index (listed, i);

      g_test_message ("%s: %s (%s)", l->title, l->accelerator, l->action ? l->action : "binding");
      if (l->accelerator == NULL || *l->accelerator == '\0')
        g_error ("the shortcuts window shows no keys for \"%s\" (%s)", l->title, l->action);
    }
  /* and every accelerator of the application is listed */
  accel_actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; accel_actions[i] != NULL; i++)
    if (!listed_has_action (listed, accel_actions[i]))
      g_error ("%s has keys, but the shortcuts window does not list it", accel_actions[i]);
  ps_ui_test_press (overlay, GDK_KEY_Escape, 0);
  wait_bool (overlay, "visible", FALSE, "Escape");

  /* each listed key, in the order of the checks (quit last) */
  for (guint c = 0; c < G_N_ELEMENTS (checks); c++)
    for (guint i = 0; i < listed->len; i++)
      {
        Listed *l = g_ptr_array_index (listed, i);
        g_auto(GStrv) accels = NULL;

        if (check_for (l) != checks[c].check)
          continue;
        accels = g_strsplit (l->accelerator, " ", -1);
        for (guint a = 0; accels[a] != NULL; a++)
          {
            if (*accels[a] == '\0')
              continue;
            g_test_message ("pressing %s: %s", accels[a], l->title);
            g_assert_nonnull (k.window);
            checks[c].check (&k, accels[a]);
          }
      }
  g_assert_null (k.window);
  g_free (k.path);
}

/* ---- the log: one Tab stop, arrows inside, a context menu from the keys ---- */

static PsWindow *
open_window (Keys *k)
{
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  PsWindow *window = ps_window_new (app);

  k->page = ps_test_page_size ();
  k->path = ps_test_file ("shortcuts", 4 * k->page, 0);
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 800);
  gtk_window_present (GTK_WINDOW (window));
  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (k->path);
  spec.flags = PS_MAP_WRITABLE;
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  g_assert_no_error (error);
  ps_ui_test_wait_drawn (GTK_WIDGET (window));
  return window;
}

/* How many of the window's Tab stops are in the log. */
static guint
stops_in_log (PsWindow *window,
              guint    *total)
{
  g_autoptr(GPtrArray) chain = ps_ui_test_tab_chain (GTK_WINDOW (window));
  guint n = 0;

  for (guint i = 0; i < chain->len; i++)
    n += gtk_widget_is_ancestor (g_ptr_array_index (chain, i), GTK_WIDGET (window->log_view));
  *total = chain->len;
  return n;
}

static const char *
focused_line (PsWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (window->log_view)))
    return NULL;
  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_first_child (w))
    if (GTK_IS_LABEL (w))
      return gtk_label_get_text (GTK_LABEL (w));
  return NULL;
}

typedef struct
{
  PsWindow   *window;
  const char *want;
} LineWait;

static gboolean
line_focused (gpointer data)
{
  LineWait *w = data;

  return g_strcmp0 (focused_line (w->window), w->want) == 0;
}

static gboolean
log_at_end (gpointer data)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (data)));

  ps_ui_test_wait_frame (data);
  return gtk_adjustment_get_upper (adj) > gtk_adjustment_get_page_size (adj) &&
         gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >= gtk_adjustment_get_upper (adj) - 1;
}

static gboolean
menu_open (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (ps_log_view_get_menu (data)));
}

static gboolean
menu_closed (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (ps_log_view_get_menu (data)));
}

static void
on_clipboard_text (GObject      *clipboard,
                   GAsyncResult *result,
                   gpointer      data)
{
  *(char **) data = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, NULL);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_log_keys (void)
{
  Keys k = { 0 };
  g_autofree char *why = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *start = NULL;
  PsEventLog *log;
  guint total_before, total_after;
  LineWait w;
  GtkWidget *first;

  if (!ps_ui_test_keys_available (&why))
    {
      g_test_skip (why);
      return;
    }
  k.window = open_window (&k);
  log = ps_session_get_log (k.window->session);

  /* the log is one Tab stop, however long it grows */
  g_assert_cmpuint (stops_in_log (k.window, &total_before), ==, 1);
  for (guint i = 0; i < 60; i++)
    ps_event_log_add (log, FALSE, "line %u of the test", i);
  /* the log follows its newest line: let it get there first */
  g_assert_true (ps_test_wait_until (log_at_end, k.window->log_view, 10000));
  g_assert_cmpuint (stops_in_log (k.window, &total_after), ==, 1);
  g_assert_cmpuint (total_after, ==, total_before);

  /* Tab lands on a line; Down and Up move between lines */
  gtk_window_set_focus (GTK_WINDOW (k.window), NULL);
  while (focused_line (k.window) == NULL)
    g_signal_emit_by_name (k.window, "move-focus", GTK_DIR_TAB_FORWARD);
  first = gtk_root_get_focus (GTK_ROOT (k.window));
  start = g_strdup (focused_line (k.window));
  ps_ui_test_press (GTK_WINDOW (k.window), GDK_KEY_Down, 0);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (k.window)) != first);
  g_assert_nonnull (focused_line (k.window));
  g_assert_cmpstr (focused_line (k.window), !=, start);
  ps_ui_test_press (GTK_WINDOW (k.window), GDK_KEY_Up, 0);
  w = (LineWait) { k.window, start };
  g_assert_true (ps_test_wait_until (line_focused, &w, 10000));

  /* Shift+F10 opens the menu on the focused line; Escape closes it, and
   * the focus is back on that line */
  ps_ui_test_press (GTK_WINDOW (k.window), GDK_KEY_F10, GDK_SHIFT_MASK);
  g_assert_true (ps_test_wait_until (menu_open, k.window->log_view, 10000));
  g_assert_cmpstr (ps_log_view_get_menu_line (k.window->log_view), ==, w.want);
  ps_ui_test_press (GTK_WINDOW (k.window), GDK_KEY_Escape, 0);
  g_assert_true (ps_test_wait_until (menu_closed, k.window->log_view, 10000));
  /* the Menu key too; Copy Line puts that line on the clipboard */
  if (!ps_test_wait_until (line_focused, &w, 3000)) { GtkWidget *f = gtk_root_get_focus (GTK_ROOT (k.window)); g_printerr ("FOCUS %s '%s' want '%s' parent %s\n", f ? G_OBJECT_TYPE_NAME (f) : "none", focused_line (k.window), w.want, f ? G_OBJECT_TYPE_NAME (gtk_widget_get_parent (f)) : ""); }
  ps_ui_test_press (GTK_WINDOW (k.window), GDK_KEY_Menu, 0);
  g_assert_true (ps_test_wait_until (menu_open, k.window->log_view, 10000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (k.window->log_view), "log.copy-line", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (k.window)), NULL, on_clipboard_text, &copied);
  g_assert_true (ps_test_wait_until (is_set, &copied, 10000));
  g_assert_cmpstr (copied, ==, w.want);
  gtk_popover_popdown (ps_log_view_get_menu (k.window->log_view));

  gtk_window_destroy (GTK_WINDOW (k.window));
  g_free (k.path);
}

/* ---- window shortcuts with the focus in the Add View menu ---- */

static void
add_pread_view (Keys *k)
{
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;

  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (k->path);
  spec.flags = PS_MAP_PREAD;
  g_assert_true (ps_window_views_add (k->window, &spec, &error));
  g_assert_no_error (error);
}

/* Ctrl+Shift+W closes the view with the focus in the Add View menu (open)
 * and on its button, as everywhere else in the window. */
static void
test_close_view_from_add_menu (void)
{
  Keys k = { 0 };
  g_autofree char *why = NULL;
  GtkMenuButton *button;
  GtkPopover *popover;

  if (!ps_ui_test_keys_available (&why))
    {
      g_test_skip (why);
      return;
    }
  k.window = open_window (&k);
  ps_ui_test_wait_active (GTK_WINDOW (k.window));
  button = ps_window_views_get_add_button (k.window);

  /* the menu open (Ctrl+Shift+V), the focus in it */
  add_pread_view (&k);
  g_assert_cmpuint (ps_window_views_get_n_panes (k.window), ==, 1);
  ps_ui_test_press_accel (GTK_WINDOW (k.window), "<Control><Shift>v");
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  wait_bool (popover, "visible", TRUE, "Ctrl+Shift+V");
  ps_ui_test_wait_frame (GTK_WIDGET (popover));
  ps_ui_test_press_accel (GTK_WINDOW (k.window), "<Control><Shift>w");
  k.want_panes = 0;
  if (!ps_test_wait_until (panes_are, &k, 10000))
    g_error ("Ctrl+Shift+W in the Add View menu: the view is still open");
  wait_bool (popover, "visible", FALSE, "Ctrl+Shift+W");

  /* the focus on the menu's button, the menu closed */
  add_pread_view (&k);
  gtk_widget_grab_focus (GTK_WIDGET (button));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (k.window)), GTK_WIDGET (button)) ||
                 gtk_root_get_focus (GTK_ROOT (k.window)) == GTK_WIDGET (button));
  ps_ui_test_press_accel (GTK_WINDOW (k.window), "<Control><Shift>w");
  if (!ps_test_wait_until (panes_are, &k, 10000))
    g_error ("Ctrl+Shift+W on the Add View button: the view is still open");

  gtk_window_destroy (GTK_WINDOW (k.window));
  g_free (k.path);
}

int
main (int   argc,
      char *argv[])
{
  app = ps_ui_test_app_new (&argc, &argv);
  g_test_add_func ("/shortcuts/every-shortcut", test_every_shortcut);
  g_test_add_func ("/shortcuts/log", test_log_keys);
  g_test_add_func ("/shortcuts/close-view-from-add-menu", test_close_view_from_add_menu);
  return g_test_run ();
}
