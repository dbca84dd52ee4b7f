/*
 * model.c - the statistical NER tagger: features, weights, decoding, training.
 *
 * An averaged perceptron over BILOU labels with first-order Viterbi decoding
 * (Collins 2002; Ratinov & Roth 2009 for BILOU).  Features are computed from
 * the token bytes (lower case, shape, affixes, neighbours, word clusters,
 * gazetteer bits) and hashed into 2^bits buckets; each bucket holds one
 * weight per label.  The model file stores only the buckets with a non-zero
 * weight (a bitmap plus packed int16 rows), so it stays small and loads with
 * one pass over the bytes.
 *
 * Model file (all integers little-endian):
 *   "TDNERMDL"                     magic, 8 bytes
 *   u32 version (1)  u32 feature set (TD_FEATSET)  u32 bits  u32 ntypes
 *   u32 nclsets  u32 nclusters  u32 nrows  u32 scale (IEEE float bits)
 *   u8 len + name;  ntypes x (u8 len + type name)
 *   (L+1)^2 x i32  transitions (index L = sentence boundary), in scale units
 *   2^bits/64 x u64  bitmap of stored buckets
 *   nrows x L x i16  weights, in scale units
 *   nclusters x (u64 key + nclsets x u32 id)
 *   u32 CRC-32 of everything before it
 */
#include "tidings.h"

#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
/* x86 with GCC or clang: AVX2 and popcnt versions of the hot loops, taken
 * when the CPU has them (the same integer sums: the same output) */
#if defined(__SSE2__) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define FAST_X86 1
#include <immintrin.h>
#else
#define FAST_X86 0
#endif

#define MAGIC "TDNERMDL"
#define FILE_VERSION 1u
#define TD_FEATSET 3u      /* bump when the feature templates change */
#define TD_FEATSET_HIST 4u /* the same templates plus the prediction history */
#define MAX_TYPES 15
#define MAX_LABELS (1 + 4 * MAX_TYPES)
#define MAX_CLSETS 4
#define MAX_FEATS 128      /* features per token, upper bound */

/* ---- hashing ---------------------------------------------------------- */

static inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

#define FNV_BASIS 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
static inline uint64_t fnv_step(uint64_t h, uint32_t v) {
  return (h ^ v) * FNV_PRIME;
}
static uint64_t hash_bytes(const uint8_t *s, size_t n) {
  uint64_t h = FNV_BASIS;
  for (size_t i = 0; i < n; i++) h = fnv_step(h, s[i]);
  return h;
}

/* Cluster-table keys: the exact form, or (a separate key space) the lower
 * case form; 0 marks an empty slot. */
static inline uint64_t key_exact(uint64_t h) { uint64_t k = mix64(h ^ 0x5851f42d4c957f2dULL); return k ? k : 1; }
static inline uint64_t key_lower(uint64_t h) { uint64_t k = mix64(h ^ 0x14057b7ef767814fULL); return k ? k : 1; }

static inline unsigned popcount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

/* CRC-32 (the zlib one), eight bytes a step ("slicing by 8": tab[k] is
 * the CRC of a byte followed by k zero bytes), so that checking a model of
 * a few MB costs little next to reading it. */
static uint32_t crc32(const uint8_t *p, size_t n) {
  uint32_t tab[8][256];
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    tab[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++)
    for (int k = 1; k < 8; k++) tab[k][i] = (tab[k - 1][i] >> 8) ^ tab[0][tab[k - 1][i] & 0xFF];
  uint32_t c = 0xFFFFFFFFu;
  for (; n >= 8; p += 8, n -= 8) {
    uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
    uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
    c = tab[7][lo & 0xFF] ^ tab[6][(lo >> 8) & 0xFF] ^ tab[5][(lo >> 16) & 0xFF] ^ tab[4][lo >> 24] ^
        tab[3][hi & 0xFF] ^ tab[2][(hi >> 8) & 0xFF] ^ tab[1][(hi >> 16) & 0xFF] ^ tab[0][hi >> 24];
  }
  for (; n; p++, n--) c = tab[0][(c ^ *p) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

/* ---- memory ----------------------------------------------------------- */

static void *xalloc(const td_alloc *A, size_t n) {
  return n ? A->f(A->ud, NULL, 0, n) : NULL;
}
static void xfree(const td_alloc *A, void *p, size_t n) {
  if (p) A->f(A->ud, p, n, 0);
}
/* n * m with an overflow check (SIZE_MAX on overflow, which no allocator
 * grants). */
static size_t mulsz(size_t n, size_t m) {
  return (m && n > SIZE_MAX / m) ? SIZE_MAX : n * m;
}

/* ---- word clusters ---------------------------------------------------- */

typedef struct cltab {
  uint64_t *keys;
  uint32_t *ids;      /* nsets per slot */
  size_t mask, count; /* capacity is mask + 1 (a power of two) or 0 */
  int nsets;
} cltab;

static const uint32_t *cl_find(const cltab *t, uint64_t key) {
  if (!t->count) return NULL;
  size_t i = (size_t)key & t->mask;
  for (;;) {
    uint64_t k = t->keys[i];
    if (k == key) return t->ids + i * (size_t)t->nsets;
    if (!k) return NULL;
    i = (i + 1) & t->mask;
  }
}

static void cl_free(const td_alloc *A, cltab *t) {
  if (t->keys) {
    xfree(A, t->keys, (t->mask + 1) * sizeof *t->keys);
    xfree(A, t->ids, (t->mask + 1) * (size_t)t->nsets * sizeof *t->ids);
  }
  t->keys = NULL;
  t->ids = NULL;
  t->mask = t->count = 0;
}

static void cl_put_raw(cltab *t, uint64_t key, const uint32_t *ids) {
  size_t i = (size_t)key & t->mask;
  while (t->keys[i] && t->keys[i] != key) i = (i + 1) & t->mask;
  if (!t->keys[i]) t->count++;
  t->keys[i] = key;
  memcpy(t->ids + i * (size_t)t->nsets, ids, (size_t)t->nsets * sizeof *ids);
}

/* Make room for `need` entries at a load factor <= 1/2. */
static int cl_reserve(const td_alloc *A, cltab *t, size_t need) {
  size_t cap = t->keys ? t->mask + 1 : 0;
  if (need <= cap / 2) return TD_OK;
  size_t ncap = cap ? cap : 1024;
  while (ncap / 2 < need) {
    if (ncap > SIZE_MAX / 4 / sizeof(uint64_t)) return TD_ENOMEM;
    ncap *= 2;
  }
  cltab n = {0};
  n.nsets = t->nsets;
  n.mask = ncap - 1;
  n.keys = xalloc(A, ncap * sizeof *n.keys);
  n.ids = xalloc(A, mulsz(ncap, (size_t)(t->nsets ? t->nsets : 1) * sizeof *n.ids));
  if (!n.keys || (t->nsets && !n.ids)) {
    xfree(A, n.keys, ncap * sizeof *n.keys);
    if (t->nsets) xfree(A, n.ids, ncap * (size_t)t->nsets * sizeof *n.ids);
    return TD_ENOMEM;
  }
  memset(n.keys, 0, ncap * sizeof *n.keys);
  for (size_t i = 0; i < cap; i++)
    if (t->keys[i]) cl_put_raw(&n, t->keys[i], t->ids + i * (size_t)t->nsets);
  cl_free(A, t);
  *t = n;
  return TD_OK;
}

/* ---- per-token attributes ---------------------------------------------- */

typedef struct tokinfo {
  uint64_t lower, exact, lshape, sshape;
  uint64_t pre[4], suf[4];
  uint32_t cl[MAX_CLSETS];
  uint32_t gaz;
  uint32_t kflags;     /* kind and casing summary */
  uint16_t hist;       /* prediction history (HIST_*), 0 in the first pass */
  uint8_t ncp;         /* code points, capped at 255 */
  uint8_t docf;        /* document-level flags (DF_*) */
  uint8_t tflags;      /* the token's casing/position flags (TF_*) */
} tokinfo;

enum {
  K_UPPER = 1, K_LOWER = 2, K_DIGIT = 4, K_HYPHEN = 8, K_PERIOD = 16,
  K_INITUP = 32, K_OTHERL = 64, K_APOS = 128
};

/* Shape class of a code point: X upper, x lower, a other letter, d digit,
 * ASCII punctuation as itself, anything else '~'. */
static uint32_t shape_class(int32_t cp, uint32_t *kf) {
  if (cp < 128) {
    if (cp >= 'A' && cp <= 'Z') { *kf |= K_UPPER; return 'X'; }
    if (cp >= 'a' && cp <= 'z') { *kf |= K_LOWER; return 'x'; }
    if (cp >= '0' && cp <= '9') { *kf |= K_DIGIT; return 'd'; }
    if (cp == '-') *kf |= K_HYPHEN;
    else if (cp == '.') *kf |= K_PERIOD;
    else if (cp == '\'') *kf |= K_APOS;
    return (uint32_t)cp;
  }
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LT: *kf |= K_UPPER; return 'X';
  case UTF8PROC_CATEGORY_LL: *kf |= K_LOWER; return 'x';
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO: *kf |= K_OTHERL; return 'a';
  case UTF8PROC_CATEGORY_ND: *kf |= K_DIGIT; return 'd';
  case UTF8PROC_CATEGORY_PD: *kf |= K_HYPHEN; return '-';
  default: return '~';
  }
}

static void token_info(const uint8_t *s, size_t n, int kind, const cltab *cl,
                       tokinfo *ti) {
  uint64_t hl = FNV_BASIS, hs = FNV_BASIS, hss = FNV_BASIS;
  uint32_t kf = 0, last_cls = 0, run = 0;
  uint32_t ring[4] = {0, 0, 0, 0};
  size_t ncp = 0;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    int k = td_utf8_decode(s + i, n - i, &cp);
    if (k == 0) { cp = 0xFFFD; k = 1; }
    i += (size_t)k;
    uint32_t c = shape_class(cp, &kf);
    if (ncp == 0 && c == 'X') kf |= K_INITUP;
    int32_t lc = cp;
    if (cp < 128) { if (cp >= 'A' && cp <= 'Z') lc = cp + 32; }
    else lc = utf8proc_tolower(cp);
    hl = fnv_step(hl, (uint32_t)lc);
    if (c == last_cls) run++;
    else { run = 1; hss = fnv_step(hss, c); }
    if (run <= 4) hs = fnv_step(hs, c);
    last_cls = c;
    ring[ncp & 3] = (uint32_t)lc;
    ncp++;
    if (ncp <= 4) ti->pre[ncp - 1] = hl;
  }
  for (size_t k = ncp; k < 4; k++) ti->pre[k] = 0;
  for (size_t k = 1; k <= 4; k++) {
    if (k > ncp) { ti->suf[k - 1] = 0; continue; }
    uint64_t h = FNV_BASIS;
    for (size_t j = ncp - k; j < ncp; j++) h = fnv_step(h, ring[j & 3]);
    ti->suf[k - 1] = h;
  }
  ti->lower = hl;
  ti->exact = hash_bytes(s, n);
  ti->lshape = hs;
  ti->sshape = hss;
  ti->ncp = (uint8_t)(ncp > 255 ? 255 : ncp);
  if ((kf & K_UPPER) && !(kf & K_LOWER)) kf |= 256;  /* all upper */
  ti->kflags = kf | ((uint32_t)kind << 12);
  memset(ti->cl, 0, sizeof ti->cl);
  const uint32_t *ids = cl_find(cl, key_exact(ti->exact));
  if (!ids) ids = cl_find(cl, key_lower(ti->lower));
  if (ids) memcpy(ti->cl, ids, (size_t)cl->nsets * sizeof *ids);
}

/* document-level flags of a word (compute_docf) and a token's own flags */
enum { DF_LOWER = 1, DF_CAPMID = 2, DF_REPEAT = 4, DF_HEADLINE = 8 };
enum { TF_UPINIT = 1, TF_ALLUP = 2, TF_START = 4 };

/* ---- feature templates -------------------------------------------------- */

enum {
  T_BIAS = 1, T_LOWER, T_EXACT, T_LSHAPE, T_SSHAPE, T_PRE, T_SUF = T_PRE + 4,
  T_LOWM1 = T_SUF + 4, T_LOWP1, T_LOWM2, T_LOWP2, T_SSHM1, T_SSHP1,
  T_BIM, T_BIP, T_SHAPE3, T_FIRST, T_KIND, T_CL0, T_CLM1 = T_CL0 + MAX_CLSETS,
  T_CLP1 = T_CLM1 + MAX_CLSETS, T_CLM2 = T_CLP1 + MAX_CLSETS,
  T_CLP2 = T_CLM2 + MAX_CLSETS, T_GAZ = T_CLP2 + MAX_CLSETS, T_GAZM1,
  T_GAZP1, T_EXM1, T_EXP1, T_LOWSH, T_DOC, T_DOCSH, T_DOCLOW,
  T_SUFM1, T_SUFP1, T_LSHM1, T_LSHP1, T_KINDM1, T_KINDP1, T_SSHM2, T_SSHP2, T_CL1M2, T_CL1P2,
  T_HIST, T_HISTSH, T_LAST
};

static inline uint64_t feat(unsigned t, uint64_t v) {
  return mix64(v + (uint64_t)t * 0x9E3779B97F4A7C15ULL);
}

/* Sentence-boundary neighbours. */
static const tokinfo *boundary_info(int right) {
  static const tokinfo bos = {.lower = 0x1111, .exact = 0x1111, .lshape = 0x1111, .sshape = 0x1111,
                              .kflags = 0xF0000};
  static const tokinfo eos = {.lower = 0x2222, .exact = 0x2222, .lshape = 0x2222, .sshape = 0x2222,
                              .kflags = 0xF1000};
  return right ? &eos : &bos;
}

/* The features split in two kinds.  Word features depend on one token and
 * the role it plays for the token being tagged: itself (ROLE_0), the
 * previous or next token (ROLE_M1, ROLE_P1) or the one before/after those
 * (ROLE_M2, ROLE_P2); their weights can be summed once per word type and
 * cached (see td_model_tag).  Pair features join two tokens, the position in
 * the sentence or the gazetteer bits, and are computed per token. */
enum { ROLE_0, ROLE_M1, ROLE_P1, ROLE_M2, ROLE_P2, NROLES };

static size_t word_feats(const tokinfo *w, int role, int nsets, uint64_t *f) {
  size_t k = 0;
  switch (role) {
  case ROLE_0:
    f[k++] = feat(T_BIAS, 0);
    f[k++] = feat(T_LOWER, w->lower);
    f[k++] = feat(T_EXACT, w->exact);
    f[k++] = feat(T_LSHAPE, w->lshape);
    f[k++] = feat(T_SSHAPE, w->sshape);
    for (unsigned j = 0; j < 4; j++) {
      if (w->pre[j] && j + 1 < w->ncp) f[k++] = feat(T_PRE + j, w->pre[j]);
      if (w->suf[j] && j + 1 < w->ncp) f[k++] = feat(T_SUF + j, w->suf[j]);
    }
    f[k++] = feat(T_KIND, w->kflags);
    for (int j = 0; j < nsets; j++)
      if (w->cl[j]) f[k++] = feat(T_CL0 + (unsigned)j, w->cl[j]);
    break;
  case ROLE_M1:
    f[k++] = feat(T_LOWM1, w->lower);
    f[k++] = feat(T_EXM1, w->exact);
    f[k++] = feat(T_SSHM1, w->sshape);
    f[k++] = feat(T_LSHM1, w->lshape);
    f[k++] = feat(T_KINDM1, w->kflags);
    if (w->suf[2] && w->ncp > 3) f[k++] = feat(T_SUFM1, w->suf[2]);
    for (int j = 0; j < nsets; j++)
      if (w->cl[j]) f[k++] = feat(T_CLM1 + (unsigned)j, w->cl[j]);
    break;
  case ROLE_P1:
    f[k++] = feat(T_LOWP1, w->lower);
    f[k++] = feat(T_EXP1, w->exact);
    f[k++] = feat(T_SSHP1, w->sshape);
    f[k++] = feat(T_LSHP1, w->lshape);
    f[k++] = feat(T_KINDP1, w->kflags);
    if (w->suf[2] && w->ncp > 3) f[k++] = feat(T_SUFP1, w->suf[2]);
    for (int j = 0; j < nsets; j++)
      if (w->cl[j]) f[k++] = feat(T_CLP1 + (unsigned)j, w->cl[j]);
    break;
  case ROLE_M2:
    f[k++] = feat(T_LOWM2, w->lower);
    f[k++] = feat(T_SSHM2, w->sshape);
    if (nsets && w->cl[0]) f[k++] = feat(T_CLM2, w->cl[0]);
    if (nsets > 1 && w->cl[1]) f[k++] = feat(T_CL1M2, w->cl[1]);
    break;
  default:
    f[k++] = feat(T_LOWP2, w->lower);
    f[k++] = feat(T_SSHP2, w->sshape);
    if (nsets && w->cl[0]) f[k++] = feat(T_CLP2, w->cl[0]);
    if (nsets > 1 && w->cl[1]) f[k++] = feat(T_CL1P2, w->cl[1]);
    break;
  }
  return k;
}

