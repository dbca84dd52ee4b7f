/*
 * lua_quotes.c - doc:quotes([opts]): the direct quotations of a Doc and their
 * speakers (the work is in quotes.c).
 *
 *   doc:quotes() -> array of
 *     { text =, start =, stop =,          the quoted words (1-based, inclusive)
 *       outer = {start =, stop =},        the same with the quotation marks
 *       speaker = "Donald Trump" | nil,   canonical name of the speaker
 *       speaker_span = {start =, stop =} | nil,  the mention naming them
 *       cue = {start =, stop =} | nil,    the attributing words ("he", "Fidan")
 *       speaker_kind = "person"|"org"|"role"|"name" | nil,
 *       how = "dash"|"after"|"before"|"according"|"continued"|"none",
 *       pronoun = true (attributed through he/she), partial = true (a
 *       fragment inside the writer's sentence), unclosed = true,
 *       multi_paragraph = true, single = true ('…' marks) }
 *
 * Speakers come from entities when there are any: opts.entities is an array
 * of { start =, stop =, type =, canonical = } (1-based inclusive; type PERSON
 * or PER, ORG, GPE/LOC/FAC, ...), or, by default, the Doc's entities: when
 * its entities method is the library's, its C result is read directly (found
 * now if doc:entities() has not run, kept for it otherwise: no Lua rows are
 * built or read back); another method is called and its rows read.  If the
 * entity stage fails, e.g. for want of a model, the built-in rules are used.
 * opts.entities = false uses the built-in name rules only.  A speaker found
 * through an entity is reported by that entity's canonical name.
 */
#include <string.h>

#include "binding.h"

#define SCRATCH_MT "tidings.quotes.scratch"
#define TCACHE 8  /* entity type strings remembered by pointer */

typedef struct qscratch {
  td_quotes r;
  td_qent *ents;
  size_t nents, cap;
  td_alloc A;
  int live;
} qscratch;

static int scratch_gc(lua_State *L) {
  qscratch *s = (qscratch *)lua_touserdata(L, 1);
  if (s && s->live) {
    td_quotes_free(&s->r);
    td_free(&s->A, s->ents, s->cap * sizeof *s->ents);
    s->ents = NULL;
    s->live = 0;
  }
  return 0;
}

