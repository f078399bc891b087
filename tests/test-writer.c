/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-probe.h"
#include "ps-writer.h"
#include "ps-test-util.h"

static gsize PAGE;

/* ---- helpers ------------------------------------------------------------- */

static guint64
read_le64 (const guint8 *p)
{
  guint64 v = 0;

  for (int i = 7; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

/* The parent pid of pid from /proc, or -1 if there is no such process. */
static pid_t
parent_of (pid_t pid,
           char *state)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *contents = NULL;
  const char *p;
  int ppid;
  char st;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      (p = strrchr (contents, ')')) == NULL ||
      sscanf (p + 1, " %c %d", &st, &ppid) != 2)
    return -1;
  if (state != NULL)
    *state = st;
  return ppid;
}

/* Reaped and gone: not our child any more (waitid without reaping says
 * ECHILD), and no process has that pid, unless it was reused by a process
 * that is not ours. Never reaps, so it cannot steal from the child watch. */
static gboolean
pid_gone (pid_t pid)
{
  siginfo_t info;

  if (waitid (P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 || errno != ECHILD)
    return FALSE;
  if (kill (pid, 0) == -1 && errno == ESRCH)
    return TRUE;
  return parent_of (pid, NULL) != getpid ();
}

static gboolean
none_running (gpointer data)
{
  return ps_writers_get_n_running (data) == 0;
}

static void
stop_and_reap (PsWriters *writers)
{
  ps_writers_stop_all (writers);
  g_assert_true (ps_test_wait_until (none_running, writers, 5000));
}

typedef struct
{
  const guint8 *data;
  guint         index;
  guint64       at_least;
} CounterWait;

static gboolean
counter_reached (gpointer data)
{
  CounterWait *w = data;
  return read_le64 (w->data + w->index * 8) >= w->at_least;
}

static PsWriterChild *
child_at (PsWriters *writers,
          guint      i)
{
  PsWriterChild *child = g_list_model_get_item (G_LIST_MODEL (writers), i);

  /* the list holds it: borrow */
  g_object_unref (child);
  return child;
}

/* ---- patterns ------------------------------------------------------------ */

static void
test_pattern_parse (void)
{
  static const struct
  {
    const char   *text;
    PsPatternKind kind;
    const char   *message;
    gsize         len;
    const char   *string;
  } good[] = {
    { "counter", PS_PATTERN_COUNTER, NULL, 0, "counter" },
    { "SWEEP", PS_PATTERN_SWEEP, NULL, 0, "sweep" },
    { "random", PS_PATTERN_RANDOM, NULL, 0, "random" },
    { "text:hello", PS_PATTERN_TEXT, "hello", 5, "\"hello\"" },
    { "text:a\\n \"b\"", PS_PATTERN_TEXT, "a\\n \"b\"", 7, "\"a\\\\n \\\"b\\\"\"" },
    { "\"hi, dad, this is son\"", PS_PATTERN_TEXT, "hi, dad, this is son", 20, "\"hi, dad, this is son\"" },
    { "\"tab\\there\\n\\x00!\"", PS_PATTERN_TEXT, "tab\there\n\0!", 11, "\"tab\\there\\n\\x00!\"" },
    { "\"\\\\ and \\\"\"", PS_PATTERN_TEXT, "\\ and \"", 7, "\"\\\\ and \\\"\"" },
  };
  static const struct
  {
    const char *text;
    const char *says;
  } bad[] = {
    { "", "unknown" },
    { "counters", "unknown" },
    { "text:", "empty" },
    { "\"\"", "empty" },
    { "\"unterminated", "unterminated" },
    { "\"bad \\q escape\"", "not a known escape" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *string = NULL;
      PsPattern pattern, again;

      g_test_message ("pattern %s", good[i].text);
      g_assert_true (ps_pattern_parse (good[i].text, &pattern, &error));
      g_assert_no_error (error);
      g_assert_cmpint (pattern.kind, ==, good[i].kind);
      if (good[i].message != NULL)
        {
          g_assert_cmpuint (pattern.text_len, ==, good[i].len);
          g_assert_cmpmem (pattern.text, pattern.text_len, good[i].message, good[i].len);
        }
      string = ps_pattern_to_string (&pattern);
      g_assert_cmpstr (string, ==, good[i].string);
      /* and it parses back to the same pattern */
      g_assert_true (ps_pattern_parse (string, &again, &error));
      g_assert_cmpint (again.kind, ==, pattern.kind);
      g_assert_cmpmem (again.text, again.text_len, pattern.text, pattern.text_len);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      PsPattern pattern;

      g_assert_false (ps_pattern_parse (bad[i].text, &pattern, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "pattern \""));
      g_assert_nonnull (strstr (error->message, bad[i].says));
    }

  /* 255 bytes fit, 256 do not */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *fits = g_strnfill (255, 'x');
    g_autofree char *long_text = g_strconcat ("text:", fits, NULL);
    g_autofree char *too_long = g_strconcat ("text:x", fits, NULL);
    PsPattern pattern;

    g_assert_true (ps_pattern_parse (long_text, &pattern, &error));
    g_assert_cmpuint (pattern.text_len, ==, 255);
    g_assert_false (ps_pattern_parse (too_long, &pattern, &error));
    g_assert_nonnull (strstr (error->message, "256 bytes; at most 255"));
  }
}

static void
test_rate_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hundred = ps_writer_rate_to_string (100);
  g_autofree char *max = ps_writer_rate_to_string (0);
  double rate = -1;

  g_assert_true (ps_writer_parse_rate ("max", &rate, &error));
  g_assert_cmpfloat (rate, ==, 0);
  g_assert_true (ps_writer_parse_rate ("2.5", &rate, &error));
  g_assert_cmpfloat (rate, ==, 2.5);
  g_assert_true (ps_writer_parse_rate ("0", &rate, &error));
  g_assert_cmpfloat (rate, ==, 0);
  g_assert_false (ps_writer_parse_rate ("-1", &rate, &error));
  g_assert_nonnull (strstr (error->message, "rate \"-1\""));
  g_clear_error (&error);
  g_assert_false (ps_writer_parse_rate ("fast", &rate, &error));
  g_clear_error (&error);
  g_assert_false (ps_writer_parse_rate ("inf", &rate, &error));
  g_clear_error (&error);
  g_assert_false (ps_writer_parse_rate ("", &rate, &error));
  g_clear_error (&error);
  g_assert_false (ps_writer_parse_rate ("10/s", &rate, &error));
  g_clear_error (&error);

  /* a rate too small for the schedule is refused, not run at full speed;
   * one that underflows to 0 is not "as fast as possible" either */
  for (guint i = 0; i < 4; i++)
    {
      static const char *tiny[] = { "1e-10", "1e-300", "0.05", "1e-400" };

      rate = -1;
      g_assert_false (ps_writer_parse_rate (tiny[i], &rate, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "at least 0.1"));
      g_assert_cmpfloat (rate, ==, -1);
      g_clear_error (&error);
    }
  g_assert_true (ps_writer_parse_rate ("0.1", &rate, &error));
  g_assert_cmpfloat (rate, ==, PS_WRITER_RATE_MIN);
  g_assert_cmpstr (hundred, ==, "100/s");
  g_assert_cmpstr (max, ==, "max");
}

