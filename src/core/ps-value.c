/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-value"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "ps-value.h"

static const struct
{
  const char *name;
  guint       size;
  gboolean    is_signed;
  gboolean    is_float;
} types[PS_N_VALUE_TYPES] = {
  [PS_VALUE_U8]  = { "u8",  1, FALSE, FALSE },
  [PS_VALUE_I8]  = { "i8",  1, TRUE,  FALSE },
  [PS_VALUE_U16] = { "u16", 2, FALSE, FALSE },
  [PS_VALUE_I16] = { "i16", 2, TRUE,  FALSE },
  [PS_VALUE_U32] = { "u32", 4, FALSE, FALSE },
  [PS_VALUE_I32] = { "i32", 4, TRUE,  FALSE },
  [PS_VALUE_U64] = { "u64", 8, FALSE, FALSE },
  [PS_VALUE_I64] = { "i64", 8, TRUE,  FALSE },
  [PS_VALUE_F32] = { "f32", 4, TRUE,  TRUE },
  [PS_VALUE_F64] = { "f64", 8, TRUE,  TRUE },
};

gsize
ps_value_size (PsValueType type)
{
  g_return_val_if_fail (type < PS_N_VALUE_TYPES, 0);
  return types[type].size;
}

const char *
ps_value_type_name (PsValueType type)
{
  g_return_val_if_fail (type < PS_N_VALUE_TYPES, NULL);
  return types[type].name;
}

gboolean
ps_value_is_float (PsValueType type)
{
  g_return_val_if_fail (type < PS_N_VALUE_TYPES, FALSE);
  return types[type].is_float;
}

gboolean
ps_value_format_parse (const char    *text,
                       PsValueFormat *format,
                       GError       **error)
{
  g_return_val_if_fail (text != NULL && format != NULL, FALSE);

  for (guint t = 0; t < PS_N_VALUE_TYPES; t++)
    {
      gsize n = strlen (types[t].name);
      const char *rest = text + n;

      if (g_ascii_strncasecmp (text, types[t].name, n) != 0)
        continue;
      /* a byte has no order: "u8be" is refused as a mistake */
      if (*rest == '\0' || (types[t].size > 1 && (g_ascii_strcasecmp (rest, "le") == 0 ||
                                                   g_ascii_strcasecmp (rest, "be") == 0)))
        {
          format->type = t;
          format->big_endian = g_ascii_strcasecmp (rest, "be") == 0;
          return TRUE;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("type \"%s\": use u8, i8, u16, i16, u32, i32, u64, i64, f32 or f64, "
                 "with le or be after it for the byte order (e.g. u32be)"), text);
  return FALSE;
}

char *
ps_value_format_to_string (const PsValueFormat *format,
                           gboolean             long_form)
{
  g_return_val_if_fail (format != NULL && format->type < PS_N_VALUE_TYPES, NULL);

  if (types[format->type].size == 1)
    return g_strdup (types[format->type].name);
  if (format->big_endian)
    return g_strconcat (types[format->type].name, "be", NULL);
  return g_strconcat (types[format->type].name, long_form ? "le" : "", NULL);
}

/* The bytes as an unsigned integer of their size, in host order. */
static guint64
load (const PsValueFormat *format,
      const guint8        *bytes)
{
  guint size = types[format->type].size;
  guint64 v = 0;

  for (guint i = 0; i < size; i++)
    {
      guint k = format->big_endian ? i : size - 1 - i;
      v = (v << 8) | bytes[k];
    }
  return v;
}

static void
store (const PsValueFormat *format,
       guint64              v,
       guint8              *out)
{
  guint size = types[format->type].size;

  for (guint i = 0; i < size; i++)
    {
      guint k = format->big_endian ? size - 1 - i : i;
      out[k] = (guint8) (v & 0xff);
      v >>= 8;
    }
}

static gint64
sign_extend (guint64 v,
             guint   size)
{
  guint shift = 64 - 8 * size;

  return (gint64) (v << shift) >> shift;
}

double
ps_value_to_double (const PsValueFormat *format,
                    const guint8        *bytes)
{
  guint64 v;

  g_return_val_if_fail (format != NULL && format->type < PS_N_VALUE_TYPES, 0);

  v = load (format, bytes);
  switch (format->type)
    {
    case PS_VALUE_F32:
      {
        guint32 b = (guint32) v;
        float f;

        memcpy (&f, &b, sizeof f);
        return f;
      }
    case PS_VALUE_F64:
      {
        double d;

        memcpy (&d, &v, sizeof d);
        return d;
      }
    default:
      if (types[format->type].is_signed)
        return (double) sign_extend (v, types[format->type].size);
      return (double) v;
    }
}

char *
ps_value_to_string (const PsValueFormat *format,
                    const guint8        *bytes)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  guint64 v;

  g_return_val_if_fail (format != NULL && format->type < PS_N_VALUE_TYPES, NULL);

  v = load (format, bytes);
  if (format->type == PS_VALUE_F32 || format->type == PS_VALUE_F64)
    {
      double d = ps_value_to_double (format, bytes);

      /* the shortest that reads back as the same float */
      return g_strdup (g_ascii_formatd (buf, sizeof buf, format->type == PS_VALUE_F32 ? "%.9g" : "%.17g", d));
    }
  if (types[format->type].is_signed)
    return g_strdup_printf ("%" PRId64, sign_extend (v, types[format->type].size));
  return g_strdup_printf ("%" PRIu64, v);
}

