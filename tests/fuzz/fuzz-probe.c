/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The probe action's argument (ps-probe.c): "OFFSET [read|write]".
 * Promises: an offset and a mode or an error; printed back as
 * "0xOFFSET read|write" it parses to the same; what a probe there must
 * give, for any offset, is one of the outcomes. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include "fuzz-common.h"
#include "ps-probe.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autofree char *printed = NULL;
  g_autoptr(GError) error = NULL;
  guint64 offset = 0, again = 0;
  gboolean write = FALSE, again_write = FALSE;
  PsGeometry geometry;

  if (!ps_probe_parse_arg (text, &offset, &write, &error))
    {
      FUZZ_CHECK (error != NULL);
      return 0;
    }
  FUZZ_CHECK (error == NULL);
  printed = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x %s", offset, write ? "write" : "read");
  FUZZ_CHECK (ps_probe_parse_arg (printed, &again, &again_write, NULL));
  FUZZ_CHECK (again == offset && again_write == write);

  /* a file of 100 bytes mapped two pages long, and one that ends where the
   * offset says, mapped to the end of the address space */
  ps_geometry_init (&geometry, 100, 0, 2 * 4096, 4096);
  FUZZ_CHECK (ps_probe_expected (&geometry, offset) <= PS_PROBE_OTHER);
  ps_geometry_init (&geometry, offset, 0, G_MAXUINT64 - 4095, 4096);
  FUZZ_CHECK (ps_probe_expected (&geometry, offset) <= PS_PROBE_OTHER);
  return 0;
}
