/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real pagescope binary driven as a script drives it: see
 * ps-app-test-util.h. The app and every gapplication call use a private
 * D-Bus daemon started here, so these tests never meet another test's
 * instance of the same app id. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-app-test-util.h"
#include "ps-test-util.h"

GPid             bus_pid;
static int       bus_out = -1;
char           **child_env;    /* the private bus, for the app and gapplication */
GDBusConnection *bus;          /* ours, to ask who owns APP_ID */

/* ---- processes ------------------------------------------------------------ */

/* In the spawned child: if this test dies, so does what it started. */
static void
die_with_test (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}


gboolean
proc_stat (pid_t     pid,
           ProcStat *st)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  const char *p;
  int ppid;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strrchr (text, ')')) == NULL ||
      sscanf (p + 1, " %c %d", &st->state, &ppid) != 2)
    return FALSE;
  st->ppid = ppid;
  return TRUE;
}

/* Every process whose parent is ppid, as "PID (state S)" lines; "" if none.
 * skip is left out (our bus daemon). */
char *
children_of (pid_t ppid,
             pid_t skip)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  GString *found = g_string_new (NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      ProcStat st;
      pid_t pid = atoi (name);

      if (pid > 0 && pid != skip && proc_stat (pid, &st) && st.ppid == ppid)
        g_string_append_printf (found, "%d (state %c)\n", (int) pid, st.state);
    }
  return g_string_free (found, FALSE);
}

/* Nothing but the bus daemon is this test's child: no app, no orphan, no zombie. */
void
assert_no_stray_children (void)
{
  g_autofree char *left = children_of (getpid (), bus_pid);

  g_assert_cmpstr (left, ==, "");
}

/* The pid is no process any more, or (reused) one that is neither a child of
 * the app nor of this test. */
gboolean
pid_gone (pid_t pid,
          pid_t app_pid)
{
  ProcStat st;

  return !proc_stat (pid, &st) || (st.ppid != app_pid && st.ppid != getpid ());
}

/* ---- the private bus -------------------------------------------------------- */

void
bus_up (void)
{
  const char *argv[] = { "dbus-daemon", "--session", "--nofork", "--print-address", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) address = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                            G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                            die_with_test, NULL, &bus_pid, NULL, &bus_out, NULL, &error);
  g_assert_no_error (error);
  while (strchr (address->str, '\n') == NULL)
    {
      struct pollfd pfd = { bus_out, POLLIN, 0 };
      char buf[256];
      ssize_t n;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (poll (&pfd, 1, 100) <= 0)
        continue;
      n = read (bus_out, buf, sizeof buf);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (address, buf, n);
    }
  g_strstrip (address->str);

  child_env = g_get_environ ();
  child_env = g_environ_setenv (child_env, "DBUS_SESSION_BUS_ADDRESS", address->str, TRUE);
  /* nothing to activate on this bus (GTK would start the a11y bus for each app) */
  child_env = g_environ_setenv (child_env, "GTK_A11Y", "none", TRUE);

  bus = g_dbus_connection_new_for_address_sync (address->str,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
}

void
bus_down (void)
{
  int status;

  g_dbus_connection_close_sync (bus, NULL, NULL);
  g_clear_object (&bus);
  kill (bus_pid, SIGTERM);
  status = ps_test_reap (bus_pid, DEADLINE_MS);
  g_assert_true (WIFEXITED (status) || WIFSIGNALED (status));
  close (bus_out);
  g_clear_pointer (&child_env, g_strfreev);
}

gboolean
app_id_owned (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "NameHasOwner",
                                                           g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  gboolean owned;

  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &owned);
  return owned;
}

gboolean
app_id_free (gpointer data)
{
  return !app_id_owned ();
}

