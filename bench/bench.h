/*
 * bench.h - what the two C benchmark drivers (icu_words.c, tokenize_c.c)
 * share: building the input text, a monotonic clock, peak RSS, and output.
 *
 * The input rule is the same one bench/run.lua uses, so every tool in a run
 * reads the same bytes: the source file repeated end to end, cut just after
 * the first '\n' at or beyond the target size (or at the target size when
 * there is no newline at all).
 *
 * Drivers print one line per measurement, `result key=value ...`, integers
 * only (times in nanoseconds), so no number goes through printf's locale.
 */
#ifndef TIDINGS_BENCH_H
#define TIDINGS_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

/* Each measurement is the best of BENCH_RUNS runs; a small input gets more
 * runs, until BENCH_MIN_NS were spent on it (at most BENCH_MAX_RUNS), so
 * that a few milliseconds of noise do not decide its figure. */
#define BENCH_RUNS 3
#define BENCH_MAX_RUNS 30
#define BENCH_MIN_NS 500000000u

static int bench_again(int run, uint64_t spent) {
  return run < BENCH_RUNS || (run < BENCH_MAX_RUNS && spent < BENCH_MIN_NS);
}

/* The same with a fixed number of runs when `fixed` > 0: sizes compared
 * with each other (the linearity series) get the same number of chances
 * at a quiet moment, or the best of 30 small runs beats the best of 3 big
 * ones on a busy machine whatever the code does. */
static inline int bench_again_n(int run, uint64_t spent, int fixed) {
  return fixed > 0 ? run < fixed : bench_again(run, spent);
}

/* Parse a decimal size; returns 0 on anything but digits. */
static size_t bench_parse_size(const char *s) {
  size_t n = 0;
  if (*s == '\0') return 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return 0;
    if (n > ((size_t)-1 - 9) / 10) return 0;
    n = n * 10 + (size_t)(*s - '0');
  }
  return n;
}

/* Read `path` and build the benchmark text of about `target` bytes.
 * Returns a malloc'd buffer (NUL-terminated) and its length in *len, or
 * NULL with a message on stderr.  The file is read straight into the
 * output buffer, which is then trimmed, so loading leaves no peak of its
 * own in the process's maximum RSS beyond the text itself. */
static char *bench_load(const char *path, size_t target, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *out, *p;
  size_t n, copies, total, i;
  long size;
  if (f == NULL) {
    fprintf(stderr, "bench: cannot open %s\n", path);
    return NULL;
  }
  if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
    fprintf(stderr, "bench: %s is empty or not a regular file\n", path);
    fclose(f);
    return NULL;
  }
  n = (size_t)size;
  copies = target / n + 1;                     /* whole copies past target */
  if (copies > ((size_t)-1 - 1) / n || (out = malloc(copies * n + 1)) == NULL) {
    fprintf(stderr, "bench: out of memory building %zu bytes\n", target);
    fclose(f);
    return NULL;
  }
  total = copies * n;
  if (fread(out, 1, n, f) != n) {
    fprintf(stderr, "bench: short read on %s\n", path);
    free(out);
    fclose(f);
    return NULL;
  }
  fclose(f);
  for (i = n; i < total; i += n) memcpy(out + i, out, n);
  i = target ? target : 1;                     /* cut after a newline */
  while (i < total && out[i - 1] != '\n') i++;
  out[i] = '\0';
  if ((p = realloc(out, i + 1)) != NULL) out = p;
  *len = i;
  return out;
}

static uint64_t bench_clock_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The time that counts (CLOCK_MONOTONIC), and the CPU time of the process
 * beside it: on a busy machine the two part, and the runner says so. */
typedef struct bench_timer {
  uint64_t wall, cpu;
} bench_timer;

static void bench_start(bench_timer *t) {
  t->wall = bench_clock_ns(CLOCK_MONOTONIC);
  t->cpu = bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

/* Keep the best of the runs: *best (wall) and *best_cpu independently.
 * Returns this run's wall time. */
static uint64_t bench_stop(const bench_timer *t, uint64_t *best, uint64_t *best_cpu) {
  uint64_t wall = bench_clock_ns(CLOCK_MONOTONIC) - t->wall;
  uint64_t cpu = bench_clock_ns(CLOCK_PROCESS_CPUTIME_ID) - t->cpu;
  if (wall < *best) *best = wall;
  if (cpu < *best_cpu) *best_cpu = cpu;
  return wall;
}

/* Peak resident set size of this process, in KiB (Linux ru_maxrss). */
static long bench_maxrss_kb(void) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) != 0) return -1;
  return ru.ru_maxrss;
}

/* Current resident set size in KiB (Linux /proc/self/statm), or -1. */
static long bench_rss_kb(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long size = 0, resident = -1;
  if (f == NULL) return -1;
  if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = -1;
  fclose(f);
  return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Reset the peak RSS to the current RSS (Linux >= 4.0: writing 5 to
 * /proc/self/clear_refs), so ru_maxrss afterwards is the peak of the work
 * alone, not of loading the input.  Returns 1 when it worked. */
static int bench_reset_peak(void) {
  FILE *f = fopen("/proc/self/clear_refs", "w");
  int ok;
  if (f == NULL) return 0;
  ok = fputs("5", f) >= 0;
  ok = (fclose(f) == 0) && ok;
  return ok;
}

#endif
