/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names for the controls GTK 4.8 leaves unnamed (see ps-a11y.h). */
#define G_LOG_DOMAIN "pagescope-a11y"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ps-a11y.h"

/* The outer widget is what a template names; its focusable inner button
 * reads that name through the relation. */
static void
label_inner_by (GtkWidget *outer)
{
  for (GtkWidget *child = gtk_widget_get_first_child (outer); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      gtk_accessible_update_relation (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_RELATION_LABELLED_BY, outer, NULL, -1);
}

/* A menu button with a text label: its inner button reads the label, the
 * button itself would be its class name. */
static void
name_by_label (GtkMenuButton *button)
{
  const char *label = gtk_menu_button_get_label (button);
  g_autofree char *text = NULL;

  if (gtk_menu_button_get_use_underline (button))
    pango_parse_markup (label, -1, '_', NULL, &text, NULL, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL ? text : label, -1);
}

/* A combo row shows its choice in a list view of its own, which would be
 * read as a nameless list: it takes the row's title. */
static void
label_lists_by (const char *title,
                GtkWidget  *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      else if (!GTK_IS_NATIVE (child))
        label_lists_by (title, child);
    }
}

static void
name_combo_row (AdwComboRow *row)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *text = NULL;

  if (title == NULL)
    return;
  if (adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (row)))
    pango_parse_markup (title, -1, '_', NULL, &text, NULL, NULL);
  label_lists_by (text != NULL ? text : title, GTK_WIDGET (row));
}

/* The split button's arrow: a menu button of its own, said by the
 * split button's drop-down tooltip. */
static void
name_split_arrow (AdwSplitButton *split)
{
  const char *tooltip = adw_split_button_get_dropdown_tooltip (split);

  if (tooltip == NULL)
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (split)); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_MENU_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

/* The search bar's own close button, outside the child it was given. */
static void
name_search_close (GtkWidget *widget,
                   GtkWidget *content)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (child == content)
        continue;
      if (GTK_IS_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Close"), -1);
      else
        name_search_close (child, content);
    }
}

void
ps_a11y_name_inner_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_label (GTK_MENU_BUTTON (root)) != NULL)
    name_by_label (GTK_MENU_BUTTON (root));
  if (GTK_IS_DROP_DOWN (root) || GTK_IS_MENU_BUTTON (root))
    label_inner_by (root);
  else if (ADW_IS_SPLIT_BUTTON (root))
    name_split_arrow (ADW_SPLIT_BUTTON (root));
  else if (ADW_IS_COMBO_ROW (root))
    name_combo_row (ADW_COMBO_ROW (root));
  else if (GTK_IS_SEARCH_BAR (root))
    name_search_close (root, gtk_search_bar_get_child (GTK_SEARCH_BAR (root)));

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (!GTK_IS_NATIVE (child))
      ps_a11y_name_inner_buttons (child);
}
