/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What to open, as text ("file:/x?writable&offset=…") and as the rules
 * every spec follows (ps_source_spec_check), and a source's own spec
 * opening the same thing again. Offsets are built from the page size,
 * which the rules check against. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/stat.h>

#include "ps-source-test-util.h"

static gsize PAGE;

static void
test_spec_round_trip (void)
{
  g_autofree char *file_offset = g_strdup_printf ("file:/tmp/some%%20file?private&writable&offset=%zu&length=8192", PAGE);
  g_autofree char *posix_offset = g_strdup_printf ("posix:/name?private&writable&offset=%zu", 2 * PAGE);
  const char *const texts[] = {
    "file:/tmp/x",
    file_offset,
    "file:relative/path?length=100",
    "posix:/name",
    "posix:/name?writable",
    posix_offset,
    "posix:/name?create&size=8192",
    "posix:/name?create&size=8192&mode=600",
    "sysv:0x50530001",
    "sysv:0x50530001?writable",
    "sysv:0x50530001?create&size=4096&mode=640",
    /* writable with create: redundant (a new segment is mapped writable),
     * accepted, and so kept: a round trip once dropped it */
    "posix:/%FF?writable&create&size=5",
    "sysv:0x50530001?writable&create&size=4096",
    "sysv:0xffffffff",
    "shmid:42",
    "shmid:42?writable",
    "anon:65536",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_auto(PsSourceSpec) spec = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *back = NULL;

      g_assert_true (ps_source_spec_parse (texts[i], &spec, &error));
      g_assert_no_error (error);
      back = ps_source_spec_to_string (&spec);
      g_assert_cmpstr (back, ==, texts[i]);
    }

  /* the case, the name's byte raw rather than %-escaped */
  {
    g_auto(PsSourceSpec) spec = { 0 };
    g_auto(PsSourceSpec) again = { 0 };
    g_autofree char *back = NULL;

    g_assert_true (ps_source_spec_parse ("posix:\xff?writable&create&size=5", &spec, NULL));
    back = ps_source_spec_to_string (&spec);
    g_assert_cmpstr (back, ==, "posix:/%FF?writable&create&size=5");
    g_assert_true (ps_source_spec_parse (back, &again, NULL));
    g_assert_cmpint (again.flags, ==, spec.flags);
    g_assert_true (again.create);
  }
}

