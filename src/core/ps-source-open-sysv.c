/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Attaching to a SysV segment by key or shmid, or creating one. */
#define G_LOG_DOMAIN "pagescope-source"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/shm.h>

#include "ps-parse.h"
#include "ps-source-private.h"

static gboolean
shm_stat (PsSource        *self,
          struct shmid_ds *ds,
          GError         **error)
{
  if (shmctl (self->shmid, IPC_STAT, ds) != 0)
    return ps_call_fail (self->log, error, errno, "shmctl(shmid=%d, IPC_STAT)", self->shmid);
  return TRUE;
}

PsSource *
ps_source_attach_shmid (int          shmid,
                        PsMapFlags   flags,
                        PsEventLog  *log,
                        GError     **error)
{
  g_autoptr(PsSource) self = ps_source_alloc (PS_SOURCE_SYSV, flags, log);
  gboolean writable = (flags & PS_MAP_WRITABLE) != 0;
  struct shmid_ds ds;
  void *addr;

  self->shmid = shmid;
  self->shmem = TRUE;
  self->residency = PS_RESIDENCY_MINCORE;

  if (flags & PS_MAP_PRIVATE)
    {
      g_autofree char *call = g_strdup_printf ("shmat(shmid=%d)", shmid);
      ps_call_refuse (log, error, G_IO_ERROR_NOT_SUPPORTED, call,
                      _("a SysV segment cannot be mapped private (shmat has no MAP_PRIVATE)"));
      return NULL;
    }

  if (!shm_stat (self, &ds, error))
    return NULL;
  ps_event_log_add (log, FALSE, "shmctl(shmid=%d, IPC_STAT) = 0 (key 0x%08x, size %zu, mode 0%o, nattch %lu%s)",
                    shmid, (guint32) ds.shm_perm.__key, ds.shm_segsz, ds.shm_perm.mode & 0777,
                    (unsigned long) ds.shm_nattch, (ds.shm_perm.mode & SHM_DEST) ? ", marked for removal" : "");
  self->key = ds.shm_perm.__key;

  if (!ps_source_reserve_range (self, ds.shm_segsz, error))
    return NULL;

  addr = shmat (shmid, self->reserve, SHM_REMAP | (writable ? 0 : SHM_RDONLY));
  if (addr == (void *) -1)
    {
      ps_call_fail (log, error, errno, "shmat(shmid=%d, %p, %s)", shmid, self->reserve,
                    writable ? "SHM_REMAP" : "SHM_RDONLY|SHM_REMAP");
      ps_source_release_range (self);
      return NULL;
    }
  ps_event_log_add (log, FALSE, "shmat(shmid=%d, %p, %s) = %p", shmid, self->reserve,
                    writable ? "SHM_REMAP" : "SHM_RDONLY|SHM_REMAP", addr);
  self->data = addr;
  ps_geometry_init (&self->geometry, ds.shm_segsz, 0, ds.shm_segsz, page_size ());
  self->display_name = g_strdup_printf (_("SysV key 0x%08x, shmid %d"), (guint32) self->key, shmid);
  return g_steal_pointer (&self);
}

PsSource *
ps_source_attach_sysv (key_t        key,
                       PsMapFlags   flags,
                       PsEventLog  *log,
                       GError     **error)
{
  int shmid;

  if (key == IPC_PRIVATE)
    {
      ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, "shmget(key=IPC_PRIVATE, 0, 0)",
                      _("key 0 (IPC_PRIVATE) names no segment; attach by shmid instead"));
      return NULL;
    }

  shmid = shmget (key, 0, 0);
  if (shmid < 0)
    {
      ps_call_fail (log, error, errno, "shmget(key=0x%08x, 0, 0)", (guint32) key);
      return NULL;
    }
  ps_event_log_add (log, FALSE, "shmget(key=0x%08x, 0, 0) = %d", (guint32) key, shmid);
  return ps_source_attach_shmid (shmid, flags, log, error);
}

PsSource *
ps_source_create_sysv (key_t        key,
                       guint64      size,
                       guint        mode,
                       PsEventLog  *log,
                       GError     **error)
{
  g_autofree char *call = NULL;
  PsSource *self;
  int shmid;

  if (mode == 0)
    mode = 0600;
  call = g_strdup_printf ("shmget(key=0x%08x, %" G_GUINT64_FORMAT ", IPC_CREAT|IPC_EXCL|0%o)",
                          (guint32) key, size, mode);
  if (size == 0)
    {
      ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call, _("the size must not be zero"));
      return NULL;
    }
  if (mode > 0777)
    {
      ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call, _("the mode may hold only permission bits (0777)"));
      return NULL;
    }

  shmid = shmget (key, size, IPC_CREAT | IPC_EXCL | mode);
  if (shmid < 0)
    {
      ps_call_fail (log, error, errno, "%s", call);
      return NULL;
    }
  ps_event_log_add (log, FALSE, "%s = %d", call, shmid);

  self = ps_source_attach_shmid (shmid, PS_MAP_WRITABLE, log, error);
  if (self == NULL)
    {
      /* leave nothing behind */
      if (shmctl (shmid, IPC_RMID, NULL) == 0)
        ps_event_log_add (log, FALSE, "shmctl(shmid=%d, IPC_RMID) = 0", shmid);
      return NULL;
    }
  self->created = TRUE;
  return self;
}
