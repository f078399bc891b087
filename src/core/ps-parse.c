/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-parse"

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/ipc.h>

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ps-parse.h"

static gboolean
invalid (GError    **error,
         const char *what,
         const char *text,
         const char *reason)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "%s \"%s\": %s", what, text, reason);
  return FALSE;
}

static gboolean
parse_number (const char *text,
              const char *what,
              gboolean    suffixes,
              guint64    *out,
              GError    **error)
{
  const char *p = text;
  guint64 value;
  guint base = 10;
  char *end = NULL;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '\0')
    return invalid (error, what, text, _("empty; expected a number"));
  if (*p == '-')
    return invalid (error, what, text, _("must not be negative"));
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    {
      base = 16;
      p += 2;
      /* strtoull would skip a second 0x itself */
      if (!g_ascii_isxdigit (*p) || (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')))
        return invalid (error, what, text, _("expected hex digits after 0x"));
    }
  else if (!g_ascii_isdigit (*p))
    return invalid (error, what, text, _("expected a number"));

  errno = 0;
  value = g_ascii_strtoull (p, &end, base);
  if (errno == ERANGE)
    return invalid (error, what, text, _("too large"));

  if (*end == '.')
    return invalid (error, what, text, _("a whole number is needed, not a fraction (1536K, not 1.5M)"));
  if (suffixes && base == 10 && *end != '\0' && !g_ascii_isspace (*end))
    {
      static const char units[] = "KMGT";
      const char *u = strchr (units, g_ascii_toupper (*end));
      guint shift;

      if (u == NULL)
        return invalid (error, what, text, _("unknown suffix; use K, M, G or T"));
      shift = 10 * (guint) (u - units + 1);
      end++;
      if (*end == 'i' && end[1] == 'B')
        end += 2;
      else if (*end == 'B' || *end == 'b')
        end++;
      if (value > (G_MAXUINT64 >> shift))
        return invalid (error, what, text, _("too large"));
      value <<= shift;
    }

  while (g_ascii_isspace (*end))
    end++;
  if (*end != '\0')
    return invalid (error, what, text, _("unexpected characters after the number"));

  *out = value;
  return TRUE;
}

gboolean
ps_parse_size (const char *text,
               const char *what,
               guint64    *out,
               GError    **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  return parse_number (text, what, TRUE, out, error);
}

gboolean
ps_parse_length (const char *text,
                 const char *what,
                 guint64    *out,
                 GError    **error)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (!parse_number (text, what, TRUE, out, error))
    return FALSE;
  if (*out == 0)
    return invalid (error, what, text, _("must not be zero; to go to the end, give no length"));
  return TRUE;
}

gboolean
ps_parse_duration (const char *text,
                   const char *what,
                   gint64      unit_us,
                   gint64     *out_us,
                   GError    **error)
{
  static const struct { const char *suffix; gint64 us; } units[] = {
    { "ms", 1000 }, { "s", G_USEC_PER_SEC }, { "m", G_GINT64_CONSTANT (60000000) }, { "h", G_GINT64_CONSTANT (3600000000) },
  };
  g_autofree char *copy = NULL;
  char *end = NULL;
  double value, us = -1;

  g_return_val_if_fail (text != NULL && out_us != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  value = g_ascii_strtod (copy, &end);
  if (end == copy || !(value > 0) || value > 1e9)
    return invalid (error, what, text, _("expected a time such as 500ms, 10s, 2m or 1h"));
  while (g_ascii_isspace (*end))
    end++;
  if (*end == '\0')
    us = value * unit_us;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_str_equal (end, units[i].suffix))
      us = value * units[i].us;
  /* a year at most: beyond, a typo more likely than a plan */
  if (us < 1 || us > 366.0 * 24 * 3600 * G_USEC_PER_SEC)
    return invalid (error, what, text, _("expected a time such as 500ms, 10s, 2m or 1h (at most a year)"));
  *out_us = (gint64) us;
  return TRUE;
}

