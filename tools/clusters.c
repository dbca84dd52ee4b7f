/*
 * clusters.c - word clusters for the NER model's features, learned from
 * unlabelled text with the exchange algorithm (Kneser & Ney 1993; Martin,
 * Liermann & Ney 1998): words are moved between K classes to maximise the
 * likelihood of a class bigram model, i.e. words that occur between similar
 * neighbours end up in one class (Brown-style clusters without the tree).
 *
 * Build and run (tools/clusters.lua does both, tokenizing with tidings):
 *   cc -O2 -o build/clusters tools/clusters.c -lm
 *   build/clusters MINCOUNT ITERATIONS K1 [K2 K3 K4] < tokens.txt > clusters.tsv
 *
 * Input: tokens separated by spaces, one sentence a line.  Output: one word
 * a line, most frequent first (ties in byte order), `word<TAB>id1<TAB>id2...`
 * with one column (class 1..K) per requested K.  Words seen fewer than
 * MINCOUNT times are clustered together as one pseudo-word and not listed.
 * Deterministic: no randomness; the initial classes follow frequency rank.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (!p) { fprintf(stderr, "clusters: out of memory\n"); exit(1); }
  return p;
}

/* ---- vocabulary ---- */
typedef struct { char *w; uint32_t count; } word;
static word *words;
static size_t nwords, capwords;
static uint32_t *htab;  /* index + 1 */
static size_t hmask;

static uint64_t hash(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x100000001b3ULL;
  return h;
}

static void rehash(void) {
  size_t cap = (hmask + 1) * 2;
  uint32_t *t = xmalloc(cap * sizeof *t);
  for (size_t i = 0; i < nwords; i++) {
    size_t j = hash(words[i].w, strlen(words[i].w)) & (cap - 1);
    while (t[j]) j = (j + 1) & (cap - 1);
    t[j] = (uint32_t)i + 1;
  }
  free(htab);
  htab = t;
  hmask = cap - 1;
}

static uint32_t intern(const char *s, size_t n) {
  size_t j = hash(s, n) & hmask;
  while (htab[j]) {
    word *w = &words[htab[j] - 1];
    if (strlen(w->w) == n && memcmp(w->w, s, n) == 0) return htab[j] - 1;
    j = (j + 1) & hmask;
  }
  if (nwords == capwords) {
    capwords = capwords ? capwords * 2 : 1024;
    words = realloc(words, capwords * sizeof *words);
    if (!words) { fprintf(stderr, "clusters: out of memory\n"); exit(1); }
  }
  words[nwords].w = xmalloc(n + 1);
  memcpy(words[nwords].w, s, n);
  words[nwords].count = 0;
  htab[j] = (uint32_t)nwords + 1;
  nwords++;
  if (nwords * 2 > hmask) rehash();
  return (uint32_t)nwords - 1;
}

/* ---- corpus as a stream of word ids; sentence boundary = id 0 ---- */
static uint32_t *stream;
static size_t nstream, capstream;
static void push(uint32_t id) {
  if (nstream == capstream) {
    capstream = capstream ? capstream * 2 : 1 << 20;
    stream = realloc(stream, capstream * sizeof *stream);
    if (!stream) { fprintf(stderr, "clusters: out of memory\n"); exit(1); }
  }
  stream[nstream++] = id;
}

static int cmp_rank(const void *a, const void *b) {
  const word *x = &words[*(const uint32_t *)a], *y = &words[*(const uint32_t *)b];
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return strcmp(x->w, y->w);
}

/* ---- sparse neighbour lists per vocabulary item ---- */
typedef struct { uint32_t v, n; } pair;
typedef struct { pair *succ, *pred; uint32_t nsucc, npred; uint32_t self, count; } item;

