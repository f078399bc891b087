/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The lessons window: a lesson's steps, each with what a textbook claims
 * and, once run, what this machine did and whether the check held; Next
 * runs the next step; the system calls of the lesson below; what the lesson
 * made can be shown in a Pagescope window to watch its pages. */
#define G_LOG_DOMAIN "pagescope-lesson"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-lesson-window.h"
#include "ps-window.h"

struct _PsLessonWindow
{
  AdwWindow    parent_instance;

  /* template children */
  GtkDropDown *lesson_dropdown;
  GtkLabel    *summary_label;
  GtkListBox  *steps_list;
  GtkListView *log_view;
  GtkWidget   *next_button;

  PsLesson    *lesson;
  guint        next;          /* the step Next runs */
  GPtrArray   *seen_labels;   /* per step: what was seen */
  GPtrArray   *status_icons;
};

G_DEFINE_FINAL_TYPE (PsLessonWindow, ps_lesson_window, ADW_TYPE_WINDOW)

static void
log_setup (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_list_item_set_child (item, label);
}

static void
log_bind (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  data)
{
  g_autofree char *line = ps_log_entry_format (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), line);
}

static void
update_actions (PsLessonWindow *self)
{
  gboolean more = self->lesson != NULL && self->next < ps_lesson_get_n_steps (self->lesson) &&
                  !ps_lesson_is_running (self->lesson);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lesson.next", more);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lesson.show",
                                 self->lesson != NULL && ps_session_is_open (ps_lesson_get_session (self->lesson)));
}

/* A running step's figures, under its claim, as they change. */
static void
on_live (PsLessonWindow *self)
{
  const char *live = ps_lesson_get_live (self->lesson);
  GtkWidget *seen;

  update_actions (self);
  if (live == NULL || self->next >= self->seen_labels->len)
    return;
  seen = g_ptr_array_index (self->seen_labels, self->next);
  gtk_label_set_text (GTK_LABEL (seen), live);
  gtk_widget_set_visible (seen, TRUE);
}

static void
show_lesson (PsLessonWindow *self,
             const char     *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkWidget *child;

  g_clear_object (&self->lesson);
  g_ptr_array_set_size (self->seen_labels, 0);
  g_ptr_array_set_size (self->status_icons, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->steps_list))) != NULL)
    gtk_list_box_remove (self->steps_list, child);
  self->next = 0;

  self->lesson = ps_lesson_new (id, &error);
  g_return_if_fail (self->lesson != NULL);
  g_signal_connect_object (self->lesson, "notify::live", G_CALLBACK (on_live), self, G_CONNECT_SWAPPED);
  gtk_label_set_text (self->summary_label, _(ps_lesson_get_info (self->lesson)->summary));
  for (guint i = 0; i < ps_lesson_get_n_steps (self->lesson); i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      g_autofree char *title = g_strdup_printf ("%u. %s", i + 1, ps_lesson_get_step_title (self->lesson, i));
      /* TRANSLATORS: what a textbook claims of a step */
      g_autofree char *claim = g_strdup_printf (_("Claimed: %s"), ps_lesson_get_step_claim (self->lesson, i));
      GtkWidget *heading = gtk_label_new (title);
      GtkWidget *icon = gtk_image_new ();
      GtkWidget *claim_label = gtk_label_new (claim);
      GtkWidget *seen = gtk_label_new (NULL);

      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 12);
      gtk_widget_set_margin_top (box, 8);
      gtk_widget_set_margin_bottom (box, 8);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_set_hexpand (heading, TRUE);
      gtk_widget_add_css_class (heading, "heading");
      gtk_label_set_xalign (GTK_LABEL (claim_label), 0);
      gtk_label_set_wrap (GTK_LABEL (claim_label), TRUE);
      gtk_widget_add_css_class (claim_label, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (seen), 0);
      gtk_label_set_wrap (GTK_LABEL (seen), TRUE);
      gtk_label_set_selectable (GTK_LABEL (seen), TRUE);
      gtk_widget_set_visible (seen, FALSE);
      gtk_box_append (GTK_BOX (top), heading);
      gtk_box_append (GTK_BOX (top), icon);
      gtk_box_append (GTK_BOX (box), top);
      gtk_box_append (GTK_BOX (box), claim_label);
      gtk_box_append (GTK_BOX (box), seen);
      gtk_list_box_append (self->steps_list, box);
      g_ptr_array_add (self->seen_labels, seen);
      g_ptr_array_add (self->status_icons, icon);
    }
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (ps_session_get_log (ps_lesson_get_session (self->lesson)))));
  gtk_list_view_set_model (self->log_view, GTK_SELECTION_MODEL (selection));
  update_actions (self);
}

static void
action_next (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  PsLessonWindow *self = PS_LESSON_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *observed = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PsLesson) lesson = NULL;
  GtkWidget *seen, *icon;
  gboolean held = FALSE;
  gboolean ok;
  guint step = self->next;

  if (self->lesson == NULL || step >= ps_lesson_get_n_steps (self->lesson) || ps_lesson_is_running (self->lesson))
    return;
  seen = g_ptr_array_index (self->seen_labels, step);
  icon = g_ptr_array_index (self->status_icons, step);
  /* the step turns the main loop while it waits; nothing else runs meanwhile */
  lesson = g_object_ref (self->lesson);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), "content-loading-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Running"), -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lesson_dropdown), FALSE);
  update_actions (self);
  ok = ps_lesson_run_step (lesson, step, &held, &observed, &error);
  if (self->lesson != lesson)   /* the window closed, or another lesson was chosen */
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->lesson_dropdown), TRUE);
  if (!ok)
    {
      /* TRANSLATORS: a step that could not run, and why */
      text = g_strdup_printf (_("Could not run: %s"), error->message);
      held = FALSE;
    }
  else
    {
      /* TRANSLATORS: what this machine did in a step */
      text = g_strdup_printf (_("Seen: %s"), observed);
      self->next++;
    }
  gtk_label_set_text (GTK_LABEL (seen), text);
  gtk_widget_set_visible (seen, TRUE);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), held ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  held ? _("The check held") : _("The check did not hold"), -1);
  update_actions (self);
}

