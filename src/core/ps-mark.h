/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A named byte range of the mapping, with a colour: drawn on the grid and
 * in the hex view, listed to jump to, and a name "go to" takes. */
#define PS_TYPE_MARK (ps_mark_get_type ())
G_DECLARE_FINAL_TYPE (PsMark, ps_mark, PS, MARK, GObject)

/* The colours marks cycle through (0xRRGGBBAA), and how many. */
extern const guint32 ps_mark_colors[];
#define PS_MARK_N_COLORS 6

PsMark      *ps_mark_new         (const char *name,
                                  guint64     offset,
                                  guint64     length,
                                  guint32     rgba);
const char  *ps_mark_get_name    (PsMark     *self);
guint64      ps_mark_get_offset  (PsMark     *self);
guint64      ps_mark_get_length  (PsMark     *self);
guint32      ps_mark_get_rgba    (PsMark     *self);
/* 1 to 64 letters, digits, '_', '-', '.' and spaces, starting with a letter
 * or '_'. */
gboolean     ps_mark_name_is_valid (const char *name);

G_END_DECLS
