'use strict';
/**
 * lambdasim for Node: a deterministic model of AWS Lambda execution
 * environments and concurrency, over the lambdasim C ABI (loaded with koffi).
 *
 * - The shared library is found by load.js: `LAMBDASIM_LIB`, an install
 *   prefix in `LAMBDASIM_PREFIX`, the workspace's release build (in a
 *   checkout), the package's `prebuilds/<platform>-<arch>/`, or an installed
 *   `liblambdasim.so.<major>`. Its ABI version is checked at load
 *   (`ABI_VERSION`).
 * - `Region` owns one C region: free it with `close()` (idempotent) or
 *   `[Symbol.dispose]()`; a FinalizationRegistry frees leaked ones.
 * - `runScenario(text, options)` runs a whole scenario (the TOML or JSON of
 *   `lambdasim run`) and returns a `SimResult` (same lifecycle as `Region`):
 *   its `json()` is byte for byte what `lambdasim run FILE --json` prints.
 * - Every non-OK status throws `LambdasimError` (`.code`, `.status`,
 *   `.reason`). A throttle is not an error: `invoke` answers
 *   `{ throttled: true, reason, reasonCode }`.
 * - A closed region throws `LambdasimError` with status `STALE_HANDLE`
 *   (code 2): what the C ABI answers for a freed region handle.
 * - Times are microseconds: non-negative safe integers, or BigInts up to
 *   2^64 - 1. A wrong type throws TypeError, an out-of-range number
 *   RangeError, before anything is called; values C accepts but rejects
 *   (memory 127, timeout 0, outcome 99) come back as `LambdasimError`.
 * - Every uint64_t the library answers (times, durations, counters) is a
 *   number when it is a safe integer, else a BigInt: a call that took
 *   effect never throws for a value it cannot represent.
 * - Function, environment and invocation handles carry their region's
 *   `regionTag`; another region answers UNKNOWN_FUNCTION / UNKNOWN_ENV /
 *   UNKNOWN_INVOCATION (checked by the library).
 */

const koffi = require('koffi');

/** The C ABI version this binding was written for (`LSIM_ABI_VERSION`). */
const ABI_VERSION = 4;
/** Environment slots of a region by default (`LSIM_ENV_CAPACITY`; `envCapacity` changes it). */
const ENV_CAPACITY = 16384;
/** Function slots of a region by default (`LSIM_FUNCTION_CAPACITY`; `functionCapacity` changes it). */
const FUNCTION_CAPACITY = 256;
/** The largest `envCapacity` (`LSIM_ENV_CAPACITY_MAX`). */
const ENV_CAPACITY_MAX = 4194304;
/** The largest `functionCapacity` (`LSIM_FUNCTION_CAPACITY_MAX`). */
const FUNCTION_CAPACITY_MAX = 65536;

const U32_MAX = 0xffffffff;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const DISPOSE = Symbol.dispose ?? Symbol.for('nodejs.dispose');

// ---------------------------------------------------------------------------
// Names and codes (stable forever in the C ABI; test/errors.test.js checks
// them against the library's own strings).

/** Status names (without the `LSIM_STATUS_` prefix) by code. */
const STATUS_NAMES = Object.freeze([
  'OK',
  'NULL_POINTER',
  'STALE_HANDLE',
  'POISONED',
  'PANIC',
  'INVALID_ARGUMENT',
  'BUFFER_TOO_SMALL',
  'TIME_WENT_BACKWARDS',
  'CAPACITY_EXCEEDED',
  'UNKNOWN_FUNCTION',
  'UNKNOWN_INVOCATION',
  'NOT_READY',
  'TIMED_OUT',
  'FUNCTION_BUSY',
  'MEMORY_BELOW_MINIMUM',
  'MEMORY_ABOVE_MAXIMUM',
  'MEMORY_NOT_ON_STEP',
  'TIMEOUT_OUT_OF_RANGE',
  'PACKAGE_TOO_LARGE',
  'UNRESERVED_BELOW_MINIMUM',
  'PROVISIONED_EXCEEDS_RESERVED',
  'ACCOUNT_LIMIT_TOO_LOW',
  'INVALID_SETTING',
  'INTERNAL',
  'INVARIANT_VIOLATED',
  'EPHEMERAL_OUT_OF_RANGE',
  'OVERFLOW',
  'TOO_FEW_SAMPLES',
  'INVALID_SCENARIO',
  'SIMULATION_FAILED',
  'UNKNOWN_ENV',
  'QUEUE_FULL',
  'MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE',
  'MAXIMUM_EVENT_AGE_OUT_OF_RANGE',
  'UNKNOWN_ASYNC_EVENT',
]);

/** What each status means (from the C header), for error messages. */
const STATUS_TEXT = Object.freeze({
  OK: 'success',
  NULL_POINTER: 'a required pointer argument was NULL',
  STALE_HANDLE: 'the handle was freed, or never came from lsim_region_new / lsim_scenario_run',
  POISONED: 'an earlier call on this region panicked inside lambdasim; the region is unusable',
  PANIC: 'this call panicked inside lambdasim (a bug; please report); the region is now poisoned',
  INVALID_ARGUMENT: 'an enumeration value is unknown, a 0/1 flag is neither, or a struct size is wrong',
  BUFFER_TOO_SMALL: 'the output buffer is too small',
  TIME_WENT_BACKWARDS: "now is earlier than the region's clock; nothing changed",
  CAPACITY_EXCEEDED:
    'the function table (256) or environment table (16384) is full, too many regions or results are live, ' +
    'or a simulation needed more than 65536 environments at once',
  UNKNOWN_FUNCTION: 'the function handle or index is unknown or stale (the function was deleted)',
  UNKNOWN_INVOCATION: 'the invocation handle is unknown, stale or already finished',
  NOT_READY: 'a successful finish before the cold start completed (readyAtUs)',
  TIMED_OUT: 'the region already ended this invocation at its function timeout',
  FUNCTION_BUSY: 'the function still has invocations running; finish them first',
  MEMORY_BELOW_MINIMUM: 'memory below 128 MB',
  MEMORY_ABOVE_MAXIMUM: 'memory above 10240 MB (3008 MB under the legacy memory rule)',
  MEMORY_NOT_ON_STEP: 'memory not a multiple of 64 MB under the legacy memory rule',
  TIMEOUT_OUT_OF_RANGE: 'function timeout outside 1..=900000 ms',
  PACKAGE_TOO_LARGE: 'deployment package above 10240 MB',
  UNRESERVED_BELOW_MINIMUM: 'the change would leave less than the unreserved minimum unreserved',
  PROVISIONED_EXCEEDS_RESERVED: "provisioned concurrency above the function's reserved concurrency",
  ACCOUNT_LIMIT_TOO_LOW: 'the account limit is zero or below the unreserved minimum',
  INVALID_SETTING:
    'a rate or ramp setting is zero (or out of range) where a positive value is required, or an alarm setting CloudWatch refuses',
  INTERNAL: 'an internal consistency check failed (a lambdasim bug; please report)',
  INVARIANT_VIOLATED: 'a region invariant is broken',
  EPHEMERAL_OUT_OF_RANGE: 'ephemeral storage outside 512..=10240 MB',
  OVERFLOW: 'a usage or money total too large to represent exactly',
  TOO_FEW_SAMPLES: 'fewer than 5 samples for a memory size',
  INVALID_SCENARIO: 'the scenario text is not a valid scenario',
  SIMULATION_FAILED: 'the simulator rejected a checked scenario, or its thread could not start',
  UNKNOWN_ENV: 'the environment handle is unknown or stale (the environment terminated)',
  QUEUE_FULL: 'the asynchronous event queue is full; the event was refused (counted in rejected)',
  MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE: 'maxRetryAttempts (MaximumRetryAttempts) above 2',
  MAXIMUM_EVENT_AGE_OUT_OF_RANGE: 'maxEventAgeS (MaximumEventAgeInSeconds) outside 60..=21600',
  UNKNOWN_ASYNC_EVENT: 'the asynchronous event handle is unknown, of another region, or its slot was reused',
});

/** Asynchronous delivery targets, event states and drop reasons by code. */
const DELIVERY_TARGETS = Object.freeze(['None', 'Available', 'Failing']);
const ASYNC_STATES = Object.freeze(['Queued', 'Running', 'Succeeded', 'Dropped']);
const DROP_REASONS = Object.freeze(['None', 'RetriesExhausted', 'Expired', 'ReservedZero', 'FunctionDeleted']);
const ASYNC_STATS_FIELDS = Object.freeze([
  ['received', 'received'],
  ['rejected', 'rejected'],
  ['queued', 'queued'],
  ['running', 'running'],
  ['attempts', 'attempts'],
  ['requeued', 'requeued'],
  ['succeeded', 'succeeded'],
  ['dropped', 'dropped'],
  ['retries_exhausted', 'retriesExhausted'],
  ['expired', 'expired'],
  ['reserved_zero', 'reservedZero'],
  ['function_deleted', 'functionDeleted'],
  ['dead_lettered', 'deadLettered'],
  ['dead_letter_errors', 'deadLetterErrors'],
  ['sent_on_failure', 'sentOnFailure'],
  ['sent_on_success', 'sentOnSuccess'],
  ['destination_delivery_failures', 'destinationDeliveryFailures'],
]);

const Status = Object.freeze(Object.fromEntries(STATUS_NAMES.map((name, code) => [name, code])));

const THROTTLE_REASONS = Object.freeze([
  'ConcurrentInvocationLimitExceeded',
  'ReservedFunctionConcurrentInvocationLimitExceeded',
  'RequestRateExceeded',
  'ScalingRateExceeded',
  'FunctionInvocationRateLimitExceeded',
]);
const ThrottleReason = Object.freeze(Object.fromEntries(THROTTLE_REASONS.map((n, i) => [n, i])));

const START_KINDS = Object.freeze(['Warm', 'Provisioned', 'PartialCold', 'FullCold']);
const StartKind = Object.freeze(Object.fromEntries(START_KINDS.map((n, i) => [n, i])));

const OUTCOMES = Object.freeze(['Success', 'FunctionError', 'Timeout', 'Crash']);
const Outcome = Object.freeze(Object.fromEntries(OUTCOMES.map((n, i) => [n, i])));

const ENV_STATES = Object.freeze(['Creating', 'Initializing', 'Idle', 'Busy', 'ShuttingDown', 'Terminated']);
const EnvState = Object.freeze(Object.fromEntries(ENV_STATES.map((n, i) => [n, i])));

const PROVISIONED_STATUSES = Object.freeze(['NONE', 'IN_PROGRESS', 'READY', 'FAILED']);
const ProvisionedStatus = Object.freeze(Object.fromEntries(PROVISIONED_STATUSES.map((n, i) => [n, i])));

