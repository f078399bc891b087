/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What ps-writer.c (the children, their patterns) and ps-writers.c (the
 * set of them a session holds) share. */
#pragma once

#include "ps-writer.h"

G_BEGIN_DECLS

#define REAP_DEADLINE_US  (2 * G_USEC_PER_SEC)
#define SLOT_SIZE         64   /* one cache line per child's counter */

struct _PsWriterChild
{
  GObject           parent_instance;

  PsWriters        *owner;        /* unowned; its dispose removes our watch first */
  pid_t             pid;
  guint             index;
  PsPattern         pattern;
  double            rate;
  volatile guint64 *done;         /* the shared slot while running, else NULL */
  guint64           final_done;
  PsWriterState     state;
  int               exit_status;
  int               term_signal;
  guint             watch_id;
};

/* Sets error for a rate below PS_WRITER_RATE_MIN; FALSE. */
gboolean ps_writer_rate_too_small (GError    **error,
                                   const char *text);

G_END_DECLS
