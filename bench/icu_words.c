/*
 * icu_words.c - ICU's word BreakIterator as a baseline for tidings' tokenizer.
 *
 *   icu_words FILE BYTES     (build: see bench/Makefile.inc)
 *
 * Builds the benchmark text from FILE (bench.h), then measures, each as the
 * best of BENCH_RUNS runs (more for small inputs, bench.h) on CLOCK_MONOTONIC:
 *
 *   icu_convert   UTF-8 -> UTF-16 (u_strFromUTF8WithSub, U+FFFD for bad bytes)
 *   icu_words     ubrk_open(UBRK_WORD, "en") over that UTF-16 buffer:
 *                 setText + first/next to the end, with getRuleStatus for
 *                 every segment (the conversion is NOT included)
 *   icu_words_utext  the same iterator over the UTF-8 bytes through
 *                 utext_openUTF8 (ICU converts on the fly, nothing before)
 *
 * Counts per segment: all segments; word segments (rule status outside
 * [UBRK_WORD_NONE, UBRK_WORD_NONE_LIMIT): letters, numbers, kana, ideographs);
 * and "tokens", the segments that do not start with white space - the
 * closest thing to tidings' tokens (words plus punctuation and symbols).
 *
 * The iterator is opened once, outside the timings (it loads its rules).
 * Peak memory is ru_maxrss after the work, with the peak reset after the
 * text was built (bench.h), so it counts the text plus ICU's buffers.
 * Output: `result key=value ...` lines with integers only.
 */
#include "bench.h"

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/uversion.h>

typedef struct counts {
  uint64_t segments, words, tokens;
} counts;

static int is_space_unit(UChar32 c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  return u_isUWhiteSpace(c);
}

/* Walk every boundary of an iterator whose text is already set.  `first`
 * gives the first code point of a segment starting at a boundary. */
static void walk_utf16(UBreakIterator *bi, const UChar *u, int32_t ulen, counts *c) {
  int32_t prev = ubrk_first(bi), pos;
  c->segments = c->words = c->tokens = 0;
  while ((pos = ubrk_next(bi)) != UBRK_DONE) {
    UChar32 ch;
    int32_t k = prev;
    c->segments++;
    if (ubrk_getRuleStatus(bi) >= UBRK_WORD_NONE_LIMIT) c->words++;
    U16_NEXT(u, k, ulen, ch);
    if (!is_space_unit(ch)) c->tokens++;
    prev = pos;
  }
}

/* Over UTF-8, boundaries are byte offsets into the text. */
static void walk_utf8(UBreakIterator *bi, const char *s, int32_t len, counts *c) {
  int32_t prev = ubrk_first(bi), pos;
  c->segments = c->words = c->tokens = 0;
  while ((pos = ubrk_next(bi)) != UBRK_DONE) {
    UChar32 ch;
    int32_t k = prev;
    c->segments++;
    if (ubrk_getRuleStatus(bi) >= UBRK_WORD_NONE_LIMIT) c->words++;
    U8_NEXT(s, k, len, ch);
    if (ch < 0 || !is_space_unit(ch)) c->tokens++;
    prev = pos;
  }
}

