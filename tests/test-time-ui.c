/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recording, replay and diff in the window, for real, under Xvfb: a window
 * on a POSIX segment records while another process writes two pages 3 s
 * apart (the header bar's button and its shortcut start and stop it); the
 * recording, opened in a window of its own, shows each page hot at its
 * change and cold after the other's, in the grid's pixels, and the hex view
 * shows the bytes recorded then and says where none were; a freeze of a
 * 1 GiB segment, then three pages written by another process: the diff
 * tints exactly those three, and "only changed rows" lists only their rows,
 * old bytes under new. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-application.h"
#include "ps-grid-palette.h"
#include "ps-hex-view-private.h"
#include "ps-page-grid-private.h"
#include "ps-test-util.h"
#include "ps-ui-test-app.h"
#include "ps-ui-test-keys.h"
#include "ps-window-time.h"

#define N_PAGES 16
#define PAGE_A  3          /* written first */
#define PAGE_B  5          /* written PS_GRID_FADE_MS_DEFAULT later */
#define PAGE_R  0          /* written before the recording: resident and cold */
#define PAGE_U  9          /* neither watched nor on screen: no bytes recorded */
#define AT      0x10       /* where in its page each write lands */

static PsApplication *app;
static gsize page;

/* ---- another process writes ---- */

typedef struct
{
  const char *name;
  guint64     offset;
  guint32     value;
} WriteArgs;

static int
write_child (gpointer data)
{
  WriteArgs *args = data;
  int fd = shm_open (args->name, O_RDWR, 0);

  if (fd < 0)
    return 2;
  return pwrite (fd, &args->value, sizeof args->value, args->offset) == sizeof args->value ? 0 : 3;
}

static void
write_from_another_process (const char *name,
                            guint64     offset,
                            guint32     value)
{
  WriteArgs args = { name, offset, value };
  int status = ps_test_reap (ps_test_fork (write_child, &args), 5000);

  ps_assert_status (status, "exit 0");
}

/* ---- waiting ---- */

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

typedef struct
{
  PsWindow *window;
  guint64   changes;
} Taken;

static gboolean
recorder_took (gpointer data)
{
  Taken *taken = data;
  PsRecordStats stats;

  ps_recorder_get_stats (ps_window_get_recorder (taken->window), &stats);
  return stats.changes >= taken->changes;
}

static void
wait_recorded (PsWindow *window,
               guint64   changes)
{
  Taken taken = { window, changes };

  g_assert_true (ps_test_wait_until (recorder_took, &taken, 20000));
}

static gboolean
recording_complete (gpointer data)
{
  g_autoptr(PsReplay) replay = ps_replay_open (data, NULL);

  return replay != NULL && ps_replay_is_complete (replay);
}

static gboolean
has_frame (gpointer data)
{
  return ps_session_get_frame (PS_WINDOW (data)->session) != NULL;
}

/* ---- the file chooser, answered as a user would ----
 *
 * No portal runs under the tests: the window's GtkFileChooserNative shows
 * GTK's own dialog, which is answered here: a folder, a name, an option of
 * the choice, then Accept, as its button does. */

static GtkWindow *
shown_chooser (PsWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)) &&
          gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        return toplevel;
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return shown_chooser (data) != NULL;
}

/* The drop-down of the chooser's choice: the one with an option labelled so. */
static GtkDropDown *
find_choice (GtkWidget  *widget,
             const char *label,
             guint      *index)
{
  if (GTK_IS_DROP_DOWN (widget))
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

      for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (model, i);

          if (GTK_IS_STRING_OBJECT (item) && strstr (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), label))
            {
              *index = i;
              return GTK_DROP_DOWN (widget);
            }
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = find_choice (child, label, index);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The label of the option the choice shows. */
static const char *
choice_shown (GtkWindow *dialog,
              const char *any_label)
{
  guint index;
  GtkDropDown *drop_down = find_choice (GTK_WIDGET (dialog), any_label, &index);

  g_assert_nonnull (drop_down);
  return gtk_string_object_get_string (gtk_drop_down_get_selected_item (drop_down));
}

static void
answer_chooser (PsWindow   *window,
                const char *path,
                const char *option)
{
  GtkWindow *dialog;

  g_assert_true (ps_test_wait_until (chooser_shown, window, 20000));
  dialog = shown_chooser (window);
  /* typed whole into the name, as a user may: changing the folder while
   * the chooser still loads its first one makes GTK 4.8 show an error */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), path);
  if (option != NULL)
    {
      guint index;
      GtkDropDown *drop_down = find_choice (GTK_WIDGET (dialog), option, &index);

      g_assert_nonnull (drop_down);
      gtk_drop_down_set_selected (drop_down, index);
    }
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
}

typedef struct
{
  const char *path;
  const char *expect;
} FileWait;

/* The file is there and holds expect (written in a worker thread). */
static gboolean
file_holds (gpointer data)
{
  FileWait *w = data;
  g_autofree char *text = NULL;

  return g_file_get_contents (w->path, &text, NULL, NULL) && strstr (text, w->expect) != NULL;
}

/* ---- the recording ---- */

typedef struct
{
  char     *segment;
  char     *trace;
  PsWindow *window;
} Recorded;

static void
recorded_clear (Recorded *r)
{
  g_free (r->segment);
  g_free (r->trace);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Recorded, recorded_clear)

static gboolean
pass_recorded (gpointer data)
{
  PsRecordStats stats;

  ps_recorder_get_stats (ps_window_get_recorder (data), &stats);
  return stats.rows_written > 0;
}

/* SQLite's side files, should an assertion stop the recorder midway */
static void
queue_unlink_trace (const char *trace)
{
  static const char *const suffixes[] = { "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *side = g_strconcat (trace, suffixes[i], NULL);

      ps_test_queue_unlink (side);
    }
}

static PsWindow *
window_on_segment (const char *name)
{
  PsSourceSpec spec = { .kind = PS_SOURCE_POSIX, .name = (char *) name };
  PsWindow *window = ps_ui_test_window_open (app, &spec);

  g_assert_true (ps_test_wait_until (has_frame, window, 20000));
  return window;
}

