/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process view: another process's mapping, read through /proc/PID/mem
 * and /proc/PID/pagemap. Each test forks a real child that maps a real file
 * or POSIX segment and writes to it, then holds it until its hold pipe
 * closes (so it never outlives the test, even one that fails); the view is
 * compared with what the file holds, and a sparse segment must not grow by
 * being looked at. Permission cases run as user nobody. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-export.h"
#include "ps-find.h"
#include "ps-frame.h"
#include "ps-probe.h"
#include "ps-process-view.h"
#include "ps-scanner.h"
#include "ps-session.h"
#include "ps-test-util.h"
#include "ps-writer.h"

#define CHILD_TIMEOUT_MS 10000
#define TRAP_TIMEOUT_US  (60 * G_USEC_PER_SEC)
#define MAX_WRITES       4

static gsize PAGE;

/* ---- a child that maps something and holds it --------------------------------- */

typedef struct
{
  const char *path;        /* open()ed in the child: a file, or /dev/shm/NAME */
  gsize       length;
  gboolean    private;
  guint       n_maps;      /* map it this many times (1 unless testing ambiguity) */
  struct { gsize offset; const char *bytes; } writes[MAX_WRITES];
  guint       n_writes;

  int         ready[2];    /* child -> parent: the address of its mapping */
  int         hold[2];     /* parent -> child: a command byte; EOF: exit */
  pid_t       pid;
  guint64     addr;
} Holder;

/* In the child: async-signal-safe calls only. 'u' unmaps, 'w' writes
 * "again" at the start; EOF exits. */
