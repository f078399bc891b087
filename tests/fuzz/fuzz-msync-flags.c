/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msync flags as typed (the msync action): sync | async [, invalidate].
 * Promises: flags or an error; never MS_SYNC with MS_ASYNC; the flags
 * printed back (MS_SYNC|MS_INVALIDATE) parse to themselves. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <sys/mman.h>

#include "fuzz-common.h"
#include "ps-source.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  int flags = -1, again = -1;

  if (!ps_msync_flags_parse (text, &flags, &error))
    {
      FUZZ_CHECK (error != NULL && flags == -1);
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK ((flags & ~(MS_SYNC | MS_ASYNC | MS_INVALIDATE)) == 0);
  FUZZ_CHECK (((flags & MS_SYNC) != 0) != ((flags & MS_ASYNC) != 0));
  printed = ps_msync_flags_to_string (flags);
  FUZZ_CHECK (ps_msync_flags_parse (printed, &again, NULL) && again == flags);
  return 0;
}
