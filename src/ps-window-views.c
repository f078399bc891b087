/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Views of one object side by side in one window: the window's own view
 * (its grid and hex view) and more panes beside it (PsViewPane), each with
 * a session of its own: the file read with pread, another mapping of it,
 * another process's mapping. Each is labelled with who is looking and how;
 * the bytes that differ between views are tinted in every view; the hex
 * views scroll together (by object offset).
 *
 * The comparison runs on the main thread in small steps (an idle source, 64
 * KiB of the object a step): a worker thread could be reading a mapping
 * that its session unmaps meanwhile. It reads through ps_source_peek, which
 * never reads a hole of shared memory nor a page a viewed process has not
 * present, so looking never fills anything. */
#define G_LOG_DOMAIN "pagescope-views"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ps-mappers.h"
#include "ps-view-pane.h"
#include "ps-window-private.h"
#include "ps-window-views.h"

#define DIFF_STEP        (64 * 1024)                  /* bytes of the object compared per idle step */
#define DIFF_WHOLE_MAX   (G_GUINT64_CONSTANT (64) << 20)  /* larger: only around the bytes on screen */
#define DIFF_AROUND      (G_GUINT64_CONSTANT (1) << 20)
#define DIFF_INTERVAL_MS 250                          /* at most four comparisons a second */
#define DIFF_MERGE_GAP   8                            /* differences this close make one range */
#define DIFF_MAX_RANGES  4096                         /* then whole pages */
#define DIFF_RGBA        0xe01b2480u                  /* red, half strength */

typedef struct
{
  guint64 start;   /* object offsets */
  guint64 end;
} Span;

/* One view taking part in a comparison. */
typedef struct
{
  PsSource *source;
  guint64   start;   /* where its range starts in the object */
  guint64   end;
  guint8   *buf;
  guint8   *valid;   /* per page of a step */
  gsize     len;     /* bytes of this step it covers */
  guint64   at;      /* object offset of buf[0] */
} Side;

struct _PsWindowViews
{
  PsWindow      *window;         /* owns this */
  GtkWidget     *scroller;       /* scrolls the row sideways when views do not fit */
  GtkWidget     *row;            /* the window's own view, then the panes */
  GtkWidget     *primary_header;
  GtkLabel      *primary_label;
  GtkLabel      *diff_label;
  GtkMenuButton *add_button;
  GMenu         *add_menu;       /* the Add View menu, rebuilt as it opens */
  GtkWidget     *narrow_popover; /* Ctrl+Shift+V when narrow: add_menu under the title */
  gboolean       narrow;         /* the header bar folded: no Add View button */
  GPtrArray     *panes;          /* PsViewPane */
  guint          next_id;

  /* the comparison */
  guint          diff_timeout;
  guint          diff_idle;
  gint64         diff_started_us;
  gboolean       diff_again;
  GArray        *sides;          /* Side */
  guint64        diff_pos;
  guint64        diff_end;
  GArray        *spans;          /* Span, the run in progress */
  gboolean       coarse;
  guint64        differing;      /* bytes that differ, last run */
  guint          runs;           /* comparisons finished */

  gboolean       scrolling;      /* one scroll moving the others */
  gpointer       shown;          /* the window's source the views are of; never dereferenced */
};

/* ---- the views ------------------------------------------------------------ */

static guint
n_views (PsWindowViews *views)
{
  return views->panes->len + 1;
}

static PsSession *
view_session (PsWindowViews *views,
              guint          i)
{
  return i == 0 ? ps_window_get_session (views->window)
                : ps_view_pane_get_session (g_ptr_array_index (views->panes, i - 1));
}

static PsHexView *
view_hex (PsWindowViews *views,
          guint          i)
{
  return i == 0 ? ps_window_get_hex_view (views->window)
                : ps_view_pane_get_hex_view (g_ptr_array_index (views->panes, i - 1));
}

static PsPageGrid *
view_grid (PsWindowViews *views,
           guint          i)
{
  return i == 0 ? ps_window_get_grid (views->window)
                : ps_view_pane_get_grid (g_ptr_array_index (views->panes, i - 1));
}

