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
/* Make room for exactly `n` elements when there is less (an estimate made
 * once: td_grow would round it up to a power of two).  TD_OK or TD_ENOMEM. */
int td_reserve(const td_alloc *A, void **arr, size_t *cap, size_t n, size_t esz);
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
  /* td_tokenize -> td_sentences: the tokens that may end a sentence (in
   * order, maybe twice), listed while the tokens are made so td_sentences
   * need not walk them all again; has_cand says the list is there */
  uint32_t *cand;
  size_t ncand, capcand;
  int has_cand;
  td_alloc A;
} td_doc;

void td_doc_init(td_doc *d, const td_alloc *A, const char *text, size_t len);
void td_doc_free(td_doc *d);  /* safe to call twice */

/* tokenize.c: fills d->tok.  On TD_EUTF8 *err_offset is the byte offset. */
int td_tokenize(td_doc *d, const td_opts *o, size_t *err_offset);
/* The same tokens from the scalar scanner alone, without the 64-byte block
 * path: the reference the differential fuzzer compares td_tokenize with. */
int td_tokenize_reference(td_doc *d, const td_opts *o, size_t *err_offset);
/* sentences.c: fills d->sent from d->tok (call after td_tokenize). */
int td_sentences(td_doc *d);

/* For editors: the 0-based code point index and UTF-16 unit index of the
 * character containing byte `byte` (byte == len gives the counts of the
 * whole text).  Invalid bytes count as one character and one unit each. */
void td_position(const uint8_t *s, size_t len, size_t byte, size_t *chars, size_t *units);

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
  /* per-document features (td_model_doc): one byte per token of `doc` */
  uint8_t *docf;
  size_t capdocf;
  /* the document's words (model.c: keys, flags, history counts); grows */
  uint8_t *wtab;
  size_t wcap, wbytes;
  const td_doc *doc;
  const td_token *doctok;
  size_t docntok;
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
/* Document-level features (how each word is written elsewhere in the doc)
 * live in the scratch: td_model_tag computes them when it tags a doc's first
 * sentence (first == 0) or meets another doc.  Call td_model_doc first when
 * the sentences of a doc are not tagged from its beginning. */
int td_model_doc(const td_model *m, td_model_scratch *s, const td_doc *d);

/* Training (model.c): an averaged perceptron over hashed features.  Add
 * word clusters first, then labelled sentences, then run epochs (the order
 * of sentences is shuffled with the seed, so a run is reproducible), then
 * save the averaged weights as a model file (bytes allocated with A; the
 * caller frees them with td_free(A, bytes, n)). */
typedef struct td_trainer td_trainer;
typedef struct td_train_opts {
  const char *name;               /* stored in the model (<= 255 bytes) */
  int ntypes;                     /* 1..15 */
  const char *const *type_names;  /* each 1..31 bytes */
  unsigned bits;                  /* log2 of the feature buckets, 16..24 */
  int nclsets;                    /* cluster granularities per word, 0..4 */
  uint64_t seed;
} td_train_opts;
int td_trainer_new(const td_alloc *A, const td_train_opts *o, td_trainer **out,
                   char *err, size_t errsz);
void td_trainer_free(td_trainer *t);
/* ids[0..nclsets): the word's cluster id at each granularity (0 = none). */
int td_trainer_cluster(td_trainer *t, const uint8_t *word, size_t len,
                       const uint32_t *ids);
int td_trainer_add(td_trainer *t, const td_doc *d, size_t first, size_t last,
                   const uint32_t *gaz, const uint16_t *labels);
/* One pass over the sentences; *nerr = tokens mis-tagged during the pass. */
int td_trainer_epoch(td_trainer *t, size_t *nerr);
/* Averaged weights with |w| < prune dropped. */
int td_trainer_save(td_trainer *t, double prune, uint8_t **out, size_t *n);

/* ---- Gazetteers (gazetteer.c) ------------------------------------------ */

/* Per-token gazetteer features: one uint32 per token (td_gaz_features).
 * Class bits are set on every token of the longest match covering it, and
 * also for the token's own one-word entries (Jordan: FIRSTNAME|COUNTRY). */
