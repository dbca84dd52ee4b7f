/*
 * lua_tidings.c - the Lua binding of the core: luaopen_tidings_core, the Doc
 * userdata and its metatable.  Lua offsets are 1-based and inclusive; the
 * core's are 0-based with an exclusive end, so a span [a, b) is pushed as
 * start = a + 1, stop = b.
 */
#include <string.h>
#include <utf8proc.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "binding.h"

/* ---- shared helpers ---------------------------------------------------- */

void td_l_alloc(lua_State *L, td_alloc *A) {
  A->f = (td_allocf)lua_getallocf(L, &A->ud);
}

void td_l_newarray(lua_State *L, int narr) {
  lua_createtable(L, narr, 0);
  luaL_getmetatable(L, "tidings.array");
  lua_setmetatable(L, -2);
}

td_doc *td_l_checkdoc(lua_State *L, int idx) {
  td_ldoc *ld = (td_ldoc *)td_testudata(L, idx, TD_DOC_MT);
  if (ld == NULL) {
    luaL_argerror(L, idx, "tidings.Doc expected");
    return NULL;
  }
  if (!ld->alive) luaL_argerror(L, idx, "the Doc has been freed");
  return &ld->d;
}

void td_l_doc_uservalue(lua_State *L, int idx) {
  td_getuservalue(L, idx);
}

static size_t doc_bytes(const td_doc *d) {
  return sizeof(td_ldoc) + d->captok * sizeof(td_token) + d->capsent * sizeof(td_sentence);
}

/* ---- creating a Doc ---------------------------------------------------- */

/* Push a new, empty Doc over the string at index `tidx`.  The Doc is zeroed
 * and has its metatable before anything can fail, so __gc can always run. */
static td_ldoc *new_doc(lua_State *L, int tidx) {
  size_t len;
  const char *text = lua_tolstring(L, tidx, &len);
  td_alloc A;
  td_ldoc *ld = (td_ldoc *)td_newuserdata(L, sizeof(td_ldoc));
  memset(ld, 0, sizeof *ld);
  td_l_alloc(L, &A);
  td_doc_init(&ld->d, &A, text, len);
  luaL_getmetatable(L, TD_DOC_MT);
  lua_setmetatable(L, -2);
  /* the private table keeps the text alive as long as the Doc */
  lua_createtable(L, 1, 2);
  lua_pushvalue(L, tidx);
  lua_rawseti(L, -2, 1);
  td_setuservalue(L, -2);
  ld->alive = 1;
  return ld;
}

/* Raise or return nil, message for a core status.  Returns the number of
 * results to return (2) for bad data; raises for the rest. */
static int push_status(lua_State *L, int rc, size_t offset) {
  switch (rc) {
    case TD_EUTF8:
      lua_pushnil(L);
      lua_pushfstring(L, "invalid UTF-8 at byte %d", (int)(offset + 1));
      return 2;
    case TD_ETOOBIG:
      return luaL_error(L, "text too large (the limit is 4 GiB)");
    default:
      return luaL_error(L, "not enough memory");
  }
}

/* core.analyze(text, strict, split_hyphens) -> Doc | nil, message */
static int l_analyze(lua_State *L) {
  td_opts o;
  td_ldoc *ld;
  size_t off = 0;
  int rc;
  luaL_checktype(L, 1, LUA_TSTRING);
  o.strict = lua_toboolean(L, 2);
  o.split_hyphens = lua_isnoneornil(L, 3) ? 1 : lua_toboolean(L, 3);
  ld = new_doc(L, 1);
  rc = td_tokenize(&ld->d, &o, &off);
  if (rc == TD_OK) rc = td_sentences(&ld->d);
  if (rc != TD_OK) return push_status(L, rc, off);
  td_gc_hint(L, doc_bytes(&ld->d));
  return 1;
}

/* ---- Doc methods ------------------------------------------------------- */

static lua_Integer check_index(lua_State *L, int arg, size_t n, int *ok) {
  lua_Integer i = luaL_checkinteger(L, arg);
  *ok = (i >= 1 && (size_t)i <= n);
  return i;
}

static void push_token(lua_State *L, const td_doc *d, size_t i) {
  const td_token *t = &d->tok[i];
  lua_createtable(L, 0, 4);
  lua_pushlstring(L, d->text + t->start, t->end - t->start);
  lua_setfield(L, -2, "text");
  lua_pushinteger(L, (lua_Integer)t->start + 1);
  lua_setfield(L, -2, "start");
  lua_pushinteger(L, (lua_Integer)t->end);
  lua_setfield(L, -2, "stop");
  lua_pushstring(L, td_kind_names[t->kind]);
  lua_setfield(L, -2, "kind");
}

