/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Presentation mode in a real window under Xvfb: win.presentation (F11)
 * makes a 3-page mapping's cells grow past the 32-pixel cap to fill the
 * pane, the hex view's font larger, and back; a probe's marks get legend
 * entries; long toasts show their head and explain the rest. */
#include "config.h"

#include <string.h>

#include "ps-hex-view-private.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

static PsApplication *app;
static gsize          PAGE;

static gboolean
has_frame (gpointer data)
{
  PsWindow *window = data;
  PsScanner *scanner = ps_session_get_scanner (window->session);

  return scanner != NULL && ps_scanner_get_frame (scanner) != NULL;
}

static int
hex_font_size (PsWindow *window)
{
  return window->hex->font != NULL ? pango_font_description_get_size (window->hex->font) : 0;
}

typedef struct
{
  PsWindow *window;
  guint     min_cell;     /* the grid's cell at least this... */
  guint     max_cell;     /* ...and at most this */
  int       min_font;     /* the hex view's font at least this big (Pango units) */
  int       max_font;
} Want;

static gboolean
looks (gpointer data)
{
  Want *w = data;
  guint cell = ps_page_grid_get_cell_size (w->window->grid);
  int font = hex_font_size (w->window);

  return cell >= w->min_cell && cell <= w->max_cell && font >= w->min_font && font <= w->max_font;
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static char *
legend_text (PsWindow *window)
{
  GString *out = g_string_new (NULL);

  collect_labels (GTK_WIDGET (window->legend), out);
  return g_string_free (out, FALSE);
}

static gboolean
legend_has_sigbus (gpointer data)
{
  g_autofree char *text = legend_text (data);

  return strstr (text, "probed: SIGBUS") != NULL;
}

static void
test_toggle (void)
{
  g_autofree char *path = ps_test_file ("present", 100, 'p');
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  PsWindow *window = ps_ui_test_window_new (app);
  int font;
  guint cell;

  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup (path);
  spec.length = 3 * PAGE;
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  g_assert_no_error (error);
  g_assert_true (ps_test_wait_until (has_frame, window, 5000));
  ps_ui_test_wait_drawn (GTK_WIDGET (window->hex));
  ps_ui_test_wait_frame (GTK_WIDGET (window));

  /* a window of 1000 x 700: three pages stop at the 32-pixel cap */
  cell = ps_page_grid_get_cell_size (window->grid);
  font = hex_font_size (window);
  g_assert_cmpuint (cell, ==, PS_GRID_MAX_CELL);
  g_assert_cmpint (font, >, 0);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));

  /* on: cells as large as the pane allows, a larger hex font */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL));
  g_assert_true (window->presenting);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  {
    Want want = { window, 64, PS_GRID_PRESENT_MAX_CELL, font * 3 / 2, G_MAXINT };

    if (!ps_test_wait_until (looks, &want, 5000))
      g_error ("presentation mode: cell %u px, hex font %d (was %u px, %d)",
               ps_page_grid_get_cell_size (window->grid), hex_font_size (window), cell, font);
  }

  /* a probe past EOF marks its page: the legend says what the mark means */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.probe", "s", "0x2000 read"));
  if (!ps_test_wait_until (legend_has_sigbus, window, 10000))
    {
      g_autofree char *text = legend_text (window);

      g_error ("no legend entry for the SIGBUS mark; the legend says:\n%s", text);
    }

  /* off: back to the cap and the usual font */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL));
  g_assert_false (window->presenting);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  {
    Want want = { window, 1, PS_GRID_MAX_CELL, font, font };

    if (!ps_test_wait_until (looks, &want, 5000))
      g_error ("after presentation mode: cell %u px, hex font %d (was %u px, %d)",
               ps_page_grid_get_cell_size (window->grid), hex_font_size (window), cell, font);
  }
}

/* ---- the high-contrast heat ---- */

typedef struct
{
  PsWindow *window;
  guint32   want;
} Paint;

static guint32
painted_page (PsWindow *window,
              guint64   page)
{
  g_autoptr(GdkTexture) texture = NULL;
  GdkRectangle area;

  ps_ui_test_wait_frame (GTK_WIDGET (window->grid));
  texture = ps_ui_test_render (GTK_WIDGET (window->grid));
  g_assert_true (ps_page_grid_get_page_area (window->grid, page, &area));
  return ps_ui_test_pixel (texture, area.x + area.width / 2, area.y + area.height / 2);
}

static gboolean
paints (gpointer data)
{
  Paint *p = data;

  return painted_page (p->window, 0) == p->want;
}

/* A cold page in the activity mode, as each palette paints it (opaque). */
static guint32
cold (gboolean high_contrast)
{
  return ps_grid_palette_for (PS_GRID_ACTIVITY | (high_contrast ? PS_GRID_HIGH_CONTRAST : 0))
           ->table[PS_GRID_ACTIVITY][PS_PAGE_RESIDENT << 3];
}

