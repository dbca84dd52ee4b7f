/*
 * pattern.c - user rules: PCRE2 regular expressions that mark entities.
 *
 * Each pattern is compiled once (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, JIT
 * when available) and all patterns share one match-data block sized for the
 * largest, reused for every match (lrexlib's way).  A set belongs to one
 * tagger and is not for concurrent use.
 */
#include <stdio.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include "tidings.h"

typedef struct pat {
  pcre2_code *code;
  int type;
  int jit;
} pat;

struct td_patterns {
  td_alloc A;
  pat *p;
  size_t n, cap;
  pcre2_match_data *md;
  uint32_t ovec;             /* pairs in md */
  pcre2_general_context *gc;
};

static void *pcre_alloc(PCRE2_SIZE size, void *ud) {
  /* PCRE2 frees without telling the size: keep it in a header */
  td_alloc *A = (td_alloc *)ud;
  size_t *p = (size_t *)A->f(A->ud, NULL, 0, size + sizeof(size_t) * 2);
  if (p == NULL) return NULL;
  p[0] = size + sizeof(size_t) * 2;
  return p + 2;
}

static void pcre_free(void *ptr, void *ud) {
  td_alloc *A = (td_alloc *)ud;
  size_t *p;
  if (ptr == NULL) return;
  p = (size_t *)ptr - 2;
  A->f(A->ud, p, p[0], 0);
}

int td_patterns_new(const td_alloc *A, td_patterns **out) {
  td_patterns *ps = (td_patterns *)A->f(A->ud, NULL, 0, sizeof *ps);
  *out = NULL;
  if (ps == NULL) return TD_ENOMEM;
  memset(ps, 0, sizeof *ps);
  ps->A = *A;
  ps->gc = pcre2_general_context_create(pcre_alloc, pcre_free, &ps->A);
  if (ps->gc == NULL) { A->f(A->ud, ps, sizeof *ps, 0); return TD_ENOMEM; }
  *out = ps;
  return TD_OK;
}

void td_patterns_free(td_patterns *ps) {
  size_t i;
  td_alloc A;
  if (ps == NULL) return;
  A = ps->A;
  for (i = 0; i < ps->n; i++) pcre2_code_free(ps->p[i].code);
  td_free(&A, ps->p, ps->cap * sizeof(pat));
  if (ps->md) pcre2_match_data_free(ps->md);
  pcre2_general_context_free(ps->gc);
  A.f(A.ud, ps, sizeof *ps, 0);
}

size_t td_patterns_count(const td_patterns *ps) { return ps ? ps->n : 0; }

int td_patterns_add(td_patterns *ps, const char *src, size_t len, int type,
                    char *err, size_t errsz) {
  int ec, rc;
  PCRE2_SIZE eoff;
  pcre2_code *code;
  pcre2_compile_context *cc;
  uint32_t ncap;
  void *arr = ps->p;
  if (td_grow(&ps->A, &arr, &ps->cap, ps->n + 1, sizeof(pat)) != TD_OK) return TD_ENOMEM;
  ps->p = (pat *)arr;
  cc = pcre2_compile_context_create(ps->gc);
  if (cc == NULL) return TD_ENOMEM;
  code = pcre2_compile((PCRE2_SPTR)src, len, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &eoff, cc);
  pcre2_compile_context_free(cc);
  if (code == NULL) {
    PCRE2_UCHAR msg[200];
    if (pcre2_get_error_message(ec, msg, sizeof msg) < 0) strcpy((char *)msg, "unknown error");
    if (err && errsz)
      snprintf(err, errsz, "%s at offset %lu", (const char *)msg, (unsigned long)eoff + 1);
    return ec == PCRE2_ERROR_NOMEMORY ? TD_ENOMEM : TD_EDATA;
  }
  ps->p[ps->n].code = code;
  ps->p[ps->n].type = type;
  ps->p[ps->n].jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
  ps->n++;
  rc = pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ncap);
  if (rc == 0 && (ps->md == NULL || ncap + 1 > ps->ovec)) {
    pcre2_match_data *md = pcre2_match_data_create(ncap + 1, ps->gc);
    if (md == NULL) return TD_ENOMEM;   /* the pattern stays; the old md too */
    if (ps->md) pcre2_match_data_free(ps->md);
    ps->md = md;
    ps->ovec = ncap + 1;
  }
  return TD_OK;
}

int td_patterns_run(td_patterns *ps, const char *text, size_t len,
                    int (*cb)(void *ud, size_t start, size_t end, int type), void *ud) {
  size_t i;
  if (ps == NULL || ps->n == 0) return TD_OK;
  for (i = 0; i < ps->n; i++) {
    PCRE2_SIZE off = 0;
    while (off <= len) {
      PCRE2_SIZE *ov;
      int rc = ps->p[i].jit
        ? pcre2_jit_match(ps->p[i].code, (PCRE2_SPTR)text, len, off, 0, ps->md, NULL)
        : pcre2_match(ps->p[i].code, (PCRE2_SPTR)text, len, off, 0, ps->md, NULL);
      if (rc == PCRE2_ERROR_NOMATCH) break;
      if (rc == PCRE2_ERROR_NOMEMORY) return TD_ENOMEM;
      if (rc < 0) break;   /* match limits: the rest of this pattern is skipped */
      ov = pcre2_get_ovector_pointer(ps->md);
      if (ov[1] > ov[0]) {
        int r = cb(ud, ov[0], ov[1], ps->p[i].type);
        if (r != TD_OK) return r;
        off = ov[1];
      } else {
        /* an empty match: step one code point on */
        off = ov[1] + 1;
        while (off < len && ((unsigned char)text[off] & 0xC0) == 0x80) off++;
      }
    }
  }
  return TD_OK;
}