static int
holder_main (gpointer data)
{
  Holder *h = data;
  guint8 *addr = MAP_FAILED;
  char command;
  int fd;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  close (h->ready[0]);
  close (h->hold[1]);
  /* a private mapping may be written without write permission */
  fd = open (h->path, (h->private ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  if (fd < 0)
    return 1;
  for (guint i = 0; i < h->n_maps; i++)
    addr = mmap (NULL, h->length, PROT_READ | PROT_WRITE, h->private ? MAP_PRIVATE : MAP_SHARED, fd, 0);
  if (addr == MAP_FAILED)
    return 2;
  for (guint i = 0; i < h->n_writes; i++)
    memcpy (addr + h->writes[i].offset, h->writes[i].bytes, strlen (h->writes[i].bytes));
  if (write (h->ready[1], &addr, sizeof addr) != sizeof addr)
    return 3;
  while (read (h->hold[0], &command, 1) == 1)
    {
      if (command == 'u')
        munmap (addr, h->length);
      else if (command == 'w')
        memcpy (addr, "again", 5);
      (void) !write (h->ready[1], &command, 1);
    }
  return 0;
}

static void
holder_stop (Holder *h)
{
  if (h->pid > 0)
    {
      close (h->hold[1]);
      ps_test_reap (h->pid, CHILD_TIMEOUT_MS);
      close (h->ready[0]);
      h->pid = 0;
    }
}

static gboolean
read_with_deadline (int    fd,
                    void  *buf,
                    gsize  len)
{
  struct pollfd p = { fd, POLLIN, 0 };

  return poll (&p, 1, CHILD_TIMEOUT_MS) == 1 && read (fd, buf, len) == (ssize_t) len;
}

/* Forks the child and waits until it has mapped and written. The test stops
 * it (holder_stop); a test that fails on the way takes it along: its hold
 * pipe reads EOF and PR_SET_PDEATHSIG kills it. */
static void
holder_start (Holder *h)
{
  guint8 *addr;

  if (h->n_maps == 0)
    h->n_maps = 1;
  g_assert_cmpint (pipe2 (h->ready, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (h->hold, O_CLOEXEC), ==, 0);
  h->pid = ps_test_fork (holder_main, h);
  close (h->ready[1]);
  close (h->hold[0]);
  g_assert_true (read_with_deadline (h->ready[0], &addr, sizeof addr));
  h->addr = (guintptr) addr;
}

/* Sends a command and waits until the child has carried it out. */
static void
holder_command (Holder *h,
                char    command)
{
  char done;

  g_assert_cmpint (write (h->hold[1], &command, 1), ==, 1);
  g_assert_true (read_with_deadline (h->ready[0], &done, 1));
  g_assert_cmpint (done, ==, command);
}

static void
unlink_posix (gpointer name)
{
  shm_unlink (name);
  g_free (name);
}

static PsSource *
open_view (pid_t       pid,
           const char *path)
{
  g_autoptr(GError) error = NULL;
  PsSource *source = ps_source_open_process (pid, path, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (source);
  return source;
}

/* ---- /proc/PID/maps and the text forms ------------------------------------------ */

static void
test_mapping_parse (void)
{
  g_auto(PsProcessMapping) m = { 0 };

  g_assert_true (ps_process_mapping_parse ("7f0e3c000000-7f0e3c004000 rw-s 00002000 00:1a 1234    /dev/shm/a b (deleted)\n", &m));
  g_assert_cmphex (m.start, ==, 0x7f0e3c000000);
  g_assert_cmphex (m.end, ==, 0x7f0e3c004000);
  g_assert_cmphex (m.offset, ==, 0x2000);
  g_assert_cmpstr (m.perms, ==, "rw-s");
  g_assert_cmpuint (m.dev_minor, ==, 0x1a);
  g_assert_cmpuint (m.inode, ==, 1234);
  g_assert_cmpstr (m.path, ==, "/dev/shm/a b (deleted)");
  ps_process_mapping_clear (&m);

  g_assert_true (ps_process_mapping_parse ("7ffd1000-7ffd3000 rw-p 00000000 00:00 0", &m));
  g_assert_null (m.path);
  ps_process_mapping_clear (&m);

  g_assert_true (ps_process_mapping_parse ("1000-2000 rw-s 0 00:05 4 /dev/null", &m));
  g_assert_true (ps_process_mapping_is_device (&m));
  ps_process_mapping_clear (&m);
  g_assert_true (ps_process_mapping_parse ("1000-2000 rw-s 0 00:01 4 /dev/zero (deleted)", &m));
  g_assert_false (ps_process_mapping_is_device (&m));
  ps_process_mapping_clear (&m);
  g_assert_true (ps_process_mapping_parse ("1000-2000 rw-s 0 00:01 4 /dev/shm/x", &m));
  g_assert_false (ps_process_mapping_is_device (&m));
  ps_process_mapping_clear (&m);

  g_assert_false (ps_process_mapping_parse ("", &m));
  g_assert_false (ps_process_mapping_parse ("Size: 4 kB", &m));
  g_assert_false (ps_process_mapping_parse ("3000-2000 rw-p 0 00:00 0", &m));
  g_assert_false (ps_process_mapping_parse ("1000-2000 rw-p", &m));
}

static void
test_spec (void)
{
  static const struct { const char *text, *says; } refused[] = {
    { "pid:42", "needs the mapping" },
    { "pid:0?map=/a", "process id" },
    { "pid:x?map=/a", "process id" },
    { "pid:42?map=a", "absolute" },
    { "pid:42?map=0xzz", "0x hex" },
    { "pid:42?map=/a&private", "does not apply to pid" },
    { "pid:42?map=", "needs a value" },
    { "file:/a?map=/b", "does not apply to file" },
  };
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (ps_source_spec_parse ("pid:4242?map=/tmp/a%20b%26c", &spec, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.kind, ==, PS_SOURCE_PROCESS);
  g_assert_cmpint (spec.pid, ==, 4242);
  g_assert_cmpstr (spec.path, ==, "/tmp/a b&c");
  text = ps_source_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "pid:4242?map=/tmp/a%20b%26c");
  ps_source_spec_clear (&spec);
  g_clear_pointer (&text, g_free);

  g_assert_true (ps_source_spec_parse ("pid:7?map=0x7f0E3c001000", &spec, &error));
  g_assert_null (spec.path);
  g_assert_cmphex (spec.address, ==, 0x7f0e3c001000);
  text = ps_source_spec_to_string (&spec);
  g_assert_cmpstr (text, ==, "pid:7?map=0x7f0e3c001000");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_auto(PsSourceSpec) bad = { 0 };
      g_autoptr(GError) e = NULL;

      g_assert_false (ps_source_spec_parse (refused[i].text, &bad, &e));
      ps_assert_contains (e->message, refused[i].says);
    }

  /* the rules, as the command line names them */
  spec.flags = PS_MAP_WRITABLE;
  g_assert_false (ps_source_spec_check_options (&spec, NULL, &error));
  ps_assert_contains (error->message, "--writable does not apply to --pid");
  g_clear_error (&error);
  spec.flags = 0;
  spec.address = 0;
  g_assert_false (ps_source_spec_check_options (&spec, NULL, &error));
  ps_assert_contains (error->message, "--map PATH");
}

static void
test_parse_options (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint64 address;
  pid_t pid;

  g_assert_true (ps_process_parse_pid ("4194304", "--pid", &pid, &error));
  g_assert_cmpint (pid, ==, 4194304);
  g_assert_false (ps_process_parse_pid ("4194305", "--pid", &pid, &error));
  ps_assert_contains (error->message, "--pid \"4194305\"");
  g_clear_error (&error);
  g_assert_false (ps_process_parse_pid ("-1", "--pid", &pid, &error));
  g_clear_error (&error);

  g_assert_true (ps_process_parse_map ("0X1000", "--map", &path, &address, &error));
  g_assert_null (path);
  g_assert_cmphex (address, ==, 0x1000);
  g_assert_true (ps_process_parse_map ("data.bin", "--map", &path, &address, &error));
  g_assert_cmpstr (path, ==, "data.bin");
  g_clear_pointer (&path, g_free);
  g_assert_false (ps_process_parse_map ("", "--map", &path, &address, &error));
  ps_assert_contains (error->message, "--map is empty");
}

/* ---- the view ---------------------------------------------------------------------- */

static PsFrame *
scan (PsSource *source)
{
  g_autoptr(PsScanner) scanner = ps_scanner_new (source);

  return ps_scanner_scan_now (scanner);
}

/* A child's MAP_PRIVATE write: the view shows the child's bytes and marks
 * the page as its own copy, while the file (and a view of it) holds the
 * file's bytes. */
static void
test_private_copy (void)
{
  g_autofree char *path = ps_test_file ("pview", 4 * PAGE, 'c');
  Holder h = { path, 4 * PAGE, TRUE, 1, { { PAGE + 20, "000000016" } }, 1 };
  g_autoptr(PsSource) view = NULL;
  g_autoptr(PsSource) file = NULL;
  g_autoptr(PsSource) by_address = NULL;
  g_autoptr(PsFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  g_autofree char *spec_text = NULL;
  PsSourceSpec *spec;
  guint8 bytes[9], page_valid[1];
  gboolean described = FALSE;

  holder_start (&h);
  view = open_view (h.pid, path);
  g_assert_cmpint (ps_source_get_kind (view), ==, PS_SOURCE_PROCESS);
  g_assert_true (ps_source_is_view (view));
  g_assert_true (ps_source_is_private (view));
  g_assert_false (ps_source_is_writable (view));
  g_assert_cmpint (ps_source_get_residency (view), ==, PS_RESIDENCY_PAGEMAP);
  g_assert_cmpint (ps_source_get_pid (view), ==, h.pid);
  g_assert_cmpuint (ps_source_get_geometry (view)->length, ==, 4 * PAGE);
  g_assert_cmpuint (ps_source_get_geometry (view)->object_size, ==, 4 * PAGE);
  g_assert_null (ps_source_get_gone_reason (view));

  /* the child's bytes in the view, the file's in a mapping of the file */
  g_assert_true (ps_source_peek (view, PAGE + 20, bytes, 9, page_valid));
  g_assert_true (page_valid[0]);
  g_assert_cmpmem (bytes, 9, "000000016", 9);
  file = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ps_source_peek (file, PAGE + 20, bytes, 9, NULL));
  g_assert_cmpmem (bytes, 9, "ccccccccc", 9);

  /* the page the child wrote is its own copy: present, not a file page */
  frame = scan (view);
  g_assert_cmpint (ps_frame_page_state (frame, 1), ==, PS_PAGE_RESIDENT);
  g_assert_true (ps_frame_page (frame, 1)->state & PS_PAGE_PRIVATE_COPY);
  for (guint64 p = 0; p < 4; p++)
    if (p != 1)
      g_assert_false (ps_frame_page (frame, p)->state & PS_PAGE_PRIVATE_COPY);
  g_assert_cmpuint (frame->n_private_copies, ==, 1);
  g_assert_false (frame->flags & PS_FRAME_GONE);
  g_clear_pointer (&frame, ps_frame_unref);
  frame = scan (file);
  g_assert_cmpuint (frame->n_private_copies, ==, 0);

  /* a change the child makes shows on the next refresh */
  holder_command (&h, 'w');
  g_assert_true (ps_source_peek (view, 0, bytes, 5, NULL));
  g_assert_cmpmem (bytes, 5, "again", 5);

  /* by an address inside it: the same mapping */
  by_address = ps_source_open_process (h.pid, NULL, h.addr + 2 * PAGE + 7, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ps_source_get_geometry (by_address)->length, ==, 4 * PAGE);
  g_assert_true (ps_source_peek (by_address, PAGE + 20, bytes, 9, NULL));
  g_assert_cmpmem (bytes, 9, "000000016", 9);

  /* its spec reopens it */
  spec = ps_source_dup_spec (view);
  spec_text = ps_source_spec_to_string (spec);
  g_assert_true (g_str_has_prefix (spec_text, "pid:"));
  ps_assert_contains (spec_text, "?map=/");
  g_assert_true (ps_source_spec_check (spec, NULL, &error));
  ps_source_spec_clear (spec);
  g_free (spec);

  fields = ps_source_describe (view);
  for (guint i = 0; i < fields->len; i++)
    {
      PsField *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->label, "Process"))
        {
          g_autofree char *expected = g_strdup_printf ("%d (", (int) h.pid);
          g_assert_true (g_str_has_prefix (field->value, expected));
          described = TRUE;
        }
    }
  g_assert_true (described);
  holder_stop (&h);
}

/* Pagescope's own reads fill holes; so would reading the child's through
 * /proc/PID/mem. Scanning, finding, peeking and exporting the view of a
 * child's mapping of a 64 MiB segment with a few pages written leaves its
 * allocated size as it was; a page only the parent wrote is not present in
 * the child and is never read. */
static void
test_sparse_stays_sparse (void)
{
  g_autofree char *name = ps_test_posix_name ("pview-sparse");
  g_autofree char *shm_path = g_strdup_printf ("/dev/shm%s", name);
  g_autofree char *export_path = ps_test_file ("pview-export", 0, 0);
  gsize size = 64 * 1024 * 1024;
  Holder h = { shm_path, size, FALSE, 1, { { 0, "first" }, { 100 * PAGE + 8, "needle-one" }, { 1000 * PAGE, "needle-two" } }, 3 };
  g_autoptr(PsSource) view = NULL;
  g_autoptr(PsFrame) frame = NULL;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(PsFindPattern) needle = ps_find_pattern_parse ("text:needle", NULL);
  g_autoptr(PsFindPattern) parents = ps_find_pattern_parse ("text:parent's", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *buf = g_malloc (4 * 1024 * 1024);
  guint64 allocated, written = 0;
  int fd;

  fd = shm_open (name, O_RDWR | O_CREAT | O_EXCL, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_test_queue_destroy (unlink_posix, g_strdup (name));
  g_assert_cmpint (ftruncate (fd, size), ==, 0);
  /* allocated in the object, but never touched by the child */
  g_assert_cmpint (pwrite (fd, "parent's", 8, 5000 * PAGE), ==, 8);

  holder_start (&h);
  allocated = ps_test_allocated (fd);
  g_assert_cmpuint (allocated, >=, 4 * PAGE);
  g_assert_cmpuint (allocated, <, 64 * PAGE);

  view = open_view (h.pid, shm_path);
  g_assert_false (ps_source_is_private (view));
  g_assert_true (ps_source_is_shmem (view));
  frame = scan (view);
  g_assert_cmpint (ps_frame_page_state (frame, 0), ==, PS_PAGE_RESIDENT);
  g_assert_cmpint (ps_frame_page_state (frame, 100), ==, PS_PAGE_RESIDENT);
  g_assert_cmpint (ps_frame_page_state (frame, 1000), ==, PS_PAGE_RESIDENT);
  g_assert_cmpint (ps_frame_page_state (frame, 5000), ==, PS_PAGE_ABSENT);
  g_assert_cmpint (ps_frame_page_state (frame, 2), ==, PS_PAGE_ABSENT);
  g_assert_cmpuint (frame->n_private_copies, ==, 0);

  g_assert_true (ps_find_all (view, needle, 0, G_MAXUINT64, 100, hits, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  g_assert_cmpuint (g_array_index (hits, guint64, 0), ==, 100 * PAGE + 8);
  g_assert_cmpuint (g_array_index (hits, guint64, 1), ==, 1000 * PAGE);
  g_array_set_size (hits, 0);
  g_assert_true (ps_find_all (view, parents, 0, G_MAXUINT64, 100, hits, NULL, NULL, NULL, NULL, &error));
  g_assert_cmpuint (hits->len, ==, 0);

  for (gsize at = 0; at < size; at += 4 * 1024 * 1024)
    g_assert_true (ps_source_peek (view, at, buf, 4 * 1024 * 1024, NULL));
  g_assert_true (ps_export_range (view, 0, size, export_path, &written, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, 3 * PAGE);

  g_assert_cmpuint (ps_test_allocated (fd), ==, allocated);
  close (fd);
  holder_stop (&h);
}

/* A view acts on nothing: every operation says why. */
static void
test_refused (void)
{
  g_autofree char *path = ps_test_file ("pview-refused", 2 * PAGE, 'r');
  Holder h = { path, 2 * PAGE, FALSE, 1, { { 0, "x" } }, 1 };
  g_autoptr(PsSession) session = ps_session_new (NULL);
  g_autoptr(PsWriters) writers = NULL;
  g_autoptr(PsProbeChild) probe = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("y", 1);
  PsSourceSpec spec = { 0 };
  PsSource *view;
  PsPattern pattern = { PS_PATTERN_COUNTER };

  holder_start (&h);
  spec.kind = PS_SOURCE_PROCESS;
  spec.pid = h.pid;
  spec.path = path;
  g_assert_true (ps_session_open (session, &spec, &error));
  g_assert_no_error (error);
  view = ps_session_get_source (session);

  g_assert_false (ps_session_write (session, 0, bytes, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  ps_assert_contains (error->message, "it can only be watched");
  g_clear_error (&error);

  g_assert_false (ps_source_msync (view, 0, 0, MS_SYNC, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  probe = ps_probe_start (view, 0, FALSE, 0, &error);
  g_assert_null (probe);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  writers = ps_writers_new (view);
  g_assert_false (ps_writers_spawn (writers, 1, &pattern, 10, 0, 0, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpuint (ps_writers_get_n_running (writers), ==, 0);

  g_assert_false (ps_source_remove (view, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* and the child's mapping is as it was */
  {
    guint8 b;
    g_assert_true (ps_source_peek (view, 0, &b, 1, NULL));
    g_assert_cmpint (b, ==, 'x');
  }
  ps_session_close (session);
  holder_stop (&h);
}

/* The process exits: the frames say so, the view keeps the last bytes. */
static void
test_process_exits (void)
{
  g_autofree char *path = ps_test_file ("pview-exit", 2 * PAGE, 'e');
  Holder h = { path, 2 * PAGE, TRUE, 1, { { PAGE, "last words" } }, 1 };
  g_autoptr(PsSource) view = NULL;
  g_autoptr(PsFrame) frame = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(PsFindPattern) pattern = ps_find_pattern_parse ("text:last words", NULL);
  g_autoptr(GError) error = NULL;
  guint8 bytes[10];

  holder_start (&h);
  view = open_view (h.pid, path);
  scanner = ps_scanner_new (view);
  frame = ps_scanner_scan_now (scanner);
  g_assert_false (frame->flags & PS_FRAME_GONE);
  g_clear_pointer (&frame, ps_frame_unref);

  holder_stop (&h);
  frame = ps_scanner_scan_now (scanner);
  g_assert_true (frame->flags & PS_FRAME_GONE);
  g_assert_cmpstr (ps_source_get_gone_reason (view), ==, "the process exited");
  /* the last states and bytes stay */
  g_assert_cmpint (ps_frame_page_state (frame, 1), ==, PS_PAGE_RESIDENT);
  g_assert_true (ps_frame_page (frame, 1)->state & PS_PAGE_PRIVATE_COPY);
  g_assert_true (ps_source_peek (view, PAGE, bytes, 10, NULL));
  g_assert_cmpmem (bytes, 10, "last words", 10);
  g_assert_true (ps_find_all (view, pattern, 0, G_MAXUINT64, 10, hits, NULL, NULL, NULL, NULL, &error));
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&frame, ps_frame_unref);
  frame = ps_scanner_scan_now (scanner);
  g_assert_true (frame->flags & PS_FRAME_GONE);
}

typedef struct
{
  PsScanner *scanner;
} Gone;

static gboolean
scan_says_gone (gpointer data)
{
  Gone *g = data;
  g_autoptr(PsFrame) frame = ps_scanner_scan_now (g->scanner);

  return (frame->flags & PS_FRAME_GONE) != 0;
}

/* The mapping goes away while the process lives on. */
static void
test_mapping_goes (void)
{
  g_autofree char *path = ps_test_file ("pview-unmap", 2 * PAGE, 'u');
  Holder h = { path, 2 * PAGE, FALSE, 1, { { 0, "mapped" } }, 1 };
  g_autoptr(PsSource) view = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  Gone gone;
  guint8 bytes[6];

  holder_start (&h);
  view = open_view (h.pid, path);
  scanner = ps_scanner_new (view);
  gone.scanner = scanner;
  g_assert_false (scan_says_gone (&gone));
  holder_command (&h, 'u');
  g_assert_true (ps_test_wait_until (scan_says_gone, &gone, 5000));
  ps_assert_contains (ps_source_get_gone_reason (view), "the mapping went away");
  g_assert_true (ps_source_peek (view, 0, bytes, 6, NULL));
  g_assert_cmpmem (bytes, 6, "mapped", 6);
  holder_stop (&h);
}

static void
test_not_found (void)
{
  g_autofree char *path = ps_test_file ("pview-twice", PAGE, 't');
  g_autofree char *other = ps_test_file ("pview-other", PAGE, 'o');
  Holder h = { path, PAGE, FALSE, 2, { { 0, "x" } }, 1 };
  g_autoptr(GError) error = NULL;
  PsSource *source;
  pid_t gone;
  int status;

  holder_start (&h);
  source = ps_source_open_process (h.pid, other, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  ps_assert_contains (error->message, "maps nothing by that name");
  ps_assert_contains (error->message, path);
  g_clear_error (&error);

  source = ps_source_open_process (h.pid, path, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  ps_assert_contains (error->message, "maps it 2 times");
  g_clear_error (&error);

  source = ps_source_open_process (h.pid, NULL, 4096, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a pid nobody has: one just reaped */
  gone = fork ();
  if (gone == 0)
    _exit (0);
  waitpid (gone, &status, 0);
  source = ps_source_open_process (gone, path, 0, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  ps_assert_contains (error->message, "no process has pid");
  holder_stop (&h);
}

/* As nobody: a root process's memory is refused with the rule; a process
 * of nobody's own is not. */
static void
test_permission_nobody (void)
{
  if (g_test_subprocess ())
    {
      pid_t root = (pid_t) g_ascii_strtoll (g_getenv ("PS_TEST_ROOT_PID"), NULL, 10);
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autofree char *text = NULL;
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) own = NULL;
      PsSource *source;
      Holder h = { 0 };
      guint8 b;

      path = g_strdup (g_getenv ("PS_TEST_PATH"));
      if (!ps_test_become_nobody ())
        g_error ("cannot become nobody: %s", g_strerror (errno));
      /* the uid change made us undumpable: a child of ours would be too */
      prctl (PR_SET_DUMPABLE, 1, 0, 0, 0);

      source = ps_source_open_process (root, NULL, 0x1000, log, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      ps_assert_contains (error->message, "/maps");
      ps_assert_contains (error->message, "Permission denied");
      ps_assert_contains (error->message, "ptrace read rights");
      ps_assert_contains (error->message, "the same user");
      ps_assert_contains (error->message, "or root");
      ps_assert_contains (error->message, "Yama's ptrace_scope is 1");
      ps_assert_contains (error->message, "descendants");
      text = ps_event_log_to_text (log);
      ps_assert_contains (text, "EACCES");

      h.path = path;
      h.length = PAGE;
      h.private = TRUE;
      h.writes[0].bytes = "mine";
      h.n_writes = 1;
      holder_start (&h);
      g_clear_error (&error);
      own = ps_source_open_process (h.pid, path, 0, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (ps_source_peek (own, 0, &b, 1, NULL));
      g_assert_cmpint (b, ==, 'm');
      holder_stop (&h);
      return;
    }
  if (geteuid () != 0)
    {
      g_test_skip ("needs root, to become nobody");
      return;
    }
  {
    g_autofree char *pid_text = g_strdup_printf ("%d", (int) getpid ());
    g_autofree char *path = ps_test_file ("pview-nobody", PAGE, 'n');

    chmod (path, 0644);
    g_setenv ("PS_TEST_ROOT_PID", pid_text, TRUE);
    g_setenv ("PS_TEST_PATH", path, TRUE);
    g_test_trap_subprocess (NULL, TRAP_TIMEOUT_US, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_unsetenv ("PS_TEST_ROOT_PID");
    g_unsetenv ("PS_TEST_PATH");
    g_test_trap_assert_passed ();
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  PAGE = ps_test_page_size ();

  g_test_add_func ("/process-view/mapping-parse", test_mapping_parse);
  g_test_add_func ("/process-view/spec", test_spec);
  g_test_add_func ("/process-view/parse-options", test_parse_options);
  g_test_add_func ("/process-view/private-copy", test_private_copy);
  g_test_add_func ("/process-view/sparse-stays-sparse", test_sparse_stays_sparse);
  g_test_add_func ("/process-view/refused", test_refused);
  g_test_add_func ("/process-view/process-exits", test_process_exits);
  g_test_add_func ("/process-view/mapping-goes", test_mapping_goes);
  g_test_add_func ("/process-view/not-found", test_not_found);
  g_test_add_func ("/process-view/permission-nobody", test_permission_nobody);
  return g_test_run ();
}
