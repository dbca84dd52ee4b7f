/*
 * entities.c - tokens -> entity spans with OntoNotes types, roles and
 * canonical names.
 *
 * Sources, strongest first:
 *   1. user patterns (pattern.c)            score 100
 *   2. the statistical model (model.c) and the gazetteer (gazetteer.c):
 *      a model span takes the gazetteer's type and canonical name when the
 *      gazetteer knows the same words; a longer gazetteer phrase that
 *      contains a model span replaces it; gazetteer phrases the model left
 *      alone are added for known persons and in headlines (all of them when
 *      there is no model)                   score 95 (both), 90 (gazetteer), 80 (model)
 *      Model spans are trimmed of leading function words (Many, The) and
 *      dropped when they are page furniture alone on a line (4 Min Read),
 *      a lone word the text also writes in lower case (Ceasefire), or
 *      headline words (Title Case with lower-case small words) that the
 *      body does not repeat as an entity.  Scores, fixtures, bylines and
 *      capital headings on a line of their own are not furniture.
 *   3. rules over capitalised words, only when there is no model: a run
 *      that starts with a first name or follows a title is a PERSON, one
 *      ending in a head word (Palace, Ministry, Sea, War, Treaty) or a legal
 *      form (Inc) is FAC/ORG/LOC/EVENT/LAW     score 60
 *   4. a lone capitalised word equal (up to spelling: Zelensky/Zelenskyy)
 *      to the surname of a person found elsewhere in the document   score 70
 * Scores are a fixed confidence per source, not probabilities.
 *
 * CoNLL types -> OntoNotes (also in data/gazetteers/README.md):
 *   PER  -> PERSON (NORP / GPE when the gazetteer says demonym / place)
 *   LOC  -> GPE for countries, cities, regions and unknown names; LOC for
 *           continents, seas, rivers (gazetteer, or head word Sea/River...);
 *           FAC with a facility head word (Palace, Airport, Bridge ...)
 *   ORG  -> ORG; GPE when the whole span is a place, unless its sentence has
 *           scores or the document is one of results (then a team); FAC with
 *           a facility head
 *   MISC -> NORP for demonyms (gazetteer or -an/-ian/-ish/-ese/-i adjectives),
 *           hyphenated compounds on a name (Vienna-based, ex-England) and
 *           other lone capitalised words (Moslem), EVENT with an event
 *           word (War, Summit, Olympics) or a number, LAW with a law word
 *           (Act, Treaty), WORK_OF_ART between quotes, PRODUCT for other
 *           runs of capitalised words; dropped otherwise (GMT, POWs)
 *   An exact gazetteer match gives its type, except that a person named
 *   like a place stays PERSON and a place named as an ORG (a team, a
 *   government) stays ORG.
 *
 * Roles: a title (gazetteer class `title`) with its qualifiers (demonyms,
 * places, organisations, possessive 's, former/deputy/acting ...) right
 * before a PERSON, or as an apposition ", Kremlin spokesperson," after it.
 *
 * Canonical names: the gazetteer's (aliases and variants: Zelensky ->
 * Volodymyr Zelenskyy), else the longest mention in the document that
 * contains the mention's words up to spelling variants (Trump -> Donald
 * Trump), else the mention itself.  Across documents the same words give
 * the same canonical string.
 */
#include <stdlib.h>
#include <string.h>
#include "tidings.h"

/* the built-in types are interned first by td_gaz_new, in this order */
enum { T_PERSON, T_NORP, T_ORG, T_GPE, T_LOC, T_FAC, T_EVENT, T_PRODUCT, T_WORK, T_LAW };
enum { C_NONE = -1, C_PER = 100, C_LOC, C_ORG, C_MISC };  /* model (CoNLL) types */

typedef struct cand {
  uint32_t first, last;      /* tokens */
  uint32_t rfirst, rlast;    /* role tokens (equal: none) */
  const char *canon;         /* not owned */
  uint32_t canonlen;
  int type;                  /* gazetteer type index, or C_* before mapping */
  uint8_t source, score;
  uint8_t dead;
} cand;

#define PLACE_BITS (TD_GAZ_COUNTRY | TD_GAZ_CITY | TD_GAZ_REGION)

void td_entities_init(td_entities *es, const td_alloc *A) {
  memset(es, 0, sizeof *es);
  es->A = *A;
}

void td_entities_free(td_entities *es) {
  td_free(&es->A, es->e, es->cap * sizeof(td_entity));
  td_free(&es->A, es->str, es->strcap);
  es->e = NULL;
  es->str = NULL;
  es->n = es->cap = es->strlen = es->strcap = 0;
}

void td_ent_scratch_init(td_ent_scratch *s, const td_alloc *A) {
  memset(s, 0, sizeof *s);
  s->A = *A;
  td_model_scratch_init(&s->ms, A);
}

void td_ent_scratch_free(td_ent_scratch *s) {
  td_free(&s->A, s->buf, s->cap);
  td_free(&s->A, s->cand, s->capcand * sizeof(cand));
  td_free(&s->A, s->lower, s->lowercap * sizeof(uint64_t));
  s->lower = NULL;
  s->lowercap = 0;
  s->buf = s->cand = NULL;
  s->cap = s->capcand = s->ncand = 0;
  td_model_scratch_free(&s->ms);
}

/* ---- per-call context ------------------------------------------------------ */

typedef struct ctx {
  const td_gazetteer *g;
  const td_doc *d;
  td_ent_scratch *s;
  uint64_t *hash, *vhash;
  uint32_t *feat;
  uint32_t *reach;  /* per token t: the furthest end of a gazetteer match starting at or before t */
  int32_t *owner;   /* candidate index per token, -1 free */
  uint16_t *lab;
  uint8_t *headline;  /* per token: in a headline-like sentence */
  uint64_t *lower;    /* set of the hashes of lower-case words (open addressing) */
  size_t lcap, lcount; /* power of two; entries */
  int sports;         /* the model's organisations play matches here (Leeds v Durham) */
} ctx;

static cand *C(ctx *x) { return (cand *)x->s->cand; }

static int add_cand(ctx *x, uint32_t first, uint32_t last, int type, int source, int score,
                    const char *canon, size_t canonlen) {
  cand *c;
  void *arr = x->s->cand;
  if (td_grow(&x->s->A, &arr, &x->s->capcand, x->s->ncand + 1, sizeof(cand)) != TD_OK)
    return TD_ENOMEM;
  x->s->cand = arr;
  c = &C(x)[x->s->ncand++];
  memset(c, 0, sizeof *c);
  c->first = first;
  c->last = last;
  c->type = type;
  c->source = (uint8_t)source;
  c->score = (uint8_t)score;
  c->canon = canon;
  c->canonlen = (uint32_t)canonlen;
  return TD_OK;
}

static void claim(ctx *x, size_t ci) {
  cand *c = &C(x)[ci];
  uint32_t k;
  for (k = c->first; k < c->last; k++) x->owner[k] = (int32_t)ci;
}

static int free_range(ctx *x, uint32_t a, uint32_t b) {
  for (; a < b; a++) if (x->owner[a] >= 0) return 0;
  return 1;
}

static const char *tok_text(const ctx *x, size_t i, size_t *len) {
  const td_token *t = &x->d->tok[i];
  *len = t->end - t->start;
  return x->d->text + t->start;
}

/* Called against word lists for most tokens: compare as we go and stop at the
 * first difference (no strlen of w), never reading past w's NUL. */
static int tok_is(const ctx *x, size_t i, const char *w) {  /* ASCII, any case */
  size_t len, k;
  const char *s = tok_text(x, i, &len);
  for (k = 0; k < len; k++) {
    char c = s[k];
    if (!w[k]) return 0;
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (c != w[k]) return 0;
  }
  return w[len] == '\0';
}

static int is_cap(const ctx *x, size_t i) {
  const td_token *t = &x->d->tok[i];
  return t->kind == TD_WORD && (t->flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER));
}

/* English function words and sentence adverbs that are capitalised only
 * because they start a sentence or a quote ("Many Western ...", "Tomorrow,").
 * A model or rule span never starts with one, and never is one. */
