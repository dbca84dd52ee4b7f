/*
 * compat.h - every Lua 5.1/LuaJIT/5.2/5.3/5.4 difference, under our own
 * names, and nothing else.  Never redefine lua_* / luaL_* (LuaJIT 2.1 reports
 * 5.1 but has some 5.2 functions; redefining them is how lua-cjson broke).
 */
#ifndef TIDINGS_COMPAT_H
#define TIDINGS_COMPAT_H

#include <lua.h>
#include <lauxlib.h>

/* Register functions into the table on top (no global is ever created). */
static inline void td_setfuncs(lua_State *L, const luaL_Reg *l) {
  for (; l->name != NULL; l++) {
    lua_pushcfunction(L, l->func);
    lua_setfield(L, -2, l->name);
  }
}

#if LUA_VERSION_NUM == 501
#define td_rawlen(L, i) lua_objlen(L, (i))
#else
#define td_rawlen(L, i) lua_rawlen(L, (i))
#endif

/* A userdata with one associated Lua value (a table we own). */
#if LUA_VERSION_NUM >= 504
#define td_newuserdata(L, sz) lua_newuserdatauv(L, (sz), 1)
#define td_setuservalue(L, i) lua_setiuservalue(L, (i), 1)
#define td_getuservalue(L, i) ((void)lua_getiuservalue(L, (i), 1))
#elif LUA_VERSION_NUM >= 502
#define td_newuserdata(L, sz) lua_newuserdata(L, (sz))
#define td_setuservalue(L, i) lua_setuservalue(L, (i))
#define td_getuservalue(L, i) ((void)lua_getuservalue(L, (i)))
#else
#define td_newuserdata(L, sz) lua_newuserdata(L, (sz))
#define td_setuservalue(L, i) ((void)lua_setfenv(L, (i)))
#define td_getuservalue(L, i) lua_getfenv(L, (i))
#endif

/* luaL_testudata is 5.2+. */
static inline void *td_testudata(lua_State *L, int idx, const char *tname) {
  void *p = lua_touserdata(L, idx);
  if (p != NULL && lua_getmetatable(L, idx)) {
    luaL_getmetatable(L, tname);
    if (!lua_rawequal(L, -1, -2)) p = NULL;
    lua_pop(L, 2);
    return p;
  }
  return NULL;
}

static inline int td_absindex(lua_State *L, int idx) {
  return (idx > 0 || idx <= LUA_REGISTRYINDEX) ? idx : lua_gettop(L) + idx + 1;
}

/* Tell the collector about memory it cannot see (allocated by the core
 * through the allocator directly), so dropped Docs are collected promptly. */
static inline void td_gc_hint(lua_State *L, size_t bytes) {
  if (bytes >= 1024) lua_gc(L, LUA_GCSTEP, (int)(bytes / 1024 > 1000000 ? 1000000 : bytes / 1024));
}

#endif
