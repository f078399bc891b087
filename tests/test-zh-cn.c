/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Nothing the user reads stays English under zh_CN unless it is meant to.
 * With LANGUAGE=zh_CN, every text of the main window (wide and narrow, its
 * panes and menus) and of each dialog (labels, buttons, row titles and
 * subtitles, tooltips, placeholders, window titles, drop-down choices) that
 * still has a Latin word once the names that stay English are taken out
 * (Pagescope, MAP_SHARED, SIGBUS, system calls, paths, numbers, units...)
 * must be one of the catalogue's translations (po/zh_CN.po's msgstr, a
 * printf format matching), or it was never marked for translation, or it is
 * missing from the catalogue. The shortcuts window shows every key. */
#include "config.h"

#include <string.h>

#include "ps-i18n.h"
#include "ps-lesson-window.h"
#include "ps-open-dialog.h"
#include "ps-preferences-window.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

static PsApplication *app;

/* ---- the catalogue -------------------------------------------------------- */

typedef struct
{
  GHashTable *exact;      /* every msgstr */
  GPtrArray  *formats;    /* GRegex of each msgstr with a printf directive and CJK text */
} Catalogue;

static Catalogue catalogue;

/* The string of the field starting at lines[*i] (msgstr "..." and its
 * continuation lines), unescaped; *i is left on its last line. */
static char *
po_string (char **lines,
           guint *i)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (;;)
    {
      const char *open = strchr (lines[*i], '"');
      const char *close = strrchr (lines[*i], '"');

      if (open != NULL && close > open)
        g_string_append_len (joined, open + 1, close - open - 1);
      if (lines[*i + 1] == NULL || lines[*i + 1][0] != '"')
        break;
      (*i)++;
    }
  return g_strcompress (joined->str);
}

static gboolean
has_cjk (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

/* "已写入 %zu 字节于 0x%" PRIx64 → a regex for what it prints. */
static GRegex *
format_regex (const char *msgstr)
{
  g_autoptr(GString) pattern = g_string_new ("^");
  g_autoptr(GRegex) directive = g_regex_new ("%(?:[0-9]+\\$)?[-+ #0]*[0-9*]*(?:\\.[0-9*]+)?(?:hh|h|ll|l|z|j|t|L|<PRI[a-zA-Z0-9]+>)?[diouxXeEfgGcsp%]",
                                             0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *rest = msgstr;

  g_regex_match (directive, msgstr, 0, &match);
  while (g_match_info_matches (match))
    {
      int start, end;
      g_autofree char *literal = NULL;
      g_autofree char *escaped = NULL;
      g_autofree char *word = g_match_info_fetch (match, 0);

      g_match_info_fetch_pos (match, 0, &start, &end);
      literal = g_strndup (rest, msgstr + start - rest);
      escaped = g_regex_escape_string (literal, -1);
      g_string_append (pattern, escaped);
      g_string_append (pattern, g_str_equal (word, "%%") ? "%" : ".+");
      rest = msgstr + end;
      g_match_info_next (match, NULL);
    }
  if (rest == msgstr)
    return NULL;   /* no directive */
  {
    g_autofree char *escaped = g_regex_escape_string (rest, -1);

    g_string_append (pattern, escaped);
  }
  g_string_append (pattern, "$");
  return g_regex_new (pattern->str, G_REGEX_DOTALL, 0, NULL);
}

static void
add_msgstr (const char *msgstr)
{
  GRegex *regex;

  if (*msgstr == '\0')
    return;
  g_hash_table_add (catalogue.exact, g_strdup (msgstr));
  /* a format kept all in Latin ("%s · %s", "%.2f ms") would let anything
   * through: only those that say something in Chinese */
  if (has_cjk (msgstr) && (regex = format_regex (msgstr)) != NULL)
    g_ptr_array_add (catalogue.formats, regex);
}

static void
load_catalogue (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "po", "zh_CN.po", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  catalogue.exact = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  catalogue.formats = g_ptr_array_new_with_free_func ((GDestroyNotify) g_regex_unref);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "msgstr"))
      {
        g_autofree char *msgstr = po_string (lines, &i);

        add_msgstr (msgstr);
      }
  g_assert_cmpuint (g_hash_table_size (catalogue.exact), >, 500);
}

