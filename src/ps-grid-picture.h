/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The page grid's picture, kept between frames: a CPU pixel buffer
 * (premultiplied B8G8R8A8 words) cut into square tiles, each its own
 * texture, made again only where the buffer was damaged. */
typedef struct _PsGridPicture PsGridPicture;

PsGridPicture *ps_grid_picture_new          (void);
void           ps_grid_picture_free         (PsGridPicture *self);

/* width x height device pixels; the contents are undefined and everything
 * is damaged. */
void           ps_grid_picture_resize       (PsGridPicture *self,
                                             guint          width,
                                             guint          height);
guint          ps_grid_picture_get_width    (PsGridPicture *self);
guint          ps_grid_picture_get_height   (PsGridPicture *self);
/* The buffer; stride_words: 32-bit words from one row to the next. */
guint32       *ps_grid_picture_get_pixels   (PsGridPicture *self,
                                             gsize         *stride_words);
/* The pixels in this rectangle changed. */
void           ps_grid_picture_damage       (PsGridPicture *self,
                                             guint          x,
                                             guint          y,
                                             guint          width,
                                             guint          height);
void           ps_grid_picture_damage_all   (PsGridPicture *self);

/* Appends the rows [y_offset, y_offset + height) of the picture at the
 * widget's (0, 0), scale device pixels to a widget pixel; damaged tiles get
 * new textures first. */
void           ps_grid_picture_snapshot     (PsGridPicture *self,
                                             GtkSnapshot   *snapshot,
                                             int            scale,
                                             guint          y_offset,
                                             guint          height);
/* Textures made so far (for tests and the benchmark). */
guint64        ps_grid_picture_get_uploads  (PsGridPicture *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsGridPicture, ps_grid_picture_free)

G_END_DECLS
