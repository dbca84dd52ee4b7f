/*
 * numbers_dates.c - dates, times, durations and sets with TIMEX3-style
 * values ("2022-03", "XXXX-WXX-5", "T09:30Z", "P30D", "P1W").
 *
 * An expression is read into a `tv` (what was said: year, month, day,
 * weekday, time, grain, or an offset from the reference date), then written
 * twice: timex_raw as stated ("XXXX-03-05", "XXXX-WXX-5") and timex resolved
 * against opts.reference when one is given ("2025-03-05", "2025-05-16").
 * Deictic expressions ("tomorrow", "last week", "two years ago") have no
 * value without a reference.  All formatting is integer formatting.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "numbers.h"

enum { G_NONE, G_CENTURY, G_DECADE, G_YEAR, G_HALF, G_QUARTER, G_SEASON, G_MONTH, G_WEEK, G_WEEKEND,
       G_DAY, G_PART, G_HOUR, G_MIN, G_SEC };

typedef struct tv {
  int y, m, d, wd;          /* 0 = not said */
  int hh, mi, ss;           /* -1 = not said */
  int grain;
  int q;                    /* quarter 1-4, half 1-2, season 1-4 (SP SU FA WI), decade/century base */
  const char *tz;
  const char *part;         /* MO AF EV NI */
  int rel;                  /* 1: relative to the reference */
  int rel_unit, rel_n;      /* offset: rel_n units (TU_*) from the reference; rel_unit 0 = days */
  int rel_wd;               /* relative weekday: week offset in rel_n */
  int holiday;              /* index + 1 */
  int nth;                  /* nth weekday of the month (1..5, -1 last) */
  int yy;                   /* two-digit year */
  int wk;                   /* week of the month (or of the year without one): 1..5, 1..53 */
  int hdir;                 /* holidays: "next" 1, "last" -1, "this" 2 (the coming one) */
  int now;                  /* "now": TIMEX3 PRESENT_REF as written */
  int approx;               /* "in about two weeks": bound ~ */
  int cent_unsaid;          /* a decade said without its century ("the 70s"): "XX7" as written */
} tv;

static void tv_init(tv *t) {
  memset(t, 0, sizeof *t);
  t->hh = t->mi = t->ss = -1;
}

/* ---- calendar ---------------------------------------------------------- */

