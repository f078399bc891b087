/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Test hooks of PsStatusBar: not for the app. */

#include "ps-status-bar.h"

G_BEGIN_DECLS

typedef enum
{
  PS_STATUS_SIZE,
  PS_STATUS_PAGES,
  PS_STATUS_RESIDENT,
  PS_STATUS_CHANGES,
  PS_STATUS_PASS,
  PS_STATUS_CPU,
  PS_STATUS_BUDGET,
  PS_STATUS_FLAGS,
  PS_STATUS_N_FIELDS
} PsStatusField;

GtkLabel *ps_status_bar_get_label (PsStatusBar   *self,
                                   PsStatusField  field);

G_END_DECLS