static void
watch_page_a (PsWindow *window)
{
  g_auto(PsWatchSpec) spec = { 0 };
  g_autofree char *text = g_strdup_printf ("a:u32@%" G_GUINT64_FORMAT, (guint64) PAGE_A * page + AT);
  g_autoptr(GError) error = NULL;

  g_assert_true (ps_watch_spec_parse (text, &spec, &error));
  g_assert_nonnull (ps_session_add_watch (window->session, &spec, &error));
  g_assert_no_error (error);
}

/* A window on a fresh segment records (win.record-to, as the chooser's
 * answer does) while another process writes page A, then, the grid's fade
 * later, page B. Left recording: the caller stops it. */
static void
record_two_writes (Recorded *r)
{
  gint64 cold_at;

  r->segment = ps_test_posix_segment ("time", N_PAGES * page);
  r->trace = ps_test_temp_path ("time.pagescope-trace");
  queue_unlink_trace (r->trace);
  write_from_another_process (r->segment, PAGE_R * page + AT, 0x52525252);
  write_from_another_process (r->segment, PAGE_A * page + AT, 0x41414141);
  write_from_another_process (r->segment, PAGE_B * page + AT, 0x42424242);
  r->window = window_on_segment (r->segment);
  watch_page_a (r->window);

  gtk_widget_activate_action (GTK_WIDGET (r->window), "win.record-to", "s", r->trace);
  g_assert_nonnull (ps_window_get_recorder (r->window));
  /* a first pass recorded: what is there now is the start, not a change */
  g_assert_true (ps_test_wait_until (pass_recorded, r->window, 20000));

  write_from_another_process (r->segment, PAGE_A * page + AT, 0xa1a1a1a1);
  wait_recorded (r->window, 1);
  cold_at = g_get_monotonic_time () + (PS_GRID_FADE_MS_DEFAULT + 300) * 1000;
  g_assert_true (ps_test_wait_until (time_passed, &cold_at, PS_GRID_FADE_MS_DEFAULT + 2000));
  write_from_another_process (r->segment, PAGE_B * page + AT, 0xb2b2b2b2);
  wait_recorded (r->window, 2);
}

static void
stop_with_button (Recorded *r)
{
  GtkToggleButton *button = ps_ui_test_child (r->window, "record_button");

  g_assert_true (gtk_toggle_button_get_active (button));
  ps_ui_test_click (GTK_WIDGET (button));
  g_assert_null (ps_window_get_recorder (r->window));
  g_assert_false (gtk_toggle_button_get_active (button));
  /* the last transaction is written in the background */
  g_assert_true (ps_test_wait_until (recording_complete, r->trace, 20000));
}

/* ---- recording ---- */

static void
test_record (void)
{
  g_auto(Recorded) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsReplay) replay = NULL;
  g_autofree char **actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "<Control><Shift>r");
  GtkToggleButton *button;
  PsFrame *frame;
  gint64 t_a, t_b;
  guint8 bytes[4], what[4];
  guint32 value;

  /* the shortcut is the header bar's button */
  g_assert_nonnull (actions);
  g_assert_cmpstr (actions[0], ==, "win.record");

  record_two_writes (&r);
  button = ps_ui_test_child (r.window, "record_button");
  g_assert_true (gtk_toggle_button_get_active (button));
  ps_assert_contains (gtk_label_get_text (r.window->time->record_label), "Recording");
  stop_with_button (&r);
  g_assert_cmpstr (gtk_label_get_text (r.window->time->record_label), ==, "");

  /* exactly page A, then page B */
  replay = ps_replay_open (r.trace, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ps_replay_get_n_changes (replay), ==, 2);
  t_a = ps_replay_next_change (replay, 0);
  t_b = ps_replay_next_change (replay, t_a);
  g_assert_cmpint (t_a, >, 0);
  g_assert_cmpint (t_b - t_a, >=, PS_GRID_FADE_MS_DEFAULT * 1000);
  g_assert_cmpint (ps_replay_next_change (replay, t_b), ==, -1);
  frame = ps_replay_get_frame (replay, t_a, g_get_monotonic_time ());
  g_assert_cmpuint (ps_frame_page (frame, PAGE_A)->changes, ==, 1);
  g_assert_cmpuint (ps_frame_page (frame, PAGE_B)->changes, ==, 0);
  ps_frame_unref (frame);
  frame = ps_replay_get_frame (replay, t_b, g_get_monotonic_time ());
  g_assert_cmpuint (ps_frame_page (frame, PAGE_B)->changes, ==, 1);
  ps_frame_unref (frame);

  /* the watched bytes: what was written, and before it what was there */
  g_assert_true (ps_replay_get_bytes (replay, t_b, PAGE_A * page + AT, 4, bytes, what));
  memcpy (&value, bytes, 4);
  g_assert_cmphex (value, ==, 0xa1a1a1a1);
  g_assert_cmpint (what[0], ==, PS_REPLAY_BYTE_RECORDED);
  g_assert_true (ps_replay_get_bytes (replay, t_a - 1000, PAGE_A * page + AT, 4, bytes, what));
  memcpy (&value, bytes, 4);
  g_assert_cmphex (value, ==, 0x41414141);

  /* nothing open: nothing to record */
  {
    PsWindow *empty = ps_ui_test_window_new (app);

    g_assert_false (gtk_widget_is_sensitive (ps_ui_test_child (empty, "record_button")));
  }
}

/* ---- the cap, chosen in the record chooser ----
 *
 * GTK 4.8's own file chooser (no portal) ignores gtk_file_chooser_set_choice
 * and shows the choice's first option: the cap must be what the chooser
 * shows, untouched, and what the user picks in it. */

static gboolean
not_recording (gpointer data)
{
  return ps_window_get_recorder (data) == NULL;
}

static gboolean
is_recording (gpointer data)
{
  return ps_window_get_recorder (data) != NULL;
}

static void
record_through_chooser (PsWindow   *window,
                        const char *trace,
                        const char *option,
                        const char *shown)
{
  GtkWindow *dialog;

  queue_unlink_trace (trace);
  ps_test_queue_unlink (trace);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  g_assert_true (ps_test_wait_until (chooser_shown, window, 20000));
  dialog = shown_chooser (window);
  g_assert_cmpstr (choice_shown (dialog, "MiB"), ==, shown);
  answer_chooser (window, trace, option);
  if (!ps_test_wait_until (is_recording, window, 20000))
    g_error ("the chosen file does not record (%s)", window->toast != NULL ? adw_toast_get_title (window->toast) : "no toast");
  g_assert_cmpstr (ps_recorder_get_path (ps_window_get_recorder (window)), ==, trace);
}

