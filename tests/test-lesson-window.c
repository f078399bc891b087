/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lessons window under Xvfb: each lesson's steps run with Next (Enter),
 * each shows what this machine did and that its check held; what a lesson
 * made goes with the window. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

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

/* Processes whose parent is this one (zombies too). */
static guint
count_children (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", name);
      g_autofree char *stat = NULL;
      const char *close_paren;
      int ppid = 0;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      close_paren = strrchr (stat, ')');
      if (close_paren != NULL && sscanf (close_paren + 2, "%*c %d", &ppid) == 1 && ppid == getpid ())
        n++;
    }
  return n;
}

typedef struct
{
  GtkWindow *window;
  guint      n_live;
  guint      children;   /* while the step ran */
  gboolean   close;      /* close the window from inside the step */
} SyncRun;

static void
on_live (PsLesson *lesson,
         GParamSpec *pspec,
         SyncRun  *run)
{
  if (ps_lesson_get_live (lesson) == NULL)
    return;
  run->n_live++;
  run->children = MAX (run->children, count_children ());
  /* the window shows the figures under the running step */
  ps_assert_contains (ps_lesson_window_get_seen (PS_LESSON_WINDOW (run->window), 0, NULL), "increments");
  /* Next does nothing while a step runs */
  if (run->n_live == 1)
    gtk_widget_activate_action (GTK_WIDGET (run->window), "lesson.next", NULL);
  if (run->close && run->n_live == 1)
    gtk_window_destroy (run->window);
}

/* The sync lesson's first step: its figures show live while its writers
 * run (one a core, at least two), Next waits, and the step holds: lost
 * updates and torn records without a lock. */
static void
test_sync_live (void)
{
  SyncRun run = { ps_lesson_window_new (NULL, "sync") };
  PsLesson *lesson = ps_lesson_window_get_lesson (PS_LESSON_WINDOW (run.window));
  gboolean held = FALSE;

  g_signal_connect (lesson, "notify::live", G_CALLBACK (on_live), &run);
  gtk_window_present (run.window);
  ps_ui_test_wait_drawn (GTK_WIDGET (run.window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (run.window), "lesson.next", NULL));
  g_assert_cmpuint (run.n_live, >, 0);
  g_assert_cmpuint (run.children, >=, 2);
  ps_assert_contains (ps_lesson_window_get_seen (PS_LESSON_WINDOW (run.window), 0, &held), "were lost");
  g_assert_true (held);
  g_assert_cmpstr (ps_lesson_window_get_seen (PS_LESSON_WINDOW (run.window), 1, NULL), ==, "");
  g_assert_cmpuint (count_children (), ==, 0);
  gtk_window_destroy (run.window);
}

/* Closing the window while a step runs ends the step: its writers are
 * stopped and reaped, nothing is left. */
static void
test_sync_close (void)
{
  SyncRun run = { ps_lesson_window_new (NULL, "sync"), .close = TRUE };
  g_autoptr(PsLesson) lesson = g_object_ref (ps_lesson_window_get_lesson (PS_LESSON_WINDOW (run.window)));

  g_signal_connect (lesson, "notify::live", G_CALLBACK (on_live), &run);
  gtk_window_present (run.window);
  ps_ui_test_wait_drawn (GTK_WIDGET (run.window));
  g_object_ref (run.window);
  gtk_widget_activate_action (GTK_WIDGET (run.window), "lesson.next", NULL);
  g_assert_cmpuint (run.n_live, ==, 1);
  g_assert_false (ps_lesson_is_running (lesson));
  g_assert_cmpuint (count_children (), ==, 0);
  /* the step was ended, not finished: the lesson still waits for it */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *observed = NULL;
    gboolean held;

    g_assert_false (ps_lesson_run_step (lesson, 1, &held, &observed, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
  g_object_unref (run.window);
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
  g_test_add_func ("/lesson-window/sync/live", test_sync_live);
  g_test_add_func ("/lesson-window/sync/close", test_sync_close);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
