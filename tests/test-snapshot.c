/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsSnapshot without a display: freeze a 1 GiB segment, let another
 * process change a few pages, and the diff shows exactly those, holding
 * about as much memory as what changed; save it, compare with a file. */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-scanner-private.h"
#include "ps-snapshot.h"
#include "ps-test-util.h"

#define SEGMENT (G_GUINT64_CONSTANT (1) << 30)
#define FIRST   1000     /* the three pages shown in the hex view */

typedef struct
{
  gsize       page;
  char       *name;
  int         fd;
  guint8     *map;       /* the test's own mapping: "another process" writes through it after fork */
  PsEventLog *log;
  PsSession  *session;
  char       *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = g_strdup_printf ("pagescope-test-%d-snap-XXXXXX", (int) getpid ());
  PsSourceSpec spec = { .kind = PS_SOURCE_POSIX };

  f->page = ps_test_page_size ();
  f->name = ps_test_posix_name ("snap");
  f->fd = shm_open (f->name, O_RDWR | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (f->fd, >=, 0);
  g_assert_cmpint (ftruncate (f->fd, SEGMENT), ==, 0);   /* sparse: nothing allocated */
  f->map = mmap (NULL, SEGMENT, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, f->fd, 0);
  g_assert_true (f->map != MAP_FAILED);
  f->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);

  f->log = ps_event_log_new ();
  f->session = ps_session_new (f->log);
  spec.name = f->name;
  g_assert_true (ps_session_open (f->session, &spec, &error));
  g_assert_no_error (error);
  ps_scanner_stop (ps_session_get_scanner (f->session));   /* passes by hand */
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  ps_session_close (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->log);
  munmap (f->map, SEGMENT);
  close (f->fd);
  shm_unlink (f->name);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->name);
}

