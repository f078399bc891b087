/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-list"

#include "config.h"

#include <errno.h>
#include <libsmartcols.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "ps-i18n.h"
#include "ps-parse.h"
#include "ps-segments.h"
#include "ps-segments-output.h"

/* ---- the columns ---------------------------------------------------------- */

typedef enum
{
  COL_KEY,
  COL_ID,
  COL_NAME,
  COL_PERMS,
  COL_OWNER,
  COL_UID,
  COL_GID,
  COL_CUID,
  COL_CGID,
  COL_SIZE,
  COL_RSS,
  COL_SWAP,
  COL_ALLOCATED,
  COL_NATTCH,
  COL_STATUS,
  COL_ATTACH,
  COL_DETACH,
  COL_CTIME,
  COL_MTIME,
  COL_CPID,
  COL_LPID,
  COL_COMMAND,
  COL_MAPPED_BY,
  COL_MAPPERS_KNOWN,
  N_COLUMNS
} ColumnId;

#define SYSV  (1u << 0)
#define POSIX (1u << 1)
#define BOTH  (SYSV | POSIX)

typedef struct
{
  const char *name;      /* what --output takes; JSON has it in lower case */
  const char *heading;   /* the table's heading, translated */
  guint       kinds;     /* the lists that have it */
  guint       defaults;  /* the lists that show it without --output */
  int         json_type;
  gboolean    number;    /* right-aligned in the table */
} Column;

/* In this order in a list. The names are lsipc's where the column means the
 * same thing (ATTACH, DETACH and CTIME are shm_atime, shm_dtime, shm_ctime);
 * RSS, SWAP, NAME, ALLOCATED, MTIME, MAPPED-BY and MAPPERS-KNOWN are ours.
 * MAPPERS-KNOWN is false when /proc could not tell every process that maps
 * the segment (ps_segments_find_mappers): MAPPED-BY lists those seen, in
 * JSON null when it has none (never [], which says none). MAPPED-BY's JSON
 * is an array of objects, which libsmartcols 2.38 has no type for (and it
 * prints an empty array column as [null]): it is a NUMBER column, whose data
 * libsmartcols writes as it is, and we write the JSON. */
static const Column columns[N_COLUMNS] = {
  [COL_KEY]       = { "KEY",       NC_("list column", "KEY"),       SYSV,  SYSV,  SCOLS_JSON_NUMBER, FALSE },
  [COL_ID]        = { "ID",        NC_("list column", "ID"),        SYSV,  SYSV,  SCOLS_JSON_NUMBER, TRUE },
  [COL_NAME]      = { "NAME",      NC_("list column", "NAME"),      POSIX, POSIX, SCOLS_JSON_STRING, FALSE },
  [COL_PERMS]     = { "PERMS",     NC_("list column", "PERMS"),     BOTH,  BOTH,  SCOLS_JSON_STRING, FALSE },
  [COL_OWNER]     = { "OWNER",     NC_("list column", "OWNER"),     BOTH,  BOTH,  SCOLS_JSON_STRING, FALSE },
  [COL_UID]       = { "UID",       NC_("list column", "UID"),       BOTH,  0,     SCOLS_JSON_NUMBER, TRUE },
  [COL_GID]       = { "GID",       NC_("list column", "GID"),       BOTH,  0,     SCOLS_JSON_NUMBER, TRUE },
  [COL_CUID]      = { "CUID",      NC_("list column", "CUID"),      SYSV,  0,     SCOLS_JSON_NUMBER, TRUE },
  [COL_CGID]      = { "CGID",      NC_("list column", "CGID"),      SYSV,  0,     SCOLS_JSON_NUMBER, TRUE },
  [COL_SIZE]      = { "SIZE",      NC_("list column", "SIZE"),      BOTH,  BOTH,  SCOLS_JSON_NUMBER, TRUE },
  [COL_RSS]       = { "RSS",       NC_("list column", "RSS"),       SYSV,  SYSV,  SCOLS_JSON_NUMBER, TRUE },
  [COL_SWAP]      = { "SWAP",      NC_("list column", "SWAP"),      SYSV,  0,     SCOLS_JSON_NUMBER, TRUE },
  [COL_ALLOCATED] = { "ALLOCATED", NC_("list column", "ALLOCATED"), POSIX, POSIX, SCOLS_JSON_NUMBER, TRUE },
  [COL_NATTCH]    = { "NATTCH",    NC_("list column", "NATTCH"),    SYSV,  SYSV,  SCOLS_JSON_NUMBER, TRUE },
  [COL_STATUS]    = { "STATUS",    NC_("list column", "STATUS"),    SYSV,  SYSV,  SCOLS_JSON_STRING, FALSE },
  [COL_ATTACH]    = { "ATTACH",    NC_("list column", "ATTACH"),    SYSV,  0,     SCOLS_JSON_NUMBER, FALSE },
  [COL_DETACH]    = { "DETACH",    NC_("list column", "DETACH"),    SYSV,  0,     SCOLS_JSON_NUMBER, FALSE },
  [COL_CTIME]     = { "CTIME",     NC_("list column", "CTIME"),     SYSV,  0,     SCOLS_JSON_NUMBER, FALSE },
  [COL_MTIME]     = { "MTIME",     NC_("list column", "MTIME"),     POSIX, POSIX, SCOLS_JSON_NUMBER, FALSE },
  [COL_CPID]      = { "CPID",      NC_("list column", "CPID"),      SYSV,  SYSV,  SCOLS_JSON_NUMBER, TRUE },
  [COL_LPID]      = { "LPID",      NC_("list column", "LPID"),      SYSV,  SYSV,  SCOLS_JSON_NUMBER, TRUE },
  [COL_COMMAND]   = { "COMMAND",   NC_("list column", "COMMAND"),   SYSV,  0,     SCOLS_JSON_STRING, FALSE },
  [COL_MAPPED_BY] = { "MAPPED-BY", NC_("list column", "MAPPED-BY"), BOTH,  BOTH,  SCOLS_JSON_NUMBER, FALSE },
  [COL_MAPPERS_KNOWN] = { "MAPPERS-KNOWN", NC_("list column", "MAPPERS-KNOWN"), BOTH, 0, SCOLS_JSON_BOOLEAN, FALSE },
};

