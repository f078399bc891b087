/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-source"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-process-view.h"
#include "ps-source.h"

/* A PsSourceSpec as one line of text, for recent entries, app.open and
 * drag and drop:
 *
 *   file:PATH[?private&writable&offset=N&length=N]   PATH percent-escaped, '/' kept
 *   file:PATH?pread[&offset=N&length=N]               the file read with pread, never mapped
 *   posix:NAME[?private&writable&offset=N&length=N]
 *   posix:NAME?create&size=N[&mode=600]
 *   sysv:0xKEY[?writable]
 *   sysv:0xKEY?create&size=N[&mode=600]
 *   shmid:N[?writable]
 *   anon:SIZE
 *   pid:PID?map=PATH | pid:PID?map=0xADDRESS      another process's mapping (a view)
 */

/* Which options a kind takes (a bit per option). */
enum
{
  OPT_PRIVATE  = 1 << 0,
  OPT_WRITABLE = 1 << 1,
  OPT_OFFSET   = 1 << 2,
  OPT_LENGTH   = 1 << 3,
  OPT_CREATE   = 1 << 4,
  OPT_SIZE     = 1 << 5,
  OPT_MODE     = 1 << 6,
  OPT_MAP      = 1 << 7,
  OPT_PREAD    = 1 << 8,
};

static const struct
{
  const char *name;
  guint       bit;
  gboolean    has_value;
} options[] = {
  { "private",  OPT_PRIVATE,  FALSE },
  { "writable", OPT_WRITABLE, FALSE },
  { "offset",   OPT_OFFSET,   TRUE },
  { "length",   OPT_LENGTH,   TRUE },
  { "create",   OPT_CREATE,   FALSE },
  { "size",     OPT_SIZE,     TRUE },
  { "mode",     OPT_MODE,     TRUE },
  { "map",      OPT_MAP,      TRUE },
  { "pread",    OPT_PREAD,    FALSE },
};

#define OPTS_MAPPING (OPT_PRIVATE | OPT_WRITABLE | OPT_OFFSET | OPT_LENGTH)
#define OPTS_CREATE  (OPT_CREATE | OPT_SIZE | OPT_MODE)

void
ps_source_spec_clear (PsSourceSpec *spec)
{
  g_return_if_fail (spec != NULL);

  g_free (spec->path);
  g_free (spec->name);
  memset (spec, 0, sizeof *spec);
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *escaped = g_uri_escape_string (text, "/", FALSE);
  g_string_append (out, escaped);
}

static void
append_option (GString    *out,
               const char *option)
{
  g_string_append_c (out, strchr (out->str, '?') != NULL ? '&' : '?');
  g_string_append (out, option);
}

static void
append_mapping_options (GString            *out,
                        const PsSourceSpec *spec,
                        gboolean            offset_and_length)
{
  if (spec->flags & PS_MAP_PREAD)
    append_option (out, "pread");
  if (spec->flags & PS_MAP_PRIVATE)
    append_option (out, "private");
  if (spec->flags & PS_MAP_WRITABLE)
    append_option (out, "writable");
  if (offset_and_length && spec->offset != 0)
    {
      g_autofree char *option = g_strdup_printf ("offset=%" G_GUINT64_FORMAT, spec->offset);
      append_option (out, option);
    }
  if (offset_and_length && spec->length != 0)
    {
      g_autofree char *option = g_strdup_printf ("length=%" G_GUINT64_FORMAT, spec->length);
      append_option (out, option);
    }
}

static void
append_create_options (GString            *out,
                       const PsSourceSpec *spec)
{
  g_autofree char *size = g_strdup_printf ("size=%" G_GUINT64_FORMAT, spec->size);

  /* redundant (a new segment is mapped writable) but accepted: keep it, so
   * that what parsed prints back to the same spec */
  if (spec->flags & PS_MAP_WRITABLE)
    append_option (out, "writable");
  append_option (out, "create");
  append_option (out, size);
  if (spec->mode != 0)
    {
      g_autofree char *mode = g_strdup_printf ("mode=%o", spec->mode);
      append_option (out, mode);
    }
}