enum td_gaz_bit {
  TD_GAZ_FIRSTNAME = 1u << 0,  /* a first name (35 locales) */
  TD_GAZ_PERSON    = 1u << 1,  /* a known person's name (heads of state ...) */
  TD_GAZ_COUNTRY   = 1u << 2,  /* a country name or alias */
  TD_GAZ_CITY      = 1u << 3,  /* capitals, large cities, zone cities */
  TD_GAZ_REGION    = 1u << 4,  /* states, provinces, other GPE */
  TD_GAZ_LOC       = 1u << 5,  /* continents, seas, straits, rivers */
  TD_GAZ_DEMONYM   = 1u << 6,  /* nationality/group adjectives (NORP) */
  TD_GAZ_ORG       = 1u << 7,  /* organisation names */
  TD_GAZ_ORGSUFFIX = 1u << 8,  /* Inc Ltd Corp GmbH ... */
  TD_GAZ_TITLE     = 1u << 9,  /* President, Foreign Minister, spokesperson */
  TD_GAZ_FAC       = 1u << 10, /* facility names */
  TD_GAZ_EVENT     = 1u << 11, /* event names */
  TD_GAZ_MISC      = 1u << 12, /* laws, products, works */
  TD_GAZ_HEAD      = 1u << 13, /* a head word of its class: Palace, Ministry, War */
  TD_GAZ_USER      = 1u << 14, /* from a user gazetteer */
  /* BILOU position inside the longest match covering the token */
  TD_GAZ_B = 1u << 16, TD_GAZ_I = 1u << 17, TD_GAZ_L = 1u << 18, TD_GAZ_U = 1u << 19
};
#define TD_GAZ_MAXTOK 12   /* longest phrase, in tokens */

typedef struct td_gazetteer td_gazetteer;

/* What a match says: its feature bits, its entity type (an index into the
 * gazetteer's type names, -1 for feature-only classes such as first names)
 * and its canonical name (not NUL-terminated). */
typedef struct td_gaz_info {
  uint32_t feat;
  int type;
  const char *canon;
  size_t canonlen;
} td_gaz_info;

int td_gaz_new(const td_alloc *A, td_gazetteer **out);
void td_gaz_free(td_gazetteer *g);  /* NULL is fine */
/* Add one phrase of a class (country, city, demonym, firstname, title, org,
 * person, ... or an entity type name such as GPE or a user's own type).
 * canon may be NULL/empty (the phrase is its own canonical name). */
int td_gaz_add(td_gazetteer *g, const char *phrase, size_t plen,
               const char *cls, size_t clen, const char *canon, size_t canonlen,
               char *err, size_t errsz);
/* Add every line of a TSV text: phrase<TAB>class[<TAB>canonical[<TAB>...]];
 * '#' starts a comment line.  On TD_EDATA err names `name` and the line. */
int td_gaz_load_tsv(td_gazetteer *g, const char *text, size_t len,
                    const char *name, char *err, size_t errsz);
size_t td_gaz_size(const td_gazetteer *g);   /* number of phrases */
int td_gaz_ntypes(const td_gazetteer *g);
const char *td_gaz_type_name(const td_gazetteer *g, int type);
/* The type index of a name, added when missing (-1 when the table is full). */
int td_gaz_intern_type(td_gazetteer *g, const char *name, size_t len);

/* The normalised hash of each token of d (lower case, accents and dots
 * removed): hash[0..d->ntok).  Both arrays below belong to the caller. */
void td_gaz_hash_tokens(const td_doc *d, uint64_t *hash);
/* Length in tokens of the longest entry starting at token i (0: none). */
size_t td_gaz_longest(const td_gazetteer *g, const td_doc *d,
                      const uint64_t *hash, size_t i, td_gaz_info *info);
/* feat[0..d->ntok): TD_GAZ_* bits for the model (hash from td_gaz_hash_tokens). */
void td_gaz_features(const td_gazetteer *g, const td_doc *d,
                     const uint64_t *hash, uint32_t *feat);
/* The same, also calling cb for each longest match (left to right); a
 * non-zero return from cb stops the scan and is returned. */
int td_gaz_scan(const td_gazetteer *g, const td_doc *d, const uint64_t *hash, uint32_t *feat,
                int (*cb)(void *ud, size_t first, size_t last, const td_gaz_info *info),
                void *ud);

/* ---- Numbers, quantities, dates and times (numbers*.c) ------------------ */

typedef enum td_numkind {
  TD_N_CARDINAL = 0, TD_N_ORDINAL, TD_N_FRACTION, TD_N_PERCENT, TD_N_MONEY,
  TD_N_QUANTITY, TD_N_DATE, TD_N_TIME, TD_N_DURATION, TD_N_RANGE, TD_N_SET,
  TD_N_NKINDS
} td_numkind;
extern const char *const td_numkind_names[TD_N_NKINDS];

