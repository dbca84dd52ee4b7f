/*
 * numbers_c.c - the number pass timed from C, with no Lua: the profile
 * target for csrc/numbers.c.
 *
 *   numbers_c FILE [RUNS [DUMP]]
 *
 * FILE is cut at blank lines into blocks (as bench/numbers.lua does); each
 * block is tokenized and split into sentences, then td_numbers runs on it.
 * Prints the best of RUNS (default 3) CPU times of both parts.  With DUMP,
 * every result of the last run is written there, one a line (offsets in
 * the file, kind, bound, value as %.17g; the unit's and rate's span lengths
 * only where their flags say they are set, the other fields being
 * unspecified): diff two dumps to see what a change to the pass did.
 *
 *   gcc -std=c99 -O2 -g -Icsrc -o /tmp/numbers_c bench/numbers_c.c \
 *     $(ls csrc/[a-z]*.c | grep -v lua_) -lutf8proc -lpcre2-8 -lm
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tidings.h"

static void *plain_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud; (void)osize;
  if (nsize == 0) { free(ptr); return NULL; }
  return realloc(ptr, nsize);
}

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: numbers_c FILE [RUNS]\n"); return 2; }
  int runs = argc > 2 ? atoi(argv[2]) : 3;
  FILE *f = fopen(argv[1], "rb");
  if (!f) { fprintf(stderr, "numbers_c: cannot open %s\n", argv[1]); return 1; }
  size_t cap = 1 << 20, len = 0, got;
  char *text = malloc(cap);
  while (text && (got = fread(text + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) text = realloc(text, cap *= 2);
  }
  fclose(f);
  if (!text) return 1;
  /* blocks at blank lines */
  size_t nb = 0, capb = 1024, *bs = malloc(capb * sizeof *bs), *be = malloc(capb * sizeof *be);
  for (size_t p = 0; p < len;) {
    size_t e = p;
    while (e < len && !(text[e] == '\n' && e + 1 < len && text[e + 1] == '\n')) e++;
    if (e > p) {
      if (nb == capb) { capb *= 2; bs = realloc(bs, capb * sizeof *bs); be = realloc(be, capb * sizeof *be); }
      bs[nb] = p; be[nb] = e; nb++;
    }
    p = e + 2;
  }
  td_alloc A = { plain_alloc, NULL };
  td_numfilter filt;
  td_numfilter_init(&filt);
  td_numopts o;
  memset(&o, 0, sizeof o);
  o.filter = &filt;
  double best_a = 1e9, best_n = 1e9;
  size_t count = 0;
  FILE *dump = NULL;
  td_number *out = NULL;
  size_t nout = 0, capout = 0;
  for (int r = 0; r < runs; r++) {
    double ta = 0, tn = 0;
    if (r == runs - 1 && argc > 3 && (dump = fopen(argv[3], "w")) == NULL) return 1;
    count = 0;
    for (size_t b = 0; b < nb; b++) {
      td_doc d;
      size_t err = 0;
      double t0 = cpu_now();
      td_doc_init(&d, &A, text + bs[b], be[b] - bs[b]);
      if (td_tokenize(&d, NULL, &err) != TD_OK || td_sentences(&d) != TD_OK) return 1;
      double t1 = cpu_now();
      nout = 0;
      if (td_numbers(&d, &o, &out, &nout, &capout) != TD_OK) return 1;
      double t2 = cpu_now();
      count += nout;
      for (size_t k = 0; dump && k < nout; k++)
        fprintf(dump, "%zu %zu %s %s %.17g %.17g %.17g %s %s %s %u %u %.*s\n", bs[b] + out[k].start, bs[b] + out[k].end,
                td_numkind_names[out[k].kind], td_bound_names[out[k].bound], out[k].value, out[k].low,
                out[k].high, out[k].timex[0] ? out[k].timex : "-", out[k].unit ? out[k].unit : "-",
                out[k].per ? out[k].per : "-",
                (out[k].flags & TD_NF_UNIT_SPAN) ? out[k].unit_end - out[k].unit_start : 0,
                (out[k].flags & TD_NF_PER_SPAN) ? out[k].per_end - out[k].per_start : 0, (int)(out[k].end - out[k].start),
                text + bs[b] + out[k].start);
      ta += t1 - t0; tn += t2 - t1;
      td_doc_free(&d);
    }
    if (ta < best_a) best_a = ta;
    if (tn < best_n) best_n = tn;
  }
  free(out);
  if (dump) fclose(dump);
  printf("%zu blocks, %.1f MB: tokenize+sentences %.3f s; td_numbers %.3f s (+%.0f%%); %zu results\n",
         nb, (double)len / 1e6, best_a, best_n, 100 * best_n / best_a, count);
  free(bs); free(be); free(text);
  return 0;
}
