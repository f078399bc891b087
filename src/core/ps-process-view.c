/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Another process's mapping through /proc/PID: maps, pagemap, mem. See
 * ps-process-view.h, and docs/KERNEL-FACTS.md ("Another process's view"). */
#define G_LOG_DOMAIN "pagescope-process"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-process-view.h"

#define PID_MAX            4194304                /* PID_MAX_LIMIT on 64-bit */
#define CHECK_INTERVAL_US  (250 * 1000)           /* how often maps is read again */
#define PAGEMAP_CHUNK      512                    /* entries read at a time */
#define PM_PRESENT         (G_GUINT64_CONSTANT (1) << 63)
#define PM_SWAPPED         (G_GUINT64_CONSTANT (1) << 62)
#define PM_FILE            (G_GUINT64_CONSTANT (1) << 61)

/* What is known of a page, a byte each: its last pagemap bits, and whether
 * the mirror holds bytes read for it. */
enum
{
  KNOWN_PRESENT  = 1 << 0,
  KNOWN_SWAPPED  = 1 << 1,
  KNOWN_FILE     = 1 << 2,
  KNOWN_MIRRORED = 1 << 3,
};

struct _PsProcessView
{
  pid_t             pid;
  char             *command;
  PsProcessMapping  mapping;
  guint64           page_size;
  guint64           n_pages;
  int               dir_fd;       /* /proc/PID, O_PATH: pins that process, never a later one with its pid */
  int               pagemap_fd;
  int               mem_fd;
  int               object_fd;    /* O_PATH of the object mapped, -1 if it cannot be reached */
  PsEventLog       *log;

  GMutex            lock;         /* guards what follows */
  guint8           *known;        /* n_pages */
  gint64            checked_us;
  gint              gone;         /* atomic */
  const char       *gone_reason;  /* static, set once with gone */
};

/* ---- /proc/PID/maps --------------------------------------------------------- */

gboolean
ps_process_mapping_parse (const char       *line,
                          PsProcessMapping *mapping)
{
  unsigned long long start, end, offset, inode;
  unsigned int major, minor;
  char perms[5];
  int name_at = -1;
  g_autofree char *first = NULL;

  g_return_val_if_fail (line != NULL && mapping != NULL, FALSE);

  memset (mapping, 0, sizeof *mapping);
  /* one line: sscanf's spaces would skip a newline and take the next line's
   * fields, or its text as the path */
  if (line[strcspn (line, "\n")] != '\0')
    line = first = g_strndup (line, strcspn (line, "\n"));
  if (sscanf (line, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end, perms, &offset,
              &major, &minor, &inode, &name_at) < 7 || name_at < 0)
    return FALSE;
  if (start >= end || strlen (perms) != 4)
    return FALSE;
  mapping->start = start;
  mapping->end = end;
  mapping->offset = offset;
  memcpy (mapping->perms, perms, sizeof perms);
  mapping->dev_major = major;
  mapping->dev_minor = minor;
  mapping->inode = inode;
  if (line[name_at] != '\0')
    mapping->path = g_strdup (line + name_at);
  return TRUE;
}

void
ps_process_mapping_clear (PsProcessMapping *mapping)
{
  g_clear_pointer (&mapping->path, g_free);
}

/* ---- the text forms ------------------------------------------------------------- */

gboolean
ps_process_parse_pid (const char  *text,
                      const char  *what,
                      pid_t       *pid,
                      GError     **error)
{
  guint64 value;

  g_return_val_if_fail (text != NULL && pid != NULL, FALSE);

  /* digits only: g_ascii_string_to_unsigned lets strtoull skip a leading
   * vertical tab ("\v2" was pid 2) */
  if (!g_ascii_isdigit (text[0]) || !g_ascii_string_to_unsigned (text, 10, 1, PID_MAX, &value, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s \"%s\": expected a process id, a decimal number from 1 to %d"), what, text, PID_MAX);
      return FALSE;
    }
  *pid = (pid_t) value;
  return TRUE;
}

