/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Find: a pattern in the mapping, read in place (no copy), window by window,
 * each window's pages asked first whether they may be read, the way the
 * scanner asks (see docs/KERNEL-FACTS.md: reading shared memory can
 * allocate it). */
#define G_LOG_DOMAIN "pagescope-find"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#ifdef __x86_64__
#include <immintrin.h>
#endif

#include "ps-bytes.h"
#include "ps-find.h"
#include "ps-guard.h"

#define MAX_PATTERN  4096
#define WINDOW_BYTES ((guint64) 16 * 1024 * 1024)   /* between two looks at cancellable */

struct _PsFindPattern
{
  GBytes   *bytes;
  gboolean  ignore_case;
};

/* ---- patterns -------------------------------------------------------------- */

PsFindPattern *
ps_find_pattern_new (const guint8 *bytes,
                     gsize         len,
                     gboolean      ignore_case)
{
  PsFindPattern *pattern;

  g_return_val_if_fail (bytes != NULL && len > 0, NULL);

  pattern = g_new0 (PsFindPattern, 1);
  pattern->bytes = g_bytes_new (bytes, len);
  pattern->ignore_case = ignore_case;
  return pattern;
}

void
ps_find_pattern_free (PsFindPattern *pattern)
{
  if (pattern == NULL)
    return;
  g_bytes_unref (pattern->bytes);
  g_free (pattern);
}

const guint8 *
ps_find_pattern_get_bytes (const PsFindPattern *pattern,
                           gsize               *len)
{
  g_return_val_if_fail (pattern != NULL, NULL);
  return g_bytes_get_data (pattern->bytes, len);
}

gboolean
ps_find_pattern_ignores_case (const PsFindPattern *pattern)
{
  g_return_val_if_fail (pattern != NULL, FALSE);
  return pattern->ignore_case;
}

char *
ps_find_pattern_describe (const PsFindPattern *pattern)
{
  gsize len;
  const guint8 *data = ps_find_pattern_get_bytes (pattern, &len);
  g_autofree char *hex = ps_bytes_to_hex (data, len, 16);

  if (pattern->ignore_case)
    {
      g_autofree char *text = ps_bytes_to_escaped (data, len, 64);
      /* TRANSLATORS: a text pattern of find, e.g. "text "hello" (any case)" */
      return g_strdup_printf (_("text \"%s\" (any case)"), text);
    }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%zu byte: %s", "%zu bytes: %s", len), len, hex);
}

static PsFindPattern *
pattern_take (GBytes   *bytes,
              gboolean  ignore_case,
              GError  **error)
{
  PsFindPattern *pattern;

  if (g_bytes_get_size (bytes) == 0 || g_bytes_get_size (bytes) > MAX_PATTERN)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("find: a pattern holds 1 to %d bytes"), MAX_PATTERN);
      g_bytes_unref (bytes);
      return NULL;
    }
  pattern = g_new0 (PsFindPattern, 1);
  pattern->bytes = bytes;
  pattern->ignore_case = ignore_case;
  return pattern;
}

PsFindPattern *
ps_find_pattern_parse (const char  *text,
                       GError     **error)
{
  const char *colon;

  g_return_val_if_fail (text != NULL, NULL);

  if (g_str_has_prefix (text, "text:"))
    return pattern_take (g_bytes_new (text + 5, strlen (text + 5)), FALSE, error);
  if (g_str_has_prefix (text, "itext:"))
    return pattern_take (g_bytes_new (text + 6, strlen (text + 6)), TRUE, error);
  if (g_str_has_prefix (text, "hex:"))
    text += 4;
  else if ((colon = strchr (text, ':')) != NULL && text[0] != '"' && g_ascii_isalpha (text[0]))
    {
      g_autofree char *type = g_strndup (text, colon - text);
      PsValueFormat format;
      guint8 value[8];

      if (!ps_value_format_parse (type, &format, error) ||
          !ps_value_encode (&format, colon + 1, value, error))
        return NULL;
      return pattern_take (g_bytes_new (value, ps_value_size (format.type)), FALSE, error);
    }
  {
    GBytes *bytes = ps_bytes_parse (text, error);

    return bytes != NULL ? pattern_take (bytes, FALSE, error) : NULL;
  }
}

