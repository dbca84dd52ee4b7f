/*
 * gazetteer.c - normalised multi-token phrase lookup.
 *
 * A phrase is tokenized with the document tokenizer, each token is
 * normalised (utf8proc decomposition, combining marks stripped, case
 * folded, dots dropped, ’ read as ') and hashed; a phrase's key is the
 * chained hash of its tokens.  Keys live in one open-addressing table,
 * together with every proper prefix of every phrase, so a scan from token i
 * extends only while the words so far begin some phrase: one probe for most
 * tokens, O(1) whatever the gazetteer's size.
 *
 * Keys are 64-bit hashes and are not verified against the text: with 10^5
 * phrases a false hit needs ~10^14 lookups.
 *
 * Case: a capitalised token of a phrase only matches a capitalised token of
 * the text (Turkey, not turkey), an all-capitals one only an all-capitals
 * token (US, not us); lower-case phrase tokens match any case.
 */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>
#include "tidings.h"

#define MAXTYPES 64
#define CANON_NONE UINT32_MAX

enum { E_FULL = 1, E_PREFIX = 2 };

typedef struct entry {
  uint64_t key;        /* 0 = empty slot */
  uint32_t feat;       /* TD_GAZ_* class bits (full entries) */
  uint32_t canon;      /* offset in g->str, or CANON_NONE */
  uint16_t canonlen;
  uint16_t capmask;    /* phrase tokens that need an upper-case initial */
  uint16_t upmask;     /* phrase tokens that need all capitals */
  int8_t type;         /* entity type index, -1 none */
  uint8_t flags;       /* E_FULL | E_PREFIX */
} entry;

struct td_gazetteer {
  td_alloc A;
  entry *tab;
  size_t cap, used, nphrases;   /* cap is a power of two */
  char *str;                    /* canonical names and type names */
  size_t strlen, strcap;
  uint32_t typeoff[MAXTYPES];
  uint16_t typelen[MAXTYPES];
  int ntypes;
  td_doc scratch;               /* tokenizes phrases */
  uint64_t *hbuf;
  size_t hcap;
  /* one bit per value of a key's top FILTER_BITS bits, set for every key in
   * the table: most tokens start no phrase, and the bit says so without a
   * probe of the table (megabytes, out of cache) */
  uint64_t filter[((size_t)1 << 18) / 64];
};
#define FILTER_BITS 18
static int maybe_in(const td_gazetteer *g, uint64_t key) {
  size_t b = (size_t)(key >> (64 - FILTER_BITS));
  return (int)((g->filter[b >> 6] >> (b & 63)) & 1);
}

/* ---- classes ------------------------------------------------------------ */

/* Built-in entity types, interned first so their indices are fixed. */
static const char *const builtin_types[] = {
  "PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", NULL
};
enum { T_PERSON, T_NORP, T_ORG, T_GPE, T_LOC, T_FAC, T_EVENT, T_PRODUCT, T_WORK, T_LAW };

static const struct { const char *name; uint32_t feat; int type; } classes[] = {
  { "person",    TD_GAZ_PERSON,               T_PERSON },
  { "firstname", TD_GAZ_FIRSTNAME,            -1 },
  { "country",   TD_GAZ_COUNTRY,              T_GPE },
  { "city",      TD_GAZ_CITY,                 T_GPE },
  { "region",    TD_GAZ_REGION,               T_GPE },
  { "loc",       TD_GAZ_LOC,                  T_LOC },
  { "demonym",   TD_GAZ_DEMONYM,              T_NORP },
  { "norp",      TD_GAZ_DEMONYM,              T_NORP },
  { "org",       TD_GAZ_ORG,                  T_ORG },
  { "orgsuffix", TD_GAZ_ORGSUFFIX,            -1 },
  { "orghead",   TD_GAZ_ORG | TD_GAZ_HEAD,    -1 },
  { "title",     TD_GAZ_TITLE,                -1 },
  { "fac",       TD_GAZ_FAC,                  T_FAC },
  { "fachead",   TD_GAZ_FAC | TD_GAZ_HEAD,    -1 },
  { "lochead",   TD_GAZ_LOC | TD_GAZ_HEAD,    -1 },
  { "event",     TD_GAZ_EVENT,                T_EVENT },
  { "eventhead", TD_GAZ_EVENT | TD_GAZ_HEAD,  -1 },
  { "law",       TD_GAZ_MISC,                 T_LAW },
  { "lawhead",   TD_GAZ_MISC | TD_GAZ_HEAD,   -1 },
  { "product",   TD_GAZ_MISC,                 T_PRODUCT },
  { "work",      TD_GAZ_MISC,                 T_WORK },
  { NULL, 0, 0 }
};

