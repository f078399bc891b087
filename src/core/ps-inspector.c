/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-inspector"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ps-bytes.h"
#include "ps-inspector.h"

#define NO_VALUE "—"

void
ps_inspect_row_clear (PsInspectRow *row)
{
  g_clear_pointer (&row->label, g_free);
  g_clear_pointer (&row->text, g_free);
}

static void
add (GArray        *rows,
     PsInspectKind  kind,
     PsValueFormat  format,
     char          *label,
     char          *text)
{
  PsInspectRow row = { kind, format, label, text };

  g_array_append_val (rows, row);
}

static char *
binary_text (guint8 b)
{
  char bits[10];

  for (int i = 0; i < 8; i++)
    bits[i + (i >= 4)] = (b & (0x80 >> i)) ? '1' : '0';
  bits[4] = ' ';
  bits[9] = '\0';
  return g_strdup (bits);
}

/* The character at the start: one ASCII byte, or a whole UTF-8 sequence. */
static char *
char_text (const guint8 *bytes,
           gsize         len)
{
  const char *end = NULL;
  gsize n;

  if (len == 0)
    return g_strdup (NO_VALUE);
  if (bytes[0] >= 0x20 && bytes[0] < 0x7f)
    return g_strdup_printf ("'%c' (U+%04X)", bytes[0], bytes[0]);
  n = MIN (len, 4);
  for (gsize k = 1; k <= n; k++)
    if (g_utf8_validate ((const char *) bytes, k, &end) && bytes[0] >= 0x80)
      {
        gunichar c = g_utf8_get_char ((const char *) bytes);

        if (g_unichar_isprint (c))
          {
            char buf[8] = { 0 };

            g_unichar_to_utf8 (c, buf);
            return g_strdup_printf ("'%s' (U+%04X, %zu bytes)", buf, c, k);
          }
        break;
      }
  {
    g_autofree char *escaped = ps_bytes_to_escaped (bytes, 1, 1);
    return g_strdup_printf ("\"%s\"", escaped);
  }
}

static char *
cstring_text (const guint8 *bytes,
              gsize         len)
{
  const guint8 *nul = memchr (bytes, 0, len);
  gsize n = nul != NULL ? (gsize) (nul - bytes) : len;
  g_autofree char *escaped = ps_bytes_to_escaped (bytes, n, 48);

  if (nul == NULL)
    /* TRANSLATORS: a C string with no NUL within the bytes read: "abc…" (no NUL within 64 bytes) */
    return g_strdup_printf (_("\"%s\"… (no NUL within %zu bytes)"), escaped, len);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "\"%s\" (%zu byte)", "\"%s\" (%zu bytes)", n), escaped, n);
}

static char *
time_text (const PsValueFormat *format,
           const guint8        *bytes)
{
  PsValueFormat i64 = { PS_VALUE_I64, format->big_endian };
  gint64 t = (gint64) ps_value_to_double (&i64, bytes);
  g_autoptr(GDateTime) date = NULL;

  /* the double is exact for every time a date can show */
  date = g_date_time_new_from_unix_utc (t);
  if (date == NULL)
    return g_strdup (_("not a date"));
  return g_date_time_format (date, "%Y-%m-%d %H:%M:%S UTC");
}

static char *
pointer_text (const PsValueFormat *format,
              const guint8        *bytes)
{
  guint64 v = 0;

  for (guint i = 0; i < 8; i++)
    v = (v << 8) | bytes[format->big_endian ? i : 7 - i];
  return g_strdup_printf ("0x%016" G_GINT64_MODIFIER "x", v);
}

static void
add_values (GArray       *rows,
            const guint8 *bytes,
            gsize         len,
            gboolean      big_endian)
{
  const char *order = big_endian ? "BE" : "LE";

  for (PsValueType t = PS_VALUE_U16; t < PS_N_VALUE_TYPES; t++)
    {
      PsValueFormat format = { t, big_endian };
      char *text = len >= ps_value_size (t) ? ps_value_to_string (&format, bytes) : g_strdup (NO_VALUE);

      add (rows, PS_INSPECT_VALUE, format, g_strdup_printf ("%s (%s)", ps_value_type_name (t), order), text);
    }
  {
    PsValueFormat format = { PS_VALUE_I64, big_endian };

    add (rows, PS_INSPECT_TIME_T, format, g_strdup_printf ("time_t (%s)", order),
         len >= 8 ? time_text (&format, bytes) : g_strdup (NO_VALUE));
    add (rows, PS_INSPECT_POINTER, format, g_strdup_printf (_("pointer (%s)"), order),
         len >= 8 ? pointer_text (&format, bytes) : g_strdup (NO_VALUE));
  }
}

GArray *
ps_inspect (const guint8 *bytes,
            gsize         len,
            gboolean      big_endian_first)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (PsInspectRow));
  PsValueFormat u8 = { PS_VALUE_U8, FALSE }, i8 = { PS_VALUE_I8, FALSE };

  g_array_set_clear_func (rows, (GDestroyNotify) ps_inspect_row_clear);
  add (rows, PS_INSPECT_BINARY, u8, g_strdup (_("binary")), len > 0 ? binary_text (bytes[0]) : g_strdup (NO_VALUE));
  add (rows, PS_INSPECT_VALUE, u8, g_strdup ("u8"), len > 0 ? ps_value_to_string (&u8, bytes) : g_strdup (NO_VALUE));
  add (rows, PS_INSPECT_VALUE, i8, g_strdup ("i8"), len > 0 ? ps_value_to_string (&i8, bytes) : g_strdup (NO_VALUE));
  add_values (rows, bytes, len, big_endian_first);
  add_values (rows, bytes, len, !big_endian_first);
  add (rows, PS_INSPECT_CHAR, u8, g_strdup (_("character")), char_text (bytes, len));
  add (rows, PS_INSPECT_CSTRING, u8, g_strdup (_("C string")), len > 0 ? cstring_text (bytes, len) : g_strdup (NO_VALUE));
  return rows;
}
