/*
 * lua_clean.c - boilerplate cleaning from Lua (the work is in clean.c).
 *
 *   core.clean(text [, opts]) -> body, removed, segments | nil, message
 *   core.cleaner([opts])      -> Cleaner | nil, message   (rules compiled once)
 *   Cleaner:clean(text)       -> body, removed, segments
 *   Cleaner:rules()           -> { "byline", "avatar", ..., user rule names }
 *   core.boilerplate_patterns() -> { {name =, pcre =}, ... }  the built-in rules
 *
 * opts: patterns = { {name =, pcre =}, ... } (tried after the built-in rules),
 *       defaults = false (no built-in rules), structure = false (no
 *       structural heuristics).  A pattern that does not compile gives
 *       nil, "bad pattern 2 ('promo'): missing closing parenthesis at offset 7".
 * removed: array of { start =, stop =, reason =, text = }, one per removed line
 *   (1-based inclusive offsets in the ORIGINAL text; reason is the rule's name
 *   or "repeated", "kicker", "author", "trailer").
 * segments: array of { start =, stop =, body = }: text:sub(start, stop) is
 *   body:sub(body, body + stop - start).  Analyse the body and map an offset
 *   back with the segment whose body position is the last one <= it.
 */
#include <string.h>

#include "binding.h"

#define CLEANER_MT "tidings.Cleaner"
#define DEFAULT_KEY "tidings.cleaner.default"

typedef struct lcleaner {
  td_cleaner *c;
  td_clean_out out;
  int live;
} lcleaner;

static int cleaner_gc(lua_State *L) {
  lcleaner *lc = (lcleaner *)lua_touserdata(L, 1);
  if (lc && lc->live) {
    td_clean_out_free(&lc->out);
    td_cleaner_free(lc->c);
    lc->c = NULL;
    lc->live = 0;
  }
  return 0;
}

static lcleaner *check_cleaner(lua_State *L, int idx) {
  lcleaner *lc = (lcleaner *)td_testudata(L, idx, CLEANER_MT);
  if (!lc) luaL_argerror(L, idx, "tidings.Cleaner expected");
  if (!lc->live) luaL_argerror(L, idx, "the Cleaner has been freed");
  return lc;
}

static void push_span_fields(lua_State *L, uint32_t a, uint32_t b) {
  lua_pushinteger(L, (lua_Integer)a + 1);
  lua_setfield(L, -2, "start");
  lua_pushinteger(L, (lua_Integer)b);
  lua_setfield(L, -2, "stop");
}

