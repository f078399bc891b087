/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real pagescope-writer binary (its path in $PAGESCOPE_WRITER) against
 * real segments and files. */
#include "config.h"

#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include "ps-source.h"
#include "ps-writer.h"
#include "ps-test-util.h"

static gsize PAGE;

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

static const char *
writer_path (void)
{
  const char *path = g_getenv ("PAGESCOPE_WRITER");

  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  return path;
}

static GSubprocess *
start (GSubprocessFlags    flags,
       const char *const  *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (char *) writer_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata, flags, &error);
  g_assert_no_error (error);
  ps_test_queue_subprocess (process);
  return process;
}

static gboolean
async_done (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* Runs pagescope-writer ARGS to its end (a deadline of 10 s). */
static Result
run_argv (const char *const *args)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  process = start (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &done);
  if (!ps_test_wait_until (async_done, &done, 10000))
    g_error ("pagescope-writer did not finish within 10 s");
  g_assert_true (g_subprocess_communicate_utf8_finish (process, done, &r.out, &r.err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  r.status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", r.status, r.out, r.err);
  return r;
}

static Result
run (const char *first,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return run_argv ((const char *const *) args->pdata);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

/* What ps_writer_step writes, for comparing with what the binary wrote. */
static void
expect (guint8     *buf,
        const char *pattern,
        guint64     offset,
        guint64     length,
        guint       index,
        guint64     count)
{
  PsWriterJob job = { 0 };
  guint64 rng = 0;

  job.base = buf;
  job.range_offset = offset;
  job.range_length = length;
  job.index = index;
  job.page_size = PAGE;
  g_assert_true (ps_pattern_parse (pattern, &job.pattern, NULL));
  for (guint64 n = 0; n < count; n++)
    ps_writer_step (&job, n, &rng);
}

static void
test_help (void)
{
  g_auto(Result) r = run ("--help", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Usage:"));
  g_assert_nonnull (strstr (r.out, "--sysv"));
  g_assert_nonnull (strstr (r.out, "--posix"));
  g_assert_nonnull (strstr (r.out, "Examples:"));
  g_assert_nonnull (strstr (r.out, "text:MESSAGE"));
  g_assert_nonnull (strstr (r.out, "SIGINT, SIGTERM or SIGHUP stops the writer"));
}

static void
test_version (void)
{
  g_auto(Result) r = run ("--version", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "pagescope-writer " PACKAGE_VERSION "\n");
  g_assert_cmpstr (r.err, ==, "");
}

/* With the zh_CN catalogue of the build ($PAGESCOPE_LOCALEDIR): the long
 * description of --help and a usage error, in Chinese. */
static void
test_zh_cn (void)
{
  const char *dir = g_getenv ("PAGESCOPE_LOCALEDIR");
  g_autofree char *catalogue = g_build_filename (dir != NULL ? dir : "", "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  if (dir == NULL || !g_file_test (catalogue, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no zh_CN catalogue in the build (-Dgui=false builds none)");
      return;
    }
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  {
    g_auto(Result) help = run ("--help", NULL);
    g_auto(Result) bad = run ("--rate", NULL);

    g_unsetenv ("LANGUAGE");
    g_assert_cmpint (help.status, ==, 0);
    ps_assert_contains (help.out, "向文件或共享内存段写入一种模式");
    ps_assert_contains (help.out, "退出状态");
    g_assert_null (strstr (help.out, "Writes a pattern"));
    g_assert_null (strstr (help.out, "Exit status"));
    g_assert_cmpint (bad.status, ==, 2);
    g_assert_true (g_str_has_prefix (bad.err, "pagescope-writer: "));
    ps_assert_contains (bad.err, "（参见 --help）");
  }
}

static void
assert_usage_error (const char *says,
                    const char *first,
                    ...)
{
  const char *args[12];
  guint n = 0;
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL && n < G_N_ELEMENTS (args) - 1; a = va_arg (ap, const char *))
    args[n++] = a;
  va_end (ap);
  args[n] = NULL;

  {
    g_auto(Result) r = run_argv (args);

    g_assert_cmpint (r.status, ==, 2);
    g_assert_cmpuint (count_lines (r.err), ==, 1);
    g_assert_true (g_str_has_prefix (r.err, "pagescope-writer: "));
    g_assert_true (g_str_has_suffix (r.err, " (see --help)\n"));
    g_assert_nonnull (strstr (r.err, says));
    g_assert_cmpstr (r.out, ==, "");
  }
}

static void
test_usage_errors (void)
{
  g_autofree char *name = ps_test_posix_name ("cli-usage");
  g_autoptr(PsSource) source = ps_test_create_posix (name, PAGE, 0600, NULL);
  g_autofree char *past = g_strdup_printf ("%zu", 2 * PAGE);
  g_autofree char *near_end = g_strdup_printf ("%zu", PAGE - 96);

  assert_usage_error ("Unknown option --frobnicate", "--frobnicate", NULL);
  assert_usage_error ("Missing argument for --rate", "--posix", name, "--rate", NULL);
  assert_usage_error ("nothing to write to", "--rate", "10", NULL);
  assert_usage_error ("exactly one", "--posix", name, "--sysv", "0x1234", NULL);
  assert_usage_error ("rate \"fast\"", "--rate", "fast", "--posix", name, NULL);
  assert_usage_error ("rate \"1e-10\": at least 0.1", "--rate", "1e-10", "--posix", name, NULL);
  assert_usage_error ("rate \"1e-300\": at least 0.1", "--rate", "1e-300", "--posix", name, NULL);
  assert_usage_error ("pattern \"zigzag\"", "--pattern", "zigzag", "--posix", name, NULL);
  assert_usage_error ("--count \"-3\"", "--count", "-3", "--posix", name, NULL);
  assert_usage_error ("--sysv: SysV key", "--sysv", "nonsense", NULL);
  assert_usage_error ("--shmid: shmid", "--shmid", "-1", NULL);
  /* a range past the mapping is a bad argument too */
  assert_usage_error ("past the end of the mapping", "--offset", past, "--posix", name, NULL);
  assert_usage_error ("runs past the end", "--offset", near_end, "--length", "100", "--posix", name, NULL);
}

/* A malformed name or path is a bad argument (2), not a failure to open (1). */
static void
test_malformed_source (void)
{
  g_autofree char *long_name = g_strnfill (NAME_MAX + 1, 'n');
  g_autofree char *long_component = g_strconcat (g_get_tmp_dir (), "/", long_name, NULL);
  g_autofree char *long_path = g_strnfill (PATH_MAX, 'p');
  g_autofree char *too_long = g_strdup_printf ("FILE: the path is %d bytes; at most %d", PATH_MAX, PATH_MAX - 1);

  assert_usage_error ("--posix: shm_open(\"\"): Invalid argument: the name is empty",
                      "--posix", "", "-c", "1", NULL);
  assert_usage_error ("--posix: shm_open(\"/\"): Invalid argument: the name is empty",
                      "--posix", "/", "-c", "1", NULL);
  assert_usage_error ("--posix: shm_open(\"a/b\"): Invalid argument: a name may contain '/' only at its start",
                      "--posix", "a/b", "-c", "1", NULL);
  assert_usage_error ("\"..\" are not names", "--posix", "/..", "-c", "1", NULL);
  assert_usage_error ("--posix: shm_open(\"nnn", "--posix", long_name, "-c", "1", NULL);
  assert_usage_error ("File name too long: at most 255 bytes", "--posix", long_name, "-c", "1", NULL);
  assert_usage_error ("FILE: the path is empty", "", "-c", "1", NULL);
  assert_usage_error ("FILE: a part of the path is 256 bytes; at most 255", long_component, "-c", "1", NULL);
  assert_usage_error (too_long, long_path, "-c", "1", NULL);
  g_assert_false (g_file_test (long_component, G_FILE_TEST_EXISTS));
}

/* --count 0 used to mean "until stopped"; it is refused, and writes nothing. */
static void
test_count_zero (void)
{
  g_autofree char *name = ps_test_posix_name ("cli-count0");
  g_autoptr(PsSource) source = ps_test_create_posix (name, PAGE, 0600, NULL);
  g_autofree guint8 *zeros = g_malloc0 (PAGE);

  assert_usage_error ("--count 0: give at least 1, or leave --count out to write until stopped",
                      "--posix", name, "--count", "0", "--rate", "0", NULL);
  assert_usage_error ("--count 0x0: give at least 1", "--posix", name, "-c", "0x0", NULL);
  g_assert_cmpmem (ps_source_get_data (source), PAGE, zeros, PAGE);
}

static void
test_open_error (void)
{
  g_autofree char *name = ps_test_posix_name ("cli-missing");
  g_auto(Result) r = run ("--posix", name, "--count", "1", NULL);

  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpuint (count_lines (r.err), ==, 1);
  g_assert_nonnull (strstr (r.err, "shm_open"));
  g_assert_nonnull (strstr (r.err, "No such file or directory"));
}

static void
test_posix_text (void)
{
  g_autofree char *name = ps_test_posix_name ("cli-text");
  g_autoptr(PsSource) source = ps_test_create_posix (name, 2 * PAGE, 0600, NULL);
  g_autofree guint8 *expected = g_malloc0 (2 * PAGE);
  const guint8 *data;

  data = ps_source_get_data (source);
  {
    g_auto(Result) r = run ("--posix", name, "--pattern", "text:HELLO", "--count", "5", "--rate", "0", "--quiet", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpmem (data, 26, "HELLOHELLOHELLOHELLOHELLO", 26);
    g_assert_nonnull (strstr (r.out, "done: 5 writes"));
    g_assert_cmpuint (count_lines (r.out), ==, 1);
  }

  /* a quoted message with escapes, in a range: the same bytes as ps_writer_step */
  memset ((guint8 *) data, 0, 2 * PAGE);
  {
    g_auto(Result) r = run ("--posix", name, "--pattern", "\"hi\\tdad\\n\"", "--offset", "0x100",
                            "--length", "20", "--count", "9", "--rate", "max", "-q", NULL);

    g_assert_cmpint (r.status, ==, 0);
    expect (expected, "\"hi\\tdad\\n\"", 0x100, 20, 0, 9);
    g_assert_cmpmem (data, 2 * PAGE, expected, 2 * PAGE);
  }

  /* the sweep, at a rate: one byte per page */
  memset ((guint8 *) data, 0, 2 * PAGE);
  memset (expected, 0, 2 * PAGE);
  {
    g_auto(Result) r = run ("--posix", name, "--pattern", "sweep", "--index", "2", "--count", "4", "--rate", "100", NULL);

    g_assert_cmpint (r.status, ==, 0);
    expect (expected, "sweep", 0, 2 * PAGE, 2, 4);
    g_assert_cmpmem (data, 2 * PAGE, expected, 2 * PAGE);
    g_assert_cmpint (data[PAGE + 128], ==, 3);
    g_assert_nonnull (strstr (r.out, "writing sweep at 100/s"));
  }
}

static void
test_sysv_counter (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsSource) source = ps_test_create_sysv (key, PAGE, 0600, NULL);
  g_autofree char *key_text = NULL;
  g_autofree char *shmid_text = NULL;
  g_autofree guint8 *expected = g_malloc0 (PAGE);
  const guint8 *data;

  key_text = g_strdup_printf ("0x%08x", (guint32) key);
  data = ps_source_get_data (source);
  shmid_text = g_strdup_printf ("%d", ps_source_get_shmid (source));
  {
    g_auto(Result) r = run ("--sysv", key_text, "--index", "3", "--count", "7", "--rate", "0", "-q", NULL);

    g_assert_cmpint (r.status, ==, 0);
    expect (expected, "counter", 0, PAGE, 3, 7);
    g_assert_cmpmem (data, PAGE, expected, PAGE);
    g_assert_cmpint (data[24], ==, 7);
  }
  {
    g_auto(Result) r = run ("--shmid", shmid_text, "--pattern", "random", "--seed", "99",
                            "--offset", "1K", "--length", "1K", "--count", "300", "--rate", "0", "-q", NULL);

    g_assert_cmpint (r.status, ==, 0);
    {
      PsWriterJob job = { 0 };
      guint64 rng = 0;

      job.base = expected;
      job.range_offset = 1024;
      job.range_length = 1024;
      job.seed = 99;
      job.page_size = PAGE;
      ps_pattern_parse ("random", &job.pattern, NULL);
      for (guint64 n = 0; n < 300; n++)
        ps_writer_step (&job, n, &rng);
    }
    g_assert_cmpmem (data, PAGE, expected, PAGE);
  }
}

static void
test_file (void)
{
  g_autofree char *path = ps_test_file ("cli-file", 3 * PAGE, '.');
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  g_autofree char *offset = g_strdup_printf ("%zu", PAGE);
  g_auto(Result) r = run ("--pattern", "text:xyz", "--offset", offset, "--count", "2", "-q", "--rate", "0", path, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 3 * PAGE);
  g_assert_cmpmem (contents + PAGE - 1, 8, ".xyzxyz.", 8);
}

static void
assert_file_is (const char *path,
                const char *expected,
                gsize       expected_len)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, len, expected, expected_len);
}

