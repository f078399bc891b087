/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsSource on SysV segments: created, attached by key, hex, ftok or shmid,
 * removed while attached, sparse, and refused.
 * Every test makes its own objects through ps-test-util, which queues each
 * for removal as soon as it exists (g_test_queue_destroy, and on abort), so
 * a test that fails or returns early leaves nothing behind. Children are
 * forked and reaped with a deadline (ps_test_fork, ps_test_reap);
 * permission cases run as user nobody in g_test_trap_subprocess children. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include "ps-lifecycle.h"
#include "ps-parse.h"

#include "ps-source-test-util.h"

static gsize PAGE;

static void
test_sysv_create (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = NULL;
  g_autofree char *line = NULL;
  struct shmid_ds ds;
  const PsGeometry *g;
  guint8 *data;
  int shmid;

  source = ps_test_create_sysv (key, 10000, 0, log);
  shmid = ps_source_get_shmid (source);
  data = ps_source_get_data (source);

  line = g_strdup_printf ("shmget(key=0x%08x, 10000, IPC_CREAT|IPC_EXCL|0600) = %d", (guint32) key, shmid);
  ps_assert_log_line (log, line);
  g_free (line);
  line = g_strdup_printf ("shmat(shmid=%d, %p, SHM_REMAP) = %p", shmid, data, data);
  ps_assert_log_line (log, line);

  g_assert_cmpint (ps_test_sysv_stat (shmid, &ds), ==, 0);
  g_assert_cmpint (ds.shm_perm.__key, ==, key);
  g_assert_cmpint (ds.shm_perm.mode & 0777, ==, 0600);
  g_assert_cmpint (ds.shm_perm.mode & SHM_DEST, ==, 0);
  g_assert_cmpuint (ds.shm_segsz, ==, 10000);
  g_assert_cmpint (ds.shm_cpid, ==, getpid ());
  g_assert_cmpuint (ds.shm_nattch, ==, 1);
  g_assert_cmpint (ds.shm_perm.uid, ==, geteuid ());

  g_assert_cmpint (ps_source_get_kind (source), ==, PS_SOURCE_SYSV);
  g_assert_cmpint (ps_source_get_key (source), ==, key);
  g_assert_true (ps_source_is_writable (source));
  g_assert_true (ps_source_is_shmem (source));
  g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
  g_assert_cmpint (ps_source_get_fd (source), ==, -1);

  /* no pages past EOF: the kernel rounds the segment up to a page */
  g = ps_source_get_geometry (source);
  g_assert_cmpuint (g->object_size, ==, 10000);
  g_assert_cmpuint (g->length, ==, 10000);
  g_assert_cmpuint (g->n_pages, ==, (10000 + PAGE - 1) / PAGE);
  g_assert_cmpuint (g->n_inside, ==, g->n_pages);
  g_assert_cmpint (ps_geometry_zone (g, g->n_pages), ==, PS_ZONE_PAST_MAPPING);
  ps_assert_perms (data, "rw-s");
  ps_assert_probe (data + g->n_pages * PAGE - 1, FALSE, "exit 0");
  ps_assert_probe (data + g->n_pages * PAGE, FALSE, "SIGSEGV");

  ps_test_write_ok (source, 9990, "sysv");
  g_assert_cmpmem (data + 9990, 4, "sysv", 4);
  g_assert_true (ps_source_msync (source, 0, 0, MS_SYNC, NULL, NULL));

  /* the permissions, read now (the details pane shows them live) */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PsLifecycle) life = ps_lifecycle_read (PS_SOURCE_SYSV, ps_source_get_shmid (source), ps_source_get_key (source),
                                                     -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (life->perms, ==, 0600);
  }
}

static void
test_sysv_create_mode (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(PsSource) source = ps_test_create_sysv (key, PAGE, 0640, log);
  g_autofree char *line = NULL;
  struct shmid_ds ds;

  g_assert_cmpint (ps_test_sysv_stat (ps_source_get_shmid (source), &ds), ==, 0);
  g_assert_cmpint (ds.shm_perm.mode & 0777, ==, 0640);
  line = g_strdup_printf ("shmget(key=0x%08x, %zu, IPC_CREAT|IPC_EXCL|0640) = %d",
                          (guint32) key, PAGE, ps_source_get_shmid (source));
  ps_assert_log_line (log, line);
}

