/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <linux/magic.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "ps-guard.h"
#include "ps-parse.h"
#include "ps-source.h"

struct _PsSource
{
  GObject      parent_instance;

  PsSourceKind kind;
  PsMapFlags   flags;
  PsResidency  residency;
  gboolean     shmem;        /* holes must never be read */
  double       mincore_ns_per_page;   /* what residency queries cost, measured */
  double       seek_ns_per_page;
  guint        queries;
  gboolean     created;
  gboolean     delete_on_close;

  char        *path;         /* FILE */
  char        *name;         /* POSIX, with its leading '/' */
  key_t        key;          /* SYSV */
  int          shmid;
  int          fd;           /* FILE, POSIX; -1 otherwise */

  guint8      *reserve;      /* the mapping followed by one PROT_NONE guard page */
  gsize        reserve_len;
  guint8      *data;         /* == reserve while mapped, NULL once closed */
  PsGeometry   geometry;     /* as mapped */

  char        *display_name;
  PsEventLog  *log;
};

G_DEFINE_FINAL_TYPE (PsSource, ps_source, G_TYPE_OBJECT)

static guint64
page_size (void)
{
  static guint64 size;

  if (size == 0)
    size = (guint64) sysconf (_SC_PAGESIZE);
  return size;
}

static guint64
round_up (guint64 value,
          guint64 to)
{
  return (value + to - 1) / to * to;
}

/* ---- geometry ---------------------------------------------------------- */

void
ps_geometry_init (PsGeometry *geometry,
                  guint64     object_size,
                  guint64     offset,
                  guint64     length,
                  guint64     page)
{
  geometry->object_size = object_size;
  geometry->offset = offset;
  geometry->length = length;
  geometry->page_size = page;
  geometry->n_pages = round_up (length, page) / page;
  /* the mapping is whole pages: a length that stops short of EOF inside a
   * page still maps the file's bytes to the end of that page */
  geometry->data_length = object_size > offset ? MIN (geometry->n_pages * page, object_size - offset) : 0;
  /* pages the kernel backs: EOF rounded up to a page decides, not the file size */
  geometry->n_inside = round_up (geometry->data_length, page) / page;
}

PsZone
ps_geometry_zone (const PsGeometry *geometry,
                  guint64           page)
{
  if (page < geometry->n_inside)
    return PS_ZONE_INSIDE;
  if (page < geometry->n_pages)
    return PS_ZONE_PAST_EOF;
  return PS_ZONE_PAST_MAPPING;
}

PsZone
ps_geometry_zone_at (const PsGeometry *geometry,
                     guint64           mapping_offset)
{
  return ps_geometry_zone (geometry, mapping_offset / geometry->page_size);
}

gboolean
ps_geometry_equal (const PsGeometry *a,
                   const PsGeometry *b)
{
  return memcmp (a, b, sizeof *a) == 0;
}

/* ---- strings for the log ----------------------------------------------- */

static const char *
prot_string (gboolean writable)
{
  return writable ? "PROT_READ|PROT_WRITE" : "PROT_READ";
}

static const char *
kind_flag_string (PsMapFlags flags)
{
  return (flags & PS_MAP_PRIVATE) ? "MAP_PRIVATE" : "MAP_SHARED";
}

const char *
ps_source_kind_to_string (PsSourceKind kind)
{
  switch (kind)
    {
    case PS_SOURCE_FILE: return "file";
    case PS_SOURCE_ANON: return "anon";
    case PS_SOURCE_SYSV: return "sysv";
    case PS_SOURCE_POSIX: return "posix";
    default: g_return_val_if_reached ("?");
    }
}

/* ---- lifetime ---------------------------------------------------------- */

static void
ps_source_finalize (GObject *object)
{
  PsSource *self = PS_SOURCE (object);

  ps_source_close (self);
  g_free (self->path);
  g_free (self->name);
  g_free (self->display_name);
  g_clear_object (&self->log);
  G_OBJECT_CLASS (ps_source_parent_class)->finalize (object);
}

static void
ps_source_class_init (PsSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_source_finalize;
}

static void
ps_source_init (PsSource *self)
{
  self->fd = -1;
  self->shmid = -1;
}

static PsSource *
source_new (PsSourceKind kind,
            PsMapFlags   flags,
            PsEventLog  *log)
{
  PsSource *self = g_object_new (PS_TYPE_SOURCE, NULL);

  self->kind = kind;
  self->flags = flags;
  self->log = log ? g_object_ref (log) : NULL;
  ps_guard_install ();
  return self;
}

/* Reserves the mapping's address range plus a PROT_NONE guard page after it,
 * so an access just past the mapping is a SIGSEGV, never another mapping. */
