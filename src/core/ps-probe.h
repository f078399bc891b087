/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-source.h"

G_BEGIN_DECLS

typedef enum
{
  PS_PROBE_OK,          /* inside the object */
  PS_PROBE_ZERO_TAIL,   /* the last page, past EOF: reads 0, writes never reach the file */
  PS_PROBE_SIGBUS,      /* a page wholly past EOF inside the mapping (BUS_ADRERR) */
  PS_PROBE_SIGSEGV,     /* past the mapping (the guard page) */
  PS_PROBE_OTHER,       /* anything else: the child died otherwise */
} PsProbeOutcome;

typedef struct
{
  PsProbeOutcome outcome;
  guint64        offset;        /* into the mapping */
  gboolean       write;
  guint8         value;         /* read: what the child read; write: what it wrote */
  pid_t          pid;
  int            signo;         /* 0 if the child exited */
  int            si_code;
  guint64        fault_offset;  /* si_addr - mapping start */
  int            exit_status;
  gint64         elapsed_us;
  PsGeometry     geometry;      /* restat just before the probe */
  gboolean       have_fault;    /* the child reported si_code and si_addr */
  PsSourceKind   kind;          /* for the explanation: a file or a segment */
  PsMapFlags     flags;         /* MAP_PRIVATE or shared, for the explanation */
  gboolean       timed_out;     /* the child hung and was SIGKILLed after 5 s (outcome OTHER) */
} PsProbeResult;

#define PS_TYPE_PROBE_RESULT (ps_probe_result_get_type ())
GType        ps_probe_result_get_type   (void) G_GNUC_CONST;

/* Reads (or writes value to) one byte at offset in a forked child: core dumps
 * off, default SIGBUS/SIGSEGV, the child reports si_code/si_addr over a pipe.
 * offset may lie past the mapping (up to its guard page). Logs
 * "probe(offset=0x1000, read) = SIGBUS (BUS_ADRERR at +0x1000)" and the
 * fork/waitpid. A write probe needs a writable mapping; on a shared one it
 * really writes (past EOF: into the page cache, never into the file); on a
 * private one the child writes only its own copy.
 * Forks from the calling thread and waits for the child: call it on the main
 * thread (KERNEL-FACTS: about 0.2 ms, ~30 ms with 1 GiB of private memory).
 * A child still running after 5 s (an access that blocks) is SIGKILLed. */
gboolean     ps_probe_run              (PsSource      *source,
                                        guint64        offset,
                                        gboolean       write,
                                        guint8         value,
                                        PsProbeResult *result,
                                        GError       **error);

/* The same in two halves, for a caller that must not wait (the session's
 * sweep): ps_probe_start forks the child (on the main thread) and logs it;
 * when the child has exited and been reaped (a GChildWatch, say, SIGKILLed
 * after PS_PROBE_DEADLINE_MS), ps_probe_child_finish reads what it reported,
 * classifies and logs the outcome. */
#define PS_PROBE_DEADLINE_MS 5000

typedef struct _PsProbeChild PsProbeChild;

PsProbeChild *ps_probe_start            (PsSource      *source,
                                         guint64        offset,
                                         gboolean       write,
                                         guint8         value,
                                         GError       **error);
pid_t        ps_probe_child_get_pid     (PsProbeChild  *child);
/* status: the wait status, or -1 if it could not be reaped. */
void         ps_probe_child_finish      (PsProbeChild  *child,
                                         int            status,
                                         gboolean       timed_out,
                                         PsProbeResult *result);
void         ps_probe_child_free        (PsProbeChild  *child);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsProbeChild, ps_probe_child_free)

const char  *ps_probe_outcome_to_string (PsProbeOutcome outcome);   /* "ok", "zero-tail", "SIGBUS", "SIGSEGV", "other" */
char        *ps_probe_explain           (const PsProbeResult *result);  /* a sentence or two, translated */
/* What the outcome must be, from the geometry alone (for the sweep, and tests). */
PsProbeOutcome ps_probe_expected        (const PsGeometry *geometry,
                                         guint64           offset);

/* "OFFSET read" | "OFFSET write" (the probe action's argument); OFFSET is
 * decimal or 0x hex; OFFSET alone means read. */
gboolean     ps_probe_parse_arg         (const char *text,
                                         guint64    *offset,
                                         gboolean   *write,
                                         GError    **error);

/* Shared with ps-writer: "SIGBUS" (never strsignal's translated text),
 * "signal 42" for one without a name. */
char        *ps_signal_name             (int signo);
/* "BUS_ADRERR", "SEGV_ACCERR", "SI_USER"..., or "si_code 42". */
char        *ps_si_code_name            (int signo,
                                         int code);
/* A waitpid status as "exited 0", "killed by SIGTERM", "killed by SIGSEGV (core dumped)". */
char        *ps_wait_status_to_string   (int status);

/* Shared with ps-writer: fork() with every signal blocked across it, so no
 * handler of the parent's (GLib's would write to the parent's wakeup fd) can
 * run in the child. The child starts with every signal still blocked; it calls
 * ps_child_reset_signals() (async-signal-safe) and then unblocks them.
 * Sets errno on failure. */
pid_t        ps_fork_blocked            (void);
/* In the child: SIG_DFL for every signal that has a handler, and for
 * SIGTERM, SIGINT, SIGBUS and SIGSEGV even if ignored; no core dumps. */
void         ps_child_reset_signals     (void);

G_END_DECLS