static GtkAdjustment *
view_vadjustment (PsWindowViews *views,
                  guint          i)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view_hex (views, i)));
}

/* Where the view's bytes start in the object (a mapping may start at an offset). */
static guint64
view_start (PsWindowViews *views,
            guint          i)
{
  PsSource *source = ps_session_get_source (view_session (views, i));

  return source != NULL ? ps_source_get_geometry (source)->offset : 0;
}

/* ---- the comparison -------------------------------------------------------- */

static void
side_clear (gpointer data)
{
  Side *side = data;

  g_clear_object (&side->source);
  g_clear_pointer (&side->buf, g_free);
  g_clear_pointer (&side->valid, g_free);
}

static void
add_span (PsWindowViews *views,
          guint64        start,
          guint64        end)
{
  Span *last = views->spans->len > 0 ? &g_array_index (views->spans, Span, views->spans->len - 1) : NULL;
  guint64 page = 4096;
  Span span;

  views->differing += end - start;
  if (views->coarse)
    {
      /* too many ranges: whole pages from here on */
      start = start / page * page;
      end = (end + page - 1) / page * page;
    }
  if (last != NULL && start <= last->end + (views->coarse ? 0 : DIFF_MERGE_GAP))
    {
      last->end = MAX (last->end, end);
      return;
    }
  span = (Span) { start, end };
  g_array_append_val (views->spans, span);
  if (views->spans->len >= DIFF_MAX_RANGES)
    views->coarse = TRUE;
}

/* Reads each view's part of [at, at + len) of the object. */
static void
read_step (PsWindowViews *views,
           guint64        at,
           gsize          len)
{
  for (guint i = 0; i < views->sides->len; i++)
    {
      Side *side = &g_array_index (views->sides, Side, i);
      guint64 lo = MAX (at, side->start), hi = MIN (at + len, side->end);
      guint64 page = ps_source_get_geometry (side->source)->page_size;

      side->len = 0;
      if (lo >= hi)
        continue;
      /* whole pages of the view, so the valid flags line up with its pages */
      side->at = side->start + (lo - side->start) / page * page;
      side->len = MIN (side->end, (hi - side->start + page - 1) / page * page + side->start) - side->at;
      if (!ps_source_peek (side->source, side->at - side->start, side->buf, side->len, side->valid))
        side->len = 0;   /* SIGBUS: the object shrank; the next run sees it */
    }
}

/* Whether view i has a known byte at object offset x, and which. */
static gboolean
side_byte (Side    *side,
           guint64  x,
           guint8  *byte)
{
  guint64 page = ps_source_get_geometry (side->source)->page_size;

  if (side->len == 0 || x < side->at || x >= side->at + side->len)
    return FALSE;
  if (!side->valid[(x - side->at) / page])
    return FALSE;   /* a hole, or a page that process has not present: not read */
  *byte = side->buf[x - side->at];
  return TRUE;
}

static void
compare_step (PsWindowViews *views,
              guint64        at,
              gsize          len)
{
  guint64 run_start = 0;
  gboolean in_run = FALSE;

  read_step (views, at, len);
  for (guint64 x = at; x < at + len; x++)
    {
      guint8 first = 0, byte;
      guint known = 0;
      gboolean differs = FALSE;

      for (guint i = 0; i < views->sides->len && !differs; i++)
        if (side_byte (&g_array_index (views->sides, Side, i), x, &byte))
          {
            differs = known > 0 && byte != first;
            first = known++ == 0 ? byte : first;
          }
      if (differs && !in_run)
        run_start = x, in_run = TRUE;
      else if (!differs && in_run)
        {
          add_span (views, run_start, x);
          in_run = FALSE;
        }
    }
  if (in_run)
    add_span (views, run_start, at + len);
}

