/*
 * fuzz_numbers.c - libFuzzer target for numbers.c and numbers_dates.c
 * (make fuzz).
 *
 * Arbitrary bytes through td_tokenize + td_sentences + td_numbers, with and
 * without a reference date (taken from the first input byte), and once more
 * as plain text (a doc without tokens).  Checks what doc:numbers() promises:
 * results are inside the text, ordered by start, do not overlap, have a
 * known kind and bound, unit/per spans inside the text, NUL-terminated timex
 * strings; the same input gives the same results.
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

static void check_numbers(const td_number *r, size_t n, size_t size) {
  for (size_t i = 0; i < n; i++) {
    CHECK(r[i].start < r[i].end && r[i].end <= size);
    CHECK(i == 0 || r[i - 1].end <= r[i].start);
    CHECK(r[i].kind < TD_N_NKINDS && r[i].bound < 7);
    if (r[i].flags & TD_NF_UNIT_SPAN) CHECK(r[i].unit_start <= r[i].unit_end && r[i].unit_end <= size);
    if (r[i].flags & TD_NF_PER_SPAN) CHECK(r[i].per_start <= r[i].per_end && r[i].per_end <= size);
    if (r[i].flags & TD_NF_PROD_SPAN) CHECK(r[i].end <= r[i].prod_start && r[i].prod_start < r[i].prod_end && r[i].prod_end <= size);
    CHECK(memchr(r[i].timex, 0, sizeof r[i].timex) != NULL);
    CHECK(memchr(r[i].timex_raw, 0, sizeof r[i].timex_raw) != NULL);
  }
}

static td_numfilter filter;   /* read-only after the first call */
static int filter_ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  td_alloc A = { fuzz_alloc, NULL };
  td_doc d;
  td_opts o = { 0, 1 };
  td_numopts no;
  td_number *out = NULL, *out2 = NULL;
  size_t n = 0, cap = 0, n2 = 0, cap2 = 0, off = 0;
  if (!filter_ready) { td_numfilter_init(&filter); filter_ready = 1; }
  memset(&no, 0, sizeof no);
  no.filter = &filter;
  if (size > 0 && (data[0] & 1)) { no.ref_y = 2025; no.ref_m = 5; no.ref_d = 16; no.future = data[0] & 2; }
  if (size > 0) no.relative = (data[0] & 4) != 0;   /* relative ordinals too */
  td_doc_init(&d, &A, (const char *)data, size);
  CHECK(td_tokenize(&d, &o, &off) == TD_OK);
  CHECK(td_sentences(&d) == TD_OK);
  CHECK(td_numbers(&d, &no, &out, &n, &cap) == TD_OK);
  check_numbers(out, n, size);
  CHECK(td_numbers(&d, &no, &out2, &n2, &cap2) == TD_OK);
  CHECK(n == n2);
  for (size_t i = 0; i < n; i++)
    CHECK(out[i].start == out2[i].start && out[i].end == out2[i].end && out[i].kind == out2[i].kind);
  td_doc_free(&d);
  /* no tokens: read as plain text */
  n2 = 0;
  td_doc_init(&d, &A, (const char *)data, size);
  CHECK(td_numbers(&d, &no, &out2, &n2, &cap2) == TD_OK);
  check_numbers(out2, n2, size);
  td_doc_free(&d);
  free(out);
  free(out2);
  return 0;
}
