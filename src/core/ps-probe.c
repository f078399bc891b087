/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-probe"

#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-probe-private.h"

/* One byte takes well under a millisecond (30 ms with a big private heap to
 * copy); an access that blocks (a hung network file system) must not freeze
 * the main thread forever. */
#define PROBE_DEADLINE_MS PS_PROBE_DEADLINE_MS

/* What the child tells the parent over the pipe: one message per event,
 * fixed size, far below PIPE_BUF, so each write() is atomic. */
enum
{
  MESSAGE_FAULT = 1,   /* from the SIGBUS/SIGSEGV handler */
  MESSAGE_VALUE = 2,   /* the access completed */
};

typedef struct
{
  gint32  kind;
  gint32  signo;
  gint32  code;
  gint32  value;
  guint64 addr;
} ProbeMessage;

static PsProbeResult *
ps_probe_result_copy (const PsProbeResult *result)
{
  return g_memdup2 (result, sizeof *result);
}

G_DEFINE_BOXED_TYPE (PsProbeResult, ps_probe_result, ps_probe_result_copy, g_free)

/* ---- names ------------------------------------------------------------- */

char *
ps_signal_name (int signo)
{
  const char *abbrev = sigabbrev_np (signo);

  if (abbrev == NULL)
    return g_strdup_printf ("signal %d", signo);
  return g_strconcat ("SIG", abbrev, NULL);
}

