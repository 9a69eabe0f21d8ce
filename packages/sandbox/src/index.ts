export { ADDON_TEST_NUMBERS, type AddonTestNumberName, SLOW_ADDON_MS } from './addon-numbers.js';
export type { SandboxAuthScheme } from './auth.js';
export { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID } from './credentials.js';
export { OVERSIZED_BODY_BYTES } from './fault-bodies.js';
export {
  INTERNATIONAL_OUTCOMES,
  INTERNATIONAL_TEST_NUMBERS,
  type InternationalCountry,
  type InternationalOutcome,
  type InternationalTestNumberName,
  ROAMING_DESTINATIONS,
} from './international-numbers.js';
export {
  DEFAULT_SANDBOX_PORT,
  runSandboxCommand,
  type SandboxCommandIo,
  sandboxEnvLines,
} from './launcher.js';
export type { SandboxAuthMode, SandboxLatency, SandboxOptions } from './options.js';
export type { SandboxPin } from './pins.js';
export {
  type SandboxPinOutcome,
  type SandboxTestNumberName,
  TEST_NUMBER_TABLE,
  type TestNumberKind,
  type TestNumberRow,
} from './rows.js';
export type { SandboxEndpoint, SandboxOutcome, SandboxRequest } from './sandbox-request.js';
export type { SandboxFault } from './scenarios.js';
export { type Sandbox, startSandbox } from './start-sandbox.js';
export { TEST_NUMBERS, type TestNumberName } from './test-numbers.js';