static PsWriterJob
job_for (guint8     *buf,
         guint64     offset,
         guint64     length,
         const char *pattern)
{
  PsWriterJob job = { 0 };
  g_autoptr(GError) error = NULL;

  job.base = buf;
  job.range_offset = offset;
  job.range_length = length;
  job.page_size = PAGE;
  g_assert_true (ps_pattern_parse (pattern, &job.pattern, &error));
  return job;
}

static void
test_step_counter (void)
{
  g_autofree guint8 *buf = g_malloc0 (3 * PAGE);
  PsWriterJob job = job_for (buf, 16, 64, "counter");
  guint64 rng = 0;

  for (guint index = 0; index < 10; index++)
    {
      job.index = index;
      for (guint64 n = 0; n < 5 + index; n++)
        ps_writer_step (&job, n, &rng);
    }
  /* 8 slots of 8 bytes: writers 8 and 9 share slots 0 and 1 */
  g_assert_cmpuint (read_le64 (buf + 16 + 0 * 8), ==, 13);
  g_assert_cmpuint (read_le64 (buf + 16 + 1 * 8), ==, 14);
  for (guint i = 2; i < 8; i++)
    g_assert_cmpuint (read_le64 (buf + 16 + i * 8), ==, 5 + i);
  g_assert_cmpint (buf[15], ==, 0);
  g_assert_cmpint (buf[16 + 64], ==, 0);

  /* little-endian, whatever the host */
  memset (buf, 0, 3 * PAGE);
  job = job_for (buf, 0, 8, "counter");
  ps_writer_step (&job, 0x0102030404030201 - 1, &rng);
  g_assert_cmpint (buf[0], ==, 0x01);
  g_assert_cmpint (buf[3], ==, 0x04);
  g_assert_cmpint (buf[7], ==, 0x01);

  /* a range of 20 bytes holds 2 slots; the third writer wraps to slot 0 */
  memset (buf, 0, 3 * PAGE);
  job = job_for (buf, 0, 20, "counter");
  job.index = 2;
  ps_writer_step (&job, 6, &rng);
  g_assert_cmpuint (read_le64 (buf), ==, 7);
  g_assert_cmpint (buf[16], ==, 0);

  /* a range shorter than 8 bytes holds the low bytes */
  memset (buf, 0, 3 * PAGE);
  job = job_for (buf, 5, 3, "counter");
  ps_writer_step (&job, 0x12345 - 1, &rng);
  g_assert_cmpint (buf[5], ==, 0x45);
  g_assert_cmpint (buf[6], ==, 0x23);
  g_assert_cmpint (buf[7], ==, 0x01);
  g_assert_cmpint (buf[8], ==, 0);
}

static void
test_step_sweep (void)
{
  g_autofree guint8 *buf = g_malloc0 (5 * PAGE);
  PsWriterJob job = job_for (buf, PAGE, 3 * PAGE, "sweep");
  guint64 rng = 0;

  job.index = 2;
  for (guint64 n = 0; n < 7; n++)
    {
      guint64 at = PAGE + (n * PAGE + 2 * 64) % (3 * PAGE);

      ps_writer_step (&job, n, &rng);
      g_assert_cmpint (buf[at], ==, n & 0xff);
    }
  /* write 6 was the last on page 0 of the range: 0, 3, 6 */
  g_assert_cmpint (buf[PAGE + 128], ==, 6);
  g_assert_cmpint (buf[2 * PAGE + 128], ==, 4);
  g_assert_cmpint (buf[3 * PAGE + 128], ==, 5);
  for (guint64 i = 0; i < 5 * PAGE; i++)
    if (i != PAGE + 128 && i != 2 * PAGE + 128 && i != 3 * PAGE + 128)
      g_assert_cmpint (buf[i], ==, 0);

  /* the byte is n & 0xff; n * page never overflows */
  job.index = 0;
  ps_writer_step (&job, G_MAXUINT64, &rng);
  g_assert_cmpint (buf[PAGE + (guint64) ((unsigned __int128) G_MAXUINT64 * PAGE % (3 * PAGE))], ==, 0xff);
}

