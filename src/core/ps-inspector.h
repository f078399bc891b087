/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-value.h"

G_BEGIN_DECLS

/* What the bytes at the cursor mean, every way the data inspector shows
 * them. Each row: a kind, whether it is a typed value (and so can be
 * edited and watched), its label and its text. */
typedef enum
{
  PS_INSPECT_BINARY,     /* the byte's bits */
  PS_INSPECT_VALUE,      /* a PsValueFormat */
  PS_INSPECT_CHAR,       /* ASCII / UTF-8 character */
  PS_INSPECT_CSTRING,    /* the C string starting here */
  PS_INSPECT_TIME_T,     /* a 64-bit time_t as a date (UTC) */
  PS_INSPECT_POINTER,    /* a 64-bit pointer as hex */
} PsInspectKind;

typedef struct
{
  PsInspectKind  kind;
  PsValueFormat  format;     /* PS_INSPECT_VALUE (and the byte order of TIME_T, POINTER) */
  char          *label;      /* "u32 (LE)", "binary", ... */
  char          *text;       /* the value, or "—" when the bytes do not reach that far */
} PsInspectRow;

void       ps_inspect_row_clear  (PsInspectRow *row);

/* The rows for the bytes at hand (len of them: a value that needs more is
 * shown as "—"), the leading byte order's rows first then the other's.
 * An array of PsInspectRow (cleared when the array is freed). */
GArray    *ps_inspect            (const guint8 *bytes,
                                  gsize         len,
                                  gboolean      big_endian_first);
/* How many bytes the inspector reads at the cursor. */
#define PS_INSPECT_BYTES 64

G_END_DECLS