const SCALING_RULES = Object.freeze(['perFunction', 'legacyAccount']);
const ARCHITECTURES = Object.freeze(['x86_64', 'arm64']);
const ARCH_NONE = 255;
const GRANULARITIES = Object.freeze(['1ms', '100ms']);
const USAGE_CLASSES = Object.freeze(['onDemand', 'provisioned']);
const PRICE_BOOKS = Object.freeze(['us-east-1', 'us-east-1-2020']);
const LINE_KINDS = Object.freeze([
  'Requests',
  'Duration',
  'Provisioned Concurrency',
  'Provisioned Duration',
  'Ephemeral Storage',
]);
const MEMORY_LISTS = Object.freeze(['default', 'all', 'custom']);
/** Metric names by code (`lsim_metric_str`): CloudWatch's, plus lambdasim's own InitDuration and ResponseTime. */
const METRICS = Object.freeze([
  'Invocations',
  'Errors',
  'Throttles',
  'Duration',
  'ConcurrentExecutions',
  'UnreservedConcurrentExecutions',
  'ClaimedAccountConcurrency',
  'ProvisionedConcurrentExecutions',
  'ProvisionedConcurrencyInvocations',
  'ProvisionedConcurrencySpilloverInvocations',
  'ProvisionedConcurrencyUtilization',
  'DeadLetterErrors',
  'DestinationDeliveryFailures',
  'AsyncEventsReceived',
  'AsyncEventAge',
  'AsyncEventsDropped',
  'IteratorAge',
  'InitDuration',
  'ResponseTime',
]);
/** CloudWatch's comparison operators by code (`lsim_comparison_str`). */
const COMPARISON_OPERATORS = Object.freeze([
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
]);
/** CloudWatch's missing-data treatments by code (`lsim_treat_missing_str`). */
const TREAT_MISSING_DATA = Object.freeze(['missing', 'notBreaching', 'breaching', 'ignore']);
/** Alarm states by code (`lsim_alarm_state_str`). */
const ALARM_STATES = Object.freeze(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
/** Why an alarm definition is refused, by code (`lsim_alarm_error_str`); 'None' is 0. */
const ALARM_PROBLEMS = Object.freeze([
  'None',
  'EvaluationPeriodsZero',
  'EvaluationPeriodsTooMany',
  'DatapointsToAlarmZero',
  'DatapointsToAlarmAboveEvaluationPeriods',
  'InvalidPeriod',
  'ThresholdNotFinite',
  'PercentileOfNonDistribution',
  'UnknownComparisonOperator',
  'UnknownTreatMissingData',
  'UnknownState',
  'UnknownMetric',
  'UnknownStatistic',
  'PercentileOutOfRange',
  'RegionOnlyMetric',
]);
const STRATEGIES = Object.freeze(['cost', 'speed', 'balanced']);
const WARM_PICKS = Object.freeze(['mru', 'lru']);
const MEMORY_RULES = Object.freeze(['current', 'legacy64']);
const SCENARIO_FORMATS = Object.freeze(['auto', 'toml', 'json']);
/** `LSIM_SIM_TOTAL`: the whole account instead of one function. */
const SIM_TOTAL = 0xffffffff;
/** `LSIM_MAX_MINUTE_POINTS`: the most points `SimResult.minutes()` returns. */
const MAX_MINUTE_POINTS = 10080;

// ---------------------------------------------------------------------------
// Locating and loading the library.

const { BUILD_HINT, loadLibrary, resolveLibraryPath } = require('./load');

/**
 * Throws an Error naming both versions and the library path unless the
 * library's ABI version `actual` equals `expected`.
 */
function checkAbiVersion(actual, expected = ABI_VERSION, libraryPath = LIBRARY_PATH) {
  if (actual !== expected) {
    throw new Error(
      `lambdasim: ABI version mismatch: the library ${libraryPath} has C ABI version ${actual}, ` +
        `but this Node binding expects ABI version ${expected}. Rebuild the library from the same ` +
        'checkout (cargo build --release -p lambdasim-ffi) or use the matching binding.',
    );
  }
}

const loaded = loadLibrary();
/** The absolute path of the loaded shared library. */
const LIBRARY_PATH = loaded.path;

// Types (anonymous, so loading this module twice never clashes in koffi's
// type registry). Layouts follow include/lambdasim.h exactly.
const u32 = 'uint32_t';
const u64 = 'uint64_t';
const RegionPtr = koffi.pointer(koffi.opaque());
const RegionConfigT = koffi.struct({
  struct_size: u32,
  account_limit: u32,
  unreserved_min: u32,
  scaling_rule: u32,
  legacy_burst: u32,
  request_rate_per_limit: u32,
  idle_timeout_us: u64,
  max_lifetime_us: u64,
  shutdown_us: u64,
  warm_pick: u32,
  memory_rule: u32,
  provisioned_delay_us: u64,
  provisioned_per_minute: u32,
  granularity: u32,
  bill_init: u32,
  env_capacity: u32,
  function_capacity: u32,
});
const FunctionConfigT = koffi.struct({
  struct_size: u32,
  memory_mb: u32,
  timeout_ms: u32,
  has_reserved: u32,
  reserved: u32,
  provisioned: u32,
  sandbox_us: u64,
  download_us_per_mb: u64,
  package_mb: u32,
  init_us: u64,
  architecture: u32,
  ephemeral_mb: u32,
});
const FunctionT = koffi.struct({ index: u32, generation: u32, region_tag: u32 });
const EnvT = koffi.struct({ index: u32, generation: u32, region_tag: u32 });
const InvocationT = koffi.struct({ env: EnvT, seq: u32 });
const InvokeResultT = koffi.struct({
  throttled: u32,
  throttle_reason: u32,
  invocation: InvocationT,
  env: EnvT,
  start_kind: u32,
  on_provisioned: u32,
  init_us: u64,
  ready_at_us: u64,
  suppressed_init_us: u64,
});
const FinishResultT = koffi.struct({ function: FunctionT, env: EnvT, duration_us: u64, env_kept: u32 });
const FunctionCountsT = koffi.struct({
  busy: u32,
  busy_provisioned: u32,
  idle: u32,
  idle_provisioned: u32,
  creating: u32,
  initializing: u32,
  live: u32,
  shutting_down: u32,
  provisioned: u32,
  provisioned_allocated: u32,
  provisioned_status: u32,
  has_reserved: u32,
  reserved: u32,
});
const StatsT = koffi.struct({
  requests: u64,
  invocations: u64,
  warm_starts: u64,
  provisioned_starts: u64,
  partial_cold_starts: u64,
  full_cold_starts: u64,
  spillover: u64,
  throttles: koffi.array(u64, THROTTLE_REASONS.length, 'Array'),
  succeeded: u64,
  errors: u64,
  timeouts: u64,
  envs_created: u64,
  envs_terminated: u64,
  init_failures: u64,
});
const U128T = koffi.struct({ hi: u64, lo: u64 });
const OccupancyT = koffi.struct({
  live: u32,
  busy: u32,
  busy_peak: u32,
  window_peak: u32,
  live_env_us: U128T,
  busy_env_us: U128T,
  since_us: u64,
  avg_live: 'double',
  avg_busy: 'double',
});
const RegionCountsT = koffi.struct({ busy: u64, live: u64, unreserved_in_use: u64, unreserved_pool: u64, claimed: u64 });
const MoneyT = koffi.struct({ atoms: U128T });
const InvocationUsageT = koffi.struct({
  struct_size: u32,
  architecture: u32,
  memory_mb: u32,
  ephemeral_mb: u32,
  usage_class: u32,
  granularity: u32,
  requests: u64,
  duration_us: u64,
});
const ProvisionedUsageT = koffi.struct({ struct_size: u32, architecture: u32, memory_mb: u32, provisioned: u32, enabled_us: u64 });
const BillLineT = koffi.struct({ kind: u32, architecture: u32, quantity: U128T, cents: u64, amount: MoneyT });
const BILL_MAX_LINES = 8;
const BillT = koffi.struct({
  line_count: u32,
  lines: koffi.array(BillLineT, BILL_MAX_LINES, 'Array'),
  total_cents: u64,
  exact_total: MoneyT,
});
const DurationProfileT = koffi.struct({ struct_size: u32, io_us: u64, cpu_us: u64, threads: u32 });
const TuneRequestT = koffi.struct({
  struct_size: u32,
  profile: DurationProfileT,
  memory_list: u32,
  memories: koffi.pointer(u32),
  memory_count: 'size_t',
  strategy: u32,
  weight_ppm: u32,
  architecture: u32,
  prices: u32,
  granularity: u32,
  configured_timeout_ms: u32,
});
const MemorySamplesT = koffi.struct({ memory_mb: u32, durations_us: koffi.pointer(u64), count: 'size_t' });
const TuneSamplesRequestT = koffi.struct({
  struct_size: u32,
  sizes: koffi.pointer(MemorySamplesT),
  size_count: 'size_t',
  strategy: u32,
  weight_ppm: u32,
  architecture: u32,
  prices: u32,
  granularity: u32,
  configured_timeout_ms: u32,
});
const CandidateT = koffi.struct({ memory_mb: u32, duration_us: u64, billed_ms: u64, cost: MoneyT });
const TargetTrackingT = koffi.struct({ struct_size: u32, target_ppm: u32, min: u32, max: u32 });
const ScalingDecisionT = koffi.struct({ action: u32, from: u32, to: u32, utilization_ppm: u32 });
const AlarmConfigT = koffi.struct({
  struct_size: u32,
  metric: u32,
  has_function: u32,
  function_index: u32,
  statistic: u32,
  percentile_hundredths: u32,
  period_s: u32,
  comparison: u32,
  threshold: 'double',
  evaluation_periods: u32,
  datapoints_to_alarm: u32,
  treat_missing_data: u32,
  initial_state: u32,
});
const SimResultPtr = koffi.pointer(koffi.opaque());
const RunOptionsT = koffi.struct({
  struct_size: u32,
  has_seed: u32,
  seed: u64,
  has_horizon: u32,
  replication: u32,
  horizon_us: u64,
  name: koffi.pointer('uint8_t'),
  name_len: 'size_t',
});
const SweepResultPtr = koffi.pointer(koffi.opaque());
const SweepOptionsT = koffi.struct({
  struct_size: u32,
  output: u32,
  sets: koffi.pointer('uint8_t'),
  sets_len: 'size_t',
  replications: u32,
  shard_index: u32,
  shard_count: u32,
  threads: u32,
  pick: koffi.pointer('uint8_t'),
  pick_len: 'size_t',
  name: koffi.pointer('uint8_t'),
  name_len: 'size_t',
});
const SimSummaryT = koffi.struct({
  requests: u64,
  invocations: u64,
  cold_starts: u64,
  full_cold_starts: u64,
  partial_cold_starts: u64,
  warm_starts: u64,
  provisioned_starts: u64,
  spillover: u64,
  throttles: u64,
  throttles_by_reason: koffi.array(u64, THROTTLE_REASONS.length, 'Array'),
  errors: u64,
  timeouts: u64,
  cold_start_probability: 'double',
  throttle_probability: 'double',
  avg_instances: 'double',
  avg_busy: 'double',
  avg_idle: 'double',
  utilization: 'double',
  peak_concurrency: u32,
  total_cents: u64,
  exact_total: MoneyT,
});
const PercentilesT = koffi.struct({ samples: u64, p50_us: u64, p90_us: u64, p99_us: u64, max_us: u64 });
const LatencyT = koffi.struct({
  struct_size: u32,
  handler_duration: PercentilesT,
  init_duration: PercentilesT,
  response_time: PercentilesT,
  cold_start_added_p99_us: u64,
});
const MinutePointT = koffi.struct({
  minute: u64,
  busy_max: u32,
  busy_avg: 'double',
  live_avg: 'double',
  live: u32,
  invocations: u64,
  cold_starts: u64,
  throttles: u64,
  account_limit: u32,
  unreserved_pool: u64,
  claimed: u64,
});
const TuneResultT = koffi.struct({
  pick: CandidateT,
  count: 'size_t',
  max_cost: MoneyT,
  max_duration_us: u64,
  p99_us: u64,
  recommended_timeout_ms: u32,
  cuts_tail: u32,
  exceeds_max: u32,
});

const MetricsConfigT = koffi.struct({
  struct_size: u32,
  period_s: u32,
  periods: u32,
  histogram_periods: u32,
});
const DatapointT = koffi.struct({ sum: u64, sample_count: u64, minimum: u64, maximum: u64 });
const MetricLatencyT = koffi.struct({ sample_count: u64, p50: u64, p90: u64, p99: u64, maximum: u64 });
const AsyncConfigT = koffi.struct({
  struct_size: u32,
  max_retry_attempts: u32,
  max_event_age_s: u32,
  dead_letter_queue: u32,
  on_failure: u32,
  on_success: u32,
});
const AsyncEventT = koffi.struct({ index: u32, generation: u32, region_tag: u32 });
const AsyncEventStatusT = koffi.struct({ state: u32, attempts: u32, due_at_us: u64, reason: u32, reserved: u32 });
const AsyncStatsT = koffi.struct(Object.fromEntries(ASYNC_STATS_FIELDS.map(([c]) => [c, u64])));

const EXPECTED_SIZES = [
  ['lsim_metrics_config', MetricsConfigT, 16],
  ['lsim_datapoint', DatapointT, 32],
  ['lsim_metric_latency', MetricLatencyT, 40],
  ['lsim_region_config', RegionConfigT, 88],
  ['lsim_function_config', FunctionConfigT, 64],
  ['lsim_function', FunctionT, 12],
  ['lsim_env', EnvT, 12],
  ['lsim_invocation', InvocationT, 16],
  ['lsim_invoke_result', InvokeResultT, 72],
  ['lsim_finish_result', FinishResultT, 40],
  ['lsim_function_counts', FunctionCountsT, 52],
  ['lsim_stats', StatsT, 144],
  ['lsim_region_counts', RegionCountsT, 40],
  ['lsim_occupancy', OccupancyT, 72],
  ['lsim_money', MoneyT, 16],
  ['lsim_invocation_usage', InvocationUsageT, 40],
  ['lsim_provisioned_usage', ProvisionedUsageT, 24],
  ['lsim_bill_line', BillLineT, 48],
  ['lsim_bill', BillT, 416],
  ['lsim_duration_profile', DurationProfileT, 32],
  ['lsim_tune_request', TuneRequestT, 88],
  ['lsim_memory_samples', MemorySamplesT, 24],
  ['lsim_tune_samples_request', TuneSamplesRequestT, 48],
  ['lsim_tune_candidate', CandidateT, 40],
  ['lsim_tune_result', TuneResultT, 96],
  ['lsim_run_options', RunOptionsT, 48],
  ['lsim_sim_summary', SimSummaryT, 208],
  ['lsim_minute_point', MinutePointT, 88],
  ['lsim_alarm_config', AlarmConfigT, 56],
  ['lsim_target_tracking', TargetTrackingT, 16],
  ['lsim_scaling_decision', ScalingDecisionT, 16],
  ['lsim_percentiles', PercentilesT, 40],
  ['lsim_latency', LatencyT, 136],
];
for (const [name, type, size] of EXPECTED_SIZES) {
  if (koffi.sizeof(type) !== size) {
    throw new Error(`lambdasim: internal error: koffi lays out ${name} in ${koffi.sizeof(type)} bytes, the C ABI in ${size}`);
  }
}

const out = (t) => koffi.out(koffi.pointer(t));
const C = (() => {
  const { lib } = loaded;
  const f = (name, result, args) => {
    try {
      return lib.func(name, result, args);
    } catch (e) {
      throw new Error(`lambdasim: ${LIBRARY_PATH} has no usable symbol ${name}: ${e.message}; ${BUILD_HINT}`, {
        cause: e,
      });
    }
  };
  return {
    abi_version: f('lsim_abi_version', u32, []),
    version: f('lsim_version', 'const char *', []),
    throttle_reason_str: f('lsim_throttle_reason_str', 'const char *', [u32]),
    start_kind_str: f('lsim_start_kind_str', 'const char *', [u32]),
    env_state_str: f('lsim_env_state_str', 'const char *', [u32]),
    provisioned_status_str: f('lsim_provisioned_status_str', 'const char *', [u32]),
    status_str: f('lsim_status_str', 'const char *', [u32]),
    outcome_str: f('lsim_outcome_str', 'const char *', [u32]),
    region_config_default: f('lsim_region_config_default', u32, [out(RegionConfigT)]),
    function_config_default: f('lsim_function_config_default', u32, [out(FunctionConfigT)]),
    region_new: f('lsim_region_new', u32, [koffi.pointer(RegionConfigT), out(RegionPtr)]),
    region_free: f('lsim_region_free', u32, [RegionPtr]),
    function_create: f('lsim_function_create', u32, [RegionPtr, u64, koffi.pointer(FunctionConfigT), out(FunctionT)]),
    function_update: f('lsim_function_update', u32, [RegionPtr, u64, FunctionT, koffi.pointer(FunctionConfigT)]),
    function_put_reserved: f('lsim_function_put_reserved', u32, [RegionPtr, u64, FunctionT, u32, u32]),
    function_put_provisioned: f('lsim_function_put_provisioned', u32, [RegionPtr, u64, FunctionT, u32]),
    function_delete: f('lsim_function_delete', u32, [RegionPtr, u64, FunctionT]),
    invoke: f('lsim_invoke', u32, [RegionPtr, u64, FunctionT, out(InvokeResultT)]),
    invoke_with_init: f('lsim_invoke_with_init', u32, [RegionPtr, u64, FunctionT, u64, out(InvokeResultT)]),
    invoke_for: f('lsim_invoke_for', u32, [RegionPtr, u64, FunctionT, u64, u32, out(InvokeResultT)]),
    invoke_for_with_init: f('lsim_invoke_for_with_init', u32, [RegionPtr, u64, FunctionT, u64, u32, u64, out(InvokeResultT)]),
    finish: f('lsim_finish', u32, [RegionPtr, u64, InvocationT, u32, out(FinishResultT)]),
    advance: f('lsim_advance', u32, [RegionPtr, u64]),
    next_deadline: f('lsim_next_deadline', u32, [RegionPtr, out(u32), out(u64)]),
    region_now: f('lsim_region_now', u32, [RegionPtr, out(u64)]),
    function_get_counts: f('lsim_function_get_counts', u32, [RegionPtr, FunctionT, out(FunctionCountsT)]),
    function_stats: f('lsim_function_stats', u32, [RegionPtr, FunctionT, out(StatsT)]),
    region_stats: f('lsim_region_stats', u32, [RegionPtr, out(StatsT)]),
    metrics_config_default: f('lsim_metrics_config_default', u32, [out(MetricsConfigT)]),
    region_attach_metrics: f('lsim_region_attach_metrics', u32, [RegionPtr, koffi.pointer(MetricsConfigT)]),
    async_config_default: f('lsim_async_config_default', u32, [out(AsyncConfigT)]),
    region_attach_async_queue: f('lsim_region_attach_async_queue', u32, [RegionPtr, u32]),
    function_put_async_config: f('lsim_function_put_async_config', u32, [RegionPtr, FunctionT, koffi.pointer(AsyncConfigT)]),
    invoke_async: f('lsim_invoke_async', u32, [RegionPtr, u64, FunctionT, u64, u32, u32, out(AsyncEventT)]),
    async_event_get_status: f('lsim_async_event_get_status', u32, [RegionPtr, AsyncEventT, out(AsyncEventStatusT)]),
    region_async_stats: f('lsim_region_async_stats', u32, [RegionPtr, out(AsyncStatsT)]),
    function_async_stats: f('lsim_function_async_stats', u32, [RegionPtr, FunctionT, out(AsyncStatsT)]),
    region_metric_datapoint: f('lsim_region_metric_datapoint', u32, [
      RegionPtr,
      u32,
      koffi.pointer(FunctionT),
      u64,
      out(DatapointT),
      out(u32),
    ]),
    region_metric_statistic: f('lsim_region_metric_statistic', u32, [
      RegionPtr,
      u32,
      koffi.pointer(FunctionT),
      u32,
      u32,
      u64,
      u64,
      out('double'),
      out(u32),
    ]),
    region_metric_statistics: f('lsim_region_metric_statistics', u32, [
      RegionPtr,
      u32,
      koffi.pointer(FunctionT),
      u32,
      u32,
      u64,
      u64,
      'void *',
      'void *',
      'size_t',
    ]),
    region_metric_latency: f('lsim_region_metric_latency', u32, [
      RegionPtr,
      u32,
      koffi.pointer(FunctionT),
      out(MetricLatencyT),
      out(u32),
    ]),
    region_get_counts: f('lsim_region_get_counts', u32, [RegionPtr, out(RegionCountsT)]),
    env_state: f('lsim_env_state', u32, [RegionPtr, EnvT, out(u32)]),
    region_check: f('lsim_region_check', u32, [RegionPtr]),
    function_set_keep_alive: f('lsim_function_set_keep_alive', u32, [RegionPtr, u64, FunctionT, u32, u64]),
    prewarm: f('lsim_prewarm', u32, [RegionPtr, u64, FunctionT, out(u32), out(EnvT)]),
    region_occupancy: f('lsim_region_occupancy', u32, [RegionPtr, out(OccupancyT)]),
    function_occupancy: f('lsim_function_occupancy', u32, [RegionPtr, FunctionT, out(OccupancyT)]),
    region_take_busy_window_peak: f('lsim_region_take_busy_window_peak', u32, [RegionPtr, out(u32)]),
    function_busy: f('lsim_function_busy', u32, [RegionPtr, FunctionT, out(u32)]),
    env_function: f('lsim_env_function', u32, [RegionPtr, EnvT, out(FunctionT)]),
    function_get_config: f('lsim_function_get_config', u32, [RegionPtr, FunctionT, out(FunctionConfigT)]),
    region_check_message: f('lsim_region_check_message', u32, [RegionPtr, 'uint8_t *', 'size_t', out('size_t')]),
    line_kind_str: f('lsim_line_kind_str', 'const char *', [u32]),
    architecture_str: f('lsim_architecture_str', 'const char *', [u32]),
    invocation_usage_default: f('lsim_invocation_usage_default', u32, [out(InvocationUsageT)]),
    provisioned_usage_default: f('lsim_provisioned_usage_default', u32, [out(ProvisionedUsageT)]),
    duration_profile_default: f('lsim_duration_profile_default', u32, [out(DurationProfileT)]),
    tune_request_default: f('lsim_tune_request_default', u32, [out(TuneRequestT)]),
    tune_samples_request_default: f('lsim_tune_samples_request_default', u32, [out(TuneSamplesRequestT)]),
    bill_usage: f('lsim_bill_usage', u32, [
      koffi.pointer(InvocationUsageT),
      'size_t',
      koffi.pointer(ProvisionedUsageT),
      'size_t',
      u32,
      u32,
      out(BillT),
    ]),
    region_bill: f('lsim_region_bill', u32, [RegionPtr, u32, u32, out(BillT)]),
    function_bill: f('lsim_function_bill', u32, [RegionPtr, FunctionT, u32, u32, out(BillT)]),
    money_format: f('lsim_money_format', u32, [MoneyT, 'uint8_t *', 'size_t', out('size_t')]),
    money_format_cents: f('lsim_money_format_cents', u32, [MoneyT, 'uint8_t *', 'size_t', out('size_t')]),
    visible_cores: f('lsim_visible_cores', u32, [u32, out(u32)]),
    duration_at: f('lsim_duration_at', u32, [koffi.pointer(DurationProfileT), u32, out(u64)]),
    tune_profile: f('lsim_tune_profile', u32, [koffi.pointer(TuneRequestT), 'void *', 'size_t', out('size_t'), out(TuneResultT)]),
    tune_samples: f('lsim_tune_samples', u32, [
      koffi.pointer(TuneSamplesRequestT),
      'void *',
      'size_t',
      out('size_t'),
      out(TuneResultT),
    ]),
    run_options_default: f('lsim_run_options_default', u32, [out(RunOptionsT)]),
    scenario_run: f('lsim_scenario_run', u32, ['uint8_t *', 'size_t', u32, koffi.pointer(RunOptionsT), out(SimResultPtr)]),
    scenario_check: f('lsim_scenario_check', u32, ['uint8_t *', 'size_t', u32, 'uint8_t *', 'size_t', out('size_t')]),
    sweep_options_default: f('lsim_sweep_options_default', u32, [out(SweepOptionsT)]),
    sweep_run: f('lsim_sweep_run', u32, ['uint8_t *', 'size_t', u32, koffi.pointer(SweepOptionsT), out(SweepResultPtr)]),
    sweep_check: f('lsim_sweep_check', u32, [
      'uint8_t *',
      'size_t',
      u32,
      koffi.pointer(SweepOptionsT),
      'uint8_t *',
      'size_t',
      out('size_t'),
    ]),
    sweep_result_output: f('lsim_sweep_result_output', u32, [SweepResultPtr, 'uint8_t *', 'size_t', out('size_t')]),
    sweep_result_free: f('lsim_sweep_result_free', u32, [SweepResultPtr]),
    sim_result_free: f('lsim_sim_result_free', u32, [SimResultPtr]),
    sim_result_json: f('lsim_sim_result_json', u32, [SimResultPtr, 'uint8_t *', 'size_t', out('size_t')]),
    sim_result_seed: f('lsim_sim_result_seed', u32, [SimResultPtr, out(u64)]),
    sim_result_function_count: f('lsim_sim_result_function_count', u32, [SimResultPtr, out('size_t')]),
    sim_result_function_name: f('lsim_sim_result_function_name', u32, [SimResultPtr, 'size_t', 'uint8_t *', 'size_t', out('size_t')]),
    sim_result_summary: f('lsim_sim_result_summary', u32, [SimResultPtr, u32, out(SimSummaryT)]),
    sim_result_bill: f('lsim_sim_result_bill', u32, [SimResultPtr, u32, out(BillT)]),
    sim_result_latency: f('lsim_sim_result_latency', u32, [SimResultPtr, u32, out(LatencyT)]),
    sim_result_minutes: f('lsim_sim_result_minutes', u32, [SimResultPtr, 'void *', 'size_t', out('size_t')]),
    sim_result_bucket_minutes: f('lsim_sim_result_bucket_minutes', u32, [SimResultPtr, out(u64)]),
    alarm_config_default: f('lsim_alarm_config_default', u32, [out(AlarmConfigT)]),
    alarm_config_check: f('lsim_alarm_config_check', u32, [koffi.pointer(AlarmConfigT), out(u32)]),
    alarm_evaluate: f('lsim_alarm_evaluate', u32, [
      koffi.pointer(AlarmConfigT),
      u64,
      'void *',
      'void *',
      'size_t',
      'void *',
      'size_t',
      out('size_t'),
      out(u32),
    ]),
    alarm_error_str: f('lsim_alarm_error_str', 'const char *', [u32]),
    target_tracking_decide: f('lsim_target_tracking_decide', u32, [
      koffi.pointer(TargetTrackingT),
      'void *',
      'void *',
      'size_t',
      u32,
      'uint8_t',
      out(ScalingDecisionT),
    ]),
    metric_str: f('lsim_metric_str', 'const char *', [u32]),
    metric_from_name: f('lsim_metric_from_name', u32, ['const char *', out(u32)]),
    statistic_from_name: f('lsim_statistic_from_name', u32, ['const char *', out(u32), out(u32)]),
    comparison_str: f('lsim_comparison_str', 'const char *', [u32]),
    comparison_from_name: f('lsim_comparison_from_name', u32, ['const char *', out(u32)]),
    treat_missing_str: f('lsim_treat_missing_str', 'const char *', [u32]),
    treat_missing_from_name: f('lsim_treat_missing_from_name', u32, ['const char *', out(u32)]),
    alarm_state_str: f('lsim_alarm_state_str', 'const char *', [u32]),
    alarm_state_from_name: f('lsim_alarm_state_from_name', u32, ['const char *', out(u32)]),
    // The per-call entry points with handles as plain integers and results
    // written into a typed array ('void *'): koffi passes both for the cost
    // of the call itself, while a struct by value or an out-object costs
    // microseconds of conversion (see "Performance" in README.md).
    invoke_flat: f('lsim_invoke_flat', u32, [RegionPtr, u64, u32, u32, u32, 'void *']),
    invoke_for_flat: f('lsim_invoke_for_flat', u32, [RegionPtr, u64, u32, u32, u32, u64, u32, 'void *']),
    finish_flat: f('lsim_finish_flat', u32, [RegionPtr, u64, u32, u32, u32, u32, u32, 'void *']),
    invoke_with_init_flat: f('lsim_invoke_with_init_flat', u32, [RegionPtr, u64, u32, u32, u32, u64, 'void *']),
    invoke_for_with_init_flat: f('lsim_invoke_for_with_init_flat', u32, [RegionPtr, u64, u32, u32, u32, u64, u32, u64, 'void *']),
  };
})();

checkAbiVersion(C.abi_version(), ABI_VERSION, LIBRARY_PATH);

// ---------------------------------------------------------------------------
// Errors.

/** The status name of a code (`'NOT_READY'`), or `'UNKNOWN'`. */
function statusName(code) {
  return Number.isInteger(code) && code >= 0 && code < STATUS_NAMES.length ? STATUS_NAMES[code] : 'UNKNOWN';
}

/** `lsim_status_str(code)`: `'LSIM_STATUS_NOT_READY'`, or `'unknown status'`. */
function statusString(code) {
  if (!Number.isInteger(code) || code < 0 || code > U32_MAX) return 'unknown status';
  return C.status_str(code);
}

/**
 * A non-OK status of the C ABI. `.code` is the numeric status, `.status`
 * its name (`'NOT_READY'`), `.reason` the library's text
 * (`lsim_status_str`, `'LSIM_STATUS_NOT_READY'`).
 */
class LambdasimError extends Error {
  constructor(code, message, options) {
    const status = statusName(code);
    const reason = statusString(code);
    const what = STATUS_TEXT[status] ?? `status ${code}`;
    super(`${message ? `${message}: ` : ''}${status} (${what})`, options);
    this.name = 'LambdasimError';
    this.code = code;
    this.status = status;
    this.reason = reason;
  }
}

function check(code, op) {
  if (code !== Status.OK) throw new LambdasimError(code, op);
}

// ---------------------------------------------------------------------------
// Arguments (JS → C). Never let koffi see a value it would convert to an
// undefined C value.

function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return `${typeof v} ${String(v)}`;
}

