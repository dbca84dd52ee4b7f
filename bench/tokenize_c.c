/*
 * tokenize_c.c - the tidings core timed from C, with no Lua anywhere.
 *
 *   tokenize_c FILE BYTES [RUNS]   (build: see bench/Makefile.inc; links
 *                                   the core objects of csrc, without lua_*.c)
 *
 * Builds the benchmark text from FILE (bench.h, the same rule as run.lua)
 * and measures, each as the best of BENCH_RUNS runs (more for small inputs,
 * bench.h; exactly RUNS runs when given) on CLOCK_MONOTONIC:
 *
 *   td_tokenize            bytes -> tokens, into a fresh Doc each run
 *   td_tokenize+sentences  the same plus td_sentences (what analyze does)
 *   td_wb_next             the UAX #29 word segmenter walked to the end;
 *                          "tokens" are the segments not starting with
 *                          white space, comparable to ICU's count
 *
 * Memory comes from a counting allocator (the td_alloc contract, on
 * malloc): `doc_bytes` is what a finished Doc holds (tokens + sentences),
 * `doc_peak` the most it held at once while being built (a realloc counts
 * old and new block both).  ru_maxrss is reset after the text is built,
 * so `maxrss_kb` is the text plus the work.  Output: integer `key=value`
 * lines, times in nanoseconds.
 */
#include "bench.h"
#include "tidings.h"

typedef struct counting {
  size_t cur, peak;
} counting;

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  counting *c = (counting *)ud;
  size_t old = ptr ? osize : 0;  /* osize is a type tag when ptr is NULL */
  void *p;
  if (nsize == 0) {
    free(ptr);
    c->cur -= old;
    return NULL;
  }
  p = realloc(ptr, nsize);
  if (p == NULL) return NULL;
  if (c->cur + nsize > c->peak) c->peak = c->cur + nsize;
  c->cur = c->cur - old + nsize;
  return p;
}

static int is_space_at(const uint8_t *s, size_t len, size_t pos) {
  int32_t cp;
  uint8_t b = s[pos];
  if (b < 0x80) return b == ' ' || (b >= 0x09 && b <= 0x0D);
  if (td_utf8_decode(s + pos, len - pos, &cp) == 0) return 0;
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* One tokenize (+ sentences) run into a fresh Doc; returns TD_OK or an error. */
static int run_doc(const td_alloc *A, const char *text, size_t len, int sentences,
                   td_doc *d, uint64_t *best, uint64_t *best_cpu, uint64_t *spent) {
  size_t err_off = 0;
  bench_timer tm;
  int rc;
  td_doc_init(d, A, text, len);
  bench_start(&tm);
  rc = td_tokenize(d, NULL, &err_off);
  if (rc == TD_OK && sentences) rc = td_sentences(d);
  *spent += bench_stop(&tm, best, best_cpu);
  return rc;
}

int main(int argc, char **argv) {
  counting cnt = {0, 0};
  td_alloc A;
  td_doc d;
  char *text;
  size_t len, target, ntok = 0, nsent = 0, doc_bytes = 0, doc_peak = 0;
  uint64_t best_tok = UINT64_MAX, best_all = UINT64_MAX, best_wb = UINT64_MAX;
  uint64_t cpu_tok = UINT64_MAX, cpu_all = UINT64_MAX, cpu_wb = UINT64_MAX;
  uint64_t wb_segments = 0, wb_tokens = 0;
  long base_kb;
  uint64_t spent;
  int run, reset, fixed = 0;

  if ((argc != 3 && argc != 4) || (target = bench_parse_size(argv[2])) == 0 ||
      (argc == 4 && ((fixed = (int)bench_parse_size(argv[3])) <= 0 || fixed > BENCH_MAX_RUNS))) {
    fprintf(stderr, "usage: tokenize_c FILE BYTES [RUNS]\n");
    return 2;
  }
  if ((text = bench_load(argv[1], target, &len)) == NULL) return 1;
  reset = bench_reset_peak();
  base_kb = bench_rss_kb();
  A.f = counting_alloc;
  A.ud = &cnt;

  for (run = 0, spent = 0; bench_again_n(run, spent, fixed); run++) {
    if (run_doc(&A, text, len, 0, &d, &best_tok, &cpu_tok, &spent) != TD_OK) {
      fprintf(stderr, "tokenize_c: td_tokenize failed\n");
      return 1;
    }
    td_doc_free(&d);
  }

  for (run = 0, spent = 0; bench_again_n(run, spent, fixed); run++) {
    cnt.peak = cnt.cur;
    if (run_doc(&A, text, len, 1, &d, &best_all, &cpu_all, &spent) != TD_OK) {
      fprintf(stderr, "tokenize_c: td_tokenize/td_sentences failed\n");
      return 1;
    }
    ntok = d.ntok;
    nsent = d.nsent;
    doc_bytes = cnt.cur;
    doc_peak = cnt.peak;
    td_doc_free(&d);
  }

  for (run = 0, spent = 0; bench_again_n(run, spent, fixed); run++) {
    const uint8_t *s = (const uint8_t *)text;
    size_t pos = 0;
    uint64_t segs = 0, toks = 0;
    bench_timer tm;
    bench_start(&tm);
    while (pos < len) {
      size_t next = td_wb_next(s, len, pos);
      segs++;
      if (!is_space_at(s, len, pos)) toks++;
      if (next <= pos) {
        fprintf(stderr, "tokenize_c: td_wb_next did not advance at %zu\n", pos);
        return 1;
      }
      pos = next;
    }
    spent += bench_stop(&tm, &best_wb, &cpu_wb);
    wb_segments = segs;
    wb_tokens = toks;
  }

  printf("result tool=td_tokenize bytes=%zu ns=%llu cpu_ns=%llu tokens=%zu\n", len,
         (unsigned long long)best_tok, (unsigned long long)cpu_tok, ntok);
  printf("result tool=td_tokenize_sentences bytes=%zu ns=%llu cpu_ns=%llu tokens=%zu"
         " sentences=%zu doc_bytes=%zu doc_peak=%zu\n", len, (unsigned long long)best_all,
         (unsigned long long)cpu_all, ntok, nsent, doc_bytes, doc_peak);
  printf("result tool=td_wb_next bytes=%zu ns=%llu cpu_ns=%llu segments=%llu tokens=%llu\n",
         len, (unsigned long long)best_wb, (unsigned long long)cpu_wb,
         (unsigned long long)wb_segments, (unsigned long long)wb_tokens);
  printf("memory bytes=%zu base_kb=%ld maxrss_kb=%ld peak_reset=%d\n", len, base_kb,
         bench_maxrss_kb(), reset);
  printf("version tidings=%s unicode=%s\n", TD_VERSION, td_wb_unicode_version);
  free(text);
  return 0;
}
