// Type declarations of the lambdasim Node binding (index.js).
//
// Times and durations are microseconds of simulated time: non-negative safe
// integers (0..Number.MAX_SAFE_INTEGER) or BigInts (up to 2^64 - 1). A wrong
// type throws TypeError, an out-of-range number RangeError, before anything
// is called; every non-OK status of the C ABI throws LambdasimError. A
// throttle is an answer, not an error.
//
// Every uint64_t the library answers (times, durations, counters) is a
// number when it is a safe integer and a BigInt past
// Number.MAX_SAFE_INTEGER (`Micros`, `U64`): a call that took effect never
// throws because its answer does not fit a number.

declare global {
  // Symbol.dispose exists in Node >= 18.18 / 20.4 (and TypeScript >= 5.2's
  // lib.esnext.disposable); declared here as @types/node does, for older libs.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/**
 * Microseconds of simulated time: a non-negative safe integer, or a BigInt.
 * Answers are numbers unless past Number.MAX_SAFE_INTEGER (e.g. `readyAtUs`
 * of an invoke near 2^53 µs); any answer can be passed back as an argument.
 */
export type Micros = number | bigint;

/** A uint64_t count: a number, or a BigInt past Number.MAX_SAFE_INTEGER. */
export type U64 = number | bigint;

/** The C ABI version this binding was written for (`LSIM_ABI_VERSION`). */
export const ABI_VERSION: 4;
/** Environment slots of a region by default (`LSIM_ENV_CAPACITY`; `envCapacity` changes it). */
export const ENV_CAPACITY: 16384;
/** The largest `envCapacity` (`LSIM_ENV_CAPACITY_MAX`). */
export const ENV_CAPACITY_MAX: 4194304;
/** The largest `functionCapacity` (`LSIM_FUNCTION_CAPACITY_MAX`). */
export const FUNCTION_CAPACITY_MAX: 65536;
/** The most points `SimResult.minutes()` returns (`LSIM_MAX_MINUTE_POINTS`). */
export const MAX_MINUTE_POINTS: 10080;
/** Function slots of a region by default (`LSIM_FUNCTION_CAPACITY`; `functionCapacity` changes it). */
export const FUNCTION_CAPACITY: 256;
/** The absolute path of the loaded shared library. */
export const LIBRARY_PATH: string;
/** The version of koffi in use (pinned to 3.3.4). */
export const koffiVersion: string;

// ---------------------------------------------------------------------------
// Names and codes.

/** Status names (without `LSIM_STATUS_`). */
export type StatusName =
  | 'OK'
  | 'NULL_POINTER'
  | 'STALE_HANDLE'
  | 'POISONED'
  | 'PANIC'
  | 'INVALID_ARGUMENT'
  | 'BUFFER_TOO_SMALL'
  | 'TIME_WENT_BACKWARDS'
  | 'CAPACITY_EXCEEDED'
  | 'UNKNOWN_FUNCTION'
  | 'UNKNOWN_INVOCATION'
  | 'NOT_READY'
  | 'TIMED_OUT'
  | 'FUNCTION_BUSY'
  | 'MEMORY_BELOW_MINIMUM'
  | 'MEMORY_ABOVE_MAXIMUM'
  | 'MEMORY_NOT_ON_STEP'
  | 'TIMEOUT_OUT_OF_RANGE'
  | 'PACKAGE_TOO_LARGE'
  | 'UNRESERVED_BELOW_MINIMUM'
  | 'PROVISIONED_EXCEEDS_RESERVED'
  | 'ACCOUNT_LIMIT_TOO_LOW'
  | 'INVALID_SETTING'
  | 'INTERNAL'
  | 'INVARIANT_VIOLATED'
  | 'EPHEMERAL_OUT_OF_RANGE'
  | 'OVERFLOW'
  | 'TOO_FEW_SAMPLES'
  | 'INVALID_SCENARIO'
  | 'SIMULATION_FAILED'
  | 'UNKNOWN_ENV'
  | 'QUEUE_FULL'
  | 'MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE'
  | 'MAXIMUM_EVENT_AGE_OUT_OF_RANGE'
  | 'UNKNOWN_ASYNC_EVENT';

/** The numeric status codes of the C ABI, by name (stable forever). */
export const Status: Readonly<{
  OK: 0;
  NULL_POINTER: 1;
  STALE_HANDLE: 2;
  POISONED: 3;
  PANIC: 4;
  INVALID_ARGUMENT: 5;
  BUFFER_TOO_SMALL: 6;
  TIME_WENT_BACKWARDS: 7;
  CAPACITY_EXCEEDED: 8;
  UNKNOWN_FUNCTION: 9;
  UNKNOWN_INVOCATION: 10;
  NOT_READY: 11;
  TIMED_OUT: 12;
  FUNCTION_BUSY: 13;
  MEMORY_BELOW_MINIMUM: 14;
  MEMORY_ABOVE_MAXIMUM: 15;
  MEMORY_NOT_ON_STEP: 16;
  TIMEOUT_OUT_OF_RANGE: 17;
  PACKAGE_TOO_LARGE: 18;
  UNRESERVED_BELOW_MINIMUM: 19;
  PROVISIONED_EXCEEDS_RESERVED: 20;
  ACCOUNT_LIMIT_TOO_LOW: 21;
  INVALID_SETTING: 22;
  INTERNAL: 23;
  INVARIANT_VIOLATED: 24;
  EPHEMERAL_OUT_OF_RANGE: 25;
  OVERFLOW: 26;
  TOO_FEW_SAMPLES: 27;
  INVALID_SCENARIO: 28;
  SIMULATION_FAILED: 29;
  UNKNOWN_ENV: 30;
}>;

/** AWS's throttle reasons. */
export type ThrottleReasonName =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  | 'RequestRateExceeded'
  | 'ScalingRateExceeded'
  | 'FunctionInvocationRateLimitExceeded';
export const ThrottleReason: Readonly<{
  ConcurrentInvocationLimitExceeded: 0;
  ReservedFunctionConcurrentInvocationLimitExceeded: 1;
  RequestRateExceeded: 2;
  ScalingRateExceeded: 3;
  FunctionInvocationRateLimitExceeded: 4;
}>;

/** How an invocation started. */
export type StartKindName = 'Warm' | 'Provisioned' | 'PartialCold' | 'FullCold';
export const StartKind: Readonly<{ Warm: 0; Provisioned: 1; PartialCold: 2; FullCold: 3 }>;

/** How an invocation ended. */
export type OutcomeName = 'Success' | 'FunctionError' | 'Timeout' | 'Crash';

/** A dead-letter queue or destination: none, reachable, or failing every send (fault injection). */
export type DeliveryTargetName = 'None' | 'Available' | 'Failing';
/** Where an asynchronous event is. */
export type AsyncStateName = 'Queued' | 'Running' | 'Succeeded' | 'Dropped';
/** Why an asynchronous event was dropped ('None': it was not). */
export type DropReasonName = 'None' | 'RetriesExhausted' | 'Expired' | 'ReservedZero' | 'FunctionDeleted';

/** A function's asynchronous settings (Lambda's defaults when absent). */
export interface AsyncConfig {
  /** MaximumRetryAttempts, 0..=2. Default 2. */
  maxRetryAttempts?: number;
  /** MaximumEventAgeInSeconds, 60..=21600. Default 21600. */
  maxEventAgeS?: number;
  deadLetterQueue?: DeliveryTargetName | number;
  onFailure?: DeliveryTargetName | number;
  onSuccess?: DeliveryTargetName | number;
}

/** An asynchronous event of a region. */
export interface AsyncEventHandle {
  readonly index: number;
  readonly generation: number;
  readonly regionTag: number;
}

/** Where an asynchronous event is. */
export interface AsyncEventStatus {
  state: AsyncStateName;
  /** Attempts that ran so far (each an invocation). */
  attempts: number;
  /** Queued: its next attempt (or its expiry, if earlier), µs; else 0. */
  dueAtUs: Micros;
  reason: DropReasonName;
}

/** Asynchronous counters: received = queued + running + succeeded + dropped. */
export interface AsyncStats {
  received: U64;
  rejected: U64;
  queued: U64;
  running: U64;
  attempts: U64;
  requeued: U64;
  succeeded: U64;
  dropped: U64;
  retriesExhausted: U64;
  expired: U64;
  reservedZero: U64;
  functionDeleted: U64;
  deadLettered: U64;
  deadLetterErrors: U64;
  sentOnFailure: U64;
  sentOnSuccess: U64;
  destinationDeliveryFailures: U64;
}
export const Outcome: Readonly<{ Success: 0; FunctionError: 1; Timeout: 2; Crash: 3 }>;

/** An execution environment's state. */
export type EnvStateName = 'Creating' | 'Initializing' | 'Idle' | 'Busy' | 'ShuttingDown' | 'Terminated';
export const EnvState: Readonly<{
  Creating: 0;
  Initializing: 1;
  Idle: 2;
  Busy: 3;
  ShuttingDown: 4;
  Terminated: 5;
}>;

/** AWS's provisioned concurrency status. */
export type ProvisionedStatusName = 'NONE' | 'IN_PROGRESS' | 'READY' | 'FAILED';
export const ProvisionedStatus: Readonly<{ NONE: 0; IN_PROGRESS: 1; READY: 2; FAILED: 3 }>;

/** `'perFunction'`: 1000 new environments per function per 10 s (default); `'legacyAccount'`: the account burst then +500/min. */
export type ScalingRuleName = 'perFunction' | 'legacyAccount';
/** Which idle environment a warm start reuses: most (default) or least recently used. */
export type WarmPickName = 'mru' | 'lru';
/** `'current'`: 128..=10240 MB in 1 MB steps (default); `'legacy64'`: 128..=3008 MB in 64 MB steps. */
export type MemoryRuleName = 'current' | 'legacy64';
/** A function's instruction-set architecture (prices differ). Default `'x86_64'`. */
export type ArchitectureName = 'x86_64' | 'arm64';
/** How billed duration rounds up per invocation: `'1ms'` (default, since December 2020) or `'100ms'` (before). */
export type GranularityName = '1ms' | '100ms';
/** A price book: `'us-east-1'` today (default), or `'us-east-1-2020'` (the 100 ms era's flat x86 price). */
export type PriceBookName = 'us-east-1' | 'us-east-1-2020';
/** What a bill line charges for. */
export type LineKindName = 'Requests' | 'Duration' | 'Provisioned Concurrency' | 'Provisioned Duration' | 'Ephemeral Storage';
/** How power tuning picks: cheapest, fastest, or the balanced score. */
export type StrategyName = 'cost' | 'speed' | 'balanced';

export const ARCHITECTURES: readonly ['x86_64', 'arm64'];
export const GRANULARITIES: readonly ['1ms', '100ms'];
export const PRICE_BOOKS: readonly ['us-east-1', 'us-east-1-2020'];
export const LINE_KINDS: readonly [
  'Requests',
  'Duration',
  'Provisioned Concurrency',
  'Provisioned Duration',
  'Ephemeral Storage',
];
export const STRATEGIES: readonly ['cost', 'speed', 'balanced'];

// ---------------------------------------------------------------------------
// Errors.

/**
 * A non-OK status of the C ABI. A closed region throws one with status
 * `'STALE_HANDLE'` (code 2), as the C ABI answers for a freed region.
 */
export class LambdasimError extends Error {
  /** `code` is a status code (`Status.*`); `message` (optional) says which call failed. */
  constructor(code: number, message?: string, options?: { cause?: unknown });
  readonly name: 'LambdasimError';
  /** The numeric status (`Status.NOT_READY` = 11, ...). */
  readonly code: number;
  /** The status name (`'NOT_READY'`), or `'UNKNOWN'` for a code this binding does not know. */
  readonly status: StatusName | 'UNKNOWN';
  /** The library's text for the status (`lsim_status_str`): `'LSIM_STATUS_NOT_READY'`. */
  readonly reason: string;
  /**
   * For `INVARIANT_VIOLATED` from `Region.check()`: the broken invariant;
   * for `INVALID_SCENARIO` from `runScenario`: the scenario's problem, with
   * its line, column and field (what `checkScenario` returns).
   */
  detail?: string;
  /** For an alarm the library refuses (`evaluateAlarm`, `checkAlarm`): the field's problem. */
  problem?: AlarmProblem;
}

// ---------------------------------------------------------------------------
// Configs.

/** A region's settings; every key optional (missing = the library default). */
export interface RegionConfig {
  /** Account concurrency limit. Default 1000. */
  accountLimit?: number;
  /** Concurrency that must stay unreserved. Default 100. */
  unreservedMin?: number;
  /** Scaling rule (a name or its code). Default `'perFunction'`. */
  scalingRule?: ScalingRuleName | number;
  /** The legacy rule's initial account burst (3000, 1000 or 500). Default 3000. */
  legacyBurst?: number;
  /** Synchronous requests per second per unit of account limit; 0 = off. Default 10. */
  requestRatePerLimit?: number;
  /** How long an idle environment is kept, µs. Default 600 000 000 (10 min). */
  idleTimeoutUs?: Micros;
  /** Maximum environment lifetime, µs; 0 = never. Default 7 200 000 000 (2 h). */
  maxLifetimeUs?: Micros;
  /** How long shutdown takes, µs. Default 0. */
  shutdownUs?: Micros;
  /** Warm pick (a name or its code). Default `'mru'`. */
  warmPick?: WarmPickName | number;
  /** Memory rule (a name or its code). Default `'current'`. */
  memoryRule?: MemoryRuleName | number;
  /** Delay before a provisioned allocation starts, µs. Default 60 000 000. */
  provisionedDelayUs?: Micros;
  /** Provisioned environments created per minute per function. Default 6000. */
  provisionedPerMinute?: number;
  /** Billed duration rounding per invocation (a name or its code). Default `'1ms'`. */
  granularity?: GranularityName | number;
  /** Whether an on-demand full cold start's init is billed (AWS: since 2025-08-01). Default true. */
  billInit?: boolean;
  /**
   * Most environments (not yet terminated) at once, 1..=ENV_CAPACITY_MAX; a full table is a
   * CAPACITY_EXCEEDED error. Memory follows use (tables grow by doubling up to this). Default 16384.
   */
  envCapacity?: number;
  /** Most functions at once, 1..=FUNCTION_CAPACITY_MAX. Default 256. */
  functionCapacity?: number;
}

/** A function's configuration; every key optional (missing = the library default). */
export interface FunctionConfig {
  /** Memory, MB. Default 128. */
  memoryMb?: number;
  /** Timeout, ms (1..=900000). Default 3000. */
  timeoutMs?: number;
  /** Reserved concurrency, or null for none (shares the unreserved pool). Default null. */
  reserved?: number | null;
  /** Provisioned concurrency. Default 0. */
  provisioned?: number;
  /** Starting the microVM sandbox, µs. Default 125 000. */
  sandboxUs?: Micros;
  /** Downloading one MB of code, µs. Default 1000. */
  downloadUsPerMb?: Micros;
  /** Code package size, MB (at most 10240). Default 5. */
  packageMb?: number;
  /** Extensions + runtime bootstrap + static init, µs. Default 250 000. */
  initUs?: Micros;
  /** Architecture (a name or its code). Default `'x86_64'`. */
  architecture?: ArchitectureName | number;
  /** Ephemeral storage (/tmp), MB, 512..=10240. Default 512 (the free amount). */
  ephemeralMb?: number;
}

/** The default region settings, from `lsim_region_config_default`. */
export function defaultRegionConfig(): {
  accountLimit: number;
  unreservedMin: number;
  scalingRule: ScalingRuleName;
  legacyBurst: number;
  requestRatePerLimit: number;
  idleTimeoutUs: Micros;
  maxLifetimeUs: Micros;
  shutdownUs: Micros;
  warmPick: WarmPickName;
  memoryRule: MemoryRuleName;
  provisionedDelayUs: Micros;
  provisionedPerMinute: number;
  granularity: GranularityName;
  billInit: boolean;
  envCapacity: number;
  functionCapacity: number;
};

/** The default function configuration, from `lsim_function_config_default`. */
export function defaultFunctionConfig(): FunctionConfigValues;

/** A complete function configuration, as `defaultFunctionConfig()` and `Region.functionConfig()` return it. */
export interface FunctionConfigValues {
  memoryMb: number;
  timeoutMs: number;
  reserved: number | null;
  provisioned: number;
  sandboxUs: Micros;
  downloadUsPerMb: Micros;
  packageMb: number;
  initUs: Micros;
  architecture: ArchitectureName;
  ephemeralMb: number;
}

// ---------------------------------------------------------------------------
// Handles (frozen plain objects). `regionTag` binds a handle to the region
// that handed it out: the library refuses it in another region
// (UNKNOWN_FUNCTION / UNKNOWN_ENV / UNKNOWN_INVOCATION; `envState` answers
// 'Terminated'). A plain object of the right shape is passed to C as is (a
// missing `regionTag` is 0, no region's).

/** A function of a region. Stale after `deleteFunction` (UNKNOWN_FUNCTION). */
export interface FunctionHandle {
  readonly index: number;
  readonly generation: number;
  /** The region that made it (nonzero, distinct for every region of the process). */
  readonly regionTag?: number;
}

/** An execution environment of a region. */
export interface EnvHandle {
  readonly index: number;
  readonly generation: number;
  /** The region that made it (as `FunctionHandle.regionTag`). */
  readonly regionTag?: number;
}

/** One invocation: its environment and its sequence number there (from 1). */
export interface InvocationHandle {
  readonly env: EnvHandle;
  readonly seq: number;
}

// ---------------------------------------------------------------------------
// Answers.

/** An invoke that started. */
export interface Started {
  readonly throttled: false;
  /** The handle to `finish` it with. */
  readonly invocation: InvocationHandle;
  /** The environment serving it. */
  readonly env: EnvHandle;
  /** How it started. */
  readonly start: StartKindName;
  /** The same as a `StartKind` code. */
  readonly startKind: number;
  /** On a provisioned environment (false: on-demand, spillover if the function has provisioned concurrency). */
  readonly onProvisioned: boolean;
  /** Time before the handler runs, µs (create + init for a full cold start, init for a partial one, else 0). */
  readonly initUs: Micros;
  /** When the handler starts, µs (`nowUs + initUs`). */
  readonly readyAtUs: Micros;
  /** An on-demand init over 10 s is retried inside the invoke: the handler first re-runs init for this long, µs. */
  readonly suppressedInitUs: Micros;
}

/** An invoke that was throttled (HTTP 429): a normal answer, not an error. */
export interface Throttled {
  readonly throttled: true;
  /** AWS's reason. */
  readonly reason: ThrottleReasonName;
  /** The same as a `ThrottleReason` code. */
  readonly reasonCode: number;
}

/** The answer of `invoke`: check `throttled` first. */
export type InvokeResult = Started | Throttled;

/**
 * A reusable out-parameter of `Region.invokeForInto` / `invokeInto`: one
 * C invoke result in a typed array, decoded only when a field is read, so
 * a call makes no object. `env` and `invocation` make a new frozen handle
 * per read. Values are those of the last call that succeeded with this view
 * (all zero before the first); a call that throws leaves them as they were.
 */
export class InvokeResultView {
  constructor();
  /** True: throttled (only `reason` / `reasonCode` mean anything). */
  readonly throttled: boolean;
  /** The `ThrottleReason` code of a throttle (0 otherwise). */
  readonly reasonCode: number;
  /** The throttle reason's name, or null when started. */
  readonly reason: ThrottleReasonName | null;
  /** The `StartKind` code. */
  readonly startKind: number;
  /** The start kind's name. */
  readonly start: StartKindName;
  readonly onProvisioned: boolean;
  readonly initUs: Micros;
  readonly readyAtUs: Micros;
  readonly suppressedInitUs: Micros;
  /** The environment's handle (a new object per read). */
  readonly env: EnvHandle;
  /** The invocation's handle, for `finish` (a new object per read). */
  readonly invocation: InvocationHandle;
  /** The same object `invoke` / `invokeFor` would have answered. */
  toObject(): InvokeResult;
}

/** What a request's handler does once it runs (`Region.invokeFor`). */
export interface Handler {
  /** How long the handler runs from its start (after any init), µs. */
  durationUs: Micros;
  /** How the invocation ends if the handler finishes before its timeout (default 'Success'). */
  outcome?: OutcomeName | number;
}

/** Options of `Region.invokeFor`. */
export interface InvokeForOptions {
  /** This request's init duration in place of the configured one, µs (used only if it cold-starts). */
  initUs?: Micros;
}

/** The answer of `finish`. */
export interface FinishResult {
  /** The function invoked. */
  readonly function: FunctionHandle;
  /** The environment that served it. */
  readonly env: EnvHandle;
  /** Handler time from `readyAtUs` to the finish, µs (0 when it ended during its cold start). */
  readonly durationUs: Micros;
  /** True: the environment went on serving; false: shutting down, re-initializing or terminated. */
  readonly envKept: boolean;
}

/** Environment counts of one function at one instant. */
/**
 * Live and busy environments integrated over time up to the region's clock,
 * with the busy peaks (`Region.occupancy()`, `Region.functionOccupancy()`).
 */
export interface Occupancy {
  /** Live environments now. */
  live: number;
  /** Busy environments now (cold-starting ones included). */
  busy: number;
  /** The most busy environments ever. */
  busyPeak: number;
  /** The most busy environments since the window was last taken (`takeBusyWindowPeak()`). */
  windowPeak: number;
  /** Integral of live environments over time, environment·µs, up to `sinceUs` (a u128). */
  liveEnvUs: bigint;
  /** Integral of busy environments over time, environment·µs, up to `sinceUs` (a u128). */
  busyEnvUs: bigint;
  /** The instant the integrals run up to (the region's clock), µs. */
  sinceUs: Micros;
  /** Time-averaged live environments from 0 to `sinceUs` (0 when `sinceUs` is 0). */
  avgLive: number;
  /** Time-averaged busy environments from 0 to `sinceUs` (0 when `sinceUs` is 0). */
  avgBusy: number;
}

export interface FunctionCounts {
  /** Concurrency: environments with an invocation attached (busy, or cold-starting for one). */
  busy: number;
  /** Of `busy`, those on provisioned environments. */
  busyProvisioned: number;
  /** Idle environments (on-demand and provisioned). */
  idle: number;
  /** Idle provisioned environments that serve now. */
  idleProvisioned: number;
  /** Environments being created. */
  creating: number;
  /** Environments initializing. */
  initializing: number;
  /** Live environments: creating + initializing + idle + handler-busy. */
  live: number;
  /** Environments shutting down. */
  shuttingDown: number;
  /** Configured provisioned concurrency. */
  provisioned: number;
  /** Provisioned environments allocated (existing, not being released). */
  provisionedAllocated: number;
  /** AWS's provisioned concurrency status. */
  provisionedStatus: ProvisionedStatusName;
  /** Reserved concurrency, or null when the function has none. */
  reserved: number | null;
}

/** Counters since the region (or function) was created. */
export interface Stats {
  /** Requests made (started + throttled). */
  requests: U64;
  /** Invocations started. */
  invocations: U64;
  warmStarts: U64;
  /** Starts on an idle provisioned environment. */
  provisionedStarts: U64;
  partialColdStarts: U64;
  fullColdStarts: U64;
  /** Invocations of a function with provisioned concurrency that ran on on-demand environments. */
  spillover: U64;
  /** Throttles by AWS reason. */
  throttles: Record<ThrottleReasonName, U64>;
  /** The sum of `throttles`. */
  throttlesTotal: U64;
  /** Invocations that ended successfully. */
  succeeded: U64;
  /** Invocations that ended in error (function error, timeout, crash, failed init). */
  errors: U64;
  /** Of `errors`, the timeouts. */
  timeouts: U64;
  envsCreated: U64;
  envsTerminated: U64;
  /** Initializations that failed (an invocation failing in a full cold start, a provisioned init over its limit); an on-demand init over 10 s is retried inside the invoke, not counted. */
  initFailures: U64;
}

/** Account-wide concurrency counts of a region at one instant. */
export interface RegionCounts {
  /** Busy environments in the account (`ConcurrentExecutions`). */
  busy: number;
  /** Live environments (not shutting down or terminated). */
  live: number;
  /** Busy on-demand environments of functions without reserved concurrency (`UnreservedConcurrentExecutions`). */
  unreservedInUse: number;
  /** Account limit - sum of reserved - sum of provisioned of functions without reserved. */
  unreservedPool: number;
  /** Claimed account concurrency (`ClaimedAccountConcurrency`). */
  claimed: number;
}

// ---------------------------------------------------------------------------
// Region.

/**
 * One simulated AWS region (an account's concurrency there). Free it with
 * `close()` or `[Symbol.dispose]()` (a FinalizationRegistry frees a leaked
 * one when it is garbage-collected). Every method of a closed region throws
 * LambdasimError STALE_HANDLE. Mutating methods take the simulated time
 * first; it never goes backwards (TIME_WENT_BACKWARDS).
 */
export class Region {
  /** Creates a region (no functions, clock at 0). */
  constructor(config?: RegionConfig);
  /** Same as `new Region(config)`. */
  static create(config?: RegionConfig): Region;
  /** Regions created and not yet freed (by `close()` or the finalizer). */
  static liveCount(): number;

  /** True once `close()` was called. */
  readonly closed: boolean;
  /** Frees the C region. Idempotent. */
  close(): void;
  /** Same as `close()`. */
  [Symbol.dispose](): void;

  /** Creates a function at `nowUs` (its provisioned concurrency starts allocating at once). */
  createFunction(nowUs: Micros, config?: FunctionConfig): FunctionHandle;
  /** Replaces a function's whole configuration: missing keys take the defaults, not the current values. */
  updateFunction(nowUs: Micros, fn: FunctionHandle, config?: FunctionConfig): void;
  /** Sets (a number) or removes (null) reserved concurrency (`PutFunctionConcurrency` / `DeleteFunctionConcurrency`). */
  putReserved(nowUs: Micros, fn: FunctionHandle, reserved: number | null): void;
  /** Sets provisioned concurrency (0 removes it). */
  putProvisioned(nowUs: Micros, fn: FunctionHandle, provisioned: number): void;
  /**
   * Overrides how long the function's on-demand environments are kept idle:
   * `keepAliveUs` µs, or null for the region's `idleTimeoutUs`. Applies to
   * environments that become idle from now on.
   */
  setKeepAlive(nowUs: Micros, fn: FunctionHandle, keepAliveUs: Micros | null): void;
  /** Deletes a function (FUNCTION_BUSY while invocations run); its handle becomes stale. */
  deleteFunction(nowUs: Micros, fn: FunctionHandle): void;
  /** A synchronous invoke with the function's configured init duration. */
  invoke(nowUs: Micros, fn: FunctionHandle): InvokeResult;
  /** Like `invoke`, with this request's init duration (used only if it cold-starts). */
  invokeWithInit(nowUs: Micros, fn: FunctionHandle, initUs: Micros): InvokeResult;
  /**
   * An invoke whose end the region schedules itself: the handler runs
   * `handler.durationUs` once any init is done, then the invocation ends with
   * `handler.outcome` (default 'Success'), or at the function's timeout when
   * that comes first or at the same instant (a timeout: a later `finish`
   * throws TIMED_OUT). The end is applied by the next call at or after it
   * (`advance`, `invoke`, ...), so no completion queue is needed. `finish`
   * before the end ends it early; after it, UNKNOWN_INVOCATION.
   */
  invokeFor(nowUs: Micros, fn: FunctionHandle, handler: Handler, options?: InvokeForOptions): InvokeResult;
  /**
   * The fast `invokeFor` for drivers calling it millions of times: the
   * handler as `durationUs` and `outcome` (a code of `Outcome` or its name),
   * the answer written into `out` (reused; decoded when read). Returns `out`.
   * Arguments are checked like `invokeFor`'s, before anything is called.
   */
  invokeForInto(nowUs: Micros, fn: FunctionHandle, durationUs: Micros, outcome: OutcomeName | number, out: InvokeResultView): InvokeResultView;
  /** The fast `invoke`: the answer written into `out`, as `invokeForInto`. Returns `out`. */
  invokeInto(nowUs: Micros, fn: FunctionHandle, out: InvokeResultView): InvokeResultView;
  /**
   * Starts a new on-demand environment without an invocation (pre-warming):
   * created and initialized like a full cold start, then idle; it needs a
   * scaling token and is not concurrency. Returns its handle, or null when no
   * scaling token is available.
   */
  prewarm(nowUs: Micros, fn: FunctionHandle): EnvHandle | null;
  /**
   * Ends an invocation (default outcome 'Success'). Errors: UNKNOWN_INVOCATION,
   * TIMED_OUT (the region already ended it), NOT_READY (success before readyAtUs),
   * INVALID_ARGUMENT (an unknown outcome code).
   */
  finish(nowUs: Micros, invocation: InvocationHandle, outcome?: OutcomeName | number): FinishResult;
  /** Applies every time-driven event due at or before `nowUs` and moves the clock there. */
  advance(nowUs: Micros): void;
  /** When the next time-driven event is due, µs, or null when nothing is scheduled. */
  nextDeadline(): Micros | null;
  /** The region's clock (the latest time it was given), µs. */
  now(): Micros;
  /** One function's environment counts. */
  functionCounts(fn: FunctionHandle): FunctionCounts;
  /** One function's counters since it was created. */
  functionStats(fn: FunctionHandle): Stats;
  /** Region-wide counters since the region was created. */
  /**
   * Attaches a CloudWatch metric store (defaults: 60 s periods, 60 of them,
   * histograms for the last 5); about 380 KB per function slot.
   */
  attachMetrics(config?: { periodS?: number; periods?: number; histogramPeriods?: number }): void;
  /** Attaches a queue of `capacity` asynchronous event slots (once). Errors: INVALID_ARGUMENT. */
  attachAsyncQueue(capacity: number): void;
  /** Sets a function's asynchronous settings. Errors: MAXIMUM_RETRY_ATTEMPTS_OUT_OF_RANGE, MAXIMUM_EVENT_AGE_OUT_OF_RANGE. */
  putAsyncConfig(fn: FunctionHandle, config?: AsyncConfig): void;
  /**
   * An asynchronous invoke: accepted into the queue, first attempt at once,
   * later ones by the region; the first `failingAttempts` (default 255: all)
   * end with `handler.outcome`. Errors: QUEUE_FULL, INVALID_ARGUMENT (no queue).
   */
  invokeAsync(nowUs: Micros, fn: FunctionHandle, handler: Handler, failingAttempts?: number): AsyncEventHandle;
  /** Where an event is. Errors: UNKNOWN_ASYNC_EVENT. */
  asyncEventStatus(event: AsyncEventHandle): AsyncEventStatus;
  /** The region's asynchronous counters. */
  regionAsyncStats(): AsyncStats;
  /** One function's asynchronous counters. */
  functionAsyncStats(fn: FunctionHandle): AsyncStats;
  /** A period's datapoint of a metric for `fn` (null: region-wide), or null when missing. */
  metricDatapoint(metric: MetricName | number, fn: FunctionHandle | null, period: U64): MetricDatapoint | null;
  /** A statistic ('Sum', 'Maximum', 'p99', ...) over `count` periods from `firstPeriod`, or null when all are missing. */
  metricStatistic(
    metric: MetricName | number,
    fn: FunctionHandle | null,
    statistic: string,
    firstPeriod: U64,
    count?: U64,
  ): number | null;
  /** A statistic for each of `count` periods from `firstPeriod` (GetMetricStatistics); null where missing. */
  metricStatistics(
    metric: MetricName | number,
    fn: FunctionHandle | null,
    statistic: string,
    firstPeriod: U64,
    count: number,
  ): (number | null)[];
  /** Whole-run percentiles (µs) of a distribution metric, or null before any sample. */
  metricLatency(metric: MetricName | number, fn: FunctionHandle | null): MetricLatency | null;
  regionStats(): Stats;
  /** Account-wide concurrency counts. */
  regionCounts(): RegionCounts;
  /** An environment's state; 'Terminated' for one the region no longer (or never) knew. */
  envState(env: EnvHandle): EnvStateName;
  /** Live and busy environments of the region integrated up to its clock, with peaks and averages. */
  occupancy(): Occupancy;
  /** One function's occupancy. Errors: UNKNOWN_FUNCTION. */
  functionOccupancy(fn: FunctionHandle): Occupancy;
  /**
   * The most busy environments (region-wide) since the last call; a new
   * window then starts at the current busy count (for the region and every
   * function): CloudWatch's per-period Max of ConcurrentExecutions.
   */
  takeBusyWindowPeak(): number;
  /** One function's concurrency (busy environments, cold-starting ones included). Errors: UNKNOWN_FUNCTION. */
  functionBusy(fn: FunctionHandle): number;
  /** The function an environment belongs to. Errors: UNKNOWN_ENV (terminated, never known, or another region's). */
  envFunction(env: EnvHandle): FunctionHandle;
  /** A function's current configuration (reserved and provisioned as last put). Errors: UNKNOWN_FUNCTION. */
  functionConfig(fn: FunctionHandle): FunctionConfigValues;
  /**
   * The bill of everything the region metered so far, as one month: finished
   * invocations (billed from their billable start, rounded at the region's
   * granularity, on provisioned or on-demand prices) and provisioned
   * concurrency (open spans up to the region's clock, rounded up to 5 min).
   * Errors: INVALID_ARGUMENT (an unknown price-book code), OVERFLOW.
   */
  bill(options?: BillOptions): Bill;
  /** Like `bill`, for one function's usage alone. Errors: as `bill`, plus UNKNOWN_FUNCTION. */
  functionBill(fn: FunctionHandle, options?: BillOptions): Bill;
  /** Checks the region's invariants; throws LambdasimError INVARIANT_VIOLATED (with `.detail`) if one is broken. */
  check(): void;
}

// ---------------------------------------------------------------------------
// Money, bills, memory → CPU and power tuning (docs/model.md §3, §5, §6).

/**
 * An exact amount of US dollars. `atoms` counts 1e-10 USD / 1 024 000 (so
 * every price times every usage is an integer); `cents` is the amount
 * rounded to cents, half up (a number, or a BigInt past
 * Number.MAX_SAFE_INTEGER); `usd` the exact decimal dollars, e.g.
 * "2.7333380000" (at least 10 fractional digits, up to 23).
 */
export interface Money {
  readonly atoms: bigint;
  readonly cents: number | bigint;
  readonly usd: string;
}

/** The Money of `atoms` (0..2^128 − 1). */
export function money(atoms: bigint): Money;

/** One line of a bill. */
export interface BillLine {
  readonly kind: LineKindName;
  /** The `LSIM_LINE_*` code. */
  readonly kindCode: number;
  /** The architecture of per-architecture lines; null for requests and ephemeral storage. */
  readonly architecture: ArchitectureName | null;
  /** Requests, or MB·ms (divide by 1 024 000 for GB-s). */
  readonly quantity: bigint;
  /** The line rounded to cents, half up, as AWS shows it. */
  readonly cents: number | bigint;
  /** The exact amount. */
  readonly amount: Money;
}

/**
 * A month's bill: lines with a non-zero quantity in a fixed order (requests;
 * per architecture, x86_64 first: duration, provisioned concurrency,
 * provisioned duration; ephemeral storage), the total as AWS shows it (the
 * sum of the rounded lines) and the exact total.
 */
export interface Bill {
  readonly lines: readonly BillLine[];
  readonly totalCents: number | bigint;
  readonly exactTotal: Money;
}

/** Which prices, and whether the free tier applies (1 M requests, 400 000 GB-s; never on provisioned concurrency). */
export interface BillOptions {
  /** Default `'us-east-1'`. */
  prices?: PriceBookName | number;
  /** Default false. */
  freeTier?: boolean;
}

/** A batch of identical invocations. */
export interface InvocationUsage {
  /** Default `'x86_64'`. */
  architecture?: ArchitectureName | number;
  /** Memory, MB (128..=10240). Default 128. */
  memoryMb?: number;
  /** /tmp, MB (512..=10240). Default 512. */
  ephemeralMb?: number;
  /** On-demand (default, including spillover) or on provisioned concurrency. */
  class?: 'onDemand' | 'provisioned' | number;
  /** Default `'1ms'`. */
  granularity?: GranularityName | number;
  /** Number of invocations (a safe integer or a BigInt up to 2^64 − 1). */
  requests: number | bigint;
  /** Each invocation's duration, µs, billed per invocation rounded up at the granularity. */
  durationUs: number | bigint;
}

/** Provisioned concurrency configured for a while. */
export interface ProvisionedUsage {
  /** Default `'x86_64'`. */
  architecture?: ArchitectureName | number;
  /** Memory, MB. Default 128. */
  memoryMb?: number;
  /** Provisioned concurrency. */
  provisioned: number;
  /** From enable to disable, µs; billed rounded up to 5 minutes. */
  enabledUs: number | bigint;
}

/**
 * Bills a month of usage described directly. Errors: MEMORY_BELOW_MINIMUM,
 * MEMORY_ABOVE_MAXIMUM, EPHEMERAL_OUT_OF_RANGE, OVERFLOW (a total too large to
 * represent exactly, or one whose cents do not fit 64 bits), INVALID_ARGUMENT.
 */
export function billUsage(
  invocations?: readonly InvocationUsage[],
  provisioned?: readonly ProvisionedUsage[],
  options?: BillOptions,
): Bill;

/** The vCPUs a function with `memoryMb` sees: min(6, ceil(mb / 1769)). */
export function visibleCores(memoryMb: number): number;

/** A handler's work: I/O time, CPU time at one full vCPU, and its threads (0 is 1). Missing keys are 0 (threads 1). */
export interface DurationProfile {
  ioUs?: Micros;
  cpuUs?: Micros;
  threads?: number;
}

/** The profile's duration at `memoryMb`: ioUs + cpuUs / min(threads, cores, mb/1769), µs, rounded up. */
export function durationAt(profile: DurationProfile, memoryMb: number): Micros;

/** Settings of a tuning run. */
export interface TuneOptions {
  /** Default `'cost'`. */
  strategy?: StrategyName | number;
  /** The balanced weight w in millionths (0..=1 000 000). Default 500 000. */
  weightPpm?: number;
  /** Default `'x86_64'`. */
  architecture?: ArchitectureName | number;
  /** Default `'us-east-1'`. */
  prices?: PriceBookName | number;
  /** Default `'1ms'`. */
  granularity?: GranularityName | number;
  /** The function's configured timeout, ms (1..=900 000), for the advice. Default 3000. */
  configuredTimeoutMs?: number;
}

/** One evaluated memory size. */
export interface Candidate {
  readonly memoryMb: number;
  readonly durationUs: Micros;
  readonly billedMs: U64;
  /** One invocation: the request plus tier-1 duration. */
  readonly cost: Money;
}

/** The outcome of a tuning run. */
export interface Tuned {
  /** Every candidate, in list order. */
  readonly candidates: readonly Candidate[];
  readonly pick: Candidate;
  readonly maxCost: Money;
  readonly maxDurationUs: Micros;
  readonly timeout: {
    /** The p99 duration at the pick (its duration for a profile; nearest rank of its samples). */
    readonly p99Us: Micros;
    /** p99 + 50 %, rounded up to whole seconds, within 1..=900 s, in ms. */
    readonly recommendedTimeoutMs: number;
    /** The configured timeout is below p99. */
    readonly cutsTail: boolean;
    /** Even 900 s does not cover p99 plus the margin. */
    readonly exceedsMax: boolean;
  };
}

/**
 * Power-tunes a profile (docs/model.md §6) over `memories`: `'default'` (the tool's
 * six sizes), `'all'` (10 113 sizes) or an array of MB. Cost picks the
 * cheapest (ties: faster, then smaller); speed the fastest (ties: cheaper,
 * then smaller); balanced minimises w·cost/max + (1−w)·duration/max exactly.
 */
export function tuneProfile(profile: DurationProfile, options?: TuneOptions & { memories?: 'default' | 'all' | readonly number[] }): Tuned;

/**
 * Power-tunes measured samples: each size's duration is the trimmed mean
 * dropping the top and bottom 20 % (at least 5 samples; TOO_FEW_SAMPLES);
 * the caller's arrays are copied, never reordered.
 */
export function tuneSamples(
  samples: readonly { memoryMb: number; durationsUs: readonly (number | bigint)[] | BigUint64Array }[],
  options?: TuneOptions,
): Tuned;

// ---------------------------------------------------------------------------
// Whole simulations: scenarios (the TOML or JSON of `lambdasim run`).

/** How a scenario's text is read: 'auto' (text starting with '{' is JSON, else TOML), 'toml' or 'json'. */
export type ScenarioFormatName = 'auto' | 'toml' | 'json';
export const SCENARIO_FORMATS: readonly ['auto', 'toml', 'json'];

/** Options of `runScenario`, overriding the scenario as `lambdasim run --seed S --horizon-s H` does. */
export interface RunOptions {
  /** Replaces the scenario's seed; replication r runs with seed + r. */
  seed?: number | bigint;
  /** Replaces the horizon: 1 µs up to 366 days (31 622 400 000 000 µs). A warm-up not shorter than it becomes a tenth of it. */
  horizonUs?: number | bigint;
  /** The replication to run: 0 (default) up to the scenario's replications − 1. */
  replication?: number;
  /** How the text is read (default 'auto'), or its `LSIM_SCENARIO_FORMAT_*` code. */
  format?: ScenarioFormatName | number;
  /** The JSON's `scenario` field (the command puts the file's path there); default "(scenario)". */
  name?: string;
}

/**
 * A summary of a run for one function or the whole account: the fields of
 * the JSON's summaries (cli/README.md). Counts and averages cover the run
 * after the warm-up; the bill covers the whole run.
 */
export interface SimSummary {
  /** Requests made (invocations + throttles). */
  readonly requests: U64;
  /** Invocations started. */
  readonly invocations: U64;
  /** Full + partial cold starts. */
  readonly coldStarts: U64;
  /** New environments (create + init). */
  readonly fullColdStarts: U64;
  /** Init re-run on an environment reset by a crash or timeout. */
  readonly partialColdStarts: U64;
  /** Idle on-demand environments reused. */
  readonly warmStarts: U64;
  /** Starts on provisioned environments. */
  readonly provisionedStarts: U64;
  /** On-demand starts of functions with provisioned concurrency (all of it busy). */
  readonly spillover: U64;
  /** Throttled requests (not in `invocations`). */
  readonly throttles: U64;
  /** Throttles by AWS reason (all five present; they sum to `throttles`). */
  readonly throttlesByReason: Readonly<Record<ThrottleReasonName, U64>>;
  /** Invocations that ended in an error (function error, crash, timeout, failed init). */
  readonly errors: U64;
  /** Of `errors`, the timeouts. */
  readonly timeouts: U64;
  /** `coldStarts / requests`. */
  readonly coldStartProbability: number;
  /** `throttles / requests`. */
  readonly throttleProbability: number;
  /** Time-averaged live environments. */
  readonly avgInstances: number;
  /** Time-averaged busy environments (the concurrency). */
  readonly avgBusy: number;
  /** `avgInstances − avgBusy`. */
  readonly avgIdle: number;
  /** `avgBusy / avgInstances` (0 without instances). */
  readonly utilization: number;
  /** The most busy environments at once. */
  readonly peakConcurrency: number;
  /** The bill's total as AWS shows it, in cents (a function's without the free tier). */
  readonly totalCents: number | bigint;
  /** The bill's exact total. */
  readonly exactTotal: Money;
}

/** One simulated minute, account-wide (the last may be partial). */
/**
 * Percentiles of one latency distribution, in µs: nearest rank within
 * 0.79 % of the exact value (exact below 128 µs), the maximum exact; all 0
 * when `samples` is 0.
 */
export interface Percentiles {
  readonly samples: number | bigint;
  readonly p50Us: number | bigint;
  readonly p90Us: number | bigint;
  readonly p99Us: number | bigint;
  readonly maxUs: number | bigint;
}

/** What the requests that ran (not throttled) after the warm-up felt: the JSON's `latency`. */
export interface Latency {
  /** How long each handler ran, capped by the timeout. */
  readonly handlerDuration: Percentiles;
  /** The init phase of each cold start (without the sandbox's creation). */
  readonly initDuration: Percentiles;
  /** The wait before the handler (a cold start) plus the handler duration. */
  readonly responseTime: Percentiles;
  /** `responseTime.p99Us - handlerDuration.p99Us`: what cold starts add at p99 (0 without). */
  readonly coldStartAddedP99Us: number | bigint;
}

export interface MinutePoint {
  /** The point's first minute, from 0 (points cover `SimResult.bucketMinutes` minutes each). */
  readonly minute: number;
  /** Most busy environments during the minute (`ConcurrentExecutions` Max). */
  readonly busyMax: number;
  /** Average busy environments. */
  readonly busyAvg: number;
  /** Average live environments. */
  readonly liveAvg: number;
  /** Live environments at the end of the minute. */
  readonly live: number;
  /** Invocations started. */
  readonly invocations: U64;
  /** Cold starts. */
  readonly coldStarts: U64;
  /** Throttles. */
  readonly throttles: U64;
  /** The account concurrency limit. */
  readonly accountLimit: number;
  /** The unreserved pool at the end of the minute. */
  readonly unreservedPool: number;
  /** Claimed account concurrency at the end of the minute. */
  readonly claimed: number;
}

/**
 * The result of one simulated replication (`runScenario`). Immutable; free
 * it with `close()` or `[Symbol.dispose]()` (a FinalizationRegistry frees a
 * leaked one). Every method of a closed result throws LambdasimError
 * STALE_HANDLE.
 */
export class SimResult {
  private constructor();
  /** Results created and not yet freed. */
  static liveCount(): number;
  /** True once `close()` was called. */
  readonly closed: boolean;
  /** The seed the run used (the scenario's or the `seed` option, plus the replication). */
  readonly seed: number | bigint;
  /** Frees the C result. Idempotent. */
  close(): void;
  /** Same as `close()`. */
  [Symbol.dispose](): void;
  /** Exactly the bytes `lambdasim run FILE --json` prints for this replication (final newline included). */
  json(): string;
  /** The function names, in scenario order (the indexes of `function(i)` and `bill(i)`). */
  functions(): readonly string[];
  /** The summary of the whole account (the JSON's `total`). */
  total(): SimSummary;
  /** The summary of function `i`; UNKNOWN_FUNCTION past the end. */
  function(i: number): SimSummary;
  /** The bill of function `i` (no free tier) or, without an index, of the account. */
  bill(i?: number): Bill;
  /** The latency of function `i` or, without an index, of every function's requests together. */
  latency(i?: number): Latency;
  /** Minutes per point of `minutes()`: 1, or a power of two for a run longer than `MAX_MINUTE_POINTS` minutes. */
  readonly bucketMinutes: number | bigint;
  /** The per-minute series (the JSON's `minutes`): at most `MAX_MINUTE_POINTS` points. */
  minutes(): readonly MinutePoint[];
}

/**
 * Runs one replication of a scenario (TOML or JSON text, the format of
 * `lambdasim run`; cli/README.md). Relative trace paths resolve against the
 * process's current directory. Errors: INVALID_SCENARIO (with `detail`),
 * INVALID_ARGUMENT (a bad option), CAPACITY_EXCEEDED (more than 65 536
 * environments at once), OVERFLOW, SIMULATION_FAILED.
 */
export function runScenario(text: string | Uint8Array, options?: RunOptions): SimResult;

/**
 * Checks a scenario as `runScenario` does before simulating: null when it is
 * valid, else the message `lambdasim run` prints (line, column and field).
 */
export function checkScenario(text: string | Uint8Array, options?: { format?: ScenarioFormatName | number }): string | null;

/** Options of `runSweep`: the flags of `lambdasim sweep`. */
export interface SweepOptions {
  /** The `--set` arguments: `PATH=V1,V2,...` or `PATH=FROM..TO:STEP`, e.g. `functions[0].reserved=10..100:10`. At least one. */
  sets: string[];
  /** 'text' (default: a line per combination and the pick), 'csv' (a row per run) or 'json'. */
  output?: 'text' | 'csv' | 'json' | number;
  /** Replications of every combination (default: the scenario's); replication r runs with seed + r. */
  replications?: number;
  /** With `shardCount` above 0, run only combinations c with c % shardCount == shardIndex. */
  shardIndex?: number;
  shardCount?: number;
  /** Threads (default: one per core); the output is the same for any. */
  threads?: number;
  /** A `--pick` rule, e.g. 'min cost where throttle_probability < 0.001'. */
  pick?: string;
  format?: ScenarioFormatName | number;
  /** The scenario's name in the output (default "(scenario)"). */
  name?: string;
}

/**
 * Runs a scenario over every combination of `options.sets` and returns what
 * `lambdasim sweep` prints for the same scenario and flags, byte for byte.
 * Errors: INVALID_SCENARIO or INVALID_ARGUMENT (with `detail`: the
 * command's message), SIMULATION_FAILED.
 */
export function runSweep(text: string | Uint8Array, options: SweepOptions): string;

// ---------------------------------------------------------------------------
// Module functions.

/** The loaded library's C ABI version (`lsim_abi_version()`). */
export function abiVersion(): number;
/** The loaded library's version (`lsim_version()`), e.g. "0.1.0". */
export function version(): string;
/**
 * Throws an Error naming both versions and the library path unless
 * `actual` equals `expected` (the check done at load).
 */
export function checkAbiVersion(actual: number, expected?: number, libraryPath?: string): void;
/**
 * Where the library is looked for (load.js), in order: `LAMBDASIM_LIB`
 * alone; else `LAMBDASIM_PREFIX`'s `lib/` and `lib64/` alone; else, in a
 * checkout, `$CARGO_TARGET_DIR/release/` (relative to the workspace root) or
 * the workspace's `target/release/`; then the package's
 * `prebuilds/<platform>-<arch>/`, the dynamic loader (a bare file name in
 * `candidates`) and common system directories. `path` is the first
 * candidate that exists as a file (else the first candidate); `sources[i]`
 * says where `candidates[i]` comes from; `setting` names the variable that
 * chose the library, if any.
 */
export function resolveLibraryPath(
  env?: Record<string, string | undefined>,
  platform?: string,
  arch?: string,
): {
  path: string;
  candidates: string[];
  fromEnv: boolean;
  setting: 'LAMBDASIM_LIB' | 'LAMBDASIM_PREFIX' | null;
  sources: string[];
};
/** The status name of a code (`'NOT_READY'`), or `'UNKNOWN'`. */
export function statusName(code: number): StatusName | 'UNKNOWN';
/** The name of an outcome code (`lsim_outcome_str`): 'Success', 'FunctionError', 'Timeout', 'Crash', or 'unknown'. */
export function outcomeName(code: number): OutcomeName | 'unknown';
/** The library's own name for a code (`lsim_status_str`, `lsim_throttle_reason_str`, ...). */
// ---------------------------------------------------------------------------
// Alarms (CloudWatch's semantics).

/** A metric, named as CloudWatch names it, plus lambdasim's own InitDuration and ResponseTime. */
export type MetricName =
  | 'Invocations'
  | 'Errors'
  | 'Throttles'
  | 'Duration'
  | 'ConcurrentExecutions'
  | 'UnreservedConcurrentExecutions'
  | 'ClaimedAccountConcurrency'
  | 'ProvisionedConcurrentExecutions'
  | 'ProvisionedConcurrencyInvocations'
  | 'ProvisionedConcurrencySpilloverInvocations'
  | 'ProvisionedConcurrencyUtilization'
  | 'DeadLetterErrors'
  | 'DestinationDeliveryFailures'
  | 'AsyncEventsReceived'
  | 'AsyncEventAge'
  | 'AsyncEventsDropped'
  | 'IteratorAge'
  | 'InitDuration'
  | 'ResponseTime';
/** Metric names by code (`lsim_metric_str`). */
export const METRICS: readonly MetricName[];
/** CloudWatch's statistics: `SampleCount`, `Sum`, `Average`, `Minimum`, `Maximum`, or `pNN` with up to two decimals (`p99.9`). */
export type StatisticName = 'SampleCount' | 'Sum' | 'Average' | 'Minimum' | 'Maximum' | `p${string}`;
export type ComparisonOperatorName =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';
/** CloudWatch's comparison operators by code. */
export const COMPARISON_OPERATORS: readonly [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
];
export type TreatMissingDataName = 'missing' | 'notBreaching' | 'breaching' | 'ignore';
/** CloudWatch's missing-data treatments by code. */
export const TREAT_MISSING_DATA: readonly ['missing', 'notBreaching', 'breaching', 'ignore'];
export type AlarmStateName = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
/** Alarm states by code. */
export const ALARM_STATES: readonly ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
/** Why an alarm definition is refused (the core's names, as the alarm vectors spell them). */
export type AlarmProblem =
  | 'EvaluationPeriodsZero'
  | 'EvaluationPeriodsTooMany'
  | 'DatapointsToAlarmZero'
  | 'DatapointsToAlarmAboveEvaluationPeriods'
  | 'InvalidPeriod'
  | 'ThresholdNotFinite'
  | 'PercentileOfNonDistribution'
  | 'UnknownComparisonOperator'
  | 'UnknownTreatMissingData'
  | 'UnknownState'
  | 'UnknownMetric'
  | 'UnknownStatistic'
  | 'PercentileOutOfRange'
  | 'RegionOnlyMetric';
/** Alarm problems by code; 'None' (0) is no problem. */
export const ALARM_PROBLEMS: readonly ['None', ...AlarmProblem[]];

/**
 * An alarm's definition, with CloudWatch's fields. Every key is optional:
 * a missing one takes `defaultAlarmConfig()`'s value. Names may also be
 * given as their numeric codes.
 */
export interface AlarmConfig {
  /** The metric watched. Default 'Throttles'. */
  metric?: MetricName | number;
  /** The FunctionName dimension: a function index in the metric store; null (default): region-wide. */
  function?: number | null;
  /** Each period's statistic. Default 'Sum'. */
  statistic?: StatisticName;
  /** The period in seconds: 10, 30 or a positive multiple of 60. Default 60. */
  periodS?: number;
  /** Finite, in the metric's stored unit (µs for durations, parts per million for utilization). Default 0. */
  threshold?: number;
  /** Default 'GreaterThanThreshold'. */
  comparison?: ComparisonOperatorName | number;
  /** N: how many of the latest periods are evaluated, 1..=1440. Default 1. */
  evaluationPeriods?: number;
  /** M: how many of those N must breach, 1..=N. Default 1. */
  datapointsToAlarm?: number;
  /** Default 'missing'. */
  treatMissingData?: TreatMissingDataName | number;
  /** The state before the first evaluation (as SetAlarmState would set it). Default 'INSUFFICIENT_DATA'. */
  initialState?: AlarmStateName | number;
}

/** A state change: `timeUs` is the end of the period whose evaluation changed the state. */
export interface AlarmTransition {
  timeUs: number | bigint;
  from: AlarmStateName;
  to: AlarmStateName;
}

export interface AlarmEvaluation {
  /** The state after the last period. */
  state: AlarmStateName;
  /** Every state change, in order (at most one per period). */
  transitions: AlarmTransition[];
}

/** The default alarm: Throttles Sum > 0 over one 60 s period, region-wide, 'missing', from INSUFFICIENT_DATA. */
export function defaultAlarmConfig(): Required<Omit<AlarmConfig, 'metric' | 'comparison' | 'treatMissingData' | 'initialState'>> & {
  metric: MetricName;
  comparison: ComparisonOperatorName;
  treatMissingData: TreatMissingDataName;
  initialState: AlarmStateName;
};

/** Why `evaluateAlarm` would refuse the definition, or null. A refused name throws as in `evaluateAlarm`. */
export function checkAlarm(config: AlarmConfig): AlarmProblem | null;

/**
 * Evaluates an alarm over consecutive periods as CloudWatch does at the end
 * of each (M of the latest N datapoints, looking at N + 2 periods). Period
 * i starts at `startUs + i * period`; `values[i]` null, undefined or NaN is
 * a period without a datapoint (not a zero). Throws TypeError / RangeError
 * for wrong JS values, and a `LambdasimError` whose `problem` names the
 * refused field (status INVALID_ARGUMENT or INVALID_SETTING).
 */
export function evaluateAlarm(
  config: AlarmConfig,
  startUs?: number | bigint,
  values?: ReadonlyArray<number | null | undefined>,
): AlarmEvaluation;

/** A target-tracking policy for provisioned concurrency: targetPpm in 100000..=900000, 1 <= min <= max. */
export interface TargetTrackingPolicy {
  targetPpm: number;
  min: number;
  max: number;
}

/** What target tracking asks for: `to` is the capacity to set (`from` for 'none'). */
export interface ScalingDecision {
  action: 'none' | 'out' | 'in';
  from: number;
  to: number;
  /** Mean utilization of the datapoints that fired the alarm, ppm (0 for 'none'). */
  utilizationPpm: number;
}

/**
 * Target tracking of provisioned concurrency (`lsim_target_tracking_decide`):
 * the decision after the newest one-minute utilization datapoint (ppm,
 * oldest first, null = none) since the last action taken. Throws a
 * LambdasimError (INVALID_ARGUMENT) for a bad policy or a datapoint above 1000000.
 */
export function decideTargetTracking(
  policy: TargetTrackingPolicy,
  utilizationPpm: ReadonlyArray<number | null | undefined>,
  current: number,
  inProgress?: boolean,
): ScalingDecision;

export function libraryName(
  kind:
    | 'status'
    | 'throttleReason'
    | 'startKind'
    | 'envState'
    | 'provisionedStatus'
    | 'outcome'
    | 'lineKind'
    | 'architecture'
    | 'metric'
    | 'comparison'
    | 'treatMissingData'
    | 'alarmState'
    | 'alarmProblem',
  code: number,
): string;

/** One period of a metric series (durations in µs, utilization in parts per million). */
export interface MetricDatapoint {
  sum: U64;
  sampleCount: U64;
  minimum: U64;
  maximum: U64;
}

/** Whole-run percentiles of a distribution metric, µs (within 0.79 % of exact). */
export interface MetricLatency {
  sampleCount: U64;
  p50: U64;
  p90: U64;
  p99: U64;
  maximum: U64;
}
