/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Typed values (ps-value.c), as the data inspector, watches and find take
 * them: "TYPE VALUE", e.g. "u32be 4242", "f64 1.5". Promises: a format or an
 * error; the format printed (short and long) parses to itself; a value
 * encoded, printed and encoded again gives the same bytes (a NaN stays a
 * NaN); any bytes print as a value. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <math.h>
#include <string.h>

#include "fuzz-common.h"
#include "ps-value.h"

static void
check_format_round_trip (const PsValueFormat *format)
{
  for (int long_form = 0; long_form < 2; long_form++)
    {
      g_autofree char *printed = ps_value_format_to_string (format, long_form);
      PsValueFormat again;

      FUZZ_CHECK (ps_value_format_parse (printed, &again, NULL));
      FUZZ_CHECK (again.type == format->type && again.big_endian == format->big_endian);
    }
}

static void
check_value_round_trip (const PsValueFormat *format,
                        const guint8        *bytes)
{
  g_autofree char *printed = ps_value_to_string (format, bytes);
  guint8 again[8] = { 0 };
  gsize size = ps_value_size (format->type);

  FUZZ_CHECK (printed != NULL && g_utf8_validate (printed, -1, NULL));
  if (!ps_value_encode (format, printed, again, NULL))
    {
      fprintf (stderr, "%s printed as \"%s\", which does not encode\n",
               ps_value_type_name (format->type), printed);
      FUZZ_CHECK (FALSE);
    }
  if (ps_value_is_float (format->type) && isnan (ps_value_to_double (format, bytes)))
    FUZZ_CHECK (isnan (ps_value_to_double (format, again)));
  else
    FUZZ_CHECK (memcmp (again, bytes, size) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  char *space = strchr (text, ' ');
  const char *value = space != NULL ? space + 1 : "";
  g_autoptr(GError) error = NULL;
  PsValueFormat format;
  guint8 bytes[8] = { 0 };

  if (space != NULL)
    *space = '\0';
  if (!ps_value_format_parse (text, &format, &error))
    {
      FUZZ_CHECK (error != NULL);
      return 0;
    }
  FUZZ_CHECK (format.type < PS_N_VALUE_TYPES);
  FUZZ_CHECK (ps_value_size (format.type) >= 1 && ps_value_size (format.type) <= 8);
  check_format_round_trip (&format);

  if (ps_value_encode (&format, value, bytes, &error))
    check_value_round_trip (&format, bytes);
  else
    FUZZ_CHECK (error != NULL);

  /* the raw bytes of the input, whatever they hold, as a value */
  memset (bytes, 0, sizeof bytes);
  memcpy (bytes, data, MIN (size, sizeof bytes));
  check_value_round_trip (&format, bytes);
  return 0;
}
