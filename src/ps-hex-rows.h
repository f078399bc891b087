/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The hex view's rows without the widget: what each byte on screen shows
 * (read from a frame's focus window or the source), how strongly it glows,
 * and the text of a row. Pure: no display, for the view and the tests. */

#include "ps-frame.h"
#include "ps-source.h"

G_BEGIN_DECLS

/* Bytes a row: a multiple of 8 (one group) from the least to the most. */
#define PS_HEX_BYTES_PER_ROW     16                 /* the default */
#define PS_HEX_MIN_BYTES_PER_ROW 8
#define PS_HEX_MAX_BYTES_PER_ROW 64

/* What a byte on screen shows. */
typedef enum
{
  PS_HEX_BYTE_OFF_SCREEN,      /* not in the rows on screen, or past the mapping */
  PS_HEX_BYTE_DATA,
  PS_HEX_BYTE_NOT_ALLOCATED,   /* a shmem hole: reads as zero, never read */
  PS_HEX_BYTE_ZERO_TAIL,       /* past EOF inside the last page: reads as zero */
  PS_HEX_BYTE_PAST_EOF,        /* in a page wholly past EOF: access would SIGBUS */
  PS_HEX_BYTE_UNREADABLE,      /* reading it failed (the object shrank under us) */
  PS_HEX_BYTE_STALE,           /* a replay: recorded earlier, not followed at that time (its last value) */
  PS_HEX_BYTE_UNKNOWN,         /* a replay: never recorded up to that time */
} PsHexByteKind;

#define PS_HEX_GLOW_US      (3 * G_USEC_PER_SEC)   /* a changed byte fades over this */
#define PS_HEX_GLOW_LEVELS  8                      /* alpha steps: a glowing byte is drawn again this often */

/* The bytes of consecutive rows of a mapping. */
typedef struct
{
  guint    width;             /* bytes a row; 0: PS_HEX_BYTES_PER_ROW */
  guint    capacity;          /* rows */
  guint8  *bytes;
  guint8  *kinds;             /* PsHexByteKind */
  gint64  *change_us;         /* monotonic; 0 never; -1 not watched */
} PsHexRows;

/* Rows of width bytes from now on (a multiple of 8 in
 * [PS_HEX_MIN_BYTES_PER_ROW, PS_HEX_MAX_BYTES_PER_ROW]); forgets the rows read. */
void     ps_hex_rows_set_width   (PsHexRows *rows,
                                  guint      width);

/* Reads rows [first_row, first_row + n_rows) of the source's mapping: from
 * the frame's focus window where it covers a row (frame may be NULL, or of
 * another mapping: then it is not used), the rest with one ps_source_peek,
 * which never reads a shmem hole nor a page past EOF. */
void     ps_hex_rows_read        (PsHexRows *rows,
                                  PsSource  *source,
                                  PsFrame   *frame,
                                  guint64    first_row,
                                  guint      n_rows);
void     ps_hex_rows_clear       (PsHexRows *rows);

/* Where the bytes come from when they are not a source's (a replay): the
 * bytes of [offset, offset + len) and a PsHexByteKind for each. */
typedef void (*PsHexReadFunc) (gpointer  user_data,
                               guint64   offset,
                               gsize     len,
                               guint8   *bytes,
                               guint8   *kinds);

/* Reads rows [first_row, first_row + n_rows) of length bytes with func;
 * nothing glows (change_us -1). */
void     ps_hex_rows_read_with   (PsHexRows     *rows,
                                  PsHexReadFunc  func,
                                  gpointer       user_data,
                                  guint64        length,
                                  guint64        first_row,
                                  guint          n_rows);

/* The glow step of a byte changed at change_us (0: none), and when it next
 * goes down a step (0: it does not glow). */
int      ps_hex_glow_level       (gint64 change_us,
                                  gint64 now);
gint64   ps_hex_next_glow_step   (gint64 change_us,
                                  gint64 now);

/* The text of one row: offset, hex, ASCII, and the runs to draw dimmed. */
typedef struct
{
  /* the longest: 16 offset digits, 6 bytes a hex byte with its spaces, 2 an ASCII one */
  char     text[16 + 4 + 8 * PS_HEX_MAX_BYTES_PER_ROW];
  gsize    len;
  guint    n_runs;
  struct { guint start, end; guint16 alpha; } runs[2 * PS_HEX_MAX_BYTES_PER_ROW + 8];
} PsHexRowText;

#define PS_HEX_DIM_OFFSET   0x9000   /* pango alpha of the offset column */
#define PS_HEX_DIM_BYTES    0x5800   /* ...of bytes that read as zero or cannot be read */

/* bytes and kinds: width each. */
void     ps_hex_row_text_build   (PsHexRowText *t,
                                  guint64       row,
                                  guint         width,
                                  guint         n_digits,
                                  gboolean      have_middot,
                                  const guint8 *bytes,
                                  const guint8 *kinds);

G_END_DECLS
