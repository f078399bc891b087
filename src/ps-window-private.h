/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-details-pane.h"
#include "ps-find-bar.h"
#include "ps-grid-legend.h"
#include "ps-inspector-pane.h"
#include "ps-log-view.h"
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
  GtkToggleButton      *record_button;
  GtkDropDown          *interval_dropdown;
  GtkDropDown          *mode_dropdown;
  GtkStack             *stack;
  GtkRevealer          *gone_revealer;  /* the object went: ps-window-gone.c */
  GtkLabel             *gone_label;
  GtkButton            *gone_reopen;
  AdwStatusPage        *error_page;
  GtkPaned             *vpaned;
  GtkPaned             *hpaned;
  PsGridLegend         *legend;
  PsPageGrid           *grid;
  PsHexView            *hex;
  GtkRevealer          *bottom_revealer;
  GtkStack             *bottom_stack;
  PsDetailsPane        *details;
  PsLogView            *log_view;
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

  guint                 frame_seen;    /* frames shown since the source was set */
  GtkWindow            *dialogs[PS_N_DIALOGS];   /* weak: the one of each kind open */
  gboolean              showing_interval;        /* the dropdown follows the session */
  struct _PsWindowViews *views;                  /* ps-window-views.c */
  gboolean              presenting;              /* presentation mode */

  gint64                gone_checked_us; /* when the name was last looked up */
  gboolean              gone_taken;      /* something new answers to the name */

  /* recording, replay, snapshot and diff (ps-window-time.h) */
  struct _PsWindowTime *time;
};

void     ps_window_class_install_actions (GtkWidgetClass *widget_class);
/* Keys the window takes before its focus widget does (ps-window-actions.c). */
void     ps_window_init_keys             (PsWindow       *self);
/* The narrow layout (ps-window-narrow.c): the class's size_allocate, and
 * the first layout once the window has its default size and its panes
 * (after ps_window_setup_panes). */
void     ps_window_class_init_narrow     (GtkWidgetClass *widget_class);
void     ps_window_narrow_init           (PsWindow       *self);
gboolean ps_window_get_narrow            (PsWindow       *self);
void     ps_window_narrow_set_hex_width  (PsWindow       *self,
                                          int             wide_request);
/* The divider above the log, kept in the settings (ps-window-narrow.c;
 * the one between grid and hex view is ps-window-panes.c's). */
void     ps_window_save_log_pane         (PsWindow       *self,
                                          GSettings      *settings);
void     ps_window_restore_log_pane      (PsWindow       *self,
                                          GSettings      *settings);
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
/* Recording, replay, freeze and diff (ps-window-time.c and its parts):
 * their actions and state, made and released with the window. The window's
 * "recording" and "diff-only-changed" properties are theirs. */
void     ps_window_class_install_time_actions (GtkWidgetClass *widget_class);
void     ps_window_time_init             (PsWindow       *self);
void     ps_window_time_dispose          (PsWindow       *self);
gboolean ps_window_get_recording         (PsWindow       *self);
void     ps_window_set_recording         (PsWindow       *self,
                                          gboolean        recording);
gboolean ps_window_get_diff_only_changed (PsWindow       *self);
void     ps_window_set_diff_only_changed (PsWindow       *self,
                                          gboolean        only_changed);
/* TRUE while the window replays a recording (read-only, no source). */
gboolean ps_window_is_replay             (PsWindow       *self);
/* The tints the diff adds to the marks' and find hits' (NULL, 0: none);
 * ps_window_update_highlights draws them all again. */
PsHighlight *ps_window_diff_highlights   (PsWindow       *self,
                                          guint          *n_ranges);
void     ps_window_update_highlights     (PsWindow       *self);
/* The banner that says the object went (IPC_RMID, shm_unlink, the file
 * deleted or replaced) and offers win.reopen once something new answers to
 * its name (ps-window-gone.c): each frame updates it, a new source hides it. */
void     ps_window_class_install_gone_actions (GtkWidgetClass *widget_class);
void     ps_window_gone_update_frame     (PsWindow       *self,
                                          PsFrame        *frame);
void     ps_window_gone_reset            (PsWindow       *self);
/* Connects the session's result signals to toasts (ps-window-actions.c). */
void     ps_window_follow_session        (PsWindow       *self);
/* A refusal or failure of an action, shown as a toast; the session has
 * logged it already. */
void     ps_window_show_error            (PsWindow       *self,
                                          const GError   *error);

/* The toast ps_window_show_toast shows for message: the whole of it when
 * it fits (PS_TOAST_FITS characters), else its head and an Explain button
 * (win.show-message) that shows all of it. */
#define PS_TOAST_FITS 60
AdwToast   *ps_window_make_toast          (const char *message);
/* The same text on a toast already shown (one toast at a time). */
void        ps_window_set_toast_text      (AdwToast   *toast,
                                           const char *message);

G_END_DECLS
