/*
 * json.c: the strict JSON parser of json.h. Every read of the input is
 * checked against its length; on an error everything built so far is freed.
 */
#include "json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const unsigned char *s;
    size_t len;
    size_t pos;
    size_t depth;
    char *err;
    size_t err_len;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void fail(parser *p, size_t offset, const char *fmt, ...) {
    if (p->err == NULL || p->err_len == 0) return;
    int n = snprintf(p->err, p->err_len, "offset %zu: ", offset);
    if (n < 0 || (size_t)n >= p->err_len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->err_len - (size_t)n, fmt, ap);
    va_end(ap);
}

/* The byte at the cursor for messages, or "end of input". */
static const char *describe(const parser *p, char buf[16]) {
    if (p->pos >= p->len) return "end of input";
    unsigned c = p->s[p->pos];
    if (c >= 0x20 && c < 0x7f) snprintf(buf, 16, "'%c'", (char)c);
    else snprintf(buf, 16, "byte 0x%02x", c);
    return buf;
}

static void skip_ws(parser *p) {
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        p->pos++;
    }
}

/* Room for item `len` of an array of `*cap` items: the array (maybe moved),
 * or NULL when out of memory (the old array is then still valid). */
static void *grow(void *items, size_t *cap, size_t len, size_t size) {
    if (len < *cap) return items;
    size_t n = *cap ? *cap * 2 : 4;
    if (n < *cap || n > SIZE_MAX / size) return NULL;
    void *q = realloc(items, n * size);
    if (q != NULL) *cap = n;
    return q;
}

static void free_value(json_value *v) {
    switch (v->type) {
    case JSON_STRING:
        free(v->as.string.chars);
        break;
    case JSON_ARRAY:
        for (size_t i = 0; i < v->as.array.len; i++) free_value(&v->as.array.items[i]);
        free(v->as.array.items);
        break;
    case JSON_OBJECT:
        for (size_t i = 0; i < v->as.object.len; i++) {
            free(v->as.object.members[i].key);
            free_value(&v->as.object.members[i].value);
        }
        free(v->as.object.members);
        break;
    default:
        break;
    }
    v->type = JSON_NULL;
}

