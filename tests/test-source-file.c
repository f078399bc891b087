/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsSource on a regular file: geometry, the zones past EOF, shared and
 * private writable mappings, msync, a file that shrinks or goes, and the
 * files it refuses to map.
 * Every test makes its own objects through ps-test-util, which queues each
 * for removal as soon as it exists (g_test_queue_destroy, and on abort), so
 * a test that fails or returns early leaves nothing behind. Children are
 * forked and reaped with a deadline (ps_test_fork, ps_test_reap);
 * permission cases run as user nobody in g_test_trap_subprocess children. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-source-test-util.h"

static gsize PAGE;

static void
test_geometry_init (void)
{
  gsize odd = 2 * PAGE + PAGE / 2;   /* not a multiple of the page size */
  PsGeometry g, h;

  ps_geometry_init (&g, 100, 0, 3 * PAGE, PAGE);
  g_assert_cmpuint (g.object_size, ==, 100);
  g_assert_cmpuint (g.offset, ==, 0);
  g_assert_cmpuint (g.length, ==, 3 * PAGE);
  g_assert_cmpuint (g.page_size, ==, PAGE);
  g_assert_cmpuint (g.n_pages, ==, 3);
  g_assert_cmpuint (g.data_length, ==, 100);
  g_assert_cmpuint (g.n_inside, ==, 1);
  g_assert_cmpint (ps_geometry_zone (&g, 0), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone (&g, 1), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (&g, 2), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (&g, 3), ==, PS_ZONE_PAST_MAPPING);
  g_assert_cmpint (ps_geometry_zone_at (&g, 99), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone_at (&g, PAGE - 1), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone_at (&g, PAGE), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone_at (&g, 3 * PAGE), ==, PS_ZONE_PAST_MAPPING);

  /* the mapping starts inside the object and ends past it */
  ps_geometry_init (&g, 4 * PAGE + 1, 2 * PAGE, 5 * PAGE, PAGE);
  g_assert_cmpuint (g.data_length, ==, 2 * PAGE + 1);
  g_assert_cmpuint (g.n_inside, ==, 3);
  g_assert_cmpuint (g.n_pages, ==, 5);

  /* the mapping starts past the end: nothing inside */
  ps_geometry_init (&g, PAGE, 2 * PAGE, PAGE, PAGE);
  g_assert_cmpuint (g.data_length, ==, 0);
  g_assert_cmpuint (g.n_inside, ==, 0);
  g_assert_cmpint (ps_geometry_zone (&g, 0), ==, PS_ZONE_PAST_EOF);

  /* a length that is not a page multiple still counts its last page */
  ps_geometry_init (&g, odd, 0, odd, PAGE);
  g_assert_cmpuint (g.n_pages, ==, 3);
  g_assert_cmpuint (g.n_inside, ==, 3);
  g_assert_cmpint (ps_geometry_zone (&g, 3), ==, PS_ZONE_PAST_MAPPING);

  ps_geometry_init (&h, odd, 0, odd, PAGE);
  g_assert_true (ps_geometry_equal (&g, &h));
  ps_geometry_init (&h, odd + 1, 0, odd, PAGE);
  g_assert_false (ps_geometry_equal (&g, &h));
}

static void
test_file_shared_readonly (void)
{
  g_autofree char *path = ps_test_file ("ro", 100, 'a');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  const PsGeometry *g;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 3 * PAGE, log, &error);
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
}

static void
test_file_offset_unaligned (void)
{
  g_autofree char *path = ps_test_file ("unaligned", 2 * PAGE, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 100, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "mmap("));
  g_assert_nonnull (strstr (error->message, "page size"));
}

/* Read-only is PROT_READ: a write through the mapping faults, and
 * ps_source_write refuses and says how to reopen writable. */
static void
test_file_readonly_prot (void)
{
  g_autofree char *path = ps_test_file ("prot", 2 * PAGE, 'r');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree char *open_line = NULL;
  g_autofree char *contents = NULL;
  struct stat before, after;
  guint8 *data;
  gsize len;

  g_assert_cmpint (stat (path, &before), ==, 0);
  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);

  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_FILE);
  g_assert_cmpint (ps_source_get_flags (source), ==, PS_MAP_DEFAULT);
  g_assert_false (ps_source_is_writable (source));
  g_assert_false (ps_source_is_private (source));
  g_assert_false (ps_source_is_shmem (source));
  g_assert_cmpstr (ps_source_get_path (source), ==, path);
  g_assert_cmpstr (ps_source_get_display_name (source), ==, path);
  g_assert_cmpint (ps_source_get_fd (source), >=, 0);
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
  g_assert_true (ps_source_get_log (source) == log);

  open_line = g_strdup_printf ("open(\"%s\", O_RDONLY) = %d", path, ps_source_get_fd (source));
  ps_assert_log_line (log, open_line);
  ps_assert_log (log, "mmap(", "PROT_READ, MAP_SHARED|MAP_FIXED");

  ps_assert_perms (data, "r--s");
  ps_assert_probe (data, FALSE, "exit 0");
  ps_assert_probe (data, TRUE, "SIGSEGV");
  ps_assert_probe (data + PAGE + 5, TRUE, "SIGSEGV");

  g_assert_false (ps_source_write (source, 0, (const guint8 *) "x", 1, &previous, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "read-only"));
  g_assert_nonnull (strstr (error->message, "reopen it writable"));
  g_assert_null (previous);
  ps_assert_log (log, "memcpy(", "not called: the mapping is read-only");

  /* attaching and reading never wrote: same bytes, same mtime */
  g_assert_cmpint (data[0], ==, 'r');
  ps_source_close (source);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 2 * PAGE);
  for (gsize i = 0; i < len; i++)
    g_assert_cmpint (contents[i], ==, 'r');
  g_assert_cmpint (stat (path, &after), ==, 0);
  g_assert_cmpint (before.st_mtim.tv_sec, ==, after.st_mtim.tv_sec);
  g_assert_cmpint (before.st_mtim.tv_nsec, ==, after.st_mtim.tv_nsec);
}

/* A 100-byte file mapped three pages long: the rest of page 0 reads as
 * zeros, page 1 and 2 raise SIGBUS, the guard page after the mapping SIGSEGV. */
