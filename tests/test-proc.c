/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The /proc parsers of ps-proc.c on the text the kernel gives, on our own
 * mappings, and on text it never gives. */
#define G_LOG_DOMAIN "pagescope-test"
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ps-proc.h"
#include "ps-test-util.h"

static const char smaps[] =
  "7f3a2c000000-7f3a2c400000 rw-s 00000000 00:01 98310                      /SYSV00001234 (deleted)\n"
  "Size:               4096 kB\n"
  "Rss:                 100 kB\n"
  "Shared_Clean:          0 kB\n"
  "Shared_Dirty:         12 kB\n"
  "Private_Clean:       100 kB\n"
  "Private_Dirty:         8 kB\n"
  "Anonymous:             0 kB\n"
  "AnonHugePages:         0 kB\n"
  "VmFlags: rd wr sh mr mw me ms sd\n"
  "7f3a2c400000-7f3a2c600000 rw-p 00000000 00:00 0\n"
  "Shared_Dirty:          0 kB\n"
  "Private_Dirty:      2048 kB\n";

static void
test_smaps (void)
{
  gint64 shared = 0, private = 0;

  g_assert_true (ps_proc_parse_smaps_dirty (smaps, 0x7f3a2c000000, &shared, &private));
  g_assert_cmpint (shared, ==, 12 * 1024);
  g_assert_cmpint (private, ==, 8 * 1024);

  /* the second mapping's own fields, not the first's */
  g_assert_true (ps_proc_parse_smaps_dirty (smaps, 0x7f3a2c400000, &shared, &private));
  g_assert_cmpint (shared, ==, 0);
  g_assert_cmpint (private, ==, 2048 * 1024);

  /* not there */
  g_assert_false (ps_proc_parse_smaps_dirty (smaps, 0x1000, &shared, &private));
  g_assert_cmpint (shared, ==, -1);
  g_assert_cmpint (private, ==, -1);
}

/* What the kernel never writes: a missing field, a number past 64 bits or
 * past what bytes can hold, a missing unit. Both -1, never half an answer. */
static void
test_smaps_malformed (void)
{
  static const char *const texts[] = {
    "7f00-7f10 rw-s 0 00:01 1 /x\nShared_Dirty: 4 kB\n",
    "7f00-7f10 rw-s 0 00:01 1 /x\nShared_Dirty: 99999999999999999999 kB\nPrivate_Dirty: 1 kB\n",
    "7f00-7f10 rw-s 0 00:01 1 /x\nShared_Dirty: 9007199254740992 kB\nPrivate_Dirty: 1 kB\n",
    "7f00-7f10 rw-s 0 00:01 1 /x\nShared_Dirty: 4\nPrivate_Dirty: 1 kB\n",
    "7f00-7f10 rw-s 0 00:01 1 /x\nShared_Dirty: -4 kB\nPrivate_Dirty: 1 kB\n",
    "7f00-7f10 rw-s 0 00:01 1 /x\n",
    "7f00-7f10",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gint64 shared = 0, private = 0;

      g_test_message ("%s", texts[i]);
      g_assert_false (ps_proc_parse_smaps_dirty (texts[i], 0x7f00, &shared, &private));
      g_assert_cmpint (shared, ==, -1);
      g_assert_cmpint (private, ==, -1);
    }
}

/* Our own dirty page in a shared anonymous mapping, through the real file. */
static void
test_smaps_real (void)
{
  gsize page = sysconf (_SC_PAGESIZE);
  guint8 *map = mmap (NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  g_autofree char *contents = NULL;
  gint64 shared = 0, private = 0;

  g_assert_true (map != MAP_FAILED);
  memset (map, 1, 2 * page);
  g_assert_true (g_file_get_contents ("/proc/self/smaps", &contents, NULL, NULL));
  g_assert_true (ps_proc_parse_smaps_dirty (contents, (guintptr) map, &shared, &private));
  /* a page only this process maps counts as Private_Dirty */
  g_assert_cmpint (shared + private, ==, 2 * page);
  munmap (map, 4 * page);
}

static void
test_pagemap (void)
{
  const guint64 present = G_GUINT64_CONSTANT (1) << 63;
  const guint64 swapped = G_GUINT64_CONSTANT (1) << 62;
  const guint64 file = G_GUINT64_CONSTANT (1) << 61;
  const guint64 exclusive = G_GUINT64_CONSTANT (1) << 56;
  const guint64 entries[] = { present | file, present, swapped, 0, present | file | exclusive };
  PsPageInfo pages[5];

  /* a copy on write is present (or swapped) and not a file page; the
   * exclusive bit is set on file pages too and says nothing */
  memset (pages, 0, sizeof pages);
  g_assert_cmpuint (ps_proc_pagemap_mark_copies (entries, sizeof entries, pages, 5), ==, 2);
  g_assert_false (pages[0].state & PS_PAGE_PRIVATE_COPY);
  g_assert_true (pages[1].state & PS_PAGE_PRIVATE_COPY);
  g_assert_true (pages[2].state & PS_PAGE_PRIVATE_COPY);
  g_assert_false (pages[3].state & PS_PAGE_PRIVATE_COPY);
  g_assert_false (pages[4].state & PS_PAGE_PRIVATE_COPY);

  /* a short read marks only the whole entries that came; an error nothing;
   * more bytes than pages never writes past them */
  memset (pages, 0, sizeof pages);
  g_assert_cmpuint (ps_proc_pagemap_mark_copies (entries, 2 * 8 + 3, pages, 5), ==, 1);
  g_assert_false (pages[2].state & PS_PAGE_PRIVATE_COPY);
  memset (pages, 0, sizeof pages);
  g_assert_cmpuint (ps_proc_pagemap_mark_copies (entries, -1, pages, 5), ==, 0);
  g_assert_cmpuint (ps_proc_pagemap_mark_copies (entries, G_MAXSSIZE, pages, 2), ==, 1);
  g_assert_false (pages[2].state & PS_PAGE_PRIVATE_COPY);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/proc/smaps", test_smaps);
  g_test_add_func ("/proc/smaps/malformed", test_smaps_malformed);
  g_test_add_func ("/proc/smaps/real", test_smaps_real);
  g_test_add_func ("/proc/pagemap", test_pagemap);
  return g_test_run ();
}