static gboolean
reserve_range (PsSource *self,
               guint64   length,
               GError  **error)
{
  gsize span = round_up (length, page_size ()) + page_size ();
  void *addr;

  addr = mmap (NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (addr == MAP_FAILED)
    return ps_call_fail (self->log, error, errno,
                         "mmap(NULL, %zu, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)",
                         span);
  ps_event_log_add (self->log, FALSE,
                    "mmap(NULL, %zu, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = %p",
                    span, addr);
  self->reserve = addr;
  self->reserve_len = span;
  return TRUE;
}

static void
release_range (PsSource *self)
{
  if (self->reserve == NULL)
    return;
  if (munmap (self->reserve, self->reserve_len) == 0)
    ps_event_log_add (self->log, FALSE, "munmap(%p, %zu) = 0", self->reserve, self->reserve_len);
  else
    ps_call_fail (self->log, NULL, errno, "munmap(%p, %zu)", self->reserve, self->reserve_len);
  self->reserve = NULL;
  self->reserve_len = 0;
}

static void
decide_residency (PsSource          *self,
                  const struct stat *st)
{
  struct statfs sfs;
  gboolean trusted;
  g_autofree char *fd_path = NULL;

  if (self->fd < 0)
    {
      /* anonymous shared memory and SysV: mincore is exact (KERNEL-FACTS) */
      self->shmem = TRUE;
      self->residency = PS_RESIDENCY_MINCORE;
      return;
    }

  self->shmem = (fstatfs (self->fd, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC);

  /* mincore reports every page resident unless we own the file or may write
   * it (kernel commit 134fca9063ad); root passes as owner (CAP_FOWNER). */
  fd_path = g_strdup_printf ("/proc/self/fd/%d", self->fd);
  trusted = geteuid () == 0 || st->st_uid == geteuid () ||
            faccessat (AT_FDCWD, fd_path, W_OK, AT_EACCESS) == 0;

  if (trusted)
    self->residency = PS_RESIDENCY_MINCORE;
  else if (self->shmem)
    self->residency = PS_RESIDENCY_SEEK_DATA;
  else
    self->residency = PS_RESIDENCY_UNKNOWN;
}

/* Maps fd (a file or a POSIX segment) over the reserved range. */
static gboolean
map_fd (PsSource    *self,
        const char  *what,
        guint64      offset,
        guint64      length,
        GError     **error)
{
  struct stat st;
  gboolean writable = (self->flags & PS_MAP_WRITABLE) != 0;
  int map_flags = (self->flags & PS_MAP_PRIVATE) ? MAP_PRIVATE : MAP_SHARED;
  g_autofree char *call = NULL;
  void *addr;

  if (fstat (self->fd, &st) != 0)
    return ps_call_fail (self->log, error, errno, "fstat(%d)", self->fd);
  ps_event_log_add (self->log, FALSE, "fstat(%d) = 0 (size %" G_GINT64_FORMAT ", mode 0%o, uid %u)",
                    self->fd, (gint64) st.st_size, st.st_mode & 07777, st.st_uid);

  call = g_strdup_printf ("mmap(%s, offset=%" G_GUINT64_FORMAT ", length=%" G_GUINT64_FORMAT ")",
                          what, offset, length);
  if (S_ISDIR (st.st_mode))
    return ps_call_refuse (self->log, error, G_IO_ERROR_IS_DIRECTORY, call,
                           _("it is a directory; choose a regular file"));
  if (!S_ISREG (st.st_mode))
    return ps_call_refuse (self->log, error, G_IO_ERROR_NOT_REGULAR_FILE, call,
                           _("not a regular file (a FIFO, socket or device cannot be mapped here)"));
  if (offset % page_size () != 0)
    return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("the offset must be a multiple of the page size (%" PRIu64 ")"),
                           page_size ());
  if (length == 0)
    {
      if (st.st_size == 0)
        return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                               _("the object is empty; give a length to map pages past its end"));
      if ((guint64) st.st_size <= offset)
        return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                               _("the offset is at or past the end (size %" PRId64 "); give a length"),
                               (gint64) st.st_size);
      length = st.st_size - offset;
    }
  if (length > G_MAXSIZE / 2 || offset > G_MAXINT64 - length)
    return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("the length is too large"));

  decide_residency (self, &st);
  if (!reserve_range (self, length, error))
    return FALSE;

  addr = mmap (self->reserve, length, writable ? PROT_READ | PROT_WRITE : PROT_READ,
               map_flags | MAP_FIXED, self->fd, offset);
  if (addr == MAP_FAILED)
    {
      int errsv = errno;
      ps_call_fail (self->log, error, errsv, "mmap(%p, %" G_GUINT64_FORMAT ", %s, %s|MAP_FIXED, %d, %" G_GUINT64_FORMAT ")",
                    self->reserve, length, prot_string (writable), kind_flag_string (self->flags), self->fd, offset);
      release_range (self);
      return FALSE;
    }
  ps_event_log_add (self->log, FALSE, "mmap(%p, %" G_GUINT64_FORMAT ", %s, %s|MAP_FIXED, %d, %" G_GUINT64_FORMAT ") = %p",
                    self->reserve, length, prot_string (writable), kind_flag_string (self->flags),
                    self->fd, offset, addr);
  self->data = addr;
  ps_geometry_init (&self->geometry, st.st_size, offset, length, page_size ());

  if (!self->shmem)
    {
      /* keep readahead from inflating mincore's picture (KERNEL-FACTS) */
      if (madvise (self->data, length, MADV_RANDOM) == 0)
        ps_event_log_add (self->log, FALSE, "madvise(%p, %" G_GUINT64_FORMAT ", MADV_RANDOM) = 0", self->data, length);
    }
  return TRUE;
}

static int
open_logged (PsEventLog *log,
             const char *path,
             int         flags,
             const char *flags_text,
             GError    **error)
{
  int fd = open (path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

  if (fd < 0)
    {
      ps_call_fail (log, error, errno, "open(\"%s\", %s)", path, flags_text);
      return -1;
    }
  ps_event_log_add (log, FALSE, "open(\"%s\", %s) = %d", path, flags_text, fd);
  return fd;
}

PsSource *
ps_source_open_file (const char  *path,
                     PsMapFlags   flags,
                     guint64      offset,
                     guint64      length,
                     PsEventLog  *log,
                     GError     **error)
{
  g_autoptr(PsSource) self = NULL;
  gboolean rdwr;
  g_autofree char *what = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = source_new (PS_SOURCE_FILE, flags, log);
  self->path = g_strdup (path);

  if (path[0] == '\0')
    {
      ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, "open(\"\")", _("the path is empty"));
      return NULL;
    }

  /* a private mapping may be written without write permission on the file */
  rdwr = (flags & PS_MAP_WRITABLE) && !(flags & PS_MAP_PRIVATE);
  self->fd = open_logged (log, path, rdwr ? O_RDWR : O_RDONLY, rdwr ? "O_RDWR" : "O_RDONLY", error);
  if (self->fd < 0)
    return NULL;

  what = g_strdup_printf ("\"%s\"", path);
  if (!map_fd (self, what, offset, length, error))
    return NULL;

  self->display_name = ps_text_for_display (path);
  return g_steal_pointer (&self);
}

