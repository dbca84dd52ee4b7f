/*
 * lua_extract.c - the hot loop of `tidings extract` in C: a Doc's spans and
 * facts as JSON text, and the two MinHash signatures the report uses for
 * near-duplicates.  Doing this per token (and per entity, number, quote) in
 * Lua cost several times the analysis.
 *
 *   doc:json_spans([as_table]) -> tokens_json, sentences, nwords, sig_shingles, sig_words
 *
 * tokens_json    [[start,end,"kind"],...]   0-based, end exclusive
 * sentences      [[start,end],...] as JSON text, or with as_table an array of
 *                {start, end} arrays (what json.decode makes of that text)
 * sig_*          arrays of SIG_K integers (empty when there are no words)
 *
 *   doc:extract_json(format_number [, text]) -> tokens_json, sentences_json,
 *       nsentences, nwords, signature_json, entities_json, numbers_json,
 *       quotes_json, date [, text_json]
 *
 * The same tokens and sentences, plus the record's `signature`, `entities`,
 * `numbers` and `quotes` fields as JSON text exactly as report.record builds
 * them and tidings.json encodes them (same keys, order, escapes and number
 * forms) as doc:entities(), doc:numbers() and doc:quotes() give them: when
 * those are the library's own methods, written from their C results with no
 * Lua rows built (a host's replacement methods are called and their rows
 * read).  format_number(x) formats a non-integral
 * number (tidings.json's shortest round-trip form: C has no locale-free way).
 * date is the first full ISO date (YYYY-MM-DD) among the numbers starting in
 * the first 400 bytes, or nil.  text_json, when a text string is given, is
 * that string as a JSON string (the record's `text` field).
 *
 *   doc:extract_json(format_number, text, head) -> line | nil
 *
 * With a head table, the whole record as one line of JSON, in one buffer:
 * what report.extract_json returns.  head holds the record's own fields:
 * id, path, line, title, date (nil: the date found above), source, meta (a
 * table, written as tidings.json does; null: json.null), text (the document before boilerplate was blanked, for the
 * stats and the removed spans), boilerplate ({ start, end [, kind] } in
 * JSON offsets, in order) and newline (end the line with "\n").  nil when a
 * field is of a type this does not write (a table where a string goes, a
 * span outside the text): the caller encodes that record in Lua.
 *
 * The signatures are defined in lua/tidings/report.lua (report.signatures),
 * which is the reference; spec/report_spec.lua checks both give the same.
 * Every product stays below 2^53, so the Lua version agrees on every Lua.
 */
#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* x86 with GCC or clang: an AVX2 MinHash, taken when the CPU has it */
#if defined(__SSE2__) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define MINHASH_AVX2 1
#include <immintrin.h>
#else
#define MINHASH_AVX2 0
#endif

#include "binding.h"

#define SIG_K 32
#define SHINGLE 5
#define P 2147483647u
#define JBUF_MT "tidings.extract.buffer"

/* The stop words of report.lua's signatures longer than two letters (shorter
 * words never count), one string per length: words of n letters end to end. */
static const char *const stop_by_len[] = {
  /* 0 */ "",
  /* 1 */ "",
  /* 2 */ "",
  /* 3 */ "theandbutforwasareitssheyouhisherourhashadnotcanmaywho",
  /* 4 */ "fromwithwerebeenthisthattheyhavewillsaidsaysalsothanthenwhatwhenintoovermoremost",
  /* 5 */ "thesethosetheirwouldcouldtherewhichwherewhileafterabout",
  /* 6 */ "shouldbefore",
};
/* Shorter ones are never looked up: a an or of in on at to by as is be it he we i no */

/* x mod P for x < 2^61 (word and shingle hashes: h < P times 257 or 31,
 * plus a byte or a hash): one fold leaves less than 2P. */
static inline uint32_t modp_small(uint64_t x) {
  x = (x & P) + (x >> 31);
  return (uint32_t)(x >= P ? x - P : x);
}

/* Up to 8 bytes as one integer, first byte lowest. */
static inline uint64_t pack8(const char *s, size_t n) {
  uint64_t v = 0;
  for (size_t k = n; k-- > 0;) v = v << 8 | (uint8_t)s[k];
  return v;
}

/* 8 bytes, the first lowest (one load where the compiler sees it). */
static inline uint64_t load8(const uint8_t *c) {
  return (uint64_t)c[0] | (uint64_t)c[1] << 8 | (uint64_t)c[2] << 16 | (uint64_t)c[3] << 24 |
         (uint64_t)c[4] << 32 | (uint64_t)c[5] << 40 | (uint64_t)c[6] << 48 | (uint64_t)c[7] << 56;
}

/* The bytes 'A'..'Z' of v lower-cased, all 8 at once (bytes >= 0x80 are
 * kept out of the tests, so no sum carries into the next byte). */
static inline uint64_t lower8(uint64_t v) {
  const uint64_t high = 0x8080808080808080u, low7 = 0x7f7f7f7f7f7f7f7fu;
  uint64_t t = v & low7;
  uint64_t ge_a = t + 0x3f3f3f3f3f3f3f3fu;  /* high bit: t >= 'A' */
  uint64_t gt_z = t + 0x2525252525252525u;  /* high bit: t > 'Z' */
  return v | ((ge_a & ~gt_z & ~v & high) >> 2);
}

/* A lower-cased word of 3 to 6 letters against stop_by_len, as integers
 * (its bytes, first lowest, and its length in the top byte) in a small
 * open-addressing table built once per document: a memcmp per entry was
 * most of the cost of a word, a scan of the entries of its length still a
 * tenth of a document's signature. */
#define STOP_SLOTS 128
typedef struct stops {
  uint64_t key[STOP_SLOTS];  /* 0: free */
} stops;

static inline size_t stop_slot(uint64_t key) {
  return (size_t)((key * 0x9e3779b97f4a7c15u) >> 57);  /* 7 bits: STOP_SLOTS */
}

static void stops_init(stops *st) {
  memset(st, 0, sizeof *st);
  for (size_t n = 3; n < sizeof stop_by_len / sizeof *stop_by_len; n++)
    for (const char *w = stop_by_len[n]; *w; w += n) {
      uint64_t key = pack8(w, n) | (uint64_t)n << 56;
      size_t i = stop_slot(key);
      while (st->key[i] && st->key[i] != key) i = (i + 1) % STOP_SLOTS;
      st->key[i] = key;
    }
}

/* v: the word's first 8 lower-cased bytes packed as pack8 does */
static int is_stop(const stops *st, uint64_t v, size_t n) {
  if (n < 3 || n >= sizeof stop_by_len / sizeof *stop_by_len) return 0;
  uint64_t key = v | (uint64_t)n << 56;
  for (size_t i = stop_slot(key); st->key[i]; i = (i + 1) % STOP_SLOTS)
    if (st->key[i] == key) return 1;
  return 0;
}

static void hash_params(uint32_t *ha, uint32_t *hb) {
  uint64_t x = 12345;
  for (int i = 0; i < SIG_K; i++) {
    x = (x * 48271u) % P; ha[i] = (uint32_t)(1 + x % 2097151u);
    x = (x * 48271u) % P; hb[i] = (uint32_t)x;
  }
}

/* sig[k] = min(sig[k], (ha[k] * h + hb[k]) mod P) for every k and every h
 * of hs[0 .. n): the MinHash steps of the shingles or of the words.  ha <
 * 2^21 and h, hb < P, so the sum stays below 2^53; two folds leave x <=
 * 2^31, and adding (x + 1) >> 31 before masking finishes the reduction
 * without a branch.  Every value is below 2^31, which lets SSE2's signed
 * 32-bit compare take the minimum.  The SSE2 and AVX2 versions do the same
 * integer steps lane by lane: the same signatures. */
