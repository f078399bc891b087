/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* A process that maps a segment now (from /proc/PID/maps). */
typedef struct
{
  pid_t pid;
  char *command;    /* /proc/PID/comm */
} PsMapper;

typedef struct
{
  key_t      key;
  int        shmid;
  uid_t      uid;
  gid_t      gid;
  uid_t      cuid;
  gid_t      cgid;
  guint      perms;     /* permission bits, 0777 */
  gboolean   dest;      /* marked for removal (IPC_RMID) but still attached */
  gboolean   locked;    /* SHM_LOCK: its pages are not swapped out */
  guint64    size;
  pid_t      cpid;
  pid_t      lpid;
  guint64    nattch;
  gint64     atime;
  gint64     dtime;
  gint64     ctime;
  guint64    rss;       /* bytes */
  guint64    swap;      /* bytes */
  char      *command;   /* the creator's command line (lsipc's COMMAND), NULL when it has exited */
  GArray    *mappers;   /* of PsMapper */
  gboolean   mappers_known;  /* mappers names every process: see ps_segments_find_mappers */
} PsSysvSegment;

typedef struct
{
  char      *name;      /* with its leading '/' */
  uid_t      uid;
  gid_t      gid;
  guint      perms;
  guint64    size;
  guint64    allocated; /* st_blocks * 512 */
  gint64     mtime;
  dev_t      dev;       /* with ino, what /proc/PID/maps names it by */
  ino_t      ino;
  GArray    *mappers;   /* of PsMapper */
  gboolean   mappers_known;
} PsPosixSegment;

void        ps_sysv_segment_free   (PsSysvSegment  *segment);
void        ps_posix_segment_free  (PsPosixSegment *segment);
/* "dest", "locked", "dest,locked" or "" (as lsipc's STATUS column says it). */
const char *ps_sysv_segment_status (const PsSysvSegment *segment);

/* GPtrArray of PsSysvSegment, from /proc/sysvipc/shm. Every segment's mappers
 * is an empty array, not known yet. */
GPtrArray  *ps_segments_list_sysv  (GError   **error);
/* GPtrArray of PsPosixSegment, from /dev/shm (sem.* entries are semaphores: skipped),
 * sorted by name. No /dev/shm is an empty list, not an error. */
GPtrArray  *ps_segments_list_posix (GError   **error);
/* The same from another file or directory (tests, other mounts). */
GPtrArray  *ps_segments_list_sysv_at  (const char *path,
                                       GError    **error);
GPtrArray  *ps_segments_list_posix_at (const char *directory,
                                       GError    **error);
/* What /proc says about each segment, in one walk of /proc/ * /maps: the
 * processes that map it (replacing what mappers held) and, for SysV, the
 * creator's command line. Either array may be NULL.
 * mappers_known is FALSE when /proc cannot tell: a process whose maps we may
 * not read (another user's, unless we are root) might map the segment. For
 * SysV, the attach count settles it: mappers is known once the attaches seen
 * account for nattch. SysV attaches of processes in another IPC namespace are
 * not ours and are ignored. */
void        ps_segments_find_mappers (GPtrArray *sysv,
                                      GPtrArray *posix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSysvSegment, ps_sysv_segment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsPosixSegment, ps_posix_segment_free)

G_END_DECLS
