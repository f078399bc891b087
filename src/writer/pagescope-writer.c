/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pagescope-writer: attach to a file or segment as an unrelated process and
 * write the same patterns, with the same code, as Pagescope's writer children. */
#include "config.h"

#include <inttypes.h>
#include <limits.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ps-guard.h"
#include "ps-i18n.h"
#include "ps-parse.h"
#include "ps-probe.h"
#include "ps-source.h"
#include "ps-writer.h"

#define EXIT_OPEN   1
#define EXIT_USAGE  2
#define EXIT_SHRANK 3   /* the object shrank under the writer: SIGBUS */

static volatile sig_atomic_t stop_signal;   /* the signal that asked us to stop */

typedef struct
{
  char    *pattern;
  char    *rate;
  char    *count;
  char    *offset;
  char    *length;
  char    *index;
  char    *seed;
  char    *sysv;
  char    *shmid;
  char    *posix;
  char   **files;
  gboolean quiet;
  gboolean version;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->pattern);
  g_free (o->rate);
  g_free (o->count);
  g_free (o->offset);
  g_free (o->length);
  g_free (o->index);
  g_free (o->seed);
  g_free (o->sysv);
  g_free (o->shmid);
  g_free (o->posix);
  g_strfreev (o->files);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* The writer loop runs on its own thread, so the main thread can print a
 * status line every second while the loop keeps its exact rate. */
typedef struct
{
  PsWriterJob       job;
  volatile guint64  done;
  guint64           total;
  gboolean          faulted;      /* a write raised SIGBUS: fault says where */
  PsFault           fault;
  gboolean          finished;
  GMutex            lock;
  GCond             cond;
} Run;

static void
on_stop_signal (int signo)
{
  stop_signal = signo;
}

static void
install_stop_handlers (void)
{
  struct sigaction action, hup;

  /* no SA_RESTART: the writer's sleep returns at once */
  memset (&action, 0, sizeof action);
  action.sa_handler = on_stop_signal;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  /* a closed terminal stops it as Ctrl+C does; under nohup SIGHUP stays ignored */
  if (sigaction (SIGHUP, NULL, &hup) == 0 && hup.sa_handler != SIG_IGN)
    sigaction (SIGHUP, &action, NULL);
}

static int
usage_error (const char *message)
{
  g_autofree char *line = g_strdup_printf (_("%s (see --help)"), message);

  fprintf (stderr, "pagescope-writer: %s\n", line);
  return EXIT_USAGE;
}

static gboolean
parse_number (const char *text,
              const char *what,
              guint64     fallback,
              guint64    *out,
              GError    **error)
{
  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  return ps_parse_size (text, what, out, error);
}

/* Refuses a path open() would refuse for its form alone: empty or too long. */
static gboolean
check_path (const char *path,
            GError    **error)
{
  g_auto(GStrv) parts = NULL;

  if (path[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("FILE: the path is empty"));
      return FALSE;
    }
  if (strlen (path) >= PATH_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG, _("FILE: the path is %zu bytes; at most %d"),
                   strlen (path), PATH_MAX - 1);
      return FALSE;
    }
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strlen (parts[i]) > NAME_MAX)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FILENAME_TOO_LONG, _("FILE: a part of the path is %zu bytes; at most %d"),
                     strlen (parts[i]), NAME_MAX);
        return FALSE;
      }
  return TRUE;
}

/* A malformed key, name or path is a bad argument: the error names the option. */
static gboolean
parse_source (Options      *o,
              PsSourceSpec *spec,
              GError      **error)
{
  spec->flags = PS_MAP_WRITABLE;
  if (o->sysv != NULL)
    {
      spec->kind = PS_SOURCE_SYSV;
      if (ps_parse_sysv_key (o->sysv, &spec->key, error))
        return TRUE;
      g_prefix_error (error, "--sysv: ");
      return FALSE;
    }
  if (o->shmid != NULL)
    {
      spec->kind = PS_SOURCE_SYSV;
      spec->by_shmid = TRUE;
      if (ps_parse_shmid (o->shmid, &spec->shmid, error))
        return TRUE;
      g_prefix_error (error, "--shmid: ");
      return FALSE;
    }
  if (o->posix != NULL)
    {
      spec->kind = PS_SOURCE_POSIX;
      spec->name = ps_posix_name_normalize (o->posix, error);
      if (spec->name != NULL)
        return TRUE;
      g_prefix_error (error, "--posix: ");
      return FALSE;
    }
  spec->kind = PS_SOURCE_FILE;
  spec->path = g_strdup (o->files[0]);
  return check_path (spec->path, error);
}

