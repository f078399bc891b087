/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session: one opened source and everything done to it. The window, the
 * dialogs, scripting, the headless modes and the tests act through it; it
 * knows nothing of them. Long work never runs on the caller's thread for
 * more than a moment: msync runs in a worker thread, probes are reaped by a
 * GChildWatch, a sweep keeps a few probes in flight.
 *
 * This file holds the object, its source and its settings; the operations
 * live in ps-session-write.c (write, undo, msync), -probe.c (probe, sweep),
 * -find.c (find, export) and -annotations.c (watches, marks). */
#define G_LOG_DOMAIN "pagescope-session"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "ps-session-private.h"

/* ---- boxed types --------------------------------------------------------- */

#define DEFINE_PLAIN_BOXED(TypeName, type_name)                                    \
  static TypeName *type_name##_copy (const TypeName *v) { return g_memdup2 (v, sizeof *v); } \
  G_DEFINE_BOXED_TYPE (TypeName, type_name, type_name##_copy, g_free)

DEFINE_PLAIN_BOXED (PsRange, ps_range)
DEFINE_PLAIN_BOXED (PsWriteReport, ps_write_report)
DEFINE_PLAIN_BOXED (PsSweepReport, ps_sweep_report)

G_DEFINE_FINAL_TYPE (PsSession, ps_session, G_TYPE_OBJECT)

GParamSpec *ps_session_properties[N_PROPS];
guint ps_session_signals[N_SIGNALS];
void
ps_session_undo_entry_free (UndoEntry *entry)
{
  g_bytes_unref (entry->previous);
  g_free (entry);
}

/* Refuses an operation: logged, so a script that runs with --log learns
 * why, and returned. */
gboolean
ps_session_refuse (PsSession    *self,
                   GError      **error,
                   GIOErrorEnum  code,
                   const char   *action,
                   const char   *format,
                   ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  /* the log says what the caller hears, word for word */
  ps_event_log_add (self->log, TRUE, "%s: %s", action, reason);
  g_set_error (error, G_IO_ERROR, code, "%s: %s", action, reason);
  return FALSE;
}

/* A failure of the call below an operation: its error already names the
 * call; the log gets which operation it was. */
gboolean
ps_session_failed (PsSession   *self,
                   GError     **error,
                   const char  *action,
                   GError      *local_error)
{
  ps_event_log_add (self->log, TRUE, "%s: %s", action, local_error->message);
  g_propagate_prefixed_error (error, local_error, "%s: ", action);
  return FALSE;
}

gboolean
ps_session_need_source (PsSession   *self,
                        const char  *action,
                        GError     **error)
{
  if (self->source != NULL)
    return TRUE;
  return ps_session_refuse (self, error, G_IO_ERROR_NOT_INITIALIZED, action, _("nothing is open"));
}

/* The task an asynchronous call answers with; NULL, with the task already
 * answered with the refusal, when nothing is open. */
GTask *
ps_session_task_new (PsSession           *self,
                     const char          *action,
                     gpointer             source_tag,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, source_tag);
  if (!ps_session_need_source (self, action, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }
  return g_steal_pointer (&task);
}

/* ---- the source ---------------------------------------------------------- */

void
ps_session_update_watches (PsSession *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->watches));
  gint64 now;

  if (n == 0 || self->source == NULL)
    return;
  now = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (G_LIST_MODEL (self->watches), i);

      ps_watch_update (watch, self->source, now);
    }
}

static void
on_frame (PsSession *self)
{
  ps_session_update_watches (self);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_FRAME]);
}

void
ps_session_clear_undo (PsSession *self)
{
  gboolean had = !g_queue_is_empty (&self->undo);

  g_queue_clear_full (&self->undo, (GDestroyNotify) ps_session_undo_entry_free);
  self->undo_bytes = 0;
  if (had)
    g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_CAN_UNDO]);
}

void
ps_session_clear_marks (PsSession *self)
{
  gboolean had = self->marks != NULL;

  g_clear_pointer (&self->marks, g_free);
  self->n_marks = 0;
  self->marks_dirty = FALSE;
  g_clear_handle_id (&self->marks_timeout, g_source_remove);
  if (had)
    g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_PROBE_MARKS]);
}

