// ES module entry point: `import { Region } from 'lambdasim'` or
// `import lambdasim from 'lambdasim'`. The same objects as require('lambdasim')
// (index.js): one copy of the library, one koffi type registry.
// test/pack.test.js checks this list against index.js's exports.
import lambdasim from './index.js';

export default lambdasim;
export const {
  ABI_VERSION,
  ENV_CAPACITY,
  MAX_MINUTE_POINTS,
  FUNCTION_CAPACITY,
  LIBRARY_PATH,
  Region,
  LambdasimError,
  InvokeResultView,
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
  SimResult,
  SCENARIO_FORMATS,
  ARCHITECTURES,
  GRANULARITIES,
  PRICE_BOOKS,
  LINE_KINDS,
  STRATEGIES,
  libraryName,
  koffiVersion,
} = lambdasim;