static gboolean
parse_options (Options     *o,
               PsSourceSpec *spec,
               PsWriterJob  *job,
               GError      **error)
{
  guint n_sources = (o->sysv != NULL) + (o->shmid != NULL) + (o->posix != NULL) +
                    (o->files != NULL ? g_strv_length (o->files) : 0);
  guint64 index;

  if (n_sources != 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           n_sources == 0 ? _("nothing to write to: give FILE, --sysv KEY, --shmid ID or --posix NAME")
                                          : _("give exactly one of FILE, --sysv KEY, --shmid ID or --posix NAME"));
      return FALSE;
    }

  if (!ps_pattern_parse (o->pattern != NULL ? o->pattern : "counter", &job->pattern, error) ||
      !ps_writer_parse_rate (o->rate != NULL ? o->rate : "10", &job->rate, error) ||
      !parse_number (o->count, "--count", 0, &job->count, error) ||
      !parse_number (o->offset, "--offset", 0, &job->range_offset, error) ||
      !parse_number (o->length, "--length", 0, &job->range_length, error) ||
      !parse_number (o->index, "--index", 0, &index, error))
    return FALSE;
  if (o->count != NULL && job->count == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--count %s: give at least 1, or leave --count out to write until stopped"), o->count);
      return FALSE;
    }
  if (index > G_MAXUINT32)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("--index \"%s\": too large"), o->index);
      return FALSE;
    }
  job->index = (guint) index;
  if (o->seed != NULL)
    {
      if (!ps_parse_offset (o->seed, "--seed", &job->seed, error))
        return FALSE;
    }
  else
    job->seed = ((guint64) g_random_int () << 32) | g_random_int ();

  return parse_source (o, spec, error);
}

/* Fits the range to the mapping; an empty length means the rest of it.
 * A text message must fit the range whole. */
static gboolean
fit_range (PsWriterJob      *job,
           const PsGeometry *geometry,
           GError          **error)
{
  if (job->range_offset >= geometry->length)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--offset %" PRIu64 ": at or past the end of the mapping (%" PRIu64 " bytes)"),
                   job->range_offset, geometry->length);
      return FALSE;
    }
  if (job->range_length == 0)
    job->range_length = geometry->length - job->range_offset;
  else if (job->range_length > geometry->length - job->range_offset)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--length %" PRIu64 " at --offset %" PRIu64 ": runs past the end of the mapping (%" PRIu64 " bytes)"),
                   job->range_length, job->range_offset, geometry->length);
      return FALSE;
    }
  /* ps_writer_step would write only the message's first range_length bytes */
  if (job->pattern.kind == PS_PATTERN_TEXT && job->pattern.text_len > job->range_length)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--pattern: the message is %zu bytes and the range only %" PRIu64 "; shorten the message or widen the range (--offset, --length)"),
                   job->pattern.text_len, job->range_length);
      return FALSE;
    }
  return TRUE;
}

/* The loop, armed against SIGBUS: a file or POSIX segment truncated by
 * another process makes the next write past its new end fault (LINUX-FACTS).
 * Returns FALSE if one did; *run->done counts the writes that were made. */
static __attribute__ ((noinline)) gboolean
run_guarded (Run *run)
{
  if (sigsetjmp (*ps_guard_jmp_buf (), 1) != 0)
    {
      run->fault = ps_guard_fault ();
      return FALSE;
    }
  ps_guard_arm ();
  ps_writer_run (&run->job, &stop_signal);
  ps_guard_disarm ();
  return TRUE;
}

static gpointer
writer_thread (gpointer data)
{
  Run *run = data;
  gboolean faulted = !run_guarded (run);

  g_mutex_lock (&run->lock);
  run->faulted = faulted;
  run->total = run->done;
  run->finished = TRUE;
  g_cond_signal (&run->cond);
  g_mutex_unlock (&run->lock);
  return NULL;
}

