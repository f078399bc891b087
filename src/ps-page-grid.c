/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The page grid: one cell per page of the mapping.
 *
 * GTK 4.8 cannot scale a texture without filtering, so the cells are drawn on
 * the CPU at their final size (ps_page_grid_render) into a pixel buffer of
 * the rows on screen (PsGridPicture), uploaded in tiles. The buffer is drawn
 * whole when the mode, size, scroll position, marks or geometry change. A new
 * frame, or a cooling page reaching its next fade step, repaints only the
 * cells whose colour changed, and only their tiles are uploaded again; when
 * no colour changed nothing is queued for redraw. The fade has FADE_STEPS
 * steps, and the grid changes at most as many times a second as the budget's
 * fade frame rate allows. Boundaries, the selection and the cursor are drawn
 * over the picture by the snapshot. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ps-budget.h"
#include "ps-grid-picture.h"
#include "ps-page-grid-private.h"
#include "ps-probe.h"

/* ---- colours ------------------------------------------------------------- */

#define FADE_MS        3000              /* a change cools from hot to cold over this */
#define FADE_STEPS     8                 /* ...changing colour this many times */
#define STEP_MS        (FADE_MS / FADE_STEPS)
#define N_BUCKETS      (FADE_STEPS + 1)  /* the last one: cold */
#define N_LEVELS       17                /* g_bit_storage (changes): 1..16 */
#define GAP_MIN_CELL   6                 /* cells this big get a 1-pixel gap */
#define HATCH_MIN      4                 /* inner cell size that shows hatching */
#define N_MARKS        (PS_PROBE_OTHER + 2)

/* Straight-alpha colour: 0xAARRGGBB. */
#define RGB(rgb)       (0xff000000u | (rgb))
#define RGBA(rgb, a)   (((guint32) (a) << 24) | (rgb))

/* The heat ramp, cold to hot; luminance rises along it. It stops at a
 * saturated yellow, not white, so a flash shows on the light style too. */
static const struct { double at; guint32 rgb; } heat_stops[] = {
  { 0.00, 0x3b4057 },   /* cold slate */
  { 0.20, 0x6a3d8f },   /* dusky purple */
  { 0.45, 0xc0304a },   /* crimson */
  { 0.72, 0xf06e1c },   /* orange */
  { 1.00, 0xffd21f },   /* yellow */
};

/* Pages that are not data: they read through to the background, so they look
 * right on light and dark styles alike. */
#define C_ABSENT       RGBA (0x8c8c99, 0x26)
#define C_PAST_EOF     RGBA (0xa08c70, 0x48)
#define C_PAST_EOF_H   RGBA (0xa08c70, 0xe8)
#define C_GUARD        RGBA (0xe01b24, 0x38)
#define C_GUARD_H      RGBA (0xe01b24, 0xc8)
#define C_UNKNOWN_C    RGBA (0x8c8c99, 0x80)

#define C_ZERO         RGB (0x77767b)
#define C_TEXT         RGB (0x2f9e64)
#define C_BINARY       RGB (0x3a7fd5)
#define C_ENTROPY      RGB (0xb35fc7)
#define C_RESIDENT     RGB (0x3a7fd5)
#define C_UNKNOWN_R    RGB (0xa8956a)
#define C_PRIVATE      RGB (0xe8743b)
#define C_SHARED       RGB (0x4a90d9)

#define C_EOF_LINE     RGB (0xf5c211)
#define C_END_LINE     RGB (0xe01b24)
#define C_MARK_RING    RGBA (0x000000, 0xc0)

static const guint32 mark_colors[N_MARKS] = {
  0,
  RGB (0x33d17a),   /* ok */
  RGB (0xf6d32d),   /* zero tail */
  RGB (0xff7800),   /* SIGBUS */
  RGB (0xe01b24),   /* SIGSEGV */
  RGB (0xc061cb),   /* other */
};

#define MAX_LEGEND 12

typedef struct
{
  /* [mode][(state byte & 0x0f) << 3 | content & 7]; for activity: pages
   * that never changed */
  guint32            table[4][128];
  guint32            heat[N_BUCKETS][N_LEVELS];
  guint32            hatch[8];            /* by PsPageState: 0 = none */
  guint32            marks[N_MARKS];
  PsGridLegendEntry  legend[4][MAX_LEGEND];
  guint              n_legend[4];
} Palette;

static guint32
premultiply (guint32 argb)
{
  guint a = argb >> 24;
  guint r = ((argb >> 16) & 0xff) * a / 255;
  guint g = ((argb >> 8) & 0xff) * a / 255;
  guint b = (argb & 0xff) * a / 255;

  return (a << 24) | (r << 16) | (g << 8) | b;
}

static guint32
heat_color (double heat)
{
  guint i = 1;

  heat = CLAMP (heat, 0.0, 1.0);
  while (i < G_N_ELEMENTS (heat_stops) - 1 && heat > heat_stops[i].at)
    i++;
  {
    double t = (heat - heat_stops[i - 1].at) / (heat_stops[i].at - heat_stops[i - 1].at);
    guint32 a = heat_stops[i - 1].rgb, b = heat_stops[i].rgb;
    guint32 out = 0xff000000u;

    t = CLAMP (t, 0.0, 1.0);
    for (int shift = 0; shift <= 16; shift += 8)
      {
        double ca = (a >> shift) & 0xff, cb = (b >> shift) & 0xff;
        out |= (guint32) (ca + (cb - ca) * t + 0.5) << shift;
      }
    return out;
  }
}

/* How warm a page stays when it has changed often: log2 of its changes. */
static double
heat_floor (guint level)
{
  return level <= 1 ? 0.0 : MIN (0.35, 0.05 * (level - 1));
}

static guint32
state_fill (PsGridMode mode,
            guint      state_byte,
            guint      content)
{
  PsPageState state = state_byte & PS_PAGE_STATE_MASK;

  if (state == PS_PAGE_PAST_EOF)
    return C_PAST_EOF;
  if (state == PS_PAGE_PAST_MAPPING)
    return C_GUARD;
  if (state > PS_PAGE_PAST_MAPPING)
    return C_UNKNOWN_C;
  switch (mode)
    {
    case PS_GRID_ACTIVITY:
      return state == PS_PAGE_ABSENT ? C_ABSENT : heat_stops[0].rgb | 0xff000000u;
    case PS_GRID_CONTENT:
      {
        static const guint32 by_class[] = { C_UNKNOWN_C, C_ZERO, C_TEXT, C_BINARY, C_ENTROPY };
        return content < G_N_ELEMENTS (by_class) ? by_class[content] : C_UNKNOWN_C;
      }
    case PS_GRID_RESIDENCY:
      return state == PS_PAGE_RESIDENT ? C_RESIDENT : state == PS_PAGE_ABSENT ? C_ABSENT : C_UNKNOWN_R;
    case PS_GRID_COW:
    default:
      if (state_byte & PS_PAGE_PRIVATE_COPY)
        return C_PRIVATE;
      return state == PS_PAGE_ABSENT ? C_ABSENT : C_SHARED;
    }
}

static void
add_legend (Palette      *pal,
            PsGridMode    mode,
            guint32       color,
            PsGridSwatch  swatch,
            const char   *label)
{
  PsGridLegendEntry *entry = &pal->legend[mode][pal->n_legend[mode]++];

  g_assert (pal->n_legend[mode] <= MAX_LEGEND);
  entry->color = premultiply (color);
  entry->swatch = swatch;
  entry->label = label;
  if (swatch == PS_GRID_SWATCH_HATCHED)
    entry->hatch = premultiply (color == C_GUARD ? C_GUARD_H : C_PAST_EOF_H);
}

