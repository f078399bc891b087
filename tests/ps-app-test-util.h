/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real pagescope binary driven as a script drives it (test-actions and
 * test-actions-chaos): a private D-Bus daemon, the app started on it with
 * --log and its output read line by line, `gapplication action` calls, and
 * what /proc says of the app's children. */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

G_BEGIN_DECLS

#define DEADLINE_MS 10000

/* A log line as --log prints it: "12:34:56.789 TEXT". */
#define STAMP "^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} "

extern GPid             bus_pid;
extern char           **child_env;    /* the private bus, for the app and gapplication */
extern GDBusConnection *bus;          /* ours, to ask who owns APP_ID */

typedef struct
{
  char  state;
  pid_t ppid;
} ProcStat;

typedef struct
{
  GPid       pid;
  int        out_fd;
  int        err_fd;
  GString   *partial;   /* stdout after the last newline */
  GPtrArray *lines;     /* stdout, line by line: the event log */
  GString   *err;
  gboolean   out_eof;
  gboolean   err_eof;
  gboolean   reaped;
  int        status;
  char      *map_addr;  /* where the mapping is, as the log prints it */
  char      *map_type;  /* "SHARED" or "PRIVATE" */
} App;

/* /proc/PID/stat's state and parent; FALSE if there is no such process. */
gboolean proc_stat (pid_t     pid,
                    ProcStat *st);

/* Every process whose parent is ppid, as "PID (state S)" lines; "" if none.
 * skip is left out (our bus daemon). */
char *children_of (pid_t ppid,
                   pid_t skip);

/* Nothing but the bus daemon is this test's child: no app, no orphan, no zombie. */
void assert_no_stray_children (void);

/* The pid is no process any more, or (reused) one that is neither a child of
 * the app nor of this test. */
gboolean pid_gone (pid_t pid,
                   pid_t app_pid);

/* Starts the private D-Bus daemon (child_env and bus point at it); stops it. */
void bus_up (void);
void bus_down (void);

/* Whether the app owns APP_ID on the private bus; app_id_free: that it does
 * not, for ps_test_wait_until. */
gboolean app_id_owned (void);
gboolean app_id_free (gpointer data);

/* `gapplication action APP_ID NAME 'ARG'`, which must succeed. */
void gapp_action (const char *name,
                  const char *arg);

/* Reads what the app wrote, waiting at most timeout_ms for something to read. */
void app_pump (App *app,
               int  timeout_ms);

/* Prints what the app wrote, for a failure's context. */
void app_dump (App *app);

/* Waits until cond(data) holds, reading the app's output meanwhile. */
gboolean app_wait (App       *app,
                   gboolean (*cond) (gpointer data),
                   gpointer   data,
                   guint      timeout_ms);

/* Waits for a log line, from line *from on, that matches STAMP pattern $
 * (the whole line); moves *from past it and returns the pattern's groups
 * (0: its first). Fails the test after DEADLINE_MS. */
char **app_wait_line (App        *app,
                      guint      *from,
                      const char *pattern);

/* Like app_wait_line, when the groups do not matter. */
void expect_line (App        *app,
                  guint      *from,
                  const char *pattern);

/* A line whose text is exactly text. */
void expect_text (App        *app,
                  guint      *from,
                  const char *text);

/* Starts the binary with args and waits until it has mapped its source (the
 * mmap line on its stdout) and owns APP_ID on the bus. */
App *app_start (const char * const *args);

/* Whether the app runs (reaping it, status set, once it has exited);
 * app_exited and app_output_closed are conditions for app_wait. */
gboolean app_alive (App *app);
gboolean app_exited (gpointer data);
gboolean app_output_closed (gpointer data);

/* The app is gone (quit or killed): reap it, read its output to the end (no
 * child of its may hold its stdout), and wait until APP_ID is free. */
void app_finish (App *app);

/* Quits through D-Bus, as a script would; the app must exit 0. */
void app_quit (App *app);

/* Frees what app_start made; the app must have been reaped. */
void app_free (App *app);

/* len bytes of path at offset, by pread (the page cache). */
GBytes *file_read (const char *path,
                   off_t       offset,
                   gsize       len);

/* The file holds expected at offset; all size bytes of it are fill. */
void assert_file_bytes (const char *path,
                        off_t       offset,
                        const void *expected,
                        gsize       len);

void assert_file_filled (const char *path,
                         gsize       size,
                         guint8      fill);

/* Waits for the n "fork() = PID" lines that follow a spawn; checks that each
 * pid is a running child of the app. */
GArray *wait_forks (App   *app,
                    guint *from,
                    guint  n);

/* Waits for "waitpid(PID) = killed by SIGTERM" of each pid (in any order):
 * the app reaped it. Then it is gone from /proc: no zombie. */
void wait_reaped (App    *app,
                  guint  *from,
                  GArray *pids);

G_END_DECLS