/* The feature bits of each built-in type, for classes given as type names. */
static const uint32_t type_feat[] = {
  TD_GAZ_PERSON, TD_GAZ_DEMONYM, TD_GAZ_ORG, TD_GAZ_REGION, TD_GAZ_LOC,
  TD_GAZ_FAC, TD_GAZ_EVENT, TD_GAZ_MISC, TD_GAZ_MISC, TD_GAZ_MISC
};

/* ---- hashing -------------------------------------------------------------- */

static uint64_t mix64(uint64_t x) {  /* splitmix64 finaliser */
  x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27; x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

static uint64_t chain(uint64_t h, uint64_t tok) {
  h = mix64(h + tok + 0x9e3779b97f4a7c15ULL);
  return h ? h : 1;  /* 0 marks an empty slot */
}

#define FNV_OFF 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static const uint8_t ascii_lower[128] = {
  0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,
  32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,
  64,'a','b','c','d','e','f','g','h','i','j','k','l','m','n','o','p','q','r','s','t','u','v','w','x','y','z',
  91,92,93,94,95,96,'a','b','c','d','e','f','g','h','i','j','k','l','m','n','o','p','q','r','s','t','u','v',
  'w','x','y','z',123,124,125,126,127
};

static uint64_t fnv_cp(uint64_t h, int32_t cp) {
  uint8_t b[4];
  int n, i;
  if (cp < 0x80) { b[0] = (uint8_t)cp; n = 1; }
  else if (cp < 0x800) { b[0] = (uint8_t)(0xC0 | (cp >> 6)); b[1] = (uint8_t)(0x80 | (cp & 0x3F)); n = 2; }
  else if (cp < 0x10000) {
    b[0] = (uint8_t)(0xE0 | (cp >> 12)); b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (uint8_t)(0x80 | (cp & 0x3F)); n = 3;
  } else {
    b[0] = (uint8_t)(0xF0 | (cp >> 18)); b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (uint8_t)(0x80 | (cp & 0x3F)); n = 4;
  }
  for (i = 0; i < n; i++) h = (h ^ b[i]) * FNV_PRIME;
  return h;
}

/* Hash of one token's normalised text. */
static uint64_t token_hash(const uint8_t *s, size_t len) {
  uint64_t h = FNV_OFF;
  size_t i = 0;
  while (i < len) {
    uint8_t c = s[i];
    if (c < 0x80) {
      if (c != '.') h = (h ^ ascii_lower[c]) * FNV_PRIME;
      i++;
    } else {
      int32_t cp, out[8];
      utf8proc_int32_t o[8];
      int n = td_utf8_decode(s + i, len - i, &cp), k;
      utf8proc_ssize_t m;
      if (n == 0) { h = (h ^ c) * FNV_PRIME; i++; continue; }
      i += (size_t)n;
      if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) { h = (h ^ '\'') * FNV_PRIME; continue; }
      if (cp == 0x0131) { h = (h ^ 'i') * FNV_PRIME; continue; }   /* dotless i */
      m = utf8proc_decompose_char(cp, o, 8,
                                  UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, NULL);
      if (m <= 0 || m > 8) { h = fnv_cp(h, cp); continue; }
      for (k = 0; k < m; k++) out[k] = o[k];
      for (k = 0; k < m; k++) {
        if (out[k] < 0x80) { if (out[k] != '.') h = (h ^ (uint8_t)out[k]) * FNV_PRIME; }
        else h = fnv_cp(h, out[k]);
      }
    }
  }
  return mix64(h) | 1;
}

