/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Snapshots: a freeze that copies nothing until a page changes, or a file
 * to compare with; both kept current by the scanner's pass func. Saving a
 * snapshot to a file is in ps-snapshot-save.c. */
#define G_LOG_DOMAIN "pagescope-snapshot"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "ps-snapshot-private.h"

G_DEFINE_FINAL_TYPE (PsSnapshot, ps_snapshot, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_free (Entry *e)
{
  g_free (e->old);
  g_free (e);
}

static gboolean
emit_changed (gpointer data)
{
  PsSnapshot *self = data;

  g_atomic_int_set (&self->notify_pending, 0);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* From any thread: "changed" once in the main context, however many passes
 * ask before it runs. Always through a source attached to that context:
 * g_main_context_invoke would run it right here, on the scanner's thread,
 * whenever no thread holds the context at that moment (the main loop busy
 * between two iterations), and its handlers call GTK. */
static void
schedule_changed (PsSnapshot *self)
{
  g_autoptr(GSource) source = NULL;

  if (!g_atomic_int_compare_and_exchange (&self->notify_pending, 0, 1))
    return;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_changed, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[pagescope] snapshot changed");
  g_source_attach (source, self->context);
}

/* ---- frozen: the pass func ----------------------------------------------------- */

/* The first change of a page since the freeze: what it held, as far as it
 * can still be had. Under lock. */
static void
keep_old (PsSnapshot       *self,
          Entry            *e,
          guint64           page,
          const PsScanPass *pass)
{
  guint64 page_lo = page * self->page_size, page_hi = page_lo + self->page_size;
  guint64 lo, hi;

  if (e->old_hash == pass->zero_hash)
    {
      e->old_zero = TRUE;
      return;
    }
  if (e->old_hash == PS_HASH_PAST_EOF || pass->focus_before == NULL)
    return;
  lo = MAX (page_lo, pass->before_offset);
  hi = MIN (page_hi, pass->before_offset + pass->before_length);
  if (lo >= hi)
    return;
  /* the scanner's window before this pass: the page as it was */
  e->old = g_memdup2 (pass->focus_before + (lo - pass->frame->focus_offset), hi - lo);
  e->old_from = lo - page_lo;
  e->old_len = hi - lo;
  self->kept += hi - lo;
}

static void
on_frozen_pass (PsScanner        *scanner,
                const PsScanPass *pass,
                gpointer          data)
{
  PsSnapshot *self = data;
  gboolean dirty = FALSE;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < pass->n_changes; i++)
    {
      const PsPageChange *c = &pass->changes[i];
      Entry *e = g_hash_table_lookup (self->entries, &c->page);
      gboolean was;

      if (e == NULL)
        {
          e = g_new0 (Entry, 1);
          e->old_hash = e->cur_hash = c->old_hash;
          keep_old (self, e, c->page, pass);
          g_hash_table_insert (self->entries, g_memdup2 (&c->page, sizeof c->page), e);
        }
      was = e->cur_hash != e->old_hash;
      e->cur_hash = c->new_hash;
      if (was != (e->cur_hash != e->old_hash))
        {
          self->n_differ += was ? -1 : 1;
          dirty = TRUE;
        }
    }
  g_mutex_unlock (&self->lock);
  if (dirty)
    schedule_changed (self);
}

/* ---- against a file: the pass func ------------------------------------------- */

/* A page's hash now against the file's. Under lock; TRUE if that changed
 * whether it differs. */
static gboolean
file_update (PsSnapshot *self,
             guint64     page,
             guint64     hash)
{
  Entry *e;
  gboolean differs;

  if (page >= self->n_file_pages)
    return FALSE;
  differs = hash != self->file_hashes[page];
  e = g_hash_table_lookup (self->entries, &page);
  if (differs && e == NULL)
    {
      e = g_new0 (Entry, 1);
      e->old_hash = self->file_hashes[page];
      e->cur_hash = hash;
      g_hash_table_insert (self->entries, g_memdup2 (&page, sizeof page), e);
      self->n_differ++;
      return TRUE;
    }
  if (!differs && e != NULL)
    {
      g_hash_table_remove (self->entries, &page);
      self->n_differ--;
      return TRUE;
    }
  if (e != NULL)
    e->cur_hash = hash;
  return FALSE;
}

static void
on_file_pass (PsScanner        *scanner,
              const PsScanPass *pass,
              gpointer          data)
{
  PsSnapshot *self = data;
  gboolean dirty = FALSE;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < pass->n_changes; i++)
    {
      guint64 page = pass->changes[i].page;

      if (!self->ready)
        g_hash_table_add (self->changed_during, g_memdup2 (&page, sizeof page));
      else
        dirty |= file_update (self, page, pass->changes[i].new_hash);
    }
  g_mutex_unlock (&self->lock);
  if (dirty)
    schedule_changed (self);
}

