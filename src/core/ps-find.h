/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-source.h"
#include "ps-value.h"

G_BEGIN_DECLS

/* What find looks for: bytes, optionally ignoring ASCII case. */
typedef struct _PsFindPattern PsFindPattern;

/* The text form, as the find bar, `--find` and scripting take it:
 *   de ad be ef | "hello\n" | 0xde,0xad     bytes, as ps_bytes_parse reads them
 *   hex:de ad be ef                         the same, said plainly
 *   text:hello world                        the text as it is (UTF-8)
 *   itext:Hello                             the text, ignoring ASCII case
 *   u32:4242 | i64be:-1 | f64:1.5 | ...     a typed value (ps_value_format_parse)
 * At most 4 KiB of pattern. */
PsFindPattern *ps_find_pattern_parse    (const char          *text,
                                         GError             **error);
PsFindPattern *ps_find_pattern_new      (const guint8        *bytes,
                                         gsize                len,
                                         gboolean             ignore_case);
void           ps_find_pattern_free     (PsFindPattern       *pattern);
const guint8  *ps_find_pattern_get_bytes (const PsFindPattern *pattern,
                                          gsize               *len);
gboolean       ps_find_pattern_ignores_case (const PsFindPattern *pattern);
/* "4 bytes: de ad be ef", "text \"hello\" (any case)" */
char          *ps_find_pattern_describe (const PsFindPattern *pattern);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsFindPattern, ps_find_pattern_free)

typedef void (*PsFindProgress) (guint64  done,
                                guint64  total,
                                gpointer user_data);

/* Looks for the pattern in [from, to) of the mapping, forward (the first
 * match at or after from) or backward (the last that starts before to).
 * Reads only what the scanner may read: never a page of shared memory that
 * is not allocated (a hole reads as zeros and is not searched), never a page
 * past EOF; a file page is read (that only fills the page cache). Survives
 * the object shrinking (SIGBUS ends the search with an error). Any thread;
 * checks cancellable between slices of a few MiB. *found is G_MAXUINT64
 * when there is no match. */
gboolean  ps_find_next  (PsSource            *source,
                         const PsFindPattern *pattern,
                         guint64              from,
                         guint64              to,
                         gboolean             backward,
                         guint64             *found,
                         GCancellable        *cancellable,
                         PsFindProgress       progress,
                         gpointer             user_data,
                         GError             **error);
/* Every match in [from, to), in order, at most max_hits (*truncated says
 * whether there were more); matches may overlap. */
gboolean  ps_find_all   (PsSource            *source,
                         const PsFindPattern *pattern,
                         guint64              from,
                         guint64              to,
                         guint                max_hits,
                         GArray              *hits,
                         gboolean            *truncated,
                         GCancellable        *cancellable,
                         PsFindProgress       progress,
                         gpointer             user_data,
                         GError             **error);

G_END_DECLS