static const char *const stopwords[] = {
  "a", "about", "above", "according", "across", "after", "again", "against", "ago", "all",
  "almost", "along", "already", "also", "although", "always", "amid", "among", "an", "and",
  "another", "any", "anyone", "anything", "are", "around", "as", "at", "because", "before",
  "behind", "being", "below", "beside", "besides", "between", "beyond", "both", "but", "by",
  "can", "could", "despite", "did", "do", "does", "during", "each", "earlier", "either",
  "else", "even", "ever", "every", "everyone", "everything", "few", "finally", "for",
  "from", "further", "had", "has", "have", "he", "hence", "her", "here", "hers", "herself", "him",
  "himself", "his", "how", "however", "i", "if", "in", "inside", "instead", "into", "is", "it", "its", "itself",
  "just", "last", "later", "least", "less", "like", "many", "may", "maybe", "meanwhile",
  "might", "more", "moreover", "most", "much", "must", "my", "near", "neither", "never",
  "nevertheless", "next", "no", "none", "nor", "not", "nothing", "now", "of", "off", "often",
  "on", "once", "one", "only", "onto", "or", "other", "others", "otherwise", "our", "out",
  "outside", "over", "perhaps", "please", "rather", "several", "shall", "she", "should",
  "since", "so", "some", "someone", "something", "sometimes", "soon", "still", "such",
  "than", "that", "the", "their", "them", "themselves", "then", "there", "therefore", "these", "they",
  "this", "those", "though", "through", "thus", "to", "today", "together", "tomorrow",
  "tonight", "too", "toward", "towards", "under", "unless", "until", "up", "upon", "us",
  "very", "was", "we", "were", "what", "whatever", "when", "whenever", "where", "whereas",
  "whether", "which", "while", "who", "whoever", "whom", "whose", "why", "will", "with",
  "within", "without", "would", "yesterday", "yet", "you", "your", NULL
};

static int is_stopword(const ctx *x, size_t i) {
  size_t len, k;
  const char *s;
  char w[16];
  int lo = 0, hi = (int)(sizeof stopwords / sizeof stopwords[0]) - 1;  /* the NULL is excluded */
  if (x->d->tok[i].kind != TD_WORD || x->feat[i]) return 0;
  s = tok_text(x, i, &len);
  if (len == 0 || len >= sizeof w) return 0;
  for (k = 0; k < len; k++) {
    char c = s[k];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    else if (c < 'a' || c > 'z') return 0;
    w[k] = c;
  }
  w[len] = '\0';
  while (lo < hi) {   /* the list is sorted */
    int mid = (lo + hi) / 2, c = strcmp(stopwords[mid], w);
    if (c == 0) return 1;
    if (c < 0) lo = mid + 1; else hi = mid;
  }
  return 0;
}

/* Gazetteer bits that vouch for a name (not first names, titles or head words). */
#define SUPPORT_BITS (TD_GAZ_PERSON | TD_GAZ_COUNTRY | TD_GAZ_CITY | TD_GAZ_REGION | TD_GAZ_LOC | \
                      TD_GAZ_DEMONYM | TD_GAZ_ORG | TD_GAZ_FAC | TD_GAZ_EVENT | TD_GAZ_USER)

/* A span that is a whole line by itself ("Record Label", "4 Min Read" bits of
 * page furniture) and that the gazetteer does not vouch for. */
static int fixture_word(const ctx *x, size_t i) {   /* Leeds v Durham, BOSTON AT OAKLAND */
  return tok_is(x, i, "v") || tok_is(x, i, "vs") || tok_is(x, i, "at");
}

static int alone_on_line(const ctx *x, uint32_t a, uint32_t b, int type) {
  const td_doc *d = x->d;
  uint32_t k, sup = 0, caps = 1;
  for (k = a; k < b; k++) {
    sup |= x->feat[k];
    if (d->tok[k].kind == TD_WORD && !(d->tok[k].flags & TD_F_ALL_UPPER)) caps = 0;
  }
  if (sup & SUPPORT_BITS) return 0;
  /* not furniture: a score or a table row (Ayr 6 Berwick 0, NEW YORK 74 59),
   * a fixture (May 20 v Durham), a line inside brackets ("( at Headingley , |
   * Leeds )"), a byline or a ranked name with a first name (62 Nolan Henke),
   * a heading of several words in capitals (EASTERN DIVISION) */
  if (b < d->ntok && !(d->tok[b].flags & TD_F_NEWLINE_BEFORE) &&
      (d->tok[b].kind == TD_NUMBER || tok_is(x, b, ")") || fixture_word(x, b)))
    return 0;
  if (a > 0 && !(d->tok[a].flags & TD_F_NEWLINE_BEFORE) &&
      (fixture_word(x, a - 1) || tok_is(x, a - 1, "(")))
    return 0;
  if (type == T_PERSON && b - a >= 2 && (x->feat[a] & TD_GAZ_FIRSTNAME)) return 0;
  if (caps && b - a >= 2) return 0;
  /* a short line without a lower-case word ("4 Min Read", "Leave a Reply") */
  if (!(sup & TD_GAZ_FIRSTNAME)) {
    uint32_t s0 = a, e0 = b, lowers = 0;
    /* only a line of at most four tokens matters: walk no further (a long
     * line, or a text without line breaks, would make this quadratic) */
    while (s0 > 0 && !(d->tok[s0].flags & TD_F_NEWLINE_BEFORE) && a - s0 <= 4) s0--;
    while (e0 < d->ntok && !(d->tok[e0].flags & TD_F_NEWLINE_BEFORE) && e0 - b <= 4) e0++;
    for (k = s0; k < e0; k++) {
      const td_token *t = &d->tok[k];
      if (t->kind == TD_WORD && t->end - t->start >= 4 &&
          !(t->flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER))) lowers++;
    }
    if (e0 - s0 <= 4 && lowers == 0) return 1;
  }
  if (b < d->ntok && !(d->tok[b].flags & TD_F_NEWLINE_BEFORE)) return 0;
  /* only numbers, punctuation and function words before it on its line */
  while (a > 0 && !(d->tok[a].flags & TD_F_NEWLINE_BEFORE)) {
    const td_token *t = &d->tok[a - 1];
    if (t->kind == TD_WORD && !is_stopword(x, a - 1)) return 0;
    a--;
  }
  return b >= d->ntok || (d->tok[b].flags & TD_F_NEWLINE_BEFORE);
}

/* Is the word at i also written in lower case somewhere in the document?
 * (Ceasefire at the start of a sentence, ceasefire everywhere else.) */
static int lower_elsewhere(const ctx *x, size_t i) {
  size_t m = x->lcap - 1, k = (size_t)x->hash[i] & m;
  while (x->lower[k]) {
    if (x->lower[k] == x->hash[i]) return 1;
    k = (k + 1) & m;
  }
  return 0;
}

/* ---- spelling-variant hash: zelenskyy = zelensky = zelenskiy = zelenski -- */

static uint64_t variant_hash(const ctx *x, size_t i) {
  size_t len, k, n = 0;
  const char *s = tok_text(x, i, &len);
  char b[64];
  uint64_t h = 0xcbf29ce484222325ULL;
  for (k = 0; k < len && n < sizeof b; k++) {
    unsigned char c = (unsigned char)s[k];
    if (c >= 0x80) return x->hash[i];   /* non-ASCII: the normalised hash */
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    if (c == '.' || c == '\'' || c == '-') continue;
    if (c == 'i') c = 'y';             /* i/y transliteration */
    if (n > 0 && b[n - 1] == (char)c) continue;   /* doubled letters */
    b[n++] = (char)c;
  }
  for (k = 0; k < n; k++) h = (h ^ (unsigned char)b[k]) * 0x100000001b3ULL;
  return h;
}

/* The variant hash of token i, computed when first asked (most tokens never
 * are: only those of candidate spans and capitalised words); 0 in vhash
 * means not yet (a hash that is 0 is just computed again). */
static uint64_t vh(const ctx *x, size_t i) {
  uint64_t v = x->vhash[i];
  if (!v) v = x->vhash[i] = variant_hash(x, i);
  return v;
}

static int titled(const ctx *x, size_t i);
static int is_connector(const ctx *x, size_t i);

/* ---- model spans ------------------------------------------------------------ */

static int conll_code(const char *name) {
  if (!strcmp(name, "PER") || !strcmp(name, "PERSON")) return C_PER;
  if (!strcmp(name, "LOC")) return C_LOC;
  if (!strcmp(name, "ORG")) return C_ORG;
  return C_MISC;
}

