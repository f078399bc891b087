/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The baseline for launch time and memory: an empty GTK 4 window that says
 * "first-frame" on stdout after its first paint, then quits. With --adw, an
 * empty libadwaita window instead: the toolkit's own share of a launch. */
#include <adwaita.h>
#include <stdio.h>

static void
print_status (void)
{
  g_autofree char *status = NULL;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    for (char **line = g_strsplit (status, "\n", -1), **l = line; *l != NULL || (g_strfreev (line), FALSE); l++)
      if (g_str_has_prefix (*l, "VmHWM") || g_str_has_prefix (*l, "VmRSS") || g_str_has_prefix (*l, "Rss"))
        printf ("%s\n", *l);
}

static void
after_paint (GdkFrameClock *clock,
             GtkWindow     *window)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  printf ("first-frame\n");
  print_status ();
  fflush (stdout);
  gtk_window_destroy (window);
}

static void
on_map (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), widget);
}

static void
activate (GtkApplication *app)
{
  GtkWidget *window = ADW_IS_APPLICATION (app) ? adw_application_window_new (app) : gtk_application_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  g_signal_connect_after (window, "map", G_CALLBACK (on_map), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  gboolean adw = argc > 1 && g_str_equal (argv[1], "--adw");
  g_autoptr(GtkApplication) app = adw ? GTK_APPLICATION (adw_application_new ("io.github.pagescope.EmptyAdwWindow", G_APPLICATION_NON_UNIQUE))
                                      : gtk_application_new ("io.github.pagescope.EmptyWindow", G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
