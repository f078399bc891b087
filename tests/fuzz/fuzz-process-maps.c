/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The process view's reading of another process's /proc/PID/maps (a line:
 * "start-end perms offset major:minor inode path"), and the text forms of
 * --pid and --map (pid:PID?map=...). Promises: a line parses to start < end,
 * four permission characters and a path that is a non-empty part of the
 * line's first line, or is refused; a pid is 1 .. 4194304 and the text was
 * its decimal digits; a map is an address (non-zero, from "0x" hex) or the
 * text itself as a path; a refusal is an error naming what was given;
 * never a read past the text. */
#define G_LOG_DOMAIN "pagescope-fuzz"
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "ps-process-view.h"

static void
check_line (const char *text)
{
  g_auto(PsProcessMapping) mapping = { 0 };
  gsize first_line = strcspn (text, "\n");

  if (!ps_process_mapping_parse (text, &mapping))
    {
      FUZZ_CHECK (mapping.path == NULL);
      return;
    }
  FUZZ_CHECK (mapping.start < mapping.end);
  FUZZ_CHECK (strlen (mapping.perms) == 4);
  if (mapping.path != NULL)
    {
      const char *at = strstr (text, mapping.path);

      FUZZ_CHECK (mapping.path[0] != '\0');
      FUZZ_CHECK (strchr (mapping.path, '\n') == NULL);
      FUZZ_CHECK (at != NULL && at + strlen (mapping.path) <= text + first_line);
    }
  /* a path outside /dev is never taken for a device, whatever it names */
  if (mapping.path == NULL || !g_str_has_prefix (mapping.path, "/dev/"))
    FUZZ_CHECK (!ps_process_mapping_is_device (&mapping));
}

static void
check_pid (const char *text)
{
  g_autoptr(GError) error = NULL;
  pid_t pid = 0;

  if (!ps_process_parse_pid (text, "--pid", &pid, &error))
    {
      FUZZ_CHECK (error != NULL && g_str_has_prefix (error->message, "--pid "));
      return;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (pid >= 1 && pid <= 4194304);
  FUZZ_CHECK (text[0] != '\0' && strspn (text, "0123456789") == strlen (text));
}

static void
check_map (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint64 address = 0;

  if (!ps_process_parse_map (text, "--map", &path, &address, &error))
    {
      FUZZ_CHECK (error != NULL && g_str_has_prefix (error->message, "--map"));
      FUZZ_CHECK (path == NULL);
      return;
    }
  FUZZ_CHECK (error == NULL);
  if (path != NULL)
    {
      FUZZ_CHECK (address == 0);
      FUZZ_CHECK (strcmp (path, text) == 0 && path[0] != '\0');
    }
  else
    {
      FUZZ_CHECK (address != 0);
      FUZZ_CHECK (g_ascii_strncasecmp (text, "0x", 2) == 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_text (data, size);

  check_line (text);
  check_pid (text);
  check_map (text);
  return 0;
}
