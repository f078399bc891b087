/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the page grid says in words: the tooltip of a cell (a page, or a run
 * of pages below one pixel a page) and the accessible description. GTK 4.8
 * has no gtk_accessible_announce: the description starts with the cursor's
 * page and changes as the cursor moves, and a screen reader speaks the new
 * description of the focused widget (AT-SPI's accessible-description
 * property-change event). It changes on a move, not with every frame, so a
 * busy page does not keep the reader talking. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-page-grid-private.h"

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

static char *
number (guint64 n)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

static void
append_offsets (GString          *text,
                const PsGeometry *g,
                guint64           first_page,
                guint64           n_pages)
{
  guint64 start = first_page * g->page_size;

  g_string_append_printf (text, "\n0x%" G_GINT64_MODIFIER "x – 0x%" G_GINT64_MODIFIER "x",
                          start, start + n_pages * g->page_size - 1);
  if (g->offset != 0)
    {
      g_autofree char *object_offset = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", g->offset + start);

      g_string_append_printf (text, _(" (object offset %s)"), object_offset);
    }
}

static void
append_last_change (GString       *text,
                    const PsFrame *frame,
                    guint32        last_change_ms)
{
  guint32 now_ms = ps_grid_now_ms (frame, g_get_monotonic_time ());
  g_autofree char *age = NULL;

  if (last_change_ms == 0)
    {
      g_string_append_printf (text, "\n%s", _("Last change: never"));
      return;
    }
  age = format_age (now_ms > last_change_ms ? now_ms - last_change_ms : 0);
  g_string_append_printf (text, "\n%s %s", _("Last change:"), age);
}

static void
describe_one (PsPageGrid *self,
              GString    *text,
              guint64     page)
{
  const PsFrame *frame = self->frame;
  const PsPageInfo *info = &frame->pages[page];
  PsPageState state = info->state & PS_PAGE_STATE_MASK;
  g_autofree char *n = number (page);
  g_autofree char *total = number (frame->n_pages);

  /* TRANSLATORS: "Page 3 (of 64)"; pages count from 0 */
  g_string_append_printf (text, _("Page %s (of %s)"), n, total);
  append_offsets (text, &frame->geometry, page, 1);
  if (state == PS_PAGE_PAST_EOF)
    g_string_append_printf (text, "\n%s", _("Past EOF: inside the mapping, past the object's end; access raises SIGBUS."));
  else
    g_string_append_printf (text, "\n%s · %s", state_text (state), content_text (info->content));
  if (info->state & PS_PAGE_PRIVATE_COPY)
    g_string_append_printf (text, "\n%s", _("private copy"));
  append_last_change (text, frame, info->last_change_ms);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", info->changes),
                          (guint) info->changes);
}

/* The page of a run that changed last: looked for only in the block that
 * holds it. */
static guint64
last_changed_page (const PsFrame *frame,
                   guint64        first,
                   guint64        n,
                   guint32        last_change_ms)
{
  for (guint64 p = first; p < first + n; p++)
    {
      if (frame->blocks_valid && p % PS_FRAME_BLOCK_PAGES == 0 && p + PS_FRAME_BLOCK_PAGES <= first + n &&
          frame->blocks[p / PS_FRAME_BLOCK_PAGES].last_change_ms != last_change_ms)
        {
          p += PS_FRAME_BLOCK_PAGES - 1;
          continue;
        }
      if (frame->pages[p].last_change_ms == last_change_ms)
        return p;
    }
  return first;
}

static void
describe_run (PsPageGrid *self,
              GString    *text,
              guint64     first,
              guint64     n)
{
  const PsFrame *frame = self->frame;
  PsRunSummary run;
  g_autofree char *from = number (first);
  g_autofree char *to = number (first + n - 1);
  g_autofree char *total = number (frame->n_pages);
  const char *sep = "\n";

  ps_grid_run_summarize (frame, first, n, &run);
  /* TRANSLATORS: "Pages 128 – 255 (of 16777216)": one cell shows them all */
  g_string_append_printf (text, _("Pages %s – %s (of %s)"), from, to, total);
  append_offsets (text, &frame->geometry, first, n);
  for (PsPageState state = PS_PAGE_ABSENT; state <= PS_PAGE_PAST_EOF; state++)
    if (run.n_state[state] > 0)
      {
        g_string_append (text, sep);
        /* TRANSLATORS: "12 resident", "116 not allocated" */
        g_string_append_printf (text, _("%u %s"), run.n_state[state], state_text (state));
        sep = " · ";
      }
  if (run.n_private > 0)
    g_string_append_printf (text, "\n%s: %u", _("private copy"), run.n_private);
  append_last_change (text, frame, run.last_change_ms);
  if (run.last_change_ms != 0)
    {
      g_autofree char *page = number (last_changed_page (frame, first, n, run.last_change_ms));

      /* TRANSLATORS: the page of a run that changed last */
      g_string_append_printf (text, _(" (page %s)"), page);
    }
}