/**
 * A time or duration in µs: a non-negative safe integer, or a BigInt up to
 * 2^64 - 1 (what the library answered past Number.MAX_SAFE_INTEGER).
 */
function microsArg(v, name) {
  if (typeof v === 'bigint') {
    if (v < 0n || v > U64_MAX) throw new RangeError(`lambdasim: ${name} must be in 0..2^64-1 (µs), got ${v}n`);
    return v;
  }
  if (typeof v !== 'number') {
    throw new TypeError(`lambdasim: ${name} must be a number (or BigInt) of microseconds, got ${describe(v)}`);
  }
  if (!Number.isInteger(v) || v < 0 || v > MAX_SAFE) {
    throw new RangeError(`lambdasim: ${name} must be an integer in 0..${MAX_SAFE} (µs) or a BigInt, got ${v}`);
  }
  return v;
}

/** A uint32_t. */
function u32Arg(v, name) {
  if (typeof v !== 'number') throw new TypeError(`lambdasim: ${name} must be a number, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < 0 || v > U32_MAX) {
    throw new RangeError(`lambdasim: ${name} must be an integer in 0..${U32_MAX}, got ${v}`);
  }
  return v;
}

/** An enumeration given by name (from `names`) or by its numeric code. */
function enumArg(v, names, name) {
  if (typeof v === 'string') {
    const i = names.indexOf(v);
    if (i < 0) throw new RangeError(`lambdasim: ${name} must be one of ${names.map((n) => `'${n}'`).join(', ')}, got '${v}'`);
    return i;
  }
  if (typeof v === 'number') return u32Arg(v, name); // the C side rejects unknown codes
  throw new TypeError(`lambdasim: ${name} must be one of ${names.map((n) => `'${n}'`).join(', ')} or its code, got ${describe(v)}`);
}

/** A boolean flag (0/1 in C). */
function boolArg(v, name) {
  if (typeof v !== 'boolean') throw new TypeError(`lambdasim: ${name} must be a boolean, got ${describe(v)}`);
  return v ? 1 : 0;
}

const U64_MAX = (1n << 64n) - 1n;

/** A uint64_t: a non-negative safe integer or a BigInt up to 2^64 - 1. */
function u64Arg(v, name) {
  if (typeof v === 'bigint') {
    if (v < 0n || v > U64_MAX) throw new RangeError(`lambdasim: ${name} must be in 0..2^64-1, got ${v}n`);
    return v;
  }
  if (typeof v !== 'number') throw new TypeError(`lambdasim: ${name} must be a number or a BigInt, got ${describe(v)}`);
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new RangeError(`lambdasim: ${name} must be a non-negative safe integer (or a BigInt), got ${v}`);
  }
  return v;
}

function plainObjectArg(v, name) {
  if (v === undefined) return {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeError(`lambdasim: ${name} must be an object, got ${describe(v)}`);
  }
  return v;
}

function rejectUnknownKeys(obj, allowed, name) {
  // for-in over own keys: the same keys as Object.keys without an array per call.
  for (const k in obj) {
    if (Object.hasOwn(obj, k) && !allowed.includes(k)) throw new TypeError(`lambdasim: unknown ${name} key '${k}' (allowed: ${allowed.join(', ')})`);
  }
}

// ---------------------------------------------------------------------------
// Values (C → JS).

/**
 * A uint64_t from koffi as the JS value of every answer: a number when it
 * is a safe integer, else a BigInt. Never throws, so a call that took
 * effect always returns.
 */
function u64Out(v) {
  if (typeof v === 'bigint') return v <= MAX_SAFE_BIG ? Number(v) : v;
  return Number.isSafeInteger(v) ? v : BigInt(v);
}

// Results written by the flat entry points into Uint32Arrays: field `i`
// of a struct is u32 word `i` (u64 fields are two words, low word first on
// little-endian hosts).
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;
const TWO_32 = 4294967296;
/** Words of `lsim_invoke_result` (72 bytes) and `lsim_finish_result` (40). */
const INVOKE_WORDS = 18;
const FINISH_WORDS = 10;

/**
 * The uint64_t at words `i`, `i + 1` of `a`, by the rule of `u64Out`: a
 * number when it is a safe integer (high word below 2^21), else a BigInt.
 */
function u64At(a, i) {
  const lo = a[i + LO];
  const hi = a[i + HI];
  return hi < 0x200000 ? hi * TWO_32 + lo : (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * A size from koffi (a string or array length) as a number; RangeError past
 * Number.MAX_SAFE_INTEGER. Only for sizes of reads that change nothing.
 */
function num(v, name) {
  if (typeof v === 'bigint') {
    if (v <= MAX_SAFE_BIG) return Number(v);
    throw new RangeError(`lambdasim: ${name} = ${v} is above Number.MAX_SAFE_INTEGER and cannot be returned exactly`);
  }
  if (!Number.isSafeInteger(v)) {
    throw new RangeError(`lambdasim: ${name} = ${v} is above Number.MAX_SAFE_INTEGER and cannot be returned exactly`);
  }
  return v;
}

function toAsyncStats(s) {
  return Object.fromEntries(ASYNC_STATS_FIELDS.map(([c, js]) => [js, u64Out(s[c])]));
}

function nameOf(names, code, fallback) {
  return code < names.length ? names[code] : fallback(code);
}

// ---------------------------------------------------------------------------
// Configs.

const REGION_KEYS = Object.freeze([
  'accountLimit',
  'unreservedMin',
  'scalingRule',
  'legacyBurst',
  'requestRatePerLimit',
  'idleTimeoutUs',
  'maxLifetimeUs',
  'shutdownUs',
  'warmPick',
  'memoryRule',
  'provisionedDelayUs',
  'provisionedPerMinute',
  'granularity',
  'billInit',
  'envCapacity',
  'functionCapacity',
]);

const FUNCTION_KEYS = Object.freeze([
  'memoryMb',
  'timeoutMs',
  'reserved',
  'provisioned',
  'sandboxUs',
  'downloadUsPerMb',
  'packageMb',
  'initUs',
  'architecture',
  'ephemeralMb',
]);

function cRegionConfigDefault() {
  const c = {};
  check(C.region_config_default(c), 'lsim_region_config_default');
  return c;
}

function cFunctionConfigDefault() {
  const c = {};
  check(C.function_config_default(c), 'lsim_function_config_default');
  return c;
}

/** The default region settings (from `lsim_region_config_default`). */
function defaultRegionConfig() {
  const c = cRegionConfigDefault();
  return {
    accountLimit: c.account_limit,
    unreservedMin: c.unreserved_min,
    scalingRule: nameOf(SCALING_RULES, c.scaling_rule, (n) => n),
    legacyBurst: c.legacy_burst,
    requestRatePerLimit: c.request_rate_per_limit,
    idleTimeoutUs: u64Out(c.idle_timeout_us),
    maxLifetimeUs: u64Out(c.max_lifetime_us),
    shutdownUs: u64Out(c.shutdown_us),
    warmPick: nameOf(WARM_PICKS, c.warm_pick, (n) => n),
    memoryRule: nameOf(MEMORY_RULES, c.memory_rule, (n) => n),
    provisionedDelayUs: u64Out(c.provisioned_delay_us),
    provisionedPerMinute: c.provisioned_per_minute,
    granularity: nameOf(GRANULARITIES, c.granularity, (n) => n),
    billInit: c.bill_init === 1,
    envCapacity: c.env_capacity,
    functionCapacity: c.function_capacity,
  };
}

/** The default function configuration (from `lsim_function_config_default`). */
function defaultFunctionConfig() {
  return fromCFunctionConfig(cFunctionConfigDefault());
}

/** A C function config as the JS object `defaultFunctionConfig` returns. */
function fromCFunctionConfig(c) {
  return {
    memoryMb: c.memory_mb,
    timeoutMs: c.timeout_ms,
    reserved: c.has_reserved ? c.reserved : null,
    provisioned: c.provisioned,
    sandboxUs: u64Out(c.sandbox_us),
    downloadUsPerMb: u64Out(c.download_us_per_mb),
    packageMb: c.package_mb,
    initUs: u64Out(c.init_us),
    architecture: nameOf(ARCHITECTURES, c.architecture, (n) => n),
    ephemeralMb: c.ephemeral_mb,
  };
}

function toCRegionConfig(config) {
  const o = plainObjectArg(config, 'region config');
  rejectUnknownKeys(o, REGION_KEYS, 'region config');
  const c = cRegionConfigDefault();
  const set = (key, field, conv) => {
    if (o[key] !== undefined) c[field] = conv(o[key], `region config ${key}`);
  };
  set('accountLimit', 'account_limit', u32Arg);
  set('unreservedMin', 'unreserved_min', u32Arg);
  set('scalingRule', 'scaling_rule', (v, n) => enumArg(v, SCALING_RULES, n));
  set('legacyBurst', 'legacy_burst', u32Arg);
  set('requestRatePerLimit', 'request_rate_per_limit', u32Arg);
  set('idleTimeoutUs', 'idle_timeout_us', microsArg);
  set('maxLifetimeUs', 'max_lifetime_us', microsArg);
  set('shutdownUs', 'shutdown_us', microsArg);
  set('warmPick', 'warm_pick', (v, n) => enumArg(v, WARM_PICKS, n));
  set('memoryRule', 'memory_rule', (v, n) => enumArg(v, MEMORY_RULES, n));
  set('provisionedDelayUs', 'provisioned_delay_us', microsArg);
  set('provisionedPerMinute', 'provisioned_per_minute', u32Arg);
  set('granularity', 'granularity', (v, n) => enumArg(v, GRANULARITIES, n));
  set('billInit', 'bill_init', boolArg);
  set('envCapacity', 'env_capacity', u32Arg);
  set('functionCapacity', 'function_capacity', u32Arg);
  return c;
}

function toCFunctionConfig(config) {
  const o = plainObjectArg(config, 'function config');
  rejectUnknownKeys(o, FUNCTION_KEYS, 'function config');
  const c = cFunctionConfigDefault();
  const set = (key, field, conv) => {
    if (o[key] !== undefined) c[field] = conv(o[key], `function config ${key}`);
  };
  set('memoryMb', 'memory_mb', u32Arg);
  set('timeoutMs', 'timeout_ms', u32Arg);
  if (o.reserved !== undefined) {
    if (o.reserved === null) {
      c.has_reserved = 0;
      c.reserved = 0;
    } else {
      c.has_reserved = 1;
      c.reserved = u32Arg(o.reserved, 'function config reserved');
    }
  }
  set('provisioned', 'provisioned', u32Arg);
  set('sandboxUs', 'sandbox_us', microsArg);
  set('downloadUsPerMb', 'download_us_per_mb', microsArg);
  set('packageMb', 'package_mb', u32Arg);
  set('initUs', 'init_us', microsArg);
  set('architecture', 'architecture', (v, n) => enumArg(v, ARCHITECTURES, n));
  set('ephemeralMb', 'ephemeral_mb', u32Arg);
  return c;
}

// ---------------------------------------------------------------------------
// Handles: frozen plain objects `{ index, generation, regionTag }`. The tag
// binds each one to the region that handed it out: the library refuses a
// handle of another region (or with no tag) instead of silently naming
// whatever occupies the same slot there.

function makeEnv(raw) {
  return Object.freeze({ index: raw.index, generation: raw.generation, regionTag: raw.region_tag });
}

function makeFunction(raw) {
  return Object.freeze({ index: raw.index, generation: raw.generation, regionTag: raw.region_tag });
}

function isU32(v) {
  return Number.isInteger(v) && v >= 0 && v <= U32_MAX;
}

/** `{ index, generation, regionTag? }` (a missing tag is 0: no region's). */
function isHandle(v) {
  return (
    v !== null &&
    typeof v === 'object' &&
    isU32(v.index) &&
    isU32(v.generation) &&
    (v.regionTag === undefined || isU32(v.regionTag))
  );
}

/** The C struct of a function or environment handle already checked by `isHandle`. */
function cHandle(v) {
  return { index: v.index, generation: v.generation, region_tag: v.regionTag ?? 0 };
}

// ---------------------------------------------------------------------------
// Invoke answers from the words of an `lsim_invoke_result`.

/** Scratch out-buffers of the friendly calls (decoded before they return). */
const SCRATCH_INVOKE = new Uint32Array(INVOKE_WORDS);
const SCRATCH_FINISH = new Uint32Array(FINISH_WORDS);

/** The answer object of `invoke` / `invokeFor` from the words `a`. */
function invokeAnswer(a) {
  if (a[0] !== 0) return throttleAnswer(a[1]);
  const env = Object.freeze({ index: a[6], generation: a[7], regionTag: a[8] });
  const invEnv = a[2] === a[6] && a[3] === a[7] && a[4] === a[8] ? env : envAt(a, 2);
  return {
    throttled: false,
    invocation: Object.freeze({ env: invEnv, seq: a[5] }),
    env,
    start: startName(a[9]),
    startKind: a[9],
    onProvisioned: a[10] === 1,
    initUs: u64At(a, 12),
    readyAtUs: u64At(a, 14),
    suppressedInitUs: u64At(a, 16),
  };
}

function throttleAnswer(code) {
  return { throttled: true, reason: throttleName(code), reasonCode: code };
}

function envAt(a, i) {
  return Object.freeze({ index: a[i], generation: a[i + 1], regionTag: a[i + 2] });
}

function startName(code) {
  return nameOf(START_KINDS, code, (c) => C.start_kind_str(c));
}

function throttleName(code) {
  return nameOf(THROTTLE_REASONS, code, (c) => C.throttle_reason_str(c));
}

const VIEW_WORDS = Symbol('words');

/**
 * A reusable out-parameter of `Region.invokeForInto` / `invokeInto`: one
 * `lsim_invoke_result` in a Uint32Array, decoded only when a field is read.
 * Reading `env` or `invocation` makes a new handle object each time; the
 * numeric fields make nothing. Values are those of the last call that
 * succeeded with this view (all zero before the first).
 */
class InvokeResultView {
  constructor() {
    this[VIEW_WORDS] = new Uint32Array(INVOKE_WORDS);
  }

  /** True: throttled (only `reason` / `reasonCode` mean anything). */
  get throttled() {
    return this[VIEW_WORDS][0] !== 0;
  }

  /** The `ThrottleReason` code of a throttle (0 otherwise). */
  get reasonCode() {
    return this[VIEW_WORDS][1];
  }

  /** The throttle reason's name, or null when started. */
  get reason() {
    const a = this[VIEW_WORDS];
    return a[0] !== 0 ? throttleName(a[1]) : null;
  }

  /** The `StartKind` code. */
  get startKind() {
    return this[VIEW_WORDS][9];
  }

  /** The start kind's name ('Warm', ...). */
  get start() {
    return startName(this[VIEW_WORDS][9]);
  }

  get onProvisioned() {
    return this[VIEW_WORDS][10] === 1;
  }

  get initUs() {
    return u64At(this[VIEW_WORDS], 12);
  }

  get readyAtUs() {
    return u64At(this[VIEW_WORDS], 14);
  }

  get suppressedInitUs() {
    return u64At(this[VIEW_WORDS], 16);
  }

  /** The environment's handle (a new frozen object per read). */
  get env() {
    return envAt(this[VIEW_WORDS], 6);
  }

  /** The invocation's handle, for `finish` (a new frozen object per read). */
  get invocation() {
    const a = this[VIEW_WORDS];
    return Object.freeze({ env: envAt(a, 2), seq: a[5] });
  }

  /** The same object `invoke` / `invokeFor` would have answered. */
  toObject() {
    return invokeAnswer(this[VIEW_WORDS]);
  }
}

/** The words of an `InvokeResultView` argument (TypeError for anything else). */
function viewWords(out, op) {
  if (!(out instanceof InvokeResultView)) {
    throw new TypeError(`lambdasim: Region.${op}: out must be an InvokeResultView, got ${describe(out)}`);
  }
  return out[VIEW_WORDS];
}

// ---------------------------------------------------------------------------
// Region.

/**
 * One kind of owned C handle (regions, simulation results): how to free
 * it, how many are live, and the safety net that frees one whose owner was
 * garbage-collected without `close()`.
 */
class HandleKind {
  constructor(name, noun, free) {
    this.name = name;
    this.noun = noun;
    this.free = free;
    this.live = 0;
    // The held value is the handle (a BigInt), never its owner.
    this.registry = new FinalizationRegistry((ptr) => {
      this.live -= 1;
      try {
        free(ptr);
      } catch {
        // Nothing useful to do during finalization.
      }
    });
  }
}

/** One owned C handle: freed once, by `close()` or by the safety net. */
class Owned {
  #ptr;
  #kind;

  constructor(ptr, kind) {
    this.#ptr = ptr;
    this.#kind = kind;
    kind.live += 1;
    // Registered on this object, which lives exactly as long as its owner.
    kind.registry.register(this, ptr, this);
  }

  get closed() {
    return this.#ptr === null;
  }

  /** Frees the C handle. Idempotent. */
  close() {
    if (this.#ptr === null) return;
    const ptr = this.#ptr;
    this.#ptr = null;
    this.#kind.registry.unregister(this);
    this.#kind.live -= 1;
    check(this.#kind.free(ptr), `${this.#kind.name}.close`);
  }

  /** The handle for operation `op`; STALE_HANDLE once closed. */
  handle(op) {
    if (this.#ptr === null) {
      throw new LambdasimError(Status.STALE_HANDLE, `${this.#kind.name}.${op}: the ${this.#kind.noun} is closed`);
    }
    return this.#ptr;
  }
}

const REGION = new HandleKind('Region', 'region', (ptr) => C.region_free(ptr));

class Region {
  #own = null;

  /** Creates a region (no functions, clock at 0). Missing settings take the defaults. */
  constructor(config = {}) {
    const c = toCRegionConfig(config);
    const outPtr = [null];
    check(C.region_new(c, outPtr), 'Region');
    this.#own = new Owned(outPtr[0], REGION);
  }

  /** Same as `new Region(config)`. */
  static create(config = {}) {
    return new Region(config);
  }

  /** Regions created and not yet freed (by `close()` or the finalizer). */
  static liveCount() {
    return REGION.live;
  }

  /** True once `close()` was called. */
  get closed() {
    return this.#own.closed;
  }

  /** Frees the C region. Idempotent; every later call throws STALE_HANDLE. */
  close() {
    this.#own.close();
  }

  [DISPOSE]() {
    this.close();
  }

  #handle(op) {
    return this.#own.handle(op);
  }

  #fn(v, op) {
    return cHandle(this.#checkedFn(v, op));
  }

  /** `v` once checked to be a function handle (no C struct made). */
  #checkedFn(v, op) {
    if (!isHandle(v)) {
      throw new TypeError(`lambdasim: Region.${op}: expected a function handle {index, generation, regionTag}, got ${describe(v)}`);
    }
    return v;
  }

  #env(v, op) {
    if (!isHandle(v)) {
      throw new TypeError(`lambdasim: Region.${op}: expected an environment handle {index, generation, regionTag}, got ${describe(v)}`);
    }
    return cHandle(v);
  }

  #inv(v, op) {
    if (v === null || typeof v !== 'object' || !isHandle(v.env) || !isU32(v.seq)) {
      throw new TypeError(
        `lambdasim: Region.${op}: expected an invocation handle {env: {index, generation, regionTag}, seq}, got ${describe(v)}`,
      );
    }
    return { env: cHandle(v.env), seq: v.seq };
  }

  /** Creates a function at `nowUs`; returns its handle. */
  createFunction(nowUs, config = {}) {
    const r = this.#handle('createFunction');
    const now = microsArg(nowUs, 'nowUs');
    const c = toCFunctionConfig(config);
    const f = {};
    check(C.function_create(r, now, c, f), 'Region.createFunction');
    return makeFunction(f);
  }

  /** Replaces a function's whole configuration (missing keys take the defaults). */
  updateFunction(nowUs, fn, config = {}) {
    const r = this.#handle('updateFunction');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#fn(fn, 'updateFunction');
    const c = toCFunctionConfig(config);
    check(C.function_update(r, now, f, c), 'Region.updateFunction');
  }

  /** Sets (a number) or removes (`null`) a function's reserved concurrency. */
  putReserved(nowUs, fn, reserved) {
    const r = this.#handle('putReserved');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#fn(fn, 'putReserved');
    if (reserved === null) {
      check(C.function_put_reserved(r, now, f, 0, 0), 'Region.putReserved');
    } else {
      const n = u32Arg(reserved, 'reserved');
      check(C.function_put_reserved(r, now, f, 1, n), 'Region.putReserved');
    }
  }

  /** Sets a function's provisioned concurrency (0 removes it). */
  putProvisioned(nowUs, fn, provisioned) {
    const r = this.#handle('putProvisioned');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#fn(fn, 'putProvisioned');
    const n = u32Arg(provisioned, 'provisioned');
    check(C.function_put_provisioned(r, now, f, n), 'Region.putProvisioned');
  }

  /**
   * Overrides how long the function's on-demand environments are kept idle:
   * `keepAliveUs` µs, or `null` for the region's `idleTimeoutUs`. Applies to
   * environments that become idle from now on.
   */
  setKeepAlive(nowUs, fn, keepAliveUs) {
    const r = this.#handle('setKeepAlive');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#fn(fn, 'setKeepAlive');
    if (keepAliveUs === null) {
      check(C.function_set_keep_alive(r, now, f, 0, 0), 'Region.setKeepAlive');
    } else {
      const us = microsArg(keepAliveUs, 'keepAliveUs');
      check(C.function_set_keep_alive(r, now, f, 1, us), 'Region.setKeepAlive');
    }
  }

  /** Deletes a function; its handle becomes stale (UNKNOWN_FUNCTION). */
  deleteFunction(nowUs, fn) {
    const r = this.#handle('deleteFunction');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#fn(fn, 'deleteFunction');
    check(C.function_delete(r, now, f), 'Region.deleteFunction');
  }

  /** A synchronous invoke at `nowUs`: started, or a throttle (not an error). */
  invoke(nowUs, fn) {
    const r = this.#handle('invoke');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#checkedFn(fn, 'invoke');
    check(C.invoke_flat(r, now, f.index, f.generation, f.regionTag ?? 0, SCRATCH_INVOKE), 'Region.invoke');
    return invokeAnswer(SCRATCH_INVOKE);
  }

  /** Like `invoke`, with this request's init duration if it cold-starts. */
  invokeWithInit(nowUs, fn, initUs) {
    const r = this.#handle('invokeWithInit');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#checkedFn(fn, 'invokeWithInit');
    const init = microsArg(initUs, 'initUs');
    check(C.invoke_with_init_flat(r, now, f.index, f.generation, f.regionTag ?? 0, init, SCRATCH_INVOKE), 'Region.invokeWithInit');
    return invokeAnswer(SCRATCH_INVOKE);
  }

  /**
   * An invoke whose end the region schedules itself: the handler runs
   * `handler.durationUs` once any init is done, then the invocation ends with
   * `handler.outcome` (default 'Success') — or at the function's timeout when
   * that comes first or at the same instant (a timeout; a later `finish`
   * throws TIMED_OUT). The end is applied by the next call at or after it
   * (`advance`, `invoke`, ...), so a driver that knows each request's
   * duration keeps no completion queue. `finish` before the end ends it
   * early; after it, UNKNOWN_INVOCATION. `options.initUs` replaces the
   * configured init duration if the request cold-starts. Answers like `invoke`.
   */
  invokeFor(nowUs, fn, handler, options = undefined) {
    const r = this.#handle('invokeFor');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#checkedFn(fn, 'invokeFor');
    const h = plainObjectArg(handler, 'handler');
    rejectUnknownKeys(h, HANDLER_KEYS, 'handler');
    const duration = microsArg(h.durationUs, 'handler.durationUs');
    const outcome = h.outcome === undefined || h.outcome === null ? 0 : enumArg(h.outcome, OUTCOMES, 'handler.outcome');
    if (options === undefined) {
      check(C.invoke_for_flat(r, now, f.index, f.generation, f.regionTag ?? 0, duration, outcome, SCRATCH_INVOKE), 'Region.invokeFor');
      return invokeAnswer(SCRATCH_INVOKE);
    }
    const o = plainObjectArg(options, 'invokeFor options');
    rejectUnknownKeys(o, INVOKE_FOR_OPTION_KEYS, 'invokeFor options');
    if (o.initUs === undefined) {
      check(C.invoke_for_flat(r, now, f.index, f.generation, f.regionTag ?? 0, duration, outcome, SCRATCH_INVOKE), 'Region.invokeFor');
    } else {
      const init = microsArg(o.initUs, 'initUs');
      check(
        C.invoke_for_with_init_flat(r, now, f.index, f.generation, f.regionTag ?? 0, duration, outcome, init, SCRATCH_INVOKE),
        'Region.invokeFor',
      );
    }
    return invokeAnswer(SCRATCH_INVOKE);
  }

  /**
   * The fast `invokeFor`, for drivers calling it millions of times: the
   * handler is `durationUs` and `outcome` (a code of `Outcome`, or its name),
   * and the answer goes into `out`, an `InvokeResultView` the caller reuses,
   * instead of new objects; its fields are decoded only when read. Returns
   * `out`. Checks its arguments like `invokeFor` (TypeError / RangeError
   * before anything is called); a non-OK status throws `LambdasimError` and
   * leaves `out` as it was.
   */
  invokeForInto(nowUs, fn, durationUs, outcome, out) {
    const r = this.#handle('invokeForInto');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#checkedFn(fn, 'invokeForInto');
    const duration = microsArg(durationUs, 'durationUs');
    const o = typeof outcome === 'number' ? u32Arg(outcome, 'outcome') : enumArg(outcome, OUTCOMES, 'outcome');
    const words = viewWords(out, 'invokeForInto');
    check(C.invoke_for_flat(r, now, f.index, f.generation, f.regionTag ?? 0, duration, o, words), 'Region.invokeForInto');
    return out;
  }

  /** The fast `invoke`: the answer goes into `out` (an `InvokeResultView`), as `invokeForInto`. Returns `out`. */
  invokeInto(nowUs, fn, out) {
    const r = this.#handle('invokeInto');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#checkedFn(fn, 'invokeInto');
    const words = viewWords(out, 'invokeInto');
    check(C.invoke_flat(r, now, f.index, f.generation, f.regionTag ?? 0, words), 'Region.invokeInto');
    return out;
  }

  /**
   * Starts a new on-demand environment without an invocation (pre-warming):
   * created and initialized like a full cold start, then idle. Returns its
   * handle, or null when no scaling token is available.
   */
  prewarm(nowUs, fn) {
    const r = this.#handle('prewarm');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#fn(fn, 'prewarm');
    const started = [0];
    const env = {};
    check(C.prewarm(r, now, f, started, env), 'Region.prewarm');
    return started[0] ? makeEnv(env) : null;
  }

  /** Ends an invocation at `nowUs` with `outcome` (a name or an `Outcome` code; default 'Success'). */
  finish(nowUs, invocation, outcome = 'Success') {
    const r = this.#handle('finish');
    const now = microsArg(nowUs, 'nowUs');
    const inv = this.#inv(invocation, 'finish');
    const o = enumArg(outcome, OUTCOMES, 'outcome');
    const e = inv.env;
    check(C.finish_flat(r, now, e.index, e.generation, e.region_tag, inv.seq, o, SCRATCH_FINISH), 'Region.finish');
    const a = SCRATCH_FINISH;
    return {
      function: Object.freeze({ index: a[0], generation: a[1], regionTag: a[2] }),
      env: Object.freeze({ index: a[3], generation: a[4], regionTag: a[5] }),
      durationUs: u64At(a, 6),
      envKept: a[8] === 1,
    };
  }

  /** Applies every time-driven event due at or before `nowUs`; moves the clock there. */
  advance(nowUs) {
    const r = this.#handle('advance');
    const now = microsArg(nowUs, 'nowUs');
    check(C.advance(r, now), 'Region.advance');
  }

  /** When the next time-driven event is due (µs), or null. */
  nextDeadline() {
    const r = this.#handle('nextDeadline');
    const has = [0];
    const at = [0];
    check(C.next_deadline(r, has, at), 'Region.nextDeadline');
    return has[0] ? u64Out(at[0]) : null;
  }

  /** The region's clock (the latest time it was given), µs. */
  now() {
    const r = this.#handle('now');
    const t = [0];
    check(C.region_now(r, t), 'Region.now');
    return u64Out(t[0]);
  }

  /** One function's environment counts. */
  functionCounts(fn) {
    const r = this.#handle('functionCounts');
    const f = this.#fn(fn, 'functionCounts');
    const c = {};
    check(C.function_get_counts(r, f, c), 'Region.functionCounts');
    return {
      busy: c.busy,
      busyProvisioned: c.busy_provisioned,
      idle: c.idle,
      idleProvisioned: c.idle_provisioned,
      creating: c.creating,
      initializing: c.initializing,
      live: c.live,
      shuttingDown: c.shutting_down,
      provisioned: c.provisioned,
      provisionedAllocated: c.provisioned_allocated,
      provisionedStatus: nameOf(PROVISIONED_STATUSES, c.provisioned_status, (s) => C.provisioned_status_str(s)),
      reserved: c.has_reserved ? c.reserved : null,
    };
  }

  /** One function's counters since it was created. */
  functionStats(fn) {
    const r = this.#handle('functionStats');
    const f = this.#fn(fn, 'functionStats');
    const s = {};
    check(C.function_stats(r, f, s), 'Region.functionStats');
    return toStats(s);
  }

  /**
   * Attaches a CloudWatch metric store: from now on the region emits its
   * metrics per function slot and region-wide. `{periodS: 60, periods: 60,
   * histogramPeriods: 5}` by default; about 380 KB per function slot at the
   * defaults (keep `functionCapacity` to what you use).
   */
  attachMetrics(config = {}) {
    const r = this.#handle('attachMetrics');
    const o = plainObjectArg(config, 'metrics config');
    rejectUnknownKeys(o, ['periodS', 'periods', 'histogramPeriods'], 'metrics config');
    const c = {};
    check(C.metrics_config_default(c), 'lsim_metrics_config_default');
    if (o.periodS !== undefined) c.period_s = u32Arg(o.periodS, 'periodS');
    if (o.periods !== undefined) c.periods = u32Arg(o.periods, 'periods');
    if (o.histogramPeriods !== undefined) c.histogram_periods = u32Arg(o.histogramPeriods, 'histogramPeriods');
    check(C.region_attach_metrics(r, c), 'Region.attachMetrics');
  }

  /**
   * Attaches a queue of `capacity` asynchronous event slots, shared by
   * every function (once per region; see `invokeAsync`).
   */
  attachAsyncQueue(capacity) {
    const r = this.#handle('attachAsyncQueue');
    check(C.region_attach_async_queue(r, u32Arg(capacity, 'capacity')), 'Region.attachAsyncQueue');
  }

  /**
   * Sets `fn`'s asynchronous settings: `{maxRetryAttempts: 2, maxEventAgeS:
   * 21600, deadLetterQueue, onFailure, onSuccess}` (targets 'None' (the
   * default), 'Available', or 'Failing': every send fails, the event is
   * lost and counted).
   */
  putAsyncConfig(fn, config = {}) {
    const r = this.#handle('putAsyncConfig');
    const f = this.#fn(fn, 'putAsyncConfig');
    const o = plainObjectArg(config, 'async config');
    rejectUnknownKeys(o, ['maxRetryAttempts', 'maxEventAgeS', 'deadLetterQueue', 'onFailure', 'onSuccess'], 'async config');
    const c = {};
    check(C.async_config_default(c), 'lsim_async_config_default');
    if (o.maxRetryAttempts !== undefined) c.max_retry_attempts = u32Arg(o.maxRetryAttempts, 'maxRetryAttempts');
    if (o.maxEventAgeS !== undefined) c.max_event_age_s = u32Arg(o.maxEventAgeS, 'maxEventAgeS');
    if (o.deadLetterQueue !== undefined) c.dead_letter_queue = enumArg(o.deadLetterQueue, DELIVERY_TARGETS, 'deadLetterQueue');
    if (o.onFailure !== undefined) c.on_failure = enumArg(o.onFailure, DELIVERY_TARGETS, 'onFailure');
    if (o.onSuccess !== undefined) c.on_success = enumArg(o.onSuccess, DELIVERY_TARGETS, 'onSuccess');
    check(C.function_put_async_config(r, f, c), 'Region.putAsyncConfig');
  }

  /**
   * An asynchronous (Event) invoke of `fn` at `nowUs`: the event is
   * accepted into the queue and its first attempt made at once; the region
   * makes later ones as its clock reaches them. Each attempt runs
   * `handler.durationUs`; the first `failingAttempts` (default 255: all)
   * end with `handler.outcome`, later ones succeed. Returns the event
   * handle `{index, generation, regionTag}`.
   */
  invokeAsync(nowUs, fn, handler, failingAttempts = 255) {
    const r = this.#handle('invokeAsync');
    const now = microsArg(nowUs, 'nowUs');
    const f = this.#fn(fn, 'invokeAsync');
    const h = plainObjectArg(handler, 'handler');
    rejectUnknownKeys(h, HANDLER_KEYS, 'handler');
    const duration = microsArg(h.durationUs, 'handler.durationUs');
    const outcome = h.outcome === undefined || h.outcome === null ? 0 : enumArg(h.outcome, OUTCOMES, 'handler.outcome');
    const e = {};
    check(C.invoke_async(r, now, f, duration, outcome, u32Arg(failingAttempts, 'failingAttempts'), e), 'Region.invokeAsync');
    return Object.freeze({ index: e.index, generation: e.generation, regionTag: e.region_tag });
  }

  /**
   * Where an event is: `{state: 'Queued'|'Running'|'Succeeded'|'Dropped',
   * attempts, dueAtUs (Queued: the next attempt, or the expiry if earlier),
   * reason ('None', or why it was dropped)}`.
   */
  asyncEventStatus(event) {
    const r = this.#handle('asyncEventStatus');
    if (!isHandle(event)) throw new TypeError(`lambdasim: Region.asyncEventStatus: expected an event handle, got ${describe(event)}`);
    const s = {};
    check(C.async_event_get_status(r, cHandle(event), s), 'Region.asyncEventStatus');
    return {
      state: nameOf(ASYNC_STATES, s.state, String),
      attempts: s.attempts,
      dueAtUs: u64Out(s.due_at_us),
      reason: nameOf(DROP_REASONS, s.reason, String),
    };
  }

  /** The region's asynchronous counters (zero without a queue). */
  regionAsyncStats() {
    const r = this.#handle('regionAsyncStats');
    const s = {};
    check(C.region_async_stats(r, s), 'Region.regionAsyncStats');
    return toAsyncStats(s);
  }

  /** `fn`'s asynchronous counters. */
  functionAsyncStats(fn) {
    const r = this.#handle('functionAsyncStats');
    const f = this.#fn(fn, 'functionAsyncStats');
    const s = {};
    check(C.function_async_stats(r, f, s), 'Region.functionAsyncStats');
    return toAsyncStats(s);
  }

  /** The C function argument of a metric query: null is region-wide. */
  #metricFn(fn, op) {
    return fn === null || fn === undefined ? null : this.#fn(fn, op);
  }

  /**
   * Period `period`'s datapoint of `metric` (a name like 'Invocations' or a
   * code) for `fn` (null: region-wide): `{sum, sampleCount, minimum,
   * maximum}`, or null for a period with no datapoint (missing, not zero).
   */
  metricDatapoint(metric, fn, period) {
    const r = this.#handle('metricDatapoint');
    const m = alarmName(metric, C.metric_from_name, 'metric', 'UnknownMetric', 'Region.metricDatapoint');
    const out = {};
    const present = [0];
    const st = C.region_metric_datapoint(r, m, this.#metricFn(fn, 'metricDatapoint'), u64Arg(period, 'period'), out, present);
    check(st, 'Region.metricDatapoint');
    if (present[0] !== 1) return null;
    return { sum: u64Out(out.sum), sampleCount: u64Out(out.sample_count), minimum: u64Out(out.minimum), maximum: u64Out(out.maximum) };
  }

  /**
   * A statistic ('Sum', 'Maximum', 'p99', ...) of `metric` for `fn` (null:
   * region-wide) over `count` periods from `firstPeriod`, merged into one;
   * null when every one is missing.
   */
  metricStatistic(metric, fn, statistic, firstPeriod, count = 1) {
    const r = this.#handle('metricStatistic');
    const m = alarmName(metric, C.metric_from_name, 'metric', 'UnknownMetric', 'Region.metricStatistic');
    if (typeof statistic !== 'string') throw new TypeError(`lambdasim: statistic must be a name like 'Sum' or 'p99.9', got ${describe(statistic)}`);
    const kind = [0];
    const hundredths = [0];
    const parsed = statistic.includes('\0') ? Status.INVALID_ARGUMENT : C.statistic_from_name(statistic, kind, hundredths);
    check(parsed, 'Region.metricStatistic');
    const value = [0];
    const present = [0];
    const f = this.#metricFn(fn, 'metricStatistic');
    const st = C.region_metric_statistic(r, m, f, kind[0], hundredths[0], u64Arg(firstPeriod, 'firstPeriod'), u64Arg(count, 'count'), value, present);
    check(st, 'Region.metricStatistic');
    return present[0] === 1 ? value[0] : null;
  }

  /**
   * A statistic of `metric` for `fn` (null: region-wide) for each of `count`
   * periods from `firstPeriod`, as GetMetricStatistics answers a time range:
   * an array of numbers, null where a period has no datapoint.
   */
  metricStatistics(metric, fn, statistic, firstPeriod, count) {
    const r = this.#handle('metricStatistics');
    const m = alarmName(metric, C.metric_from_name, 'metric', 'UnknownMetric', 'Region.metricStatistics');
    if (typeof statistic !== 'string') throw new TypeError(`lambdasim: statistic must be a name like 'Sum' or 'p99.9', got ${describe(statistic)}`);
    const n = u32Arg(count, 'count');
    const kind = [0];
    const hundredths = [0];
    const parsed = statistic.includes('\0') ? Status.INVALID_ARGUMENT : C.statistic_from_name(statistic, kind, hundredths);
    check(parsed, 'Region.metricStatistics');
    const values = new Float64Array(Math.max(n, 1));
    const present = new Uint8Array(Math.max(n, 1));
    const f = this.#metricFn(fn, 'metricStatistics');
    const st = C.region_metric_statistics(r, m, f, kind[0], hundredths[0], u64Arg(firstPeriod, 'firstPeriod'), n, values, present, n);
    check(st, 'Region.metricStatistics');
    return Array.from({ length: n }, (_, i) => (present[i] === 1 ? values[i] : null));
  }

  /**
   * Whole-run p50/p90/p99/maximum (µs) of a distribution ('Duration',
   * 'InitDuration', 'ResponseTime') for `fn` (null: region-wide), or null
   * before any sample.
   */
  metricLatency(metric, fn) {
    const r = this.#handle('metricLatency');
    const m = alarmName(metric, C.metric_from_name, 'metric', 'UnknownMetric', 'Region.metricLatency');
    const out = {};
    const present = [0];
    check(C.region_metric_latency(r, m, this.#metricFn(fn, 'metricLatency'), out, present), 'Region.metricLatency');
    if (present[0] !== 1) return null;
    return {
      sampleCount: u64Out(out.sample_count),
      p50: u64Out(out.p50),
      p90: u64Out(out.p90),
      p99: u64Out(out.p99),
      maximum: u64Out(out.maximum),
    };
  }

  /** Region-wide counters since the region was created. */
  regionStats() {
    const r = this.#handle('regionStats');
    const s = {};
    check(C.region_stats(r, s), 'Region.regionStats');
    return toStats(s);
  }

  /** Account-wide concurrency counts. */
  regionCounts() {
    const r = this.#handle('regionCounts');
    const c = {};
    check(C.region_get_counts(r, c), 'Region.regionCounts');
    return {
      busy: u64Out(c.busy),
      live: u64Out(c.live),
      unreservedInUse: u64Out(c.unreserved_in_use),
      unreservedPool: u64Out(c.unreserved_pool),
      claimed: u64Out(c.claimed),
    };
  }

  /** An environment's state; 'Terminated' for one the region no longer (or never) knew. */
  envState(env) {
    const r = this.#handle('envState');
    const e = this.#env(env, 'envState');
    const s = [0];
    check(C.env_state(r, e, s), 'Region.envState');
    return nameOf(ENV_STATES, s[0], (c) => C.env_state_str(c));
  }

  /** Live and busy environments of the region integrated up to its clock, with peaks and averages. */
  occupancy() {
    const r = this.#handle('occupancy');
    const o = {};
    check(C.region_occupancy(r, o), 'Region.occupancy');
    return toOccupancy(o);
  }

  /** One function's occupancy (as `occupancy()`). */
  functionOccupancy(fn) {
    const r = this.#handle('functionOccupancy');
    const f = this.#fn(fn, 'functionOccupancy');
    const o = {};
    check(C.function_occupancy(r, f, o), 'Region.functionOccupancy');
    return toOccupancy(o);
  }

  /**
   * The most busy environments (region-wide) since the last call, then a new
   * window starts at the current busy count (for the region and every function).
   */
  takeBusyWindowPeak() {
    const r = this.#handle('takeBusyWindowPeak');
    const p = [0];
    check(C.region_take_busy_window_peak(r, p), 'Region.takeBusyWindowPeak');
    return p[0];
  }

  /** One function's concurrency (busy environments, cold-starting ones included). */
  functionBusy(fn) {
    const r = this.#handle('functionBusy');
    const f = this.#fn(fn, 'functionBusy');
    const b = [0];
    check(C.function_busy(r, f, b), 'Region.functionBusy');
    return b[0];
  }

  /** The function an environment belongs to; UNKNOWN_ENV for one the region no longer (or never) knew. */
  envFunction(env) {
    const r = this.#handle('envFunction');
    const e = this.#env(env, 'envFunction');
    const f = {};
    check(C.env_function(r, e, f), 'Region.envFunction');
    return makeFunction(f);
  }

  /** A function's current configuration (as `defaultFunctionConfig()` shapes it). */
  functionConfig(fn) {
    const r = this.#handle('functionConfig');
    const f = this.#fn(fn, 'functionConfig');
    const c = {};
    check(C.function_get_config(r, f, c), 'Region.functionConfig');
    return fromCFunctionConfig(c);
  }

  /**
   * The bill of everything the region metered so far, as one month
   * (`{ prices, freeTier }`): finished invocations and provisioned
   * concurrency (open spans up to the region's clock, rounded up to 5 min).
   */
  bill(options = {}) {
    const r = this.#handle('bill');
    const { prices, freeTier } = billOptions(options);
    const b = {};
    check(C.region_bill(r, prices, freeTier, b), 'Region.bill');
    return toBill(b);
  }

  /** Like `bill`, for one function's usage alone. */
  functionBill(fn, options = {}) {
    const r = this.#handle('functionBill');
    const f = this.#fn(fn, 'functionBill');
    const { prices, freeTier } = billOptions(options);
    const b = {};
    check(C.function_bill(r, f, prices, freeTier, b), 'Region.functionBill');
    return toBill(b);
  }

  /**
   * Recounts the region and checks its invariants; throws LambdasimError
   * INVARIANT_VIOLATED with the broken invariant in `.message` and `.detail`.
   */
  check() {
    const r = this.#handle('check');
    const code = C.region_check(r);
    if (code === Status.OK) return;
    if (code !== Status.INVARIANT_VIOLATED) throw new LambdasimError(code, 'Region.check');
    const detail = checkMessage(r);
    const err = new LambdasimError(code, `Region.check: ${detail}`);
    err.detail = detail;
    throw err;
  }
}

function toOccupancy(o) {
  return {
    live: o.live,
    busy: o.busy,
    busyPeak: o.busy_peak,
    windowPeak: o.window_peak,
    liveEnvUs: u128ToBig(o.live_env_us),
    busyEnvUs: u128ToBig(o.busy_env_us),
    sinceUs: u64Out(o.since_us),
    avgLive: o.avg_live,
    avgBusy: o.avg_busy,
  };
}

function checkMessage(r) {
  for (let size = 256; ; ) {
    const buf = Buffer.alloc(size);
    const len = [0];
    const code = C.region_check_message(r, buf, size, len);
    const need = num(len[0], 'check message length');
    if (code === Status.BUFFER_TOO_SMALL && need > size) {
      size = need;
      continue;
    }
    check(code, 'lsim_region_check_message');
    return buf.toString('utf8', 0, Math.max(0, need - 1));
  }
}

function toStats(s) {
  const throttles = {};
  let total = 0n;
  THROTTLE_REASONS.forEach((name, i) => {
    throttles[name] = u64Out(s.throttles[i]);
    total += big(s.throttles[i]);
  });
  return {
    requests: u64Out(s.requests),
    invocations: u64Out(s.invocations),
    warmStarts: u64Out(s.warm_starts),
    provisionedStarts: u64Out(s.provisioned_starts),
    partialColdStarts: u64Out(s.partial_cold_starts),
    fullColdStarts: u64Out(s.full_cold_starts),
    spillover: u64Out(s.spillover),
    throttles,
    throttlesTotal: u64Out(total),
    succeeded: u64Out(s.succeeded),
    errors: u64Out(s.errors),
    timeouts: u64Out(s.timeouts),
    envsCreated: u64Out(s.envs_created),
    envsTerminated: u64Out(s.envs_terminated),
    initFailures: u64Out(s.init_failures),
  };
}

// ---------------------------------------------------------------------------
// Money, bills, memory → CPU and power tuning (docs/model.md §3, §5, §6).

/** A uint64_t or a u128 half from koffi (number or BigInt) as a BigInt. */
function big(v) {
  return typeof v === 'bigint' ? v : BigInt(v);
}


function u128ToBig(v) {
  return (big(v.hi) << 64n) | big(v.lo);
}

const MASK64 = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const ATOMS_PER_CENT = 102_400_000_000_000n;

function cMoney(atoms) {
  return { atoms: { hi: atoms >> 64n, lo: atoms & MASK64 } };
}

function formatMoney(atoms, cents) {
  const buf = Buffer.alloc(64);
  const len = [0];
  const fmt = cents ? C.money_format_cents : C.money_format;
  check(fmt(cMoney(atoms), buf, buf.length, len), cents ? 'lsim_money_format_cents' : 'lsim_money_format');
  return buf.toString('utf8', 0, num(len[0], 'length') - 1);
}

/**
 * An exact amount of US dollars: `{ atoms, cents, usd }`. `atoms` (a BigInt)
 * counts 1e-10 USD / 1 024 000; `cents` is the amount rounded to cents (half
 * up), a number, or a BigInt past Number.MAX_SAFE_INTEGER; `usd` the exact
 * decimal dollars (`lsim_money_format`, e.g. "2.7333380000").
 */
function money(atoms) {
  if (typeof atoms !== 'bigint') throw new TypeError(`lambdasim: money atoms must be a BigInt, got ${describe(atoms)}`);
  if (atoms < 0n || atoms > U128_MAX) throw new RangeError(`lambdasim: money atoms must be in 0..2^128-1, got ${atoms}n`);
  let cents = atoms / ATOMS_PER_CENT;
  if ((atoms % ATOMS_PER_CENT) * 2n >= ATOMS_PER_CENT) cents += 1n;
  return Object.freeze({ atoms, cents: cents <= MAX_SAFE_BIG ? Number(cents) : cents, usd: formatMoney(atoms, false) });
}

function moneyFromC(m) {
  return money(u128ToBig(m.atoms));
}

function toBill(b) {
  const lines = [];
  for (let i = 0; i < b.line_count && i < BILL_MAX_LINES; i++) {
    const l = b.lines[i];
    lines.push(
      Object.freeze({
        kind: nameOf(LINE_KINDS, l.kind, (k) => C.line_kind_str(k)),
        kindCode: l.kind,
        architecture: l.architecture === ARCH_NONE ? null : nameOf(ARCHITECTURES, l.architecture, (a) => C.architecture_str(a)),
        quantity: u128ToBig(l.quantity),
        cents: u64Out(l.cents),
        amount: moneyFromC(l.amount),
      }),
    );
  }
  return Object.freeze({ lines: Object.freeze(lines), totalCents: u64Out(b.total_cents), exactTotal: moneyFromC(b.exact_total) });
}

const INVOCATION_USAGE_KEYS = Object.freeze([
  'architecture',
  'memoryMb',
  'ephemeralMb',
  'class',
  'granularity',
  'requests',
  'durationUs',
]);
const PROVISIONED_USAGE_KEYS = Object.freeze(['architecture', 'memoryMb', 'provisioned', 'enabledUs']);
const BILL_OPTION_KEYS = Object.freeze(['prices', 'freeTier']);
const HANDLER_KEYS = Object.freeze(['durationUs', 'outcome']);
const INVOKE_FOR_OPTION_KEYS = Object.freeze(['initUs']);

function toCInvocationUsage(v, name) {
  const o = plainObjectArg(v, name);
  rejectUnknownKeys(o, INVOCATION_USAGE_KEYS, name);
  const c = {};
  check(C.invocation_usage_default(c), 'lsim_invocation_usage_default');
  if (o.architecture !== undefined) c.architecture = enumArg(o.architecture, ARCHITECTURES, `${name} architecture`);
  if (o.memoryMb !== undefined) c.memory_mb = u32Arg(o.memoryMb, `${name} memoryMb`);
  if (o.ephemeralMb !== undefined) c.ephemeral_mb = u32Arg(o.ephemeralMb, `${name} ephemeralMb`);
  if (o.class !== undefined) c.usage_class = enumArg(o.class, USAGE_CLASSES, `${name} class`);
  if (o.granularity !== undefined) c.granularity = enumArg(o.granularity, GRANULARITIES, `${name} granularity`);
  if (o.requests === undefined || o.durationUs === undefined) {
    throw new TypeError(`lambdasim: ${name} needs requests and durationUs`);
  }
  c.requests = u64Arg(o.requests, `${name} requests`);
  c.duration_us = u64Arg(o.durationUs, `${name} durationUs`);
  return c;
}

function toCProvisionedUsage(v, name) {
  const o = plainObjectArg(v, name);
  rejectUnknownKeys(o, PROVISIONED_USAGE_KEYS, name);
  const c = {};
  check(C.provisioned_usage_default(c), 'lsim_provisioned_usage_default');
  if (o.architecture !== undefined) c.architecture = enumArg(o.architecture, ARCHITECTURES, `${name} architecture`);
  if (o.memoryMb !== undefined) c.memory_mb = u32Arg(o.memoryMb, `${name} memoryMb`);
  if (o.provisioned === undefined || o.enabledUs === undefined) {
    throw new TypeError(`lambdasim: ${name} needs provisioned and enabledUs`);
  }
  c.provisioned = u32Arg(o.provisioned, `${name} provisioned`);
  c.enabled_us = u64Arg(o.enabledUs, `${name} enabledUs`);
  return c;
}

function billOptions(options) {
  const o = plainObjectArg(options, 'bill options');
  rejectUnknownKeys(o, BILL_OPTION_KEYS, 'bill options');
  return {
    prices: o.prices === undefined ? 0 : enumArg(o.prices, PRICE_BOOKS, 'prices'),
    freeTier: o.freeTier === undefined ? 0 : boolArg(o.freeTier, 'freeTier'),
  };
}

function arrayArg(v, name) {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new TypeError(`lambdasim: ${name} must be an array, got ${describe(v)}`);
  return v;
}

/**
 * Bills a month of usage described directly: `invocations` (batches of
 * identical invocations) and `provisioned` (provisioned-concurrency spans),
 * with `{ prices: 'us-east-1' | 'us-east-1-2020', freeTier: boolean }`.
 */
function billUsage(invocations = [], provisioned = [], options = {}) {
  const items = arrayArg(invocations, 'invocations').map((v, i) => toCInvocationUsage(v, `invocations[${i}]`));
  const spans = arrayArg(provisioned, 'provisioned').map((v, i) => toCProvisionedUsage(v, `provisioned[${i}]`));
  const { prices, freeTier } = billOptions(options);
  const b = {};
  check(
    C.bill_usage(items.length ? items : null, items.length, spans.length ? spans : null, spans.length, prices, freeTier, b),
    'billUsage',
  );
  return toBill(b);
}

/** The vCPUs a function with `memoryMb` sees: min(6, ceil(mb / 1769)). */
function visibleCores(memoryMb) {
  const n = [0];
  check(C.visible_cores(u32Arg(memoryMb, 'memoryMb'), n), 'visibleCores');
  return n[0];
}

const PROFILE_KEYS = Object.freeze(['ioUs', 'cpuUs', 'threads']);

function toCProfile(v) {
  const o = plainObjectArg(v, 'duration profile');
  rejectUnknownKeys(o, PROFILE_KEYS, 'duration profile');
  const c = {};
  check(C.duration_profile_default(c), 'lsim_duration_profile_default');
  if (o.ioUs !== undefined) c.io_us = microsArg(o.ioUs, 'ioUs');
  if (o.cpuUs !== undefined) c.cpu_us = microsArg(o.cpuUs, 'cpuUs');
  if (o.threads !== undefined) c.threads = u32Arg(o.threads, 'threads');
  return c;
}

/** A `{ ioUs, cpuUs, threads }` handler's duration at `memoryMb`, µs (docs/model.md §3). */
function durationAt(profile, memoryMb) {
  const c = toCProfile(profile);
  const us = [0];
  check(C.duration_at(c, u32Arg(memoryMb, 'memoryMb'), us), 'durationAt');
  return u64Out(us[0]);
}

const TUNE_OPTION_KEYS = Object.freeze([
  'memories',
  'strategy',
  'weightPpm',
  'architecture',
  'prices',
  'granularity',
  'configuredTimeoutMs',
]);

/** Fills the shared fields of a tuning request from options. */
function tuneOptions(options, c, allowMemories) {
  const o = plainObjectArg(options, 'tuning options');
  rejectUnknownKeys(o, allowMemories ? TUNE_OPTION_KEYS : TUNE_OPTION_KEYS.filter((k) => k !== 'memories'), 'tuning options');
  if (o.strategy !== undefined) c.strategy = enumArg(o.strategy, STRATEGIES, 'strategy');
  if (o.weightPpm !== undefined) c.weight_ppm = u32Arg(o.weightPpm, 'weightPpm');
  if (o.architecture !== undefined) c.architecture = enumArg(o.architecture, ARCHITECTURES, 'architecture');
  if (o.prices !== undefined) c.prices = enumArg(o.prices, PRICE_BOOKS, 'prices');
  if (o.granularity !== undefined) c.granularity = enumArg(o.granularity, GRANULARITIES, 'granularity');
  if (o.configuredTimeoutMs !== undefined) c.configured_timeout_ms = u32Arg(o.configuredTimeoutMs, 'configuredTimeoutMs');
  return o;
}

function toCandidate(c) {
  return Object.freeze({
    memoryMb: c.memory_mb,
    durationUs: u64Out(c.duration_us),
    billedMs: u64Out(c.billed_ms),
    cost: moneyFromC(c.cost),
  });
}

/** Runs a tuning call twice: a size query, then into a buffer of that size. */
function runTune(call, op) {
  const count = [0];
  let res = {};
  const first = call(null, 0, count, res);
  if (first !== Status.BUFFER_TOO_SMALL) check(first === Status.OK ? Status.INTERNAL : first, op);
  const n = num(count[0], 'candidate count');
  const buf = Buffer.alloc(n * koffi.sizeof(CandidateT));
  res = {};
  check(call(buf, n, count, res), op);
  const candidates = koffi.decode(buf, CandidateT, n).map(toCandidate);
  return Object.freeze({
    candidates: Object.freeze(candidates),
    pick: toCandidate(res.pick),
    maxCost: moneyFromC(res.max_cost),
    maxDurationUs: u64Out(res.max_duration_us),
    timeout: Object.freeze({
      p99Us: u64Out(res.p99_us),
      recommendedTimeoutMs: res.recommended_timeout_ms,
      cutsTail: res.cuts_tail === 1,
      exceedsMax: res.exceeds_max === 1,
    }),
  });
}

/**
 * Power-tunes a `{ ioUs, cpuUs, threads }` profile (docs/model.md §6). Options:
 * `memories` ('default' — the tool's six sizes —, 'all' — 10 113 sizes —,
 * or an array of MB), `strategy` ('cost' | 'speed' | 'balanced'),
 * `weightPpm` (0..1 000 000, default 500 000), `architecture`, `prices`,
 * `granularity`, `configuredTimeoutMs` (default 3000).
 */
function tuneProfile(profile, options = {}) {
  const c = {};
  check(C.tune_request_default(c), 'lsim_tune_request_default');
  c.profile = toCProfile(profile);
  const o = tuneOptions(options, c, true);
  const m = o.memories === undefined ? 'default' : o.memories;
  if (Array.isArray(m)) {
    c.memory_list = MEMORY_LISTS.indexOf('custom');
    c.memories = m.length ? Uint32Array.from(m, (x, i) => u32Arg(x, `memories[${i}]`)) : null;
    c.memory_count = m.length;
  } else if (m === 'default' || m === 'all') {
    c.memory_list = MEMORY_LISTS.indexOf(m);
  } else {
    throw new TypeError(`lambdasim: memories must be 'default', 'all' or an array of MB, got ${describe(m)}`);
  }
  return runTune((out, n, count, res) => C.tune_profile(c, out, n, count, res), 'tuneProfile');
}

/**
 * Power-tunes measured samples: `[{ memoryMb, durationsUs }]` (at least 5
 * durations each, numbers or BigInts; never modified). Options as
 * `tuneProfile` without `memories`.
 */
function tuneSamples(samples, options = {}) {
  const list = arrayArg(samples, 'samples');
  const sizes = list.map((v, i) => {
    const o = plainObjectArg(v, `samples[${i}]`);
    rejectUnknownKeys(o, ['memoryMb', 'durationsUs'], `samples[${i}]`);
    const d = o.durationsUs;
    if (!Array.isArray(d) && !(d instanceof BigUint64Array)) {
      throw new TypeError(`lambdasim: samples[${i}].durationsUs must be an array, got ${describe(d)}`);
    }
    const copy = BigUint64Array.from(d, (x, j) => big(u64Arg(x, `samples[${i}].durationsUs[${j}]`)));
    return { memory_mb: u32Arg(o.memoryMb, `samples[${i}].memoryMb`), durations_us: copy.length ? copy : null, count: copy.length };
  });
  const c = {};
  check(C.tune_samples_request_default(c), 'lsim_tune_samples_request_default');
  tuneOptions(options, c, false);
  c.sizes = sizes.length ? sizes : null;
  c.size_count = sizes.length;
  return runTune((out, n, count, res) => C.tune_samples(c, out, n, count, res), 'tuneSamples');
}

// ---------------------------------------------------------------------------
// Whole simulations: scenarios (the TOML or JSON of `lambdasim run`).

const RUN_OPTION_KEYS = Object.freeze(['seed', 'horizonUs', 'replication', 'format', 'name']);
const CHECK_OPTION_KEYS = Object.freeze(['format']);

/** Scenario text as UTF-8 bytes: a string, or a Buffer / Uint8Array of UTF-8. */
function scenarioBytes(text) {
  if (typeof text === 'string') return Buffer.from(text, 'utf8');
  if (text instanceof Uint8Array) return Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  throw new TypeError(`lambdasim: the scenario must be a string or a Buffer of UTF-8, got ${describe(text)}`);
}

/**
 * Reads a `(buf, buf_len, *out_len)` string: tries `size` bytes, then the
 * size the library asks for. Returns `{ code, text }` (text '' unless OK or
 * `okAlso`).
 */
function readCString(call, size = 1024, okAlso = -1) {
  for (;;) {
    const buf = Buffer.alloc(size);
    const len = [0];
    const code = call(buf, size, len);
    const need = num(len[0], 'string length');
    if (code === Status.BUFFER_TOO_SMALL && need > size) {
      size = need;
      continue;
    }
    const text = code === Status.OK || code === okAlso ? buf.toString('utf8', 0, Math.max(0, need - 1)) : '';
    return { code, text };
  }
}

/** `lsim_scenario_check`: `{ code, message }`. */
function checkBytes(bytes, format) {
  const { code, text } = readCString(
    (buf, size, len) => C.scenario_check(bytes.length ? bytes : null, bytes.length, format, buf, size, len),
    1024,
    Status.INVALID_SCENARIO,
  );
  return { code, message: text };
}

/**
 * Checks a scenario as `runScenario` does before simulating (parsed, every
 * value in range, trace files read). Returns null for a valid scenario,
 * else the message `lambdasim run` prints, with the line, column and field,
 * e.g. "(scenario):7:21: functions[0].workload.type: unknown variant ...".
 * Options: `{ format: 'auto' | 'toml' | 'json' }` (default 'auto': text
 * starting with '{' is JSON).
 */
function checkScenario(text, options = {}) {
  const o = plainObjectArg(options, 'check options');
  rejectUnknownKeys(o, CHECK_OPTION_KEYS, 'check options');
  const format = o.format === undefined ? 0 : enumArg(o.format, SCENARIO_FORMATS, 'format');
  const { code, message } = checkBytes(scenarioBytes(text), format);
  if (code === Status.OK) return null;
  if (code === Status.INVALID_SCENARIO) return message;
  throw new LambdasimError(code, 'checkScenario');
}

const SIM_RESULT = new HandleKind('SimResult', 'result', (ptr) => C.sim_result_free(ptr));

function toPercentiles(c) {
  return Object.freeze({
    samples: u64Out(c.samples),
    p50Us: u64Out(c.p50_us),
    p90Us: u64Out(c.p90_us),
    p99Us: u64Out(c.p99_us),
    maxUs: u64Out(c.max_us),
  });
}

function toLatency(c) {
  return Object.freeze({
    handlerDuration: toPercentiles(c.handler_duration),
    initDuration: toPercentiles(c.init_duration),
    responseTime: toPercentiles(c.response_time),
    coldStartAddedP99Us: u64Out(c.cold_start_added_p99_us),
  });
}

function toSimSummary(c) {
  const throttlesByReason = {};
  THROTTLE_REASONS.forEach((name, i) => {
    throttlesByReason[name] = u64Out(c.throttles_by_reason[i]);
  });
  return Object.freeze({
    requests: u64Out(c.requests),
    invocations: u64Out(c.invocations),
    coldStarts: u64Out(c.cold_starts),
    fullColdStarts: u64Out(c.full_cold_starts),
    partialColdStarts: u64Out(c.partial_cold_starts),
    warmStarts: u64Out(c.warm_starts),
    provisionedStarts: u64Out(c.provisioned_starts),
    spillover: u64Out(c.spillover),
    throttles: u64Out(c.throttles),
    throttlesByReason: Object.freeze(throttlesByReason),
    errors: u64Out(c.errors),
    timeouts: u64Out(c.timeouts),
    coldStartProbability: c.cold_start_probability,
    throttleProbability: c.throttle_probability,
    avgInstances: c.avg_instances,
    avgBusy: c.avg_busy,
    avgIdle: c.avg_idle,
    utilization: c.utilization,
    peakConcurrency: c.peak_concurrency,
    totalCents: u64Out(c.total_cents),
    exactTotal: moneyFromC(c.exact_total),
  });
}

function toMinutePoint(m) {
  return Object.freeze({
    minute: u64Out(m.minute),
    busyMax: m.busy_max,
    busyAvg: m.busy_avg,
    liveAvg: m.live_avg,
    live: m.live,
    invocations: u64Out(m.invocations),
    coldStarts: u64Out(m.cold_starts),
    throttles: u64Out(m.throttles),
    accountLimit: m.account_limit,
    unreservedPool: u64Out(m.unreserved_pool),
    claimed: u64Out(m.claimed),
  });
}

/**
 * The result of one simulated replication of a scenario (`runScenario`).
 * Immutable; free it with `close()` (idempotent) or `[Symbol.dispose]()`.
 * Every method of a closed result throws LambdasimError STALE_HANDLE.
 */
class SimResult {
  #own;

  /** Use `runScenario`. */
  constructor(ptr) {
    if (ptr === null || ptr === undefined) throw new TypeError('lambdasim: use runScenario() to create a SimResult');
    this.#own = new Owned(ptr, SIM_RESULT);
  }

  /** Results created and not yet freed (by `close()` or the finalizer). */
  static liveCount() {
    return SIM_RESULT.live;
  }

  /** True once `close()` was called. */
  get closed() {
    return this.#own.closed;
  }

  /** Frees the C result. Idempotent; every later call throws STALE_HANDLE. */
  close() {
    this.#own.close();
  }

  [DISPOSE]() {
    this.close();
  }

  #handle(op) {
    return this.#own.handle(op);
  }

  /** The seed the run used (the scenario's or the `seed` option, plus the replication). */
  get seed() {
    const r = this.#handle('seed');
    const s = [0];
    check(C.sim_result_seed(r, s), 'SimResult.seed');
    return u64Out(s[0]);
  }

  /**
   * Exactly the bytes `lambdasim run FILE --json` prints for this
   * replication, final newline included (with several replications, the
   * object of this one in the command's `runs`). Fields: cli/README.md.
   */
  json() {
    const r = this.#handle('json');
    const { code, text } = readCString((buf, size, len) => C.sim_result_json(r, buf, size, len), 64 * 1024);
    check(code, 'SimResult.json');
    return text;
  }

  /** The names of the scenario's functions, in scenario order (the indexes of `function(i)` and `bill(i)`). */
  functions() {
    const r = this.#handle('functions');
    const n = [0];
    check(C.sim_result_function_count(r, n), 'SimResult.functions');
    const names = [];
    for (let i = 0; i < num(n[0], 'function count'); i++) {
      const { code, text } = readCString((buf, size, len) => C.sim_result_function_name(r, i, buf, size, len), 256);
      check(code, 'SimResult.functions');
      names.push(text);
    }
    return Object.freeze(names);
  }

  #index(i, op) {
    if (!Number.isInteger(i) || i < 0 || i >= SIM_TOTAL) {
      if (typeof i !== 'number') throw new TypeError(`lambdasim: SimResult.${op}: the function index must be a number, got ${describe(i)}`);
      throw new LambdasimError(Status.UNKNOWN_FUNCTION, `SimResult.${op}: no function ${i}`);
    }
    return i;
  }

  #summary(index, op) {
    const r = this.#handle(op);
    const s = {};
    check(C.sim_result_summary(r, index, s), `SimResult.${op}`);
    return toSimSummary(s);
  }

  /** The summary of the whole account (the JSON's `total`). */
  total() {
    return this.#summary(SIM_TOTAL, 'total');
  }

  /** The summary of function `i` (an index of `functions()`); UNKNOWN_FUNCTION past the end. */
  function(i) {
    this.#handle('function');
    return this.#summary(this.#index(i, 'function'), 'function');
  }

  /**
   * The bill of function `i` (its usage alone, no free tier) or, without an
   * index, of the account (with the free tier when the scenario enables it),
   * over the whole run: the JSON's `bill`, line by line.
   */
  bill(i) {
    const r = this.#handle('bill');
    const index = i === undefined ? SIM_TOTAL : this.#index(i, 'bill');
    const b = {};
    check(C.sim_result_bill(r, index, b), 'SimResult.bill');
    return toBill(b);
  }

  /**
   * Minutes per point of `minutes()`: 1, or for a run longer than
   * `MAX_MINUTE_POINTS` minutes the power of two that fits it (the JSON's
   * `bucket_s` / 60).
   */
  get bucketMinutes() {
    const r = this.#handle('bucketMinutes');
    const m = [0];
    check(C.sim_result_bucket_minutes(r, m), 'SimResult.bucketMinutes');
    return u64Out(m[0]);
  }

  /**
   * The latency of function `i` or, without an index, of every function's
   * requests together: the JSON's `latency` (the requests that ran after
   * the warm-up), in µs.
   */
  latency(i) {
    const r = this.#handle('latency');
    const index = i === undefined ? SIM_TOTAL : this.#index(i, 'latency');
    const l = {};
    check(C.sim_result_latency(r, index, l), 'SimResult.latency');
    return toLatency(l);
  }

  /** The per-minute series (the JSON's `minutes`): at most `MAX_MINUTE_POINTS` points of `bucketMinutes` minutes each. */
  minutes() {
    const r = this.#handle('minutes');
    const count = [0];
    const first = C.sim_result_minutes(r, null, 0, count);
    if (first === Status.OK) return Object.freeze([]);
    if (first !== Status.BUFFER_TOO_SMALL) check(first, 'SimResult.minutes');
    const n = num(count[0], 'minute count');
    const buf = Buffer.alloc(n * koffi.sizeof(MinutePointT));
    check(C.sim_result_minutes(r, buf, n, count), 'SimResult.minutes');
    return Object.freeze(koffi.decode(buf, MinutePointT, n).map(toMinutePoint));
  }
}

