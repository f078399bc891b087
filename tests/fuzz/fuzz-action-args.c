/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The actions' string arguments (ps-action-args.c), as `gapplication action`
 * and the dialogs give them: msync, spawn-writers, stop-writers,
 * probe-sweep, interval. Promises: a value or an error, nothing dropped; the
 * values in range; msync and spawn arguments written back out the way the
 * dialogs write them parse to the same. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/mman.h>

#include "fuzz-common.h"
#include "ps-action-args.h"
#include "ps-scanner.h"

static void
append_range (GString          *text,
              const PsRangeArg *range)
{
  if (!range->given)
    return;
  g_string_append_printf (text, " offset=%" G_GUINT64_FORMAT, range->offset);
  if (range->length != 0)
    g_string_append_printf (text, " length=%" G_GUINT64_FORMAT, range->length);
}

static gboolean
same_range (const PsRangeArg *a,
            const PsRangeArg *b)
{
  return a->given == b->given && a->offset == b->offset && a->length == b->length;
}

static void
check_msync (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) again_text = NULL;
  g_autofree char *flags = NULL;
  PsMsyncArgs args, again;

  if (!ps_msync_args_parse (text, &args, &error))
    {
      FUZZ_CHECK (error != NULL);
      return;
    }
  FUZZ_CHECK (((args.flags & MS_SYNC) != 0) != ((args.flags & MS_ASYNC) != 0));
  flags = ps_msync_flags_to_string (args.flags);
  again_text = g_string_new (flags);
  append_range (again_text, &args.range);
  FUZZ_CHECK (ps_msync_args_parse (again_text->str, &again, NULL));
  FUZZ_CHECK (again.flags == args.flags && same_range (&again.range, &args.range));
}

static void
check_spawn (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) again_text = NULL;
  g_autofree char *pattern = NULL;
  char rate[G_ASCII_DTOSTR_BUF_SIZE];
  PsSpawnArgs args, again;

  if (!ps_spawn_args_parse (text, &args, &error))
    {
      FUZZ_CHECK (error != NULL);
      return;
    }
  FUZZ_CHECK (args.n >= 1 && args.n <= PS_WRITERS_MAX);
  FUZZ_CHECK (isfinite (args.rate) && (args.rate == 0 || args.rate >= PS_WRITER_RATE_MIN));

  /* as the writers dialog writes it */
  pattern = ps_pattern_to_string (&args.pattern);
  if (args.rate == 0)
    g_strlcpy (rate, "max", sizeof rate);
  else
    g_ascii_formatd (rate, sizeof rate, "%.17g", args.rate);
  again_text = g_string_new (NULL);
  g_string_printf (again_text, "%u %s %s", args.n, pattern, rate);
  if (args.count != 0)
    g_string_append_printf (again_text, " count=%" G_GUINT64_FORMAT, args.count);
  append_range (again_text, &args.range);
  if (!ps_spawn_args_parse (again_text->str, &again, &error))
    fprintf (stderr, "\"%s\" written back as \"%s\": %s\n", text, again_text->str, error->message);
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (again.n == args.n && again.rate == args.rate && again.count == args.count);
  FUZZ_CHECK (again.pattern.kind == args.pattern.kind && again.pattern.text_len == args.pattern.text_len);
  FUZZ_CHECK (memcmp (again.pattern.text, args.pattern.text, args.pattern.text_len) == 0);
  FUZZ_CHECK (same_range (&again.range, &args.range));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  guint64 pid = G_MAXUINT64;
  gboolean write;
  guint ms = 0;

  check_msync (text);
  check_spawn (text);
  if (ps_stop_args_parse (text, &pid, NULL))
    FUZZ_CHECK (pid <= G_MAXINT32);
  ps_sweep_args_parse (text, &write, NULL);
  if (ps_interval_parse (text, &ms, NULL))
    FUZZ_CHECK (ms >= PS_SCANNER_MIN_INTERVAL_MS && ms <= PS_SCANNER_MAX_INTERVAL_MS);
  return 0;
}
