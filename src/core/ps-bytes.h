/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The most one write may carry, repeat included. */
#define PS_BYTES_MAX ((gsize) 16 * 1024 * 1024)

/* What the user types as bytes:
 *   hex in any common spelling: "de ad be ef", "deadbeef", "0xde,0xad", "DE:AD", "\xde\xad"
 *   a quoted C string with escapes: "hi, dad\n" (\n \t \r \0 \\ \" \xHH \NNN octal)
 *   any mix of the two, e.g.  "HELLO" 00 0a
 *   an optional repeat: DATA * N   (N decimal or 0x hex)
 * On error, returns NULL and the GError names the column (1-based) of the
 * offending character and why, e.g. "column 5: 'g' is not a hex digit".
 * Columns count characters, not bytes. The result holds 1 byte to 16 MiB.
 * Separators between hex bytes: whitespace, ',', ':' or '-'. A run of hex
 * digits is read two per byte; "0xA" and "0xAB" are one byte each. */
GBytes   *ps_bytes_parse        (const char   *text,
                                 GError      **error);
/* The same; on error *column (if not NULL) is the 1-based column of the
 * offending character, 0 when the error names none (empty, too large). */
GBytes   *ps_bytes_parse_at     (const char   *text,
                                 int          *column,
                                 GError      **error);

/* Repeats (or truncates) pattern to fill exactly length bytes. */
GBytes   *ps_bytes_fill         (GBytes       *pattern,
                                 gsize         length);

/* The write-bytes action argument: "OFFSET DATA", e.g. `0x10 de ad be ef`, `0 "HELLO"`. */
gboolean  ps_bytes_parse_write  (const char   *text,
                                 guint64      *offset,
                                 GBytes      **data,
                                 GError      **error);

/* "de ad be ef" (at most max bytes, then "…") */
char     *ps_bytes_to_hex       (const guint8 *data,
                                 gsize         len,
                                 gsize         max);
/* C-escaped text: printable ASCII as is, else \n, \t, \xHH;
 * \ and " are escaped too, so the result between double quotes parses back */
char     *ps_bytes_to_escaped   (const guint8 *data,
                                 gsize         len,
                                 gsize         max);

G_END_DECLS
