/*
 * lua_sys.c - the little the command line needs from the operating system
 * and cannot get from standard Lua: directory listing, file type and size,
 * isatty, a monotonic clock; plus UTF-8 checking and repair of whole input
 * files (fast enough for a 1 GB corpus).  POSIX only.
 *
 *   core.listdir(path)     -> { name, ... } (unsorted, no "." / "..") | nil, msg
 *   core.stat(path)        -> { type = "file"|"directory"|"other", size =, mtime = } | nil, msg
 *   core.isatty(fd)        -> boolean            (fd: 0, 1 or 2)
 *   core.clock()           -> seconds, monotonic (a float; only differences mean anything)
 *   core.utf8_check(s)     -> nil when valid, else the 1-based offset of the first invalid byte
 *   core.utf8_repair(s)    -> s' , n   (each invalid byte replaced by U+FFFD; n replaced)
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "binding.h"

static int push_errno(lua_State *L, const char *path, int err) {
  lua_pushnil(L);
  lua_pushfstring(L, "%s: %s", path, strerror(err));
  return 2;
}

/* A DIR* owned by a userdata, so an error while listing cannot leak it. */
typedef struct dirbox { DIR *d; } dirbox;

static int dirbox_gc(lua_State *L) {
  dirbox *b = (dirbox *)lua_touserdata(L, 1);
  if (b && b->d) { closedir(b->d); b->d = NULL; }
  return 0;
}

int td_l_listdir(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  dirbox *b = (dirbox *)lua_newuserdata(L, sizeof *b);
  b->d = NULL;
  lua_newtable(L); /* a private metatable with __gc */
  lua_pushcfunction(L, dirbox_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  b->d = opendir(path);
  if (b->d == NULL) return push_errno(L, path, errno);
  td_l_newarray(L, 0);
  int n = 0;
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(b->d);
    if (e == NULL) {
      int err = errno;
      closedir(b->d); b->d = NULL;
      if (err != 0) return push_errno(L, path, err);
      break;
    }
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    lua_pushstring(L, e->d_name);
    lua_rawseti(L, -2, ++n);
  }
  return 1;
}

int td_l_stat(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  if (stat(path, &st) != 0) return push_errno(L, path, errno);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, S_ISREG(st.st_mode) ? "file" : S_ISDIR(st.st_mode) ? "directory" : "other");
  lua_setfield(L, -2, "type");
  lua_pushinteger(L, (lua_Integer)st.st_size);
  lua_setfield(L, -2, "size");
  lua_pushinteger(L, (lua_Integer)st.st_mtime);
  lua_setfield(L, -2, "mtime");
  return 1;
}

int td_l_isatty(lua_State *L) {
  lua_Integer fd = luaL_checkinteger(L, 1);
  luaL_argcheck(L, fd >= 0 && fd <= 1024, 1, "not a file descriptor");
  lua_pushboolean(L, isatty((int)fd) == 1);
  return 1;
}

int td_l_clock(lua_State *L) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
    ts.tv_sec = time(NULL);
    ts.tv_nsec = 0;
  }
  lua_pushnumber(L, (lua_Number)ts.tv_sec + (lua_Number)ts.tv_nsec / 1e9);
  return 1;
}

/* Offset of the first invalid byte, or len: ASCII runs are skipped 8 bytes at
 * a time. */
static size_t first_invalid(const uint8_t *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    if (s[i] < 0x80) {
      while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080)) break;
        i += 8;
      }
      while (i < len && s[i] < 0x80) i++;
      continue;
    }
    int32_t cp;
    int n = td_utf8_decode(s + i, len - i, &cp);
    if (n == 0) return i;
    i += (size_t)n;
  }
  return len;
}

int td_l_utf8_check(lua_State *L) {
  size_t len;
  const uint8_t *s = (const uint8_t *)luaL_checklstring(L, 1, &len);
  size_t bad = first_invalid(s, len);
  if (bad == len) lua_pushnil(L);
  else lua_pushinteger(L, (lua_Integer)bad + 1);
  return 1;
}

int td_l_utf8_repair(lua_State *L) {
  size_t len;
  const uint8_t *s = (const uint8_t *)luaL_checklstring(L, 1, &len);
  size_t i = first_invalid(s, len);
  if (i == len) {
    lua_pushvalue(L, 1);
    lua_pushinteger(L, 0);
    return 2;
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addlstring(&b, (const char *)s, i);
  lua_Integer nbad = 0;
  while (i < len) {
    size_t good = i + first_invalid(s + i, len - i);
    luaL_addlstring(&b, (const char *)s + i, good - i);
    if (good == len) break;
    luaL_addlstring(&b, "\xEF\xBF\xBD", 3);
    nbad++;
    i = good + 1;
  }
  luaL_pushresult(&b);
  lua_pushinteger(L, nbad);
  return 2;
}