gboolean
ps_parse_offset (const char *text,
                 const char *what,
                 guint64    *out,
                 GError    **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  return parse_number (text, what, FALSE, out, error);
}

gboolean
ps_parse_sysv_key (const char *text,
                   key_t      *out,
                   GError    **error)
{
  const char *colon;
  guint64 value;

  g_return_val_if_fail (text != NULL, FALSE);

  colon = strrchr (text, ':');
  if (colon != NULL)
    {
      g_autofree char *path = g_strndup (text, colon - text);
      const char *id_text = colon + 1;
      guint64 id;
      key_t key;

      if (id_text[0] != '\0' && id_text[1] == '\0' && !g_ascii_isdigit (id_text[0]))
        id = (guchar) id_text[0];
      else if (!parse_number (id_text, "ftok id", FALSE, &id, error))
        return FALSE;
      if (id == 0 || id > 255)
        return invalid (error, "ftok id", id_text, _("must be 1..255 (ftok uses its low 8 bits, and 0 is reserved)"));
      key = ftok (path, (int) id);
      if (key == (key_t) -1)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "ftok(\"%s\", %d): %s", path, (int) id, g_strerror (errsv));
          return FALSE;
        }
      *out = key;
      return TRUE;
    }

  if (text[0] == '-')
    {
      /* ipcs prints keys as signed decimal */
      gint64 signed_value;
      char *end = NULL;

      errno = 0;
      signed_value = g_ascii_strtoll (text, &end, 10);
      if (errno != 0 || end == text + 1 || *end != '\0' || signed_value < G_MININT32)
        return invalid (error, "SysV key", text, _("expected a decimal or 0x hex number, or PATH:ID for ftok"));
      *out = (key_t) signed_value;
      return TRUE;
    }

  if (!parse_number (text, "SysV key", FALSE, &value, error))
    return FALSE;
  if (value > G_MAXUINT32)
    return invalid (error, "SysV key", text, _("does not fit in 32 bits"));
  *out = (key_t) (guint32) value;
  return TRUE;
}

gboolean
ps_parse_shmid (const char *text,
                int        *out,
                GError    **error)
{
  guint64 value;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!parse_number (text, "shmid", FALSE, &value, error))
    return FALSE;
  if (value > G_MAXINT)
    return invalid (error, "shmid", text, _("too large"));
  *out = (int) value;
  return TRUE;
}

gboolean
ps_parse_mode (const char *text,
               guint      *out,
               GError    **error)
{
  guint64 value;
  char *end = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  errno = 0;
  value = g_ascii_strtoull (text, &end, 8);
  if (end == text || *end != '\0' || errno != 0)
    return invalid (error, "mode", text, _("expected octal permission bits such as 600 or 0644"));
  if (value > 0777)
    return invalid (error, "mode", text, _("only permission bits (at most 0777) are allowed"));
  *out = (guint) value;
  return TRUE;
}

/* shm_open accepts "/a", "a" and "//a"; rejects "", "/", "/d/e", "f/", "/." and "/..";
 * 255 bytes work, 256 give ENAMETOOLONG. */
char *
ps_posix_name_normalize (const char *name,
                         GError    **error)
{
  const char *bare = name;

  g_return_val_if_fail (name != NULL, NULL);

  while (*bare == '/')
    bare++;
  if (*bare == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("shm_open(\"%s\"): Invalid argument: the name is empty"), name);
      return NULL;
    }
  if (strchr (bare, '/') != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("shm_open(\"%s\"): Invalid argument: a name may contain '/' only at its start"), name);
      return NULL;
    }
  if (strcmp (bare, ".") == 0 || strcmp (bare, "..") == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("shm_open(\"%s\"): Invalid argument: \".\" and \"..\" are not names"), name);
      return NULL;
    }
  if (strlen (bare) > NAME_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG,
                   _("shm_open(\"%s\"): File name too long: at most %d bytes"), name, NAME_MAX);
      return NULL;
    }
  return g_strconcat ("/", bare, NULL);
}

