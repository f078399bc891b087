/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How `pagescope --list` prints the segment lists of ps-segments: through
 * libsmartcols, as lsipc does, with lsipc's column names where a column
 * means the same thing. */

typedef enum
{
  PS_LIST_TABLE,  /* aligned columns, translated headings, a title per list */
  PS_LIST_RAW,    /* cells split by one space, unsafe bytes as \xHH, column names as headings */
  PS_LIST_JSON,   /* {"sysv": [...], "posix": [...]}: numbers as numbers, sizes in bytes */
} PsListFormat;

typedef struct
{
  PsListFormat  format;
  gboolean      noheadings;
  gboolean      bytes;      /* sizes in bytes rather than 4.0 KiB (JSON always has bytes) */
  const char   *columns;    /* --output: names separated by commas, any case; NULL for the defaults */
} PsListOptions;

/* Which lists the options print: a list is printed when it has every column
 * --output names. FALSE, with an error naming the column, for an unknown or
 * repeated column, or columns that no list has all of. */
gboolean  ps_list_options_check (const PsListOptions *options,
                                 gboolean            *sysv,
                                 gboolean            *posix,
                                 GError             **error);

/* The lists as text. sysv or posix may be NULL (left out), and a list that
 * lacks a column --output names is left out too. NULL with an error for
 * options that ps_list_options_check refuses. */
char     *ps_segments_output    (GPtrArray           *sysv,
                                 GPtrArray           *posix,
                                 const PsListOptions *options,
                                 GError             **error);

/* What `pagescope --list` prints: the lists the options ask for, their
 * mappers found, formatted. NULL with an error: G_IO_ERROR_INVALID_ARGUMENT
 * for options that ps_list_options_check refuses. */
char     *ps_segments_list_output (const PsListOptions *options,
                                   GError             **error);

/* "KEY, ID, ..." : the columns of the SysV or the POSIX list. */
char     *ps_list_column_names  (gboolean             sysv);

G_END_DECLS