static void
test_spec_fields (void)
{
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *file_text = g_strdup_printf ("file:/tmp/some%%20file?private&writable&offset=0x%zx&length=8K", PAGE);
  PsSourceSpec back = { 0 };

  g_assert_true (ps_source_spec_parse (file_text, &spec, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.kind, ==, PS_SOURCE_FILE);
  g_assert_cmpstr (spec.path, ==, "/tmp/some file");
  g_assert_cmpint (spec.flags, ==, PS_MAP_PRIVATE | PS_MAP_WRITABLE);
  g_assert_cmpuint (spec.offset, ==, PAGE);
  g_assert_cmpuint (spec.length, ==, 8192);
  ps_source_spec_clear (&spec);
  g_assert_null (spec.path);
  g_assert_cmpint (spec.kind, ==, 0);
  g_assert_cmpuint (spec.offset, ==, 0);

  g_assert_true (ps_source_spec_parse ("posix:name?create&size=64K&mode=0640", &spec, &error));
  g_assert_cmpint (spec.kind, ==, PS_SOURCE_POSIX);
  g_assert_cmpstr (spec.name, ==, "/name");
  g_assert_true (spec.create);
  g_assert_cmpuint (spec.size, ==, 65536);
  g_assert_cmpuint (spec.mode, ==, 0640);
  ps_source_spec_clear (&spec);

  g_assert_true (ps_source_spec_parse ("posix://name", &spec, &error));
  g_assert_cmpstr (spec.name, ==, "/name");
  ps_source_spec_clear (&spec);

  g_assert_true (ps_source_spec_parse ("sysv:1234?writable", &spec, &error));
  g_assert_cmpint (spec.kind, ==, PS_SOURCE_SYSV);
  g_assert_false (spec.by_shmid);
  g_assert_cmpint (spec.key, ==, 1234);
  g_assert_cmpint (spec.flags, ==, PS_MAP_WRITABLE);
  text = ps_source_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "sysv:0x000004d2?writable");
  ps_source_spec_clear (&spec);

  g_assert_true (ps_source_spec_parse ("shmid:98310", &spec, &error));
  g_assert_true (spec.by_shmid);
  g_assert_cmpint (spec.shmid, ==, 98310);
  ps_source_spec_clear (&spec);

  g_assert_true (ps_source_spec_parse ("anon:1M", &spec, &error));
  g_assert_cmpint (spec.kind, ==, PS_SOURCE_ANON);
  g_assert_cmpuint (spec.size, ==, 1024 * 1024);
  ps_source_spec_clear (&spec);

  /* awkward paths survive: '?', '&', '%', ':', spaces and UTF-8 */
  spec.kind = PS_SOURCE_FILE;
  spec.path = g_strdup ("/tmp/a?b&c%d:e f\xc3\xa9");
  spec.flags = PS_MAP_WRITABLE;
  g_free (text);
  text = ps_source_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "file:/tmp/a%3Fb%26c%25d%3Ae%20f%C3%A9?writable");
  g_assert_true (ps_source_spec_parse (text, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (back.path, ==, spec.path);
  g_assert_cmpint (back.flags, ==, PS_MAP_WRITABLE);
  ps_source_spec_clear (&back);

  /* ftok inside a spec */
  {
    g_autofree char *path = ps_test_file ("spec-ftok", 1, 0);
    g_autofree char *ftok_text = g_strdup_printf ("sysv:%s:9", path);

    g_assert_true (ps_source_spec_parse (ftok_text, &back, &error));
    g_assert_no_error (error);
    g_assert_cmpint (back.key, ==, ftok (path, 9));
    ps_source_spec_clear (&back);
  }
}

static void
test_spec_errors (void)
{
  static const struct { const char *text; const char *says; } bad[] = {
    { "", "expected KIND:WHAT" },
    { "/tmp/x", "expected KIND:WHAT" },
    { "bogus:x", "unknown kind \"bogus\"" },
    { "file:", "the path is empty" },
    { "file:/x?", "an empty option" },
    { "file:/x?writable&", "an empty option" },
    { "file:/x?wat", "unknown option \"wat\" (file takes: private, writable, offset, length, pread)" },
    { "file:/x?create&size=1", "option \"create\" does not apply to file" },
    { "file:/x?writable&writable", "given twice" },
    { "file:/x?offset", "needs a value" },
    { "file:/x?offset=", "needs a value" },
    { "file:/x?private=1", "takes no value" },
    { "file:/x?offset=abc", "offset \"abc\"" },
    { "file:/x?length=-1", "must not be negative" },
    { "file:/x%zz", "bad %-escape" },
    { "file:/x%00", "bad %-escape" },
    { "posix:", "the name is empty" },
    { "posix:/a/b", "'/' only at its start" },
    { "posix:/..", "are not names" },
    { "posix:/x?size=4096", "apply only with create" },
    { "posix:/x?mode=600", "apply only with create" },
    { "posix:/x?create", "create needs a size" },
    { "posix:/x?create&size=0", "must not be zero" },
    { "posix:/x?create&size=4096&offset=4096", "offset does not apply to posix" },
    { "posix:/x?create&size=4096&private", "private does not apply to posix" },
    { "file:/x?offset=100", "must be a multiple of the page size" },
    { "file:/x?length=0", "length \"0\": must not be zero" },
    { "posix:/x?create&size=4096&mode=999", "mode \"999\"" },
    { "sysv:", "the key is empty" },
    { "sysv:zz", "SysV key \"zz\"" },
    { "sysv:0x1?private", "option \"private\" does not apply to sysv" },
    { "sysv:0x1?offset=4096", "option \"offset\" does not apply to sysv" },
    { "shmid:abc", "shmid \"abc\"" },
    { "shmid:1?create&size=1", "option \"create\" does not apply to shmid" },
    { "anon:", "size \"\"" },
    { "anon:0", "the size must not be zero" },
    { "anon:4096?writable", "anon takes no options" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(PsSourceSpec) spec = { 0 };
      g_autoptr(GError) error = NULL;
      g_autofree char *start = g_strdup_printf ("source \"%s\": ", bad[i].text);

      if (ps_source_spec_parse (bad[i].text, &spec, &error))
        g_error ("\"%s\" parsed", bad[i].text);
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_IO_ERROR);
      if (!g_str_has_prefix (error->message, start) || strstr (error->message, bad[i].says) == NULL)
        g_error ("\"%s\": message \"%s\" lacks \"%s\"", bad[i].text, error->message, bad[i].says);
      /* nothing half-filled */
      g_assert_null (spec.path);
      g_assert_null (spec.name);
      g_assert_cmpint (spec.kind, ==, 0);
      g_assert_cmpuint (spec.size, ==, 0);
    }
}

/* One rule, as ps_source_spec_check and ps_source_spec_check_options state
 * it: refused with code, the field named, the message holding says (with
 * "--" before option and kind names for the command line), the spec as it
 * was. */
static void
assert_check_refuses (const PsSourceSpec *spec,
                      PsSpecField         field,
                      int                 code,
                      const char         *says,
                      const char         *says_options)
{
  PsSourceSpec before = *spec;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) options_error = NULL;
  PsSpecField got = PS_SPEC_FIELD_NONE, got_options = PS_SPEC_FIELD_NONE;

  g_assert_false (ps_source_spec_check (spec, &got, &error));
  g_assert_error (error, G_IO_ERROR, code);
  g_assert_cmpint (got, ==, field);
  ps_assert_contains (error->message, says);
  g_assert_false (ps_source_spec_check_options (spec, &got_options, &options_error));
  g_assert_error (options_error, G_IO_ERROR, code);
  g_assert_cmpint (got_options, ==, field);
  ps_assert_contains (options_error->message, says_options != NULL ? says_options : says);
  g_assert_cmpmem (spec, sizeof *spec, &before, sizeof before);
  /* no field and no error asked for: still refused */
  g_assert_false (ps_source_spec_check (spec, NULL, NULL));
}

