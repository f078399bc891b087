/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-session.h"

G_BEGIN_DECLS

#define PS_TYPE_FIND_BAR (ps_find_bar_get_type ())
G_DECLARE_FINAL_TYPE (PsFindBar, ps_find_bar, PS, FIND_BAR, GtkWidget)

/* Find in a session's mapping. Signals: "found" (guint64 offset, guint64
 * length) for a match to show, "hits" (GArray of guint64, guint64 length)
 * for every match of a find all, and with no offsets when those matches no
 * longer answer the bar (its pattern changed, it closed, the source changed). */
GtkWidget *ps_find_bar_new         (void);
void       ps_find_bar_set_session (PsFindBar  *self,
                                    PsSession  *session);
/* Shows the bar and focuses its entry; text (may be NULL) replaces the
 * pattern, read as --find reads one. */
void       ps_find_bar_show        (PsFindBar  *self,
                                    const char *text);
/* The next (or previous) match from the session's cursor, going round the
 * end; shows the bar when it has no pattern yet. */
void       ps_find_bar_find        (PsFindBar  *self,
                                    gboolean    backward);

G_END_DECLS
