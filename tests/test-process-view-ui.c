/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A process view in the window, under Xvfb: a child's MAP_PRIVATE page,
 * its private copy counted, writing refused with the reason, and the status
 * saying so when the child exits. */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ps-application.h"
#include "ps-status-bar-private.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

static PsApplication *app;

typedef struct
{
  const char *path;
  int         ready[2];
  int         hold[2];
} Holder;

/* The child: maps the file MAP_PRIVATE, writes its own copy of page 0,
 * says so, and holds it until its hold pipe reads EOF. Async-signal-safe. */
static int
holder_main (gpointer data)
{
  Holder *h = data;
  int fd = open (h->path, O_RDONLY | O_CLOEXEC);
  char *addr;
  char c;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  close (h->hold[1]);
  addr = mmap (NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  if (addr == MAP_FAILED)
    return 1;
  memcpy (addr + 20, "000000016", 9);
  (void) !write (h->ready[1], "r", 1);
  while (read (h->hold[0], &c, 1) == 1)
    ;
  return 0;
}

static gboolean
has_frame (gpointer data)
{
  PsWindow *window = data;
  PsFrame *frame = ps_session_get_frame (ps_window_get_session (window));

  return frame != NULL && frame->n_private_copies == 1;
}

static gboolean
says_gone (gpointer data)
{
  PsWindow *window = data;
  const char *text = gtk_label_get_text (ps_status_bar_get_label (window->status_bar, PS_STATUS_FLAGS));

  return strstr (text, "The process exited") != NULL;
}

static char *
last_error (PsWindow *window)
{
  PsEventLog *log = ps_session_get_log (ps_window_get_session (window));
  char *last = NULL;

  ps_event_log_flush (log);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(PsLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (ps_log_entry_is_error (entry))
        {
          g_free (last);
          last = g_strdup (ps_log_entry_get_text (entry));
        }
    }
  return last;
}

static void
test_window_view (void)
{
  g_autofree char *path = ps_test_file ("pview-ui", 2 * 4096, 'c');
  g_autofree char *expected_title = NULL;
  g_autofree char *refusal = NULL;
  g_autoptr(GError) error = NULL;
  PsSourceSpec spec = { 0 };
  Holder h = { path };
  struct pollfd ready;
  PsWindow *window;
  pid_t pid;
  guint8 bytes[9];
  char c;

  g_assert_cmpint (pipe2 (h.ready, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (h.hold, O_CLOEXEC), ==, 0);
  pid = ps_test_fork (holder_main, &h);
  close (h.ready[1]);
  close (h.hold[0]);
  ready = (struct pollfd) { h.ready[0], POLLIN, 0 };
  g_assert_cmpint (poll (&ready, 1, 10000), ==, 1);
  g_assert_cmpint (read (h.ready[0], &c, 1), ==, 1);

  window = ps_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  spec.kind = PS_SOURCE_PROCESS;
  spec.pid = pid;
  spec.path = path;
  g_assert_true (ps_window_open_spec (window, &spec, &error));
  g_assert_no_error (error);
  g_assert_true (ps_test_wait_until (has_frame, window, 10000));
  ps_ui_test_wait_frame (GTK_WIDGET (window));

  expected_title = g_strdup_printf ("pid %d ", (int) pid);
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), expected_title));
  ps_assert_contains (gtk_window_get_title (GTK_WINDOW (window)), "MAP_PRIVATE");
  ps_assert_contains (adw_window_title_get_subtitle (window->title), "another process");
  g_assert_true (ps_source_peek (ps_session_get_source (ps_window_get_session (window)), 20, bytes, 9, NULL));
  g_assert_cmpmem (bytes, 9, "000000016", 9);

  /* writing is refused, and the log says why */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.write-bytes", "s", "0 41");
  refusal = last_error (window);
  ps_assert_contains (refusal, "it can only be watched");

  /* the child exits: the status says so, the bytes stay */
  close (h.hold[1]);
  ps_test_reap (pid, 10000);
  g_assert_true (ps_test_wait_until (says_gone, window, 10000));
  g_assert_true (ps_source_peek (ps_session_get_source (ps_window_get_session (window)), 20, bytes, 9, NULL));
  g_assert_cmpmem (bytes, 9, "000000016", 9);

  gtk_window_destroy (GTK_WINDOW (window));
  close (h.ready[0]);
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  app = ps_ui_test_app_new (&argc, &argv);
  g_test_add_func ("/process-view-ui/window", test_window_view);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