static int model_spans(ctx *x, const td_model *m) {
  const td_doc *d = x->d;
  size_t si, nsent = d->nsent ? d->nsent : 1;
  int codes[16], t, nt = td_model_ntypes(m);
  for (t = 0; t < nt && t < 16; t++) codes[t] = conll_code(td_model_type_name(m, t));
  if (td_model_tag_doc(m, &x->s->ms, d, x->feat, x->lab) != TD_OK) return TD_ENOMEM;
  for (si = 0; si < nsent; si++) {
    size_t a = d->nsent ? d->sent[si].first : 0, b = d->nsent ? d->sent[si].last : d->ntok, i;
    int rc;
    if (b <= a) continue;
    i = a;
    while (i < b) {
      int l = x->lab[i], ty = td_model_label_type(m, l), pos = td_model_label_pos(m, l);
      size_t j;
      if (ty < 0 || ty >= nt || ty >= 16) { i++; continue; }
      j = i + 1;
      if (pos == TD_POS_B || pos == TD_POS_I) {
        while (j < b) {
          int l2 = x->lab[j], p2 = td_model_label_pos(m, l2);
          if (td_model_label_type(m, l2) != ty || (p2 != TD_POS_I && p2 != TD_POS_L)) break;
          j++;
          if (p2 == TD_POS_L) break;
        }
      }
      rc = add_cand(x, (uint32_t)i, (uint32_t)j, codes[ty], TD_SRC_MODEL, 80, NULL, 0);
      if (rc != TD_OK) return rc;
      i = j;
    }
  }
  return TD_OK;
}

/* ---- type mapping ------------------------------------------------------------ */

static int demonym_shape(const ctx *x, size_t i) {
  size_t len;
  const char *s = tok_text(x, i, &len);
  static const char *const suf[] = { "an", "ian", "ish", "ese", "i", "ic", "ern", NULL };
  int k;
  if (!is_cap(x, i) || len < 4) return 0;
  for (k = 0; suf[k]; k++) {
    size_t n = strlen(suf[k]), j;
    if (len <= n) continue;
    for (j = 0; j < n; j++) {
      char ch = s[len - n + j];
      if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
      if (ch != suf[k][j]) break;
    }
    if (j == n) return 1;
  }
  return 0;
}

static int quote_mark(const ctx *x, size_t i) {
  size_t len;
  const char *s = tok_text(x, i, &len);
  return (len == 1 && (s[0] == '"' || s[0] == '\'')) ||
         (len == 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
          ((unsigned char)s[2] >= 0x98 && (unsigned char)s[2] <= 0x9F));
}

/* Western, Eastern, Northern, Southern: group adjectives the model may call a person */
static int western(const ctx *x, size_t i) {
  return tok_is(x, i, "western") || tok_is(x, i, "eastern") || tok_is(x, i, "northern") ||
         tok_is(x, i, "southern");
}

/* The gazetteer's entry exactly covering [a,b), if any. */
static int gaz_exact(ctx *x, uint32_t a, uint32_t b, td_gaz_info *info) {
  return td_gaz_longest(x->g, x->d, x->hash, a, info) == b - a;
}

static int sentence_has_number(const ctx *x, size_t i) {
  const td_doc *d = x->d;
  size_t a = i, b = i;
  while (a > 0 && !(d->tok[a].flags & TD_F_SENT_START)) a--;
  while (b < d->ntok && (b == i || !(d->tok[b].flags & TD_F_SENT_START))) b++;
  for (; a < b; a++) if (d->tok[a].kind == TD_NUMBER) return 1;
  return 0;
}

/* One written word joined by hyphens whose other parts are names or words
 * of relation: a compound adjective on a name (Vienna-based, U.S.-led,
 * ex-England, Arab-Israeli; not Ottoman-era, PR-driven).  NORP is the
 * nearest OntoNotes type for these CoNLL MISC words. */
static int relation_word(const ctx *x, size_t i) {
  static const char *const w[] = { "based", "led", "born", "controlled", "backed", "ruled",
                                   "owned", "registered", "listed", "origin", "bound", "run",
                                   "made", "held", "sponsored", "dominated", "occupied",
                                   "speaking", "ex", "post", "pre", "anti", "pro", NULL };
  int k;
  for (k = 0; w[k]; k++) if (tok_is(x, i, w[k])) return 1;
  return 0;
}

static int hyphen_compound(const ctx *x, uint32_t a, uint32_t b) {
  uint32_t k;
  int hyphen = 0, cap = 0;
  if (b - a == 1) {   /* one token: ex-England, post-Games */
    size_t len, j;
    const char *w = tok_text(x, a, &len);
    for (j = 1; j + 1 < len && w[j] != '-'; j++) {}
    if (j + 1 >= len || !(w[j + 1] >= 'A' && w[j + 1] <= 'Z')) return 0;
    return (w[0] >= 'A' && w[0] <= 'Z') || relation_word(x, a) ||
           (j == 2 && w[0] == 'e' && w[1] == 'x') ||
           (j == 3 && !strncmp(w, "pre", 3)) || (j == 3 && !strncmp(w, "pro", 3)) ||
           (j == 4 && (!strncmp(w, "post", 4) || !strncmp(w, "anti", 4)));
  }
  for (k = a; k < b; k++) {
    const td_token *t = &x->d->tok[k];
    int h = t->kind == TD_PUNCT && tok_is(x, k, "-");
    /* the parts around a hyphen are written together (New York-based) */
    if (k > a && (h || (k > a && tok_is(x, k - 1, "-"))) && (t->flags & TD_F_SPACE_BEFORE)) return 0;
    if (h) { hyphen = 1; continue; }
    if (t->kind != TD_WORD) return 0;
    if (is_cap(x, k)) cap = 1;
    else if (!relation_word(x, k)) return 0;
  }
  return hyphen && cap;
}

static int map_type(ctx *x, cand *c) {
  uint32_t lastf = x->feat[c->last - 1], all = 0, k;
  td_gaz_info gi;
  int exact = gaz_exact(x, c->first, c->last, &gi) && gi.type >= 0;
  for (k = c->first; k < c->last; k++) all |= x->feat[k];
  if (c->last - c->first == 1 && c->type != C_NONE && western(x, c->first)) return T_NORP;
  if (exact) {
    c->canon = gi.canon;
    c->canonlen = (uint32_t)gi.canonlen;
    c->source |= TD_SRC_GAZ;
    c->score = 95;
  }
  switch (c->type) {
    case C_PER:
      if (c->last - c->first >= 2 && (lastf & (TD_GAZ_FAC | TD_GAZ_HEAD)) == (TD_GAZ_FAC | TD_GAZ_HEAD))
        return T_FAC;
      /* a person named like a place that is also a first name (Jordan) stays a person */
      if (exact && (gi.type == T_GPE || gi.type == T_LOC) && (all & TD_GAZ_FIRSTNAME)) {
        c->canon = NULL;
        c->canonlen = 0;
        return T_PERSON;
      }
      if (exact) return gi.type;
      if (c->last - c->first == 1 && !(lastf & TD_GAZ_FIRSTNAME) && western(x, c->first) &&
          !titled(x, c->first))
        return T_NORP;
      return T_PERSON;
    case C_LOC:
      if (exact) return gi.type;
      if ((lastf & (TD_GAZ_FAC | TD_GAZ_HEAD)) == (TD_GAZ_FAC | TD_GAZ_HEAD)) return T_FAC;
      if ((lastf & (TD_GAZ_LOC | TD_GAZ_HEAD)) == (TD_GAZ_LOC | TD_GAZ_HEAD)) return T_LOC;
      return T_GPE;
    case C_ORG:
      /* a place the model calls an organisation is a government (Kyiv's
       * insistence: GPE, as OntoNotes has it), but a team in a sentence with
       * scores (Japan beat Syria 2-1) stays ORG */
      if (exact && gi.type == T_GPE && (x->sports || sentence_has_number(x, c->first))) return T_ORG;
      if (exact) return gi.type;
      if (!x->sports && (lastf & (TD_GAZ_FAC | TD_GAZ_HEAD)) == (TD_GAZ_FAC | TD_GAZ_HEAD)) return T_FAC;
      return T_ORG;
    case C_MISC:
      if (exact) return gi.type;
      if (c->last - c->first >= 2) {   /* a head word alone (War) is not a name */
        if ((lastf & (TD_GAZ_FAC | TD_GAZ_HEAD)) == (TD_GAZ_FAC | TD_GAZ_HEAD)) return T_FAC;
        if ((lastf & (TD_GAZ_LOC | TD_GAZ_HEAD)) == (TD_GAZ_LOC | TD_GAZ_HEAD)) return T_LOC;
        if ((lastf & (TD_GAZ_ORG | TD_GAZ_HEAD)) == (TD_GAZ_ORG | TD_GAZ_HEAD)) return T_ORG;
        if ((all & (TD_GAZ_EVENT | TD_GAZ_HEAD)) == (TD_GAZ_EVENT | TD_GAZ_HEAD)) return T_EVENT;
        if ((lastf & (TD_GAZ_MISC | TD_GAZ_HEAD)) == (TD_GAZ_MISC | TD_GAZ_HEAD)) return T_LAW;
      } else if (lastf & TD_GAZ_HEAD) {
        return -1;
      }
      if (c->last - c->first == 1 && ((lastf & TD_GAZ_DEMONYM) || demonym_shape(x, c->first)))
        return T_NORP;
      for (k = c->first; k < c->last; k++)
        if (x->d->tok[k].kind == TD_NUMBER) return T_EVENT;
      if (hyphen_compound(x, c->first, c->last)) return T_NORP;
      /* a title in quotes is a work; other unknown names of several capitalised
       * words a product */
      if (c->first > 0 && c->last < x->d->ntok && x->d->tok[c->first - 1].kind == TD_PUNCT &&
          x->d->tok[c->last].kind == TD_PUNCT && quote_mark(x, c->first - 1) && quote_mark(x, c->last))
        return T_WORK;
      if (c->last - c->first < 2) {
        /* a lone capitalised word is a group (Moslem, Olympic); an acronym
         * (GMT) or a plural acronym (POWs) is dropped */
        size_t len;
        const char *w = tok_text(x, c->first, &len);
        if (demonym_shape(x, c->first)) return T_NORP;   /* YUGOSLAV, KOREAN too */
        if ((x->d->tok[c->first].flags & TD_F_ALL_UPPER) || !is_cap(x, c->first)) return -1;
        if (len >= 3 && w[len - 1] == 's' && w[1] >= 'A' && w[1] <= 'Z') return -1;
        /* used as a group word: before a lower-case word (Hutu refugees) or plural */
        if (w[len - 1] == 's' ||
            (c->last < x->d->ntok && x->d->tok[c->last].kind == TD_WORD &&
             !(x->d->tok[c->last].flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER))))
          return T_NORP;
        return -1;
      }
      /* capitalised words, with small words inside (World Series of Golf,
       * Tour of the Netherlands) */
      if (!is_cap(x, c->first) || !is_cap(x, c->last - 1)) return -1;
      for (k = c->first + 1; k + 1 < c->last; k++)
        if (!is_cap(x, k) && !is_connector(x, k) && !tok_is(x, k, "the") && !tok_is(x, k, "and"))
          return -1;
      return T_PRODUCT;
    default:
      return c->type;
  }
}

