/*
 * lua_model.c - the Lua binding of the NER model (model.c): loading a model
 * file, tagging a Doc with the raw model, and training.
 *
 *   core.model_load(bytes)             -> Model | nil, msg
 *   model:name()  model:checksum()     -> string, integer (CRC-32 of the file)
 *   model:types()                      -> { "PER", "LOC", ... }
 *   model:labels(doc [, gaz])          -> { "B-PER", "L-PER", "O", ... } one per token
 *   model:spans(doc [, gaz])           -> { {start, stop, type}, ... } (1-based inclusive bytes)
 *        gaz: per-token gazetteer bitmasks (tagger:gaz_features(doc)), when the
 *        model was trained with them
 *   model:history(doc [, gaz])         -> { bits, ... } one per token: how the model
 *        tagged the other mentions of each capitalised word (for training a model
 *        with the prediction history on held-out predictions)
 *   model:has_history()                -> true when the model tags in two passes
 *
 *   core.model_trainer{ name=, types={...}, bits=20, seed=1, clsets=0 } -> Trainer
 *   trainer:cluster(word, {id1, id2, ...})     (before any sentence)
 *   trainer:add(doc, spans [, gaz [, hist]]) -> number of spans that do not fall on token edges
 *        spans = { {start, stop, type}, ... } 1-based inclusive bytes, type 1..ntypes;
 *        each sentence of the doc is one training sentence
 *   trainer:epoch()                    -> tokens mis-tagged during the pass
 *   trainer:save([prune])              -> model bytes
 *
 * Tagging works per sentence of the Doc (its sentence segmentation), or on
 * the whole Doc when it has no sentences.
 */
#include <string.h>

#include "binding.h"

#define MODEL_MT "tidings.Model"
#define TRAINER_MT "tidings.Trainer"

typedef struct lmodel {
  td_model *m;
  td_model_scratch s;
  uint16_t *labels;
  size_t caplabels;
  uint32_t *gaz;
  size_t capgaz;
  td_alloc A;
} lmodel;

typedef struct ltrainer {
  td_trainer *t;
  uint16_t *labels;
  size_t caplabels;
  uint32_t *gaz;
  size_t capgaz;
  td_alloc A;
} ltrainer;

/* An optional array of per-token gazetteer bits at idx (tagger:gaz_features)
 * into *buf; NULL when absent. */
static const uint32_t *opt_gaz(lua_State *L, int idx, const td_doc *d, const td_alloc *A,
                               uint32_t **buf, size_t *cap) {
  if (lua_isnoneornil(L, idx)) return NULL;
  luaL_checktype(L, idx, LUA_TTABLE);
  if (td_rawlen(L, idx) != d->ntok) luaL_argerror(L, idx, "need one gazetteer bitmask per token");
  if (d->ntok == 0) return NULL;
  if (td_grow(A, (void **)buf, cap, d->ntok, sizeof **buf) != TD_OK) luaL_error(L, "not enough memory");
  for (size_t i = 0; i < d->ntok; i++) {
    lua_rawgeti(L, idx, (int)i + 1);
    lua_Number v = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (!(v >= 0 && v <= 4294967295.0)) luaL_argerror(L, idx, "gazetteer bitmasks must be 0..2^32-1");
    (*buf)[i] = (uint32_t)v;
  }
  return *buf;
}

static int model_gc(lua_State *L) {
  lmodel *lm = (lmodel *)luaL_checkudata(L, 1, MODEL_MT);
  if (lm->m) { td_model_free(lm->m); lm->m = NULL; }
  td_model_scratch_free(&lm->s);
  if (lm->labels) { td_free(&lm->A, lm->labels, lm->caplabels * sizeof *lm->labels); lm->labels = NULL; }
  if (lm->gaz) { td_free(&lm->A, lm->gaz, lm->capgaz * sizeof *lm->gaz); lm->gaz = NULL; }
  lm->caplabels = lm->capgaz = 0;
  return 0;
}

