/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsHexView for real: a window under Xvfb, real segments and files, another
 * process writing, and the pixels the view draws. */
#include "config.h"

#include <adwaita.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pagescope-resources.h"
#include "ps-hex-view-private.h"
#include "ps-scanner.h"
#include "ps-test-util.h"
#include "ps-ui-test-util.h"

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static guint64 page;

/* ---- a window with the view in a scrolled window ---- */

typedef struct
{
  GtkWidget *window;
  PsHexView *view;
} Shown;

static Shown
show_view (PsSource *source,
           int       width,
           int       height)
{
  Shown s;
  GtkWidget *scroller = gtk_scrolled_window_new ();

  s.window = gtk_window_new ();
  s.view = PS_HEX_VIEW (ps_hex_view_new ());
  gtk_window_set_default_size (GTK_WINDOW (s.window), width, height);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (s.view));
  gtk_window_set_child (GTK_WINDOW (s.window), scroller);
  ps_ui_test_queue_destroy (GTK_WINDOW (s.window));
  ps_hex_view_set_source (s.view, source);
  gtk_window_present (GTK_WINDOW (s.window));
  ps_ui_test_wait_drawn (GTK_WIDGET (s.view));
  return s;
}

static GtkAdjustment *
vadjustment (PsHexView *view)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
}

