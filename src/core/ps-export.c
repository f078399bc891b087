/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "ps-export.h"
#include "ps-guard.h"

#define RUN_PAGES 1024   /* asked for residency, and written, at a time */

/* Copies n bytes of the mapping at from into the file at to, one page at a
 * time so that a SIGBUS (the object shrinking) is caught. */
static __attribute__ ((noinline)) gboolean
copy_out (int           fd,
          const guint8 *from,
          gsize         n,
          guint64       to,
          guint8       *buf,
          gboolean     *faulted,
          GError      **error)
{
  *faulted = FALSE;
  if (!ps_guard_copy (buf, from, n, NULL))
    {
      *faulted = TRUE;
      return FALSE;
    }
  for (gsize done = 0; done < n;)
    {
      ssize_t w = pwrite (fd, buf + done, n - done, to + done);

      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          int errsv = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "pwrite(%" G_GUINT64_FORMAT " bytes): %s", (guint64) (n - done), g_strerror (errsv));
          return FALSE;
        }
      done += w;
    }
  return TRUE;
}

gboolean
ps_export_range (PsSource       *source,
                 guint64         offset,
                 guint64         length,
                 const char     *path,
                 guint64        *written,
                 GCancellable   *cancellable,
                 PsFindProgress  progress,
                 gpointer        user_data,
                 GError        **error)
{
  const guint8 *base = ps_source_get_data (source);
  g_autofree guint8 *vec = NULL;
  g_autofree guint8 *buf = NULL;
  gboolean shmem = ps_source_is_shmem (source);
  PsGeometry g;
  guint64 page, end, out = 0;
  int fd;

  g_return_val_if_fail (PS_IS_SOURCE (source), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (base == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("export: the source is closed"));
      return FALSE;
    }
  if (!ps_source_restat (source, &g, NULL, error))
    return FALSE;
  if (offset >= g.length || length == 0 || length > g.length - offset)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("export: %" PRIu64 " bytes at %" PRIu64 " do not lie inside the mapping"),
                   length, offset);
      return FALSE;
    }
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int errsv = errno;
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "open(\"%s\", O_WRONLY|O_CREAT|O_TRUNC): %s",
                   shown, g_strerror (errsv));
      return FALSE;
    }
  /* the whole length a hole first: what is never written stays one */
  if (ftruncate (fd, (off_t) length) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "ftruncate(%" G_GUINT64_FORMAT "): %s",
                   length, g_strerror (errsv));
      goto fail;
    }

  page = g.page_size;
  end = MIN (offset + length, g.data_length);   /* past EOF: zeros, left as a hole */
  vec = g_malloc (RUN_PAGES);
  buf = g_malloc (RUN_PAGES * page);
  ps_guard_install ();
  for (guint64 at = offset; at < end;)
    {
      guint64 first = at / page;
      guint64 n = MIN (RUN_PAGES, (end - 1) / page - first + 1);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto fail;
      ps_source_refresh (source, first, n);   /* a process view's mirror */
      if (!ps_source_query_residency (source, first, n, vec, NULL))
        memset (vec, PS_RESIDENT_UNKNOWN, n);
      for (guint64 i = 0; i < n && at < end;)
        {
          guint64 j = i;
          guint64 from, to;
          gboolean faulted;

          /* a run of pages to copy: for shared memory, allocated ones */
          while (j < n && (!shmem || vec[j] == PS_RESIDENT_YES))
            j++;
          from = MAX (at, (first + i) * page);
          to = MIN (end, (first + j) * page);
          if (j > i && from < to)
            {
              if (!copy_out (fd, base + from, to - from, from - offset, buf, &faulted, error))
                {
                  if (faulted)
                    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("export: SIGBUS: the object shrank while it was written out"));
                  goto fail;
                }
              out += to - from;
            }
          i = j < n && j == i ? j + 1 : j;
          at = MIN (end, (first + i) * page);
        }
      if (progress != NULL)
        progress (at - offset, length, user_data);
    }
  if (close (fd) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "close: %s", g_strerror (errsv));
      g_unlink (path);
      return FALSE;
    }
  if (written != NULL)
    *written = out;
  return TRUE;

fail:
  close (fd);
  g_unlink (path);
  return FALSE;
}