static void
test_step_random (void)
{
  g_autofree guint8 *buf = g_malloc0 (2 * PAGE);
  g_autofree guint8 *copy = g_malloc0 (2 * PAGE);
  PsWriterJob job = job_for (buf, 100, 1000, "random");
  guint64 rng = 0, rng2 = 0, x;
  guint changed = 0;

  job.seed = 42;
  job.index = 1;
  for (guint64 n = 0; n < 5000; n++)
    ps_writer_step (&job, n, &rng);
  for (guint i = 0; i < 2 * PAGE; i++)
    {
      if (i < 100 || i >= 1100)
        g_assert_cmpint (buf[i], ==, 0);
      else if (buf[i] != 0)
        changed++;
    }
  /* 5000 writes over 1000 bytes touch nearly all of them */
  g_assert_cmpuint (changed, >, 950);

  /* the same seed and index give the same bytes */
  job.base = copy;
  for (guint64 n = 0; n < 5000; n++)
    ps_writer_step (&job, n, &rng2);
  g_assert_cmpmem (buf, 2 * PAGE, copy, 2 * PAGE);

  /* the first write, by the definition in ps-writer.h */
  memset (buf, 0, 2 * PAGE);
  job.base = buf;
  rng = 0;
  ps_writer_step (&job, 0, &rng);
  x = 42 ^ 1;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  g_assert_cmpuint (rng, ==, x);
  x *= G_GUINT64_CONSTANT (0x2545F4914F6CDD1D);
  g_assert_cmpint (buf[100 + (x & G_GUINT64_CONSTANT (0x00FFFFFFFFFFFFFF)) % 1000], ==, x >> 56);

  /* seed ^ index == 0 still gives a working generator */
  rng = 0;
  job.seed = 1;
  ps_writer_step (&job, 0, &rng);
  g_assert_cmpuint (rng, !=, 0);
}

static void
test_step_text (void)
{
  g_autofree guint8 *buf = g_malloc0 (PAGE);
  PsWriterJob job = job_for (buf, 10, 20, "text:HELLO");
  guint64 rng = 0;

  /* L - len + 1 = 16: at 0, 5, 10, 15, then 20 % 16 = 4 */
  for (guint64 n = 0; n < 4; n++)
    ps_writer_step (&job, n, &rng);
  g_assert_cmpmem (buf + 10, 20, "HELLOHELLOHELLOHELLO", 20);
  ps_writer_step (&job, 4, &rng);
  g_assert_cmpmem (buf + 10, 20, "HELLHELLOOHELLOHELLO", 20);
  g_assert_cmpint (buf[9], ==, 0);
  g_assert_cmpint (buf[30], ==, 0);

  /* a range shorter than the message takes its first bytes */
  memset (buf, 0, PAGE);
  job = job_for (buf, 3, 4, "\"hi, dad\"");
  ps_writer_step (&job, 0, &rng);
  ps_writer_step (&job, 1, &rng);
  g_assert_cmpmem (buf + 3, 4, "hi, ", 4);
  g_assert_cmpint (buf[7], ==, 0);

  /* exactly as long as the range: always at its start */
  memset (buf, 0, PAGE);
  job = job_for (buf, 0, 5, "text:HELLO");
  ps_writer_step (&job, 9, &rng);
  g_assert_cmpmem (buf, 6, "HELLO\0", 6);
}

static void
test_run (void)
{
  g_autofree guint8 *buf = g_malloc0 (PAGE);
  PsWriterJob job = job_for (buf, 0, PAGE, "counter");
  volatile guint64 done = 0;
  volatile sig_atomic_t stop = 0;
  gint64 t0, elapsed;

  /* as fast as possible, count honoured, *done kept */
  job.count = 1000;
  job.done = &done;
  g_assert_cmpuint (ps_writer_run (&job, &stop), ==, 1000);
  g_assert_cmpuint (done, ==, 1000);
  g_assert_cmpuint (read_le64 (buf), ==, 1000);

  /* an exact rate: write k is due at k / rate */
  job.count = 21;
  job.rate = 200;
  t0 = g_get_monotonic_time ();
  g_assert_cmpuint (ps_writer_run (&job, NULL), ==, 21);
  elapsed = g_get_monotonic_time () - t0;
  g_test_message ("21 writes at 200/s took %" G_GINT64_FORMAT " us", elapsed);
  g_assert_cmpint (elapsed, >=, 100000);
  g_assert_cmpint (elapsed, <, 1000000);

  /* a stop set before the loop: nothing written */
  stop = 1;
  done = 0;
  job.count = 0;
  g_assert_cmpuint (ps_writer_run (&job, &stop), ==, 0);
  g_assert_cmpuint (done, ==, 0);
}

/* A stop from a signal handler ends a slow loop within 100 ms. */
static volatile sig_atomic_t alarm_stop;

static void
on_alarm (int signo)
{
  alarm_stop = 1;
}

