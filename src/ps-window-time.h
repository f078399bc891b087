/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The window's state for time: recording (ps-window-record.c), replay
 * (ps-window-replay.c), freeze and diff (ps-window-diff.c), and what they
 * share (ps-window-time.c). Only these files and tests include it. */

#include "ps-diff-view.h"
#include "ps-recorder.h"
#include "ps-replay-bar.h"
#include "ps-replay.h"
#include "ps-snapshot.h"
#include "ps-window-private.h"

G_BEGIN_DECLS

typedef struct _PsReplayBytes PsReplayBytes;

typedef struct _PsWindowTime
{
  GtkNativeDialog *chooser;          /* the one file chooser open, if any */
  GCancellable    *cancellable;      /* background work (exports, saves): cancelled on close */

  /* recording */
  PsRecorder      *recorder;
  GtkLabel        *record_label;     /* in the status line while recording */
  guint            record_tick;

  /* replay */
  char            *replay_path;
  PsReplay        *replay;
  PsReplayBar     *replay_bar;
  GCancellable    *loading;
  PsReplayBytes   *replay_bytes;     /* the time the hex view's reader reads at (owned by the view) */
  GtkListBox      *replay_watches;
  GtkWidget       *replay_watches_page;
  guint            replay_refresh;
  GListStore      *replay_log;       /* the log's lines up to the time shown (ps-window-replay-log.c) */

  /* snapshot and diff */
  PsSnapshot      *snapshot;
  PsDiffView      *diff_view;
  gboolean         only_changed;
  GCancellable    *comparing;
} PsWindowTime;

/* ---- ps-window-time.c ---- */

typedef void (*PsChosenFunc) (PsWindow   *self,
                              const char *path,
                              const char *choice);

/* One native file chooser at a time (a second replaces the first): func
 * gets the path chosen (never called when cancelled) and the value of the
 * choice "choice", if one was added (gtk_file_chooser_add_choice, and
 * the chooser's data "ps-has-choice" set: it is asked only then). */
GtkFileChooser *ps_window_time_choose     (PsWindow            *self,
                                           const char          *title,
                                           GtkFileChooserAction action,
                                           const char          *accept,
                                           const char          *name,
                                           PsChosenFunc         func);
/* The source's name made into a file name, with suffix. */
char           *ps_window_time_file_name  (PsWindow            *self,
                                           const char          *suffix);

/* ---- the parts ---- */

void ps_window_record_install_actions (GtkWidgetClass *widget_class);
void ps_window_record_dispose         (PsWindow       *self);
void ps_window_replay_install_actions (GtkWidgetClass *widget_class);
void ps_window_replay_dispose         (PsWindow       *self);
/* A source opened in this window: it replays no more. */
void ps_window_replay_leave           (PsWindow       *self);
/* The bottom pane shows the recorded log up to the time shown. */
void ps_window_replay_log_start       (PsWindow       *self);
void ps_window_replay_log_show        (PsWindow       *self,
                                       gint64          t_us);
void ps_window_replay_log_stop        (PsWindow       *self);
void ps_window_diff_install_actions   (GtkWidgetClass *widget_class);
void ps_window_diff_dispose           (PsWindow       *self);
/* The source changed or went: the snapshot is of the old one. */
void ps_window_diff_stop              (PsWindow       *self);
void ps_window_time_update_actions    (PsWindow       *self);

/* ---- for tests ---- */

/* Records to path with the cap, as a chosen file would. */
gboolean        ps_window_record_to      (PsWindow   *self,
                                          const char *path,
                                          guint64     cap_bytes,
                                          GError    **error);
PsRecorder     *ps_window_get_recorder   (PsWindow   *self);
/* Exports the replayed recording ("csv", "jsonl", "watches") to path in a
 * worker thread, as the chooser would. */
void            ps_window_export_recording (PsWindow   *self,
                                            const char *kind,
                                            const char *path);
/* Freezes (win.freeze): the snapshot is set once the scanner swept. */
void            ps_window_freeze         (PsWindow   *self);
/* Compares with a file, saves the snapshot: as the choosers would. */
void            ps_window_compare_file   (PsWindow   *self,
                                          const char *path);
void            ps_window_save_snapshot  (PsWindow   *self,
                                          const char *path);
PsReplay       *ps_window_get_replay     (PsWindow   *self);
PsReplayBar    *ps_window_get_replay_bar (PsWindow   *self);
PsSnapshot     *ps_window_get_snapshot   (PsWindow   *self);
PsDiffView     *ps_window_get_diff_view  (PsWindow   *self);

G_END_DECLS