char *
ps_source_spec_to_string (const PsSourceSpec *spec)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (spec != NULL, NULL);

  switch (spec->kind)
    {
    case PS_SOURCE_FILE:
      g_string_append (out, "file:");
      append_escaped (out, spec->path != NULL ? spec->path : "");
      append_mapping_options (out, spec, TRUE);
      break;

    case PS_SOURCE_POSIX:
      g_string_append (out, "posix:");
      append_escaped (out, spec->name != NULL ? spec->name : "");
      if (spec->create)
        append_create_options (out, spec);
      else
        append_mapping_options (out, spec, TRUE);
      break;

    case PS_SOURCE_SYSV:
      if (spec->by_shmid && !spec->create)
        g_string_append_printf (out, "shmid:%d", spec->shmid);
      else
        g_string_append_printf (out, "sysv:0x%08x", (guint32) spec->key);
      if (spec->create)
        append_create_options (out, spec);
      else
        append_mapping_options (out, spec, FALSE);
      break;

    case PS_SOURCE_ANON:
      g_string_append_printf (out, "anon:%" G_GUINT64_FORMAT, spec->size);
      break;

    case PS_SOURCE_PROCESS:
      g_string_append_printf (out, "pid:%d?map=", (int) spec->pid);
      if (spec->path != NULL)
        append_escaped (out, spec->path);
      else
        g_string_append_printf (out, "0x%" G_GINT64_MODIFIER "x", spec->address);
      break;

    default:
      g_string_free (out, TRUE);
      g_return_val_if_reached (NULL);
    }
  return g_string_free (out, FALSE);
}

/* ps_source_spec_parse puts 'source "TEXT": ' in front */
static gboolean
malformed (GError    **error,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gboolean
malformed (GError    **error,
           const char *format,
           ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, reason);
  return FALSE;
}

static char *
allowed_list (guint allowed)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (allowed & options[i].bit)
      g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", options[i].name);
  if (list->len == 0)
    g_string_append (list, "none");
  return g_string_free (list, FALSE);
}

/* map=/absolute/path (%-escaped) or map=0xADDRESS */
static gboolean
parse_map (const char   *value,
           PsSourceSpec *spec,
           GError      **error)
{
  g_autofree char *text = g_uri_unescape_string (value, NULL);

  if (text == NULL)
    return malformed (error, _("the path has a bad %%-escape (%%XX with two hex digits; no %%00)"));
  if (text[0] != '/' && g_ascii_strncasecmp (text, "0x", 2) != 0)
    return malformed (error, _("map=%s: expected map=/absolute/path or map=0xADDRESS"), text);
  return ps_process_parse_map (text, "map", &spec->path, &spec->address, error);
}

