/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A line of /proc/sysvipc/shm (ps-segments.c): 14 to 16 columns of numbers.
 * Promises: a segment or an error naming the line; permission bits only
 * in perms. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include "fuzz-common.h"
#include "ps-segments-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSysvSegment) segment = ps_segments_parse_sysv_line (text, &error);

  FUZZ_CHECK ((segment == NULL) != (error == NULL));
  if (segment == NULL)
    {
      FUZZ_CHECK (g_str_has_prefix (error->message, "\"/proc/sysvipc/shm\" line "));
      return 0;
    }
  FUZZ_CHECK (segment->perms <= 0777);
  FUZZ_CHECK (segment->mappers != NULL && segment->mappers->len == 0);
  FUZZ_CHECK (ps_sysv_segment_status (segment) != NULL);
  return 0;
}