static int l_doc_len(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  lua_pushinteger(L, (lua_Integer)d->ntok);
  return 1;
}

/* doc:token(i) -> { text=, start=, stop=, kind= } or nil */
static int l_doc_token(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  int ok;
  lua_Integer i = check_index(L, 2, d->ntok, &ok);
  if (!ok) return 0;
  push_token(L, d, (size_t)i - 1);
  return 1;
}

/* doc:span(i) -> start, stop, kind: the fast path, no table */
static int l_doc_span(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  int ok;
  lua_Integer i = check_index(L, 2, d->ntok, &ok);
  const td_token *t;
  if (!ok) return 0;
  t = &d->tok[i - 1];
  lua_pushinteger(L, (lua_Integer)t->start + 1);
  lua_pushinteger(L, (lua_Integer)t->end);
  lua_pushstring(L, td_kind_names[t->kind]);
  return 3;
}

/* doc:flags(i) -> the token's flag bits as an integer (see tidings.flags) */
static int l_doc_flags(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  int ok;
  lua_Integer i = check_index(L, 2, d->ntok, &ok);
  if (!ok) return 0;
  lua_pushinteger(L, d->tok[i - 1].flags);
  return 1;
}

static int tokens_iter(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  lua_Integer i = luaL_checkinteger(L, 2) + 1;
  if (i < 1 || (size_t)i > d->ntok) return 0;
  lua_pushinteger(L, i);
  push_token(L, d, (size_t)i - 1);
  return 2;
}

/* for i, tok in doc:tokens() do ... end */
static int l_doc_tokens(lua_State *L) {
  td_l_checkdoc(L, 1);
  lua_pushcfunction(L, tokens_iter);
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  return 3;
}

static void push_sentence(lua_State *L, const td_doc *d, size_t k) {
  const td_sentence *s = &d->sent[k];
  uint32_t a = d->tok[s->first].start, b = d->tok[s->last - 1].end;
  lua_createtable(L, 0, 5);
  lua_pushlstring(L, d->text + a, b - a);
  lua_setfield(L, -2, "text");
  lua_pushinteger(L, (lua_Integer)a + 1);
  lua_setfield(L, -2, "start");
  lua_pushinteger(L, (lua_Integer)b);
  lua_setfield(L, -2, "stop");
  lua_pushinteger(L, (lua_Integer)s->first + 1);
  lua_setfield(L, -2, "first_token");
  lua_pushinteger(L, (lua_Integer)s->last);
  lua_setfield(L, -2, "last_token");
}

/* doc:sentences() -> array of { text=, start=, stop=, first_token=, last_token= } */
static int l_doc_sentences(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  size_t k;
  td_l_newarray(L, (int)d->nsent);
  for (k = 0; k < d->nsent; k++) {
    push_sentence(L, d, k);
    lua_rawseti(L, -2, (int)k + 1);
  }
  return 1;
}

/* doc:nsentences() -> count; doc:sentence_span(k) -> start, stop, first, last */
static int l_doc_nsentences(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  lua_pushinteger(L, (lua_Integer)d->nsent);
  return 1;
}

/* doc:count([kind]) -> the number of tokens of that kind ("word", ...), or
 * of all tokens; an unknown kind is an error rather than a silent 0. */
static int l_doc_count(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  if (lua_isnoneornil(L, 2)) { lua_pushinteger(L, (lua_Integer)d->ntok); return 1; }
  const char *name = luaL_checkstring(L, 2);
  int kind = -1;
  for (int k = 0; k < TD_NKINDS; k++)
    if (strcmp(name, td_kind_names[k]) == 0) { kind = k; break; }
  if (kind < 0) return luaL_argerror(L, 2, lua_pushfstring(L, "unknown token kind '%s'", name));
  size_t n = 0;
  for (size_t i = 0; i < d->ntok; i++) n += d->tok[i].kind == kind;
  lua_pushinteger(L, (lua_Integer)n);
  return 1;
}

static int l_doc_sentence_span(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  int ok;
  lua_Integer k = check_index(L, 2, d->nsent, &ok);
  const td_sentence *s;
  if (!ok) return 0;
  s = &d->sent[k - 1];
  lua_pushinteger(L, (lua_Integer)d->tok[s->first].start + 1);
  lua_pushinteger(L, (lua_Integer)d->tok[s->last - 1].end);
  lua_pushinteger(L, (lua_Integer)s->first + 1);
  lua_pushinteger(L, (lua_Integer)s->last);
  return 4;
}

