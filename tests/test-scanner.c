/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-scanner-private.h"
#include "ps-test-util.h"

static gsize PAGE;

/* ---- a child writes random bytes; the scanner finds exactly those pages ---- */

typedef struct
{
  guint8  *base;
  gsize    n_pages;
  int      cmd_fd;    /* parent -> child: go */
  int      ack_fd;    /* child -> parent: the offsets written */
  int      close_fds[2];   /* the parent's ends */
  guint32  seed;
} RandomWriter;

#define WRITES_PER_ROUND 40

static int
random_writer_main (gpointer data)
{
  RandomWriter *w = data;
  guint64 state = w->seed | 1;
  char go;

  close (w->close_fds[0]);
  close (w->close_fds[1]);
  /* each round: wait for "go", write, report offsets */
  while (read (w->cmd_fd, &go, 1) == 1 && go == 'g')
    {
      guint64 offsets[WRITES_PER_ROUND];

      for (int i = 0; i < WRITES_PER_ROUND; i++)
        {
          guint64 off;
          guint8 old, value;

          state ^= state << 13, state ^= state >> 7, state ^= state << 17;
          off = state % (w->n_pages * PAGE);
          old = w->base[off];
          value = (guint8) (old + 1 + (state >> 32) % 255);   /* always different */
          w->base[off] = value;
          offsets[i] = off;
        }
      if (write (w->ack_fd, offsets, sizeof offsets) != sizeof offsets)
        return 1;
    }
  return 0;
}

static void
test_random_writes_found (void)
{
  const gsize n_pages = 256;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsFrame) first = NULL;
  int cmd[2], ack[2];
  RandomWriter w;
  pid_t pid;
  gint64 last_pass_us;

  source = ps_source_new_anon (n_pages * PAGE, NULL, &error);
  g_assert_no_error (error);
  scanner = ps_scanner_new (source);
  /* the focus window: 16 pages in the middle */
  ps_scanner_set_focus (scanner, 100 * PAGE, 16 * PAGE);
  first = ps_scanner_scan_now (scanner);
  g_assert_cmpuint (first->n_changed, ==, 0);
  last_pass_us = first->time_us;

  g_assert_cmpint (pipe (cmd), ==, 0);
  g_assert_cmpint (pipe (ack), ==, 0);
  w = (RandomWriter) { ps_source_get_data (source), n_pages, cmd[0], ack[1], { cmd[1], ack[0] }, g_test_rand_int () };
  pid = ps_test_fork (random_writer_main, &w);
  close (cmd[0]);
  close (ack[1]);

  for (int round = 0; round < 20; round++)
    {
      guint64 offsets[WRITES_PER_ROUND];
      g_autofree gboolean *dirty = g_new0 (gboolean, n_pages);
      g_autoptr(PsFrame) f1 = NULL;
      g_autoptr(PsFrame) f2 = NULL;
      guint64 expected = 0;
      guint32 stamp;

      g_assert_cmpint (write (cmd[1], "g", 1), ==, 1);
      g_assert_cmpint (read (ack[0], offsets, sizeof offsets), ==, sizeof offsets);
      for (int i = 0; i < WRITES_PER_ROUND; i++)
        dirty[offsets[i] / PAGE] = TRUE;
      for (gsize p = 0; p < n_pages; p++)
        expected += dirty[p];

      /* change times are in milliseconds: this round's must differ from the
       * last round's, so let the clock pass a millisecond since that pass */
      while (g_get_monotonic_time () <= last_pass_us + 1000)
        g_usleep (100);

      /* within 2 passes: here one pass already sees everything */
      f1 = ps_scanner_scan_now (scanner);
      f2 = ps_scanner_scan_now (scanner);
      g_assert_cmpuint (f1->n_changed, ==, expected);
      g_assert_cmpuint (f2->n_changed, ==, 0);
      last_pass_us = f2->time_us;
      stamp = ps_frame_page (f1, offsets[0] / PAGE)->last_change_ms;
      for (gsize p = 0; p < n_pages; p++)
        {
          if (dirty[p])
            g_assert_cmpuint (ps_frame_page (f1, p)->last_change_ms, ==, stamp);
          else
            g_assert_true (ps_frame_page (f1, p)->last_change_ms == 0 || ps_frame_page (f1, p)->last_change_ms < stamp);
        }

      /* focus bytes: exactly the written offsets inside the window got this pass's stamp */
      for (gsize i = 0; i < f1->focus_length; i++)
        {
          guint64 off = f1->focus_offset + i;
          gboolean written = FALSE;

          for (int k = 0; k < WRITES_PER_ROUND; k++)
            written |= offsets[k] == off;
          g_assert_cmpint (f1->focus_bytes[i], ==, ps_source_get_data (source)[off]);
          if (written)
            g_assert_cmpuint (f1->focus_change_ms[i], ==, stamp);
          else
            g_assert_cmpuint (f1->focus_change_ms[i], !=, stamp);
        }
    }

  close (cmd[1]);
  g_assert_true (WIFEXITED (ps_test_reap (pid, 5000)));
  close (ack[0]);
}

