/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib/gi18n.h>
#include <locale.h>

G_BEGIN_DECLS

/* The locale, and the message catalogues: the installed ones, or those of a
 * build tree named by $PAGESCOPE_LOCALEDIR (build-aux/run and the tests set
 * it, so an uninstalled build speaks the user's language too). */
static inline void
ps_i18n_init (void)
{
  const char *dir = g_getenv ("PAGESCOPE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

G_END_DECLS