static qscratch *new_scratch(lua_State *L) {
  qscratch *s = (qscratch *)lua_newuserdata(L, sizeof *s);
  memset(s, 0, sizeof *s);
  if (luaL_newmetatable(L, SCRATCH_MT)) {
    lua_pushcfunction(L, scratch_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  td_l_alloc(L, &s->A);
  td_quotes_init(&s->r, &s->A);
  s->live = 1;
  return s;
}

/* The scratch is kept for the next call in the registry: a fresh one per
 * call cost LuaJIT (whose allocator maps big blocks and unmaps them when
 * freed) a page fault on every page of its ~6 bytes per byte of text.  It
 * is taken out while in use, so a call made meanwhile (from an __index of
 * the entities) or one that raised an error never shares it. */
#define SCRATCH_KEY "tidings.quotes.scratch.spare"
#define SCRATCH_KEEP_MAX ((size_t)2 << 20)  /* texts longer: its memory is freed */

static qscratch *take_scratch(lua_State *L) {
  qscratch *s;
  lua_getfield(L, LUA_REGISTRYINDEX, SCRATCH_KEY);
  s = (qscratch *)td_testudata(L, -1, SCRATCH_MT);
  if (s && s->live) {
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, SCRATCH_KEY);
    s->nents = 0;
    return s;
  }
  lua_pop(L, 1);
  return new_scratch(L);
}

static void give_back_scratch(lua_State *L, int idx, qscratch *s, size_t len) {
  if (len > SCRATCH_KEEP_MAX) {
    td_quotes_free(&s->r);  /* leaves it empty and usable */
    td_free(&s->A, s->ents, s->cap * sizeof *s->ents);
    s->ents = NULL;
    s->cap = 0;
  }
  s->nents = 0;
  lua_pushvalue(L, idx);
  lua_setfield(L, LUA_REGISTRYINDEX, SCRATCH_KEY);
}

static int ent_type(const char *t) {
  if (!t) return TD_QENT_OTHER;
  if (!strcmp(t, "PERSON") || !strcmp(t, "PER") || !strcmp(t, "person")) return TD_QENT_PERSON;
  if (!strcmp(t, "ORG") || !strcmp(t, "org")) return TD_QENT_ORG;
  if (!strcmp(t, "GPE") || !strcmp(t, "LOC") || !strcmp(t, "FAC") || !strcmp(t, "place"))
    return TD_QENT_PLACE;
  return TD_QENT_OTHER;
}

static lua_Integer int_field(lua_State *L, int t, const char *k) {
  lua_Integer v;
  lua_getfield(L, t, k);
  v = lua_isnumber(L, -1) ? lua_tointeger(L, -1) : 0;
  lua_pop(L, 1);
  return v;
}

/* Read the entity array at index `et` into s->ents; canonical names go into
 * the table at `names` (array, 1-based) so q->ent -> canon -> names[canon+1]. */
static void read_entities(lua_State *L, qscratch *s, int et, int names, size_t len) {
  size_t i, n = td_rawlen(L, et);
  int nnames = 0, ntcache = 0;
  struct { const char *s; int type; } tcache[TCACHE];
  int anchor;
  lua_createtable(L, TCACHE, 0);  /* keeps the cached type strings alive */
  anchor = lua_gettop(L);
  lua_newtable(L);  /* name -> index */
  for (i = 1; i <= n; i++) {
    td_qent *e;
    lua_Integer a, b;
    lua_rawgeti(L, et, (lua_Integer)i);
    if (!lua_istable(L, -1)) { lua_pop(L, 1); continue; }
    a = int_field(L, -1, "start");
    b = int_field(L, -1, "stop");
    if (a < 1 || b < a || (size_t)b > len) { lua_pop(L, 1); continue; }
    if (td_grow(&s->A, (void **)&s->ents, &s->cap, s->nents + 1, sizeof *s->ents)) {
      luaL_error(L, "not enough memory");
      return;
    }
    e = &s->ents[s->nents++];
    e->start = (uint32_t)(a - 1);
    e->end = (uint32_t)b;
    lua_getfield(L, -1, "type");
    if (lua_type(L, -1) == LUA_TSTRING) {
      /* the same few type strings again and again (short strings are
       * interned): a pointer seen before, kept alive in `anchor`, is the
       * same string and has the same type */
      const char *ts = lua_tostring(L, -1);
      int k;
      for (k = 0; k < ntcache && tcache[k].s != ts; k++) {}
      if (k < ntcache) {
        e->type = tcache[k].type;
      } else {
        e->type = ent_type(ts);
        if (ntcache < TCACHE) {
          tcache[ntcache].s = ts;
          tcache[ntcache].type = e->type;
          lua_pushvalue(L, -1);
          lua_rawseti(L, anchor, ++ntcache);
        }
      }
    } else {
      e->type = ent_type(NULL);
    }
    lua_pop(L, 1);
    e->canon = -1;
    lua_getfield(L, -1, "canonical");
    if (lua_type(L, -1) == LUA_TSTRING) {
      lua_pushvalue(L, -1);
      lua_rawget(L, -4);  /* name -> index */
      if (lua_isnumber(L, -1)) {
        e->canon = (int32_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
      } else {
        lua_pop(L, 1);
        e->canon = nnames++;
        lua_pushvalue(L, -1);
        lua_rawseti(L, names, nnames);
        lua_pushvalue(L, -1);
        lua_pushinteger(L, e->canon);
        lua_rawset(L, -5);
      }
    }
    lua_pop(L, 2);  /* canonical, entity */
  }
  lua_pop(L, 2);  /* name -> index, anchor */
}

static void push_span(lua_State *L, const char *k, uint32_t a, uint32_t b) {
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, (lua_Integer)a + 1);
  lua_setfield(L, -2, "start");
  lua_pushinteger(L, (lua_Integer)b);
  lua_setfield(L, -2, "stop");
  lua_setfield(L, -2, k);
}

/* text[a, b) into out (room for b - a bytes) with runs of white space (a
 * name broken over a line) turned into one space; returns the length. */
size_t td_l_quote_name(const char *text, uint32_t a, uint32_t b, char *out) {
  size_t n = 0;
  int space = 0;
  for (uint32_t i = a; i < b; i++) {
    char c = text[i];
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') { space = 1; continue; }
    if (space) out[n++] = ' ';
    space = 0;
    out[n++] = c;
  }
  return n;
}

static void push_name(lua_State *L, const char *text, uint32_t a, uint32_t b) {
  char small[256];
  char *out = b - a <= sizeof small ? small : (char *)lua_newuserdata(L, b - a);
  size_t n = td_l_quote_name(text, a, b, out);
  lua_pushlstring(L, out, n);
  if (out != small) lua_remove(L, -2);
}

static void set_true(lua_State *L, const char *k) {
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, k);
}

