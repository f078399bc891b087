/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsSource on POSIX segments: created, opened by every spelling of a name,
 * names that are not UTF-8, too long or invalid, unlinked while mapped,
 * sparse, and as another user.
 * Every test makes its own objects through ps-test-util, which queues each
 * for removal as soon as it exists (g_test_queue_destroy, and on abort), so
 * a test that fails or returns early leaves nothing behind. Children are
 * forked and reaped with a deadline (ps_test_fork, ps_test_reap);
 * permission cases run as user nobody in g_test_trap_subprocess children. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-source-test-util.h"

static gsize PAGE;

static void
test_posix_create (void)
{
  g_autofree char *name = ps_test_posix_name ("create");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = ps_test_create_posix (name, 3 * PAGE + 10, 0, log);
  g_autofree char *line = NULL;
  g_autofree char *dev_path = g_strdup_printf ("/dev/shm%s", name);
  const PsGeometry *g;
  struct stat st;
  int fd = ps_source_get_fd (source);

  line = g_strdup_printf ("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0600) = %d", name, fd);
  ps_assert_log_line (log, line);
  g_free (line);
  line = g_strdup_printf ("ftruncate(%d, %zu) = 0", fd, 3 * PAGE + 10);
  ps_assert_log_line (log, line);

  g_assert_cmpint (fstat (fd, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 3 * PAGE + 10);
  g_assert_cmpint (st.st_uid, ==, geteuid ());
  g_assert_cmpuint (ps_test_allocated (fd), ==, 0);

  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_POSIX);
  g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
  g_assert_true (ps_source_is_writable (source));
  g_assert_true (ps_source_is_shmem (source));
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 3 * PAGE + 10);
  g_assert_cmpuint (g->length, ==, 3 * PAGE + 10);
  g_assert_cmpuint (g->n_pages, ==, 4);
  g_assert_cmpuint (g->n_inside, ==, 4);
  ps_assert_perms (ps_source_get_data (source), "rw-s");
  ps_test_write_ok (source, 3 * PAGE + 9, "!");
  g_assert_true (g_file_test (dev_path, G_FILE_TEST_IS_REGULAR));
}

/* A name with bytes that are not UTF-8 and a newline: every text made of it
 * (the title, the details, the log, an error) is printable UTF-8 and shows
 * the bytes escaped; the segment itself is the one with the raw name. */
