/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session's watches and marks, and their JSON form. */
#define G_LOG_DOMAIN "pagescope-session"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ps-parse.h"
#include "ps-session-private.h"

/* ---- watches --------------------------------------------------------------- */

GListModel *
ps_session_get_watches (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->watches);
}

PsWatch *
ps_session_find_watch (PsSession  *self,
                       const char *name)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->watches)); i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (G_LIST_MODEL (self->watches), i);

      if (g_strcmp0 (ps_watch_get_name (watch), name) == 0)
        return watch;   /* the store holds it */
    }
  return NULL;
}

PsWatch *
ps_session_add_watch (PsSession          *self,
                      const PsWatchSpec  *spec,
                      GError            **error)
{
  g_autoptr(PsWatch) watch = NULL;
  const PsGeometry *g;
  gsize size;

  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  g_return_val_if_fail (spec != NULL && spec->name != NULL, NULL);

  if (!ps_session_need_source (self, "watch", error))
    return NULL;
  g = ps_source_get_geometry (self->source);
  size = ps_value_size (spec->format.type);
  if (spec->offset >= g->length || size > g->length - spec->offset)
    {
      g_autofree char *value_size = ps_format_bytes (size);

      ps_session_refuse (self, error, G_IO_ERROR_INVALID_ARGUMENT, "watch",
              _("%s at 0x%" PRIx64 " (%s) does not lie inside the mapping (%" PRIu64 " bytes)"),
              spec->name, spec->offset, value_size, g->length);
      return NULL;
    }
  if (ps_session_find_watch (self, spec->name) != NULL)
    {
      ps_session_refuse (self, error, G_IO_ERROR_EXISTS, "watch", _("there is already a watch named %s"), spec->name);
      return NULL;
    }
  watch = ps_watch_new (spec);
  ps_watch_update (watch, self->source, g_get_monotonic_time ());
  g_list_store_append (self->watches, watch);
  return watch;
}

gboolean
ps_session_remove_watch (PsSession  *self,
                         const char *name,
                         GError    **error)
{
  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->watches)); i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (G_LIST_MODEL (self->watches), i);

      if (g_strcmp0 (ps_watch_get_name (watch), name) == 0)
        {
          g_list_store_remove (self->watches, i);
          return TRUE;
        }
    }
  return ps_session_refuse (self, error, G_IO_ERROR_NOT_FOUND, "unwatch", _("there is no watch named %s"), name);
}

/* ---- marks ----------------------------------------------------------------- */

GListModel *
ps_session_get_marks (PsSession *self)
{
  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->mark_store);
}

static gint
find_in (GListModel  *model,
         const char  *name,
         const char *(*get_name) (gpointer item))
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (get_name (item), name) == 0)
        return (gint) i;
    }
  return -1;
}

PsMark *
ps_session_find_mark (PsSession  *self,
                      const char *name)
{
  gint i;

  g_return_val_if_fail (PS_IS_SESSION (self), NULL);

  i = find_in (G_LIST_MODEL (self->mark_store), name, (gpointer) ps_mark_get_name);
  if (i < 0)
    return NULL;
  {
    g_autoptr(PsMark) mark = g_list_model_get_item (G_LIST_MODEL (self->mark_store), i);
    return mark;   /* the store holds it */
  }
}

static gboolean
check_mark (PsSession     *self,
            const char    *name,
            const PsRange *range,
            GError       **error)
{
  const PsGeometry *g = ps_source_get_geometry (self->source);

  if (!ps_mark_name_is_valid (name))
    return ps_session_refuse (self, error, G_IO_ERROR_INVALID_ARGUMENT, "mark",
                   _("\"%s\" is not a name: 1 to 64 letters, digits, '_', '-', '.' or spaces, starting with a letter"),
                   name);
  if (range->length == 0 || range->offset >= g->length || range->length > g->length - range->offset)
    return ps_session_refuse (self, error, G_IO_ERROR_INVALID_ARGUMENT, "mark",
                   _("%s: the range does not lie inside the mapping (%" PRIu64 " bytes); select what to mark"),
                   name, g->length);
  return TRUE;
}

PsMark *
ps_session_add_mark (PsSession      *self,
                     const char     *name,
                     const PsRange  *range,
                     GError        **error)
{
  g_autofree char *made = NULL;
  g_autoptr(PsMark) mark = NULL;

  g_return_val_if_fail (PS_IS_SESSION (self), NULL);
  g_return_val_if_fail (range != NULL, NULL);

  if (!ps_session_need_source (self, "mark", error))
    return NULL;
  if (name == NULL)
    {
      do
        {
          g_free (made);
          made = g_strdup_printf ("mark %u", ++self->marks_made);
        }
      while (ps_session_find_mark (self, made) != NULL);
      name = made;
    }
  if (!check_mark (self, name, range, error))
    return NULL;
  if (ps_session_find_mark (self, name) != NULL)
    {
      ps_session_refuse (self, error, G_IO_ERROR_EXISTS, "mark", _("there is already a mark named %s"), name);
      return NULL;
    }
  mark = ps_mark_new (name, range->offset, range->length,
                      ps_mark_colors[g_list_model_get_n_items (G_LIST_MODEL (self->mark_store)) % PS_MARK_N_COLORS]);
  g_list_store_append (self->mark_store, mark);
  return mark;
}

gboolean
ps_session_remove_mark (PsSession  *self,
                        const char *name,
                        GError    **error)
{
  gint i;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);

  i = find_in (G_LIST_MODEL (self->mark_store), name, (gpointer) ps_mark_get_name);
  if (i < 0)
    return ps_session_refuse (self, error, G_IO_ERROR_NOT_FOUND, "unmark", _("there is no mark named %s"), name);
  g_list_store_remove (self->mark_store, i);
  return TRUE;
}

