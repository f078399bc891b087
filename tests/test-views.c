/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Views of one object side by side in one window, under Xvfb: the file
 * mapped MAP_SHARED (the window's own view), the file read with pread and a
 * child's MAP_PRIVATE mapping seen through /proc (panes added from the Add
 * View menu). After the child writes its private page, its pane shows its
 * bytes, the others the file's, and the bytes that differ are tinted in
 * every view; looking at the child never faults a page in for it, nor
 * fills a sparse segment it maps; a store through the shared mapping,
 * without msync, shows in the pread pane (one page cache). */
#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-application.h"
#include "ps-open-dialog-private.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-window-private.h"
#include "ps-window-views.h"

#define CHILD_TIMEOUT_MS 10000
#define WAIT_MS          20000

static PsApplication *app;
static gsize PAGE;

/* ---- a child that maps the object and writes to it -------------------------- */

typedef struct
{
  const char *path;       /* a file, or /dev/shm/NAME */
  gsize       length;
  gboolean    private;
  gsize       offsets[2]; /* where it writes "000000016" */
  guint       n_writes;
  int         ready[2];
  int         hold[2];
  pid_t       pid;
  guint64     addr;
} Holder;

/* Async-signal-safe calls only; holds the mapping until its pipe reads EOF. */
static int
holder_main (gpointer data)
{
  Holder *h = data;
  int fd = open (h->path, (h->private ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  char *addr;
  char c;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  close (h->hold[1]);
  close (h->ready[0]);
  if (fd < 0)
    return 1;
  addr = mmap (NULL, h->length, PROT_READ | PROT_WRITE, h->private ? MAP_PRIVATE : MAP_SHARED, fd, 0);
  if (addr == MAP_FAILED)
    return 2;
  for (guint i = 0; i < h->n_writes; i++)
    memcpy (addr + h->offsets[i], "000000016", 9);
  (void) !write (h->ready[1], &addr, sizeof addr);
  while (read (h->hold[0], &c, 1) == 1)
    ;
  return 0;
}

static void
holder_start (Holder *h)
{
  struct pollfd ready;
  char *addr;

  g_assert_cmpint (pipe2 (h->ready, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (h->hold, O_CLOEXEC), ==, 0);
  h->pid = ps_test_fork (holder_main, h);
  close (h->ready[1]);
  close (h->hold[0]);
  ready = (struct pollfd) { h->ready[0], POLLIN, 0 };
  g_assert_cmpint (poll (&ready, 1, CHILD_TIMEOUT_MS), ==, 1);
  g_assert_cmpint (read (h->ready[0], &addr, sizeof addr), ==, sizeof addr);
  h->addr = (guintptr) addr;
}

static void
holder_stop (Holder *h)
{
  close (h->hold[1]);
  ps_test_reap (h->pid, CHILD_TIMEOUT_MS);
  close (h->ready[0]);
}

/* Pages of the child's mapping it has present (its /proc/PID/pagemap). */
static guint
child_present_pages (Holder *h)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/pagemap", (int) h->pid);
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  guint present = 0;

  g_assert_cmpint (fd, >=, 0);
  for (gsize i = 0; i < h->length / PAGE; i++)
    {
      guint64 entry = 0;

      g_assert_cmpint (pread (fd, &entry, sizeof entry, (h->addr / PAGE + i) * sizeof entry), ==, sizeof entry);
      present += (entry >> 63) & 1;
    }
  close (fd);
  return present;
}

/* ---- the window ---------------------------------------------------------------- */

typedef struct
{
  PsWindow *window;
  guint64   differing;
  guint     runs;        /* finished before: wait for one that began after */
} Wait;

static gboolean
compared (gpointer data)
{
  Wait *w = data;

  return ps_window_views_get_runs (w->window) >= w->runs + 2 &&
         ps_window_views_get_differing (w->window) == w->differing;
}

/* Waits until a comparison that began after now has ended and found
 * differing bytes that differ. */
static void
wait_compared (PsWindow *window,
               guint64   differing)
{
  Wait w = { window, differing, ps_window_views_get_runs (window) };

  if (!ps_test_wait_until (compared, &w, WAIT_MS))
    g_error ("the views did not come to %" G_GUINT64_FORMAT " differing bytes (%" G_GUINT64_FORMAT " after %u runs)",
             differing, ps_window_views_get_differing (window), ps_window_views_get_runs (window) - w.runs);
}

/* The spec text of the Add View menu item whose label starts with prefix. */
static char *
menu_target (PsWindow   *window,
             const char *prefix)
{
  g_autoptr(GMenuModel) menu = ps_window_views_build_menu (window);

  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *label = NULL;
          g_autofree char *target = NULL;

          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          if (label != NULL && g_str_has_prefix (label, prefix) &&
              g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_TARGET, "s", &target))
            return g_steal_pointer (&target);
        }
    }
  return NULL;
}

