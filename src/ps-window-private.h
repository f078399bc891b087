/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-grid-legend.h"
#include "ps-window.h"
#include "ps-writer.h"

G_BEGIN_DECLS

typedef enum
{
  PS_DIALOG_WRITE,
  PS_DIALOG_MSYNC,
  PS_DIALOG_WRITERS,
  PS_DIALOG_PROBE,
  PS_N_DIALOGS
} PsDialogKind;

typedef struct
{
  guint64  offset;
  GBytes  *previous;
} PsUndoEntry;

struct _PsWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwToastOverlay      *toasts;
  AdwWindowTitle       *title;
  AdwSplitButton       *open_button;
  GtkToggleButton      *pause_button;
  GtkDropDown          *interval_dropdown;
  GtkDropDown          *mode_dropdown;
  GtkStack             *stack;
  AdwStatusPage        *error_page;
  GtkPaned             *vpaned;
  GtkPaned             *hpaned;
  PsGridLegend         *legend;
  PsPageGrid           *grid;
  PsHexView            *hex;
  GtkRevealer          *bottom_revealer;
  GtkStack             *bottom_stack;
  GtkScrolledWindow    *log_scroller;
  GtkListView          *log_view;
  GtkListBox           *details_list;
  GtkLabel             *status_size;
  GtkLabel             *status_pages;
  GtkLabel             *status_resident;
  GtkLabel             *status_changes;
  GtkLabel             *status_pass;
  GtkLabel             *status_cpu;
  GtkLabel             *status_flags;
  GMenu                *recent_section;

  /* what the window shows */
  PsEventLog           *log;
  PsSource             *source;
  PsScanner            *scanner;
  PsWriters            *writers;
  GSignalGroup         *scanner_signals;
  GSignalGroup         *log_signals;
  guint                 scroll_idle;   /* follows the newest log entry */
  GQueue                undo;          /* of PsUndoEntry, newest first */

  /* for changes per second */
  guint64               rate_changes;
  gint64                rate_time_us;
  double                changes_per_s;
  guint                 frame_seen;    /* frames shown since the source was set */
  guint64               details_size;  /* the object size the details show */
  GtkWindow            *dialogs[PS_N_DIALOGS];   /* weak: the one of each kind open */
  guint8               *probe_marks;   /* PsProbeOutcome + 1 per page, from a sweep */
  guint64               n_probe_marks;
};

void     ps_window_class_install_actions (GtkWidgetClass *widget_class);
/* Presents this window's dialog of the kind, made if none is open; a probe
 * dialog asked for at an offset (G_MAXUINT64: none) starts again there. */
void     ps_window_present_dialog        (PsWindow       *self,
                                          PsDialogKind    kind,
                                          guint64         probe_offset);
void     ps_window_update_actions        (PsWindow       *self);
void     ps_window_refresh_recent        (PsWindow       *self);
void     ps_undo_entry_free              (PsUndoEntry    *entry);

G_END_DECLS
