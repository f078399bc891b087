/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The live table of SysV or POSIX segments that the open dialog offers: its
 * rows (a GListStore of PsSegmentRow, re-read from ps-segments on refresh,
 * replacing only the rows that changed), a sort by the view's headers, a
 * selection that stays on the same segment across refreshes, and the
 * columns and their cell text. It knows nothing of the dialog. */
#define G_LOG_DOMAIN "pagescope-segment-table"

#include "config.h"

#include <glib/gi18n.h>
#include <pwd.h>
#include <unistd.h>

#include "ps-parse.h"
#include "ps-segment-table.h"

struct _PsSegmentTable
{
  GObject             parent_instance;

  PsSourceKind        kind;
  GListStore         *rows;         /* of PsSegmentRow, in the kernel's order */
  GtkFilterListModel *filtered;     /* without the display server's own, unless shown */
  GtkCustomFilter    *filter;
  gboolean            show_display;
  GtkSortListModel   *sorted;       /* by the view's headers */
  GtkSingleSelection *selection;    /* over the sorted rows */
  GHashTable         *user_names;   /* uid -> name */
};

G_DEFINE_FINAL_TYPE (PsSegmentTable, ps_segment_table, G_TYPE_OBJECT)

/* ---- columns --------------------------------------------------------------- */

typedef enum
{
  COL_KEY,
  COL_SHMID,
  COL_OWNER,
  COL_PERMS,
  COL_SIZE,
  COL_NATTCH,
  COL_CPID,
  COL_STATUS,
  COL_NAME,
  COL_ALLOCATED,
  COL_MODIFIED,
  COL_MAPPED_BY,
} Column;

typedef struct
{
  Column      column;
  const char *title;
  gboolean    numeric;   /* right-aligned, tabular figures */
  gboolean    expand;    /* takes the width left over, and may ellipsize */
  gboolean    sortable;  /* a sortable header reserves room for its arrow */
} ColumnInfo;

/* SysV has more columns than fit at the dialog's width with every header
 * sortable: the few worth sorting by are. */
static const ColumnInfo sysv_columns[] = {
  { COL_KEY,    N_("Key"),         FALSE, FALSE, TRUE },
  { COL_SHMID,  N_("shmid"),       TRUE,  FALSE, TRUE },
  { COL_OWNER,  N_("Owner"),       FALSE, FALSE, TRUE },
  { COL_PERMS,  N_("Perms"),       FALSE, FALSE, FALSE },
  { COL_SIZE,   N_("Size"),        TRUE,  FALSE, TRUE },
  { COL_NATTCH, N_("Attached"),    TRUE,  FALSE, FALSE },
  { COL_CPID,   N_("Creator pid"), TRUE,  FALSE, FALSE },
  { COL_STATUS, N_("Status"),      FALSE, FALSE, FALSE },
  { COL_MAPPED_BY, N_("Mapped by"), FALSE, TRUE,  FALSE },
};

static const ColumnInfo posix_columns[] = {
  { COL_NAME,      N_("Name"),      FALSE, TRUE,  TRUE },
  { COL_OWNER,     N_("Owner"),     FALSE, FALSE, TRUE },
  { COL_PERMS,     N_("Perms"),     FALSE, FALSE, TRUE },
  { COL_SIZE,      N_("Size"),      TRUE,  FALSE, TRUE },
  { COL_ALLOCATED, N_("Allocated"), TRUE,  FALSE, TRUE },
  { COL_MODIFIED,  N_("Modified"),  FALSE, FALSE, TRUE },
  { COL_MAPPED_BY, N_("Mapped by"), FALSE, TRUE,  FALSE },
};

