/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The synchronisation lesson's core, for real: writer children on both
 * cores share one page of an anonymous shared mapping. Without a lock,
 * updates of the counter are lost and records tear; with a process-shared
 * mutex, a process-shared semaphore or atomics, neither happens and the
 * totals match. Each run loops until its condition holds or a 10 s
 * deadline passes; nothing asserts a time. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "ps-source.h"
#include "ps-sync.h"
#include "ps-test-util.h"

#define DEADLINE_US    (10 * G_USEC_PER_SEC)
#define LOCKED_WORK    200000   /* increments a locked run makes before it is judged */

typedef struct
{
  PsSource *source;
  PsSync   *sync;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->source = ps_source_new_anon (PS_SYNC_SIZE, NULL, &error);
  g_assert_no_error (error);
  f->sync = ps_sync_new (f->source, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* disposing stops and reaps the children, also after a failed assertion */
  g_clear_object (&f->sync);
  g_clear_object (&f->source);
}

/* Reads the counts over and over, with the main context turning, until
 * done says so or the deadline passes; TRUE if it did. */
static gboolean
watch_until (PsSync        *sync,
             gboolean     (*done) (const PsSyncCounts *counts),
             gboolean     (*never) (const PsSyncCounts *counts),
             PsSyncCounts  *counts)
{
  gint64 deadline = g_get_monotonic_time () + DEADLINE_US;

  for (guint64 n = 0;; n++)
    {
      ps_sync_get_counts (sync, counts);
      if (never != NULL && never (counts))
        return FALSE;
      if (done (counts))
        return TRUE;
      if (n % 1024 == 0)
        {
          g_main_context_iteration (NULL, FALSE);
          if (g_get_monotonic_time () > deadline)
            return FALSE;
        }
    }
}

static gboolean
lost_and_torn (const PsSyncCounts *c)
{
  return c->lost > 0 && c->torn > 0;
}

static void
test_unlocked (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  PsSyncCounts counts;

  g_assert_true (ps_sync_start (f->sync, PS_SYNC_UNLOCKED, 2, &error));
  g_assert_no_error (error);
  g_assert_true (ps_sync_is_running (f->sync));
  if (!watch_until (f->sync, lost_and_torn, NULL, &counts))
    g_error ("after 10 s without a lock: %" G_GUINT64_FORMAT " updates lost of %" G_GUINT64_FORMAT
             ", %" G_GUINT64_FORMAT " torn records of %" G_GUINT64_FORMAT " checked",
             counts.lost, counts.expected, counts.torn, counts.records_checked);
  ps_sync_stop (f->sync);
  g_assert_false (ps_sync_is_running (f->sync));

  /* stopped: the totals are final, and do not match */
  ps_sync_get_counts (f->sync, &counts);
  g_assert_cmpuint (counts.n_running, ==, 0);
  g_assert_cmpuint (counts.counter, <, counts.expected);
  g_assert_cmpuint (counts.lost, ==, counts.expected - counts.counter);
  g_assert_cmpuint (counts.torn, >, 0);
  g_test_message ("none: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " updates lost, %" G_GUINT64_FORMAT
                  " torn records found in %" G_GUINT64_FORMAT " checked",
                  counts.lost, counts.expected, counts.torn, counts.records_checked);
}

static gboolean
enough_work (const PsSyncCounts *c)
{
  return c->expected >= LOCKED_WORK && c->records_checked >= 1000;
}

static gboolean
any_torn (const PsSyncCounts *c)
{
  return c->torn > 0;
}

/* A method with a lock: the checker, reading all along, never finds a torn
 * record, and once stopped the counter holds every increment. */
static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  PsSyncMethod method = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  PsSyncCounts counts;
  gboolean worked;

  g_assert_true (ps_sync_start (f->sync, method, 2, &error));
  g_assert_no_error (error);
  worked = watch_until (f->sync, enough_work, any_torn, &counts);
  g_assert_cmpuint (counts.torn, ==, 0);
  g_assert_true (worked);
  ps_sync_stop (f->sync);

  ps_sync_get_counts (f->sync, &counts);
  g_assert_cmpint (counts.method, ==, method);
  g_assert_cmpuint (counts.expected, >=, LOCKED_WORK);
  g_assert_cmpuint (counts.counter, ==, counts.expected);
  g_assert_cmpuint (counts.lost, ==, 0);
  g_assert_cmpuint (counts.torn, ==, 0);
  g_assert_cmpuint (counts.torn_now, ==, 0);
  g_assert_cmpuint (counts.records_written, >=, LOCKED_WORK - 2);
  g_test_message ("%s: %" G_GUINT64_FORMAT " increments, none lost; %" G_GUINT64_FORMAT
                  " records checked, none torn", ps_sync_method_to_string (method),
                  counts.counter, counts.records_checked);
}

