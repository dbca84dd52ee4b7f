/*
 * wordbreak_ref.h - a slow, literal UAX #29 word-boundary reference, for
 * differential testing of td_wb_next (tools/wordbreak_test.c,
 * fuzz/fuzz_wordbreak.c).
 *
 * It decodes the whole text first and then decides every position on its
 * own, reading the rules straight from UAX #29 with full context in both
 * directions: no state carried from one boundary to the next, no fast paths.
 * It shares only the property table with wordbreak.c.
 *
 *   size_t wbref_boundaries(s, len, out, cap) -> number of boundaries after
 *   offset 0 (the last is len), written to out[] (at most cap of them).
 */
#ifndef TD_WORDBREAK_REF_H
#define TD_WORDBREAK_REF_H

#include <stdlib.h>

#include "tidings.h"
#include "wordbreak_table.h"

#define WBREF_MAX 8192   /* code points; longer texts are not checked */

typedef struct wbref_cp {
  size_t off;            /* byte offset of the code point */
  unsigned prop;         /* enum td_wb_prop */
  int pict;              /* Extended_Pictographic */
} wbref_cp;

static unsigned wbref_lookup(int32_t cp) {
  return td_wb_stage2[((unsigned)td_wb_stage1[cp >> TD_WB_SHIFT] << TD_WB_SHIFT) |
                      ((unsigned)cp & (TD_WB_BLOCK - 1))];
}

static int wbref_newline(unsigned p) {
  return p == TD_WB_CR || p == TD_WB_LF || p == TD_WB_Newline;
}
static int wbref_ignorable(unsigned p) {
  return p == TD_WB_Extend || p == TD_WB_Format || p == TD_WB_ZWJ;
}
static int wbref_ahletter(unsigned p) {
  return p == TD_WB_ALetter || p == TD_WB_Hebrew_Letter;
}
static int wbref_midletq(unsigned p) {
  return p == TD_WB_MidLetter || p == TD_WB_MidNumLet || p == TD_WB_Single_Quote;
}
static int wbref_midnumq(unsigned p) {
  return p == TD_WB_MidNum || p == TD_WB_MidNumLet || p == TD_WB_Single_Quote;
}

/* WB4: the index of the character that the run ending at j collapses to:
 * X (Extend | Format | ZWJ)* -> X, where X is not sot, CR, LF or Newline
 * (after those the first ignorable stands for itself). */
static size_t wbref_unit(const wbref_cp *c, size_t j) {
  while (j > 0 && wbref_ignorable(c[j].prop) && !wbref_newline(c[j - 1].prop)) j--;
  return j;
}

