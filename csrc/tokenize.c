/*
 * tokenize.c - bytes -> news tokens.
 *
 * Tokens follow the Universal Dependencies conventions for English words:
 * clitics split (Russia|'s, do|n't), quotes and dashes are tokens,
 * abbreviations kept whole (U.S. Mr. Jan.), numbers kept whole (1,000 3.5
 * 09:30 18th 5bn; "$5bn" gives "$" "5bn"), hyphenated words split at the
 * hyphen unless the first part is a known prefix (e-mail, co-operate), URLs,
 * e-mails, @handles and #hashtags whole.  Any script's letters and digits
 * form words; each invalid UTF-8 byte is its own SYMBOL token.
 *
 * The scanner is a single left-to-right pass with an ASCII byte-class table;
 * non-ASCII code points are classified through utf8proc.  In front of it a
 * block path (below) takes the plain ASCII tokens 64 bytes at a time from
 * bitmasks and hands every other token to the scalar scanner.
 */
#include <string.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "tidings.h"

const char *const td_kind_names[TD_NKINDS] = {
  "word", "number", "punct", "symbol", "url", "email", "handle", "hashtag"
};

/* Character classes. */
enum {
  C_SPACE, C_NEWLINE, C_LOWER, C_UPPER, C_LETTER, C_DIGIT, C_MARK,
  C_APOS, C_PERIOD, C_HYPHEN, C_COMMA, C_COLON, C_SLASH, C_AT, C_HASH,
  C_AMP, C_UNDERSCORE, C_PUNCT, C_SYMBOL, C_INVALID
};

#define IS_WORDCH(c) ((c) >= C_LOWER && (c) <= C_MARK)
#define IS_ALNUM(c) ((c) >= C_LOWER && (c) <= C_DIGIT)

static const uint8_t ascii_class[128] = {
  /* 0x00-0x1f: controls; tab, LF, VT, FF, CR are white space */
  C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL,
  C_SYMBOL, C_SPACE, C_NEWLINE, C_SPACE, C_SPACE, C_NEWLINE, C_SYMBOL, C_SYMBOL,
  C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL,
  C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_SYMBOL,
  /* space ! " # $ % & ' ( ) * + , - . / */
  C_SPACE, C_PUNCT, C_PUNCT, C_HASH, C_SYMBOL, C_SYMBOL, C_AMP, C_APOS,
  C_PUNCT, C_PUNCT, C_SYMBOL, C_SYMBOL, C_COMMA, C_HYPHEN, C_PERIOD, C_SLASH,
  /* 0-9 : ; < = > ? */
  C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT, C_DIGIT,
  C_DIGIT, C_DIGIT, C_COLON, C_PUNCT, C_SYMBOL, C_SYMBOL, C_SYMBOL, C_PUNCT,
  /* @ A-Z [ \ ] ^ _ */
  C_AT, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER,
  C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER,
  C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER, C_UPPER,
  C_UPPER, C_UPPER, C_UPPER, C_PUNCT, C_SYMBOL, C_PUNCT, C_SYMBOL, C_UNDERSCORE,
  /* ` a-z { | } ~ DEL */
  C_SYMBOL, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER,
  C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER,
  C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER, C_LOWER,
  C_LOWER, C_LOWER, C_LOWER, C_PUNCT, C_SYMBOL, C_PUNCT, C_SYMBOL, C_SYMBOL
};

/* The fast path's byte properties: ASCII letters and digits, nothing else. */
enum { P_LOWER = 1, P_UPPER = 2, P_DIGIT = 4 };
#define AP(c) ((c) >= 'a' && (c) <= 'z' ? P_LOWER : (c) >= 'A' && (c) <= 'Z' ? P_UPPER : \
               (c) >= '0' && (c) <= '9' ? P_DIGIT : 0)
#define AP4(n) AP(n), AP(n + 1), AP(n + 2), AP(n + 3)
#define AP16(n) AP4(n), AP4(n + 4), AP4(n + 8), AP4(n + 12)
#define AP64(n) AP16(n), AP16(n + 16), AP16(n + 32), AP16(n + 48)
static const uint8_t alnum_prop[256] = { AP64(0), AP64(64), AP64(128), AP64(192) };

/* End of the run of ASCII letters and digits starting at i (s[i] is one);
 * *seen collects their P_* properties.  With SSE2 a run of up to 16 bytes is
 * classified at once: the loop exit, not the work, is what costs per word. */
static inline size_t scan_alnum(const uint8_t *s, size_t len, size_t i, unsigned *seen) {
  size_t j = i;
  unsigned p, acc = 0;
#ifdef __SSE2__
  while (j + 16 <= len) {
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
    const __m128i bias = _mm_set1_epi8((char)0x80);
    /* x in [lo, lo+n) <=> (x - lo) ^ 0x80 < n ^ 0x80 as signed bytes */
    const __m128i lo = _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8('a')), bias),
                                      _mm_set1_epi8((char)(26 ^ 0x80)));
    const __m128i up = _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8('A')), bias),
                                      _mm_set1_epi8((char)(26 ^ 0x80)));
    const __m128i dg = _mm_cmplt_epi8(_mm_xor_si128(_mm_sub_epi8(v, _mm_set1_epi8('0')), bias),
                                      _mm_set1_epi8((char)(10 ^ 0x80)));
    unsigned run = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(lo, up), dg));
    unsigned n = (unsigned)__builtin_ctz(~run | 0x10000u), keep = (1u << n) - 1;
    if ((unsigned)_mm_movemask_epi8(lo) & keep) acc |= P_LOWER;
    if ((unsigned)_mm_movemask_epi8(up) & keep) acc |= P_UPPER;
    if ((unsigned)_mm_movemask_epi8(dg) & keep) acc |= P_DIGIT;
    j += n;
    if (n < 16) { *seen = acc; return j; }
  }
#endif
  while (j < len && (p = alnum_prop[s[j]]) != 0) { acc |= p; j++; }
  *seen = acc;
  return j;
}

/* Bytes after which a plain ASCII word ends with nothing more to decide. */
#define SB(c) ((c) == ' ' || (c) == '\n' || (c) == '\r' || (c) == '\t' || (c) == ',' || (c) == ')' || \
               (c) == '"' || (c) == '!' || (c) == '?' || (c) == ';' || (c) == ']' || (c) == '(')
#define SB4(n) SB(n), SB(n + 1), SB(n + 2), SB(n + 3)
#define SB16(n) SB4(n), SB4(n + 4), SB4(n + 8), SB4(n + 12)
#define SB64(n) SB16(n), SB16(n + 16), SB16(n + 32), SB16(n + 48)
static const uint8_t simple_stop[256] = { SB64(0), SB64(64), SB64(128), SB64(192) };

static int unicode_class(int32_t cp) {
  switch (cp) {
    case 0x2019: case 0x02BC: return C_APOS;            /* right single quote */
    case 0x2010: case 0x2011: return C_HYPHEN;          /* hyphen, nb hyphen */
    case 0x0085: case 0x2028: case 0x2029: return C_NEWLINE;
    case 0x200B: case 0xFEFF: return C_SPACE;           /* zero-width space, BOM */
    case 0x00AD: case 0x200C: case 0x200D: case 0x2060: return C_MARK;
    case 0xFF20: return C_AT;
    default: break;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return C_UPPER;
    case UTF8PROC_CATEGORY_LL: return C_LOWER;
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: return C_LETTER;
    case UTF8PROC_CATEGORY_ND: return C_DIGIT;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_CF: return C_MARK;
    case UTF8PROC_CATEGORY_ZS: return C_SPACE;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: return C_NEWLINE;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: return C_PUNCT;
    default: return C_SYMBOL;
  }
}

