/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pagescope binary ($PAGESCOPE_BIN) from its command line: --version,
 * several FILEs, --list's formats and what is still English under zh_CN.
 * Run under a D-Bus session of its own (tests/meson.build), so the instance
 * it starts meets no other test's. */
#include "config.h"

#include <glib-unix.h>
#include <gio/gio.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-frame.h"
#include "ps-parse.h"
#include "ps-test-util.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

/* Runs pagescope ARGS, without a display, to its end. */
static Result
run (const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_environ_unsetenv (g_get_environ (), "DISPLAY");
  g_autoptr(GError) error = NULL;
  Result r = { 0 };
  va_list ap;

  g_ptr_array_add (argv, (char *) g_getenv ("PAGESCOPE_BIN"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &r.status, &error);
  g_assert_no_error (error);
  g_test_message ("status 0x%x\nstdout: %s\nstderr: %s", r.status, r.out, r.err);
  return r;
}

static void
assert_exit (const Result *r,
             int           code)
{
  g_assert_true (WIFEXITED (r->status));
  g_assert_cmpint (WEXITSTATUS (r->status), ==, code);
}

static void
test_version (void)
{
  g_auto(Result) r = run ("--version", NULL);

  assert_exit (&r, 0);
  g_assert_cmpstr (r.out, ==, "pagescope " PACKAGE_VERSION "\n");
}

/* ---- several FILEs: a window each ---- */

typedef struct
{
  GString *out;
  int      fd;
} Reader;

static gboolean
says (gpointer data)
{
  Reader *r = ((gpointer *) data)[0];
  const char *needle = ((gpointer *) data)[1];
  char buf[4096];
  gssize n;

  while ((n = read (r->fd, buf, sizeof buf)) > 0)
    g_string_append_len (r->out, buf, n);
  return strstr (r->out->str, needle) != NULL;
}

static void
wait_says (Reader     *r,
           const char *needle)
{
  gpointer data[2] = { r, (gpointer) needle };

  if (!ps_test_wait_until (says, data, 30000))
    g_error ("the app never said \"%s\"; it said:\n%s", needle, r->out->str);
}

/* The windows the instance exports on the bus: /APP/ID/window/N each. */
static guint
count_windows (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GString) path = g_string_new ("/" APP_ID "/window");
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *xml;
  guint n = 0;

  g_string_replace (path, ".", "/", 0);
  reply = g_dbus_connection_call_sync (bus, APP_ID, path->str, "org.freedesktop.DBus.Introspectable",
                                       "Introspect", NULL, G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE,
                                       10000, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  while (node->nodes != NULL && node->nodes[n] != NULL)
    n++;
  return n;
}

/* As a file manager starts it for two files (Exec=pagescope %F), and with
 * a relative path: each opens in a window of its own. */
static void
test_files (void)
{
  g_autofree char *a = ps_test_file ("cli-a", 10000, 'a');
  g_autofree char *b = ps_test_file ("cli-b", 5000, 'b');
  g_autofree char *dir = g_path_get_dirname (b);
  g_autofree char *b_base = g_path_get_basename (b);
  g_autofree char *open_a = g_strdup_printf ("open(\"%s\", O_RDONLY) = ", a);
  g_autofree char *open_b = g_strdup_printf ("open(\"%s\", O_RDONLY) = ", b);
  const char *argv[] = { g_getenv ("PAGESCOPE_BIN"), "--log", a, b_base, NULL };
  g_autoptr(GError) error = NULL;
  Reader reader = { g_string_new (NULL), -1 };
  GPid pid;
  int status;

  g_assert_true (g_spawn_async_with_pipes (dir, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, NULL, &reader.fd, NULL, &error));
  g_assert_no_error (error);
  ps_test_queue_kill (pid);
  g_unix_set_fd_nonblocking (reader.fd, TRUE, NULL);
  wait_says (&reader, open_a);
  wait_says (&reader, open_b);
  g_assert_cmpuint (count_windows (), ==, 2);

  /* SIGTERM quits as app.quit does: both windows release their mappings */
  kill (pid, SIGTERM);
  status = ps_test_reap (pid, 20000);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  {
    gpointer rest[2] = { &reader, "" };
    g_auto(GStrv) parts = NULL;

    says (rest);
    parts = g_strsplit (reader.out->str, "munmap(", -1);
    g_assert_cmpuint (g_strv_length (parts), ==, 3);
  }

  close (reader.fd);
  g_string_free (reader.out, TRUE);
}

/* ---- a large file: what watching it costs, said before it opens ---- */

static void
test_large_open_warns (void)
{
  g_autofree char *huge = ps_test_file ("cli-8tib", 0, 0);
  g_autofree char *small = ps_test_file ("cli-small", 10000, 's');
  g_autofree char *want = g_strdup_printf ("pagescope: watching %s takes about ", huge);
  g_autofree char *cost = NULL;
  g_autofree char *open_small = g_strdup_printf ("open(\"%s\", O_RDONLY) = ", small);
  const char *argv[] = { g_getenv ("PAGESCOPE_BIN"), "--log", huge, small, NULL };
  g_autoptr(GError) error = NULL;
  Reader err = { g_string_new (NULL), -1 };
  Reader out = { g_string_new (NULL), -1 };
  struct stat st;
  GPid pid;
  int status;

  /* 8 TiB, sparse: 2^31 pages */
  g_assert_cmpint (truncate (huge, (off_t) 8 << 40), ==, 0);
  cost = ps_format_size (ps_frame_file_watch_cost ((guint64) 8 << 40, 0, sysconf (_SC_PAGESIZE)));
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, NULL, &out.fd, &err.fd, &error));
  g_assert_no_error (error);
  ps_test_queue_kill (pid);
  g_unix_set_fd_nonblocking (out.fd, TRUE, NULL);
  g_unix_set_fd_nonblocking (err.fd, TRUE, NULL);
  wait_says (&err, want);
  ps_assert_contains (err.out->str, cost);
  ps_assert_contains (err.out->str, " of memory\n");
  /* the small file, opened after it, costs nothing worth saying */
  wait_says (&out, open_small);
  {
    gpointer rest[2] = { &err, "" };

    says (rest);
    g_assert_null (strstr (err.out->str, small));
  }

  kill (pid, SIGTERM);
  status = ps_test_reap (pid, 20000);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (stat (huge, &st), ==, 0);
  g_assert_cmpint (st.st_blocks, ==, 0);
  close (out.fd);
  close (err.fd);
  g_string_free (out.out, TRUE);
  g_string_free (err.out, TRUE);
}

