/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PS_TYPE_LOG_ENTRY (ps_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (PsLogEntry, ps_log_entry, PS, LOG_ENTRY, GObject)

gint64      ps_log_entry_get_time  (PsLogEntry *self);
const char *ps_log_entry_get_text  (PsLogEntry *self);
gboolean    ps_log_entry_is_error  (PsLogEntry *self);
char       *ps_log_entry_format    (PsLogEntry *self);
/* An entry as a log once showed it (a replay's): time_us is wall-clock. */
PsLogEntry *ps_log_entry_new       (gint64      time_us,
                                    gboolean    is_error,
                                    const char *text);

#define PS_TYPE_EVENT_LOG (ps_event_log_get_type ())
G_DECLARE_FINAL_TYPE (PsEventLog, ps_event_log, PS, EVENT_LOG, GObject)

/* A list (GListModel of PsLogEntry) of every kernel call the core makes,
 * as "call(args) = result" or "call(args) = -1 ENAME (text)".
 * Entries may be added from any thread; the list model changes only in the
 * main context that was the thread default when the log was created. */
PsEventLog *ps_event_log_new       (void);
void        ps_event_log_add       (PsEventLog *self,
                                    gboolean    is_error,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (3, 4);
void        ps_event_log_set_echo  (PsEventLog *self,
                                    int         fd);
char       *ps_event_log_to_text   (PsEventLog *self);
void        ps_event_log_clear     (PsEventLog *self);
guint       ps_event_log_flush     (PsEventLog *self);

/* Helpers for the core's calls. All accept log == NULL. */
void        ps_call_ok             (PsEventLog *log,
                                    const char *result,
                                    const char *call_format,
                                    ...) G_GNUC_PRINTF (3, 4);
gboolean    ps_call_fail           (PsEventLog *log,
                                    GError    **error,
                                    int         errsv,
                                    const char *call_format,
                                    ...) G_GNUC_PRINTF (4, 5);
gboolean    ps_call_refuse         (PsEventLog *log,
                                    GError    **error,
                                    GIOErrorEnum code,
                                    const char *call,
                                    const char *reason_format,
                                    ...) G_GNUC_PRINTF (5, 6);
const char *ps_errno_name          (int         errsv);

G_END_DECLS
