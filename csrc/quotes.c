/*
 * quotes.c - direct quotations and who said them.
 *
 * Works on a tokenized doc in four passes, all linear in the tokens:
 *
 *  1. marks: pair quotation marks into quotations.  Curly “…”, straight "…",
 *     „…“, «…», and ‘…’ at the top level; ‘…’ inside a quotation is nested
 *     and stays part of it.  A quotation continues over a paragraph break
 *     when the next paragraph opens with a new mark (news style for long
 *     quotes); otherwise it ends, unclosed, with the paragraph.
 *  2. units: the writer's sentences, with quotations inside them (a full stop
 *     inside “…” does not end the sentence around it), and paragraphs.
 *  3. names: capitalised runs (or the caller's entity spans) classified as
 *     person, organisation, role ("a Ukrainian official") or unknown name;
 *     titles are dropped ("Former U.S. President Donald Trump" -> "Donald
 *     Trump"); the fullest form of each surname is remembered so "Trump" is
 *     reported as "Donald Trump".
 *  4. speakers, first rule that applies:
 *       “…” – Name                       (dash after the closing mark)
 *       “…,” he said / “…,” said Name   (attribution right after)
 *       according to Name
 *       Name said, “…” / Name ..., calling it “…”   (the subject of the
 *                                        nearest speech verb, else of the
 *                                        nearest clause that has one)
 *       a quotation on its own right after another -> the same speaker
 *     Pronouns (he, she) resolve to the most recent person who was the
 *     subject of a sentence (or a speaker) before them.
 *
 * Indirect speech ("X said that ...") has no quotation marks and is not a
 * quotation.  Everything is bounded by the doc's tokens: invalid UTF-8 is a
 * SYMBOL token like any other and cannot be mistaken for a mark.
 */
#include <string.h>

#include "tidings.h"
#include "quotes_lexicon.h"

const char *const td_quote_how_names[TD_QH_NHOW] = {
  "none", "dash", "after", "before", "according", "continued"
};
const char *const td_spk_kind_names[TD_SPK_NKINDS] = {
  "none", "person", "org", "role", "name"
};


/* Per-token bits of our own, above the lexicon's classes. */
#define QT_CAP (1u << 24)      /* capitalised word: may be part of a name */
#define QT_NAT (1u << 25)      /* adjective of nationality: Ukrainian, Turkish */
#define QT_LOWER (1u << 26)    /* word starting with a lower-case letter */
#define QT_WORD (1u << 27)     /* a word (not a clitic) */
#define QT_TERM (1u << 28)     /* . ! ? … */
#define QT_BNDP (1u << 29)     /* punctuation that ends a clause: , ; : ( ) dashes */
#define QT_DASH (1u << 30)     /* – — ― or a spaced hyphen */
#define QT_CLITIC_S (1u << 31) /* ’s 's */

#define MAX_RUN 12      /* longest name, in tokens */
#define MAX_DEPTH 3     /* X’s Y’s Z: how deep possessives and roles nest */
#define WINDOW 120      /* how far back from a quotation its speaker is sought */

/* Quotation marks. */
enum { M_NONE = 0, M_DOPEN, M_DCLOSE, M_STRAIGHT, M_LOW9, M_GOPEN, M_GCLOSE, M_SOPEN, M_SCLOSE };

typedef struct qtok {
  uint32_t cls;    /* lexicon classes | QT_* */
  int32_t q;       /* quotation index, -1 outside */
  int32_t ent;     /* entity starting at this token, -1 */
  uint32_t unit;   /* sentence unit */
  uint32_t para;   /* paragraph */
  uint8_t mark;    /* M_* */
} qtok;

typedef struct qunit {
  uint32_t first, last;  /* tokens, last exclusive */
  uint8_t heading;       /* a line without final punctuation */
  uint8_t colon;         /* ends with ':' */
} qunit;

typedef struct qperson {
  uint64_t key;          /* hash of the lower-cased surname; 0: empty */
  uint32_t a, b;         /* tokens of the fullest name */
} qperson;

typedef struct qpriv {
  qtok *t; size_t ct;
  qunit *u; size_t nu, cu;
  struct usub *us; size_t cus;             /* per unit: subject and speaker (pass 4) */
  uint64_t *caps; size_t ccaps, mcaps;     /* words seen capitalised mid-sentence */
  qperson *pers; size_t cpers, mpers;      /* surname -> fullest name */
  uint32_t *entend; size_t centend;        /* end token of the entity at i */
} qpriv;

/* A noun phrase that can speak. */
enum { NP_NONE = 0, NP_PERSON, NP_ORG, NP_ROLE, NP_NAME, NP_HE, NP_IT, NP_THEY, NP_I };

typedef struct np {
  uint32_t a, b;     /* whole phrase, tokens [a, b) */
  uint32_t na, nb;   /* the name in it (a person's without titles) */
  int kind;
  int32_t ent;
  int poss_only;     /* "Zelenskyy’s ..." with no head: a possessor, not a subject */
} np;

/* What pronoun resolution needs of a unit: its subject, looked for only
 * when a pronoun asks (unit_subject reads nothing pass 4 changes, so when it
 * runs does not matter), and the last person its quotations were given. */
typedef struct usub {
  np subj, spk;
  uint8_t state;     /* 0: subject not looked for yet, 1: none, 2: subj */
  uint8_t has_spk;
} usub;

typedef struct Q {
  const td_doc *d;
  qpriv *p;
  qtok *t;
  size_t n;
  const td_qent *ents;
  /* pronoun state: the last person (organisation) of the units before
   * pcur (ocur), folded in when a pronoun asks */
  np last_person, last_org;
  int have_person, have_org;
  size_t pcur, ocur;
} Q;

/* ---- small helpers ------------------------------------------------------ */

static const unsigned char *ts(const Q *Z, size_t i) {
  return (const unsigned char *)Z->d->text + Z->d->tok[i].start;
}
static size_t tn(const Q *Z, size_t i) { return Z->d->tok[i].end - Z->d->tok[i].start; }
static unsigned tflags(const Q *Z, size_t i) { return Z->d->tok[i].flags; }

static uint64_t hash_lower(const unsigned char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned c = s[i];
    if (c >= 'A' && c <= 'Z') c += 32;
    h = (h ^ c) * 1099511628211ull;
  }
  return h | 1;  /* 0 marks an empty slot */
}

/* The slot of a word in qlex_index from its length and k0 (its first 8
 * bytes lower-cased, first byte lowest, zero padded): the function
 * tools/gen_quotes_lexicon.lua built the index with (every product stays
 * below 2^53, so the generator computes it exactly in any Lua). */
static unsigned qlex_slot(uint64_t k0, size_t n) {
  uint64_t p0 = k0 & 0xFFFFFFu, p1 = (k0 >> 24) & 0xFFFFFFu, p2 = k0 >> 48;
  uint64_t h = (p0 * 0x82345Bu + p1 * 0x9F327Bu + p2 * 0xA614E7u + (uint64_t)n * 0xD12E2Bu) & 0xFFFFFFu;
  h = (h * 0xD358BFu) & 0xFFFFFFu;
  return (unsigned)(h >> (24 - QLEX_BITS));
}

/* k0 of a word from 8 bytes at s (the word and what follows it), on a
 * little-endian machine: one load, the bytes past n cleared, A-Z lowered
 * in all 8 lanes at once (an ASCII byte plus 0x3F or 0x25 stays below 0x100,
 * so no lane carries into the next).  *ascii = 0 when one of the word's
 * first 8 bytes is not ASCII. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define QLEX_LOAD8 1
static uint64_t k0_load8(const unsigned char *s, size_t n, int *ascii) {
  const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
  uint64_t v, upper;
  memcpy(&v, s, 8);
  if (n < 8) v &= ((uint64_t)1 << (8 * n)) - 1;
  *ascii = (v & high) == 0;
  upper = (v + ones * 0x3F) & ~(v + ones * 0x25) & high;  /* 'A' <= byte <= 'Z' */
  return v | upper >> 2;
}
#endif

/* The lexicon's classes of a word (ASCII, any case), through qlex_index.
 * The first 8 bytes are packed into one integer (no serial step per byte,
 * one comparison per probe); longer words compare the rest byte by byte.
 * avail: the bytes readable at s (the word and the text after it). */
