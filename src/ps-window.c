/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window: a view of one PsSession (the page grid, the hex view, the
 * status, the log and the details) and the actions that act on it
 * (ps-window-actions.c). It holds no state of the source's own: that is the
 * session's, followed through its properties and signals. */
#define G_LOG_DOMAIN "pagescope-window"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <unistd.h>

#include "ps-grid-overview.h"
#include "ps-a11y.h"
#include "ps-action-args.h"
#include "ps-parse.h"
#include "ps-replay.h"
#include "ps-window-private.h"
#include "ps-window-views.h"

G_DEFINE_FINAL_TYPE (PsWindow, ps_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PAUSED,
  PROP_PRESENTING,
  PROP_RECORDING,
  PROP_DIFF_ONLY_CHANGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GSettings *
settings_of (PsWindow *self)
{
  return ps_application_get_settings (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

/* ---- the log view ---------------------------------------------------- */

static void
show_log (PsWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (app != NULL && ps_application_get_echo_log (PS_APPLICATION (app)))
    ps_event_log_set_echo (self->log, STDOUT_FILENO);
  ps_log_view_set_log (self->log_view, G_LIST_MODEL (self->log));
}

/* ---- presentation mode --------------------------------------------------- */

/* For a class: the whole screen, cells as large as the pane allows (a
 * 3-page lesson is three big squares, not three specks), larger bytes and
 * labels (ui/style.css, window.presentation). */
static void
set_presenting (PsWindow *self,
                gboolean  presenting)
{
  if (self->presenting == presenting)
    return;
  self->presenting = presenting;
  if (presenting)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_fullscreen (GTK_WINDOW (self));
      ps_page_grid_set_max_cell (self->grid, PS_GRID_PRESENT_MAX_CELL);
      ps_page_grid_set_fit (self->grid, TRUE);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
      gtk_window_unfullscreen (GTK_WINDOW (self));
      ps_page_grid_set_max_cell (self->grid, PS_GRID_MAX_CELL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTING]);
}

/* ---- status ------------------------------------------------------------ */

static void
update_status (PsWindow *self,
               PsFrame  *frame)
{
  ps_status_bar_set_frame (self->status_bar, frame);
}

/* For bench/pagescope-ui-bench: PAGESCOPE_BENCH_FIRST_FRAME=1 makes the app
 * say "first-frame" (and its memory) once the first scanner frame has been
 * painted, then quit. */
static void
bench_after_paint (GdkFrameClock *clock,
                   PsWindow      *self)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;

  g_signal_handlers_disconnect_by_func (clock, bench_after_paint, self);
  g_print ("first-frame\n");
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      lines = g_strsplit (status, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_has_prefix (lines[i], "VmHWM") || g_str_has_prefix (lines[i], "VmRSS") ||
            g_str_has_prefix (lines[i], "Rss"))
          g_print ("%s\n", lines[i]);
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "app.quit", NULL);
}