/* Is there a boundary between c[k-1] and c[k] (0 < k < m)? */
static int wbref_break(const wbref_cp *c, size_t m, size_t k) {
  unsigned a = c[k - 1].prop, b = c[k].prop;
  unsigned l1, l2 = TD_WB_NPROPS, r2 = TD_WB_NPROPS;   /* NPROPS = none */
  size_t u, j;
  if (a == TD_WB_CR && b == TD_WB_LF) return 0;             /* WB3 */
  if (wbref_newline(a)) return 1;                            /* WB3a */
  if (wbref_newline(b)) return 1;                            /* WB3b */
  if (a == TD_WB_ZWJ && c[k].pict) return 0;                 /* WB3c */
  if (a == TD_WB_WSegSpace && b == TD_WB_WSegSpace) return 0; /* WB3d */
  if (wbref_ignorable(b)) return 0;                          /* WB4 */
  u = wbref_unit(c, k - 1);
  l1 = c[u].prop;
  if (u > 0) l2 = c[wbref_unit(c, u - 1)].prop;
  for (j = k + 1; j < m && wbref_ignorable(c[j].prop); j++) {}
  if (j < m) r2 = c[j].prop;

  if (wbref_ahletter(l1) && wbref_ahletter(b)) return 0;                       /* WB5 */
  if (wbref_ahletter(l1) && wbref_midletq(b) && wbref_ahletter(r2)) return 0;  /* WB6 */
  if (wbref_ahletter(l2) && wbref_midletq(l1) && wbref_ahletter(b)) return 0;  /* WB7 */
  if (l1 == TD_WB_Hebrew_Letter && b == TD_WB_Single_Quote) return 0;         /* WB7a */
  if (l1 == TD_WB_Hebrew_Letter && b == TD_WB_Double_Quote && r2 == TD_WB_Hebrew_Letter)
    return 0;                                                                  /* WB7b */
  if (l2 == TD_WB_Hebrew_Letter && l1 == TD_WB_Double_Quote && b == TD_WB_Hebrew_Letter)
    return 0;                                                                  /* WB7c */
  if (l1 == TD_WB_Numeric && b == TD_WB_Numeric) return 0;                     /* WB8 */
  if (wbref_ahletter(l1) && b == TD_WB_Numeric) return 0;                      /* WB9 */
  if (l1 == TD_WB_Numeric && wbref_ahletter(b)) return 0;                      /* WB10 */
  if (l2 == TD_WB_Numeric && wbref_midnumq(l1) && b == TD_WB_Numeric) return 0; /* WB11 */
  if (l1 == TD_WB_Numeric && wbref_midnumq(b) && r2 == TD_WB_Numeric) return 0; /* WB12 */
  if (l1 == TD_WB_Katakana && b == TD_WB_Katakana) return 0;                   /* WB13 */
  if ((wbref_ahletter(l1) || l1 == TD_WB_Numeric || l1 == TD_WB_Katakana ||
       l1 == TD_WB_ExtendNumLet) && b == TD_WB_ExtendNumLet) return 0;         /* WB13a */
  if (l1 == TD_WB_ExtendNumLet &&
      (wbref_ahletter(b) || b == TD_WB_Numeric || b == TD_WB_Katakana)) return 0; /* WB13b */
  if (l1 == TD_WB_Regional_Indicator && b == TD_WB_Regional_Indicator) {      /* WB15, WB16 */
    size_t count = 0;
    for (;;) {
      if (c[u].prop != TD_WB_Regional_Indicator) break;
      count++;
      if (u == 0) break;
      u = wbref_unit(c, u - 1);
    }
    if (count % 2 == 1) return 0;
  }
  return 1;                                                                    /* WB999 */
}

/* Boundaries after offset 0, in order; returns their number, or (size_t)-1
 * when the text has more than WBREF_MAX code points or out[] is too small. */
static size_t wbref_boundaries(const uint8_t *s, size_t len, size_t *out, size_t cap) {
  wbref_cp *c;
  size_t m = 0, i = 0, k, n = 0;
  if (len == 0) return 0;
  c = malloc(sizeof *c * (len < WBREF_MAX ? len : WBREF_MAX));
  if (!c) return (size_t)-1;
  while (i < len) {
    int32_t cp;
    int w = td_utf8_decode(s + i, len - i, &cp);
    if (m == WBREF_MAX) { free(c); return (size_t)-1; }
    c[m].off = i;
    if (w == 0) {                   /* an invalid byte: one code point, Other */
      c[m].prop = TD_WB_Other;
      c[m].pict = 0;
      w = 1;
    } else {
      unsigned t = wbref_lookup(cp);
      c[m].prop = t & TD_WB_PROPMASK;
      c[m].pict = (t & TD_WB_EXTPICT) != 0;
    }
    m++;
    i += (size_t)w;
  }
  for (k = 1; k < m; k++) {
    if (!wbref_break(c, m, k)) continue;
    if (n == cap) { free(c); return (size_t)-1; }
    out[n++] = c[k].off;
  }
  free(c);
  if (n == cap) return (size_t)-1;
  out[n++] = len;                                  /* WB2 */
  return n;
}

#endif
