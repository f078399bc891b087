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
  GArray    *mappers;   /* of PsMapper */
} PsPosixSegment;

void        ps_sysv_segment_free   (PsSysvSegment  *segment);
void        ps_posix_segment_free  (PsPosixSegment *segment);

/* GPtrArray of PsSysvSegment, from /proc/sysvipc/shm. */
GPtrArray  *ps_segments_list_sysv  (GError   **error);
/* GPtrArray of PsPosixSegment, from /dev/shm (sem.* entries are semaphores: skipped). */
GPtrArray  *ps_segments_list_posix (GError   **error);
/* Fills the mappers of each segment from /proc/ * /maps, in one walk. Either array may be NULL. */
void        ps_segments_find_mappers (GPtrArray *sysv,
                                      GPtrArray *posix);

/* The tables `pagescope --list` prints (like lsipc -m), and the JSON of --list --json. */
char       *ps_segments_format_table (GPtrArray *sysv,
                                      GPtrArray *posix);
char       *ps_segments_format_json  (GPtrArray *sysv,
                                      GPtrArray *posix);

G_END_DECLS