void
ps_session_close (PsSession *self)
{
  g_return_if_fail (PS_IS_SESSION (self));

  if (self->source == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  ps_session_cancel_probes (self);

  if (self->scanner != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->scanner, on_frame, self);
      ps_scanner_stop (self->scanner);
    }
  g_clear_object (&self->scanner);
  /* writers first: their children die and are reaped here, not whenever a
   * dialog that still shows the list lets go of it */
  if (self->writers != NULL)
    ps_writers_stop_all (self->writers);
  g_clear_object (&self->writers);
  ps_session_clear_undo (self);
  ps_session_clear_marks (self);
  g_list_store_remove_all (self->watches);
  g_list_store_remove_all (self->mark_store);
  self->marks_made = 0;
  self->selection = (PsRange) { 0, 0 };
  self->cursor = 0;

  /* an msync in a worker thread still holds the mapping: it is unmapped
   * when that returns and lets go of it */
  if (self->syncing == 0 && self->finding == 0)
    ps_source_close (self->source);
  g_clear_object (&self->source);

  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SELECTION]);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_WRITERS]);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SCANNER]);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SOURCE]);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_FRAME]);
}

void
ps_session_set_source (PsSession *self,
                       PsSource  *source)
{
  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (PS_IS_SOURCE (source));

  g_object_ref (source);
  ps_session_close (self);
  self->source = source;

  self->scanner = ps_scanner_new (source);
  ps_scanner_set_interval (self->scanner, self->interval_ms);
  if (self->budget > 0)
    ps_scanner_set_budget (self->scanner, self->budget);
  ps_scanner_set_paused (self->scanner, self->paused);
  ps_scanner_set_dirty_pages (self->scanner, self->dirty_pages);
  g_signal_connect_object (self->scanner, "notify::frame", G_CALLBACK (on_frame), self, G_CONNECT_SWAPPED);
  self->writers = ps_writers_new (source);

  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SOURCE]);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SCANNER]);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_WRITERS]);
  ps_scanner_start (self->scanner);
}

gboolean
ps_session_open (PsSession          *self,
                 const PsSourceSpec *spec,
                 GError            **error)
{
  g_autoptr(PsSource) source = NULL;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  /* ps_source_open logs the refused or failed call itself */
  source = ps_source_open (spec, self->log, error);
  if (source == NULL)
    return FALSE;
  ps_session_set_source (self, source);
  return TRUE;
}

gboolean
ps_session_open_demo (PsSession  *self,
                      GError    **error)
{
  g_autoptr(PsSource) source = NULL;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  source = ps_source_new_demo (self->log, error);
  if (source == NULL)
    return FALSE;
  ps_session_set_source (self, source);
  return TRUE;
}

/* ---- accessors ------------------------------------------------------------ */

PsEventLog *
ps_session_get_log (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->log;
}

PsSource *
ps_session_get_source (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->source;
}

PsScanner *
ps_session_get_scanner (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->scanner;
}

PsWriters *
ps_session_get_writers (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->writers;
}

PsFrame *
ps_session_get_frame (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return self->scanner != NULL ? ps_scanner_get_frame (self->scanner) : NULL;
}

gboolean
ps_session_is_open (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  return self->source != NULL;
}

void
ps_session_set_selection (PsSession     *self,
                          const PsRange *range)
{
  PsRange r = range != NULL ? *range : (PsRange) { 0, 0 };

  g_return_if_fail (PS_IS_SESSION (self));

  if (r.length == 0)
    r.offset = 0;
  if (r.offset == self->selection.offset && r.length == self->selection.length)
    return;
  self->selection = r;
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_SELECTION]);
}

gboolean
ps_session_get_selection (PsSession *self,
                          PsRange   *range)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  if (range != NULL)
    *range = self->selection;
  return self->selection.length > 0;
}

void
ps_session_set_cursor (PsSession *self,
                       guint64    offset)
{
  g_return_if_fail (PS_IS_SESSION (self));

  if (offset == self->cursor)
    return;
  self->cursor = offset;
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_CURSOR]);
}

guint64
ps_session_get_cursor (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), 0);
  return self->cursor;
}

void
ps_session_set_paused (PsSession *self,
                       gboolean   paused)
{
  g_return_if_fail (PS_IS_SESSION (self));

  paused = !!paused;
  if (paused == self->paused)
    return;
  self->paused = paused;
  if (self->scanner != NULL)
    {
      ps_scanner_set_paused (self->scanner, paused);
      ps_event_log_add (self->log, FALSE, paused ? "scanner paused" : "scanner resumed");
    }
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_PAUSED]);
}

gboolean
ps_session_get_paused (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  return self->paused;
}

void
ps_session_set_dirty_pages (PsSession *self,
                            gboolean   dirty_pages)
{
  g_return_if_fail (PS_IS_SESSION (self));

  self->dirty_pages = !!dirty_pages;
  if (self->scanner != NULL)
    ps_scanner_set_dirty_pages (self->scanner, self->dirty_pages);
}

gboolean
ps_session_get_dirty_pages (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  return self->dirty_pages;
}

