/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a single probe and a batch share: how an access's end becomes an
 * outcome, and how it is logged. Only ps-probe*.c include this. */
#pragma once

#include "ps-probe.h"

G_BEGIN_DECLS

/* status: a wait status (a batch makes one: 0, or the signal's number);
 * have_value: the access completed. Sets r->outcome, signo, exit_status. */
void ps_probe_classify    (PsProbeResult       *r,
                           int                  status,
                           gboolean             have_value);
/* "probe(offset=0x1000, read) = SIGBUS (BUS_ADRERR at +0x1000) (0.20 ms)" */
void ps_probe_log_outcome (PsEventLog          *log,
                           const char          *call,
                           const PsProbeResult *r,
                           int                  status);

G_END_DECLS
