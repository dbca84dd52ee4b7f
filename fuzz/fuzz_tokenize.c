/*
 * libFuzzer target: tokenizer, sentence splitter and UAX #29 segmenter over
 * arbitrary bytes.  Checks the invariants the Lua API promises: tokens are
 * ordered, non-empty, inside the text and never overlap; sentences cover
 * the tokens in order; word segments tile the text exactly.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  td_alloc A = { fuzz_alloc, NULL };
  td_doc d;
  td_opts o = { 0, 1 };
  size_t i, off = 0, pos = 0;
  uint32_t prev_end = 0;

  if (size > 0) o.split_hyphens = data[0] & 1;
  td_doc_init(&d, &A, (const char *)data, size);
  CHECK(td_tokenize(&d, &o, &off) == TD_OK);
  CHECK(td_sentences(&d) == TD_OK);
  for (i = 0; i < d.ntok; i++) {
    CHECK(d.tok[i].start < d.tok[i].end);
    CHECK(d.tok[i].end <= size);
    CHECK(d.tok[i].start >= prev_end);
    CHECK(d.tok[i].kind < TD_NKINDS);
    prev_end = d.tok[i].end;
  }
  for (i = 0; i < d.nsent; i++) {
    CHECK(d.sent[i].first < d.sent[i].last && d.sent[i].last <= d.ntok);
    CHECK(i == 0 || d.sent[i].first == d.sent[i - 1].last);
  }
  CHECK(d.nsent == 0 || d.sent[d.nsent - 1].last == d.ntok);
  td_doc_free(&d);

  /* strict mode agrees with the validator */
  o.strict = 1;
  td_doc_init(&d, &A, (const char *)data, size);
  {
    int rc = td_tokenize(&d, &o, &off);
    size_t bad = td_utf8_first_invalid(data, size);
    CHECK((rc == TD_EUTF8) == (bad < size));
    if (rc == TD_EUTF8) CHECK(off == bad);
  }
  td_doc_free(&d);

  while (pos < size) {
    size_t next = td_wb_next(data, size, pos);
    CHECK(next > pos && next <= size);
    pos = next;
  }
  return 0;
}