/* ---- gazetteer and rule spans ------------------------------------------------ */

static int gaz_span_cb(void *ud, size_t first, size_t last, const td_gaz_info *gi) {
  ctx *x = (ctx *)ud;
  if (gi->type < 0) return TD_OK;
  return add_cand(x, (uint32_t)first, (uint32_t)last, gi->type, TD_SRC_GAZ, 90, gi->canon, gi->canonlen);
}

static int is_connector(const ctx *x, size_t i) {
  static const char *const w[] = { "of", "de", "da", "do", "dos", "von", "van", "der", "den",
                                   "bin", "al", "la", "le", "du", "del", "di", "y", NULL };
  int k;
  if (x->d->tok[i].kind != TD_WORD || x->d->tok[i].end - x->d->tok[i].start > 3) return 0;   /* none is longer */
  for (k = 0; w[k]; k++) if (tok_is(x, i, w[k])) return 1;
  return 0;
}

static int role_word(const ctx *x, size_t i) {
  static const char *const w[] = { "former", "then", "acting", "deputy", "interim", "chief",
                                   "top", "senior", "first", "vice", "outgoing", "incumbent",
                                   "new", "late", "ex", "foreign", "defence", "defense", NULL };
  int k;
  for (k = 0; w[k]; k++) if (tok_is(x, i, w[k])) return 1;
  return 0;
}

static int titled(const ctx *x, size_t i) {  /* a title word right before token i */
  return i > 0 && (x->feat[i - 1] & TD_GAZ_TITLE) && x->d->tok[i - 1].kind == TD_WORD;
}

static int rule_spans(ctx *x) {
  const td_doc *d = x->d;
  size_t i = 0;
  while (i < d->ntok) {
    size_t a = i, b, k;
    uint32_t lastf;
    int type = -1;
    if (x->owner[i] >= 0 || !is_cap(x, i) || (x->feat[i] & TD_GAZ_TITLE) || x->headline[i]) {
      i++;
      continue;
    }
    b = i + 1;
    for (;;) {
      if (b < d->ntok && x->owner[b] < 0 && is_cap(x, b) && !(x->feat[b] & TD_GAZ_TITLE) &&
          !(d->tok[b].flags & TD_F_SENT_START)) { b++; continue; }
      if (b + 1 < d->ntok && is_connector(x, b) && x->owner[b + 1] < 0 && is_cap(x, b + 1) &&
          !(x->feat[b + 1] & TD_GAZ_TITLE)) { b += 2; continue; }
      break;
    }
    i = b;
    /* a sentence-initial word the gazetteer does not know is just a capital */
    if ((d->tok[a].flags & TD_F_SENT_START) && !(x->feat[a] & ~(uint32_t)(TD_GAZ_B | TD_GAZ_U)) &&
        !titled(x, a))
      a++;
    while (a < b && is_stopword(x, a)) a++;
    if (a >= b || is_connector(x, a) || alone_on_line(x, (uint32_t)a, (uint32_t)b, -1)) continue;
    lastf = x->feat[b - 1];
    if (b - a >= 2 && (lastf & TD_GAZ_HEAD)) {
      if (lastf & TD_GAZ_FAC) type = T_FAC;
      else if (lastf & TD_GAZ_ORG) type = T_ORG;
      else if (lastf & TD_GAZ_LOC) type = T_LOC;
      else if (lastf & TD_GAZ_EVENT) type = T_EVENT;
      else if (lastf & TD_GAZ_MISC) type = T_LAW;
    } else if (b - a >= 2 && (lastf & TD_GAZ_ORGSUFFIX)) {
      type = T_ORG;
    } else if (b - a >= 2 && b - a <= 4 && (x->feat[a] & TD_GAZ_FIRSTNAME)) {
      type = T_PERSON;
    } else if (b - a <= 4 && titled(x, a)) {
      type = T_PERSON;
    }
    if (type < 0) continue;
    for (k = a; k < b; k++) if (x->owner[k] >= 0) break;
    if (k < b) continue;
    {
      int rc = add_cand(x, (uint32_t)a, (uint32_t)b, type, TD_SRC_RULE, 60, NULL, 0);
      if (rc != TD_OK) return rc;
      claim(x, x->s->ncand - 1);
    }
  }
  return TD_OK;
}

/* Lone surnames of persons found elsewhere in the document. */
/* The surnames (at most SUR_MAX, the first found) sit in a small open-
 * addressing set (SUR_SLOTS > 2 x SUR_MAX): a long document tests every
 * capitalised word against them. */
#define SUR_MAX 128
#define SUR_SLOTS 256
static int sur_find(const uint64_t *set, const uint8_t *used, uint64_t v, size_t *slot) {
  size_t k = (size_t)(v ^ (v >> 29)) & (SUR_SLOTS - 1);
  while (used[k] && set[k] != v) k = (k + 1) & (SUR_SLOTS - 1);
  *slot = k;
  return used[k];
}

static int surname_spans(ctx *x) {
  const td_doc *d = x->d;
  size_t i, ci, k, n0 = x->s->ncand, ns = 0;
  uint64_t set[SUR_SLOTS], v;   /* the surnames of the persons with two words or more */
  uint8_t used[SUR_SLOTS];
  memset(used, 0, sizeof used);
  for (ci = 0; ci < n0; ci++) {
    cand *c = &C(x)[ci];
    if (c->dead || c->type != T_PERSON || c->last - c->first < 2) continue;
    v = vh(x, c->last - 1);
    if (!sur_find(set, used, v, &k) && ns < SUR_MAX) {
      set[k] = v;
      used[k] = 1;
      ns++;
    }
  }
  if (ns == 0) return TD_OK;
  for (i = 0; i < d->ntok; i++) {
    if (x->owner[i] >= 0 || !is_cap(x, i) || (x->feat[i] & TD_GAZ_TITLE) ||
        (d->tok[i].flags & TD_F_ALL_UPPER))
      continue;
    if (!sur_find(set, used, vh(x, i), &k)) continue;
    if (add_cand(x, (uint32_t)i, (uint32_t)i + 1, T_PERSON, TD_SRC_RULE, 70, NULL, 0) != TD_OK)
      return TD_ENOMEM;
    claim(x, x->s->ncand - 1);
  }
  return TD_OK;
}