/* Only lower, sshape, gaz, docf and tflags of the tokens are read here. */
static size_t pair_feats(const tokinfo *ti, size_t n, size_t i, uint64_t *f) {
  const tokinfo *w = ti + i;
  const tokinfo *m1 = i >= 1 ? w - 1 : boundary_info(0);
  const tokinfo *p1 = i + 1 < n ? w + 1 : boundary_info(1);
  size_t k = 0;
  f[k++] = feat(T_BIM, m1->lower * 31 + w->lower);
  f[k++] = feat(T_BIP, w->lower * 31 + p1->lower);
  f[k++] = feat(T_SHAPE3, (m1->sshape * 31 + w->sshape) * 31 + p1->sshape);
  f[k++] = feat(T_FIRST, (i == 0) * 7 + w->sshape);
  f[k++] = feat(T_LOWSH, m1->lower * 31 + w->sshape);
  f[k++] = feat(T_DOC, (uint64_t)w->docf * 8 + w->tflags);
  f[k++] = feat(T_DOCSH, ((uint64_t)w->docf * 8 + w->tflags) * 31 + w->sshape);
  if (w->docf & (DF_LOWER | DF_CAPMID)) f[k++] = feat(T_DOCLOW, (uint64_t)w->docf * 31 + w->lower);
  if (w->hist) {
    f[k++] = feat(T_HIST, w->hist);
    f[k++] = feat(T_HISTSH, (uint64_t)w->hist * 8 + w->tflags);
  }
  for (uint32_t g = w->gaz; g; g &= g - 1) f[k++] = feat(T_GAZ, (uint64_t)__builtin_ctz(g));
  for (uint32_t g = m1->gaz; g; g &= g - 1) f[k++] = feat(T_GAZM1, (uint64_t)__builtin_ctz(g));
  for (uint32_t g = p1->gaz; g; g &= g - 1) f[k++] = feat(T_GAZP1, (uint64_t)__builtin_ctz(g));
  return k;
}

/* All feature hashes of token i of a sentence of n tokens (training). */
static size_t token_feats(const tokinfo *ti, size_t n, size_t i, int nsets,
                          uint64_t *f) {
  const tokinfo *w = ti + i;
  size_t k = word_feats(w, ROLE_0, nsets, f);
  k += word_feats(i >= 1 ? w - 1 : boundary_info(0), ROLE_M1, nsets, f + k);
  k += word_feats(i + 1 < n ? w + 1 : boundary_info(1), ROLE_P1, nsets, f + k);
  k += word_feats(i >= 2 ? w - 2 : boundary_info(0), ROLE_M2, nsets, f + k);
  k += word_feats(i + 2 < n ? w + 2 : boundary_info(1), ROLE_P2, nsets, f + k);
  k += pair_feats(ti, n, i, f + k);
  return k;
}

/* ---- document-level features ------------------------------------------------ */

/* How a word is written elsewhere in its document (Ratinov & Roth 2009 use
 * such non-local evidence): headlines in capitals and sentence-initial words
 * say little about a word, its other occurrences say more. */

static uint8_t tok_tflags(const td_token *t) {
  return (uint8_t)(((t->flags & TD_F_UPPER_INITIAL) ? TF_UPINIT : 0) |
                   ((t->flags & TD_F_ALL_UPPER) ? TF_ALLUP : 0) |
                   ((t->flags & TD_F_SENT_START) ? TF_START : 0));
}

/* Keys of the tagger's own tables (the word cache, the document's words):
 * only their equality matters, so they take the bytes eight at a time
 * (in the machine's byte order: the tables never leave the process).  The
 * document key has ASCII capitals as small letters (in the eight-byte
 * blocks, byte-wise without carries: a byte gets 0x20 when it is in
 * 'A'..'Z'); other scripts keep their case: good enough for "seen
 * elsewhere".  The word-cache key is the exact bytes, seeded by the kind.
 * token_keys computes both from one read of the bytes; `room` is how many
 * bytes may be read from s (>= n): with eight, a last partial block is read
 * whole and masked (on little-endian machines). */
#define DOC_SEED 0x14057b7ef767814fULL
static inline uint64_t key_step(uint64_t h, uint64_t x) {
  h = (h ^ x) * 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}
static inline uint64_t lower8(uint64_t x) {
  const uint64_t H = 0x8080808080808080ULL, S7 = 0x7F7F7F7F7F7F7F7FULL;
  uint64_t b = x & S7;
  uint64_t ge_a = b + 0x3F3F3F3F3F3F3F3FULL, gt_z = b + 0x2525252525252525ULL;
  return x | (((ge_a ^ gt_z) & ~x & H) >> 2);
}
static inline uint64_t key_end(uint64_t h) {
  h = mix64(h);
  return h ? h : 1;   /* 0 marks an empty slot */
}
static inline uint64_t tseed(int kind) {
  return 0x5851f42d4c957f2dULL + (uint64_t)kind * 0xc4ceb9fe1a85ec53ULL;
}
static inline void token_keys(const uint8_t *s, size_t n, size_t room, int kind,
                              uint64_t *tk, uint64_t *dk) {
  const uint64_t K = 0x9E3779B97F4A7C15ULL;
  uint64_t ht = tseed(kind) ^ ((uint64_t)n * K), hd = DOC_SEED ^ ((uint64_t)n * K);
  for (; n >= 8; s += 8, n -= 8, room -= 8) {
    uint64_t x;
    memcpy(&x, s, 8);
    ht = key_step(ht, x);
    if (dk) hd = key_step(hd, lower8(x));
  }
  if (n) {
    uint64_t x = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (room >= 8) {
      memcpy(&x, s, 8);
      x &= ~(uint64_t)0 >> (64 - 8 * n);
    } else
#endif
      for (size_t k = 0; k < n; k++) x |= (uint64_t)s[k] << (8 * k);
    ht = (ht ^ x) * 0xff51afd7ed558ccdULL;
    if (dk) hd = (hd ^ lower8(x)) * 0xff51afd7ed558ccdULL;
  }
  *tk = key_end(ht);
  if (dk) *dk = key_end(hd);
}

/* The docf buffer: docf[n] (rounded up to 8 bytes), hist[n] (uint16) and
 * slot[n] (the word's entry in the word table, uint32), each rounded up to 8
 * bytes, tkey[n] (each token's word-cache key), then for
 * td_model_tag_doc the first pass's emissions (n x L int32) that the second
 * pass starts from (at least n x 8 bytes: compute_docf_l keeps the words'
 * document keys there until the emissions are written).  The word table
 * (s->wtab) is a hash of wcap keys, each with its entry number (uint32);
 * the entries, numbered in order of first occurrence, are dense: wcap / 2
 * one-byte values (document flags) and wcap / 2 x HIST_SLOTS one-byte
 * counts (prediction history), so that a token keeps its entry when the
 * hash grows and the flags and counts are read without a probe.  It is
 * sized by the document's distinct words (load <= 1/2), not by its tokens,
 * so that it stays in cache. */
#define HIST_SLOTS 16
#define NOHIST 0x80000000u   /* see compute_docf_l */
/* The words the prediction history counts: capitalised ones. */
static int hist_word(const td_token *t) {
  return t->kind == TD_WORD && (t->flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER));
}
static uint16_t *docf_hist(const td_model_scratch *s) {
  size_t n = s->docntok, outb = (n + 7) & ~(size_t)7;
  return (uint16_t *)(s->docf + outb);
}
static uint32_t *docf_slot(const td_model_scratch *s) {
  size_t n = s->docntok, histb = (n * sizeof(uint16_t) + 7) & ~(size_t)7;
  return (uint32_t *)((uint8_t *)docf_hist(s) + histb);
}
static uint64_t *docf_tkey(const td_model_scratch *s) {
  size_t n = s->docntok, slotb = (n * sizeof(uint32_t) + 7) & ~(size_t)7;
  return (uint64_t *)((uint8_t *)docf_slot(s) + slotb);
}
static int32_t *docf_emis(const td_model_scratch *s) {
  return (int32_t *)(docf_tkey(s) + s->docntok);
}
#define WT_PER (sizeof(uint64_t) + sizeof(uint32_t))   /* bytes per hash slot */
static uint64_t *wt_keys(const td_model_scratch *s) { return (uint64_t *)s->wtab; }
static uint32_t *wt_ids(const td_model_scratch *s) { return (uint32_t *)(s->wtab + s->wcap * sizeof(uint64_t)); }
static uint8_t *wt_vals(const td_model_scratch *s) { return s->wtab + s->wcap * WT_PER; }
static uint8_t *wt_cnt(const td_model_scratch *s) { return wt_vals(s) + s->wcap / 2; }

/* An empty word table of cap slots (a power of two, >= 2), or the table
 * rehashed into cap slots (keys, entry numbers and the values of its
 * `count` entries) when keep is set. */
static int wt_resize(td_model_scratch *s, size_t cap, int keep, size_t count) {
  size_t per = WT_PER + (1 + HIST_SLOTS + 1) / 2;
  if (cap > SIZE_MAX / per) return TD_ENOMEM;
  size_t bytes = cap * per;
  uint8_t *old = s->wtab;
  size_t oldcap = s->wcap, oldbytes = s->wbytes;
  uint8_t *p = old;
  if (keep || bytes > oldbytes) {
    p = s->A.f(s->A.ud, NULL, 0, bytes);
    if (!p) return TD_ENOMEM;
  }
  uint64_t *keys = (uint64_t *)p;
  uint32_t *ids = (uint32_t *)(p + cap * sizeof(uint64_t));
  memset(keys, 0, cap * sizeof *keys);
  if (keep) {
    const uint64_t *ok = (const uint64_t *)old;
    const uint32_t *oi = (const uint32_t *)(old + oldcap * sizeof(uint64_t));
    for (size_t i = 0; i < oldcap; i++) {
      if (!ok[i]) continue;
      size_t j = (size_t)ok[i] & (cap - 1);
      while (keys[j]) j = (j + 1) & (cap - 1);
      keys[j] = ok[i];
      ids[j] = oi[i];
    }
    memcpy(p + cap * WT_PER, old + oldcap * WT_PER, count);
  }
  if (p != old) {
    xfree(&s->A, old, oldbytes);
    s->wbytes = bytes;
  }
  s->wtab = p;
  s->wcap = cap;
  return TD_OK;
}

/* Fill s->docf[0..d->ntok) and the tokens' cache keys, and stamp the
 * scratch with the doc; the prediction history is cleared.  L > 0: room for
 * n x L emissions.  One probe of the word table per word: the words'
 * flags are gathered by entry, then read back by entry. */
static int compute_docf_l(td_model_scratch *s, const td_doc *d, int L) {
  size_t n = d->ntok;
  size_t outb = (n + 7) & ~(size_t)7;
  size_t histb = mulsz(n, sizeof(uint16_t));
  size_t slotb = mulsz(n, sizeof(uint32_t));
  size_t keyb = mulsz(n, sizeof(uint64_t));
  size_t emis = mulsz(mulsz(n, (size_t)L), sizeof(int32_t));
  if (emis > SIZE_MAX / 4 || keyb > SIZE_MAX / 4) return TD_ENOMEM;
  if (emis < keyb) emis = keyb;
  histb = (histb + 7) & ~(size_t)7;
  slotb = (slotb + 7) & ~(size_t)7;
  size_t need = outb + histb + slotb + keyb + emis;
  if (need > s->capdocf) {
    size_t c = s->capdocf ? s->capdocf : 4096;
    while (c < need) c = c > SIZE_MAX / 2 ? need : c * 2;
    void *p = s->A.f(s->A.ud, NULL, 0, c);
    if (!p) return TD_ENOMEM;
    xfree(&s->A, s->docf, s->capdocf);
    s->docf = p;
    s->capdocf = c;
  }
  if (wt_resize(s, 1024, 0, 0) != TD_OK) return TD_ENOMEM;
  s->doc = NULL;   /* until the flags are complete */
  uint8_t *out = s->docf;
  uint32_t *slot = (uint32_t *)(s->docf + outb + histb);
  uint64_t *tkey = (uint64_t *)(s->docf + outb + histb + slotb);
  uint64_t *dkey = tkey + n;   /* in the emissions' room */
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    const td_token *t = d->tok + i;
    slot[i] = UINT32_MAX;
    token_keys((const uint8_t *)d->text + t->start, t->end - t->start, d->len - t->start,
               t->kind, tkey + i, t->kind == TD_WORD ? dkey + i : NULL);
  }
  size_t nsent = d->nsent ? d->nsent : 1;
  for (size_t si = 0; si < nsent; si++) {
    size_t a = d->nsent ? d->sent[si].first : 0, b = d->nsent ? d->sent[si].last : n;
    size_t words = 0, upper = 0;
    for (size_t i = a; i < b && i < n; i++) {
      const td_token *t = d->tok + i;
      if (t->kind != TD_WORD) continue;
      words++;
      if ((t->flags & TD_F_ALL_UPPER) && t->end - t->start > 1) upper++;
    }
    int headline = words >= 2 && upper * 3 >= words * 2;
    for (size_t i = a; i < b && i < n; i++) {
      const td_token *t = d->tok + i;
      out[i] = headline ? DF_HEADLINE : 0;
      if (t->kind != TD_WORD) continue;
      uint64_t key = dkey[i];
      uint64_t *keys = wt_keys(s);
      size_t cap = s->wcap;
      size_t j = (size_t)key & (cap - 1);
      while (keys[j] && keys[j] != key) j = (j + 1) & (cap - 1);
      uint8_t f = 0;
      if (!(t->flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER))) f |= DF_LOWER;
      else if (!(t->flags & TD_F_ALL_UPPER) && !(t->flags & TD_F_SENT_START) && !headline) f |= DF_CAPMID;
      /* the top bit: a word the prediction history leaves out (lower case) */
      uint32_t nohist = hist_word(t) ? 0 : NOHIST;
      if (keys[j]) {
        uint32_t id = wt_ids(s)[j];
        wt_vals(s)[id] |= (uint8_t)(f | DF_REPEAT);
        slot[i] = id | nohist;
      } else {
        if (count >= NOHIST - 1) return TD_ENOMEM;
        keys[j] = key;
        wt_ids(s)[j] = (uint32_t)count;
        wt_vals(s)[count] = f;
        slot[i] = (uint32_t)count | nohist;
        if (++count * 2 > cap && wt_resize(s, cap * 2, 1, count) != TD_OK) return TD_ENOMEM;
      }
    }
  }
  /* the flags by entry; slot[] keeps the entries of the words compute_hist
   * counts (capitalised: hist_word), UINT32_MAX for the rest, so that it
   * reads no token */
  const uint8_t *vals = wt_vals(s);
  for (size_t i = 0; i < n; i++) {
    uint32_t e = slot[i];
    if (e == UINT32_MAX) continue;
    out[i] |= vals[e & (NOHIST - 1)];
    if (e & NOHIST) slot[i] = UINT32_MAX;
  }
  s->doc = d;
  s->doctok = d->tok;
  s->docntok = n;
  memset(docf_hist(s), 0, n * sizeof(uint16_t));
  return TD_OK;
}
static int compute_docf(td_model_scratch *s, const td_doc *d) { return compute_docf_l(s, d, 0); }

