/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "The file on disk": a file read with pread, never mapped (file:PATH?pread,
 * --pread). Its bytes are what the page cache holds, so a store through a
 * MAP_SHARED mapping shows at once, before any msync, and a MAP_PRIVATE
 * store never does; a hole (SEEK_HOLE) is never read; it refuses what acts
 * on a mapping. */
#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ps-frame.h"
#include "ps-scanner.h"
#include "ps-test-util.h"

static gsize PAGE;

static PsSource *
open_pread (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_auto(PsSourceSpec) spec = { 0 };
  PsSource *source;

  g_assert_true (ps_source_spec_parse (path, &spec, &error));
  g_assert_no_error (error);
  source = ps_source_open (&spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (source);
  return source;
}

static char *
pread_spec (const char *path)
{
  return g_strdup_printf ("file:%s?pread", path);
}

/* Pages of [addr, addr + n pages) present in this process (pagemap bit 63). */
static guint
present_pages (const guint8 *addr,
               guint         n)
{
  int fd = open ("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  guint64 entry;
  guint present = 0;

  g_assert_cmpint (fd, >=, 0);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (pread (fd, &entry, sizeof entry, ((guintptr) addr / PAGE + i) * sizeof entry), ==, sizeof entry);
      present += (entry >> 63) & 1;
    }
  close (fd);
  return present;
}

static void
spec_clear_free (PsSourceSpec *spec)
{
  ps_source_spec_clear (spec);
  g_free (spec);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSourceSpec, spec_clear_free)

/* The file's bytes; a spec that names it reopens it. */
static void
test_reads_file (void)
{
  g_autofree char *path = ps_test_pattern_file ("pread", 3);
  g_autofree char *text = pread_spec (path);
  g_autoptr(PsSource) source = open_pread (text);
  g_autofree char *label = ps_source_dup_viewer_label (source);
  g_autoptr(PsSourceSpec) spec = NULL;
  g_autofree char *again = NULL;
  guint8 bytes[4];
  guint8 valid[1];

  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_FILE);
  g_assert_true (ps_source_is_pread (source));
  g_assert_false (ps_source_is_writable (source));
  g_assert_false (ps_source_is_private (source));
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_SEEK_DATA);
  g_assert_cmpuint (ps_source_get_geometry (source)->n_pages, ==, 3);
  g_assert_cmpstr (label, ==, "file on disk (pread)");
  for (guint p = 0; p < 3; p++)
    {
      g_assert_true (ps_source_peek (source, p * PAGE + 100, bytes, 4, valid));
      g_assert_true (valid[0]);
      g_assert_cmpint (bytes[0], ==, 'A' + p);
      g_assert_cmpint (bytes[3], ==, 'A' + p);
    }
  spec = ps_source_dup_spec (source);
  again = ps_source_spec_to_string (spec);
  g_assert_cmpstr (again, ==, text);
}

/* A store through a MAP_SHARED mapping is in the page cache, which pread
 * reads: it shows before any msync. A MAP_PRIVATE store is that mapping's
 * own copy and never shows. */
static void
test_shared_store_without_msync (void)
{
  g_autofree char *path = ps_test_file ("pread-shared", 2 * PAGE, 'c');
  g_autofree char *text = pread_spec (path);
  g_autoptr(PsSource) source = open_pread (text);
  int fd = open (path, O_RDWR | O_CLOEXEC);
  guint8 *shared, *private;
  guint8 bytes[9];

  g_assert_cmpint (fd, >=, 0);
  shared = mmap (NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  private = mmap (NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  g_assert_true (shared != MAP_FAILED && private != MAP_FAILED);

  memcpy (private + 20, "PRIVATE!!", 9);
  g_assert_true (ps_source_peek (source, 20, bytes, 9, NULL));
  g_assert_cmpmem (bytes, 9, "ccccccccc", 9);

  memcpy (shared + PAGE + 20, "000000016", 9);   /* no msync */
  g_assert_true (ps_source_peek (source, PAGE + 20, bytes, 9, NULL));
  g_assert_cmpmem (bytes, 9, "000000016", 9);
  /* the private copy still has the file's bytes on the page it did not write */
  g_assert_cmpmem (private + PAGE + 20, 9, "000000016", 9);

  munmap (shared, 2 * PAGE);
  munmap (private, 2 * PAGE);
  close (fd);
}

/* A sparse file: only the page with data is read. The mirror's pages that
 * pread wrote are the only ones present in this process, after a scan and a
 * peek of the whole range. */
static void
test_holes_never_read (void)
{
  g_autofree char *path = ps_test_file ("pread-sparse", 0, 0);
  g_autofree char *text = pread_spec (path);
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(PsFrame) frame = NULL;
  g_autofree guint8 *all = NULL;
  g_autofree guint8 *valid = NULL;
  int fd = open (path, O_RDWR | O_CLOEXEC);
  const guint n = 64;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, n * PAGE), ==, 0);
  g_assert_cmpint (pwrite (fd, "data", 4, 5 * PAGE + 8), ==, 4);
  source = open_pread (text);

  scanner = ps_scanner_new (source);
  frame = ps_scanner_scan_now (scanner);
  all = g_malloc (n * PAGE);
  valid = g_malloc (n);
  g_assert_true (ps_source_peek (source, 0, all, n * PAGE, valid));
  g_assert_cmpmem (all + 5 * PAGE + 8, 4, "data", 4);
  for (guint p = 0; p < n; p++)
    {
      g_assert_cmpint (valid[p], ==, p == 5);
      g_assert_cmpint (ps_frame_page_state (frame, p), ==, p == 5 ? PS_PAGE_RESIDENT : PS_PAGE_ABSENT);
    }
  g_assert_cmpuint (present_pages (ps_source_get_data (source), n), ==, 1);

  /* the hole comes back (FALLOC_FL_PUNCH_HOLE where the file system can) */
  if (fallocate (fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 5 * PAGE, PAGE) == 0)
    {
      ps_source_refresh (source, 0, n);
      g_assert_cmpuint (present_pages (ps_source_get_data (source), n), ==, 0);
      g_assert_true (ps_source_peek (source, 5 * PAGE + 8, all, 4, valid));
      g_assert_false (valid[0]);
    }
  close (fd);
}