PsSource *
ps_source_new_anon (guint64      size,
                    PsEventLog  *log,
                    GError     **error)
{
  g_autoptr(PsSource) self = source_new (PS_SOURCE_ANON, PS_MAP_WRITABLE, log);
  g_autofree char *size_text = NULL;
  void *addr;

  if (size == 0 || size > G_MAXSIZE / 2)
    {
      g_autofree char *call = g_strdup_printf ("mmap(NULL, %" G_GUINT64_FORMAT ", PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0)", size);
      ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                      size == 0 ? _("the size must not be zero") : _("the size is too large"));
      return NULL;
    }

  self->shmem = TRUE;
  self->residency = PS_RESIDENCY_MINCORE;
  if (!reserve_range (self, size, error))
    return NULL;

  addr = mmap (self->reserve, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (addr == MAP_FAILED)
    {
      ps_call_fail (log, error, errno, "mmap(%p, %" G_GUINT64_FORMAT ", PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0)",
                    self->reserve, size);
      release_range (self);
      return NULL;
    }
  ps_event_log_add (log, FALSE, "mmap(%p, %" G_GUINT64_FORMAT ", PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = %p",
                    self->reserve, size, addr);
  self->data = addr;
  self->created = TRUE;
  ps_geometry_init (&self->geometry, size, 0, size, page_size ());
  size_text = ps_format_size (size);
  self->display_name = g_strdup_printf (_("Anonymous shared mapping, %s"), size_text);
  return g_steal_pointer (&self);
}

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
  g_autoptr(PsSource) self = source_new (PS_SOURCE_SYSV, flags, log);
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

  if (!reserve_range (self, ds.shm_segsz, error))
    return NULL;

  addr = shmat (shmid, self->reserve, SHM_REMAP | (writable ? 0 : SHM_RDONLY));
  if (addr == (void *) -1)
    {
      ps_call_fail (log, error, errno, "shmat(shmid=%d, %p, %s)", shmid, self->reserve,
                    writable ? "SHM_REMAP" : "SHM_RDONLY|SHM_REMAP");
      release_range (self);
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

static PsSource *
open_posix (const char  *name,
            PsMapFlags   flags,
            guint64      offset,
            guint64      length,
            gboolean     create,
            guint64      size,
            guint        mode,
            PsEventLog  *log,
            GError     **error)
{
  g_autoptr(PsSource) self = source_new (PS_SOURCE_POSIX, flags, log);
  g_autofree char *what = NULL;
  g_autofree char *shown = NULL;
  GError *local_error = NULL;
  gboolean rdwr = (flags & PS_MAP_WRITABLE) && !(flags & PS_MAP_PRIVATE);
  int oflags;

  self->name = ps_posix_name_normalize (name, &local_error);
  if (self->name == NULL)
    {
      ps_event_log_add (log, TRUE, "%s", local_error->message);
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (create)
    {
      if (mode == 0)
        mode = 0600;
      if (size == 0 || mode > 0777)
        {
          g_autofree char *call = g_strdup_printf ("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0%o)", self->name, mode);
          ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                          size == 0 ? _("the size must not be zero") : _("the mode may hold only permission bits (0777)"));
          return NULL;
        }
      self->fd = shm_open (self->name, O_RDWR | O_CREAT | O_EXCL, mode);
      if (self->fd < 0)
        {
          ps_call_fail (log, error, errno, "shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0%o)", self->name, mode);
          return NULL;
        }
      ps_event_log_add (log, FALSE, "shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0%o) = %d", self->name, mode, self->fd);
      self->created = TRUE;
      if (ftruncate (self->fd, size) != 0)
        {
          ps_call_fail (log, error, errno, "ftruncate(%d, %" G_GUINT64_FORMAT ")", self->fd, size);
          ps_source_remove (self, NULL);
          return NULL;
        }
      ps_event_log_add (log, FALSE, "ftruncate(%d, %" G_GUINT64_FORMAT ") = 0", self->fd, size);
      rdwr = TRUE;
    }
  else
    {
      oflags = rdwr ? O_RDWR : O_RDONLY;
      self->fd = shm_open (self->name, oflags, 0);
      if (self->fd < 0)
        {
          ps_call_fail (log, error, errno, "shm_open(\"%s\", %s)", self->name, rdwr ? "O_RDWR" : "O_RDONLY");
          return NULL;
        }
      ps_event_log_add (log, FALSE, "shm_open(\"%s\", %s) = %d", self->name, rdwr ? "O_RDWR" : "O_RDONLY", self->fd);
    }

  what = g_strdup_printf ("shm \"%s\"", self->name);
  if (!map_fd (self, what, offset, length, error))
    {
      if (create)
        ps_source_remove (self, NULL);
      return NULL;
    }
  shown = ps_text_for_display (self->name);
  self->display_name = g_strdup_printf (_("POSIX %s"), shown);
  return g_steal_pointer (&self);
}

PsSource *
ps_source_open_posix (const char  *name,
                      PsMapFlags   flags,
                      guint64      offset,
                      guint64      length,
                      PsEventLog  *log,
                      GError     **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  return open_posix (name, flags, offset, length, FALSE, 0, 0, log, error);
}

PsSource *
ps_source_create_posix (const char  *name,
                        guint64      size,
                        guint        mode,
                        PsEventLog  *log,
                        GError     **error)
{
  g_return_val_if_fail (name != NULL, NULL);
  return open_posix (name, PS_MAP_WRITABLE, 0, 0, TRUE, size, mode, log, error);
}

/* Removes demo files that a process which has since died left behind: one
 * killed with SIGKILL, or ended by GTK's _exit when the display went away,
 * deletes nothing. Their names carry the creator's pid. */
void
ps_source_sweep_stale_demos (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      struct stat st;
      char *end;
      gint64 pid;

      if (!g_str_has_prefix (name, "pagescope-demo-"))
        continue;
      pid = g_ascii_strtoll (name + strlen ("pagescope-demo-"), &end, 10);
      if (end == name + strlen ("pagescope-demo-") || *end != '-' || pid <= 0 || pid > G_MAXINT)
        continue;
      if (kill ((pid_t) pid, 0) == 0 || errno != ESRCH)
        continue;   /* alive, or not ours to judge */
      path = g_build_filename (directory, name, NULL);
      if (lstat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == geteuid ())
        unlink (path);
    }
}

/* The demo: a fresh file of 256 KiB + 100 bytes with every content class in
 * it, mapped MAP_SHARED two pages longer than the file, deleted on close. */