/* ---- following the session ---------------------------------------------------- */

static void
detach (PsSnapshot *self)
{
  if (self->pass_func != 0)
    ps_scanner_remove_pass_func (self->scanner, self->pass_func);
  self->pass_func = 0;
  if (self->session != NULL)
    g_clear_signal_handler (&self->source_handler, self->session);
  self->live = FALSE;
}

static void
on_source_changed (PsSnapshot *self)
{
  if (ps_session_get_source (self->session) != self->source)
    detach (self);
}

/* after_sweep: the pass func starts after a sweep of every page that
 * begins now (ps_scanner_add_pass_func_after_sweep). */
static PsSnapshot *
snapshot_new (PsSession         *session,
              PsSnapshotKind     kind,
              PsScannerPassFunc  func,
              gboolean           after_sweep)
{
  PsSnapshot *self = g_object_new (PS_TYPE_SNAPSHOT, NULL);
  g_autofree guint8 *zero = NULL;

  self->kind = kind;
  self->session = g_object_ref (session);
  self->source = g_object_ref (ps_session_get_source (session));
  self->scanner = g_object_ref (ps_session_get_scanner (session));
  self->page_size = ps_source_get_geometry (self->source)->page_size;
  zero = g_malloc0 (self->page_size);
  self->zero_hash = XXH3_64bits (zero, self->page_size);
  self->time_us = g_get_monotonic_time ();
  self->live = TRUE;
  self->source_handler = g_signal_connect_swapped (session, "notify::source", G_CALLBACK (on_source_changed), self);
  if (after_sweep)
    self->pass_func = ps_scanner_add_pass_func_after_sweep (self->scanner, func, self, NULL);
  else
    self->pass_func = ps_scanner_add_pass_func (self->scanner, func, self, NULL);
  return self;
}

static PsSnapshot *
start_freeze (PsSession  *session,
              GError    **error)
{
  if (!ps_session_is_open (session))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("freeze: nothing is open"));
      return NULL;
    }
  return snapshot_new (session, PS_SNAPSHOT_FROZEN, on_frozen_pass, TRUE);
}

/* The sweep is done: from the next pass on, pages are compared with it. */
static void
frozen (PsSnapshot *self)
{
  self->time_us = g_get_monotonic_time ();
  ps_event_log_add (ps_session_get_log (self->session), FALSE,
                    "freeze: every page hashed; from the next pass on, pages are compared with now");
}

static gboolean
sweep_failed (PsSnapshot    *self,
              GCancellable  *cancellable,
              GError       **error)
{
  if (!g_cancellable_set_error_if_cancelled (cancellable, error))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                         _("freeze: the scanner stopped before it had read every page"));
  return FALSE;
}

PsSnapshot *
ps_snapshot_freeze (PsSession  *session,
                    GError    **error)
{
  g_autoptr(PsSnapshot) self = NULL;

  g_return_val_if_fail (PS_IS_SESSION (session), NULL);

  self = start_freeze (session, error);
  if (self == NULL)
    return NULL;
  /* a scanner driven by hand (tests) makes its sweep here */
  if (!ps_scanner_is_running (self->scanner))
    ps_frame_unref (ps_scanner_scan_now (self->scanner));
  if (!ps_scanner_wait_pass_func (self->scanner, self->pass_func, NULL))
    {
      sweep_failed (self, NULL, error);
      return NULL;
    }
  frozen (self);
  return g_steal_pointer (&self);
}

static void
freeze_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PsSnapshot *self = task_data;
  GError *error = NULL;

  if (ps_scanner_wait_pass_func (self->scanner, self->pass_func, cancellable))
    g_task_return_boolean (task, TRUE);
  else
    {
      sweep_failed (self, cancellable, &error);
      g_task_return_error (task, error);
    }
}