static lmodel *check_model(lua_State *L, int idx) {
  lmodel *lm = (lmodel *)luaL_checkudata(L, idx, MODEL_MT);
  if (!lm->m) luaL_argerror(L, idx, "model has been freed");
  return lm;
}

static int model_name(lua_State *L) {
  lua_pushstring(L, td_model_name(check_model(L, 1)->m));
  return 1;
}

static int model_checksum(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)td_model_checksum(check_model(L, 1)->m));
  return 1;
}

static int model_types(lua_State *L) {
  td_model *m = check_model(L, 1)->m;
  int n = td_model_ntypes(m);
  td_l_newarray(L, n);
  for (int i = 0; i < n; i++) {
    lua_pushstring(L, td_model_type_name(m, i));
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* Tag every sentence of the doc into lm->labels. */
static void tag_doc(lua_State *L, lmodel *lm, const td_doc *d) {
  const uint32_t *gaz = opt_gaz(L, 3, d, &lm->A, &lm->gaz, &lm->capgaz);
  if (td_grow(&lm->A, (void **)&lm->labels, &lm->caplabels, d->ntok ? d->ntok : 1,
              sizeof *lm->labels) != TD_OK)
    luaL_error(L, "not enough memory");
  if (td_model_tag_doc(lm->m, &lm->s, d, gaz, lm->labels) != TD_OK) luaL_error(L, "not enough memory");
}

static int model_history(lua_State *L) {
  lmodel *lm = check_model(L, 1);
  const td_doc *d = td_l_checkdoc(L, 2);
  tag_doc(L, lm, d);
  uint16_t *hist = (uint16_t *)lua_newuserdata(L, (d->ntok ? d->ntok : 1) * sizeof *hist);
  if (td_model_history(lm->m, &lm->s, d, lm->labels, hist) != TD_OK) return luaL_error(L, "not enough memory");
  td_l_newarray(L, (int)d->ntok);
  for (size_t i = 0; i < d->ntok; i++) {
    lua_pushinteger(L, hist[i]);
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

static int model_has_history(lua_State *L) {
  lua_pushboolean(L, td_model_has_history(check_model(L, 1)->m));
  return 1;
}

static int model_labels(lua_State *L) {
  lmodel *lm = check_model(L, 1);
  const td_doc *d = td_l_checkdoc(L, 2);
  tag_doc(L, lm, d);
  td_l_newarray(L, (int)d->ntok);
  static const char pos[] = "OBILU";
  for (size_t i = 0; i < d->ntok; i++) {
    int l = lm->labels[i], ty = td_model_label_type(lm->m, l);
    if (ty < 0) lua_pushliteral(L, "O");
    else lua_pushfstring(L, "%c-%s", pos[td_model_label_pos(lm->m, l)], td_model_type_name(lm->m, ty));
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

static int model_spans(lua_State *L) {
  lmodel *lm = check_model(L, 1);
  const td_doc *d = td_l_checkdoc(L, 2);
  tag_doc(L, lm, d);
  td_l_newarray(L, 0);
  int k = 0;
  size_t begin = 0;
  for (size_t i = 0; i < d->ntok; i++) {
    int l = lm->labels[i], pos = td_model_label_pos(lm->m, l);
    if (pos == TD_POS_B || pos == TD_POS_U) begin = i;
    if (pos == TD_POS_L || pos == TD_POS_U) {
      lua_createtable(L, 3, 0);
      lua_pushinteger(L, (lua_Integer)d->tok[begin].start + 1);
      lua_rawseti(L, -2, 1);
      lua_pushinteger(L, (lua_Integer)d->tok[i].end);
      lua_rawseti(L, -2, 2);
      lua_pushstring(L, td_model_type_name(lm->m, td_model_label_type(lm->m, l)));
      lua_rawseti(L, -2, 3);
      lua_rawseti(L, -2, ++k);
    }
  }
  return 1;
}

int td_l_model_load(lua_State *L) {
  size_t n;
  const char *bytes = luaL_checklstring(L, 1, &n);
  lmodel *lm = (lmodel *)td_newuserdata(L, sizeof *lm);
  memset(lm, 0, sizeof *lm);
  td_l_alloc(L, &lm->A);
  td_model_scratch_init(&lm->s, &lm->A);
  if (luaL_newmetatable(L, MODEL_MT)) {
    static const luaL_Reg methods[] = {
      {"name", model_name}, {"checksum", model_checksum}, {"types", model_types},
      {"labels", model_labels}, {"spans", model_spans}, {"history", model_history},
      {"has_history", model_has_history}, {NULL, NULL}};
    lua_pushcfunction(L, model_gc);
    lua_setfield(L, -2, "__gc");
    lua_newtable(L);
    td_setfuncs(L, methods);
    lua_setfield(L, -2, "__index");
  }
  lua_setmetatable(L, -2);
  char err[160];
  int rc = td_model_load(&lm->A, (const uint8_t *)bytes, n, &lm->m, err, sizeof err);
  if (rc == TD_ENOMEM) return luaL_error(L, "not enough memory");
  if (rc != TD_OK) {
    lua_pushnil(L);
    lua_pushstring(L, err);
    return 2;
  }
  td_gc_hint(L, n);
  return 1;
}

/* ---- training ---------------------------------------------------------- */

static int trainer_gc(lua_State *L) {
  ltrainer *lt = (ltrainer *)luaL_checkudata(L, 1, TRAINER_MT);
  if (lt->t) { td_trainer_free(lt->t); lt->t = NULL; }
  if (lt->labels) { td_free(&lt->A, lt->labels, lt->caplabels * sizeof *lt->labels); lt->labels = NULL; }
  if (lt->gaz) { td_free(&lt->A, lt->gaz, lt->capgaz * sizeof *lt->gaz); lt->gaz = NULL; }
  lt->caplabels = lt->capgaz = 0;
  return 0;
}

static ltrainer *check_trainer(lua_State *L, int idx) {
  ltrainer *lt = (ltrainer *)luaL_checkudata(L, idx, TRAINER_MT);
  if (!lt->t) luaL_argerror(L, idx, "trainer has been freed");
  return lt;
}

static int trainer_cluster(lua_State *L) {
  ltrainer *lt = check_trainer(L, 1);
  size_t len;
  const char *w = luaL_checklstring(L, 2, &len);
  luaL_checktype(L, 3, LUA_TTABLE);
  uint32_t ids[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    lua_rawgeti(L, 3, i + 1);
    if (!lua_isnil(L, -1)) {
      lua_Number v = lua_tonumber(L, -1);
      if (!(v >= 0 && v <= 4294967295.0)) luaL_argerror(L, 3, "cluster ids must be 0..2^32-1");
      ids[i] = (uint32_t)v;
    }
    lua_pop(L, 1);
  }
  int rc = td_trainer_cluster(lt->t, (const uint8_t *)w, len, ids);
  if (rc == TD_ENOMEM) return luaL_error(L, "not enough memory");
  if (rc != TD_OK) return luaL_error(L, "clusters must be added before sentences (and need clsets > 0)");
  return 0;
}

static int trainer_add(lua_State *L) {
  ltrainer *lt = check_trainer(L, 1);
  const td_doc *d = td_l_checkdoc(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  const uint32_t *gaz = opt_gaz(L, 4, d, &lt->A, &lt->gaz, &lt->capgaz);
  uint16_t *hist = NULL;
  if (!lua_isnoneornil(L, 5)) {
    luaL_checktype(L, 5, LUA_TTABLE);
    if (td_rawlen(L, 5) != d->ntok) luaL_argerror(L, 5, "need one history value per token");
    hist = (uint16_t *)lua_newuserdata(L, (d->ntok ? d->ntok : 1) * sizeof *hist);
    for (size_t i = 0; i < d->ntok; i++) {
      lua_rawgeti(L, 5, (int)i + 1);
      lua_Number v = lua_tonumber(L, -1);
      lua_pop(L, 1);
      if (!(v >= 0 && v <= 65535)) luaL_argerror(L, 5, "history values must be 0..65535");
      hist[i] = (uint16_t)v;
    }
  }
  if (d->ntok == 0) { lua_pushinteger(L, 0); return 1; }
  if (td_grow(&lt->A, (void **)&lt->labels, &lt->caplabels, d->ntok, sizeof *lt->labels) != TD_OK)
    return luaL_error(L, "not enough memory");
  memset(lt->labels, 0, d->ntok * sizeof *lt->labels);
  size_t nspans = td_rawlen(L, 3);
  int misaligned = 0;
  size_t ti = 0;  /* spans are usually in order: scan forward, restart when not */
  for (size_t k = 1; k <= nspans; k++) {
    lua_rawgeti(L, 3, (int)k);
    if (!lua_istable(L, -1)) luaL_argerror(L, 3, "each span must be a table {start, stop, type}");
    lua_rawgeti(L, -1, 1);
    lua_rawgeti(L, -2, 2);
    lua_rawgeti(L, -3, 3);
    lua_Integer s = lua_tointeger(L, -3) - 1, e = lua_tointeger(L, -2), ty = lua_tointeger(L, -1);
    lua_pop(L, 4);
    if (ty < 1 || ty > 15) luaL_argerror(L, 3, "span type must be 1..ntypes");
    if (ti >= d->ntok || (lua_Integer)d->tok[ti].start > s) ti = 0;
    while (ti < d->ntok && (lua_Integer)d->tok[ti].end <= s) ti++;
    size_t a = ti, b = ti;
    while (b < d->ntok && (lua_Integer)d->tok[b].end <= e) b++;
    if (a >= d->ntok || (lua_Integer)d->tok[a].start != s || b == a ||
        (lua_Integer)d->tok[b - 1].end != e) { misaligned++; continue; }
    int conflict = 0;
    for (size_t i = a; i < b; i++) if (lt->labels[i]) conflict = 1;
    if (conflict) { misaligned++; continue; }
    int base = 1 + 4 * (int)(ty - 1);
    if (b - a == 1) lt->labels[a] = (uint16_t)(base + TD_POS_U - 1);
    else {
      lt->labels[a] = (uint16_t)(base + TD_POS_B - 1);
      for (size_t i = a + 1; i + 1 < b; i++) lt->labels[i] = (uint16_t)(base + TD_POS_I - 1);
      lt->labels[b - 1] = (uint16_t)(base + TD_POS_L - 1);
    }
  }
  /* one training sentence per sentence of the doc, as the tagger sees them;
   * an entity cut by a sentence boundary is cut into two */
  size_t nsent = d->nsent ? d->nsent : 1;
  for (size_t si = 0; si < nsent; si++) {
    size_t a = d->nsent ? d->sent[si].first : 0, b = d->nsent ? d->sent[si].last : d->ntok;
    if (b <= a) continue;
    uint16_t *lab = lt->labels;
    int pa = lab[a] ? (lab[a] - 1) % 4 + 1 : TD_POS_O, pb = lab[b - 1] ? (lab[b - 1] - 1) % 4 + 1 : TD_POS_O;
    if (pa == TD_POS_I) lab[a] = (uint16_t)(lab[a] - 1);          /* I -> B */
    else if (pa == TD_POS_L) lab[a] = (uint16_t)(lab[a] + 1);     /* L -> U */
    pb = lab[b - 1] ? (lab[b - 1] - 1) % 4 + 1 : TD_POS_O;
    if (pb == TD_POS_B) lab[b - 1] = (uint16_t)(lab[b - 1] + 3);  /* B -> U */
    else if (pb == TD_POS_I) lab[b - 1] = (uint16_t)(lab[b - 1] + 1); /* I -> L */
    int rc = td_trainer_add_hist(lt->t, d, a, b, gaz, hist, lab + a);
    if (rc == TD_ENOMEM) return luaL_error(L, "not enough memory");
    if (rc != TD_OK) return luaL_argerror(L, 3, "span type out of range for this trainer");
  }
  lua_pushinteger(L, misaligned);
  return 1;
}

static int trainer_epoch(lua_State *L) {
  ltrainer *lt = check_trainer(L, 1);
  size_t nerr = 0;
  if (td_trainer_epoch(lt->t, &nerr) != TD_OK) return luaL_error(L, "not enough memory");
  lua_pushinteger(L, (lua_Integer)nerr);
  return 1;
}

static int trainer_save(lua_State *L) {
  ltrainer *lt = check_trainer(L, 1);
  lua_Number prune = luaL_optnumber(L, 2, 0);
  uint8_t *bytes;
  size_t n;
  if (td_trainer_save(lt->t, prune, &bytes, &n) != TD_OK) return luaL_error(L, "not enough memory");
  lua_pushlstring(L, (const char *)bytes, n);
  td_free(&lt->A, bytes, n);
  return 1;
}

static int opt_int_field(lua_State *L, const char *k, int def, int lo, int hi) {
  lua_getfield(L, 1, k);
  int v = def;
  if (!lua_isnil(L, -1)) {
    if (!lua_isnumber(L, -1)) luaL_argerror(L, 1, lua_pushfstring(L, "'%s' must be a number", k));
    lua_Number x = lua_tonumber(L, -1);
    if (!(x >= lo && x <= hi)) luaL_argerror(L, 1, lua_pushfstring(L, "'%s' must be %d..%d", k, lo, hi));
    v = (int)x;
  }
  lua_pop(L, 1);
  return v;
}

int td_l_model_trainer(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  td_train_opts o;
  memset(&o, 0, sizeof o);
  lua_getfield(L, 1, "name");
  o.name = lua_isstring(L, -1) ? lua_tostring(L, -1) : "tidings-ner";
  lua_getfield(L, 1, "types");
  if (!lua_istable(L, -1)) luaL_argerror(L, 1, "'types' must be a list of type names");
  const char *names[15];
  size_t nt = td_rawlen(L, -1);
  if (nt < 1 || nt > 15) luaL_argerror(L, 1, "'types' must list 1..15 names");
  for (size_t i = 0; i < nt; i++) {
    lua_rawgeti(L, -1, (int)i + 1);
    if (lua_type(L, -1) != LUA_TSTRING) luaL_argerror(L, 1, "type names must be strings");
    names[i] = lua_tostring(L, -1);
    lua_pop(L, 1);  /* still referenced by the types table below us */
  }
  o.ntypes = (int)nt;
  o.type_names = names;
  o.bits = (unsigned)opt_int_field(L, "bits", 20, 16, 24);
  o.nclsets = opt_int_field(L, "clsets", 0, 0, 4);
  o.seed = (uint64_t)opt_int_field(L, "seed", 1, 0, 2147483647);
  ltrainer *lt = (ltrainer *)td_newuserdata(L, sizeof *lt);
  memset(lt, 0, sizeof *lt);
  td_l_alloc(L, &lt->A);
  if (luaL_newmetatable(L, TRAINER_MT)) {
    static const luaL_Reg methods[] = {
      {"cluster", trainer_cluster}, {"add", trainer_add}, {"epoch", trainer_epoch},
      {"save", trainer_save}, {NULL, NULL}};
    lua_pushcfunction(L, trainer_gc);
    lua_setfield(L, -2, "__gc");
    lua_newtable(L);
    td_setfuncs(L, methods);
    lua_setfield(L, -2, "__index");
  }
  lua_setmetatable(L, -2);
  char err[128];
  int rc = td_trainer_new(&lt->A, &o, &lt->t, err, sizeof err);
  if (rc == TD_ENOMEM) return luaL_error(L, "not enough memory for the trainer");
  if (rc != TD_OK) return luaL_argerror(L, 1, err);
  return 1;
}