static void
stop_recording (PsWindow   *window,
                const char *trace)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  g_assert_true (ps_test_wait_until (not_recording, window, 20000));
  g_assert_true (ps_test_wait_until (recording_complete, (gpointer) trace, 20000));
}

static void
test_record_cap (void)
{
  g_autofree char *name = ps_test_posix_segment ("cap", N_PAGES * page);
  g_autofree char *first = ps_test_temp_path ("cap-1.pagescope-trace");
  g_autofree char *second = ps_test_temp_path ("cap-2.pagescope-trace");
  g_autoptr(GSettings) settings = g_settings_new ("io.github.pagescope.Pagescope");
  PsWindow *window = window_on_segment (name);
  GtkWindow *dialog;

  g_settings_reset (settings, "record-cap-mib");
  g_assert_cmpuint (g_settings_get_uint (settings, "record-cap-mib"), ==, 64);

  /* untouched: the setting, 64 MiB, shown and used (was 0: no bytes) */
  record_through_chooser (window, first, NULL, "Up to 64 MiB of changed bytes");
  g_assert_cmpuint (ps_recorder_get_cap (ps_window_get_recorder (window)), ==, G_GUINT64_CONSTANT (64) << 20);
  stop_recording (window, first);

  /* 16 MiB picked: used, and kept for the next time */
  record_through_chooser (window, second, "Up to 16 MiB", "Up to 64 MiB of changed bytes");
  g_assert_cmpuint (ps_recorder_get_cap (ps_window_get_recorder (window)), ==, G_GUINT64_CONSTANT (16) << 20);
  g_assert_cmpuint (g_settings_get_uint (settings, "record-cap-mib"), ==, 16);
  stop_recording (window, second);

  /* the next chooser starts on it; cancelled, nothing records */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.record", NULL));
  g_assert_true (ps_test_wait_until (chooser_shown, window, 20000));
  dialog = shown_chooser (window);
  g_assert_cmpstr (choice_shown (dialog, "MiB"), ==, "Up to 16 MiB of changed bytes");
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_assert_null (ps_window_get_recorder (window));
  g_settings_reset (settings, "record-cap-mib");
  /* nothing left on the display for the tests after */
  ps_ui_test_close (GTK_WINDOW (window));
}

/* ---- replay ---- */

static gboolean
replay_loaded (gpointer data)
{
  PsWindow *window = data;

  return window->time->replay != NULL;
}

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

/* The grid as painted after what was just changed. */
static GdkTexture *
grid_painted (PsWindow *window)
{
  GtkWidget *grid = GTK_WIDGET (window->grid);
  Render r = { grid, NULL };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (grid);
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &r);

  gtk_widget_queue_draw (grid);
  g_assert_true (ps_test_wait_until (rendered, &r, 5000));
  g_signal_handler_disconnect (clock, id);
  return r.texture;
}

static guint32
cell_pixel (PsWindow   *window,
            GdkTexture *texture,
            guint64     page_number)
{
  GdkRectangle area;

  g_assert_true (ps_page_grid_get_page_area (window->grid, page_number, &area));
  return ps_ui_test_pixel (texture, area.x + area.width / 2, area.y + area.height / 2);
}

typedef struct
{
  guint32 a, b, r;
} Cells;

static gboolean
grid_caught_up (gpointer data)
{
  return !PS_PAGE_GRID (data)->frame_pending;
}

/* The grid as painted now, without moving the playhead. */
static Cells
grid_now (PsWindow *window)
{
  g_autoptr(GdkTexture) texture = NULL;
  Cells cells;

  /* the grid brings its cells up to date at the fade's frame rate */
  g_assert_true (ps_test_wait_until (grid_caught_up, window->grid, 5000));
  ps_ui_test_wait_frame (GTK_WIDGET (window->grid));
  texture = grid_painted (window);
  cells.a = cell_pixel (window, texture, PAGE_A);
  cells.b = cell_pixel (window, texture, PAGE_B);
  cells.r = cell_pixel (window, texture, PAGE_R);
  return cells;
}

static Cells
scrub_to (PsWindow *window,
          gint64    t_us)
{
  ps_timeline_set_position (ps_replay_bar_get_timeline (window->time->replay_bar), t_us);
  return grid_now (window);
}

/* The first pixel column of the strip at or after t_us. */
static int
x_at_or_after (PsTimeline *timeline,
               gint64      t_us)
{
  int width = gtk_widget_get_width (GTK_WIDGET (timeline));

  for (int x = 0; x < width; x++)
    if (ps_timeline_time_at (timeline, x) >= t_us)
      return x;
  g_error ("no column of the timeline is at %" G_GINT64_FORMAT " µs", t_us);
}

/* A click at x as the timeline's click gesture reports it. Not an X event:
 * a real pointer (XTest) needs the display to itself, and another test's
 * window, or a resize, moves what is under it. */
static void
click_timeline (PsTimeline *timeline,
                double      x)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (timeline));
  guint clicked = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        {
          g_signal_emit_by_name (controller, "pressed", 1, x, gtk_widget_get_height (GTK_WIDGET (timeline)) / 2.0);
          clicked++;
        }
    }
  g_assert_cmpuint (clicked, ==, 1);
}

static guint32
hex_value (PsWindow *window,
           guint64   offset,
           guint8   *kind)
{
  guint8 bytes[4];
  guint32 value;

  ps_hex_view_read_bytes (window->hex, offset, bytes, 4, kind);
  memcpy (&value, bytes, 4);
  return value;
}

/* A key as the widget's own bindings take it. */
static void
press (GtkWidget       *widget,
       guint            keyval,
       GdkModifierType  mods)
{
  g_assert_true (ps_ui_test_press_binding (widget, keyval, mods));
}

static gboolean
at_end (gpointer data)
{
  PsWindow *window = data;
  PsReplayBar *bar = window->time->replay_bar;

  return !ps_replay_bar_get_playing (bar) &&
         ps_timeline_get_position (ps_replay_bar_get_timeline (bar)) == ps_replay_get_duration (window->time->replay);
}

static PsWindow *
replay_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (PS_IS_WINDOW (toplevel) && ps_window_is_replay (PS_WINDOW (toplevel)))
        return PS_WINDOW (toplevel);
    }
  g_error ("no window replays the recording");
}