void td_gaz_hash_tokens(const td_doc *d, uint64_t *hash) {
  size_t i;
  const uint8_t *t = (const uint8_t *)d->text;
  for (i = 0; i < d->ntok; i++)
    hash[i] = token_hash(t + d->tok[i].start, d->tok[i].end - d->tok[i].start);
}

/* ---- table ---------------------------------------------------------------- */

static entry *find_slot(entry *tab, size_t cap, uint64_t key) {
  size_t m = cap - 1, i = (size_t)key & m;
  while (tab[i].key != 0 && tab[i].key != key) i = (i + 1) & m;
  return &tab[i];
}

static const entry *lookup(const td_gazetteer *g, uint64_t key) {
  size_t m = g->cap - 1, i = (size_t)key & m;
  if (!maybe_in(g, key)) return NULL;
  for (;;) {
    const entry *e = &g->tab[i];
    if (e->key == key) return e;
    if (e->key == 0) return NULL;
    i = (i + 1) & m;
  }
}

static int rehash(td_gazetteer *g, size_t ncap) {
  entry *nt, *old = g->tab;
  size_t i;
  if (ncap > ((size_t)-1) / sizeof(entry)) return TD_ENOMEM;
  nt = (entry *)g->A.f(g->A.ud, NULL, 0, ncap * sizeof(entry));
  if (nt == NULL) return TD_ENOMEM;
  memset(nt, 0, ncap * sizeof(entry));
  for (i = 0; i < g->cap; i++)
    if (old[i].key != 0) *find_slot(nt, ncap, old[i].key) = old[i];
  td_free(&g->A, old, g->cap * sizeof(entry));
  g->tab = nt;
  g->cap = ncap;
  return TD_OK;
}

static entry *insert(td_gazetteer *g, uint64_t key, int *isnew) {
  entry *e;
  if ((g->used + 1) * 4 > g->cap * 3) {   /* load factor <= 3/4 */
    if (g->cap > ((size_t)-1) / 4) return NULL;
    if (rehash(g, g->cap * 2) != TD_OK) return NULL;
  }
  e = find_slot(g->tab, g->cap, key);
  *isnew = e->key == 0;
  if (*isnew) {
    size_t b = (size_t)(key >> (64 - FILTER_BITS));
    g->filter[b >> 6] |= (uint64_t)1 << (b & 63);
    memset(e, 0, sizeof *e);
    e->key = key;
    e->canon = CANON_NONE;
    e->type = -1;
    g->used++;
  }
  return e;
}

static int addstr(td_gazetteer *g, const char *s, size_t len, uint32_t *off) {
  void *p = g->str;
  if (len > 0xFFFF || g->strlen + len > UINT32_MAX - 1) return TD_EDATA;
  if (td_grow(&g->A, &p, &g->strcap, g->strlen + len + 1, 1) != TD_OK) return TD_ENOMEM;
  g->str = (char *)p;
  memcpy(g->str + g->strlen, s, len);
  g->str[g->strlen + len] = '\0';
  *off = (uint32_t)g->strlen;
  g->strlen += len + 1;
  return TD_OK;
}

/* ---- public --------------------------------------------------------------- */

int td_gaz_intern_type(td_gazetteer *g, const char *name, size_t len) {
  int i;
  uint32_t off;
  for (i = 0; i < g->ntypes; i++)
    if (g->typelen[i] == len && memcmp(g->str + g->typeoff[i], name, len) == 0) return i;
  if (g->ntypes >= MAXTYPES || len == 0 || len > 64) return -1;
  if (addstr(g, name, len, &off) != TD_OK) return -1;
  g->typeoff[g->ntypes] = off;
  g->typelen[g->ntypes] = (uint16_t)len;
  return g->ntypes++;
}

