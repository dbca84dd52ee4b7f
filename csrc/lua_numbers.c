/*
 * lua_numbers.c - doc:numbers([opts]): the numbers, quantities, dates and
 * times of a Doc (numbers.c, numbers_dates.c), computed on demand.
 *
 *   doc:numbers{ reference = "2025-05-16", future = false, relative = false }
 *
 * opts.reference (default: the reference given to tidings.analyze) resolves
 * relative dates; opts.future makes bare weekdays and dates ("Friday",
 * "March 3") the next ones instead of the nearest; opts.relative adds
 * relative ordinals ("last", "next one", "penultimate": kind "ordinal", value
 * the offset, rel "end" or "current"); product is what a quantity measures
 * ("sugar" in "3 cups of sugar", outside the text as a counted thing is).
 * Each result is
 *   { text, start, stop, kind, value, unit, per, bound, low, high, timex,
 *     timex_raw, dim, rel, product }
 * with absent fields nil; offsets are 1-based and inclusive.
 */
#include <string.h>

#include "binding.h"

#define TD_NUMBOX_MT "tidings.numbers.box"

/* The result array is owned by a userdata, so an error while building the
 * Lua tables (out of memory) cannot leak it. */
typedef struct numbox {
  td_alloc A;
  td_number *arr;
  size_t n, cap;
} numbox;

/* Free the box's array now (it stays usable, empty). */
static void numbox_gc_at(lua_State *L, int idx) {
  numbox *b = (numbox *)lua_touserdata(L, idx);
  if (b && b->arr) {
    td_free(&b->A, b->arr, b->cap * sizeof *b->arr);
    b->arr = NULL;
    b->n = b->cap = 0;
  }
}

static int numbox_gc(lua_State *L) {
  numbox_gc_at(L, 1);
  return 0;
}

