/*
 * wordbreak.c - UAX #29 word boundaries (rules WB1-WB999).
 *
 * td_wb_next walks forward from a boundary one code point at a time, keeping
 * just enough state for the rules that look behind:
 *
 *   raw  the Word_Break value of the code point just before the candidate
 *        boundary (WB3-WB3d look at adjacent characters only);
 *   p1   the value of the last code point that is not absorbed by WB4
 *        (X (Extend | Format | ZWJ)* -> X), and p2 the one before it;
 *   ri   how many Regional_Indicators end the sequence at p1 (WB15/16).
 *
 * The rules that look ahead (WB6, WB7b, WB12) skip Extend/Format/ZWJ too.
 * Which pairs join outright and which need that context comes from two
 * small tables, one row per left-hand value.
 *
 * Starting afresh at a boundary is exact: every rule that looks behind
 * across a boundary has a twin that looks ahead and would have removed it.
 *
 * Invalid UTF-8: each bad byte is one code point with Word_Break=Other, so
 * the segments always tile the text.  No allocation, no mutable state.
 */
#include "tidings.h"
#include "wordbreak_table.h"

const char td_wb_unicode_version[] = TD_WB_UNICODE_VERSION;

#define B(p) (1u << TD_WB_##p)
#define IN(set, p) (((set) >> (p)) & 1u)

#define NEWLINES  (B(CR) | B(LF) | B(Newline))
#define IGNORABLE (B(Extend) | B(Format) | B(ZWJ))
#define AHLETTER  (B(ALetter) | B(Hebrew_Letter))
#define MIDLETQ   (B(MidLetter) | B(MidNumLet) | B(Single_Quote))
#define MIDNUMQ   (B(MidNum) | B(MidNumLet) | B(Single_Quote))

/* Right-hand values that never break after a left-hand value (WB5, WB7a,
 * WB8, WB9, WB10, WB13, WB13a, WB13b). */
static const uint32_t wb_join[TD_WB_NPROPS] = {
  [TD_WB_ALetter] = AHLETTER | B(Numeric) | B(ExtendNumLet),
  [TD_WB_Hebrew_Letter] = AHLETTER | B(Numeric) | B(ExtendNumLet) | B(Single_Quote),
  [TD_WB_Numeric] = B(Numeric) | AHLETTER | B(ExtendNumLet),
  [TD_WB_Katakana] = B(Katakana) | B(ExtendNumLet),
  [TD_WB_ExtendNumLet] = B(ExtendNumLet) | AHLETTER | B(Numeric) | B(Katakana),
};

/* Right-hand values that join only in context (see wb_context). */
static const uint32_t wb_ctx[TD_WB_NPROPS] = {
  [TD_WB_ALetter] = MIDLETQ,                              /* WB6 */
  [TD_WB_Hebrew_Letter] = MIDLETQ | B(Double_Quote),      /* WB6, WB7b */
  [TD_WB_Numeric] = MIDNUMQ,                              /* WB12 */
  [TD_WB_MidLetter] = AHLETTER,                           /* WB7 */
  [TD_WB_MidNumLet] = AHLETTER | B(Numeric),              /* WB7, WB11 */
  [TD_WB_Single_Quote] = AHLETTER | B(Numeric),           /* WB7, WB11 */
  [TD_WB_MidNum] = B(Numeric),                            /* WB11 */
  [TD_WB_Double_Quote] = B(Hebrew_Letter),                /* WB7c */
  [TD_WB_Regional_Indicator] = B(Regional_Indicator),     /* WB15, WB16 */
};

/* Table byte (value | TD_WB_EXTPICT) of the code point at s[i] (i < len);
 * its length goes to *n. */
static inline unsigned wb_prop_at(const uint8_t *s, size_t len, size_t i, size_t *n) {
  int32_t cp;
  int k;
  if (s[i] < 0x80) {
    *n = 1;
    return td_wb_ascii[s[i]];
  }
  k = td_utf8_decode(s + i, len - i, &cp);
  if (k == 0) {
    *n = 1;
    return TD_WB_Other;
  }
  *n = (size_t)k;
  return td_wb_stage2[((unsigned)td_wb_stage1[cp >> TD_WB_SHIFT] << TD_WB_SHIFT) |
                      ((unsigned)cp & (TD_WB_BLOCK - 1))];
}