/**
 * Runs one replication of a scenario (a string or Buffer of TOML or JSON in
 * the format of `lambdasim run`) and returns its `SimResult`. Options:
 * `seed` (replaces the scenario's; replication r runs with seed + r),
 * `horizonUs` (replaces the horizon: 1 µs up to 366 days (31 622 400 000 000 µs), a number or BigInt),
 * `replication` (default 0, below the scenario's replications), `format`
 * ('auto' — default: text starting with '{' is JSON —, 'toml', 'json'),
 * `name` (the JSON's `scenario` field; default "(scenario)"). Relative
 * trace paths resolve against the process's current directory. Blocks
 * until the simulation ends.
 *
 * A bad scenario throws LambdasimError INVALID_SCENARIO whose `detail` (and
 * message) is what `checkScenario` returns.
 */
function runScenario(text, options = {}) {
  const bytes = scenarioBytes(text);
  const o = plainObjectArg(options, 'run options');
  rejectUnknownKeys(o, RUN_OPTION_KEYS, 'run options');
  const c = {};
  check(C.run_options_default(c), 'lsim_run_options_default');
  if (o.seed !== undefined) {
    c.has_seed = 1;
    c.seed = u64Arg(o.seed, 'seed');
  }
  if (o.horizonUs !== undefined) {
    c.has_horizon = 1;
    c.horizon_us = u64Arg(o.horizonUs, 'horizonUs');
  }
  if (o.replication !== undefined) c.replication = u32Arg(o.replication, 'replication');
  const format = o.format === undefined ? 0 : enumArg(o.format, SCENARIO_FORMATS, 'format');
  if (o.name !== undefined) {
    if (typeof o.name !== 'string') throw new TypeError(`lambdasim: name must be a string, got ${describe(o.name)}`);
    const name = Buffer.from(o.name, 'utf8');
    c.name = name.length ? name : null;
    c.name_len = name.length;
  }
  const out = [null];
  const code = C.scenario_run(bytes.length ? bytes : null, bytes.length, format, c, out);
  if (code === Status.INVALID_SCENARIO) {
    const { message } = checkBytes(bytes, format);
    const err = new LambdasimError(code, `runScenario: ${message}`);
    err.detail = message;
    throw err;
  }
  check(code, 'runScenario');
  return new SimResult(out[0]);
}