static long days_from_civil(long y, int m, int d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long yy = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

static int weekday(long days) { long w = (days + 3) % 7; if (w < 0) w += 7; return (int)w + 1; } /* Mon 1 */

static int month_len(int y, int m) {
  static const int ml[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return ml[m - 1];
}

static void iso_week(long days, int *wy, int *wn) {
  int y, m, d;
  long thu = days - weekday(days) + 4;
  civil_from_days(thu, &y, &m, &d);
  *wy = y;
  *wn = (int)((thu - days_from_civil(y, 1, 1)) / 7) + 1;
}

/* ---- formatting -------------------------------------------------------- */

typedef struct sbuf { char *p; size_t n, cap; } sbuf;
static void sb_put(sbuf *b, const char *s) { while (*s && b->n + 1 < b->cap) b->p[b->n++] = *s++; b->p[b->n] = 0; }
static void sb_int(sbuf *b, long v, int width) {
  char tmp[24]; int n = 0;
  int neg = v < 0;
  unsigned long u = neg ? (unsigned long)(-v) : (unsigned long)v;
  do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u && n < 20);
  while (n < width) tmp[n++] = '0';
  if (neg) tmp[n++] = '-';
  char out[24]; int k = 0;
  while (n) out[k++] = tmp[--n];
  out[k] = 0;
  sb_put(b, out);
}
/* A decimal with up to 3 fraction digits, no locale. */
static void sb_dec(sbuf *b, double v) {
  long ip = (long)v;
  long fp = lround((v - (double)ip) * 1000);
  if (fp >= 1000) { ip++; fp -= 1000; }
  sb_int(b, ip, 1);
  if (fp) {
    char f[5]; f[0] = '.'; f[1] = (char)('0' + fp / 100); f[2] = (char)('0' + fp / 10 % 10); f[3] = (char)('0' + fp % 10); f[4] = 0;
    int n = 3; while (f[n] == '0') f[n--] = 0;
    sb_put(b, f);
  }
}

static const char *const season_codes[] = { "", "SP", "SU", "FA", "WI" };

static void fmt_time(sbuf *b, const tv *t) {
  if (t->hh < 0) { if (t->part) { sb_put(b, "T"); sb_put(b, t->part); } return; }
  sb_put(b, "T"); sb_int(b, t->hh, 2);
  if (t->mi >= 0 && (t->grain >= G_MIN || t->mi)) { sb_put(b, ":"); sb_int(b, t->mi, 2); }
  if (t->ss > 0 || (t->ss == 0 && t->grain == G_SEC)) { sb_put(b, ":"); sb_int(b, t->ss, 2); }
  if (t->tz) sb_put(b, t->tz);
}

/* timex of an absolute or X-filled tv. */
static void fmt_tv(sbuf *b, const tv *t) {
  if (t->grain == G_CENTURY) { sb_int(b, t->q, 2); return; }
  if (t->grain == G_DECADE) {
    if (t->cent_unsaid) { sb_put(b, "XX"); sb_int(b, t->q / 10 % 10, 1); } else sb_int(b, t->q / 10, 3);
    return;
  }
  if (t->grain == G_SEASON && !t->y) { sb_put(b, season_codes[t->q]); return; }   /* "SU" */
  if (t->y) sb_int(b, t->y, 4); else if (t->m || t->d || !t->wd || !(t->grain >= G_DAY || t->grain == G_NONE)) sb_put(b, "XXXX");
  switch (t->grain) {
    case G_YEAR: break;
    case G_HALF: sb_put(b, "-H"); sb_int(b, t->q, 1); break;
    case G_QUARTER: sb_put(b, "-Q"); sb_int(b, t->q, 1); break;
    case G_SEASON: sb_put(b, "-"); sb_put(b, season_codes[t->q]); break;
    case G_MONTH: sb_put(b, "-"); if (t->m) sb_int(b, t->m, 2); else sb_put(b, "XX"); break;
    case G_WEEK: case G_WEEKEND:
      if (t->wk) { if (t->m) { sb_put(b, "-"); sb_int(b, t->m, 2); } sb_put(b, "-W"); sb_int(b, t->wk, 2); }
      else if (t->d) { sb_put(b, "-W"); sb_int(b, t->d, 2); } else sb_put(b, "-WXX");
      if (t->grain == G_WEEKEND) sb_put(b, "-WE");
      break;
    default:
      if (t->grain >= G_DAY || t->grain == G_NONE) {
        if (t->nth && t->m && t->wd) {
          sb_put(b, "-"); sb_int(b, t->m, 2); sb_put(b, "-WXX-"); sb_int(b, t->wd, 1);
          sb_put(b, "-#"); sb_int(b, t->nth, 1);
        } else if (!t->m && !t->d && t->wd) { if (!t->y) sb_put(b, "XXXX"); sb_put(b, "-WXX-"); sb_int(b, t->wd, 1); }
        else if (t->m || t->d) {
          sb_put(b, "-"); if (t->m) sb_int(b, t->m, 2); else sb_put(b, "XX");
          sb_put(b, "-"); if (t->d) sb_int(b, t->d, 2); else sb_put(b, "XX");
        } else if (!t->y) { b->n = 0; b->p[0] = 0; }
        if (t->grain >= G_PART || t->hh >= 0) fmt_time(b, t);
      }
  }
}

/* ---- resolution -------------------------------------------------------- */

static int nth_weekday(int y, int m, int wd, int n);

static int has_ref(const td_nctx *c) { return c->o->ref_y > 0; }
static long ref_days(const td_nctx *c) { return days_from_civil(c->o->ref_y, c->o->ref_m, c->o->ref_d); }

static void set_day(tv *t, long days) { civil_from_days(days, &t->y, &t->m, &t->d); t->wd = 0; }

/* Resolve t against the reference (when there is one) into r. */
static int resolve(const td_nctx *c, const tv *t, tv *r) {
  *r = *t;
  r->cent_unsaid = 0;   /* resolved: the 1900s' decade */
  if (!has_ref(c)) return 0;
  long ref = ref_days(c);
  int ry = c->o->ref_y, rm = c->o->ref_m;
  if (t->rel) {
    r->rel = 0;
    switch (t->rel_unit) {
      case 0: case TU_DAY: case TU_NIGHT: set_day(r, ref + t->rel_n); if (r->grain < G_DAY) r->grain = G_DAY; break;
      case TU_WEEK: case TU_WEEKEND: case TU_FORTNIGHT: {
        long dd = ref + 7L * t->rel_n * (t->rel_unit == TU_FORTNIGHT ? 2 : 1);
        if (t->rel_wd) {   /* weekday of that week */
          set_day(r, dd - weekday(dd) + t->rel_wd); r->grain = t->grain > G_DAY ? t->grain : G_DAY;
        } else if (t->grain == G_WEEK || t->grain == G_WEEKEND) {
          int wy, wn; iso_week(dd, &wy, &wn); r->y = wy; r->d = wn; r->m = 0;
        } else set_day(r, dd);
        break;
      }
      case TU_MONTH: case TU_QUARTER: {
        int months = t->rel_n * (t->rel_unit == TU_QUARTER ? 3 : 1);
        int mm = ry * 12 + (rm - 1) + months;
        if (t->grain == G_QUARTER) {
          int qm = ry * 12 + ((rm - 1) / 3) * 3 + months;
          r->y = qm / 12; r->q = (qm % 12) / 3 + 1; break;
        }
        r->y = mm / 12; r->m = mm % 12 + 1;
        if (t->nth) { r->d = nth_weekday(r->y, r->m, t->wd, t->nth); r->wd = 0; r->nth = 0; break; }
        if (t->grain >= G_DAY) {
          int d = t->d ? t->d : c->o->ref_d;
          r->d = d > month_len(r->y, r->m) ? month_len(r->y, r->m) : d;
        }
        break;
      }
      case TU_YEAR: case TU_DECADE: case TU_CENTURY: {
        int k = t->rel_unit == TU_YEAR ? 1 : t->rel_unit == TU_DECADE ? 10 : 100;
        r->y = ry + t->rel_n * k;
        if (t->grain >= G_DAY) {
          r->m = t->m ? t->m : rm; r->d = t->d ? t->d : c->o->ref_d;
          if (r->d > month_len(r->y, r->m)) r->d = month_len(r->y, r->m);
        }
        else if (t->grain == G_MONTH && !t->m) r->m = rm;
        if (t->grain == G_DECADE) r->q = r->y / 10 * 10;
        if (t->grain == G_CENTURY) r->q = r->y / 100;
        break;
      }
      case TU_HOUR: case TU_MIN: case TU_SEC: {
        /* "in 5 minutes": a clock time when the reference has one, else the date */
        if (!c->o->ref_time) { set_day(r, ref); r->grain = G_DAY; break; }
        long secs = (long)c->o->ref_hh * 3600 + c->o->ref_mi * 60 + c->o->ref_ss +
                    (long)t->rel_n * (t->rel_unit == TU_HOUR ? 3600 : t->rel_unit == TU_MIN ? 60 : 1);
        long dd = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
        secs -= dd * 86400;
        set_day(r, ref + dd);
        r->hh = (int)(secs / 3600); r->mi = (int)(secs / 60 % 60); r->ss = (int)(secs % 60);
        r->grain = G_SEC; r->part = NULL;
        break;
      }
    }
    return 1;
  }
  if (t->nth && t->m) {
    r->y = t->y ? t->y : ry;
    r->d = nth_weekday(r->y, t->m, t->wd, t->nth); r->wd = 0; r->nth = 0;
    return 1;
  }
  /* "Fri, Jul 18": the nearest year where that day is that weekday */
  if (!t->y && t->m && t->d && t->wd && t->grain >= G_DAY) {
    long best = 0, bestd = -1;
    for (int y = ry - 7; y <= ry + 7; y++) {
      if (t->d > month_len(y, t->m)) continue;
      long dd = days_from_civil(y, t->m, t->d);
      if (weekday(dd) != t->wd || (c->o->future && dd < ref)) continue;
      long ad = dd < ref ? ref - dd : dd - ref;
      if (bestd < 0 || ad < bestd) { bestd = ad; best = dd; }
    }
    if (bestd >= 0) { set_day(r, best); return 1; }
  }
  /* underspecified: fill the year (nearest, or the next one) */
  if (!t->y && t->m && (t->grain == G_MONTH || t->grain >= G_DAY)) {
    int best = ry; long bestd = -1;
    for (int y = ry - 1; y <= ry + 1; y++) {
      int d = t->d ? (t->d > month_len(y, t->m) ? month_len(y, t->m) : t->d) : 15;
      long dd = days_from_civil(y, t->m, d) - ref;
      if (c->o->future && dd < 0) continue;
      long ad = dd < 0 ? -dd : dd;
      if (bestd < 0 || ad < bestd) { bestd = ad; best = y; }
    }
    r->y = best;
    return 1;
  }
  if (!t->y && !t->m && t->wd && t->d && t->grain >= G_DAY) {
    /* "Thursday the 21st": the nearest month where the 21st is a Thursday */
    long best = 0, bestd = -1;
    for (int dm = -6; dm <= 6; dm++) {
      int mm = ry * 12 + (rm - 1) + dm, yy = mm / 12, m2 = mm % 12 + 1;
      if (t->d > month_len(yy, m2)) continue;
      long dd = days_from_civil(yy, m2, t->d);
      if (weekday(dd) != t->wd) continue;
      long ad = dd - ref < 0 ? ref - dd : dd - ref;
      if (c->o->future && dd < ref) continue;
      if (bestd < 0 || ad < bestd) { bestd = ad; best = dd; }
    }
    if (bestd < 0) return 0;
    set_day(r, best);
    return 1;
  }
  if (!t->y && !t->m && t->wd && t->grain >= G_DAY) {
    long base = ref;
    int off = t->wd - weekday(base);
    if (c->o->future) { if (off <= 0) off += 7; }
    else { if (off > 3) off -= 7; else if (off < -3) off += 7; }
    set_day(r, base + off);
    return 1;
  }
  if (!t->y && !t->m && t->d && t->grain >= G_DAY) {     /* "the 24th" */
    r->y = ry; r->m = rm;
    if (c->o->future && t->d < c->o->ref_d) { if (++r->m > 12) { r->m = 1; r->y++; } }
    return 1;
  }
  if (!t->y && (t->grain == G_QUARTER || t->grain == G_HALF || t->grain == G_SEASON)) { r->y = ry; return 1; }
  if (t->yy && !t->y) { r->y = t->yy; return 1; }
  if (t->grain == G_DECADE && t->cent_unsaid) return 1;
  return 0;
}

static void write_tv(const td_nctx *c, const tv *t, td_number *out) {
  sbuf b = { out->timex_raw, 0, sizeof out->timex_raw };
  out->timex_raw[0] = 0;
  if (!t->rel && t->wd && t->d && !t->m && !t->y) {
    /* "Monday 21": TIMEX3 cannot say both; as written, the weekday (the resolved value has the day) */
    tv w = *t;
    w.d = 0;
    fmt_tv(&b, &w);
  } else if (!t->rel) fmt_tv(&b, t);
  tv r;
  int ok = resolve(c, t, &r);
  sbuf b2 = { out->timex, 0, sizeof out->timex };
  out->timex[0] = 0;
  if (ok) fmt_tv(&b2, &r);
  else if (!t->rel) sb_put(&b2, out->timex_raw);
  if (!strcmp(out->timex, out->timex_raw)) out->timex_raw[0] = 0;
  if (t->now) { sbuf b3 = { out->timex_raw, 0, sizeof out->timex_raw }; out->timex_raw[0] = 0; sb_put(&b3, "PRESENT_REF"); }
}

/* ---- pieces ------------------------------------------------------------ */

static int is_num(const td_nctx *c, size_t i) { return i < c->na && c->a[i].cls == AC_NUM; }
static int is_word(const td_nctx *c, size_t i) { return i < c->na && c->a[i].cls == AC_WORD; }
static int plain_int(const td_nctx *c, size_t i, int *v, int maxdig) {
  if (!is_num(c, i) || c->a[i].sep || c->a[i].nd > maxdig) return 0;
  int x = 0;
  for (uint32_t k = c->a[i].s; k < c->a[i].e; k++) x = x * 10 + (c->t[k] - '0');
  *v = x;
  return 1;
}
static int dashlike(const td_nctx *c, size_t i) {
  return td_n_punct(c, i, '-') || td_n_punct(c, i, 0x2013) || td_n_punct(c, i, 0x2014);
}

/* A day of the month: 5, 5th, fifth, twenty-second; returns end. */
static size_t day_num(const td_nctx *c, size_t i, int *d, int allow_plain) {
  int v;
  if (plain_int(c, i, &v, 2) && v >= 1 && v <= 31) {
    size_t k = i + 1;
    if (is_word(c, k) && td_n_adjacent(c, k) && (td_n_eq(c, k, "st") || td_n_eq(c, k, "nd") || td_n_eq(c, k, "rd") || td_n_eq(c, k, "th"))) {
      *d = v; return k + 1;
    }
    if (!allow_plain) return 0;
    /* glued: only "14april" standing alone, not in "www.19sep.org" */
    if (is_word(c, k) && td_n_adjacent(c, k) &&
        (!td_n_lex(c, k, L_MONTH) || (i > 0 && td_n_adjacent(c, i)) ||
         (td_n_adjacent(c, k + 1) && (is_word(c, k + 1) || is_num(c, k + 1) || (td_n_adjacent(c, k + 2) && is_word(c, k + 2))))))
      return 0;
    *d = v; return k;
  }
  td_nval nv;
  if (is_word(c, i) && td_n_number(c, i, 2 | 4, &nv) && nv.v >= 1 && nv.v <= 31 && nv.v == floor(nv.v) &&
      (nv.kind == TD_N_ORDINAL || (allow_plain == 2 && nv.kind == TD_N_CARDINAL && !td_n_lex(c, nv.end, L_TUNIT) &&
                                   !td_n_lex(c, nv.end, L_SCALE)))) {   /* "October two thousand" is a year */
    *d = (int)nv.v; return nv.end;
  }
  return 0;
}

/* A year in words: "nineteen ninety-six", "nineteen oh one", "twenty
 * twenty", "eighteen hundred", "two thousand and fifteen", "one thousand
 * seven hundred and eighty nine". */
static size_t year_words(const td_nctx *c, size_t i, int *y) {
  const td_lex *L;
  td_nval nv;
  if (!is_word(c, i) || !c->a[i].val) return 0;
  int hi = 0;
  if ((L = td_n_lex(c, i, L_NUM)) && L->val >= 10 && L->val <= 19) hi = (int)L->val;
  else if ((L = td_n_lex(c, i, L_TENS)) && L->val == 20) hi = 20;
  if (hi && is_word(c, i + 1)) {
    size_t k = i + 1;
    if ((td_n_eq(c, k, "oh") || td_n_eq(c, k, "zero") || td_n_eq(c, k, "o")) && (L = td_n_lex(c, k + 1, L_NUM)) && L->val >= 1 && L->val <= 9) {
      *y = hi * 100 + (int)L->val; return k + 2;
    }
    if (hi < 20 && td_n_eq(c, k, "hundred") && !td_n_eq(c, k + 1, "and") && !td_n_lex(c, k + 1, L_NUM) && !td_n_lex(c, k + 1, L_TENS)) {
      *y = hi * 100; return k + 1;
    }
    if (td_n_number(c, k, 2 | 4, &nv) && nv.kind == TD_N_CARDINAL && nv.isint && nv.words && nv.v >= 10 && nv.v <= 99 &&
        !td_n_lex(c, nv.end, L_SCALE)) {
      *y = hi * 100 + (int)nv.v; return nv.end;
    }
  }
  /* "two thousand (and) fifteen": a whole number with a scale word */
  if (td_n_number(c, i, 4, &nv) && nv.kind == TD_N_CARDINAL && nv.isint && nv.words && nv.v >= 1000 && nv.v <= 2999 &&
      nv.end > i + 1 && !td_n_lex(c, nv.end, L_SCALE)) {
    *y = (int)nv.v; return nv.end;
  }
  return 0;
}

static size_t year_num(const td_nctx *c, size_t i, int *y) {
  int v;
  if (is_word(c, i)) return year_words(c, i, y);
  if (plain_int(c, i, &v, 4) && c->a[i].nd == 4 && v >= 1000 && v <= 2999) {
    if (is_word(c, i + 1) && td_n_adjacent(c, i + 1) && !td_n_eq(c, i + 1, "s") &&
        !((td_n_eq(c, i + 1, "q") || td_n_eq(c, i + 1, "h")) && is_num(c, i + 2) && td_n_adjacent(c, i + 2))) return 0;   /* "2018Q4" */
    *y = v; return i + 1;
  }
  /* '15 */
  if ((td_n_punct(c, i, '\'') || td_n_punct(c, i, 0x2019)) && plain_int(c, i + 1, &v, 2) && c->a[i + 1].nd == 2 && td_n_adjacent(c, i + 1)) {
    *y = v < 50 ? 2000 + v : 1900 + v; return i + 2;
  }
  return 0;
}

/* The year of a month or day said after it with "of" or "in": "June of 1999",
 * "April of 87", "fourth of July of 1995", "April in 2016". */
static size_t year_after(const td_nctx *c, size_t i, int *y) {
  int v;
  size_t e;
  if (!td_n_eq(c, i, "of") && !td_n_eq(c, i, "in")) return 0;
  if ((e = year_num(c, i + 1, y))) return e;
  /* two digits after "of" only ("in 87" may be a count) */
  if (td_n_eq(c, i, "of") && plain_int(c, i + 1, &v, 2) && c->a[i + 1].nd == 2 && !is_word(c, i + 2) && !td_n_punct(c, i + 2, '%')) {
    *y = v < 50 ? 2000 + v : 1900 + v;
    return i + 2;
  }
  return 0;
}

static const td_lex *month_at(const td_nctx *c, size_t i, size_t *end) {
  const td_lex *L = td_n_lex(c, i, L_MONTH);
  if (!L) return NULL;
  size_t k = i + 1;
  /* "Oct." keeps its dot, but not the full stop that ends a sentence */
  if (L->sub == 1 && td_n_punct(c, k, '.') && td_n_adjacent(c, k) && k + 1 < c->na && !c->a[k + 1].sent) k++;
  *end = k;
  return L;
}

static const td_lex *wday_at(const td_nctx *c, size_t i, size_t *end) {
  const td_lex *L = td_n_lex(c, i, L_WDAY);
  if (!L || L->sub == 2) return NULL;
  if (L->sub == 1) {
    if (td_n_eq(c, i, "sun") || td_n_eq(c, i, "sat") || td_n_eq(c, i, "wed")) { if (!c->a[i].cap && !td_n_punct(c, i + 1, '.') && !td_n_punct(c, i + 1, ',')) return NULL; }
  }
  size_t k = i + 1;
  /* "Oct." keeps its dot, but not the full stop that ends a sentence */
  if (L->sub == 1 && td_n_punct(c, k, '.') && td_n_adjacent(c, k) && k + 1 < c->na && !c->a[k + 1].sent) k++;
  *end = k;
  return L;
}

/* Words before a bare month or year that make it a date. */
static int date_prep(const td_nctx *c, size_t i) {
  static const char *const w[] = { "in", "since", "by", "until", "till", "from", "to", "before", "after", "during",
                                   "of", "through", "early", "late", "mid", "end", "beginning", "start", "year", "on",
                                   "between", "and", "last", "next", "this", "throughout", "circa", "around", "for", "fiscal", NULL };
  if (i >= c->na) return 0;
  /* asked of the word before many tries, again and again: the first ask
   * notes the answer in the atom (a per-call cache, like NG_HOL) */
  td_natom *a = &c->a[i];
  if (!(a->gate & NG_PREP_KNOWN)) {
    int hit = 0;
    /* td_n_eq needs the word's first two bytes: only words whose pair is
     * one of w[]'s are compared (most atoms are none) */
    int may;
    switch (a->lc0) {
      case 'a': may = a->lc1 == 'f' || a->lc1 == 'n' || a->lc1 == 'r'; break;   /* after and around */
      case 'b': may = a->lc1 == 'y' || a->lc1 == 'e'; break;                    /* by before beginning between */
      case 'c': may = a->lc1 == 'i'; break;                                     /* circa */
      case 'd': may = a->lc1 == 'u'; break;                                     /* during */
      case 'e': may = a->lc1 == 'a' || a->lc1 == 'n'; break;                    /* early end */
      case 'f': may = a->lc1 == 'r' || a->lc1 == 'o' || a->lc1 == 'i'; break;   /* from for fiscal */
      case 'i': may = a->lc1 == 'n'; break;                                     /* in */
      case 'l': may = a->lc1 == 'a'; break;                                     /* late last */
      case 'm': may = a->lc1 == 'i'; break;                                     /* mid */
      case 'n': may = a->lc1 == 'e'; break;                                     /* next */
      case 'o': may = a->lc1 == 'f' || a->lc1 == 'n'; break;                    /* of on */
      case 's': may = a->lc1 == 'i' || a->lc1 == 't'; break;                    /* since start */
      case 't': may = a->lc1 == 'i' || a->lc1 == 'o' || a->lc1 == 'h'; break;   /* till to through this throughout */
      case 'u': may = a->lc1 == 'n'; break;                                     /* until */
      case 'y': may = a->lc1 == 'e'; break;                                     /* year */
      default: may = 0;
    }
    for (int k = 0; may && w[k] && !hit; k++) hit = td_n_eq(c, i, w[k]);
    a->gate = (uint8_t)(a->gate | NG_PREP_KNOWN | (hit ? NG_PREP : 0));
  }
  return (a->gate & NG_PREP) != 0;
}

/* The words other than lexicon words on which some rules below can begin,
 * with those rules (GR_*): td_n_number (GR_NUM), clock_time, dur_amount,
 * td_n_duration, offset_date0, period, framed_date.  A rule's set holds
 * the words its code compares at its first atom. */
enum { GR_NUM = 1, GR_CLOCK = 2, GR_DUR = 4, GR_TDUR = 8, GR_OFF = 16, GR_PERIOD = 32, GR_FRAME = 64, GR_KNOWN = 128 };
enum { GR_NUMS = GR_NUM | GR_CLOCK | GR_DUR | GR_TDUR | GR_OFF | GR_PERIOD | GR_FRAME,   /* a number begins them all */
       GR_DURS = GR_DUR | GR_TDUR | GR_OFF };
typedef struct gram_word { const char *w; uint8_t rules; } gram_word;
static const gram_word *gram_words(int c0) {
  static const gram_word a[] = { { "a", GR_NUMS }, { "an", GR_NUMS }, { "another", GR_DURS }, { "all", GR_TDUR | GR_OFF },
                                 { "autumn", GR_PERIOD }, { NULL, 0 } };
  static const gram_word cc[] = { { "couple", GR_DURS }, { NULL, 0 } };
  static const gram_word e[] = { { "entire", GR_TDUR | GR_OFF }, { NULL, 0 } };
  static const gram_word f[] = { { "few", GR_DURS }, { "full", GR_TDUR | GR_OFF }, { "fortnight", GR_TDUR | GR_OFF },
                                 { "fall", GR_PERIOD }, { "first", GR_FRAME }, { NULL, 0 } };
  static const gram_word h[] = { { "h", GR_PERIOD }, { "half", GR_CLOCK | GR_TDUR | GR_OFF }, { NULL, 0 } };
  static const gram_word in[] = { { "in", GR_OFF }, { NULL, 0 } };
  static const gram_word l[] = { { "last", GR_FRAME }, { NULL, 0 } };
  static const gram_word m[] = { { "minus", GR_NUMS }, { "midday", GR_CLOCK }, { "midmorning", GR_CLOCK },
                                 { "midafternoon", GR_CLOCK }, { "mid", GR_CLOCK }, { "midnight", GR_CLOCK },
                                 { "month", GR_FRAME }, { NULL, 0 } };
  static const gram_word n[] = { { "negative", GR_NUMS }, { "noon", GR_CLOCK }, { "noonish", GR_CLOCK }, { NULL, 0 } };
  static const gram_word q[] = { { "q", GR_PERIOD }, { "quarter", GR_CLOCK }, { NULL, 0 } };
  static const gram_word sv[] = { { "several", GR_DURS }, { "some", GR_DURS }, { "spring", GR_PERIOD }, { "summer", GR_PERIOD },
                                  { NULL, 0 } };
  static const gram_word th[] = { { "the", GR_PERIOD | GR_FRAME }, { NULL, 0 } };
  static const gram_word w[] = { { "whole", GR_TDUR | GR_OFF }, { "winter", GR_PERIOD }, { "w", GR_FRAME }, { "week", GR_FRAME },
                                 { "within", GR_OFF }, { NULL, 0 } };
  static const gram_word y[] = { { "year", GR_FRAME }, { NULL, 0 } };
  switch (c0) {
    case 'a': return a; case 'c': return cc; case 'e': return e; case 'f': return f; case 'h': return h;
    case 'i': return in; case 'l': return l; case 'm': return m; case 'n': return n; case 'q': return q;
    case 's': return sv; case 't': return th; case 'w': return w; case 'y': return y;
    default: return NULL;
  }
}

/* May rule `rule` (GR_*) begin at atom i?  Yes for every atom but a word
 * that is in no lexicon entry and not one of the rule's gram_words (a
 * necessary condition; a word's rules are worked out on the first ask and
 * kept in its atom, td_natom.gw). */
static int gram_may(const td_nctx *c, size_t i, unsigned rule) {
  if (i >= c->na) return 0;
  td_natom *a = &c->a[i];
  if (a->cls != AC_WORD || a->lex >= 0) return 1;
  if (!(a->gw & GR_KNOWN)) {
    unsigned r = GR_KNOWN;
    const gram_word *L = gram_words(a->lc0);
    for (; L && L->w; L++) if (td_n_eq(c, i, L->w)) { r |= L->rules; break; }
    a->gw = (uint8_t)r;
  }
  return (a->gw & rule) != 0;
}

/* ---- times ------------------------------------------------------------- */

static size_t ampm(const td_nctx *c, size_t k, int *pm) {
  /* am pm a.m. p.m. a p */
  if (td_n_eq(c, k, "am") || td_n_eq(c, k, "pm")) { *pm = td_n_eq(c, k, "pm"); return k + 1 + (td_n_punct(c, k + 1, '.') && 0); }
  if ((td_n_eq(c, k, "a") || td_n_eq(c, k, "p")) && td_n_punct(c, k + 1, '.') && td_n_adjacent(c, k + 1) &&
      td_n_eq(c, k + 2, "m") && td_n_adjacent(c, k + 2)) {
    *pm = td_n_eq(c, k, "p");
    return td_n_punct(c, k + 3, '.') && td_n_adjacent(c, k + 3) ? k + 4 : k + 3;
  }
  /* "7 p. m", "seven thirty p m", "1140 a m": spaced out */
  if ((td_n_eq(c, k, "a") || td_n_eq(c, k, "p")) && !td_n_adjacent(c, k)) {
    size_t z = k + 1;
    if (td_n_punct(c, z, '.') && td_n_adjacent(c, z)) z++;
    if (td_n_eq(c, z, "m") && !(is_word(c, z + 1) && td_n_adjacent(c, z + 1))) {
      *pm = td_n_eq(c, k, "p");
      return td_n_punct(c, z + 1, '.') && td_n_adjacent(c, z + 1) ? z + 2 : z + 1;
    }
  }
  if ((td_n_eq(c, k, "a") || td_n_eq(c, k, "p")) && td_n_adjacent(c, k) && !is_word(c, k + 1)) {
    /* "9a." keeps its dot, but not the full stop that ends a sentence */
    if (td_n_punct(c, k + 1, '.') && td_n_adjacent(c, k + 1) && k + 2 < c->na && !c->a[k + 2].sent) { *pm = td_n_eq(c, k, "p"); return k + 2; }
    *pm = td_n_eq(c, k, "p"); return k + 1;
  }
  return 0;
}

static size_t tzone(const td_nctx *c, size_t k, const char **tz) {
  static const struct { const char *w, *tz; } z[] = {
    { "gmt", "Z" }, { "utc", "Z" }, { "z", "Z" }, { "bst", "+01:00" }, { "cet", "+01:00" }, { "cest", "+02:00" },
    { "eet", "+02:00" }, { "eest", "+03:00" }, { "msk", "+03:00" }, { "est", "-05:00" }, { "edt", "-04:00" },
    { "cst", "-06:00" }, { "cdt", "-05:00" }, { "mst", "-07:00" }, { "mdt", "-06:00" }, { "pst", "-08:00" },
    { "pdt", "-07:00" }, { "ist", "+05:30" }, { "jst", "+09:00" }, { "aest", "+10:00" }, { "kyiv", NULL },
  };
  if (!is_word(c, k)) return 0;
  /* after a clock ("9 pst", "5pm CET"): these letters are no English words, any case will do */
  for (size_t t = 0; t < sizeof z / sizeof z[0]; t++)
    if (z[t].tz && td_n_eq(c, k, z[t].w) && (c->a[k].cap == 2 || c->a[k].e - c->a[k].s >= 3 || td_n_eq(c, k, "z"))) {
      *tz = z[t].tz; return k + 1;
    }
  /* a zone by name, its offset left unsaid (summer or winter): "ET", "PT", "7 PM Eastern",
   * "1pm mountain timezone", "Pacific Standard Time", "12PM Singapore time", "local time" */
  size_t q = k;
  int named = 0;
  if (c->a[k].cap == 2 && c->a[k].e - c->a[k].s == 2 &&
      (td_n_eq(c, k, "et") || td_n_eq(c, k, "pt") || td_n_eq(c, k, "ct") || td_n_eq(c, k, "mt"))) { *tz = ""; return k + 1; }
  if (td_n_eq(c, q, "eastern") || td_n_eq(c, q, "central") || td_n_eq(c, q, "mountain") || td_n_eq(c, q, "pacific") ||
      td_n_eq(c, q, "atlantic")) { named = 1; q++; }
  else if (td_n_eq(c, q, "local")) { named = 2; q++; }
  else {
    /* one or two capitalised words, then "time": "Beijing time", "New York time" */
    while (q < k + 2 && is_word(c, q) && c->a[q].cap == 1 && !td_n_lex(c, q, L_MONTH) && !td_n_lex(c, q, L_WDAY)) q++;
    if (q > k) named = 2;
  }
  if (!named) return 0;
  if (td_n_eq(c, q, "standard") || td_n_eq(c, q, "daylight")) {
    if (!td_n_eq(c, q + 1, "time")) return named == 1 && !(is_word(c, q) && c->a[q].cap) ? (*tz = "", q) : 0;
    q++;
  }
  if (td_n_eq(c, q, "timezone")) q++;
  else if (td_n_eq(c, q, "time")) { q++; if (td_n_eq(c, q, "zone")) q++; }
  else if (named == 2) return 0;   /* "5pm Beijing" alone may be a place */
  else if (is_word(c, q) && c->a[q].cap) return 0;   /* "5 pm Eastern Ukraine" */
  *tz = "";
  return q;
}

/* A part of the day: morning afternoon evening night. */
static const char *part_word(const td_nctx *c, size_t k, int *hour) {
  if (td_n_eq(c, k, "morning")) { *hour = 8; return "MO"; }
  if (td_n_eq(c, k, "afternoon")) { *hour = 14; return "AF"; }
  if (td_n_eq(c, k, "evening")) { *hour = 19; return "EV"; }
  if (td_n_eq(c, k, "night")) { *hour = 21; return "NI"; }
  return NULL;
}

static void apply_pm(tv *t, int pm) {
  if (pm == 1 && t->hh < 12) t->hh += 12;
  if (pm == 0 && t->hh == 12) t->hh = 0;
}

/* "in the morning", "in the afternoon", "at night", "this evening", "tonight" after a time */
static size_t time_part_suffix(const td_nctx *c, size_t k, tv *t) {
  int h;
  const char *p;
  if (td_n_eq(c, k, "in") && td_n_eq(c, k + 1, "the") && (p = part_word(c, k + 2, &h))) {
    if (h >= 12 && t->hh < 12) t->hh += 12;
    if (h == 21 && t->hh == 12) t->hh = 0;   /* "12 in the night" is midnight */
    return k + 3;
  }
  if (td_n_eq(c, k, "in") && (p = part_word(c, k + 1, &h)) && !td_n_eq(c, k + 1, "night")) {
    if (h >= 12 && t->hh < 12) t->hh += 12;
    return k + 2;
  }
  if (td_n_eq(c, k, "at") && td_n_eq(c, k + 1, "night")) { if (t->hh < 12 && t->hh >= 6) t->hh += 12; return k + 2; }
  if ((td_n_eq(c, k, "afternoon") || td_n_eq(c, k, "evening")) && !is_word(c, k + 1)) {   /* "half past seven afternoon" */
    if (t->hh < 12) t->hh += 12;
    return k + 1;
  }
  if (td_n_eq(c, k, "tonight")) { if (t->hh < 12) t->hh += 12; t->rel = 1; t->rel_n = 0; t->rel_unit = 0; return k + 1; }
  if ((td_n_eq(c, k, "this") || td_n_eq(c, k, "tomorrow") || td_n_eq(c, k, "yesterday")) && (p = part_word(c, k + 1, &h))) {
    if (h >= 12 && t->hh < 12) t->hh += 12;
    t->rel = 1; t->rel_unit = 0; t->rel_n = td_n_eq(c, k, "tomorrow") ? 1 : td_n_eq(c, k, "yesterday") ? -1 : 0;
    return k + 2;
  }
  return k;
}

/* Minutes in words: "thirty", "forty five", "fifteen" (1..59). */
static size_t minute_words(const td_nctx *c, size_t k, int *mi) {
  td_nval nv;
  if (is_word(c, k) && td_n_number(c, k, 2 | 4, &nv) && nv.kind == TD_N_CARDINAL && nv.isint && nv.v >= 1 && nv.v < 60) {
    *mi = (int)nv.v; return nv.end;
  }
  if (td_n_eq(c, k, "oh") && is_word(c, k + 1) && td_n_number(c, k + 1, 2 | 4, &nv) && nv.v < 10) { *mi = (int)nv.v; return nv.end; }
  return 0;
}

/* A clock time at i.  need_cue: a bare "7" or "seven" is a time only with a cue. */
static size_t clock_time(const td_nctx *c, size_t i, tv *t, int cue) {
  int h, m, pm = -1;
  size_t k = i;
  tv_init(t);
  /* every branch below starts on a number or on one of gram_words */
  if (!gram_may(c, i, GR_CLOCK)) return 0;
  if (td_n_eq(c, i, "noon") || td_n_eq(c, i, "midday") || td_n_eq(c, i, "noonish")) { t->hh = 12; t->mi = 0; t->grain = G_HOUR; return i + 1; }
  /* "12 noon", "12 midnight" */
  if (td_n_eq(c, i + 1, "noon") || td_n_eq(c, i + 1, "midnight")) {
    int v;
    if (plain_int(c, i, &v, 2) && v == 12) { t->hh = td_n_eq(c, i + 1, "noon") ? 12 : 0; t->mi = 0; t->grain = G_HOUR; return i + 2; }
  }
  /* "mid morning", "mid-day", "midafternoon" */
  if (td_n_eq(c, i, "midmorning")) { t->hh = 10; t->grain = G_HOUR; return i + 1; }
  if (td_n_eq(c, i, "midafternoon")) { t->hh = 14; t->grain = G_HOUR; return i + 1; }
  if (td_n_eq(c, i, "mid")) {
    size_t q = i + 1;
    if (dashlike(c, q) && td_n_adjacent(c, q) && td_n_adjacent(c, q + 1)) q++;
    else if (td_n_adjacent(c, q)) q = 0;
    if (q && td_n_eq(c, q, "morning")) { t->hh = 10; t->grain = G_HOUR; return q + 1; }
    if (q && td_n_eq(c, q, "day")) { t->hh = 12; t->grain = G_HOUR; return q + 1; }
    if (q && td_n_eq(c, q, "afternoon")) { t->hh = 14; t->grain = G_HOUR; return q + 1; }
    if (q && td_n_eq(c, q, "night")) { t->hh = 0; t->grain = G_HOUR; return q + 1; }
  }
  if (td_n_eq(c, i, "midnight")) { t->hh = 0; t->mi = 0; t->grain = G_HOUR; return i + 1; }
  /* half past seven, quarter to noon, 20 past 3pm, twenty after 3 */
  {
    int mins = -1; size_t q = i;
    if (td_n_eq(c, q, "half")) { mins = 30; q++; }
    else if (td_n_eq(c, q, "quarter")) { mins = 15; q++; }
    else if (td_n_eq(c, q, "a") && td_n_eq(c, q + 1, "quarter")) { mins = 15; q += 2; }
    else {
      td_nval nv;
      if (td_n_number(c, q, 2 | 4, &nv) && nv.isint && nv.v >= 1 && nv.v < 60 && nv.kind == TD_N_CARDINAL) { mins = (int)nv.v; q = nv.end; }
      if (td_n_eq(c, q, "minutes") || td_n_eq(c, q, "minute") || td_n_eq(c, q, "min") || td_n_eq(c, q, "mins")) q++;
    }
    int soft = q > i && !td_n_eq(c, i, "half") && !td_n_eq(c, i, "quarter") && !td_n_eq(c, i, "a") && !td_n_eq(c, q - 1, "minutes") &&
               !td_n_eq(c, q - 1, "minute") && !td_n_eq(c, q - 1, "min") && !td_n_eq(c, q - 1, "mins");
    /* "5 to 6pm" and "five to seven" are ranges; "ten to four", "quarter to noon" are times */
    int to_ok = !soft || (is_word(c, i) && mins >= 10 && mins % 5 == 0) ||
                ((td_n_eq(c, q, "to") || td_n_eq(c, q, "till")) && (td_n_eq(c, q + 1, "noon") || td_n_eq(c, q + 1, "midnight")));
    int isto = td_n_eq(c, q, "to") || td_n_eq(c, q, "till") || td_n_eq(c, q, "before");
    int to_noon = isto && (td_n_eq(c, q + 1, "noon") || td_n_eq(c, q + 1, "midnight"));   /* "15 to noon" */
    if (mins >= 0 && (!soft || cue || !isto || to_noon) && (isto ? to_ok : 1) && (td_n_eq(c, q, "past") || td_n_eq(c, q, "after") || isto)) {
      int to = td_n_eq(c, q, "to") || td_n_eq(c, q, "till") || td_n_eq(c, q, "before");
      tv h2;
      size_t e = clock_time(c, q + 1, &h2, 2);
      /* "twenty after 3pm" without a cue needs a marked hour */
      if (e && soft && !cue && !isto && !(e > q + 2 || td_n_eq(c, q + 1, "noon") || td_n_eq(c, q + 1, "midnight"))) e = 0;
      if (e && h2.mi <= 0) {
        *t = h2;
        if (to) { t->hh = (h2.hh + 23) % 24; t->mi = 60 - mins; } else t->mi = mins;
        t->grain = G_MIN;
        return e;
      }
      if (to && mins >= 0) return 0;
    }
  }
  /* "2.30pm", "at 6.45": a dot for the colon */
  if (is_num(c, k) && c->a[k].sep == 2) {
    uint32_t s0 = c->a[k].s, e0 = c->a[k].e, dot = s0;
    while (dot < e0 && c->t[dot] != '.') dot++;
    if (dot - s0 >= 1 && dot - s0 <= 2 && e0 - dot == 3) {
      int hh = 0, mm = (c->t[dot + 1] - '0') * 10 + (c->t[dot + 2] - '0');
      for (uint32_t b = s0; b < dot; b++) hh = hh * 10 + (c->t[b] - '0');
      size_t e = ampm(c, k + 1, &pm);
      int at = i > 0 && (td_n_eq(c, i - 1, "at") || td_n_punct(c, i - 1, '@'));
      if (mm < 60 && ((e && hh >= 1 && hh <= 12) || (at && hh < 24))) {
        t->hh = hh; t->mi = mm; t->grain = G_MIN;
        if (e) { apply_pm(t, pm); return e; }
        return k + 1;
      }
    }
    return 0;
  }
  if (is_num(c, k) && (c->a[k].sep & 4)) {
    /* 09:30, 15:23:24 */
    int parts[3] = { -1, -1, -1 }, np = 0, v = 0, nd = 0;
    for (uint32_t b = c->a[k].s; b <= c->a[k].e; b++) {
      if (b == c->a[k].e || c->t[b] == ':') { if (np < 3 && nd > 0 && nd <= 2 && (np == 0 || nd == 2)) parts[np] = v; np++; v = 0; nd = 0; }
      else if (c->t[b] >= '0' && c->t[b] <= '9') { v = v * 10 + (c->t[b] - '0'); nd++; }
      else return 0;
    }
    if (np < 2 || np > 3 || parts[0] < 0 || parts[0] > 24 || parts[1] < 0 || parts[1] > 59) return 0;
    if (np == 3 && (parts[2] < 0 || parts[2] > 59)) return 0;
    t->hh = parts[0]; t->mi = parts[1]; t->grain = G_MIN;
    if (np == 3) { t->ss = parts[2]; t->grain = G_SEC; }
    k++;
    size_t e = ampm(c, k, &pm);
    if (e) { if (t->hh > 12) return 0; apply_pm(t, pm); k = e; }
    e = tzone(c, k, &t->tz); if (e) k = e;
    if (pm < 0) k = time_part_suffix(c, k, t);
    return k;
  }
  if (plain_int(c, k, &h, 4)) {
    int nd = c->a[k].nd;
    k++;
    /* 15h00, 15h */
    if (td_n_eq(c, k, "h") && td_n_adjacent(c, k) && nd <= 2 && h <= 24) {
      size_t e;
      if (plain_int(c, k + 1, &m, 2) && td_n_adjacent(c, k + 1) && c->a[k + 1].nd == 2 && m < 60) {
        t->hh = h; t->mi = m; t->grain = G_MIN;
        return (e = tzone(c, k + 2, &t->tz)) ? e : k + 2;
      }
      if (cue) { t->hh = h; t->mi = 0; t->grain = G_MIN; return (e = tzone(c, k + 1, &t->tz)) ? e : k + 1; }
      return 0;
    }
    if (nd >= 3) {
      /* 0930 GMT, 1140 a.m., 0930 hours */
      if (!(nd == 4 || nd == 3)) return 0;
      int hh = h / 100, mm = h % 100;
      if (hh > 24 || mm > 59) return 0;
      size_t e;
      /* a zone makes it a time, but not a bare "PT" ("300 PT businessmen") */
      if ((e = tzone(c, k, &t->tz)) && (t->tz[0] || e > k + 1)) { t->hh = hh; t->mi = mm; t->grain = G_MIN; return e; }
      t->tz = NULL;
      if ((e = ampm(c, k, &pm))) { if (hh > 12) return 0; t->hh = hh; t->mi = mm; t->grain = G_MIN; apply_pm(t, pm); return e; }
      if (td_n_eq(c, k, "hours") || td_n_eq(c, k, "hrs") || td_n_eq(c, k, "hr")) {
        if (nd != 4) return 0;
        t->hh = hh; t->mi = mm; t->grain = G_MIN; return k + 1;
      }
      if (cue == 2 && nd == 4 && c->t[c->a[k - 1].s] == '0') { t->hh = hh; t->mi = mm; t->grain = G_MIN; return k; }
      /* "at 1030", "@ 1030" (after "in" or "by" it would be a year) */
      if (cue == 2 && nd == 4 && hh < 24 && i > 0 && (td_n_eq(c, i - 1, "at") || td_n_punct(c, i - 1, '@'))) {
        t->hh = hh; t->mi = mm; t->grain = G_MIN; return k;
      }
      return 0;
    }
    if (h > 24) return 0;
    size_t e = ampm(c, k, &pm);
    if (e) {
      if (h > 12 || h == 0) return 0;
      t->hh = h; t->mi = 0; t->grain = G_HOUR; apply_pm(t, pm);
      size_t e2 = tzone(c, e, &t->tz);
      return e2 ? e2 : e;
    }
    if (td_n_eq(c, k, "o'clock") || td_n_eq(c, k, "oclock") ||
        (td_n_eq(c, k, "o") && td_n_punct(c, k + 1, '\'') && td_n_eq(c, k + 2, "clock"))) {
      t->hh = h; t->mi = 0; t->grain = G_HOUR;
      k += td_n_eq(c, k, "o") ? 3 : 1;
      size_t e3 = ampm(c, k, &pm);   /* "one o'clock pm" */
      if (e3 && h <= 12) { apply_pm(t, pm); return e3; }
      return time_part_suffix(c, k, t);
    }
    if ((e = tzone(c, k, &t->tz)) && cue) { t->hh = h; t->mi = 0; t->grain = G_HOUR; return e; }
    if (td_n_lex(c, k, L_TUNIT)) return 0;   /* "after 5 days" */
    /* "11ish", "11-ish" */
    if (h >= 1 && h <= 24 && nd <= 2 && ((td_n_eq(c, k, "ish") && td_n_adjacent(c, k)) ||
        (td_n_punct(c, k, '-') && td_n_adjacent(c, k) && td_n_eq(c, k + 1, "ish") && td_n_adjacent(c, k + 1)))) {
      t->hh = h; t->mi = 0; t->grain = G_HOUR;
      return td_n_eq(c, k, "ish") ? k + 1 : k + 2;
    }
    if (cue && h <= 24) {
      t->hh = h; t->mi = 0; t->grain = G_HOUR;
      size_t e2 = time_part_suffix(c, k, t);
      if (e2 == k && cue < 2) return 0;
      return e2;
    }
    if (h >= 1 && h <= 12 && nd <= 2) {
      t->hh = h; t->mi = 0; t->grain = G_HOUR;
      size_t e2 = time_part_suffix(c, k, t);
      if (e2 > k) return e2;
    }
    return 0;
  }
  /* words: "seven o'clock", "five-thirty", "nine thirty pm", "eight tonight" */
  td_nval nv;
  if (is_word(c, k) && td_n_number(c, k, 2 | 4, &nv) && nv.kind == TD_N_CARDINAL && nv.isint && nv.v >= 1 && nv.v <= 12 &&
      nv.end == k + 1) {
    h = (int)nv.v; k = nv.end;
    int mi = 0, has_mi = 0;
    size_t q = k;
    if (dashlike(c, q) && td_n_adjacent(c, q) && td_n_adjacent(c, q + 1)) q++;
    size_t e = minute_words(c, q, &mi);
    if (e && mi >= 10 && (cue || ampm(c, e, &pm) || td_n_eq(c, e, "tomorrow") || td_n_eq(c, e, "tonight") || q > k)) { has_mi = 1; k = e; }
    e = ampm(c, k, &pm);
    if (e) { t->hh = h; t->mi = has_mi ? mi : 0; t->grain = has_mi ? G_MIN : G_HOUR; apply_pm(t, pm); return e; }
    if (td_n_eq(c, k, "o'clock") || td_n_eq(c, k, "oclock")) {
      t->hh = h; t->mi = 0; t->grain = G_HOUR;
      size_t e3 = ampm(c, k + 1, &pm);   /* "one o'clock pm" */
      if (e3) { apply_pm(t, pm); return e3; }
      return time_part_suffix(c, k + 1, t);
    }
    if (has_mi || cue) {
      t->hh = h; t->mi = has_mi ? mi : 0; t->grain = has_mi ? G_MIN : G_HOUR;
      size_t e2 = time_part_suffix(c, k, t);
      if (e2 == k && !has_mi && cue < 2) return 0;
      return e2;
    }
    size_t e2;
    t->hh = h; t->mi = 0; t->grain = G_HOUR;
    if ((e2 = time_part_suffix(c, k, t)) > k) return e2;
    return 0;
  }
  return 0;
}

/* ---- durations --------------------------------------------------------- */

static const char *const tu_name[] = { NULL, "second", "minute", "hour", "day", "night", "week", "fortnight",
                                       "weekend", "month", "quarter", "year", "decade", "century" };

static void fmt_duration(sbuf *b, const double *amt) {
  /* amt indexed by TU_*; date part then time part */
  static const struct { int u; const char *c; double mul; } dp[] = {
    { TU_CENTURY, "Y", 100 }, { TU_DECADE, "Y", 10 }, { TU_YEAR, "Y", 1 }, { TU_QUARTER, "M", 3 }, { TU_MONTH, "M", 1 },
    { TU_FORTNIGHT, "W", 2 }, { TU_WEEK, "W", 1 }, { TU_WEEKEND, "WE", 1 }, { TU_DAY, "D", 1 }, { TU_NIGHT, "D", 1 },
  };
  sb_put(b, "P");
  double y = 0, mo = 0, w = 0, d = 0, we = 0;
  for (size_t k = 0; k < sizeof dp / sizeof dp[0]; k++) {
    double v = amt[dp[k].u] * dp[k].mul;
    if (!v) continue;
    if (dp[k].c[0] == 'Y') y += v; else if (dp[k].c[0] == 'M') mo += v; else if (!strcmp(dp[k].c, "WE")) we += v;
    else if (dp[k].c[0] == 'W') w += v; else d += v;
  }
  if (w && (y || mo || d)) { d += 7 * w; w = 0; }
  if (y) { sb_dec(b, y); sb_put(b, "Y"); }
  if (mo) { sb_dec(b, mo); sb_put(b, "M"); }
  if (w) { sb_dec(b, w); sb_put(b, "W"); }
  if (we) { sb_dec(b, we); sb_put(b, "WE"); }
  if (d) { sb_dec(b, d); sb_put(b, "D"); }
  if (amt[TU_HOUR] || amt[TU_MIN] || amt[TU_SEC]) {
    sb_put(b, "T");
    if (amt[TU_HOUR]) { sb_dec(b, amt[TU_HOUR]); sb_put(b, "H"); }
    if (amt[TU_MIN]) { sb_dec(b, amt[TU_MIN]); sb_put(b, "M"); }
    if (amt[TU_SEC]) { sb_dec(b, amt[TU_SEC]); sb_put(b, "S"); }
  }
}

/* An amount for a duration: a number, "a", "an", "few", "several", "some". */
static size_t dur_amount(const td_nctx *c, size_t i, double *v, int *vague) {
  td_nval nv;
  *vague = 0;
  /* a number or a vague word ("few", "some": gram_words) */
  if (!gram_may(c, i, GR_DUR)) return 0;
  if (td_n_eq(c, i, "a") || td_n_eq(c, i, "an") || td_n_eq(c, i, "one")) {
    if (td_n_lex(c, i + 1, L_TUNIT)) { *v = 1; return i + 1; }
  }
  if ((td_n_eq(c, i, "a") && td_n_eq(c, i + 1, "few")) ) { *v = 3; *vague = 1; return i + 2; }
  if (td_n_eq(c, i, "few") || td_n_eq(c, i, "several") || td_n_eq(c, i, "some")) { *v = 3; *vague = 1; return i + 1; }
  if (td_n_eq(c, i, "a") && td_n_eq(c, i + 1, "couple") && td_n_eq(c, i + 2, "of")) { *v = 2; *vague = 1; return i + 3; }
  if (td_n_eq(c, i, "couple") && td_n_eq(c, i + 1, "of") && td_n_lex(c, i + 2, L_TUNIT)) { *v = 2; *vague = 1; return i + 2; }
  if (td_n_eq(c, i, "another") && td_n_lex(c, i + 1, L_TUNIT)) { *v = 1; return i + 1; }
  if (td_n_number(c, i, 0, &nv) && nv.kind != TD_N_ORDINAL && nv.v >= 0) {
    if (td_n_lex(c, nv.end, L_TUNIT) || td_n_eq(c, nv.end, "and") || td_n_eq(c, nv.end, "of") ||
        (dashlike(c, nv.end) && td_n_adjacent(c, nv.end) && td_n_lex(c, nv.end + 1, L_TUNIT))) {
      *v = nv.v; return nv.end;
    }
  }
  return 0;
}

size_t td_n_duration(td_nctx *c, size_t i, td_number *r) {
  if (!gram_may(c, i, GR_TDUR)) return 0;   /* a number, "half", "all", "fortnight" ... */
  double amt[TU_CENTURY + 1];
  memset(amt, 0, sizeof amt);
  size_t k = i, end = 0;
  int first_unit = 0, nunits = 0, vague = 0;
  double first_val = 0;
  const td_lex *L;
  /* half an hour, half a day, half day */
  if (td_n_eq(c, k, "half") && (td_n_eq(c, k + 1, "an") || td_n_eq(c, k + 1, "a")) && (L = td_n_lex(c, k + 2, L_TUNIT))) {
    amt[L->sub] = 0.5; end = k + 3; first_unit = L->sub; first_val = 0.5; nunits = 1;
  } else if (td_n_eq(c, k, "half") && (L = td_n_lex(c, k + 1, L_TUNIT)) && !L->val) {
    amt[L->sub] = 0.5; end = k + 2; first_unit = L->sub; first_val = 0.5; nunits = 1;
  } else if ((td_n_eq(c, k, "a") || td_n_eq(c, k, "an")) && (td_n_eq(c, k + 1, "quarter") || td_n_eq(c, k + 1, "half")) &&
             td_n_eq(c, k + 2, "of") && (td_n_eq(c, k + 3, "an") || td_n_eq(c, k + 3, "a")) && (L = td_n_lex(c, k + 4, L_TUNIT))) {
    double f = td_n_eq(c, k + 1, "quarter") ? 0.25 : 0.5;
    amt[L->sub] = f; end = k + 5; first_unit = L->sub; first_val = f; nunits = 1;
  } else if ((td_n_eq(c, k, "all") || td_n_eq(c, k, "full") || td_n_eq(c, k, "whole") || td_n_eq(c, k, "entire")) &&
             (L = td_n_lex(c, k + 1, L_TUNIT)) && !L->val && L->sub >= TU_DAY) {
    amt[L->sub] = 1; end = k + 2; first_unit = L->sub; first_val = 1; nunits = 1;
  } else if (td_n_eq(c, k, "fortnight") || (td_n_eq(c, k, "a") && td_n_eq(c, k + 1, "fortnight"))) {
    size_t e = td_n_eq(c, k, "a") ? k + 2 : k + 1;
    amt[TU_FORTNIGHT] = 1; end = e; first_unit = TU_FORTNIGHT; first_val = 1; nunits = 1;
  } else {
    for (;;) {
      double v; int vg;
      size_t e = dur_amount(c, k, &v, &vg);
      if (!e) break;
      size_t u = e;
      if (dashlike(c, u) && td_n_adjacent(c, u) && td_n_adjacent(c, u + 1)) u++;
      /* "one and a half hours", "two and quarter hour", "two and a quarter of hours" */
      double frac = 0;
      if (td_n_eq(c, u, "and")) {
        size_t z = u + 1;
        if (td_n_eq(c, z, "a") || td_n_eq(c, z, "an")) z++;
        if (td_n_eq(c, z, "half")) { frac = 0.5; z++; }
        else if (td_n_eq(c, z, "quarter")) { frac = 0.25; z++; }
        else z = 0;
        if (z && td_n_eq(c, z, "of")) z++;
        if (z && td_n_lex(c, z, L_TUNIT)) { u = z; v += frac; }
      }
      if (td_n_eq(c, u, "of") && nunits == 0 && !td_n_lex(c, u + 1, L_TUNIT)) break;
      if (td_n_eq(c, u, "of")) u++;
      L = td_n_lex(c, u, L_TUNIT);
      if (!L) {
        /* "h", "min" glued: "3h" */
        break;
      }
      if (td_n_eq(c, u, "h") && !td_n_adjacent(c, u) && (is_word(c, u + 1) || is_num(c, u + 1))) break;
      if (td_n_eq(c, u, "second") && v != 1) break;
      if (L->sub == TU_QUARTER && !nunits && (td_n_eq(c, u, "quarter") || td_n_eq(c, u, "quarters")) && v < 4 && v != floor(v)) break;
      if (nunits && L->sub >= first_unit && first_unit) break;
      amt[L->sub] += v;
      if (!nunits) { first_unit = L->sub; first_val = v; vague = vg; }
      nunits++;
      k = end = u + 1;
      /* "one hour and half", "5 and a half minutes" handled above; "1 hour and a half" */
      if (td_n_eq(c, k, "and") && (td_n_eq(c, k + 1, "half") || (td_n_eq(c, k + 1, "a") && td_n_eq(c, k + 2, "half")))) {
        amt[L->sub] += 0.5; if (nunits == 1) first_val += 0.5;
        end = k + (td_n_eq(c, k + 1, "a") ? 3 : 2); k = end; break;
      }
      if (td_n_eq(c, k, "and") && (td_n_eq(c, k + 1, "a") && td_n_eq(c, k + 2, "quarter"))) {
        amt[L->sub] += 0.25; if (nunits == 1) first_val += 0.25;
        end = k + 3; k = end; break;
      }
      /* "1 hour fifteen", "1 hour and fifteen" (minutes) */
      if (L->sub == TU_HOUR || L->sub == TU_MIN) {
        size_t z = k;
        if (td_n_eq(c, z, "and")) z++;
        td_nval nv;
        if (td_n_number(c, z, 2, &nv) && nv.isint && nv.v < 60 && nv.kind == TD_N_CARDINAL && !td_n_lex(c, nv.end, L_TUNIT) &&
            !is_word(c, nv.end)) {
          amt[L->sub - 1] += nv.v; end = k = nv.end; nunits++; break;   /* the next smaller unit */
        }
      }
      if (td_n_eq(c, k, "and") || td_n_punct(c, k, ',')) { size_t z = k + 1; double v2; int vg2; if (dur_amount(c, z, &v2, &vg2)) { k = z; continue; } }
      continue;
    }
  }
  if (!end) return 0;
  memset(r, 0, sizeof *r);
  r->kind = TD_N_DURATION;
  r->start = c->a[i].s; r->end = c->a[end - 1].e;
  r->unit = tu_name[first_unit];
  r->dim = "time";
  if (nunits == 1) { r->value = first_val; r->flags = TD_NF_VALUE; }
  else {
    /* several units: the value in the smallest one when they convert exactly */
    static const double sec[] = { 0, 1, 60, 3600, 86400, 86400, 604800, 1209600, 0, 0, 0, 0, 0, 0 };
    static const double mon[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 12, 120, 1200 };
    int small = 0, okS = 1, okM = 1;
    for (int u = 1; u <= TU_CENTURY; u++) if (amt[u]) { if (!small) small = u; if (!sec[u]) okS = 0; if (!mon[u]) okM = 0; }
    int smallest = 0;
    for (int u = TU_CENTURY; u >= 1; u--) if (amt[u]) smallest = u;
    double tot = 0;
    if (okS) { for (int u = 1; u <= TU_CENTURY; u++) tot += amt[u] * sec[u]; r->value = tot / sec[smallest]; r->unit = tu_name[smallest]; r->flags = TD_NF_VALUE; }
    else if (okM) { for (int u = 1; u <= TU_CENTURY; u++) tot += amt[u] * mon[u]; r->value = tot / mon[smallest]; r->unit = tu_name[smallest]; r->flags = TD_NF_VALUE; }
  }
  if (vague) r->bound = TD_B_APPROX;
  sbuf b = { r->timex, 0, sizeof r->timex };
  fmt_duration(&b, amt);
  return end;
}

/* ---- dates ------------------------------------------------------------- */

/* Numeric dates: 2016-01-12, 21/04/2016, 01/22/2016, 9-18-15, 4/22, 1.1.2015, 12-2015, 2015-12. */
static size_t numeric_date(const td_nctx *c, size_t i, tv *t, int cue) {
  int a, b, y;
  tv_init(t);
  /* dotted in one atom: 1.1.2015, 21.04.2016 */
  if (is_num(c, i) && c->a[i].sep == 2) {
    int parts[3] = { 0 }, nd[3] = { 0 }, np = 0;
    for (uint32_t k = c->a[i].s; k < c->a[i].e; k++) {
      if (c->t[k] == '.') { if (++np > 2) return 0; continue; }
      parts[np] = parts[np] * 10 + (c->t[k] - '0'); nd[np]++;
    }
    if (np != 2 || nd[2] != 4 || nd[0] > 2 || nd[1] > 2) return 0;
    int d = parts[0], m = parts[1];
    if (m > 12 && d <= 12) { int x = d; d = m; m = x; }
    if (m < 1 || m > 12 || d < 1 || d > month_len(parts[2], m)) return 0;
    t->y = parts[2]; t->m = m; t->d = d; t->grain = G_DAY;
    return i + 1;
  }
  if (!plain_int(c, i, &a, 4)) return 0;
  int na = c->a[i].nd;
  size_t k = i + 1;
  int slash = td_n_punct(c, k, '/'), dash = td_n_punct(c, k, '-'), dot = 0;
  int spaced = 0;
  if (!slash && !dash) return 0;
  if (!td_n_adjacent(c, k) || !td_n_adjacent(c, k + 1)) {
    if (slash && c->a[k].sp && c->a[k + 1].sp) spaced = 1;
    else spaced = 2;   /* "2016 -11", "11- 2016": only a month and its year */
  }
  (void)dot;
  if (!plain_int(c, k + 1, &b, 4)) return 0;
  int nb = c->a[k + 1].nd;
  size_t k2 = k + 2;
  int has3 = (td_n_punct(c, k2, slash ? '/' : '-')) && td_n_adjacent(c, k2) && is_num(c, k2 + 1) && td_n_adjacent(c, k2 + 1) && !c->a[k2 + 1].sep;
  if (has3 && !spaced) {
    int z; plain_int(c, k2 + 1, &z, 4);
    int nz = c->a[k2 + 1].nd;
    /* phone numbers, unless another date follows: "10/1/2018-10/7/2018" */
    if (td_n_punct(c, k2 + 2, '-') && td_n_adjacent(c, k2 + 2) && !(is_num(c, k2 + 3) && td_n_punct(c, k2 + 4, slash ? '/' : '-')))
      return 0;
    if (na == 4) { y = a; t->m = b; t->d = z; }
    else if (nz == 4 || nz == 2) {
      y = nz == 2 ? (z < 50 ? 2000 + z : 1900 + z) : z;
      if (a > 12 && b <= 12) { t->d = a; t->m = b; } else { t->m = a; t->d = b; }
    } else return 0;
    if (t->m < 1 || t->m > 12 || t->d < 1 || t->d > month_len(y, t->m)) return 0;
    t->y = y; t->grain = G_DAY;
    return k2 + 2;
  }
  if (has3) return 0;
  /* two parts */
  /* "11/12,2016" */
  if (na <= 2 && nb <= 2 && td_n_punct(c, k2, ',') && td_n_adjacent(c, k2) && is_num(c, k2 + 1) && c->a[k2 + 1].nd == 4 && !c->a[k2 + 1].sep) {
    int m = a, d = b, yy;
    plain_int(c, k2 + 1, &yy, 4);
    if (a > 12 && b <= 12) { m = b; d = a; }
    if (m >= 1 && m <= 12 && d >= 1 && d <= month_len(yy, m)) { t->y = yy; t->m = m; t->d = d; t->grain = G_DAY; return k2 + 2; }
  }
  {
    int pm0;
    /* a time after it is fine: "25/02 11 am" */
    int time_after = is_num(c, k2) && c->a[k2].sp && ((c->a[k2].sep & 4) || ampm(c, k2 + 1, &pm0));
    if ((is_num(c, k2) && !time_after) || (td_n_punct(c, k2, '/') && td_n_adjacent(c, k2)) ||
        (td_n_punct(c, k2, '-') && td_n_adjacent(c, k2) && is_num(c, k2 + 1))) return 0;
  }
  /* spaced out, a month only when nothing that counts follows: "2016 - 11", not "2016 - 11 people" */
  if (spaced && (is_word(c, k2) && (td_n_lex(c, k2, L_TUNIT) || td_n_lex(c, k2, L_UNIT) || td_n_lex(c, k2, L_SCALE) || !c->a[k2].cap) &&
                 !td_n_eq(c, k2, "and") && !td_n_eq(c, k2, "to"))) return 0;
  if (na == 4 && (nb == 2 || nb == 1) && (dash || slash) && a >= 1000 && a <= 2999 && b >= 1 && b <= 12) { t->y = a; t->m = b; t->grain = G_MONTH; return k2; }
  if (na == 4 && nb == 2 && dash && td_n_eq(c, k + 1, "h")) return 0;
  if ((na <= 2) && nb == 4 && b >= 1000 && b <= 2999 && a >= 1 && a <= 12) { t->y = b; t->m = a; t->grain = G_MONTH; return k2; }
  if (spaced == 2) return 0;
  if (na <= 2 && nb <= 2) {
    /* m/d or d/m; fractions with small denominators are not dates */
    if (slash && (b == 2 || b == 3 || b == 4 || b == 8 || b == 10 || b == 16 || b == 100) && a < b && !cue) return 0;
    if (is_word(c, k2) && !td_n_lex(c, k2, L_MONTH)) {
      /* "1/2 day": a unit after it makes it a fraction */
      if (td_n_lex(c, k2, L_TUNIT) || td_n_lex(c, k2, L_UNIT)) return 0;
    }
    int m = a, d = b;
    if (a > 12 && b <= 12) { m = b; d = a; }
    if (m < 1 || m > 12 || d < 1 || d > 31) return 0;
    if (dash && !cue && (k2 < c->na && (is_word(c, k2) && td_n_eq(c, k2, "ceasefire")))) return 0;
    if (dash && (td_n_eq(c, k2, "win") || td_n_eq(c, k2, "victory") || td_n_eq(c, k2, "vote") || td_n_eq(c, k2, "lead"))) return 0;
    if (dash && !cue && i > 0 && (td_n_eq(c, i - 1, "a") || td_n_eq(c, i - 1, "an") || td_n_eq(c, i - 1, "by") || td_n_eq(c, i - 1, "of") || td_n_eq(c, i - 1, "score"))) return 0;
    t->m = m; t->d = d; t->grain = G_DAY;
    return k2;
  }
  return 0;
}

/* Holidays with fixed or computed dates. */
static int easter(int y, int *m, int *d) {
  int a = y % 19, b = y / 100, cc = y % 100, dd = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - dd - g + 15) % 30, i = cc / 4, k = cc % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int mm = (a + 11 * h + 22 * l) / 451;
  *m = (h + l - 7 * mm + 114) / 31; *d = (h + l - 7 * mm + 114) % 31 + 1;
  return 1;
}

