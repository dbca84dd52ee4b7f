/*
 * numbers.c - tokens -> numbers, money, percentages, quantities and counted
 * things, with their values, units, rates, bounds and ranges.
 *
 * Dates, times, durations and sets are in numbers_dates.c; the word lists in
 * numbers_lexicon.c.  The pass is:
 *   1. atoms: the doc's tokens cut at letter/digit changes (see numbers.h);
 *      each word is looked up once in the word table (a letter bit set,
 *      then a hash; td_numfilter);
 *   2. left to right, at each atom that can start a number (a digit, a
 *      currency sign, a word with a lexicon entry or a modifier) try, longest
 *      first: a modifier ("more than", "about", "between X and Y"), then a
 *      date/time/duration, money, a percentage, a quantity with a unit, or a
 *      bare number with the thing it counts and a rate ("per week").
 * Values are parsed digit by digit (never strtod: no locale).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#include "numbers.h"
#include "numbers_currencies.h"

const char *const td_numkind_names[TD_N_NKINDS] = {
  "cardinal", "ordinal", "fraction", "percent", "money", "quantity",
  "date", "time", "duration", "range", "set"
};
const char *const td_bound_names[TD_B_N] = { "", "=", ">", ">=", "<", "<=", "~" };

/* ---- atoms ------------------------------------------------------------- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

static int space_cp(int32_t cp) {
  return cp == 0xA0 || cp == 0x202F || cp == 0x2009 || cp == 0x2007 || cp == 0x200B ||
         cp == 0x2002 || cp == 0x2003 || cp == 0x3000 || cp == 0xFEFF;
}

static int letter_cp(int32_t cp) {
  utf8proc_category_t k = utf8proc_category(cp);
  return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_MC) && cp != 0xB5;
}

static const char *sym_currency(int32_t cp);

/* ---- the word table ------------------------------------------------------ */

/* Every word the pass knows (lexicon words, starters, lone starters) in an
 * open-addressing hash table of 1024 16-bit slots, packed four to a word of
 * td_numfilter.bits and built once by the host.  A slot holds
 *   bits 0-9    index of the word in its list (the first lexicon entry)
 *   bits 10-11  the list: W_SRC_LEX, W_SRC_START, W_SRC_LONE (0: empty)
 *   bit 12      W_VAL: a lexicon entry that is a value on its own
 *   bit 13      W_START: in starters[]
 *   bit 14      W_LONE: in lone_starters[]
 *   bit 15      W_LEX: has lexicon entries
 * so a word costs one hash and a probe or two, never a list search. */
enum { W_SRC_LEX = 1, W_SRC_START = 2, W_SRC_LONE = 3 };
enum { W_VAL = 1 << 12, W_START = 1 << 13, W_LONE = 1 << 14, W_LEX = 1 << 15 };
enum { W_SLOTS = 4096, W_MAXLEN = 23 };

static uint32_t whash(const char *w, size_t n) {   /* FNV-1a; w lower-case */
  uint32_t h = 2166136261u;
  for (size_t k = 0; k < n; k++) h = (h ^ (unsigned char)w[k]) * 16777619u;
  return h ^ (h >> 15);
}

static unsigned slot_get(const td_numfilter *f, unsigned k) {
  return (unsigned)(f->bits[k >> 2] >> ((k & 3) * 16)) & 0xFFFFu;
}

static void slot_set(td_numfilter *f, unsigned k, unsigned v) {
  unsigned sh = (k & 3) * 16;
  f->bits[k >> 2] = (f->bits[k >> 2] & ~((uint64_t)0xFFFF << sh)) | ((uint64_t)v << sh);
}

static const char *const lone_starters[];
static const size_t n_lone_starters;
static const char *const starters[];
static const size_t n_starters;

static const char *slot_word(unsigned v) {
  unsigned ix = v & 1023u;
  switch ((v >> 10) & 3u) {
    case W_SRC_LEX: return td_num_lexicon[ix].w;
    case W_SRC_START: return starters[ix];
    default: return lone_starters[ix];
  }
}

/* Add flags to w's slot (made with src/index if new); 0 if the table is full. */
static int word_add(td_numfilter *f, const char *w, unsigned src, unsigned ix, unsigned flags) {
  size_t n = strlen(w);
  unsigned k = whash(w, n) & (W_SLOTS - 1), v;
  for (unsigned probes = 0; probes < W_SLOTS; probes++) {
    v = slot_get(f, k);
    if (v == 0) { slot_set(f, k, (src << 10) | ix | flags); return 1; }
    if (strcmp(slot_word(v), w) == 0) { slot_set(f, k, v | flags); return 1; }
    k = (k + 1) & (W_SLOTS - 1);
  }
  return 0;
}

/* Most words of a text are in no list: before hashing one, its first,
 * second and last letters (lower-cased) are looked up in a bit set of those
 * of the listed words.  The key, or -1 when one of them is not a-z (then
 * the table decides). */
static inline int tri_key(unsigned a, unsigned b, unsigned z) {
  if (a - 'A' < 26) a += 32;
  if (b - 'A' < 26) b += 32;
  if (z - 'A' < 26) z += 32;
  a -= 'a'; b -= 'a'; z -= 'a';
  if (a > 25 || b > 25 || z > 25) return -1;
  return (int)((a * 26 + b) * 26 + z);
}

static inline int tri_key_of(const char *t, size_t n) {
  const unsigned char *u = (const unsigned char *)t;
  return tri_key(u[0], n > 1 ? u[1] : u[0], u[n - 1]);
}

/* Could text t[0..n) (n > 0) be a word of the set? */
static inline int tri_maybe(const uint64_t *set, const char *t, size_t n) {
  int k = tri_key_of(t, n);
  return k < 0 || ((set[k >> 6] >> (k & 63)) & 1u);
}

static void tri_add(td_numfilter *f, const char *w, unsigned flags) {
  int k = tri_key_of(w, strlen(w));
  if (k < 0) return;
  f->tri_any[k >> 6] |= (uint64_t)1 << (k & 63);
  if (flags & (W_VAL | W_LONE)) f->tri_hot[k >> 6] |= (uint64_t)1 << (k & 63);
}

static void two_add(uint32_t *set, const char *w);
static void stop_index(td_numfilter *f);

void td_numfilter_init(td_numfilter *f) {
  memset(f, 0, sizeof *f);
  /* about 600 words in 4096 slots; a word that did not fit would only be
   * missed, never misread */
  for (size_t k = 0; k < td_num_nlexicon && k < 1024; k++) {
    int ty = td_num_lexicon[k].type;
    unsigned fl = W_LEX;
    if (ty != L_MOD && ty != L_MULT && ty != L_UNIT && ty != L_CUR) fl |= W_VAL;
    word_add(f, td_num_lexicon[k].w, W_SRC_LEX, (unsigned)k, fl);
    tri_add(f, td_num_lexicon[k].w, fl);
  }
  for (size_t k = 0; k < n_starters; k++) {
    word_add(f, starters[k], W_SRC_START, (unsigned)k, W_START);
    tri_add(f, starters[k], W_START);
  }
  for (size_t k = 0; k < n_lone_starters; k++) {
    word_add(f, lone_starters[k], W_SRC_LONE, (unsigned)k, W_LONE);
    tri_add(f, lone_starters[k], W_LONE);
  }
  td_n_holiday_index(f);
  for (size_t k = 0; k < sizeof td_cur_names / sizeof td_cur_names[0]; k++) two_add(f->cur2, td_cur_names[k].name);
  stop_index(f);
}

/* A word list by first two letters: bit b of set[a] when a word starts with
 * 'a' + a, 'b' + b (words that do not start with two a-z letters are not
 * recorded, and two_may always says yes to such a word). */
static void two_add(uint32_t *set, const char *w) {
  unsigned a = (unsigned char)w[0] - 'a', b = a < 26 ? (unsigned char)w[1] - 'a' : 26;
  if (a < 26 && b < 26) set[a] |= 1u << b;
}

/* Can w (lower case) be in the list?  No when it starts with two a-z
 * letters that no word of the list starts with. */
static int two_may(const uint32_t *set, const char *w) {
  unsigned a = (unsigned char)w[0] - 'a', b = a < 26 ? (unsigned char)w[1] - 'a' : 26;
  return a >= 26 || b >= 26 || ((set[a] >> b) & 1u);
}
static int cur_name_may(const td_numfilter *f, const char *name) { return two_may(f->cur2, name); }

/* The slot value of text[s,e) read case-blind ("’" as "'"), lower-casing
 * and hashing in one pass; 0 for a word the table cannot hold (too long,
 * other non-ASCII letters). */
static unsigned text_info(const td_numfilter *f, const char *t, size_t s, size_t e) {
  char w[W_MAXLEN + 1];
  uint32_t h = 2166136261u;
  size_t n = 0;
  if (e - s > 3 * W_MAXLEN) return 0;
  for (size_t k = s; k < e; k++) {
    unsigned ch = (unsigned char)t[k];
    if (n >= W_MAXLEN) return 0;
    if (ch >= 0x80) {
      if (ch == 0xE2 && k + 2 < e && (unsigned char)t[k + 1] == 0x80 && (unsigned char)t[k + 2] == 0x99) {
        ch = '\''; k += 2;
      } else return 0;
    } else if (ch >= 'A' && ch <= 'Z') ch += 32;
    w[n++] = (char)ch;
    h = (h ^ ch) * 16777619u;
  }
  h ^= h >> 15;
  unsigned k = h & (W_SLOTS - 1), v;
  while ((v = slot_get(f, k)) != 0) {
    const char *x = slot_word(v);
    if (x[0] == w[0] && strncmp(x, w, n) == 0 && x[n] == '\0') return v;
    k = (k + 1) & (W_SLOTS - 1);
  }
  return 0;
}

/* The lower-cased ASCII form of atom i into buf (n < sz), or 0 if too long. */
static size_t atom_lower(const td_nctx *c, size_t i, char *buf, size_t sz) {
  const td_natom *a = &c->a[i];
  size_t n = 0;
  for (uint32_t k = a->s; k < a->e; k++) {
    unsigned char ch = (unsigned char)c->t[k];
    if (n + 1 >= sz) return 0;
    if (ch == 0xE2 && k + 2 < a->e && (unsigned char)c->t[k + 1] == 0x80 &&
        (unsigned char)c->t[k + 2] == 0x99) { buf[n++] = '\''; k += 2; continue; }
    buf[n++] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
  }
  buf[n] = '\0';
  return n;
}

static int push_atom(td_nctx *c, uint32_t s, uint32_t e, int cls, int sp, int32_t cp) {
  if (c->na >= c->capa &&
      td_grow(c->A, (void **)&c->a, &c->capa, c->na + 1, sizeof *c->a) != TD_OK)
    return TD_ENOMEM;
  td_natom *a = &c->a[c->na++];
  memset(a, 0, sizeof *a);
  a->s = s; a->e = e; a->cls = (uint8_t)cls; a->sp = (uint8_t)sp; a->cp = cp; a->lex = -1; a->lc0 = 0xFF;
  a->nd = (uint8_t)(e - s > 255 ? 255 : e - s);
  if (cls == AC_WORD) {
    int up = 0, low = 0;
    for (uint32_t k = s; k < e; k++) {
      unsigned char ch = (unsigned char)c->t[k];
      if (ch >= 'A' && ch <= 'Z') up++; else if (ch >= 'a' && ch <= 'z') low++;
    }
    unsigned char f = (unsigned char)c->t[s];
    a->cap = (uint8_t)((up && !low) ? 2 : (f >= 'A' && f <= 'Z') ? 1 : 0);
    a->lc0 = (uint8_t)((f >= 'A' && f <= 'Z') ? f + 32 : f);
    if (e - s >= 2) {
      unsigned char g = (unsigned char)c->t[s + 1];
      a->lc1 = (uint8_t)((g >= 'A' && g <= 'Z') ? g + 32 : g);
    }
    unsigned v = is_alpha((unsigned char)c->t[s]) && tri_maybe(c->f->tri_any, c->t + s, e - s) ?
                 text_info(c->f, c->t, s, e) : 0;
    if (v & W_LEX) {
      size_t k = v & 1023u;
      const char *w = td_num_lexicon[k].w;
      a->lex = (int16_t)k;
      for (; k < td_num_nlexicon && strcmp(td_num_lexicon[k].w, w) == 0; k++) {
        a->types = (uint16_t)(a->types | (1u << td_num_lexicon[k].type));
        a->nlex++;
      }
    }
    a->val = (v & W_VAL) != 0;
    a->wf = (uint8_t)((v & W_START ? 1 : 0) | (v & W_LONE ? 2 : 0));
  }
  return TD_OK;
}

/* Cut text[s,e) into atoms; sp is the space flag of the first one. */
static int atomize_range(td_nctx *c, size_t s, size_t e, int sp, int sent) {
  const uint8_t *t = (const uint8_t *)c->t;
  size_t j = s;
  while (j < e) {
    int32_t cp;
    int w = td_utf8_decode(t + j, e - j, &cp);
    if (w == 0) { cp = -1; w = 1; }
    if (cp == ' ' || cp == '\t' || cp == '\r' || space_cp(cp)) { if (!sp) sp = 1; j += w; continue; }
    if (cp == '\n' || cp == 0x2028 || cp == 0x2029 || cp == 0x0B || cp == 0x0C) { sp = 2; j += w; continue; }
    size_t st = j;
    int r, sep = 0;
    if (is_digit(cp) || (cp == '.' && j + 1 < e && is_digit(t[j + 1]) &&
                         (j == s || !is_digit(t[j - 1])) && (j == s || t[j - 1] == ' ' || sp))) {
      if (cp == '.') { j++; sep |= 2; }
      while (j < e && is_digit(t[j])) j++;
      for (;;) {
        if (j + 3 < e + 0 && t[j] == ',' && is_digit(t[j + 1]) && is_digit(t[j + 2]) &&
            is_digit(t[j + 3]) && (j + 4 >= e || !is_digit(t[j + 4]))) {
          j += 4; sep |= 1;
        } else if (j + 1 < e && (t[j] == '.' || t[j] == ':') && is_digit(t[j + 1])) {
          sep |= t[j] == '.' ? 2 : 4;
          j++;
          while (j < e && is_digit(t[j])) j++;
        } else break;
      }
      r = push_atom(c, (uint32_t)st, (uint32_t)j, AC_NUM, sp, 0);
      if (r == TD_OK) c->a[c->na - 1].sep = (uint8_t)sep;
    } else if ((cp < 0x80 && is_alpha(cp)) || (cp >= 0x80 && letter_cp(cp))) {
      j += w;
      while (j < e && is_alpha(t[j])) j++;   /* ASCII letters without decoding */
      while (j < e) {
        int32_t c2;
        int w2 = td_utf8_decode(t + j, e - j, &c2);
        if (w2 == 0) break;
        if ((c2 < 0x80 && is_alpha(c2)) || (c2 >= 0x80 && letter_cp(c2))) { j += w2; continue; }
        if (c2 == '\'' || c2 == 0x2019) {
          int32_t c3;
          if (j + w2 < e && td_utf8_decode(t + j + w2, e - j - w2, &c3) && c3 < 0x80 && is_alpha(c3)) {
            j += w2; continue;
          }
        }
        break;
      }
      r = push_atom(c, (uint32_t)st, (uint32_t)j, AC_WORD, sp, 0);
    } else {
      j += w;
      r = push_atom(c, (uint32_t)st, (uint32_t)j, cp >= 0 && cp < 0x80 ? AC_PUNCT : AC_SYM, sp, cp);
    }
    if (r != TD_OK) return r;
    if (sent) { c->a[c->na - 1].sent = 1; sent = 0; }
    sp = 0;
  }
  return TD_OK;
}

/* Can token k be part of the core of an expression?  Numbers, currency
 * signs, words of the lexicon (through the filter) and words with digits. */
/* The commonest short words of English text, none of which can start a
 * number on its own: a switch on their packed letters saves the table
 * lookup for a third of all tokens. */
#define K2(a, b) (((uint32_t)(a) << 8) | (uint32_t)(b))
#define K3(a, b, c) ((K2(a, b) << 8) | (uint32_t)(c))
#define K4(a, b, c, d) ((K3(a, b, c) << 8) | (uint32_t)(d))
static int common_short(const char *t, size_t n) {
  uint32_t key = 0;
  for (size_t k = 0; k < n; k++) {
    unsigned ch = (unsigned char)t[k];
    if (ch >= 'A' && ch <= 'Z') ch += 32;
    key = (key << 8) | ch;
  }
  switch (key) {
    case 'a': case K2('o', 'f'): case K2('t', 'o'): case K2('i', 'n'): case K2('i', 's'): case K2('i', 't'):
    case K2('o', 'n'): case K2('a', 's'): case K2('a', 't'): case K2('b', 'y'): case K2('h', 'e'): case K2('a', 'n'):
    case K2('o', 'r'): case K2('b', 'e'): case K2('w', 'e'): case K2('h', 'i'): case K2('n', 'o'): case K2('s', 'o'):
    case K3('t', 'h', 'e'): case K3('a', 'n', 'd'): case K3('w', 'a', 's'): case K3('f', 'o', 'r'):
    case K3('h', 'i', 's'): case K3('h', 'e', 'r'): case K3('h', 'a', 's'): case K3('a', 'r', 'e'):
    case K3('n', 'o', 't'): case K3('b', 'u', 't'): case K3('s', 'h', 'e'): case K3('w', 'h', 'o'):
    case K3('h', 'a', 'd'): case K3('i', 't', 's'): case K3('h', 'i', 'm'): case K3('a', 'l', 'l'):
    case K3('c', 'a', 'n'): case K3('o', 'u', 't'): case K3('h', 'o', 'w'):
    case K4('t', 'h', 'a', 't'): case K4('w', 'i', 't', 'h'): case K4('f', 'r', 'o', 'm'):
    case K4('s', 'a', 'i', 'd'): case K4('w', 'e', 'r', 'e'): case K4('t', 'h', 'i', 's'):
    case K4('h', 'a', 'v', 'e'): case K4('b', 'e', 'e', 'n'): case K4('t', 'h', 'e', 'y'):
    case K4('w', 'i', 'l', 'l'): case K4('a', 'l', 's', 'o'):
    case K4('w', 'h', 'e', 'n'): case K4('t', 'h', 'a', 'n'): case K4('i', 'n', 't', 'o'):
      return 1;
    default:
      return 0;
  }
}


/* All of t[0..n) are Roman numeral letters (the text need not end in NUL). */
static int roman_letters(const char *t, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    if (strchr("IVXLCDM", t[i]) == NULL || t[i] == '\0') return 0;
  return 1;
}
/* The words a relative ordinal starts with (opts.relative). */
static int rel_word(const char *t, size_t n) {
  static const char *const w[] = { "last", "next", "previous", "current", "penultimate", "antepenultimate", NULL };
  for (int k = 0; w[k]; k++) {
    size_t m = strlen(w[k]), j;
    if (m != n) continue;
    for (j = 0; j < n && (t[j] | 32) == w[k][j]; j++) {}
    if (j == n) return 1;
  }
  return 0;
}

/* The lexicon's L_UNIT entry for text[s,e), or NULL (the word table first:
 * most words are turned away by the letter bits). */
