/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-segments"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ps-event-log.h"
#include "ps-segments.h"
#include "ps-segments-private.h"

#define SYSV_PATH  "/proc/sysvipc/shm"
#define POSIX_DIR  "/dev/shm"

/* ---- segments and mappers ----------------------------------------------- */

static void
mapper_clear (gpointer data)
{
  PsMapper *mapper = data;

  g_clear_pointer (&mapper->command, g_free);
}

static GArray *
mappers_new (void)
{
  GArray *mappers = g_array_new (FALSE, TRUE, sizeof (PsMapper));

  g_array_set_clear_func (mappers, mapper_clear);
  return mappers;
}

void
ps_sysv_segment_free (PsSysvSegment *segment)
{
  if (segment == NULL)
    return;
  g_clear_pointer (&segment->mappers, g_array_unref);
  g_free (segment->command);
  g_free (segment);
}

void
ps_posix_segment_free (PsPosixSegment *segment)
{
  if (segment == NULL)
    return;
  g_clear_pointer (&segment->mappers, g_array_unref);
  g_free (segment->name);
  g_free (segment);
}

const char *
ps_sysv_segment_status (const PsSysvSegment *segment)
{
  g_return_val_if_fail (segment != NULL, "");

  if (segment->dest && segment->locked)
    return "dest,locked";
  if (segment->dest)
    return "dest";
  if (segment->locked)
    return "locked";
  return "";
}

/* ---- reading a /proc file ------------------------------------------------ */

/* A /proc file reports size 0, so read until EOF. */
static char *
read_all (const char *path,
          GError    **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[8192];
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      ps_call_fail (NULL, error, errno, "open(\"%s\")", path);
      return NULL;
    }
  for (;;)
    {
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;

          close (fd);
          ps_call_fail (NULL, error, errsv, "read(\"%s\")", path);
          return NULL;
        }
      if (n == 0)
        break;
      g_string_append_len (text, buffer, n);
    }
  close (fd);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- the SysV list ------------------------------------------------------ */

static const char * const sysv_columns[] = {
  "key", "shmid", "perms", "size", "cpid", "lpid", "nattch", "uid", "gid",
  "cuid", "cgid", "atime", "dtime", "ctime", "rss", "swap",
};
/* rss and swap came later (Linux 2.6.33); the rest is always there. */
#define SYSV_MIN_COLUMNS 14

static gboolean
sysv_bad_line (GError    **error,
               const char *path,
               guint       line,
               const char *reason_format,
               ...) G_GNUC_PRINTF (4, 5);

static gboolean
sysv_bad_line (GError    **error,
               const char *path,
               guint       line,
               const char *reason_format,
               ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, reason_format);
  reason = g_strdup_vprintf (reason_format, args);
  va_end (args);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "\"%s\" line %u: %s", path, line, reason);
  return FALSE;
}

/* Column i as a number: key signed decimal, perms octal, the rest unsigned decimal. */
static gboolean
sysv_column (char       **fields,
             guint        i,
             gint64      *out,
             const char  *path,
             guint        line,
             GError     **error)
{
  const char *text = fields[i];
  guint base = i == 2 ? 8 : 10;
  char *end = NULL;

  errno = 0;
  if (i == 0)
    *out = g_ascii_strtoll (text, &end, base);
  else if (g_ascii_isdigit (text[0]))
    *out = (gint64) g_ascii_strtoull (text, &end, base);
  if (end == NULL || end == text || *end != '\0' || errno != 0)
    return sysv_bad_line (error, path, line, "column %s: \"%s\" is not a number", sysv_columns[i], text);
  return TRUE;
}