gboolean
ps_process_parse_map (const char  *text,
                      const char  *what,
                      char       **path,
                      guint64     *address,
                      GError     **error)
{
  g_return_val_if_fail (text != NULL && path != NULL && address != NULL, FALSE);

  *path = NULL;
  *address = 0;
  if (*text == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s is empty: give the path of the object that process maps, or an address (0x hex) inside its mapping"), what);
      return FALSE;
    }
  if (g_ascii_strncasecmp (text, "0x", 2) == 0)
    {
      if (!g_ascii_isxdigit (text[2]) || !g_ascii_string_to_unsigned (text + 2, 16, 1, G_MAXUINT64, address, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("%s \"%s\": expected an address in 0x hex (as /proc/PID/maps shows, e.g. 0x7f0e3c000000)"), what, text);
          return FALSE;
        }
      return TRUE;
    }
  *path = g_strdup (text);
  return TRUE;
}

/* ---- reading /proc ----------------------------------------------------------------- */

static char *
read_all (int fd)
{
  GString *text = g_string_new (NULL);
  char buf[8192];

  for (;;)
    {
      ssize_t n = read (fd, buf, sizeof buf);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          g_string_free (text, TRUE);
          errno = errsv;
          return NULL;
        }
      if (n == 0)
        break;
      g_string_append_len (text, buf, n);
    }
  return g_string_free (text, FALSE);
}

/* /proc/PID/NAME through the pinned directory; NULL with errno set. */
static char *
read_proc (PsProcessView *view,
           const char    *name)
{
  int fd = openat (view->dir_fd, name, O_RDONLY | O_CLOEXEC);
  char *text;
  int errsv;

  if (fd < 0)
    return NULL;
  text = read_all (fd);
  errsv = errno;
  close (fd);
  errno = errsv;
  return text;
}

char *
ps_process_explain_permission (pid_t pid)
{
  g_autofree char *scope_text = NULL;
  const char *yama;
  gint64 scope = -1;

  if (g_file_get_contents ("/proc/sys/kernel/yama/ptrace_scope", &scope_text, NULL, NULL))
    scope = g_ascii_strtoll (scope_text, NULL, 10);
  switch (scope)
    {
    case -1: yama = _("this kernel has no Yama, so that is all"); break;
    case 0:  yama = _("Yama's ptrace_scope is 0 here, so that is all"); break;
    case 1:  yama = _("Yama's ptrace_scope is 1 here: only a process this one started (a descendant), or root"); break;
    case 2:  yama = _("Yama's ptrace_scope is 2 here: only root (CAP_SYS_PTRACE)"); break;
    default: yama = _("Yama's ptrace_scope is 3 here: no process may, not even root"); break;
    }
  return g_strdup_printf (_("reading pid %d's memory needs ptrace read rights over it: the same user "
                            "(and a process that has not made itself undumpable, as setuid programs do), or root. "
                            "Where Yama's ptrace_scope is 1 (Ubuntu's default) only descendants may, or CAP_SYS_PTRACE; "
                            "%s. Pagescope never attaches with ptrace"),
                          (int) pid, yama);
}

/* Opens /proc/PID/NAME, logged; a permission error says who may. */
static int
open_proc (PsProcessView *view,
           const char    *name,
           GError       **error)
{
  int fd = openat (view->dir_fd, name, O_RDONLY | O_CLOEXEC);
  int errsv = errno;

  if (fd >= 0)
    {
      ps_event_log_add (view->log, FALSE, "open(\"/proc/%d/%s\", O_RDONLY) = %d", (int) view->pid, name, fd);
      return fd;
    }
  ps_call_fail (view->log, error, errsv, "open(\"/proc/%d/%s\", O_RDONLY)", (int) view->pid, name);
  if (errsv == EACCES || errsv == EPERM)
    {
      g_autofree char *why = ps_process_explain_permission (view->pid);

      ps_event_log_add (view->log, TRUE, "note: %s", why);
      if (error != NULL && *error != NULL)
        {
          char *message = g_strdup_printf ("%s: %s", (*error)->message, why);
          g_free ((*error)->message);
          (*error)->message = message;
        }
    }
  else if (errsv == ESRCH || errsv == ENOENT)
    g_prefix_error (error, _("pid %d has exited: "), (int) view->pid);
  return -1;
}