/* Clean the string at tidx with lc; push body, removed, segments. */
static int push_clean(lua_State *L, lcleaner *lc, int tidx) {
  size_t len, i;
  const char *text = luaL_checklstring(L, tidx, &len);
  int rc = td_clean(lc->c, text, len, &lc->out);
  if (rc == TD_ETOOBIG) return luaL_error(L, "text too large (the limit is 4 GiB)");
  if (rc != TD_OK) return luaL_error(L, "not enough memory");
  lua_pushlstring(L, lc->out.body, lc->out.blen);
  td_l_newarray(L, (int)(lc->out.ncut > 0x7fffffff ? 0x7fffffff : lc->out.ncut));
  for (i = 0; i < lc->out.ncut; i++) {
    const td_cut *k = &lc->out.cut[i];
    size_t rl;
    const char *r = td_clean_reason(lc->c, k->reason, &rl);
    lua_createtable(L, 0, 4);
    push_span_fields(L, k->start, k->end);
    lua_pushlstring(L, r, rl);
    lua_setfield(L, -2, "reason");
    lua_pushlstring(L, text + k->start, k->end - k->start);
    lua_setfield(L, -2, "text");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  td_l_newarray(L, (int)(lc->out.nseg > 0x7fffffff ? 0x7fffffff : lc->out.nseg));
  for (i = 0; i < lc->out.nseg; i++) {
    const td_seg *g = &lc->out.seg[i];
    lua_createtable(L, 0, 3);
    push_span_fields(L, g->start, g->end);
    lua_pushinteger(L, (lua_Integer)g->body + 1);
    lua_setfield(L, -2, "body");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 3;
}

static int l_cleaner_clean(lua_State *L) {
  lcleaner *lc = check_cleaner(L, 1);
  return push_clean(L, lc, 2);
}

static int l_cleaner_rules(lua_State *L) {
  lcleaner *lc = check_cleaner(L, 1);
  size_t i, n = td_cleaner_count(lc->c);
  td_l_newarray(L, (int)n);
  for (i = 0; i < n; i++) {
    size_t nl;
    const char *name = td_cleaner_rule(lc->c, i, &nl);
    lua_pushlstring(L, name, nl);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static const luaL_Reg cleaner_methods[] = {
  {"clean", l_cleaner_clean},
  {"rules", l_cleaner_rules},
  {NULL, NULL}
};

/* A new Cleaner on the stack, zeroed and with its metatable first. */
static lcleaner *new_cleaner(lua_State *L) {
  lcleaner *lc = (lcleaner *)lua_newuserdata(L, sizeof *lc);
  td_alloc A;
  memset(lc, 0, sizeof *lc);
  if (luaL_newmetatable(L, CLEANER_MT)) {
    lua_pushcfunction(L, cleaner_gc);
    lua_setfield(L, -2, "__gc");
    lua_newtable(L);
    td_setfuncs(L, cleaner_methods);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "tidings.Cleaner");
    lua_setfield(L, -2, "__name");
  }
  lua_setmetatable(L, -2);
  td_l_alloc(L, &A);
  td_clean_out_init(&lc->out, &A);
  lc->live = 1;
  return lc;
}

static int opt_bool(lua_State *L, int t, const char *k, int dflt) {
  int v = dflt;
  lua_getfield(L, t, k);
  if (!lua_isnil(L, -1)) {
    if (!lua_isboolean(L, -1)) {
      lua_pushfstring(L, "option '%s' must be a boolean", k);
      luaL_argerror(L, t, lua_tostring(L, -1));
    }
    v = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  return v;
}

/* Build a Cleaner from the options table at `oidx` (0: none) and push it;
 * returns 1, or pushes nil, message and returns 2. */
static int build_cleaner(lua_State *L, int oidx) {
  lcleaner *lc;
  int defaults = 1, structure = 1, rc, top;
  size_t i, n = 0;
  if (oidx) {
    lua_pushnil(L);
    while (lua_next(L, oidx)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
      if (!k || (strcmp(k, "patterns") && strcmp(k, "defaults") && strcmp(k, "structure"))) {
        lua_pushfstring(L, "unknown option '%s'", k ? k : luaL_typename(L, -2));
        return luaL_argerror(L, oidx, lua_tostring(L, -1));
      }
      lua_pop(L, 1);
    }
    defaults = opt_bool(L, oidx, "defaults", 1);
    structure = opt_bool(L, oidx, "structure", 1);
    lua_getfield(L, oidx, "patterns");
    if (!lua_isnil(L, -1) && !lua_istable(L, -1))
      return luaL_argerror(L, oidx, "option 'patterns' must be an array of {name =, pcre =}");
    n = lua_istable(L, -1) ? td_rawlen(L, -1) : 0;
    lua_pop(L, 1);
  }
  lc = new_cleaner(L);
  top = lua_gettop(L);
  {
    td_alloc A;
    td_l_alloc(L, &A);
    rc = td_cleaner_new(&A, defaults, &lc->c);
    if (rc != TD_OK) return luaL_error(L, "not enough memory");
  }
  td_cleaner_set_structure(lc->c, structure);
  if (n) lua_getfield(L, oidx, "patterns");
  for (i = 1; i <= n; i++) {
    char err[200];
    size_t nl, pl;
    const char *name, *pcre;
    lua_rawgeti(L, top + 1, (lua_Integer)i);
    if (!lua_istable(L, -1)) {
      lua_pushfstring(L, "patterns[%d] must be a table {name =, pcre =}", (int)i);
      return luaL_argerror(L, oidx, lua_tostring(L, -1));
    }
    lua_getfield(L, -1, "pcre");
    if (lua_type(L, -1) != LUA_TSTRING) {
      lua_pushfstring(L, "patterns[%d].pcre must be a string", (int)i);
      return luaL_argerror(L, oidx, lua_tostring(L, -1));
    }
    pcre = lua_tolstring(L, -1, &pl);
    lua_getfield(L, -2, "name");
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_pushfstring(L, "pattern%d", (int)i);
    } else if (lua_type(L, -1) != LUA_TSTRING) {
      lua_pushfstring(L, "patterns[%d].name must be a string", (int)i);
      return luaL_argerror(L, oidx, lua_tostring(L, -1));
    }
    name = lua_tolstring(L, -1, &nl);
    rc = td_cleaner_add(lc->c, name, nl, pcre, pl, err, sizeof err);
    if (rc == TD_EDATA) {
      lua_pushnil(L);
      lua_pushfstring(L, "bad pattern %d ('%s'): %s", (int)i, name, err);
      return 2;
    }
    if (rc != TD_OK) return luaL_error(L, "not enough memory");
    lua_pop(L, 3);  /* name, pcre, entry */
  }
  lua_settop(L, top);
  return 1;
}

int td_l_cleaner_new(lua_State *L) {
  if (!lua_isnoneornil(L, 1)) luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  return build_cleaner(L, lua_istable(L, 1) ? 1 : 0);
}

int td_l_clean(lua_State *L) {
  lcleaner *lc;
  luaL_checktype(L, 1, LUA_TSTRING);
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_istable(L, 2)) {
    int nr = build_cleaner(L, 2);
    if (nr == 2) return 2;
  } else {
    /* the default cleaner, compiled once per Lua state */
    lua_getfield(L, LUA_REGISTRYINDEX, DEFAULT_KEY);
    if (!td_testudata(L, -1, CLEANER_MT)) {
      lua_pop(L, 1);
      if (build_cleaner(L, 0) != 1) return luaL_error(L, "built-in boilerplate rules do not compile");
      lua_pushvalue(L, -1);
      lua_setfield(L, LUA_REGISTRYINDEX, DEFAULT_KEY);
    }
  }
  lc = check_cleaner(L, 3);
  return push_clean(L, lc, 1);
}

int td_l_boilerplate_patterns(lua_State *L) {
  size_t i, n = td_cleaner_default_count();
  td_l_newarray(L, (int)n);
  for (i = 0; i < n; i++) {
    const char *pcre;
    const char *name = td_cleaner_default(i, &pcre);
    lua_createtable(L, 0, 2);
    lua_pushstring(L, name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, pcre);
    lua_setfield(L, -2, "pcre");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}