void
ps_session_set_interval (PsSession *self,
                         guint      interval_ms)
{
  g_return_if_fail (PS_IS_SESSION (self));

  interval_ms = CLAMP (interval_ms, PS_SCANNER_MIN_INTERVAL_MS, PS_SCANNER_MAX_INTERVAL_MS);
  if (interval_ms == self->interval_ms)
    return;
  self->interval_ms = interval_ms;
  if (self->scanner != NULL)
    ps_scanner_set_interval (self->scanner, interval_ms);
  g_object_notify_by_pspec (G_OBJECT (self), ps_session_properties[PROP_INTERVAL]);
}

guint
ps_session_get_interval (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), 0);
  return self->interval_ms;
}

void
ps_session_set_budget (PsSession *self,
                       double     fraction)
{
  g_return_if_fail (PS_IS_SESSION (self));

  self->budget = fraction;
  if (self->scanner != NULL && fraction > 0)
    ps_scanner_set_budget (self->scanner, fraction);
}

void
ps_session_resolve_range (PsSession        *self,
                          const PsRangeArg *arg,
                          PsRange          *range)
{
  g_return_if_fail (PS_IS_SESSION (self));
  g_return_if_fail (range != NULL);

  if (arg != NULL && arg->given)
    *range = (PsRange) { arg->offset, arg->length };
  else if (self->selection.length > 0)
    *range = self->selection;
  else
    *range = (PsRange) { 0, 0 };
}

/* ---- writer children ----------------------------------------------------- */

gboolean
ps_session_spawn_writers (PsSession         *self,
                          const PsSpawnArgs *args,
                          GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  PsRange range;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (args != NULL, FALSE);

  if (!ps_session_need_source (self, "spawn-writers", error))
    return FALSE;
  ps_session_resolve_range (self, &args->range, &range);
  if (!ps_writers_spawn (self->writers, args->n, &args->pattern, args->rate, range.offset, range.length,
                         args->count, &local_error))
    return ps_session_failed (self, error, "spawn-writers", g_steal_pointer (&local_error));
  g_signal_emit (self, ps_session_signals[SIGNAL_WRITERS_SPAWNED], 0, args->n);
  return TRUE;
}

gboolean
ps_session_stop_writers (PsSession  *self,
                         guint64     pid,
                         GError    **error)
{
  GListModel *list;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  if (!ps_session_need_source (self, "stop-writers", error))
    return FALSE;
  list = G_LIST_MODEL (self->writers);
  if (pid == 0)
    {
      if (ps_writers_get_n_running (self->writers) == 0)
        return ps_session_refuse (self, error, G_IO_ERROR_NOT_FOUND, "stop-writers", _("no writer child is running"));
      ps_writers_stop_all (self->writers);
      return TRUE;
    }
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(PsWriterChild) child = g_list_model_get_item (list, i);

      if ((guint64) ps_writer_child_get_pid (child) != pid)
        continue;
      if (ps_writer_child_get_state (child) != PS_WRITER_RUNNING)
        return ps_session_refuse (self, error, G_IO_ERROR_NOT_FOUND, "stop-writers",
                       _("writer child %" PRIu64 " has already ended"), pid);
      ps_writers_stop (self->writers, child);
      return TRUE;
    }
  return ps_session_refuse (self, error, G_IO_ERROR_NOT_FOUND, "stop-writers",
                 _("%" PRIu64 " is not one of this session's writer children"), pid);
}

/* ---- remove ---------------------------------------------------------------- */

gboolean
ps_session_remove (PsSession  *self,
                   GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  if (!ps_session_need_source (self, "remove-segment", error))
    return FALSE;
  if (!ps_source_remove (self->source, &local_error))
    return ps_session_failed (self, error, "remove-segment", g_steal_pointer (&local_error));
  g_signal_emit (self, ps_session_signals[SIGNAL_REMOVED], 0);
  return TRUE;
}

/* ---- GObject ------------------------------------------------------------- */

static void
ps_session_dispose (GObject *object)
{
  PsSession *self = PS_SESSION (object);

  ps_session_close (self);
  g_clear_handle_id (&self->marks_timeout, g_source_remove);
  G_OBJECT_CLASS (ps_session_parent_class)->dispose (object);
}

static void
ps_session_finalize (GObject *object)
{
  PsSession *self = PS_SESSION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->log);
  g_clear_object (&self->watches);
  g_clear_object (&self->mark_store);
  g_clear_object (&self->find_task);
  g_free (self->marks);
  G_OBJECT_CLASS (ps_session_parent_class)->finalize (object);
}

