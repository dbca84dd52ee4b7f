/*
 * numbers.h - private to numbers.c and numbers_dates.c (the number pass).
 *
 * The pass works on "atoms": the doc's tokens cut once more at letter/digit
 * changes ("5bn" -> "5" "bn", "18th" -> "18" "th", "3pm" -> "3" "pm"), so the
 * grammar does not depend on how the tokenizer glued a number to its suffix.
 */
#ifndef TIDINGS_NUMBERS_H
#define TIDINGS_NUMBERS_H

#include <string.h>

#include "tidings.h"

enum { AC_WORD = 1, AC_NUM, AC_PUNCT, AC_SYM };

typedef struct td_natom {
  uint32_t s, e;   /* bytes, end exclusive */
  int32_t cp;      /* PUNCT/SYM: the code point */
  int16_t lex;     /* WORD: index of its first lexicon entry, or -1 */
  uint8_t cls;
  uint8_t sp;      /* white space before (1), a line break before (2) */
  uint8_t cap;     /* WORD: 1 initial capital, 2 all capitals */
  uint8_t sep;     /* NUM: 1 has ',' groups, 2 has '.', 4 has ':' */
  uint8_t nd;      /* NUM: number of bytes (capped at 255) */
  uint8_t sent;    /* first atom of a sentence */
  uint8_t val;     /* WORD: has a lexicon entry that is a value on its own
                      (a number word, month, weekday, time unit, ...), not
                      only a modifier, unit, currency or multiplier */
  uint8_t wf;      /* WORD: 1 a starter word, 2 a lone starter (numbers.c) */
  uint16_t types;  /* WORD: bit t set when the lexicon has an entry of type t */
  uint8_t lc0;     /* WORD: first byte, ASCII lower-cased; 0xFF for other atoms
                      (no literal starts so: td_n_eq rejects on one byte) */
  uint8_t nlex;    /* WORD: number of lexicon entries from lex on */
  uint8_t lc1;     /* WORD: second byte, ASCII lower-cased; 0 for a one-byte
                      word (td_n_eq rejects most near misses on two bytes) */
  uint8_t gate;    /* NG_* bits: rule families this atom may start, worked
                      out once per atom (some on first need) so that the
                      grammar's many tries at one atom skip the rest */
  uint8_t gw;      /* WORD outside the lexicon: the rules that may begin on
                      it (numbers_dates.c gram_may, GR_* bits; 0: not yet
                      worked out) */
} td_natom;

/* td_natom.gate bits.  Each is a necessary condition read off the rule's
 * code: a clear bit means the rule returns "no match" at that atom. */
enum {
  NG_HOL = 1,       /* a holiday name may start here (numbers_dates.c holiday()) */
  NG_HOL_KNOWN = 2, /* NG_HOL has been worked out (on holiday()'s first scan
                       of the names that ends without a match) */
  NG_PREP = 4,      /* the word is one of date_prep()'s (numbers_dates.c) */
  NG_PREP_KNOWN = 8,/* NG_PREP has been worked out (on date_prep()'s first ask) */
  NG_HOL_NONE = 16  /* holiday() found no name here with all the atoms (na ==
                       na_all): later tries with all of them return at once */
};


/* Lexicon entry types. */
enum {
  L_NUM = 1,   /* zero .. nineteen: val */
  L_TENS,      /* twenty .. ninety */
  L_SCALE,     /* hundred thousand million ... lakh crore; dozen (sub 1) */
  L_ORD,       /* first .. ; sub 1 = plural (thirds) */
  L_DENOM,     /* half halves quarter quarters: val = denominator; sub 1 plural */
  L_MONTH,     /* val 1..12; sub 1 = abbreviation */
  L_WDAY,      /* val 1..7 (Monday 1); sub 1 abbreviation, 2 plural */
  L_TUNIT,     /* time unit: sub = TU_*; val 1 plural */
  L_CUR,       /* currency word: canon = ISO code; val = factor (cent 0.01) */
  L_UNIT,      /* measure unit: canon = symbol, dim = dimension; val = factor;
                  sub = U_A* (what "a"/"an" before it means) */
  L_MULT,      /* k m bn mn ... after digits: val */
  L_MOD,       /* one-word modifier: sub = bound */
  L_REL,       /* today tomorrow yesterday tonight now: val = day offset */
  L_PART,      /* morning afternoon evening night: val = hour */
  L_HOLI       /* holidays: sub = id */
};

/* L_UNIT sub bits: "a"/"an" + the unit is one of it, alone ("a kilogram",
 * "a lb") or only before "of" ("a foot of snow"; "a foot patrol" is not).
 * Neither for units that are other words after "a": "a bit", "a degree",
 * "a knot", "a meter" (a device), "a pound" (money; numbers.c). */
enum { U_A = 1, U_AOF = 2 };

