/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-mark"

#include "config.h"

#include <string.h>

#include "ps-mark.h"

/* distinct from the heat ramp and from each other, on light and dark */
const guint32 ps_mark_colors[PS_MARK_N_COLORS] = {
  0x3584e4ff,   /* blue */
  0x2ec27eff,   /* green */
  0xe5a50aff,   /* yellow */
  0xc061cbff,   /* purple */
  0x1c71d8ff,   /* dark blue */
  0x986a44ff,   /* brown */
};

struct _PsMark
{
  GObject  parent_instance;

  char    *name;
  guint64  offset;
  guint64  length;
  guint32  rgba;
};

G_DEFINE_FINAL_TYPE (PsMark, ps_mark, G_TYPE_OBJECT)

static void
ps_mark_finalize (GObject *object)
{
  g_free (PS_MARK (object)->name);
  G_OBJECT_CLASS (ps_mark_parent_class)->finalize (object);
}

static void
ps_mark_class_init (PsMarkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_mark_finalize;
}

static void
ps_mark_init (PsMark *self)
{
}

PsMark *
ps_mark_new (const char *name,
             guint64     offset,
             guint64     length,
             guint32     rgba)
{
  PsMark *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (PS_TYPE_MARK, NULL);
  self->name = g_strdup (name);
  self->offset = offset;
  self->length = length;
  self->rgba = rgba;
  return self;
}

const char *
ps_mark_get_name (PsMark *self)
{
  g_return_val_if_fail (PS_IS_MARK (self), NULL);
  return self->name;
}

guint64
ps_mark_get_offset (PsMark *self)
{
  g_return_val_if_fail (PS_IS_MARK (self), 0);
  return self->offset;
}

guint64
ps_mark_get_length (PsMark *self)
{
  g_return_val_if_fail (PS_IS_MARK (self), 0);
  return self->length;
}

guint32
ps_mark_get_rgba (PsMark *self)
{
  g_return_val_if_fail (PS_IS_MARK (self), 0);
  return self->rgba;
}

gboolean
ps_mark_name_is_valid (const char *name)
{
  gsize len = name != NULL ? strlen (name) : 0;

  /* it starts with a letter, so "go to" never takes it for an offset */
  if (len == 0 || len > 64 || !(g_ascii_isalpha (name[0]) || name[0] == '_') || name[len - 1] == ' ')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.' && *p != ' ')
      return FALSE;
  return TRUE;
}