/* Make sure s->docf describes d: recomputed at the doc's first sentence
 * (first == 0) or when the scratch last saw another doc. */
static int ensure_docf(td_model_scratch *s, const td_doc *d, size_t first) {
  if (first == 0 || s->doc != d || s->doctok != d->tok || s->docntok != d->ntok)
    return compute_docf(s, d);
  return TD_OK;
}

int td_model_doc(const td_model *m, td_model_scratch *s, const td_doc *d) {
  (void)m;
  return compute_docf(s, d);
}

static void sentence_info(const td_doc *d, size_t first, size_t last,
                          const uint32_t *gaz, const uint16_t *hist, const uint8_t *docf,
                          const cltab *cl, tokinfo *ti) {
  for (size_t i = first; i < last; i++) {
    const td_token *t = d->tok + i;
    token_info((const uint8_t *)d->text + t->start, t->end - t->start, t->kind, cl,
               ti + (i - first));
    ti[i - first].gaz = gaz ? gaz[i] : 0;
    ti[i - first].hist = hist ? hist[i] : 0;
    ti[i - first].docf = docf[i];
    ti[i - first].tflags = tok_tflags(t);
  }
}

/* ---- BILOU constraints and Viterbi --------------------------------------- */

/* allowed transition prev -> cur; index L stands for the sentence boundary. */
static int allowed(int L, int prev, int cur) {
  int pp = (prev == L || prev == 0) ? TD_POS_O : (prev - 1) % 4 + 1;
  int cp = (cur == L || cur == 0) ? TD_POS_O : (cur - 1) % 4 + 1;
  int open = pp == TD_POS_B || pp == TD_POS_I;
  if (cur == L) return !open;
  if (open) return (cp == TD_POS_I || cp == TD_POS_L) && (prev - 1) / 4 == (cur - 1) / 4;
  return cp == TD_POS_O || cp == TD_POS_B || cp == TD_POS_U;
}

/* The BILOU constraints: ok[prev * (L+1) + cur], and for each cur the list
 * of allowed prev labels (index L = sentence boundary).  Two kinds of
 * labels: O, B-t and U-t (the "open" labels, c0[0..nc0)) follow O, L-* or
 * U-* (prev[0], the same list for all of them); I-t and L-t follow B-t or
 * I-t.  Viterbi computes the maxima of each kind side by side. */
typedef struct constraints {
  uint8_t ok[(MAX_LABELS + 1) * (MAX_LABELS + 1)];
  uint8_t nprev[MAX_LABELS + 1];
  uint8_t prev[MAX_LABELS + 1][MAX_LABELS];
  int nc0;
  uint8_t c0[MAX_LABELS];
} constraints;

static void set_allowed(constraints *k, int L) {
  for (int c = 0; c <= L; c++) {
    k->nprev[c] = 0;
    for (int p = 0; p <= L; p++) {
      int a = (p != L || c != L) ? allowed(L, p, c) : 0;
      k->ok[p * (L + 1) + c] = (uint8_t)a;
      if (a && p < L) k->prev[c][k->nprev[c]++] = (uint8_t)p;
    }
  }
  k->nc0 = 0;
  for (int c = 0; c < L; c++) {
    int pos = c == 0 ? TD_POS_O : (c - 1) % 4 + 1;
    if (pos == TD_POS_O || pos == TD_POS_B || pos == TD_POS_U) k->c0[k->nc0++] = (uint8_t)c;
  }
}

/* Transitions laid out for viterbi: for each pair of open labels c0[i],
 * c0[i+1] (i even; the count padded to an even one, the padding computed
 * and thrown away), t0[i * np + 2j + h] from the open labels' j-th previous
 * label to c0[i+h], so that a pair's inputs are consecutive; til[4t..4t+4) the transitions
 * B-t -> I-t, B-t -> L-t, I-t -> I-t, I-t -> L-t. */
typedef struct vtrans {
  const double *T;     /* [prev * (L+1) + cur], index L = boundary */
  int nc0p;
  double t0[MAX_LABELS * (MAX_LABELS + 1)];
  double til[4 * MAX_TYPES];
} vtrans;

static void prep_trans(const constraints *K, int L, const double *T, vtrans *v) {
  int L1 = L + 1, nc0p = (K->nc0 + 1) & ~1;
  v->T = T;
  v->nc0p = nc0p;
  for (int i = 0; i < nc0p; i += 2)
    for (int j = 0; j < K->nprev[0]; j++)
      for (int h = 0; h < 2; h++)
        v->t0[(i * K->nprev[0] + 2 * j) + h] = i + h < K->nc0 ? T[K->prev[0][j] * L1 + K->c0[i + h]] : 0.0;
  for (int t = 0; 4 * t + 4 < L1; t++) {
    int b = 1 + 4 * t;
    v->til[4 * t] = T[b * L1 + b + 1];
    v->til[4 * t + 1] = T[b * L1 + b + 2];
    v->til[4 * t + 2] = T[(b + 1) * L1 + b + 1];
    v->til[4 * t + 3] = T[(b + 1) * L1 + b + 2];
  }
}

/* The best previous label for label c, given the scores D of the labels
 * before it: the previous labels are tried in increasing order and only a
 * strictly greater score replaces the best.  Returns that score. */
static double best_prev(const constraints *K, const double *T, int L1, const double *D,
                        int c, int *arg) {
  double best = -1e300;
  int a = K->prev[c][0];
  for (int j = 0; j < K->nprev[c]; j++) {
    int p = K->prev[c][j];
    double v = D[p] + T[p * L1 + c];
    if (v > best) { best = v; a = p; }
  }
  *arg = a;
  return best;
}

/* Best label sequence for emissions E[n*L] and the transitions V under the
 * BILOU constraints; E is overwritten with the Viterbi scores.  The forward
 * pass takes only the maxima (side by side, without branches, in the same
 * order of previous labels as best_prev); the backward pass then finds, for
 * the one label chosen at each position, the first previous label reaching
 * that maximum, which is the label a scan keeping the first strictly
 * greater score would have recorded for it: the same path, bit for bit, as
 * remembering every label's best previous label.  The SSE2 and the scalar
 * paths do the same double additions and comparisons. */
static void viterbi(int L, size_t n, double *E, const vtrans *V,
                    const constraints *K, uint16_t *out) {
  const double NEG = -1e300;
  const double *T = V->T;
  int L1 = L + 1, nc0 = K->nc0, nc0p = V->nc0p, np0 = K->nprev[0], ntypes = (L - 1) / 4;
  const uint8_t *p0 = K->prev[0], *c0 = K->c0;
  for (int c = 0; c < L; c++)
    E[c] = K->ok[L * L1 + c] ? T[L * L1 + c] + E[c] : NEG;
  for (size_t i = 1; i < n; i++) {
    const double *cur = E + (i - 1) * (size_t)L;
    double *e = E + i * (size_t)L;
#if defined(__SSE2__)
    __m128d cp[MAX_LABELS];
    double best[MAX_LABELS + 1];
    for (int j = 0; j < np0; j++) cp[j] = _mm_load1_pd(cur + p0[j]);
    for (int k = 0; k < nc0p; k += 2) {
      const double *t = V->t0 + (size_t)k * np0;
      __m128d acc = _mm_set1_pd(NEG);
      for (int j = 0; j < np0; j++, t += 2)   /* v > acc ? v : acc */
        acc = _mm_max_pd(_mm_add_pd(cp[j], _mm_loadu_pd(t)), acc);
      _mm_storeu_pd(best + k, acc);
    }
    for (int k = 0; k < nc0; k++) e[c0[k]] = best[k] + e[c0[k]];
    for (int t = 0; t < ntypes; t++) {   /* I-t and L-t: from B-t, then from I-t */
      int b = 1 + 4 * t;
      __m128d v1 = _mm_add_pd(_mm_load1_pd(cur + b), _mm_loadu_pd(V->til + 4 * t));
      __m128d v2 = _mm_add_pd(_mm_load1_pd(cur + b + 1), _mm_loadu_pd(V->til + 4 * t + 2));
      __m128d m = _mm_max_pd(v2, _mm_max_pd(v1, _mm_set1_pd(NEG)));
      double r[2];
      _mm_storeu_pd(r, m);
      e[b + 1] = r[0] + e[b + 1];
      e[b + 2] = r[1] + e[b + 2];
    }
#else
    double best[MAX_LABELS + 1];
    for (int k = 0; k < nc0p; k++) best[k] = NEG;
    for (int k = 0; k < nc0p; k++) {
      const double *t = V->t0 + (size_t)(k & ~1) * np0 + (k & 1);
      for (int j = 0; j < np0; j++, t += 2) {
        double v = cur[p0[j]] + *t;
        best[k] = v > best[k] ? v : best[k];
      }
    }
    for (int k = 0; k < nc0; k++) e[c0[k]] = best[k] + e[c0[k]];
    for (int t = 0; t < ntypes; t++) {
      int b = 1 + 4 * t;
      for (int h = 0; h < 2; h++) {
        double m = NEG, v1 = cur[b] + V->til[4 * t + h], v2 = cur[b + 1] + V->til[4 * t + 2 + h];
        m = v1 > m ? v1 : m;
        m = v2 > m ? v2 : m;
        e[b + 1 + h] = m + e[b + 1 + h];
      }
    }
#endif
  }
  int arg;
  best_prev(K, T, L1, E + (n - 1) * (size_t)L, L, &arg);
  for (size_t i = n; i-- > 0;) {
    out[i] = (uint16_t)arg;
    if (i) best_prev(K, T, L1, E + (i - 1) * (size_t)L, arg, &arg);
  }
}

/* The same decoding in integers, for the tagger: the model's emissions and
 * transitions are integers k in units of its scale s (a float: 24 bits of
 * mantissa), and viterbi adds and compares the doubles k * s.  While every
 * |k| stays below 2^29 those doubles are exact (k times a 24-bit mantissa
 * fits in 53 bits), so comparing them is comparing the integers: the same
 * maxima, ties and path.  tag_path checks that bound and takes viterbi
 * otherwise.  Labels a sentence cannot start with begin at VNEG, below any
 * reachable score, and never win a maximum (every label has a predecessor
 * that is not one of them), as -1e300 never does in viterbi.
 *
 * The tagger keeps its label vectors (weight rows, emissions, scores) in an
 * order of its own, W wide (a multiple of 4), so that the labels of each kind
 * sit side by side: the open labels O, B-0..B-(T-1), U-0..U-(T-1) (padded to
 * no4), then I-0, L-0, I-1, L-1 ... (padded to a multiple of 4).  Padding
 * lanes hold zero weights and are never a previous label. */
#define VBOUND (1 << 29)
#define VNEG (-(1 << 30))
#define MAX_W 64
#define NOLABEL 255

typedef struct vint {
  int W, ntypes, no4, nil4, np;
  uint8_t perm[MAX_W];           /* lane -> label, NOLABEL for padding */
  uint8_t lane[MAX_LABELS];      /* label -> lane */
  uint8_t pidx[MAX_LABELS];      /* the labels open labels follow (lanes), in label order */
  int32_t start[MAX_W];          /* sentence start -> lane */
  uint8_t startok[MAX_W];        /* a sentence may start with the lane's label */
  int32_t t0[MAX_W * MAX_LABELS];  /* group g of 4 open lanes: [(g * np + j) * 4 + h] from pidx[j] */
  int32_t t8[MAX_W * MAX_LABELS];  /* the same for groups of 8 (g + 8 <= no4): [g * np + 8 * j + h] */
  int32_t tb[MAX_W], ti[MAX_W];  /* I/L lane q: from its type's B, from its type's I */
  int32_t lb[MAX_W], li[MAX_W];  /* ... and the lanes of that B and that I */
  uint8_t nprev[MAX_W + 1];      /* per lane (index W: the sentence end): allowed previous lanes */
  uint8_t prev[MAX_W + 1][MAX_LABELS];   /* in label order, as best_prev tries them */
  int32_t ptrans[MAX_W + 1][MAX_LABELS];
  int64_t tmax;                  /* max |transition| */
  int sse41;                     /* the CPU has SSE4.1 (pmaxsd) */
  int avx2;                      /* the CPU has AVX2 */
} vint;

static void prep_vint(const constraints *K, int L, const int32_t *T, vint *v) {
  int L1 = L + 1, nt = (L - 1) / 4;
  memset(v, 0, sizeof *v);
  v->ntypes = nt;
  v->no4 = (1 + 2 * nt + 3) & ~3;
  v->nil4 = (2 * nt + 3) & ~3;
  v->W = v->no4 + v->nil4;
  memset(v->perm, NOLABEL, sizeof v->perm);
  v->perm[0] = 0;
  for (int t = 0; t < nt; t++) {
    v->perm[1 + t] = (uint8_t)(1 + 4 * t + TD_POS_B - 1);
    v->perm[1 + nt + t] = (uint8_t)(1 + 4 * t + TD_POS_U - 1);
    v->perm[v->no4 + 2 * t] = (uint8_t)(1 + 4 * t + TD_POS_I - 1);
    v->perm[v->no4 + 2 * t + 1] = (uint8_t)(1 + 4 * t + TD_POS_L - 1);
  }
  for (int c = 0; c < v->W; c++)
    if (v->perm[c] != NOLABEL) v->lane[v->perm[c]] = (uint8_t)c;
  v->tmax = 0;
  for (int i = 0; i < L1 * L1; i++) {
    int64_t a = T[i] < 0 ? -(int64_t)T[i] : T[i];
    if (a > v->tmax) v->tmax = a;
  }
  v->np = K->nprev[0];
  for (int j = 0; j < v->np; j++) v->pidx[j] = v->lane[K->prev[0][j]];
  for (int c = 0; c < v->W; c++) {
    int l = v->perm[c];
    v->startok[c] = l != NOLABEL && K->ok[L * L1 + l];
    v->start[c] = v->startok[c] ? T[L * L1 + l] : 0;
  }
  for (int g = 0; g < v->no4; g += 4)
    for (int j = 0; j < v->np; j++)
      for (int h = 0; h < 4; h++) {
        int l = v->perm[g + h];
        v->t0[(g * v->np + 4 * j) + h] = l != NOLABEL ? T[K->prev[0][j] * L1 + l] : 0;
      }
  for (int g = 0; g + 8 <= v->no4; g += 8)
    for (int j = 0; j < v->np; j++)
      for (int h = 0; h < 8; h++) {
        int l = v->perm[g + h];
        v->t8[g * v->np + 8 * j + h] = l != NOLABEL ? T[K->prev[0][j] * L1 + l] : 0;
      }
  for (int q = 0; q < v->nil4; q++) {
    int l = v->perm[v->no4 + q], b = 1 + 4 * (q / 2);
    v->lb[q] = l != NOLABEL ? v->lane[b] : 0;
    v->li[q] = l != NOLABEL ? v->lane[b + 1] : 0;
    v->tb[q] = l != NOLABEL ? T[b * L1 + l] : 0;
    v->ti[q] = l != NOLABEL ? T[(b + 1) * L1 + l] : 0;
  }
  for (int c = 0; c <= v->W; c++) {
    int l = c == v->W ? L : v->perm[c];
    if (l == NOLABEL) continue;
    for (int j = 0; j < K->nprev[l]; j++) {
      int p = K->prev[l][j];
      v->prev[c][j] = v->lane[p];
      v->ptrans[c][j] = T[p * L1 + l];
    }
    v->nprev[c] = K->nprev[l];
  }
#if defined(__SSE2__) && defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  v->sse41 = __builtin_cpu_supports("sse4.1") ? 1 : 0;
  v->avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
#endif
}

