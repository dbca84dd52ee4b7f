/*
 * tidings.h - the one header every C stage includes.
 *
 * The C stages (tokenize.c, sentences.c, wordbreak.c, ...) form a plain C
 * library that knows nothing of Lua: only the lua_*.c binding files include
 * lua.h.  Fuzzers, benchmarks and other hosts use the same core.
 *
 * Offsets inside the core are 0-based byte positions with an exclusive end.
 * The Lua binding converts them to Lua's 1-based inclusive convention.
 */
#ifndef TIDINGS_H
#define TIDINGS_H

#include <stddef.h>
#include <stdint.h>

#define TD_VERSION "0.1.0"

/* Texts are addressed with 32-bit offsets: a 4 GiB document is refused. */
#define TD_MAX_TEXT ((size_t)UINT32_MAX - 1)

/* Error codes returned by core functions (0 is success). */
enum td_status {
  TD_OK = 0,
  TD_ENOMEM,   /* the allocator refused */
  TD_EUTF8,    /* invalid UTF-8 in strict mode; the offset is reported */
  TD_ETOOBIG,  /* input larger than TD_MAX_TEXT */
  TD_EDATA     /* a corrupt model, gazetteer or other data file */
};

/* Memory comes from the host (Lua's allocator in the binding, malloc in the
 * fuzzers).  Same contract as lua_Alloc: nsize == 0 frees. */
typedef void *(*td_allocf)(void *ud, void *ptr, size_t osize, size_t nsize);
typedef struct td_alloc {
  td_allocf f;
  void *ud;
} td_alloc;

/* Grow *arr (element size `esz`, capacity *cap) to hold at least `need`
 * elements, doubling; guards overflow.  Returns TD_OK or TD_ENOMEM and never
 * frees the old array on failure (buffer.c). */
int td_grow(const td_alloc *A, void **arr, size_t *cap, size_t need, size_t esz);
/* Shrink an array to exactly n elements (keeps it when the allocator refuses). */
void td_shrink(const td_alloc *A, void **arr, size_t *cap, size_t n, size_t esz);
void td_free(const td_alloc *A, void *p, size_t size);

/* ---- UTF-8 ----------------------------------------------------------- */

/* Decode one code point at s[0..len).  Returns its byte length (1-4) and
 * stores the code point, or returns 0 for an invalid or truncated sequence
 * (overlongs, surrogates and values above U+10FFFF are invalid). */
