/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The page grid's palette: every colour the grid, its overview and its legend
 * draw, premultiplied once, and what each means. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-frame.h"
#include "ps-action-args.h"
#include "ps-grid-palette.h"

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
#define C_ABSENT       PS_GRID_RGBA (0x8c8c99, 0x26)
#define C_PAST_EOF     PS_GRID_RGBA (0xa08c70, 0x48)
#define C_PAST_EOF_H   PS_GRID_RGBA (0xa08c70, 0xe8)
#define C_GUARD        PS_GRID_RGBA (0xe01b24, 0x38)
#define C_GUARD_H      PS_GRID_RGBA (0xe01b24, 0xc8)
#define C_UNKNOWN_C    PS_GRID_RGBA (0x8c8c99, 0x80)

#define C_ZERO         PS_GRID_RGB (0x77767b)
#define C_TEXT         PS_GRID_RGB (0x2f9e64)
#define C_BINARY       PS_GRID_RGB (0x3a7fd5)
#define C_ENTROPY      PS_GRID_RGB (0xb35fc7)
#define C_RESIDENT     PS_GRID_RGB (0x3a7fd5)
#define C_UNKNOWN_R    PS_GRID_RGB (0xa8956a)
#define C_PRIVATE      PS_GRID_RGB (0xe8743b)
#define C_SHARED       PS_GRID_RGB (0x4a90d9)


static const guint32 mark_colors[PS_GRID_N_MARKS] = {
  0,
  PS_GRID_RGB (0x33d17a),   /* ok */
  PS_GRID_RGB (0xf6d32d),   /* zero tail */
  PS_GRID_RGB (0xff7800),   /* SIGBUS */
  PS_GRID_RGB (0xe01b24),   /* SIGSEGV */
  PS_GRID_RGB (0xc061cb),   /* other */
};

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
add_legend (PsGridPalette *pal,
            PsGridMode    mode,
            guint32       color,
            PsGridSwatch  swatch,
            const char   *label)
{
  PsGridLegendEntry *entry = &pal->legend[mode][pal->n_legend[mode]++];

  g_assert (pal->n_legend[mode] <= G_N_ELEMENTS (pal->legend[mode]));
  entry->color = premultiply (color);
  entry->swatch = swatch;
  entry->label = label;
  if (swatch == PS_GRID_SWATCH_HATCHED)
    entry->hatch = premultiply (color == C_GUARD ? C_GUARD_H : C_PAST_EOF_H);
}

static void
build_legends (PsGridPalette *pal)
{
  add_legend (pal, PS_GRID_ACTIVITY, heat_color (1.0), PS_GRID_SWATCH_FILL, N_("changed now"));
  /* the colour of the fade's middle step, as the grid draws it half the
   * fade time after a change, whatever that time is */
  add_legend (pal, PS_GRID_ACTIVITY, heat_color (1.0 - (double) (PS_GRID_FADE_STEPS / 2) / PS_GRID_FADE_STEPS),
              PS_GRID_SWATCH_FILL,
              /* TRANSLATORS: a legend entry: the colour of a page that changed this long ago, e.g. "1.5 s ago" */
              N_("%s ago"));
  pal->legend[PS_GRID_ACTIVITY][pal->n_legend[PS_GRID_ACTIVITY] - 1].half_fade = TRUE;
  add_legend (pal, PS_GRID_ACTIVITY, heat_color (0.0), PS_GRID_SWATCH_FILL, N_("cold"));
  add_legend (pal, PS_GRID_ACTIVITY, heat_color (heat_floor (PS_GRID_N_LEVELS - 1)), PS_GRID_SWATCH_FILL, N_("changes often"));
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

  {
    static const char *mark_labels[PS_GRID_N_MARKS] = {
      NULL,
      N_("probed: inside the object"),
      N_("probed: zero tail (reads 0, never reaches the file)"),
      N_("probed: SIGBUS"),
      N_("probed: SIGSEGV"),
      N_("probed: the child died otherwise"),
    };

    for (guint i = 1; i < PS_GRID_N_MARKS; i++)
      pal->mark_legend[i] = (PsGridLegendEntry) { premultiply (mark_colors[i]), 0, PS_GRID_SWATCH_FILL, mark_labels[i] };
  }

  for (guint mode = 0; mode < 4; mode++)
    {
      add_legend (pal, mode, C_PAST_EOF, PS_GRID_SWATCH_HATCHED, N_("past EOF"));
      add_legend (pal, mode, C_GUARD, PS_GRID_SWATCH_HATCHED, N_("past the mapping"));
      add_legend (pal, mode, PS_GRID_EOF_LINE, PS_GRID_SWATCH_LINE, N_("EOF"));
      add_legend (pal, mode, PS_GRID_END_LINE, PS_GRID_SWATCH_LINE, N_("end of mapping"));
    }
}

