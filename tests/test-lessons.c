/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every lesson runs, without a display, and every one of its checks holds
 * on this machine; what a lesson made is gone after it. */
#include "config.h"

#include <sys/shm.h>

#include "ps-lesson.h"
#include "ps-test-util.h"

static void
test_lesson (gconstpointer data)
{
  const char *id = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsLesson) lesson = ps_lesson_new (id, &error);
  guint n;

  g_assert_no_error (error);
  n = ps_lesson_get_n_steps (lesson);
  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *observed = NULL;
      gboolean held = FALSE;

      g_assert_nonnull (ps_lesson_get_step_claim (lesson, i));
      if (!ps_lesson_run_step (lesson, i, &held, &observed, &error))
        g_error ("%s step %u could not run: %s", id, i + 1, error->message);
      if (!held)
        g_error ("%s step %u: the check did not hold: %s", id, i + 1, observed);
      g_test_message ("%s %u: %s", id, i + 1, observed);
    }
  /* steps run in order, once */
  {
    g_autofree char *observed = NULL;
    gboolean held;

    g_assert_false (ps_lesson_run_step (lesson, 0, &held, &observed, &error));
    g_clear_error (&error);
  }
  ps_lesson_clean_up (lesson);
}

static void
test_unknown (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (ps_lesson_new ("nonsense", &error));
  ps_assert_contains (error->message, "msync");
}

int
main (int   argc,
      char *argv[])
{
  guint n;
  const PsLessonInfo *lessons;

  ps_test_init (&argc, &argv);
  lessons = ps_lesson_list (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("/lessons/%s", lessons[i].id);
      g_test_add_data_func (path, lessons[i].id, test_lesson);
    }
  g_test_add_func ("/lessons/unknown", test_unknown);
  return g_test_run ();
}