static unsigned lex_lookup(const unsigned char *s, size_t n, size_t avail) {
  uint64_t k0 = 0;
  unsigned slot, idx;
  size_t i;
  if (n == 0 || n > QLEX_MAXLEN) return 0;
#ifdef QLEX_LOAD8
  if (avail >= 8) {
    int ascii;
    k0 = k0_load8(s, n, &ascii);
    if (!ascii) return 0;  /* the list is ASCII */
  } else
#endif
  {
    unsigned any = 0;
    size_t m = n < 8 ? n : 8;
    (void)avail;
    for (i = 0; i < m; i++) {
      unsigned c = s[i];
      any |= c;
      c += (unsigned)(c - 'A' < 26u) << 5;  /* A-Z -> a-z */
      k0 |= (uint64_t)c << (8 * i);
    }
    if (any & 0x80) return 0;
  }
  slot = qlex_slot(k0, n);
  while ((idx = qlex_index[slot]) != 0) {
    const struct qlex *e = &qlex[idx - 1];
    if (e->k0 == k0 && e->n == n) {
      for (i = 8; i < n; i++) {
        unsigned c = s[i];
        c += (unsigned)(c - 'A' < 26u) << 5;
        if (c != (unsigned char)e->w[i]) break;
      }
      if (i >= n) return e->cls;
    }
    slot = (slot + 1) & ((1u << QLEX_BITS) - 1);
  }
  return 0;
}

/* Suffix and token tests take string literals: their lengths are known
 * when compiled (no strlen per call). */
#define ends_with(s, n, suf) ends_with_n((s), (n), "" suf, sizeof(suf) - 1)
#define tok_is(Z, i, lit) tok_is_n((Z), (i), "" lit, sizeof(lit) - 1)

static int ends_with_n(const unsigned char *s, size_t n, const char *suf, size_t m) {
  size_t i;
  if (n <= m) return 0;
  for (i = 0; i < m; i++) {
    unsigned c = s[n - m + i];
    if (c >= 'A' && c <= 'Z') c += 32;
    if (c != (unsigned char)suf[i]) return 0;
  }
  return 1;
}

static int tok_is_n(const Q *Z, size_t i, const char *lit, size_t m) {
  /* the first byte first: most tokens differ there */
  const unsigned char *s = ts(Z, i);
  size_t n = tn(Z, i);
  if (n != m || n == 0 || s[0] != (unsigned char)lit[0]) return 0;
  return memcmp(s, lit, n) == 0;
}

static int same_words(const Q *Z, size_t i, size_t j) {
  size_t n = tn(Z, i), k;
  const unsigned char *a = ts(Z, i), *b = ts(Z, j);
  if (n != tn(Z, j)) return 0;
  for (k = 0; k < n; k++) {
    unsigned x = a[k], y = b[k];
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return 0;
  }
  return 1;
}

/* ---- pass 0: classify tokens ------------------------------------------- */

static int mark_of(const Q *Z, size_t i) {
  const td_token *t = &Z->d->tok[i];
  const unsigned char *s = ts(Z, i);
  size_t n = tn(Z, i);
  if (t->kind != TD_PUNCT) return M_NONE;
  if (n == 1) return s[0] == '"' ? M_STRAIGHT : M_NONE;
  if (n == 2 && s[0] == 0xC2) return s[1] == 0xAB ? M_GOPEN : s[1] == 0xBB ? M_GCLOSE : M_NONE;
  if (n == 3 && s[0] == 0xE2 && s[1] == 0x80) {
    switch (s[2]) {
      case 0x9C: case 0x9F: return M_DOPEN;
      case 0x9D: return M_DCLOSE;
      case 0x9E: return M_LOW9;
      case 0x98: return M_SOPEN;
      case 0x99: return M_SCLOSE;
    }
  }
  return M_NONE;
}

static void classify(Q *Z) {
  size_t i;
  for (i = 0; i < Z->n; i++) {
    const td_token *tk = &Z->d->tok[i];
    const unsigned char *s = ts(Z, i);
    size_t n = tn(Z, i);
    uint32_t c = 0;
    qtok *t = &Z->t[i];
    t->q = -1;
    t->ent = -1;
    t->mark = (uint8_t)mark_of(Z, i);
    if (tk->kind == TD_WORD) {
      if (tk->flags & TD_F_CLITIC) {
        if (n == 3 && s[0] == 0xE2 && (s[2] == 's' || s[2] == 'S')) c |= QT_CLITIC_S;
        else if (n == 2 && s[0] == '\'' && (s[1] == 's' || s[1] == 'S')) c |= QT_CLITIC_S;
        else if (n == 4 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x99 && (s[3] == 's' || s[3] == 'S'))
          c |= QT_CLITIC_S;
      } else {
        c = lex_lookup(s, n, Z->d->len - tk->start) | QT_WORD;
        if (tk->flags & TD_F_UPPER_INITIAL) {
          c |= QT_CAP;
          /* the suffixes -ian/-ean also end names (Brian, Christian): only
           * the list for those */
          if ((c & QL_ADJ) || ends_with(s, n, "ese") || ends_with(s, n, "ish"))
            c |= QT_NAT;
        } else if (s[0] >= 'a' && s[0] <= 'z') {
          c |= QT_LOWER;
        } else if (s[0] >= 0x80 && !(tk->flags & TD_F_ALL_UPPER)) {
          c |= QT_LOWER;  /* a non-ASCII word that is not upper case */
        }
      }
    } else if (tk->kind == TD_PUNCT) {
      if (n == 1) {
        switch (s[0]) {
          case '.': case '!': case '?': c |= QT_TERM; break;
          case ',': case ';': case ':': case '(': case ')': c |= QT_BNDP; break;
          case '-': if (tk->flags & TD_F_SPACE_BEFORE) c |= QT_BNDP | QT_DASH; break;
        }
      } else if (n == 3 && s[0] == 0xE2 && s[1] == 0x80) {
        if (s[2] == 0x93 || s[2] == 0x94 || s[2] == 0x95) c |= QT_BNDP | QT_DASH;
        if (s[2] == 0xA6) c |= QT_TERM;  /* … */
      } else {
        size_t k;  /* "!!!", "?!", "..." */
        int all = 1;
        for (k = 0; k < n; k++)
          if (s[k] != '.' && s[k] != '!' && s[k] != '?') all = 0;
        if (all) c |= QT_TERM;
        if (n == 2 && s[0] == '-' && s[1] == '-') c |= QT_BNDP | QT_DASH;
      }
    }
    t->cls = c;
  }
}

/* ---- pass 1: quotation marks -------------------------------------------- */

static int space_before(const Q *Z, size_t i) {
  return i == 0 || (tflags(Z, i) & TD_F_SPACE_BEFORE);
}

/* A line break that ends a paragraph (or a heading line): a blank line, or
 * a single break that does not look like hard-wrapped prose. */
static int hard_break(const Q *Z, size_t k) {
  unsigned f;
  if (k == 0) return 1;
  f = tflags(Z, k);
  if (f & TD_F_PARA_BEFORE) return 1;
  if (!(f & TD_F_NEWLINE_BEFORE)) return 0;
  if (Z->t[k].cls & QT_LOWER) return 0;
  if (Z->t[k - 1].cls & QT_LOWER) return 0;
  if (Z->t[k - 1].cls & QT_BNDP) return 0;
  return 1;
}

static int is_opening_punct(const Q *Z, size_t i) {
  const unsigned char *s = ts(Z, i);
  size_t n = tn(Z, i);
  if (Z->d->tok[i].kind != TD_PUNCT) return 0;
  if (n == 1) return s[0] == '(' || s[0] == '[' || s[0] == '{' || s[0] == ':';
  return (Z->t[i].cls & QT_DASH) != 0;
}

static int closes(int om, int m) {
  switch (om) {
    case M_DOPEN: return m == M_DCLOSE || m == M_STRAIGHT;
    case M_LOW9: return m == M_DOPEN || m == M_DCLOSE;
    case M_GOPEN: return m == M_GCLOSE;
    case M_STRAIGHT: return m == M_STRAIGHT || m == M_DCLOSE;
    case M_DCLOSE: return m == M_DCLOSE || m == M_STRAIGHT;
  }
  return 0;
}

/* The mark a continuing paragraph opens with. */
static int continues(int om, int m) {
  if (om == M_DOPEN || om == M_DCLOSE) return m == M_DOPEN;
  return m == om;
}

static int grow_quotes(td_quotes *r, size_t need) {
  return td_grow(&r->A, (void **)&r->q, &r->cap, need, sizeof *r->q);
}

/* Pair the marks; fills r->q with open/close/start/end and flags and tags
 * the tokens of each quotation.  qa/qb hold token ranges for later passes. */
typedef struct qrange { uint32_t open, close, a, b; } qrange;