/* The forward pass over positions 1..n-1 (S[0..W) set): S[i] = E[i] + the
 * best of S[i-1] plus the transitions.  Written once for each way of taking
 * the lane-wise maximum of four int32 (exact: every version gives the same
 * scores). */
#define VINT_FORWARD(NAME, ATTR, MAX4)                                                         \
  static ATTR void NAME(const vint *V, size_t n, const int32_t *E, int32_t *S) {               \
    int W = V->W, np = V->np, no4 = V->no4;                                                     \
    for (size_t i = 1; i < n; i++) {                                                            \
      const int32_t *cur = S + (i - 1) * (size_t)W, *e = E + i * (size_t)W;                    \
      int32_t *s = S + i * (size_t)W;                                                           \
      __m128i cp[MAX_LABELS];                                                                   \
      for (int j = 0; j < np; j++) cp[j] = _mm_set1_epi32(cur[V->pidx[j]]);                     \
      const int32_t *t = V->t0;                                                                 \
      for (int g = 0; g < no4; g += 4) {                                                        \
        __m128i acc = _mm_add_epi32(cp[0], _mm_loadu_si128((const __m128i *)t));                \
        t += 4;                                                                                 \
        for (int j = 1; j < np; j++, t += 4)                                                    \
          acc = MAX4(acc, _mm_add_epi32(cp[j], _mm_loadu_si128((const __m128i *)t)));           \
        _mm_storeu_si128((__m128i *)(s + g),                                                    \
                         _mm_add_epi32(acc, _mm_loadu_si128((const __m128i *)(e + g))));        \
      }                                                                                         \
      for (int q = 0; q < V->nil4; q += 4) { /* types q/2, q/2+1: from B, from I */            \
        __m128i b = _mm_loadl_epi64((const __m128i *)(cur + 1 + q / 2));                        \
        __m128i il = _mm_loadu_si128((const __m128i *)(cur + no4 + q));                         \
        __m128i v1 = _mm_add_epi32(_mm_unpacklo_epi32(b, b), _mm_loadu_si128((const __m128i *)(V->tb + q))); \
        __m128i v2 = _mm_add_epi32(_mm_shuffle_epi32(il, _MM_SHUFFLE(2, 2, 0, 0)),             \
                                   _mm_loadu_si128((const __m128i *)(V->ti + q)));              \
        _mm_storeu_si128((__m128i *)(s + no4 + q),                                              \
                         _mm_add_epi32(MAX4(v1, v2), _mm_loadu_si128((const __m128i *)(e + no4 + q)))); \
      }                                                                                         \
    }                                                                                           \
  }

#if defined(__SSE2__)
static inline __m128i max4_sse2(__m128i a, __m128i b) {   /* b > a ? b : a */
  __m128i gt = _mm_cmpgt_epi32(b, a);
  return _mm_or_si128(_mm_and_si128(gt, b), _mm_andnot_si128(gt, a));
}
VINT_FORWARD(vint_forward_sse2, , max4_sse2)
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <smmintrin.h>
VINT_FORWARD(vint_forward_sse41, __attribute__((target("sse4.1"))), _mm_max_epi32)
/* The same eight lanes at a time where it can (open lanes in groups of 8,
 * then one of 4; I/L lanes likewise), noting as it goes each lane's best
 * previous lane in P (the first in label order with the greatest score, as
 * vint_prev finds it), so that the way back is a walk.  The maxima over the
 * previous labels are taken as a tree of pairs (a later one wins only when
 * strictly greater: still the first greatest, in log2(np) dependent steps
 * instead of np), and the notes are off the chain from position to
 * position that bounds this loop.  Inlined with the constants of the
 * four-type models (np 9, no4 12, nil4 8) the lists fit in registers. */
static inline __attribute__((target("avx2"), always_inline)) void
vint_forward_avx2_body(const vint *V, size_t n, const int32_t *E, int32_t *S, int32_t *P,
                       const int W, const int np, const int no4, const int nil4) {
  const __m256i dupb = _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3), dupi = _mm256_setr_epi32(0, 0, 2, 2, 4, 4, 6, 6);
  __m256i lanes8[MAX_LABELS];
  __m128i lanes4[MAX_LABELS];
  int pidx[MAX_LABELS];
  for (int j = 0; j < np; j++) {
    pidx[j] = V->pidx[j];
    lanes8[j] = _mm256_set1_epi32(pidx[j]);
    lanes4[j] = _mm_set1_epi32(pidx[j]);
  }
  for (size_t i = 1; i < n; i++) {
    const int32_t *cur = S + (i - 1) * (size_t)W, *e = E + i * (size_t)W;
    int32_t *s = S + i * (size_t)W, *p = P + i * (size_t)W;
    __m256i cp8[MAX_LABELS];
    __m128i cp4[MAX_LABELS];
#pragma GCC unroll 16
    for (int j = 0; j < np; j++) {
      cp8[j] = _mm256_set1_epi32(cur[pidx[j]]);
      cp4[j] = _mm256_castsi256_si128(cp8[j]);
    }
    int g = 0;
    for (; g + 8 <= no4; g += 8) {
      __m256i x[MAX_LABELS], a[MAX_LABELS];
      const int32_t *t = V->t8 + (size_t)g * np;
#pragma GCC unroll 16
      for (int j = 0; j < np; j++) {
        x[j] = _mm256_add_epi32(cp8[j], _mm256_loadu_si256((const __m256i *)(t + 8 * j)));
        a[j] = lanes8[j];
      }
#pragma GCC unroll 8
      for (int st = 1; st < np; st *= 2)
#pragma GCC unroll 16
        for (int j = 0; j + st < np; j += 2 * st) {
          __m256i gt = _mm256_cmpgt_epi32(x[j + st], x[j]);
          a[j] = _mm256_blendv_epi8(a[j], a[j + st], gt);
          x[j] = _mm256_max_epi32(x[j], x[j + st]);
        }
      _mm256_storeu_si256((__m256i *)(s + g), _mm256_add_epi32(x[0], _mm256_loadu_si256((const __m256i *)(e + g))));
      _mm256_storeu_si256((__m256i *)(p + g), a[0]);
    }
    if (g < no4) {
      __m128i x[MAX_LABELS], a[MAX_LABELS];
      const int32_t *t = V->t0 + (size_t)g * np;
#pragma GCC unroll 16
      for (int j = 0; j < np; j++) {
        x[j] = _mm_add_epi32(cp4[j], _mm_loadu_si128((const __m128i *)(t + 4 * j)));
        a[j] = lanes4[j];
      }
#pragma GCC unroll 8
      for (int st = 1; st < np; st *= 2)
#pragma GCC unroll 16
        for (int j = 0; j + st < np; j += 2 * st) {
          __m128i gt = _mm_cmpgt_epi32(x[j + st], x[j]);
          a[j] = _mm_blendv_epi8(a[j], a[j + st], gt);
          x[j] = _mm_max_epi32(x[j], x[j + st]);
        }
      _mm_storeu_si128((__m128i *)(s + g), _mm_add_epi32(x[0], _mm_loadu_si128((const __m128i *)(e + g))));
      _mm_storeu_si128((__m128i *)(p + g), a[0]);
    }
    int q = 0;
    for (; q + 8 <= nil4; q += 8) {   /* types q/2 .. q/2+3: from B, from I */
      __m256i b = _mm256_permutevar8x32_epi32(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(cur + 1 + q / 2))), dupb);
      __m256i il = _mm256_permutevar8x32_epi32(_mm256_loadu_si256((const __m256i *)(cur + no4 + q)), dupi);
      __m256i v1 = _mm256_add_epi32(b, _mm256_loadu_si256((const __m256i *)(V->tb + q)));
      __m256i v2 = _mm256_add_epi32(il, _mm256_loadu_si256((const __m256i *)(V->ti + q)));
      _mm256_storeu_si256((__m256i *)(s + no4 + q),
                          _mm256_add_epi32(_mm256_max_epi32(v1, v2), _mm256_loadu_si256((const __m256i *)(e + no4 + q))));
      _mm256_storeu_si256((__m256i *)(p + no4 + q),
                          _mm256_blendv_epi8(_mm256_loadu_si256((const __m256i *)(V->lb + q)),
                                             _mm256_loadu_si256((const __m256i *)(V->li + q)), _mm256_cmpgt_epi32(v2, v1)));
    }
    if (q < nil4) {
      __m128i b = _mm_loadl_epi64((const __m128i *)(cur + 1 + q / 2));
      __m128i il = _mm_loadu_si128((const __m128i *)(cur + no4 + q));
      __m128i v1 = _mm_add_epi32(_mm_unpacklo_epi32(b, b), _mm_loadu_si128((const __m128i *)(V->tb + q)));
      __m128i v2 = _mm_add_epi32(_mm_shuffle_epi32(il, _MM_SHUFFLE(2, 2, 0, 0)), _mm_loadu_si128((const __m128i *)(V->ti + q)));
      _mm_storeu_si128((__m128i *)(s + no4 + q), _mm_add_epi32(_mm_max_epi32(v1, v2), _mm_loadu_si128((const __m128i *)(e + no4 + q))));
      _mm_storeu_si128((__m128i *)(p + no4 + q),
                       _mm_blendv_epi8(_mm_loadu_si128((const __m128i *)(V->lb + q)),
                                       _mm_loadu_si128((const __m128i *)(V->li + q)), _mm_cmpgt_epi32(v2, v1)));
    }
  }
}
static __attribute__((target("avx2"))) void vint_forward_avx2(const vint *V, size_t n, const int32_t *E,
                                                               int32_t *S, int32_t *P) {
  if (V->np == 9 && V->no4 == 12 && V->nil4 == 8 && V->W == 20)   /* four types (CoNLL) */
    vint_forward_avx2_body(V, n, E, S, P, 20, 9, 12, 8);
  else
    vint_forward_avx2_body(V, n, E, S, P, V->W, V->np, V->no4, V->nil4);
}
#endif
#else
static void vint_forward_scalar(const vint *V, size_t n, const int32_t *E, int32_t *S) {
  int W = V->W, np = V->np, no4 = V->no4;
  for (size_t i = 1; i < n; i++) {
    const int32_t *cur = S + (i - 1) * (size_t)W, *e = E + i * (size_t)W;
    int32_t *s = S + i * (size_t)W;
    for (int g = 0; g < no4; g += 4)
      for (int h = 0; h < 4; h++) {
        const int32_t *t = V->t0 + (size_t)g * np + h;
        int32_t acc = cur[V->pidx[0]] + t[0];
        for (int j = 1; j < np; j++) {
          int32_t v = cur[V->pidx[j]] + t[4 * j];
          acc = v > acc ? v : acc;
        }
        s[g + h] = acc + e[g + h];
      }
    for (int q = 0; q < V->nil4; q++) {
      int32_t v1 = cur[1 + q / 2] + V->tb[q], v2 = cur[no4 + (q & ~1)] + V->ti[q];
      s[no4 + q] = (v2 > v1 ? v2 : v1) + e[no4 + q];
    }
  }
}
#endif

/* The lane before lane c (W: the sentence end) on the best path, given the
 * scores D of the lanes before it: the first of the allowed previous labels,
 * in label order, with the greatest score, as best_prev finds it.  Two
 * chains, over the first and the second half of the list, each keeping its
 * first greatest; the second's wins only when strictly greater: the same
 * lane as one scan, in half the dependent steps. */
static int vint_prev(const vint *V, const int32_t *D, int c) {
  const uint8_t *pl = V->prev[c];
  const int32_t *pt = V->ptrans[c];
  int np = V->nprev[c], h = (np + 1) / 2;
  int32_t b1 = INT32_MIN, b2 = INT32_MIN;
  int a1 = pl[0], a2 = pl[0];
  for (int j = 0; j < h; j++) {   /* without branches: the winner is data */
    int32_t v1 = D[pl[j]] + pt[j];
    int gt1 = v1 > b1;
    b1 = gt1 ? v1 : b1;
    a1 = gt1 ? pl[j] : a1;
    if (h + j < np) {
      int32_t v2 = D[pl[h + j]] + pt[h + j];
      int gt2 = v2 > b2;
      b2 = gt2 ? v2 : b2;
      a2 = gt2 ? pl[h + j] : a2;
    }
  }
  return b2 > b1 ? a2 : a1;
}

/* viterbi over the emissions E[n*W] (kept, in lanes), its scores in
 * S[n*W]; the labels (not lanes) in out. */
static void viterbi_int(const vint *V, size_t n, const int32_t *E, int32_t *S, int32_t *P, uint16_t *out) {
  int W = V->W;
  for (int c = 0; c < W; c++) S[c] = V->startok[c] ? V->start[c] + E[c] : VNEG;
#if defined(__SSE2__)
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  if (V->avx2) {   /* with the way back noted */
    vint_forward_avx2(V, n, E, S, P);
    int arg = vint_prev(V, S + (n - 1) * (size_t)W, W);
    for (size_t i = n; i-- > 0;) {
      out[i] = V->perm[arg];
      if (i) arg = P[i * (size_t)W + (size_t)arg];
    }
    return;
  }
  if (V->sse41) vint_forward_sse41(V, n, E, S);
  else
#endif
    vint_forward_sse2(V, n, E, S);
#else
  vint_forward_scalar(V, n, E, S);
#endif
  (void)P;
  int arg = vint_prev(V, S + (n - 1) * (size_t)W, W);
  for (size_t i = n; i-- > 0;) {
    out[i] = V->perm[arg];
    if (i) arg = vint_prev(V, S + (i - 1) * (size_t)W, arg);
  }
}

/* ---- the model ----------------------------------------------------------- */

struct td_model {
  td_alloc A;
  char name[256];
  char types[MAX_TYPES][32];
  int ntypes, L, nsets;
  int hist;            /* trained with the prediction history: tag in two passes */
  unsigned bits;
  uint32_t checksum;
  double scale;
  double trans[(MAX_LABELS + 1) * (MAX_LABELS + 1)];  /* [prev * (L+1) + cur] */
  constraints K;
  vtrans vt;           /* trans laid out for viterbi */
  vint vi;             /* the same in integers (scale units) and lanes, for viterbi_int */
  int W;               /* the tagger's label vectors: W lanes (vi.W) */
  int avx2;            /* the CPU has AVX2 and popcnt (FAST_X86) */
  struct bucketword { uint64_t bits; uint32_t rank; uint32_t pad; } *index;
  size_t nwords;
  int16_t *rows;        /* nrows rows of rstride weights (L used), 64-byte aligned */
  void *rowmem;         /* the allocation holding them */
  size_t rowmemsz, rstride;
  size_t nrows;
  cltab cl;
  int32_t bvec[NROLES][MAX_W];  /* word-feature weights of the sentence boundaries */
  /* the weights of T_GAZ, T_GAZM1, T_GAZP1 for each gazetteer bit, and
   * which of them are not all zero */
  int32_t gzv[3][32][MAX_W];
  uint32_t gzmask[3];
};

typedef struct reader {
  const uint8_t *p;
  size_t n, pos;
  int bad;
} reader;