/* ---- --list ---- */

static void
test_list_formats (void)
{
  g_autofree char *name = ps_test_posix_name ("cli-list");
  g_autofree char *path = g_strconcat ("/dev/shm", name, NULL);
  g_auto(Result) raw = { 0 };
  g_auto(Result) json = { 0 };
  g_auto(Result) zh = { 0 };
  g_autofree char *want = NULL;

  ps_test_queue_unlink (path);
  g_assert_true (g_file_set_contents (path, "12345", 5, NULL));

  /* for scripts: no title, no heading, a line per segment, bytes */
  raw = run ("--list", "--raw", "--noheadings", "--bytes", "--output", "name,size,mapped-by", NULL);
  assert_exit (&raw, 0);
  want = g_strdup_printf ("%s 5 ", name);
  {
    g_auto(GStrv) lines = g_strsplit (raw.out, "\n", -1);
    gboolean found = FALSE;

    for (guint i = 0; lines[i] != NULL; i++)
      found |= g_str_has_prefix (lines[i], want);
    g_assert_true (found);
    g_assert_null (strstr (raw.out, "NAME"));
    g_assert_null (strstr (raw.out, "POSIX"));
  }

  json = run ("--list", "--json", "--output", "NAME,SIZE", NULL);
  assert_exit (&json, 0);
  g_free (want);
  want = g_strdup_printf ("\"name\": \"%s\",\n         \"size\": 5\n", name);
  ps_assert_contains (json.out, want);
  g_assert_null (strstr (json.out, "\"sysv\""));   /* SysV segments have no NAME */

  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  zh = run ("--list", "--output", "NAME,SIZE", NULL);
  g_unsetenv ("LANGUAGE");
  assert_exit (&zh, 0);
  ps_assert_contains (zh.out, "POSIX 共享内存段\n");
  ps_assert_contains (zh.out, "名称");
  ps_assert_contains (zh.out, "大小");
  g_assert_null (strstr (zh.out, "SIZE"));
}

/* What the issue found still English under zh_CN. */
static void
test_zh_cn_refusals (void)
{
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  {
    g_auto(Result) json = run ("--json", NULL);
    g_auto(Result) unknown = run ("--frobnicate", NULL);
    g_auto(Result) help = run ("--help", NULL);

    g_unsetenv ("LANGUAGE");
    assert_exit (&json, 2);
    g_assert_cmpstr (json.err, ==, "pagescope: --json 须与 --list、--watch 或 --export-events 一起使用\n");
    assert_exit (&unknown, 2);
    g_assert_true (g_str_has_prefix (unknown.err, "pagescope: "));
    g_assert_true (g_str_has_suffix (unknown.err, "（参见 --help）\n"));
    assert_exit (&help, 0);
    ps_assert_contains (help.out, "[文件…]");
    ps_assert_contains (help.out, "与 --list 一起使用：要打印的列");
  }
}

int
main (int argc, char **argv)
{
  ps_test_init (&argc, &argv);
  g_assert_nonnull (g_getenv ("PAGESCOPE_BIN"));

  g_test_add_func ("/cli/version", test_version);
  g_test_add_func ("/cli/files", test_files);
  g_test_add_func ("/cli/large-open-warns", test_large_open_warns);
  g_test_add_func ("/cli/list-formats", test_list_formats);
  g_test_add_func ("/cli/zh-cn-refusals", test_zh_cn_refusals);
  return g_test_run ();
}
