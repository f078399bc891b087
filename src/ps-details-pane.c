/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Details pane: what the source is, and for a SysV or POSIX segment its
 * lifecycle, both kept live while the pane is on screen. The description
 * costs a stat (main loop); the lifecycle walks every process's maps, so it
 * is read in a thread (ps_lifecycle_read_async), once a second, never two
 * at a time. Rows are updated in place, so nothing flickers and a screen
 * reader keeps its place. */
#define G_LOG_DOMAIN "pagescope-details"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <unistd.h>

#include "ps-details-pane-private.h"
#include "ps-lifecycle.h"
#include "ps-parse.h"

#define REFRESH_MS 1000

struct _PsDetailsPane
{
  GtkWidget     parent_instance;

  /* template children */
  GtkListBox   *object_list;
  GtkWidget    *lifecycle_box;
  GtkListBox   *lifecycle_list;

  PsSession    *session;
  guint         timer;
  GCancellable *reading;      /* the lifecycle read under way, NULL if none */
  guint         reads;
};

G_DEFINE_FINAL_TYPE (PsDetailsPane, ps_details_pane, GTK_TYPE_WIDGET)

/* ---- rows ---- */

static void
add (GPtrArray  *fields,
     const char *label,
     char       *value)
{
  PsField *field = g_new0 (PsField, 1);

  field->label = g_strdup (label);
  field->value = value;
  g_ptr_array_add (fields, field);
}

static GtkWidget *
new_row (const PsField *field)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field->label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), field->value);
  gtk_widget_add_css_class (row, "property");
  return row;
}

/* The rows become fields: rows with the same titles only get their values;
 * from the first title that differs on, rows are made again. */
static void
set_rows (GtkListBox *list,
          GPtrArray  *fields)
{
  GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list));
  guint i = 0;

  for (; i < fields->len && row != NULL; i++, row = gtk_widget_get_next_sibling (row))
    {
      PsField *field = g_ptr_array_index (fields, i);

      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), field->label) != 0)
        break;
      if (g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), field->value) != 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), field->value);
    }
  while (row != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (row);

      gtk_list_box_remove (list, row);
      row = next;
    }
  for (; i < fields->len; i++)
    gtk_list_box_append (list, new_row (g_ptr_array_index (fields, i)));
}

static char *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (t == 0)
    return g_strdup (_("never"));
  dt = g_date_time_new_from_unix_local (t);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
}

static char *
format_perms (guint perms)
{
  static const char letters[] = "rwxrwxrwx";
  char text[10];

  for (guint i = 0; i < 9; i++)
    text[i] = (perms & (0400 >> i)) ? letters[i] : '-';
  text[9] = '\0';
  return g_strdup_printf ("0%03o (%s)", perms & 0777, text);
}

/* ---- the lifecycle, as rows ---- */

static char *
sysv_state (const PsLifecycle *life)
{
  if (!life->found)
    return g_strdup (_("gone: the last process detached after IPC_RMID, and the kernel destroyed it"));
  if (life->removed)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "removed (IPC_RMID, SHM_DEST set), still attached by %" PRIu64
                                         ": the kernel destroys it at the last detach",
                                         "removed (IPC_RMID, SHM_DEST set), still attached by %" PRIu64
                                         ": the kernel destroys it at the last detach",
                                         life->n_attached),
                            life->n_attached);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "live, attached %" PRIu64 " time: it stays after the last detach "
                                       "until someone calls IPC_RMID",
                                       "live, attached %" PRIu64 " times: it stays after the last detach "
                                       "until someone calls IPC_RMID",
                                       life->n_attached),
                          life->n_attached);
}

static char *
sysv_key (const PsLifecycle *life)
{
  if (life->key != 0)
    return g_strdup_printf ("0x%08x", (guint32) life->key);
  if (life->opened_key != 0)
    return g_strdup_printf (_("0x00000000 (IPC_PRIVATE): IPC_RMID set it to 0, so shmget(0x%08x) finds nothing "
                              "now; those attached keep it by its shmid"),
                            (guint32) life->opened_key);
  return g_strdup (_("0x00000000 (IPC_PRIVATE)"));
}

