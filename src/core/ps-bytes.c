/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-bytes"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ps-bytes.h"
#include "ps-parse.h"

#define MAX_BYTES PS_BYTES_MAX

typedef struct
{
  const char  *text;   /* the whole argument: columns count from its start */
  const char  *p;
  GByteArray  *out;
  GError     **error;
  int          column; /* of the error, once there is one */
} Parser;

static int
column_of (const char *text,
           const char *at)
{
  return (int) g_utf8_strlen (text, at - text) + 1;
}

static gboolean G_GNUC_PRINTF (3, 4)
fail_at (Parser     *self,
         const char *at,
         const char *format,
         ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  self->column = column_of (self->text, at);
  g_set_error (self->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("column %d: %s"), self->column, reason);
  return FALSE;
}

static gboolean
fail_empty (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("empty: type hex bytes such as \"de ad\" or a quoted string such as \"hi\\n\""));
  return FALSE;
}

static gboolean
check_utf8 (const char  *text,
            int         *column,
            GError     **error)
{
  const char *end = NULL;

  if (g_utf8_validate (text, -1, &end))
    return TRUE;
  *column = column_of (text, end);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("column %d: the text is not valid UTF-8"), *column);
  return FALSE;
}

/* The character at `at` as the user sees it: 'g', or U+0007 when it has no glyph. */
static char *
describe_char (const char *at)
{
  gunichar c = g_utf8_get_char (at);

  if (g_unichar_isgraph (c))
    return g_strdup_printf ("'%.*s'", (int) (g_utf8_next_char (at) - at), at);
  return g_strdup_printf ("U+%04X", c);
}

static gboolean
fail_not_hex (Parser     *self,
              const char *at)
{
  g_autofree char *what = describe_char (at);

  return fail_at (self, at, _("%s is not a hex digit"), what);
}

static gboolean
is_separator (char c)
{
  return g_ascii_isspace (c) || c == ',' || c == ':' || c == '-';
}

/* Where a hex run may end without a separator: "de\"hi\"", "0a\\x0d", "00*4". */
static gboolean
ends_item (char c)
{
  return c == '\0' || is_separator (c) || c == '"' || c == '\'' || c == '\\' || c == '*';
}

static void
append_byte (Parser *self,
             guint8  byte)
{
  g_byte_array_append (self->out, &byte, 1);
}

/* self->p is at a backslash. C escapes; \x and octal take at most 2 and 3 digits. */
static gboolean
parse_escape (Parser     *self,
              gboolean    in_string,
              const char *open)
{
  const char *start = self->p;
  const char *q = start + 1;
  guint value = 0;

  switch (*q)
    {
    case 'n': value = '\n'; break;
    case 't': value = '\t'; break;
    case 'r': value = '\r'; break;
    case 'a': value = '\a'; break;
    case 'b': value = '\b'; break;
    case 'f': value = '\f'; break;
    case 'v': value = '\v'; break;
    case '\\': case '"': case '\'':
      value = (guchar) *q;
      break;

    case 'x':
      if (!g_ascii_isxdigit (q[1]))
        return fail_at (self, start, _("\"\\x\" needs one or two hex digits after it"));
      value = g_ascii_xdigit_value (*++q);
      if (g_ascii_isxdigit (q[1]))
        value = value * 16 + g_ascii_xdigit_value (*++q);
      break;

    case '0': case '1': case '2': case '3':
    case '4': case '5': case '6': case '7':
      value = *q - '0';
      for (int i = 1; i < 3 && q[1] >= '0' && q[1] <= '7'; i++)
        value = value * 8 + (*++q - '0');
      if (value > 0377)
        return fail_at (self, start, _("\"%.*s\" is more than \\377, the largest byte"),
                        (int) (q + 1 - start), start);
      break;

    case '\0':
      if (in_string)
        return fail_at (self, open, _("unterminated string (opened at column %d)"),
                        column_of (self->text, open));
      return fail_at (self, start, _("'\\' at the end needs an escape after it, such as \\xff"));

    default:
      return fail_at (self, start, _("\"\\%.*s\" is not a known escape"),
                      (int) (g_utf8_next_char (q) - q), q);
    }

  append_byte (self, value);
  self->p = q + 1;
  return TRUE;
}

/* self->p is at the opening quote, " or '. Text is copied as its UTF-8 bytes. */
static gboolean
parse_string (Parser *self)
{
  const char *open = self->p;
  const char *run;

  for (self->p++; *self->p != *open; )
    {
      if (*self->p == '\0')
        return fail_at (self, open, _("unterminated string (opened at column %d)"),
                        column_of (self->text, open));
      if (*self->p == '\\')
        {
          if (!parse_escape (self, TRUE, open))
            return FALSE;
          continue;
        }
      for (run = self->p; *self->p != '\0' && *self->p != *open && *self->p != '\\'; self->p++)
        ;
      g_byte_array_append (self->out, (const guint8 *) run, self->p - run);
    }
  self->p++;
  return TRUE;
}

