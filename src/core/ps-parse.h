/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* "4096", "0x1000", "64K", "1M", "2G", "1T" (K = 1024). what names the value in errors. */
gboolean ps_parse_size     (const char *text,
                            const char *what,
                            guint64    *out,
                            GError    **error);
/* A size that must not be zero (a length given is at least one byte; leaving
 * it out means "to the end"). */
gboolean ps_parse_length   (const char *text,
                            const char *what,
                            guint64    *out,
                            GError    **error);
/* A time: "500ms", "10s", "2m", "1h", or a bare number in units of unit_us;
 * more than 0, at most a year. */
gboolean ps_parse_duration (const char *text,
                            const char *what,
                            gint64      unit_us,
                            gint64     *out_us,
                            GError    **error);
/* Decimal or 0x hex, no suffix. */
gboolean ps_parse_offset   (const char *text,
                            const char *what,
                            guint64    *out,
                            GError    **error);
/* SysV key: decimal, 0x hex (may be negative as ipcs prints it), or PATH:ID for ftok(PATH, ID)
 * where ID is a number 1..255 or a single character. */
gboolean ps_parse_sysv_key (const char *text,
                            key_t      *out,
                            GError    **error);
gboolean ps_parse_shmid    (const char *text,
                            int        *out,
                            GError    **error);
/* Octal permission bits like 600 or 0644. */
gboolean ps_parse_mode     (const char *text,
                            guint      *out,
                            GError    **error);
/* Checks a POSIX shm name the way shm_open does; returns it with one leading '/'. */
char    *ps_posix_name_normalize (const char *name,
                                  GError    **error);

char    *ps_format_size    (guint64     bytes);
/* "1 byte", "100 bytes": the exact count, its plural form translated. */
char    *ps_format_bytes   (guint64     bytes);
/* An offset as the app shows it: hex, as the log has it, then decimal:
 * "0x2064 (8292)". */
char    *ps_format_offset  (guint64     offset);

/* A path or segment name as it may be shown: valid UTF-8 with no control
 * characters. Bytes that are not UTF-8 and control characters become \xHH
 * (\n, \t), a backslash \\, so a label, a title or a table row shows
 * exactly which bytes the name has. */
char    *ps_text_for_display (const char *text);

/* Untrusted text in a label, a title or a toast: Pango lays out the whole
 * text (a 16 KiB path froze the main loop for 10 s, 1 MiB for minutes), so
 * show at most this many characters. */
#define PS_DISPLAY_MAX_CHARS 256

/* ps_text_for_display in at most max_chars characters (at least 1): beyond,
 * the middle gives way to one "…" (U+2026), keeping the start and the end,
 * which tell paths apart; an escape such as \xff is never cut. */
char    *ps_text_for_display_bounded (const char *text,
                                      gsize       max_chars);

/* A message (an error, a log line, a toast) can quote a hostile name, and
 * wraps over several lines: at most this many characters of it are shown. */
#define PS_MESSAGE_MAX_CHARS 1024

/* Text already fit to show (a message, a display name: valid UTF-8) in at
 * most max_chars characters (at least 1), its middle given way to one "…";
 * text that is not valid UTF-8 goes through ps_text_for_display_bounded. */
char    *ps_text_shorten             (const char *text,
                                      gsize       max_chars);

G_END_DECLS
