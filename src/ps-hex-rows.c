/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hex view's rows, without the widget: which bytes are on screen and
 * what they show, their glow, and the text of a row. */
#define G_LOG_DOMAIN "pagescope-hex"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ps-hex-rows.h"

static inline guint
row_width (const PsHexRows *rows)
{
  return rows->width != 0 ? rows->width : PS_HEX_BYTES_PER_ROW;
}

/* What the rows are read with. */
typedef struct
{
  PsSource         *source;
  PsFrame          *frame;       /* NULL unless of this mapping */
  const PsGeometry *g;
  guint64           length;
  guint64           page_size;
  gboolean          shmem;
  guint64           first_row;
  guint             width;       /* bytes a row */
} Reading;

static gboolean
row_in_focus (PsFrame *frame,
              guint64  offset,
              guint64  length)
{
  return frame != NULL && frame->focus_length > 0 && offset >= frame->focus_offset &&
         offset + length <= frame->focus_offset + frame->focus_length &&
         ps_frame_focus_has (frame, offset);
}

static void
ensure_capacity (PsHexRows *rows,
                 guint      n)
{
  guint w = row_width (rows);

  if (n <= rows->capacity)
    return;
  rows->capacity = n;
  rows->bytes = g_realloc_n (rows->bytes, n, w);
  rows->kinds = g_realloc_n (rows->kinds, n, w);
  rows->change_us = g_realloc_n (rows->change_us, (gsize) n * w, sizeof (gint64));
}

void
ps_hex_rows_set_width (PsHexRows *rows,
                       guint      width)
{
  g_return_if_fail (rows != NULL);
  g_return_if_fail (width % 8 == 0 && width >= PS_HEX_MIN_BYTES_PER_ROW && width <= PS_HEX_MAX_BYTES_PER_ROW);

  if (width == row_width (rows))
    return;
  ps_hex_rows_clear (rows);
  rows->width = width;
}

/* The kind of the bytes of a row that lies within one page. */
static PsHexByteKind
row_kind (const Reading *r,
          guint64        page,
          gboolean       from_focus,
          gboolean       peek_valid)
{
  if (page >= r->g->n_inside)
    return PS_HEX_BYTE_PAST_EOF;
  if (from_focus)
    return r->shmem && ps_frame_page_state (r->frame, page) == PS_PAGE_ABSENT
           ? PS_HEX_BYTE_NOT_ALLOCATED : PS_HEX_BYTE_DATA;
  if (peek_valid)
    return PS_HEX_BYTE_DATA;
  return r->shmem ? PS_HEX_BYTE_NOT_ALLOCATED : PS_HEX_BYTE_UNREADABLE;
}

static void
fill_row (PsHexRows     *rows,
          const Reading *r,
          guint          i,
          const guint8  *peeked,
          const guint8  *valid)
{
  PsFrame *frame = r->frame;
  guint width = r->width;
  guint64 first = r->first_row * width;
  guint64 offset = (r->first_row + i) * width;
  guint64 len = MIN (width, r->length - offset);
  guint64 page = offset / r->page_size;
  gboolean focus = row_in_focus (frame, offset, len);
  gboolean peek_valid = !focus && peeked != NULL && valid[page - first / r->page_size];
  PsHexByteKind kind = row_kind (r, page, focus, peek_valid);

  for (guint b = 0; b < width; b++)
    {
      guint64 o = offset + b;
      gsize k = (gsize) i * width + b;
      PsHexByteKind byte_kind = kind;

      rows->bytes[k] = 0;
      rows->change_us[k] = -1;
      if (b >= len)
        {
          rows->kinds[k] = PS_HEX_BYTE_OFF_SCREEN;
          continue;
        }
      if (kind == PS_HEX_BYTE_DATA && o >= r->g->data_length)
        byte_kind = PS_HEX_BYTE_ZERO_TAIL;
      rows->kinds[k] = byte_kind;
      if (focus)
        {
          guint32 ms = frame->focus_change_ms[o - frame->focus_offset];

          rows->bytes[k] = frame->focus_bytes[o - frame->focus_offset];
          rows->change_us[k] = ms != 0 ? frame->epoch_us + (gint64) ms * 1000 : 0;
        }
      else if (peek_valid)
        rows->bytes[k] = peeked[o - first];
    }
}