static PsViewPane *
add_view (PsWindow   *window,
          const char *menu_label)
{
  g_autofree char *target = menu_target (window, menu_label);
  guint n = ps_window_views_get_n_panes (window);

  if (target == NULL)
    g_error ("no \"%s…\" in the Add View menu", menu_label);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-view", "s", target);
  g_assert_cmpuint (ps_window_views_get_n_panes (window), ==, n + 1);
  return ps_window_views_get_pane (window, n);
}

static void
assert_bytes (PsSession  *session,
              guint64     offset,
              const char *expected)
{
  guint8 bytes[16];
  gsize len = strlen (expected);

  g_assert_true (ps_source_peek (ps_session_get_source (session), offset, bytes, len, NULL));
  g_assert_cmpmem (bytes, len, expected, len);
}

/* The grid's highlights hold [offset, offset + length) exactly. */
static void
assert_tinted (PsPageGrid *grid,
               guint64     offset,
               guint64     length)
{
  guint n = 0;
  const PsHighlight *h = ps_page_grid_get_highlights (grid, &n);

  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (h[0].offset, ==, offset);
  g_assert_cmpuint (h[0].length, ==, length);
}

typedef struct
{
  PsSession  *session;
  guint64     offset;
  const char *bytes;
} Shows;

static gboolean
shows (gpointer data)
{
  Shows *s = data;
  guint8 got[16];
  gsize len = strlen (s->bytes);

  return ps_source_peek (ps_session_get_source (s->session), s->offset, got, len, NULL) &&
         memcmp (got, s->bytes, len) == 0;
}

/* ---- the tests ------------------------------------------------------------------ */

