/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

#include "ps-event-log.h"

G_BEGIN_DECLS

typedef enum
{
  PS_SOURCE_FILE,
  PS_SOURCE_ANON,
  PS_SOURCE_SYSV,
  PS_SOURCE_POSIX,
  PS_SOURCE_PROCESS,     /* another process's mapping, read-only through /proc/PID/mem */
} PsSourceKind;

typedef enum
{
  PS_MAP_DEFAULT  = 0,        /* MAP_SHARED, read-only */
  PS_MAP_WRITABLE = 1 << 0,
  PS_MAP_PRIVATE  = 1 << 1,
  PS_MAP_PREAD    = 1 << 2,   /* FILE: never mapped; its bytes read with pread (ps-source-open-pread.c) */
} PsMapFlags;

/* Where a page of the mapping lies relative to the object's end. */
typedef enum
{
  PS_ZONE_INSIDE,        /* at least one byte inside EOF */
  PS_ZONE_PAST_EOF,      /* wholly past EOF, inside the mapping: SIGBUS */
  PS_ZONE_PAST_MAPPING,  /* the guard page after the mapping: SIGSEGV */
} PsZone;

/* How the scanner can learn which pages exist without touching them. */
typedef enum
{
  PS_RESIDENCY_MINCORE,    /* mincore is exact */
  PS_RESIDENCY_SEEK_DATA,  /* shmem we may not write: lseek SEEK_DATA/SEEK_HOLE */
  PS_RESIDENCY_UNKNOWN,    /* a file we may not write: mincore says "all resident" */
  PS_RESIDENCY_PAGEMAP,    /* a process view: that process's /proc/PID/pagemap says what it has present */
} PsResidency;

typedef struct
{
  guint64 object_size;   /* bytes in the object now */
  guint64 offset;        /* where the mapping starts in the object */
  guint64 length;        /* bytes mapped */
  guint64 page_size;
  guint64 n_pages;       /* pages of the mapping */
  guint64 data_length;   /* bytes of the mapping inside EOF */
  guint64 n_inside;      /* pages with at least one byte inside EOF */
} PsGeometry;

void     ps_geometry_init       (PsGeometry       *geometry,
                                 guint64           object_size,
                                 guint64           offset,
                                 guint64           length,
                                 guint64           page_size);
PsZone   ps_geometry_zone       (const PsGeometry *geometry,
                                 guint64           page);
PsZone   ps_geometry_zone_at    (const PsGeometry *geometry,
                                 guint64           mapping_offset);
gboolean ps_geometry_equal      (const PsGeometry *a,
                                 const PsGeometry *b);

/* What to open: filled from the command line, the open dialog, or a recent entry. */
typedef struct
{
  PsSourceKind kind;
  char        *path;      /* FILE; PROCESS: the path of the object that process maps */
  char        *name;      /* POSIX */
  gboolean     by_shmid;  /* SYSV: shmid rather than key */
  key_t        key;
  int          shmid;
  guint64      size;      /* ANON, and SYSV/POSIX when creating */
  gboolean     create;    /* SYSV/POSIX: IPC_CREAT|IPC_EXCL, O_CREAT|O_EXCL */
  guint        mode;      /* permission bits when creating; 0 = 0600 */
  guint64      offset;
  guint64      length;    /* 0 = the object's size */
  PsMapFlags   flags;
  pid_t        pid;       /* PROCESS: whose mapping */
  guint64      address;   /* PROCESS: an address inside it, when path is NULL */
} PsSourceSpec;

/* Which part of a spec a rule refused, so a form can mark that field. */
typedef enum
{
  PS_SPEC_FIELD_NONE,
  PS_SPEC_FIELD_OBJECT,     /* the path, name or key */
  PS_SPEC_FIELD_SIZE,       /* anon: the size; create: the new segment's size */
  PS_SPEC_FIELD_PRIVATE,
  PS_SPEC_FIELD_WRITABLE,
  PS_SPEC_FIELD_OFFSET,
  PS_SPEC_FIELD_LENGTH,
} PsSpecField;

void      ps_source_spec_clear     (PsSourceSpec *spec);
/* Every rule a spec must follow before anything is opened, in one place for
 * the command line, the open dialog, scripting and ps_source_open: an
 * offset that is a multiple of the page size, options the kind takes, a
 * size for what is made. field (may be NULL) says which part is wrong. */
gboolean  ps_source_spec_check     (const PsSourceSpec *spec,
                                    PsSpecField        *field,
                                    GError            **error);
/* The same, naming options and kinds as the command line does (--length,
 * --sysv). */
gboolean  ps_source_spec_check_options (const PsSourceSpec *spec,
                                        PsSpecField        *field,
                                        GError            **error);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PsSourceSpec, ps_source_spec_clear)
char     *ps_source_spec_to_string (const PsSourceSpec *spec);
gboolean  ps_source_spec_parse     (const char   *text,
                                    PsSourceSpec *spec,
                                    GError      **error);

