/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A line of /proc/PID/maps (ps-segments.c): "start-end perms offset
 * major:minor inode path". Promises: offset, device, inode (never 0) and a
 * path inside the line, or FALSE; never a read past the line. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ps-segments-private.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  const char *path = NULL;
  guint64 offset = 0, dev = 0, ino = 0;
  gboolean sysv = FALSE;

  if (!ps_segments_parse_maps_line (text, &offset, &dev, &ino, &path, &sysv))
    return 0;
  FUZZ_CHECK (ino != 0);
  FUZZ_CHECK (path >= text && path <= text + strlen (text));
  FUZZ_CHECK (!sysv || g_str_has_prefix (path, "/SYSV"));
  return 0;
}