static int nth_weekday(int y, int m, int wd, int n) {   /* n > 0: nth; n < 0: last */
  if (n > 0) {
    long first = days_from_civil(y, m, 1);
    int off = (wd - weekday(first) + 7) % 7;
    return 1 + off + 7 * (n - 1);
  }
  int ml = month_len(y, m);
  long last = days_from_civil(y, m, ml);
  int off = (weekday(last) - wd + 7) % 7;
  return ml - off;
}

/* The Hebrew calendar, after Reingold and Dershowitz, "Calendrical
 * Calculations" (3rd ed., ch. 8): days (from 1970-01-01) of Tishri 1 of
 * Hebrew year y, and of day d of month m (Nisan 1 ... Adar 12, Adar II 13). */
static long heb_elapsed(long y) {
  long months = (235 * y - 234) / 19;
  long parts = 12084 + 13753 * months;
  long days = 29 * months + parts / 25920;
  return (3 * (days + 1)) % 7 < 3 ? days + 1 : days;
}

static long heb_new_year(long y) {
  long n0 = heb_elapsed(y - 1), n1 = heb_elapsed(y), n2 = heb_elapsed(y + 1);
  int corr = n2 - n1 == 356 ? 2 : n1 - n0 == 382 ? 1 : 0;
  return -1373427L + n1 + corr - 719163L;   /* R.D. -1373427 is Tishri 1, AM 1; R.D. 719163 is 1970-01-01 */
}

static int heb_leap(long y) { return (7 * y + 1) % 19 < 7; }

static int heb_month_len(long y, int m) {
  long len = heb_new_year(y + 1) - heb_new_year(y);
  if (m == 2 || m == 4 || m == 6 || m == 10 || m == 13 || (m == 12 && !heb_leap(y))) return 29;
  if (m == 8 && len % 10 != 5) return 29;   /* Heshvan is long only in 355- and 385-day years */
  if (m == 9 && len % 10 == 3) return 29;   /* Kislev is short in 353- and 383-day years */
  return 30;
}

static long heb_day(long y, int m, int d) {
  long z = heb_new_year(y) + d - 1;
  int last = heb_leap(y) ? 13 : 12;
  if (m < 7) {
    for (int k = 7; k <= last; k++) z += heb_month_len(y, k);
    for (int k = 1; k < m; k++) z += heb_month_len(y, k);
  } else
    for (int k = 7; k < m; k++) z += heb_month_len(y, k);
  return z;
}

/* The Islamic (Hijri) calendar.  A month begins the day after the new moon
 * when the conjunction falls before about 14:30 UTC (sunset at Mecca, the
 * Umm al-Qura rule without its moonset test), else a day later; the new moon
 * from Meeus, "Astronomical Algorithms" (2nd ed., ch. 49), its periodic
 * terms without the planetary ones (a few minutes off).  The arithmetical
 * (tabular) calendar only finds which new moon: 1 Muharram AH 1 is R.D.
 * 227015.  Observed dates differ from this by a day now and then. */
static double new_moon_jde(double k) {
  const double rad = 3.14159265358979323846 / 180, T = k / 1236.85, T2 = T * T, T3 = T2 * T, T4 = T3 * T;
  double jde = 2451550.09766 + 29.530588861 * k + 0.00015437 * T2 - 0.000000150 * T3 + 0.00000000073 * T4;
  double E = 1 - 0.002516 * T - 0.0000074 * T2;
  double M = (2.5534 + 29.10535670 * k - 0.0000014 * T2 - 0.00000011 * T3) * rad;
  double Mp = (201.5643 + 385.81693528 * k + 0.0107582 * T2 + 0.00001238 * T3 - 0.000000058 * T4) * rad;
  double F = (160.7108 + 390.67050284 * k - 0.0016118 * T2 - 0.00000227 * T3 + 0.000000011 * T4) * rad;
  double O = (124.7746 - 1.56375588 * k + 0.0020672 * T2 + 0.00000215 * T3) * rad;
  return jde - 0.40720 * sin(Mp) + 0.17241 * E * sin(M) + 0.01608 * sin(2 * Mp) + 0.01039 * sin(2 * F) +
         0.00739 * E * sin(Mp - M) - 0.00514 * E * sin(Mp + M) + 0.00208 * E * E * sin(2 * M) - 0.00111 * sin(Mp - 2 * F) -
         0.00057 * sin(Mp + 2 * F) + 0.00056 * E * sin(2 * Mp + M) - 0.00042 * sin(3 * Mp) + 0.00042 * E * sin(M + 2 * F) +
         0.00038 * E * sin(M - 2 * F) - 0.00024 * E * sin(2 * Mp - M) - 0.00017 * sin(O) - 0.00007 * sin(Mp + 2 * M) +
         0.00004 * sin(2 * Mp - 2 * F) + 0.00004 * sin(3 * M) + 0.00003 * sin(Mp + M - 2 * F) + 0.00003 * sin(2 * Mp + 2 * F) -
         0.00003 * sin(Mp + M + 2 * F) + 0.00003 * sin(Mp - M + 2 * F) - 0.00002 * sin(Mp - M - 2 * F) -
         0.00002 * sin(3 * Mp + M) + 0.00002 * sin(4 * Mp);
}

/* Days (from 1970-01-01) of 1 of Hijri month m of year y. */
static long hijri_month_start(long y, int m) {
  long approx = 227014L + (y - 1) * 354 + (3 + 11 * y) / 30 + 29L * (m - 1) + m / 2 - 719163L;   /* tabular 1st */
  double jd = (double)approx + 2440587.5;
  double k = floor((jd - 2451550.09766) / 29.530588861 + 0.5);
  double nm = new_moon_jde(k);
  if (nm > jd + 2) nm = new_moon_jde(k - 1);
  else if (nm < jd - 27) nm = new_moon_jde(k + 1);
  double t = nm - 2440587.5;
  double day = floor(t);
  return (long)day + (t - day < 0.6 ? 1 : 2);
}

/* Hindu festivals from the Sun and the Moon.  Longitudes after Meeus ch. 25
 * (the Sun, low accuracy) and ch. 47 (the Moon, its 24 largest periodic
 * terms: a few hundredths of a degree); sidereal with the Lahiri ayanamsa.
 * An amanta month begins at the last new moon before the Sun enters its
 * sign (Chaitra: Mesha), so an intercalary month is skipped; a festival is
 * the first day whose chosen hour (sunrise, noon, evening, moonrise,
 * midnight, in India) falls in its tithi, or the day after a tithi no such
 * hour falls in. */
static double norm360(double a) { a = fmod(a, 360.0); return a < 0 ? a + 360.0 : a; }

static double sun_long(double jd) {
  const double rad = 3.14159265358979323846 / 180, T = (jd - 2451545.0) / 36525;
  double M = (357.52911 + 35999.05029 * T) * rad;
  return norm360(280.46646 + 36000.76983 * T + (1.914602 - 0.004817 * T) * sin(M) + 0.019993 * sin(2 * M) + 0.000289 * sin(3 * M));
}

static double moon_long(double jd) {
  const double rad = 3.14159265358979323846 / 180, T = (jd - 2451545.0) / 36525;
  double L = 218.3164477 + 481267.88123421 * T, D = (297.8501921 + 445267.1114034 * T) * rad;
  double M = (357.5291092 + 35999.0502909 * T) * rad, Mp = (134.9633964 + 477198.8675055 * T) * rad;
  double F = (93.2720950 + 483202.0175233 * T) * rad, E = 1 - 0.002516 * T - 0.0000074 * T * T;
  double l = 6288774 * sin(Mp) + 1274027 * sin(2 * D - Mp) + 658314 * sin(2 * D) + 213618 * sin(2 * Mp) - 185116 * E * sin(M) -
             114332 * sin(2 * F) + 58793 * sin(2 * D - 2 * Mp) + 57066 * E * sin(2 * D - M - Mp) + 53322 * sin(2 * D + Mp) +
             45758 * E * sin(2 * D - M) - 40923 * E * sin(M - Mp) - 34720 * sin(D) - 30383 * E * sin(M + Mp) +
             15327 * sin(2 * D - 2 * F) - 12528 * sin(Mp + 2 * F) + 10980 * sin(Mp - 2 * F) + 10675 * sin(4 * D - Mp) +
             10034 * sin(3 * Mp) + 8548 * sin(4 * D - 2 * Mp) - 7888 * E * sin(2 * D + M - Mp) - 6766 * E * sin(2 * D + M) -
             5163 * sin(D - Mp) + 4987 * E * sin(D + M) + 4036 * E * sin(2 * D - M + Mp);
  return norm360(L + l / 1e6);
}

static double ayanamsa(double jd) { return 23.857 + (jd - 2451545.0) / 365.25 * (50.29 / 3600); }

/* julian day of days z (from 1970-01-01) at fraction f of the UTC day */
static double jd_at(long z, double f) { return (double)z + f + 2440587.5; }

static int tithi_at(double jd) { return (int)(norm360(moon_long(jd) - sun_long(jd)) / 12) + 1; }   /* 1..30 */

/* When the Sun enters sidereal sign r (0 Mesha ... 11 Meena) in Gregorian
 * year y, in days from 1970-01-01 with the fraction of the day (UTC). */
static double sankranti(int y, int r) {
  static const signed char md[12][2] = { { 4, 14 }, { 5, 15 }, { 6, 15 }, { 7, 16 }, { 8, 17 }, { 9, 17 },
                                         { 10, 17 }, { 11, 16 }, { 12, 16 }, { 1, 14 }, { 2, 13 }, { 3, 14 } };
  double lo = (double)days_from_civil(y, md[r][0], md[r][1]) - 4, hi = lo + 8;
  for (int k = 0; k < 40; k++) {
    double mid = (lo + hi) / 2, jd = mid + 2440587.5;
    double d = norm360(sun_long(jd) - ayanamsa(jd) - 30.0 * r + 180.0) - 180.0;
    if (d < 0) lo = mid; else hi = mid;
  }
  return lo;
}

/* The day (from 1970-01-01) of tithi t of amanta month j (0 Chaitra ...
 * 11 Phalguna) that ends in Gregorian year y, at hour f (fraction of the
 * UTC day). */
static long hindu_tithi_day(int y, int j, int t, double f) {
  double s = sankranti(y, j) + 2440587.5;
  double k = floor((s - 2451550.09766) / 29.530588861);
  if (new_moon_jde(k) > s) k--;
  if (new_moon_jde(k + 1) <= s) k++;
  long d0 = (long)floor(new_moon_jde(k) - 2440587.5);
  int late = 0;
  for (long d = d0; d <= d0 + 32; d++) {
    int ti = tithi_at(jd_at(d, f));
    if (d <= d0 + 2 && ti >= 28) ti = 0;   /* still the last month's */
    if (ti >= 20) late = 1;
    else if (late && ti < 15) ti = 31;    /* already the next month's */
    if (ti >= t) return d;
  }
  return d0 + t;
}

/* Holidays: fixed dates, dates counted from Easter (Western or Orthodox),
 * nth weekdays of a month and days of the Hebrew, Islamic and Hindu
 * calendars.  Names are matched word by word with
 * apostrophes ignored ("valentine's", "valentines"). */
enum { H_FIXED, H_EASTER, H_ORTHODOX, H_NTH, H_HEBREW, H_HIJRI, H_TITHI, H_SOLAR, H_ONAM, H_PARSI, H_CNY };
/* H_TITHI: m an amanta month (0 Chaitra ... 11 Phalguna), d a tithi (1-15
 * the bright half, 15 full moon, 16-30 the dark half, 30 new moon), x the
 * hour (0 sunrise, 1 noon, 2 evening, 3 moonrise, 4 midnight), n days after.
 * H_SOLAR: m a sidereal sign, the day the Sun enters it when before sunset
 * (else the next) plus d days; x 1: always the next day (Bengali months).
 * H_ONAM: Thiruvonam, the first day of the solar month Chingam with the Moon
 * in Shravana at sunrise.  H_PARSI: the Shahenshahi new year, a year of 365
 * days (16 August 2022).  H_CNY: the Chinese new year, the new moon (China
 * time) from 21 January to 19 February. */
/* H_HIJRI: m, d a Hijri month and day; x 1 the month's last Friday; n > 1
 * the days, n 30 the whole month (Ramadan). */
/* H_HEBREW: m, d a Hebrew month and day (Adar 12 is Adar II in a leap
 * year); x 1 moves a Friday to Thursday and a Sunday to Monday (Yom
 * HaShoah), x 2 a Friday or Saturday to Thursday and a Monday to Tuesday (Yom
 * Ha'atzmaut); n > 1 the festival's days.  The date is the evening it
 * begins, the day before, as Duckling gives it. */
typedef struct holi { const char *w[5]; int8_t m, d; uint8_t rule; int8_t x, n; } holi;
static const holi holidays[] = {
  { { "christmas", "eve" }, 12, 24, H_FIXED, 0, 0 }, { { "christmas", "day" }, 12, 25, H_FIXED, 0, 0 },
  { { "christmas" }, 12, 25, H_FIXED, 0, 0 }, { { "xmas" }, 12, 25, H_FIXED, 0, 0 },
  { { "new", "years", "eve" }, 12, 31, H_FIXED, 0, 0 }, { { "new", "years", "day" }, 1, 1, H_FIXED, 0, 0 },
  { { "new", "year", "day" }, 1, 1, H_FIXED, 0, 0 }, { { "halloween" }, 10, 31, H_FIXED, 0, 0 },
  { { "valentines", "day" }, 2, 14, H_FIXED, 0, 0 }, { { "valentine", "day" }, 2, 14, H_FIXED, 0, 0 },
  { { "independence", "day" }, 7, 4, H_FIXED, 0, 0 }, { { "boxing", "day" }, 12, 26, H_FIXED, 0, 0 },
  { { "st", "patricks", "day" }, 3, 17, H_FIXED, 0, 0 }, { { "saint", "patricks", "day" }, 3, 17, H_FIXED, 0, 0 },
  { { "saint", "patrick" }, 3, 17, H_FIXED, 0, 0 }, { { "victory", "day" }, 5, 9, H_FIXED, 0, 0 },
  { { "may", "day" }, 5, 1, H_FIXED, 0, 0 }, { { "groundhog", "day" }, 2, 2, H_FIXED, 0, 0 },
  { { "earth", "day" }, 4, 22, H_FIXED, 0, 0 }, { { "international", "workers", "day" }, 5, 1, H_FIXED, 0, 0 },
  { { "veterans", "day" }, 11, 11, H_FIXED, 0, 0 }, { { "armistice", "day" }, 11, 11, H_FIXED, 0, 0 },
  { { "remembrance", "day" }, 11, 11, H_FIXED, 0, 0 }, { { "all", "saints", "day" }, 11, 1, H_FIXED, 0, 0 },
  { { "bastille", "day" }, 7, 14, H_FIXED, 0, 0 }, { { "canada", "day" }, 7, 1, H_FIXED, 0, 0 },
  { { "australia", "day" }, 1, 26, H_FIXED, 0, 0 }, { { "kings", "day" }, 4, 27, H_FIXED, 0, 0 },
  { { "koningsdag" }, 4, 27, H_FIXED, 0, 0 }, { { "juneteenth" }, 6, 19, H_FIXED, 0, 0 },
  { { "cinco", "de", "mayo" }, 5, 5, H_FIXED, 0, 0 }, { { "april", "fools", "day" }, 4, 1, H_FIXED, 0, 0 },
  { { "easter", "sunday" }, 0, 0, H_EASTER, 0, 0 }, { { "easter", "monday" }, 0, 0, H_EASTER, 1, 0 },
  { { "easter", "mon" }, 0, 0, H_EASTER, 1, 0 }, { { "easter" }, 0, 0, H_EASTER, 0, 0 },
  { { "good", "friday" }, 0, 0, H_EASTER, -2, 0 }, { { "holy", "saturday" }, 0, 0, H_EASTER, -1, 0 },
  { { "maundy", "thursday" }, 0, 0, H_EASTER, -3, 0 }, { { "palm", "sunday" }, 0, 0, H_EASTER, -7, 0 },
  { { "branch", "sunday" }, 0, 0, H_EASTER, -7, 0 }, { { "ash", "wednesday" }, 0, 0, H_EASTER, -46, 0 },
  { { "shrove", "tuesday" }, 0, 0, H_EASTER, -47, 0 }, { { "mardi", "gras" }, 0, 0, H_EASTER, -47, 0 },
  { { "pancake", "day" }, 0, 0, H_EASTER, -47, 0 }, { { "ascension", "day" }, 0, 0, H_EASTER, 39, 0 },
  { { "pentecost" }, 0, 0, H_EASTER, 49, 0 }, { { "whit", "sunday" }, 0, 0, H_EASTER, 49, 0 },
  { { "white", "sunday" }, 0, 0, H_EASTER, 49, 0 }, { { "whitsun" }, 0, 0, H_EASTER, 49, 0 },
  { { "whit", "monday" }, 0, 0, H_EASTER, 50, 0 }, { { "corpus", "christi" }, 0, 0, H_EASTER, 60, 0 },
  { { "orthodox", "easter" }, 0, 0, H_ORTHODOX, 0, 0 }, { { "orthodox", "good", "friday" }, 0, 0, H_ORTHODOX, -2, 0 },
  { { "orthodox", "great", "friday" }, 0, 0, H_ORTHODOX, -2, 0 }, { { "lazarus", "saturday" }, 0, 0, H_ORTHODOX, -8, 0 },
  { { "thanksgiving", "day" }, 11, 0, H_NTH, 4, 4 }, { { "thanksgiving" }, 11, 0, H_NTH, 4, 4 },
  { { "black", "friday" }, 11, 1, H_NTH, 4, 4 }, { { "cyber", "monday" }, 11, 4, H_NTH, 4, 4 },
  { { "labor", "day" }, 9, 0, H_NTH, 1, 1 }, { { "memorial", "day" }, 5, 0, H_NTH, 1, -1 },
  { { "mothers", "day" }, 5, 0, H_NTH, 7, 2 }, { { "fathers", "day" }, 6, 0, H_NTH, 7, 3 },
  { { "martin", "luther", "king", "day" }, 1, 0, H_NTH, 1, 3 }, { { "martin", "luther", "kings", "day" }, 1, 0, H_NTH, 1, 3 },
  { { "mlk", "day" }, 1, 0, H_NTH, 1, 3 }, { { "civil", "rights", "day" }, 1, 0, H_NTH, 1, 3 },
  { { "presidents", "day" }, 2, 0, H_NTH, 1, 3 }, { { "washingtons", "birthday" }, 2, 0, H_NTH, 1, 3 },
  { { "columbus", "day" }, 10, 0, H_NTH, 1, 2 },
  { { "rosh", "hashanah" }, 7, 1, H_HEBREW, 0, 2 }, { { "rosh", "hashana" }, 7, 1, H_HEBREW, 0, 2 },
  { { "rosh", "hashannah" }, 7, 1, H_HEBREW, 0, 2 }, { { "yom", "kippur" }, 7, 10, H_HEBREW, 0, 0 },
  { { "sukkot" }, 7, 15, H_HEBREW, 0, 9 }, { { "succot" }, 7, 15, H_HEBREW, 0, 9 }, { { "sukkos" }, 7, 15, H_HEBREW, 0, 9 },
  { { "succos" }, 7, 15, H_HEBREW, 0, 9 }, { { "feast", "of", "the", "ingathering" }, 7, 15, H_HEBREW, 0, 9 },
  { { "feast", "of", "tabernacles" }, 7, 15, H_HEBREW, 0, 9 }, { { "feast", "of", "booths" }, 7, 15, H_HEBREW, 0, 9 },
  { { "shemini", "atzeret" }, 7, 22, H_HEBREW, 0, 0 }, { { "simchat", "torah" }, 7, 23, H_HEBREW, 0, 0 },
  { { "simchas", "torah" }, 7, 23, H_HEBREW, 0, 0 }, { { "hanukkah" }, 9, 25, H_HEBREW, 0, 8 },
  { { "hanukah" }, 9, 25, H_HEBREW, 0, 8 }, { { "hannukah" }, 9, 25, H_HEBREW, 0, 8 },
  { { "hannukkah" }, 9, 25, H_HEBREW, 0, 8 }, { { "chanukah" }, 9, 25, H_HEBREW, 0, 8 },
  { { "chanukkah" }, 9, 25, H_HEBREW, 0, 8 }, { { "tu", "bishvat" }, 11, 15, H_HEBREW, 0, 0 },
  { { "tu", "bshvat" }, 11, 15, H_HEBREW, 0, 0 }, { { "tu", "bishevat" }, 11, 15, H_HEBREW, 0, 0 },
  { { "purim" }, 12, 14, H_HEBREW, 0, 0 }, { { "shushan", "purim" }, 12, 15, H_HEBREW, 0, 0 },
  { { "passover" }, 1, 15, H_HEBREW, 0, 8 }, { { "pesach" }, 1, 15, H_HEBREW, 0, 8 },
  { { "yom", "hashoah" }, 1, 27, H_HEBREW, 1, 0 }, { { "holocaust", "remembrance", "day" }, 1, 27, H_HEBREW, 1, 0 },
  { { "holocaust", "day" }, 1, 27, H_HEBREW, 1, 0 }, { { "yom", "haatzmaut" }, 2, 5, H_HEBREW, 2, 0 },
  { { "lag", "baomer" }, 2, 18, H_HEBREW, 0, 0 }, { { "lag", "bomer" }, 2, 18, H_HEBREW, 0, 0 },
  { { "yom", "yerushalayim" }, 2, 28, H_HEBREW, 0, 0 }, { { "shavuot" }, 3, 6, H_HEBREW, 0, 2 },
  { { "shavuos" }, 3, 6, H_HEBREW, 0, 2 }, { { "tisha", "bav" }, 5, 9, H_HEBREW, 0, 0 },
  { { "eid", "al", "fitr" }, 10, 1, H_HIJRI, 0, 0 }, { { "eid", "ul", "fitr" }, 10, 1, H_HIJRI, 0, 0 },
  { { "id", "ul", "fitr" }, 10, 1, H_HIJRI, 0, 0 }, { { "eid", "al", "adha" }, 12, 10, H_HIJRI, 0, 0 },
  { { "eid", "ul", "adha" }, 12, 10, H_HIJRI, 0, 0 }, { { "id", "ul", "adha" }, 12, 10, H_HIJRI, 0, 0 },
  { { "bakr", "id" }, 12, 10, H_HIJRI, 0, 0 }, { { "bakrid" }, 12, 10, H_HIJRI, 0, 0 },
  { { "sacrifice", "feast" }, 12, 10, H_HIJRI, 0, 0 }, { { "feast", "of", "sacrifice" }, 12, 10, H_HIJRI, 0, 0 },
  { { "feast", "of", "the", "sacrifice" }, 12, 10, H_HIJRI, 0, 0 }, { { "day", "of", "arafat" }, 12, 9, H_HIJRI, 0, 0 },
  { { "arafat", "day" }, 12, 9, H_HIJRI, 0, 0 }, { { "ramadan" }, 9, 1, H_HIJRI, 0, 30 },
  { { "laylat", "al", "qadr" }, 9, 27, H_HIJRI, 0, 0 }, { { "laylat", "al", "kadr" }, 9, 27, H_HIJRI, 0, 0 },
  { { "night", "of", "power" }, 9, 27, H_HIJRI, 0, 0 }, { { "night", "of", "measures" }, 9, 27, H_HIJRI, 0, 0 },
  { { "jumuatul", "wida" }, 9, 0, H_HIJRI, 1, 0 }, { { "jamat", "ul", "vida" }, 9, 0, H_HIJRI, 1, 0 },
  { { "islamic", "new", "year" }, 1, 1, H_HIJRI, 0, 0 }, { { "hijri", "new", "year" }, 1, 1, H_HIJRI, 0, 0 },
  { { "amun", "jadid" }, 1, 1, H_HIJRI, 0, 0 }, { { "ashura" }, 1, 10, H_HIJRI, 0, 0 },
  { { "mawlid", "al", "nabawi" }, 3, 12, H_HIJRI, 0, 0 }, { { "mawlid" }, 3, 12, H_HIJRI, 0, 0 },
  { { "isra", "and", "miraj" }, 7, 27, H_HIJRI, 0, 0 }, { { "night", "journey" }, 7, 27, H_HIJRI, 0, 0 },
  { { "ascension", "to", "heaven" }, 7, 27, H_HIJRI, 0, 0 }, { { "laylat", "al", "baraat" }, 8, 15, H_HIJRI, 0, 0 },
  { { "shab", "e", "barat" }, 8, 15, H_HIJRI, 0, 0 },
  { { "ugadi" }, 0, 1, H_TITHI, 0, 0 }, { { "yugadi" }, 0, 1, H_TITHI, 0, 0 }, { { "samvatsaradi" }, 0, 1, H_TITHI, 0, 0 },
  { { "chaitra", "sukladi" }, 0, 1, H_TITHI, 0, 0 }, { { "chaitra", "sukhladi" }, 0, 1, H_TITHI, 0, 0 },
  { { "gudi", "padwa" }, 0, 1, H_TITHI, 0, 0 }, { { "ram", "navami" }, 0, 9, H_TITHI, 1, 0 },
  { { "rama", "navami" }, 0, 9, H_TITHI, 1, 0 }, { { "vesak" }, 1, 15, H_TITHI, 2, 0 }, { { "vaisakha" }, 1, 15, H_TITHI, 2, 0 },
  { { "buddha", "day" }, 1, 15, H_TITHI, 2, 0 }, { { "buddha", "purnima" }, 1, 15, H_TITHI, 2, 0 },
  { { "raksha", "bandhan" }, 4, 15, H_TITHI, 0, 0 }, { { "rakhi" }, 4, 15, H_TITHI, 0, 0 },
  { { "ganesh", "chaturthi" }, 5, 4, H_TITHI, 1, 0 }, { { "vinayaka", "chaturthi" }, 5, 4, H_TITHI, 1, 0 },
  { { "dussehra" }, 6, 10, H_TITHI, 1, 0 }, { { "dasara" }, 6, 10, H_TITHI, 1, 0 }, { { "vijayadashami" }, 6, 10, H_TITHI, 1, 0 },
  { { "valmiki", "jayanti" }, 6, 15, H_TITHI, 0, 0 }, { { "pargat", "diwas" }, 6, 15, H_TITHI, 0, 0 },
  { { "karva", "chauth" }, 6, 19, H_TITHI, 3, 0 }, { { "karwa", "chauth" }, 6, 19, H_TITHI, 3, 0 },
  { { "dhanteras" }, 6, 28, H_TITHI, 2, 0 }, { { "dhanatrayodashi" }, 6, 28, H_TITHI, 2, 0 },
  { { "diwali" }, 6, 30, H_TITHI, 2, 0 }, { { "deepavali" }, 6, 30, H_TITHI, 2, 0 }, { { "lakshmi", "puja" }, 6, 30, H_TITHI, 2, 0 },
  { { "chhath" }, 7, 6, H_TITHI, 0, 0 }, { { "dala", "puja" }, 7, 6, H_TITHI, 0, 0 }, { { "surya", "shashthi" }, 7, 6, H_TITHI, 0, 0 },
  { { "guru", "ravidas", "jayanti" }, 10, 15, H_TITHI, 0, 0 }, { { "guru", "ravidass", "jayanti" }, 10, 15, H_TITHI, 0, 0 },
  { { "guru", "ravidas", "birthday" }, 10, 15, H_TITHI, 0, 0 }, { { "guru", "ravidass", "birthday" }, 10, 15, H_TITHI, 0, 0 },
  { { "maha", "shivaratri" }, 10, 29, H_TITHI, 4, 0 }, { { "mahashivaratri" }, 10, 29, H_TITHI, 4, 0 },
  { { "holika", "dahan" }, 11, 15, H_TITHI, 2, 0 }, { { "chhoti", "holi" }, 11, 15, H_TITHI, 2, 0 },
  { { "kamudu", "pyre" }, 11, 15, H_TITHI, 2, 0 }, { { "holi" }, 11, 15, H_TITHI, 2, 1 }, { { "dhulandi" }, 11, 15, H_TITHI, 2, 1 },
  { { "dhulheti" }, 11, 15, H_TITHI, 2, 1 }, { { "phagwah" }, 11, 15, H_TITHI, 2, 1 },
  { { "bhai", "dooj" }, 7, 2, H_TITHI, 1, 0 }, { { "bhau", "beej" }, 7, 2, H_TITHI, 1, 0 },
  { { "govardhan", "puja" }, 7, 1, H_TITHI, 0, 0 }, { { "guru", "nanak", "jayanti" }, 7, 15, H_TITHI, 0, 0 },
  { { "navaratri" }, 6, 1, H_TITHI, 0, 0 }, { { "navratri" }, 6, 1, H_TITHI, 0, 0 },
  { { "maha", "saptami" }, 6, 7, H_TITHI, 0, 0 }, { { "durga", "ashtami" }, 6, 8, H_TITHI, 0, 0 },
  { { "maha", "ashtami" }, 6, 8, H_TITHI, 0, 0 }, { { "maha", "navami" }, 6, 9, H_TITHI, 0, 0 },
  { { "krishna", "janmashtami" }, 4, 23, H_TITHI, 4, 0 }, { { "janmashtami" }, 4, 23, H_TITHI, 4, 0 },
  { { "gokulashtami" }, 4, 23, H_TITHI, 4, 0 }, { { "mahavir", "jayanti" }, 0, 13, H_TITHI, 0, 0 },
  { { "hanuman", "jayanti" }, 0, 15, H_TITHI, 0, 0 }, { { "akshaya", "tritiya" }, 1, 3, H_TITHI, 1, 0 },
  { { "rath", "yatra" }, 3, 2, H_TITHI, 0, 0 }, { { "ratha", "yatra" }, 3, 2, H_TITHI, 0, 0 },
  { { "guru", "purnima" }, 3, 15, H_TITHI, 0, 0 }, { { "vasant", "panchami" }, 10, 5, H_TITHI, 1, 0 },
  { { "basant", "panchami" }, 10, 5, H_TITHI, 1, 0 }, { { "saraswati", "puja" }, 10, 5, H_TITHI, 1, 0 },
  { { "vaisakhi" }, 0, 0, H_SOLAR, 0, 0 }, { { "baisakhi" }, 0, 0, H_SOLAR, 0, 0 }, { { "vishu" }, 0, 0, H_SOLAR, 0, 0 },
  { { "puthandu" }, 0, 0, H_SOLAR, 0, 0 }, { { "pohela", "boishakh" }, 0, 0, H_SOLAR, 1, 0 },
  { { "lohri" }, 1, 13, H_FIXED, 0, 0 }, { { "bhogi" }, 9, -1, H_SOLAR, 0, 0 }, { { "kaanum", "pongal" }, 9, 2, H_SOLAR, 0, 0 },
  { { "thai", "pongal" }, 9, 0, H_SOLAR, 0, 0 }, { { "pongal" }, 9, 0, H_SOLAR, 0, 0 }, { { "makar", "sankranti" }, 9, 0, H_SOLAR, 0, 0 },
  { { "makara", "sankranthi" }, 9, 0, H_SOLAR, 0, 0 }, { { "makara", "sankranti" }, 9, 0, H_SOLAR, 0, 0 },
  { { "maghi" }, 9, 0, H_SOLAR, 0, 0 }, { { "mattu", "pongal" }, 9, 1, H_SOLAR, 0, 0 }, { { "maattu", "pongal" }, 9, 1, H_SOLAR, 0, 0 },
  { { "rabindra", "jayanti" }, 0, 24, H_SOLAR, 1, 0 }, { { "rabindranath", "jayanti" }, 0, 24, H_SOLAR, 1, 0 },
  { { "onam" }, 0, 0, H_ONAM, 0, 0 }, { { "thiru", "onam" }, 0, 0, H_ONAM, 0, 0 }, { { "thiruvonam" }, 0, 0, H_ONAM, 0, 0 },
  { { "parsi", "new", "year" }, 0, 0, H_PARSI, 0, 0 }, { { "jamshedi", "navroz" }, 0, 0, H_PARSI, 0, 0 },
  { { "chinese", "new", "years", "day" }, 0, 0, H_CNY, 0, 0 }, { { "chinese", "lunar", "new", "years", "day" }, 0, 0, H_CNY, 0, 0 },
  { { "chinese", "new", "year" }, 0, 0, H_CNY, 0, 0 }, { { "chinese", "new", "years" }, 0, 0, H_CNY, 0, 0 },
  { { "chinese", "lunar", "new", "year" }, 0, 0, H_CNY, 0, 0 }, { { "lunar", "new", "year" }, 0, 0, H_CNY, 0, 0 },
  { { "spring", "festival" }, 0, 0, H_CNY, 0, 0 },
};