/* doc:text() -> the analysed string */
static int l_doc_text(lua_State *L) {
  td_l_checkdoc(L, 1);
  td_getuservalue(L, 1);
  lua_rawgeti(L, -1, 1);
  return 1;
}

/* Byte position (1-based, may be len + 1) -> 1-based character or UTF-16
 * position.  Positions inside a multi-byte character map to that character. */
static int pos_convert(lua_State *L, int utf16) {
  td_doc *d = td_l_checkdoc(L, 1);
  lua_Integer b = luaL_checkinteger(L, 2);
  size_t chars, units;
  luaL_argcheck(L, b >= 1 && (size_t)b <= d->len + 1, 2, "byte position out of range");
  td_position((const uint8_t *)d->text, d->len, (size_t)b - 1, &chars, &units);
  lua_pushinteger(L, (lua_Integer)(utf16 ? units : chars) + 1);
  return 1;
}

static int l_doc_char_pos(lua_State *L) { return pos_convert(L, 0); }
static int l_doc_utf16_pos(lua_State *L) { return pos_convert(L, 1); }

/* doc:memsize() -> bytes the Doc owns (not counting the text itself) */
static int l_doc_memsize(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  lua_pushinteger(L, (lua_Integer)doc_bytes(d));
  return 1;
}

static int l_doc_gc(lua_State *L) {
  td_ldoc *ld = (td_ldoc *)td_testudata(L, 1, TD_DOC_MT);
  if (ld != NULL && ld->alive) {
    td_doc_free(&ld->d);
    ld->alive = 0;
  }
  return 0;
}

static int l_doc_tostring(lua_State *L) {
  td_ldoc *ld = (td_ldoc *)td_testudata(L, 1, TD_DOC_MT);
  if (ld == NULL || !ld->alive) {
    lua_pushliteral(L, "tidings.Doc (freed)");
  } else {
    lua_pushfstring(L, "tidings.Doc: %d bytes, %d tokens, %d sentences", (int)ld->d.len,
                    (int)ld->d.ntok, (int)ld->d.nsent);
  }
  return 1;
}

static const luaL_Reg doc_methods[] = {
  {"token", l_doc_token},
  {"span", l_doc_span},
  {"flags", l_doc_flags},
  {"tokens", l_doc_tokens},
  {"sentences", l_doc_sentences},
  {"nsentences", l_doc_nsentences},
  {"count", l_doc_count},
  {"sentence_span", l_doc_sentence_span},
  {"text", l_doc_text},
  {"char_pos", l_doc_char_pos},
  {"utf16_pos", l_doc_utf16_pos},
  {"memsize", l_doc_memsize},
  /* subsystem methods */
  {"json_spans", td_l_doc_json_spans},
  {"extract_json", td_l_doc_extract_json},
  {"numbers", td_l_doc_numbers},
  {"entities", td_l_doc_entities},
  {"entity_arrays", td_l_doc_entity_arrays},
  {"quotes", td_l_doc_quotes},
  {NULL, NULL}
};

/* ---- module functions -------------------------------------------------- */

/* core.tokenize(text, strict, split_hyphens) -> array of strings | nil, msg */
static int l_tokenize(lua_State *L) {
  td_ldoc *ld;
  td_opts o;
  size_t off = 0, i;
  int rc;
  luaL_checktype(L, 1, LUA_TSTRING);
  o.strict = lua_toboolean(L, 2);
  o.split_hyphens = lua_isnoneornil(L, 3) ? 1 : lua_toboolean(L, 3);
  ld = new_doc(L, 1);  /* owns the token array if building the table raises */
  rc = td_tokenize(&ld->d, &o, &off);
  if (rc != TD_OK) return push_status(L, rc, off);
  td_l_newarray(L, (int)ld->d.ntok);
  for (i = 0; i < ld->d.ntok; i++) {
    const td_token *t = &ld->d.tok[i];
    lua_pushlstring(L, ld->d.text + t->start, t->end - t->start);
    lua_rawseti(L, -2, (int)i + 1);
  }
  td_doc_free(&ld->d);
  ld->alive = 0;
  return 1;
}

/* core.segments(text) -> array of UAX #29 word-boundary segments */
static int l_segments(lua_State *L) {
  size_t len, pos = 0;
  const char *s = luaL_checklstring(L, 1, &len);
  int n = 0;
  td_l_newarray(L, 0);
  while (pos < len) {
    size_t next = td_wb_next((const uint8_t *)s, len, pos);
    lua_pushlstring(L, s + pos, next - pos);
    lua_rawseti(L, -2, ++n);
    pos = next;
  }
  return 1;
}

