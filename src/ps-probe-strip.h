/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "ps-probe.h"

G_BEGIN_DECLS

#define PS_TYPE_PROBE_STRIP (ps_probe_strip_get_type ())
G_DECLARE_FINAL_TYPE (PsProbeStrip, ps_probe_strip, PS, PROBE_STRIP, GtkWidget)

void      ps_probe_strip_set_geometry (PsProbeStrip     *self,
                                       const PsGeometry *geometry,
                                       PsSourceKind      kind);
/* FALSE until a geometry is set. */
gboolean  ps_probe_strip_get_geometry (PsProbeStrip     *self,
                                       PsGeometry       *geometry);
/* A probe at offset; with_outcome: it ran, and this is what happened. */
void      ps_probe_strip_set_probe    (PsProbeStrip     *self,
                                       gboolean          have_probe,
                                       guint64           offset,
                                       gboolean          with_outcome,
                                       PsProbeOutcome    outcome);
/* What the strip shows, in words (translated). */
char     *ps_probe_strip_describe     (PsProbeStrip     *self);

G_END_DECLS