static void
assert_check_accepts (const PsSourceSpec *spec)
{
  g_autoptr(GError) error = NULL;
  PsSpecField field = PS_SPEC_FIELD_OFFSET;

  g_assert_true (ps_source_spec_check (spec, &field, &error));
  g_assert_no_error (error);
  g_assert_cmpint (field, ==, PS_SPEC_FIELD_NONE);
  g_assert_true (ps_source_spec_check_options (spec, NULL, &error));
  g_assert_no_error (error);
}

/* Every rule a spec follows before anything is opened, written once for
 * the command line, the open dialog and scripting: nothing is opened here. */
static void
test_spec_check (void)
{
  g_autofree char *not_aligned = g_strdup_printf ("offset 100 (0x64): must be a multiple of the page size, %zu "
                                                  "(the nearest are 0 and %zu)", PAGE, PAGE);
  g_autofree char *not_aligned_far = g_strdup_printf ("(the nearest are %zu and %zu)", 2 * PAGE, 3 * PAGE);
  PsSourceSpec file = { .kind = PS_SOURCE_FILE, .path = (char *) "/nowhere/at/all", .flags = PS_MAP_WRITABLE };
  PsSourceSpec spec;

  /* a file: any path (it is not opened), an offset on a page boundary */
  assert_check_accepts (&file);
  file.offset = 2 * PAGE;
  file.length = 100;
  file.flags = PS_MAP_PRIVATE | PS_MAP_WRITABLE;
  assert_check_accepts (&file);
  file.offset = 100;
  assert_check_refuses (&file, PS_SPEC_FIELD_OFFSET, G_IO_ERROR_INVALID_ARGUMENT, not_aligned, NULL);
  file.offset = 2 * PAGE + 1;
  assert_check_refuses (&file, PS_SPEC_FIELD_OFFSET, G_IO_ERROR_INVALID_ARGUMENT, not_aligned_far, NULL);
  spec = (PsSourceSpec) { .kind = PS_SOURCE_FILE, .path = (char *) "" };
  assert_check_refuses (&spec, PS_SPEC_FIELD_OBJECT, G_IO_ERROR_INVALID_ARGUMENT, "the path is empty", NULL);
  spec.path = NULL;
  assert_check_refuses (&spec, PS_SPEC_FIELD_OBJECT, G_IO_ERROR_INVALID_ARGUMENT, "the path is empty", NULL);

  /* anonymous: a size, and none of the mapping options */
  spec = (PsSourceSpec) { .kind = PS_SOURCE_ANON, .size = PAGE };
  assert_check_accepts (&spec);
  spec.size = 0;
  assert_check_refuses (&spec, PS_SPEC_FIELD_SIZE, G_IO_ERROR_INVALID_ARGUMENT, "the size must not be zero", NULL);
  spec = (PsSourceSpec) { .kind = PS_SOURCE_ANON, .size = PAGE, .flags = PS_MAP_PRIVATE };
  assert_check_refuses (&spec, PS_SPEC_FIELD_PRIVATE, G_IO_ERROR_NOT_SUPPORTED,
                        "private does not apply to anon: ", "--private does not apply to --anon: ");
  spec = (PsSourceSpec) { .kind = PS_SOURCE_ANON, .size = PAGE, .flags = PS_MAP_WRITABLE };
  assert_check_refuses (&spec, PS_SPEC_FIELD_WRITABLE, G_IO_ERROR_NOT_SUPPORTED,
                        "writable does not apply to anon", "--writable does not apply to --anon");
  spec = (PsSourceSpec) { .kind = PS_SOURCE_ANON, .size = PAGE, .length = PAGE };
  assert_check_refuses (&spec, PS_SPEC_FIELD_LENGTH, G_IO_ERROR_NOT_SUPPORTED,
                        "length does not apply to anon", "--length does not apply to --anon");

  /* a SysV attach: whole and shared, writable if asked; by key or shmid */
  spec = (PsSourceSpec) { .kind = PS_SOURCE_SYSV, .key = 0x1234, .flags = PS_MAP_WRITABLE };
  assert_check_accepts (&spec);
  spec.offset = PAGE;
  assert_check_refuses (&spec, PS_SPEC_FIELD_OFFSET, G_IO_ERROR_NOT_SUPPORTED,
                        "offset does not apply to sysv: a SysV segment is attached whole",
                        "--offset does not apply to --sysv: ");
  spec = (PsSourceSpec) { .kind = PS_SOURCE_SYSV, .by_shmid = TRUE, .shmid = 42, .flags = PS_MAP_PRIVATE };
  assert_check_refuses (&spec, PS_SPEC_FIELD_PRIVATE, G_IO_ERROR_NOT_SUPPORTED,
                        "private does not apply to shmid", "--private does not apply to --shmid");

  /* creating a segment: a size, mapped whole */
  spec = (PsSourceSpec) { .kind = PS_SOURCE_SYSV, .key = 0x1234, .create = TRUE, .size = 10000, .mode = 0640 };
  assert_check_accepts (&spec);
  spec.size = 0;
  assert_check_refuses (&spec, PS_SPEC_FIELD_SIZE, G_IO_ERROR_INVALID_ARGUMENT, "a new segment needs one", NULL);
  spec = (PsSourceSpec) { .kind = PS_SOURCE_POSIX, .name = (char *) "/x", .create = TRUE, .size = PAGE, .length = PAGE };
  assert_check_refuses (&spec, PS_SPEC_FIELD_LENGTH, G_IO_ERROR_NOT_SUPPORTED,
                        "length does not apply to posix: a new segment is mapped whole",
                        "--length does not apply to --posix");

  /* a POSIX segment: a valid name; offsets on a page boundary */
  spec = (PsSourceSpec) { .kind = PS_SOURCE_POSIX, .name = (char *) "x", .offset = PAGE, .flags = PS_MAP_PRIVATE };
  assert_check_accepts (&spec);
  spec.offset = 100;
  assert_check_refuses (&spec, PS_SPEC_FIELD_OFFSET, G_IO_ERROR_INVALID_ARGUMENT, not_aligned, NULL);
  spec = (PsSourceSpec) { .kind = PS_SOURCE_POSIX, .name = (char *) "/a/b" };
  assert_check_refuses (&spec, PS_SPEC_FIELD_OBJECT, G_IO_ERROR_INVALID_ARGUMENT, "/a/b", NULL);

  /* not a kind at all */
  spec = (PsSourceSpec) { .kind = 99 };
  assert_check_refuses (&spec, PS_SPEC_FIELD_OBJECT, G_IO_ERROR_INVALID_ARGUMENT, "unknown kind of source 99", NULL);
}