static const uint8_t *rd(reader *r, size_t k) {
  if (r->bad || k > r->n - r->pos) { r->bad = 1; return NULL; }
  const uint8_t *q = r->p + r->pos;
  r->pos += k;
  return q;
}
static uint32_t rd32(reader *r) {
  const uint8_t *q = rd(r, 4);
  return q ? (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24 : 0;
}
static uint64_t rd64(reader *r) {
  uint64_t lo = rd32(r);
  return lo | (uint64_t)rd32(r) << 32;
}
static int rdstr(reader *r, char *dst, size_t cap) {
  const uint8_t *q = rd(r, 1);
  if (!q) return 0;
  size_t len = q[0];
  if (len == 0 || len >= cap) { r->bad = 1; return 0; }
  q = rd(r, len);
  if (!q) return 0;
  memcpy(dst, q, len);
  dst[len] = 0;
  return 1;
}
static float f32_from_bits(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

static int fail(char *err, size_t errsz, const char *msg, size_t off) {
  if (err && errsz) {
    /* "<msg> at byte <off>" without going through the locale */
    size_t k = 0;
    while (msg[k] && k + 1 < errsz) { err[k] = msg[k]; k++; }
    const char *at = " at byte ";
    for (size_t j = 0; at[j] && k + 1 < errsz; j++) err[k++] = at[j];
    char dig[24];
    int nd = 0;
    do { dig[nd++] = (char)('0' + off % 10); off /= 10; } while (off);
    while (nd && k + 1 < errsz) err[k++] = dig[--nd];
    err[k] = 0;
  }
  return TD_EDATA;
}

static void add_feats(const td_model *m, const uint64_t *f, size_t k, int32_t *acc);

void td_model_free(td_model *m) {
  if (!m) return;
  td_alloc A = m->A;
  xfree(&A, m->index, m->nwords * sizeof *m->index);
  xfree(&A, m->rowmem, m->rowmemsz);
  cl_free(&A, &m->cl);
  xfree(&A, m, sizeof *m);
}

int td_model_load(const td_alloc *A, const uint8_t *bytes, size_t n,
                  td_model **out, char *err, size_t errsz) {
  *out = NULL;
  if (err && errsz) err[0] = 0;
  if (n < 8 + 4 || memcmp(bytes, MAGIC, 8) != 0)
    return fail(err, errsz, "not a tidings model file (bad magic)", 0);
  uint32_t crc = crc32(bytes, n - 4);
  uint32_t stored = (uint32_t)bytes[n - 4] | (uint32_t)bytes[n - 3] << 8 |
                    (uint32_t)bytes[n - 2] << 16 | (uint32_t)bytes[n - 1] << 24;
  reader r = {bytes, n - 4, 8, 0};
  uint32_t version = rd32(&r), featset = rd32(&r), bits = rd32(&r), ntypes = rd32(&r);
  uint32_t nsets = rd32(&r), ncl = rd32(&r), nrows = rd32(&r), scale_bits = rd32(&r);
  if (r.bad) return fail(err, errsz, "truncated model header", r.pos);
  if (version != FILE_VERSION) return fail(err, errsz, "unsupported model file version", 8);
  if (featset != TD_FEATSET && featset != TD_FEATSET_HIST)
    return fail(err, errsz, "model made for another feature set", 12);
  if (bits < 10 || bits > 26) return fail(err, errsz, "bad bucket count", 16);
  if (ntypes < 1 || ntypes > MAX_TYPES) return fail(err, errsz, "bad number of types", 20);
  if (nsets > MAX_CLSETS) return fail(err, errsz, "bad number of cluster sets", 24);
  if (nrows > (1u << bits)) return fail(err, errsz, "bad row count", 32);
  float scale = f32_from_bits(scale_bits);
  if (!(scale > 0.0f && scale < 1e30f)) return fail(err, errsz, "bad weight scale", 36);
  if (crc != stored) return fail(err, errsz, "model checksum mismatch (corrupt or truncated file)", n - 4);

  td_model *m = xalloc(A, sizeof *m);
  if (!m) return TD_ENOMEM;
  memset(m, 0, sizeof *m);
  m->A = *A;
  m->ntypes = (int)ntypes;
  m->L = 1 + 4 * (int)ntypes;
  m->nsets = (int)nsets;
  m->bits = bits;
  m->scale = scale;
  m->checksum = stored;
  m->hist = featset == TD_FEATSET_HIST;
  m->cl.nsets = (int)nsets;
  int L = m->L, L1 = L + 1;
  if (!rdstr(&r, m->name, sizeof m->name)) { td_model_free(m); return fail(err, errsz, "bad model name", r.pos); }
  for (int t = 0; t < m->ntypes; t++)
    if (!rdstr(&r, m->types[t], sizeof m->types[t])) { td_model_free(m); return fail(err, errsz, "bad type name", r.pos); }
  int32_t ti[(MAX_LABELS + 1) * (MAX_LABELS + 1)];
  for (int p = 0; p < L1; p++)
    for (int c = 0; c < L1; c++) {
      ti[p * L1 + c] = (int32_t)rd32(&r);
      m->trans[p * L1 + c] = (double)ti[p * L1 + c] * scale;
    }
  set_allowed(&m->K, L);
  prep_trans(&m->K, L, m->trans, &m->vt);
  prep_vint(&m->K, L, ti, &m->vi);
  m->W = m->vi.W;
#if FAST_X86
  m->avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
#endif
  m->nwords = ((size_t)1 << bits) / 64;
  m->index = xalloc(A, m->nwords * sizeof *m->index);
  if (!m->index) { m->nwords = 0; td_model_free(m); return TD_ENOMEM; }
  uint32_t rank = 0;
  for (size_t w = 0; w < m->nwords; w++) {
    m->index[w].bits = rd64(&r);
    m->index[w].rank = rank;
    m->index[w].pad = 0;
    rank += (uint32_t)popcount64(m->index[w].bits);
  }
  if (r.bad) { td_model_free(m); return fail(err, errsz, "truncated weight index", r.pos); }
  if (rank != nrows) { td_model_free(m); return fail(err, errsz, "weight index does not match the row count", r.pos); }
  size_t rowbytes = mulsz(nrows, (size_t)L * 2);
  const uint8_t *q = rd(&r, rowbytes);
  if (!q) { td_model_free(m); return fail(err, errsz, "truncated weights", r.pos); }
  m->nrows = nrows;
  /* a row of up to 32 lanes gets a cache line of its own: one miss per
   * feature instead of two for the rows that would straddle lines; the
   * weights go to their labels' lanes (see vint) */
  m->rstride = m->W <= 32 ? 32 : (size_t)(m->W + 7) & ~(size_t)7;
  m->rowmemsz = mulsz(mulsz(nrows, m->rstride), sizeof *m->rows);
  if (m->rowmemsz != SIZE_MAX) m->rowmemsz += 64;
  m->rowmem = nrows ? xalloc(A, m->rowmemsz) : NULL;
  if (nrows && !m->rowmem) { m->nrows = 0; td_model_free(m); return TD_ENOMEM; }
  if (nrows) {
    m->rows = (int16_t *)((uint8_t *)m->rowmem + (64 - (uintptr_t)m->rowmem % 64) % 64);
    memset(m->rows, 0, nrows * m->rstride * sizeof *m->rows);
  }
  for (size_t r = 0; r < (size_t)nrows; r++)
    for (size_t l = 0; l < (size_t)L; l++) {
      size_t i = r * (size_t)L + l;
      m->rows[r * m->rstride + m->vi.lane[l]] = (int16_t)(uint16_t)(q[2 * i] | q[2 * i + 1] << 8);
    }
  if (ncl) {
    if (!nsets) { td_model_free(m); return fail(err, errsz, "clusters without cluster sets", r.pos); }
    if (ncl > (r.n - r.pos) / (8 + 4 * nsets)) { td_model_free(m); return fail(err, errsz, "truncated cluster table", r.pos); }
    if (cl_reserve(A, &m->cl, ncl) != TD_OK) { td_model_free(m); return TD_ENOMEM; }
    uint32_t ids[MAX_CLSETS];
    for (uint32_t i = 0; i < ncl; i++) {
      uint64_t key = rd64(&r);
      for (uint32_t j = 0; j < nsets; j++) ids[j] = rd32(&r);
      if (!key) { td_model_free(m); return fail(err, errsz, "bad cluster key", r.pos); }
      cl_put_raw(&m->cl, key, ids);
    }
  }
  if (r.bad) { td_model_free(m); return fail(err, errsz, "truncated model", r.pos); }
  if (r.pos != r.n) { td_model_free(m); return fail(err, errsz, "trailing bytes in model", r.pos); }
  uint64_t f[MAX_FEATS];
  size_t k = word_feats(boundary_info(0), ROLE_M1, m->nsets, f);
  add_feats(m, f, k, m->bvec[ROLE_M1]);
  k = word_feats(boundary_info(0), ROLE_M2, m->nsets, f);
  add_feats(m, f, k, m->bvec[ROLE_M2]);
  k = word_feats(boundary_info(1), ROLE_P1, m->nsets, f);
  add_feats(m, f, k, m->bvec[ROLE_P1]);
  k = word_feats(boundary_info(1), ROLE_P2, m->nsets, f);
  add_feats(m, f, k, m->bvec[ROLE_P2]);
  static const unsigned gzt[3] = {T_GAZ, T_GAZM1, T_GAZP1};
  for (int r = 0; r < 3; r++)
    for (unsigned bit = 0; bit < 32; bit++) {
      f[0] = feat(gzt[r], bit);
      add_feats(m, f, 1, m->gzv[r][bit]);
      for (int l = 0; l < m->W; l++)
        if (m->gzv[r][bit][l]) { m->gzmask[r] |= 1u << bit; break; }
    }
  *out = m;
  return TD_OK;
}

const char *td_model_name(const td_model *m) { return m->name; }
uint32_t td_model_checksum(const td_model *m) { return m->checksum; }
int td_model_nlabels(const td_model *m) { return m->L; }
int td_model_ntypes(const td_model *m) { return m->ntypes; }
const char *td_model_type_name(const td_model *m, int type) {
  return type >= 0 && type < m->ntypes ? m->types[type] : NULL;
}
int td_model_label_type(const td_model *m, int label) {
  return label > 0 && label < m->L ? (label - 1) / 4 : -1;
}
int td_model_label_pos(const td_model *m, int label) {
  return label > 0 && label < m->L ? (label - 1) % 4 + 1 : TD_POS_O;
}

void td_model_scratch_init(td_model_scratch *s, const td_alloc *A) {
  memset(s, 0, sizeof *s);
  s->A = *A;
}
void td_model_scratch_free(td_model_scratch *s) {
  xfree(&s->A, s->buf, s->cap);
  xfree(&s->A, s->docf, s->capdocf);
  xfree(&s->A, s->wtab, s->wbytes);
  s->wtab = NULL;
  s->wcap = s->wbytes = 0;
  s->buf = NULL;
  s->cap = 0;
  s->docf = NULL;
  s->capdocf = 0;
  s->doc = NULL;
}

/* Tagging keeps a cache of word types in the scratch buffer: for each
 * (bytes, kind) the summed word-feature weights of each role, plus what the
 * pair features need, plus (slot NROLES) the summed weights of the features
 * of the token's own document flags, casing and position (T_FIRST, T_DOC,
 * T_DOCSH, T_DOCLOW) for the last such combination seen (vkey): a word
 * mostly comes with the same one.  Direct mapped; a miss recomputes.  The
 * sums are filled in batches (see tag_range): `stamp` is the batch that last
 * used the slot, whose vectors must not change until that batch is done.
 *
 * A slot is its centry followed by its vectors, in whole cache lines (512
 * bytes for the CoNLL model), so that a token touches only its slot's lines.
 * The slot count is the largest power of two up to CACHE_SLOTS_MAX whose
 * slots fit in CACHE_BYTES_MAX: news text of a few MB has tens of thousands
 * of word types, and a miss costs some 30 weight lookups. */
#define CACHE_SLOTS_MAX 32768
#define CACHE_BYTES_MAX ((size_t)16 << 20)
#define NVEC (NROLES + 1)
typedef struct centry {
  uint64_t key, lower, sshape;
  uint32_t vkey, stamp;
} centry;
typedef struct cachehdr {
  const td_model *m;
  uint32_t checksum;
  int L;
  uint32_t batch;      /* the current batch; stamps are never 0 */
  uint32_t pad;
} cachehdr;
#define CACHE_HDR 64   /* the header's room: the slots start on a cache line */

static size_t slot_bytes(int L) {
  return (sizeof(centry) + (size_t)NVEC * (size_t)L * sizeof(int32_t) + 63) & ~(size_t)63;
}
static size_t cache_slots(int L) {
  size_t n = CACHE_SLOTS_MAX;
  while (n > 64 && n * slot_bytes(L) > CACHE_BYTES_MAX) n /= 2;
  return n;
}
static size_t cache_bytes(int L) {
  return CACHE_HDR + cache_slots(L) * slot_bytes(L);
}

/* Carve per-sentence work areas out of the scratch buffer (after the cache
 * when `cache` is set; the cache survives a growth of the buffer).  The
 * areas start at the buffer's first 64-byte boundary. */
typedef struct work {
  tokinfo *ti;
  double *E;
  int32_t *E32, *S, *P;   /* emissions; Viterbi scores and best previous lanes (viterbi_int) */
  int32_t **vp;        /* per token: its cached vectors, and its own-flags vector or NULL */
  cachehdr *hdr;
  uint8_t *slots;      /* nslots slots of sbytes bytes */
  size_t nslots, sbytes;
} work;

static inline uint8_t *align64(void *p) {
  return (uint8_t *)p + (64 - (uintptr_t)p % 64) % 64;
}
static inline centry *slot_entry(const work *w, size_t slot) {
  return (centry *)(w->slots + slot * w->sbytes);
}
static inline int32_t *slot_vecs(const work *w, size_t slot) {
  return (int32_t *)(w->slots + slot * w->sbytes + sizeof(centry));
}

static int get_work(td_model_scratch *s, size_t n, int L, int cache, work *w) {
  size_t h = cache ? cache_bytes(L) : 0;
  size_t a = mulsz(n, sizeof(tokinfo));
  size_t b = mulsz(mulsz(n, (size_t)L), sizeof(double));
  size_t vb = cache ? mulsz(n, 2 * sizeof(int32_t *)) : 0;
  size_t e = mulsz(mulsz(n, (size_t)L), sizeof(int32_t));
  if (a == SIZE_MAX || b == SIZE_MAX || e == SIZE_MAX || vb == SIZE_MAX ||
      a + b > SIZE_MAX / 4 || e > SIZE_MAX / 8 || vb > SIZE_MAX / 4)
    return TD_ENOMEM;
  size_t need = 64 + h + a + b + vb + 3 * e;
  if (need > s->cap) {
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    void *p = s->A.f(s->A.ud, NULL, 0, cap);
    if (!p) return TD_ENOMEM;
    if (cache && s->cap >= 64 + h) memcpy(align64(p), align64(s->buf), h);
    else if (cache) memset(align64(p), 0, sizeof(cachehdr));
    xfree(&s->A, s->buf, s->cap);
    s->buf = p;
    s->cap = cap;
  }
  uint8_t *p = align64(s->buf);
  /* every part is a multiple of 8 bytes except E32, S and P, which come last */
  w->hdr = (cachehdr *)p;
  w->slots = p + CACHE_HDR;
  w->nslots = cache ? cache_slots(L) : 0;
  w->sbytes = slot_bytes(L);
  p += h;
  w->ti = (tokinfo *)p;
  w->E = (double *)(p + a);
  w->vp = (int32_t **)(p + a + b);
  w->E32 = (int32_t *)(p + a + b + vb);
  w->S = w->E32 + n * (size_t)L;
  w->P = w->S + n * (size_t)L;
  return TD_OK;
}

/* acc[0..L) += the weights of features f[0..k).  Three passes so that the
 * memory loads of all features are in flight together. */
/* acc[0..L) += w[0..L): weights are small integers, so the order of the
 * additions does not matter and SSE2 may do eight at a time. */
static inline void add_row(int32_t *acc, const int16_t *w, int L) {
  int l = 0;
#if defined(__SSE2__)
  for (; l + 8 <= L; l += 8) {
    __m128i x = _mm_loadu_si128((const __m128i *)(w + l));
    __m128i sign = _mm_srai_epi16(x, 15);
    __m128i *a = (__m128i *)(acc + l);
    _mm_storeu_si128(a, _mm_add_epi32(_mm_loadu_si128(a), _mm_unpacklo_epi16(x, sign)));
    _mm_storeu_si128(a + 1, _mm_add_epi32(_mm_loadu_si128(a + 1), _mm_unpackhi_epi16(x, sign)));
  }
  if (l + 4 <= L) {
    __m128i x = _mm_loadl_epi64((const __m128i *)(w + l));
    __m128i *a = (__m128i *)(acc + l);
    _mm_storeu_si128(a, _mm_add_epi32(_mm_loadu_si128(a), _mm_unpacklo_epi16(x, _mm_srai_epi16(x, 15))));
    l += 4;
  }
#endif
  for (; l < L; l++) acc[l] += w[l];
}

static void add_feats(const td_model *m, const uint64_t *f, size_t k, int32_t *acc) {
  unsigned shift = 64 - m->bits;
  int L = m->W;
  const int16_t *rows[MAX_FEATS];
  size_t nr = 0;
  for (size_t j = 0; j < k; j++)
    __builtin_prefetch(m->index + ((size_t)(f[j] >> shift) >> 6));
  for (size_t j = 0; j < k; j++) {
    size_t b = (size_t)(f[j] >> shift);
    const struct bucketword *bw = m->index + (b >> 6);
    uint64_t bit = (uint64_t)1 << (b & 63);
    if (!(bw->bits & bit)) continue;
    size_t row = bw->rank + popcount64(bw->bits & (bit - 1));
    rows[nr] = m->rows + row * m->rstride;
    __builtin_prefetch(rows[nr]);
    __builtin_prefetch(rows[nr] + L - 1);
    nr++;
  }
  for (size_t j = 0; j < nr; j++) add_row(acc, rows[j], L);
}

static inline void vadd(int32_t *dst, const int32_t *src, int L) {
  int l = 0;
#if defined(__SSE2__)
  for (; l + 4 <= L; l += 4) {
    __m128i *d = (__m128i *)(dst + l);
    _mm_storeu_si128(d, _mm_add_epi32(_mm_loadu_si128(d), _mm_loadu_si128((const __m128i *)(src + l))));
  }
#endif
  for (; l < L; l++) dst[l] += src[l];
}

/* The features of token i that join it to its neighbours (pair_feats less
 * the token's own flags, which the word cache keeps, and the gazetteer bits,
 * whose weights the model keeps summed per bit). */
static size_t context_feats(const tokinfo *ti, size_t n, size_t i, uint64_t *f) {
  const tokinfo *w = ti + i;
  const tokinfo *m1 = i >= 1 ? w - 1 : boundary_info(0);
  const tokinfo *p1 = i + 1 < n ? w + 1 : boundary_info(1);
  f[0] = feat(T_BIM, m1->lower * 31 + w->lower);
  f[1] = feat(T_BIP, w->lower * 31 + p1->lower);
  f[2] = feat(T_SHAPE3, (m1->sshape * 31 + w->sshape) * 31 + p1->sshape);
  f[3] = feat(T_LOWSH, m1->lower * 31 + w->sshape);
  return 4;
}

/* The features of a token's own flags and position, as pair_feats has them. */
static size_t own_feats(const tokinfo *w, int first, uint64_t *f) {
  size_t k = 0;
  f[k++] = feat(T_FIRST, (uint64_t)(first != 0) * 7 + w->sshape);
  f[k++] = feat(T_DOC, (uint64_t)w->docf * 8 + w->tflags);
  f[k++] = feat(T_DOCSH, ((uint64_t)w->docf * 8 + w->tflags) * 31 + w->sshape);
  if (w->docf & (DF_LOWER | DF_CAPMID)) f[k++] = feat(T_DOCLOW, (uint64_t)w->docf * 31 + w->lower);
  return k;
}

/* A batch of weight lookups: feature f[j] adds its row of weights to the
 * vector dst[j].  fb_run works through a batch as a pipeline, so that many
 * lookups are in flight at once: the bucket index of feature j is fetched
 * while the row of feature j - D is found and fetched and a row found D
 * rows earlier is added.  The weights are small integers: the order of the
 * additions does not change the sums. */
#define FB_MAX 1024
typedef struct fbatch {
  size_t k;
  uint64_t f[FB_MAX];
  int32_t *dst[FB_MAX];
} fbatch;

#define FB_RUN(NAME, ATTR, POPCOUNT, ADD_ROW)                                                 \
  static ATTR inline __attribute__((always_inline)) void NAME##_body(const td_model *m, fbatch *b, \
                                                                    const int L) {             \
    enum { D = 16, R = 32 };   /* prefetch distance; ring of found rows (a power of two > D) */ \
    unsigned shift = 64 - m->bits;                                                             \
    const int16_t *ring[R];                                                                    \
    int32_t *rdst[R];                                                                          \
    size_t nfound = 0, nadded = 0, k = b->k;                                                   \
    for (size_t j = 0; j < k + D; j++) {                                                       \
      if (j < k) __builtin_prefetch(m->index + ((size_t)(b->f[j] >> shift) >> 6));            \
      if (j < D) continue;                                                                     \
      size_t bk = (size_t)(b->f[j - D] >> shift);                                              \
      const struct bucketword *bw = m->index + (bk >> 6);                                      \
      uint64_t bit = (uint64_t)1 << (bk & 63);                                                 \
      if (!(bw->bits & bit)) continue;                                                         \
      const int16_t *row = m->rows + (bw->rank + POPCOUNT(bw->bits & (bit - 1))) * m->rstride; \
      __builtin_prefetch(row);                                                                 \
      if (L > 32) __builtin_prefetch(row + L - 1);   /* up to 32 lanes: one aligned line */   \
      ring[nfound & (R - 1)] = row;                                                            \
      rdst[nfound & (R - 1)] = b->dst[j - D];                                                  \
      nfound++;                                                                                \
      if (nfound - nadded > D) {                                                               \
        ADD_ROW(rdst[nadded & (R - 1)], ring[nadded & (R - 1)], L);                            \
        nadded++;                                                                              \
      }                                                                                        \
    }                                                                                          \
    for (; nadded < nfound; nadded++) ADD_ROW(rdst[nadded & (R - 1)], ring[nadded & (R - 1)], L); \
    b->k = 0;                                                                                  \
  }                                                                                            \
  /* the four-type models' 20 lanes as a constant: the row adds unrolled */                    \
  static ATTR void NAME(const td_model *m, fbatch *b) {                                        \
    if (m->W == 20) NAME##_body(m, b, 20);                                                     \
    else NAME##_body(m, b, m->W);                                                              \
  }

FB_RUN(fb_run_plain, , popcount64, add_row)
#if FAST_X86
/* the same with the popcnt instruction and eight lanes at a time (the sums
 * do not depend on how they are added) */
static inline __attribute__((target("popcnt,avx2"))) unsigned popcount_hw(uint64_t x) {
  return (unsigned)__builtin_popcountll(x);
}
static inline __attribute__((target("popcnt,avx2"))) void add_row_avx2(int32_t *acc, const int16_t *w, int L) {
  int l = 0;
  for (; l + 8 <= L; l += 8) {
    __m256i *a = (__m256i *)(acc + l);
    __m256i x = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(w + l)));
    _mm256_storeu_si256(a, _mm256_add_epi32(_mm256_loadu_si256(a), x));
  }
  if (l + 4 <= L) {
    __m128i *a = (__m128i *)(acc + l);
    _mm_storeu_si128(a, _mm_add_epi32(_mm_loadu_si128(a), _mm_cvtepi16_epi32(_mm_loadl_epi64((const __m128i *)(w + l)))));
    l += 4;
  }
  for (; l < L; l++) acc[l] += w[l];
}
FB_RUN(fb_run_avx2, __attribute__((target("popcnt,avx2"))), popcount_hw, add_row_avx2)
#endif

