/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs a harness over every file of the directories (or files) it is given,
 * without libFuzzer: the seed corpus and every crash once found are then a
 * regression test in the normal suite, built with gcc or with sanitizers. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

static gboolean
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Files in name order, so a failure names the same input every run. */
static gboolean
replay_directory (const char *path,
                  guint      *n_inputs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      if (!replay_file (g_ptr_array_index (names, i)))
        return FALSE;
      (*n_inputs)++;
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  guint n_inputs = 0;

  LLVMFuzzerInitialize (&argc, &argv);
  if (argc < 2)
    {
      g_printerr ("usage: %s DIRECTORY|FILE...\n", argv[0]);
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      gboolean ok = g_file_test (argv[i], G_FILE_TEST_IS_DIR) ? replay_directory (argv[i], &n_inputs)
                                                               : (replay_file (argv[i]) && ++n_inputs);
      if (!ok)
        return 1;
    }
  if (n_inputs == 0)
    {
      g_printerr ("%s: no inputs\n", argv[0]);
      return 1;
    }
  g_print ("%u inputs, no crash\n", n_inputs);
  return 0;
}