static void
test_private_child (void)
{
  g_autofree char *path = ps_test_file ("views", 4 * PAGE, 'c');
  Holder h = { path, 4 * PAGE, TRUE, { PAGE + 20 }, 1 };
  g_autofree char *child_label = NULL;
  g_autoptr(GBytes) data = g_bytes_new_static ("ABC", 3);
  g_autoptr(GError) error = NULL;
  PsWindow *window;
  PsViewPane *pread, *child;
  PsWriteReport report;
  guint present;
  Shows stored;

  holder_start (&h);
  present = child_present_pages (&h);
  window = ps_ui_test_window_on_file (app, path, PS_MAP_WRITABLE, 0);
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (ps_window_views_get_label (window)))));

  pread = add_view (window, "The File on Disk (pread)");
  child = add_view (window, "As pid ");
  child_label = g_strdup_printf ("pid %d ", (int) h.pid);

  /* who looks and how */
  g_assert_cmpstr (gtk_label_get_text (ps_window_views_get_label (window)), ==, "this process, MAP_SHARED");
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (ps_window_views_get_label (window)))));
  g_assert_cmpstr (ps_view_pane_get_label (pread), ==, "file on disk (pread)");
  g_assert_true (g_str_has_prefix (ps_view_pane_get_label (child), child_label));
  g_assert_true (g_str_has_suffix (ps_view_pane_get_label (child), ", MAP_PRIVATE"));

  /* the child's bytes in its pane, the file's in the others; those 9 tinted in each */
  wait_compared (window, 9);
  assert_bytes (ps_view_pane_get_session (child), PAGE + 20, "000000016");
  assert_bytes (ps_view_pane_get_session (pread), PAGE + 20, "ccccccccc");
  assert_bytes (ps_window_get_session (window), PAGE + 20, "ccccccccc");
  assert_tinted (ps_window_get_grid (window), PAGE + 20, 9);
  assert_tinted (ps_view_pane_get_grid (pread), PAGE + 20, 9);
  assert_tinted (ps_view_pane_get_grid (child), PAGE + 20, 9);
  /* looking faulted nothing in for the child */
  g_assert_cmpuint (child_present_pages (&h), ==, present);

  if (g_getenv ("PS_VIEWS_SHOT") != NULL)
    {
      g_autoptr(GdkTexture) shot = NULL;

      gtk_window_set_default_size (GTK_WINDOW (window), 1600, 900);
      ps_ui_test_wait_frame (GTK_WIDGET (window));
      ps_ui_test_wait_frame (GTK_WIDGET (window));
      shot = ps_ui_test_render (GTK_WIDGET (window));
      gdk_texture_save_to_png (shot, g_getenv ("PS_VIEWS_SHOT"));
      gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
      ps_ui_test_wait_frame (GTK_WIDGET (window));
      ps_ui_test_wait_frame (GTK_WIDGET (window));
      g_clear_object (&shot);
      shot = ps_ui_test_render (GTK_WIDGET (window));
      gdk_texture_save_to_png (shot, "/tmp/views-narrow.png");
    }

  /* a store through the shared mapping, no msync: pread reads the page
   * cache the mapping is made of, so it shows there at once */
  g_assert_true (ps_session_write (ps_window_get_session (window), 2 * PAGE + 4, data, &report, &error));
  g_assert_no_error (error);
  stored = (Shows) { ps_view_pane_get_session (pread), 2 * PAGE + 4, "ABC" };
  g_assert_true (ps_test_wait_until (shows, &stored, WAIT_MS));
  /* the child never had that page: it is not compared, so still 9 */
  wait_compared (window, 9);
  g_assert_cmpuint (child_present_pages (&h), ==, present);

  /* closing the child's view: the others agree */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-view", "s", ps_view_pane_get_id (child));
  g_assert_cmpuint (ps_window_views_get_n_panes (window), ==, 1);
  wait_compared (window, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-view", "s", "");
  g_assert_cmpuint (ps_window_views_get_n_panes (window), ==, 0);
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (GTK_WIDGET (ps_window_views_get_label (window)))));

  ps_ui_test_close (GTK_WINDOW (window));
  holder_stop (&h);
}

/* A child maps a 16 MiB POSIX segment with two pages written: its view,
 * compared with the segment mapped here, leaves the segment's allocated
 * size and the child's present pages as they were. */
static void
test_sparse_segment (void)
{
  g_autofree char *name = ps_test_posix_segment ("views", 16 << 20);
  g_autofree char *path = g_strconcat ("/dev/shm", name, NULL);
  Holder h = { path, 16 << 20, FALSE, { 0, 5 << 20 }, 2 };
  PsSourceSpec spec = { .kind = PS_SOURCE_POSIX, .name = name };
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  guint64 allocated;
  guint present;
  PsWindow *window;
  PsViewPane *child;

  g_assert_cmpint (fd, >=, 0);
  holder_start (&h);
  allocated = ps_test_allocated (fd);
  present = child_present_pages (&h);
  g_assert_cmpuint (allocated, ==, 2 * PAGE);

  window = ps_ui_test_window_open (app, &spec);
  child = add_view (window, "As pid ");
  ps_assert_contains (ps_view_pane_get_label (child), "MAP_SHARED");
  wait_compared (window, 0);
  assert_bytes (ps_view_pane_get_session (child), 5 << 20, "000000016");
  /* again: every page compared, nothing allocated or faulted in */
  wait_compared (window, 0);
  g_assert_cmpuint (ps_test_allocated (fd), ==, allocated);
  g_assert_cmpuint (child_present_pages (&h), ==, present);

  ps_ui_test_close (GTK_WINDOW (window));
  holder_stop (&h);
  close (fd);
}