static void
iterate (guint n)
{
  for (guint i = 0; i < n; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* ---- pixels ---- */

typedef struct
{
  GtkWidget  *widget;
  GdkTexture *texture;
} Render;

/* Within the paint: no frame can be waited for here, so with a layout
 * pending (a loaded machine) the next paint is taken instead. */
static void
on_after_paint (GdkFrameClock *clock,
                Render        *r)
{
  if (r->texture != NULL)
    return;
  r->texture = ps_ui_test_try_render (r->widget);
  if (r->texture == NULL)
    gtk_widget_queue_draw (r->widget);
}

static gboolean
rendered (gpointer data)
{
  return ((Render *) data)->texture != NULL;
}

/* ps_ui_test_render draws the widget's render node of the last frame, and a
 * queued redraw drops it: render right after a paint, so it is this frame's. */
static GdkTexture *
render_now (PsHexView *view)
{
  Render r = { GTK_WIDGET (view), NULL };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &r);

  gtk_widget_queue_draw (GTK_WIDGET (view));
  g_assert_true (ps_test_wait_until (rendered, &r, 5000));
  g_signal_handler_disconnect (clock, id);
  return r.texture;
}

static int
pixel_distance (guint32 a,
                guint32 b)
{
  int d = 0;

  for (int shift = 0; shift < 32; shift += 8)
    d = MAX (d, ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
  return d;
}

/* The background of a byte's hex cell: a quarter column left of its digits,
 * in the space before them, where no glyph draws. */
static guint32
cell_background (PsHexView  *view,
                 GdkTexture *texture,
                 guint64     offset)
{
  graphene_rect_t r;

  g_assert_true (ps_hex_view_get_byte_rect (view, offset, FALSE, &r));
  return ps_ui_test_pixel (texture, (int) (r.origin.x - r.size.width / 8), (int) (r.origin.y + r.size.height / 2));
}

/* Whether any pixel down the space before a byte's cell differs from colour:
 * hatching is diagonal, so a vertical line the height of a row crosses it. */
static gboolean
cell_column_differs (PsHexView  *view,
                     GdkTexture *texture,
                     guint64     offset,
                     guint32     color)
{
  graphene_rect_t r;
  int x;

  g_assert_true (ps_hex_view_get_byte_rect (view, offset, FALSE, &r));
  x = (int) (r.origin.x - r.size.width / 8);
  for (int y = (int) r.origin.y + 1; y < (int) (r.origin.y + r.size.height) - 1; y++)
    if (pixel_distance (ps_ui_test_pixel (texture, x, y), color) > 8)
      return TRUE;
  return FALSE;
}

/* ---- the test: another process writes; the view shows, glows, fades ---- */

typedef struct
{
  const char *name;
  gsize       size;
  int         cmd_fd;
  int         ack_fd;
  int         parent_fds[2];   /* the parent's ends: closed in the child */
} Writer;

typedef struct
{
  guint64 offset;
  guint8  value;
} WriteCmd;

/* The child: only async-signal-safe calls (KERNEL-FACTS: fork in a threaded process). */
static int
writer_main (gpointer data)
{
  Writer *w = data;
  WriteCmd cmd;
  guint8 *base;
  int fd;

  close (w->parent_fds[0]);
  close (w->parent_fds[1]);
  fd = shm_open (w->name, O_RDWR, 0);
  if (fd < 0)
    return 1;
  base = mmap (NULL, w->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED)
    return 2;
  while (read (w->cmd_fd, &cmd, sizeof cmd) == sizeof cmd)
    {
      base[cmd.offset] = cmd.value;
      if (write (w->ack_fd, "k", 1) != 1)
        return 3;
    }
  return 0;
}

static void
on_frame (PsScanner  *scanner,
          GParamSpec *pspec,
          PsHexView  *view)
{
  ps_hex_view_set_frame (view, ps_scanner_get_frame (scanner));
}

static void
on_visible_range (PsHexView *view,
                  guint64    offset,
                  guint64    length,
                  PsScanner *scanner)
{
  ps_scanner_set_focus (scanner, offset, length);
}

typedef struct
{
  PsScanner *scanner;
  PsHexView *view;
  guint64    offset;
  guint8     value;
  guint64    neighbour;
} GlowCheck;

static gboolean
focus_covers_screen (gpointer data)
{
  GlowCheck *c = data;
  PsFrame *frame = ps_scanner_get_frame (c->scanner);
  guint64 offset, length;

  ps_hex_view_get_visible_range (c->view, &offset, &length);
  return frame != NULL && length > 0 && frame->focus_offset == offset && frame->focus_length == length;
}

static gboolean
shows_value (gpointer data)
{
  GlowCheck *c = data;
  guint8 value;

  return ps_hex_view_get_byte (c->view, c->offset, &value) && value == c->value;
}

static gboolean
glow_gone (gpointer data)
{
  GlowCheck *c = data;
  g_autoptr(GdkTexture) texture = render_now (c->view);

  return cell_background (c->view, texture, c->offset) == cell_background (c->view, texture, c->neighbour);
}

static void
test_glow_and_fade (void)
{
  g_autofree char *name = ps_test_posix_name ("hexglow");
  const gsize size = 16 * page;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint64 offset, length;
  int cmd[2], ack[2];
  Writer w;
  WriteCmd write_cmd = { 0x123, 0xab };
  GlowCheck check;
  guint32 glowing, plain;
  gint64 written_us, shown_us, faded_us;
  guint8 value;
  char k;
  Shown s;
  pid_t pid;

  source = ps_test_create_posix (name, size, 0600, NULL);
  scanner = ps_scanner_new (source);
  ps_scanner_set_interval (scanner, 20);
  s = show_view (source, 800, 500);
  g_signal_connect_object (scanner, "notify::frame", G_CALLBACK (on_frame), s.view, 0);
  g_signal_connect_object (s.view, "visible-range-changed", G_CALLBACK (on_visible_range), scanner, 0);
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  g_assert_cmpuint (length, >, write_cmd.offset + 16);
  ps_scanner_set_focus (scanner, offset, length);
  ps_scanner_start (scanner);

  check = (GlowCheck) { scanner, s.view, write_cmd.offset, write_cmd.value, write_cmd.offset + 1 };
  g_assert_true (ps_test_wait_until (focus_covers_screen, &check, 5000));
  g_assert_true (ps_hex_view_get_byte (s.view, write_cmd.offset, &value));
  g_assert_cmpuint (value, ==, 0);

  g_assert_cmpint (pipe (cmd), ==, 0);
  g_assert_cmpint (pipe (ack), ==, 0);
  w = (Writer) { name, size, cmd[0], ack[1], { cmd[1], ack[0] } };
  pid = ps_test_fork (writer_main, &w);
  close (cmd[0]);
  close (ack[1]);

  g_assert_cmpint (write (cmd[1], &write_cmd, sizeof write_cmd), ==, sizeof write_cmd);
  g_assert_cmpint (read (ack[0], &k, 1), ==, 1);
  written_us = g_get_monotonic_time ();

  /* within a second the view shows the new value, glowing */
  g_assert_true (ps_test_wait_until (shows_value, &check, 1000));
  shown_us = g_get_monotonic_time ();
  g_test_message ("the new value showed after %.0f ms", (shown_us - written_us) / 1e3);
  g_assert_cmpfloat (ps_hex_view_get_glow (s.view, write_cmd.offset), >, 0.5);
  g_assert_cmpfloat (ps_hex_view_get_glow (s.view, check.neighbour), ==, 0);
  texture = render_now (s.view);
  glowing = cell_background (s.view, texture, write_cmd.offset);
  plain = cell_background (s.view, texture, check.neighbour);
  g_test_message ("glowing 0x%08x, unchanged neighbour 0x%08x", glowing, plain);
  g_assert_cmpint (pixel_distance (glowing, plain), >, 40);
  g_assert_false (glow_gone (&check));

  /* after the fade the cell is back to the plain background; the value stays */
  g_assert_true (ps_test_wait_until (glow_gone, &check, 8000));
  faded_us = g_get_monotonic_time ();
  g_test_message ("the glow faded after %.1f s", (faded_us - written_us) / 1e6);
  g_assert_cmpint (faded_us - written_us, >, G_USEC_PER_SEC);
  g_assert_cmpfloat (ps_hex_view_get_glow (s.view, write_cmd.offset), ==, 0);
  g_assert_true (shows_value (&check));

  close (cmd[1]);
  g_assert_true (WIFEXITED (ps_test_reap (pid, 5000)));
  close (ack[0]);
  ps_scanner_stop (scanner);
}

/* ---- a sparse segment: showing every row reads no hole ---- */

static void
sweep_every_row (Shown     *s,
                 PsScanner *scanner,
                 const int *written,
                 guint      n_written)
{
  GtkAdjustment *adj = vadjustment (s->view);
  double step = MAX (floor (gtk_adjustment_get_page_size (adj)), 1);
  double upper = gtk_adjustment_get_upper (adj);
  guint steps = 0;

  for (double value = 0; value < upper; value += step, steps++)
    {
      guint64 offset, length;

      gtk_adjustment_set_value (adj, value);
      if (scanner != NULL)
        {
          /* the focus followed the view through "visible-range-changed" */
          g_autoptr(PsFrame) frame = ps_scanner_scan_now (scanner);

          ps_hex_view_set_frame (s->view, frame);
        }
      ps_hex_view_get_visible_range (s->view, &offset, &length);
      for (guint64 o = offset; o < offset + length; o += 16)
        {
          gboolean data = FALSE;

          for (guint i = 0; i < n_written; i++)
            data |= o / page == (guint64) written[i];
          g_assert_cmpint (ps_hex_view_get_byte_kind (s->view, o), ==,
                           data ? PS_HEX_BYTE_DATA : PS_HEX_BYTE_NOT_ALLOCATED);
        }
      if (steps % 200 == 0)
        g_object_unref (render_now (s->view));
    }
  g_assert_cmpfloat (gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj), >=, upper);
}

static void
test_sparse_never_read (void)
{
  g_autofree char *name = ps_test_posix_name ("hexsparse");
  static const int written[] = { 10, 100, 200 };
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(PsFrame) frame = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint8 *block = g_malloc (page);
  guint64 before, offset, length, hole, data;
  guint8 value;
  Shown s;
  int fd;

  source = ps_test_create_posix (name, 256 * page, 0600, NULL);
  fd = ps_source_get_fd (source);
  memset (block, 0x5a, page);
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    g_assert_cmpint (pwrite (fd, block, page, written[i] * page), ==, (gssize) page);
  before = ps_test_allocated (fd);
  g_assert_cmpuint (before, ==, G_N_ELEMENTS (written) * page);

  /* without frames: the view peeks */
  s = show_view (source, 800, 500);
  sweep_every_row (&s, NULL, written, G_N_ELEMENTS (written));
  g_assert_cmpuint (ps_test_allocated (fd), ==, before);

  /* with a scanner whose focus follows the view */
  scanner = ps_scanner_new (source);
  g_signal_connect_object (s.view, "visible-range-changed", G_CALLBACK (on_visible_range), scanner, 0);
  gtk_adjustment_set_value (vadjustment (s.view), 0);
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  ps_scanner_set_focus (scanner, offset, length);
  sweep_every_row (&s, scanner, written, G_N_ELEMENTS (written));
  g_assert_cmpuint (ps_test_allocated (fd), ==, before);

  /* a hole row next to a written row: drawn differently, and says so */
  hole = 100 * page - 16 + 5;
  data = 100 * page + 5;
  ps_hex_view_goto (s.view, 100 * page - 48);
  frame = ps_scanner_scan_now (scanner);
  ps_hex_view_set_frame (s.view, frame);
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, hole), ==, PS_HEX_BYTE_NOT_ALLOCATED);
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, data), ==, PS_HEX_BYTE_DATA);
  g_assert_true (ps_hex_view_get_byte (s.view, hole, &value));
  g_assert_cmpuint (value, ==, 0);
  g_assert_true (ps_hex_view_get_byte (s.view, data, &value));
  g_assert_cmpuint (value, ==, 0x5a);
  texture = render_now (s.view);
  g_assert_cmpint (pixel_distance (cell_background (s.view, texture, hole), cell_background (s.view, texture, data)), >, 4);
  g_assert_cmpuint (ps_test_allocated (fd), ==, before);

}

