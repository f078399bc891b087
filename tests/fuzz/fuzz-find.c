/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Find patterns (ps-find.c), from the find bar, --find and scripting:
 * bytes, hex:, text:, itext:, TYPE:VALUE. Promises: a pattern of 1 byte to
 * 4 KiB or an error; its description is printable UTF-8; the pattern's bytes
 * printed as hex: parse to the same bytes. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ps-bytes.h"
#include "ps-find.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr(PsFindPattern) pattern = NULL;
  g_autoptr(PsFindPattern) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *hex_spec = NULL;
  const guint8 *bytes, *again_bytes;
  gsize len = 0, again_len = 0;

  pattern = ps_find_pattern_parse (text, &error);
  if (pattern == NULL)
    {
      FUZZ_CHECK (error != NULL);
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  bytes = ps_find_pattern_get_bytes (pattern, &len);
  FUZZ_CHECK (len >= 1 && len <= 4096);
  described = ps_find_pattern_describe (pattern);
  FUZZ_CHECK (described != NULL && g_utf8_validate (described, -1, NULL));

  hex = ps_bytes_to_hex (bytes, len, len);
  hex_spec = g_strconcat ("hex:", hex, NULL);
  again = ps_find_pattern_parse (hex_spec, NULL);
  FUZZ_CHECK (again != NULL);
  again_bytes = ps_find_pattern_get_bytes (again, &again_len);
  FUZZ_CHECK (again_len == len && memcmp (again_bytes, bytes, len) == 0);
  return 0;
}