typedef struct
{
  char *label;
  char *value;
} PsField;

void      ps_field_free            (PsField *field);

#define PS_TYPE_SOURCE (ps_source_get_type ())
G_DECLARE_FINAL_TYPE (PsSource, ps_source, PS, SOURCE, GObject)

PsSource *ps_source_open           (const PsSourceSpec *spec,
                                    PsEventLog         *log,
                                    GError            **error);
PsSource *ps_source_open_file      (const char  *path,
                                    PsMapFlags   flags,
                                    guint64      offset,
                                    guint64      length,
                                    PsEventLog  *log,
                                    GError     **error);
PsSource *ps_source_new_anon       (guint64      size,
                                    PsEventLog  *log,
                                    GError     **error);
PsSource *ps_source_attach_sysv    (key_t        key,
                                    PsMapFlags   flags,
                                    PsEventLog  *log,
                                    GError     **error);
PsSource *ps_source_attach_shmid   (int          shmid,
                                    PsMapFlags   flags,
                                    PsEventLog  *log,
                                    GError     **error);
PsSource *ps_source_create_sysv    (key_t        key,
                                    guint64      size,
                                    guint        mode,
                                    PsEventLog  *log,
                                    GError     **error);
PsSource *ps_source_open_posix     (const char  *name,
                                    PsMapFlags   flags,
                                    guint64      offset,
                                    guint64      length,
                                    PsEventLog  *log,
                                    GError     **error);
PsSource *ps_source_create_posix   (const char  *name,
                                    guint64      size,
                                    guint        mode,
                                    PsEventLog  *log,
                                    GError     **error);
PsSource *ps_source_new_demo       (PsEventLog  *log,
                                    GError     **error);
/* A view of pid's mapping of path (or, path NULL, the one holding address):
 * read-only, its bytes through /proc/PID/mem into a local mirror, only of
 * the pages that process has present (ps_source_refresh), its pages' state
 * from /proc/PID/pagemap. Needs ptrace read rights over pid. */
PsSource *ps_source_open_process   (pid_t        pid,
                                    const char  *path,
                                    guint64      address,
                                    PsEventLog  *log,
                                    GError     **error);
/* The file's own bytes as the page cache (or the disk) holds them, never
 * mapped: read with pread into a local mirror (ps_source_refresh), only
 * the ranges lseek SEEK_DATA says hold data; a hole is never read. Read-only. */
PsSource *ps_source_open_pread     (const char  *path,
                                    guint64      offset,
                                    guint64      length,
                                    PsEventLog  *log,
                                    GError     **error);
/* Deletes demo files in directory whose creating process has died. */
void          ps_source_sweep_stale_demos (const char *directory);

PsSourceKind  ps_source_get_kind          (PsSource *self);
PsMapFlags    ps_source_get_flags         (PsSource *self);
gboolean      ps_source_is_writable       (PsSource *self);
gboolean      ps_source_is_private        (PsSource *self);
gboolean      ps_source_is_shmem          (PsSource *self);
/* A file read with pread rather than mapped (PS_MAP_PREAD). */
gboolean      ps_source_is_pread          (PsSource *self);
/* Who is looking and how, for a pane's label: "file on disk (pread)",
 * "this process, MAP_SHARED", "pid 4242 writer, MAP_PRIVATE". Translated. */
char         *ps_source_dup_viewer_label  (PsSource *self);
PsResidency   ps_source_get_residency     (PsSource *self);
const char   *ps_source_get_display_name  (PsSource *self);
const char   *ps_source_get_path          (PsSource *self);
const char   *ps_source_get_posix_name    (PsSource *self);
key_t         ps_source_get_key           (PsSource *self);
int           ps_source_get_shmid         (PsSource *self);
int           ps_source_get_fd            (PsSource *self);
guint8       *ps_source_get_data          (PsSource *self);
const PsGeometry *ps_source_get_geometry  (PsSource *self);
/* A process view: whose mapping (else 0), and, once that process exited or
 * its mapping went away, why (else NULL; translatable with _()). */
gboolean      ps_source_is_view           (PsSource *self);
pid_t         ps_source_get_pid           (PsSource *self);
const char   *ps_source_get_gone_reason   (PsSource *self);
PsEventLog   *ps_source_get_log           (PsSource *self);
PsSourceSpec *ps_source_dup_spec          (PsSource *self);
GPtrArray    *ps_source_describe          (PsSource *self);

/* Thread-safe, changes nothing: the object's size now, and whether it was
 * removed (SysV SHM_DEST, an unlinked POSIX segment or file). */
gboolean      ps_source_restat            (PsSource   *self,
                                           PsGeometry *geometry,
                                           gboolean   *removed,
                                           GError    **error);

