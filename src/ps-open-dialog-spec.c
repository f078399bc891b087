/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The open dialog's fields as a PsSourceSpec: each field parsed with
 * ps-parse, the spec checked with ps_source_spec_check, and a refusal, the
 * dialog's own or the kernel's, put at the row it is about. */
#define G_LOG_DOMAIN "pagescope-open-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <sys/stat.h>

#include "ps-open-dialog-private.h"
#include "ps-parse.h"

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static gboolean
parse_required_size (AdwEntryRow *row,
                     guint64     *out,
                     GError     **error)
{
  g_autofree char *text = row_text (row);

  if (*text == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Give a size, e.g. 64K or 1M"));
      return FALSE;
    }
  return ps_parse_size (text, "size", out, error);
}

/* Empty: the whole object from the offset. */
static gboolean
parse_length (AdwEntryRow *row,
              guint64     *out,
              GError     **error)
{
  g_autofree char *text = row_text (row);

  *out = 0;
  return *text == '\0' || ps_parse_length (text, "length", out, error);
}

/* Empty: 0. Hex, decimal or a size such as 64K (ps_source_spec_check says
 * whether it is a multiple of the page size). */
static gboolean
parse_offset (AdwEntryRow *row,
              guint64     *out,
              GError     **error)
{
  g_autofree char *text = row_text (row);

  *out = 0;
  return *text == '\0' || ps_parse_size (text, "offset", out, error);
}

static gboolean
parse_mode (AdwEntryRow *row,
            guint       *out,
            GError     **error)
{
  g_autofree char *text = row_text (row);

  *out = 0600;
  return *text == '\0' || ps_parse_mode (text, out, error);
}

#define FAIL_AT(row) G_STMT_START { *bad = GTK_WIDGET (row); return FALSE; } G_STMT_END

static gboolean
build_file_spec (PsOpenDialog *self,
                 PsSourceSpec *spec,
                 GtkWidget   **bad,
                 GError      **error)
{
  spec->path = ps_open_dialog_typed_path (self);
  if (spec->path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Type the path of a file, or choose one"));
      FAIL_AT (self->path_row);
    }
  if (!parse_offset (self->offset_row, &spec->offset, error))
    FAIL_AT (self->offset_row);
  if (!parse_length (self->length_row, &spec->length, error))
    FAIL_AT (self->length_row);
  if (gtk_switch_get_active (self->private_switch))
    spec->flags |= PS_MAP_PRIVATE;
  if (gtk_switch_get_active (self->writable_switch))
    spec->flags |= PS_MAP_WRITABLE;
  return TRUE;
}

static gboolean
build_sysv_spec (PsOpenDialog *self,
                 PsSourceSpec *spec,
                 GtkWidget   **bad,
                 GError      **error)
{
  g_autofree char *text = NULL;

  if (ps_open_dialog_creating (self, PS_SOURCE_SYSV))
    {
      spec->create = TRUE;
      spec->flags = PS_MAP_WRITABLE;
      text = row_text (self->sysv_create_key_row);
      spec->key = 0;     /* IPC_PRIVATE */
      if (*text != '\0' && !g_str_equal (text, "IPC_PRIVATE") &&
          !ps_parse_sysv_key (text, &spec->key, error))
        FAIL_AT (self->sysv_create_key_row);
      if (!parse_required_size (self->sysv_create_size_row, &spec->size, error))
        FAIL_AT (self->sysv_create_size_row);
      if (!parse_mode (self->sysv_create_mode_row, &spec->mode, error))
        FAIL_AT (self->sysv_create_mode_row);
      return TRUE;
    }

  text = row_text (self->sysv_key_row);
  if (*text == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Choose a segment in the table, or type its key, shmid or PATH:ID"));
      FAIL_AT (self->sysv_key_row);
    }
  spec->by_shmid = gtk_drop_down_get_selected (self->sysv_by_dropdown) == 1;
  if (spec->by_shmid ? !ps_parse_shmid (text, &spec->shmid, error)
                     : !ps_parse_sysv_key (text, &spec->key, error))
    FAIL_AT (self->sysv_key_row);
  if (gtk_switch_get_active (self->sysv_writable_switch))
    spec->flags |= PS_MAP_WRITABLE;
  return TRUE;
}