static void
build_legends (Palette *pal)
{
  add_legend (pal, PS_GRID_ACTIVITY, heat_color (1.0), PS_GRID_SWATCH_FILL, N_("changed now"));
  /* the colours of the fade's steps, as the grid draws them */
  add_legend (pal, PS_GRID_ACTIVITY, heat_color (1.0 - (double) (1000 / STEP_MS) / FADE_STEPS), PS_GRID_SWATCH_FILL,
              N_("1 s ago"));
  add_legend (pal, PS_GRID_ACTIVITY, heat_color (0.0), PS_GRID_SWATCH_FILL, N_("cold"));
  add_legend (pal, PS_GRID_ACTIVITY, heat_color (heat_floor (N_LEVELS - 1)), PS_GRID_SWATCH_FILL, N_("changes often"));
  add_legend (pal, PS_GRID_ACTIVITY, C_ABSENT, PS_GRID_SWATCH_FILL, N_("not allocated"));

  add_legend (pal, PS_GRID_CONTENT, C_ZERO, PS_GRID_SWATCH_FILL, N_("zero"));
  add_legend (pal, PS_GRID_CONTENT, C_TEXT, PS_GRID_SWATCH_FILL, N_("text"));
  add_legend (pal, PS_GRID_CONTENT, C_BINARY, PS_GRID_SWATCH_FILL, N_("binary"));
  add_legend (pal, PS_GRID_CONTENT, C_ENTROPY, PS_GRID_SWATCH_FILL, N_("high entropy"));
  add_legend (pal, PS_GRID_CONTENT, C_UNKNOWN_C, PS_GRID_SWATCH_FILL, N_("not read"));

  add_legend (pal, PS_GRID_RESIDENCY, C_RESIDENT, PS_GRID_SWATCH_FILL, N_("resident"));
  add_legend (pal, PS_GRID_RESIDENCY, C_ABSENT, PS_GRID_SWATCH_FILL, N_("not allocated"));
  add_legend (pal, PS_GRID_RESIDENCY, C_UNKNOWN_R, PS_GRID_SWATCH_FILL, N_("unknown"));

  add_legend (pal, PS_GRID_COW, C_PRIVATE, PS_GRID_SWATCH_FILL, N_("private copy"));
  add_legend (pal, PS_GRID_COW, C_SHARED, PS_GRID_SWATCH_FILL, N_("shared"));
  add_legend (pal, PS_GRID_COW, C_ABSENT, PS_GRID_SWATCH_FILL, N_("not allocated"));

  for (guint mode = 0; mode < 4; mode++)
    {
      add_legend (pal, mode, C_PAST_EOF, PS_GRID_SWATCH_HATCHED, N_("past EOF"));
      add_legend (pal, mode, C_GUARD, PS_GRID_SWATCH_HATCHED, N_("past the mapping"));
      add_legend (pal, mode, C_EOF_LINE, PS_GRID_SWATCH_LINE, N_("EOF"));
      add_legend (pal, mode, C_END_LINE, PS_GRID_SWATCH_LINE, N_("end of mapping"));
    }
}

static const Palette *
palette_get (void)
{
  static Palette pal;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint mode = 0; mode < 4; mode++)
        for (guint i = 0; i < 128; i++)
          pal.table[mode][i] = premultiply (state_fill (mode, i >> 3, i & 7));
      for (guint b = 0; b < N_BUCKETS; b++)
        for (guint level = 0; level < N_LEVELS; level++)
          {
            /* step 0 is the hottest, the last bucket cold */
            double fade = 1.0 - (double) b / FADE_STEPS;

            pal.heat[b][level] = heat_color (MAX (fade, heat_floor (level)));
          }
      pal.hatch[PS_PAGE_PAST_EOF] = premultiply (C_PAST_EOF_H);
      pal.hatch[PS_PAGE_PAST_MAPPING] = premultiply (C_GUARD_H);
      for (guint i = 0; i < N_MARKS; i++)
        pal.marks[i] = premultiply (mark_colors[i]);
      build_legends (&pal);
      g_once_init_leave (&done, 1);
    }
  return &pal;
}

const PsGridLegendEntry *
ps_page_grid_mode_legend (PsGridMode  mode,
                          guint      *n_entries)
{
  const Palette *pal = palette_get ();

  g_return_val_if_fail (mode <= PS_GRID_COW, NULL);

  if (n_entries != NULL)
    *n_entries = pal->n_legend[mode];
  return pal->legend[mode];
}

const char *
ps_page_grid_mode_hint (PsGridMode mode)
{
  switch (mode)
    {
    case PS_GRID_ACTIVITY:
      return _("A page flashes when it changes, then cools over three seconds; pages that change often stay warmer.");
    case PS_GRID_CONTENT:
      return _("What each page held when it was last read.");
    case PS_GRID_RESIDENCY:
      return _("Which pages are in memory. Pagescope never reads a page of shared memory that is not allocated.");
    case PS_GRID_COW:
      return _("MAP_PRIVATE: pages this process has written are its own copies; a shared mapping has none.");
    default:
      return "";
    }
}

/* ---- rendering ------------------------------------------------------------ */

static inline guint32
now_ms_of (const PsFrame *frame,
           gint64         now_us)
{
  gint64 ms = (now_us - frame->epoch_us) / 1000;

  return (guint32) CLAMP (ms, 0, (gint64) G_MAXUINT32);
}

static inline guint32
activity_color (const Palette    *pal,
                const PsPageInfo *info,
                guint32           now_ms,
                gboolean         *warm)
{
  guint state = info->state & 0x0f;
  guint32 last = info->last_change_ms;
  guint32 age;
  guint bucket;

  if (last == 0 || (state & PS_PAGE_STATE_MASK) >= PS_PAGE_PAST_EOF)
    return pal->table[PS_GRID_ACTIVITY][state << 3];
  age = now_ms > last ? now_ms - last : 0;
  bucket = age >= FADE_MS ? N_BUCKETS - 1 : age / STEP_MS;
  *warm |= age < FADE_MS;
  return pal->heat[bucket][g_bit_storage (info->changes)];
}

/* Colours of pages [first, first + n), all inside the frame. */
static gboolean
fill_colors (const PsFrame *frame,
             PsGridMode     mode,
             guint32        now_ms,
             guint64        first,
             guint          n,
             guint32       *out)
{
  const Palette *pal = palette_get ();
  const PsPageInfo *pages = frame->pages + first;
  gboolean warm = FALSE;

  if (mode == PS_GRID_ACTIVITY)
    {
      for (guint i = 0; i < n; i++)
        out[i] = activity_color (pal, &pages[i], now_ms, &warm);
    }
  else
    {
      const guint32 *table = pal->table[mode];

      for (guint i = 0; i < n; i++)
        out[i] = table[(pages[i].state & 0x0f) << 3 | (pages[i].content & 7)];
    }
  return warm;
}

static inline PsPageState
cell_state (const PsFrame *frame,
            guint64        page)
{
  if (page < frame->n_pages)
    return ps_frame_page_state (frame, page);
  return PS_PAGE_PAST_MAPPING;
}

/* Hatching (past EOF: one diagonal; past the mapping: crossed) and a probe
 * mark over one cell whose fill is already drawn. */
static void
decorate_cell (guint32 *cell_origin,
               gsize    stride_w,
               guint    inner,
               guint32  hatch,
               gboolean cross,
               guint32  mark,
               gboolean ring)
{
  if (hatch != 0 && inner >= HATCH_MIN)
    for (guint y = 0; y < inner; y++)
      {
        guint32 *px = cell_origin + y * stride_w;

        for (guint x = 0; x < inner; x++)
          if (((x + y) & 3) == 3 || (cross && ((x + 4 * inner - y) & 3) == 0))
            px[x] = hatch;
      }
  if (mark != 0 && inner >= 4)
    {
      guint inset = MAX (1, inner / 4);

      for (guint y = inset; y < inner - inset; y++)
        {
          guint32 *px = cell_origin + y * stride_w;
          gboolean edge_row = y == inset || y == inner - inset - 1;

          for (guint x = inset; x < inner - inset; x++)
            px[x] = ring && (edge_row || x == inset || x == inner - inset - 1) ? C_MARK_RING : mark;
        }
    }
}