/* The entities of the C set es as speaker candidates: no Lua tables, and
 * canon is the entity's index in es (its canonical name is in es->str).  The
 * same spans and types read_entities takes from doc:entities()'s rows. */
static void set_entities(lua_State *L, qscratch *s, const td_entities *es,
                         const td_gazetteer *g, size_t len) {
  int8_t tmap[64];  /* gazetteer type -> td_qent_type, -1: not looked up yet */
  size_t i;
  memset(tmap, -1, sizeof tmap);
  if (es->n && td_reserve(&s->A, (void **)&s->ents, &s->cap, es->n, sizeof *s->ents)) {
    luaL_error(L, "not enough memory");
    return;
  }
  for (i = 0; i < es->n; i++) {
    const td_entity *e = &es->e[i];
    td_qent *q;
    int ty = e->type;
    if (e->end <= e->start || e->end > len) continue;
    q = &s->ents[s->nents++];
    q->start = e->start;
    q->end = e->end;
    if (ty >= 0 && ty < (int)sizeof tmap) {
      if (tmap[ty] < 0) tmap[ty] = (int8_t)ent_type(td_gaz_type_name(g, ty));
      q->type = tmap[ty];
    } else {
      q->type = ent_type(td_gaz_type_name(g, ty));
    }
    q->canon = (int32_t)i;
  }
}

