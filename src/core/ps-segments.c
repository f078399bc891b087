/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ps-event-log.h"
#include "ps-parse.h"
#include "ps-segments.h"

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
  GHashTable *by_shmid;     /* shmid -> GArray of mappers */
  GHashTable *by_file;      /* FileId -> GArray of mappers */
  char       *own_ipc_ns;   /* readlink /proc/self/ns/ipc */
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

/* "start-end perms offset major:minor inode   path": dev, inode and path. */
static gboolean
parse_maps_line (const char *line,
                 FileId     *id,
                 const char **path)
{
  const char *p = line;
  char *end;
  guint64 major_, minor_;

  for (guint field = 0; field < 3; field++)
    {
      p = strchr (p, ' ');
      if (p == NULL)
        return FALSE;
      p++;
    }
  major_ = g_ascii_strtoull (p, &end, 16);
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
walk_maps_line (Walk       *walk,
                Process    *process,
                const char *line)
{
  const char *path;
  GArray *mappers;
  FileId id;

  if (!parse_maps_line (line, &id, &path) || path[0] != '/')
    return;
  if (walk->by_shmid != NULL && is_sysv_path (path) && id.ino <= G_MAXINT)
    {
      mappers = g_hash_table_lookup (walk->by_shmid, GINT_TO_POINTER ((int) id.ino));
      if (mappers != NULL && process_shares_ipc_ns (process, walk))
        add_mapper (mappers, process);
      return;
    }
  if (walk->by_file != NULL && (mappers = g_hash_table_lookup (walk->by_file, &id)) != NULL)
    add_mapper (mappers, process);
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

  /* gone, or not ours to read: not seen */
  maps = fopen (path, "re");
  if (maps == NULL)
    return;
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
    return;
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
reset_mappers (GArray **mappers)
{
  if (*mappers == NULL)
    *mappers = mappers_new ();
  else
    g_array_set_size (*mappers, 0);
}

void
ps_segments_find_mappers (GPtrArray *sysv,
                          GPtrArray *posix)
{
  Walk walk = { NULL, NULL, NULL };

  if (sysv != NULL && sysv->len > 0)
    {
      walk.by_shmid = g_hash_table_new (NULL, NULL);
      for (guint i = 0; i < sysv->len; i++)
        {
          PsSysvSegment *segment = g_ptr_array_index (sysv, i);

          reset_mappers (&segment->mappers);
          g_hash_table_insert (walk.by_shmid, GINT_TO_POINTER (segment->shmid), segment->mappers);
        }
    }
  if (posix != NULL && posix->len > 0)
    {
      walk.by_file = g_hash_table_new_full (file_id_hash, file_id_equal, g_free, NULL);
      for (guint i = 0; i < posix->len; i++)
        {
          PsPosixSegment *segment = g_ptr_array_index (posix, i);
          FileId *id = g_new (FileId, 1);

          id->dev = segment->dev;
          id->ino = segment->ino;
          reset_mappers (&segment->mappers);
          g_hash_table_insert (walk.by_file, id, segment->mappers);
        }
    }
  if (walk.by_shmid == NULL && walk.by_file == NULL)
    return;

  walk.own_ipc_ns = g_file_read_link ("/proc/self/ns/ipc", NULL);
  walk_proc (&walk);
  g_clear_pointer (&walk.by_shmid, g_hash_table_unref);
  g_clear_pointer (&walk.by_file, g_hash_table_unref);
  g_free (walk.own_ipc_ns);
}

/* ---- owners -------------------------------------------------------------- */

/* The user name, or the uid in decimal when there is none; cached per call. */
static const char *
owner_name (GHashTable *cache,
            uid_t       uid)
{
  char *name = g_hash_table_lookup (cache, GUINT_TO_POINTER (uid));
  gsize size = 1024;

  if (name != NULL)
    return name;
  for (;;)
    {
      g_autofree char *buffer = g_malloc (size);
      struct passwd pwd, *result = NULL;
      int r = getpwuid_r (uid, &pwd, buffer, size, &result);

      if (r == ERANGE && size < 1024 * 1024)
        {
          size *= 4;
          continue;
        }
      name = result != NULL ? g_strdup (pwd.pw_name) : g_strdup_printf ("%u", (guint) uid);
      break;
    }
  g_hash_table_insert (cache, GUINT_TO_POINTER (uid), name);
  return name;
}

/* ---- the table ----------------------------------------------------------- */

/* Terminal columns a valid UTF-8 string takes. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

typedef struct
{
  guint       n_columns;
  guint64     right_aligned;  /* bit i: column i is a number */
  GPtrArray  *rows;           /* of GStrv, the first is the heading */
} Table;

static void
table_add_row (Table *table,
               ...)
{
  GStrv row = g_new0 (char *, table->n_columns + 1);
  va_list args;

  va_start (args, table);
  for (guint i = 0; i < table->n_columns; i++)
    row[i] = ps_text_for_display (va_arg (args, const char *));
  va_end (args);
  g_ptr_array_add (table->rows, row);
}

static void
table_render (Table   *table,
              GString *out)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);

      for (guint i = 0; i < table->n_columns; i++)
        widths[i] = MAX (widths[i], display_width (row[i]));
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);
      gsize line_start = out->len;

      for (guint i = 0; i < table->n_columns; i++)
        {
          guint pad = widths[i] - display_width (row[i]);
          gboolean right = r > 0 && (table->right_aligned & (G_GUINT64_CONSTANT (1) << i));

          if (i > 0)
            g_string_append (out, "  ");
          if (right)
            g_string_append_printf (out, "%*s", pad, "");
          g_string_append (out, row[i]);
          if (!right)
            g_string_append_printf (out, "%*s", pad, "");
        }
      /* no padding after the last column */
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
}