static int find_marks(Q *Z, td_quotes *r, qrange **qr, size_t *cqr) {
  size_t i = 0, n = Z->n;
  while (i < n) {
    int m = Z->t[i].mark, opener = 0, single = 0;
    size_t k, closet = (size_t)-1, endt = n;
    uint16_t flags = 0;
    if (m == M_DOPEN || m == M_LOW9 || m == M_GOPEN) opener = 1;
    else if (m == M_STRAIGHT || m == M_DCLOSE) {
      /* a mark with space (or a line start) before and a word glued after */
      opener = (space_before(Z, i) || hard_break(Z, i) || (i > 0 && is_opening_punct(Z, i - 1))) &&
               i + 1 < n && !space_before(Z, i + 1) && !hard_break(Z, i + 1) &&
               Z->t[i + 1].mark == M_NONE &&
               !(i > 0 && !space_before(Z, i) && Z->d->tok[i - 1].kind == TD_NUMBER);
    } else if (m == M_SOPEN) {
      opener = (space_before(Z, i) || hard_break(Z, i) || (i > 0 && is_opening_punct(Z, i - 1))) &&
               i + 1 < n && !space_before(Z, i + 1);
      single = 1;
    }
    if (!opener) { i++; continue; }
    if (!single) {
      for (k = i + 1; k < n; k++) {
        int mk = Z->t[k].mark;
        if (k > i + 1 && hard_break(Z, k)) {
          if (continues(m, mk)) { flags |= TD_QF_MULTIPARA; continue; }
          endt = k;
          break;
        }
        if (closes(m, mk)) { closet = k; endt = k; break; }
        if (m == M_DOPEN && mk == M_DOPEN) { endt = k; break; }  /* a new quote: this one never closed */
      }
    } else {
      size_t first = (size_t)-1;
      for (k = i + 1; k < n; k++) {
        if (hard_break(Z, k)) break;
        if (Z->t[k].mark == M_SCLOSE) {
          int after_ok = k + 1 == n || hard_break(Z, k + 1) ||
                         Z->d->tok[k + 1].kind == TD_PUNCT;
          int before_punct = (Z->t[k - 1].cls & (QT_TERM | QT_BNDP)) != 0;
          if (first == (size_t)-1) first = k;
          if (after_ok || before_punct) { closet = k; break; }
        }
        if (Z->t[k].mark == M_SOPEN) break;
      }
      if (closet == (size_t)-1) closet = first;
      if (closet == (size_t)-1) { i++; continue; }  /* an apostrophe, not a quote */
      endt = closet;
      flags |= TD_QF_SINGLE;
    }
    if (endt <= i + 1) { i = endt > i ? endt : i + 1; continue; }  /* nothing inside */
    if (closet == (size_t)-1) flags |= TD_QF_UNCLOSED;
    if (grow_quotes(r, r->n + 1) || td_grow(&r->A, (void **)qr, cqr, r->n + 1, sizeof **qr))
      return TD_ENOMEM;
    {
      td_quote *q = &r->q[r->n];
      qrange *g = &(*qr)[r->n];
      size_t last = closet != (size_t)-1 ? closet : endt - 1;
      memset(q, 0, sizeof *q);
      q->open = Z->d->tok[i].start;
      q->close = Z->d->tok[last].end;
      q->start = Z->d->tok[i].end;
      q->end = Z->d->tok[endt - 1].end;
      if (closet != (size_t)-1) q->end = Z->d->tok[closet].start;
      q->ent = -1;
      q->flags = flags;
      g->open = (uint32_t)i;
      g->close = (uint32_t)last;
      g->a = (uint32_t)(i + 1);
      g->b = (uint32_t)endt;
      for (k = i; k <= last; k++) Z->t[k].q = (int32_t)r->n;
      r->n++;
      i = last + 1;
    }
  }
  return TD_OK;
}

/* ---- pass 2: units and paragraphs -------------------------------------- */

static int outside(const Q *Z, size_t i) { return Z->t[i].q < 0; }

static int build_units(Q *Z, const qrange *qr) {
  qpriv *p = Z->p;
  size_t i, n = Z->n;
  uint32_t para = 0;
  p->nu = 0;
  for (i = 0; i < n; i++) {
    int start = 0;
    int32_t q = Z->t[i].q;
    int inner = q >= 0 && i != qr[q].open;  /* inside a quotation, not its mark */
    if (i == 0) start = 1;
    else if (hard_break(Z, i)) {
      if (!inner) start = 1;
      para++;
    } else if (!inner) {
      int32_t pq = Z->t[i - 1].q;
      if (pq < 0 && (Z->t[i - 1].cls & QT_TERM) &&
          (Z->t[i].cls & (QT_CAP | QT_WORD)) != QT_WORD && !(Z->t[i].cls & QT_LOWER))
        start = 1;
      else if (pq >= 0 && (size_t)qr[pq].close == i - 1 && qr[pq].b > qr[pq].a &&
               (Z->t[qr[pq].b - 1].cls & QT_TERM) &&
               ((Z->t[i].cls & QT_CAP) || Z->t[i].mark != M_NONE))
        start = 1;
    }
    if (start) {
      if (td_grow(&Z->d->A, (void **)&p->u, &p->cu, p->nu + 1, sizeof *p->u)) return TD_ENOMEM;
      if (p->nu > 0) p->u[p->nu - 1].last = (uint32_t)i;
      memset(&p->u[p->nu], 0, sizeof p->u[0]);
      p->u[p->nu].first = (uint32_t)i;
      p->nu++;
    }
    Z->t[i].unit = (uint32_t)(p->nu - 1);
    Z->t[i].para = para;
  }
  if (p->nu > 0) p->u[p->nu - 1].last = (uint32_t)n;
  for (i = 0; i < p->nu; i++) {
    qunit *u = &p->u[i];
    size_t l = u->last - 1;
    int ends_line = u->last == n || hard_break(Z, u->last);
    u->colon = tok_is(Z, l, ":");
    u->heading = ends_line && !(Z->t[l].cls & QT_TERM) && Z->t[l].mark == M_NONE && !u->colon &&
                 u->last - u->first <= 25;
  }
  return TD_OK;
}

/* First word of its unit, or right after an opening mark or a colon. */
static int sentence_initial(const Q *Z, size_t i) {
  size_t f = Z->p->u[Z->t[i].unit].first;
  if (i == f) return 1;
  if (Z->t[i - 1].mark != M_NONE && Z->t[i].q >= 0 && Z->t[i].q == Z->t[i - 1].q) return 1;
  if (tok_is(Z, i - 1, ":")) return 1;
  return 0;
}

/* ---- hash sets ---------------------------------------------------------- */

static size_t pow2_at_least(size_t n) {
  size_t s = 16;
  while (s < n && s < ((size_t)1 << 40)) s <<= 1;
  return s;
}

/* Slot of a key: the hash's high bits (its lowest bit is always set). */
static size_t slot_of(uint64_t key, size_t m) { return (size_t)(key >> 24) & m; }

static int caps_has(const qpriv *p, uint64_t key) {
  size_t m = p->mcaps - 1, h = slot_of(key, m);
  if (p->mcaps == 0) return 0;
  while (p->caps[h]) {
    if (p->caps[h] == key) return 1;
    h = (h + 1) & m;
  }
  return 0;
}

static void caps_add(qpriv *p, uint64_t key) {
  size_t m = p->mcaps - 1, h = slot_of(key, m);
  while (p->caps[h]) {
    if (p->caps[h] == key) return;
    h = (h + 1) & m;
  }
  p->caps[h] = key;
}

static qperson *pers_slot(const qpriv *p, uint64_t key) {
  size_t m = p->mpers - 1, h = slot_of(key, m);
  if (p->mpers == 0) return NULL;
  while (p->pers[h].key && p->pers[h].key != key) h = (h + 1) & m;
  return &p->pers[h];
}

/* ---- pass 3: names ------------------------------------------------------ */

static int capword(const Q *Z, size_t i) {
  uint32_t c = Z->t[i].cls;
  return (c & QT_CAP) && (!(c & QL_STOP) || (c & QL_TITLE));
}

/* The capitalised run starting at i (tokens [i, end)), not past lim and not
 * across a quotation mark or a line break.  Returns end (== i: none). */
static size_t cap_run(const Q *Z, size_t i, size_t lim) {
  size_t e;
  int titled = 0;
  if (i >= lim || !capword(Z, i)) return i;
  titled = (Z->t[i].cls & (QL_TITLE | QL_ORG)) != 0;
  e = i + 1;
  if (lim > i + MAX_RUN) lim = i + MAX_RUN;
  while (e < lim) {
    if (Z->t[e].q != Z->t[i].q || (tflags(Z, e) & TD_F_NEWLINE_BEFORE)) break;
    if (capword(Z, e) && space_before(Z, e)) {
      titled |= (Z->t[e].cls & (QL_TITLE | QL_ORG)) != 0;
      e++;
      continue;
    }
    if (tok_is(Z, e, "-") && e + 1 < lim && !space_before(Z, e) && !space_before(Z, e + 1) &&
        (Z->t[e + 1].cls & QT_LOWER) && Z->t[e + 1].q == Z->t[i].q && tn(Z, e + 1) <= 8 &&
        !ends_with(ts(Z, e + 1), tn(Z, e + 1), "ed") && !ends_with(ts(Z, e + 1), tn(Z, e + 1), "ing") &&
        (e - i >= 2 || (e + 2 < lim && capword(Z, e + 2) && space_before(Z, e + 2)))) {
      e += 2;  /* Ban Ki-moon, Chun-hsiung Chang */
      continue;
    }
    if ((Z->t[e].cls & QL_PART) && (Z->t[e].cls & QT_LOWER) && e + 2 < lim && tok_is(Z, e + 1, "-") &&
        !space_before(Z, e + 1) && !space_before(Z, e + 2) && capword(Z, e + 2) &&
        Z->t[e + 2].q == Z->t[i].q) { e += 3; continue; }  /* Roula al-Dashti */
    if (e + 1 < lim && Z->t[e + 1].q == Z->t[i].q && capword(Z, e + 1) &&
        !(tflags(Z, e + 1) & TD_F_NEWLINE_BEFORE)) {
      /* Ukraine-Russia, Osama bin Laden, Secretary of State */
      if (tok_is(Z, e, "-") && !space_before(Z, e) && !space_before(Z, e + 1)) { e += 2; continue; }
      if ((Z->t[e].cls & QL_PART) && (Z->t[e].cls & QT_LOWER)) { e += 2; continue; }

      if (titled && tok_is(Z, e, "of")) { e += 2; continue; }
    }
    break;
  }
  return e;
}