static int hex4(parser *p, size_t at, unsigned *out) {
    if (p->len - at < 4) return fail(p, at, "truncated \\u escape"), -1;
    unsigned v = 0;
    for (size_t i = 0; i < 4; i++) {
        unsigned c = p->s[at + i], d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return fail(p, at + i, "invalid hex digit in \\u escape"), -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

/* Length of the valid UTF-8 sequence at `at` (2..4), or 0. */
static size_t utf8_seq(const parser *p, size_t at) {
    const unsigned char *s = p->s + at;
    size_t left = p->len - at, n;
    unsigned char lo = 0x80, hi = 0xBF, c = s[0];
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return 0;
    if (left < n || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return n;
}

static size_t put_utf8(char *o, unsigned cp) {
    if (cp < 0x80) return o[0] = (char)cp, 1;
    if (cp < 0x800) return o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        return o[2] = (char)(0x80 | (cp & 0x3F)), 3;
    }
    o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The cursor is on the opening quote. The decoded text is never longer than
 * the raw text, so one allocation of the raw span suffices. */
static int parse_string(parser *p, char **chars, size_t *len) {
    size_t start = ++p->pos, end = start;
    while (end < p->len && p->s[end] != '"') end += p->s[end] == '\\' ? 2 : 1;
    if (end >= p->len) return fail(p, start - 1, "unterminated string"), -1;
    char *o = malloc(end - start + 1);
    if (o == NULL) return fail(p, start, "out of memory"), -1;
    size_t n = 0;
    while (p->pos < end) {
        size_t at = p->pos;
        unsigned char c = p->s[at];
        if (c < 0x20) {
            fail(p, at, "control character 0x%02x in string (escape it)", c);
            goto bad;
        }
        if (c >= 0x80) {
            size_t k = utf8_seq(p, at);
            if (k == 0 || at + k > end) {
                fail(p, at, "invalid UTF-8 in string");
                goto bad;
            }
            memcpy(o + n, p->s + at, k), n += k, p->pos += k;
            continue;
        }
        p->pos++;
        if (c != '\\') {
            o[n++] = (char)c;
            continue;
        }
        unsigned cp; /* the escape: the scan above guarantees a byte after '\\' */
        switch (p->s[p->pos++]) {
        case '"': o[n++] = '"'; continue;
        case '\\': o[n++] = '\\'; continue;
        case '/': o[n++] = '/'; continue;
        case 'b': o[n++] = '\b'; continue;
        case 'f': o[n++] = '\f'; continue;
        case 'n': o[n++] = '\n'; continue;
        case 'r': o[n++] = '\r'; continue;
        case 't': o[n++] = '\t'; continue;
        case 'u': break;
        default: fail(p, at, "invalid escape"); goto bad;
        }
        if (hex4(p, p->pos, &cp) != 0) goto bad;
        p->pos += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(p, at, "lone low surrogate \\u%04X", cp);
            goto bad;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (p->len - p->pos < 2 || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u' ||
                hex4(p, p->pos + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF) {
                fail(p, at, "high surrogate \\u%04X not followed by a low surrogate", cp);
                goto bad;
            }
            p->pos += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        n += put_utf8(o + n, cp);
    }
    p->pos = end + 1;
    o[n] = '\0';
    *chars = o;
    *len = n;
    return 0;
bad:
    free(o);
    return -1;
}

static int is_digit(const parser *p, size_t at) {
    return at < p->len && p->s[at] >= '0' && p->s[at] <= '9';
}

static int parse_number(parser *p, json_number *num) {
    size_t start = p->pos, i = start;
    int neg = 0, integer = 1, overflow = 0;
    uint64_t mag = 0;
    if (i < p->len && p->s[i] == '-') neg = 1, i++;
    if (!is_digit(p, i)) return fail(p, i, "expected a digit"), -1;
    if (p->s[i] == '0' && is_digit(p, i + 1)) return fail(p, i, "leading zero in a number"), -1;
    for (; is_digit(p, i); i++) {
        unsigned d = p->s[i] - '0';
        if (mag > (UINT64_MAX - d) / 10) overflow = 1;
        else mag = mag * 10 + d;
    }
    if (i < p->len && p->s[i] == '.') {
        integer = 0;
        if (!is_digit(p, ++i)) return fail(p, i, "expected a digit after '.'"), -1;
        while (is_digit(p, i)) i++;
    }
    if (i < p->len && (p->s[i] == 'e' || p->s[i] == 'E')) {
        integer = 0;
        if (++i < p->len && (p->s[i] == '+' || p->s[i] == '-')) i++;
        if (!is_digit(p, i)) return fail(p, i, "expected a digit in the exponent"), -1;
        while (is_digit(p, i)) i++;
    }
    memset(num, 0, sizeof *num);
    if (integer && !overflow) {
        if (!neg || mag == 0) num->fits_uint64 = 1, num->u = mag;
        if (!neg && mag <= (uint64_t)INT64_MAX) num->fits_int64 = 1, num->i = (int64_t)mag;
        if (neg && mag <= (uint64_t)INT64_MAX + 1)
            num->fits_int64 = 1, num->i = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
        num->is_integer = num->fits_int64 || num->fits_uint64;
    }
    /* strtod needs a NUL-terminated copy; the token is a valid decimal number. */
    char small[64], *buf = small;
    size_t n = i - start;
    if (n >= sizeof small && (buf = malloc(n + 1)) == NULL) return fail(p, start, "out of memory"), -1;
    memcpy(buf, p->s + start, n);
    buf[n] = '\0';
    num->real = strtod(buf, NULL);
    if (buf != small) free(buf);
    p->pos = i;
    return 0;
}

static int literal(parser *p, const char *word, json_type type, json_value *out) {
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0)
        return fail(p, p->pos, "invalid literal (expected %s)", word), -1;
    p->pos += n;
    out->type = type;
    return 0;
}

static int parse_value(parser *p, json_value *out);

static int parse_array(parser *p, json_value *out) {
    size_t cap = 0;
    out->type = JSON_ARRAY;
    out->as.array.items = NULL;
    out->as.array.len = 0;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') return p->pos++, 0;
    for (;;) {
        json_value *items = grow(out->as.array.items, &cap, out->as.array.len, sizeof *items);
        if (items == NULL) return fail(p, p->pos, "out of memory"), -1;
        out->as.array.items = items;
        if (parse_value(p, &out->as.array.items[out->as.array.len]) != 0) return -1;
        out->as.array.len++;
        skip_ws(p);
        char b[16];
        if (p->pos < p->len && p->s[p->pos] == ',') p->pos++;
        else if (p->pos < p->len && p->s[p->pos] == ']') return p->pos++, 0;
        else return fail(p, p->pos, "expected ',' or ']' in array, found %s", describe(p, b)), -1;
    }
}

static int parse_object(parser *p, json_value *out) {
    size_t cap = 0;
    out->type = JSON_OBJECT;
    out->as.object.members = NULL;
    out->as.object.len = 0;
    p->pos++;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') return p->pos++, 0;
    for (;;) {
        char b[16];
        skip_ws(p);
        size_t at = p->pos;
        if (p->pos >= p->len || p->s[p->pos] != '"')
            return fail(p, p->pos, "expected a string key, found %s", describe(p, b)), -1;
        json_member *members = grow(out->as.object.members, &cap, out->as.object.len, sizeof *members);
        if (members == NULL) return fail(p, p->pos, "out of memory"), -1;
        out->as.object.members = members;
        json_member *m = &members[out->as.object.len];
        if (parse_string(p, &m->key, &m->key_len) != 0) return -1;
        for (size_t i = 0; i < out->as.object.len; i++) {
            const json_member *o = &out->as.object.members[i];
            if (o->key_len == m->key_len && memcmp(o->key, m->key, m->key_len) == 0) {
                fail(p, at, "duplicate key \"%s\"", m->key);
                free(m->key);
                return -1;
            }
        }
        skip_ws(p);
        if (p->pos >= p->len || p->s[p->pos] != ':') {
            fail(p, p->pos, "expected ':' after a key, found %s", describe(p, b));
            free(m->key);
            return -1;
        }
        p->pos++;
        if (parse_value(p, &m->value) != 0) {
            free(m->key);
            return -1;
        }
        out->as.object.len++;
        skip_ws(p);
        if (p->pos < p->len && p->s[p->pos] == ',') p->pos++;
        else if (p->pos < p->len && p->s[p->pos] == '}') return p->pos++, 0;
        else return fail(p, p->pos, "expected ',' or '}' in object, found %s", describe(p, b)), -1;
    }
}

/* On failure nothing of `out` stays allocated. */
static int parse_value(parser *p, json_value *out) {
    char b[16];
    skip_ws(p);
    memset(out, 0, sizeof *out);
    out->offset = p->pos;
    if (p->pos >= p->len) return fail(p, p->pos, "expected a value, found end of input"), -1;
    switch (p->s[p->pos]) {
    case 'n': return literal(p, "null", JSON_NULL, out);
    case 't': return literal(p, "true", JSON_TRUE, out);
    case 'f': return literal(p, "false", JSON_FALSE, out);
    case '"':
        out->type = JSON_STRING;
        return parse_string(p, &out->as.string.chars, &out->as.string.len);
    case '[':
    case '{': {
        if (++p->depth > JSON_MAX_DEPTH) return fail(p, p->pos, "nesting deeper than %d", JSON_MAX_DEPTH), -1;
        int rc = p->s[p->pos] == '[' ? parse_array(p, out) : parse_object(p, out);
        p->depth--;
        if (rc != 0) free_value(out);
        return rc;
    }
    default:
        if (p->s[p->pos] == '-' || is_digit(p, p->pos)) {
            out->type = JSON_NUMBER;
            return parse_number(p, &out->as.number);
        }
        return fail(p, p->pos, "expected a value, found %s", describe(p, b)), -1;
    }
}

json_value *json_parse(const char *text, size_t len, char *err, size_t err_len) {
    parser p = {(const unsigned char *)text, len, 0, 0, err, err_len};
    if (err != NULL && err_len > 0) err[0] = '\0';
    if (text == NULL) return fail(&p, 0, "no input"), NULL;
    json_value *root = malloc(sizeof *root);
    if (root == NULL) return fail(&p, 0, "out of memory"), NULL;
    if (parse_value(&p, root) != 0) return free(root), NULL;
    skip_ws(&p);
    if (p.pos != p.len) {
        char b[16];
        fail(&p, p.pos, "unexpected %s after the value", describe(&p, b));
        json_free(root);
        return NULL;
    }
    return root;
}

json_value *json_parse_file(const char *path, char *err, size_t err_len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        if (err != NULL && err_len > 0) snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int bad = 0;
    for (;;) {
        char *more = grow(buf, &cap, len, 1);
        if (more == NULL) {
            bad = 1;
            break;
        }
        buf = more;
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            bad = ferror(f);
            break;
        }
    }
    fclose(f);
    json_value *root = NULL;
    if (bad) {
        if (err != NULL && err_len > 0) snprintf(err, err_len, "%s: read failed or out of memory", path);
    } else {
        char msg[256];
        root = json_parse(buf != NULL ? buf : "", len, msg, sizeof msg);
        if (root == NULL && err != NULL && err_len > 0) snprintf(err, err_len, "%s: %s", path, msg);
    }
    free(buf);
    return root;
}

void json_free(json_value *root) {
    if (root == NULL) return;
    free_value(root);
    free(root);
}

const json_value *json_get(const json_value *obj, const char *key) {
    if (obj == NULL || obj->type != JSON_OBJECT || key == NULL) return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i < obj->as.object.len; i++) {
        const json_member *m = &obj->as.object.members[i];
        if (m->key_len == n && memcmp(m->key, key, n) == 0) return &m->value;
    }
    return NULL;
}

const char *json_type_name(json_type type) {
    switch (type) {
    case JSON_NULL: return "null";
    case JSON_FALSE:
    case JSON_TRUE: return "boolean";
    case JSON_NUMBER: return "number";
    case JSON_STRING: return "string";
    case JSON_ARRAY: return "array";
    case JSON_OBJECT: return "object";
    }
    return "unknown";
}
