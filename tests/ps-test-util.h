/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <string.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* Names every test object carries, so the leftovers check can find them:
 * POSIX "/pagescope-test-PID-TAG", files "$TMPDIR/pagescope-test-PID-TAG-XXXXXX". */
char     *ps_test_posix_name   (const char *tag);
char     *ps_test_make_file    (const char *tag,
                                gsize       size,
                                guint8      fill);
/* The same, removed when the test ends (g_test_queue_destroy), also when an
 * assertion fails. */
char     *ps_test_file         (const char *tag,
                                gsize       size,
                                guint8      fill);
/* The page size, from sysconf. */
gsize     ps_test_page_size    (void);

/* A SysV key no other test process uses: 0x5053xxxx ("PS"). */
int       ps_test_sysv_key     (guint       n);

/* Fails the test, saying both, unless haystack contains needle. */
#define ps_assert_contains(haystack, needle) \
  G_STMT_START { \
    const char *h_ = (haystack), *n_ = (needle); \
    if (h_ == NULL || strstr (h_, n_) == NULL) \
      g_error ("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
  } G_STMT_END

/* Waits until func returns TRUE, iterating the default main context, for at
 * most timeout_ms. Returns whether it became true. */
gboolean  ps_test_wait_until   (gboolean  (*func) (gpointer data),
                                gpointer    data,
                                guint       timeout_ms);

/* Forks; the child runs func(data) and _exits with its return value. */
pid_t     ps_test_fork         (int       (*func) (gpointer data),
                                gpointer    data);
/* waitpid with a deadline; kills the child if it overruns. Returns the wait status. */
int       ps_test_reap         (pid_t       pid,
                                guint       timeout_ms);

/* Drops to user nobody (65534) if root; for permission tests in a
 * g_test_trap_subprocess child. Returns FALSE if not possible. */
gboolean  ps_test_become_nobody (void);

/* Allocated bytes of a file or POSIX segment (st_blocks * 512). */
guint64   ps_test_allocated    (int fd);

G_END_DECLS