/* Classify the run [a, b): sets kind and the name part. */
static void classify_run(const Q *Z, size_t a, size_t b, np *o, int use_registry) {
  size_t j, lt = (size_t)-1, lo = (size_t)-1, cut, tail;
  int place = 0, nat = 1, roles = 0, titles = 0;
  o->a = (uint32_t)a;
  o->b = (uint32_t)b;
  o->ent = -1;
  o->poss_only = 0;
  for (j = a; j < b; j++) {
    uint32_t c = Z->t[j].cls;
    if (c & QL_ORG) lo = j;
    else if (c & QL_TITLE) lt = j, titles++;
    if (c & QL_PLACE) place = 1;
    if (c & QL_ROLE) roles++;
  }
  /* the name is what follows the last title or organisation word:
   * "Former U.S. President Donald Trump", "White House Press Secretary
   * Karoline Leavitt", "Health and Human Services Tommy Thompson" */
  cut = lt == (size_t)-1 ? lo : lo == (size_t)-1 ? lt : (lt > lo ? lt : lo);
  j = cut == (size_t)-1 ? a : cut + 1;
  while (j + 1 < b && (Z->t[j].cls & QT_NAT)) j++;  /* "Liberal Gerard Kennedy" */
  o->na = (uint32_t)j;
  o->nb = (uint32_t)b;
  tail = 0;  /* capitalised words in the name: Ban Ki-moon is two */
  for (; j < b; j++) {
    if (Z->t[j].cls & QT_CAP) tail++;
    if (!(Z->t[j].cls & QT_NAT) && (Z->t[j].cls & QT_CAP)) nat = 0;
  }
  if (lo != (size_t)-1 && (tail == 0 || (cut == lo && tail < 2) || tail > 3 || nat)) {
    o->kind = NP_ORG;  /* "Russia’s Foreign Ministry", "Dolmabahce Palace" */
    o->na = (uint32_t)a;
    return;
  }
  if (tail == 0) {
    o->na = (uint32_t)a;
    o->kind = (roles || titles >= 2) ? NP_ROLE : NP_NONE;  /* "Secretary General" */
    return;
  }
  if (nat) { o->kind = NP_NONE; return; }  /* "Ukrainian", "Russian" */
  if (cut != (size_t)-1 && tail <= 4) { o->kind = NP_PERSON; return; }
  if (tail >= 2 && tail <= 3 && !place) { o->kind = NP_PERSON; return; }
  o->kind = NP_NAME;
  if (use_registry && tail == 1 && !place) {
    qperson *s = pers_slot(Z->p, hash_lower(ts(Z, b - 1), tn(Z, b - 1)));
    if (s && s->key) o->kind = NP_PERSON;
  }
}

static int say_verb(const Q *Z, size_t i);
static int is_adverb(const Q *Z, size_t i);

/* The entity at token i as an NP. */
static int entity_np(const Q *Z, size_t i, size_t lim, np *o) {
  int32_t e = Z->t[i].ent;
  size_t b;
  if (e < 0) return 0;
  b = Z->p->entend[i];
  if (b > lim) return 0;
  o->a = o->na = (uint32_t)i;
  o->b = o->nb = (uint32_t)b;
  o->ent = e;
  o->poss_only = 0;
  switch (Z->ents[e].type) {
    case TD_QENT_PERSON: o->kind = NP_PERSON; break;
    case TD_QENT_ORG: o->kind = NP_ORG; break;
    case TD_QENT_PLACE: o->kind = NP_NAME; break;
    default: o->kind = NP_NAME; break;
  }
  return 1;
}

/* A name (entity or capitalised run) at i, with titles, possessives
 * ("Russia’s Foreign Ministry") and role nouns ("Kremlin spokesperson Dmitry
 * Peskov") folded in. */
static int name_np(const Q *Z, size_t i, size_t lim, np *o, int depth) {
  size_t e;
  if (depth > MAX_DEPTH) return 0;
  if (!entity_np(Z, i, lim, o)) {
    e = cap_run(Z, i, lim);
    if (e == i) return 0;
    classify_run(Z, i, e, o, 1);
    if (o->kind == NP_NONE) return 0;
    /* a lone capitalised word opening a sentence is a name only when the
     * text also capitalises it mid-sentence ("Speaking from ..." is not) */
    if (e == i + 1 && sentence_initial(Z, i) && o->kind == NP_NAME &&
        !caps_has(Z->p, hash_lower(ts(Z, i), tn(Z, i))) &&
        !(e < Z->n && (Z->t[e].cls & QT_CLITIC_S)) &&      /* Russia’s */
        !(e < Z->n && say_verb(Z, e)) &&                    /* Peskov said */
        !(e + 1 < Z->n && is_adverb(Z, e) && say_verb(Z, e + 1)))
      return 0;
  }
  e = o->b;
  /* possessive: X’s Y -> Y (named as "X’s Y" when Y is not a person) */
  if (e + 1 < lim && ((Z->t[e].cls & QT_CLITIC_S) ||
                      ((Z->t[e].mark == M_SCLOSE || tok_is(Z, e, "'")) && !space_before(Z, e) &&
                       ends_with(ts(Z, e - 1), tn(Z, e - 1), "s")))) {
    np h;
    /* "Australian Democrats' senator Andrew Murray", "Russia’s ambassador X" */
    if (e + 2 < lim && (Z->t[e + 1].cls & QT_LOWER) && (Z->t[e + 1].cls & (QL_ROLE | QL_TITLE)) &&
        name_np(Z, e + 2, lim, &h, depth + 1) && h.kind == NP_PERSON) {
      *o = h;
      return 1;
    }
    if (name_np(Z, e + 1, lim, &h, depth + 1)) {
      if (h.kind == NP_PERSON) { *o = h; return 1; }
      h.a = o->a;
      h.na = o->a;
      h.ent = -1;  /* "Russia’s Foreign Ministry" is named as written */
      if (h.kind == NP_NAME) h.kind = NP_ORG;
      *o = h;
      return 1;
    }
    if ((Z->t[e + 1].cls & QT_LOWER) && (Z->t[e + 1].cls & QL_ROLE)) {
      o->b = o->nb = (uint32_t)(e + 2);  /* "Renzi's office" */
      o->na = o->a;
      o->kind = NP_ROLE;
      o->ent = -1;
      return 1;
    }
    if (Z->t[e + 1].cls & QT_CAP) {
      /* X’s Deputy Foreign Minister: a role */
      size_t r = cap_run(Z, e + 1, lim);
      if (r > e + 1) {
        classify_run(Z, e + 1, r, &h, 0);
        if (h.kind == NP_ROLE) { o->b = (uint32_t)r; o->nb = (uint32_t)r; o->kind = NP_ROLE; return 1; }
      }
    }
    o->poss_only = 1;
    return 1;
  }
  /* Kremlin spokesperson Dmitry Peskov */
  if (e + 1 < lim && (Z->t[e].cls & QL_ROLE) && (Z->t[e].cls & QT_LOWER)) {
    np h;
    if (name_np(Z, e + 1, lim, &h, depth + 1) && h.kind == NP_PERSON) { *o = h; return 1; }
  }
  return 1;
}

