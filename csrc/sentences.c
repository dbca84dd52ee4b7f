/*
 * sentences.c - tokens -> sentences.
 *
 * A sentence ends
 *  - after . ! ? ... or an ellipsis (with the quotes and brackets that close
 *    right after it: `... the war.”`), unless the next token continues the
 *    sentence (lower case, or , ; : ) );
 *  - after an abbreviation such as U.S. or Inc. only when the next word is a
 *    typical sentence opener (The, He, But, ...): `U.S. President` goes on;
 *    titles and initials (Mr., Gen., J.) never end a sentence;
 *  - at a blank line, always;
 *  - at a line break after a line without final punctuation (headlines,
 *    bylines), unless the next line starts in lower case (wrapped text).
 */
#include <string.h>

#include "tidings.h"

/* A literal with its length, so a list is filtered on length before bytes. */
typedef struct lit {
  const char *s;
  size_t n;
} lit;
#define L(x) { x, sizeof(x) - 1 }

static int tok_is(const td_doc *d, const td_token *t, const char *s, size_t n) {
  return t->end - t->start == n && memcmp(d->text + t->start, s, n) == 0;
}
#define TOK_IS(d, t, x) tok_is(d, t, x, sizeof(x) - 1)

/* . ! ? … and runs of them */
static int is_terminal(const td_doc *d, const td_token *t) {
  const uint8_t *s = (const uint8_t *)d->text + t->start;
  size_t n = t->end - t->start, i;
  if (t->kind != TD_PUNCT) return 0;
  if (n == 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xA6) return 1;  /* … */
  for (i = 0; i < n; i++)
    if (s[i] != '.' && s[i] != '!' && s[i] != '?') return 0;
  return 1;
}

/* Closing quotes and brackets that stay with the sentence they close. */
static int is_closer(const td_doc *d, const td_token *t) {
  const uint8_t *s = (const uint8_t *)d->text + t->start;
  if (t->kind != TD_PUNCT) return 0;
  switch (t->end - t->start) {
    case 1:
      if (s[0] == ')' || s[0] == ']') return 1;
      /* a straight quote glued to the full stop closes */
      return (s[0] == '"' || s[0] == '\'') && !(t->flags & TD_F_SPACE_BEFORE);
    case 2: return s[0] == 0xC2 && s[1] == 0xBB;                                /* » */
    case 3: return s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x9D || s[2] == 0x99);  /* ” ’ */
    default: return 0;
  }
}

/* The next token carries on the same sentence. */
static int continues(const td_doc *d, const td_token *t) {
  const uint8_t c = (uint8_t)d->text[t->start];
  if (t->flags & TD_F_PARA_BEFORE) return 0;
  if (t->kind == TD_WORD && !(t->flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER)) &&
      ((c >= 'a' && c <= 'z')))
    return 1;
  return t->kind == TD_PUNCT && (c == ',' || c == ';' || c == ':' || c == ')' || c == ']');
}

/* Abbreviations that are titles or name parts: never the end of a sentence. */
static const lit titles[] = {
  L("Mr."), L("Mrs."), L("Ms."), L("Dr."), L("Prof."), L("Gen."), L("Col."), L("Lt."), L("Sgt."),
  L("Capt."), L("Maj."), L("Adm."), L("Cmdr."), L("Cpl."), L("Pvt."), L("Sen."), L("Rep."),
  L("Gov."), L("Pres."), L("Rev."), L("Hon."), L("St."), L("Mt."), L("Ft."), L("No."),
  L("Messrs."), L("Jan."), L("Feb."), L("Mar."), L("Apr."), L("Jun."), L("Jul."), L("Aug."),
  L("Sep."), L("Sept."), L("Oct."), L("Nov."), L("Dec."), L("vs."), L("cf."), L("Gens."),
  L("Sens."), L("Reps."), L("Det."), L("Insp."), L("Supt."), L("Atty."), {NULL, 0}
};

