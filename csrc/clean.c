/*
 * clean.c - boilerplate lines out, article body in.
 *
 * Web-scraped articles carry more than the article: bylines, "4 Min Read",
 * author avatars, share and subscribe widgets, "Related Posts", comment
 * forms, and sometimes the headline and lede twice (a teaser block before
 * the article proper).  td_clean works line by line:
 *
 *  1. rules: each non-blank line, trimmed, is matched against the rules in
 *     order (PCRE2, compiled once per cleaner, JIT when available, one
 *     match-data block reused); the first rule that matches removes the line
 *     and names the reason.  The built-in rules are the table `defaults`
 *     below (td_cleaner_default_*); users add their own.
 *  2. structure (optional):
 *       repeated  a line seen again among the first lines of the text: the
 *                 first copy and every line up to the second are a teaser
 *                 (000_*.txt repeats its headline and lede);
 *       kicker    a one- or two-word first line over a headline ("International");
 *       author    a short line without final punctuation, between the
 *                 headline and the first paragraph, next to a removed line
 *                 (the name beside "By", "4 Min Read", "Liam Avatar");
 *       trailer   short lines without final punctuation after the last
 *                 paragraph (tags, category labels).
 *  3. body: the kept lines, trimmed, joined by "\n\n" where the text had a
 *     blank or a removed line between them and "\n" otherwise, with one
 *     segment per kept line mapping body offsets back to the text.
 *
 * Removed spans and segments are in offsets of the original text; a span is
 * the trimmed line.  PCRE2_UTF | PCRE2_MATCH_INVALID_UTF: invalid UTF-8 never
 * matches as a character and never fails a match; NUL bytes are ordinary.
 */
#include <string.h>
#include <stdio.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "tidings.h"

/* The built-in rules.  Matched against a trimmed line of at most
 * DEFAULT_MAXLEN bytes; most are anchored at both ends so only lines that
 * are nothing but the widget go. */
#define DEFAULT_MAXLEN 200
#define MATCH_LIMIT 1000000  /* pcre2_set_match_limit: per line and rule */
static const struct { const char *name, *pcre; } defaults[] = {
  {"byline", "^(?i:by|written by|words by|reporting by|story by)\\s*:?"
             "(?:\\s+\\p{Lu}[\\p{L}.'\\x{2019}-]*(?:\\s*(?:,|and|&)?\\s+\\p{Lu}[\\p{L}.'\\x{2019}-]*){0,5})?$"},
  {"avatar", "^(?i)[\\p{L}\\p{M} .'\\x{2019}-]{1,60}\\s+avatar$"},
  {"read-time", "^(?i)\\d{1,3}\\s*(?:min(?:ute)?s?)\\.?\\s+read$"},
  {"related", "^(?i)(?:related(?:\\s+(?:posts?|articles?|stories|news|content|coverage|reading))?"
              "|read\\s+(?:also|more|next)|also\\s+read|see\\s+also|more\\s+from\\s+\\S.*"
              "|you\\s+may\\s+also\\s+like|recommended(?:\\s+for\\s+you)?)(?:\\s*[:\\x{2013}\\x{2014}-].*)?$"},
  {"comments", "^(?i)(?:leave\\s+a\\s+(?:comment|reply)|post\\s+a\\s+comment|add\\s+a\\s+comment"
               "|\\d+\\s+comments?|comments?|cancel\\s+reply|join\\s+the\\s+conversation"
               "|your\\s+email\\s+address\\s+will\\s+not\\s+be\\s+published.*"
               "|required\\s+fields\\s+are\\s+marked.*)$"},
  {"share", "^(?i)(?:share(?:\\s+(?:this|on|via)(?:\\s+\\S+){0,3})?|tweet|pin\\s+it|email|print"
            "|copy\\s+link|whatsapp|facebook|twitter|linkedin|telegram|reddit)$"},
  {"subscribe", "^(?i)(?:subscribe\\b.*|sign\\s+up\\b.*|follow\\s+us\\b.*|discover\\s+more\\s+from\\b.*"
                "|continue\\s+reading|get\\s+access\\s+to\\b.*|join\\s+our\\s+newsletter\\b.*|newsletter)$"},
  {"author-box", "^(?i)(?:about\\s+the\\s+author|\\+\\s*posts|posts|author|editor"
                 "|more\\s+by\\s+this\\s+author|view\\s+all\\s+posts\\b.*)$"},
  {"source", "^(?i)source\\s*:\\s*\\S.{0,60}$"},
  {"copyright", "^(?i)(?:\\x{00A9}|\\(c\\)\\s|copyright\\b).*$|(?i)all\\s+rights\\s+reserved\\.?$"},
  {"advert", "^(?i)(?:advertisement|advertisements|sponsored(?:\\s+content)?|ad|promoted)$"},
  {"tags", "^(?i)(?:tags?|filed\\s+under|categories|category|topics?)\\s*:.*$"},
  {"image-credit", "^(?i)(?:photo|image|picture|photograph)(?:\\s+credit)?\\s*:.*$"},
};
#define NDEFAULTS (sizeof defaults / sizeof defaults[0])