/* Any noun phrase that can speak, at i. */
static int parse_np(const Q *Z, size_t i, size_t lim, np *o) {
  uint32_t c;
  if (i >= lim || !outside(Z, i)) return 0;
  c = Z->t[i].cls;
  memset(o, 0, sizeof *o);
  o->ent = -1;
  if (Z->t[i].ent < 0 && (c & QT_WORD)) {
    int pk = (c & QL_HE) ? NP_HE : (c & QL_IT) ? NP_IT : (c & QL_THEY) ? NP_THEY : (c & QL_I) ? NP_I : 0;
    if (pk) {
      o->a = o->na = (uint32_t)i;
      o->b = o->nb = (uint32_t)(i + 1);
      o->kind = pk;
      return 1;
    }
    if (c & QL_DET) {
      /* a/the + up to three modifiers + role noun: "a senior Ukrainian official" */
      size_t j;
      for (j = i + 1; j < lim && j <= i + 4; j++) {
        uint32_t cj = Z->t[j].cls;
        if (!outside(Z, j) || !(cj & QT_WORD)) break;
        if (Z->t[j].ent >= 0 && (Z->ents[Z->t[j].ent].type == TD_QENT_PERSON ||
                                 Z->ents[Z->t[j].ent].type == TD_QENT_ORG))
          break;  /* "the president" tagged as a person: let the entity speak */
        if (cj & QL_ROLE) {
          np h;
          if (j + 1 < lim && name_np(Z, j + 1, lim, &h, 1) && h.kind == NP_PERSON) { *o = h; return 1; }
          o->a = (uint32_t)i;
          o->b = (uint32_t)(j + 1);
          o->na = o->a;
          o->nb = o->b;
          o->kind = NP_ROLE;
          return 1;
        }
        if (cj & (QL_SAY | QL_PREP | QL_BND | QL_STOP)) break;
      }
      return 0;
    }
  }
  if (Z->t[i].ent < 0 && (c & QL_ROLE) && (c & QT_LOWER)) {
    /* a bare role: "senior Ukrainian officials said", "spokesman Dmitry Peskov" */
    np h;
    size_t a = i;
    if (i + 1 < lim && name_np(Z, i + 1, lim, &h, 1) && h.kind == NP_PERSON) { *o = h; return 1; }
    while (a > 0 && i - a < 3 && outside(Z, a - 1)) {
      uint32_t cp = Z->t[a - 1].cls;
      const unsigned char *w = ts(Z, a - 1);
      size_t wn = tn(Z, a - 1);
      if ((cp & QT_NAT) ||
          ((cp & QT_LOWER) && !(cp & (QL_STOP | QL_PREP | QL_SAY | QL_BND | QL_DET | QL_POSS | QL_ROLE)) &&
           !ends_with(w, wn, "ed") && !ends_with(w, wn, "ing") && !ends_with(w, wn, "ly")))
        a--;
      else
        break;
    }
    if (a > 0 && (Z->t[a - 1].cls & QL_PREP)) return 0;  /* "among officials" */
    if (a > 0 && (Z->t[a - 1].cls & QL_POSS)) {
      /* "his aides" is an object, but "His campaign stressed" speaks */
      if (!(i + 1 < Z->n && say_verb(Z, i + 1))) return 0;
      a--;
    }
    o->a = o->na = (uint32_t)a;
    o->b = o->nb = (uint32_t)(i + 1);
    o->kind = NP_ROLE;
    return 1;
  }
  if (!name_np(Z, i, lim, o, 0)) return 0;
  /* "the Russian side": a capitalised modifier, not a name */
  if (i > 0 && (Z->t[i - 1].cls & QL_DET) && o->kind == NP_NAME && o->b < lim &&
      (Z->t[o->b].cls & QT_LOWER) && !(Z->t[o->b].cls & QL_SAY) &&
      !(o->b == i + 1 && (tflags(Z, i) & TD_F_ALL_UPPER)))  /* "the MDC has" is an organisation */
    return 0;
  return 1;
}

/* Words seen capitalised mid-sentence, and the fullest form of each person's
 * name (keyed by surname). */
static int build_names(Q *Z) {
  qpriv *p = Z->p;
  size_t i, n = Z->n, ncaps = 0;
  for (i = 0; i < n; i++)
    if (Z->t[i].cls & QT_CAP) ncaps++;
  p->mcaps = pow2_at_least(2 * ncaps + 1);
  if (td_grow(&Z->d->A, (void **)&p->caps, &p->ccaps, p->mcaps, sizeof *p->caps)) return TD_ENOMEM;
  memset(p->caps, 0, p->mcaps * sizeof *p->caps);
  p->mpers = p->mcaps;
  if (td_grow(&Z->d->A, (void **)&p->pers, &p->cpers, p->mpers, sizeof *p->pers)) return TD_ENOMEM;
  memset(p->pers, 0, p->mpers * sizeof *p->pers);
  for (i = 0; i < n; i++) {
    if ((Z->t[i].cls & QT_CAP) && !sentence_initial(Z, i) && !p->u[Z->t[i].unit].heading)
      caps_add(p, hash_lower(ts(Z, i), tn(Z, i)));
  }
  for (i = 0; i < n;) {
    size_t e;
    np o;
    if (p->u[Z->t[i].unit].heading ||
        (i > 0 && capword(Z, i - 1) && !(tflags(Z, i) & TD_F_NEWLINE_BEFORE))) { i++; continue; }
    e = cap_run(Z, i, n);
    if (e == i) { i++; continue; }
    classify_run(Z, i, e, &o, 0);
    if (o.kind == NP_PERSON) {
      uint64_t key = hash_lower(ts(Z, o.nb - 1), tn(Z, o.nb - 1));
      qperson *s = pers_slot(p, key);
      if (!s->key || (s->b - s->a) < (o.nb - o.na)) {
        s->key = key;
        s->a = o.na;
        s->b = o.nb;
      }
    }
    i = e;
  }
  return TD_OK;
}

/* ---- pass 4: speakers --------------------------------------------------- */

static int is_boundary(const Q *Z, size_t i) {
  uint32_t c = Z->t[i].cls;
  return (c & QT_BNDP) || (c & QL_BND) != 0;
}

/* A speech verb used as a verb (not "his calls", "the remarks"). */
static int say_verb(const Q *Z, size_t i) {
  if (!(Z->t[i].cls & QL_SAY) || !(Z->t[i].cls & QT_LOWER) || !outside(Z, i)) return 0;
  if (i > 0 && (Z->t[i - 1].cls & QL_POSS)) return 0;
  return 1;
}

/* Where a pronoun may be a subject: the start of a clause, after a
 * quotation, or right after a speech verb ("said he"). */
static int subject_slot(const Q *Z, size_t lo, size_t k) {
  size_t j;
  if (k == lo) return 1;
  j = k - 1;
  if (!outside(Z, j)) return 1;
  if (is_boundary(Z, j) || say_verb(Z, j)) return 1;
  return 0;
}

static int word_is(const Q *Z, size_t i, const char *lower) {
  size_t m = strlen(lower), k;
  const unsigned char *s = ts(Z, i);
  if (tn(Z, i) != m) return 0;
  for (k = 0; k < m; k++) {
    unsigned c = s[k];
    if (c >= 'A' && c <= 'Z') c += 32;
    if (c != (unsigned char)lower[k]) return 0;
  }
  return 1;
}

/* A lower-case word that looks like a verb: -ed, -ing, or an auxiliary
 * ("presidential hopeful Mitt Romney" does not open with one). */
static int verb_like(const Q *Z, size_t k) {
  static const char *const aux[] = {"has", "have", "had", "is", "was", "were", "are", "will",
                                    "would", "could", "should", "may", "might", "must", "can", NULL};
  const unsigned char *w = ts(Z, k);
  size_t n = tn(Z, k), i;
  if (ends_with(w, n, "ed") || ends_with(w, n, "ing")) return 1;
  for (i = 0; aux[i]; i++)
    if (word_is(Z, k, aux[i])) return 1;
  return 0;
}

/* Is the word at k the object of a preposition ("of the former deposed
 * President X", "with Putin")?  Looks back over at most three modifiers. */
static int after_prep(const Q *Z, size_t s, size_t k) {
  size_t j = k, steps = 0;
  while (j > s && steps < 4) {
    uint32_t c = Z->t[j - 1].cls;
    if (c & QL_PREP) return 1;
    /* only determiners and adjective-like words lie between a preposition
     * and its object: "To the committee Mulroney said" is a subject */
    if (!(c & QT_WORD) || (c & (QL_SAY | QL_BND | QL_ROLE))) return 0;
    if (!(c & (QL_DET | QL_POSS | QL_STOP | QL_TITLE | QT_NAT)) &&
        !((c & QT_LOWER) && (ends_with(ts(Z, j - 1), tn(Z, j - 1), "ed") ||
                             ends_with(ts(Z, j - 1), tn(Z, j - 1), "al") ||
                             ends_with(ts(Z, j - 1), tn(Z, j - 1), "ic"))))
      return 0;
    j--;
    steps++;
  }
  return 0;
}

/* The first subject-like NP of the nearest clause before p (within [lo, p))
 * that has one. */