static gboolean
is_800_wide (gpointer data)
{
  ps_ui_test_wait_frame (GTK_WIDGET (data));
  return gtk_widget_get_width (GTK_WIDGET (data)) <= 800;
}

/* A view's title at the width it has: shown, all of it (wrapped, never
 * ellipsized), within its allocation, and reachable by scrolling the views
 * sideways. */
static void
assert_title_readable (PsWindow *window,
                       GtkLabel *title)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (title), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *h;
  PangoLayout *layout;
  PangoRectangle logical;
  graphene_point_t at;

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (title)));
  g_assert_true (gtk_label_get_wrap (title));
  g_assert_cmpint (gtk_label_get_ellipsize (title), ==, PANGO_ELLIPSIZE_NONE);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (title)), >=, 80);
  layout = gtk_label_get_layout (title);
  g_assert_false (pango_layout_is_ellipsized (layout));
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  g_assert_cmpint (logical.width, <=, gtk_widget_get_width (GTK_WIDGET (title)));
  g_assert_cmpint (logical.height, <=, gtk_widget_get_height (GTK_WIDGET (title)));
  /* the scroller of the views: the title lies within what it scrolls over */
  g_assert_true (gtk_widget_has_css_class (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)), "ps-views") ||
                 gtk_widget_has_css_class (gtk_widget_get_first_child (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller))), "ps-views"));
  g_assert_nonnull (scroller);
  h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (title), gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                           &GRAPHENE_POINT_INIT (0, 0), &at));
  g_assert_cmpfloat (at.x + gtk_widget_get_width (GTK_WIDGET (title)), <=, gtk_adjustment_get_upper (h) + 1);
}

/* The hex views scroll together; another object closes the views; a
 * narrow window keeps the labels readable: all of each (wrapped), the
 * views scrolling sideways when they do not fit, the whole label also as
 * tooltip and accessible name. */
