/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-source.h"

G_BEGIN_DECLS

/* Called when the user asks to open spec. Returns FALSE with an error to
 * keep the dialog open and show the error in it; TRUE closes the dialog. */
typedef gboolean (*PsOpenFunc) (const PsSourceSpec *spec,
                                gpointer            user_data,
                                GError            **error);

#define PS_TYPE_OPEN_DIALOG (ps_open_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PsOpenDialog, ps_open_dialog, PS, OPEN_DIALOG, AdwWindow)

/* A dialog with four ways in: a file (with mapping options), a SysV segment
 * (live table, by key/shmid/ftok, or create), a POSIX segment (live table,
 * by name, or create), an anonymous shared mapping. */
PsOpenDialog *ps_open_dialog_new      (GtkWindow    *parent,
                                       PsOpenFunc    open_func,
                                       gpointer      user_data);
/* Shows the page for a kind of source. */
void          ps_open_dialog_set_kind (PsOpenDialog *self,
                                       PsSourceKind  kind);
PsSourceKind  ps_open_dialog_get_kind (PsOpenDialog *self);

G_END_DECLS