static void
table_init (Table *table,
            guint  n_columns)
{
  table->n_columns = n_columns;
  table->right_aligned = 0;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
}

static void
table_clear (Table *table)
{
  g_clear_pointer (&table->rows, g_ptr_array_unref);
}

static char *
mappers_text (GArray *mappers)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; mappers != NULL && i < mappers->len; i++)
    {
      PsMapper *mapper = &g_array_index (mappers, PsMapper, i);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%d", (int) mapper->pid);
      if (mapper->command != NULL && mapper->command[0] != '\0')
        g_string_append_printf (text, "/%s", mapper->command);
    }
  if (text->len == 0)
    g_string_append (text, "-");
  return g_string_free (text, FALSE);
}

static char *
size_text (guint64 bytes)
{
  g_autofree char *human = ps_format_size (bytes);

  return g_strdup_printf ("%" G_GUINT64_FORMAT " (%s)", bytes, human);
}

static char *
time_text (gint64 seconds)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (seconds);

  if (when == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, seconds);
  return g_date_time_format (when, "%Y-%m-%d %H:%M:%S");
}

static void
format_sysv_table (GPtrArray  *sysv,
                   GHashTable *owners,
                   GString    *out)
{
  Table table;

  g_string_append (out, "SysV shared memory segments");
  if (sysv->len == 0)
    {
      g_string_append (out, ": none\n");
      return;
    }
  g_string_append (out, "\n");
  table_init (&table, 10);
  table.right_aligned = 1 << 1 | 1 << 5 | 1 << 6 | 1 << 7;
  table_add_row (&table, "KEY", "SHMID", "OWNER", "PERMS", "SIZE", "NATTCH", "CPID", "LPID", "STATUS", "MAPPED BY");
  for (guint i = 0; i < sysv->len; i++)
    {
      PsSysvSegment *s = g_ptr_array_index (sysv, i);
      g_autofree char *key = g_strdup_printf ("0x%08x", (guint32) s->key);
      g_autofree char *shmid = g_strdup_printf ("%d", s->shmid);
      g_autofree char *perms = g_strdup_printf ("%04o", s->perms);
      g_autofree char *size = size_text (s->size);
      g_autofree char *nattch = g_strdup_printf ("%" G_GUINT64_FORMAT, s->nattch);
      g_autofree char *cpid = g_strdup_printf ("%d", (int) s->cpid);
      g_autofree char *lpid = g_strdup_printf ("%d", (int) s->lpid);
      g_autofree char *mappers = mappers_text (s->mappers);

      table_add_row (&table, key, shmid, owner_name (owners, s->uid), perms, size, nattch, cpid, lpid,
                     ps_sysv_segment_status (s), mappers);
    }
  table_render (&table, out);
  table_clear (&table);
}

static void
format_posix_table (GPtrArray  *posix,
                    GHashTable *owners,
                    GString    *out)
{
  Table table;

  g_string_append (out, "POSIX shared memory segments");
  if (posix->len == 0)
    {
      g_string_append (out, ": none\n");
      return;
    }
  g_string_append (out, "\n");
  table_init (&table, 7);
  table_add_row (&table, "NAME", "OWNER", "PERMS", "SIZE", "ALLOCATED", "MTIME", "MAPPED BY");
  for (guint i = 0; i < posix->len; i++)
    {
      PsPosixSegment *s = g_ptr_array_index (posix, i);
      g_autofree char *perms = g_strdup_printf ("%04o", s->perms);
      g_autofree char *size = size_text (s->size);
      g_autofree char *allocated = size_text (s->allocated);
      g_autofree char *mtime = time_text (s->mtime);
      g_autofree char *mappers = mappers_text (s->mappers);

      table_add_row (&table, s->name, owner_name (owners, s->uid), perms, size, allocated, mtime, mappers);
    }
  table_render (&table, out);
  table_clear (&table);
}