/* Attach by key (decimal, 0x hex), by shmid; read-only unless asked. */
static void
test_sysv_attach (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = ps_test_create_sysv (key, 3 * PAGE, 0, NULL);
  g_autoptr(PsSource) by_key = NULL;
  g_autoptr(PsSource) by_hex = NULL;
  g_autoptr(PsSource) by_dec = NULL;
  g_autoptr(PsSource) by_shmid = NULL;
  g_autoptr(PsSource) writable = NULL;
  g_autofree char *hex = g_strdup_printf ("0x%08x", (guint32) key);
  g_autofree char *dec = g_strdup_printf ("%d", (int) key);
  g_autofree char *line = NULL;
  int shmid = ps_source_get_shmid (creator);
  key_t parsed;
  guint8 *data;
  PsTestOther other = { .shmid = shmid, .offset = 2 * PAGE, .bytes = (const guint8 *) "from-other", .len = 10, .write = TRUE };

  ps_test_write_ok (creator, PAGE, "created");

  by_key = ps_source_attach_sysv (key, PS_MAP_DEFAULT, log, &error);
  g_assert_no_error (error);
  data = ps_source_get_data (by_key);
  g_assert_cmpint (ps_source_get_shmid (by_key), ==, shmid);
  g_assert_cmpint (ps_source_get_key (by_key), ==, key);
  g_assert_false (ps_source_is_writable (by_key));
  g_assert_cmpmem (data + PAGE, 7, "created", 7);
  line = g_strdup_printf ("shmget(key=0x%08x, 0, 0) = %d", (guint32) key, shmid);
  ps_assert_log_line (log, line);
  g_free (line);
  line = g_strdup_printf ("shmat(shmid=%d, %p, SHM_RDONLY|SHM_REMAP) = %p", shmid, data, data);
  ps_assert_log_line (log, line);
  g_free (line);
  line = g_strdup_printf ("shmctl(shmid=%d, IPC_STAT) = 0 (key 0x%08x, size %zu, mode 0600, nattch 1)",
                          shmid, (guint32) key, 3 * PAGE);
  ps_assert_log_line (log, line);

  /* SHM_RDONLY: the mapping is read-only to the kernel */
  ps_assert_perms (data, "r--s");
  ps_assert_probe (data, TRUE, "SIGSEGV");
  g_assert_false (ps_source_write (by_key, 0, (const guint8 *) "x", 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "reopen it writable"));
  g_clear_error (&error);

  /* another process's write shows in our read-only attach */
  ps_assert_other (&other, "exit 0");
  g_assert_cmpmem (data + 2 * PAGE, 10, "from-other", 10);

  g_assert_true (ps_parse_sysv_key (hex, &parsed, &error));
  g_assert_cmpint (parsed, ==, key);
  by_hex = ps_source_attach_sysv (parsed, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_shmid (by_hex), ==, shmid);

  g_assert_true (ps_parse_sysv_key (dec, &parsed, &error));
  g_assert_cmpint (parsed, ==, key);
  by_dec = ps_source_attach_sysv (parsed, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_shmid (by_dec), ==, shmid);

  by_shmid = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_key (by_shmid), ==, key);
  g_assert_cmpmem (ps_source_get_data (by_shmid) + PAGE, 7, "created", 7);

  writable = ps_source_attach_shmid (shmid, PS_MAP_WRITABLE, NULL, &error);
  g_assert_no_error (error);
  ps_assert_perms (ps_source_get_data (writable), "rw-s");
  ps_test_write_ok (writable, 5, "shared");
  g_assert_cmpmem (ps_source_get_data (creator) + 5, 6, "shared", 6);
  g_assert_cmpmem (data + 5, 6, "shared", 6);

  {
    struct shmid_ds ds;

    g_assert_cmpint (ps_test_sysv_stat (shmid, &ds), ==, 0);
    g_assert_cmpuint (ds.shm_nattch, ==, 6);
  }

  /* detach: the segment stays */
  ps_source_close (by_key);
  g_assert_true (ps_source_is_closed (by_key));
  ps_assert_log (log, "shmdt(0x", ") = 0");
  g_assert_cmpint (ps_test_sysv_stat (shmid, NULL), ==, 0);
}