#if !defined(__SSE2__) || defined(TD_MINHASH_TEST)
static void minhash_scalar(uint32_t *sig, const uint32_t *ha, const uint32_t *hb, const uint32_t *hs,
                           size_t n) {
  for (size_t i = 0; i < n; i++)
    for (int k = 0; k < SIG_K; k++) {
      uint64_t x = (uint64_t)ha[k] * hs[i] + hb[k];
      x = (x & P) + (x >> 31);
      x = (x & P) + (x >> 31);
      uint32_t v = (uint32_t)((x + ((x + 1) >> 31)) & P);
      if (v < sig[k]) sig[k] = v;
    }
}
#endif

#ifdef __SSE2__
static void minhash_sse2(uint32_t *sig, const uint32_t *ha, const uint32_t *hb, const uint32_t *hs,
                         size_t n) {
  const __m128i pv = _mm_set1_epi64x(P);
  const __m128i p32 = _mm_set1_epi32((int)P), one = _mm_set1_epi32(1);
  const __m128i lo32 = _mm_set1_epi64x(0xffffffff);
  for (size_t i = 0; i < n; i++) {
    const __m128i hv = _mm_set1_epi32((int)hs[i]);
    for (int k = 0; k < SIG_K; k += 4) {
      __m128i a = _mm_loadu_si128((const __m128i *)(ha + k));
      __m128i b = _mm_loadu_si128((const __m128i *)(hb + k));
      /* lanes 0 and 2, then 1 and 3, as 64-bit products plus hb */
      __m128i x02 = _mm_add_epi64(_mm_mul_epu32(a, hv), _mm_and_si128(b, lo32));
      __m128i x13 = _mm_add_epi64(_mm_mul_epu32(_mm_srli_epi64(a, 32), hv), _mm_srli_epi64(b, 32));
      x02 = _mm_add_epi64(_mm_and_si128(x02, pv), _mm_srli_epi64(x02, 31));
      x02 = _mm_add_epi64(_mm_and_si128(x02, pv), _mm_srli_epi64(x02, 31));
      x13 = _mm_add_epi64(_mm_and_si128(x13, pv), _mm_srli_epi64(x13, 31));
      x13 = _mm_add_epi64(_mm_and_si128(x13, pv), _mm_srli_epi64(x13, 31));
      /* both now fit in 32 bits: interleave back to lanes 0 1 2 3 */
      __m128i x = _mm_or_si128(x02, _mm_slli_epi64(x13, 32));
      x = _mm_and_si128(_mm_add_epi32(x, _mm_srli_epi32(_mm_add_epi32(x, one), 31)), p32);
      __m128i s = _mm_loadu_si128((const __m128i *)(sig + k));
      __m128i lt = _mm_cmplt_epi32(x, s);
      _mm_storeu_si128((__m128i *)(sig + k), _mm_or_si128(_mm_and_si128(lt, x), _mm_andnot_si128(lt, s)));
    }
  }
}
#endif

#if MINHASH_AVX2
/* Eight lanes at a time, the signature kept in registers over all of hs. */
static __attribute__((target("avx2"))) void minhash_avx2(uint32_t *sig, const uint32_t *ha,
                                                          const uint32_t *hb, const uint32_t *hs, size_t n) {
  const __m256i pv = _mm256_set1_epi64x(P), p32 = _mm256_set1_epi32((int)P);
  const __m256i one = _mm256_set1_epi32(1), lo32 = _mm256_set1_epi64x(0xffffffff);
  __m256i a02[SIG_K / 8], a13[SIG_K / 8], b02[SIG_K / 8], b13[SIG_K / 8], s[SIG_K / 8];
  for (int j = 0; j < SIG_K / 8; j++) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(ha + 8 * j));
    __m256i b = _mm256_loadu_si256((const __m256i *)(hb + 8 * j));
    a02[j] = a;
    a13[j] = _mm256_srli_epi64(a, 32);
    b02[j] = _mm256_and_si256(b, lo32);
    b13[j] = _mm256_srli_epi64(b, 32);
    s[j] = _mm256_loadu_si256((const __m256i *)(sig + 8 * j));
  }
  for (size_t i = 0; i < n; i++) {
    const __m256i hv = _mm256_set1_epi32((int)hs[i]);
    for (int j = 0; j < SIG_K / 8; j++) {
      __m256i x02 = _mm256_add_epi64(_mm256_mul_epu32(a02[j], hv), b02[j]);
      __m256i x13 = _mm256_add_epi64(_mm256_mul_epu32(a13[j], hv), b13[j]);
      x02 = _mm256_add_epi64(_mm256_and_si256(x02, pv), _mm256_srli_epi64(x02, 31));
      x02 = _mm256_add_epi64(_mm256_and_si256(x02, pv), _mm256_srli_epi64(x02, 31));
      x13 = _mm256_add_epi64(_mm256_and_si256(x13, pv), _mm256_srli_epi64(x13, 31));
      x13 = _mm256_add_epi64(_mm256_and_si256(x13, pv), _mm256_srli_epi64(x13, 31));
      __m256i x = _mm256_or_si256(x02, _mm256_slli_epi64(x13, 32));
      x = _mm256_and_si256(_mm256_add_epi32(x, _mm256_srli_epi32(_mm256_add_epi32(x, one), 31)), p32);
      s[j] = _mm256_min_epu32(s[j], x);
    }
  }
  for (int j = 0; j < SIG_K / 8; j++) _mm256_storeu_si256((__m256i *)(sig + 8 * j), s[j]);
}
#endif

/* Add h (< P) to the open-addressing set of cap (a power of two) slots
 * holding h + 1, 0 when free; 1 when it was not there yet. */
static int set_add(uint32_t *set, size_t cap, uint32_t h) {
  size_t i = (size_t)(((uint64_t)h * 0x9e3779b97f4a7c15u) >> 32) & (cap - 1);
  while (set[i]) {
    if (set[i] == h + 1) return 0;
    i = (i + 1) & (cap - 1);
  }
  set[i] = h + 1;
  return 1;
}

/* The widest version the CPU runs (asked per document: no global state). */
static void minhash(uint32_t *sig, const uint32_t *ha, const uint32_t *hb, const uint32_t *hs, size_t n) {
#if MINHASH_AVX2
  if (__builtin_cpu_supports("avx2")) { minhash_avx2(sig, ha, hb, hs, n); return; }
#endif
#ifdef __SSE2__
  minhash_sse2(sig, ha, hb, hs, n);
#else
  minhash_scalar(sig, ha, hb, hs, n);
#endif
}

/* ---- a growable byte buffer owned by a userdata ---------------------------
 * (luaL_Buffer cannot be used here: building the facts calls back into Lua
 * between appends, and an error must not leak the memory.) */

typedef struct jbuf {
  td_alloc A;
  char *p;
  size_t n, cap;
  lua_State *L;
} jbuf;

static void jbuf_free(jbuf *b) {
  if (b && b->p) {
    td_free(&b->A, b->p, b->cap);
    b->p = NULL;
    b->n = b->cap = 0;
  }
}

static int jbuf_gc(lua_State *L) {
  jbuf_free((jbuf *)lua_touserdata(L, 1));
  return 0;
}