/* ---- matching ------------------------------------------------------------------ */

#ifdef __x86_64__
/* The same 32 positions at a time, where the CPU has AVX2 (chosen at run
 * time: the binary stays x86-64 baseline). */
__attribute__ ((target ("avx2")))
static const guint8 *
find_avx2 (const guint8 *hay,
           gsize         hay_len,
           const guint8 *needle,
           gsize         len)
{
  const __m256i first = _mm256_set1_epi8 ((char) needle[0]);
  const __m256i last = _mm256_set1_epi8 ((char) needle[len - 1]);
  gsize i = 0;

  for (; i + len - 1 + 32 <= hay_len; i += 32)
    {
      __m256i a = _mm256_loadu_si256 ((const __m256i *) (hay + i));
      __m256i b = _mm256_loadu_si256 ((const __m256i *) (hay + i + len - 1));
      guint mask = (guint) _mm256_movemask_epi8 (_mm256_and_si256 (_mm256_cmpeq_epi8 (a, first),
                                                                    _mm256_cmpeq_epi8 (b, last)));

      while (mask != 0)
        {
          guint bit = (guint) __builtin_ctz (mask);

          if (memcmp (hay + i + bit + 1, needle + 1, len - 2) == 0)
            return hay + i + bit;
          mask &= mask - 1;
        }
    }
  return i < hay_len ? memmem (hay + i, hay_len - i, needle, len) : NULL;
}

/* The first and the last byte of the needle, 16 positions at a time (the
 * "generic SIMD" substring search): only where both match is the rest
 * compared. memmem's two-way search runs at about a third of read speed
 * here; this at about read speed. */
static const guint8 *
find_sse2 (const guint8 *hay,
           gsize         hay_len,
           const guint8 *needle,
           gsize         len)
{
  const __m128i first = _mm_set1_epi8 ((char) needle[0]);
  const __m128i last = _mm_set1_epi8 ((char) needle[len - 1]);
  gsize i = 0;

  for (; i + len - 1 + 16 <= hay_len; i += 16)
    {
      __m128i a = _mm_loadu_si128 ((const __m128i *) (hay + i));
      __m128i b = _mm_loadu_si128 ((const __m128i *) (hay + i + len - 1));
      guint mask = (guint) _mm_movemask_epi8 (_mm_and_si128 (_mm_cmpeq_epi8 (a, first), _mm_cmpeq_epi8 (b, last)));

      while (mask != 0)
        {
          guint bit = (guint) __builtin_ctz (mask);

          if (memcmp (hay + i + bit + 1, needle + 1, len - 2) == 0)
            return hay + i + bit;
          mask &= mask - 1;
        }
    }
  /* the tail, fewer than 16 positions */
  return i < hay_len ? memmem (hay + i, hay_len - i, needle, len) : NULL;
}
#endif

static const guint8 *
find_bytes (const guint8 *hay,
            gsize         hay_len,
            const guint8 *needle,
            gsize         len,
            gboolean      ignore_case)
{
#ifdef __x86_64__
  if (!ignore_case && len >= 2)
    return __builtin_cpu_supports ("avx2") ? find_avx2 (hay, hay_len, needle, len)
                                           : find_sse2 (hay, hay_len, needle, len);
#endif
  if (!ignore_case)
    return memmem (hay, hay_len, needle, len);
  if (hay_len < len)
    return NULL;
  for (gsize i = 0; i + len <= hay_len; i++)
    if (g_ascii_tolower (hay[i]) == g_ascii_tolower (needle[0]) &&
        g_ascii_strncasecmp ((const char *) hay + i, (const char *) needle, len) == 0)
      return hay + i;
  return NULL;
}

