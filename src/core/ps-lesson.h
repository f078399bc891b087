/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>

#include "ps-session.h"

G_BEGIN_DECLS

/* Guided lessons: each classic example of mmap and shared memory, set up by
 * the lesson itself (its objects, its processes), walked through step by
 * step. Each step says what a textbook claims, does it through a PsSession
 * (so its exact system calls land in the session's log), and checks what
 * this machine did from the kernel's side: the file read back through its
 * own descriptor, /proc, the segment's attach count, a child's exit. The
 * same lessons run in a window (Help → Lessons) and headless
 * (`pagescope --lesson NAME --check`). */

typedef struct
{
  const char *id;      /* "msync", "private", ... */
  const char *title;   /* translated */
  const char *summary; /* translated */
} PsLessonInfo;

/* Every lesson, in teaching order; n_lessons set. */
const PsLessonInfo *ps_lesson_list (guint *n_lessons);

#define PS_TYPE_LESSON (ps_lesson_get_type ())
G_DECLARE_FINAL_TYPE (PsLesson, ps_lesson, PS, LESSON, GObject)

/* A lesson, not started: it makes nothing until its first step runs.
 * NULL (and an error naming the known ones) for an unknown id. */
PsLesson    *ps_lesson_new            (const char  *id,
                                       GError     **error);
const PsLessonInfo *ps_lesson_get_info (PsLesson   *self);
/* The session its steps act on (its log holds their system calls). */
PsSession   *ps_lesson_get_session    (PsLesson    *self);
guint        ps_lesson_get_n_steps    (PsLesson    *self);
const char  *ps_lesson_get_step_title (PsLesson    *self,
                                       guint        step);
/* What a textbook, or the common belief, says of this step. */
const char  *ps_lesson_get_step_claim (PsLesson    *self,
                                       guint        step);
/* Runs the next step (steps run in order); TRUE when its check held, and
 * *observed (translated) says what this machine did, with the numbers.
 * FALSE with error when the step could not run at all. A step may take a
 * few seconds (it waits for its children with a deadline); run it from a
 * main loop that the caller keeps turning, or accept the wait. */
gboolean     ps_lesson_run_step       (PsLesson    *self,
                                       guint        step,
                                       gboolean    *held,
                                       char       **observed,
                                       GError     **error);
/* While a step runs: what it shows as it goes (figures that change; notify
 * on "live"), else NULL. */
const char  *ps_lesson_get_live       (PsLesson    *self);
gboolean     ps_lesson_is_running     (PsLesson    *self);
/* Removes what the lesson made (files, segments, children); idempotent;
 * also done on dispose. */
void         ps_lesson_clean_up       (PsLesson    *self);

/* `--lesson NAME --check`: every step, each outcome printed; 0 when every
 * check held, 1 when one did not or could not run, 2 for an unknown
 * lesson. `--lesson list` prints the ids and titles. */
int          ps_lesson_check_main     (const char  *id,
                                       gboolean     log,
                                       FILE        *out);

G_END_DECLS
