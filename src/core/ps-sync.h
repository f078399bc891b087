/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The synchronisation lesson's core: "shared memory needs a lock", shown
 * for real. Writer children, one per core, share one page of a mapping and,
 * flat out,
 *   (a) increment one 64-bit counter: load, add, store;
 *   (b) write multi-field records (256 bytes, each spanning five cache
 *       lines) with a checksum, into one of a few records picked at random;
 * in one of four ways (PsSyncMethod): no lock at all; a process-shared
 * mutex (pthread_mutexattr_setpshared) placed in the page; a POSIX
 * semaphore (sem_init with pshared 1) placed in the page; or atomics (the
 * counter with an atomic fetch-and-add, each record claimed by a
 * compare-and-swap of its sequence number). Each child also counts its own
 * increments in a slot of its own, so the sum of the slots is what the
 * counter should hold: the difference is the updates lost. A checker reads
 * the records without any lock, the way a seqlock reader does (sequence,
 * fields, sequence again), and counts those whose checksum does not match:
 * torn records. Without a lock both appear within moments; with any of the
 * other three both stay 0 and the totals match.
 *
 * What a lesson UI needs from it:
 *   - ps_sync_new (source): the lesson opens a writable shared mapping of
 *     its own (an anonymous one, "anon:4096", or a segment) in its session,
 *     so the grid and the hex view show the page the children write:
 *     PS_SYNC_*_OFFSET say where the counter, the slots and the records are
 *     (a torn record shows mixed letters 'A'/'B' in the hex view);
 *   - ps_sync_start (method, n) / ps_sync_stop (): on the main thread;
 *     start re-initialises the page (counter, slots, records, the lock
 *     objects) and forks; stop asks the children to finish their current
 *     loop (a flag in the page) and reaps them; "running" is a property;
 *   - ps_sync_get_counts (): live, at each frame: expected vs actual
 *     totals, lost updates, records written, records checked and found
 *     torn. Cheap (a few hundred bytes read), main thread.
 *   - a child that dies on its own is reaped (a GChildWatch) and "running"
 *     goes FALSE when the last one has. */
#pragma once

#include "ps-source.h"

G_BEGIN_DECLS

typedef enum
{
  PS_SYNC_UNLOCKED,    /* plain loads and stores: lost updates, torn records */
  PS_SYNC_MUTEX,       /* pthread_mutex_t, PTHREAD_PROCESS_SHARED and robust, in the page */
  PS_SYNC_SEMAPHORE,   /* sem_t, sem_init (pshared 1, value 1), in the page */
  PS_SYNC_ATOMIC,      /* __atomic_fetch_add; a record claimed by CAS on its sequence */
} PsSyncMethod;

#define PS_SYNC_N_METHODS      4
#define PS_SYNC_MAX_WRITERS    16
#define PS_SYNC_N_RECORDS      4
#define PS_SYNC_RECORD_SIZE    256
/* Where things are in the page (offsets into the mapping). */
#define PS_SYNC_COUNTER_OFFSET 64      /* the shared guint64 counter, a cache line of its own */
#define PS_SYNC_MUTEX_OFFSET   128
#define PS_SYNC_SEM_OFFSET     192
#define PS_SYNC_SLOTS_OFFSET   256     /* PS_SYNC_MAX_WRITERS slots of 64 bytes: increments, records */
#define PS_SYNC_RECORDS_OFFSET 1320    /* 40 bytes into a cache line: each record spans five */
#define PS_SYNC_SIZE           4096    /* what the mapping must hold at least */

/* Live figures. expected and counter are read slots first, so while the
 * children run lost may lag by a few updates; once stopped it is exact. */
typedef struct
{
  PsSyncMethod method;
  guint        n_running;
  guint64      expected;         /* the sum of the children's own counts */
  guint64      counter;          /* what the shared counter holds */
  guint64      lost;             /* expected - counter (0 if the counter is ahead) */
  guint64      records_written;  /* the sum of the children's record counts */
  guint64      records_checked;  /* consistent reads the checker made */
  guint64      torn;             /* torn records found so far (each torn state once) */
  guint        torn_now;         /* records torn in the page right now */
} PsSyncCounts;

#define PS_TYPE_SYNC (ps_sync_get_type ())
G_DECLARE_FINAL_TYPE (PsSync, ps_sync, PS, SYNC, GObject)

/* On source's mapping, which must be writable, shared (not MAP_PRIVATE:
 * children would each write their own copy) and at least PS_SYNC_SIZE. */
PsSync      *ps_sync_new            (PsSource      *source,
                                     GError       **error);
/* Initialises the page for method and forks n_writers children (1 to
 * PS_SYNC_MAX_WRITERS; 0: one per core, at least two), each pinned to a core
 * in turn. Main thread only (PR_SET_PDEATHSIG follows it). Refused while
 * running. */
gboolean     ps_sync_start          (PsSync        *self,
                                     PsSyncMethod   method,
                                     guint          n_writers,
                                     GError       **error);
/* Asks the children to stop after their current loop and reaps them; one
 * that has not stopped within 2 s is killed. Idempotent. */
void         ps_sync_stop           (PsSync        *self);
gboolean     ps_sync_is_running     (PsSync        *self);
PsSyncMethod ps_sync_get_method     (PsSync        *self);
/* Reads the page: the totals, and the records checked for tearing. */
void         ps_sync_get_counts     (PsSync        *self,
                                     PsSyncCounts  *counts);

/* The checker alone, over a page's bytes (another view of it, say): of the
 * records whose sequence was even and the same before and after reading
 * them, how many did not match their checksum. *checked (may be NULL) gets
 * how many were read consistently; seqs (may be NULL, PS_SYNC_N_RECORDS)
 * the sequence of each, or G_MAXUINT64 where none was read. */
guint        ps_sync_check_records  (const guint8  *page,
                                     guint         *checked,
                                     guint64       *seqs);

const char  *ps_sync_method_to_string (PsSyncMethod method);   /* "none", "mutex", "semaphore", "atomic" */
gboolean     ps_sync_method_parse     (const char   *text,
                                       PsSyncMethod *method,
                                       GError      **error);

G_END_DECLS
