/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scanner's pass funcs: every change a pass finds is handed over with
 * the hashes before and after, and the focus window's bytes before the pass,
 * whatever the main loop does with the frames. */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>

#include "ps-scanner.h"
#include "ps-test-util.h"

typedef struct
{
  guint    calls;
  GArray  *changes;      /* of PsPageChange, the last pass's */
  guint64  n_changed;    /* the last frame's */
  GBytes  *before;       /* the last pass's focus_before over its valid part */
  guint64  before_offset;
  GBytes  *after;        /* frame->focus_bytes over the same part */
  guint64  zero_hash;
} Seen;

static void
on_pass (PsScanner        *scanner,
         const PsScanPass *pass,
         gpointer          data)
{
  Seen *seen = data;
  const PsFrame *frame = pass->frame;

  seen->calls++;
  g_array_set_size (seen->changes, 0);
  g_array_append_vals (seen->changes, pass->changes, pass->n_changes);
  seen->n_changed = frame->n_changed;
  seen->zero_hash = pass->zero_hash;
  g_clear_pointer (&seen->before, g_bytes_unref);
  g_clear_pointer (&seen->after, g_bytes_unref);
  if (pass->focus_before != NULL)
    {
      gsize at = pass->before_offset - frame->focus_offset;

      seen->before = g_bytes_new (pass->focus_before + at, pass->before_length);
      seen->after = g_bytes_new (frame->focus_bytes + at, pass->before_length);
      seen->before_offset = pass->before_offset;
    }
}

static void
seen_clear (Seen *seen)
{
  g_clear_pointer (&seen->changes, g_array_unref);
  g_clear_pointer (&seen->before, g_bytes_unref);
  g_clear_pointer (&seen->after, g_bytes_unref);
}

static PsScanner *
scanner_for (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);

  g_assert_no_error (error);
  return ps_scanner_new (source);
}

static void
write_at (const char *path,
          guint64     offset,
          const void *bytes,
          gsize       len)
{
  int fd = open (path, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, bytes, len, offset), ==, (ssize_t) len);
  close (fd);
}

/* Two pages written between two passes: exactly those, with the hash the
 * baseline had and a new one; the frame agrees. */
static void
test_changes (void)
{
  gsize page = ps_test_page_size ();
  g_autofree char *path = ps_test_file ("pass-changes", 16 * page, 'a');
  g_autoptr(PsScanner) scanner = scanner_for (path);
  Seen seen = { 0, g_array_new (FALSE, FALSE, sizeof (PsPageChange)) };
  guint64 baseline[16];
  PsFrame *frame;
  guint id;

  id = ps_scanner_add_pass_func (scanner, on_pass, &seen, NULL);
  frame = ps_scanner_scan_now (scanner);
  ps_frame_unref (frame);
  g_assert_cmpuint (seen.calls, ==, 1);
  g_assert_cmpuint (seen.changes->len, ==, 0);   /* the first sight is the baseline */

  write_at (path, 3 * page + 10, "X", 1);
  frame = ps_scanner_scan_now (scanner);
  ps_frame_unref (frame);
  g_assert_cmpuint (seen.changes->len, ==, 1);
  baseline[3] = g_array_index (seen.changes, PsPageChange, 0).old_hash;

  write_at (path, 7 * page, "Y", 1);
  write_at (path, 3 * page + 10, "a", 1);        /* page 3 as it first was */
  frame = ps_scanner_scan_now (scanner);
  ps_frame_unref (frame);
  g_assert_cmpuint (seen.calls, ==, 3);
  g_assert_cmpuint (seen.changes->len, ==, 2);
  g_assert_cmpuint (seen.n_changed, ==, 2);
  {
    PsPageChange *a = &g_array_index (seen.changes, PsPageChange, 0);
    PsPageChange *b = &g_array_index (seen.changes, PsPageChange, 1);

    g_assert_cmpuint (a->page, ==, 3);
    g_assert_cmpuint (a->new_hash, ==, baseline[3]);  /* back to what it was */
    g_assert_cmpuint (a->old_hash, !=, a->new_hash);
    g_assert_cmpuint (b->page, ==, 7);
    g_assert_cmpuint (b->old_hash, ==, baseline[3]);  /* pages 3 and 7 held the same bytes */
    g_assert_cmpuint (b->new_hash, !=, b->old_hash);
  }
  g_assert_cmpuint (seen.zero_hash, !=, 0);

  /* removed: never called again */
  ps_scanner_remove_pass_func (scanner, id);
  write_at (path, 9 * page, "Z", 1);
  frame = ps_scanner_scan_now (scanner);
  g_assert_cmpuint (frame->n_changed, ==, 1);
  ps_frame_unref (frame);
  g_assert_cmpuint (seen.calls, ==, 3);
  seen_clear (&seen);
}

