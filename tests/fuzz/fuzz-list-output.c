/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `pagescope --list` (ps-segments-output.c): the --output column list, and
 * the tables, raw lines and JSON made from segments whose names and
 * commands are outside input (any bytes a POSIX name or a process's comm
 * may have). The input is COLUMNS, a newline, then the name; its length
 * picks the format. Promises: an error for columns it refuses, else text
 * that is valid UTF-8 in every format, whatever bytes the name has. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ps-segments-output.h"
#include "ps-segments-private.h"

static void
clear_mapper (gpointer data)
{
  g_clear_pointer (&((PsMapper *) data)->command, g_free);
}

static GArray *
mappers_named (const char *command)
{
  GArray *mappers = g_array_new (FALSE, TRUE, sizeof (PsMapper));
  PsMapper mapper = { 4242, g_strdup (command) };

  g_array_set_clear_func (mappers, clear_mapper);
  g_array_append_val (mappers, mapper);
  return mappers;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  char *newline = strchr (text, '\n');
  const char *name = newline != NULL ? newline + 1 : "";
  g_autoptr(GPtrArray) sysv = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_sysv_segment_free);
  g_autoptr(GPtrArray) posix = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_posix_segment_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  PsListOptions options = { 0 };
  PsPosixSegment *segment = g_new0 (PsPosixSegment, 1);
  PsSysvSegment *shm;
  gboolean with_sysv, with_posix;

  if (newline != NULL)
    *newline = '\0';
  options.format = (PsListFormat) (size % 3);
  options.noheadings = (size / 3) % 2;
  options.bytes = (size / 6) % 2;
  options.columns = *text != '\0' ? text : NULL;

  segment->name = g_strconcat ("/", name, NULL);
  segment->size = size;
  segment->allocated = 4096;
  segment->mappers = mappers_named (name);
  segment->mappers_known = size % 5 != 0;
  g_ptr_array_add (posix, segment);
  shm = ps_segments_parse_sysv_line ("1347651659 163853 1600 4096 15240 15240 1 0 0 0 0 1796324644 0 1796324644 4096 0", NULL);
  FUZZ_CHECK (shm != NULL);
  g_array_unref (shm->mappers);
  shm->mappers = mappers_named (name);
  shm->command = g_strdup (name);
  g_ptr_array_add (sysv, shm);

  if (!ps_list_options_check (&options, &with_sysv, &with_posix, &error))
    {
      FUZZ_CHECK (error != NULL);
      return 0;
    }
  out = ps_segments_output (sysv, posix, &options, &error);
  FUZZ_CHECK (out != NULL && error == NULL);
  if (!g_utf8_validate (out, -1, NULL))
    fprintf (stderr, "not UTF-8:\n%s\n", out);
  FUZZ_CHECK (g_utf8_validate (out, -1, NULL));
  return 0;
}
