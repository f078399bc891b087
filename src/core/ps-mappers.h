/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who else looks at an object: the processes that map it (from /proc, as
 * ps-segments finds them), the mapping of it in one of them, the spec of a
 * process view of it, and which processes are a display server. Core only. */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

#include "ps-segments.h"
#include "ps-source.h"

G_BEGIN_DECLS

/* The processes other than this one that map the object source shows (a
 * file, a POSIX or a SysV segment; none for an anonymous mapping or a view),
 * GArray of PsMapper. *known: FALSE when /proc cannot tell (a process whose
 * maps we may not read might map it too). */
GArray       *ps_mappers_of_source     (PsSource        *source,
                                        gboolean        *known);
/* Where pid maps the object (the first mapping of inode ino on device dev;
 * sysv: a SysV segment, whose inode is its shmid): its start address. */
gboolean      ps_mappers_find_address  (pid_t            pid,
                                        gboolean         sysv,
                                        guint64          dev,
                                        guint64          ino,
                                        guint64         *address);
/* A spec of pid's view of the object source shows (pid:PID?map=0xADDRESS);
 * NULL with an error naming why not. */
PsSourceSpec *ps_mappers_view_spec     (PsSource        *source,
                                        pid_t            pid,
                                        GError         **error);
/* The same for a segment of the open dialog's tables. */
PsSourceSpec *ps_mappers_sysv_view_spec  (const PsSysvSegment  *segment,
                                          pid_t                 pid,
                                          GError              **error);
PsSourceSpec *ps_mappers_posix_view_spec (const PsPosixSegment *segment,
                                          pid_t                 pid,
                                          GError              **error);

/* Is this process a display server (an X server, a Wayland compositor)?
 * The rule: its comm, or the base name of its executable, is one of those
 * ps_mappers_display_servers lists (Xorg, Xvfb, Xwayland, gnome-shell,
 * kwin_wayland, …). MIT-SHM segments are made by X clients and attached by
 * the server; they are the display's business, not the user's. */
gboolean      ps_mappers_is_display_server (pid_t        pid,
                                            const char  *command);
/* The names the rule above knows, NULL-terminated. */
const char * const *ps_mappers_display_servers (void);
/* A segment is the display server's own when any process that maps it is
 * one (its mappers; with none known, its creator cpid for SysV). */
gboolean      ps_mappers_sysv_is_display  (const PsSysvSegment  *segment);
gboolean      ps_mappers_posix_is_display (const PsPosixSegment *segment);

/* "4242 writer, 4243 writer" (at most max_names, then "and N more"), with
 * "unknown" when /proc cannot tell and none were found. Translated. */
char         *ps_mappers_describe        (GArray     *mappers,
                                          gboolean    known,
                                          guint       max_names);

G_END_DECLS