static void fb_run(const td_model *m, fbatch *b) {
#if FAST_X86
  if (m->avx2) { fb_run_avx2(m, b); return; }
#endif
  fb_run_plain(m, b);
}

/* Queue features for the vector dst: the caller writes them in place at
 * fb_at(b) (room for 2 x MAX_FEATS: see tag_range), then fb_put(b, k, dst)
 * queues the k it wrote. */
static inline uint64_t *fb_at(fbatch *b) { return b->f + b->k; }
static inline void fb_put(fbatch *b, size_t k, int32_t *dst) {
  for (size_t j = 0; j < k; j++) b->dst[b->k + j] = dst;
  b->k += k;
}

/* A new batch number for the word cache's stamps (0 is never one). */
static void next_batch(work *w) {
  if (++w->hdr->batch == 0) {
    for (size_t i = 0; i < w->nslots; i++) slot_entry(w, i)->stamp = 0;
    w->hdr->batch = 1;
  }
}

/* Add the cached vectors of tokens [a,b) of a sentence of n tokens to the
 * emissions: a token's own vectors to itself, its neighbour roles to the
 * tokens it is a neighbour of. */
static void apply_words(const work *w, int32_t *E, size_t a, size_t b, size_t n, int L) {
  for (size_t j = a; j < b; j++) {
    const int32_t *v = w->vp[2 * j], *own = w->vp[2 * j + 1];
    vadd(E + j * (size_t)L, v, L);
    if (own) vadd(E + j * (size_t)L, own, L);
    if (j + 1 < n) vadd(E + (j + 1) * (size_t)L, v + ROLE_M1 * L, L);
    if (j >= 1) vadd(E + (j - 1) * (size_t)L, v + ROLE_P1 * L, L);
    if (j + 2 < n) vadd(E + (j + 2) * (size_t)L, v + ROLE_M2 * L, L);
    if (j >= 2) vadd(E + (j - 2) * (size_t)L, v + ROLE_P2 * L, L);
  }
}

/* The OR of every |e| or |e| - 1 of the emissions E[0..nl) (tag_path's
 * bound). */
static uint32_t emis_bits(const int32_t *E, size_t nl) {
  size_t k = 0;
  uint32_t any = 0;
#if defined(__SSE2__)
  __m128i acc = _mm_setzero_si128();
  for (; k + 4 <= nl; k += 4) {
    __m128i x = _mm_loadu_si128((const __m128i *)(E + k));
    acc = _mm_or_si128(acc, _mm_xor_si128(x, _mm_srai_epi32(x, 31)));
  }
  acc = _mm_or_si128(acc, _mm_shuffle_epi32(acc, _MM_SHUFFLE(1, 0, 3, 2)));
  acc = _mm_or_si128(acc, _mm_shuffle_epi32(acc, _MM_SHUFFLE(2, 3, 0, 1)));
  any = (uint32_t)_mm_cvtsi128_si32(acc);
#endif
  for (; k < nl; k++) any |= (uint32_t)E[k] ^ (uint32_t)-(E[k] < 0);
  return any;
}

/* Decode a sentence's emissions E[n*W] (kept, in lanes) into labels:
 * viterbi_int when no path score can reach VBOUND (then it finds viterbi's
 * path), else viterbi over their doubles.  The bound: n emissions of at most
 * |e| <= m (m: `any`, emis_bits of E, plus one) and n + 1 transitions. */
static void tag_path(const td_model *m, const work *w, size_t n, const int32_t *E, uint32_t any,
                     uint16_t *labels) {
  int W = m->W, L = m->L;
  if ((double)n * ((double)any + 1) + (double)(n + 1) * (double)m->vi.tmax < (double)VBOUND) {
    viterbi_int(&m->vi, n, E, w->S, w->P, labels);
    return;
  }
  for (size_t i = 0; i < n; i++)
    for (int c = 0; c < W; c++)
      if (m->vi.perm[c] != NOLABEL) w->E[i * (size_t)L + m->vi.perm[c]] = E[i * (size_t)W + c] * m->scale;
  viterbi(L, n, w->E, &m->vt, &m->K, labels);
}

/* The last step of a sentence's emissions, row by row: row i gets the
 * cached vectors of the tokens [done, n) next to it (its own and its own
 * flags', the M1/M2 roles of the tokens before it, the P1/P2 roles of those
 * after it; apply_words added those of the tokens before `done`), the
 * sentence boundaries' and the gazetteer bits' vectors, all summed in
 * registers and stored once.  Returns emis_bits of the rows.  Versions:
 * AVX2, SSE2, plain (the same integer sums). */
#define MAX_SRC (2 + 4 + 4 + 3 * 32)
static inline __attribute__((always_inline)) int row_sources(const td_model *m, const work *w, size_t done,
                                                             size_t n, size_t i, const int32_t **src) {
  int W = m->W, ns = 0;
  if (i >= done) {
    src[ns++] = w->vp[2 * i];
    if (w->vp[2 * i + 1]) src[ns++] = w->vp[2 * i + 1];
  }
  if (i >= 1 && i - 1 >= done) src[ns++] = w->vp[2 * (i - 1)] + ROLE_M1 * W;
  if (i + 1 < n && i + 1 >= done) src[ns++] = w->vp[2 * (i + 1)] + ROLE_P1 * W;
  if (i >= 2 && i - 2 >= done) src[ns++] = w->vp[2 * (i - 2)] + ROLE_M2 * W;
  if (i + 2 < n && i + 2 >= done) src[ns++] = w->vp[2 * (i + 2)] + ROLE_P2 * W;
  if (i < 1) src[ns++] = m->bvec[ROLE_M1];
  if (i < 2) src[ns++] = m->bvec[ROLE_M2];
  if (i + 1 >= n) src[ns++] = m->bvec[ROLE_P1];
  if (i + 2 >= n) src[ns++] = m->bvec[ROLE_P2];
  for (uint32_t g = w->ti[i].gaz & m->gzmask[0]; g; g &= g - 1) src[ns++] = m->gzv[0][__builtin_ctz(g)];
  if (i >= 1)
    for (uint32_t g = w->ti[i - 1].gaz & m->gzmask[1]; g; g &= g - 1) src[ns++] = m->gzv[1][__builtin_ctz(g)];
  if (i + 1 < n)
    for (uint32_t g = w->ti[i + 1].gaz & m->gzmask[2]; g; g &= g - 1) src[ns++] = m->gzv[2][__builtin_ctz(g)];
  return ns;
}

#define EMIT_ROWS(NAME, ATTR, SUM_ROW)                                                          \
  static ATTR inline __attribute__((always_inline)) uint32_t NAME##_body(                      \
      const td_model *m, const work *w, int32_t *E, size_t done, size_t n, const int W) {      \
    uint32_t any = 0;                                                                           \
    const int32_t *src[MAX_SRC];                                                                \
    for (size_t i = 0; i < n; i++)                                                              \
      any |= SUM_ROW(E + i * (size_t)W, src, row_sources(m, w, done, n, i, src), W);            \
    return any;                                                                                 \
  }                                                                                             \
  /* the four-type models' 20 lanes as a constant */                                           \
  static ATTR uint32_t NAME(const td_model *m, const work *w, int32_t *E, size_t done, size_t n) { \
    return m->W == 20 ? NAME##_body(m, w, E, done, n, 20) : NAME##_body(m, w, E, done, n, m->W); \
  }