char *
ps_list_column_names (gboolean sysv)
{
  GString *names = g_string_new (NULL);
  guint kind = sysv ? SYSV : POSIX;

  for (guint i = 0; i < N_COLUMNS; i++)
    if (columns[i].kinds & kind)
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", columns[i].name);
  return g_string_free (names, FALSE);
}

static gboolean
column_by_name (const char *name,
                ColumnId   *id)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    if (g_ascii_strcasecmp (columns[i].name, name) == 0)
      {
        *id = (ColumnId) i;
        return TRUE;
      }
  return FALSE;
}

static void
set_column_error (GError    **error,
                  const char *message)
{
  g_autofree char *sysv = ps_list_column_names (TRUE);
  g_autofree char *posix = ps_list_column_names (FALSE);

  /* TRANSLATORS: the first %s says what is wrong with --output; then the column names */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("%s (SysV segments have %s; POSIX segments have %s)"), message, sysv, posix);
}

/* The columns --output names, in its order, in ids; FALSE with an error. */
static gboolean
parse_columns (const char *text,
               GArray     *ids,
               guint      *kinds,
               GError    **error)
{
  g_auto(GStrv) names = g_strsplit (text, ",", -1);

  *kinds = BOTH;
  if (names[0] == NULL)
    {
      set_column_error (error, _("--output: give at least one column"));
      return FALSE;
    }
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *message = NULL;
      ColumnId id = N_COLUMNS;

      if (names[i][0] == '\0')
        message = g_strdup_printf (_("--output \"%s\": a column name is empty"), text);
      else if (!column_by_name (names[i], &id))
        message = g_strdup_printf (_("--output: no column is called \"%s\""), names[i]);
      else
        for (guint j = 0; j < ids->len; j++)
          if (g_array_index (ids, ColumnId, j) == id)
            message = g_strdup_printf (_("--output: %s is named twice"), columns[id].name);
      if (message != NULL)
        {
          set_column_error (error, message);
          return FALSE;
        }
      g_array_append_val (ids, id);
      *kinds &= columns[id].kinds;
    }
  if (*kinds == 0)
    {
      g_autofree char *message = g_strdup_printf (_("--output %s: no list has all of these columns"), text);

      set_column_error (error, message);
      return FALSE;
    }
  return TRUE;
}

