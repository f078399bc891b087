/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the dirty colour mode costs the scanner (docs/KERNEL-FACTS.md, "Dirty
 * pages"): a pass over a 64 MiB file on disk with every 7th page written,
 * best of 7, with the dirty pages off, on between two asks of every page,
 * and on with every page asked (woken, as after a write or msync). Needs
 * root for the per-page figures (else they are per mapping) and a disk
 * file system (/var/tmp). */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ps-scanner.h"

#define N_PAGES 16384

static double
best_pass_ms (PsScanner *scanner,
              gboolean   woken,
              PsFrame  **last)
{
  gint64 best = G_MAXINT64;

  for (int i = 0; i < 7; i++)
    {
      gint64 t0;
      PsFrame *frame;

      if (woken)
        ps_scanner_wake (scanner);
      t0 = g_get_monotonic_time ();
      frame = ps_scanner_scan_now (scanner);
      best = MIN (best, g_get_monotonic_time () - t0);
      g_clear_pointer (last, ps_frame_unref);
      *last = frame;
    }
  return best / 1000.0;
}

int
main (void)
{
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  g_autofree char *path = g_strdup_printf ("/var/tmp/pagescope-dirty-bench-%d", (int) getpid ());
  g_autofree guint8 *zeros = g_malloc0 (N_PAGES * page);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autoptr(PsScanner) scanner = NULL;
  static const char *names[] = { "off", "on, between asks", "on, every page asked" };
  int fd = open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  guint8 *data;

  if (fd < 0 || write (fd, zeros, N_PAGES * page) != (gssize) (N_PAGES * page) || fsync (fd) != 0)
    {
      g_printerr ("%s: cannot make the file\n", path);
      return 1;
    }
  close (fd);
  source = ps_source_open_file (path, PS_MAP_WRITABLE, 0, 0, NULL, &error);
  unlink (path);
  if (source == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  scanner = ps_scanner_new (source);
  data = ps_source_get_data (source);
  for (guint64 p = 0; p < N_PAGES; p += 7)
    data[p * page] = 1;

  for (guint how = 0; how < G_N_ELEMENTS (names); how++)
    {
      PsFrame *last = NULL;
      double ms;

      ps_scanner_set_dirty_pages (scanner, how > 0);
      ps_frame_unref (ps_scanner_scan_now (scanner));
      ms = best_pass_ms (scanner, how == 2, &last);
      g_print ("dirty pages %-22s a pass over %u pages (64 MiB): %6.1f ms (best of 7); %s, %" G_GUINT64_FORMAT " dirty\n",
               names[how], N_PAGES, ms,
               last->dirty_source == PS_DIRTY_PER_PAGE ? "per page" :
               last->dirty_source == PS_DIRTY_PER_MAPPING ? "per mapping" : "not asked",
               last->n_dirty);
      ps_frame_unref (last);
    }
  ps_source_msync (source, 0, 0, MS_SYNC, NULL, NULL);
  return 0;
}