/* ---- the threaded scanner delivers frames to the main context ---- */

typedef struct
{
  PsScanner *scanner;
  guint      frames;
  guint64    changed;
  guint      sweeps;
  gboolean   wrong_thread;
  GThread   *main_thread;
} FrameWatch;

static void
on_frame (PsScanner  *scanner,
          GParamSpec *pspec,
          FrameWatch *watch)
{
  PsFrame *frame = ps_scanner_get_frame (scanner);

  watch->frames++;
  watch->wrong_thread |= g_thread_self () != watch->main_thread;
  if (frame != NULL)
    {
      watch->changed += frame->n_changed;
      watch->sweeps += (frame->flags & PS_FRAME_SWEEP_DONE) != 0;
    }
}

static gboolean
got_sweep (gpointer data)
{
  return ((FrameWatch *) data)->sweeps >= 1;
}

static gboolean
got_change (gpointer data)
{
  return ((FrameWatch *) data)->changed > 0;
}

static gboolean
got_two_changes (gpointer data)
{
  return ((FrameWatch *) data)->changed >= 2;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
got_frames (gpointer data)
{
  return ((FrameWatch *) data)->frames >= 3;
}

static void
test_thread_delivers (void)
{
  g_autoptr(PsSource) source = ps_source_new_anon (64 * PAGE, NULL, NULL);
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  FrameWatch watch = { scanner, 0, 0, 0, FALSE, g_thread_self () };
  gint64 t0;

  g_signal_connect (scanner, "notify::frame", G_CALLBACK (on_frame), &watch);
  ps_scanner_set_interval (scanner, 10);
  ps_scanner_start (scanner);
  g_assert_true (ps_test_wait_until (got_frames, &watch, 5000));
  g_assert_cmpuint (watch.changed, ==, 0);

  ps_source_get_data (source)[5 * PAGE + 7] = 0x42;
  g_assert_true (ps_test_wait_until (got_change, &watch, 5000));
  g_assert_false (watch.wrong_thread);
  g_assert_cmpuint (ps_frame_page (ps_scanner_get_frame (scanner), 5)->changes + watch.changed, >=, 2);

  /* stop joins within one interval, even a long one */
  ps_scanner_set_interval (scanner, 10000);
  t0 = g_get_monotonic_time ();
  ps_scanner_stop (scanner);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 10000 * 1000);
  g_assert_false (ps_scanner_is_running (scanner));
}

static void
test_interval_and_pause (void)
{
  g_autoptr(PsSource) source = ps_source_new_anon (4 * PAGE, NULL, NULL);
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  FrameWatch watch = { scanner, 0, 0, 0, FALSE, g_thread_self () };
  guint frames_when_paused;

  ps_scanner_set_interval (scanner, 1);
  g_assert_cmpuint (ps_scanner_get_interval (scanner), ==, PS_SCANNER_MIN_INTERVAL_MS);
  ps_scanner_set_interval (scanner, 60000);
  g_assert_cmpuint (ps_scanner_get_interval (scanner), ==, PS_SCANNER_MAX_INTERVAL_MS);
  ps_scanner_set_interval (scanner, 10);

  g_signal_connect (scanner, "notify::frame", G_CALLBACK (on_frame), &watch);
  ps_scanner_start (scanner);
  g_assert_true (ps_test_wait_until (got_frames, &watch, 5000));

  ps_scanner_set_paused (scanner, TRUE);
  g_assert_true (ps_scanner_get_paused (scanner));
  /* let a pass that was under way land (a pass here takes microseconds),
   * then nothing more may come */
  ps_test_wait_until (never, NULL, 100);
  frames_when_paused = watch.frames;
  ps_source_get_data (source)[0] = 1;
  g_assert_false (ps_test_wait_until (got_change, &watch, 300));
  g_assert_cmpuint (watch.frames, ==, frames_when_paused);

  ps_scanner_set_paused (scanner, FALSE);
  g_assert_true (ps_test_wait_until (got_change, &watch, 5000));
  ps_scanner_stop (scanner);
}

