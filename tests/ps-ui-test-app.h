/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* For the UI tests that build real windows: they link the app (app_dep),
 * which the shared test libraries do not. */
#include "ps-application.h"
#include "ps-ui-test-util.h"

G_BEGIN_DECLS

/* gtk_init, adw_init, the resources, and a registered application that is
 * not unique, so tests run side by side and beside a running Pagescope. */
static inline PsApplication *
ps_ui_test_app_new (int    *argc,
                    char ***argv)
{
  g_autoptr(GError) error = NULL;
  PsApplication *app;

  ps_ui_test_init (argc, argv);
  app = ps_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

G_END_DECLS
