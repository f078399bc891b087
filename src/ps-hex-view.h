/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-frame.h"
#include "ps-source.h"

G_BEGIN_DECLS

#define PS_HEX_BYTES_PER_ROW 16

/* What a byte on screen shows. */
typedef enum
{
  PS_HEX_BYTE_OFF_SCREEN,      /* not in the rows on screen, or past the mapping */
  PS_HEX_BYTE_DATA,
  PS_HEX_BYTE_NOT_ALLOCATED,   /* a shmem hole: reads as zero, never read */
  PS_HEX_BYTE_ZERO_TAIL,       /* past EOF inside the last page: reads as zero */
  PS_HEX_BYTE_PAST_EOF,        /* in a page wholly past EOF: access would SIGBUS */
  PS_HEX_BYTE_UNREADABLE,      /* reading it failed (the object shrank under us) */
} PsHexByteKind;

#define PS_TYPE_HEX_VIEW (ps_hex_view_get_type ())
G_DECLARE_FINAL_TYPE (PsHexView, ps_hex_view, PS, HEX_VIEW, GtkWidget)

GtkWidget *ps_hex_view_new               (void);
void       ps_hex_view_set_source        (PsHexView *self,
                                          PsSource  *source);
PsSource  *ps_hex_view_get_source        (PsHexView *self);
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

/* For tests: the byte as shown now (FALSE if it is not on screen), what it
 * shows, how strongly it glows (0..1), and where its cell is in the widget. */
gboolean      ps_hex_view_get_byte       (PsHexView       *self,
                                          guint64          offset,
                                          guint8          *value);
PsHexByteKind ps_hex_view_get_byte_kind  (PsHexView       *self,
                                          guint64          offset);
double        ps_hex_view_get_glow       (PsHexView       *self,
                                          guint64          offset);
gboolean      ps_hex_view_get_byte_rect  (PsHexView       *self,
                                          guint64          offset,
                                          gboolean         ascii,
                                          graphene_rect_t *rect);

G_END_DECLS