char *
ps_si_code_name (int signo,
                 int code)
{
  static const struct
  {
    int         signo;   /* 0: any signal */
    int         code;
    const char *name;
  } names[] = {
    { SIGBUS, BUS_ADRALN, "BUS_ADRALN" },
    { SIGBUS, BUS_ADRERR, "BUS_ADRERR" },
    { SIGBUS, BUS_OBJERR, "BUS_OBJERR" },
    { SIGBUS, BUS_MCEERR_AR, "BUS_MCEERR_AR" },
    { SIGBUS, BUS_MCEERR_AO, "BUS_MCEERR_AO" },
    { SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR" },
    { SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR" },
    { SIGSEGV, SEGV_BNDERR, "SEGV_BNDERR" },
    { SIGSEGV, SEGV_PKUERR, "SEGV_PKUERR" },
    { 0, SI_USER, "SI_USER" },
    { 0, SI_KERNEL, "SI_KERNEL" },
    { 0, SI_QUEUE, "SI_QUEUE" },
    { 0, SI_TKILL, "SI_TKILL" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if ((names[i].signo == 0 || names[i].signo == signo) && names[i].code == code)
      return g_strdup (names[i].name);
  return g_strdup_printf ("si_code %d", code);
}

char *
ps_wait_status_to_string (int status)
{
  if (WIFEXITED (status))
    return g_strdup_printf ("exited %d", WEXITSTATUS (status));
  if (WIFSIGNALED (status))
    {
      g_autofree char *name = ps_signal_name (WTERMSIG (status));
      return g_strdup_printf ("killed by %s%s", name, WCOREDUMP (status) ? " (core dumped)" : "");
    }
  return g_strdup_printf ("status 0x%x", status);
}

const char *
ps_probe_outcome_to_string (PsProbeOutcome outcome)
{
  switch (outcome)
    {
    case PS_PROBE_OK: return "ok";
    case PS_PROBE_ZERO_TAIL: return "zero-tail";
    case PS_PROBE_SIGBUS: return "SIGBUS";
    case PS_PROBE_SIGSEGV: return "SIGSEGV";
    case PS_PROBE_OTHER: return "other";
    default: g_return_val_if_reached ("?");
    }
}

/* ---- geometry ------------------------------------------------------------ */

static guint64
mapped_end (const PsGeometry *geometry)
{
  return geometry->n_pages * geometry->page_size;
}

static guint64
backed_end (const PsGeometry *geometry)
{
  return geometry->n_inside * geometry->page_size;
}

PsProbeOutcome
ps_probe_expected (const PsGeometry *geometry,
                   guint64           offset)
{
  g_return_val_if_fail (geometry != NULL, PS_PROBE_OTHER);

  if (offset < geometry->data_length)
    return PS_PROBE_OK;
  if (offset < backed_end (geometry))
    return PS_PROBE_ZERO_TAIL;
  if (offset < mapped_end (geometry))
    return PS_PROBE_SIGBUS;
  if (offset < mapped_end (geometry) + geometry->page_size)
    return PS_PROBE_SIGSEGV;
  return PS_PROBE_OTHER;   /* past the guard page: not ours to predict */
}

/* ---- children: async-signal-safe calls only ------------------------------ */

pid_t
ps_fork_blocked (void)
{
  sigset_t all, saved;
  pid_t pid;
  int errsv;

  /* a signal sent meanwhile stays pending, and reaches the child only once
   * its handlers are the defaults */
  sigfillset (&all);
  pthread_sigmask (SIG_SETMASK, &all, &saved);
  pid = fork ();
  errsv = errno;
  if (pid != 0)
    pthread_sigmask (SIG_SETMASK, &saved, NULL);
  errno = errsv;
  return pid;
}

void
ps_child_reset_signals (void)
{
  static const int always_default[] = { SIGTERM, SIGINT, SIGBUS, SIGSEGV };
  struct rlimit no_core = { 0, 0 };
  struct sigaction dfl;

  memset (&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset (&dfl.sa_mask);
  for (int signo = 1; signo < NSIG; signo++)
    {
      struct sigaction old;

      if (signo == SIGKILL || signo == SIGSTOP || sigaction (signo, NULL, &old) != 0)
        continue;
      if ((old.sa_flags & SA_SIGINFO) || (old.sa_handler != SIG_DFL && old.sa_handler != SIG_IGN))
        sigaction (signo, &dfl, NULL);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (always_default); i++)
    sigaction (always_default[i], &dfl, NULL);

  /* a core dump of a big shared mapping takes seconds and fills the disk */
  setrlimit (RLIMIT_CORE, &no_core);
}

static int probe_fd = -1;   /* set in the child only */

static void
probe_fault_handler (int        signo,
                     siginfo_t *info,
                     void      *context)
{
  ProbeMessage message = { MESSAGE_FAULT, signo, info->si_code, 0, (guint64) (guintptr) info->si_addr };
  struct sigaction dfl;

  (void) !write (probe_fd, &message, sizeof message);

  /* returning re-executes the access, which faults again and now kills the
   * child with the default action, so waitpid sees the signal */
  memset (&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset (&dfl.sa_mask);
  sigaction (signo, &dfl, NULL);
}

G_GNUC_NORETURN static void
probe_child (int             fd,
             volatile guint8 *address,
             gboolean         write_access,
             guint8           value)
{
  struct sigaction action;
  ProbeMessage message = { MESSAGE_VALUE, 0, 0, 0, 0 };
  sigset_t none;

  probe_fd = fd;
  ps_child_reset_signals ();

  memset (&action, 0, sizeof action);
  action.sa_sigaction = probe_fault_handler;
  action.sa_flags = SA_SIGINFO;
  sigemptyset (&action.sa_mask);
  sigaction (SIGBUS, &action, NULL);
  sigaction (SIGSEGV, &action, NULL);

  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);

  if (write_access)
    *address = value;
  else
    value = *address;

  message.value = value;
  (void) !write (fd, &message, sizeof message);
  _exit (0);
}

/* ---- the parent ---------------------------------------------------------- */

/* Waits for the child until the deadline (a pidfd says when it exits),
 * then SIGKILLs it; reaps it either way. Returns the wait status, or -1. */
static int
wait_child (pid_t     pid,
            gboolean *timed_out)
{
  int pidfd = pidfd_open (pid, 0);
  int status = 0;

  *timed_out = FALSE;
  if (pidfd >= 0)
    {
      gint64 deadline = g_get_monotonic_time () + PROBE_DEADLINE_MS * 1000;
      struct pollfd pfd = { pidfd, POLLIN, 0 };
      int rc;

      do
        rc = poll (&pfd, 1, MAX (0, (deadline - g_get_monotonic_time ()) / 1000));
      while (rc < 0 && errno == EINTR);
      if (rc == 0)
        {
          kill (pid, SIGKILL);
          *timed_out = TRUE;
        }
      close (pidfd);
    }
  /* without a pidfd (ENOSYS before Linux 5.3): wait without a deadline */

  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;   /* someone else reaped it (a waitpid(-1) elsewhere) */
  return status;
}

static void
read_messages (int            fd,
               PsProbeResult *r,
               guint8        *base,
               gboolean      *have_value)
{
  ProbeMessage message;

  while (read (fd, &message, sizeof message) == sizeof message)
    {
      if (message.kind == MESSAGE_FAULT)
        {
          r->have_fault = TRUE;
          r->si_code = message.code;
          r->fault_offset = message.addr - (guint64) (guintptr) base;
        }
      else if (message.kind == MESSAGE_VALUE)
        {
          *have_value = TRUE;
          r->value = (guint8) message.value;
        }
    }
}

void
ps_probe_classify (PsProbeResult *r,
                   int            status,
                   gboolean       have_value)
{
  r->outcome = PS_PROBE_OTHER;
  if (status == -1)
    return;
  if (WIFEXITED (status))
    {
      PsProbeOutcome expected = ps_probe_expected (&r->geometry, r->offset);

      r->exit_status = WEXITSTATUS (status);
      if (r->exit_status == 0 && have_value &&
          (expected == PS_PROBE_OK || expected == PS_PROBE_ZERO_TAIL))
        r->outcome = expected;
    }
  else if (WIFSIGNALED (status))
    {
      r->signo = WTERMSIG (status);
      if (r->signo == SIGBUS)
        r->outcome = PS_PROBE_SIGBUS;
      else if (r->signo == SIGSEGV)
        r->outcome = PS_PROBE_SIGSEGV;
    }
}

void
ps_probe_log_outcome (PsEventLog          *log,
                      const char          *call,
                      const PsProbeResult *r,
                      int                  status)
{
  g_autofree char *what = NULL;

  switch (r->outcome)
    {
    case PS_PROBE_OK:
    case PS_PROBE_ZERO_TAIL:
      what = g_strdup_printf ("%s (%s 0x%02x)", ps_probe_outcome_to_string (r->outcome),
                              r->write ? "wrote" : "read", r->value);
      break;

    case PS_PROBE_SIGBUS:
    case PS_PROBE_SIGSEGV:
      if (r->have_fault)
        {
          g_autofree char *code = ps_si_code_name (r->signo, r->si_code);
          what = g_strdup_printf ("%s (%s at +0x%" G_GINT64_MODIFIER "x)",
                                  ps_probe_outcome_to_string (r->outcome), code, r->fault_offset);
        }
      else
        what = g_strdup (ps_probe_outcome_to_string (r->outcome));
      break;

    case PS_PROBE_OTHER:
    default:
      {
        g_autofree char *how = status == -1 ? g_strdup ("not reaped here") : ps_wait_status_to_string (status);
        what = g_strdup_printf ("other (the child %s)", how);
      }
      break;
    }
  ps_event_log_add (log, r->outcome == PS_PROBE_OTHER, "%s = %s (%.2f ms)",
                    call, what, r->elapsed_us / 1000.0);
}

static gboolean
check_probe (PsSource   *source,
             const char *call,
             guint64     offset,
             gboolean    write,
             PsGeometry *geometry,
             GError    **error)
{
  PsEventLog *log = ps_source_get_log (source);
  g_autoptr(GError) local_error = NULL;
  guint64 limit;

  if (ps_source_is_closed (source))
    return ps_call_refuse (log, error, G_IO_ERROR_CLOSED, call, _("the source is closed"));
  if (!ps_source_check_own_mapping (source, call, error))
    return FALSE;
  if (!ps_source_restat (source, geometry, NULL, &local_error))
    return ps_call_refuse (log, error, local_error->code, call, "%s", local_error->message);

  limit = mapped_end (geometry) + geometry->page_size;
  if (offset >= limit)
    return ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                           _("offset 0x%" PRIx64 " lies beyond the guard page after the mapping "
                             "(the mapping is %" PRIu64 " bytes, its guard page ends at 0x%" PRIx64 "); "
                             "whatever lies there is not this mapping's"),
                           offset, geometry->length, limit);
  if (write && !ps_source_is_writable (source))
    return ps_call_refuse (log, error, G_IO_ERROR_READ_ONLY, call,
                           _("the mapping is read-only; reopen it writable (Writable in the open dialog, or --writable) to probe with a write"));
  return TRUE;
}

struct _PsProbeChild
{
  PsProbeResult  result;
  PsEventLog    *log;
  char          *call;
  guint8        *base;
  gint64         t0;
  int            fd;       /* the read end of the child's pipe */
};

PsProbeChild *
ps_probe_start (PsSource  *source,
                guint64    offset,
                gboolean   write,
                guint8     value,
                GError   **error)
{
  g_autofree char *call = NULL;
  PsProbeResult r = { 0 };
  PsEventLog *log;
  PsProbeChild *child;
  guint8 *base;
  gint64 t0;
  int fds[2];
  pid_t pid;

  g_return_val_if_fail (PS_IS_SOURCE (source), NULL);

  log = ps_source_get_log (source);
  call = g_strdup_printf ("probe(offset=0x%" G_GINT64_MODIFIER "x, %s)", offset, write ? "write" : "read");
  if (!check_probe (source, call, offset, write, &r.geometry, error))
    return NULL;

  r.offset = offset;
  r.write = write;
  r.value = write ? value : 0;
  r.kind = ps_source_get_kind (source);
  r.flags = ps_source_get_flags (source);
  base = ps_source_get_data (source);

  /* non-blocking: after waitpid the parent drains what is there and never waits */
  if (pipe2 (fds, O_CLOEXEC | O_NONBLOCK) != 0)
    {
      ps_call_fail (log, error, errno, "pipe2(O_CLOEXEC|O_NONBLOCK)");
      return NULL;
    }

  t0 = g_get_monotonic_time ();
  pid = ps_fork_blocked ();
  if (pid == 0)
    probe_child (fds[1], base + offset, write, value);
  if (pid < 0)
    {
      int errsv = errno;

      close (fds[0]);
      close (fds[1]);
      ps_call_fail (log, error, errsv, "fork()");
      return NULL;
    }
  close (fds[1]);
  ps_event_log_add (log, FALSE, "fork() = %d", (int) pid);

  child = g_new0 (PsProbeChild, 1);
  r.pid = pid;
  child->result = r;
  child->log = log != NULL ? g_object_ref (log) : NULL;
  child->call = g_steal_pointer (&call);
  child->base = base;
  child->t0 = t0;
  child->fd = fds[0];
  return child;
}

pid_t
ps_probe_child_get_pid (PsProbeChild *child)
{
  g_return_val_if_fail (child != NULL, 0);
  return child->result.pid;
}

void
ps_probe_child_finish (PsProbeChild  *child,
                       int            status,
                       gboolean       timed_out,
                       PsProbeResult *result)
{
  g_autofree char *how = NULL;
  PsProbeResult *r;
  gboolean have_value = FALSE;

  g_return_if_fail (child != NULL);

  r = &child->result;
  r->timed_out = timed_out;
  if (timed_out)
    ps_event_log_add (child->log, TRUE, "kill(%d, SIGKILL) = 0 (the probe did not finish within %d s)",
                      (int) r->pid, PROBE_DEADLINE_MS / 1000);
  read_messages (child->fd, r, child->base, &have_value);
  r->elapsed_us = g_get_monotonic_time () - child->t0;

  how = status == -1 ? NULL : ps_wait_status_to_string (status);
  if (how != NULL)
    ps_event_log_add (child->log, FALSE, "waitpid(%d) = %s", (int) r->pid, how);
  else
    ps_call_fail (child->log, NULL, ECHILD, "waitpid(%d)", (int) r->pid);

  ps_probe_classify (r, status, have_value);
  ps_probe_log_outcome (child->log, child->call, r, status);
  if (result != NULL)
    *result = *r;
}

void
ps_probe_child_free (PsProbeChild *child)
{
  if (child == NULL)
    return;
  close (child->fd);
  g_clear_object (&child->log);
  g_free (child->call);
  g_free (child);
}

gboolean
ps_probe_run (PsSource      *source,
              guint64        offset,
              gboolean       write,
              guint8         value,
              PsProbeResult *result,
              GError       **error)
{
  g_autoptr(PsProbeChild) child = NULL;
  gboolean timed_out;
  int status;

  g_return_val_if_fail (PS_IS_SOURCE (source), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  child = ps_probe_start (source, offset, write, value, error);
  if (child == NULL)
    return FALSE;
  status = wait_child (child->result.pid, &timed_out);
  ps_probe_child_finish (child, status, timed_out, result);
  return TRUE;
}

/* ---- explanation --------------------------------------------------------- */

static gboolean
is_file (const PsProbeResult *r)
{
  return r->kind == PS_SOURCE_FILE;
}

static char *
explain_ok (const PsProbeResult *r)
{
  const PsGeometry *g = &r->geometry;

  if (!r->write)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Offset 0x%" PRIx64 " lies inside the object (%" PRIu64 " byte of it is mapped here), "
                                         "so the kernel maps the object's own page: the child read 0x%02x.",
                                         "Offset 0x%" PRIx64 " lies inside the object (%" PRIu64 " bytes of it are mapped here), "
                                         "so the kernel maps the object's own page: the child read 0x%02x.",
                                         g->data_length),
                            r->offset, g->data_length, r->value);
  if (r->flags & PS_MAP_PRIVATE)
    return g_strdup_printf (_("Offset 0x%" PRIx64 " lies inside the object, and the mapping is MAP_PRIVATE: "
                              "the child wrote 0x%02x into its own copy of the page, so neither the object nor this view changed."),
                            r->offset, r->value);
  return g_strdup_printf (_("Offset 0x%" PRIx64 " lies inside the object and the mapping is shared: "
                            "the child wrote 0x%02x into the object's own page, so the object really changed."),
                          r->offset, r->value);
}

static char *
explain_zero_tail (const PsProbeResult *r)
{
  const PsGeometry *g = &r->geometry;
  g_autofree char *size = ps_format_bytes (g->object_size);
  g_autofree char *head = NULL;

  if (is_file (r))
    head = g_strdup_printf (_("Offset 0x%" PRIx64 " lies past the end of the file (%s) "
                              "but on its last page (EOF rounded up to a page is %" PRIu64 "), which the kernel maps whole."),
                            r->offset, size, g->offset + backed_end (g));
  else
    head = g_strdup_printf (_("Offset 0x%" PRIx64 " lies past the end of the segment (%s) "
                              "but on its last page (the end rounded up to a page is %" PRIu64 "), which the kernel maps whole."),
                            r->offset, size, g->offset + backed_end (g));

  if (r->write)
    return g_strdup_printf (_("%s The write of 0x%02x succeeded in memory but never becomes part of the object: "
                              "its size stays %" PRIu64 " bytes, and other processes see the byte only while the page stays cached."),
                            head, r->value, g->object_size);
  if (r->value == 0)
    return g_strdup_printf (_("%s The rest of that page reads as zeros."), head);
  return g_strdup_printf (_("%s It read 0x%02x, not 0: an earlier write past the end is still in the page cache "
                            "(it will never reach the object)."),
                          head, r->value);
}

static char *
explain_sigbus (const PsProbeResult *r)
{
  const PsGeometry *g = &r->geometry;
  g_autofree char *code = r->have_fault ? ps_si_code_name (SIGBUS, r->si_code) : g_strdup (_("no si_code reported"));

  if (is_file (r))
    return g_strdup_printf (_("The page lies wholly past the end of the file (EOF rounded up to a page is %" PRIu64 ") "
                              "but inside the mapping, so the kernel has no page to give: SIGBUS (%s)."),
                            g->offset + backed_end (g), code);
  return g_strdup_printf (_("The page lies wholly past the end of the segment (its end rounded up to a page is %" PRIu64 ") "
                            "but inside the mapping, so the kernel has no page to give: SIGBUS (%s)."),
                          g->offset + backed_end (g), code);
}

static char *
explain_sigsegv (const PsProbeResult *r)
{
  const PsGeometry *g = &r->geometry;
  g_autofree char *code = r->have_fault ? ps_si_code_name (SIGSEGV, r->si_code) : g_strdup (_("no si_code reported"));

  return g_strdup_printf (_("Offset 0x%" PRIx64 " lies past the end of the mapping (%" PRIu64 " pages), "
                            "on the PROT_NONE guard page kept right after it, so the kernel refuses the access: SIGSEGV (%s). "
                            "Without the guard page the address would be unmapped (SEGV_MAPERR) or another mapping's memory."),
                          r->offset, g->n_pages, code);
}

static char *
explain_other (const PsProbeResult *r)
{
  PsProbeOutcome expected = ps_probe_expected (&r->geometry, r->offset);

  if (r->signo == 0 && r->exit_status == 0 &&
      (expected == PS_PROBE_SIGBUS || expected == PS_PROBE_SIGSEGV))
    return g_strdup_printf (_("The child finished normally where a %s was expected: "
                              "the object probably changed size during the probe."),
                            ps_probe_outcome_to_string (expected));
  if (r->timed_out)
    return g_strdup_printf (_("The access did not finish within %d seconds (it blocked, perhaps on a network "
                              "file system), so the child was killed with SIGKILL."),
                            PROBE_DEADLINE_MS / 1000);
  if (r->signo != 0)
    {
      g_autofree char *name = ps_signal_name (r->signo);
      return g_strdup_printf (_("The child was killed by %s, not by SIGBUS or SIGSEGV: "
                                "something outside the probe ended it."),
                              name);
    }
  return g_strdup_printf (_("The child exited with status %d instead of finishing the access: "
                            "something outside the probe interfered."),
                          r->exit_status);
}

char *
ps_probe_explain (const PsProbeResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);

  switch (result->outcome)
    {
    case PS_PROBE_OK: return explain_ok (result);
    case PS_PROBE_ZERO_TAIL: return explain_zero_tail (result);
    case PS_PROBE_SIGBUS: return explain_sigbus (result);
    case PS_PROBE_SIGSEGV: return explain_sigsegv (result);
    case PS_PROBE_OTHER:
    default: return explain_other (result);
    }
}

/* ---- the action's argument ----------------------------------------------- */

gboolean
ps_probe_parse_arg (const char *text,
                    guint64    *offset,
                    gboolean   *write,
                    GError    **error)
{
  g_autofree char *copy = NULL;
  const char *mode = NULL;
  gboolean is_write = FALSE;
  char *words, *blank;
  guint64 value;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (offset != NULL && write != NULL, FALSE);

  copy = g_strdup (text);
  words = g_strstrip (copy);
  if ((blank = strpbrk (words, " \t")) != NULL)
    {
      *blank = '\0';
      for (mode = blank + 1; g_ascii_isspace (*mode); mode++)
        ;
    }
  if (*words == '\0' || (mode != NULL && strpbrk (mode, " \t") != NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("probe \"%s\": expected an offset and read or write, e.g. 0x1000 read"), text);
      return FALSE;
    }
  if (!ps_parse_offset (words, "probe offset", &value, error))
    return FALSE;
  if (mode != NULL)
    {
      if (g_ascii_strcasecmp (mode, "write") == 0)
        is_write = TRUE;
      else if (g_ascii_strcasecmp (mode, "read") != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("probe \"%s\": \"%s\" is neither read nor write"), text, mode);
          return FALSE;
        }
    }
  *offset = value;
  *write = is_write;
  return TRUE;
}
