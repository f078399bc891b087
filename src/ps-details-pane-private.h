/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the tests: what the pane shows, and how often it read the lifecycle. */
#include "ps-details-pane.h"

G_BEGIN_DECLS

/* Every row of both lists, "title: subtitle", a line each. */
char  *ps_details_pane_dup_text       (PsDetailsPane *self);
/* Lifecycle reads completed since the pane was made. */
guint     ps_details_pane_get_reads      (PsDetailsPane *self);
/* Whether it reads again by itself: a refresh timer armed or a read under way. */
gboolean  ps_details_pane_is_refreshing  (PsDetailsPane *self);

G_END_DECLS
