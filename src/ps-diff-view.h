/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-snapshot.h"

G_BEGIN_DECLS

#define PS_DIFF_VIEW_MAX_ROWS 100000   /* rows listed at most: the first ones, in offset order */

#define PS_TYPE_DIFF_VIEW (ps_diff_view_get_type ())
G_DECLARE_FINAL_TYPE (PsDiffView, ps_diff_view, PS, DIFF_VIEW, GtkWidget)

/* Over the hex view while a snapshot is compared: how many pages differ
 * and from what, "only changed rows", save and stop; with only changed
 * rows, the list of the rows that differ (ps_snapshot_get_changed_rows), as
 * wide as the hex view's ("bytes-per-row"), and a notice for each page with
 * bytes whose old value was not kept,
 * each the new bytes with the old ones under them, changed bytes coloured
 * and the old ones struck through ("??" where the old byte is not known).
 * Activating a row emits "row-activated" with its offset. */
GtkWidget  *ps_diff_view_new              (void);
void        ps_diff_view_set_snapshot     (PsDiffView *self,
                                           PsSnapshot *snapshot);
void        ps_diff_view_set_only_changed (PsDiffView *self,
                                           gboolean    only_changed);
/* Bytes a row (the "bytes-per-row" property), as PsHexView's. */
void        ps_diff_view_set_bytes_per_row (PsDiffView *self,
                                            guint       bytes_per_row);
guint       ps_diff_view_get_bytes_per_row (PsDiffView *self);
/* The rows listed: their offsets, ascending (for tests and the a11y). */
guint       ps_diff_view_get_n_rows       (PsDiffView *self);
guint64     ps_diff_view_get_row_offset   (PsDiffView *self,
                                           guint       index);
/* A row that stands for the bytes of a changed page whose old value was
 * not kept (ps_snapshot_get_unknown_bytes), in place of its rows; its
 * offset is the page's. */
gboolean    ps_diff_view_row_is_notice    (PsDiffView *self,
                                           guint       index);
/* What the row at index shows: a row's text, or a notice's. */
char       *ps_diff_view_get_row_text     (PsDiffView *self,
                                           guint       index);
/* The text a row shows (new line, then old line). */
char       *ps_diff_view_row_text         (PsDiffView *self,
                                           guint64     offset);

G_END_DECLS
