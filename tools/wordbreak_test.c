/*
 * wordbreak_test.c - conformance test and benchmark for td_wb_next.
 *
 *   cc -O2 -Icsrc -o /tmp/wordbreak_test tools/wordbreak_test.c csrc/wordbreak.c
 *   /tmp/wordbreak_test [WordBreakTest.txt] [-b FILE [-r REPEAT]]
 *
 * Runs every line of the Unicode conformance file (default
 * /usr/share/unicode/auxiliary/WordBreakTest.txt), then checks of its own:
 * invalid UTF-8, NUL bytes, segments of pseudo-random bytes always tiling
 * the input, and a differential test against the literal reference in
 * fuzz/wordbreak_ref.h on random strings drawn from every Word_Break value
 * (and invalid bytes).  With -b it times td_wb_next over FILE.
 * Exit status 0 when every check passes.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tidings.h"
#include "../fuzz/wordbreak_ref.h"

#define MAXB 64

static size_t encode(uint8_t *out, unsigned long cp) {
  if (cp < 0x80) { out[0] = (uint8_t)cp; return 1; }
  if (cp < 0x800) {
    out[0] = (uint8_t)(0xC0 | (cp >> 6));
    out[1] = (uint8_t)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (uint8_t)(0xE0 | (cp >> 12));
    out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (uint8_t)(0xF0 | (cp >> 18));
  out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (uint8_t)(0x80 | (cp & 0x3F));
  return 4;
}

/* All boundaries after 0, into b[]; returns their number (or MAXB + 1). */
static size_t segment(const uint8_t *s, size_t len, size_t *b) {
  size_t n = 0, pos = 0;
  while (pos < len) {
    size_t next = td_wb_next(s, len, pos);
    if (next <= pos || next > len || n == MAXB) return MAXB + 1;
    b[n++] = pos = next;
  }
  return n;
}

static void print_list(const char *what, const size_t *b, size_t n) {
  size_t i;
  fprintf(stderr, "  %s:", what);
  for (i = 0; i < n; i++) fprintf(stderr, " %zu", b[i]);
  fputc('\n', stderr);
}

/* Returns the number of failing lines; *total gets the number of tests. */
static int run_conformance(const char *path, int *total) {
  char line[4096];
  int lineno = 0, fails = 0;
  FILE *f = fopen(path, "rb");
  *total = 0;
  if (!f) {
    perror(path);
    return -1;
  }
  while (fgets(line, sizeof line, f)) {
    uint8_t text[1024];
    size_t len = 0, want[MAXB], nwant = 0, got[MAXB], ngot;
    char *p = line, *hash = strchr(line, '#');
    lineno++;
    if (hash) *hash = '\0';
    for (;;) {
      while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
      if (!*p) break;
      if (!strncmp(p, "\xC3\xB7", 2)) {          /* ÷ break */
        if (len > 0 && nwant < MAXB) want[nwant++] = len;
        p += 2;
      } else if (!strncmp(p, "\xC3\x97", 2)) {   /* × no break */
        p += 2;
      } else {
        char *end;
        unsigned long cp = strtoul(p, &end, 16);
        if (end == p || cp > 0x10FFFF || len + 4 > sizeof text) {
          fprintf(stderr, "%s:%d: cannot parse\n", path, lineno);
          fclose(f);
          return -1;
        }
        len += encode(text + len, cp);
        p = end;
      }
    }
    if (len == 0) continue;
    (*total)++;
    if (wbref_boundaries(text, len, got, MAXB) != nwant || memcmp(got, want, nwant * sizeof *want)) {
      fprintf(stderr, "%s:%d: the reference implementation fails\n", path, lineno);
      fails++;
      continue;
    }
    ngot = segment(text, len, got);
    if (ngot != nwant || memcmp(got, want, nwant * sizeof *want) != 0) {
      if (fails < 20) {
        fprintf(stderr, "%s:%d: FAIL\n", path, lineno);
        print_list("want", want, nwant);
        print_list("got ", got, ngot > MAXB ? 0 : ngot);
      }
      fails++;
    }
  }
  fclose(f);
  return fails;
}