static gboolean
render_rows (const PsFrame *frame,
             PsGridMode     mode,
             gint64         now_us,
             const guint8  *marks,
             guint          columns,
             guint64        first_row,
             guint          n_rows,
             guint          cell,
             guint32       *pixels,
             gsize          stride)
{
  const Palette *pal = palette_get ();
  gsize stride_w = stride / sizeof (guint32);
  guint inner = cell >= GAP_MIN_CELL ? cell - 1 : cell;
  guint32 now_ms = now_ms_of (frame, now_us);
  guint32 guard = pal->table[mode][PS_PAGE_PAST_MAPPING << 3];
  g_autofree guint32 *scratch = cell > 1 ? g_new (guint32, columns) : NULL;
  gboolean warm = FALSE;

  for (guint r = 0; r < n_rows; r++)
    {
      guint64 first = (first_row + r) * columns;
      guint32 *row0 = pixels + (gsize) r * cell * stride_w;
      guint32 *colors = cell == 1 ? row0 : scratch;
      guint n_data = first < frame->n_pages ? (guint) MIN (columns, frame->n_pages - first) : 0;
      gboolean decorated = FALSE;

      warm |= fill_colors (frame, mode, now_ms, first, n_data, colors);
      for (guint c = n_data; c < columns; c++)
        colors[c] = first + c == frame->n_pages ? guard : 0;

      /* small cells: a mark is the whole cell */
      if (marks != NULL)
        for (guint c = 0; c < columns && first + c <= frame->n_pages; c++)
          if (marks[first + c] != 0)
            {
              if (inner < 4)
                colors[c] = pal->marks[MIN (marks[first + c], N_MARKS - 1)];
              else
                decorated = TRUE;
            }
      if (cell == 1)
        continue;

      {
        guint32 *px = row0;

        for (guint c = 0; c < columns; c++)
          {
            guint32 v = colors[c];

            for (guint k = 0; k < inner; k++)
              *px++ = v;
            if (inner < cell)
              *px++ = 0;
          }
      }
      for (guint y = 1; y < inner; y++)
        memcpy (row0 + y * stride_w, row0, (gsize) columns * cell * sizeof (guint32));
      for (guint y = inner; y < cell; y++)
        memset (row0 + y * stride_w, 0, (gsize) columns * cell * sizeof (guint32));

      if (inner >= HATCH_MIN)
        decorated |= first + columns > MIN (frame->geometry.n_inside, frame->n_pages);
      if (!decorated)
        continue;
      for (guint c = 0; c < columns && first + c <= frame->n_pages; c++)
        {
          PsPageState state = cell_state (frame, first + c);
          guint8 mark = marks != NULL ? MIN (marks[first + c], N_MARKS - 1) : 0;

          if (pal->hatch[state] != 0 || mark != 0)
            decorate_cell (row0 + (gsize) c * cell, stride_w, inner, pal->hatch[state],
                           state == PS_PAGE_PAST_MAPPING, pal->marks[mark], cell >= 12);
        }
    }
  return warm;
}

void
ps_page_grid_render (const PsFrame *frame,
                     PsGridMode     mode,
                     gint64         now_us,
                     const guint8  *marks,
                     guint          columns,
                     guint64        first_row,
                     guint          n_rows,
                     guint          cell,
                     guint32       *pixels,
                     gsize          stride)
{
  g_return_if_fail (frame != NULL);
  g_return_if_fail (mode <= PS_GRID_COW);
  g_return_if_fail (columns > 0 && cell > 0);
  g_return_if_fail (stride >= (gsize) columns * cell * sizeof (guint32));

  render_rows (frame, mode, now_us, marks, columns, first_row, n_rows, cell, pixels, stride);
}

guint32
ps_page_grid_page_color (const PsFrame *frame,
                         PsGridMode     mode,
                         gint64         now_us,
                         guint64        page)
{
  const Palette *pal = palette_get ();
  guint32 color;

  g_return_val_if_fail (frame != NULL, 0);
  g_return_val_if_fail (mode <= PS_GRID_COW, 0);

  if (page == frame->n_pages)
    return pal->table[mode][PS_PAGE_PAST_MAPPING << 3];
  if (page > frame->n_pages)
    return 0;
  fill_colors (frame, mode, now_ms_of (frame, now_us), page, 1, &color);
  return color;
}

/* ---- modes ---------------------------------------------------------------- */

G_DEFINE_ENUM_TYPE (PsGridMode, ps_grid_mode,
  G_DEFINE_ENUM_VALUE (PS_GRID_ACTIVITY, "activity"),
  G_DEFINE_ENUM_VALUE (PS_GRID_CONTENT, "content"),
  G_DEFINE_ENUM_VALUE (PS_GRID_RESIDENCY, "residency"),
  G_DEFINE_ENUM_VALUE (PS_GRID_COW, "cow"))

static const char * const mode_names[] = { "activity", "content", "residency", "cow" };

const char *
ps_grid_mode_to_string (PsGridMode mode)
{
  g_return_val_if_fail (mode < G_N_ELEMENTS (mode_names), NULL);
  return mode_names[mode];
}

