/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lessons window under Xvfb: each lesson's steps run with Next (Enter),
 * each shows what this machine did and that its check held; what a lesson
 * made goes with the window. */
#include "config.h"

#include "ps-lesson-window.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"

static PsApplication *app;

static void
test_lesson (gconstpointer data)
{
  const char *id = data;
  GtkWindow *window = ps_lesson_window_new (NULL, id);
  PsLesson *lesson;
  guint n;

  gtk_window_present (window);
  ps_ui_test_wait_drawn (GTK_WIDGET (window));
  lesson = ps_lesson_window_get_lesson (PS_LESSON_WINDOW (window));
  g_assert_cmpstr (ps_lesson_get_info (lesson)->id, ==, id);
  n = ps_lesson_get_n_steps (lesson);
  for (guint i = 0; i < n; i++)
    {
      gboolean held = FALSE;

      g_assert_cmpstr (ps_lesson_window_get_seen (PS_LESSON_WINDOW (window), i, NULL), ==, "");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "lesson.next", NULL));
      ps_assert_contains (ps_lesson_window_get_seen (PS_LESSON_WINDOW (window), i, &held), "Seen: ");
      g_assert_true (held);
    }
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  app = ps_ui_test_app_new (&argc, &argv);
  g_test_add_data_func ("/lesson-window/past-eof", "past-eof", test_lesson);
  g_test_add_data_func ("/lesson-window/sysv", "sysv", test_lesson);
  g_test_add_data_func ("/lesson-window/private", "private", test_lesson);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