static jbuf *jbuf_new(lua_State *L, size_t cap) {
  jbuf *b = (jbuf *)lua_newuserdata(L, sizeof *b);
  memset(b, 0, sizeof *b);
  if (luaL_newmetatable(L, JBUF_MT)) {
    lua_pushcfunction(L, jbuf_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  td_l_alloc(L, &b->A);
  b->L = L;
  if (td_grow(&b->A, (void **)&b->p, &b->cap, cap ? cap : 64, 1))
    luaL_error(L, "not enough memory");
  return b;
}

static void jb_need(jbuf *b, size_t k) {
  if (k > b->cap - b->n) {
    if (k > SIZE_MAX - b->n || td_grow(&b->A, (void **)&b->p, &b->cap, b->n + k, 1))
      luaL_error(b->L, "not enough memory");
  }
}

static void jb_add(jbuf *b, const char *s, size_t k) {
  if (k == 0) return;  /* s may be NULL then */
  jb_need(b, k);
  memcpy(b->p + b->n, s, k);
  b->n += k;
}

#define jb_lit(b, s) jb_add((b), "" s, sizeof(s) - 1)

static inline void jb_char(jbuf *b, char c) {
  if (b->n == b->cap) jb_need(b, 1);
  b->p[b->n++] = c;
}

/* Decimal digits two at a time: token offsets are most of what extract writes. */
static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

/* v in decimal at p (room for 10 bytes); returns the end. */
static inline char *put_u32(char *p, uint32_t v) {
  int n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6
        : v < 10000000 ? 7 : v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
  char *e = p + n;
  while (v >= 100) {
    unsigned r = v % 100;
    v /= 100;
    *--e = digit_pairs[2 * r + 1];
    *--e = digit_pairs[2 * r];
  }
  if (v >= 10) { *--e = digit_pairs[2 * v + 1]; *--e = digit_pairs[2 * v]; }
  else *--e = (char)('0' + v);
  return p + n;
}

static void jb_uint(jbuf *b, uint64_t v) {
  char tmp[24];
  int n = 24;
  while (v >= 100) {
    unsigned r = (unsigned)(v % 100);
    v /= 100;
    tmp[--n] = digit_pairs[2 * r + 1];
    tmp[--n] = digit_pairs[2 * r];
  }
  if (v >= 10) { tmp[--n] = digit_pairs[2 * v + 1]; tmp[--n] = digit_pairs[2 * v]; }
  else tmp[--n] = (char)('0' + v);
  jb_add(b, tmp + n, (size_t)(24 - n));
}

static void jb_int(jbuf *b, int64_t v) {
  if (v < 0) { jb_char(b, '-'); jb_uint(b, (uint64_t)0 - (uint64_t)v); }
  else jb_uint(b, (uint64_t)v);
}

/* Whether byte c is written escaped: '"', '\\' and the control characters
 * (0-31, 127). */
static inline int needs_escape(unsigned char c) {
  return c < 32 || c == '"' || c == '\\' || c == 127;
}

/* The offset of the first byte of s[i .. n) that needs_escape, or n.  Most
 * text has none for hundreds of bytes: SSE2 tests 16 at a time. */
static size_t next_escape(const char *s, size_t i, size_t n) {
#if defined(__SSE2__) && defined(__GNUC__)
  const __m128i c31 = _mm_set1_epi8(31), quote = _mm_set1_epi8('"');
  const __m128i bslash = _mm_set1_epi8('\\'), del = _mm_set1_epi8(127);
  for (; i + 16 <= n; i += 16) {
    __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
    /* x <= 31 (unsigned) exactly when max(x, 31) == 31 */
    __m128i m = _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, c31), c31),
                             _mm_or_si128(_mm_cmpeq_epi8(x, quote),
                                          _mm_or_si128(_mm_cmpeq_epi8(x, bslash), _mm_cmpeq_epi8(x, del))));
    unsigned bits = (unsigned)_mm_movemask_epi8(m);
    if (bits) return i + (size_t)__builtin_ctz(bits);
  }
#endif
  while (i < n && !needs_escape((unsigned char)s[i])) i++;
  return i;
}

/* A JSON string as tidings.json's quote() writes it: '"', '\\' and the
 * control characters (0-31, 127) escaped, every other byte as it is. */
static void jb_str(jbuf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  jb_need(b, n + 2);
  b->p[b->n++] = '"';
  size_t run = 0;
  for (size_t i = next_escape(s, 0, n); i < n; i = next_escape(s, i + 1, n)) {
    unsigned char c = (unsigned char)s[i];
    jb_add(b, s + run, i - run);
    run = i + 1;
    switch (c) {
    case '"': jb_lit(b, "\\\""); break;
    case '\\': jb_lit(b, "\\\\"); break;
    case '\b': jb_lit(b, "\\b"); break;
    case '\f': jb_lit(b, "\\f"); break;
    case '\n': jb_lit(b, "\\n"); break;
    case '\r': jb_lit(b, "\\r"); break;
    case '\t': jb_lit(b, "\\t"); break;
    default: {
      char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
      jb_add(b, u, 6);
    }
    }
  }
  jb_add(b, s + run, n - run);
  jb_char(b, '"');
}

static void jb_push(lua_State *L, jbuf *b) {
  lua_pushlstring(L, b->p, b->n);
}

/* ---- tokens, sentences, signatures ---------------------------------------- */

typedef struct spans {
  size_t nw;            /* words */
  uint32_t *wh;         /* word hashes (nw) */
  unsigned char *content;
  uint32_t *sent;       /* non-empty sentences: start, end pairs (JSON offsets) */
  size_t ns;
  uint32_t sig[SIG_K], wsig[SIG_K];
  int have_sh, have_w;
} spans;

/* Write the tokens and sentences JSON into tb and sb, and compute the word
 * hashes, sentence spans and signatures.  Scratch arrays are userdata pushed
 * on the stack (3 values). */