/* Class of the code point at s[i]; *w receives its byte length. */
static inline int class_at(const uint8_t *s, size_t len, size_t i, int *w) {
  int32_t cp;
  int n;
  if (s[i] < 0x80) { *w = 1; return ascii_class[s[i]]; }
  n = td_utf8_decode(s + i, len - i, &cp);
  if (n == 0) { *w = 1; return C_INVALID; }
  *w = n;
  return unicode_class(cp);
}

static inline int lower_ascii(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Case-insensitive compare of s[0..n) with a lower-case ASCII word. */
static int eq_nocase(const uint8_t *s, size_t n, const char *w) {
  size_t i;
  for (i = 0; i < n; i++)
    if (w[i] == '\0' || lower_ascii(s[i]) != (uint8_t)w[i]) return 0;
  return w[n] == '\0';
}

static int in_list(const uint8_t *s, size_t n, const char *const *list) {
  for (; *list; list++)
    if (eq_nocase(s, n, *list)) return 1;
  return 0;
}

/* Hyphenated words whose first part is one of these stay whole. */
static const char *const hyphen_prefixes[] = {
  "e", "co", "pre", "post", "re", "anti", "counter", "non", "ex", "mid",
  "multi", "pro", "semi", "sub", "inter", "intra", "ultra", "neo", "pseudo",
  "quasi", "trans", "vice", "self", "cross", "mis", "de", "un", "bi", "tri",
  NULL
};

/* Abbreviations that keep their full stop (compared case-insensitively),
 * at most 6 letters, zero-padded to 8 bytes.  Kept in byte order: looked up
 * by a binary search on the bytes read as big-endian numbers. */
static const char abbreviations[][8] = {
  "adm", "al", "approx", "apr", "ariz", "assn", "atty", "aug", "ave", "blvd", "bros",
  "calif", "capt", "cf", "cmdr", "co", "col", "colo", "conn", "corp", "cpl", "dec", "dept",
  "det", "dr", "esp", "est", "etc", "feb", "fig", "fla", "ft", "gen", "gens", "gov", "hon",
  "ill", "inc", "insp", "jan", "jr", "jul", "jun", "lt", "ltd", "maj", "mar", "mass",
  "messrs", "mich", "minn", "mlle", "mme", "mr", "mrs", "ms", "mssrs", "mt", "nov", "oct",
  "okla", "ont", "penn", "plc", "pop", "pp", "pres", "prof", "pvt", "rd", "rep", "reps",
  "rev", "sen", "sens", "sep", "sept", "sgt", "sr", "st", "supt", "tenn", "tex", "thurs",
  "tues", "univ", "v", "vol", "vs", "wash", "wis",
};
#define N_ABBREVIATIONS (sizeof abbreviations / sizeof abbreviations[0])

/* The 8 bytes at w as a big-endian number: numeric order is byte order. */
static inline uint64_t be64(const char *w) {
  const uint8_t *b = (const uint8_t *)w;
  return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
         (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 | (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

/* s[0..n) (n <= 8, no NUL) lower-cased and zero-padded, as be64 reads it. */
static inline uint64_t lower_key(const uint8_t *s, size_t n) {
  uint64_t x = 0;
  size_t k;
  /* in a register: bytes stored and read back as one word would stall */
  for (k = 0; k < n; k++) x = x << 8 | (uint64_t)lower_ascii(s[k]);
  return n ? x << (8 * (8 - n)) : 0;
}

/* The search's steps depend on the list's size alone, and each picks its
 * half with a conditional move: which abbreviation a word is near is no
 * pattern a branch can learn.  s[0..n): n <= 6, no NUL. */
static int is_abbreviation(const uint8_t *s, size_t n) {
  const char (*base)[8] = abbreviations;
  size_t len = N_ABBREVIATIONS;
  const uint64_t key = lower_key(s, n);
  while (len > 1) {
    const size_t half = len / 2;
    base += half & ((size_t)0 - (size_t)(be64(base[half]) <= key));
    len -= half;
  }
  return be64(*base) == key;
}

/* Whole words UD splits into two (cannot -> can not), with the length of
 * the first part: 4-8 letters, zero-padded, in byte order for split_cut. */
static const struct { char word[8]; uint8_t cut; } split_words[] = {
  {"alot", 1}, {"arent", 3}, {"cannot", 3}, {"couldnt", 5}, {"didnt", 3}, {"doesnt", 4},
  {"dont", 2}, {"gonna", 3}, {"gotta", 3}, {"hadnt", 3}, {"hasnt", 3}, {"havent", 4},
  {"isnt", 2}, {"shouldnt", 6}, {"wanna", 3}, {"wasnt", 3}, {"werent", 4}, {"wont", 2},
  {"wouldnt", 5}
};
#define N_SPLIT_WORDS (sizeof split_words / sizeof split_words[0])

/* The length of the first part if UD splits the word s[0..n), else 0. */
static size_t split_cut(const uint8_t *s, size_t n) {
  size_t lo = 0, len = N_SPLIT_WORDS;
  uint64_t key;
  if (n < 4 || n > 8) return 0;
  key = lower_key(s, n);
  while (len > 1) {
    const size_t half = len / 2;
    lo += half & ((size_t)0 - (size_t)(be64(split_words[lo + half].word) <= key));
    len -= half;
  }
  return be64(split_words[lo].word) == key ? split_words[lo].cut : 0;
}

static size_t digit_run(const uint8_t *s, size_t len, size_t i) {
  size_t n = 0;
  while (i + n < len && s[i + n] >= '0' && s[i + n] <= '9') n++;
  return n;
}

/* A hyphen between digit groups at s[j] joins them only in telephone and
 * ZIP+4 shapes (853-7906, 732-657-3416, 20006-3700); 16-18 and 1946-1954 are
 * ranges: number, hyphen, number. */
static int phone_like(const uint8_t *s, size_t len, size_t start, size_t j) {
  size_t l = 0, r = digit_run(s, len, j + 1);
  while (j - l > start && s[j - l - 1] >= '0' && s[j - l - 1] <= '9') l++;
  if (r == 4 && (l == 3 || l == 5 || (l == 4 && j - l > start))) return 1;
  return l == 3 && r == 3 && j + 4 < len && s[j + 4] == '-' && digit_run(s, len, j + 5) == 4;
}

/* The letters at s[k] run for at most two characters (U.S, e.g, D.C). */
static int short_segment(const uint8_t *s, size_t len, size_t k) {
  size_t n = 0;
  while (k + n < len && (((s[k + n] | 0x20) >= 'a' && (s[k + n] | 0x20) <= 'z') || s[k + n] >= 0x80)) n++;
  return n <= 2;
}

/* -Mon-yy after a day number: 01-Feb-02 is one date token. */
static int date_dmy(const uint8_t *s, size_t len, size_t j) {
  static const char *const months = "janfebmaraprmayjunjulaugsepoctnovdec";
  int m;
  if (j + 8 > len || s[j + 4] != '-' || digit_run(s, len, j + 5) != 2) return 0;
  for (m = 0; m < 12; m++)
    if (lower_ascii(s[j + 1]) == months[3 * m] && lower_ascii(s[j + 2]) == months[3 * m + 1] &&
        lower_ascii(s[j + 3]) == months[3 * m + 2])
      return j + 8 == len || !(s[j + 8] >= '0' && s[j + 8] <= '9');
  return 0;
}

/* Clitics after an apostrophe that become their own token. */
static int clitic_len(const uint8_t *s, size_t len, size_t i) {
  /* s[i] is the first letter after the apostrophe */
  size_t n = 0;
  int w;
  while (i + n < len && n < 3 && (s[i + n] | 0x20) >= 'a' && (s[i + n] | 0x20) <= 'z') n++;
  if (i + n < len && IS_WORDCH(class_at(s, len, i + n, &w))) return 0;
  if (n == 1 && ((s[i] | 0x20) == 's' || (s[i] | 0x20) == 'd' || (s[i] | 0x20) == 'm' ||
                 (s[i] | 0x20) == 't'))
    return 1;
  if (n == 2 && (eq_nocase(s + i, 2, "re") || eq_nocase(s + i, 2, "ve") || eq_nocase(s + i, 2, "ll")))
    return 2;
  return 0;
}

typedef struct scanner {
  const uint8_t *s;
  size_t len;
  td_doc *d;
  int split_hyphens;
  int cands;         /* list the sentence-end candidates (d->cand) */
  unsigned pending;  /* flags for the next token (space/newline before) */
} scanner;

/* A token may end a sentence (td_sentences' candidates): a PUNCT token
 * starting with . ! ? or the lead byte of an ellipsis, an abbreviation, or
 * a token before a line break. */
static int add_cand(td_doc *d, size_t i) {
  if (d->ncand == d->capcand &&
      td_grow(&d->A, (void **)&d->cand, &d->capcand, d->ncand + 1, sizeof(uint32_t)))
    return TD_ENOMEM;
  d->cand[d->ncand++] = (uint32_t)i;
  return TD_OK;
}

static inline int emit(scanner *z, size_t a, size_t b, int kind, unsigned flags) {
  td_doc *d = z->d;
  td_token *t;
  if (d->ntok == d->captok &&
      td_grow(&d->A, (void **)&d->tok, &d->captok, d->ntok + 1, sizeof(td_token)))
    return TD_ENOMEM;
  t = &d->tok[d->ntok++];
  t->start = (uint32_t)a;
  t->end = (uint32_t)b;
  t->kind = (uint8_t)kind;
  t->reserved = 0;
  t->flags = (uint16_t)(flags | z->pending);
  z->pending = 0;
  if (z->cands) {
    const uint8_t c = z->s[a];
    if ((t->flags & TD_F_NEWLINE_BEFORE) && d->ntok > 1 && add_cand(d, d->ntok - 2)) return TD_ENOMEM;
    if (((kind == TD_PUNCT && (c == '.' || c == '!' || c == '?' || c == 0xE2)) ||
         (t->flags & TD_F_ABBREV)) && add_cand(d, d->ntok - 1))
      return TD_ENOMEM;
  }
  return TD_OK;
}

/* Case flags of a word span. */
static unsigned case_flags(const uint8_t *s, size_t len, size_t a, size_t b) {
  unsigned f = 0;
  int first = 1, upper = 0, lower = 0, w;
  size_t i;
  for (i = a; i < b; i += (size_t)w) {
    int c = class_at(s, len, i, &w);
    if (s[i] >= 0x80) f |= TD_F_NONASCII;
    if (c == C_DIGIT) f |= TD_F_HAS_DIGIT;
    if (c == C_UPPER) { upper++; if (first) f |= TD_F_UPPER_INITIAL; }
    if (c == C_LOWER) lower++;
    if (c == C_UPPER || c == C_LOWER || c == C_LETTER) first = 0;
  }
  if (upper && !lower) f |= TD_F_ALL_UPPER;
  return f;
}

/* Length of a URL starting at i (0 if none): scheme:// or www. */
static size_t scan_url(const uint8_t *s, size_t len, size_t i) {
  size_t j = i, k, parens = 0;
  if (len - i > 7 && eq_nocase(s + i, 7, "http://")) j = i + 7;
  else if (len - i > 8 && eq_nocase(s + i, 8, "https://")) j = i + 8;
  else if (len - i > 6 && eq_nocase(s + i, 6, "ftp://")) j = i + 6;
  else if (len - i > 7 && eq_nocase(s + i, 7, "mailto:")) j = i + 7;
  else if (len - i > 4 && eq_nocase(s + i, 4, "www.") && (s[i + 4] | 0x20) >= 'a' && (s[i + 4] | 0x20) <= 'z') j = i + 4;
  else return 0;
  for (k = j; k < len; k++) {
    uint8_t c = s[k];
    if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == 0x7F) break;
    if (c >= 0x80) {  /* stop at non-ASCII space or quotes, keep letters */
      int w, cls = class_at(s, len, k, &w);
      if (cls == C_SPACE || cls == C_NEWLINE || cls == C_PUNCT || cls == C_APOS || cls == C_INVALID) break;
      k += (size_t)w - 1;
      continue;
    }
    if (c == '(' || c == '[') parens++;
    if (c == ')' || c == ']') { if (parens == 0) break; parens--; }
  }
  /* trailing punctuation belongs to the sentence, not the URL */
  while (k > j && strchr(".,;:!?'", s[k - 1]) != NULL) k--;
  if (k == j) return 0;
  return k - i;
}

static int email_local(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Length of an e-mail address starting at i (0 if none). */
static size_t scan_email(const uint8_t *s, size_t len, size_t i) {
  size_t j = i, k, last_dot = 0, label = 0, tld_alpha = 1;
  while (j < len && email_local(s[j])) j++;
  if (j == i || j >= len || s[j] != '@') return 0;
  for (k = j + 1; k < len; k++) {
    uint8_t c = s[k];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
      label++;
      if (c >= '0' && c <= '9') tld_alpha = 0;
      continue;
    }
    if (c == '.' && label > 0 && k + 1 < len && s[k + 1] != '.' &&
        ((((s[k + 1] | 0x20) >= 'a' && (s[k + 1] | 0x20) <= 'z') || (s[k + 1] >= '0' && s[k + 1] <= '9')))) {
      last_dot = k;
      label = 0;
      tld_alpha = 1;
      continue;
    }
    break;
  }
  if (last_dot == 0 || label < 2 || !tld_alpha) return 0;
  return k - i;
}

/* Does the full stop at s[j] belong to the word s[i..j)?  `dotted` says the
 * word has inner full stops between short parts (U.S, e.g). */
static int keeps_period(const uint8_t *s, size_t len, size_t i, size_t j, int dotted, int inner) {
  size_t n = j - i;
  if (j + 1 < len && s[j + 1] == '.') return 0;  /* an ellipsis follows */
  if (dotted) return 1;
  if (inner) return 0;
  if (n == 1 && s[i] >= 'A' && s[i] <= 'Z') return 1;  /* an initial */
  if (n == 2 && s[i] == 'N' && (s[i + 1] | 0x20) == 'o') {  /* No. 5 */
    size_t k = j + 1;
    while (k < len && s[k] == ' ') k++;
    return k < len && s[k] >= '0' && s[k] <= '9';
  }
  return n <= 6 && is_abbreviation(s + i, n);
}

/*
 * A word or number run starting at i.  Returns its end and fills *kind and
 * *flags.  Stops before a clitic (Russia|'s, do|n't) and before a hyphen that
 * splits.
 */
static size_t scan_word(scanner *z, size_t i, int *kind, unsigned *flags) {
  const uint8_t *s = z->s;
  size_t len = z->len, j = i, seg_start = i, max_seg = 0, nseg_chars = 0;
  int w, c, inner_period = 0, numeric;
  unsigned f = 0;

  c = class_at(s, len, j, &w);
  numeric = (c == C_DIGIT);
  for (;;) {
    /* the alphanumeric core */
    while (j < len) {
      if (s[j] < 0x80) {
        c = ascii_class[s[j]];
        if (!IS_WORDCH(c)) break;
        /* 81K, 300USD: upper-case letters after digits are a separate unit */
        if (c == C_UPPER && numeric && s[j - 1] >= '0' && s[j - 1] <= '9' && j > i) break;
        j++;
        nseg_chars++;
      } else {
        c = class_at(s, len, j, &w);
        if (!IS_WORDCH(c)) break;
        j += (size_t)w;
        if (c != C_MARK) nseg_chars++;
      }
    }
    if (j >= len) break;
    /* j is at a non-word character c: does the word go on through it? */
    {
      size_t k = j + (size_t)w;
      int next = (k < len) ? class_at(s, len, k, &w) : C_SPACE;
      int prev_digit = (s[j - 1] >= '0' && s[j - 1] <= '9');
      if (c == C_APOS && IS_ALNUM(next)) {
        size_t nc = clitic_len(s, len, k);
        if (nc == 1 && (s[k] | 0x20) == 't') {
          /* n't: the n belongs to the clitic (do|n't, ca|n't) */
          if ((s[j - 1] | 0x20) == 'n' && j - 1 > i) { j--; break; }
        } else if (nc > 0) {
          break;
        }
        j = k;  /* O'Brien, rock'n'roll */
        nseg_chars++;
        continue;
      }
      if (c == C_PERIOD && IS_ALNUM(next) && !(s[j - 1] == '.')) {
        size_t seg = nseg_chars;
        if (numeric && prev_digit && next == C_DIGIT) { j = k; continue; }       /* 3.5 */
        if ((seg <= 1 && short_segment(s, len, k)) || (seg > 1 && next != C_UPPER)) { /* U.S, www.x.com */
          if (seg > max_seg) max_seg = seg;
          inner_period = 1;
          seg_start = k;
          nseg_chars = 0;
          j = k;
          continue;
        }
        break;
      }
      if (c == C_COMMA && numeric && prev_digit && next == C_DIGIT && k + 3 <= len &&
          s[k + 1] >= '0' && s[k + 1] <= '9' && s[k + 2] >= '0' && s[k + 2] <= '9' &&
          (k + 3 == len || !(s[k + 3] >= '0' && s[k + 3] <= '9'))) {
        j = k;                                                                  /* 1,000 */
        continue;
      }
      if ((c == C_COLON || c == C_SLASH) && numeric && prev_digit && next == C_DIGIT) {
        j = k;                                                                  /* 09:30 9/11 */
        continue;
      }
      if (c == C_HYPHEN && IS_ALNUM(next)) {
        if (numeric && prev_digit && next == C_DIGIT && phone_like(s, len, i, j)) { j = k; continue; }
        if (numeric && date_dmy(s, len, j)) { j += 8; continue; }                /* 01-Feb-02 */
        if (!z->split_hyphens || (in_list(s + i, j - i, hyphen_prefixes) &&       /* e-mail */
                                  (j - i > 1 || next == C_LOWER))) {
          seg_start = k;
          nseg_chars = 0;
          j = k;
          continue;
        }
        break;
      }
      if (((c == C_AMP || c == C_SLASH) && (next == C_UPPER || next == C_LOWER) && !numeric &&
           nseg_chars <= 2 && short_segment(s, len, k)) ||                      /* AT&T b/c */
          (c == C_UNDERSCORE && IS_ALNUM(next))) {
        j = k;
        continue;
      }
      break;
    }
  }
  (void)seg_start;
  if (nseg_chars > max_seg) max_seg = nseg_chars;

  /* A full stop that belongs to the word: U.S. / J. / Mr. / etc. */
  if (j < len && s[j] == '.' && !numeric &&
      keeps_period(s, len, i, j, inner_period && max_seg <= 2, inner_period)) {
    j++;
    f |= TD_F_ABBREV;
  }
  *kind = numeric ? TD_NUMBER : TD_WORD;
  *flags = f | case_flags(s, len, i, j);
  return j;
}

/* After a symbol: absorb marks, variation selectors, skin tones, ZWJ
 * sequences and a second regional indicator, so an emoji is one token. */
static size_t scan_symbol_tail(const uint8_t *s, size_t len, size_t j, int32_t first) {
  int32_t cp;
  int n;
  int ri = (first >= 0x1F1E6 && first <= 0x1F1FF);
  while (j < len && s[j] >= 0x80) {
    n = td_utf8_decode(s + j, len - j, &cp);
    if (n == 0) break;
    if (ri && cp >= 0x1F1E6 && cp <= 0x1F1FF) { j += (size_t)n; ri = 0; continue; }
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
        (cp >= 0xE0020 && cp <= 0xE007F) || cp == 0x20E3 ||
        utf8proc_category(cp) == UTF8PROC_CATEGORY_MN || utf8proc_category(cp) == UTF8PROC_CATEGORY_ME) {
      j += (size_t)n;
      continue;
    }
    if (cp == 0x200D && j + (size_t)n < len) {  /* ZWJ joins the next pictograph */
      int32_t cp2;
      int n2 = td_utf8_decode(s + j + n, len - j - (size_t)n, &cp2);
      if (n2 > 0 && unicode_class(cp2) == C_SYMBOL) { j += (size_t)(n + n2); continue; }
    }
    break;
  }
  return j;
}


/* ---- The 64-byte block path ---------------------------------------------
 *
 * Most news tokens are plain ASCII words, numbers and one-byte punctuation
 * between spaces.  The block path classifies the 64 bytes at the current
 * position into bitmasks once, then finds each token's end with a bit scan
 * instead of a branch per byte, and writes the tokens with no capacity check
 * of their own.  It takes a token only where the scalar scanner below would
 * give exactly that token (same span, kind and flags); at anything else it
 * stops and the scalar scanner takes one step.  td_tokenize_reference runs
 * the scalar scanner alone, which the differential fuzzer compares against.
 */
#define BLOCK 64
#define BLOCK_LIMIT 62   /* tokens starting later re-anchor the block */

typedef struct blockmask {
  uint64_t alpha, upper, digit, space, newline;  /* bit k: byte p[k] */
  uint64_t ta, not_;  /* t or a, and n o or t, either case: words UD splits end so */
} blockmask;

static void block_classify(const uint8_t *p, blockmask *m) {
#ifdef __SSE2__
  uint64_t al = 0, up = 0, dg = 0, sp = 0, nl = 0, ta = 0, nt = 0;
  int k;
  for (k = 0; k < 4; k++) {
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
    /* x in [lo, lo+n) <=> x + (0x80 - lo) < n - 128 as signed bytes */
    const __m128i f = _mm_or_si128(v, _mm_set1_epi8(0x20));
    const __m128i a = _mm_cmplt_epi8(_mm_add_epi8(f, _mm_set1_epi8((char)(0x80 - 'a'))),
                                     _mm_set1_epi8((char)(26 - 128)));
    const __m128i d = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0'))),
                                     _mm_set1_epi8((char)(10 - 128)));
    const __m128i n = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));
    const __m128i w = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                                _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))), n);
    /* bit 5 (set in lower-case letters) moved to each byte's top bit */
    const unsigned b5 = (unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 2));
    const unsigned am = (unsigned)_mm_movemask_epi8(a);
    const __m128i t = _mm_cmpeq_epi8(f, _mm_set1_epi8('t'));
    const __m128i ta16 = _mm_or_si128(t, _mm_cmpeq_epi8(f, _mm_set1_epi8('a')));
    const __m128i nt16 = _mm_or_si128(_mm_or_si128(t, _mm_cmpeq_epi8(f, _mm_set1_epi8('n'))),
                                      _mm_cmpeq_epi8(f, _mm_set1_epi8('o')));
    ta |= (uint64_t)(unsigned)_mm_movemask_epi8(ta16) << (16 * k);
    nt |= (uint64_t)(unsigned)_mm_movemask_epi8(nt16) << (16 * k);
    al |= (uint64_t)am << (16 * k);
    up |= (uint64_t)(am & ~b5 & 0xFFFFu) << (16 * k);
    dg |= (uint64_t)(unsigned)_mm_movemask_epi8(d) << (16 * k);
    sp |= (uint64_t)(unsigned)_mm_movemask_epi8(w) << (16 * k);
    nl |= (uint64_t)(unsigned)_mm_movemask_epi8(n) << (16 * k);
  }
  m->alpha = al; m->upper = up; m->digit = dg; m->space = sp; m->newline = nl;
  m->ta = ta; m->not_ = nt;
