/* SPDX-License-Identifier: GPL-3.0-or-later */
/* STUB: to be replaced by the real PsOpenDialog. */
#include "config.h"
#include "ps-open-dialog.h"

struct _PsOpenDialog { AdwWindow parent_instance; };
G_DEFINE_FINAL_TYPE (PsOpenDialog, ps_open_dialog, ADW_TYPE_WINDOW)
static void ps_open_dialog_class_init (PsOpenDialogClass *klass) { }
static void ps_open_dialog_init (PsOpenDialog *self) { }
PsOpenDialog *ps_open_dialog_new (GtkWindow *parent, PsOpenFunc func, gpointer data)
{
  return g_object_new (PS_TYPE_OPEN_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
}
void ps_open_dialog_set_kind (PsOpenDialog *self, PsSourceKind kind) { }