gboolean
ps_list_options_check (const PsListOptions *options,
                       gboolean            *sysv,
                       gboolean            *posix,
                       GError             **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (ColumnId));
  guint kinds = BOTH;

  g_return_val_if_fail (options != NULL, FALSE);

  if (options->columns != NULL && !parse_columns (options->columns, ids, &kinds, error))
    return FALSE;
  *sysv = (kinds & SYSV) != 0;
  *posix = (kinds & POSIX) != 0;
  return TRUE;
}

/* The columns one list shows: those --output names, or its defaults (in JSON, all it has). */
static GArray *
list_columns (const PsListOptions *options,
              guint                kind)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (ColumnId));
  guint kinds;

  if (options->columns != NULL)
    {
      if (!parse_columns (options->columns, ids, &kinds, NULL))
        g_array_set_size (ids, 0);
      return ids;
    }
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      guint shown = options->format == PS_LIST_JSON ? columns[i].kinds : columns[i].defaults;

      if (shown & kind)
        g_array_append_val (ids, i);
    }
  return ids;
}

/* ---- cells ------------------------------------------------------------------ */

typedef struct
{
  const PsListOptions *options;
  GHashTable          *owners;    /* uid -> name */
} Context;

typedef char *(*CellFunc) (Context *context, gconstpointer item, ColumnId id);

static gboolean
is_json (Context *context)
{
  return context->options->format == PS_LIST_JSON;
}

/* The user name, or the uid in decimal when there is none; cached. */
static const char *
owner_name (Context *context,
            uid_t    uid)
{
  char *name = g_hash_table_lookup (context->owners, GUINT_TO_POINTER (uid));
  gsize size = 1024;

  if (name != NULL)
    return name;
  for (;;)
    {
      g_autofree char *buffer = g_malloc (size);
      struct passwd pwd, *result = NULL;
      int r = getpwuid_r (uid, &pwd, buffer, size, &result);

      if (r == ERANGE && size < 1024 * 1024)
        {
          size *= 4;
          continue;
        }
      name = result != NULL ? g_strdup (pwd.pw_name) : g_strdup_printf ("%u", (guint) uid);
      break;
    }
  g_hash_table_insert (context->owners, GUINT_TO_POINTER (uid), name);
  return name;
}

/* Text from outside (names, commands): the table escapes it as the window
 * does; raw mode leaves it to libsmartcols' \xHH; JSON needs valid UTF-8. */
static char *
text_cell (Context    *context,
           const char *text)
{
  if (text == NULL)
    return NULL;
  switch (context->options->format)
    {
    case PS_LIST_TABLE: return ps_text_for_display (text);
    case PS_LIST_JSON:  return g_utf8_make_valid (text, -1);
    case PS_LIST_RAW:
    default:            return g_strdup (text);
    }
}

static char *
number_cell (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* In bytes, or as 4.0 KiB; raw mode has no space to split at: 4.0KiB, 100B. */
static char *
size_cell (Context *context,
           guint64  bytes)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) human = NULL;

  if (context->options->bytes || is_json (context))
    return g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
  if (context->options->format != PS_LIST_RAW)
    return ps_format_size (bytes);
  if (bytes < 1024)
    return g_strdup_printf ("%" G_GUINT64_FORMAT "B", bytes);
  text = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
  human = g_string_new (text);
  g_string_replace (human, "\u00a0", "", 0);
  g_string_replace (human, " ", "", 0);
  return g_string_free (g_steal_pointer (&human), FALSE);
}

/* Seconds since the epoch in JSON; else local time, with no space in raw
 * mode. never: 0 means it never happened (no attach yet): "-", or null. */