#else
  int k;
  m->alpha = m->upper = m->digit = m->space = m->newline = m->ta = m->not_ = 0;
  for (k = 0; k < BLOCK; k++) {
    const uint8_t c = p[k];
    const uint64_t bit = (uint64_t)1 << k;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') m->alpha |= bit;
    if (c >= 'A' && c <= 'Z') m->upper |= bit;
    if (c >= '0' && c <= '9') m->digit |= bit;
    if (c == ' ' || c == '\t' || c == '\n') m->space |= bit;
    if (c == '\n') m->newline |= bit;
    if ((c | 0x20) == 't' || (c | 0x20) == 'a') m->ta |= bit;
    if ((c | 0x20) == 'n' || (c | 0x20) == 'o' || (c | 0x20) == 't') m->not_ |= bit;
  }
#endif
}

/* What one byte can be in the block path (the scalar scanner's rules). */
enum {
  B_STOP = 1,     /* simple_stop: a plain word ends here with nothing to decide */
  B_PUNCT = 2,    /* always a one-byte PUNCT token: , ( ) " [ ] { } / */
  B_SYMBOL = 4,   /* always a one-byte SYMBOL token: $ % & < > | \ ` */
  B_DOTS = 8,     /* . ! ?  one byte unless . ! ? or (for .) a digit follows */
  B_COLON = 16,   /* : ;  one byte unless an emoticon may follow */
  B_EMO = 32,     /* bytes that may follow : or ; in an emoticon */
  B_DIGIT = 64,
  B_ONE = 128     /* - * + = ~ ^  one byte unless the same byte follows (or, for =, an emoticon) */
};
#define BC(c) (SB(c) | \
  (((c) == ',' || (c) == '(' || (c) == ')' || (c) == '"' || (c) == '[' || (c) == ']' || \
    (c) == '{' || (c) == '}' || (c) == '/') ? B_PUNCT : 0) | \
  (((c) == '$' || (c) == '%' || (c) == '&' || (c) == '<' || (c) == '>' || (c) == '|' || \
    (c) == '\\' || (c) == '`') ? B_SYMBOL : 0) | \
  (((c) == '.' || (c) == '!' || (c) == '?') ? B_DOTS : 0) | \
  (((c) == ':' || (c) == ';') ? B_COLON : 0) | \
  (((c) == '-' || (c) == ')' || (c) == '(' || (c) == 'D' || (c) == 'P' || (c) == 'p' || \
    (c) == '/') ? B_EMO : 0) | \
  (((c) >= '0' && (c) <= '9') ? B_DIGIT : 0) | \
  (((c) == '-' || (c) == '*' || (c) == '+' || (c) == '=' || (c) == '~' || (c) == '^') ? B_ONE : 0))