static inline int td_utf8_decode(const uint8_t *s, size_t len, int32_t *cp) {
  uint8_t c = s[0];
  if (c < 0x80) { *cp = c; return 1; }
  if (c < 0xC2 || c > 0xF4) return 0;
  if (c < 0xE0) {
    if (len < 2 || (s[1] & 0xC0) != 0x80) return 0;
    *cp = ((int32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
    return 2;
  }
  if (c < 0xF0) {
    if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;          /* overlong */
    if (c == 0xED && s[1] >= 0xA0) return 0;         /* surrogate */
    *cp = ((int32_t)(c & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    return 3;
  }
  if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
    return 0;
  if (c == 0xF0 && s[1] < 0x90) return 0;            /* overlong */
  if (c == 0xF4 && s[1] >= 0x90) return 0;           /* > U+10FFFF */
  *cp = ((int32_t)(c & 0x07) << 18) | ((int32_t)(s[1] & 0x3F) << 12) |
        ((int32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
  return 4;
}

/* Offset of the first invalid byte, or len when the text is valid UTF-8. */
size_t td_utf8_first_invalid(const uint8_t *s, size_t len);

/* ---- UAX #29 word boundaries (wordbreak.c) ----------------------------- */

/* Given a boundary position pos < len, return the next word boundary after
 * it (<= len).  Invalid bytes count as one code point each with
 * Word_Break=Other, so the segments always concatenate back to the text. */
size_t td_wb_next(const uint8_t *s, size_t len, size_t pos);
/* The Unicode version the Word_Break tables were generated from. */
extern const char td_wb_unicode_version[];

/* ---- Tokens ------------------------------------------------------------ */

typedef enum td_kind {
  TD_WORD = 0,  /* letters (any script), with inner apostrophes/periods */
  TD_NUMBER,    /* 1,000  3.5  09:30  18th  5bn */
  TD_PUNCT,     /* . , ; : ! ? quotes brackets dashes ... */
  TD_SYMBOL,    /* $ % & + emoji, and every invalid byte */
  TD_URL,
  TD_EMAIL,
  TD_HANDLE,    /* @name */
  TD_HASHTAG,   /* #tag */
  TD_NKINDS
} td_kind;

extern const char *const td_kind_names[TD_NKINDS];

/* Token flags: what the tokenizer saw, cheap for every later stage. */
enum td_tokflag {
  TD_F_SPACE_BEFORE = 1 << 0,  /* whitespace before the token */
  TD_F_NEWLINE_BEFORE = 1 << 1,/* a line break in that whitespace */
  TD_F_PARA_BEFORE = 1 << 2,   /* a blank line in that whitespace */
  TD_F_INVALID = 1 << 3,       /* an invalid UTF-8 byte (kind SYMBOL) */
  TD_F_UPPER_INITIAL = 1 << 4, /* first letter is upper/title case */
  TD_F_ALL_UPPER = 1 << 5,     /* has letters, none lower case */
  TD_F_ABBREV = 1 << 6,        /* a word ending in '.' kept whole (Mr. U.S.) */
  TD_F_CLITIC = 1 << 7,        /* split off a word: 's n't 're 'll ... */
  TD_F_HAS_DIGIT = 1 << 8,
  TD_F_NONASCII = 1 << 9,
  TD_F_SENT_START = 1 << 10    /* first token of a sentence (sentences.c) */
};

typedef struct td_token {
  uint32_t start, end;   /* byte span, 0-based, end exclusive */
  uint8_t kind;          /* td_kind */
  uint8_t reserved;
  uint16_t flags;        /* td_tokflag */
} td_token;

typedef struct td_sentence {
  uint32_t first, last;  /* token indices, last exclusive */
} td_sentence;

typedef struct td_opts {
  int strict;            /* invalid UTF-8 is an error instead of tokens */
  int split_hyphens;     /* split hyphenated words (default 1) */
} td_opts;

/* A document: spans over a text the caller keeps alive. */
typedef struct td_doc {
  const char *text;
  size_t len;
  td_token *tok;
  size_t ntok, captok;
  td_sentence *sent;
  size_t nsent, capsent;
  td_alloc A;
} td_doc;

void td_doc_init(td_doc *d, const td_alloc *A, const char *text, size_t len);
void td_doc_free(td_doc *d);  /* safe to call twice */

/* tokenize.c: fills d->tok.  On TD_EUTF8 *err_offset is the byte offset. */
int td_tokenize(td_doc *d, const td_opts *o, size_t *err_offset);
/* sentences.c: fills d->sent from d->tok (call after td_tokenize). */
int td_sentences(td_doc *d);

/* Byte offset helpers for editors: number of code points / UTF-16 units in
 * text[0..byte).  Invalid bytes count as one unit each. */
size_t td_char_count(const uint8_t *s, size_t byte);
size_t td_utf16_count(const uint8_t *s, size_t byte);

/* ---- Statistical NER tagger (model.c) ----------------------------------- */

/* An averaged-perceptron model over BILOU labels with first-order Viterbi
 * decoding.  Read-only after td_model_load: one model may be shared by many
 * taggers.  Label ids: 0 is O; label l > 0 has type (l-1)/4 and BILOU
 * position (l-1)%4 (B I L U).  Types are named as trained (PER LOC ORG MISC
 * for CoNLL). */
typedef struct td_model td_model;

enum td_bilou { TD_POS_O = 0, TD_POS_B, TD_POS_I, TD_POS_L, TD_POS_U };

/* Parse a model file held in bytes[0..n) (the bytes are copied).  Returns
 * TD_OK, TD_ENOMEM, or TD_EDATA with a message in err for a truncated or
 * corrupt file. */
int td_model_load(const td_alloc *A, const uint8_t *bytes, size_t n,
                  td_model **out, char *err, size_t errsz);
void td_model_free(td_model *m);
const char *td_model_name(const td_model *m);
uint32_t td_model_checksum(const td_model *m);     /* CRC-32 of the file */
int td_model_nlabels(const td_model *m);           /* 1 + 4 * ntypes */
int td_model_ntypes(const td_model *m);
const char *td_model_type_name(const td_model *m, int type); /* 0..ntypes-1 */
int td_model_label_type(const td_model *m, int label); /* -1 for O */
int td_model_label_pos(const td_model *m, int label);  /* enum td_bilou */

/* Scratch memory for tagging: one per tagger (or thread), reused across
 * calls; it grows (doubling) only when a longer sentence comes along. */
typedef struct td_model_scratch {
  td_alloc A;
  void *buf;
  size_t cap;
} td_model_scratch;
void td_model_scratch_init(td_model_scratch *s, const td_alloc *A);
void td_model_scratch_free(td_model_scratch *s);  /* safe to call twice */

/* Tag the tokens [first,last) of d (call once per sentence).  gaz is NULL
 * or one uint32 bitmask of gazetteer hits per token of the whole doc
 * (indexed like d->tok; bits TD_GAZ_*, each set bit is a feature).  Writes
 * labels[0..last-first).  Returns TD_OK or TD_ENOMEM. */
int td_model_tag(const td_model *m, td_model_scratch *s, const td_doc *d,
                 size_t first, size_t last, const uint32_t *gaz,
                 uint16_t *labels);

#endif