const SWEEP_OPTION_KEYS = Object.freeze(['sets', 'output', 'replications', 'shardIndex', 'shardCount', 'threads', 'pick', 'format', 'name']);
/** `LSIM_SWEEP_OUTPUT_*` by name. */
const SWEEP_OUTPUTS = Object.freeze(['text', 'csv', 'json']);

/** A string option as UTF-8 bytes (null when empty). */
function textOption(value, what) {
  if (typeof value !== 'string') throw new TypeError(`lambdasim: ${what} must be a string, got ${describe(value)}`);
  const b = Buffer.from(value, 'utf8');
  return b.length ? b : null;
}

/**
 * Runs a scenario over every combination of `options.sets` and returns what
 * `lambdasim sweep` prints for the same scenario and flags, byte for byte
 * (a string). Options: `sets` (required: the `--set` arguments, e.g.
 * `['functions[0].reserved=10..100:10']`), `output` ('text' — default —,
 * 'csv', 'json'), `replications` (default: the scenario's; replication r
 * runs with seed + r), `shardIndex` / `shardCount` (run only combinations
 * c with c % shardCount == shardIndex), `threads` (default: one per core;
 * the output is the same for any), `pick` (e.g. 'min cost where
 * throttle_probability < 0.001'), `format` ('auto', 'toml', 'json'),
 * `name` (default "(scenario)"). Blocks until every run ends.
 *
 * An invalid sweep throws LambdasimError (INVALID_SCENARIO or
 * INVALID_ARGUMENT) whose `detail` is the command's message.
 */