static void
test_posix_name_bytes (void)
{
  g_autofree char *base = ps_test_posix_name ("bytes");
  g_autofree char *name = g_strconcat (base, "-\xff\n", NULL);
  g_autofree char *missing = g_strconcat (base, "-missing-\xfe", NULL);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = ps_test_create_posix (name, PAGE, 0, log);
  g_autoptr(GPtrArray) fields = ps_source_describe (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PsSource) none = NULL;

  g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
  g_assert_true (g_utf8_validate (ps_source_get_display_name (source), -1, NULL));
  ps_assert_contains (ps_source_get_display_name (source), "-\\xff\\n");
  for (guint i = 0; i < fields->len; i++)
    g_assert_true (g_utf8_validate (((PsField *) g_ptr_array_index (fields, i))->value, -1, NULL));

  none = ps_source_open_posix (missing, 0, 0, 0, log, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  ps_assert_contains (error->message, "-missing-\\xfe");

  text = ps_event_log_to_text (log);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  ps_assert_contains (text, "-\\xff\\n");
}

static void
test_posix_create_mode (void)
{
  g_autofree char *name = ps_test_posix_name ("mode");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = ps_test_create_posix (name, PAGE, 0640, log);
  g_autofree char *line = g_strdup_printf ("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0640) = %d",
                                           name, ps_source_get_fd (source));
  struct stat st;

  g_assert_cmpint (fstat (ps_source_get_fd (source), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  ps_assert_log_line (log, line);
}

/* "/a", "a" and "//a" are the same segment. */
static void
test_posix_names (void)
{
  g_autofree char *name = ps_test_posix_name ("names");
  g_autofree char *doubled = g_strconcat ("/", name, NULL);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = ps_test_create_posix (name, 2 * PAGE, 0, NULL);
  const char *forms[] = { name, name + 1, doubled };
  struct stat created;

  ps_test_write_ok (creator, PAGE, "same");
  g_assert_cmpint (fstat (ps_source_get_fd (creator), &created), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(PsSource) source = ps_source_open_posix (forms[i], PS_MAP_DEFAULT, 0, 0, log, &error);
      g_autofree char *line = NULL;
      struct stat st;

      g_assert_no_error (error);
      g_assert_cmpstr (ps_source_get_posix_name (source), ==, name);
      g_assert_cmpint (fstat (ps_source_get_fd (source), &st), ==, 0);
      g_assert_cmpuint (st.st_ino, ==, created.st_ino);
      g_assert_cmpuint (st.st_dev, ==, created.st_dev);
      g_assert_cmpmem (ps_source_get_data (source) + PAGE, 4, "same", 4);
      g_assert_false (ps_source_is_writable (source));
      ps_assert_perms (ps_source_get_data (source), "r--s");
      line = g_strdup_printf ("shm_open(\"%s\", O_RDONLY) = %d", name, ps_source_get_fd (source));
      ps_assert_log_line (log, line);
    }
}

static void
test_posix_long_name (void)
{
  g_autofree char *base = ps_test_posix_name ("long");
  GString *name = g_string_new (base);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *prefix = g_strdup_printf ("pagescope-test-%d-long", (int) getpid ());

  while (name->len < 256)      /* '/' and 255 bytes */
    g_string_append_c (name, 'x');
  ps_test_queue_shm_unlink (name->str);
  source = ps_source_create_posix (name->str, PAGE, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ps_source_remove (source, &error));
  g_assert_no_error (error);
  g_clear_object (&source);

  g_string_append_c (name, 'x');
  too_long = g_string_free (name, FALSE);
  source = ps_source_create_posix (too_long, PAGE, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG);
  g_clear_error (&error);
  source = ps_source_open_posix (too_long, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG);
  g_assert_cmpuint (ps_test_dev_shm_count (prefix), ==, 0);
}

static void
test_posix_invalid_names (void)
{
  static const char *const names[] = { "", "/", "//", "/d/e", "f/", "/.", "/..", ".", ".." };
  g_autofree char *prefix = g_strdup_printf ("pagescope-test-%d-", (int) getpid ());
  gsize before = ps_test_dev_shm_count (prefix);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree char *start = g_strdup_printf ("shm_open(\"%s\")", names[i]);

      source = ps_source_open_posix (names[i], PS_MAP_DEFAULT, 0, 0, log, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, start));
      g_assert_nonnull (strstr (error->message, "Invalid argument"));
      ps_assert_log (log, start, "Invalid argument");
      g_clear_error (&error);

      source = ps_source_create_posix (names[i], PAGE, 0, log, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
  g_assert_cmpuint (ps_test_dev_shm_count (prefix), ==, before);
}

static void
test_posix_exists (void)
{
  g_autofree char *name = ps_test_posix_name ("exists");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) first = ps_test_create_posix (name, 2 * PAGE, 0, NULL);
  g_autoptr(PsSource) second = NULL;
  g_autofree char *call = g_strdup_printf ("shm_open(\"%s\", O_RDWR|O_CREAT|O_EXCL, 0600)", name);
  g_autofree char *line = g_strdup_printf ("%s = -1 EEXIST (File exists)", call);
  struct stat st;

  ps_test_write_ok (first, 0, "first");
  second = ps_source_create_posix (name, PAGE, 0, log, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (g_str_has_prefix (error->message, call));
  g_assert_nonnull (strstr (error->message, "File exists"));
  ps_assert_log_line (log, line);

  /* the first is untouched: not truncated, not unlinked */
  g_assert_cmpint (fstat (ps_source_get_fd (first), &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 2 * PAGE);
  g_assert_cmpint (st.st_nlink, ==, 1);
  g_assert_cmpmem (ps_source_get_data (first), 5, "first", 5);
}

static void
test_posix_missing (void)
{
  g_autofree char *name = ps_test_posix_name ("missing");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *call = g_strdup_printf ("shm_open(\"%s\", O_RDONLY)", name);
  g_autofree char *line = g_strdup_printf ("%s = -1 ENOENT (No such file or directory)", call);

  source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, call));
  g_assert_nonnull (strstr (error->message, "No such file or directory"));
  ps_assert_log_line (log, line);
}

static void
test_posix_bad_create (void)
{
  g_autofree char *name = ps_test_posix_name ("bad-create");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  ps_test_queue_shm_unlink (name);
  source = ps_source_create_posix (name, 0, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "size must not be zero"));
  g_clear_error (&error);
  g_assert_cmpint (shm_open (name, O_RDONLY, 0), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);

  source = ps_source_create_posix (name, PAGE, 01666, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "permission bits"));
  g_clear_error (&error);
  g_assert_cmpint (shm_open (name, O_RDONLY, 0), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);

  /* 2^62 bytes: shm_open and ftruncate succeed (tmpfs is sparse), then no
   * address space is that large; the new segment is unlinked again */
  {
    g_autoptr(PsEventLog) log = ps_event_log_new ();
    g_autofree char *unlink_line = g_strdup_printf ("shm_unlink(\"%s\") = 0", name);

    source = ps_source_create_posix (name, G_GUINT64_CONSTANT (1) << 62, 0, log, &error);
    g_assert_null (source);
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "mmap("));
    ps_assert_log_line (log, unlink_line);
    g_assert_cmpint (shm_open (name, O_RDONLY, 0), ==, -1);
    g_assert_cmpint (errno, ==, ENOENT);
  }
}

