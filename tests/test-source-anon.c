/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsSource on an anonymous shared mapping (MAP_SHARED|MAP_ANONYMOUS).
 * Every test makes its own objects through ps-test-util, which queues each
 * for removal as soon as it exists (g_test_queue_destroy, and on abort), so
 * a test that fails or returns early leaves nothing behind. Children are
 * forked and reaped with a deadline (ps_test_fork, ps_test_reap). */
#include "config.h"

#include <string.h>
#include <sys/mman.h>

#include "ps-source-test-util.h"

static gsize PAGE;

typedef struct
{
  guint8     *addr;
  const char *text;
} AnonWrite;

static int
anon_write_child (gpointer data)
{
  AnonWrite *w = data;

  memcpy (w->addr, w->text, strlen (w->text));
  return 0;
}

static void
test_anon_basic (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree guint8 *buf = g_malloc (4 * PAGE);
  g_autofree char *line = NULL;
  const PsGeometry *g;
  guint8 *data;
  AnonWrite w;
  pid_t pid;

  source = ps_source_new_anon (4 * PAGE, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);
  g = ps_source_get_geometry (source);

  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_ANON);
  g_assert_true (ps_source_is_writable (source));
  g_assert_false (ps_source_is_private (source));
  g_assert_true (ps_source_is_shmem (source));
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
  g_assert_cmpint (ps_source_get_fd (source), ==, -1);
  g_assert_cmpuint (g->object_size, ==, 4 * PAGE);
  g_assert_cmpuint (g->offset, ==, 0);
  g_assert_cmpuint (g->length, ==, 4 * PAGE);
  g_assert_cmpuint (g->n_pages, ==, 4);
  g_assert_cmpuint (g->n_inside, ==, 4);
  g_assert_cmpint (ps_geometry_zone (g, 4), ==, PS_ZONE_PAST_MAPPING);
  line = g_strdup_printf (", %zu, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x", 4 * PAGE);
  ps_assert_log (log, "mmap(0x", line);
  ps_assert_perms (data, "rw-s");
  ps_assert_probe (data + 4 * PAGE, FALSE, "SIGSEGV");

  /* nothing allocated until written; exactly the written pages after */
  ps_assert_residency (source, 0, 4, "0000");
  g_assert_true (ps_source_write (source, PAGE + 1, (const guint8 *) "anon", 4, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "\0\0\0\0", 4);
  ps_assert_residency (source, 0, 4, "0100");

  /* a forked child shares the mapping: its write shows here */
  w = (AnonWrite) { data + 3 * PAGE, "child" };
  pid = ps_test_fork (anon_write_child, &w);
  ps_assert_status (ps_test_reap (pid, CHILD_TIMEOUT_MS), "exit 0");
  g_assert_cmpmem (data + 3 * PAGE, 5, "child", 5);
  ps_assert_residency (source, 0, 4, "0101");

  ps_assert_peek_valid (source, 0, buf, 4 * PAGE, "0101");
  g_assert_cmpmem (buf + PAGE + 1, 4, "anon", 4);
  g_assert_cmpmem (buf + 3 * PAGE, 5, "child", 5);
  ps_assert_residency (source, 0, 4, "0101");    /* peeking allocated nothing */

  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (ps_source_remove (source, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

static void
test_anon_odd_size (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (PAGE + 904, NULL, &error);
  const PsGeometry *g;

  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, PAGE + 904);
  g_assert_cmpuint (g->length, ==, PAGE + 904);
  g_assert_cmpuint (g->n_pages, ==, 2);
  g_assert_cmpuint (g->n_inside, ==, 2);
  ps_test_write_ok (source, PAGE + 903, "e");
  g_assert_false (ps_source_write (source, PAGE + 904, (const guint8 *) "e", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_errors_anon_size_zero (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_anon (0, log, &error);
  PsSourceSpec spec = { .kind = PS_SOURCE_ANON, .size = 0 };

  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "mmap(NULL, 0, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS"));
  g_assert_nonnull (strstr (error->message, "must not be zero"));
  ps_assert_log (log, "mmap(NULL, 0, ", "not called: the size must not be zero");
  g_clear_error (&error);

  source = ps_source_open (&spec, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  source = ps_source_new_anon (G_MAXUINT64, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "too large"));
}

int
main (int argc, char **argv)
{
  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);

  g_test_add_func ("/source/anon/basic", test_anon_basic);
  g_test_add_func ("/source/anon/odd-size", test_anon_odd_size);
  g_test_add_func ("/source/errors/anon-size-zero", test_errors_anon_size_zero);

  return g_test_run ();
}