char *
ps_page_grid_describe_page (PsPageGrid *self,
                            guint64     page)
{
  const PsFrame *frame;
  GString *text;

  g_return_val_if_fail (PS_IS_PAGE_GRID (self), NULL);

  frame = self->frame;
  if (frame == NULL || page > frame->n_pages)
    return NULL;
  text = g_string_new (NULL);
  if (page == frame->n_pages)
    {
      g_string_append (text, _("Past the mapping: the guard page"));
      append_offsets (text, &frame->geometry, page, 1);
      g_string_append_printf (text, "\n%s", _("Any access here raises SIGSEGV."));
    }
  else if (self->run > 1)
    {
      guint64 first = page - page % self->run;

      describe_run (self, text, first, MIN (self->run, frame->n_pages - first));
    }
  else
    describe_one (self, text, page);

  if (self->marks != NULL)
    {
      guint64 first = page - page % self->run;
      guint64 end = page == frame->n_pages ? page + 1 : MIN (first + self->run, self->n_marks);
      guint8 worst = 0;

      for (guint64 p = page == frame->n_pages ? page : first; p < end && p < self->n_marks; p++)
        worst = MAX (worst, self->marks[p]);
      if (worst != 0)
        g_string_append_printf (text, "\n%s %s", _("Probe:"), mark_text (worst));
    }
  return g_string_free (text, FALSE);
}

/* ---- the accessible description ---- */

static void
append_geometry (PsPageGrid *self,
                 GString    *text)
{
  const PsGeometry *g = &self->frame->geometry;
  guint64 n = self->frame->n_pages;
  guint64 inside = MIN (g->n_inside, n);
  g_autofree char *page_size = g_format_size_full (g->page_size, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *n_text = number (n);
  g_autofree char *last_inside = number (inside - 1);
  g_autofree char *first_past = number (inside);
  g_autofree char *last = number (n - 1);

  /* TRANSLATORS: "64 pages of 4.0 KiB, ..." */
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s page of %s, one cell each, row by row from page 0.",
                                             "%s pages of %s, one cell each, row by row from page 0.", n),
                          n_text, page_size);
  if (self->run > 1)
    {
      g_autofree char *run = number (self->run);

      g_string_append_c (text, ' ');
      /* TRANSLATORS: below one pixel a page, a cell shows a run of pages */
      g_string_append_printf (text, _("Zoomed out: each cell shows a run of %s pages."), run);
    }
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

static void
append_cursor (PsPageGrid *self,
               GString    *text)
{
  g_autofree char *cursor = NULL;

  if (self->frame->n_pages == 0)
    return;
  cursor = ps_page_grid_describe_page (self, MIN (self->cursor, self->frame->n_pages - 1));
  g_strdelimit (cursor, "\n", ';');
  /* TRANSLATORS: what the screen reader says first: the page under the grid's cursor */
  g_string_append_printf (text, _("Cursor: %s."), cursor);
  g_string_append_c (text, ' ');
}

void
ps_page_grid_update_description (PsPageGrid *self)
{
  GString *text = g_string_new (NULL);
  const PsGridLegendEntry *legend;
  g_autofree char *hint = NULL;
  guint n_legend;

  if (self->frame == NULL)
    g_string_append (text, _("No mapping is open."));
  else
    {
      append_cursor (self, text);
      append_geometry (self, text);
    }
  g_string_append_c (text, ' ');
  hint = ps_page_grid_mode_hint (self->mode, self->fade_ms);
  g_string_append (text, hint);
  g_string_append_c (text, ' ');
  g_string_append (text, _("Colours:"));
  legend = ps_page_grid_mode_legend (self->mode, &n_legend);
  for (guint i = 0; i < n_legend; i++)
    {
      g_autofree char *label = ps_grid_legend_entry_label (&legend[i], self->fade_ms);

      g_string_append (text, i == 0 ? " " : ", ");
      if (legend[i].swatch == PS_GRID_SWATCH_LINE)
        /* TRANSLATORS: a boundary drawn as a line, e.g. "EOF (a line)" */
        g_string_append_printf (text, _("%s (a line)"), label);
      else
        g_string_append (text, label);
    }
  g_string_append_c (text, '.');

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str,
                                  -1);
  g_string_free (text, TRUE);
  if (self->frame != NULL)
    self->described = self->frame->geometry;
}
