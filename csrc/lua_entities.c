/*
 * lua_entities.c - the Lua binding of the entity tagger: Tagger userdata
 * (gazetteer + patterns + model + scratch) and doc:entities().
 *
 *   core.tagger_new()                  -> Tagger (empty: no phrases, no model)
 *   tagger:load_tsv(text, name)        -> true | nil, "name:line: message"
 *   tagger:add(phrase, class[, canon]) -> true | nil, message
 *   tagger:pattern(pcre, type)         -> true | nil, "... at offset N"
 *   tagger:model(bytes, name)          -> true | nil, "name: message"
 *   tagger:info()                      -> { phrases=, patterns=, model=, checksum= }
 *   tagger:gaz_features(doc)           -> { bits, ... } one per token (TD_GAZ_*)
 *   core.tagger_methods()              -> the methods table (tagger.lua adds analyze)
 *   core.entities_bind(doc, tagger)    -> doc (its entities() will use tagger)
 *   doc:entities()                     -> { {text=, type=, start=, stop=, canonical=,
 *                                             role=, score=}, ... }
 *   doc:entity_arrays()                -> starts, stops, types, canonicals, roles
 *                                         (the same as parallel arrays)
 * The result is kept in C in the Doc; td_l_doc_entity_set/td_l_entity_set
 * (binding.h) hand it to doc:quotes() without building the Lua tables.
 * A Doc without a tagger gets the default one from require("tidings.tagger").default().
 */
#include <string.h>

#include "binding.h"

#define TAGGER_MT "tidings.Tagger"
#define ENTS_MT "tidings.EntitySet"

typedef struct ltagger {
  td_alloc A;
  td_gazetteer *gaz;
  td_patterns *pat;
  td_model *model;
  td_ent_scratch s;
  int alive;
} ltagger;

typedef struct lents {
  td_entities es;
  int alive;
} lents;

static int tagger_gc(lua_State *L) {
  ltagger *t = (ltagger *)luaL_checkudata(L, 1, TAGGER_MT);
  if (t->alive) {
    td_gaz_free(t->gaz);
    td_patterns_free(t->pat);
    if (t->model) td_model_free(t->model);
    td_ent_scratch_free(&t->s);
    t->gaz = NULL;
    t->pat = NULL;
    t->model = NULL;
    t->alive = 0;
  }
  return 0;
}

static ltagger *check_tagger(lua_State *L, int idx) {
  ltagger *t = (ltagger *)luaL_checkudata(L, idx, TAGGER_MT);
  if (!t->alive) luaL_argerror(L, idx, "the tagger has been freed");
  return t;
}

static int push_fail(lua_State *L, const char *msg) {
  lua_pushnil(L);
  lua_pushstring(L, msg);
  return 2;
}

static int t_load_tsv(lua_State *L) {
  ltagger *t = check_tagger(L, 1);
  size_t len;
  const char *text = luaL_checklstring(L, 2, &len);
  const char *name = luaL_optstring(L, 3, "gazetteer");
  char err[512];
  int rc = td_gaz_load_tsv(t->gaz, text, len, name, err, sizeof err);
  if (rc == TD_EDATA) return push_fail(L, err);
  if (rc != TD_OK) return luaL_error(L, "not enough memory");
  lua_pushboolean(L, 1);
  return 1;
}

static int t_add(lua_State *L) {
  ltagger *t = check_tagger(L, 1);
  size_t pl, cl, nl = 0;
  const char *phrase = luaL_checklstring(L, 2, &pl);
  const char *cls = luaL_checklstring(L, 3, &cl);
  const char *canon = luaL_optlstring(L, 4, NULL, &nl);
  char err[300];
  int rc = td_gaz_add(t->gaz, phrase, pl, cls, cl, canon, nl, err, sizeof err);
  if (rc == TD_EDATA) return push_fail(L, err);
  if (rc != TD_OK) return luaL_error(L, "not enough memory");
  lua_pushboolean(L, 1);
  return 1;
}

static int t_pattern(lua_State *L) {
  ltagger *t = check_tagger(L, 1);
  size_t pl, tl;
  const char *src = luaL_checklstring(L, 2, &pl);
  const char *type = luaL_checklstring(L, 3, &tl);
  char err[300];
  int ty = td_gaz_intern_type(t->gaz, type, tl), rc;
  if (ty < 0) return push_fail(L, "too many entity types (or an empty type name)");
  rc = td_patterns_add(t->pat, src, pl, ty, err, sizeof err);
  if (rc == TD_EDATA) return push_fail(L, err);
  if (rc != TD_OK) return luaL_error(L, "not enough memory");
  lua_pushboolean(L, 1);
  return 1;
}

