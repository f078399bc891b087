/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bytes the user types (write-bytes, the write dialog, text patterns):
 * ps_bytes_parse_at and ps_bytes_parse_write. Promises: a result of 1 byte
 * to 16 MiB or an error with a column inside the text, never both; what
 * parsed, printed back as escaped text or as hex, parses to the same bytes. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ps-bytes.h"

/* Round trips cost as much as the bytes: keep them to what a fuzzer's
 * small inputs make, not a 16 MiB repeat. */
#define ROUND_TRIP_MAX 4096

static void
check_parses_back (GBytes     *bytes,
                   const char *printed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) again = ps_bytes_parse (printed, &error);

  if (again == NULL)
    fprintf (stderr, "\"%s\" does not parse back: %s\n", printed, error->message);
  FUZZ_CHECK (again != NULL);
  FUZZ_CHECK (g_bytes_equal (bytes, again));
}

static void
check_result (const char *text,
              GBytes     *bytes,
              int         column,
              GError     *error)
{
  gsize len;

  FUZZ_CHECK ((bytes == NULL) != (error == NULL));
  if (bytes == NULL)
    {
      FUZZ_CHECK (error->message[0] != '\0');
      FUZZ_CHECK (column >= 0);
      /* a column names a character of the text, or the place just after it */
      FUZZ_CHECK ((glong) column <= (g_utf8_validate (text, -1, NULL) ? g_utf8_strlen (text, -1) : (glong) strlen (text)) + 1);
      return;
    }
  FUZZ_CHECK (column == 0);
  len = g_bytes_get_size (bytes);
  FUZZ_CHECK (len >= 1 && len <= PS_BYTES_MAX);
  if (len <= ROUND_TRIP_MAX)
    {
      const guint8 *data = g_bytes_get_data (bytes, NULL);
      g_autofree char *escaped = ps_bytes_to_escaped (data, len, len);
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", escaped);
      g_autofree char *hex = ps_bytes_to_hex (data, len, len);

      check_parses_back (bytes, quoted);
      check_parses_back (bytes, hex);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) write_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) written = NULL;
  guint64 offset = G_MAXUINT64;
  int column = -1;

  bytes = ps_bytes_parse_at (text, &column, &error);
  check_result (text, bytes, column, error);

  if (ps_bytes_parse_write (text, &offset, &written, &write_error))
    {
      FUZZ_CHECK (write_error == NULL && written != NULL);
      FUZZ_CHECK (g_bytes_get_size (written) >= 1 && g_bytes_get_size (written) <= PS_BYTES_MAX);
    }
  else
    FUZZ_CHECK (write_error != NULL && written == NULL && offset == G_MAXUINT64);
  return 0;
}
