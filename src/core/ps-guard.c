/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pagescope-guard"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "ps-guard.h"

static __thread sigjmp_buf guard_buf;
static __thread volatile sig_atomic_t guard_armed;
static __thread PsFault guard_fault;
static struct sigaction previous_action;

static void
sigbus_handler (int        signo,
                siginfo_t *info,
                void      *context)
{
  if (guard_armed)
    {
      guard_armed = 0;
      guard_fault.signo = signo;
      guard_fault.code = info->si_code;
      guard_fault.addr = info->si_addr;
      siglongjmp (guard_buf, 1);
    }

  /* Not ours: give the fault back to whoever had it (the default kills). */
  if ((previous_action.sa_flags & SA_SIGINFO) && previous_action.sa_sigaction != NULL)
    {
      previous_action.sa_sigaction (signo, info, context);
      return;
    }
  if (previous_action.sa_handler != SIG_IGN && previous_action.sa_handler != SIG_DFL)
    {
      previous_action.sa_handler (signo);
      return;
    }
  signal (signo, SIG_DFL);
  /* returning re-executes the faulting access, now with the default action */
}

void
ps_guard_install (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      struct sigaction action = { 0 };

      action.sa_sigaction = sigbus_handler;
      action.sa_flags = SA_SIGINFO;
      sigemptyset (&action.sa_mask);
      sigaction (SIGBUS, &action, &previous_action);
      g_once_init_leave (&once, 1);
    }
}

sigjmp_buf *
ps_guard_jmp_buf (void)
{
  return &guard_buf;
}

void
ps_guard_arm (void)
{
  guard_fault = (PsFault) { 0 };
  guard_armed = 1;
}

void
ps_guard_disarm (void)
{
  guard_armed = 0;
}

PsFault
ps_guard_fault (void)
{
  return guard_fault;
}

gboolean
ps_guard_copy (void       *dst,
               const void *src,
               gsize       len,
               PsFault    *fault)
{
  ps_guard_install ();

  if (sigsetjmp (guard_buf, 1) != 0)
    {
      if (fault != NULL)
        *fault = guard_fault;
      return FALSE;
    }
  ps_guard_arm ();
  memcpy (dst, src, len);
  ps_guard_disarm ();
  return TRUE;
}