static void
test_run_stop_signal (void)
{
  g_autofree guint8 *buf = g_malloc0 (PAGE);
  PsWriterJob job = job_for (buf, 0, PAGE, "counter");
  struct sigaction action = { 0 }, old;
  struct itimerval timer = { { 0, 0 }, { 0, 300000 } };
  gint64 t0, elapsed;
  guint64 n;

  action.sa_handler = on_alarm;
  sigemptyset (&action.sa_mask);
  sigaction (SIGALRM, &action, &old);
  job.rate = 0.1;   /* one write, then a sleep of ten seconds */
  t0 = g_get_monotonic_time ();
  setitimer (ITIMER_REAL, &timer, NULL);
  n = ps_writer_run (&job, &alarm_stop);
  elapsed = g_get_monotonic_time () - t0;
  sigaction (SIGALRM, &old, NULL);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (elapsed, >=, 250000);
  g_assert_cmpint (elapsed, <, 1500000);
}

/* A rate below the least one the loop can keep (given to ps_writer_run
 * directly, past every parser) runs at that least rate: one write, then a
 * sleep, not a burst of writes; 1e-300 must not turn into an undefined cast. */
static void
test_run_tiny_rate (void)
{
  static const double tiny[] = { 1e-10, 1e-300, 4.9e-324 };

  for (guint i = 0; i < G_N_ELEMENTS (tiny); i++)
    {
      g_autofree guint8 *buf = g_malloc0 (PAGE);
      PsWriterJob job = job_for (buf, 0, PAGE, "counter");
      struct sigaction action = { 0 }, old;
      struct itimerval timer = { { 0, 0 }, { 0, 200000 } };
      guint64 n;

      alarm_stop = 0;
      action.sa_handler = on_alarm;
      sigemptyset (&action.sa_mask);
      sigaction (SIGALRM, &action, &old);
      job.rate = tiny[i];
      job.count = 5;
      setitimer (ITIMER_REAL, &timer, NULL);
      n = ps_writer_run (&job, &alarm_stop);
      sigaction (SIGALRM, &old, NULL);
      g_test_message ("rate %g: %" G_GUINT64_FORMAT " writes", tiny[i], n);
      g_assert_cmpuint (n, ==, 1);
      g_assert_cmpuint (read_le64 (buf), ==, 1);
    }
}