/* The spans as highlights of view i, in its own offsets. */
static GArray *
highlights_for (PsWindowViews *views,
                guint          i)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (PsHighlight));
  PsSource *source = ps_session_get_source (view_session (views, i));
  guint64 start, end;

  if (source == NULL)
    return out;
  start = ps_source_get_geometry (source)->offset;
  end = start + ps_source_get_geometry (source)->length;
  for (guint k = 0; views->spans != NULL && k < views->spans->len; k++)
    {
      const Span *span = &g_array_index (views->spans, Span, k);
      guint64 lo = MAX (span->start, start), hi = MIN (span->end, end);
      PsHighlight h;

      if (lo >= hi)
        continue;
      h = (PsHighlight) { lo - start, hi - lo, DIFF_RGBA };
      g_array_append_val (out, h);
    }
  return out;
}

static void
show_diff (PsWindowViews *views)
{
  g_autofree char *text = NULL;

  for (guint i = 0; i < n_views (views); i++)
    {
      g_autoptr(GArray) h = views->panes->len > 0 ? highlights_for (views, i) : NULL;
      const PsHighlight *ranges = h != NULL && h->len > 0 ? (const PsHighlight *) (gpointer) h->data : NULL;
      guint n = h != NULL ? h->len : 0;

      ps_hex_view_set_highlights (view_hex (views, i), ranges, n);
      ps_page_grid_set_highlights (view_grid (views, i), ranges, n);
    }
  if (views->differing == 0)
    text = g_strdup (_("the views agree"));
  else
    /* TRANSLATORS: how many bytes differ between the views side by side */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " byte differs between the views",
                                         "%" PRIu64 " bytes differ between the views", views->differing),
                            views->differing);
  ps_view_label_show (views->diff_label, text);
}

static void schedule_diff (PsWindowViews *views);

static void
finish_diff (PsWindowViews *views)
{
  views->diff_idle = 0;
  views->runs++;
  show_diff (views);
  g_array_set_size (views->sides, 0);
  if (views->diff_again)
    schedule_diff (views);
}

static gboolean
diff_step (gpointer data)
{
  PsWindowViews *views = data;
  gsize len = MIN (DIFF_STEP, views->diff_end - views->diff_pos);

  if (len > 0)
    compare_step (views, views->diff_pos, len);
  views->diff_pos += len;
  if (views->diff_pos < views->diff_end)
    return G_SOURCE_CONTINUE;
  finish_diff (views);
  return G_SOURCE_REMOVE;
}

/* What to compare: the whole span of the views, or, when that is large,
 * what the window's hex view shows and around it. */
static void
choose_range (PsWindowViews *views)
{
  guint64 lo = G_MAXUINT64, hi = 0, offset, length;

  for (guint i = 0; i < views->sides->len; i++)
    {
      Side *side = &g_array_index (views->sides, Side, i);

      lo = MIN (lo, side->start);
      hi = MAX (hi, side->end);
    }
  if (hi > lo && hi - lo > DIFF_WHOLE_MAX)
    {
      ps_hex_view_get_visible_range (view_hex (views, 0), &offset, &length);
      offset += view_start (views, 0);
      lo = MAX (lo, offset > DIFF_AROUND ? offset - DIFF_AROUND : 0);
      hi = MIN (hi, offset + length + DIFF_AROUND);
    }
  views->diff_pos = lo;
  views->diff_end = MAX (lo, hi);
}

static gboolean
start_diff (gpointer data)
{
  PsWindowViews *views = data;

  views->diff_timeout = 0;
  views->diff_again = FALSE;
  views->diff_started_us = g_get_monotonic_time ();
  g_array_set_size (views->sides, 0);
  g_array_set_size (views->spans, 0);
  views->coarse = FALSE;
  views->differing = 0;
  if (views->panes->len > 0)
    for (guint i = 0; i < n_views (views); i++)
      {
        PsSource *source = ps_session_get_source (view_session (views, i));
        const PsGeometry *g;
        Side side = { 0 };

        if (source == NULL)
          continue;
        g = ps_source_get_geometry (source);
        side.source = g_object_ref (source);
        side.start = g->offset;
        side.end = g->offset + g->length;
        side.buf = g_malloc (DIFF_STEP + 2 * g->page_size);
        side.valid = g_malloc (DIFF_STEP / g->page_size + 3);
        g_array_append_val (views->sides, side);
      }
  choose_range (views);
  views->diff_idle = g_idle_add_full (G_PRIORITY_LOW, diff_step, views, NULL);
  return G_SOURCE_REMOVE;
}