static int cmp64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* x log x; counts are whole numbers, small ones come from a table */
#define GTAB 65536
static double gtab[GTAB];
static inline double g(double x) {
  return x < GTAB ? gtab[(int)x] : x * log(x);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: clusters MINCOUNT ITERATIONS K1 [K2 K3 K4] < tokens > clusters.tsv\n");
    return 2;
  }
  uint32_t mincount = (uint32_t)atoi(argv[1]);
  int iters = atoi(argv[2]);
  int nk = argc - 3;
  if (nk > 4) nk = 4;
  for (int i = 1; i < GTAB; i++) gtab[i] = i * log((double)i);
  hmask = 1023;
  htab = xmalloc((hmask + 1) * sizeof *htab);
  intern("<s>", 3);  /* id 0: sentence boundary */
  static char line[1 << 20];
  while (fgets(line, sizeof line, stdin)) {
    char *p = line;
    push(0);
    for (;;) {
      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
      if (!*p) break;
      char *q = p;
      while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r') q++;
      uint32_t id = intern(p, (size_t)(q - p));
      words[id].count++;
      push(id);
      p = q;
    }
  }
  push(0);
  fprintf(stderr, "clusters: %zu tokens, %zu types\n", nstream, nwords);

  /* vocabulary items: 0 = <s>, 1 = rare words, 2.. = words by rank */
  uint32_t *rank = xmalloc(nwords * sizeof *rank);
  size_t nr = 0;
  for (size_t i = 1; i < nwords; i++)
    if (words[i].count >= mincount) rank[nr++] = (uint32_t)i;
  qsort(rank, nr, sizeof *rank, cmp_rank);
  uint32_t *itemof = xmalloc(nwords * sizeof *itemof);
  for (size_t i = 0; i < nwords; i++) itemof[i] = 1;
  itemof[0] = 0;
  for (size_t i = 0; i < nr; i++) itemof[rank[i]] = (uint32_t)i + 2;
  size_t V = nr + 2;
  fprintf(stderr, "clusters: %zu words seen >= %u times\n", nr, mincount);

  /* bigram counts between items, via sorting (a, b) pairs */
  size_t nb = nstream - 1;
  uint64_t *bg = xmalloc(nb * sizeof *bg);
  for (size_t i = 0; i < nb; i++)
    bg[i] = (uint64_t)itemof[stream[i]] << 32 | itemof[stream[i + 1]];
  qsort(bg, nb, sizeof *bg, cmp64);
  item *it = xmalloc(V * sizeof *it);
  uint32_t *nsucc = xmalloc(V * sizeof *nsucc), *npred = xmalloc(V * sizeof *npred);
  size_t ndist = 0;
  for (size_t i = 0; i < nb;) {
    size_t j = i;
    while (j < nb && bg[j] == bg[i]) j++;
    uint32_t a = (uint32_t)(bg[i] >> 32), b = (uint32_t)bg[i];
    if (a != b) { nsucc[a]++; npred[b]++; }
    ndist++;
    i = j;
  }
  for (size_t v = 0; v < V; v++) {
    it[v].succ = xmalloc(nsucc[v] * sizeof(pair));
    it[v].pred = xmalloc(npred[v] * sizeof(pair));
  }
  for (size_t i = 0; i < nb;) {
    size_t j = i;
    while (j < nb && bg[j] == bg[i]) j++;
    uint32_t a = (uint32_t)(bg[i] >> 32), b = (uint32_t)bg[i], n = (uint32_t)(j - i);
    if (a == b) it[a].self += n;
    else {
      it[a].succ[it[a].nsucc++] = (pair){b, n};
      it[b].pred[it[b].npred++] = (pair){a, n};
    }
    i = j;
  }
  free(bg);
  for (size_t i = 0; i < nstream; i++) it[itemof[stream[i]]].count++;
  fprintf(stderr, "clusters: %zu distinct bigrams\n", ndist);

  uint32_t **result = xmalloc((size_t)nk * sizeof *result);
  for (int k = 0; k < nk; k++) {
    int K = atoi(argv[3 + k]);
    if (K < 2 || K > 4096) { fprintf(stderr, "clusters: K must be 2..4096\n"); return 2; }
    uint32_t *cls = xmalloc(V * sizeof *cls);
    /* <s> keeps class 0 for ever; words start round-robin by rank over 1..K-1 */
    for (size_t v = 1; v < V; v++) cls[v] = 1 + (uint32_t)((v - 1) % (size_t)(K - 1));
    double *N2 = xmalloc((size_t)K * K * sizeof *N2);  /* N2[c1*K+c2] */
    double *N1 = xmalloc((size_t)K * sizeof *N1);
    for (size_t v = 0; v < V; v++) {
      N1[cls[v]] += it[v].count;
      N2[(size_t)cls[v] * K + cls[v]] += it[v].self;
      for (uint32_t j = 0; j < it[v].nsucc; j++) N2[(size_t)cls[v] * K + cls[it[v].succ[j].v]] += it[v].succ[j].n;
    }
    double *ns = xmalloc((size_t)K * sizeof *ns), *np = xmalloc((size_t)K * sizeof *np);
    uint32_t *lists = xmalloc((size_t)K * sizeof *lists), *listp = xmalloc((size_t)K * sizeof *listp);
    for (int iter = 0; iter < iters; iter++) {
      size_t moved = 0;
      for (size_t v = 2; v < V; v++) {
        /* neighbour counts by class */
        uint32_t ls = 0, lp = 0;
        for (uint32_t j = 0; j < it[v].nsucc; j++) {
          uint32_t c = cls[it[v].succ[j].v];
          if (ns[c] == 0) lists[ls++] = c;
          ns[c] += it[v].succ[j].n;
        }
        for (uint32_t j = 0; j < it[v].npred; j++) {
          uint32_t c = cls[it[v].pred[j].v];
          if (np[c] == 0) listp[lp++] = c;
          np[c] += it[v].pred[j].n;
        }
        double s = it[v].self, cnt = it[v].count;
        uint32_t a = cls[v];
        /* remove v from a */
        for (uint32_t j = 0; j < ls; j++) N2[(size_t)a * K + lists[j]] -= ns[lists[j]];
        for (uint32_t j = 0; j < lp; j++) N2[(size_t)listp[j] * K + a] -= np[listp[j]];
        N2[(size_t)a * K + a] -= s;
        N1[a] -= cnt;
        /* best class to add it to */
        double best = -1e300;
        uint32_t bestc = a;
        for (uint32_t b = 1; b < (uint32_t)K; b++) {
          double d = 0;
          const double *row = N2 + (size_t)b * K;
          for (uint32_t j = 0; j < ls; j++) {
            uint32_t c = lists[j];
            if (c == b) continue;
            d += g(row[c] + ns[c]) - g(row[c]);
          }
          for (uint32_t j = 0; j < lp; j++) {
            uint32_t c = listp[j];
            if (c == b) continue;
            double x = N2[(size_t)c * K + b];
            d += g(x + np[c]) - g(x);
          }
          double bb = row[b];
          d += g(bb + ns[b] + np[b] + s) - g(bb);
          d -= 2 * (g(N1[b] + cnt) - g(N1[b]));
          if (d > best + 1e-9) { best = d; bestc = b; }
        }
        uint32_t b = bestc;
        if (b != a) moved++;
        cls[v] = b;
        for (uint32_t j = 0; j < ls; j++) {
          uint32_t c = lists[j];
          N2[(size_t)b * K + c] += ns[c];
        }
        for (uint32_t j = 0; j < lp; j++) {
          uint32_t c = listp[j];
          N2[(size_t)c * K + b] += np[c];
        }
        N2[(size_t)b * K + b] += s;
        N1[b] += cnt;
        for (uint32_t j = 0; j < ls; j++) ns[lists[j]] = 0;
        for (uint32_t j = 0; j < lp; j++) np[listp[j]] = 0;
      }
      double F = 0;
      for (size_t i = 0; i < (size_t)K * K; i++) F += g(N2[i]);
      for (int c = 0; c < K; c++) F -= 2 * g(N1[c]);
      fprintf(stderr, "clusters: K=%d iteration %d: %zu moved, objective %.6g\n", K, iter + 1, moved, F);
      if (!moved) break;
    }
    result[k] = cls;
    free(N2); free(N1); free(ns); free(np); free(lists); free(listp);
  }
  for (size_t i = 0; i < nr; i++) {
    fputs(words[rank[i]].w, stdout);
    for (int k = 0; k < nk; k++) printf("\t%u", result[k][i + 2]);
    putchar('\n');
  }
  return 0;
}