/* Parses "a&b=1&c" into spec; allowed says which options the kind takes. */
static gboolean
parse_options (const char   *kind,
               const char   *query,
               guint         allowed,
               PsSourceSpec *spec,
               GError      **error)
{
  g_auto(GStrv) items = g_strsplit (query, "&", -1);
  guint seen = 0;

  if (*query == '\0')   /* g_strsplit gives no items at all */
    return malformed (error, _("an empty option (a stray '?' or '&')"));

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = items[i];
      char *value = strchr (item, '=');
      guint k;

      if (value != NULL)
        *value++ = '\0';
      if (*item == '\0')
        return malformed (error, _("an empty option (a stray '?' or '&')"));

      for (k = 0; k < G_N_ELEMENTS (options); k++)
        if (g_str_equal (item, options[k].name))
          break;
      if (k == G_N_ELEMENTS (options) || !(allowed & options[k].bit))
        {
          g_autofree char *list = allowed_list (allowed);
          if (k == G_N_ELEMENTS (options))
            return malformed (error, _("unknown option \"%s\" (%s takes: %s)"), item, kind, list);
          return malformed (error, _("option \"%s\" does not apply to %s (it takes: %s)"), item, kind, list);
        }
      if (seen & options[k].bit)
        return malformed (error, _("option \"%s\" is given twice"), item);
      seen |= options[k].bit;
      if (options[k].has_value && (value == NULL || *value == '\0'))
        return malformed (error, _("option \"%s\" needs a value (%s=N)"), item, item);
      if (!options[k].has_value && value != NULL)
        return malformed (error, _("option \"%s\" takes no value"), item);

      switch (options[k].bit)
        {
        case OPT_PRIVATE:  spec->flags |= PS_MAP_PRIVATE; break;
        case OPT_WRITABLE: spec->flags |= PS_MAP_WRITABLE; break;
        case OPT_PREAD:    spec->flags |= PS_MAP_PREAD; break;
        case OPT_CREATE:   spec->create = TRUE; break;
        case OPT_OFFSET:
          if (!ps_parse_size (value, "offset", &spec->offset, error))
            return FALSE;
          break;
        case OPT_LENGTH:
          if (!ps_parse_length (value, "length", &spec->length, error))
            return FALSE;
          break;
        case OPT_SIZE:
          if (!ps_parse_size (value, "size", &spec->size, error))
            return FALSE;
          break;
        case OPT_MODE:
          if (!ps_parse_mode (value, &spec->mode, error))
            return FALSE;
          break;
        case OPT_MAP:
          if (!parse_map (value, spec, error))
            return FALSE;
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if ((seen & (OPT_SIZE | OPT_MODE)) && !(seen & OPT_CREATE))
    return malformed (error, _("size and mode apply only with create"));
  if ((seen & OPT_CREATE) && !(seen & OPT_SIZE))
    return malformed (error, _("create needs a size (create&size=N)"));
  return TRUE;
}

static char *
unescape (const char *what,
          const char *body,
          GError    **error)
{
  char *result = g_uri_unescape_string (body, NULL);

  if (result == NULL)
    malformed (error, _("the %s has a bad %%-escape (%%XX with two hex digits; no %%00)"), what);
  else if (*result == '\0')
    {
      malformed (error, _("the %s is empty"), what);
      g_clear_pointer (&result, g_free);
    }
  return result;
}

static gboolean
parse_spec (const char   *text,
            PsSourceSpec *spec,
            GError      **error)
{
  g_auto(PsSourceSpec) parsed = { 0 };
  g_autofree char *kind = NULL;
  g_autofree char *body = NULL;
  const char *colon, *query;

  colon = strchr (text, ':');
  if (colon == NULL)
    return malformed (error, _("expected KIND:WHAT, where KIND is file, posix, sysv, shmid, anon or pid"));
  kind = g_strndup (text, colon - text);
  query = strchr (colon + 1, '?');
  body = query != NULL ? g_strndup (colon + 1, query - (colon + 1)) : g_strdup (colon + 1);
  if (query != NULL)
    query++;

  if (g_str_equal (kind, "file"))
    {
      parsed.kind = PS_SOURCE_FILE;
      if ((parsed.path = unescape ("path", body, error)) == NULL)
        return FALSE;
      if (query != NULL && !parse_options ("file", query, OPTS_MAPPING | OPT_PREAD, &parsed, error))
        return FALSE;
    }
  else if (g_str_equal (kind, "posix"))
    {
      g_autofree char *name = NULL;

      parsed.kind = PS_SOURCE_POSIX;
      if ((name = unescape ("name", body, error)) == NULL)
        return FALSE;
      if ((parsed.name = ps_posix_name_normalize (name, error)) == NULL)
        return FALSE;
      if (query != NULL && !parse_options ("posix", query, OPTS_MAPPING | OPTS_CREATE, &parsed, error))
        return FALSE;
    }
  else if (g_str_equal (kind, "sysv"))
    {
      parsed.kind = PS_SOURCE_SYSV;
      if (*body == '\0')
        return malformed (error, _("the key is empty; expected sysv:0xKEY"));
      if (!ps_parse_sysv_key (body, &parsed.key, error))
        return FALSE;
      if (query != NULL && !parse_options ("sysv", query, OPT_WRITABLE | OPTS_CREATE, &parsed, error))
        return FALSE;
    }
  else if (g_str_equal (kind, "shmid"))
    {
      parsed.kind = PS_SOURCE_SYSV;
      parsed.by_shmid = TRUE;
      if (!ps_parse_shmid (body, &parsed.shmid, error))
        return FALSE;
      if (query != NULL && !parse_options ("shmid", query, OPT_WRITABLE, &parsed, error))
        return FALSE;
    }
  else if (g_str_equal (kind, "anon"))
    {
      parsed.kind = PS_SOURCE_ANON;
      if (query != NULL)
        return malformed (error, _("anon takes no options; expected anon:SIZE"));
      if (!ps_parse_size (body, "size", &parsed.size, error))
        return FALSE;
      if (parsed.size == 0)
        return malformed (error, _("the size must not be zero"));
    }
  else if (g_str_equal (kind, "pid"))
    {
      parsed.kind = PS_SOURCE_PROCESS;
      if (!ps_process_parse_pid (body, "pid", &parsed.pid, error))
        return FALSE;
      if (query == NULL)
        return malformed (error, _("a process view needs the mapping: pid:PID?map=PATH or pid:PID?map=0xADDRESS"));
      if (!parse_options ("pid", query, OPT_MAP, &parsed, error))
        return FALSE;
    }
  else
    return malformed (error, _("unknown kind \"%s\"; expected file, posix, sysv, shmid, anon or pid"), kind);

  /* an out parameter: whatever spec held is not freed */
  *spec = parsed;
  memset (&parsed, 0, sizeof parsed);
  return TRUE;
}

/* ---- the rules ------------------------------------------------------- */

static gboolean
refuse (PsSpecField  *field,
        PsSpecField   which,
        GError      **error,
        GIOErrorEnum  code,
        const char   *format,
        ...) G_GNUC_PRINTF (5, 6);

static gboolean
refuse (PsSpecField  *field,
        PsSpecField   which,
        GError      **error,
        GIOErrorEnum  code,
        const char   *format,
        ...)
{
  va_list args;

  if (field != NULL)
    *field = which;
  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (G_IO_ERROR, code, format, args);
  va_end (args);
  return FALSE;
}

/* The mapping options a kind does not take, and why. */
static gboolean
check_mapping_options (const PsSourceSpec  *spec,
                       const char          *dashes,
                       PsSpecField         *field,
                       GError             **error)
{
  const char *kind = NULL, *why = NULL;
  gboolean takes_writable = FALSE;

  if (spec->flags & PS_MAP_PREAD)
    {
      if (spec->kind != PS_SOURCE_FILE)
        return refuse (field, PS_SPEC_FIELD_OBJECT, error, G_IO_ERROR_NOT_SUPPORTED,
                       _("%spread applies only to a file"), dashes);
      /* offset and length choose what is read; private and writable are a mapping's */
      if (spec->flags & (PS_MAP_PRIVATE | PS_MAP_WRITABLE))
        return refuse (field, (spec->flags & PS_MAP_PRIVATE) ? PS_SPEC_FIELD_PRIVATE : PS_SPEC_FIELD_WRITABLE,
                       error, G_IO_ERROR_NOT_SUPPORTED,
                       _("%s%s does not apply to %spread: a file read with pread is not mapped, it can only be watched"),
                       dashes, (spec->flags & PS_MAP_PRIVATE) ? "private" : "writable", dashes);
      return TRUE;
    }
  if (spec->kind == PS_SOURCE_ANON)
    kind = "anon", why = _("an anonymous mapping is made shared and writable, whole");
  else if (spec->kind == PS_SOURCE_PROCESS)
    kind = "pid", why = _("a process view shows that process's mapping as it is: whole and read-only");
  else if (spec->kind == PS_SOURCE_SYSV && !spec->create)
    kind = spec->by_shmid ? "shmid" : "sysv", takes_writable = TRUE,
    why = _("a SysV segment is attached whole and shared (shmat has no MAP_PRIVATE, offset or length)");
  else if (spec->create)
    kind = spec->kind == PS_SOURCE_SYSV ? "sysv" : "posix",
    why = _("a new segment is mapped whole, shared and writable");
  if (kind == NULL)
    return TRUE;

  if (spec->flags & PS_MAP_PRIVATE)
    return refuse (field, PS_SPEC_FIELD_PRIVATE, error, G_IO_ERROR_NOT_SUPPORTED,
                   /* TRANSLATORS: "--length does not apply to --sysv: a SysV segment is..." (or without the dashes) */
                   _("%sprivate does not apply to %s%s: %s"), dashes, dashes, kind, why);
  if ((spec->flags & PS_MAP_WRITABLE) && !takes_writable && !spec->create)
    return refuse (field, PS_SPEC_FIELD_WRITABLE, error, G_IO_ERROR_NOT_SUPPORTED,
                   /* TRANSLATORS: "--length does not apply to --sysv: a SysV segment is..." (or without the dashes) */
                   _("%swritable does not apply to %s%s: %s"), dashes, dashes, kind, why);
  if (spec->offset != 0)
    return refuse (field, PS_SPEC_FIELD_OFFSET, error, G_IO_ERROR_NOT_SUPPORTED,
                   /* TRANSLATORS: "--length does not apply to --sysv: a SysV segment is..." (or without the dashes) */
                   _("%soffset does not apply to %s%s: %s"), dashes, dashes, kind, why);
  if (spec->length != 0)
    return refuse (field, PS_SPEC_FIELD_LENGTH, error, G_IO_ERROR_NOT_SUPPORTED,
                   /* TRANSLATORS: "--length does not apply to --sysv: a SysV segment is..." (or without the dashes) */
                   _("%slength does not apply to %s%s: %s"), dashes, dashes, kind, why);
  return TRUE;
}

static gboolean
check_spec (const PsSourceSpec  *spec,
            const char          *dashes,
            PsSpecField         *field,
            GError             **error)
{
  guint64 page = (guint64) sysconf (_SC_PAGESIZE);

  if (field != NULL)
    *field = PS_SPEC_FIELD_NONE;
  switch (spec->kind)
    {
    case PS_SOURCE_FILE:
      if (spec->path == NULL || *spec->path == '\0')
        return refuse (field, PS_SPEC_FIELD_OBJECT, error, G_IO_ERROR_INVALID_ARGUMENT, _("the path is empty: name a file to map"));
      break;
    case PS_SOURCE_POSIX:
      {
        g_autofree char *name = ps_posix_name_normalize (spec->name != NULL ? spec->name : "", error);

        if (name == NULL)
          {
            if (field != NULL)
              *field = PS_SPEC_FIELD_OBJECT;
            return FALSE;
          }
      }
      break;
    case PS_SOURCE_ANON:
      if (spec->size == 0)
        return refuse (field, PS_SPEC_FIELD_SIZE, error, G_IO_ERROR_INVALID_ARGUMENT, _("the size must not be zero"));
      break;
    case PS_SOURCE_SYSV:
      break;
    case PS_SOURCE_PROCESS:
      if (spec->pid <= 0)
        return refuse (field, PS_SPEC_FIELD_OBJECT, error, G_IO_ERROR_INVALID_ARGUMENT,
                       _("a process view needs the pid of the process to look into"));
      if (spec->path == NULL && spec->address == 0)
        return refuse (field, PS_SPEC_FIELD_OBJECT, error, G_IO_ERROR_INVALID_ARGUMENT,
                       _("a process view needs the mapping to show: %s"),
                       *dashes != '\0' ? "--map PATH, --map 0xADDRESS" : "map=PATH, map=0xADDRESS");
      if (spec->path != NULL && spec->path[0] == '\0')
        return refuse (field, PS_SPEC_FIELD_OBJECT, error, G_IO_ERROR_INVALID_ARGUMENT,
                       _("the path is empty: name the object that process maps"));
      if (spec->create)
        return refuse (field, PS_SPEC_FIELD_OBJECT, error, G_IO_ERROR_NOT_SUPPORTED,
                       _("a process view creates nothing: it shows a mapping that process has"));
      break;
    default:
      return refuse (field, PS_SPEC_FIELD_OBJECT, error, G_IO_ERROR_INVALID_ARGUMENT, _("unknown kind of source %d"), (int) spec->kind);
    }
  if (spec->create && spec->size == 0)
    return refuse (field, PS_SPEC_FIELD_SIZE, error, G_IO_ERROR_INVALID_ARGUMENT, _("the size must not be zero: a new segment needs one"));
  if (!check_mapping_options (spec, dashes, field, error))
    return FALSE;
  if (spec->offset % page != 0)
    return refuse (field, PS_SPEC_FIELD_OFFSET, error, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%soffset %" PRIu64 " (0x%" PRIx64 "): must be a multiple of the page size, %"
                     PRIu64 " (the nearest are %" PRIu64 " and %" PRIu64 ")"),
                   dashes, spec->offset, spec->offset, page, spec->offset / page * page, (spec->offset / page + 1) * page);
  return TRUE;
}

gboolean
ps_source_spec_check (const PsSourceSpec  *spec,
                      PsSpecField         *field,
                      GError             **error)
{
  g_return_val_if_fail (spec != NULL, FALSE);
  return check_spec (spec, "", field, error);
}

gboolean
ps_source_spec_check_options (const PsSourceSpec  *spec,
                              PsSpecField         *field,
                              GError             **error)
{
  g_return_val_if_fail (spec != NULL, FALSE);
  return check_spec (spec, "--", field, error);
}

gboolean
ps_source_spec_parse (const char   *text,
                      PsSourceSpec *spec,
                      GError      **error)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if (!parse_spec (text, spec, error))
    {
      g_prefix_error (error, "source \"%s\": ", text);
      return FALSE;
    }
  if (!ps_source_spec_check (spec, NULL, error))
    {
      ps_source_spec_clear (spec);
      g_prefix_error (error, "source \"%s\": ", text);
      return FALSE;
    }
  return TRUE;
}
