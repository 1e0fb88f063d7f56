/*
 * vector_config.c: see vector_config.h. Mirrors the strict accessors and
 * settings parser of the Rust runner (tests/src/vectors.rs).
 */
#include "vector_config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int vc_fail(vc_error *err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

const char *vc_describe(const json_value *v, char *buf, size_t len) {
    if (v->type == JSON_NUMBER && v->as.number.fits_int64) snprintf(buf, len, "%" PRId64, v->as.number.i);
    else if (v->type == JSON_NUMBER && v->as.number.fits_uint64) snprintf(buf, len, "%" PRIu64, v->as.number.u);
    else if (v->type == JSON_NUMBER) snprintf(buf, len, "%.17g", v->as.number.real);
    else if (v->type == JSON_STRING) snprintf(buf, len, "a string (\"%.40s\")", v->as.string.chars);
    else if (v->type == JSON_TRUE || v->type == JSON_FALSE || v->type == JSON_NULL)
        snprintf(buf, len, "%s", v->type == JSON_TRUE ? "true" : v->type == JSON_FALSE ? "false" : "null");
    else snprintf(buf, len, "an %s", json_type_name(v->type));
    return buf;
}

int vc_object(const json_value *v, const char *ctx, vc_error *err) {
    char d[80];
    if (v != NULL && v->type == JSON_OBJECT) return 0;
    return vc_fail(err, "%s: expected an object, found %s", ctx, v ? vc_describe(v, d, sizeof d) : "nothing");
}

int vc_allow_keys(const json_value *obj, const char *const *allowed, const char *ctx, vc_error *err) {
    if (obj == NULL) return 0;
    if (obj->type != JSON_OBJECT) return vc_object(obj, ctx, err);
    for (size_t i = 0; i < obj->as.object.len; i++) {
        const json_member *m = &obj->as.object.members[i];
        int ok = 0;
        for (const char *const *a = allowed; *a != NULL && !ok; a++)
            ok = strlen(*a) == m->key_len && memcmp(*a, m->key, m->key_len) == 0;
        if (!ok) {
            char list[512] = "";
            size_t n = 0;
            for (const char *const *a = allowed; *a != NULL && n < sizeof list; a++) {
                int k = snprintf(list + n, sizeof list - n, "%s%s", a == allowed ? "" : ", ", *a);
                if (k < 0) break;
                n += (size_t)k;
            }
            return vc_fail(err, "%s: unknown key `%s` (allowed: %s)", ctx, m->key, list);
        }
    }
    return 0;
}

int vc_opt_u64(const json_value *obj, const char *key, const char *ctx, uint64_t *out, vc_error *err) {
    const json_value *v = json_get(obj, key);
    char d[80];
    if (v == NULL) return 0;
    if (v->type != JSON_NUMBER || !v->as.number.fits_uint64)
        return vc_fail(err, "%s: `%s` must be a non-negative integer, found %s", ctx, key, vc_describe(v, d, sizeof d));
    *out = v->as.number.u;
    return 1;
}

int vc_opt_u32(const json_value *obj, const char *key, const char *ctx, uint32_t *out, vc_error *err) {
    uint64_t n = 0;
    int rc = vc_opt_u64(obj, key, ctx, &n, err);
    if (rc == 1 && n > UINT32_MAX) return vc_fail(err, "%s: `%s` = %" PRIu64 " does not fit in 32 bits", ctx, key, n);
    if (rc == 1) *out = (uint32_t)n;
    return rc;
}

int vc_opt_str(const json_value *obj, const char *key, const char *ctx, const char **out, vc_error *err) {
    const json_value *v = json_get(obj, key);
    char d[80];
    if (v == NULL) return 0;
    if (v->type != JSON_STRING)
        return vc_fail(err, "%s: `%s` must be a string, found %s", ctx, key, vc_describe(v, d, sizeof d));
    if (strlen(v->as.string.chars) != v->as.string.len)
        return vc_fail(err, "%s: `%s` must not contain a NUL character", ctx, key);
    *out = v->as.string.chars;
    return 1;
}

int vc_opt_bool(const json_value *obj, const char *key, const char *ctx, int *out, vc_error *err) {
    const json_value *v = json_get(obj, key);
    char d[80];
    if (v == NULL) return 0;
    if (v->type != JSON_TRUE && v->type != JSON_FALSE)
        return vc_fail(err, "%s: `%s` must be a boolean, found %s", ctx, key, vc_describe(v, d, sizeof d));
    *out = v->type == JSON_TRUE;
    return 1;
}

int vc_req_u64(const json_value *obj, const char *key, const char *ctx, uint64_t *out, vc_error *err) {
    int rc = vc_opt_u64(obj, key, ctx, out, err);
    return rc == 0 ? vc_fail(err, "%s: missing `%s`", ctx, key) : rc < 0 ? -1 : 0;
}