static int clause_subject(const Q *Z, size_t lo, size_t p, np *out) {
  size_t end = p;
  while (end > lo) {
    size_t s = end, k;
    while (s > lo) {
      size_t t = s - 1;
      if (outside(Z, t) && is_boundary(Z, t)) break;
      s--;
    }
    /* clause [s, end) */
    if (!(s < end && (Z->t[s].cls & QL_REL))) {
      uint32_t c0 = s < end ? Z->t[s].cls : 0;
      /* a clause that opens with a verb ("criticized the government",
       * "calling it") is a predicate: its subject is in a clause before */
      if (s < end && (c0 & QT_LOWER) &&
          !(c0 & (QL_DET | QL_POSS | QL_STOP | QL_PREP | QL_BND | QL_HE | QL_IT | QL_THEY | QL_I | QL_ROLE)) &&
          (verb_like(Z, s) || (c0 & QL_SAY)))
        k = end;
      else
        k = s;
      for (; k < end; k++) {
        np o;
        if (!outside(Z, k)) continue;
        if (k > s && capword(Z, k - 1) && outside(Z, k - 1) && !(tflags(Z, k) & TD_F_NEWLINE_BEFORE))
          continue;  /* inside a name that did not parse from its start */
        if (!((Z->t[k].cls & (QL_HE | QL_THEY | QL_I)) && (Z->t[k].cls & QT_WORD)) && after_prep(Z, s, k))
          continue;  /* he, they: nominative, never a preposition's object */
        if (k == s && k > lo && (Z->t[k - 1].cls & QL_PREP) && (Z->t[k - 1].cls & QL_BND) == 0) continue;
        if (!parse_np(Z, k, end, &o)) continue;
        if (o.kind >= NP_HE && !subject_slot(Z, s, k) &&
            !(k + 1 < Z->n && (say_verb(Z, k + 1) || (is_adverb(Z, k + 1) && k + 2 < Z->n && say_verb(Z, k + 2)))))
          continue;  /* an object pronoun, unless "... he reportedly asked" */
        if (o.poss_only) { k = o.b; continue; }
        if (o.kind == NP_ROLE && k == s && s > lo + 1 && tok_is(Z, s - 1, ",")) {
          /* "Adel Abdul Mahdi, Iraq's Finance Minister, said": the name */
          size_t k2 = s - 1 > lo + MAX_RUN ? s - 1 - MAX_RUN : lo;
          for (; k2 + 1 < s; k2++) {
            np o2;
            if (parse_np(Z, k2, s - 1, &o2) && o2.b == s - 1 && o2.kind == NP_PERSON) { o = o2; break; }
          }
        }
        *out = o;
        return 1;
      }
    }
    if (s == lo) break;
    end = s - 1;
  }
  return 0;
}


/* "according to X" at i. */
static int according(const Q *Z, size_t i, size_t lim, np *o) {
  size_t j;
  if (!(i + 2 < lim && outside(Z, i) && word_is(Z, i, "according") && word_is(Z, i + 1, "to")))
    return 0;
  if (parse_np(Z, i + 2, lim, o) && o->kind < NP_HE) return 1;
  if ((Z->t[i + 2].cls & QL_DET) && outside(Z, i + 3) && name_np(Z, i + 3, lim, o, 0) && o->kind < NP_HE)
    return 1;  /* according to The Guardian */
  /* "according to the country's state television service,": the words up
   * to the clause's end, when they are few */
  for (j = i + 2; j < lim && j < i + 10; j++)
    if (!outside(Z, j) || (Z->t[j].cls & (QT_BNDP | QT_TERM)) || Z->t[j].mark != M_NONE) break;
  if (j == i + 2 || j == i + 10 || j >= lim || !(Z->t[j].cls & (QT_BNDP | QT_TERM))) return 0;
  memset(o, 0, sizeof *o);
  o->a = o->na = (uint32_t)(i + 2);
  o->b = o->nb = (uint32_t)j;
  o->kind = NP_ROLE;
  o->ent = -1;
  return 1;
}

static int is_adverb(const Q *Z, size_t i) {
  return (Z->t[i].cls & QT_LOWER) && ends_with(ts(Z, i), tn(Z, i), "ly");
}

/* The speaker after an inverted verb: "said Fidan", "said the minister",
 * "said veteran American campaigner Clive Stafford Smith" (up to three
 * lower-case or nationality modifiers before the name). */
static int inverted_np(const Q *Z, size_t k, size_t lim, np *o) {
  size_t j;
  for (j = k; j < lim && j <= k + 3; j++) {
    if (parse_np(Z, j, lim, o))
      return o->kind != NP_I && o->kind != NP_IT && o->kind != NP_THEY && (j == k || o->kind == NP_PERSON);
    if (!outside(Z, j) || !(Z->t[j].cls & (QT_LOWER | QT_NAT)) ||
        (Z->t[j].cls & (QL_SAY | QL_PREP | QL_BND | QL_STOP)))
      return 0;
  }
  return 0;
}

/* “…,” he said / “…,” said the minister / “…,” Fidan, the minister, told */
static int after_quote(const Q *Z, const qrange *g, np *o) {
  size_t k = g->close + 1, n = Z->n, lim;
  if (k >= n || hard_break(Z, k) || Z->t[k].mark != M_NONE) return 0;
  lim = Z->p->u[Z->t[g->close].unit].last;
  if (g->b > g->a && tok_is(Z, g->b - 1, ".")) {
    /* the quote ended its sentence: only "“….” Doug Porter said." follows */
    size_t e, j, v = (size_t)-1, ulast = Z->p->u[Z->t[k].unit].last;
    if (say_verb(Z, k) && !ends_with(ts(Z, k), tn(Z, k), "ing") && inverted_np(Z, k + 1, ulast, o) &&
        o->kind < NP_HE && o->b < ulast && (Z->t[o->b].cls & (QT_TERM | QT_BNDP)))
      return TD_QH_AFTER;  /* “….” said Ya Li, a spokeswoman. */
    for (j = k; j < ulast && j < k + 10; j++) {
      if ((Z->t[j].cls & (QT_TERM | QT_BNDP)) || !outside(Z, j)) break;
      if (say_verb(Z, j)) { v = j; break; }
    }
    if (v == (size_t)-1 || v == k) return 0;
    /* the verb ends the sentence within three words: "told reporters." */
    for (e = v + 1; e < ulast && e <= v + 4; e++)
      if (Z->t[e].cls & QT_TERM) break;
    if (e >= ulast || !(Z->t[e].cls & QT_TERM)) return 0;
    /* the name right before the verb; before it only lower-case modifiers */
    e = is_adverb(Z, v - 1) ? v - 1 : v;
    for (j = k; j < e; j++) {
      if (parse_np(Z, j, e, o) && o->b == e && o->kind < NP_HE) return TD_QH_AFTER;
      if (j > k && !(Z->t[j].cls & QT_LOWER)) return 0;
    }
    return 0;
  }
  if (tok_is(Z, k, ",")) k++;
  if (k >= lim || !outside(Z, k)) return 0;
  if (according(Z, k, lim, o)) return TD_QH_ACCORDING;
  if (say_verb(Z, k)) {
    /* “…,” said Fidan (not “…”, saying it was ...: that is the sentence's subject) */
    if (ends_with(ts(Z, k), tn(Z, k), "ing")) return 0;
    return inverted_np(Z, k + 1, lim, o) ? TD_QH_AFTER : 0;
  }
  if (parse_np(Z, k, lim, o)) {
    size_t e = o->b, j;
    if (e < lim && is_adverb(Z, e)) e++;
    if (e + 1 < lim && tok_is(Z, e, ",") && say_verb(Z, e + 1)) e++;  /* "Ido Nehushtan, said" */
    else if (e < lim && tok_is(Z, e, ",")) {  /* appositive */
      for (j = e + 1; j < lim && j <= e + 10; j++)
        if (tok_is(Z, j, ",")) { e = j + 1; break; }
    }
    if (e < lim && is_adverb(Z, e)) e++;
    if (e < lim && say_verb(Z, e) && o->kind != NP_I) return TD_QH_AFTER;
  }
  return 0;
}

/* “…” – Name */
static int dash_after(const Q *Z, const qrange *g, np *o) {
  size_t k = g->close + 1, n = Z->n, e;
  if (k + 1 >= n || (tflags(Z, k) & TD_F_NEWLINE_BEFORE) || !(Z->t[k].cls & QT_DASH)) return 0;
  if (tflags(Z, k + 1) & TD_F_NEWLINE_BEFORE) return 0;
  if (!parse_np(Z, k + 1, n, o) || o->kind >= NP_HE) return 0;
  e = o->b;
  if (o->kind == NP_NONE) return 0;
  return e == n || (tflags(Z, e) & TD_F_NEWLINE_BEFORE) || (Z->t[e].cls & (QT_BNDP | QT_TERM));
}

/* The quoted words look like a title: every word of more than three letters
 * capitalised, at most twelve tokens, no final punctuation inside. */