char *
ps_format_offset (guint64 offset)
{
  /* TRANSLATORS: an offset into the mapping, e.g. "0x2064 (8292)" */
  return g_strdup_printf (_("0x%" PRIx64 " (%" PRIu64 ")"), offset, offset);
}

char *
ps_format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

/* One character of text as shown, into shown (at most 6 bytes and a NUL):
 * sets *width to the characters it takes and returns where the next starts. */
static const char *
show_char (const char *p,
           const char *end,
           char        shown[8],
           gsize      *width)
{
  gunichar c = g_utf8_get_char_validated (p, end - p);
  int n;

  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      *width = g_snprintf (shown, 8, "\\x%02x", (guchar) *p);
      return p + 1;
    }
  if (c == '\\')
    n = g_snprintf (shown, 8, "\\\\");
  else if (c == '\n')
    n = g_snprintf (shown, 8, "\\n");
  else if (c == '\t')
    n = g_snprintf (shown, 8, "\\t");
  else if (c < 0x20 || c == 0x7f)
    n = g_snprintf (shown, 8, "\\x%02x", c);
  else if (c >= 0x80 && c < 0xa0)   /* C1 controls: \xHH would read as a byte */
    n = g_snprintf (shown, 8, "\\u%04x", c);
  else
    {
      n = g_unichar_to_utf8 (c, shown);
      shown[n] = '\0';
      *width = 1;
      return g_utf8_next_char (p);
    }
  *width = n;
  return g_utf8_next_char (p);
}

char *
ps_format_bytes (guint64 bytes)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " byte", "%" PRIu64 " bytes", bytes), bytes);
}

char *
ps_text_for_display (const char *text)
{
  return ps_text_for_display_bounded (text, G_MAXSIZE);
}

char *
ps_text_for_display_bounded (const char *text,
                             gsize       max_chars)
{
  const char *end, *p;
  gsize total = 0, head, tail, done = 0;
  GString *out;
  char shown[8];
  gsize width;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (max_chars >= 1, NULL);

  end = text + strlen (text);
  for (p = text; p < end; total += width)
    p = show_char (p, end, shown, &width);

  out = g_string_sized_new (MIN (total, max_chars) + 8);
  if (total <= max_chars)
    head = total, tail = 0;
  else
    head = (max_chars - 1) / 2, tail = max_chars - 1 - head;

  /* as many whole characters of the start as fit in head, "…", then as
   * many of the end as fit in tail: an escape is never cut */
  for (p = text; p < end; )
    {
      const char *next = show_char (p, end, shown, &width);

      if (done + width > head)
        break;
      g_string_append (out, shown);
      done += width;
      p = next;
    }
  if (p == end)
    return g_string_free (out, FALSE);

  g_string_append (out, "…");
  while (p < end && total - done > tail)
    {
      p = show_char (p, end, shown, &width);
      done += width;
    }
  while (p < end)
    {
      p = show_char (p, end, shown, &width);
      g_string_append (out, shown);
    }
  return g_string_free (out, FALSE);
}

char *
ps_text_shorten (const char *text,
                 gsize       max_chars)
{
  glong total;
  gsize head, tail;
  const char *head_end, *tail_start;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (max_chars >= 1, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return ps_text_for_display_bounded (text, max_chars);
  total = g_utf8_strlen (text, -1);
  if ((gsize) total <= max_chars)
    return g_strdup (text);
  head = (max_chars - 1) / 2;
  tail = max_chars - 1 - head;
  head_end = g_utf8_offset_to_pointer (text, (glong) head);
  tail_start = g_utf8_offset_to_pointer (text, total - (glong) tail);
  return g_strdup_printf ("%.*s…%s", (int) (head_end - text), text, tail_start);
}