/* ---- roles ------------------------------------------------------------------ */

static int role_token(const ctx *x, size_t i) {
  const td_token *t = &x->d->tok[i];
  int32_t o = x->owner[i];
  if (x->feat[i] & TD_GAZ_TITLE) return 2;
  if (t->flags & TD_F_CLITIC) return tok_is(x, i, "'s") || tok_is(x, i, "\xE2\x80\x99s");
  if (o >= 0) {
    int ty = C((ctx *)x)[o].type;
    return ty == T_GPE || ty == T_NORP || ty == T_ORG;
  }
  if (x->feat[i] & (TD_GAZ_DEMONYM | PLACE_BITS | TD_GAZ_ORG)) return 1;
  return t->kind == TD_WORD && role_word(x, i);
}

static void find_role(ctx *x, cand *c) {
  const td_doc *d = x->d;
  size_t a = c->first, j, rb, ra;
  int appos = 0, title;
  if (a == 0 || (d->tok[a].flags & TD_F_SENT_START)) goto after;
  j = a;
  /* "Deputy Foreign Minister, Serhiy Kyslytsya," */
  if (j >= 2 && tok_is(x, j - 1, ",") && (x->feat[j - 2] & TD_GAZ_TITLE) && c->last < d->ntok &&
      (tok_is(x, c->last, ",") || tok_is(x, c->last, "."))) {
    j--;
    appos = 1;
  }
  rb = j;
  title = 0;
  while (j > 0) {
    int r = role_token(x, j - 1);
    if (!r) break;
    if (r == 2) title = 1;
    j--;
    if (d->tok[j].flags & TD_F_SENT_START) break;
  }
  /* the role ends with a title word; qualifiers come before it */
  if (title) {
    ra = j;
    while (rb > ra && !(x->feat[rb - 1] & TD_GAZ_TITLE)) rb--;
    if (rb > ra && (appos ? rb == c->first - 1 : rb == c->first)) {
      c->rfirst = (uint32_t)ra;
      c->rlast = (uint32_t)rb;
      return;
    }
  }
after:
  /* apposition: "Dmitry Peskov, Kremlin spokesperson," */
  if (c->last + 1 < d->ntok && tok_is(x, c->last, ",")) {
    size_t k = c->last + 1, lastt = 0;
    if (tok_is(x, k, "the") || tok_is(x, k, "a") || tok_is(x, k, "an")) k++;
    ra = k;
    while (k < d->ntok && k < ra + 8) {
      int r = role_token(x, k);
      if (!r) break;
      if (r == 2) lastt = k + 1;
      k++;
    }
    if (lastt && lastt == k && (k == d->ntok || d->tok[k].kind == TD_PUNCT)) {
      c->rfirst = (uint32_t)ra;
      c->rlast = (uint32_t)k;
    }
  }
}

/* ---- canonical names ---------------------------------------------------------- */

/* Every word of c (but the titles) is, up to spelling, a word of e. */
static int words_within(ctx *x, const cand *c, const cand *e) {
  uint32_t i, k;
  uint64_t v;
  for (i = c->first; i < c->last; i++) {
    if (x->d->tok[i].kind != TD_WORD) continue;
    v = vh(x, i);
    for (k = e->first; k < e->last; k++) if (vh(x, k) == v) break;
    if (k == e->last) return 0;
  }
  return 1;
}

/* best, or e when e is a person mention that c can link to and a better
 * one: longer than c (or as long and already named), holding c's words,
 * and preferring a named, then a longer mention. */
static cand *better_person(ctx *x, const cand *c, cand *e, cand *best) {
  if (e == c || e->dead || e->type != T_PERSON) return best;
  if (e->last - e->first <= c->last - c->first && !(e->canon && e->last - e->first == c->last - c->first))
    return best;
  if (!words_within(x, c, e)) return best;
  if (best == NULL || (best->canon == NULL && e->canon != NULL) ||
      (e->last - e->first > best->last - best->first && (e->canon != NULL) >= (best->canon != NULL)))
    return e;
  return best;
}

/* The person mention e that the shorter mention c links to, among the
 * candidates listed in idx[0..n) (NULL: none). */
static cand *person_link(ctx *x, cand *c, const uint32_t *idx, size_t n) {
  cand *cs = C(x), *best = NULL;
  size_t k;
  for (k = 0; k < n; k++) best = better_person(x, c, &cs[idx ? idx[k] : k], best);
  return best;
}

/* Postings: (word, distinct mention) pairs sorted by word, then mention. */
typedef struct word_post { uint64_t word; uint32_t cand; } word_post;

static size_t count_words(const ctx *x, const cand *c) {
  size_t n = 0;
  uint32_t i;
  for (i = c->first; i < c->last; i++) if (x->d->tok[i].kind == TD_WORD) n++;
  return n;
}

static int cmp_post(const void *a, const void *b) {
  const word_post *p = (const word_post *)a, *q = (const word_post *)b;
  if (p->word != q->word) return p->word < q->word ? -1 : 1;
  return p->cand < q->cand ? -1 : p->cand > q->cand;
}

static word_post *build_postings(ctx *x, const uint32_t *distinct, size_t nd, size_t *np) {
  const td_alloc *A = &x->s->A;
  const cand *cs = C(x);
  size_t n = 0, k = 0, i;
  word_post *p;
  for (i = 0; i < nd; i++) n += count_words(x, &cs[distinct[i]]);
  *np = n;
  if (n == 0) return NULL;
  p = (word_post *)A->f(A->ud, NULL, 0, n * sizeof(word_post));
  if (p == NULL) return NULL;
  for (i = 0; i < nd; i++) {
    const cand *c = &cs[distinct[i]];
    uint32_t t;
    for (t = c->first; t < c->last; t++)
      if (x->d->tok[t].kind == TD_WORD) { p[k].word = vh(x, t); p[k].cand = distinct[i]; k++; }
  }
  qsort(p, n, sizeof(word_post), cmp_post);
  return p;
}

/* person_link over the mentions that hold c's first word (the same answer:
 * words_within needs that word in the mention).  Returns 0 when c has no
 * word to look up, else 1 with the link (or NULL) in *out. */
static int person_link_posted(ctx *x, cand *c, const word_post *p, size_t n, cand **out) {
  cand *cs = C(x), *best = NULL;
  uint32_t t;
  size_t lo = 0, hi = n;
  uint64_t w;
  for (t = c->first; t < c->last && x->d->tok[t].kind != TD_WORD; t++) {}
  if (t == c->last) return 0;
  w = vh(x, t);
  while (lo < hi) { size_t mid = (lo + hi) / 2; if (p[mid].word < w) lo = mid + 1; else hi = mid; }
  for (; lo < n && p[lo].word == w; lo++) {
    cand *e = &cs[p[lo].cand];
    if (lo > 0 && p[lo - 1].word == w && p[lo - 1].cand == p[lo].cand) continue;  /* the word twice */
    best = better_person(x, c, e, best);
  }
  *out = best;
  return 1;
}

static void set_canon(ctx *x, cand *c, const cand *best) {
  if (best->canon) { c->canon = best->canon; c->canonlen = best->canonlen; }
  else {
    c->canon = x->d->text + x->d->tok[best->first].start;
    c->canonlen = x->d->tok[best->last - 1].end - x->d->tok[best->first].start;
  }
}

/* Two person mentions that read the same (same normalised words, same
 * gazetteer canonical) resolve the same way. */
static int same_mention(ctx *x, const cand *a, const cand *b) {
  uint32_t i;
  if (a->last - a->first != b->last - b->first || a->canon != b->canon || a->canonlen != b->canonlen)
    return 0;
  for (i = 0; i < a->last - a->first; i++)
    if (vh(x, a->first + i) != vh(x, b->first + i)) return 0;
  return 1;
}

static uint64_t mention_key(ctx *x, const cand *c) {
  uint64_t h = 1469598103934665603ULL ^ (c->last - c->first) ^ ((uint64_t)c->canonlen << 32);
  uint32_t i;
  for (i = c->first; i < c->last; i++) h = (h ^ vh(x, i)) * 1099511628211ULL;
  return h;
}

