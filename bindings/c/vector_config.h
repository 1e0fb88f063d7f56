/*
 * vector_config.h: strict accessors for the JSON of tests/vectors/ and the
 * `region` / `functions[]` settings of its format (tests/vectors/README.md),
 * shared by test_vectors.c and test_digest.c.
 *
 * Accessors take an object (NULL reads as an empty object), a key and a
 * context for messages. They return 1 when the key is present and valid
 * (the value is written to *out), 0 when it is missing, and -1 with a
 * message in *err when it has the wrong type or range.
 */
#ifndef LSIM_TEST_VECTOR_CONFIG_H
#define LSIM_TEST_VECTOR_CONFIG_H

#include "json.h"
#include "lambdasim.h"

#include <stdint.h>

typedef struct vc_error {
    char msg[1024];
} vc_error;

/* Writes the message; returns -1. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int vc_fail(vc_error *err, const char *fmt, ...);

/* 0 when `v` is an object, else -1 ("<ctx>: expected an object, found ..."). */
int vc_object(const json_value *v, const char *ctx, vc_error *err);

/* 0 when every key of `obj` is in `allowed` (NULL-terminated), else -1. */
int vc_allow_keys(const json_value *obj, const char *const *allowed, const char *ctx, vc_error *err);

int vc_opt_u64(const json_value *obj, const char *key, const char *ctx, uint64_t *out, vc_error *err);
int vc_opt_u32(const json_value *obj, const char *key, const char *ctx, uint32_t *out, vc_error *err);
/* A string without NUL bytes; *out points into the tree. */
int vc_opt_str(const json_value *obj, const char *key, const char *ctx, const char **out, vc_error *err);
int vc_opt_bool(const json_value *obj, const char *key, const char *ctx, int *out, vc_error *err);

/* Like the vc_opt_* accessors, but a missing key is an error (returns 0 or -1). */
int vc_req_u64(const json_value *obj, const char *key, const char *ctx, uint64_t *out, vc_error *err);
int vc_req_str(const json_value *obj, const char *key, const char *ctx, const char **out, vc_error *err);

/* The vector's `region` (NULL: the defaults) as a C ABI config. */
int vc_region_config(const json_value *region, lsim_region_config *out, vc_error *err);

/* One `functions[]` entry: its name and C ABI config. */
int vc_function_config(const json_value *fn, const char *ctx, const char **name, lsim_function_config *out,
                       vc_error *err);

/* Codes of the vector format's names: 0 with the code in *out, -1 when unknown.
 * Granularity "1ms"/"100ms"; architecture "x86_64"/"arm64"; prices
 * "us-east-1"/"us-east-1-2020". */
int vc_granularity(const char *name, uint32_t *out);
int vc_architecture(const char *name, uint32_t *out);
int vc_prices(const char *name, uint32_t *out);

/* 0 when no number in `v` (recursively) is an integer above 2^53 - 1 (which
 * JavaScript would misread), else -1 with a message. */
int vc_js_safe(const json_value *v, const char *ctx, vc_error *err);

/* A short description of a value for messages: its type, or its value for
 * numbers, booleans and null. Returns `buf`. */
const char *vc_describe(const json_value *v, char *buf, size_t len);

#endif /* LSIM_TEST_VECTOR_CONFIG_H */
