/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The open dialog's segment tables as a model alone, with no dialog, view
 * or display: real SysV and POSIX segments, listed by a refresh, changed,
 * removed; a refresh replaces only the rows that changed and keeps the
 * selection on the same segment. */
#define G_LOG_DOMAIN "pagescope-test-segment-table"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <unistd.h>

#include "ps-mappers.h"
#include "ps-segment-table.h"
#include "ps-test-util.h"

typedef struct
{
  int   shmid[2];   /* -1 once removed */
  char *posix_name;
} Segments;

/* The segments are queued for removal as they are made (ps-test-util):
 * gone when the test ends, also when a failed assertion aborts it. */
static void
segments_setup (Segments      *s,
                gconstpointer  data)
{
  gsize page = ps_test_page_size ();
  int fd;

  s->shmid[0] = s->shmid[1] = -1;
  s->posix_name = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (s->shmid); i++)
    s->shmid[i] = ps_test_sysv_segment (ps_test_sysv_key (0x40 + i), 3 * page + 10, 0600);
  s->posix_name = ps_test_posix_name ("segment-table");
  fd = shm_open (s->posix_name, O_RDWR | O_CREAT | O_EXCL, 0640);
  g_assert_cmpint (fd, >=, 0);
  ps_test_queue_shm_unlink (s->posix_name);
  g_assert_cmpint (ftruncate (fd, 2 * page), ==, 0);
  close (fd);
}

static void
segments_teardown (Segments      *s,
                   gconstpointer  data)
{
  g_free (s->posix_name);
}

static char *
shmid_id (int shmid)
{
  return g_strdup_printf ("%d", shmid);
}

/* The id of the selected row, or NULL. */
static const char *
selected_id (PsSegmentTable *table)
{
  PsSegmentRow *row = gtk_single_selection_get_selected_item (ps_segment_table_get_selection (table));

  return row != NULL ? ps_segment_row_get_id (row) : NULL;
}

static void
refresh (PsSegmentTable *table)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ps_segment_table_refresh (table, &error));
  g_assert_no_error (error);
}

/* A SysV row: found by shmid, its segment as listed, its cells as shown. */
static void
test_sysv_rows (Segments      *s,
                gconstpointer  data)
{
  g_autoptr(PsSegmentTable) table = ps_segment_table_new (PS_SOURCE_SYSV);
  g_autofree char *id = shmid_id (s->shmid[0]);
  g_autofree char *key_text = g_strdup_printf ("0x%08x |", (guint32) ps_test_sysv_key (0x40));
  g_autofree char *pid_text = g_strdup_printf ("| %d |", (int) getpid ());
  g_autofree char *text = NULL;
  PsSegmentRow *row;

  g_assert_cmpint (ps_segment_table_get_kind (table), ==, PS_SOURCE_SYSV);
  g_assert_null (ps_segment_table_find (table, id));
  refresh (table);
  row = ps_segment_table_find (table, id);
  g_assert_nonnull (row);
  g_assert_cmpstr (ps_segment_row_get_id (row), ==, id);
  g_assert_null (ps_segment_row_get_posix (row));
  g_assert_cmpint (ps_segment_row_get_sysv (row)->shmid, ==, s->shmid[0]);
  g_assert_cmpuint (ps_segment_row_get_sysv (row)->size, ==, 3 * ps_test_page_size () + 10);

  text = ps_segment_table_dup_row_text (table, id);
  g_test_message ("row: %s", text);
  g_assert_true (g_str_has_prefix (text, key_text));
  ps_assert_contains (text, "| 600 |");
  ps_assert_contains (text, pid_text);
  g_assert_null (ps_segment_table_dup_row_text (table, "2147483647"));
}

/* Attaching changes a row: only that row is replaced, and the selection
 * stays on its segment; removing the segment takes the row and the
 * selection with it. */
static void
test_sysv_keeps_selection (Segments      *s,
                           gconstpointer  data)
{
  g_autoptr(PsSegmentTable) table = ps_segment_table_new (PS_SOURCE_SYSV);
  GtkSingleSelection *selection = ps_segment_table_get_selection (table);
  g_autofree char *changed = shmid_id (s->shmid[0]);
  g_autofree char *unchanged = shmid_id (s->shmid[1]);
  g_autoptr(PsSegmentRow) before = NULL;
  g_autoptr(PsSegmentRow) other = NULL;
  void *addr;

  refresh (table);
  g_assert_null (selected_id (table));
  g_assert_true (ps_segment_table_select (table, changed));
  g_assert_cmpstr (selected_id (table), ==, changed);
  g_assert_false (ps_segment_table_select (table, "2147483647"));
  g_assert_cmpstr (selected_id (table), ==, changed);
  before = g_object_ref (ps_segment_table_find (table, changed));
  other = g_object_ref (ps_segment_table_find (table, unchanged));

  addr = shmat (s->shmid[0], NULL, SHM_RDONLY);
  g_assert_true (addr != (void *) -1);
  refresh (table);
  g_assert_true (ps_segment_table_find (table, changed) != before);
  g_assert_cmpuint (ps_segment_row_get_sysv (ps_segment_table_find (table, changed))->nattch, ==, 1);
  g_assert_true (ps_segment_table_find (table, unchanged) == other);
  g_assert_cmpstr (selected_id (table), ==, changed);

  g_assert_cmpint (shmctl (s->shmid[0], IPC_RMID, NULL), ==, 0);
  g_assert_cmpint (shmdt (addr), ==, 0);
  s->shmid[0] = -1;
  refresh (table);
  g_assert_null (ps_segment_table_find (table, changed));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);
  g_assert_true (ps_segment_table_find (table, unchanged) == other);
}

