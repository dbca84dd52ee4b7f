/*
 * fuzz_wordbreak.c - libFuzzer target for td_wb_next (make fuzz).
 *
 * Every input: boundaries rise strictly, end at the length, never split a
 * valid UTF-8 sequence, and agree with the literal UAX #29 reference in
 * wordbreak_ref.h at every position.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tidings.h"
#include "wordbreak_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t *want, nwant, pos = 0, n = 0;
  if (size > 4 * WBREF_MAX) return 0;
  want = malloc(sizeof *want * (size + 1));
  if (!want) return 0;
  nwant = wbref_boundaries(data, size, want, size + 1);
  while (pos < size) {
    size_t next = td_wb_next(data, size, pos);
    int32_t cp;
    if (next <= pos || next > size) {
      fprintf(stderr, "boundary %zu after %zu (length %zu)\n", next, pos, size);
      abort();
    }
    if (next < size && (data[next] & 0xC0) == 0x80) {
      /* a continuation byte may start a segment only if it is stray */
      size_t lead = next;
      while (lead > 0 && next - lead < 3 && (data[lead] & 0xC0) == 0x80) lead--;
      if (td_utf8_decode(data + lead, size - lead, &cp) > (int)(next - lead)) {
        fprintf(stderr, "boundary %zu splits the sequence at %zu\n", next, lead);
        abort();
      }
    }
    if (nwant != (size_t)-1 && (n >= nwant || want[n] != next)) {
      fprintf(stderr, "boundary %zu: the reference says %zu\n", next, n < nwant ? want[n] : 0);
      abort();
    }
    n++;
    pos = next;
  }
  if (nwant != (size_t)-1 && n != nwant) {
    fprintf(stderr, "%zu boundaries, the reference has %zu\n", n, nwant);
    abort();
  }
  free(want);
  return 0;
}
