/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-log"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ps-event-log.h"
#include "ps-parse.h"

#define MAX_ENTRIES 5000

struct _PsLogEntry
{
  GObject   parent_instance;
  gint64    time;
  char     *text;
  gboolean  is_error;
};

G_DEFINE_FINAL_TYPE (PsLogEntry, ps_log_entry, G_TYPE_OBJECT)

static void
ps_log_entry_finalize (GObject *object)
{
  PsLogEntry *self = PS_LOG_ENTRY (object);

  g_free (self->text);
  G_OBJECT_CLASS (ps_log_entry_parent_class)->finalize (object);
}

static void
ps_log_entry_class_init (PsLogEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_log_entry_finalize;
}

static void
ps_log_entry_init (PsLogEntry *self)
{
}

gint64
ps_log_entry_get_time (PsLogEntry *self)
{
  g_return_val_if_fail (PS_IS_LOG_ENTRY (self), 0);
  return self->time;
}

const char *
ps_log_entry_get_text (PsLogEntry *self)
{
  g_return_val_if_fail (PS_IS_LOG_ENTRY (self), NULL);
  return self->text;
}

gboolean
ps_log_entry_is_error (PsLogEntry *self)
{
  g_return_val_if_fail (PS_IS_LOG_ENTRY (self), FALSE);
  return self->is_error;
}

/* "12:34:56.789 text" in local time */
char *
ps_log_entry_format (PsLogEntry *self)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (self->time / G_USEC_PER_SEC);
  g_autofree char *hms = g_date_time_format (dt, "%H:%M:%S");

  return g_strdup_printf ("%s.%03d %s", hms, (int) (self->time % G_USEC_PER_SEC / 1000), self->text);
}

PsLogEntry *
ps_log_entry_new (gint64      time_us,
                  gboolean    is_error,
                  const char *text)
{
  PsLogEntry *entry = g_object_new (PS_TYPE_LOG_ENTRY, NULL);

  g_return_val_if_fail (text != NULL, entry);
  entry->time = time_us;
  entry->is_error = is_error;
  entry->text = g_strdup (text);
  return entry;
}

struct _PsEventLog
{
  GObject       parent_instance;

  GMainContext *context;
  GThread      *owner;     /* the thread that created the log */
  GPtrArray    *entries;   /* owner thread only */

  GMutex        lock;
  GPtrArray    *pending;   /* under lock: added, not yet in entries */
  gboolean      flush_scheduled;
  int           echo_fd;
};

static void ps_event_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsEventLog, ps_event_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, ps_event_log_list_model_init))

static GType
ps_event_log_get_item_type (GListModel *model)
{
  return PS_TYPE_LOG_ENTRY;
}

static guint
ps_event_log_get_n_items (GListModel *model)
{
  return PS_EVENT_LOG (model)->entries->len;
}

static gpointer
ps_event_log_get_item (GListModel *model,
                       guint       position)
{
  PsEventLog *self = PS_EVENT_LOG (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
ps_event_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = ps_event_log_get_item_type;
  iface->get_n_items = ps_event_log_get_n_items;
  iface->get_item = ps_event_log_get_item;
}

static void
ps_event_log_finalize (GObject *object)
{
  PsEventLog *self = PS_EVENT_LOG (object);

  g_ptr_array_unref (self->entries);
  g_ptr_array_unref (self->pending);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (ps_event_log_parent_class)->finalize (object);
}

static void
ps_event_log_class_init (PsEventLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_event_log_finalize;
}

static void
ps_event_log_init (PsEventLog *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->owner = g_thread_self ();
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->echo_fd = -1;
  g_mutex_init (&self->lock);
}

PsEventLog *
ps_event_log_new (void)
{
  return g_object_new (PS_TYPE_EVENT_LOG, NULL);
}

/* Moves pending entries into the list; owner thread only. Returns how many. */
guint
ps_event_log_flush (PsEventLog *self)
{
  g_autoptr(GPtrArray) moved = NULL;
  guint removed = 0;
  guint position;
  guint kept;

  g_return_val_if_fail (PS_IS_EVENT_LOG (self), 0);

  g_mutex_lock (&self->lock);
  moved = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->flush_scheduled = FALSE;
  g_mutex_unlock (&self->lock);

  if (moved->len == 0)
    return 0;

  /* Drop the oldest first, then append, each with its own signal, so a list
   * view keeps the rows that stay instead of rebuilding all of them. */
  kept = MIN (moved->len, MAX_ENTRIES);
  if (self->entries->len + kept > MAX_ENTRIES)
    {
      removed = self->entries->len + kept - MAX_ENTRIES;
      g_ptr_array_remove_range (self->entries, 0, removed);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
    }

  position = self->entries->len;
  for (guint i = moved->len - kept; i < moved->len; i++)
    g_ptr_array_add (self->entries, g_object_ref (g_ptr_array_index (moved, i)));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, kept);

  return moved->len;
}

