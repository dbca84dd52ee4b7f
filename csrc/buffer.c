/*
 * buffer.c - growable arrays on the host's allocator, and the Doc's life cycle.
 */
#if defined(__linux__)
#define _DEFAULT_SOURCE 1  /* madvise and MADV_HUGEPAGE beside -D_POSIX_C_SOURCE */
#include <sys/mman.h>
#endif
#include <stdint.h>

#include "tidings.h"

/* A large array's pages are faulted in one by one as it is first written:
 * for a 100 MB text's tokens that is tens of thousands of 4 KiB faults, a
 * fifth of td_tokenize's time.  Where transparent huge pages are opt-in
 * ("madvise" mode), ask for them on the 2 MiB-aligned inside of the block,
 * so it is faulted in 2 MiB at a time.  Only advice: whatever the kernel
 * or allocator does with it, the contents are the same. */
#define TD_HUGE (2u << 20)

static void advise_huge(void *p, size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  uintptr_t a = ((uintptr_t)p + TD_HUGE - 1) & ~(uintptr_t)(TD_HUGE - 1);
  uintptr_t b = ((uintptr_t)p + size) & ~(uintptr_t)(TD_HUGE - 1);
  if (size >= 2 * (size_t)TD_HUGE && b > a) (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)size;
#endif
}

int td_grow(const td_alloc *A, void **arr, size_t *cap, size_t need, size_t esz) {
  size_t ncap;
  if (need <= *cap) return TD_OK;
  ncap = *cap ? *cap : 16;
  while (ncap < need) {
    if (ncap > ((size_t)-1 / 2) / esz) return TD_ENOMEM;  /* overflow guard */
    ncap *= 2;
  }
  return td_reserve(A, arr, cap, ncap, esz);
}

int td_reserve(const td_alloc *A, void **arr, size_t *cap, size_t n, size_t esz) {
  void *p;
  if (n <= *cap) return TD_OK;
  if (n > (size_t)-1 / esz) return TD_ENOMEM;
  p = A->f(A->ud, *arr, *arr ? *cap * esz : 0, n * esz);
  if (p == NULL) return TD_ENOMEM;
  advise_huge(p, n * esz);
  *arr = p;
  *cap = n;
  return TD_OK;
}

void td_shrink(const td_alloc *A, void **arr, size_t *cap, size_t n, size_t esz) {
  void *p;
  if (*arr == NULL || n >= *cap) return;
  if (n == 0) {
    A->f(A->ud, *arr, *cap * esz, 0);
    *arr = NULL;
    *cap = 0;
    return;
  }
  p = A->f(A->ud, *arr, *cap * esz, n * esz);
  if (p != NULL) {  /* a refused shrink keeps the larger block */
    *arr = p;
    *cap = n;
  }
}

void td_free(const td_alloc *A, void *p, size_t size) {
  if (p != NULL) A->f(A->ud, p, size, 0);
}

void td_doc_init(td_doc *d, const td_alloc *A, const char *text, size_t len) {
  d->text = text;
  d->len = len;
  d->tok = NULL;
  d->ntok = d->captok = 0;
  d->sent = NULL;
  d->nsent = d->capsent = 0;
  d->cand = NULL;
  d->ncand = d->capcand = 0;
  d->has_cand = 0;
  d->A = *A;
}

void td_doc_free(td_doc *d) {
  td_free(&d->A, d->tok, d->captok * sizeof(td_token));
  td_free(&d->A, d->sent, d->capsent * sizeof(td_sentence));
  td_free(&d->A, d->cand, d->capcand * sizeof(uint32_t));
  d->tok = NULL;
  d->sent = NULL;
  d->cand = NULL;
  d->ntok = d->captok = d->nsent = d->capsent = d->ncand = d->capcand = 0;
  d->has_cand = 0;
}

size_t td_utf8_first_invalid(const uint8_t *s, size_t len) {
  size_t i = 0;
  int32_t cp;
  while (i < len) {
    int n;
    if (s[i] < 0x80) { i++; continue; }
    n = td_utf8_decode(s + i, len - i, &cp);
    if (n == 0) return i;
    i += (size_t)n;
  }
  return len;
}

void td_position(const uint8_t *s, size_t len, size_t byte, size_t *chars, size_t *units) {
  size_t i = 0, c = 0, u = 0;
  int32_t cp;
  while (i < len) {
    int w = s[i] < 0x80 ? 1 : td_utf8_decode(s + i, len - i, &cp);
    if (w == 0) w = 1;
    if (i + (size_t)w > byte) break;  /* the character at i contains byte */
    i += (size_t)w;
    c++;
    u += (w == 4) ? 2 : 1;
  }
  *chars = c;
  *units = u;
}