/* ---- what may stay English -------------------------------------------------- */

static GRegex *allowed;

static void
make_allowlist (void)
{
  const char *names[] = {
    /* the app, the kernel's and the libraries' names */
    "Pagescope", "SysV", "POSIX", "Linux", "GTK", "libadwaita", "GLib", "cairo", "OpenGL", "llvmpipe",
    "Gsk[A-Za-z]+Renderer", "XXH3", "JSON", "CPU", "EOF", "MAP_[A-Z_]+", "MS_[A-Z]+", "IPC_[A-Z]+", "SIG[A-Z]+",
    "O_[A-Z]+", "PROT_[A-Z_]+", "MADV_[A-Z_]+", "BUS_[A-Z]+", "SEGV_[A-Z]+", "PR_[A-Z_]+",
    /* system calls, as the log and the actions name them */
    "mmap", "munmap", "msync", "mincore", "madvise", "shmat", "shmdt", "shmget", "shmctl", "shm_open",
    "shm_unlink", "ftruncate", "fstat", "open", "close", "fork", "waitpid", "kill", "pread", "pwrite",
    "smaps", "pagemap", "Shared_Dirty", "Private_Dirty",
    /* value types, units and keys */
    "[ui](?:8|16|32|64)", "f32", "f64", "BE", "LE", "[KMGT]i?B", "kB", "[KMG]", "uid", "gid", "pid", "shmid",
    /* keys, as GTK names them in menus and the shortcuts window */
    "Ctrl", "Shift", "Alt", "Super", "F[0-9]+", "Insert", "Delete", "Home", "End", "Page_Up", "Page_Down",
    "Return", "Enter", "Escape", "Tab", "Backspace", "Menu", "Space", "Up", "Down", "Left", "Right",
    /* the licence's name */
    "GPL", "GNU",
  };
  g_autoptr(GString) pattern = g_string_new (
    /* a path, a URL, an address, a number, an option, an identifier */
    "\\S*/\\S*|\\b[a-z]+://\\S+|\\S+@\\S+|\\b0x[0-9a-fA-F]+\\b|--?[a-z][a-z-]*|\\b[a-z]+_[a-z_]+\\b");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_append_printf (pattern, "|\\b%s\\b", names[i]);
  allowed = g_regex_new (pattern->str, G_REGEX_OPTIMIZE, 0, NULL);
  g_assert_nonnull (allowed);
}

static gboolean
has_latin_word (const char *text)
{
  g_autofree char *left = g_regex_replace_literal (allowed, text, -1, 0, " ", 0, NULL);
  int run = 0;

  for (const char *p = left; *p != '\0'; p++)
    {
      run = g_ascii_isalpha (*p) ? run + 1 : 0;
      if (run >= 2)
        return TRUE;
    }
  return FALSE;
}

static gboolean
translated (const char *text)
{
  if (g_hash_table_contains (catalogue.exact, text))
    return TRUE;
  for (guint i = 0; i < catalogue.formats->len; i++)
    if (g_regex_match (g_ptr_array_index (catalogue.formats, i), text, 0, NULL))
      return TRUE;
  return FALSE;
}

/* ---- walking what the user sees ------------------------------------------------ */

typedef struct
{
  const char *where;
  GPtrArray  *problems;
  guint       checked;
} Walk;

static void
check_text (Walk       *walk,
            const char *what,
            const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  walk->checked++;
  if (has_latin_word (text) && !translated (text))
    g_ptr_array_add (walk->problems, g_strdup_printf ("%s, %s: \"%s\"", walk->where, what, text));
}

/* A label's own string: its mnemonic underscore and markup as the catalogue
 * has them. */
static char *
label_string (GtkLabel *label)
{
  const char *raw = gtk_label_get_label (label);
  char *text = NULL;

  if (gtk_label_get_use_markup (label) && pango_parse_markup (raw, -1, 0, NULL, &text, NULL, NULL))
    return text;
  return g_strdup (raw);
}

static void
check_strings (Walk        *walk,
               const char  *what,
               GListModel  *model)
{
  if (!GTK_IS_STRING_LIST (model))
    return;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    check_text (walk, what, gtk_string_list_get_string (GTK_STRING_LIST (model), i));
}