static void
test_sysv_ftok (void)
{
  g_autofree char *path = ps_test_file ("ftok", 1, 0);
  g_autofree char *text = g_strdup_printf ("%s:7", path);
  g_autofree char *text_char = g_strdup_printf ("%s:A", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) creator = NULL;
  g_autoptr(PsSource) source = NULL;
  key_t key, key_char;
  int stale;

  g_assert_true (ps_parse_sysv_key (text, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpint (key, ==, ftok (path, 7));
  g_assert_true (ps_parse_sysv_key (text_char, &key_char, &error));
  g_assert_cmpint (key_char, ==, ftok (path, 'A'));

  stale = shmget (key, 0, 0);
  if (stale >= 0)
    {
      g_test_skip ("another segment has this ftok key");
      return;
    }
  creator = ps_test_create_sysv (key, PAGE, 0, NULL);
  ps_test_write_ok (creator, 0, "ftok");
  source = ps_source_attach_sysv (key, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_shmid (source), ==, ps_source_get_shmid (creator));
  g_assert_cmpmem (ps_source_get_data (source), 4, "ftok", 4);
}

static void
test_sysv_exists (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) first = ps_test_create_sysv (key, 2 * PAGE, 0, NULL);
  g_autoptr(PsSource) second = NULL;
  g_autofree char *call = g_strdup_printf ("shmget(key=0x%08x, %zu, IPC_CREAT|IPC_EXCL|0600)", (guint32) key, PAGE);
  g_autofree char *line = g_strdup_printf ("%s = -1 EEXIST (File exists)", call);
  struct shmid_ds ds;

  ps_test_write_ok (first, 0, "first");
  second = ps_source_create_sysv (key, PAGE, 0, log, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (g_str_has_prefix (error->message, call));
  g_assert_nonnull (strstr (error->message, "File exists"));
  ps_assert_log_line (log, line);

  /* the existing segment is untouched */
  g_assert_cmpint (shmget (key, 0, 0), ==, ps_source_get_shmid (first));
  g_assert_cmpint (ps_test_sysv_stat (ps_source_get_shmid (first), &ds), ==, 0);
  g_assert_cmpuint (ds.shm_segsz, ==, 2 * PAGE);
  g_assert_cmpuint (ds.shm_nattch, ==, 1);
  g_assert_cmpmem (ps_source_get_data (first), 5, "first", 5);
}

static void
test_sysv_missing (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *call = g_strdup_printf ("shmget(key=0x%08x, 0, 0)", (guint32) key);
  g_autofree char *line = g_strdup_printf ("%s = -1 ENOENT (No such file or directory)", call);

  source = ps_source_attach_sysv (key, PS_MAP_DEFAULT, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, call));
  g_assert_nonnull (strstr (error->message, "No such file or directory"));
  ps_assert_log_line (log, line);
}

/* Bad input changes nothing: no segment is left behind. */
static void
test_sysv_bad_create (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  source = ps_source_create_sysv (key, 0, 0, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "size must not be zero"));
  g_assert_true (g_str_has_prefix (error->message, "shmget(key="));
  g_clear_error (&error);
  ps_assert_log (log, "shmget(key=", "not called: the size must not be zero");
  g_assert_cmpint (shmget (key, 0, 0), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);

  source = ps_source_create_sysv (key, PAGE, 01777, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "permission bits"));
  g_clear_error (&error);
  g_assert_cmpint (shmget (key, 0, 0), ==, -1);
  g_assert_cmpint (errno, ==, ENOENT);
}

/* After IPC_RMID the key is gone but the segment lives while attached, and
 * can still be attached by shmid (KERNEL-FACTS). */