gboolean
ps_value_encode (const PsValueFormat *format,
                 const char          *text,
                 guint8              *out,
                 GError             **error)
{
  g_autofree char *word = NULL;
  guint size;

  g_return_val_if_fail (format != NULL && format->type < PS_N_VALUE_TYPES, FALSE);
  g_return_val_if_fail (text != NULL && out != NULL, FALSE);

  word = g_strstrip (g_strdup (text));
  size = types[format->type].size;
  if (types[format->type].is_float)
    {
      char *end = NULL;
      double d = g_ascii_strtod (word, &end);

      if (*word == '\0' || end == NULL || *end != '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s \"%s\": not a number"), types[format->type].name, text);
          return FALSE;
        }
      if (format->type == PS_VALUE_F32)
        {
          float f = (float) d;
          guint32 b;

          if (isfinite (d) && !isfinite (f))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("%s \"%s\": too large for a 32-bit float"), types[format->type].name, text);
              return FALSE;
            }
          memcpy (&b, &f, sizeof b);
          store (format, b, out);
        }
      else
        {
          guint64 b;

          memcpy (&b, &d, sizeof b);
          store (format, b, out);
        }
      return TRUE;
    }

  if (types[format->type].is_signed)
    {
      gint64 max = size == 8 ? G_MAXINT64 : ((gint64) 1 << (8 * size - 1)) - 1;
      gint64 v;
      g_autoptr(GError) local_error = NULL;

      if (!g_ascii_string_to_signed (word, 10, -max - 1, max, &v, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s \"%s\": a whole number from %" PRId64 " to %" PRId64 " is needed"),
                       types[format->type].name, text, -max - 1, max);
          return FALSE;
        }
      store (format, (guint64) v, out);
    }
  else
    {
      guint64 max = size == 8 ? G_MAXUINT64 : ((guint64) 1 << (8 * size)) - 1;
      gboolean hex = g_str_has_prefix (word, "0x") || g_str_has_prefix (word, "0X");
      guint64 v;

      if (!g_ascii_string_to_unsigned (hex ? word + 2 : word, hex ? 16 : 10, 0, max, &v, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s \"%s\": a whole number from 0 to %" PRIu64 " is needed"),
                       types[format->type].name, text, max);
          return FALSE;
        }
      store (format, v, out);
    }
  return TRUE;
}