static int title_case(const Q *Z, const qrange *g) {
  size_t k, words = 0;
  if (g->b - g->a > 12) return 0;
  for (k = g->a; k < g->b; k++) {
    uint32_t c = Z->t[k].cls;
    if (c & QT_TERM) return 0;
    if (!(c & QT_WORD)) continue;
    words++;
    if (tn(Z, k) > 3 && !(c & QT_CAP)) return 0;
  }
  return words >= 2;
}

/* Name said, “…” and friends: look before the opening mark. */
static int before_quote(const Q *Z, const qrange *g, np *o) {
  const qunit *u = &Z->p->u[Z->t[g->open].unit];
  size_t lo = u->first, p = g->open, k, v = (size_t)-1;
  int words = 0;
  if (p > lo + WINDOW) lo = p - WINDOW;
  for (k = lo; k < p; k++)
    if (outside(Z, k) && (Z->t[k].cls & QT_WORD)) words++;
  if (words == 0 && Z->t[g->open].unit > 0) {
    /* Fidan told the delegations:\n\n“…” */
    const qunit *pu = u - 1;
    if (!pu->colon) return 0;
    lo = pu->first;
    p = pu->last;
    if (p > lo + WINDOW) lo = p - WINDOW;
  }
  for (k = lo; k + 2 < p; k++)
    if (according(Z, k, p, o)) return TD_QH_ACCORDING;
  /* X said that ... “…” continues below; "according to X" after the quote */
  {
    size_t lim = u->last;
    if (lim > g->close + WINDOW) lim = g->close + WINDOW;
    for (k = Z->t[g->close].unit == Z->t[g->open].unit ? g->close + 1 : lim; k + 2 < lim; k++)
      if (according(Z, k, lim, o)) return TD_QH_ACCORDING;
  }
  if (p > lo && tok_is(Z, p - 1, ":") && clause_subject(Z, lo, p, o))
    return TD_QH_BEFORE;  /* "Bill Graham agrees: “…”" */
  for (k = p; k > lo; k--)
    if (say_verb(Z, k - 1)) { v = k - 1; break; }
  if (v != (size_t)-1 && g->b - g->a <= 4 && (word_is(Z, v, "called") || word_is(Z, v, "calls")) &&
      v > lo && (Z->t[v - 1].cls & QT_LOWER) &&
      !(Z->t[v - 1].cls & (QL_HE | QL_THEY | QL_I | QL_IT | QL_ROLE)) && !is_adverb(Z, v - 1))
    return 0;  /* "a procedure called a “standing division”": a name for a thing */
  if (v != (size_t)-1) {
    /* said Fidan: “…” */
    if (parse_np(Z, v + 1, p, o) && o->kind < NP_HE && o->b < p) {
      size_t e = o->b;  /* said Fidan: “…” (not: called Mr Smith “rude”) */
      while (e < p && (Z->t[e].cls & QT_BNDP)) e++;
      if (e == p) return TD_QH_BEFORE;
    }
    return clause_subject(Z, lo, v, o) ? TD_QH_BEFORE : 0;
  }
  /* no speech verb: a quoted word in a sentence about someone ("He called
   * the delegation a “dummy”") - but a bare name of unknown kind is more
   * often a scare quote ("Lithuania may have obtained the “friend-or-foe”
   * system") than speech */
  if (g->b - g->a <= 4) return 0;  /* “friend-or-foe”: a term, not speech */
  if (title_case(Z, g)) return 0;   /* introduced the “Freedom to Travel to Cuba Act” */
  if (!clause_subject(Z, lo, p, o)) return 0;
  return o->kind == NP_NAME ? 0 : TD_QH_BEFORE;
}

/* The fullest mention of a person's name in the document. */
static void canonical(const Q *Z, const np *o, uint32_t *a, uint32_t *b) {
  qperson *s;
  size_t k, len = o->nb - o->na;
  *a = o->na;
  *b = o->nb;
  if (o->ent >= 0 || len == 0) return;
  s = pers_slot(Z->p, hash_lower(ts(Z, o->nb - 1), tn(Z, o->nb - 1)));
  if (!s || !s->key || s->b - s->a <= len) return;
  for (k = 0; k < len; k++)
    if (!same_words(Z, o->nb - 1 - k, s->b - 1 - k)) return;
  *a = s->a;
  *b = s->b;
}

static void set_speaker(const Q *Z, td_quote *q, const np *o, const np *cue) {
  uint32_t a, b;
  const td_token *tk = Z->d->tok;
  q->cue_start = tk[cue->a].start;
  q->cue_end = tk[cue->b - 1].end;
  q->ent = o->ent;
  switch (o->kind) {
    case NP_PERSON: q->kind = TD_SPK_PERSON; break;
    case NP_ORG: q->kind = TD_SPK_ORG; break;
    case NP_ROLE: q->kind = TD_SPK_ROLE; break;
    default: q->kind = TD_SPK_NAME; break;
  }
  if (o->kind == NP_PERSON) {
    q->spk_start = tk[o->na].start;
    q->spk_end = tk[o->nb - 1].end;
    canonical(Z, o, &a, &b);
  } else {
    q->spk_start = tk[o->a].start;
    q->spk_end = tk[o->b - 1].end;
    a = o->a;
    b = o->b;
  }
  q->name_start = tk[a].start;
  q->name_end = tk[b - 1].end;
}

/* The subject of a unit for pronoun resolution: its first person (or he/she)
 * outside quotations that is neither after a preposition nor a possessor. */
static int unit_subject(const Q *Z, const qunit *u, np *o) {
  size_t k;
  if (u->heading) return 0;
  /* the one who speaks: "..., Volker said." / "said Volker" */
  for (k = u->first; k < u->last; k++) {
    size_t e, j;
    if (!say_verb(Z, k)) continue;
    e = k > u->first && is_adverb(Z, k - 1) ? k - 1 : k;
    j = e > u->first + MAX_RUN ? e - MAX_RUN : u->first;
    for (; j < e; j++)
      if (outside(Z, j) && parse_np(Z, j, e, o) && o->b == e) break;
    if (j == e && !(k + 1 < u->last && !ends_with(ts(Z, k), tn(Z, k), "ing") && parse_np(Z, k + 1, u->last, o)))
      continue;
    if (o->poss_only) continue;
    if (o->kind == NP_NAME) o->kind = NP_PERSON;  /* a name that speaks is a person's */
    if (o->kind == NP_PERSON || o->kind == NP_HE || o->kind == NP_ORG) return 1;
  }
  for (k = u->first; k < u->last; k++) {
    if (!outside(Z, k)) continue;
    if (k > u->first && (Z->t[k - 1].cls & QL_PREP)) continue;
    if (!parse_np(Z, k, u->last, o)) continue;
    if (o->poss_only || o->kind == NP_NAME || o->kind == NP_ROLE) { k = o->b - 1; continue; }
    if (o->kind == NP_PERSON || o->kind == NP_HE || o->kind == NP_ORG) return 1;
    k = o->b - 1;
  }
  return 0;
}

/* "the kidnappers insisted they were ...": the nearest plural description
 * before the pronoun at p (within WINDOW tokens, not across a paragraph). */
static int they_antecedent(const Q *Z, size_t p, np *o) {
  size_t j = p, lo = p > WINDOW ? p - WINDOW : 0;
  while (j > lo) {
    j--;
    if (Z->t[j].para != Z->t[p].para) break;
    if (!outside(Z, j) || !(Z->t[j].cls & QL_ROLE)) continue;
    if (!ends_with(ts(Z, j), tn(Z, j), "s")) continue;
    {
      size_t a = j, k;
      /* the description's start: a determiner or modifiers before the noun */
      for (k = j; k > lo && j - k < 4; k--) {
        uint32_t c = Z->t[k - 1].cls;
        if (!outside(Z, k - 1) || !(c & QT_WORD) || (c & (QL_PREP | QL_SAY | QL_BND))) break;
        a = k - 1;
        if (c & QL_DET) break;
      }
      memset(o, 0, sizeof *o);
      o->a = o->na = (uint32_t)a;
      o->b = o->nb = (uint32_t)(j + 1);
      o->kind = NP_ROLE;
      o->ent = -1;
      return 1;
    }
  }
  return 0;
}

/* The subject of unit ui (NULL: none), found the first time it is asked. */
static const np *subject_of(const Q *Z, size_t ui) {
  usub *s = &Z->p->us[ui];
  if (s->state == 0) s->state = unit_subject(Z, &Z->p->u[ui], &s->subj) ? 2 : 1;
  return s->state == 2 ? &s->subj : NULL;
}

/* The person "he" refers to from unit ui, as if each unit before it had
 * set it in turn (its person speaker, then its subject when that is a
 * person): the nearest unit back that does, no further back than the units
 * already folded in (so every unit is looked at once at most). */