static void build_spans(lua_State *L, const td_doc *d, jbuf *tb, jbuf *sb, spans *o) {
  const uint8_t *s = (const uint8_t *)d->text;
  size_t nt = d->ntok;
  size_t nw = 0;
  for (size_t i = 0; i < nt; i++) if (d->tok[i].kind == TD_WORD) nw++;
  /* word hashes, then the distinct hashes for MinHash and their set */
  size_t setcap = 16;
  while (setcap < 2 * nw) setcap *= 2;
  if (nw > SIZE_MAX / (4 * sizeof(uint32_t)) - setcap) luaL_error(L, "not enough memory");
  uint32_t *wh = (uint32_t *)lua_newuserdata(L, (2 * nw + setcap) * sizeof *wh);
  uint32_t *hs = wh + nw, *set = hs + nw;
  unsigned char *content = (unsigned char *)lua_newuserdata(L, nw ? nw : 1);
  if (d->nsent > SIZE_MAX / (2 * sizeof(uint32_t))) luaL_error(L, "not enough memory");
  uint32_t *sent = (uint32_t *)lua_newuserdata(L, (d->nsent ? d->nsent : 1) * 2 * sizeof *sent);

  /* the stop words, once per document */
  stops st;
  stops_init(&st);

  /* each kind's ,"name"] tail, stored 16 bytes at a time */
  char tail[TD_NKINDS][16];
  size_t tl[TD_NKINDS];
  for (int k = 0; k < TD_NKINDS; k++) {
    size_t n = strlen(td_kind_names[k]);
    if (n > sizeof tail[k] - 4) luaL_error(L, "token kind name too long");
    memset(tail[k], 0, sizeof tail[k]);
    tail[k][0] = ',';
    tail[k][1] = '"';
    memcpy(tail[k] + 2, td_kind_names[k], n);
    tail[k][n + 2] = '"';
    tail[k][n + 3] = ']';
    tl[k] = n + 4;
  }
  jb_char(tb, '[');
  size_t w = 0;
  for (size_t i = 0; i < nt; i++) {
    const td_token *t = &d->tok[i];
    int kind = t->kind < TD_NKINDS ? t->kind : TD_SYMBOL;
    /* ,[start,end + the tail: 2 numbers of up to 10 digits, 3 marks, 16 bytes */
    if (39 > tb->cap - tb->n) jb_need(tb, 39);
    char *p = tb->p + tb->n;
    *p = ',';
    p += i != 0;
    *p++ = '[';
    p = put_u32(p, t->start);
    *p++ = ',';
    p = put_u32(p, t->end);
    memcpy(p, tail[kind], 16);
    tb->n = (size_t)(p + tl[kind] - tb->p);
    if (t->kind == TD_WORD) {
      /* h = the lower-cased bytes in base 257 mod P, reduced only when it
       * nears 2^52 (x * 257 + 255 then stays below 2^61 for modp_small):
       * the same residue as a reduction per byte */
      const uint8_t *c = s + t->start;
      size_t len = t->end - t->start;
      uint64_t x = 0, v = 0;
      if (len <= 8 && t->start + 8 <= d->len) {
        /* the common word: its 8 bytes at once, lower-cased together, then
         * 257^7 < 2^57 lets seven bytes go without a reduction */
        v = lower8(load8(c) & (len == 8 ? ~(uint64_t)0 : ((uint64_t)1 << (8 * len)) - 1));
        for (size_t k = 0; k < len; k++) {
          if (k == 7) x = modp_small(x);
          x = x * 257u + ((v >> (8 * k)) & 255);
        }
      } else {
        for (size_t k = 0; k < len; k++) {
          uint32_t ch = c[k];
          ch += (uint32_t)(ch - 'A' < 26u) << 5;
          if (k < 8) v |= (uint64_t)ch << (8 * k);
          x = x * 257u + ch;
          if (x >> 52) x = modp_small(x);
        }
      }
      wh[w] = modp_small(x);
      content[w] = (unsigned char)(len > 2 && !is_stop(&st, v, len));
      w++;
    }
  }
  jb_char(tb, ']');

  jb_char(sb, '[');
  size_t ns = 0;
  for (size_t i = 0; i < d->nsent; i++) {
    const td_sentence *se = &d->sent[i];
    if (se->last <= se->first) continue;
    uint32_t a = d->tok[se->first].start, e = d->tok[se->last - 1].end;
    sent[2 * ns] = a;
    sent[2 * ns + 1] = e;
    if (ns++) jb_char(sb, ',');
    jb_char(sb, '[');
    jb_uint(sb, a);
    jb_char(sb, ',');
    jb_uint(sb, e);
    jb_char(sb, ']');
  }
  jb_char(sb, ']');

  uint32_t ha[SIG_K], hb[SIG_K];
  hash_params(ha, hb);
  for (int i = 0; i < SIG_K; i++) o->sig[i] = o->wsig[i] = P;
  o->have_sh = nw > 0;
  o->have_w = 0;
  /* a minimum taken twice is the same minimum: each distinct hash once */
  size_t nsh = nw < SHINGLE ? (nw ? 1 : 0) : nw - SHINGLE + 1, nh = 0;
  memset(set, 0, setcap * sizeof *set);
  for (size_t i = 0; i < nsh; i++) {
    uint64_t h = 0;
    size_t end = nw < SHINGLE ? nw : i + SHINGLE;
    /* up to five hashes below 2^31 in base 31 stay below 2^52: one reduction */
    for (size_t j = i; j < end; j++) h = h * 31u + wh[j];
    h = modp_small(h);
    if (set_add(set, setcap, (uint32_t)h)) hs[nh++] = (uint32_t)h;
  }
  minhash(o->sig, ha, hb, hs, nh);
  nh = 0;
  memset(set, 0, setcap * sizeof *set);
  for (size_t i = 0; i < nw; i++) {
    if (!content[i]) continue;
    o->have_w = 1;
    if (set_add(set, setcap, wh[i])) hs[nh++] = wh[i];
  }
  minhash(o->wsig, ha, hb, hs, nh);
  o->nw = nw;
  o->wh = wh;
  o->content = content;
  o->sent = sent;
  o->ns = ns;
}

static void push_sig(lua_State *L, const uint32_t *sig, int have) {
  td_l_newarray(L, have ? SIG_K : 0);
  if (!have) return;
  for (int i = 0; i < SIG_K; i++) {
    lua_pushinteger(L, (lua_Integer)sig[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

int td_l_doc_json_spans(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  int as_table = lua_toboolean(L, 2);
  lua_settop(L, 1);
  jbuf *tb = jbuf_new(L, (size_t)d->ntok * 16 + 2);  /* 2 */
  jbuf *sb = jbuf_new(L, (size_t)d->nsent * 12 + 2); /* 3 */
  spans o;
  build_spans(L, d, tb, sb, &o);                      /* 4, 5, 6 */
  jb_push(L, tb);
  if (as_table) {
    td_l_newarray(L, (int)(o.ns > 0x7fffffff ? 0x7fffffff : o.ns));
    for (size_t i = 0; i < o.ns; i++) {
      td_l_newarray(L, 2);
      lua_pushinteger(L, (lua_Integer)o.sent[2 * i]);
      lua_rawseti(L, -2, 1);
      lua_pushinteger(L, (lua_Integer)o.sent[2 * i + 1]);
      lua_rawseti(L, -2, 2);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
  } else {
    jb_push(L, sb);
  }
  lua_pushinteger(L, (lua_Integer)o.nw);
  push_sig(L, o.sig, o.have_sh);
  push_sig(L, o.wsig, o.have_sh && o.have_w);
  jbuf_free(tb);
  jbuf_free(sb);
  return 5;
}

/* ---- the facts ------------------------------------------------------------ */

/* Index (1-based) of the sentence containing JSON offset off, or 0: the
 * binary search of report.lua's sentence_at. */
static size_t sentence_at(const spans *o, int64_t off) {
  int64_t lo = 1, hi = (int64_t)o->ns;
  while (lo <= hi) {
    int64_t mid = (lo + hi) / 2;
    const uint32_t *s = o->sent + 2 * (mid - 1);
    if (off < (int64_t)s[0]) hi = mid - 1;
    else if (off >= (int64_t)s[1]) lo = mid + 1;
    else return (size_t)mid;
  }
  return 0;
}

/* The number at stack index idx in tidings.json's form: integers (and
 * integral floats below 2^53) as digits, other numbers through
 * format_number (stack index fmt). */
static void jb_number(lua_State *L, jbuf *b, int idx, int fmt) {
#if LUA_VERSION_NUM >= 503
  if (lua_isinteger(L, idx)) { jb_int(b, (int64_t)lua_tointeger(L, idx)); return; }
#endif
  lua_Number x = lua_tonumber(L, idx);
  if (x == x && x > -9007199254740992.0 && x < 9007199254740992.0 && x == (lua_Number)(int64_t)x) {
    jb_int(b, (int64_t)x);  /* -0.0 is 0 */
    return;
  }
  lua_pushvalue(L, fmt);
  lua_pushvalue(L, idx);
  lua_call(L, 1, 1);
  size_t n;
  const char *s = lua_tolstring(L, -1, &n);
  if (!s) luaL_error(L, "format_number must return a string");
  jb_add(b, s, n);
  lua_pop(L, 1);
}

/* A finite number (report.lua's opt_num). */
static int is_finite_number(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TNUMBER) return 0;
  lua_Number x = lua_tonumber(L, idx);
  return x == x && x != (lua_Number)HUGE_VAL && x != -(lua_Number)HUGE_VAL;
}

/* The string field k of the table at t, or NULL (the value stays pushed). */
static const char *str_field(lua_State *L, int t, const char *k, size_t *n) {
  lua_getfield(L, t, k);
  return lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, n) : NULL;
}

static int64_t int_field(lua_State *L, int t, const char *k) {
  lua_getfield(L, t, k);
  int64_t v = (int64_t)lua_tonumber(L, -1);
  lua_pop(L, 1);
  return v;
}

/* ,"k":"string" when field f of table t is a string (key written as k). */
static void opt_str(lua_State *L, jbuf *b, int t, const char *f, const char *key) {
  size_t n;
  const char *s = str_field(L, t, f, &n);
  if (s) {
    jb_add(b, key, strlen(key));
    jb_str(b, s, n);
  }
  lua_pop(L, 1);
}

/* The same for a number field: written only when it is a finite number. */
static void opt_num(lua_State *L, jbuf *b, int t, const char *f, const char *key, int fmt) {
  lua_getfield(L, t, f);
  if (is_finite_number(L, -1)) {
    jb_add(b, key, strlen(key));
    jb_number(L, b, lua_gettop(L), fmt);
  }
  lua_pop(L, 1);
}

static void put_sentence(jbuf *b, const spans *o, int64_t a) {
  size_t si = sentence_at(o, a);
  if (si) {
    jb_lit(b, ",\"sentence\":");
    jb_uint(b, si);
  }
}

/* `{"start":S,"end":E` from a result table's Lua span (1-based, inclusive)
 * as JSON wants it (0-based, end exclusive): the one place that converts.
 * Returns the 0-based start. */
static int64_t span_head(lua_State *L, jbuf *b, int idx) {
  int64_t a = int_field(L, idx, "start") - 1;
  jb_lit(b, "{\"start\":");
  jb_int(b, a);
  jb_lit(b, ",\"end\":");
  jb_int(b, int_field(L, idx, "stop"));
  return a;
}

/* entities: {"start","end","text","type","canonical","role","sentence"} */
static void entities_json(lua_State *L, jbuf *b, int et, const spans *o) {
  size_t n = td_rawlen(L, et);
  jb_char(b, '[');
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, et, (lua_Integer)i);
    int e = lua_gettop(L);
    if (i > 1) jb_char(b, ',');
    int64_t a = span_head(L, b, e);
    size_t tn;
    const char *text = str_field(L, e, "text", &tn);  /* stays pushed */
    if (text) { jb_lit(b, ",\"text\":"); jb_str(b, text, tn); }
    opt_str(L, b, e, "type", ",\"type\":");
    size_t cn;
    const char *canon = str_field(L, e, "canonical", &cn);
    if (canon) { jb_lit(b, ",\"canonical\":"); jb_str(b, canon, cn); }
    else if (lua_isnil(L, -1) && text) { jb_lit(b, ",\"canonical\":"); jb_str(b, text, tn); }
    lua_pop(L, 2);
    opt_str(L, b, e, "role", ",\"role\":");
    put_sentence(b, o, a);
    jb_char(b, '}');
    lua_pop(L, 1);
  }
  jb_char(b, ']');
}

/* numbers: {"start","end","text","kind","value","unit","product","per",
 * "bound","low","high","timex","sentence"}; *date gets the first full date near the top */
static void numbers_json(lua_State *L, jbuf *b, int nt, const spans *o, int fmt, int date) {
  size_t n = td_rawlen(L, nt);
  int looking = 1;
  jb_char(b, '[');
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, nt, (lua_Integer)i);
    int r = lua_gettop(L);
    if (i > 1) jb_char(b, ',');
    int64_t a = span_head(L, b, r);
    opt_str(L, b, r, "text", ",\"text\":");
    opt_str(L, b, r, "kind", ",\"kind\":");
    opt_num(L, b, r, "value", ",\"value\":", fmt);
    opt_str(L, b, r, "unit", ",\"unit\":");
    opt_str(L, b, r, "product", ",\"product\":");
    opt_str(L, b, r, "per", ",\"per\":");
    opt_str(L, b, r, "bound", ",\"bound\":");
    opt_num(L, b, r, "low", ",\"low\":", fmt);
    opt_num(L, b, r, "high", ",\"high\":", fmt);
    opt_str(L, b, r, "timex", ",\"timex\":");
    put_sentence(b, o, a);
    jb_char(b, '}');
    /* report.lua: the first number past byte 400 ends the search */
    if (looking) {
      if (a > 400) looking = 0;
      else {
        size_t kn, tn;
        const char *kind = str_field(L, r, "kind", &kn);
        const char *tx = str_field(L, r, "timex", &tn);
        if (kind && kn == 4 && !memcmp(kind, "date", 4) && tx && tn == 10) {
          int ok = tx[4] == '-' && tx[7] == '-';
          for (int k = 0; ok && k < 10; k++)
            if (k != 4 && k != 7 && !(tx[k] >= '0' && tx[k] <= '9')) ok = 0;
          if (ok) {
            lua_pushvalue(L, -1);
            lua_replace(L, date);
            looking = 0;
          }
        }
        lua_pop(L, 2);
      }
    }
    lua_pop(L, 1);
  }
  jb_char(b, ']');
}

