/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

G_BEGIN_DECLS

/* Where the message catalogues are: $PAGESCOPE_LOCALEDIR when set; else,
 * for a binary that runs from the build tree (build-aux/run, meson devenv,
 * the tests, or _build/src/pagescope typed by hand), that tree's own po/,
 * so a development build speaks the user's language without being
 * installed; else the installed ones. */
static inline const char *
ps_i18n_locale_dir (void)
{
  const char *dir = g_getenv ("PAGESCOPE_LOCALEDIR");
  g_autofree char *exe = NULL;

  if (dir != NULL && *dir != '\0')
    return dir;
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL && g_str_has_prefix (exe, PS_BUILD_ROOT "/") &&
      g_file_test (PS_BUILD_LOCALEDIR, G_FILE_TEST_IS_DIR))
    return PS_BUILD_LOCALEDIR;
  return LOCALEDIR;
}

/* The locale and the message catalogues. gettext ignores $LANGUAGE in the
 * plain C locale (a machine with no LANG, a container): someone who asked
 * for a language with LANGUAGE=zh_CN gets it through C.UTF-8 instead,
 * which glibc 2.35+ always has. */
static inline void
ps_i18n_init (void)
{
  const char *language = g_getenv ("LANGUAGE");
  const char *messages;

  setlocale (LC_ALL, "");
  messages = setlocale (LC_MESSAGES, NULL);
  if (language != NULL && *language != '\0' && messages != NULL &&
      (strcmp (messages, "C") == 0 || strcmp (messages, "POSIX") == 0) &&
      setlocale (LC_ALL, "C.UTF-8") != NULL)
    {
      /* GTK calls setlocale (LC_ALL, "") again when it starts, and the
       * children (writers, lessons) do too: they all land here as well */
      g_setenv ("LC_ALL", "C.UTF-8", TRUE);
    }
  bindtextdomain (GETTEXT_PACKAGE, ps_i18n_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

G_END_DECLS
