/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-find.h"
#include "ps-source.h"

G_BEGIN_DECLS

/* Writes [offset, offset + length) of the mapping to a new file at path
 * (replacing one there), reading what the scanner may read: a page of
 * shared memory that is not allocated is never read and stays a hole of the
 * new file (sparse), and so do pages past EOF, which read as zeros. Any thread; cancellable between pages
 * runs of a few MiB (a cancelled export removes its file). Bytes written
 * (not counting holes) in *written. */
gboolean  ps_export_range (PsSource       *source,
                           guint64         offset,
                           guint64         length,
                           const char     *path,
                           guint64        *written,
                           GCancellable   *cancellable,
                           PsFindProgress  progress,
                           gpointer        user_data,
                           GError        **error);

G_END_DECLS