/* A view has a new frame (or a view came or went): compare again, at most
 * every DIFF_INTERVAL_MS, one run at a time. */
static void
schedule_diff (PsWindowViews *views)
{
  gint64 since_ms;

  if (views->panes->len == 0)
    return;
  if (views->diff_idle != 0)
    {
      views->diff_again = TRUE;
      return;
    }
  if (views->diff_timeout != 0)
    return;
  since_ms = (g_get_monotonic_time () - views->diff_started_us) / 1000;
  views->diff_timeout = g_timeout_add (since_ms >= DIFF_INTERVAL_MS ? 0 : DIFF_INTERVAL_MS - since_ms,
                                       start_diff, views);
}

static void
stop_diff (PsWindowViews *views)
{
  g_clear_handle_id (&views->diff_timeout, g_source_remove);
  g_clear_handle_id (&views->diff_idle, g_source_remove);
  g_array_set_size (views->sides, 0);
}

/* ---- scrolling together ------------------------------------------------------- */

/* The others show the same bytes of the object: their first row is the
 * moved view's, counted from the object's start. */
static void
on_scrolled (GtkAdjustment *moved,
             PsWindowViews *views)
{
  gint64 row = -1;

  if (views->scrolling)
    return;
  for (guint i = 0; i < n_views (views) && row < 0; i++)
    if (view_vadjustment (views, i) == moved)
      row = (gint64) gtk_adjustment_get_value (moved) + (gint64) (view_start (views, i) / ps_hex_view_get_bytes_per_row (view_hex (views, i)));
  if (row < 0)
    return;
  views->scrolling = TRUE;
  for (guint i = 0; i < n_views (views); i++)
    {
      GtkAdjustment *adj = view_vadjustment (views, i);

      if (adj != moved)
        gtk_adjustment_set_value (adj, (double) (row - (gint64) (view_start (views, i) / ps_hex_view_get_bytes_per_row (view_hex (views, i)))));
    }
  views->scrolling = FALSE;
}

/* ---- adding and closing --------------------------------------------------------- */

static void
show_primary_label (PsWindowViews *views)
{
  PsSource *source = ps_session_get_source (ps_window_get_session (views->window));
  g_autofree char *label = ps_view_label_for_source (source);

  ps_view_label_show (views->primary_label, label);
  gtk_widget_set_visible (views->primary_header, views->panes->len > 0);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (views->scroller),
                                  views->panes->len > 0 ? GTK_POLICY_AUTOMATIC : GTK_POLICY_NEVER, GTK_POLICY_NEVER);
  /* beside other views the window's hex view may be narrower: it scrolls sideways */
  ps_window_narrow_set_hex_width (views->window, views->panes->len > 0 ? 280 : 560);
}

static void
close_pane (PsWindowViews *views,
            PsViewPane    *pane)
{
  g_signal_handlers_disconnect_by_data (ps_view_pane_get_hex_vadjustment (pane), views);
  g_signal_handlers_disconnect_by_data (ps_view_pane_get_session (pane), views);
  gtk_box_remove (GTK_BOX (views->row), GTK_WIDGET (pane));
  g_ptr_array_remove (views->panes, pane);
  show_primary_label (views);
  stop_diff (views);
  if (views->panes->len > 0)
    schedule_diff (views);
  else
    {
      /* alone again: nothing to compare with */
      g_array_set_size (views->spans, 0);
      views->differing = 0;
      show_diff (views);
    }
}

static void
close_all (PsWindowViews *views)
{
  while (views->panes->len > 0)
    close_pane (views, g_ptr_array_index (views->panes, views->panes->len - 1));
}