static void
test_scroll_and_narrow (void)
{
  g_autofree char *path = ps_test_pattern_file ("views-scroll", 64);
  g_autofree char *other = ps_test_file ("views-other", PAGE, 'o');
  g_autofree char *pread_spec = g_strdup_printf ("file:%s?pread", path);
  g_autofree char *private_spec = g_strdup_printf ("file:%s?private", path);
  g_autofree char *shared_spec = g_strdup_printf ("file:%s", path);
  PsSourceSpec spec = { .kind = PS_SOURCE_FILE, .path = other };
  GtkAdjustment *own, *theirs;
  PsWindow *window;
  PsViewPane *pane;
  GtkLabel *title;

  window = ps_ui_test_window_on_file (app, path, PS_MAP_DEFAULT, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-view", "s", pread_spec);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-view", "s", private_spec);
  g_assert_cmpuint (ps_window_views_get_n_panes (window), ==, 2);
  pane = ps_window_views_get_pane (window, 1);
  g_assert_cmpstr (ps_view_pane_get_label (pane), ==, "this process, MAP_PRIVATE");
  ps_ui_test_wait_drawn (GTK_WIDGET (pane));

  own = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (ps_window_get_hex_view (window)));
  theirs = ps_view_pane_get_hex_vadjustment (pane);
  gtk_adjustment_set_value (own, 100);
  g_assert_cmpfloat (gtk_adjustment_get_value (theirs), ==, 100);
  gtk_adjustment_set_value (theirs, 40);
  g_assert_cmpfloat (gtk_adjustment_get_value (own), ==, 40);

  /* half a 1600-pixel screen, three views: as a user dragging its edge,
   * the window stops at the wide layout's least width (869 pixels), folds
   * into the narrow layout, then follows (test-narrow) */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  ps_test_wait_until (is_800_wide, window, 2000);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  if (!ps_test_wait_until (is_800_wide, window, 10000))
    g_error ("the window stays %d pixels wide", gtk_widget_get_width (GTK_WIDGET (window)));
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  title = ps_ui_test_child (pane, "title");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (title)), ==, "this process, MAP_PRIVATE");
  assert_title_readable (window, title);
  assert_title_readable (window, ps_ui_test_child (ps_window_views_get_pane (window, 0), "title"));
  assert_title_readable (window, ps_window_views_get_label (window));
  /* each view keeps its least width */
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (ps_window_views_get_pane (window, i))), >=, 240);

  /* four views do not fit in 800 pixels: they scroll sideways, each title
   * whole, the last one shown when scrolled to */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.add-view", "s", shared_spec);
  g_assert_cmpuint (ps_window_views_get_n_panes (window), ==, 3);
  ps_ui_test_wait_drawn (GTK_WIDGET (ps_window_views_get_pane (window, 2)));
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  {
    PsViewPane *last = ps_window_views_get_pane (window, 2);
    GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (last), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
    graphene_point_t at;

    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 800);
    g_assert_cmpfloat (gtk_adjustment_get_upper (h), >, gtk_adjustment_get_page_size (h));
    for (guint i = 0; i < 3; i++)
      {
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (ps_window_views_get_pane (window, i))), >=, 240);
        assert_title_readable (window, ps_ui_test_child (ps_window_views_get_pane (window, i), "title"));
      }
    assert_title_readable (window, ps_window_views_get_label (window));
    gtk_adjustment_set_value (h, gtk_adjustment_get_upper (h) - gtk_adjustment_get_page_size (h));
    ps_ui_test_wait_frame (GTK_WIDGET (window));
    title = ps_ui_test_child (last, "title");
    g_assert_true (gtk_widget_compute_point (GTK_WIDGET (title), scroller, &GRAPHENE_POINT_INIT (0, 0), &at));
    g_assert_cmpfloat (at.x, >=, 0);
    g_assert_cmpfloat (at.x + gtk_widget_get_width (GTK_WIDGET (title)), <=, gtk_widget_get_width (scroller));
    gtk_widget_activate_action (GTK_WIDGET (window), "win.close-view", "s", ps_view_pane_get_id (last));
    g_assert_cmpuint (ps_window_views_get_n_panes (window), ==, 2);
  }
  title = ps_ui_test_child (pane, "title");

  /* a long title (a process view's) wraps onto more lines, all of it shown */
  ps_view_label_show (title, "pid 4242 s000_writer_B, MAP_PRIVATE /tmp/pagescope-lesson-private/data.txt");
  ps_ui_test_wait_frame (GTK_WIDGET (window));
  assert_title_readable (window, title);
  g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (title)), >, 1);

  /* the window's title keeps both ends of a path, shown at half a screen,
   * and says all in a tooltip */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->title)));
  g_test_message ("window title %d px wide", gtk_widget_get_width (GTK_WIDGET (window->title)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window->title)), >=, 100);
  ps_assert_contains (gtk_widget_get_tooltip_text (GTK_WIDGET (window->title)), path);

  /* another object: its views were of the one before */
  g_assert_true (ps_window_open_spec (window, &spec, NULL));
  g_assert_cmpuint (ps_window_views_get_n_panes (window), ==, 0);
  ps_ui_test_close (GTK_WINDOW (window));
}

/* The window that is not in before (a list of windows), or NULL. */
static GtkWidget *
new_window_of_type (GType  type,
                    GList *before)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && g_list_find (before, window) == NULL)
        return window;
    }
  return NULL;
}