static int person_before(Q *Z, size_t ui, np *out) {
  size_t v = ui;
  while (v > Z->pcur) {
    const np *s = subject_of(Z, --v);
    const usub *us = &Z->p->us[v];
    if (s && s->kind == NP_PERSON) { Z->last_person = *s; Z->have_person = 1; break; }
    if (us->has_spk) { Z->last_person = us->spk; Z->have_person = 1; break; }
  }
  if (ui > Z->pcur) Z->pcur = ui;
  *out = Z->last_person;
  return Z->have_person;
}

/* The same for "it": the nearest unit back whose subject is an organisation. */
static int org_before(Q *Z, size_t ui, np *out) {
  size_t v = ui;
  while (v > Z->ocur) {
    const np *s = subject_of(Z, --v);
    if (s && s->kind == NP_ORG) { Z->last_org = *s; Z->have_org = 1; break; }
  }
  if (ui > Z->ocur) Z->ocur = ui;
  *out = Z->last_org;
  return Z->have_org;
}

static int attribute(Q *Z, td_quotes *r, const qrange *qr) {
  qpriv *p = Z->p;
  size_t ui, qi = 0;
  Z->have_person = Z->have_org = 0;
  Z->pcur = Z->ocur = 0;
  if (td_grow(&Z->d->A, (void **)&p->us, &p->cus, p->nu, sizeof *p->us)) return TD_ENOMEM;
  memset(p->us, 0, p->nu * sizeof *p->us);
  for (ui = 0; ui < p->nu && qi < r->n; ui++) {
    const qunit *u = &p->u[ui];
    long words = -1;  /* words outside quotations, counted when needed */
    for (; qi < r->n && Z->t[qr[qi].open].unit == ui; qi++) {
      td_quote *q = &r->q[qi];
      const qrange *g = &qr[qi];
      np o, res;
      int how = TD_QH_NONE;
      if (dash_after(Z, g, &o)) how = TD_QH_DASH;
      else if ((how = after_quote(Z, g, &o)) != 0) {}
      else how = before_quote(Z, g, &o);
      if (how != TD_QH_NONE) {
        res = o;
        if (o.kind == NP_HE) {
          /* this unit's subject when that is a named person before it,
           * else the person carried from earlier units */
          const np *su = subject_of(Z, ui);
          q->flags |= TD_QF_PRONOUN;
          if (su && su->kind == NP_PERSON && su->a < o.a) res = *su;
          else if (!person_before(Z, ui, &res)) res.kind = NP_NONE;
        } else if (o.kind == NP_IT) {
          q->flags |= TD_QF_PRONOUN;
          if (!org_before(Z, ui, &res)) res.kind = NP_NONE;
        } else if (o.kind == NP_THEY) {
          q->flags |= TD_QF_PRONOUN;
          if (!they_antecedent(Z, o.a, &res)) res.kind = NP_NONE;
        } else if (o.kind >= NP_THEY) {
          q->flags |= TD_QF_PRONOUN;
          res.kind = NP_NONE;
        }
        q->how = (uint8_t)how;
        if (res.kind != NP_NONE) {
          set_speaker(Z, q, &res, &o);
          if (res.kind == NP_PERSON) { p->us[ui].spk = res; p->us[ui].has_spk = 1; }
        } else {
          q->cue_start = Z->d->tok[o.a].start;
          q->cue_end = Z->d->tok[o.b - 1].end;
        }
      }
      if (q->spk_end == q->spk_start && how == TD_QH_NONE && qi > 0) {
        /* a quotation standing alone right after one with a speaker */
        if (words < 0) {
          size_t k;
          words = 0;
          for (k = u->first; k < u->last; k++)
            if (outside(Z, k) && (Z->t[k].cls & QT_WORD)) words++;
        }
        if (words == 0 && r->q[qi - 1].spk_end > r->q[qi - 1].spk_start &&
            Z->t[qr[qi - 1].close].para + 1 >= Z->t[g->open].para) {
          td_quote *pq = &r->q[qi - 1];
          q->how = TD_QH_CONTINUED;
          q->spk_start = pq->spk_start; q->spk_end = pq->spk_end;
          q->name_start = pq->name_start; q->name_end = pq->name_end;
          q->cue_start = pq->cue_start; q->cue_end = pq->cue_end;
          q->ent = pq->ent;
          q->kind = pq->kind;
        }
      }
      if (g->b > g->a && (Z->t[g->a].cls & QT_LOWER)) q->flags |= TD_QF_PARTIAL;
    }
  }
  return TD_OK;
}

/* ---- entities ------------------------------------------------------------ */

/* The first token starting at or after `byte`, searched from `from` (the
 * answer for the previous entity): entities come sorted, so a galloping
 * search forward from there costs the log of the gap, not of the doc.  Input
 * that goes backwards gets a binary search over the whole doc. */
static size_t first_token_at(const td_doc *d, size_t from, uint32_t byte) {
  size_t lo = 0, hi = d->ntok, step = 1;
  if (from < d->ntok && (from == 0 || d->tok[from - 1].start < byte)) {
    /* tokens before `from` start before `byte`: gallop to a bound */
    lo = from;
    while (lo + step < d->ntok && d->tok[lo + step - 1].start < byte) {
      lo += step;
      step *= 2;
    }
    if (lo + step < d->ntok) hi = lo + step;
  }
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (d->tok[mid].start < byte) lo = mid + 1; else hi = mid;
  }
  return lo;
}

static int map_entities(Q *Z, const td_qent *ents, size_t nents) {
  qpriv *p = Z->p;
  size_t e, prev = 0;
  if (nents == 0) return TD_OK;
  if (td_grow(&Z->d->A, (void **)&p->entend, &p->centend, Z->n, sizeof *p->entend)) return TD_ENOMEM;
  for (e = 0; e < nents; e++) {
    size_t a, b;
    if (ents[e].end <= ents[e].start || ents[e].end > Z->d->len) continue;
    a = prev = first_token_at(Z->d, prev, ents[e].start);
    if (a >= Z->n || Z->d->tok[a].start != ents[e].start) continue;  /* not on a token */
    b = a;
    while (b < Z->n && Z->d->tok[b].end <= ents[e].end) b++;
    if (b == a) continue;
    if (Z->t[a].ent >= 0 && p->entend[a] >= b) continue;  /* keep the longer */
    Z->t[a].ent = (int32_t)e;
    p->entend[a] = (uint32_t)b;
  }
  return TD_OK;
}

/* ---- public -------------------------------------------------------------- */

void td_quotes_init(td_quotes *r, const td_alloc *A) {
  memset(r, 0, sizeof *r);
  r->A = *A;
}

void td_quotes_free(td_quotes *r) {
  qpriv *p = (qpriv *)r->priv;
  if (p) {
    td_free(&r->A, p->t, p->ct * sizeof *p->t);
    td_free(&r->A, p->u, p->cu * sizeof *p->u);
    td_free(&r->A, p->caps, p->ccaps * sizeof *p->caps);
    td_free(&r->A, p->pers, p->cpers * sizeof *p->pers);
    td_free(&r->A, p->entend, p->centend * sizeof *p->entend);
    td_free(&r->A, p->us, p->cus * sizeof *p->us);
    td_free(&r->A, p, sizeof *p);
    r->priv = NULL;
  }
  td_free(&r->A, r->q, r->cap * sizeof *r->q);
  r->q = NULL;
  r->n = r->cap = 0;
}

int td_quotes_find(td_quotes *r, const td_doc *d, const td_qent *ents, size_t nents) {
  Q Z;
  qpriv *p;
  qrange *qr = NULL;
  size_t cqr = 0;
  int rc;
  td_doc dd;
  r->n = 0;
  if (d->ntok == 0) return TD_OK;
  if (!r->priv) {
    r->priv = r->A.f(r->A.ud, NULL, 0, sizeof(qpriv));
    if (!r->priv) return TD_ENOMEM;
    memset(r->priv, 0, sizeof(qpriv));
  }
  p = (qpriv *)r->priv;
  /* scratch is grown with the quotes' allocator: a doc view carrying it */
  dd = *d;
  dd.A = r->A;
  memset(&Z, 0, sizeof Z);
  Z.d = &dd;
  Z.p = p;
  Z.n = d->ntok;
  Z.ents = ents;
  if (td_grow(&r->A, (void **)&p->t, &p->ct, Z.n, sizeof *p->t)) return TD_ENOMEM;
  Z.t = p->t;
  classify(&Z);
  rc = map_entities(&Z, ents, ents ? nents : 0);
  if (rc == TD_OK) rc = find_marks(&Z, r, &qr, &cqr);
  /* the later passes only attribute quotations: none, nothing to do */
  if (rc == TD_OK && r->n > 0) rc = build_units(&Z, qr);
  if (rc == TD_OK && r->n > 0) rc = build_names(&Z);
  if (rc == TD_OK && r->n > 0) rc = attribute(&Z, r, qr);
  td_free(&r->A, qr, cqr * sizeof *qr);
  if (rc != TD_OK) r->n = 0;
  return rc;
}