/* ---- 1000 truncate/extend cycles by another process ---- */

typedef struct
{
  const char *path;
  int         cycles;
} Truncator;

static int
truncator_main (gpointer data)
{
  Truncator *t = data;
  int fd = open (t->path, O_RDWR);

  if (fd < 0)
    return 1;
  for (int i = 0; i < t->cycles; i++)
    {
      if (ftruncate (fd, 100) != 0 || ftruncate (fd, 64 * PAGE) != 0)
        return 2;
      /* write into the regrown pages, so the scanner has something to read */
      if (pwrite (fd, "x", 1, (i % 64) * PAGE) != 1)
        return 3;
    }
  close (fd);
  return 0;
}

static void
test_truncate_cycles (void)
{
  g_autofree char *path = ps_test_file ("trunc", 64 * PAGE, 'a');
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  Truncator t = { path, 1000 };
  guint sizes_small = 0, sizes_full = 0, sigbus = 0, passes = 0;
  int status = 0;
  pid_t pid;

  source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  scanner = ps_scanner_new (source);
  ps_scanner_set_focus (scanner, 0, 64 * PAGE);

  pid = ps_test_fork (truncator_main, &t);
  while (waitpid (pid, &status, WNOHANG) == 0)
    {
      g_autoptr(PsFrame) frame = ps_scanner_scan_now (scanner);

      passes++;
      g_assert_cmpuint (frame->n_pages, ==, 64);
      if (frame->geometry.object_size == 100)
        {
          sizes_small++;
          g_assert_true (frame->flags & PS_FRAME_SHRANK);
          g_assert_cmpuint (frame->geometry.n_inside, ==, 1);
          g_assert_cmpint (ps_frame_page_state (frame, 1), ==, PS_PAGE_PAST_EOF);
        }
      else
        sizes_full++;
      sigbus += (frame->flags & PS_FRAME_SIGBUS) != 0;
    }
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_test_message ("%u passes during 1000 cycles: %u saw 100 bytes, %u the full size, %u caught SIGBUS",
                  passes, sizes_small, sizes_full, sigbus);

  /* after the storm: the frame tracks the final size */
  {
    g_autoptr(PsFrame) frame = ps_scanner_scan_now (scanner);
    g_assert_cmpuint (frame->geometry.object_size, ==, 64 * PAGE);
    g_assert_false (frame->flags & PS_FRAME_SIGBUS);
  }
}

/* The thread survives SIGBUS too (its own sigjmp_buf, savemask 1). */
static void
test_truncate_threaded (void)
{
  g_autofree char *path = ps_test_file ("trunc-thread", 64 * PAGE, 'b');
  g_autoptr(PsSource) source = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, NULL);
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  Truncator t = { path, 1000 };
  int status = 0;
  pid_t pid;

  ps_scanner_set_interval (scanner, 10);
  ps_scanner_set_budget (scanner, 1.0);
  ps_scanner_set_focus (scanner, 0, 64 * PAGE);
  ps_scanner_start (scanner);
  pid = ps_test_fork (truncator_main, &t);
  while (waitpid (pid, &status, WNOHANG) == 0)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  ps_scanner_stop (scanner);
}

/* ---- a sparse segment stays sparse ---- */