gboolean
ps_grid_mode_from_string (const char *text,
                          PsGridMode *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_strcmp0 (text, mode_names[i]) == 0)
      {
        if (mode != NULL)
          *mode = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- the widget ----------------------------------------------------------- */

struct _PsPageGrid
{
  GtkWidget       parent_instance;

  PsFrame        *frame;
  PsGridMode      mode;
  guint           cell;
  guint8         *marks;            /* copied; padded to the frame's n_pages + 1 */
  guint64         n_marks;

  guint64         cursor;
  guint64         anchor;           /* the selection's fixed end */
  guint64         sel_first;
  guint64         sel_n;            /* 0: no selection */

  GtkAdjustment  *hadjustment;
  GtkAdjustment  *vadjustment;
  guint           hscroll_policy : 1;
  guint           vscroll_policy : 1;

  /* the layout */
  gboolean        fit;              /* the cell size follows the widget's size */
  guint           columns;
  gboolean        keep_pending;     /* after a zoom or a new width: scroll keep_page into view */
  gboolean        keep_at_top;      /* ...to the top rather than just into view */
  guint64         keep_page;

  /* the picture: the cells on screen as last painted */
  PsGridPicture  *picture;
  guint32        *cells;            /* the colour each cell was painted with */
  gsize           n_cells;
  guint           pic_columns;      /* the layout the picture was drawn for */
  guint64         pic_first_row;
  guint           pic_cell;         /* device pixels */
  guint           pic_y_off;
  gboolean        stale;            /* the picture must be drawn again whole */
  gint64          updated_us;       /* when the cells were last brought up to date */
  gint64          fade_due_us;      /* the next fade step of a cell on screen; 0: none */
  gboolean        frame_pending;    /* a frame came that the cells do not show yet */
  guint           update_id;        /* the timeout of the next update */
  guint           n_snapshots;      /* for tests */

  /* dragging */
  double          drag_x;
  double          drag_y;
  guint64         drag_page;
  gboolean        drag_valid;
  gboolean        dragging;

  PsGeometry      described;        /* the geometry the accessible description tells */
};

enum {
  PROP_0,
  PROP_MODE,
  PROP_CELL_SIZE,
  PROP_FIT,
  PROP_CURSOR,
  N_PROPS,
  PROP_HADJUSTMENT = N_PROPS,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
};

enum {
  SIGNAL_PAGE_ACTIVATED,
  SIGNAL_SELECTION_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE_WITH_CODE (PsPageGrid, ps_page_grid, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

static guint64
n_pages_of (PsPageGrid *self)
{
  return self->frame != NULL ? self->frame->n_pages : 0;
}

static gboolean
guard_marked (PsPageGrid *self)
{
  guint64 n = n_pages_of (self);

  return self->marks != NULL && self->n_marks > n && self->marks[n] != 0;
}

static guint
columns_for (PsPageGrid *self,
             int         width)
{
  return MAX (1, width / (int) self->cell);
}

/* Rows the scroll range covers: the pages, and the guard page when it fits in
 * the last row or carries a probe mark (otherwise it shows only when the
 * area below the pages is on screen). */
static guint64
n_rows_of (PsPageGrid *self,
           guint       columns)
{
  guint64 n = n_pages_of (self);

  if (n % columns == 0 && guard_marked (self))
    n++;
  return MAX (1, (n + columns - 1) / columns);
}

static double
scroll_value (PsPageGrid *self)
{
  return self->vadjustment != NULL ? floor (gtk_adjustment_get_value (self->vadjustment)) : 0;
}

static void
invalidate (PsPageGrid *self)
{
  self->stale = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
scroll_to_row (PsPageGrid *self,
               guint64     row,
               gboolean    to_top)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double top = (double) row * self->cell;
  double value = scroll_value (self);

  if (self->vadjustment == NULL)
    return;
  if (to_top || top < value)
    value = top;
  else if (top + self->cell > value + height)
    value = top + self->cell - height;
  gtk_adjustment_set_value (self->vadjustment, value);
}

/* The largest cell with which every page and the guard page after them fit
 * in width x height. */
static guint
fit_cell (guint64 n_pages,
          int     width,
          int     height)
{
  for (guint cell = PS_GRID_MAX_CELL; cell > PS_GRID_MIN_CELL; cell--)
    {
      guint64 columns = MAX (1, width / (int) cell);

      if ((n_pages + 1 + columns - 1) / columns * cell <= (guint64) height)
        return cell;
    }
  return PS_GRID_MIN_CELL;
}

static void
configure_adjustments (PsPageGrid *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  guint columns;
  double upper;
  double value = scroll_value (self);

  if (width <= 0)
    {
      invalidate (self);
      return;
    }
  if (self->fit && self->frame != NULL && height > 0)
    {
      guint cell = fit_cell (n_pages_of (self), width, height);

      if (cell != self->cell)
        {
          self->cell = cell;
          self->columns = 0;     /* a fitted grid starts at its top */
          value = 0;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CELL_SIZE]);
        }
    }
  columns = columns_for (self, width);
  upper = MAX ((double) n_rows_of (self, columns) * self->cell, height);
  /* a new width rewraps the rows: keep the page at the top where it was */
  if (columns != self->columns && self->columns != 0 && !self->keep_pending && self->frame != NULL)
    {
      self->keep_page = (guint64) (value / self->cell) * self->columns;
      self->keep_at_top = TRUE;
      self->keep_pending = TRUE;
    }
  self->columns = columns;

  if (self->hadjustment != NULL)
    gtk_adjustment_configure (self->hadjustment, 0, 0, width, 1, width, width);
  if (self->vadjustment != NULL)
    {
      gtk_adjustment_configure (self->vadjustment, CLAMP (value, 0, upper - height), 0, upper,
                                self->cell * 4, MAX (height - self->cell, self->cell), height);
      if (self->keep_pending && self->frame != NULL && width > 0)
        {
          self->keep_pending = FALSE;
          scroll_to_row (self, MIN (self->keep_page, n_pages_of (self)) / columns, self->keep_at_top);
        }
    }
  invalidate (self);
}

/* ---- the accessible description ---- */

static void
update_description (PsPageGrid *self)
{
  GString *text = g_string_new (NULL);
  const PsGridLegendEntry *legend;
  guint n_legend;

  if (self->frame == NULL)
    g_string_append (text, _("No mapping is open."));
  else
    {
      const PsGeometry *g = &self->frame->geometry;
      guint64 n = self->frame->n_pages;
      guint64 inside = MIN (g->n_inside, n);
      g_autofree char *page_size = g_format_size_full (g->page_size, G_FORMAT_SIZE_IEC_UNITS);

      g_autofree char *n_text = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
      g_autofree char *last_inside = g_strdup_printf ("%" G_GUINT64_FORMAT, inside - 1);
      g_autofree char *first_past = g_strdup_printf ("%" G_GUINT64_FORMAT, inside);
      g_autofree char *last = g_strdup_printf ("%" G_GUINT64_FORMAT, n - 1);

      /* TRANSLATORS: "64 pages of 4.0 KiB, ..." */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s page of %s, one cell each, row by row from page 0.",
                                                 "%s pages of %s, one cell each, row by row from page 0.", n),
                              n_text, page_size);
      g_string_append_c (text, ' ');
      if (inside == n)
        g_string_append (text, _("EOF is at the end of the mapping."));
      else if (inside == 0)
        g_string_append (text, _("The whole mapping lies past EOF (access raises SIGBUS)."));
      else
        g_string_append_printf (text, _("EOF is after page %s; pages %s to %s lie past EOF (access raises SIGBUS)."),
                                last_inside, first_past, last);
      g_string_append_c (text, ' ');
      g_string_append (text, _("The cell after the last page is past the mapping (access raises SIGSEGV)."));
    }
  g_string_append_c (text, ' ');
  g_string_append (text, ps_page_grid_mode_hint (self->mode));
  g_string_append_c (text, ' ');
  g_string_append (text, _("Colours:"));
  legend = ps_page_grid_mode_legend (self->mode, &n_legend);
  for (guint i = 0; i < n_legend; i++)
    {
      g_string_append (text, i == 0 ? " " : ", ");
      if (legend[i].swatch == PS_GRID_SWATCH_LINE)
        /* TRANSLATORS: a boundary drawn as a line, e.g. "EOF (a line)" */
        g_string_append_printf (text, _("%s (a line)"), _(legend[i].label));
      else
        g_string_append (text, _(legend[i].label));
    }
  g_string_append_c (text, '.');

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
  g_string_free (text, TRUE);
  if (self->frame != NULL)
    self->described = self->frame->geometry;
}

/* ---- the picture ---- */

static gint64
fade_period_us (void)
{
  return G_USEC_PER_SEC / MAX (ps_budget_get_fade_fps (ps_budget_get_default ()), 1);
}

/* The colour of each cell [first, first + n) of the grid: pages, the guard
 * page after them, nothing past it; a mark fills a small cell. In activity
 * mode, *next_ms is lowered to when one of them reaches its next fade step. */
static void
cell_colors (PsPageGrid *self,
             guint32     now_ms,
             guint64     first,
             gsize       n,
             guint32    *out,
             guint32    *next_ms)
{
  const Palette *pal = palette_get ();
  const PsFrame *frame = self->frame;
  guint64 n_data = first < frame->n_pages ? MIN (n, frame->n_pages - first) : 0;
  gboolean small = (self->pic_cell >= GAP_MIN_CELL ? self->pic_cell - 1 : self->pic_cell) < 4;

  fill_colors (frame, self->mode, now_ms, first, n_data, out);
  for (gsize i = n_data; i < n; i++)
    out[i] = first + i == frame->n_pages ? pal->table[self->mode][PS_PAGE_PAST_MAPPING << 3] : 0;
  if (self->marks != NULL && small)
    for (gsize i = 0; i < n && first + i < self->n_marks; i++)
      if (self->marks[first + i] != 0)
        out[i] = pal->marks[MIN (self->marks[first + i], N_MARKS - 1)];
  if (self->mode != PS_GRID_ACTIVITY)
    return;
  for (guint64 i = 0; i < n_data; i++)
    {
      const PsPageInfo *info = &frame->pages[first + i];
      guint32 age;

      if (info->last_change_ms == 0 || now_ms < info->last_change_ms)
        continue;
      age = now_ms - info->last_change_ms;
      if (age < FADE_MS)
        *next_ms = MIN (*next_ms, info->last_change_ms + (age / STEP_MS + 1) * STEP_MS);
    }
}

/* Paints cell i of the picture (counted from its first row) anew: its fill,
 * and over it the hatching or probe mark of its page. */