/* self->p is at the first digit; token is where the item began (before any 0x).
 * A run is read two digits per byte, except "0xA" / "0xAB", which is one byte. */
static gboolean
parse_hex_run (Parser     *self,
               const char *token)
{
  const char *run = self->p;
  gsize n;

  while (g_ascii_isxdigit (*self->p))
    self->p++;
  if (!ends_item (*self->p))
    return fail_not_hex (self, self->p);

  n = self->p - run;
  if (token != run && n == 0)
    return fail_at (self, token, _("\"%.*s\" needs hex digits after it, e.g. 0x0a"),
                    (int) (run - token), token);
  if (token != run && n <= 2)
    {
      append_byte (self, n == 1 ? g_ascii_xdigit_value (run[0])
                                : g_ascii_xdigit_value (run[0]) * 16 + g_ascii_xdigit_value (run[1]));
      return TRUE;
    }
  /* a long run is quoted by its start: the message must fit a dialog */
  if (n % 2 != 0 && self->p - token <= 16)
    return fail_at (self, token, _("\"%.*s\" has an odd number of hex digits; write each byte as two digits, e.g. 0a"),
                    (int) (self->p - token), token);
  if (n % 2 != 0)
    return fail_at (self, token, _("\"%.*s…\" has an odd number of hex digits (%zu); write each byte as two digits, e.g. 0a"),
                    12, token, n);

  for (const char *d = run; d < self->p; d += 2)
    append_byte (self, g_ascii_xdigit_value (d[0]) * 16 + g_ascii_xdigit_value (d[1]));
  return TRUE;
}

/* "16", "0x10". Returns FALSE if it is not a number at all; a number too large
 * for 64 bits reads as G_MAXUINT64, which the size limit then refuses. */
static gboolean
parse_count (const char *start,
             gsize       len,
             guint64    *out)
{
  g_autofree char *text = g_strndup (start, len);
  const char *digits = text;
  guint base = 10;
  g_autoptr(GError) error = NULL;

  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    {
      digits += 2;
      base = 16;
    }
  if (*digits == '\0')
    return FALSE;
  for (const char *d = digits; *d != '\0'; d++)
    if (base == 16 ? !g_ascii_isxdigit (*d) : !g_ascii_isdigit (*d))
      return FALSE;

  if (!g_ascii_string_to_unsigned (digits, base, 0, G_MAXUINT64, out, &error))
    *out = G_MAXUINT64;
  return TRUE;
}

/* self->p is at '*': "DATA * N" repeats everything before it N times; nothing may follow. */
static gboolean
parse_repeat (Parser *self)
{
  const char *star = self->p;
  const char *count;
  gsize len = self->out->len;
  guint64 n;

  if (len == 0)
    return fail_at (self, star, _("nothing to repeat before '*'"));

  for (self->p++; g_ascii_isspace (*self->p); self->p++)
    ;
  if (*self->p == '\0')
    return fail_at (self, star, _("'*' needs a repeat count after it, e.g. * 16"));

  for (count = self->p; *self->p != '\0' && !g_ascii_isspace (*self->p); self->p++)
    ;
  if (!parse_count (count, self->p - count, &n))
    return fail_at (self, count, _("\"%.*s\" is not a repeat count; use a decimal or 0x hex number"),
                    (int) (self->p - count), count);
  if (n == 0)
    return fail_at (self, count, _("the repeat count must be at least 1"));
  if (n > MAX_BYTES / len)
    return fail_at (self, count, _("%zu bytes repeated %.*s times is more than 16 MiB, the most one write may carry"),
                    (size_t) len, (int) (self->p - count), count);

  for (; g_ascii_isspace (*self->p); self->p++)
    ;
  if (*self->p != '\0')
    {
      g_autofree char *what = describe_char (self->p);
      return fail_at (self, self->p, _("%s after the repeat count; the repeat must come last"), what);
    }

  g_byte_array_set_size (self->out, len * n);
  for (gsize filled = len; filled < self->out->len; filled *= 2)
    memcpy (self->out->data + filled, self->out->data, MIN (filled, self->out->len - filled));
  return TRUE;
}

static gboolean
parse_item (Parser *self)
{
  char c = *self->p;

  if (c == '"' || c == '\'')
    return parse_string (self);
  if (c == '\\')
    return parse_escape (self, FALSE, NULL);
  if (c == '*')
    return parse_repeat (self);
  if (c == '0' && (self->p[1] == 'x' || self->p[1] == 'X'))
    {
      const char *token = self->p;

      self->p += 2;
      return parse_hex_run (self, token);
    }
  if (g_ascii_isxdigit (c))
    return parse_hex_run (self, self->p);
  return fail_not_hex (self, self->p);
}