static void
check_menu (Walk       *walk,
            GMenuModel *model)
{
  if (model == NULL)
    return;
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (model, i);
      GMenuModel *linked;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        check_text (walk, "menu item", label);
      while (g_menu_link_iter_get_next (links, NULL, &linked))
        {
          check_menu (walk, linked);
          g_object_unref (linked);
        }
    }
}

static void
walk_widget (Walk      *walk,
             GtkWidget *widget)
{
  /* the segment tables' cells are the system's (owners, commands): their
   * headings are ours */
  if (GTK_IS_COLUMN_VIEW (widget))
    {
      GListModel *columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (widget));

      for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

          check_text (walk, "column", gtk_column_view_column_get_title (column));
        }
      return;
    }
  /* the system calls stay as the kernel names them */
  if (PS_IS_LOG_VIEW (widget))
    {
      check_menu (walk, gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (ps_log_view_get_menu (PS_LOG_VIEW (widget)))));
      return;
    }
  check_text (walk, "tooltip", gtk_widget_get_tooltip_text (widget));
  if (GTK_IS_WINDOW (widget))
    check_text (walk, "window title", gtk_window_get_title (GTK_WINDOW (widget)));
  if (GTK_IS_LABEL (widget))
    {
      g_autofree char *text = label_string (GTK_LABEL (widget));

      check_text (walk, "label", text);
    }
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL &&
      gtk_button_get_child (GTK_BUTTON (widget)) == NULL)
    check_text (walk, "button", gtk_button_get_label (GTK_BUTTON (widget)));
  if (ADW_IS_PREFERENCES_ROW (widget))
    check_text (walk, "row title", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget))
    check_text (walk, "row subtitle", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  if (ADW_IS_EXPANDER_ROW (widget))
    check_text (walk, "row subtitle", adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (widget)));
  if (ADW_IS_PREFERENCES_GROUP (widget))
    {
      check_text (walk, "group title", adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)));
      check_text (walk, "group description", adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (widget)));
    }
  if (ADW_IS_STATUS_PAGE (widget))
    {
      check_text (walk, "status title", adw_status_page_get_title (ADW_STATUS_PAGE (widget)));
      check_text (walk, "status description", adw_status_page_get_description (ADW_STATUS_PAGE (widget)));
    }
  if (ADW_IS_WINDOW_TITLE (widget))
    check_text (walk, "subtitle", adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget)));
  if (GTK_IS_TEXT (widget))
    check_text (walk, "placeholder", gtk_text_get_placeholder_text (GTK_TEXT (widget)));
  if (GTK_IS_DROP_DOWN (widget))
    check_strings (walk, "choice", gtk_drop_down_get_model (GTK_DROP_DOWN (widget)));
  if (ADW_IS_COMBO_ROW (widget))
    check_strings (walk, "choice", adw_combo_row_get_model (ADW_COMBO_ROW (widget)));
  if (GTK_IS_MENU_BUTTON (widget))
    check_menu (walk, gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));
  if (ADW_IS_SPLIT_BUTTON (widget))
    {
      check_text (walk, "tooltip", adw_split_button_get_dropdown_tooltip (ADW_SPLIT_BUTTON (widget)));
      check_menu (walk, adw_split_button_get_menu_model (ADW_SPLIT_BUTTON (widget)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    walk_widget (walk, child);
}

static void
check_window (GtkWindow  *window,
              const char *where,
              GPtrArray  *problems)
{
  Walk walk = { where, problems, 0 };

  ps_ui_test_wait_drawn (GTK_WIDGET (window));
  walk_widget (&walk, GTK_WIDGET (window));
  g_test_message ("%s: %u texts", where, walk.checked);
  g_assert_cmpuint (walk.checked, >, 3);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return toplevel;
    }
  g_error ("no %s", g_type_name (type));
}

static void
report (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("not translated: %s", (char *) g_ptr_array_index (problems, i));
  if (problems->len > 0)
    g_error ("%u texts are English under zh_CN (first: %s)", problems->len, (char *) g_ptr_array_index (problems, 0));
}

/* ---- the tests ------------------------------------------------------------------ */

static PsWindow *
open_window (int width)
{
  g_autoptr(GError) error = NULL;
  PsWindow *window;

  g_settings_set_int (ps_application_get_settings (app), "window-width", width);
  window = ps_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ps_window_open_demo (window, &error));
  g_assert_no_error (error);
  ps_ui_test_wait_drawn (GTK_WIDGET (window));
  return window;
}

