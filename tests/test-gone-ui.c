/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The object goes from under a real window (under Xvfb): a SysV segment
 * removed with IPC_RMID, a POSIX segment unlinked, the file replaced by
 * another of the same name. The window says what happened in its banner,
 * keeps scanning and showing the old mapping, enables Reopen only once
 * something new answers to the name, and Reopen opens that. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

static PsApplication *app;
static gsize          PAGE;

#define DEADLINE_MS 10000

static PsFrame *
frame_of (PsWindow *window)
{
  return ps_session_get_frame (window->session);
}

static gboolean
has_frame (gpointer data)
{
  return frame_of (data) != NULL;
}

static gboolean
banner_shown (gpointer data)
{
  PsWindow *window = data;
  return gtk_revealer_get_reveal_child (window->gone_revealer);
}

static GtkWidget *
reopen_button (PsWindow *window)
{
  return GTK_WIDGET (window->gone_reopen);
}

static gboolean
reopen_enabled (gpointer data)
{
  return gtk_widget_is_sensitive (reopen_button (data));
}

typedef struct
{
  PsWindow *window;
  guint64   after;
} Serial;

/* A frame of a pass later than after, that still sees the object removed. */
static gboolean
removed_frame_after (gpointer data)
{
  Serial *s = data;
  PsFrame *frame = frame_of (s->window);

  return frame != NULL && frame->serial > s->after && (frame->flags & PS_FRAME_REMOVED);
}

/* The banner came and says what happened (why, in the call's name) and
 * whether Reopen can open something; the window still scans and shows the
 * old mapping, byte old_fill, its size old_size. */
static void
assert_gone_and_working (PsWindow   *window,
                         const char *why,
                         gboolean    taken,
                         guint8      old_fill,
                         guint64     old_size)
{
  PsSource *source = ps_session_get_source (window->session);
  const char *text;
  Serial s = { window, 0 };

  g_assert_true (ps_test_wait_until (banner_shown, window, DEADLINE_MS));
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  text = gtk_label_get_text (window->gone_label);
  g_test_message ("banner: %s", text);
  ps_assert_contains (text, why);
  ps_assert_contains (text, "this window still shows");
  if (taken)
    {
      g_assert_true (ps_test_wait_until (reopen_enabled, window, DEADLINE_MS));
      ps_assert_contains (gtk_label_get_text (window->gone_label), "Reopen opens it");
    }
  else
    {
      ps_assert_contains (text, "Reopen becomes possible");
      g_assert_false (reopen_enabled (window));
    }
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->gone_label)));

  /* it keeps working: new passes over the same mapping, the old bytes */
  g_assert_true (ps_session_get_source (window->session) == source);
  s.after = frame_of (window)->serial;
  g_assert_true (ps_test_wait_until (removed_frame_after, &s, DEADLINE_MS));
  s.after = frame_of (window)->serial;
  g_assert_true (ps_test_wait_until (removed_frame_after, &s, DEADLINE_MS));
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, old_size);
  g_assert_cmpuint (ps_source_get_data (source)[0], ==, old_fill);
  g_assert_cmpuint (ps_source_get_data (source)[old_size - 1], ==, old_fill);
}

typedef struct
{
  PsWindow *window;
  PsSource *old;
} Reopened;

/* A frame of the new source, which is not removed. */
static gboolean
new_frame (gpointer data)
{
  Reopened *r = data;
  PsSource *source = ps_session_get_source (r->window->session);
  PsFrame *frame = frame_of (r->window);

  return source != NULL && source != r->old && frame != NULL && !(frame->flags & PS_FRAME_REMOVED) &&
         frame->geometry.object_size == ps_source_get_geometry (source)->object_size;
}

/* Reopen opens the new object: its size and bytes; the banner goes, and
 * Reopen with it. */
static void
assert_reopens (PsWindow *window,
                guint8    new_fill,
                guint64   new_size)
{
  Reopened r = { window, ps_session_get_source (window->session) };
  PsSource *source;

  g_assert_true (ps_test_wait_until (reopen_enabled, window, DEADLINE_MS));
  ps_assert_contains (gtk_label_get_text (window->gone_label), "Reopen opens it");
  g_object_ref (r.old);
  ps_ui_test_click (reopen_button (window));
  g_assert_true (ps_test_wait_until (new_frame, &r, DEADLINE_MS));
  g_object_unref (r.old);
  source = ps_session_get_source (window->session);
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, new_size);
  g_assert_cmpuint (ps_source_get_data (source)[0], ==, new_fill);
  g_assert_cmpuint (ps_source_get_data (source)[new_size - 1], ==, new_fill);
  g_assert_false (gtk_revealer_get_reveal_child (window->gone_revealer));
  g_assert_false (reopen_enabled (window));
  ps_ui_test_wait_frame (GTK_WIDGET (window));
}