#if defined(__SSE2__)
static inline __attribute__((always_inline)) uint32_t sum_row_sse2(int32_t *e, const int32_t *const *src, int ns, int W) {
  __m128i acc = _mm_setzero_si128();
  for (int l = 0; l < W; l += 4) {   /* W is a multiple of 4 */
    __m128i x = _mm_loadu_si128((const __m128i *)(e + l));
    for (int k = 0; k < ns; k++) x = _mm_add_epi32(x, _mm_loadu_si128((const __m128i *)(src[k] + l)));
    _mm_storeu_si128((__m128i *)(e + l), x);
    acc = _mm_or_si128(acc, _mm_xor_si128(x, _mm_srai_epi32(x, 31)));
  }
  acc = _mm_or_si128(acc, _mm_shuffle_epi32(acc, _MM_SHUFFLE(1, 0, 3, 2)));
  acc = _mm_or_si128(acc, _mm_shuffle_epi32(acc, _MM_SHUFFLE(2, 3, 0, 1)));
  return (uint32_t)_mm_cvtsi128_si32(acc);
}
EMIT_ROWS(emit_rows_sse2, , sum_row_sse2)
#else
static inline __attribute__((always_inline)) uint32_t sum_row_plain(int32_t *e, const int32_t *const *src, int ns, int W) {
  uint32_t any = 0;
  for (int l = 0; l < W; l++) {
    int32_t x = e[l];
    for (int k = 0; k < ns; k++) x += src[k][l];
    e[l] = x;
    any |= (uint32_t)x ^ (uint32_t)-(x < 0);
  }
  return any;
}
EMIT_ROWS(emit_rows_plain, , sum_row_plain)
#endif
#if FAST_X86
static inline __attribute__((target("popcnt,avx2"), always_inline)) uint32_t sum_row_avx2(int32_t *e, const int32_t *const *src,
                                                                          int ns, int W) {
  __m256i acc = _mm256_setzero_si256();
  int l = 0;
  if (W == 20) {   /* one walk over the sources, three sums in registers */
    __m256i x0 = _mm256_loadu_si256((const __m256i *)e), x1 = _mm256_loadu_si256((const __m256i *)(e + 8));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(e + 16));
    for (int k = 0; k < ns; k++) {
      x0 = _mm256_add_epi32(x0, _mm256_loadu_si256((const __m256i *)src[k]));
      x1 = _mm256_add_epi32(x1, _mm256_loadu_si256((const __m256i *)(src[k] + 8)));
      x2 = _mm_add_epi32(x2, _mm_loadu_si128((const __m128i *)(src[k] + 16)));
    }
    _mm256_storeu_si256((__m256i *)e, x0);
    _mm256_storeu_si256((__m256i *)(e + 8), x1);
    _mm_storeu_si128((__m128i *)(e + 16), x2);
    acc = _mm256_or_si256(_mm256_xor_si256(x0, _mm256_srai_epi32(x0, 31)), _mm256_xor_si256(x1, _mm256_srai_epi32(x1, 31)));
    __m128i a4 = _mm_or_si128(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    a4 = _mm_or_si128(a4, _mm_xor_si128(x2, _mm_srai_epi32(x2, 31)));
    a4 = _mm_or_si128(a4, _mm_shuffle_epi32(a4, _MM_SHUFFLE(1, 0, 3, 2)));
    a4 = _mm_or_si128(a4, _mm_shuffle_epi32(a4, _MM_SHUFFLE(2, 3, 0, 1)));
    return (uint32_t)_mm_cvtsi128_si32(a4);
  }
  for (; l + 8 <= W; l += 8) {
    __m256i x = _mm256_loadu_si256((const __m256i *)(e + l));
    for (int k = 0; k < ns; k++) x = _mm256_add_epi32(x, _mm256_loadu_si256((const __m256i *)(src[k] + l)));
    _mm256_storeu_si256((__m256i *)(e + l), x);
    acc = _mm256_or_si256(acc, _mm256_xor_si256(x, _mm256_srai_epi32(x, 31)));
  }
  __m128i a4 = _mm_or_si128(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  if (l < W) {   /* four lanes left */
    __m128i x = _mm_loadu_si128((const __m128i *)(e + l));
    for (int k = 0; k < ns; k++) x = _mm_add_epi32(x, _mm_loadu_si128((const __m128i *)(src[k] + l)));
    _mm_storeu_si128((__m128i *)(e + l), x);
    a4 = _mm_or_si128(a4, _mm_xor_si128(x, _mm_srai_epi32(x, 31)));
  }
  a4 = _mm_or_si128(a4, _mm_shuffle_epi32(a4, _MM_SHUFFLE(1, 0, 3, 2)));
  a4 = _mm_or_si128(a4, _mm_shuffle_epi32(a4, _MM_SHUFFLE(2, 3, 0, 1)));
  return (uint32_t)_mm_cvtsi128_si32(a4);
}
EMIT_ROWS(emit_rows_avx2, __attribute__((target("popcnt,avx2"))), sum_row_avx2)
#endif

static uint32_t emit_rows(const td_model *m, const work *w, int32_t *E, size_t done, size_t n) {
#if FAST_X86
  if (m->avx2) return emit_rows_avx2(m, w, E, done, n);
#endif
#if defined(__SSE2__)
  return emit_rows_sse2(m, w, E, done, n);
#else
  return emit_rows_plain(m, w, E, done, n);
#endif
}

/* Tag [first,last) with the document flags already in the scratch (the
 * first pass: no prediction history).  The emissions are the same integer
 * sums as those of token_feats' features, gathered from the word cache.
 * The lookups of a run of tokens (the words the cache misses, the context
 * features) go out in one batch; the batch ends early when a token needs a
 * cache slot that a token of the batch uses with other contents. */
static int tag_range(const td_model *m, td_model_scratch *s, const td_doc *d,
                     size_t first, size_t last, const uint32_t *gaz,
                     int32_t *estore, uint16_t *labels) {
  if (last <= first) return TD_OK;
  size_t n = last - first;
  int L = m->W;   /* (here and below: the width of a label vector) */
  work w;
  if (get_work(s, n, L, 1, &w) != TD_OK) return TD_ENOMEM;
  if (w.hdr->m != m || w.hdr->checksum != m->checksum || w.hdr->L != L) {
    for (size_t i = 0; i < w.nslots; i++) memset(slot_entry(&w, i), 0, sizeof(centry));
    w.hdr->m = m;
    w.hdr->checksum = m->checksum;
    w.hdr->L = L;
    w.hdr->batch = 0;
  }
  /* the slots' first lines (their keys) first, so that they are on their
   * way in; the rest of a slot is asked for when its token comes up (read
   * by emit_rows at the end): a whole sentence's slots at once were more
   * prefetches than the memory system takes in flight, and they stalled */
  const uint64_t *tkey = docf_tkey(s) + first;
  for (size_t j = 0; j < n; j++) __builtin_prefetch(slot_entry(&w, (size_t)tkey[j] & (w.nslots - 1)));
  fbatch fb;
  fb.k = 0;
  int32_t *E = estore ? estore + first * (size_t)L : w.E32;   /* kept for the second pass */
  memset(E, 0, n * (size_t)L * sizeof *E);
  next_batch(&w);
  size_t done = 0;   /* tokens [0,done) have their cached vectors added */
  for (size_t j = 0; j < n; j++) {
    const td_token *t = d->tok + first + j;
    uint64_t key = tkey[j];
    size_t slot = (size_t)key & (w.nslots - 1);
    centry *ce = slot_entry(&w, slot);
    int32_t *v = slot_vecs(&w, slot);
    int32_t *own = v + (size_t)NROLES * (size_t)L;
    for (size_t o = 64; o < w.sbytes; o += 64) __builtin_prefetch((const uint8_t *)ce + o);
    tokinfo *ti = w.ti + j;
    uint8_t docf = s->docf[first + j], tflags = tok_tflags(t);
    uint32_t vkey = 0x80000000u | (uint32_t)(j == 0) << 16 | (uint32_t)docf << 8 | tflags;
    int miss = ce->key != key;
    if ((miss || ce->vkey != vkey) && ce->stamp == w.hdr->batch) {
      fb_run(m, &fb);   /* the slot's vectors are still to be used as they are */
      apply_words(&w, E, done, j, n, L);
      done = j;
      next_batch(&w);
    }
    if (fb.k + 2 * MAX_FEATS > FB_MAX) fb_run(m, &fb);
    if (miss) {
      token_info((const uint8_t *)d->text + t->start, t->end - t->start, t->kind, &m->cl, ti);
      memset(v, 0, (size_t)NROLES * (size_t)L * sizeof *v);
      for (int r = 0; r < NROLES; r++)
        fb_put(&fb, word_feats(ti, r, m->nsets, fb_at(&fb)), v + (size_t)r * (size_t)L);
      ce->key = key;
      ce->lower = ti->lower;
      ce->sshape = ti->sshape;
      ce->vkey = 0;
    } else {
      ti->lower = ce->lower;
      ti->sshape = ce->sshape;
    }
    ti->gaz = gaz ? gaz[first + j] : 0;
    ti->docf = docf;
    ti->tflags = tflags;
    if (ce->vkey != vkey) {
      memset(own, 0, (size_t)L * sizeof *own);
      fb_put(&fb, own_feats(ti, j == 0, fb_at(&fb)), own);
      ce->vkey = vkey;
    }
    ce->stamp = w.hdr->batch;
    w.vp[2 * j] = v;
    w.vp[2 * j + 1] = own;
    if (j >= 1) fb_put(&fb, context_feats(w.ti, n, j - 1, fb_at(&fb)), E + (j - 1) * (size_t)L);
  }
  fb_put(&fb, context_feats(w.ti, n, n - 1, fb_at(&fb)), E + (n - 1) * (size_t)L);
  fb_run(m, &fb);
  uint32_t any = emit_rows(m, &w, E, done, n);
  tag_path(m, &w, n, E, any, labels);
  return TD_OK;
}

int td_model_tag(const td_model *m, td_model_scratch *s, const td_doc *d,
                 size_t first, size_t last, const uint32_t *gaz,
                 uint16_t *labels) {
  if (last <= first) return TD_OK;
  if (ensure_docf(s, d, first) != TD_OK) return TD_ENOMEM;
  return tag_range(m, s, d, first, last, gaz, NULL, labels);
}

/* ---- prediction history ------------------------------------------------------ */

/* How the other mentions of a capitalised word in the same document were
 * tagged (Ratinov & Roth 2009's "prediction history", one pass back): bit t
 * for type t, HIST_O for a capitalised mention left outside any entity.
 * The mention's own label does not count. */
#define HIST_O 0x8000u


static void compute_hist(const td_model_scratch *s, const td_doc *d, int ntypes,
                         const uint16_t *labels, uint16_t *hist) {
  size_t n = d->ntok;
  uint8_t *cnt = wt_cnt(s);
  const uint32_t *slot = docf_slot(s);   /* the hist words' entries, from compute_docf */
  int nslot = ntypes + 1 < HIST_SLOTS ? ntypes + 1 : HIST_SLOTS;   /* slot ntypes: O */
  for (size_t i = 0; i < n; i++)
    if (slot[i] != UINT32_MAX) memset(cnt + (size_t)slot[i] * HIST_SLOTS, 0, HIST_SLOTS);
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < n; i++) {
      if (pass == 1) hist[i] = 0;
      if (slot[i] == UINT32_MAX) continue;   /* not a word, or not hist_word */
      int l = labels[i], ty = l > 0 ? (l - 1) / 4 : ntypes;
      if (ty >= nslot) ty = nslot - 1;
      uint8_t *c = cnt + (size_t)slot[i] * HIST_SLOTS;
      if (pass == 0) {
        if (c[ty] < 255) c[ty]++;
      } else {
        uint16_t h = 0;
        for (int k = 0; k < nslot; k++) {
          int others = c[k] - (k == ty);
          if (others > 0) h |= k == ntypes ? (uint16_t)HIST_O : (uint16_t)(1u << k);
        }
        hist[i] = h;
      }
    }
  }
}

int td_model_history(const td_model *m, td_model_scratch *s, const td_doc *d,
                     const uint16_t *labels, uint16_t *hist) {
  if (ensure_docf(s, d, 0) != TD_OK) return TD_ENOMEM;
  compute_hist(s, d, m->ntypes, labels, hist);
  return TD_OK;
}

int td_model_has_history(const td_model *m) { return m->hist; }

/* Does the history of a sentence say something its first-pass labels do not?
 * (A capitalised word tagged otherwise, or left out, elsewhere.)  Only such
 * sentences are tagged again. */
static int hist_news(const uint16_t *hist, const uint16_t *labels, size_t a, size_t b) {
  for (size_t i = a; i < b; i++) {
    uint16_t h = hist[i];
    if (!h) continue;
    int l = labels[i];
    uint16_t own = l > 0 ? (uint16_t)(1u << ((l - 1) / 4)) : (uint16_t)HIST_O;
    if (h & ~own) return 1;
  }
  return 0;
}

/* The second pass over [a,b): the first pass's emissions plus the history
 * features (the only ones that differ), decoded again.  The emissions are
 * changed in place: a sentence is tagged again once at most. */
static int retag_range(const td_model *m, td_model_scratch *s, const td_doc *d,
                       size_t a, size_t b, const uint16_t *hist, int32_t *estore,
                       uint16_t *labels) {
  size_t n = b - a;
  int L = m->W;
  work w;
  if (get_work(s, n, L, 1, &w) != TD_OK) return TD_ENOMEM;
  fbatch fb;
  fb.k = 0;
  int32_t *E = estore + a * (size_t)L;
  for (size_t i = 0; i < n; i++) {
    uint16_t h = hist[a + i];
    if (!h) continue;
    if (fb.k + 2 > FB_MAX) fb_run(m, &fb);
    uint64_t *f = fb_at(&fb);
    f[0] = feat(T_HIST, h);
    f[1] = feat(T_HISTSH, (uint64_t)h * 8 + tok_tflags(d->tok + a + i));
    fb_put(&fb, 2, E + i * (size_t)L);
  }
  fb_run(m, &fb);
  tag_path(m, &w, n, E, emis_bits(E, n * (size_t)L), labels + a);
  return TD_OK;
}

int td_model_tag_doc(const td_model *m, td_model_scratch *s, const td_doc *d,
                     const uint32_t *gaz, uint16_t *labels) {
  size_t nsent = d->nsent ? d->nsent : 1;
  if (d->ntok == 0) return TD_OK;
  if (compute_docf_l(s, d, m->hist ? m->W : 0) != TD_OK) return TD_ENOMEM;
  int32_t *estore = m->hist ? docf_emis(s) : NULL;
  for (size_t si = 0; si < nsent; si++) {
    size_t a = d->nsent ? d->sent[si].first : 0, b = d->nsent ? d->sent[si].last : d->ntok;
    if (tag_range(m, s, d, a, b, gaz, estore, labels + a) != TD_OK) return TD_ENOMEM;
  }
  if (!m->hist) return TD_OK;
  uint16_t *hist = docf_hist(s);
  compute_hist(s, d, m->ntypes, labels, hist);
  for (size_t si = 0; si < nsent; si++) {
    size_t a = d->nsent ? d->sent[si].first : 0, b = d->nsent ? d->sent[si].last : d->ntok;
    if (b <= a || !hist_news(hist, labels, a, b)) continue;
    if (retag_range(m, s, d, a, b, hist, estore, labels) != TD_OK) return TD_ENOMEM;
  }
  return TD_OK;
}

/* ---- training -------------------------------------------------------------- */

