/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsLifecycle on real segments: a SysV segment attached by a child process
 * (its pid and name found, the attach count), IPC_RMID while attached (key
 * 0, marked removed, still there), the child's detach; a POSIX segment
 * mapped by a child, then unlinked; and ftok keys taken apart against a
 * real file's device and inode. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ps-lifecycle.h"
#include "ps-test-util.h"

static const PsMapper *
find_mapper (const PsLifecycle *life,
             pid_t              pid)
{
  for (guint i = 0; i < life->mappers->len; i++)
    if (g_array_index (life->mappers, PsMapper, i).pid == pid)
      return &g_array_index (life->mappers, PsMapper, i);
  return NULL;
}

/* The name /proc gives the mapper with pid, NULL if none. */
static const char *
mapper_command (const PsLifecycle *life,
                pid_t              pid)
{
  const PsMapper *mapper = find_mapper (life, pid);

  return mapper != NULL ? mapper->command : NULL;
}

static PsLifecycle *
read_source (PsSource *source)
{
  g_autoptr(GError) error = NULL;
  PsLifecycle *life = ps_lifecycle_read (ps_source_get_kind (source), ps_source_get_shmid (source),
                                         ps_source_get_key (source), ps_source_get_fd (source),
                                         ps_source_get_posix_name (source), &error);

  g_assert_no_error (error);
  g_assert_nonnull (life);
  return life;
}

/* ---- SysV ---- */

static void
test_sysv_child (void)
{
  gsize page = ps_test_page_size ();
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsSource) creator = ps_test_create_sysv (key, page, 0600, NULL);
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsLifecycle) before = NULL;
  g_autoptr(PsLifecycle) attached = NULL;
  g_autoptr(PsLifecycle) removed = NULL;
  g_autoptr(PsLifecycle) detached = NULL;
  g_autoptr(PsLifecycle) gone = NULL;
  g_autoptr(GError) error = NULL;
  PsTestAttacher a = { ps_source_get_shmid (creator), NULL, NULL, { -1, -1 }, { -1, -1 } };
  pid_t pid;

  /* the creator attached too: detach it, so this process holds one attach */
  ps_source_close (creator);
  source = ps_source_attach_sysv (key, 0, NULL, &error);
  g_assert_no_error (error);

  before = read_source (source);
  g_assert_true (before->found);
  g_assert_false (before->removed);
  g_assert_cmpint (before->key, ==, key);
  g_assert_cmpuint (before->n_attached, ==, 1);
  g_assert_cmpuint (before->perms, ==, 0600);
  g_assert_cmpint (before->uid, ==, getuid ());
  g_assert_cmpint (before->cpid, ==, getpid ());
  g_assert_cmpint (before->atime, >, 0);
  g_assert_nonnull (find_mapper (before, getpid ()));

  a.inherited = ps_source_get_data (source);
  pid = ps_test_attacher_start (&a);
  attached = read_source (source);
  g_assert_cmpuint (attached->n_attached, ==, 2);
  g_assert_cmpint (attached->lpid, ==, pid);
  g_assert_cmpstr (mapper_command (attached, pid), ==, "ps-attacher");
  g_assert_true (attached->mappers_known);

  g_assert_no_errno (shmctl (ps_source_get_shmid (source), IPC_RMID, NULL));
  removed = read_source (source);
  g_assert_true (removed->found);
  g_assert_true (removed->removed);
  g_assert_cmpint (removed->key, ==, 0);             /* IPC_PRIVATE once removed */
  g_assert_cmpint (removed->opened_key, ==, key);
  g_assert_cmpuint (removed->n_attached, ==, 2);

  ps_test_attacher_detach (&a, pid);
  detached = read_source (source);
  g_assert_true (detached->found);
  g_assert_cmpuint (detached->n_attached, ==, 1);
  g_assert_null (find_mapper (detached, pid));
  g_assert_cmpint (detached->lpid, ==, pid);
  g_assert_cmpint (detached->dtime, >, 0);

  /* the last detach destroys it */
  ps_source_close (source);
  gone = ps_lifecycle_read (PS_SOURCE_SYSV, a.shmid, key, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (gone->found);
}

/* ---- POSIX ---- */