static PsWindow *
open_window (const PsSourceSpec *spec)
{
  PsWindow *window = ps_ui_test_window_open (app, spec);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (ps_test_wait_until (has_frame, window, DEADLINE_MS));
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  /* nothing gone yet: no banner, nothing to reopen */
  g_assert_false (gtk_revealer_get_reveal_child (window->gone_revealer));
  g_assert_false (reopen_enabled (window));
  return window;
}

static void
fill_posix (const char *name,
            gsize       size,
            guint8      fill)
{
  int fd = shm_open (name, O_RDWR, 0);
  g_autofree guint8 *bytes = g_malloc (size);

  g_assert_cmpint (fd, >=, 0);
  memset (bytes, fill, size);
  g_assert_cmpint (pwrite (fd, bytes, size, 0), ==, (gssize) size);
  close (fd);
}

static void
fill_sysv (int    shmid,
           gsize  size,
           guint8 fill)
{
  void *at = shmat (shmid, NULL, 0);

  g_assert_true (at != (void *) -1);
  memset (at, fill, size);
  shmdt (at);
}

/* The file replaced by another of the same name, as an editor saves
 * (a new file renamed over the old): the banner says so, offers Reopen at
 * once, and Reopen opens the new file. */
static void
test_file_replaced (void)
{
  g_autofree char *path = ps_test_file ("gone-file", 4 * PAGE, 'a');
  g_autofree char *replacement = g_malloc (8 * PAGE);
  g_autoptr(GError) error = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_FILE, .path = path };
  PsWindow *window = open_window (&spec);

  memset (replacement, 'b', 8 * PAGE);
  /* g_file_set_contents writes a new file and renames it over the name */
  g_assert_true (g_file_set_contents (path, replacement, 8 * PAGE, &error));
  g_assert_no_error (error);
  assert_gone_and_working (window, "was deleted or replaced by another file", TRUE, 'a', 4 * PAGE);
  assert_reopens (window, 'b', 8 * PAGE);
}

/* shm_unlink of the open segment: the banner says so, Reopen waits until a
 * new segment of that name exists, then opens it. */
static void
test_posix_unlinked (void)
{
  g_autofree char *name = ps_test_posix_segment ("gone", 4 * PAGE);
  PsSourceSpec spec = { .kind = PS_SOURCE_POSIX, .name = name };
  PsWindow *window;
  int fd;

  fill_posix (name, 4 * PAGE, 'a');
  window = open_window (&spec);
  g_assert_cmpint (shm_unlink (name), ==, 0);
  assert_gone_and_working (window, "was unlinked (shm_unlink)", FALSE, 'a', 4 * PAGE);

  /* a new segment of the name (the test's cleanup unlinks it) */
  fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 8 * PAGE), ==, 0);
  close (fd);
  fill_posix (name, 8 * PAGE, 'b');
  assert_reopens (window, 'b', 8 * PAGE);
}

/* IPC_RMID of the attached segment: the banner says so, Reopen waits until
 * a new segment has the key, then attaches it. */
static void
test_sysv_removed (void)
{
  key_t key = ps_test_free_sysv_key ();
  int shmid = ps_test_sysv_segment (key, 4 * PAGE, 0600);
  PsSourceSpec spec = { .kind = PS_SOURCE_SYSV, .key = key };
  PsWindow *window;
  int fresh;

  fill_sysv (shmid, 4 * PAGE, 'a');
  window = open_window (&spec);
  g_assert_cmpint (shmctl (shmid, IPC_RMID, NULL), ==, 0);
  assert_gone_and_working (window, "was removed (IPC_RMID)", FALSE, 'a', 4 * PAGE);

  fresh = shmget (key, 8 * PAGE, IPC_CREAT | IPC_EXCL | 0600);
  g_assert_cmpint (fresh, >=, 0);
  ps_test_queue_rmid (fresh);
  fill_sysv (fresh, 8 * PAGE, 'b');
  assert_reopens (window, 'b', 8 * PAGE);
  g_assert_cmpint (ps_source_get_shmid (ps_session_get_source (window->session)), ==, fresh);
}

int
main (int argc, char **argv)
{
  int rc;

  PAGE = ps_test_page_size ();
  app = ps_ui_test_app_new (&argc, &argv);

  g_test_add_func ("/gone/file-replaced", test_file_replaced);
  g_test_add_func ("/gone/posix-unlinked", test_posix_unlinked);
  g_test_add_func ("/gone/sysv-removed", test_sysv_removed);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
