/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A file read with pread, never mapped: "the file on disk" beside mappings
 * of it. Its bytes live in a local mirror, an anonymous MAP_NORESERVE
 * reservation of the range's size, which ps_source_refresh fills with
 * pread for the ranges lseek SEEK_DATA says hold data; a hole is never read
 * (it reads as zeros, and on tmpfs reading it could allocate it). pread
 * reads the page cache, so a store through another process's MAP_SHARED
 * mapping shows here before any msync (docs/KERNEL-FACTS.md). The scanner,
 * peek, find, watches and export read the mirror like any mapping. */
#define G_LOG_DOMAIN "pagescope-source"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-source-private.h"

/* The call that opens it, for refusals. */
static char *
open_call (const char *path,
           guint64     offset,
           guint64     length)
{
  return g_strdup_printf ("pread(\"%s\", offset=%" G_GUINT64_FORMAT ", length=%" G_GUINT64_FORMAT ")",
                          path, offset, length);
}

/* What it reads: [offset, offset + length) with length 0 meaning to EOF. */
static gboolean
decide_range (PsSource          *self,
              const char        *path,
              const struct stat *st,
              guint64            offset,
              guint64           *length,
              GError           **error)
{
  g_autofree char *call = open_call (path, offset, *length);

  if (S_ISDIR (st->st_mode))
    return ps_call_refuse (self->log, error, G_IO_ERROR_IS_DIRECTORY, call, _("it is a directory; choose a regular file"));
  if (!S_ISREG (st->st_mode))
    return ps_call_refuse (self->log, error, G_IO_ERROR_NOT_REGULAR_FILE, call,
                           _("not a regular file (a FIFO, socket or device cannot be read here)"));
  if (offset % page_size () != 0)
    return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("the offset must be a multiple of the page size (%" PRIu64 ")"), page_size ());
  if (*length == 0)
    {
      if ((guint64) st->st_size <= offset)
        return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                               _("the file is empty from that offset on; give a length"));
      *length = st->st_size - offset;
    }
  if (*length > G_MAXSIZE / 2 || offset > G_MAXINT64 - *length)
    return ps_call_refuse (self->log, error, G_IO_ERROR_INVALID_ARGUMENT, call, _("the length is too large"));
  return TRUE;
}

PsSource *
ps_source_open_pread (const char  *path,
                      guint64      offset,
                      guint64      length,
                      PsEventLog  *log,
                      GError     **error)
{
  g_autoptr(PsSource) self = NULL;
  g_autofree char *shown = NULL;
  struct stat st;

  g_return_val_if_fail (path != NULL, NULL);

  self = ps_source_alloc (PS_SOURCE_FILE, PS_MAP_PREAD, log);
  self->path = g_strdup (path);
  self->fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (self->fd < 0)
    {
      ps_call_fail (log, error, errno, "open(\"%s\", O_RDONLY)", path);
      return NULL;
    }
  ps_event_log_add (log, FALSE, "open(\"%s\", O_RDONLY) = %d (to pread it, never mapped)", path, self->fd);
  if (fstat (self->fd, &st) != 0)
    {
      ps_call_fail (log, error, errno, "fstat(%d)", self->fd);
      return NULL;
    }
  if (!decide_range (self, path, &st, offset, &length, error))
    return NULL;

  /* a hole is never read, as for shared memory: SEEK_DATA says where data is */
  self->shmem = TRUE;
  self->residency = PS_RESIDENCY_SEEK_DATA;
  if (!ps_source_map_mirror (self, length, error))
    return NULL;
  ps_geometry_init (&self->geometry, st.st_size, offset, length, page_size ());
  shown = ps_text_for_display (path);
  /* TRANSLATORS: the title of a file read with pread: "/tmp/data (pread)" */
  self->display_name = g_strdup_printf (_("%s (pread)"), shown);
  return g_steal_pointer (&self);
}

/* pread of [from, to) (offsets in the range read) into the mirror; bytes
 * past what the file holds now are zero. */
static void
read_run (PsSource *self,
          guint64   from,
          guint64   to)
{
  guint64 done = from;

  while (done < to)
    {
      ssize_t r = pread (self->fd, self->data + done, to - done, (off_t) (self->geometry.offset + done));

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      done += (guint64) r;
    }
  if (done < to)
    memset (self->data + done, 0, to - done);   /* EOF moved under us */
}

/* A hole: the mirror's pages go back to reading zeros (a page never read
 * costs nothing to drop). Whole pages only. */
static void
drop_run (PsSource *self,
          guint64   from,
          guint64   to)
{
  guint64 page = page_size ();
  guint64 lo = round_up (from, page);
  guint64 hi = to / page * page;

  if (lo > from)
    memset (self->data + from, 0, MIN (lo, to) - from);
  if (hi > lo)
    madvise (self->data + lo, hi - lo, MADV_DONTNEED);
  if (hi < to && hi >= lo)
    memset (self->data + hi, 0, to - hi);
}

void
ps_source_pread_refresh (PsSource *self,
                         guint64   first,
                         guint64   n)
{
  guint64 page = page_size ();
  guint64 start = first * page;
  guint64 end = MIN ((first + n) * page, self->geometry.length);
  guint64 pos = start;
  struct stat st;

  if (fstat (self->fd, &st) != 0)
    return;
  /* nothing past EOF is read: those pages are past EOF, or the last one's tail */
  if ((guint64) st.st_size <= self->geometry.offset)
    end = start;
  else
    end = MIN (end, (guint64) st.st_size - self->geometry.offset);

  g_mutex_lock (&self->pread_lock);
  while (pos < end)
    {
      gint64 data = lseek (self->fd, (off_t) (self->geometry.offset + pos), SEEK_DATA);
      gint64 hole;

      if (data < 0)   /* ENXIO: no data from pos on */
        data = (gint64) (self->geometry.offset + end);
      data = MIN ((guint64) data - self->geometry.offset, end);
      if (data > (gint64) pos)
        drop_run (self, pos, data);
      if ((guint64) data >= end)
        break;
      hole = lseek (self->fd, (off_t) (self->geometry.offset + data), SEEK_HOLE);
      if (hole < 0)
        hole = (gint64) (self->geometry.offset + end);
      hole = MIN ((guint64) hole - self->geometry.offset, end);
      read_run (self, data, hole);
      pos = hole;
    }
  /* the tail of the last page past EOF reads as zeros, as in a mapping */
  if (end < MIN ((first + n) * page, self->geometry.length) && end % page != 0)
    memset (self->data + end, 0, round_up (end, page) - end);
  g_mutex_unlock (&self->pread_lock);
}