gboolean
ps_window_views_add (PsWindow            *window,
                     const PsSourceSpec  *spec,
                     GError             **error)
{
  PsWindowViews *views = window->views;
  PsSession *primary = ps_window_get_session (window);
  g_autoptr(PsSession) session = NULL;
  g_autofree char *id = NULL;
  PsViewPane *pane;

  if (!ps_session_is_open (primary))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("add-view: nothing is open: open an object first, then add views of it"));
      return FALSE;
    }
  /* the window's log: every view's calls in one place */
  session = ps_session_new (ps_session_get_log (primary));
  ps_session_set_interval (session, ps_session_get_interval (primary));
  if (!ps_session_open (session, spec, error))
    return FALSE;
  g_object_bind_property (primary, "paused", session, "paused", G_BINDING_SYNC_CREATE);
  g_object_bind_property (primary, "interval", session, "interval", G_BINDING_SYNC_CREATE);

  id = g_strdup_printf ("%u", ++views->next_id);
  pane = ps_view_pane_new (session, id);
  g_ptr_array_add (views->panes, pane);
  /* drawn as the window's own view: the settings' fade and row width */
  g_object_bind_property (view_grid (views, 0), "fade-time", ps_view_pane_get_grid (pane), "fade-time", G_BINDING_SYNC_CREATE);
  g_object_bind_property (view_hex (views, 0), "bytes-per-row", ps_view_pane_get_hex_view (pane), "bytes-per-row",
                          G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (views->row), GTK_WIDGET (pane));
  g_signal_connect_swapped (session, "notify::frame", G_CALLBACK (schedule_diff), views);
  g_signal_connect (ps_view_pane_get_hex_vadjustment (pane), "value-changed", G_CALLBACK (on_scrolled), views);
  show_primary_label (views);
  schedule_diff (views);
  return TRUE;
}

static PsViewPane *
focused_pane (PsWindowViews *views)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (views->window));

  for (guint i = 0; focus != NULL && i < views->panes->len; i++)
    if (gtk_widget_is_ancestor (focus, g_ptr_array_index (views->panes, i)))
      return g_ptr_array_index (views->panes, i);
  return views->panes->len > 0 ? g_ptr_array_index (views->panes, views->panes->len - 1) : NULL;
}

gboolean
ps_window_views_close (PsWindow    *window,
                       const char  *id,
                       GError     **error)
{
  PsWindowViews *views = window->views;
  PsViewPane *pane = NULL;

  if (*id == '\0')
    pane = focused_pane (views);
  for (guint i = 0; pane == NULL && i < views->panes->len; i++)
    if (g_str_equal (ps_view_pane_get_id (g_ptr_array_index (views->panes, i)), id))
      pane = g_ptr_array_index (views->panes, i);
  if (pane == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   *id == '\0' ? _("close-view: there is no other view to close")
                               : _("close-view \"%s\": no view has that id"), id);
      return FALSE;
    }
  close_pane (views, pane);
  return TRUE;
}

static void
action_add_view (GtkWidget  *widget,
                 const char *name,
                 GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;

  if (!ps_source_spec_parse (g_variant_get_string (parameter, NULL), &spec, &error) ||
      !ps_window_views_add (self, &spec, &error))
    {
      ps_event_log_add (ps_session_get_log (ps_window_get_session (self)), TRUE, "add-view: %s", error->message);
      ps_window_show_error (self, error);
    }
}

static void
action_close_view (GtkWidget  *widget,
                   const char *name,
                   GVariant   *parameter)
{
  PsWindow *self = PS_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!ps_window_views_close (self, g_variant_get_string (parameter, NULL), &error))
    ps_window_show_error (self, error);
}

static void refresh_menu (PsWindowViews *views);

/* Wide, under its button; narrow, where the button would be, the same menu
 * as the main menu's Add View submenu. */
static void
action_add_view_menu (GtkWidget  *widget,
                      const char *name,
                      GVariant   *parameter)
{
  PsWindowViews *views = PS_WINDOW (widget)->views;

  if (!gtk_widget_is_sensitive (GTK_WIDGET (views->add_button)))
    return;
  if (!views->narrow)
    {
      gtk_menu_button_popup (views->add_button);
      return;
    }
  refresh_menu (views);
  gtk_popover_popup (GTK_POPOVER (views->narrow_popover));
}

/* ---- the Add View menu ----------------------------------------------------------- */

static void
add_item (GMenu              *menu,
          const char         *label,
          const PsSourceSpec *spec)
{
  g_autofree char *text = ps_source_spec_to_string (spec);
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target (item, "win.add-view", "s", text);
  g_menu_append_item (menu, item);
}

