/* SPDX-License-Identifier: GPL-3.0-or-later */
/* See ps-wrap-layout.h. */
#define G_LOG_DOMAIN "pagescope-wrap-layout"

#include "config.h"

#include "ps-wrap-layout.h"

struct _PsWrapLayout
{
  GtkLayoutManager parent_instance;

  int      column_spacing;
  int      row_spacing;
  gboolean single_line;   /* a row that shrinks its children instead */
};

G_DEFINE_FINAL_TYPE (PsWrapLayout, ps_wrap_layout, GTK_TYPE_LAYOUT_MANAGER)

typedef struct
{
  GtkWidget *child;
  int        width;    /* natural, at most the line's width */
  int        height;   /* natural */
} Item;

/* The children to lay out, each at its natural size within width. */
static GArray *
items_of (GtkWidget *widget,
          int        width)
{
  GArray *items = g_array_new (FALSE, FALSE, sizeof (Item));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      Item item = { child, 0, 0 };
      int min = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &item.width, NULL, NULL);
      if (width >= 0)
        item.width = MAX (min, MIN (item.width, width));
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, item.width, NULL, &item.height, NULL, NULL);
      g_array_append_val (items, item);
    }
  return items;
}

/* Calls place for each line: its first item, how many, its height and the
 * width its items leave free. Returns the height of all lines. */
typedef void (*PlaceLine) (Item *first, guint n, int y, int height, int free, gpointer data);

static int
break_lines (PsWrapLayout *self,
             GArray       *items,
             int           width,
             PlaceLine     place,
             gpointer      data)
{
  guint start = 0;
  int y = 0;

  while (start < items->len)
    {
      Item *first = &g_array_index (items, Item, start);
      int used = first->width, height = first->height;
      guint n = 1;

      while (start + n < items->len)
        {
          Item *next = &g_array_index (items, Item, start + n);

          if (width >= 0 && used + self->column_spacing + next->width > width)
            break;
          used += self->column_spacing + next->width;
          height = MAX (height, next->height);
          n++;
        }
      if (place != NULL)
        place (first, n, y, height, width >= 0 ? width - used : 0, data);
      y += height + (start + n < items->len ? self->row_spacing : 0);
      start += n;
    }
  return y;
}

static GtkSizeRequestMode
ps_wrap_layout_get_request_mode (GtkLayoutManager *manager,
                                 GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
ps_wrap_layout_measure (GtkLayoutManager *manager,
                        GtkWidget        *widget,
                        GtkOrientation    orientation,
                        int               for_size,
                        int              *minimum,
                        int              *natural,
                        int              *minimum_baseline,
                        int              *natural_baseline)
{
  PsWrapLayout *self = PS_WRAP_LAYOUT (manager);
  g_autoptr(GArray) items = NULL;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int min = 0, nat = 0;

      /* as narrow as the widest child (one line: all of them), as wide as
       * all on one line */
      items = items_of (widget, -1);
      for (guint i = 0; i < items->len; i++)
        {
          Item *item = &g_array_index (items, Item, i);
          int child_min = 0;

          gtk_widget_measure (item->child, GTK_ORIENTATION_HORIZONTAL, -1, &child_min, NULL, NULL, NULL);
          min = self->single_line ? min + child_min + (i > 0 ? self->column_spacing : 0) : MAX (min, child_min);
          nat += item->width + (i > 0 ? self->column_spacing : 0);
        }
      *minimum = min;
      *natural = nat;
      return;
    }
  items = items_of (widget, for_size);
  *minimum = *natural = break_lines (self, items, self->single_line ? -1 : for_size, NULL, NULL);
}

static void
place_line (Item    *first,
            guint    n,
            int      y,
            int      height,
            int      free,
            gpointer data)
{
  int column_spacing = PS_WRAP_LAYOUT (data)->column_spacing;
  guint expanding = 0;
  int x = 0;

  for (guint i = 0; i < n; i++)
    expanding += gtk_widget_compute_expand (first[i].child, GTK_ORIENTATION_HORIZONTAL);
  for (guint i = 0; i < n; i++)
    {
      int width = first[i].width;

      if (expanding > 0 && gtk_widget_compute_expand (first[i].child, GTK_ORIENTATION_HORIZONTAL))
        width += MAX (free, 0) / (int) expanding;
      gtk_widget_size_allocate (first[i].child, &(GtkAllocation) { x, y, width, height }, -1);
      x += width + column_spacing;
    }
}

/* One line, as a box: each child its least width, and what is left shared
 * out toward their natural widths, then to those that expand. */
static void
allocate_line (PsWrapLayout *self,
               GArray       *items,
               int           width,
               int           height)
{
  g_autofree GtkRequestedSize *sizes = g_new0 (GtkRequestedSize, MAX (items->len, 1));
  int left = width - self->column_spacing * (items->len > 0 ? (int) items->len - 1 : 0);
  guint expanding = 0;
  int x = 0;

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);

      gtk_widget_measure (item->child, GTK_ORIENTATION_HORIZONTAL, -1,
                          &sizes[i].minimum_size, &sizes[i].natural_size, NULL, NULL);
      left -= sizes[i].minimum_size;
      expanding += gtk_widget_compute_expand (item->child, GTK_ORIENTATION_HORIZONTAL);
    }
  left = gtk_distribute_natural_allocation (MAX (left, 0), items->len, sizes);
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      int w = sizes[i].minimum_size;

      if (expanding > 0 && gtk_widget_compute_expand (item->child, GTK_ORIENTATION_HORIZONTAL))
        w += left / (int) expanding;
      gtk_widget_size_allocate (item->child, &(GtkAllocation) { x, 0, w, height }, -1);
      x += w + self->column_spacing;
    }
}

static void
ps_wrap_layout_allocate (GtkLayoutManager *manager,
                         GtkWidget        *widget,
                         int               width,
                         int               height,
                         int               baseline)
{
  PsWrapLayout *self = PS_WRAP_LAYOUT (manager);
  g_autoptr(GArray) items = items_of (widget, width);

  if (self->single_line)
    allocate_line (self, items, width, height);
  else
    break_lines (self, items, width, place_line, manager);
}

static void
ps_wrap_layout_class_init (PsWrapLayoutClass *klass)
{
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  layout_class->get_request_mode = ps_wrap_layout_get_request_mode;
  layout_class->measure = ps_wrap_layout_measure;
  layout_class->allocate = ps_wrap_layout_allocate;
}

static void
ps_wrap_layout_init (PsWrapLayout *self)
{
}

GtkLayoutManager *
ps_wrap_layout_new (void)
{
  return g_object_new (PS_TYPE_WRAP_LAYOUT, NULL);
}

void
ps_wrap_layout_set_spacing (PsWrapLayout *self,
                            int           column_spacing,
                            int           row_spacing)
{
  g_return_if_fail (PS_IS_WRAP_LAYOUT (self));

  self->column_spacing = MAX (column_spacing, 0);
  self->row_spacing = MAX (row_spacing, 0);
  gtk_layout_manager_layout_changed (GTK_LAYOUT_MANAGER (self));
}

void
ps_wrap_layout_set_single_line (PsWrapLayout *self,
                                gboolean      single_line)
{
  g_return_if_fail (PS_IS_WRAP_LAYOUT (self));

  if (self->single_line == !!single_line)
    return;
  self->single_line = !!single_line;
  gtk_layout_manager_layout_changed (GTK_LAYOUT_MANAGER (self));
}