static void
paint_cell (PsPageGrid *self,
            gsize       i,
            guint32     color)
{
  const Palette *pal = palette_get ();
  guint cell = self->pic_cell;
  guint inner = cell >= GAP_MIN_CELL ? cell - 1 : cell;
  guint x = (guint) (i % self->pic_columns) * cell;
  guint y = (guint) (i / self->pic_columns) * cell;
  guint64 page = self->pic_first_row * self->pic_columns + i;
  gsize stride;
  guint32 *pixels = ps_grid_picture_get_pixels (self->picture, &stride);
  guint32 *origin = pixels + (gsize) y * stride + x;
  PsPageState state = cell_state (self->frame, page);
  guint8 mark = self->marks != NULL && page < self->n_marks ? MIN (self->marks[page], N_MARKS - 1) : 0;

  for (guint dy = 0; dy < inner; dy++)
    for (guint dx = 0; dx < inner; dx++)
      origin[dy * stride + dx] = color;
  if (page <= self->frame->n_pages && (pal->hatch[state] != 0 || mark != 0))
    decorate_cell (origin, stride, inner, pal->hatch[state], state == PS_PAGE_PAST_MAPPING,
                   pal->marks[mark], cell >= 12);
  ps_grid_picture_damage (self->picture, x, y, inner, inner);
}

static gboolean on_update_due (gpointer data);

/* The next update: when a frame came, or when a cell on screen reaches its
 * next fade step, but never sooner than the fade frame rate allows. */
static void
schedule_update (PsPageGrid *self)
{
  gint64 due = self->frame_pending ? self->updated_us : self->fade_due_us;
  gint64 wait;

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (due == 0 || self->stale || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  due = MAX (due, self->updated_us + fade_period_us ());
  wait = MAX (due - g_get_monotonic_time (), 0);
  self->update_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((wait + 999) / 1000), on_update_due, self, NULL);
}

/* Brings the cells on screen up to date with the frame and the time;
 * queues a redraw if any of them changed colour. */
static void
update_cells (PsPageGrid *self)
{
  gint64 now_us = g_get_monotonic_time ();
  guint32 now_ms = now_ms_of (self->frame, now_us);
  guint32 next_ms = G_MAXUINT32;
  g_autofree guint32 *colors = g_new (guint32, MAX (self->n_cells, 1));
  gboolean changed = FALSE;

  self->frame_pending = FALSE;
  self->updated_us = now_us;
  cell_colors (self, now_ms, self->pic_first_row * self->pic_columns, self->n_cells, colors, &next_ms);
  for (gsize i = 0; i < self->n_cells; i++)
    if (colors[i] != self->cells[i])
      {
        self->cells[i] = colors[i];
        paint_cell (self, i, colors[i]);
        changed = TRUE;
      }
  self->fade_due_us = next_ms == G_MAXUINT32 ? 0 : self->frame->epoch_us + (gint64) next_ms * 1000;
  if (changed)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  schedule_update (self);
}

static gboolean
on_update_due (gpointer data)
{
  PsPageGrid *self = data;

  self->update_id = 0;
  if (!self->stale && self->frame != NULL)
    update_cells (self);
  return G_SOURCE_REMOVE;
}

/* The whole picture, for the rows on screen. */
static void
rebuild (PsPageGrid *self,
         int         width,
         int         height,
         int         scale,
         gint64      now_us)
{
  guint cell = self->cell * scale;
  guint columns = columns_for (self, width);
  gsize stride_w;
  double value = scroll_value (self) * scale;
  guint64 first_row = (guint64) value / cell;
  guint y_off = (guint64) value % cell;
  guint n_rows = (height * scale + y_off + cell - 1) / cell;
  guint64 n = n_pages_of (self);
  guint32 next_ms = G_MAXUINT32;
  guint32 *pixels;

  if (self->marks != NULL && self->n_marks < n + 1)
    {
      self->marks = g_realloc (self->marks, n + 1);
      memset (self->marks + self->n_marks, 0, n + 1 - self->n_marks);
      self->n_marks = n + 1;
    }

  ps_grid_picture_resize (self->picture, width * scale, n_rows * cell);
  pixels = ps_grid_picture_get_pixels (self->picture, &stride_w);
  render_rows (self->frame, self->mode, now_us, self->marks, columns, first_row,
               n_rows, cell, pixels, stride_w * sizeof (guint32));
  if ((gsize) columns * cell < stride_w)
    for (gsize y = 0; y < (gsize) n_rows * cell; y++)
      memset (pixels + y * stride_w + columns * cell, 0, (stride_w - columns * cell) * sizeof (guint32));

  self->pic_columns = columns;
  self->pic_first_row = first_row;
  self->pic_cell = cell;
  self->pic_y_off = y_off;
  self->n_cells = (gsize) columns * n_rows;
  g_free (self->cells);
  self->cells = g_new (guint32, MAX (self->n_cells, 1));
  cell_colors (self, now_ms_of (self->frame, now_us), first_row * columns, self->n_cells, self->cells, &next_ms);
  self->stale = FALSE;
  self->frame_pending = FALSE;
  self->updated_us = now_us;
  self->fade_due_us = next_ms == G_MAXUINT32 ? 0 : self->frame->epoch_us + (gint64) next_ms * 1000;
  schedule_update (self);
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          x,
             float          y,
             float          width,
             float          height)
{
  if (width > 0 && height > 0)
    gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
rgba_from_argb (GdkRGBA *rgba,
                guint32  argb)
{
  rgba->alpha = (argb >> 24) / 255.f;
  rgba->red = ((argb >> 16) & 0xff) / 255.f;
  rgba->green = ((argb >> 8) & 0xff) / 255.f;
  rgba->blue = (argb & 0xff) / 255.f;
}

/* A line after cell `boundary`: across the row when it starts a row, else
 * stepping down around the rest of its row. Drawn on the far side (the pages
 * past it), plus the gap before it. */
static void
append_boundary (PsPageGrid  *self,
                 GtkSnapshot *snapshot,
                 guint64      boundary,
                 guint32      argb,
                 double       value)
{
  guint cell = self->cell;
  guint columns = self->columns;
  guint64 row = boundary / columns;
  guint col = boundary % columns;
  float t = cell >= 8 ? 2 : 1;
  float o = cell >= GAP_MIN_CELL && boundary > 0 ? 1 : 0;
  float y = (float) ((double) row * cell - value) - o;
  float x = (float) col * cell - o;
  float right = (float) columns * cell;
  GdkRGBA color;

  rgba_from_argb (&color, argb);
  if (col == 0)
    append_rect (snapshot, &color, 0, y, right, t);
  else
    {
      append_rect (snapshot, &color, x, y, right - x, t);
      append_rect (snapshot, &color, x, y, t, cell + o);
      append_rect (snapshot, &color, 0, y + cell, x + t, t);
    }
}

static void
append_selection (PsPageGrid  *self,
                  GtkSnapshot *snapshot,
                  gboolean     dark,
                  double       value)
{
  guint64 last = self->sel_first + self->sel_n - 1;
  guint columns = self->columns;
  guint64 r0 = self->sel_first / columns, r1 = last / columns;
  float c0 = self->sel_first % columns, c1 = last % columns;
  float cell = self->cell;
  float y0 = (float) ((double) r0 * cell - value);
  float y1 = (float) ((double) r1 * cell - value);
  GdkRGBA fill;

  gdk_rgba_parse (&fill, dark ? "rgba(120,174,237,0.45)" : "rgba(28,113,216,0.40)");
  if (r0 == r1)
    append_rect (snapshot, &fill, c0 * cell, y0, (c1 - c0 + 1) * cell, cell);
  else
    {
      append_rect (snapshot, &fill, c0 * cell, y0, (columns - c0) * cell, cell);
      append_rect (snapshot, &fill, 0, y0 + cell, columns * cell, y1 - y0 - cell);
      append_rect (snapshot, &fill, 0, y1, (c1 + 1) * cell, cell);
    }
}

static void
append_cursor (PsPageGrid  *self,
               GtkSnapshot *snapshot,
               double       value)
{
  float cell = self->cell;
  float size = MAX (cell, 7);
  float x = (float) (self->cursor % self->columns) * cell + cell / 2 - size / 2;
  float y = (float) ((double) (self->cursor / self->columns) * cell - value) + cell / 2 - size / 2;
  GskRoundedRect outer, inner;
  GdkRGBA black = { 0, 0, 0, 0.9f }, white = { 1, 1, 1, 0.95f };
  const float w1[4] = { 1, 1, 1, 1 };

  gsk_rounded_rect_init_from_rect (&outer, &GRAPHENE_RECT_INIT (x - 1, y - 1, size + 2, size + 2), 0);
  gsk_rounded_rect_init_from_rect (&inner, &GRAPHENE_RECT_INIT (x, y, size, size), 0);
  gtk_snapshot_append_border (snapshot, &outer, w1, (GdkRGBA[4]) { black, black, black, black });
  gtk_snapshot_append_border (snapshot, &inner, w1, (GdkRGBA[4]) { white, white, white, white });
}

static void
ps_page_grid_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA background;
  double value = scroll_value (self);
  guint64 n;

  if (width <= 0 || height <= 0)
    return;
  /* Adwaita's view background, light or dark: what the translucent cells
   * (not allocated, past EOF) read through to */
  gdk_rgba_parse (&background, dark ? "#1e1e1e" : "#ffffff");
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  append_rect (snapshot, &background, 0, 0, width, height);
  if (self->frame == NULL || self->columns == 0)
    {
      gtk_snapshot_pop (snapshot);
      return;
    }

  self->n_snapshots++;
  if (self->stale || self->pic_cell != self->cell * (guint) scale ||
      ps_grid_picture_get_width (self->picture) != (guint) (width * scale) ||
      ps_grid_picture_get_height (self->picture) < (guint) (height * scale) + self->pic_y_off)
    rebuild (self, width, height, scale, g_get_monotonic_time ());
  ps_grid_picture_snapshot (self->picture, snapshot, scale, self->pic_y_off, height * scale);

  if (self->sel_n > 0)
    append_selection (self, snapshot, dark, value);
  n = self->frame->n_pages;
  if (MIN (self->frame->geometry.n_inside, n) < n)
    append_boundary (self, snapshot, self->frame->geometry.n_inside, C_EOF_LINE, value);
  append_boundary (self, snapshot, n, C_END_LINE, value);
  if (gtk_widget_has_focus (widget) && n > 0)
    append_cursor (self, snapshot, value);
  gtk_snapshot_pop (snapshot);
}

