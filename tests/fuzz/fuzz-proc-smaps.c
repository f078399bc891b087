/* SPDX-License-Identifier: GPL-3.0-or-later */
/* /proc/PID/smaps (ps-proc.c): Shared_Dirty and Private_Dirty of the
 * mapping that starts at the address the text's first line names (so the
 * fuzzer finds matching headers on its own). Promises: both values, in whole
 * KiB, or both -1; never a read past the text. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include "fuzz-common.h"
#include "ps-proc.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  guint64 start = g_ascii_strtoull (text, NULL, 16);
  gint64 shared = 0, private = 0;

  if (ps_proc_parse_smaps_dirty (text, start, &shared, &private))
    {
      FUZZ_CHECK (shared >= 0 && shared % 1024 == 0);
      FUZZ_CHECK (private >= 0 && private % 1024 == 0);
    }
  else
    FUZZ_CHECK (shared == -1 && private == -1);
  return 0;
}
