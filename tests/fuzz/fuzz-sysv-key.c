/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SysV keys as typed (--sysv, sysv:KEY): decimal, 0x hex, negative decimal
 * as ipcs prints it, or PATH:ID for ftok. Promises: a key or an error; a
 * numeric key printed as 0x%08x (as the source spec prints it) or as
 * ipcs's signed decimal parses back to itself. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ps-parse.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autoptr(GError) error = NULL;
  key_t key = 0, again = 0;

  if (!ps_parse_sysv_key (text, &key, &error))
    {
      FUZZ_CHECK (error != NULL);
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  {
    g_autofree char *hex = g_strdup_printf ("0x%08x", (guint32) key);
    g_autofree char *signed_decimal = g_strdup_printf ("%d", (int) key);

    FUZZ_CHECK (ps_parse_sysv_key (hex, &again, NULL) && again == key);
    again = ~key;
    FUZZ_CHECK (ps_parse_sysv_key (signed_decimal, &again, NULL) && again == key);
  }
  return 0;
}
