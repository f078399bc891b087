/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A probe of many pages by one child: what a sweep needs. One fork per page
 * costs the whole app a page-table copy and copy-on-write faults in every
 * thread (tens of milliseconds for a GTK process on this machine), so a
 * sweep of 262,143 pages took hours and held the main loop at each fork.
 * A batch child walks its pages in order instead, catches SIGBUS and
 * SIGSEGV with sigsetjmp/siglongjmp (savemask 1, KERNEL-FACTS), and reports
 * one record per page over a pipe, which the main context reads as it comes. */
#pragma once

#include "ps-probe.h"

G_BEGIN_DECLS

typedef struct _PsProbeBatch PsProbeBatch;

/* A page's result, in page order, in the main context. */
typedef void (*PsProbeBatchFunc) (const PsProbeResult *result,
                                  gpointer             data);
/* The child is gone and reaped: next_page is the first page it did not
 * report (last + 1 when all were). A page whose access did not finish
 * within PS_PROBE_DEADLINE_MS is reported as PS_PROBE_OTHER, timed out,
 * and the batch ends after it. */
typedef void (*PsProbeBatchDone) (guint64  next_page,
                                  gpointer data);

/* The offset a sweep probes in a page: in the page that holds EOF the
 * first byte past EOF, elsewhere the page's first byte. */
guint64       ps_probe_sweep_offset (const PsGeometry *geometry,
                                     guint64           page);

/* Forks the child for pages [first, last] of geometry (as restatted by the
 * caller), reading or writing `value` at ps_probe_sweep_offset of each.
 * Logs the fork; each run of pages with the same outcome is logged once,
 * as its first page's probe line and the run's extent. */
PsProbeBatch *ps_probe_batch_start  (PsSource         *source,
                                     const PsGeometry *geometry,
                                     guint64           first,
                                     guint64           last,
                                     gboolean          write,
                                     guint8            value,
                                     PsProbeBatchFunc  each,
                                     PsProbeBatchDone  done,
                                     gpointer          data,
                                     GError          **error);
pid_t         ps_probe_batch_get_pid (PsProbeBatch    *batch);
/* Kills the child if it still runs and reaps it now; calls neither func. */
void          ps_probe_batch_free   (PsProbeBatch     *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsProbeBatch, ps_probe_batch_free)

G_END_DECLS
