/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scanner's dirty pages (ps-scanner-dirty.c): per page from pagemap and
 * /proc/kpageflags as root, per mapping from smaps otherwise; a write makes
 * a page of a file dirty, msync(MS_SYNC) makes it clean; shared memory stays
 * dirty; looking allocates nothing. */
#include "config.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ps-scanner-private.h"
#include "ps-test-util.h"

/* 8 MiB: a folio is at most 2 MiB (512 pages; one byte written made 512
 * pages dirty here), so the written page's folio is not the whole file */
#define N_PAGES 2048
#define WRITTEN 600

static gsize page;

/* A file on a disk file system, written back, opened writable and shared. */
static PsSource *
open_clean_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = ps_test_disk_file ("dirty", N_PAGES * page, 'c');
  PsSource *source;
  int fd;

  if (path == NULL)
    return NULL;
  fd = open (path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fsync (fd), ==, 0);
  close (fd);
  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, NULL, &error);
  g_assert_no_error (error);
  return source;
}

static PsFrame *
scan (PsScanner *scanner)
{
  /* as a write or an msync through the session does: smaps is read again */
  ps_scanner_wake (scanner);
  return ps_scanner_scan_now (scanner);
}

static void
write_byte (PsSource *source,
            guint64   offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) previous = NULL;
  guint8 b = 'W';

  g_assert_true (ps_source_write (source, offset, &b, 1, &previous, &error));
  g_assert_no_error (error);
}

static void
msync_all (PsSource *source)
{
  g_autoptr(GError) error = NULL;
  PsMsyncReport report;

  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, &report, &error));
  g_assert_no_error (error);
}

static void
test_per_page (void)
{
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(PsFrame) before = NULL;
  g_autoptr(PsFrame) written = NULL;
  g_autoptr(PsFrame) synced = NULL;
  g_autoptr(PsFrame) off = NULL;

  if (geteuid () != 0)
    {
      g_test_skip ("only root may read /proc/kpageflags and frame numbers");
      return;
    }
  source = open_clean_file ();
  if (source == NULL)
    {
      g_test_skip ("no disk file system to write back to");
      return;
    }
  scanner = ps_scanner_new (source);

  /* off: nothing asked */
  before = scan (scanner);
  g_assert_cmpint (before->dirty_source, ==, PS_DIRTY_UNKNOWN);
  g_clear_pointer (&before, ps_frame_unref);

  ps_scanner_set_dirty_pages (scanner, TRUE);
  before = scan (scanner);
  g_assert_cmpint (before->dirty_source, ==, PS_DIRTY_PER_PAGE);
  g_assert_cmpuint (before->n_dirty, ==, 0);

  write_byte (source, WRITTEN * page + 17);
  written = scan (scanner);
  g_assert_cmpint (written->dirty_source, ==, PS_DIRTY_PER_PAGE);
  g_assert_true (ps_frame_page (written, WRITTEN)->state & PS_PAGE_DIRTY);
  /* the written page's folio, not the file */
  g_assert_cmpuint (written->n_dirty, >=, 1);
  g_assert_cmpuint (written->n_dirty, <=, 512);
  g_assert_false (ps_frame_page (written, 0)->state & PS_PAGE_DIRTY);
  g_assert_false (ps_frame_page (written, N_PAGES - 1)->state & PS_PAGE_DIRTY);
  /* the block summaries follow (runs of pages draw from them) */
  g_assert_cmpuint (ps_frame_block (written, WRITTEN / PS_FRAME_BLOCK_PAGES)->n_dirty, >=, 1);

  msync_all (source);
  synced = scan (scanner);
  g_assert_cmpint (synced->dirty_source, ==, PS_DIRTY_PER_PAGE);
  g_assert_false (ps_frame_page (synced, WRITTEN)->state & PS_PAGE_DIRTY);
  g_assert_cmpuint (synced->n_dirty, ==, 0);
  g_assert_cmpuint (ps_frame_block (synced, WRITTEN / PS_FRAME_BLOCK_PAGES)->n_dirty, ==, 0);

  /* switched off: the bits go, the frame says it does not know */
  write_byte (source, WRITTEN * page);
  ps_scanner_set_dirty_pages (scanner, FALSE);
  off = scan (scanner);
  g_assert_cmpint (off->dirty_source, ==, PS_DIRTY_UNKNOWN);
  g_assert_cmpuint (off->n_dirty, ==, 0);
  g_assert_false (ps_frame_page (off, WRITTEN)->state & PS_PAGE_DIRTY);
  msync_all (source);
}