const char *const td_clean_structural[TD_CUT_NSTRUCT] = {"repeated", "kicker", "author", "trailer"};

typedef struct cline {
  uint32_t start, end;   /* trimmed, end exclusive; start == end: blank */
  uint32_t words;
  int reason;            /* 0 keep; >0 rule index + 1; <0 structural */
  uint8_t terminal;      /* ends in . ! ? … or a closing quotation mark */
} cline;

typedef struct rule {
  char *name;
  size_t namelen;
  pcre2_code *re;
  size_t maxlen;   /* longest line the rule is tried on (0: any) */
} rule;

struct td_cleaner {
  td_alloc A;
  pcre2_general_context *gc;
  pcre2_compile_context *cc;
  pcre2_match_data *md;
  pcre2_match_context *mc;
  rule *r;
  size_t n, cap;
  int structure;
  /* scratch for td_clean, reused */
  struct cline *lines;
  size_t clines;
};

/* ---- PCRE2 memory through the host allocator ----------------------------- */

#define HDR 16  /* keeps the block's size; 16 keeps malloc's alignment */

static void *pc_malloc(PCRE2_SIZE n, void *ud) {
  td_alloc *A = (td_alloc *)ud;
  unsigned char *p;
  if (n > (PCRE2_SIZE)-1 - HDR) return NULL;
  p = (unsigned char *)A->f(A->ud, NULL, 0, n + HDR);
  if (!p) return NULL;
  memcpy(p, &n, sizeof n);
  return p + HDR;
}

static void pc_free(void *ptr, void *ud) {
  td_alloc *A = (td_alloc *)ud;
  unsigned char *p;
  PCRE2_SIZE n;
  if (!ptr) return;
  p = (unsigned char *)ptr - HDR;
  memcpy(&n, p, sizeof n);
  A->f(A->ud, p, n + HDR, 0);
}

/* ---- the cleaner ---------------------------------------------------------- */

int td_cleaner_new(const td_alloc *A, int with_defaults, td_cleaner **out) {
  td_cleaner *c = (td_cleaner *)A->f(A->ud, NULL, 0, sizeof *c);
  size_t i;
  *out = NULL;
  if (!c) return TD_ENOMEM;
  memset(c, 0, sizeof *c);
  c->A = *A;
  c->structure = 1;
  c->gc = pcre2_general_context_create(pc_malloc, pc_free, &c->A);
  if (c->gc) c->cc = pcre2_compile_context_create(c->gc);
  if (c->cc) c->md = pcre2_match_data_create(1, c->gc);
  if (c->md) c->mc = pcre2_match_context_create(c->gc);
  if (!c->mc) { td_cleaner_free(c); return TD_ENOMEM; }
  /* a user's pattern that backtracks wildly gives up on a line (no match)
   * instead of taking the process down */
  pcre2_set_match_limit(c->mc, MATCH_LIMIT);
  pcre2_set_depth_limit(c->mc, MATCH_LIMIT / 10);
  if (with_defaults) {
    for (i = 0; i < NDEFAULTS; i++) {
      char err[160];
      int rc = td_cleaner_add(c, defaults[i].name, strlen(defaults[i].name), defaults[i].pcre,
                              strlen(defaults[i].pcre), err, sizeof err);
      if (rc != TD_OK) { td_cleaner_free(c); return rc; }
      c->r[c->n - 1].maxlen = DEFAULT_MAXLEN;
    }
  }
  *out = c;
  return TD_OK;
}