/* quotes: {"start","end","text","speaker","speaker_span","sentence"} */
static void quotes_json(lua_State *L, jbuf *b, int qt, const spans *o) {
  size_t n = td_rawlen(L, qt);
  jb_char(b, '[');
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, qt, (lua_Integer)i);
    int q = lua_gettop(L);
    if (i > 1) jb_char(b, ',');
    int64_t a = span_head(L, b, q);
    opt_str(L, b, q, "text", ",\"text\":");
    opt_str(L, b, q, "speaker", ",\"speaker\":");
    lua_getfield(L, q, "speaker_span");
    if (lua_istable(L, -1)) {
      int sp = lua_gettop(L);
      lua_getfield(L, sp, "start");
      if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_rawgeti(L, sp, 1); }
      lua_getfield(L, sp, "stop");
      if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_rawgeti(L, sp, 2); }
      if (lua_type(L, -2) == LUA_TNUMBER && lua_type(L, -1) == LUA_TNUMBER) {
        jb_lit(b, ",\"speaker_span\":[");
        jb_int(b, (int64_t)lua_tonumber(L, -2) - 1);
        jb_char(b, ',');
        jb_int(b, (int64_t)lua_tonumber(L, -1));
        jb_char(b, ']');
      }
      lua_pop(L, 2);
    }
    lua_pop(L, 1);
    put_sentence(b, o, a);
    jb_char(b, '}');
    lua_pop(L, 1);
  }
  jb_char(b, ']');
}

/* ---- the facts straight from their C results ------------------------------
 * When the Doc's entities, numbers and quotes methods are the library's own,
 * their results are written from the C arrays: the same bytes the row
 * writers above give for the rows those methods would build, without
 * building them (and without the collector's work on them afterwards). */

typedef struct facts {
  int native;                 /* 1: the C results below; 0: the rows */
  const td_entities *es;      /* entity set and its type names */
  const td_gazetteer *g;
  const td_quotes *qs;        /* quotes and their speaker candidates */
  const td_qent *qents;
  size_t nqents;
  const td_number *num;       /* numbers */
  size_t nnum;
  int ents, quotes, nums;     /* stack indices: rows, or what owns the C data */
} facts;

/* entities_json for es */
static void entities_json_c(jbuf *b, const td_doc *d, const facts *f, const spans *o) {
  const td_entities *es = f->es;
  jb_char(b, '[');
  for (size_t i = 0; i < es->n; i++) {
    const td_entity *e = &es->e[i];
    if (i) jb_char(b, ',');
    jb_lit(b, "{\"start\":");
    jb_uint(b, e->start);
    jb_lit(b, ",\"end\":");
    jb_uint(b, e->end);
    jb_lit(b, ",\"text\":");
    jb_str(b, d->text + e->start, e->end - e->start);
    const char *ty = td_gaz_type_name(f->g, e->type);
    if (ty) { jb_lit(b, ",\"type\":"); jb_str(b, ty, strlen(ty)); }
    jb_lit(b, ",\"canonical\":");
    if (e->canonlen) jb_str(b, es->str + e->canon, e->canonlen); else jb_lit(b, "\"\"");
    if (e->role_end > e->role_start) {
      jb_lit(b, ",\"role\":");
      jb_str(b, d->text + e->role_start, e->role_end - e->role_start);
    }
    put_sentence(b, o, e->start);
    jb_char(b, '}');
  }
  jb_char(b, ']');
}

/* jb_number for a number doc:numbers() hands over as a float */
static void jb_double(lua_State *L, jbuf *b, double x, int fmt) {
  if (x > -9007199254740992.0 && x < 9007199254740992.0 && x == (double)(int64_t)x) {
    jb_int(b, (int64_t)x);  /* -0.0 is 0 */
    return;
  }
  lua_pushnumber(L, (lua_Number)x);
  jb_number(L, b, lua_gettop(L), fmt);
  lua_pop(L, 1);
}

