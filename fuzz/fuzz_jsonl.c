/*
 * fuzz_jsonl.c - libFuzzer target for jsonl.c (make fuzz).
 *
 * Arbitrary bytes as a JSONL line through td_jsonl_find_text, and as a
 * string token through td_json_unquote, which is compared with a plain
 * one-escape-at-a-time decoder written here from the rules of
 * lua/tidings/json.lua.  Checks: the text value found is a string token
 * inside the line, at a top-level member named "text"; the decoded string
 * never outgrows its token; both decoders agree byte for byte, and on
 * which tokens are invalid.
 */
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static int hexdig(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned long hexnum(const unsigned char *p) {
  unsigned long v = 0;
  for (int k = 0; k < 4; k++) {
    unsigned char c = p[k];
    v = v * 16 + (unsigned long)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
  }
  return v;
}

/* The reference: s[0..n) a token with its quotes; -1 when invalid. */
static long ref_unquote(const unsigned char *s, size_t n, unsigned char *out) {
  if (n < 2 || s[0] != '"' || s[n - 1] != '"') return -1;
  size_t end = n - 1, o = 0;
  for (size_t i = 1; i < end;) {
    unsigned char c = s[i];
    if (c == '"') return -1;
    if (c < 32) return -1;
    if (c != '\\') { out[o++] = c; i++; continue; }
    if (i + 1 >= end) return -1;
    unsigned char e = s[i + 1];
    const char *simple = strchr("\"\\/bfnrt", e);
    if (e && simple) {
      static const char to[] = "\"\\/\b\f\n\r\t";
      out[o++] = (unsigned char)to[simple - "\"\\/bfnrt"];
      i += 2;
      continue;
    }
    if (e != 'u') return -1;
    for (int k = 2; k < 6; k++) if (i + k >= end || !hexdig(s[i + k])) return -1;
    unsigned long cp = hexnum(s + i + 2);
    i += 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      int pair = i + 6 <= end && s[i] == '\\' && s[i + 1] == 'u' && (s[i + 2] | 32) == 'd';
      for (int k = 3; pair && k < 6; k++) if (!hexdig(s[i + k])) pair = 0;
      if (pair && strchr("cdefCDEF", s[i + 3]) && s[i + 3]) {
        cp = 0x10000 + (cp - 0xD800) * 1024 + (hexnum(s + i + 2) - 0xDC00);
        i += 6;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    if (cp < 0x80) out[o++] = (unsigned char)cp;
    else if (cp < 0x800) { out[o++] = (unsigned char)(0xC0 | (cp >> 6)); out[o++] = (unsigned char)(0x80 | (cp & 63)); }
    else if (cp < 0x10000) {
      out[o++] = (unsigned char)(0xE0 | (cp >> 12));
      out[o++] = (unsigned char)(0x80 | ((cp >> 6) & 63));
      out[o++] = (unsigned char)(0x80 | (cp & 63));
    } else {
      out[o++] = (unsigned char)(0xF0 | (cp >> 18));
      out[o++] = (unsigned char)(0x80 | ((cp >> 12) & 63));
      out[o++] = (unsigned char)(0x80 | ((cp >> 6) & 63));
      out[o++] = (unsigned char)(0x80 | (cp & 63));
    }
  }
  return (long)o;
}

static void check_unquote(const char *s, size_t n) {
  /* exact-size heap buffers, so ASan sees any write past n */
  char *a = (char *)malloc(n ? n : 1);
  unsigned char *b = (unsigned char *)malloc(4 * n + 4);
  CHECK(a && b);
  size_t got = td_json_unquote(s, n, a);
  long want = ref_unquote((const unsigned char *)s, n, b);
  if (want < 0) {
    CHECK(got == (size_t)-1);
  } else {
    CHECK(got == (size_t)want && got + 2 <= n);
    CHECK(memcmp(a, b, got) == 0);
  }
  free(a);
  free(b);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  char *s = (char *)malloc(size ? size : 1);
  CHECK(s);
  memcpy(s, data, size);

  size_t vs = 0, ve = 0;
  if (td_jsonl_find_text(s, size, &vs, &ve)) {
    CHECK(vs >= 8 && vs < ve && ve <= size);   /* at least {"text": before it */
    CHECK(s[vs] == '"' && s[ve - 1] == '"' && ve - vs >= 2);
    /* the key just before the colon is "text" */
    size_t k = vs;
    while (k > 0 && strchr(" \t\r\n", s[k - 1]) && s[k - 1]) k--;
    CHECK(k > 0 && s[k - 1] == ':');
    k--;
    while (k > 0 && strchr(" \t\r\n", s[k - 1]) && s[k - 1]) k--;
    CHECK(k >= 6 && memcmp(s + k - 6, "\"text\"", 6) == 0);
    size_t again_vs = 0, again_ve = 0;
    CHECK(td_jsonl_find_text(s, size, &again_vs, &again_ve) && again_vs == vs && again_ve == ve);
    check_unquote(s + vs, ve - vs);
  }
  check_unquote(s, size);
  /* the same bytes as a token: quotes around them */
  char *q = (char *)malloc(size + 2);
  CHECK(q);
  q[0] = '"';
  memcpy(q + 1, data, size);
  q[size + 1] = '"';
  check_unquote(q, size + 2);
  free(q);
  free(s);
  return 0;
}