PsSource *
ps_source_new_demo (PsEventLog  *log,
                    GError     **error)
{
  static const char text[] =
    "Pagescope demo file. Every cell of the grid is one page of this file; "
    "write to it from another process and watch the page light up.\n";
  const gsize size = 256 * 1024 + 100;
  g_autofree char *template = NULL;
  g_autofree char *path = NULL;
  g_autofree char *shown = NULL;
  g_autofree guint8 *contents = g_malloc0 (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);
  PsSource *self;
  int fd;

  /* text, zeros, binary structure and random bytes, a quarter each */
  for (gsize i = 0; i < 64 * 1024; i++)
    contents[i] = text[i % (sizeof text - 1)];
  for (gsize i = 128 * 1024; i < 192 * 1024; i++)
    contents[i] = (i % 16 < 4) ? (guint8) (i / 4096) : (i % 16 == 8 ? 0xff : 0);
  for (gsize i = 192 * 1024; i < size; i++)
    contents[i] = (guint8) g_rand_int (rand);

  ps_source_sweep_stale_demos (g_get_tmp_dir ());
  template = g_strdup_printf ("pagescope-demo-%d-XXXXXX", (int) getpid ());
  fd = g_file_open_tmp (template, &path, error);
  if (fd < 0)
    return NULL;
  if (!g_file_set_contents (path, (const char *) contents, size, error))
    {
      close (fd);
      unlink (path);
      return NULL;
    }
  close (fd);

  self = ps_source_open_file (path, PS_MAP_WRITABLE, 0,
                              round_up (size, page_size ()) + 2 * page_size (), log, error);
  if (self == NULL)
    {
      unlink (path);
      return NULL;
    }
  self->delete_on_close = TRUE;
  self->created = TRUE;
  g_free (self->display_name);
  shown = ps_text_for_display (path);
  self->display_name = g_strdup_printf (_("Demo file %s"), shown);
  return self;
}

/* The call a spec leads to, to name it when a rule refuses the spec. */
static char *
spec_call (const PsSourceSpec *spec)
{
  switch (spec->kind)
    {
    case PS_SOURCE_FILE:
      return g_strdup_printf ("open(\"%s\")", spec->path != NULL ? spec->path : "");
    case PS_SOURCE_POSIX:
      return g_strdup_printf ("shm_open(\"%s\")", spec->name != NULL ? spec->name : "");
    case PS_SOURCE_SYSV:
      if (spec->by_shmid)
        return g_strdup_printf ("shmat(shmid=%d)", spec->shmid);
      return g_strdup_printf ("shmget(0x%08x)", (guint32) spec->key);
    case PS_SOURCE_ANON:
    default:
      return g_strdup ("mmap(MAP_SHARED|MAP_ANONYMOUS)");
    }
}

PsSource *
ps_source_open (const PsSourceSpec *spec,
                PsEventLog         *log,
                GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (spec != NULL, NULL);

  if (!ps_source_spec_check (spec, NULL, &local_error))
    {
      g_autofree char *call = spec_call (spec);

      ps_call_refuse (log, error, local_error->code, call, "%s", local_error->message);
      return NULL;
    }
  switch (spec->kind)
    {
    case PS_SOURCE_FILE:
      return ps_source_open_file (spec->path, spec->flags, spec->offset, spec->length, log, error);
    case PS_SOURCE_ANON:
      return ps_source_new_anon (spec->size, log, error);
    case PS_SOURCE_SYSV:
      if (spec->create)
        return ps_source_create_sysv (spec->key, spec->size, spec->mode, log, error);
      if (spec->by_shmid)
        return ps_source_attach_shmid (spec->shmid, spec->flags, log, error);
      return ps_source_attach_sysv (spec->key, spec->flags, log, error);
    case PS_SOURCE_POSIX:
      if (spec->create)
        return ps_source_create_posix (spec->name, spec->size, spec->mode, log, error);
      return ps_source_open_posix (spec->name, spec->flags, spec->offset, spec->length, log, error);
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- accessors --------------------------------------------------------- */

PsSourceKind
ps_source_get_kind (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), PS_SOURCE_FILE);
  return self->kind;
}

PsMapFlags
ps_source_get_flags (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), 0);
  return self->flags;
}

gboolean
ps_source_is_writable (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);
  return (self->flags & PS_MAP_WRITABLE) != 0;
}

gboolean
ps_source_is_private (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);
  return (self->flags & PS_MAP_PRIVATE) != 0;
}

gboolean
ps_source_is_shmem (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);
  return self->shmem;
}

PsResidency
ps_source_get_residency (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), PS_RESIDENCY_UNKNOWN);
  return self->residency;
}

const char *
ps_source_get_display_name (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), NULL);
  return self->display_name;
}

const char *
ps_source_get_path (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), NULL);
  return self->path;
}

const char *
ps_source_get_posix_name (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), NULL);
  return self->name;
}

key_t
ps_source_get_key (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), 0);
  return self->key;
}

int
ps_source_get_shmid (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), -1);
  return self->shmid;
}

int
ps_source_get_fd (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), -1);
  return self->fd;
}

guint8 *
ps_source_get_data (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), NULL);
  return self->data;
}

const PsGeometry *
ps_source_get_geometry (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), NULL);
  return &self->geometry;
}

PsEventLog *
ps_source_get_log (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), NULL);
  return self->log;
}

gboolean
ps_source_is_closed (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), TRUE);
  return self->data == NULL;
}

/* How to reopen what this source shows (a created segment reopens, not recreates). */
PsSourceSpec *
ps_source_dup_spec (PsSource *self)
{
  PsSourceSpec *spec = g_new0 (PsSourceSpec, 1);

  g_return_val_if_fail (PS_IS_SOURCE (self), NULL);

  spec->kind = self->kind;
  spec->flags = self->flags;
  spec->path = g_strdup (self->path);
  spec->name = g_strdup (self->name);
  spec->key = self->key;
  spec->shmid = self->shmid;
  spec->by_shmid = self->kind == PS_SOURCE_SYSV && self->key == IPC_PRIVATE;
  spec->size = self->kind == PS_SOURCE_ANON ? self->geometry.length : 0;
  if (self->kind == PS_SOURCE_FILE || self->kind == PS_SOURCE_POSIX)
    {
      spec->offset = self->geometry.offset;
      if (self->geometry.offset + self->geometry.length != self->geometry.object_size)
        spec->length = self->geometry.length;
    }
  return spec;
}

