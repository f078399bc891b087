/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-source.h"

G_BEGIN_DECLS

#define PS_TYPE_APPLICATION (ps_application_get_type ())
G_DECLARE_FINAL_TYPE (PsApplication, ps_application, PS, APPLICATION, AdwApplication)

PsApplication *ps_application_new            (void);
GSettings     *ps_application_get_settings   (PsApplication *self);
/* Whether --log was given: every window's event log is echoed to stdout. */
int            ps_application_get_exit_status (PsApplication *self);
gboolean       ps_application_get_echo_log   (PsApplication *self);
void           ps_application_add_recent     (PsApplication      *self,
                                              const PsSourceSpec *spec);

/* Parses the source options of the command line (also used by tests):
 * FILE, --sysv, --shmid, --posix, --anon, --demo with --private, --writable,
 * --offset, --length. Returns FALSE with an error for malformed arguments;
 * *has_source is FALSE when none was named. */
/* SIGINT, SIGTERM and SIGHUP quit as app.quit does: every window releases
 * what it opened (the demo file is removed) and its writer children are
 * stopped and reaped. For the program, not for tests. The application must
 * outlive its main loop. */
void           ps_application_quit_on_signals (PsApplication *self);
gboolean       ps_application_parse_options  (GVariantDict  *options,
                                              PsSourceSpec  *spec,
                                              gboolean      *has_source,
                                              gboolean      *demo,
                                              GError       **error);

G_END_DECLS
