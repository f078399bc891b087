/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hooks that drive the open dialog the way a user would, for its tests
 * (declared in ps-open-dialog-private.h). */
#define G_LOG_DOMAIN "pagescope-open-dialog"

#include "config.h"

#include "ps-open-dialog-private.h"
#include "ps-parse.h"

typedef struct
{
  const char   *name;
  PsSourceKind  kind;
  gsize         offset;
} FieldInfo;

#define FIELD(name, kind, member) { name, kind, G_STRUCT_OFFSET (PsOpenDialog, member) }

static const FieldInfo fields[] = {
  FIELD ("path", PS_SOURCE_FILE, path_row),
  FIELD ("private", PS_SOURCE_FILE, private_switch),
  FIELD ("writable", PS_SOURCE_FILE, writable_switch),
  FIELD ("offset", PS_SOURCE_FILE, offset_row),
  FIELD ("length", PS_SOURCE_FILE, length_row),
  FIELD ("sysv-key", PS_SOURCE_SYSV, sysv_key_row),
  FIELD ("sysv-by-shmid", PS_SOURCE_SYSV, sysv_by_dropdown),
  FIELD ("sysv-writable", PS_SOURCE_SYSV, sysv_writable_switch),
  FIELD ("sysv-create", PS_SOURCE_SYSV, sysv_create_row),
  FIELD ("sysv-create-key", PS_SOURCE_SYSV, sysv_create_key_row),
  FIELD ("sysv-create-size", PS_SOURCE_SYSV, sysv_create_size_row),
  FIELD ("sysv-create-mode", PS_SOURCE_SYSV, sysv_create_mode_row),
  FIELD ("posix-name", PS_SOURCE_POSIX, posix_name_row),
  FIELD ("posix-private", PS_SOURCE_POSIX, posix_private_switch),
  FIELD ("posix-writable", PS_SOURCE_POSIX, posix_writable_switch),
  FIELD ("posix-offset", PS_SOURCE_POSIX, posix_offset_row),
  FIELD ("posix-length", PS_SOURCE_POSIX, posix_length_row),
  FIELD ("posix-create", PS_SOURCE_POSIX, posix_create_row),
  FIELD ("posix-create-name", PS_SOURCE_POSIX, posix_create_name_row),
  FIELD ("posix-create-size", PS_SOURCE_POSIX, posix_create_size_row),
  FIELD ("posix-create-mode", PS_SOURCE_POSIX, posix_create_mode_row),
  FIELD ("anon-size", PS_SOURCE_ANON, anon_size_row),
};

static gboolean
parse_flag (const char *value,
            gboolean   *out)
{
  static const char *const yes[] = { "true", "yes", "on", "1" };
  static const char *const no[] = { "false", "no", "off", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (value, yes[i]) == 0 || g_ascii_strcasecmp (value, no[i]) == 0)
      {
        *out = g_ascii_strcasecmp (value, yes[i]) == 0;
        return TRUE;
      }
  return FALSE;
}

gboolean
ps_open_dialog_set_field (PsOpenDialog *self,
                          const char   *field,
                          const char   *value)
{
  g_return_val_if_fail (PS_IS_OPEN_DIALOG (self), FALSE);
  g_return_val_if_fail (field != NULL && value != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      GtkWidget *widget;
      gboolean flag;

      if (!g_str_equal (fields[i].name, field))
        continue;
      widget = G_STRUCT_MEMBER (GtkWidget *, self, fields[i].offset);
      ps_open_dialog_set_kind (self, fields[i].kind);
      if (GTK_IS_EDITABLE (widget))
        gtk_editable_set_text (GTK_EDITABLE (widget), value);
      else if (!parse_flag (value, &flag))
        return FALSE;
      else if (GTK_IS_SWITCH (widget))
        gtk_switch_set_active (GTK_SWITCH (widget), flag);
      else if (ADW_IS_EXPANDER_ROW (widget))
        adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (widget), flag);
      else if (GTK_IS_DROP_DOWN (widget))
        gtk_drop_down_set_selected (GTK_DROP_DOWN (widget), flag ? 1 : 0);
      else
        return FALSE;
      return TRUE;
    }
  return FALSE;
}

void
ps_open_dialog_activate_open (PsOpenDialog *self)
{
  g_return_if_fail (PS_IS_OPEN_DIALOG (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "dialog.open", NULL);
}

const char *
ps_open_dialog_get_error_text (PsOpenDialog *self)
{
  g_return_val_if_fail (PS_IS_OPEN_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

static gboolean
select_row (PsOpenDialog   *self,
            PsSegmentTable *table,
            const char     *id)
{
  ps_open_dialog_set_kind (self, ps_segment_table_get_kind (table));
  return ps_segment_table_select (table, id);
}

gboolean
ps_open_dialog_select_sysv_shmid (PsOpenDialog *self,
                                  int           shmid)
{
  g_autofree char *id = g_strdup_printf ("%d", shmid);

  g_return_val_if_fail (PS_IS_OPEN_DIALOG (self), FALSE);
  return select_row (self, self->sysv_table, id);
}

gboolean
ps_open_dialog_select_posix_name (PsOpenDialog *self,
                                  const char   *name)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (PS_IS_OPEN_DIALOG (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  normal = ps_posix_name_normalize (name, NULL);
  return normal != NULL && select_row (self, self->posix_table, normal);
}

char *
ps_open_dialog_dup_row_text (PsOpenDialog *self,
                             PsSourceKind  kind,
                             const char   *id)
{
  g_return_val_if_fail (PS_IS_OPEN_DIALOG (self), NULL);
  g_return_val_if_fail (kind == PS_SOURCE_SYSV || kind == PS_SOURCE_POSIX, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return ps_segment_table_dup_row_text (kind == PS_SOURCE_SYSV ? self->sysv_table : self->posix_table, id);
}
