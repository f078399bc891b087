/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-args"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ps-action-args.h"
#include "ps-parse.h"
#include "ps-scanner.h"

/* An option word is NAME=VALUE with NAME in [a-z]: "text:a=b" is a pattern,
 * not an option named "text:a". */
static gboolean
is_option_word (const char *word)
{
  const char *eq = strchr (word, '=');

  if (eq == NULL || eq == word)
    return FALSE;
  for (const char *p = word; p < eq; p++)
    if (!g_ascii_islower (*p))
      return FALSE;
  return TRUE;
}

/* Splits "HEAD [name=value ...]" into the head and its options, which come
 * last, after any quoted part of the head. Refuses a word after the
 * options, an option given twice and one not in allowed. */
static char *
split_options (const char          *text,
               const char * const  *allowed,
               GHashTable         **options,
               GError             **error)
{
  const char *last_quote = strrchr (text, '"');
  const char *tail = last_quote != NULL ? last_quote + 1 : text;
  g_auto(GStrv) words = g_strsplit_set (tail, " \t", -1);
  g_autoptr(GString) head = g_string_new_len (text, tail - text);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];

      if (*word == '\0')
        continue;
      if (is_option_word (word))
        {
          g_autofree char *name = g_strndup (word, strchr (word, '=') - word);

          if (!g_strv_contains (allowed, name))
            {
              g_autofree char *list = g_strjoinv ("=, ", (char **) allowed);

              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("unknown option \"%s=\" (this action takes %s=)"), name, list);
              return NULL;
            }
          if (g_hash_table_contains (found, name))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("option \"%s=\" is given twice"), name);
              return NULL;
            }
          g_hash_table_insert (found, g_steal_pointer (&name), g_strdup (strchr (word, '=') + 1));
        }
      else if (g_hash_table_size (found) > 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("\"%s\" after the options: options (name=value) come last"), word);
          return NULL;
        }
      else
        {
          if (head->len > 0 && !g_ascii_isspace (head->str[head->len - 1]))
            g_string_append_c (head, ' ');
          g_string_append (head, word);
        }
    }
  *options = g_steal_pointer (&found);
  return g_strstrip (g_string_free (g_steal_pointer (&head), FALSE));
}

static gboolean
parse_range (GHashTable  *options,
             PsRangeArg  *range,
             GError     **error)
{
  const char *offset = g_hash_table_lookup (options, "offset");
  const char *length = g_hash_table_lookup (options, "length");

  memset (range, 0, sizeof *range);
  range->given = offset != NULL || length != NULL;
  if (offset != NULL && !ps_parse_size (offset, "offset", &range->offset, error))
    return FALSE;
  if (length != NULL && !ps_parse_length (length, "length", &range->length, error))
    return FALSE;
  return TRUE;
}

gboolean
ps_msync_args_parse (const char  *text,
                     PsMsyncArgs *args,
                     GError     **error)
{
  static const char * const allowed[] = { "offset", "length", NULL };
  g_autoptr(GHashTable) options = NULL;
  g_autofree char *head = NULL;

  g_return_val_if_fail (text != NULL && args != NULL, FALSE);

  memset (args, 0, sizeof *args);
  head = split_options (text, allowed, &options, error);
  return head != NULL &&
         ps_msync_flags_parse (head, &args->flags, error) &&
         parse_range (options, &args->range, error);
}

gboolean
ps_spawn_args_parse (const char  *text,
                     PsSpawnArgs *args,
                     GError     **error)
{
  static const char * const allowed[] = { "offset", "length", "count", NULL };
  g_autoptr(GHashTable) options = NULL;
  g_autofree char *head = NULL;
  const char *count;

  g_return_val_if_fail (text != NULL && args != NULL, FALSE);

  memset (args, 0, sizeof *args);
  head = split_options (text, allowed, &options, error);
  if (head == NULL ||
      !ps_writers_parse_spawn_arg (head, &args->n, &args->pattern, &args->rate, error) ||
      !parse_range (options, &args->range, error))
    return FALSE;
  count = g_hash_table_lookup (options, "count");
  if (count == NULL)
    return TRUE;
  if (!ps_parse_size (count, "count", &args->count, error))
    return FALSE;
  if (args->count == 0)
    {
      /* 0 would mean "never stop", which leaving count out already says */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("count=0: give at least 1, or leave count out to write until stopped"));
      return FALSE;
    }
  return TRUE;
}

