/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "ps-segments.h"

G_BEGIN_DECLS

#define PS_TYPE_SEGMENT_ROW (ps_segment_row_get_type ())
G_DECLARE_FINAL_TYPE (PsSegmentRow, ps_segment_row, PS, SEGMENT_ROW, GObject)

/* A row of a segment table: one SysV or POSIX segment, which the row takes,
 * and its owner's name as shown. */
PsSegmentRow         *ps_segment_row_new_sysv   (PsSysvSegment  *segment,
                                                 const char     *owner);
PsSegmentRow         *ps_segment_row_new_posix  (PsPosixSegment *segment,
                                                 const char     *owner);
/* The row's identity across refreshes: the shmid, or the name with its '/'. */
const char           *ps_segment_row_get_id     (PsSegmentRow   *self);
const char           *ps_segment_row_get_owner  (PsSegmentRow   *self);
/* One of these two is NULL. */
const PsSysvSegment  *ps_segment_row_get_sysv   (PsSegmentRow   *self);
const PsPosixSegment *ps_segment_row_get_posix  (PsSegmentRow   *self);
/* Who maps it ("4242 writer, 4243 writer", "unknown" when /proc cannot
 * tell), from the segment's mappers as ps_segments_find_mappers left them. */
const char           *ps_segment_row_get_mapped_by (PsSegmentRow *self);
/* The display server's own segment (ps_mappers_sysv_is_display). */
gboolean              ps_segment_row_is_display (PsSegmentRow   *self);
/* Whether two rows would show the same. */
gboolean              ps_segment_row_same       (PsSegmentRow   *a,
                                                 PsSegmentRow   *b);

G_END_DECLS
