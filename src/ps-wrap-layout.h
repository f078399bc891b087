/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_WRAP_LAYOUT (ps_wrap_layout_get_type ())
G_DECLARE_FINAL_TYPE (PsWrapLayout, ps_wrap_layout, PS, WRAP_LAYOUT, GtkLayoutManager)

/* Children in a row, each at its natural width, going on to the next line
 * where the row is full (GTK 4.8 has no wrap box): a bar of short labels
 * that fits a narrow window. A child that expands takes what is left of its
 * line. Single-line, it is a box: the children shrink (ellipsize) rather
 * than wrap, so that its height never changes with its text. */
GtkLayoutManager *ps_wrap_layout_new         (void);
void              ps_wrap_layout_set_spacing (PsWrapLayout *self,
                                              int           column_spacing,
                                              int           row_spacing);
void              ps_wrap_layout_set_single_line (PsWrapLayout *self,
                                                  gboolean      single_line);

G_END_DECLS