static void
assert_reopens (PsSource *source)
{
  PsSourceSpec *spec = ps_source_dup_spec (source);
  g_auto(PsSourceSpec) parsed = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) again = NULL;
  g_autofree char *text = ps_source_spec_to_string (spec);
  const PsGeometry *a, *b;

  g_assert_true (ps_source_spec_parse (text, &parsed, &error));
  g_assert_no_error (error);
  g_assert_false (parsed.create);
  again = ps_source_open (&parsed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_kind (again), ==, ps_source_get_kind (source));
  g_assert_cmpint (ps_source_get_flags (again), ==, ps_source_get_flags (source));
  a = ps_source_get_geometry (source);
  b = ps_source_get_geometry (again);
  g_assert_cmpuint (a->offset, ==, b->offset);
  g_assert_cmpuint (a->length, ==, b->length);
  g_assert_cmpuint (a->object_size, ==, b->object_size);
  if (ps_source_get_kind (source) == PS_SOURCE_SYSV)
    g_assert_cmpint (ps_source_get_shmid (again), ==, ps_source_get_shmid (source));
  if (ps_source_get_kind (source) != PS_SOURCE_ANON && ps_source_get_geometry (source)->n_inside > 0)
    g_assert_cmpint (ps_source_get_data (again)[0], ==, ps_source_get_data (source)[0]);
  ps_source_spec_clear (spec);
  g_free (spec);
}