static void
test_parse_spawn_arg (void)
{
  static const struct
  {
    const char   *text;
    guint         count;
    PsPatternKind kind;
    const char   *message;
    double        rate;
  } good[] = {
    { "3 counter 100", 3, PS_PATTERN_COUNTER, NULL, 100 },
    { "1 \"hi, dad, this is son\" 10", 1, PS_PATTERN_TEXT, "hi, dad, this is son", 10 },
    { "2 random max", 2, PS_PATTERN_RANDOM, NULL, 0 },
    { " 64  sweep\t0.5 ", 64, PS_PATTERN_SWEEP, NULL, 0.5 },
    { "1 text:two words 0", 1, PS_PATTERN_TEXT, "two words", 0 },
    { "1 \"  spaced  \" 1", 1, PS_PATTERN_TEXT, "  spaced  ", 1 },
  };
  static const struct
  {
    const char *text;
    const char *says;
  } bad[] = {
    { "", "expected COUNT PATTERN RATE" },
    { "3 counter", "expected COUNT PATTERN RATE" },
    { "0 counter 10", "must be 1 to 64" },
    { "65 counter 10", "must be 1 to 64" },
    { "x counter 10", "writer count \"x\"" },
    { "3 counters 10", "pattern \"counters\"" },
    { "3 counter fast", "rate \"fast\"" },
    { "3 counter -1", "rate \"-1\"" },
    { "1 \"hi there\"", "unterminated" },
    { "1 counter 1e-10", "at least 0.1" },
    { "1 counter 1e-300", "at least 0.1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      PsPattern pattern;
      double rate = -1;
      guint count = 0;

      g_test_message ("spawn arg %s", good[i].text);
      g_assert_true (ps_writers_parse_spawn_arg (good[i].text, &count, &pattern, &rate, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count, ==, good[i].count);
      g_assert_cmpint (pattern.kind, ==, good[i].kind);
      g_assert_cmpfloat (rate, ==, good[i].rate);
      if (good[i].message != NULL)
        g_assert_cmpmem (pattern.text, pattern.text_len, good[i].message, strlen (good[i].message));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      PsPattern pattern;
      double rate;
      guint count;

      g_test_message ("spawn arg %s", bad[i].text);
      g_assert_false (ps_writers_parse_spawn_arg (bad[i].text, &count, &pattern, &rate, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_test_message ("  %s", error->message);
      g_assert_nonnull (strstr (error->message, bad[i].says));
    }
}

/* ---- writer children ------------------------------------------------------ */

static void
on_child_exited (PsWriters     *writers,
                 PsWriterChild *child,
                 guint         *count)
{
  g_assert_cmpint (ps_writer_child_get_state (child), !=, PS_WRITER_RUNNING);
  (*count)++;
}

/* Counters rise at each child's own slot, seen through this process's view. */
static void
check_counters (PsSource   *source,
                PsEventLog *log)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsWriters) writers = ps_writers_new (source);
  guint8 *data = ps_source_get_data (source);
  guint exited = 0;
  PsPattern counter;

  g_signal_connect (writers, "child-exited", G_CALLBACK (on_child_exited), &exited);
  g_assert_true (ps_pattern_parse ("counter", &counter, NULL));
  g_assert_true (ps_writers_spawn (writers, 3, &counter, 1000, 0, 0, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (writers)), ==, 3);
  g_assert_cmpuint (ps_writers_get_n_running (writers), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      PsWriterChild *child = child_at (writers, i);
      CounterWait w = { data, ps_writer_child_get_index (child), 20 };
      g_autofree char *fork_line = g_strdup_printf ("fork() = %d", (int) ps_writer_child_get_pid (child));
      guint64 seen;

      g_assert_cmpuint (ps_writer_child_get_index (child), ==, i);
      g_assert_cmpint (ps_writer_child_get_state (child), ==, PS_WRITER_RUNNING);
      g_assert_true (ps_test_log_has (log, fork_line));
      g_assert_true (ps_test_wait_until (counter_reached, &w, 5000));
      /* still rising, and the child's own count agrees */
      seen = read_le64 (data + w.index * 8);
      w.at_least = seen + 10;
      g_assert_true (ps_test_wait_until (counter_reached, &w, 5000));
      g_assert_cmpuint (ps_writer_child_get_done (child), >=, w.at_least);
    }

  stop_and_reap (writers);
  g_assert_cmpuint (exited, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      PsWriterChild *child = child_at (writers, i);
      pid_t pid = ps_writer_child_get_pid (child);
      g_autofree char *how = ps_writer_child_describe_exit (child);
      g_autofree char *kill_line = g_strdup_printf ("kill(%d, SIGTERM) = 0", (int) pid);
      g_autofree char *wait_line = g_strdup_printf ("waitpid(%d) = killed by SIGTERM", (int) pid);
      guint64 final = ps_writer_child_get_done (child);

      g_assert_cmpint (ps_writer_child_get_state (child), ==, PS_WRITER_KILLED);
      g_assert_cmpint (ps_writer_child_get_term_signal (child), ==, SIGTERM);
      g_assert_cmpstr (how, ==, "killed by SIGTERM");
      g_assert_true (ps_test_log_has (log, kill_line));
      g_assert_true (ps_test_log_has (log, wait_line));
      g_assert_true (pid_gone (pid));
      /* the last count stays readable after the exit */
      g_assert_cmpuint (final, ==, read_le64 (data + ps_writer_child_get_index (child) * 8));
    }
}

static void
test_children_anon (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (2 * PAGE, log, &error);

  g_assert_no_error (error);
  check_counters (source, log);
}

static void
test_children_posix (void)
{
  g_autofree char *name = ps_test_posix_name ("writers");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_test_create_posix (name, 2 * PAGE, 0600, log);

  check_counters (source, log);
  g_assert_true (ps_source_remove (source, &error));
  g_assert_no_error (error);
  ps_source_close (source);
}

static gboolean
child_ended (gpointer data)
{
  return ps_writer_child_get_state (data) != PS_WRITER_RUNNING;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

/* count N: the child stops by itself, exits 0 and is reaped. */
static void
test_children_count (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (PAGE, log, &error);
  g_autoptr(PsWriters) writers = ps_writers_new (source);
  g_autofree char *wait_line = NULL;
  g_autofree char *how = NULL;
  PsWriterChild *child;
  PsPattern counter;
  guint exited = 0, changes = 0;

  g_assert_no_error (error);
  g_signal_connect (writers, "child-exited", G_CALLBACK (on_child_exited), &exited);
  g_signal_connect (writers, "items-changed", G_CALLBACK (on_items_changed), &changes);
  ps_pattern_parse ("counter", &counter, NULL);
  g_assert_true (ps_writers_spawn (writers, 1, &counter, 0, 0, 0, 50, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);
  child = child_at (writers, 0);

  g_assert_true (ps_test_wait_until (child_ended, child, 5000));
  g_assert_cmpint (ps_writer_child_get_state (child), ==, PS_WRITER_EXITED);
  g_assert_cmpint (ps_writer_child_get_exit_status (child), ==, 0);
  g_assert_cmpuint (ps_writer_child_get_done (child), ==, 50);
  g_assert_cmpuint (read_le64 (ps_source_get_data (source)), ==, 50);
  g_assert_cmpuint (exited, ==, 1);
  g_assert_cmpuint (changes, ==, 2);
  how = ps_writer_child_describe_exit (child);
  g_assert_cmpstr (how, ==, "exited 0");
  wait_line = g_strdup_printf ("waitpid(%d) = exited 0", (int) ps_writer_child_get_pid (child));
  g_assert_true (ps_test_log_has (log, wait_line));
  g_assert_true (pid_gone (ps_writer_child_get_pid (child)));

  /* stopping an exited child sends nothing */
  ps_writers_stop (writers, child);
  g_assert_false (ps_test_log_has (log, "kill("));

  /* its slot is free again */
  g_assert_true (ps_writers_spawn (writers, 1, &counter, 0, 0, 0, 7, &error));
  g_assert_cmpuint (ps_writer_child_get_index (child_at (writers, 1)), ==, 0);
  g_assert_true (ps_test_wait_until (child_ended, child_at (writers, 1), 5000));
  g_assert_cmpuint (read_le64 (ps_source_get_data (source)), ==, 7);

  ps_writers_clear_exited (writers);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (writers)), ==, 0);
}

/* 100 start/stop cycles of 8 children: each one reaped, never a zombie. */
static void
test_children_cycles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (4 * PAGE, NULL, &error);
  g_autoptr(PsWriters) writers = ps_writers_new (source);
  PsPattern sweep;

  g_assert_no_error (error);
  ps_pattern_parse ("sweep", &sweep, NULL);
  for (guint cycle = 0; cycle < 100; cycle++)
    {
      pid_t pids[8];

      g_assert_true (ps_writers_spawn (writers, 8, &sweep, cycle % 2 ? 1000 : 500, 0, 0, 0, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 8; i++)
        pids[i] = ps_writer_child_get_pid (child_at (writers, i));
      stop_and_reap (writers);
      for (guint i = 0; i < 8; i++)
        {
          PsWriterChild *child = child_at (writers, i);

          g_assert_cmpint (ps_writer_child_get_state (child), ==, PS_WRITER_KILLED);
          g_assert_cmpint (ps_writer_child_get_term_signal (child), ==, SIGTERM);
          g_assert_true (pid_gone (pids[i]));
        }
      ps_writers_clear_exited (writers);
    }
}

static gboolean
has_written (gpointer data)
{
  return ps_writer_child_get_done (data) > 0;
}

/* Disposing of the writers kills and reaps every child before it returns. */
static void
test_children_dispose (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = ps_source_new_anon (PAGE, log, &error);
  PsWriters *writers = ps_writers_new (source);
  g_autoptr(PsWriterChild) kept = NULL;
  PsPattern random;
  pid_t pids[4];

  ps_pattern_parse ("random", &random, NULL);
  g_assert_true (ps_writers_spawn (writers, 4, &random, 0, 0, 0, 0, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    pids[i] = ps_writer_child_get_pid (child_at (writers, i));
  kept = g_list_model_get_item (G_LIST_MODEL (writers), 0);
  g_assert_true (ps_test_wait_until (has_written, kept, 5000));

  g_object_unref (writers);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *wait_line = g_strdup_printf ("waitpid(%d) = killed by SIGTERM", (int) pids[i]);

      g_assert_true (pid_gone (pids[i]));
      g_assert_true (ps_test_log_has (log, wait_line));
    }
  /* a child object outliving its list stays readable */
  g_assert_cmpint (ps_writer_child_get_state (kept), ==, PS_WRITER_KILLED);
  g_assert_cmpuint (ps_writer_child_get_done (kept), >, 0);
}

/* The parent's signal handlers never run in a child: a SIGUSR1 that the
 * parent handles kills a writer with the default action. */
static volatile sig_atomic_t usr1_seen;

static void
on_usr1 (int signo)
{
  usr1_seen = 1;
}

static void
test_children_parent_handlers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (PAGE, NULL, &error);
  g_autoptr(PsWriters) writers = ps_writers_new (source);
  g_autofree char *how = NULL;
  struct sigaction action = { 0 }, old;
  PsWriterChild *child;
  PsPattern counter;

  action.sa_handler = on_usr1;
  sigemptyset (&action.sa_mask);
  sigaction (SIGUSR1, &action, &old);
  ps_pattern_parse ("counter", &counter, NULL);
  g_assert_true (ps_writers_spawn (writers, 1, &counter, 100, 0, 0, 0, &error));
  g_assert_no_error (error);
  child = child_at (writers, 0);
  g_assert_true (ps_test_wait_until (has_written, child, 5000));

  kill (ps_writer_child_get_pid (child), SIGUSR1);
  g_assert_true (ps_test_wait_until (child_ended, child, 5000));
  sigaction (SIGUSR1, &old, NULL);
  how = ps_writer_child_describe_exit (child);
  g_assert_cmpstr (how, ==, "killed by SIGUSR1");
  g_assert_false (usr1_seen);
}

/* On a MAP_PRIVATE mapping each child writes its own copy: nothing shows. */
static void
test_children_private (void)
{
  g_autofree char *path = ps_test_file ("writers-private", 2 * PAGE, 'a');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsWriters) writers = NULL;
  g_autofree char *contents = NULL;
  const guint8 *data;
  PsPattern pattern;
  gsize len;

  source = ps_source_open_file (path, PS_MAP_PRIVATE | PS_MAP_WRITABLE, 0, 0, NULL, &error);
  g_assert_no_error (error);
  writers = ps_writers_new (source);
  ps_pattern_parse ("sweep", &pattern, NULL);
  g_assert_true (ps_writers_spawn (writers, 2, &pattern, 0, 0, 0, 2000, &error));
  ps_pattern_parse ("text:written", &pattern, NULL);
  g_assert_true (ps_writers_spawn (writers, 1, &pattern, 0, 0, 0, 2000, &error));
  g_assert_no_error (error);
  g_assert_true (ps_test_wait_until (none_running, writers, 5000));
  for (guint i = 0; i < 3; i++)
    {
      PsWriterChild *child = child_at (writers, i);

      g_assert_cmpint (ps_writer_child_get_state (child), ==, PS_WRITER_EXITED);
      g_assert_cmpuint (ps_writer_child_get_done (child), ==, 2000);
    }

  data = ps_source_get_data (source);
  for (guint i = 0; i < 2 * PAGE; i++)
    g_assert_cmpint (data[i], ==, 'a');
  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, NULL, &error));
  ps_source_close (source);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 2 * PAGE);
  for (guint i = 0; i < len; i++)
    g_assert_cmpint (contents[i], ==, 'a');
}