static void
pass (Fixture *f)
{
  ps_frame_unref (ps_scanner_scan_now (ps_session_get_scanner (f->session)));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Another process writes: a child forked with the mapping. */
typedef struct
{
  guint8        *map;
  gsize          page;
  const guint64 *pages;
  guint          n;
  guint8         byte;
} Change;

static int
change_pages (gpointer data)
{
  Change *c = data;

  for (guint i = 0; i < c->n; i++)
    {
      guint8 *p = c->map + c->pages[i] * c->page;

      p[100] = c->byte;              /* row 6 */
      p[c->page - 1] = c->byte;      /* the last row */
    }
  return 0;
}

static void
another_process_changes (Fixture       *f,
                         const guint64 *pages,
                         guint          n,
                         guint8         byte)
{
  Change c = { f->map, f->page, pages, n, byte };
  int status = ps_test_reap (ps_test_fork (change_pages, &c), 20000);

  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}

/* The content of page p before the freeze: its number, over and over. */
static void
fill_page (Fixture *f,
           guint64  p)
{
  memset (f->map + p * f->page, (int) (p % 251) + 1, f->page);
}

static void
assert_pages (GArray        *pages,
              const guint64 *expect,
              guint          n)
{
  g_assert_cmpuint (pages->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (g_array_index (pages, guint64, i), ==, expect[i]);
}

/* Freeze, then another process changes 3 pages (on screen) of 1 GiB: the
 * diff shows exactly those 3, the process (not only the snapshot's own
 * count) grew by about 3 pages, the old bytes are those before, and only
 * the rows written count as changed. */
static void
test_three_pages (Fixture       *f,
                  gconstpointer  data)
{
  static const guint64 changed[] = { FIRST, FIRST + 1, FIRST + 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSnapshot) snap = NULL;
  g_autoptr(GArray) pages = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autofree guint8 *old = g_malloc (f->page);
  g_autofree guint8 *known = g_malloc (f->page);
  g_autofree guint8 *expect = g_malloc (f->page);
  guint8 o[16], n[16], flags[16];
  gsize before, grown, malloc_before, anon_before;
  gssize malloc_grown, anon_grown;

  for (guint i = 0; i < 3; i++)
    fill_page (f, changed[i]);
  fill_page (f, 5000);                         /* resident, never changed */
  ps_scanner_set_focus (ps_session_get_scanner (f->session), FIRST * f->page, 3 * f->page);
  pass (f);
  pass (f);                                    /* the frames' recycling in its stride */

  malloc_before = ps_test_malloc_in_use ();
  anon_before = ps_test_rss_anon ();
  snap = ps_snapshot_freeze (f->session, &error);
  g_assert_no_error (error);
  before = ps_snapshot_get_memory (snap);
  g_assert_cmpuint (before, <, f->page);       /* nothing copied at the freeze */
  pass (f);
  g_assert_cmpuint (ps_snapshot_get_n_changed (snap), ==, 0);

  another_process_changes (f, changed, 3, 0xee);
  pass (f);
  malloc_grown = (gssize) ps_test_malloc_in_use () - (gssize) malloc_before;
  anon_grown = (gssize) ps_test_rss_anon () - (gssize) anon_before;
  g_test_message ("process: malloc +%" G_GSSIZE_FORMAT " B, RssAnon +%" G_GSSIZE_FORMAT " B, for 3 pages of %" G_GSIZE_FORMAT " B",
                  malloc_grown, anon_grown, f->page);
#ifndef __SANITIZE_ADDRESS__
  /* the old bytes of 3 pages, their entries, the scanner's change list:
   * nothing that grows with the 1 GiB (a hash per page would be 2 MiB) */
  g_assert_cmpint (malloc_grown, >=, (gssize) (3 * f->page));
  g_assert_cmpint (malloc_grown, <=, (gssize) (3 * f->page + 16 * 1024));
  /* page-grained, and malloc may keep a freed chunk of up to 128 KiB */
  g_assert_cmpint (anon_grown, <=, (gssize) (3 * f->page + 256 * 1024));
#else
  /* AddressSanitizer's allocator: glibc's counts stay still, and freed
   * memory is held in quarantine */
  g_test_message ("AddressSanitizer: the process's growth is not measured");
#endif

  pages = ps_snapshot_get_changed_pages (snap);
  assert_pages (pages, changed, 3);
  g_assert_false (ps_snapshot_page_changed (snap, 5000));
  grown = ps_snapshot_get_memory (snap) - before;
  g_assert_cmpuint (grown, >=, 3 * f->page);
  g_assert_cmpuint (grown, <=, 3 * f->page + 512);

  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (ps_snapshot_get_old_bytes (snap, changed[i] * f->page, f->page, old, known));
      memset (expect, (int) (changed[i] % 251) + 1, f->page);
      g_assert_cmpmem (old, f->page, expect, f->page);
    }
  /* a row side by side: old and new, the written byte flagged */
  g_assert_true (ps_snapshot_diff_range (snap, FIRST * f->page + 96, 16, o, n, flags));
  g_assert_cmpint (o[4], ==, (FIRST % 251) + 1);
  g_assert_cmpint (n[4], ==, 0xee);
  g_assert_cmpint (flags[4], ==, PS_DIFF_OLD_KNOWN | PS_DIFF_CHANGED);
  g_assert_cmpint (flags[3], ==, PS_DIFF_OLD_KNOWN);
  /* "only the rows that changed": row 6 and the last */
  rows = ps_snapshot_get_changed_rows (snap, FIRST + 1, 16);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpuint (g_array_index (rows, guint64, 0), ==, (FIRST + 1) * f->page + 96);
  g_assert_cmpuint (g_array_index (rows, guint64, 1), ==, (FIRST + 2) * f->page - 16);
  g_clear_pointer (&rows, g_array_unref);
  rows = ps_snapshot_get_changed_rows (snap, 5000, 16);
  g_assert_cmpuint (rows->len, ==, 0);
}

/* Off screen, the snapshot knows a page changed but not what it held,
 * unless it held zeros; a page written back is no longer a difference. */
static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_changed (PsSnapshot *snap,
            gboolean   *seen)
{
  *seen = TRUE;
}

static void
test_off_screen (Fixture       *f,
                 gconstpointer  data)
{
  static const guint64 changed[] = { 5, 7 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSnapshot) snap = NULL;
  g_autoptr(GArray) pages = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autofree guint8 *old = g_malloc (f->page);
  g_autofree guint8 *known = g_malloc (f->page);
  guint8 o[16], n[16], flags[16];
  gboolean seen = FALSE;
  gsize before;

  fill_page (f, 7);
  pass (f);
  snap = ps_snapshot_freeze (f->session, &error);
  g_signal_connect (snap, "changed", G_CALLBACK (on_changed), &seen);
  before = ps_snapshot_get_memory (snap);
  another_process_changes (f, changed, 2, 0x55);
  pass (f);
  g_assert_true (ps_test_wait_until (flag_set, &seen, 10000));

  pages = ps_snapshot_get_changed_pages (snap);
  assert_pages (pages, changed, 2);
  g_assert_cmpuint (ps_snapshot_get_memory (snap) - before, <, f->page);
  /* page 5 was a hole: its old bytes are zeros */
  g_assert_true (ps_snapshot_get_old_bytes (snap, 5 * f->page, f->page, old, known));
  g_assert_cmpint (old[100], ==, 0);
  /* page 7 was not on screen: changed, old bytes unknown */
  g_assert_false (ps_snapshot_get_old_bytes (snap, 7 * f->page, f->page, old, known));
  g_assert_cmpint (known[0], ==, 0);
  ps_snapshot_diff_range (snap, 7 * f->page, 16, o, n, flags);
  g_assert_cmpint (flags[0], ==, PS_DIFF_CHANGED);
  /* which rows changed is not known: none is listed, the bytes are counted */
  rows = ps_snapshot_get_changed_rows (snap, 7, 16);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpuint (ps_snapshot_get_unknown_bytes (snap, 7), ==, f->page);
  g_assert_cmpuint (ps_snapshot_get_unknown_bytes (snap, 5), ==, 0);      /* zeros: known */

  /* page 7 as it was: no longer different */
  seen = FALSE;
  fill_page (f, 7);
  pass (f);
  g_assert_true (ps_test_wait_until (flag_set, &seen, 10000));
  g_assert_false (ps_snapshot_page_changed (snap, 7));
  g_assert_cmpuint (ps_snapshot_get_n_changed (snap), ==, 1);
}

/* A page half in the focus window when it changed: the rows of that half
 * that changed are listed, the other half's bytes are counted as not kept
 * (no row for them: which changed is not known). */
static void
test_partly_kept (Fixture       *f,
                  gconstpointer  data)
{
  static const guint64 changed[] = { FIRST, FIRST + 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSnapshot) snap = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autofree guint8 *old = g_malloc (f->page);
  g_autofree guint8 *known = g_malloc (f->page);
  gsize half = f->page / 2;

  fill_page (f, FIRST);
  fill_page (f, FIRST + 1);
  /* the second half of FIRST and the first half of FIRST + 1 */
  ps_scanner_set_focus (ps_session_get_scanner (f->session), FIRST * f->page + half, f->page);
  pass (f);
  snap = ps_snapshot_freeze (f->session, &error);
  g_assert_no_error (error);
  another_process_changes (f, changed, 2, 0xab);   /* bytes 100 and page - 1 of each */
  pass (f);
  g_assert_cmpuint (ps_snapshot_get_n_changed (snap), ==, 2);

  /* FIRST: byte 100 off screen (not kept), the last byte kept */
  rows = ps_snapshot_get_changed_rows (snap, FIRST, 16);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (g_array_index (rows, guint64, 0), ==, (FIRST + 1) * f->page - 16);
  g_assert_cmpuint (ps_snapshot_get_unknown_bytes (snap, FIRST), ==, half);
  g_assert_false (ps_snapshot_get_old_bytes (snap, FIRST * f->page, f->page, old, known));
  g_assert_cmpint (known[100], ==, 0);
  g_assert_cmpint (known[f->page - 1], ==, 1);
  g_assert_cmpint (old[f->page - 1], ==, (FIRST % 251) + 1);
  g_clear_pointer (&rows, g_array_unref);

  /* FIRST + 1: byte 100 kept, the last one not */
  rows = ps_snapshot_get_changed_rows (snap, FIRST + 1, 16);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (g_array_index (rows, guint64, 0), ==, (FIRST + 1) * f->page + 96);
  g_assert_cmpuint (ps_snapshot_get_unknown_bytes (snap, FIRST + 1), ==, half);
  /* a page that did not change has none */
  g_assert_cmpuint (ps_snapshot_get_unknown_bytes (snap, FIRST + 2), ==, 0);
}

/* ---- the freeze and the pass under way ----
 *
 * The scanner is held in the middle of a pass, after the focus window
 * (page HELD_FOCUS, written just before) and before the page WRITTEN_AFTER
 * that the test writes once the freeze returned. A freeze that started
 * following the scanner at once would either miss that write (the pass
 * under way hashes it, and the passes after see nothing new) or, when
 * someone else listens to the passes already, count the focus page written
 * before the freeze as changed after it. The hold lets go when the freeze
 * asks for its sweep (or when the test says so). */
#define HELD_FOCUS     10
#define WRITTEN_AFTER  100

typedef struct
{
  GMutex     lock;
  GCond      cond;
  PsScanner *scanner;
  gboolean   armed;
  gboolean   held;
  gboolean   released;
  gboolean   through_sweep;   /* held even when a sweep is asked (till a stop) */
} Hold;

static void
hold_hook (PsScanner *scanner,
           guint64    pages_hashed,
           gpointer   data)
{
  Hold *h = data;

  g_mutex_lock (&h->lock);
  if (h->armed)
    {
      h->armed = FALSE;
      h->held = TRUE;
      g_cond_broadcast (&h->cond);
      /* polled: the sweep's request has no signal of its own */
      while (!h->released && !ps_scanner_stop_requested (scanner) &&
             (h->through_sweep || !ps_scanner_sweep_pending (scanner)))
        g_cond_wait_until (&h->cond, &h->lock, g_get_monotonic_time () + 2 * G_TIME_SPAN_MILLISECOND);
    }
  g_mutex_unlock (&h->lock);
}

static gboolean
is_held (gpointer data)
{
  Hold *h = data;
  gboolean held;

  g_mutex_lock (&h->lock);
  held = h->held;
  g_mutex_unlock (&h->lock);
  return held;
}

static void
no_op_pass (PsScanner        *scanner,
            const PsScanPass *pass,
            gpointer          data)
{
}

typedef struct
{
  PsSnapshot *snap;
  guint64     page;
} PageWait;

static gboolean
page_differs (gpointer data)
{
  PageWait *w = data;

  return ps_snapshot_page_changed (w->snap, w->page);
}

static void
test_freeze_mid_pass (Fixture       *f,
                      gconstpointer  data)
{
  gboolean listened = GPOINTER_TO_INT (data);
  PsScanner *scanner = ps_session_get_scanner (f->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSnapshot) snap = NULL;
  Hold hold = { .scanner = scanner };
  PageWait wait;
  guint listener = 0;

  g_mutex_init (&hold.lock);
  g_cond_init (&hold.cond);
  fill_page (f, HELD_FOCUS);
  fill_page (f, WRITTEN_AFTER);
  ps_scanner_set_focus (scanner, HELD_FOCUS * f->page, f->page);
  pass (f);                                        /* every page's baseline */
  if (listened)
    listener = ps_scanner_add_pass_func (scanner, no_op_pass, NULL, NULL);
  ps_scanner_set_slice_hook (scanner, hold_hook, &hold);

  /* the focus page changes before the freeze; the pass that finds it is
   * held right after the focus, WRITTEN_AFTER not hashed yet */
  memset (f->map + HELD_FOCUS * f->page, 0x31, 64);
  g_mutex_lock (&hold.lock);
  hold.armed = TRUE;
  g_mutex_unlock (&hold.lock);
  ps_scanner_start (scanner);
  g_assert_true (ps_test_wait_until (is_held, &hold, 20000));

  snap = ps_snapshot_freeze (f->session, &error);
  g_assert_no_error (error);
  memset (f->map + WRITTEN_AFTER * f->page, 0x42, 64);   /* after the freeze returned */
  g_mutex_lock (&hold.lock);
  hold.released = TRUE;
  g_cond_broadcast (&hold.cond);
  g_mutex_unlock (&hold.lock);

  wait = (PageWait) { snap, WRITTEN_AFTER };
  g_assert_true (ps_test_wait_until (page_differs, &wait, 30000));
  g_assert_false (ps_snapshot_page_changed (snap, HELD_FOCUS));
  g_assert_cmpuint (ps_snapshot_get_n_changed (snap), ==, 1);

  ps_scanner_stop (scanner);
  ps_scanner_set_slice_hook (scanner, NULL, NULL);
  if (listener != 0)
    ps_scanner_remove_pass_func (scanner, listener);
  g_mutex_clear (&hold.lock);
  g_cond_clear (&hold.cond);
}

/* The async freeze: done once the scanner swept, and refused when the
 * scanner stops first. */
static void
on_frozen (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  GError *error = NULL;
  PsSnapshot **out = data;

  *out = ps_snapshot_freeze_finish (result, &error);
  if (*out == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
      *out = (PsSnapshot *) GINT_TO_POINTER (1);
      g_error_free (error);
    }
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static void
test_freeze_async (Fixture       *f,
                   gconstpointer  data)
{
  PsScanner *scanner = ps_session_get_scanner (f->session);
  PsSnapshot *snap = NULL;
  PageWait wait;
  Hold hold = { .scanner = scanner };

  /* running: the snapshot comes after a sweep, and follows from then */
  fill_page (f, WRITTEN_AFTER);
  ps_scanner_start (scanner);
  ps_snapshot_freeze_async (f->session, NULL, on_frozen, &snap);
  g_assert_true (ps_test_wait_until (pointer_set, &snap, 30000));
  g_assert_true (PS_IS_SNAPSHOT (snap));
  memset (f->map + WRITTEN_AFTER * f->page, 0x42, 64);
  wait = (PageWait) { snap, WRITTEN_AFTER };
  g_assert_true (ps_test_wait_until (page_differs, &wait, 30000));
  g_clear_object (&snap);

  /* the scanner stops while the freeze waits for its sweep: refused */
  ps_scanner_stop (scanner);
  g_mutex_init (&hold.lock);
  g_cond_init (&hold.cond);
  ps_scanner_set_slice_hook (scanner, hold_hook, &hold);
  hold.armed = TRUE;
  hold.through_sweep = TRUE;
  ps_scanner_start (scanner);
  g_assert_true (ps_test_wait_until (is_held, &hold, 20000));
  ps_snapshot_freeze_async (f->session, NULL, on_frozen, &snap);
  g_assert_true (ps_scanner_sweep_pending (scanner));
  ps_scanner_stop (scanner);
  g_assert_true (ps_test_wait_until (pointer_set, &snap, 30000));
  g_assert_true (snap == GINT_TO_POINTER (1));      /* G_IO_ERROR_CLOSED */
  ps_scanner_set_slice_hook (scanner, NULL, NULL);
  g_mutex_clear (&hold.lock);
  g_cond_clear (&hold.cond);
}

/* Saved, the snapshot is the segment as it was; a mapping compared with
 * that file differs in the pages that changed since, whose old bytes come
 * from the file; a file of another size is refused. */
static void
test_save_compare (Fixture       *f,
                   gconstpointer  data)
{
  static const guint64 changed[] = { FIRST, FIRST + 2 };
  g_autofree char *saved = g_build_filename (f->dir, "frozen.bin", NULL);
  g_autofree char *small = g_build_filename (f->dir, "small.bin", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSnapshot) snap = NULL;
  g_autoptr(PsSnapshot) cmp = NULL;
  g_autoptr(GArray) pages = NULL;
  guint8 old[16], known[16];
  guint64 unknown = 1;
  struct stat st;
  int fd;
  guint8 byte;

  fill_page (f, FIRST);
  fill_page (f, FIRST + 2);
  ps_scanner_set_focus (ps_session_get_scanner (f->session), FIRST * f->page, 3 * f->page);
  pass (f);
  snap = ps_snapshot_freeze (f->session, &error);
  another_process_changes (f, changed, 2, 0x77);
  pass (f);

  g_assert_true (ps_snapshot_save (snap, saved, &unknown, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (unknown, ==, 0);
  g_assert_cmpint (stat (saved, &st), ==, 0);
  g_assert_cmpuint (st.st_size, ==, SEGMENT);
  g_assert_cmpuint ((guint64) st.st_blocks * 512, <=, 64 * f->page);   /* sparse, as the segment */
  fd = open (saved, O_RDONLY);
  g_assert_cmpint (pread (fd, &byte, 1, FIRST * f->page + 100), ==, 1);
  g_assert_cmpint (byte, ==, (FIRST % 251) + 1);                        /* as it was */
  close (fd);
  /* saving again over it is refused */
  g_assert_false (ps_snapshot_save (snap, saved, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  cmp = ps_snapshot_compare_file (f->session, saved, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_snapshot_get_kind (cmp), ==, PS_SNAPSHOT_FILE);
  pages = ps_snapshot_get_changed_pages (cmp);
  assert_pages (pages, changed, 2);
  g_assert_true (ps_snapshot_get_old_bytes (cmp, FIRST * f->page + 96, 16, old, known));
  g_assert_cmpint (old[4], ==, (FIRST % 251) + 1);
  /* the scanner keeps it current: one page written back */
  fill_page (f, FIRST);
  pass (f);
  g_assert_false (ps_snapshot_page_changed (cmp, FIRST));
  g_assert_true (ps_snapshot_page_changed (cmp, FIRST + 2));

  g_assert_true (g_file_set_contents (small, "short", -1, NULL));
  g_assert_null (ps_snapshot_compare_file (f->session, small, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  ps_assert_contains (error->message, "5 bytes");
  ps_assert_contains (error->message, "1073741824");
}

/* A private mapping against its own file: the pages this process wrote. */
static void
test_private_vs_file (void)
{
  gsize page = ps_test_page_size ();
  g_autofree char *path = ps_test_file ("snap-private", 8 * page, 'p');
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSession) session = ps_session_new (log);
  g_autoptr(PsSnapshot) cmp = NULL;
  g_autoptr(GArray) pages = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("PRIVATE", 7);
  g_autoptr(GError) error = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_FILE, .path = path, .flags = PS_MAP_PRIVATE | PS_MAP_WRITABLE };
  guint8 o[7], n[7], flags[7];

  g_assert_true (ps_session_open (session, &spec, &error));
  ps_scanner_stop (ps_session_get_scanner (session));
  g_assert_true (ps_session_write (session, 3 * page + 1, bytes, NULL, &error));
  g_assert_no_error (error);

  cmp = ps_snapshot_compare_file (session, path, NULL, &error);
  g_assert_no_error (error);
  pages = ps_snapshot_get_changed_pages (cmp);
  g_assert_cmpuint (pages->len, ==, 1);
  g_assert_cmpuint (g_array_index (pages, guint64, 0), ==, 3);
  g_assert_true (ps_snapshot_diff_range (cmp, 3 * page + 1, 7, o, n, flags));
  g_assert_cmpmem (o, 7, "ppppppp", 7);
  g_assert_cmpmem (n, 7, "PRIVATE", 7);
  ps_session_close (session);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/snapshot/three-pages", test_three_pages);
  ADD ("/snapshot/off-screen", test_off_screen);
  ADD ("/snapshot/partly-kept", test_partly_kept);
  g_test_add ("/snapshot/freeze-mid-pass", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_freeze_mid_pass, fixture_teardown);
  g_test_add ("/snapshot/freeze-mid-pass-listened", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_freeze_mid_pass, fixture_teardown);
  ADD ("/snapshot/freeze-async", test_freeze_async);
  ADD ("/snapshot/save-compare", test_save_compare);
  g_test_add_func ("/snapshot/private-vs-file", test_private_vs_file);
  return g_test_run ();
}