static gboolean
build_posix_spec (PsOpenDialog *self,
                  PsSourceSpec *spec,
                  GtkWidget   **bad,
                  GError      **error)
{
  gboolean create = ps_open_dialog_creating (self, PS_SOURCE_POSIX);
  AdwEntryRow *name_row = create ? self->posix_create_name_row : self->posix_name_row;
  g_autofree char *text = row_text (name_row);

  if (*text == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           create ? _("Type a name for the new segment, e.g. /myseg")
                                  : _("Choose a segment in the table, or type its name"));
      FAIL_AT (name_row);
    }
  /* a name picked in the table, as it is, not as the row shows it */
  if (!create && self->picked_text != NULL &&
      g_str_equal (gtk_editable_get_text (GTK_EDITABLE (name_row)), self->picked_text))
    spec->name = ps_posix_name_normalize (self->picked_name, error);
  else
    spec->name = ps_posix_name_normalize (text, error);
  if (spec->name == NULL)
    FAIL_AT (name_row);

  if (create)
    {
      spec->create = TRUE;
      spec->flags = PS_MAP_WRITABLE;
      if (!parse_required_size (self->posix_create_size_row, &spec->size, error))
        FAIL_AT (self->posix_create_size_row);
      if (!parse_mode (self->posix_create_mode_row, &spec->mode, error))
        FAIL_AT (self->posix_create_mode_row);
      return TRUE;
    }
  if (!parse_offset (self->posix_offset_row, &spec->offset, error))
    FAIL_AT (self->posix_offset_row);
  if (!parse_length (self->posix_length_row, &spec->length, error))
    FAIL_AT (self->posix_length_row);
  if (gtk_switch_get_active (self->posix_private_switch))
    spec->flags |= PS_MAP_PRIVATE;
  if (gtk_switch_get_active (self->posix_writable_switch))
    spec->flags |= PS_MAP_WRITABLE;
  return TRUE;
}

