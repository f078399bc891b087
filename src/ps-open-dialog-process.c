/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The open dialog's ways to another process's view: the Process page (a
 * process, then one of its mappings), "Open as Seen By" on a segment of the
 * SysV and POSIX tables (a process that maps it), and the tables' filter of
 * the display server's own segments. */
#define G_LOG_DOMAIN "pagescope-open-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "ps-mappers.h"
#include "ps-open-dialog-private.h"
#include "ps-parse.h"
#include "ps-process-view.h"

/* ---- the Process page ---- */

/* A mapping worth looking at from outside: of a file or shared memory, and
 * shared or writable (a program's code and its read-only data are neither),
 * never of a device or a shared library. */
static gboolean
interesting (const PsProcessMapping *m)
{
  if (m->path == NULL || m->path[0] != '/' || m->inode == 0)
    return FALSE;
  if (strstr (m->path, ".so") != NULL || ps_process_mapping_is_device (m))
    return FALSE;
  return m->perms[3] == 's' || m->perms[1] == 'w' || g_str_has_prefix (m->path, "/dev/shm/") ||
         g_str_has_prefix (m->path, "/SYSV");
}

/* The interesting mappings of pid (PsProcessMapping), NULL when its maps
 * cannot be read (another user's process, one that is gone). */
static GArray *
read_mappings (pid_t pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/maps", (int) pid);
  g_autofree char *maps = NULL;
  g_auto(GStrv) lines = NULL;
  GArray *found;

  if (!g_file_get_contents (path, &maps, NULL, NULL))
    return NULL;
  found = g_array_new (FALSE, TRUE, sizeof (PsProcessMapping));
  g_array_set_clear_func (found, (GDestroyNotify) ps_process_mapping_clear);
  lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      PsProcessMapping m;

      if (!ps_process_mapping_parse (lines[i], &m))
        continue;
      if (interesting (&m))
        g_array_append_val (found, m);
      else
        ps_process_mapping_clear (&m);
    }
  return found;
}

static char *
mapping_text (const PsProcessMapping *m)
{
  g_autofree char *path = ps_text_for_display (m->path);

  return g_strdup_printf ("%s  %s  0x%" G_GINT64_MODIFIER "x, %" G_GUINT64_FORMAT " KiB",
                          path, m->perms, m->start, (m->end - m->start) / 1024);
}

static void
fill_mappings (PsOpenDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->process_row);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autoptr(GArray) mappings = NULL;

  g_array_set_size (self->mapping_starts, 0);
  if (selected != GTK_INVALID_LIST_POSITION && selected < self->process_pids->len)
    mappings = read_mappings (g_array_index (self->process_pids, pid_t, selected));
  for (guint i = 0; mappings != NULL && i < mappings->len; i++)
    {
      const PsProcessMapping *m = &g_array_index (mappings, PsProcessMapping, i);
      g_autofree char *text = mapping_text (m);

      gtk_string_list_append (list, text);
      g_array_append_val (self->mapping_starts, m->start);
    }
  adw_combo_row_set_model (self->mapping_row, G_LIST_MODEL (list));
}

static int
compare_pids (gconstpointer a,
              gconstpointer b)
{
  pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;

  return x < y ? -1 : x > y;
}

/* The processes this user may look into that map something interesting,
 * by pid; this one is left out (its own mappings open directly). */
void
ps_open_dialog_fill_processes (PsOpenDialog *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      guint64 number;
      pid_t pid;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &number, NULL))
        continue;
      pid = (pid_t) number;
      if (pid != getpid ())
        g_array_append_val (pids, pid);
    }
  g_array_sort (pids, compare_pids);
  g_array_set_size (self->process_pids, 0);
  for (guint i = 0; i < pids->len; i++)
    {
      pid_t pid = g_array_index (pids, pid_t, i);
      g_autoptr(GArray) mappings = read_mappings (pid);
      g_autofree char *comm_path = NULL;
      g_autofree char *comm = NULL;
      g_autofree char *shown = NULL;
      g_autofree char *text = NULL;

      if (mappings == NULL || mappings->len == 0)
        continue;
      comm_path = g_strdup_printf ("/proc/%d/comm", (int) pid);
      if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
        continue;
      shown = ps_text_for_display (g_strchomp (comm));
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d %s (%u mapping)", "%d %s (%u mappings)", mappings->len),
                              (int) pid, shown, mappings->len);
      gtk_string_list_append (list, text);
      g_array_append_val (self->process_pids, pid);
    }
  adw_combo_row_set_model (self->process_row, G_LIST_MODEL (list));
  fill_mappings (self);
}