/* A message longer than the range is refused, not cut short; the file is untouched. */
static void
test_text_too_long (void)
{
  g_autofree char *path = ps_test_file ("cli-long-text", 3 * PAGE, '.');
  g_autofree char *dots = g_strnfill (3 * PAGE, '.');
  g_autofree char *seven_left = g_strdup_printf ("%zu", 3 * PAGE - 7);

  assert_usage_error ("--pattern: the message is 16 bytes and the range only 8",
                      "--pattern", "text:0123456789abcdef", "--length", "8", path, "-c", "1", NULL);
  /* the default range, the rest of the mapping, is too short as well */
  assert_usage_error ("--pattern: the message is 16 bytes and the range only 7",
                      "--pattern", "text:0123456789abcdef", "--offset", seven_left, path, "-c", "1", NULL);
  assert_file_is (path, dots, 3 * PAGE);

  /* a range just as long as the message takes it whole */
  {
    g_auto(Result) r = run ("--pattern", "text:0123456789abcdef", "--offset", "4", "--length", "16", path, "-c", "1", NULL);

    g_assert_cmpint (r.status, ==, 0);
    memcpy (dots + 4, "0123456789abcdef", 16);
    assert_file_is (path, dots, 3 * PAGE);
  }
}

static gboolean
counter_started (gpointer data)
{
  return ((const guint8 *) data)[0] >= 3;
}

