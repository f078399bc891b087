/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>

#include "ps-event-log.h"
#include "ps-test-util.h"

/* The size of the list, from ps-event-log.c. */
#define MAX_ENTRIES 5000

/* Follows a GListModel through its items-changed signals, as a list view
 * would, and checks each signal against the model. */
typedef struct
{
  GListModel *model;
  GPtrArray  *mirror;      /* the items as the signals describe them */
  GThread    *main_thread;
  guint       n_signals;
  guint       n_removed;   /* summed over all signals */
  guint       n_added;
  gboolean    wrong_thread;
} Watch;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  if (g_thread_self () != watch->main_thread)
    watch->wrong_thread = TRUE;

  g_assert_cmpuint (position + removed, <=, watch->mirror->len);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, watch->mirror->len - removed + added);

  g_ptr_array_remove_range (watch->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (watch->mirror, position + i, g_list_model_get_item (model, position + i));

  watch->n_signals++;
  watch->n_removed += removed;
  watch->n_added += added;
}

static void
watch_init (Watch      *watch,
            GListModel *model)
{
  memset (watch, 0, sizeof *watch);
  watch->model = model;
  watch->main_thread = g_thread_self ();
  watch->mirror = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (watch->mirror, g_list_model_get_item (model, i));
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), watch);
}

/* The mirror holds the very objects the model holds. */
static void
watch_check (Watch *watch)
{
  g_assert_false (watch->wrong_thread);
  g_assert_cmpuint (watch->mirror->len, ==, g_list_model_get_n_items (watch->model));
  for (guint i = 0; i < watch->mirror->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (watch->model, i);
      g_assert_true (item == g_ptr_array_index (watch->mirror, i));
    }
}

static void
watch_clear (Watch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->model, watch);
  g_clear_pointer (&watch->mirror, g_ptr_array_unref);
}

/* Runs what is left, such as the flush a thread scheduled, which holds the log. */
static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static const char *
text_at (GListModel *model,
         guint       position)
{
  g_autoptr(PsLogEntry) entry = g_list_model_get_item (model, position);

  g_assert_nonnull (entry);
  /* the model holds its own reference, so the text outlives ours */
  return ps_log_entry_get_text (entry);
}

static void
test_main_thread (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  GListModel *model = G_LIST_MODEL (log);
  g_autoptr(PsLogEntry) entry = NULL;
  gint64 before = g_get_real_time ();
  Watch watch;

  g_assert_true (g_list_model_get_item_type (model) == PS_TYPE_LOG_ENTRY);
  watch_init (&watch, model);

  ps_event_log_add (log, FALSE, "open(\"%s\", O_RDONLY) = %d", "/tmp/x", 3);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpuint (watch.n_signals, ==, 1);
  ps_event_log_add (log, TRUE, "close(%d) = -1 EBADF (Bad file descriptor)", 99);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (watch.n_signals, ==, 2);
  watch_check (&watch);

  entry = g_list_model_get_item (model, 0);
  g_assert_cmpstr (ps_log_entry_get_text (entry), ==, "open(\"/tmp/x\", O_RDONLY) = 3");
  g_assert_false (ps_log_entry_is_error (entry));
  g_assert_cmpint (ps_log_entry_get_time (entry), >=, before);
  g_assert_cmpint (ps_log_entry_get_time (entry), <=, g_get_real_time ());
  g_assert_true (ps_log_entry_is_error (PS_LOG_ENTRY (g_ptr_array_index (watch.mirror, 1))));
  g_assert_null (g_list_model_get_item (model, 2));

  /* nothing is left for an idle flush to do */
  g_assert_cmpuint (ps_event_log_flush (log), ==, 0);
  drain_main_context ();
  g_assert_cmpuint (watch.n_signals, ==, 2);

  ps_event_log_clear (log);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  watch_check (&watch);
  watch_clear (&watch);
}

typedef struct
{
  PsEventLog *log;
  guint       first;
  guint       count;
} AddJob;

static gpointer
add_thread (gpointer data)
{
  AddJob *job = data;

  for (guint i = 0; i < job->count; i++)
    ps_event_log_add (job->log, FALSE, "call(%u) = 0", job->first + i);
  return NULL;
}

typedef struct
{
  GListModel *model;
  guint       n;
} Count;

static gboolean
has_n_items (gpointer data)
{
  Count *count = data;
  return g_list_model_get_n_items (count->model) >= count->n;
}

static void
test_other_thread (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  GListModel *model = G_LIST_MODEL (log);
  AddJob job = { log, 0, 100 };
  Count count = { model, 100 };
  GThread *thread;
  Watch watch;

  watch_init (&watch, model);
  thread = g_thread_new ("log-writer", add_thread, &job);
  g_thread_join (thread);

  /* added, but the main context has not run yet: the model has not changed */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpuint (watch.n_signals, ==, 0);

  g_assert_true (ps_test_wait_until (has_n_items, &count, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 100);
  g_assert_cmpuint (watch.n_added, ==, 100);
  watch_check (&watch);
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *expected = g_strdup_printf ("call(%u) = 0", i);
      g_assert_cmpstr (text_at (model, i), ==, expected);
    }
  watch_clear (&watch);
  drain_main_context ();
}