char *
ps_segments_format_table (GPtrArray *sysv,
                          GPtrArray *posix)
{
  g_autoptr(GHashTable) owners = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  GString *out = g_string_new (NULL);

  if (sysv != NULL)
    format_sysv_table (sysv, owners, out);
  if (sysv != NULL && posix != NULL)
    g_string_append_c (out, '\n');
  if (posix != NULL)
    format_posix_table (posix, owners, out);
  return g_string_free (out, FALSE);
}

/* ---- JSON ---------------------------------------------------------------- */

/* A JSON string: invalid UTF-8 becomes U+FFFD (JSON has no bytes), quotes,
 * backslashes and control characters are escaped. */
static void
json_string (GString    *out,
             const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
json_key_string (GString    *out,
                 const char *key,
                 const char *value)
{
  g_string_append_printf (out, "\"%s\": ", key);
  json_string (out, value);
  g_string_append (out, ", ");
}

static void
json_key_int (GString    *out,
              const char *key,
              gint64      value)
{
  g_string_append_printf (out, "\"%s\": %" G_GINT64_FORMAT ", ", key, value);
}

static void
json_key_uint (GString    *out,
               const char *key,
               guint64     value)
{
  g_string_append_printf (out, "\"%s\": %" G_GUINT64_FORMAT ", ", key, value);
}

static void
json_mappers (GString *out,
              GArray  *mappers)
{
  g_string_append (out, "\"mappers\": [");
  for (guint i = 0; mappers != NULL && i < mappers->len; i++)
    {
      PsMapper *mapper = &g_array_index (mappers, PsMapper, i);

      g_string_append_printf (out, "%s{\"pid\": %d, \"command\": ", i > 0 ? ", " : "", (int) mapper->pid);
      json_string (out, mapper->command);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
}

static void
json_sysv (GString    *out,
           gpointer    item,
           GHashTable *owners)
{
  PsSysvSegment *s = item;
  g_autofree char *key_hex = g_strdup_printf ("0x%08x", (guint32) s->key);
  g_autofree char *perms = g_strdup_printf ("%04o", s->perms);

  g_string_append_c (out, '{');
  json_key_int (out, "key", s->key);
  json_key_string (out, "key_hex", key_hex);
  json_key_int (out, "shmid", s->shmid);
  json_key_string (out, "owner", owner_name (owners, s->uid));
  json_key_uint (out, "uid", s->uid);
  json_key_uint (out, "gid", s->gid);
  json_key_uint (out, "cuid", s->cuid);
  json_key_uint (out, "cgid", s->cgid);
  json_key_string (out, "perms", perms);
  json_key_uint (out, "size", s->size);
  json_key_uint (out, "nattch", s->nattch);
  json_key_int (out, "cpid", s->cpid);
  json_key_int (out, "lpid", s->lpid);
  json_key_int (out, "atime", s->atime);
  json_key_int (out, "dtime", s->dtime);
  json_key_int (out, "ctime", s->ctime);
  json_key_uint (out, "rss", s->rss);
  json_key_uint (out, "swap", s->swap);
  json_key_string (out, "status", ps_sysv_segment_status (s));
  json_mappers (out, s->mappers);
  g_string_append_c (out, '}');
}

static void
json_posix (GString    *out,
            gpointer    item,
            GHashTable *owners)
{
  PsPosixSegment *s = item;
  g_autofree char *perms = g_strdup_printf ("%04o", s->perms);

  g_string_append_c (out, '{');
  json_key_string (out, "name", s->name);
  json_key_string (out, "owner", owner_name (owners, s->uid));
  json_key_uint (out, "uid", s->uid);
  json_key_uint (out, "gid", s->gid);
  json_key_string (out, "perms", perms);
  json_key_uint (out, "size", s->size);
  json_key_uint (out, "allocated", s->allocated);
  json_key_int (out, "mtime", s->mtime);
  json_mappers (out, s->mappers);
  g_string_append_c (out, '}');
}

typedef void (*JsonItemFunc) (GString *out, gpointer item, GHashTable *owners);

static void
json_list (GString      *out,
           const char   *name,
           GPtrArray    *items,
           JsonItemFunc  item_func,
           GHashTable   *owners)
{
  g_string_append_printf (out, "  \"%s\": [", name);
  for (guint i = 0; i < items->len; i++)
    {
      g_string_append (out, i > 0 ? ",\n    " : "\n    ");
      item_func (out, g_ptr_array_index (items, i), owners);
    }
  g_string_append (out, items->len > 0 ? "\n  ]" : "]");
}

char *
ps_segments_format_json (GPtrArray *sysv,
                         GPtrArray *posix)
{
  g_autoptr(GHashTable) owners = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  GString *out = g_string_new ("{\n");

  if (sysv != NULL)
    json_list (out, "sysv", sysv, json_sysv, owners);
  if (sysv != NULL && posix != NULL)
    g_string_append (out, ",\n");
  if (posix != NULL)
    json_list (out, "posix", posix, json_posix, owners);
  g_string_append (out, "\n}\n");
  return g_string_free (out, FALSE);
}