/* Whether an object other than the one mapped now answers to its name: a
 * file at its path, a POSIX segment of its name, a SysV segment with its key
 * (one that exists but may not be opened counts). FALSE for an anonymous
 * mapping, a SysV segment opened by shmid with no key, a process view, and
 * while the name still names the mapped object. Changes nothing; one stat,
 * shm_open or shmget: cheap enough for the main loop, now and then. */
gboolean      ps_source_name_taken        (PsSource   *self);

typedef enum
{
  PS_RESIDENT_NO      = 0,   /* not in memory; for shmem: a hole, never read it */
  PS_RESIDENT_YES     = 1,
  PS_RESIDENT_UNKNOWN = 2,   /* the kernel will not say (PS_RESIDENCY_UNKNOWN) */
} PsResident;

/* One PsResident per page of [first_page, first_page + n_pages) of the
 * mapping, which must lie inside the mapping. Thread-safe; touches no page. */
gboolean      ps_source_query_residency   (PsSource   *self,
                                           guint64     first_page,
                                           guint64     n_pages,
                                           guint8     *vec,
                                           GError    **error);

/* Brings the bytes of pages [first_page, first_page + n_pages) up to date
 * before they are read through ps_source_get_data: a process view reads the
 * pages that process has present into its mirror (never one it has not: that
 * would allocate it). Nothing for the other kinds, whose data is the mapping
 * itself. Thread-safe; the scanner calls it per slice, peek, find and export
 * per window. */
void          ps_source_refresh           (PsSource   *self,
                                           guint64     first_page,
                                           guint64     n_pages);

/* The pagemap entries of pages [first_page, first_page + n_pages) (bit 63
 * present, 61 file page or shared memory): this process's for a mapping of
 * its own, that process's for a view (the last read once it is gone). FALSE
 * if pagemap cannot be read. Thread-safe. */
gboolean      ps_source_read_pagemap      (PsSource   *self,
                                           guint64     first_page,
                                           guint64     n_pages,
                                           guint64    *entries);

/* Refuses (logged, with the reason) what needs a mapping of this process's
 * own, for a process view: write, msync, probes, writer children. */
gboolean      ps_source_check_own_mapping (PsSource   *self,
                                           const char *call,
                                           GError    **error);

/* Copies bytes of the mapping that exist into dst; never reads a shmem page
 * that is not allocated (those bytes are zero in dst and FALSE in valid,
 * one gboolean per page touched). Returns FALSE only on SIGBUS. */
gboolean      ps_source_peek              (PsSource   *self,
                                           guint64     offset,
                                           guint8     *dst,
                                           gsize       len,
                                           guint8     *page_valid);

/* Writes len bytes at offset; *previous gets the bytes it replaced, to undo
 * it. A SIGBUS partway (a page wholly past EOF) returns FALSE with an error
 * saying how much was written: the pages before the fault are, and then
 * *previous holds the old bytes of exactly that part (NULL if none). */
gboolean      ps_source_write             (PsSource      *self,
                                           guint64        offset,
                                           const guint8  *data,
                                           gsize          len,
                                           GBytes       **previous,
                                           GError       **error);
/* How many of len bytes at offset (in the mapping) lie past the end of a
 * file or POSIX segment, in its last page: written, but never in the file. */
guint64       ps_source_bytes_past_eof    (PsSource      *self,
                                           guint64        offset,
                                           gsize          len);

typedef struct
{
  guint64 offset;          /* page-aligned range actually synced */
  guint64 length;
  int     flags;
  gint64  elapsed_us;
  gint64  shared_dirty_before;   /* bytes, -1 if unknown */
  gint64  private_dirty_before;
  gint64  shared_dirty_after;
  gint64  private_dirty_after;
} PsMsyncReport;

#define PS_TYPE_MSYNC_REPORT (ps_msync_report_get_type ())
GType         ps_msync_report_get_type    (void) G_GNUC_CONST;

gboolean      ps_source_msync             (PsSource      *self,
                                           guint64        offset,
                                           guint64        length,
                                           int            flags,
                                           PsMsyncReport *report,
                                           GError       **error);
char         *ps_msync_flags_to_string    (int            flags);
gboolean      ps_msync_flags_parse        (const char    *text,
                                           int           *flags,
                                           GError       **error);

/* Shared_Dirty and Private_Dirty of the mapping from /proc/self/smaps. */
gboolean      ps_source_read_dirty        (PsSource      *self,
                                           gint64        *shared_dirty,
                                           gint64        *private_dirty);

/* Unmaps (munmap / shmdt) and closes; the object stays. Idempotent. */
void          ps_source_close             (PsSource   *self);
/* IPC_RMID or shm_unlink; the mapping stays until close. */
gboolean      ps_source_remove            (PsSource   *self,
                                           GError    **error);
gboolean      ps_source_is_closed         (PsSource   *self);

const char   *ps_source_kind_to_string    (PsSourceKind kind);

G_END_DECLS