/* ---- finding the mapping ----------------------------------------------------------- */

/* The name /proc/PID/maps gives the object at path, unlinked or not. */
static gboolean
names (const char *shown,
       const char *path)
{
  gsize len = strlen (path);

  return shown != NULL && strncmp (shown, path, len) == 0 &&
         (shown[len] == '\0' || strcmp (shown + len, " (deleted)") == 0);
}

static char *
describe_mapping (const PsProcessMapping *m)
{
  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x %s offset 0x%" G_GINT64_MODIFIER "x",
                          m->start, m->end, m->perms, m->offset);
}

/* The process's mappings of files, for an error naming what it does map:
 * data files first, shared libraries after them. */
static char *
list_paths (GArray *all)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  GString *list = g_string_new (NULL);

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < all->len && seen->len <= 16; i++)
      {
        const char *path = g_array_index (all, PsProcessMapping, i).path;

        if (path == NULL || path[0] != '/' || (strstr (path, ".so") != NULL) != (pass == 1) ||
            g_ptr_array_find_with_equal_func (seen, path, g_str_equal, NULL))
          continue;
        g_ptr_array_add (seen, (gpointer) path);
        if (seen->len > 16)
          g_string_append (list, ", …");
        else
          g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", path);
      }
  if (list->len == 0)
    g_string_append (list, _("none"));
  return g_string_free (list, FALSE);
}

/* A mapping of a character or block device (a frame buffer, PCI memory):
 * reading it through /proc/PID/mem reads the device, which may act on a
 * read. /dev/zero and /dev/shm are memory. */
gboolean
ps_process_mapping_is_device (const PsProcessMapping *m)
{
  struct stat st;

  if (m->path == NULL || !g_str_has_prefix (m->path, "/dev/") ||
      g_str_has_prefix (m->path, "/dev/shm/") || g_str_has_prefix (m->path, "/dev/zero"))
    return FALSE;
  return stat (m->path, &st) != 0 || S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode);
}

static gboolean
choose_mapping (PsProcessView *view,
                const char    *maps,
                const char    *path,
                guint64        address,
                GError       **error)
{
  g_autoptr(GArray) all = g_array_new (FALSE, TRUE, sizeof (PsProcessMapping));
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) lines = g_strsplit (maps, "\n", -1);
  g_autofree char *real = NULL;
  g_autofree char *call = NULL;

  g_array_set_clear_func (all, (GDestroyNotify) ps_process_mapping_clear);
  /* the kernel names a file by its canonical path: follow symbolic links */
  if (path != NULL)
    real = realpath (path, NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      PsProcessMapping m;

      if (!ps_process_mapping_parse (lines[i], &m))
        continue;
      g_array_append_val (all, m);
      if (path != NULL ? names (m.path, path) || (real != NULL && names (m.path, real))
                       : (address >= m.start && address < m.end))
        {
          guint index = all->len - 1;
          g_array_append_val (hits, index);
        }
    }

  call = path != NULL ? g_strdup_printf ("/proc/%d/maps: \"%s\"", (int) view->pid, path)
                      : g_strdup_printf ("/proc/%d/maps: 0x%" G_GINT64_MODIFIER "x", (int) view->pid, address);
  if (hits->len == 0 && path != NULL)
    {
      g_autofree char *list = list_paths (all);
      return ps_call_refuse (view->log, error, G_IO_ERROR_NOT_FOUND, call,
                             _("pid %d (%s) maps nothing by that name; the files it maps: %s"),
                             (int) view->pid, view->command, list);
    }
  if (hits->len == 0)
    return ps_call_refuse (view->log, error, G_IO_ERROR_NOT_FOUND, call,
                           _("no mapping of pid %d (%s) holds that address"), (int) view->pid, view->command);
  if (hits->len > 1)
    {
      GString *list = g_string_new (NULL);
      g_autofree char *text = NULL;

      for (guint i = 0; i < hits->len; i++)
        {
          g_autofree char *one = describe_mapping (&g_array_index (all, PsProcessMapping, g_array_index (hits, guint, i)));
          g_string_append_printf (list, "%s%s", i > 0 ? "; " : "", one);
        }
      text = g_string_free (list, FALSE);
      return ps_call_refuse (view->log, error, G_IO_ERROR_INVALID_ARGUMENT, call,
                             _("pid %d maps it %u times (%s): name one by an address inside it (--map 0x…, map=0x…)"),
                             (int) view->pid, hits->len, text);
    }
  view->mapping = g_array_index (all, PsProcessMapping, g_array_index (hits, guint, 0));
  g_array_index (all, PsProcessMapping, g_array_index (hits, guint, 0)).path = NULL;   /* moved */
  if (ps_process_mapping_is_device (&view->mapping))
    return ps_call_refuse (view->log, error, G_IO_ERROR_NOT_SUPPORTED, call,
                           _("it maps a device (%s): reading a device's memory can act on the device, so it is not shown"),
                           view->mapping.path);
  return TRUE;
}