/* ---- restat ------------------------------------------------------------ */

gboolean
ps_source_restat (PsSource   *self,
                  PsGeometry *geometry,
                  gboolean   *removed,
                  GError    **error)
{
  guint64 size = self->geometry.object_size;
  gboolean gone = FALSE;

  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);

  if (self->fd >= 0)
    {
      struct stat st;

      if (fstat (self->fd, &st) != 0)
        return ps_call_fail (NULL, error, errno, "fstat(%d)", self->fd);
      size = st.st_size;
      gone = st.st_nlink == 0;
    }
  else if (self->kind == PS_SOURCE_SYSV)
    {
      struct shmid_ds ds;

      if (shmctl (self->shmid, IPC_STAT, &ds) == 0)
        {
          size = ds.shm_segsz;
          gone = (ds.shm_perm.mode & SHM_DEST) != 0;
        }
      else if (errno == EIDRM || errno == EINVAL)
        gone = TRUE;
      else
        return ps_call_fail (NULL, error, errno, "shmctl(shmid=%d, IPC_STAT)", self->shmid);
    }

  if (geometry != NULL)
    ps_geometry_init (geometry, size, self->geometry.offset, self->geometry.length, self->geometry.page_size);
  if (removed != NULL)
    *removed = gone;
  return TRUE;
}

/* ---- residency --------------------------------------------------------- */

static gboolean
query_seek_data (PsSource *self,
                 guint64   first_page,
                 guint64   n_pages,
                 guint8   *vec,
                 GError  **error)
{
  guint64 page = self->geometry.page_size;
  gint64 start = self->geometry.offset + first_page * page;
  gint64 end = start + n_pages * page;
  gint64 pos = start;

  memset (vec, PS_RESIDENT_NO, n_pages);
  while (pos < end)
    {
      gint64 data = lseek (self->fd, pos, SEEK_DATA);
      gint64 hole;

      if (data < 0)
        {
          if (errno == ENXIO)   /* no data after pos */
            break;
          return ps_call_fail (NULL, error, errno, "lseek(%d, %" G_GINT64_FORMAT ", SEEK_DATA)", self->fd, pos);
        }
      if (data >= end)
        break;
      hole = lseek (self->fd, data, SEEK_HOLE);
      if (hole < 0)
        return ps_call_fail (NULL, error, errno, "lseek(%d, %" G_GINT64_FORMAT ", SEEK_HOLE)", self->fd, data);
      hole = MIN (hole, end);
      for (gint64 p = (data - start) / (gint64) page; p < (hole - start + (gint64) page - 1) / (gint64) page; p++)
        vec[p] = PS_RESIDENT_YES;
      pos = hole;
    }
  return TRUE;
}

static gboolean
query_mincore (PsSource *self,
               guint64   first_page,
               guint64   n_pages,
               guint8   *vec,
               GError  **error)
{
  guint64 page = self->geometry.page_size;

  if (mincore (self->data + first_page * page, n_pages * page, vec) != 0)
    return ps_call_fail (NULL, error, errno, "mincore(%p, %" G_GUINT64_FORMAT ")",
                         self->data + first_page * page, n_pages * page);
  for (guint64 i = 0; i < n_pages; i++)
    vec[i] &= 1;
  return TRUE;
}

/* Both are exact for shmem we own, but their costs differ by object:
 * mincore is ~60 ns a page of a sparse segment (a page cache lookup each)
 * and fast where our page tables map the pages; SEEK_DATA/SEEK_HOLE walks the
 * page cache (cheap over holes, O(pages) over data). Time both, use the
 * cheaper, and try the other one query in 16. Races between threads only
 * blur the estimates. */
static gboolean
query_cheaper (PsSource *self,
               guint64   first_page,
               guint64   n_pages,
               guint8   *vec,
               GError  **error)
{
  gboolean use_seek = self->seek_ns_per_page < self->mincore_ns_per_page;
  double *cost;
  gint64 t0;
  gboolean ok;

  if (++self->queries % 16 == 0)
    use_seek = !use_seek;
  cost = use_seek ? &self->seek_ns_per_page : &self->mincore_ns_per_page;

  t0 = g_get_monotonic_time ();
  if (use_seek)
    ok = query_seek_data (self, first_page, n_pages, vec, error);
  else
    ok = query_mincore (self, first_page, n_pages, vec, error);
  *cost = 1000.0 * (g_get_monotonic_time () - t0) / n_pages;
  return ok;
}

gboolean
ps_source_query_residency (PsSource   *self,
                           guint64     first_page,
                           guint64     n_pages,
                           guint8     *vec,
                           GError    **error)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (first_page + n_pages <= self->geometry.n_pages, FALSE);

  if (n_pages == 0)
    return TRUE;
  if (self->data == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "mincore: the source is closed");
      return FALSE;
    }

  switch (self->residency)
    {
    case PS_RESIDENCY_MINCORE:
      if (self->shmem && self->fd >= 0)
        return query_cheaper (self, first_page, n_pages, vec, error);
      return query_mincore (self, first_page, n_pages, vec, error);

    case PS_RESIDENCY_SEEK_DATA:
      return query_seek_data (self, first_page, n_pages, vec, error);

    case PS_RESIDENCY_UNKNOWN:
    default:
      memset (vec, PS_RESIDENT_UNKNOWN, n_pages);
      return TRUE;
    }
}

