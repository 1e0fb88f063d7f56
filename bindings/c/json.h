/*
 * json.h: a small, strict JSON parser (RFC 8259) for the C tests of
 * lambdasim. C11, no dependencies, no global state.
 *
 * json_parse reads a whole document into a tree; json_free frees it. The
 * input is (pointer, length) and need not be NUL-terminated: the parser never
 * reads outside it. Strict: no comments, no trailing commas, no leading
 * zeros, no control characters or invalid UTF-8 in strings, no lone
 * surrogates, no duplicate keys in an object, nothing after the value.
 * Nesting is limited to JSON_MAX_DEPTH. Errors name the byte offset.
 */
#ifndef LSIM_TEST_JSON_H
#define LSIM_TEST_JSON_H

#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_DEPTH 256

typedef enum json_type {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
} json_type;

typedef struct json_value json_value;
typedef struct json_member json_member;

typedef struct json_number {
    /* 1: an integer literal (no fraction or exponent) that fits in int64 or
     * uint64; 0: any other number (only `real` is meaningful). */
    int is_integer;
    int fits_int64;  /* `i` holds the value */
    int fits_uint64; /* `u` holds the value (non-negative integers) */
    int64_t i;
    uint64_t u;
    double real; /* the value as a double (always set) */
} json_number;

struct json_value {
    json_type type;
    size_t offset; /* byte offset of the value in the input */
    union {
        json_number number;
        struct {
            char *chars; /* UTF-8, NUL-terminated (may also contain NUL: use len) */
            size_t len;
        } string;
        struct {
            json_value *items;
            size_t len;
        } array;
        struct {
            json_member *members; /* in document order */
            size_t len;
        } object;
    } as;
};

struct json_member {
    char *key; /* NUL-terminated */
    size_t key_len;
    json_value value;
};

/* Parses `len` bytes at `text`. Returns the root (free with json_free) or
 * NULL with a message ("offset N: ...") in `err` (`err_len` bytes, may be 0). */
json_value *json_parse(const char *text, size_t len, char *err, size_t err_len);

/* Reads and parses a whole file; errors start with the path. */
json_value *json_parse_file(const char *path, char *err, size_t err_len);

/* Frees a tree from json_parse / json_parse_file. NULL is a no-op. */
void json_free(json_value *root);

/* The member `key` of an object; NULL if absent or `obj` is not an object. */
const json_value *json_get(const json_value *obj, const char *key);

/* "null", "boolean", "number", "string", "array" or "object". */
const char *json_type_name(json_type type);

#endif /* LSIM_TEST_JSON_H */
