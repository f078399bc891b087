/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-writer"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ps-bytes.h"
#include "ps-parse.h"
#include "ps-probe.h"
#include "ps-writer-private.h"

#define NSEC_PER_SEC      G_GUINT64_CONSTANT (1000000000)
#define STOP_CHECK_NS     (100 * G_GUINT64_CONSTANT (1000000))

/* ---- patterns ------------------------------------------------------------ */

static gboolean
pattern_error (GError    **error,
               const char *text,
               const char *reason)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("pattern \"%s\": %s"), text, reason);
  return FALSE;
}

static gboolean
set_message (PsPattern    *pattern,
             const char   *text,
             const guint8 *data,
             gsize         len,
             GError      **error)
{
  if (len == 0)
    return pattern_error (error, text, _("the message is empty"));
  if (len >= PS_PATTERN_TEXT_MAX)
    {
      g_autofree char *reason = g_strdup_printf (_("the message is %zu bytes; at most %d fit"),
                                                 len, PS_PATTERN_TEXT_MAX - 1);
      return pattern_error (error, text, reason);
    }
  memset (pattern, 0, sizeof *pattern);
  pattern->kind = PS_PATTERN_TEXT;
  pattern->text_len = len;
  memcpy (pattern->text, data, len);
  return TRUE;
}

gboolean
ps_pattern_parse (const char *text,
                  PsPattern  *pattern,
                  GError    **error)
{
  static const struct
  {
    const char   *name;
    PsPatternKind kind;
  } named[] = {
    { "counter", PS_PATTERN_COUNTER },
    { "sweep", PS_PATTERN_SWEEP },
    { "random", PS_PATTERN_RANDOM },
  };

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (pattern != NULL, FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_ascii_strcasecmp (text, named[i].name) == 0)
      {
        memset (pattern, 0, sizeof *pattern);
        pattern->kind = named[i].kind;
        return TRUE;
      }

  if (g_ascii_strncasecmp (text, "text:", 5) == 0)
    return set_message (pattern, text, (const guint8 *) text + 5, strlen (text + 5), error);

  if (text[0] == '"')
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) bytes = ps_bytes_parse (text, &local_error);
      gsize len;
      const guint8 *data;

      if (bytes == NULL)
        return pattern_error (error, text, local_error->message);
      data = g_bytes_get_data (bytes, &len);
      return set_message (pattern, text, data, len, error);
    }

  return pattern_error (error, text,
                        _("unknown; use counter, sweep, random, text:MESSAGE or \"MESSAGE\""));
}

char *
ps_pattern_to_string (const PsPattern *pattern)
{
  g_return_val_if_fail (pattern != NULL, NULL);

  switch (pattern->kind)
    {
    case PS_PATTERN_COUNTER: return g_strdup ("counter");
    case PS_PATTERN_SWEEP: return g_strdup ("sweep");
    case PS_PATTERN_RANDOM: return g_strdup ("random");
    case PS_PATTERN_TEXT:
      {
        g_autofree char *escaped = ps_bytes_to_escaped ((const guint8 *) pattern->text,
                                                        pattern->text_len, pattern->text_len);
        return g_strdup_printf ("\"%s\"", escaped);
      }
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
ps_writer_rate_too_small (GError    **error,
                          const char *text)
{
  char least[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (least, sizeof least, "%g", PS_WRITER_RATE_MIN);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("rate \"%s\": at least %s writes per second (one every %g s); 0 or max: as fast as possible"),
               text, least, 1 / PS_WRITER_RATE_MIN);
  return FALSE;
}

gboolean
ps_writer_parse_rate (const char *text,
                      double     *rate,
                      GError    **error)
{
  char *end = NULL;
  double value;
  int errsv;

  g_return_val_if_fail (text != NULL && rate != NULL, FALSE);

  if (g_ascii_strcasecmp (text, "max") == 0)
    {
      *rate = 0;
      return TRUE;
    }
  errno = 0;
  value = g_ascii_strtod (text, &end);
  errsv = errno;
  if (end == text || *end != '\0' || g_ascii_isspace (*text))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("rate \"%s\": expected writes per second (e.g. 100 or 2.5), or max"), text);
      return FALSE;
    }
  if (!isfinite (value) || value < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("rate \"%s\": must be a finite number of writes per second, 0 or more (0 or max: as fast as possible)"), text);
      return FALSE;
    }
  /* 1e-400 underflows to 0, which must not read as "as fast as possible" */
  if ((value == 0 && errsv == ERANGE) || (value > 0 && value < PS_WRITER_RATE_MIN))
    return ps_writer_rate_too_small (error, text);
  *rate = value;
  return TRUE;
}