/* Words that typically open a sentence after an ambiguous abbreviation. */
static const lit openers[] = {
  L("The"), L("A"), L("An"), L("He"), L("She"), L("It"), L("They"), L("We"), L("I"), L("You"),
  L("But"), L("And"), L("In"), L("This"), L("That"), L("These"), L("Those"), L("There"), L("His"),
  L("Her"), L("Its"), L("Their"), L("Our"), L("On"), L("At"), L("As"), L("For"), L("If"),
  L("When"), L("While"), L("After"), L("Before"), L("However"), L("Meanwhile"), L("Some"),
  L("Many"), L("Most"), L("Officials"), L("So"), L("Yet"), L("Still"), L("Then"), L("Now"),
  L("According"), L("Both"), L("One"), L("Two"), L("Last"), L("Earlier"), L("Later"), L("Since"),
  L("What"), L("Why"), L("How"), L("Who"), {NULL, 0}
};

/* A line ending in one of these is a wrapped line, not a headline. */
static const lit line_joiners[] = {
  L(","), L(";"), L(":"), L("-"), L("\xE2\x80\x93"), L("\xE2\x80\x94"), L("("), L("the"), L("a"),
  L("an"), L("of"), L("and"), L("or"), L("to"), L("in"), L("for"), L("on"), L("with"), L("that"),
  L("by"), L("at"), L("from"), L("as"), {NULL, 0}
};

static int in_list(const td_doc *d, const td_token *t, const lit *list) {
  const size_t n = t->end - t->start;
  const char c = d->text[t->start];
  /* length and first byte first: most entries fail there, without a call */
  for (; list->s; list++)
    if (list->n == n && list->s[0] == c && memcmp(d->text + t->start, list->s, n) == 0) return 1;
  return 0;
}

static int push_sentence(td_doc *d, size_t first, size_t last) {
  if (td_grow(&d->A, (void **)&d->sent, &d->capsent, d->nsent + 1, sizeof(td_sentence)))
    return TD_ENOMEM;
  d->sent[d->nsent].first = (uint32_t)first;
  d->sent[d->nsent].last = (uint32_t)last;
  d->nsent++;
  d->tok[first].flags |= TD_F_SENT_START;
  return TD_OK;
}

/* First bytes of the tokens is_terminal accepts: . ! ? and the … lead byte. */
#define TS(c) ((c) == '.' || (c) == '!' || (c) == '?' || (c) == 0xE2)
#define TS4(n) TS(n), TS(n + 1), TS(n + 2), TS(n + 3)
#define TS16(n) TS4(n), TS4(n + 4), TS4(n + 8), TS4(n + 12)
#define TS64(n) TS16(n), TS16(n + 16), TS16(n + 32), TS16(n + 48)
static const uint8_t terminal_start[256] = { TS64(0), TS64(64), TS64(128), TS64(192) };

/* Lower-case style counts: a final stop followed by a word after a space,
 * in upper or lower case. */
static void count_style(const td_doc *d, size_t i, size_t *lower, size_t *upper) {
  const td_token *tok = d->tok;
  if (i + 1 < d->ntok && is_terminal(d, &tok[i]) && tok[i + 1].kind == TD_WORD &&
      (tok[i + 1].flags & TD_F_SPACE_BEFORE)) {
    if (tok[i + 1].flags & (TD_F_UPPER_INITIAL | TD_F_ALL_UPPER)) (*upper)++;
    else (*lower)++;
  }
}

/*
 * The rules over the candidates cand[0..ncand) (in order, the last token
 * last; a token may be listed twice).  With `lower`/`upper` non-NULL it
 * also counts the lower-case style over the candidates.
 */
