/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-watch"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ps-parse.h"
#include "ps-watch.h"

#define NAME_MAX_CHARS 64
#define MAX_SAMPLES    4096   /* a minute at a change every 15 ms */

/* ---- the spec ------------------------------------------------------------ */

static gboolean
name_ok (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > NAME_MAX_CHARS)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

gboolean
ps_watch_spec_parse (const char   *text,
                     PsWatchSpec  *spec,
                     GError      **error)
{
  const char *colon, *at;
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;

  g_return_val_if_fail (text != NULL && spec != NULL, FALSE);

  memset (spec, 0, sizeof *spec);
  colon = strchr (text, ':');
  at = colon != NULL ? strchr (colon, '@') : NULL;
  if (colon == NULL || at == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("watch \"%s\": expected NAME:TYPE@OFFSET, e.g. count:u64@0x40"), text);
      return FALSE;
    }
  name = g_strndup (text, colon - text);
  type = g_strndup (colon + 1, at - colon - 1);
  if (!name_ok (name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("watch \"%s\": a name is 1 to %d letters, digits, '_', '-' or '.'"), text, NAME_MAX_CHARS);
      return FALSE;
    }
  if (!ps_value_format_parse (type, &spec->format, error) ||
      !ps_parse_offset (at + 1, "offset", &spec->offset, error))
    {
      g_prefix_error (error, "watch \"%s\": ", text);
      return FALSE;
    }
  spec->name = g_steal_pointer (&name);
  return TRUE;
}

char *
ps_watch_spec_to_string (const PsWatchSpec *spec)
{
  g_autofree char *type = ps_value_format_to_string (&spec->format, FALSE);

  return g_strdup_printf ("%s:%s@0x%" G_GINT64_MODIFIER "x", spec->name, type, spec->offset);
}

void
ps_watch_spec_clear (PsWatchSpec *spec)
{
  g_clear_pointer (&spec->name, g_free);
}

/* ---- the watch ------------------------------------------------------------ */

struct _PsWatch
{
  GObject        parent_instance;

  PsWatchSpec    spec;
  guint8         bytes[8];
  gboolean       have_bytes;
  char          *value;
  char          *previous;
  guint64        changes;
  gint64         last_change_us;
  GArray        *history;   /* of PsWatchSample */
};

G_DEFINE_FINAL_TYPE (PsWatch, ps_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_VALUE,
  PROP_PREVIOUS,
  PROP_CHANGES,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
ps_watch_finalize (GObject *object)
{
  PsWatch *self = PS_WATCH (object);

  ps_watch_spec_clear (&self->spec);
  g_free (self->value);
  g_free (self->previous);
  g_array_unref (self->history);
  G_OBJECT_CLASS (ps_watch_parent_class)->finalize (object);
}

static void
ps_watch_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PsWatch *self = PS_WATCH (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->spec.name);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_PREVIOUS:
      g_value_set_string (value, self->previous);
      break;
    case PROP_CHANGES:
      g_value_set_uint64 (value, self->changes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_watch_class_init (PsWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ps_watch_finalize;
  object_class->get_property = ps_watch_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL, ro);
  properties[PROP_PREVIOUS] = g_param_spec_string ("previous", NULL, NULL, NULL, ro);
  properties[PROP_CHANGES] = g_param_spec_uint64 ("changes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
ps_watch_init (PsWatch *self)
{
  self->history = g_array_new (FALSE, FALSE, sizeof (PsWatchSample));
}

PsWatch *
ps_watch_new (const PsWatchSpec *spec)
{
  PsWatch *self;

  g_return_val_if_fail (spec != NULL && spec->name != NULL, NULL);

  self = g_object_new (PS_TYPE_WATCH, NULL);
  self->spec = *spec;
  self->spec.name = g_strdup (spec->name);
  return self;
}

const PsWatchSpec *
ps_watch_get_spec (PsWatch *self)
{
  g_return_val_if_fail (PS_IS_WATCH (self), NULL);
  return &self->spec;
}

const char *
ps_watch_get_name (PsWatch *self)
{
  g_return_val_if_fail (PS_IS_WATCH (self), NULL);
  return self->spec.name;
}

const char *
ps_watch_get_value (PsWatch *self)
{
  g_return_val_if_fail (PS_IS_WATCH (self), NULL);
  return self->value;
}

const char *
ps_watch_get_previous (PsWatch *self)
{
  g_return_val_if_fail (PS_IS_WATCH (self), NULL);
  return self->previous;
}

guint64
ps_watch_get_changes (PsWatch *self)
{
  g_return_val_if_fail (PS_IS_WATCH (self), 0);
  return self->changes;
}

gint64
ps_watch_get_last_change (PsWatch *self)
{
  g_return_val_if_fail (PS_IS_WATCH (self), 0);
  return self->last_change_us;
}

const PsWatchSample *
ps_watch_get_history (PsWatch *self,
                      guint   *n_samples)
{
  g_return_val_if_fail (PS_IS_WATCH (self), NULL);

  if (n_samples != NULL)
    *n_samples = self->history->len;
  return (const PsWatchSample *) (gpointer) self->history->data;
}

const guint8 *
ps_watch_get_bytes (PsWatch *self)
{
  g_return_val_if_fail (PS_IS_WATCH (self), NULL);
  return self->have_bytes ? self->bytes : NULL;
}

static void
add_sample (PsWatch *self,
            gint64   now_us,
            double   value)
{
  PsWatchSample sample = { now_us, value };
  guint drop = 0;

  g_array_append_val (self->history, sample);
  while (drop < self->history->len &&
         (now_us - g_array_index (self->history, PsWatchSample, drop).time_us > PS_WATCH_HISTORY_S * G_USEC_PER_SEC ||
          self->history->len - drop > MAX_SAMPLES))
    drop++;
  if (drop > 0)
    g_array_remove_range (self->history, 0, drop);
}

gboolean
ps_watch_update (PsWatch  *self,
                 PsSource *source,
                 gint64    now_us)
{
  gsize size;
  guint8 bytes[8], valid[2];
  g_autofree char *text = NULL;
  PsGeometry g;

  g_return_val_if_fail (PS_IS_WATCH (self), FALSE);
  g_return_val_if_fail (PS_IS_SOURCE (source), FALSE);

  size = ps_value_size (self->spec.format.type);
  if (!ps_source_restat (source, &g, NULL, NULL))
    g = *ps_source_get_geometry (source);
  /* past EOF (or past the mapping) there is no value: reading would SIGBUS */
  if (self->spec.offset + size > g.data_length ||
      !ps_source_peek (source, self->spec.offset, bytes, size, valid))
    text = g_strdup ("?");
  else
    text = ps_value_to_string (&self->spec.format, bytes);

  if (g_strcmp0 (text, self->value) == 0)
    return FALSE;
  self->have_bytes = !g_str_equal (text, "?");
  memcpy (self->bytes, bytes, size);
  g_free (self->previous);
  self->previous = g_steal_pointer (&self->value);
  self->value = g_steal_pointer (&text);
  if (self->have_bytes)
    add_sample (self, now_us, ps_value_to_double (&self->spec.format, bytes));
  /* the first reading is the baseline, not a change */
  if (self->previous != NULL)
    {
      self->changes++;
      self->last_change_us = now_us;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIOUS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGES]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
  if (self->previous != NULL)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0, self->previous, self->value);
  return TRUE;
}