/* Time units, shortest first. */
enum { TU_SEC = 1, TU_MIN, TU_HOUR, TU_DAY, TU_NIGHT, TU_WEEK, TU_FORTNIGHT,
       TU_WEEKEND, TU_MONTH, TU_QUARTER, TU_YEAR, TU_DECADE, TU_CENTURY };

typedef struct td_lex {
  const char *w;
  uint8_t type, sub;
  double val;
  const char *canon;  /* L_CUR: ISO code; L_UNIT: symbol */
  const char *dim;    /* L_UNIT: dimension */
} td_lex;

extern const td_lex td_num_lexicon[];
extern const size_t td_num_nlexicon;

struct td_nmemo;

typedef struct td_nctx {
  const char *t;
  size_t len;
  td_natom *a;
  size_t na, capa;
  size_t na_all;   /* na once atomized (date_at shortens na for a while) */
  td_number *out;
  size_t nout, capout;
  const td_alloc *A;
  const td_numopts *o;
  const td_numfilter *f;
  struct td_nmemo *memo;   /* td_n_number's answers (numbers.c); NULL: none */
} td_nctx;

/* numbers.c helpers used by numbers_dates.c */
/* The grammar asks these millions of times per megabyte of text, mostly
 * to hear "no": they are inline and reject on the atom alone. */
/* word i == w (w lower-case ASCII; the atom in any case) */
int td_n_eq_tail(const td_nctx *c, const td_natom *a, const char *w);
static inline int td_n_eq(const td_nctx *c, size_t i, const char *w) {
  if (i >= c->na) return 0;
  const td_natom *a = &c->a[i];
  /* two bytes turn nearly every other word away without a call */
  if (a->lc0 != (unsigned char)w[0] || a->lc1 != (unsigned char)w[1]) return 0;
  return td_n_eq_tail(c, a, w);
}
/* the lexicon entry of that type for word i, or NULL */
static inline const td_lex *td_n_lex(const td_nctx *c, size_t i, int type) {
  if (i >= c->na || !((c->a[i].types >> type) & 1u)) return NULL;
  const td_lex *L = &td_num_lexicon[c->a[i].lex];
  for (unsigned k = 0; k < c->a[i].nlex; k++)
    if (L[k].type == type) return &L[k];
  return NULL;
}
/* Atom i's first two bytes (lower-cased; see lc0, lc1) are one of the pairs
 * in `pairs` ("noatin": "no", "at", "in").  td_n_eq(c, i, w) needs w's first
 * two bytes to be a's: with every word of a table listed by its pair, a
 * clear answer means no word of the table is atom i. */
static inline int td_n_pair_in(const td_nctx *c, size_t i, const char *pairs) {
  if (i >= c->na) return 0;
  const td_natom *a = &c->a[i];
  for (; pairs[0]; pairs += 2)
    if (a->lc0 == (unsigned char)pairs[0] && a->lc1 == (unsigned char)pairs[1]) return 1;
  return 0;
}
/* atom i is that character (cp > 0: words and digits have cp 0, so the
 * code point alone says it is a PUNCT or SYM atom) */
static inline int td_n_punct(const td_nctx *c, size_t i, int32_t cp) {
  return i < c->na && c->a[i].cp == cp;
}
/* no space before atom i */
static inline int td_n_adjacent(const td_nctx *c, size_t i) { return i < c->na && c->a[i].sp == 0; }
/* Parse a number (digits or words) at atom i: value, kind (TD_N_CARDINAL,
 * TD_N_ORDINAL, TD_N_FRACTION), index after it.  flags: 1 = digits only,
 * 2 = no scale words/multipliers, 4 = small words only (no 'a'), 8 = any
 * denominator in "a/b", 16 = money context, 32 = (internal) no look-ahead
 * for a fraction after "and", 64 = (internal) after "a": any scale word may
 * start ("a million"). */
typedef struct td_nval {
  double v;
  size_t end;
  int kind;
  int words;     /* written with number words */
  int isint;
  int ndig;      /* digits in a plain digit atom (0 when words/separators) */
  int plain;     /* a single digit atom without separators or sign */
} td_nval;
int td_n_number(const td_nctx *c, size_t i, int flags, td_nval *nv);
int td_n_emit(td_nctx *c, size_t a, size_t b, int kind, double value, td_number **out);

/* numbers_dates.c: index the holidays by their first letter into f. */
void td_n_holiday_index(td_numfilter *f);

/* numbers_dates.c: try a date, time, duration or set at atom i.  Returns the
 * atom index after it (> i) and fills *r, or 0. */
size_t td_n_datetime(td_nctx *c, size_t i, td_number *r);
/* A duration "3 days", "two and a half hours" at i (no modifiers). */
size_t td_n_duration(td_nctx *c, size_t i, td_number *r);

#endif