/* ---- watches and marks as JSON ---------------------------------------------- */

char *
ps_session_export_annotations (PsSession *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GListModel *watches = G_LIST_MODEL (self->watches);
  GListModel *marks = G_LIST_MODEL (self->mark_store);

  g_return_val_if_fail (PS_IS_SESSION (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pagescope-annotations");
  json_builder_add_int_value (b, 1);
  if (self->source != NULL)
    {
      PsSourceSpec *spec = ps_source_dup_spec (self->source);
      g_autofree char *text = ps_source_spec_to_string (spec);

      ps_source_spec_clear (spec);
      g_free (spec);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, text);
    }
  json_builder_set_member_name (b, "watches");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (watches); i++)
    {
      g_autoptr(PsWatch) watch = g_list_model_get_item (watches, i);
      const PsWatchSpec *spec = ps_watch_get_spec (watch);
      g_autofree char *type = ps_value_format_to_string (&spec->format, TRUE);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, spec->name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, type);
      json_builder_set_member_name (b, "offset");
      json_builder_add_int_value (b, (gint64) spec->offset);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "marks");
  json_builder_begin_array (b);
  for (guint i = 0; i < g_list_model_get_n_items (marks); i++)
    {
      g_autoptr(PsMark) mark = g_list_model_get_item (marks, i);
      g_autofree char *color = g_strdup_printf ("#%08x", ps_mark_get_rgba (mark));

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, ps_mark_get_name (mark));
      json_builder_set_member_name (b, "offset");
      json_builder_add_int_value (b, (gint64) ps_mark_get_offset (mark));
      json_builder_set_member_name (b, "length");
      json_builder_add_int_value (b, (gint64) ps_mark_get_length (mark));
      json_builder_set_member_name (b, "color");
      json_builder_add_string_value (b, color);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* A member that must be a string, or a whole number >= 0. */
static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static gboolean
member_size (JsonObject *object,
             const char *name,
             guint64    *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return FALSE;
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    return NULL;
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

gboolean
ps_session_import_annotations (PsSession   *self,
                               const char  *json,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) watches = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) marks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonArray *list;

  g_return_val_if_fail (PS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (!ps_session_need_source (self, "import", error))
    return FALSE;
  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    return ps_session_refuse (self, error, G_IO_ERROR_INVALID_DATA, "import", _("not JSON: %s"), local_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
      !json_object_has_member (root = json_node_get_object (json_parser_get_root (parser)), "pagescope-annotations"))
    return ps_session_refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                   _("not Pagescope's watches and marks (no \"pagescope-annotations\" member)"));

  /* everything is checked before anything changes */
  list = member_array (root, "watches");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = o != NULL ? member_string (o, "name") : NULL;
      const char *type = o != NULL ? member_string (o, "type") : NULL;
      g_autofree char *text = NULL;
      g_auto(PsWatchSpec) spec = { 0 };
      guint64 offset;

      if (name == NULL || type == NULL || !member_size (o, "offset", &offset))
        return ps_session_refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                       _("watch %u: it needs a name, a type and an offset"), i + 1);
      text = g_strdup_printf ("%s:%s@%" G_GUINT64_FORMAT, name, type, offset);
      if (!ps_watch_spec_parse (text, &spec, &local_error))
        return ps_session_refuse (self, error, G_IO_ERROR_INVALID_DATA, "import", "%s", local_error->message);
      if (offset + ps_value_size (spec.format.type) > ps_source_get_geometry (self->source)->length)
        return ps_session_refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                       _("watch %s: it does not lie inside this mapping"), name);
      g_ptr_array_add (watches, ps_watch_new (&spec));
    }
  list = member_array (root, "marks");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = o != NULL ? member_string (o, "name") : NULL;
      const char *color = o != NULL ? member_string (o, "color") : NULL;
      PsRange range;
      guint64 rgba = ps_mark_colors[i % PS_MARK_N_COLORS];

      if (name == NULL || !member_size (o, "offset", &range.offset) || !member_size (o, "length", &range.length))
        return ps_session_refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                       _("mark %u: it needs a name, an offset and a length"), i + 1);
      if (color != NULL && (color[0] != '#' || strlen (color) != 9 ||
                            !g_ascii_string_to_unsigned (color + 1, 16, 0, G_MAXUINT32, &rgba, NULL)))
        return ps_session_refuse (self, error, G_IO_ERROR_INVALID_DATA, "import",
                       _("mark %s: the colour \"%s\" is not #RRGGBBAA"), name, color);
      if (!check_mark (self, name, &range, error))
        return FALSE;
      g_ptr_array_add (marks, ps_mark_new (name, range.offset, range.length, (guint32) rgba));
    }

  for (guint i = 0; i < watches->len; i++)
    {
      PsWatch *watch = g_ptr_array_index (watches, i);
      gint at = find_in (G_LIST_MODEL (self->watches), ps_watch_get_name (watch), (gpointer) ps_watch_get_name);

      if (at >= 0)
        g_list_store_remove (self->watches, at);
      ps_watch_update (watch, self->source, g_get_monotonic_time ());
      g_list_store_append (self->watches, watch);
    }
  for (guint i = 0; i < marks->len; i++)
    {
      PsMark *mark = g_ptr_array_index (marks, i);
      gint at = find_in (G_LIST_MODEL (self->mark_store), ps_mark_get_name (mark), (gpointer) ps_mark_get_name);

      if (at >= 0)
        g_list_store_remove (self->mark_store, at);
      g_list_store_append (self->mark_store, mark);
    }
  return TRUE;
}