#define BC4(n) BC(n), BC(n + 1), BC(n + 2), BC(n + 3)
#define BC16(n) BC4(n), BC4(n + 4), BC4(n + 8), BC4(n + 12)
#define BC64(n) BC16(n), BC16(n + 16), BC16(n + 32), BC16(n + 48)
static const uint8_t block_byte[256] = { BC64(0), BC64(64), BC64(128), BC64(192) };

/* Is the word s[0..n) one that UD splits (cannot, gonna, dont)?  Every such
 * word ends in t or a after n, o or t: most words fail before the list. */
static int split_word(const uint8_t *s, size_t n) {
  const int c = s[n - 2] | 0x20;
  if (c != 'n' && c != 'o' && c != 't') return 0;
  return split_cut(s, n) != 0;
}

/* Does the scalar scanner end the letter-initial word s[i..j) at the hyphen
 * s[j] with nothing else to decide?  Not when hyphens do not split, not
 * after a prefix that may join (e-mail), not when the run is the local part
 * of an e-mail address. */
static int hyphen_splits(const scanner *z, size_t i, size_t j) {
  const uint8_t *s = z->s;
  size_t k = j;
  if (!z->split_hyphens || (j - i <= 7 && in_list(s + i, j - i, hyphen_prefixes))) return 0;
  while (k < z->len && email_local(s[k])) k++;
  return !(k < z->len && s[k] == '@');
}