/* ---- bytes past EOF look different ---- */

static void
test_past_eof (void)
{
  g_autofree char *path = ps_test_file ("hexeof", 100, 'x');
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(PsFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guint64 offset, length, tail, past;
  guint32 plain;
  guint8 value;
  Shown s;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 2 * page, NULL, &error);
  g_assert_no_error (error);
  scanner = ps_scanner_new (source);
  s = show_view (source, 800, 500);
  frame = ps_scanner_scan_now (scanner);
  ps_hex_view_set_frame (s.view, frame);

  g_assert_true (ps_hex_view_get_byte (s.view, 99, &value));
  g_assert_cmpuint (value, ==, 'x');
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, 0), ==, PS_HEX_BYTE_DATA);
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, 99), ==, PS_HEX_BYTE_DATA);
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, 100), ==, PS_HEX_BYTE_ZERO_TAIL);
  g_assert_true (ps_hex_view_get_byte (s.view, 100, &value));
  g_assert_cmpuint (value, ==, 0);
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  g_assert_cmpuint (offset, ==, 0);
  for (guint64 o = 0; o < length; o++)
    g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, o), ==, o < 100 ? PS_HEX_BYTE_DATA : PS_HEX_BYTE_ZERO_TAIL);

  /* the end of page 0 (zero tail) and page 1 (wholly past EOF) on one screen */
  ps_hex_view_goto (s.view, page - 64);
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  g_assert_cmpuint (offset, <, page - 64);
  g_assert_cmpuint (offset + length, >, page + 64);
  for (guint64 o = offset; o < offset + length; o++)
    g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, o), ==,
                     o < page ? PS_HEX_BYTE_ZERO_TAIL : PS_HEX_BYTE_PAST_EOF);

  tail = page - 32 + 5;
  past = page + 32 + 5;
  texture = render_now (s.view);
  plain = cell_background (s.view, texture, tail);
  g_assert_false (cell_column_differs (s.view, texture, tail, plain));
  g_assert_true (cell_column_differs (s.view, texture, past, plain));

}

typedef struct
{
  PsHexView *view;
  guint64    offset;
} RegrowWait;