/* A POSIX row by its name; a new size replaces it, and the selection stays. */
static void
test_posix_rows (Segments      *s,
                 gconstpointer  data)
{
  g_autoptr(PsSegmentTable) table = ps_segment_table_new (PS_SOURCE_POSIX);
  g_autofree char *text = NULL;
  PsSegmentRow *row;
  int fd;

  refresh (table);
  row = ps_segment_table_find (table, s->posix_name);
  g_assert_nonnull (row);
  g_assert_null (ps_segment_row_get_sysv (row));
  g_assert_cmpstr (ps_segment_row_get_posix (row)->name, ==, s->posix_name);
  text = ps_segment_table_dup_row_text (table, s->posix_name);
  g_test_message ("row: %s", text);
  ps_assert_contains (text, "| 640 |");
  g_assert_true (ps_segment_table_select (table, s->posix_name));

  fd = shm_open (s->posix_name, O_RDWR, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 5 * ps_test_page_size ()), ==, 0);
  close (fd);
  refresh (table);
  row = ps_segment_table_find (table, s->posix_name);
  g_assert_cmpuint (ps_segment_row_get_posix (row)->size, ==, 5 * ps_test_page_size ());
  g_assert_cmpstr (selected_id (table), ==, s->posix_name);
}

/* ---- who maps it, and the display server's own ---------------------------------- */

typedef struct
{
  int         shmid;
  const char *comm;       /* what the child calls itself (PR_SET_NAME) */
  const char *path;       /* instead of shmid: /dev/shm/NAME, mapped shared */
  int         ready[2];
  int         hold[2];
} Attacher;

/* The child: names itself, attaches the segment, says so, holds it until
 * its pipe reads EOF. Async-signal-safe calls only. */
