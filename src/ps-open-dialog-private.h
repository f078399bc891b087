/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The open dialog's insides, shared by its files and shown to its tests,
 * not to the rest of the app: ps-open-dialog.c (the window, its pages and
 * its tables), ps-open-dialog-spec.c (from the fields to a checked spec,
 * and the row an error is about), ps-open-dialog-hooks.c (the test hooks). */
#pragma once

#include "ps-open-dialog.h"
#include "ps-segment-table.h"

G_BEGIN_DECLS

struct _PsOpenDialog
{
  AdwWindow             parent_instance;

  /* template children */
  AdwViewStack         *stack;
  GtkButton            *open_button;
  GtkLabel             *error_label;
  AdwEntryRow          *path_row;
  GtkLabel             *file_size_label;
  GtkSwitch            *private_switch;
  GtkSwitch            *writable_switch;
  AdwEntryRow          *offset_row;
  AdwEntryRow          *length_row;
  GtkColumnView        *sysv_view;
  GtkLabel             *sysv_empty_label;
  GtkWidget            *sysv_attach_group;
  AdwEntryRow          *sysv_key_row;
  GtkDropDown          *sysv_by_dropdown;
  GtkSwitch            *sysv_writable_switch;
  AdwExpanderRow       *sysv_create_row;
  AdwEntryRow          *sysv_create_key_row;
  AdwEntryRow          *sysv_create_size_row;
  AdwEntryRow          *sysv_create_mode_row;
  GtkColumnView        *posix_view;
  GtkLabel             *posix_empty_label;
  GtkWidget            *posix_open_group;
  AdwEntryRow          *posix_name_row;
  GtkSwitch            *posix_private_switch;
  GtkSwitch            *posix_writable_switch;
  AdwEntryRow          *posix_offset_row;
  AdwEntryRow          *posix_length_row;
  AdwExpanderRow       *posix_create_row;
  AdwEntryRow          *posix_create_name_row;
  AdwEntryRow          *posix_create_size_row;
  AdwEntryRow          *posix_create_mode_row;
  AdwEntryRow          *anon_size_row;

  PsOpenFunc            open_func;
  gpointer              user_data;
  PsSegmentTable       *sysv_table;
  PsSegmentTable       *posix_table;
  GtkFileChooserNative *chooser;
  GtkWidget            *error_row;        /* the row marked "error", if any */
  char                 *picked_name;      /* the POSIX name as it is, of the one... */
  char                 *picked_text;      /* ...shown escaped in the name row */
  guint                 refresh_id;
  gboolean              filling;          /* the dialog itself sets a field */

  /* ps-open-dialog-process.c */
  GtkCheckButton       *sysv_display_check;
  GtkCheckButton       *posix_display_check;
  GtkMenuButton        *sysv_seen_by;
  GtkMenuButton        *posix_seen_by;
  AdwComboRow          *process_row;
  AdwComboRow          *mapping_row;
  GArray               *process_pids;     /* pid_t, as process_row lists them */
  GArray               *mapping_starts;   /* guint64, as mapping_row lists them */
};

/* The Process page, "Open as Seen By" and the display server's filter
 * (ps-open-dialog-process.c). */
void          ps_open_dialog_process_class_init (GtkWidgetClass     *widget_class);
void          ps_open_dialog_process_init       (PsOpenDialog       *self);
void          ps_open_dialog_process_dispose    (PsOpenDialog       *self);
/* Reads the processes (and the mappings of the one picked) again. */
void          ps_open_dialog_fill_processes     (PsOpenDialog       *self);
gboolean      ps_open_dialog_build_process_spec (PsOpenDialog       *self,
                                                 PsSourceSpec       *spec,
                                                 GtkWidget         **bad,
                                                 GError            **error);
/* The check button says how many segments the filter hides now. */
void          ps_open_dialog_show_hidden        (PsOpenDialog       *self,
                                                 PsSourceKind        kind);
/* The "Open as Seen By" menu for the selected row of a table. */
GMenuModel   *ps_open_dialog_seen_by_menu       (PsOpenDialog       *self,
                                                 PsSourceKind        kind);
/* Picks pid on the Process page and, unless mapping is NULL, its mapping
 * at that address (0x…) or whose text contains mapping. FALSE if the page
 * lists no such process or mapping. */
gboolean      ps_open_dialog_pick_process       (PsOpenDialog       *self,
                                                 pid_t               pid,
                                                 const char         *mapping);

/* Whether the page of kind makes something (a new segment, an anonymous
 * mapping) rather than opening what is there. */
gboolean      ps_open_dialog_creating           (PsOpenDialog       *self,
                                                 PsSourceKind        kind);
/* The typed path, with ~ and file:// understood; NULL when empty. */
char         *ps_open_dialog_typed_path         (PsOpenDialog       *self);
/* Shows message at the bottom of the page, and marks and focuses row
 * (may be NULL). */
void          ps_open_dialog_show_error         (PsOpenDialog       *self,
                                                 GtkWidget          *row,
                                                 const char         *message);
/* The fields as a spec, checked by the rules every source follows; *bad is
 * the row at fault, or NULL. */
gboolean      ps_open_dialog_build_checked_spec (PsOpenDialog       *self,
                                                 PsSourceSpec       *spec,
                                                 GtkWidget         **bad,
                                                 GError            **error);
/* An error from the open function, at the row it is about where it tells. */
void          ps_open_dialog_show_open_error    (PsOpenDialog       *self,
                                                 const PsSourceSpec *spec,
                                                 const GError       *error);

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
