/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "ps-source.h"
#include "ps-value.h"

G_BEGIN_DECLS

/* "NAME:TYPE@OFFSET", e.g. "count:u64@0x40", "temp:f32be@4096". NAME is
 * 1 to 64 characters, letters, digits, '_', '-' and '.'; TYPE as
 * ps_value_format_parse reads it; OFFSET decimal or 0x hex. */
typedef struct
{
  char          *name;
  guint64        offset;
  PsValueFormat  format;
} PsWatchSpec;

gboolean  ps_watch_spec_parse     (const char        *text,
                                   PsWatchSpec       *spec,
                                   GError           **error);
char     *ps_watch_spec_to_string (const PsWatchSpec *spec);
void      ps_watch_spec_clear     (PsWatchSpec       *spec);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsWatchSpec, ps_watch_spec_clear)

#define PS_WATCH_HISTORY_S 60   /* the sparkline: the last minute */

typedef struct
{
  gint64 time_us;   /* monotonic */
  double value;
} PsWatchSample;

#define PS_TYPE_WATCH (ps_watch_get_type ())
G_DECLARE_FINAL_TYPE (PsWatch, ps_watch, PS, WATCH, GObject)

/* A typed value at an offset, followed: its value now and before, how many
 * times it changed and when last, and its values over the last minute.
 * "changed" (old, new: strings) is emitted when a read finds it changed;
 * the properties "value", "previous", "changes" notify then too. */
PsWatch     *ps_watch_new              (const PsWatchSpec *spec);
const PsWatchSpec *ps_watch_get_spec   (PsWatch           *self);
const char  *ps_watch_get_name         (PsWatch           *self);
/* NULL until read; "?" while its page cannot be read (not allocated: shown
 * as its zero value, never read). */
const char  *ps_watch_get_value        (PsWatch           *self);
const char  *ps_watch_get_previous     (PsWatch           *self);
guint64      ps_watch_get_changes      (PsWatch           *self);
gint64       ps_watch_get_last_change  (PsWatch           *self);   /* monotonic µs, 0: never */
/* The samples of the last minute, oldest first (numbers only). */
const PsWatchSample *ps_watch_get_history (PsWatch        *self,
                                           guint          *n_samples);
/* Reads the value from the source (never a hole: one that reads as zeros
 * is taken as zero without reading), at time now_us; TRUE if it changed. */
gboolean     ps_watch_update           (PsWatch           *self,
                                        PsSource          *source,
                                        gint64             now_us);
/* The bytes of the value as last read (ps_value_size of its type), or NULL. */
const guint8 *ps_watch_get_bytes       (PsWatch           *self);

G_END_DECLS
