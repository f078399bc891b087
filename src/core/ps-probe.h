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
} PsProbeResult;

/* Reads (or writes value to) one byte at offset in a forked child: core dumps
 * off, default SIGBUS/SIGSEGV, the child reports si_code/si_addr over a pipe.
 * offset may lie past the mapping (up to its guard page). Logs
 * "probe(offset=0x1000, read) = SIGBUS (BUS_ADRERR)" and the fork/waitpid. A
 * write probe needs a writable mapping; on a shared one it really writes. */
gboolean     ps_probe_run              (PsSource      *source,
                                        guint64        offset,
                                        gboolean       write,
                                        guint8         value,
                                        PsProbeResult *result,
                                        GError       **error);

const char  *ps_probe_outcome_to_string (PsProbeOutcome outcome);   /* "ok", "zero-tail", "SIGBUS", "SIGSEGV", "other" */
char        *ps_probe_explain           (const PsProbeResult *result);  /* a sentence or two, translated */
/* What the outcome must be, from the geometry alone (for the sweep, and tests). */
PsProbeOutcome ps_probe_expected        (const PsGeometry *geometry,
                                         guint64           offset);

/* "OFFSET read" | "OFFSET write" (the probe action's argument) */
gboolean     ps_probe_parse_arg         (const char *text,
                                         guint64    *offset,
                                         gboolean   *write,
                                         GError    **error);

G_END_DECLS