/* The value of the first code point at or after i that WB4 does not absorb;
 * Other at the end of the text. */
static unsigned wb_ahead(const uint8_t *s, size_t len, size_t i) {
  while (i < len) {
    size_t n;
    unsigned p = wb_prop_at(s, len, i, &n) & TD_WB_PROPMASK;
    if (!IN(IGNORABLE, p)) return p;
    i += n;
  }
  return TD_WB_Other;
}

/* Does (p2 p1 | c) join?  Called only when IN(wb_ctx[p1], c); `after` is
 * the offset just past c, for the look-ahead rules. */
static int wb_context(const uint8_t *s, size_t len, size_t after,
                      unsigned p2, unsigned p1, unsigned c, unsigned ri) {
  if (p1 == TD_WB_Regional_Indicator) return ri & 1u;     /* WB15, WB16 */
  if (IN(AHLETTER, p1)) {
    unsigned next = wb_ahead(s, len, after);
    if (c == TD_WB_Double_Quote) return next == TD_WB_Hebrew_Letter;  /* WB7b */
    return IN(AHLETTER, next);                            /* WB6 */
  }
  if (p1 == TD_WB_Numeric) return wb_ahead(s, len, after) == TD_WB_Numeric;  /* WB12 */
  if (IN(AHLETTER, c)) {
    if (p1 == TD_WB_Double_Quote) return p2 == TD_WB_Hebrew_Letter;  /* WB7c */
    return IN(AHLETTER, p2);                              /* WB7 */
  }
  return p2 == TD_WB_Numeric;                             /* WB11 */
}

size_t td_wb_next(const uint8_t *s, size_t len, size_t pos) {
  size_t i, n;
  unsigned raw, p1, p2 = TD_WB_Other, ri;

  if (pos >= len) return len;                             /* WB2 */
  if (s[pos] < 0x80 && pos + 1 < len && s[pos + 1] < 0x80) {
    /* Two ASCII characters: none is absorbed by WB4, none is a pictograph,
     * so only WB3, WB3d and the pair tables can join them. */
    unsigned a = td_wb_ascii[s[pos]], c = td_wb_ascii[s[pos + 1]];
    if (!IN(wb_join[a] | wb_ctx[a], c) && !(a == TD_WB_WSegSpace && c == TD_WB_WSegSpace) &&
        !(a == TD_WB_CR && c == TD_WB_LF))
      return pos + 1;
  }
  raw = p1 = wb_prop_at(s, len, pos, &n) & TD_WB_PROPMASK;
  ri = p1 == TD_WB_Regional_Indicator;
  i = pos + n;

  while (i < len) {
    unsigned full, c;

    /* ASCII letters after a letter: WB5 with nothing to look at. */
    if (raw == TD_WB_ALetter && s[i] < 0x80 && td_wb_ascii[s[i]] == TD_WB_ALetter) {
      p2 = p1 = TD_WB_ALetter;
      ri = 0;
      do i++; while (i < len && s[i] < 0x80 && td_wb_ascii[s[i]] == TD_WB_ALetter);
      continue;
    }

    if (s[i] < 0x80) {
      full = td_wb_ascii[s[i]];
      n = 1;
    } else {
      full = wb_prop_at(s, len, i, &n);
    }
    c = full & TD_WB_PROPMASK;
    if (IN(NEWLINES, raw)) {                              /* WB3, WB3a */
      if (raw == TD_WB_CR && c == TD_WB_LF) goto join;
      return i;
    }
    if (IN(NEWLINES, c)) return i;                        /* WB3b */
    if (IN(IGNORABLE, c)) {                               /* WB4 (and WB3c) */
      raw = c;
      i += n;
      continue;
    }
    if (raw == TD_WB_ZWJ && (full & TD_WB_EXTPICT)) goto join;              /* WB3c */
    if (raw == TD_WB_WSegSpace && c == TD_WB_WSegSpace) goto join;          /* WB3d */
    if (IN(wb_join[p1], c)) goto join;
    if (IN(wb_ctx[p1], c) && wb_context(s, len, i + n, p2, p1, c, ri)) goto join;
    return i;                                             /* WB999 */
  join:
    p2 = p1;
    raw = p1 = c;
    ri = c == TD_WB_Regional_Indicator ? ri + 1 : 0;
    i += n;
  }
  return len;                                             /* WB2 */
}