static void
test_window (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  PsWindow *window = open_window (1300);
  PsWindow *narrow = open_window (360);
  const PsDialogKind kinds[] = { PS_DIALOG_WRITE, PS_DIALOG_MSYNC, PS_DIALOG_WRITERS, PS_DIALOG_PROBE };
  const char *names[] = { "write dialog", "msync dialog", "writers dialog", "probe dialog" };

  /* the empty window, then the panes shown */
  {
    PsWindow *empty = ps_window_new (app);

    gtk_window_present (GTK_WINDOW (empty));
    check_window (GTK_WINDOW (empty), "empty window", problems);
    gtk_window_destroy (GTK_WINDOW (empty));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-inspector", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.find-bar", NULL));
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  check_window (GTK_WINDOW (window), "window", problems);
  g_assert_true (ps_window_get_narrow (narrow));
  check_window (GTK_WINDOW (narrow), "narrow window", problems);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      ps_window_present_dialog (window, kinds[i], G_MAXUINT64);
      check_window (window->dialogs[kinds[i]], names[i], problems);
      gtk_window_destroy (window->dialogs[kinds[i]]);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open-dialog", "s", "sysv"));
  check_window (find_toplevel (PS_TYPE_OPEN_DIALOG), "open dialog", problems);
  gtk_window_destroy (find_toplevel (PS_TYPE_OPEN_DIALOG));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  check_window (find_toplevel (PS_TYPE_PREFERENCES_WINDOW), "preferences", problems);
  gtk_window_destroy (find_toplevel (PS_TYPE_PREFERENCES_WINDOW));
  g_action_group_activate_action (G_ACTION_GROUP (app), "lessons", NULL);
  check_window (find_toplevel (PS_TYPE_LESSON_WINDOW), "lessons", problems);
  gtk_window_destroy (find_toplevel (PS_TYPE_LESSON_WINDOW));

  report (problems);
  gtk_window_destroy (GTK_WINDOW (narrow));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
collect_keys (GtkWidget *widget,
              GPtrArray *missing,
              guint     *n)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *title = NULL, *accelerator = NULL;

      g_object_get (widget, "title", &title, "accelerator", &accelerator, NULL);
      (*n)++;
      if (accelerator == NULL || *accelerator == '\0')
        g_ptr_array_add (missing, g_steal_pointer (&title));
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_keys (child, missing, n);
}

/* In Chinese too, the shortcuts window shows the keys of every shortcut. */
static void
test_shortcuts_window (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  PsWindow *window = open_window (1300);
  GtkWindow *overlay;
  guint n = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  check_window (overlay, "shortcuts window", problems);
  collect_keys (GTK_WIDGET (overlay), missing, &n);
  g_assert_cmpuint (n, >=, 20);
  for (guint i = 0; i < missing->len; i++)
    g_test_message ("no keys: %s", (char *) g_ptr_array_index (missing, i));
  g_assert_cmpuint (missing->len, ==, 0);
  report (problems);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The check itself: an English text is caught, a translated one passes. */
static void
test_check_catches (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  Walk walk = { "self-test", problems, 0 };

  check_text (&walk, "label", "Pause or resume the scanner");
  check_text (&walk, "label", "10 ms");
  g_assert_cmpuint (problems->len, ==, 2);
  check_text (&walk, "label", g_dgettext (GETTEXT_PACKAGE, "Pause or resume the scanner"));
  check_text (&walk, "label", "MAP_SHARED · /tmp/pagescope-demo-1-X 0x1000");
  check_text (&walk, "label", "msync");
  {
    g_autofree char *interval = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "%u ms"), 10);

    check_text (&walk, "label", interval);
  }
  g_assert_cmpuint (problems->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  ps_i18n_init ();
  app = ps_ui_test_app_new (&argc, &argv);
  load_catalogue ();
  make_allowlist ();
  g_test_add_func ("/zh-cn/check-catches", test_check_catches);
  g_test_add_func ("/zh-cn/window-and-dialogs", test_window);
  g_test_add_func ("/zh-cn/shortcuts-window", test_shortcuts_window);
  return g_test_run ();
}
