/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The synchronisation lesson: writer children on every core share one page
 * (PsSync): a counter they increment and records they fill, first with no
 * lock, then with a process-shared mutex, a POSIX semaphore and atomics,
 * each placed in the page itself. What is claimed of each, and what the
 * counter and the records' checksums show. */
#define G_LOG_DOMAIN "pagescope-lesson"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "ps-lesson-private.h"

#define LOCKED_WORK     200000   /* increments a locked run makes before it is judged */
#define LOCKED_CHECKS   1000     /* records the checker reads consistently, too */
#define POLLS_PER_TURN  1024     /* checks between two turns of the main loop */
#define LIVE_EVERY_US   (150 * 1000)

typedef gboolean (*Enough) (const PsSyncCounts *counts);

static char *
describe_live (const PsSyncCounts *c)
{
  /* TRANSLATORS: live figures while the writers run */
  return g_strdup_printf (_("%u writers: %" PRIu64 " increments, the counter holds %" PRIu64 " (%" PRIu64 " lost); "
                            "%" PRIu64 " records written, %" PRIu64 " checked, %" PRIu64 " torn"),
                          c->n_running, c->expected, c->counter, c->lost, c->records_written,
                          c->records_checked, c->torn);
}

/* Reads the page over and over (the checker must look often to catch a
 * record half written), turning the main loop every so many reads and
 * showing the figures, until enough says so, a torn record shows where
 * none may, or the deadline passes. */
static gboolean
watch (PsLesson     *self,
       Enough        enough,
       gboolean      locked,
       PsSyncCounts *counts)
{
  gint64 deadline = g_get_monotonic_time () + PS_LESSON_DEADLINE_MS * 1000;
  gint64 shown = 0;

  for (guint64 n = 0;; n++)
    {
      ps_sync_get_counts (self->sync, counts);
      /* the figures show at least once, however fast the writers were */
      if (n > 0 && (enough (counts) || (locked && counts->torn > 0) || counts->n_running == 0))
        return enough (counts);
      if (n % POLLS_PER_TURN == 0)
        {
          gint64 now = g_get_monotonic_time ();

          if (now > deadline)
            return FALSE;
          if (now - shown > LIVE_EVERY_US)
            {
              g_autofree char *text = describe_live (counts);

              ps_lesson_set_live (self, text);
              shown = now;
            }
          g_main_context_iteration (NULL, FALSE);
          if (self->sync == NULL)   /* the lesson was cleaned up meanwhile */
            return FALSE;
        }
    }
}

static gboolean
lost_and_torn (const PsSyncCounts *c)
{
  return c->lost > 0 && c->torn > 0;
}

static gboolean
enough_work (const PsSyncCounts *c)
{
  return c->expected >= LOCKED_WORK && c->records_checked >= LOCKED_CHECKS;
}

/* The lesson's page: one anonymous shared page, in the lesson's session so
 * that a window can show it while the writers run. */
static gboolean
ensure_page (PsLesson  *self,
             GError   **error)
{
  PsSourceSpec spec = { .kind = PS_SOURCE_ANON, .size = PS_SYNC_SIZE };

  if (self->sync != NULL)
    return TRUE;
  if (!ps_session_open (self->session, &spec, error))
    return FALSE;
  self->sync = ps_sync_new (ps_session_get_source (self->session), error);
  return self->sync != NULL;
}

/* Runs the writers with method until enough; the final figures in counts. */
static gboolean
run_method (PsLesson      *self,
            PsSyncMethod   method,
            Enough         enough,
            PsSyncCounts  *counts,
            GError       **error)
{
  if (!ensure_page (self, error) || !ps_sync_start (self->sync, method, 0, error))
    return FALSE;
  /* the figures judge the step, reached or not: enough only ends it sooner */
  watch (self, enough, method != PS_SYNC_UNLOCKED, counts);
  if (self->sync == NULL)
    return g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("the lesson was closed")), FALSE;
  ps_sync_stop (self->sync);
  /* stopped: the totals are final (a check made before stopping may lag) */
  {
    guint64 torn = counts->torn;

    ps_sync_get_counts (self->sync, counts);
    counts->torn = MAX (counts->torn, torn);
  }
  return TRUE;
}

