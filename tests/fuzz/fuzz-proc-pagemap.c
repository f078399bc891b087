/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /proc/PID/pagemap records (ps-proc.c): the input's first 8 bytes are what
 * pread returned (any value, negative for an error), the rest the entries
 * read. Promises: only whole entries that came, and never more pages than
 * asked for, are marked; nothing else of a page changes. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ps-proc.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree guint64 *entries = NULL;
  g_autofree PsPageInfo *pages = NULL;
  guint64 n_pages, expected = 0, marked;
  gint64 got;

  if (size < sizeof got)
    return 0;
  memcpy (&got, data, sizeof got);
  data += sizeof got;
  size -= sizeof got;

  /* an exact-size copy, so ASan sees any read past the entries */
  n_pages = size / sizeof (guint64);
  entries = g_memdup2 (data, n_pages * sizeof (guint64));
  pages = g_new0 (PsPageInfo, MAX (n_pages, 1));
  for (guint64 i = 0; i < n_pages; i++)
    pages[i].state = PS_PAGE_RESIDENT;

  marked = ps_proc_pagemap_mark_copies (entries, (gssize) got, pages, n_pages);

  for (guint64 i = 0; i < n_pages; i++)
    {
      gboolean came = got > 0 && i < (guint64) got / sizeof (guint64);
      gboolean copy = came && ps_proc_pagemap_is_private_copy (entries[i]);

      FUZZ_CHECK ((pages[i].state & PS_PAGE_STATE_MASK) == PS_PAGE_RESIDENT);
      FUZZ_CHECK (((pages[i].state & PS_PAGE_PRIVATE_COPY) != 0) == copy);
      FUZZ_CHECK (pages[i].changes == 0 && pages[i].last_change_ms == 0 && pages[i].content == 0);
      expected += copy;
    }
  FUZZ_CHECK (marked == expected);
  return 0;
}