static void
test_replay (void)
{
  g_auto(Recorded) r = { 0 };
  PsWindow *window;
  PsReplay *replay;
  PsTimeline *timeline;
  gint64 t_a, t_b;
  Cells before, first, second;
  GListModel *log;
  guint8 kind;

  record_two_writes (&r);
  stop_with_button (&r);

  /* the recorded window shows something: the replay gets a window of its own */
  gtk_widget_activate_action (GTK_WIDGET (r.window), "win.open-recording", "s", r.trace);
  window = replay_window ();
  ps_ui_test_queue_destroy (GTK_WINDOW (window));
  g_assert_true (ps_test_wait_until (replay_loaded, window, 20000));
  ps_ui_test_wait_drawn (GTK_WIDGET (window->grid));

  /* marked as a replay, and nothing live behind it */
  g_assert_false (ps_session_is_open (window->session));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "Replay of "));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window->time->replay_bar)));
  g_assert_true (gtk_widget_get_mapped (ps_ui_test_child (window->time->replay_bar, "tag_label")));
  g_assert_false (gtk_widget_is_sensitive (ps_ui_test_child (window, "record_button")));

  replay = window->time->replay;
  timeline = ps_replay_bar_get_timeline (window->time->replay_bar);
  t_a = ps_replay_next_change (replay, 0);
  t_b = ps_replay_next_change (replay, t_a);

  /* before either change, both pages look as page R, which never changed
   * while it recorded; at A's change A is hot and B as R; at B's change,
   * 3 s later, B is hot and A has cooled */
  before = scrub_to (window, t_a - 1000);
  g_assert_cmphex (before.a, ==, before.r);
  g_assert_cmphex (before.b, ==, before.r);
  first = scrub_to (window, t_a);
  g_assert_cmphex (first.a, !=, first.r);
  g_assert_cmphex (first.b, ==, first.r);
  second = scrub_to (window, t_b);
  g_assert_cmphex (second.b, !=, second.r);
  g_assert_cmphex (second.a, !=, first.a);
  g_assert_cmphex (second.a, !=, second.b);

  /* the hex view reads the recording at the time shown */
  g_assert_cmphex (hex_value (window, PAGE_A * page + AT, &kind), ==, 0xa1a1a1a1);
  g_assert_cmpint (kind, ==, PS_HEX_BYTE_DATA);
  scrub_to (window, t_a - 1000);
  g_assert_cmphex (hex_value (window, PAGE_A * page + AT, &kind), ==, 0x41414141);
  g_assert_cmpint (kind, ==, PS_HEX_BYTE_DATA);
  hex_value (window, PAGE_U * page, &kind);
  g_assert_cmpint (kind, ==, PS_HEX_BYTE_UNKNOWN);

  /* the recorded watch's value at the time shown, in the side pane: the
   * one written before the recording until the watch read the new one
   * (its own time: a watch is read apart from the pages' hashes) */
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (window->time->replay_watches, 0);
    gint64 new_at = -1;

    g_assert_nonnull (row);
    g_assert_cmpuint (ps_replay_get_n_watches (replay), ==, 1);
    ps_assert_contains (ps_replay_get_watch_value (replay, 0, ps_replay_get_duration (replay), &new_at), "2711724449");
    g_assert_cmpint (new_at, >, 0);
    /* the pane follows the playhead at once (no frame to wait for) */
    ps_timeline_set_position (timeline, new_at - 1);
    ps_assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "1094795585");   /* 0x41414141 */
    ps_timeline_set_position (timeline, new_at);
    ps_assert_contains (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "2711724449");   /* 0xa1a1a1a1 */
  }

  /* the keys: Home, Ctrl+Right from change to change, Ctrl+Left, End */
  press (GTK_WIDGET (timeline), GDK_KEY_Home, 0);
  g_assert_cmpint (ps_timeline_get_position (timeline), ==, 0);
  press (GTK_WIDGET (timeline), GDK_KEY_Right, GDK_CONTROL_MASK);
  g_assert_cmpint (ps_timeline_get_position (timeline), ==, t_a);
  press (GTK_WIDGET (timeline), GDK_KEY_Right, GDK_CONTROL_MASK);
  g_assert_cmpint (ps_timeline_get_position (timeline), ==, t_b);
  press (GTK_WIDGET (timeline), GDK_KEY_Left, GDK_CONTROL_MASK);
  g_assert_cmpint (ps_timeline_get_position (timeline), ==, t_a);
  press (GTK_WIDGET (timeline), GDK_KEY_End, 0);
  g_assert_cmpint (ps_timeline_get_position (timeline), ==, ps_replay_get_duration (replay));

  /* the bottom pane: the recorded log up to the time shown, not the window's */
  log = ps_log_view_get_log (window->log_view);
  g_assert_true (log != G_LIST_MODEL (window->log));
  g_assert_cmpuint (ps_replay_get_n_events (replay), >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, ps_replay_get_n_events (replay));
  {
    g_autoptr(PsLogEntry) line = g_list_model_get_item (log, 0);
    g_autofree char *recording_to = g_strdup_printf ("record: to %s", r.trace);

    ps_assert_contains (ps_log_entry_get_text (line), recording_to);
  }
  press (GTK_WIDGET (timeline), GDK_KEY_Home, 0);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 0);

  /* a click on the strip (its click gesture's "pressed", as GTK emits it
   * for a press at that point) just past A's change shows A hot, one just
   * past B's change B hot */
  {
    int x_a = x_at_or_after (timeline, t_a), x_b = x_at_or_after (timeline, t_b);
    Cells cells;

    g_assert_cmpint (x_a, <, x_b);
    press (GTK_WIDGET (timeline), GDK_KEY_Home, 0);
    click_timeline (timeline, x_a);
    g_assert_cmpint (ps_timeline_get_position (timeline), ==, ps_timeline_time_at (timeline, x_a));
    g_assert_cmpint (ps_timeline_get_position (timeline), >=, t_a);
    g_assert_cmpint (ps_timeline_get_position (timeline), <, t_b);
    g_assert_true (gtk_widget_is_focus (GTK_WIDGET (timeline)));
    cells = grid_now (window);
    g_assert_cmphex (cells.a, !=, cells.r);
    g_assert_cmphex (cells.b, ==, cells.r);
    click_timeline (timeline, x_b);
    g_assert_cmpint (ps_timeline_get_position (timeline), >=, t_b);
    cells = grid_now (window);
    g_assert_cmphex (cells.b, !=, cells.r);
    g_assert_cmphex (cells.a, !=, cells.b);
  }

  /* Export, from the replay bar's menu through the file chooser: the
   * changes as CSV and JSON Lines, the watch's values as CSV */
  {
    g_autofree char *csv = ps_test_temp_path ("export.csv");
    g_autofree char *jsonl = ps_test_temp_path ("export.jsonl");
    g_autofree char *watches = ps_test_temp_path ("export-watches.csv");
    g_autofree char *row_a = g_strdup_printf (",%d,%" G_GSIZE_FORMAT ",%" G_GSIZE_FORMAT ",0x", PAGE_A, PAGE_A * page, page);
    g_autofree char *json_b = g_strdup_printf ("\"page\":%d,", PAGE_B);
    FileWait w;
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;

    ps_test_queue_unlink (csv);
    ps_test_queue_unlink (jsonl);
    ps_test_queue_unlink (watches);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-recording", "s", "csv"));
    answer_chooser (window, csv, NULL);
    w = (FileWait) { csv, row_a };
    g_assert_true (ps_test_wait_until (file_holds, &w, 20000));
    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    g_assert_cmpstr (lines[0], ==, "time,page,offset,length,hash");
    ps_assert_contains (lines[1], row_a);
    g_assert_nonnull (strstr (lines[2], ",5,"));
    g_assert_cmpstr (lines[3], ==, "");

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-recording", "s", "jsonl"));
    answer_chooser (window, jsonl, NULL);
    w = (FileWait) { jsonl, json_b };
    g_assert_true (ps_test_wait_until (file_holds, &w, 20000));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-recording", "s", "watches"));
    answer_chooser (window, watches, NULL);
    w = (FileWait) { watches, ",2711724449\n" };
    g_assert_true (ps_test_wait_until (file_holds, &w, 20000));
    g_clear_pointer (&text, g_free);
    g_assert_true (g_file_get_contents (watches, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, "time,name,offset,type,value\n"));
    ps_assert_contains (text, ",a,");
    ps_assert_contains (text, ",1094795585\n");
  }

  /* played at 10x from B's change, it stops at the end */
  ps_replay_bar_set_speed (window->time->replay_bar, 10);
  g_assert_cmpfloat (ps_replay_bar_get_speed (window->time->replay_bar), ==, 10);
  ps_timeline_set_position (timeline, t_b);
  ps_replay_bar_set_playing (window->time->replay_bar, TRUE);
  g_assert_true (ps_test_wait_until (at_end, window, 20000));
}

