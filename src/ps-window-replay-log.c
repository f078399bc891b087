/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A replay's log: the bottom pane lists the session's log as it stood at
 * the time shown, the recorded lines up to then, at the wall-clock times
 * they were logged. Scrubbing adds or removes only the lines between the
 * old time and the new, so following the mouse costs what moved. */
#define G_LOG_DOMAIN "pagescope-replay"

#include "config.h"

#include "ps-window-time.h"

static PsLogEntry *
entry_of (PsReplay *replay,
          guint     index)
{
  const PsReplayEvent *event = ps_replay_get_event (replay, index);

  return ps_log_entry_new (ps_replay_get_start_unix_us (replay) + event->t_us, event->is_error, event->text);
}

void
ps_window_replay_log_show (PsWindow *self,
                           gint64    t_us)
{
  PsWindowTime *t = self->time;
  guint shown, wanted;

  if (t->replay_log == NULL)
    return;
  shown = g_list_model_get_n_items (G_LIST_MODEL (t->replay_log));
  /* the lines at or before t: those before the first after it */
  wanted = ps_replay_find_event (t->replay, t_us + 1);
  if (wanted < shown)
    {
      g_list_store_splice (t->replay_log, wanted, shown - wanted, NULL, 0);
      return;
    }
  if (wanted > shown)
    {
      g_autoptr(GPtrArray) added = g_ptr_array_new_full (wanted - shown, g_object_unref);

      for (guint i = shown; i < wanted; i++)
        g_ptr_array_add (added, entry_of (t->replay, i));
      g_list_store_splice (t->replay_log, shown, 0, added->pdata, added->len);
    }
}

void
ps_window_replay_log_start (PsWindow *self)
{
  PsWindowTime *t = self->time;

  t->replay_log = g_list_store_new (PS_TYPE_LOG_ENTRY);
  ps_log_view_set_log (self->log_view, G_LIST_MODEL (t->replay_log));
}

void
ps_window_replay_log_stop (PsWindow *self)
{
  PsWindowTime *t = self->time;

  if (t->replay_log == NULL)
    return;
  /* the window's own log again */
  ps_log_view_set_log (self->log_view, G_LIST_MODEL (self->log));
  g_clear_object (&t->replay_log);
}