static void
test_sysv_removed (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) a = ps_test_create_sysv (key, 2 * PAGE, 0, log);
  g_autoptr(PsSource) b = NULL;
  g_autoptr(PsSource) c = NULL;
  PsSourceSpec *spec = NULL;
  g_autofree char *line = NULL;
  g_autofree char *stat_line = NULL;
  int shmid = ps_source_get_shmid (a);
  struct shmid_ds ds;
  gboolean removed = FALSE;
  PsGeometry now;

  ps_test_write_ok (a, 100, "still here");
  g_assert_true (ps_source_restat (a, NULL, &removed, &error));
  g_assert_false (removed);
  /* the key names a itself */
  g_assert_false (ps_source_name_taken (a));

  g_assert_true (ps_source_remove (a, &error));
  g_assert_no_error (error);
  line = g_strdup_printf ("shmctl(shmid=%d, IPC_RMID) = 0", shmid);
  ps_assert_log_line (log, line);

  g_assert_true (ps_source_restat (a, &now, &removed, &error));
  g_assert_no_error (error);
  g_assert_true (removed);
  g_assert_cmpuint (now.object_size, ==, 2 * PAGE);

  g_assert_cmpint (ps_test_sysv_stat (shmid, &ds), ==, 0);
  g_assert_cmpint (ds.shm_perm.mode & SHM_DEST, !=, 0);
  g_assert_cmpint (ds.shm_perm.__key, ==, IPC_PRIVATE);

  /* the key names nothing now */
  c = ps_source_attach_sysv (key, PS_MAP_DEFAULT, NULL, &error);
  g_assert_null (c);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ps_source_name_taken (a));

  /* the shmid still attaches while a is attached */
  b = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, log, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_key (b), ==, IPC_PRIVATE);
  g_assert_cmpmem (ps_source_get_data (b) + 100, 10, "still here", 10);
  stat_line = g_strdup_printf ("shmctl(shmid=%d, IPC_STAT) = 0 (key 0x00000000", shmid);
  ps_assert_log (log, stat_line, ", marked for removal)");
  g_assert_true (ps_source_restat (b, NULL, &removed, &error));
  g_assert_true (removed);
  /* attached by shmid, with no key: no name to be taken */
  g_assert_false (ps_source_name_taken (b));

  /* a new segment with the key: a's key is taken by another */
  {
    g_autoptr(PsSource) fresh = ps_test_create_sysv (key, PAGE, 0, NULL);

    g_assert_true (ps_source_name_taken (a));
    g_assert_false (ps_source_name_taken (fresh));
    g_assert_false (ps_source_name_taken (b));
  }

  /* its spec reopens it by shmid */
  spec = ps_source_dup_spec (b);
  g_assert_true (spec->by_shmid);
  g_assert_cmpint (spec->shmid, ==, shmid);
  ps_source_spec_clear (spec);
  g_free (spec);

  /* a's writes show in b */
  ps_test_write_ok (a, 0, "after");
  g_assert_cmpmem (ps_source_get_data (b), 5, "after", 5);

  /* gone after the last detach */
  ps_source_close (a);
  g_assert_cmpint (ps_test_sysv_stat (shmid, &ds), ==, 0);
  g_assert_cmpuint (ds.shm_nattch, ==, 1);
  ps_source_close (b);
  g_assert_cmpint (ps_test_sysv_stat (shmid, NULL), ==, EINVAL);
  g_assert_true (ps_source_restat (b, NULL, &removed, &error));
  g_assert_no_error (error);
  g_assert_true (removed);
}

/* A sparse segment: the written pages and no others, and peeking reads
 * (so allocates) none of the holes. */
static void
test_sysv_residency (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) writer = ps_test_create_sysv (key, 32 * PAGE, 0, NULL);
  g_autoptr(PsSource) reader = NULL;
  g_autofree guint8 *buf = g_malloc (32 * PAGE);
  int shmid = ps_source_get_shmid (writer);
  const char *expected = "01000000000000000100000000000001";

  g_assert_cmpint (ps_test_sysv_rss (shmid), ==, 0);
  ps_test_write_ok (writer, PAGE + 3, "one");
  ps_test_write_ok (writer, 17 * PAGE, "seventeen");
  ps_test_write_ok (writer, 32 * PAGE - 4, "last");
  g_assert_cmpint (ps_test_sysv_rss (shmid), ==, 3 * PAGE);
  ps_assert_residency (writer, 0, 32, expected);
  ps_assert_residency (writer, 16, 3, "010");

  /* a mapping that never touched a page sees the same */
  reader = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  ps_assert_residency (reader, 0, 32, expected);

  ps_assert_peek_valid (reader, 0, buf, 32 * PAGE, expected);
  g_assert_cmpmem (buf + PAGE + 3, 3, "one", 3);
  g_assert_cmpmem (buf + 17 * PAGE, 9, "seventeen", 9);
  g_assert_cmpmem (buf + 32 * PAGE - 4, 4, "last", 4);
  g_assert_cmpint (buf[5 * PAGE], ==, 0);
  g_assert_cmpint (ps_test_sysv_rss (shmid), ==, 3 * PAGE);
  ps_assert_residency (reader, 0, 32, expected);
}