const PsGridPalette *
ps_grid_palette_get (void)
{
  static PsGridPalette pal;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint mode = 0; mode < 4; mode++)
        for (guint i = 0; i < 128; i++)
          pal.table[mode][i] = premultiply (state_fill (mode, i >> 3, i & 7));
      for (guint b = 0; b < PS_GRID_N_BUCKETS; b++)
        for (guint level = 0; level < PS_GRID_N_LEVELS; level++)
          {
            /* step 0 is the hottest, the last bucket cold */
            double fade = 1.0 - (double) b / PS_GRID_FADE_STEPS;

            pal.heat[b][level] = heat_color (MAX (fade, heat_floor (level)));
          }
      pal.hatch[PS_PAGE_PAST_EOF] = premultiply (C_PAST_EOF_H);
      pal.hatch[PS_PAGE_PAST_MAPPING] = premultiply (C_GUARD_H);
      for (guint i = 0; i < PS_GRID_N_MARKS; i++)
        pal.marks[i] = premultiply (mark_colors[i]);
      for (guint mode = 0; mode < 4; mode++)
        for (guint state = 0; state < 5; state++)
          pal.by_state[mode][state] = premultiply (state_fill (mode, state, PS_CONTENT_UNKNOWN));
      for (guint content = 0; content < 5; content++)
        pal.by_content[content] = premultiply (state_fill (PS_GRID_CONTENT, PS_PAGE_RESIDENT, content));
      pal.private_copy = premultiply (C_PRIVATE);
      build_legends (&pal);
      g_once_init_leave (&done, 1);
    }
  return &pal;
}

const PsGridLegendEntry *
ps_page_grid_mode_legend (PsGridMode  mode,
                          guint      *n_entries)
{
  const PsGridPalette *pal = ps_grid_palette_get ();

  g_return_val_if_fail (mode <= PS_GRID_COW, NULL);

  if (n_entries != NULL)
    *n_entries = pal->n_legend[mode];
  return pal->legend[mode];
}

char *
ps_grid_fade_to_display (guint fade_ms)
{
  /* whole tenths of a second print exactly with one decimal */
  if (fade_ms < 1000 || fade_ms % 100 == 0)
    return ps_interval_to_display (fade_ms);
  /* TRANSLATORS: a duration in milliseconds */
  return g_strdup_printf (_("%u ms"), fade_ms);
}

char *
ps_grid_legend_entry_label (const PsGridLegendEntry *entry,
                            guint                    fade_ms)
{
  g_autofree char *half = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  if (!entry->half_fade)
    return g_strdup (_(entry->label));
  half = ps_grid_fade_to_display (fade_ms / 2);
  /* the one entry with half_fade; its label is this format */
  return g_strdup_printf (_("%s ago"), half);
}

char *
ps_page_grid_mode_hint (PsGridMode mode,
                        guint      fade_ms)
{
  g_autofree char *fade = NULL;

  switch (mode)
    {
    case PS_GRID_ACTIVITY:
      fade = ps_grid_fade_to_display (fade_ms);
      /* TRANSLATORS: %s is the fade time, e.g. "3 s" */
      return g_strdup_printf (_("A page flashes when it changes, then cools over %s; pages that change often stay warmer."), fade);
    case PS_GRID_CONTENT:
      return g_strdup (_("What each page held when it was last read."));
    case PS_GRID_RESIDENCY:
      return g_strdup (_("Which pages are in memory. Pagescope never reads a page of shared memory that is not allocated."));
    case PS_GRID_COW:
      return g_strdup (_("MAP_PRIVATE: pages this process has written are its own copies; a shared mapping has none."));
    default:
      return g_strdup ("");
    }
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
