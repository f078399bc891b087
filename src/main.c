/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope"

#include "config.h"

#include "ps-application.h"
#include "ps-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PsApplication) app = NULL;
  int status;

  ps_i18n_init ();

  app = ps_application_new ();
  ps_application_quit_on_signals (app);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : ps_application_get_exit_status (app);
}