static const td_lex *unit_word(const td_nctx *c, size_t s, size_t e) {
  if (e <= s || e - s > W_MAXLEN || !is_alpha((unsigned char)c->t[s]) || !tri_maybe(c->f->tri_any, c->t + s, e - s))
    return NULL;
  unsigned v = text_info(c->f, c->t, s, e);
  if (!(v & W_LEX)) return NULL;
  const char *w = td_num_lexicon[v & 1023u].w;
  for (size_t k = v & 1023u; k < td_num_nlexicon && strcmp(td_num_lexicon[k].w, w) == 0; k++)
    if (td_num_lexicon[k].type == L_UNIT) return &td_num_lexicon[k];
  return NULL;
}

static int hot_token(const td_nctx *c, const td_doc *d, size_t ti) {
  const td_token *tk = &d->tok[ti];
  const char *t = c->t + tk->start;
  size_t n = tk->end - tk->start;
  switch (tk->kind) {
    case TD_NUMBER: return 1;
    case TD_WORD: {
      if (tk->flags & TD_F_HAS_DIGIT) return 1;
      /* "a kilogram", "a lb", "a cup of": the article is the number */
      if (n <= 2 && (t[0] | 32) == 'a' && (n == 1 || (t[1] | 32) == 'n') && ti + 1 < d->ntok &&
          d->tok[ti + 1].kind == TD_WORD) {
        const td_lex *U = unit_word(c, d->tok[ti + 1].start, d->tok[ti + 1].end);
        return U && U->sub;
      }
      if (n == 2 && (unsigned char)t[0] == 0xC2 && (unsigned char)t[1] >= 0xBC && (unsigned char)t[1] <= 0xBE)
        return 1;   /* ¼ ½ ¾ */
      if (n > W_MAXLEN || !is_alpha((unsigned char)t[0])) return 0;
      if (n > 1 && t[n - 1] == '.') n--;   /* "Jan." "Sept." */
      /* the letter bit set first: it turns most words away in a few loads
       * (the checks below only say yes to words it lets through, to
       * relative-ordinal words and to Roman numerals) */
      int other = c->o->relative || (tk->flags & TD_F_ALL_UPPER);
      if (!other && !tri_maybe(c->f->tri_hot, t, n)) return 0;
      if (n <= 4 && common_short(t, n)) return 0;
      if (c->o->relative && rel_word(t, n)) return 1;
      /* Roman numerals (not "I") */
      if ((tk->flags & TD_F_ALL_UPPER) && n >= 2 && n <= 5 && roman_letters(t, n)) return 1;
      /* words that start something on their own; modifiers, units and
       * multipliers only matter next to a number, which is hot itself */
      if (tri_maybe(c->f->tri_hot, t, n) && (text_info(c->f, c->t, tk->start, tk->start + n) & (W_VAL | W_LONE)) != 0)
        return 1;
      /* "mid-June", "mid-morning", kept whole by the tokenizer: hot when
       * the part after "mid-" is (not "sub-zero", "semi-monthly") */
      if (n > 4 && (t[0] | 32) == 'm' && (t[1] | 32) == 'i' && (t[2] | 32) == 'd' && t[3] == '-' && is_alpha((unsigned char)t[4]))
        return tri_maybe(c->f->tri_hot, t + 4, n - 4) && (text_info(c->f, c->t, tk->start + 4, tk->start + n) & (W_VAL | W_LONE)) != 0;
      return 0;
    }
    case TD_SYMBOL: case TD_PUNCT: {
      int32_t cp;
      if (!td_utf8_decode((const uint8_t *)t, n, &cp)) return 0;
      return sym_currency(cp) != NULL || cp == 0xBD || cp == 0xBC || cp == 0xBE || cp == 0x20AC;
    }
    default: return 0;
  }
}

static int atomize_tokens(td_nctx *c, const td_doc *d, size_t a, size_t b) {
  for (size_t k = a; k < b; k++) {
    const td_token *tk = &d->tok[k];
    int sp = (tk->flags & TD_F_NEWLINE_BEFORE) ? 2 : (tk->flags & TD_F_SPACE_BEFORE) ? 1 : 0;
    if (k == 0) sp = sp ? sp : 1;
    int r;
    if (tk->kind == TD_URL || tk->kind == TD_EMAIL || tk->kind == TD_HANDLE || tk->kind == TD_HASHTAG) {
      r = push_atom(c, tk->start, tk->end, AC_SYM, sp, -2);   /* opaque: no numbers inside */
      if (r != TD_OK) return r;
      continue;
    }
    r = atomize_range(c, tk->start, tk->end, sp, k == 0 || (tk->flags & TD_F_SENT_START));
    if (r != TD_OK) return r;
  }
  return TD_OK;
}

/* Atoms only around hot tokens: windows from 5 tokens before to 7 after,
 * merged; a barrier atom between windows keeps expressions apart. */
enum { WIN_BEFORE = 5, WIN_AFTER = 7 };

static int atomize(td_nctx *c, const td_doc *d) {
  if (d->ntok == 0) return atomize_range(c, 0, d->len, 1, 1);
  /* room for about a paragraph's atoms at once, rather than growing from
   * 16 by doubling for every doc (a hint: push_atom still grows) */
  size_t hint = d->ntok + d->ntok / 4 + 16;
  if (td_reserve(c->A, (void **)&c->a, &c->capa, hint < 4096 ? hint : 4096, sizeof *c->a) != TD_OK) return TD_ENOMEM;
  size_t ws = 0, we = 0;   /* pending window [ws, we) */
  int have = 0;
  for (size_t k = 0; k < d->ntok; k++) {
    if (!hot_token(c, d, k)) continue;
    size_t a = k > WIN_BEFORE ? k - WIN_BEFORE : 0, b = k + WIN_AFTER < d->ntok ? k + WIN_AFTER : d->ntok;
    if (have && a <= we) { if (b > we) we = b; continue; }
    if (have) {
      int r = atomize_tokens(c, d, ws, we);
      if (r == TD_OK && we < d->ntok) r = push_atom(c, d->tok[we].start, d->tok[we].start, AC_SYM, 2, -3);
      if (r != TD_OK) return r;
    }
    ws = a; we = b; have = 1;
  }
  if (have) return atomize_tokens(c, d, ws, we);
  return TD_OK;
}

/* ---- atom helpers ------------------------------------------------------ */

/* td_n_eq past its first two bytes (numbers.h): the rest of w, case-blind. */
int td_n_eq_tail(const td_nctx *c, const td_natom *a, const char *w) {
  if (w[1] == '\0') return a->e - a->s == 1;
  /* one pass over w (no strlen): a shorter atom fails on its length, a
   * longer one at the end */
  size_t n = a->e - a->s, k = 2;
  const char *t = c->t + a->s;
  for (; w[k]; k++) {
    if (k >= n) return 0;
    int ch = (unsigned char)t[k];
    if (ch >= 'A' && ch <= 'Z') ch += 32;
    if (ch != (unsigned char)w[k]) return 0;
  }
  return k == n;
}

static int is_dash(const td_nctx *c, size_t i) {
  return td_n_punct(c, i, '-') || td_n_punct(c, i, 0x2013) || td_n_punct(c, i, 0x2014) ||
         td_n_punct(c, i, 0x2212) || td_n_punct(c, i, 0x2010) || td_n_punct(c, i, 0x2011);
}

static int is_num(const td_nctx *c, size_t i) { return i < c->na && c->a[i].cls == AC_NUM; }
static int is_word(const td_nctx *c, size_t i) { return i < c->na && c->a[i].cls == AC_WORD; }

/* ---- digits ------------------------------------------------------------ */

static double pow10i(int e) {
  double r = 1, b = 10;
  int n = e < 0 ? -e : e;
  while (n) { if (n & 1) r *= b; b *= b; n >>= 1; }
  return e < 0 ? 1 / r : r;
}

/* Value of a NUM atom with ',' groups and at most one '.'; 0 if it has a
 * ':' or several '.'. */
static int digits_value(const td_nctx *c, size_t i, double *v, int *isint) {
  const td_natom *a = &c->a[i];
  if (a->sep & 4) return 0;
  double ip = 0, fp = 0;
  int nf = 0, dot = 0;
  for (uint32_t k = a->s; k < a->e; k++) {
    int ch = (unsigned char)c->t[k];
    if (ch == ',') continue;
    if (ch == '.') { if (dot++) return 0; continue; }
    if (!dot) ip = ip * 10 + (ch - '0');
    else if (nf < 18) { fp = fp * 10 + (ch - '0'); nf++; }
  }
  *v = ip + (nf ? fp / pow10i(nf) : 0);
  *isint = !dot || fp == 0;
  return 1;
}

static int small_int_atom(const td_nctx *c, size_t i, double *v) {
  int isint;
  if (!is_num(c, i) || c->a[i].sep || c->a[i].nd > 9) return 0;
  return digits_value(c, i, v, &isint);
}

/* Denominators that make "a/b" a fraction rather than a date. */
static int fraction_denominator(double b) {
  return b == 2 || b == 3 || b == 4 || b == 5 || b == 6 || b == 8 || b == 10 ||
         b == 16 || b == 32 || b == 64 || b == 100 || b == 1000;
}

/* ---- words ------------------------------------------------------------- */

enum { P_NONE, P_NUM, P_TENS, P_HUNDRED, P_BIG, P_AND, P_A, P_DIG };

/* "point seventy-one", "point nought four": the digits after a decimal point. */
static int point_digits(const td_nctx *c, size_t j, double *frac, size_t *end) {
  const td_lex *L;
  double f = 0;
  int nd = 0;
  size_t k = j;
  while (k < c->na && (L = td_n_lex(c, k, L_NUM)) && L->val < 10) {
    f = f * 10 + L->val; nd++; k++;
  }
  if (nd == 0) {
    double v; int n2 = 0;
    if ((L = td_n_lex(c, k, L_TENS))) {
      v = L->val; k++;
      if (is_dash(c, k) && td_n_adjacent(c, k) && td_n_adjacent(c, k + 1) && (L = td_n_lex(c, k + 1, L_NUM)) && L->val < 10) {
        v += L->val; k += 2;
      } else if ((L = td_n_lex(c, k, L_NUM)) && L->val < 10 && L->val > 0) { v += L->val; k++; }
      n2 = 2;
    } else if ((L = td_n_lex(c, k, L_NUM))) { v = L->val; k++; n2 = v >= 10 ? 2 : 1; }
    else if (is_num(c, k) && !c->a[k].sep && td_n_adjacent(c, k) == 0) {
      int isint; digits_value(c, k, &v, &isint); n2 = c->a[k].nd; k++;
    } else return 0;
    f = v; nd = n2;
  }
  *frac = f / pow10i(nd);
  *end = k;
  return 1;
}

/* Are the quarters at k (a number from j) a fraction?  Before "of" or a
 * scale ("three quarters of", "three quarters billion"), after "and" ("five
 * and three quarters"), or alone unless after a word of time ("for two
 * quarters.", "the next three quarters"). */
static int quarters_fraction(const td_nctx *c, size_t j, size_t k) {
  static const char *const timely[] = { "for", "over", "in", "within", "past", "last", "next", "previous",
                                        "first", "coming", "upcoming", "consecutive", "straight", NULL };
  const td_lex *S = td_n_lex(c, k + 1, L_SCALE);
  if (td_n_eq(c, k + 1, "of") || (S && S->sub == 0)) return 1;
  if (j > 0 && td_n_eq(c, j - 1, "and")) return 1;
  if (is_word(c, k + 1) || is_num(c, k + 1)) return 0;
  for (int t = 0; j > 0 && timely[t]; t++) if (td_n_eq(c, j - 1, timely[t])) return 0;
  return 1;
}

/* Compositional number words, possibly mixed with digits ("4 thousand 3
 * hundred and 21").  Starts at j; fills nv. */
static int number_words(const td_nctx *c, size_t j, int flags, td_nval *nv) {
  double total = 0, cur = 0, lastbig = 0, lasttens = 0, andbase = -1;
  int prev = P_NONE, any = 0, words = 0;
  size_t k = j, end = j;
  const td_lex *L;
  /* all of *nv: plain and ndig stay 0 for words (year_like reads them) */
  memset(nv, 0, sizeof *nv);
  nv->kind = TD_N_CARDINAL;
  if ((L = td_n_lex(c, j, L_ORD)) && !L->sub) {
    /* "first", "eighteenth", "hundredth" on their own */
    nv->v = L->val; nv->kind = TD_N_ORDINAL; nv->end = j + 1; nv->words = 1; nv->isint = 1;
    return 1;
  }
  for (;;) {
    if (k >= c->na) break;
    /* hyphen inside "twenty-one", "one-fourth" */
    if ((prev == P_TENS || prev == P_NUM) && is_dash(c, k) && td_n_adjacent(c, k) && td_n_adjacent(c, k + 1) &&
        ((prev == P_TENS && ((L = td_n_lex(c, k + 1, L_NUM)) || (L = td_n_lex(c, k + 1, L_ORD)))) ||
         ((L = td_n_lex(c, k + 1, L_SCALE)) && L->sub == 0 && L->val >= 100 && !(flags & 2))))
      { k++; continue; }   /* "twenty-one", "twenty-thousand", "five-hundred" */
    if ((L = td_n_lex(c, k, L_NUM)) && !(c->a[k].cap == 1 && k > 0 && is_word(c, k - 1) && c->a[k - 1].cap && !c->a[k].sent && L->val == 1)) {
      if (prev == P_NUM || prev == P_DIG) break;
      if (prev == P_TENS && (L->val >= 10 || L->val == 0)) break;
      if (prev == P_A) break;
      cur += L->val; prev = P_NUM; any = 1; words = 1; k++; end = k; continue;
    }
    if ((L = td_n_lex(c, k, L_TENS))) {
      if (prev == P_NUM || prev == P_TENS || prev == P_DIG || prev == P_A) break;
      cur += L->val; lasttens = L->val; prev = P_TENS; any = 1; words = 1; k++; end = k; continue;
    }
    if (!(flags & 2) && (L = td_n_lex(c, k, L_SCALE)) && L->sub != 2) {
      if (prev == P_NONE && !any) {
        /* bare "hundred", "thousand", "dozen"; any scale after "a" (flags 64: "a million") */
        if (L->val != 100 && L->val != 1000 && L->sub != 1 && !(flags & 64)) break;
        cur = 1;
      }
      if (prev == P_AND) break;
      if (L->sub == 1) {                                   /* dozen */
        /* after "and" only the last number is counted in dozens: "three
         * hundred and two dozens" is 300 + 24 */
        cur = andbase >= 0 && cur > andbase ? andbase + (cur - andbase) * 12 : (cur ? cur : 1) * 12;
        prev = P_BIG; any = 1; words = 1; k++; end = k; continue;
      }
      if (L->val == 100) {
        if (prev == P_HUNDRED) break;
        cur = (cur ? cur : 1) * 100; prev = P_HUNDRED;
      } else {
        if (cur == 0 && total > 0 && L->val > lastbig) { total *= L->val; }   /* lakh crore */
        else {
          if (lastbig && L->val >= lastbig && cur != 0) break;
          total += (cur ? cur : 1) * L->val; cur = 0;
        }
        lastbig = L->val; prev = P_BIG;
      }
      any = 1; words = 1; k++; end = k; continue;
    }
    if (td_n_eq(c, k, "and") && (prev == P_HUNDRED || prev == P_BIG) && k + 1 < c->na) {
      size_t n1 = k + 1;
      if (td_n_lex(c, n1, L_NUM) || td_n_lex(c, n1, L_TENS) || (is_num(c, n1) && !c->a[n1].sep)) {
        /* not "and a half" (handled below), not "and two thirds" */
        if (td_n_lex(c, n1 + 1, L_ORD) && td_n_lex(c, n1 + 1, L_ORD)->sub == 1) break;
        if (td_n_lex(c, n1 + 1, L_DENOM)) break;
        /* "two hundred and fifty-four hundredths" is 200 + 54/100 */
        td_nval fr;
        if (!(flags & 32) && number_words(c, n1, 2 | 32, &fr) && fr.kind == TD_N_FRACTION && fr.v < 1) break;
        prev = P_AND; andbase = cur; k++; continue;
      }
      break;
    }
    if (is_num(c, k) && !c->a[k].sep && c->a[k].nd <= 3 && (prev == P_AND || prev == P_BIG || prev == P_NONE)) {
      double v;
      if (!small_int_atom(c, k, &v)) break;
      /* a digit group inside words only when a scale word follows, or after
       * "and"/a scale ("3 hundred and 21", "4 thousand 3 hundred") */
      int nscale = td_n_lex(c, k + 1, L_SCALE) && td_n_lex(c, k + 1, L_SCALE)->sub != 2 && !(flags & 2);
      if (prev == P_NONE && !nscale) break;
      if (prev == P_BIG && !nscale) break;
      cur += v; prev = P_DIG; any = 1; k++; end = k; continue;
    }
    break;
  }
  if (!any) return 0;
  /* a denominator of its own after the numerator: "three twenty-firsts",
   * "twenty twenty fifths" */
  if (words && (prev == P_NUM || prev == P_TENS) && (L = td_n_lex(c, end, L_TENS))) {
    size_t q = end + 1;
    const td_lex *O;
    if (is_dash(c, q) && td_n_adjacent(c, q) && td_n_adjacent(c, q + 1)) q++;
    if ((O = td_n_lex(c, q, L_ORD)) && O->sub == 1 && O->val < 10) {
      nv->v = (total + cur) / (L->val + O->val); nv->kind = TD_N_FRACTION; nv->end = q + 1; nv->words = 1; nv->isint = 0;
      return 1;
    }
  }
  /* ordinal ending: "twenty-first", "one hundred twenty-fifth", "three trillionth" */
  size_t k2 = end;
  /* "twenty-first"; "one-fourth", "three-quarters" */
  if (is_dash(c, k2) && td_n_adjacent(c, k2) && td_n_adjacent(c, k2 + 1) &&
      (prev == P_TENS || (prev == P_NUM && (td_n_lex(c, k2 + 1, L_ORD) || td_n_lex(c, k2 + 1, L_DENOM)))))
    k2++;
  if ((L = td_n_lex(c, k2, L_ORD)) && words) {
    int units_ord = L->val < 10;
    if (L->sub == 1) {
      /* plural: a fraction "two thirds", "three twenty-firsts" */
      double den = L->val;
      double num = total + cur;
      /* "one hundred thirty fifths" is 100/35: the tens go with the ordinal */
      if (prev == P_TENS && units_ord) { den = lasttens + L->val; num = total + cur - lasttens; if (num == 0) num = 1; }
      nv->v = num / den; nv->kind = TD_N_FRACTION; nv->end = k2 + 1; nv->words = 1; nv->isint = 0;
      return 1;
    }
    if (prev == P_TENS && units_ord) {
      nv->v = total + cur + L->val; nv->kind = TD_N_ORDINAL; nv->end = k2 + 1; nv->words = 1; nv->isint = 1;
      return 1;
    }
    if ((prev == P_HUNDRED || prev == P_BIG) && L->val < 100) {
      nv->v = total + cur + L->val; nv->kind = TD_N_ORDINAL; nv->end = k2 + 1; nv->words = 1; nv->isint = 1;
      return 1;
    }
    if (L->val >= 100 && (prev == P_NUM || prev == P_TENS || prev == P_HUNDRED)) {
      nv->v = total + (cur ? cur : 1) * L->val; nv->kind = TD_N_ORDINAL; nv->end = k2 + 1; nv->words = 1; nv->isint = 1;
      return 1;
    }
    if (prev == P_NUM && total == 0 && cur == 1 && L->val >= 3) {      /* one fifth */
      nv->v = 1 / L->val; nv->kind = TD_N_FRACTION; nv->end = k2 + 1; nv->words = 1; nv->isint = 0;
      return 1;
    }
  }
  /* plural halves/quarters: "three quarters" (+ "of", "billion"); other
   * quarters are spans of time ("profits fell for two quarters") */
  if ((L = td_n_lex(c, k2, L_DENOM)) && (L->sub == 1 || (total + cur == 1 && prev == P_NUM)) &&
      !(L->sub == 1 && L->val == 4 && !quarters_fraction(c, j, k2))) {
    double v = (total + cur) / L->val;
    size_t e2 = k2 + 1;
    const td_lex *S = td_n_lex(c, e2, L_SCALE);
    if (S && S->sub == 0 && S->val >= 1000) { v *= S->val; e2++; }
    nv->v = v; nv->kind = TD_N_FRACTION; nv->end = e2; nv->words = 1; nv->isint = v == floor(v);
    return 1;
  }
  nv->v = total + cur;
  nv->end = end;
  nv->words = words;
  nv->isint = 1;
  return 1;
}