function runSweep(text, options = {}) {
  const bytes = scenarioBytes(text);
  const o = plainObjectArg(options, 'sweep options');
  rejectUnknownKeys(o, SWEEP_OPTION_KEYS, 'sweep options');
  if (!Array.isArray(o.sets) || o.sets.some((s) => typeof s !== 'string' || /[\r\n]/.test(s))) {
    throw new TypeError('lambdasim: sets must be an array of strings, each one PATH=VALUES on one line');
  }
  const c = {};
  check(C.sweep_options_default(c), 'lsim_sweep_options_default');
  const sets = textOption(o.sets.join('\n'), 'sets');
  [c.sets, c.sets_len] = [sets, sets ? sets.length : 0];
  if (o.output !== undefined) c.output = enumArg(o.output, SWEEP_OUTPUTS, 'output');
  if (o.replications !== undefined) c.replications = u32Arg(o.replications, 'replications');
  if (o.shardIndex !== undefined) c.shard_index = u32Arg(o.shardIndex, 'shardIndex');
  if (o.shardCount !== undefined) c.shard_count = u32Arg(o.shardCount, 'shardCount');
  if (o.threads !== undefined) c.threads = u32Arg(o.threads, 'threads');
  if (o.pick !== undefined) {
    const pick = textOption(o.pick, 'pick');
    [c.pick, c.pick_len] = [pick, pick ? pick.length : 0];
  }
  if (o.name !== undefined) {
    const name = textOption(o.name, 'name');
    [c.name, c.name_len] = [name, name ? name.length : 0];
  }
  const format = o.format === undefined ? 0 : enumArg(o.format, SCENARIO_FORMATS, 'format');
  const input = bytes.length ? bytes : null;
  const out = [null];
  const code = C.sweep_run(input, bytes.length, format, c, out);
  if (code === Status.INVALID_SCENARIO || code === Status.INVALID_ARGUMENT) {
    const { text: message } = readCString(
      (buf, size, len) => C.sweep_check(input, bytes.length, format, c, buf, size, len),
      1024,
      Status.INVALID_SCENARIO,
    );
    const err = new LambdasimError(code, `runSweep: ${message}`);
    err.detail = message;
    throw err;
  }
  check(code, 'runSweep');
  try {
    const { code: read, text: output } = readCString((buf, size, len) => C.sweep_result_output(out[0], buf, size, len), 1 << 16);
    check(read, 'lsim_sweep_result_output');
    return output;
  } finally {
    C.sweep_result_free(out[0]);
  }
}

