/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sources as one line (app.open, recent entries, drag and drop):
 * file:, posix:, sysv:, shmid:, anon:, pid: with their options. Promises: a spec or
 * an error naming the text; a spec printed by ps_source_spec_to_string parses
 * back to the same spec, and prints the same again. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ps-source.h"

static void
check_same (const PsSourceSpec *a,
            const PsSourceSpec *b)
{
  FUZZ_CHECK (a->kind == b->kind);
  FUZZ_CHECK (g_strcmp0 (a->path, b->path) == 0);
  FUZZ_CHECK (g_strcmp0 (a->name, b->name) == 0);
  FUZZ_CHECK (a->by_shmid == b->by_shmid);
  FUZZ_CHECK (a->by_shmid ? a->shmid == b->shmid : a->key == b->key);
  FUZZ_CHECK (a->size == b->size);
  FUZZ_CHECK (a->create == b->create);
  FUZZ_CHECK (a->mode == b->mode);
  FUZZ_CHECK (a->offset == b->offset);
  FUZZ_CHECK (a->length == b->length);
  FUZZ_CHECK (a->flags == b->flags);
  FUZZ_CHECK (a->pid == b->pid);
  FUZZ_CHECK (a->address == b->address);
  /* a process view names its mapping by one or the other */
  FUZZ_CHECK (a->kind != PS_SOURCE_PROCESS || (a->path != NULL) != (a->address != 0));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_auto(PsSourceSpec) spec = { 0 };
  g_auto(PsSourceSpec) again = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *reprinted = NULL;

  if (!ps_source_spec_parse (text, &spec, &error))
    {
      FUZZ_CHECK (error != NULL);
      FUZZ_CHECK (g_str_has_prefix (error->message, "source \""));
      return 0;
    }
  FUZZ_CHECK (error == NULL);

  printed = ps_source_spec_to_string (&spec);
  FUZZ_CHECK (printed != NULL);
  if (!ps_source_spec_parse (printed, &again, &error))
    fprintf (stderr, "\"%s\" printed as \"%s\", which does not parse: %s\n", text, printed, error->message);
  FUZZ_CHECK (error == NULL);
  check_same (&spec, &again);

  reprinted = ps_source_spec_to_string (&again);
  FUZZ_CHECK (strcmp (printed, reprinted) == 0);
  return 0;
}
