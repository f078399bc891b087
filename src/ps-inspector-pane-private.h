/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-inspector-pane.h"

G_BEGIN_DECLS

/* For tests: the text a row shows ("u64 (LE)", "binary", ...), and an edit
 * of a typed value as the row's editor makes it. */
const char *ps_inspector_pane_get_text (PsInspectorPane  *self,
                                        const char       *label);
gboolean    ps_inspector_pane_edit     (PsInspectorPane  *self,
                                        const char       *label,
                                        const char       *text,
                                        GError          **error);

G_END_DECLS
