/*
 * fuzz_tokenize_simd.c - libFuzzer target: the tokenizer's 64-byte block
 * path against the scalar scanner alone (td_tokenize_reference).
 *
 * The block path must only ever take tokens the scalar scanner would give
 * identically, so for every input both must produce the same tokens (span,
 * kind, flags) and the same sentences, with and without hyphen splitting.
 * Each input is also tried behind a prefix of 0-63 spaces or letters, which
 * moves every byte across the block edges (the path anchors a block at the
 * current position, so edges fall wherever the tokens put them).
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

static void same(const char *text, size_t len, int split_hyphens) {
  td_alloc A = { fuzz_alloc, NULL };
  td_opts o = { 0, 1 };
  td_doc a, b;
  size_t ea = 0, eb = 0;
  int ra, rb;
  o.split_hyphens = split_hyphens;
  td_doc_init(&a, &A, text, len);
  td_doc_init(&b, &A, text, len);
  ra = td_tokenize(&a, &o, &ea);
  rb = td_tokenize_reference(&b, &o, &eb);
  CHECK(ra == TD_OK && rb == TD_OK);
  CHECK(td_sentences(&a) == TD_OK && td_sentences(&b) == TD_OK);
  CHECK(a.ntok == b.ntok && a.nsent == b.nsent);
  CHECK(a.ntok == 0 || memcmp(a.tok, b.tok, a.ntok * sizeof(td_token)) == 0);
  CHECK(a.nsent == 0 || memcmp(a.sent, b.sent, a.nsent * sizeof(td_sentence)) == 0);
  td_doc_free(&a);
  td_doc_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *buf;
  size_t shift, k;
  if (size == 0) return 0;
  /* first byte: the prefix length and whether it is spaces or letters */
  shift = data[0] & 63;
  buf = malloc(shift + size);
  if (buf == NULL) return 0;
  for (k = 0; k < shift; k++) buf[k] = (data[0] & 64) ? 'a' + (char)(k % 26) : ' ';
  memcpy(buf + shift, data + 1, size - 1);
  same(buf + shift, size - 1, data[0] >> 7);
  same(buf, shift + size - 1, !(data[0] >> 7));
  free(buf);
  return 0;
}
