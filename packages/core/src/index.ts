export type { CountryCode, NumberType } from 'libphonenumber-js/max';
export {
  type CircuitBreaker,
  type CircuitBreakerConfig,
  type CircuitPermit,
  type CircuitState,
  createCircuitBreaker,
} from './circuit-breaker.js';
export type {
  CheckOptions,
  Decision,
  DecisionAction,
  DecisionReason,
  DecisionSource,
} from './decision.js';
export {
  isPhoneGuardError,
  isTelesignError,
  PhoneGuardError,
  type PhoneGuardErrorOptions,
  PhoneGuardOptionError,
  TelesignError,
  type TelesignErrorOptions,
} from './errors.js';
export {
  type BreakerEvent,
  type DecisionEvent,
  GUARD_CHANNELS,
  type LookupEvent,
  type StoreErrorEvent,
} from './events.js';
export { createPhoneGuard, type PhoneGuard } from './guard.js';
export {
  type CacheTtlOptions,
  type CircuitBreakerOptions,
  type FailMode,
  GUARD_DEFAULTS,
  type GuardCacheOptions,
  type GuardTelesignOptions,
  type LookupBudgetOptions,
  type PhoneGuardOptions,
} from './guard-options.js';
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
} from './http-adapter.js';
export { maskPhone } from './mask.js';
export {
  MAX_PHONE_INPUT_LENGTH,
  type NormalizedPhone,
  type NormalizeErrorCode,
  type NormalizeOptions,
  type NormalizeResult,
  normalizePhone,
} from './normalize.js';
export {
  LIVE_DATA_NOT_FOUND,
  type ParseLiveStatusContext,
  parseLiveStatus,
  readTelesignEnvelope,
  type TelesignEnvelope,
} from './parse-live-status.js';
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
} from './policy.js';
export {
  backoffDelay,
  parseRetryAfter,
  type RetryOptions,
  type RetryPolicy,
} from './retry.js';
export {
  createTelesignSigner,
  decodeTelesignApiKey,
  signTelesignRequest,
  type TelesignAuthMethod,
  type TelesignCredentials,
  type TelesignRequestToSign,
  type TelesignSignedHeaders,
} from './signing.js';
export type { GuardStats } from './stats.js';
export {
  createTelesignClient,
  DEFAULT_TELESIGN_BASE_URL,
  type TelesignClient,
  type TelesignClientOptions,
} from './telesign-client.js';
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
} from './telesign-errors.js';
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
} from './types.js';
