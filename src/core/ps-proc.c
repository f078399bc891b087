/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-proc"
#include "config.h"

#include <errno.h>
#include <string.h>

#include "ps-proc.h"

/* "7f3a2c000000-7f3a2c400000 rw-s ...": hex, '-', hex, ' '. */
static gboolean
is_smaps_header (const char *line,
                 const char *end,
                 guint64    *start)
{
  const char *p = line;
  char *after = NULL;

  if (p == end || !g_ascii_isxdigit (*p))
    return FALSE;
  errno = 0;
  *start = g_ascii_strtoull (p, &after, 16);
  if (errno != 0 || after >= end || *after != '-')
    return FALSE;
  p = after + 1;
  if (p == end || !g_ascii_isxdigit (*p))
    return FALSE;
  while (p < end && g_ascii_isxdigit (*p))
    p++;
  return p < end && *p == ' ';
}

/* "Shared_Dirty:     12 kB" -> 12288; FALSE if line is not field name. */
static gboolean
smaps_field_bytes (const char *line,
                   const char *end,
                   const char *name,
                   gint64     *bytes)
{
  gsize name_len = strlen (name);
  const char *p = line + name_len;
  char *after = NULL;
  guint64 kb;

  if ((gsize) (end - line) <= name_len || strncmp (line, name, name_len) != 0 || *p != ':')
    return FALSE;
  for (p++; p < end && *p == ' '; p++)
    ;
  if (p == end || !g_ascii_isdigit (*p))
    return FALSE;
  errno = 0;
  kb = g_ascii_strtoull (p, &after, 10);
  if (errno != 0 || after > end || kb > (guint64) G_MAXINT64 / 1024)
    return FALSE;
  if ((gsize) (end - after) < 3 || strncmp (after, " kB", 3) != 0)
    return FALSE;
  *bytes = (gint64) (kb * 1024);
  return TRUE;
}

gboolean
ps_proc_parse_smaps_dirty (const char *smaps,
                           guint64     start,
                           gint64     *shared_dirty,
                           gint64     *private_dirty)
{
  gboolean inside = FALSE;

  g_return_val_if_fail (smaps != NULL, FALSE);

  *shared_dirty = *private_dirty = -1;
  for (const char *line = smaps; *line != '\0'; )
    {
      const char *end = strchrnul (line, '\n');
      guint64 header_start;

      if (is_smaps_header (line, end, &header_start))
        {
          if (inside)
            break;   /* the next mapping */
          inside = header_start == start;
        }
      else if (inside && !smaps_field_bytes (line, end, "Shared_Dirty", shared_dirty))
        smaps_field_bytes (line, end, "Private_Dirty", private_dirty);
      line = *end == '\n' ? end + 1 : end;
    }
  if (*shared_dirty < 0 || *private_dirty < 0)
    {
      *shared_dirty = *private_dirty = -1;
      return FALSE;
    }
  return TRUE;
}

guint64
ps_proc_pagemap_mark_copies (const guint64 *entries,
                             gssize         got,
                             PsPageInfo    *pages,
                             guint64        n_pages)
{
  guint64 n = got > 0 ? MIN ((guint64) got / sizeof (guint64), n_pages) : 0;
  guint64 marked = 0;

  for (guint64 i = 0; i < n; i++)
    if (ps_proc_pagemap_is_private_copy (entries[i]))
      {
        pages[i].state |= PS_PAGE_PRIVATE_COPY;
        marked++;
      }
  return marked;
}