static numbox *new_box(lua_State *L) {
  numbox *b = (numbox *)lua_newuserdata(L, sizeof *b);
  memset(b, 0, sizeof *b);
  if (luaL_newmetatable(L, TD_NUMBOX_MT)) {
    lua_pushcfunction(L, numbox_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  td_l_alloc(L, &b->A);
  return b;
}

/* "YYYY-MM-DD" -> y, m, d; 0 when malformed or not a real date. */
static int parse_date(const char *s, size_t n, int *y, int *m, int *d) {
  static const int ml[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (n != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (size_t k = 0; k < 10; k++)
    if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9')) return 0;
  *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  *m = (s[5] - '0') * 10 + (s[6] - '0');
  *d = (s[8] - '0') * 10 + (s[9] - '0');
  if (*y < 1 || *m < 1 || *m > 12 || *d < 1 || *d > ml[*m - 1]) return 0;
  if (*m == 2 && *d == 29 && !((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0)) return 0;
  return 1;
}

static void check_reference(lua_State *L, int idx, int arg, td_numopts *o) {
  size_t n;
  const char *s;
  if (lua_type(L, idx) != LUA_TSTRING) {
    luaL_argerror(L, arg, "option 'reference' must be a 'YYYY-MM-DD' string");
    return;
  }
  s = lua_tolstring(L, idx, &n);
  /* an optional time of day: "YYYY-MM-DDThh:mm[:ss]" (or a space for T) */
  if (n == 16 || n == 19) {
    const char *t = s + 10;
    int ok = (t[0] == 'T' || t[0] == ' ') && t[3] == ':' && (n == 16 || t[6] == ':');
    for (size_t k = 1; ok && k < n - 10; k++) if (k != 3 && k != 6 && (t[k] < '0' || t[k] > '9')) ok = 0;
    if (ok) {
      o->ref_hh = (t[1] - '0') * 10 + (t[2] - '0');
      o->ref_mi = (t[4] - '0') * 10 + (t[5] - '0');
      o->ref_ss = n == 19 ? (t[7] - '0') * 10 + (t[8] - '0') : 0;
      ok = o->ref_hh < 24 && o->ref_mi < 60 && o->ref_ss < 60;
    }
    if (!ok) luaL_argerror(L, arg, "option 'reference' must be a valid 'YYYY-MM-DD' date");
    o->ref_time = 1;
    n = 10;
  }
  if (!parse_date(s, n, &o->ref_y, &o->ref_m, &o->ref_d))
    luaL_argerror(L, arg, "option 'reference' must be a valid 'YYYY-MM-DD' date");
}

/* The field names and the kind and bound names are pushed once per call
 * and copied from the stack (lua_pushvalue + lua_rawset): with some 16,000
 * results per 3 MB of news, interning each name for each result cost as
 * much as the rest of the table building. */
enum { K_TEXT, K_START, K_STOP, K_KIND, K_VALUE, K_LOW, K_HIGH, K_UNIT, K_PER, K_DIM, K_BOUND,
       K_TIMEX, K_TIMEX_RAW, K_REL, K_PRODUCT, K_N };
static const char *const field_names[K_N] = {
  "text", "start", "stop", "kind", "value", "low", "high", "unit", "per", "dim", "bound", "timex", "timex_raw", "rel", "product"
};

typedef struct names { int key, kind, bound; } names;   /* stack indices of the first of each */

/* The names are interned once per Lua state into a registry array (a
 * call of doc:numbers() per paragraph interned all 33 again) and copied
 * from it onto the stack. */
#define TD_NUMNAMES_KEY "tidings.numbers.names"
enum { N_NAMES = K_N + TD_N_NKINDS + TD_B_N };

static void push_names(lua_State *L, names *nm) {
  luaL_checkstack(L, N_NAMES + 4, "doc:numbers()");
  lua_getfield(L, LUA_REGISTRYINDEX, TD_NUMNAMES_KEY);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    lua_createtable(L, N_NAMES, 0);
    int n = 0;
    for (int k = 0; k < K_N; k++) { lua_pushstring(L, field_names[k]); lua_rawseti(L, -2, ++n); }
    for (int k = 0; k < TD_N_NKINDS; k++) { lua_pushstring(L, td_numkind_names[k]); lua_rawseti(L, -2, ++n); }
    for (int k = 0; k < TD_B_N; k++) { lua_pushstring(L, td_bound_names[k]); lua_rawseti(L, -2, ++n); }
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, TD_NUMNAMES_KEY);
  }
  int t = lua_gettop(L);
  for (int k = 1; k <= N_NAMES; k++) {
    lua_rawgeti(L, t, k);
    if (lua_type(L, -1) != LUA_TSTRING) luaL_error(L, "tidings: the registry's %s was changed", TD_NUMNAMES_KEY);
  }
  lua_remove(L, t);   /* the names start where the array was */
  nm->key = t;
  nm->kind = t + K_N;
  nm->bound = t + K_N + TD_N_NKINDS;
}

/* The number of fields doc:numbers() sets for r (the table's size hint). */
static int field_count(const td_number *r) {
  int n = 4;   /* text start stop kind */
  n += (r->flags & TD_NF_VALUE) != 0;
  n += (r->flags & TD_NF_LOW) != 0;
  n += (r->flags & TD_NF_HIGH) != 0;
  n += (r->flags & TD_NF_UNIT_SPAN) || (r->unit && r->unit[0]);
  n += (r->flags & TD_NF_PER_SPAN) || (r->per && r->per[0]);
  n += (r->flags & TD_NF_PROD_SPAN) != 0;
  n += r->dim && r->dim[0];
  n += r->bound != TD_B_NONE && r->bound < TD_B_N;
  n += r->timex[0] != 0;
  n += r->timex_raw[0] != 0;
  n += r->rel && r->rel[0];
  return n;
}

/* Each field is set as: push its name (copied from the stack), push the
 * value, rawset into the result table below them. */
static void key(lua_State *L, const names *nm, int k) { lua_pushvalue(L, nm->key + k); }

static void set_str(lua_State *L, const names *nm, int k, const char *v) {
  if (v && v[0]) { key(L, nm, k); lua_pushstring(L, v); lua_rawset(L, -3); }
}

static void set_num(lua_State *L, const names *nm, int k, double v) {
  key(L, nm, k);
  lua_pushnumber(L, (lua_Number)v);
  lua_rawset(L, -3);
}

static void set_span(lua_State *L, const names *nm, int k, const char *text, uint32_t s, uint32_t e) {
  key(L, nm, k);
  lua_pushlstring(L, text + s, e - s);
  lua_rawset(L, -3);
}

/* The numbers of the Doc at index doc with the options o, where o has no
 * reference the one given to tidings.analyze: pushes the box holding them. */
static numbox *run_numbers(lua_State *L, int doc, const td_doc *d, td_numopts *o) {
  if (o->ref_y == 0) {
    /* the reference given to tidings.analyze, if any */
    td_l_doc_uservalue(L, doc);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "reference");
      if (!lua_isnil(L, -1)) check_reference(L, -1, 1, o);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  /* the word filter, built once per Lua state (registry) */
  lua_getfield(L, LUA_REGISTRYINDEX, "tidings.numbers.filter");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    td_numfilter *f = (td_numfilter *)lua_newuserdata(L, sizeof *f);
    td_numfilter_init(f);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, "tidings.numbers.filter");
  }
  o->filter = (const td_numfilter *)lua_touserdata(L, -1);
  lua_pop(L, 1);   /* the registry keeps it alive */
  numbox *b = new_box(L);
  if (td_numbers(d, o, &b->arr, &b->n, &b->cap) != TD_OK)
    luaL_error(L, "tidings: out of memory in doc:numbers()");
  return b;
}

/* doc:numbers([opts]) -> array of results */
int td_l_doc_numbers(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  td_numopts o;
  memset(&o, 0, sizeof o);
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
      if (k && !strcmp(k, "reference")) check_reference(L, -1, 2, &o);
      else if (k && !strcmp(k, "future")) o.future = lua_toboolean(L, -1);
      else if (k && !strcmp(k, "relative")) o.relative = lua_toboolean(L, -1);
      else {
        lua_pushfstring(L, "unknown option '%s'", k ? k : luaL_typename(L, -2));
        luaL_argerror(L, 2, lua_tostring(L, -1));
      }
      lua_pop(L, 1);
    }
  }
  numbox *b = run_numbers(L, 1, d, &o);
  int box = lua_gettop(L);
  names nm;
  push_names(L, &nm);
  td_l_newarray(L, (int)b->n);
  for (size_t i = 0; i < b->n; i++) {
    const td_number *r = &b->arr[i];
    lua_createtable(L, 0, field_count(r));
    set_span(L, &nm, K_TEXT, d->text, r->start, r->end);
    key(L, &nm, K_START);
    lua_pushinteger(L, (lua_Integer)r->start + 1);
    lua_rawset(L, -3);
    key(L, &nm, K_STOP);
    lua_pushinteger(L, (lua_Integer)r->end);
    lua_rawset(L, -3);
    key(L, &nm, K_KIND);
    lua_pushvalue(L, nm.kind + r->kind);
    lua_rawset(L, -3);
    if (r->flags & TD_NF_VALUE) set_num(L, &nm, K_VALUE, r->value);
    if (r->flags & TD_NF_LOW) set_num(L, &nm, K_LOW, r->low);
    if (r->flags & TD_NF_HIGH) set_num(L, &nm, K_HIGH, r->high);
    if (r->flags & TD_NF_UNIT_SPAN) set_span(L, &nm, K_UNIT, d->text, r->unit_start, r->unit_end);
    else set_str(L, &nm, K_UNIT, r->unit);
    if (r->flags & TD_NF_PER_SPAN) set_span(L, &nm, K_PER, d->text, r->per_start, r->per_end);
    else set_str(L, &nm, K_PER, r->per);
    if (r->flags & TD_NF_PROD_SPAN) set_span(L, &nm, K_PRODUCT, d->text, r->prod_start, r->prod_end);
    set_str(L, &nm, K_DIM, r->dim);
    if (r->bound != TD_B_NONE && r->bound < TD_B_N) {
      key(L, &nm, K_BOUND);
      lua_pushvalue(L, nm.bound + r->bound);
      lua_rawset(L, -3);
    }
    set_str(L, &nm, K_TIMEX, r->timex);
    set_str(L, &nm, K_TIMEX_RAW, r->timex_raw);
    set_str(L, &nm, K_REL, r->rel);
    lua_rawseti(L, -2, (int)i + 1);
  }
  lua_replace(L, nm.key);   /* the array where the names began */
  lua_settop(L, nm.key);
  /* free the scratch now rather than at the next collection */
  if (b->arr) td_free(&b->A, b->arr, b->cap * sizeof *b->arr);
  b->arr = NULL;
  b->n = b->cap = 0;
  lua_remove(L, box);
  return 1;
}

/* doc:numbers() as C data (binding.h): no Lua rows are built. */
const td_number *td_l_doc_number_list(lua_State *L, int doc, size_t *n) {
  const td_doc *d = td_l_checkdoc(L, doc);
  td_numopts o;
  memset(&o, 0, sizeof o);
  numbox *b = run_numbers(L, doc, d, &o);
  *n = b->n;
  return b->arr;
}

void td_l_number_list_done(lua_State *L, int idx) {
  numbox_gc_at(L, idx);
}
