export type { SandboxAuthScheme } from './auth.js';
export { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID } from './credentials.js';
export { OVERSIZED_BODY_BYTES } from './fault-bodies.js';
export type { SandboxAuthMode, SandboxOptions } from './options.js';
export type { SandboxOutcome, SandboxRequest } from './sandbox-request.js';
export type { SandboxFault } from './scenarios.js';
export { type Sandbox, startSandbox } from './start-sandbox.js';
export { TEST_NUMBERS, type TestNumberName } from './test-numbers.js';