int vc_req_str(const json_value *obj, const char *key, const char *ctx, const char **out, vc_error *err) {
    int rc = vc_opt_str(obj, key, ctx, out, err);
    return rc == 0 ? vc_fail(err, "%s: missing `%s`", ctx, key) : rc < 0 ? -1 : 0;
}

static const char *const REGION_KEYS[] = {
    "account_limit", "unreserved_min",  "scaling",     "request_rate_per_limit", "idle_timeout_us",
    "max_lifetime_us", "shutdown_us",   "warm_pick",   "memory_rule",            "provisioned_delay_us",
    "provisioned_per_minute", "granularity", "bill_init", "async_queue", NULL,
};

int vc_granularity(const char *name, uint32_t *out) {
    if (strcmp(name, "1ms") == 0) *out = LSIM_GRANULARITY_1MS;
    else if (strcmp(name, "100ms") == 0) *out = LSIM_GRANULARITY_100MS;
    else return -1;
    return 0;
}

int vc_architecture(const char *name, uint32_t *out) {
    if (strcmp(name, "x86_64") == 0) *out = LSIM_ARCH_X86_64;
    else if (strcmp(name, "arm64") == 0) *out = LSIM_ARCH_ARM64;
    else return -1;
    return 0;
}

int vc_prices(const char *name, uint32_t *out) {
    if (strcmp(name, "us-east-1") == 0) *out = LSIM_PRICES_US_EAST_1;
    else if (strcmp(name, "us-east-1-2020") == 0) *out = LSIM_PRICES_US_EAST_1_2020;
    else return -1;
    return 0;
}

int vc_js_safe(const json_value *v, const char *ctx, vc_error *err) {
    const uint64_t max = (UINT64_C(1) << 53) - 1;
    char d[80];
    switch (v->type) {
    case JSON_NUMBER:
        if (v->as.number.is_integer &&
            (v->as.number.fits_uint64 ? v->as.number.u > max
                                      : !v->as.number.fits_int64 || v->as.number.i < -(int64_t)max))
            return vc_fail(err, "%s: %s is past 2^53 - 1 (write large quantities as strings)", ctx,
                           vc_describe(v, d, sizeof d));
        if (!v->as.number.is_integer && (v->as.number.real > (double)max || v->as.number.real < -(double)max))
            return vc_fail(err, "%s: %s is past 2^53 - 1 (write large quantities as strings)", ctx,
                           vc_describe(v, d, sizeof d));
        return 0;
    case JSON_ARRAY:
        for (size_t i = 0; i < v->as.array.len; i++)
            if (vc_js_safe(&v->as.array.items[i], ctx, err) != 0) return -1;
        return 0;
    case JSON_OBJECT:
        for (size_t i = 0; i < v->as.object.len; i++)
            if (vc_js_safe(&v->as.object.members[i].value, ctx, err) != 0) return -1;
        return 0;
    default:
        return 0;
    }
}