/* The tail of the last page past EOF reads as zeros; the file growing or
 * shrinking shows at the next refresh. */
static void
test_eof (void)
{
  g_autofree char *path = ps_test_file ("pread-eof", 100, 'x');
  g_autofree char *text = pread_spec (path);
  g_autoptr(PsSource) source = open_pread (text);
  guint8 bytes[8];
  int fd = open (path, O_RDWR | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpuint (ps_source_get_geometry (source)->object_size, ==, 100);
  g_assert_true (ps_source_peek (source, 96, bytes, 8, NULL));
  g_assert_cmpmem (bytes, 8, "xxxx\0\0\0\0", 8);
  g_assert_cmpint (ftruncate (fd, 98), ==, 0);
  g_assert_true (ps_source_peek (source, 96, bytes, 8, NULL));
  g_assert_cmpmem (bytes, 8, "xx\0\0\0\0\0\0", 8);
  close (fd);
}

/* It can only be watched; the spec rules say what goes with pread. */
static void
test_refused (void)
{
  g_autofree char *path = ps_test_file ("pread-refused", PAGE, 'c');
  g_autofree char *text = pread_spec (path);
  g_autoptr(PsSource) source = open_pread (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *private_text = g_strdup_printf ("file:%s?pread&private", path);
  g_autofree char *offset_text = g_strdup_printf ("file:%s?pread&length=8192", path);
  g_auto(PsSourceSpec) spec = { 0 };
  PsMsyncReport report;
  gint64 shared_dirty, private_dirty;
  guint64 entries[1];

  g_assert_false (ps_source_write (source, 0, (const guint8 *) "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  ps_assert_contains (error->message, "pread");
  g_clear_error (&error);
  g_assert_false (ps_source_msync (source, 0, 0, MS_SYNC, &report, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (ps_source_read_dirty (source, &shared_dirty, &private_dirty));
  g_assert_false (ps_source_read_pagemap (source, 0, 1, entries));

  g_assert_false (ps_source_spec_parse (private_text, &spec, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  ps_assert_contains (error->message, "private does not apply to pread");
  g_clear_error (&error);
  g_assert_false (ps_source_spec_parse ("anon:4096?pread", &spec, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ps_source_spec_parse ("posix:/x?pread", &spec, &error));
  g_clear_error (&error);

  /* a length past EOF: pages wholly past it, never read */
  g_assert_true (ps_source_spec_parse (offset_text, &spec, &error));
  g_assert_no_error (error);
  {
    g_autoptr(PsSource) longer = ps_source_open (&spec, NULL, &error);
    guint8 valid[2];
    g_autofree guint8 *bytes = g_malloc (2 * PAGE);

    g_assert_no_error (error);
    g_assert_cmpuint (ps_source_get_geometry (longer)->n_inside, ==, 1);
    g_assert_true (ps_source_peek (longer, 0, bytes, 2 * PAGE, valid));
    g_assert_true (valid[0]);
    g_assert_false (valid[1]);
  }
}

/* Who looks and how, for a pane's label. */
static void
test_viewer_labels (void)
{
  g_autofree char *path = ps_test_file ("pread-label", PAGE, 'c');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) shared = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_autoptr(PsSource) private = ps_source_open_file (path, PS_MAP_PRIVATE, 0, 0, NULL, &error);
  g_autofree char *a = ps_source_dup_viewer_label (shared);
  g_autofree char *b = ps_source_dup_viewer_label (private);

  g_assert_cmpstr (a, ==, "this process, MAP_SHARED");
  g_assert_cmpstr (b, ==, "this process, MAP_PRIVATE");
}

int
main (int    argc,
      char **argv)
{
  ps_test_init (&argc, &argv);
  PAGE = ps_test_page_size ();

  g_test_add_func ("/source/pread/reads-file", test_reads_file);
  g_test_add_func ("/source/pread/shared-store-without-msync", test_shared_store_without_msync);
  g_test_add_func ("/source/pread/holes-never-read", test_holes_never_read);
  g_test_add_func ("/source/pread/eof", test_eof);
  g_test_add_func ("/source/pread/refused", test_refused);
  g_test_add_func ("/source/pread/viewer-labels", test_viewer_labels);
  return g_test_run ();
}
