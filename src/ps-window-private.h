/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-find-bar.h"
#include "ps-grid-legend.h"
#include "ps-inspector-pane.h"
#include "ps-marks-pane.h"
#include "ps-watches-pane.h"
#include "ps-session.h"
#include "ps-status-bar.h"
#include "ps-window.h"

G_BEGIN_DECLS

typedef enum
{
  PS_DIALOG_WRITE,
  PS_DIALOG_MSYNC,
  PS_DIALOG_WRITERS,
  PS_DIALOG_PROBE,
  PS_N_DIALOGS
} PsDialogKind;

struct _PsWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwToastOverlay      *toasts;
  AdwToast             *toast;          /* weak: the one shown or waiting */
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
  PsStatusBar          *status_bar;
  GtkLabel             *cursor_label;
  GMenu                *recent_section;
  PsFindBar            *find_bar;
  GtkRevealer          *side_revealer;
  AdwViewStack         *side_stack;
  PsInspectorPane      *inspector;
  PsWatchesPane        *watches;
  PsMarksPane          *marks;
  GtkNativeDialog      *export_chooser;
  GArray               *find_hits;        /* guint64 offsets of the find bar's matches */
  guint64               find_hit_length;

  /* what the window shows: the session's source, scanner and log */
  PsSession            *session;
  PsEventLog           *log;           /* the session's */
  GSignalGroup         *log_signals;
  guint                 scroll_idle;   /* follows the newest log entry */

  guint                 frame_seen;    /* frames shown since the source was set */
  guint64               details_size;  /* the object size the details show */
  GtkWindow            *dialogs[PS_N_DIALOGS];   /* weak: the one of each kind open */
  gboolean              showing_interval;        /* the dropdown follows the session */
  struct _PsWindowViews *views;                  /* ps-window-views.c */
};

void     ps_window_class_install_actions (GtkWidgetClass *widget_class);
/* Presents this window's dialog of the kind, made if none is open; a probe
 * dialog asked for at an offset (G_MAXUINT64: none) starts again there. */
void     ps_window_present_dialog        (PsWindow       *self,
                                          PsDialogKind    kind,
                                          guint64         probe_offset);
void     ps_window_update_actions        (PsWindow       *self);
void     ps_window_refresh_recent        (PsWindow       *self);
/* The find bar, the inspector, watches, marks, go to and export
 * (ps-window-bytes.c): their actions, and following the session. */
void     ps_window_class_install_byte_actions (GtkWidgetClass *widget_class);
void     ps_window_bytes_init            (PsWindow       *self);
void     ps_window_bytes_dispose         (PsWindow       *self);
/* Saves the watches and marks of the source shown, for when it opens again;
 * takes back those saved for it. */
void     ps_window_save_annotations      (PsWindow       *self);
void     ps_window_restore_annotations   (PsWindow       *self);
/* The panes' arrangement and divider from the settings, kept there
 * (ps-window-panes.c). */
void     ps_window_setup_panes           (PsWindow       *self,
                                          GSettings      *settings);
/* Connects the session's result signals to toasts (ps-window-actions.c). */
void     ps_window_follow_session        (PsWindow       *self);
/* A refusal or failure of an action, shown as a toast; the session has
 * logged it already. */
void     ps_window_show_error            (PsWindow       *self,
                                          const GError   *error);

G_END_DECLS