static void opt_double(lua_State *L, jbuf *b, const char *key, double x, int fmt) {
  if (x == x && x != HUGE_VAL && x != -HUGE_VAL) {
    jb_add(b, key, strlen(key));
    jb_double(L, b, x, fmt);
  }
}

/* a canonical name (static string), written when it is not empty */
static void opt_cstr(jbuf *b, const char *key, const char *v) {
  if (v && v[0]) {
    jb_add(b, key, strlen(key));
    jb_str(b, v, strlen(v));
  }
}

static void span_str(jbuf *b, const char *key, const td_doc *d, uint32_t a, uint32_t e) {
  jb_add(b, key, strlen(key));
  jb_str(b, d->text + a, e - a);
}

/* numbers_json for the C results; the date as a string at stack index date */
static void numbers_json_c(lua_State *L, jbuf *b, const td_doc *d, const facts *f,
                           const spans *o, int fmt, int date) {
  int looking = 1;
  jb_char(b, '[');
  for (size_t i = 0; i < f->nnum; i++) {
    const td_number *r = &f->num[i];
    if (i) jb_char(b, ',');
    jb_lit(b, "{\"start\":");
    jb_uint(b, r->start);
    jb_lit(b, ",\"end\":");
    jb_uint(b, r->end);
    span_str(b, ",\"text\":", d, r->start, r->end);
    const char *kind = r->kind < TD_N_NKINDS ? td_numkind_names[r->kind] : NULL;
    if (kind) { jb_lit(b, ",\"kind\":"); jb_str(b, kind, strlen(kind)); }
    if (r->flags & TD_NF_VALUE) opt_double(L, b, ",\"value\":", r->value, fmt);
    if (r->flags & TD_NF_UNIT_SPAN) span_str(b, ",\"unit\":", d, r->unit_start, r->unit_end);
    else opt_cstr(b, ",\"unit\":", r->unit);
    if (r->flags & TD_NF_PROD_SPAN) span_str(b, ",\"product\":", d, r->prod_start, r->prod_end);
    if (r->flags & TD_NF_PER_SPAN) span_str(b, ",\"per\":", d, r->per_start, r->per_end);
    else opt_cstr(b, ",\"per\":", r->per);
    if (r->bound != TD_B_NONE && r->bound < TD_B_N) {
      jb_lit(b, ",\"bound\":");
      jb_str(b, td_bound_names[r->bound], strlen(td_bound_names[r->bound]));
    }
    if (r->flags & TD_NF_LOW) opt_double(L, b, ",\"low\":", r->low, fmt);
    if (r->flags & TD_NF_HIGH) opt_double(L, b, ",\"high\":", r->high, fmt);
    opt_cstr(b, ",\"timex\":", r->timex);
    put_sentence(b, o, r->start);
    jb_char(b, '}');
    /* report.lua: the first number past byte 400 ends the search */
    if (looking) {
      if (r->start > 400) looking = 0;
      else if (kind && !strcmp(kind, "date") && strlen(r->timex) == 10) {
        const char *tx = r->timex;
        int ok = tx[4] == '-' && tx[7] == '-';
        for (int k = 0; ok && k < 10; k++)
          if (k != 4 && k != 7 && !(tx[k] >= '0' && tx[k] <= '9')) ok = 0;
        if (ok) {
          lua_pushlstring(L, tx, 10);
          lua_replace(L, date);
          looking = 0;
        }
      }
    }
  }
  jb_char(b, ']');
}

/* quotes_json for the C results */
static void quotes_json_c(lua_State *L, jbuf *b, const td_doc *d, const facts *f, const spans *o) {
  const td_quotes *qs = f->qs;
  jb_char(b, '[');
  for (size_t i = 0; i < qs->n; i++) {
    const td_quote *q = &qs->q[i];
    if (i) jb_char(b, ',');
    jb_lit(b, "{\"start\":");
    jb_uint(b, q->start);
    jb_lit(b, ",\"end\":");
    jb_uint(b, q->end);
    span_str(b, ",\"text\":", d, q->start, q->end);
    if (q->spk_end > q->spk_start) {
      /* the speaker: its entity's canonical name, else the name as written */
      int32_t c = q->ent >= 0 && (size_t)q->ent < f->nqents ? f->qents[q->ent].canon : -1;
      jb_lit(b, ",\"speaker\":");
      if (c >= 0 && (size_t)c < f->es->n) {
        const td_entity *e = &f->es->e[c];
        if (e->canonlen) jb_str(b, f->es->str + e->canon, e->canonlen); else jb_lit(b, "\"\"");
      } else {
        char small[256];
        uint32_t a = q->name_start, z = q->name_end > q->name_start ? q->name_end : q->name_start;
        char *out = z - a <= sizeof small ? small : (char *)lua_newuserdata(L, z - a);
        jb_str(b, out, td_l_quote_name(d->text, a, z, out));
        if (out != small) lua_pop(L, 1);
      }
      jb_lit(b, ",\"speaker_span\":[");
      jb_uint(b, q->spk_start);
      jb_char(b, ',');
      jb_uint(b, q->spk_end);
      jb_char(b, ']');
    }
    put_sentence(b, o, q->start);
    jb_char(b, '}');
  }
  jb_char(b, ']');
}

/* Whether doc.<name> (the Doc at index 1) is the C function fn. */
static int is_method(lua_State *L, const char *name, lua_CFunction fn) {
  lua_getfield(L, 1, name);
  int same = lua_tocfunction(L, -1) == fn;
  lua_pop(L, 1);
  return same;
}

/* Call doc:<name>(arg) (arg at stack index argi, or none when 0). */
static void call_method(lua_State *L, const char *name, int argi) {
  lua_getfield(L, 1, name);
  lua_pushvalue(L, 1);
  if (argi) lua_pushvalue(L, argi);
  lua_call(L, argi ? 2 : 1, 1);
  if (!lua_istable(L, -1)) luaL_error(L, "doc:%s() did not return a table", name);
}

static void write_entities(lua_State *L, jbuf *b, const td_doc *d, const facts *f, const spans *o) {
  if (f->native) entities_json_c(b, d, f, o); else entities_json(L, b, f->ents, o);
}

static void write_numbers(lua_State *L, jbuf *b, const td_doc *d, const facts *f, const spans *o,
                          int fmt, int date) {
  if (f->native) numbers_json_c(L, b, d, f, o, fmt, date); else numbers_json(L, b, f->nums, o, fmt, date);
}

static void write_quotes(lua_State *L, jbuf *b, const td_doc *d, const facts *f, const spans *o) {
  if (f->native) quotes_json_c(L, b, d, f, o); else quotes_json(L, b, f->quotes, o);
}

/* The Doc's entities, quotes and numbers, in that order (doc:quotes() takes
 * the entities found first): their C results when the three methods are the
 * library's, else the rows the methods return.  Pushes 3 or 4 values. */
static void get_facts(lua_State *L, const td_doc *d, facts *f) {
  memset(f, 0, sizeof *f);
  f->native = is_method(L, "entities", td_l_doc_entities) && is_method(L, "quotes", td_l_doc_quotes) &&
              is_method(L, "numbers", td_l_doc_numbers);
  if (!f->native) {
    call_method(L, "entities", 0);
    f->ents = lua_gettop(L);
    call_method(L, "quotes", 0);
    f->quotes = lua_gettop(L);
    call_method(L, "numbers", 0);
    f->nums = lua_gettop(L);
    return;
  }
  /* as doc:entities() does, unprotected: its errors are this call's */
  lua_pushcfunction(L, td_l_doc_entity_set);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 2);
  f->es = td_l_entity_set(L, lua_gettop(L) - 1, lua_gettop(L), &f->g);
  if (!f->es) luaL_error(L, "doc:entities(): no entity set");
  f->ents = lua_gettop(L);  /* the set; the tagger (its type names) below it */
  f->qs = td_l_doc_quote_list(L, 1, f->es, f->g, &f->qents, &f->nqents);
  f->quotes = lua_gettop(L);
  f->num = td_l_doc_number_list(L, 1, &f->nnum);
  f->nums = lua_gettop(L);
  (void)d;
}