void
ps_snapshot_freeze_async (PsSession           *session,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;
  PsSnapshot *self;

  g_return_if_fail (PS_IS_SESSION (session));

  g_task_set_source_tag (task, ps_snapshot_freeze_async);
  self = start_freeze (session, &error);
  if (self == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, self, g_object_unref);
  if (!ps_scanner_is_running (self->scanner))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "%s",
                               _("freeze: the scanner is not running"));
      return;
    }
  g_task_run_in_thread (task, freeze_in_thread);
}

PsSnapshot *
ps_snapshot_freeze_finish (GAsyncResult  *result,
                           GError       **error)
{
  PsSnapshot *self;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  self = g_task_get_task_data (G_TASK (result));
  frozen (self);
  return g_object_ref (self);
}

static void
read_file_range (PsSnapshot *self,
                 guint64     from,
                 guint64     to,
                 guint8     *dst)
{
  gsize done = 0;

  while (from + done < to)
    {
      ssize_t n = pread (self->fd, dst + done, to - from - done, from + done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }
}

/* Against a file: the file's bytes of [offset, offset + len). Its holes are
 * not read (reading them would fill the page cache with zeros): the caller
 * zeroed old. */
static void
old_from_file (PsSnapshot *self,
               guint64     offset,
               gsize       len,
               guint8     *old,
               guint8     *known)
{
  guint64 end = MIN (offset + len, self->n_file_pages * self->page_size);
  guint64 at = offset;

  while (at < end)
    {
      off_t data = lseek (self->fd, at, SEEK_DATA);
      off_t hole;

      if (data < 0 && errno == ENXIO)
        break;                                   /* holes to the end */
      if (data < 0)
        {
          read_file_range (self, at, end, old + (at - offset));   /* no SEEK_DATA here */
          break;
        }
      if ((guint64) data >= end)
        break;
      hole = lseek (self->fd, data, SEEK_HOLE);
      at = hole < 0 ? end : MIN ((guint64) hole, end);
      read_file_range (self, data, at, old + (data - offset));
    }
  /* past the file's end inside its last page: zeros, as the mapping reads */
  if (offset < end)
    memset (known, 1, end - offset);
}

/* ---- comparing with a file ------------------------------------------------------ */

#define COMPARE_CHUNK 256

/* Pages [first, first + n): the file's and the mapping's, hashed and set
 * against each other. first: the file's hashes are taken too. */
static gboolean
compare_pages (PsSnapshot  *self,
               guint64      first,
               guint64      n,
               guint8      *mine,
               guint8      *theirs,
               gboolean     first_time,
               GError     **error)
{
  gsize len = n * self->page_size;
  g_autofree guint8 *known = g_malloc (len);
  guint64 hashes[COMPARE_CHUNK];

  g_assert (n <= COMPARE_CHUNK);
  memset (theirs, 0, len);
  memset (known, 0, len);
  old_from_file (self, first * self->page_size, len, theirs, known);
  /* never a hole: those read as zeros */
  if (!ps_source_peek (self->source, first * self->page_size, mine, len, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("compare with %s: the mapping shrank under it"), self->file);
      return FALSE;
    }
  for (guint64 i = 0; i < n; i++)
    hashes[i] = XXH3_64bits (mine + i * self->page_size, self->page_size);
  g_mutex_lock (&self->lock);
  for (guint64 i = 0; i < n; i++)
    {
      if (first_time)
        self->file_hashes[first + i] = XXH3_64bits (theirs + i * self->page_size, self->page_size);
      file_update (self, first + i, hashes[i]);
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/* Every page once; then again those the scanner saw change meanwhile,
 * until none did: from then on the pass func keeps it current. */
static gboolean
compare_all (PsSnapshot    *self,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree guint8 *mine = g_malloc (COMPARE_CHUNK * self->page_size);
  g_autofree guint8 *theirs = g_malloc (COMPARE_CHUNK * self->page_size);

  for (guint64 p = 0; p < self->n_file_pages; p += COMPARE_CHUNK)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !compare_pages (self, p, MIN (COMPARE_CHUNK, self->n_file_pages - p), mine, theirs, TRUE, error))
        return FALSE;
    }
  for (;;)
    {
      g_autoptr(GHashTable) again = NULL;
      GHashTableIter iter;
      guint64 *page;

      g_mutex_lock (&self->lock);
      if (g_hash_table_size (self->changed_during) == 0)
        {
          self->ready = TRUE;
          g_mutex_unlock (&self->lock);
          return TRUE;
        }
      again = g_steal_pointer (&self->changed_during);
      self->changed_during = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_mutex_unlock (&self->lock);
      g_hash_table_iter_init (&iter, again);
      while (g_hash_table_iter_next (&iter, (gpointer *) &page, NULL))
        if (*page < self->n_file_pages && !compare_pages (self, *page, 1, mine, theirs, FALSE, error))
          return FALSE;
    }
}

static void
compare_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PsSnapshot *self = task_data;
  GError *error = NULL;

  if (compare_all (self, cancellable, &error))
    g_task_return_pointer (task, g_object_ref (self), g_object_unref);
  else
    g_task_return_error (task, error);
}