static inline unsigned popcount64(uint64_t x) {
  unsigned n = 0;
  for (; x; x &= x - 1) n++;  /* white-space gaps hold a newline or two */
  return n;
}

/* The byte after a token, in the classes the block path's rules tell
 * apart (its block_byte properties; each of - * + = ~ ^ on its own; and
 * the bytes that end a word for the scalar scanner: comma, colon, symbols). */
enum {
  N_OTHER, N_STOP, N_STOP_DOTS, N_STOP_PUNCT, N_STOP_PUNCT_EMO, N_DOT, N_DIGIT, N_EMO,
  N_PUNCT_EMO, N_PUNCT, N_DASH, N_STAR, N_PLUS, N_EQ, N_TILDE, N_CARET, N_COMMA, N_SYMBOL,
  N_COLON
};
#define NEXT(c) \
  ((c) == '-' ? N_DASH : (c) == '*' ? N_STAR : (c) == '+' ? N_PLUS : (c) == '=' ? N_EQ : \
   (c) == '~' ? N_TILDE : (c) == '^' ? N_CARET : (c) == ',' ? N_COMMA : (c) == ':' ? N_COLON : \
   (c) >= '0' && (c) <= '9' ? N_DIGIT : \
   (BC(c) & B_STOP) ? ((BC(c) & B_PUNCT) ? ((BC(c) & B_EMO) ? N_STOP_PUNCT_EMO : N_STOP_PUNCT) : \
                       (BC(c) & B_DOTS) ? N_STOP_DOTS : N_STOP) : \
   (BC(c) & B_PUNCT) ? ((BC(c) & B_EMO) ? N_PUNCT_EMO : N_PUNCT) : \
   (BC(c) & B_DOTS) ? N_DOT : (BC(c) & B_EMO) ? N_EMO : \
   (((BC(c) & B_SYMBOL) && (c) != '&') || (c) == '#') ? N_SYMBOL : N_OTHER)
#define NEXT4(n) NEXT(n), NEXT(n + 1), NEXT(n + 2), NEXT(n + 3)
#define NEXT16(n) NEXT4(n), NEXT4(n + 4), NEXT4(n + 8), NEXT4(n + 12)
#define NEXT64(n) NEXT16(n), NEXT16(n + 16), NEXT16(n + 32), NEXT16(n + 48)
static const uint8_t next_class[256] = { NEXT64(0), NEXT64(64), NEXT64(128), NEXT64(192) };

/* Per first byte of a token: the classes of the byte after it that let
 * the block path take it as it is (bit k: class k).  A run of letters or
 * digits ends there with nothing more to decide for the scalar scanner at
 * white space, punctuation other than / and symbols other than & and +
 * (a comma only after letters: 1,000; a colon only after letters, and not
 * after h f m: http: ftp: mailto:); - * + = ~ ^ are one byte unless the
 * same byte follows (or, after =, an emoticon may); . ! ? unless . ! ? or
 * a digit follows; : ; unless an emoticon may follow. */
#define NB(k) ((uint32_t)1 << (k))
#define N_ALL (NB(N_COLON + 1) - 1)
#define N_EMOS (NB(N_STOP_PUNCT_EMO) | NB(N_EMO) | NB(N_PUNCT_EMO) | NB(N_DASH))
#define N_RUN_ENDS (NB(N_STOP) | NB(N_STOP_DOTS) | NB(N_STOP_PUNCT) | NB(N_STOP_PUNCT_EMO) | \
                    NB(N_PUNCT) | NB(N_SYMBOL) | NB(N_STAR) | NB(N_EQ) | NB(N_TILDE) | NB(N_CARET))