static PsSysvSegment *
sysv_parse_line (const char *text,
                 const char *path,
                 guint       line,
                 GError    **error)
{
  g_auto(GStrv) fields = g_strsplit_set (text, " \t", -1);
  g_autoptr(PsSysvSegment) segment = g_new0 (PsSysvSegment, 1);
  gint64 v[G_N_ELEMENTS (sysv_columns)] = { 0 };
  guint n = 0;

  /* g_strsplit_set leaves an empty field between two spaces: squeeze them */
  for (guint i = 0; fields[i] != NULL; i++)
    if (fields[i][0] != '\0')
      fields[n++] = fields[i];
    else
      g_free (fields[i]);
  fields[n] = NULL;

  if (n < SYSV_MIN_COLUMNS)
    {
      sysv_bad_line (error, path, line, "%u columns, expected at least %u", n, SYSV_MIN_COLUMNS);
      return NULL;
    }
  for (guint i = 0; i < MIN (n, G_N_ELEMENTS (sysv_columns)); i++)
    if (!sysv_column (fields, i, &v[i], path, line, error))
      return NULL;

  segment->key = (key_t) v[0];
  segment->shmid = (int) v[1];
  segment->perms = (guint) v[2] & 0777;
  segment->dest = (v[2] & SHM_DEST) != 0;
  segment->locked = (v[2] & SHM_LOCKED) != 0;
  segment->size = (guint64) v[3];
  segment->cpid = (pid_t) v[4];
  segment->lpid = (pid_t) v[5];
  segment->nattch = (guint64) v[6];
  segment->uid = (uid_t) v[7];
  segment->gid = (gid_t) v[8];
  segment->cuid = (uid_t) v[9];
  segment->cgid = (gid_t) v[10];
  segment->atime = v[11];
  segment->dtime = v[12];
  segment->ctime = v[13];
  segment->rss = (guint64) v[14];
  segment->swap = (guint64) v[15];
  segment->mappers = mappers_new ();
  return g_steal_pointer (&segment);
}

GPtrArray *
ps_segments_list_sysv_at (const char *path,
                          GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_sysv_segment_free);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  contents = read_all (path, error);
  if (contents == NULL)
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);
      PsSysvSegment *segment;

      if (line[0] == '\0' || (i == 0 && g_str_has_prefix (line, "key")))
        continue;
      segment = sysv_parse_line (line, path, i + 1, error);
      if (segment == NULL)
        return NULL;
      g_ptr_array_add (list, segment);
    }
  return g_steal_pointer (&list);
}

GPtrArray *
ps_segments_list_sysv (GError **error)
{
  return ps_segments_list_sysv_at (SYSV_PATH, error);
}

/* ---- the POSIX list ----------------------------------------------------- */

static PsPosixSegment *
posix_segment_new (const char        *name,
                   const struct stat *st)
{
  PsPosixSegment *segment = g_new0 (PsPosixSegment, 1);

  segment->name = g_strconcat ("/", name, NULL);
  segment->uid = st->st_uid;
  segment->gid = st->st_gid;
  segment->perms = st->st_mode & 07777;
  segment->size = (guint64) st->st_size;
  segment->allocated = (guint64) st->st_blocks * 512;
  segment->mtime = (gint64) st->st_mtime;
  segment->dev = st->st_dev;
  segment->ino = st->st_ino;
  segment->mappers = mappers_new ();
  return segment;
}

static int
posix_compare (gconstpointer a,
               gconstpointer b)
{
  const PsPosixSegment *sa = *(PsPosixSegment * const *) a;
  const PsPosixSegment *sb = *(PsPosixSegment * const *) b;

  return strcmp (sa->name, sb->name);
}

/* One directory entry: FALSE only on an error worth reporting. */
static gboolean
posix_add_entry (GPtrArray  *list,
                 const char *directory,
                 const char *name,
                 GError    **error)
{
  g_autofree char *path = NULL;
  struct stat st;

  /* sem_open names its semaphores "sem.NAME" here; they are not segments */
  if (g_str_has_prefix (name, "sem.") || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return TRUE;
  path = g_build_filename (directory, name, NULL);
  if (lstat (path, &st) != 0)
    {
      if (errno == ENOENT)  /* removed since readdir */
        return TRUE;
      return ps_call_fail (NULL, error, errno, "lstat(\"%s\")", path);
    }
  if (S_ISREG (st.st_mode))
    g_ptr_array_add (list, posix_segment_new (name, &st));
  return TRUE;
}

GPtrArray *
ps_segments_list_posix_at (const char *directory,
                           GError    **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_posix_segment_free);
  struct dirent *entry;
  DIR *dir;

  g_return_val_if_fail (directory != NULL, NULL);

  dir = opendir (directory);
  if (dir == NULL)
    {
      /* some systems have no /dev/shm: then there are no segments */
      if (errno == ENOENT)
        return g_steal_pointer (&list);
      ps_call_fail (NULL, error, errno, "opendir(\"%s\")", directory);
      return NULL;
    }
  for (errno = 0; (entry = readdir (dir)) != NULL; errno = 0)
    if (!posix_add_entry (list, directory, entry->d_name, error))
      {
        closedir (dir);
        return NULL;
      }
  if (errno != 0)
    {
      int errsv = errno;

      closedir (dir);
      ps_call_fail (NULL, error, errsv, "readdir(\"%s\")", directory);
      return NULL;
    }
  closedir (dir);
  g_ptr_array_sort (list, posix_compare);
  return g_steal_pointer (&list);
}

