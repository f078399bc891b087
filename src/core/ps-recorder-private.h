/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* PsRecorder's insides, shared by its three parts: ps-recorder.c (the
 * object, in the main context: the session's log and watches),
 * ps-recorder-pass.c (the scanner's pass func: changes, states, bytes) and
 * ps-recorder-db.c (the writer thread: SQLite). Also the benchmark's hook. */

#include <sqlite3.h>

#include "ps-recorder.h"

G_BEGIN_DECLS

#define PS_RECORDING_FORMAT      1
/* PRAGMA application_id: "PgSc" */
#define PS_RECORDING_APP_ID      0x50675363
#define PS_RECORDER_COMMIT_US    (200 * 1000)
#define PS_RECORDER_BATCH_ROWS   50000
#define PS_RECORDER_MAX_QUEUED   1000000

typedef enum
{
  ROW_FRAME,         /* data: PsRecFrame */
  ROW_CHANGE,        /* a page, b hash, flag content */
  ROW_STATE,         /* a page, flag state */
  ROW_KEYFRAME,      /* a n_pages, data 2 bytes a page (state, content), len */
  ROW_EVENT,         /* flag is_error, data text */
  ROW_TRACK_OPEN,    /* c id, a offset, b length, data why */
  ROW_TRACK_CLOSE,   /* c id, t the end */
  ROW_BYTES,         /* a offset, data bytes, len, flag baseline */
  ROW_WATCH_ADD,     /* data spec text (NAME:TYPE@OFFSET) */
  ROW_WATCH_REMOVE,  /* data name */
  ROW_WATCH_VALUE,   /* data name, data2 value text (NULL: unreadable), b bytes in data2 after the text's NUL */
  ROW_META,          /* data key, data2 value text */
} PsRecRowKind;

typedef struct
{
  guint8   kind;
  guint8   flag;
  gint64   t;
  guint64  a;
  guint64  b;
  guint64  c;
  gpointer data;     /* owned: g_free */
  gpointer data2;    /* owned: g_free */
  gsize    len;
} PsRecRow;

typedef struct
{
  guint64 serial;
  guint64 n_pages;
  guint64 n_resident;
  guint64 n_absent;
  guint64 n_unknown;
  guint64 n_private_copies;
  guint64 n_changed;
  guint64 n_scanned;
  guint64 total_changes;
  guint64 object_size;
  guint   flags;
  gint64  pass_us;
  guint   interval_ms;
} PsRecFrame;

/* A page of a watch, followed byte for byte: its copy as last recorded. */
typedef struct
{
  guint64  track;      /* its tracked row's id */
  guint8  *copy;
} PsRecWatched;

/* The pass func's own state: the scanning thread's, and the main thread's
 * once the func is removed. */
typedef struct
{
  guint8     *states;        /* per page, as last recorded */
  guint64     n_states;
  guint64     focus_offset;  /* the window followed, its tracked row */
  gsize       focus_length;
  guint64     focus_track;   /* 0: none */
  GHashTable *watched;       /* page (guint64 *) -> PsRecWatched */
  guint       watch_gen;     /* of the set last applied */
  GArray     *rows;          /* built by one pass, then queued at once */
  guint8     *page_buf;
  guint64     next_track;
} PsRecPass;

struct _PsRecorder
{
  GObject       parent_instance;

  PsSession    *session;
  PsSource     *source;
  PsScanner    *scanner;
  char         *path;
  guint64       cap;
  gint64        start_us;        /* monotonic */
  gint64        start_real_us;
  gsize         page_size;
  guint         pass_func;
  gboolean      recording;
  gboolean      finished;        /* the writer joined, the end logged */
  GListModel   *watches;         /* the session's, followed */
  GPtrArray    *watch_objects;   /* the PsWatch objects connected to */
  GMainContext *context;
  gulong        log_handler;
  gulong        watches_handler;
  gulong        source_handler;

  PsRecPass     pass;

  guint64       bytes_taken;     /* the pass func's: against the cap */
  gboolean      cap_reached;

  GMutex        lock;            /* what follows */
  GCond         cond;
  GArray       *queue;           /* of PsRecRow */
  gboolean      stopping;
  GArray       *watch_pages;     /* the pages the watches lie in, sorted */
  guint         watch_gen;
  PsRecordStats stats;
  GError       *write_error;
  gboolean      write_failed_told;

  GThread      *writer;
  sqlite3      *db;              /* the writer thread's once it runs */
};

/* ps-recorder.c */
void      ps_recorder_queue_rows     (PsRecorder      *self,
                                      PsRecRow        *rows,
                                      guint            n_rows);
void      ps_rec_row_clear           (PsRecRow        *row);
gint64    ps_recorder_now            (PsRecorder      *self);
/* In the recorder's main context, after the writer failed. */
gboolean  ps_recorder_on_write_failed (gpointer        data);

/* ps-recorder-pass.c */
void      ps_recorder_on_pass        (PsScanner       *scanner,
                                      const PsScanPass *pass,
                                      gpointer         data);
/* After the pass func is removed: every tracked range ends at t. */
void      ps_recorder_close_tracks   (PsRecorder      *self,
                                      gint64           t);
void      ps_rec_pass_init           (PsRecPass       *pass,
                                      gsize            page_size);
void      ps_rec_pass_clear          (PsRecPass       *pass);

/* ps-recorder-db.c */
sqlite3  *ps_recording_create        (const char      *path,
                                      gboolean         replace,
                                      GError         **error);
gboolean  ps_recording_write_meta    (sqlite3         *db,
                                      const char      *key,
                                      const char      *value,
                                      GError         **error);
gpointer  ps_recorder_writer_thread  (gpointer         data);
/* "call(args) = result" -> "call"; NULL when the line is not a call */
char     *ps_recording_call_name     (const char      *text);
gboolean  ps_sqlite_fail             (sqlite3         *db,
                                      int              rc,
                                      const char      *what,
                                      GError         **error);

/* ps-replay.c: a recording opened to be read, once it is known to be one
 * (refused with the reason otherwise). */
sqlite3  *ps_recording_open          (const char      *path,
                                      GError         **error);

/* For the benchmark: a recorder on no session, fed with passes by hand
 * (ps_recorder_on_pass) and stopped with ps_recorder_stop. */
PsRecorder *ps_recorder_start_detached (const char      *path,
                                        gsize            page_size,
                                        GError         **error);

G_END_DECLS