/* ---- size ---- */

static void
ps_page_grid_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 32;
      *natural = 64 * self->cell;
    }
  else
    {
      guint columns = columns_for (self, for_size > 0 ? for_size : 64 * (int) self->cell);
      guint64 rows = n_rows_of (self, columns);

      *minimum = self->cell;
      *natural = (int) MIN (rows * self->cell, 4096);
    }
}

static void
ps_page_grid_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  configure_adjustments (PS_PAGE_GRID (widget));
}

/* ---- scrolling ---- */

static void
on_adjustment_value_changed (GtkAdjustment *adjustment,
                             PsPageGrid    *self)
{
  invalidate (self);
}

static void
set_adjustment (PsPageGrid     *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  if (*slot == adjustment)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed, self);
      g_object_unref (*slot);
    }
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_adjustment_value_changed), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* ---- cursor and selection ---- */

static void
set_selection_range (PsPageGrid *self,
                     guint64     first,
                     guint64     n)
{
  guint64 pages = n_pages_of (self);

  if (first >= pages)
    n = 0;
  else
    n = MIN (n, pages - first);
  if (n == 0)
    first = 0;
  if (first == self->sel_first && n == self->sel_n)
    return;
  self->sel_first = first;
  self->sel_n = n;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "grid.clear-selection", n > 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

static void
select_between (PsPageGrid *self,
                guint64     a,
                guint64     b)
{
  set_selection_range (self, MIN (a, b), MAX (a, b) - MIN (a, b) + 1);
}

static void
move_cursor_to (PsPageGrid *self,
                guint64     page,
                gboolean    extend)
{
  guint64 n = n_pages_of (self);

  page = n > 0 ? MIN (page, n - 1) : 0;
  if (extend)
    select_between (self, self->anchor, page);
  else
    self->anchor = page;
  if (page != self->cursor)
    {
      self->cursor = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
    }
  if (self->columns > 0)
    scroll_to_row (self, page / self->columns, FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
action_move_cursor (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);
  const char *unit;
  gint64 count;
  gboolean extend;
  guint64 n = n_pages_of (self);
  guint64 columns = MAX (self->columns, 1);
  gint64 step;
  gint64 target;

  g_variant_get (parameter, "(&sxb)", &unit, &count, &extend);
  if (n == 0)
    return;
  if (g_str_equal (unit, "edge"))
    step = n;
  else if (g_str_equal (unit, "row"))
    step = columns;
  else if (g_str_equal (unit, "screen"))
    step = columns * MAX (1, gtk_widget_get_height (widget) / (int) self->cell - 1);
  else
    step = 1;
  /* moving up or left off the grid stops at the first page, down at the last */
  target = (gint64) self->cursor + count * step;
  if (extend && self->sel_n == 0)
    self->anchor = self->cursor;
  if (!extend && self->sel_n > 0)
    set_selection_range (self, 0, 0);
  move_cursor_to (self, (guint64) CLAMP (target, 0, (gint64) n - 1), extend);
}

static void
action_activate_cursor (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  if (self->cursor < n_pages_of (self))
    g_signal_emit (self, signals[SIGNAL_PAGE_ACTIVATED], 0, self->cursor);
}

static void
action_clear_selection (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ps_page_grid_clear_selection (PS_PAGE_GRID (widget));
}

static void
action_select_all (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  self->anchor = 0;
  set_selection_range (self, 0, n_pages_of (self));
}

/* ---- pointer ---- */

/* The page under a point, clamped into the grid (for a drag that leaves it). */
static guint64
page_at_clamped (PsPageGrid *self,
                 double      x,
                 double      y)
{
  guint columns = MAX (self->columns, 1);
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  guint64 col = (guint64) CLAMP (x, 0, (double) columns * self->cell - 1) / self->cell;
  guint64 row = (guint64) ((CLAMP (y, 0, height - 1) + scroll_value (self)) / self->cell);
  guint64 n = n_pages_of (self);

  return MIN (row * columns + col, n > 0 ? n - 1 : 0);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               PsPageGrid     *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  guint64 page = 0;

  if (gtk_widget_get_focusable (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_y = y;
  self->dragging = FALSE;
  self->drag_valid = ps_page_grid_page_at (self, x, y, &page) && page < n_pages_of (self);
  self->drag_page = page;
  if (self->drag_valid && (state & GDK_SHIFT_MASK))
    {
      /* shift+click extends from the cursor */
      self->dragging = TRUE;
      if (self->sel_n == 0)
        self->anchor = self->cursor;
      move_cursor_to (self, page, TRUE);
    }
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                PsPageGrid     *self)
{
  guint64 page;

  if (self->frame == NULL || n_pages_of (self) == 0)
    return;
  if (!self->dragging && fabs (dx) < 3 && fabs (dy) < 3)
    return;
  if (!self->dragging)
    {
      self->dragging = TRUE;
      self->anchor = page_at_clamped (self, self->drag_x, self->drag_y);
      set_selection_range (self, 0, 0);
    }
  page = page_at_clamped (self, self->drag_x + dx, self->drag_y + dy);
  move_cursor_to (self, page, TRUE);
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             PsPageGrid     *self)
{
  if (self->dragging || !self->drag_valid)
    return;
  /* a click: the hex view goes there */
  set_selection_range (self, 0, 0);
  move_cursor_to (self, self->drag_page, FALSE);
  g_signal_emit (self, signals[SIGNAL_PAGE_ACTIVATED], 0, self->drag_page);
}

static gboolean
ps_page_grid_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard_mode,
                            GtkTooltip *tooltip)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);
  g_autofree char *text = NULL;
  GdkRectangle area;
  guint64 page;

  if (keyboard_mode)
    page = self->cursor;
  else if (!ps_page_grid_page_at (self, x, y, &page))
    return FALSE;
  if (self->frame == NULL)
    return FALSE;
  text = ps_page_grid_describe_page (self, page);
  gtk_tooltip_set_text (tooltip, text);
  if (ps_page_grid_get_page_area (self, page, &area))
    gtk_tooltip_set_tip_area (tooltip, &area);
  return TRUE;
}

/* ---- lifecycle ---- */

static void
on_dark_changed (PsPageGrid *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ps_page_grid_unmap (GtkWidget *widget)
{
  PsPageGrid *self = PS_PAGE_GRID (widget);

  /* nothing to keep up to date while not shown: drawn whole when mapped */
  g_clear_handle_id (&self->update_id, g_source_remove);
  self->stale = TRUE;
  GTK_WIDGET_CLASS (ps_page_grid_parent_class)->unmap (widget);
}

static void
ps_page_grid_dispose (GObject *object)
{
  PsPageGrid *self = PS_PAGE_GRID (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_pointer (&self->picture, ps_grid_picture_free);
  g_clear_pointer (&self->frame, ps_frame_unref);
  G_OBJECT_CLASS (ps_page_grid_parent_class)->dispose (object);
}

static void
ps_page_grid_finalize (GObject *object)
{
  PsPageGrid *self = PS_PAGE_GRID (object);

  g_free (self->cells);
  g_free (self->marks);
  G_OBJECT_CLASS (ps_page_grid_parent_class)->finalize (object);
}

static void
ps_page_grid_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PsPageGrid *self = PS_PAGE_GRID (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_CELL_SIZE:
      g_value_set_uint (value, self->cell);
      break;
    case PROP_FIT:
      g_value_set_boolean (value, self->fit);
      break;
    case PROP_CURSOR:
      g_value_set_uint64 (value, self->cursor);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_page_grid_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  PsPageGrid *self = PS_PAGE_GRID (object);

  switch (prop_id)
    {
    case PROP_MODE:
      ps_page_grid_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_CELL_SIZE:
      ps_page_grid_set_cell_size (self, g_value_get_uint (value));
      break;
    case PROP_FIT:
      ps_page_grid_set_fit (self, g_value_get_boolean (value));
      break;
    case PROP_CURSOR:
      ps_page_grid_set_cursor (self, g_value_get_uint64 (value));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           keyval,
                  guint           kp_keyval,
                  const char     *unit,
                  gint64          count)
{
  guint keys[] = { keyval, kp_keyval };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, keys[i], 0, "grid.move-cursor",
                                           "(sxb)", unit, count, FALSE);
      gtk_widget_class_add_binding_action (widget_class, keys[i], GDK_SHIFT_MASK, "grid.move-cursor",
                                           "(sxb)", unit, count, TRUE);
    }
}

static void
ps_page_grid_class_init (PsPageGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_page_grid_dispose;
  object_class->finalize = ps_page_grid_finalize;
  object_class->get_property = ps_page_grid_get_property;
  object_class->set_property = ps_page_grid_set_property;

  widget_class->snapshot = ps_page_grid_snapshot;
  widget_class->measure = ps_page_grid_measure;
  widget_class->size_allocate = ps_page_grid_size_allocate;
  widget_class->query_tooltip = ps_page_grid_query_tooltip;
  widget_class->unmap = ps_page_grid_unmap;

  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, PS_TYPE_GRID_MODE, PS_GRID_ACTIVITY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CELL_SIZE] =
    g_param_spec_uint ("cell-size", NULL, NULL, PS_GRID_MIN_CELL, PS_GRID_MAX_CELL, 8,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE: the cell size is the largest with which the whole mapping shows;
   * setting a cell size turns it off */
  properties[PROP_FIT] =
    g_param_spec_boolean ("fit", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURSOR] =
    g_param_spec_uint64 ("cursor", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  signals[SIGNAL_PAGE_ACTIVATED] =
    g_signal_new ("page-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT64);
  signals[SIGNAL_SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "grid.move-cursor", "(sxb)", action_move_cursor);
  gtk_widget_class_install_action (widget_class, "grid.activate-cursor", NULL, action_activate_cursor);
  gtk_widget_class_install_action (widget_class, "grid.clear-selection", NULL, action_clear_selection);
  gtk_widget_class_install_action (widget_class, "grid.select-all", NULL, action_select_all);

  add_move_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, "page", -1);
  add_move_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, "page", 1);
  add_move_binding (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, "row", -1);
  add_move_binding (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, "row", 1);
  add_move_binding (widget_class, GDK_KEY_Page_Up, GDK_KEY_KP_Page_Up, "screen", -1);
  add_move_binding (widget_class, GDK_KEY_Page_Down, GDK_KEY_KP_Page_Down, "screen", 1);
  add_move_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, "edge", -1);
  add_move_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, "edge", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "grid.activate-cursor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "grid.activate-cursor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "grid.activate-cursor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "grid.activate-cursor", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "grid.clear-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "grid.select-all", NULL);

  gtk_widget_class_set_css_name (widget_class, "pagegrid");
  /* one picture; the pages are not child elements an AT could walk */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ps_page_grid_init (PsPageGrid *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->cell = 8;
  self->stale = TRUE;
  self->picture = ps_grid_picture_new ();
  set_adjustment (self, &self->hadjustment, NULL);
  set_adjustment (self, &self->vadjustment, NULL);

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (widget, "ps-page-grid");

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  {
    GtkEventController *focus = gtk_event_controller_focus_new ();

    g_signal_connect_swapped (focus, "enter", G_CALLBACK (gtk_widget_queue_draw), self);
    g_signal_connect_swapped (focus, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
    gtk_widget_add_controller (widget, focus);
  }

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_dark_changed), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (widget, "grid.clear-selection", FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Page grid"),
                                  -1);
  update_description (self);
}

/* ---- public API ----------------------------------------------------------- */

GtkWidget *
ps_page_grid_new (void)
{
  return g_object_new (PS_TYPE_PAGE_GRID, NULL);
}

void
ps_page_grid_set_frame (PsPageGrid *self,
                        PsFrame    *frame)
{
  guint64 old_pages;
  gboolean same_layout;

  g_return_if_fail (PS_IS_PAGE_GRID (self));

  if (frame == self->frame)
    return;
  old_pages = n_pages_of (self);
  same_layout = frame != NULL && self->frame != NULL &&
                ps_geometry_equal (&frame->geometry, &self->frame->geometry);
  if (frame != NULL)
    ps_frame_ref (frame);
  g_clear_pointer (&self->frame, ps_frame_unref);
  self->frame = frame;

  if (n_pages_of (self) != old_pages)
    {
      guint64 n = n_pages_of (self);

      if (self->cursor >= n && self->cursor > 0)
        ps_page_grid_set_cursor (self, n > 0 ? n - 1 : 0);
      set_selection_range (self, self->sel_first, self->sel_n);
      configure_adjustments (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  if (frame == NULL || !ps_geometry_equal (&frame->geometry, &self->described))
    update_description (self);
  if (!same_layout || self->stale)
    {
      invalidate (self);
      return;
    }
  /* the same pages: repaint the cells whose colour changed, now or when
   * the fade's frame rate allows */
  self->frame_pending = TRUE;
  if (g_get_monotonic_time () - self->updated_us >= fade_period_us ())
    update_cells (self);
  else
    schedule_update (self);
}

PsFrame *
ps_page_grid_get_frame (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), NULL);
  return self->frame;
}

void
ps_page_grid_set_mode (PsPageGrid *self,
                       PsGridMode  mode)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));
  g_return_if_fail (mode <= PS_GRID_COW);

  if (mode == self->mode)
    return;
  self->mode = mode;
  update_description (self);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