static char *
cell_text (PsSegmentRow *item,
           Column      column)
{
  const PsSysvSegment *s = ps_segment_row_get_sysv (item);
  const PsPosixSegment *p = ps_segment_row_get_posix (item);

  switch (column)
    {
    case COL_KEY:
      return g_strdup_printf ("0x%08x", (guint32) s->key);
    case COL_SHMID:
      return g_strdup_printf ("%d", s->shmid);
    case COL_OWNER:
      return g_strdup (ps_segment_row_get_owner (item));
    case COL_PERMS:
      return g_strdup_printf ("%03o", (s ? s->perms : p->perms) & 0777);
    case COL_SIZE:
      return ps_format_size (s ? s->size : p->size);
    case COL_NATTCH:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, s->nattch);
    case COL_CPID:
      return g_strdup_printf ("%d", (int) s->cpid);
    case COL_STATUS:
      if (s->dest && s->locked)
        return g_strdup (_("marked for removal, locked"));
      return g_strdup (s->dest ? _("marked for removal") : s->locked ? _("locked in memory") : "");
    case COL_NAME:
      /* a name may hold any byte but '/' and NUL */
      return ps_text_for_display (p->name);
    case COL_ALLOCATED:
      return ps_format_size (p->allocated);
    case COL_MODIFIED:
      {
        g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (p->mtime);
        g_autoptr(GDateTime) now = g_date_time_new_now_local ();

        if (time == NULL)
          return g_strdup ("");
        /* today: the time is enough */
        if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
            g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
          return g_date_time_format (time, "%H:%M:%S");
        return g_date_time_format (time, "%Y-%m-%d %H:%M");
      }
    case COL_MAPPED_BY:
      return g_strdup (ps_segment_row_get_mapped_by (item));
    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  PsSegmentRow *x = (PsSegmentRow *) a, *y = (PsSegmentRow *) b;
  const PsSysvSegment *xs = ps_segment_row_get_sysv (x), *ys = ps_segment_row_get_sysv (y);
  const PsPosixSegment *xp = ps_segment_row_get_posix (x), *yp = ps_segment_row_get_posix (y);

  switch ((Column) GPOINTER_TO_INT (data))
    {
    case COL_KEY:       return CMP ((guint32) xs->key, (guint32) ys->key);
    case COL_SHMID:     return CMP (xs->shmid, ys->shmid);
    case COL_OWNER:     return CMP (g_utf8_collate (ps_segment_row_get_owner (x), ps_segment_row_get_owner (y)), 0);
    case COL_PERMS:     return xs ? CMP (xs->perms, ys->perms) : CMP (xp->perms, yp->perms);
    case COL_SIZE:      return xs ? CMP (xs->size, ys->size) : CMP (xp->size, yp->size);
    case COL_NATTCH:    return CMP (xs->nattch, ys->nattch);
    case COL_CPID:      return CMP (xs->cpid, ys->cpid);
    case COL_STATUS:    return CMP (xs->dest * 2 + xs->locked, ys->dest * 2 + ys->locked);
    case COL_NAME:      return CMP (g_strcmp0 (xp->name, yp->name), 0);
    case COL_ALLOCATED: return CMP (xp->allocated, yp->allocated);
    case COL_MODIFIED:  return CMP (xp->mtime, yp->mtime);
    default:            g_return_val_if_reached (0);
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  data)
{
  const ColumnInfo *info = data;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), info->numeric ? 1.0 : 0.0);
  if (info->expand)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  if (info->numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (info->column == COL_KEY || info->column == COL_PERMS)
    gtk_widget_add_css_class (label, "monospace");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  data)
{
  const ColumnInfo *info = data;
  PsSegmentRow *item = gtk_list_item_get_item (list_item);
  const PsSysvSegment *s = ps_segment_row_get_sysv (item);
  const PsPosixSegment *p = ps_segment_row_get_posix (item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = cell_text (item, info->column);
  g_autofree char *tooltip = NULL;

  gtk_label_set_text (GTK_LABEL (label), text);
  if (info->column == COL_SIZE || info->column == COL_ALLOCATED)
    {
      guint64 bytes = info->column == COL_ALLOCATED ? p->allocated
                      : s ? s->size : p->size;
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);

      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s byte", "%s bytes", bytes), number);
    }
  else if (info->column == COL_NAME || info->column == COL_MAPPED_BY)
    tooltip = g_strdup (text);
  else if (info->column == COL_MODIFIED)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (p->mtime);
      tooltip = time ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : NULL;
    }
  gtk_widget_set_tooltip_text (label, tooltip);
  if (info->column == COL_STATUS && s->dest)
    gtk_widget_add_css_class (label, "warning");
  else
    gtk_widget_remove_css_class (label, "warning");
}

static void
add_columns (GtkColumnView    *view,
             const ColumnInfo *columns,
             guint             n_columns)
{
  for (guint i = 0; i < n_columns; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) &columns[i]);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) &columns[i]);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      if (columns[i].sortable)
        {
          g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_items, GINT_TO_POINTER (columns[i].column), NULL));
          gtk_column_view_column_set_sorter (column, sorter);
        }
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (view, column);
    }
}

/* ---- rows ------------------------------------------------------------------ */