/* core.versions() -> { tidings=, utf8proc=, pcre2=, unicode=, ... } */
static int l_versions(lua_State *L) {
  char buf[64];
  lua_createtable(L, 0, 6);
  lua_pushliteral(L, TD_VERSION);
  lua_setfield(L, -2, "tidings");
  lua_pushstring(L, utf8proc_version());
  lua_setfield(L, -2, "utf8proc");
  lua_pushstring(L, utf8proc_unicode_version());
  lua_setfield(L, -2, "utf8proc_unicode");
  if (pcre2_config(PCRE2_CONFIG_VERSION, buf) > 0) {
    lua_pushstring(L, buf);
    lua_setfield(L, -2, "pcre2");
  }
  lua_pushstring(L, td_wb_unicode_version);
  lua_setfield(L, -2, "unicode");
  lua_pushstring(L, LUA_VERSION);
  lua_setfield(L, -2, "lua_headers");
  return 1;
}

/* core.private(doc) -> the Doc's private table (text at [1]; caches) */
static int l_private(lua_State *L) {
  td_l_checkdoc(L, 1);
  td_getuservalue(L, 1);
  return 1;
}

static const luaL_Reg core_functions[] = {
  {"private", l_private},
  {"analyze", l_analyze},
  {"tokenize", l_tokenize},
  {"segments", l_segments},
  {"versions", l_versions},
  /* subsystem functions */
  {"clean", td_l_clean}, {"cleaner", td_l_cleaner_new}, {"boilerplate_patterns", td_l_boilerplate_patterns},
  {"tagger_new", td_l_tagger_new}, {"tagger_methods", td_l_tagger_methods},
  {"entities_bind", td_l_entities_bind},
  {"listdir", td_l_listdir}, {"stat", td_l_stat}, {"isatty", td_l_isatty},
  {"clock", td_l_clock}, {"utf8_check", td_l_utf8_check}, {"utf8_repair", td_l_utf8_repair},
  {"jsonl_text", td_l_jsonl_text},
  {"json_object", td_l_json_object},
  {"model_load", td_l_model_load},
  {"model_trainer", td_l_model_trainer},
  {NULL, NULL}
};

static void push_flag_table(lua_State *L) {
  static const struct { const char *name; int bit; } flags[] = {
    {"space_before", TD_F_SPACE_BEFORE}, {"newline_before", TD_F_NEWLINE_BEFORE},
    {"paragraph_before", TD_F_PARA_BEFORE}, {"invalid", TD_F_INVALID},
    {"upper_initial", TD_F_UPPER_INITIAL}, {"all_upper", TD_F_ALL_UPPER},
    {"abbreviation", TD_F_ABBREV}, {"clitic", TD_F_CLITIC}, {"has_digit", TD_F_HAS_DIGIT},
    {"nonascii", TD_F_NONASCII}, {"sentence_start", TD_F_SENT_START}, {NULL, 0}
  };
  int k;
  lua_newtable(L);
  for (k = 0; flags[k].name; k++) {
    lua_pushinteger(L, flags[k].bit);
    lua_setfield(L, -2, flags[k].name);
  }
}

int luaopen_tidings_core(lua_State *L) {
  /* the array metatable: marks tables that serialise as JSON arrays */
  luaL_newmetatable(L, "tidings.array");
  lua_pushliteral(L, "array");
  lua_setfield(L, -2, "__jsontype");
  lua_pop(L, 1);

  if (luaL_newmetatable(L, TD_DOC_MT)) {
    lua_newtable(L);
    td_setfuncs(L, doc_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_doc_len);
    lua_setfield(L, -2, "__len");
    lua_pushcfunction(L, l_doc_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, l_doc_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "tidings.Doc");
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);

  lua_newtable(L);
  td_setfuncs(L, core_functions);
  lua_pushliteral(L, TD_VERSION);
  lua_setfield(L, -2, "_VERSION");
  push_flag_table(L);
  lua_setfield(L, -2, "flags");
  luaL_getmetatable(L, "tidings.array");
  lua_setfield(L, -2, "array_mt");
  /* the Doc metatable, so Lua code can add methods (tidings.Doc) */
  luaL_getmetatable(L, TD_DOC_MT);
  lua_setfield(L, -2, "Doc");
  return 1;
}
