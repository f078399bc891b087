/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the pieces of PsSource share: the instance struct and the helpers
 * that every opener uses (ps-source.c), opening per kind
 * (ps-source-open-*.c) and I/O (ps-source-io.c). Core only; the public API
 * is ps-source.h. */
#pragma once

#include <unistd.h>

#include "ps-process-view.h"
#include "ps-source.h"

G_BEGIN_DECLS

struct _PsSource
{
  GObject      parent_instance;

  PsSourceKind kind;
  PsMapFlags   flags;
  PsResidency  residency;
  gboolean     shmem;        /* holes must never be read */
  double       mincore_ns_per_page;   /* what residency queries cost, measured */
  double       seek_ns_per_page;
  guint        queries;
  gboolean     created;
  gboolean     delete_on_close;

  char        *path;         /* FILE */
  char        *name;         /* POSIX, with its leading '/' */
  key_t        key;          /* SYSV */
  int          shmid;
  int          fd;           /* FILE, POSIX; -1 otherwise */

  guint8      *reserve;      /* the mapping followed by one PROT_NONE guard page */
  gsize        reserve_len;
  guint8      *data;         /* == reserve while mapped, NULL once closed */
  PsGeometry   geometry;     /* as mapped */

  char        *display_name;
  PsEventLog  *log;

  int          pagemap_fd;   /* /proc/self/pagemap, opened on first use; -1 */
  pid_t        pid;          /* PROCESS */
  guint64      map_address;  /* PROCESS, named by an address (path NULL) */
  PsProcessView *view;       /* PROCESS: data is a mirror refreshed from it */
  GMutex       pread_lock;   /* PS_MAP_PREAD: one refresh of the mirror at a time */
};

static inline guint64
page_size (void)
{
  static guint64 size;

  if (size == 0)
    size = (guint64) sysconf (_SC_PAGESIZE);
  return size;
}

static inline guint64
round_up (guint64 value,
          guint64 to)
{
  return (value + to - 1) / to * to;
}

/* A source of kind with nothing open yet; the guard's handler installed. */
PsSource *ps_source_alloc         (PsSourceKind kind,
                                   PsMapFlags   flags,
                                   PsEventLog  *log);
/* Reserves the mapping's address range plus a PROT_NONE guard page after it. */
gboolean  ps_source_reserve_range (PsSource    *self,
                                   guint64      length,
                                   GError     **error);
void      ps_source_release_range (PsSource    *self);
/* An anonymous MAP_NORESERVE mirror of length bytes over a reserved range
 * (a page never written costs nothing): the data of a process view or of a
 * file read with pread. */
gboolean  ps_source_map_mirror    (PsSource    *self,
                                   guint64      length,
                                   GError     **error);
/* PS_MAP_PREAD: reads pages [first, first + n) of the file into the mirror. */
void      ps_source_pread_refresh (PsSource    *self,
                                   guint64      first,
                                   guint64      n);
/* Maps self->fd (a file or a POSIX segment) over the reserved range. */
gboolean  ps_source_map_fd        (PsSource    *self,
                                   const char  *what,
                                   guint64      offset,
                                   guint64      length,
                                   GError     **error);

G_END_DECLS
