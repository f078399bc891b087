/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the hex view says in words: a byte's tooltip and the accessible
 * description. GTK 4.8 has no gtk_accessible_announce: the description
 * starts with the offset, the byte and the character at the cursor, and
 * changes as the cursor moves, so a screen reader speaks it (AT-SPI's
 * accessible-description property-change event on the focused widget). */
#define G_LOG_DOMAIN "pagescope-hex"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>   /* PRIu64 in translatable strings: xgettext knows it, not G_GUINT64_FORMAT */

#include "ps-hex-view-private.h"

/* ---- tooltip ------------------------------------------------------------------ */

static const char *
page_state_text (PsPageState state,
                 gboolean    shmem)
{
  switch (state)
    {
    case PS_PAGE_ABSENT: return shmem ? _("not allocated (a hole: reads as zero, never read)") : _("not in the page cache");
    case PS_PAGE_RESIDENT: return _("resident");
    case PS_PAGE_UNKNOWN: return _("residency unknown");
    case PS_PAGE_PAST_EOF: return _("wholly past the end of the object");
    case PS_PAGE_PAST_MAPPING: return _("past the mapping");
    default: return "?";
    }
}

static char *
value_text (guint8 value,
            guint8 kind)
{
  switch (kind)
    {
    case PS_HEX_BYTE_NOT_ALLOCATED:
      return g_strdup (_("Not allocated: reads as 0x00, never read"));
    case PS_HEX_BYTE_ZERO_TAIL:
      return g_strdup (_("Past the end of the object, inside its last page: reads as 0x00"));
    case PS_HEX_BYTE_PAST_EOF:
      return g_strdup (_("Past the end of the object: an access would raise SIGBUS"));
    case PS_HEX_BYTE_UNREADABLE:
      return g_strdup (_("Could not be read"));
    case PS_HEX_BYTE_UNKNOWN:
      return g_strdup (_("Not recorded up to this time: its value is unknown"));
    case PS_HEX_BYTE_STALE:
      /* TRANSLATORS: a replay's byte recorded earlier but not followed at the time shown */
      return g_strdup_printf (_("Value 0x%02x as last recorded; not followed at this time, so it may have changed since"), value);
    default:
      if (g_ascii_isprint (value))
        return g_strdup_printf (_("Value 0x%02x (%u, “%c”)"), value, value, value);
      return g_strdup_printf (_("Value 0x%02x (%u)"), value, value);
    }
}

char *
ps_hex_view_tooltip_text (PsHexView *self,
                          guint64    offset)
{
  guint screen_row = (guint) (offset / self->bytes_per_row - self->first_row);
  gsize k = (gsize) screen_row * self->bytes_per_row + offset % self->bytes_per_row;
  PsFrame *frame = ps_hex_view_usable_frame (self);
  guint64 page = offset / self->page_size;
  gint64 change = self->rows.change_us[k];
  g_autofree char *value = value_text (self->rows.bytes[k], self->rows.kinds[k]);
  g_autofree char *where = g_strdup_printf (_("Offset 0x%" PRIx64 " (%" PRIu64 ")"), offset, offset);
  g_autofree char *state = NULL;
  g_autofree char *page_line = NULL;
  g_autofree char *changed = NULL;

  if (frame != NULL && page < frame->n_pages)
    state = g_strdup (page_state_text (ps_frame_page_state (frame, page), self->shmem));
  else if (self->rows.kinds[k] == PS_HEX_BYTE_NOT_ALLOCATED)
    state = g_strdup (page_state_text (PS_PAGE_ABSENT, TRUE));
  else if (self->rows.kinds[k] == PS_HEX_BYTE_PAST_EOF)
    state = g_strdup (page_state_text (PS_PAGE_PAST_EOF, self->shmem));
  else
    state = g_strdup (_("not scanned yet"));

  if (change > 0)
    changed = g_strdup_printf (_("Changed %.1f s ago"), MAX (g_get_monotonic_time () - change, 0) / (double) G_USEC_PER_SEC);
  else if (change == 0)
    changed = g_strdup (_("Never changed"));

  page_line = g_strdup_printf (_("Page %" PRIu64 ": %s"), page, state);
  return g_strjoin ("\n", where, value, page_line, changed, NULL);
}

gboolean
ps_hex_view_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_mode,
                           GtkTooltip *tooltip)
{
  PsHexView *self = PS_HEX_VIEW (widget);
  g_autofree char *text = NULL;
  guint64 offset;
  gboolean ascii;
  double col;

  if (!ps_hex_view_has_bytes (self) || self->n_draw == 0)
    return FALSE;
  ps_hex_view_ensure_data (self);
  col = (x - ps_hex_view_origin_x (self)) / self->char_w;
  if (keyboard_mode)
    offset = self->cursor;
  else if (col < ps_hex_view_hex_col (self, 0) - 0.5 || col > ps_hex_view_ascii_col (self, self->bytes_per_row) ||
           !ps_hex_view_byte_at (self, x, y, &offset, &ascii))
    return FALSE;
  if (offset / self->bytes_per_row < self->first_row || offset / self->bytes_per_row >= self->first_row + self->n_draw)
    return FALSE;
  text = ps_hex_view_tooltip_text (self, offset);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}


/* The byte at the cursor, in words: from the screen, or read alone (never
 * a hole, never past EOF) before the screen shows it. */
static char *
cursor_text (PsHexView *self)
{
  guint64 offset = self->cursor;
  g_autofree char *value = NULL;
  guint8 byte = 0, kind;

  if (!ps_hex_view_get_byte (self, offset, &byte))
    ps_hex_view_read_bytes (self, offset, &byte, 1, &kind);
  else
    kind = ps_hex_view_get_byte_kind (self, offset);
  value = value_text (byte, kind);
  /* TRANSLATORS: what a screen reader says first as the hex view's cursor
   * moves: "Offset 0x40 (64): Value 0x41 (65, “A”)" */
  return g_strdup_printf (_("Offset 0x%" PRIx64 " (%" PRIu64 "): %s"), offset, offset, value);
}

void
ps_hex_view_update_accessible (PsHexView *self)
{
  g_autofree char *text = NULL;
  g_autofree char *cursor = NULL;

  if (!ps_hex_view_has_bytes (self) || self->length == 0)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("Nothing on screen"), -1);
      return;
    }
  cursor = cursor_text (self);
  if (self->range_length == 0)
    text = g_strdup (cursor);
  else
    /* TRANSLATORS: the cursor's byte, then what is on screen */
    text = g_strdup_printf (_("%s. Offsets 0x%" PRIx64 " to 0x%" PRIx64 " of %" PRIu64 " bytes on screen."),
                            cursor, self->range_offset, self->range_offset + self->range_length - 1, self->length);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}