static void
test_posix_child (void)
{
  gsize page = ps_test_page_size ();
  g_autofree char *name = ps_test_posix_name ("life");
  g_autoptr(PsSource) source = ps_test_create_posix (name, page, 0640, NULL);
  g_autoptr(PsLifecycle) mapped = NULL;
  g_autoptr(PsLifecycle) unlinked = NULL;
  PsTestAttacher a = { -1, name, NULL, { -1, -1 }, { -1, -1 } };
  pid_t pid;

  pid = ps_test_attacher_start (&a);
  mapped = read_source (source);
  g_assert_true (mapped->found);
  g_assert_false (mapped->removed);
  g_assert_cmpuint (mapped->perms, ==, 0640);
  g_assert_cmpuint (mapped->size, ==, page);
  g_assert_cmpuint (mapped->n_attached, ==, 2);
  g_assert_nonnull (find_mapper (mapped, getpid ()));
  g_assert_cmpstr (mapper_command (mapped, pid), ==, "ps-attacher");

  /* unlinked while mapped: it stays, nameless, for those that map it */
  g_assert_no_errno (shm_unlink (name));
  unlinked = read_source (source);
  g_assert_true (unlinked->removed);
  g_assert_cmpuint (unlinked->n_attached, ==, 2);
  g_assert_nonnull (find_mapper (unlinked, pid));
  ps_test_attacher_detach (&a, pid);
}

/* ---- async ---- */

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      data)
{
  PsLifecycle **out = data;
  g_autoptr(GError) error = NULL;

  *out = ps_lifecycle_read_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(PsLifecycle **) data != NULL;
}

static void
store_result (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_async (void)
{
  key_t key = ps_test_free_sysv_key ();
  g_autoptr(PsSource) source = ps_test_create_sysv (key, ps_test_page_size (), 0600, NULL);
  g_autoptr(PsLifecycle) life = NULL;
  g_autoptr(PsSource) file = NULL;
  g_autofree char *path = ps_test_file ("life", 10, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  ps_lifecycle_read_async (source, NULL, on_read, &life);
  g_assert_true (ps_test_wait_until (is_set, &life, 10000));
  g_assert_cmpint (life->shmid, ==, ps_source_get_shmid (source));
  g_assert_cmpuint (life->n_attached, ==, 1);

  /* a file has no lifecycle: refused, not crashed */
  file = ps_source_open_file (path, 0, 0, 0, NULL, &error);
  g_assert_no_error (error);
  ps_lifecycle_read_async (file, NULL, store_result, &result);
  g_assert_true (ps_test_wait_until (is_set, &result, 10000));
  g_assert_null (ps_lifecycle_read_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
}

/* ---- ftok ---- */

static void
test_ftok_breakdown (void)
{
  g_autofree char *path = ps_test_file ("ftok", 1, 0);
  g_autofree char *text = NULL;
  g_autofree char *ino_text = NULL;
  g_autofree char *dev_text = NULL;
  struct stat st;
  PsFtokParts parts;
  key_t key = ftok (path, 'P');

  g_assert_cmpint (key, !=, -1);
  g_assert_no_errno (stat (path, &st));
  ps_ftok_split (key, &parts);
  g_assert_cmpuint (parts.proj_id, ==, 'P');
  g_assert_cmpuint (parts.dev_low, ==, minor (st.st_dev) & 0xff);
  g_assert_cmpuint (parts.ino_low, ==, st.st_ino & 0xffff);
  g_assert_cmpint (ps_ftok_join ('P', st.st_dev, st.st_ino), ==, key);
  /* a file with the same low 16 bits of inode would collide */
  g_assert_cmpint (ps_ftok_join ('P', st.st_dev, st.st_ino ^ 0x10000), ==, key);

  text = ps_ftok_explain (key);
  g_test_message ("%s", text);
  ps_assert_contains (text, "0x50 'P'");
  ino_text = g_strdup_printf ("0x%04x", (guint) (st.st_ino & 0xffff));
  ps_assert_contains (text, ino_text);
  /* names the mounted file system the file is on, by its device numbers */
  dev_text = g_strdup_printf ("(%u:%u)", major (st.st_dev), minor (st.st_dev));
  ps_assert_contains (text, dev_text);
}

static void
test_ftok_private (void)
{
  g_autofree char *text = ps_ftok_explain (0);

  ps_assert_contains (text, "IPC_PRIVATE");
  ps_assert_contains (text, "IPC_RMID");
}

int
main (int argc, char **argv)
{
  ps_test_init (&argc, &argv);

  g_test_add_func ("/lifecycle/sysv/child-attach-rmid-detach", test_sysv_child);
  g_test_add_func ("/lifecycle/posix/child-map-unlink", test_posix_child);
  g_test_add_func ("/lifecycle/async", test_async);
  g_test_add_func ("/lifecycle/ftok/breakdown", test_ftok_breakdown);
  g_test_add_func ("/lifecycle/ftok/private", test_ftok_private);
  return g_test_run ();
}