static void
test_sparse_stays_sparse (void)
{
  g_autofree char *name = ps_test_posix_name ("sparse");
  const guint64 size = 256 * 1024 * 1024;   /* 65536 pages */
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  guint64 before, after;
  guint8 *data;
  guint written = 0;

  source = ps_test_create_posix (name, size, 0600, NULL);
  data = ps_source_get_data (source);
  for (guint64 p = 0; p < size / PAGE; p += 100)
    data[p * PAGE + 11] = 0x5a, written++;
  before = ps_test_allocated (ps_source_get_fd (source));
  g_assert_cmpuint (before, ==, (guint64) written * PAGE);

  scanner = ps_scanner_new (source);
  ps_scanner_set_focus (scanner, 0, 64 * PAGE);   /* a window over holes too */
  for (int i = 0; i < 100; i++)
    {
      g_autoptr(PsFrame) frame = ps_scanner_scan_now (scanner);

      g_assert_cmpuint (frame->n_resident, ==, written);
      g_assert_cmpuint (frame->n_absent, ==, size / PAGE - written);
      if (i == 1)
        {
          g_assert_cmpint (ps_frame_page (frame, 100)->content, ==, PS_CONTENT_BINARY);
          g_assert_cmpint (ps_frame_page (frame, 101)->content, ==, PS_CONTENT_ZERO);
        }
    }
  after = ps_test_allocated (ps_source_get_fd (source));
  g_assert_cmpuint (after, ==, before);

  /* a first write to a hole is a change */
  {
    g_autoptr(PsFrame) frame = NULL;
    data[101 * PAGE] = 1;
    frame = ps_scanner_scan_now (scanner);
    g_assert_cmpuint (frame->n_changed, ==, 1);
    g_assert_cmpuint (ps_frame_page (frame, 101)->changes, ==, 1);
  }
}

/* ---- removal while scanning ---- */

static void
test_sysv_removed (void)
{
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsFrame) before = NULL;

  source = ps_test_create_sysv (ps_test_sysv_key (1), 16 * PAGE, 0600, NULL);
  scanner = ps_scanner_new (source);
  before = ps_scanner_scan_now (scanner);
  g_assert_false (before->flags & PS_FRAME_REMOVED);

  g_assert_true (ps_source_remove (source, &error));
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(PsFrame) frame = NULL;

      ps_source_get_data (source)[i * PAGE] = 9;
      frame = ps_scanner_scan_now (scanner);
      g_assert_true (frame->flags & PS_FRAME_REMOVED);
      g_assert_cmpuint (frame->n_changed, ==, 1);
    }
}

static void
test_posix_unlinked (void)
{
  g_autofree char *name = ps_test_posix_name ("unlinked");
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsFrame) before = NULL;

  source = ps_test_create_posix (name, 16 * PAGE, 0600, NULL);
  scanner = ps_scanner_new (source);
  before = ps_scanner_scan_now (scanner);
  g_assert_false (before->flags & PS_FRAME_REMOVED);

  g_assert_true (ps_source_remove (source, &error));
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(PsFrame) frame = NULL;

      ps_source_get_data (source)[i * PAGE] = 9;
      frame = ps_scanner_scan_now (scanner);
      g_assert_true (frame->flags & PS_FRAME_REMOVED);
      g_assert_cmpuint (frame->n_changed, ==, 1);
    }
}

/* ---- copy-on-write ---- */

static void
test_private_copy (void)
{
  g_autofree char *path = ps_test_file ("cow", 8 * PAGE, 'c');
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsFrame) before = NULL;
  g_autoptr(PsFrame) after = NULL;
  guint8 byte = 'Z';

  source = ps_source_open_file (path, PS_MAP_PRIVATE | PS_MAP_WRITABLE, 0, 0, NULL, &error);
  g_assert_no_error (error);
  scanner = ps_scanner_new (source);
  /* touch every page for reading: present, still file pages */
  for (int p = 0; p < 8; p++)
    g_assert_cmpint (((volatile guint8 *) ps_source_get_data (source))[p * PAGE], ==, 'c');
  before = ps_scanner_scan_now (scanner);
  g_assert_cmpuint (before->n_private_copies, ==, 0);

  g_assert_true (ps_source_write (source, 3 * PAGE + 5, &byte, 1, NULL, &error));
  after = ps_scanner_scan_now (scanner);
  g_assert_cmpuint (after->n_private_copies, ==, 1);
  g_assert_true (ps_frame_page (after, 3)->state & PS_PAGE_PRIVATE_COPY);
  g_assert_cmpuint (after->n_changed, ==, 1);
  g_assert_cmpuint (ps_frame_page (after, 3)->changes, ==, 1);
}