void td_cleaner_free(td_cleaner *c) {
  size_t i;
  td_alloc A;
  if (!c) return;
  A = c->A;
  for (i = 0; i < c->n; i++) {
    pcre2_code_free(c->r[i].re);
    td_free(&A, c->r[i].name, c->r[i].namelen + 1);
  }
  td_free(&A, c->r, c->cap * sizeof *c->r);
  td_free(&A, c->lines, c->clines * sizeof(*c->lines));
  pcre2_match_data_free(c->md);
  pcre2_match_context_free(c->mc);
  pcre2_compile_context_free(c->cc);
  pcre2_general_context_free(c->gc);
  td_free(&A, c, sizeof *c);
}

void td_cleaner_set_structure(td_cleaner *c, int on) { c->structure = on != 0; }
size_t td_cleaner_count(const td_cleaner *c) { return c->n; }

const char *td_cleaner_rule(const td_cleaner *c, size_t i, size_t *len) {
  if (i >= c->n) return NULL;
  if (len) *len = c->r[i].namelen;
  return c->r[i].name;
}

size_t td_cleaner_default_count(void) { return NDEFAULTS; }
const char *td_cleaner_default(size_t i, const char **pcre) {
  if (i >= NDEFAULTS) return NULL;
  if (pcre) *pcre = defaults[i].pcre;
  return defaults[i].name;
}

