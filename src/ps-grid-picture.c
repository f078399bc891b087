/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PsGridPicture: the grid's pixels, uploaded a tile at a time.
 *
 * GTK 4.8 has no way to update part of a texture: a texture is immutable,
 * and the renderer caches what it uploaded per texture. So the picture is
 * cut into TILE x TILE tiles, each a GdkMemoryTexture of its own. A tile
 * whose pixels changed gets a new texture at the next snapshot; the others
 * keep theirs, so the render node diff finds their nodes unchanged: the GL
 * renderer uploads nothing for them and the cairo renderer does not repaint
 * them. A cooling page or a write repaints and uploads one tile, not the
 * whole grid. */
#define G_LOG_DOMAIN "pagescope-grid"

#include "config.h"

#include <string.h>

#include "ps-grid-picture.h"

#define TILE 128

typedef struct
{
  GdkTexture *texture;
  gboolean    damaged;
} Tile;

struct _PsGridPicture
{
  guint32 *pixels;
  gsize    n_pixels;
  guint    width;
  guint    height;
  guint    tiles_x;
  guint    tiles_y;
  Tile    *tiles;
  guint64  uploads;
};

PsGridPicture *
ps_grid_picture_new (void)
{
  return g_new0 (PsGridPicture, 1);
}

static void
clear_tiles (PsGridPicture *self)
{
  for (guint i = 0; i < self->tiles_x * self->tiles_y; i++)
    g_clear_object (&self->tiles[i].texture);
  g_clear_pointer (&self->tiles, g_free);
  self->tiles_x = self->tiles_y = 0;
}

void
ps_grid_picture_free (PsGridPicture *self)
{
  if (self == NULL)
    return;
  clear_tiles (self);
  g_free (self->pixels);
  g_free (self);
}

void
ps_grid_picture_resize (PsGridPicture *self,
                        guint          width,
                        guint          height)
{
  gsize needed = (gsize) width * height;

  if (width != self->width || height != self->height)
    {
      clear_tiles (self);
      self->width = width;
      self->height = height;
      self->tiles_x = (width + TILE - 1) / TILE;
      self->tiles_y = (height + TILE - 1) / TILE;
      self->tiles = g_new0 (Tile, (gsize) self->tiles_x * self->tiles_y);
    }
  if (needed > self->n_pixels)
    {
      g_free (self->pixels);
      self->pixels = g_new (guint32, needed);
      self->n_pixels = needed;
    }
  ps_grid_picture_damage_all (self);
}

guint
ps_grid_picture_get_width (PsGridPicture *self)
{
  return self->width;
}

guint
ps_grid_picture_get_height (PsGridPicture *self)
{
  return self->height;
}

guint32 *
ps_grid_picture_get_pixels (PsGridPicture *self,
                            gsize         *stride_words)
{
  *stride_words = self->width;
  return self->pixels;
}

void
ps_grid_picture_damage (PsGridPicture *self,
                        guint          x,
                        guint          y,
                        guint          width,
                        guint          height)
{
  guint x1, y1;

  if (width == 0 || height == 0 || x >= self->width || y >= self->height)
    return;
  x1 = MIN (x + width, self->width) - 1;
  y1 = MIN (y + height, self->height) - 1;
  for (guint ty = y / TILE; ty <= y1 / TILE; ty++)
    for (guint tx = x / TILE; tx <= x1 / TILE; tx++)
      self->tiles[ty * self->tiles_x + tx].damaged = TRUE;
}

void
ps_grid_picture_damage_all (PsGridPicture *self)
{
  for (guint i = 0; i < self->tiles_x * self->tiles_y; i++)
    self->tiles[i].damaged = TRUE;
}

/* A texture is immutable and the renderer may still hold the old one: the
 * tile gets its own copy of its pixels. */
static GdkTexture *
make_texture (PsGridPicture *self,
              guint          tx,
              guint          ty)
{
  guint x0 = tx * TILE, y0 = ty * TILE;
  guint w = MIN (TILE, self->width - x0), h = MIN (TILE, self->height - y0);
  guint32 *copy = g_new (guint32, (gsize) w * h);
  g_autoptr(GBytes) bytes = NULL;

  for (guint y = 0; y < h; y++)
    memcpy (copy + (gsize) y * w, self->pixels + (gsize) (y0 + y) * self->width + x0, w * sizeof (guint32));
  bytes = g_bytes_new_take (copy, (gsize) w * h * sizeof (guint32));
  self->uploads++;
  return gdk_memory_texture_new (w, h, GDK_MEMORY_DEFAULT, bytes, w * sizeof (guint32));
}

void
ps_grid_picture_snapshot (PsGridPicture *self,
                          GtkSnapshot   *snapshot,
                          int            scale,
                          guint          y_offset,
                          guint          height)
{
  guint last_y = MIN (y_offset + height, self->height);

  if (last_y <= y_offset)
    return;
  for (guint ty = y_offset / TILE; ty <= (last_y - 1) / TILE; ty++)
    for (guint tx = 0; tx < self->tiles_x; tx++)
      {
        Tile *tile = &self->tiles[ty * self->tiles_x + tx];
        float x = (float) tx * TILE / scale;
        float y = ((float) ty * TILE - (float) y_offset) / scale;

        if (tile->texture == NULL || tile->damaged)
          {
            g_clear_object (&tile->texture);
            tile->texture = make_texture (self, tx, ty);
            tile->damaged = FALSE;
          }
        gtk_snapshot_append_texture (snapshot, tile->texture,
                                     &GRAPHENE_RECT_INIT (x, y,
                                                          (float) gdk_texture_get_width (tile->texture) / scale,
                                                          (float) gdk_texture_get_height (tile->texture) / scale));
      }
}

guint64
ps_grid_picture_get_uploads (PsGridPicture *self)
{
  return self->uploads;
}