/* The object behind the mapping, to stat it: by its path when that is still
 * the same inode, else through /proc/PID/map_files (root only). */
static void
open_object (PsProcessView *view)
{
  const PsProcessMapping *m = &view->mapping;
  g_autofree char *path = NULL;
  g_autofree char *entry = NULL;
  struct stat st;
  int fd;

  if (m->inode == 0)
    return;   /* anonymous: nothing to stat */
  if (m->path != NULL && m->path[0] == '/')
    path = g_str_has_suffix (m->path, " (deleted)") ? g_strndup (m->path, strlen (m->path) - strlen (" (deleted)"))
                                                     : g_strdup (m->path);
  entry = g_strdup_printf ("map_files/%" G_GINT64_MODIFIER "x-%" G_GINT64_MODIFIER "x", m->start, m->end);
  for (int attempt = 0; attempt < 2; attempt++)
    {
      fd = attempt == 0 ? (path != NULL ? open (path, O_PATH | O_CLOEXEC) : -1)
                        : openat (view->dir_fd, entry, O_PATH | O_CLOEXEC);
      if (fd < 0)
        continue;
      if (fstat (fd, &st) == 0 && st.st_ino == m->inode && major (st.st_dev) == m->dev_major &&
          minor (st.st_dev) == m->dev_minor && S_ISREG (st.st_mode))
        {
          if (attempt == 0)
            ps_event_log_add (view->log, FALSE, "open(\"%s\", O_PATH) = %d (the object, to stat it)", path, fd);
          else
            ps_event_log_add (view->log, FALSE, "open(\"/proc/%d/%s\", O_PATH) = %d (the object, to stat it)",
                              (int) view->pid, entry, fd);
          view->object_fd = fd;
          return;
        }
      close (fd);
    }
}

/* ---- open, free, accessors ------------------------------------------------------------ */