static gboolean
byte_is_data (gpointer data)
{
  RegrowWait *w = data;
  return ps_hex_view_get_byte_kind (w->view, w->offset) == PS_HEX_BYTE_DATA;
}

/* A file that grew back: the bytes of a page once wholly past EOF are data
 * again, and the tooltip says so. The new frame comes just after a draw, so
 * it is held back until the fade allows; the draw queued meanwhile once
 * cancelled that wait, and the view kept "wholly past the end" until some
 * later frame. */
static void
test_past_eof_regrown (void)
{
  g_autofree char *path = ps_test_file ("hexregrow", 100, 'x');
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(PsFrame) before = NULL;
  g_autoptr(PsFrame) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tip_before = NULL;
  g_autofree char *tip_after = NULL;
  Shown s;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 2 * page, NULL, &error);
  g_assert_no_error (error);
  scanner = ps_scanner_new (source);
  s = show_view (source, 800, 500);
  before = ps_scanner_scan_now (scanner);
  ps_hex_view_set_frame (s.view, before);
  ps_hex_view_goto (s.view, page + 5);
  g_clear_object (&(GdkTexture *) { render_now (s.view) });
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, page + 5), ==, PS_HEX_BYTE_PAST_EOF);
  tip_before = ps_hex_view_tooltip_text (s.view, page + 5);
  ps_assert_contains (tip_before, "wholly past the end");

  g_assert_cmpint (truncate (path, 2 * page), ==, 0);
  after = ps_scanner_scan_now (scanner);
  g_assert_cmpuint (after->geometry.n_inside, ==, 2);
  /* a frame right after a draw waits for the fade period; a draw comes first */
  g_clear_object (&(GdkTexture *) { render_now (s.view) });
  ps_hex_view_set_frame (s.view, after);
  g_clear_object (&(GdkTexture *) { render_now (s.view) });
  {
    RegrowWait w = { s.view, page + 5 };
    ps_test_wait_until (byte_is_data, &w, 5000);
  }
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, page + 5), ==, PS_HEX_BYTE_DATA);
  tip_after = ps_hex_view_tooltip_text (s.view, page + 5);
  g_test_message ("after: %s", tip_after);
  g_assert_null (strstr (tip_after, "wholly past"));
  g_assert_null (strstr (tip_after, "SIGBUS"));
}

/* ---- a 16 GiB sparse segment scrolls, and nothing is allocated ---- */

static void
test_16_gib (void)
{
  g_autofree char *name = ps_test_posix_name ("hex16g");
  const guint64 size = 16 * GIB;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkAdjustment *adj;
  graphene_rect_t rect;
  guint64 offset, length;
  guint8 value = 1;
  Shown s;
  int fd;

  source = ps_test_create_posix (name, size, 0600, NULL);
  fd = ps_source_get_fd (source);
  g_assert_cmpuint (ps_test_allocated (fd), ==, 0);
  s = show_view (source, 800, 500);
  adj = vadjustment (s.view);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, (double) (size / 16));
  g_assert_cmpfloat (gtk_adjustment_get_page_size (adj), >, 10);

  /* the middle */
  gtk_adjustment_set_value (adj, (double) (size / 32));
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  g_assert_cmpuint (offset, ==, size / 2);
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, size / 2), ==, PS_HEX_BYTE_NOT_ALLOCATED);

  /* the last byte */
  ps_hex_view_goto (s.view, size - 1);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, size - 1);
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  g_assert_cmpuint (offset + length, ==, size);
  g_assert_true (ps_hex_view_get_byte (s.view, size - 1, &value));
  g_assert_cmpuint (value, ==, 0);
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, size - 1), ==, PS_HEX_BYTE_NOT_ALLOCATED);
  g_assert_true (ps_hex_view_get_byte_rect (s.view, size - 1, TRUE, &rect));
  g_assert_cmpfloat (rect.origin.y, >=, 0);
  g_assert_cmpfloat (rect.origin.y + rect.size.height, <=, gtk_widget_get_height (GTK_WIDGET (s.view)) + 0.5);
  g_assert_cmpfloat (rect.origin.x + rect.size.width, <=, gtk_widget_get_width (GTK_WIDGET (s.view)) + 0.5);
  iterate (20);
  texture = render_now (s.view);

  g_assert_cmpuint (ps_test_allocated (fd), ==, 0);
}

/* ---- keyboard and copy ---- */

/* Runs the view's key binding for keyval+mods, as a key press would. */
static void
press (PsHexView       *view,
       guint            keyval,
       GdkModifierType  mods)
{
  ps_ui_test_press_binding (GTK_WIDGET (view), keyval, mods);
}

typedef struct
{
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
on_clipboard_read (GObject      *clipboard,
                   GAsyncResult *result,
                   gpointer      data)
{
  ClipboardRead *read = data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, NULL);
  read->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static char *
clipboard_text (PsHexView *view)
{
  ClipboardRead read = { NULL, FALSE };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (view)), NULL, on_clipboard_read, &read);
  g_assert_true (ps_test_wait_until (read_done, &read, 5000));
  return read.text;
}