int td_gaz_ntypes(const td_gazetteer *g) { return g->ntypes; }
const char *td_gaz_type_name(const td_gazetteer *g, int type) {
  return (type >= 0 && type < g->ntypes) ? g->str + g->typeoff[type] : NULL;
}
size_t td_gaz_size(const td_gazetteer *g) { return g->nphrases; }

int td_gaz_new(const td_alloc *A, td_gazetteer **out) {
  td_gazetteer *g = (td_gazetteer *)A->f(A->ud, NULL, 0, sizeof *g);
  int i;
  *out = NULL;
  if (g == NULL) return TD_ENOMEM;
  memset(g, 0, sizeof *g);
  g->A = *A;
  td_doc_init(&g->scratch, A, "", 0);
  g->cap = 1024;
  g->tab = (entry *)A->f(A->ud, NULL, 0, g->cap * sizeof(entry));
  if (g->tab == NULL) { A->f(A->ud, g, sizeof *g, 0); return TD_ENOMEM; }
  memset(g->tab, 0, g->cap * sizeof(entry));
  for (i = 0; builtin_types[i]; i++)
    if (td_gaz_intern_type(g, builtin_types[i], strlen(builtin_types[i])) != i) {
      td_gaz_free(g);
      return TD_ENOMEM;
    }
  *out = g;
  return TD_OK;
}

void td_gaz_free(td_gazetteer *g) {
  td_alloc A;
  if (g == NULL) return;
  A = g->A;
  td_free(&A, g->tab, g->cap * sizeof(entry));
  td_free(&A, g->str, g->strcap);
  td_free(&A, g->hbuf, g->hcap * sizeof(uint64_t));
  td_doc_free(&g->scratch);
  A.f(A.ud, g, sizeof *g, 0);
}

static void seterr(char *err, size_t errsz, const char *msg) {
  size_t n;
  if (err == NULL || errsz == 0) return;
  n = strlen(msg);
  if (n >= errsz) n = errsz - 1;
  memcpy(err, msg, n);
  err[n] = '\0';
}

static int has_letter_upper(const uint8_t *s, size_t len, int *allup) {
  /* first letter upper/title case?  and: no lower-case letter at all? */
  size_t i = 0;
  int first = -1, anylower = 0, anyletter = 0;
  while (i < len) {
    int32_t cp;
    int n = td_utf8_decode(s + i, len - i, &cp);
    utf8proc_category_t c;
    if (n == 0) { i++; continue; }
    i += (size_t)n;
    c = utf8proc_category(cp);
    if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT) { if (first < 0) first = 1; anyletter = 1; }
    else if (c == UTF8PROC_CATEGORY_LL) { if (first < 0) first = 0; anylower = 1; anyletter = 1; }
    else if (c >= UTF8PROC_CATEGORY_LM && c <= UTF8PROC_CATEGORY_LO) { anyletter = 1; }
  }
  *allup = anyletter && !anylower && len > 1;
  return first == 1;
}