/* ---- content classes ---- */

static void
test_content_classes (void)
{
  g_autoptr(PsSource) source = ps_source_new_anon (4 * PAGE, NULL, NULL);
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(PsFrame) frame = NULL;
  guint8 *d = ps_source_get_data (source);

  for (gsize i = 0; i < PAGE; i++)
    {
      d[PAGE + i] = "The quick brown fox jumps over the lazy dog.\n"[i % 45];
      d[2 * PAGE + i] = (i % 8 == 0) ? (guint8) i : 0;
      d[3 * PAGE + i] = (guint8) g_rand_int (rand);
    }
  frame = ps_scanner_scan_now (scanner);
  /* page 0 is a hole: zero, never read */
  g_assert_cmpint (ps_frame_page_state (frame, 0), ==, PS_PAGE_ABSENT);
  g_assert_cmpint (ps_frame_page (frame, 0)->content, ==, PS_CONTENT_ZERO);
  g_assert_cmpint (ps_frame_page (frame, 1)->content, ==, PS_CONTENT_TEXT);
  g_assert_cmpint (ps_frame_page (frame, 2)->content, ==, PS_CONTENT_BINARY);
  g_assert_cmpint (ps_frame_page (frame, 3)->content, ==, PS_CONTENT_ENTROPY);
}

/* ---- budget: a large object is scanned in slices ---- */

static void
test_slices_cover_everything (void)
{
  g_autoptr(PsSource) source = ps_source_new_anon (16 * 1024 * PAGE, NULL, NULL);   /* 64 MiB */
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  FrameWatch watch = { scanner, 0, 0, 0, FALSE, g_thread_self () };
  guint8 *d = ps_source_get_data (source);

  memset (d, 1, 16 * 1024 * PAGE);
  ps_scanner_set_interval (scanner, 10);
  ps_scanner_set_budget (scanner, 0.05);
  g_signal_connect (scanner, "notify::frame", G_CALLBACK (on_frame), &watch);
  ps_scanner_start (scanner);
  /* a first sweep, in slices, is the baseline */
  g_assert_true (ps_test_wait_until (got_sweep, &watch, 60000));
  g_assert_cmpuint (watch.frames, >, 2);
  /* change the last page and the first: both are found, in slices */
  d[0] = 2;
  d[16 * 1024 * PAGE - 1] = 2;
  watch.changed = 0;
  g_assert_true (ps_test_wait_until (got_two_changes, &watch, 60000));
  g_assert_cmpuint (watch.changed, ==, 2);
  g_assert_cmpuint (ps_scanner_get_frame (scanner)->interval_ms, >=, 10);
  ps_scanner_stop (scanner);
}

/* A pass in slices asks the residency of the pages it hashes, not of the
 * whole object; the others keep their last sweep's. Pages freed since then
 * (holes punched) are asked again before they are read: never refilled. */
static void
test_slices_ask_before_reading (void)
{
  g_autofree char *name = ps_test_posix_name ("slices");
  const guint64 size = 64 * 1024 * 1024;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  FrameWatch watch = { NULL, 0, 0, 0, FALSE, g_thread_self () };
  guint8 *data;
  PsFrame *frame;

  source = ps_test_create_posix (name, size, 0600, NULL);
  data = ps_source_get_data (source);
  for (guint64 off = 0; off < size; off += PAGE)
    data[off] = 1;
  scanner = ps_scanner_new (source);
  watch.scanner = scanner;
  ps_scanner_set_interval (scanner, 10);
  ps_scanner_set_budget (scanner, 0.02);
  g_signal_connect (scanner, "notify::frame", G_CALLBACK (on_frame), &watch);
  ps_scanner_start (scanner);
  g_assert_true (ps_test_wait_until (got_sweep, &watch, 60000));
  frame = ps_scanner_get_frame (scanner);
  g_assert_false (frame->flags & PS_FRAME_SWEEP_DONE && watch.frames == 1);   /* in slices */
  g_assert_cmpuint (frame->n_resident, ==, size / PAGE);

  /* every page freed behind the scanner's back */
  g_assert_cmpint (fallocate (ps_source_get_fd (source), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, size), ==, 0);
  g_assert_cmpuint (ps_test_allocated (ps_source_get_fd (source)), ==, 0);
  watch.sweeps = 0;
  g_assert_true (ps_test_wait_until (got_sweep, &watch, 60000));
  watch.sweeps = 0;
  g_assert_true (ps_test_wait_until (got_sweep, &watch, 60000));
  ps_scanner_stop (scanner);

  g_assert_cmpuint (ps_test_allocated (ps_source_get_fd (source)), ==, 0);
  frame = ps_scanner_get_frame (scanner);
  g_assert_cmpuint (frame->n_absent, ==, size / PAGE);
}

