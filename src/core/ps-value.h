/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Typed values in memory: what the data inspector shows, what a watch
 * follows, what find looks for. */
typedef enum
{
  PS_VALUE_U8,
  PS_VALUE_I8,
  PS_VALUE_U16,
  PS_VALUE_I16,
  PS_VALUE_U32,
  PS_VALUE_I32,
  PS_VALUE_U64,
  PS_VALUE_I64,
  PS_VALUE_F32,
  PS_VALUE_F64,
  PS_N_VALUE_TYPES
} PsValueType;

typedef struct
{
  PsValueType type;
  gboolean    big_endian;
} PsValueFormat;

/* "u8" … "i64", "f32", "f64", with an optional "le" or "be" (little endian
 * when none): "u32", "u32be", "f64le". */
gboolean    ps_value_format_parse     (const char          *text,
                                       PsValueFormat       *format,
                                       GError             **error);
/* "u32be", "f64" (little endian is said only when asked: long) */
char       *ps_value_format_to_string (const PsValueFormat *format,
                                       gboolean             long_form);
gsize       ps_value_size             (PsValueType          type);
const char *ps_value_type_name        (PsValueType          type);
gboolean    ps_value_is_float         (PsValueType          type);

/* The value of ps_value_size() bytes, as text: decimal, or %.9g / %.17g. */
char       *ps_value_to_string        (const PsValueFormat *format,
                                       const guint8        *bytes);
/* The value as a double (for sparklines and comparisons). */
double      ps_value_to_double        (const PsValueFormat *format,
                                       const guint8        *bytes);
/* Text to ps_value_size() bytes: integers in decimal (or 0x hex), in range
 * for the type; floats as C reads them. */
gboolean    ps_value_encode           (const PsValueFormat *format,
                                       const char          *text,
                                       guint8              *out,
                                       GError             **error);

G_END_DECLS