/* A later "Trump" links to the earlier "Donald Trump".  Mentions repeat (every
 * "Putin" of an article), so each distinct mention is resolved once, against
 * the distinct longer ones: the work grows with the square of the number of
 * distinct names, not of the mentions. */
static void person_canonicals(ctx *x) {
  size_t n = x->s->ncand, i, np = 0, nd = 0, cap = 16;
  cand *cs = C(x);
  const td_alloc *A = &x->s->A;
  uint32_t *rep, *distinct, *slot;
  for (i = 0; i < n; i++) if (!cs[i].dead && cs[i].type == T_PERSON) np++;
  if (np == 0) return;
  while (cap < 2 * np) cap *= 2;
  rep = (uint32_t *)A->f(A->ud, NULL, 0, n * sizeof(uint32_t));
  distinct = (uint32_t *)A->f(A->ud, NULL, 0, np * sizeof(uint32_t));
  slot = (uint32_t *)A->f(A->ud, NULL, 0, cap * sizeof(uint32_t));
  if (rep == NULL || distinct == NULL || slot == NULL) {
    /* no memory for the shortcut: compare every mention with every other */
    for (i = 0; i < n; i++) {
      cand *c = &cs[i], *best;
      if (c->dead || c->type != T_PERSON || c->canon) continue;
      if ((best = person_link(x, c, NULL, n)) != NULL) set_canon(x, c, best);
    }
  } else {
    memset(slot, 0xFF, cap * sizeof(uint32_t));
    for (i = 0; i < n; i++) {
      size_t h;
      if (cs[i].dead || cs[i].type != T_PERSON) continue;
      for (h = (size_t)mention_key(x, &cs[i]) & (cap - 1);; h = (h + 1) & (cap - 1)) {
        if (slot[h] == UINT32_MAX) { slot[h] = (uint32_t)i; distinct[nd++] = (uint32_t)i; rep[i] = (uint32_t)i; break; }
        if (same_mention(x, &cs[slot[h]], &cs[i])) { rep[i] = slot[h]; break; }
      }
    }
    /* longest mentions first, so the short ones can link to them; a mention
     * can only link to one holding its first word: look there */
    size_t npost = 0;
    word_post *post = build_postings(x, distinct, nd, &npost);
    for (i = 0; i < nd; i++) {
      cand *c = &cs[distinct[i]], *best;
      if (c->canon) continue;
      if (!post || !person_link_posted(x, c, post, npost, &best)) best = person_link(x, c, distinct, nd);
      if (best != NULL) set_canon(x, c, best);
    }
    if (post) td_free(A, post, npost * sizeof(word_post));
    for (i = 0; i < n; i++) {
      cand *c = &cs[i];
      if (c->dead || c->type != T_PERSON || c->canon || rep[i] == i) continue;
      c->canon = cs[rep[i]].canon;
      c->canonlen = cs[rep[i]].canonlen;
    }
  }
  td_free(A, rep, n * sizeof(uint32_t));
  td_free(A, distinct, np * sizeof(uint32_t));
  td_free(A, slot, cap * sizeof(uint32_t));
}

/* ---- main ------------------------------------------------------------------- */

/* hash, vhash, feat, reach, owner, lab, headline per token. */
static int grow_scratch(td_ent_scratch *s, size_t n) {
  size_t per = 8 + 8 + 4 + 4 + 4 + 2 + 1;
  if (n > ((size_t)-1 - 1024) / (per + 32)) return TD_ENOMEM;
  return td_grow(&s->A, &s->buf, &s->cap, n * per, 1);
}

/* The set of the document's lower-case words (their hashes), for
 * lower_elsewhere: open addressing at a load <= 1/2, sized by the distinct
 * words (it starts at LOWER_MIN slots and doubles), not by the tokens, so
 * that it stays small and in cache.  Its memory stays in the scratch. */
#define LOWER_MIN 1024
static int lower_add(ctx *x, uint64_t h) {
  size_t m = x->lcap - 1, k = (size_t)h & m;
  while (x->lower[k] && x->lower[k] != h) k = (k + 1) & m;
  if (x->lower[k]) return TD_OK;
  x->lower[k] = h;
  if (++x->lcount * 2 > x->lcap) {
    td_ent_scratch *s = x->s;
    size_t ncap = x->lcap * 2, i;
    uint64_t *n;
    if (ncap > ((size_t)-1) / 2 / sizeof(uint64_t)) return TD_ENOMEM;
    n = (uint64_t *)s->A.f(s->A.ud, NULL, 0, ncap * sizeof(uint64_t));
    if (n == NULL) return TD_ENOMEM;
    memset(n, 0, ncap * sizeof(uint64_t));
    for (i = 0; i < x->lcap; i++) {
      size_t j;
      if (!x->lower[i]) continue;
      for (j = (size_t)x->lower[i] & (ncap - 1); n[j]; j = (j + 1) & (ncap - 1)) {}
      n[j] = x->lower[i];
    }
    td_free(&s->A, s->lower, s->lowercap * sizeof(uint64_t));
    s->lower = x->lower = n;
    s->lowercap = x->lcap = ncap;
  }
  return TD_OK;
}

/* Headline-like sentences: three or more words that no gazetteer knows, three
 * quarters of them capitalised, and few commas (a list of names is not a
 * headline). */
static int title_small_word(const ctx *x, size_t i) {
  static const char *const w[] = { "a", "an", "and", "as", "at", "but", "by", "en", "for", "from",
                                   "in", "into", "nor", "of", "off", "on", "onto", "or", "out",
                                   "over", "per", "so", "than", "the", "to", "up", "v", "via", "vs",
                                   "with", "yet", NULL };
  int k;
  if (x->d->tok[i].end - x->d->tok[i].start > 4) return 0;   /* none is longer */
  for (k = 0; w[k]; k++) if (tok_is(x, i, w[k])) return 1;
  return 0;
}

static void mark_headlines(ctx *x) {
  const td_doc *d = x->d;
  size_t si, nsent = d->nsent ? d->nsent : 1;
  memset(x->headline, 0, d->ntok);
  for (si = 0; si < nsent; si++) {
    size_t a = d->nsent ? d->sent[si].first : 0, b = d->nsent ? d->sent[si].last : d->ntok, i;
    size_t caps = 0, words = 0, commas = 0;
    for (i = a; i < b; i++) {
      const td_token *t = &d->tok[i];
      if (t->kind == TD_PUNCT && t->end - t->start == 1 && d->text[t->start] == ',') commas++;
      /* Title Case leaves only small words in lower case: a lower-case verb
       * or noun ("Magna was up on the New York Stock Exchange") is prose */
      if (t->kind == TD_WORD && !(t->flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER | TD_F_CLITIC)) &&
          !title_small_word(x, i))
        break;   /* prose: not a headline, whatever the rest of the sentence */
      if (t->kind != TD_WORD || t->end - t->start < 4 || x->feat[i]) continue;
      words++;
      if (t->flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER)) caps++;
    }
    if (i == b && words >= 3 && caps * 4 >= words * 3 && commas * 4 < words) {
      /* 2: a Title Case headline ("Trump's Role in the Peace Process"): its
       * small words are in lower case, unlike a line of scores or names */
      uint8_t v = 1;
      for (i = a; i < b; i++)
        if (d->tok[i].kind == TD_WORD && !(d->tok[i].flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER)) &&
            is_stopword(x, i)) { v = 2; break; }
      memset(x->headline + a, v, b - a);
    }
  }
}

/* A capitalised The/All inside a sentence, after a word or a bracket, is part
 * of the name the model marked (at The Oval, the All Blacks); at the start of
 * a sentence, a line or a quote it is only a capital. */
static int name_article(const ctx *x, size_t i) {
  const td_token *t = &x->d->tok[i];
  if (i == 0 || (t->flags & (TD_F_SENT_START | TD_F_NEWLINE_BEFORE | TD_F_ALL_UPPER)) ||
      !(t->flags & TD_F_UPPER_INITIAL))
    return 0;
  if (!tok_is(x, i, "the") && !tok_is(x, i, "all")) return 0;
  return x->d->tok[i - 1].kind == TD_WORD || tok_is(x, i - 1, "(");
}

static int has_open_paren(const ctx *x, const cand *c) {   /* Mladost ( BJ ) */
  uint32_t k;
  for (k = c->first; k + 1 < c->last; k++) if (tok_is(x, k, "(")) return 1;
  return 0;
}

/* A word numbering a part of the text at the start of a line: "Paragraph
 * 12:", "Chapter 3:", "Update 2:" (the gazetteer does not know the word). */