gboolean
ps_source_peek (PsSource *self,
                guint64   offset,
                guint8   *dst,
                gsize     len,
                guint8   *page_valid)
{
  PsGeometry now;
  guint64 page, first, last;
  g_autofree guint8 *vec = NULL;

  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);

  memset (dst, 0, len);
  /* every page touched gets a flag, also those past the mapping or when closed */
  if (page_valid != NULL && len > 0)
    memset (page_valid, FALSE, (offset % page_size () + len - 1) / page_size () + 1);
  if (len == 0 || self->data == NULL || offset >= self->geometry.length)
    return TRUE;
  len = MIN (len, self->geometry.length - offset);

  if (!ps_source_restat (self, &now, NULL, NULL))
    now = self->geometry;
  page = now.page_size;
  first = offset / page;
  last = (offset + len - 1) / page;
  vec = g_malloc (last - first + 1);
  if (!ps_source_query_residency (self, first, last - first + 1, vec, NULL))
    memset (vec, PS_RESIDENT_UNKNOWN, last - first + 1);

  for (guint64 p = first; p <= last; p++)
    {
      guint64 from = MAX (offset, p * page);
      guint64 to = MIN (offset + len, (p + 1) * page);
      /* a page past EOF would SIGBUS; a shmem hole would be allocated by reading */
      gboolean readable = p < now.n_inside && (vec[p - first] == PS_RESIDENT_YES || !self->shmem);

      if (page_valid != NULL)
        page_valid[p - first] = readable;
      if (readable && !ps_guard_copy (dst + (from - offset), self->data + from, to - from, NULL))
        {
          if (page_valid != NULL)
            page_valid[p - first] = FALSE;
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- write, msync ------------------------------------------------------ */

static gboolean
check_range (PsSource   *self,
             const char *call,
             guint64     offset,
             guint64     len,
             GError    **error)
{
  if (self->data == NULL)
    return ps_call_refuse (self->log, error, G_IO_ERROR_CLOSED, call, _("the source is closed"));
  if (offset >= self->geometry.length)
    return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("offset %" PRIu64 " is past the end of the mapping (length %" PRIu64 ")"),
                           offset, self->geometry.length);
  if (len > self->geometry.length - offset)
    return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("%" PRIu64 " bytes at offset %" PRIu64 " run past the end of the mapping (length %" PRIu64 ")"),
                           len, offset, self->geometry.length);
  return TRUE;
}

/* Copies page by page, so that a SIGBUS says exactly how much was stored: a
 * page wholly past EOF faults on its first byte, before any of it is written,
 * and the pages before it are whole. Returns the bytes written. */
static gsize
write_pages (PsSource     *self,
             guint64       offset,
             const guint8 *data,
             gsize         len,
             PsFault      *fault)
{
  gsize page = self->geometry.page_size;
  gsize done = 0;

  while (done < len)
    {
      gsize chunk = MIN (len - done, page - (offset + done) % page);

      if (!ps_guard_copy (self->data + offset + done, data + done, chunk, fault))
        break;
      done += chunk;
    }
  return done;
}

/* A write that a SIGBUS cut short: says exactly what was stored, and hands
 * back the old bytes of that part, so it can be undone. */
static gboolean
write_faulted (PsSource     *self,
               const char   *call,
               guint64       offset,
               guint8       *old,
               gsize         written,
               gsize         len,
               GBytes      **previous,
               GError      **error)
{
  PsGeometry now;

  if (!ps_source_restat (self, &now, NULL, NULL))
    now = self->geometry;
  if (written == 0)
    {
      ps_event_log_add (self->log, TRUE, "%s = SIGBUS (the object is %" G_GUINT64_FORMAT " bytes: that page is wholly past its end)",
                        call, now.object_size);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: SIGBUS: the object is %" PRIu64 " bytes and that page lies wholly past its end; nothing was written there"),
                   call, now.object_size);
      return FALSE;
    }
  ps_event_log_add (self->log, TRUE,
                    "%s = SIGBUS after %zu bytes (the object is %" G_GUINT64_FORMAT " bytes): "
                    "0x%" G_GINT64_MODIFIER "x..0x%" G_GINT64_MODIFIER "x were written, the rest lies on pages wholly past its end",
                    call, written, now.object_size, offset, offset + written - 1);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s: SIGBUS: the object is %" PRIu64 " bytes; %zu byte at 0x%" PRIx64 " was written, the other %zu lie on pages wholly past its end",
                            "%s: SIGBUS: the object is %" PRIu64 " bytes; %zu bytes from 0x%" PRIx64 " were written, the other %zu lie on pages wholly past its end",
                            written),
               call, now.object_size, written, offset, len - written);
  if (previous != NULL)
    *previous = g_bytes_new (old, written);
  return FALSE;
}

gboolean
ps_source_write (PsSource      *self,
                 guint64        offset,
                 const guint8  *data,
                 gsize          len,
                 GBytes       **previous,
                 GError       **error)
{
  g_autofree char *call = NULL;
  g_autofree guint8 *old = NULL;
  guint64 past;
  gsize written = 0;
  PsFault fault = { 0 };

  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  call = g_strdup_printf ("memcpy(%p + 0x%" G_GINT64_MODIFIER "x, %zu bytes)", self->data, offset, len);
  if (len == 0)
    return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call, _("there are no bytes to write"));
  if (!(self->flags & PS_MAP_WRITABLE))
    return ps_call_refuse (self->log, error, G_IO_ERROR_READ_ONLY, call,
                           _("the mapping is read-only; reopen it writable (Writable in the open dialog, or --writable)"));
  if (!check_range (self, call, offset, len, error))
    return FALSE;

  old = g_malloc (len);
  if (ps_source_peek (self, offset, old, len, NULL))
    written = write_pages (self, offset, data, len, &fault);
  if (written < len)
    return write_faulted (self, call, offset, old, written, len, previous, error);
  ps_call_ok (self->log, "ok", "%s", call);
  past = ps_source_bytes_past_eof (self, offset, len);
  if (past > 0)
    ps_event_log_add (self->log, FALSE,
                      "note: %" G_GUINT64_FORMAT " of these bytes lie past EOF (the object is %" G_GUINT64_FORMAT
                      " bytes): they stay in the page and never reach the file",
                      past, self->geometry.object_size);
  if (previous != NULL)
    *previous = g_bytes_new_take (g_steal_pointer (&old), len);
  return TRUE;
}

guint64
ps_source_bytes_past_eof (PsSource *self,
                          guint64   offset,
                          gsize     len)
{
  guint64 eof;

  g_return_val_if_fail (PS_IS_SOURCE (self), 0);

  /* an object with a size a reader of the file sees: a file, a POSIX segment */
  if (self->kind != PS_SOURCE_FILE && self->kind != PS_SOURCE_POSIX)
    return 0;
  eof = self->geometry.object_size;
  if (self->geometry.offset >= eof)
    return len;
  eof -= self->geometry.offset;   /* in mapping offsets */
  if (offset + len <= eof)
    return 0;
  return offset >= eof ? len : offset + len - eof;
}