int vc_region_config(const json_value *v, lsim_region_config *c, vc_error *err) {
    static const char *const BURST_KEYS[] = {"legacy_burst", NULL};
    const char *ctx = "region", *s = NULL;
    lsim_status st = lsim_region_config_default(c);
    if (st != LSIM_STATUS_OK) return vc_fail(err, "lsim_region_config_default: %s", lsim_status_str(st));
    if (v == NULL) return 0;
    if (vc_object(v, ctx, err) != 0 || vc_allow_keys(v, REGION_KEYS, ctx, err) != 0) return -1;
    if (vc_opt_u32(v, "account_limit", ctx, &c->account_limit, err) < 0 ||
        vc_opt_u32(v, "unreserved_min", ctx, &c->unreserved_min, err) < 0)
        return -1;
    const json_value *scaling = json_get(v, "scaling");
    if (scaling != NULL && scaling->type == JSON_STRING && strcmp(scaling->as.string.chars, "per_function") == 0 &&
        scaling->as.string.len == strlen("per_function")) {
        c->scaling_rule = LSIM_SCALING_RULE_PER_FUNCTION;
    } else if (scaling != NULL && scaling->type == JSON_OBJECT) {
        if (vc_allow_keys(scaling, BURST_KEYS, "region.scaling", err) != 0) return -1;
        int rc = vc_opt_u32(scaling, "legacy_burst", "region.scaling", &c->legacy_burst, err);
        if (rc == 0) return vc_fail(err, "region.scaling: missing `legacy_burst`");
        if (rc < 0) return -1;
        c->scaling_rule = LSIM_SCALING_RULE_LEGACY_ACCOUNT;
    } else if (scaling != NULL) {
        char d[80];
        return vc_fail(err, "region.scaling: expected \"per_function\" or {\"legacy_burst\": N}, found %s",
                       vc_describe(scaling, d, sizeof d));
    }
    if (vc_opt_u32(v, "request_rate_per_limit", ctx, &c->request_rate_per_limit, err) < 0 ||
        vc_opt_u64(v, "idle_timeout_us", ctx, &c->idle_timeout_us, err) < 0 ||
        vc_opt_u64(v, "max_lifetime_us", ctx, &c->max_lifetime_us, err) < 0 ||
        vc_opt_u64(v, "shutdown_us", ctx, &c->shutdown_us, err) < 0)
        return -1;
    int rc = vc_opt_str(v, "warm_pick", ctx, &s, err);
    if (rc < 0) return -1;
    if (rc == 1) {
        if (strcmp(s, "mru") == 0) c->warm_pick = LSIM_WARM_PICK_MRU;
        else if (strcmp(s, "lru") == 0) c->warm_pick = LSIM_WARM_PICK_LRU;
        else return vc_fail(err, "region.warm_pick: expected \"mru\" or \"lru\", found \"%s\"", s);
    }
    rc = vc_opt_str(v, "memory_rule", ctx, &s, err);
    if (rc < 0) return -1;
    if (rc == 1) {
        if (strcmp(s, "current") == 0) c->memory_rule = LSIM_MEMORY_RULE_CURRENT;
        else if (strcmp(s, "legacy64") == 0) c->memory_rule = LSIM_MEMORY_RULE_LEGACY64;
        else return vc_fail(err, "region.memory_rule: expected \"current\" or \"legacy64\", found \"%s\"", s);
    }
    if (vc_opt_u64(v, "provisioned_delay_us", ctx, &c->provisioned_delay_us, err) < 0 ||
        vc_opt_u32(v, "provisioned_per_minute", ctx, &c->provisioned_per_minute, err) < 0)
        return -1;
    rc = vc_opt_str(v, "granularity", ctx, &s, err);
    if (rc < 0) return -1;
    if (rc == 1 && vc_granularity(s, &c->granularity) != 0)
        return vc_fail(err, "region.granularity: expected \"1ms\" or \"100ms\", found \"%s\"", s);
    int bill_init = 0;
    rc = vc_opt_bool(v, "bill_init", ctx, &bill_init, err);
    if (rc < 0) return -1;
    if (rc == 1) c->bill_init = (uint32_t)bill_init;
    return 0;
}

static const char *const FUNCTION_KEYS[] = {
    "name", "memory_mb", "timeout_ms", "reserved", "provisioned", "sandbox_us", "download_us_per_mb",
    "package_mb", "init_us", "architecture", "ephemeral_mb", NULL,
};

int vc_function_config(const json_value *v, const char *ctx, const char **name, lsim_function_config *c,
                       vc_error *err) {
    lsim_status st = lsim_function_config_default(c);
    if (st != LSIM_STATUS_OK) return vc_fail(err, "lsim_function_config_default: %s", lsim_status_str(st));
    if (vc_object(v, ctx, err) != 0 || vc_allow_keys(v, FUNCTION_KEYS, ctx, err) != 0 ||
        vc_req_str(v, "name", ctx, name, err) != 0)
        return -1;
    const json_value *reserved = json_get(v, "reserved");
    if (reserved != NULL && reserved->type != JSON_NULL) {
        if (vc_opt_u32(v, "reserved", ctx, &c->reserved, err) < 0) return -1;
        c->has_reserved = 1;
    }
    if (vc_opt_u32(v, "memory_mb", ctx, &c->memory_mb, err) < 0 ||
        vc_opt_u32(v, "timeout_ms", ctx, &c->timeout_ms, err) < 0 ||
        vc_opt_u32(v, "provisioned", ctx, &c->provisioned, err) < 0 ||
        vc_opt_u64(v, "sandbox_us", ctx, &c->sandbox_us, err) < 0 ||
        vc_opt_u64(v, "download_us_per_mb", ctx, &c->download_us_per_mb, err) < 0 ||
        vc_opt_u32(v, "package_mb", ctx, &c->package_mb, err) < 0 ||
        vc_opt_u64(v, "init_us", ctx, &c->init_us, err) < 0 ||
        vc_opt_u32(v, "ephemeral_mb", ctx, &c->ephemeral_mb, err) < 0)
        return -1;
    const char *arch = NULL;
    int rc = vc_opt_str(v, "architecture", ctx, &arch, err);
    if (rc < 0) return -1;
    if (rc == 1 && vc_architecture(arch, &c->architecture) != 0)
        return vc_fail(err, "%s.architecture: expected \"x86_64\" or \"arm64\", found \"%s\"", ctx, arch);
    return 0;
}