void
ps_hex_rows_read (PsHexRows *rows,
                  PsSource  *source,
                  PsFrame   *frame,
                  guint64    first_row,
                  guint      n_rows)
{
  const PsGeometry *mapped;
  Reading r;
  guint width = row_width (rows);
  guint64 offset, len;
  g_autofree guint8 *peeked = NULL;
  g_autofree guint8 *valid = NULL;

  g_return_if_fail (rows != NULL);
  g_return_if_fail (PS_IS_SOURCE (source));

  mapped = ps_source_get_geometry (source);
  r.source = source;
  r.length = mapped->length;
  r.page_size = MAX (mapped->page_size, width);
  r.shmem = ps_source_is_shmem (source);
  r.first_row = first_row;
  r.width = width;
  /* a frame of another source (or mapping) says nothing about this one */
  r.frame = frame != NULL && frame->geometry.page_size == mapped->page_size && frame->geometry.length == r.length
            ? frame : NULL;
  r.g = r.frame != NULL ? &r.frame->geometry : mapped;

  offset = first_row * width;
  if (n_rows == 0 || offset >= r.length)
    return;
  n_rows = (guint) MIN ((guint64) n_rows, (r.length - offset + width - 1) / width);
  ensure_capacity (rows, n_rows);
  len = MIN ((guint64) n_rows * width, r.length - offset);

  for (guint i = 0; i < n_rows && peeked == NULL; i++)
    {
      guint64 o = offset + (guint64) i * width;

      if (o / r.page_size < r.g->n_inside && !row_in_focus (r.frame, o, MIN (width, r.length - o)))
        {
          peeked = g_malloc (len);
          valid = g_malloc0 ((offset + len - 1) / r.page_size - offset / r.page_size + 1);
          ps_source_peek (source, offset, peeked, len, valid);
        }
    }
  for (guint i = 0; i < n_rows; i++)
    fill_row (rows, &r, i, peeked, valid);
}

void
ps_hex_rows_read_with (PsHexRows     *rows,
                       PsHexReadFunc  func,
                       gpointer       user_data,
                       guint64        length,
                       guint64        first_row,
                       guint          n_rows)
{
  guint width = row_width (rows);
  guint64 offset = first_row * width;
  gsize len, n;

  g_return_if_fail (rows != NULL && func != NULL);

  if (n_rows == 0 || offset >= length)
    return;
  n_rows = (guint) MIN ((guint64) n_rows, (length - offset + width - 1) / width);
  ensure_capacity (rows, n_rows);
  n = (gsize) n_rows * width;
  len = (gsize) MIN ((guint64) n, length - offset);
  memset (rows->bytes, 0, n);
  memset (rows->kinds, PS_HEX_BYTE_OFF_SCREEN, n);
  for (gsize k = 0; k < n; k++)
    rows->change_us[k] = -1;
  func (user_data, offset, len, rows->bytes, rows->kinds);
}

void
ps_hex_rows_clear (PsHexRows *rows)
{
  g_clear_pointer (&rows->bytes, g_free);
  g_clear_pointer (&rows->kinds, g_free);
  g_clear_pointer (&rows->change_us, g_free);
  rows->capacity = 0;
}

/* ---- glow ---- */

int
ps_hex_glow_level (gint64 change_us,
                   gint64 now)
{
  gint64 age;

  if (change_us <= 0)
    return 0;
  age = MAX (now - change_us, 0);
  if (age >= PS_HEX_GLOW_US)
    return 0;
  return (int) ceil (PS_HEX_GLOW_LEVELS * (1.0 - (double) age / PS_HEX_GLOW_US));
}

gint64
ps_hex_next_glow_step (gint64 change_us,
                       gint64 now)
{
  int level = ps_hex_glow_level (change_us, now);

  if (level == 0)
    return 0;
  /* level L lasts while age < GLOW_US * (GLOW_LEVELS - L + 1) / GLOW_LEVELS */
  return change_us + PS_HEX_GLOW_US * (PS_HEX_GLOW_LEVELS - level + 1) / PS_HEX_GLOW_LEVELS;
}

