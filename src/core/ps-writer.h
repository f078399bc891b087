/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include "ps-source.h"

G_BEGIN_DECLS

/* The patterns, exactly. Write number n (0, 1, 2, ...) of writer index i,
 * over the range [O, O + L) of the mapping, page size P:
 *
 * counter  the 64-bit little-endian value n + 1 (the count of writes so far)
 *          at O + (i % (L / 8)) * 8: each writer has its own 8-byte slot;
 *          the slots are the range rounded down to 8 bytes, so the value
 *          always fits (a range of fewer than 8 bytes holds its low bytes).
 * sweep    the byte (n & 0xff) at O + (n * P + i * 64) % L: one byte per
 *          page, page after page, and writers 64 bytes apart.
 * random   xorshift64* (x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
 *          r = x * 0x2545F4914F6CDD1D), the state seeded with seed ^ i
 *          (0x9E3779B97F4A7C15 if that is 0): the byte (r >> 56) at
 *          O + (r & 0x00FFFFFFFFFFFFFF) % L.
 * text     the message, len bytes, at O + (n * len) % (L - len + 1): copies
 *          laid end to end, wrapping around so that each one fits whole; when
 *          the range is shorter than the message, its first L bytes at O.
 * n * P and n * len are reduced without overflow, however large n grows. */
typedef enum
{
  PS_PATTERN_COUNTER,   /* a 64-bit counter, incremented each write, at the writer's own slot */
  PS_PATTERN_SWEEP,     /* one byte per page, page after page across the range */
  PS_PATTERN_RANDOM,    /* a random byte at a random offset */
  PS_PATTERN_TEXT,      /* a message, copied at successive offsets */
} PsPatternKind;

#define PS_PATTERN_TEXT_MAX 256   /* the message holds at most 255 bytes, then a NUL */

typedef struct
{
  PsPatternKind kind;
  gsize         text_len;
  char          text[PS_PATTERN_TEXT_MAX];
} PsPattern;

/* "counter" | "sweep" | "random" | "text:MESSAGE" | "\"MESSAGE\""
 * text:MESSAGE takes the rest of the text literally; a double-quoted message
 * takes C escapes (\n \t \xHH \\ \" ..., as ps_bytes_parse reads them).
 * The message holds 1 to 255 bytes. */
gboolean  ps_pattern_parse     (const char *text,
                                PsPattern  *pattern,
                                GError    **error);
/* "counter", ..., or the message double-quoted and escaped, which parses back. */
char     *ps_pattern_to_string (const PsPattern *pattern);

/* Everything a writer loop needs; no pointers to the heap, so a forked child
 * (async-signal-safe calls only) and pagescope-writer run the same code. */
typedef struct
{
  guint8           *base;          /* the mapping */
  guint64           range_offset;  /* where in the mapping to write */
  guint64           range_length;
  PsPattern         pattern;
  double            rate;          /* writes per second; 0 = as fast as possible */
  guint64           count;         /* stop after this many writes; 0 = never */
  guint             index;         /* which writer (slot of the counter, seed of random) */
  guint64           seed;
  volatile guint64 *done;          /* writes done so far, for the parent to read; may be NULL */
  guint64           page_size;     /* the sweep's stride; 0 = 4096 */
} PsWriterJob;

/* One write of the pattern; async-signal-safe. n is the write's number (0, 1, ...).
 * *rng_state is the random pattern's state: start it at 0 (seeded on first use). */
void      ps_writer_step       (const PsWriterJob *job,
                                guint64            n,
                                guint64           *rng_state);
/* The loop: writes at the rate until count or *stop; async-signal-safe.
 * The rate is kept with absolute deadlines (clock_nanosleep TIMER_ABSTIME on
 * CLOCK_MONOTONIC): write k is due at start + k / rate; a loop more than a
 * second late (stopped, say) starts its schedule again instead of bursting.
 * With stop set, it sleeps at most 100 ms at a time, so a stop that lands just
 * before a sleep is still seen within 100 ms. stop may be NULL.
 * Returns the number of writes done. */
guint64   ps_writer_run        (const PsWriterJob       *job,
                                volatile sig_atomic_t   *stop);

/* ---- writer children, forked from the main thread ---- */