static int split(td_doc *d, const uint32_t *cand, size_t ncand, int lower_style,
                 size_t *lower, size_t *upper) {
  const td_token *tok = d->tok;
  const uint8_t *text = (const uint8_t *)d->text;
  size_t n = d->ntok, first = 0, i, k, next = 0;
  for (k = 0; k < ncand; k++) {
    const td_token *t;
    size_t end;  /* the sentence would end before token `end` */
    int brk = 0;
    /* the candidates' tokens and text are out of cache: fetch them ahead
     * (the text through a token fetched earlier) */
    if (k + 16 < ncand) __builtin_prefetch(&tok[cand[k + 16]]);
    if (k + 8 < ncand) __builtin_prefetch(text + tok[cand[k + 8]].start);
    i = cand[k];
    if (lower != NULL && !(k > 0 && cand[k - 1] == i)) count_style(d, i, lower, upper);
    if (i < next) continue;  /* inside the closers of the last sentence */
    t = &tok[i];
    end = i + 1;
    if (t->kind == TD_PUNCT && is_terminal(d, t)) {
      while (end < n && is_closer(d, &tok[end]) && !(tok[end].flags & TD_F_NEWLINE_BEFORE)) end++;
      brk = end >= n || !continues(d, &tok[end]) ||
            (lower_style && tok[end].kind == TD_WORD && (tok[end].flags & TD_F_SPACE_BEFORE));
    } else if (t->flags & TD_F_ABBREV) {
      if (end < n && !in_list(d, t, titles) &&
          !(t->end - t->start == 2 && d->text[t->start] >= 'A' && d->text[t->start] <= 'Z')) {
        const td_token *nx = &tok[end];
        brk = (nx->flags & TD_F_NEWLINE_BEFORE) || in_list(d, nx, openers) ||
              (nx->kind == TD_PUNCT && !continues(d, nx) && TOK_IS(d, nx, "\xE2\x80\x9C"));
      }
    }
    if (!brk && end < n && (tok[end].flags & TD_F_NEWLINE_BEFORE)) {
      /* a line break: a blank line always ends; a single one ends a line
       * without final punctuation unless the next line is lower case */
      brk = (tok[end].flags & TD_F_PARA_BEFORE) ||
            (!continues(d, &tok[end]) && !in_list(d, t, line_joiners));
    }
    if (brk || end >= n) {
      if (push_sentence(d, first, end)) return TD_ENOMEM;
      first = end;
      next = end;
    }
  }
  return TD_OK;
}

/*
 * Only a few tokens can end a sentence: a terminal, an abbreviation, a token
 * before a line break, and the last token.  td_tokenize lists them while it
 * makes the tokens; otherwise a first pass over the tokens, with no branch
 * that depends on more than the token and its successor, lists them.  The
 * rules then run over the candidates alone.
 *
 * Chat and comment text often starts sentences in lower case: when most
 * final stops are followed by a lower-case word, a lower-case word no
 * longer shows that the sentence goes on.  With td_tokenize's list the
 * style is counted during the rules, which assume news style; text that
 * turns out to be in lower-case style is split again.
 */
int td_sentences(td_doc *d) {
  const td_token *tok = d->tok;
  const uint8_t *text = (const uint8_t *)d->text;
  size_t n = d->ntok, i, k, ncand = 0, capcand = 0, lower = 0, upper = 0;
  uint32_t *cand = NULL;
  int rc = TD_OK, listed = d->has_cand;
  d->nsent = 0;
  if (listed) {
    /* take td_tokenize's list */
    cand = d->cand;
    ncand = d->ncand;
    capcand = d->capcand;
    d->cand = NULL;
    d->ncand = d->capcand = 0;
    d->has_cand = 0;
  } else {
    for (i = 0; i + 1 < n; i++) {
      const td_token *t = &tok[i];
      if (!((t->kind == TD_PUNCT && terminal_start[text[t->start]]) || (t->flags & TD_F_ABBREV) ||
            (tok[i + 1].flags & TD_F_NEWLINE_BEFORE)))
        continue;
      if (ncand == capcand && td_grow(&d->A, (void **)&cand, &capcand, ncand + 1, sizeof *cand)) {
        rc = TD_ENOMEM;
        goto done;
      }
      cand[ncand++] = (uint32_t)i;
      count_style(d, i, &lower, &upper);
    }
  }
  if (n > 0) {
    if (ncand == capcand && td_grow(&d->A, (void **)&cand, &capcand, ncand + 1, sizeof *cand)) {
      rc = TD_ENOMEM;
      goto done;
    }
    cand[ncand++] = (uint32_t)(n - 1);
  }
  if (!listed) {
    rc = split(d, cand, ncand, lower >= 2 && lower > upper, NULL, NULL);
  } else if ((rc = split(d, cand, ncand, 0, &lower, &upper)) == TD_OK && lower >= 2 && lower > upper) {
    /* lower-case style after all: undo the marks (td_tokenize made these
     * tokens without them) and split again */
    for (k = 0; k < d->nsent; k++) d->tok[d->sent[k].first].flags &= (uint16_t)~TD_F_SENT_START;
    d->nsent = 0;
    rc = split(d, cand, ncand, 1, NULL, NULL);
  }
done:
  td_free(&d->A, cand, capcand * sizeof *cand);
  td_shrink(&d->A, (void **)&d->sent, &d->capsent, d->nsent, sizeof(td_sentence));
  return rc;
}
