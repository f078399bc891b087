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
  GArray    *mappers;   /* of PsMapper */
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
} PsPosixSegment;

void        ps_sysv_segment_free   (PsSysvSegment  *segment);
void        ps_posix_segment_free  (PsPosixSegment *segment);
/* "dest", "locked", "dest,locked" or "" (as the STATUS column and the JSON print it). */
const char *ps_sysv_segment_status (const PsSysvSegment *segment);

/* GPtrArray of PsSysvSegment, from /proc/sysvipc/shm. Every segment's mappers is an empty array. */
GPtrArray  *ps_segments_list_sysv  (GError   **error);
/* GPtrArray of PsPosixSegment, from /dev/shm (sem.* entries are semaphores: skipped),
 * sorted by name. No /dev/shm is an empty list, not an error. */
GPtrArray  *ps_segments_list_posix (GError   **error);
/* The same from another file or directory (tests, other mounts). */
GPtrArray  *ps_segments_list_sysv_at  (const char *path,
                                       GError    **error);
GPtrArray  *ps_segments_list_posix_at (const char *directory,
                                       GError    **error);
/* Fills the mappers of each segment from /proc/ * /maps, in one walk (replacing
 * what they held). Either array may be NULL. Processes whose maps we may not
 * read are not seen; SysV attaches of processes in another IPC namespace are
 * not ours and are ignored. */
void        ps_segments_find_mappers (GPtrArray *sysv,
                                      GPtrArray *posix);

/* The tables `pagescope --list` prints (like lsipc -m), and the JSON of --list --json.
 * A NULL array leaves its section out; an empty one says it is empty. */
char       *ps_segments_format_table (GPtrArray *sysv,
                                      GPtrArray *posix);
char       *ps_segments_format_json  (GPtrArray *sysv,
                                      GPtrArray *posix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSysvSegment, ps_sysv_segment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsPosixSegment, ps_posix_segment_free)

G_END_DECLS