static gboolean
process_ended (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

/* In the child, between fork and exec: the writer starts with SIGHUP at its
 * default disposition, or ignored as under nohup, whatever the test runner has. */
static void
sighup_default (gpointer data)
{
  signal (SIGHUP, SIG_DFL);
}

static void
sighup_ignored (gpointer data)
{
  signal (SIGHUP, SIG_IGN);
}

/* pagescope-writer --posix NAME --rate 50, its stdout piped, once it has written 3 times. */
static GSubprocess *
start_counter (const char           *name,
               GSpawnChildSetupFunc  child_setup,
               const guint8         *data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, writer_path (), "--posix", name, "--rate", "50", NULL);
  g_assert_no_error (error);
  ps_test_queue_subprocess (process);
  g_assert_true (ps_test_wait_until (counter_started, (gpointer) data, 5000));
  return process;
}

/* Sends signo and waits for the writer to exit 0, saying it was stopped by it and detached. */
static void
stop_and_check (GSubprocess *process,
                int          signo,
                const char  *signame)
{
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *stopped = g_strdup_printf ("stopped by %s:", signame);
  gboolean ended = FALSE;
  gsize len;

  g_subprocess_send_signal (process, signo);
  g_subprocess_wait_async (process, NULL, on_waited, &ended);
  if (!ps_test_wait_until (process_ended, &ended, 5000))
    g_error ("pagescope-writer ignored %s", signame);
  if (!g_subprocess_get_if_exited (process))
    g_error ("pagescope-writer was killed by signal %d", g_subprocess_get_term_sig (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  out = g_input_stream_read_bytes (g_subprocess_get_stdout_pipe (process), 65536, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (out, &len), g_bytes_get_size (out));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, stopped));
  g_assert_nonnull (strstr (text, "detached"));
}