static void
add_mappers (GPtrArray         *fields,
             const PsLifecycle *life)
{
  for (guint i = 0; i < life->mappers->len; i++)
    {
      const PsMapper *m = &g_array_index (life->mappers, PsMapper, i);
      g_autofree char *title = g_strdup_printf (_("pid %d"), (int) m->pid);
      g_autofree char *command = ps_text_for_display (m->command);

      add (fields, title, m->pid == getpid () ? g_strdup_printf (_("%s (this window's process)"), command)
                                              : g_steal_pointer (&command));
    }
  if (!life->mappers_known)
    add (fields, _("Not named"),
         g_strdup (_("Other users' processes cannot be looked into (/proc/PID/maps): some of them may map it too")));
}

static GPtrArray *
sysv_fields (const PsLifecycle *life)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_field_free);
  key_t ftok_key = life->opened_key != 0 ? life->opened_key : life->key;

  add (fields, _("State"), sysv_state (life));
  add (fields, _("Key"), sysv_key (life));
  if (ftok_key != 0)
    add (fields, _("The key's parts"), ps_ftok_explain (ftok_key));
  if (!life->found)
    return fields;
  add (fields, _("Attached (shm_nattch)"), g_strdup_printf ("%" PRIu64, life->n_attached));
  add_mappers (fields, life);
  add (fields, _("Permissions"), format_perms (life->perms));
  add (fields, _("Owner"), g_strdup_printf (_("uid %u, gid %u; created by uid %u, gid %u, pid %d"),
                                            life->uid, life->gid, life->cuid, life->cgid, (int) life->cpid));
  add (fields, _("Last shmat or shmdt by"), g_strdup_printf (_("pid %d"), (int) life->lpid));
  add (fields, _("Last attach (shm_atime)"), format_time (life->atime));
  add (fields, _("Last detach (shm_dtime)"), format_time (life->dtime));
  add (fields, _("Last change (shm_ctime)"), format_time (life->ctime));
  return fields;
}

static GPtrArray *
posix_fields (const PsLifecycle *life)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_field_free);
  g_autofree char *name = ps_text_for_display (life->name != NULL ? life->name : "");

  add (fields, _("State"),
       life->removed ? g_strdup_printf (_("unlinked (shm_unlink): %s is no longer in /dev/shm and nobody can open it "
                                          "by name; the memory stays until the last process unmaps it and closes it"),
                                        name)
                     : g_strdup_printf (_("in /dev/shm as %s: it stays there after the last unmap, until shm_unlink"),
                                        name));
  add (fields, _("Mapped by"), g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" PRIu64 " process",
                                                             "%" PRIu64 " processes", life->n_attached),
                                                life->n_attached));
  add_mappers (fields, life);
  add (fields, _("Permissions"), format_perms (life->perms));
  add (fields, _("Owner"), g_strdup_printf (_("uid %u, gid %u"), life->uid, life->gid));
  add (fields, _("Modified (st_mtime)"), format_time (life->mtime));
  add (fields, _("Status changed (st_ctime)"), format_time (life->ctime));
  return fields;
}

/* ---- reading ---- */

static void
on_lifecycle (GObject      *object,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(PsDetailsPane) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsLifecycle) life = ps_lifecycle_read_finish (result, &error);
  g_autoptr(GPtrArray) fields = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  /* a read given up: the source changed, or the pane was hidden or went away */
  if (cancellable != self->reading || g_cancellable_is_cancelled (cancellable))
    return;
  g_clear_object (&self->reading);
  self->reads++;
  if (life == NULL)
    {
      fields = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_field_free);
      add (fields, _("Could not read"), g_strdup (error->message));
    }
  else
    fields = life->kind == PS_SOURCE_SYSV ? sysv_fields (life) : posix_fields (life);
  set_rows (self->lifecycle_list, fields);
}

/* The object: a stat or two, on the main loop. */
static void
describe_object (PsDetailsPane *self)
{
  PsSource *source = self->session != NULL ? ps_session_get_source (self->session) : NULL;
  g_autoptr(GPtrArray) fields = source != NULL ? ps_source_describe (source) : g_ptr_array_new ();
  PsSourceKind kind = source != NULL ? ps_source_get_kind (source) : PS_SOURCE_FILE;

  set_rows (self->object_list, fields);
  gtk_widget_set_visible (self->lifecycle_box, kind == PS_SOURCE_SYSV || kind == PS_SOURCE_POSIX);
}