/* Bounds from modifiers: "=" ">" ">=" "<" "<=" "~" (TD_B_NONE: none). */
enum td_bound { TD_B_NONE = 0, TD_B_EQ, TD_B_GT, TD_B_GE, TD_B_LT, TD_B_LE, TD_B_APPROX, TD_B_N };
extern const char *const td_bound_names[TD_B_N];

enum td_numflag {
  TD_NF_VALUE = 1, TD_NF_LOW = 2, TD_NF_HIGH = 4,
  TD_NF_UNIT_SPAN = 8,  /* unit is the text [unit_start, unit_end) */
  TD_NF_PER_SPAN = 16,  /* per is the text [per_start, per_end) */
  TD_NF_PROD_SPAN = 32  /* product is the text [prod_start, prod_end): "sugar" in "3 cups of sugar" */
};

typedef struct td_number {
  uint32_t start, end;          /* bytes, end exclusive */
  uint8_t kind, bound;          /* td_numkind, td_bound */
  uint16_t flags;               /* td_numflag */
  double value, low, high;
  const char *unit;             /* canonical unit (static string) or NULL */
  const char *per;              /* canonical rate unit (static) or NULL */
  const char *dim;              /* dimension of the unit (static) or NULL */
  uint32_t unit_start, unit_end, per_start, per_end;
  uint32_t prod_start, prod_end;  /* what a quantity measures (TD_NF_PROD_SPAN) */
  char timex[48];               /* ISO 8601 / TIMEX3 value, "" when none */
  char timex_raw[48];           /* as written, before resolution ("XXXX-WXX-5") */
  const char *rel;              /* relative ordinal: "end" or "current" (value = offset), else NULL */
} td_number;

/* A word filter the pass uses to skip words that cannot start a number;
 * built once by the host (td_numfilter_init) and reused, read-only. */
typedef struct td_numfilter {
  uint64_t bits[1024];      /* the word table (numbers.c) */
  uint64_t tri_hot[275];    /* (first, second, last letter) of the words that
                               start something alone / of all known words: */
  uint64_t tri_any[275];    /* a word whose letters are not set is not one */
  uint16_t hol_at[27];      /* holidays by first letter: hol[hol_at[l] .. */
  uint16_t hol[512];        /*   hol_at[l + 1]), in table order (numbers_dates.c) */
  int hol_ok;               /* 0: the table outgrew hol[]; scan it all */
  uint32_t cur2[26];        /* currency names by their first two letters
                               (bit b of cur2[a]: some name starts a, b) */
  uint32_t stop2[26];       /* the same for the stop words (numbers.c) */
} td_numfilter;
void td_numfilter_init(td_numfilter *f);

typedef struct td_numopts {
  int ref_y, ref_m, ref_d;      /* reference date; ref_y == 0: none */
  int future;                   /* bare weekdays/dates resolve to the next one */
  const td_numfilter *filter;   /* NULL: built for the call */
  int ref_time;                 /* 1: the reference has a time of day */
  int ref_hh, ref_mi, ref_ss;   /* reference time of day (with ref_time) */
  int relative;                 /* also relative ordinals ("last", "next one", "penultimate") */
} td_numopts;

/* Find the numbers of a tokenized doc (a doc without tokens is read as
 * plain text).  Appends to *out (grown with d->A; the caller frees it with
 * td_free(&d->A, *out, *cap * sizeof **out)).  Returns TD_OK or TD_ENOMEM. */
int td_numbers(const td_doc *d, const td_numopts *o, td_number **out,
               size_t *n, size_t *cap);

/* ---- User patterns (pattern.c) ------------------------------------------ */

/* PCRE2 patterns compiled once (UTF, invalid UTF allowed, JIT), sharing one
 * reused match-data block: one set per tagger, not for concurrent use. */
typedef struct td_patterns td_patterns;
int td_patterns_new(const td_alloc *A, td_patterns **out);
void td_patterns_free(td_patterns *ps);  /* NULL is fine */
/* TD_EDATA for a bad pattern: err says why and the 1-based offset. */
int td_patterns_add(td_patterns *ps, const char *src, size_t len, int type,
                    char *err, size_t errsz);
size_t td_patterns_count(const td_patterns *ps);
/* Calls cb for every match [start,end) of every pattern (non-overlapping
 * per pattern); a non-zero return from cb stops and is returned. */