/* SIGTERM, SIGINT and SIGHUP stop a running writer cleanly: status 0, the total printed. */
static void
check_stop_signal (int         signo,
                   const char *signame)
{
  g_autofree char *name = ps_test_posix_name ("cli-stop");
  g_autoptr(PsSource) source = ps_test_create_posix (name, PAGE, 0600, NULL);
  g_autoptr(GSubprocess) process = NULL;

  process = start_counter (name, sighup_default, ps_source_get_data (source));
  stop_and_check (process, signo, signame);
}

static void
test_sigterm (void)
{
  check_stop_signal (SIGTERM, "SIGTERM");
}

static void
test_sigint (void)
{
  check_stop_signal (SIGINT, "SIGINT");
}

static void
test_sighup (void)
{
  check_stop_signal (SIGHUP, "SIGHUP");
}

typedef struct
{
  const guint8 *data;
  guint64       target;
} CounterTarget;

static gboolean
counter_reached (gpointer data)
{
  CounterTarget *t = data;
  guint64 value;

  memcpy (&value, t->data, sizeof value);
  return GUINT64_FROM_LE (value) >= t->target;
}

/* Started under nohup (SIGHUP ignored), the writer keeps SIGHUP ignored. */
static gboolean
file_written (gpointer data)
{
  const char *path = data;
  g_autofree char *contents = NULL;
  gsize len;

  return g_file_get_contents (path, &contents, &len, NULL) && len > 0 && contents[0] != 'w';
}