/* Opens the file and checks its size; the comparison is not done yet. */
static PsSnapshot *
start_compare (PsSession   *session,
               const char  *path,
               GError     **error)
{
  g_autoptr(PsSnapshot) self = NULL;
  PsGeometry g;
  struct stat st;
  int fd;

  if (!ps_session_is_open (session))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("compare with %s: nothing is open"), path);
      return NULL;
    }
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "open(%s): %s", path, g_strerror (errsv));
      if (fd >= 0)
        close (fd);
      return NULL;
    }
  if (!ps_source_restat (ps_session_get_source (session), &g, NULL, NULL))
    g = *ps_source_get_geometry (ps_session_get_source (session));
  if ((guint64) st.st_size != g.data_length)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("compare with %s: it is %" PRIu64 " bytes and the mapping %" PRIu64 ": they must be the same size"),
                   path, (guint64) st.st_size, g.data_length);
      close (fd);
      return NULL;
    }

  self = snapshot_new (session, PS_SNAPSHOT_FILE, on_file_pass, FALSE);
  self->file = g_strdup (path);
  self->fd = fd;
  self->n_file_pages = g.n_inside;
  self->file_hashes = g_new0 (guint64, MAX (g.n_inside, 1));
  self->changed_during = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return g_steal_pointer (&self);
}

