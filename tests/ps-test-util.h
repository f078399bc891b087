/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <string.h>
#include <sys/types.h>

#include "ps-event-log.h"
#include "ps-source.h"

G_BEGIN_DECLS

/* g_test_init, and a last resort for what the test made: a failed assertion
 * aborts the program, and neither a fixture's teardown nor
 * g_test_queue_destroy runs then; nor on meson's timeout (SIGTERM). A
 * handler of those signals removes every file, segment and child queued
 * below, then lets the signal end the program. */
void      ps_test_init         (int       *argc,
                                char    ***argv);

/* ---- cleanup ---------------------------------------------------------------
 * Each of these runs when the test ends, however it ends: returning, a skip,
 * g_test_fail, or a failed assertion (see ps_test_init). */

/* A file, or an empty directory. */
void      ps_test_queue_unlink     (const char *path);
void      ps_test_queue_shm_unlink (const char *name);
void      ps_test_queue_rmid       (int         shmid);
/* A child forked here: SIGKILL and reap, unless the test reaped it already. */
void      ps_test_queue_kill       (pid_t       pid);
/* SIGKILL, unless it has exited; GLib reaps it. */
void      ps_test_queue_subprocess (GSubprocess *process);

/* ---- objects -------------------------------------------------------------- */

/* Names every test object carries, so the leftovers check can find them:
 * POSIX "/pagescope-test-PID-TAG-N", files "$TMPDIR/pagescope-test-PID-TAG-XXXXXX". */
char     *ps_test_posix_name   (const char *tag);
/* A file of size bytes of fill that the caller removes (one that must
 * outlive the test); tests use ps_test_file. */
char     *ps_test_make_file    (const char *tag,
                                gsize       size,
                                guint8      fill);
/* A file of size bytes of fill, removed when the test ends. */
char     *ps_test_file         (const char *tag,
                                gsize       size,
                                guint8      fill);
/* n_pages pages, page i filled with 'A' + i, removed when the test ends. */
char     *ps_test_pattern_file (const char *tag,
                                guint       n_pages);
/* A name in the temporary directory, nothing made there yet; whatever the
 * test makes under it (file, FIFO, empty directory) is removed. */
char     *ps_test_temp_path    (const char *tag);
/* Like ps_test_file, on a file system that writes to a disk (not tmpfs,
 * where msync has nothing to write back): the temporary directory, else
 * /var/tmp. NULL if neither is. */
char     *ps_test_disk_file    (const char *tag,
                                gsize       size,
                                guint8      fill);
gboolean  ps_test_is_on_disk   (const char *path);

/* A POSIX segment of size bytes (shm_open O_CREAT|O_EXCL, 0600, ftruncate),
 * not mapped here, unlinked when the test ends. Returns its name. */
char     *ps_test_posix_segment (const char *tag,
                                 gsize       size);
/* A SysV segment (IPC_CREAT|IPC_EXCL), removed when the test ends. */
int       ps_test_sysv_segment (key_t       key,
                                gsize       size,
                                guint       mode);
/* Sources that create their object, removed when the test ends. */
PsSource *ps_test_create_posix (const char *name,
                                gsize       size,
                                guint       mode,
                                PsEventLog *log);
PsSource *ps_test_create_sysv  (key_t       key,
                                gsize       size,
                                guint       mode,
                                PsEventLog *log);

/* The page size, from sysconf. */
gsize     ps_test_page_size    (void);

/* A SysV key no other test process uses: 0x5053xxxx ("PS"). */
int       ps_test_sysv_key     (guint       n);
/* A key from the same range that names no segment now, never the same twice
 * in this process, away from the small n other programs give ps_test_sysv_key. */
key_t     ps_test_free_sysv_key (void);

/* Allocated bytes of a file or POSIX segment (st_blocks * 512). */
guint64   ps_test_allocated    (int fd);

/* ---- what msync changed ----------------------------------------------------- */

/* Shared_Dirty and Private_Dirty, in bytes, of the mapping holding addr in
 * process pid (0: this process), from /proc/PID/smaps. FALSE if no mapping
 * holds addr. */
gboolean  ps_test_smaps_dirty  (pid_t       pid,
                                guint64     addr,
                                gint64     *shared_dirty,
                                gint64     *private_dirty);
/* len bytes at offset of path as the disk holds them: everything is
 * written back (sync), the clean page cache dropped (root only), and the
 * read made through a descriptor of its own only once mincore shows none of
 * those pages cached. NULL, with a test message saying why, where that
 * cannot be done: not root, a read-only /proc/sys, or a page still cached
 * because some process maps it. */