/* Waits for the writer, printing a status line every second unless quiet. */
static void
supervise (Run      *run,
           gboolean  quiet)
{
  gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  guint64 last = 0;

  g_mutex_lock (&run->lock);
  while (!run->finished)
    {
      if (g_cond_wait_until (&run->cond, &run->lock, deadline) || run->finished)
        continue;
      if (!quiet)
        {
          guint64 done = run->done;

          printf ("pagescope-writer: ");
          printf (_("%" PRIu64 " writes (%" PRIu64 "/s)"), done, done - last);
          printf ("\n");
          fflush (stdout);
          last = done;
        }
      deadline += G_USEC_PER_SEC;
    }
  g_mutex_unlock (&run->lock);
}

/* Says on stderr where the write faulted and how large the object is now. */
static void
report_fault (Run      *run,
              PsSource *source)
{
  const PsGeometry *mapped = ps_source_get_geometry (source);
  guintptr base = (guintptr) run->job.base;
  guintptr addr = (guintptr) run->fault.addr;
  /* the fault lies in the mapping; were it elsewhere, name the range's start */
  guint64 offset = addr >= base && addr - base < mapped->length ? addr - base : run->job.range_offset;
  g_autofree char *size = NULL;
  g_autofree char *message = NULL;
  PsGeometry now;

  if (ps_source_restat (source, &now, NULL, NULL))
    size = g_strdup_printf (_("%s is now %" PRIu64 " bytes"), ps_source_get_display_name (source),
                            now.object_size);
  else
    size = g_strdup_printf (_("the size of %s could not be read again"), ps_source_get_display_name (source));
  message = g_strdup_printf (_("SIGBUS writing at offset %" PRIu64 ": %s, so that page lies past its end (it shrank under the writer); stopped after %" PRIu64 " writes"),
                             offset, size, run->total);
  fprintf (stderr, "pagescope-writer: %s\n", message);
}

