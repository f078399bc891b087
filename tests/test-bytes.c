/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ps-bytes.h"
#include "ps-test-util.h"

static char *
hex_of (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return ps_bytes_to_hex (data, len, G_MAXSIZE);
}

/* Parses text and compares the bytes, written as "de ad be ef". */
static void
assert_parses (const char *text,
               const char *expected_hex)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ps_bytes_parse (text, &error);
  g_autofree char *hex = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  hex = hex_of (bytes);
  g_assert_cmpstr (hex, ==, expected_hex);
}

static void
assert_fails (const char *text,
              const char *expected_message)
{
  g_autoptr(GError) error = NULL;
  int column = -1;
  int named = 0;
  g_autoptr(GBytes) bytes = ps_bytes_parse_at (text, &column, &error);

  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, expected_message);
  /* the column given is the one the message names, or 0 when it names none */
  if (sscanf (expected_message, "column %d:", &named) != 1)
    named = 0;
  if (g_str_has_prefix (expected_message, "unterminated string (opened at column "))
    sscanf (expected_message, "unterminated string (opened at column %d)", &named);
  g_assert_cmpint (column, ==, named);
}

static void
test_hex_spellings (void)
{
  const char *spellings[] = {
    "de ad be ef",
    "deadbeef",
    "DEADBEEF",
    "DeAdBeEf",
    "0xde,0xad,0xbe,0xef",
    "0xde, 0xad, 0xbe, 0xef",
    "0xde 0xad 0xbe 0xef",
    "0XDE 0XAD 0XBE 0XEF",
    "0xdeadbeef",
    "de:ad:be:ef",
    "de-ad-be-ef",
    "\\xde\\xad\\xbe\\xef",
    "  de\tad\nbe  ef  ",
    "dead beef",
    "de,,ad::be--ef",
  };

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_test_message ("%s", spellings[i]);
      assert_parses (spellings[i], "de ad be ef");
    }
}

static void
test_hex_short_bytes (void)
{
  assert_parses ("0xa", "0a");
  assert_parses ("0xa 0xb,0x0", "0a 0b 00");
  assert_parses ("\\xa\\x0", "0a 00");
  /* \x takes at most two digits; the rest is a new run */
  assert_parses ("\\xdead", "de ad");
  assert_parses ("00", "00");
  assert_parses ("ff", "ff");
}

static void
test_strings (void)
{
  assert_parses ("\"HELLO\"", "48 45 4c 4c 4f");
  assert_parses ("'HELLO'", "48 45 4c 4c 4f");
  assert_parses ("\"hi, dad\\n\"", "68 69 2c 20 64 61 64 0a");
  assert_parses ("\"\\n\\t\\r\\0\\a\\b\\f\\v\"", "0a 09 0d 00 07 08 0c 0b");
  assert_parses ("\"\\\\\\\"\\'\"", "5c 22 27");
  assert_parses ("\"\\x41\\x4\\x4g\"", "41 04 04 67");
  assert_parses ("\"\\101\\0\\12\\377\\1234\"", "41 00 0a ff 53 34");
  assert_parses ("\"it's\"", "69 74 27 73");
  assert_parses ("'say \"hi\"'", "73 61 79 20 22 68 69 22");
  assert_parses ("'\\''", "27");
  assert_parses ("\"a * 3\"", "61 20 2a 20 33");
  assert_parses ("\"de ad\"", "64 65 20 61 64");
  /* UTF-8 inside quotes is copied as its bytes */
  assert_parses ("\"é€\"", "c3 a9 e2 82 ac");
  assert_parses ("\"\"\"a\"", "61");
}

static void
test_mixes (void)
{
  assert_parses ("\"HELLO\" 00 0a", "48 45 4c 4c 4f 00 0a");
  assert_parses ("\"HELLO\"000a", "48 45 4c 4c 4f 00 0a");
  assert_parses ("de \"ad\" 0xbe \\xef 'x'", "de 61 64 be ef 78");
  assert_parses ("0a\"b\"'c'\\x0d", "0a 62 63 0d");
  assert_parses ("\\n", "0a");
}

static void
test_repeat (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) big = NULL;
  const guint8 *data;
  gsize len;

  assert_parses ("00 * 4", "00 00 00 00");
  assert_parses ("de ad*3", "de ad de ad de ad");
  assert_parses ("\"ab\" * 0x3", "61 62 61 62 61 62");
  assert_parses ("'x' 0a * 2  ", "78 0a 78 0a");
  assert_parses ("ff * 1", "ff");
  assert_parses ("01 02 03 *\t0X2", "01 02 03 01 02 03");

  /* exactly 16 MiB is allowed, and every byte is right */
  big = ps_bytes_parse ("01 02 03 04 * 4194304", &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (big, &len);
  g_assert_cmpuint (len, ==, 16 * 1024 * 1024);
  for (gsize i = 0; i < len; i++)
    if (data[i] != i % 4 + 1)
      g_error ("byte %zu is %d", i, data[i]);
}

