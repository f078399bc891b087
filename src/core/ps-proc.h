/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "ps-frame.h"

G_BEGIN_DECLS

/* Parsers of what the kernel gives in /proc, kept pure (text or records
 * in, values out, no I/O) so that tests and fuzzers can feed them anything.
 * The /proc files they read are outside input: another kernel, a
 * container's bind mount, a file given for a test. */

/* Shared_Dirty and Private_Dirty, in bytes, of the mapping whose smaps
 * header starts at address start (e.g. "7f3a2c000000-7f3a2c400000 rw-s ...").
 * smaps is the whole text of /proc/PID/smaps, NUL-terminated. FALSE (and
 * both -1) when the mapping is not there or either field is missing or
 * malformed. */
gboolean ps_proc_parse_smaps_dirty    (const char *smaps,
                                       guint64     start,
                                       gint64     *shared_dirty,
                                       gint64     *private_dirty);

/* A /proc/PID/pagemap entry of a MAP_PRIVATE file mapping: our own copy of
 * the page (present or swapped, and not a file page; LINUX-FACTS). */
static inline gboolean
ps_proc_pagemap_is_private_copy (guint64 entry)
{
  gboolean present = (entry >> 63) & 1;
  gboolean swapped = (entry >> 62) & 1;
  gboolean file = (entry >> 61) & 1;

  return (present && !file) || swapped;
}

/* Marks PS_PAGE_PRIVATE_COPY on pages[i] for each whole entry of a pread of
 * pagemap that returned got bytes (negative: an error, nothing marked; a
 * short read marks only what came; never more than n_pages). Returns how
 * many pages were marked. */
guint64  ps_proc_pagemap_mark_copies  (const guint64 *entries,
                                       gssize         got,
                                       PsPageInfo    *pages,
                                       guint64        n_pages);

G_END_DECLS
