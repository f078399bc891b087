/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who else looks at an object. See ps-mappers.h. */
#define G_LOG_DOMAIN "pagescope-mappers"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ps-mappers.h"
#include "ps-process-view.h"

/* comm is at most 15 bytes: "gnome-shell" fits, "kwin_wayland_wr…" is cut */
static const char * const display_servers[] = {
  "X", "Xorg", "Xvfb", "Xwayland", "Xephyr", "Xnest", "Xvnc", "Xtigervnc", "Xdummy",
  "gnome-shell", "mutter", "kwin_wayland", "kwin_x11", "kwin", "weston", "sway", "wlroots",
  "Hyprland", "labwc", "wayfire", "river", "cage", "gamescope", "xwayland-satell",
  NULL
};

const char * const *
ps_mappers_display_servers (void)
{
  return display_servers;
}

static gboolean
is_display_name (const char *name)
{
  return name != NULL && *name != '\0' && g_strv_contains (display_servers, name);
}

gboolean
ps_mappers_is_display_server (pid_t       pid,
                              const char *command)
{
  g_autofree char *exe_link = NULL;
  g_autofree char *exe = NULL;
  g_autofree char *base = NULL;

  if (is_display_name (command))
    return TRUE;
  if (pid <= 0)
    return FALSE;
  /* another user's exe link cannot be read: comm decides then */
  exe_link = g_strdup_printf ("/proc/%d/exe", (int) pid);
  exe = g_file_read_link (exe_link, NULL);
  if (exe == NULL)
    return FALSE;
  if (g_str_has_suffix (exe, " (deleted)"))
    exe[strlen (exe) - strlen (" (deleted)")] = '\0';
  base = g_path_get_basename (exe);
  return is_display_name (base);
}

static gboolean
any_display (GArray *mappers)
{
  for (guint i = 0; mappers != NULL && i < mappers->len; i++)
    {
      const PsMapper *m = &g_array_index (mappers, PsMapper, i);

      if (ps_mappers_is_display_server (m->pid, m->command))
        return TRUE;
    }
  return FALSE;
}

gboolean
ps_mappers_sysv_is_display (const PsSysvSegment *segment)
{
  g_autofree char *comm_path = NULL;
  g_autofree char *comm = NULL;

  if (any_display (segment->mappers))
    return TRUE;
  if ((segment->mappers != NULL && segment->mappers->len > 0) || segment->cpid <= 0)
    return FALSE;
  /* attached by nobody we can see: whoever made it decides */
  comm_path = g_strdup_printf ("/proc/%d/comm", (int) segment->cpid);
  if (g_file_get_contents (comm_path, &comm, NULL, NULL))
    g_strchomp (comm);
  return ps_mappers_is_display_server (segment->cpid, comm);
}

gboolean
ps_mappers_posix_is_display (const PsPosixSegment *segment)
{
  return any_display (segment->mappers);
}

/* The mappers of a file or POSIX segment by its inode: ps-segments' walk,
 * given a segment that stands for it. */
static GArray *
mappers_of_inode (dev_t     dev,
                  ino_t     ino,
                  gboolean *known)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_posix_segment_free);
  PsPosixSegment *stand_in = g_new0 (PsPosixSegment, 1);
  GArray *mappers;

  stand_in->name = g_strdup ("");
  stand_in->dev = dev;
  stand_in->ino = ino;
  g_ptr_array_add (list, stand_in);
  ps_segments_find_mappers (NULL, list);
  *known = stand_in->mappers_known;
  mappers = g_steal_pointer (&stand_in->mappers);
  return mappers;
}

static void
drop_self (GArray *mappers)
{
  for (guint i = mappers->len; i > 0; i--)
    if (g_array_index (mappers, PsMapper, i - 1).pid == getpid ())
      g_array_remove_index (mappers, i - 1);
}

