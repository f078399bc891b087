/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <signal.h>
#include "ps-source.h"

G_BEGIN_DECLS

typedef enum
{
  PS_PATTERN_COUNTER,   /* a 64-bit counter, incremented each write, at the writer's own slot */
  PS_PATTERN_SWEEP,     /* one byte per page, page after page across the range */
  PS_PATTERN_RANDOM,    /* a random byte at a random offset */
  PS_PATTERN_TEXT,      /* a message, copied at successive offsets */
} PsPatternKind;

#define PS_PATTERN_TEXT_MAX 256

typedef struct
{
  PsPatternKind kind;
  gsize         text_len;
  char          text[PS_PATTERN_TEXT_MAX];
} PsPattern;

/* "counter" | "sweep" | "random" | "text:MESSAGE" | "\"MESSAGE\"" */
gboolean  ps_pattern_parse     (const char *text,
                                PsPattern  *pattern,
                                GError    **error);
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
} PsWriterJob;

/* One write of the pattern; async-signal-safe. n is the write's number (0, 1, ...). */
void      ps_writer_step       (const PsWriterJob *job,
                                guint64            n,
                                guint64           *rng_state);
/* The loop: writes at the rate until count or *stop; async-signal-safe.
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
const PsPattern *ps_writer_child_get_pattern   (PsWriterChild *self);
double         ps_writer_child_get_rate        (PsWriterChild *self);
guint64        ps_writer_child_get_done        (PsWriterChild *self);   /* reads the shared counter */
PsWriterState  ps_writer_child_get_state       (PsWriterChild *self);
int            ps_writer_child_get_exit_status (PsWriterChild *self);
int            ps_writer_child_get_term_signal (PsWriterChild *self);
char          *ps_writer_child_describe_exit   (PsWriterChild *self);   /* "exited 0", "killed by SIGTERM" */

/* A GListModel of PsWriterChild for one source. Children are reaped as soon
 * as they exit (a GChildWatch each); "child-exited" is emitted then. */
#define PS_TYPE_WRITERS (ps_writers_get_type ())
G_DECLARE_FINAL_TYPE (PsWriters, ps_writers, PS, WRITERS, GObject)

PsWriters *ps_writers_new          (PsSource        *source);
/* Forks n children (1..64 in all) writing pattern over [range_offset, +range_length)
 * (0 length = the whole mapping). Must be called on the main thread. */
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
 * `1 "hi, dad, this is son" 10`; RATE may be "max". */
gboolean   ps_writers_parse_spawn_arg (const char *text,
                                       guint      *count,
                                       PsPattern  *pattern,
                                       double     *rate,
                                       GError    **error);

G_END_DECLS