static gboolean
flush_cb (gpointer data)
{
  ps_event_log_flush (data);
  return G_SOURCE_REMOVE;
}

static void
echo_entry (int         fd,
            PsLogEntry *entry)
{
  g_autofree char *line = ps_log_entry_format (entry);
  gsize len = strlen (line);
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = write (fd, line + done, len - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      done += n;
    }
  (void) !write (fd, "\n", 1);
}

/* A line or message the way a label, a title or a terminal can show it: a
 * call's arguments may hold any bytes a path or a segment name may have.
 * Takes text; text that is already printable UTF-8 comes back as is. */
static char *
printable (char *text)
{
  char *shown;

  if (g_utf8_validate (text, -1, NULL))
    {
      const char *p;

      for (p = text; *p != '\0' && ((guchar) *p >= 0x20 && *p != 0x7f); p++)
        ;
      if (*p == '\0')
        return text;
    }
  shown = ps_text_for_display (text);
  g_free (text);
  return shown;
}

void
ps_event_log_add (PsEventLog *self,
                  gboolean    is_error,
                  const char *format,
                  ...)
{
  PsLogEntry *entry;
  gboolean schedule = FALSE;
  va_list args;

  if (self == NULL)
    return;

  entry = g_object_new (PS_TYPE_LOG_ENTRY, NULL);
  entry->time = g_get_real_time ();
  entry->is_error = is_error;
  va_start (args, format);
  entry->text = printable (g_strdup_vprintf (format, args));
  va_end (args);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->pending, entry);
  if (self->echo_fd >= 0)
    echo_entry (self->echo_fd, entry);
  if (!self->flush_scheduled)
    schedule = self->flush_scheduled = TRUE;
  g_mutex_unlock (&self->lock);

  if (g_thread_self () == self->owner)
    ps_event_log_flush (self);
  else if (schedule)
    {
      g_autoptr(GSource) idle = g_idle_source_new ();

      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, flush_cb, g_object_ref (self), g_object_unref);
      g_source_set_static_name (idle, "[pagescope] event log flush");
      g_source_attach (idle, self->context);
    }
}

void
ps_event_log_set_echo (PsEventLog *self,
                       int         fd)
{
  g_return_if_fail (PS_IS_EVENT_LOG (self));

  g_mutex_lock (&self->lock);
  self->echo_fd = fd;
  g_mutex_unlock (&self->lock);
}

char *
ps_event_log_to_text (PsEventLog *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (PS_IS_EVENT_LOG (self), NULL);

  ps_event_log_flush (self);
  for (guint i = 0; i < self->entries->len; i++)
    {
      g_autofree char *line = ps_log_entry_format (g_ptr_array_index (self->entries, i));
      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

void
ps_event_log_clear (PsEventLog *self)
{
  guint n;

  g_return_if_fail (PS_IS_EVENT_LOG (self));

  ps_event_log_flush (self);
  n = self->entries->len;
  g_ptr_array_set_size (self->entries, 0);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

const char *
ps_errno_name (int errsv)
{
  const char *name = strerrorname_np (errsv);
  return name != NULL ? name : "E?";
}

void
ps_call_ok (PsEventLog *log,
            const char *result,
            const char *call_format,
            ...)
{
  g_autofree char *call = NULL;
  va_list args;

  if (log == NULL)
    return;
  va_start (args, call_format);
  call = g_strdup_vprintf (call_format, args);
  va_end (args);
  ps_event_log_add (log, FALSE, "%s = %s", call, result);
}

/* Logs "call(args) = -1 EACCES (Permission denied)" and sets
 * "call(args): Permission denied". Always returns FALSE. */
gboolean
ps_call_fail (PsEventLog *log,
              GError    **error,
              int         errsv,
              const char *call_format,
              ...)
{
  g_autofree char *call = NULL;
  va_list args;

  va_start (args, call_format);
  call = printable (g_strdup_vprintf (call_format, args));
  va_end (args);

  ps_event_log_add (log, TRUE, "%s = -1 %s (%s)", call, ps_errno_name (errsv), g_strerror (errsv));
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", call, g_strerror (errsv));
  return FALSE;
}

/* A call the core would not make because its arguments are wrong. */
gboolean
ps_call_refuse (PsEventLog  *log,
                GError     **error,
                GIOErrorEnum code,
                const char  *call,
                const char  *reason_format,
                ...)
{
  g_autofree char *reason = NULL;
  g_autofree char *shown_call = NULL;
  va_list args;

  va_start (args, reason_format);
  reason = printable (g_strdup_vprintf (reason_format, args));
  shown_call = printable (g_strdup (call));
  va_end (args);

  ps_event_log_add (log, TRUE, "%s not called: %s", shown_call, reason);
  g_set_error (error, G_IO_ERROR, code, "%s: %s", shown_call, reason);
  return FALSE;
}