typedef struct
{
  PsSource       *source;
  const guint8   *base;
  const guint8   *needle;
  gsize           len;
  gboolean        ignore_case;
  PsGeometry      geometry;
  gboolean        shmem;
  guint8         *vec;            /* residency of a window's pages */
  /* what to do with a match: TRUE to go on */
  gboolean      (*hit)          (guint64 offset, gpointer data);
  gpointer        hit_data;
} Scan;

/* The matches that start in [start, end) of the mapping, in order, whose
 * bytes all lie on pages that may be read. Armed against SIGBUS by the
 * caller. FALSE when hit said to stop. */
static gboolean
scan_window (Scan    *s,
             guint64  start,
             guint64  end,
             guint64  to)
{
  guint64 page = s->geometry.page_size;
  guint64 limit = MIN (to, MIN (end + s->len - 1, s->geometry.data_length));
  guint64 first, last;

  if (start >= limit)
    return TRUE;
  first = start / page;
  last = (limit - 1) / page;
  ps_source_refresh (s->source, first, last - first + 1);   /* a process view's mirror */
  if (!ps_source_query_residency (s->source, first, last - first + 1, s->vec, NULL))
    memset (s->vec, PS_RESIDENT_UNKNOWN, last - first + 1);

  for (guint64 p = first; p <= last;)
    {
      guint64 run_start, run_end;

      /* a run of pages that may be read: inside EOF, and for shared
       * memory allocated (a hole would be allocated by reading it) */
      if (s->shmem && s->vec[p - first] != PS_RESIDENT_YES)
        {
          p++;
          continue;
        }
      run_start = MAX (start, p * page);
      while (p <= last && (!s->shmem || s->vec[p - first] == PS_RESIDENT_YES))
        p++;
      run_end = MIN (limit, p * page);

      for (guint64 at = run_start; at < MIN (run_end, end);)
        {
          const guint8 *m = find_bytes (s->base + at, run_end - at, s->needle, s->len, s->ignore_case);
          guint64 offset;

          if (m == NULL)
            break;
          offset = m - s->base;
          if (offset >= end)
            break;
          if (!s->hit (offset, s->hit_data))
            return FALSE;
          at = offset + 1;
        }
    }
  return TRUE;
}

/* One window, armed against SIGBUS (the object shrinking under us). */
static __attribute__ ((noinline)) gboolean
guarded_window (Scan     *s,
                guint64   start,
                guint64   end,
                guint64   to,
                gboolean *faulted)
{
  gboolean go_on;

  *faulted = FALSE;
  if (sigsetjmp (*ps_guard_jmp_buf (), 1) != 0)
    {
      *faulted = TRUE;
      return FALSE;
    }
  ps_guard_arm ();
  go_on = scan_window (s, start, end, to);
  ps_guard_disarm ();
  return go_on;
}

/* Runs scan_window over [from, to), window by window; reports progress,
 * stops when cancelled. */
static gboolean
scan (Scan           *s,
      guint64         from,
      guint64         to,
      GCancellable   *cancellable,
      PsFindProgress  progress,
      gpointer        user_data,
      GError        **error)
{
  g_autofree guint8 *vec = NULL;

  if (!ps_source_restat (s->source, &s->geometry, NULL, error))
    return FALSE;
  to = MIN (to, s->geometry.length);
  vec = g_malloc (WINDOW_BYTES / s->geometry.page_size + 3);
  s->vec = vec;
  ps_guard_install ();

  for (guint64 cursor = from; cursor < to;)
    {
      guint64 end = MIN (to, cursor + WINDOW_BYTES);
      gboolean faulted;
      gboolean go_on;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      go_on = guarded_window (s, cursor, end, to, &faulted);
      if (faulted)
        {
          PsFault fault = ps_guard_fault ();

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("find: SIGBUS at %p: the object shrank while it was searched"), fault.addr);
          return FALSE;
        }
      if (progress != NULL)
        progress (end - from, to - from, user_data);
      if (!go_on)
        break;
      cursor = end;
    }
  return TRUE;
}

