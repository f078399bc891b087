/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the open dialog shows its tests, and not the rest of the app. */
#pragma once

#include "ps-open-dialog.h"

G_BEGIN_DECLS

/* Test and scripting hooks: they drive the dialog the way a user would,
 * without synthesized input events.
 *
 * Sets a field as if typed, and shows its page. Entries take text; switches
 * and the "create" expanders take true/false; "sysv-by-shmid" takes
 * true/false. Fields: path, private, writable, offset, length (File);
 * sysv-key, sysv-by-shmid, sysv-writable, sysv-create, sysv-create-key,
 * sysv-create-size, sysv-create-mode (SysV); posix-name, posix-private,
 * posix-writable, posix-offset, posix-length, posix-create, posix-create-name,
 * posix-create-size, posix-create-mode (POSIX); anon-size (Anonymous).
 * Returns FALSE for an unknown field or a value the field cannot take. */
gboolean      ps_open_dialog_set_field          (PsOpenDialog *self,
                                                 const char   *field,
                                                 const char   *value);
/* Presses the Open/Attach/Create button. On success the dialog is destroyed. */
void          ps_open_dialog_activate_open      (PsOpenDialog *self);
/* The error the dialog shows, or NULL when it shows none. */
const char   *ps_open_dialog_get_error_text     (PsOpenDialog *self);
/* Re-reads the SysV and POSIX tables now (they also refresh every 2 s). */
void          ps_open_dialog_refresh            (PsOpenDialog *self);
/* Selects a table row, as a click would (this fills the key or name field
 * and shows the page). FALSE if the table has no such row. */
gboolean      ps_open_dialog_select_sysv_shmid  (PsOpenDialog *self,
                                                 int           shmid);
gboolean      ps_open_dialog_select_posix_name  (PsOpenDialog *self,
                                                 const char   *name);
/* The cells of a table row as shown, joined by " | ", or NULL if the table
 * has no such row; id is a shmid (SysV) or a name with its '/' (POSIX). */
char         *ps_open_dialog_dup_row_text       (PsOpenDialog *self,
                                                 PsSourceKind  kind,
                                                 const char   *id);

G_END_DECLS