/* Word k is w, apostrophes ignored on both sides. */
static int hol_eq(const td_nctx *c, size_t k, const char *w) {
  if (!is_word(c, k)) return 0;
  const unsigned char *t = (const unsigned char *)c->t;
  uint32_t a = c->a[k].s, e = c->a[k].e;
  while (a < e || *w) {
    if (*w == '\'') { w++; continue; }
    if (a < e && t[a] == '\'') { a++; continue; }
    if (a + 2 < e && t[a] == 0xE2 && t[a + 1] == 0x80 && t[a + 2] == 0x99) { a += 3; continue; }
    if (a >= e || !*w) return 0;
    int ch = t[a];
    if (ch >= 'A' && ch <= 'Z') ch += 32;
    if (ch != (unsigned char)*w) return 0;
    a++; w++;
  }
  return 1;
}

/* Word w at atom k, where the tokenizer may have cut a possessive off
 * ("valentine" "'" "s", "workers" "'"); the atom after it, or 0. */
static size_t hol_match(const td_nctx *c, size_t k, const char *w) {
  if (hol_eq(c, k, w)) {
    size_t n = strlen(w);
    if (n > 1 && w[n - 1] == 's' && (td_n_punct(c, k + 1, '\'') || td_n_punct(c, k + 1, 0x2019)) && td_n_adjacent(c, k + 1) &&
        !(is_word(c, k + 2) && td_n_adjacent(c, k + 2)))
      return k + 2;   /* "workers'" */
    return k + 1;
  }
  size_t n = strlen(w);
  char buf[24];
  if (n < 2 || n >= sizeof buf || w[n - 1] != 's') return 0;
  memcpy(buf, w, n - 1); buf[n - 1] = 0;
  if (buf[n - 2] == '\'') buf[n - 2] = 0;
  if (hol_eq(c, k, buf) && (td_n_punct(c, k + 1, '\'') || td_n_punct(c, k + 1, 0x2019)) && td_n_adjacent(c, k + 1) &&
      td_n_eq(c, k + 2, "s") && td_n_adjacent(c, k + 2))
    return k + 3;   /* "valentine" "'" "s" */
  return 0;
}

void td_n_holiday_index(td_numfilter *f) {
  size_t nh = sizeof holidays / sizeof holidays[0], n = 0;
  f->hol_ok = nh <= sizeof f->hol / sizeof f->hol[0];
  for (size_t h = 0; h < nh && f->hol_ok; h++)   /* a name the index would miss: scan all */
    if (holidays[h].w[0][0] < 'a' || holidays[h].w[0][0] > 'z') f->hol_ok = 0;
  if (!f->hol_ok) return;
  for (int l = 0; l < 26; l++) {
    f->hol_at[l] = (uint16_t)n;
    for (size_t h = 0; h < nh; h++)
      if (holidays[h].w[0][0] == 'a' + l) f->hol[n++] = (uint16_t)h;
  }
  f->hol_at[26] = (uint16_t)n;
}

/* Word k as hol_eq reads it (apostrophes dropped, A-Z lower-cased) into
 * buf; its length, or sz when it does not fit. */