static int class_of(td_gazetteer *g, const char *cls, size_t clen, uint32_t *feat, int *type) {
  int i;
  for (i = 0; classes[i].name; i++)
    if (strlen(classes[i].name) == clen && memcmp(classes[i].name, cls, clen) == 0) {
      *feat = classes[i].feat;
      *type = classes[i].type;
      return 1;
    }
  /* an entity type name: a built-in one or a user's own (upper case) */
  for (i = 0; i < (int)clen; i++) {
    char c = cls[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return 0;
  }
  *type = td_gaz_intern_type(g, cls, clen);
  if (*type < 0) return 0;
  *feat = (*type < (int)(sizeof type_feat / sizeof type_feat[0]) ? type_feat[*type] : 0) | TD_GAZ_USER;
  return 1;
}

int td_gaz_add(td_gazetteer *g, const char *phrase, size_t plen,
               const char *cls, size_t clen, const char *canon, size_t canonlen,
               char *err, size_t errsz) {
  td_opts o;
  size_t e_off, i, n;
  uint64_t h = 0;
  uint32_t feat;
  uint16_t capmask = 0, upmask = 0;
  int type, isnew, rc;
  entry *e;
  if (!class_of(g, cls, clen, &feat, &type)) {
    seterr(err, errsz, "unknown class (expected country, city, region, loc, demonym, firstname, "
                       "person, org, orgsuffix, orghead, title, fac, fachead, lochead, event, "
                       "eventhead, law, lawhead, product, work or an upper-case type name)");
    return TD_EDATA;
  }
  o.strict = 1;
  o.split_hyphens = 1;
  g->scratch.text = phrase;   /* the token array is reused */
  g->scratch.len = plen;
  rc = td_tokenize(&g->scratch, &o, &e_off);
  if (rc == TD_EUTF8) { seterr(err, errsz, "invalid UTF-8 in phrase"); return TD_EDATA; }
  if (rc != TD_OK) return rc;
  n = g->scratch.ntok;
  if (n == 0) { seterr(err, errsz, "empty phrase"); return TD_EDATA; }
  if (n > TD_GAZ_MAXTOK) { seterr(err, errsz, "phrase longer than 12 tokens"); return TD_EDATA; }
  for (i = 0; i < n; i++) {
    const td_token *t = &g->scratch.tok[i];
    const uint8_t *s = (const uint8_t *)phrase + t->start;
    int allup;
    if (has_letter_upper(s, t->end - t->start, &allup)) capmask |= (uint16_t)(1u << i);
    if (allup) upmask |= (uint16_t)(1u << i);
    h = chain(h, token_hash(s, t->end - t->start));
    e = insert(g, h, &isnew);
    if (e == NULL) return TD_ENOMEM;
    if (i + 1 < n) { e->flags |= E_PREFIX; continue; }
    if (!(e->flags & E_FULL)) g->nphrases++;
    /* a user entry overrides; otherwise the first typed class wins */
    if ((feat & TD_GAZ_USER) || (type >= 0 && e->type < 0)) {
      const char *c = (canon && canonlen) ? canon : phrase;
      size_t cl = (canon && canonlen) ? canonlen : plen;
      uint32_t off;
      rc = addstr(g, c, cl, &off);
      if (rc == TD_EDATA) { seterr(err, errsz, "canonical name too long"); return rc; }
      if (rc != TD_OK) return rc;
      e->canon = off;
      e->canonlen = (uint16_t)cl;
      e->type = (int8_t)type;
      e->capmask = capmask;
      e->upmask = upmask;
    } else if (!(e->flags & E_FULL)) {
      e->capmask = capmask;
      e->upmask = upmask;
    } else {
      e->capmask &= capmask;   /* the most permissive spelling */
      e->upmask &= upmask;
    }
    e->feat |= feat;
    e->flags |= E_FULL;
  }
  return TD_OK;
}

int td_gaz_load_tsv(td_gazetteer *g, const char *text, size_t len,
                    const char *name, char *err, size_t errsz) {
  size_t pos = 0, line = 0;
  char msg[256];
  while (pos < len) {
    const char *l = text + pos, *nl = memchr(l, '\n', len - pos), *f[4];
    size_t ll = nl ? (size_t)(nl - l) : len - pos, fl[4], nf = 0, k;
    int rc;
    pos += ll + (nl ? 1 : 0);
    line++;
    if (ll > 0 && l[ll - 1] == '\r') ll--;
    if (ll == 0 || l[0] == '#') continue;
    f[0] = l;
    for (k = 0; k < ll && nf < 4; k++)
      if (l[k] == '\t') {
        fl[nf] = (size_t)(l + k - f[nf]);
        nf++;
        if (nf < 4) f[nf] = l + k + 1;
      }
    if (nf < 4) { fl[nf] = (size_t)(l + ll - f[nf]); nf++; }
    if (nf < 2 || fl[0] == 0 || fl[1] == 0) {
      snprintf(msg, sizeof msg, "%s:%lu: expected phrase<TAB>class[<TAB>canonical]",
               name, (unsigned long)line);
      seterr(err, errsz, msg);
      return TD_EDATA;
    }
    rc = td_gaz_add(g, f[0], fl[0], f[1], fl[1], nf > 2 ? f[2] : NULL, nf > 2 ? fl[2] : 0,
                    msg, sizeof msg);
    if (rc == TD_EDATA) {
      char full[400];
      snprintf(full, sizeof full, "%s:%lu: %s", name, (unsigned long)line, msg);
      seterr(err, errsz, full);
    }
    if (rc != TD_OK) return rc;
  }
  return TD_OK;
}

/* ---- matching ------------------------------------------------------------- */

static int case_ok(const entry *e, const td_doc *d, size_t i) {
  uint16_t m;
  size_t k;
  for (m = e->capmask, k = 0; m; m >>= 1, k++)
    if ((m & 1) && !(d->tok[i + k].flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER))) return 0;
  for (m = e->upmask, k = 0; m; m >>= 1, k++)
    if ((m & 1) && !(d->tok[i + k].flags & TD_F_ALL_UPPER)) return 0;
  return 1;
}