int main(int argc, char **argv) {
  UErrorCode st = U_ZERO_ERROR;
  UBreakIterator *bi;
  UText *ut = NULL;
  UVersionInfo ver;
  char vers[U_MAX_VERSION_STRING_LENGTH];
  char *text;
  UChar *u;
  size_t len, target;
  int32_t ulen = 0;
  uint64_t best_conv = UINT64_MAX, best_brk = UINT64_MAX, best_ut = UINT64_MAX;
  uint64_t cpu_conv = UINT64_MAX, cpu_brk = UINT64_MAX, cpu_ut = UINT64_MAX;
  bench_timer tm;
  counts c16 = {0, 0, 0}, c8 = {0, 0, 0};
  long base_kb;
  uint64_t spent;
  int run, reset;

  if (argc != 3 || (target = bench_parse_size(argv[2])) == 0) {
    fprintf(stderr, "usage: icu_words FILE BYTES\n");
    return 2;
  }
  if ((text = bench_load(argv[1], target, &len)) == NULL) return 1;
  if (len > (size_t)INT32_MAX - 1) {
    fprintf(stderr, "icu_words: %zu bytes is more than ICU's int32 lengths allow\n", len);
    return 1;
  }
  reset = bench_reset_peak();
  base_kb = bench_rss_kb();

  u = malloc((len + 1) * sizeof(UChar));  /* UTF-16 never needs more units than UTF-8 bytes */
  bi = ubrk_open(UBRK_WORD, "en", NULL, 0, &st);
  if (u == NULL || U_FAILURE(st)) {
    fprintf(stderr, "icu_words: setup failed: %s\n", u == NULL ? "out of memory" : u_errorName(st));
    return 1;
  }

  for (run = 0, spent = 0; bench_again(run, spent); run++) {
    st = U_ZERO_ERROR;
    bench_start(&tm);
    u_strFromUTF8WithSub(u, (int32_t)len + 1, &ulen, text, (int32_t)len, 0xFFFD, NULL, &st);
    spent += bench_stop(&tm, &best_conv, &cpu_conv);
    if (U_FAILURE(st)) {
      fprintf(stderr, "icu_words: u_strFromUTF8WithSub: %s\n", u_errorName(st));
      return 1;
    }
  }

  for (run = 0, spent = 0; bench_again(run, spent); run++) {
    st = U_ZERO_ERROR;
    bench_start(&tm);
    ubrk_setText(bi, u, ulen, &st);
    if (U_FAILURE(st)) {
      fprintf(stderr, "icu_words: ubrk_setText: %s\n", u_errorName(st));
      return 1;
    }
    walk_utf16(bi, u, ulen, &c16);
    spent += bench_stop(&tm, &best_brk, &cpu_brk);
  }

  for (run = 0, spent = 0; bench_again(run, spent); run++) {
    st = U_ZERO_ERROR;
    bench_start(&tm);
    ut = utext_openUTF8(ut, text, (int64_t)len, &st);
    if (U_SUCCESS(st)) ubrk_setUText(bi, ut, &st);
    if (U_FAILURE(st)) {
      fprintf(stderr, "icu_words: utext_openUTF8/ubrk_setUText: %s\n", u_errorName(st));
      return 1;
    }
    walk_utf8(bi, text, (int32_t)len, &c8);
    spent += bench_stop(&tm, &best_ut, &cpu_ut);
  }

  u_getVersion(ver);
  u_versionToString(ver, vers);
  printf("result tool=icu_convert bytes=%zu ns=%llu cpu_ns=%llu units=%ld\n", len,
         (unsigned long long)best_conv, (unsigned long long)cpu_conv, (long)ulen);
  printf("result tool=icu_words bytes=%zu ns=%llu cpu_ns=%llu segments=%llu words=%llu"
         " tokens=%llu\n", len, (unsigned long long)best_brk, (unsigned long long)cpu_brk,
         (unsigned long long)c16.segments, (unsigned long long)c16.words,
         (unsigned long long)c16.tokens);
  printf("result tool=icu_words_utext bytes=%zu ns=%llu cpu_ns=%llu segments=%llu words=%llu"
         " tokens=%llu\n", len, (unsigned long long)best_ut, (unsigned long long)cpu_ut,
         (unsigned long long)c8.segments, (unsigned long long)c8.words,
         (unsigned long long)c8.tokens);
  printf("memory bytes=%zu base_kb=%ld maxrss_kb=%ld peak_reset=%d\n", len, base_kb,
         bench_maxrss_kb(), reset);
  printf("version icu=%s\n", vers);

  utext_close(ut);
  ubrk_close(bi);
  free(u);
  free(text);
  return 0;
}
