/*
 * jsonl.c - the "text" member of a JSONL line, found and decoded in C (see
 * jsonl.h).  Decoding a whole news article through a JSON decoder written in
 * Lua cost more than tokenizing it; the other members are a few short
 * strings, which the Lua decoder reads once the text is cut out.
 */
#include <string.h>

#include <utf8proc.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define JSONL_SSE2 1
#endif

#include "jsonl.h"

/* The first position at or after i where the byte is '"' or '\\' (with ctl: or below 32), or
 * n: the one loop a news text spends its bytes in, 16 at a time with SSE2
 * (the same answer as the byte loop after it). */
static size_t next_special(const char *s, size_t n, size_t i, int ctl) {
#ifdef JSONL_SSE2
  const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), c31 = _mm_set1_epi8(31);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash));
    if (ctl) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_min_epu8(v, c31), v)); /* v <= 31 */
    int m = _mm_movemask_epi8(hit);
    if (m) return i + (size_t)__builtin_ctz((unsigned)m);
  }
#endif
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\' || (ctl && c < 32)) return i;
  }
  return n;
}

static size_t skip_ws(const char *s, size_t n, size_t i) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
  return i;
}

/* s[i] is '"': one past the closing quote, or 0 when the string does not
 * end; *esc is set when it holds a backslash. */
static size_t string_end(const char *s, size_t n, size_t i, int *esc) {
  for (i = next_special(s, n, i + 1, 0); i < n; i = next_special(s, n, i + 2, 0)) {
    if (s[i] == '"') return i + 1;
    *esc = 1; /* a backslash: the byte after it is escaped */
    if (i + 2 > n) break;
  }
  return 0;
}

/* One past the value starting at s[i], or 0.  Objects and arrays are skipped
 * by counting brackets (strings stepped over): exact on valid JSON, and the
 * caller's decoder rejects the rest. */
static size_t value_end(const char *s, size_t n, size_t i) {
  int esc = 0;
  char c = s[i];
  if (c == '"') return string_end(s, n, i, &esc);
  if (c == '{' || c == '[') {
    size_t depth = 0;
    while (i < n) {
      c = s[i];
      if (c == '"') {
        i = string_end(s, n, i, &esc);
        if (!i) return 0;
        continue;
      }
      if (c == '{' || c == '[') depth++;
      else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      i++;
    }
    return 0;
  }
  while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\t' &&
         s[i] != '\r' && s[i] != '\n')
    i++;
  return i;
}

int td_jsonl_find_text(const char *s, size_t n, size_t *vs, size_t *ve) {
  size_t i = skip_ws(s, n, 0);
  int found = 0;
  if (i >= n || s[i] != '{') return 0;
  i = skip_ws(s, n, i + 1);
  for (;;) {
    if (i >= n || s[i] != '"') return 0;
    int esc = 0;
    size_t ke = string_end(s, n, i, &esc);
    if (!ke || esc) return 0;
    int is_text = ke - i == 6 && memcmp(s + i + 1, "text", 4) == 0;
    i = skip_ws(s, n, ke);
    if (i >= n || s[i] != ':') return 0;
    i = skip_ws(s, n, i + 1);
    if (i >= n) return 0;
    size_t e = value_end(s, n, i);
    if (e <= i) return 0;
    if (is_text) {
      if (found || s[i] != '"') return 0; /* a second "text": the decoder keeps the last */
      found = 1;
      *vs = i;
      *ve = e;
    }
    i = skip_ws(s, n, e);
    if (i >= n) return 0;
    if (s[i] == '}') return found;
    if (s[i] != ',') return 0;
    i = skip_ws(s, n, i + 1);
  }
}

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The 4 hex digits at p as a number, or -1. */
static long hex4(const char *p) {
  long v = 0;
  for (int k = 0; k < 4; k++) {
    int h = hexval((unsigned char)p[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

size_t td_json_unquote(const char *s, size_t n, char *out) {
  const size_t bad = (size_t)-1;
  if (n < 2 || s[0] != '"' || s[n - 1] != '"') return bad;
  size_t i = 1, o = 0, end = n - 1;
  while (i < end) {
    /* a run of plain bytes in one copy */
    size_t run = next_special(s, end, i, 1);
    if (run > i) {
      memcpy(out + o, s + i, run - i);
      o += run - i;
      i = run;
      if (i == end) break;
    }
    unsigned char c = (unsigned char)s[i];
    if (c != '\\' || i + 1 >= end) return bad; /* '"' inside, a control character, or a final '\' */
    char r;
    switch (s[i + 1]) {
    case '"': r = '"'; break;
    case '\\': r = '\\'; break;
    case '/': r = '/'; break;
    case 'b': r = '\b'; break;
    case 'f': r = '\f'; break;
    case 'n': r = '\n'; break;
    case 'r': r = '\r'; break;
    case 't': r = '\t'; break;
    case 'u': {
      long cp = end - i >= 6 ? hex4(s + i + 2) : -1;
      if (cp < 0) return bad;
      size_t next = i + 6;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        /* a high surrogate takes the low one that follows, else it is U+FFFD */
        const char *p = s + i + 6;
        long lo = end - i >= 12 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : -1;
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + (cp - 0xD800) * 1024 + (lo - 0xDC00);
          next = i + 12;
        } else {
          cp = 0xFFFD;
        }
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        cp = 0xFFFD;
      }
      o += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)(out + o));
      i = next;
      continue;
    }
    default: return bad;
    }
    out[o++] = r;
    i += 2;
  }
  return o;
}

size_t td_json_string_end(const char *s, size_t n, size_t i) {
  int esc = 0;
  return string_end(s, n, i, &esc);
}
