/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A segment's life as the kernel tells it now: /proc/sysvipc/shm for a SysV
 * segment (every user may read it, also for segments it may not IPC_STAT),
 * fstat for a POSIX one, and one walk of /proc for the processes that map
 * it. The walk is what costs: the window reads this in a thread. */
#define G_LOG_DOMAIN "pagescope-lifecycle"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ps-event-log.h"
#include "ps-lifecycle.h"

void
ps_lifecycle_free (PsLifecycle *lifecycle)
{
  if (lifecycle == NULL)
    return;
  g_clear_pointer (&lifecycle->mappers, g_array_unref);
  g_free (lifecycle->name);
  g_free (lifecycle);
}

static GArray *
take_mappers (GArray **mappers)
{
  GArray *taken = NULL;

  if (mappers != NULL)
    taken = g_steal_pointer (mappers);
  return taken != NULL ? taken : g_array_new (FALSE, TRUE, sizeof (PsMapper));
}

static gboolean
read_sysv (PsLifecycle *life,
           GError     **error)
{
  g_autoptr(GPtrArray) all = ps_segments_list_sysv (error);
  g_autoptr(GPtrArray) ours = NULL;
  PsSysvSegment *segment = NULL;

  if (all == NULL)
    return FALSE;
  for (guint i = 0; i < all->len && segment == NULL; i++)
    if (((PsSysvSegment *) g_ptr_array_index (all, i))->shmid == life->shmid)
      segment = g_ptr_array_steal_index (all, i);
  if (segment == NULL)
    {
      /* gone: the last process detached after IPC_RMID */
      life->found = FALSE;
      life->mappers = take_mappers (NULL);
      life->mappers_known = TRUE;
      return TRUE;
    }
  ours = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_sysv_segment_free);
  g_ptr_array_add (ours, segment);
  ps_segments_find_mappers (ours, NULL);

  life->found = TRUE;
  life->removed = segment->dest;
  life->key = segment->key;
  life->n_attached = segment->nattch;
  life->cpid = segment->cpid;
  life->lpid = segment->lpid;
  life->perms = segment->perms;
  life->uid = segment->uid;
  life->gid = segment->gid;
  life->cuid = segment->cuid;
  life->cgid = segment->cgid;
  life->size = segment->size;
  life->atime = segment->atime;
  life->dtime = segment->dtime;
  life->ctime = segment->ctime;
  life->mappers = take_mappers (&segment->mappers);
  life->mappers_known = segment->mappers_known;
  return TRUE;
}

static gboolean
read_posix (PsLifecycle *life,
            int          fd,
            GError     **error)
{
  g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_posix_segment_free);
  PsPosixSegment *segment;
  struct stat st;

  if (fstat (fd, &st) != 0)
    return ps_call_fail (NULL, error, errno, "fstat(%d)", fd);
  life->found = TRUE;
  life->removed = st.st_nlink == 0;
  life->perms = st.st_mode & 0777;
  life->uid = life->cuid = st.st_uid;
  life->gid = life->cgid = st.st_gid;
  life->size = (guint64) st.st_size;
  life->atime = st.st_atime;
  life->mtime = st.st_mtime;
  life->ctime = st.st_ctime;

  /* by device and inode, as /proc/PID/maps names it: an unlinked segment
   * has no name in /dev/shm any more */
  segment = g_new0 (PsPosixSegment, 1);
  segment->name = g_strdup (life->name);
  segment->dev = st.st_dev;
  segment->ino = st.st_ino;
  g_ptr_array_add (ours, segment);
  ps_segments_find_mappers (NULL, ours);
  life->mappers = take_mappers (&segment->mappers);
  life->mappers_known = segment->mappers_known;
  life->n_attached = life->mappers->len;
  return TRUE;
}

PsLifecycle *
ps_lifecycle_read (PsSourceKind   kind,
                   int            shmid,
                   key_t          opened_key,
                   int            fd,
                   const char    *name,
                   GError       **error)
{
  g_autoptr(PsLifecycle) life = g_new0 (PsLifecycle, 1);

  g_return_val_if_fail (kind == PS_SOURCE_SYSV || kind == PS_SOURCE_POSIX, NULL);

  life->kind = kind;
  life->shmid = shmid;
  life->opened_key = opened_key;
  life->name = g_strdup (name);
  if (kind == PS_SOURCE_SYSV ? !read_sysv (life, error) : !read_posix (life, fd, error))
    return NULL;
  return g_steal_pointer (&life);
}

/* ---- in a thread ---- */

typedef struct
{
  PsSourceKind kind;
  int          shmid;
  key_t        key;
  int          fd;      /* our own duplicate: the source may close its own meanwhile */
  char        *name;
} ReadTask;