/* ---- a stop request ends a pass at its next step, whatever the size ---- */

typedef struct
{
  PsScanner *scanner;
  gint       armed;          /* atomic: hold the next step */
  gint       mid_pass;       /* atomic: a pass is held after a step */
  gint       timed_out;      /* atomic: stop was never asked */
} StopWatch;

/* On the scanner's thread: once armed, hold a pass after its first step
 * until the main thread asks to stop, so the request lands mid-pass. */
static void
hold_until_stop (PsScanner *scanner,
                 guint64    pages_hashed,
                 gpointer   data)
{
  StopWatch *w = data;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  if (!g_atomic_int_get (&w->armed) || g_atomic_int_get (&w->mid_pass))
    return;
  g_atomic_int_set (&w->mid_pass, TRUE);
  while (!ps_scanner_stop_requested (scanner))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_atomic_int_set (&w->timed_out, TRUE);
          return;
        }
      g_usleep (1000);
    }
}

static gboolean
is_mid_pass (gpointer data)
{
  return g_atomic_int_get (&((StopWatch *) data)->mid_pass);
}

static gboolean
has_first_frame (gpointer data)
{
  return ps_scanner_get_frame (((StopWatch *) data)->scanner) != NULL;
}

static void
test_stop_mid_pass (void)
{
  const gsize size = 1024 * 1024 * 1024;   /* 1 GiB, resident */
  const guint64 n_pages = size / PAGE;
  g_autoptr(PsSource) source = ps_source_new_anon (size, NULL, NULL);
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);
  g_autoptr(PsFrame) frame = NULL;
  StopWatch watch = { scanner, 0, 0, 0 };
  guint8 *d = ps_source_get_data (source);
  guint64 stopped_at, serial;

  for (gsize off = 0; off < size; off += PAGE)
    d[off] = (guint8) (off / PAGE);
  /* a long interval and the whole object in one pass: nothing but the stop
   * request can end this pass early */
  ps_scanner_set_interval (scanner, PS_SCANNER_MAX_INTERVAL_MS);
  ps_scanner_set_budget (scanner, 1.0);
  ps_scanner_set_slice_hook (scanner, hold_until_stop, &watch);
  ps_scanner_start (scanner);
  /* the first pass measures the hashing speed on a few pages; the next one,
   * asked for now rather than in 10 s, takes the whole object */
  g_assert_true (ps_test_wait_until (has_first_frame, &watch, 60000));
  serial = ps_scanner_get_frame (scanner)->serial;
  g_atomic_int_set (&watch.armed, TRUE);
  ps_scanner_wake (scanner);
  g_assert_true (ps_test_wait_until (is_mid_pass, &watch, 60000));

  ps_scanner_stop (scanner);
  g_assert_false (g_atomic_int_get (&watch.timed_out));
  g_assert_false (ps_scanner_is_running (scanner));
  /* the pass ended at the step after the request, far short of the object */
  stopped_at = ps_scanner_get_stopped_pass_pages (scanner);
  g_assert_cmpuint (stopped_at, >, 0);
  g_assert_cmpuint (stopped_at, <, n_pages / 16);
  /* and published nothing */
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (ps_scanner_get_frame (scanner)->serial, ==, serial);

  /* a pass in this thread afterwards runs to the end, and what the cut pass
   * had seen is kept: one write is one change */
  ps_scanner_set_slice_hook (scanner, NULL, NULL);
  g_clear_pointer (&frame, ps_frame_unref);
  frame = ps_scanner_scan_now (scanner);
  g_assert_cmpuint (frame->n_scanned, ==, n_pages);
  d[5 * PAGE + 1] = 0x77;
  d[(n_pages - 1) * PAGE + 1] = 0x77;
  g_clear_pointer (&frame, ps_frame_unref);
  frame = ps_scanner_scan_now (scanner);
  g_assert_cmpuint (frame->n_changed, ==, 2);
  g_assert_cmpuint (ps_frame_page (frame, 5)->changes, ==, 1);
}

