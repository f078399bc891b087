/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-probe.h"
#include "ps-test-util.h"

static gsize PAGE;

/* A 100-byte file of 'A' + i, mapped MAP_SHARED over 3 pages. */
typedef struct
{
  char       *path;
  PsEventLog *log;
  PsSource   *source;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  gboolean writable = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  guint8 contents[100];

  for (guint i = 0; i < sizeof contents; i++)
    contents[i] = 'A' + i % 26;
  f->path = ps_test_file ("probe", sizeof contents, 0);
  g_file_set_contents (f->path, (const char *) contents, sizeof contents, &error);
  g_assert_no_error (error);

  f->log = ps_event_log_new ();
  f->source = ps_source_open_file (f->path, writable ? PS_MAP_WRITABLE : PS_MAP_DEFAULT,
                                   0, 3 * PAGE, f->log, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  int status;

  g_clear_object (&f->source);
  g_clear_object (&f->log);
  g_free (f->path);

  /* every probe child was reaped: no zombie of ours is left */
  errno = 0;
  g_assert_cmpint (waitpid (-1, &status, WNOHANG), <=, 0);
  if (errno != 0)
    g_assert_cmpint (errno, ==, ECHILD);
}

static PsProbeResult
probe (Fixture  *f,
       guint64   offset,
       gboolean  write,
       guint8    value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *explanation = NULL;
  PsProbeResult result;

  memset (&result, 0x55, sizeof result);
  g_assert_true (ps_probe_run (f->source, offset, write, value, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.offset, ==, offset);
  g_assert_cmpint (result.write, ==, write);
  g_assert_cmpint (result.pid, >, 0);
  g_assert_cmpint (result.elapsed_us, >=, 0);
  g_assert_cmpuint (result.geometry.object_size, ==, 100);
  /* the outcome the geometry predicts is the outcome we get */
  g_assert_cmpint (result.outcome, ==, ps_probe_expected (&result.geometry, offset));

  explanation = ps_probe_explain (&result);
  g_test_message ("probe 0x%" G_GINT64_MODIFIER "x %s: %s (%" G_GINT64_FORMAT " us): %s",
                  offset, write ? "write" : "read", ps_probe_outcome_to_string (result.outcome),
                  result.elapsed_us, explanation);
  g_assert_true (g_utf8_validate (explanation, -1, NULL));
  g_assert_cmpuint (strlen (explanation), >, 20);
  return result;
}

static void
test_read_inside (Fixture      *f,
                  gconstpointer data)
{
  PsProbeResult r = probe (f, 0x10, FALSE, 0);
  g_autofree char *fork_line = NULL;

  g_assert_cmpint (r.outcome, ==, PS_PROBE_OK);
  g_assert_cmpint (r.value, ==, 'A' + 0x10);
  g_assert_cmpint (r.signo, ==, 0);
  g_assert_cmpint (r.exit_status, ==, 0);
  fork_line = g_strdup_printf ("fork() = %d", (int) r.pid);
  g_assert_true (ps_test_log_has (f->log, fork_line));
  g_assert_true (ps_test_log_has (f->log, "probe(offset=0x10, read) = ok (read 0x51)"));
}

static void
test_read_zero_tail (Fixture      *f,
                     gconstpointer data)
{
  PsProbeResult r = probe (f, 200, FALSE, 0);
  g_autofree char *explanation = ps_probe_explain (&r);
  g_autofree char *wait_line = g_strdup_printf ("waitpid(%d) = exited 0", (int) r.pid);
  g_autofree char *page_text = g_strdup_printf ("%zu", PAGE);

  g_assert_cmpint (r.outcome, ==, PS_PROBE_ZERO_TAIL);
  g_assert_cmpint (r.value, ==, 0);
  g_assert_true (ps_test_log_has (f->log, "probe(offset=0xc8, read) = zero-tail (read 0x00)"));
  g_assert_true (ps_test_log_has (f->log, wait_line));
  g_assert_nonnull (strstr (explanation, page_text));

  /* the last byte of the page that holds EOF */
  g_assert_cmpint (probe (f, PAGE - 1, FALSE, 0).outcome, ==, PS_PROBE_ZERO_TAIL);
}

static void
test_read_sigbus (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char *page_text = g_strdup_printf ("%zu", PAGE);

  for (guint64 offset = PAGE; offset < 3 * PAGE; offset += PAGE)
    {
      PsProbeResult r = probe (f, offset, FALSE, 0);
      g_autofree char *explanation = ps_probe_explain (&r);
      g_autofree char *wait_line = g_strdup_printf ("waitpid(%d) = killed by SIGBUS", (int) r.pid);
      g_autofree char *probe_line = g_strdup_printf ("probe(offset=0x%" G_GINT64_MODIFIER "x, read) = SIGBUS (BUS_ADRERR at +0x%" G_GINT64_MODIFIER "x)",
                                                     offset, offset);

      g_assert_cmpint (r.outcome, ==, PS_PROBE_SIGBUS);
      g_assert_cmpint (r.signo, ==, SIGBUS);
      g_assert_true (r.have_fault);
      g_assert_cmpint (r.si_code, ==, BUS_ADRERR);
      g_assert_cmpuint (r.fault_offset, ==, offset);
      g_assert_true (ps_test_log_has (f->log, wait_line));
      g_assert_true (ps_test_log_has (f->log, probe_line));
      g_assert_nonnull (strstr (explanation, "wholly past the end of the file"));
      g_assert_nonnull (strstr (explanation, page_text));
    }
  /* an odd offset faults at that very byte */
  g_assert_cmpuint (probe (f, PAGE + 0xabc, FALSE, 0).fault_offset, ==, PAGE + 0xabc);
}

static void
test_read_guard (Fixture      *f,
                 gconstpointer data)
{
  PsProbeResult r = probe (f, 3 * PAGE, FALSE, 0);
  g_autofree char *code = NULL;
  g_autofree char *line = g_strdup_printf ("probe(offset=0x%zx, read) = SIGSEGV (SEGV_ACCERR at +0x%zx)",
                                           3 * PAGE, 3 * PAGE);

  g_assert_cmpint (r.outcome, ==, PS_PROBE_SIGSEGV);
  g_assert_cmpint (r.signo, ==, SIGSEGV);
  g_assert_true (r.have_fault);
  g_assert_cmpuint (r.fault_offset, ==, 3 * PAGE);
  /* the guard page is mapped PROT_NONE, so the access is refused rather
   * than unmapped (KERNEL-FACTS measured SEGV_MAPERR with no guard page) */
  code = ps_si_code_name (SIGSEGV, r.si_code);
  g_test_message ("SIGSEGV on the guard page: %s", code);
  g_assert_cmpint (r.si_code, ==, SEGV_ACCERR);
  g_assert_true (ps_test_log_has (f->log, line));

  /* the last byte of the guard page too */
  g_assert_cmpint (probe (f, 4 * PAGE - 1, FALSE, 0).outcome, ==, PS_PROBE_SIGSEGV);
}

static void
test_refuse_past_guard (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *call = g_strdup_printf ("probe(offset=0x%zx, read)", 4 * PAGE);
  PsProbeResult r;

  g_assert_false (ps_probe_run (f->source, 4 * PAGE, FALSE, 0, &r, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, call));
  g_assert_nonnull (strstr (error->message, "guard page"));
  g_assert_cmpint (ps_probe_expected (ps_source_get_geometry (f->source), 4 * PAGE), ==, PS_PROBE_OTHER);
}

static void
test_refuse_write_read_only (Fixture      *f,
                             gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  PsProbeResult r;

  g_assert_false (ps_probe_run (f->source, 200, TRUE, 0x50, &r, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "probe(offset=0xc8, write)"));
  g_assert_nonnull (strstr (error->message, "reopen it writable"));
  g_assert_false (ps_test_log_has (f->log, "fork()"));
}

static void
test_refuse_closed (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  PsProbeResult r;

  ps_source_close (f->source);
  g_assert_false (ps_probe_run (f->source, 0, FALSE, 0, &r, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

/* A write past EOF lands in the page cache and never in the file. */
static void
test_write_zero_tail (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *explanation = NULL;
  gsize len;
  struct stat st;
  PsProbeResult r;

  r = probe (f, 200, TRUE, 0x50);
  g_assert_cmpint (r.outcome, ==, PS_PROBE_ZERO_TAIL);
  g_assert_cmpint (r.value, ==, 0x50);
  g_assert_true (ps_test_log_has (f->log, "probe(offset=0xc8, write) = zero-tail (wrote 0x50)"));
  explanation = ps_probe_explain (&r);
  g_assert_nonnull (strstr (explanation, "never becomes part of the object"));

  /* the child wrote the shared page: this process sees the byte too */
  g_assert_cmpint (ps_source_get_data (f->source)[200], ==, 0x50);
  r = probe (f, 200, FALSE, 0);
  g_assert_cmpint (r.outcome, ==, PS_PROBE_ZERO_TAIL);
  g_assert_cmpint (r.value, ==, 0x50);
  g_clear_pointer (&explanation, g_free);
  explanation = ps_probe_explain (&r);
  g_assert_nonnull (strstr (explanation, "not 0"));

  /* a write probe inside the file is real on a shared mapping */
  g_assert_cmpint (probe (f, 5, TRUE, 'z').outcome, ==, PS_PROBE_OK);
  g_assert_cmpint (ps_source_get_data (f->source)[5], ==, 'z');
  g_assert_true (ps_source_msync (f->source, 0, 0, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_data (f->source)[5], ==, 'z');
  ps_source_get_data (f->source)[5] = 'A' + 5;

  /* nothing past EOF reached the file: same size, same bytes */
  g_assert_true (ps_source_msync (f->source, 0, 0, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  ps_source_close (f->source);
  g_assert_cmpint (stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 100);
  g_file_get_contents (f->path, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 100);
  for (guint i = 0; i < len; i++)
    g_assert_cmpint ((guint8) contents[i], ==, 'A' + i % 26);

  /* and the SIGBUS zone stays SIGBUS for a write */
  g_clear_object (&f->source);
  f->source = ps_source_open_file (f->path, PS_MAP_WRITABLE, 0, 3 * PAGE, f->log, &error);
  g_assert_no_error (error);
  r = probe (f, PAGE, TRUE, 0x50);
  g_assert_cmpint (r.outcome, ==, PS_PROBE_SIGBUS);
  g_assert_cmpint (r.si_code, ==, BUS_ADRERR);
}

/* On a MAP_PRIVATE mapping the child writes its own copy only. */
static void
test_write_private (void)
{
  g_autofree char *path = ps_test_file ("probe-private", 100, 'p');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *contents = NULL;
  PsProbeResult r;

  source = ps_source_open_file (path, PS_MAP_WRITABLE | PS_MAP_PRIVATE, 0, 2 * PAGE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ps_probe_run (source, 7, TRUE, 'q', &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.outcome, ==, PS_PROBE_OK);
  g_assert_cmpint (ps_source_get_data (source)[7], ==, 'p');
  explanation = ps_probe_explain (&r);
  g_assert_nonnull (strstr (explanation, "MAP_PRIVATE"));
  ps_source_close (source);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (contents[7], ==, 'p');
}

/* The outcome from the geometry alone, with an offset into the file. */
static void
test_expected (void)
{
  PsGeometry g;

  ps_geometry_init (&g, 100, 0, 3 * PAGE, PAGE);
  g_assert_cmpint (ps_probe_expected (&g, 0), ==, PS_PROBE_OK);
  g_assert_cmpint (ps_probe_expected (&g, 99), ==, PS_PROBE_OK);
  g_assert_cmpint (ps_probe_expected (&g, 100), ==, PS_PROBE_ZERO_TAIL);
  g_assert_cmpint (ps_probe_expected (&g, PAGE - 1), ==, PS_PROBE_ZERO_TAIL);
  g_assert_cmpint (ps_probe_expected (&g, PAGE), ==, PS_PROBE_SIGBUS);
  g_assert_cmpint (ps_probe_expected (&g, 3 * PAGE - 1), ==, PS_PROBE_SIGBUS);
  g_assert_cmpint (ps_probe_expected (&g, 3 * PAGE), ==, PS_PROBE_SIGSEGV);
  g_assert_cmpint (ps_probe_expected (&g, 4 * PAGE - 1), ==, PS_PROBE_SIGSEGV);
  g_assert_cmpint (ps_probe_expected (&g, 4 * PAGE), ==, PS_PROBE_OTHER);

  /* a whole-page file: no zero tail */
  ps_geometry_init (&g, PAGE, 0, 2 * PAGE, PAGE);
  g_assert_cmpint (ps_probe_expected (&g, PAGE - 1), ==, PS_PROBE_OK);
  g_assert_cmpint (ps_probe_expected (&g, PAGE), ==, PS_PROBE_SIGBUS);

  /* mapped from offset 2 pages of a 2.5-page file */
  ps_geometry_init (&g, 2 * PAGE + PAGE / 2, 2 * PAGE, 2 * PAGE, PAGE);
  g_assert_cmpint (ps_probe_expected (&g, PAGE / 2 - 1), ==, PS_PROBE_OK);
  g_assert_cmpint (ps_probe_expected (&g, PAGE / 2), ==, PS_PROBE_ZERO_TAIL);
  g_assert_cmpint (ps_probe_expected (&g, PAGE), ==, PS_PROBE_SIGBUS);

  /* the whole mapping past EOF (the file was truncated to 0) */
  ps_geometry_init (&g, 0, 0, PAGE, PAGE);
  g_assert_cmpint (ps_probe_expected (&g, 0), ==, PS_PROBE_SIGBUS);

  /* a length that stops inside a page, short of EOF: the rest of that page
   * is the file's bytes, not a zero tail */
  ps_geometry_init (&g, 256 * PAGE, 0, 2 * PAGE + 100, PAGE);
  g_assert_cmpuint (g.data_length, ==, 3 * PAGE);
  g_assert_cmpint (ps_probe_expected (&g, 2 * PAGE + 100), ==, PS_PROBE_OK);
  g_assert_cmpint (ps_probe_expected (&g, 3 * PAGE - 1), ==, PS_PROBE_OK);
  g_assert_cmpint (ps_probe_expected (&g, 3 * PAGE), ==, PS_PROBE_SIGSEGV);
}

/* The same, from a child: the byte after the length reads as the file has it. */
static void
test_read_past_length (void)
{
  g_autofree char *path = ps_test_file ("probe-length", 16 * PAGE, 'L');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  PsProbeResult r;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 2 * PAGE + 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ps_probe_run (source, 2 * PAGE + 200, FALSE, 0, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.outcome, ==, PS_PROBE_OK);
  g_assert_cmpint (r.value, ==, 'L');
  ps_source_close (source);
}

/* An anonymous mapping is all inside; its guard page is SIGSEGV. */
static void
test_anon (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (2 * PAGE, NULL, &error);
  PsProbeResult r;

  g_assert_no_error (error);
  ps_source_get_data (source)[PAGE + 1] = 0x7e;
  g_assert_true (ps_probe_run (source, PAGE + 1, FALSE, 0, &r, &error));
  g_assert_cmpint (r.outcome, ==, PS_PROBE_OK);
  g_assert_cmpint (r.value, ==, 0x7e);
  g_assert_true (ps_probe_run (source, 2 * PAGE, FALSE, 0, &r, &error));
  g_assert_cmpint (r.outcome, ==, PS_PROBE_SIGSEGV);
  g_assert_true (ps_probe_run (source, 3, TRUE, 0x33, &r, &error));
  g_assert_cmpint (r.outcome, ==, PS_PROBE_OK);
  g_assert_cmpint (ps_source_get_data (source)[3], ==, 0x33);
}

/* SIGBUS in the parent is handled by ps-guard; the child must still die of it. */
static void
test_parent_handlers_do_not_leak (void)
{
  g_autofree char *path = ps_test_file ("probe-handlers", 10, 'h');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  struct sigaction ignore = { 0 }, old_segv;
  PsProbeResult r;

  /* even with SIGSEGV ignored in the parent the child dies of it */
  ignore.sa_handler = SIG_IGN;
  sigaction (SIGSEGV, &ignore, &old_segv);
  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, PAGE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ps_probe_run (source, PAGE, FALSE, 0, &r, &error));
  sigaction (SIGSEGV, &old_segv, NULL);
  g_assert_cmpint (r.outcome, ==, PS_PROBE_SIGSEGV);
  ps_source_close (source);
}

static void
test_parse_arg (void)
{
  static const struct
  {
    const char *text;
    guint64     offset;
    gboolean    write;
  } good[] = {
    { "0x1000 read", 0x1000, FALSE },
    { "4096 write", 4096, TRUE },
    { "  200   WRITE ", 200, TRUE },
    { "0x10", 0x10, FALSE },
    { "0\tread", 0, FALSE },
  };
  static const struct
  {
    const char *text;
    const char *says;
  } bad[] = {
    { "", "expected an offset" },
    { "   ", "expected an offset" },
    { "0x1000 peek", "neither read nor write" },
    { "read 0x1000", "probe offset \"read\"" },
    { "0x1000 read now", "expected an offset" },
    { "-5 read", "must not be negative" },
    { "0xg read", "hex digits" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 offset = 7;
      gboolean write = 7;

      g_assert_true (ps_probe_parse_arg (good[i].text, &offset, &write, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (offset, ==, good[i].offset);
      g_assert_cmpint (write, ==, good[i].write);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 offset = 7;
      gboolean write = 7;

      g_test_message ("probe arg \"%s\"", bad[i].text);
      g_assert_false (ps_probe_parse_arg (bad[i].text, &offset, &write, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_test_message ("  %s", error->message);
      g_assert_nonnull (strstr (error->message, bad[i].says));
      g_assert_cmpuint (offset, ==, 7);
      g_assert_cmpint (write, ==, 7);
    }
}

/* Outcomes no healthy probe gives, explained all the same. */
static void
test_explain_other (void)
{
  PsProbeResult r = { 0 };
  g_autofree char *hung = NULL;
  g_autofree char *grew = NULL;
  g_autofree char *killed = NULL;
  g_autofree char *failed = NULL;

  ps_geometry_init (&r.geometry, 100, 0, 3 * PAGE, PAGE);
  r.outcome = PS_PROBE_OTHER;
  r.offset = PAGE;

  r.timed_out = TRUE;
  r.signo = SIGKILL;
  hung = ps_probe_explain (&r);
  g_assert_nonnull (strstr (hung, "did not finish within 5 seconds"));

  r.timed_out = FALSE;
  killed = ps_probe_explain (&r);
  g_assert_nonnull (strstr (killed, "killed by SIGKILL"));

  r.signo = 0;
  grew = ps_probe_explain (&r);
  g_assert_nonnull (strstr (grew, "where a SIGBUS was expected"));

  r.exit_status = 127;
  failed = ps_probe_explain (&r);
  g_assert_nonnull (strstr (failed, "status 127"));
}

static void
test_names (void)
{
  g_autofree char *bus = ps_signal_name (SIGBUS);
  g_autofree char *term = ps_signal_name (SIGTERM);
  g_autofree char *adrerr = ps_si_code_name (SIGBUS, BUS_ADRERR);
  g_autofree char *maperr = ps_si_code_name (SIGSEGV, SEGV_MAPERR);
  g_autofree char *odd = ps_si_code_name (SIGSEGV, 77);
  g_autofree char *exited = NULL;
  g_autofree char *killed = NULL;
  pid_t pid;

  g_assert_cmpstr (bus, ==, "SIGBUS");
  g_assert_cmpstr (term, ==, "SIGTERM");
  g_assert_cmpstr (adrerr, ==, "BUS_ADRERR");
  g_assert_cmpstr (maperr, ==, "SEGV_MAPERR");
  g_assert_cmpstr (odd, ==, "si_code 77");
  g_assert_cmpstr (ps_probe_outcome_to_string (PS_PROBE_ZERO_TAIL), ==, "zero-tail");

  pid = fork ();
  if (pid == 0)
    _exit (3);
  exited = ps_wait_status_to_string (ps_test_reap (pid, 5000));
  g_assert_cmpstr (exited, ==, "exited 3");
  pid = fork ();
  if (pid == 0)
    {
      raise (SIGKILL);
      _exit (0);
    }
  killed = ps_wait_status_to_string (ps_test_reap (pid, 5000));
  g_assert_cmpstr (killed, ==, "killed by SIGKILL");
}

/* A one-byte file: the explanations say "1 byte", never "1 bytes". */
static void
test_one_byte_plural (void)
{
  g_autofree char *path = ps_test_file ("probe-one", 1, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 2 * PAGE, log, &error);
  const guint64 offsets[] = { 0, 1 };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      PsProbeResult r;
      g_autofree char *explanation = NULL;

      g_assert_true (ps_probe_run (source, offsets[i], FALSE, 0, &r, &error));
      g_assert_no_error (error);
      explanation = ps_probe_explain (&r);
      g_test_message ("%s", explanation);
      g_assert_null (strstr (explanation, "1 bytes"));
      ps_assert_contains (explanation, i == 0 ? "(1 byte of it is mapped here)" : "end of the file (1 byte)");
    }
  {
    g_autofree char *one = ps_format_bytes (1);
    g_autofree char *two = ps_format_bytes (2);

    g_assert_cmpstr (one, ==, "1 byte");
    g_assert_cmpstr (two, ==, "2 bytes");
  }
  {
    g_autoptr(GPtrArray) fields = ps_source_describe (source);
    gboolean found = FALSE;

    for (guint i = 0; i < fields->len; i++)
      {
        PsField *field = g_ptr_array_index (fields, i);

        g_assert_null (strstr (field->value, "1 bytes"));
        found |= g_str_has_prefix (field->value, "1 byte (");
      }
    g_assert_true (found);
  }
}

int
main (int argc, char **argv)
{
  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);

  g_test_add_func ("/probe/one-byte-plural", test_one_byte_plural);
  g_test_add ("/probe/read/inside", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_read_inside, fixture_tear_down);
  g_test_add ("/probe/read/zero-tail", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_read_zero_tail, fixture_tear_down);
  g_test_add ("/probe/read/sigbus", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_read_sigbus, fixture_tear_down);
  g_test_add ("/probe/read/guard-sigsegv", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_read_guard, fixture_tear_down);
  g_test_add ("/probe/refuse/past-guard", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_refuse_past_guard, fixture_tear_down);
  g_test_add ("/probe/refuse/write-read-only", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_refuse_write_read_only, fixture_tear_down);
  g_test_add ("/probe/refuse/closed", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_refuse_closed, fixture_tear_down);
  g_test_add ("/probe/write/zero-tail-never-reaches-file", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_write_zero_tail, fixture_tear_down);
  g_test_add_func ("/probe/write/private", test_write_private);
  g_test_add_func ("/probe/expected", test_expected);
  g_test_add_func ("/probe/read-past-length", test_read_past_length);
  g_test_add_func ("/probe/anon", test_anon);
  g_test_add_func ("/probe/parent-handlers", test_parent_handlers_do_not_leak);
  g_test_add_func ("/probe/parse-arg", test_parse_arg);
  g_test_add_func ("/probe/explain-other", test_explain_other);
  g_test_add_func ("/probe/names", test_names);
  return g_test_run ();
}
