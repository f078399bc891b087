/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Watch specs (ps-watch.c): "NAME:TYPE@OFFSET", from --watch, scripting and
 * the watch list. Promises: a spec or an error naming the text; a spec
 * printed back parses to the same. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ps-watch.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autofree char *printed = NULL;
  g_auto(PsWatchSpec) spec = { 0 };
  g_auto(PsWatchSpec) again = { 0 };
  g_autoptr(GError) error = NULL;

  if (!ps_watch_spec_parse (text, &spec, &error))
    {
      FUZZ_CHECK (error != NULL && spec.name == NULL);
      return 0;
    }
  FUZZ_CHECK (spec.name != NULL && spec.name[0] != '\0');
  printed = ps_watch_spec_to_string (&spec);
  if (!ps_watch_spec_parse (printed, &again, &error))
    fprintf (stderr, "\"%s\" printed as \"%s\": %s\n", text, printed, error->message);
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (strcmp (again.name, spec.name) == 0);
  FUZZ_CHECK (again.offset == spec.offset);
  FUZZ_CHECK (again.format.type == spec.format.type && again.format.big_endian == spec.format.big_endian);
  return 0;
}