static int t_model(lua_State *L) {
  ltagger *t = check_tagger(L, 1);
  size_t n;
  const char *bytes = luaL_checklstring(L, 2, &n);
  const char *name = luaL_optstring(L, 3, "model");
  char err[300];
  td_model *m = NULL;
  int rc = td_model_load(&t->A, (const uint8_t *)bytes, n, &m, err, sizeof err);
  if (rc == TD_ENOMEM) return luaL_error(L, "not enough memory");
  if (rc != TD_OK) {
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s", name, err);
    return 2;
  }
  if (t->model) td_model_free(t->model);
  t->model = m;
  lua_pushboolean(L, 1);
  return 1;
}

static int t_info(lua_State *L) {
  ltagger *t = check_tagger(L, 1);
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)td_gaz_size(t->gaz));
  lua_setfield(L, -2, "phrases");
  lua_pushinteger(L, (lua_Integer)td_patterns_count(t->pat));
  lua_setfield(L, -2, "patterns");
  if (t->model) {
    lua_pushstring(L, td_model_name(t->model));
    lua_setfield(L, -2, "model");
    lua_pushnumber(L, (lua_Number)td_model_checksum(t->model));
    lua_setfield(L, -2, "checksum");
  }
  return 1;
}

/* Per-token TD_GAZ_* bits of a doc (for training and inspection). */
static int t_gaz_features(lua_State *L) {
  ltagger *t = check_tagger(L, 1);
  td_doc *d = td_l_checkdoc(L, 2);
  size_t i, n = d->ntok;
  uint64_t *h;
  uint32_t *f;
  if (n > ((size_t)-1) / 16) return luaL_error(L, "not enough memory");
  /* scratch owned by a userdata so an error cannot leak it */
  h = (uint64_t *)lua_newuserdata(L, n * (sizeof *h + sizeof *f) + 1);
  f = (uint32_t *)(h + n);
  td_gaz_hash_tokens(d, h);
  td_gaz_features(t->gaz, d, h, f);
  td_l_newarray(L, (int)n);
  for (i = 0; i < n; i++) {
    lua_pushinteger(L, (lua_Integer)f[i]);
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

static const luaL_Reg tagger_methods[] = {
  {"load_tsv", t_load_tsv},
  {"add", t_add},
  {"pattern", t_pattern},
  {"model", t_model},
  {"info", t_info},
  {"gaz_features", t_gaz_features},
  {NULL, NULL}
};

static void tagger_metatable(lua_State *L) {
  if (luaL_newmetatable(L, TAGGER_MT)) {
    lua_newtable(L);
    td_setfuncs(L, tagger_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, tagger_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "tidings.Tagger");
    lua_setfield(L, -2, "__name");
  }
}

int td_l_tagger_new(lua_State *L) {
  ltagger *t = (ltagger *)lua_newuserdata(L, sizeof(ltagger));
  memset(t, 0, sizeof *t);
  tagger_metatable(L);
  lua_setmetatable(L, -2);
  td_l_alloc(L, &t->A);
  td_ent_scratch_init(&t->s, &t->A);
  t->alive = 1;
  if (td_gaz_new(&t->A, &t->gaz) != TD_OK || td_patterns_new(&t->A, &t->pat) != TD_OK)
    return luaL_error(L, "not enough memory");
  return 1;
}

int td_l_tagger_methods(lua_State *L) {
  tagger_metatable(L);
  lua_getfield(L, -1, "__index");
  return 1;
}

int td_l_entities_bind(lua_State *L) {
  td_l_checkdoc(L, 1);
  check_tagger(L, 2);
  td_l_doc_uservalue(L, 1);
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, "tagger");
  lua_pushnil(L);
  lua_setfield(L, -2, "entities");
  lua_settop(L, 1);
  return 1;
}

/* ---- doc:entities() ---------------------------------------------------- */

static int ents_gc(lua_State *L) {
  lents *le = (lents *)luaL_checkudata(L, 1, ENTS_MT);
  if (le->alive) { td_entities_free(&le->es); le->alive = 0; }
  return 0;
}

static void push_entities(lua_State *L, const td_doc *d, const td_entities *es,
                          const td_gazetteer *g) {
  size_t i;
  td_l_newarray(L, (int)es->n);
  for (i = 0; i < es->n; i++) {
    const td_entity *e = &es->e[i];
    lua_createtable(L, 0, 7);
    lua_pushlstring(L, d->text + e->start, e->end - e->start);
    lua_setfield(L, -2, "text");
    lua_pushstring(L, td_gaz_type_name(g, e->type));
    lua_setfield(L, -2, "type");
    lua_pushinteger(L, (lua_Integer)e->start + 1);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, (lua_Integer)e->end);
    lua_setfield(L, -2, "stop");
    lua_pushlstring(L, es->str + e->canon, e->canonlen);
    lua_setfield(L, -2, "canonical");
    if (e->role_end > e->role_start) {
      lua_pushlstring(L, d->text + e->role_start, e->role_end - e->role_start);
      lua_setfield(L, -2, "role");
    }
    lua_pushnumber(L, (lua_Number)e->score / 100);
    lua_setfield(L, -2, "score");
    lua_rawseti(L, -2, (int)i + 1);
  }
}

