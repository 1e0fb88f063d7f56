// Type declarations of the lambdasim Node binding (index.js).
//
// Times and durations are microseconds of simulated time as JS numbers:
// non-negative safe integers (0..Number.MAX_SAFE_INTEGER). A wrong type
// throws TypeError, an out-of-range number RangeError; every non-OK status of
// the C ABI throws LambdasimError. A throttle is an answer, not an error.

declare global {
  // Symbol.dispose exists in Node >= 18.18 / 20.4 (and TypeScript >= 5.2's
  // lib.esnext.disposable); declared here as @types/node does, for older libs.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** Microseconds of simulated time (a non-negative safe integer). */
export type Micros = number;

/** The C ABI version this binding was written for (`LSIM_ABI_VERSION`). */
export const ABI_VERSION: 1;
/** Environment slots of every region (`LSIM_ENV_CAPACITY`). */
export const ENV_CAPACITY: 16384;
/** Function slots of every region (`LSIM_FUNCTION_CAPACITY`). */
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
  | 'INVARIANT_VIOLATED';

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
}>;

/** AWS's throttle reasons. */
export type ThrottleReasonName =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded'
  | 'RequestRateExceeded'
  | 'ScalingRateExceeded';
export const ThrottleReason: Readonly<{
  ConcurrentInvocationLimitExceeded: 0;
  ReservedFunctionConcurrentInvocationLimitExceeded: 1;
  RequestRateExceeded: 2;
  ScalingRateExceeded: 3;
}>;

/** How an invocation started. */
export type StartKindName = 'Warm' | 'Provisioned' | 'PartialCold' | 'FullCold';
export const StartKind: Readonly<{ Warm: 0; Provisioned: 1; PartialCold: 2; FullCold: 3 }>;

/** How an invocation ended. */
export type OutcomeName = 'Success' | 'FunctionError' | 'Timeout' | 'Crash';
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
  /** Only for `INVARIANT_VIOLATED` from `Region.check()`: the broken invariant. */
  detail?: string;
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
};

/** The default function configuration, from `lsim_function_config_default`. */
export function defaultFunctionConfig(): {
  memoryMb: number;
  timeoutMs: number;
  reserved: number | null;
  provisioned: number;
  sandboxUs: Micros;
  downloadUsPerMb: Micros;
  packageMb: number;
  initUs: Micros;
};

// ---------------------------------------------------------------------------
// Handles (frozen plain objects). A handle handed out by one region is
// refused by another (UNKNOWN_FUNCTION / UNKNOWN_INVOCATION); a plain object
// of the right shape is passed to C as is.

/** A function of a region. Stale after `deleteFunction` (UNKNOWN_FUNCTION). */
export interface FunctionHandle {
  readonly index: number;
  readonly generation: number;
}

/** An execution environment of a region. */
export interface EnvHandle {
  readonly index: number;
  readonly generation: number;
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
  requests: number;
  /** Invocations started. */
  invocations: number;
  warmStarts: number;
  /** Starts on an idle provisioned environment. */
  provisionedStarts: number;
  partialColdStarts: number;
  fullColdStarts: number;
  /** Invocations of a function with provisioned concurrency that ran on on-demand environments. */
  spillover: number;
  /** Throttles by AWS reason. */
  throttles: Record<ThrottleReasonName, number>;
  /** The sum of `throttles`. */
  throttlesTotal: number;
  /** Invocations that ended successfully. */
  succeeded: number;
  /** Invocations that ended in error (function error, timeout, crash, failed init). */
  errors: number;
  /** Of `errors`, the timeouts. */
  timeouts: number;
  envsCreated: number;
  envsTerminated: number;
  /** Initializations that failed or exceeded their limit. */
  initFailures: number;
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
  /** Deletes a function (FUNCTION_BUSY while invocations run); its handle becomes stale. */
  deleteFunction(nowUs: Micros, fn: FunctionHandle): void;
  /** A synchronous invoke with the function's configured init duration. */
  invoke(nowUs: Micros, fn: FunctionHandle): InvokeResult;
  /** Like `invoke`, with this request's init duration (used only if it cold-starts). */
  invokeWithInit(nowUs: Micros, fn: FunctionHandle, initUs: Micros): InvokeResult;
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
  regionStats(): Stats;
  /** Account-wide concurrency counts. */
  regionCounts(): RegionCounts;
  /** An environment's state; 'Terminated' for one the region no longer (or never) knew. */
  envState(env: EnvHandle): EnvStateName;
  /** Checks the region's invariants; throws LambdasimError INVARIANT_VIOLATED (with `.detail`) if one is broken. */
  check(): void;
}

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
 * Where the library is looked for: `LAMBDASIM_LIB`, else
 * `$CARGO_TARGET_DIR/release/` (a relative CARGO_TARGET_DIR is taken
 * relative to the workspace root) or the workspace's `target/release/`;
 * `.dylib` first on macOS, `.so` elsewhere. `path` is the first candidate
 * that exists (else the first candidate).
 */
export function resolveLibraryPath(
  env?: Record<string, string | undefined>,
  platform?: string,
): { path: string; candidates: string[]; fromEnv: boolean };
/** The status name of a code (`'NOT_READY'`), or `'UNKNOWN'`. */
export function statusName(code: number): StatusName | 'UNKNOWN';
/** The library's own name for a code (`lsim_status_str`, `lsim_throttle_reason_str`, ...). */
export function libraryName(
  kind: 'status' | 'throttleReason' | 'startKind' | 'envState' | 'provisionedStatus',
  code: number,
): string;