GArray *
ps_mappers_of_source (PsSource *source,
                      gboolean *known)
{
  GArray *mappers = NULL;
  struct stat st;

  g_return_val_if_fail (PS_IS_SOURCE (source), NULL);

  *known = FALSE;
  if (ps_source_is_closed (source) || ps_source_is_view (source))
    return NULL;
  if (ps_source_get_kind (source) == PS_SOURCE_SYSV)
    {
      g_autoptr(GPtrArray) list = ps_segments_list_sysv (NULL);

      for (guint i = 0; list != NULL && i < list->len; i++)
        {
          PsSysvSegment *segment = g_ptr_array_index (list, i);

          if (segment->shmid != ps_source_get_shmid (source))
            continue;
          ps_segments_find_mappers (list, NULL);
          *known = segment->mappers_known;
          mappers = g_steal_pointer (&segment->mappers);
          break;
        }
    }
  else if (ps_source_get_fd (source) >= 0 && fstat (ps_source_get_fd (source), &st) == 0)
    mappers = mappers_of_inode (st.st_dev, st.st_ino, known);
  if (mappers != NULL)
    drop_self (mappers);
  return mappers;
}

gboolean
ps_mappers_find_address (pid_t    pid,
                         gboolean sysv,
                         guint64  dev,
                         guint64  ino,
                         guint64 *address)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/maps", (int) pid);
  g_autofree char *maps = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &maps, NULL, NULL))
    return FALSE;
  lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(PsProcessMapping) m = { 0 };

      if (!ps_process_mapping_parse (lines[i], &m) || m.inode != ino)
        continue;
      if (sysv ? (m.path != NULL && g_str_has_prefix (m.path, "/SYSV"))
               : makedev (m.dev_major, m.dev_minor) == dev)
        {
          *address = m.start;
          return TRUE;
        }
    }
  return FALSE;
}

static PsSourceSpec *
view_spec (pid_t     pid,
           gboolean  sysv,
           guint64   dev,
           guint64   ino,
           GError  **error)
{
  PsSourceSpec *spec;
  guint64 address;

  if (!ps_mappers_find_address (pid, sysv, dev, ino, &address))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("/proc/%d/maps: pid %d does not map it (any more), or its maps cannot be read"),
                   (int) pid, (int) pid);
      return NULL;
    }
  spec = g_new0 (PsSourceSpec, 1);
  spec->kind = PS_SOURCE_PROCESS;
  spec->pid = pid;
  spec->address = address;
  return spec;
}

PsSourceSpec *
ps_mappers_view_spec (PsSource *source,
                      pid_t     pid,
                      GError  **error)
{
  struct stat st;

  g_return_val_if_fail (PS_IS_SOURCE (source), NULL);

  if (ps_source_get_kind (source) == PS_SOURCE_SYSV)
    return view_spec (pid, TRUE, 0, (guint64) ps_source_get_shmid (source), error);
  if (ps_source_get_fd (source) < 0 || fstat (ps_source_get_fd (source), &st) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("only a file, a POSIX or a SysV segment can be seen through another process"));
      return NULL;
    }
  return view_spec (pid, FALSE, st.st_dev, st.st_ino, error);
}

PsSourceSpec *
ps_mappers_sysv_view_spec (const PsSysvSegment *segment,
                           pid_t                pid,
                           GError             **error)
{
  return view_spec (pid, TRUE, 0, (guint64) segment->shmid, error);
}

PsSourceSpec *
ps_mappers_posix_view_spec (const PsPosixSegment *segment,
                            pid_t                 pid,
                            GError              **error)
{
  return view_spec (pid, FALSE, segment->dev, segment->ino, error);
}

char *
ps_mappers_describe (GArray   *mappers,
                     gboolean  known,
                     guint     max_names)
{
  GString *text = g_string_new (NULL);
  guint n = mappers != NULL ? mappers->len : 0;

  for (guint i = 0; i < n && i < max_names; i++)
    {
      const PsMapper *m = &g_array_index (mappers, PsMapper, i);

      g_string_append_printf (text, "%s%d %s", i > 0 ? ", " : "", (int) m->pid, m->command);
    }
  if (n > max_names)
    /* TRANSLATORS: after the first names of processes: ", and 3 more" */
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, ", and %u more", ", and %u more", n - max_names),
                            n - max_names);
  if (!known)
    {
      if (n == 0)
        g_string_append (text, _("unknown"));
      else
        /* TRANSLATORS: more processes may map it than /proc lets us see */
        g_string_append (text, _(", maybe others"));
    }
  else if (n == 0)
    g_string_append (text, _("none"));
  return g_string_free (text, FALSE);
}