static const char *
user_name (PsSegmentTable *self,
           uid_t           uid)
{
  const char *name = g_hash_table_lookup (self->user_names, GUINT_TO_POINTER (uid));

  if (name == NULL)
    {
      struct passwd pw, *result = NULL;
      char buffer[4096];
      char *found;

      if (getpwuid_r (uid, &pw, buffer, sizeof buffer, &result) == 0 && result != NULL)
        found = g_strdup (pw.pw_name);
      else
        found = g_strdup_printf ("%u", (guint) uid);
      g_hash_table_insert (self->user_names, GUINT_TO_POINTER (uid), found);
      name = found;
    }
  return name;
}

static PsSegmentRow *
find_item (GListModel *model,
           const char *id,
           guint      *position)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PsSegmentRow) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (ps_segment_row_get_id (item), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return item;    /* the model keeps a reference */
        }
    }
  return NULL;
}

/* Brings the rows in line with fresh (a GPtrArray of PsSegmentRow),
 * replacing only the rows that changed, and keeps the selection on the same
 * segment. */
static void
sync_rows (PsSegmentTable *self,
           GPtrArray      *fresh_rows)
{
  GListStore *store = self->rows;
  GtkSingleSelection *selection = self->selection;
  PsSegmentRow *selected = gtk_single_selection_get_selected_item (selection);
  g_autofree char *selected_id = selected ? g_strdup (ps_segment_row_get_id (selected)) : NULL;
  g_autoptr(GHashTable) fresh = g_hash_table_new (g_str_hash, g_str_equal);
  guint position;

  for (guint i = 0; i < fresh_rows->len; i++)
    {
      PsSegmentRow *item = g_ptr_array_index (fresh_rows, i);
      g_hash_table_insert (fresh, (gpointer) ps_segment_row_get_id (item), item);
    }
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (store)); i-- > 0;)
    {
      g_autoptr(PsSegmentRow) old = g_list_model_get_item (G_LIST_MODEL (store), i);
      PsSegmentRow *item = g_hash_table_lookup (fresh, ps_segment_row_get_id (old));

      if (item == NULL)
        g_list_store_remove (store, i);
      else if (!ps_segment_row_same (old, item))
        g_list_store_splice (store, i, 1, (gpointer *) &item, 1);
      if (item != NULL)
        g_hash_table_remove (fresh, ps_segment_row_get_id (old));
    }
  for (guint i = 0; i < fresh_rows->len; i++)
    {
      PsSegmentRow *item = g_ptr_array_index (fresh_rows, i);

      if (g_hash_table_contains (fresh, ps_segment_row_get_id (item)))
        g_list_store_append (store, item);
    }
  if (selected_id != NULL && find_item (G_LIST_MODEL (selection), selected_id, &position) != NULL &&
      gtk_single_selection_get_selected (selection) != position)
    gtk_single_selection_set_selected (selection, position);
}

gboolean
ps_segment_table_refresh (PsSegmentTable *self,
                          GError        **error)
{
  gboolean sysv;
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree gpointer *owned = NULL;
  gsize n = 0;

  g_return_val_if_fail (PS_IS_SEGMENT_TABLE (self), FALSE);

  sysv = self->kind == PS_SOURCE_SYSV;
  segments = sysv ? ps_segments_list_sysv (error) : ps_segments_list_posix (error);
  /* who maps each: one walk of /proc for the whole list */
  if (segments != NULL)
    ps_segments_find_mappers (sysv ? segments : NULL, sysv ? NULL : segments);
  /* the rows own the segments */
  if (segments != NULL)
    owned = g_ptr_array_steal (segments, &n);
  for (gsize i = 0; i < n; i++)
    {
      if (sysv)
        {
          PsSysvSegment *segment = owned[i];
          g_ptr_array_add (rows, ps_segment_row_new_sysv (segment, user_name (self, segment->uid)));
        }
      else
        {
          PsPosixSegment *segment = owned[i];
          g_ptr_array_add (rows, ps_segment_row_new_posix (segment, user_name (self, segment->uid)));
        }
    }
  sync_rows (self, rows);
  return segments != NULL;
}

/* ---- the display server's own ------------------------------------------------- */

/* A segment a display server maps (MIT-SHM: the X server attaches what its
 * clients make) is the display's business: hidden unless asked for. */
static gboolean
keep_row (gpointer item,
          gpointer data)
{
  PsSegmentTable *self = data;

  return self->show_display || !ps_segment_row_is_display (item);
}