/* A fraction smaller than one after "and": "a half", "three quarters",
 * "one fourth", "two thirds", "a third". */
static int and_fraction(const td_nctx *c, size_t k, double *f, size_t *end) {
  const td_lex *L;
  if ((td_n_eq(c, k, "a") || td_n_eq(c, k, "an")) ) {
    if ((L = td_n_lex(c, k + 1, L_DENOM)) && !L->sub) { *f = 1 / L->val; *end = k + 2; return 1; }
    if ((L = td_n_lex(c, k + 1, L_ORD)) && !L->sub && L->val >= 3) { *f = 1 / L->val; *end = k + 2; return 1; }
    return 0;
  }
  if ((L = td_n_lex(c, k, L_DENOM)) && !L->sub) { *f = 1 / L->val; *end = k + 1; return 1; }   /* "and half" */
  td_nval nv;
  if (number_words(c, k, 2, &nv) && nv.kind == TD_N_FRACTION && nv.v < 1) { *f = nv.v; *end = nv.end; return 1; }
  return 0;
}

/* The adjacent multiplier after digits: k, m, bn, ... */
static int multiplier(const td_nctx *c, size_t k, int money, double *m) {
  if (!is_word(c, k)) return 0;
  if (td_n_adjacent(c, k) && c->a[k].e - c->a[k].s == 1 && c->t[c->a[k].s] == 'G' && !is_word(c, k + 1)) { *m = 1e9; return 1; }
  const td_lex *L = td_n_lex(c, k, L_MULT);
  if (!L) return 0;
  const char *w = L->w;
  int adj = td_n_adjacent(c, k);
  int upper = (unsigned char)c->t[c->a[k].s] < 'a';
  int nextword = is_word(c, k + 1) && c->a[k + 1].sp;
  if (!strcmp(w, "k")) { if (!adj && nextword) return 0; }
  else if (!strcmp(w, "m")) {
    if (!money && !(upper && (!adj || !nextword))) return 0;
    if (!adj && !upper && nextword) return 0;
  } else if (!strcmp(w, "b")) { if (!adj && !money) return 0; }
  else if (!strcmp(w, "mil") || !strcmp(w, "mio")) { /* ok */ }
  *m = L->val;
  return 1;
}

/* ---- the number parser ------------------------------------------------- */

static int number_at(const td_nctx *c, size_t i, int flags, td_nval *nv);

/* The grammar asks for the number at the same atom a dozen times per start
 * (clock, day, year, duration, amount, money ...): the answers of a pure
 * function of (atoms, na, i, flags) are kept in a small direct-mapped table
 * (na too: date_at shortens the atoms for a while). */
enum { MEMO_SLOTS = 512 };
typedef struct td_nmemo_slot {
  uint32_t i, na;
  int16_t rc;
  td_nval nv;
} td_nmemo_slot;
/* The keys' flags apart from the slots: emptying them all (-1) for each
 * doc is then one short memset, not a store per 60-byte slot. */
struct td_nmemo { int16_t flags[MEMO_SLOTS]; td_nmemo_slot slot[MEMO_SLOTS]; };

static void memo_init(struct td_nmemo *m) {
  memset(m->flags, 0xFF, sizeof m->flags);   /* all -1: empty */
}

int td_n_number(const td_nctx *c, size_t i, int flags, td_nval *nv) {
  /* number_at reads a number only from digits, a minus sign, a lexicon
   * word or "a", "an", "minus", "negative": any other atom is a "no"
   * without the memo */
  if (i < c->na) {
    const td_natom *a = &c->a[i];
    int no = a->cls == AC_WORD ? a->lex < 0 && !((a->lc0 == 'a' && (td_n_eq(c, i, "a") || td_n_eq(c, i, "an"))) ||
                                                  (a->lc0 == 'm' && td_n_eq(c, i, "minus")) ||
                                                  (a->lc0 == 'n' && td_n_eq(c, i, "negative")))
           : a->cls != AC_NUM && a->cp != '-' && a->cp != 0x2212;
    if (no) { memset(nv, 0, sizeof *nv); return 0; }
  }
  if (!c->memo || i > UINT32_MAX || c->na > UINT32_MAX || flags < 0 || flags > INT16_MAX)
    return number_at(c, i, flags, nv);
  unsigned h = (unsigned)(i * 31u + (unsigned)flags) & (MEMO_SLOTS - 1);
  td_nmemo_slot *m = &c->memo->slot[h];
  if (c->memo->flags[h] == flags && m->i == i && m->na == c->na) { *nv = m->nv; return m->rc; }
  int rc = number_at(c, i, flags, nv);
  m->i = (uint32_t)i; m->na = (uint32_t)c->na; c->memo->flags[h] = (int16_t)flags; m->rc = (int16_t)rc; m->nv = *nv;
  return rc;
}

static int number_at(const td_nctx *c, size_t i, int flags, td_nval *nv) {
  memset(nv, 0, sizeof *nv);
  size_t j = i;
  int neg = 0, lead_dot = 0;
  const td_lex *L;
  if (j >= c->na) return 0;
  if ((td_n_punct(c, j, '-') || td_n_punct(c, j, 0x2212)) && is_num(c, j + 1) && td_n_adjacent(c, j + 1) &&
      !(j > 0 && td_n_adjacent(c, j) && (is_num(c, j - 1) || is_word(c, j - 1)))) {
    neg = 1; j++;
  } else if ((td_n_punct(c, j, '-') || td_n_punct(c, j, 0x2212)) && td_n_punct(c, j + 1, '.') && td_n_adjacent(c, j + 1) &&
             is_num(c, j + 2) && td_n_adjacent(c, j + 2) && !c->a[j + 2].sep &&
             !(j > 0 && td_n_adjacent(c, j) && (is_num(c, j - 1) || is_word(c, j - 1)))) {
    neg = 1; lead_dot = 1; j += 2;   /* "-.5": the tokenizer keeps the sign and the point apart */
  } else if ((td_n_eq(c, j, "minus") || td_n_eq(c, j, "negative")) && j + 1 < c->na &&
             (is_num(c, j + 1) || td_n_lex(c, j + 1, L_NUM) || td_n_lex(c, j + 1, L_TENS))) {
    neg = 1; j++;
  }
  if (is_num(c, j)) {
    double v; int isint;
    if (!digits_value(c, j, &v, &isint)) return 0;
    const td_natom *a = &c->a[j];
    size_t k = j + 1;
    nv->kind = TD_N_CARDINAL;
    nv->plain = !neg && !a->sep;
    nv->ndig = a->sep ? 0 : a->nd;
    if (lead_dot) { v /= pow10i(a->nd); isint = 0; nv->ndig = 0; }
    /* "40 000": a group of three digits after a space */
    if (!a->sep && !lead_dot && a->nd <= 3 && !(flags & 2)) {
      while (is_num(c, k) && !c->a[k].sep && c->a[k].nd == 3 && c->a[k].sp == 1 &&
             !td_n_punct(c, k + 1, '/') && !td_n_punct(c, k + 1, ':') &&
             !(is_num(c, k + 1) && c->a[k + 1].nd != 3)) {
        double g; int gi;
        digits_value(c, k, &g, &gi);
        v = v * 1000 + g; k++; nv->plain = 0; nv->ndig = 0;
      }
    }
    /* fraction "3/4", "-4/5", mixed "2 1/4" */
    if (isint && !a->sep && td_n_punct(c, k, '/') && td_n_adjacent(c, k) && is_num(c, k + 1) &&
        td_n_adjacent(c, k + 1) && !c->a[k + 1].sep && !td_n_punct(c, k + 2, '/')) {
      double b; int bi;
      digits_value(c, k + 1, &b, &bi);
      if (b != 0 && (fraction_denominator(b) || (flags & 8)) && v < b * 4) {
        v = v / b; k += 2; nv->kind = TD_N_FRACTION; isint = 0; nv->plain = 0; nv->ndig = 0;
      } else return 0;
    } else if (isint && is_num(c, k) && c->a[k].sp == 1 && !c->a[k].sep && td_n_punct(c, k + 1, '/') &&
               td_n_adjacent(c, k + 1) && is_num(c, k + 2) && td_n_adjacent(c, k + 2) && !td_n_punct(c, k + 3, '/')) {
      double x, b; int xi, bi;
      digits_value(c, k, &x, &xi); digits_value(c, k + 2, &b, &bi);
      if (b != 0 && x < b && fraction_denominator(b)) {
        v += x / b; k += 3; nv->kind = TD_N_FRACTION; isint = 0; nv->plain = 0; nv->ndig = 0;
      }
    }
    if (nv->kind == TD_N_CARDINAL) {
      /* ordinal suffix 18th 21st 2nd 3rd */
      if (is_word(c, k) && td_n_adjacent(c, k) && isint && !(a->sep & 2) &&
          (td_n_eq(c, k, "st") || td_n_eq(c, k, "nd") || td_n_eq(c, k, "rd") || td_n_eq(c, k, "th"))) {
        nv->v = v; nv->kind = TD_N_ORDINAL; nv->end = k + 1; nv->isint = 1; nv->plain = 0;
        return 1;
      }
      /* 12.32e+14, 1e6 */
      if ((td_n_eq(c, k, "e")) && td_n_adjacent(c, k)) {
        size_t q = k + 1; int es = 1;
        if ((td_n_punct(c, q, '+') || td_n_punct(c, q, '-')) && td_n_adjacent(c, q)) { es = td_n_punct(c, q, '-') ? -1 : 1; q++; }
        double ex;
        if (small_int_atom(c, q, &ex) && td_n_adjacent(c, q)) {
          v *= pow10i(es * (int)ex); k = q + 1; isint = v == floor(v); nv->plain = 0; nv->ndig = 0;
        }
      }
      /* 1.1^23, 2.5^-1, 1.3x10^6 */
      if (td_n_eq(c, k, "x") && td_n_adjacent(c, k) && is_num(c, k + 1) && td_n_punct(c, k + 2, '^')) {
        double ten; int ti;
        digits_value(c, k + 1, &ten, &ti);
        size_t q = k + 3; int es = 1;
        while ((td_n_punct(c, q, '+') || td_n_punct(c, q, '-')) && td_n_adjacent(c, q)) { if (td_n_punct(c, q, '-')) es = -es; q++; }
        double ex;
        if (ten == 10 && small_int_atom(c, q, &ex)) { v *= pow10i(es * (int)ex); k = q + 1; isint = v == floor(v); nv->plain = 0; }
      } else if (td_n_punct(c, k, '^') && td_n_adjacent(c, k)) {
        size_t q = k + 1; int es = 1;
        while ((td_n_punct(c, q, '+') || td_n_punct(c, q, '-')) && td_n_adjacent(c, q)) { if (td_n_punct(c, q, '-')) es = -es; q++; }
        double ex; int exi;
        if (is_num(c, q) && digits_value(c, q, &ex, &exi)) {
          v = pow(v, es * ex); k = q + 1; isint = v == floor(v); nv->plain = 0; nv->ndig = 0;
        }
      }
      /* "1 point 5", "2 point nought four" */
      if (isint && !a->sep && !(flags & 2) && td_n_eq(c, k, "point")) {
        double f;
        size_t e2;
        if (point_digits(c, k + 1, &f, &e2)) { v += f; k = e2; isint = 0; nv->plain = 0; nv->ndig = 0; }
      }
      /* multipliers and scale words */
      double m;
      if (!(flags & 2) && multiplier(c, k, flags & 16, &m)) {
        v *= m; k++; nv->plain = 0; nv->ndig = 0; isint = v == floor(v);
      } else if (!(flags & 2) && (L = td_n_lex(c, k, L_SCALE)) && L->sub != 2) {
        if (isint && !a->sep && a->nd <= 3) {
          td_nval w;
          if (number_words(c, j, flags, &w) && w.end > k) {
            v = w.v; k = w.end; nv->kind = w.kind; isint = w.isint;
          }
        } else {
          v *= L->val; k++;
          if (L->val == 100 && td_n_lex(c, k, L_SCALE) && td_n_lex(c, k, L_SCALE)->val >= 1000) { v *= td_n_lex(c, k, L_SCALE)->val; k++; }
          isint = v == floor(v);
        }
        nv->plain = 0; nv->ndig = 0;
      }
      /* "3 and a half", "3 million and a half" */
      if (td_n_eq(c, k, "and") && nv->kind == TD_N_CARDINAL) {
        double f; size_t e2;
        if (and_fraction(c, k + 1, &f, &e2)) {
          double sc = 1;
          if ((L = td_n_lex(c, k - 1, L_SCALE)) && L->sub == 0 && L->val >= 1000) sc = L->val;
          v += f * sc; k = e2; nv->kind = TD_N_FRACTION; isint = 0; nv->plain = 0;
        }
      }
    }
    nv->v = neg ? -v : v;
    nv->end = k;
    nv->isint = isint;
    return 1;
  }
  if (flags & 1) return 0;
  /* words */
  int a_start = 0;
  size_t w0 = j;
  if (td_n_eq(c, j, "a") || td_n_eq(c, j, "an")) {
    if (flags & 4) return 0;
    const td_lex *S = td_n_lex(c, j + 1, L_SCALE);
    if ((S && S->sub != 2) ) { a_start = 1; }
    else if ((L = td_n_lex(c, j + 1, L_DENOM)) && !L->sub) {
      /* "a half", "a quarter" (+ "million") */
      double v = 1 / L->val; size_t e2 = j + 2;
      if (L->val == 4 && (td_n_lex(c, e2, L_TUNIT) || td_n_eq(c, e2, "past") || td_n_eq(c, e2, "to") || td_n_eq(c, e2, "after") || td_n_eq(c, e2, "of"))) {
        if (!td_n_eq(c, e2, "of")) return 0;
      }
      if ((S = td_n_lex(c, e2, L_SCALE)) && S->sub == 0) { v *= S->val; e2++; }
      else if (td_n_eq(c, e2, "of") && (td_n_eq(c, e2 + 1, "a") || td_n_eq(c, e2 + 1, "an")) &&
               (S = td_n_lex(c, e2 + 2, L_SCALE)) && S->sub == 0 && S->val >= 1000) {
        v *= S->val; e2 += 3;   /* "a quarter of a billion" */
      }
      nv->v = v; nv->kind = TD_N_FRACTION; nv->end = e2; nv->words = 1;
      return 1;
    } else if ((L = td_n_lex(c, j + 1, L_ORD)) && !L->sub && L->val >= 3 && !td_n_lex(c, j + 1, L_TUNIT)) {
      /* "a third", "a hundredth", "a twenty-first" only when not a rank ("a third term") */
      size_t e2 = j + 2;
      double den = L->val;
      if (td_n_lex(c, j + 1, L_ORD)->val < 10 || 1) {
        size_t n2 = e2;
        if (!(n2 >= c->na || !is_word(c, n2) || td_n_eq(c, n2, "of") || td_n_eq(c, n2, "and") || td_n_eq(c, n2, "or"))) return 0;
      }
      nv->v = 1 / den; nv->kind = TD_N_FRACTION; nv->end = e2; nv->words = 1;
      return 1;
    } else if ((L = td_n_lex(c, j + 1, L_TENS)) && is_dash(c, j + 2) && (L = td_n_lex(c, j + 3, L_ORD))) {
      td_nval w;   /* "a twenty-first" */
      if (number_words(c, j + 1, flags, &w) && w.kind == TD_N_ORDINAL && !(w.end < c->na && is_word(c, w.end) && !td_n_eq(c, w.end, "of"))) {
        nv->v = 1 / w.v; nv->kind = TD_N_FRACTION; nv->end = w.end; nv->words = 1;
        return 1;
      }
      return 0;
    } else if ((td_n_eq(c, j + 1, "couple") || td_n_eq(c, j + 1, "pair")) &&
               (td_n_eq(c, j + 2, "of") || td_n_lex(c, j + 2, L_TUNIT))) {
      /* "a couple of", "a pair of", "a couple hours" (not the nouns: "a
       * couple from Ohio") */
      nv->v = 2; nv->end = j + 2 + td_n_eq(c, j + 2, "of"); nv->words = 1; nv->isint = 1;
      return 1;
    } else return 0;
    w0 = j + 1;
  }
  /* "half a dozen", "half million", "quarter million", "half" */
  if ((L = td_n_lex(c, j, L_DENOM)) && !L->sub) {
    const td_lex *S;
    if ((td_n_eq(c, j + 1, "a") || td_n_eq(c, j + 1, "an")) && (S = td_n_lex(c, j + 2, L_SCALE)) && S->sub == 1) {
      nv->v = 6; nv->end = j + 3; nv->words = 1; nv->isint = 1; return 1;
    }
    if ((S = td_n_lex(c, j + 1, L_SCALE)) && S->sub == 0 && S->val >= 1000) {
      nv->v = S->val / L->val; nv->kind = TD_N_FRACTION; nv->end = j + 2; nv->words = 1; nv->isint = 1; return 1;
    }
    if ((td_n_eq(c, j + 1, "a") || td_n_eq(c, j + 1, "an")) && (S = td_n_lex(c, j + 2, L_SCALE)) && S->sub == 0 &&
        S->val >= 1000) {   /* "half a million" */
      nv->v = S->val / L->val; nv->kind = TD_N_FRACTION; nv->end = j + 3; nv->words = 1; nv->isint = 1; return 1;
    }
    if (L->val == 2 && (td_n_eq(c, j + 1, "of") || !is_word(c, j + 1))) {
      nv->v = neg ? -0.5 : 0.5; nv->kind = TD_N_FRACTION; nv->end = j + 1; nv->words = 1; return 1;
    }
    return 0;
  }
  td_nval w;
  if (!number_words(c, w0, a_start ? flags | 64 : flags, &w)) return 0;
  if (a_start && w.v == 0) return 0;
  if (a_start && !(w.end > w0)) return 0;
  *nv = w;
  if (a_start) { /* "a hundred" already counts 1 x hundred */ }
  size_t k = nv->end;
  if (nv->kind == TD_N_CARDINAL) {
    /* "two hundred point seventy-one" */
    if (td_n_eq(c, k, "point")) {
      double f; size_t e2;
      if (point_digits(c, k + 1, &f, &e2)) {
        nv->v += f; nv->end = k = e2; nv->isint = 0;
        const td_lex *S = td_n_lex(c, k, L_SCALE);
        if (S && S->sub == 0) { nv->v *= S->val; nv->end = ++k; }
      }
    }
    /* "one and a half", "twenty and three fifths", "two million and three fifths" */
    if (td_n_eq(c, k, "and")) {
      double f; size_t e2;
      if (and_fraction(c, k + 1, &f, &e2)) {
        double sc = 1;
        if ((L = td_n_lex(c, k - 1, L_SCALE)) && L->sub == 0 && L->val >= 1000) {
          sc = L->val;
          if (td_n_lex(c, e2, L_SCALE) && td_n_lex(c, e2, L_SCALE)->val < sc) { sc = td_n_lex(c, e2, L_SCALE)->val; e2++; }
        }
        nv->v += f * sc; nv->end = e2; nv->kind = TD_N_FRACTION; nv->isint = 0;
      }
    }
  }
  if (neg) nv->v = -nv->v;
  nv->words = 1;
  return 1;
}