/* The same file read with pread, mapped shared, mapped private. */
static void
add_object_items (GMenu    *menu,
                  PsSource *source)
{
  const char *path = ps_source_get_path (source);
  PsSourceSpec spec = { 0 };
  gboolean file = ps_source_get_kind (source) == PS_SOURCE_FILE ||
                  (ps_source_is_view (source) && path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR));

  if (!file || path == NULL)
    return;
  spec.kind = PS_SOURCE_FILE;
  spec.path = (char *) path;
  spec.flags = PS_MAP_PREAD;
  add_item (menu, _("The File on Disk (pread)"), &spec);
  spec.flags = PS_MAP_DEFAULT;
  add_item (menu, _("Mapped Here, MAP_SHARED"), &spec);
  spec.flags = PS_MAP_PRIVATE;
  add_item (menu, _("Mapped Here, MAP_PRIVATE"), &spec);
}

static void
add_mapper_items (GMenu    *menu,
                  PsSource *source)
{
  gboolean known = FALSE;
  g_autoptr(GArray) mappers = ps_mappers_of_source (source, &known);

  for (guint i = 0; mappers != NULL && i < mappers->len; i++)
    {
      const PsMapper *m = &g_array_index (mappers, PsMapper, i);
      PsSourceSpec *spec = ps_mappers_view_spec (source, m->pid, NULL);
      g_autofree char *label = NULL;

      if (spec == NULL)
        continue;
      /* TRANSLATORS: a menu item: the object as process 4242 (writer) sees it */
      label = g_strdup_printf (_("As pid %d %s Sees It"), (int) m->pid, m->command);
      add_item (menu, label, spec);
      ps_source_spec_clear (spec);
      g_free (spec);
    }
  if (mappers == NULL || mappers->len == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (known ? _("No other process maps it")
                                                         : _("No other process found (others' maps cannot be read)"),
                                                   "win.nothing");
      g_menu_append_item (menu, item);
    }
}

static GMenuModel *
build_menu (PsWindowViews *views)
{
  PsSource *source = ps_session_get_source (ps_window_get_session (views->window));
  g_autoptr(GMenu) object = g_menu_new ();
  g_autoptr(GMenu) mappers = g_menu_new ();
  GMenu *menu = g_menu_new ();

  if (source != NULL)
    {
      add_object_items (object, source);
      add_mapper_items (mappers, source);
    }
  g_menu_append_section (menu, _("This Object"), G_MENU_MODEL (object));
  g_menu_append_section (menu, _("Mapped By"), G_MENU_MODEL (mappers));
  return G_MENU_MODEL (menu);
}

GMenuModel *
ps_window_views_build_menu (PsWindow *window)
{
  return build_menu (window->views);
}

/* The one Add View menu (the button's, the narrow main menu's submenu,
 * Ctrl+Shift+V's when narrow) again: who maps the object changes. */
static void
refresh_menu (PsWindowViews *views)
{
  g_autoptr(GMenuModel) model = build_menu (views);

  g_menu_remove_all (views->add_menu);
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new_from_model (model, i);

      g_menu_append_item (views->add_menu, item);
    }
}

GMenuModel *
ps_window_views_get_menu (PsWindow *window)
{
  return G_MENU_MODEL (window->views->add_menu);
}

void
ps_window_views_refresh_menu (PsWindow *window)
{
  refresh_menu (window->views);
}

void
ps_window_views_set_narrow (PsWindow *window,
                            gboolean  narrow)
{
  PsWindowViews *views = window->views;

  views->narrow = narrow;
  /* side-by-side views want a wide window; the header bar has no room */
  gtk_widget_set_visible (GTK_WIDGET (views->add_button), !narrow);
  if (!narrow)
    gtk_popover_popdown (GTK_POPOVER (views->narrow_popover));
}

/* An open popover takes the keys (its grab): the window's shortcuts
 * (Ctrl+Shift+W...) would never reach the window's bindings. What the menu
 * leaves, with Control or Alt, goes to the window; one that acts closes
 * the menu. */