void
ps_segment_table_set_show_display (PsSegmentTable *self,
                                   gboolean        show)
{
  g_return_if_fail (PS_IS_SEGMENT_TABLE (self));

  if (self->show_display == !!show)
    return;
  self->show_display = !!show;
  gtk_filter_changed (GTK_FILTER (self->filter), show ? GTK_FILTER_CHANGE_LESS_STRICT : GTK_FILTER_CHANGE_MORE_STRICT);
}

gboolean
ps_segment_table_get_show_display (PsSegmentTable *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_TABLE (self), FALSE);
  return self->show_display;
}

guint
ps_segment_table_get_n_hidden (PsSegmentTable *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_TABLE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->rows)) -
         g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

/* ---- the table ------------------------------------------------------------- */

static void
ps_segment_table_dispose (GObject *object)
{
  PsSegmentTable *self = PS_SEGMENT_TABLE (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->user_names, g_hash_table_unref);
  G_OBJECT_CLASS (ps_segment_table_parent_class)->dispose (object);
}

static void
ps_segment_table_class_init (PsSegmentTableClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ps_segment_table_dispose;
}

static void
ps_segment_table_init (PsSegmentTable *self)
{
  self->user_names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->rows = g_list_store_new (PS_TYPE_SEGMENT_ROW);
  self->filter = gtk_custom_filter_new (keep_row, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  /* unsorted until a view gives its sorter */
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)), NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

PsSegmentTable *
ps_segment_table_new (PsSourceKind kind)
{
  PsSegmentTable *self;

  g_return_val_if_fail (kind == PS_SOURCE_SYSV || kind == PS_SOURCE_POSIX, NULL);

  self = g_object_new (PS_TYPE_SEGMENT_TABLE, NULL);
  self->kind = kind;
  return self;
}

PsSourceKind
ps_segment_table_get_kind (PsSegmentTable *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_TABLE (self), PS_SOURCE_SYSV);
  return self->kind;
}

GListModel *
ps_segment_table_get_rows (PsSegmentTable *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_TABLE (self), NULL);
  return G_LIST_MODEL (self->rows);
}

GtkSingleSelection *
ps_segment_table_get_selection (PsSegmentTable *self)
{
  g_return_val_if_fail (PS_IS_SEGMENT_TABLE (self), NULL);
  return self->selection;
}

void
ps_segment_table_attach_view (PsSegmentTable *self,
                              GtkColumnView  *view)
{
  gboolean sysv;

  g_return_if_fail (PS_IS_SEGMENT_TABLE (self));
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  sysv = self->kind == PS_SOURCE_SYSV;
  add_columns (view, sysv ? sysv_columns : posix_columns,
               sysv ? G_N_ELEMENTS (sysv_columns) : G_N_ELEMENTS (posix_columns));
  gtk_sort_list_model_set_sorter (self->sorted, gtk_column_view_get_sorter (view));
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (self->selection));
}

PsSegmentRow *
ps_segment_table_find (PsSegmentTable *self,
                       const char     *id)
{
  g_return_val_if_fail (PS_IS_SEGMENT_TABLE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return find_item (G_LIST_MODEL (self->rows), id, NULL);
}

gboolean
ps_segment_table_select (PsSegmentTable *self,
                         const char     *id)
{
  guint position;

  g_return_val_if_fail (PS_IS_SEGMENT_TABLE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (find_item (G_LIST_MODEL (self->selection), id, &position) == NULL)
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

char *
ps_segment_table_dup_row_text (PsSegmentTable *self,
                               const char     *id)
{
  gboolean sysv;
  const ColumnInfo *columns;
  guint n_columns;
  PsSegmentRow *item;
  GString *text;

  g_return_val_if_fail (PS_IS_SEGMENT_TABLE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  sysv = self->kind == PS_SOURCE_SYSV;
  columns = sysv ? sysv_columns : posix_columns;
  n_columns = sysv ? G_N_ELEMENTS (sysv_columns) : G_N_ELEMENTS (posix_columns);
  item = find_item (G_LIST_MODEL (self->rows), id, NULL);
  if (item == NULL)
    return NULL;
  text = g_string_new (NULL);
  for (guint i = 0; i < n_columns; i++)
    {
      g_autofree char *cell = cell_text (item, columns[i].column);
      g_string_append_printf (text, "%s%s", i > 0 ? " | " : "", cell);
    }
  return g_string_free (text, FALSE);
}