struct td_trainer {
  td_alloc A;
  char name[256];
  char types[MAX_TYPES][32];
  int ntypes, L, nsets;
  int hist;            /* sentences came with a prediction history */
  unsigned bits;
  uint64_t seed, rng;
  cltab cl;
  int32_t *w;          /* current weights, nb * L */
  int64_t *u;          /* sum of c * update, for averaging */
  int32_t tw[(MAX_LABELS + 1) * (MAX_LABELS + 1)];
  int64_t tu[(MAX_LABELS + 1) * (MAX_LABELS + 1)];
  constraints K;
  vtrans vt;
  int64_t c;           /* instances seen (for averaging) */
  uint32_t *feats; size_t nfeats, capfeats;      /* bucket ids */
  uint32_t *ftok; size_t ntok, capftok;          /* token -> first feature (ntok+1) */
  uint16_t *gold; size_t capgold;
  uint32_t *sent; size_t nsent, capsent;         /* sentence -> first token (nsent+1) */
  uint32_t *order; size_t caporder;
  td_model_scratch scratch;
  uint16_t *pred; size_t cappred;
};

static uint64_t rng_next(uint64_t *s) {  /* splitmix64 */
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void td_trainer_free(td_trainer *t) {
  if (!t) return;
  td_alloc A = t->A;
  size_t nw = ((size_t)1 << t->bits) * (size_t)t->L;
  xfree(&A, t->w, nw * sizeof *t->w);
  xfree(&A, t->u, nw * sizeof *t->u);
  cl_free(&A, &t->cl);
  xfree(&A, t->feats, t->capfeats * sizeof *t->feats);
  xfree(&A, t->ftok, t->capftok * sizeof *t->ftok);
  xfree(&A, t->gold, t->capgold * sizeof *t->gold);
  xfree(&A, t->sent, t->capsent * sizeof *t->sent);
  xfree(&A, t->order, t->caporder * sizeof *t->order);
  xfree(&A, t->pred, t->cappred * sizeof *t->pred);
  td_model_scratch_free(&t->scratch);
  xfree(&A, t, sizeof *t);
}

static int errmsg(char *err, size_t errsz, const char *msg) {
  if (err && errsz) {
    size_t k = 0;
    while (msg[k] && k + 1 < errsz) { err[k] = msg[k]; k++; }
    err[k] = 0;
  }
  return TD_EDATA;
}

int td_trainer_new(const td_alloc *A, const td_train_opts *o, td_trainer **out,
                   char *err, size_t errsz) {
  *out = NULL;
  if (o->ntypes < 1 || o->ntypes > MAX_TYPES) return errmsg(err, errsz, "ntypes must be 1..15");
  if (o->bits < 16 || o->bits > 24) return errmsg(err, errsz, "bits must be 16..24");
  if (o->nclsets < 0 || o->nclsets > MAX_CLSETS) return errmsg(err, errsz, "nclsets must be 0..4");
  if (!o->name || !o->name[0] || strlen(o->name) > 255) return errmsg(err, errsz, "name must be 1..255 bytes");
  for (int i = 0; i < o->ntypes; i++) {
    size_t len = o->type_names[i] ? strlen(o->type_names[i]) : 0;
    if (len < 1 || len > 31) return errmsg(err, errsz, "type names must be 1..31 bytes");
  }
  td_trainer *t = xalloc(A, sizeof *t);
  if (!t) return TD_ENOMEM;
  memset(t, 0, sizeof *t);
  t->A = *A;
  strcpy(t->name, o->name);
  for (int i = 0; i < o->ntypes; i++) strcpy(t->types[i], o->type_names[i]);
  t->ntypes = o->ntypes;
  t->L = 1 + 4 * o->ntypes;
  t->nsets = o->nclsets;
  t->cl.nsets = o->nclsets;
  t->bits = o->bits;
  t->seed = t->rng = o->seed;
  td_model_scratch_init(&t->scratch, A);
  set_allowed(&t->K, t->L);
  size_t nw = ((size_t)1 << t->bits) * (size_t)t->L;
  t->w = xalloc(A, nw * sizeof *t->w);
  t->u = xalloc(A, nw * sizeof *t->u);
  if (!t->w || !t->u) {
    xfree(A, t->w, nw * sizeof *t->w);
    xfree(A, t->u, nw * sizeof *t->u);
    t->w = NULL; t->u = NULL; t->bits = 0;
    td_trainer_free(t);
    return TD_ENOMEM;
  }
  memset(t->w, 0, nw * sizeof *t->w);
  memset(t->u, 0, nw * sizeof *t->u);
  *out = t;
  return TD_OK;
}

int td_trainer_cluster(td_trainer *t, const uint8_t *word, size_t len,
                       const uint32_t *ids) {
  if (!t->nsets || t->ntok) return TD_EDATA;  /* clusters come first */
  tokinfo ti;
  cltab empty = {0};
  token_info(word, len, TD_WORD, &empty, &ti);
  if (cl_reserve(&t->A, &t->cl, t->cl.count + 2) != TD_OK) return TD_ENOMEM;
  uint64_t ke = key_exact(ti.exact), kl = key_lower(ti.lower);
  if (!cl_find(&t->cl, ke)) cl_put_raw(&t->cl, ke, ids);
  if (!cl_find(&t->cl, kl)) cl_put_raw(&t->cl, kl, ids);  /* first (most frequent) form wins */
  return TD_OK;
}

int td_trainer_add(td_trainer *t, const td_doc *d, size_t first, size_t last,
                   const uint32_t *gaz, const uint16_t *labels) {
  return td_trainer_add_hist(t, d, first, last, gaz, NULL, labels);
}

int td_trainer_add_hist(td_trainer *t, const td_doc *d, size_t first, size_t last,
                        const uint32_t *gaz, const uint16_t *hist, const uint16_t *labels) {
  if (last <= first) return TD_OK;
  if (hist) t->hist = 1;
  size_t n = last - first;
  for (size_t i = 0; i < n; i++)
    if (labels[i] >= t->L) return TD_EDATA;
  for (size_t i = 0; i <= n; i++) {  /* the labels must form valid BILOU */
    int p = i ? labels[i - 1] : t->L, c = i < n ? labels[i] : t->L;
    if (!t->K.ok[p * (t->L + 1) + c]) return TD_EDATA;
  }
  if (t->ntok + n + 1 > UINT32_MAX / 2) return TD_ENOMEM;
  work w;
  if (ensure_docf(&t->scratch, d, first) != TD_OK) return TD_ENOMEM;
  if (get_work(&t->scratch, n, t->L, 0, &w) != TD_OK) return TD_ENOMEM;
  sentence_info(d, first, last, gaz, hist, t->scratch.docf, &t->cl, w.ti);
  if (td_grow(&t->A, (void **)&t->ftok, &t->capftok, t->ntok + n + 1, sizeof *t->ftok) ||
      td_grow(&t->A, (void **)&t->gold, &t->capgold, t->ntok + n, sizeof *t->gold) ||
      td_grow(&t->A, (void **)&t->sent, &t->capsent, t->nsent + 2, sizeof *t->sent) ||
      td_grow(&t->A, (void **)&t->feats, &t->capfeats, t->nfeats + n * MAX_FEATS, sizeof *t->feats))
    return TD_ENOMEM;
  if (t->nsent == 0) { t->sent[0] = 0; t->ftok[0] = 0; }
  uint64_t f[MAX_FEATS];
  unsigned shift = 64 - t->bits;
  for (size_t i = 0; i < n; i++) {
    size_t k = token_feats(w.ti, n, i, t->nsets, f);
    for (size_t j = 0; j < k; j++) t->feats[t->nfeats++] = (uint32_t)(f[j] >> shift);
    t->gold[t->ntok] = labels[i];
    t->ntok++;
    t->ftok[t->ntok] = (uint32_t)t->nfeats;
  }
  t->nsent++;
  t->sent[t->nsent] = (uint32_t)t->ntok;
  return TD_OK;
}

static void update(td_trainer *t, uint32_t bucket, int label, int32_t delta) {
  size_t i = (size_t)bucket * (size_t)t->L + (size_t)label;
  t->w[i] += delta;
  t->u[i] += t->c * delta;
}

int td_trainer_epoch(td_trainer *t, size_t *nerr) {
  int L = t->L, L1 = L + 1;
  size_t errs = 0;
  if (td_grow(&t->A, (void **)&t->order, &t->caporder, t->nsent + 1, sizeof *t->order))
    return TD_ENOMEM;
  for (size_t i = 0; i < t->nsent; i++) t->order[i] = (uint32_t)i;
  for (size_t i = t->nsent; i > 1; i--) {  /* Fisher-Yates with the seeded generator */
    size_t j = (size_t)(rng_next(&t->rng) % i);
    uint32_t tmp = t->order[i - 1]; t->order[i - 1] = t->order[j]; t->order[j] = tmp;
  }
  double T[(MAX_LABELS + 1) * (MAX_LABELS + 1)];
  for (size_t si = 0; si < t->nsent; si++) {
    size_t s = t->order[si];
    size_t a = t->sent[s], b = t->sent[s + 1], n = b - a;
    work w;
    if (get_work(&t->scratch, n, L, 0, &w) != TD_OK) return TD_ENOMEM;
    if (td_grow(&t->A, (void **)&t->pred, &t->cappred, n, sizeof *t->pred)) return TD_ENOMEM;
    t->c++;
    for (size_t i = 0; i < n; i++) {
      double *e = w.E + i * (size_t)L;
      for (int l = 0; l < L; l++) e[l] = 0;
      for (uint32_t j = t->ftok[a + i]; j < t->ftok[a + i + 1]; j++) {
        const int32_t *wr = t->w + (size_t)t->feats[j] * (size_t)L;
        for (int l = 0; l < L; l++) e[l] += wr[l];
      }
    }
    for (int i = 0; i < L1 * L1; i++) T[i] = t->tw[i];
    prep_trans(&t->K, L, T, &t->vt);
    viterbi(L, n, w.E, &t->vt, &t->K, t->pred);
    const uint16_t *g = t->gold + a;
    int wrong = 0;
    for (size_t i = 0; i < n; i++) {
      if (g[i] == t->pred[i]) continue;
      wrong = 1;
      errs++;
      for (uint32_t j = t->ftok[a + i]; j < t->ftok[a + i + 1]; j++) {
        update(t, t->feats[j], g[i], 1);
        update(t, t->feats[j], t->pred[i], -1);
      }
    }
    if (!wrong) continue;
    for (size_t i = 0; i <= n; i++) {
      int gp = i ? g[i - 1] : L, gc = i < n ? g[i] : L;
      int pp = i ? t->pred[i - 1] : L, pc = i < n ? t->pred[i] : L;
      if (gp == pp && gc == pc) continue;
      t->tw[gp * L1 + gc] += 1; t->tu[gp * L1 + gc] += t->c;
      t->tw[pp * L1 + pc] -= 1; t->tu[pp * L1 + pc] -= t->c;
    }
  }
  if (nerr) *nerr = errs;
  return TD_OK;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

int td_trainer_save(td_trainer *t, double prune, uint8_t **out, size_t *outn) {
  *out = NULL;
  *outn = 0;
  int L = t->L, L1 = L + 1;
  size_t nb = (size_t)1 << t->bits;
  double c = t->c > 0 ? (double)t->c : 1.0;
  /* averaged weights: w - u / c */
  double maxabs = 1e-9;
  for (size_t i = 0; i < nb * (size_t)L; i++) {
    double a = t->w[i] - (double)t->u[i] / c;
    if (a < 0) a = -a;
    if (a >= prune && a > maxabs) maxabs = a;
  }
  for (int i = 0; i < L1 * L1; i++) {
    double a = t->tw[i] - (double)t->tu[i] / c;
    if (a < 0) a = -a;
    if (a > maxabs) maxabs = a;
  }
  float scale = (float)(maxabs / 32000.0);
  double inv = 1.0 / (double)scale;
  /* which rows survive */
  size_t nwords = nb / 64, nrows = 0;
  uint64_t *bm = xalloc(&t->A, nwords * sizeof *bm);
  if (!bm) return TD_ENOMEM;
  for (size_t wi = 0; wi < nwords; wi++) {
    uint64_t bits = 0;
    for (size_t k = 0; k < 64; k++) {
      size_t r = wi * 64 + k;
      for (int l = 0; l < L; l++) {
        size_t i = r * (size_t)L + (size_t)l;
        double a = t->w[i] - (double)t->u[i] / c;
        double q = a * inv;
        if ((a >= prune || -a >= prune) && (q >= 0.5 || q <= -0.5)) { bits |= (uint64_t)1 << k; break; }
      }
    }
    bm[wi] = bits;
    nrows += (size_t)popcount64(bits);
  }
  size_t namelen = strlen(t->name), typelen = 0;
  for (int i = 0; i < t->ntypes; i++) typelen += 1 + strlen(t->types[i]);
  size_t ncl = t->cl.count;
  size_t size = 8 + 8 * 4 + 1 + namelen + typelen + (size_t)L1 * L1 * 4 + nwords * 8 +
                nrows * (size_t)L * 2 + ncl * (8 + 4 * (size_t)t->nsets) + 4;
  uint8_t *p = xalloc(&t->A, size);
  if (!p) { xfree(&t->A, bm, nwords * sizeof *bm); return TD_ENOMEM; }
  uint8_t *q = p;
  memcpy(q, MAGIC, 8); q += 8;
  uint32_t sb;
  memcpy(&sb, &scale, 4);
  uint32_t hdr[8] = {FILE_VERSION, t->hist ? TD_FEATSET_HIST : TD_FEATSET, t->bits, (uint32_t)t->ntypes,
                     (uint32_t)t->nsets, (uint32_t)ncl, (uint32_t)nrows, sb};
  for (int i = 0; i < 8; i++) { put32(q, hdr[i]); q += 4; }
  *q++ = (uint8_t)namelen; memcpy(q, t->name, namelen); q += namelen;
  for (int i = 0; i < t->ntypes; i++) {
    size_t len = strlen(t->types[i]);
    *q++ = (uint8_t)len; memcpy(q, t->types[i], len); q += len;
  }
  for (int i = 0; i < L1 * L1; i++) {
    double a = (t->tw[i] - (double)t->tu[i] / c) * inv;
    put32(q, (uint32_t)(int32_t)(a < 0 ? a - 0.5 : a + 0.5)); q += 4;
  }
  for (size_t wi = 0; wi < nwords; wi++) {
    put32(q, (uint32_t)bm[wi]); put32(q + 4, (uint32_t)(bm[wi] >> 32)); q += 8;
  }
  for (size_t wi = 0; wi < nwords; wi++) {
    for (uint64_t bits = bm[wi]; bits; bits &= bits - 1) {
      size_t r = wi * 64 + (size_t)__builtin_ctzll(bits);
      for (int l = 0; l < L; l++) {
        size_t i = r * (size_t)L + (size_t)l;
        double a = t->w[i] - (double)t->u[i] / c;
        if (a < prune && -a < prune) a = 0;
        double v = a * inv;
        int32_t x = (int32_t)(v < 0 ? v - 0.5 : v + 0.5);
        if (x > 32767) x = 32767;
        if (x < -32767) x = -32767;
        q[0] = (uint8_t)(uint16_t)x; q[1] = (uint8_t)((uint16_t)x >> 8); q += 2;
      }
    }
  }
  xfree(&t->A, bm, nwords * sizeof *bm);
  size_t cap = t->cl.count ? t->cl.mask + 1 : 0;
  for (size_t i = 0; i < cap; i++) {  /* slot order: deterministic for a given input */
    if (!t->cl.keys[i]) continue;
    put32(q, (uint32_t)t->cl.keys[i]); put32(q + 4, (uint32_t)(t->cl.keys[i] >> 32)); q += 8;
    for (int j = 0; j < t->nsets; j++) { put32(q, t->cl.ids[i * (size_t)t->nsets + (size_t)j]); q += 4; }
  }
  put32(q, crc32(p, (size_t)(q - p))); q += 4;
  *out = p;
  *outn = (size_t)(q - p);
  return TD_OK;
}