static int check(const char *name, const char *text, size_t len, const size_t *want, size_t nwant) {
  size_t got[MAXB], ngot = segment((const uint8_t *)text, len, got);
  if (ngot == nwant && memcmp(got, want, nwant * sizeof *want) == 0) return 0;
  fprintf(stderr, "self-check '%s': FAIL\n", name);
  print_list("want", want, nwant);
  print_list("got ", got, ngot > MAXB ? 0 : ngot);
  return 1;
}

static int run_self_checks(void) {
  int fails = 0;
  uint32_t seed = 12345;
  int round;
  {
    static const size_t w[] = {1, 2, 5};
    fails += check("invalid bytes", "\xff\xfe" "abc", 5, w, 3);
  }
  {
    static const size_t w[] = {1, 2, 3, 4};
    fails += check("NUL bytes", "a\0\0b", 4, w, 4);
  }
  {
    /* a truncated 3-byte sequence before a letter: each byte stands alone */
    static const size_t w[] = {1, 2, 3};
    fails += check("truncated sequence", "\xe2\x80" "a", 3, w, 3);
  }
  {
    static const size_t w[] = {5, 6};
    fails += check("apostrophe", "can't.", 6, w, 2);
  }
  {
    static const size_t w[] = {3, 4, 5, 6, 11};
    fails += check("numbers", "3.5 x 1,000", 11, w, 5);
  }
  {
    /* man ZWJ woman ZWJ girl: one segment; then two flags */
    static const char s[] = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"
                            "\xF0\x9F\x87\xBA\xF0\x9F\x87\xA6\xF0\x9F\x87\xB7\xF0\x9F\x87\xBA";
    static const size_t w[] = {18, 26, 34};
    fails += check("emoji", s, sizeof s - 1, w, 3);
  }
  /* Pseudo-random bytes biased towards UTF-8 lead and continuation bytes:
   * the boundaries must rise strictly and end at the length. */
  for (round = 0; round < 20000; round++) {
    uint8_t buf[48];
    size_t len = (size_t)(round % 48), k, pos = 0;
    for (k = 0; k < len; k++) {
      seed = seed * 1103515245u + 12345u;
      buf[k] = (uint8_t)(seed >> 16);
      if ((seed >> 8) & 1) buf[k] = (uint8_t)(0x80 | (buf[k] & 0x3F));
    }
    while (pos < len) {
      size_t next = td_wb_next(buf, len, pos);
      if (next <= pos || next > len) {
        fprintf(stderr, "random round %d: bad boundary %zu after %zu\n", round, next, pos);
        fails++;
        break;
      }
      pos = next;
    }
  }
  return fails;
}

/* Random strings of sample characters, one sample set per table value
 * (Word_Break x Extended_Pictographic) plus broken UTF-8: td_wb_next must
 * agree with the reference at every position. */
