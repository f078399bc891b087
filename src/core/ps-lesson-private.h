/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the lessons' files share: the lesson object and its steps. */
#pragma once

#include "ps-lesson.h"
#include "ps-sync.h"

G_BEGIN_DECLS

#define PS_LESSON_DEADLINE_MS 10000   /* the longest a step waits for what it started */

typedef struct _PsLessonStep PsLessonStep;

struct _PsLesson
{
  GObject             parent_instance;

  const PsLessonInfo *info;
  const PsLessonStep *steps;
  guint               n_steps;
  guint               next;        /* the step that runs next */
  gboolean            running;     /* a step is running */
  PsSession          *session;
  char               *path;        /* the lesson's file, if it made one */
  char               *path2;
  int                 shmid;       /* a SysV segment it made, -1: none */
  guint64             remembered;  /* a number one step leaves for the next */
  PsSync             *sync;        /* the sync lesson's writers */
  char               *live;        /* what a running step shows as it goes */
};

struct _PsLessonStep
{
  const char *title;
  const char *claim;
  gboolean  (*run) (PsLesson *self, GString *observed, GError **error);
};

/* Turns the main context until cond holds or PS_LESSON_DEADLINE_MS pass;
 * FALSE at the deadline. */
gboolean ps_lesson_wait_for (gboolean (*cond) (gpointer),
                             gpointer   data);
/* What the running step shows as it goes (the "live" property). */
void     ps_lesson_set_live (PsLesson   *self,
                             const char *text);

/* Makes a file of `size` bytes of `fill` on a disk (tmpfs would hide
 * msync), for the lesson to remove when it ends. */
char    *ps_lesson_make_file    (PsLesson    *self,
                                 const char  *tag,
                                 gsize        size,
                                 guint8       fill,
                                 GError     **error);
/* A ps_lesson_wait_for condition: the session's writer children are done. */
gboolean ps_lesson_writers_done (gpointer    session);

/* ps-lesson-sysv.c */
extern const PsLessonStep ps_lesson_sysv_steps[];
extern const guint        ps_lesson_sysv_n_steps;
extern const PsLessonStep ps_lesson_ftok_steps[];
extern const guint        ps_lesson_ftok_n_steps;

/* ps-lesson-sync.c */
extern const PsLessonStep ps_lesson_sync_steps[];
extern const guint        ps_lesson_sync_n_steps;

G_END_DECLS