/* The focus window's bytes before a pass are handed over, and where the
 * window moved, only the part the old one overlapped. */
static void
test_focus_before (void)
{
  gsize page = ps_test_page_size ();
  g_autofree char *path = ps_test_file ("pass-focus", 8 * page, 'b');
  g_autoptr(PsScanner) scanner = scanner_for (path);
  Seen seen = { 0, g_array_new (FALSE, FALSE, sizeof (PsPageChange)) };
  g_autofree guint8 *expect = g_malloc (page);
  PsFrame *frame;

  ps_scanner_add_pass_func (scanner, on_pass, &seen, NULL);
  ps_scanner_set_focus (scanner, 2 * page, page);
  frame = ps_scanner_scan_now (scanner);
  ps_frame_unref (frame);
  g_assert_null (seen.before);     /* a new window: nothing before it */

  write_at (path, 2 * page + 100, "hello", 5);
  frame = ps_scanner_scan_now (scanner);
  ps_frame_unref (frame);
  g_assert_nonnull (seen.before);
  g_assert_cmpuint (seen.before_offset, ==, 2 * page);
  memset (expect, 'b', page);
  g_assert_cmpmem (g_bytes_get_data (seen.before, NULL), g_bytes_get_size (seen.before), expect, page);
  memcpy (expect + 100, "hello", 5);
  g_assert_cmpmem (g_bytes_get_data (seen.after, NULL), g_bytes_get_size (seen.after), expect, page);

  /* moved half a page on: the half both windows hold is handed over */
  ps_scanner_set_focus (scanner, 2 * page + page / 2, page);
  write_at (path, 2 * page + page / 2, "!", 1);
  frame = ps_scanner_scan_now (scanner);
  ps_frame_unref (frame);
  g_assert_nonnull (seen.before);
  g_assert_cmpuint (seen.before_offset, ==, 2 * page + page / 2);
  g_assert_cmpuint (g_bytes_get_size (seen.before), ==, page / 2);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (seen.before, NULL))[0], ==, 'b');
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (seen.after, NULL))[0], ==, '!');
  g_object_unref (g_steal_pointer (&scanner));   /* its funcs go with it */
  seen_clear (&seen);
}

/* The running thread hands every pass over, and removing a func while it
 * runs waits for a call under way: none comes after. */
typedef struct
{
  gint calls;
  gint after_removal;
  gint removed;
} Counting;

static void
count_pass (PsScanner        *scanner,
            const PsScanPass *pass,
            gpointer          data)
{
  Counting *c = data;

  g_atomic_int_inc (&c->calls);
  if (g_atomic_int_get (&c->removed))
    g_atomic_int_inc (&c->after_removal);
}

static gboolean
counted (gpointer data)
{
  return g_atomic_int_get (&((Counting *) data)->calls) >= 5;
}

typedef struct
{
  PsScanner *scanner;
  guint64    serial;
} Passes;

static gboolean
passed (gpointer data)
{
  Passes *p = data;
  PsFrame *frame = ps_scanner_get_frame (p->scanner);

  return frame != NULL && frame->serial >= p->serial;
}

static void
test_thread_remove (void)
{
  gsize page = ps_test_page_size ();
  g_autofree char *path = ps_test_file ("pass-thread", 4 * page, 'c');
  g_autoptr(PsScanner) scanner = scanner_for (path);
  Counting c = { 0 };
  guint id;

  ps_scanner_set_interval (scanner, PS_SCANNER_MIN_INTERVAL_MS);
  ps_scanner_start (scanner);
  id = ps_scanner_add_pass_func (scanner, count_pass, &c, NULL);
  g_assert_true (ps_test_wait_until (counted, &c, 20000));
  ps_scanner_remove_pass_func (scanner, id);
  g_atomic_int_set (&c.removed, TRUE);
  {
    /* two more passes delivered: the thread ran on without calling it */
    Passes p = { scanner, 0 };

    g_assert_true (ps_test_wait_until (passed, &p, 20000));
    p.serial = ps_scanner_get_frame (scanner)->serial + 2;
    g_assert_true (ps_test_wait_until (passed, &p, 20000));
  }
  ps_scanner_stop (scanner);
  g_assert_cmpint (g_atomic_int_get (&c.after_removal), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scan-pass/changes", test_changes);
  g_test_add_func ("/scan-pass/focus-before", test_focus_before);
  g_test_add_func ("/scan-pass/thread-remove", test_thread_remove);
  return g_test_run ();
}