static void
test_posix_unlink (void)
{
  g_autofree char *name = ps_test_posix_name ("unlink");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_test_create_posix (name, PAGE, 0, log);
  g_autoptr(PsSource) again = NULL;
  g_autofree char *line = g_strdup_printf ("shm_unlink(\"%s\") = 0", name);
  gboolean removed = TRUE;

  ps_test_write_ok (source, 0, "kept");
  g_assert_true (ps_source_restat (source, NULL, &removed, &error));
  g_assert_false (removed);
  g_assert_false (ps_source_name_taken (source));

  g_assert_true (ps_source_remove (source, &error));
  g_assert_no_error (error);
  ps_assert_log_line (log, line);
  g_assert_true (ps_source_restat (source, NULL, &removed, &error));
  g_assert_true (removed);

  /* the mapping outlives the name */
  g_assert_cmpmem (ps_source_get_data (source), 4, "kept", 4);
  again = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (ps_source_name_taken (source));

  /* a second unlink fails and says so */
  g_assert_false (ps_source_remove (source, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a new segment of the name: the name is taken by another */
  {
    g_autoptr(PsSource) fresh = ps_test_create_posix (name, PAGE, 0, NULL);

    g_assert_true (ps_source_name_taken (source));
    g_assert_false (ps_source_name_taken (fresh));
  }
}

static void
test_posix_private_writable (void)
{
  g_autofree char *name = ps_test_posix_name ("private");
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = ps_test_create_posix (name, 2 * PAGE, 0, NULL);
  g_autoptr(PsSource) source = NULL;
  g_autoptr(GBytes) previous = NULL;
  g_autofree char *line = NULL;
  char buf[8] = { 0 };

  ps_test_write_ok (creator, 0, "origin");
  source = ps_source_open_posix (name + 1, PS_MAP_PRIVATE | PS_MAP_WRITABLE, 0, 0, log, &error);
  g_assert_no_error (error);
  line = g_strdup_printf ("shm_open(\"%s\", O_RDONLY) = %d", name, ps_source_get_fd (source));
  ps_assert_log_line (log, line);
  ps_assert_perms (ps_source_get_data (source), "rw-p");

  g_assert_true (ps_source_write (source, 0, (const guint8 *) "copied", 6, &previous, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (previous, NULL), g_bytes_get_size (previous), "origin", 6);
  g_assert_cmpmem (ps_source_get_data (source), 6, "copied", 6);
  g_assert_cmpmem (ps_source_get_data (creator), 6, "origin", 6);
  g_assert_cmpint (pread (ps_source_get_fd (creator), buf, 6, 0), ==, 6);
  g_assert_cmpstr (buf, ==, "origin");
}

static void
test_posix_offset (void)
{
  g_autofree char *name = ps_test_posix_name ("offset");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = ps_test_create_posix (name, 4 * PAGE, 0, NULL);
  g_autoptr(PsSource) source = NULL;
  g_autofree guint8 *buf = g_malloc (3 * PAGE);
  const PsGeometry *g;

  for (guint i = 0; i < 4; i++)
    {
      char text[2] = { (char) ('A' + i), 0 };
      ps_test_write_ok (creator, i * PAGE, text);
    }

  source = ps_source_open_posix (name, PS_MAP_DEFAULT, 2 * PAGE, 3 * PAGE, NULL, &error);
  g_assert_no_error (error);
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 4 * PAGE);
  g_assert_cmpuint (g->offset, ==, 2 * PAGE);
  g_assert_cmpuint (g->length, ==, 3 * PAGE);
  g_assert_cmpuint (g->n_inside, ==, 2);
  g_assert_cmpint (ps_geometry_zone (g, 2), ==, PS_ZONE_PAST_EOF);
  g_assert_cmpint (ps_source_get_data (source)[0], ==, 'C');
  g_assert_cmpint (ps_source_get_data (source)[PAGE], ==, 'D');
  for (guint round = 0; round < 20; round++)   /* mincore and SEEK_DATA both take turns */
    {
      ps_assert_residency (source, 0, 3, "110");
      ps_assert_residency (source, 1, 2, "10");
      ps_assert_peek_valid (source, 0, buf, 3 * PAGE, "110");
    }
  ps_assert_probe (ps_source_get_data (source) + 2 * PAGE, FALSE, "SIGBUS");

  g_clear_object (&source);
  source = ps_source_open_posix (name, PS_MAP_DEFAULT, 100, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "page size"));
}

static void
test_posix_restat (void)
{
  g_autofree char *name = ps_test_posix_name ("restat");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_test_create_posix (name, 2 * PAGE, 0, NULL);
  PsGeometry now;
  gboolean removed = TRUE;

  ps_test_resize_elsewhere (NULL, name, 6 * PAGE);
  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_no_error (error);
  g_assert_false (removed);
  g_assert_cmpuint (now.object_size, ==, 6 * PAGE);
  g_assert_cmpuint (now.n_inside, ==, 2);

  ps_test_resize_elsewhere (NULL, name, PAGE / 2);
  g_assert_true (ps_source_restat (source, &now, &removed, &error));
  g_assert_cmpuint (now.object_size, ==, PAGE / 2);
  g_assert_cmpuint (now.n_inside, ==, 1);
  g_assert_false (ps_source_write (source, PAGE, (const guint8 *) "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "SIGBUS"));
}

/* Peeking never reads a hole of a sparse segment: st_blocks stays. */
static void
test_posix_peek_sparse (void)
{
  g_autofree char *name = ps_test_posix_name ("sparse");
  g_autoptr(PsSource) source = ps_test_create_posix (name, 64 * PAGE, 0, NULL);
  g_autofree guint8 *buf = g_malloc (64 * PAGE);
  int fd = ps_source_get_fd (source);
  GString *expected = g_string_new (NULL);
  g_autofree char *want = NULL;
  guint64 allocated;

  g_assert_cmpuint (ps_test_allocated (fd), ==, 0);
  ps_test_write_ok (source, 3 * PAGE + 10, "three");
  ps_test_write_ok (source, 40 * PAGE, "forty");
  allocated = ps_test_allocated (fd);
  g_assert_cmpuint (allocated, >=, 2 * PAGE);
  g_assert_cmpuint (allocated, <, 64 * PAGE);

  for (guint i = 0; i < 64; i++)
    g_string_append_c (expected, i == 3 || i == 40 ? '1' : '0');
  want = g_string_free (expected, FALSE);

  /* many times, so both ways of asking (mincore, SEEK_DATA) take a turn */
  for (guint round = 0; round < 40; round++)
    {
      memset (buf, 0xee, 64 * PAGE);
      ps_assert_peek_valid (source, 0, buf, 64 * PAGE, want);
      g_assert_cmpmem (buf + 3 * PAGE + 10, 5, "three", 5);
      g_assert_cmpmem (buf + 40 * PAGE, 5, "forty", 5);
      g_assert_cmpint (buf[0], ==, 0);
      g_assert_cmpint (buf[63 * PAGE], ==, 0);
    }
  /* a range across holes and data */
  ps_assert_peek_valid (source, 2 * PAGE + 100, buf, 2 * PAGE, "010");
  g_assert_cmpmem (buf + PAGE - 100 + 10, 5, "three", 5);
  g_assert_cmpuint (ps_test_allocated (fd), ==, allocated);
}

static void
test_posix_residency (void)
{
  g_autofree char *name = ps_test_posix_name ("residency");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_test_create_posix (name, 32 * PAGE, 0, NULL);
  g_autoptr(PsSource) reader = NULL;
  const char *expected = "10000001100000000000000000000001";

  ps_test_write_ok (source, 0, "0");
  ps_test_write_ok (source, 7 * PAGE, "7");
  ps_test_write_ok (source, 8 * PAGE, "8");
  g_assert_cmpint (pwrite (ps_source_get_fd (source), "31", 2, 31 * PAGE), ==, 2);

  reader = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_residency (reader), ==, PS_RESIDENCY_MINCORE);
  for (guint round = 0; round < 40; round++)
    {
      ps_assert_residency (source, 0, 32, expected);
      ps_assert_residency (reader, 0, 32, expected);
      ps_assert_residency (reader, 7, 2, "11");
      ps_assert_residency (reader, 9, 22, "0000000000000000000000");
      ps_assert_residency (reader, 30, 2, "01");
    }
}

/* A root-owned 0644 POSIX segment, as nobody: mincore would say "all
 * resident", so SEEK_DATA answers, exactly, and peeking allocates nothing. */
static void
test_residency_nobody_posix (void)
{
  const char *expected = "0010011000000000";

  if (g_test_subprocess ())
    {
      const char *name = g_getenv ("PS_TEST_NAME");
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autoptr(PsSource) writable = NULL;
      g_autofree guint8 *buf = g_malloc (16 * PAGE);
      guint64 allocated;

      ps_test_child_become_nobody ();
      source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_SEEK_DATA);
      g_assert_true (ps_source_is_shmem (source));
      ps_assert_residency (source, 0, 16, expected);
      ps_assert_residency (source, 4, 4, "0110");
      ps_assert_residency (source, 7, 9, "000000000");

      allocated = ps_test_allocated (ps_source_get_fd (source));
      g_assert_cmpuint (allocated, >=, 3 * PAGE);
      g_assert_cmpuint (allocated, <, 16 * PAGE);
      ps_assert_peek_valid (source, 0, buf, 16 * PAGE, expected);
      g_assert_cmpmem (buf + 2 * PAGE, 3, "two", 3);
      g_assert_cmpmem (buf + 5 * PAGE, 4, "five", 4);
      g_assert_cmpmem (buf + 6 * PAGE + 1, 3, "six", 3);
      g_assert_cmpuint (ps_test_allocated (ps_source_get_fd (source)), ==, allocated);

      writable = ps_source_open_posix (name, PS_MAP_WRITABLE, 0, 0, NULL, &error);
      g_assert_null (writable);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      return;
    }

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to run as another user; mincore is trusted for our own segments");
      return;
    }

  {
    g_autofree char *name = ps_test_posix_name ("nobody-posix");
    g_autoptr(PsSource) creator = ps_test_create_posix (name, 16 * PAGE, 0644, NULL);

    g_assert_cmpint (fchmod (ps_source_get_fd (creator), 0644), ==, 0);
    ps_test_write_ok (creator, 2 * PAGE, "two");
    ps_test_write_ok (creator, 5 * PAGE, "five");
    ps_test_write_ok (creator, 6 * PAGE + 1, "six");
    ps_assert_residency (creator, 0, 16, expected);
    g_setenv ("PS_TEST_NAME", name, TRUE);
    ps_test_run_as_nobody ();
    g_unsetenv ("PS_TEST_NAME");
  }
}