gboolean
ps_open_dialog_build_process_spec (PsOpenDialog  *self,
                                   PsSourceSpec  *spec,
                                   GtkWidget    **bad,
                                   GError       **error)
{
  guint process = adw_combo_row_get_selected (self->process_row);
  guint mapping = adw_combo_row_get_selected (self->mapping_row);

  if (process == GTK_INVALID_LIST_POSITION || process >= self->process_pids->len)
    {
      *bad = GTK_WIDGET (self->process_row);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("pick a process: the list shows those whose mappings this user may read"));
      return FALSE;
    }
  if (mapping == GTK_INVALID_LIST_POSITION || mapping >= self->mapping_starts->len)
    {
      *bad = GTK_WIDGET (self->mapping_row);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("pick one of its mappings"));
      return FALSE;
    }
  spec->kind = PS_SOURCE_PROCESS;
  spec->pid = g_array_index (self->process_pids, pid_t, process);
  spec->address = g_array_index (self->mapping_starts, guint64, mapping);
  return TRUE;
}

/* For the hooks: the process with this pid, then its mapping that holds
 * an address (0x…) or names a path ending in text. */
gboolean
ps_open_dialog_pick_process (PsOpenDialog *self,
                             pid_t         pid,
                             const char   *mapping)
{
  guint64 address = 0;

  ps_open_dialog_set_kind (self, PS_SOURCE_PROCESS);
  ps_open_dialog_fill_processes (self);
  for (guint i = 0; i < self->process_pids->len; i++)
    if (g_array_index (self->process_pids, pid_t, i) == pid)
      {
        adw_combo_row_set_selected (self->process_row, i);
        fill_mappings (self);
        if (mapping == NULL)
          return TRUE;
        if (g_ascii_strncasecmp (mapping, "0x", 2) == 0)
          address = g_ascii_strtoull (mapping + 2, NULL, 16);
        for (guint k = 0; k < self->mapping_starts->len; k++)
          {
            GtkStringObject *item = g_list_model_get_item (adw_combo_row_get_model (self->mapping_row), k);
            gboolean hit = address != 0 ? g_array_index (self->mapping_starts, guint64, k) == address
                                        : strstr (gtk_string_object_get_string (item), mapping) != NULL;

            g_object_unref (item);
            if (hit)
              {
                adw_combo_row_set_selected (self->mapping_row, k);
                return TRUE;
              }
          }
        return FALSE;
      }
  return FALSE;
}

static void
on_process_selected (PsOpenDialog *self)
{
  fill_mappings (self);
}

static void
action_refresh_processes (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ps_open_dialog_fill_processes (PS_OPEN_DIALOG (widget));
}

/* ---- Open as Seen By ---- */

static PsSegmentRow *
selected_row (PsOpenDialog *self,
              PsSourceKind  kind)
{
  PsSegmentTable *table = kind == PS_SOURCE_SYSV ? self->sysv_table : self->posix_table;

  return gtk_single_selection_get_selected_item (ps_segment_table_get_selection (table));
}

GMenuModel *
ps_open_dialog_seen_by_menu (PsOpenDialog *self,
                             PsSourceKind  kind)
{
  PsSegmentRow *row = selected_row (self, kind);
  const PsSysvSegment *sysv = row != NULL ? ps_segment_row_get_sysv (row) : NULL;
  const PsPosixSegment *posix = row != NULL ? ps_segment_row_get_posix (row) : NULL;
  GArray *mappers = sysv != NULL ? sysv->mappers : posix != NULL ? posix->mappers : NULL;
  GMenu *menu = g_menu_new ();

  for (guint i = 0; mappers != NULL && i < mappers->len; i++)
    {
      const PsMapper *m = &g_array_index (mappers, PsMapper, i);
      PsSourceSpec *spec = sysv != NULL ? ps_mappers_sysv_view_spec (sysv, m->pid, NULL)
                                        : ps_mappers_posix_view_spec (posix, m->pid, NULL);
      g_autofree char *text = NULL;
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (spec == NULL || m->pid == getpid ())
        {
          if (spec != NULL)
            ps_source_spec_clear (spec);
          g_free (spec);
          continue;
        }
      text = ps_source_spec_to_string (spec);
      /* TRANSLATORS: a menu item: open the segment as process 4242 (writer) sees it */
      label = g_strdup_printf (_("pid %d %s"), (int) m->pid, m->command);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "dialog.open-spec", "s", text);
      g_menu_append_item (menu, item);
      ps_source_spec_clear (spec);
      g_free (spec);
    }
  if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) == 0)
    g_menu_append (menu, row == NULL ? _("Pick a segment first") : _("No other process maps it, as far as /proc tells"),
                   "dialog.nothing");
  return G_MENU_MODEL (menu);
}