/* What a source says about itself opens the same thing again. */
static void
test_spec_reopen (void)
{
  g_autofree char *path = ps_test_pattern_file ("spec-reopen", 4);
  g_autofree char *name = ps_test_posix_name ("spec-reopen");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) file = NULL;
  g_autoptr(PsSource) file_long = NULL;
  g_autoptr(PsSource) posix = ps_test_create_posix (name, 3 * PAGE, 0, NULL);
  g_autoptr(PsSource) sysv = ps_test_create_sysv (ps_test_free_sysv_key (), 2 * PAGE, 0, NULL);
  g_autoptr(PsSource) anon = ps_source_new_anon (5 * PAGE, NULL, &error);
  g_autoptr(PsSource) posix_private = NULL;

  g_assert_no_error (error);
  file = ps_source_open_file (path, PS_MAP_PRIVATE | PS_MAP_WRITABLE, PAGE, 0, NULL, &error);
  g_assert_no_error (error);
  file_long = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 6 * PAGE, NULL, &error);
  g_assert_no_error (error);
  posix_private = ps_source_open_posix (name, PS_MAP_PRIVATE, PAGE, PAGE, NULL, &error);
  g_assert_no_error (error);
  ps_test_write_ok (sysv, 0, "s");

  assert_reopens (file);
  assert_reopens (file_long);
  assert_reopens (posix);
  assert_reopens (posix_private);
  assert_reopens (sysv);
  assert_reopens (anon);

  /* a spec that creates: through ps_source_open, and refused the second time */
  {
    g_autofree char *created_name = ps_test_posix_name ("spec-create");
    g_autofree char *text = g_strdup_printf ("posix:%s?create&size=8192&mode=640", created_name);
    g_auto(PsSourceSpec) spec = { 0 };
    g_autoptr(PsSource) created = NULL;
    g_autoptr(PsSource) twice = NULL;
    struct stat st;

    g_assert_true (ps_source_spec_parse (text, &spec, &error));
    ps_test_queue_shm_unlink (created_name);
    created = ps_source_open (&spec, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (fstat (ps_source_get_fd (created), &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0640);
    g_assert_cmpint (st.st_size, ==, 8192);
    twice = ps_source_open (&spec, NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  }
}

int
main (int argc, char **argv)
{
  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);

  g_test_add_func ("/source/spec/round-trip", test_spec_round_trip);
  g_test_add_func ("/source/spec/fields", test_spec_fields);
  g_test_add_func ("/source/spec/errors", test_spec_errors);
  g_test_add_func ("/source/spec/check", test_spec_check);
  g_test_add_func ("/source/spec/reopen", test_spec_reopen);

  return g_test_run ();
}