static void
test_errors (void)
{
  assert_fails ("de ag", "column 5: 'g' is not a hex digit");
  assert_fails ("zz", "column 1: 'z' is not a hex digit");
  assert_fails ("de ad q", "column 7: 'q' is not a hex digit");
  assert_fails ("de\x01", "column 3: U+0001 is not a hex digit");
  assert_fails ("abc", "column 1: \"abc\" has an odd number of hex digits; write each byte as two digits, e.g. 0a");
  assert_fails ("de adb", "column 4: \"adb\" has an odd number of hex digits; write each byte as two digits, e.g. 0a");
  assert_fails ("0xabc", "column 1: \"0xabc\" has an odd number of hex digits; write each byte as two digits, e.g. 0a");
  /* a long run is quoted by its start, with the count */
  {
    g_autofree char *run = g_strnfill (201, 'a');

    assert_fails (run, "column 1: \"aaaaaaaaaaaa…\" has an odd number of hex digits (201); write each byte as two digits, e.g. 0a");
  }
  assert_fails ("0x", "column 1: \"0x\" needs hex digits after it, e.g. 0x0a");
  assert_fails ("00 0x,", "column 4: \"0x\" needs hex digits after it, e.g. 0x0a");
  assert_fails ("0xzz", "column 3: 'z' is not a hex digit");
  assert_fails ("\"HELLO", "column 1: unterminated string (opened at column 1)");
  assert_fails ("00 'ab\"", "column 4: unterminated string (opened at column 4)");
  assert_fails ("00 \"ab\\", "column 4: unterminated string (opened at column 4)");
  assert_fails ("\"hello\\q\"", "column 7: \"\\q\" is not a known escape");
  assert_fails ("\\q", "column 1: \"\\q\" is not a known escape");
  assert_fails ("\"\\e\"", "column 2: \"\\e\" is not a known escape");
  assert_fails ("\"\\x\"", "column 2: \"\\x\" needs one or two hex digits after it");
  assert_fails ("\\xg", "column 1: \"\\x\" needs one or two hex digits after it");
  assert_fails ("\"\\400\"", "column 2: \"\\400\" is more than \\377, the largest byte");
  assert_fails ("00 \\", "column 4: '\\' at the end needs an escape after it, such as \\xff");
  assert_fails ("", "empty: type hex bytes such as \"de ad\" or a quoted string such as \"hi\\n\"");
  assert_fails ("   ", "empty: type hex bytes such as \"de ad\" or a quoted string such as \"hi\\n\"");
  assert_fails (", :", "empty: type hex bytes such as \"de ad\" or a quoted string such as \"hi\\n\"");
  assert_fails ("\"\"", "empty: type hex bytes such as \"de ad\" or a quoted string such as \"hi\\n\"");
}

static void
test_repeat_errors (void)
{
  assert_fails ("* 4", "column 1: nothing to repeat before '*'");
  assert_fails ("\"\" * 4", "column 4: nothing to repeat before '*'");
  assert_fails ("00 *", "column 4: '*' needs a repeat count after it, e.g. * 16");
  assert_fails ("00 *   ", "column 4: '*' needs a repeat count after it, e.g. * 16");
  assert_fails ("00 * 0", "column 6: the repeat count must be at least 1");
  assert_fails ("00 * 0x0", "column 6: the repeat count must be at least 1");
  assert_fails ("00 * four", "column 6: \"four\" is not a repeat count; use a decimal or 0x hex number");
  assert_fails ("00 * -1", "column 6: \"-1\" is not a repeat count; use a decimal or 0x hex number");
  assert_fails ("00 * 0x", "column 6: \"0x\" is not a repeat count; use a decimal or 0x hex number");
  assert_fails ("00 * 4\"a\"", "column 6: \"4\"a\"\" is not a repeat count; use a decimal or 0x hex number");
  assert_fails ("00 * 4 01", "column 8: '0' after the repeat count; the repeat must come last");
  assert_fails ("00 * 2 * 2", "column 8: '*' after the repeat count; the repeat must come last");
  assert_fails ("00 * 16777217",
                "column 6: 1 bytes repeated 16777217 times is more than 16 MiB, the most one write may carry");
  assert_fails ("00 01 * 0x800001",
                "column 9: 2 bytes repeated 0x800001 times is more than 16 MiB, the most one write may carry");
  assert_fails ("00 * 99999999999999999999999",
                "column 6: 1 bytes repeated 99999999999999999999999 times is more than 16 MiB, the most one write may carry");
}