/* ---- row text ---- */

static void
row_text_dim (PsHexRowText *t,
              gsize    start,
              guint16  alpha)
{
  /* runs a separator apart merge, so a dim row is one attribute, not sixteen */
  if (t->n_runs > 0 && t->runs[t->n_runs - 1].alpha == alpha && start - t->runs[t->n_runs - 1].end <= 2)
    {
      t->runs[t->n_runs - 1].end = t->len;
      return;
    }
  if (t->n_runs == G_N_ELEMENTS (t->runs))
    return;
  t->runs[t->n_runs].start = start;
  t->runs[t->n_runs].end = t->len;
  t->runs[t->n_runs].alpha = alpha;
  t->n_runs++;
}

static void
row_text_add (PsHexRowText    *t,
              const char *s,
              gboolean    dim)
{
  gsize start = t->len;
  gsize n = strlen (s);

  memcpy (t->text + t->len, s, n);
  t->len += n;
  if (dim)
    row_text_dim (t, start, PS_HEX_DIM_BYTES);
}

static void
row_text_hex (gboolean      have_middot,
              PsHexRowText *t,
              guint8     value,
              guint8     kind)
{
  static const char digits[] = "0123456789abcdef";
  char hex[3] = { digits[value >> 4], digits[value & 0xf], 0 };

  switch (kind)
    {
    case PS_HEX_BYTE_DATA: row_text_add (t, hex, FALSE); break;
    case PS_HEX_BYTE_ZERO_TAIL: row_text_add (t, hex, TRUE); break;
    case PS_HEX_BYTE_NOT_ALLOCATED: row_text_add (t, have_middot ? "\xc2\xb7\xc2\xb7" : "__", TRUE); break;
    case PS_HEX_BYTE_PAST_EOF:
    case PS_HEX_BYTE_UNREADABLE: row_text_add (t, "--", TRUE); break;
    case PS_HEX_BYTE_STALE: row_text_add (t, hex, TRUE); break;
    case PS_HEX_BYTE_UNKNOWN: row_text_add (t, "??", TRUE); break;
    default: row_text_add (t, "  ", FALSE); break;
    }
}

static void
row_text_ascii (gboolean      have_middot,
                PsHexRowText *t,
                guint8     value,
                guint8     kind)
{
  char c[2] = { g_ascii_isprint (value) ? (char) value : '.', 0 };

  switch (kind)
    {
    case PS_HEX_BYTE_DATA: row_text_add (t, c, FALSE); break;
    case PS_HEX_BYTE_ZERO_TAIL: row_text_add (t, ".", TRUE); break;
    case PS_HEX_BYTE_NOT_ALLOCATED: row_text_add (t, have_middot ? "\xc2\xb7" : "_", TRUE); break;
    case PS_HEX_BYTE_STALE: row_text_add (t, c, TRUE); break;
    case PS_HEX_BYTE_UNKNOWN: row_text_add (t, "?", TRUE); break;
    default: row_text_add (t, " ", FALSE); break;
    }
}

void
ps_hex_row_text_build (PsHexRowText *t,
                       guint64       row,
                       guint         width,
                       guint         n_digits,
                       gboolean      have_middot,
                       const guint8 *bytes,
                       const guint8 *kinds)
{
  static const char digits[] = "0123456789abcdef";
  guint64 offset = row * width;

  g_return_if_fail (width <= PS_HEX_MAX_BYTES_PER_ROW);

  t->len = 0;
  t->n_runs = 0;
  for (guint d = n_digits; d-- > 0;)
    t->text[t->len++] = digits[(offset >> (4 * d)) & 0xf];
  row_text_dim (t, 0, PS_HEX_DIM_OFFSET);
  row_text_add (t, "  ", FALSE);
  for (guint i = 0; i < width; i++)
    {
      row_text_hex (have_middot, t, bytes[i], kinds[i]);
      /* a space between bytes, two between groups of 8 */
      row_text_add (t, i == width - 1 ? "" : i % 8 == 7 ? "  " : " ", FALSE);
    }
  row_text_add (t, "  ", FALSE);
  for (guint i = 0; i < width; i++)
    row_text_ascii (have_middot, t, bytes[i], kinds[i]);
}