char *
ps_writer_rate_to_string (double rate)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (rate <= 0)
    return g_strdup ("max");
  return g_strdup_printf ("%s/s", g_ascii_formatd (number, sizeof number, "%g", rate));
}

/* ---- one write: async-signal-safe (plain stores and arithmetic) ----------- */

/* a * b % m without overflow */
static inline guint64
mul_mod (guint64 a,
         guint64 b,
         guint64 m)
{
#ifdef __SIZEOF_INT128__
  return (guint64) ((unsigned __int128) a * b % m);
#else
  guint64 r = 0;

  a %= m;
  for (; b != 0; b >>= 1)
    {
      if (b & 1)
        r = r >= m - a ? r - (m - a) : r + a;
      a = a >= m - a ? a - (m - a) : a + a;
    }
  return r;
#endif
}

static inline guint64
xorshift64star (guint64 *state)
{
  guint64 x = *state;

  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * G_GUINT64_CONSTANT (0x2545F4914F6CDD1D);
}

static inline void
store_le64 (volatile guint8 *p,
            guint64          value,
            guint64          len)
{
  /* an aligned 8-byte store is seen whole by a reader, never half-updated */
  if (len == 8 && ((guintptr) p & 7) == 0)
    {
      *(volatile guint64 *) p = GUINT64_TO_LE (value);
      return;
    }
  for (guint64 i = 0; i < len; i++)
    p[i] = (guint8) (value >> (8 * i));
}

void
ps_writer_step (const PsWriterJob *job,
                guint64            n,
                guint64           *rng_state)
{
  volatile guint8 *range = job->base + job->range_offset;
  guint64 length = job->range_length;
  guint64 page = job->page_size != 0 ? job->page_size : 4096;

  if (length == 0)
    return;

  switch (job->pattern.kind)
    {
    case PS_PATTERN_COUNTER:
      {
        guint64 slots = length / 8;

        if (slots == 0)
          store_le64 (range, n + 1, length);
        else
          store_le64 (range + (job->index % slots) * 8, n + 1, 8);
      }
      break;

    case PS_PATTERN_SWEEP:
      range[(mul_mod (n, page, length) + (guint64) job->index * 64 % length) % length] = (guint8) n;
      break;

    case PS_PATTERN_RANDOM:
      {
        guint64 r;

        if (*rng_state == 0)
          {
            *rng_state = job->seed ^ job->index;
            if (*rng_state == 0)
              *rng_state = G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
          }
        r = xorshift64star (rng_state);
        range[(r & G_GUINT64_CONSTANT (0x00FFFFFFFFFFFFFF)) % length] = (guint8) (r >> 56);
      }
      break;

    case PS_PATTERN_TEXT:
      {
        guint64 len = MIN (job->pattern.text_len, length);
        volatile guint8 *at = range + mul_mod (n, len, length - len + 1);

        for (guint64 i = 0; i < len; i++)
          at[i] = (guint8) job->pattern.text[i];
      }
      break;

    default:
      break;
    }
}

static guint64
monotonic_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (guint64) ts.tv_sec * NSEC_PER_SEC + (guint64) ts.tv_nsec;
}

static gboolean
stopped (volatile sig_atomic_t *stop)
{
  return stop != NULL && *stop;
}

/* Sleeps until the absolute time due; FALSE if *stop was set meanwhile. */
static gboolean
sleep_until (guint64                due,
             volatile sig_atomic_t *stop)
{
  for (guint64 now = monotonic_ns (); now < due; now = monotonic_ns ())
    {
      guint64 until = due;
      struct timespec ts;

      if (stopped (stop))
        return FALSE;
      /* the stop may have come just before the sleep: never sleep long on it */
      if (stop != NULL && due - now > STOP_CHECK_NS)
        until = now + STOP_CHECK_NS;
      ts.tv_sec = until / NSEC_PER_SEC;
      ts.tv_nsec = until % NSEC_PER_SEC;
      clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    }
  return !stopped (stop);
}

guint64
ps_writer_run (const PsWriterJob     *job,
               volatile sig_atomic_t *stop)
{
  /* a rate below the least is refused before it gets here; should one come
   * anyway, keep the least: an interval past the clock's range would reset
   * the schedule every write, and a rate of 1e-300 an infinite one */
  double interval = job->rate > 0 ? (double) NSEC_PER_SEC / MAX (job->rate, PS_WRITER_RATE_MIN) : 0;
  guint64 rng_state = 0;
  guint64 start = monotonic_ns ();
  guint64 scheduled = 0;   /* writes since start */
  guint64 n = 0;

  while ((job->count == 0 || n < job->count) && !stopped (stop))
    {
      if (interval > 0)
        {
          double ahead = scheduled * interval;
          guint64 now = monotonic_ns ();

          /* more than a second late (the process was stopped, say), or
           * the schedule ran out of range: start it again from now */
          if (ahead > (double) G_MAXINT64 || now > start + (guint64) ahead + NSEC_PER_SEC)
            {
              start = now;
              scheduled = 0;
              ahead = 0;
            }
          if (!sleep_until (start + (guint64) ahead, stop))
            break;
        }
      ps_writer_step (job, n, &rng_state);
      n++;
      scheduled++;
      if (job->done != NULL)
        *job->done = n;
    }
  return n;
}