static void
read_task_free (ReadTask *task)
{
  if (task->fd >= 0)
    close (task->fd);
  g_free (task->name);
  g_free (task);
}

static void
read_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReadTask *t = task_data;
  GError *error = NULL;
  PsLifecycle *life = ps_lifecycle_read (t->kind, t->shmid, t->key, t->fd, t->name, &error);

  if (life == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, life, (GDestroyNotify) ps_lifecycle_free);
}

void
ps_lifecycle_read_async (PsSource           *source,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadTask *t;
  PsSourceKind kind;

  g_return_if_fail (PS_IS_SOURCE (source));

  task = g_task_new (source, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_lifecycle_read_async);
  g_task_set_name (task, "[pagescope] lifecycle");
  kind = ps_source_get_kind (source);
  if (kind != PS_SOURCE_SYSV && kind != PS_SOURCE_POSIX)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only SysV and POSIX segments have a lifecycle to show"));
      return;
    }
  t = g_new0 (ReadTask, 1);
  t->kind = kind;
  t->shmid = ps_source_get_shmid (source);
  t->key = ps_source_get_key (source);
  t->fd = kind == PS_SOURCE_POSIX ? fcntl (ps_source_get_fd (source), F_DUPFD_CLOEXEC, 0) : -1;
  t->name = g_strdup (ps_source_get_posix_name (source));
  g_task_set_task_data (task, t, (GDestroyNotify) read_task_free);
  if (kind == PS_SOURCE_POSIX && t->fd < 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errno), "fcntl(%d, F_DUPFD_CLOEXEC): %s",
                               ps_source_get_fd (source), g_strerror (errno));
      return;
    }
  g_task_run_in_thread (task, read_in_thread);
}

PsLifecycle *
ps_lifecycle_read_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- ftok ---- */

void
ps_ftok_split (key_t        key,
               PsFtokParts *parts)
{
  guint32 k = (guint32) key;

  parts->proj_id = k >> 24;
  parts->dev_low = (k >> 16) & 0xff;
  parts->ino_low = k & 0xffff;
}

key_t
ps_ftok_join (guint proj_id,
              dev_t dev,
              ino_t ino)
{
  return (key_t) (((guint32) (proj_id & 0xff) << 24) | ((guint32) (dev & 0xff) << 16) | ((guint32) ino & 0xffff));
}

/* Mount points whose device has these low 8 bits, from /proc/self/mountinfo
 * ("ID PARENT MAJOR:MINOR ROOT MOUNTPOINT ..."), a few at most. */
static char *
mounts_with_dev_low (guint dev_low)
{
  g_autofree char *info = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) found = g_string_new (NULL);
  guint n = 0, more = 0;

  if (!g_file_get_contents ("/proc/self/mountinfo", &info, NULL, NULL))
    return NULL;
  lines = g_strsplit (info, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", 6);
      guint major_, minor_;

      if (g_strv_length (f) < 5 || sscanf (f[2], "%u:%u", &major_, &minor_) != 2 ||
          (makedev (major_, minor_) & 0xff) != dev_low)
        continue;
      if (n == 3)
        {
          more++;
          continue;
        }
      g_string_append_printf (found, "%s%s (%u:%u)", n > 0 ? ", " : "", f[4], major_, minor_);
      n++;
    }
  if (more > 0)
    g_string_append_printf (found, g_dngettext (GETTEXT_PACKAGE, " and %u more", " and %u more", more), more);
  return n > 0 ? g_string_free (g_steal_pointer (&found), FALSE) : NULL;
}

char *
ps_ftok_explain (key_t key)
{
  g_autofree char *mounts = NULL;
  g_autofree char *proj = NULL;
  PsFtokParts p;

  if (key == 0)
    return g_strdup (_("IPC_PRIVATE (0): no ftok made it. A segment made with IPC_PRIVATE has key 0, and so has "
                       "any segment after IPC_RMID while it is still attached."));
  ps_ftok_split (key, &p);
  proj = g_ascii_isprint (p.proj_id) ? g_strdup_printf ("0x%02x '%c'", p.proj_id, p.proj_id)
                                     : g_strdup_printf ("0x%02x", p.proj_id);
  mounts = mounts_with_dev_low (p.dev_low);
  return g_strdup_printf (_("If ftok(path, id) made it: id %s in the top byte, 0x%02x the low 8 bits of the "
                            "file's device (the minor number; here: %s), 0x%04x the low 16 bits of its inode. "
                            "Nothing else of the path counts: another file whose inode ends in 0x%04x on such a "
                            "device gets the same key."),
                          proj, p.dev_low, mounts != NULL ? mounts : _("no mounted file system"),
                          p.ino_low, p.ino_low);
}
