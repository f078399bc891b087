/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The page grid's colours: one palette for the grid, its overview, the
 * legend and the benchmark, so what the legend says is what is drawn. */

#include <glib-object.h>

#include "ps-probe.h"

G_BEGIN_DECLS

typedef enum
{
  PS_GRID_ACTIVITY,    /* heat: a page flashes when it changes and fades over the fade time */
  PS_GRID_CONTENT,     /* zero / text / binary / high entropy */
  PS_GRID_RESIDENCY,   /* resident / absent / unknown / past EOF */
  PS_GRID_COW,         /* private copies of a MAP_PRIVATE mapping */
} PsGridMode;

#define PS_TYPE_GRID_MODE (ps_grid_mode_get_type ())
GType ps_grid_mode_get_type (void) G_GNUC_CONST;

/* How a legend draws a swatch. */
typedef enum
{
  PS_GRID_SWATCH_FILL,
  PS_GRID_SWATCH_HATCHED,   /* past EOF, past the mapping */
  PS_GRID_SWATCH_LINE,      /* the EOF and end-of-mapping boundary lines */
} PsGridSwatch;

/* One colour of a mode and what it means: the same colours the grid draws. */
typedef struct
{
  guint32       color;      /* premultiplied 0xAARRGGBB, as ps_page_grid_render writes */
  guint32       hatch;      /* PS_GRID_SWATCH_HATCHED: the hatching's colour */
  PsGridSwatch  swatch;
  const char   *label;      /* untranslated (N_): show it with ps_grid_legend_entry_label */
  gboolean      half_fade;  /* label is a format for half the fade time */
} PsGridLegendEntry;

/* The colours of a mode, for the legend. */
const PsGridLegendEntry *ps_page_grid_mode_legend (PsGridMode  mode,
                                                   guint      *n_entries);
/* An entry's label, translated, for a fade over fade_ms. */
char       *ps_grid_legend_entry_label  (const PsGridLegendEntry *entry,
                                         guint                    fade_ms);
/* One line on how to read a mode (translated), for a fade over fade_ms. */
char       *ps_page_grid_mode_hint      (PsGridMode mode,
                                         guint      fade_ms);
/* A fade time as the user reads it: "3 s", "1.5 s", "250 ms". */
char       *ps_grid_fade_to_display     (guint      fade_ms);

const char *ps_grid_mode_to_string      (PsGridMode mode);
gboolean    ps_grid_mode_from_string    (const char *text,
                                         PsGridMode *mode);

/* ---- for the renderers (ps-grid-render.c, ps-grid-runs.c) ---- */

/* A change cools from hot to cold over the grid's fade time (the
 * fade-time setting), changing colour PS_GRID_FADE_STEPS times. */
#define PS_GRID_FADE_MS_DEFAULT 3000
#define PS_GRID_FADE_MS_MIN  500
#define PS_GRID_FADE_MS_MAX  30000
#define PS_GRID_FADE_STEPS   8
#define PS_GRID_N_BUCKETS    (PS_GRID_FADE_STEPS + 1) /* the last one: cold */
#define PS_GRID_N_LEVELS     17                       /* g_bit_storage (changes): 1..16 */
#define PS_GRID_GAP_MIN_CELL 6                        /* cells this big get a 1-pixel gap */
#define PS_GRID_HATCH_MIN    4                        /* inner cell size that shows hatching */
#define PS_GRID_N_MARKS      (PS_PROBE_OTHER + 2)

/* Straight-alpha colour: 0xAARRGGBB. */
#define PS_GRID_RGB(rgb)      (0xff000000u | (rgb))
#define PS_GRID_RGBA(rgb, a)  (((guint32) (a) << 24) | (rgb))

#define PS_GRID_EOF_LINE     PS_GRID_RGB (0xf5c211)
#define PS_GRID_END_LINE     PS_GRID_RGB (0xe01b24)
#define PS_GRID_MARK_RING    PS_GRID_RGBA (0x000000, 0xc0)

/* What each colour is, premultiplied (0xAARRGGBB). */
typedef struct
{
  /* [mode][(state byte & 0x0f) << 3 | content & 7]; for activity: pages
   * that never changed */
  guint32            table[4][128];
  guint32            heat[PS_GRID_N_BUCKETS][PS_GRID_N_LEVELS];
  guint32            hatch[8];            /* by PsPageState: 0 = none */
  guint32            marks[PS_GRID_N_MARKS];
  /* one colour for each PsPageState and PsContentClass, and a private
   * copy, as runs of pages mix them */
  guint32            by_state[4][5];
  guint32            by_content[5];
  guint32            private_copy;
  PsGridLegendEntry  legend[4][12];
  guint              n_legend[4];
  /* a probe's marks, by mark (outcome + 1; [0] unused): for every mode */
  PsGridLegendEntry  mark_legend[PS_GRID_N_MARKS];
} PsGridPalette;

const PsGridPalette *ps_grid_palette_get (void);

/* The length of one fade step of a fade over fade_ms. */
static inline guint32
ps_grid_fade_step_ms (guint fade_ms)
{
  return MAX (fade_ms / PS_GRID_FADE_STEPS, 1);
}

/* The fade bucket of a change age_ms old, in a fade over fade_ms. */
static inline guint
ps_grid_fade_bucket (guint32 age_ms,
                     guint   fade_ms)
{
  return age_ms >= fade_ms ? PS_GRID_N_BUCKETS - 1 : MIN (age_ms / ps_grid_fade_step_ms (fade_ms), PS_GRID_FADE_STEPS - 1);
}

/* A page changed at last_ms and age_ms old: *next_ms lowered to when its
 * colour next changes, if it still fades. */
static inline void
ps_grid_fade_lower_next (guint32  last_ms,
                         guint32  age_ms,
                         guint    fade_ms,
                         guint32 *next_ms)
{
  guint32 step = ps_grid_fade_step_ms (fade_ms);
  guint32 next = MIN ((age_ms / step + 1) * step, fade_ms);

  if (age_ms < fade_ms && next_ms != NULL)
    *next_ms = MIN (*next_ms, last_ms + next);
}

G_END_DECLS
