/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the tests of PsSource (test-source-*.c) share: how they look at a
 * mapping from outside, through a forked child, /proc and the kernel's own
 * tables, as the product never does itself. */
#pragma once

#include <sys/shm.h>

#include "ps-source.h"
#include "ps-test-util.h"

G_BEGIN_DECLS

#define CHILD_TIMEOUT_MS 10000

/* Writes text (without its NUL) through the source; fails the test if refused. */
void      ps_test_write_ok          (PsSource      *source,
                                     guint64        offset,
                                     const char    *text);

/* The permissions column of /proc/self/maps for the mapping holding addr,
 * "unmapped" if none does. */
char     *ps_test_maps_perms        (gconstpointer  addr);
#define ps_assert_perms(addr, expected) \
  G_STMT_START { \
    g_autofree char *perms_ = ps_test_maps_perms (addr); \
    g_assert_cmpstr (perms_, ==, expected); \
  } G_STMT_END

/* Touches one byte in a forked child: "exit 0", "SIGBUS" or "SIGSEGV". */
char     *ps_test_probe_byte        (const void    *addr,
                                     gboolean       write);
#define ps_assert_probe(addr, write, expected) \
  G_STMT_START { \
    g_autofree char *probe_ = ps_test_probe_byte ((addr), (write)); \
    g_assert_cmpstr (probe_, ==, expected); \
  } G_STMT_END

/* Another process maps the object itself (it does not inherit ours) and
 * compares or writes len bytes at offset. Exit 0: as expected, 1: differs. */
typedef struct
{
  const char   *path;
  const char   *posix_name;
  int           shmid;        /* SysV when path and posix_name are NULL */
  guint64       offset;
  const guint8 *bytes;
  gsize         len;
  gboolean      write;
} PsTestOther;

char     *ps_test_other_process     (PsTestOther   *other);
#define ps_assert_other(other, expected) \
  G_STMT_START { \
    g_autofree char *other_ = ps_test_other_process (other); \
    g_assert_cmpstr (other_, ==, expected); \
  } G_STMT_END

/* Another process truncates or extends the file (path) or the POSIX
 * segment (posix_name). */
void      ps_test_resize_elsewhere  (const char    *path,
                                     const char    *posix_name,
                                     off_t          size);

/* "0110": one character per page, '1' resident, '0' not, '?' unknown. */
char     *ps_test_residency_string  (PsSource      *source,
                                     guint64        first,
                                     guint64        n);
#define ps_assert_residency(source, first, n, expected) \
  G_STMT_START { \
    g_autofree char *residency_ = ps_test_residency_string ((source), (first), (n)); \
    g_assert_cmpstr (residency_, ==, expected); \
  } G_STMT_END

/* Peeks [offset, offset + len) and returns page_valid as "0110". */
char     *ps_test_peek_valid        (PsSource      *source,
                                     guint64        offset,
                                     guint8        *dst,
                                     gsize          len);
#define ps_assert_peek_valid(source, offset, dst, len, expected) \
  G_STMT_START { \
    g_autofree char *valid_ = ps_test_peek_valid ((source), (offset), (dst), (len)); \
    g_assert_cmpstr (valid_, ==, expected); \
  } G_STMT_END

/* Rss of a SysV segment from /proc/sysvipc/shm (its 15th column); -1 if absent. */
gint64    ps_test_sysv_rss          (int            shmid);
/* IPC_STAT into ds (may be NULL): 0, or the errno. */
int       ps_test_sysv_stat         (int            shmid,
                                     struct shmid_ds *ds);
/* How many entries of /dev/shm start with prefix. */
gsize     ps_test_dev_shm_count     (const char    *prefix);

/* The open failed with EACCES, and its message starts with call_prefix. */
void      ps_test_expect_denied     (PsSource      *source,
                                     GError        *error,
                                     const char    *call_prefix);

G_END_DECLS
