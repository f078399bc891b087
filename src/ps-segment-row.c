/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A row of the open dialog's segment tables (ps-segment-table.c): a SysV or
 * POSIX segment as listed by ps-segments, with its owner's name. */
#define G_LOG_DOMAIN "pagescope-segment-table"

#include "config.h"

#include "ps-mappers.h"
#include "ps-segment-row.h"

struct _PsSegmentRow
{
  GObject         parent_instance;

  char           *id;      /* shmid or name: the row's identity across refreshes */
  char           *owner;   /* user name, or the uid as a number */
  PsSysvSegment  *sysv;    /* one of these two */
  PsPosixSegment *posix;
  char           *mapped_by;  /* who maps it, as shown */
  gboolean        display;    /* the display server's own (ps_mappers_*_is_display) */
};

G_DEFINE_FINAL_TYPE (PsSegmentRow, ps_segment_row, G_TYPE_OBJECT)

static void
ps_segment_row_finalize (GObject *object)
{
  PsSegmentRow *self = PS_SEGMENT_ROW (object);

  g_free (self->id);
  g_free (self->owner);
  g_free (self->mapped_by);
  g_clear_pointer (&self->sysv, ps_sysv_segment_free);
  g_clear_pointer (&self->posix, ps_posix_segment_free);
  G_OBJECT_CLASS (ps_segment_row_parent_class)->finalize (object);
}

static void
ps_segment_row_class_init (PsSegmentRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_segment_row_finalize;
}

static void
ps_segment_row_init (PsSegmentRow *self)
{
}

PsSegmentRow *
ps_segment_row_new_sysv (PsSysvSegment *segment,
                         const char    *owner)
{
  PsSegmentRow *self = g_object_new (PS_TYPE_SEGMENT_ROW, NULL);

  self->sysv = segment;
  self->id = g_strdup_printf ("%d", segment->shmid);
  self->owner = g_strdup (owner);
  self->mapped_by = ps_mappers_describe (segment->mappers, segment->mappers_known, 3);
  self->display = ps_mappers_sysv_is_display (segment);
  return self;
}

PsSegmentRow *
ps_segment_row_new_posix (PsPosixSegment *segment,
                          const char     *owner)
{
  PsSegmentRow *self = g_object_new (PS_TYPE_SEGMENT_ROW, NULL);

  self->posix = segment;
  self->id = g_strdup (segment->name);
  self->owner = g_strdup (owner);
  self->mapped_by = ps_mappers_describe (segment->mappers, segment->mappers_known, 3);
  self->display = ps_mappers_posix_is_display (segment);
  return self;
}

const char *
ps_segment_row_get_id (PsSegmentRow *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_ROW (self), NULL);
  return self->id;
}

const char *
ps_segment_row_get_owner (PsSegmentRow *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_ROW (self), NULL);
  return self->owner;
}

const PsSysvSegment *
ps_segment_row_get_sysv (PsSegmentRow *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_ROW (self), NULL);
  return self->sysv;
}

const PsPosixSegment *
ps_segment_row_get_posix (PsSegmentRow *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_ROW (self), NULL);
  return self->posix;
}

const char *
ps_segment_row_get_mapped_by (PsSegmentRow *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_ROW (self), NULL);
  return self->mapped_by;
}

gboolean
ps_segment_row_is_display (PsSegmentRow *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_ROW (self), FALSE);
  return self->display;
}

gboolean
ps_segment_row_same (PsSegmentRow *a,
                     PsSegmentRow *b)
{
  if (g_strcmp0 (a->mapped_by, b->mapped_by) != 0 || a->display != b->display)
    return FALSE;
  if (a->sysv != NULL && b->sysv != NULL)
    return a->sysv->key == b->sysv->key && a->sysv->shmid == b->sysv->shmid &&
           a->sysv->uid == b->sysv->uid && a->sysv->perms == b->sysv->perms &&
           a->sysv->dest == b->sysv->dest && a->sysv->locked == b->sysv->locked &&
           a->sysv->size == b->sysv->size &&
           a->sysv->cpid == b->sysv->cpid && a->sysv->nattch == b->sysv->nattch;
  if (a->posix != NULL && b->posix != NULL)
    return g_strcmp0 (a->posix->name, b->posix->name) == 0 && a->posix->uid == b->posix->uid &&
           a->posix->perms == b->posix->perms && a->posix->size == b->posix->size &&
           a->posix->allocated == b->posix->allocated && a->posix->mtime == b->posix->mtime;
  return FALSE;
}
