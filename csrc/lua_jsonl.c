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
 */
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