static void
test_file_zones (void)
{
  g_autofree char *path = ps_test_file ("zones", 100, 'z');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree guint8 *buf = g_malloc (3 * PAGE);
  const PsGeometry *g;
  guint8 *data;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 3 * PAGE, NULL, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);
  g = ps_source_get_geometry (source);

  g_assert_cmpuint (g->object_size, ==, 100);
  g_assert_cmpuint (g->offset, ==, 0);
  g_assert_cmpuint (g->length, ==, 3 * PAGE);
  g_assert_cmpuint (g->page_size, ==, PAGE);
  g_assert_cmpuint (g->n_pages, ==, 3);
  g_assert_cmpuint (g->data_length, ==, 100);
  g_assert_cmpuint (g->n_inside, ==, 1);
  for (guint64 p = 0; p < 4; p++)
    g_assert_cmpint (ps_geometry_zone (g, p), ==,
                     p == 0 ? PS_ZONE_INSIDE : p < 3 ? PS_ZONE_PAST_EOF : PS_ZONE_PAST_MAPPING);

  /* what each zone does when touched */
  g_assert_cmpint (data[99], ==, 'z');
  g_assert_cmpint (data[100], ==, 0);
  g_assert_cmpint (data[PAGE - 1], ==, 0);
  ps_assert_probe (data + PAGE - 1, FALSE, "exit 0");
  ps_assert_probe (data + PAGE, FALSE, "SIGBUS");
  ps_assert_probe (data + 3 * PAGE - 1, FALSE, "SIGBUS");
  ps_assert_probe (data + 3 * PAGE, FALSE, "SIGSEGV");
  ps_assert_perms (data + 3 * PAGE, "---p");

  /* peek copies what exists and skips what would fault */
  memset (buf, 0xee, 3 * PAGE);
  ps_assert_peek_valid (source, 0, buf, 3 * PAGE, "100");
  for (gsize i = 0; i < 3 * PAGE; i++)
    g_assert_cmpint (buf[i], ==, i < 100 ? 'z' : 0);
  /* a peek past the mapping is clamped and never faults */
  ps_assert_peek_valid (source, 2 * PAGE, buf, 2 * PAGE, "00");
}

static void
test_file_length_default (void)
{
  gsize size = 2 * PAGE + PAGE / 2;
  g_autofree char *path = ps_test_file ("default-length", size, 'd');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *line = NULL;
  const PsGeometry *g;
  guint8 *data;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, log, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  data = ps_source_get_data (source);

  g_assert_cmpuint (g->object_size, ==, size);
  g_assert_cmpuint (g->length, ==, size);
  g_assert_cmpuint (g->data_length, ==, size);
  g_assert_cmpuint (g->n_pages, ==, 3);
  g_assert_cmpuint (g->n_inside, ==, 3);
  g_assert_cmpint (ps_geometry_zone (g, 2), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone (g, 3), ==, PS_ZONE_PAST_MAPPING);
  g_assert_cmpint (data[size - 1], ==, 'd');
  g_assert_cmpint (data[size], ==, 0);          /* rest of the last page */
  ps_assert_probe (data + 3 * PAGE, FALSE, "SIGSEGV");

  line = g_strdup_printf (", %zu, PROT_READ, MAP_SHARED|MAP_FIXED, %d, 0) = 0x", size, ps_source_get_fd (source));
  ps_assert_log (log, "mmap(0x", line);
}

static void
test_file_empty_with_length (void)
{
  g_autofree char *path = ps_test_file ("empty-length", 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree guint8 *buf = g_malloc (2 * PAGE);
  const PsGeometry *g;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 2 * PAGE, NULL, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 0);
  g_assert_cmpuint (g->n_pages, ==, 2);
  g_assert_cmpuint (g->n_inside, ==, 0);
  g_assert_cmpuint (g->data_length, ==, 0);
  g_assert_cmpint (ps_geometry_zone (g, 0), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (g, 1), ==, PS_ZONE_PAST_EOF);
  ps_assert_probe (ps_source_get_data (source), FALSE, "SIGBUS");
  memset (buf, 0xee, 2 * PAGE);
  ps_assert_peek_valid (source, 0, buf, 2 * PAGE, "00");
  for (gsize i = 0; i < 2 * PAGE; i++)
    g_assert_cmpint (buf[i], ==, 0);
}