static void
action_show (GtkWidget  *widget,
             const char *name,
             GVariant   *parameter)
{
  PsLessonWindow *self = PS_LESSON_WINDOW (widget);
  PsSource *source = self->lesson != NULL ? ps_session_get_source (ps_lesson_get_session (self->lesson)) : NULL;
  GApplication *app = g_application_get_default ();
  PsWindow *window;

  if (source == NULL || !PS_IS_APPLICATION (app))
    return;
  /* the same mapping, watched by a window of its own */
  window = ps_window_new (PS_APPLICATION (app));
  ps_window_set_source (window, source);
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_lesson_selected (PsLessonWindow *self)
{
  guint n;
  const PsLessonInfo *lessons = ps_lesson_list (&n);
  guint i = gtk_drop_down_get_selected (self->lesson_dropdown);

  if (i < n && (self->lesson == NULL || !g_str_equal (ps_lesson_get_info (self->lesson)->id, lessons[i].id)))
    show_lesson (self, lessons[i].id);
}

static void
ps_lesson_window_dispose (GObject *object)
{
  PsLessonWindow *self = PS_LESSON_WINDOW (object);

  /* removes what it made, and ends a step still running */
  if (self->lesson != NULL)
    ps_lesson_clean_up (self->lesson);
  g_clear_object (&self->lesson);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_LESSON_WINDOW);
  g_clear_pointer (&self->seen_labels, g_ptr_array_unref);
  g_clear_pointer (&self->status_icons, g_ptr_array_unref);
  G_OBJECT_CLASS (ps_lesson_window_parent_class)->dispose (object);
}

/* Closed (destroyed, even while someone holds a reference): what the lesson
 * made goes now, and a step still running ends. */
static void
ps_lesson_window_unrealize (GtkWidget *widget)
{
  PsLessonWindow *self = PS_LESSON_WINDOW (widget);

  if (self->lesson != NULL)
    ps_lesson_clean_up (self->lesson);
  GTK_WIDGET_CLASS (ps_lesson_window_parent_class)->unrealize (widget);
}

static void
ps_lesson_window_class_init (PsLessonWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_lesson_window_dispose;
  widget_class->unrealize = ps_lesson_window_unrealize;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-lesson-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PsLessonWindow, lesson_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PsLessonWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PsLessonWindow, steps_list);
  gtk_widget_class_bind_template_child (widget_class, PsLessonWindow, log_view);
  gtk_widget_class_bind_template_child (widget_class, PsLessonWindow, next_button);
  gtk_widget_class_install_action (widget_class, "lesson.next", NULL, action_next);
  gtk_widget_class_install_action (widget_class, "lesson.show", NULL, action_show);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  /* Enter and Page Down run the next step, wherever the focus is */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "lesson.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "lesson.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "lesson.next", NULL);
}

static void
ps_lesson_window_init (PsLessonWindow *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  const PsLessonInfo *lessons;
  guint n;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->seen_labels = g_ptr_array_new ();
  self->status_icons = g_ptr_array_new ();
  lessons = ps_lesson_list (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (titles, _(lessons[i].title));
  gtk_drop_down_set_model (self->lesson_dropdown, G_LIST_MODEL (titles));
  g_signal_connect (factory, "setup", G_CALLBACK (log_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (log_bind), NULL);
  gtk_list_view_set_factory (self->log_view, factory);
  g_signal_connect_object (self->lesson_dropdown, "notify::selected", G_CALLBACK (on_lesson_selected), self,
                           G_CONNECT_SWAPPED);
  on_lesson_selected (self);
  /* Enter runs the next step */
  gtk_widget_set_receives_default (self->next_button, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->next_button);
  gtk_window_set_focus (GTK_WINDOW (self), self->next_button);
}

GtkWindow *
ps_lesson_window_new (GtkWindow  *parent,
                      const char *id)
{
  PsLessonWindow *self = g_object_new (PS_TYPE_LESSON_WINDOW, "transient-for", parent, NULL);
  guint n;
  const PsLessonInfo *lessons = ps_lesson_list (&n);

  for (guint i = 0; id != NULL && i < n; i++)
    if (g_str_equal (lessons[i].id, id))
      gtk_drop_down_set_selected (self->lesson_dropdown, i);
  return GTK_WINDOW (self);
}

PsLesson *
ps_lesson_window_get_lesson (PsLessonWindow *self)
{
  g_return_val_if_fail (PS_IS_LESSON_WINDOW (self), NULL);
  return self->lesson;
}

/* For tests: what step i shows as seen ("" before it ran), and whether its
 * check held. */
const char *
ps_lesson_window_get_seen (PsLessonWindow *self,
                           guint           step,
                           gboolean       *held)
{
  GtkWidget *icon;

  g_return_val_if_fail (PS_IS_LESSON_WINDOW (self), NULL);
  g_return_val_if_fail (step < self->seen_labels->len, NULL);

  icon = g_ptr_array_index (self->status_icons, step);
  if (held != NULL)
    *held = g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (icon)), "emblem-ok-symbolic") == 0;
  return gtk_label_get_text (g_ptr_array_index (self->seen_labels, step));
}