static gboolean
menu_has_prefix (GMenuModel *menu,
                 const char *prefix)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *target = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_TARGET, "s", &target) &&
          g_str_has_prefix (target, prefix))
        return TRUE;
    }
  return FALSE;
}

/* A process view is never kept among the recent sources, however it is
 * opened: in a window of its own, or from File → Another Process's
 * Mapping… in a window that shows something (a new window then). One an
 * older version kept is neither offered nor kept; the file opened first is
 * both. */
static void
test_not_recent (void)
{
  g_autofree char *path = ps_test_file ("views-recent", PAGE, 'r');
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *file_spec = g_strconcat ("file:", path, NULL);
  Holder h = { path, PAGE, TRUE, { 0 }, 1 };
  GSettings *settings = ps_application_get_settings (app);
  PsSourceSpec spec = { .kind = PS_SOURCE_PROCESS, .path = path };
  const char *old[] = { "pid:1?map=0x1000", NULL };
  g_autoptr(GList) before = NULL;
  g_auto(GStrv) recent = NULL;
  PsOpenDialog *dialog;
  PsWindow *window, *process_window, *file_window;
  PsSource *source;

  holder_start (&h);
  spec.pid = h.pid;
  g_settings_set_strv (settings, "recent-sources", old);

  window = ps_ui_test_window_open (app, &spec);
  g_assert_true (ps_session_is_open (ps_window_get_session (window)));
  g_assert_false (menu_has_prefix (G_MENU_MODEL (window->recent_section), "pid:"));
  ps_ui_test_close (GTK_WINDOW (window));

  file_window = ps_ui_test_window_on_file (app, path, PS_MAP_DEFAULT, 0);
  g_assert_true (menu_has_prefix (G_MENU_MODEL (file_window->recent_section), file_spec));
  g_assert_false (menu_has_prefix (G_MENU_MODEL (file_window->recent_section), "pid:"));

  /* File → Another Process's Mapping…: the dialog on its Process page */
  before = gtk_window_list_toplevels ();
  gtk_widget_activate_action (GTK_WIDGET (file_window), "win.open-dialog", "s", "process");
  dialog = PS_OPEN_DIALOG (new_window_of_type (PS_TYPE_OPEN_DIALOG, before));
  g_assert_nonnull (dialog);
  g_assert_cmpint (ps_open_dialog_get_kind (dialog), ==, PS_SOURCE_PROCESS);
  g_assert_true (ps_open_dialog_pick_process (dialog, h.pid, base));
  g_clear_pointer (&before, g_list_free);
  before = gtk_window_list_toplevels ();
  ps_open_dialog_activate_open (dialog);
  process_window = PS_WINDOW (new_window_of_type (PS_TYPE_WINDOW, before));
  g_assert_nonnull (process_window);
  source = ps_session_get_source (ps_window_get_session (process_window));
  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_PROCESS);
  g_assert_cmpint (ps_source_get_pid (source), ==, h.pid);
  assert_bytes (ps_window_get_session (process_window), 0, "000000016");

  recent = g_settings_get_strv (settings, "recent-sources");
  g_assert_cmpstr (recent[0], ==, file_spec);
  for (guint i = 0; recent[i] != NULL; i++)
    g_assert_false (g_str_has_prefix (recent[i], "pid:"));
  g_assert_false (menu_has_prefix (G_MENU_MODEL (process_window->recent_section), "pid:"));

  ps_ui_test_close (GTK_WINDOW (process_window));
  ps_ui_test_close (GTK_WINDOW (file_window));
  holder_stop (&h);
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  app = ps_ui_test_app_new (&argc, &argv);
  PAGE = ps_test_page_size ();
  g_test_add_func ("/views/private-child", test_private_child);
  g_test_add_func ("/views/sparse-segment", test_sparse_segment);
  g_test_add_func ("/views/scroll-and-narrow", test_scroll_and_narrow);
  g_test_add_func ("/views/not-recent", test_not_recent);
  rc = g_test_run ();
  g_clear_object (&app);
  return rc;
}