/* ---- the real pointer on the timeline ---- */

typedef struct
{
  GtkWidget *widget;
  int        width;
  int        height;
  gint64     since;
} Stable;

/* The widget mapped and its size unchanged for 500 ms of polling: a window shown on a loaded display gets its size
 * from the X server after it is mapped (1578 px wide, then 562, was seen),
 * and a point computed before that lands on another time. */
static gboolean
size_stable (gpointer data)
{
  Stable *s = data;
  int width = gtk_widget_get_width (s->widget), height = gtk_widget_get_height (s->widget);
  gint64 now = g_get_monotonic_time ();

  if (!gtk_widget_get_mapped (s->widget) || width != s->width || height != s->height)
    {
      s->width = width;
      s->height = height;
      s->since = now;
      return FALSE;
    }
  return now - s->since >= 500 * 1000;
}

static void
wait_size_stable (GtkWidget *widget)
{
  Stable s = { widget, -1, -1, 0 };

  if (!ps_test_wait_until (size_stable, &s, 20000))
    g_error ("%s never kept its size: %d x %d, mapped %d, for %" G_GINT64_FORMAT " ms", G_OBJECT_TYPE_NAME (widget),
             s.width, s.height, gtk_widget_get_mapped (widget), (g_get_monotonic_time () - s.since) / 1000);
}

#define FIXED_WIDTH  1200
#define FIXED_HEIGHT 980

/* The window narrow, at FIXED_WIDTH less its shadow. */
static gboolean
sized (gpointer data)
{
  PsWindow *window = data;

  if (!ps_window_get_narrow (window))
    return FALSE;
  if (gtk_widget_get_width (GTK_WIDGET (window)) <= FIXED_WIDTH)
    return TRUE;
  gtk_window_set_default_size (GTK_WINDOW (window), FIXED_WIDTH, FIXED_HEIGHT);
  return FALSE;
}

/* The whole of widget within its window. */
static gboolean
shown_whole (gpointer data)
{
  GtkWidget *widget = data;
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  graphene_rect_t b;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &b));
  return b.origin.y >= 0 && b.origin.y + b.size.height <= gtk_widget_get_height (window);
}

/* Narrow, the window's content goes above the log's divider, which cuts
 * off its top (the grid, and the timeline under it): the divider as far
 * down as it goes, as a user would drag it, until the widget shows. */
static void
show_whole (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_PANED (w) && gtk_orientable_get_orientation (GTK_ORIENTABLE (w)) == GTK_ORIENTATION_VERTICAL &&
        gtk_widget_is_ancestor (widget, gtk_paned_get_start_child (GTK_PANED (w))))
      {
        int max;

        g_object_get (w, "max-position", &max, NULL);
        gtk_paned_set_position (GTK_PANED (w), max);
      }
  if (!ps_test_wait_until (shown_whole, widget, 5000))
    {
      graphene_rect_t b;

      g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (gtk_widget_get_root (widget)), &b));
      g_error ("%s is not all in its window: at y %g, %g high, in a window %d high", G_OBJECT_TYPE_NAME (widget),
               b.origin.y, b.size.height, gtk_widget_get_height (GTK_WIDGET (gtk_widget_get_root (widget))));
    }
}

typedef struct
{
  PsTimeline *timeline;
  gint64      t_us;
} At;

static gboolean
position_is (gpointer data)
{
  At *at = data;

  return ps_timeline_get_position (at->timeline) == at->t_us;
}

/* The pointer to column x of the timeline, halfway down, and GTK has
 * handled its motion; the timeline's width is as it was when x was
 * chosen. */
static void
pointer_to (PsTimeline *timeline,
            int         x,
            int         width)
{
  GtkWidget *widget = GTK_WIDGET (timeline);

  g_assert_cmpint (gtk_widget_get_width (widget), ==, width);
  ps_ui_test_pointer_move (widget, x, gtk_widget_get_height (widget) / 2);
}

