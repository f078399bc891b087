/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-segment-row.h"
#include "ps-source.h"

G_BEGIN_DECLS

#define PS_TYPE_SEGMENT_TABLE (ps_segment_table_get_type ())
G_DECLARE_FINAL_TYPE (PsSegmentTable, ps_segment_table, PS, SEGMENT_TABLE, GObject)

/* The live table of SysV segments or of POSIX segments (kind is
 * PS_SOURCE_SYSV or PS_SOURCE_POSIX): one PsSegmentRow per segment, sorted
 * by the headers of the view it is attached to, at most one selected. */
PsSegmentTable     *ps_segment_table_new           (PsSourceKind    kind);
PsSourceKind        ps_segment_table_get_kind      (PsSegmentTable *self);
/* The rows, in the kernel's order. */
GListModel         *ps_segment_table_get_rows      (PsSegmentTable *self);
/* The rows in the view's order, and which one is selected. */
GtkSingleSelection *ps_segment_table_get_selection (PsSegmentTable *self);
/* Gives view the table's columns and shows the rows in it, sorted by its
 * headers. */
void                ps_segment_table_attach_view   (PsSegmentTable *self,
                                                    GtkColumnView  *view);
/* Re-reads the segments: replaces only the rows that changed and keeps the
 * selection on the same segment (setting it again if the row moved). FALSE
 * if the list could not be read; the table is empty then. */
gboolean            ps_segment_table_refresh       (PsSegmentTable *self,
                                                    GError        **error);
/* Segments a display server maps (ps_mappers_sysv_is_display) are left out
 * of the view's rows unless shown; the rows keep them. */
void                ps_segment_table_set_show_display (PsSegmentTable *self,
                                                       gboolean        show);
gboolean            ps_segment_table_get_show_display (PsSegmentTable *self);
/* How many rows the filter leaves out now. */
guint               ps_segment_table_get_n_hidden  (PsSegmentTable *self);
/* The row with this id (a shmid, or a POSIX name with its '/'), or NULL. */
PsSegmentRow       *ps_segment_table_find          (PsSegmentTable *self,
                                                    const char     *id);
/* Selects the row with this id; FALSE if the table has no such row. */
gboolean            ps_segment_table_select        (PsSegmentTable *self,
                                                    const char     *id);
/* The cells of a row as shown, joined by " | ", or NULL if the table has
 * no such row. */
char               *ps_segment_table_dup_row_text  (PsSegmentTable *self,
                                                    const char     *id);

G_END_DECLS