PsProcessView *
ps_process_view_open (pid_t        pid,
                      const char  *path,
                      guint64      address,
                      PsEventLog  *log,
                      GError     **error)
{
  g_autoptr(PsProcessView) view = g_new0 (PsProcessView, 1);
  g_autofree char *dir = g_strdup_printf ("/proc/%d", (int) pid);
  g_autofree char *maps = NULL;
  g_autofree char *comm = NULL;
  int fd;

  view->pid = pid;
  view->dir_fd = view->pagemap_fd = view->mem_fd = view->object_fd = -1;
  view->log = log != NULL ? g_object_ref (log) : NULL;
  view->page_size = (guint64) sysconf (_SC_PAGESIZE);
  g_mutex_init (&view->lock);

  view->dir_fd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (view->dir_fd < 0)
    {
      int errsv = errno;

      ps_call_fail (log, error, errsv, "open(\"%s\", O_PATH|O_DIRECTORY)", dir);
      if (errsv == ENOENT)
        g_prefix_error (error, _("no process has pid %d: "), (int) pid);
      return NULL;
    }
  ps_event_log_add (log, FALSE, "open(\"%s\", O_PATH|O_DIRECTORY) = %d", dir, view->dir_fd);
  comm = read_proc (view, "comm");
  view->command = comm != NULL ? g_strstrip (g_steal_pointer (&comm)) : g_strdup ("?");

  if ((fd = open_proc (view, "maps", error)) < 0)
    return NULL;
  maps = read_all (fd);
  if (maps == NULL)
    {
      ps_call_fail (log, error, errno, "read(\"/proc/%d/maps\")", (int) pid);
      close (fd);
      return NULL;
    }
  close (fd);
  if (!choose_mapping (view, maps, path, address, error))
    return NULL;
  {
    g_autofree char *shown = describe_mapping (&view->mapping);
    ps_event_log_add (log, FALSE, "/proc/%d/maps: %s %s", (int) pid, shown,
                      view->mapping.path != NULL ? view->mapping.path : "(anonymous)");
  }
  if (view->mapping.end - view->mapping.start > G_MAXSIZE / 2)
    {
      g_autofree char *call = g_strdup_printf ("/proc/%d/maps", (int) pid);
      ps_call_refuse (log, error, G_IO_ERROR_INVALID_ARGUMENT, call, _("the mapping is too large to mirror"));
      return NULL;
    }
  view->n_pages = (view->mapping.end - view->mapping.start) / view->page_size;
  view->known = g_malloc0 (MAX (view->n_pages, 1));

  if ((view->pagemap_fd = open_proc (view, "pagemap", error)) < 0 ||
      (view->mem_fd = open_proc (view, "mem", error)) < 0)
    return NULL;
  open_object (view);
  view->checked_us = g_get_monotonic_time ();
  return g_steal_pointer (&view);
}

