/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Making an anonymous shared mapping (MAP_SHARED|MAP_ANONYMOUS). */
#define G_LOG_DOMAIN "pagescope-source"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/mman.h>

#include "ps-parse.h"
#include "ps-source-private.h"

PsSource *
ps_source_new_anon (guint64      size,
                    PsEventLog  *log,
                    GError     **error)
{
  g_autoptr(PsSource) self = ps_source_alloc (PS_SOURCE_ANON, PS_MAP_WRITABLE, log);
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
  if (!ps_source_reserve_range (self, size, error))
    return NULL;

  addr = mmap (self->reserve, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (addr == MAP_FAILED)
    {
      ps_call_fail (log, error, errno, "mmap(%p, %" G_GUINT64_FORMAT ", PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0)",
                    self->reserve, size);
      ps_source_release_range (self);
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