/* Consecutive frames share the chunks a pass did not change; a chunk of
 * holes is one value; a write copies only its own chunk, and the frame
 * before keeps the page as it was. */
static void
test_frames_share_chunks (void)
{
  const guint64 n_pages = 3 * PS_PAGE_CHUNK_PAGES;
  const guint64 page = PS_PAGE_CHUNK_PAGES + 188;
  g_autofree char *name = ps_test_posix_segment ("share", n_pages * PAGE);
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsFrame) f1 = NULL;
  g_autoptr(PsFrame) f2 = NULL;
  int fd = shm_open (name, O_RDWR, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "one", 3, page * PAGE), ==, 3);
  source = ps_source_open_posix (name, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  scanner = ps_scanner_new (source);
  f1 = ps_scanner_scan_now (scanner);
  g_assert_cmpint (pwrite (fd, "two", 3, page * PAGE), ==, 3);
  f2 = ps_scanner_scan_now (scanner);
  close (fd);

  g_assert_cmpuint (f2->n_chunks, ==, 3);
  /* the holes: one value a chunk, the same chunk in both frames */
  g_assert_cmpuint (f1->chunks[0]->page_mask, ==, 0);
  g_assert_cmpuint (f1->chunks[2]->page_mask, ==, 0);
  g_assert_true (f1->chunks[0] == f2->chunks[0]);
  g_assert_true (f1->chunks[2] == f2->chunks[2]);
  g_assert_cmpint (ps_frame_page (f2, 0)->content, ==, PS_CONTENT_ZERO);
  /* the written page: its chunk copied, the old frame as it was */
  g_assert_true (f1->chunks[1] != f2->chunks[1]);
  g_assert_cmpuint (ps_frame_page (f1, page)->changes, ==, 0);
  g_assert_cmpuint (ps_frame_page (f2, page)->changes, ==, 1);
  g_assert_cmpint (ps_frame_page_state (f2, page), ==, PS_PAGE_RESIDENT);
  g_assert_cmpuint (ps_frame_page (f2, page + 1)->changes, ==, 0);
  g_assert_cmpuint (ps_frame_block (f2, page / PS_FRAME_BLOCK_PAGES)->max_changes, ==, 1);
  g_assert_cmpuint (ps_frame_block (f1, page / PS_FRAME_BLOCK_PAGES)->max_changes, ==, 0);
  g_assert_cmpuint (ps_frame_chunk_serial (f2, 1), ==, (guint32) f2->serial);
  g_assert_cmpuint (ps_frame_chunk_serial (f2, 0), <, (guint32) f2->serial);
  g_assert_cmpuint (f2->n_resident, ==, 1);
  g_assert_cmpuint (f2->n_absent, ==, n_pages - 1);
}

int
main (int argc, char **argv)
{
  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);
  g_test_add_func ("/scanner/random-writes-found", test_random_writes_found);
  g_test_add_func ("/scanner/thread-delivers", test_thread_delivers);
  g_test_add_func ("/scanner/interval-and-pause", test_interval_and_pause);
  g_test_add_func ("/scanner/truncate-cycles", test_truncate_cycles);
  g_test_add_func ("/scanner/truncate-threaded", test_truncate_threaded);
  g_test_add_func ("/scanner/sparse-stays-sparse", test_sparse_stays_sparse);
  g_test_add_func ("/scanner/sysv-removed", test_sysv_removed);
  g_test_add_func ("/scanner/posix-unlinked", test_posix_unlinked);
  g_test_add_func ("/scanner/private-copy", test_private_copy);
  g_test_add_func ("/scanner/content-classes", test_content_classes);
  g_test_add_func ("/scanner/slices-cover-everything", test_slices_cover_everything);
  g_test_add_func ("/scanner/slices-ask-before-reading", test_slices_ask_before_reading);
  g_test_add_func ("/scanner/stop-mid-pass", test_stop_mid_pass);
  g_test_add_func ("/scanner/frames-share-chunks", test_frames_share_chunks);
  return g_test_run ();
}