PsSnapshot *
ps_snapshot_compare_file (PsSession     *session,
                          const char    *path,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(PsSnapshot) self = NULL;

  g_return_val_if_fail (PS_IS_SESSION (session), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = start_compare (session, path, error);
  if (self == NULL || !compare_all (self, cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
ps_snapshot_compare_file_async (PsSession           *session,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GError *error = NULL;
  PsSnapshot *self;

  g_return_if_fail (PS_IS_SESSION (session));
  g_return_if_fail (path != NULL);

  g_task_set_source_tag (task, ps_snapshot_compare_file_async);
  self = start_compare (session, path, &error);
  if (self == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, self, g_object_unref);
  g_task_run_in_thread (task, compare_in_thread);
}

PsSnapshot *
ps_snapshot_compare_file_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the diff ---------------------------------------------------------------------- */

static int
cmp_page (gconstpointer a,
          gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return (x > y) - (x < y);
}

GArray *
ps_snapshot_get_changed_pages (PsSnapshot *self)
{
  GArray *pages = g_array_new (FALSE, FALSE, sizeof (guint64));
  GHashTableIter iter;
  guint64 *page;
  Entry *e;

  g_return_val_if_fail (PS_IS_SNAPSHOT (self), pages);

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, (gpointer *) &page, (gpointer *) &e))
    if (e->cur_hash != e->old_hash)
      g_array_append_val (pages, *page);
  g_mutex_unlock (&self->lock);
  g_array_sort (pages, cmp_page);
  return pages;
}

guint64
ps_snapshot_get_n_changed (PsSnapshot *self)
{
  guint64 n;

  g_return_val_if_fail (PS_IS_SNAPSHOT (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_differ;
  g_mutex_unlock (&self->lock);
  return n;
}

gboolean
ps_snapshot_page_changed (PsSnapshot *self,
                          guint64     page)
{
  Entry *e;
  gboolean changed;

  g_return_val_if_fail (PS_IS_SNAPSHOT (self), FALSE);
  g_mutex_lock (&self->lock);
  e = g_hash_table_lookup (self->entries, &page);
  changed = e != NULL && e->cur_hash != e->old_hash;
  g_mutex_unlock (&self->lock);
  return changed;
}

/* The old bytes of [lo, hi), all in one page, as far as the table knows;
 * TRUE if the page did not change since the freeze (then they are the
 * bytes there now, for the caller to read). */
static gboolean
old_of_page (PsSnapshot *self,
             guint64     page,
             guint64     lo,
             guint64     hi,
             guint8     *old,
             guint8     *known)
{
  guint64 page_lo = page * self->page_size;
  Entry *e = g_hash_table_lookup (self->entries, &page);

  if (e == NULL)
    return TRUE;
  if (e->old_zero)
    memset (known, 1, hi - lo);
  else if (e->old != NULL)
    {
      guint64 from = MAX (lo, page_lo + e->old_from);
      guint64 to = MIN (hi, page_lo + e->old_from + e->old_len);

      if (from < to)
        {
          memcpy (old + (from - lo), e->old + (from - page_lo - e->old_from), to - from);
          memset (known + (from - lo), 1, to - from);
        }
    }
  return FALSE;
}

gboolean
ps_snapshot_get_old_bytes (PsSnapshot *self,
                           guint64     offset,
                           gsize       len,
                           guint8     *old,
                           guint8     *known)
{
  g_autofree guint8 *own_known = NULL;
  guint64 run = 0, run_end = 0;   /* pages not changed since the freeze, read at once */
  gboolean all = TRUE;

  g_return_val_if_fail (PS_IS_SNAPSHOT (self), FALSE);
  g_return_val_if_fail (old != NULL || len == 0, FALSE);

  if (known == NULL)
    known = own_known = g_malloc (MAX (len, 1));
  memset (old, 0, len);
  memset (known, 0, len);
  if (self->kind == PS_SNAPSHOT_FILE)
    old_from_file (self, offset, len, old, known);
  else
    for (guint64 at = offset; at < offset + len;)
      {
        guint64 end = MIN (offset + len, (at / self->page_size + 1) * self->page_size);
        gboolean unchanged;

        g_mutex_lock (&self->lock);
        unchanged = old_of_page (self, at / self->page_size, at, end, old + (at - offset), known + (at - offset));
        g_mutex_unlock (&self->lock);
        if (unchanged && run_end == at)
          run_end = end;
        else if (unchanged)
          run = at, run_end = end;
        if ((!unchanged || end == offset + len) && run_end > run)
          {
            /* FALSE: SIGBUS, the object shrank: those bytes stay unknown */
            if (ps_source_peek (self->source, run, old + (run - offset), run_end - run, NULL))
              memset (known + (run - offset), 1, run_end - run);
            run = run_end = 0;
          }
        at = end;
      }
  for (gsize i = 0; i < len && all; i++)
    all = known[i];
  return all;
}

gboolean
ps_snapshot_diff_range (PsSnapshot *self,
                        guint64     offset,
                        gsize       len,
                        guint8     *old,
                        guint8     *new,
                        guint8     *flags)
{
  g_autofree guint8 *known = g_malloc (MAX (len, 1));
  gboolean any = FALSE, page_changed = FALSE;

  g_return_val_if_fail (PS_IS_SNAPSHOT (self), FALSE);
  g_return_val_if_fail ((old != NULL && new != NULL && flags != NULL) || len == 0, FALSE);

  ps_snapshot_get_old_bytes (self, offset, len, old, known);
  ps_source_peek (self->source, offset, new, len, NULL);
  for (gsize i = 0; i < len; i++)
    {
      if (i == 0 || (offset + i) % self->page_size == 0)
        page_changed = ps_snapshot_page_changed (self, (offset + i) / self->page_size);
      flags[i] = known[i] ? PS_DIFF_OLD_KNOWN : 0;
      if (known[i] ? old[i] != new[i] : page_changed)
        {
          flags[i] |= PS_DIFF_CHANGED;
          any = TRUE;
        }
    }
  return any;
}

GArray *
ps_snapshot_get_changed_rows (PsSnapshot *self,
                              guint64     page,
                              gsize       row_size)
{
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autofree guint8 *old = NULL;
  g_autofree guint8 *new = NULL;
  g_autofree guint8 *flags = NULL;
  guint64 base;

  g_return_val_if_fail (PS_IS_SNAPSHOT (self), rows);
  g_return_val_if_fail (row_size > 0, rows);

  if (!ps_snapshot_page_changed (self, page))
    return rows;
  base = page * self->page_size;
  old = g_malloc (self->page_size);
  new = g_malloc (self->page_size);
  flags = g_malloc (self->page_size);
  ps_snapshot_diff_range (self, base, self->page_size, old, new, flags);
  /* a byte whose old value is not known may or may not have changed: it
   * makes no row; ps_snapshot_get_unknown_bytes counts them */
  for (gsize row = 0; row < self->page_size; row += row_size)
    for (gsize i = row; i < MIN (row + row_size, self->page_size); i++)
      if ((flags[i] & (PS_DIFF_CHANGED | PS_DIFF_OLD_KNOWN)) == (PS_DIFF_CHANGED | PS_DIFF_OLD_KNOWN))
        {
          guint64 offset = base + row;

          g_array_append_val (rows, offset);
          break;
        }
  return rows;
}

gsize
ps_snapshot_get_unknown_bytes (PsSnapshot *self,
                               guint64     page)
{
  Entry *e;
  gsize unknown = 0;

  g_return_val_if_fail (PS_IS_SNAPSHOT (self), 0);
  if (self->kind == PS_SNAPSHOT_FILE)
    return 0;     /* the file holds every old byte */
  g_mutex_lock (&self->lock);
  e = g_hash_table_lookup (self->entries, &page);
  if (e != NULL && e->cur_hash != e->old_hash && !e->old_zero)
    unknown = self->page_size - e->old_len;
  g_mutex_unlock (&self->lock);
  return unknown;
}

gsize
ps_snapshot_get_page_size (PsSnapshot *self)
{
  g_return_val_if_fail (PS_IS_SNAPSHOT (self), 0);
  return self->page_size;
}

gsize
ps_snapshot_get_memory (PsSnapshot *self)
{
  gsize bytes;

  g_return_val_if_fail (PS_IS_SNAPSHOT (self), 0);
  g_mutex_lock (&self->lock);
  bytes = sizeof *self + g_hash_table_size (self->entries) * ENTRY_COST + self->kept +
          self->n_file_pages * sizeof (guint64);
  g_mutex_unlock (&self->lock);
  return bytes;
}

/* ---- accessors, GObject ------------------------------------------------------------- */

PsSnapshotKind
ps_snapshot_get_kind (PsSnapshot *self)
{
  g_return_val_if_fail (PS_IS_SNAPSHOT (self), PS_SNAPSHOT_FROZEN);
  return self->kind;
}

const char *
ps_snapshot_get_file (PsSnapshot *self)
{
  g_return_val_if_fail (PS_IS_SNAPSHOT (self), NULL);
  return self->file;
}

gint64
ps_snapshot_get_time (PsSnapshot *self)
{
  g_return_val_if_fail (PS_IS_SNAPSHOT (self), 0);
  return self->time_us;
}

gboolean
ps_snapshot_is_live (PsSnapshot *self)
{
  g_return_val_if_fail (PS_IS_SNAPSHOT (self), FALSE);
  return self->live;
}

static void
ps_snapshot_dispose (GObject *object)
{
  PsSnapshot *self = PS_SNAPSHOT (object);

  detach (self);
  g_clear_object (&self->scanner);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (ps_snapshot_parent_class)->dispose (object);
}

static void
ps_snapshot_finalize (GObject *object)
{
  PsSnapshot *self = PS_SNAPSHOT (object);

  g_clear_object (&self->source);
  g_hash_table_unref (self->entries);
  g_clear_pointer (&self->changed_during, g_hash_table_unref);
  g_free (self->file_hashes);
  g_free (self->file);
  if (self->fd >= 0)
    close (self->fd);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (ps_snapshot_parent_class)->finalize (object);
}

static void
ps_snapshot_class_init (PsSnapshotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_snapshot_dispose;
  object_class->finalize = ps_snapshot_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ps_snapshot_init (PsSnapshot *self)
{
  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) entry_free);
  self->context = g_main_context_ref_thread_default ();
  self->fd = -1;
}