static void
test_keyboard_and_copy (void)
{
  g_autofree char *name = ps_test_posix_name ("hexkeys");
  const guint64 size = 4 * page;
  g_autoptr(PsSource) source = NULL;
  GdkClipboard *clipboard;
  guint8 *data;
  guint64 offset, length, rows;
  Shown s;

  source = ps_test_create_posix (name, size, 0600, NULL);
  data = ps_source_get_data (source);
  memcpy (data + 0x10, "\xde\xad\xbe\xef", 4);
  memcpy (data + 0x20, "Hi\n\x01\"\\", 6);
  s = show_view (source, 800, 500);
  gtk_widget_grab_focus (GTK_WIDGET (s.view));
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (s.view));

  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 0);
  press (s.view, GDK_KEY_Right, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 1);
  press (s.view, GDK_KEY_Left, 0);
  press (s.view, GDK_KEY_Left, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 0);
  press (s.view, GDK_KEY_Down, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 16);
  press (s.view, GDK_KEY_End, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 31);
  press (s.view, GDK_KEY_Home, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 16);
  press (s.view, GDK_KEY_Up, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 0);
  g_assert_false (ps_hex_view_get_selection (s.view, NULL, NULL));

  /* Page Down moves the cursor and the view by a screen */
  rows = (guint64) floor (gtk_adjustment_get_page_size (vadjustment (s.view)));
  press (s.view, GDK_KEY_Page_Down, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, rows * 16);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (s.view)), ==, (double) rows);
  press (s.view, GDK_KEY_Page_Up, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 0);

  /* Ctrl+End: the last byte, on screen; Ctrl+Home: back */
  press (s.view, GDK_KEY_End, GDK_CONTROL_MASK);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, size - 1);
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  g_assert_cmpuint (offset + length, ==, size);
  press (s.view, GDK_KEY_Home, GDK_CONTROL_MASK);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (s.view)), ==, 0);

  /* no selection: copying does nothing */
  gdk_clipboard_set_text (clipboard, "before");
  press (s.view, GDK_KEY_c, GDK_CONTROL_MASK);
  g_free (clipboard_text (s.view));
  {
    g_autofree char *text = clipboard_text (s.view);
    g_assert_cmpstr (text, ==, "before");
  }

  /* Shift+movement selects; Ctrl+C copies hex */
  ps_hex_view_goto (s.view, 0x10);
  press (s.view, GDK_KEY_Right, GDK_SHIFT_MASK);
  press (s.view, GDK_KEY_Right, GDK_SHIFT_MASK);
  press (s.view, GDK_KEY_Right, GDK_SHIFT_MASK);
  g_assert_true (ps_hex_view_get_selection (s.view, &offset, &length));
  g_assert_cmpuint (offset, ==, 0x10);
  g_assert_cmpuint (length, ==, 4);
  press (s.view, GDK_KEY_c, GDK_CONTROL_MASK);
  {
    g_autofree char *text = clipboard_text (s.view);
    g_assert_cmpstr (text, ==, "de ad be ef");
  }

  /* Ctrl+Shift+C copies text, escaped */
  ps_hex_view_set_selection (s.view, 0x20, 6);
  press (s.view, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  {
    g_autofree char *text = clipboard_text (s.view);
    g_assert_cmpstr (text, ==, "Hi\\n\\x01\\\"\\\\");
  }

  /* a plain movement drops the selection; Shift+Ctrl+End selects to the end */
  press (s.view, GDK_KEY_Right, 0);
  g_assert_false (ps_hex_view_get_selection (s.view, NULL, NULL));
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 0x26);
  press (s.view, GDK_KEY_End, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
  g_assert_true (ps_hex_view_get_selection (s.view, &offset, &length));
  g_assert_cmpuint (offset, ==, 0x26);
  g_assert_cmpuint (length, ==, size - 0x26);

}

/* ---- visible-range-changed ---- */

typedef struct
{
  guint   count;
  guint64 offset;
  guint64 length;
} RangeRecord;

static void
on_range_recorded (PsHexView   *view,
                   guint64      offset,
                   guint64      length,
                   RangeRecord *record)
{
  record->count++;
  record->offset = offset;
  record->length = length;
}



/* ---- the rows without the widget ---- */

/* What a row shows, read and written as text with no widget and no display. */
static void
test_rows_pure (void)
{
  g_autofree char *name = ps_test_posix_name ("hexrows");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GError) error = NULL;
  PsHexRows rows = { 0 };
  PsHexRowText t;
  gint64 now = g_get_monotonic_time ();

  source = ps_source_create_posix (name, 4 * page, 0600, NULL, &error);
  g_assert_no_error (error);
  memcpy (ps_source_get_data (source), "AB\x07", 3);
  /* the first row of page 0 and of page 1, a hole */
  ps_hex_rows_read (&rows, source, NULL, 0, 1);
  g_assert_cmpint (rows.kinds[0], ==, PS_HEX_BYTE_DATA);
  g_assert_cmpuint (rows.bytes[1], ==, 'B');
  g_assert_cmpint (rows.change_us[0], ==, -1);
  ps_hex_row_text_build (&t, 0, PS_HEX_BYTES_PER_ROW, 8, TRUE, rows.bytes, rows.kinds);
  t.text[t.len] = 0;
  g_assert_cmpstr (t.text, ==, "00000000  41 42 07 00 00 00 00 00  00 00 00 00 00 00 00 00  AB..............");
  ps_hex_rows_read (&rows, source, NULL, page / PS_HEX_BYTES_PER_ROW, 1);
  g_assert_cmpint (rows.kinds[0], ==, PS_HEX_BYTE_NOT_ALLOCATED);
  ps_hex_row_text_build (&t, page / PS_HEX_BYTES_PER_ROW, PS_HEX_BYTES_PER_ROW, 8, FALSE, rows.bytes, rows.kinds);
  t.text[t.len] = 0;
  g_assert_true (g_str_has_prefix (t.text, "00001000  __ __ "));
  {
    int fd = shm_open (name, O_RDONLY, 0);

    /* read without filling the hole */
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpuint (ps_test_allocated (fd), ==, page);
    close (fd);
  }

  /* a byte glows at full strength when it changes, in steps down to none */
  g_assert_cmpint (ps_hex_glow_level (now, now), ==, PS_HEX_GLOW_LEVELS);
  g_assert_cmpint (ps_hex_glow_level (now - PS_HEX_GLOW_US, now), ==, 0);
  g_assert_cmpint (ps_hex_glow_level (0, now), ==, 0);
  g_assert_cmpint (ps_hex_next_glow_step (now, now), ==, now + PS_HEX_GLOW_US / PS_HEX_GLOW_LEVELS);
  ps_hex_rows_clear (&rows);
  g_assert_true (ps_source_remove (source, NULL));
}