static gboolean
build_spec (PsOpenDialog *self,
            PsSourceSpec *spec,
            GtkWidget   **bad,
            GError      **error)
{
  spec->kind = ps_open_dialog_get_kind (self);
  switch (spec->kind)
    {
    case PS_SOURCE_FILE:
      return build_file_spec (self, spec, bad, error);
    case PS_SOURCE_SYSV:
      return build_sysv_spec (self, spec, bad, error);
    case PS_SOURCE_POSIX:
      return build_posix_spec (self, spec, bad, error);
    case PS_SOURCE_ANON:
      if (!parse_required_size (self->anon_size_row, &spec->size, error))
        FAIL_AT (self->anon_size_row);
      return TRUE;
    case PS_SOURCE_PROCESS:
      return ps_open_dialog_build_process_spec (self, spec, bad, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* The row a rule of ps_source_spec_check refused. */
static GtkWidget *
field_row (PsOpenDialog *self,
           PsSourceKind  kind,
           PsSpecField   field)
{
  gboolean file = kind == PS_SOURCE_FILE;

  switch (field)
    {
    case PS_SPEC_FIELD_OFFSET:
      return GTK_WIDGET (file ? self->offset_row : self->posix_offset_row);
    case PS_SPEC_FIELD_LENGTH:
      return GTK_WIDGET (file ? self->length_row : self->posix_length_row);
    case PS_SPEC_FIELD_SIZE:
      return GTK_WIDGET (kind == PS_SOURCE_ANON ? self->anon_size_row
                         : kind == PS_SOURCE_SYSV ? self->sysv_create_size_row : self->posix_create_size_row);
    case PS_SPEC_FIELD_OBJECT:
      return GTK_WIDGET (file ? self->path_row : self->posix_name_row);
    default:
      return NULL;
    }
}

/* The fields as a spec, checked by the rules every source follows. */
gboolean
ps_open_dialog_build_checked_spec (PsOpenDialog *self,
                                   PsSourceSpec *spec,
                                   GtkWidget   **bad,
                                   GError      **error)
{
  PsSpecField field;

  if (!build_spec (self, spec, bad, error))
    return FALSE;
  if (ps_source_spec_check (spec, &field, error))
    return TRUE;
  *bad = field_row (self, spec->kind, field);
  return FALSE;
}

/* The row that names the object, for an error about the object itself
 * (missing, not permitted, already there, not a regular file). */
static GtkWidget *
object_row (PsOpenDialog *self,
            const GError *error)
{
  static const GIOErrorEnum codes[] = {
    G_IO_ERROR_NOT_FOUND, G_IO_ERROR_PERMISSION_DENIED, G_IO_ERROR_EXISTS,
    G_IO_ERROR_IS_DIRECTORY, G_IO_ERROR_NOT_DIRECTORY, G_IO_ERROR_NOT_REGULAR_FILE,
    G_IO_ERROR_INVALID_FILENAME, G_IO_ERROR_FILENAME_TOO_LONG,
  };
  PsSourceKind kind = ps_open_dialog_get_kind (self);
  gboolean about_object = FALSE;

  for (guint i = 0; error != NULL && i < G_N_ELEMENTS (codes); i++)
    about_object |= g_error_matches (error, G_IO_ERROR, codes[i]);
  if (!about_object)
    return NULL;
  switch (kind)
    {
    case PS_SOURCE_FILE:
      return GTK_WIDGET (self->path_row);
    case PS_SOURCE_SYSV:
      return GTK_WIDGET (ps_open_dialog_creating (self, kind) ? self->sysv_create_key_row : self->sysv_key_row);
    case PS_SOURCE_POSIX:
      return GTK_WIDGET (ps_open_dialog_creating (self, kind) ? self->posix_create_name_row : self->posix_name_row);
    case PS_SOURCE_ANON:
    default:
      return NULL;
    }
}

/* Whether the object of spec has no bytes, as far as the dialog can tell. */
static gboolean
object_is_empty (PsOpenDialog       *self,
                 const PsSourceSpec *spec)
{
  struct stat st;
  PsSegmentRow *row;

  if (spec->kind == PS_SOURCE_FILE)
    return stat (spec->path, &st) == 0 && st.st_size == 0;
  row = ps_segment_table_find (self->posix_table, spec->name);
  return row != NULL && ps_segment_row_get_posix (row)->size == 0;
}

/* The row of a range refused past the dialog's own checks: with no length,
 * an offset at or past the end is the offset's fault; an empty object with
 * no length, or a length too large, the length's. */
static GtkWidget *
range_row (PsOpenDialog       *self,
           const PsSourceSpec *spec,
           const GError       *error)
{
  gboolean file = spec->kind == PS_SOURCE_FILE;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) || spec->create ||
      (spec->kind != PS_SOURCE_FILE && spec->kind != PS_SOURCE_POSIX))
    return NULL;
  if (spec->length == 0 && spec->offset > 0 && !object_is_empty (self, spec))
    return GTK_WIDGET (file ? self->offset_row : self->posix_offset_row);
  return GTK_WIDGET (file ? self->length_row : self->posix_length_row);
}

/* IPC_STAT on a shmid that names no segment fails with EINVAL, and EINVAL
 * alone does not say so. */
static gboolean
no_such_shmid (const PsSourceSpec *spec,
               const GError       *error)
{
  return spec->kind == PS_SOURCE_SYSV && !spec->create && spec->by_shmid &&
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) &&
         g_str_has_prefix (error->message, "shmctl(");
}

/* An error from the open function, at the row it is about where it tells. */
void
ps_open_dialog_show_open_error (PsOpenDialog       *self,
                                const PsSourceSpec *spec,
                                const GError       *error)
{
  g_autofree char *message = NULL;
  GtkWidget *row;

  if (error == NULL)
    {
      ps_open_dialog_show_error (self, NULL, _("It could not be opened, and nobody said why"));
      return;
    }
  row = object_row (self, error);
  if (row == NULL)
    row = range_row (self, spec, error);
  if (no_such_shmid (spec, error))
    {
      row = GTK_WIDGET (self->sysv_key_row);
      message = g_strdup_printf (_("%s: there is no segment with shmid %d"), error->message, spec->shmid);
    }
  ps_open_dialog_show_error (self, row, message != NULL ? message : error->message);
}
