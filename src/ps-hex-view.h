/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-frame.h"
#include "ps-hex-rows.h"
#include "ps-highlight.h"
#include "ps-source.h"

G_BEGIN_DECLS

#define PS_TYPE_HEX_VIEW (ps_hex_view_get_type ())
G_DECLARE_FINAL_TYPE (PsHexView, ps_hex_view, PS, HEX_VIEW, GtkWidget)

GtkWidget *ps_hex_view_new               (void);
void       ps_hex_view_set_source        (PsHexView *self,
                                          PsSource  *source);
PsSource  *ps_hex_view_get_source        (PsHexView *self);
/* Shows length bytes read with func instead of a source's (a replay:
 * PS_HEX_BYTE_STALE and _UNKNOWN say where bytes were not recorded);
 * destroy frees user_data when another source or reader replaces it.
 * ps_hex_view_reload: what func gives changed (another time). */
void       ps_hex_view_set_reader        (PsHexView     *self,
                                          guint64        length,
                                          guint64        page_size,
                                          PsHexReadFunc  func,
                                          gpointer       user_data,
                                          GDestroyNotify destroy);
void       ps_hex_view_reload            (PsHexView     *self);
/* Bytes a row (the "bytes-per-row" property): a multiple of 8 in
 * [PS_HEX_MIN_BYTES_PER_ROW, PS_HEX_MAX_BYTES_PER_ROW]; another value
 * in range is taken down to a multiple of 8. The byte at the top stays
 * at the top. */
void       ps_hex_view_set_bytes_per_row (PsHexView     *self,
                                          guint          bytes_per_row);
guint      ps_hex_view_get_bytes_per_row (PsHexView     *self);
void       ps_hex_view_set_frame         (PsHexView *self,
                                          PsFrame   *frame);
/* Scrolls so offset is on screen and puts the cursor there. */
void       ps_hex_view_goto              (PsHexView *self,
                                          guint64    offset);
guint64    ps_hex_view_get_cursor        (PsHexView *self);
gboolean   ps_hex_view_get_selection     (PsHexView *self,
                                          guint64   *offset,
                                          guint64   *length);
void       ps_hex_view_set_selection     (PsHexView *self,
                                          guint64    offset,
                                          guint64    length);
/* The bytes on screen (emitted as "visible-range-changed"). */
void       ps_hex_view_get_visible_range (PsHexView *self,
                                          guint64   *offset,
                                          guint64   *length);
/* Byte ranges of the mapping to tint (marks, find hits), or NULL: drawn
 * under the change glow and the selection. Copied; a few thousand stay
 * cheap (only those on screen are looked at). */
void       ps_hex_view_set_highlights    (PsHexView         *self,
                                          const PsHighlight *ranges,
                                          guint              n_ranges);

G_END_DECLS