/* A child writing a page wholly past EOF dies of SIGBUS. */
static void
test_children_sigbus (void)
{
  g_autofree char *path = ps_test_file ("writers-sigbus", 100, 'b');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsWriters) writers = NULL;
  g_autofree char *how = NULL;
  PsWriterChild *child;
  PsPattern pattern;
  struct stat st;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 2 * PAGE, NULL, &error);
  g_assert_no_error (error);
  writers = ps_writers_new (source);
  ps_pattern_parse ("sweep", &pattern, NULL);
  g_assert_true (ps_writers_spawn (writers, 1, &pattern, 10, PAGE, PAGE, 0, &error));
  g_assert_no_error (error);
  child = child_at (writers, 0);
  g_assert_true (ps_test_wait_until (child_ended, child, 5000));
  how = ps_writer_child_describe_exit (child);
  g_assert_cmpstr (how, ==, "killed by SIGBUS");
  g_assert_cmpuint (ps_writer_child_get_done (child), ==, 0);
  ps_source_close (source);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 100);
}

/* The default range is the object's bytes: a sweep over a file mapped two
 * pages past EOF runs past the pages that would raise SIGBUS. */
static gboolean
child_swept_twice (gpointer data)
{
  return ps_writer_child_get_done (data) >= 6;
}