static int numbered_label(const ctx *x, const cand *c) {
  const td_doc *d = x->d;
  uint32_t a = c->first;
  if (c->last - a != 1 || c->last + 1 >= d->ntok || (x->feat[a] & SUPPORT_BITS)) return 0;
  if (a > 0 && !(d->tok[a].flags & TD_F_NEWLINE_BEFORE)) return 0;
  return d->tok[c->last].kind == TD_NUMBER && tok_is(x, c->last + 1, ":");
}

/* Results and fixtures: two or more of the model's organisations stand next
 * to a score or to v/vs/at on their line (Ayr 6 Berwick 0, BOSTON AT
 * OAKLAND).  Then a place the model calls an organisation is a team. */
static int sports_doc(const ctx *x, size_t c0, size_t c1) {
  const td_doc *d = x->d;
  size_t i, n = 0;
  for (i = c0; i < c1; i++) {
    const cand *c = &C((ctx *)x)[i];
    uint32_t a = c->first, b = c->last;
    if (c->type != C_ORG) continue;
    if ((b < d->ntok && !(d->tok[b].flags & TD_F_NEWLINE_BEFORE) &&
         (d->tok[b].kind == TD_NUMBER || fixture_word(x, b))) ||
        (a > 0 && !(d->tok[a].flags & TD_F_NEWLINE_BEFORE) && fixture_word(x, a - 1)))
      if (++n >= 2) return 1;
  }
  return 0;
}

static int cmp_first(const cand *a, const cand *b) {
  return a->first < b->first ? -1 : a->first > b->first;
}

/* reach[t]: the furthest end among the gazetteer matches [ng0, ng1) that
 * start at or before token t (0: none), so that "a longer gazetteer phrase
 * contains this span" is two lookups instead of a scan of every match. */
static void gaz_reach(ctx *x, size_t ng0, size_t ng1) {
  size_t n = x->d->ntok, t, k;
  const cand *cs = C(x);
  memset(x->reach, 0, n * sizeof(uint32_t));
  for (k = ng0; k < ng1; k++)
    if (cs[k].last > x->reach[cs[k].first]) x->reach[cs[k].first] = cs[k].last;
  for (t = 1; t < n; t++)
    if (x->reach[t - 1] > x->reach[t]) x->reach[t] = x->reach[t - 1];
}

/* A gazetteer match covers c and is longer: it starts at or before c and ends
 * after it, or starts before c and ends with it. */
static int gaz_covers(const ctx *x, const cand *c) {
  return x->reach[c->first] > c->last || (c->first > 0 && x->reach[c->first - 1] >= c->last);
}

/* Stable sort of the candidates by their first token.  They come in a few
 * sorted runs (model, gazetteer, rules); a bottom-up merge sort keeps long
 * documents at O(n log n).  Without memory for it: insertion sort. */
static void sort_cands(ctx *x, cand *cs, size_t n) {
  const td_alloc *A = &x->s->A;
  cand *tmp, *src = cs, *dst;
  size_t width, i, k;
  if (n < 2) return;
  tmp = (cand *)A->f(A->ud, NULL, 0, n * sizeof(cand));
  if (tmp == NULL) {
    for (i = 1; i < n; i++) {
      cand t = cs[i];
      for (k = i; k > 0 && cmp_first(&cs[k - 1], &t) > 0; k--) cs[k] = cs[k - 1];
      cs[k] = t;
    }
    return;
  }
  dst = tmp;
  for (width = 1; width < n; width *= 2) {
    for (i = 0; i < n; i += 2 * width) {
      size_t a = i, am = i + width < n ? i + width : n, b = am, bm = i + 2 * width < n ? i + 2 * width : n;
      k = i;
      while (a < am && b < bm) dst[k++] = cmp_first(&src[b], &src[a]) < 0 ? src[b++] : src[a++];
      while (a < am) dst[k++] = src[a++];
      while (b < bm) dst[k++] = src[b++];
    }
    { cand *t = src; src = dst; dst = t; }
  }
  if (src != cs) memcpy(cs, src, n * sizeof(cand));
  td_free(A, tmp, n * sizeof(cand));
}

static int same_words(const ctx *x, const cand *a, const cand *b) {
  uint32_t j, len = a->last - a->first;
  if (b->last - b->first != len) return 0;
  for (j = 0; j < len; j++) if (x->hash[a->first + j] != x->hash[b->first + j]) return 0;
  return 1;
}

static size_t words_slot(const ctx *x, const cand *c, size_t cap) {
  uint64_t h = 1469598103934665603ULL ^ (c->last - c->first);
  uint32_t j;
  for (j = c->first; j < c->last; j++) h = (h ^ x->hash[j]) * 1099511628211ULL;
  return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* Remember candidate k under its words, keeping the lowest index. */
static void words_put(const ctx *x, uint32_t *slot, size_t cap, uint32_t k) {
  const cand *cs = C((ctx *)x);
  size_t h;
  for (h = words_slot(x, &cs[k], cap);; h = (h + 1) & (cap - 1)) {
    if (slot[h] == UINT32_MAX) { slot[h] = k; return; }
    if (same_words(x, &cs[slot[h]], &cs[k])) { if (k < slot[h]) slot[h] = k; return; }
  }
}

/* Held-back candidates [nm0, nm1) (dead == 2) come back, with the type of the
 * first live candidate outside a headline that has the same words. */
static int revive_held_back(ctx *x, size_t nm0, size_t nm1) {
  const td_alloc *A = &x->s->A;
  size_t n = x->s->ncand, cap = 16, i, h;
  uint32_t *slot;
  cand *cs = C(x);
  for (i = nm0; i < nm1 && cs[i].dead != 2; i++) {}
  if (i == nm1) return TD_OK;  /* nothing held back */
  while (cap < 2 * n + 2) cap *= 2;
  slot = (uint32_t *)A->f(A->ud, NULL, 0, cap * sizeof(uint32_t));
  if (slot == NULL) return TD_ENOMEM;
  memset(slot, 0xFF, cap * sizeof(uint32_t));
  for (i = 0; i < n; i++)
    if (!cs[i].dead && !x->headline[cs[i].first]) words_put(x, slot, cap, (uint32_t)i);
  for (i = nm0; i < nm1; i++) {
    cand *c = &cs[i];
    if (c->dead != 2) continue;
    c->dead = 1;
    if (!free_range(x, c->first, c->last)) continue;
    for (h = words_slot(x, c, cap); slot[h] != UINT32_MAX; h = (h + 1) & (cap - 1)) {
      if (!same_words(x, &cs[slot[h]], c)) continue;
      c->dead = 0;
      c->type = cs[slot[h]].type;
      claim(x, i);
      if (!x->headline[c->first]) words_put(x, slot, cap, (uint32_t)i);
      break;
    }
  }
  td_free(A, slot, cap * sizeof(uint32_t));
  return TD_OK;
}

static int pattern_cb(void *ud, size_t start, size_t end, int type) {
  ctx *x = (ctx *)ud;
  const td_doc *d = x->d;
  size_t a = 0, b;
  /* the tokens wholly inside [start,end) (binary search for the first) */
  size_t lo = 0, hi = d->ntok;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (d->tok[mid].start < start) lo = mid + 1; else hi = mid;
  }
  a = lo;
  b = a;
  while (b < d->ntok && d->tok[b].end <= end) b++;
  if (b <= a || !free_range(x, (uint32_t)a, (uint32_t)b)) return TD_OK;
  if (add_cand(x, (uint32_t)a, (uint32_t)b, type, TD_SRC_PATTERN, 100, NULL, 0) != TD_OK)
    return TD_ENOMEM;
  claim(x, x->s->ncand - 1);
  return TD_OK;
}

