/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The About window, opened by app.about as the primary menu does: it says
 * what the installed metainfo says (its path in $PAGESCOPE_METAINFO). */
#include "config.h"

#include "ps-test-util.h"
#include "ps-ui-test-app.h"

static PsApplication *app;

static gboolean
about_shown (gpointer data)
{
  AdwAboutWindow **about = data;
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        *about = ADW_ABOUT_WINDOW (window);
    }
  return *about != NULL;
}

/* The text of <TAG ATTRIBUTES> in the metainfo, which must be there. */
static char *
metainfo_text (const char *metainfo,
               const char *open_tag)
{
  g_autofree char *close_tag = g_strdup_printf ("</%.*s>", (int) strcspn (open_tag + 1, " >"), open_tag + 1);
  const char *start = strstr (metainfo, open_tag);
  const char *end;

  if (start == NULL)
    g_error ("the metainfo has no %s", open_tag);
  start += strlen (open_tag);
  end = strstr (start, close_tag);
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static void
test_about (void)
{
  g_autofree char *metainfo = NULL;
  g_autofree char *homepage = NULL, *bugtracker = NULL, *developer = NULL;
  g_autoptr(GError) error = NULL;
  AdwAboutWindow *about = NULL;
  const char * const *developers;

  g_file_get_contents (g_getenv ("PAGESCOPE_METAINFO"), &metainfo, NULL, &error);
  g_assert_no_error (error);
  homepage = metainfo_text (metainfo, "<url type=\"homepage\">");
  bugtracker = metainfo_text (metainfo, "<url type=\"bugtracker\">");
  developer = metainfo_text (metainfo, "<developer_name>");

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (ps_test_wait_until (about_shown, &about, 10000));

  g_assert_cmpstr (adw_about_window_get_website (about), ==, homepage);
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==, bugtracker);
  g_assert_cmpstr (adw_about_window_get_developer_name (about), ==, developer);
  developers = adw_about_window_get_developers (about);
  g_assert_nonnull (developers);
  g_assert_cmpstr (developers[0], ==, developer);
  g_assert_cmpstr (adw_about_window_get_copyright (about), ==, "© 2026 The Pagescope developers");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  /* the metainfo's release is this version's */
  ps_assert_contains (metainfo, "<release version=\"" PACKAGE_VERSION "\"");

  ps_ui_test_close (GTK_WINDOW (about));
}

int
main (int argc, char **argv)
{
  app = ps_ui_test_app_new (&argc, &argv);
  g_assert_nonnull (g_getenv ("PAGESCOPE_METAINFO"));

  g_test_add_func ("/about/metainfo", test_about);
  return g_test_run ();
}