/* Two threads and the main thread at once: every entry arrives, each thread's
 * in its own order, and every signal in the main thread. */
static void
test_threads_and_main (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  GListModel *model = G_LIST_MODEL (log);
  AddJob a = { log, 0, 2000 };
  AddJob b = { log, 10000, 2000 };
  Count count = { model, 4100 };
  GThread *ta, *tb;
  guint next_a = 0, next_b = 10000;
  Watch watch;

  watch_init (&watch, model);
  ta = g_thread_new ("log-a", add_thread, &a);
  tb = g_thread_new ("log-b", add_thread, &b);
  for (guint i = 0; i < 100; i++)
    {
      ps_event_log_add (log, FALSE, "main(%u) = 0", i);
      g_main_context_iteration (NULL, FALSE);
    }
  g_thread_join (ta);
  g_thread_join (tb);

  g_assert_true (ps_test_wait_until (has_n_items, &count, 5000));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4100);
  watch_check (&watch);
  for (guint i = 0; i < 4100; i++)
    {
      const char *text = text_at (model, i);
      guint n;

      if (sscanf (text, "call(%u)", &n) != 1)
        continue;
      if (n >= 10000)
        g_assert_cmpuint (n, ==, next_b++);
      else
        g_assert_cmpuint (n, ==, next_a++);
    }
  g_assert_cmpuint (next_a, ==, 2000);
  g_assert_cmpuint (next_b, ==, 12000);
  watch_clear (&watch);
  drain_main_context ();
}

static void
test_call_fail (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) no_log_error = NULL;
  g_autoptr(PsLogEntry) entry = NULL;

  g_assert_false (ps_call_fail (log, &error, EACCES, "shmat(shmid=%d, %s)", 98310, "SHM_RDONLY"));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==, "shmat(shmid=98310, SHM_RDONLY): Permission denied");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1);
  entry = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_cmpstr (ps_log_entry_get_text (entry), ==, "shmat(shmid=98310, SHM_RDONLY) = -1 EACCES (Permission denied)");
  g_assert_true (ps_log_entry_is_error (entry));

  /* no log, and no error wanted: both allowed */
  g_assert_false (ps_call_fail (NULL, &no_log_error, ENOENT, "shm_open(\"%s\", O_RDONLY)", "/gone"));
  g_assert_error (no_log_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (no_log_error->message, ==, "shm_open(\"/gone\", O_RDONLY): No such file or directory");
  g_assert_false (ps_call_fail (log, NULL, EINVAL, "shmget(%d)", 1));
  g_assert_cmpstr (text_at (G_LIST_MODEL (log), 1), ==, "shmget(1) = -1 EINVAL (Invalid argument)");

  g_assert_cmpstr (ps_errno_name (ENOMEM), ==, "ENOMEM");
  g_assert_cmpstr (ps_errno_name (-12345), ==, "E?");
}

static void
test_call_ok_and_refuse (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  GListModel *model = G_LIST_MODEL (log);
  g_autoptr(PsLogEntry) ok = NULL;
  g_autoptr(PsLogEntry) refused = NULL;
  gsize page = ps_test_page_size ();
  g_autofree char *message = g_strdup_printf ("mmap(offset=100): the offset must be a multiple of the page size (%zu)", page);
  g_autofree char *line = g_strdup_printf ("mmap(offset=100) not called: the offset must be a multiple of the page size (%zu)", page);

  ps_call_ok (log, "0x7f0000000000", "mmap(NULL, %d, PROT_READ, MAP_SHARED, %d, 0)", 8192, 3);
  ps_call_ok (NULL, "0", "munmap(%p, %d)", NULL, 0);
  g_assert_false (ps_call_refuse (log, &error, G_IO_ERROR_INVALID_ARGUMENT, "mmap(offset=100)",
                                  "the offset must be a multiple of the page size (%zu)", page));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_false (ps_call_refuse (NULL, NULL, G_IO_ERROR_EXISTS, "shmget", "%s", "ignored"));

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  ok = g_list_model_get_item (model, 0);
  refused = g_list_model_get_item (model, 1);
  g_assert_cmpstr (ps_log_entry_get_text (ok), ==, "mmap(NULL, 8192, PROT_READ, MAP_SHARED, 3, 0) = 0x7f0000000000");
  g_assert_false (ps_log_entry_is_error (ok));
  g_assert_cmpstr (ps_log_entry_get_text (refused), ==, line);
  g_assert_true (ps_log_entry_is_error (refused));
}

