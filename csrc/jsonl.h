/*
 * jsonl.h - the fast path for one line of JSONL input: find the top-level
 * "text" member of an object and decode that one string, so the rest of the
 * line (a few small metadata fields) is all a general JSON decoder has to
 * read.  Plain C, no Lua.
 */
#ifndef TIDINGS_JSONL_H
#define TIDINGS_JSONL_H

#include <stddef.h>

/* In the JSON text s[0..n) (one object, as a JSONL line holds), find the
 * value of the top-level member "text".  Returns 1 and sets [*vs, *ve) to the
 * value's string token (opening quote to one past the closing quote) when
 * the line is an object whose top level has exactly one key "text", that
 * key's value is a string, and no top-level key is written with an escape
 * (one could spell "text").  Returns 0 otherwise, and for anything the scan
 * cannot vouch for: the caller then decodes the whole line its usual way.
 * The scan checks the object's outline only (keys, colons, commas, balanced
 * brackets); the caller's decoder still reads the rest of the line. */
int td_jsonl_find_text(const char *s, size_t n, size_t *vs, size_t *ve);

/* Decode the JSON string token s[0..n) (quotes included) into out, which
 * needs room for n bytes (the decoded form is never longer).  Same rules as
 * lua/tidings/json.lua's decoder: the escapes \" \\ \/ \b \f \n \r \t and
 * \uXXXX (a surrogate pair is one code point, a lone surrogate becomes
 * U+FFFD, \u0000 a NUL byte), DEL and bytes >= 0x80 as they are, any other
 * control character an error.  Returns the decoded length, or (size_t)-1
 * when the token is not a valid JSON string. */
size_t td_json_unquote(const char *s, size_t n, char *out);

/* s[i] is '"': one past the string token's closing quote in s[0..n), or 0
 * when it does not close.  The token may still be invalid (td_json_unquote
 * says). */
size_t td_json_string_end(const char *s, size_t n, size_t i);

#endif