/* Hand the C results' scratch back (quotes) or free it now (numbers). */
static void done_facts(lua_State *L, const td_doc *d, const facts *f) {
  if (!f->native) return;
  td_l_number_list_done(L, f->nums);
  td_l_quote_list_done(L, f->quotes, d);
}

/* ,"key":value for the value at stack index idx: strings, numbers and
 * booleans as tidings.json writes them, nothing for nil.  0 for any other
 * type: the caller then leaves the record to the Lua encoder. */
static int value_field(lua_State *L, jbuf *b, int idx, const char *key, int fmt) {
  switch (lua_type(L, idx)) {
  case LUA_TNIL: return 1;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    jb_add(b, key, strlen(key));
    jb_str(b, s, n);
    return 1;
  }
  case LUA_TNUMBER:
    jb_add(b, key, strlen(key));
    jb_number(L, b, idx, fmt);
    return 1;
  case LUA_TBOOLEAN:
    jb_add(b, key, strlen(key));
    if (lua_toboolean(L, idx)) jb_lit(b, "true"); else jb_lit(b, "false");
    return 1;
  default: return 0;
  }
}

/* The same for the field f of the head table. */
static int head_field(lua_State *L, jbuf *b, int head, const char *f, const char *key, int fmt) {
  lua_getfield(L, head, f);
  int ok = value_field(L, b, lua_gettop(L), key, fmt);
  lua_pop(L, 1);
  return ok;
}

/* The integral number at stack index idx into *v; 0 when it is not one. */
static int exact_int(lua_State *L, int idx, int64_t *v) {
  if (lua_type(L, idx) != LUA_TNUMBER) return 0;
#if LUA_VERSION_NUM >= 503
  if (lua_isinteger(L, idx)) { *v = (int64_t)lua_tointeger(L, idx); return 1; }
#endif
  lua_Number x = lua_tonumber(L, idx);
  if (!(x > -9007199254740992.0 && x < 9007199254740992.0) || x != (lua_Number)(int64_t)x) return 0;
  *v = (int64_t)x;
  return 1;
}

/* Boilerplate span i of the list at stack index bl, { start, end [, kind] }
 * (JSON offsets into the text of length tlen): *a, *e, and the kind pushed
 * (nil or a string).  0, nothing pushed, for anything else. */
static int removed_span(lua_State *L, int bl, size_t i, size_t tlen, int64_t *a, int64_t *e) {
  lua_rawgeti(L, bl, (lua_Integer)i);
  if (!lua_istable(L, -1)) { lua_pop(L, 1); return 0; }
  int s = lua_gettop(L);
  lua_rawgeti(L, s, 1);
  lua_rawgeti(L, s, 2);
  lua_rawgeti(L, s, 3);
  int ok = exact_int(L, s + 1, a) && exact_int(L, s + 2, e) && *a >= 0 && *a <= *e &&
           *e <= (int64_t)tlen && (lua_isnil(L, s + 3) || lua_type(L, s + 3) == LUA_TSTRING);
  lua_replace(L, s); /* the kind where the span was */
  lua_pop(L, 2);
  if (!ok) lua_pop(L, 1);
  return ok;
}

/* ---- metadata: tidings.json's encoding of plain Lua values --------------
 * Enough of json.encode for what json.decode makes of a JSONL line's other
 * fields: strings, finite numbers, booleans, json.null, arrays marked as
 * such, plain tables (sequences or string keys, written sorted).  Anything
 * else (another metatable, mixed keys, nan, very deep nesting) returns 0 and
 * the record is left to the Lua encoder, which also raises its errors. */

#define META_DEPTH 64
#define META_KEYS 64

static int meta_value(lua_State *L, jbuf *b, int idx, int fmt, int null, int depth);

/* The byte order of Lua's string comparison (strcoll in the C locale). */
static int key_less(const char *a, size_t an, const char *b, size_t bn) {
  int c = memcmp(a, b, an < bn ? an : bn);
  return c < 0 || (c == 0 && an < bn);
}

static int meta_table(lua_State *L, jbuf *b, int t, int fmt, int null, int depth) {
  if (lua_rawequal(L, t, null)) { jb_lit(b, "null"); return 1; }
  if (depth >= META_DEPTH || !lua_checkstack(L, 8)) return 0;
  int marked = 0;
  if (lua_getmetatable(L, t)) {
    lua_getfield(L, -1, "__jsontype");
    lua_getfield(L, -2, "__name");
    lua_getfield(L, -3, "__jsonorder");
    const char *jt = lua_type(L, -3) == LUA_TSTRING ? lua_tostring(L, -3) : NULL;
    const char *nm = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    marked = lua_isnil(L, -1) && ((jt && strcmp(jt, "array") == 0) ||
                                  (!jt && nm && strcmp(nm, "tidings.array") == 0));
    lua_pop(L, 4);
    if (!marked) return 0;
  }
  size_t len = td_rawlen(L, t);
  lua_rawgeti(L, t, 1);
  int is_array = marked || !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (is_array) {
    if (!marked) { /* an unmarked sequence: keys 1..len only */
      lua_pushnil(L);
      while (lua_next(L, t)) {
        int64_t k;
        lua_pop(L, 1);
        if (!exact_int(L, -1, &k) || k < 1 || (uint64_t)k > len) { lua_pop(L, 1); return 0; }
      }
    }
    jb_char(b, '[');
    for (size_t i = 1; i <= len; i++) {
      if (i > 1) jb_char(b, ',');
      lua_rawgeti(L, t, (lua_Integer)i);
      int ok = lua_isnil(L, -1) ? (jb_lit(b, "null"), 1) : meta_value(L, b, lua_gettop(L), fmt, null, depth + 1);
      lua_pop(L, 1);
      if (!ok) return 0;
    }
    jb_char(b, ']');
    return 1;
  }
  /* an object: string keys, sorted (insertion: metadata has a few) */
  const char *ks[META_KEYS];
  size_t kn[META_KEYS], n = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING || n == META_KEYS) { lua_pop(L, 1); return 0; }
    size_t l;
    const char *k = lua_tolstring(L, -1, &l); /* the table keeps the key alive */
    size_t j = n++;
    while (j > 0 && key_less(k, l, ks[j - 1], kn[j - 1])) { ks[j] = ks[j - 1]; kn[j] = kn[j - 1]; j--; }
    ks[j] = k;
    kn[j] = l;
  }
  jb_char(b, '{');
  for (size_t i = 0; i < n; i++) {
    if (i) jb_char(b, ',');
    jb_str(b, ks[i], kn[i]);
    jb_char(b, ':');
    lua_pushlstring(L, ks[i], kn[i]);
    lua_rawget(L, t);
    int ok = meta_value(L, b, lua_gettop(L), fmt, null, depth + 1);
    lua_pop(L, 1);
    if (!ok) return 0;
  }
  jb_char(b, '}');
  return 1;
}

static int meta_value(lua_State *L, jbuf *b, int idx, int fmt, int null, int depth) {
  switch (lua_type(L, idx)) {
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    jb_str(b, s, n);
    return 1;
  }
  case LUA_TNUMBER:
    if (!is_finite_number(L, idx)) return 0;
    jb_number(L, b, idx, fmt);
    return 1;
  case LUA_TBOOLEAN:
    if (lua_toboolean(L, idx)) jb_lit(b, "true"); else jb_lit(b, "false");
    return 1;
  case LUA_TTABLE: return meta_table(L, b, idx, fmt, null, depth);
  default: return 0;
  }
}