static gboolean
on_popover_key (GtkEventControllerKey *keys,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PsWindowViews         *views)
{
  GtkWidget *popover = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (keys));

  if (!(state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    return FALSE;
  if (!gtk_event_controller_key_forward (keys, GTK_WIDGET (views->window)))
    return FALSE;
  gtk_popover_popdown (GTK_POPOVER (popover));
  return TRUE;
}

static void
forward_shortcuts (PsWindowViews *views,
                   GtkWidget     *popover)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_popover_key), views);
  gtk_widget_add_controller (popover, keys);
}

/* Built as it opens: who maps the object changes. */
static void
create_popup (GtkMenuButton *button,
              gpointer       data)
{
  PsWindowViews *views = data;

  refresh_menu (views);
  if (gtk_menu_button_get_menu_model (button) != G_MENU_MODEL (views->add_menu))
    {
      /* the button makes a popover for the model */
      gtk_menu_button_set_menu_model (button, G_MENU_MODEL (views->add_menu));
      forward_shortcuts (views, GTK_WIDGET (gtk_menu_button_get_popover (button)));
    }
}

/* ---- following the window ------------------------------------------------------------ */

/* The window's title at any width: the end of a path (the file's name) and
 * the start of the subtitle both matter, so the middle goes first; the
 * whole of both in a tooltip. */
static void
ellipsize_middle (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_MIDDLE);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    ellipsize_middle (child);
}

static void
title_readable (PsWindowViews *views)
{
  AdwWindowTitle *title = views->window->title;
  g_autofree char *tip = g_strdup_printf ("%s\n%s", adw_window_title_get_title (title),
                                          adw_window_title_get_subtitle (title));

  ellipsize_middle (GTK_WIDGET (title));
  gtk_widget_set_tooltip_text (GTK_WIDGET (title), tip);
}

/* Another object opened (or it closed): its views go with it. */
static void
on_source (PsWindowViews *views)
{
  PsSource *source = ps_session_get_source (ps_window_get_session (views->window));

  /* compared by address only: the views were of the one shown before */
  if (source != views->shown)
    close_all (views);
  views->shown = source;
  gtk_widget_set_sensitive (GTK_WIDGET (views->add_button), source != NULL);
  show_primary_label (views);
  title_readable (views);
}

/* The window's own view goes into a column under its label, and the panes
 * beside it; built here rather than in the window's template, which other
 * parts of the window change (ps-window-panes.c moves the grid). */
static void
build_row (PsWindowViews *views,
           GtkPaned      *vpaned)
{
  g_autoptr(GtkWidget) own = g_object_ref (gtk_paned_get_start_child (vpaned));
  GtkWidget *column = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *diff = gtk_label_new (NULL);

  gtk_paned_set_start_child (vpaned, NULL);
  views->row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (views->row, "ps-views");
  gtk_widget_add_css_class (header, "ps-view-header");
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_width_chars (GTK_LABEL (title), 10);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_ellipsize (GTK_LABEL (diff), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (diff), 6);
  gtk_widget_add_css_class (diff, "dim-label");
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), diff);
  gtk_widget_set_visible (header, FALSE);
  gtk_widget_set_hexpand (column, TRUE);
  gtk_widget_set_hexpand (own, TRUE);
  gtk_widget_set_vexpand (own, TRUE);
  gtk_box_append (GTK_BOX (column), header);
  gtk_box_append (GTK_BOX (column), own);
  gtk_box_append (GTK_BOX (views->row), column);
  /* alone, the window's view keeps its own minimum width; with views beside
   * it, a narrow window scrolls them rather than growing */
  views->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (views->scroller), GTK_POLICY_NEVER, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_width (GTK_SCROLLED_WINDOW (views->scroller), TRUE);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (views->scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (views->scroller), views->row);
  gtk_paned_set_start_child (vpaned, views->scroller);
  views->primary_header = header;
  views->primary_label = GTK_LABEL (title);
  views->diff_label = GTK_LABEL (diff);
}

