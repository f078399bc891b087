/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A byte range of the mapping to show in a colour (a mark, a find hit):
 * the page grid tints the cells of its pages, the hex view the background
 * of its bytes. */
typedef struct
{
  guint64 offset;
  guint64 length;
  guint32 rgba;      /* 0xRRGGBBAA, straight alpha: how strongly it tints */
} PsHighlight;

G_END_DECLS