static int
attacher_main (gpointer data)
{
  Attacher *a = data;
  char c;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  prctl (PR_SET_NAME, a->comm);
  close (a->hold[1]);
  if (a->path != NULL)
    {
      int fd = open (a->path, O_RDONLY | O_CLOEXEC);

      if (fd < 0 || mmap (NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
        return 1;
    }
  else if (shmat (a->shmid, NULL, SHM_RDONLY) == (void *) -1)
    return 1;
  (void) !write (a->ready[1], "r", 1);
  while (read (a->hold[0], &c, 1) == 1)
    ;
  return 0;
}

static pid_t
attach_as (Attacher *a)
{
  struct pollfd ready;
  pid_t pid;
  char c;

  g_assert_cmpint (pipe2 (a->ready, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (a->hold, O_CLOEXEC), ==, 0);
  pid = ps_test_fork (attacher_main, a);
  close (a->ready[1]);
  close (a->hold[0]);
  ready = (struct pollfd) { a->ready[0], POLLIN, 0 };
  g_assert_cmpint (poll (&ready, 1, 10000), ==, 1);
  g_assert_cmpint (read (a->ready[0], &c, 1), ==, 1);
  return pid;
}

static gboolean
listed (PsSegmentTable *table,
        const char     *id)
{
  GListModel *shown = G_LIST_MODEL (ps_segment_table_get_selection (table));

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(PsSegmentRow) row = g_list_model_get_item (shown, i);

      if (g_str_equal (ps_segment_row_get_id (row), id))
        return TRUE;
    }
  return FALSE;
}

/* A segment that a process called Xvfb attaches is the display server's:
 * hidden until asked for; the one a writer attaches is shown. The "Mapped
 * by" cell names each attacher, pid and name. */
static void
test_display_filter (Segments      *s,
                     gconstpointer  data)
{
  g_autoptr(PsSegmentTable) table = ps_segment_table_new (PS_SOURCE_SYSV);
  g_autofree char *display_id = shmid_id (s->shmid[0]);
  g_autofree char *writer_id = shmid_id (s->shmid[1]);
  Attacher display = { s->shmid[0], "Xvfb" };
  Attacher writer = { s->shmid[1], "s000_writer_B" };
  pid_t display_pid = attach_as (&display);
  pid_t writer_pid = attach_as (&writer);
  g_autofree char *display_text = NULL;
  g_autofree char *writer_text = NULL;
  g_autofree char *display_cell = g_strdup_printf ("%d Xvfb", (int) display_pid);
  g_autofree char *writer_cell = g_strdup_printf ("%d s000_writer_B", (int) writer_pid);

  refresh (table);
  g_assert_false (ps_segment_table_get_show_display (table));
  g_assert_false (listed (table, display_id));
  g_assert_true (listed (table, writer_id));
  g_assert_cmpuint (ps_segment_table_get_n_hidden (table), >=, 1);
  g_assert_true (ps_segment_row_is_display (ps_segment_table_find (table, display_id)));
  g_assert_false (ps_segment_row_is_display (ps_segment_table_find (table, writer_id)));

  display_text = ps_segment_table_dup_row_text (table, display_id);
  writer_text = ps_segment_table_dup_row_text (table, writer_id);
  g_test_message ("rows: %s / %s", display_text, writer_text);
  ps_assert_contains (display_text, display_cell);
  ps_assert_contains (writer_text, writer_cell);

  ps_segment_table_set_show_display (table, TRUE);
  g_assert_true (listed (table, display_id));
  g_assert_true (listed (table, writer_id));

  /* the writer detaches: nobody maps it now */
  close (writer.hold[1]);
  ps_test_reap (writer_pid, 10000);
  refresh (table);
  g_free (writer_text);
  writer_text = ps_segment_table_dup_row_text (table, writer_id);
  g_assert_true (g_str_has_suffix (writer_text, "| none") || g_str_has_suffix (writer_text, "| unknown"));
  close (display.hold[1]);
  ps_test_reap (display_pid, 10000);
  close (display.ready[0]);
  close (writer.ready[0]);
}

/* The POSIX table the same way: a segment a process called Xorg maps is
 * hidden until asked for, its "Mapped by" names it. */
static void
test_posix_display_filter (Segments      *s,
                           gconstpointer  data)
{
  g_autoptr(PsSegmentTable) table = ps_segment_table_new (PS_SOURCE_POSIX);
  g_autofree char *path = g_strconcat ("/dev/shm", s->posix_name, NULL);
  Attacher display = { -1, "Xorg", path };
  pid_t pid = attach_as (&display);
  g_autofree char *cell = g_strdup_printf ("| %d Xorg", (int) pid);
  g_autofree char *text = NULL;

  refresh (table);
  text = ps_segment_table_dup_row_text (table, s->posix_name);
  g_test_message ("row: %s", text);
  ps_assert_contains (text, cell);
  g_assert_true (ps_segment_row_is_display (ps_segment_table_find (table, s->posix_name)));
  g_assert_false (listed (table, s->posix_name));
  g_assert_cmpuint (ps_segment_table_get_n_hidden (table), >=, 1);
  ps_segment_table_set_show_display (table, TRUE);
  g_assert_true (listed (table, s->posix_name));

  /* unmapped when it exits: no longer the display's */
  close (display.hold[1]);
  ps_test_reap (pid, 10000);
  close (display.ready[0]);
  ps_segment_table_set_show_display (table, FALSE);
  refresh (table);
  g_assert_false (ps_segment_row_is_display (ps_segment_table_find (table, s->posix_name)));
  g_assert_true (listed (table, s->posix_name));
}

/* The rule's names: X servers and Wayland compositors, by comm or exe. */
static void
test_display_rule (void)
{
  g_assert_true (ps_mappers_is_display_server (0, "Xorg"));
  g_assert_true (ps_mappers_is_display_server (0, "Xwayland"));
  g_assert_true (ps_mappers_is_display_server (0, "gnome-shell"));
  g_assert_false (ps_mappers_is_display_server (0, "Xvfb-run"));
  g_assert_false (ps_mappers_is_display_server (0, "bash"));
  g_assert_false (ps_mappers_is_display_server (getpid (), "test"));
}

int
main (int   argc,
      char *argv[])
{
  ps_test_init (&argc, &argv);

  g_test_add ("/segment-table/sysv-rows", Segments, NULL,
              segments_setup, test_sysv_rows, segments_teardown);
  g_test_add ("/segment-table/sysv-keeps-selection", Segments, NULL,
              segments_setup, test_sysv_keeps_selection, segments_teardown);
  g_test_add ("/segment-table/posix-rows", Segments, NULL,
              segments_setup, test_posix_rows, segments_teardown);
  g_test_add ("/segment-table/display-filter", Segments, NULL,
              segments_setup, test_display_filter, segments_teardown);
  g_test_add ("/segment-table/posix-display-filter", Segments, NULL,
              segments_setup, test_posix_display_filter, segments_teardown);
  g_test_add_func ("/segment-table/display-rule", test_display_rule);
  return g_test_run ();
}