int td_entities_find(const td_gazetteer *g, td_patterns *p, const td_model *m,
                     td_ent_scratch *s, const td_doc *d, td_entities *out) {
  ctx x;
  size_t n = d->ntok, i, k, ng0, ng1, nm0, nm1;
  int rc;
  unsigned char *b;
  out->n = 0;
  out->strlen = 0;
  s->ncand = 0;
  if (n == 0) return TD_OK;
  if (grow_scratch(s, n) != TD_OK) return TD_ENOMEM;
  b = (unsigned char *)s->buf;
  x.g = g; x.d = d; x.s = s;
  x.sports = 0;
  x.hash = (uint64_t *)b;
  x.vhash = x.hash + n;
  x.feat = (uint32_t *)(x.vhash + n);
  x.reach = x.feat + n;
  x.owner = (int32_t *)(x.reach + n);
  x.lab = (uint16_t *)(x.owner + n);
  x.headline = (uint8_t *)(x.lab + n);
  if (s->lowercap < LOWER_MIN) {
    td_free(&s->A, s->lower, s->lowercap * sizeof(uint64_t));
    s->lowercap = 0;
    s->lower = (uint64_t *)s->A.f(s->A.ud, NULL, 0, LOWER_MIN * sizeof(uint64_t));
    if (s->lower == NULL) return TD_ENOMEM;
    s->lowercap = LOWER_MIN;
  }
  x.lower = s->lower;   /* a bigger one from an earlier document is used from its start */
  x.lcap = LOWER_MIN;
  x.lcount = 0;
  memset(x.lower, 0, x.lcap * sizeof(uint64_t));
  td_gaz_hash_tokens(d, x.hash);
  /* features, and the gazetteer's typed matches as candidates [0, ng1) */
  if ((rc = td_gaz_scan(g, d, x.hash, x.feat, gaz_span_cb, &x)) != TD_OK) return rc;
  ng0 = 0;
  ng1 = s->ncand;
  for (i = 0; i < n; i++) {
    x.owner[i] = -1;
    x.vhash[i] = 0;
    if (d->tok[i].kind == TD_WORD && !(d->tok[i].flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER))) {
      if (lower_add(&x, x.hash[i]) != TD_OK) return TD_ENOMEM;
    }
  }
  mark_headlines(&x);

  /* 1. patterns */
  rc = td_patterns_run(p, d->text, d->len, pattern_cb, &x);
  if (rc != TD_OK) return rc;

  /* 2. model and gazetteer */
  nm0 = s->ncand;
  if (m != NULL && (rc = model_spans(&x, m)) != TD_OK) return rc;
  nm1 = s->ncand;
  x.sports = sports_doc(&x, nm0, nm1);
  gaz_reach(&x, ng0, ng1);
  for (i = nm0; i < nm1; i++) {
    cand *c = &C(&x)[i];
    uint32_t first0 = c->first;
    while (c->first < c->last && is_stopword(&x, c->first) && !name_article(&x, c->first)) c->first++;
    while (c->last > c->first && ((x.d->tok[c->last - 1].flags & TD_F_CLITIC) ||
                                  (x.d->tok[c->last - 1].kind == TD_PUNCT &&
                                   !(tok_is(&x, c->last - 1, ")") && has_open_paren(&x, c)))))
      c->last--;
    if (c->first >= c->last || !free_range(&x, c->first, c->last)) { c->dead = 1; continue; }
    /* a longer gazetteer phrase containing the model's span wins */
    if (gaz_covers(&x, c)) { c->dead = 1; continue; }
    c->type = map_type(&x, c);
    if (c->type < 0) { c->dead = 1; continue; }
    /* titles the model put inside a PERSON span belong to the role */
    while (c->type == T_PERSON && c->last - c->first > 1 && (x.feat[c->first] & TD_GAZ_TITLE) &&
           !(c->source & TD_SRC_GAZ))
      c->first++;
    if (!(c->source & TD_SRC_GAZ)) {
      if (alone_on_line(&x, first0, c->last, c->type) || numbered_label(&x, c)) { c->dead = 1; continue; }
      if (c->last - c->first == 1 && !(x.feat[c->first] & SUPPORT_BITS) && is_cap(&x, c->first) &&
          lower_elsewhere(&x, c->first)) {   /* (a lower-case word would find itself: ex-England) */
        c->dead = 1;
        continue;
      }
      /* a span of headline words that the text also writes in lower case
       * (Zelenskyy Sends Delegation for Istanbul Talks) waits for the same
       * words in the body */
      if (x.headline[c->first]) {
        uint32_t sup = 0, title = 1, unknown = 0, caps = 1;
        for (k = c->first; k < c->last; k++) {
          const td_token *t = &x.d->tok[k];
          if (t->kind != TD_WORD) continue;
          sup |= x.feat[k];
          if (!(t->flags & TD_F_ALL_UPPER)) caps = 0;
          if ((t->flags & TD_F_ALL_UPPER) || !(t->flags & TD_F_UPPER_INITIAL)) title = 0;
          if (x.feat[k] == 0) {
            unknown++;
            /* (an ALL CAPS headline says nothing by its case: WESTERN DIVISION) */
            if (!(t->flags & TD_F_ALL_UPPER) && lower_elsewhere(&x, k)) break;
          }
        }
        /* words the text writes in lower case; a known name run on into
         * unknown words (Zelenskyy Casts Doubt; but in capitals the model
         * has seen such headlines: HONG KONG OPEN, U.S. OPEN); Title Case
         * words nothing vouches for */
        if (k < c->last || ((sup & SUPPORT_BITS) && unknown && !caps) ||
            (title && x.headline[c->first] == 2 && !(sup & (SUPPORT_BITS | TD_GAZ_FIRSTNAME)))) {
          c->dead = 2;
          continue;
        }
      }
    }
    claim(&x, i);
  }
  /* gazetteer phrases the model left alone: all of them without a model;
   * with one, only known persons and names in headlines (where the model's
   * own spans were held back): elsewhere the model has seen the same words
   * and has said no (in CoNLL dev, 1 right for 42 wrong) */
  for (k = ng0; k < ng1; k++) {
    cand *gc = &C(&x)[k];
    int ok = m == NULL || gc->type == T_PERSON || x.headline[gc->first] ||
             (gc->source & TD_SRC_MODEL);
    if (ok && free_range(&x, gc->first, gc->last)) claim(&x, k); else gc->dead = 1;
  }
  /* held-back spans come back when the same words are a live entity
   * outside a headline (looked up in a table of those words, not by a scan
   * of every candidate: long documents hold tens of thousands) */
  if ((rc = revive_held_back(&x, nm0, nm1)) != TD_OK) return rc;

  /* 3. rules (no model) and lone surnames */
  if (m == NULL && (rc = rule_spans(&x)) != TD_OK) return rc;
  if ((rc = surname_spans(&x)) != TD_OK) return rc;

  /* order by position; rebuild owner */
  {
    cand *cs = C(&x);
    size_t w = 0;
    for (i = 0; i < s->ncand; i++) if (!cs[i].dead) cs[w++] = cs[i];
    s->ncand = w;
    sort_cands(&x, cs, w);
    for (i = 0; i < n; i++) x.owner[i] = -1;
    for (i = 0; i < w; i++) claim(&x, i);
  }

  /* 4. roles, canonical names */
  for (i = 0; i < s->ncand; i++)
    if (C(&x)[i].type == T_PERSON) find_role(&x, &C(&x)[i]);
  person_canonicals(&x);

  /* 5. output */
  {
    void *arr = out->e;
    if (td_grow(&out->A, &arr, &out->cap, s->ncand, sizeof(td_entity)) != TD_OK) return TD_ENOMEM;
    out->e = (td_entity *)arr;
  }
  for (i = 0; i < s->ncand; i++) {
    cand *c = &C(&x)[i];
    td_entity *e = &out->e[out->n++];
    const char *cn = c->canon;
    size_t cl = c->canonlen;
    void *arr;
    e->first = c->first;
    e->last = c->last;
    e->start = d->tok[c->first].start;
    e->end = d->tok[c->last - 1].end;
    e->role_start = e->role_end = 0;
    if (c->rlast > c->rfirst) {
      e->role_start = d->tok[c->rfirst].start;
      e->role_end = d->tok[c->rlast - 1].end;
    }
    e->type = (int16_t)c->type;
    e->source = c->source;
    e->score = c->score;
    if (cn == NULL) { cn = d->text + e->start; cl = e->end - e->start; }
    arr = out->str;
    if (cl > UINT32_MAX - out->strlen - 1 ||
        td_grow(&out->A, &arr, &out->strcap, out->strlen + cl + 1, 1) != TD_OK)
      return TD_ENOMEM;
    out->str = (char *)arr;
    /* line breaks inside a name read as spaces */
    for (k = 0; k < cl; k++) {
      char ch = cn[k];
      out->str[out->strlen + k] = (ch == '\n' || ch == '\r' || ch == '\t') ? ' ' : ch;
    }
    out->str[out->strlen + cl] = '\0';
    e->canon = (uint32_t)out->strlen;
    e->canonlen = (uint32_t)cl;
    out->strlen += cl + 1;
  }
  return TD_OK;
}