/* The pointer moved in steps from column from to column to, button held:
 * the playhead follows it to the time under it. */
static void
drag_to (PsTimeline *timeline,
         int         from,
         int         to,
         int         width)
{
  At at = { timeline, 0 };

  for (int i = 1; i <= 4; i++)
    pointer_to (timeline, from + (to - from) * i / 4, width);
  at.t_us = ps_timeline_time_at (timeline, to);
  if (!ps_test_wait_until (position_is, &at, 5000))
    g_error ("dragged to column %d (%" G_GINT64_FORMAT " µs), the playhead is at %" G_GINT64_FORMAT " µs",
             to, at.t_us, ps_timeline_get_position (timeline));
}

/* The application's settings as they are now, to put back: the replay's
 * window, sized for this test, saves its layout's divider as it folds. */
static GVariantDict *
settings_kept (void)
{
  GSettings *settings = ps_application_get_settings (app);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  GVariantDict *kept = g_variant_dict_new (NULL);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);

      g_variant_dict_insert_value (kept, keys[i], value);
    }
  return kept;
}

static void
settings_put_back (GVariantDict *kept)
{
  GSettings *settings = ps_application_get_settings (app);
  g_autoptr(GVariant) all = g_variant_dict_end (kept);
  GVariantIter iter;
  const char *key;
  GVariant *value;

  g_variant_iter_init (&iter, all);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    g_settings_set_value (settings, key, value);
  g_variant_dict_unref (kept);
}

/* The replay's timeline under a real pointer (XTest), as a user clicks and
 * drags it: a click takes the playhead to the time under the pointer, a
 * drag scrubs, the grid showing A hot and B cold between the two changes,
 * then B hot and A cooled past B's. Alone on the display (tests/meson.build):
 * another test's window would take the pointer. */
static void
test_replay_pointer (void)
{
  g_auto(Recorded) r = { 0 };
  g_autofree char *why = NULL;
  PsWindow *window;
  PsReplay *replay;
  PsTimeline *timeline;
  gint64 t_a, t_b;
  int width, x_start, x_a, x_b, x_end;
  At at;
  Cells cells;
  GVariantDict *kept;

  if (!ps_ui_test_keys_available (&why))
    {
      g_test_skip (why);
      return;
    }
  record_two_writes (&r);
  stop_with_button (&r);
  kept = settings_kept ();
  gtk_widget_activate_action (GTK_WIDGET (r.window), "win.open-recording", "s", r.trace);
  window = replay_window ();
  ps_ui_test_queue_destroy (GTK_WINDOW (window));
  g_assert_true (ps_test_wait_until (replay_loaded, window, 20000));
  ps_ui_test_wait_drawn (GTK_WIDGET (window->grid));
  /* the recorded window out of the way: the pointer's events go to the
   * replay's window alone */
  gtk_widget_set_visible (GTK_WIDGET (r.window), FALSE);

  replay = window->time->replay;
  timeline = ps_replay_bar_get_timeline (window->time->replay_bar);
  t_a = ps_replay_next_change (replay, 0);
  t_b = ps_replay_next_change (replay, t_a);
  /* a size of its own, where its layout stays: at the size the settings
   * give (1590 px, the screen's 1600 less the shadow), this window goes
   * from narrow to wide and back every frame or so (1590 <-> 1699 px wide,
   * its timeline 1578 <-> 562 px): wide it needs more than the screen,
   * so narrow and narrower, asked for while it is narrow (a size asked
   * while it is wide gives way to the wide layout's least width) */
  if (!ps_test_wait_until (sized, window, 20000))
    g_error ("the replay's window never kept %d px: %d px wide, %s", FIXED_WIDTH,
             gtk_widget_get_width (GTK_WIDGET (window)), ps_window_get_narrow (window) ? "narrow" : "wide");
  wait_size_stable (GTK_WIDGET (timeline));
  show_whole (GTK_WIDGET (timeline));
  wait_size_stable (GTK_WIDGET (timeline));
  width = gtk_widget_get_width (GTK_WIDGET (timeline));
  x_a = x_at_or_after (timeline, t_a);
  x_b = x_at_or_after (timeline, t_b);
  x_end = width - 1;
  x_start = x_a / 2;
  g_test_message ("window %d x %d, timeline %d px wide: A at column %d, B at %d",
                  gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)), width, x_a, x_b);
  g_assert_cmpint (x_start, <, x_a);
  g_assert_cmpint (x_a, <, x_b);
  g_assert_cmpint (x_b, <, x_end);
  g_assert_cmpint (ps_timeline_time_at (timeline, x_start), <, t_a);
  g_assert_cmpint (ps_timeline_time_at (timeline, x_a), <, t_b);
  g_assert_cmpint (ps_timeline_time_at (timeline, x_end), >, t_b);

  /* a click just past A's change: the playhead at the time under the
   * pointer, the timeline focused, A hot and B cold */
  ps_timeline_set_position (timeline, ps_replay_get_duration (replay));
  pointer_to (timeline, x_a, width);
  ps_ui_test_pointer_button (GTK_WIDGET (timeline), TRUE);
  ps_ui_test_pointer_button (GTK_WIDGET (timeline), FALSE);
  at = (At) { timeline, ps_timeline_time_at (timeline, x_a) };
  g_assert_true (ps_test_wait_until (position_is, &at, 5000));
  g_assert_cmpint (ps_timeline_get_position (timeline), >=, t_a);
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (timeline)));
  cells = grid_now (window);
  g_assert_cmphex (cells.a, !=, cells.r);
  g_assert_cmphex (cells.b, ==, cells.r);

  /* pressed before both changes: neither hot */
  pointer_to (timeline, x_start, width);
  ps_ui_test_pointer_button (GTK_WIDGET (timeline), TRUE);
  at = (At) { timeline, ps_timeline_time_at (timeline, x_start) };
  g_assert_true (ps_test_wait_until (position_is, &at, 5000));
  cells = grid_now (window);
  g_assert_cmphex (cells.a, ==, cells.r);
  g_assert_cmphex (cells.b, ==, cells.r);
  /* dragged, button held, to between the two: A hot, B cold */
  drag_to (timeline, x_start, x_a, width);
  g_assert_cmpint (ps_timeline_get_position (timeline), >=, t_a);
  g_assert_cmpint (ps_timeline_get_position (timeline), <, t_b);
  cells = grid_now (window);
  g_assert_cmphex (cells.a, !=, cells.r);
  g_assert_cmphex (cells.b, ==, cells.r);
  /* on past B's: B hot, A cooled */
  drag_to (timeline, x_a, x_b, width);
  g_assert_cmpint (ps_timeline_get_position (timeline), >=, t_b);
  cells = grid_now (window);
  g_assert_cmphex (cells.b, !=, cells.r);
  g_assert_cmphex (cells.a, !=, cells.b);
  /* back between them, still held: the opposite again */
  drag_to (timeline, x_b, x_a, width);
  cells = grid_now (window);
  g_assert_cmphex (cells.a, !=, cells.r);
  g_assert_cmphex (cells.b, ==, cells.r);
  /* to the end and released there: the playhead stays where it was let go */
  drag_to (timeline, x_a, x_end, width);
  ps_ui_test_pointer_button (GTK_WIDGET (timeline), FALSE);
  g_assert_cmpint (ps_timeline_get_position (timeline), ==, ps_timeline_time_at (timeline, x_end));
  pointer_to (timeline, x_start, width);
  g_assert_cmpint (ps_timeline_get_position (timeline), ==, ps_timeline_time_at (timeline, x_end));

  /* the next test's windows as they would be without this one */
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (r.window));
  settings_put_back (kept);
}

