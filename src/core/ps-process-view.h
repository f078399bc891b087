/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Another process's mapping, seen from outside through /proc/PID: which
 * mapping (/proc/PID/maps), which of its pages that process has present
 * (/proc/PID/pagemap), and their bytes (/proc/PID/mem, pread, never
 * ptrace-attach). Core only; PsSource of kind PS_SOURCE_PROCESS owns one and
 * keeps a local mirror of the bytes (ps-source-open-process.c).
 *
 * Never reads through /proc/PID/mem a page that process does not have
 * present: that would make the kernel fault it in for it, and allocate a
 * hole of shared memory (docs/KERNEL-FACTS.md). */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

#include "ps-event-log.h"

G_BEGIN_DECLS

/* One line of /proc/PID/maps. */
typedef struct
{
  guint64  start;        /* in that process */
  guint64  end;
  guint64  offset;       /* in the object */
  char     perms[5];     /* "rw-s", "r--p" */
  guint    dev_major;
  guint    dev_minor;
  guint64  inode;
  char    *path;         /* as the kernel names it ("/a (deleted)", "[heap]"); NULL: none */
} PsProcessMapping;

/* "7f0e3c000000-7f0e3c004000 rw-s 00000000 00:1a 1234   /dev/shm/x"; FALSE
 * for a line that is not one. */
gboolean  ps_process_mapping_parse   (const char       *line,
                                      PsProcessMapping *mapping);
void      ps_process_mapping_clear   (PsProcessMapping *mapping);
/* Does it map a character or block device (reading it would read the
 * device)? /dev/zero and /dev/shm are memory, not devices. Such a mapping is
 * refused. */
gboolean  ps_process_mapping_is_device (const PsProcessMapping *mapping);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsProcessMapping, ps_process_mapping_clear)

/* The text forms of the command line's --pid and --map (and of a spec's
 * pid:PID?map=…): a pid is a decimal number 1 .. 2^22; a mapping is an
 * address (0x hex) inside it, or the path of the object it maps. */
gboolean  ps_process_parse_pid       (const char  *text,
                                      const char  *what,
                                      pid_t       *pid,
                                      GError     **error);
/* "0x7f0e3c000000" sets *address (and *path NULL); anything else is a path
 * (a relative one is taken from the working directory of whoever opens it). */
gboolean  ps_process_parse_map       (const char  *text,
                                      const char  *what,
                                      char       **path,
                                      guint64     *address,
                                      GError     **error);

typedef struct _PsProcessView PsProcessView;

/* Opens pid's mapping of path (the one mapping naming it; refused with the
 * list when it maps it more than once) or, with path NULL, the one that
 * holds address. A process we have no ptrace read rights over is refused
 * with the rule that applies (same user or root; Yama). Logs each call. */
PsProcessView *ps_process_view_open      (pid_t          pid,
                                          const char    *path,
                                          guint64        address,
                                          PsEventLog    *log,
                                          GError       **error);
void           ps_process_view_free      (PsProcessView *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsProcessView, ps_process_view_free)

pid_t          ps_process_view_get_pid      (PsProcessView *view);
const char    *ps_process_view_get_command  (PsProcessView *view);   /* /proc/PID/comm */
const PsProcessMapping *ps_process_view_get_mapping (PsProcessView *view);
guint64        ps_process_view_get_page_size (PsProcessView *view);
guint64        ps_process_view_get_n_pages  (PsProcessView *view);

/* The object's size now: that of the file the mapping maps when it is a
 * regular file we can stat (by path or /proc/PID/map_files), else the end
 * of the mapping in the object. *removed: its last link is gone. */
guint64        ps_process_view_object_size  (PsProcessView *view,
                                             gboolean      *removed,
                                             gboolean      *known);

/* Still there? Re-reads /proc/PID/maps at most every few hundred ms: a
 * process that exited or a mapping that went away (munmap, or something
 * else at its address) makes the view gone for good; it keeps the last
 * bytes and page states. Thread-safe. */
gboolean       ps_process_view_check        (PsProcessView *view);
gboolean       ps_process_view_is_gone      (PsProcessView *view);
/* Why it is gone ("the process exited"), NULL while it is not. */
const char    *ps_process_view_gone_reason  (PsProcessView *view);

/* The pagemap entries of pages [first, first + n) of the mapping (bit 63
 * present, 62 swapped, 61 file page or shared memory); once gone, the last
 * ones read (frame numbers are dropped). Thread-safe. */
void           ps_process_view_read_pagemap (PsProcessView *view,
                                             guint64        first,
                                             guint64        n,
                                             guint64       *entries);

/* Brings mirror (the local copy of the whole mapping) up to date for pages
 * [first, first + n): each page that process has present is read through
 * /proc/PID/mem; a page it no longer has is dropped (MADV_DONTNEED, reads 0
 * again). Touches nothing once gone. Thread-safe. */
void           ps_process_view_refresh      (PsProcessView *view,
                                             guint8        *mirror,
                                             guint64        first,
                                             guint64        n);

/* /proc/PID/NAME (smaps, say) of that process, never of a later one with
 * its pid; NULL once gone or when it cannot be read. */
char          *ps_process_view_read_file    (PsProcessView *view,
                                             const char    *name);

/* The sentence a permission error ends with: who may read another
 * process's memory here (same user or root; with Yama's ptrace_scope, as
 * this machine has it). */
char          *ps_process_explain_permission (pid_t pid);

G_END_DECLS