GPtrArray *
ps_segments_list_posix (GError **error)
{
  return ps_segments_list_posix_at (POSIX_DIR, error);
}

/* ---- who maps what ------------------------------------------------------ */

typedef struct
{
  guint64 dev;
  guint64 ino;
} FileId;

static guint
file_id_hash (gconstpointer key)
{
  const FileId *id = key;

  return (guint) (id->ino ^ (id->ino >> 32) ^ (id->dev * 31));
}

static gboolean
file_id_equal (gconstpointer a,
               gconstpointer b)
{
  const FileId *fa = a, *fb = b;

  return fa->dev == fb->dev && fa->ino == fb->ino;
}

typedef struct
{
  GHashTable *by_shmid;     /* shmid -> PsSysvSegment */
  GHashTable *by_file;      /* FileId -> PsPosixSegment */
  GHashTable *sysv_attaches;  /* PsSysvSegment -> attaches seen */
  char       *own_ipc_ns;   /* readlink /proc/self/ns/ipc */
  guint       unreadable;   /* processes whose maps we may not read */
} Walk;

/* The process being read: its comm and IPC namespace, looked up when needed. */
typedef struct
{
  pid_t     pid;
  char     *command;
  int       same_ipc_ns;    /* -1 unknown */
} Process;

static const char *
process_command (Process *process)
{
  if (process->command == NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/comm", (int) process->pid);

      /* a process that exits now still mapped the segment: keep it, nameless */
      if (!g_file_get_contents (path, &process->command, NULL, NULL))
        process->command = g_strdup ("");
      g_strchomp (process->command);
    }
  return process->command;
}

static gboolean
process_shares_ipc_ns (Process *process,
                       Walk    *walk)
{
  if (process->same_ipc_ns < 0)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/ns/ipc", (int) process->pid);
      g_autofree char *ns = g_file_read_link (path, NULL);

      /* when we cannot tell, count it as ours */
      process->same_ipc_ns = ns == NULL || walk->own_ipc_ns == NULL || strcmp (ns, walk->own_ipc_ns) == 0;
    }
  return process->same_ipc_ns;
}

static void
add_mapper (GArray  *mappers,
            Process *process)
{
  PsMapper mapper;

  /* a process maps a segment once per attach: name it once */
  if (mappers->len > 0 && g_array_index (mappers, PsMapper, mappers->len - 1).pid == process->pid)
    return;
  mapper.pid = process->pid;
  mapper.command = g_strdup (process_command (process));
  g_array_append_val (mappers, mapper);
}

/* "start-end perms offset major:minor inode   path": offset, dev, inode and path. */
static gboolean
parse_maps_line (const char  *line,
                 guint64     *offset,
                 FileId      *id,
                 const char **path)
{
  const char *p = line;
  char *end;
  guint64 major_, minor_;

  for (guint field = 0; field < 2; field++)
    {
      p = strchr (p, ' ');
      if (p == NULL)
        return FALSE;
      p++;
    }
  *offset = g_ascii_strtoull (p, &end, 16);
  if (*end != ' ')
    return FALSE;
  major_ = g_ascii_strtoull (end + 1, &end, 16);
  if (*end != ':')
    return FALSE;
  minor_ = g_ascii_strtoull (end + 1, &end, 16);
  if (*end != ' ')
    return FALSE;
  id->ino = g_ascii_strtoull (end + 1, &end, 10);
  if (id->ino == 0)
    return FALSE;
  id->dev = makedev (major_, minor_);
  while (*end == ' ')
    end++;
  *path = end;
  return TRUE;
}

/* "/SYSV" and the key as 8 hex digits; the key is the one the segment was
 * created with, still there after IPC_RMID (when /proc/sysvipc/shm says 0),
 * so only the inode, which is the shmid, tells which segment it is. */