/* ---- diff ---- */

#define GIB (G_GUINT64_CONSTANT (1) << 30)

static const guint64 diff_pages[3] = { 10, 70000, 262000 };
static const guint   diff_at[3] = { 0x20, 0x100, 0 };
#define PAGE_K 150000     /* off screen, written before the freeze and after */
#define PAGE_S 200000     /* off screen, written before the freeze only */

static gboolean
swept (gpointer data)
{
  PsFrame *frame = ps_session_get_frame (PS_WINDOW (data)->session);

  return frame != NULL && (frame->flags & PS_FRAME_SWEEP_DONE);
}

typedef struct
{
  PsWindow *window;
  guint64   serial;
} After;

static gboolean
frame_after (gpointer data)
{
  After *after = data;
  PsFrame *frame = ps_session_get_frame (after->window->session);

  return frame != NULL && frame->serial >= after->serial;
}

static gboolean
three_differ (gpointer data)
{
  return ps_snapshot_get_n_changed (ps_window_get_snapshot (data)) >= 3;
}

/* "changed" comes in the main context after the snapshot counts them */
static gboolean
three_tinted (gpointer data)
{
  guint n_ranges;

  ps_page_grid_get_highlights (PS_WINDOW (data)->grid, &n_ranges);
  return n_ranges == 3;
}

static gboolean
rows_listed (gpointer data)
{
  return ps_diff_view_get_n_rows (ps_window_get_diff_view (data)) == 3;
}

/* The button of the widget that activates action. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The save is done (in a worker thread) when the window's toast says so. */
static gboolean
saved_toast (gpointer data)
{
  PsWindow *window = data;

  return window->toast != NULL && g_str_has_prefix (adw_toast_get_title (window->toast), "Snapshot saved to");
}

static gboolean
four_rows_listed (gpointer data)
{
  return ps_diff_view_get_n_rows (ps_window_get_diff_view (data)) == 4;
}

static gboolean
has_snapshot (gpointer data)
{
  return ps_window_get_snapshot (data) != NULL;
}

/* A few frames drawn and delivered: the window's allocations in their stride. */
static void
settle (PsWindow *window)
{
  After after = { window, ps_session_get_frame (window->session)->serial + 3 };

  g_assert_true (ps_test_wait_until (frame_after, &after, 60000));
  ps_ui_test_wait_frame (GTK_WIDGET (window->grid));
}

