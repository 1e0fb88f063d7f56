/*
 * test_json.c: checks the strict JSON parser (json.h) on valid and
 * malformed input, every truncation of a document and single-byte
 * corruptions of it. Inputs are copied into buffers of their exact length
 * (no NUL after them), so ASan and valgrind catch any read out of bounds.
 * The last line is "N passed, M failed".
 */
#include "json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned passed, failed;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond) {                                                                 \
            passed++;                                                               \
        } else {                                                                    \
            failed++;                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

/* Parses `len` bytes copied into an exact-size heap buffer. */
static json_value *parse_exact(const char *text, size_t len, char *err, size_t err_len) {
    char *copy = malloc(len ? len : 1);
    if (copy == NULL) abort();
    if (len) memcpy(copy, text, len);
    json_value *v = json_parse(copy, len, err, err_len);
    free(copy);
    return v;
}

/* `text` is rejected with "offset N: <needle>..." at offset `at`. */
static void rejects(const char *text, size_t len, size_t at, const char *needle) {
    char err[256], want[32];
    json_value *v = parse_exact(text, len, err, sizeof err);
    snprintf(want, sizeof want, "offset %zu: ", at);
    int ok = v == NULL && strncmp(err, want, strlen(want)) == 0 && strstr(err, needle) != NULL;
    if (!ok) fprintf(stderr, "input %.*s: got \"%s\", want \"%s...%s\"\n", (int)len, text, v ? "success" : err, want, needle);
    CHECK(ok);
    json_free(v);
}
#define REJECTS(lit, at, needle) rejects(lit, sizeof(lit) - 1, at, needle)

static json_value *accepts(const char *text) {
    char err[256];
    json_value *v = parse_exact(text, strlen(text), err, sizeof err);
    if (v == NULL) fprintf(stderr, "input %s: %s\n", text, err);
    CHECK(v != NULL);
    return v;
}

static void test_values(void) {
    json_value *v = accepts(" {\"a\": [1, -2, 1.5, true, false, null, \"x\"], \"b\": {}, \"c\": []}\n");
    if (v == NULL) return;
    const json_value *a = json_get(v, "a");
    CHECK(v->type == JSON_OBJECT && v->as.object.len == 3 && v->offset == 1);
    CHECK(a != NULL && a->type == JSON_ARRAY && a->as.array.len == 7);
    if (a != NULL && a->as.array.len == 7) {
        const json_value *it = a->as.array.items;
        CHECK(it[0].as.number.is_integer && it[0].as.number.fits_uint64 && it[0].as.number.u == 1);
        CHECK(it[1].as.number.is_integer && !it[1].as.number.fits_uint64 && it[1].as.number.i == -2);
        CHECK(!it[2].as.number.is_integer && it[2].as.number.real == 1.5);
        CHECK(it[3].type == JSON_TRUE && it[4].type == JSON_FALSE && it[5].type == JSON_NULL);
        CHECK(it[6].type == JSON_STRING && strcmp(it[6].as.string.chars, "x") == 0);
    }
    CHECK(json_get(v, "b") != NULL && json_get(v, "b")->as.object.len == 0);
    CHECK(json_get(v, "missing") == NULL && json_get(a, "a") == NULL && json_get(NULL, "a") == NULL);
    json_free(v);

    v = accepts("[0, -0, 18446744073709551615, 9223372036854775807, -9223372036854775808, 18446744073709551616,"
                " -9223372036854775809, 1e3, -1E-2, 0.0]");
    if (v != NULL && v->as.array.len == 10) {
        const json_number *n[10];
        for (size_t i = 0; i < 10; i++) n[i] = &v->as.array.items[i].as.number;
        CHECK(n[0]->fits_uint64 && n[0]->fits_int64 && n[0]->u == 0);
        CHECK(n[1]->is_integer && n[1]->i == 0);
        CHECK(n[2]->fits_uint64 && !n[2]->fits_int64 && n[2]->u == UINT64_MAX);
        CHECK(n[3]->fits_uint64 && n[3]->fits_int64 && n[3]->i == INT64_MAX);
        CHECK(!n[4]->fits_uint64 && n[4]->fits_int64 && n[4]->i == INT64_MIN);
        CHECK(!n[5]->is_integer && !n[5]->fits_uint64 && n[5]->real > 1.8e19);
        CHECK(!n[6]->is_integer && !n[6]->fits_int64);
        CHECK(!n[7]->is_integer && n[7]->real == 1000.0);
        CHECK(!n[8]->is_integer && n[8]->real == -0.01);
        CHECK(!n[9]->is_integer);
    }
    json_free(v);

    v = accepts("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00\\u0000z\xc3\xa9\"");
    if (v != NULL) {
        static const char want[] = "a\"\\/\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\0z\xc3\xa9";
        CHECK(v->as.string.len == sizeof want - 1 && memcmp(v->as.string.chars, want, sizeof want) == 0);
    }
    json_free(v);
}

static void test_errors(void) {
    REJECTS("", 0, "expected a value");
    REJECTS("  ", 2, "expected a value");
    REJECTS("{", 1, "expected a string key");
    REJECTS("[", 1, "expected a value");
    REJECTS("[1,]", 3, "expected a value");
    REJECTS("[1 2]", 3, "expected ',' or ']'");
    REJECTS("{\"a\":1,}", 7, "expected a string key");
    REJECTS("{\"a\" 1}", 5, "expected ':'");
    REJECTS("{1:2}", 1, "expected a string key");
    REJECTS("{\"a\":1 \"b\":2}", 7, "expected ',' or '}'");
    REJECTS("{\"a\":1,\"a\":2}", 7, "duplicate key");
    REJECTS("01", 0, "leading zero");
    REJECTS("-01", 1, "leading zero");
    REJECTS("1.", 2, "after '.'");
    REJECTS(".5", 0, "expected a value");
    REJECTS("-", 1, "expected a digit");
    REJECTS("+1", 0, "expected a value");
    REJECTS("1e", 2, "exponent");
    REJECTS("1e+", 3, "exponent");
    REJECTS("1 2", 2, "after the value");
    REJECTS("nul", 0, "expected null");
    REJECTS("tru", 0, "expected true");
    REJECTS("falsey", 5, "after the value");
    REJECTS("\"abc", 0, "unterminated string");
    REJECTS("\"abc\\", 0, "unterminated string");
    REJECTS("\"\\x\"", 1, "invalid escape");
    REJECTS("\"\\u12\"", 3, "truncated \\u escape");
    REJECTS("[\"\\u12\"]", 6, "invalid hex digit");
    REJECTS("\"\\u12", 0, "unterminated");
    REJECTS("\"\\ud800\"", 1, "high surrogate");
    REJECTS("\"\\ud800\\u0041\"", 1, "high surrogate");
    REJECTS("\"\\udc00\"", 1, "lone low surrogate");
    REJECTS("\"a\tb\"", 2, "control character");
    REJECTS("\"\xff\"", 1, "UTF-8");
    REJECTS("\"\xc0\xaf\"", 1, "UTF-8");
    REJECTS("\"\xed\xa0\x80\"", 1, "UTF-8");
    REJECTS("\"\xf4\x90\x80\x80\"", 1, "UTF-8");
    REJECTS("\"\xe2\x82\"", 1, "UTF-8");
    REJECTS("[1]\0", 3, "after the value");
    REJECTS("// c\n1", 0, "expected a value");
    REJECTS("[1]x", 3, "unexpected 'x'");

    /* Nesting: JSON_MAX_DEPTH levels parse, one more does not. */
    char deep[2 * JSON_MAX_DEPTH + 4];
    memset(deep, '[', JSON_MAX_DEPTH);
    memset(deep + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
    json_value *v = parse_exact(deep, 2 * JSON_MAX_DEPTH, NULL, 0);
    CHECK(v != NULL);
    json_free(v);
    memset(deep, '[', JSON_MAX_DEPTH + 1);
    memset(deep + JSON_MAX_DEPTH + 1, ']', JSON_MAX_DEPTH + 1);
    rejects(deep, 2 * JSON_MAX_DEPTH + 2, JSON_MAX_DEPTH, "nesting");

    /* A small error buffer truncates the message, NULL drops it. */
    char small[8];
    CHECK(parse_exact("[", 1, small, sizeof small) == NULL && strlen(small) == sizeof small - 1);
    CHECK(parse_exact("[", 1, NULL, 0) == NULL);
    CHECK(json_parse(NULL, 0, small, sizeof small) == NULL);

    char err[512];
    CHECK(json_parse_file("/nonexistent/lsim.json", err, sizeof err) == NULL && strstr(err, "/nonexistent") == err);
    json_free(NULL);
}

/* Every proper prefix of a document fails; every single-byte corruption
 * parses or fails cleanly (the sanitizers and valgrind judge the reads). */
static void test_truncations_and_corruptions(void) {
    static const char doc[] =
        "{\"name\": \"x\\u00e9\\ud83d\\ude00\", \"steps\": [{\"at_us\": 0, \"op\": \"invoke\", \"n\": -12.5e-3},"
        " {\"ok\": true, \"no\": false, \"nil\": null, \"big\": 18446744073709551616, \"s\": \"\xc3\xa9\\n\"}], "
        "\"empty\": [], \"obj\": {}}";
    const size_t len = sizeof doc - 1;
    json_value *v = accepts(doc);
    json_free(v);
    unsigned bad = 0;
    for (size_t n = 0; n < len; n++) {
        char err[256] = "";
        size_t at = 0;
        v = parse_exact(doc, n, err, sizeof err);
        if (v != NULL || sscanf(err, "offset %zu:", &at) != 1 || at > n) bad++;
        json_free(v);
    }
    CHECK(bad == 0);
    static const char bytes[] = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '.', 'u', ' ', '\0', '\x01',
                                 '\x80', '\xc3', '\xed', '\xff'};
    char *copy = malloc(len);
    if (copy == NULL) abort();
    bad = 0;
    for (size_t i = 0; i < len; i++) {
        for (size_t b = 0; b < sizeof bytes; b++) {
            char err[256] = "";
            size_t at = 0;
            memcpy(copy, doc, len);
            copy[i] = bytes[b];
            v = json_parse(copy, len, err, sizeof err);
            if (v == NULL && (sscanf(err, "offset %zu:", &at) != 1 || at > len)) bad++;
            json_free(v);
        }
    }
    free(copy);
    CHECK(bad == 0);
}

int main(void) {
    test_values();
    test_errors();
    test_truncations_and_corruptions();
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
