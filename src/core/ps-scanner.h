/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-frame.h"
#include "ps-source.h"

G_BEGIN_DECLS

#define PS_SCANNER_MIN_INTERVAL_MS   10
#define PS_SCANNER_MAX_INTERVAL_MS   10000
#define PS_SCANNER_FOCUS_MAX_PAGES   64

#define PS_TYPE_SCANNER (ps_scanner_get_type ())
G_DECLARE_FINAL_TYPE (PsScanner, ps_scanner, PS, SCANNER, GObject)

/* The worker that watches a source. Frames are delivered in the main context
 * that was the thread default at ps_scanner_new: the "frame" property changes
 * (notify::frame) there. The thread never calls GTK; the UI never waits on it. */
PsScanner  *ps_scanner_new            (PsSource  *source);
PsSource   *ps_scanner_get_source     (PsScanner *self);

void        ps_scanner_start          (PsScanner *self);
/* Joins the thread at once: a pass under way stops at its next step of a
 * few MiB, whatever the object's size and the interval. */
void        ps_scanner_stop           (PsScanner *self);
gboolean    ps_scanner_is_running     (PsScanner *self);

void        ps_scanner_set_paused     (PsScanner *self,
                                       gboolean   paused);
gboolean    ps_scanner_get_paused     (PsScanner *self);
void        ps_scanner_set_interval   (PsScanner *self,
                                       guint      interval_ms);
guint       ps_scanner_get_interval   (PsScanner *self);
/* A fixed fraction of one core for this scanner's passes, instead of its
 * share of the process's budget (ps_budget_get_default), which it follows
 * by default. For tests and benchmarks. */
void        ps_scanner_set_budget     (PsScanner *self,
                                       double     fraction);
/* The byte range on screen; clamped to PS_SCANNER_FOCUS_MAX_PAGES pages. */
void        ps_scanner_set_focus      (PsScanner *self,
                                       guint64    offset,
                                       gsize      length);
/* Ask for a pass now (after a write, say). */
void        ps_scanner_wake           (PsScanner *self);

/* The newest frame delivered to the main context (transfer none), or NULL. */
PsFrame    *ps_scanner_get_frame      (PsScanner *self);

/* One full pass in the calling thread (every page, no budget), for tests and
 * the benchmark. Not while the thread runs. Returns the frame (transfer full). */
PsFrame    *ps_scanner_scan_now       (PsScanner *self);

/* Memory the scanner holds per page, without frames (for the benchmark). */
gsize       ps_scanner_get_state_bytes (PsScanner *self);

G_END_DECLS