// ---------------------------------------------------------------------------
// Module functions.

/** The loaded library's C ABI version (`lsim_abi_version()`). */
function abiVersion() {
  return C.abi_version();
}

/** The loaded library's version string (`lsim_version()`), e.g. "0.1.0". */
function version() {
  return C.version();
}

/** The name of an outcome code (`lsim_outcome_str`): 'Success', 'FunctionError', 'Timeout', 'Crash', or 'unknown'. */
function outcomeName(code) {
  return C.outcome_str(u32Arg(code, 'code'));
}

/** The library's own names: `lsim_*_str` for a code of the given kind. */
function libraryName(kind, code) {
  const c = u32Arg(code, 'code');
  switch (kind) {
    case 'status':
      return C.status_str(c);
    case 'throttleReason':
      return C.throttle_reason_str(c);
    case 'startKind':
      return C.start_kind_str(c);
    case 'envState':
      return C.env_state_str(c);
    case 'provisionedStatus':
      return C.provisioned_status_str(c);
    case 'outcome':
      return C.outcome_str(c);
    case 'lineKind':
      return C.line_kind_str(c);
    case 'architecture':
      return C.architecture_str(c);
    case 'metric':
      return C.metric_str(c);
    case 'comparison':
      return C.comparison_str(c);
    case 'treatMissingData':
      return C.treat_missing_str(c);
    case 'alarmState':
      return C.alarm_state_str(c);
    case 'alarmProblem':
      return C.alarm_error_str(c);
    default:
      throw new RangeError(`lambdasim: unknown name kind ${describe(kind)}`);
  }
}

