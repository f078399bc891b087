/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Opening a file: map it (ps_source_open_file), and the demo file. */
#define G_LOG_DOMAIN "pagescope-source"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-source-private.h"

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

  if (flags & PS_MAP_PREAD)
    return ps_source_open_pread (path, offset, length, log, error);
  self = ps_source_alloc (PS_SOURCE_FILE, flags, log);
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
  if (!ps_source_map_fd (self, what, offset, length, error))
    return NULL;

  self->display_name = ps_text_for_display_bounded (path, PS_DISPLAY_MAX_CHARS);
  return g_steal_pointer (&self);
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
  shown = ps_text_for_display_bounded (path, PS_DISPLAY_MAX_CHARS);
  self->display_name = g_strdup_printf (_("Demo file %s"), shown);
  return self;
}