size_t td_gaz_longest(const td_gazetteer *g, const td_doc *d,
                      const uint64_t *hash, size_t i, td_gaz_info *info) {
  uint64_t h = 0;
  size_t k, best = 0;
  const entry *be = NULL;
  for (k = i; k < d->ntok && k - i < TD_GAZ_MAXTOK; k++) {
    const entry *e;
    h = chain(h, hash[k]);
    e = lookup(g, h);
    if (e == NULL) break;
    if ((e->flags & E_FULL) && case_ok(e, d, i)) { best = k - i + 1; be = e; }
    if (!(e->flags & E_PREFIX)) break;
  }
  if (be && info) {
    info->feat = be->feat;
    info->type = be->type;
    info->canon = be->canon == CANON_NONE ? NULL : g->str + be->canon;
    info->canonlen = be->canon == CANON_NONE ? 0 : be->canonlen;
  }
  return best;
}

int td_gaz_scan(const td_gazetteer *g, const td_doc *d, const uint64_t *hash, uint32_t *feat,
                int (*cb)(void *ud, size_t first, size_t last, const td_gaz_info *info),
                void *ud) {
  size_t i = 0, k;
  td_gaz_info info;
  memset(feat, 0, d->ntok * sizeof *feat);
  while (i < d->ntok) {
    size_t n;
    /* (no prefetch of the table: the filter keeps most tokens from it) */
    n = td_gaz_longest(g, d, hash, i, &info);
    if (n == 0) { i++; continue; }
    if (cb != NULL) {
      int rc = cb(ud, i, i + n, &info);
      if (rc != TD_OK) return rc;
    }
    if (n == 1) feat[i] |= info.feat | TD_GAZ_U;
    else {
      feat[i] |= info.feat | TD_GAZ_B;
      for (k = i + 1; k + 1 < i + n; k++) feat[k] |= info.feat | TD_GAZ_I;
      feat[i + n - 1] |= info.feat | TD_GAZ_L;
      /* the inner words' own one-word entries (Donald in Donald Trump) */
      for (k = i + 1; k < i + n; k++) {
        const entry *e = lookup(g, chain(0, hash[k]));
        if (e && (e->flags & E_FULL) && case_ok(e, d, k)) feat[k] |= e->feat;
      }
      /* the first word's own entry too */
      {
        const entry *e = lookup(g, chain(0, hash[i]));
        if (e && (e->flags & E_FULL) && case_ok(e, d, i)) feat[i] |= e->feat;
      }
    }
    i += n;
  }
  return TD_OK;
}

void td_gaz_features(const td_gazetteer *g, const td_doc *d,
                     const uint64_t *hash, uint32_t *feat) {
  (void)td_gaz_scan(g, d, hash, feat, NULL, NULL);
}