#define OK(c) \
  (((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'z' ? \
     N_RUN_ENDS | NB(N_COMMA) | \
       ((((c) | 0x20) == 'h' || ((c) | 0x20) == 'f' || ((c) | 0x20) == 'm') ? 0 : NB(N_COLON)) : \
   (c) >= '0' && (c) <= '9' ? N_RUN_ENDS : \
   (BC(c) & (B_PUNCT | B_SYMBOL)) ? N_ALL : \
   (BC(c) & B_ONE) ? N_ALL & ~NB(NEXT(c)) & ((c) == '=' ? ~N_EMOS : N_ALL) : \
   (BC(c) & B_DOTS) ? N_ALL & ~(NB(N_STOP_DOTS) | NB(N_DOT) | NB(N_DIGIT)) : \
   (BC(c) & B_COLON) ? N_ALL & ~N_EMOS : 0)
#define OK4(n) OK(n), OK(n + 1), OK(n + 2), OK(n + 3)
#define OK16(n) OK4(n), OK4(n + 4), OK4(n + 8), OK4(n + 12)
#define OK64(n) OK16(n), OK16(n + 16), OK16(n + 32), OK16(n + 48)
static const uint32_t block_ok[256] = { OK64(0), OK64(64), OK64(128), OK64(192) };

/* The kind of a token the block path takes, by its first byte, and the
 * flags that byte gives it (bits 16 up): upper-case initial; a digit makes
 * a number, which always has one.  Bit 8 (K_CAND): the token may end a
 * sentence (. ! ?). */
#define K_CAND 0x100u
#define KIND(c) \
  (((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'z' ? \
     TD_WORD | ((c) <= 'Z' ? (uint32_t)TD_F_UPPER_INITIAL << 16 : 0) : \
   (c) >= '0' && (c) <= '9' ? TD_NUMBER | (uint32_t)TD_F_HAS_DIGIT << 16 : \
   (BC(c) & B_SYMBOL) ? TD_SYMBOL : ((BC(c) & B_ONE) && (c) != '-') ? TD_SYMBOL : \
   (BC(c) & B_DOTS) ? TD_PUNCT | K_CAND : TD_PUNCT)
#define KIND4(n) KIND(n), KIND(n + 1), KIND(n + 2), KIND(n + 3)
#define KIND16(n) KIND4(n), KIND4(n + 4), KIND4(n + 8), KIND4(n + 12)
#define KIND64(n) KIND16(n), KIND16(n + 16), KIND16(n + 32), KIND16(n + 48)
static const uint32_t block_kind[256] = { KIND64(0), KIND64(64), KIND64(128), KIND64(192) };

#define BIT(k) ((uint64_t)1 << (k))

/*
 * Take the tokens the block at *pi allows; s[*pi .. *pi + 64) must be inside
 * the text.  Sets *scalar when the scalar scanner must take the next step
 * (a token the block path does not decide); otherwise the caller re-anchors
 * a block at the new *pi.
 *
 * All token boundaries of the block come from its masks at once: a token
 * starts at each run of letters and digits and at each other byte that is
 * not white space, and its last byte is the run's last or that byte.  The
 * loop pairs the two masks bit by bit; the per-token test is a table bit
 * for the first byte and the class of the byte after the token (block_ok),
 * and only tokens it does not pass (a word before . ' or -, words UD may
 * split, numbers with , or upper case) take the slower, branching tests.
 * The flags of the white space before a token, and the letters' case
 * flags, are bits of run masks: x + y carries through a run of x from each
 * bit of y in it to the byte after the run.
 */
static int block_tokens(scanner *z, size_t *pi, int *newlines, int *scalar) {
  const size_t base = *pi;
  const uint8_t *s = z->s, *p = s + base;
  td_doc *d = z->d;
  blockmask m;
  uint64_t A, S, WS, st, la, SPB, x, NLB, PB, DRe, RDe, ALLUe, NUMUP, A4, A8, SLOWL, fix, below;
  td_token *tok;
  uint32_t *cand;
  size_t n = d->ntok, n0 = n, j, nc, nc0;
  unsigned k0, o, end = 0, pending = z->pending, carried;
  int nl = *newlines;

  /* at most one token per byte of the block: one capacity check for all */
  if (d->captok - n < BLOCK &&
      td_grow(&d->A, (void **)&d->tok, &d->captok, n + BLOCK, sizeof(td_token)))
    return TD_ENOMEM;
  /* and at most two sentence-end candidates per token, plus the first's */
  if (d->capcand - d->ncand < 2 * BLOCK + 1 &&
      td_grow(&d->A, (void **)&d->cand, &d->capcand, d->ncand + 2 * BLOCK + 1, sizeof(uint32_t)))
    return TD_ENOMEM;
  tok = d->tok;
  cand = d->cand;
  nc = d->ncand;
  block_classify(p, &m);
  *scalar = 0;
  A = m.alpha | m.digit;
  S = m.space;

  /* the white space the block starts with belongs to the carried state */
  k0 = (unsigned)__builtin_ctzll(~S | BIT(63));
  if (k0) {
    const uint64_t nlbits = m.newline & (BIT(k0) - 1);
    pending |= TD_F_SPACE_BEFORE;
    if (nlbits) {
      nl += (int)popcount64(nlbits);
      pending |= TD_F_NEWLINE_BEFORE;
      if (nl >= 2) pending |= TD_F_PARA_BEFORE;
    }
  }
  carried = pending;
  if (k0 >= BLOCK_LIMIT) {
    z->pending = pending;
    *newlines = nl;
    *pi = base + k0;
    return TD_OK;
  }
  /* the token before a line break may end a sentence (the first token's
   * break is in the carried state; listed twice is harmless) */
  if ((carried & TD_F_NEWLINE_BEFORE) && n0 > 0) cand[nc++] = (uint32_t)(n0 - 1);
  nc0 = nc;

  WS = A & ~(A << 1);
  /* tokens start before BLOCK_LIMIT (62) and end before byte 62, so the
   * byte after each is in the block, and after a word the one after that:
   * a run through byte 62 is left to the next block from its start */
  below = BIT(BLOCK_LIMIT) - 1;
  if ((A >> 62) & 1) {
    const uint64_t gaps = ~A & (BIT(62) - 1);
    below &= gaps ? (BIT(63 - (unsigned)__builtin_clzll(gaps)) - 1) : 0;
  }
  st = (WS | (~A & ~S)) & below;
  la = (A & ~(A >> 1)) | (~A & ~S);
  SPB = S << 1;
  x = S + m.newline;
  NLB = x & ~S & ~BIT(k0);             /* after white space with a line break */
  PB = (S + (x & m.newline)) & ~S;     /* ... with a second one: x & newline */
  DRe = (A + (WS & m.digit)) & ~A;     /* bit after each run that starts with a digit */
  RDe = ((A + m.digit) & ~A) & ~DRe;   /* ... each word (letter first) holding a digit */
  ALLUe = ((A + m.upper) & ~A) & ~((A + (m.alpha & ~m.upper)) & ~A);
  NUMUP = DRe & (A + m.upper);         /* 81K: digit first, upper in it */
  /* last bytes of runs of 4-8 that end in t or a after n o t, or after a
   * digit first: UD may split the word, the scalar path decides the number */
  A4 = A & (A << 1);
  A4 &= A4 << 2;
  A8 = A4 & (A4 << 4);
  SLOWL = (A4 & ~(A8 & (A8 << 1)) & m.ta & ((m.not_ << 1) | (DRe >> 1))) | (NUMUP >> 1);

  while (st) {
    unsigned l, e, c, nx, kf;
    td_token *t;
    o = (unsigned)__builtin_ctzll(st);
    st &= st - 1;
    l = (unsigned)__builtin_ctzll(la);
    la &= la - 1;
    e = l + 1;
    c = p[o];
    nx = p[e];
    kf = block_kind[c] | (unsigned)((SPB >> o) & 1) << 16;
    if (((((unsigned)block_ok[c] >> next_class[nx]) & 1) ^ 1) | (unsigned)((SLOWL >> l) & 1)) {
      /* the tests of the word loop the scalar scanner would make */
      const unsigned len = e - o, last = p[l] | 0x20, prev = p[l - (len >= 2)] | 0x20;
      const unsigned ta = (len - 4u <= 4u) & ((last == 't') | (last == 'a')) &
                          ((c <= '9') | (prev == 'n') | (prev == 'o') | (prev == 't'));
      if (!((A >> o) & 1)) goto take_scalar;  /* a byte the block path does not decide */
      if (!(block_byte[nx] & B_STOP) && !(nx == '.' && (block_byte[p[e + 1]] & B_STOP))) {
        /* Ukraine|-Russia (the hyphen is the next token) and Russia|'s */
        if (nx == '\'' && (p[e + 1] | 0x20) == 's' && e + 2 < BLOCK && (block_byte[p[e + 2]] & B_STOP)) {
          if ((ta && (c <= '9' || split_word(p + o, len))) || ((NUMUP >> e) & 1)) goto take_scalar;
          t = &tok[n];
          t[0].start = (uint32_t)(base + o);
          t[0].end = (uint32_t)(base + e);
          t[0].kind = (uint8_t)kf;
          t[0].reserved = 0;
          t[0].flags = (uint16_t)(kf >> 16);
          t[1].start = (uint32_t)(base + e);  /* 's, glued to the word */
          t[1].end = (uint32_t)(base + e + 2);
          t[1].kind = TD_WORD;
          t[1].reserved = 0;
          t[1].flags = TD_F_CLITIC;
          n += 2;
          st &= ~(BIT(e) | BIT(e + 1));
          la &= ~(BIT(e) | BIT(e + 1));
          ALLUe &= ~BIT(e + 2);  /* 'S takes no case flags */
          end = e + 2;
          continue;
        }
        if (!(nx == '-' && c > '9' && hyphen_splits(z, base + o, base + e))) goto take_scalar;
      }
      if (ta && (c <= '9' || split_word(p + o, len))) goto take_scalar;
      if (c <= '9') {
        if (((NUMUP >> e) & 1) || (nx == ',' && (block_byte[p[e + 1]] & B_DIGIT))) goto take_scalar;
      } else if (nx == '.' && keeps_period(s, z->len, base + o, base + e, 0, 0)) {
        st &= ~BIT(e);  /* the full stop is the word's, no token of its own */
        la &= ~BIT(e);
        e++;
        kf |= (uint32_t)TD_F_ABBREV << 16 | K_CAND;
      }
    }
    /* stored always, counted when it is a candidate: no branch */
    cand[nc] = (uint32_t)n;
    nc += (kf >> 8) & 1;
    t = &tok[n++];
    t->start = (uint32_t)(base + o);
    t->end = (uint32_t)(base + e);
    t->kind = (uint8_t)kf;
    t->reserved = 0;
    t->flags = (uint16_t)(kf >> 16);
    end = e;
  }
  if (n == n0) {  /* the first token runs through byte 62: too long for the block */
    *scalar = 1;
    o = k0;
  } else {  /* every token up to the limit taken: re-anchor after the last */
    pending = 0;
    nl = 0;
    o = end;
  }
  goto done;

take_scalar:
  *scalar = 1;
  /* the token at o is not taken: carry the flags of the white space before it */
  if (n > n0) {
    pending = (unsigned)((SPB >> o) & 1) * TD_F_SPACE_BEFORE |
              (unsigned)((NLB >> o) & 1) * TD_F_NEWLINE_BEFORE |
              (unsigned)((PB >> o) & 1) * TD_F_PARA_BEFORE;
    nl = (PB >> o) & 1 ? 2 : (int)((NLB >> o) & 1);
  }
done:
  if (n > n0) {
    /* the rarer flags, set on the tokens they belong to: the first token
     * has the carried state; a line break before a later one (and the
     * token before it joins the sentence-end candidates, in order); words
     * in capitals or with digits (a bit after the run, in the token or
     * right after it when the token took a full stop) */
    tok[n0].flags = (uint16_t)(tok[n0].flags | carried);
    fix = (NLB | PB) & (BIT(end) - 1) & ~(BIT(k0 + 1) - 1);
    for (j = n0 + 1; fix; fix &= fix - 1) {
      const uint32_t at = (uint32_t)(base + (unsigned)__builtin_ctzll(fix));
      size_t q;
      while (tok[j].start != at) j++;
      tok[j].flags = (uint16_t)(tok[j].flags | TD_F_NEWLINE_BEFORE |
                                (unsigned)((PB >> (at - base)) & 1) * TD_F_PARA_BEFORE);
      for (q = nc++; q > nc0 && cand[q - 1] > j - 1; q--) cand[q] = cand[q - 1];
      cand[q] = (uint32_t)(j - 1);
    }
    fix = (ALLUe | RDe) & ((BIT(end) << 1) - 1);
    for (j = n0; fix; fix &= fix - 1) {
      const unsigned b = (unsigned)__builtin_ctzll(fix);
      const uint32_t at = (uint32_t)(base + b);  /* the token holds byte at - 1 */
      while (tok[j].end < at) j++;
      tok[j].flags = (uint16_t)(tok[j].flags | (unsigned)((ALLUe >> b) & 1) * TD_F_ALL_UPPER |
                                (unsigned)((RDe >> b) & 1) * TD_F_HAS_DIGIT);
    }
  }
  d->ntok = n;
  d->ncand = nc;
  z->pending = pending;
  *newlines = nl;
  *pi = base + o;
  return TD_OK;
}

static int tokenize(td_doc *d, const td_opts *o, size_t *err_offset, int use_blocks) {
  scanner z;
  const uint8_t *s = (const uint8_t *)d->text;
  size_t len = d->len, i = 0;
  int newlines = 0, rc;

  if (len > TD_MAX_TEXT) return TD_ETOOBIG;
  if (o != NULL && o->strict) {
    size_t bad = td_utf8_first_invalid(s, len);
    if (bad < len) { if (err_offset) *err_offset = bad; return TD_EUTF8; }
  }
  z.s = s;
  z.len = len;
  z.d = d;
  z.split_hyphens = (o == NULL) ? 1 : o->split_hyphens;
  /* the scalar-only reference leaves td_sentences to find its candidates,
   * so the differential fuzzer checks this list too */
  z.cands = use_blocks;
  z.pending = 0;
  d->ntok = 0;
  d->ncand = 0;
  d->has_cand = 0;
  /* news text averages five to six bytes a token: reserve once, shrink at the end */
  if (len > 0 && td_reserve(&d->A, (void **)&d->tok, &d->captok, len / 5 + 16, sizeof(td_token)))
    return TD_ENOMEM;

  while (i < len) {
    int w, c;
    size_t j, u;
    int kind;
    unsigned f = 0;
    uint8_t b;

    if (use_blocks && len - i >= BLOCK) {
      int scalar;
      if ((rc = block_tokens(&z, &i, &newlines, &scalar))) return rc;
      if (!scalar) continue;
    }
    b = s[i];

    /* Fast paths for most of news text: a space, and a plain ASCII word or
     * number that ends at a space or simple punctuation.  Anything that
     * needs a decision (clitics, hyphens, inner stops, URLs, e-mails, the
     * words UD splits) falls through to the general scanner below. */
    if (b == ' ') {
      z.pending |= TD_F_SPACE_BEFORE;
      i++;
      continue;
    }
    if (alnum_prop[b]) {
      unsigned seen = alnum_prop[b], p;
      uint8_t stop;
      j = scan_alnum(s, len, i, &seen);
      (void)p;
      stop = j < len ? s[j] : ' ';
      if ((simple_stop[stop] || (stop == '.' && (j + 1 >= len || simple_stop[s[j + 1]]))) &&
          !(j - i >= 4 && j - i <= 8 && ((s[j - 1] | 0x20) == 't' || (s[j - 1] | 0x20) == 'a'))) {
        if (b <= '9') {  /* a number */
          if ((seen & P_UPPER) || (stop == ',' && j + 1 < len && s[j + 1] >= '0' && s[j + 1] <= '9'))
            goto general;
          kind = TD_NUMBER;
          f = (seen & (P_LOWER | P_UPPER)) ? case_flags(s, len, i, j) : TD_F_HAS_DIGIT;
        } else {
          kind = TD_WORD;
          if (alnum_prop[b] == P_UPPER) f |= TD_F_UPPER_INITIAL;
          if ((seen & P_UPPER) && !(seen & P_LOWER)) f |= TD_F_ALL_UPPER;
          if (seen & P_DIGIT) f |= TD_F_HAS_DIGIT;
          if (stop == '.' && keeps_period(s, len, i, j, 0, 0)) { j++; f |= TD_F_ABBREV; }
        }
        if ((rc = emit(&z, i, j, kind, f))) return rc;
        i = j;
        newlines = 0;
        continue;
      }
    }
  general:
    c = class_at(s, len, i, &w);

    if (c == C_SPACE || c == C_NEWLINE) {
      z.pending |= TD_F_SPACE_BEFORE;
      if (c == C_NEWLINE && !(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')) {
        newlines++;
        z.pending |= TD_F_NEWLINE_BEFORE;
        if (newlines >= 2) z.pending |= TD_F_PARA_BEFORE;
      }
      i += (size_t)w;
      continue;
    }
    newlines = 0;

    if (c == C_LOWER || c == C_UPPER) {
      if ((s[i] | 0x20) == 'h' || (s[i] | 0x20) == 'w' || (s[i] | 0x20) == 'f' || (s[i] | 0x20) == 'm') {
        u = scan_url(s, len, i);
        if (u) { if ((rc = emit(&z, i, i + u, TD_URL, 0))) return rc; i += u; continue; }
      }
    }
    if (IS_WORDCH(c)) {
      /* a clitic glued to the previous word: 's 're n't ... */
      if ((s[i] | 0x20) == 'n' && i + 2 < len && d->ntok > 0 && d->tok[d->ntok - 1].end == i) {
        int aw, ac = class_at(s, len, i + 1, &aw);
        if (ac == C_APOS && clitic_len(s, len, i + 1 + (size_t)aw) == 1 && (s[i + 1 + aw] | 0x20) == 't') {
          j = i + 1 + (size_t)aw + 1;
          if ((rc = emit(&z, i, j, TD_WORD, TD_F_CLITIC))) return rc;
          i = j;
          continue;
        }
      }
      j = scan_word(&z, i, &kind, &f);
      /* the run may be the local part of an e-mail address */
      if (j < len && (s[j] == '@' || s[j] == '.' || s[j] == '-' || s[j] == '_' || s[j] == '+')) {
        u = scan_email(s, len, i);
        if (u) { if ((rc = emit(&z, i, i + u, TD_EMAIL, 0))) return rc; i += u; continue; }
      }
      if (kind == TD_WORD && j - i >= 4 && j - i <= 8 &&
          ((s[j - 1] | 0x20) == 't' || (s[j - 1] | 0x20) == 'a')) {
        const size_t cut = split_cut(s + i, j - i);
        if (cut) {
          if ((rc = emit(&z, i, i + cut, TD_WORD, f))) return rc;
          i += cut;
          f = case_flags(s, len, i, j);
        }
      }
      if ((rc = emit(&z, i, j, kind, f))) return rc;
      i = j;
      continue;
    }

    switch (c) {
      case C_APOS: {
        /* 's 're 've 'll 'd 'm right after a word are clitics */
        size_t k = i + (size_t)w;
        if (d->ntok > 0 && d->tok[d->ntok - 1].end == i && k < len) {
          size_t nc = clitic_len(s, len, k);
          if (nc > 0 && !(nc == 1 && (s[k] | 0x20) == 't')) {
            if ((rc = emit(&z, i, k + nc, TD_WORD, TD_F_CLITIC))) return rc;
            i = k + nc;
            continue;
          }
        }
        if ((rc = emit(&z, i, k, TD_PUNCT, 0))) return rc;
        i = k;
        continue;
      }
      case C_AT: case C_HASH: {
        /* @handle, #hashtag (a hashtag needs a letter) */
        size_t k = i + (size_t)w, m = k;
        int letters = 0, cw;
        while (m < len) {
          int cc = class_at(s, len, m, &cw);
          if (!(IS_WORDCH(cc) || cc == C_UNDERSCORE)) break;
          if (cc != C_DIGIT) letters = 1;
          m += (size_t)cw;
        }
        if (m > k && (c == C_AT || letters)) {
          if ((rc = emit(&z, i, m, c == C_AT ? TD_HANDLE : TD_HASHTAG, 0))) return rc;
          i = m;
          continue;
        }
        if ((rc = emit(&z, i, k, TD_SYMBOL, 0))) return rc;
        i = k;
        continue;
      }
      case C_PERIOD:
        /* .5 is a number; a run of full stops is one token */
        if (i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9' &&
            (d->ntok == 0 || d->tok[d->ntok - 1].end < i)) {
          j = scan_word(&z, i + 1, &kind, &f);
          if ((rc = emit(&z, i, j, TD_NUMBER, f))) return rc;
          i = j;
          continue;
        }
        /* fall through */
      default: {
        int32_t cp = 0;
        j = i + (size_t)w;
        if (c == C_INVALID) {
          if ((rc = emit(&z, i, j, TD_SYMBOL, TD_F_INVALID))) return rc;
          i = j;
          continue;
        }
        if (s[i] < 0x80) {
          /* runs of one ASCII mark: ... -- !!! ?? ** == ; and ?! mixes */
          if (s[i] == '.' || s[i] == '!' || s[i] == '?')  /* ... ?! .? */
            while (j < len && (s[j] == '.' || s[j] == '!' || s[j] == '?') &&
                   !(s[i] == '.' && s[j] != '.' && j - i > 1))
              j++;
          else if (s[i] == '-' || s[i] == '*' || s[i] == '=' || s[i] == '_' || s[i] == '~' ||
                   s[i] == '#' || s[i] == '^' || s[i] == '+')   /* -- *** === ^^ +++ */
            while (j < len && s[j] == s[i]) j++;
          /* emoticons :) :-) ;) :( :D :P */
          if ((s[i] == ':' || s[i] == ';' || s[i] == '=') && j < len) {
            size_t k = j;
            if (s[k] == '-' && k + 1 < len) k++;
            if (strchr(")(DPp/", s[k]) != NULL && s[k] != '\0' &&
                (k + 1 >= len || !(IS_ALNUM(ascii_class[s[k + 1] & 0x7F]) && s[k + 1] < 0x80)) &&
                (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\n')) {
              if ((rc = emit(&z, i, k + 1, TD_SYMBOL, 0))) return rc;
              i = k + 1;
              continue;
            }
          }
        } else {
          td_utf8_decode(s + i, len - i, &cp);
          if (c == C_SYMBOL) j = scan_symbol_tail(s, len, j, cp);
          else if (cp == 0x2026) c = C_PUNCT;  /* … */
        }
        kind = (c == C_SYMBOL || c == C_AMP || c == C_MARK) ? TD_SYMBOL : TD_PUNCT;
        if (c == C_SYMBOL && s[i] < 0x80 && s[i] < 0x20) f = 0;  /* control byte */
        if ((rc = emit(&z, i, j, kind, f))) return rc;
        i = j;
        continue;
      }
    }
  }
  td_shrink(&d->A, (void **)&d->tok, &d->captok, d->ntok, sizeof(td_token));
  d->has_cand = use_blocks;
  return TD_OK;
}

int td_tokenize(td_doc *d, const td_opts *o, size_t *err_offset) {
  return tokenize(d, o, err_offset, 1);
}

int td_tokenize_reference(td_doc *d, const td_opts *o, size_t *err_offset) {
  return tokenize(d, o, err_offset, 0);
}