// ---------------------------------------------------------------------------
// Alarms (CloudWatch's semantics; docs/model.md §7.2).

const ALARM_KEYS = Object.freeze([
  'metric',
  'function',
  'statistic',
  'periodS',
  'threshold',
  'comparison',
  'evaluationPeriods',
  'datapointsToAlarm',
  'treatMissingData',
  'initialState',
]);

/**
 * An alarm refused by the library: a `LambdasimError` (INVALID_ARGUMENT for
 * an unknown name or code, INVALID_SETTING for a value CloudWatch refuses)
 * whose `.problem` names the field's problem as the alarm vectors do
 * ('UnknownComparisonOperator', 'DatapointsToAlarmAboveEvaluationPeriods', ...).
 */
function alarmError(code, op, problem) {
  const e = new LambdasimError(code, `${op}: ${problem}`);
  e.problem = problem;
  return e;
}

/** A name parsed by a `lsim_*_from_name` entry point, or a code. */
function alarmName(v, parse, field, problem, op) {
  if (typeof v === 'number') return u32Arg(v, field); // the library checks the code
  if (typeof v !== 'string') throw new TypeError(`lambdasim: ${field} must be a name or a code, got ${describe(v)}`);
  if (v.includes('\0')) throw alarmError(Status.INVALID_ARGUMENT, op, problem);
  const code = [0];
  const st = parse(v, code);
  if (st !== Status.OK) throw alarmError(st, op, problem);
  return code[0];
}

/** The C config of a JS alarm definition (missing keys: the library's defaults). */
function toCAlarmConfig(config, op) {
  const o = plainObjectArg(config, 'alarm config');
  rejectUnknownKeys(o, ALARM_KEYS, 'alarm config');
  const c = {};
  check(C.alarm_config_default(c), 'lsim_alarm_config_default');
  if (o.metric !== undefined) c.metric = alarmName(o.metric, C.metric_from_name, 'metric', 'UnknownMetric', op);
  if (o.function !== undefined && o.function !== null) {
    c.has_function = 1;
    c.function_index = u32Arg(o.function, 'function');
  }
  if (o.statistic !== undefined) {
    if (typeof o.statistic !== 'string') throw new TypeError(`lambdasim: statistic must be a name like 'Sum' or 'p99.9', got ${describe(o.statistic)}`);
    const kind = [0];
    const hundredths = [0];
    const st = o.statistic.includes('\0') ? Status.INVALID_ARGUMENT : C.statistic_from_name(o.statistic, kind, hundredths);
    if (st !== Status.OK) throw alarmError(st, op, st === Status.INVALID_SETTING ? 'PercentileOutOfRange' : 'UnknownStatistic');
    c.statistic = kind[0];
    c.percentile_hundredths = hundredths[0];
  }
  if (o.periodS !== undefined) c.period_s = u32Arg(o.periodS, 'periodS');
  if (o.threshold !== undefined) {
    if (typeof o.threshold !== 'number') throw new TypeError(`lambdasim: threshold must be a number, got ${describe(o.threshold)}`);
    c.threshold = o.threshold; // NaN and infinities are the library's to refuse
  }
  if (o.comparison !== undefined) {
    c.comparison = alarmName(o.comparison, C.comparison_from_name, 'comparison', 'UnknownComparisonOperator', op);
  }
  if (o.evaluationPeriods !== undefined) c.evaluation_periods = u32Arg(o.evaluationPeriods, 'evaluationPeriods');
  if (o.datapointsToAlarm !== undefined) c.datapoints_to_alarm = u32Arg(o.datapointsToAlarm, 'datapointsToAlarm');
  if (o.treatMissingData !== undefined) {
    c.treat_missing_data = alarmName(o.treatMissingData, C.treat_missing_from_name, 'treatMissingData', 'UnknownTreatMissingData', op);
  }
  if (o.initialState !== undefined) {
    c.initial_state = alarmName(o.initialState, C.alarm_state_from_name, 'initialState', 'UnknownState', op);
  }
  return c;
}

/**
 * The default alarm (`lsim_alarm_config_default`): the notes' alarm,
 * Throttles Sum > 0 over one 60 s period, region-wide, missing data
 * 'missing', starting in INSUFFICIENT_DATA.
 */
function defaultAlarmConfig() {
  const c = {};
  check(C.alarm_config_default(c), 'defaultAlarmConfig');
  return {
    metric: METRICS[c.metric],
    function: c.has_function ? c.function_index : null,
    statistic: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'][c.statistic],
    periodS: c.period_s,
    threshold: c.threshold,
    comparison: COMPARISON_OPERATORS[c.comparison],
    evaluationPeriods: c.evaluation_periods,
    datapointsToAlarm: c.datapoints_to_alarm,
    treatMissingData: TREAT_MISSING_DATA[c.treat_missing_data],
    initialState: ALARM_STATES[c.initial_state],
  };
}

/** The problem of a C config (`lsim_alarm_config_check`): an ALARM_PROBLEMS name. */
function problemOf(c) {
  const code = [0];
  check(C.alarm_config_check(c, code), 'lsim_alarm_config_check');
  return nameOf(ALARM_PROBLEMS, code[0], (k) => C.alarm_error_str(k));
}

/**
 * Why `evaluateAlarm` would refuse an alarm definition: an ALARM_PROBLEMS
 * name, or null when it is accepted. A refused name throws as in
 * `evaluateAlarm`.
 */
function checkAlarm(config) {
  const problem = problemOf(toCAlarmConfig(config, 'checkAlarm'));
  return problem === 'None' ? null : problem;
}

/**
 * Evaluates an alarm over consecutive periods as CloudWatch does at the end
 * of each (M of the latest N datapoints, looking at N + 2 periods, missing
 * data per `treatMissingData`), from `initialState`. Period i runs from
 * `startUs + i * period` and is evaluated at its end; its value is
 * `values[i]`: a number, or null / undefined / NaN when the period has no
 * datapoint (missing is not zero). Nothing is kept between calls.
 *
 * Returns `{ state, transitions: [{ timeUs, from, to }] }` with state names.
 * Throws TypeError / RangeError for a wrong JS type or a number out of
 * range, and a `LambdasimError` with `.problem` for a definition the
 * library refuses.
 */
const SCALING_ACTIONS = Object.freeze(['none', 'out', 'in']);

/**
 * Target tracking of provisioned concurrency (`lsim_target_tracking_decide`):
 * what the policy `{ targetPpm, min, max }` does after the newest of the
 * one-minute utilization datapoints (ppm, oldest first; `null` = no
 * datapoint) since the last action taken, at capacity `current`, with the
 * allocation `inProgress` or not. Returns `{ action: 'none'|'out'|'in', from,
 * to, utilizationPpm }`. Throws a LambdasimError (INVALID_ARGUMENT) for a bad
 * policy or a datapoint above 1000000.
 */
function decideTargetTracking(policy, utilizationPpm, current, inProgress = false) {
  if (policy === null || typeof policy !== 'object') throw new TypeError(`lambdasim: policy must be an object, got ${describe(policy)}`);
  rejectUnknownKeys(policy, ['targetPpm', 'min', 'max'], 'target tracking policy');
  const c = {
    struct_size: 16,
    target_ppm: u32Arg(policy.targetPpm, 'targetPpm'),
    min: u32Arg(policy.min, 'min'),
    max: u32Arg(policy.max, 'max'),
  };
  if (!Array.isArray(utilizationPpm)) {
    throw new TypeError(`lambdasim: utilizationPpm must be an array of integers or nulls, got ${describe(utilizationPpm)}`);
  }
  if (typeof inProgress !== 'boolean') throw new TypeError(`lambdasim: inProgress must be a boolean, got ${describe(inProgress)}`);
  const n = utilizationPpm.length;
  const v = new Uint32Array(Math.max(n, 1));
  const present = new Uint8Array(Math.max(n, 1));
  for (let i = 0; i < n; i++) {
    const x = utilizationPpm[i];
    if (x === null || x === undefined) continue;
    v[i] = u32Arg(x, `utilizationPpm[${i}]`);
    present[i] = 1;
  }
  const d = {};
  check(C.target_tracking_decide(c, v, present, n, u32Arg(current, 'current'), inProgress ? 1 : 0, d), 'decideTargetTracking');
  return { action: SCALING_ACTIONS[d.action] ?? d.action, from: d.from, to: d.to, utilizationPpm: d.utilization_ppm };
}

function evaluateAlarm(config, startUs = 0, values = []) {
  const c = toCAlarmConfig(config, 'evaluateAlarm');
  const start = microsArg(startUs, 'startUs');
  if (!Array.isArray(values)) throw new TypeError(`lambdasim: values must be an array of numbers or nulls, got ${describe(values)}`);
  const n = values.length;
  const v = new Float64Array(Math.max(n, 1));
  const present = new Uint8Array(Math.max(n, 1));
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === null || x === undefined) continue;
    if (typeof x !== 'number') throw new TypeError(`lambdasim: values[${i}] must be a number or null, got ${describe(x)}`);
    v[i] = x;
    present[i] = 1;
  }
  // One transition per period at most (16 bytes: time_us, from, to).
  const words = new Uint32Array(Math.max(n, 1) * 4);
  const len = [0];
  const state = [0];
  const st = C.alarm_evaluate(c, start, v, present, n, words, n, len, state);
  if (st === Status.INVALID_ARGUMENT || st === Status.INVALID_SETTING) throw alarmError(st, 'evaluateAlarm', problemOf(c));
  check(st, 'evaluateAlarm');
  const count = num(len[0], 'transition count');
  const transitions = new Array(count);
  for (let i = 0; i < count; i++) {
    transitions[i] = {
      timeUs: u64At(words, i * 4),
      from: nameOf(ALARM_STATES, words[i * 4 + 2], (k) => C.alarm_state_str(k)),
      to: nameOf(ALARM_STATES, words[i * 4 + 3], (k) => C.alarm_state_str(k)),
    };
  }
  return { state: nameOf(ALARM_STATES, state[0], (k) => C.alarm_state_str(k)), transitions };
}

module.exports = {
  ABI_VERSION,
  ENV_CAPACITY,
  ENV_CAPACITY_MAX,
  FUNCTION_CAPACITY_MAX,
  MAX_MINUTE_POINTS,
  FUNCTION_CAPACITY,
  LIBRARY_PATH,
  Region,
  InvokeResultView,
  LambdasimError,
  Status,
  ThrottleReason,
  StartKind,
  Outcome,
  EnvState,
  ProvisionedStatus,
  abiVersion,
  version,
  checkAbiVersion,
  resolveLibraryPath,
  defaultRegionConfig,
  defaultFunctionConfig,
  statusName,
  outcomeName,
  money,
  billUsage,
  visibleCores,
  durationAt,
  tuneProfile,
  tuneSamples,
  runScenario,
  checkScenario,
  runSweep,
  SimResult,
  SCENARIO_FORMATS,
  ARCHITECTURES,
  GRANULARITIES,
  PRICE_BOOKS,
  LINE_KINDS,
  STRATEGIES,
  METRICS,
  COMPARISON_OPERATORS,
  TREAT_MISSING_DATA,
  ALARM_STATES,
  ALARM_PROBLEMS,
  defaultAlarmConfig,
  checkAlarm,
  evaluateAlarm,
  decideTargetTracking,
  libraryName,
  koffiVersion: koffi.version,
};