static size_t hol_form(const td_nctx *c, size_t k, char *buf, size_t sz) {
  const unsigned char *t = (const unsigned char *)c->t;
  uint32_t a = c->a[k].s, e = c->a[k].e;
  size_t n = 0;
  while (a < e) {
    if (t[a] == '\'') { a++; continue; }
    if (a + 2 < e && t[a] == 0xE2 && t[a + 1] == 0x80 && t[a + 2] == 0x99) { a += 3; continue; }
    if (n >= sz) return sz;
    int ch = t[a++];
    buf[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
  }
  return n;
}

/* Can hol_match(k, w) match, the word k read as f[0..n)?  Only when f is w
 * or w without its final 's' (apostrophes dropped): a cheap test that saves
 * the matching for nearly every name. */
static int hol_first_may(const char *f, size_t n, const char *w) {
  size_t q = 0;
  for (; *w; w++) {
    if (*w == '\'') continue;
    if (q == n) break;
    if (f[q++] != *w) return 0;
  }
  if (q < n) return 0;
  while (*w == '\'') w++;
  if (!*w) return 1;
  if (*w != 's') return 0;
  for (w++; *w == '\''; w++) {}
  return *w == '\0';
}

static size_t holiday(const td_nctx *c, size_t i, tv *t) {
  if (!is_word(c, i)) return 0;
  td_natom *a = &c->a[i];
  /* every first word of a name is a starter or a lexicon word (April, May) */
  if (!a->wf && a->lex < 0) return 0;
  /* The grammar tries a holiday at one atom many times over: the first
   * scan of the names notes in the atom whether any name's first word
   * passes the tests below (a per-call cache in the context's atoms, not
   * shared state); NG_HOL clear: none does. */
  if ((a->gate & NG_HOL_KNOWN) && !(a->gate & NG_HOL)) return 0;
  /* a pure function of the atoms from i on: a "no" with all of them holds
   * for every later try with all of them */
  int whole = c->na == c->na_all;
  if (whole && (a->gate & NG_HOL_NONE)) return 0;
  int f0 = c->t[c->a[i].s] | 32;
  char form[32];
  size_t nform = hol_form(c, i, form, sizeof form);
  int prefilter = nform < sizeof form;
  /* only the names with that first letter (all of them start a-z) */
  size_t nh = sizeof holidays / sizeof holidays[0], from = 0, to = nh;
  if (c->f->hol_ok) {
    if (f0 < 'a' || f0 > 'z') return 0;
    from = c->f->hol_at[f0 - 'a']; to = c->f->hol_at[f0 - 'a' + 1];
  }
  int first = 0;   /* some name's first word passed */
  for (size_t hx = from; hx < to; hx++) {
    size_t h = c->f->hol_ok ? c->f->hol[hx] : hx;
    const holi *H = &holidays[h];
    if (H->w[0][0] != f0) continue;
    if (prefilter && !hol_first_may(form, nform, H->w[0])) continue;
    first = 1;
    size_t k = i;
    int ok = 1;
    for (int q = 0; q < 5 && H->w[q] && ok; q++) {
      /* "St. Patrick's Day" */
      if (q == 1 && !strcmp(H->w[0], "st") && td_n_punct(c, k, '.')) k++;
      /* "Eid al-Fitr", "Jumu'atul-Wida" */
      if (q > 0 && k > i && td_n_punct(c, k, '-') && td_n_adjacent(c, k) && td_n_adjacent(c, k + 1)) k++;
      size_t e = hol_match(c, k, H->w[q]);
      ok = e > 0;
      k = e;
    }
    if (!ok) continue;
    if ((!strcmp(H->w[0], "victory") || !strcmp(H->w[0], "may") || !strcmp(H->w[0], "independence") ||
         !strcmp(H->w[0], "good") || !strcmp(H->w[0], "white") || !strcmp(H->w[0], "branch") || !strcmp(H->w[0], "all") ||
         !strcmp(H->w[0], "earth") || !strcmp(H->w[0], "kings")) && !c->a[i].cap && !(i > 0 && c->a[i - 1].cap == 0 &&
         (td_n_eq(c, i - 1, "on") || td_n_eq(c, i - 1, "this") || td_n_eq(c, i - 1, "next") || td_n_eq(c, i - 1, "last")))) {
      if (!(strcmp(H->w[0], "white") == 0 || strcmp(H->w[0], "branch") == 0 || strcmp(H->w[0], "kings") == 0) || !is_num(c, k)) continue;
    }
    tv_init(t);
    t->grain = G_DAY; t->m = H->m; t->d = H->rule == H_FIXED ? H->d : 0; t->holiday = (int)h + 1;
    if (H->rule != H_FIXED) t->m = 0;
    int y = 0;
    size_t e = year_num(c, k, &y);
    if (!e && td_n_eq(c, k, "in") && (e = year_num(c, k + 1, &y)) && !is_num(c, k + 1)) e = 0;   /* "Diwali in 2019" */
    if (e) { t->y = y; k = e; }
    else if (H->rule != H_FIXED && !has_ref(c)) return 0;   /* no year to count in */
    return k;
  }
  a->gate = (uint8_t)(a->gate | NG_HOL_KNOWN | (first ? NG_HOL : 0) | (whole ? NG_HOL_NONE : 0));
  return 0;
}

/* Orthodox Easter (Julian computus) as a Gregorian date, 1900-2099. */
static void orthodox_easter(int y, int *m, int *d) {
  int a = y % 4, b = y % 7, cc = y % 19, dd = (19 * cc + 15) % 30, e = (2 * a + 4 * b - dd + 34) % 7;
  int mm = (dd + e + 114) / 31, day = (dd + e + 114) % 31 + 1;
  long z = days_from_civil(y, mm, day) + 13;   /* Julian -> Gregorian (1900-2099) */
  int yy;
  civil_from_days(z, &yy, m, d);
}

/* The date of holiday t->holiday in year y. */
static void holiday_in(const holi *H, int y, int *m, int *d) {
  long z;
  switch (H->rule) {
    case H_FIXED: *m = H->m; *d = H->d; return;
    case H_EASTER: easter(y, m, d); break;
    case H_ORTHODOX: orthodox_easter(y, m, d); break;
    case H_NTH: {
      /* an offset from the nth weekday may leave the month (Cyber Monday:
       * the Monday after the fourth Thursday of November can be in December) */
      int yy;
      z = days_from_civil(y, H->m, nth_weekday(y, H->m, H->x, H->n)) + H->d;
      civil_from_days(z, &yy, m, d);
      return;
    }
    case H_HEBREW: {
      /* Tishri to Kislev fall late in the Gregorian year y, the others early */
      long hy = y + (H->m >= 7 && H->m <= 9 ? 3761 : 3760);
      int hm = H->m == 12 && heb_leap(hy) ? 13 : H->m;
      z = heb_day(hy, hm, H->d);
      int wd = weekday(z);
      if (H->x == 1) z += wd == 5 ? -1 : wd == 7 ? 1 : 0;
      if (H->x == 2) z += wd == 5 ? -1 : wd == 6 ? -2 : wd == 1 ? 1 : 0;
      int yy;
      civil_from_days(z - 1, &yy, m, d);
      return;
    }
    case H_TITHI: {
      static const double hour[] = { 0.0208, 0.27, 0.604, 0.625, 0.771 };   /* 6:00, 12:00, 20:00, 20:30, 24:00 IST */
      z = hindu_tithi_day(y, H->m, H->d, hour[H->x]) + H->n;
      int yy;
      civil_from_days(z, &yy, m, d);
      return;
    }
    case H_SOLAR: case H_ONAM: {
      double s = sankranti(y, H->rule == H_ONAM ? 4 : H->m) + 5.5 / 24;   /* India */
      z = (long)floor(s);
      if (H->x == 1 || s - (double)z > 18.0 / 24) z++;
      if (H->rule == H_ONAM) {
        for (long q = z; q < z + 31; q++) {
          double jd = jd_at(q, 0.121);   /* 6 nazhika after sunrise */
          if ((int)(norm360(moon_long(jd) - ayanamsa(jd)) / (360.0 / 27)) == 21) { z = q; break; }
        }
      } else z += H->d;
      int yy;
      civil_from_days(z, &yy, m, d);
      return;
    }
    case H_PARSI: {
      z = days_from_civil(2022, 8, 16) + 365L * (y - 2022);
      int yy;
      civil_from_days(z, &yy, m, d);
      if (yy != y) civil_from_days(z + (yy < y ? 365 : -365), &yy, m, d);
      return;
    }
    case H_CNY: {
      double s = (double)days_from_civil(y, 1, 21) + 2440587.5 - 8.0 / 24;
      double k = floor((s - 2451550.09766) / 29.530588861);
      while (new_moon_jde(k) + 8.0 / 24 < s) k++;
      z = (long)floor(new_moon_jde(k) - 2440587.5 + 8.0 / 24);
      int yy;
      civil_from_days(z, &yy, m, d);
      return;
    }
    case H_HIJRI: {
      /* the first one in the Gregorian year y (a Hijri year is 11 days shorter) */
      long jan1 = days_from_civil(y, 1, 1), hy = (y - 622) * 33 / 32 - 2;
      for (int k = 0; k < 6; k++, hy++) {
        long s0 = hijri_month_start(hy, H->m);
        z = s0 + H->d - 1;
        if (H->x == 1) { z = hijri_month_start(H->m == 12 ? hy + 1 : hy, H->m % 12 + 1) - 1; z -= (weekday(z) + 2) % 7; }
        if (z >= jan1) break;
      }
      int yy;
      civil_from_days(z, &yy, m, d);
      return;
    }
  }
  z = days_from_civil(y, *m, *d) + H->x;
  int yy;
  civil_from_days(z, &yy, m, d);
}

static void holiday_fix(const td_nctx *c, tv *t) {
  if (!t->holiday) return;
  const holi *H = &holidays[t->holiday - 1];
  if (t->rel && t->rel_unit == TU_YEAR && has_ref(c)) {   /* "Thanksgiving of next year" */
    t->y = c->o->ref_y + t->rel_n; t->rel = 0; t->rel_n = 0; t->rel_unit = 0;
  }
  if (H->rule == H_FIXED && !t->hdir) return;
  int y = t->y ? t->y : (has_ref(c) ? c->o->ref_y : 0);
  if (!y) return;
  holiday_in(H, y, &t->m, &t->d);
  if (t->hdir && !t->y && has_ref(c)) {
    /* "next Halloween", "last Easter", "this MLK day": the next or the last one */
    long ref = ref_days(c), at = days_from_civil(y, t->m, t->d);
    if (t->hdir > 0 && at < ref) holiday_in(H, ++y, &t->m, &t->d);
    if (t->hdir < 0 && at >= ref) holiday_in(H, --y, &t->m, &t->d);
  } else if (!t->hdir && !t->y && has_ref(c) && c->o->future && days_from_civil(y, t->m, t->d) < ref_days(c))
    holiday_in(H, ++y, &t->m, &t->d);   /* "MLK day", looking forwards */
  t->y = y;
}

static int deictic(const td_nctx *c, size_t i, int *n);
static size_t numeric_date(const td_nctx *c, size_t i, tv *t, int cue);

/* A weekday in a list that names its week once: "next Monday or Tuesday",
 * "next week Mon, Wed, Fri", "Tuesday or Thursday next week".  The week
 * offset, or 0 (*n) when there is no such list. */
static int listed_week(const td_nctx *c, size_t i, int *n) {
  size_t k = i;
  int seen = 0;
  /* backwards over "Monday, Tuesday or" */
  while (k >= 2 && (td_n_eq(c, k - 1, "or") || td_n_eq(c, k - 1, "and") || td_n_punct(c, k - 1, ',')) && td_n_lex(c, k - 2, L_WDAY)) {
    k -= 2; seen = 1;
    if (k >= 1 && td_n_punct(c, k - 1, ',') && k >= 2 && td_n_lex(c, k - 2, L_WDAY)) continue;
  }
  if (seen && k >= 1 && deictic(c, k - 1, n) && *n != 0) return 1;                                   /* "next Monday or Tuesday" */
  if (seen && k >= 2 && td_n_eq(c, k - 1, "week") && deictic(c, k - 2, n)) return 1;                  /* "next week Mon, Wed" */
  if (seen && k >= 3 && td_n_eq(c, k - 1, "on") && td_n_eq(c, k - 2, "week") && deictic(c, k - 3, n)) return 1;
  /* forwards over "or Thursday" to "next week" */
  k = i + 1;
  seen = 0;
  while (k + 1 < c->na && (td_n_eq(c, k, "or") || td_n_eq(c, k, "and") || td_n_punct(c, k, ',')) && td_n_lex(c, k + 1, L_WDAY)) { k += 2; seen = 1; }
  if (seen && deictic(c, k, n) && td_n_eq(c, k + 1, "week")) return 1;
  return 0;
}

/* A calendar date at i (no time): the main date shapes. */
static size_t cal_date(const td_nctx *c, size_t i, tv *t, int cue) {
  size_t k = i, e, wend = i;
  const td_lex *W, *M;
  int wd = 0, wd_the = 0;
  tv_init(t);
  /* "the first Friday of July", "last Sunday of March 2014", "second Monday of next month" */
  {
    size_t q = k;
    int nth = 0, n2;
    td_nval nv;
    if (td_n_eq(c, q, "the")) q++;
    if (td_n_eq(c, q, "last")) { nth = -1; q++; }
    else if (td_n_number(c, q, 2 | 4, &nv) && nv.kind == TD_N_ORDINAL && nv.v >= 1 && nv.v <= 5 && nv.end == q + 1) { nth = (int)nv.v; q++; }
    if (nth && (W = wday_at(c, q, &e)) && (td_n_eq(c, e, "of") || td_n_eq(c, e, "in"))) {
      size_t z = e + 1, e2;
      int y;
      if ((M = month_at(c, z, &e2))) {
        t->nth = nth; t->wd = (int)W->val; t->m = (int)M->val; t->grain = G_DAY;
        size_t z2 = e2;
        if (td_n_punct(c, z2, ',')) z2++;
        size_t yq = year_num(c, z2, &y);
        if (yq) { t->y = y; return yq; }
        return e2;
      }
      if (td_n_eq(c, z, "the")) z++;
      if (deictic(c, z, &n2) && td_n_eq(c, z + 1, "month")) {
        t->nth = nth; t->wd = (int)W->val; t->grain = G_DAY; t->rel = 1; t->rel_unit = TU_MONTH; t->rel_n = n2;
        return z + 2;
      }
    }
    /* "first Sunday", "the third Tuesday": of the reference month (not "second Sunday
     * after Easter", "in a row"; a fifth one may not be there) */
    int poss = i > 0 && (td_n_eq(c, i - 1, "his") || td_n_eq(c, i - 1, "her") || td_n_eq(c, i - 1, "their") ||
                         td_n_eq(c, i - 1, "its") || td_n_eq(c, i - 1, "our") || td_n_eq(c, i - 1, "my") || td_n_eq(c, i - 1, "your"));
    if (nth > 0 && nth <= 4 && !poss && (W = wday_at(c, q, &e)) && !td_n_eq(c, e, "of") && !td_n_eq(c, e, "in") &&
        !td_n_eq(c, e, "after") && !td_n_eq(c, e, "before") && !td_n_eq(c, e, "since") && !td_n_eq(c, e, "following") &&
        !td_n_eq(c, e, "from") && !td_n_eq(c, e, "that") && !(is_word(c, e) && td_n_lex(c, e, L_WDAY))) {
      t->nth = nth; t->wd = (int)W->val; t->grain = G_DAY; t->rel = 1; t->rel_unit = TU_MONTH; t->rel_n = 0;
      return e;
    }
  }
  if ((W = wday_at(c, k, &e))) {
    wd = (int)W->val; k = e;
    /* "next Monday or Tuesday": the list's week */
    {
      int lw;
      if (!td_n_eq(c, k, "of") && !deictic(c, k, &lw) && listed_week(c, i, &lw)) {
        t->rel = 1; t->rel_unit = TU_WEEK; t->rel_n = lw; t->rel_wd = wd; t->grain = G_DAY;
        return k;
      }
    }
    /* "Friday after next": that weekday of next week */
    if (td_n_eq(c, k, "after") && td_n_eq(c, k + 1, "next")) {
      t->rel = 1; t->rel_unit = TU_WEEK; t->rel_n = 1; t->rel_wd = wd; t->grain = G_DAY;
      return k + 2;
    }
    /* "Friday next week", "tuesday of next week", "friday this week" */
    {
      size_t z = k, n2;
      int dn;
      if (td_n_eq(c, z, "of")) z++;
      n2 = z;
      if (deictic(c, n2, &dn) && td_n_eq(c, n2 + 1, "week")) {
        t->rel = 1; t->rel_unit = TU_WEEK; t->rel_n = dn; t->rel_wd = wd; t->grain = G_DAY;
        return n2 + 2;
      }
    }
    wend = k;
    if (td_n_punct(c, k, ',')) k++;
    if (td_n_eq(c, k, "the") && day_num(c, k + 1, &t->d, 0)) k++;
    /* "Friday the fifteen": after a weekday and "the", a cardinal in words is the day */
    else if (td_n_eq(c, k, "the") && is_word(c, k + 1) && day_num(c, k + 1, &t->d, 2)) { k++; wd_the = 1; }
    /* "Friday 7/6", "Friday 2018-7-6": the numeric date says it all */
    tv nd;
    size_t ne;
    if (is_num(c, k) && (ne = numeric_date(c, k, &nd, 1)) && nd.grain == G_DAY && (nd.y || !dashlike(c, k + 1))) { *t = nd; return ne; }
    /* "Monday 11-4" is hours, not 4 November (the caller reads them) */
    if (is_num(c, k) && dashlike(c, k + 1) && td_n_adjacent(c, k + 1) && is_num(c, k + 2) && td_n_adjacent(c, k + 2)) {
      t->wd = wd; t->grain = G_DAY;
      return k - (td_n_punct(c, k - 1, ',') ? 1 : 0);
    }
  }
  int d = 0, y = 0;
  size_t s = k;
  /* year first: "2016 June", "2016, Nov", "2016 June 5" */
  if (!wd && is_num(c, k) && year_num(c, k, &y)) {
    size_t z = k + 1;
    /* "2019/sep/01", "2019-aug-1", "2020/23/Sep" */
    if (c->a[k].nd == 4 && (td_n_punct(c, z, '/') || dashlike(c, z)) && td_n_adjacent(c, z) && td_n_adjacent(c, z + 1)) {
      size_t e2;
      int d2;
      if ((M = month_at(c, z + 1, &e)) && (td_n_punct(c, e, '/') || dashlike(c, e)) && td_n_adjacent(c, e) && td_n_adjacent(c, e + 1) &&
          (e2 = day_num(c, e + 1, &d2, 1)) && d2 <= month_len(y, (int)M->val)) {
        t->y = y; t->m = (int)M->val; t->d = d2; t->grain = G_DAY;
        return e2;
      }
      if (plain_int(c, z + 1, &d2, 2) && d2 >= 1 && (td_n_punct(c, z + 2, '/') || dashlike(c, z + 2)) && td_n_adjacent(c, z + 2) &&
          td_n_adjacent(c, z + 3) && (M = month_at(c, z + 3, &e)) && d2 <= month_len(y, (int)M->val)) {
        t->y = y; t->m = (int)M->val; t->d = d2; t->grain = G_DAY;
        return e;
      }
    }
    if (td_n_punct(c, z, ',')) z++;
    if ((M = month_at(c, z, &e)) && !(td_n_eq(c, z, "may") && !c->a[z].cap)) {
      tv_init(t);
      t->y = y; t->m = (int)M->val; t->grain = G_MONTH;
      size_t dq = day_num(c, e, &d, 1);
      if (dq && !(is_num(c, e) && c->a[e].nd == 4) && d <= month_len(y, t->m)) { t->d = d; t->grain = G_DAY; return dq; }
      return e;
    }
    y = 0;
  }
  /* month first: May 16, May 16th 2025, May 2022, Oct-2, Oct/2, October. 2 */
  if ((M = month_at(c, k, &e))) {
    size_t q = e;
    int m = (int)M->val;
    if ((dashlike(c, q) || td_n_punct(c, q, '/')) && td_n_adjacent(c, q) && td_n_adjacent(c, q + 1) && is_num(c, q + 1)) q++;
    else if (td_n_punct(c, q, '.') && is_num(c, q + 1)) q++;
    if (td_n_eq(c, q, "the") && day_num(c, q + 1, &d, 0)) q++;
    else if (td_n_punct(c, q, ',') && day_num(c, q + 1, &d, 0) && !(is_num(c, q + 1) && c->a[q + 1].nd == 4)) q++;
    size_t dq = day_num(c, q, &d, 2);
    if (dq && is_word(c, q) && year_words(c, q, &y)) dq = 0;   /* "March nineteen sixty two" */
    if (dq && !(is_num(c, q) && c->a[q].nd == 4)) {
      /* not "May 2022" */
      size_t z = dq;
      if (td_n_punct(c, z, ',') || (td_n_eq(c, z, "of") && is_num(c, z + 1) && c->a[z + 1].nd == 4) ||
          ((dashlike(c, z) || td_n_punct(c, z, '/')) && td_n_adjacent(c, z) && td_n_adjacent(c, z + 1) && is_num(c, z + 1) && c->a[z + 1].nd == 4)) z++;
      size_t yq = year_num(c, z, &y);
      if (!yq && z == dq) yq = year_after(c, z, &y);
      t->m = m; t->d = d; t->grain = G_DAY; t->wd = wd;   /* "Fri, Jul 18": the weekday picks the year */
      if (yq) { t->y = y; dq = yq; }
      /* "Jul 18, Fri": so does one after it */
      else if (!wd && td_n_punct(c, dq, ',') && (W = wday_at(c, dq + 1, &e)) && !is_num(c, e) && !td_n_punct(c, e, '\'') &&
               !td_n_punct(c, e, 0x2019) && !(is_word(c, e) && td_n_adjacent(c, e))) { t->wd = (int)W->val; dq = e; }
      if (d > month_len(t->y ? t->y : 2000, m)) return 0;
      /* "May 16 at 09:30" handled by the caller */
      return dq;
    }
    size_t z = q;
    if (td_n_punct(c, z, ',') || (dashlike(c, z) && td_n_adjacent(c, z))) z++;
    size_t yq = year_num(c, z, &y);
    if (!yq && z == q) yq = year_after(c, z, &y);
    if (yq) { t->m = m; t->y = y; t->grain = G_MONTH; if (wd) return 0; return yq; }
    /* a month alone */
    if (wd) return 0;
    int ok = cue;
    if (!ok && i > 0 && date_prep(c, i - 1)) ok = 1;
    if (!ok && c->a[i].cap && M->sub == 0 && !td_n_eq(c, i, "may") && !td_n_eq(c, i, "march")) ok = 1;
    if (!ok && c->a[i].cap && M->sub == 1 && !td_n_eq(c, i, "mar") && !td_n_eq(c, i, "jan") && td_n_punct(c, i + 1, '.')) ok = 1;
    /* "Jan-Feb 2017", "Nov-Feb 5th, 2017": a month before a dash and another month */
    if (!ok && dashlike(c, e) && td_n_adjacent(c, e) && td_n_lex(c, e + 1, L_MONTH) && td_n_adjacent(c, e + 1)) ok = 1;
    if ((td_n_eq(c, i, "may") || td_n_eq(c, i, "march")) && !c->a[i].cap)   /* "may", "to march" are verbs */
      ok = ok && i > 0 && date_prep(c, i - 1) && !td_n_eq(c, i - 1, "and") && !td_n_eq(c, i - 1, "to") && !td_n_eq(c, i - 1, "will");
    if (!ok) return 0;
    t->m = m; t->grain = G_MONTH;
    return e;
  }
  /* day first: 16 May 2025, the 1st of March, 14april 2015, 12 of Nov */
  {
    size_t q = k;
    int the = 0;
    if (td_n_eq(c, q, "the")) { q++; the = 1; }
    size_t dq = day_num(c, q, &d, wd_the ? 2 : 1);
    tv tmc;
    if (dq) {
      size_t z = dq;
      if (td_n_eq(c, z, "of")) z++;
      else if (td_n_eq(c, z, "day") && td_n_eq(c, z + 1, "of")) z += 2;
      /* "16. Nov. 2016", "28-nov", "23/Sep/2020" */
      else if ((td_n_punct(c, z, '.') || ((dashlike(c, z) || td_n_punct(c, z, '/')) && td_n_adjacent(c, z) && td_n_adjacent(c, z + 1))) &&
               td_n_adjacent(c, z) && td_n_lex(c, z + 1, L_MONTH)) z++;
      {
        size_t z2 = z;
        int dn;
        if (td_n_eq(c, z2, "the")) z2++;
        if (z > dq && deictic(c, z2, &dn) && td_n_eq(c, z2 + 1, "month")) {
          t->d = d; t->grain = G_DAY; t->rel = 1; t->rel_unit = TU_MONTH; t->rel_n = dn;
          return z2 + 2;
        }
      }
      if ((M = month_at(c, z, &e))) {
        int m = (int)M->val;
        size_t z2 = e;
        if (td_n_punct(c, z2, ',') || ((dashlike(c, z2) || td_n_punct(c, z2, '/')) && td_n_adjacent(c, z2) && td_n_adjacent(c, z2 + 1))) z2++;
        size_t yq = year_num(c, z2, &y);
        if (!yq && z2 == e) yq = year_after(c, z2, &y);
        if (d > month_len(yq ? y : 2000, m)) return 0;
        t->d = d; t->m = m; t->grain = G_DAY;
        if (yq) { t->y = y; return yq; }
        return e;
      }
      /* "the 24th", "on 24th", "Monday 21" */
      if ((the || wd) && is_word(c, dq) && c->a[dq].cap == 0 && !td_n_eq(c, dq, "at") && !td_n_eq(c, dq, "and") &&
          !td_n_eq(c, dq, "or") && !td_n_eq(c, dq, "to") && !td_n_eq(c, dq, "in") && !td_n_eq(c, dq, "on") &&
          !td_n_eq(c, dq, "until") && !td_n_eq(c, dq, "through") && !td_n_eq(c, dq, "between") && !td_n_eq(c, dq, "from") &&
          !td_n_eq(c, dq, "for") && !td_n_eq(c, dq, "by") && !td_n_eq(c, dq, "around") && !td_n_eq(c, dq, "about") &&
          !(wd && clock_time(c, dq, &tmc, 1) > dq + 1))   /* "Monday the 24th six pm" */
      {   /* "the 18th round" is a rank; "Monday 5 people": the weekday alone */
        if (!wd) return 0;
        t->wd = wd; t->d = 0; t->grain = G_DAY;
        return wend;
      }
      if (the || wd) {
        int ordinal = dq > q + 1 || !is_num(c, q);
        if ((ordinal && (the || cue)) || wd) { t->d = d; t->grain = G_DAY; t->wd = 0; if (wd && !t->m) t->wd = wd; return dq; }
      }
      if (cue && dq > q + 1 && !is_word(c, dq)) { t->d = d; t->grain = G_DAY; return dq; }
    }
  }
  if (wd) {
    t->wd = wd; t->grain = G_DAY;
    if (t->d) { t->wd = wd; }
    return s > i ? s - (td_n_punct(c, s - 1, ',') ? 1 : 0) : s;
  }
  if ((e = numeric_date(c, k, t, cue))) return e;
  return 0;
}

/* "this", "next", "last" ... : week offset (for weekdays) or unit offset. */
static int deictic(const td_nctx *c, size_t i, int *n) {
  /* all eleven words are in numbers.c's starters[] (wf bit 1) */
  if (i >= c->na || !(c->a[i].wf & 1)) return 0;
  if (td_n_eq(c, i, "this") || td_n_eq(c, i, "current") || td_n_eq(c, i, "present")) { *n = 0; return 1; }
  if (td_n_eq(c, i, "next") || td_n_eq(c, i, "coming") || td_n_eq(c, i, "following") || td_n_eq(c, i, "upcoming")) { *n = 1; return 1; }
  if (td_n_eq(c, i, "last") || td_n_eq(c, i, "past") || td_n_eq(c, i, "previous") || td_n_eq(c, i, "preceding")) { *n = -1; return 1; }
  return 0;
}

static size_t relative(const td_nctx *c, size_t i, tv *t) {
  const td_lex *L;
  size_t k = i, e;
  int n;
  tv_init(t);
  if (!is_word(c, i)) return 0;
  if (td_n_eq(c, k, "right") && (L = td_n_lex(c, k + 1, L_REL)) && L->sub == 2) { t->rel = 1; t->grain = G_DAY; t->now = 1; return k + 2; }
  if ((L = td_n_lex(c, k, L_REL))) {
    if (L->sub == 2) {       /* now */
      if (!(i > 0 && (td_n_eq(c, i - 1, "right") || td_n_eq(c, i - 1, "from") || td_n_eq(c, i - 1, "until") || td_n_eq(c, i - 1, "till") ||
                      td_n_eq(c, i - 1, "by") || td_n_eq(c, i - 1, "as") || td_n_eq(c, i - 1, "between") || td_n_eq(c, i - 1, "and") ||
                      td_n_eq(c, i - 1, "to")))) return 0;
      t->rel = 1; t->rel_n = 0; t->grain = G_DAY; t->now = 1; return k + 1;
    }
    t->rel = 1; t->rel_n = (int)L->val; t->grain = G_DAY;
    if (L->sub == 1) { t->part = "NI"; t->grain = G_PART; }
    k++;
    int h; const char *p;
    if ((p = part_word(c, k, &h)) && L->sub == 0) { t->part = p; t->grain = G_PART; k++; }
    return k;
  }
  /* "in the morning", "in the evenings", "in the early-morning", "in the
   * daytime", "in the night-time": a part of any day */
  if (td_n_eq(c, k, "in") && td_n_eq(c, k + 1, "the")) {
    static const struct { const char *w, *part; } parts[] = {
      { "morning", "MO" }, { "mornings", "MO" }, { "afternoon", "AF" }, { "afternoons", "AF" }, { "evening", "EV" },
      { "evenings", "EV" }, { "night", "NI" }, { "nights", "NI" }, { "daytime", "DT" }, { "nighttime", "NT" },
    };
    size_t q = k + 2;
    if (td_n_eq(c, q, "early") || td_n_eq(c, q, "late")) { q++; if (dashlike(c, q) && td_n_adjacent(c, q)) q++; }
    for (size_t w = 0; w < sizeof parts / sizeof parts[0]; w++) {
      if (!td_n_eq(c, q, parts[w].w)) continue;
      t->part = parts[w].part; t->grain = G_PART;
      /* "night-time" */
      if (w == 6 && dashlike(c, q + 1) && td_n_adjacent(c, q + 1) && td_n_eq(c, q + 2, "time") && td_n_adjacent(c, q + 2)) { t->part = "NT"; q += 2; }
      return q + 1;
    }
  }
  if (td_n_eq(c, k, "the") && td_n_eq(c, k + 1, "day") && (td_n_eq(c, k + 2, "after") || td_n_eq(c, k + 2, "before")) &&
      (td_n_eq(c, k + 3, "tomorrow") || td_n_eq(c, k + 3, "yesterday"))) k++;
  /* "the day after", "the day before" at the end of a clause: the reference's neighbours */
  if (td_n_eq(c, k, "the") && td_n_eq(c, k + 1, "day") && (td_n_eq(c, k + 2, "after") || td_n_eq(c, k + 2, "before")) &&
      (k + 3 >= c->na || (!is_word(c, k + 3) && !is_num(c, k + 3)))) {
    t->rel = 1; t->rel_n = td_n_eq(c, k + 2, "after") ? 1 : -1; t->grain = G_DAY; return k + 3;
  }
  if (td_n_eq(c, k, "day") && (td_n_eq(c, k + 1, "after") || td_n_eq(c, k + 1, "before")) && (td_n_eq(c, k + 2, "tomorrow") || td_n_eq(c, k + 2, "yesterday"))) {
    t->rel = 1; t->rel_n = td_n_eq(c, k + 2, "tomorrow") ? 2 : -2; t->grain = G_DAY; return k + 3;
  }
  /* "the week after next", "the month after the next", "the weekend", "my weekend" */
  if (td_n_eq(c, k, "the") || td_n_eq(c, k, "my")) {
    size_t q = k + 1;
    if ((L = td_n_lex(c, q, L_TUNIT)) && !L->val && (L->sub == TU_WEEK || L->sub == TU_WEEKEND || L->sub == TU_MONTH || L->sub == TU_YEAR)) {
      size_t z = q + 1;
      int after = 0;
      if (td_n_eq(c, z, "after") && (td_n_eq(c, z + 1, "next") || (td_n_eq(c, z + 1, "the") && td_n_eq(c, z + 2, "next")))) {
        after = 1; z += td_n_eq(c, z + 1, "the") ? 3 : 2;
      }
      if (after || (L->sub == TU_WEEKEND && (td_n_eq(c, k, "my") || i == 0 || !is_word(c, i - 1) || td_n_eq(c, i - 1, "over") ||
                                             td_n_eq(c, i - 1, "for") || td_n_eq(c, i - 1, "during") || td_n_eq(c, i - 1, "this")))) {
        t->rel = 1; t->rel_n = after ? 2 : 0; t->rel_unit = L->sub == TU_WEEKEND ? TU_WEEK : L->sub;
        t->grain = L->sub == TU_WEEK ? G_WEEK : L->sub == TU_WEEKEND ? G_WEEKEND : L->sub == TU_MONTH ? G_MONTH : G_YEAR;
        return z;
      }
    }
  }
  /* "the next decade", "the last century" */
  if (td_n_eq(c, k, "the") && deictic(c, k + 1, &n) && (td_n_eq(c, k + 2, "decade") || td_n_eq(c, k + 2, "century"))) {
    size_t e2 = relative(c, k + 1, t);
    if (e2) return e2;
  }
  /* "the next day", "the last day" */
  if (td_n_eq(c, k, "the") && deictic(c, k + 1, &n) && n != 0 && td_n_eq(c, k + 2, "day") && !td_n_eq(c, k + 1, "past")) {
    t->rel = 1; t->rel_n = n; t->grain = G_DAY; return k + 3;
  }
  /* this week, next month, last year, last Friday, next March, this summer */
  if (deictic(c, k, &n)) {
    size_t q = k + 1;
    tv hv;
    size_t he;
    if ((he = holiday(c, q, &hv)) && !hv.y) { *t = hv; t->hdir = n < 0 ? -1 : 1; return he; }   /* "next Halloween" */
    /* "next evening", "last afternoon": that part of the next (previous) day */
    {
      int h0;
      const char *p0;
      if (n != 0 && !td_n_eq(c, k, "past") && (p0 = part_word(c, q, &h0)) && !td_n_eq(c, q, "night") &&
          !(k > 0 && td_n_eq(c, k - 1, "the"))) {   /* "the next morning" follows the story, not the reference */
        t->rel = 1; t->rel_unit = 0; t->rel_n = n; t->part = p0; t->grain = G_PART;
        return q + 1;
      }
    }
    if ((L = td_n_lex(c, q, L_TUNIT)) && !L->val && L->sub >= TU_DAY) {
      t->rel = 1; t->rel_unit = L->sub; t->rel_n = n;
      switch (L->sub) {
        case TU_DAY: t->grain = G_DAY; break;
        case TU_NIGHT: t->grain = G_PART; t->part = "NI"; t->rel_unit = 0; break;
        case TU_WEEK: case TU_FORTNIGHT: t->grain = G_WEEK; t->rel_unit = TU_WEEK; break;
        case TU_WEEKEND: t->grain = G_WEEKEND; break;
        case TU_MONTH: t->grain = G_MONTH; break;
        case TU_QUARTER: t->grain = G_QUARTER; break;
        case TU_YEAR: t->grain = G_YEAR; break;
        case TU_DECADE: t->grain = G_DECADE; break;
        case TU_CENTURY: t->grain = G_CENTURY; break;
      }
      if (td_n_eq(c, q, "day") && n != 0 && !(td_n_eq(c, k, "next") || td_n_eq(c, k, "last") || td_n_eq(c, k, "following") ||
                                              td_n_eq(c, k, "previous"))) return 0;
      if (L->sub == TU_WEEK) {
        size_t z = q + 1;
        if (td_n_eq(c, z, "on")) z++;
        const td_lex *W = wday_at(c, z, &e);
        if (W) { t->rel_wd = (int)W->val; t->grain = G_DAY; return e; }
      }
      return q + 1;
    }
    if (td_n_eq(c, q, "yr")) { t->rel = 1; t->rel_unit = TU_YEAR; t->rel_n = n; t->grain = G_YEAR; return q + 1; }
    if (td_n_eq(c, q, "qtr")) { t->rel = 1; t->rel_unit = TU_QUARTER; t->rel_n = n; t->grain = G_QUARTER; return q + 1; }
    if ((L = wday_at(c, q, &e))) {
      t->rel = 1; t->rel_unit = TU_WEEK; t->rel_n = n; t->rel_wd = (int)L->val; t->grain = G_DAY;
      /* "this past Wednesday" */
      return e;
    }
    if ((td_n_eq(c, q, "upcoming") || td_n_eq(c, q, "coming")) && n == 0 && (L = wday_at(c, q + 1, &e))) {
      /* "this upcoming Friday": the next one */
      long ref = ref_days(c);
      t->rel = 1; t->rel_unit = 0; t->grain = G_DAY;
      int off = (int)L->val - (has_ref(c) ? weekday(ref) : 1);
      if (off <= 0) off += 7;
      t->rel_n = off;
      if (!has_ref(c)) { t->rel = 0; t->rel_n = 0; t->wd = (int)L->val; }
      return e;
    }
    if (td_n_eq(c, q, "past") && n == 0 && (L = wday_at(c, q + 1, &e))) {
      /* "this past Wednesday": the latest one before the reference */
      if (!has_ref(c)) { t->rel = 1; t->rel_unit = TU_WEEK; t->rel_n = -1; t->rel_wd = (int)L->val; t->grain = G_DAY; return e; }
      long ref = ref_days(c);
      int off = (int)L->val - weekday(ref);
      if (off >= 0) off -= 7;
      t->rel = 1; t->rel_unit = 0; t->rel_n = off; t->grain = G_DAY;
      return e;
    }
    const td_lex *M;
    if ((M = month_at(c, q, &e)) && !((td_n_eq(c, q, "may") || td_n_eq(c, q, "march") || td_n_eq(c, q, "mar")) && !c->a[q].cap)) {
      t->m = (int)M->val; t->grain = G_MONTH;
      t->rel = 1; t->rel_unit = TU_YEAR; t->rel_n = n == 0 ? 0 : n;
      return e;
    }
    static const char *const seasons[] = { "spring", "summer", "autumn", "fall", "winter" };
    for (int s = 0; s < 5; s++) if (td_n_eq(c, q, seasons[s])) {
      t->grain = G_SEASON; t->q = s < 3 ? s + 1 : s; t->rel = 1; t->rel_unit = TU_YEAR; t->rel_n = n;
      t->q = s == 3 ? 3 : s == 4 ? 4 : s + 1;
      return q + 1;
    }
    int h; const char *p;
    if (n == 0 && (p = part_word(c, q, &h))) { t->rel = 1; t->rel_n = 0; t->part = p; t->grain = G_PART; return q + 1; }
  }
  return 0;
}

static int duration_amounts(const char *x, long *amt);
static void shift(long *days, long *secs, const long *amt, int sign);
static size_t date_core(td_nctx *c, size_t i, tv *t, int cue);
static void holiday_fix(const td_nctx *c, tv *t);

/* A word that can begin a date after "or later"/"or before" ("or after May"). */
static int td_lex_date_word(const td_nctx *c, size_t i) {
  return td_n_lex(c, i, L_MONTH) || td_n_lex(c, i, L_WDAY) || td_n_lex(c, i, L_REL) || td_n_eq(c, i, "the") ||
         td_n_eq(c, i, "next") || td_n_eq(c, i, "last") || td_n_eq(c, i, "this");
}

/* "three days ago", "two years from now", "in 3 weeks", "a week later" */
static size_t offset_date0(td_nctx *c, size_t i, tv *t, int *approx);

/* An offset from the reference or from a date: "in 3 days", "two weeks
 * before Christmas", "in about half an hour" (bound ~). */
static size_t offset_date(td_nctx *c, size_t i, tv *t) {
  int approx = 0;
  size_t e = offset_date0(c, i, t, &approx);
  if (e) t->approx = approx;
  return e;
}

static size_t offset_date0(td_nctx *c, size_t i, tv *t, int *approx) {
  td_number d;
  size_t k = i, e;
  int sign = 0;
  int in = 0;
  /* a number, or a duration after "in"/"within" (gram_words) */
  if (!gram_may(c, i, GR_OFF)) return 0;
  /* "2 sundays from now", "two monday later", "2 thursdays ago": the nth such weekday */
  {
    td_nval nv;
    const td_lex *W;
    if (has_ref(c) && td_n_number(c, i, 2 | 4, &nv) && nv.kind == TD_N_CARDINAL && nv.isint && nv.v >= 1 && nv.v <= 52 &&
        (W = td_n_lex(c, nv.end, L_WDAY)) && W->sub != 1) {
      size_t z = nv.end + 1;
      int sg = 0;
      if ((td_n_eq(c, z, "from") && td_n_eq(c, z + 1, "now")) || (td_n_eq(c, z, "from") && td_n_eq(c, z + 1, "today"))) { sg = 1; z += 2; }
      else if (td_n_eq(c, z, "later") || td_n_eq(c, z, "hence")) { sg = 1; z++; }
      else if (td_n_eq(c, z, "ago") || td_n_eq(c, z, "back") || td_n_eq(c, z, "earlier")) { sg = -1; z++; }
      if (sg) {
        long ref = ref_days(c);
        int off = (int)W->val - weekday(ref);
        if (sg > 0) { if (off <= 0) off += 7; off += 7 * ((int)nv.v - 1); }
        else { if (off >= 0) off -= 7; off -= 7 * ((int)nv.v - 1); }
        tv_init(t);
        set_day(t, ref + off); t->grain = G_DAY;
        return z;
      }
    }
  }
  if (td_n_eq(c, k, "in") || td_n_eq(c, k, "within")) { in = 1; k++; }
  if (in && td_n_eq(c, i, "in") && (td_n_eq(c, k, "about") || td_n_eq(c, k, "around") || td_n_eq(c, k, "approximately") ||
                                    td_n_eq(c, k, "roughly") || td_n_eq(c, k, "circa"))) { *approx = 1; k++; }
  e = td_n_duration(c, k, &d);
  if (!e) return 0;
  const td_lex *L = NULL;
  for (size_t q = k; q < e; q++) if ((L = td_n_lex(c, q, L_TUNIT))) break;
  if (!L) return 0;
  int unit = L->sub;
  /* the unit the duration's value is counted in ("a quarter of an hour": hours) */
  for (int u = TU_SEC; u <= TU_CENTURY; u++) if (d.unit && !strcmp(d.unit, tu_name[u])) unit = u;
  double v = d.value;
  size_t z = e;
  /* "two weeks before Christmas", "two months after next Friday": an anchor date */
  tv anc;
  size_t ae = 0;
  int anchored = 0;
  long anc_days = 0;
  if ((td_n_eq(c, z, "before") || td_n_eq(c, z, "after") || td_n_eq(c, z, "from")) && !in &&
      !(td_n_eq(c, z + 1, "today") || td_n_eq(c, z + 1, "now") || td_n_eq(c, z + 1, "yesterday") || td_n_eq(c, z + 1, "tomorrow"))) {
    ae = date_core(c, z + 1, &anc, 1);
    tv ra;
    holiday_fix(c, &anc);
    if (!ae || anc.grain < G_DAY || anc.hh >= 0) return 0;
    if (anc.y && anc.m && anc.d && !anc.rel) ra = anc;
    else if (!resolve(c, &anc, &ra) || !ra.y || !ra.m || !ra.d) return 0;
    anc_days = days_from_civil(ra.y, ra.m, ra.d);
    anchored = 1;
    sign = td_n_eq(c, z, "before") ? -1 : 1;
    z = ae;
  } else if (td_n_eq(c, z, "ago") || td_n_eq(c, z, "back") || td_n_eq(c, z, "earlier") || td_n_eq(c, z, "before")) {
    if (td_n_eq(c, z, "earlier") && is_word(c, z + 1) && !td_n_eq(c, z + 1, "than")) {}
    sign = -1; z++;
  } else if ((td_n_eq(c, z, "from") && (td_n_eq(c, z + 1, "now") || td_n_eq(c, z + 1, "today") || td_n_eq(c, z + 1, "tomorrow") || td_n_eq(c, z + 1, "yesterday"))) ||
             td_n_eq(c, z, "hence") || td_n_eq(c, z, "later") || (td_n_eq(c, z, "after") && (td_n_eq(c, z + 1, "today") || td_n_eq(c, z + 1, "tomorrow") || td_n_eq(c, z + 1, "yesterday")))) {
    sign = 1; z++;
  } else if (in && !td_n_eq(c, z, "of") && !td_n_eq(c, i, "within")) {
    sign = 1;
  } else return 0;
  int base = 0;
  if (!anchored && (td_n_eq(c, z - 1, "from") || td_n_eq(c, z - 1, "before") || td_n_eq(c, z - 1, "after"))) {
    if (td_n_eq(c, z, "tomorrow")) base = 1; else if (td_n_eq(c, z, "yesterday")) base = -1;
    z++;
  }
  /* with a reference (or an anchor), the offset is counted out to a day or a clock time */
  long amt[TU_CENTURY + 1];
  if ((has_ref(c) || anchored) && duration_amounts(d.timex, amt)) {
    int clock = amt[TU_HOUR] || amt[TU_MIN] || amt[TU_SEC];
    if (!clock || (c->o->ref_time && !anchored)) {
      long days = anchored ? anc_days : ref_days(c) + base;
      long secs = clock ? (long)c->o->ref_hh * 3600 + c->o->ref_mi * 60 + c->o->ref_ss : 0;
      shift(&days, &secs, amt, sign);
      tv_init(t);
      set_day(t, days); t->grain = G_DAY;
      if (clock) { t->hh = (int)(secs / 3600); t->mi = (int)(secs / 60 % 60); t->ss = (int)(secs % 60); t->grain = G_SEC; }
      return z;
    }
  }
  if (anchored || !(d.flags & TD_NF_VALUE)) return 0;
  /* "in half an hour", "in 3/4 h": whole minutes */
  if (v != floor(v) && unit == TU_HOUR && v * 60 == floor(v * 60)) { v *= 60; unit = TU_MIN; }
  if (v != floor(v) || v > 100000) return 0;
  tv_init(t);
  t->rel = 1;
  int n = (int)v * sign;
  switch (unit) {
    case TU_SEC: case TU_MIN: case TU_HOUR: t->rel_unit = unit; t->grain = G_DAY; break;
    case TU_DAY: case TU_NIGHT: t->rel_unit = 0; t->rel_n = n + base; t->grain = G_DAY; return z;
    case TU_WEEK: t->rel_unit = 0; t->rel_n = 7 * n + base; t->grain = G_DAY; return z;
    case TU_FORTNIGHT: t->rel_unit = 0; t->rel_n = 14 * n + base; t->grain = G_DAY; return z;
    case TU_MONTH: t->rel_unit = TU_MONTH; t->rel_n = n; t->grain = base ? G_DAY : G_MONTH; break;
    case TU_QUARTER: t->rel_unit = TU_MONTH; t->rel_n = 3 * n; t->grain = G_MONTH; break;
    case TU_YEAR: t->rel_unit = TU_YEAR; t->rel_n = n; t->grain = G_YEAR; break;
    case TU_DECADE: t->rel_unit = TU_YEAR; t->rel_n = 10 * n; t->grain = G_YEAR; break;
    case TU_CENTURY: t->rel_unit = TU_YEAR; t->rel_n = 100 * n; t->grain = G_YEAR; break;
    default: return 0;
  }
  t->rel_n = n;
  if (unit == TU_QUARTER) t->rel_n = 3 * n;
  if (unit == TU_DECADE) t->rel_n = 10 * n;
  if (unit == TU_CENTURY) t->rel_n = 100 * n;
  return z;
}

/* Years, decades, centuries, quarters, halves, seasons. */
static size_t period(const td_nctx *c, size_t i, tv *t, int cue) {
  int v, y;
  size_t k = i, yq;
  tv_init(t);
  /* every branch below starts on a number (digits, a sign, an apostrophe,
   * a lexicon word) or on "q", "h", "the" or a season (gram_words) */
  if (!gram_may(c, k, GR_PERIOD)) return 0;
  /* 1990s, the 90s, '90s */
  if (plain_int(c, k, &v, 4) && td_n_eq(c, k + 1, "s") && (td_n_adjacent(c, k + 1) || c->a[k].nd == 4) && v % 10 == 0) {
    if (c->a[k].nd == 4) { t->q = v; t->grain = G_DECADE; return k + 2; }
    if (c->a[k].nd == 2 && i > 0 && (td_n_eq(c, i - 1, "the") || td_n_punct(c, i - 1, '\''))) { t->q = 1900 + v; t->grain = G_DECADE; t->cent_unsaid = 1; return k + 2; }
  }
  /* 1970's, the 70's */
  if (plain_int(c, k, &v, 4) && (c->a[k].nd == 4 || (c->a[k].nd == 2 && i > 0 && td_n_eq(c, i - 1, "the"))) && v % 10 == 0 &&
      (td_n_punct(c, k + 1, '\'') || td_n_punct(c, k + 1, 0x2019)) &&
      td_n_adjacent(c, k + 1) && td_n_eq(c, k + 2, "s") && td_n_adjacent(c, k + 2)) {
    t->q = c->a[k].nd == 2 ? 1900 + v : v; t->cent_unsaid = c->a[k].nd == 2; t->grain = G_DECADE; return k + 3;
  }
  /* 15th century, the 21st century */
  {
    size_t q = k;
    td_nval nv;
    if (td_n_number(c, q, 2, &nv) && nv.kind == TD_N_ORDINAL && nv.v >= 1 && nv.v <= 30 && td_n_eq(c, nv.end, "century")) {
      t->q = (int)nv.v - 1; t->grain = G_CENTURY; return nv.end + 1;
    }
  }
  /* Q1 2017, 2017 Q1, 18q4, H2 2019, 2019-H2, first quarter of 2018, 4th quarter 2018 */
  {
    size_t q = k;
    int qq = 0, half = 0;
    if (is_word(c, q) && c->a[q].e - c->a[q].s == 2 && (c->t[c->a[q].s] | 32) == 'q' && c->t[c->a[q].s + 1] >= '1' && c->t[c->a[q].s + 1] <= '4') {
      /* atomizer keeps "Q1" as a word + digit? no: Q then 1 */
    }
    if ((td_n_eq(c, q, "q") || td_n_eq(c, q, "h")) && is_num(c, q + 1) && td_n_adjacent(c, q + 1) && plain_int(c, q + 1, &v, 1)) {
      half = td_n_eq(c, q, "h");
      if (c->a[q].cap == 0 && !half) { }
      if (half ? (v >= 1 && v <= 2) : (v >= 1 && v <= 4)) {
        qq = v; q += 2;
        size_t z = q;
        if (td_n_punct(c, z, ',') || dashlike(c, z)) z++;
        int dn;
        if ((yq = year_num(c, z, &y))) { t->y = y; q = yq; }
        else if (deictic(c, q, &dn) && td_n_eq(c, q + 1, "year")) { t->rel = 1; t->rel_unit = TU_YEAR; t->rel_n = dn; q += 2; }
        else if (half && !c->a[k].cap) return 0;
        else if (!c->a[k].cap) return 0;
        t->q = qq; t->grain = half ? G_HALF : G_QUARTER;
        return q;
      }
    }
    if (year_num(c, q, &y)) {
      size_t z = q + 1;
      if (dashlike(c, z) && td_n_adjacent(c, z)) z++;
      if ((td_n_eq(c, z, "q") || td_n_eq(c, z, "h")) && plain_int(c, z + 1, &v, 1) && td_n_adjacent(c, z + 1)) {
        half = td_n_eq(c, z, "h");
        if (half ? (v >= 1 && v <= 2) : (v >= 1 && v <= 4)) { t->y = y; t->q = v; t->grain = half ? G_HALF : G_QUARTER; return z + 2; }
      }
    }
    /* 18q4 */
    if (plain_int(c, q, &v, 2) && c->a[q].nd == 2 && td_n_eq(c, q + 1, "q") && td_n_adjacent(c, q + 1) && plain_int(c, q + 2, &y, 1) && td_n_adjacent(c, q + 2) && y >= 1 && y <= 4) {
      t->y = 2000 + v; t->q = y; t->grain = G_QUARTER; return q + 3;
    }
    td_nval nv;
    if (td_n_eq(c, q, "the")) q++;
    if (td_n_number(c, q, 2, &nv) && nv.kind == TD_N_ORDINAL && nv.v >= 1 && nv.v <= 4 &&
        (td_n_eq(c, nv.end, "quarter") || td_n_eq(c, nv.end, "qtr") || (td_n_eq(c, nv.end, "half") && nv.v <= 2))) {
      half = td_n_eq(c, nv.end, "half");
      size_t z = nv.end + 1;
      if (td_n_eq(c, z, "of")) z++;
      if ((yq = year_num(c, z, &y))) { t->y = y; z = yq; }
      else if (deictic(c, z, &v) && td_n_eq(c, z + 1, "year")) { t->rel = 1; t->rel_unit = TU_YEAR; t->rel_n = v; z += 2; }
      /* "the first quarter of the year": of any year, as "the first quarter" */
      else if (z > nv.end + 1 && td_n_eq(c, z, "the") && td_n_eq(c, z + 1, "year") && !td_n_eq(c, z + 2, "before") &&
               !td_n_eq(c, z + 2, "after")) z += 2;
      else z = nv.end + 1;
      if (half && !t->y && !t->rel) return 0;
      t->q = (int)nv.v; t->grain = half ? G_HALF : G_QUARTER;
      return z;
    }
  }
  /* seasons: summer 2022, the summer of 2022 */
  {
    static const char *const seasons[] = { "spring", "summer", "autumn", "fall", "winter" };
    static const int sq[] = { 1, 2, 3, 3, 4 };
    size_t q = k;
    for (int s = 0; s < 5; s++) if (td_n_eq(c, q, seasons[s])) {
      size_t z = q + 1;
      if (td_n_eq(c, z, "of")) z++;
      if ((yq = year_num(c, z, &y))) { t->y = y; t->q = sq[s]; t->grain = G_SEASON; return yq; }
      if (s == 3 && !(i > 0 && (td_n_eq(c, i - 1, "in") || td_n_eq(c, i - 1, "during") || td_n_eq(c, i - 1, "this") || td_n_eq(c, i - 1, "by") || td_n_eq(c, i - 1, "the")))) return 0;
      if (is_word(c, q + 1) && (td_n_eq(c, q + 1, "season") || td_n_eq(c, q + 1, "time") || td_n_eq(c, q + 1, "solstice"))) return 0;
      t->q = sq[s]; t->grain = G_SEASON; return q + 1;
    }
  }
  /* a year: after a preposition, "the year 2011", "2014 AD", or a bare 19xx/20xx */
  if (year_num(c, k, &y) && is_num(c, k)) {
    size_t z = k + 1;
    if (td_n_eq(c, z, "ad") || td_n_eq(c, z, "bc") || td_n_eq(c, z, "ce") || td_n_eq(c, z, "bce")) {
      if (td_n_eq(c, z, "bc") || td_n_eq(c, z, "bce")) return 0;
      t->y = y; t->grain = G_YEAR; return z + 1;
    }
    if ((td_n_eq(c, z, "a") && td_n_punct(c, z + 1, '.') && td_n_eq(c, z + 2, "d"))) { t->y = y; t->grain = G_YEAR; return td_n_punct(c, z + 3, '.') ? z + 4 : z + 3; }
    int ok = cue || (i > 0 && (date_prep(c, i - 1) || td_n_eq(c, i - 1, "year")));
    if (!ok && y >= 1900 && y <= 2099) {
      ok = 1;
      if (is_word(c, z) && c->a[z].cap == 0 && !td_n_eq(c, z, "and") && !td_n_eq(c, z, "to") && !td_n_eq(c, z, "or") &&
          !td_n_eq(c, z, "was") && !td_n_eq(c, z, "is") && !td_n_eq(c, z, "will") && !td_n_eq(c, z, "saw") && !td_n_eq(c, z, "through")) ok = 0;
      if (i > 0 && (td_n_punct(c, i - 1, '$') || td_n_punct(c, i - 1, '#') || td_n_eq(c, i - 1, "number") || td_n_eq(c, i - 1, "no") ||
                    td_n_punct(c, i - 1, '-') || td_n_punct(c, i - 1, '/') || is_num(c, i - 1))) ok = 0;
      if (td_n_punct(c, z, '%') || td_n_punct(c, z, '/') || (td_n_punct(c, z, ',') && is_num(c, z + 1) && c->a[z + 1].nd == 3)) ok = 0;
      if (dashlike(c, z) && td_n_adjacent(c, z) && is_num(c, z + 1) && td_n_adjacent(c, z + 1) && c->a[z + 1].nd < 4) ok = 0;   /* "2015-32" */
    }
    if (!ok) return 0;
    t->y = y; t->grain = G_YEAR;
    return z;
  }
  /* a year in words after a preposition: "in nineteen ninety six", "since
   * two thousand and eight"; not a count ("in two thousand homes") */
  if (is_word(c, k) && i > 0 && (date_prep(c, i - 1) || td_n_eq(c, i - 1, "year")) && (yq = year_words(c, k, &y))) {
    if (is_word(c, yq) && !c->a[yq].cap && !td_n_eq(c, yq, "and") && !td_n_eq(c, yq, "or") && !td_n_eq(c, yq, "to") &&
        !td_n_eq(c, yq, "until") && !td_n_eq(c, yq, "through") && !td_n_eq(c, yq, "when") && !td_n_eq(c, yq, "but")) return 0;
    if (is_num(c, yq) || td_n_punct(c, yq, '%')) return 0;
    t->y = y; t->grain = G_YEAR;
    return yq;
  }
  /* cy18, fy2019 */
  return 0;
}

/* ---- spans of time around the reference ------------------------------ */

/* The amounts of a duration timex we wrote ("P3M2W2D", "PT5M"), by TU_*;
 * 0 when a part is not a whole number. */
static int duration_amounts(const char *x, long *amt) {
  int time = 0;
  memset(amt, 0, sizeof(long) * (TU_CENTURY + 1));
  if (*x++ != 'P') return 0;
  while (*x) {
    if (*x == 'T') { time = 1; x++; continue; }
    long v = 0; int nd = 0;
    while (*x >= '0' && *x <= '9') { if (v < 100000) v = v * 10 + (*x - '0'); x++; nd++; }
    if (!nd || *x == '.') return 0;
    switch (*x) {
      case 'Y': amt[TU_YEAR] += v; break;
      case 'M': amt[time ? TU_MIN : TU_MONTH] += v; break;
      case 'W': if (x[1] == 'E') return 0; amt[TU_WEEK] += v; break;
      case 'D': amt[TU_DAY] += v; break;
      case 'H': amt[TU_HOUR] += v; break;
      case 'S': amt[TU_SEC] += v; break;
      default: return 0;
    }
    x++;
  }
  return 1;
}

/* A moment: days since the epoch and seconds into the day. */
static void shift(long *days, long *secs, const long *amt, int sign) {
  if (amt[TU_YEAR] || amt[TU_MONTH]) {
    int y, m, d;
    civil_from_days(*days, &y, &m, &d);
    long mm = (long)y * 12 + (m - 1) + sign * (amt[TU_YEAR] * 12 + amt[TU_MONTH]);
    y = (int)(mm / 12); m = (int)(mm % 12) + 1;
    if (d > month_len(y, m)) d = month_len(y, m);
    *days = days_from_civil(y, m, d);
  }
  *days += sign * (amt[TU_WEEK] * 7 + amt[TU_DAY]);
  *secs += sign * (amt[TU_HOUR] * 3600 + amt[TU_MIN] * 60 + amt[TU_SEC]);
  while (*secs < 0) { *secs += 86400; (*days)--; }
  while (*secs >= 86400) { *secs -= 86400; (*days)++; }
}

static void put_moment(sbuf *b, long days, long secs, int clock) {
  tv t;
  tv_init(&t);
  set_day(&t, days);
  t.grain = G_DAY;
  if (clock) { t.hh = (int)(secs / 3600); t.mi = (int)(secs / 60 % 60); t.ss = (int)(secs % 60); t.grain = G_SEC; }
  fmt_tv(b, &t);
}

/* "the last 3 months", "next two days", "past 2 hours", "the 5 upcoming
 * years", "within 5 minutes": an interval that starts or ends at the
 * reference.  Past spans end at the reference; coming days, weeks, months
 * and years start the next day; clock units start at the reference. */
static size_t span_expr(td_nctx *c, size_t i, td_number *r) {
  size_t k = i, e;
  int dir = 0, within = 0;
  size_t the_at = (size_t)-1;
  if (is_num(c, i) && !deictic(c, i + 1, &dir)) return 0;   /* "5 upcoming years" */
  if (!is_num(c, i) && !is_word(c, i)) return 0;
  dir = 0;
  /* "the rest of the week", "rest of my month", "rest of this day": from the reference to the end */
  if (td_n_eq(c, k, "rest") || (td_n_eq(c, k, "the") && td_n_eq(c, k + 1, "rest"))) {
    size_t z = k + (td_n_eq(c, k, "the") ? 2 : 1);
    if (td_n_eq(c, z, "of")) z++;
    if (td_n_eq(c, z, "the") || td_n_eq(c, z, "my") || td_n_eq(c, z, "this") || td_n_eq(c, z, "current") || td_n_eq(c, z, "our")) z++;
    const td_lex *L = td_n_lex(c, z, L_TUNIT);
    if (!L || L->val || !(L->sub == TU_DAY || L->sub == TU_WEEK || L->sub == TU_MONTH || L->sub == TU_YEAR)) return 0;
    if (!has_ref(c) || (L->sub == TU_DAY && !c->o->ref_time)) {
      memset(r, 0, sizeof *r);
      r->kind = TD_N_RANGE; r->dim = "time"; r->start = c->a[i].s; r->end = c->a[z].e;
      return z + 1;
    }
    long days = ref_days(c), last = days;
    int y = c->o->ref_y, m = c->o->ref_m;
    if (L->sub == TU_WEEK) last = days + 7 - weekday(days);
    else if (L->sub == TU_MONTH) last = days_from_civil(y, m, month_len(y, m));
    else if (L->sub == TU_YEAR) last = days_from_civil(y, 12, 31);
    memset(r, 0, sizeof *r);
    r->kind = TD_N_RANGE; r->dim = "time";
    r->start = c->a[i].s; r->end = c->a[z].e;
    sbuf b = { r->timex, 0, sizeof r->timex };
    if (L->sub == TU_DAY) {
      put_moment(&b, days, (long)c->o->ref_hh * 3600 + c->o->ref_mi * 60 + c->o->ref_ss, 1);
      sb_put(&b, "/"); put_moment(&b, days, 86399, 1);
    } else { put_moment(&b, days, 0, 0); sb_put(&b, "/"); put_moment(&b, last, 0, 0); }
    return z + 1;
  }
  if (td_n_eq(c, k, "within")) {
    within = 1; dir = 1; k++;
    int d0;
    if (td_n_eq(c, k, "the") && deictic(c, k + 1, &d0) && d0 > 0) k += 2;   /* "within the next 15 seconds" */
    else if (deictic(c, k, &d0) && d0 > 0) k++;
  }
  else {
    if (td_n_eq(c, k, "the")) { k++; i++; the_at = k - 1; }   /* "the" stays outside the text (but "the past 2 decades") */
    if (deictic(c, k, &dir) && dir != 0) k++;
    else dir = 0;
  }
  td_number d;
  size_t q = k;
  int after = 0;
  if (!dir) {
    /* "the 5 upcoming years": the number first */
    td_nval nv;
    if (!td_n_number(c, k, 2, &nv) || nv.kind != TD_N_CARDINAL || !deictic(c, nv.end, &dir) || dir == 0) return 0;
    if (!td_n_lex(c, nv.end + 1, L_TUNIT)) return 0;
    q = nv.end; after = 1;
  }
  if (td_n_eq(c, q, "couple") && td_n_lex(c, q + 1, L_TUNIT)) {
    /* "next couple weeks" */
    memset(&d, 0, sizeof d);
    const td_lex *L = td_n_lex(c, q + 1, L_TUNIT);
    double amt[TU_CENTURY + 1]; memset(amt, 0, sizeof amt); amt[L->sub] = 2;
    sbuf b0 = { d.timex, 0, sizeof d.timex }; fmt_duration(&b0, amt);
    e = q + 2;
  } else if (after) {
    /* rebuild "5 years" without the word between */
    td_nval nv;
    td_n_number(c, k, 2, &nv);
    const td_lex *L = td_n_lex(c, nv.end + 1, L_TUNIT);
    if (nv.v != floor(nv.v) || nv.v < 1 || nv.v > 10000) return 0;
    memset(&d, 0, sizeof d);
    double amt[TU_CENTURY + 1]; memset(amt, 0, sizeof amt); amt[L->sub] = nv.v;
    sbuf b0 = { d.timex, 0, sizeof d.timex }; fmt_duration(&b0, amt);
    e = nv.end + 2;
  } else {
    const td_lex *L1 = td_n_lex(c, q, L_TUNIT);
    if (L1 && !L1->val && (L1->sub == TU_HOUR || L1->sub == TU_MIN || L1->sub == TU_SEC) && !td_n_eq(c, q, "h") &&
        !(i > 0 && td_n_eq(c, i - 1, "the"))) {   /* not "at the last minute" */
      /* "next hour", "last minute" */
      memset(&d, 0, sizeof d);
      double a1[TU_CENTURY + 1]; memset(a1, 0, sizeof a1); a1[L1->sub] = 1;
      sbuf b0 = { d.timex, 0, sizeof d.timex }; fmt_duration(&b0, a1);
      e = q + 1;
    } else if (!(e = td_n_duration(c, q, &d))) return 0;
    /* "next week" alone is a calendar week, not a span; "next hour", "last minute" are spans */
    const td_lex *L = td_n_lex(c, q, L_TUNIT);
    if (L && e == q + 1 && !(L->sub == TU_HOUR || L->sub == TU_MIN || L->sub == TU_SEC)) return 0;
    if (L && e == q + 1) {
      double a1[TU_CENTURY + 1]; memset(a1, 0, sizeof a1); a1[L->sub] = 1;
      sbuf b0 = { d.timex, 0, sizeof d.timex }; fmt_duration(&b0, a1);
    }
  }
  long amt[TU_CENTURY + 1];
  if (!duration_amounts(d.timex, amt)) return 0;
  int clock = amt[TU_HOUR] || amt[TU_MIN] || amt[TU_SEC];
  for (size_t z = q; z < e && the_at != (size_t)-1; z++)
    if (td_n_eq(c, z, "decades") || td_n_eq(c, z, "decade") || td_n_eq(c, z, "centuries") || td_n_eq(c, z, "century")) { i = the_at; break; }
  if (!has_ref(c) || (clock && !c->o->ref_time)) {
    /* no reference to count from: the span without a value */
    memset(r, 0, sizeof *r);
    r->kind = TD_N_RANGE; r->dim = "time";
    r->start = c->a[i].s; r->end = c->a[e - 1].e;
    return e;
  }
  long days = ref_days(c), secs = clock ? (long)c->o->ref_hh * 3600 + c->o->ref_mi * 60 + c->o->ref_ss : 0;
  long d0 = days, s0 = secs, d1 = days, s1 = secs;
  /* quarters are calendar quarters: "last 2 quarters" ends where this one starts */
  int quarters = 0;
  for (size_t z = q; z < e; z++) if (td_n_eq(c, z, "quarters") || td_n_eq(c, z, "quarter")) quarters = 1;
  if (quarters && !clock) {
    int y, m, dd;
    civil_from_days(days, &y, &m, &dd);
    m = (m - 1) / 3 * 3 + 1;
    d0 = d1 = days_from_civil(y, m, 1);
    if (dir > 0) { d1 = d0 = days_from_civil(y, m, 1); long a3[TU_CENTURY + 1]; memset(a3, 0, sizeof a3); a3[TU_MONTH] = 3; shift(&d0, &s0, a3, 1); d1 = d0; }
  } else if (dir > 0 && !clock && !within) { d0 = d1 = days + 1; }
  if (dir < 0) shift(&d0, &s0, amt, -1);
  else shift(&d1, &s1, amt, 1);
  memset(r, 0, sizeof *r);
  r->kind = TD_N_RANGE; r->dim = "time";
  r->start = c->a[i].s; r->end = c->a[e - 1].e;
  sbuf b = { r->timex, 0, sizeof r->timex };
  put_moment(&b, d0, s0, clock); sb_put(&b, "/"); put_moment(&b, d1, s1, clock);
  return e;
}

/* "every week", "each Monday", "every 2 days", "daily", "weekly", "3pm each day" */
static size_t set_expr(td_nctx *c, size_t i, td_number *r) {
  static const struct { const char *w; const char *timex; } adv[] = {
    { "hourly", "PT1H" }, { "daily", "P1D" }, { "nightly", "P1D" }, { "weekly", "P1W" }, { "biweekly", "P2W" },
    { "fortnightly", "P2W" }, { "monthly", "P1M" }, { "quarterly", "P3M" }, { "yearly", "P1Y" }, { "annually", "P1Y" },
    { "everyday", "P1D" }, { "biannually", "P6M" }, { "annual", "P1Y" },
  };
  size_t k = i;
  /* a time first: "3pm each day", "6am everyday", "9am on Sundays", "9am every Sunday" */
  /* (only where a clock time may begin: clock_time's own first test) */
  int clock_may = gram_may(c, k, GR_CLOCK), ahead = 0;
  for (size_t z = k + 1; clock_may && z < c->na && z <= k + 5 && !ahead; z++) {
    const td_lex *W;
    /* each every everyday daily by their pairs, or a weekday at all */
    if (!td_n_pair_in(c, z, "eaevda") && !((c->a[z].types >> L_WDAY) & 1u)) continue;
    if (td_n_eq(c, z, "each") || td_n_eq(c, z, "every") || td_n_eq(c, z, "everyday") || td_n_eq(c, z, "daily") ||
        ((W = td_n_lex(c, z, L_WDAY)) && W->sub == 2)) ahead = 1;
  }
  if (ahead) {
    tv tm;
    size_t te = clock_time(c, k, &tm, 0);
    if (te) {
      size_t z = te;
      const td_lex *W;
      if (((td_n_eq(c, z, "each") || td_n_eq(c, z, "every")) && td_n_eq(c, z + 1, "day")) || td_n_eq(c, z, "everyday") || td_n_eq(c, z, "daily")) {
        z += td_n_eq(c, z, "everyday") || td_n_eq(c, z, "daily") ? 1 : 2;
        memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[z - 1].e;
        sbuf b = { r->timex, 0, sizeof r->timex }; fmt_time(&b, &tm);
        return z;
      }
      int each = td_n_eq(c, z, "each") || td_n_eq(c, z, "every");
      if (each || td_n_eq(c, z, "on")) z++;
      if ((W = td_n_lex(c, z, L_WDAY)) && (W->sub == 2 || each)) {
        memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[z].e;
        sbuf b = { r->timex, 0, sizeof r->timex }; sb_put(&b, "XXXX-WXX-"); sb_int(&b, (long)W->val, 1); fmt_time(&b, &tm);
        return z + 1;
      }
    }
  }
  /* "on Mondays", "Sundays", "Friday mornings", "thursdays at 17.30", "on mornings at 9" */
  {
    size_t z = k;
    const td_lex *W;
    if (td_n_eq(c, z, "on")) z++;
    W = td_n_lex(c, z, L_WDAY);
    if (W && W->sub != 2) {
      /* "Friday mornings" */
      if (td_n_eq(c, z + 1, "mornings") || td_n_eq(c, z + 1, "afternoons") || td_n_eq(c, z + 1, "evenings") || td_n_eq(c, z + 1, "nights")) {
        memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[z + 1].e;
        sbuf b = { r->timex, 0, sizeof r->timex }; sb_put(&b, "XXXX-WXX-"); sb_int(&b, (long)W->val, 1);
        sb_put(&b, "T"); sb_put(&b, td_n_eq(c, z + 1, "mornings") ? "MO" : td_n_eq(c, z + 1, "afternoons") ? "AF" : td_n_eq(c, z + 1, "evenings") ? "EV" : "NI");
        return z + 2;
      }
      W = NULL;
    }
    int part = 0;
    if (!W && z > k && (td_n_eq(c, z, "mornings") || td_n_eq(c, z, "afternoons") || td_n_eq(c, z, "evenings"))) part = 1;
    if (W || part) {
      memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[z].e;
      sbuf b = { r->timex, 0, sizeof r->timex };
      if (W) { sb_put(&b, "XXXX-WXX-"); sb_int(&b, (long)W->val, 1); }
      size_t e = z + 1, q = e;
      tv tm;
      if (td_n_eq(c, q, "at")) q++;
      size_t te = clock_time(c, q, &tm, 2);
      if (te) {
        if (part && td_n_eq(c, z, "evenings") && tm.hh < 12) tm.hh += 12;
        fmt_time(&b, &tm); e = te;
      } else if (part) return 0;
      r->end = c->a[e - 1].e;
      return e;
    }
  }
  /* "once a week", "twice a year", "3 times a day", "one a day" */
  {
    size_t z = k;
    td_nval nv;
    if (td_n_eq(c, z, "once") || td_n_eq(c, z, "twice") || td_n_eq(c, z, "thrice")) z++;
    else if (td_n_number(c, z, 2, &nv) && nv.kind == TD_N_CARDINAL && td_n_eq(c, nv.end, "times")) z = nv.end + 1;
    else if (td_n_eq(c, z, "one") && (td_n_eq(c, z + 1, "a") || td_n_eq(c, z + 1, "per"))) z++;
    const td_lex *L;
    if (z > k && (td_n_eq(c, z, "a") || td_n_eq(c, z, "an") || td_n_eq(c, z, "per") || td_n_eq(c, z, "every") || td_n_eq(c, z, "each")) &&
        (L = td_n_lex(c, z + 1, L_TUNIT)) && !L->val) {
      double amt[TU_CENTURY + 1]; memset(amt, 0, sizeof amt); amt[L->sub] = 1;
      memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[z + 1].e;
      sbuf b = { r->timex, 0, sizeof r->timex }; fmt_duration(&b, amt);
      return z + 2;
    }
  }
  /* "any year", "any weekend" */
  if (td_n_eq(c, k, "any")) {
    const td_lex *L = td_n_lex(c, k + 1, L_TUNIT);
    if (L && !L->val && L->sub >= TU_DAY) {
      double amt[TU_CENTURY + 1]; memset(amt, 0, sizeof amt); amt[L->sub] = 1;
      memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[k + 1].e;
      sbuf b = { r->timex, 0, sizeof r->timex }; fmt_duration(&b, amt);
      return k + 2;
    }
  }
  /* adv[]'s words by their pairs (hourly daily ... annual) */
  if (td_n_pair_in(c, k, "hodaniwebifomoquyeanev"))
  for (size_t t = 0; t < sizeof adv / sizeof adv[0]; t++)
    if (td_n_eq(c, k, adv[t].w)) {
      int article = k > 0 && (td_n_eq(c, k - 1, "a") || td_n_eq(c, k - 1, "an"));
      if (!article && is_word(c, k + 1) && !td_n_eq(c, k, "everyday") && c->a[k + 1].cap == 0 && !td_n_eq(c, k + 1, "and") && !td_n_eq(c, k + 1, "or")) return 0;
      memset(r, 0, sizeof *r);
      r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[k].e;
      sbuf b = { r->timex, 0, sizeof r->timex }; sb_put(&b, adv[t].timex);
      return k + 1;
    }
  if (!(td_n_eq(c, k, "every") || td_n_eq(c, k, "each"))) return 0;
  size_t q = k + 1;
  if (td_n_eq(c, q, "other") && td_n_lex(c, q + 1, L_WDAY)) q++;   /* "every other Friday" */
  if (td_n_eq(c, q, "other")) {
    const td_lex *L = td_n_lex(c, q + 1, L_TUNIT);
    if (L && !L->val) {
      double amt[TU_CENTURY + 1]; memset(amt, 0, sizeof amt); amt[L->sub] = 2;
      memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[q + 1].e;
      sbuf b = { r->timex, 0, sizeof r->timex }; fmt_duration(&b, amt); return q + 2;
    }
  }
  const td_lex *W;
  size_t e;
  if ((W = td_n_lex(c, q, L_WDAY)) && W->sub != 1) {
    e = q + 1;
    memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s;
    sbuf b = { r->timex, 0, sizeof r->timex }; sb_put(&b, "XXXX-WXX-"); sb_int(&b, (long)W->val, 1);
    tv tm;
    size_t z = e;
    if (td_n_eq(c, z, "at")) z++;
    size_t te = clock_time(c, z, &tm, 2);
    if (te) { fmt_time(&b, &tm); e = te; }
    else { int h; const char *p = part_word(c, e, &h); if (p) { sb_put(&b, "T"); sb_put(&b, p); e++; } }
    r->end = c->a[e - 1].e;
    return e;
  }
  /* "every morning", "every night at 9", "every afternoon at 4pm" */
  {
    int h; const char *p;
    if ((p = part_word(c, q, &h))) {
      memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[q].e;
      sbuf b = { r->timex, 0, sizeof r->timex };
      tv tm;
      size_t z = q + 1;
      if (td_n_eq(c, z, "at")) z++;
      size_t te = clock_time(c, z, &tm, 2);
      if (te) {
        if (h >= 12 && tm.hh < 12 && !(h == 21 && tm.hh < 6)) tm.hh += 12;
        fmt_time(&b, &tm); r->end = c->a[te - 1].e; return te;
      }
      sb_put(&b, "T"); sb_put(&b, p);
      return q + 1;
    }
  }
  td_number d;
  if ((e = td_n_duration(c, q, &d))) {
    memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[e - 1].e;
    memcpy(r->timex, d.timex, sizeof r->timex);
    return e;
  }
  const td_lex *L = td_n_lex(c, q, L_TUNIT);
  if (L && !L->val) {
    double amt[TU_CENTURY + 1]; memset(amt, 0, sizeof amt); amt[L->sub] = 1;
    memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[q].e;
    sbuf b = { r->timex, 0, sizeof r->timex }; fmt_duration(&b, amt);
    return q + 1;
  }
  int h; const char *p;
  if ((p = part_word(c, q, &h))) {
    memset(r, 0, sizeof *r); r->kind = TD_N_SET; r->start = c->a[k].s; r->end = c->a[q].e;
    sbuf b = { r->timex, 0, sizeof r->timex }; sb_put(&b, "T"); sb_put(&b, p);
    return q + 1;
  }
  return 0;
}

/* Frames around a date: "the month of May", "the week of the 18th", "week
 * commencing February 4", "the third week of this month", "the last week of
 * 2015", "week 10 of 2027", "June next year", "the 1970s". */
/* Decades in words after "the": "the seventies", "the nineteen-eighties",
 * "the twenty-tens", "the noughties", "the two thousands", "the two
 * thousand and tens".  Without a century ("the seventies") it is the 1900s'
 * decade, as for "the 70s", and the timex as written leaves the century out. */
static size_t decade_words(const td_nctx *c, size_t k, tv *t) {
  static const char *const decs[] = { "tens", "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties" };
  int cent = -1, dec = -1;
  size_t z = k, end = 0;
  if (!is_word(c, k)) return 0;
  /* cheap test first: a decade word ends in "s"; "two", "eighteen", "nineteen", "twenty" in o, n, y */
  unsigned last = (unsigned char)c->t[c->a[k].e - 1] | 32;
  if (last != 's' && last != 'o' && last != 'n' && last != 'y') return 0;
  if (td_n_eq(c, z, "noughties") || td_n_eq(c, z, "naughties")) { cent = 20; dec = 0; end = z + 1; }
  else if (td_n_eq(c, z, "two") && td_n_eq(c, z + 1, "thousands")) { cent = 20; dec = 0; end = z + 2; }
  else {
    if (td_n_eq(c, z, "two") && td_n_eq(c, z + 1, "thousand") && td_n_eq(c, z + 2, "and")) { cent = 20; z += 3; }
    else if (td_n_eq(c, z, "eighteen") || td_n_eq(c, z, "nineteen") || td_n_eq(c, z, "twenty")) {
      cent = td_n_eq(c, z, "eighteen") ? 18 : td_n_eq(c, z, "nineteen") ? 19 : 20;
      z++;
      if (td_n_punct(c, z, '-') && td_n_adjacent(c, z) && td_n_adjacent(c, z + 1)) z++;
    }
    /* cheap test first: each decade word ends in "s" */
    size_t n = is_word(c, z) ? c->a[z].e - c->a[z].s : 0;
    if (n < 4 || (c->t[c->a[z].e - 1] | 32) != 's') return 0;
    for (int j = 0; j < 9 && dec < 0; j++) if (td_n_eq(c, z, decs[j])) dec = j ? (j + 1) * 10 : 10;
    if (dec < 0 || (dec == 10 && cent < 0)) return 0;   /* "the tens" alone is no decade */
    end = z + 1;
  }
  tv_init(t);
  t->grain = G_DECADE;
  t->q = (cent < 0 ? 1900 : cent * 100) + dec;
  t->cent_unsaid = cent < 0;
  return end;
}

static size_t framed_date(td_nctx *c, size_t i, tv *t) {
  size_t k = i, e, z;
  int n, v;
  td_nval nv;
  /* every frame below begins on a number (months and ordinals too), one
   * of gram_words or a holiday's first word (a starter word) */
  if (i >= c->na || (!gram_may(c, i, GR_FRAME) && !c->a[i].wf)) return 0;
  if (td_n_eq(c, i, "the") && (e = decade_words(c, i + 1, t))) return e;
  /* "the '40s" */
  if (td_n_eq(c, i, "the") && (td_n_punct(c, i + 1, '\'') || td_n_punct(c, i + 1, 0x2019)) && td_n_adjacent(c, i + 2) && is_num(c, i + 2) &&
      c->a[i + 2].nd == 2 && (e = period(c, i + 2, t, 1)) && t->grain == G_DECADE) return e;
  if (td_n_eq(c, k, "the")) k++;
  if (td_n_eq(c, k, "month") && td_n_eq(c, k + 1, "of") && td_n_lex(c, k + 2, L_MONTH)) {
    if ((e = cal_date(c, k + 2, t, 1)) && t->m) return e;
  }
  if (td_n_eq(c, k, "week") && (td_n_eq(c, k + 1, "of") || td_n_eq(c, k + 1, "commencing") || td_n_eq(c, k + 1, "beginning") ||
                                td_n_eq(c, k + 1, "starting"))) {
    z = k + 2;
    if (td_n_eq(c, z, "on")) z++;
    if ((e = cal_date(c, z, t, 1)) && t->d && t->grain == G_DAY) return e;
  }
  if (td_n_eq(c, k, "w") && td_n_punct(c, k + 1, '/') && td_n_eq(c, k + 2, "c") && td_n_adjacent(c, k + 1) && td_n_adjacent(c, k + 2)) {
    if ((e = cal_date(c, k + 3, t, 1)) && t->d && t->grain == G_DAY) return e;
  }
  /* week 10, week 3 of 2027 ("the" stays outside) */
  if (k > i && td_n_eq(c, k, "week") && plain_int(c, k + 1, &v, 2)) return 0;
  if (td_n_eq(c, k, "week") && plain_int(c, k + 1, &v, 2) && v >= 1 && v <= 53 && !(is_word(c, k + 2) && td_n_adjacent(c, k + 2))) {
    tv_init(t);
    t->grain = G_WEEK; t->wk = v;
    z = k + 2;
    int y;
    size_t yq;
    if (td_n_eq(c, z, "of") && (yq = year_num(c, z + 1, &y))) { t->y = y; return yq; }
    t->rel = 1; t->rel_unit = TU_YEAR; t->rel_n = 0;
    return z;
  }
  /* the first week of October 2014, the last week of 2015, the third week next year */
  {
    int nth = 0;
    if (td_n_eq(c, k, "last")) nth = -1;
    size_t wk_at = k + 1;
    if (!nth && td_n_number(c, k, 2 | 4, &nv) && nv.kind == TD_N_ORDINAL && nv.v >= 1 && nv.v <= 53 &&
        (nv.end == k + 1 || (is_num(c, k) && nv.end == k + 2))) { nth = (int)nv.v; wk_at = nv.end; }
    /* "the last weekend of October 2017", "the first week-end in March": the
     * weekend of the month's nth (last) Saturday, as an ISO week's weekend */
    size_t we = td_n_eq(c, wk_at, "weekend") ? wk_at + 1 : 0;
    if (!we && td_n_eq(c, wk_at, "week") && td_n_eq(c, wk_at + 2, "end") &&
        (td_n_punct(c, wk_at + 1, '-') || !td_n_adjacent(c, wk_at + 1)))
      we = wk_at + 3;
    if (!we && td_n_eq(c, wk_at, "week") && td_n_eq(c, wk_at + 1, "end") && !td_n_adjacent(c, wk_at + 1)) we = wk_at + 2;
    if (nth && nth <= 5 && we && (td_n_eq(c, we, "of") || td_n_eq(c, we, "in"))) {
      const td_lex *M;
      int y = 0;
      if ((M = month_at(c, we + 1, &e))) {
        size_t z2 = e + (td_n_punct(c, e, ',') ? 1 : 0);
        size_t yq = year_num(c, z2, &y);
        if (!yq && has_ref(c)) y = c->o->ref_y;
        if (y) {
          int sat = nth_weekday(y, (int)M->val, 6, nth);
          if (sat >= 1 && sat <= month_len(y, (int)M->val)) {
            int wy, wn;
            iso_week(days_from_civil(y, (int)M->val, sat), &wy, &wn);
            tv_init(t);
            t->grain = G_WEEKEND; t->y = wy; t->d = wn;
            return yq ? yq : e;
          }
        }
      }
    }
    if (nth && td_n_eq(c, wk_at, "week")) {
      z = wk_at + 1;
      int of = td_n_eq(c, z, "of") || td_n_eq(c, z, "in");
      if (of) z++;
      const td_lex *M;
      int y;
      tv_init(t);
      t->grain = G_WEEK;
      if (of && nth <= 5 && (M = month_at(c, z, &e))) {
        t->m = (int)M->val; t->wk = nth > 0 ? nth : 5;
        size_t z2 = e;
        if (td_n_punct(c, z2, ',')) z2++;
        size_t yq = year_num(c, z2, &y);
        if (yq) { t->y = y; return yq; }
        return e;
      }
      if (of && (e = year_num(c, z, &y))) {
        int wy, wn;
        iso_week(days_from_civil(y, 12, 28), &wy, &wn);
        t->y = y; t->wk = nth > 0 ? nth : wn;
        return e;
      }
      if (td_n_eq(c, z, "the")) z++;
      if (deictic(c, z, &n) && (td_n_eq(c, z + 1, "month") || td_n_eq(c, z + 1, "year"))) {
        int month = td_n_eq(c, z + 1, "month");
        t->rel = 1; t->rel_n = n; t->rel_unit = month ? TU_MONTH : TU_YEAR;
        t->wk = nth > 0 ? nth : month ? 5 : 52;
        if (month) t->m = 1;   /* set by the resolution */
        return z + 2;
      }
    }
  }
  /* the last day of October 2015, the first day of next month */
  {
    int nth = 0;
    if (td_n_eq(c, k, "last")) nth = -1;
    else if (td_n_eq(c, k, "first")) nth = 1;
    const td_lex *M;
    int y;
    if (nth && td_n_eq(c, k + 1, "day") && (td_n_eq(c, k + 2, "of") || td_n_eq(c, k + 2, "in")) && (M = month_at(c, k + 3, &e))) {
      tv_init(t);
      t->m = (int)M->val; t->grain = G_DAY;
      z = e;
      if (td_n_punct(c, z, ',')) z++;
      size_t yq = year_num(c, z, &y);
      if (yq) { t->y = y; e = yq; }
      t->d = nth > 0 ? 1 : month_len(t->y ? t->y : 2001, t->m);
      if (nth < 0 && t->m == 2 && !t->y) return 0;   /* the 28th or the 29th */
      return e;
    }
  }
  /* "the 24", "the 27.", "on 15": a bare day number at the end */
  int on = k == i && i > 0 && td_n_eq(c, i - 1, "on") && !(i > 1 && is_num(c, i - 2));
  if ((k > i || on) && plain_int(c, k, &v, 2) && v >= 1 && v <= 31 && (!is_word(c, k + 1) || (on && td_n_eq(c, k + 1, "at") && is_num(c, k + 2))) &&
      !is_num(c, k + 1) &&
      (k + 1 >= c->na || td_n_punct(c, k + 1, '.') || td_n_punct(c, k + 1, '?') || td_n_punct(c, k + 1, '!') ||
       (is_word(c, k + 1) && td_n_eq(c, k + 1, "at")))) {   /* at the end of a sentence: "the 25, originally" is a model */
    tv_init(t);
    t->d = v; t->grain = G_DAY;
    return k + 1;
  }
  /* "year 2012" ("the" stays outside) */
  {
    int y;
    size_t ye;
    if (k == i && td_n_eq(c, k, "year") && is_num(c, k + 1) && (ye = year_num(c, k + 1, &y))) {
      tv_init(t); t->y = y; t->grain = G_YEAR; return ye;
    }
  }
  /* "March after next": the second March to come */
  {
    const td_lex *M;
    if (k == i && has_ref(c) && (M = month_at(c, k, &e)) && M->sub == 0 && td_n_eq(c, e, "after") && td_n_eq(c, e + 1, "next")) {
      tv_init(t);
      t->m = (int)M->val; t->grain = G_MONTH;
      t->rel = 1; t->rel_unit = TU_YEAR; t->rel_n = t->m > c->o->ref_m ? 1 : 2;
      return e + 2;
    }
  }
  /* June next year, June of next year, Christmas of this year */
  {
    const td_lex *M;
    tv h;
    size_t he = 0;
    if ((M = month_at(c, k, &e)) && k == i) { tv_init(t); t->m = (int)M->val; t->grain = G_MONTH; z = e; }
    else if (k == i && (he = holiday(c, k, &h)) && !h.y) { *t = h; z = he; }
    else z = 0;
    if (z) {
      if (td_n_eq(c, z, "of")) z++;
      if (deictic(c, z, &n) && td_n_eq(c, z + 1, "year")) { t->rel = 1; t->rel_unit = TU_YEAR; t->rel_n = n; return z + 2; }
      /* "Thanksgiving in a year", "Diwali in 3 years" */
      td_number du;
      size_t de;
      if (t->holiday && td_n_eq(c, z, "in") && (de = td_n_duration(c, z + 1, &du)) && du.unit && !strcmp(du.unit, "year") &&
          (du.flags & TD_NF_VALUE) && du.value == floor(du.value) && du.value < 1000) {
        t->rel = 1; t->rel_unit = TU_YEAR; t->rel_n = (int)du.value; return de;
      }
    }
  }
  /* the 1970s */
  if (k > i && is_num(c, k) && (e = period(c, k, t, 1)) && t->grain == G_DECADE) return e;
  return 0;
}

/* A date (calendar, relative, holiday, period) possibly with a time. */
static size_t date_core(td_nctx *c, size_t i, tv *t, int cue) {
  size_t e;
  if ((e = framed_date(c, i, t))) return e;
  /* "last Friday of October" before "last Friday" */
  if (td_n_eq(c, i, "last") && (e = cal_date(c, i, t, cue)) && t->nth) return e;
  if ((e = relative(c, i, t))) return e;
  if ((e = holiday(c, i, t))) return e;
  if ((e = offset_date(c, i, t))) return e;
  size_t e1 = cal_date(c, i, t, cue);
  tv p;
  size_t e2 = period(c, i, &p, cue);
  if (e2 > e1) { *t = p; return e2; }
  return e1;
}

static void add_time(tv *t, const tv *tm) {
  t->hh = tm->hh; t->mi = tm->mi; t->ss = tm->ss; t->tz = tm->tz;
  if (tm->grain > t->grain) t->grain = tm->grain;
  if (t->grain < G_HOUR) t->grain = G_HOUR;
  if (tm->rel && !t->rel && !t->m && !t->d && !t->wd && !t->y) { t->rel = 1; t->rel_n = tm->rel_n; t->rel_unit = 0; }
}

static int emit_tv(td_nctx *c, size_t a, size_t b, const tv *t, td_number *r, int kind) {
  memset(r, 0, sizeof *r);
  r->kind = (uint8_t)kind;
  r->start = c->a[a].s; r->end = c->a[b - 1].e;
  tv t2 = *t;
  holiday_fix(c, &t2);
  write_tv(c, &t2, r);
  if (t2.approx) r->bound = TD_B_APPROX;
  /* a festival of several days: "Hanukkah 2018" 2018-12-02/2018-12-10 */
  const holi *H = t2.holiday ? &holidays[t2.holiday - 1] : NULL;
  if (H && (H->rule == H_HEBREW || H->rule == H_HIJRI) && H->n > 1 && kind == TD_N_DATE && strlen(r->timex) == 10 && t2.y) {
    long z = days_from_civil(t2.y, t2.m, t2.d) + H->n;
    if (H->rule == H_HIJRI && H->n == 30) {   /* to the next month's first */
      long s0 = days_from_civil(t2.y, t2.m, t2.d);
      for (long hy = (t2.y - 622) * 33 / 32 - 2, k = 0; k < 6; k++, hy++)
        if (hijri_month_start(hy, H->m) == s0) { z = hijri_month_start(H->m == 12 ? hy + 1 : hy, H->m % 12 + 1); break; }
    }
    tv e; tv_init(&e); e.grain = G_DAY;
    civil_from_days(z, &e.y, &e.m, &e.d);
    sbuf s = { r->timex, strlen(r->timex), sizeof r->timex };
    sb_put(&s, "/"); fmt_tv(&s, &e);
    r->kind = TD_N_RANGE; r->dim = "time";
  }
  return 1;
}

/* A date or time with what can follow it: a time, a part of the day. */
static size_t point(td_nctx *c, size_t i, tv *t, int *kind, int cue) {
  size_t e;
  tv tm;
  /* time first: "9am tomorrow", "8 tonight", "at 7 in 3 years" */
  int tcue = cue;
  if (i > 0 && (td_n_eq(c, i - 1, "at") || td_n_eq(c, i - 1, "around") || td_n_eq(c, i - 1, "by") || td_n_eq(c, i - 1, "from") || td_n_eq(c, i - 1, "until") || td_n_eq(c, i - 1, "till") || td_n_eq(c, i - 1, "before") || td_n_eq(c, i - 1, "after") || td_n_punct(c, i - 1, '@'))) tcue = 2;
  {
    /* "afternoon at 7", "in the morning at 7": the part of the day first */
    int h0;
    size_t pz = i;
    const char *p0 = part_word(c, i, &h0);
    if (!p0 && td_n_eq(c, i, "in") && td_n_eq(c, i + 1, "the") && (p0 = part_word(c, i + 2, &h0))) pz = i + 2;
    /* "in the early-morning Tuesday", "in the late night on Tuesday" */
    if (!p0 && td_n_eq(c, i, "in") && td_n_eq(c, i + 1, "the") && (td_n_eq(c, i + 2, "early") || td_n_eq(c, i + 2, "late"))) {
      size_t q = i + 3;
      if (dashlike(c, q) && td_n_adjacent(c, q)) q++;
      if ((p0 = part_word(c, q, &h0))) pz = q;
    }
    if (p0 && pz > i) {
      size_t z = pz + 1;
      if (td_n_eq(c, z, "on") || td_n_eq(c, z, "of") || td_n_punct(c, z, ',')) z++;
      tv d0;
      size_t de0 = td_n_lex(c, z, L_WDAY) || deictic(c, z, &h0) ? date_core(c, z, &d0, 1) : 0;
      if (de0 && d0.grain == G_DAY && d0.hh < 0) { *t = d0; t->part = p0; t->grain = G_PART; *kind = TD_N_DATE; return de0; }
      part_word(c, pz, &h0);
    }
    if (p0) {
      size_t z = pz + 1;
      if (td_n_eq(c, z, "at") || td_n_punct(c, z, '@')) z++;
      size_t te0 = (z > pz + 1 || is_num(c, z) || is_word(c, z)) ? clock_time(c, z, &tm, z > pz + 1 || is_num(c, z) ? 2 : 0) : 0;
      if (te0) {
        if (h0 >= 12 && tm.hh < 12 && !(h0 == 21 && tm.hh < 6)) tm.hh += 12;
        *t = tm; *kind = TD_N_TIME;
        return te0;
      }
    }
  }
  size_t te = clock_time(c, i, &tm, tcue);
  if (te == i + 1 && is_num(c, i) && !(c->a[i].sep & 4)) {
    /* a bare number after "from": "from 2 July", "from 10/1" are dates */
    tv d0;
    size_t de0 = date_core(c, i, &d0, cue);
    if (de0 > te) { *t = d0; *kind = TD_N_DATE; return de0; }
  }
  if (te) {
    size_t z = te;
    if (td_n_eq(c, z, "on") || td_n_punct(c, z, ',')) z++;
    tv d;
    size_t de = date_core(c, z, &d, 1);
    if (de && d.grain >= G_DAY && !(td_n_lex(c, z, L_REL) && tm.rel)) { *t = d; add_time(t, &tm); *kind = TD_N_DATE; return de; }
    *t = tm;
    *kind = tm.rel ? TD_N_DATE : TD_N_TIME;
    if (tm.rel) { t->grain = G_HOUR; }
    return te;
  }
  e = date_core(c, i, t, cue);
  if (!e) return 0;
  *kind = TD_N_DATE;
  if (t->grain >= G_DAY || t->grain == G_PART) {
    /* "May 16 at 09:30", "tomorrow 8am", "Friday morning", "tomorrow at 8:45a" */
    size_t z = e;
    int h; const char *p;
    if ((p = part_word(c, z, &h)) && t->grain != G_PART) { t->part = p; t->grain = G_PART; z++; e = z; }
    /* "Tuesday PM", "Feb 5 AM", "today pm": that half of the day */
    else if (t->grain == G_DAY && t->hh < 0 && (td_n_eq(c, z, "am") || td_n_eq(c, z, "pm")) && !is_num(c, z + 1) &&
             !(is_word(c, z + 1) && td_n_adjacent(c, z + 1))) {
      t->part = td_n_eq(c, z, "pm") ? "AF" : "MO"; t->grain = G_PART; z++; e = z;
    }
    /* "Tuesday early-morning", "Tuesday late night" */
    else if ((td_n_eq(c, z, "early") || td_n_eq(c, z, "late")) && t->grain == G_DAY) {
      size_t q = z + 1;
      if (dashlike(c, q) && td_n_adjacent(c, q)) q++;
      if ((p = part_word(c, q, &h))) { t->part = p; t->grain = G_PART; z = e = q + 1; }
    }
    /* "Tuesday in the afternoon", "this Friday, in the afternoon" */
    else if (t->grain != G_PART) {
      size_t q = z + (td_n_punct(c, z, ',') ? 1 : 0);
      if (td_n_eq(c, q, "in") && td_n_eq(c, q + 1, "the") && (p = part_word(c, q + 2, &h))) { t->part = p; t->grain = G_PART; z = e = q + 3; }
    }
    int at = td_n_eq(c, z, "at") || td_n_punct(c, z, '@') || td_n_eq(c, z, "around") || td_n_eq(c, z, "about") ||
             (td_n_eq(c, z, "t") && td_n_adjacent(c, z) && td_n_adjacent(c, z + 1) && is_num(c, z + 1));   /* ISO "2016-12-16T12:23:59" */
    if (at || td_n_punct(c, z, ',')) z++;
    te = clock_time(c, z, &tm, at ? 2 : 1);   /* "Monday 5 people" is no time */
    if (te && !(td_n_eq(c, z - 1, ",") && 0)) {
      if (tm.hh < 12 && t->part && (!strcmp(t->part, "AF") || !strcmp(t->part, "EV") || (!strcmp(t->part, "NI") && tm.hh >= 6))) tm.hh += 12;
      t->part = NULL;
      add_time(t, &tm); return te;
    }
  }
  return e;
}

/* Any am/pm or part of the day said in atoms [a, b)? */
static int hours_said_ampm(const td_nctx *c, size_t a, size_t b) {
  for (size_t q = a; q < b; q++) { int pm0, h0; if (ampm(c, q, &pm0) || part_word(c, q, &h0)) return 1; }
  return 0;
}

/* Hours from `from` to 11 of a time-range timex we wrote ("T07/T07:30") move
 * to the afternoon ("T19/T19:30"): the range was said of an evening. */
static void pm_hours(char *x, int from) {
  for (char *p = x; (p = strchr(p, 'T')) != NULL; p++) {
    if (p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9') continue;
    int h = (p[1] - '0') * 10 + (p[2] - '0');
    if (h < from || h >= 12) continue;
    h += 12;
    p[1] = (char)('0' + h / 10); p[2] = (char)('0' + h % 10);
  }
}

static void range_timex(td_number *r, const td_number *a, const td_number *b) {
  sbuf s = { r->timex, 0, sizeof r->timex };
  r->timex[0] = 0;
  if (a->timex[0] && b->timex[0]) { sb_put(&s, a->timex); sb_put(&s, "/"); sb_put(&s, b->timex); }
  sbuf s2 = { r->timex_raw, 0, sizeof r->timex_raw };
  r->timex_raw[0] = 0;
  const char *ra = a->timex_raw[0] ? a->timex_raw : a->timex, *rb = b->timex_raw[0] ? b->timex_raw : b->timex;
  /* "between now and November 15th": beside a day, "now" is today's date */
  if (!strcmp(ra, "PRESENT_REF") && !strchr(b->timex, 'T')) ra = a->timex;
  if (!strcmp(rb, "PRESENT_REF") && !strchr(a->timex, 'T')) rb = b->timex;
  if ((a->timex_raw[0] || b->timex_raw[0]) && ra[0] && rb[0]) { sb_put(&s2, ra); sb_put(&s2, "/"); sb_put(&s2, rb); }
}

/* A date/time point at i written into r; used for both sides of ranges. */
static size_t point_r(td_nctx *c, size_t i, td_number *r, int cue, tv *out) {
  tv t;
  int kind;
  size_t e = point(c, i, &t, &kind, cue);
  if (!e) return 0;
  emit_tv(c, i, e, &t, r, kind);
  if (out) *out = t;
  return e;
}

/* A part of a period: "the beginning of the year", "end of next week", "mid
 * March".  The period's resolved timex ("2013", "2013-02", "2013-W08")
 * becomes an interval with an exclusive end, as Duckling draws them: a year's
 * beginning is January to March, its middle May to August, its end September
 * to December; a month's beginning is the 1st to the 10th, its middle the
 * 11th to the 20th, its end the 21st to its last day; a week's beginning is
 * Monday to Wednesday, its end Friday to Sunday.  timex_raw keeps the whole
 * period ("2013-02") when nothing else was written there.  which: 'B', 'M',
 * 'E'.  Other timexes are left alone. */
static int ymd_of(const char *x, int *y, int *m, int *d);

static void period_part(td_number *r, int which) {
  const char *x = r->timex;
  size_t n = strlen(x);
  int dig = 1;
  for (size_t j = 0; j < 4 && j < n; j++) if (x[j] < '0' || x[j] > '9') dig = 0;
  if (n < 4 || !dig || (n > 4 && x[4] != '-')) return;
  int y = (x[0] - '0') * 1000 + (x[1] - '0') * 100 + (x[2] - '0') * 10 + (x[3] - '0');
  int y1, m1, d1 = 0, y2, m2, d2 = 0;
  if (n == 4) {
    y1 = y2 = y;
    if (which == 'B') { m1 = 1; m2 = 4; } else if (which == 'M') { m1 = 5; m2 = 9; } else { m1 = 9; m2 = 1; y2 = y + 1; }
  } else if (n == 7 && x[5] >= '0' && x[5] <= '1' && x[6] >= '0' && x[6] <= '9') {
    int m = (x[5] - '0') * 10 + (x[6] - '0');
    if (m < 1 || m > 12) return;
    y1 = y2 = y; m1 = m2 = m;
    if (which == 'B') { d1 = 1; d2 = 11; } else if (which == 'M') { d1 = 11; d2 = 21; }
    else { d1 = 21; d2 = 1; if (++m2 > 12) { m2 = 1; y2++; } }
  } else if (n == 8 && x[5] == 'W' && x[6] >= '0' && x[6] <= '5' && x[7] >= '0' && x[7] <= '9') {
    int w = (x[6] - '0') * 10 + (x[7] - '0');
    long jan4 = days_from_civil(y, 1, 4);
    long mon = jan4 - (weekday(jan4) - 1) + 7L * (w - 1);
    long a = which == 'B' ? mon : which == 'M' ? mon + 2 : mon + 4;
    long b = which == 'B' ? mon + 3 : which == 'M' ? mon + 4 : mon + 7;
    civil_from_days(a, &y1, &m1, &d1); civil_from_days(b, &y2, &m2, &d2);
  } else return;
  if (!r->timex_raw[0]) { sbuf s0 = { r->timex_raw, 0, sizeof r->timex_raw }; sb_put(&s0, x); }
  char out[sizeof r->timex];
  sbuf s = { out, 0, sizeof out };
  out[0] = 0;
  sb_int(&s, y1, 4); sb_put(&s, "-"); sb_int(&s, m1, 2); if (d1) { sb_put(&s, "-"); sb_int(&s, d1, 2); }
  sb_put(&s, "/");
  sb_int(&s, y2, 4); sb_put(&s, "-"); sb_int(&s, m2, 2); if (d2) { sb_put(&s, "-"); sb_int(&s, d2, 2); }
  memcpy(r->timex, out, sizeof out);
  r->kind = TD_N_RANGE; r->dim = "time";
}

/* A season of a year ("2013-SU") as Duckling draws it: spring from 20
 * March, summer from 21 June, autumn from 23 September, winter from 21
 * December to 20 March; timex_raw keeps the season. */
static void season_range(td_number *r) {
  const char *x = r->timex;
  static const char *const code[] = { "SP", "SU", "FA", "WI" };
  static const signed char from[][2] = { { 3, 20 }, { 6, 21 }, { 9, 23 }, { 12, 21 }, { 3, 20 } };
  if (strlen(x) != 7 || x[4] != '-') return;
  int y = 0;
  for (int j = 0; j < 4; j++) { if (x[j] < '0' || x[j] > '9') return; y = y * 10 + (x[j] - '0'); }
  int q = -1;
  for (int j = 0; j < 4; j++) if (!strcmp(x + 5, code[j])) q = j;
  if (q < 0) return;
  if (!r->timex_raw[0]) { sbuf s0 = { r->timex_raw, 0, sizeof r->timex_raw }; sb_put(&s0, x); }
  char out[sizeof r->timex];
  sbuf s = { out, 0, sizeof out };
  out[0] = 0;
  sb_int(&s, y, 4); sb_put(&s, "-"); sb_int(&s, from[q][0], 2); sb_put(&s, "-"); sb_int(&s, from[q][1], 2); sb_put(&s, "/");
  sb_int(&s, q == 3 ? y + 1 : y, 4); sb_put(&s, "-"); sb_int(&s, from[q + 1][0], 2); sb_put(&s, "-"); sb_int(&s, from[q + 1][1], 2);
  memcpy(r->timex, out, sizeof out);
  r->kind = TD_N_RANGE; r->dim = "time";
}

static size_t datetime(td_nctx *c, size_t i, td_number *r);

/* A weekend of an ISO week ("2013-W43-WE") as Duckling draws it: from
 * Friday 18:00 to Monday 0:00; timex_raw keeps the weekend. */
static void weekend_range(td_number *r) {
  const char *x = r->timex;
  if (strlen(x) != 11 || x[4] != '-' || x[5] != 'W' || strcmp(x + 8, "-WE")) return;
  int y = 0, w = 0;
  for (int j = 0; j < 4; j++) { if (x[j] < '0' || x[j] > '9') return; y = y * 10 + (x[j] - '0'); }
  for (int j = 6; j < 8; j++) { if (x[j] < '0' || x[j] > '9') return; w = w * 10 + (x[j] - '0'); }
  if (w < 1 || w > 53) return;
  long jan4 = days_from_civil(y, 1, 4);
  long fri = jan4 - (weekday(jan4) - 1) + 7L * (w - 1) + 4;
  if (!r->timex_raw[0]) { sbuf s0 = { r->timex_raw, 0, sizeof r->timex_raw }; sb_put(&s0, x); }
  tv a, b;
  tv_init(&a); a.grain = G_HOUR; a.hh = 18;
  civil_from_days(fri, &a.y, &a.m, &a.d);
  b = a; b.hh = 0;
  civil_from_days(fri + 3, &b.y, &b.m, &b.d);
  char out[sizeof r->timex];
  sbuf s = { out, 0, sizeof out };
  out[0] = 0;
  fmt_tv(&s, &a); sb_put(&s, "/"); fmt_tv(&s, &b);
  memcpy(r->timex, out, sizeof out);
  r->kind = TD_N_RANGE; r->dim = "time";
}

/* Whole days of a duration's timex ("P10D" 10, "P2W" 14), else 0. */
static long duration_days(const char *x) {
  long v = 0;
  if (*x++ != 'P') return 0;
  if (*x < '0' || *x > '9') return 0;
  while (*x >= '0' && *x <= '9' && v < 100000) v = v * 10 + (*x++ - '0');
  if (x[0] == 'D' && !x[1]) return v;
  if (x[0] == 'W' && !x[1]) return 7 * v;
  return 0;
}

/* The year, month and day of a "YYYY-MM-DD" timex (1), or 0. */
static int ymd_of(const char *x, int *y, int *m, int *d) {
  if (strlen(x) != 10 || x[4] != '-' || x[7] != '-') return 0;
  for (int j = 0; j < 10; j++) if (j != 4 && j != 7 && (x[j] < '0' || x[j] > '9')) return 0;
  *y = (x[0] - '0') * 1000 + (x[1] - '0') * 100 + (x[2] - '0') * 10 + (x[3] - '0');
  *m = (x[5] - '0') * 10 + (x[6] - '0'); *d = (x[8] - '0') * 10 + (x[9] - '0');
  return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31;
}

static void day_span(td_number *r, long from, long to) {
  tv a, b;
  tv_init(&a); a.grain = G_DAY;
  civil_from_days(from, &a.y, &a.m, &a.d);
  b = a;
  civil_from_days(to, &b.y, &b.m, &b.d);
  sbuf s = { r->timex, 0, sizeof r->timex };
  r->timex[0] = 0; r->timex_raw[0] = 0;
  fmt_tv(&s, &a); sb_put(&s, "/"); fmt_tv(&s, &b);
  r->kind = TD_N_RANGE; r->dim = "time"; r->bound = TD_B_NONE;
}

/* Meal times: "lunchtime", "lunch time", "at lunch", "before lunch", "after
 * breakfast", "around dinner", "lunchtime 12 o'clock".  A bare "lunch" or
 * "dinner" is the meal, not a time: it needs a cue before it or "time". */
static size_t meal(td_nctx *c, size_t i, td_number *r) {
  const char *code;
  int pm_from;   /* clock hours from this one to 11 are the afternoon's */
  size_t e = i + 1;
  int timeword = 0;   /* said as a time: "lunchtime", "dinner time" */
  if (td_n_eq(c, i, "lunch") || (timeword = td_n_eq(c, i, "lunchtime"))) { code = "MEL"; pm_from = 1; }
  else if (td_n_eq(c, i, "dinner") || td_n_eq(c, i, "supper") || (timeword = td_n_eq(c, i, "dinnertime") || td_n_eq(c, i, "suppertime"))) {
    code = "MED"; pm_from = 1;
  }
  else if (td_n_eq(c, i, "breakfast")) { code = "MEB"; pm_from = 12; }
  else return 0;
  if (!timeword && td_n_eq(c, e, "time")) { timeword = 1; e++; }
  else if (!timeword && dashlike(c, e) && td_n_adjacent(c, e) && td_n_eq(c, e + 1, "time") && td_n_adjacent(c, e + 1)) { timeword = 1; e += 2; }
  int bound = TD_B_NONE, cue = 0;
  if (i > 0 && is_word(c, i - 1)) {
    static const struct { const char *w; int bound; } cues[] = {
      { "at", TD_B_NONE }, { "during", TD_B_NONE }, { "before", TD_B_LT }, { "after", TD_B_GT }, { "around", TD_B_APPROX },
      { "until", TD_B_LE }, { "till", TD_B_LE }, { "by", TD_B_LE },
    };
    for (size_t k = 0; k < sizeof cues / sizeof cues[0] && !cue; k++)
      if (td_n_eq(c, i - 1, cues[k].w)) { cue = 1; bound = cues[k].bound; }
  }
  if (!cue && !timeword) return 0;
  tv t, tm;
  tv_init(&t);
  t.part = code; t.grain = G_PART;
  /* "lunchtime 12 o'clock", "at lunch at 1": the clock, in the meal's half of the day */
  size_t z = e + (td_n_eq(c, e, "at") ? 1 : 0);
  size_t te = clock_time(c, z, &tm, z > e ? 2 : 1);
  if (te && tm.hh >= 0) {
    if (tm.hh >= pm_from && tm.hh < 12) tm.hh += 12;
    if (!strcmp(code, "MEL") && tm.hh > 15) tm.hh -= 12;   /* lunch ends mid-afternoon: 1 o'clock is 13, 12 is noon */
    t = tm; e = te;
  }
  emit_tv(c, i, e, &t, r, TD_N_TIME);
  if (cue) r->start = c->a[i - 1].s;
  r->bound = (uint8_t)bound;
  return e;
}

/* A clock moment of a timex we wrote: "2018-02-14T09:30", "T14", "2018-05-23"
 * (days since the epoch, or -1 without a day; seconds into the day, or -1
 * without a clock).  0 for other shapes (weeks, parts of the day, zones). */
static int moment_of(const char *x, long *days, long *secs) {
  int y, m, d;
  char day[11];
  *days = *secs = -1;
  if (x[0] != 'T') {
    if (strlen(x) < 10) return 0;
    memcpy(day, x, 10); day[10] = 0;
    if (!ymd_of(day, &y, &m, &d) || d > month_len(y, m)) return 0;
    *days = days_from_civil(y, m, d);
    x += 10;
    if (!*x) return 1;
    if (*x != 'T') return 0;
  }
  x++;
  int v[3] = { 0, 0, 0 }, n = 0;
  while (n < 3 && x[0] >= '0' && x[0] <= '9' && x[1] >= '0' && x[1] <= '9') {
    v[n++] = (x[0] - '0') * 10 + (x[1] - '0');
    x += 2;
    if (*x == ':') x++; else break;
  }
  if (!n || *x || v[0] > 23 || v[1] > 59 || v[2] > 59) return 0;
  *secs = v[0] * 3600L + v[1] * 60L + v[2];
  return 1;
}

/* "for 3 days from today", "2 weeks starting May 20th", "for 2 hours from
 * 2pm", "a week starting tomorrow": a duration and where it starts give the
 * span it covers.  "for ... from" needs the "for" (without it "3 days from
 * today" is the day it reaches) and takes it into the text; "starting" does not. */
static size_t duration_from(td_nctx *c, size_t i, td_number *r) {
  td_number du, a;
  int fr = i > 0 && td_n_eq(c, i - 1, "for");
  if (!fr && !is_num(c, i) && !td_n_lex(c, i, L_NUM) && !td_n_eq(c, i, "a") && !td_n_eq(c, i, "an")) return 0;
  size_t de = td_n_duration(c, i, &du);
  if (!de || du.bound != TD_B_NONE || !(du.flags & TD_NF_VALUE)) return 0;
  size_t z = de + (td_n_punct(c, de, ',') ? 1 : 0);
  int starting = td_n_eq(c, z, "starting") || td_n_eq(c, z, "beginning");
  if (starting) { z++; if (td_n_eq(c, z, "from") || td_n_eq(c, z, "on")) z++; }
  else if (fr && td_n_eq(c, z, "from")) z++;
  else return 0;
  long amt[TU_CENTURY + 1];
  if (!duration_amounts(du.timex, amt)) {
    /* "2.5 hours", "1.5 minutes": in seconds */
    memset(amt, 0, sizeof amt);
    long per = du.unit == tu_name[TU_HOUR] ? 3600 : du.unit == tu_name[TU_MIN] ? 60 : 0;
    if (!per || du.value <= 0 || du.value > 1000) return 0;
    amt[TU_SEC] = lround(du.value * (double)per);
  }
  if (amt[TU_DECADE] || amt[TU_CENTURY] || amt[TU_QUARTER]) return 0;
  amt[TU_WEEK] += 2 * amt[TU_FORTNIGHT]; amt[TU_FORTNIGHT] = 0;
  amt[TU_DAY] += amt[TU_NIGHT]; amt[TU_NIGHT] = 0;
  int clock_units = amt[TU_HOUR] || amt[TU_MIN] || amt[TU_SEC];
  tv t;
  int kind;
  size_t pe = point(c, z, &t, &kind, 1);
  if (!pe || t.tz) return 0;
  emit_tv(c, z, pe, &t, &a, kind);
  long d0, s0;
  if (a.bound || !moment_of(a.timex, &d0, &s0)) return 0;
  if (s0 < 0 && clock_units) return 0;   /* "for 2 hours from Monday": no clock to count from */
  long d1 = d0 < 0 ? 0 : d0, s1 = s0 < 0 ? 0 : s0;
  shift(&d1, &s1, amt, 1);
  if (d0 < 0 && d1 != 0) return 0;        /* a bare clock time past midnight */
  tv ta, tb;
  tv_init(&ta);
  if (d0 >= 0) { set_day(&ta, d0); ta.grain = G_DAY; }
  if (s0 >= 0) { ta.hh = (int)(s0 / 3600); ta.mi = (int)(s0 / 60 % 60); ta.ss = (int)(s0 % 60); ta.grain = ta.ss ? G_SEC : ta.mi ? G_MIN : G_HOUR; }
  tb = ta;
  if (d0 >= 0) set_day(&tb, d1);
  if (s0 >= 0) { tb.hh = (int)(s1 / 3600); tb.mi = (int)(s1 / 60 % 60); tb.ss = (int)(s1 % 60); tb.grain = tb.ss ? G_SEC : tb.mi ? G_MIN : G_HOUR; }
  memset(r, 0, sizeof *r);
  sbuf s = { r->timex, 0, sizeof r->timex };
  if (d0 >= 0) { fmt_tv(&s, &ta); sb_put(&s, "/"); fmt_tv(&s, &tb); }
  else { fmt_time(&s, &ta); sb_put(&s, "/"); fmt_time(&s, &tb); }
  /* as written: a start without its year ("May 20th") keeps it unsaid on both sides */
  if (!strncmp(a.timex_raw, "XXXX-", 5) && a.timex_raw[5] >= '0' && a.timex_raw[5] <= '9' && d0 >= 0 && ta.y == tb.y) {
    sbuf s2 = { r->timex_raw, 0, sizeof r->timex_raw };
    sb_put(&s2, "XXXX"); sb_put(&s2, r->timex + 4);
    char *sl = strchr(r->timex_raw, '/');
    if (sl && strlen(sl) > 5) memcpy(sl + 1, "XXXX", 4);
  }
  r->kind = TD_N_RANGE; r->dim = "time";
  r->start = c->a[fr && !starting ? i - 1 : i].s; r->end = c->a[pe - 1].e;
  return pe;
}

size_t td_n_datetime(td_nctx *c, size_t i, td_number *r) {
  size_t e = datetime(c, i, r);
  {
    td_number df;
    size_t ef = duration_from(c, i, &df);
    if (ef && (ef > e || (ef == e && r->start > df.start))) { *r = df; return ef; }
  }
  int y, m, d, cal = 0;
  for (size_t q = i; q < e && !cal; q++) cal = is_num(c, q) || td_n_lex(c, q, L_MONTH) != NULL;   /* a calendar date */
  if (e && cal && r->kind == TD_N_DATE && ymd_of(r->timex, &y, &m, &d)) {
    td_number du;
    size_t de;
    long n;
    /* "18th Dec for 10 days", "from 18th Dec for 10 days": the days from it */
    if (td_n_eq(c, e, "for") && (r->bound == TD_B_NONE || r->bound == TD_B_GE) && (de = td_n_duration(c, e + 1, &du)) &&
        du.bound == TD_B_NONE && (n = duration_days(du.timex)) > 0 && !td_n_eq(c, de - 1, "nights") && !td_n_eq(c, de - 1, "night")) {
      long z = days_from_civil(y, m, d);   /* not "the 9th of May for 2 nights" (a stay) */
      day_span(r, z, z + n);
      if (td_n_eq(c, i, "from") || td_n_eq(c, i, "starting") || td_n_eq(c, i, "beginning")) r->start = c->a[i].s;
      r->end = c->a[de - 1].e;
      return de;
    }
    /* "for 10 days from 18th Dec": the days up to the offset */
    if (i > 0 && td_n_eq(c, i - 1, "for") && r->bound == TD_B_NONE && (de = td_n_duration(c, i, &du)) && td_n_eq(c, de, "from") &&
        du.bound == TD_B_NONE && (n = duration_days(du.timex)) > 0) {
      long z = days_from_civil(y, m, d);
      day_span(r, z - n, z);
      return e;
    }
  }
  /* the meal and decade words are lone starters: a first letter tells most others apart */
  unsigned f0 = is_word(c, i) ? (unsigned char)c->t[c->a[i].s] | 32 : 0;
  if (!e && (f0 == 'l' || f0 == 'd' || f0 == 'b' || f0 == 's') && (e = meal(c, i, r))) return e;
  /* "the nineties": the decade word starts (a lone starter), the "the" is its */
  if (!e && f0 && i > 0 && td_n_eq(c, i - 1, "the")) {
    tv t;
    size_t de = decade_words(c, i, &t);
    if (de) { emit_tv(c, i - 1, de, &t, r, TD_N_DATE); return de; }
  }
  /* "the week of April 10": that day's ISO week (as written, the day) */
  {
    size_t w = i + (td_n_eq(c, i, "the") ? 1 : 0);
    int y, m, d, wy, wn;
    if (e && r->kind == TD_N_DATE && !r->bound && td_n_eq(c, w, "week") && td_n_eq(c, w + 1, "of") && ymd_of(r->timex, &y, &m, &d) &&
        d <= month_len(y, m)) {
      iso_week(days_from_civil(y, m, d), &wy, &wn);
      if (!r->timex_raw[0]) memcpy(r->timex_raw, r->timex, sizeof r->timex_raw);
      sbuf s = { r->timex, 0, sizeof r->timex };
      r->timex[0] = 0;
      sb_int(&s, wy, 4); sb_put(&s, "-W"); sb_int(&s, wn, 2);
    }
  }
  /* "at 6.45", "at 16.00": a clock written like a decimal, without am/pm, is one by the "at" before it (kept in the text) */
  {
    int pm0;
    if (e && (r->kind == TD_N_TIME || r->kind == TD_N_DATE) && i > 0 && r->start == c->a[i].s && is_num(c, i) && (c->a[i].sep & 2) &&
        td_n_eq(c, i - 1, "at") && strchr(r->timex, 'T') && !ampm(c, i + 1, &pm0))
      r->start = c->a[i - 1].s;
  }
  /* "the '40s": the "the" before the apostrophe too */
  if (e && r->kind == TD_N_DATE && i >= 2 && r->start == c->a[i].s && (td_n_punct(c, i - 1, '\'') || td_n_punct(c, i - 1, 0x2019)) &&
      td_n_adjacent(c, i) && td_n_eq(c, i - 2, "the") && (strlen(r->timex) == 3 || strlen(r->timex_raw) == 3))
    r->start = c->a[i - 2].s;
  if (e && r->kind == TD_N_DATE && !r->bound) { season_range(r); weekend_range(r); }
  return e;
}

static size_t datetime(td_nctx *c, size_t i, td_number *r) {
  size_t k = i, e;
  int bound = TD_B_NONE, range_start = 0;
  if (i >= c->na) return 0;
  /* cheap rejections: "2,000", "123456" and "2.5 million" start no date or time */
  if (c->a[i].cls == AC_NUM) {
    const td_natom *a0 = &c->a[i];
    if ((a0->sep & 1) || (!a0->sep && a0->nd > 4)) return 0;
    if (a0->sep == 2 && !is_word(c, i + 1) && !td_n_punct(c, i + 1, '.') && !(i > 0 && (td_n_eq(c, i - 1, "at") || td_n_punct(c, i - 1, '@'))) &&
        c->t[a0->e - 1] != '.') {
      int dots = 0;
      for (uint32_t b0 = a0->s; b0 < a0->e; b0++) dots += c->t[b0] == '.';
      if (dots < 2) return 0;   /* "1.1.2015" still is */
    }
  }
  /* sets first: "every Monday", "weekly" */
  if ((e = set_expr(c, i, r))) return e;
  if ((e = span_expr(c, i, r))) return e;
  /* modifiers of dates and times */
  static const struct { const char *w; int bound; } mods[] = {
    { "since", TD_B_GE }, { "before", TD_B_LT }, { "after", TD_B_GT }, { "until", TD_B_LE }, { "till", TD_B_LE },
    { "around", TD_B_APPROX }, { "about", TD_B_APPROX }, { "approximately", TD_B_APPROX }, { "circa", TD_B_APPROX },
    { "by", TD_B_LE }, { "starting", TD_B_GE }, { "beginning", TD_B_GE }, { "through", TD_B_LE }, { "thru", TD_B_LE },
  };
  size_t mstart = k;
  /* comparisons: "no later than", "later than", "on or before", "at or after", "prior to", "more than" (an offset) */
  static const struct { const char *w[5]; int bound; } cmp[] = {
    { { "no", "later", "than" }, TD_B_LE }, { { "not", "later", "than" }, TD_B_LE }, { { "no", "earlier", "than" }, TD_B_GE },
    { { "later", "than", "or", "at" }, TD_B_GE }, { { "later", "than", "or", "in" }, TD_B_GE },
    { { "earlier", "than", "or", "at" }, TD_B_LE }, { { "earlier", "than", "or", "in" }, TD_B_LE },
    { { "later", "than" }, TD_B_GT }, { { "earlier", "than" }, TD_B_LT }, { { "sooner", "than" }, TD_B_LT },
    { { "on", "or", "before" }, TD_B_LE }, { { "at", "or", "before" }, TD_B_LE }, { { "in", "or", "before" }, TD_B_LE },
    { { "before", "or", "on" }, TD_B_LE }, { { "before", "or", "in" }, TD_B_LE }, { { "before", "or", "at" }, TD_B_LE },
    { { "on", "or", "after" }, TD_B_GE }, { { "at", "or", "after" }, TD_B_GE }, { { "in", "or", "after" }, TD_B_GE },
    { { "after", "or", "on" }, TD_B_GE }, { { "after", "or", "in" }, TD_B_GE }, { { "after", "or", "equal", "to" }, TD_B_GE },
    { { "on", "or", "later", "than" }, TD_B_GE }, { { "on", "or", "earlier", "than" }, TD_B_LE },
    { { "prior", "to" }, TD_B_LT }, { { "more", "than" }, TD_B_NONE }, { { "less", "than" }, TD_B_NONE },
    { { "as", "early", "as" }, TD_B_GE }, { { "as", "late", "as" }, TD_B_LE },
  };
  /* the first words' two-byte pairs, in the order of cmp[] (no not no later
   * ... as): most starts ("the", "a", "of") have none of them */
  if (is_word(c, k) && td_n_pair_in(c, k, "nolaeasoonatinbeafprmoleas")) {
    for (size_t m = 0; m < sizeof cmp / sizeof cmp[0]; m++) {
      size_t q = k;
      int w = 0;
      while (w < 5 && cmp[m].w[w] && td_n_eq(c, q, cmp[m].w[w])) { q++; w++; }
      if (w < 5 && cmp[m].w[w]) continue;
      /* "more than 2 weeks before today": only before an offset date */
      if (!cmp[m].w[0] || (!strcmp(cmp[m].w[0], "more") || !strcmp(cmp[m].w[0], "less"))) {
        tv o;
        size_t oe = offset_date(c, q, &o);
        if (!oe || td_n_eq(c, q, "in")) break;
        emit_tv(c, q, oe, &o, r, TD_N_DATE);
        r->start = c->a[k].s;
        r->bound = (uint8_t)(!strcmp(cmp[m].w[0], "more") ? (td_n_eq(c, oe - 2, "before") || td_n_eq(c, oe - 2, "ago") || td_n_eq(c, oe - 1, "ago") ? TD_B_LT : TD_B_GT)
                                                        : (td_n_eq(c, oe - 2, "before") || td_n_eq(c, oe - 1, "ago") ? TD_B_GT : TD_B_LT));
        return oe;
      }
      tv p0; int kd;
      size_t pe = point(c, q, &p0, &kd, 1);
      if (!pe) break;
      emit_tv(c, q, pe, &p0, r, kd);
      r->start = c->a[k].s; r->bound = (uint8_t)cmp[m].bound;
      return pe;
    }
  }
  int how_about = td_n_eq(c, k, "about") && k > 0 && (td_n_eq(c, k - 1, "how") || td_n_eq(c, k - 1, "what"));   /* "How about ..." */
  /* mods[]'s words by their pairs (since before ... thru) */
  if (is_word(c, k) && !how_about && td_n_pair_in(c, k, "sibeafuntiarabapcibystth"))
  for (size_t m = 0; m < sizeof mods / sizeof mods[0]; m++)
    if (td_n_eq(c, k, mods[m].w) && !(mods[m].bound == TD_B_GE && td_n_eq(c, k + 1, "of"))) { bound = mods[m].bound; k++; if (td_n_eq(c, k, "on") || td_n_eq(c, k, "from")) k++; break; }
  if (td_n_eq(c, k, "between") || td_n_eq(c, k, "from")) { range_start = td_n_eq(c, k, "between") ? 2 : 1; k++; }
  int cue = (k > i) ? 1 : 0;
  if (i > 0 && (td_n_eq(c, i - 1, "on") || td_n_eq(c, i - 1, "dated"))) cue = 1;
  if (td_n_eq(c, k, "the") && td_n_eq(c, k + 1, "year") && is_num(c, k + 2)) { k += 1; cue = 1; }   /* "the year 2008": "year 2008" */
  /* "early 2022", "mid-May", "late July", "the end of the month" */
  size_t pk = k;
  if (td_n_eq(c, pk, "early") || td_n_eq(c, pk, "mid") || td_n_eq(c, pk, "late") || td_n_eq(c, pk, "later") || td_n_eq(c, pk, "earlier")) {
    pk++; if (dashlike(c, pk) && td_n_adjacent(c, pk)) pk++;
    tv t0; int kd;
    /* "later in the year", "earlier in the week": this one */
    const td_lex *L;
    if (td_n_eq(c, pk, "in") && td_n_eq(c, pk + 1, "the") && (L = td_n_lex(c, pk + 2, L_TUNIT)) && !L->val &&
        (L->sub == TU_WEEK || L->sub == TU_MONTH || L->sub == TU_YEAR)) {
      tv_init(&t0); t0.rel = 1; t0.rel_unit = L->sub;
      t0.grain = L->sub == TU_WEEK ? G_WEEK : L->sub == TU_MONTH ? G_MONTH : G_YEAR;
      emit_tv(c, mstart, pk + 3, &t0, r, TD_N_DATE); r->bound = (uint8_t)bound; return pk + 3;
    }
    /* "early morning", "late afternoon", "later in the evening": the part of the day */
    {
      int h0;
      size_t pz = pk;
      if (td_n_eq(c, pz, "in") && td_n_eq(c, pz + 1, "the")) pz += 2;
      const char *p0 = td_n_eq(c, pk - 1, "mid") || td_n_eq(c, pk - 2, "mid") ? NULL : part_word(c, pz, &h0);   /* "mid morning" is 10:00 */
      if (p0 && !td_n_eq(c, pz, "night")) {
        tv_init(&t0); t0.part = p0; t0.grain = G_PART;
        emit_tv(c, mstart, pz + 1, &t0, r, TD_N_TIME); r->bound = (uint8_t)bound; return pz + 1;
      }
    }
    size_t e0 = point(c, pk, &t0, &kd, 1);
    int mid = td_n_eq(c, k, "mid");
    if (e0 && kd == TD_N_DATE && (t0.grain == G_PART || t0.grain == G_YEAR || t0.grain == G_MONTH || t0.grain == G_DECADE || t0.grain == G_CENTURY ||
                                  t0.grain == G_SEASON || t0.grain == G_WEEK || t0.grain == G_WEEKEND)) {
      emit_tv(c, mstart, e0, &t0, r, TD_N_DATE); r->bound = (uint8_t)bound;
      if (mid && !bound && (t0.grain == G_MONTH || t0.grain == G_YEAR)) period_part(r, 'M');   /* "mid March" */
      /* "late tonight", "late last night": 21:00 to midnight */
      size_t n0 = strlen(r->timex);
      if (td_n_eq(c, k, "late") && !bound && t0.grain == G_PART && t0.part && !strcmp(t0.part, "NI") && n0 == 13 &&
          !strcmp(r->timex + 10, "TNI")) {
        char day[11];
        int y = 0, m = 0, d = 0;
        memcpy(day, r->timex, 10); day[10] = 0;
        if (!ymd_of(day, &y, &m, &d)) return e0;   /* "late Friday night" without a reference */
        tv a, b;
        tv_init(&a); a.grain = G_HOUR; a.hh = 21; a.y = y; a.m = m; a.d = d;
        b = a; b.hh = 0;
        civil_from_days(days_from_civil(y, m, d) + 1, &b.y, &b.m, &b.d);
        if (!r->timex_raw[0]) { sbuf s0 = { r->timex_raw, 0, sizeof r->timex_raw }; sb_put(&s0, r->timex); }
        sbuf s1 = { r->timex, 0, sizeof r->timex };
        r->timex[0] = 0;
        fmt_tv(&s1, &a); sb_put(&s1, "/"); fmt_tv(&s1, &b);
        r->kind = TD_N_RANGE; r->dim = "time";
      }
      return e0;
    }
  }
  /* "EOM", "the EOY": the end of this month, of this year */
  {
    size_t q = pk + (td_n_eq(c, pk, "the") ? 1 : 0);
    if ((td_n_eq(c, q, "eom") || td_n_eq(c, q, "eoy")) && c->a[q].cap == 2 && !td_n_adjacent(c, q + 1)) {
      tv t0; tv_init(&t0); t0.rel = 1;
      int y = td_n_eq(c, q, "eoy");
      t0.rel_unit = y ? TU_YEAR : TU_MONTH; t0.grain = y ? G_YEAR : G_MONTH;
      emit_tv(c, mstart, q + 1, &t0, r, TD_N_DATE); r->bound = (uint8_t)bound;
      if (!bound) period_part(r, 'E');
      return q + 1;
    }
  }
  if ((td_n_eq(c, pk, "the") && (td_n_eq(c, pk + 1, "end") || td_n_eq(c, pk + 1, "beginning") || td_n_eq(c, pk + 1, "start") || td_n_eq(c, pk + 1, "middle")) && td_n_eq(c, pk + 2, "of")) ||
      ((td_n_eq(c, pk, "end") || td_n_eq(c, pk, "beginning") || td_n_eq(c, pk, "start") || td_n_eq(c, pk, "middle")) && td_n_eq(c, pk + 1, "of"))) {
    size_t z = pk + (td_n_eq(c, pk, "the") ? 3 : 2);
    int n = 0, end = td_n_eq(c, z - 2, "end");
    int which = end ? 'E' : td_n_eq(c, z - 2, "middle") ? 'M' : 'B';
    /* "end of the month", "end of day", "end of year" */
    const td_lex *L0 = td_n_lex(c, z, L_TUNIT);
    if ((td_n_eq(c, z, "the") && td_n_lex(c, z + 1, L_TUNIT)) ||
        (L0 && !L0->val && (L0->sub == TU_DAY || L0->sub == TU_WEEK || L0->sub == TU_MONTH || L0->sub == TU_YEAR))) {
      if (!td_n_eq(c, z, "the")) z--;
      const td_lex *L = td_n_lex(c, z + 1, L_TUNIT);
      tv t0; tv_init(&t0); t0.rel = 1; t0.rel_n = 0; t0.rel_unit = L->sub;
      t0.grain = L->sub == TU_MONTH ? G_MONTH : L->sub == TU_YEAR ? G_YEAR : L->sub == TU_WEEK ? G_WEEK : G_DAY;
      if (L->sub == TU_WEEK) t0.rel_unit = TU_WEEK;
      if (L->sub == TU_DAY) t0.rel_unit = 0;
      if (L->sub == TU_DAY && end) { t0.hh = 23; t0.mi = 59; t0.ss = 59; t0.grain = G_SEC; }
      emit_tv(c, mstart, z + 2, &t0, r, TD_N_DATE); r->bound = (uint8_t)bound;
      if (!bound) period_part(r, which);
      return z + 2;
    }
    (void)n;
    tv t0; int kd;
    size_t e0 = point(c, z, &t0, &kd, 1);
    /* "the end of the following week", "the beginning of around next week" */
    if (!e0 && (td_n_eq(c, z, "the") || td_n_eq(c, z, "around") || td_n_eq(c, z, "about")) && is_word(c, z + 1))
      e0 = point(c, z + 1, &t0, &kd, 1);   /* not "the end of the 2003 season" */
    if (e0 && kd == TD_N_DATE) {
      /* "end of tomorrow", "end of this Sunday": its last second */
      if (end && t0.grain == G_DAY && t0.hh < 0) { t0.hh = 23; t0.mi = 59; t0.ss = 59; t0.grain = G_SEC; }
      emit_tv(c, mstart, e0, &t0, r, TD_N_DATE); r->bound = (uint8_t)bound;
      if (!bound && (t0.grain == G_YEAR || t0.grain == G_MONTH || t0.grain == G_WEEK)) period_part(r, which);
      return e0;
    }
  }
  tv t1;
  td_number a, b;
  /* a bare day before a full date takes its month: "from 13 to 15 July",
   * "23rd to 26th Oct", "between the 3rd and the 12th of Sept" */
  {
    size_t q = k, e1, z;
    int d1;
    if (td_n_eq(c, q, "the")) q++;
    if ((e1 = day_num(c, q, &d1, 1)) && !td_n_lex(c, e1, L_MONTH) && !td_n_eq(c, e1, "of")) {
      z = e1;
      int sep = (range_start == 2 && td_n_eq(c, z, "and")) || td_n_eq(c, z, "to") || td_n_eq(c, z, "until") ||
                td_n_eq(c, z, "till") || td_n_eq(c, z, "through") || td_n_eq(c, z, "thru") ||
                (dashlike(c, z) && (range_start || (td_n_adjacent(c, z) && td_n_adjacent(c, z + 1))));
      tv t2;
      size_t e2 = sep ? cal_date(c, z + 1, &t2, 1) : 0;
      if (e2 && t2.m && t2.d > d1 && t2.grain == G_DAY && !t2.nth && !t2.rel && (range_start || e1 > q + 1 || q > k || td_n_lex(c, z + 1, L_MONTH) == NULL)) {
        tv ta = t2;
        ta.d = d1; ta.wd = 0; t2.wd = 0;
        emit_tv(c, q, e1, &ta, &a, TD_N_DATE); emit_tv(c, z + 1, e2, &t2, &b, TD_N_DATE);
        memset(r, 0, sizeof *r);
        r->kind = TD_N_RANGE; r->dim = "time";
        r->start = c->a[range_start || bound ? mstart : k].s; r->end = c->a[e2 - 1].e;
        range_timex(r, &a, &b); r->bound = (uint8_t)bound;
        return e2;
      }
      /* "between 4 and 22 this month", "4 to 23 next month", "from 4-23 in next month" */
      int d2, dn;
      size_t de = sep ? day_num(c, z + 1, &d2, 1) : 0;
      if (de && d2 > d1) {
        size_t w = de;
        if (td_n_eq(c, w, "in") || td_n_eq(c, w, "of")) w++;
        if (td_n_eq(c, w, "the")) w++;
        if (deictic(c, w, &dn) && td_n_eq(c, w + 1, "month")) {
          tv ta, tb;
          tv_init(&ta);
          ta.rel = 1; ta.rel_unit = TU_MONTH; ta.rel_n = dn; ta.grain = G_DAY; ta.d = d1;
          tb = ta; tb.d = d2;
          emit_tv(c, q, e1, &ta, &a, TD_N_DATE); emit_tv(c, z + 1, w + 2, &tb, &b, TD_N_DATE);
          memset(r, 0, sizeof *r);
          r->kind = TD_N_RANGE; r->dim = "time";
          r->start = c->a[range_start || bound ? mstart : k].s; r->end = c->a[w + 1].e;
          range_timex(r, &a, &b); r->bound = (uint8_t)bound;
          return w + 2;
        }
      }
    }
  }
  /* time ranges: "5 to 6pm", "between 5 and 6 in the afternoon", "9:00-10:30", "1-3 pm" */
  {
    tv ta, tb;
    size_t ea = clock_time(c, k, &ta, 2);
    if (ea) {
      size_t z = ea;
      int sep = (range_start == 2 && td_n_eq(c, z, "and")) || td_n_eq(c, z, "to") || td_n_eq(c, z, "until") ||
                td_n_eq(c, z, "till") || dashlike(c, z);
      size_t eb = sep ? clock_time(c, z + 1, &tb, 2) : 0;
      /* said with minutes, am/pm, a part of the day or as military time ("0730-0930") */
      int marked_a = ea > k + 1 || (is_num(c, k) && ((c->a[k].sep & 4) || (c->a[k].nd == 4 && c->t[c->a[k].s] == '0')));
      int marked_b = eb > z + 2 || (eb && is_num(c, z + 1) && ((c->a[z + 1].sep & 4) || (c->a[z + 1].nd == 4 && c->t[c->a[z + 1].s] == '0')));
      /* unmarked hours with a day after them: "five to seven today", "between 7 and 9:30 last night" */
      int day_after = 0;
      if (eb && !marked_a && !marked_b && tb.hh > ta.hh) {   /* "won 3 to 1 yesterday" is a score */
        size_t zz = eb;
        tv d0;
        /* only deictic days: "3 to 5 on Monday" may well be a score */
        int hp;
        if (td_n_lex(c, zz, L_REL) || ((td_n_eq(c, zz, "last") || td_n_eq(c, zz, "this")) && (td_n_eq(c, zz + 1, "night") || part_word(c, zz + 1, &hp))))
          day_after = date_core(c, zz, &d0, 1) && d0.grain >= G_DAY;
      }
      if (eb && (marked_a || marked_b || day_after)) {
        int said_a = 0;   /* "10:30am to 23": the first side said am or pm */
        for (size_t q = k; q < ea; q++) { int pm0, h0; if (ampm(c, q, &pm0) || part_word(c, q, &h0)) said_a = 1; }
        /* "5 to 6pm" is 17-18; "2:30 to 2:15 pm" stays 02:30 (14:30 would end before it starts) */
        if (tb.hh >= 12 && ta.hh < 12 && (ta.hh + 12) * 60 + (ta.mi > 0 ? ta.mi : 0) <= tb.hh * 60 + (tb.mi > 0 ? tb.mi : 0) && !said_a)
          ta.hh += 12;
        /* "from 11 to 3am": an unmarked start after an end said "am" is the evening before */
        else if (!said_a && ta.hh < 12 && tb.hh < 12 && ta.hh > tb.hh) {
          int am_b = 0;
          for (size_t q = z + 1; q < eb; q++) { int pm0; if (ampm(c, q, &pm0) && !pm0) am_b = 1; }
          if (am_b) ta.hh += 12;
        }
        if (ta.tz == NULL) ta.tz = tb.tz;
        /* "10:30 to 3" is 15:00; "11 pm to 3" crosses midnight; "11:01 am to 11" is 23:00 */
        if (tb.hh < 12 && (eb == z + 2 || (tb.tz && !tb.tz[0] && eb == z + 3)) && tb.hh * 60 + (tb.mi > 0 ? tb.mi : 0) <= ta.hh * 60 + (ta.mi > 0 ? ta.mi : 0) &&
            (tb.hh + 12) * 60 > ta.hh * 60 + (ta.mi > 0 ? ta.mi : 0))
          tb.hh += 12;
        /* a date after it: "3:00 to 4:00 tomorrow", "from 10:30 to 3 on 1/1/2015" */
        size_t zz = eb;
        if (td_n_eq(c, zz, "on") || td_n_punct(c, zz, ',')) zz++;
        tv d;
        size_t de = date_core(c, zz, &d, 1);
        size_t end = eb;
        if (de && d.grain == G_PART && d.part && (!strcmp(d.part, "EV") || !strcmp(d.part, "NI") || !strcmp(d.part, "AF"))) {
          /* "between 7 and 9:30 last night": evening hours */
          if (ta.hh < 12 && ta.hh >= 1) ta.hh += 12;
          if (tb.hh < 12 && tb.hh >= 1) tb.hh += 12;
        }
        if (de && d.grain >= G_DAY) {
          d.part = NULL; if (d.grain == G_PART) d.grain = G_DAY;
          tv x = d, y = d;
          add_time(&x, &ta); add_time(&y, &tb);
          emit_tv(c, k, ea, &x, &a, TD_N_DATE); emit_tv(c, z + 1, eb, &y, &b, TD_N_DATE);
          end = de;
        } else {
          emit_tv(c, k, ea, &ta, &a, TD_N_TIME); emit_tv(c, z + 1, eb, &tb, &b, TD_N_TIME);
        }
        memset(r, 0, sizeof *r);
        r->kind = TD_N_RANGE; r->dim = "time";
        r->start = c->a[range_start || bound ? mstart : k].s; r->end = c->a[end - 1].e;
        range_timex(r, &a, &b); r->bound = (uint8_t)bound;
        return end;
      }
    }
  }
  e = point_r(c, k, &a, cue || range_start, &t1);
  if (!e) return 0;
  /* "from 2pm for 2 hours", "from 9 for 2.5 hrs": a time and how long */
  if (a.kind == TD_N_TIME && t1.hh >= 0 && !t1.tz && td_n_eq(c, e, "for") && range_start == 1) {
    td_number du;
    size_t de = td_n_duration(c, e + 1, &du);
    double hrs = 0;
    const char *x = du.timex;
    if (de && x[0] == 'P' && x[1] == 'T') {
      /* PT2H, PT2.5H, PT3H30M, PT90M */
      double v = 0, frac = 0, div = 0;
      for (x += 2; *x; x++) {
        if (*x >= '0' && *x <= '9') { if (div) { frac += (*x - '0') / div; div *= 10; } else v = v * 10 + (*x - '0'); }
        else if (*x == '.') div = 10;
        else if (*x == 'H') { hrs += v + frac; v = frac = div = 0; }
        else if (*x == 'M') { hrs += (v + frac) / 60; v = frac = div = 0; }
        else { hrs = 0; break; }
      }
    }
    long mins = lround(hrs * 60);
    if (mins > 0 && mins < 24 * 60) {
      long endm = (long)t1.hh * 60 + (t1.mi > 0 ? t1.mi : 0) + mins;
      tv tb = t1;
      tb.hh = (int)(endm / 60 % 24); tb.mi = (int)(endm % 60); tb.grain = tb.mi ? G_MIN : G_HOUR;
      emit_tv(c, e + 1, de, &tb, &b, TD_N_TIME);
      memset(r, 0, sizeof *r);
      r->kind = TD_N_RANGE; r->dim = "time";
      r->start = c->a[range_start || bound ? mstart : k].s; r->end = c->a[de - 1].e;
      range_timex(r, &a, &b); r->bound = (uint8_t)bound;
      return de;
    }
  }
  const char *day_part = NULL;   /* "this evening from 7 to 7:30": the hours are the evening's */
  /* a day, then the hours: "tomorrow between 8am and 2pm", "1/1/2015 between 10 and 11:30",
   * "Monday 8 to 9", "today before 4pm" */
  if (a.kind == TD_N_DATE && t1.grain == G_PART && t1.hh < 0 && a.timex[0]) {
    /* "yesterday afternoon from 3-8pm": the day takes the hours (re-written without its part) */
    size_t z = e + (td_n_punct(c, e, ',') ? 1 : 0);
    if (td_n_eq(c, z, "from") || td_n_eq(c, z, "between")) {
      tv t0 = t1;
      day_part = t1.part;
      t0.part = NULL; t0.grain = G_DAY;
      emit_tv(c, k, e, &t0, &a, TD_N_DATE);
      t1 = t0;
    }
  }
  if (a.kind == TD_N_DATE && t1.grain == G_DAY && t1.hh < 0 && a.timex[0] && !strchr(a.timex, 'T') && !range_start) {
    size_t z = e + (td_n_punct(c, e, ',') ? 1 : 0);
    td_number tr;
    size_t e3 = 0;
    if (z < c->na && (td_n_eq(c, z, "between") || td_n_eq(c, z, "from") || td_n_eq(c, z, "before") || td_n_eq(c, z, "after") ||
                      td_n_eq(c, z, "no") || td_n_eq(c, z, "later") || td_n_eq(c, z, "earlier") || td_n_eq(c, z, "prior") ||
                      td_n_eq(c, z, "by") || td_n_eq(c, z, "until") || is_num(c, z)))
      e3 = td_n_datetime(c, z, &tr);
    /* "Monday 11-4", "Monday 3-8": bare hours after a weekday */
    int h1, h2;
    if (t1.wd && !t1.m && plain_int(c, z, &h1, 2) && dashlike(c, z + 1) && td_n_adjacent(c, z + 1) && td_n_adjacent(c, z + 2) &&
        plain_int(c, z + 2, &h2, 2) && h1 >= 1 && h1 <= 12 && h2 >= 1 && h2 <= 12 && !is_num(c, z + 3) && !td_n_punct(c, z + 3, '/') &&
        !td_n_punct(c, z + 3, '-') && !is_word(c, z + 3)) {
      memset(&tr, 0, sizeof tr);
      tr.kind = TD_N_RANGE; tr.end = c->a[z + 2].e;
      sbuf bt = { tr.timex, 0, sizeof tr.timex };
      tv x, y;
      tv_init(&x); x.hh = h1; x.grain = G_HOUR;
      y = x; y.hh = h2 <= h1 ? h2 + 12 : h2;
      fmt_time(&bt, &x); sb_put(&bt, "/"); fmt_time(&bt, &y);
      e3 = z + 3;
    }
    const char *slash = e3 ? strchr(tr.timex, '/') : NULL;
    int range = e3 && tr.kind == TD_N_RANGE && tr.timex[0] == 'T' && slash && slash[1] == 'T';
    if (range && day_part && (!strcmp(day_part, "AF") || !strcmp(day_part, "EV") || !strcmp(day_part, "NI")) &&
        !hours_said_ampm(c, z, e3))
      pm_hours(tr.timex, !strcmp(day_part, "NI") ? 6 : 1);
    int single = e3 && tr.kind == TD_N_TIME && tr.timex[0] == 'T' && tr.bound;
    if (range || single) {
      char tx[sizeof r->timex];
      sbuf b = { tx, 0, sizeof tx };
      const char *raw = a.timex_raw[0] ? a.timex_raw : NULL;
      if (range) {
        size_t n1 = (size_t)(slash - tr.timex);
        char first[sizeof r->timex];
        memcpy(first, tr.timex, n1); first[n1] = 0;
        sb_put(&b, a.timex); sb_put(&b, first); sb_put(&b, "/"); sb_put(&b, a.timex); sb_put(&b, slash + 1);
      } else { sb_put(&b, a.timex); sb_put(&b, tr.timex); }
      int tbound = tr.bound;
      const char *tt = tr.timex;
      char rawx[sizeof r->timex_raw];
      rawx[0] = 0;
      if (raw && strlen(raw) * 2 + strlen(tt) < sizeof rawx) {
        sbuf b2 = { rawx, 0, sizeof rawx };
        if (range) {
          size_t n1 = (size_t)(slash - tr.timex);
          char first[sizeof r->timex];
          memcpy(first, tr.timex, n1); first[n1] = 0;
          sb_put(&b2, raw); sb_put(&b2, first); sb_put(&b2, "/"); sb_put(&b2, raw); sb_put(&b2, slash + 1);
        } else { sb_put(&b2, raw); sb_put(&b2, tt); }
      }
      *r = a;
      r->kind = range ? TD_N_RANGE : TD_N_DATE; r->dim = "time";
      r->end = tr.end;
      memcpy(r->timex, tx, sizeof r->timex);
      memcpy(r->timex_raw, rawx, sizeof r->timex_raw);
      r->bound = (uint8_t)(range ? TD_B_NONE : tbound);
      if (bound) { r->bound = (uint8_t)bound; r->start = c->a[mstart].s; }
      return e3;
    }
  }
  /* ranges: "from May to June", "between 3 and 12 of Sept", "March 3-5", "2011-2012", "5 to 6pm" */
  size_t z = e;
  int sep = 0;
  if (range_start == 2 && td_n_eq(c, z, "and")) sep = 1;
  else if (td_n_eq(c, z, "to") || td_n_eq(c, z, "until") || td_n_eq(c, z, "till") || td_n_eq(c, z, "through") || td_n_eq(c, z, "thru")) sep = 1;
  else if (dashlike(c, z)) sep = 1;
  else if (td_n_punct(c, z, '~') && td_n_adjacent(c, z) && td_n_adjacent(c, z + 1)) sep = 1;   /* "2014~2018" */
  if (sep) {
    tv t2;
    size_t e2 = point_r(c, z + 1, &b, 1, &t2);
    /* "from Nov to March", "between now and November 15th": an end before the start is next year's */
    if (e2 && !t2.y && t2.m && !t2.rel && b.timex[0] >= '0' && b.timex[0] <= '9' && a.timex[0] >= '0' && a.timex[0] <= '9' &&
        strcmp(b.timex, a.timex) < 0 && (t1.y == 0 || t1.rel)) {
      tv t3 = t2;
      char raw[sizeof b.timex_raw];
      memcpy(raw, b.timex_raw, sizeof raw);
      t3.y = (b.timex[0] - '0') * 1000 + (b.timex[1] - '0') * 100 + (b.timex[2] - '0') * 10 + (b.timex[3] - '0') + 1;
      emit_tv(c, z + 1, e2, &t3, &b, b.kind);
      if (strcmp(b.timex, a.timex) < 0) emit_tv(c, z + 1, e2, &t2, &b, b.kind);   /* still before: leave it */
      else memcpy(b.timex_raw, raw, sizeof raw);   /* as written: no year */
    }
    /* "between Jan 22 and now": a start without a year before "now" is this past one */
    if (e2 && t2.now && !t1.y && t1.m && !t1.rel && a.timex[0] >= '0' && a.timex[0] <= '9' && strncmp(a.timex, b.timex, 10) > 0) {
      tv t3 = t1;
      char raw[sizeof a.timex_raw];
      memcpy(raw, a.timex_raw, sizeof raw);
      t3.y = (a.timex[0] - '0') * 1000 + (a.timex[1] - '0') * 100 + (a.timex[2] - '0') * 10 + (a.timex[3] - '0') - 1;
      emit_tv(c, k, e, &t3, &a, a.kind);
      memcpy(a.timex_raw, raw, sizeof raw);   /* as written: no year */
    }
    /* "March 3-5": a bare day after a month-day */
    int d2;
    if (!e2 && t1.grain == G_DAY && t1.m && day_num(c, z + 1, &d2, 1) && d2 > t1.d) {
      tv t3 = t1; t3.d = d2;
      e2 = day_num(c, z + 1, &d2, 1);
      size_t yq; int y;
      if (td_n_punct(c, e2, ',')) { if ((yq = year_num(c, e2 + 1, &y))) { t1.y = y; t3.y = y; e2 = yq; emit_tv(c, k, e, &t1, &a, TD_N_DATE); } }
      else if ((yq = year_num(c, e2, &y))) { t1.y = y; t3.y = y; e2 = yq; emit_tv(c, k, e, &t1, &a, TD_N_DATE); }
      emit_tv(c, z + 1, e2, &t3, &b, TD_N_DATE);
      t2 = t3;
    }
    /* "Nov 18-Dec 19, 2015", "from May to Oct 2020": the first side takes the second's year */
    if (e2 && !t1.y && !t1.rel && t2.y && !t2.rel && t1.m && t2.m && t1.grain >= G_MONTH && t2.grain >= G_MONTH &&
        t1.grain != G_WEEK && t1.grain != G_WEEKEND) {
      t1.y = t1.m <= t2.m ? t2.y : t2.y - 1;
      emit_tv(c, k, e, &t1, &a, TD_N_DATE);
    }
    /* "3 to 12 of Sept", "5 to 6pm": the first side takes what the second has */
    if (!e2 && range_start) e2 = 0;
    if (e2 && (a.kind == b.kind || (a.kind == TD_N_TIME && b.kind == TD_N_DATE)) && a.timex[0] && b.timex[0]) {
      if (t1.grain == G_YEAR && t2.grain == G_YEAR && !(is_num(c, k) && is_num(c, z + 1))) {}
      memset(r, 0, sizeof *r);
      r->kind = TD_N_RANGE;
      r->start = c->a[range_start ? (bound ? mstart : k - 1) : mstart].s;
      if (!range_start && !bound) r->start = c->a[k].s;
      r->end = c->a[e2 - 1].e;
      range_timex(r, &a, &b);
      r->bound = (uint8_t)bound;
      r->dim = "time";
      return e2;
    }
    /* time range with am/pm on the second side: "5 to 6pm", "between 5 and 6 in the afternoon" */
    if (!e2 && (t1.grain == G_HOUR || t1.grain == G_MIN || is_num(c, k))) {
      tv tb;
      size_t e3 = clock_time(c, z + 1, &tb, 2);
      tv ta;
      size_t ea = clock_time(c, k, &ta, 2);
      if (e3 && ea) {
        if (tb.hh >= 12 && ta.hh < 12 && ta.hh + 12 <= tb.hh) ta.hh += 12;
        emit_tv(c, k, ea, &ta, &a, TD_N_TIME); emit_tv(c, z + 1, e3, &tb, &b, TD_N_TIME);
        memset(r, 0, sizeof *r); r->kind = TD_N_RANGE; r->dim = "time";
        r->start = c->a[range_start ? k - 1 : k].s; r->end = c->a[e3 - 1].e;
        if (bound) r->start = c->a[mstart].s;
        range_timex(r, &a, &b); r->bound = (uint8_t)bound;
        return e3;
      }
    }
  }
  if (range_start && !bound) {
    /* "from May" alone: keep "from" out of the text */
  }
  *r = a;
  if (bound) { r->bound = (uint8_t)bound; r->start = c->a[mstart].s; }
  /* "2012 or later", "1/1/2016 and later", "2018 or after", "or earlier" */
  if (a.kind == TD_N_DATE && (td_n_eq(c, e, "or") || td_n_eq(c, e, "and")) &&
      (td_n_eq(c, e + 1, "later") || td_n_eq(c, e + 1, "after") || td_n_eq(c, e + 1, "earlier") || td_n_eq(c, e + 1, "before")) &&
      !(is_word(c, e + 2) && (td_n_eq(c, e + 2, "than") || td_lex_date_word(c, e + 2))) && !is_num(c, e + 2)) {
    r->bound = (uint8_t)(td_n_eq(c, e + 1, "later") || td_n_eq(c, e + 1, "after") ? TD_B_GE : TD_B_LE);
    r->end = c->a[e + 1].e;
    return e + 2;
  }
  /* only durations and points with a cue or a solid shape are dates */
  return e;
}
