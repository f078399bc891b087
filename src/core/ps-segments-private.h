/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-segments.h"

G_BEGIN_DECLS

/* The line parsers behind ps-segments.c, for its tests and fuzzers. */

/* One line of /proc/sysvipc/shm (not the header): a segment, or NULL and an
 * error naming the column. */
PsSysvSegment *ps_segments_parse_sysv_line (const char  *line,
                                            GError     **error);
/* One line of /proc/PID/maps: its offset in the object, device, inode and
 * path (pointing into line, "" for an anonymous mapping); FALSE if the line
 * is malformed or has no inode. *sysv says whether the path names a SysV
 * attach ("/SYSV%08x"). */
gboolean       ps_segments_parse_maps_line (const char  *line,
                                            guint64     *offset,
                                            guint64     *dev,
                                            guint64     *ino,
                                            const char **path,
                                            gboolean    *sysv);

G_END_DECLS