/* SysV is not affected by the mincore hardening: exact for nobody too. */
static void
test_residency_nobody_sysv (void)
{
  const char *expected = "0100000001000000";

  if (g_test_subprocess ())
    {
      int shmid = atoi (g_getenv ("PS_TEST_SHMID"));
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autoptr(PsSource) writable = NULL;
      g_autofree guint8 *buf = g_malloc (16 * PAGE);
      g_autofree char *call = g_strdup_printf ("shmat(shmid=%d, ", shmid);

      ps_test_child_become_nobody ();
      source = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ps_source_get_residency (source), ==, PS_RESIDENCY_MINCORE);
      ps_assert_residency (source, 0, 16, expected);
      ps_assert_peek_valid (source, 0, buf, 16 * PAGE, expected);
      g_assert_cmpmem (buf + PAGE, 3, "one", 3);
      g_assert_cmpmem (buf + 9 * PAGE, 4, "nine", 4);
      g_assert_cmpint (ps_test_sysv_rss (shmid), ==, 2 * PAGE);

      writable = ps_source_attach_shmid (shmid, PS_MAP_WRITABLE, log, &error);
      ps_test_expect_denied (writable, error, call);
      ps_assert_log (log, call, " = -1 EACCES (Permission denied)");
      return;
    }

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to run as another user");
      return;
    }

  {
    g_autoptr(PsSource) creator = ps_test_create_sysv (ps_test_free_sysv_key (), 16 * PAGE, 0644, NULL);
    g_autofree char *shmid_text = g_strdup_printf ("%d", ps_source_get_shmid (creator));

    ps_test_write_ok (creator, PAGE, "one");
    ps_test_write_ok (creator, 9 * PAGE, "nine");
    g_setenv ("PS_TEST_SHMID", shmid_text, TRUE);
    ps_test_run_as_nobody ();
    g_unsetenv ("PS_TEST_SHMID");
  }
}

/* A root-owned 0600 segment: IPC_STAT is denied, so is the attach. A new
 * segment its creator may not attach writable is removed again. */
static void
test_errors_permission_sysv (void)
{
  if (g_test_subprocess ())
    {
      int shmid = atoi (g_getenv ("PS_TEST_SHMID"));
      key_t key = (key_t) g_ascii_strtoll (g_getenv ("PS_TEST_KEY"), NULL, 10);
      key_t new_key = (key_t) g_ascii_strtoll (g_getenv ("PS_TEST_NEW_KEY"), NULL, 10);
      g_autoptr(PsEventLog) log = ps_event_log_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(PsSource) source = NULL;
      g_autofree char *call = g_strdup_printf ("shmctl(shmid=%d, IPC_STAT)", shmid);

      ps_test_child_become_nobody ();
      source = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, log, &error);
      ps_test_expect_denied (source, error, call);
      ps_assert_log (log, call, " = -1 EACCES (Permission denied)");
      g_clear_error (&error);

      source = ps_source_attach_sysv (key, PS_MAP_DEFAULT, log, &error);
      ps_test_expect_denied (source, error, call);
      g_clear_error (&error);

      /* 0400: created, then shmat(writable) is denied; nothing stays */
      source = ps_source_create_sysv (new_key, PAGE, 0400, log, &error);
      g_assert_null (source);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_true (g_str_has_prefix (error->message, "shmat(shmid="));
      ps_assert_log (log, "shmctl(shmid=", ", IPC_RMID) = 0");
      g_assert_cmpint (shmget (new_key, 0, 0), ==, -1);
      g_assert_cmpint (errno, ==, ENOENT);
      return;
    }

  {
    key_t key = ps_test_free_sysv_key ();
    key_t new_key = ps_test_free_sysv_key ();
    g_autoptr(PsSource) creator = NULL;
    g_autofree char *shmid_text = NULL;
    g_autofree char *key_text = g_strdup_printf ("%d", (int) key);
    g_autofree char *new_key_text = g_strdup_printf ("%d", (int) new_key);
    int leftover;

    if (geteuid () != 0)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(PsSource) source = NULL;
        int shmid = shmget (key, PAGE, IPC_CREAT | IPC_EXCL | 0);

        g_assert_cmpint (shmid, >=, 0);
        ps_test_queue_rmid (shmid);
        source = ps_source_attach_shmid (shmid, PS_MAP_DEFAULT, NULL, &error);
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
        return;
      }

    creator = ps_test_create_sysv (key, PAGE, 0600, NULL);
    shmid_text = g_strdup_printf ("%d", ps_source_get_shmid (creator));
    g_setenv ("PS_TEST_SHMID", shmid_text, TRUE);
    g_setenv ("PS_TEST_KEY", key_text, TRUE);
    g_setenv ("PS_TEST_NEW_KEY", new_key_text, TRUE);
    ps_test_run_as_nobody ();
    g_unsetenv ("PS_TEST_SHMID");
    g_unsetenv ("PS_TEST_KEY");
    g_unsetenv ("PS_TEST_NEW_KEY");

    leftover = shmget (new_key, 0, 0);
    if (leftover >= 0)
      {
        shmctl (leftover, IPC_RMID, NULL);
        g_test_fail_printf ("a failed create left segment %d behind", leftover);
      }
  }
}