GBytes   *ps_test_read_from_disk (const char *path,
                                  goffset     offset,
                                  gsize       len);

/* ---- the event log ------------------------------------------------------- */

/* Whether a line of the log contains needle. */
gboolean  ps_test_log_has      (PsEventLog *log,
                                const char *needle);
/* Whether a line starts with prefix and, after it, contains contains (NULL:
 * anything). */
gboolean  ps_test_log_find     (PsEventLog *log,
                                const char *prefix,
                                const char *contains);

/* Fails the test, showing the whole log, unless a line starts with prefix
 * and, after it, contains contains. */
#define ps_assert_log(log, prefix, contains) \
  G_STMT_START { \
    if (!ps_test_log_find ((log), (prefix), (contains))) \
      { \
        g_autofree char *all_ = ps_event_log_to_text (log); \
        g_autofree char *what_ = g_strdup_printf ("no log line \"%s...%s\" in:\n%s", \
                                                  (prefix), (contains) ? (const char *) (contains) : "", all_); \
        g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, what_); \
      } \
  } G_STMT_END
#define ps_assert_log_line(log, line) ps_assert_log (log, line, NULL)

/* Fails the test, saying both, unless haystack contains needle. */
#define ps_assert_contains(haystack, needle) \
  G_STMT_START { \
    const char *h_ = (haystack), *n_ = (needle); \
    if (h_ == NULL || strstr (h_, n_) == NULL) \
      g_error ("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
  } G_STMT_END

/* ---- waiting and children ---------------------------------------------------- */

/* Waits until func returns TRUE, iterating the default main context, for at
 * most timeout_ms. Returns whether it became true. */
gboolean  ps_test_wait_until   (gboolean  (*func) (gpointer data),
                                gpointer    data,
                                guint       timeout_ms);

/* Forks; the child runs func(data) and _exits with its return value. The
 * child is killed and reaped when the test ends, unless reaped before; GLib
 * ends a test before its fixture's teardown, whose ps_test_reap then still
 * gets the wait status. */
pid_t     ps_test_fork         (int       (*func) (gpointer data),
                                gpointer    data);
/* waitpid with a deadline; kills the child if it overruns. Returns the wait status. */
int       ps_test_reap         (pid_t       pid,
                                guint       timeout_ms);
/* "exit 0", "SIGBUS", or "status 0x…" for a wait status. */
char     *ps_test_status_text  (int         status);
/* What this process holds: malloc's bytes in use (its arenas and its own
 * mmaps), and its anonymous resident memory (RssAnon: shmem not counted). */
gsize     ps_test_malloc_in_use (void);
gsize     ps_test_rss_anon      (void);
#define ps_assert_status(status, expected) \
  G_STMT_START { \
    g_autofree char *status_ = ps_test_status_text (status); \
    g_assert_cmpstr (status_, ==, expected); \
  } G_STMT_END

/* Drops to user nobody (65534) if root; for permission tests in a
 * g_test_trap_subprocess child. Returns FALSE if not possible. */
gboolean  ps_test_become_nobody (void);
/* Runs this test again in a g_test_trap_subprocess child, which takes the
 * branch under g_test_subprocess () and calls ps_test_become_nobody; fails
 * the test if the child does. The objects this process made stay queued. */
void      ps_test_run_as_nobody (void);
/* In that child: become nobody or fail, keeping /proc/self readable. */
void      ps_test_child_become_nobody (void);

/* A child that attaches a SysV segment (shmid) or maps a POSIX one
 * (posix_name) read-only, says so, and detaches once told to: for tests of
 * who has a segment attached. Set shmid or posix_name (and inherited, the
 * caller's own attach that fork copies, let go of first); the pipes are the
 * helpers'. */
typedef struct
{
  int         shmid;
  const char *posix_name;
  void       *inherited;  /* the parent's attach, which fork copied: let go first */
  int         ready[2];   /* the child writes one byte once attached */
  int         go[2];      /* the child detaches when this closes */
} PsTestAttacher;

/* Starts it and returns once it is attached. */
pid_t    ps_test_attacher_start  (PsTestAttacher *a);
/* Tells it to detach and reaps it (exit 0). */
void     ps_test_attacher_detach (PsTestAttacher *a,
                                  pid_t           pid);

G_END_DECLS
