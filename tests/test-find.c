/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Typed values and find, on real mappings: a sparse POSIX segment whose
 * allocated size must not grow, a file. */
#include "config.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ps-find.h"
#include "ps-session.h"
#include "ps-test-util.h"
#include "ps-value.h"

/* ---- values ---- */

static void
test_value_round_trip (void)
{
  static const struct { const char *type, *text, *bytes; gsize len; } cases[] = {
    { "u8", "200", "\xc8", 1 },
    { "i8", "-1", "\xff", 1 },
    { "u16", "258", "\x02\x01", 2 },
    { "u16be", "258", "\x01\x02", 2 },
    { "i32", "-2", "\xfe\xff\xff\xff", 4 },
    { "u32be", "0xdeadbeef", "\xde\xad\xbe\xef", 4 },
    { "u64", "18446744073709551615", "\xff\xff\xff\xff\xff\xff\xff\xff", 8 },
    { "i64be", "-9223372036854775808", "\x80\0\0\0\0\0\0\0", 8 },
    { "f32", "1.5", "\0\0\xc0\x3f", 4 },
    { "f64be", "-2", "\xc0\0\0\0\0\0\0\0", 8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *back = NULL;
      PsValueFormat format;
      guint8 out[8];

      g_assert_true (ps_value_format_parse (cases[i].type, &format, &error));
      g_assert_cmpuint (ps_value_size (format.type), ==, cases[i].len);
      g_assert_true (ps_value_encode (&format, cases[i].text, out, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (out, cases[i].len, cases[i].bytes, cases[i].len);
      back = ps_value_to_string (&format, out);
      if (g_str_has_prefix (cases[i].text, "0x"))
        g_assert_cmpstr (back, ==, "3735928559");
      else
        g_assert_cmpstr (back, ==, cases[i].text);
    }
}

static void
test_value_refused (void)
{
  static const struct { const char *type, *text, *says; } cases[] = {
    { "u8", "256", "from 0 to 255" },
    { "i8", "-129", "from -128 to 127" },
    { "u32", "-1", "from 0 to" },
    { "u64", "1.5", "whole number" },
    { "f32", "1e39", "too large" },
    { "f64", "abc", "not a number" },
  };
  PsValueFormat format;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) e = NULL;
      guint8 out[8];

      g_assert_true (ps_value_format_parse (cases[i].type, &format, NULL));
      g_assert_false (ps_value_encode (&format, cases[i].text, out, &e));
      ps_assert_contains (e->message, cases[i].says);
    }
  g_assert_false (ps_value_format_parse ("u8be", &format, &error));
  ps_assert_contains (error->message, "u8be");
  g_clear_error (&error);
  g_assert_false (ps_value_format_parse ("u33", &format, &error));
}

/* ---- patterns ---- */

static void
test_pattern_parse (void)
{
  static const struct { const char *text, *bytes; gsize len; gboolean icase; } cases[] = {
    { "de ad be ef", "\xde\xad\xbe\xef", 4, FALSE },
    { "\"hi\\n\"", "hi\n", 3, FALSE },
    { "hex:00 01", "\0\1", 2, FALSE },
    { "text:a:b c", "a:b c", 5, FALSE },
    { "itext:Hello", "Hello", 5, TRUE },
    { "u32:7", "\7\0\0\0", 4, FALSE },
    { "i16be:-2", "\xff\xfe", 2, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PsFindPattern) p = ps_find_pattern_parse (cases[i].text, &error);
      gsize len;
      const guint8 *bytes;

      g_assert_no_error (error);
      bytes = ps_find_pattern_get_bytes (p, &len);
      g_assert_cmpmem (bytes, len, cases[i].bytes, cases[i].len);
      g_assert_cmpint (ps_find_pattern_ignores_case (p), ==, cases[i].icase);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (ps_find_pattern_parse ("text:", &error));
    g_clear_error (&error);
    g_assert_null (ps_find_pattern_parse ("u8:300", &error));
    g_clear_error (&error);
    g_assert_null (ps_find_pattern_parse ("zz", &error));
  }
}

/* ---- finding ---- */

typedef struct
{
  PsSource *source;
  char     *name;
  int       fd;
  gsize     page;
} Segment;

static void
segment_setup (Segment       *s,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  s->page = ps_test_page_size ();
  s->name = ps_test_posix_name ("find");
  s->fd = shm_open (s->name, O_RDWR | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (s->fd, >=, 0);
  ps_test_queue_shm_unlink (s->name);   /* also if an assertion aborts the test */
  g_assert_cmpint (ftruncate (s->fd, 64 << 20), ==, 0);
  s->source = ps_source_open_posix (s->name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
}

static void
segment_teardown (Segment       *s,
                  gconstpointer  data)
{
  g_clear_object (&s->source);
  shm_unlink (s->name);
  close (s->fd);
  g_free (s->name);
}

static void
plant (Segment    *s,
       guint64     offset,
       const char *bytes,
       gsize       len)
{
  g_assert_cmpint (pwrite (s->fd, bytes, len, offset), ==, (gssize) len);
}

/* A pattern straddling two pages of a 64 MiB segment with holes is found,
 * forward, backward and among all, and looking does not allocate a page. */
static void
test_find_sparse (Segment       *s,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsFindPattern) p = ps_find_pattern_parse ("\"NEEDLE!!\"", &error);
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint64 at = 1000 * s->page - 4;   /* 4 bytes on page 999, 4 on page 1000 */
  guint64 second = 3000 * s->page + 17;
  guint64 found, allocated;
  gboolean truncated;

  plant (s, at, "NEEDLE!!", 8);
  plant (s, second, "NEEDLE!!", 8);
  plant (s, 5000 * s->page, "NEEDLE", 6);   /* a part only */
  allocated = ps_test_allocated (s->fd);

  g_assert_true (ps_find_next (s->source, p, 0, G_MAXUINT64, FALSE, &found, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (found, ==, at);
  g_assert_true (ps_find_next (s->source, p, at + 1, G_MAXUINT64, FALSE, &found, NULL, NULL, NULL, &error));
  g_assert_cmpuint (found, ==, second);
  g_assert_true (ps_find_next (s->source, p, second + 1, G_MAXUINT64, FALSE, &found, NULL, NULL, NULL, &error));
  g_assert_cmpuint (found, ==, G_MAXUINT64);
  g_assert_true (ps_find_next (s->source, p, 0, G_MAXUINT64, TRUE, &found, NULL, NULL, NULL, &error));
  g_assert_cmpuint (found, ==, second);
  g_assert_true (ps_find_next (s->source, p, 0, second, TRUE, &found, NULL, NULL, NULL, &error));
  g_assert_cmpuint (found, ==, at);

  g_assert_true (ps_find_all (s->source, p, 0, G_MAXUINT64, 100, hits, &truncated, NULL, NULL, NULL, &error));
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_false (truncated);
  g_assert_cmpuint (g_array_index (hits, guint64, 0), ==, at);
  g_assert_cmpuint (g_array_index (hits, guint64, 1), ==, second);
  g_array_set_size (hits, 0);
  g_assert_true (ps_find_all (s->source, p, 0, G_MAXUINT64, 1, hits, &truncated, NULL, NULL, NULL, &error));
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_true (truncated);

  /* nothing was allocated by looking */
  g_assert_cmpuint (ps_test_allocated (s->fd), ==, allocated);
}

static void
test_find_overlap_and_case (Segment       *s,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsFindPattern) aa = ps_find_pattern_parse ("text:aa", &error);
  g_autoptr(PsFindPattern) hello = ps_find_pattern_parse ("itext:HeLLo", &error);
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint64 found;

  plant (s, 100, "aaaa", 4);
  plant (s, 200, "hello", 5);
  g_assert_true (ps_find_all (s->source, aa, 0, G_MAXUINT64, 100, hits, NULL, NULL, NULL, NULL, &error));
  g_assert_cmpuint (hits->len, ==, 3);
  g_assert_true (ps_find_next (s->source, hello, 0, G_MAXUINT64, FALSE, &found, NULL, NULL, NULL, &error));
  g_assert_cmpuint (found, ==, 200);
}

static void
test_find_cancel (Segment       *s,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsFindPattern) p = ps_find_pattern_parse ("u64:42", &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint64 found;

  g_cancellable_cancel (cancellable);
  g_assert_false (ps_find_next (s->source, p, 0, G_MAXUINT64, FALSE, &found, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A file: its pages are read, and its end is where the search ends. */
static void
test_find_file (void)
{
  gsize page = ps_test_page_size ();
  g_autofree char *path = ps_test_file ("find-file", 3 * page + 10, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsFindPattern) p = ps_find_pattern_parse ("text:xxxx", &error);
  g_autoptr(PsFindPattern) zeros = ps_find_pattern_parse ("00 00", &error);
  guint64 found;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 5 * page, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ps_find_next (source, p, 0, G_MAXUINT64, TRUE, &found, NULL, NULL, NULL, &error));
  g_assert_cmpuint (found, ==, 3 * page + 10 - 4);
  /* the zero tail and the pages past EOF are not searched */
  g_assert_true (ps_find_next (source, zeros, 0, G_MAXUINT64, FALSE, &found, NULL, NULL, NULL, &error));
  g_assert_cmpuint (found, ==, G_MAXUINT64);
}

int
main (int   argc,
      char *argv[])
{
  ps_test_init (&argc, &argv);

  g_test_add_func ("/value/round-trip", test_value_round_trip);
  g_test_add_func ("/value/refused", test_value_refused);
  g_test_add_func ("/find/pattern-parse", test_pattern_parse);
  g_test_add ("/find/sparse", Segment, NULL, segment_setup, test_find_sparse, segment_teardown);
  g_test_add ("/find/overlap-and-case", Segment, NULL, segment_setup, test_find_overlap_and_case, segment_teardown);
  g_test_add ("/find/cancel", Segment, NULL, segment_setup, test_find_cancel, segment_teardown);
  g_test_add_func ("/find/file", test_find_file);
  return g_test_run ();
}