void
ps_process_view_free (PsProcessView *view)
{
  const int *fds[] = { &view->dir_fd, &view->pagemap_fd, &view->mem_fd, &view->object_fd };

  if (view == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    if (*fds[i] >= 0)
      {
        close (*fds[i]);
        ps_event_log_add (view->log, FALSE, "close(%d) = 0", *fds[i]);
      }
  ps_process_mapping_clear (&view->mapping);
  g_free (view->command);
  g_free (view->known);
  g_mutex_clear (&view->lock);
  g_clear_object (&view->log);
  g_free (view);
}

pid_t
ps_process_view_get_pid (PsProcessView *view)
{
  return view->pid;
}

const char *
ps_process_view_get_command (PsProcessView *view)
{
  return view->command;
}

const PsProcessMapping *
ps_process_view_get_mapping (PsProcessView *view)
{
  return &view->mapping;
}

guint64
ps_process_view_get_page_size (PsProcessView *view)
{
  return view->page_size;
}

guint64
ps_process_view_get_n_pages (PsProcessView *view)
{
  return view->n_pages;
}

guint64
ps_process_view_object_size (PsProcessView *view,
                             gboolean      *removed,
                             gboolean      *known)
{
  struct stat st;

  if (removed != NULL)
    *removed = FALSE;
  if (view->object_fd >= 0 && fstat (view->object_fd, &st) == 0)
    {
      if (removed != NULL)
        *removed = st.st_nlink == 0;
      if (known != NULL)
        *known = TRUE;
      return (guint64) st.st_size;
    }
  if (known != NULL)
    *known = FALSE;
  return view->mapping.offset + (view->mapping.end - view->mapping.start);
}

/* ---- gone ------------------------------------------------------------------------- */

/* Called with the lock held. */
static void
mark_gone (PsProcessView *view,
           const char    *reason)
{
  if (g_atomic_int_get (&view->gone))
    return;
  view->gone_reason = reason;
  g_atomic_int_set (&view->gone, TRUE);
  ps_event_log_add (view->log, FALSE, "pid %d: %s; the view keeps the last bytes it read", (int) view->pid, reason);
}

gboolean
ps_process_view_is_gone (PsProcessView *view)
{
  return g_atomic_int_get (&view->gone);
}

const char *
ps_process_view_gone_reason (PsProcessView *view)
{
  return g_atomic_int_get (&view->gone) ? view->gone_reason : NULL;
}

/* Is the mapping in maps still the one we opened? */
static gboolean
still_mapped (PsProcessView *view,
              const char    *maps)
{
  g_autofree char *start = g_strdup_printf ("%" G_GINT64_MODIFIER "x-", view->mapping.start);

  for (const char *line = maps; line != NULL && *line != '\0'; line = strchr (line, '\n'), line = line ? line + 1 : NULL)
    {
      g_auto(PsProcessMapping) m = { 0 };

      if (strncmp (line, start, strlen (start)) != 0 || !ps_process_mapping_parse (line, &m))
        continue;
      return m.end == view->mapping.end && m.offset == view->mapping.offset && m.inode == view->mapping.inode &&
             m.dev_major == view->mapping.dev_major && m.dev_minor == view->mapping.dev_minor;
    }
  return FALSE;
}

/* With the lock held; force: whatever the time since the last look. */
static void
check_locked (PsProcessView *view,
              gboolean       force)
{
  g_autofree char *maps = NULL;
  gint64 now = g_get_monotonic_time ();

  if (ps_process_view_is_gone (view) || (!force && now - view->checked_us < CHECK_INTERVAL_US))
    return;
  view->checked_us = now;
  maps = read_proc (view, "maps");
  /* an exited process: no /proc entry (ESRCH), or a zombie's empty maps */
  if (maps == NULL || *maps == '\0')
    mark_gone (view, N_("the process exited"));
  else if (!still_mapped (view, maps))
    mark_gone (view, N_("the mapping went away (unmapped, or replaced by another)"));
}

gboolean
ps_process_view_check (PsProcessView *view)
{
  g_mutex_lock (&view->lock);
  check_locked (view, FALSE);
  g_mutex_unlock (&view->lock);
  return !ps_process_view_is_gone (view);
}

/* ---- pagemap and mem ---------------------------------------------------------------- */

static guint64
entry_from_known (guint8 known)
{
  return ((known & KNOWN_PRESENT) ? PM_PRESENT : 0) | ((known & KNOWN_SWAPPED) ? PM_SWAPPED : 0) |
         ((known & KNOWN_FILE) ? PM_FILE : 0);
}

/* Reads n <= PAGEMAP_CHUNK entries from first, with the lock held. */
static void
read_entries_locked (PsProcessView *view,
                     guint64        first,
                     guint64        n,
                     guint64       *entries)
{
  guint64 vpage = view->mapping.start / view->page_size + first;
  ssize_t got = 0;

  if (!ps_process_view_is_gone (view))
    {
      do
        got = pread (view->pagemap_fd, entries, n * sizeof (guint64), (off_t) (vpage * sizeof (guint64)));
      while (got < 0 && errno == EINTR);
      /* the process's memory is gone: it exited (a zombie, or reaped) */
      if (got == 0)
        mark_gone (view, N_("the process exited"));
      got = MAX (got, 0) / (ssize_t) sizeof (guint64);
      /* pages of an unmapped range read as not present: before taking a
       * page away, make sure the mapping is still there (else the view
       * keeps what it had) */
      for (gssize i = 0; i < got; i++)
        if ((view->known[first + i] & KNOWN_PRESENT) && !(entries[i] & PM_PRESENT))
          {
            check_locked (view, TRUE);
            if (ps_process_view_is_gone (view))
              got = 0;
            break;
          }
    }
  for (guint64 i = 0; i < n; i++)
    {
      guint8 *k = &view->known[first + i];

      if ((guint64) got > i)
        *k = (*k & KNOWN_MIRRORED) | ((entries[i] & PM_PRESENT) ? KNOWN_PRESENT : 0) |
             ((entries[i] & PM_SWAPPED) ? KNOWN_SWAPPED : 0) | ((entries[i] & PM_FILE) ? KNOWN_FILE : 0);
      entries[i] = entry_from_known (*k);
    }
}

void
ps_process_view_read_pagemap (PsProcessView *view,
                              guint64        first,
                              guint64        n,
                              guint64       *entries)
{
  g_return_if_fail (first + n <= view->n_pages);

  g_mutex_lock (&view->lock);
  for (guint64 done = 0; done < n; done += PAGEMAP_CHUNK)
    read_entries_locked (view, first + done, MIN (PAGEMAP_CHUNK, n - done), entries + done);
  g_mutex_unlock (&view->lock);
}

/* pread of a run of present pages into the mirror; FALSE when the process
 * has no memory any more. A page it dropped meanwhile ends the run (EIO):
 * reading on would fault it in for it. */
static gboolean
read_run (PsProcessView *view,
          guint8        *mirror,
          guint64        first,
          guint64        n)
{
  gsize len = n * view->page_size;
  gsize done = 0;

  while (done < len)
    {
      ssize_t r = pread (view->mem_fd, mirror + first * view->page_size + done, len - done,
                         (off_t) (view->mapping.start + first * view->page_size + done));

      if (r < 0 && errno == EINTR)
        continue;
      if (r == 0)
        return FALSE;
      if (r < 0)
        break;
      done += r;
    }
  for (guint64 p = first; p < first + (done + view->page_size - 1) / view->page_size; p++)
    view->known[p] |= KNOWN_MIRRORED;
  return TRUE;
}

/* Drops the mirror's bytes of a run of pages that process no longer has. */
static void
drop_run (PsProcessView *view,
          guint8        *mirror,
          guint64        first,
          guint64        n)
{
  madvise (mirror + first * view->page_size, n * view->page_size, MADV_DONTNEED);
  for (guint64 p = first; p < first + n; p++)
    view->known[p] &= ~KNOWN_MIRRORED;
}

void
ps_process_view_refresh (PsProcessView *view,
                         guint8        *mirror,
                         guint64        first,
                         guint64        n)
{
  guint64 entries[PAGEMAP_CHUNK];

  g_return_if_fail (first + n <= view->n_pages);

  ps_process_view_check (view);
  for (guint64 at = first; at < first + n && !ps_process_view_is_gone (view); at += PAGEMAP_CHUNK)
    {
      guint64 count = MIN (PAGEMAP_CHUNK, first + n - at);

      g_mutex_lock (&view->lock);
      read_entries_locked (view, at, count, entries);
      for (guint64 i = 0; i < count && !ps_process_view_is_gone (view);)
        {
          gboolean present = (entries[i] & PM_PRESENT) != 0;
          guint64 j = i + 1;

          while (j < count && ((entries[j] & PM_PRESENT) != 0) == present)
            j++;
          if (present && !read_run (view, mirror, at + i, j - i))
            mark_gone (view, N_("the process exited"));
          else if (!present)
            {
              /* only what was read before needs dropping: a run of it at a time */
              for (guint64 p = i; p < j; p++)
                if (view->known[at + p] & KNOWN_MIRRORED)
                  {
                    guint64 q = p;

                    while (q < j && (view->known[at + q] & KNOWN_MIRRORED))
                      q++;
                    drop_run (view, mirror, at + p, q - p);
                    p = q;
                  }
            }
          i = j;
        }
      g_mutex_unlock (&view->lock);
    }
}

char *
ps_process_view_read_file (PsProcessView *view,
                           const char    *name)
{
  if (ps_process_view_is_gone (view))
    return NULL;
  return read_proc (view, name);
}