static char *
time_cell (Context  *context,
           gint64    seconds,
           gboolean  never)
{
  g_autoptr(GDateTime) when = NULL;

  if (never && seconds == 0)
    return is_json (context) ? NULL : g_strdup ("-");
  if (is_json (context))
    return number_cell (seconds);
  when = g_date_time_new_from_unix_local (seconds);
  if (when == NULL)
    return number_cell (seconds);
  return g_date_time_format (when, context->options->format == PS_LIST_RAW ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S");
}

/* A JSON string: quotes, backslashes and control characters escaped; the
 * text is valid UTF-8 already (text_cell). */
static void
json_string (GString    *out,
             const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* [{"pid": 42, "command": "writer"}, ...]: those seen; NULL (null) when
 * none was seen and /proc cannot tell whether others map it. */
static char *
mappers_json (Context *context,
              GArray  *mappers,
              gboolean known)
{
  GString *out;

  if (!known && mappers->len == 0)
    return NULL;
  out = g_string_new ("[");
  for (guint i = 0; i < mappers->len; i++)
    {
      PsMapper *mapper = &g_array_index (mappers, PsMapper, i);
      g_autofree char *command = text_cell (context, mapper->command != NULL ? mapper->command : "");

      g_string_append_printf (out, "%s{\"pid\": %d, \"command\": ", i > 0 ? ", " : "", (int) mapper->pid);
      json_string (out, command);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

/* "42/writer, 43/writer"; "none", "unknown", or those seen and "maybe others". */
static char *
mappers_cell (Context *context,
              GArray  *mappers,
              gboolean known)
{
  gboolean raw = context->options->format == PS_LIST_RAW;
  g_autoptr(GString) seen = g_string_new (NULL);

  if (is_json (context))
    return mappers_json (context, mappers, known);
  for (guint i = 0; mappers != NULL && i < mappers->len; i++)
    {
      PsMapper *mapper = &g_array_index (mappers, PsMapper, i);
      g_autofree char *command = text_cell (context, mapper->command);

      if (i > 0)
        g_string_append (seen, raw ? "," : ", ");
      g_string_append_printf (seen, "%d", (int) mapper->pid);
      if (command != NULL && command[0] != '\0')
        g_string_append_printf (seen, "/%s", command);
    }
  if (seen->len == 0)
    return g_strdup (known ? (raw ? "none" : _("none")) : (raw ? "unknown" : _("unknown")));
  if (known)
    return g_string_free (g_steal_pointer (&seen), FALSE);
  if (raw)
    return g_strconcat (seen->str, ",unknown", NULL);
  /* TRANSLATORS: %s lists the processes seen mapping a segment, "42/writer, 43/writer";
   * /proc could not tell whether other processes map it too */
  return g_strdup_printf (_("%s; maybe others"), seen->str);
}

static char *
known_cell (Context *context,
            gboolean known)
{
  if (is_json (context))
    return g_strdup (known ? "1" : "0");
  if (context->options->format == PS_LIST_RAW)
    return g_strdup (known ? "yes" : "no");
  return g_strdup (known ? _("yes") : _("no"));
}

static char *
perms_cell (guint perms)
{
  return g_strdup_printf ("%04o", perms);
}

static char *
sysv_cell (Context       *context,
           gconstpointer  item,
           ColumnId       id)
{
  const PsSysvSegment *s = item;

  switch (id)
    {
    case COL_KEY:
      if (is_json (context))
        return number_cell ((guint32) s->key);
      return g_strdup_printf ("0x%08x", (guint32) s->key);
    case COL_ID:        return number_cell (s->shmid);
    case COL_PERMS:     return perms_cell (s->perms);
    case COL_OWNER:     return text_cell (context, owner_name (context, s->uid));
    case COL_UID:       return number_cell (s->uid);
    case COL_GID:       return number_cell (s->gid);
    case COL_CUID:      return number_cell (s->cuid);
    case COL_CGID:      return number_cell (s->cgid);
    case COL_SIZE:      return size_cell (context, s->size);
    case COL_RSS:       return size_cell (context, s->rss);
    case COL_SWAP:      return size_cell (context, s->swap);
    case COL_NATTCH:    return number_cell ((gint64) s->nattch);
    case COL_STATUS:    return g_strdup (ps_sysv_segment_status (s));
    case COL_ATTACH:    return time_cell (context, s->atime, TRUE);
    case COL_DETACH:    return time_cell (context, s->dtime, TRUE);
    case COL_CTIME:     return time_cell (context, s->ctime, FALSE);
    case COL_CPID:      return number_cell (s->cpid);
    case COL_LPID:      return number_cell (s->lpid);
    case COL_COMMAND:   return text_cell (context, s->command);
    case COL_MAPPED_BY: return mappers_cell (context, s->mappers, s->mappers_known);
    case COL_MAPPERS_KNOWN: return known_cell (context, s->mappers_known);
    case COL_NAME:
    case COL_ALLOCATED:
    case COL_MTIME:
    case N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
posix_cell (Context       *context,
            gconstpointer  item,
            ColumnId       id)
{
  const PsPosixSegment *s = item;

  switch (id)
    {
    case COL_NAME:      return text_cell (context, s->name);
    case COL_PERMS:     return perms_cell (s->perms);
    case COL_OWNER:     return text_cell (context, owner_name (context, s->uid));
    case COL_UID:       return number_cell (s->uid);
    case COL_GID:       return number_cell (s->gid);
    case COL_SIZE:      return size_cell (context, s->size);
    case COL_ALLOCATED: return size_cell (context, s->allocated);
    case COL_MTIME:     return time_cell (context, s->mtime, FALSE);
    case COL_MAPPED_BY: return mappers_cell (context, s->mappers, s->mappers_known);
    case COL_MAPPERS_KNOWN: return known_cell (context, s->mappers_known);
    case COL_KEY:
    case COL_ID:
    case COL_CUID:
    case COL_CGID:
    case COL_RSS:
    case COL_SWAP:
    case COL_NATTCH:
    case COL_STATUS:
    case COL_ATTACH:
    case COL_DETACH:
    case COL_CTIME:
    case COL_CPID:
    case COL_LPID:
    case COL_COMMAND:
    case N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- one list ---------------------------------------------------------------- */

/* libsmartcols measures a table's cells with mbrtowc, and loops for ever on
 * a character the locale cannot decode: where the locale is not UTF-8, the
 * table gets ASCII only (a no-break space as a space, the rest \uXXXX). */
static char *
table_safe (const char *text)
{
  GString *out;

  if (g_get_charset (NULL))
    return g_strdup (text);
  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else if (c == 0xa0)
        g_string_append_c (out, ' ');
      else
        g_string_append_printf (out, c > 0xffff ? "\\U%08x" : "\\u%04x", c);
    }
  return g_string_free (out, FALSE);
}

typedef struct libscols_table ScolsTable;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScolsTable, scols_unref_table)

static struct libscols_table *
new_table (Context    *context,
           const char *name,
           GArray     *ids)
{
  const PsListOptions *options = context->options;
  struct libscols_table *table = scols_new_table ();

  scols_table_set_name (table, name);
  scols_table_enable_json (table, options->format == PS_LIST_JSON);
  scols_table_enable_raw (table, options->format == PS_LIST_RAW);
  scols_table_enable_noheadings (table, options->noheadings);
  /* the table's cells are escaped already (text_cell), the same way as in the window */
  scols_table_enable_noencoding (table, options->format == PS_LIST_TABLE);
  /* never cut a cell to a terminal's width */
  scols_table_set_termforce (table, SCOLS_TERMFORCE_NEVER);

  for (guint i = 0; i < ids->len; i++)
    {
      const Column *column = &columns[g_array_index (ids, ColumnId, i)];
      g_autofree char *heading = options->format == PS_LIST_TABLE
                                 ? table_safe (g_dpgettext2 (NULL, "list column", column->heading))
                                 : g_strdup (column->name);
      int flags = column->number && options->format == PS_LIST_TABLE ? SCOLS_FL_RIGHT : 0;
      struct libscols_column *cl = scols_table_new_column (table, heading, 0, flags);

      scols_column_set_json_type (cl, column->json_type);
    }
  return table;
}

static void
add_line (Context               *context,
          struct libscols_table *table,
          GArray                *ids,
          CellFunc               cell,
          gconstpointer          item)
{
  struct libscols_line *line = scols_table_new_line (table, NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *text = cell (context, item, g_array_index (ids, ColumnId, i));

      /* a raw line is split at spaces: an empty cell would vanish */
      if ((text == NULL || text[0] == '\0') && context->options->format == PS_LIST_RAW)
        scols_line_set_data (line, i, "-");
      else if (text != NULL && context->options->format == PS_LIST_TABLE)
        {
          g_autofree char *safe = table_safe (text);

          scols_line_set_data (line, i, safe);
        }
      else if (text != NULL)
        scols_line_set_data (line, i, text);
    }
}

/* One list as libsmartcols prints it, or NULL with an error. */
static char *
print_list (Context    *context,
            const char *name,
            guint       kind,
            GPtrArray  *items,
            CellFunc    cell,
            GError    **error)
{
  g_autoptr(GArray) ids = list_columns (context->options, kind);
  g_autoptr(ScolsTable) table = new_table (context, name, ids);
  char *printed = NULL;
  char *text;
  int r;

  for (guint i = 0; i < items->len; i++)
    add_line (context, table, ids, cell, g_ptr_array_index (items, i));
  r = scols_print_table_to_string (table, &printed);
  if (r != 0 || printed == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (-r), "scols_print_table_to_string(%s): %s",
                   name, g_strerror (-r));
      free (printed);
      return NULL;
    }
  text = g_strdup (printed);
  free (printed);
  return text;
}

/* ---- both lists --------------------------------------------------------------- */

/* libsmartcols prints one object per table, {"NAME": [...]}: the members,
 * to join the lists into one object. */
static gboolean
json_members (const char *object,
              GString    *out,
              GError    **error)
{
  gsize length = strlen (object);

  if (!g_str_has_prefix (object, "{\n") || !g_str_has_suffix (object, "\n}\n"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "libsmartcols printed JSON that is not one object: \"%.40s\"", object);
      return FALSE;
    }
  if (out->len > 2)
    g_string_append (out, ",\n");
  g_string_append_len (out, object + 2, length - 5);
  return TRUE;
}

/* The table pads its last column when a cell is empty: no line ends in spaces. */
static void
append_lines (GString    *out,
              const char *text,
              gboolean    strip)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;
      if (strip)
        g_strchomp (lines[i]);
      g_string_append_printf (out, "%s\n", lines[i]);
    }
}

static gboolean
append_list (Context    *context,
             GString    *out,
             guint       kind,
             GPtrArray  *items,
             GError    **error)
{
  const PsListOptions *options = context->options;
  gboolean sysv = kind == SYSV;
  CellFunc cell = sysv ? sysv_cell : posix_cell;
  g_autofree char *text = print_list (context, sysv ? "sysv" : "posix", kind, items, cell, error);

  if (text == NULL)
    return FALSE;
  if (options->format == PS_LIST_JSON)
    return json_members (text, out, error);

  if (options->format == PS_LIST_TABLE && !options->noheadings)
    {
      g_autofree char *title = NULL;

      if (out->len > 0)
        g_string_append_c (out, '\n');

      if (items->len == 0)
        title = table_safe (sysv ? _("SysV shared memory segments: none") : _("POSIX shared memory segments: none"));
      else
        title = table_safe (sysv ? _("SysV shared memory segments") : _("POSIX shared memory segments"));
      g_string_append_printf (out, "%s\n", title);
    }
  append_lines (out, text, options->format == PS_LIST_TABLE);
  return TRUE;
}

char *
ps_segments_output (GPtrArray           *sysv,
                    GPtrArray           *posix,
                    const PsListOptions *options,
                    GError             **error)
{
  g_autoptr(GHashTable) owners = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GString) out = g_string_new (options->format == PS_LIST_JSON ? "{\n" : NULL);
  Context context = { options, owners };
  gboolean with_sysv, with_posix;

  g_return_val_if_fail (options != NULL, NULL);

  if (!ps_list_options_check (options, &with_sysv, &with_posix, error))
    return NULL;
  if (sysv != NULL && with_sysv && !append_list (&context, out, SYSV, sysv, error))
    return NULL;
  if (posix != NULL && with_posix && !append_list (&context, out, POSIX, posix, error))
    return NULL;
  if (options->format == PS_LIST_JSON)
    g_string_append (out, "\n}\n");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
ps_segments_list_output (const PsListOptions *options,
                         GError             **error)
{
  g_autoptr(GPtrArray) sysv = NULL;
  g_autoptr(GPtrArray) posix = NULL;
  gboolean with_sysv, with_posix;

  g_return_val_if_fail (options != NULL, NULL);

  if (!ps_list_options_check (options, &with_sysv, &with_posix, error))
    return NULL;
  if (with_sysv && (sysv = ps_segments_list_sysv (error)) == NULL)
    return NULL;
  if (with_posix && (posix = ps_segments_list_posix (error)) == NULL)
    return NULL;
  ps_segments_find_mappers (sysv, posix);
  return ps_segments_output (sysv, posix, options, error);
}
