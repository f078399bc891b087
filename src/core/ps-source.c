/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsSource: one mapped object. This file holds the type, what every opener
 * shares (the reserved range with its guard page, mapping an fd, how
 * residency can be learned), opening a spec, the accessors and the
 * description. Opening per kind is in ps-source-open-*.c, the I/O on an
 * open source in ps-source-io.c, geometry in ps-geometry.c. */
#define G_LOG_DOMAIN "pagescope-source"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "ps-guard.h"
#include "ps-parse.h"
#include "ps-source-private.h"

G_DEFINE_FINAL_TYPE (PsSource, ps_source, G_TYPE_OBJECT)

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
    case PS_SOURCE_PROCESS: return "pid";
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
  g_mutex_clear (&self->pread_lock);
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
  self->pagemap_fd = -1;
  g_mutex_init (&self->pread_lock);
}

PsSource *
ps_source_alloc (PsSourceKind kind,
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
gboolean
ps_source_reserve_range (PsSource *self,
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

void
ps_source_release_range (PsSource *self)
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

gboolean
ps_source_map_mirror (PsSource *self,
                      guint64   length,
                      GError  **error)
{
  void *addr;

  if (!ps_source_reserve_range (self, length, error))
    return FALSE;
  addr = mmap (self->reserve, length, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
  if (addr == MAP_FAILED)
    {
      ps_call_fail (self->log, error, errno,
                    "mmap(%p, %" G_GUINT64_FORMAT ", PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_FIXED, -1, 0)",
                    self->reserve, length);
      ps_source_release_range (self);
      return FALSE;
    }
  ps_event_log_add (self->log, FALSE,
                    "mmap(%p, %" G_GUINT64_FORMAT ", PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE|MAP_FIXED, -1, 0) = %p (the mirror)",
                    self->reserve, length, addr);
  self->data = addr;
  return TRUE;
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
gboolean
ps_source_map_fd (PsSource    *self,
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
  if (!ps_source_reserve_range (self, length, error))
    return FALSE;

  addr = mmap (self->reserve, length, writable ? PROT_READ | PROT_WRITE : PROT_READ,
               map_flags | MAP_FIXED, self->fd, offset);
  if (addr == MAP_FAILED)
    {
      int errsv = errno;
      ps_call_fail (self->log, error, errsv, "mmap(%p, %" G_GUINT64_FORMAT ", %s, %s|MAP_FIXED, %d, %" G_GUINT64_FORMAT ")",
                    self->reserve, length, prot_string (writable), kind_flag_string (self->flags), self->fd, offset);
      ps_source_release_range (self);
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

/* ---- opening a spec ---------------------------------------------------- */

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
    case PS_SOURCE_PROCESS:
      return g_strdup_printf ("open(\"/proc/%d/maps\")", (int) spec->pid);
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
      if (spec->flags & PS_MAP_PREAD)
        return ps_source_open_pread (spec->path, spec->offset, spec->length, log, error);
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
    case PS_SOURCE_PROCESS:
      return ps_source_open_process (spec->pid, spec->path, spec->address, log, error);
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

gboolean
ps_source_is_pread (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);
  return (self->flags & PS_MAP_PREAD) != 0;
}

char *
ps_source_dup_viewer_label (PsSource *self)
{
  const char *how;

  g_return_val_if_fail (PS_IS_SOURCE (self), NULL);

  if (self->flags & PS_MAP_PREAD)
    return g_strdup (_("file on disk (pread)"));
  how = (self->flags & PS_MAP_PRIVATE) ? "MAP_PRIVATE" : "MAP_SHARED";
  if (self->kind == PS_SOURCE_SYSV)
    how = "shmat";
  if (self->view != NULL)
    {
      g_autofree char *command = ps_text_for_display (ps_process_view_get_command (self->view));

      /* TRANSLATORS: who looks at the object and how: "pid 4242 writer, MAP_PRIVATE" */
      return g_strdup_printf (_("pid %d %s, %s"), (int) self->pid, command, how);
    }
  /* TRANSLATORS: who looks at the object and how: "this process, MAP_SHARED" */
  return g_strdup_printf (_("this process, %s"), how);
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
ps_source_is_view (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);
  return self->kind == PS_SOURCE_PROCESS;
}

pid_t
ps_source_get_pid (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), 0);
  return self->pid;
}

const char *
ps_source_get_gone_reason (PsSource *self)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), NULL);
  return self->view != NULL ? ps_process_view_gone_reason (self->view) : NULL;
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
  if (self->kind == PS_SOURCE_PROCESS)
    {
      /* what it maps is that process's business: the spec names only which */
      spec->flags = PS_MAP_DEFAULT;
      spec->pid = self->pid;
      spec->address = self->map_address;
      return spec;
    }
  spec->size = self->kind == PS_SOURCE_ANON ? self->geometry.length : 0;
  if (self->kind == PS_SOURCE_FILE || self->kind == PS_SOURCE_POSIX)
    {
      spec->offset = self->geometry.offset;
      if (self->geometry.offset + self->geometry.length != self->geometry.object_size)
        spec->length = self->geometry.length;
    }
  return spec;
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
  g_autofree char *count = ps_format_bytes (bytes);

  return g_strdup_printf ("%s (%s)", count, size);
}