static void
add_button (PsWindowViews *views,
            GtkWidget     *title)
{
  GtkWidget *header_bar = gtk_widget_get_ancestor (title, ADW_TYPE_HEADER_BAR);
  GtkWidget *button = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-dual-symbolic");
  gtk_widget_set_tooltip_text (button, _("Add a view of this object beside it: the file on disk, another mapping, another process (Ctrl+Shift+V)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Add View"), -1);
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (button), create_popup, views, NULL);
  gtk_widget_set_sensitive (button, FALSE);
  gtk_widget_set_visible (button, !ps_window_get_narrow (views->window));
  if (header_bar != NULL)
    adw_header_bar_pack_start (ADW_HEADER_BAR (header_bar), button);
  views->add_button = GTK_MENU_BUTTON (button);

  views->narrow_popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (views->add_menu));
  gtk_accessible_update_property (GTK_ACCESSIBLE (views->narrow_popover), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Add View"), -1);
  gtk_widget_set_parent (views->narrow_popover, title);
  forward_shortcuts (views, views->narrow_popover);
}

void
ps_window_views_init (PsWindow  *window,
                      GtkPaned  *vpaned,
                      GtkWidget *title)
{
  PsWindowViews *views = g_new0 (PsWindowViews, 1);
  PsSession *session = ps_window_get_session (window);

  views->window = window;
  views->panes = g_ptr_array_new ();
  views->sides = g_array_new (FALSE, TRUE, sizeof (Side));
  g_array_set_clear_func (views->sides, side_clear);
  views->spans = g_array_new (FALSE, FALSE, sizeof (Span));
  views->add_menu = g_menu_new ();
  window->views = views;
  build_row (views, vpaned);
  add_button (views, title);
  g_signal_connect_swapped (session, "notify::source", G_CALLBACK (on_source), views);
  g_signal_connect_swapped (session, "notify::frame", G_CALLBACK (schedule_diff), views);
  g_signal_connect (view_vadjustment (views, 0), "value-changed", G_CALLBACK (on_scrolled), views);
}

void
ps_window_views_dispose (PsWindow *window)
{
  PsWindowViews *views = window->views;

  if (views == NULL)
    return;
  stop_diff (views);
  close_all (views);
  g_signal_handlers_disconnect_by_data (ps_window_get_session (window), views);
  g_signal_handlers_disconnect_by_data (view_vadjustment (views, 0), views);
  g_clear_pointer (&views->narrow_popover, gtk_widget_unparent);
  g_clear_object (&views->add_menu);
  g_ptr_array_unref (views->panes);
  g_array_unref (views->sides);
  g_array_unref (views->spans);
  g_free (views);
  window->views = NULL;
}

void
ps_window_class_install_view_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-view", "s", action_add_view);
  gtk_widget_class_install_action (widget_class, "win.close-view", "s", action_close_view);
  gtk_widget_class_install_action (widget_class, "win.add-view-menu", NULL, action_add_view_menu);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_V, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-view-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_W, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.close-view", "s", "");
}

/* ---- for tests ---------------------------------------------------------------------- */

guint
ps_window_views_get_n_panes (PsWindow *window)
{
  return window->views->panes->len;
}

PsViewPane *
ps_window_views_get_pane (PsWindow *window,
                          guint     i)
{
  PsWindowViews *views = window->views;

  g_return_val_if_fail (i < views->panes->len, NULL);
  return g_ptr_array_index (views->panes, i);
}

guint64
ps_window_views_get_differing (PsWindow *window)
{
  return window->views->differing;
}

guint
ps_window_views_get_runs (PsWindow *window)
{
  return window->views->runs;
}

gboolean
ps_window_views_is_comparing (PsWindow *window)
{
  PsWindowViews *views = window->views;

  return views->diff_idle != 0 || views->diff_timeout != 0;
}

GtkLabel *
ps_window_views_get_label (PsWindow *window)
{
  return window->views->primary_label;
}

GtkMenuButton *
ps_window_views_get_add_button (PsWindow *window)
{
  return window->views->add_button;
}

GtkPopover *
ps_window_views_get_narrow_popover (PsWindow *window)
{
  return GTK_POPOVER (window->views->narrow_popover);
}