static gboolean
sync_none (PsLesson *self, GString *seen, GError **error)
{
  PsSyncCounts c;

  if (!run_method (self, PS_SYNC_UNLOCKED, lost_and_torn, &c, error))
    return FALSE;
  g_string_printf (seen, g_dngettext (GETTEXT_PACKAGE,
                                      "%" PRIu64 " increments were made, but the counter holds %" PRIu64 ": %" PRIu64
                                      " updates were lost, when two writers loaded the same value and each stored "
                                      "it plus one. Of %" PRIu64 " records read, %" PRIu64 " was torn: fields from "
                                      "two writers, the checksum wrong. No lock: both happen within moments.",
                                      "%" PRIu64 " increments were made, but the counter holds %" PRIu64 ": %" PRIu64
                                      " updates were lost, when two writers loaded the same value and each stored "
                                      "it plus one. Of %" PRIu64 " records read, %" PRIu64 " were torn: fields from "
                                      "two writers, the checksum wrong. No lock: both happen within moments.",
                                      c.torn),
                   c.expected, c.counter, c.lost, c.records_checked, c.torn);
  return c.lost > 0 && c.torn > 0;
}

static gboolean
held_locked (const PsSyncCounts *c)
{
  return c->lost == 0 && c->torn == 0 && c->counter == c->expected && c->expected > 0 && c->records_checked > 0;
}

static gboolean
sync_locked (PsLesson      *self,
             PsSyncMethod   method,
             const char    *how,
             GString       *seen,
             GError       **error)
{
  PsSyncCounts c;

  if (!run_method (self, method, enough_work, &c, error))
    return FALSE;
  g_string_printf (seen, _("%s: %" PRIu64 " increments, and the counter holds %" PRIu64 " (%" PRIu64 " lost); %"
                           PRIu64 " records read while they were written, %" PRIu64 " torn."),
                   how, c.expected, c.counter, c.lost, c.records_checked, c.torn);
  return held_locked (&c);
}

static gboolean
sync_mutex (PsLesson *self, GString *seen, GError **error)
{
  return sync_locked (self, PS_SYNC_MUTEX,
                      _("A pthread mutex with PTHREAD_PROCESS_SHARED, placed in the shared page, locks between "
                        "processes"), seen, error);
}

static gboolean
sync_semaphore (PsLesson *self, GString *seen, GError **error)
{
  return sync_locked (self, PS_SYNC_SEMAPHORE,
                      _("A POSIX semaphore made with sem_init (pshared 1) in the shared page works as a lock, "
                        "with no System V semaphore"), seen, error);
}

static gboolean
sync_atomic (PsLesson *self, GString *seen, GError **error)
{
  return sync_locked (self, PS_SYNC_ATOMIC,
                      _("With no lock at all, an atomic fetch-and-add for the counter and a compare-and-swap "
                        "claiming each record"), seen, error);
}

const PsLessonStep ps_lesson_sync_steps[] = {
  { N_("Writers on every core, no lock"),
    N_("counter++ is one instruction, so processes sharing a counter never lose an update."), sync_none },
  { N_("A process-shared mutex in the page"),
    N_("A mutex locks only between the threads of one process."), sync_mutex },
  { N_("A POSIX semaphore in the page"),
    N_("Processes need System V semaphores (semget) to lock shared memory."), sync_semaphore },
  { N_("Atomics"), N_("Without a lock, there is no safe way to share a counter."), sync_atomic },
};
const guint ps_lesson_sync_n_steps = G_N_ELEMENTS (ps_lesson_sync_steps);