static void
create_seen_by_popup (GtkMenuButton *button,
                      gpointer       data)
{
  PsOpenDialog *self = data;
  PsSourceKind kind = button == self->sysv_seen_by ? PS_SOURCE_SYSV : PS_SOURCE_POSIX;
  g_autoptr(GMenuModel) menu = ps_open_dialog_seen_by_menu (self, kind);

  gtk_menu_button_set_menu_model (button, menu);
}

static void
action_open_spec (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PsOpenDialog *self = PS_OPEN_DIALOG (widget);
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GError) error = NULL;

  if (!ps_source_spec_parse (g_variant_get_string (parameter, NULL), &spec, &error))
    {
      ps_open_dialog_show_error (self, NULL, error->message);
      return;
    }
  if (self->open_func == NULL)
    return;
  g_object_ref (self);
  if (self->open_func (&spec, self->user_data, &error))
    gtk_window_destroy (GTK_WINDOW (self));
  else
    ps_open_dialog_show_error (self, NULL, error->message);
  g_object_unref (self);
}

/* ---- the display server's own ---- */

static void
on_display_toggled (GtkCheckButton *check,
                    GParamSpec     *pspec,
                    PsOpenDialog   *self)
{
  PsSegmentTable *table = check == self->sysv_display_check ? self->sysv_table : self->posix_table;

  ps_segment_table_set_show_display (table, gtk_check_button_get_active (check));
  ps_open_dialog_show_hidden (self, check == self->sysv_display_check ? PS_SOURCE_SYSV : PS_SOURCE_POSIX);
}

void
ps_open_dialog_show_hidden (PsOpenDialog *self,
                            PsSourceKind  kind)
{
  gboolean sysv = kind == PS_SOURCE_SYSV;
  PsSegmentTable *table = sysv ? self->sysv_table : self->posix_table;
  GtkCheckButton *check = sysv ? self->sysv_display_check : self->posix_display_check;
  guint hidden = ps_segment_table_get_n_hidden (table);
  g_autofree char *label = NULL;

  if (hidden == 0)
    label = g_strdup (_("Show the _display server's segments"));
  else
    /* TRANSLATORS: a check button; the number is how many segments it hides now */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Show the _display server's segments (%u hidden)",
                                          "Show the _display server's segments (%u hidden)", hidden), hidden);
  gtk_check_button_set_label (check, label);
}

void
ps_open_dialog_process_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_display_check);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_display_check);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, sysv_seen_by);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, posix_seen_by);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, process_row);
  gtk_widget_class_bind_template_child (widget_class, PsOpenDialog, mapping_row);
  gtk_widget_class_install_action (widget_class, "dialog.refresh-processes", NULL, action_refresh_processes);
  gtk_widget_class_install_action (widget_class, "dialog.open-spec", "s", action_open_spec);
}

void
ps_open_dialog_process_init (PsOpenDialog *self)
{
  self->process_pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  self->mapping_starts = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_signal_connect_object (self->process_row, "notify::selected", G_CALLBACK (on_process_selected),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sysv_display_check, "notify::active", G_CALLBACK (on_display_toggled), self, 0);
  g_signal_connect_object (self->posix_display_check, "notify::active", G_CALLBACK (on_display_toggled), self, 0);
  gtk_menu_button_set_create_popup_func (self->sysv_seen_by, create_seen_by_popup, self, NULL);
  gtk_menu_button_set_create_popup_func (self->posix_seen_by, create_seen_by_popup, self, NULL);
}

void
ps_open_dialog_process_dispose (PsOpenDialog *self)
{
  g_clear_pointer (&self->process_pids, g_array_unref);
  g_clear_pointer (&self->mapping_starts, g_array_unref);
}