/* `gapplication action APP_ID NAME 'ARG'`, which must succeed. */
void
gapp_action (const char *name,
             const char *arg)
{
  g_autoptr(GVariant) param = arg != NULL ? g_variant_ref_sink (g_variant_new_string (arg)) : NULL;
  g_autofree char *param_text = param != NULL ? g_variant_print (param, FALSE) : NULL;
  const char *argv[] = { "gapplication", "action", APP_ID, name, param_text, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, child_env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("gapplication action %s %s: %s\n%s%s", name, param_text ? param_text : "", error->message, out, err);
}

/* ---- the app ---------------------------------------------------------------- */


static void
take_output (App      *app,
             int       fd,
             gboolean *eof)
{
  char buf[8192];
  ssize_t n;

  while ((n = read (fd, buf, sizeof buf)) > 0)
    {
      if (fd == app->err_fd)
        {
          g_string_append_len (app->err, buf, n);
          continue;
        }
      for (ssize_t i = 0; i < n; i++)
        {
          if (buf[i] != '\n')
            g_string_append_c (app->partial, buf[i]);
          else
            {
              g_ptr_array_add (app->lines, g_strdup (app->partial->str));
              g_string_truncate (app->partial, 0);
            }
        }
    }
  if (n == 0)
    *eof = TRUE;
}

/* Reads what the app wrote, waiting at most timeout_ms for something to read. */
void
app_pump (App *app,
          int  timeout_ms)
{
  struct pollfd pfd[2] = {
    { app->out_eof ? -1 : app->out_fd, POLLIN, 0 },
    { app->err_eof ? -1 : app->err_fd, POLLIN, 0 },
  };

  if (app->out_eof && app->err_eof)
    return;
  if (poll (pfd, 2, timeout_ms) <= 0)
    return;
  if (pfd[0].revents)
    take_output (app, app->out_fd, &app->out_eof);
  if (pfd[1].revents)
    take_output (app, app->err_fd, &app->err_eof);
}

void
app_dump (App *app)
{
  g_printerr ("---- the app's stdout ----\n");
  for (guint i = 0; i < app->lines->len; i++)
    g_printerr ("%s\n", (char *) g_ptr_array_index (app->lines, i));
  g_printerr ("%s\n---- its stderr ----\n%s\n----\n", app->partial->str, app->err->str);
}

/* Waits until cond(data) holds, reading the app's output meanwhile. */
gboolean
app_wait (App       *app,
          gboolean (*cond) (gpointer data),
          gpointer   data,
          guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return cond (data);
      app_pump (app, 5);
    }
  return TRUE;
}

/* Waits for a log line, from line *from on, that matches STAMP pattern $
 * (the whole line); moves *from past it and returns the pattern's groups
 * (0: its first). Fails the test after DEADLINE_MS. */
char **
app_wait_line (App        *app,
               guint      *from,
               const char *pattern)
{
  g_autofree char *anchored = g_strdup_printf (STAMP "(%s)$", pattern);
  g_autoptr(GRegex) regex = g_regex_new (anchored, 0, 0, NULL);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * 1000;

  g_assert_nonnull (regex);
  for (;;)
    {
      for (; *from < app->lines->len; (*from)++)
        {
          g_autoptr(GMatchInfo) match = NULL;

          if (g_regex_match (regex, g_ptr_array_index (app->lines, *from), 0, &match))
            {
              g_auto(GStrv) all = g_match_info_fetch_all (match);

              (*from)++;
              /* [0] the whole line, [1] its text, then the pattern's groups */
              return g_strdupv (all + 2);
            }
        }
      if (g_get_monotonic_time () > deadline || app->out_eof)
        {
          app_dump (app);
          g_error ("no log line matched /%s/ within %d ms", pattern, DEADLINE_MS);
        }
      app_pump (app, 20);
    }
}

/* Like app_wait_line, when the groups do not matter. */
void
expect_line (App        *app,
             guint      *from,
             const char *pattern)
{
  g_strfreev (app_wait_line (app, from, pattern));
}

/* A line whose text is exactly text. */
void
expect_text (App        *app,
             guint      *from,
             const char *text)
{
  g_autofree char *escaped = g_regex_escape_string (text, -1);

  expect_line (app, from, escaped);
}

/* Starts the binary with args and waits until it has mapped its source (the
 * mmap line on its stdout) and owns APP_ID on the bus. */