static PsWindow *
cold_window (void)
{
  g_autofree char *path = ps_test_file ("contrast", 3 * PAGE, 'h');
  PsWindow *window = ps_ui_test_window_on_file (app, path, PS_MAP_DEFAULT, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.color-mode", "s", "activity"));
  g_assert_true (ps_test_wait_until (has_frame, window, 5000));
  return window;
}

static void
wait_paints (PsWindow *window,
             guint32   want)
{
  Paint p = { window, want };

  if (!ps_test_wait_until (paints, &p, 5000))
    g_error ("page 0 painted %08x, expected %08x", painted_page (window, 0), want);
}

/* Presentation mode paints the heat with the high-contrast palette (black,
 * blue, cyan, yellow: far apart in lightness), and the legend's swatches
 * with it; leaving it paints the usual one again. */
static void
test_high_contrast_heat (void)
{
  PsWindow *window;

  g_assert_cmphex (cold (TRUE), !=, cold (FALSE));
  if (g_test_subprocess ())
    {
      /* GTK's high contrast (ADW_DEBUG_HIGH_CONTRAST=1, set by the parent) */
      g_assert_true (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()));
      window = cold_window ();
      g_assert_false (window->presenting);
      g_assert_true (ps_page_grid_get_high_contrast (window->grid));
      wait_paints (window, cold (TRUE));
      return;
    }

  window = cold_window ();
  g_assert_false (ps_page_grid_get_high_contrast (window->grid));
  wait_paints (window, cold (FALSE));
  g_assert_false (ps_grid_legend_get_mode (window->legend) & PS_GRID_HIGH_CONTRAST);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL));
  g_assert_true (ps_page_grid_get_high_contrast (window->grid));
  wait_paints (window, cold (TRUE));
  g_assert_true (ps_grid_legend_get_mode (window->legend) & PS_GRID_HIGH_CONTRAST);
  g_assert_cmphex (ps_page_grid_mode_legend (ps_grid_legend_get_mode (window->legend), NULL)[0].color, ==,
                   ps_grid_palette_for (PS_GRID_HIGH_CONTRAST)->heat[0][1]);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL));
  g_assert_false (ps_page_grid_get_high_contrast (window->grid));
  wait_paints (window, cold (FALSE));
  ps_ui_test_close (GTK_WINDOW (window));

  /* the same with GTK's high contrast on, in a process of its own */
  g_setenv ("ADW_DEBUG_HIGH_CONTRAST", "1", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("ADW_DEBUG_HIGH_CONTRAST");
  g_test_trap_assert_passed ();
}

/* Toasts fit: a long message shows its head and an Explain button, which
 * shows all of it; a short one shows whole; markup characters stay text. */
static void
test_toasts_fit (void)
{
  const char *message = "0x2000: SIGBUS — The page lies wholly past the end of the file (EOF rounded up to a page "
                        "is 4096) but inside the mapping, so the kernel has no page to map and sends SIGBUS.";
  PsWindow *window = ps_ui_test_window_new (app);
  g_autoptr(AdwToast) toast = NULL;
  AdwMessageDialog *dialog;

  toast = ps_window_make_toast ("Wrote 4 bytes at 0x10");
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "Wrote 4 bytes at 0x10");
  g_assert_null (adw_toast_get_button_label (toast));
  g_clear_object (&toast);

  toast = ps_window_make_toast ("a <b> & c");
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "a &lt;b&gt; &amp; c");
  g_clear_object (&toast);

  toast = ps_window_make_toast (message);
  g_assert_cmpstr (adw_toast_get_title (toast), ==, "0x2000: SIGBUS");
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "Explain");
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "win.show-message");
  g_assert_cmpstr (g_variant_get_string (adw_toast_get_action_target_value (toast), NULL), ==, message);

  /* a head with no separator: cut, with an ellipsis, within the width */
  g_clear_object (&toast);
  toast = ps_window_make_toast ("abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij abcdefghij");
  g_assert_cmpuint (g_utf8_strlen (adw_toast_get_title (toast), -1), ==, PS_TOAST_FITS);
  g_assert_true (g_str_has_suffix (adw_toast_get_title (toast), "…"));

  /* Explain: the whole message in a dialog over the window */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-message", "s", message));
  dialog = ADW_MESSAGE_DIALOG (ps_ui_test_find_toplevel ("AdwMessageDialog", GTK_WINDOW (window)));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, message);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int argc, char **argv)
{
  int rc;

  app = ps_ui_test_app_new (&argc, &argv);
  PAGE = ps_test_page_size ();
  g_test_add_func ("/presentation/toggle", test_toggle);
  g_test_add_func ("/presentation/toasts-fit", test_toasts_fit);
  g_test_add_func ("/presentation/high-contrast-heat", test_high_contrast_heat);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
