/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ps-source.h"
#include "ps-test-util.h"

static void
test_file_shared_readonly (void)
{
  g_autofree char *path = ps_test_make_file ("ro", 100, 'a');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  const PsGeometry *g;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 3 * 4096, log, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 100);
  g_assert_cmpuint (g->n_pages, ==, 3);
  g_assert_cmpuint (g->n_inside, ==, 1);
  g_assert_cmpint (ps_geometry_zone (g, 0), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone (g, 1), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (g, 3), ==, PS_ZONE_PAST_MAPPING);
  g_assert_cmpint (ps_source_get_data (source)[99], ==, 'a');
  g_assert_false (ps_source_is_writable (source));

  ps_source_close (source);
  unlink (path);
}

static void
test_file_offset_unaligned (void)
{
  g_autofree char *path = ps_test_make_file ("unaligned", 8192, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 100, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "mmap("));
  g_assert_nonnull (strstr (error->message, "page size"));
  unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/source/file/shared-readonly", test_file_shared_readonly);
  g_test_add_func ("/source/file/offset-unaligned", test_file_offset_unaligned);
  return g_test_run ();
}
