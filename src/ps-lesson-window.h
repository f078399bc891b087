/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "ps-lesson.h"

G_BEGIN_DECLS

#define PS_TYPE_LESSON_WINDOW (ps_lesson_window_get_type ())
G_DECLARE_FINAL_TYPE (PsLessonWindow, ps_lesson_window, PS, LESSON_WINDOW, AdwWindow)

/* The lessons, starting at id (NULL: the first). */
GtkWindow *ps_lesson_window_new        (GtkWindow      *parent,
                                        const char     *id);
/* The lesson shown (for tests). */
PsLesson  *ps_lesson_window_get_lesson (PsLessonWindow *self);

const char *ps_lesson_window_get_seen  (PsLessonWindow *self,
                                        guint           step,
                                        gboolean       *held);

G_END_DECLS
