/*
 * fuzz_model.c - libFuzzer target for the NER model file and tagger (model.c).
 *
 * A small valid model is trained once.  Each input then
 *   1. is loaded as a model file as it is;
 *   2. patches the valid model (4-byte offset, then replacement bytes), is
 *      truncated at a point the input chooses, and gets its CRC-32 fixed, so
 *      the structural checks behind the checksum are reached too;
 * and every model that loads tags the input as text.  Checks: loading never
 * crashes and fails with TD_EDATA (or TD_ENOMEM); labels are valid BILOU
 * sequences; the same input tags the same way twice.
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

static const td_alloc A = {fuzz_alloc, NULL};

/* labels[a..b) form valid BILOU spans of one type each, inside the range. */
static void check_bilou(const td_model *m, const uint16_t *labels, size_t a, size_t b) {
  int open = 0, ty = -1;
  for (size_t i = a; i < b; i++) {
    int l = labels[i], p = td_model_label_pos(m, l), t = td_model_label_type(m, l);
    CHECK(l >= 0 && l < td_model_nlabels(m));
    if (open) CHECK((p == TD_POS_I || p == TD_POS_L) && t == ty);
    else CHECK(p == TD_POS_O || p == TD_POS_B || p == TD_POS_U);
    open = p == TD_POS_B || p == TD_POS_I;
    ty = t;
  }
  CHECK(!open);
}

static uint8_t *good;   /* the valid model, made once */
static size_t ngood;

static uint32_t crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

static void make_doc(td_doc *d, const char *text, size_t len) {
  td_opts o = {0, 1};
  size_t off = 0;
  td_doc_init(d, &A, text, len);
  if (td_tokenize(d, &o, &off) == TD_OK) td_sentences(d);
}

static void make_good(void) {
  static const char *texts[] = {
    "Vladimir Putin met Donald Trump in Istanbul .",
    "Reuters said the European Union met in Moscow .",
  };
  static const char *types[] = {"PER", "LOC", "ORG", "MISC"};
  td_train_opts o = {"fuzz", 4, types, 16, 2, 1};
  td_trainer *t;
  CHECK(td_trainer_new(&A, &o, &t, NULL, 0) == TD_OK);
  uint32_t ids[2] = {3, 7};
  CHECK(td_trainer_cluster(t, (const uint8_t *)"Putin", 5, ids) == TD_OK);
  for (int i = 0; i < 2; i++) {
    td_doc d;
    make_doc(&d, texts[i], strlen(texts[i]));
    uint16_t lab[64] = {0};
    if (i == 0) { lab[0] = 1; lab[1] = 3; lab[3] = 1; lab[4] = 3; lab[6] = 8; }
    else { lab[0] = 12; lab[3] = 9; lab[4] = 11; lab[7] = 8; }
    uint16_t hist[64] = {0};   /* a prediction history, so the model tags in two passes */
    for (size_t k = 0; k < d.ntok && k < 64; k++) hist[k] = (uint16_t)(k % 3 ? 1u << (k % 4) : 0x8000u);
    for (size_t s = 0; s < d.nsent; s++) {
      size_t a = d.sent[s].first, b = d.sent[s].last;
      td_trainer_add(t, &d, a, b, NULL, lab + a);  /* TD_EDATA if the cut breaks BILOU */
      td_trainer_add_hist(t, &d, a, b, NULL, hist, lab + a);
    }
    td_doc_free(&d);
  }
  for (int e = 0; e < 3; e++) CHECK(td_trainer_epoch(t, NULL) == TD_OK);
  CHECK(td_trainer_save(t, 0, &good, &ngood) == TD_OK);
  td_trainer_free(t);
}

static void tag_with(const td_model *m, const uint8_t *data, size_t size) {
  td_doc d;
  make_doc(&d, (const char *)data, size);
  uint16_t *lab = malloc((d.ntok + 1) * sizeof *lab), *lab2 = malloc((d.ntok + 1) * sizeof *lab2);
  uint32_t *gaz = malloc((d.ntok + 1) * sizeof *gaz);
  CHECK(lab && lab2 && gaz);
  for (size_t i = 0; i < d.ntok; i++) gaz[i] = (uint32_t)(data[i % (size ? size : 1)] * 2654435761u);
  td_model_scratch s;
  td_model_scratch_init(&s, &A);
  for (int pass = 0; pass < 2; pass++) {
    uint16_t *out = pass ? lab2 : lab;
    size_t nsent = d.nsent ? d.nsent : 1;
    for (size_t k = 0; k < nsent; k++) {
      size_t a = d.nsent ? d.sent[k].first : 0, b = d.nsent ? d.sent[k].last : d.ntok;
      if (b <= a) continue;
      CHECK(td_model_tag(m, &s, &d, a, b, pass ? gaz : NULL, out + a) == TD_OK);
      check_bilou(m, out, a, b);
    }
  }
  /* the whole document, both passes when the model has the history */
  CHECK(td_model_tag_doc(m, &s, &d, gaz, lab) == TD_OK);
  for (size_t k = 0; k < (d.nsent ? d.nsent : 1); k++) {
    size_t a = d.nsent ? d.sent[k].first : 0, b = d.nsent ? d.sent[k].last : d.ntok;
    check_bilou(m, lab, a, b);
  }
  if (d.ntok) CHECK(td_model_history(m, &s, &d, lab, lab2) == TD_OK);
  td_model_scratch_free(&s);
  free(lab); free(lab2); free(gaz);
  td_doc_free(&d);
}

static void try_load(const uint8_t *bytes, size_t n, const uint8_t *data, size_t size) {
  td_model *m = NULL;
  char err[160];
  int rc = td_model_load(&A, bytes, n, &m, err, sizeof err);
  if (rc == TD_OK) {
    CHECK(m != NULL);
    tag_with(m, data, size);
    td_model_free(m);
  } else {
    CHECK(m == NULL && (rc == TD_EDATA || rc == TD_ENOMEM));
    CHECK(rc != TD_EDATA || err[0] != 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!good) make_good();
  try_load(data, size, data, size);
  if (size >= 5) {
    size_t off = ((size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16) % ngood;
    size_t cut = ngood - (data[3] % 2 ? (size_t)data[4] % 64 : 0);
    uint8_t *p = malloc(ngood + 4);
    CHECK(p);
    memcpy(p, good, ngood);
    for (size_t i = 5; i < size && off + i - 5 < ngood; i++) p[off + i - 5] = data[i];
    if (cut >= 12) {
      uint32_t c = crc32(p, cut - 4);
      p[cut - 4] = (uint8_t)c; p[cut - 3] = (uint8_t)(c >> 8);
      p[cut - 2] = (uint8_t)(c >> 16); p[cut - 1] = (uint8_t)(c >> 24);
    }
    try_load(p, cut, data + 5, size - 5);
    free(p);
  }
  return 0;
}
