/*
 * binding.h - what the lua_*.c binding files share.  Only binding files
 * include this (and lua.h); the core stages never do.
 */
#ifndef TIDINGS_BINDING_H
#define TIDINGS_BINDING_H

#include "tidings.h"
#include "compat.h"

#define TD_DOC_MT "tidings.Doc"

/* The Doc userdata: the core doc plus whether it is still alive. */
typedef struct td_ldoc {
  td_doc d;
  int alive;
} td_ldoc;

/* Checked getter: raises a Lua error for a non-Doc or a freed Doc. */
td_doc *td_l_checkdoc(lua_State *L, int idx);
/* Push the Doc's private table (slot 1 holds the text; other keys free). */
void td_l_doc_uservalue(lua_State *L, int idx);
/* Push an empty table with the array metatable (serialises as []). */
void td_l_newarray(lua_State *L, int narr);
/* The host allocator as a td_alloc. */
void td_l_alloc(lua_State *L, td_alloc *A);

/* subsystem declarations */
/* lua_numbers.c: doc:numbers([opts]) */
int td_l_doc_numbers(lua_State *L);
/* doc:numbers() as C data, for doc:extract_json: pushes the userdata that
 * owns the array (keep it on the stack while used); td_l_number_list_done
 * with its index frees the array at once. */
const td_number *td_l_doc_number_list(lua_State *L, int doc, size_t *n);
void td_l_number_list_done(lua_State *L, int idx);
/* lua_entities.c: tagger (gazetteer, patterns, model) and doc:entities() */
int td_l_tagger_new(lua_State *L);
int td_l_tagger_methods(lua_State *L);
int td_l_entities_bind(lua_State *L);
int td_l_doc_entities(lua_State *L);
int td_l_doc_entity_arrays(lua_State *L);
/* The Doc's entities as C data, for other stages (doc:quotes()): the
 * lua_CFunction td_l_doc_entity_set(doc) returns the tagger and the entity
 * set (found now when doc:entities() has not run; call it protected, the
 * default tagger may fail to load); td_l_entity_set gives the set and the
 * tagger's gazetteer (type names) from those two values, or NULL when they
 * are not that.  Keep both values on the stack while the set is used. */
int td_l_doc_entity_set(lua_State *L);
const td_entities *td_l_entity_set(lua_State *L, int tagger, int set, const td_gazetteer **g);
/* lua_quotes.c: doc:quotes() */
int td_l_doc_quotes(lua_State *L);
/* The same as C data, for doc:extract_json: the quotes of the Doc at index
 * doc with the entity set es (td_l_entity_set; NULL: the built-in name rules)
 * as speaker candidates.  Pushes the scratch that holds them: keep it on the
 * stack while they are used, then hand its index to td_l_quote_list_done.
 * ents[0 .. nents) are the candidates a quote's ent indexes (canon: the
 * index in es). */
const td_quotes *td_l_doc_quote_list(lua_State *L, int doc, const td_entities *es,
                                     const td_gazetteer *g, const td_qent **ents, size_t *nents);
void td_l_quote_list_done(lua_State *L, int idx, const td_doc *d);
/* A speaker's name as doc:quotes() gives it when no entity names it:
 * text[a, b) with white-space runs as one space, into out (b - a bytes). */
size_t td_l_quote_name(const char *text, uint32_t a, uint32_t b, char *out);
/* lua_clean.c: core.clean(text, opts), core.cleaner(opts), core.boilerplate_patterns() */
int td_l_clean(lua_State *L);
int td_l_cleaner_new(lua_State *L);
int td_l_boilerplate_patterns(lua_State *L);
/* lua_sys.c: core.listdir/stat/isatty/clock/utf8_check/utf8_repair (CLI) */
int td_l_listdir(lua_State *L);
int td_l_stat(lua_State *L);
int td_l_isatty(lua_State *L);
int td_l_clock(lua_State *L);
int td_l_utf8_check(lua_State *L);
int td_l_utf8_repair(lua_State *L);
/* lua_extract.c: doc:json_spans() for tidings extract */
int td_l_doc_json_spans(lua_State *L);
int td_l_doc_extract_json(lua_State *L);
/* lua_jsonl.c: core.jsonl_text(line) (the JSONL input fast path) */
int td_l_jsonl_text(lua_State *L);
/* core.json_object(line, array_mt, null): a whole JSONL line of plain values */
int td_l_json_object(lua_State *L);
/* lua_model.c: core.model_load(bytes), core.model_trainer{...} (NER model) */
int td_l_model_load(lua_State *L);
int td_l_model_trainer(lua_State *L);

#endif