int td_patterns_run(td_patterns *ps, const char *text, size_t len,
                    int (*cb)(void *ud, size_t start, size_t end, int type), void *ud);

/* ---- Entities (entities.c) ---------------------------------------------- */

enum td_ent_source { TD_SRC_MODEL = 1, TD_SRC_GAZ = 2, TD_SRC_RULE = 4, TD_SRC_PATTERN = 8 };

typedef struct td_entity {
  uint32_t first, last;           /* tokens, last exclusive */
  uint32_t start, end;            /* bytes, end exclusive */
  uint32_t role_start, role_end;  /* bytes; equal when there is no role */
  uint32_t canon, canonlen;       /* canonical name: offset in td_entities.str */
  int16_t type;                   /* td_gaz_type_name(gaz, type) */
  uint8_t source;                 /* td_ent_source bits */
  uint8_t score;                  /* 0..100 */
} td_entity;

typedef struct td_entities {
  td_alloc A;
  td_entity *e;
  size_t n, cap;
  char *str;                      /* canonical names */
  size_t strlen, strcap;
} td_entities;

void td_entities_init(td_entities *es, const td_alloc *A);
void td_entities_free(td_entities *es);  /* safe to call twice */

/* Scratch of one tagger, reused across documents (grows by doubling). */
typedef struct td_ent_scratch {
  td_alloc A;
  void *buf;
  size_t cap;
  void *cand;
  size_t ncand, capcand;
  uint64_t *lower;     /* entities.c: the set of a document's lower-case words */
  size_t lowercap;
  td_model_scratch ms;
} td_ent_scratch;
void td_ent_scratch_init(td_ent_scratch *s, const td_alloc *A);
void td_ent_scratch_free(td_ent_scratch *s);  /* safe to call twice */

/* Find the entities of d (tokenized and split into sentences): the model's
 * spans (m may be NULL: gazetteer and rules only), gazetteer matches and
 * user patterns, typed with OntoNotes names, with roles and canonical names.
 * Returns TD_OK or TD_ENOMEM. */
int td_entities_find(const td_gazetteer *g, td_patterns *p, const td_model *m,
                     td_ent_scratch *s, const td_doc *d, td_entities *out);

/* ---- Quotations and speakers (quotes.c) --------------------------------- */

/* An entity span handed to td_quotes_find (bytes, end exclusive), with the
 * caller's index of its canonical name (-1: none).  Any order. */
enum td_qent_type { TD_QENT_OTHER = 0, TD_QENT_PERSON, TD_QENT_ORG, TD_QENT_PLACE };
typedef struct td_qent {
  uint32_t start, end;
  int32_t type;                   /* td_qent_type */
  int32_t canon;
} td_qent;

/* How the speaker was found. */
enum td_quote_how {
  TD_QH_NONE = 0,    /* unattributed */
  TD_QH_DASH,        /* “…” – Name */
  TD_QH_AFTER,       /* “…,” he said / “…,” said Name */
  TD_QH_BEFORE,      /* Name said, “…” / Name called it “…” */
  TD_QH_ACCORDING,   /* according to Name */
  TD_QH_CONTINUED,   /* a quote on its own after one by the same speaker */
  TD_QH_NHOW
};
extern const char *const td_quote_how_names[TD_QH_NHOW];
enum td_spk_kind { TD_SPK_NONE = 0, TD_SPK_PERSON, TD_SPK_ORG, TD_SPK_ROLE, TD_SPK_NAME, TD_SPK_NKINDS };
extern const char *const td_spk_kind_names[TD_SPK_NKINDS];
enum td_quote_flag {
  TD_QF_UNCLOSED = 1,    /* no closing mark before the paragraph ended */
  TD_QF_MULTIPARA = 2,   /* continued over paragraphs opened with a new mark */
  TD_QF_PARTIAL = 4,     /* a fragment inside the writer's sentence */
  TD_QF_PRONOUN = 8,     /* attributed through a pronoun (cue is the pronoun) */
  TD_QF_SINGLE = 16      /* in single marks ‘…’ */
};

typedef struct td_quote {
  uint32_t open, close;           /* the quotation with its marks */
  uint32_t start, end;            /* the quoted words, inside the marks */
  uint32_t spk_start, spk_end;    /* the mention naming the speaker (for a
                                     pronoun, its antecedent); empty: none */
  uint32_t name_start, name_end;  /* the fullest mention of that name */
  uint32_t cue_start, cue_end;    /* the attributing words ("he", "Fidan") */
  int32_t ent;                    /* index into the caller's entities, or -1 */
  uint8_t how, kind;              /* td_quote_how, td_spk_kind */
  uint16_t flags;                 /* td_quote_flag */
} td_quote;

