export type { CountryCode, NumberType } from 'libphonenumber-js/max';
export type { CheckOptions } from './guard/check-options.js';
export { createPhoneGuard, type PhoneGuard } from './guard/create-guard.js';
export {
  type CacheTtlOptions,
  type CircuitBreakerOptions,
  type FailMode,
  GUARD_DEFAULTS,
  type GuardCacheOptions,
  type GuardTelesignOptions,
  type LookupBudgetOptions,
  type PhoneGuardOptions,
} from './guard/options.js';
export type { GuardStats } from './guard/stats.js';
export {
  type ClientDisconnectWatch,
  createHttpAdapter,
  decisionToProblem,
  type HttpAdapter,
  type HttpAdapterInfo,
  type HttpCheckResult,
  type HttpRequestView,
  type PhoneGuardHttpOptions,
  type PhoneGuardMode,
  type PhoneGuardProblem,
  type PhoneGuardProblemResponse,
  parsePhoneField,
  readPhoneField,
  watchClientDisconnect,
} from './http/adapter.js';
export type {
  Decision,
  DecisionAction,
  DecisionReason,
  DecisionSource,
} from './model/decision.js';
export {
  type ErrorFault,
  faultOf,
  isPhoneGuardError,
  isTelesignError,
  PhoneGuardError,
  type PhoneGuardErrorOptions,
  PhoneGuardOptionError,
  TelesignError,
  type TelesignErrorOptions,
} from './model/errors.js';
export { maskPhone } from './model/mask.js';
export {
  type DeviceStatus,
  type LiveStatus,
  type LiveStatusProvider,
  type Logger,
  type LookupOptions,
  type PhoneTypeInfo,
  type RoamingStatus,
  type StatusStore,
  type SubscriberStatus,
  type TelesignApiError,
  USE_CASES,
  type UseCase,
} from './model/types.js';
export {
  MAX_PHONE_INPUT_LENGTH,
  type NormalizedPhone,
  type NormalizeErrorCode,
  type NormalizeOptions,
  type NormalizeResult,
  normalizePhone,
} from './normalize/normalize.js';
export {
  type BreakerEvent,
  type DecisionEvent,
  GUARD_CHANNELS,
  type LookupEvent,
  type StoreErrorEvent,
} from './observe/channels.js';
export {
  evaluatePolicy,
  evaluateRules,
  POLICY_PRESETS,
  type PolicyAction,
  type PolicyContext,
  type PolicyFunction,
  type PolicyOption,
  type PolicyPresetName,
  type PolicyRules,
  type PolicyVerdict,
  type ResolvedPolicy,
  type ResolvedPolicyRules,
  resolvePolicy,
} from './policy/policy.js';
export {
  type CircuitBreaker,
  type CircuitBreakerConfig,
  type CircuitPermit,
  type CircuitState,
  createCircuitBreaker,
} from './resilience/circuit-breaker.js';
export {
  backoffDelay,
  parseRetryAfter,
  type RetryOptions,
  type RetryPolicy,
} from './resilience/retry.js';
export {
  createTelesignClient,
  DEFAULT_TELESIGN_BASE_URL,
  type TelesignClient,
  type TelesignClientOptions,
} from './telesign/client.js';
export {
  TELESIGN_ERROR_TABLE,
  TelesignAbortError,
  TelesignBadResponseError,
  type TelesignErrorCode,
  type TelesignErrorResponse,
  type TelesignErrorTableRow,
  TelesignNetworkError,
  TelesignResponseError,
  type TelesignResponseErrorOptions,
  TelesignTimeoutError,
  telesignErrorFromResponse,
} from './telesign/errors.js';
export {
  LIVE_DATA_NOT_FOUND,
  type ParseLiveStatusContext,
  parseLiveStatus,
  readTelesignEnvelope,
  type TelesignEnvelope,
} from './telesign/parse-live-status.js';
export {
  createTelesignSigner,
  decodeTelesignApiKey,
  signTelesignRequest,
  type TelesignAuthMethod,
  type TelesignCredentials,
  type TelesignRequestToSign,
  type TelesignSignedHeaders,
} from './telesign/signing.js';
