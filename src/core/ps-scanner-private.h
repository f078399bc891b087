/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Test hooks of PsScanner: not for the app. */

#include "ps-scanner.h"

G_BEGIN_DECLS

/* Called on the scanner's thread after each step of a pass's hashing (a few
 * MiB), with the pages the pass has hashed so far. */
typedef void (*PsScannerSliceHook) (PsScanner *scanner,
                                    guint64    pages_hashed,
                                    gpointer   data);

/* Not while the thread runs. */
void      ps_scanner_set_slice_hook         (PsScanner          *self,
                                             PsScannerSliceHook  hook,
                                             gpointer            data);
/* A sweep was asked (ps_scanner_add_pass_func_after_sweep) and is not done. */
gboolean  ps_scanner_sweep_pending          (PsScanner          *self);
/* TRUE from ps_scanner_stop's request until the thread is joined. */
gboolean  ps_scanner_stop_requested         (PsScanner          *self);
/* The pages hashed by the last pass that a stop request cut short (0: none).
 * Not while the thread runs. */
guint64   ps_scanner_get_stopped_pass_pages (PsScanner          *self);

/* Dirty pages per mapping (smaps) even where the kernel tells per page, as
 * for a user without CAP_SYS_ADMIN. Not while the thread runs. */
void      ps_scanner_set_dirty_per_mapping_only (PsScanner *self,
                                                 gboolean   per_mapping_only);

G_END_DECLS