static PsMsyncReport *
ps_msync_report_copy (const PsMsyncReport *report)
{
  return g_memdup2 (report, sizeof *report);
}

G_DEFINE_BOXED_TYPE (PsMsyncReport, ps_msync_report, ps_msync_report_copy, g_free)

char *
ps_msync_flags_to_string (int flags)
{
  GString *s = g_string_new ((flags & MS_ASYNC) ? "MS_ASYNC" : "MS_SYNC");

  if (flags & MS_INVALIDATE)
    g_string_append (s, "|MS_INVALIDATE");
  return g_string_free (s, FALSE);
}

gboolean
ps_msync_flags_parse (const char *text,
                      int        *flags,
                      GError    **error)
{
  g_auto(GStrv) parts = g_strsplit_set (text, ",| ", -1);
  int result = 0;
  gboolean mode_given = FALSE;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *p = parts[i];

      if (*p == '\0')
        continue;
      if (g_ascii_strcasecmp (p, "sync") == 0 || g_ascii_strcasecmp (p, "MS_SYNC") == 0)
        result |= MS_SYNC, mode_given = TRUE;
      else if (g_ascii_strcasecmp (p, "async") == 0 || g_ascii_strcasecmp (p, "MS_ASYNC") == 0)
        result |= MS_ASYNC, mode_given = TRUE;
      else if (g_ascii_strcasecmp (p, "invalidate") == 0 || g_ascii_strcasecmp (p, "MS_INVALIDATE") == 0)
        result |= MS_INVALIDATE;
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("msync flags \"%s\": unknown flag \"%s\"; use sync or async, optionally with invalidate"),
                       text, p);
          return FALSE;
        }
    }
  if ((result & MS_SYNC) && (result & MS_ASYNC))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("msync flags \"%s\": sync and async exclude each other"), text);
      return FALSE;
    }
  if (!mode_given)
    result |= MS_SYNC;
  *flags = result;
  return TRUE;
}

gboolean
ps_source_read_dirty (PsSource *self,
                      gint64   *shared_dirty,
                      gint64   *private_dirty)
{
  g_autofree char *contents = NULL;
  g_autofree char *start = NULL;
  const char *p;
  gsize start_len;

  *shared_dirty = *private_dirty = -1;
  if (self->data == NULL || !g_file_get_contents ("/proc/self/smaps", &contents, NULL, NULL))
    return FALSE;

  start = g_strdup_printf ("%lx-", (unsigned long) self->data);
  start_len = strlen (start);
  for (p = contents; p != NULL && *p != '\0'; p = strchr (p, '\n'), p = p ? p + 1 : NULL)
    if (strncmp (p, start, start_len) == 0)
      break;
  if (p == NULL || *p == '\0')
    return FALSE;

  for (p = strchr (p, '\n'); p != NULL && p[1] != '\0'; p = strchr (p + 1, '\n'))
    {
      const char *line = p + 1;
      guint64 kb;

      if (g_ascii_isxdigit (line[0]) && strchr (line, '-') < strchr (line, ' '))
        break;   /* the next mapping */
      if (sscanf (line, "Shared_Dirty: %" G_GUINT64_FORMAT " kB", &kb) == 1)
        *shared_dirty = kb * 1024;
      else if (sscanf (line, "Private_Dirty: %" G_GUINT64_FORMAT " kB", &kb) == 1)
        *private_dirty = kb * 1024;
    }
  return *shared_dirty >= 0 && *private_dirty >= 0;
}

gboolean
ps_source_msync (PsSource      *self,
                 guint64        offset,
                 guint64        length,
                 int            flags,
                 PsMsyncReport *report,
                 GError       **error)
{
  g_autofree char *flags_text = ps_msync_flags_to_string (flags);
  g_autofree char *call = NULL;
  PsMsyncReport r = { 0 };
  guint64 page = page_size ();
  gint64 t0;
  int rc, errsv;

  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);

  if (length == 0)
    length = self->geometry.length - MIN (offset, self->geometry.length);
  r.offset = offset / page * page;
  r.length = round_up (offset + length, page) - r.offset;
  r.flags = flags;
  call = g_strdup_printf ("msync(%p, %" G_GUINT64_FORMAT ", %s)", self->data + r.offset, r.length, flags_text);
  if (!check_range (self, call, offset, length, error))
    return FALSE;

  ps_source_read_dirty (self, &r.shared_dirty_before, &r.private_dirty_before);
  t0 = g_get_monotonic_time ();
  rc = msync (self->data + r.offset, r.length, flags);
  errsv = errno;
  r.elapsed_us = g_get_monotonic_time () - t0;
  ps_source_read_dirty (self, &r.shared_dirty_after, &r.private_dirty_after);

  if (rc != 0)
    {
      const char *why = "";

      if (errsv == EBUSY)
        why = _(" (MS_INVALIDATE on a range that holds locked pages)");
      else if (errsv == ENOMEM)
        why = _(" (part of the range is not mapped)");
      else if (errsv == EINVAL)
        why = _(" (the address is not page-aligned or the flags are invalid)");
      ps_event_log_add (self->log, TRUE, "%s = -1 %s (%s) (%.1f ms)", call, ps_errno_name (errsv),
                        g_strerror (errsv), r.elapsed_us / 1000.0);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s%s", call, g_strerror (errsv), why);
      return FALSE;
    }

  ps_event_log_add (self->log, FALSE, "%s = 0 (%.1f ms)", call, r.elapsed_us / 1000.0);
  if (report != NULL)
    *report = r;
  return TRUE;
}

/* ---- close, remove ----------------------------------------------------- */