static void
ps_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  PsSession *self = PS_SESSION (object);

  switch (prop_id)
    {
    case PROP_LOG:
      g_value_set_object (value, self->log);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_SCANNER:
      g_value_set_object (value, self->scanner);
      break;
    case PROP_WRITERS:
      g_value_set_object (value, self->writers);
      break;
    case PROP_FRAME:
      g_value_set_boxed (value, ps_session_get_frame (self));
      break;
    case PROP_SELECTION:
      g_value_set_boxed (value, &self->selection);
      break;
    case PROP_CURSOR:
      g_value_set_uint64 (value, self->cursor);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_ms);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, ps_session_can_undo (self));
      break;
    case PROP_PROBE_MARKS:
      g_value_take_boxed (value, ps_session_get_probe_marks (self));
      break;
    case PROP_SWEEPING:
      g_value_set_boolean (value, self->sweep_task != NULL);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing > 0);
      break;
    case PROP_FIND_PROGRESS:
      g_value_set_double (value, ps_session_get_find_progress (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  PsSession *self = PS_SESSION (object);

  switch (prop_id)
    {
    case PROP_LOG:
      self->log = g_value_dup_object (value);
      break;
    case PROP_SELECTION:
      ps_session_set_selection (self, g_value_get_boxed (value));
      break;
    case PROP_CURSOR:
      ps_session_set_cursor (self, g_value_get_uint64 (value));
      break;
    case PROP_PAUSED:
      ps_session_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_INTERVAL:
      ps_session_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_session_constructed (GObject *object)
{
  PsSession *self = PS_SESSION (object);

  G_OBJECT_CLASS (ps_session_parent_class)->constructed (object);
  if (self->log == NULL)
    self->log = ps_event_log_new ();
}

static void
ps_session_class_init (PsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = ps_session_dispose;
  object_class->finalize = ps_session_finalize;
  object_class->get_property = ps_session_get_property;
  object_class->set_property = ps_session_set_property;
  object_class->constructed = ps_session_constructed;

  ps_session_properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, PS_TYPE_EVENT_LOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  ps_session_properties[PROP_SOURCE] = g_param_spec_object ("source", NULL, NULL, PS_TYPE_SOURCE, ro);
  ps_session_properties[PROP_SCANNER] = g_param_spec_object ("scanner", NULL, NULL, PS_TYPE_SCANNER, ro);
  ps_session_properties[PROP_WRITERS] = g_param_spec_object ("writers", NULL, NULL, PS_TYPE_WRITERS, ro);
  ps_session_properties[PROP_FRAME] = g_param_spec_boxed ("frame", NULL, NULL, PS_TYPE_FRAME, ro);
  ps_session_properties[PROP_SELECTION] = g_param_spec_boxed ("selection", NULL, NULL, PS_TYPE_RANGE, rw);
  ps_session_properties[PROP_CURSOR] = g_param_spec_uint64 ("cursor", NULL, NULL, 0, G_MAXUINT64, 0, rw);
  ps_session_properties[PROP_PAUSED] = g_param_spec_boolean ("paused", NULL, NULL, FALSE, rw);
  ps_session_properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, PS_SCANNER_MIN_INTERVAL_MS, PS_SCANNER_MAX_INTERVAL_MS, 100, rw);
  ps_session_properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, ro);
  ps_session_properties[PROP_PROBE_MARKS] = g_param_spec_boxed ("probe-marks", NULL, NULL, G_TYPE_BYTES, ro);
  ps_session_properties[PROP_SWEEPING] = g_param_spec_boolean ("sweeping", NULL, NULL, FALSE, ro);
  ps_session_properties[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE, ro);
  ps_session_properties[PROP_FIND_PROGRESS] = g_param_spec_double ("find-progress", NULL, NULL, -1, 1, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, ps_session_properties);

  ps_session_signals[SIGNAL_WROTE] =
    g_signal_new ("wrote", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PS_TYPE_WRITE_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);
  ps_session_signals[SIGNAL_MSYNC_FINISHED] =
    g_signal_new ("msync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PS_TYPE_MSYNC_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);
  ps_session_signals[SIGNAL_PROBE_FINISHED] =
    g_signal_new ("probe-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PS_TYPE_PROBE_RESULT | G_SIGNAL_TYPE_STATIC_SCOPE);
  ps_session_signals[SIGNAL_SWEEP_FINISHED] =
    g_signal_new ("sweep-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PS_TYPE_SWEEP_REPORT | G_SIGNAL_TYPE_STATIC_SCOPE);
  ps_session_signals[SIGNAL_WRITERS_SPAWNED] =
    g_signal_new ("writers-spawned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  ps_session_signals[SIGNAL_REMOVED] =
    g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ps_session_init (PsSession *self)
{
  g_queue_init (&self->undo);
  self->interval_ms = 100;
  self->budget = 0;     /* the process's budget (PsBudget) */
  self->cancellable = g_cancellable_new ();
  self->watches = g_list_store_new (PS_TYPE_WATCH);
  self->mark_store = g_list_store_new (PS_TYPE_MARK);
}

PsSession *
ps_session_new (PsEventLog *log)
{
  return g_object_new (PS_TYPE_SESSION, "log", log, NULL);
}