static void
test_diff (void)
{
  g_autofree char *name = ps_test_posix_segment ("diff", GIB);
  PsWindow *window = window_on_segment (name);
  g_autoptr(GArray) pages = NULL;
  const PsHighlight *ranges;
  PsDiffView *view;
  guint n_ranges;
  gsize malloc_before, anon_before;
  gssize malloc_grown, anon_grown;

  /* pages off screen that hold something before the freeze: K changes
   * after it, S does not */
  write_from_another_process (name, PAGE_K * page + 0x40, 0x11111111);
  write_from_another_process (name, PAGE_S * page + 0x40, 0x53535353);
  g_assert_true (ps_test_wait_until (swept, window, 120000));
  /* the snapshot comes once the scanner has read every page after the
   * freeze: a write from then on is never missed */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.freeze", NULL);
  g_assert_true (ps_test_wait_until (has_snapshot, window, 60000));
  g_assert_cmpuint (ps_snapshot_get_n_changed (ps_window_get_snapshot (window)), ==, 0);
  settle (window);
  malloc_before = ps_test_malloc_in_use ();
  anon_before = ps_test_rss_anon ();
  for (guint i = 0; i < 3; i++)
    write_from_another_process (name, diff_pages[i] * page + diff_at[i], 0x04030201);
  g_assert_true (ps_test_wait_until (three_differ, window, 120000));
  g_assert_true (ps_test_wait_until (three_tinted, window, 5000));
  settle (window);
  malloc_grown = (gssize) ps_test_malloc_in_use () - (gssize) malloc_before;
  anon_grown = (gssize) ps_test_rss_anon () - (gssize) anon_before;
  g_test_message ("the app: malloc +%" G_GSSIZE_FORMAT " B, RssAnon +%" G_GSSIZE_FORMAT " B, for 3 pages of %" G_GSIZE_FORMAT " B of 1 GiB",
                  malloc_grown, anon_grown, page);
  /* nothing that grows with the object: a copy would be 1 GiB, a hash
   * per page 2 MiB; what the window draws meanwhile comes and goes */
  g_assert_cmpint (malloc_grown, <=, (gssize) (3 * page + 1024 * 1024));
  g_assert_cmpint (anon_grown, <=, (gssize) (3 * page + 1024 * 1024));

  /* exactly those three, and the snapshot holds little more than that */
  pages = ps_snapshot_get_changed_pages (ps_window_get_snapshot (window));
  g_assert_cmpuint (pages->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (g_array_index (pages, guint64, i), ==, diff_pages[i]);
  g_assert_cmpuint (ps_snapshot_get_memory (ps_window_get_snapshot (window)), <, 3 * page + 64 * 1024);
  ranges = ps_page_grid_get_highlights (window->grid, &n_ranges);
  g_assert_cmpuint (n_ranges, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (ranges[i].offset, ==, diff_pages[i] * page);
      g_assert_cmpuint (ranges[i].length, ==, page);
    }

  /* only the changed rows: one per page, old bytes (zeros: a hole) under new */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.diff-only-changed", NULL);
  view = ps_window_get_diff_view (window);
  g_assert_true (ps_test_wait_until (rows_listed, window, 5000));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (window->hex)));
  for (guint i = 0; i < 3; i++)
    {
      guint64 row = diff_pages[i] * page + diff_at[i];
      g_autofree char *text = NULL;

      g_assert_cmpuint (ps_diff_view_get_row_offset (view, i), ==, row);
      text = ps_diff_view_row_text (view, row);
      ps_assert_contains (text, "new  01 02 03 04 00");
      ps_assert_contains (text, "old  00 00 00 00 00");
    }

  /* page K changes off screen: its old bytes were not kept, so which of
   * its rows changed is not known: one notice in their place, no rows */
  write_from_another_process (name, PAGE_K * page + 0x40, 0x22222222);
  g_assert_true (ps_test_wait_until (four_rows_listed, window, 120000));
  for (guint i = 0, at = 0; i < 4; i++)
    {
      g_autofree char *text = ps_diff_view_get_row_text (view, i);

      if (i == 2)
        {
          g_autofree char *not_kept = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes were not kept", page);

          g_assert_true (ps_diff_view_row_is_notice (view, i));
          g_assert_cmpuint (ps_diff_view_get_row_offset (view, i), ==, PAGE_K * page);
          ps_assert_contains (text, "page 150000 changed");
          ps_assert_contains (text, not_kept);
          continue;
        }
      g_assert_false (ps_diff_view_row_is_notice (view, i));
      g_assert_cmpuint (ps_diff_view_get_row_offset (view, i), ==, diff_pages[at] * page + diff_at[at]);
      ps_assert_contains (text, "new  01 02 03 04 00");
      at++;
    }

  /* Save, from the diff bar's button through the file chooser: the segment
   * as it was (S as it is, the three pages' old zeros, not what was written
   * since; K left as zeros, its old bytes unknown), sparse */
  {
    g_autofree char *saved = ps_test_temp_path ("diff.snapshot");
    guint32 value;
    struct stat st;
    int fd;

    ps_test_queue_unlink (saved);
    ps_ui_test_click (find_button (GTK_WIDGET (view), "win.save-snapshot"));
    answer_chooser (window, saved, NULL);
    g_assert_true (ps_test_wait_until (saved_toast, window, 60000));
    g_assert_cmpint (stat (saved, &st), ==, 0);
    g_assert_cmpuint (st.st_size, ==, GIB);
    g_assert_cmpuint ((guint64) st.st_blocks * 512, <, 64 * page);
    fd = open (saved, O_RDONLY);
    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (pread (fd, &value, 4, PAGE_S * page + 0x40), ==, 4);
    g_assert_cmphex (value, ==, 0x53535353);
    for (guint i = 0; i < 3; i++)
      {
        g_assert_cmpint (pread (fd, &value, 4, diff_pages[i] * page + diff_at[i]), ==, 4);
        g_assert_cmphex (value, ==, 0);
      }
    g_assert_cmpint (pread (fd, &value, 4, PAGE_K * page + 0x40), ==, 4);
    g_assert_cmphex (value, ==, 0);
    close (fd);
  }

  /* the filter off: the hex view again; stop: no tint */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.diff-only-changed", NULL);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (window->hex)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-diff", NULL);
  g_assert_null (ps_window_get_snapshot (window));
  ps_page_grid_get_highlights (window->grid, &n_ranges);
  g_assert_cmpuint (n_ranges, ==, 0);
}

/* ---- compare with a file ---- */

static gboolean
one_differs (gpointer data)
{
  PsSnapshot *snapshot = ps_window_get_snapshot (data);

  return snapshot != NULL && ps_snapshot_get_n_changed (snapshot) == 1;
}

static gboolean
compared (gpointer data)
{
  return PS_WINDOW (data)->time->comparing == NULL;
}

/* A file's mapping against a copy of it with page 2 changed: exactly page
 * 2 differs, and the diff's bar names the copy. */
static void
test_compare_file (void)
{
  g_autofree char *path = ps_test_pattern_file ("compare", 8);
  g_autofree char *copy = ps_test_pattern_file ("compare-copy", 8);
  g_autoptr(GArray) pages = NULL;
  g_autofree char *base = g_path_get_basename (copy);
  GtkLabel *summary;
  PsWindow *window;
  int fd = open (copy, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "changed", 7, 2 * page + 100), ==, 7);
  close (fd);
  window = ps_ui_test_window_on_file (app, path, 0, 0);
  g_assert_true (ps_test_wait_until (has_frame, window, 20000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-file", "s", copy);
  g_assert_true (ps_test_wait_until (one_differs, window, 20000));
  g_assert_cmpint (ps_snapshot_get_kind (ps_window_get_snapshot (window)), ==, PS_SNAPSHOT_FILE);
  pages = ps_snapshot_get_changed_pages (ps_window_get_snapshot (window));
  g_assert_cmpuint (g_array_index (pages, guint64, 0), ==, 2);
  summary = ps_ui_test_child (ps_window_get_diff_view (window), "summary");
  ps_assert_contains (gtk_label_get_text (summary), base);

  /* a file of another size is refused, naming both, and the diff stays off */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-diff", NULL);
  {
    g_autofree char *other = ps_test_file ("compare-short", 3 * page, 'x');

    gtk_widget_activate_action (GTK_WIDGET (window), "win.compare-file", "s", other);
    g_assert_true (ps_test_wait_until (compared, window, 20000));
    g_assert_null (ps_window_get_snapshot (window));
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = ps_ui_test_app_new (&argc, &argv);
  page = ps_test_page_size ();
  g_test_add_func ("/time/record", test_record);
  g_test_add_func ("/time/replay", test_replay);
  g_test_add_func ("/time/replay-pointer", test_replay_pointer);
  g_test_add_func ("/time/diff", test_diff);
  g_test_add_func ("/time/compare-file", test_compare_file);
  g_test_add_func ("/time/record-cap", test_record_cap);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