/* The Doc at index doc's entity set, found with its tagger the first time
 * (both are kept in the Doc's private table).  Pushes the tagger and the set. */
static lents *doc_entity_set(lua_State *L, int doc, ltagger **tp) {
  td_doc *d = td_l_checkdoc(L, doc);
  ltagger *t;
  lents *le;
  int rc, priv, tg;
  td_l_doc_uservalue(L, doc);               /* private table */
  priv = lua_gettop(L);
  lua_getfield(L, priv, "tagger");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_getglobal(L, "require");
    lua_pushliteral(L, "tidings.tagger");
    lua_call(L, 1, 1);
    lua_getfield(L, -1, "default");
    lua_remove(L, -2);
    lua_call(L, 0, 1);                      /* the default tagger */
    lua_pushvalue(L, -1);
    lua_setfield(L, priv, "tagger");
  }
  tg = lua_gettop(L);
  t = check_tagger(L, tg);
  lua_getfield(L, priv, "entities");
  le = (lents *)td_testudata(L, -1, ENTS_MT);
  if (le == NULL) {
    lua_pop(L, 1);
    le = (lents *)lua_newuserdata(L, sizeof(lents));
    memset(le, 0, sizeof *le);
    if (luaL_newmetatable(L, ENTS_MT)) {
      lua_pushcfunction(L, ents_gc);
      lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    td_entities_init(&le->es, &t->A);
    le->alive = 1;
    rc = td_entities_find(t->gaz, t->pat, t->model, &t->s, d, &le->es);
    if (rc != TD_OK) luaL_error(L, "not enough memory");
    lua_pushvalue(L, -1);
    lua_setfield(L, priv, "entities");
  }
  lua_remove(L, priv);
  *tp = t;
  return le;
}

int td_l_doc_entities(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  ltagger *t;
  lents *le;
  lua_settop(L, 1);
  le = doc_entity_set(L, 1, &t);
  push_entities(L, d, &le->es, t->gaz);
  return 1;
}

/* doc:entity_arrays() -> starts, stops, types, canonicals, roles: the rows of
 * doc:entities() as five parallel arrays (canonical false when it is the
 * text itself, role false when there is none).  No table per entity: the
 * Neovim plugin highlights ~13,000 entities per MB and reads few of them. */
int td_l_doc_entity_arrays(lua_State *L) {
  enum { NAMES = 32 };             /* type names pushed once (ids below this) */
  td_doc *d = td_l_checkdoc(L, 1);
  ltagger *t;
  lents *le;
  const td_entities *es;
  int names[NAMES], out;
  size_t i;
  lua_settop(L, 1);
  le = doc_entity_set(L, 1, &t);
  es = &le->es;
  for (i = 0; i < NAMES; i++) names[i] = 0;
  luaL_checkstack(L, NAMES + 8, "doc:entity_arrays()");
  out = lua_gettop(L) + 1;
  for (i = 0; i < 5; i++) td_l_newarray(L, (int)es->n);
  for (i = 0; i < es->n; i++) {
    const td_entity *e = &es->e[i];
    int k = (int)i + 1;
    size_t len = e->end - e->start;
    lua_pushinteger(L, (lua_Integer)e->start + 1);
    lua_rawseti(L, out, k);
    lua_pushinteger(L, (lua_Integer)e->end);
    lua_rawseti(L, out + 1, k);
    if (e->type >= 0 && e->type < NAMES) {
      if (names[e->type] == 0) {
        lua_pushstring(L, td_gaz_type_name(t->gaz, e->type));
        names[e->type] = lua_gettop(L);
      }
      lua_pushvalue(L, names[e->type]);
    } else {
      lua_pushstring(L, td_gaz_type_name(t->gaz, e->type));
    }
    lua_rawseti(L, out + 2, k);
    if (e->canonlen == len && memcmp(es->str + e->canon, d->text + e->start, len) == 0)
      lua_pushboolean(L, 0);
    else
      lua_pushlstring(L, es->str + e->canon, e->canonlen);
    lua_rawseti(L, out + 3, k);
    if (e->role_end > e->role_start)
      lua_pushlstring(L, d->text + e->role_start, e->role_end - e->role_start);
    else
      lua_pushboolean(L, 0);
    lua_rawseti(L, out + 4, k);
  }
  lua_settop(L, out + 4);
  return 5;
}

int td_l_doc_entity_set(lua_State *L) {
  ltagger *t;
  lua_settop(L, 1);
  doc_entity_set(L, 1, &t);
  return 2;
}

const td_entities *td_l_entity_set(lua_State *L, int tagger, int set, const td_gazetteer **g) {
  ltagger *t = (ltagger *)td_testudata(L, tagger, TAGGER_MT);
  lents *le = (lents *)td_testudata(L, set, ENTS_MT);
  if (!t || !t->alive || !le || !le->alive) return NULL;
  *g = t->gaz;
  return &le->es;
}
