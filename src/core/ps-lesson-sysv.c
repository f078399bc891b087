/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SysV lessons: a segment's life from shmget to the last detach, and
 * what ftok keys are made of. Each step checks with shmctl(IPC_STAT) or
 * stat what the kernel did. */
#define G_LOG_DOMAIN "pagescope-lesson"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include "ps-lesson-private.h"

/* ---- sysv -------------------------------------------------------------------- */

static int
nattch (int shmid)
{
  struct shmid_ds ds;

  return shmctl (shmid, IPC_STAT, &ds) == 0 ? (int) ds.shm_nattch : -1;
}

static gboolean
sysv_create (PsLesson *self, GString *seen, GError **error)
{
  PsSourceSpec spec = { .kind = PS_SOURCE_SYSV, .key = IPC_PRIVATE, .create = TRUE, .size = 4096 };

  if (!ps_session_open (self->session, &spec, error))
    return FALSE;
  self->shmid = ps_source_get_shmid (ps_session_get_source (self->session));
  g_string_printf (seen, _("shmget(IPC_PRIVATE, 4096) made shmid %d and shmat attached it: %d process attached."),
                   self->shmid, nattch (self->shmid));
  return nattch (self->shmid) == 1;
}

static gboolean
sysv_fork (PsLesson *self, GString *seen, GError **error)
{
  PsSpawnArgs args;
  int during;

  if (!ps_spawn_args_parse ("1 counter 20 count=10", &args, error) ||
      !ps_session_spawn_writers (self->session, &args, error))
    return FALSE;
  during = nattch (self->shmid);
  if (!ps_lesson_wait_for (ps_lesson_writers_done, self->session))
    return g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("the child did not finish")), FALSE;
  g_string_printf (seen, _("A forked child inherits the attachment: %d attached while it ran, %d after it exited."),
                   during, nattch (self->shmid));
  return during == 2 && nattch (self->shmid) == 1;
}

static gboolean
sysv_rmid (PsLesson *self, GString *seen, GError **error)
{
  struct shmid_ds ds;
  guint8 byte;

  if (!ps_session_remove (self->session, error))
    return FALSE;
  if (shmctl (self->shmid, IPC_STAT, &ds) != 0)
    return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "shmctl(IPC_STAT): %s", g_strerror (errno)), FALSE;
  ps_source_peek (ps_session_get_source (self->session), 0, &byte, 1, NULL);
  g_string_printf (seen, _("After shmctl(IPC_RMID) the segment is still there and still attached (%d), marked "
                           "SHM_DEST (mode 0%o), its key now 0x%08x: it goes when the last process detaches."),
                   (int) ds.shm_nattch, (guint) ds.shm_perm.mode, (guint) ds.shm_perm.__key);
  return (ds.shm_perm.mode & SHM_DEST) && ds.shm_nattch == 1;
}

static gboolean
sysv_detach (PsLesson *self, GString *seen, GError **error)
{
  struct shmid_ds ds;
  int rc, errsv;

  ps_session_close (self->session);
  rc = shmctl (self->shmid, IPC_STAT, &ds);
  errsv = errno;
  g_string_printf (seen, _("shmdt, the last detach: shmctl(%d, IPC_STAT) now says %s: the segment is gone."),
                   self->shmid, rc == 0 ? "0" : g_strerror (errsv));
  if (rc != 0)
    self->shmid = -1;
  return rc != 0 && (errsv == EINVAL || errsv == EIDRM);
}

/* ---- ftok --------------------------------------------------------------------- */

static gboolean
ftok_breakdown (PsLesson *self, GString *seen, GError **error)
{
  struct stat st;
  key_t key;
  guint32 expected;

  if ((self->path = ps_lesson_make_file (self, "ftok", 1, 0, error)) == NULL)
    return FALSE;
  key = ftok (self->path, 'P');
  if (key == (key_t) -1 || stat (self->path, &st) != 0)
    return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "ftok: %s", g_strerror (errno)), FALSE;
  expected = ((guint32) 'P' << 24) | (((guint32) st.st_dev & 0xff) << 16) | ((guint32) st.st_ino & 0xffff);
  self->remembered = (guint32) key;
  g_string_printf (seen, _("ftok(\"%s\", 'P') = 0x%08x: the project id 0x50 in the top byte, the low 8 bits of "
                           "the device (0x%02x) and the low 16 bits of the inode (%" PRIu64 " → 0x%04x). Nothing "
                           "else of the path counts."),
                   self->path, (guint32) key, (guint) (st.st_dev & 0xff), (guint64) st.st_ino,
                   (guint) (st.st_ino & 0xffff));
  return (guint32) key == expected;
}

static gboolean
ftok_unique (PsLesson *self, GString *seen, GError **error)
{
  struct stat st;
  guint64 twin;

  if (stat (self->path, &st) != 0)
    return g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "stat: %s", g_strerror (errno)), FALSE;
  twin = st.st_ino ^ 0x10000;
  g_string_printf (seen, _("Only 16 bits of the inode are used, so a file with inode %" PRIu64 " on the same "
                           "device gets the same key 0x%08x: ftok keys can collide; IPC_PRIVATE, or "
                           "IPC_CREAT|IPC_EXCL that fails on a clash, is the safe way."),
                   twin, (guint32) self->remembered);
  return ((twin & 0xffff) == (st.st_ino & 0xffff)) && twin != (guint64) st.st_ino;
}

const PsLessonStep ps_lesson_sysv_steps[] = {
  { N_("shmget and shmat"), N_("A segment belongs to the process that made it."), sysv_create },
  { N_("fork"), N_("A child must attach the segment again to use it."), sysv_fork },
  { N_("shmctl(IPC_RMID)"), N_("IPC_RMID destroys the segment at once."), sysv_rmid },
  { N_("The last detach"), N_("A removed segment lingers until reboot."), sysv_detach },
};
const guint ps_lesson_sysv_n_steps = G_N_ELEMENTS (ps_lesson_sysv_steps);

const PsLessonStep ps_lesson_ftok_steps[] = {
  { N_("What ftok makes of a path"), N_("ftok turns a path into a unique key."), ftok_breakdown },
  { N_("Keys that collide"), N_("Two different files never get the same key."), ftok_unique },
};
const guint ps_lesson_ftok_n_steps = G_N_ELEMENTS (ps_lesson_ftok_steps);
