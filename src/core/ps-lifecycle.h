/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

#include "ps-segments.h"
#include "ps-source.h"

G_BEGIN_DECLS

/* Where a SysV or POSIX segment is in its life, read now: who has it
 * attached, its permissions, owner and times, and whether it was removed
 * (IPC_RMID, shm_unlink) while still attached. */
typedef struct
{
  PsSourceKind kind;          /* PS_SOURCE_SYSV or PS_SOURCE_POSIX */
  gboolean     found;         /* SysV: /proc/sysvipc/shm still lists it */
  gboolean     removed;       /* SysV SHM_DEST; POSIX: unlinked (st_nlink 0) */

  /* SysV */
  int          shmid;
  key_t        key;           /* as the kernel says now: 0 (IPC_PRIVATE) after IPC_RMID */
  key_t        opened_key;    /* the key it was opened by (0 if by shmid of a private one) */
  guint64      n_attached;    /* shm_nattch */
  pid_t        cpid;
  pid_t        lpid;          /* the last shmat or shmdt */
  gint64       dtime;         /* last detach, 0 never */

  /* POSIX */
  char        *name;          /* with its leading '/' */

  /* both: atime is the last shmat (SysV) or read (POSIX), ctime the last
   * change of the segment's status, mtime (POSIX) of its bytes */
  guint        perms;         /* 0777 */
  uid_t        uid;
  gid_t        gid;
  uid_t        cuid;          /* SysV: the creator's; POSIX: the owner's */
  gid_t        cgid;
  guint64      size;
  gint64       atime;
  gint64       ctime;
  gint64       mtime;

  GArray      *mappers;       /* of PsMapper: the processes that map it now */
  gboolean     mappers_known; /* see ps_segments_find_mappers */
} PsLifecycle;

void         ps_lifecycle_free       (PsLifecycle *lifecycle);

/* Reads it now; walks /proc (every process's maps), so it takes a while on
 * a busy machine: call it off the main loop. kind SYSV: shmid, and the key
 * it was opened by; kind POSIX: fd, an open descriptor of the segment
 * (borrowed), and its name. */
PsLifecycle *ps_lifecycle_read       (PsSourceKind   kind,
                                      int            shmid,
                                      key_t          opened_key,
                                      int            fd,
                                      const char    *name,
                                      GError       **error);

/* The same for source, in a thread; the callback runs in the thread-default
 * main context of the caller. A source of another kind is refused
 * (G_IO_ERROR_NOT_SUPPORTED). */
void         ps_lifecycle_read_async  (PsSource           *source,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
PsLifecycle *ps_lifecycle_read_finish (GAsyncResult       *result,
                                       GError            **error);

/* ---- ftok keys ---- */

/* What ftok(path, proj_id) puts in a key (glibc): proj_id's low 8 bits in
 * bits 24-31, the low 8 bits of the file's st_dev (of its device's minor
 * number) in bits 16-23, the low 16 bits of its inode in bits 0-15. */
typedef struct
{
  guint proj_id;
  guint dev_low;
  guint ino_low;
} PsFtokParts;

void         ps_ftok_split           (key_t        key,
                                      PsFtokParts *parts);
/* The key as ftok would make it from a file's st_dev and st_ino. */
key_t        ps_ftok_join            (guint        proj_id,
                                      dev_t        dev,
                                      ino_t        ino);
/* The parts, and what they mean, in a sentence (translated); names the
 * mounted file systems whose device the key could come from. For
 * IPC_PRIVATE (0), says that no ftok made it. */
char        *ps_ftok_explain         (key_t        key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLifecycle, ps_lifecycle_free)

G_END_DECLS