static void
test_errors_sysv_private (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsSource) creator = ps_test_create_sysv (key, PAGE, 0, NULL);
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_SYSV, .key = key, .flags = PS_MAP_PRIVATE | PS_MAP_WRITABLE };

  source = ps_source_attach_shmid (ps_source_get_shmid (creator), PS_MAP_PRIVATE, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "private"));
  ps_assert_log (log, "shmat(shmid=", "not called: ");
  g_clear_error (&error);

  source = ps_source_open (&spec, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  {
    struct shmid_ds ds;

    g_assert_cmpint (ps_test_sysv_stat (ps_source_get_shmid (creator), &ds), ==, 0);
    g_assert_cmpuint (ds.shm_nattch, ==, 1);
  }
}

static void
test_errors_sysv_offset (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsSource) creator = ps_test_create_sysv (key, 2 * PAGE, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  PsSourceSpec spec = { .kind = PS_SOURCE_SYSV, .key = key, .offset = PAGE };
  PsSourceSpec by_shmid = { .kind = PS_SOURCE_SYSV, .by_shmid = TRUE,
                            .shmid = ps_source_get_shmid (creator), .length = PAGE };

  source = ps_source_open (&spec, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "offset"));
  g_clear_error (&error);

  source = ps_source_open (&by_shmid, NULL, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  spec.offset = 0;
  source = ps_source_open (&spec, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_source_get_shmid (source), ==, ps_source_get_shmid (creator));
}

static void
test_errors_sysv_bad_ids (void)
{
  g_autoptr(PsEventLog) log = ps_event_log_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;

  source = ps_source_attach_sysv (IPC_PRIVATE, PS_MAP_DEFAULT, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "IPC_PRIVATE"));
  g_assert_nonnull (strstr (error->message, "shmid"));
  g_clear_error (&error);

  /* a shmid nobody has: the kernel's EINVAL, named */
  source = ps_source_attach_shmid (G_MAXINT, PS_MAP_DEFAULT, log, &error);
  g_assert_null (source);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "shmid=2147483647"));
  ps_assert_log_line (log, "shmctl(shmid=2147483647, IPC_STAT) = -1 EINVAL (Invalid argument)");
}

int
main (int argc, char **argv)
{
  PAGE = ps_test_page_size ();
  ps_test_init (&argc, &argv);

  g_test_add_func ("/source/sysv/create", test_sysv_create);
  g_test_add_func ("/source/sysv/create-mode", test_sysv_create_mode);
  g_test_add_func ("/source/sysv/attach", test_sysv_attach);
  g_test_add_func ("/source/sysv/ftok", test_sysv_ftok);
  g_test_add_func ("/source/sysv/exists", test_sysv_exists);
  g_test_add_func ("/source/sysv/missing", test_sysv_missing);
  g_test_add_func ("/source/sysv/bad-create", test_sysv_bad_create);
  g_test_add_func ("/source/sysv/removed", test_sysv_removed);
  g_test_add_func ("/source/sysv/residency", test_sysv_residency);
  g_test_add_func ("/source/sysv/residency-nobody", test_residency_nobody_sysv);
  g_test_add_func ("/source/errors/permission-sysv", test_errors_permission_sysv);
  g_test_add_func ("/source/errors/sysv-private", test_errors_sysv_private);
  g_test_add_func ("/source/errors/sysv-offset", test_errors_sysv_offset);
  g_test_add_func ("/source/errors/sysv-bad-ids", test_errors_sysv_bad_ids);

  return g_test_run ();
}