/* "one out of three", "1 over twenty-one", "five - eighths": fractions
 * written around a number already read (nv). */
static int fraction_tail(const td_nctx *c, td_nval *nv) {
  size_t k = nv->end;
  td_nval d;
  const td_lex *L;
  if (nv->kind != TD_N_CARDINAL || !nv->isint || nv->v < 0) return 0;
  if (is_dash(c, k) && c->a[k].sp && nv->words && (L = td_n_lex(c, k + 1, L_ORD)) && L->val >= 2 &&
      (L->sub == 1 || nv->v == 1)) {
    nv->v /= L->val; nv->end = k + 2; nv->kind = TD_N_FRACTION; nv->isint = 0;
    return 1;
  }
  int out = td_n_eq(c, k, "out") && td_n_eq(c, k + 1, "of");
  int over = td_n_eq(c, k, "over");
  if (!out && !over) return 0;
  size_t q = k + (out ? 2 : 1);
  if (!td_n_number(c, q, 0, &d) || d.kind != TD_N_CARDINAL || !d.isint || d.v <= 0) return 0;
  if (out && nv->v > d.v) return 0;
  /* digits over digits only small or alone ("2000 over 3.", not "200 over 3 rounds") */
  if (over && !(nv->words || d.words) && !(nv->v < 100 && d.v < 100) && is_word(c, d.end)) return 0;
  if (over && td_n_lex(c, d.end, L_TUNIT)) return 0;
  nv->v /= d.v; nv->end = d.end; nv->kind = TD_N_FRACTION; nv->isint = 0;
  return 1;
}

/* ---- output ------------------------------------------------------------ */

int td_n_emit(td_nctx *c, size_t a, size_t b, int kind, double value, td_number **out) {
  if (c->nout >= c->capout &&
      td_grow(c->A, (void **)&c->out, &c->capout, c->nout + 1, sizeof *c->out) != TD_OK)
    return TD_ENOMEM;
  td_number *r = &c->out[c->nout++];
  memset(r, 0, sizeof *r);
  r->start = c->a[a].s;
  r->end = c->a[b - 1].e;
  r->kind = (uint8_t)kind;
  r->value = value;
  r->flags = TD_NF_VALUE;
  if (out) *out = r;
  return TD_OK;
}

/* ---- modifiers --------------------------------------------------------- */

/* A modifier before a number at i: returns its length in atoms and the bound. */
static size_t modifier(const td_nctx *c, size_t i, int *bound) {
  const td_lex *L;
  size_t k = i;
  int just = 0;
  if (td_n_eq(c, k, "just") || td_n_eq(c, k, "slightly") || td_n_eq(c, k, "well") || td_n_eq(c, k, "only")) { k++; just = 1; }
  /* every modifier below starts with a word or a sign: digits (a third of
   * all starts) skip the tables */
  if (k >= c->na || c->a[k].cls == AC_NUM) return 0;
  static const struct { const char *a, *b, *c; int bound; } two[] = {
    { "more", "than", NULL, TD_B_GT }, { "greater", "than", NULL, TD_B_GT },
    { "higher", "than", NULL, TD_B_GT }, { "bigger", "than", NULL, TD_B_GT },
    { "larger", "than", NULL, TD_B_GT }, { "in", "excess", "of", TD_B_GT },
    { "upwards", "of", NULL, TD_B_GT }, { "north", "of", NULL, TD_B_GT },
    { "less", "than", NULL, TD_B_LT }, { "fewer", "than", NULL, TD_B_LT },
    { "lower", "than", NULL, TD_B_LT }, { "smaller", "than", NULL, TD_B_LT },
    { "shy", "of", NULL, TD_B_LT },
    { "at", "least", NULL, TD_B_GE }, { "no", "less", "than", TD_B_GE },
    { "no", "fewer", "than", TD_B_GE }, { "not", "less", "than", TD_B_GE },
    { "a", "minimum", "of", TD_B_GE }, { "minimum", "of", NULL, TD_B_GE },
    { "at", "most", NULL, TD_B_LE }, { "up", "to", NULL, TD_B_LE },
    { "no", "more", "than", TD_B_LE }, { "not", "more", "than", TD_B_LE },
    { "a", "maximum", "of", TD_B_LE }, { "maximum", "of", NULL, TD_B_LE },
    { "as", "many", "as", TD_B_LE }, { "as", "much", "as", TD_B_LE },
    { "as", "few", "as", TD_B_GE }, { "as", "little", "as", TD_B_GE },
    { "close", "to", NULL, TD_B_APPROX }, { "an", "estimated", NULL, TD_B_APPROX },
    { "in", "the", "region", TD_B_APPROX }, { "on", "the", "order", TD_B_APPROX },
    { "equal", "to", NULL, TD_B_EQ }, { "equals", "to", NULL, TD_B_EQ },
    { "equaling", "to", NULL, TD_B_EQ },
  };
  /* the words that begin up[], down[] and two[] below, by their first two
   * bytes ("a" apart): most atoms are none of them and skip the tables */
  int tables = td_n_pair_in(c, k, "mogrhibilainupnolefelosmshatmimaasclanoneq") || td_n_eq(c, k, "a");
  /* "bigger or equal than", "less or equal to", "at least or equal to" */
  if (tables) {
    static const char *const up[] = { "bigger", "greater", "more", "larger", "higher", NULL };
    static const char *const down[] = { "smaller", "less", "fewer", "lower", NULL };
    size_t q = k;
    int dir = 0;
    for (int t = 0; up[t]; t++) if (td_n_eq(c, q, up[t])) dir = 1;
    for (int t = 0; down[t]; t++) if (td_n_eq(c, q, down[t])) dir = -1;
    if (!dir && td_n_eq(c, q, "at") && (td_n_eq(c, q + 1, "least") || td_n_eq(c, q + 1, "most"))) {
      dir = td_n_eq(c, q + 1, "least") ? 1 : -1; q++;
    }
    if (dir && td_n_eq(c, q + 1, "or") && td_n_eq(c, q + 2, "equal") && (td_n_eq(c, q + 3, "than") || td_n_eq(c, q + 3, "to"))) {
      *bound = dir > 0 ? TD_B_GE : TD_B_LE;
      return q + 4 - i;
    }
  }
  for (size_t t = 0; tables && t < sizeof two / sizeof two[0]; t++) {
    if (td_n_eq(c, k, two[t].a) && td_n_eq(c, k + 1, two[t].b) && (!two[t].c || td_n_eq(c, k + 2, two[t].c))) {
      size_t n = k + (two[t].c ? 3 : 2);
      if (td_n_eq(c, n - 1, "region") || td_n_eq(c, n - 1, "order")) { if (td_n_eq(c, n, "of")) n++; else continue; }
      /* "less than or equal to" */
      if ((two[t].bound == TD_B_LT || two[t].bound == TD_B_GT) && td_n_eq(c, n, "or") && td_n_eq(c, n + 1, "equal") && td_n_eq(c, n + 2, "to")) {
        *bound = two[t].bound == TD_B_LT ? TD_B_LE : TD_B_GE; return n + 3 - i;
      }
      *bound = two[t].bound; return n - i;
    }
  }
  if ((L = td_n_lex(c, k, L_MOD))) {
    if (td_n_eq(c, k, "ca") && !td_n_punct(c, k + 1, '.')) return 0;
    *bound = L->sub;
    size_t n = k + 1;
    if ((td_n_eq(c, k, "ca") || td_n_eq(c, k, "approx")) && td_n_punct(c, n, '.')) n++;
    return n - i;
  }
  if (just) return 0;
  if (td_n_punct(c, k, '~') || td_n_punct(c, k, 0x2248)) { *bound = TD_B_APPROX; return 1; }
  if (td_n_punct(c, k, '>') && td_n_punct(c, k + 1, '=')) { *bound = TD_B_GE; return 2; }
  if (td_n_punct(c, k, '<') && td_n_punct(c, k + 1, '=')) { *bound = TD_B_LE; return 2; }
  /* not the arrows "=>", "->" */
  if (td_n_punct(c, k, '>') && k > 0 && td_n_adjacent(c, k) && (td_n_punct(c, k - 1, '=') || is_dash(c, k - 1))) return 0;
  if (td_n_punct(c, k, '>') && !td_n_punct(c, k + 1, '=')) { *bound = TD_B_GT; return 1; }
  if (td_n_punct(c, k, '<')) { *bound = TD_B_LT; return 1; }
  if (td_n_punct(c, k, 0x2265)) { *bound = TD_B_GE; return 1; }
  if (td_n_punct(c, k, 0x2264)) { *bound = TD_B_LE; return 1; }
  return 0;
}

/* ---- money ------------------------------------------------------------- */

static const char *sym_currency(int32_t cp) {
  switch (cp) {
    case '$': return "USD";
    case 0x20AC: return "EUR";
    case 0xA3: return "GBP";
    case 0xA5: return "JPY";
    case 0x20B9: return "INR";
    case 0x20BD: return "RUB";
    case 0x20B4: return "UAH";
    case 0x20A9: return "KRW";
    case 0x20AA: return "ILS";
    case 0x20BA: return "TRY";
    case 0x20A6: return "NGN";
    case 0x20A1: return "CRC";
    case 0x20AD: return "LAK";
    case 0x0E3F: return "THB";
    case 0x20AB: return "VND";
    case 0x20B1: return "PHP";
    case 0x20BF: return "XBT";
    default: return NULL;
  }
}