PsGridMode
ps_page_grid_get_mode (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), PS_GRID_ACTIVITY);
  return self->mode;
}

void
ps_page_grid_set_cell_size (PsPageGrid *self,
                            guint       cell_size)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  ps_page_grid_set_fit (self, FALSE);
  cell_size = CLAMP (cell_size, PS_GRID_MIN_CELL, PS_GRID_MAX_CELL);
  if (cell_size == self->cell)
    return;

  /* keep the cursor in view if it is, else the page at the top at the top */
  if (self->frame != NULL && self->columns > 0)
    {
      double value = scroll_value (self);
      double top = (double) (self->cursor / self->columns) * self->cell;
      gboolean cursor_shown = top >= value && top + self->cell <= value + gtk_widget_get_height (GTK_WIDGET (self));

      self->keep_at_top = !cursor_shown;
      self->keep_page = cursor_shown ? self->cursor : (guint64) (value / self->cell) * self->columns;
      self->keep_pending = TRUE;
    }
  self->cell = cell_size;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CELL_SIZE]);
}

guint
ps_page_grid_get_cell_size (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), 0);
  return self->cell;
}

void
ps_page_grid_set_fit (PsPageGrid *self,
                      gboolean    fit)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  fit = !!fit;
  if (fit == self->fit)
    return;
  self->fit = fit;
  if (fit)
    configure_adjustments (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIT]);
}