/* Whose mapping, and which: what a view adds to the description. */
static void
describe_view (PsSource  *self,
               GPtrArray *fields)
{
  const PsProcessMapping *m = ps_process_view_get_mapping (self->view);
  g_autofree char *command = ps_text_for_display (ps_process_view_get_command (self->view));
  const char *gone = ps_process_view_gone_reason (self->view);

  add_field (fields, _("Process"), g_strdup_printf ("%d (%s)", (int) self->pid, command));
  add_field (fields, _("Its mapping"), g_strdup_printf ("0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x %s, offset %" G_GUINT64_FORMAT,
                                                        m->start, m->end, m->perms, m->offset));
  if (m->path != NULL)
    add_field (fields, _("Maps"), ps_text_for_display (m->path));
  add_field (fields, _("State"), g_strdup (gone != NULL ? _(gone) : _("live")));
}

GPtrArray *
ps_source_describe (PsSource *self)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_field_free);
  const PsGeometry *g = &self->geometry;
  static const char *const kinds[] = { N_("File"), N_("Anonymous shared mapping"),
                                       N_("SysV shared memory"), N_("POSIX shared memory"),
                                       N_("Another process's mapping (read-only view)") };
  static const char *const residencies[] = { N_("mincore (exact)"),
                                             N_("lseek SEEK_DATA/SEEK_HOLE (mincore is unreliable for a segment we neither own nor may write)"),
                                             N_("unknown (mincore is unreliable for a file we neither own nor may write)"),
                                             N_("that process's /proc/PID/pagemap: the pages it has present, read through /proc/PID/mem; the others are never read") };

  add_field (fields, _("Kind"), g_strdup (_(kinds[self->kind])));
  if (self->flags & PS_MAP_PREAD)
    add_field (fields, _("Read with"),
               g_strdup (_("pread of the file into a local mirror, never mapped: what the page cache (or the disk) "
                           "holds; only the ranges lseek SEEK_DATA finds are read, holes never")));
  if (self->view != NULL)
    describe_view (self, fields);
  if (self->path != NULL && self->view == NULL)
    add_field (fields, _("Path"), ps_text_for_display (self->path));
  if (self->name != NULL)
    add_field (fields, _("Name"), ps_text_for_display (self->name));
  /* a segment's key, owner, permissions, attaches and times change while
   * it is shown: the details pane reads them live (ps-lifecycle) */
  if (self->kind == PS_SOURCE_SYSV)
    {
      add_field (fields, _("Key when opened"), g_strdup_printf ("0x%08x", (guint32) self->key));
      add_field (fields, _("shmid"), g_strdup_printf ("%d", self->shmid));
    }
  else if (self->fd >= 0)
    {
      struct stat st;

      if (fstat (self->fd, &st) == 0)
        {
          if (self->kind != PS_SOURCE_POSIX)
            {
              add_field (fields, _("Owner"), g_strdup_printf (_("uid %u, gid %u"), st.st_uid, st.st_gid));
              add_field (fields, _("Permissions"), g_strdup_printf ("0%o", st.st_mode & 07777));
            }
          add_field (fields, _("Allocated"), ps_format_size ((guint64) st.st_blocks * 512));
          if (self->kind != PS_SOURCE_POSIX)
            add_field (fields, _("Modified"), format_time (st.st_mtime));
        }
    }

  add_field (fields, _("Object size"), bytes_text (g->object_size));
  if (self->flags & PS_MAP_PREAD)
    /* TRANSLATORS: "offset 0, length 4096" */
    add_field (fields, _("Range read"), g_strdup_printf (_("offset %" PRIu64 ", length %" PRIu64),
                                                         g->offset, g->length));
  else
    /* TRANSLATORS: "MAP_SHARED, PROT_READ, offset 0, length 4096" */
    add_field (fields, _("Mapping"), g_strdup_printf (_("%s, %s, offset %" PRIu64 ", length %" PRIu64),
                                                      kind_flag_string (self->flags),
                                                      prot_string (self->flags & PS_MAP_WRITABLE),
                                                      g->offset, g->length));
  if (self->view != NULL || (self->flags & PS_MAP_PREAD))
    add_field (fields, _("Local mirror"), g_strdup_printf ("%p", self->data));
  else
    add_field (fields, _("Address"), g_strdup_printf ("%p", self->data));
  add_field (fields, _("Pages"), g_strdup_printf (_("%" PRIu64 " of %" PRIu64 " bytes: %" PRIu64 " inside EOF, %" PRIu64 " wholly past EOF"),
                                                  g->n_pages, g->page_size, g->n_inside, g->n_pages - g->n_inside));
  if (self->flags & PS_MAP_PREAD)
    add_field (fields, _("Residency from"), g_strdup (_("lseek SEEK_DATA/SEEK_HOLE on the file: the ranges that hold data (a hole is never read)")));
  else
    add_field (fields, _("Residency from"), g_strdup (_(residencies[self->residency])));
  return fields;
}
