/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-source.h"

G_BEGIN_DECLS

#define PS_TYPE_APPLICATION (ps_application_get_type ())
G_DECLARE_FINAL_TYPE (PsApplication, ps_application, PS, APPLICATION, AdwApplication)

PsApplication *ps_application_new            (void);
GSettings     *ps_application_get_settings   (PsApplication *self);
int            ps_application_get_exit_status (PsApplication *self);
/* Whether --log was given: every window's event log is echoed to stdout,
 * from the window's first entry on (set it before making windows). */
gboolean       ps_application_get_echo_log   (PsApplication *self);
void           ps_application_set_echo_log   (PsApplication *self,
                                              gboolean       echo);
/* Keeps spec first among the recent sources; never a view of a process
 * (its pid names another process, or none, once that one exits). */
void           ps_application_add_recent     (PsApplication      *self,
                                              const PsSourceSpec *spec);

/* SIGINT, SIGTERM and SIGHUP quit as app.quit does: every window releases
 * what it opened (the demo file is removed) and its writer children are
 * stopped and reaped. Armed when the primary instance starts up. For the
 * program, not for tests. The application must outlive its main loop. */
void           ps_application_quit_on_signals (PsApplication *self);
/* Parses the source options of the command line: FILE..., --sysv, --shmid,
 * --posix, --anon, --demo with --private, --writable, --offset, --length.
 * *sources: a GArray of PsSourceSpec, one for each FILE (each with the same
 * mapping options) or the one source named; empty when none was (--demo is
 * *demo). FALSE with an error for malformed arguments. */
gboolean       ps_application_parse_options  (GVariantDict  *options,
                                              GArray       **sources,
                                              gboolean      *demo,
                                              GError       **error);

G_END_DECLS