void
ps_source_close (PsSource *self)
{
  g_return_if_fail (PS_IS_SOURCE (self));

  if (self->kind == PS_SOURCE_SYSV && self->data != NULL)
    {
      if (shmdt (self->data) == 0)
        ps_event_log_add (self->log, FALSE, "shmdt(%p) = 0", self->data);
      else
        ps_call_fail (self->log, NULL, errno, "shmdt(%p)", self->data);
    }
  self->data = NULL;
  release_range (self);

  if (self->fd >= 0)
    {
      close (self->fd);
      ps_event_log_add (self->log, FALSE, "close(%d) = 0", self->fd);
      self->fd = -1;
    }
  if (self->delete_on_close && self->path != NULL)
    {
      if (unlink (self->path) == 0)
        ps_event_log_add (self->log, FALSE, "unlink(\"%s\") = 0", self->path);
      else
        ps_call_fail (self->log, NULL, errno, "unlink(\"%s\")", self->path);
      self->delete_on_close = FALSE;
    }
}

gboolean
ps_source_remove (PsSource *self,
                  GError  **error)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);

  switch (self->kind)
    {
    case PS_SOURCE_SYSV:
      if (shmctl (self->shmid, IPC_RMID, NULL) != 0)
        return ps_call_fail (self->log, error, errno, "shmctl(shmid=%d, IPC_RMID)", self->shmid);
      ps_event_log_add (self->log, FALSE, "shmctl(shmid=%d, IPC_RMID) = 0", self->shmid);
      return TRUE;

    case PS_SOURCE_POSIX:
      if (shm_unlink (self->name) != 0)
        return ps_call_fail (self->log, error, errno, "shm_unlink(\"%s\")", self->name);
      ps_event_log_add (self->log, FALSE, "shm_unlink(\"%s\") = 0", self->name);
      return TRUE;

    case PS_SOURCE_FILE:
    case PS_SOURCE_ANON:
    default:
      {
        g_autofree char *call = g_strdup_printf ("remove(%s)", self->display_name);
        return ps_call_refuse (self->log, error, G_IO_ERROR_NOT_SUPPORTED, call,
                               _("only SysV and POSIX segments can be removed here"));
      }
    }
}

/* ---- description ------------------------------------------------------- */

void
ps_field_free (PsField *field)
{
  g_free (field->label);
  g_free (field->value);
  g_free (field);
}

static void
add_field (GPtrArray  *fields,
           const char *label,
           char       *value)
{
  PsField *field = g_new0 (PsField, 1);

  field->label = g_strdup (label);
  field->value = value;
  g_ptr_array_add (fields, field);
}

static char *
format_time (time_t t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == 0)
    return g_strdup (_("never"));
  dt = g_date_time_new_from_unix_local (t);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
}

static char *
bytes_text (guint64 bytes)
{
  g_autofree char *size = ps_format_size (bytes);
  return g_strdup_printf (_("%" PRIu64 " bytes (%s)"), bytes, size);
}

GPtrArray *
ps_source_describe (PsSource *self)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_field_free);
  const PsGeometry *g = &self->geometry;
  static const char *const kinds[] = { N_("File"), N_("Anonymous shared mapping"),
                                       N_("SysV shared memory"), N_("POSIX shared memory") };
  static const char *const residencies[] = { N_("mincore (exact)"),
                                             N_("lseek SEEK_DATA/SEEK_HOLE (mincore is unreliable for a segment we neither own nor may write)"),
                                             N_("unknown (mincore is unreliable for a file we neither own nor may write)") };

  add_field (fields, _("Kind"), g_strdup (_(kinds[self->kind])));
  if (self->path != NULL)
    add_field (fields, _("Path"), ps_text_for_display (self->path));
  if (self->name != NULL)
    add_field (fields, _("Name"), ps_text_for_display (self->name));
  if (self->kind == PS_SOURCE_SYSV)
    {
      struct shmid_ds ds;

      add_field (fields, _("Key"), g_strdup_printf ("0x%08x", (guint32) self->key));
      add_field (fields, _("shmid"), g_strdup_printf ("%d", self->shmid));
      if (shmctl (self->shmid, IPC_STAT, &ds) == 0)
        {
          add_field (fields, _("Owner"), g_strdup_printf ("uid %u, gid %u (creator uid %u)", ds.shm_perm.uid, ds.shm_perm.gid, ds.shm_perm.cuid));
          add_field (fields, _("Permissions"), g_strdup_printf ("0%o%s", ds.shm_perm.mode & 0777,
                                                                (ds.shm_perm.mode & SHM_DEST) ? _(", marked for removal") : ""));
          add_field (fields, _("Attached"), g_strdup_printf ("%lu", (unsigned long) ds.shm_nattch));
          add_field (fields, _("Creator pid"), g_strdup_printf ("%d", ds.shm_cpid));
          add_field (fields, _("Last pid"), g_strdup_printf ("%d", ds.shm_lpid));
          add_field (fields, _("Last attach"), format_time (ds.shm_atime));
          add_field (fields, _("Last change"), format_time (ds.shm_ctime));
        }
    }
  else if (self->fd >= 0)
    {
      struct stat st;

      if (fstat (self->fd, &st) == 0)
        {
          add_field (fields, _("Owner"), g_strdup_printf ("uid %u, gid %u", st.st_uid, st.st_gid));
          add_field (fields, _("Permissions"), g_strdup_printf ("0%o", st.st_mode & 07777));
          add_field (fields, _("Allocated"), ps_format_size ((guint64) st.st_blocks * 512));
          add_field (fields, _("Modified"), format_time (st.st_mtime));
        }
    }

  add_field (fields, _("Object size"), bytes_text (g->object_size));
  add_field (fields, _("Mapping"), g_strdup_printf ("%s, %s, offset %" G_GUINT64_FORMAT ", length %" G_GUINT64_FORMAT,
                                                    kind_flag_string (self->flags),
                                                    prot_string (self->flags & PS_MAP_WRITABLE),
                                                    g->offset, g->length));
  add_field (fields, _("Address"), g_strdup_printf ("%p", self->data));
  add_field (fields, _("Pages"), g_strdup_printf (_("%" PRIu64 " of %" PRIu64 " bytes: %" PRIu64 " inside EOF, %" PRIu64 " wholly past EOF"),
                                                  g->n_pages, g->page_size, g->n_inside, g->n_pages - g->n_inside));
  add_field (fields, _("Residency from"), g_strdup (_(residencies[self->residency])));
  return fields;
}