/* The checker alone, over bytes laid out by hand: a record whose fields
 * do not match its checksum is torn; one being written is not read. */
static void
test_checker (Fixture       *f,
              gconstpointer  data)
{
  g_autofree guint8 *page = NULL;
  g_autoptr(GError) error = NULL;
  guint64 seqs[PS_SYNC_N_RECORDS];
  guint64 *second;
  guint checked;

  /* a fresh run's page: every record consistent */
  g_assert_true (ps_sync_start (f->sync, PS_SYNC_MUTEX, 1, &error));
  ps_sync_stop (f->sync);
  page = g_memdup2 (ps_source_get_data (f->source), PS_SYNC_SIZE);
  g_assert_cmpuint (ps_sync_check_records (page, &checked, seqs), ==, 0);
  g_assert_cmpuint (checked, ==, PS_SYNC_N_RECORDS);

  second = (guint64 *) (page + PS_SYNC_RECORDS_OFFSET + PS_SYNC_RECORD_SIZE);
  second[5] ^= 1;                     /* one payload byte from another write */
  g_assert_cmpuint (ps_sync_check_records (page, &checked, seqs), ==, 1);
  g_assert_cmpuint (checked, ==, PS_SYNC_N_RECORDS);
  second[0] |= 1;                     /* odd: a write under way, not judged */
  g_assert_cmpuint (ps_sync_check_records (page, &checked, seqs), ==, 0);
  g_assert_cmpuint (checked, ==, PS_SYNC_N_RECORDS - 1);
  g_assert_cmpuint (seqs[1], ==, G_MAXUINT64);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *path = ps_test_file ("sync-refused", PS_SYNC_SIZE, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) readonly = NULL;
  g_autoptr(PsSource) private = NULL;
  g_autoptr(PsSource) small = NULL;
  PsSync *sync;
  PsSyncMethod method;

  readonly = ps_source_open_file (path, PS_MAP_DEFAULT, 0, 0, NULL, &error);
  sync = ps_sync_new (readonly, &error);
  g_assert_null (sync);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_clear_error (&error);
  private = ps_source_open_file (path, PS_MAP_WRITABLE | PS_MAP_PRIVATE, 0, 0, NULL, &error);
  sync = ps_sync_new (private, &error);
  g_assert_null (sync);
  ps_assert_contains (error->message, "MAP_PRIVATE");
  g_clear_error (&error);
  small = ps_source_new_anon (100, NULL, &error);
  sync = ps_sync_new (small, &error);
  g_assert_null (sync);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (ps_sync_start (f->sync, PS_SYNC_ATOMIC, PS_SYNC_MAX_WRITERS + 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_true (ps_sync_start (f->sync, PS_SYNC_ATOMIC, 1, &error));
  g_assert_false (ps_sync_start (f->sync, PS_SYNC_MUTEX, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  ps_sync_stop (f->sync);
  ps_sync_stop (f->sync);

  g_assert_true (ps_sync_method_parse ("Semaphore", &method, NULL));
  g_assert_cmpint (method, ==, PS_SYNC_SEMAPHORE);
  g_assert_cmpstr (ps_sync_method_to_string (PS_SYNC_UNLOCKED), ==, "none");
  g_assert_false (ps_sync_method_parse ("spinlock", &method, &error));
  ps_assert_contains (error->message, "none, mutex, semaphore or atomic");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/sync/none/lost-and-torn", test_unlocked, NULL);
  ADD ("/sync/mutex/none-lost-none-torn", test_locked, GINT_TO_POINTER (PS_SYNC_MUTEX));
  ADD ("/sync/semaphore/none-lost-none-torn", test_locked, GINT_TO_POINTER (PS_SYNC_SEMAPHORE));
  ADD ("/sync/atomic/none-lost-none-torn", test_locked, GINT_TO_POINTER (PS_SYNC_ATOMIC));
  ADD ("/sync/checker", test_checker, NULL);
  ADD ("/sync/refused", test_refused, NULL);
#undef ADD
  return g_test_run ();
}