static void
test_errors_permission_posix (void)
{
  if (g_test_subprocess ())
    {
      const char *name = g_getenv ("PS_TEST_NAME");
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree char *call = g_strdup_printf ("shm_open(\"%s\", O_RDONLY)", name);

      ps_test_child_become_nobody ();
      source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, log, &error);
      ps_test_expect_denied (source, error, call);
      ps_assert_log (log, call, " = -1 EACCES (Permission denied)");
      return;
    }

  {
    g_autofree char *name = ps_test_posix_name ("perm");
    g_autoptr(PsSource) creator = ps_test_create_posix (name, PAGE, 0600, NULL);

    if (geteuid () != 0)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PsSource) source = NULL;
        g_autofree char *call = g_strdup_printf ("shm_open(\"%s\", O_RDONLY)", name);

        g_assert_cmpint (fchmod (ps_source_get_fd (creator), 0), ==, 0);
        source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
        ps_test_expect_denied (source, error, call);
        return;
      }
    g_setenv ("PS_TEST_NAME", name, TRUE);
    ps_test_run_as_nobody ();
    g_unsetenv ("PS_TEST_NAME");
  }
}

int
main (int argc, char **argv)
{
  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);

  g_test_add_func ("/source/posix/create", test_posix_create);
  g_test_add_func ("/source/posix/name-bytes", test_posix_name_bytes);
  g_test_add_func ("/source/posix/create-mode", test_posix_create_mode);
  g_test_add_func ("/source/posix/names", test_posix_names);
  g_test_add_func ("/source/posix/long-name", test_posix_long_name);
  g_test_add_func ("/source/posix/invalid-names", test_posix_invalid_names);
  g_test_add_func ("/source/posix/exists", test_posix_exists);
  g_test_add_func ("/source/posix/missing", test_posix_missing);
  g_test_add_func ("/source/posix/bad-create", test_posix_bad_create);
  g_test_add_func ("/source/posix/unlink", test_posix_unlink);
  g_test_add_func ("/source/posix/private-writable", test_posix_private_writable);
  g_test_add_func ("/source/posix/offset", test_posix_offset);
  g_test_add_func ("/source/posix/restat", test_posix_restat);
  g_test_add_func ("/source/posix/peek-sparse", test_posix_peek_sparse);
  g_test_add_func ("/source/posix/residency", test_posix_residency);
  g_test_add_func ("/source/posix/residency-nobody", test_residency_nobody_posix);
  g_test_add_func ("/source/errors/permission-posix", test_errors_permission_posix);

  return g_test_run ();
}