static gboolean
is_sysv_path (const char *path)
{
  if (!g_str_has_prefix (path, "/SYSV"))
    return FALSE;
  for (guint i = 5; i < 13; i++)
    if (!g_ascii_isxdigit (path[i]))
      return FALSE;
  return path[13] == '\0' || path[13] == ' ' || path[13] == '\n';
}

static void
walk_sysv_line (Walk       *walk,
                Process    *process,
                int         shmid,
                guint64     offset)
{
  PsSysvSegment *segment = g_hash_table_lookup (walk->by_shmid, GINT_TO_POINTER (shmid));
  guint attaches;

  if (segment == NULL || !process_shares_ipc_ns (process, walk))
    return;
  add_mapper (segment->mappers, process);
  /* each shmat is one mapping from offset 0; mprotect may split it, and
   * only its first part starts at 0 */
  if (offset == 0)
    {
      attaches = GPOINTER_TO_UINT (g_hash_table_lookup (walk->sysv_attaches, segment));
      g_hash_table_insert (walk->sysv_attaches, segment, GUINT_TO_POINTER (attaches + 1));
    }
}

static void
walk_maps_line (Walk       *walk,
                Process    *process,
                const char *line)
{
  const char *path;
  PsPosixSegment *posix;
  guint64 offset;
  FileId id;

  if (!parse_maps_line (line, &offset, &id, &path) || path[0] != '/')
    return;
  if (walk->by_shmid != NULL && is_sysv_path (path) && id.ino <= G_MAXINT)
    walk_sysv_line (walk, process, (int) id.ino, offset);
  else if (walk->by_file != NULL && (posix = g_hash_table_lookup (walk->by_file, &id)) != NULL)
    add_mapper (posix->mappers, process);
}

static void
walk_process (Walk *walk,
              pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/maps", (int) pid);
  Process process = { pid, NULL, -1 };
  char *line = NULL;
  size_t size = 0;
  FILE *maps;

  /* another user's process (without root): it may map any segment it may
   * open, and we cannot tell which; one that is gone maps nothing */
  maps = fopen (path, "re");
  if (maps == NULL)
    {
      if (errno == EACCES || errno == EPERM)
        walk->unreadable++;
      return;
    }
  while (getline (&line, &size, maps) > 0)
    walk_maps_line (walk, &process, line);
  free (line);
  fclose (maps);
  g_free (process.command);
}

static void
walk_proc (Walk *walk)
{
  struct dirent *entry;
  DIR *proc = opendir ("/proc");

  if (proc == NULL)
    {
      walk->unreadable++;
      return;
    }
  while ((entry = readdir (proc)) != NULL)
    {
      char *end;
      guint64 pid = g_ascii_strtoull (entry->d_name, &end, 10);

      if (g_ascii_isdigit (entry->d_name[0]) && *end == '\0' && pid > 0 && pid <= G_MAXINT)
        walk_process (walk, (pid_t) pid);
    }
  closedir (proc);
}

static void
reset_mappers (GArray   **mappers,
               gboolean  *known)
{
  if (*mappers == NULL)
    *mappers = mappers_new ();
  else
    g_array_set_size (*mappers, 0);
  *known = FALSE;
}

/* ---- the creator's command line ------------------------------------------- */

/* When the process now holding pid started, in seconds since the epoch, or -1. */
static gint64
process_start_time (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_autofree char *system = NULL;
  const char *p, *btime;
  guint64 ticks;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || !g_file_get_contents ("/proc/stat", &system, NULL, NULL))
    return -1;
  /* the comm in parentheses may hold spaces: count fields after its ')'; starttime is field 22 */
  p = strrchr (stat, ')');
  for (guint field = 2; p != NULL && field < 22; field++)
    p = strchr (p + 1, ' ');
  btime = strstr (system, "\nbtime ");
  if (p == NULL || btime == NULL)
    return -1;
  ticks = g_ascii_strtoull (p + 1, NULL, 10);
  return g_ascii_strtoll (btime + strlen ("\nbtime "), NULL, 10) + (gint64) (ticks / (guint64) sysconf (_SC_CLK_TCK));
}

