/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The I/O on an open source: restat, residency, peek, write, msync, close
 * and remove. restat, residency and peek are thread-safe (the scanner calls
 * them); the rest run on the caller's thread and log each call. */
#define G_LOG_DOMAIN "pagescope-source"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-guard.h"
#include "ps-parse.h"
#include "ps-proc.h"
#include "ps-source-private.h"

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
  else if (self->view != NULL)
    {
      ps_process_view_check (self->view);
      size = ps_process_view_object_size (self->view, &gone, NULL);
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

/* ---- the name, taken again --------------------------------------------- */

/* A stat of what the name names now is another inode than the mapped fd's. */
static gboolean
other_inode (int                fd,
             const struct stat *now)
{
  struct stat mine;

  return fd < 0 || fstat (fd, &mine) != 0 || mine.st_dev != now->st_dev || mine.st_ino != now->st_ino;
}

gboolean
ps_source_name_taken (PsSource *self)
{
  struct stat st;

  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);

  if (self->view != NULL)
    return FALSE;
  switch (self->kind)
    {
    case PS_SOURCE_FILE:
      return self->path != NULL && stat (self->path, &st) == 0 && other_inode (self->fd, &st);
    case PS_SOURCE_POSIX:
      {
        int fd;
        gboolean taken;

        if (self->name == NULL)
          return FALSE;
        fd = shm_open (self->name, O_RDONLY | O_CLOEXEC, 0);
        if (fd < 0)
          return errno == EACCES;   /* there, not ours to open */
        taken = fstat (fd, &st) == 0 && other_inode (self->fd, &st);
        close (fd);
        return taken;
      }
    case PS_SOURCE_SYSV:
      {
        int id;

        /* IPC_RMID gives the removed segment the key IPC_PRIVATE: only
         * another segment answers to the key now */
        if (self->key == IPC_PRIVATE)
          return FALSE;
        id = shmget (self->key, 0, 0);
        return id >= 0 ? id != self->shmid : errno == EACCES;
      }
    default:
      return FALSE;
    }
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

/* A process view: what that process has present, from its pagemap. */
static gboolean
query_pagemap (PsSource *self,
               guint64   first_page,
               guint64   n_pages,
               guint8   *vec)
{
  guint64 entries[512];

  for (guint64 at = 0; at < n_pages; at += G_N_ELEMENTS (entries))
    {
      guint64 n = MIN (G_N_ELEMENTS (entries), n_pages - at);

      ps_process_view_read_pagemap (self->view, first_page + at, n, entries);
      for (guint64 i = 0; i < n; i++)
        vec[at + i] = (entries[i] >> 63) ? PS_RESIDENT_YES : PS_RESIDENT_NO;
    }
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

    case PS_RESIDENCY_PAGEMAP:
      return query_pagemap (self, first_page, n_pages, vec);

    case PS_RESIDENCY_UNKNOWN:
    default:
      memset (vec, PS_RESIDENT_UNKNOWN, n_pages);
      return TRUE;
    }
}

void
ps_source_refresh (PsSource *self,
                   guint64   first_page,
                   guint64   n_pages)
{
  g_return_if_fail (PS_IS_SOURCE (self));

  if ((self->view == NULL && !(self->flags & PS_MAP_PREAD)) || self->data == NULL || n_pages == 0)
    return;
  g_return_if_fail (first_page + n_pages <= self->geometry.n_pages);
  if (self->flags & PS_MAP_PREAD)
    ps_source_pread_refresh (self, first_page, n_pages);
  else
    ps_process_view_refresh (self->view, self->data, first_page, n_pages);
}

gboolean
ps_source_read_pagemap (PsSource *self,
                        guint64   first_page,
                        guint64   n_pages,
                        guint64  *entries)
{
  guint64 vpage;
  int fd;

  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (first_page + n_pages <= self->geometry.n_pages, FALSE);

  /* a file read with pread has no pages of ours: the mirror's say nothing */
  if (self->data == NULL || (self->flags & PS_MAP_PREAD))
    return FALSE;
  if (self->view != NULL)
    {
      ps_process_view_read_pagemap (self->view, first_page, n_pages, entries);
      return TRUE;
    }
  /* opened once, by whichever thread asks first */
  fd = g_atomic_int_get (&self->pagemap_fd);
  if (fd < 0)
    {
      fd = open ("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        return FALSE;
      if (!g_atomic_int_compare_and_exchange (&self->pagemap_fd, -1, fd))
        {
          close (fd);
          fd = g_atomic_int_get (&self->pagemap_fd);
        }
    }
  vpage = (guintptr) self->data / self->geometry.page_size + first_page;
  for (guint64 done = 0; done < n_pages;)
    {
      ssize_t got = pread (fd, entries + done, (n_pages - done) * sizeof (guint64),
                           (off_t) ((vpage + done) * sizeof (guint64)));

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        return FALSE;
      done += (guint64) got / sizeof (guint64);
    }
  return TRUE;
}

gboolean
ps_source_check_own_mapping (PsSource   *self,
                             const char *call,
                             GError    **error)
{
  g_return_val_if_fail (PS_IS_SOURCE (self), FALSE);

  if (self->flags & PS_MAP_PREAD)
    return ps_call_refuse (self->log, error, G_IO_ERROR_NOT_SUPPORTED, call,
                           _("this is the file's bytes read with pread, not a mapping: it can only be watched. "
                             "Writes, msync, probes and writer children act on a mapping; "
                             "open the file mapped to act on it"));
  if (self->kind != PS_SOURCE_PROCESS)
    return TRUE;
  return ps_call_refuse (self->log, error, G_IO_ERROR_NOT_SUPPORTED, call,
                         _("this is a view of pid %d's mapping, read through /proc/%d/mem: it can only be watched. "
                           "Writes, msync, probes and writer children act on a mapping of Pagescope's own; "
                           "open the object itself to act on it"),
                         (int) self->pid, (int) self->pid);
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
  ps_source_refresh (self, first, last - first + 1);
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
                           g_dngettext (GETTEXT_PACKAGE,
                                        "%" PRIu64 " byte at offset %" PRIu64 " runs past the end of the mapping (length %" PRIu64 ")",
                                        "%" PRIu64 " bytes at offset %" PRIu64 " run past the end of the mapping (length %" PRIu64 ")",
                                        len),
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
  if (!ps_source_check_own_mapping (self, call, error))
    return FALSE;
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
  guint64 address = (guintptr) self->data;

  *shared_dirty = *private_dirty = -1;
  if (self->data == NULL || (self->flags & PS_MAP_PREAD))
    return FALSE;
  if (self->view != NULL)
    {
      /* that process's own figures for its mapping */
      contents = ps_process_view_read_file (self->view, "smaps");
      address = ps_process_view_get_mapping (self->view)->start;
    }
  else if (!g_file_get_contents ("/proc/self/smaps", &contents, NULL, NULL))
    contents = NULL;
  if (contents == NULL)
    return FALSE;
  return ps_proc_parse_smaps_dirty (contents, address, shared_dirty, private_dirty);
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
  if (!ps_source_check_own_mapping (self, call, error) || !check_range (self, call, offset, length, error))
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
  ps_source_release_range (self);
  g_clear_pointer (&self->view, ps_process_view_free);
  if (self->pagemap_fd >= 0)
    {
      close (self->pagemap_fd);
      self->pagemap_fd = -1;
    }

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
