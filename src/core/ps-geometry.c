/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the pages of a mapping lie relative to the object's end: pure
 * arithmetic over sizes, no kernel call. */
#define G_LOG_DOMAIN "pagescope-geometry"

#include "config.h"

#include <string.h>

#include "ps-source-private.h"

void
ps_geometry_init (PsGeometry *geometry,
                  guint64     object_size,
                  guint64     offset,
                  guint64     length,
                  guint64     page)
{
  geometry->object_size = object_size;
  geometry->offset = offset;
  geometry->length = length;
  geometry->page_size = page;
  geometry->n_pages = round_up (length, page) / page;
  /* the mapping is whole pages: a length that stops short of EOF inside a
   * page still maps the file's bytes to the end of that page */
  geometry->data_length = object_size > offset ? MIN (geometry->n_pages * page, object_size - offset) : 0;
  /* pages the kernel backs: EOF rounded up to a page decides, not the file size */
  geometry->n_inside = round_up (geometry->data_length, page) / page;
}

PsZone
ps_geometry_zone (const PsGeometry *geometry,
                  guint64           page)
{
  if (page < geometry->n_inside)
    return PS_ZONE_INSIDE;
  if (page < geometry->n_pages)
    return PS_ZONE_PAST_EOF;
  return PS_ZONE_PAST_MAPPING;
}

PsZone
ps_geometry_zone_at (const PsGeometry *geometry,
                     guint64           mapping_offset)
{
  return ps_geometry_zone (geometry, mapping_offset / geometry->page_size);
}

gboolean
ps_geometry_equal (const PsGeometry *a,
                   const PsGeometry *b)
{
  return memcmp (a, b, sizeof *a) == 0;
}