/* ---- highlights, the cursor in words, the context menu from the keyboard ---- */

/* Highlighted byte ranges tint their bytes' background, and nothing else. */
static void
test_highlights (void)
{
  g_autofree char *name = ps_test_posix_name ("hexmarks");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) before = NULL, after = NULL, cleared = NULL;
  const PsHighlight ranges[] = {
    { 0x21, 6, 0x33d17aff },          /* bytes 0x21..0x26 */
    { 0x30, 1, 0xe01b2480 },          /* byte 0x30, half strong */
  };
  Shown s;

  source = ps_source_create_posix (name, 4 * page, 0600, NULL, &error);
  g_assert_no_error (error);
  memset (ps_source_get_data (source), 0x41, 4 * page);
  s = show_view (source, 800, 400);
  before = render_now (s.view);
  ps_hex_view_set_highlights (s.view, ranges, G_N_ELEMENTS (ranges));
  after = render_now (s.view);
  for (guint64 o = 0x10; o < 0x50; o++)
    {
      int d = pixel_distance (cell_background (s.view, after, o), cell_background (s.view, before, o));
      gboolean lit = (o >= 0x21 && o <= 0x26) || o == 0x30;

      if (lit)
        g_assert_cmpint (d, >, 40);
      else
        g_assert_cmpint (d, <=, 2);
    }
  ps_hex_view_set_highlights (s.view, NULL, 0);
  cleared = render_now (s.view);
  g_assert_cmpint (pixel_distance (cell_background (s.view, cleared, 0x22), cell_background (s.view, before, 0x22)), <=, 2);
  gtk_window_destroy (GTK_WINDOW (s.window));
  ps_source_remove (source, NULL);
}

static char *
description (PsHexView *view)
{
  /* check_property gives back the value when it differs */
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, "");
}

/* The description starts with the offset, the byte and its character at the
 * cursor, and follows the cursor. */
static void
test_accessible_cursor (void)
{
  g_autofree char *name = ps_test_posix_name ("hexa11y");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint8 *data;
  Shown s;

  source = ps_source_create_posix (name, 4 * page, 0600, NULL, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);
  memcpy (data + 0x40, "AB\x07", 3);
  s = show_view (source, 800, 400);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (s.view), GTK_ACCESSIBLE_PROPERTY_LABEL, "Hex view");

  ps_hex_view_goto (s.view, 0x40);
  text = description (s.view);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Offset 0x40 (64): Value 0x41 (65, “A”). Offsets 0x0 to "));
  g_clear_pointer (&text, g_free);
  press (s.view, GDK_KEY_Right, 0);
  text = description (s.view);
  g_assert_true (g_str_has_prefix (text, "Offset 0x41 (65): Value 0x42 (66, “B”)."));
  g_clear_pointer (&text, g_free);
  press (s.view, GDK_KEY_Right, 0);
  text = description (s.view);
  g_assert_true (g_str_has_prefix (text, "Offset 0x42 (66): Value 0x07 (7)."));
  g_clear_pointer (&text, g_free);

  /* a hole: said without reading it */
  ps_hex_view_goto (s.view, 3 * page + 5);
  text = description (s.view);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Offset 0x3005 (12293): Not allocated: reads as 0x00, never read."));
  gtk_window_destroy (GTK_WINDOW (s.window));
  ps_source_remove (source, NULL);
}

