/*
 * lua_jsonl.c - core.jsonl_text(line): the JSONL input fast path (jsonl.c).
 *
 *   core.jsonl_text(line) -> text, rest | nil
 *
 * text is the decoded string value of the line's top-level "text" member and
 * rest the line with that value replaced by null, for the Lua JSON decoder
 * (which drops an object's null members).  nil when the line is not such an
 * object or its text is not a valid JSON string: decode the whole line then
 * (that decoder also writes the error message).
 *
 *   core.json_object(line, array_mt, null) -> table | nil
 *
 * The whole line as lua/tidings/json.lua's json.decode(line) gives it, when
 * it is an object of strings, integers of up to 15 digits, true, false,
 * null, arrays and objects (nested up to 200 deep): arrays get array_mt and
 * hold null as the value null, an object's null members are left out.  nil
 * for anything else (a fraction or exponent, another top-level value, any
 * error): the Lua decoder reads the line then, with its exact number rules
 * and its error messages.  Decoding a JSONL line's few metadata members in
 * Lua cost a tenth of reading the line.
 */
#include <string.h>

#include "binding.h"
#include "jsonl.h"

int td_l_jsonl_text(lua_State *L) {
  size_t n, vs, ve;
  const char *s = luaL_checklstring(L, 1, &n);
  if (!td_jsonl_find_text(s, n, &vs, &ve)) {
    lua_pushnil(L);
    return 1;
  }
  /* scratch for the decoded text (never longer than its token); the
   * collector frees it, also when pushing the string raises an error */
  char *out = (char *)lua_newuserdata(L, ve - vs);
  size_t len = td_json_unquote(s + vs, ve - vs, out);
  if (len == (size_t)-1) {
    lua_pushnil(L);
    return 1;
  }
  lua_pushlstring(L, out, len);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, s, vs);
  luaL_addlstring(&b, "null", 4);
  luaL_addlstring(&b, s + ve, n - ve);
  luaL_pushresult(&b);
  return 2;
}

#define OBJ_DEPTH 200

typedef struct jdec {
  lua_State *L;
  const char *s;
  size_t n;
  char *buf;        /* room for any decoded string of the line */
  int amt, null;    /* stack indices: array metatable, null value */
} jdec;

static size_t ws(const jdec *J, size_t i) {
  while (i < J->n && (J->s[i] == ' ' || J->s[i] == '\t' || J->s[i] == '\r' || J->s[i] == '\n')) i++;
  return i;
}

/* Push the string token at i; one past it, or 0. */
static size_t dec_string(jdec *J, size_t i) {
  size_t e = td_json_string_end(J->s, J->n, i);
  if (!e) return 0;
  size_t len = td_json_unquote(J->s + i, e - i, J->buf);
  if (len == (size_t)-1) return 0;
  lua_pushlstring(J->L, J->buf, len);
  return e;
}

/* An integer literal of up to 15 digits (exact as an integer and as a
 * double; "-0" and leading zeros are left to the Lua decoder). */
static size_t dec_number(jdec *J, size_t i) {
  const char *s = J->s;
  size_t k = i, n = J->n;
  int neg = k < n && s[k] == '-';
  k += neg;
  size_t d0 = k;
  int64_t v = 0;
  while (k < n && s[k] >= '0' && s[k] <= '9' && k - d0 < 16) v = v * 10 + (s[k++] - '0');
  size_t nd = k - d0;
  if (nd == 0 || nd > 15 || (s[d0] == '0' && (nd > 1 || neg))) return 0;
  if (k < n && (s[k] == '.' || s[k] == 'e' || s[k] == 'E' || (s[k] >= '0' && s[k] <= '9'))) return 0;
  if (neg) v = -v;
#if LUA_VERSION_NUM >= 503
  lua_pushinteger(J->L, (lua_Integer)v);
#else
  lua_pushnumber(J->L, (lua_Number)v);
#endif
  return k;
}

static size_t dec_value(jdec *J, size_t i, int depth, int in_object);

/* Push the object or array at i (s[i] is '{' or '['); one past it, or 0. */
static size_t dec_container(jdec *J, size_t i, int depth) {
  lua_State *L = J->L;
  const char *s = J->s;
  int object = s[i] == '{';
  char close = object ? '}' : ']';
  if (depth > OBJ_DEPTH || !lua_checkstack(L, 4)) return 0;
  lua_newtable(L);
  if (!object) {
    lua_pushvalue(L, J->amt);
    lua_setmetatable(L, -2);
  }
  int t = lua_gettop(L);
  lua_Integer len = 0;
  i = ws(J, i + 1);
  if (i < J->n && s[i] == close) return i + 1;
  for (;;) {
    if (object) {
      if (i >= J->n || s[i] != '"' || !(i = dec_string(J, i))) return 0;  /* the key */
      i = ws(J, i);
      if (i >= J->n || s[i] != ':') return 0;
      i = ws(J, i + 1);
    }
    if (!(i = dec_value(J, i, depth + 1, object))) return 0;
    if (object) lua_rawset(L, t);
    else lua_rawseti(L, t, ++len);
    i = ws(J, i);
    if (i >= J->n) return 0;
    if (s[i] == close) return i + 1;
    if (s[i] != ',') return 0;
    i = ws(J, i + 1);
  }
}

/* Push the value at i; one past it, or 0.  null is nil in an object (its
 * member is left out, as json.decode does), the null value elsewhere. */
static size_t dec_value(jdec *J, size_t i, int depth, int in_object) {
  const char *s = J->s;
  size_t n = J->n;
  if (i >= n) return 0;
  switch (s[i]) {
  case '"': return dec_string(J, i);
  case '{': case '[': return dec_container(J, i, depth);
  case 't':
    if (n - i < 4 || memcmp(s + i, "true", 4)) return 0;
    lua_pushboolean(J->L, 1);
    return i + 4;
  case 'f':
    if (n - i < 5 || memcmp(s + i, "false", 5)) return 0;
    lua_pushboolean(J->L, 0);
    return i + 5;
  case 'n':
    if (n - i < 4 || memcmp(s + i, "null", 4)) return 0;
    if (in_object) lua_pushnil(J->L); else lua_pushvalue(J->L, J->null);
    return i + 4;
  default: return dec_number(J, i);
  }
}

int td_l_json_object(lua_State *L) {
  jdec J;
  J.L = L;
  J.s = luaL_checklstring(L, 1, &J.n);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checkany(L, 3);
  lua_settop(L, 3);
  J.amt = 2;
  J.null = 3;
  J.buf = (char *)lua_newuserdata(L, J.n ? J.n : 1);  /* the collector frees it */
  size_t i = ws(&J, 0);
  if (i < J.n && J.s[i] == '{' && (i = dec_container(&J, i, 1)) && ws(&J, i) == J.n) return 1;
  lua_pushnil(L);
  return 1;
}