/* "12:34:56.789 text" */
static void
assert_formatted (const char *line,
                  const char *text)
{
  g_assert_true (g_regex_match_simple ("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} ", line, 0, 0));
  g_assert_cmpstr (line + strlen ("12:34:56.789 "), ==, text);
}

static void
test_echo (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *to_text = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) text_lines = NULL;
  AddJob job = { log, 7, 1 };
  GString *echoed = g_string_new (NULL);
  char buf[4096];
  int fds[2];
  ssize_t n;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);

  ps_event_log_add (log, FALSE, "before(echo) = 0");
  ps_event_log_set_echo (log, fds[1]);
  ps_event_log_add (log, FALSE, "first() = 0");
  ps_call_fail (log, NULL, EPERM, "second(%d)", 2);
  /* another thread's entry is echoed when added, before the model sees it */
  g_thread_join (g_thread_new ("log-echo", add_thread, &job));
  ps_event_log_set_echo (log, -1);
  ps_event_log_add (log, FALSE, "after(echo) = 0");
  close (fds[1]);

  while ((n = read (fds[0], buf, sizeof buf)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (echoed, buf, n);
    }
  close (fds[0]);

  lines = g_strsplit (echoed->str, "\n", -1);
  g_string_free (echoed, TRUE);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  assert_formatted (lines[0], "first() = 0");
  assert_formatted (lines[1], "second(2) = -1 EPERM (Operation not permitted)");
  assert_formatted (lines[2], "call(7) = 0");
  g_assert_cmpstr (lines[3], ==, "");

  /* to_text has every entry, the other thread's too, in the same format */
  to_text = ps_event_log_to_text (log);
  text_lines = g_strsplit (to_text, "\n", -1);
  g_assert_cmpuint (g_strv_length (text_lines), ==, 6);
  assert_formatted (text_lines[0], "before(echo) = 0");
  assert_formatted (text_lines[3], "call(7) = 0");
  assert_formatted (text_lines[4], "after(echo) = 0");
  g_assert_cmpstr (text_lines[5], ==, "");
  drain_main_context ();
}

/* At the cap, the oldest entries go, and the signals say exactly that. */
static void
test_cap (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  GListModel *model = G_LIST_MODEL (log);
  AddJob job = { log, 100000, MAX_ENTRIES + 250 };
  Count count = { model, 1 };
  guint signals_before;
  Watch watch;

  watch_init (&watch, model);
  for (guint i = 0; i < MAX_ENTRIES; i++)
    ps_event_log_add (log, FALSE, "call(%u) = 0", i);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, MAX_ENTRIES);
  g_assert_cmpuint (watch.n_removed, ==, 0);

  /* one more from the main thread: the first goes, one comes */
  ps_event_log_add (log, FALSE, "call(%u) = 0", MAX_ENTRIES);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, MAX_ENTRIES);
  g_assert_cmpuint (watch.n_removed, ==, 1);
  g_assert_cmpuint (watch.n_added, ==, MAX_ENTRIES + 1);
  g_assert_cmpstr (text_at (model, 0), ==, "call(1) = 0");
  g_assert_cmpstr (text_at (model, MAX_ENTRIES - 1), ==, "call(5000) = 0");
  watch_check (&watch);

  /* more than the cap from another thread in one flush: only the newest stay */
  g_thread_join (g_thread_new ("log-flood", add_thread, &job));
  g_assert_cmpuint (ps_event_log_flush (log), ==, MAX_ENTRIES + 250);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, MAX_ENTRIES);
  g_assert_cmpstr (text_at (model, 0), ==, "call(100250) = 0");
  g_assert_cmpstr (text_at (model, MAX_ENTRIES - 1), ==, "call(105249) = 0");
  watch_check (&watch);

  /* the idle flush the thread scheduled finds nothing left to do */
  signals_before = watch.n_signals;
  count.n = MAX_ENTRIES;
  g_assert_true (ps_test_wait_until (has_n_items, &count, 1000));
  drain_main_context ();
  g_assert_cmpuint (watch.n_signals, ==, signals_before);

  ps_event_log_clear (log);
  watch_check (&watch);
  watch_clear (&watch);
}

int
main (int argc, char **argv)
{
  ps_test_init (&argc, &argv);
  g_test_add_func ("/event-log/main-thread", test_main_thread);
  g_test_add_func ("/event-log/other-thread", test_other_thread);
  g_test_add_func ("/event-log/threads-and-main", test_threads_and_main);
  g_test_add_func ("/event-log/call-fail", test_call_fail);
  g_test_add_func ("/event-log/call-ok-and-refuse", test_call_ok_and_refuse);
  g_test_add_func ("/event-log/echo", test_echo);
  g_test_add_func ("/event-log/cap", test_cap);
  return g_test_run ();
}