static GtkWidget *
popover_of (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return child;
  g_assert_not_reached ();
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

/* Shift+F10 and the Menu key open the context menu, at the cursor. */
static void
test_context_menu_keys (void)
{
  g_autofree char *name = ps_test_posix_name ("hexmenu");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *menu;
  GdkRectangle at;
  graphene_rect_t cell;
  Shown s;

  source = ps_source_create_posix (name, 4 * page, 0600, NULL, &error);
  g_assert_no_error (error);
  s = show_view (source, 800, 400);
  menu = popover_of (GTK_WIDGET (s.view));
  ps_hex_view_goto (s.view, 0x35);
  g_assert_false (gtk_widget_get_visible (menu));
  press (s.view, GDK_KEY_F10, GDK_SHIFT_MASK);
  g_assert_true (ps_test_wait_until (is_visible, menu, 5000));
  g_assert_true (gtk_popover_get_pointing_to (GTK_POPOVER (menu), &at));
  g_assert_true (ps_hex_view_get_byte_rect (s.view, 0x35, FALSE, &cell));
  g_assert_cmpint (at.x, ==, (int) cell.origin.x);
  gtk_popover_popdown (GTK_POPOVER (menu));
  g_assert_false (gtk_widget_get_visible (menu));
  press (s.view, GDK_KEY_Menu, 0);
  g_assert_true (ps_test_wait_until (is_visible, menu, 5000));
  gtk_popover_popdown (GTK_POPOVER (menu));
  gtk_window_destroy (GTK_WINDOW (s.window));
  ps_source_remove (source, NULL);
}

static void
test_visible_range (void)
{
  g_autofree char *name = ps_test_posix_name ("hexrange");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsSource) other = NULL;
  g_autoptr(GError) error = NULL;
  RangeRecord record = { 0 };
  GtkAdjustment *adj;
  guint64 offset, length;
  double rows;
  Shown s;

  source = ps_test_create_posix (name, 64 * page, 0600, NULL);
  s = show_view (source, 800, 500);
  adj = vadjustment (s.view);
  rows = gtk_adjustment_get_page_size (adj);
  g_signal_connect (s.view, "visible-range-changed", G_CALLBACK (on_range_recorded), &record);

  gtk_adjustment_set_value (adj, 100);
  g_assert_cmpuint (record.count, ==, 1);
  g_assert_cmpuint (record.offset, ==, 100 * 16);
  g_assert_cmpuint (record.length, ==, (guint64) ceil (rows) * 16);
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  g_assert_cmpuint (offset, ==, record.offset);
  g_assert_cmpuint (length, ==, record.length);

  /* half a row scrolled: the rows partly on screen count */
  gtk_adjustment_set_value (adj, 200.5);
  g_assert_cmpuint (record.count, ==, 2);
  g_assert_cmpuint (record.offset, ==, 200 * 16);
  g_assert_cmpuint (record.length / 16, >=, (guint64) ceil (rows));
  g_assert_cmpuint (record.length / 16, <=, (guint64) ceil (rows) + 1);

  /* the same range again says nothing */
  gtk_adjustment_set_value (adj, 200.5);
  g_assert_cmpuint (record.count, ==, 2);

  /* the keyboard scrolls too */
  ps_hex_view_goto (s.view, 200 * 16);    /* partly on screen: centred */
  g_assert_cmpuint (record.count, ==, 3);
  press (s.view, GDK_KEY_Page_Down, 0);
  g_assert_cmpuint (record.count, ==, 4);
  g_assert_cmpuint (record.offset, ==, (guint64) floor (gtk_adjustment_get_value (adj)) * 16);

  /* the end: the last rows, cut at the mapping's end */
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
  g_assert_cmpuint (record.offset + record.length, ==, 64 * page);

  /* a new source starts at the top; none shows nothing */
  other = ps_source_new_anon (8 * page, NULL, &error);
  g_assert_no_error (error);
  ps_hex_view_set_source (s.view, other);
  g_assert_cmpuint (record.offset, ==, 0);
  g_assert_cmpuint (record.length, ==, (guint64) ceil (rows) * 16);
  ps_hex_view_set_source (s.view, NULL);
  g_assert_cmpuint (record.offset, ==, 0);
  g_assert_cmpuint (record.length, ==, 0);

}

/* ---- the row width ---- */

/* bytes-per-row: what each row shows, where each byte is drawn, how the
 * keys and the scrolling count, the text of a row; the byte at the top
 * stays there; the rows as read without the widget. */
