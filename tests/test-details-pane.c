/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Details pane's lifecycle panel in a real window under Xvfb, on real
 * segments: a child process attaches (its pid and name appear, the attach
 * count goes up), the permissions change (IPC_SET), IPC_RMID while attached
 * (removed, the key turns to 0), the child detaches; a POSIX segment mapped
 * by a child, then unlinked. Nothing is polled by hand: the pane reads again
 * by itself, and the test waits for what it shows, with a deadline. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <unistd.h>

#include "ps-details-pane-private.h"
#include "ps-status-bar-private.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"

static PsApplication *app;
static gsize          PAGE;

/* ---- waiting for what the pane shows ---- */

typedef struct
{
  PsDetailsPane *pane;
  const char    *has;      /* NULL: anything */
  const char    *lacks;    /* NULL: nothing */
} Expect;

static gboolean
pane_shows (gpointer data)
{
  Expect *e = data;
  g_autofree char *text = ps_details_pane_dup_text (e->pane);

  return (e->has == NULL || strstr (text, e->has) != NULL) &&
         (e->lacks == NULL || strstr (text, e->lacks) == NULL);
}

/* Fails, showing the pane, unless within 5 s it shows has and not lacks. */
static void
wait_pane (PsWindow   *window,
           const char *has,
           const char *lacks)
{
  Expect e = { window->details, has, lacks };

  if (!ps_test_wait_until (pane_shows, &e, 5000))
    {
      g_autofree char *text = ps_details_pane_dup_text (window->details);

      g_error ("the details pane never showed \"%s\"%s%s%s; it shows:\n%s", has ? has : "",
               lacks ? " without \"" : "", lacks ? lacks : "", lacks ? "\"" : "", text);
    }
}

static PsWindow *
open_window (PsSourceSpec *spec)
{
  g_autoptr(GError) error = NULL;
  PsWindow *window = ps_ui_test_window_new (app);

  g_assert_true (ps_window_open_spec (window, spec, &error));
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (window));
  gtk_stack_set_visible_child_name (window->bottom_stack, "details");
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->details)));
  return window;
}

/* ---- SysV ---- */

static void
test_sysv_live (void)
{
  key_t key = ps_test_free_sysv_key ();
  int shmid = ps_test_sysv_segment (key, PAGE, 0600);
  g_auto(PsSourceSpec) spec = { 0 };
  g_autofree char *me = g_strdup_printf ("pid %d: ", (int) getpid ());
  g_autofree char *key_text = g_strdup_printf ("Key: 0x%08x", (guint32) key);
  g_autofree char *child_row = NULL;
  PsTestAttacher a = { .shmid = shmid };
  struct shmid_ds ds;
  PsWindow *window;
  pid_t pid;

  spec.kind = PS_SOURCE_SYSV;
  spec.key = key;
  window = open_window (&spec);

  /* one page, in the singular */
  ps_assert_contains (gtk_label_get_text (ps_status_bar_get_label (window->status_bar, PS_STATUS_PAGES)), "1 page (0 past EOF)");

  /* this window's own attach, named as such */
  wait_pane (window, "Attached (shm_nattch): 1\n", NULL);
  wait_pane (window, me, NULL);
  wait_pane (window, "(this window's process)", NULL);
  wait_pane (window, key_text, NULL);
  wait_pane (window, "State: live, attached 1 time:", NULL);
  wait_pane (window, "Permissions: 0600 (rw-------)", NULL);

  /* another process attaches: the count and its pid and name follow */
  a.inherited = ps_source_get_data (ps_session_get_source (window->session));
  pid = ps_test_attacher_start (&a);
  child_row = g_strdup_printf ("pid %d: ps-attacher", (int) pid);
  wait_pane (window, child_row, NULL);
  wait_pane (window, "Attached (shm_nattch): 2\n", NULL);
  wait_pane (window, "State: live, attached 2 times:", NULL);

  /* permissions changed by IPC_SET show without reopening */
  g_assert_no_errno (shmctl (shmid, IPC_STAT, &ds));
  ds.shm_perm.mode = 0640;
  g_assert_no_errno (shmctl (shmid, IPC_SET, &ds));
  wait_pane (window, "Permissions: 0640 (rw-r-----)", NULL);

  /* IPC_RMID while attached: removed, and the key turns to 0 */
  g_assert_no_errno (shmctl (shmid, IPC_RMID, NULL));
  wait_pane (window, "State: removed (IPC_RMID, SHM_DEST set), still attached by 2", NULL);
  wait_pane (window, "Key: 0x00000000 (IPC_PRIVATE): IPC_RMID set it to 0", NULL);
  wait_pane (window, "The key's parts: If ftok(path, id) made it", NULL);

  /* the child detaches: its row goes, the count drops */
  ps_test_attacher_detach (&a, pid);
  wait_pane (window, "Attached (shm_nattch): 1\n", child_row);
  wait_pane (window, "still attached by 1:", NULL);
}

static guint reads_before;

static gboolean
read_more (gpointer data)
{
  PsWindow *window = data;

  return ps_details_pane_get_reads (window->details) > reads_before;
}

/* Nothing is read while the pane is not on screen. */
static void
test_reads_only_shown (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_auto(PsSourceSpec) spec = { 0 };
  PsWindow *window;

  ps_test_sysv_segment (key, PAGE, 0600);
  spec.kind = PS_SOURCE_SYSV;
  spec.key = key;
  window = open_window (&spec);
  wait_pane (window, "Attached (shm_nattch): 1\n", NULL);

  gtk_stack_set_visible_child_name (window->bottom_stack, "log");
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (window->details)));
  reads_before = ps_details_pane_get_reads (window->details);
  g_assert_false (ps_details_pane_is_refreshing (window->details));

  /* shown again, it reads again */
  gtk_stack_set_visible_child_name (window->bottom_stack, "details");
  g_assert_true (ps_test_wait_until (read_more, window, 5000));
}

/* ---- POSIX ---- */

static void
test_posix_live (void)
{
  g_autofree char *name = ps_test_posix_segment ("details", PAGE);
  g_auto(PsSourceSpec) spec = { 0 };
  g_autofree char *child_row = NULL;
  g_autofree char *unlinked = NULL;
  PsTestAttacher a = { .posix_name = name };
  PsWindow *window;
  pid_t pid;

  spec.kind = PS_SOURCE_POSIX;
  spec.name = g_strdup (name);
  window = open_window (&spec);
  wait_pane (window, "Mapped by: 1 process\n", NULL);
  wait_pane (window, "State: in /dev/shm as ", NULL);

  pid = ps_test_attacher_start (&a);
  child_row = g_strdup_printf ("pid %d: ps-attacher", (int) pid);
  wait_pane (window, child_row, NULL);
  wait_pane (window, "Mapped by: 2 processes\n", NULL);

  g_assert_no_errno (shm_unlink (name));
  unlinked = g_strdup_printf ("State: unlinked (shm_unlink): %s is no longer in /dev/shm", name);
  wait_pane (window, unlinked, NULL);

  ps_test_attacher_detach (&a, pid);
  wait_pane (window, "Mapped by: 1 process\n", child_row);
}

int
main (int argc, char **argv)
{
  int rc;

  app = ps_ui_test_app_new (&argc, &argv);
  PAGE = ps_test_page_size ();
  g_test_add_func ("/details-pane/sysv-live", test_sysv_live);
  g_test_add_func ("/details-pane/reads-only-shown", test_reads_only_shown);
  g_test_add_func ("/details-pane/posix-live", test_posix_live);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
