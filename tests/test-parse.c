/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-action-args.h"
#include "ps-scanner.h"
#include "ps-parse.h"
#include "ps-test-util.h"

static void
assert_size (const char *text,
             guint64     expected)
{
  g_autoptr(GError) error = NULL;
  guint64 value = 0;

  g_test_message ("size \"%s\"", text);
  g_assert_true (ps_parse_size (text, "size", &value, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (value, ==, expected);
}

/* Fails with INVALID_ARGUMENT, names the value and says why, and leaves *out alone. */
static void
assert_size_fails (const char *text,
                   const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("size \"%s\": %s", text, reason);
  guint64 value = 7;

  g_test_message ("size \"%s\"", text);
  g_assert_false (ps_parse_size (text, "size", &value, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_cmpuint (value, ==, 7);
}

static void
test_size (void)
{
  assert_size ("4096", 4096);
  assert_size ("0", 0);
  assert_size ("64K", 64 * 1024);
  assert_size ("64k", 64 * 1024);
  assert_size ("64KiB", 64 * 1024);
  assert_size ("64KB", 64 * 1024);
  assert_size ("1M", 1024 * 1024);
  assert_size ("2G", G_GUINT64_CONSTANT (2) << 30);
  assert_size ("1T", G_GUINT64_CONSTANT (1) << 40);
  assert_size ("0x1000", 0x1000);
  assert_size ("0X1000", 0x1000);
  assert_size ("  4096  ", 4096);
  assert_size ("16777215T", G_GUINT64_CONSTANT (16777215) << 40);
  assert_size ("18446744073709551615", G_MAXUINT64);
}

static void
test_size_errors (void)
{
  assert_size_fails ("", "empty; expected a number");
  assert_size_fails ("   ", "empty; expected a number");
  assert_size_fails ("-1", "must not be negative");
  assert_size_fails ("-64K", "must not be negative");
  assert_size_fails ("abc", "expected a number");
  assert_size_fails ("+5", "expected a number");
  assert_size_fails ("0x", "expected hex digits after 0x");
  assert_size_fails ("0xg", "expected hex digits after 0x");
  assert_size_fails ("0x0x10", "expected hex digits after 0x");
  assert_size_fails ("0x5x", "unexpected characters after the number");
  assert_size_fails ("12Q", "unknown suffix; use K, M, G or T");
  assert_size_fails ("1.5M", "a whole number is needed, not a fraction (1536K, not 1.5M)");
  assert_size_fails ("0x1.8", "a whole number is needed, not a fraction (1536K, not 1.5M)");
  assert_size_fails ("12KQ", "unexpected characters after the number");
  assert_size_fails ("12 K", "unexpected characters after the number");
  assert_size_fails ("0x10K", "unexpected characters after the number");
  assert_size_fails ("4096 4096", "unexpected characters after the number");
  assert_size_fails ("18446744073709551616", "too large");
  assert_size_fails ("99999999999999999999999", "too large");
  assert_size_fails ("16777216T", "too large");
  assert_size_fails ("17179869184G", "too large");
  assert_size_fails ("0x10000000000000000", "too large");
}

static void
test_offset (void)
{
  g_autoptr(GError) error = NULL;
  guint64 value = 0;

  g_assert_true (ps_parse_offset ("0", "offset", &value, &error));
  g_assert_cmpuint (value, ==, 0);
  g_assert_true (ps_parse_offset ("8192", "offset", &value, &error));
  g_assert_cmpuint (value, ==, 8192);
  g_assert_true (ps_parse_offset ("0xffffffffffffffff", "offset", &value, &error));
  g_assert_cmpuint (value, ==, G_MAXUINT64);
  g_assert_no_error (error);

  /* no suffixes on an offset */
  g_assert_false (ps_parse_offset ("4K", "offset", &value, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "offset \"4K\": unexpected characters after the number");
  g_clear_error (&error);

  g_assert_false (ps_parse_offset ("-4096", "start", &value, &error));
  g_assert_cmpstr (error->message, ==, "start \"-4096\": must not be negative");
  g_clear_error (&error);

  g_assert_false (ps_parse_offset ("0x1 0", "offset", &value, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (value, ==, G_MAXUINT64);
}

static void
assert_key (const char *text,
            key_t       expected)
{
  g_autoptr(GError) error = NULL;
  key_t key = 12345;

  g_test_message ("key \"%s\"", text);
  g_assert_true (ps_parse_sysv_key (text, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpint (key, ==, expected);
}

static void
assert_key_fails (const char *text,
                  int         code,
                  const char *message_part)
{
  g_autoptr(GError) error = NULL;
  key_t key = 12345;

  g_test_message ("key \"%s\"", text);
  g_assert_false (ps_parse_sysv_key (text, &key, &error));
  g_assert_error (error, G_IO_ERROR, code);
  g_assert_nonnull (strstr (error->message, message_part));
  g_assert_cmpint (key, ==, 12345);
}

static void
test_sysv_key_numbers (void)
{
  assert_key ("0", 0);
  assert_key ("1397948417", 1397948417);
  assert_key ("0x53534f01", 0x53534f01);
  assert_key ("0X53534F01", 0x53534f01);
  /* /proc/sysvipc/shm prints keys as signed decimal */
  assert_key ("-1", -1);
  assert_key ("-123456789", -123456789);
  assert_key ("-2147483648", G_MININT32);
  assert_key ("0xffffffff", -1);
  assert_key ("4294967295", -1);
  assert_key ("0x80000000", G_MININT32);

  assert_key_fails ("", G_IO_ERROR_INVALID_ARGUMENT, "SysV key \"\"");
  assert_key_fails ("abc", G_IO_ERROR_INVALID_ARGUMENT, "SysV key \"abc\"");
  assert_key_fails ("-", G_IO_ERROR_INVALID_ARGUMENT, "SysV key \"-\"");
  assert_key_fails ("-2147483649", G_IO_ERROR_INVALID_ARGUMENT, "SysV key \"-2147483649\"");
  assert_key_fails ("-0x10", G_IO_ERROR_INVALID_ARGUMENT, "SysV key \"-0x10\"");
  assert_key_fails ("--5", G_IO_ERROR_INVALID_ARGUMENT, "SysV key \"--5\"");
  assert_key_fails ("-5x", G_IO_ERROR_INVALID_ARGUMENT, "SysV key \"-5x\"");
  assert_key_fails ("0x100000000", G_IO_ERROR_INVALID_ARGUMENT, "does not fit in 32 bits");
  assert_key_fails ("4294967296", G_IO_ERROR_INVALID_ARGUMENT, "does not fit in 32 bits");
}

static void
test_sysv_key_ftok (void)
{
  g_autofree char *path = ps_test_file ("ftok", 1, 0);
  struct { const char *id; int proj; } cases[] = {
    { "1", 1 },
    { "5", 5 },
    { "255", 255 },
    { "0x41", 0x41 },
    { "A", 'A' },
    { "z", 'z' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("%s:%s", path, cases[i].id);
      key_t expected = ftok (path, cases[i].proj);

      g_assert_cmpint (expected, !=, -1);
      assert_key (text, expected);
    }

  /* the last colon separates the id, so a path may hold colons */
  {
    g_autofree char *dir = g_dir_make_tmp ("pagescope-test-XXXXXX", NULL);
    g_autofree char *colon_path = g_build_filename (dir, "a:b", NULL);
    g_autofree char *text = g_strdup_printf ("%s:7", colon_path);

    ps_test_queue_unlink (dir);
    ps_test_queue_unlink (colon_path);
    g_assert_true (g_file_set_contents (colon_path, "", 0, NULL));
    assert_key (text, ftok (colon_path, 7));
  }

  {
    g_autofree char *zero = g_strdup_printf ("%s:0", path);
    g_autofree char *big = g_strdup_printf ("%s:256", path);
    g_autofree char *negative = g_strdup_printf ("%s:-1", path);
    g_autofree char *word = g_strdup_printf ("%s:ab", path);
    g_autofree char *none = g_strdup_printf ("%s:", path);

    assert_key_fails (zero, G_IO_ERROR_INVALID_ARGUMENT, "must be 1..255");
    assert_key_fails (big, G_IO_ERROR_INVALID_ARGUMENT, "must be 1..255");
    assert_key_fails (negative, G_IO_ERROR_INVALID_ARGUMENT, "ftok id \"-1\": must not be negative");
    assert_key_fails (word, G_IO_ERROR_INVALID_ARGUMENT, "ftok id \"ab\"");
    assert_key_fails (none, G_IO_ERROR_INVALID_ARGUMENT, "ftok id \"\"");
  }

  g_assert_cmpint (unlink (path), ==, 0);

  {
    g_autofree char *gone = g_strdup_printf ("%s:1", path);
    g_autofree char *message = g_strdup_printf ("ftok(\"%s\", 1): %s", path, g_strerror (ENOENT));
    g_autoptr(GError) error = NULL;
    key_t key = 12345;

    g_assert_false (ps_parse_sysv_key (gone, &key, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, message);
    g_assert_cmpint (key, ==, 12345);
  }
}

static void
test_shmid (void)
{
  g_autoptr(GError) error = NULL;
  int shmid = -7;

  g_assert_true (ps_parse_shmid ("98310", &shmid, &error));
  g_assert_cmpint (shmid, ==, 98310);
  g_assert_true (ps_parse_shmid ("0", &shmid, &error));
  g_assert_cmpint (shmid, ==, 0);
  g_assert_true (ps_parse_shmid ("2147483647", &shmid, &error));
  g_assert_cmpint (shmid, ==, G_MAXINT);
  g_assert_no_error (error);

  shmid = -7;
  g_assert_false (ps_parse_shmid ("2147483648", &shmid, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "shmid \"2147483648\": too large");
  g_clear_error (&error);
  g_assert_false (ps_parse_shmid ("-1", &shmid, &error));
  g_assert_cmpstr (error->message, ==, "shmid \"-1\": must not be negative");
  g_clear_error (&error);
  g_assert_false (ps_parse_shmid ("12ab", &shmid, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (ps_parse_shmid ("", &shmid, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (shmid, ==, -7);
}

static void
test_mode (void)
{
  struct { const char *text; guint mode; } good[] = {
    { "600", 0600 },
    { "0644", 0644 },
    { "0", 0 },
    { "777", 0777 },
    { "0777", 0777 },
    { "4", 04 },
  };
  const char *bad[] = { "", "8", "68", "1777", "01000", "abc", "0x1ff", "600 ", "-1", "6o0" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint mode = 01000;

      g_assert_true (ps_parse_mode (good[i].text, &mode, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (mode, ==, good[i].mode);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *prefix = g_strdup_printf ("mode \"%s\": ", bad[i]);
      guint mode = 01000;

      g_test_message ("mode \"%s\"", bad[i]);
      g_assert_false (ps_parse_mode (bad[i], &mode, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_cmpuint (mode, ==, 01000);
    }
}

/* The real shm_open, as PsSource calls it to create: -1 and errno, or the fd. */
static int
real_shm_create (const char *name)
{
  return shm_open (name, O_RDWR | O_CREAT | O_EXCL, 0600);
}

static void
assert_same_object (int         fd,
                    const char *normalized)
{
  int again = shm_open (normalized, O_RDONLY, 0);
  struct stat a, b;

  g_assert_cmpint (again, >=, 0);
  g_assert_cmpint (fstat (fd, &a), ==, 0);
  g_assert_cmpint (fstat (again, &b), ==, 0);
  g_assert_cmpuint (a.st_ino, ==, b.st_ino);
  g_assert_cmpuint (a.st_dev, ==, b.st_dev);
  close (again);
}

/* "/a", "a" and "//a" all name /a, for the normaliser and for shm_open. */
static void
test_posix_name_valid (void)
{
  g_autofree char *name = ps_test_posix_name ("norm");
  g_autofree char *bare = g_strdup (name + 1);
  g_autofree char *doubled = g_strconcat ("/", name, NULL);
  g_autofree char *many = g_strconcat ("///", name, NULL);
  const char *spellings[] = { name, bare, doubled, many };

  ps_test_queue_shm_unlink (name);
  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = ps_posix_name_normalize (spellings[i], &error);
      g_autofree char *dev_path = g_strconcat ("/dev/shm", name, NULL);
      int fd;

      g_test_message ("name \"%s\"", spellings[i]);
      g_assert_no_error (error);
      g_assert_cmpstr (normalized, ==, name);

      fd = real_shm_create (spellings[i]);
      g_assert_cmpint (fd, >=, 0);
      g_assert_true (g_file_test (dev_path, G_FILE_TEST_EXISTS));
      assert_same_object (fd, normalized);
      close (fd);
      g_assert_cmpint (shm_unlink (normalized), ==, 0);
      g_assert_false (g_file_test (dev_path, G_FILE_TEST_EXISTS));
    }
}

static void
assert_name_refused (const char *name,
                     int         expected_errno,
                     int         expected_code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = ps_posix_name_normalize (name, &error);
  g_autofree char *prefix = g_strdup_printf ("shm_open(\"%s\"): %s", name, g_strerror (expected_errno));
  int fd;
  int errsv;

  g_test_message ("name \"%s\"", name);
  g_assert_null (normalized);
  g_assert_error (error, G_IO_ERROR, expected_code);
  g_assert_true (g_str_has_prefix (error->message, prefix));

  errno = 0;
  fd = real_shm_create (name);
  errsv = errno;
  if (fd >= 0)
    {
      close (fd);
      shm_unlink (name);
      g_error ("shm_open(\"%s\") succeeded where the normaliser refuses it", name);
    }
  g_assert_cmpint (errsv, ==, expected_errno);
}

/* KERNEL-FACTS: "/d/e", "f/", "/", "", "/." and "/.." give EINVAL. (With
 * O_CREAT|O_EXCL "/." gives EEXIST and with O_RDONLY it opens /dev/shm itself,
 * so the normaliser refusing them matters; PsSource creates with O_RDWR|O_CREAT.) */
static void
test_posix_name_invalid (void)
{
  const char *names[] = { "/d/e", "f/", "/", "", "//", "/.", "/..", ".", "..", "//." };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = ps_posix_name_normalize (names[i], &error);
      g_autofree char *prefix = g_strdup_printf ("shm_open(\"%s\"): %s", names[i], g_strerror (EINVAL));
      int fd;

      g_test_message ("name \"%s\"", names[i]);
      g_assert_null (normalized);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, prefix));

      errno = 0;
      fd = shm_open (names[i], O_RDWR | O_CREAT, 0600);
      if (fd >= 0)
        {
          close (fd);
          shm_unlink (names[i]);
          g_error ("shm_open(\"%s\") succeeded where the normaliser refuses it", names[i]);
        }
      g_assert_cmpint (errno, ==, EINVAL);
    }
}

/* Builds "/" + a test name padded with 'x' to exactly bare_len bytes after the slash. */
static char *
name_of_length (const char *tag,
                gsize       bare_len)
{
  g_autofree char *base = ps_test_posix_name (tag);
  GString *name = g_string_new (base);

  g_assert_cmpuint (name->len - 1, <=, bare_len);
  while (name->len - 1 < bare_len)
    g_string_append_c (name, 'x');
  return g_string_free (name, FALSE);
}

static void
test_posix_name_length (void)
{
  for (gsize len = NAME_MAX - 1; len <= NAME_MAX; len++)
    {
      g_autofree char *name = name_of_length ("len", len);
      g_autofree char *bare = g_strdup (name + 1);
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = ps_posix_name_normalize (bare, &error);
      int fd;

      ps_test_queue_shm_unlink (name);
      g_assert_no_error (error);
      g_assert_cmpstr (normalized, ==, name);
      fd = real_shm_create (bare);
      g_assert_cmpint (fd, >=, 0);
      close (fd);
      g_assert_cmpint (shm_unlink (normalized), ==, 0);
    }

  for (gsize len = NAME_MAX + 1; len <= NAME_MAX + 2; len++)
    {
      g_autofree char *name = name_of_length ("len", len);

      assert_name_refused (name, ENAMETOOLONG, G_IO_ERROR_FILENAME_TOO_LONG);
      assert_name_refused (name + 1, ENAMETOOLONG, G_IO_ERROR_FILENAME_TOO_LONG);
    }
}

/* Any bytes in, printable UTF-8 out, every odd byte visible. */
static void
test_text_for_display (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "/plain", "/plain" },
    { "/tab\there", "/tab\\there" },
    { "/nl\n", "/nl\\n" },
    { "/esc\x1b[0m", "/esc\\x1b[0m" },
    { "/bad\xff\xfe", "/bad\\xff\\xfe" },
    { "/back\\slash", "/back\\\\slash" },
    { "/中文", "/中文" },
    { "/c1\xc2\x85", "/c1\\u0085" },
    { "/cut\xe4\xb8", "/cut\\xe4\\xb8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = ps_text_for_display (cases[i].in);

      g_assert_cmpstr (shown, ==, cases[i].out);
      g_assert_true (g_utf8_validate (shown, -1, NULL));
    }
}


/* ---- action arguments ---- */

static void
test_action_args_msync (void)
{
  g_autoptr(GError) error = NULL;
  PsMsyncArgs args;

  g_assert_true (ps_msync_args_parse ("sync", &args, &error));
  g_assert_cmpint (args.flags, ==, MS_SYNC);
  g_assert_false (args.range.given);
  g_assert_true (ps_msync_args_parse ("async,invalidate offset=4K length=8K", &args, &error));
  g_assert_cmpint (args.flags, ==, MS_ASYNC | MS_INVALIDATE);
  g_assert_true (args.range.given);
  g_assert_cmpuint (args.range.offset, ==, 4096);
  g_assert_cmpuint (args.range.length, ==, 8192);
  g_assert_true (ps_msync_args_parse ("sync length=1", &args, &error));
  g_assert_cmpuint (args.range.offset, ==, 0);
  g_assert_no_error (error);
}

static void
test_action_args_refused (void)
{
  static const struct { const char *text; const char *says; } spawn[] = {
    { "1 counter 10 count=5 junk", "\"junk\" after the options" },
    { "1 counter 10 count=0", "count=0" },
    { "1 counter 10 lenght=4K", "unknown option \"lenght=\"" },
    { "1 counter 10 count=1 count=2", "given twice" },
    { "1 counter 10 length=0", "must not be zero" },
    { "0 counter 10", "must be 1 to 64" },
  };
  static const struct { const char *text; const char *says; } msync[] = {
    { "sync lenght=4K", "unknown option \"lenght=\"" },
    { "sync offset=4K junk", "after the options" },
    { "sometimes", "sometimes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (spawn); i++)
    {
      g_autoptr(GError) error = NULL;
      PsSpawnArgs args;

      if (ps_spawn_args_parse (spawn[i].text, &args, &error))
        g_error ("\"%s\" parsed", spawn[i].text);
      ps_assert_contains (error->message, spawn[i].says);
    }
  for (guint i = 0; i < G_N_ELEMENTS (msync); i++)
    {
      g_autoptr(GError) error = NULL;
      PsMsyncArgs args;

      if (ps_msync_args_parse (msync[i].text, &args, &error))
        g_error ("\"%s\" parsed", msync[i].text);
      ps_assert_contains (error->message, msync[i].says);
    }
}

/* A pattern with '=' in it is a pattern, not an option. */
static void
test_action_args_spawn (void)
{
  g_autoptr(GError) error = NULL;
  PsSpawnArgs args;

  g_assert_true (ps_spawn_args_parse ("1 text:a=b 10", &args, &error));
  g_assert_no_error (error);
  g_assert_cmpint (args.pattern.kind, ==, PS_PATTERN_TEXT);
  g_assert_cmpmem (args.pattern.text, args.pattern.text_len, "a=b", 3);
  g_assert_cmpfloat (args.rate, ==, 10);
  g_assert_true (ps_spawn_args_parse ("3 \"x=1 y\" max offset=4K count=7", &args, &error));
  g_assert_cmpuint (args.n, ==, 3);
  g_assert_cmpmem (args.pattern.text, args.pattern.text_len, "x=1 y", 5);
  g_assert_cmpuint (args.count, ==, 7);
  g_assert_cmpuint (args.range.offset, ==, 4096);
}

static void
test_action_args_small (void)
{
  g_autoptr(GError) error = NULL;
  guint64 pid;
  gboolean write;
  guint ms;

  g_assert_true (ps_stop_args_parse ("", &pid, &error) && pid == 0);
  g_assert_true (ps_stop_args_parse (" all ", &pid, &error) && pid == 0);
  g_assert_true (ps_stop_args_parse ("4242", &pid, &error) && pid == 4242);
  g_assert_false (ps_stop_args_parse ("0", &pid, &error));
  g_clear_error (&error);
  g_assert_false (ps_stop_args_parse ("99999999999", &pid, &error));
  g_clear_error (&error);

  g_assert_true (ps_sweep_args_parse ("", &write, &error) && !write);
  g_assert_true (ps_sweep_args_parse ("write", &write, &error) && write);
  g_assert_false (ps_sweep_args_parse ("both", &write, &error));
  g_clear_error (&error);

  g_assert_true (ps_interval_parse ("250ms", &ms, &error) && ms == 250);
  g_assert_true (ps_interval_parse ("2s", &ms, &error) && ms == 2000);
  g_assert_true (ps_interval_parse ("100", &ms, &error) && ms == 100);
  g_assert_false (ps_interval_parse ("5", &ms, &error));
  g_clear_error (&error);
  g_assert_false (ps_interval_parse ("1e300s", &ms, &error));
  g_clear_error (&error);
  g_assert_false (ps_interval_parse ("nan", &ms, &error));
  g_clear_error (&error);
  g_assert_false (ps_interval_parse ("2 h", &ms, &error));
  ps_assert_contains (error->message, "interval \"2 h\"");
}

/* The choices ascend inside the scanner's range, and each reads back as
 * itself once shown. */
static void
test_interval_choices (void)
{
  guint n;
  const guint *choices = ps_interval_choices (&n);
  g_autofree char *fraction = ps_interval_to_display (1500);

  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (choices[0], ==, PS_SCANNER_MIN_INTERVAL_MS);
  g_assert_cmpuint (choices[n - 1], ==, PS_SCANNER_MAX_INTERVAL_MS);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *shown = ps_interval_to_display (choices[i]);
      g_autoptr(GError) error = NULL;
      guint ms = 0;

      g_assert_true (i == 0 || choices[i] > choices[i - 1]);
      g_assert_true (ps_interval_parse (shown, &ms, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (ms, ==, choices[i]);
    }
  g_assert_cmpstr (fraction, ==, "1.5 s");
}

/* A hostile path of 1 MiB shown in a label: the bounded form keeps its start
 * and its end, at most max characters in all, and never cuts an escape. */
static void
test_text_for_display_bounded (void)
{
  gsize len = 1024 * 1024;
  g_autofree char *path = g_malloc (len + 1);
  g_autofree char *odd = NULL;
  g_autofree char *full = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *small = NULL;
  const char *ellipsis;

  memset (path, 'a', len);
  memcpy (path, "/start", 6);
  memcpy (path + len - 4, "/end", 4);
  path[len] = '\0';

  shown = ps_text_for_display_bounded (path, PS_DISPLAY_MAX_CHARS);
  g_assert_true (g_utf8_validate (shown, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (shown, -1), ==, PS_DISPLAY_MAX_CHARS);
  g_assert_true (g_str_has_prefix (shown, "/start"));
  g_assert_true (g_str_has_suffix (shown, "/end"));
  ellipsis = strstr (shown, "…");
  g_assert_nonnull (ellipsis);
  g_assert_null (strstr (ellipsis + 1, "…"));

  /* what fits is shown whole, exactly as the unbounded form */
  small = ps_text_for_display_bounded ("/tab\there", 10);
  g_assert_cmpstr (small, ==, "/tab\\there");
  g_clear_pointer (&small, g_free);
  small = ps_text_for_display_bounded ("/tab\there", 9);
  g_assert_cmpint (g_utf8_strlen (small, -1), <=, 9);
  g_assert_true (g_str_has_suffix (small, "here"));
  g_clear_pointer (&small, g_free);
  small = ps_text_for_display_bounded ("anything", 1);
  g_assert_cmpstr (small, ==, "…");

  /* 1000 control bytes, each shown as \x01: the start and the end are
   * whole escapes, so their lengths are multiples of 4 */
  odd = g_strnfill (1000, '\x01');
  full = ps_text_for_display (odd);
  g_clear_pointer (&shown, g_free);
  shown = ps_text_for_display_bounded (odd, 100);
  ellipsis = strstr (shown, "…");
  g_assert_nonnull (ellipsis);
  g_assert_cmpint ((ellipsis - shown) % 4, ==, 0);
  g_assert_cmpint (strlen (ellipsis + strlen ("…")) % 4, ==, 0);
  g_assert_true (strncmp (full, shown, ellipsis - shown) == 0);
  g_assert_true (g_str_has_suffix (full, ellipsis + strlen ("…")));
  g_assert_cmpint (g_utf8_strlen (shown, -1), <=, 100);
  g_assert_cmpint (g_utf8_strlen (shown, -1), >=, 100 - 6);
}

/* Text already fit to show (a message quoting a name) is cut by whole
 * characters around one "…"; what fits comes back unchanged; bytes that are
 * not UTF-8 are escaped, never passed to a label. */
static void
test_text_shorten (void)
{
  g_autofree char *fits = ps_text_shorten ("open(\"/x\"): 名前", 15);
  g_autofree char *cut = ps_text_shorten ("名前名前名前名前名前", 5);
  g_autofree char *odd = ps_text_shorten ("a\xff" "b", 10);
  g_autofree char *big = g_strnfill (1 << 20, 'x');
  g_autofree char *bounded = ps_text_shorten (big, PS_MESSAGE_MAX_CHARS);

  g_assert_cmpstr (fits, ==, "open(\"/x\"): 名前");
  g_assert_cmpstr (cut, ==, "名前…名前");
  g_assert_cmpstr (odd, ==, "a\\xffb");
  g_assert_cmpint (g_utf8_strlen (bounded, -1), ==, PS_MESSAGE_MAX_CHARS);
  g_assert_true (g_utf8_validate (bounded, -1, NULL));
}

int
main (int argc, char **argv)
{
  ps_test_init (&argc, &argv);
  g_test_add_func ("/parse/size", test_size);
  g_test_add_func ("/parse/interval-choices", test_interval_choices);
  g_test_add_func ("/parse/size-errors", test_size_errors);
  g_test_add_func ("/parse/offset", test_offset);
  g_test_add_func ("/parse/sysv-key/numbers", test_sysv_key_numbers);
  g_test_add_func ("/parse/sysv-key/ftok", test_sysv_key_ftok);
  g_test_add_func ("/parse/shmid", test_shmid);
  g_test_add_func ("/parse/mode", test_mode);
  g_test_add_func ("/parse/posix-name/valid", test_posix_name_valid);
  g_test_add_func ("/parse/posix-name/invalid", test_posix_name_invalid);
  g_test_add_func ("/parse/posix-name/length", test_posix_name_length);
  g_test_add_func ("/parse/text-for-display", test_text_for_display);
  g_test_add_func ("/parse/action-args/msync", test_action_args_msync);
  g_test_add_func ("/parse/action-args/spawn", test_action_args_spawn);
  g_test_add_func ("/parse/action-args/refused", test_action_args_refused);
  g_test_add_func ("/parse/action-args/small", test_action_args_small);
  g_test_add_func ("/parse/text-for-display/bounded", test_text_for_display_bounded);
  g_test_add_func ("/parse/text-shorten", test_text_shorten);
  return g_test_run ();
}