App *
app_start (const char * const *args)
{
  App *app = g_new0 (App, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) mapped = NULL;
  guint from = 0;

  /* the previous test's instance is gone: this one must be the primary */
  g_assert_true (ps_test_wait_until (app_id_free, NULL, DEADLINE_MS));

  g_ptr_array_add (argv, (char *) g_getenv ("PAGESCOPE_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_nonnull (g_ptr_array_index (argv, 0));

  app->partial = g_string_new (NULL);
  app->lines = g_ptr_array_new_with_free_func (g_free);
  app->err = g_string_new (NULL);
  g_spawn_async_with_pipes (NULL, (char **) argv->pdata, child_env, G_SPAWN_DO_NOT_REAP_CHILD,
                            die_with_test, NULL, &app->pid, NULL, &app->out_fd, &app->err_fd, &error);
  g_assert_no_error (error);
  /* killed if the test ends with it still running, however it ends */
  ps_test_queue_kill (app->pid);
  g_unix_set_fd_nonblocking (app->out_fd, TRUE, NULL);
  g_unix_set_fd_nonblocking (app->err_fd, TRUE, NULL);

  /* the object itself, mapped over the reservation: MAP_FIXED at its start */
  mapped = app_wait_line (app, &from, "mmap\\((0x[0-9a-f]+), [0-9]+, PROT_[A-Z_|]+, MAP_(SHARED|PRIVATE)\\|MAP_FIXED, [0-9]+, 0\\) = (0x[0-9a-f]+)");
  g_assert_cmpstr (mapped[0], ==, mapped[2]);
  app->map_addr = g_strdup (mapped[0]);
  app->map_type = g_strdup (mapped[1]);
  g_assert_true (app_id_owned ());
  return app;
}

gboolean
app_alive (App *app)
{
  int status;

  if (app->reaped)
    return FALSE;
  if (waitpid (app->pid, &status, WNOHANG) == app->pid)
    {
      app->reaped = TRUE;
      app->status = status;
      return FALSE;
    }
  return TRUE;
}

gboolean
app_exited (gpointer data)
{
  return !app_alive (data);
}

gboolean
app_output_closed (gpointer data)
{
  App *app = data;
  return app->out_eof && app->err_eof;
}

/* The app is gone (quit or killed): reap it, read its output to the end (no
 * child of its may hold its stdout), and wait until APP_ID is free. */
void
app_finish (App *app)
{
  if (!app_wait (app, app_exited, app, DEADLINE_MS))
    {
      app_dump (app);
      kill (app->pid, SIGKILL);
      g_error ("the app did not exit within %d ms", DEADLINE_MS);
    }
  if (!app_wait (app, app_output_closed, app, DEADLINE_MS))
    {
      app_dump (app);
      g_error ("something still holds the app's stdout or stderr open");
    }
  g_assert_true (ps_test_wait_until (app_id_free, NULL, DEADLINE_MS));
}

/* Quits through D-Bus, as a script would; the app must exit 0. */
void
app_quit (App *app)
{
  gapp_action ("quit", NULL);
  app_finish (app);
  if (!WIFEXITED (app->status) || WEXITSTATUS (app->status) != 0)
    {
      app_dump (app);
      g_error ("the app ended with wait status 0x%x", app->status);
    }
  assert_no_stray_children ();
}

void
app_free (App *app)
{
  g_assert_true (app->reaped);
  close (app->out_fd);
  close (app->err_fd);
  g_string_free (app->partial, TRUE);
  g_ptr_array_unref (app->lines);
  g_string_free (app->err, TRUE);
  g_free (app->map_addr);
  g_free (app->map_type);
  g_free (app);
}

/* ---- the file ---------------------------------------------------------------- */

GBytes *
file_read (const char *path,
           off_t       offset,
           gsize       len)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  guint8 *buf = g_malloc0 (MAX (len, 1));
  ssize_t n;

  g_assert_cmpint (fd, >=, 0);
  n = pread (fd, buf, len, offset);
  g_assert_cmpint (n, ==, (ssize_t) len);
  close (fd);
  return g_bytes_new_take (buf, len);
}

void
assert_file_bytes (const char *path,
                   off_t       offset,
                   const void *expected,
                   gsize       len)
{
  g_autoptr(GBytes) got = file_read (path, offset, len);

  g_assert_cmpmem (g_bytes_get_data (got, NULL), len, expected, len);
}

void
assert_file_filled (const char *path,
                    gsize       size,
                    guint8      fill)
{
  g_autofree guint8 *expected = g_malloc (size);
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, size);
  memset (expected, fill, size);
  assert_file_bytes (path, 0, expected, size);
}


/* ---- writer children ----------------------------------------------------------------- */

/* Waits for the n "fork() = PID" lines that follow a spawn; checks that each
 * pid is a running child of the app. */
GArray *
wait_forks (App   *app,
            guint *from,
            guint  n)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));

  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) fork_line = app_wait_line (app, from, "fork\\(\\) = ([0-9]+)");
      pid_t pid = atoi (fork_line[0]);
      ProcStat st;

      g_assert_cmpint (pid, >, 0);
      g_assert_true (proc_stat (pid, &st));
      g_assert_cmpint (st.ppid, ==, app->pid);
      g_assert_cmpint (st.state, !=, 'Z');
      g_array_append_val (pids, pid);
    }
  return pids;
}

/* Waits for "waitpid(PID) = killed by SIGTERM" of each pid (in any order):
 * the app reaped it. Then it is gone from /proc: no zombie. */
void
wait_reaped (App    *app,
             guint  *from,
             GArray *pids)
{
  g_autoptr(GString) alternatives = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autofree char *pattern = NULL;

  for (guint i = 0; i < pids->len; i++)
    g_string_append_printf (alternatives, "%s%d", i ? "|" : "", (int) g_array_index (pids, pid_t, i));
  pattern = g_strdup_printf ("waitpid\\((%s)\\) = killed by SIGTERM", alternatives->str);
  while (g_hash_table_size (seen) < pids->len)
    {
      g_auto(GStrv) line = app_wait_line (app, from, pattern);

      g_assert_true (g_hash_table_add (seen, GINT_TO_POINTER (atoi (line[0]))));
    }
  for (guint i = 0; i < pids->len; i++)
    g_assert_true (pid_gone (g_array_index (pids, pid_t, i), app->pid));
}

