/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The writers' arguments (ps-writer.c): patterns (counter, sweep, random,
 * text:MESSAGE, "MESSAGE"), rates, and the spawn-writers argument
 * COUNT PATTERN RATE. Promises: a value or an error; a pattern printed back
 * parses to itself; a rate is "max" (0) or a finite rate the writer loop can
 * keep; a count is 1 to 64. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <math.h>
#include <string.h>

#include "fuzz-common.h"
#include "ps-writer.h"

static void
check_pattern (const PsPattern *pattern)
{
  g_autofree char *printed = ps_pattern_to_string (pattern);
  PsPattern again;

  FUZZ_CHECK (pattern->kind <= PS_PATTERN_TEXT);
  if (pattern->kind == PS_PATTERN_TEXT)
    FUZZ_CHECK (pattern->text_len >= 1 && pattern->text_len < PS_PATTERN_TEXT_MAX);
  FUZZ_CHECK (ps_pattern_parse (printed, &again, NULL));
  FUZZ_CHECK (again.kind == pattern->kind);
  FUZZ_CHECK (again.text_len == pattern->text_len);
  FUZZ_CHECK (memcmp (again.text, pattern->text, pattern->text_len) == 0);
}

static void
check_rate (double rate)
{
  FUZZ_CHECK (isfinite (rate));
  FUZZ_CHECK (rate == 0 || rate >= PS_WRITER_RATE_MIN);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr(GError) error = NULL;
  PsPattern pattern;
  double rate = -1;
  guint count = 0;

  if (ps_pattern_parse (text, &pattern, &error))
    check_pattern (&pattern);
  else
    FUZZ_CHECK (error != NULL);
  g_clear_error (&error);

  if (ps_writer_parse_rate (text, &rate, &error))
    check_rate (rate);
  else
    FUZZ_CHECK (error != NULL);
  g_clear_error (&error);

  if (ps_writers_parse_spawn_arg (text, &count, &pattern, &rate, &error))
    {
      FUZZ_CHECK (count >= 1 && count <= PS_WRITERS_MAX);
      check_pattern (&pattern);
      check_rate (rate);
    }
  else
    FUZZ_CHECK (error != NULL);
  return 0;
}