#define PS_WRITERS_MAX 64

typedef enum
{
  PS_WRITER_RUNNING,
  PS_WRITER_EXITED,     /* exit_status valid */
  PS_WRITER_KILLED,     /* term_signal valid */
} PsWriterState;

#define PS_TYPE_WRITER_CHILD (ps_writer_child_get_type ())
G_DECLARE_FINAL_TYPE (PsWriterChild, ps_writer_child, PS, WRITER_CHILD, GObject)

pid_t          ps_writer_child_get_pid         (PsWriterChild *self);
guint          ps_writer_child_get_index       (PsWriterChild *self);   /* its slot: the counter's, 0..63 */
const PsPattern *ps_writer_child_get_pattern   (PsWriterChild *self);
double         ps_writer_child_get_rate        (PsWriterChild *self);
guint64        ps_writer_child_get_done        (PsWriterChild *self);   /* reads the shared counter */
PsWriterState  ps_writer_child_get_state       (PsWriterChild *self);
int            ps_writer_child_get_exit_status (PsWriterChild *self);
int            ps_writer_child_get_term_signal (PsWriterChild *self);
char          *ps_writer_child_describe_exit   (PsWriterChild *self);   /* "exited 0", "killed by SIGTERM" */

/* A GListModel of PsWriterChild for one source. Children are reaped as soon
 * as they exit (a GChildWatch each, in the default main context);
 * "child-exited" (PsWriterChild) and items-changed are emitted then. Each
 * child arms PR_SET_PDEATHSIG(SIGTERM), so it dies with the thread that forked
 * it, and closes every fd above 2 (it needs none, and must not keep the app's
 * pipes open). Disposing of the PsWriters sends SIGTERM to every running child
 * and reaps them before returning (SIGKILL after 2 s). */
#define PS_TYPE_WRITERS (ps_writers_get_type ())
G_DECLARE_FINAL_TYPE (PsWriters, ps_writers, PS, WRITERS, GObject)

PsWriters *ps_writers_new          (PsSource        *source);
/* Forks n children (1..64 in all) writing pattern over [range_offset, +range_length)
 * (0 length = up to the object's end: EOF or the mapping's end, whichever is
 * first; nothing of the object at range_offset is refused). Must be called on the
 * main thread. Needs a writable mapping; on a MAP_PRIVATE one each child writes
 * its own copy, which neither the object nor this process ever sees. A child
 * that touches a page wholly past EOF dies of SIGBUS ("killed by SIGBUS"). */
gboolean   ps_writers_spawn        (PsWriters       *self,
                                    guint            n,
                                    const PsPattern *pattern,
                                    double           rate,
                                    guint64          range_offset,
                                    guint64          range_length,
                                    guint64          count,
                                    GError         **error);
void       ps_writers_stop         (PsWriters       *self,
                                    PsWriterChild   *child);
void       ps_writers_stop_all     (PsWriters       *self);
guint      ps_writers_get_n_running (PsWriters      *self);
/* Removes exited children from the list. */
void       ps_writers_clear_exited (PsWriters       *self);

/* "COUNT PATTERN RATE" (the spawn-writers action's argument), e.g. `3 counter 100`,
 * `1 "hi, dad, this is son" 10`, `2 random max`; the pattern is everything
 * between the first and the last word; RATE is writes per second (a decimal
 * number), "max" or 0 = as fast as possible. */
gboolean   ps_writers_parse_spawn_arg (const char *text,
                                       guint      *count,
                                       PsPattern  *pattern,
                                       double     *rate,
                                       GError    **error);

/* The least rate a writer keeps: one write every 10 s. Below it the
 * schedule's interval would not fit its clock (1e-10 ran at full speed,
 * 1e-300 made an undefined cast): refused by the parsers and by spawn. */
#define PS_WRITER_RATE_MIN 0.1

/* "100", "2.5", "max" or "0" (as fast as possible): writes per second,
 * 0 or at least PS_WRITER_RATE_MIN. */
gboolean   ps_writer_parse_rate       (const char *text,
                                       double     *rate,
                                       GError    **error);
/* "100/s", "max" */
char      *ps_writer_rate_to_string   (double      rate);

G_END_DECLS
