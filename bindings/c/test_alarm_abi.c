/*
 * test_alarm_abi.c: checks the alarm entry points of the C ABI from C
 * (lsim_alarm_config_default, lsim_alarm_evaluate, lsim_alarm_config_check
 * and the name functions) and a region's metrics (lsim_region_attach_metrics,
 * lsim_region_metric_*): NULL pointers, a bad struct_size, unknown codes,
 * values out of range, the buffer convention; and target tracking of
 * provisioned concurrency (lsim_target_tracking_decide). In the style of test_abi.c
 * (kept apart to keep that file readable).
 *
 * The last line printed is "N passed, M failed"; the exit status is
 * non-zero when anything failed.
 */
#include "lambdasim.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
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

#define CHECK_STATUS(expr, want)                                                          \
    do {                                                                                  \
        lsim_status got_ = (expr);                                                        \
        lsim_status want_ = (want);                                                       \
        if (got_ == want_) {                                                              \
            passed++;                                                                     \
        } else {                                                                          \
            failed++;                                                                     \
            fprintf(stderr, "%s:%d: %s\n    returned %s, want %s\n", __FILE__, __LINE__, \
                    #expr, lsim_status_str(got_), lsim_status_str(want_));                \
        }                                                                                 \
    } while (0)

#define CHECK_OK(expr) CHECK_STATUS(expr, LSIM_STATUS_OK)

static lsim_alarm_config alarm_config(void) {
    lsim_alarm_config c;
    memset(&c, 0xAB, sizeof c);
    CHECK_OK(lsim_alarm_config_default(&c));
    return c;
}

static uint32_t check_code(const lsim_alarm_config *c) {
    uint32_t e = 99;
    CHECK_OK(lsim_alarm_config_check(c, &e));
    return e;
}

/* The default is the notes' alarm: Throttles Sum > 0 over one 60 s period. */
static void test_default_throttles_alarm(void) {
    lsim_alarm_config c = alarm_config();
    CHECK(c.struct_size == sizeof c);
    CHECK(c.metric == LSIM_METRIC_THROTTLES && c.statistic == LSIM_STATISTIC_SUM);
    CHECK(c.comparison == LSIM_COMPARISON_GREATER_THAN_THRESHOLD && c.threshold == 0.0);
    CHECK(c.period_s == 60 && c.evaluation_periods == 1 && c.datapoints_to_alarm == 1);
    CHECK(c.treat_missing_data == LSIM_TREAT_MISSING_MISSING && c.initial_state == LSIM_ALARM_STATE_INSUFFICIENT_DATA);
    CHECK(check_code(&c) == LSIM_ALARM_ERROR_NONE);
    const double values[] = {0, 2, 0, 0};
    const uint8_t present[] = {1, 1, 0, 1};
    lsim_alarm_transition out[4];
    size_t len = 0;
    uint32_t state = 99;
    CHECK_OK(lsim_alarm_evaluate(&c, 0, values, present, 4, out, 4, &len, &state));
    CHECK(len == 3 && state == LSIM_ALARM_STATE_OK);
    CHECK(out[0].time_us == 60000000 && out[0].from == LSIM_ALARM_STATE_INSUFFICIENT_DATA &&
          out[0].to == LSIM_ALARM_STATE_OK);
    CHECK(out[1].time_us == 120000000 && out[1].to == LSIM_ALARM_STATE_ALARM);
    /* Period 3 is missing: the alarm keeps ALARM on the range's datapoint
     * until period 4 (a zero) brings it back. */
    CHECK(out[2].time_us == 240000000 && out[2].from == LSIM_ALARM_STATE_ALARM && out[2].to == LSIM_ALARM_STATE_OK);
    /* present NULL: NaN alone is missing. */
    const double nan_values[] = {NAN, NAN};
    CHECK_OK(lsim_alarm_evaluate(&c, 5, nan_values, NULL, 2, out, 4, &len, &state));
    CHECK(len == 0 && state == LSIM_ALARM_STATE_INSUFFICIENT_DATA);
}

static void test_null_pointers(void) {
    lsim_alarm_config c = alarm_config();
    const double v[] = {1};
    lsim_alarm_transition out[1];
    size_t len = 0;
    uint32_t u = 0, p = 0;
    CHECK_STATUS(lsim_alarm_config_default(NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_alarm_evaluate(NULL, 0, v, NULL, 1, out, 1, &len, &u), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_alarm_evaluate(&c, 0, NULL, NULL, 1, out, 1, &len, &u), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_alarm_evaluate(&c, 0, v, NULL, 1, out, 1, NULL, &u), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_alarm_evaluate(&c, 0, v, NULL, 1, out, 1, &len, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_alarm_evaluate(&c, 0, v, NULL, 1, NULL, 1, &len, &u), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_alarm_config_check(NULL, &u), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_alarm_config_check(&c, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_metric_from_name(NULL, &u), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_metric_from_name("Errors", NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_statistic_from_name(NULL, &u, &p), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_statistic_from_name("Sum", NULL, &p), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_statistic_from_name("Sum", &u, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_comparison_from_name(NULL, &u), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_treat_missing_from_name("missing", NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_alarm_state_from_name(NULL, &u), LSIM_STATUS_NULL_POINTER);
    /* Nothing to read or write: NULL values and buffer are fine. */
    CHECK_OK(lsim_alarm_evaluate(&c, 0, NULL, NULL, 0, NULL, 0, &len, &u));
    CHECK(len == 0 && u == LSIM_ALARM_STATE_INSUFFICIENT_DATA);
}

static void test_bad_struct_size_and_flags(void) {
    lsim_alarm_config c = alarm_config();
    const double v[] = {1, 1};
    const uint8_t bad_present[] = {1, 2};
    lsim_alarm_transition out[2];
    size_t len = 77;
    uint32_t u = 77;
    c.struct_size = (uint32_t)sizeof c - 8;
    CHECK_STATUS(lsim_alarm_evaluate(&c, 0, v, NULL, 1, out, 2, &len, &u), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_alarm_config_check(&c, &u), LSIM_STATUS_INVALID_ARGUMENT);
    c.struct_size = 0;
    CHECK_STATUS(lsim_alarm_config_check(&c, &u), LSIM_STATUS_INVALID_ARGUMENT);
    c = alarm_config();
    c.has_function = 2;
    CHECK_STATUS(lsim_alarm_evaluate(&c, 0, v, NULL, 1, out, 2, &len, &u), LSIM_STATUS_INVALID_ARGUMENT);
    c = alarm_config();
    CHECK_STATUS(lsim_alarm_evaluate(&c, 0, v, bad_present, 2, out, 2, &len, &u), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK(len == 77 && u == 77); /* nothing written on error */
}

/* Unknown codes are LSIM_STATUS_INVALID_ARGUMENT, values CloudWatch refuses
 * LSIM_STATUS_INVALID_SETTING; lsim_alarm_config_check names each. */
static void test_unknown_codes_and_out_of_range(void) {
    const double v[] = {1};
    lsim_alarm_transition out[1];
    size_t len = 0;
    uint32_t u = 0;
    struct {
        int field;
        uint32_t value;
        lsim_status status;
        uint32_t error;
        const char *name;
    } cases[] = {
        {0, LSIM_METRIC_COUNT, LSIM_STATUS_INVALID_ARGUMENT, LSIM_ALARM_ERROR_UNKNOWN_METRIC, "UnknownMetric"},
        {1, 6, LSIM_STATUS_INVALID_ARGUMENT, LSIM_ALARM_ERROR_UNKNOWN_STATISTIC, "UnknownStatistic"},
        {2, 4, LSIM_STATUS_INVALID_ARGUMENT, LSIM_ALARM_ERROR_UNKNOWN_COMPARISON_OPERATOR, "UnknownComparisonOperator"},
        {3, 4, LSIM_STATUS_INVALID_ARGUMENT, LSIM_ALARM_ERROR_UNKNOWN_TREAT_MISSING_DATA, "UnknownTreatMissingData"},
        {4, 3, LSIM_STATUS_INVALID_ARGUMENT, LSIM_ALARM_ERROR_UNKNOWN_STATE, "UnknownState"},
        {5, 45, LSIM_STATUS_INVALID_SETTING, LSIM_ALARM_ERROR_INVALID_PERIOD, "InvalidPeriod"},
        {6, 0, LSIM_STATUS_INVALID_SETTING, LSIM_ALARM_ERROR_EVALUATION_PERIODS_ZERO, "EvaluationPeriodsZero"},
        {6, 1441, LSIM_STATUS_INVALID_SETTING, LSIM_ALARM_ERROR_EVALUATION_PERIODS_TOO_MANY,
         "EvaluationPeriodsTooMany"},
        {7, 0, LSIM_STATUS_INVALID_SETTING, LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ZERO, "DatapointsToAlarmZero"},
        {7, 2, LSIM_STATUS_INVALID_SETTING, LSIM_ALARM_ERROR_DATAPOINTS_TO_ALARM_ABOVE_EVALUATION_PERIODS,
         "DatapointsToAlarmAboveEvaluationPeriods"},
        {8, 10001, LSIM_STATUS_INVALID_SETTING, LSIM_ALARM_ERROR_PERCENTILE_OUT_OF_RANGE, "PercentileOutOfRange"},
        {9, 9900, LSIM_STATUS_INVALID_SETTING, LSIM_ALARM_ERROR_PERCENTILE_OF_NON_DISTRIBUTION,
         "PercentileOfNonDistribution"},
        {10, 1, LSIM_STATUS_INVALID_SETTING, LSIM_ALARM_ERROR_REGION_ONLY_METRIC, "RegionOnlyMetric"},
        {11, 0, LSIM_STATUS_INVALID_SETTING, LSIM_ALARM_ERROR_THRESHOLD_NOT_FINITE, "ThresholdNotFinite"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lsim_alarm_config c = alarm_config();
        uint32_t x = cases[i].value;
        switch (cases[i].field) {
        case 0: c.metric = x; break;
        case 1: c.statistic = x; break;
        case 2: c.comparison = x; break;
        case 3: c.treat_missing_data = x; break;
        case 4: c.initial_state = x; break;
        case 5: c.period_s = x; break;
        case 6: c.evaluation_periods = x; break;
        case 7: c.datapoints_to_alarm = x; break;
        case 8:
            c.metric = LSIM_METRIC_DURATION;
            c.statistic = LSIM_STATISTIC_PERCENTILE;
            c.percentile_hundredths = x;
            break;
        case 9:
            c.statistic = LSIM_STATISTIC_PERCENTILE;
            c.percentile_hundredths = x;
            break;
        case 10:
            c.metric = LSIM_METRIC_UNRESERVED_CONCURRENT_EXECUTIONS;
            c.has_function = x;
            break;
        default: c.threshold = NAN; break;
        }
        CHECK_STATUS(lsim_alarm_evaluate(&c, 0, v, NULL, 1, out, 1, &len, &u), cases[i].status);
        uint32_t e = check_code(&c);
        CHECK(e == cases[i].error);
        CHECK(strcmp(lsim_alarm_error_str(e), cases[i].name) == 0);
    }
    CHECK(strcmp(lsim_alarm_error_str(LSIM_ALARM_ERROR_NONE), "None") == 0);
    CHECK(strcmp(lsim_alarm_error_str(1000), "unknown") == 0);
    /* p99.9 of Duration for function 3 is fine. */
    lsim_alarm_config c = alarm_config();
    c.metric = LSIM_METRIC_DURATION;
    c.statistic = LSIM_STATISTIC_PERCENTILE;
    c.percentile_hundredths = 9990;
    c.has_function = 1;
    c.function_index = 3;
    CHECK(check_code(&c) == LSIM_ALARM_ERROR_NONE);
}

static void test_buffer_too_small(void) {
    lsim_alarm_config c = alarm_config();
    c.initial_state = LSIM_ALARM_STATE_OK;
    const double v[] = {1, 0, 1};
    lsim_alarm_transition out[3];
    memset(out, 0x5A, sizeof out);
    size_t len = 0;
    uint32_t state = 99;
    CHECK_STATUS(lsim_alarm_evaluate(&c, 0, v, NULL, 3, out, 2, &len, &state), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 3 && state == 99 && out[0].time_us == 0x5A5A5A5A5A5A5A5Aull);
    CHECK_STATUS(lsim_alarm_evaluate(&c, 0, v, NULL, 3, NULL, 0, &len, &state), LSIM_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 3);
    CHECK_OK(lsim_alarm_evaluate(&c, 1000000, v, NULL, 3, out, 3, &len, &state));
    CHECK(len == 3 && state == LSIM_ALARM_STATE_ALARM);
    CHECK(out[0].time_us == 61000000 && out[1].time_us == 121000000 && out[2].time_us == 181000000);
    CHECK(out[1].from == LSIM_ALARM_STATE_ALARM && out[1].to == LSIM_ALARM_STATE_OK);
}

static void test_names(void) {
    uint32_t u = 99, p = 99;
    for (uint32_t m = 0; m < LSIM_METRIC_COUNT; m++) {
        CHECK_OK(lsim_metric_from_name(lsim_metric_str(m), &u));
        CHECK(u == m);
    }
    CHECK(strcmp(lsim_metric_str(LSIM_METRIC_THROTTLES), "Throttles") == 0);
    CHECK(strcmp(lsim_metric_str(LSIM_METRIC_RESPONSE_TIME), "ResponseTime") == 0);
    CHECK(strcmp(lsim_metric_str(LSIM_METRIC_COUNT), "unknown") == 0);
    CHECK_STATUS(lsim_metric_from_name("throttles", &u), LSIM_STATUS_INVALID_ARGUMENT);
    for (uint32_t i = 0; i < 4; i++) {
        CHECK_OK(lsim_comparison_from_name(lsim_comparison_str(i), &u));
        CHECK(u == i);
        CHECK_OK(lsim_treat_missing_from_name(lsim_treat_missing_str(i), &u));
        CHECK(u == i);
    }
    for (uint32_t i = 0; i < 3; i++) {
        CHECK_OK(lsim_alarm_state_from_name(lsim_alarm_state_str(i), &u));
        CHECK(u == i);
    }
    CHECK(strcmp(lsim_comparison_str(LSIM_COMPARISON_GREATER_THAN_OR_EQUAL_TO_THRESHOLD),
                 "GreaterThanOrEqualToThreshold") == 0);
    CHECK(strcmp(lsim_treat_missing_str(LSIM_TREAT_MISSING_NOT_BREACHING), "notBreaching") == 0);
    CHECK(strcmp(lsim_alarm_state_str(LSIM_ALARM_STATE_ALARM), "ALARM") == 0);
    CHECK(strcmp(lsim_comparison_str(4), "unknown") == 0);
    CHECK(strcmp(lsim_treat_missing_str(4), "unknown") == 0);
    CHECK(strcmp(lsim_alarm_state_str(3), "unknown") == 0);
    CHECK_STATUS(lsim_comparison_from_name("GreaterThan", &u), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_treat_missing_from_name("NotBreaching", &u), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_alarm_state_from_name("Ok", &u), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_OK(lsim_statistic_from_name("p99.9", &u, &p));
    CHECK(u == LSIM_STATISTIC_PERCENTILE && p == 9990);
    CHECK_OK(lsim_statistic_from_name("Average", &u, &p));
    CHECK(u == LSIM_STATISTIC_AVERAGE && p == 0);
    u = p = 7;
    CHECK_STATUS(lsim_statistic_from_name("avg", &u, &p), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_statistic_from_name("p99.999", &u, &p), LSIM_STATUS_INVALID_SETTING);
    CHECK(u == 7 && p == 7);
}

/* A region's metrics from C: the model's provisioned example (one request a
 * minute lasting two minutes: in minute 2, Max(ProvisionedConcurrentExecutions)
 * = 2 and Sum(ProvisionedConcurrencyInvocations) = 1), missing datapoints,
 * and bad inputs. */
static void test_region_metrics(void) {
    lsim_region_config rc;
    lsim_metrics_config mc;
    lsim_function_config fc;
    CHECK_OK(lsim_region_config_default(&rc));
    CHECK_OK(lsim_metrics_config_default(&mc));
    CHECK_OK(lsim_function_config_default(&fc));
    rc.function_capacity = 2;
    rc.provisioned_delay_us = 0;
    lsim_region *r = NULL;
    CHECK_OK(lsim_region_new(&rc, &r));
    lsim_datapoint dp;
    uint32_t present = 9;
    double v = 0;
    CHECK_STATUS(lsim_region_metric_datapoint(r, LSIM_METRIC_INVOCATIONS, NULL, 0, &dp, &present),
                 LSIM_STATUS_INVALID_ARGUMENT); /* no store yet */
    CHECK_STATUS(lsim_region_attach_metrics(r, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_OK(lsim_region_attach_metrics(r, &mc));
    fc.provisioned = 3;
    fc.timeout_ms = 900000;
    lsim_function f;
    CHECK_OK(lsim_function_create(r, 0, &fc, &f));
    lsim_invoke_result ir;
    for (uint64_t minute = 1; minute <= 4; minute++)
        CHECK_OK(lsim_invoke_for(r, minute * 60000000u, f, 120000000u, LSIM_OUTCOME_SUCCESS, &ir));
    CHECK_OK(lsim_advance(r, 420000000u));
    CHECK_OK(lsim_region_metric_statistic(r, LSIM_METRIC_PROVISIONED_CONCURRENT_EXECUTIONS, &f,
                                          LSIM_STATISTIC_MAXIMUM, 0, 2, 1, &v, &present));
    CHECK(present == 1 && v == 2.0);
    CHECK_OK(lsim_region_metric_statistic(r, LSIM_METRIC_PROVISIONED_CONCURRENCY_INVOCATIONS, &f,
                                          LSIM_STATISTIC_SUM, 0, 2, 1, &v, &present));
    CHECK(present == 1 && v == 1.0);
    CHECK_OK(lsim_region_metric_datapoint(r, LSIM_METRIC_INVOCATIONS, NULL, 0, &dp, &present));
    CHECK(present == 0); /* minute 0: missing, not zero */
    double values[5];
    uint8_t flags[5];
    CHECK_OK(lsim_region_metric_statistics(r, LSIM_METRIC_INVOCATIONS, &f, LSIM_STATISTIC_SUM, 0, 0, 5, values,
                                           flags, 5));
    CHECK(flags[0] == 0 && flags[1] == 1 && flags[4] == 1 && values[1] == 1.0 && values[4] == 1.0);
    CHECK_STATUS(lsim_region_metric_statistics(r, LSIM_METRIC_INVOCATIONS, &f, LSIM_STATISTIC_SUM, 0, 0, 5, values,
                                               flags, 4),
                 LSIM_STATUS_BUFFER_TOO_SMALL);
    lsim_metric_latency lat;
    CHECK_OK(lsim_region_metric_latency(r, LSIM_METRIC_DURATION, &f, &lat, &present));
    CHECK(present == 1 && lat.sample_count == 4 && lat.maximum == 120000000u);
    CHECK_STATUS(lsim_region_metric_datapoint(r, 99, NULL, 0, &dp, &present), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(lsim_region_metric_datapoint(r, LSIM_METRIC_INVOCATIONS, NULL, 0, NULL, &present),
                 LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_region_metric_latency(r, LSIM_METRIC_INVOCATIONS, &f, &lat, &present),
                 LSIM_STATUS_INVALID_SETTING);
    mc.period_s = 45;
    CHECK_STATUS(lsim_region_attach_metrics(r, &mc), LSIM_STATUS_INVALID_SETTING);
    CHECK_OK(lsim_region_free(r));
    CHECK_STATUS(lsim_region_metric_datapoint(r, LSIM_METRIC_INVOCATIONS, NULL, 0, &dp, &present),
                 LSIM_STATUS_STALE_HANDLE);
}

/* Target tracking of provisioned concurrency (lsim_target_tracking_decide). */
static void test_target_tracking(void) {
    lsim_target_tracking c = {sizeof(lsim_target_tracking), 700000, 1, 100};
    uint32_t high[3] = {1000000, 1000000, 1000000};
    lsim_scaling_decision d = {99, 0, 0, 0};
    /* Three minutes above 0.7 at 10: ceil(10 / 0.7) = 15. */
    CHECK_OK(lsim_target_tracking_decide(&c, high, NULL, 3, 10, 0, &d));
    CHECK(d.action == LSIM_SCALING_OUT && d.from == 10 && d.to == 15 && d.utilization_ppm == 1000000);
    /* Two minutes (a burst) or an allocation in progress: nothing. */
    CHECK_OK(lsim_target_tracking_decide(&c, high, NULL, 2, 10, 0, &d));
    CHECK(d.action == LSIM_SCALING_NONE && d.to == 10);
    CHECK_OK(lsim_target_tracking_decide(&c, high, NULL, 3, 10, 1, &d));
    CHECK(d.action == LSIM_SCALING_NONE);
    /* Fifteen low minutes: down by at most 10 %; a missing one: nothing. */
    uint32_t low[15];
    uint8_t present[15];
    for (int i = 0; i < 15; i++) {
        low[i] = 100000;
        present[i] = 1;
    }
    CHECK_OK(lsim_target_tracking_decide(&c, low, present, 15, 100, 0, &d));
    CHECK(d.action == LSIM_SCALING_IN && d.to == 90);
    present[7] = 0;
    CHECK_OK(lsim_target_tracking_decide(&c, low, present, 15, 100, 0, &d));
    CHECK(d.action == LSIM_SCALING_NONE);
    /* Bad input gets a status and leaves *out alone. */
    d.action = 99;
    CHECK_STATUS(lsim_target_tracking_decide(NULL, high, NULL, 3, 10, 0, &d), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_target_tracking_decide(&c, NULL, NULL, 3, 10, 0, &d), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_target_tracking_decide(&c, high, NULL, 3, 10, 0, NULL), LSIM_STATUS_NULL_POINTER);
    CHECK_STATUS(lsim_target_tracking_decide(&c, high, NULL, 3, 10, 2, &d), LSIM_STATUS_INVALID_ARGUMENT);
    lsim_target_tracking bad = c;
    bad.target_ppm = 950000;
    CHECK_STATUS(lsim_target_tracking_decide(&bad, high, NULL, 3, 10, 0, &d), LSIM_STATUS_INVALID_ARGUMENT);
    bad = c;
    bad.struct_size = 4;
    CHECK_STATUS(lsim_target_tracking_decide(&bad, high, NULL, 3, 10, 0, &d), LSIM_STATUS_INVALID_ARGUMENT);
    high[0] = 1000001;
    CHECK_STATUS(lsim_target_tracking_decide(&c, high, NULL, 3, 10, 0, &d), LSIM_STATUS_INVALID_ARGUMENT);
    CHECK(d.action == 99);
}

int main(void) {
    if (lsim_abi_version() != LSIM_ABI_VERSION) {
        fprintf(stderr, "ABI version mismatch\n");
        return 1;
    }
    test_default_throttles_alarm();
    test_null_pointers();
    test_bad_struct_size_and_flags();
    test_unknown_codes_and_out_of_range();
    test_buffer_too_small();
    test_names();
    test_region_metrics();
    test_target_tracking();
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
