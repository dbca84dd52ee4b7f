/*
 * lua_extract.c - the hot loop of `tidings extract` in C: a Doc's tokens and
 * sentences as JSON text, and the two MinHash signatures the report uses for
 * near-duplicates.  Doing this per token in Lua cost 20x the analysis.
 *
 *   doc:json_spans() -> tokens_json, sentences_json, nwords, sig_shingles, sig_words
 *
 * tokens_json    [[start,end,"kind"],...]   0-based, end exclusive
 * sentences_json [[start,end],...]
 * sig_*          arrays of SIG_K integers (empty when there are no words)
 *
 * The signatures are defined in lua/tidings/report.lua (report.signatures),
 * which is the reference; spec/report_spec.lua checks both give the same.
 * Every product stays below 2^53, so the Lua version agrees on every Lua.
 */
#include <string.h>

#include "binding.h"

#define SIG_K 32
#define SHINGLE 5
#define P 2147483647u

static const char *const stop_words[] = {
  "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by",
  "with", "as", "is", "was", "were", "be", "been", "are", "it", "its", "this", "that",
  "these", "those", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our",
  "has", "have", "had", "not", "no", "will", "would", "could", "should", "can", "may",
  "said", "says", "also", "than", "then", "there", "which", "who", "what", "when", "where",
  "while", "after", "before", "about", "into", "over", "more", "most", NULL
};

static int is_stop(const char *lower, size_t n) {
  for (const char *const *w = stop_words; *w; w++)
    if (strlen(*w) == n && memcmp(*w, lower, n) == 0) return 1;
  return 0;
}

static void hash_params(uint64_t *ha, uint64_t *hb) {
  uint64_t x = 12345;
  for (int i = 0; i < SIG_K; i++) {
    x = (x * 48271u) % P; ha[i] = 1 + x % 2097151u;
    x = (x * 48271u) % P; hb[i] = x;
  }
}

static void put_uint(luaL_Buffer *b, uint64_t v) {
  char tmp[24];
  int n = 0;
  do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) luaL_addchar(b, tmp[--n]);
}

static void push_sig(lua_State *L, const uint64_t *sig, int have) {
  td_l_newarray(L, have ? SIG_K : 0);
  if (!have) return;
  for (int i = 0; i < SIG_K; i++) {
    lua_pushinteger(L, (lua_Integer)sig[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

int td_l_doc_json_spans(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  const uint8_t *s = (const uint8_t *)d->text;
  size_t nt = d->ntok;

  /* word hashes live in a userdata, so an error cannot leak them */
  size_t nw = 0;
  for (size_t i = 0; i < nt; i++) if (d->tok[i].kind == TD_WORD) nw++;
  uint32_t *wh = (uint32_t *)lua_newuserdata(L, (nw ? nw : 1) * sizeof *wh);
  unsigned char *content = (unsigned char *)lua_newuserdata(L, nw ? nw : 1);

  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addchar(&b, '[');
  size_t w = 0;
  for (size_t i = 0; i < nt; i++) {
    const td_token *t = &d->tok[i];
    if (i) luaL_addchar(&b, ',');
    luaL_addchar(&b, '[');
    put_uint(&b, t->start);
    luaL_addchar(&b, ',');
    put_uint(&b, t->end);
    luaL_addstring(&b, ",\"");
    luaL_addstring(&b, td_kind_names[t->kind < TD_NKINDS ? t->kind : TD_SYMBOL]);
    luaL_addstring(&b, "\"]");
    if (t->kind == TD_WORD) {
      uint64_t h = 0;
      size_t n = t->end - t->start;
      char low[16];
      for (size_t k = 0; k < n; k++) {
        uint8_t c = s[t->start + k];
        if (c >= 'A' && c <= 'Z') c = (uint8_t)(c + 32);
        if (k < sizeof low) low[k] = (char)c;
        h = (h * 257u + c) % P;
      }
      wh[w] = (uint32_t)h;
      content[w] = (unsigned char)(n > 2 && !(n <= sizeof low && is_stop(low, n)));
      w++;
    }
  }
  luaL_addchar(&b, ']');
  luaL_pushresult(&b);

  luaL_buffinit(L, &b);
  luaL_addchar(&b, '[');
  size_t nout = 0;
  for (size_t i = 0; i < d->nsent; i++) {
    const td_sentence *se = &d->sent[i];
    if (se->last <= se->first) continue;
    if (nout++) luaL_addchar(&b, ',');
    luaL_addchar(&b, '[');
    put_uint(&b, d->tok[se->first].start);
    luaL_addchar(&b, ',');
    put_uint(&b, d->tok[se->last - 1].end);
    luaL_addchar(&b, ']');
  }
  luaL_addchar(&b, ']');
  luaL_pushresult(&b);

  lua_pushinteger(L, (lua_Integer)nw);

  uint64_t ha[SIG_K], hb[SIG_K], sig[SIG_K], wsig[SIG_K];
  hash_params(ha, hb);
  for (int i = 0; i < SIG_K; i++) sig[i] = wsig[i] = P;
  int have_sh = nw > 0, have_w = 0;
  size_t nsh = nw < SHINGLE ? (nw ? 1 : 0) : nw - SHINGLE + 1;
  for (size_t i = 0; i < nsh; i++) {
    uint64_t h = 0;
    size_t end = nw < SHINGLE ? nw : i + SHINGLE;
    for (size_t j = i; j < end; j++) h = (h * 31u + wh[j]) % P;
    for (int k = 0; k < SIG_K; k++) {
      uint64_t v = (ha[k] * h + hb[k]) % P;
      if (v < sig[k]) sig[k] = v;
    }
  }
  for (size_t i = 0; i < nw; i++) {
    if (!content[i]) continue;
    have_w = 1;
    for (int k = 0; k < SIG_K; k++) {
      uint64_t v = (ha[k] * wh[i] + hb[k]) % P;
      if (v < wsig[k]) wsig[k] = v;
    }
  }
  push_sig(L, sig, have_sh);
  push_sig(L, wsig, have_sh && have_w);
  return 5;
}