/* The file shrinks under a running writer: its next write raises SIGBUS. It
 * says so on stderr, prints its total and exits 3, where it once died of
 * the signal without a word (exit 135 in a shell). */
static void
test_file_shrinks (void)
{
  g_autofree char *path = ps_test_make_file ("cli-shrink", 4 * PAGE, 'w');
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = start (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                   (const char *const[]) { "--quiet", "--rate", "max", path, NULL });
  g_assert_true (ps_test_wait_until (file_written, path, 5000));
  g_assert_cmpint (truncate (path, 0), ==, 0);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &done);
  if (!ps_test_wait_until (async_done, &done, 10000))
    {
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      unlink (path);
      g_error ("pagescope-writer went on writing into a file of 0 bytes");
    }
  unlink (path);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, done, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", out, err);
  if (!g_subprocess_get_if_exited (process))
    g_error ("pagescope-writer was killed by signal %d", g_subprocess_get_term_sig (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 3);
  g_assert_cmpuint (count_lines (err), ==, 1);
  ps_assert_contains (err, "pagescope-writer: SIGBUS writing at offset 0: ");
  ps_assert_contains (err, "is now 0 bytes");
  ps_assert_contains (err, "shrank");
  ps_assert_contains (out, "stopped by SIGBUS: ");
  ps_assert_contains (out, "detached");
}

static void
test_nohup (void)
{
  g_autofree char *name = ps_test_posix_name ("cli-nohup");
  g_autoptr(PsSource) source = ps_test_create_posix (name, PAGE, 0600, NULL);
  g_autoptr(GSubprocess) process = NULL;
  CounterTarget t = { 0 };
  guint64 value;

  t.data = ps_source_get_data (source);
  process = start_counter (name, sighup_ignored, t.data);

  g_subprocess_send_signal (process, SIGHUP);
  /* stopped, it would write at most one more time; ignoring SIGHUP, it goes on */
  memcpy (&value, t.data, sizeof value);
  t.target = GUINT64_FROM_LE (value) + 5;
  if (!ps_test_wait_until (counter_reached, &t, 5000))
    g_error ("pagescope-writer stopped on SIGHUP under nohup");
  stop_and_check (process, SIGTERM, "SIGTERM");
}

int
main (int argc, char **argv)
{
  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);
  g_test_add_func ("/writer-cli/help", test_help);
  g_test_add_func ("/writer-cli/version", test_version);
  g_test_add_func ("/writer-cli/zh-cn", test_zh_cn);
  g_test_add_func ("/writer-cli/usage-errors", test_usage_errors);
  g_test_add_func ("/writer-cli/malformed-source", test_malformed_source);
  g_test_add_func ("/writer-cli/count-zero", test_count_zero);
  g_test_add_func ("/writer-cli/open-error", test_open_error);
  g_test_add_func ("/writer-cli/posix", test_posix_text);
  g_test_add_func ("/writer-cli/sysv", test_sysv_counter);
  g_test_add_func ("/writer-cli/file", test_file);
  g_test_add_func ("/writer-cli/text-too-long", test_text_too_long);
  g_test_add_func ("/writer-cli/file-shrinks", test_file_shrinks);
  g_test_add_func ("/writer-cli/sigterm", test_sigterm);
  g_test_add_func ("/writer-cli/sigint", test_sigint);
  g_test_add_func ("/writer-cli/sighup", test_sighup);
  g_test_add_func ("/writer-cli/nohup", test_nohup);
  return g_test_run ();
}
