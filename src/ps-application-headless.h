/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs the headless mode the options ask for and returns its exit status
 * (2 for a malformed command line, said on stderr), or -1 when they ask
 * for none: the window's. */
int      ps_application_run_headless         (GVariantDict *options);
/* FALSE (said why) when an option of a headless mode comes without it. */
gboolean ps_application_check_window_options (GVariantDict *options);

G_END_DECLS
