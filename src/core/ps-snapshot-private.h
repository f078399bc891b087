/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the snapshot's files share: its fields. Only ps-snapshot*.c include
 * this. */
#pragma once

#include "ps-snapshot.h"

G_BEGIN_DECLS

/* Where the old side of a page stands. */
typedef struct
{
  guint64  old_hash;
  guint64  cur_hash;
  guint8  *old;        /* frozen: the old bytes kept, [old_from, old_from + old_len) of the page */
  guint32  old_from;
  guint32  old_len;
  gboolean old_zero;   /* frozen: the page was all zeros */
} Entry;

/* What an entry costs besides its old bytes: itself, its key and its slot
 * in the table. */
#define ENTRY_COST (sizeof (Entry) + sizeof (guint64) + 4 * sizeof (gpointer))

struct _PsSnapshot
{
  GObject         parent_instance;

  PsSnapshotKind  kind;
  PsSession      *session;
  PsSource       *source;
  PsScanner      *scanner;
  GMainContext   *context;
  guint           pass_func;
  gulong          source_handler;
  gboolean        live;
  gint64          time_us;
  gsize           page_size;
  guint64         zero_hash;

  GMutex          lock;            /* what follows */
  GHashTable     *entries;         /* page (guint64 *) -> Entry */
  guint64         n_differ;
  gsize           kept;            /* old bytes kept */
  gint            notify_pending;  /* atomic */

  /* PS_SNAPSHOT_FILE */
  char           *file;
  int             fd;
  guint64        *file_hashes;     /* per page of the file */
  guint64         n_file_pages;
  gboolean        ready;           /* under lock: the comparison is done */
  GHashTable     *changed_during;  /* under lock: pages the scanner found changed while comparing */
};

G_END_DECLS