static void
test_file_offset (void)
{
  g_autofree char *path = ps_test_pattern_file ("offset", 4);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) a = NULL;
  g_autoptr(PsSource) b = NULL;
  g_autoptr(PsSource) c = NULL;
  g_autofree guint8 *buf = g_malloc (5 * PAGE);
  g_autofree char *line = NULL;
  const PsGeometry *g;

  /* the rest of the file from page 2 */
  a = ps_source_open_file (path, PS_MAP_DEFAULT, 2 * PAGE, 0, log, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (a);
  g_assert_cmpuint (g->object_size, ==, 4 * PAGE);
  g_assert_cmpuint (g->offset, ==, 2 * PAGE);
  g_assert_cmpuint (g->length, ==, 2 * PAGE);
  g_assert_cmpuint (g->n_pages, ==, 2);
  g_assert_cmpuint (g->n_inside, ==, 2);
  g_assert_cmpint (ps_source_get_data (a)[0], ==, 'C');
  g_assert_cmpint (ps_source_get_data (a)[PAGE], ==, 'D');
  g_assert_cmpint (ps_source_get_data (a)[2 * PAGE - 1], ==, 'D');
  line = g_strdup_printf (", %zu, PROT_READ, MAP_SHARED|MAP_FIXED, %d, %zu) = 0x",
                          2 * PAGE, ps_source_get_fd (a), 2 * PAGE);
  ps_assert_log (log, "mmap(0x", line);

  /* from page 1, five pages long: two of them past EOF */
  b = ps_source_open_file (path, PS_MAP_DEFAULT, PAGE, 5 * PAGE, NULL, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (b);
  g_assert_cmpuint (g->offset, ==, PAGE);
  g_assert_cmpuint (g->length, ==, 5 * PAGE);
  g_assert_cmpuint (g->data_length, ==, 3 * PAGE);
  g_assert_cmpuint (g->n_pages, ==, 5);
  g_assert_cmpuint (g->n_inside, ==, 3);
  g_assert_cmpint (ps_geometry_zone (g, 2), ==, PS_ZONE_INSIDE);
  g_assert_cmpint (ps_geometry_zone (g, 3), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_geometry_zone (g, 5), ==, PS_ZONE_PAST_MAPPING);
  ps_assert_peek_valid (b, 0, buf, 5 * PAGE, "11100");
  g_assert_cmpint (buf[0], ==, 'B');
  g_assert_cmpint (buf[2 * PAGE], ==, 'D');
  g_assert_cmpint (buf[3 * PAGE], ==, 0);
  ps_assert_probe (ps_source_get_data (b) + 3 * PAGE, FALSE, "SIGBUS");

  /* wholly past EOF, with a length: allowed, nothing inside */
  c = ps_source_open_file (path, PS_MAP_DEFAULT, 8 * PAGE, PAGE, NULL, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (c);
  g_assert_cmpuint (g->n_inside, ==, 0);
  g_assert_cmpuint (g->data_length, ==, 0);
  g_assert_cmpint (ps_geometry_zone (g, 0), ==, PS_ZONE_PAST_EOF);
}

/* MAP_PRIVATE and writable: our writes are copies; the file and every
 * other process keep the original bytes. */
static void
test_file_private_writable (void)
{
  g_autofree char *path = ps_test_file ("private", 2 * PAGE, 'a');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *open_line = NULL;
  gsize len;
  guint8 *data;
  PsTestOther other = { .path = path, .offset = 10, .bytes = (const guint8 *) "aaa", .len = 3 };

  source = ps_source_open_file (path, PS_MAP_PRIVATE | PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);
  g_assert_true (ps_source_is_private (source));
  g_assert_true (ps_source_is_writable (source));

  /* a private mapping needs no write permission on the file */
  open_line = g_strdup_printf ("open(\"%s\", O_RDONLY) = %d", path, ps_source_get_fd (source));
  ps_assert_log_line (log, open_line);
  ps_assert_log (log, "mmap(0x", "PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED");
  ps_assert_perms (data, "rw-p");

  g_assert_true (ps_source_write (source, 10, (const guint8 *) "XYZ", 3, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "aaa", 3);
  g_assert_cmpmem (data + 10, 3, "XYZ", 3);

  /* the file is unchanged, even after msync */
  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 2 * PAGE);
  g_assert_cmpmem (contents + 10, 3, "aaa", 3);

  /* another process that maps the file sees the original */
  ps_assert_other (&other, "exit 0");
}

typedef struct
{
  const char *path;
  guint64     offset;
  int         ready_fd;   /* child writes one byte here once it maps the page */
  int         wait_fd;    /* child waits here until the parent closes it */
  int         unused[2];
} Holder;

static int
holder_child (gpointer data)
{
  Holder *h = data;
  struct pollfd pfd = { h->wait_fd, POLLIN, 0 };
  volatile guint8 *p;
  int fd;

  close (h->unused[0]);
  close (h->unused[1]);
  fd = open (h->path, O_RDONLY);
  if (fd < 0)
    return 10;
  p = mmap (NULL, PAGE, PROT_READ, MAP_SHARED, fd, h->offset);
  if (p == MAP_FAILED)
    return 11;
  (void) p[0];                  /* this process maps the page too now */
  if (write (h->ready_fd, "r", 1) != 1)
    return 12;
  /* until the parent closes its end; a deadline in case it never does */
  while (poll (&pfd, 1, 2 * CHILD_TIMEOUT_MS) < 0 && errno == EINTR)
    ;
  return 0;
}

/* The bytes on the disk at offset, where the test may read the disk itself. */
static void
assert_on_disk (const char *path,
                goffset     offset,
                const char *expected)
{
  g_autoptr(GBytes) disk = ps_test_read_from_disk (path, offset, strlen (expected));

  if (disk != NULL)
    g_assert_cmpmem (g_bytes_get_data (disk, NULL), g_bytes_get_size (disk), expected, strlen (expected));
}

/* MAP_SHARED and writable: another process sees our writes, we see its
 * writes, and msync writes our dirty page back: this process's dirty pages
 * (smaps) drop by at least that page, and the bytes reach the disk. */
static void
test_file_shared_writable (void)
{
  g_autofree char *path = ps_test_disk_file ("shared", 3 * PAGE, 's');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree char *open_line = NULL;
  PsMsyncReport report;
  gint64 shared_before, private_before, shared_after, private_after;
  guint8 *data;
  PsTestOther sees = { .path = path, .offset = PAGE + 10, .bytes = (const guint8 *) "hello", .len = 5 };
  PsTestOther writes = { .path = path, .offset = 2 * PAGE + 7, .bytes = (const guint8 *) "other", .len = 5, .write = TRUE };

  if (path == NULL)
    {
      g_test_skip ("no temporary directory on a disk file system: msync writes nothing back on tmpfs");
      return;
    }
  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);
  open_line = g_strdup_printf ("open(\"%s\", O_RDWR) = %d", path, ps_source_get_fd (source));
  ps_assert_log_line (log, open_line);
  ps_assert_log (log, "mmap(0x", "PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED");
  ps_assert_perms (data, "rw-s");

  g_assert_true (ps_source_write (source, PAGE + 10, (const guint8 *) "hello", 5, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "sssss", 5);
  ps_assert_log (log, "memcpy(", ", 5 bytes) = ok");
  ps_assert_other (&sees, "exit 0");

  /* and the other way round */
  ps_assert_other (&writes, "exit 0");
  g_assert_cmpmem (data + 2 * PAGE + 7, 5, "other", 5);

  g_assert_true (ps_test_smaps_dirty (0, (guintptr) data, &shared_before, &private_before));
  g_assert_cmpint (shared_before + private_before, >=, PAGE);
  g_assert_true (ps_source_msync (source, PAGE + 10, 5, MS_SYNC, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.offset, ==, PAGE);
  g_assert_cmpuint (report.length, ==, PAGE);
  g_assert_true (ps_test_smaps_dirty (0, (guintptr) data, &shared_after, &private_after));
  g_test_message ("dirty: shared %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT ", private %"
                  G_GINT64_FORMAT " -> %" G_GINT64_FORMAT, shared_before, shared_after, private_before, private_after);
  g_assert_cmpint (shared_after + private_after, <=, shared_before + private_before - (gint64) PAGE);
  g_assert_cmpint (report.shared_dirty_before + report.private_dirty_before, >=, PAGE);
  g_assert_cmpint (report.shared_dirty_after + report.private_dirty_after, <=,
                   report.shared_dirty_before + report.private_dirty_before - (gint64) PAGE);

  /* unmapped, so the page cache can let go of the pages: the disk has both */
  ps_source_close (source);
  assert_on_disk (path, PAGE + 10, "hello");
  assert_on_disk (path, 2 * PAGE + 7, "other");
}

/* What msync reports, checked against what smaps really says: a page dirtied
 * through a mapping only this process has is Private_Dirty (smaps counts a
 * page "shared" when more than one process maps it, whatever MAP_SHARED
 * says); it is Shared_Dirty while another process maps it too. The page
 * cache may hold the file in large folios, dirtied whole, so a 5-byte write
 * can show as more than one dirty page: assert "at least a page". */
static void
test_file_msync (void)
{
  g_autofree char *path = ps_test_disk_file ("msync", 3 * PAGE, 'm');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsSource) ro = NULL;
  g_autofree char *line = NULL;
  PsMsyncReport report;
  gint64 shared, private;
  int ready[2], wait_pipe[2];
  struct pollfd pfd;
  char c;
  pid_t pid;
  Holder holder;

  if (path == NULL)
    {
      g_test_skip ("no temporary directory on a disk file system: msync writes nothing back on tmpfs");
      return;
    }
  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);

  /* clean: nothing dirty */
  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, &report, &error));
  g_assert_true (ps_source_read_dirty (source, &shared, &private));
  g_assert_cmpint (shared + private, ==, 0);

  ps_test_write_ok (source, PAGE + 10, "dirty");
  g_assert_true (ps_source_read_dirty (source, &shared, &private));
  g_assert_cmpint (shared, ==, 0);
  g_assert_cmpint (private, >=, PAGE);

  memset (&report, 0xff, sizeof report);
  g_assert_true (ps_source_msync (source, PAGE + 10, 5, MS_SYNC, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.offset, ==, PAGE);
  g_assert_cmpuint (report.length, ==, PAGE);
  g_assert_cmpint (report.flags, ==, MS_SYNC);
  g_assert_cmpint (report.elapsed_us, >=, 0);
  g_assert_cmpint (report.shared_dirty_before, ==, 0);
  g_assert_cmpint (report.private_dirty_before, >=, PAGE);
  g_assert_cmpint (report.shared_dirty_after, ==, 0);
  g_assert_cmpint (report.private_dirty_after, ==, 0);
  line = g_strdup_printf ("msync(%p, %zu, MS_SYNC) = 0 (", ps_source_get_data (source) + PAGE, PAGE);
  ps_assert_log_line (log, line);

  /* an unaligned range is widened to whole pages */
  g_assert_true (ps_source_msync (source, PAGE - 1, 2, MS_ASYNC | MS_INVALIDATE, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.offset, ==, 0);
  g_assert_cmpuint (report.length, ==, 2 * PAGE);
  g_assert_cmpint (report.flags, ==, MS_ASYNC | MS_INVALIDATE);
  ps_assert_log (log, "msync(", ", MS_ASYNC|MS_INVALIDATE) = 0 (");

  /* length 0: to the end of the mapping */
  g_assert_true (ps_source_msync (source, 0, 0, MS_ASYNC, &report, &error));
  g_assert_cmpuint (report.offset, ==, 0);
  g_assert_cmpuint (report.length, ==, 3 * PAGE);

  /* a page another process maps as well counts as Shared_Dirty */
  g_assert_cmpint (pipe2 (ready, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (wait_pipe, O_CLOEXEC), ==, 0);
  holder = (Holder) { path, 2 * PAGE, ready[1], wait_pipe[0], { ready[0], wait_pipe[1] } };
  pid = ps_test_fork (holder_child, &holder);
  close (ready[1]);
  close (wait_pipe[0]);
  pfd = (struct pollfd) { ready[0], POLLIN, 0 };
  g_assert_cmpint (poll (&pfd, 1, CHILD_TIMEOUT_MS), ==, 1);
  g_assert_cmpint (read (ready[0], &c, 1), ==, 1);

  ps_test_write_ok (source, 2 * PAGE, "both");
  g_assert_true (ps_source_msync (source, 2 * PAGE, PAGE, MS_SYNC, &report, &error));
  g_assert_cmpint (report.shared_dirty_before, >=, PAGE);
  g_assert_cmpint (report.shared_dirty_after, ==, 0);
  g_assert_cmpint (report.private_dirty_after, ==, 0);

  close (wait_pipe[1]);
  close (ready[0]);
  ps_assert_status (ps_test_reap (pid, CHILD_TIMEOUT_MS), "exit 0");

  /* refused: past the mapping, or running past its end */
  g_assert_false (ps_source_msync (source, 3 * PAGE, PAGE, MS_SYNC, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "past the end of the mapping"));
  g_clear_error (&error);
  g_assert_false (ps_source_msync (source, PAGE, 10 * PAGE, MS_SYNC, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* flags the kernel rejects: its error, named */
  g_assert_false (ps_source_msync (source, 0, PAGE, MS_SYNC | MS_ASYNC, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_true (g_str_has_prefix (error->message, "msync("));
  g_assert_nonnull (strstr (error->message, "Invalid argument"));
  ps_assert_log (log, "msync(", "= -1 EINVAL (Invalid argument)");
  g_clear_error (&error);

  /* msync of a read-only shared mapping is allowed */
  ro = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ps_source_msync (ro, 0, 0, MS_SYNC, &report, &error));
  g_assert_no_error (error);
}

static void
test_msync_flags (void)
{
  static const struct { const char *text; int flags; const char *back; } good[] = {
    { "sync", MS_SYNC, "MS_SYNC" },
    { "async", MS_ASYNC, "MS_ASYNC" },
    { "sync,invalidate", MS_SYNC | MS_INVALIDATE, "MS_SYNC|MS_INVALIDATE" },
    { "async|invalidate", MS_ASYNC | MS_INVALIDATE, "MS_ASYNC|MS_INVALIDATE" },
    { "MS_ASYNC|MS_INVALIDATE", MS_ASYNC | MS_INVALIDATE, "MS_ASYNC|MS_INVALIDATE" },
    { "SYNC", MS_SYNC, "MS_SYNC" },
    { "invalidate", MS_SYNC | MS_INVALIDATE, "MS_SYNC|MS_INVALIDATE" },
    { "", MS_SYNC, "MS_SYNC" },
  };
  static const char *const bad[] = { "sync,async", "bogus", "syncx", "sync,flush", "MS_SYNC|MS_ASYNC" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *back = NULL;
      int flags = -1, again = -1;

      g_assert_true (ps_msync_flags_parse (good[i].text, &flags, &error));
      g_assert_no_error (error);
      g_assert_cmpint (flags, ==, good[i].flags);
      back = ps_msync_flags_to_string (flags);
      g_assert_cmpstr (back, ==, good[i].back);
      g_assert_true (ps_msync_flags_parse (back, &again, NULL));
      g_assert_cmpint (again, ==, flags);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      int flags = 12345;

      g_assert_false (ps_msync_flags_parse (bad[i], &flags, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_assert_cmpint (flags, ==, 12345);
    }
}

/* Another process truncates and extends the file; restat says so. */
/* The file deleted, then another made under its path (an editor's save):
 * the name is taken only by the other, and never by the mapped file itself. */
static void
test_file_name_taken (void)
{
  g_autofree char *path = ps_test_file ("name-taken", PAGE, 'o');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsSource) fresh = NULL;
  gboolean removed = FALSE;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (ps_source_name_taken (source));

  g_assert_cmpint (unlink (path), ==, 0);
  g_assert_true (ps_source_restat (source, NULL, &removed, &error));
  g_assert_true (removed);
  g_assert_false (ps_source_name_taken (source));

  g_assert_true (g_file_set_contents (path, "new", 3, &error));
  g_assert_no_error (error);
  g_assert_true (ps_source_name_taken (source));
  g_assert_cmpuint (ps_source_get_data (source)[0], ==, 'o');

  fresh = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (ps_source_name_taken (fresh));
}

static void
test_file_restat (void)
{
  g_autofree char *path = ps_test_file ("restat", 2 * PAGE, 'r');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree guint8 *buf = g_malloc (2 * PAGE);
  PsGeometry now;
  gboolean removed = TRUE;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_no_error (error);
  g_assert_false (removed);
  g_assert_true (ps_geometry_equal (&now, ps_source_get_geometry (source)));

  ps_test_resize_elsewhere (path, NULL, 5 * PAGE);
  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_cmpuint (now.object_size, ==, 5 * PAGE);
  g_assert_cmpuint (now.length, ==, 2 * PAGE);   /* the mapping stays as it was */
  g_assert_cmpuint (now.n_inside, ==, 2);
  g_assert_false (removed);
  g_assert_false (ps_geometry_equal (&now, ps_source_get_geometry (source)));
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, 2 * PAGE);

  ps_test_resize_elsewhere (path, NULL, 100);
  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_cmpuint (now.object_size, ==, 100);
  g_assert_cmpuint (now.data_length, ==, 100);
  g_assert_cmpuint (now.n_inside, ==, 1);
  g_assert_cmpint (ps_geometry_zone (&now, 1), ==, PS_ZONE_PAST_EOF);
  g_assert_false (removed);

  /* peek follows the new size and does not fault */
  ps_assert_peek_valid (source, 0, buf, 2 * PAGE, "10");
  g_assert_cmpint (buf[99], ==, 'r');
  g_assert_cmpint (buf[100], ==, 0);

  g_assert_cmpint (unlink (path), ==, 0);
  g_assert_true (ps_source_restat (source, NULL, &removed, &error));
  g_assert_true (removed);
}

/* The file shrinks under a writable mapping: a write to a page now wholly
 * past EOF raises SIGBUS, which is caught and reported, again and again. */
static void
test_file_sigbus_write (void)
{
  g_autofree char *path = ps_test_file ("sigbus", 3 * PAGE, 'w');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) shared = NULL;
  g_autoptr(PsSource) private = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree guint8 *buf = g_malloc (3 * PAGE);
  g_autofree char *size_text = g_strdup_printf ("the object is %zu bytes", PAGE + 100);
  struct stat st;

  shared = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  private = ps_source_open_file (path, PS_MAP_WRITABLE | PS_MAP_PRIVATE, 0, 0, log, &error);
  g_assert_no_error (error);

  ps_test_resize_elsewhere (path, NULL, PAGE + 100);

  for (guint round = 0; round < 3; round++)
    {
      g_assert_false (ps_source_write (shared, 2 * PAGE + round, (const guint8 *) "bus", 3, &previous, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "SIGBUS"));
      g_assert_nonnull (strstr (error->message, size_text));
      g_assert_null (previous);
      g_clear_error (&error);
    }
  ps_assert_log (log, "memcpy(", "= SIGBUS (the object is");

  g_assert_false (ps_source_write (private, 2 * PAGE, (const guint8 *) "bus", 3, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "SIGBUS"));
  g_clear_error (&error);

  /* the rest of the last page past EOF is still writable, and reads zeros */
  g_assert_true (ps_source_write (shared, PAGE + 200, (const guint8 *) "tail", 4, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "\0\0\0\0", 4);
  g_clear_pointer (&previous, g_bytes_unref);
  ps_test_write_ok (shared, 0, "head");

  ps_assert_peek_valid (shared, 0, buf, 3 * PAGE, "110");
  g_assert_cmpmem (buf, 4, "head", 4);
  g_assert_cmpmem (buf + PAGE + 200, 4, "tail", 4);
  g_assert_cmpint (buf[2 * PAGE], ==, 0);

  /* the tail never reaches the file; on a disk filesystem writeback even
   * zeroes it in the page cache, so it is not asserted after msync */
  g_assert_true (ps_source_msync (shared, 0, 2 * PAGE, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, PAGE + 100);
  ps_assert_peek_valid (shared, 0, buf, 3 * PAGE, "110");
  g_assert_cmpmem (buf, 4, "head", 4);
}

/* A write that runs from inside the file onto a page wholly past EOF: the
 * pages before the fault are written, the error says exactly how many bytes,
 * and the bytes handed back undo exactly that, so the file is as before. */
static void
test_file_partial_write (void)
{
  gsize size = PAGE + 100;
  g_autofree char *path = ps_test_file ("partial", size, 'p');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree guint8 *payload = g_malloc (2 * PAGE);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;
  gsize before_len, after_len;
  guint64 at = PAGE - 96;
  gsize written = 2 * PAGE - at;   /* up to the end of the last page inside EOF */

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 4 * PAGE, log, &error);
  g_assert_no_error (error);
  memset (payload, 'B', 2 * PAGE);

  g_assert_false (ps_source_write (source, at, payload, 2 * PAGE, &previous, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  expected = g_strdup_printf ("%zu bytes from 0x%" G_GINT64_MODIFIER "x were written, the other %zu lie",
                              written, at, 2 * PAGE - written);
  ps_assert_contains (error->message, expected);
  g_clear_error (&error);
  g_assert_nonnull (previous);
  g_assert_cmpuint (g_bytes_get_size (previous), ==, written);
  ps_assert_log (log, "memcpy(", "= SIGBUS after ");

  /* what was written reached the file: the bytes before EOF are 'B' now */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpuint (after_len, ==, size);
  g_assert_cmpint (after[at], ==, 'B');
  g_assert_cmpint (after[size - 1], ==, 'B');
  g_clear_pointer (&after, g_free);

  /* and undoing exactly that gives the file back */
  g_assert_true (ps_source_write (source, at, g_bytes_get_data (previous, NULL), written, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, before, before_len);
}

static void
test_file_write_checks (void)
{
  g_autofree char *path = ps_test_file ("write-checks", 2 * PAGE, 'a');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autoptr(GBytes) undone = NULL;
  guint8 *data;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (source);

  /* the previous bytes undo the write */
  g_assert_true (ps_source_write (source, PAGE - 2, (const guint8 *) "ABCD", 4, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (data + PAGE - 2, 4, "ABCD", 4);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "aaaa", 4);
  g_assert_true (ps_source_write (source, PAGE - 2, g_bytes_get_data (previous, NULL),
                                  g_bytes_get_size (previous), &undone, &error));
  g_assert_cmpmem (data + PAGE - 2, 4, "aaaa", 4);
  g_assert_cmpmem (g_bytes_get_data (undone, NULL), g_bytes_get_size (undone), "ABCD", 4);

  /* the last byte of the mapping, and no further */
  ps_test_write_ok (source, 2 * PAGE - 1, "z");
  g_assert_false (ps_source_write (source, 2 * PAGE, (const guint8 *) "z", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "past the end of the mapping"));
  g_clear_error (&error);
  g_assert_false (ps_source_write (source, 2 * PAGE - 1, (const guint8 *) "zz", 2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "run past the end of the mapping"));
  g_clear_error (&error);
  g_assert_false (ps_source_write (source, G_MAXUINT64 - 1, (const guint8 *) "zz", 2, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  ps_assert_log (log, "memcpy(", "not called: ");

  g_assert_false (ps_source_write (source, 0, (const guint8 *) "", 0, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

/* Bytes written in the last page past EOF: written and counted, and the
 * log says they never reach the file; the file keeps its size and gets the
 * bytes before EOF. */
static void
test_file_write_past_eof (void)
{
  g_autofree char *path = ps_test_file ("src-tail", 100, 't');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 3 * PAGE, log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ps_source_bytes_past_eof (source, 0, 100), ==, 0);
  g_assert_cmpuint (ps_source_bytes_past_eof (source, 0x60, 8), ==, 4);
  g_assert_cmpuint (ps_source_bytes_past_eof (source, 0x64, 4), ==, 4);

  g_assert_true (ps_source_write (source, 0x60, (const guint8 *) "ABCDEFGH", 8, NULL, &error));
  g_assert_no_error (error);
  ps_assert_log (log, "note: 4 of these bytes lie past EOF (the object is 100 bytes)", "never reach the file");
  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 100);
  g_assert_cmpmem (contents + 0x60, 4, "ABCD", 4);

  /* a write inside the file says nothing more */
  ps_event_log_clear (log);
  g_assert_true (ps_source_write (source, 0, (const guint8 *) "x", 1, NULL, &error));
  {
    g_autofree char *text = ps_event_log_to_text (log);
    g_assert_null (strstr (text, "past EOF"));
  }
}

/* Demo files left by a process that died are removed by the next demo;
 * a live process's file, and any other file, stay. */
static void
test_demo_sweep (void)
{
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-sweep-XXXXXX", (int) getpid ());
  g_autofree char *dir = g_dir_make_tmp (template, NULL);
  g_autofree char *dead = NULL, *alive = NULL, *no_pid = NULL, *other = NULL;
  pid_t child = fork ();
  int status;

  g_assert_nonnull (dir);
  ps_test_queue_unlink (dir);
  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    _exit (0);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);   /* now no process has that pid */

  dead = g_strdup_printf ("%s/pagescope-demo-%d-AbC123", dir, (int) child);
  alive = g_strdup_printf ("%s/pagescope-demo-%d-AbC123", dir, (int) getpid ());
  no_pid = g_strdup_printf ("%s/pagescope-demo-AbC123", dir);
  other = g_strdup_printf ("%s/notes-%d-AbC123", dir, (int) child);
  for (const char *const *p = (const char *const[]) { dead, alive, no_pid, other, NULL }; *p != NULL; p++)
    {
      ps_test_queue_unlink (*p);
      g_assert_true (g_file_set_contents (*p, "x", 1, NULL));
    }

  ps_source_sweep_stale_demos (dir);
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (alive, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (no_pid, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
}

static void
test_file_close (void)
{
  g_autofree char *path = ps_test_file ("close", 2 * PAGE, 'c');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  guint8 buf[16];
  guint8 vec[2];
  int fd;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  fd = ps_source_get_fd (source);
  g_assert_false (ps_source_is_closed (source));

  ps_source_close (source);
  g_assert_true (ps_source_is_closed (source));
  g_assert_null (ps_source_get_data (source));
  g_assert_cmpint (ps_source_get_fd (source), ==, -1);
  ps_assert_log (log, "munmap(0x", " = 0");
  {
    g_autofree char *line = g_strdup_printf ("close(%d) = 0", fd);
    ps_assert_log_line (log, line);
  }
  ps_source_close (source);   /* idempotent */

  memset (buf, 0xee, sizeof buf);
  ps_assert_peek_valid (source, PAGE - 8, buf, sizeof buf, "00");
  for (gsize i = 0; i < sizeof buf; i++)
    g_assert_cmpint (buf[i], ==, 0);

  g_assert_false (ps_source_query_residency (source, 0, 2, vec, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_false (ps_source_write (source, 0, (const guint8 *) "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_false (ps_source_msync (source, PAGE, PAGE, MS_SYNC, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  g_assert_false (ps_source_remove (source, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_file_residency (void)
{
  g_autofree char *path = ps_test_file ("residency", 4 * PAGE, 'r');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *all = NULL;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);

  /* page-cache state: each page is 0 or 1; a page we just wrote is resident */
  ps_test_write_ok (source, 2 * PAGE, "here");
  all = ps_test_residency_string (source, 0, 4);
  g_assert_cmpuint (strspn (all, "01"), ==, 4);
  g_assert_cmpint (all[2], ==, '1');
  ps_assert_residency (source, 2, 1, "1");
  ps_assert_residency (source, 0, 0, "");
}

static void
test_file_describe (void)
{
  g_autofree char *path = ps_test_file ("describe", PAGE, 'd');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree char *size_text = g_strdup_printf ("%zu bytes", PAGE);
  gboolean saw_kind = FALSE, saw_size = FALSE, saw_path = FALSE;

  g_assert_cmpint (chmod (path, 0640), ==, 0);
  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  fields = ps_source_describe (source);
  for (guint i = 0; i < fields->len; i++)
    {
      PsField *f = g_ptr_array_index (fields, i);

      if (g_str_equal (f->label, "Kind"))
        saw_kind = g_str_equal (f->value, "File");
      else if (g_str_equal (f->label, "Path"))
        saw_path = g_str_equal (f->value, path);
      else if (g_str_equal (f->label, "Object size"))
        saw_size = g_str_has_prefix (f->value, size_text);
      else if (g_str_equal (f->label, "Permissions"))
        g_assert_cmpstr (f->value, ==, "0640");
    }
  g_assert_true (saw_kind);
  g_assert_true (saw_path);
  g_assert_true (saw_size);
  g_assert_cmpstr (ps_source_kind_to_string (PS_SOURCE_FILE), ==, "file");
  g_assert_cmpstr (ps_source_kind_to_string (PS_SOURCE_ANON), ==, "anon");
  g_assert_cmpstr (ps_source_kind_to_string (PS_SOURCE_SYSV), ==, "sysv");
  g_assert_cmpstr (ps_source_kind_to_string (PS_SOURCE_POSIX), ==, "posix");
}

static void
test_file_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_new_demo (NULL, &error);
  g_autofree char *path = NULL;
  const PsGeometry *g;

  g_assert_no_error (error);
  path = g_strdup (ps_source_get_path (source));
  ps_test_queue_unlink (path);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 256 * 1024 + 100);
  g_assert_cmpuint (g->n_inside, ==, (256 * 1024 + 100 + PAGE - 1) / PAGE);
  g_assert_cmpuint (g->n_pages, ==, g->n_inside + 2);
  g_assert_true (ps_source_is_writable (source));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  ps_source_close (source);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A root-owned 0644 file, as nobody: residency unknown; the bytes still show. */
static void
test_residency_nobody_file (void)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("PS_TEST_PATH");
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree guint8 *buf = g_malloc (3 * PAGE);

      ps_test_child_become_nobody ();
      source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_UNKNOWN);
      g_assert_false (ps_source_is_shmem (source));
      ps_assert_residency (source, 0, 3, "???");
      ps_assert_peek_valid (source, 0, buf, 3 * PAGE, "111");
      g_assert_cmpint (buf[0], ==, 'f');
      g_assert_cmpint (buf[3 * PAGE - 1], ==, 'f');
      return;
    }

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to run as another user");
      return;
    }

  {
    g_autofree char *path = ps_test_file ("nobody-file", 3 * PAGE, 'f');

    g_assert_cmpint (chmod (path, 0644), ==, 0);
    g_setenv ("PS_TEST_PATH", path, TRUE);
    ps_test_run_as_nobody ();
    g_unsetenv ("PS_TEST_PATH");
  }
}

static void
test_errors_missing_file (void)
{
  g_autofree char *path = ps_test_temp_path ("missing");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *line = g_strdup_printf ("open(\"%s\", O_RDONLY) = -1 ENOENT (No such file or directory)", path);
  PsLogEntry *entry;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "No such file"));
  ps_assert_log_line (log, line);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_true (ps_log_entry_is_error (entry));
  g_object_unref (entry);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_errors_directory (void)
{
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-dir-XXXXXX", (int) getpid ());
  g_autofree char *dir = g_dir_make_tmp (template, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  g_assert_nonnull (dir);
  ps_test_queue_unlink (dir);
  source = ps_source_open_file (dir, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_nonnull (strstr (error->message, "directory"));
  g_clear_error (&error);

  source = ps_source_open_file (dir, PS_MAP_WRITABLE, 0, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_assert_nonnull (strstr (error->message, "Is a directory"));
}

/* A FIFO must be refused without blocking in open(): run it in a child
 * with a deadline, so a blocking open fails the test instead of hanging it. */
static void
test_errors_fifo (void)
{
  if (g_test_subprocess ())
    {
      const char *fifo = g_getenv ("PS_TEST_FIFO");
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;

      source = ps_source_open_file (fifo, PS_MAP_DEFAULT, 0, 0, NULL, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      g_assert_nonnull (strstr (error->message, "FIFO"));
      g_assert_nonnull (strstr (error->message, fifo));
      g_clear_error (&error);

      source = ps_source_open_file (fifo, PS_MAP_WRITABLE, 0, 0, NULL, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
      return;
    }

  {
    g_autofree char *fifo = ps_test_temp_path ("fifo");

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    g_setenv ("PS_TEST_FIFO", fifo, TRUE);
    g_test_trap_subprocess (NULL, 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_unsetenv ("PS_TEST_FIFO");
    if (g_test_trap_reached_timeout ())
      g_test_fail_printf ("opening a FIFO blocked");
    else if (!g_test_trap_has_passed ())
      g_test_fail_printf ("the FIFO checks failed; see above");
  }
}

static void
test_errors_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_open_file ("/dev/null", PS_MAP_DEFAULT, 0, PAGE, NULL, &error);

  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
}

static void
test_errors_empty_file (void)
{
  g_autofree char *path = ps_test_file ("empty", 0, 0);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  struct stat st;

  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_assert_nonnull (strstr (error->message, "give a length"));
  g_assert_true (g_str_has_prefix (error->message, "mmap("));
  ps_assert_log (log, "mmap(", "not called: the object is empty");
  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
}

static void
test_errors_offset_past_eof (void)
{
  g_autofree char *path = ps_test_file ("past-eof", PAGE, 'p');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 2 * PAGE, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "past the end"));
  g_assert_nonnull (strstr (error->message, "give a length"));
  g_clear_error (&error);

  /* exactly at the end is nothing to map either */
  source = ps_source_open_file (path, PS_MAP_DEFAULT, PAGE, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_errors_empty_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_open_file ("", PS_MAP_DEFAULT, 0, 0, NULL, &error);

  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "empty"));
}

static void
test_errors_too_large (void)
{
  g_autofree char *path = ps_test_file ("too-large", PAGE, 'l');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  guint64 far = (guint64) G_MAXINT64 / PAGE * PAGE;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, G_MAXUINT64, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_clear_error (&error);

  /* offset + length would overflow off_t */
  source = ps_source_open_file (path, PS_MAP_DEFAULT, far, 2 * PAGE, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "too large"));
}

static void
file_denied_checks (const char *path)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *call = g_strdup_printf ("open(\"%s\", O_RDONLY)", path);
  g_autofree char *line = g_strdup_printf ("%s = -1 EACCES (Permission denied)", call);

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, log, &error);
  ps_test_expect_denied (source, error, call);
  ps_assert_log_line (log, line);
}

/* A root-owned 0600 file: nobody may not open it. A root-owned 0644 file:
 * nobody may map it read-only or private-writable, not shared-writable. */
static void
test_errors_permission_file (void)
{
  if (g_test_subprocess ())
    {
      const char *closed = g_getenv ("PS_TEST_CLOSED");
      const char *open_to_read = g_getenv ("PS_TEST_READABLE");
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree char *call = g_strdup_printf ("open(\"%s\", O_RDWR)", open_to_read);

      ps_test_child_become_nobody ();
      file_denied_checks (closed);

      source = ps_source_open_file (open_to_read, PS_MAP_WRITABLE, 0, 0, NULL, &error);
      ps_test_expect_denied (source, error, call);
      g_clear_error (&error);

      source = ps_source_open_file (open_to_read, PS_MAP_PRIVATE | PS_MAP_WRITABLE, 0, 0, NULL, &error);
      g_assert_no_error (error);
      ps_test_write_ok (source, 0, "mine");
      g_assert_cmpmem (ps_source_get_data (source), 4, "mine", 4);
      return;
    }

  {
    g_autofree char *closed = ps_test_file ("perm-closed", PAGE, 'c');
    g_autofree char *readable = ps_test_file ("perm-readable", PAGE, 'r');
    g_autofree char *contents = NULL;

    if (geteuid () != 0)
      {
        /* not root: an object with mode 0 is closed to its owner too */
        g_assert_cmpint (chmod (closed, 0), ==, 0);
        file_denied_checks (closed);
        return;
      }
    g_assert_cmpint (chmod (closed, 0600), ==, 0);
    g_assert_cmpint (chmod (readable, 0644), ==, 0);
    g_setenv ("PS_TEST_CLOSED", closed, TRUE);
    g_setenv ("PS_TEST_READABLE", readable, TRUE);
    ps_test_run_as_nobody ();
    g_unsetenv ("PS_TEST_CLOSED");
    g_unsetenv ("PS_TEST_READABLE");

    /* the private write did not reach the file */
    g_assert_true (g_file_get_contents (readable, &contents, NULL, NULL));
    g_assert_cmpint (contents[0], ==, 'r');
  }
}

int
main (int argc, char **argv)
{
  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);

  g_test_add_func ("/source/geometry/init", test_geometry_init);
  g_test_add_func ("/source/file/shared-readonly", test_file_shared_readonly);
  g_test_add_func ("/source/file/offset-unaligned", test_file_offset_unaligned);
  g_test_add_func ("/source/file/readonly-prot", test_file_readonly_prot);
  g_test_add_func ("/source/file/zones", test_file_zones);
  g_test_add_func ("/source/file/length-default", test_file_length_default);
  g_test_add_func ("/source/file/empty-with-length", test_file_empty_with_length);
  g_test_add_func ("/source/file/offset", test_file_offset);
  g_test_add_func ("/source/file/private-writable", test_file_private_writable);
  g_test_add_func ("/source/file/shared-writable", test_file_shared_writable);
  g_test_add_func ("/source/file/msync", test_file_msync);
  g_test_add_func ("/source/file/msync-flags", test_msync_flags);
  g_test_add_func ("/source/file/restat", test_file_restat);
  g_test_add_func ("/source/file/name-taken", test_file_name_taken);
  g_test_add_func ("/source/file/sigbus-write", test_file_sigbus_write);
  g_test_add_func ("/source/file/partial-write", test_file_partial_write);
  g_test_add_func ("/source/file/write-checks", test_file_write_checks);
  g_test_add_func ("/source/file/write-past-eof", test_file_write_past_eof);
  g_test_add_func ("/source/demo/sweep", test_demo_sweep);
  g_test_add_func ("/source/file/close", test_file_close);
  g_test_add_func ("/source/file/residency", test_file_residency);
  g_test_add_func ("/source/file/describe", test_file_describe);
  g_test_add_func ("/source/file/demo", test_file_demo);
  g_test_add_func ("/source/file/residency-nobody", test_residency_nobody_file);
  g_test_add_func ("/source/errors/missing-file", test_errors_missing_file);
  g_test_add_func ("/source/errors/directory", test_errors_directory);
  g_test_add_func ("/source/errors/fifo", test_errors_fifo);
  g_test_add_func ("/source/errors/device", test_errors_device);
  g_test_add_func ("/source/errors/empty-file", test_errors_empty_file);
  g_test_add_func ("/source/errors/offset-past-eof", test_errors_offset_past_eof);
  g_test_add_func ("/source/errors/empty-path", test_errors_empty_path);
  g_test_add_func ("/source/errors/too-large", test_errors_too_large);
  g_test_add_func ("/source/errors/permission-file", test_errors_permission_file);

  return g_test_run ();
}