static void
refresh (PsDetailsPane *self)
{
  describe_object (self);
  if (!gtk_widget_get_visible (self->lifecycle_box) || self->reading != NULL)
    return;
  self->reading = g_cancellable_new ();
  ps_lifecycle_read_async (ps_session_get_source (self->session), self->reading, on_lifecycle, g_object_ref (self));
}

static gboolean
on_tick (gpointer data)
{
  refresh (data);
  return G_SOURCE_CONTINUE;
}

static void
cancel_reading (PsDetailsPane *self)
{
  /* the callback sees it cancelled and lets it go */
  if (self->reading != NULL)
    {
      g_cancellable_cancel (self->reading);
      g_clear_object (&self->reading);
    }
}

static void
on_source (PsDetailsPane *self)
{
  GtkWidget *row;

  cancel_reading (self);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->lifecycle_list))) != NULL)
    gtk_list_box_remove (self->lifecycle_list, row);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
  else
    describe_object (self);
}

/* ---- GtkWidget ---- */

static void
ps_details_pane_map (GtkWidget *widget)
{
  PsDetailsPane *self = PS_DETAILS_PANE (widget);

  GTK_WIDGET_CLASS (ps_details_pane_parent_class)->map (widget);
  refresh (self);
  if (self->timer == 0)
    self->timer = g_timeout_add_full (G_PRIORITY_LOW, REFRESH_MS, on_tick, self, NULL);
}

static void
ps_details_pane_unmap (GtkWidget *widget)
{
  PsDetailsPane *self = PS_DETAILS_PANE (widget);

  /* nobody looks: nothing is read */
  g_clear_handle_id (&self->timer, g_source_remove);
  cancel_reading (self);
  GTK_WIDGET_CLASS (ps_details_pane_parent_class)->unmap (widget);
}

static void
ps_details_pane_dispose (GObject *object)
{
  PsDetailsPane *self = PS_DETAILS_PANE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->timer, g_source_remove);
  cancel_reading (self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (object), PS_TYPE_DETAILS_PANE);
  /* the template's root is not a bound child: it goes by hand */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (ps_details_pane_parent_class)->dispose (object);
}

static void
ps_details_pane_class_init (PsDetailsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_details_pane_dispose;
  widget_class->map = ps_details_pane_map;
  widget_class->unmap = ps_details_pane_unmap;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "ps-details-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, PsDetailsPane, object_list);
  gtk_widget_class_bind_template_child (widget_class, PsDetailsPane, lifecycle_box);
  gtk_widget_class_bind_template_child (widget_class, PsDetailsPane, lifecycle_list);
}

static void
ps_details_pane_init (PsDetailsPane *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ps_details_pane_new (void)
{
  return g_object_new (PS_TYPE_DETAILS_PANE, NULL);
}

void
ps_details_pane_set_session (PsDetailsPane *self,
                             PsSession     *session)
{
  g_return_if_fail (PS_IS_DETAILS_PANE (self));
  g_return_if_fail (PS_IS_SESSION (session));

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  g_signal_connect_object (session, "notify::source", G_CALLBACK (on_source), self, G_CONNECT_SWAPPED);
  on_source (self);
}

/* ---- for the tests ---- */

static void
append_rows (GString    *text,
             GtkListBox *list)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    g_string_append_printf (text, "%s: %s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                            adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
}

char *
ps_details_pane_dup_text (PsDetailsPane *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (PS_IS_DETAILS_PANE (self), NULL);

  append_rows (text, self->object_list);
  if (gtk_widget_get_visible (self->lifecycle_box))
    append_rows (text, self->lifecycle_list);
  return g_string_free (text, FALSE);
}

guint
ps_details_pane_get_reads (PsDetailsPane *self)
{
  g_return_val_if_fail (PS_IS_DETAILS_PANE (self), 0);
  return self->reads;
}

gboolean
ps_details_pane_is_refreshing (PsDetailsPane *self)
{
  g_return_val_if_fail (PS_IS_DETAILS_PANE (self), FALSE);
  return self->timer != 0 || self->reading != NULL;
}