static Scan
scan_init (PsSource            *source,
           const PsFindPattern *pattern)
{
  Scan s = { 0 };

  s.source = source;
  s.base = ps_source_get_data (source);
  s.needle = g_bytes_get_data (pattern->bytes, &s.len);
  s.ignore_case = pattern->ignore_case;
  s.shmem = ps_source_is_shmem (source);
  return s;
}

static gboolean
check_open (PsSource  *source,
            GError   **error)
{
  if (ps_source_get_data (source) != NULL && !ps_source_is_closed (source))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("find: the source is closed"));
  return FALSE;
}

/* ---- next and all -------------------------------------------------------------- */

typedef struct
{
  gboolean backward;
  guint64  found;
} Next;

static gboolean
hit_next (guint64  offset,
          gpointer data)
{
  Next *n = data;

  n->found = offset;
  /* backward: the last in the window is wanted, so go on through it */
  return n->backward;
}

gboolean
ps_find_next (PsSource            *source,
              const PsFindPattern *pattern,
              guint64              from,
              guint64              to,
              gboolean             backward,
              guint64             *found,
              GCancellable        *cancellable,
              PsFindProgress       progress,
              gpointer             user_data,
              GError             **error)
{
  Next next = { backward, G_MAXUINT64 };
  Scan s;

  g_return_val_if_fail (PS_IS_SOURCE (source), FALSE);
  g_return_val_if_fail (pattern != NULL && found != NULL, FALSE);

  *found = G_MAXUINT64;
  if (!check_open (source, error))
    return FALSE;
  s = scan_init (source, pattern);
  s.hit = hit_next;
  s.hit_data = &next;
  if (!backward)
    {
      if (!scan (&s, from, to, cancellable, progress, user_data, error))
        return FALSE;
      *found = next.found;
      return TRUE;
    }
  /* backward: window by window from the end; the first window with a
   * match holds the last one */
  to = MIN (to, ps_source_get_geometry (source)->length);
  while (to > from)
    {
      guint64 start = to > WINDOW_BYTES ? MAX (from, to - WINDOW_BYTES) : from;

      if (!scan (&s, start, to, cancellable, NULL, NULL, error))
        return FALSE;
      if (next.found != G_MAXUINT64)
        break;
      if (progress != NULL)
        progress (s.geometry.length - start, s.geometry.length - from, user_data);
      to = start;
    }
  *found = next.found;
  return TRUE;
}

typedef struct
{
  GArray   *hits;
  guint     max;
  gboolean  truncated;
} All;

static gboolean
hit_all (guint64  offset,
         gpointer data)
{
  All *all = data;

  if (all->hits->len >= all->max)
    {
      all->truncated = TRUE;
      return FALSE;
    }
  g_array_append_val (all->hits, offset);
  return TRUE;
}

gboolean
ps_find_all (PsSource            *source,
             const PsFindPattern *pattern,
             guint64              from,
             guint64              to,
             guint                max_hits,
             GArray              *hits,
             gboolean            *truncated,
             GCancellable        *cancellable,
             PsFindProgress       progress,
             gpointer             user_data,
             GError             **error)
{
  All all = { hits, max_hits, FALSE };
  Scan s;

  g_return_val_if_fail (PS_IS_SOURCE (source), FALSE);
  g_return_val_if_fail (pattern != NULL && hits != NULL, FALSE);
  g_return_val_if_fail (g_array_get_element_size (hits) == sizeof (guint64), FALSE);

  if (!check_open (source, error))
    return FALSE;
  s = scan_init (source, pattern);
  s.hit = hit_all;
  s.hit_data = &all;
  if (!scan (&s, from, to, cancellable, progress, user_data, error))
    return FALSE;
  if (truncated != NULL)
    *truncated = all.truncated;
  return TRUE;
}