static const char description[] = N_(
  "Writes a pattern into a file or shared-memory segment, as Pagescope's\n"
  "writer children do, from a process of its own.\n"
  "\n"
  "Patterns (write n of writer --index i, in the range [O, O+L)):\n"
  "  counter        the 64-bit little-endian count n+1 at O + (i % (L/8))*8\n"
  "  sweep          the byte n & 0xff at O + (n*PAGE + i*64) % L\n"
  "  random         a random byte at a random offset (xorshift64*, seed ^ i)\n"
  "  text:MESSAGE   the message at O + (n*len) % (L - len + 1); L must be >= len\n"
  "  \"MESSAGE\"      the same, with C escapes such as \\n and \\x41\n"
  "\n"
  "Numbers take 0x for hex and K, M, G, T suffixes (1K = 1024).\n"
  "SIGINT, SIGTERM or SIGHUP stops the writer; it detaches and prints the total\n"
  "(SIGHUP stays ignored under nohup).\n"
  "If the file or segment shrinks under it (another process truncates it),\n"
  "the next write past its new end raises SIGBUS: the writer says so and stops.\n"
  "Exit status: 0 done or stopped, 1 could not open, 2 bad arguments,\n"
  "3 the object shrank under the writer.\n"
  "\n"
  "Examples:\n"
  "  pagescope-writer --posix /demo --pattern sweep --rate 100\n"
  "  pagescope-writer --sysv 0x1234 --index 3 --count 1000 --rate 0\n"
  "  pagescope-writer --pattern 'text:hello' --offset 4K --length 4K data.bin\n");

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) o = { 0 };
  g_auto(PsSourceSpec) spec = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSource) source = NULL;
  g_autofree char *pattern_text = NULL;
  g_autofree char *rate_text = NULL;
  g_autofree Run *run = g_new0 (Run, 1);
  GThread *thread;
  gint64 started;
  const GOptionEntry entries[] = {
    { "pattern", 'p', 0, G_OPTION_ARG_STRING, &o.pattern, N_("counter, sweep, random, text:MESSAGE or \"MESSAGE\" (default counter)"), N_("PATTERN") },
    { "rate", 'r', 0, G_OPTION_ARG_STRING, &o.rate, N_("Writes per second; 0 or max: as fast as possible (default 10)"), "N" },
    { "count", 'c', 0, G_OPTION_ARG_STRING, &o.count, N_("Stop after N writes (default: until stopped)"), "N" },
    { "offset", 'o', 0, G_OPTION_ARG_STRING, &o.offset, N_("Start of the range to write, in the mapping (default 0)"), "N" },
    { "length", 'l', 0, G_OPTION_ARG_STRING, &o.length, N_("Length of the range (default: to the end)"), "N" },
    { "index", 'i', 0, G_OPTION_ARG_STRING, &o.index, N_("Writer index: the counter's slot, the sweep's lane, the random seed (default 0)"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &o.seed, N_("Seed of the random pattern (default: random)"), "N" },
    { "sysv", 0, 0, G_OPTION_ARG_STRING, &o.sysv, N_("Attach the SysV segment with this key (0x hex, decimal or PATH:ID)"), N_("KEY") },
    { "shmid", 0, 0, G_OPTION_ARG_STRING, &o.shmid, N_("Attach the SysV segment with this shmid"), N_("ID") },
    { "posix", 0, 0, G_OPTION_ARG_STRING, &o.posix, N_("Open the POSIX segment with this name"), N_("NAME") },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, N_("No status line every second"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o.version, N_("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o.files, NULL, NULL },
    { NULL }
  };

  ps_i18n_init ();

  context = g_option_context_new (_("(FILE | --sysv KEY | --shmid ID | --posix NAME)"));
  g_option_context_set_summary (context, _("Write a pattern into mapped memory, as Pagescope's writer children do."));
  g_option_context_set_description (context, _(description));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (o.version)
    {
      printf ("pagescope-writer %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (!parse_options (&o, &spec, &run->job, &error))
    return usage_error (error->message);

  install_stop_handlers ();
  source = ps_source_open (&spec, NULL, &error);
  if (source == NULL)
    {
      fprintf (stderr, "pagescope-writer: %s\n", error->message);
      return EXIT_OPEN;
    }
  if (!fit_range (&run->job, ps_source_get_geometry (source), &error))
    return usage_error (error->message);

  run->job.base = ps_source_get_data (source);
  run->job.page_size = ps_source_get_geometry (source)->page_size;
  run->job.done = &run->done;
  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);

  pattern_text = ps_pattern_to_string (&run->job.pattern);
  rate_text = ps_writer_rate_to_string (run->job.rate);
  if (!o.quiet)
    {
      printf ("pagescope-writer: ");
      /* TRANSLATORS: pid, pattern, rate ("100/s"), the file or segment, then a byte range */
      printf (_("pid %d writing %s at %s into %s, bytes 0x%" PRIx64 "..0x%" PRIx64),
              (int) getpid (), pattern_text, rate_text, ps_source_get_display_name (source),
              run->job.range_offset, run->job.range_offset + run->job.range_length);
      printf ("\n");
      fflush (stdout);
    }

  ps_guard_install ();
  started = g_get_monotonic_time ();
  thread = g_thread_new ("writer", writer_thread, run);
  supervise (run, o.quiet);
  g_thread_join (thread);

  if (run->faulted)
    report_fault (run, source);
  ps_source_close (source);
  {
    double seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
    g_autofree char *why = NULL;

    if (run->faulted)
      why = g_strdup (_("stopped by SIGBUS"));
    else if (stop_signal != 0)
      {
        g_autofree char *name = ps_signal_name (stop_signal);
        why = g_strdup_printf (_("stopped by %s"), name);
      }
    else
      why = g_strdup (_("done"));
    printf ("pagescope-writer: ");
    /* TRANSLATORS: "done" or "stopped by SIGINT", the number of writes, seconds */
    printf (_("%s: %" PRIu64 " writes in %.1f s, detached"), why, run->total, seconds);
    printf ("\n");
    fflush (stdout);
  }
  g_cond_clear (&run->cond);
  g_mutex_clear (&run->lock);
  return run->faulted ? EXIT_SHRANK : 0;
}