static void
test_children_default_range (void)
{
  g_autofree char *path = ps_test_file ("writers-range", PAGE + 100, 'r');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsWriters) writers = NULL;
  PsWriterChild *child;
  PsPattern pattern;
  struct stat st;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 4 * PAGE, NULL, &error);
  g_assert_no_error (error);
  writers = ps_writers_new (source);
  ps_pattern_parse ("sweep", &pattern, NULL);
  g_assert_true (ps_writers_spawn (writers, 1, &pattern, 0, 0, 0, 0, &error));
  g_assert_no_error (error);
  child = child_at (writers, 0);
  g_assert_true (ps_test_wait_until (child_swept_twice, child, 5000));
  g_assert_cmpint (ps_writer_child_get_state (child), ==, PS_WRITER_RUNNING);

  /* nothing of the object at the offset and no length: refused */
  g_assert_false (ps_writers_spawn (writers, 1, &pattern, 0, 2 * PAGE, 0, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "SIGBUS"));

  ps_writers_stop_all (writers);
  g_assert_true (ps_test_wait_until (child_ended, child, 5000));
  ps_source_close (source);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, PAGE + 100);
}

static void
assert_refused (PsWriters       *writers,
                guint            n,
                const PsPattern *pattern,
                double           rate,
                guint64          offset,
                guint64          length,
                int              code,
                const char      *says)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (ps_writers_spawn (writers, n, pattern, rate, offset, length, 0, &error));
  g_assert_error (error, G_IO_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "fork("));
  g_assert_nonnull (strstr (error->message, says));
}

static void
test_children_refuse (void)
{
  g_autofree char *path = ps_test_file ("writers-refuse", PAGE, 'r');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (2 * PAGE, NULL, &error);
  g_autoptr(PsSource) read_only = NULL;
  g_autoptr(PsWriters) writers = ps_writers_new (source);
  g_autoptr(PsWriters) ro_writers = NULL;
  PsPattern counter;

  ps_pattern_parse ("counter", &counter, NULL);
  assert_refused (writers, 0, &counter, 10, 0, 0, G_IO_ERROR_INVALID_ARGUMENT, "1 to 64");
  assert_refused (writers, 65, &counter, 10, 0, 0, G_IO_ERROR_INVALID_ARGUMENT, "limit of 64");
  assert_refused (writers, 1, &counter, -1, 0, 0, G_IO_ERROR_INVALID_ARGUMENT, "rate");
  assert_refused (writers, 1, &counter, NAN, 0, 0, G_IO_ERROR_INVALID_ARGUMENT, "rate");
  assert_refused (writers, 1, &counter, INFINITY, 0, 0, G_IO_ERROR_INVALID_ARGUMENT, "rate");
  assert_refused (writers, 1, &counter, 1e-10, 0, 0, G_IO_ERROR_INVALID_ARGUMENT, "at least 0.1");
  assert_refused (writers, 1, &counter, 1e-300, 0, 0, G_IO_ERROR_INVALID_ARGUMENT, "at least 0.1");
  assert_refused (writers, 1, &counter, 10, 2 * PAGE, 0, G_IO_ERROR_INVALID_ARGUMENT, "past the end of the mapping");
  assert_refused (writers, 1, &counter, 10, PAGE, PAGE + 1, G_IO_ERROR_INVALID_ARGUMENT, "runs past the end");
  /* a message longer than its range is not cut to fit */
  {
    PsPattern message;

    g_assert_true (ps_pattern_parse ("text:0123456789abcdef", &message, NULL));
    assert_refused (writers, 1, &message, 10, 0, 8, G_IO_ERROR_INVALID_ARGUMENT, "the message is 16 bytes and the range only 8");
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (writers)), ==, 0);

  /* 60 running leave room for 4, not 5 */
  g_assert_true (ps_writers_spawn (writers, 60, &counter, 1, 0, 0, 0, &error));
  g_assert_no_error (error);
  assert_refused (writers, 5, &counter, 10, 0, 0, G_IO_ERROR_INVALID_ARGUMENT, "60 writers are running");
  g_assert_true (ps_writers_spawn (writers, 4, &counter, 1, 0, 0, 0, &error));
  g_assert_no_error (error);
  assert_refused (writers, 1, &counter, 10, 0, 0, G_IO_ERROR_INVALID_ARGUMENT, "64 writers are running");
  stop_and_reap (writers);

  read_only = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  ro_writers = ps_writers_new (read_only);
  assert_refused (ro_writers, 1, &counter, 10, 0, 0, G_IO_ERROR_READ_ONLY, "reopen it writable");
  ps_source_close (read_only);
  assert_refused (ro_writers, 1, &counter, 10, 0, 0, G_IO_ERROR_CLOSED, "closed");
}

