/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <setjmp.h>

G_BEGIN_DECLS

/* Recovery from SIGBUS when a mapped object shrinks under us (KERNEL-FACTS:
 * thread-local sigjmp_buf, an "armed" flag, sigsetjmp with savemask 1).
 *
 *   if (sigsetjmp (*ps_guard_jmp_buf (), 1) != 0)
 *     { ...faulted: ps_guard_fault () says where... }
 *   ps_guard_arm ();
 *   ...touch the mapping...
 *   ps_guard_disarm ();
 *
 * A SIGBUS while not armed is not ours: the previous disposition runs. */

typedef struct
{
  int      signo;
  int      code;
  gpointer addr;
} PsFault;

void        ps_guard_install   (void);
sigjmp_buf *ps_guard_jmp_buf   (void);
void        ps_guard_arm       (void);
void        ps_guard_disarm    (void);
PsFault     ps_guard_fault     (void);

/* memcpy that survives SIGBUS; returns FALSE (and fills fault) if one hit. */
gboolean    ps_guard_copy      (void       *dst,
                                const void *src,
                                gsize       len,
                                PsFault    *fault);

G_END_DECLS
