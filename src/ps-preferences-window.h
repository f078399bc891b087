/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PS_TYPE_PREFERENCES_WINDOW (ps_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PsPreferencesWindow, ps_preferences_window, PS, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* The preferences, each row bound to its key of settings (g_settings_bind):
 * what a new window starts with (interval, colour mode, the log shown) and
 * the whole application's CPU budget. */
GtkWindow *ps_preferences_window_new (GtkWindow *parent,
                                      GSettings *settings);

G_END_DECLS