static void
on_frame (PsWindow *self)
{
  PsFrame *frame = ps_session_get_frame (self->session);

  if (frame == NULL)
    return;
  ps_page_grid_set_frame (self->grid, frame);
  ps_hex_view_set_frame (self->hex, frame);
  update_status (self, frame);
  ps_window_gone_update_frame (self, frame);

  self->frame_seen++;
  if (self->frame_seen == 1 && g_getenv ("PAGESCOPE_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                             G_CALLBACK (bench_after_paint), self, 0);
}

static void
on_visible_range_changed (PsHexView *hex,
                          guint64    offset,
                          guint64    length,
                          PsWindow  *self)
{
  PsScanner *scanner = ps_session_get_scanner (self->session);

  if (scanner != NULL)
    ps_scanner_set_focus (scanner, offset, length);
}

static void
on_page_activated (PsPageGrid *grid,
                   guint64     page,
                   PsWindow   *self)
{
  PsFrame *frame = ps_page_grid_get_frame (grid);
  PsSource *source = ps_session_get_source (self->session);
  const PsGeometry *g;

  if (source == NULL)
    return;
  /* the geometry as last scanned: the object may have changed size */
  g = frame != NULL ? &frame->geometry : ps_source_get_geometry (source);

  /* a page wholly past EOF, or the guard page past the mapping, has nothing
   * to show: ask what touching it does */
  if (page >= g->n_inside)
    {
      ps_window_present_dialog (self, PS_DIALOG_PROBE, page * g->page_size);
      return;
    }
  ps_hex_view_goto (self->hex, page * g->page_size);
  gtk_widget_grab_focus (GTK_WIDGET (self->hex));
}

/* ---- following the session ------------------------------------------ */

/* The range the actions apply to: the hex view's selection, else the grid's
 * selected pages; the cursor is the hex view's. */
static void
on_view_selection_changed (PsWindow *self)
{
  PsSource *source = ps_session_get_source (self->session);
  PsRange range = { 0, 0 };
  guint64 first, n;

  if (source == NULL)
    return;
  if (!ps_hex_view_get_selection (self->hex, &range.offset, &range.length) || range.length <= 1)
    {
      range = (PsRange) { 0, 0 };
      if (ps_page_grid_get_selection (self->grid, &first, &n) && n > 0)
        {
          const PsGeometry *g = ps_source_get_geometry (source);

          range.offset = first * g->page_size;
          range.length = MIN (n * g->page_size, g->length - MIN (range.offset, g->length));
        }
    }
  ps_session_set_selection (self->session, &range);
  ps_session_set_cursor (self->session, ps_hex_view_get_cursor (self->hex));
}

static void
on_probe_marks (PsWindow *self)
{
  gsize n;
  const guint8 *data = ps_session_peek_probe_marks (self->session, &n);

  ps_page_grid_set_marks (self->grid, data, n);
  ps_grid_legend_set_marks (self->legend, data, n);
}

/* The pause button's state is win.pause's (a property action on
 * "paused", bound to the session's); its icon says what a press does. */
static void
on_paused (PsWindow *self)
{
  gtk_button_set_icon_name (GTK_BUTTON (self->pause_button),
                            ps_session_get_paused (self->session) ? "media-playback-start-symbolic"
                                                                  : "media-playback-pause-symbolic");
}

/* The dropdown shows the nearest interval it has at or below the session's
 * (a script may set 250 ms); showing it sets nothing. */
static void
on_interval (PsWindow *self)
{
  guint interval = ps_session_get_interval (self->session);
  guint shown = 0, n;
  const guint *choices = ps_interval_choices (&n);

  for (guint i = 0; i < n; i++)
    if (choices[i] <= interval)
      shown = i;
  self->showing_interval = TRUE;
  gtk_drop_down_set_selected (self->interval_dropdown, shown);
  self->showing_interval = FALSE;
}

/* The intervals to choose from, as the user reads them ("10 ms", "2 s"). */
static void
fill_intervals (PsWindow *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint n;
  const guint *choices = ps_interval_choices (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = ps_interval_to_display (choices[i]);

      gtk_string_list_append (list, label);
    }
  gtk_drop_down_set_model (self->interval_dropdown, G_LIST_MODEL (list));
}

/* The session opened another source, or closed it. */
static void
on_source (PsWindow *self)
{
  PsSource *source = ps_session_get_source (self->session);
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;
  const char *kind_names[] = { N_("file"), N_("anonymous"), N_("SysV"), N_("POSIX"), N_("another process") };

  ps_status_bar_set_source (self->status_bar, source);
  self->frame_seen = 0;
  ps_window_gone_reset (self);
  ps_hex_view_set_source (self->hex, source);
  ps_page_grid_set_marks (self->grid, NULL, 0);
  ps_grid_legend_set_marks (self->legend, NULL, 0);
  ps_window_update_actions (self);
  if (source == NULL)
    return;

  subtitle = g_strdup_printf ("%s · %s%s", _(kind_names[ps_source_get_kind (source)]),
                              ps_source_is_private (source) ? "MAP_PRIVATE" : "MAP_SHARED",
                              ps_source_is_writable (source) ? _(", writable") : _(", read-only"));
  /* a name of 4096 bytes of \xff is 16 KiB of text: the sources bound the
   * names they show (escapes whole) and this bounds whatever else comes,
   * with room for a prefix such as "POSIX " */
  title = ps_text_shorten (ps_source_get_display_name (source), PS_DISPLAY_MAX_CHARS + 64);
  adw_window_title_set_title (self->title, title);
  adw_window_title_set_subtitle (self->title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_stack_set_visible_child_name (self->stack, "main");
  ps_window_restore_annotations (self);
}

void
ps_window_set_source (PsWindow *self,
                      PsSource *source)
{
  g_return_if_fail (PS_IS_WINDOW (self));
  g_return_if_fail (PS_IS_SOURCE (source));

  ps_window_save_annotations (self);
  ps_session_set_source (self->session, source);
}

static void
show_error (PsWindow     *self,
            const GError *error)
{
  if (ps_session_is_open (self->session))
    {
      /* keep showing what we had; say what failed */
      ps_window_show_toast (self, error->message);
      return;
    }
  /* set here, not in the template: the icon is an SVG, and loading it at
   * start-up would load librsvg for a page that is rarely shown */
  adw_status_page_set_icon_name (self->error_page, "dialog-error-symbolic");
  {
    /* the message quotes what was asked for: a path of a megabyte once
     * froze the main loop for minutes in Pango */
    g_autofree char *shown = ps_text_shorten (error->message, PS_MESSAGE_MAX_CHARS);

    adw_status_page_set_description (self->error_page, shown);
  }
  gtk_stack_set_visible_child_name (self->stack, "error");
  adw_window_title_set_subtitle (self->title, _("Could not open"));
  ps_window_update_actions (self);
}

gboolean
ps_window_open_spec (PsWindow           *self,
                     const PsSourceSpec *spec,
                     GError            **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (PS_IS_WINDOW (self), FALSE);

  /* a recording is replayed, not mapped */
  if (spec->kind == PS_SOURCE_FILE && spec->path != NULL && ps_replay_is_recording (spec->path))
    {
      ps_window_open_recording (self, spec->path);
      return TRUE;
    }
  ps_window_save_annotations (self);
  if (!ps_session_open (self->session, spec, &local_error))
    {
      show_error (self, local_error);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  ps_application_add_recent (PS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))), spec);
  return TRUE;
}

gboolean
ps_window_open_demo (PsWindow  *self,
                     GError   **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (PS_IS_WINDOW (self), FALSE);

  ps_window_save_annotations (self);
  if (!ps_session_open_demo (self->session, &local_error))
    {
      show_error (self, local_error);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

PsSession *
ps_window_get_session (PsWindow *self)
{
  g_return_val_if_fail (PS_IS_WINDOW (self), NULL);
  return self->session;
}

PsPageGrid *
ps_window_get_grid (PsWindow *self)
{
  g_return_val_if_fail (PS_IS_WINDOW (self), NULL);
  return self->grid;
}

PsHexView *
ps_window_get_hex_view (PsWindow *self)
{
  g_return_val_if_fail (PS_IS_WINDOW (self), NULL);
  return self->hex;
}

static void
on_toast_dismissed (PsWindow *self)
{
  g_clear_weak_pointer (&self->toast);
}

void
ps_window_show_toast (PsWindow   *self,
                      const char *message)
{
  AdwToast *toast;
  g_autofree char *shown = NULL;

  g_return_if_fail (PS_IS_WINDOW (self));

  /* the start and the end of a message past any length worth reading */
  shown = ps_text_shorten (message, PS_DISPLAY_MAX_CHARS);
  /* one toast at a time, saying the newest: a script's hundreds of actions
   * once queued as many toasts, each to wait its 6 s, and the window's
   * memory grew with them (the log keeps every line). The toast shown takes
   * the new text; dismissing it for a new one crashes libadwaita 1.2 when
   * toasts come faster than its animations. */
  if (self->toast != NULL)
    {
      ps_window_set_toast_text (self->toast, shown);
      return;
    }
  toast = ps_window_make_toast (shown);
  adw_toast_set_timeout (toast, 6);
  g_set_weak_pointer (&self->toast, toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* A toast is one line that libadwaita cuts off with "…" (on a projector
 * after a few words): a long message shows its head, up to " — " or the
 * first ": ", and an Explain button shows the whole of it. The title is
 * markup, so the message is escaped. */
void
ps_window_set_toast_text (AdwToast   *toast,
                          const char *message)
{
  g_autofree char *head = NULL;
  g_autofree char *markup = NULL;
  const char *cut;

  if (g_utf8_strlen (message, -1) <= PS_TOAST_FITS)
    {
      markup = g_markup_escape_text (message, -1);
      adw_toast_set_title (toast, markup);
      adw_toast_set_button_label (toast, NULL);
      adw_toast_set_action_name (toast, NULL);
      adw_toast_set_action_target_value (toast, NULL);
      return;
    }
  if ((cut = strstr (message, " — ")) != NULL && g_utf8_strlen (message, cut - message) <= PS_TOAST_FITS)
    head = g_strndup (message, cut - message);
  else if ((cut = strstr (message, ": ")) != NULL && g_utf8_strlen (message, cut - message) <= PS_TOAST_FITS)
    head = g_strndup (message, cut - message);
  else
    {
      g_autofree char *start = g_utf8_substring (message, 0, PS_TOAST_FITS - 1);

      head = g_strconcat (start, "…", NULL);
    }
  markup = g_markup_escape_text (head, -1);
  adw_toast_set_title (toast, markup);
  adw_toast_set_button_label (toast, _("Explain"));
  /* the target first: an action named before it is checked against none */
  adw_toast_set_action_target_value (toast, g_variant_new_string (message));
  adw_toast_set_action_name (toast, "win.show-message");
}

AdwToast *
ps_window_make_toast (const char *message)
{
  AdwToast *toast = adw_toast_new ("");

  ps_window_set_toast_text (toast, message);
  return toast;
}

/* ---- drag and drop ------------------------------------------------------ */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         PsWindow      *self)
{
  GFile *file = g_value_get_object (value);
  g_autofree char *path = g_file_get_path (file);
  g_auto(PsSourceSpec) spec = { 0 };
  g_autofree char *text = NULL;

  if (path == NULL)
    {
      ps_window_show_toast (self, _("Only local files can be mapped"));
      return FALSE;
    }
  spec.kind = PS_SOURCE_FILE;
  spec.path = g_steal_pointer (&path);
  text = ps_source_spec_to_string (&spec);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-spec", "s", text);
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------ */

static gboolean
ps_window_close_request (GtkWindow *window)
{
  PsWindow *self = PS_WINDOW (window);
  GSettings *settings = settings_of (self);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
  ps_window_save_log_pane (self, settings);
  ps_window_save_annotations (self);
  ps_session_close (self->session);
  return GTK_WINDOW_CLASS (ps_window_parent_class)->close_request (window);
}

static void
ps_window_dispose (GObject *object)
{
  PsWindow *self = PS_WINDOW (object);

  /* the last log lines (munmap, close) need no view any more */
  if (self->log_view != NULL)
    ps_log_view_set_log (self->log_view, NULL);
  for (guint kind = 0; kind < PS_N_DIALOGS; kind++)
    if (self->dialogs[kind] != NULL)
      {
        GtkWindow *dialog = self->dialogs[kind];

        g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialogs[kind]);
        self->dialogs[kind] = NULL;
        gtk_window_destroy (dialog);
      }
  ps_window_bytes_dispose (self);
  ps_window_views_dispose (self);
  ps_window_time_dispose (self);
  g_clear_weak_pointer (&self->toast);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      ps_session_close (self->session);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_WINDOW);
  G_OBJECT_CLASS (ps_window_parent_class)->dispose (object);
}

static void
ps_window_finalize (GObject *object)
{
  PsWindow *self = PS_WINDOW (object);

  g_clear_object (&self->log);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_window_parent_class)->finalize (object);
}

/* What needs the application (its settings): after g_object_new. */
static void
setup_from_settings (PsWindow *self)
{
  GSettings *settings;
  PsGridMode mode;

  show_log (self);
  settings = settings_of (self);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  mode = g_settings_get_enum (settings, "color-mode");
  ps_page_grid_set_mode (self->grid, mode);
  ps_grid_legend_set_mode (self->legend, mode);
  gtk_drop_down_set_selected (self->mode_dropdown, mode);
  /* zoom 0: fit the whole mapping; below 0, a run of 2^-zoom pages a cell */
  if (g_settings_get_int (settings, "zoom") > 0)
    ps_page_grid_set_cell_size (self->grid, g_settings_get_int (settings, "zoom"));
  else if (g_settings_get_int (settings, "zoom") < 0)
    ps_page_grid_set_run (self->grid, G_GUINT64_CONSTANT (1) << -g_settings_get_int (settings, "zoom"));
  else
    ps_page_grid_set_fit (self->grid, TRUE);
  g_signal_connect_object (self->grid, "notify::cell-size", G_CALLBACK (ps_window_update_actions),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->grid, "notify::run", G_CALLBACK (ps_window_update_actions),
                           self, G_CONNECT_SWAPPED);
  /* each window starts from the settings and saves its changes there for
   * the next, without following another window's */
  g_settings_bind (settings, "interval", self->session, "interval",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);
  g_settings_bind (settings, "log-visible", self->bottom_revealer, "reveal-child",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES);
  /* how the views draw: every window follows a change at once */
  g_settings_bind (settings, "fade-time", self->grid, "fade-time", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "hex-row-width", self->hex, "bytes-per-row", G_SETTINGS_BIND_GET);
  ps_window_setup_panes (self, settings);
  ps_window_restore_log_pane (self, settings);
  ps_window_narrow_init (self);
  on_interval (self);

  ps_window_refresh_recent (self);
  g_signal_connect_object (settings, "changed::recent-sources", G_CALLBACK (ps_window_refresh_recent),
                           self, G_CONNECT_SWAPPED);
  ps_window_update_actions (self);
}

static void
on_mode_selected (GtkDropDown *dropdown,
                  GParamSpec  *pspec,
                  PsWindow    *self)
{
  static const char *modes[] = { "activity", "content", "residency", "cow" };
  guint i = gtk_drop_down_get_selected (dropdown);

  if (i < G_N_ELEMENTS (modes))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.color-mode", "s", modes[i]);
}

static void
on_interval_selected (GtkDropDown *dropdown,
                      GParamSpec  *pspec,
                      PsWindow    *self)
{
  guint i = gtk_drop_down_get_selected (dropdown), n;
  const guint *choices = ps_interval_choices (&n);
  g_autofree char *text = NULL;

  if (i >= n || self->showing_interval)
    return;
  text = g_strdup_printf ("%u", choices[i]);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.interval", "s", text);
}

/* "paused": the session's, for win.pause (a property action) */
static void
ps_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PsWindow *self = PS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      g_value_set_boolean (value, self->session != NULL && ps_session_get_paused (self->session));
      break;
    case PROP_PRESENTING:
      g_value_set_boolean (value, self->presenting);
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, ps_window_get_recording (self));
      break;
    case PROP_DIFF_ONLY_CHANGED:
      g_value_set_boolean (value, ps_window_get_diff_only_changed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PsWindow *self = PS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PAUSED:
      if (self->session != NULL && ps_session_get_paused (self->session) != g_value_get_boolean (value))
        {
          ps_session_set_paused (self->session, g_value_get_boolean (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PRESENTING:
      set_presenting (self, g_value_get_boolean (value));
      break;
    case PROP_RECORDING:
      ps_window_set_recording (self, g_value_get_boolean (value));
      break;
    case PROP_DIFF_ONLY_CHANGED:
      ps_window_set_diff_only_changed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_window_class_init (PsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ps_window_dispose;
  object_class->finalize = ps_window_finalize;
  object_class->get_property = ps_window_get_property;
  object_class->set_property = ps_window_set_property;
  window_class->close_request = ps_window_close_request;

  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* presentation mode (win.presentation, F11) */
  properties[PROP_PRESENTING] =
    g_param_spec_boolean ("presenting", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* win.record and win.diff-only-changed (ps-window-time.c): setting
   * "recording" asks where to record; it turns TRUE once that runs */
  properties[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIFF_ONLY_CHANGED] =
    g_param_spec_boolean ("diff-only-changed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PS_TYPE_PAGE_GRID);
  g_type_ensure (PS_TYPE_GRID_OVERVIEW);
  g_type_ensure (PS_TYPE_HEX_VIEW);
  g_type_ensure (PS_TYPE_GRID_LEGEND);
  g_type_ensure (PS_TYPE_STATUS_BAR);
  g_type_ensure (PS_TYPE_DETAILS_PANE);
  g_type_ensure (PS_TYPE_LOG_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PsWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, title);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, open_button);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, record_button);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, interval_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, vpaned);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, hpaned);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, legend);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, grid);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, hex);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, bottom_revealer);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, log_view);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, details);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, status_bar);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, recent_section);

  ps_window_class_init_narrow (widget_class);
  ps_window_class_install_actions (widget_class);
  ps_window_class_install_byte_actions (widget_class);
  ps_window_class_install_view_actions (widget_class);
  ps_window_class_install_time_actions (widget_class);
  ps_window_class_install_gone_actions (widget_class);
}