/* The ISO code of a word in ISO 4217, or NULL (codes must be upper case). */
static const char *iso_code(const td_nctx *c, size_t i, int need_upper) {
  if (!is_word(c, i) || c->a[i].e - c->a[i].s != 3) return NULL;
  if (need_upper && c->a[i].cap != 2) return NULL;
  char b[4];
  for (int k = 0; k < 3; k++) {
    int ch = (unsigned char)c->t[c->a[i].s + k];
    b[k] = (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
  }
  b[3] = 0;
  size_t lo = 0, hi = sizeof td_cur_codes / sizeof td_cur_codes[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int r = strcmp(td_cur_codes[mid], b);
    if (r == 0) return td_cur_codes[mid];
    if (r < 0) lo = mid + 1; else hi = mid;
  }
  return NULL;
}

/* The few codes also written in lower case after an amount ("20 usd"). */
static const char *common_code(const td_nctx *c, size_t i) {
  static const char *const codes[] = { "AUD", "CAD", "CHF", "CNY", "EUR", "GBP", "INR", "JPY", "RMB", "RUB", "UAH", "USD", NULL };
  if (!is_word(c, i) || c->a[i].cap || c->a[i].e - c->a[i].s != 3) return NULL;
  const char *t = c->t + c->a[i].s;
  for (int k = 0; codes[k]; k++)
    if ((t[0] ^ 32) == codes[k][0] && (t[1] ^ 32) == codes[k][1] && (t[2] ^ 32) == codes[k][2])
      return strcmp(codes[k], "RMB") == 0 ? "CNY" : codes[k];
  return NULL;
}

static const char *cur_name_lookup(const char *name) {
  size_t lo = 0, hi = sizeof td_cur_names / sizeof td_cur_names[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int r = strcmp(td_cur_names[mid].name, name);
    if (r == 0) return td_cur_names[mid].code;
    if (r < 0) lo = mid + 1; else hi = mid;
  }
  return NULL;
}

/* Adjectives that name a currency's country, on top of the ISO names. */
static const struct { const char *adj, *fam, *code; } cur_adj[] = {
  { "us", "dollar", "USD" }, { "u.s", "dollar", "USD" }, { "american", "dollar", "USD" },
  { "chinese", "yuan", "CNY" }, { "japanese", "yen", "JPY" }, { "british", "pound", "GBP" },
  { "ukrainian", "hryvnia", "UAH" }, { "russian", "rouble", "RUB" }, { "turkish", "lira", "TRY" },
  { "pakistani", "rupee", "PKR" }, { "sri", "rupee", "LKR" }, { "lebanese", "pound", "LBP" },
  { "egyptian", "pound", "EGP" }, { "syrian", "pound", "SYP" }, { "sudanese", "pound", "SDG" },
  { "iraqi", "dinar", "IQD" }, { "kuwaiti", "dinar", "KWD" }, { "jordanian", "dinar", "JOD" },
  { "qatari", "riyal", "QAR" }, { "saudi", "riyal", "SAR" }, { "iranian", "rial", "IRR" },
  { "omani", "rial", "OMR" }, { "yemeni", "rial", "YER" }, { "hong", "dollar", "HKD" },
  { "taiwan", "dollar", "TWD" }, { "taiwanese", "dollar", "TWD" }, { "danish", "krone", "DKK" },
  { "swedish", "krona", "SEK" }, { "norwegian", "krone", "NOK" }, { "icelandic", "krona", "ISK" },
  { "czech", "koruna", "CZK" }, { "south", "rand", "ZAR" }, { "israeli", "shekel", "ILS" },
  { "indonesian", "rupiah", "IDR" }, { "zimbabwean", "dollar", "ZWL" }, { "kenyan", "shilling", "KES" },
  { "nigerian", "naira", "NGN" }, { "ghanaian", "cedi", "GHS" }, { "belarusian", "rouble", "BYN" },
  { "euro", "cent", "EUR" },
};

/* Normalise a currency family word: plural and spelling variants. */
static void family(const char *w, char *out, size_t sz) {
  size_t n = strlen(w);
  if (n >= sz) n = sz - 1;
  memcpy(out, w, n); out[n] = 0;
  if (n > 3 && out[n - 1] == 's' && strcmp(out, "pence") != 0) out[--n] = 0;
  /* spelling variants, each looked at only under its first letter */
  if (out[0] == 'r' && !strcmp(out, "riyal")) strcpy(out, "rial");
  if (out[0] == 'r' && !strcmp(out, "ruble")) strcpy(out, "rouble");
  if (out[0] == 'h' && (!strcmp(out, "hryvna") || !strcmp(out, "hryvnya"))) strcpy(out, "hryvnia");
  if (out[0] == 's' && !strcmp(out, "shekel")) strcpy(out, "sheqel");
}

/* A currency word at i (optionally with a country adjective at i-1 when
 * adj_ok): code, factor (cents), and the start atom of the name. */
static int currency_word(const td_nctx *c, size_t i, const char **code, double *factor, size_t *first) {
  const td_lex *L = td_n_lex(c, i, L_CUR);
  char w[32], fam[32], buf[80];
  if (!is_word(c, i)) return 0;
  if (!L) {
    /* the names' two-letter filter (cur_name_may below) on the atom's own
     * first two bytes, before lower-casing it: family() keeps them but
     * for "ruble" (-> "rouble") */
    unsigned a0 = c->a[i].lc0 - 'a', b0 = c->a[i].lc1 - 'a';
    if (a0 < 26 && b0 < 26 && !((c->f->cur2[a0] >> b0) & 1u) && !(a0 == 'r' - 'a' && b0 == 'u' - 'a')) return 0;
  }
  if (!atom_lower(c, i, w, sizeof w)) return 0;
  family(w, fam, sizeof fam);
  if (!L) {
    /* single-word ISO names (tugrik, forint, lari, ...) with a plural */
    const char *k = cur_name_may(c->f, fam) ? cur_name_lookup(fam) : NULL;
    if (!k && cur_name_may(c->f, w)) k = cur_name_lookup(w);
    static const char *const skip[] = { "won", "real", "rand", "sol", "som", "lek", "kip", "dram", "pula",
                                        "tala", "vatu", "loti", "kina", "leone", "sum", "dong", NULL };
    if (!k) return 0;
    for (int s = 0; skip[s]; s++) if (!strcmp(fam, skip[s])) return 0;
    *code = k; *factor = 1; *first = i;
    return 1;
  }
  *code = L->canon; *factor = L->val; *first = i;
  if (i > 0 && is_word(c, i - 1) && c->a[i].sp) {
    char adj[32];
    if (atom_lower(c, i - 1, adj, sizeof adj)) {
      size_t p = i - 1;
      /* "hong kong dollar", "new zealand dollar", "south african rand" */
      if (p > 0 && is_word(c, p - 1)) {
        char a0[32];
        if (atom_lower(c, p - 1, a0, sizeof a0)) {
          size_t n = (size_t)snprintf(buf, sizeof buf, "%s %s %s", a0, adj, fam);
          const char *k = n < sizeof buf ? cur_name_lookup(buf) : NULL;
          if (k) { *code = k; *first = p - 1; return 1; }
        }
      }
      size_t n = (size_t)snprintf(buf, sizeof buf, "%s %s", adj, fam);
      const char *k = n < sizeof buf ? cur_name_lookup(buf) : NULL;
      if (k) { *code = k; *first = p; return 1; }
      for (size_t t = 0; t < sizeof cur_adj / sizeof cur_adj[0]; t++)
        if (!strcmp(cur_adj[t].adj, adj) && (!strcmp(cur_adj[t].fam, fam) || !strcmp(cur_adj[t].fam, w))) {
          *code = cur_adj[t].code; *first = p;
          if (!strcmp(adj, "u.s")) *first = p;
          return 1;
        }
    }
  }
  return 1;
}

/* A currency prefix at i: "$", "US$", "C$", "USD", "€".  Returns atoms used. */
/* "Rs 500", "Rs. 20 crore" (rupees), "Rp 5000" (rupiahs): atoms used, or 0. */
static size_t rupee_prefix(const td_nctx *c, size_t i, const char **code) {
  if (!is_word(c, i) || c->a[i].cap != 1 || c->a[i].e - c->a[i].s != 2) return 0;
  int rs = td_n_eq(c, i, "rs");
  if (!rs && !td_n_eq(c, i, "rp")) return 0;
  size_t j = i + 1;
  if (td_n_punct(c, j, '.') && td_n_adjacent(c, j)) j++;
  if (!is_num(c, j)) return 0;
  /* a number the tokenizer cut ("Rs.1" "," "200"; Indian groups "5" "," "00,000") is not read here */
  if (td_n_punct(c, j + 1, ',') && td_n_adjacent(c, j + 1) && is_num(c, j + 2) && td_n_adjacent(c, j + 2)) return 0;
  *code = rs ? "INR" : "IDR";
  return j - i;
}

static size_t currency_prefix(const td_nctx *c, size_t i, const char **code) {
  const char *k;
  size_t rp;
  if (i >= c->na) return 0;
  if ((rp = rupee_prefix(c, i, code)) != 0) return rp;
  if (c->a[i].cls == AC_PUNCT || c->a[i].cls == AC_SYM) {
    if ((k = sym_currency(c->a[i].cp))) { *code = k; return 1; }
    return 0;
  }
  if (!is_word(c, i)) return 0;
  /* letters glued to "$": US$ C$ A$ HK$ NZ$ S$ R$ Mex$ CAD$ */
  if (td_n_punct(c, i + 1, '$') && (td_n_adjacent(c, i + 1) || c->a[i].e - c->a[i].s == 1) &&
      !(i > 0 && (td_n_punct(c, i - 1, '\'') || td_n_punct(c, i - 1, 0x2019)))) {
    static const struct { const char *p, *code; } pre[] = {
      { "us", "USD" }, { "u.s", "USD" }, { "c", "CAD" }, { "ca", "CAD" }, { "can", "CAD" }, { "a", "AUD" },
      { "au", "AUD" }, { "hk", "HKD" }, { "nz", "NZD" }, { "s", "SGD" }, { "r", "BRL" }, { "mex", "MXN" },
      { "nt", "TWD" }, { "z", "ZWL" },
    };
    char w[16];
    if (atom_lower(c, i, w, sizeof w)) {
      for (size_t t = 0; t < sizeof pre / sizeof pre[0]; t++)
        if (!strcmp(pre[t].p, w)) { *code = pre[t].code; return 2; }
      if ((k = iso_code(c, i, 0))) { *code = k; return 2; }
    }
    return 0;
  }
  if ((k = iso_code(c, i, 1))) { *code = k; return 1; }
  /* "MEUR", "MUSD": millions of */
  return 0;
}

static int stop_word(const td_nctx *c, size_t i);
static int ends_with(const td_nctx *c, size_t i, const char *suf);

/* "a dollar", "a cent": "a"/"an" and a currency word in the singular (not
 * "a pound of", a weight). */
static int a_currency(const td_nctx *c, size_t i) {
  const char *cw;
  double fw;
  size_t fi;
  if (!(td_n_eq(c, i, "a") || td_n_eq(c, i, "an")) || !is_word(c, i + 1) || c->a[i + 1].cap == 2) return 0;
  if (!currency_word(c, i + 1, &cw, &fw, &fi) || fi != i + 1 || ends_with(c, i + 1, "s")) return 0;
  if (td_n_eq(c, i + 1, "pound") && td_n_eq(c, i + 2, "of")) return 0;
  return 1;
}

/* Money at i (after any modifier).  Fills r. */
static size_t money(td_nctx *c, size_t i, td_number *r) {
  const char *code = NULL;
  td_nval nv;
  size_t p = currency_prefix(c, i, &code);
  if (p) {
    size_t j = i + p;
    /* "MAUD 60": M + code = millions */
    if (!td_n_number(c, j, 16, &nv) || nv.kind == TD_N_ORDINAL) return 0;
    if (c->a[j].sp > 1) return 0;
    double v = nv.v;
    size_t k = nv.end;
    /* "$ 2.75", "US$3 and fourteen", "17 USD 25" handled on the suffix side */
    if (td_n_eq(c, k, "and") && is_num(c, k + 1) == 0) {
      td_nval cents;
      if (td_n_number(c, k + 1, 2 | 4, &cents) && cents.v < 100 && cents.isint && nv.isint && !td_n_lex(c, cents.end, L_SCALE)) {
        v += cents.v / 100; k = cents.end;
      }
    }
    /* a currency word after a symbol is part of it: "$5 dollars" is rare; skip */
    memset(r, 0, sizeof *r);
    r->kind = TD_N_MONEY; r->value = v; r->flags = TD_NF_VALUE; r->unit = code; r->dim = "currency";
    r->start = c->a[i].s; r->end = c->a[k - 1].e;
    return k;
  }
  /* "MEUR 120", "MAUD 60" */
  if (is_word(c, i) && c->a[i].cap == 2 && c->a[i].e - c->a[i].s == 4 && (c->t[c->a[i].s] == 'M')) {
    td_natom tmp = c->a[i];
    c->a[i].s++;
    const char *k2 = iso_code(c, i, 1);
    c->a[i] = tmp;
    if (k2 && td_n_number(c, i + 1, 2, &nv) && nv.kind == TD_N_CARDINAL) {
      memset(r, 0, sizeof *r);
      r->kind = TD_N_MONEY; r->value = nv.v * 1e6; r->flags = TD_NF_VALUE; r->unit = k2; r->dim = "currency";
      r->start = c->a[i].s; r->end = c->a[nv.end - 1].e;
      return nv.end;
    }
  }
  /* number + currency word/code/symbol */
  if (a_currency(c, i)) {   /* "a dollar", "an euro and 42 cents" */
    memset(&nv, 0, sizeof nv);
    nv.v = 1; nv.end = i + 1; nv.kind = TD_N_CARDINAL; nv.isint = 1; nv.words = 1;
  } else if (!td_n_number(c, i, 16, &nv) || nv.kind == TD_N_ORDINAL) return 0;
  size_t k = nv.end;
  const char *cc = NULL;
  double factor = 1;
  size_t after = 0;
  int hyph = 0;
  if (is_dash(c, k) && td_n_adjacent(c, k) && td_n_adjacent(c, k + 1)) { k++; hyph = 1; }   /* "12-cent", "one-yen" */
  /* a country adjective between: "10 us dollar", "100 chinese yuan", "75 USD million" */
  double mult = 1;
  /* (a probe that fails must not leave its factor behind: "3 GBP 1 pence") */
  const char *cw;
  double fw;
  size_t fiw, z;
  for (z = k; z < k + 3; z++)
    if ((z == k || is_word(c, z)) && currency_word(c, z, &cw, &fw, &fiw) && fiw == k) break;
  /* "5 U.S. dollars", "10 U.S. cents": the atoms U . S . */
  if (!hyph && td_n_eq(c, k, "u") && td_n_punct(c, k + 1, '.') && td_n_eq(c, k + 2, "s") && td_n_punct(c, k + 3, '.') &&
      td_n_adjacent(c, k + 1) && td_n_adjacent(c, k + 2) && td_n_adjacent(c, k + 3) &&
      currency_word(c, k + 4, &cw, &fw, &fiw) && fiw == k + 4 && !strcmp(cw, "USD")) {
    cc = cw; factor = fw;
    after = k + 5;
  } else if (z < k + 3) {
    /* "500 pounds of explosives" weighs (a unit of mass; quantity) */
    if ((td_n_eq(c, z, "pound") || td_n_eq(c, z, "pounds")) && td_n_eq(c, z + 1, "of") && is_word(c, z + 2)) return 0;
    cc = cw; factor = fw;
    after = z + 1;
  } else if (!hyph && ((cc = iso_code(c, k, 1)) != NULL || (cc = common_code(c, k)) != NULL)) {
    after = k + 1;
    const td_lex *S = td_n_lex(c, after, L_SCALE);
    if (S && S->sub == 0 && S->val >= 1e3) { mult = S->val; after++; }
  } else if (!hyph && is_word(c, k) && c->a[k].cap == 2 && c->a[k].e - c->a[k].s == 4 &&
             (c->t[c->a[k].s] == 'M' || c->t[c->a[k].s] == 'K')) {
    /* "120 MEUR", "500 KSEK": millions, thousands of a currency */
    td_natom tmp = c->a[k];
    c->a[k].s++;
    cc = iso_code(c, k, 1);
    c->a[k] = tmp;
    if (!cc) return 0;
    mult = tmp.e > tmp.s && c->t[tmp.s] == 'M' ? 1e6 : 1e3;
    after = k + 1;
  } else if (!hyph && td_n_punct(c, k, 0xA2)) {
    cc = "USD"; factor = 0.01; after = k + 1;   /* "10¢" */
  } else if (!hyph && k < c->na && (c->a[k].cls == AC_SYM || c->a[k].cls == AC_PUNCT) && (cc = sym_currency(c->a[k].cp)) != NULL) {
    after = k + 1;
  } else if (!hyph && is_word(c, k) && td_n_punct(c, k + 1, '$') && !is_num(c, k + 2) &&
             !(td_n_lex(c, k + 2, L_NUM) || td_n_lex(c, k + 2, L_TENS)) && currency_prefix(c, k, &cc) == 2) {
    after = k + 2;   /* "3.14US$", "20 C$" (not "two NZ$ 4.00") */
  } else if (!hyph && is_word(c, k) && td_n_adjacent(c, k)) {
    /* "115USD" */
    if ((cc = iso_code(c, k, 0)) != NULL) after = k + 1;
    else return 0;
  } else return 0;
  if (!after) return 0;
  double v = nv.v * mult * factor;
  size_t e = after;
  /* "thirteen dollars and forty-five cents", "15 dollars 50", "3 GBP 1 pence" */
  if (factor == 1) {
    size_t q = e;
    int had_and = 0;
    if (td_n_eq(c, q, "and") || td_n_punct(c, q, ',')) { q++; had_and = 1; }
    td_nval cents;
    const char *c3;
    if (q < c->na && td_n_number(c, q, 2, &cents) && cents.isint && cents.v < 100 && cents.v >= 0 && cents.kind == TD_N_CARDINAL &&
        !(cents.end < c->na && (c->a[cents.end].cls == AC_SYM || c->a[cents.end].cls == AC_PUNCT) && sym_currency(c->a[cents.end].cp)) &&
        !((c3 = iso_code(c, cents.end, 1)) != NULL)) {
      const char *c2; double f2; size_t fi;
      if (currency_word(c, cents.end, &c2, &f2, &fi) && f2 < 1) { v += cents.v * f2; e = cents.end + 1; }
      else if (is_word(c, cents.end) && td_n_adjacent(c, cents.end) && td_n_eq(c, cents.end, "c")) { v += cents.v / 100; e = cents.end + 1; }
      else if (!had_and || !is_num(c, q) ||
               (c->a[q].nd == 2 && !(cents.end < c->na && (is_word(c, cents.end) || is_num(c, cents.end))))) {
        /* "twenty ringgit and 43" at the end: two digits after "and" */
        /* not when the number counts something: "15 USD 50 more" is 15.50, "10 USD 50 people" two amounts */
        if (!(cents.end < c->na && is_word(c, cents.end) && (td_n_adjacent(c, cents.end) || !stop_word(c, cents.end)))) {
          if (!td_n_punct(c, cents.end, '%')) { v += cents.v / 100; e = cents.end; }
        }
      }
    }
  }
  memset(r, 0, sizeof *r);
  r->kind = TD_N_MONEY; r->value = v; r->flags = TD_NF_VALUE; r->unit = cc; r->dim = "currency";
  r->start = c->a[i].s; r->end = c->a[e - 1].e;
  return e;
}

/* ---- percentages, quantities and counted things ------------------------ */

static size_t percent_suffix(const td_nctx *c, size_t k) {
  if (td_n_punct(c, k, '%') || td_n_punct(c, k, 0xFF05)) return k + 1;
  if (td_n_eq(c, k, "percent") || td_n_eq(c, k, "percents") || td_n_eq(c, k, "pct") || td_n_eq(c, k, "percentage")) {
    if (td_n_eq(c, k, "percentage") && (td_n_eq(c, k + 1, "points") || td_n_eq(c, k + 1, "point"))) return k + 2;
    return k + 1;
  }
  if (td_n_eq(c, k, "per") && td_n_eq(c, k + 1, "cent")) return k + 2;
  return 0;
}

/* Is a '"' open before byte p on its line (an odd number of them, looking
 * back at most 2000 bytes; unsure counts as open)? */
static int open_quote_before(const td_nctx *c, size_t p) {
  int n = 0;
  size_t k = p, stop = p > 2000 ? p - 2000 : 0;
  while (k > stop && c->t[k - 1] != '\n') { if (c->t[k - 1] == '"') n++; k--; }
  return (n & 1) || (k == stop && stop > 0);
}

/* A measure unit at k (with "square", "cubic", "metric"; "km/h"). */
static size_t unit_at(const td_nctx *c, size_t k, int adj_num, const char **sym, const char **dim) {
  size_t q = k;
  int sq = 0, cu = 0;
  if (td_n_eq(c, q, "square") || td_n_eq(c, q, "sq")) { sq = 1; q++; if (td_n_punct(c, q, '.')) q++; }
  else if (td_n_eq(c, q, "cubic")) { cu = 1; q++; }
  else if (td_n_eq(c, q, "metric") && (td_n_eq(c, q + 1, "ton") || td_n_eq(c, q + 1, "tons") || td_n_eq(c, q + 1, "tonnes"))) {
    /* a metric ton is a tonne */
    size_t e = unit_at(c, q + 1, 0, sym, dim);
    if (e) *sym = "t";
    return e;
  }
  int bracket = 0;
  if ((td_n_punct(c, q, '[') || td_n_punct(c, q, '<') || td_n_punct(c, q, '{')) && !sq && !cu) { bracket = 1; q++; }
  const td_lex *L = td_n_lex(c, q, L_UNIT);
  if (!L) {
    if (td_n_punct(c, q, 0xB0) && !sq) {             /* ° C / °F / ° */
      if (td_n_eq(c, q + 1, "c") && td_n_adjacent(c, q + 1)) { *sym = "°C"; *dim = "temperature"; return q + 2; }
      if (td_n_eq(c, q + 1, "f") && td_n_adjacent(c, q + 1)) { *sym = "°F"; *dim = "temperature"; return q + 2; }
      if (td_n_eq(c, q + 1, "celsius")) { *sym = "°C"; *dim = "temperature"; return q + 2; }
      if (td_n_eq(c, q + 1, "fahrenheit")) { *sym = "°F"; *dim = "temperature"; return q + 2; }
      *sym = "°"; *dim = "degree"; return q + 1;
    }
    if (td_n_punct(c, q, 0x2103)) { *sym = "°C"; *dim = "temperature"; return q + 1; }
    if (td_n_punct(c, q, 0x2109)) { *sym = "°F"; *dim = "temperature"; return q + 1; }
    if ((td_n_punct(c, q, 0xB5) || td_n_punct(c, q, 0x3BC)) && td_n_eq(c, q + 1, "g") && td_n_adjacent(c, q + 1)) { *sym = "µg"; *dim = "mass"; return q + 2; }
    if (td_n_eq(c, q, "\xce\xbcg") || td_n_eq(c, q, "\xc2\xb5g")) { *sym = "µg"; *dim = "mass"; return q + 1; }
    /* inches: '10 " long' (a quotation mark has no space on one side, and
     * does not close one opened earlier on the line: '"Web 2.0 " sites') */
    if (td_n_punct(c, q, '"') && !td_n_adjacent(c, q) && q > 0 && is_num(c, q - 1) &&
        (q + 1 >= c->na || !td_n_adjacent(c, q + 1)) && !open_quote_before(c, c->a[q].s)) {
      *sym = "in"; *dim = "length"; return q + 1;
    }
    return 0;
  }
  size_t wl = c->a[q].e - c->a[q].s;
  /* single letters and short symbols: glued to the number, or followed by
   * something that is not a word */
  if (wl <= 2 && !adj_num && !(td_n_adjacent(c, q) && bracket)) {
    if (wl == 1 && is_word(c, q + 1) && !td_n_punct(c, q + 1, '/') &&
        !(td_n_eq(c, q + 1, "x") && is_num(c, q + 2)) &&   /* "1 m x 1 m" */
        !(stop_word(c, q + 1) && !td_n_adjacent(c, q + 1) && !td_n_eq(c, q, "m")))   /* "2 g and 7 g" */
      return 0;
    if (wl == 1 && (td_n_eq(c, q, "m") || td_n_eq(c, q, "l")) && td_n_punct(c, q + 1, '\'')) return 0;
  }
  if (td_n_eq(c, q, "pm") && !adj_num) {
    /* "2 pm" is a time, not picometres (dates run first; this keeps it out) */
    return 0;
  }
  if (wl == 1 && td_n_eq(c, q, "g") && c->a[q].cap) return 0;
  if (is_dash(c, q + 1) && td_n_adjacent(c, q + 1) && is_num(c, q + 2) && td_n_adjacent(c, q + 2)) return 0;
  if (is_num(c, q + 1) && td_n_adjacent(c, q + 1)) return 0;
  *sym = L->canon; *dim = L->dim;
  q++;
  if (bracket && (td_n_punct(c, q, ']') || td_n_punct(c, q, '>') || td_n_punct(c, q, ')') || td_n_punct(c, q, '}'))) q++;
  else if (bracket) return 0;
  /* temperature: "degrees celsius", "deg f", "degrees c" */
  if (!strcmp(L->dim, "degree")) {
    size_t z = q;
    if (td_n_punct(c, z, '.')) z++;
    if (td_n_eq(c, z, "celsius") || td_n_eq(c, z, "centigrade") || td_n_eq(c, z, "celcius") || td_n_eq(c, z, "c")) { *sym = "°C"; *dim = "temperature"; return z + 1; }
    if (td_n_eq(c, z, "fahrenheit") || td_n_eq(c, z, "farenheit") || td_n_eq(c, z, "f")) { *sym = "°F"; *dim = "temperature"; return z + 1; }
    if (td_n_eq(c, k + 0, "deg") && td_n_punct(c, q, '.')) q++;
    if (td_n_eq(c, q, "angle") || td_n_eq(c, q, "angles")) *dim = "angle";   /* "a 45 degrees angle" */
  }
  if (sq) {
    static const struct { const char *u, *s; } sqs[] = { { "km", "km²" }, { "m", "m²" }, { "mi", "mi²" }, { "ft", "ft²" }, { "cm", "cm²" }, { "yd", "yd²" }, { "in", "in²" } };
    for (size_t t = 0; t < sizeof sqs / sizeof sqs[0]; t++) if (!strcmp(sqs[t].u, *sym)) { *sym = sqs[t].s; *dim = "area"; return q; }
    return 0;
  }
  if (cu) {
    static const struct { const char *u, *s; } cus[] = { { "km", "km³" }, { "m", "m³" }, { "ft", "ft³" }, { "cm", "cm³" }, { "mi", "mi³" }, { "in", "in³" } };
    for (size_t t = 0; t < sizeof cus / sizeof cus[0]; t++) if (!strcmp(cus[t].u, *sym)) { *sym = cus[t].s; *dim = "volume"; return q; }
    return 0;
  }
  if (td_n_punct(c, q, 0xB2) && td_n_adjacent(c, q)) {
    if (!strcmp(*sym, "km")) { *sym = "km²"; *dim = "area"; return q + 1; }
    if (!strcmp(*sym, "m")) { *sym = "m²"; *dim = "area"; return q + 1; }
  }
  /* km/h, m/s */
  if (td_n_punct(c, q, '/') && td_n_adjacent(c, q) && is_word(c, q + 1) && td_n_adjacent(c, q + 1)) {
    if (!strcmp(*sym, "km") && td_n_eq(c, q + 1, "h")) { *sym = "km/h"; *dim = "speed"; return q + 2; }
    if (!strcmp(*sym, "m") && td_n_eq(c, q + 1, "s")) { *sym = "m/s"; *dim = "speed"; return q + 2; }
  }
  return q;
}

/* Words that end a counted thing (function words, verbs of saying, ...). */
static const char *const stop_words[] = {
  "a", "about", "above", "according", "across", "after", "again", "against", "ago", "all", "along",
  "already", "also", "although", "among", "an", "and", "another", "any", "are", "around", "as", "at",
  "away", "back", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
  "can", "could", "did", "do", "does", "down", "during", "each", "earlier", "either", "else", "even",
  "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "hence",
  "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "including", "inside", "into",
  "is", "it", "its", "just", "last", "later", "least", "less", "like", "many", "may", "me", "might",
  "more", "most", "much", "must", "my", "near", "nearly", "next", "no", "nor", "not", "now", "of",
  "off", "on", "once", "one", "only", "onto", "or", "other", "others", "our", "out", "over", "own",
  "past", "per", "plus", "rather", "said", "same", "say", "says", "shall", "she", "should", "since",
  "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
  "this", "those", "though", "through", "thus", "till", "to", "told", "too", "toward", "towards",
  "under", "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where",
  "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without",
  "would", "yet", "you", "your", "x",
};
/* Adverbs that end a counted thing too. */
static const char *const stop_adverbs[] = {
  "abroad", "alone", "altogether", "annually", "apiece", "combined", "daily", "hourly", "instead",
  "monthly", "nationwide", "overnight", "respectively", "together", "weekly", "worldwide", "yearly",
};

static void stop_index(td_numfilter *f) {
  for (size_t k = 0; k < sizeof stop_words / sizeof stop_words[0]; k++) two_add(f->stop2, stop_words[k]);
  for (size_t k = 0; k < sizeof stop_adverbs / sizeof stop_adverbs[0]; k++) two_add(f->stop2, stop_adverbs[k]);
}

static int stop_word(const td_nctx *c, size_t i) {
  char w[24];
  if (!atom_lower(c, i, w, sizeof w) || !two_may(c->f->stop2, w)) return 0;
  size_t lo = 0, hi = sizeof stop_words / sizeof stop_words[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int r = strcmp(stop_words[mid], w);
    if (r == 0) return 1;
    if (r < 0) lo = mid + 1; else hi = mid;
  }
  for (size_t k = 0; k < sizeof stop_adverbs / sizeof stop_adverbs[0]; k++)
    if (stop_adverbs[k][0] == w[0] && !strcmp(stop_adverbs[k], w)) return 1;
  return 0;
}

static int ends_with(const td_nctx *c, size_t i, const char *suf) {
  size_t n = strlen(suf), l = c->a[i].e - c->a[i].s;
  if (l <= n + 1) return 0;
  for (size_t k = 0; k < n; k++) {
    int ch = (unsigned char)c->t[c->a[i].e - n + k];
    if ((ch | 32) != suf[k]) return 0;
  }
  return 1;
}

/* A plain word that may be part of a noun phrase. */
static int np_word(const td_nctx *c, size_t i) {
  if (!is_word(c, i) || c->a[i].sp == 2) return 0;
  if (stop_word(c, i)) return 0;
  if (td_n_lex(c, i, L_NUM) || td_n_lex(c, i, L_TENS) || td_n_lex(c, i, L_SCALE) || td_n_lex(c, i, L_MONTH) ||
      td_n_lex(c, i, L_WDAY) || td_n_lex(c, i, L_REL) || td_n_lex(c, i, L_ORD))
    return 0;
  return 1;
}

/* Does the text go on with a word after atom e - 1, where the atoms end
 * (the window around a number, or a barrier before the next one)? */
static int window_cut(const td_nctx *c, size_t e) {
  if (e < c->na && !(c->a[e].cls == AC_SYM && c->a[e].cp == -3)) return 0;
  size_t p = c->a[e - 1].e;
  while (p < c->len && (c->t[p] == ' ' || c->t[p] == '-')) p++;
  return p < c->len && (is_alpha((unsigned char)c->t[p]) || is_digit((unsigned char)c->t[p]));
}

/* The thing a number counts: up to maxw words after it ("offensive
 * drones", "military casualties", "POWs").  Returns the end atom or 0.
 * title: the text is in title case, where a capital says nothing; whole:
 * nothing when the phrase may go on past the atoms. */
static size_t counted_np(const td_nctx *c, size_t k, int title, int maxw, int whole) {
  size_t q = k, last = 0;
  for (int n = 0; n < maxw && np_word(c, q); n++, q++) {
    if (n > 0 && td_n_adjacent(c, q)) break;   /* words glued together are not a noun phrase */
    int cap = c->a[q].cap;
    if (cap == 1 && !title) {
      /* a capitalised word only as an adjective before a lower-case noun
       * ("Russian soldiers") or as a plural acronym ("POWs") */
      if (!(np_word(c, q + 1) && c->a[q + 1].cap == 0) && !(ends_with(c, q, "s") && c->a[q].e - c->a[q].s <= 6 &&
            (unsigned char)c->t[c->a[q].s + 1] < 'a'))
        break;
    }
    last = q + 1;
    /* hyphenated compounds: "ground-based", "long-range" */
    if (is_dash(c, q + 1) && td_n_adjacent(c, q + 1) && td_n_adjacent(c, q + 2) && np_word(c, q + 2)) { q += 2; last = q + 1; }
  }
  if (!last) return 0;
  if (whole && window_cut(c, last)) return 0;
  /* drop trailing participles and adverbs: "people killed", "troops fleeing" */
  while (last > k && (ends_with(c, last - 1, "ed") || ends_with(c, last - 1, "ing") || ends_with(c, last - 1, "ly")) &&
         !(last - 1 == k && 0))
    last--;
  if (last > k && ends_with(c, last - 1, "ed") == 0 && last - 1 == k && (ends_with(c, k, "ed"))) last = k;
  /* not the head of a compound whose tail went: "raspberry-" of "raspberry-flavoured" */
  while (last > k && is_dash(c, last - 1)) last--;
  return last > k ? last : 0;
}

static size_t counted(const td_nctx *c, size_t k) { return counted_np(c, k, 0, 3, 0); }

/* What a quantity measures: "of" and a noun phrase after its unit ("3 cups
 * of sugar", "10 kg of heroin"), kept out of the text as a counted thing is.
 * Not the place a distance is measured from ("within 10 km of the border",
 * "30 miles of Baghdad"): capitalised words only in title case (the unit
 * capitalised too: "3 Cups of Sugar"), nothing after "within".  i: the
 * number's first atom, u: the unit's, k: after the unit.  Returns the atom
 * after the product (and sets r's product span), or 0. */
static size_t product(const td_nctx *c, size_t i, size_t u, size_t k, td_number *r) {
  if (!td_n_eq(c, k, "of") || !r->dim) return 0;
  if (!strcmp(r->dim, "temperature") || !strcmp(r->dim, "degree") || !strcmp(r->dim, "angle") ||
      !strcmp(r->dim, "speed") || !strcmp(r->dim, "age"))
    return 0;
  for (size_t b = i; b > 0 && i - b < 3; b--)
    if (td_n_eq(c, b - 1, "within")) return 0;
  int title = is_word(c, u) && c->a[u].cap == 1 && c->a[u].e - c->a[u].s > 2;
  size_t e = counted_np(c, k + 1, title, 4, 1);
  if (!e) return 0;
  /* the start of a name ("of northern Labrador") or a word cut from its
   * token ("CO" of "CO2") */
  if (e < c->na && !title && is_word(c, e) && c->a[e].cap && c->a[e].sp == 1 && !c->a[e].sent) return 0;
  if (e < c->na && td_n_adjacent(c, e) && (is_word(c, e) || is_num(c, e))) return 0;
  r->flags |= TD_NF_PROD_SPAN; r->prod_start = c->a[k + 1].s; r->prod_end = c->a[e - 1].e;
  return e;
}

/* "a"/"an" and a unit it counts at i ("a kilogram", "an ounce", "a cup of
 * sugar"; not "a bit", "a degree", "a foot patrol"): the unit's atom, or 0. */
static size_t a_unit(const td_nctx *c, size_t i) {
  if (!(td_n_eq(c, i, "a") || td_n_eq(c, i, "an"))) return 0;
  const td_lex *L = td_n_lex(c, i + 1, L_UNIT);
  if (!L || c->a[i + 1].sp == 0) return 0;
  if (c->a[i + 1].cap == 2 && c->a[i + 1].e - c->a[i + 1].s <= 3) return 0;   /* an acronym: "a CM build" */
  /* a rate after a number ("121.76 a litre"): the number's, not one litre */
  if (i > 0 && (is_num(c, i - 1) || td_n_lex(c, i - 1, L_NUM) || td_n_lex(c, i - 1, L_TENS) || td_n_lex(c, i - 1, L_SCALE)))
    return 0;
  if (L->sub & U_A) return i + 1;
  if ((L->sub & U_AOF) && td_n_eq(c, i + 2, "of") && np_word(c, i + 3)) return i + 1;
  return 0;
}

/* "per week", "a week", "each week", "weekly", "/km", "a share". */
static size_t rate(const td_nctx *c, size_t k, td_number *r) {
  static const struct { const char *w; const char *unit; } adv[] = {
    { "hourly", "hour" }, { "daily", "day" }, { "nightly", "night" }, { "weekly", "week" },
    { "monthly", "month" }, { "quarterly", "quarter" }, { "yearly", "year" }, { "annually", "year" },
  };
  static const char *const tu_names[] = { NULL, "second", "minute", "hour", "day", "night", "week",
                                          "fortnight", "weekend", "month", "quarter", "year", "decade", "century" };
  for (size_t t = 0; t < sizeof adv / sizeof adv[0]; t++)
    if (td_n_eq(c, k, adv[t].w) && !is_word(c, k + 1)) { r->per = adv[t].unit; return k + 1; }
  size_t q = 0;
  if (td_n_eq(c, k, "per") || td_n_eq(c, k, "each") || td_n_eq(c, k, "every") || (td_n_punct(c, k, '/') && td_n_adjacent(c, k + 1)))
    q = k + 1;
  else if (td_n_eq(c, k, "a") || td_n_eq(c, k, "an")) q = k + 1;
  if (!q) return 0;
  if (td_n_eq(c, q, "cent") && td_n_eq(c, k, "per")) return 0;
  const td_lex *L = td_n_lex(c, q, L_TUNIT);
  if (L) {
    if (td_n_eq(c, k, "a") && td_n_eq(c, q, "second")) return 0;
    r->per = tu_names[L->sub];
    return q + 1;
  }
  if (td_n_eq(c, k, "a") || td_n_eq(c, k, "an") || td_n_eq(c, k, "each") || td_n_eq(c, k, "every")) {
    const td_lex *U = td_n_lex(c, q, L_UNIT);   /* "a barrel", "an ounce", "a kWh" */
    if (td_n_eq(c, q, "share") || td_n_eq(c, q, "head") || td_n_eq(c, q, "person") || td_n_eq(c, q, "piece") ||
        (U && U->sub)) {
      r->flags |= TD_NF_PER_SPAN; r->per_start = c->a[q].s; r->per_end = c->a[q].e;
      return q + 1;
    }
    return 0;
  }
  /* per + a unit or a noun */
  const char *sym, *dim;
  size_t u = unit_at(c, q, 1, &sym, &dim);
  if (u) { r->per = sym; return u; }
  if (np_word(c, q) && td_n_eq(c, k, "per")) {
    r->flags |= TD_NF_PER_SPAN; r->per_start = c->a[q].s; r->per_end = c->a[q].e;
    return q + 1;
  }
  return 0;
}

/* Is atom i a "one" that is a pronoun or part of a name? */
static int pronoun_one(const td_nctx *c, size_t i, const td_nval *nv) {
  if (!td_n_eq(c, i, "one") || nv->end != i + 1) return 0;
  if (i > 0) {
    static const char *const det[] = { "no", "any", "every", "each", "this", "that", "the", "which", "some",
                                       "someone", "another", "last", "next", "new", "little", "only", "such", "a",
                                       "what", "whichever", "right", "wrong", "big", "other", "same", "first", "latest",
                                       "old", "good", "bad", "younger", "older", "current", "loved", "chosen", NULL };
    for (int k = 0; det[k]; k++) if (td_n_eq(c, i - 1, det[k])) return 1;
    if (c->a[i].cap && !c->a[i].sent && is_word(c, i - 1) && c->a[i - 1].cap) return 1;   /* Air Force One */
  }
  static const char *const after[] = { "of", "another", "is", "was", "must", "can", "could", "should", "would",
                                       "may", "might", "has", "had", "does", "did", "will", "who", "that", "which",
                                       "or", "after", "by", "at", "on", "to", "thing", "way", NULL };
  size_t n = i + 1;
  if (n >= c->na || !is_word(c, n)) return 1;
  for (int k = 0; after[k]; k++) if (td_n_eq(c, n, after[k])) return 1;
  if (td_n_eq(c, n, "you") || td_n_eq(c, n, "i") || td_n_eq(c, n, "he") || td_n_eq(c, n, "she")) return 1;
  return 0;
}

static int roman_value(const td_nctx *c, size_t i, double *v) {
  if (!is_word(c, i) || c->a[i].cap != 2) return 0;
  int total = 0, prevv = 0;
  for (uint32_t k = c->a[i].e; k > c->a[i].s; k--) {
    int val;
    switch (c->t[k - 1]) {
      case 'I': val = 1; break; case 'V': val = 5; break; case 'X': val = 10; break;
      case 'L': val = 50; break; case 'C': val = 100; break; case 'D': val = 500; break;
      case 'M': val = 1000; break; default: return 0;
    }
    if (val < prevv) total -= val; else { total += val; prevv = val; }
  }
  *v = total;
  return total > 0;
}

/* Roman numerals count only after words that number things: "Chapter IV",
 * "Article III", "Phase II" (World War II, Elizabeth II are names). */
static size_t roman(td_nctx *c, size_t i, td_number *r) {
  static const char *const keys[] = { "chapter", "article", "part", "phase", "stage", "volume", "vol", "section",
                                      "title", "book", "act", "round", "class", "category", "level", "type", "grade",
                                      "schedule", "annex", "appendix", "psalm", "canto", "tier", NULL };
  double v;
  if (i == 0 || !roman_value(c, i, &v)) return 0;
  size_t p = i - 1;
  if (td_n_punct(c, p, '.') && p > 0) p--;
  for (int k = 0; keys[k]; k++)
    if (td_n_eq(c, p, keys[k])) {
      memset(r, 0, sizeof *r);
      r->kind = TD_N_ORDINAL; r->value = v; r->flags = TD_NF_VALUE;
      r->start = c->a[i].s; r->end = c->a[i].e;
      return i + 1;
    }
  return 0;
}

/* Vague quantities: "hundreds of", "tens of thousands of", "dozens of". */
static size_t vague(const td_nctx *c, size_t i, td_number *r) {
  size_t k = i;
  double v = 0;
  const td_lex *L;
  if (td_n_eq(c, k, "tens") && td_n_eq(c, k + 1, "of") && (L = td_n_lex(c, k + 2, L_SCALE)) && L->sub == 2) {
    v = 20 * L->val; k += 3;
  } else if ((L = td_n_lex(c, k, L_SCALE)) && (L->sub == 2 || (L->sub == 1 && td_n_eq(c, k, "dozens")))) {
    v = 2 * L->val; k++;
    /* "hundreds of thousands" */
    const td_lex *S;
    if (td_n_eq(c, k, "of") && (S = td_n_lex(c, k + 1, L_SCALE)) && S->sub == 2) { v *= S->val; k += 2; }
  } else return 0;
  memset(r, 0, sizeof *r);
  r->kind = TD_N_CARDINAL; r->value = v; r->bound = TD_B_GE; r->flags = TD_NF_VALUE;
  r->start = c->a[i].s; r->end = c->a[k - 1].e;
  return k;
}

static int year_like(const td_nval *nv) {
  return nv->plain && nv->ndig == 4 && nv->kind == TD_N_CARDINAL && nv->v >= 1000 && nv->v <= 2999;
}

/* A bare number at i with what follows: percent, unit, counted thing. */
static size_t amount(td_nctx *c, size_t i, td_number *r) {
  td_nval nv;
  size_t e;
  if ((e = money(c, i, r))) {
    size_t pe = rate(c, e, r);   /* the rate is an attribute, not part of the text */
    if (pe) e = pe;
    return e;
  }
  if ((e = vague(c, i, r))) {
    size_t q = e;
    if (td_n_eq(c, q, "of")) q++;
    size_t u = counted(c, q);
    if (u) { r->flags |= TD_NF_UNIT_SPAN; r->unit_start = c->a[q].s; r->unit_end = c->a[u - 1].e; }
    return e;
  }
  if ((e = roman(c, i, r))) return e;
  /* percent written before the number: "percent of 10", "per cent of 210" */
  size_t ps = percent_suffix(c, i);
  if (ps && td_n_eq(c, ps, "of") && td_n_number(c, ps + 1, 2, &nv) && nv.kind == TD_N_CARDINAL && !is_word(c, nv.end)) {
    memset(r, 0, sizeof *r);
    r->kind = TD_N_PERCENT; r->value = nv.v; r->flags = TD_NF_VALUE; r->unit = "%";
    r->start = c->a[i].s; r->end = c->a[nv.end - 1].e;
    return nv.end;
  }
  /* "a kilogram", "a cup of sugar"; "half a mile", "a quarter a cup" */
  size_t h = i;
  double hv = 1;
  const td_lex *D;
  if ((td_n_eq(c, h, "a") || td_n_eq(c, h, "an")) && (D = td_n_lex(c, h + 1, L_DENOM)) && !D->sub && a_unit(c, h + 2)) {
    hv = 1 / D->val; h += 2;
  } else if ((D = td_n_lex(c, h, L_DENOM)) && !D->sub && a_unit(c, h + 1)) {
    hv = 1 / D->val; h += 1;
  }
  size_t au = a_unit(c, h);
  if (au) {
    const char *sym = NULL, *dim = NULL;
    size_t u = unit_at(c, au, 0, &sym, &dim);
    if (u) {
      memset(r, 0, sizeof *r);
      r->kind = TD_N_QUANTITY; r->value = hv; r->flags = TD_NF_VALUE; r->unit = sym; r->dim = dim;
      r->start = c->a[i].s; r->end = c->a[u - 1].e;
      e = u;
      size_t pp = product(c, i, au, e, r);
      if (pp) e = pp;
      size_t pe = rate(c, e, r);
      return pe ? pe : e;
    }
  }
  if (!td_n_number(c, i, 0, &nv)) return 0;
  /* hundreds said as digit groups: "one twenty-two" is 122 (a units word
   * and a tens-and-units compound, not "one twenty", a clock time, nor a
   * compound adjective "one twenty-two-year-old") */
  if (nv.words && nv.kind == TD_N_CARDINAL && nv.end == i + 1 && nv.v >= 1 && nv.v <= 9 && td_n_lex(c, i, L_NUM) &&
      td_n_lex(c, i + 1, L_TENS) && c->a[i + 1].sp == 1) {
    td_nval n2;
    if (td_n_number(c, i + 1, 2 | 4, &n2) && n2.words && n2.kind == TD_N_CARDINAL && n2.isint && n2.v > 20 &&
        n2.v < 100 && fmod(n2.v, 10) != 0 && !(is_dash(c, n2.end) && td_n_adjacent(c, n2.end)) &&
        !td_n_lex(c, n2.end, L_TUNIT) && !td_n_lex(c, n2.end, L_SCALE) && !td_n_lex(c, n2.end, L_UNIT) &&
        !td_n_lex(c, n2.end, L_CUR) && !percent_suffix(c, n2.end)) {   /* "two fifty five dollars": $2.55? */
      nv.v = nv.v * 100 + n2.v; nv.end = n2.end;
    }
  }
  fraction_tail(c, &nv);
  if (pronoun_one(c, i, &nv)) return 0;
  /* the same number in words and in digits: "forty-five (45)", "45 (forty-five)" */
  if (nv.kind == TD_N_CARDINAL && td_n_punct(c, nv.end, '(')) {
    td_nval n2;
    if (td_n_number(c, nv.end + 1, 2, &n2) && n2.kind == TD_N_CARDINAL && n2.v == nv.v &&
        (n2.words != 0) != (nv.words != 0) && td_n_punct(c, n2.end, ')'))
      nv.end = n2.end + 1;
  }
  if (is_num(c, i) && i >= 2 && is_dash(c, i - 1) && td_n_adjacent(c, i) && td_n_adjacent(c, i - 1) && is_word(c, i - 2)) {
    memset(r, 0, sizeof *r);   /* an identifier: F-16, MH-17, COVID-19 */
    return nv.end;
  }
  if (nv.plain && is_word(c, nv.end) && td_n_adjacent(c, nv.end) && is_num(c, nv.end + 1) && td_n_adjacent(c, nv.end + 1)) {
    memset(r, 0, sizeof *r);   /* 24703 m212, 3G4 */
    return nv.end + 2;
  }
  e = nv.end;
  memset(r, 0, sizeof *r);
  r->kind = (uint8_t)nv.kind; r->value = nv.v; r->flags = TD_NF_VALUE;
  r->start = c->a[i].s; r->end = c->a[e - 1].e;
  /* phone numbers and identifiers: 222-2222-2222, +1-222-..., 24703 L-202 */
  if (nv.plain && is_dash(c, e) && td_n_adjacent(c, e) && is_num(c, e + 1) && td_n_adjacent(c, e + 1) &&
      is_dash(c, e + 2) && is_num(c, e + 3)) {
    size_t q = e;
    while (q < c->na && (is_num(c, q) || is_dash(c, q) || td_n_punct(c, q, '/')) && td_n_adjacent(c, q)) q++;
    r->end = r->start;
    return q;   /* skipped: not a number */
  }
  size_t ps2 = percent_suffix(c, e);
  if (ps2 && nv.kind != TD_N_ORDINAL) {
    r->kind = TD_N_PERCENT; r->unit = "%";
    if (ps2 - e == 2 && td_n_eq(c, e, "percentage")) r->unit = "percentage point";
    r->end = c->a[ps2 - 1].e;
    return ps2;
  }
  /* an age in years: "87 yo" */
  if (nv.kind == TD_N_CARDINAL && nv.isint && nv.v > 0 && nv.v < 150 && td_n_eq(c, e, "yo")) {
    r->kind = TD_N_QUANTITY; r->unit = "year"; r->dim = "age";
    r->end = c->a[e].e;
    return e + 1;
  }
  /* a unit: "17 km", "3-inch", "10 1/2 miles", "5 ft 2 in" */
  const char *sym = NULL, *dim = NULL;
  size_t q = e;
  int hy = 0;
  if (is_dash(c, q) && td_n_adjacent(c, q) && td_n_adjacent(c, q + 1)) { q++; hy = 1; }
  size_t u = nv.kind != TD_N_ORDINAL ? unit_at(c, q, td_n_adjacent(c, q), &sym, &dim) : 0;
  if (u) {
    r->kind = TD_N_QUANTITY; r->unit = sym; r->dim = dim;
    r->end = c->a[u - 1].e;
    e = u;
    /* "5 ft 2 in", "5 feet and 2 inches" */
    if (!hy && (!strcmp(sym, "ft"))) {
      size_t z = e;
      if (td_n_eq(c, z, "and")) z++;
      td_nval n2; const char *s2, *d2;
      if (td_n_number(c, z, 2, &n2) && n2.v < 12) {
        size_t u2 = 0;
        if (td_n_eq(c, n2.end, "in") || td_n_eq(c, n2.end, "inch") || td_n_eq(c, n2.end, "inches")) u2 = n2.end + 1;
        else if (unit_at(c, n2.end, 1, &s2, &d2) && !strcmp(s2, "in")) u2 = unit_at(c, n2.end, 1, &s2, &d2);
        if (u2) { r->value += n2.v / 12; r->end = c->a[u2 - 1].e; e = u2; }
      }
    }
    size_t pp = product(c, i, q, e, r);
    if (pp) e = pp;
    size_t pe = rate(c, e, r);   /* the rate is an attribute, not part of the text */
    if (pe) e = pe;
    return e;
  }
  if (hy) return e;
  /* a counted thing, then a rate */
  if (nv.kind == TD_N_CARDINAL || nv.kind == TD_N_ORDINAL || nv.kind == TD_N_FRACTION) {
    if (year_like(&nv) && !(is_word(c, e) && c->a[e].cap == 0)) return e;
    q = e;
    if (nv.kind == TD_N_FRACTION && td_n_eq(c, q, "of")) return e;
    u = counted(c, q);
    if (u) {
      r->flags |= TD_NF_UNIT_SPAN; r->unit_start = c->a[q].s; r->unit_end = c->a[u - 1].e;
      size_t pe = rate(c, u, r);
      if (pe) return pe;   /* the rate belongs to the number but is not in its text */
      return e;
    }
    if (nv.kind != TD_N_ORDINAL) rate(c, e, r);
  }
  return e;
}

/* ---- ranges ------------------------------------------------------------ */

/* The scalar value an amount contributes to a range, and whether two sides
 * can pair up (same kind, or a bare number with a unit on the other side). */
static int range_compatible(const td_number *a, const td_number *b) {
  if (a->kind == b->kind) return !(a->unit && b->unit && strcmp(a->unit, b->unit));
  /* "half a million to one million", "1½ to 2" */
  if ((a->kind == TD_N_CARDINAL || a->kind == TD_N_FRACTION) && (b->kind == TD_N_CARDINAL || b->kind == TD_N_FRACTION))
    return !(a->unit && b->unit && strcmp(a->unit, b->unit));
  if (a->kind == TD_N_CARDINAL && (b->kind == TD_N_PERCENT || b->kind == TD_N_MONEY || b->kind == TD_N_QUANTITY) &&
      !(a->flags & TD_NF_UNIT_SPAN))
    return 1;
  return 0;
}

static void make_range(td_number *r, const td_number *lo, const td_number *hi, uint32_t start, uint32_t end) {
  td_number t = *hi;
  t.kind = TD_N_RANGE;
  t.low = lo->value; t.high = hi->value;
  t.flags = (uint16_t)((hi->flags & ~TD_NF_VALUE) | TD_NF_LOW | TD_NF_HIGH);
  if (!t.unit && lo->unit) { t.unit = lo->unit; t.dim = lo->dim; }
  if (!(t.flags & TD_NF_UNIT_SPAN) && (lo->flags & TD_NF_UNIT_SPAN)) {
    t.flags |= TD_NF_UNIT_SPAN; t.unit_start = lo->unit_start; t.unit_end = lo->unit_end;
  }
  if (lo->kind == TD_N_CARDINAL && hi->kind != TD_N_CARDINAL) { /* "10-15%" keeps the unit */ }
  t.start = start; t.end = end;
  t.bound = TD_B_NONE;
  t.value = 0;
  *r = t;
}

/* ---- driver ------------------------------------------------------------ */

/* Words that can start an expression without a lexicon entry (sorted). */
static const char *const starters[] = {
  "a", "about", "above", "after", "age", "aged", "all", "almost", "amun", "an", "annually", "another", "any",
  "approx", "approximately", "arafat", "armistice", "around", "as", "ascension", "ash", "at", "australia",
  "bakr", "bakrid", "bastille", "before", "beginning", "between", "biannually", "bigger", "biweekly", "black",
  "boxing", "branch", "by", "ca", "canada", "christmas", "circa", "civil", "close", "columbus", "coming",
  "current", "cyber", "daily", "dala", "each", "earlier", "early", "earth", "end", "entire", "equal",
  "equaling", "equals", "every", "everyday", "exactly", "father", "father's", "fathers", "feast", "few",
  "fewer", "following", "fortnight", "fortnightly", "from", "full", "good", "greater", "groundhog", "guru",
  "half", "halloween", "higher", "hijri", "holocaust", "holy", "hourly", "id", "in", "independence",
  "international", "islamic", "isra", "jamat", "jumu'atul", "jumuatul", "just", "king", "king's", "kings",
  "labor", "lag", "larger", "last", "late", "later", "laylat", "lazarus", "less", "lower", "lunar", "maha",
  "martin", "maundy", "memorial", "mid", "midafternoon", "midday", "midmorning", "midnight", "minus", "mlk", "month", "monthly", "more",
  "mother", "mother's", "mothers", "nearly", "negative", "new", "next", "nightly", "no", "noon", "noonish",
  "north", "not", "on", "once", "only", "orthodox", "palm", "pancake", "past", "per", "percent", "preceding",
  "present", "president", "president's", "presidents", "presidents'", "previous", "prior", "quarterly", "ram",
  "rama", "remembrance", "rest", "right", "sacrifice", "saint", "several", "shrove", "shy", "since",
  "slightly", "smaller", "some", "sooner", "st", "start", "starting", "surya", "tens", "thai", "thanksgiving",
  "the", "this", "thrice", "through", "thru", "till", "tu", "twice", "until", "up", "upcoming", "upwards",
  "valentine", "valentine's", "valentines", "veterans", "victory", "week", "weekend", "weekly", "well", "whit",
  "white", "whole", "within", "xmas", "yearly",
};
static const size_t n_starters = sizeof starters / sizeof starters[0];

/* Starters that make sense on their own (the others need a number-like
 * atom close after them), and the nouns that make "a" a number ("a dollar",
 * "a couple of"). */
static const char *const lone_starters[] = {
  "afternoon", "afternoons", "akshaya", "annual", "annually", "ashura", "autumn", "baisakhi", "basant", "bhai", "bhau",
  "bhogi", "biannually", "biweekly", "buck", "buddha", "cent", "chaitra", "chanukah", "chanukkah", "chhath",
  "chhoti", "chinese", "christmas", "cinco", "couple", "daily", "daytime", "dasara", "deepavali", "dhanatrayodashi",
  "dhanteras", "dhulandi", "dhulheti", "diwali", "dollar", "durga", "dussehra", "easter", "eid", "eom",
  "eoy", "euro", "eve", "evening", "evenings", "everyday", "fortnight", "fortnightly", "franc", "ganesh", "gokulashtami",
  "govardhan", "gudi", "halloween", "hannukah", "hannukkah", "hanukah", "hanukkah", "hanuman", "holi",
  "holika", "hourly", "jamshedi", "janmashtami", "juneteenth", "kaanum", "kamudu", "karva", "karwa",
  "koningsdag", "krishna", "lakshmi", "lohri", "maattu", "maghi", "maha", "mahashivaratri", "mahavir",
  "makar", "makara", "mardi", "mattu", "mawlid", "midafternoon", "midday", "midmorning", "midnight", "monthly", "morning", "mornings", "navaratri",
  "navratri", "nightly", "nights", "nighttime", "noon", "noonish", "onam", "pair", "pargat", "parsi", "passover", "penny",
  "pentecost", "pesach", "peso", "phagwah", "pohela", "pongal", "pound", "purim", "puthandu", "quarterly",
  "rabindra", "rabindranath", "rakhi", "raksha", "ramadan", "rath", "ratha", "rosh", "rouble", "ruble",
  "rupee", "samvatsaradi", "saraswati", "shab", "shavuos", "shavuot", "shemini", "shushan", "simchas",
  "simchat", "spring", "succos", "succot", "sukkos", "sukkot", "summer", "thanksgiving", "thiru",
  "thiruvonam", "tisha", "ugadi", "vaisakha", "vaisakhi", "valentine", "valentine's", "valentines",
  "valmiki", "vasant", "vesak", "vijayadashami", "vinayaka", "vishu", "weekly", "whitsun", "winter", "xmas",
  "yearly", "yen", "yom", "yuan", "yugadi",
  /* decades in words ("the nineties"; numbers_dates.c takes the "the" before them) */
  "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties", "noughties", "naughties",
  /* meal times ("lunchtime", "after lunch"; numbers_dates.c meal takes the cue before them) */
  "breakfast", "dinner", "dinnertime", "lunch", "lunchtime", "supper", "suppertime",
};
static const size_t n_lone_starters = sizeof lone_starters / sizeof lone_starters[0];

static int roman_value(const td_nctx *c, size_t i, double *v);

/* An atom that can be the core of an expression: digits, a value word
 * (not a modifier, unit or currency word alone), a Roman numeral, a
 * currency sign. */
static int numberish(const td_nctx *c, size_t i) {
  const td_natom *a = &c->a[i];
  if (a->cls == AC_NUM) return 1;
  if (a->cls == AC_WORD) {
    double v;
    if (a->val || (a->wf & 2)) return 1;   /* "next spring", "this Christmas" */
    if (a->cap == 2 && roman_value(c, i, &v)) return 1;
    if (td_n_eq(c, i, "couple") || td_n_eq(c, i, "pair")) return 1;   /* "a couple of" */
    if (a_unit(c, i)) return 1;                                         /* "more than a mile" */
    return td_n_punct(c, i + 1, '$');                                   /* "US$" */
  }
  if (a->cls == AC_SYM) return a->cp > 0 && (sym_currency(a->cp) != NULL || a->cp == 0xBD || a->cp == 0xBC || a->cp == 0xBE);
  return a->cp == '$';
}

/* A core atom (numberish) among atoms i+1 .. i+n. */
static int core_within(const td_nctx *c, size_t i, size_t n) {
  for (size_t k = i + 1; k < c->na && k <= i + n; k++)
    if (numberish(c, k)) return 1;
  return 0;
}

static const char *iso_code(const td_nctx *c, size_t i, int need_upper);

/* Words that can stand between a starter and its number: "less than or
 * equal to 30", "in the region of", "the middle of the century", "as many
 * as", "a minimum of".  (Starters themselves can too.) */
static int glue_word(const td_nctx *c, size_t k) {
  static const char *const glue[] = { "of", "than", "to", "or", "least", "most", "middle", "region", "order",
                                      "excess", "many", "much", "little", "minimum", "maximum", "estimated",
                                      "and", "beginning", "first", "turn", "cent", "other", "my", "our",
                                      "their", "his", "her", "its", "mornings", "afternoons", "evenings",
                                      "nights", NULL };
  if (!is_word(c, k)) return 0;
  /* glue[]'s words by their first two bytes: most atoms have none of them */
  if (!td_n_pair_in(c, k, "ofthtoorlemomireexmamuliesanbefituceotmyouhiheitafevni")) return 0;
  for (int t = 0; glue[t]; t++) if (td_n_eq(c, k, glue[t])) return 1;
  return 0;
}

/* A starter word starts something only when a number-like atom follows
 * within five atoms; after a common function word only through starters
 * and glue words: "the 18th", "by the end of this year", "in the region of
 * US$140bn"; not "the company's 2008 results" (the number starts on its
 * own). */
static int starter_word(const td_nctx *c, size_t i) {
  static const char *const common[] = { "the", "in", "on", "a", "an", "at", "by", "as", "from", "this", "only",
                                        "after", NULL };
  const td_natom *a = &c->a[i];
  if (a->wf & 2) return 1;
  if (!(a->wf & 1)) return 0;
  /* the rarer starters (holiday names: "Martin Luther King Day") take any
   * words between; the common function words only glue */
  int strict = 0;
  for (int t = 0; common[t] && !strict; t++) strict = td_n_eq(c, i, common[t]);
  if (!strict) return core_within(c, i, 5);
  for (size_t k = i + 1; k < c->na && k <= i + 5; k++) {
    if (numberish(c, k)) return 1;
    if (is_word(c, k) && ((c->a[k].wf & 1) || (c->a[k].types & (1u << L_MOD)) || glue_word(c, k) ||
                          iso_code(c, k, 1)))
      continue;   /* "just over 3%", "more than GBP 100 million" */
    if (is_dash(c, k) && td_n_adjacent(c, k)) continue;   /* "mid-June" */
    if ((td_n_punct(c, k, '\'') || td_n_punct(c, k, 0x2019) || td_n_eq(c, k, "s")) && td_n_adjacent(c, k))
      continue;                                            /* "valentine's day" */
    return 0;
  }
  return 0;
}

/* Can atom i start anything?  A cheap class check first: value words and
 * digits start on their own; modifiers, units, currency words, capitals
 * and signs only with a core atom close after them. */
static int may_start(const td_nctx *c, size_t i) {
  const td_natom *a = &c->a[i];
  if (a->cls == AC_NUM) return 1;
  if (a->cls == AC_WORD) {
    if (a->val) return 1;
    if (td_n_punct(c, i + 1, '$')) return 1;
    if (c->o->relative && (rel_word(c->t + a->s, a->e - a->s) ||
                           (td_n_eq(c, i, "the") && i + 1 < c->na &&
                            rel_word(c->t + c->a[i + 1].s, c->a[i + 1].e - c->a[i + 1].s))))
      return 1;
    if (a->lex >= 0 || a->cap == 2) {
      double v;
      if (a->cap == 2 && i > 0 && roman_value(c, i, &v)) return 1;
      if (core_within(c, i, 4)) return 1;
    }
    if (a->e - a->s == 1 && is_num(c, i + 1)) return 1;
    if (a->e - a->s == 2 && a->lc0 == 'r') { const char *code; if (rupee_prefix(c, i, &code)) return 1; }
    if (a_unit(c, i)) return 1;
    return starter_word(c, i);
  }
  if (a->cls == AC_SYM) {
    if (sym_currency(a->cp) != NULL || a->cp == 0xBD || a->cp == 0xBC || a->cp == 0xBE) return 1;
    return (a->cp == 0x2248 || a->cp == 0x2265 || a->cp == 0x2264 || a->cp == 0x2212) && core_within(c, i, 2);
  }
  if (a->cp == '$') return 1;
  if (a->cp == '-' && td_n_punct(c, i + 1, '.') && is_num(c, i + 2)) return 1;   /* "-.5" */
  if (a->cp == '-' || a->cp == '~' || a->cp == '\'') return core_within(c, i, 1);
  if (a->cp == '>' || a->cp == '<') return core_within(c, i, 3);   /* "<= -30" */
  return 0;
}

/* Unicode vulgar fractions ½ ¼ ¾ alone or after digits. */
static size_t vulgar(td_nctx *c, size_t i, td_number *r) {
  size_t k = i;
  double v = 0;
  if (is_num(c, k) && !c->a[k].sep && k + 1 < c->na && td_n_adjacent(c, k + 1) &&
      (td_n_punct(c, k + 1, 0xBD) || td_n_punct(c, k + 1, 0xBC) || td_n_punct(c, k + 1, 0xBE))) {
    int isint; digits_value(c, k, &v, &isint); k++;
  }
  double f;
  if (td_n_punct(c, k, 0xBD)) f = 0.5; else if (td_n_punct(c, k, 0xBC)) f = 0.25;
  else if (td_n_punct(c, k, 0xBE)) f = 0.75; else return 0;
  memset(r, 0, sizeof *r);
  r->kind = TD_N_FRACTION; r->value = v + f; r->flags = TD_NF_VALUE;
  r->start = c->a[i].s; r->end = c->a[k].e;
  k++;
  size_t ps = percent_suffix(c, k);   /* "7¼%", "2½ per cent" */
  if (ps) { r->kind = TD_N_PERCENT; r->unit = "%"; r->end = c->a[ps - 1].e; return ps; }
  const char *sym, *dim;
  size_t u = unit_at(c, k, 1, &sym, &dim);
  if (u) {
    r->kind = TD_N_QUANTITY; r->unit = sym; r->dim = dim; r->end = c->a[u - 1].e;
    size_t pp = product(c, i, k, u, r);   /* "½ cup of sugar" */
    return pp ? pp : u;
  }
  return k;
}

/* One expression at i (no modifier): the longest of date/time, duration
 * and amount (a date wins a tie). */
/* After a duration: "old", "-old", "of age", "yo" make it an age ("29
 * years old", "a 29-year-old man", "3 years of age").  The index after. */
static size_t age_suffix(const td_nctx *c, size_t k) {
  if (is_dash(c, k) && td_n_adjacent(c, k) && td_n_adjacent(c, k + 1)) k++;
  if (td_n_eq(c, k, "old") || td_n_eq(c, k, "yo")) return k + 1;
  if (td_n_eq(c, k, "of") && td_n_eq(c, k + 1, "age")) return k + 2;
  return 0;
}

/* An age: a quantity of dimension "age" in the duration's unit. */
static void make_age(td_nctx *c, td_number *r, size_t end) {
  r->kind = TD_N_QUANTITY;
  r->dim = "age";
  r->end = c->a[end - 1].e;
  r->timex[0] = r->timex_raw[0] = '\0';
}

/* "age 87", "aged 29": an age in years before the number. */
static size_t age_prefix(td_nctx *c, size_t i, td_number *r) {
  td_nval nv;
  if (!(td_n_eq(c, i, "age") || td_n_eq(c, i, "aged")) || !td_n_number(c, i + 1, 2 | 4, &nv) ||
      nv.kind != TD_N_CARDINAL || !nv.isint || nv.v <= 0 || nv.v >= 150 || td_n_lex(c, nv.end, L_TUNIT))
    return 0;
  memset(r, 0, sizeof *r);
  r->kind = TD_N_QUANTITY; r->value = nv.v; r->flags = TD_NF_VALUE; r->unit = "year"; r->dim = "age";
  r->start = c->a[i].s; r->end = c->a[nv.end - 1].e;
  return nv.end;
}

/* The verb "last" ("will last", "to last", "didn't last"), "at last". */
static int last_not_ordinal(const td_nctx *c, size_t i) {
  static const char *const before[] = { "at", "to", "will", "would", "could", "can", "may", "might", "must",
                                        "should", "not", "cannot", "it", "they", "which", NULL };
  if (i == 0) return 0;
  if (is_word(c, i - 1) && (ends_with(c, i - 1, "n't") || td_n_eq(c, i - 1, "n't"))) return 1;
  for (int k = 0; before[k]; k++) if (td_n_eq(c, i - 1, before[k])) return 1;
  return 0;
}

/* Relative ordinals (opts.relative), as an offset from the end or from the
 * current item: "penultimate" (end-1), "antepenultimate" (end-2), "next
 * to last", "the second to last", "third to last" (end-2), "the last but
 * one", "the one before the last (one)", "last" (end+0), "next (one)"
 * (current+1), "previous (one)" (current-1), "current (one)" (current+0).
 * "previous" and "current" only before a word ("the current one"; not "the
 * ocean current."), "next" not as "next to" or "next of kin", "last" not as
 * a verb ("will last") or in "at last". */
static size_t rel_ordinal(const td_nctx *c, size_t i, td_number *r) {
  int off = 0;
  const char *rel = "end";
  size_t e = 0, k = i;
  td_nval nv;
  int the = td_n_eq(c, k, "the");
  if (the) k++;
  if (the && td_n_eq(c, k, "one") && td_n_eq(c, k + 1, "before") && td_n_eq(c, k + 2, "the") && td_n_eq(c, k + 3, "last")) {
    off = -1; e = k + 4;
    if (td_n_eq(c, e, "one")) e++;
  } else if (td_n_eq(c, k, "last") && td_n_eq(c, k + 1, "but") && td_n_number(c, k + 2, 2 | 4, &nv) &&
             nv.kind == TD_N_CARDINAL && nv.isint && nv.v >= 1 && nv.v < 10) {
    off = -(int)nv.v; e = nv.end;
  } else if (td_n_eq(c, k, "next") && td_n_eq(c, k + 1, "to") && td_n_eq(c, k + 2, "last")) {
    off = -1; e = k + 3;
  } else if (td_n_number(c, k, 2 | 4, &nv) && nv.kind == TD_N_ORDINAL && nv.v >= 2 && nv.v < 100 &&
             td_n_eq(c, nv.end, "to") && td_n_eq(c, nv.end + 1, "last")) {
    off = -(int)(nv.v - 1); e = nv.end + 2;
  } else if (the) {
    return 0;
  } else if (td_n_eq(c, k, "penultimate")) {
    off = -1; e = k + 1;
  } else if (td_n_eq(c, k, "antepenultimate")) {
    off = -2; e = k + 1;
  } else if (td_n_eq(c, k, "last")) {
    if (last_not_ordinal(c, k)) return 0;
    e = k + 1;
  } else if (td_n_eq(c, k, "next") || td_n_eq(c, k, "previous") || td_n_eq(c, k, "current")) {
    rel = "current";
    off = td_n_eq(c, k, "next") ? 1 : td_n_eq(c, k, "previous") ? -1 : 0;
    if (td_n_eq(c, k + 1, "one")) e = k + 2;
    else if (off == 1) {
      if (td_n_eq(c, k + 1, "to") || td_n_eq(c, k + 1, "of")) return 0;
      e = k + 1;
    } else if (is_word(c, k + 1)) e = k + 1;
    else return 0;
  } else return 0;
  memset(r, 0, sizeof *r);
  r->kind = TD_N_ORDINAL; r->value = off; r->flags = TD_NF_VALUE; r->rel = rel;
  r->start = c->a[i].s; r->end = c->a[e - 1].e;
  return e;
}

/* A date or time at i, which does not end in the number of a percentage,
 * an amount of money or a quantity: "rose by 10 percent", "by 5 degrees",
 * "from 2 to 7 g". */
static size_t date_at(td_nctx *c, size_t i, td_number *dt) {
  size_t ed = td_n_datetime(c, i, dt);
  if (ed > i + 1 && ed < c->na && is_num(c, ed - 1)) {
    const char *sym, *dim, *code;
    double factor;
    size_t first, z = ed;
    const td_lex *S = td_n_lex(c, z, L_SCALE);
    if (S && S->sub == 0 && z + 1 < c->na) z++;   /* "7-9 lakh rupees" */
    if (percent_suffix(c, z) || unit_at(c, z, td_n_adjacent(c, z), &sym, &dim) ||
        (currency_word(c, z, &code, &factor, &first) && first == z) || iso_code(c, z, 1)) {
      /* the longest date before that number ("on March 3 by 5%") */
      size_t na = c->na;
      c->na = ed - 1;
      ed = c->na > i ? td_n_datetime(c, i, dt) : 0;
      c->na = na;
      if (dt->kind != TD_N_DATE) ed = 0;   /* not "from 2" of "from 2 to 7 g" */
    }
  }
  return ed;
}

static size_t expression(td_nctx *c, size_t i, td_number *r, const td_number *dt, size_t edt) {
  td_number d, u, m;
  size_t ed;
  size_t ea = age_prefix(c, i, r);
  if (ea) return ea;
  if (dt) { d = *dt; ed = edt; } else ed = date_at(c, i, &d);
  size_t eu = td_n_duration(c, i, &u);
  if (eu && (u.flags & TD_NF_VALUE) && u.bound == TD_B_NONE && (ea = age_suffix(c, eu)) != 0) {
    *r = u;
    make_age(c, r, ea);
    return ea;
  }
  size_t em = amount(c, i, &m);
  td_number vf;
  size_t ev = vulgar(c, i, &vf);   /* "1½ cups": longer than the "1" an amount reads */
  if (ev > em) { em = ev; m = vf; }
  if (ed && ed >= eu && ed >= em) { *r = d; return ed; }
  if (eu && eu >= em) {
    *r = u;
    size_t pe = rate(c, eu, r);   /* "10 hours a day": per = day */
    return pe ? pe : eu;
  }
  if (em && m.end > m.start) { *r = m; return em; }
  if (em) { memset(r, 0, sizeof *r); return em; }   /* skipped span (identifier) */
  return 0;
}

static uint32_t atom_index_of(const td_nctx *c, uint32_t byte_end) {
  (void)c; return byte_end;
}

static int run(td_nctx *c) {
  size_t i = 0;
  while (i < c->na) {
    if (!may_start(c, i)) { i++; continue; }
    td_number r, r2, dt;
    int bound = TD_B_NONE;
    size_t start = i;
    size_t ed = date_at(c, i, &dt);
    if (c->o->relative) {
      /* "the second to last" is not the second of the month */
      size_t er = rel_ordinal(c, i, &r);
      if (er && er > ed) {
        if (c->nout >= c->capout &&
            td_grow(c->A, (void **)&c->out, &c->capout, c->nout + 1, sizeof *c->out) != TD_OK)
          return TD_ENOMEM;
        c->out[c->nout++] = r;
        i = er;
        continue;
      }
    }
    size_t ml = modifier(c, i, &bound);
    /* "between X and Y", "from X to Y" */
    int between = td_n_eq(c, i, "between"), from = td_n_eq(c, i, "from");
    size_t j = i + ml + (between || from ? 1 : 0);
    if (ml && (between || from)) j = i + 1;
    size_t e = expression(c, j, &r, j == i ? &dt : NULL, ed);
    if (e && r.end > r.start && j > i &&
        (r.kind == TD_N_DATE || r.kind == TD_N_TIME || r.kind == TD_N_SET || (r.kind == TD_N_RANGE && r.dim && !strcmp(r.dim, "time"))))
      e = 0;   /* modifiers before dates are the dates' business (numbers_dates.c) */
    if (ed && (!e || ed >= e)) {
      if (c->nout >= c->capout &&
          td_grow(c->A, (void **)&c->out, &c->capout, c->nout + 1, sizeof *c->out) != TD_OK)
        return TD_ENOMEM;
      c->out[c->nout++] = dt;
      i = ed;
      continue;
    }
    if (!e || r.end <= r.start) {
      if (e) { i = e; continue; }
      i++;
      continue;
    }
    /* ranges: "X to Y", "X-Y", "X and Y" after between, "X or more" */
    size_t k = e;
    int isrange = 0;
    if (r.kind != TD_N_DATE && r.kind != TD_N_TIME && r.kind != TD_N_SET) {
      size_t sep = 0;
      if (between && td_n_eq(c, k, "and")) sep = k + 1;
      else if ((is_dash(c, k) && !(r.flags & TD_NF_UNIT_SPAN)) || td_n_eq(c, k, "to") || (td_n_eq(c, k, "through") && 1) ||
               (td_n_eq(c, k, "and") && from == 0 && 0))
        sep = k + 1;
      /* "three-nought-four": a chain of hyphenated numbers is not a range */
      if (sep && is_dash(c, k) && td_n_adjacent(c, k) &&
          ((j > 0 && is_dash(c, j - 1) && td_n_adjacent(c, j) && (is_num(c, j - 2) || td_n_lex(c, j - 2, L_NUM))) ||
           (is_dash(c, sep + 1) && td_n_adjacent(c, sep + 1) && td_n_adjacent(c, sep + 2) &&
            (is_num(c, sep + 2) || td_n_lex(c, sep + 2, L_NUM)) && td_n_lex(c, sep, L_NUM))))
        sep = 0;
      if (sep) {
        size_t e2 = expression(c, sep, &r2, NULL, 0);
        /* a vague upper side: "2 - ~7 grams", "between 2 g and about 7 g" */
        int b2 = TD_B_NONE;
        size_t m2;
        if (!e2 && (m2 = modifier(c, sep, &b2)) != 0 && b2 == TD_B_APPROX) e2 = expression(c, sep + m2, &r2, NULL, 0);
        if (e2 && r2.end > r2.start && range_compatible(&r, &r2) && r2.kind != TD_N_DATE && r2.kind != TD_N_TIME &&
            (r2.flags & TD_NF_VALUE) && (r.flags & TD_NF_VALUE) && r.value <= r2.value &&
            !(r.kind == TD_N_CARDINAL && r2.kind == TD_N_CARDINAL && td_n_eq(c, k, "to") && !between && !from &&
              !(r.flags & TD_NF_UNIT_SPAN) && !(r2.flags & TD_NF_UNIT_SPAN) && 0)) {
          if (r.kind == TD_N_CARDINAL && r2.kind != TD_N_CARDINAL) { r.unit = r2.unit; r.dim = r2.dim; }
          td_number rr;
          /* money/percent bare side: "$2m-$3m", "10–15%" */
          make_range(&rr, &r, &r2, c->a[between || from || ml ? i : j].s, r2.end);   /* "about 2-7 g" */
          if (ml && !(between || from)) rr.bound = (uint8_t)bound;
          r = rr; e = e2; isrange = 1;
          if (r2.flags & TD_NF_UNIT_SPAN) { /* keep */ }
          start = between || from ? i : (ml ? i : j);
        }
      }
      int ormore = td_n_eq(c, e, "or") && (td_n_eq(c, e + 1, "more") || td_n_eq(c, e + 1, "greater") ||
                                           td_n_eq(c, e + 1, "higher") || td_n_eq(c, e + 1, "above"));
      int orless = td_n_eq(c, e, "or") && (td_n_eq(c, e + 1, "less") || td_n_eq(c, e + 1, "fewer") ||
                                           td_n_eq(c, e + 1, "lower") || td_n_eq(c, e + 1, "below"));
      td_nval nthan;
      /* "200 or greater than 190" is two amounts; "5000 or more than." one */
      if ((ormore || orless) && td_n_eq(c, e + 2, "than") && td_n_number(c, e + 3, 0, &nthan)) ormore = orless = 0;
      if (!isrange && (ormore || orless)) {
        bound = ormore ? TD_B_GE : TD_B_LE;
        e += 2;
        if (td_n_eq(c, e, "than")) e++;
        if (!(r.flags & TD_NF_PROD_SPAN)) r.end = c->a[e - 1].e;   /* "15 grams of heroin or more": the text stays "15 grams" */
        /* the open side outweighs a vague "about": "about 500 or more" is ">= 500" from "500" */
        if (ml && !(between || from) && r.bound == TD_B_NONE && bound != TD_B_NONE) {
          int b0 = TD_B_NONE;
          modifier(c, i, &b0);
          if (b0 == TD_B_APPROX) ml = 0;
        }
        if (!ml) start = j;
      } else if (!isrange && td_n_eq(c, e, "plus") && !is_word(c, e + 1) && !is_num(c, e + 1)) {
        bound = TD_B_GE; r.end = c->a[e].e; e += 1;
      } else if (!isrange && td_n_punct(c, e, '+') && td_n_adjacent(c, e) && !is_num(c, e + 1)) {
        bound = TD_B_GE; r.end = c->a[e].e; e += 1;
      }
    }
    /* "less than 5000 or equal (to)" */
    if (!isrange && ml && (bound == TD_B_LT || bound == TD_B_GT) && td_n_eq(c, e, "or") && td_n_eq(c, e + 1, "equal")) {
      bound = bound == TD_B_LT ? TD_B_LE : TD_B_GE;
      e += 2;
      if (td_n_eq(c, e, "to")) e++;
      r.end = c->a[e - 1].e;
      if (td_n_eq(c, e, "it")) e++;
    }
    /* "greater than 100 and smaller than 300", "at most 100 and at least 20" */
    if (!isrange && ml && bound != TD_B_NONE && bound != TD_B_APPROX && bound != TD_B_EQ && td_n_eq(c, e, "and")) {
      int b2 = TD_B_NONE;
      size_t m2 = modifier(c, e + 1, &b2);
      int up1 = bound == TD_B_GT || bound == TD_B_GE, up2 = b2 == TD_B_GT || b2 == TD_B_GE;
      if (m2 && b2 != TD_B_APPROX && b2 != TD_B_EQ && up1 != up2) {
        size_t e2 = expression(c, e + 1 + m2, &r2, NULL, 0);
        if (e2 && r2.end > r2.start && (r2.flags & TD_NF_VALUE) && range_compatible(&r, &r2) &&
            ((up1 && r.value < r2.value) || (!up1 && r2.value < r.value))) {
          td_number rr;
          if (up1) make_range(&rr, &r, &r2, c->a[i].s, r2.end);
          else make_range(&rr, &r2, &r, c->a[i].s, r2.end);
          rr.start = c->a[i].s; rr.end = r2.end;
          r = rr; e = e2; isrange = 1;
        }
      }
    }
    if (!isrange) {
      if ((between || from) && !ml) { start = j; }
      else if (between || from) start = j;
      if (ml && !(between || from)) { r.bound = (uint8_t)bound; r.start = c->a[i].s; }
      else if (bound != TD_B_NONE) r.bound = (uint8_t)bound;
      if (!ml) r.start = c->a[start].s;
    }
    if (c->nout >= c->capout &&
        td_grow(c->A, (void **)&c->out, &c->capout, c->nout + 1, sizeof *c->out) != TD_OK)
      return TD_ENOMEM;
    c->out[c->nout++] = r;
    i = e > i ? e : i + 1;
    /* the unit a quantity is converted to: "51 fahrenheit to degrees
     * celsius", "3 miles in km" (a unit of the same dimension, no value) */
    if (r.kind == TD_N_QUANTITY && r.dim && i < c->na && (td_n_eq(c, i, "to") || td_n_eq(c, i, "into") || td_n_eq(c, i, "in"))) {
      const char *sym, *dim;
      size_t u = unit_at(c, i + 1, 0, &sym, &dim);
      if (u && !strcmp(dim, r.dim) && strcmp(sym, r.unit ? r.unit : "") && !is_num(c, u) && !td_n_number(c, u, 1, &(td_nval){0})) {
        td_number *t;
        if (td_n_emit(c, i + 1, u, TD_N_QUANTITY, 0, &t) != TD_OK) return TD_ENOMEM;
        t->flags = 0; t->unit = sym; t->dim = dim;
        i = u;
      }
    }
  }
  (void)atom_index_of;
  return TD_OK;
}

int td_numbers(const td_doc *d, const td_numopts *o, td_number **out, size_t *n, size_t *cap) {
  td_nctx c;
  td_numopts none;
  memset(&c, 0, sizeof c);
  memset(&none, 0, sizeof none);
  td_numfilter local;
  c.t = d->text; c.len = d->len; c.A = &d->A; c.o = o ? o : &none;
  if (c.o->filter) c.f = c.o->filter;
  else { td_numfilter_init(&local); c.f = &local; }
  c.out = *out; c.nout = *n; c.capout = *cap;
  struct td_nmemo memo;
  memo_init(&memo);
  c.memo = &memo;
  int r = atomize(&c, d);
  c.na_all = c.na;
  if (r == TD_OK) r = run(&c);
  td_free(c.A, c.a, c.capa * sizeof *c.a);
  *out = c.out; *n = c.nout; *cap = c.capout;
  return r;
}