#define NSAMPLE 12
static int run_differential(int rounds) {
  static uint8_t samples[64][NSAMPLE][4];
  static size_t samplelen[64][NSAMPLE];
  static int nsamples[64];
  static const char *const broken[] = {"\xff", "\x80", "\xe2\x80", "\xf0\x9f\x87", "\xc0\xaf"};
  int classes[64], nclasses = 0, fails = 0, r, v;
  uint32_t seed = 4242;
  int32_t cp;
  for (cp = 0; cp <= 0x10FFFF; cp++) {
    unsigned t;
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    t = wbref_lookup(cp);
    seed = seed * 1103515245u + 12345u;
    /* the first NSAMPLE/2 of each value, then random replacements */
    if (nsamples[t] < NSAMPLE) {
      samplelen[t][nsamples[t]] = encode(samples[t][nsamples[t]], (unsigned long)cp);
      nsamples[t]++;
    } else if ((seed >> 16) % 64 == 0) {
      int slot = NSAMPLE / 2 + (int)((seed >> 8) % (NSAMPLE / 2));
      samplelen[t][slot] = encode(samples[t][slot], (unsigned long)cp);
    }
  }
  for (v = 0; v < 64; v++)
    if (nsamples[v]) classes[nclasses++] = v;
  for (r = 0; r < rounds; r++) {
    uint8_t text[64];
    size_t len = 0, got[64], want[64], ngot, nwant;
    int items, k;
    seed = seed * 1103515245u + 12345u;
    items = 1 + (int)((seed >> 16) % 10);
    for (k = 0; k < items; k++) {
      seed = seed * 1103515245u + 12345u;
      if ((seed >> 16) % 16 == 0) {
        const char *b = broken[(seed >> 4) % 5];
        memcpy(text + len, b, strlen(b));
        len += strlen(b);
      } else {
        int c = classes[(seed >> 16) % (unsigned)nclasses];
        int i = (int)((seed >> 3) % (unsigned)nsamples[c]);
        memcpy(text + len, samples[c][i], samplelen[c][i]);
        len += samplelen[c][i];
      }
    }
    ngot = segment(text, len, got);
    nwant = wbref_boundaries(text, len, want, 64);
    if (ngot != nwant || memcmp(got, want, nwant * sizeof *want) != 0) {
      if (fails < 10) {
        size_t j;
        fprintf(stderr, "differential round %d: FAIL on bytes", r);
        for (j = 0; j < len; j++) fprintf(stderr, " %02x", text[j]);
        fputc('\n', stderr);
        print_list("reference", want, nwant);
        print_list("td_wb_next", got, ngot > MAXB ? 0 : ngot);
      }
      fails++;
    }
  }
  printf("differential: %d/%d random strings agree with the reference\n", rounds - fails, rounds);
  return fails;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run_bench(const char *path, int repeat) {
  FILE *f = fopen(path, "rb");
  uint8_t *buf;
  long size;
  size_t nseg = 0, pos;
  double t0, t1, best = 1e9;
  int r;
  if (!f) {
    perror(path);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc(size > 0 ? (size_t)size : 1);
  if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
    fprintf(stderr, "%s: read failed\n", path);
    fclose(f);
    free(buf);
    return 1;
  }
  fclose(f);
  for (r = 0; r < repeat; r++) {
    nseg = 0;
    pos = 0;
    t0 = now();
    while (pos < (size_t)size) {
      pos = td_wb_next(buf, (size_t)size, pos);
      nseg++;
    }
    t1 = now();
    if (t1 - t0 < best) best = t1 - t0;
  }
  printf("bench: %s: %ld bytes, %zu segments, best of %d: %.4f s = %.1f MB/s\n",
         path, size, nseg, repeat, best, size / best / 1e6);
  free(buf);
  return 0;
}

int main(int argc, char **argv) {
  const char *path = "/usr/share/unicode/auxiliary/WordBreakTest.txt", *bench = NULL;
  int i, repeat = 5, total, fails, selffails;
  for (i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-b") && i + 1 < argc) bench = argv[++i];
    else if (!strcmp(argv[i], "-r") && i + 1 < argc) repeat = atoi(argv[++i]);
    else path = argv[i];
  }
  if (repeat < 1) repeat = 1;
  fails = run_conformance(path, &total);
  if (fails < 0) return 2;
  printf("WordBreakTest (Unicode %s tables): %d/%d lines pass\n", td_wb_unicode_version,
         total - fails, total);
  selffails = run_self_checks();
  printf("self-checks: %s\n", selffails ? "FAIL" : "ok");
  selffails += run_differential(500000);
  if (bench && run_bench(bench, repeat)) return 2;
  return fails || selffails ? 1 : 0;
}
