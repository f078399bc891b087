/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saving a snapshot: the old side of the diff written to a file, a run of
 * pages at a time, in a worker thread that a GCancellable stops. */
#define G_LOG_DOMAIN "pagescope-snapshot"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-snapshot-private.h"

static gboolean
write_all (int           fd,
           const guint8 *buf,
           gsize         len,
           guint64       offset,
           const char   *path,
           GError      **error)
{
  while (len > 0)
    {
      ssize_t n = pwrite (fd, buf, len, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "pwrite(%s): %s", path, g_strerror (errsv));
          return FALSE;
        }
      buf += n;
      len -= n;
      offset += n;
    }
  return TRUE;
}

/* SAVE_CHUNK pages at a time: one read of the mapping for a run of pages
 * that did not change, not one a page. */
#define SAVE_CHUNK 256

static gboolean
save_pages (PsSnapshot    *self,
            int            fd,
            const char    *path,
            guint64        data_length,
            guint64       *n_unknown,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize chunk = SAVE_CHUNK * self->page_size;
  g_autofree guint8 *buf = g_malloc (chunk);
  g_autofree guint8 *known = g_malloc (chunk);
  g_autofree guint8 *zero = g_malloc0 (self->page_size);

  for (guint64 at = 0; at < data_length; at += chunk)
    {
      gsize len = MIN (chunk, data_length - at);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      ps_snapshot_get_old_bytes (self, at, len, buf, known);
      for (gsize off = 0; off < len; off += self->page_size)
        {
          gsize n = MIN (self->page_size, len - off);

          if (memchr (known + off, 0, n) != NULL)
            (*n_unknown)++;
          /* zeros stay a hole: the file is as sparse as the segment */
          else if (memcmp (buf + off, zero, n) != 0 && !write_all (fd, buf + off, n, at + off, path, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
ps_snapshot_save (PsSnapshot    *self,
                  const char    *path,
                  guint64       *n_unknown,
                  GCancellable  *cancellable,
                  GError       **error)
{
  guint64 unknown = 0, data_length;
  int fd;
  gboolean ok;

  g_return_val_if_fail (PS_IS_SNAPSHOT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data_length = self->kind == PS_SNAPSHOT_FILE ? self->n_file_pages * self->page_size
                                               : ps_source_get_geometry (self->source)->data_length;
  if (self->kind == PS_SNAPSHOT_FILE)
    {
      struct stat st;

      if (fstat (self->fd, &st) == 0)
        data_length = st.st_size;
    }
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "open(%s, O_CREAT|O_EXCL): %s", path,
                   g_strerror (errsv));
      return FALSE;
    }
  ok = ftruncate (fd, data_length) == 0;
  if (!ok)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "ftruncate(%s, %" G_GUINT64_FORMAT "): %s",
                   path, data_length, g_strerror (errsv));
    }
  ok = ok && save_pages (self, fd, path, data_length, &unknown, cancellable, error);
  if (close (fd) != 0 && ok)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "close(%s): %s", path, g_strerror (errsv));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (path);
      return FALSE;
    }
  if (n_unknown != NULL)
    *n_unknown = unknown;
  return TRUE;
}

typedef struct
{
  char    *path;
  guint64  n_unknown;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SaveData *data = task_data;
  GError *error = NULL;

  if (ps_snapshot_save (source_object, data->path, &data->n_unknown, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
ps_snapshot_save_async (PsSnapshot          *self,
                        const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveData *data;

  g_return_if_fail (PS_IS_SNAPSHOT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_snapshot_save_async);
  data = g_new0 (SaveData, 1);
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_in_thread);
}

gboolean
ps_snapshot_save_finish (PsSnapshot    *self,
                         GAsyncResult  *result,
                         guint64       *n_unknown,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (n_unknown != NULL)
    *n_unknown = ((SaveData *) g_task_get_task_data (G_TASK (result)))->n_unknown;
  return g_task_propagate_boolean (G_TASK (result), error);
}

