/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preferences window: rows bound to the settings, nothing else. A
 * window reads the interval, the colour mode and whether the log shows when
 * it opens, and writes its own changes back (ps-window.c), so these are what
 * a new window starts with; the CPU budget is the whole process's, followed
 * at once (ps-application.c binds it to the budget), and so are the fade
 * time and the hex row width (every window binds its views to them). */
#define G_LOG_DOMAIN "pagescope-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ps-a11y.h"
#include "ps-action-args.h"
#include "ps-hex-rows.h"
#include "ps-preferences-window.h"

struct _PsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwComboRow          *interval_row;
  AdwComboRow          *mode_row;
  GtkSwitch            *log_switch;
  GtkSpinButton        *budget_spin;
  GtkSpinButton        *fade_spin;
  AdwComboRow          *row_width_row;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (PsPreferencesWindow, ps_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* the colour modes in the row's order, as the schema's enum names them */
static const char *modes[] = { "activity", "content", "residency", "cow" };

/* ---- the interval: milliseconds <-> the row's choice ---------------------- */

static gboolean
interval_to_row (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  guint ms = g_variant_get_uint32 (variant), n, shown = 0;
  const guint *choices = ps_interval_choices (&n);

  /* the nearest choice at or below (a script may have set 250 ms) */
  for (guint i = 0; i < n; i++)
    if (choices[i] <= ms)
      shown = i;
  g_value_set_uint (value, shown);
  return TRUE;
}

static GVariant *
interval_from_row (const GValue       *value,
                   const GVariantType *type,
                   gpointer            user_data)
{
  guint n;
  const guint *choices = ps_interval_choices (&n);
  guint i = g_value_get_uint (value);

  return i < n ? g_variant_new_uint32 (choices[i]) : NULL;
}

/* ---- the colour mode: the enum's nick <-> the row's choice ------------------ */

static gboolean
mode_to_row (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_str_equal (nick, modes[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
mode_from_row (const GValue       *value,
               const GVariantType *type,
               gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (modes) ? g_variant_new_string (modes[i]) : NULL;
}

/* ---- the budget: a fraction of a core <-> percent ------------------------- */

static gboolean
budget_to_percent (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  g_value_set_double (value, round (g_variant_get_double (variant) * 100));
  return TRUE;
}

static GVariant *
budget_from_percent (const GValue       *value,
                     const GVariantType *type,
                     gpointer            user_data)
{
  return g_variant_new_double (g_value_get_double (value) / 100);
}

/* ---- the fade time: milliseconds <-> seconds ---------------------------------- */

static gboolean
fade_to_seconds (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 1000.0);
  return TRUE;
}

static GVariant *
fade_from_seconds (const GValue       *value,
                   const GVariantType *type,
                   gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) round (g_value_get_double (value) * 1000));
}

/* ---- the hex row width: bytes <-> the row's choice (8, 16, ... 64) ------------- */

static gboolean
row_width_to_row (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  guint bytes = g_variant_get_uint32 (variant);

  /* as the hex view takes it: down to a multiple of 8 */
  g_value_set_uint (value, CLAMP (bytes, PS_HEX_MIN_BYTES_PER_ROW, PS_HEX_MAX_BYTES_PER_ROW) / 8 - 1);
  return TRUE;
}

static GVariant *
row_width_from_row (const GValue       *value,
                    const GVariantType *type,
                    gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i < PS_HEX_MAX_BYTES_PER_ROW / 8 ? g_variant_new_uint32 ((i + 1) * 8) : NULL;
}

/* ---- GObject ------------------------------------------------------------------ */

static void
fill_row_widths (PsPreferencesWindow *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);

  for (guint bytes = PS_HEX_MIN_BYTES_PER_ROW; bytes <= PS_HEX_MAX_BYTES_PER_ROW; bytes += 8)
    {
      /* TRANSLATORS: a choice of the hex view's row width, e.g. "16 bytes" */
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u byte", "%u bytes", bytes), bytes);

      gtk_string_list_append (list, label);
    }
  adw_combo_row_set_model (self->row_width_row, G_LIST_MODEL (list));
}

static void
fill_intervals (PsPreferencesWindow *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint n;
  const guint *choices = ps_interval_choices (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = ps_interval_to_display (choices[i]);

      gtk_string_list_append (list, label);
    }
  adw_combo_row_set_model (self->interval_row, G_LIST_MODEL (list));
}

static void
bind_settings (PsPreferencesWindow *self)
{
  g_settings_bind_with_mapping (self->settings, "interval", self->interval_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, interval_to_row, interval_from_row, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "color-mode", self->mode_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, mode_to_row, mode_from_row, NULL, NULL);
  g_settings_bind (self->settings, "log-visible", self->log_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "cpu-budget", gtk_spin_button_get_adjustment (self->budget_spin),
                                "value", G_SETTINGS_BIND_DEFAULT, budget_to_percent, budget_from_percent, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "fade-time", gtk_spin_button_get_adjustment (self->fade_spin),
                                "value", G_SETTINGS_BIND_DEFAULT, fade_to_seconds, fade_from_seconds, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "hex-row-width", self->row_width_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, row_width_to_row, row_width_from_row, NULL, NULL);
}

static void
ps_preferences_window_dispose (GObject *object)
{
  PsPreferencesWindow *self = PS_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (ps_preferences_window_parent_class)->dispose (object);
}

static void
ps_preferences_window_class_init (PsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/pagescope/Pagescope/ps-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, interval_row);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, mode_row);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, log_switch);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, fade_spin);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, row_width_row);
}

static void
ps_preferences_window_init (PsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_intervals (self);
  fill_row_widths (self);
  ps_a11y_name_inner_buttons (GTK_WIDGET (self));
}

GtkWindow *
ps_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  PsPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (PS_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", parent != NULL, NULL);
  self->settings = g_object_ref (settings);
  bind_settings (self);
  return GTK_WINDOW (self);
}