/* /proc/CPID/cmdline with its NULs as spaces, as lsipc prints it; NULL when
 * the creator has exited, or its pid now names a process that started after
 * the segment last changed (so cannot have made it). */
static char *
creator_command (const PsSysvSegment *segment)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", (int) segment->cpid);
  g_autofree char *cmdline = NULL;
  gint64 started;
  gsize length;

  if (segment->cpid <= 0 || !g_file_get_contents (path, &cmdline, &length, NULL) || length == 0)
    return NULL;
  started = process_start_time (segment->cpid);
  if (started < 0 || started > segment->ctime + 1)   /* btime and the tick count round */
    return NULL;
  for (gsize i = 0; i + 1 < length; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  return g_steal_pointer (&cmdline);
}

/* ---- one walk for both lists ------------------------------------------------ */

static void
walk_add_sysv (Walk      *walk,
               GPtrArray *sysv)
{
  walk->by_shmid = g_hash_table_new (NULL, NULL);
  walk->sysv_attaches = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < sysv->len; i++)
    {
      PsSysvSegment *segment = g_ptr_array_index (sysv, i);

      reset_mappers (&segment->mappers, &segment->mappers_known);
      g_clear_pointer (&segment->command, g_free);
      segment->command = creator_command (segment);
      g_hash_table_insert (walk->by_shmid, GINT_TO_POINTER (segment->shmid), segment);
    }
}

static void
walk_add_posix (Walk      *walk,
                GPtrArray *posix)
{
  walk->by_file = g_hash_table_new_full (file_id_hash, file_id_equal, g_free, NULL);
  for (guint i = 0; i < posix->len; i++)
    {
      PsPosixSegment *segment = g_ptr_array_index (posix, i);
      FileId *id = g_new (FileId, 1);

      id->dev = segment->dev;
      id->ino = segment->ino;
      reset_mappers (&segment->mappers, &segment->mappers_known);
      g_hash_table_insert (walk->by_file, id, segment);
    }
}

/* Every process was read, or (SysV) the attaches seen are all there are. */
static void
walk_settle (Walk      *walk,
             GPtrArray *sysv,
             GPtrArray *posix)
{
  for (guint i = 0; sysv != NULL && i < sysv->len; i++)
    {
      PsSysvSegment *segment = g_ptr_array_index (sysv, i);
      guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (walk->sysv_attaches, segment));

      segment->mappers_known = walk->unreadable == 0 || seen >= segment->nattch;
    }
  for (guint i = 0; posix != NULL && i < posix->len; i++)
    {
      PsPosixSegment *segment = g_ptr_array_index (posix, i);

      segment->mappers_known = walk->unreadable == 0;
    }
}

void
ps_segments_find_mappers (GPtrArray *sysv,
                          GPtrArray *posix)
{
  Walk walk = { NULL, NULL, NULL, NULL, 0 };

  if (sysv != NULL && sysv->len == 0)
    sysv = NULL;
  if (posix != NULL && posix->len == 0)
    posix = NULL;
  if (sysv == NULL && posix == NULL)
    return;
  if (sysv != NULL)
    walk_add_sysv (&walk, sysv);
  if (posix != NULL)
    walk_add_posix (&walk, posix);

  walk.own_ipc_ns = g_file_read_link ("/proc/self/ns/ipc", NULL);
  walk_proc (&walk);
  walk_settle (&walk, sysv, posix);
  g_clear_pointer (&walk.by_shmid, g_hash_table_unref);
  g_clear_pointer (&walk.by_file, g_hash_table_unref);
  g_clear_pointer (&walk.sysv_attaches, g_hash_table_unref);
  g_free (walk.own_ipc_ns);
}

/* ---- for tests and fuzzers (ps-segments-private.h) ---------------------- */

PsSysvSegment *
ps_segments_parse_sysv_line (const char  *line,
                             GError     **error)
{
  return sysv_parse_line (line, SYSV_PATH, 1, error);
}

gboolean
ps_segments_parse_maps_line (const char  *line,
                             guint64     *offset,
                             guint64     *dev,
                             guint64     *ino,
                             const char **path,
                             gboolean    *sysv)
{
  FileId id;

  if (!parse_maps_line (line, offset, &id, path))
    return FALSE;
  *dev = id.dev;
  *ino = id.ino;
  *sysv = is_sysv_path (*path);
  return TRUE;
}