typedef struct td_quotes {
  td_alloc A;
  td_quote *q;
  size_t n, cap;
  void *priv;                     /* scratch, reused between documents */
} td_quotes;

void td_quotes_init(td_quotes *r, const td_alloc *A);
void td_quotes_free(td_quotes *r);  /* safe to call twice */
/* Find the direct quotations of a tokenized doc and their speakers; ents
 * (may be NULL) are entity spans used as speaker candidates.  Replaces r->q.
 * Returns TD_OK or TD_ENOMEM. */
int td_quotes_find(td_quotes *r, const td_doc *d, const td_qent *ents, size_t nents);

/* ---- Boilerplate cleaning (clean.c) -------------------------------------- */

/* Rules (PCRE2, compiled once, JIT) plus structural heuristics that remove
 * boilerplate lines.  One match-data block is reused: a cleaner is not for
 * concurrent use. */
typedef struct td_cleaner td_cleaner;
/* Structural reasons; a cut's reason is rule index + 1 (> 0) or -1 - this. */
enum td_cut_struct { TD_CUT_REPEATED = 0, TD_CUT_KICKER, TD_CUT_AUTHOR, TD_CUT_TRAILER, TD_CUT_NSTRUCT };
extern const char *const td_clean_structural[TD_CUT_NSTRUCT];
typedef struct td_cut { uint32_t start, end; int reason; } td_cut;  /* a removed line */
typedef struct td_seg { uint32_t body, start, end; } td_seg;  /* body[body..] = text[start, end) */
typedef struct td_clean_out {
  td_alloc A;
  char *body;                     /* NUL-terminated, blen bytes */
  size_t blen, bcap;
  td_cut *cut;
  size_t ncut, ccut;
  td_seg *seg;
  size_t nseg, cseg;
} td_clean_out;

int td_cleaner_new(const td_alloc *A, int with_defaults, td_cleaner **out);
void td_cleaner_free(td_cleaner *c);  /* NULL is fine */
/* TD_EDATA for a bad pattern: err says why and gives the 1-based offset. */
int td_cleaner_add(td_cleaner *c, const char *name, size_t nlen, const char *pcre, size_t plen,
                   char *err, size_t errsz);
void td_cleaner_set_structure(td_cleaner *c, int on);
size_t td_cleaner_count(const td_cleaner *c);
const char *td_cleaner_rule(const td_cleaner *c, size_t i, size_t *len);
size_t td_cleaner_default_count(void);
const char *td_cleaner_default(size_t i, const char **pcre);
void td_clean_out_init(td_clean_out *o, const td_alloc *A);
void td_clean_out_free(td_clean_out *o);  /* safe to call twice */
/* Clean text into o (reused between calls).  TD_OK, TD_ENOMEM or TD_ETOOBIG. */
int td_clean(td_cleaner *c, const char *text, size_t len, td_clean_out *o);
const char *td_clean_reason(const td_cleaner *c, int reason, size_t *len);
/* The text offset of a body offset (0-based). */
size_t td_clean_to_original(const td_clean_out *o, size_t body_off);

/* ---- NER model: prediction history (model.c) ---------------------------- */

/* Prediction history (model.c): a model trained with it tags a document in
 * two passes; the second sees how the other mentions of each capitalised
 * word were tagged by the first.  td_model_tag_doc tags every sentence of d
 * (both passes when the model has the history), labels[0..d->ntok).
 * td_model_history: hist[0..d->ntok) from the labels of a first pass (for
 * training on held-out predictions); td_trainer_add_hist: td_trainer_add
 * with that history (hist indexed like d->tok, or NULL). */
int td_model_tag_doc(const td_model *m, td_model_scratch *s, const td_doc *d,
                     const uint32_t *gaz, uint16_t *labels);
int td_model_history(const td_model *m, td_model_scratch *s, const td_doc *d,
                     const uint16_t *labels, uint16_t *hist);
int td_model_has_history(const td_model *m);
int td_trainer_add_hist(td_trainer *t, const td_doc *d, size_t first, size_t last,
                        const uint32_t *gaz, const uint16_t *hist, const uint16_t *labels);

#endif