/* Columns count characters: "é" and "€" are one column each. */
static void
test_utf8_columns (void)
{
  assert_fails ("\"é\" zz", "column 5: 'z' is not a hex digit");
  assert_fails ("\"€€€\" 0a \"\\q\"", "column 11: \"\\q\" is not a known escape");
  assert_fails ("\"日本\" é", "column 6: 'é' is not a hex digit");
  assert_fails ("00 \"é\\é\"", "column 6: \"\\é\" is not a known escape");
  assert_fails ("'€", "column 1: unterminated string (opened at column 1)");
  assert_fails ("\"é\" * ü", "column 7: \"ü\" is not a repeat count; use a decimal or 0x hex number");
  assert_fails ("\"é\" \xff", "column 5: the text is not valid UTF-8");
  assert_fails ("\"\xc3\"", "column 2: the text is not valid UTF-8");
}

static void
test_fill (void)
{
  g_autoptr(GBytes) pattern = g_bytes_new_static ("abc", 3);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  struct { gsize length; const char *expected; } cases[] = {
    { 0, "" },
    { 1, "a" },
    { 2, "ab" },
    { 3, "abc" },
    { 4, "abca" },
    { 7, "abcabca" },
    { 12, "abcabcabcabc" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) filled = ps_bytes_fill (pattern, cases[i].length);
      gsize len = 0;
      const char *data = g_bytes_get_data (filled, &len);

      g_assert_cmpuint (len, ==, cases[i].length);
      g_assert_cmpmem (data, len, cases[i].expected, strlen (cases[i].expected));
    }

  {
    g_autoptr(GBytes) none = ps_bytes_fill (empty, 0);
    g_assert_cmpuint (g_bytes_get_size (none), ==, 0);
  }
  {
    g_autoptr(GBytes) large = ps_bytes_fill (pattern, 1000003);
    const guint8 *data = g_bytes_get_data (large, NULL);

    g_assert_cmpuint (g_bytes_get_size (large), ==, 1000003);
    for (gsize i = 0; i < 1000003; i++)
      if (data[i] != "abc"[i % 3])
        g_error ("byte %zu is %d", i, data[i]);
  }
}