gboolean
ps_page_grid_get_fit (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);
  return self->fit;
}

guint64
ps_page_grid_get_cursor (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), 0);
  return self->cursor;
}

void
ps_page_grid_set_cursor (PsPageGrid *self,
                         guint64     page)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  if (self->frame == NULL)
    {
      /* before the first frame: remember it, clamped when one comes */
      if (page != self->cursor)
        {
          self->cursor = page;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
        }
      return;
    }
  move_cursor_to (self, page, FALSE);
}

gboolean
ps_page_grid_get_selection (PsPageGrid *self,
                            guint64    *first_page,
                            guint64    *n_pages)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);

  if (first_page != NULL)
    *first_page = self->sel_first;
  if (n_pages != NULL)
    *n_pages = self->sel_n;
  return self->sel_n > 0;
}

void
ps_page_grid_set_selection (PsPageGrid *self,
                            guint64     first_page,
                            guint64     n_pages)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  self->anchor = first_page;
  set_selection_range (self, first_page, n_pages);
}

void
ps_page_grid_clear_selection (PsPageGrid *self)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  self->anchor = self->cursor;
  set_selection_range (self, 0, 0);
}

void
ps_page_grid_set_marks (PsPageGrid   *self,
                        const guint8 *marks,
                        guint64       n_pages)
{
  g_return_if_fail (PS_IS_PAGE_GRID (self));

  g_clear_pointer (&self->marks, g_free);
  self->n_marks = 0;
  if (marks != NULL && n_pages > 0)
    {
      self->marks = g_memdup2 (marks, n_pages);
      self->n_marks = n_pages;
    }
  configure_adjustments (self);
}

gboolean
ps_page_grid_page_at (PsPageGrid *self,
                      double      x,
                      double      y,
                      guint64    *page)
{
  guint64 col, row, p;

  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);

  if (self->frame == NULL || self->columns == 0 || x < 0 || y < 0 ||
      x >= gtk_widget_get_width (GTK_WIDGET (self)) || y >= gtk_widget_get_height (GTK_WIDGET (self)))
    return FALSE;
  col = (guint64) x / self->cell;
  if (col >= self->columns)
    return FALSE;
  row = (guint64) ((y + scroll_value (self)) / self->cell);
  p = row * self->columns + col;
  if (p > self->frame->n_pages)
    return FALSE;
  if (page != NULL)
    *page = p;
  return TRUE;
}

gboolean
ps_page_grid_get_page_area (PsPageGrid   *self,
                            guint64       page,
                            GdkRectangle *area)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  if (self->frame == NULL || self->columns == 0)
    return FALSE;
  area->x = (int) (page % self->columns) * self->cell;
  area->y = (int) ((double) (page / self->columns) * self->cell - scroll_value (self));
  area->width = area->height = self->cell;
  return TRUE;
}

static char *
format_age (guint32 ms)
{
  if (ms < 60 * 1000)
    return g_strdup_printf (_("%.1f s ago"), ms / 1000.0);
  if (ms < 3600 * 1000)
    return g_strdup_printf (_("%u min %u s ago"), ms / 60000, ms / 1000 % 60);
  return g_strdup_printf (_("%u h %u min ago"), ms / 3600000, ms / 60000 % 60);
}

static const char *
state_text (PsPageState state)
{
  switch (state)
    {
    case PS_PAGE_RESIDENT: return _("resident");
    case PS_PAGE_ABSENT: return _("not allocated");
    case PS_PAGE_UNKNOWN: return _("residency unknown");
    case PS_PAGE_PAST_EOF: return _("past EOF");
    case PS_PAGE_PAST_MAPPING:
    default: return _("past the mapping");
    }
}

static const char *
content_text (PsContentClass content)
{
  switch (content)
    {
    case PS_CONTENT_ZERO: return _("zero");
    case PS_CONTENT_TEXT: return _("text");
    case PS_CONTENT_BINARY: return _("binary");
    case PS_CONTENT_ENTROPY: return _("high entropy");
    case PS_CONTENT_UNKNOWN:
    default: return _("content not read");
    }
}

static const char *
mark_text (guint8 mark)
{
  switch (mark)
    {
    case PS_PROBE_OK + 1: return _("ok");
    case PS_PROBE_ZERO_TAIL + 1: return _("zero tail (reads 0, writes never reach the file)");
    case PS_PROBE_SIGBUS + 1: return "SIGBUS";
    case PS_PROBE_SIGSEGV + 1: return "SIGSEGV";
    default: return _("the child died otherwise");
    }
}

char *
ps_page_grid_describe_page (PsPageGrid *self,
                            guint64     page)
{
  const PsFrame *frame;
  const PsGeometry *g;
  GString *text;
  guint64 start;

  g_return_val_if_fail (PS_IS_PAGE_GRID (self), NULL);

  frame = self->frame;
  if (frame == NULL || page > frame->n_pages)
    return NULL;
  g = &frame->geometry;
  text = g_string_new (NULL);
  start = page * g->page_size;

  if (page == frame->n_pages)
    g_string_append (text, _("Past the mapping: the guard page"));
  else
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, page);
      g_autofree char *total = g_strdup_printf ("%" G_GUINT64_FORMAT, frame->n_pages);

      /* TRANSLATORS: "Page 3 (of 64)"; pages count from 0 */
      g_string_append_printf (text, _("Page %s (of %s)"), number, total);
    }
  g_string_append_printf (text, "\n0x%" G_GINT64_MODIFIER "x – 0x%" G_GINT64_MODIFIER "x",
                          start, start + g->page_size - 1);
  if (g->offset != 0)
    {
      g_autofree char *object_offset = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", g->offset + start);

      g_string_append_printf (text, _(" (object offset %s)"), object_offset);
    }

  if (page == frame->n_pages)
    g_string_append_printf (text, "\n%s", _("Any access here raises SIGSEGV."));
  else
    {
      const PsPageInfo *info = &frame->pages[page];
      PsPageState state = info->state & PS_PAGE_STATE_MASK;

      if (state == PS_PAGE_PAST_EOF)
        g_string_append_printf (text, "\n%s", _("Past EOF: inside the mapping, past the object's end; access raises SIGBUS."));
      else
        g_string_append_printf (text, "\n%s · %s", state_text (state), content_text (info->content));
      if (info->state & PS_PAGE_PRIVATE_COPY)
        g_string_append_printf (text, "\n%s", _("private copy"));
      if (info->last_change_ms == 0)
        g_string_append_printf (text, "\n%s", _("Last change: never"));
      else
        {
          guint32 now_ms = now_ms_of (frame, g_get_monotonic_time ());
          g_autofree char *age = format_age (now_ms > info->last_change_ms ? now_ms - info->last_change_ms : 0);

          g_string_append_printf (text, "\n%s %s", _("Last change:"), age);
        }
      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", info->changes),
                              (guint) info->changes);
    }
  if (self->marks != NULL && page < self->n_marks && self->marks[page] != 0)
    g_string_append_printf (text, "\n%s %s", _("Probe:"), mark_text (self->marks[page]));
  return g_string_free (text, FALSE);
}

/* ---- for tests (ps-page-grid-private.h) ------------------------------------ */

guint
ps_page_grid_get_snapshot_count (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), 0);
  return self->n_snapshots;
}

guint64
ps_page_grid_get_upload_count (PsPageGrid *self)
{
  g_return_val_if_fail (PS_IS_PAGE_GRID (self), 0);
  return ps_grid_picture_get_uploads (self->picture);
}