gboolean
ps_stop_args_parse (const char  *text,
                    guint64     *pid,
                    GError     **error)
{
  g_autofree char *word = NULL;

  g_return_val_if_fail (text != NULL && pid != NULL, FALSE);

  word = g_strstrip (g_strdup (text));
  *pid = 0;
  if (*word == '\0' || g_str_equal (word, "all"))
    return TRUE;
  if (!ps_parse_offset (word, "pid", pid, error))
    return FALSE;
  if (*pid == 0 || *pid > G_MAXINT32)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("pid \"%s\": not a process id; give a writer child's pid, or all"), word);
      return FALSE;
    }
  return TRUE;
}

gboolean
ps_sweep_args_parse (const char  *text,
                     gboolean    *write,
                     GError     **error)
{
  g_autofree char *word = NULL;

  g_return_val_if_fail (text != NULL && write != NULL, FALSE);

  word = g_strstrip (g_strdup (text));
  *write = g_str_equal (word, "write");
  if (*write || *word == '\0' || g_str_equal (word, "read"))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("probe-sweep \"%s\": use read or write"), text);
  return FALSE;
}

gboolean
ps_interval_parse (const char  *text,
                   guint       *interval_ms,
                   GError     **error)
{
  g_autofree char *copy = NULL;
  char *end = NULL;
  double value, ms = -1;

  g_return_val_if_fail (text != NULL && interval_ms != NULL, FALSE);

  copy = g_strstrip (g_strdup (text));
  value = g_ascii_strtod (copy, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end != copy && value > 0 && value <= PS_SCANNER_MAX_INTERVAL_MS)
    {
      if (*end == '\0' || g_str_equal (end, "ms"))
        ms = value;
      else if (g_str_equal (end, "s"))
        ms = value * 1000;
    }
  if (ms < PS_SCANNER_MIN_INTERVAL_MS || ms > PS_SCANNER_MAX_INTERVAL_MS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("interval \"%s\": give 10 ms to 10 s, e.g. 100, 250ms or 2s"), text);
      return FALSE;
    }
  *interval_ms = (guint) ms;
  return TRUE;
}

const guint *
ps_interval_choices (guint *n_choices)
{
  static const guint choices[] = { 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };

  g_return_val_if_fail (n_choices != NULL, NULL);
  *n_choices = G_N_ELEMENTS (choices);
  return choices;
}

char *
ps_interval_to_display (guint interval_ms)
{
  if (interval_ms < 1000)
    /* TRANSLATORS: a duration in milliseconds */
    return g_strdup_printf (_("%u ms"), interval_ms);
  if (interval_ms % 1000 == 0)
    /* TRANSLATORS: a duration in whole seconds, e.g. "2 s" */
    return g_strdup_printf (_("%u s"), interval_ms / 1000);
  /* TRANSLATORS: a duration in seconds, e.g. "1.5 s" */
  return g_strdup_printf (_("%.1f s"), interval_ms / 1000.0);
}

gboolean
ps_goto_parse (const char   *text,
               guint64       cursor,
               guint64       length,
               guint64       page_size,
               PsGotoLookup  lookup,
               gpointer      user_data,
               guint64      *offset,
               GError      **error)
{
  g_autofree char *word = NULL;
  guint64 n = 0, target;

  g_return_val_if_fail (text != NULL && offset != NULL, FALSE);

  word = g_strstrip (g_strdup (text));
  if (length == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("go to: nothing is open"));
      return FALSE;
    }
  if (*word == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("go to: type an offset (0x1000, 4096, 4K), +N or -N, page N, end, or a mark's name"));
      return FALSE;
    }
  if (g_str_equal (word, "end"))
    target = length - 1;
  else if (g_str_has_prefix (word, "page "))
    {
      if (!ps_parse_offset (g_strstrip (word + 5), "page", &n, error))
        return FALSE;
      if (n >= (length + page_size - 1) / page_size)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("go to: page %" PRIu64 " is past the mapping's last page, %" PRIu64),
                       n, (length + page_size - 1) / page_size - 1);
          return FALSE;
        }
      target = n * page_size;
    }
  else if (word[0] == '+' || word[0] == '-')
    {
      if (!ps_parse_size (g_strstrip (word + 1), "go to", &n, error))
        return FALSE;
      if (word[0] == '-' && n > cursor)
        target = G_MAXUINT64;
      else
        target = word[0] == '+' ? (n > G_MAXUINT64 - cursor ? G_MAXUINT64 : cursor + n) : cursor - n;
    }
  else if (g_ascii_isdigit (word[0]))
    {
      if (!ps_parse_size (word, "go to", &target, error))
        return FALSE;
    }
  else if (lookup != NULL && lookup (word, &target, user_data))
    ;
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("go to \"%s\": not an offset, page N, end, or the name of a mark"), word);
      return FALSE;
    }
  if (target >= length)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("go to \"%s\": outside the mapping, which is 0x%" PRIx64 " bytes long"),
                   word, length);
      return FALSE;
    }
  *offset = target;
  return TRUE;
}