static void
assert_write (const char *text,
              guint64     expected_offset,
              const char *expected_hex)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *hex = NULL;
  guint64 offset = 0;

  g_assert_true (ps_bytes_parse_write (text, &offset, &data, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (offset, ==, expected_offset);
  hex = hex_of (data);
  g_assert_cmpstr (hex, ==, expected_hex);
}

static void
assert_write_fails (const char *text,
                    const char *expected_message)
{
  g_autoptr(GError) error = NULL;
  GBytes *data = NULL;
  guint64 offset = 42;

  g_assert_false (ps_bytes_parse_write (text, &offset, &data, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, expected_message);
  g_assert_null (data);
  g_assert_cmpuint (offset, ==, 42);
}

static void
test_parse_write (void)
{
  assert_write ("0x10 de ad be ef", 0x10, "de ad be ef");
  assert_write ("0 \"HELLO\"", 0, "48 45 4c 4c 4f");
  assert_write ("4096 00 * 4", 4096, "00 00 00 00");
  assert_write ("  0X1f\t\"a\" 0a  ", 0x1f, "61 0a");
  assert_write ("8 de", 8, "de");
  /* the data may begin with something that looks like an offset */
  assert_write ("0 0x10", 0, "10");

  assert_write_fails ("", "empty: type an offset and the bytes to write, e.g. 0x10 de ad be ef or 0 \"HELLO\"");
  assert_write_fails (" \t", "empty: type an offset and the bytes to write, e.g. 0x10 de ad be ef or 0 \"HELLO\"");
  assert_write_fails ("0x10", "column 5: the bytes to write are missing after the offset, e.g. 0x10 de ad");
  assert_write_fails ("0x10   ", "column 8: the bytes to write are missing after the offset, e.g. 0x10 de ad");
  assert_write_fails ("0 \"\"", "empty: type hex bytes such as \"de ad\" or a quoted string such as \"hi\\n\"");
  assert_write_fails ("0x10 de ag", "column 10: 'g' is not a hex digit");
  assert_write_fails ("0x10 \"é\\q\"", "column 8: \"\\q\" is not a known escape");
  assert_write_fails ("16 \"abc", "column 4: unterminated string (opened at column 4)");
  assert_write_fails ("0 00 * 0", "column 8: the repeat count must be at least 1");
  assert_write_fails ("zz de", "column 1: offset \"zz\": expected a number");
  assert_write_fails ("  -5 de", "column 3: offset \"-5\": must not be negative");
  assert_write_fails ("0\"HELLO\"", "column 1: offset \"0\"HELLO\"\": unexpected characters after the number");
  assert_write_fails ("0 \xff", "column 3: the text is not valid UTF-8");
}

static void
test_to_hex (void)
{
  const guint8 data[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x0a };
  g_autofree char *all = ps_bytes_to_hex (data, 6, 6);
  g_autofree char *more = ps_bytes_to_hex (data, 6, 100);
  g_autofree char *cut = ps_bytes_to_hex (data, 6, 4);
  g_autofree char *none = ps_bytes_to_hex (data, 6, 0);
  g_autofree char *empty = ps_bytes_to_hex (data, 0, 8);

  g_assert_cmpstr (all, ==, "de ad be ef 00 0a");
  g_assert_cmpstr (more, ==, "de ad be ef 00 0a");
  g_assert_cmpstr (cut, ==, "de ad be ef …");
  g_assert_cmpstr (none, ==, "…");
  g_assert_cmpstr (empty, ==, "");
}

static void
test_to_escaped (void)
{
  const guint8 data[] = "Hi\n\t\r\\\"'\x01\x7f\xff";
  g_autofree char *all = ps_bytes_to_escaped (data, sizeof data, G_MAXSIZE);
  g_autofree char *cut = ps_bytes_to_escaped (data, sizeof data, 3);
  g_autofree char *none = ps_bytes_to_escaped (data, sizeof data, 0);
  g_autofree char *empty = ps_bytes_to_escaped (data, 0, 8);

  g_assert_cmpstr (all, ==, "Hi\\n\\t\\r\\\\\\\"'\\x01\\x7f\\xff\\x00");
  g_assert_cmpstr (cut, ==, "Hi\\n…");
  g_assert_cmpstr (none, ==, "…");
  g_assert_cmpstr (empty, ==, "");
}

/* Every byte value survives to_hex and "to_escaped" back through parse. */
static void
test_round_trips (void)
{
  guint8 all[256];
  g_autofree char *hex = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *quoted = NULL;
  g_autoptr(GBytes) from_hex = NULL;
  g_autoptr(GBytes) from_escaped = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 256; i++)
    all[i] = (guint8) (i * 7 + 3);

  hex = ps_bytes_to_hex (all, sizeof all, G_MAXSIZE);
  from_hex = ps_bytes_parse (hex, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (from_hex, NULL), g_bytes_get_size (from_hex), all, sizeof all);

  escaped = ps_bytes_to_escaped (all, sizeof all, G_MAXSIZE);
  quoted = g_strdup_printf ("\"%s\"", escaped);
  from_escaped = ps_bytes_parse (quoted, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (from_escaped, NULL), g_bytes_get_size (from_escaped), all, sizeof all);

  /* and the escaped text of "\x01" followed by a digit still means two bytes */
  {
    const guint8 tricky[] = { 0x01, '2', 0x00, '7', 'a' };
    g_autofree char *e = ps_bytes_to_escaped (tricky, sizeof tricky, G_MAXSIZE);
    g_autofree char *q = g_strdup_printf ("\"%s\"", e);
    g_autoptr(GBytes) back = ps_bytes_parse (q, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (back, NULL), g_bytes_get_size (back), tricky, sizeof tricky);
  }
}

int
main (int argc, char **argv)
{
  ps_test_init (&argc, &argv);
  g_test_add_func ("/bytes/hex/spellings", test_hex_spellings);
  g_test_add_func ("/bytes/hex/short-bytes", test_hex_short_bytes);
  g_test_add_func ("/bytes/strings", test_strings);
  g_test_add_func ("/bytes/mixes", test_mixes);
  g_test_add_func ("/bytes/repeat", test_repeat);
  g_test_add_func ("/bytes/errors", test_errors);
  g_test_add_func ("/bytes/repeat-errors", test_repeat_errors);
  g_test_add_func ("/bytes/utf8-columns", test_utf8_columns);
  g_test_add_func ("/bytes/fill", test_fill);
  g_test_add_func ("/bytes/parse-write", test_parse_write);
  g_test_add_func ("/bytes/to-hex", test_to_hex);
  g_test_add_func ("/bytes/to-escaped", test_to_escaped);
  g_test_add_func ("/bytes/round-trips", test_round_trips);
  return g_test_run ();
}
