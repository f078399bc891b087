/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-test-util.h"

char *
ps_test_posix_name (const char *tag)
{
  static guint serial;
  return g_strdup_printf ("/pagescope-test-%d-%s-%u", (int) getpid (), tag, g_atomic_int_add (&serial, 1));
}

char *
ps_test_make_file (const char *tag,
                   gsize       size,
                   guint8      fill)
{
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-%s-XXXXXX", (int) getpid (), tag);
  g_autofree guint8 *contents = g_malloc (MAX (size, 1));
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd;

  memset (contents, fill, size);
  fd = g_file_open_tmp (template, &path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_file_set_contents (path, (const char *) contents, size, &error);
  g_assert_no_error (error);
  return path;
}

static void
unlink_path (gpointer path)
{
  unlink (path);
  g_free (path);
}

char *
ps_test_file (const char *tag,
              gsize       size,
              guint8      fill)
{
  char *path = ps_test_make_file (tag, size, fill);

  g_test_queue_destroy (unlink_path, g_strdup (path));
  return path;
}

gsize
ps_test_page_size (void)
{
  return (gsize) sysconf (_SC_PAGESIZE);
}

int
ps_test_sysv_key (guint n)
{
  return (int) (0x50530000u | ((guint) (getpid () & 0xff) << 8) | (n & 0xff));
}

gboolean
ps_test_wait_until (gboolean (*func) (gpointer data),
                    gpointer   data,
                    guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!func (data))
    {
      if (g_get_monotonic_time () > deadline)
        return func (data);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

pid_t
ps_test_fork (int    (*func) (gpointer data),
              gpointer data)
{
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (func (data));
  return pid;
}

int
ps_test_reap (pid_t pid,
              guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  int status = 0;

  for (;;)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);

      if (r == pid)
        return status;
      if (r < 0 && errno != EINTR)
        g_error ("waitpid(%d): %s", (int) pid, g_strerror (errno));
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          g_error ("child %d did not exit within %u ms", (int) pid, timeout_ms);
        }
      g_usleep (1000);
    }
}

gboolean
ps_test_become_nobody (void)
{
  if (geteuid () != 0)
    return FALSE;
  return setgroups (0, NULL) == 0 && setresgid (65534, 65534, 65534) == 0 &&
         setresuid (65534, 65534, 65534) == 0;
}

guint64
ps_test_allocated (int fd)
{
  struct stat st;

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  return (guint64) st.st_blocks * 512;
}
