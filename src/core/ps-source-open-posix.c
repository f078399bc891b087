/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening a POSIX segment by name, or creating one. */
#define G_LOG_DOMAIN "pagescope-source"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-source-private.h"

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
  g_autoptr(PsSource) self = ps_source_alloc (PS_SOURCE_POSIX, flags, log);
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
  if (!ps_source_map_fd (self, what, offset, length, error))
    {
      if (create)
        ps_source_remove (self, NULL);
      return NULL;
    }
  shown = ps_text_for_display_bounded (self->name, PS_DISPLAY_MAX_CHARS);
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