/* ---- children die with the app, even on SIGKILL --------------------------- */

/* The "app": a fresh process (exec'd, so GLib starts clean) that spawns 4
 * writers from its main thread, prints their pids, and waits to be killed. */
static int
run_app_helper (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (4 * PAGE, NULL, &error);
  g_autoptr(PsWriters) writers = NULL;
  PsPattern counter;

  if (source == NULL)
    return 1;
  writers = ps_writers_new (source);
  ps_pattern_parse ("counter", &counter, NULL);
  if (!ps_writers_spawn (writers, 4, &counter, 100, 0, 0, 0, &error))
    return 1;
  /* once a child writes, it has armed PR_SET_PDEATHSIG (before that, a
   * child that finds its parent gone simply exits 0) */
  for (guint i = 0; i < 4; i++)
    if (!ps_test_wait_until (has_written, child_at (writers, i), 5000))
      return 1;
  for (guint i = 0; i < 4; i++)
    printf ("%d\n", (int) ps_writer_child_get_pid (child_at (writers, i)));
  fflush (stdout);
  for (;;)
    pause ();
}

static void
test_children_die_with_app (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);
  gint64 deadline;
  pid_t app_pid, pids[4];
  guint left;

  g_assert_no_error (error);
  /* This machine's init does not reap orphans (they would stay zombies and
   * fail the leftovers check), so the orphaned writers come to us instead:
   * we reap them and also learn how they died. */
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 1), ==, 0);

  app = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_exe, "--writers-app", NULL);
  g_assert_no_error (error);
  app_pid = atoi (g_subprocess_get_identifier (app));
  ps_test_queue_kill (app_pid);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app));
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
      char state = '?';

      g_assert_no_error (error);
      g_assert_nonnull (line);
      pids[i] = atoi (line);
      g_assert_cmpint (pids[i], >, 0);
      /* alive, and the app's children */
      g_assert_cmpint (parent_of (pids[i], &state), ==, app_pid);
      g_assert_cmpint (state, !=, 'Z');
    }

  g_subprocess_force_exit (app);
  g_assert_true (g_subprocess_wait (app, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (app));
  g_assert_cmpint (g_subprocess_get_term_sig (app), ==, SIGKILL);

  /* PR_SET_PDEATHSIG: each writer gets SIGTERM as its parent dies */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  for (left = 4; left > 0 && g_get_monotonic_time () < deadline; )
    {
      left = 0;
      for (guint i = 0; i < 4; i++)
        {
          int status;

          if (pids[i] == 0)
            continue;
          if (waitpid (pids[i], &status, WNOHANG) == pids[i])
            {
              g_assert_true (WIFSIGNALED (status));
              g_assert_cmpint (WTERMSIG (status), ==, SIGTERM);
              pids[i] = 0;
            }
          else
            left++;
        }
      if (left > 0)
        g_usleep (1000);
    }
  for (guint i = 0; i < 4; i++)
    if (pids[i] != 0)
      {
        kill (pids[i], SIGKILL);
        waitpid (pids[i], NULL, 0);
      }
  g_assert_cmpint (prctl (PR_SET_CHILD_SUBREAPER, 0), ==, 0);
  g_assert_cmpuint (left, ==, 0);
}

int
main (int argc, char **argv)
{
  PAGE = ps_test_page_size ();
  if (argc == 2 && g_str_equal (argv[1], "--writers-app"))
    return run_app_helper ();

  ps_test_init (&argc, &argv);
  g_test_add_func ("/writer/pattern/parse", test_pattern_parse);
  g_test_add_func ("/writer/pattern/rate", test_rate_parse);
  g_test_add_func ("/writer/step/counter", test_step_counter);
  g_test_add_func ("/writer/step/sweep", test_step_sweep);
  g_test_add_func ("/writer/step/random", test_step_random);
  g_test_add_func ("/writer/step/text", test_step_text);
  g_test_add_func ("/writer/run/count-and-rate", test_run);
  g_test_add_func ("/writer/run/stop-signal", test_run_stop_signal);
  g_test_add_func ("/writer/run/tiny-rate", test_run_tiny_rate);
  g_test_add_func ("/writer/parse-spawn-arg", test_parse_spawn_arg);
  g_test_add_func ("/writer/children/anon", test_children_anon);
  g_test_add_func ("/writer/children/posix", test_children_posix);
  g_test_add_func ("/writer/children/count-exits", test_children_count);
  g_test_add_func ("/writer/children/cycles", test_children_cycles);
  g_test_add_func ("/writer/children/dispose-reaps", test_children_dispose);
  g_test_add_func ("/writer/children/parent-handlers", test_children_parent_handlers);
  g_test_add_func ("/writer/children/private", test_children_private);
  g_test_add_func ("/writer/children/sigbus", test_children_sigbus);
  g_test_add_func ("/writer/children/default-range", test_children_default_range);
  g_test_add_func ("/writer/children/refuse", test_children_refuse);
  g_test_add_func ("/writer/children/die-with-app", test_children_die_with_app);
  return g_test_run ();
}