/* The record's "signature" object. */
static void signature_json(jbuf *b, const spans *o) {
  jb_lit(b, "{\"shingles\":[");
  for (int k = 0; o->have_sh && k < SIG_K; k++) { if (k) jb_char(b, ','); jb_uint(b, o->sig[k]); }
  jb_lit(b, "],\"words\":[");
  for (int k = 0; o->have_sh && o->have_w && k < SIG_K; k++) { if (k) jb_char(b, ','); jb_uint(b, o->wsig[k]); }
  jb_lit(b, "]}");
}

/* The whole record line of report.extract_json (the bytes json.encode
 * writes for report.lua's assemble(), keys in RECORD_ORDER), from the head
 * table's fields and the parts built above.  Pushes the line, or nil when a
 * head field is of a type this does not write. */
static int record_line(lua_State *L, const td_doc *d, const spans *o, jbuf *tb, jbuf *sb, jbuf *nb,
                       int fmt, int head, int textarg, int date, const facts *f) {
  lua_getfield(L, head, "text");
  lua_getfield(L, head, "boilerplate");
  int bl = lua_gettop(L);
  if (lua_type(L, bl - 1) != LUA_TSTRING || !lua_istable(L, bl)) { lua_pushnil(L); return 1; }
  size_t tlen;
  const char *text = lua_tolstring(L, bl - 1, &tlen);
  size_t nbl = td_rawlen(L, bl);
  int64_t bp = 0, a, e;
  for (size_t i = 1; i <= nbl; i++) {
    if (!removed_span(L, bl, i, tlen, &a, &e)) { lua_pushnil(L); return 1; }
    lua_pop(L, 1);
    bp += e - a;
  }
  size_t tjson = lua_type(L, textarg) == LUA_TSTRING ? td_rawlen(L, textarg) : 0;
  jbuf *ob = jbuf_new(L, tb->n + sb->n + nb->n + tjson + tjson / 8 + 1024);
  jb_char(ob, '{');
  /* id comes first when present; every later key has its comma */
  size_t open = ob->n;
  if (!head_field(L, ob, head, "id", "\"id\":", fmt)) { lua_pushnil(L); return 1; }
#define HEAD(f) (ob->n > open ? head_field(L, ob, head, f, ",\"" f "\":", fmt) \
                              : head_field(L, ob, head, f, "\"" f "\":", fmt))
  if (!HEAD("path") || !HEAD("line") || !HEAD("title")) { lua_pushnil(L); return 1; }
  lua_getfield(L, head, "date");
  if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_pushvalue(L, date); }
  int ok = value_field(L, ob, lua_gettop(L), ob->n > open ? ",\"date\":" : "\"date\":", fmt);
  lua_pop(L, 1);
  if (!ok || !HEAD("source")) { lua_pushnil(L); return 1; }
#undef HEAD
  lua_getfield(L, head, "meta");
  lua_getfield(L, head, "null");  /* json.null */
  if (lua_istable(L, -2)) {
    if (ob->n > open) jb_char(ob, ',');
    jb_lit(ob, "\"meta\":");
    if (!meta_table(L, ob, lua_gettop(L) - 1, fmt, lua_gettop(L), 1)) {
      lua_pushnil(L);
      return 1;
    }
  } else if (!lua_isnil(L, -2)) {
    lua_pushnil(L);
    return 1;
  }
  lua_pop(L, 2);
  if (ob->n > open) jb_char(ob, ',');
  jb_lit(ob, "\"stats\":{\"bytes\":");
  jb_uint(ob, tlen);
  jb_lit(ob, ",\"tokens\":");
  jb_uint(ob, d->ntok);
  jb_lit(ob, ",\"words\":");
  jb_uint(ob, o->nw);
  jb_lit(ob, ",\"sentences\":");
  jb_uint(ob, o->ns);
  jb_lit(ob, ",\"boilerplate_bytes\":");
  jb_int(ob, bp);
  jb_char(ob, '}');
  if (lua_type(L, textarg) == LUA_TSTRING) {
    size_t n;
    const char *t = lua_tolstring(L, textarg, &n);
    jb_lit(ob, ",\"text\":");
    jb_str(ob, t, n);
  }
  jb_lit(ob, ",\"boilerplate\":[");
  for (size_t i = 1; i <= nbl; i++) {
    removed_span(L, bl, i, tlen, &a, &e);
    if (i > 1) jb_char(ob, ',');
    jb_lit(ob, "{\"start\":");
    jb_int(ob, a);
    jb_lit(ob, ",\"end\":");
    jb_int(ob, e);
    value_field(L, ob, lua_gettop(L), ",\"kind\":", fmt);
    lua_pop(L, 1);
    jb_lit(ob, ",\"text\":");
    jb_str(ob, text + a, (size_t)(e - a));
    jb_char(ob, '}');
  }
  jb_lit(ob, "],\"sentences\":");
  jb_add(ob, sb->p, sb->n);
  jb_lit(ob, ",\"tokens\":");
  jb_add(ob, tb->p, tb->n);
  jb_lit(ob, ",\"entities\":");
  write_entities(L, ob, d, f, o);
  jb_lit(ob, ",\"numbers\":");
  jb_add(ob, nb->p, nb->n);
  jb_lit(ob, ",\"quotes\":");
  write_quotes(L, ob, d, f, o);
  jb_lit(ob, ",\"signature\":");
  signature_json(ob, o);
  jb_char(ob, '}');
  lua_getfield(L, head, "newline");
  if (lua_toboolean(L, -1)) jb_char(ob, '\n');
  lua_pop(L, 1);
  jb_push(L, ob);
  jbuf_free(ob);
  return 1;
}

int td_l_doc_extract_json(lua_State *L) {
  td_doc *d = td_l_checkdoc(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  if (!lua_isnoneornil(L, 3)) luaL_checktype(L, 3, LUA_TSTRING);
  if (!lua_isnoneornil(L, 4)) luaL_checktype(L, 4, LUA_TTABLE);
  int with_text = lua_type(L, 3) == LUA_TSTRING;
  int whole = lua_istable(L, 4);
  lua_settop(L, 4);
  const int fmt = 2, head = 4;
  jbuf *tb = jbuf_new(L, (size_t)d->ntok * 16 + 2);   /* 5 */
  jbuf *sb = jbuf_new(L, (size_t)d->nsent * 12 + 2);  /* 6 */
  jbuf *fb = jbuf_new(L, 256);                        /* 7: signature, then each fact */
  spans o;
  build_spans(L, d, tb, sb, &o);                      /* 8, 9, 10 */
  lua_pushnil(L);                                     /* 11: date */
  const int date = 11;
  facts f;
  get_facts(L, d, &f);                                /* 12 .. 14 or 15 */

  if (whole) {
    fb->n = 0;
    write_numbers(L, fb, d, &f, &o, fmt, date);
    record_line(L, d, &o, tb, sb, fb, fmt, head, 3, date, &f);
    done_facts(L, d, &f);
    jbuf_free(tb);
    jbuf_free(sb);
    jbuf_free(fb);
    return 1;
  }
  jb_push(L, tb);
  jb_push(L, sb);
  lua_pushinteger(L, (lua_Integer)o.ns);
  lua_pushinteger(L, (lua_Integer)o.nw);
  fb->n = 0;
  signature_json(fb, &o);
  jb_push(L, fb);
  fb->n = 0;
  write_entities(L, fb, d, &f, &o);
  jb_push(L, fb);
  fb->n = 0;
  write_numbers(L, fb, d, &f, &o, fmt, date);
  jb_push(L, fb);
  fb->n = 0;
  write_quotes(L, fb, d, &f, &o);
  jb_push(L, fb);
  lua_pushvalue(L, date);
  if (with_text) {
    size_t n;
    const char *t = lua_tolstring(L, 3, &n);
    fb->n = 0;
    jb_str(fb, t, n);
    jb_push(L, fb);
  }
  done_facts(L, d, &f);
  /* the buffers are not seen by the collector: free them now */
  jbuf_free(tb);
  jbuf_free(sb);
  jbuf_free(fb);
  return with_text ? 10 : 9;
}
