/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening a process view: another process's mapping, read-only. Its bytes
 * live in a local mirror, an anonymous MAP_NORESERVE reservation of the
 * mapping's size (a page never read costs nothing), which
 * ps_source_refresh fills from /proc/PID/mem for the pages that process has
 * present. The scanner, peek, find, watches and export read the mirror
 * through ps_source_get_data like any mapping. */
#define G_LOG_DOMAIN "pagescope-source"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-parse.h"
#include "ps-source-private.h"

static char *
display_name (PsProcessView *view)
{
  const PsProcessMapping *m = ps_process_view_get_mapping (view);
  g_autofree char *what = NULL;
  g_autofree char *command = ps_text_for_display_bounded (ps_process_view_get_command (view), PS_DISPLAY_MAX_CHARS);

  if (m->path != NULL)
    what = ps_text_for_display_bounded (m->path, PS_DISPLAY_MAX_CHARS);
  else
    what = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", m->start);
  /* TRANSLATORS: a process view's title: "pid 4242 writer, MAP_PRIVATE /tmp/data" */
  return g_strdup_printf (_("pid %d %s, %s %s"), (int) ps_process_view_get_pid (view), command,
                          m->perms[3] == 'p' ? "MAP_PRIVATE" : "MAP_SHARED", what);
}

PsSource *
ps_source_open_process (pid_t        pid,
                        const char  *path,
                        guint64      address,
                        PsEventLog  *log,
                        GError     **error)
{
  g_autoptr(PsSource) self = NULL;
  g_autoptr(PsProcessView) view = NULL;
  g_autofree char *absolute = path != NULL ? g_canonicalize_filename (path, NULL) : NULL;
  const PsProcessMapping *m;
  guint64 object_size;

  view = ps_process_view_open (pid, absolute, address, log, error);
  if (view == NULL)
    return NULL;
  m = ps_process_view_get_mapping (view);

  /* never writable: a view cannot act on that process's memory */
  self = ps_source_alloc (PS_SOURCE_PROCESS, m->perms[3] == 'p' ? PS_MAP_PRIVATE : PS_MAP_DEFAULT, log);
  self->pid = pid;
  self->path = g_steal_pointer (&absolute);
  self->map_address = path == NULL ? address : 0;
  /* a page that process does not have present is never read: the scanner,
   * peek, find and export treat it as a hole, as they do unallocated shmem */
  self->shmem = TRUE;
  self->residency = PS_RESIDENCY_PAGEMAP;
  if (!ps_source_map_mirror (self, m->end - m->start, error))
    return NULL;
  object_size = ps_process_view_object_size (view, NULL, NULL);
  ps_geometry_init (&self->geometry, object_size, m->offset, m->end - m->start, page_size ());
  self->display_name = display_name (view);
  self->view = g_steal_pointer (&view);
  return g_steal_pointer (&self);
}