/* ---- PsWriterChild ------------------------------------------------------- */


G_DEFINE_FINAL_TYPE (PsWriterChild, ps_writer_child, G_TYPE_OBJECT)

static void
ps_writer_child_class_init (PsWriterChildClass *klass)
{
}

static void
ps_writer_child_init (PsWriterChild *self)
{
  self->state = PS_WRITER_RUNNING;
}

pid_t
ps_writer_child_get_pid (PsWriterChild *self)
{
  g_return_val_if_fail (PS_IS_WRITER_CHILD (self), -1);
  return self->pid;
}

guint
ps_writer_child_get_index (PsWriterChild *self)
{
  g_return_val_if_fail (PS_IS_WRITER_CHILD (self), 0);
  return self->index;
}

const PsPattern *
ps_writer_child_get_pattern (PsWriterChild *self)
{
  g_return_val_if_fail (PS_IS_WRITER_CHILD (self), NULL);
  return &self->pattern;
}

double
ps_writer_child_get_rate (PsWriterChild *self)
{
  g_return_val_if_fail (PS_IS_WRITER_CHILD (self), 0);
  return self->rate;
}

guint64
ps_writer_child_get_done (PsWriterChild *self)
{
  g_return_val_if_fail (PS_IS_WRITER_CHILD (self), 0);
  return self->done != NULL ? *self->done : self->final_done;
}

PsWriterState
ps_writer_child_get_state (PsWriterChild *self)
{
  g_return_val_if_fail (PS_IS_WRITER_CHILD (self), PS_WRITER_EXITED);
  return self->state;
}

int
ps_writer_child_get_exit_status (PsWriterChild *self)
{
  g_return_val_if_fail (PS_IS_WRITER_CHILD (self), -1);
  return self->exit_status;
}

int
ps_writer_child_get_term_signal (PsWriterChild *self)
{
  g_return_val_if_fail (PS_IS_WRITER_CHILD (self), 0);
  return self->term_signal;
}

char *
ps_writer_child_describe_exit (PsWriterChild *self)
{
  g_return_val_if_fail (PS_IS_WRITER_CHILD (self), NULL);

  switch (self->state)
    {
    case PS_WRITER_RUNNING:
      return g_strdup ("running");
    case PS_WRITER_EXITED:
      if (self->exit_status < 0)
        return g_strdup ("reaped elsewhere");
      return g_strdup_printf ("exited %d", self->exit_status);
    case PS_WRITER_KILLED:
      {
        g_autofree char *name = ps_signal_name (self->term_signal);
        return g_strdup_printf ("killed by %s", name);
      }
    default:
      g_return_val_if_reached (NULL);
    }
}

/* ---- the action's argument ------------------------------------------------ */

gboolean
ps_writers_parse_spawn_arg (const char *text,
                            guint      *count,
                            PsPattern  *pattern,
                            double     *rate,
                            GError    **error)
{
  g_autofree char *copy = NULL;
  char *body, *first_end, *last_start;
  guint64 n;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (count != NULL && pattern != NULL && rate != NULL, FALSE);

  copy = g_strdup (text);
  body = g_strstrip (copy);
  first_end = strpbrk (body, " \t");
  last_start = first_end != NULL ? MAX (strrchr (body, ' '), strrchr (body, '\t')) : NULL;
  if (first_end == NULL || last_start == first_end)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("spawn writers \"%s\": expected COUNT PATTERN RATE, e.g. 3 counter 100 or 1 \"hi\" max"), text);
      return FALSE;
    }
  *first_end = '\0';
  *last_start = '\0';

  if (!ps_parse_offset (body, "writer count", &n, error))
    return FALSE;
  if (n == 0 || n > PS_WRITERS_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("writer count \"%s\": must be 1 to %d"), body, PS_WRITERS_MAX);
      return FALSE;
    }
  if (!ps_pattern_parse (g_strstrip (first_end + 1), pattern, error) ||
      !ps_writer_parse_rate (last_start + 1, rate, error))
    return FALSE;
  *count = (guint) n;
  return TRUE;
}