static void
test_per_mapping (void)
{
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(PsFrame) written = NULL;
  g_autoptr(PsFrame) synced = NULL;

  source = open_clean_file ();
  if (source == NULL)
    {
      g_test_skip ("no disk file system to write back to");
      return;
    }
  scanner = ps_scanner_new (source);
  ps_scanner_set_dirty_per_mapping_only (scanner, TRUE);
  ps_scanner_set_dirty_pages (scanner, TRUE);

  write_byte (source, WRITTEN * page + 1);
  written = scan (scanner);
  g_assert_cmpint (written->dirty_source, ==, PS_DIRTY_PER_MAPPING);
  g_assert_cmpint (written->shared_dirty + written->private_dirty, >, 0);
  /* the mapping's verdict on every page of it in memory */
  g_assert_true (ps_frame_page (written, WRITTEN)->state & PS_PAGE_DIRTY);
  g_assert_cmpuint (written->n_dirty, ==, written->n_resident);

  msync_all (source);
  synced = scan (scanner);
  g_assert_cmpint (synced->dirty_source, ==, PS_DIRTY_PER_MAPPING);
  g_assert_cmpint (synced->shared_dirty + synced->private_dirty, ==, 0);
  g_assert_cmpuint (synced->n_dirty, ==, 0);
  g_assert_false (ps_frame_page (synced, WRITTEN)->state & PS_PAGE_DIRTY);
}

/* tmpfs has nothing to write back to: msync leaves a POSIX segment's pages
 * dirty. Looking at a sparse segment's dirty pages allocates nothing. */
static void
test_shmem_stays_dirty (void)
{
  g_autofree char *name = ps_test_posix_name ("dirty");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(PsFrame) written = NULL;
  g_autoptr(PsFrame) synced = NULL;
  guint64 allocated;
  int fd;

  if (geteuid () != 0)
    {
      g_test_skip ("only root may read /proc/kpageflags and frame numbers");
      return;
    }
  source = ps_test_create_posix (name, 256 * page, 0600, NULL);
  scanner = ps_scanner_new (source);
  ps_scanner_set_dirty_pages (scanner, TRUE);
  write_byte (source, 10 * page);
  fd = ps_source_get_fd (source);
  allocated = ps_test_allocated (fd);

  written = scan (scanner);
  g_assert_cmpint (written->dirty_source, ==, PS_DIRTY_PER_PAGE);
  g_assert_true (ps_frame_page (written, 10)->state & PS_PAGE_DIRTY);
  g_assert_cmpuint (written->n_dirty, ==, 1);
  msync_all (source);
  synced = scan (scanner);
  g_assert_true (ps_frame_page (synced, 10)->state & PS_PAGE_DIRTY);
  g_assert_cmpuint (synced->n_dirty, ==, 1);
  g_assert_cmpuint (ps_test_allocated (fd), ==, allocated);
}

int
main (int argc, char **argv)
{
  ps_test_init (&argc, &argv);
  page = ps_test_page_size ();
  g_test_add_func ("/dirty-pages/per-page", test_per_page);
  g_test_add_func ("/dirty-pages/per-mapping", test_per_mapping);
  g_test_add_func ("/dirty-pages/shmem-stays-dirty", test_shmem_stays_dirty);
  return g_test_run ();
}
