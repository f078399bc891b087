/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sizes, lengths, durations, offsets, shmids, modes, POSIX names and text for display
 * (ps-parse.c): each input goes through all of them. Promises: a value or
 * an error, never both; a size or offset printed back parses to itself; a
 * POSIX name comes back with one leading '/' and no other; text for display
 * is printable UTF-8 that keeps its start and end when bounded. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <limits.h>
#include <string.h>

#include "fuzz-common.h"
#include "ps-parse.h"

static void
check_number (const char *text,
              gboolean (*parse) (const char *, const char *, guint64 *, GError **))
{
  g_autoptr(GError) error = NULL;
  guint64 value = 0;

  if (parse (text, "fuzz", &value, &error))
    {
      g_autofree char *printed = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
      g_autofree char *hex = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", value);
      guint64 again = ~value;

      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (parse (printed, "fuzz", &again, NULL) && again == value);
      FUZZ_CHECK (parse (hex, "fuzz", &again, NULL) && again == value);
    }
  else
    FUZZ_CHECK (error != NULL && value == 0);
}

static gboolean
is_shown_char (gunichar c)
{
  return c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0);
}

static void
check_display (const char *text)
{
  g_autofree char *full = ps_text_for_display (text);
  gsize max = 1 + (strlen (text) % 300);
  g_autofree char *bounded = ps_text_for_display_bounded (text, max);
  const char *ellipsis;

  FUZZ_CHECK (g_utf8_validate (full, -1, NULL));
  for (const char *p = full; *p != '\0'; p = g_utf8_next_char (p))
    FUZZ_CHECK (is_shown_char (g_utf8_get_char (p)));
  FUZZ_CHECK (g_utf8_validate (bounded, -1, NULL));
  FUZZ_CHECK ((gsize) g_utf8_strlen (bounded, -1) <= max);

  if ((gsize) g_utf8_strlen (full, -1) <= max)
    {
      FUZZ_CHECK (strcmp (full, bounded) == 0);
      return;
    }
  /* the ellipsis the bound put in is the last one: the tail may hold others */
  ellipsis = g_strrstr (bounded, "…");
  FUZZ_CHECK (ellipsis != NULL);
  while (ellipsis != bounded && strncmp (full, bounded, ellipsis - bounded) != 0)
    ellipsis = g_strrstr_len (bounded, ellipsis - bounded, "…");
  FUZZ_CHECK (strncmp (full, bounded, ellipsis - bounded) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  int shmid = -1;
  guint mode = G_MAXUINT;

  check_number (text, ps_parse_size);
  check_number (text, ps_parse_offset);
  {
    guint64 length = 0, as_size = 0;

    /* a length is a size that is not zero */
    if (ps_parse_length (text, "fuzz", &length, NULL))
      FUZZ_CHECK (length != 0 && ps_parse_size (text, "fuzz", &as_size, NULL) && as_size == length);
    else if (ps_parse_size (text, "fuzz", &as_size, NULL))
      FUZZ_CHECK (as_size == 0);
  }

  {
    gint64 us = 0;

    /* more than 0, at most a year */
    if (ps_parse_duration (text, "fuzz", G_USEC_PER_SEC, &us, NULL))
      FUZZ_CHECK (us >= 1 && us <= (gint64) 366 * 24 * 3600 * G_USEC_PER_SEC);
  }
  if (ps_parse_shmid (text, &shmid, NULL))
    FUZZ_CHECK (shmid >= 0);
  if (ps_parse_mode (text, &mode, NULL))
    FUZZ_CHECK (mode <= 0777);

  name = ps_posix_name_normalize (text, &error);
  if (name != NULL)
    {
      g_autofree char *again = ps_posix_name_normalize (name, NULL);

      FUZZ_CHECK (error == NULL);
      FUZZ_CHECK (name[0] == '/' && name[1] != '/' && name[1] != '\0');
      FUZZ_CHECK (strchr (name + 1, '/') == NULL);
      FUZZ_CHECK (strlen (name + 1) <= NAME_MAX);
      FUZZ_CHECK (again != NULL && strcmp (again, name) == 0);
    }
  else
    FUZZ_CHECK (error != NULL);

  check_display (text);
  return 0;
}