static void
ps_window_init (PsWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  ps_a11y_name_inner_buttons (GTK_WIDGET (self));

  self->log = ps_event_log_new ();
  self->session = ps_session_new (self->log);
  g_signal_connect_object (self->session, "notify::frame", G_CALLBACK (on_frame), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::source", G_CALLBACK (on_source), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::probe-marks", G_CALLBACK (on_probe_marks), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::paused", G_CALLBACK (on_paused), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::interval", G_CALLBACK (on_interval), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->session, "paused", self, "paused", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->session, "notify::can-undo", G_CALLBACK (ps_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::sweeping", G_CALLBACK (ps_window_update_actions), self, G_CONNECT_SWAPPED);
  ps_window_follow_session (self);
  ps_window_init_keys (self);
  ps_window_bytes_init (self);
  ps_window_views_init (self, self->vpaned, GTK_WIDGET (self->title));
  ps_details_pane_set_session (self->details, self->session);
  ps_window_time_init (self);
  ps_window_gone_reset (self);

  g_signal_connect_object (self->hex, "visible-range-changed", G_CALLBACK (on_visible_range_changed), self, 0);
  g_signal_connect_object (self->grid, "page-activated", G_CALLBACK (on_page_activated), self, 0);
  g_signal_connect_object (self->grid, "selection-changed", G_CALLBACK (on_view_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->hex, "cursor-changed", G_CALLBACK (on_view_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->mode_dropdown, "notify::selected", G_CALLBACK (on_mode_selected), self, 0);
  g_object_bind_property (self->grid, "fade-time", self->legend, "fade-time", G_BINDING_SYNC_CREATE);
  fill_intervals (self);
  g_signal_connect_object (self->interval_dropdown, "notify::selected", G_CALLBACK (on_interval_selected), self, 0);

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

PsWindow *
ps_window_new (PsApplication *app)
{
  PsWindow *self = g_object_new (PS_TYPE_WINDOW, "application", app, NULL);

  setup_from_settings (self);
  return self;
}
