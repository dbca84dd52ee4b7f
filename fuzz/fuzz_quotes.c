/*
 * fuzz_quotes.c - libFuzzer target for quotes.c and clean.c (make fuzz).
 *
 * Arbitrary bytes through td_tokenize + td_quotes_find (without entities, and
 * with entity spans made from the input) and through td_clean (built-in
 * rules, plus a user rule made from the input's first bytes).  Checks what
 * the Lua API promises: quotations are ordered, inside the text, their words
 * inside their marks, speaker spans inside the text; the cleaned body is
 * exactly its segments, the segments and removed lines are ordered and in
 * range; the same input gives the same output.
 */
#include <stdlib.h>
#include <string.h>

#include "tidings.h"

static void *fuzz_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud; (void)osize;
  if (nsize == 0) { free(ptr); return NULL; }
  return realloc(ptr, nsize);
}

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void check_quotes(const td_quotes *r, size_t size, size_t nents) {
  size_t i;
  for (i = 0; i < r->n; i++) {
    const td_quote *q = &r->q[i];
    CHECK(q->open < q->start && q->start < q->end && q->end <= q->close && q->close <= size);
    CHECK(i == 0 || r->q[i - 1].close <= q->open);
    CHECK(q->spk_start <= q->spk_end && q->spk_end <= size);
    CHECK(q->name_start <= q->name_end && q->name_end <= size);
    CHECK(q->cue_start <= q->cue_end && q->cue_end <= size);
    CHECK((q->spk_end > q->spk_start) == (q->name_end > q->name_start));
    CHECK(q->how < TD_QH_NHOW && q->kind < TD_SPK_NKINDS);
    CHECK(q->ent == -1 || (q->ent >= 0 && (size_t)q->ent < nents));
  }
}

static void run_quotes(const uint8_t *data, size_t size) {
  td_alloc A = { fuzz_alloc, NULL };
  td_doc d;
  td_opts o = { 0, 1 };
  td_quotes r;
  td_qent ents[8];
  size_t off = 0, i, n1, nents = 0;
  td_doc_init(&d, &A, (const char *)data, size);
  CHECK(td_tokenize(&d, &o, &off) == TD_OK);
  CHECK(td_sentences(&d) == TD_OK);
  td_quotes_init(&r, &A);
  CHECK(td_quotes_find(&r, &d, NULL, 0) == TD_OK);
  check_quotes(&r, size, 0);
  n1 = r.n;
  /* the same doc again, scratch reused: the same quotations */
  CHECK(td_quotes_find(&r, &d, NULL, 0) == TD_OK);
  CHECK(r.n == n1);
  /* entity spans on token boundaries, chosen by the input */
  for (i = 0; i < d.ntok && nents < 8; i += 1 + (data[d.tok[i].start] & 7)) {
    size_t last = i + (data[d.tok[i].start] & 3);
    if (last >= d.ntok) last = d.ntok - 1;
    ents[nents].start = d.tok[i].start;
    ents[nents].end = d.tok[last].end;
    ents[nents].type = (int32_t)(data[d.tok[i].start] % 5);  /* 4: out of range, must be ignored */
    ents[nents].canon = (int32_t)nents - 1;
    nents++;
  }
  CHECK(td_quotes_find(&r, &d, ents, nents) == TD_OK);
  check_quotes(&r, size, nents);
  td_quotes_free(&r);
  td_quotes_free(&r);
  td_doc_free(&d);
}

static void check_clean(const td_clean_out *o, size_t size, const uint8_t *data) {
  size_t i, pos = 0;
  CHECK(o->body[o->blen] == 0);
  for (i = 0; i < o->nseg; i++) {
    const td_seg *g = &o->seg[i];
    CHECK(g->start < g->end && g->end <= size);
    CHECK(i == 0 || o->seg[i - 1].end <= g->start);
    CHECK(g->body >= pos && g->body + (g->end - g->start) <= o->blen);
    CHECK(memcmp(o->body + g->body, data + g->start, g->end - g->start) == 0);
    CHECK(td_clean_to_original(o, g->body) == g->start);
    pos = g->body + (g->end - g->start);
  }
  CHECK(pos == o->blen);
  for (i = 0; i < o->ncut; i++) {
    CHECK(o->cut[i].start < o->cut[i].end && o->cut[i].end <= size);
    CHECK(i == 0 || o->cut[i - 1].end <= o->cut[i].start);
  }
}

static void run_clean(const uint8_t *data, size_t size) {
  static td_cleaner *dflt;  /* the harness's own: built once, like a host would */
  td_alloc A = { fuzz_alloc, NULL };
  td_clean_out o, o2;
  td_cleaner *user = NULL;
  char err[200];
  if (!dflt) CHECK(td_cleaner_new(&A, 1, &dflt) == TD_OK);
  td_clean_out_init(&o, &A);
  td_clean_out_init(&o2, &A);
  CHECK(td_clean(dflt, (const char *)data, size, &o) == TD_OK);
  check_clean(&o, size, data);
  CHECK(td_clean(dflt, (const char *)data, size, &o2) == TD_OK);
  CHECK(o.blen == o2.blen && memcmp(o.body, o2.body, o.blen) == 0 && o.ncut == o2.ncut);
  /* a user rule from the first bytes (up to the first newline, 32 bytes) */
  CHECK(td_cleaner_new(&A, 0, &user) == TD_OK);
  {
    size_t plen = 0;
    int rc;
    while (plen < size && plen < 32 && data[plen] != '\n') plen++;
    rc = td_cleaner_add(user, "user", 4, (const char *)data, plen, err, sizeof err);
    CHECK(rc == TD_OK || rc == TD_EDATA);
    td_cleaner_set_structure(user, size & 1);
    CHECK(td_clean(user, (const char *)data, size, &o) == TD_OK);
    check_clean(&o, size, data);
  }
  td_cleaner_free(user);
  td_clean_out_free(&o);
  td_clean_out_free(&o);
  td_clean_out_free(&o2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  run_quotes(data, size);
  run_clean(data, size);
  return 0;
}