/* Parses DATA from start to the end of text; error columns count from text. */
static GBytes *
parse_data (const char  *text,
            const char  *start,
            int         *column,
            GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  Parser self = { text, start, out, error, 0 };

  while (*self.p != '\0')
    {
      if (is_separator (*self.p))
        self.p++;
      else if (!parse_item (&self))
        {
          *column = self.column;
          return NULL;
        }
    }

  if (out->len == 0)
    {
      fail_empty (error);
      return NULL;
    }
  if (out->len > MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%u bytes is more than 16 MiB, the most one write may carry"), out->len);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
ps_bytes_parse (const char  *text,
                GError     **error)
{
  return ps_bytes_parse_at (text, NULL, error);
}

GBytes *
ps_bytes_parse_at (const char  *text,
                   int         *column,
                   GError     **error)
{
  int at = 0;
  GBytes *bytes;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = check_utf8 (text, &at, error) ? parse_data (text, text, &at, error) : NULL;
  if (column != NULL)
    *column = bytes != NULL ? 0 : at;
  return bytes;
}

GBytes *
ps_bytes_fill (GBytes *pattern,
               gsize   length)
{
  gsize plen = 0;
  const guint8 *pdata;
  guint8 *buf;

  g_return_val_if_fail (pattern != NULL, NULL);
  pdata = g_bytes_get_data (pattern, &plen);
  g_return_val_if_fail (plen > 0 || length == 0, NULL);

  buf = g_malloc (MAX (length, 1));
  if (length > 0)
    memcpy (buf, pdata, MIN (plen, length));
  for (gsize filled = MIN (plen, length); filled < length; filled *= 2)
    memcpy (buf + filled, buf, MIN (filled, length - filled));
  return g_bytes_new_take (buf, length);
}

gboolean
ps_bytes_parse_write (const char  *text,
                      guint64     *offset,
                      GBytes     **data,
                      GError     **error)
{
  g_autofree char *offset_text = NULL;
  const char *start;
  const char *p = text;
  guint64 value;
  GBytes *bytes;
  int column;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (offset != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (!check_utf8 (text, &column, error))
    return FALSE;

  for (; g_ascii_isspace (*p); p++)
    ;
  if (*p == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("empty: type an offset and the bytes to write, e.g. 0x10 de ad be ef or 0 \"HELLO\""));
      return FALSE;
    }

  for (start = p; *p != '\0' && !g_ascii_isspace (*p); p++)
    ;
  offset_text = g_strndup (start, p - start);
  if (!ps_parse_offset (offset_text, "offset", &value, error))
    {
      g_prefix_error (error, _("column %d: "), column_of (text, start));
      return FALSE;
    }

  for (; g_ascii_isspace (*p); p++)
    ;
  if (*p == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("column %d: the bytes to write are missing after the offset, e.g. %s de ad"),
                   column_of (text, p), offset_text);
      return FALSE;
    }

  bytes = parse_data (text, p, &column, error);
  if (bytes == NULL)
    return FALSE;
  *offset = value;
  *data = bytes;
  return TRUE;
}

static const char ellipsis[] = "…";

char *
ps_bytes_to_hex (const guint8 *data,
                 gsize         len,
                 gsize         max)
{
  static const char digits[] = "0123456789abcdef";
  gsize shown = MIN (len, max);
  GString *hex = g_string_sized_new (shown * 3 + sizeof ellipsis + 1);

  for (gsize i = 0; i < shown; i++)
    {
      if (i > 0)
        g_string_append_c (hex, ' ');
      g_string_append_c (hex, digits[data[i] >> 4]);
      g_string_append_c (hex, digits[data[i] & 0xf]);
    }
  if (len > shown)
    g_string_append (hex, shown > 0 ? " …" : ellipsis);
  return g_string_free (hex, FALSE);
}

/* Escapes \ and " too, so that the text between double quotes parses back. */
char *
ps_bytes_to_escaped (const guint8 *data,
                     gsize         len,
                     gsize         max)
{
  gsize shown = MIN (len, max);
  GString *text = g_string_sized_new (shown + sizeof ellipsis);

  for (gsize i = 0; i < shown; i++)
    {
      guint8 c = data[i];

      switch (c)
        {
        case '\n': g_string_append (text, "\\n"); break;
        case '\t': g_string_append (text, "\\t"); break;
        case '\r': g_string_append (text, "\\r"); break;
        case '\\': g_string_append (text, "\\\\"); break;
        case '"': g_string_append (text, "\\\""); break;
        default:
          if (c >= 0x20 && c < 0x7f)
            g_string_append_c (text, c);
          else
            g_string_append_printf (text, "\\x%02x", c);
        }
    }
  if (len > shown)
    g_string_append (text, ellipsis);
  return g_string_free (text, FALSE);
}
