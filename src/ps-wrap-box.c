/* SPDX-License-Identifier: GPL-3.0-or-later */
/* See ps-wrap-box.h. */
#define G_LOG_DOMAIN "pagescope-wrap-box"

#include "config.h"

#include "ps-wrap-box.h"
#include "ps-wrap-layout.h"

struct _PsWrapBox
{
  GtkWidget parent_instance;

  int       spacing;
};

static void ps_wrap_box_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsWrapBox, ps_wrap_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, ps_wrap_box_buildable_init))

enum {
  PROP_0,
  PROP_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static GtkBuildableIface *parent_buildable;

static void
ps_wrap_box_add_child (GtkBuildable *buildable,
                       GtkBuilder   *builder,
                       GObject      *child,
                       const char   *type)
{
  if (GTK_IS_WIDGET (child))
    gtk_widget_set_parent (GTK_WIDGET (child), GTK_WIDGET (buildable));
  else
    parent_buildable->add_child (buildable, builder, child, type);
}

static void
ps_wrap_box_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable = g_type_interface_peek_parent (iface);
  iface->add_child = ps_wrap_box_add_child;
}

static void
ps_wrap_box_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, PS_WRAP_BOX (object)->spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_wrap_box_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PsWrapBox *self = PS_WRAP_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      self->spacing = g_value_get_int (value);
      ps_wrap_layout_set_spacing (PS_WRAP_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  self->spacing, self->spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (ps_wrap_box_parent_class)->dispose (object);
}

static void
ps_wrap_box_class_init (PsWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_wrap_box_dispose;
  object_class->get_property = ps_wrap_box_get_property;
  object_class->set_property = ps_wrap_box_set_property;

  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, PS_TYPE_WRAP_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "box");
}

static void
ps_wrap_box_init (PsWrapBox *self)
{
}

GtkWidget *
ps_wrap_box_new (void)
{
  return g_object_new (PS_TYPE_WRAP_BOX, NULL);
}