int td_cleaner_add(td_cleaner *c, const char *name, size_t nlen, const char *pat, size_t plen,
                   char *err, size_t errsz) {
  int ec = 0;
  PCRE2_SIZE eoff = 0;
  pcre2_code *re;
  rule *r;
  if (td_grow(&c->A, (void **)&c->r, &c->cap, c->n + 1, sizeof *c->r)) return TD_ENOMEM;
  re = pcre2_compile((PCRE2_SPTR)pat, plen, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_UCP,
                     &ec, &eoff, c->cc);
  if (!re) {
    PCRE2_UCHAR msg[120];
    if (ec == PCRE2_ERROR_NOMEMORY) return TD_ENOMEM;
    if (pcre2_get_error_message(ec, msg, sizeof msg) < 0) strcpy((char *)msg, "error");
    if (err && errsz)
      snprintf(err, errsz, "%s at offset %lu", (const char *)msg, (unsigned long)eoff + 1);
    return TD_EDATA;
  }
  (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  /* the interpreter when JIT is absent */
  r = &c->r[c->n];
  r->name = (char *)c->A.f(c->A.ud, NULL, 0, nlen + 1);
  if (!r->name) { pcre2_code_free(re); return TD_ENOMEM; }
  memcpy(r->name, name, nlen);
  r->name[nlen] = 0;
  r->namelen = nlen;
  r->re = re;
  r->maxlen = 0;
  c->n++;
  return TD_OK;
}

/* ---- output --------------------------------------------------------------- */

void td_clean_out_init(td_clean_out *o, const td_alloc *A) {
  memset(o, 0, sizeof *o);
  o->A = *A;
}

void td_clean_out_free(td_clean_out *o) {
  td_free(&o->A, o->body, o->bcap);
  td_free(&o->A, o->cut, o->ccut * sizeof *o->cut);
  td_free(&o->A, o->seg, o->cseg * sizeof *o->seg);
  o->body = NULL;
  o->cut = NULL;
  o->seg = NULL;
  o->blen = o->bcap = o->ncut = o->ccut = o->nseg = o->cseg = 0;
}

/* ---- lines ----------------------------------------------------------------- */

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int terminal_end(const unsigned char *s, size_t a, size_t b) {
  unsigned char c;
  if (b == a) return 0;
  c = s[b - 1];
  if (c == '.' || c == '!' || c == '?' || c == '"' || c == ')' || c == '*') return 1;
  if (b - a >= 3 && s[b - 3] == 0xE2 && s[b - 2] == 0x80 &&
      (c == 0xA6 || c == 0x9D || c == 0x99))  /* … ” ’ */
    return 1;
  return 0;
}

static uint32_t count_words(const unsigned char *s, size_t a, size_t b) {
  uint32_t n = 0;
  int in = 0;
  size_t i;
  for (i = a; i < b; i++) {
    if (is_space(s[i])) in = 0;
    else if (!in) { in = 1; n++; }
  }
  return n;
}

/* The same line text, or the earlier one cut short with "…" / "...". */
static int same_line(const unsigned char *s, const cline *x, const cline *y) {
  size_t lx = x->end - x->start, ly = y->end - y->start;
  if (lx == ly) return memcmp(s + x->start, s + y->start, lx) == 0;
  if (lx > 3 && lx < ly) {
    size_t cut = lx;
    if (s[x->start + lx - 1] == '.' && s[x->start + lx - 2] == '.' && s[x->start + lx - 3] == '.') cut = lx - 3;
    else if (s[x->start + lx - 3] == 0xE2 && s[x->start + lx - 2] == 0x80 && s[x->start + lx - 1] == 0xA6)
      cut = lx - 3;
    else return 0;
    while (cut > 0 && is_space(s[x->start + cut - 1])) cut--;
    return cut >= 20 && memcmp(s + x->start, s + y->start, cut) == 0;
  }
  return 0;
}

#define REPEAT_WINDOW 12   /* non-blank lines in which a repeat counts */

static void structure(const unsigned char *s, cline *L, size_t n) {
  size_t i, j, first = (size_t)-1, first_prose = (size_t)-1, last_prose = (size_t)-1;
  size_t seen = 0, second = 0;
  /* repeated headline + lede: the first copy (one of the first two lines:
   * a kicker may come first) and the lines up to the second */
  for (j = 0; j < n && seen < REPEAT_WINDOW; j++) {
    if (L[j].start == L[j].end) continue;
    if (seen < 2) second = j;
    seen++;
    if (L[j].reason || L[j].words < 3) continue;
    for (i = 0; i < j; i++) {
      if (L[i].reason || L[i].start == L[i].end) continue;
      if (same_line(s, &L[i], &L[j])) break;
    }
    if (i < j && i <= second) {
      size_t k;
      for (k = i; k < j; k++)
        if (!L[k].reason && L[k].start != L[k].end) L[k].reason = -1 - TD_CUT_REPEATED;
      break;
    }
  }
  for (i = 0; i < n; i++) {
    if (L[i].reason || L[i].start == L[i].end) continue;
    if (first == (size_t)-1) first = i;
    if ((L[i].words >= 8 && L[i].terminal) || L[i].words >= 20) {
      if (first_prose == (size_t)-1) first_prose = i;
      last_prose = i;
    }
  }
  if (first == (size_t)-1) return;
  /* kicker: "International" over the headline */
  if (L[first].words <= 2 && !L[first].terminal) {
    for (j = first + 1; j < n; j++)
      if (!L[j].reason && L[j].start != L[j].end) break;
    if (j < n && j != first_prose && L[j].words >= 3 && !L[j].terminal) {
      L[first].reason = -1 - TD_CUT_KICKER;
      first = j;
    }
  }
  /* author names between the headline and the first paragraph */
  if (first_prose != (size_t)-1) {
    for (i = first + 1; i < first_prose; i++) {
      size_t p, q;
      int near_removed = 0;
      if (L[i].reason || L[i].start == L[i].end || L[i].words > 4 || L[i].terminal) continue;
      for (p = i; p-- > 0;)
        if (L[p].start != L[p].end) { near_removed = L[p].reason > 0; break; }
      for (q = i + 1; q < n && !near_removed; q++)
        if (L[q].start != L[q].end) { near_removed = L[q].reason > 0; break; }
      if (near_removed) L[i].reason = -1 - TD_CUT_AUTHOR;
    }
  }
  /* trailer: labels after the last paragraph */
  if (last_prose != (size_t)-1) {
    for (i = last_prose + 1; i < n; i++)
      if (!L[i].reason && L[i].start != L[i].end && L[i].words <= 8 && !L[i].terminal)
        L[i].reason = -1 - TD_CUT_TRAILER;
  }
}

static int put_body(td_clean_out *o, const char *p, size_t n) {
  if (td_grow(&o->A, (void **)&o->body, &o->bcap, o->blen + n + 1, 1)) return TD_ENOMEM;
  memcpy(o->body + o->blen, p, n);
  o->blen += n;
  o->body[o->blen] = 0;
  return TD_OK;
}

int td_clean(td_cleaner *c, const char *text, size_t len, td_clean_out *o) {
  const unsigned char *s = (const unsigned char *)text;
  size_t n = 0, pos = 0, i, r, prev_kept = (size_t)-1;
  cline *L;
  o->blen = o->ncut = o->nseg = 0;
  if (len > TD_MAX_TEXT) return TD_ETOOBIG;
  if (put_body(o, "", 0)) return TD_ENOMEM;
  /* split into lines (a final "\n" leaves an empty last line: blank) */
  while (len > 0) {
    const unsigned char *nl = (const unsigned char *)memchr(s + pos, '\n', len - pos);
    size_t e = nl ? (size_t)(nl - s) : len, a = pos, b = e;
    while (a < b && is_space(s[a])) a++;
    while (b > a && is_space(s[b - 1])) b--;
    if (td_grow(&c->A, (void **)&c->lines, &c->clines, n + 1, sizeof *c->lines)) return TD_ENOMEM;
    L = c->lines;
    L[n].start = (uint32_t)a;
    L[n].end = (uint32_t)b;
    L[n].words = count_words(s, a, b);
    L[n].terminal = (uint8_t)terminal_end(s, a, b);
    L[n].reason = 0;
    n++;
    if (!nl) break;
    pos = e + 1;
  }
  L = c->lines;
  /* rules */
  for (i = 0; i < n; i++) {
    size_t ll = L[i].end - L[i].start;
    if (ll == 0) continue;
    for (r = 0; r < c->n; r++) {
      int rc;
      if (c->r[r].maxlen && ll > c->r[r].maxlen) continue;
      rc = pcre2_match(c->r[r].re, (PCRE2_SPTR)(s + L[i].start), ll, 0, 0, c->md, c->mc);
      if (rc >= 0) { L[i].reason = (int)r + 1; break; }
      if (rc == PCRE2_ERROR_NOMEMORY) return TD_ENOMEM;
      /* other errors (match limits) count as no match */
    }
  }
  if (c->structure) structure(s, L, n);
  /* removed spans, body and segments */
  for (i = 0; i < n; i++) {
    if (L[i].start == L[i].end) continue;
    if (L[i].reason) {
      td_cut *k;
      if (td_grow(&o->A, (void **)&o->cut, &o->ccut, o->ncut + 1, sizeof *o->cut)) return TD_ENOMEM;
      k = &o->cut[o->ncut++];
      k->start = L[i].start;
      k->end = L[i].end;
      k->reason = L[i].reason;
      continue;
    }
    if (prev_kept != (size_t)-1) {
      size_t j;
      int para = 0;
      for (j = prev_kept + 1; j < i; j++)
        if (L[j].start == L[j].end || L[j].reason) para = 1;
      if (put_body(o, para ? "\n\n" : "\n", para ? 2 : 1)) return TD_ENOMEM;
    }
    if (td_grow(&o->A, (void **)&o->seg, &o->cseg, o->nseg + 1, sizeof *o->seg)) return TD_ENOMEM;
    o->seg[o->nseg].body = (uint32_t)o->blen;
    o->seg[o->nseg].start = L[i].start;
    o->seg[o->nseg].end = L[i].end;
    o->nseg++;
    if (put_body(o, text + L[i].start, L[i].end - L[i].start)) return TD_ENOMEM;
    prev_kept = i;
  }
  return TD_OK;
}

const char *td_clean_reason(const td_cleaner *c, int reason, size_t *len) {
  if (reason > 0 && (size_t)reason <= c->n) {
    if (len) *len = c->r[reason - 1].namelen;
    return c->r[reason - 1].name;
  }
  if (reason < 0 && -reason - 1 < TD_CUT_NSTRUCT) {
    const char *s = td_clean_structural[-reason - 1];
    if (len) *len = strlen(s);
    return s;
  }
  if (len) *len = 0;
  return "";
}

size_t td_clean_to_original(const td_clean_out *o, size_t body_off) {
  size_t lo = 0, hi = o->nseg;
  if (o->nseg == 0) return 0;
  while (lo < hi) {  /* last segment with body <= body_off */
    size_t mid = (lo + hi) / 2;
    if (o->seg[mid].body <= body_off) lo = mid + 1; else hi = mid;
  }
  if (lo == 0) return o->seg[0].start;
  lo--;
  {
    size_t d = body_off - o->seg[lo].body, n = o->seg[lo].end - o->seg[lo].start;
    if (d > n) d = n;  /* inside a separator: the end of the line before */
    return o->seg[lo].start + d;
  }
}