int td_l_doc_quotes(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  qscratch *s;
  const td_entities *es = NULL;
  const td_gazetteer *g = NULL;
  int rc;
  size_t i;
  enum { ETAB = 3, TAGGER, SET, NAMES, SCRATCH };
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  /* ETAB: an entity array (or nil); TAGGER, SET: the Doc's own (or nil) */
  if (lua_istable(L, 2)) lua_getfield(L, 2, "entities"); else lua_pushnil(L);
  lua_pushnil(L);
  lua_pushnil(L);
  if (lua_isnil(L, ETAB)) {
    lua_getfield(L, 1, "entities");  /* the Doc's method, when the stage exists */
    if (lua_tocfunction(L, -1) == td_l_doc_entities) {
      /* the library's own: take its C result, not its rows */
      lua_pop(L, 1);
      lua_pushcfunction(L, td_l_doc_entity_set);
      lua_pushvalue(L, 1);
      /* no model loaded or any other failure of the entity stage: fall
       * back to the built-in name rules rather than failing the quotes */
      if (lua_pcall(L, 1, 2, 0) != 0) lua_settop(L, SET);
      else {
        lua_replace(L, SET);
        lua_replace(L, TAGGER);
        es = td_l_entity_set(L, TAGGER, SET, &g);
      }
    } else if (lua_isfunction(L, -1)) {
      /* another entities() (set by the host): its rows */
      lua_pushvalue(L, 1);
      if (lua_pcall(L, 1, 1, 0) != 0) { lua_pop(L, 1); lua_pushnil(L); }
      if (lua_istable(L, -1)) lua_replace(L, ETAB); else lua_pop(L, 1);
    } else {
      lua_pop(L, 1);
    }
  } else if (lua_isboolean(L, ETAB) && !lua_toboolean(L, ETAB)) {
    lua_pushnil(L);
    lua_replace(L, ETAB);
  } else if (!lua_istable(L, ETAB)) {
    return luaL_argerror(L, 2, "option 'entities' must be an array of entities or false");
  }
  lua_newtable(L);  /* NAMES: canonical names of the rows */
  s = take_scratch(L);  /* SCRATCH */
  if (es) set_entities(L, s, es, g, d->len);
  else if (lua_istable(L, ETAB)) read_entities(L, s, ETAB, NAMES, d->len);
  rc = td_quotes_find(&s->r, d, s->ents, s->nents);
  if (rc != TD_OK) return luaL_error(L, "not enough memory");
  td_l_newarray(L, (int)(s->r.n > 0x7fffffff ? 0x7fffffff : s->r.n));
  for (i = 0; i < s->r.n; i++) {
    const td_quote *q = &s->r.q[i];
    lua_createtable(L, 0, 12);
    lua_pushlstring(L, d->text + q->start, q->end - q->start);
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, (lua_Integer)q->start + 1);
    lua_setfield(L, -2, "start");
    lua_pushinteger(L, (lua_Integer)q->end);
    lua_setfield(L, -2, "stop");
    push_span(L, "outer", q->open, q->close);
    lua_pushstring(L, td_quote_how_names[q->how < TD_QH_NHOW ? q->how : 0]);
    lua_setfield(L, -2, "how");
    if (q->spk_end > q->spk_start) {
      int named = 0;
      int32_t c = q->ent >= 0 && (size_t)q->ent < s->nents ? s->ents[q->ent].canon : -1;
      if (c >= 0 && es) {
        const td_entity *e = &es->e[c];
        lua_pushlstring(L, es->str + e->canon, e->canonlen);
        named = 1;
      } else if (c >= 0) {
        lua_rawgeti(L, NAMES, c + 1);
        named = lua_isstring(L, -1);
        if (!named) lua_pop(L, 1);
      }
      if (!named) push_name(L, d->text, q->name_start, q->name_end);
      lua_setfield(L, -2, "speaker");
      push_span(L, "speaker_span", q->spk_start, q->spk_end);
      lua_pushstring(L, td_spk_kind_names[q->kind < TD_SPK_NKINDS ? q->kind : 0]);
      lua_setfield(L, -2, "speaker_kind");
    }
    if (q->cue_end > q->cue_start) push_span(L, "cue", q->cue_start, q->cue_end);
    if (q->flags & TD_QF_PRONOUN) set_true(L, "pronoun");
    if (q->flags & TD_QF_PARTIAL) set_true(L, "partial");
    if (q->flags & TD_QF_UNCLOSED) set_true(L, "unclosed");
    if (q->flags & TD_QF_MULTIPARA) set_true(L, "multi_paragraph");
    if (q->flags & TD_QF_SINGLE) set_true(L, "single");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  give_back_scratch(L, SCRATCH, s, d->len);
  return 1;
}

/* doc:quotes() as C data (binding.h): the Doc's entity set es as speaker
 * candidates, as doc:quotes() takes it; the scratch holding the result is
 * pushed. */
const td_quotes *td_l_doc_quote_list(lua_State *L, int doc, const td_entities *es,
                                     const td_gazetteer *g, const td_qent **ents, size_t *nents) {
  td_doc *d = td_l_checkdoc(L, doc);
  qscratch *s = take_scratch(L);
  if (es) set_entities(L, s, es, g, d->len);
  if (td_quotes_find(&s->r, d, s->ents, s->nents) != TD_OK) luaL_error(L, "not enough memory");
  *ents = s->ents;
  *nents = s->nents;
  return &s->r;
}

void td_l_quote_list_done(lua_State *L, int idx, const td_doc *d) {
  qscratch *s = (qscratch *)td_testudata(L, idx, SCRATCH_MT);
  if (s) give_back_scratch(L, idx, s, d->len);
}