static void
test_row_width (void)
{
  g_autofree char *name = ps_test_posix_name ("hexwidth");
  const guint64 size = 4 * page;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t r0, r31, r32, a31;
  guint64 offset, length;
  PsHexRows rows = { 0 };
  PsHexRowText t;
  guint8 *data, value;
  Shown s;

  source = ps_test_create_posix (name, size, 0600, NULL);
  data = ps_source_get_data (source);
  for (guint64 i = 0; i < size; i++)
    data[i] = (guint8) (i % 251);
  s = show_view (source, 1400, 500);
  g_assert_cmpuint (ps_hex_view_get_bytes_per_row (s.view), ==, PS_HEX_BYTES_PER_ROW);
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment (s.view)), ==, (double) (size / 16));

  g_object_set (s.view, "bytes-per-row", 32, NULL);
  ps_ui_test_wait_frame (GTK_WIDGET (s.view));
  g_assert_cmpuint (ps_hex_view_get_bytes_per_row (s.view), ==, 32);
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadjustment (s.view)), ==, (double) (size / 32));
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  g_assert_cmpuint (offset, ==, 0);
  g_assert_cmpuint (length % 32, ==, 0);

  /* bytes 0 and 31 on the first row, 32 under 0; the ASCII after the hex */
  texture = render_now (s.view);
  g_assert_true (ps_hex_view_get_byte_rect (s.view, 0, FALSE, &r0));
  g_assert_true (ps_hex_view_get_byte_rect (s.view, 31, FALSE, &r31));
  g_assert_true (ps_hex_view_get_byte_rect (s.view, 32, FALSE, &r32));
  g_assert_true (ps_hex_view_get_byte_rect (s.view, 31, TRUE, &a31));
  g_assert_cmpfloat (r31.origin.y, ==, r0.origin.y);
  g_assert_cmpfloat (r31.origin.x, >, r0.origin.x);
  g_assert_cmpfloat (r32.origin.y, >, r0.origin.y);
  g_assert_cmpfloat (r32.origin.x, ==, r0.origin.x);
  g_assert_cmpfloat (a31.origin.x, >, r31.origin.x + r31.size.width);
  /* the whole row fits in the 1400 px the view has: drawn, not cut */
  g_assert_cmpfloat (a31.origin.x + a31.size.width, <=, gtk_widget_get_width (GTK_WIDGET (s.view)));
  g_assert_true (ps_hex_view_get_byte (s.view, 31, &value));
  g_assert_cmpuint (value, ==, 31);
  g_assert_cmpint (ps_hex_view_get_byte_kind (s.view, 31), ==, PS_HEX_BYTE_DATA);
  {
    /* the click at byte 31's cell finds byte 31 */
    guint64 at;
    gboolean ascii;

    g_assert_true (ps_hex_view_byte_at (s.view, r31.origin.x + r31.size.width / 2, r31.origin.y + r31.size.height / 2,
                                        &at, &ascii));
    g_assert_cmpuint (at, ==, 31);
    g_assert_false (ascii);
    g_assert_true (ps_hex_view_byte_at (s.view, a31.origin.x + a31.size.width / 2, a31.origin.y + a31.size.height / 2,
                                        &at, &ascii));
    g_assert_cmpuint (at, ==, 31);
    g_assert_true (ascii);
  }

  /* the keys count rows of 32 */
  gtk_widget_grab_focus (GTK_WIDGET (s.view));
  ps_hex_view_goto (s.view, 0);
  press (s.view, GDK_KEY_Down, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 32);
  press (s.view, GDK_KEY_End, 0);
  g_assert_cmpuint (ps_hex_view_get_cursor (s.view), ==, 63);

  /* wider: the byte at the top stays at the top */
  gtk_adjustment_set_value (vadjustment (s.view), 40);      /* byte 1280 */
  g_object_set (s.view, "bytes-per-row", 64, NULL);
  ps_ui_test_wait_frame (GTK_WIDGET (s.view));
  ps_hex_view_get_visible_range (s.view, &offset, &length);
  g_assert_cmpuint (offset, ==, 1280);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadjustment (s.view)), ==, 20);
  g_assert_true (ps_hex_view_get_byte (s.view, 1280 + 63, &value));
  g_assert_cmpuint (value, ==, (1280 + 63) % 251);
  /* not a multiple of 8: the one below */
  g_object_set (s.view, "bytes-per-row", 12, NULL);
  g_assert_cmpuint (ps_hex_view_get_bytes_per_row (s.view), ==, 8);

  /* without the widget: rows of 24, and their text */
  ps_hex_rows_set_width (&rows, 24);
  ps_hex_rows_read (&rows, source, NULL, 2, 1);
  g_assert_cmpuint (rows.bytes[0], ==, 48);
  g_assert_cmpuint (rows.bytes[23], ==, 71);
  ps_hex_row_text_build (&t, 2, 24, 8, FALSE, rows.bytes, rows.kinds);
  t.text[t.len] = '\0';
  g_test_message ("row of 24: %s", t.text);
  /* offset, 2, 24 bytes of hex with a space between and two between groups, 2, the ASCII */
  g_assert_cmpuint (t.len, ==, 8 + 2 + 24 * 3 - 1 + 2 + 2 + 24);
  g_assert_true (g_str_has_prefix (t.text, "00000030  30 31 32 33 34 35 36 37  38 "));
  ps_assert_contains (t.text, "3f  40 41");
  g_assert_true (g_str_has_suffix (t.text, "0123456789:;<=>?@ABCDEFG"));
  ps_hex_rows_clear (&rows);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  ps_ui_test_init (&argc, &argv);
  /* the app's style, as AdwApplication loads it: links the resources in too */
  g_assert_nonnull (pagescope_get_resource ());
  gtk_css_provider_load_from_resource (css, "/io/github/pagescope/Pagescope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  page = (guint64) sysconf (_SC_PAGESIZE);

  g_test_add_func ("/hex-view/glow-and-fade", test_glow_and_fade);
  g_test_add_func ("/hex-view/sparse-never-read", test_sparse_never_read);
  g_test_add_func ("/hex-view/past-eof", test_past_eof);
  g_test_add_func ("/hex-view/past-eof-regrown", test_past_eof_regrown);
  g_test_add_func ("/hex-view/16-gib", test_16_gib);
  g_test_add_func ("/hex-view/keyboard-and-copy", test_keyboard_and_copy);
  g_test_add_func ("/hex-view/visible-range", test_visible_range);
  g_test_add_func ("/hex-view/rows/pure", test_rows_pure);
  g_test_add_func ("/hex-view/highlights", test_highlights);
  g_test_add_func ("/hex-view/accessible-cursor", test_accessible_cursor);
  g_test_add_func ("/hex-view/context-menu-keys", test_context_menu_keys);
  g_test_add_func ("/hex-view/row-width", test_row_width);
  return g_test_run ();
}
