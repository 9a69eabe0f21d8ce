/**
 * `@phone-guard/core`: the public names. A check flows down through these folders; each
 * imports only from itself and the folders listed below it (`layout.test.ts` keeps it so):
 *
 *   http/        an adapter's request → the phone field, the country, the date; problem+json out
 *   guard/       check() / checkCached(): options → normalize → cache → loaders → outcomes
 *   signals/     the reassignment and SIM-swap verdicts from the add-on records
 *   cache/       the status and add-on caches, coalesced flights, read-through to the store
 *   telesign/    the transport and one module per product (Phone ID Live, Phone ID add-ons)
 *   policy/      rules and presets → an action and reasons
 *   observe/     diagnostics channels
 *   resilience/  circuit breaker, look-up budget, bounded store calls, retry timing
 *   normalize/   normalizePhone, country codes
 *   options/     the option-check vocabulary
 *   model/       nouns without I/O: phone, live status, identity signals, decision, errors
 */
export type { CountryCode, NumberType } from 'libphonenumber-js/max';
export type { CheckMode, CheckOptions } from './guard/check-options.js';
export { createPhoneGuard, type ForgetOptions, type PhoneGuard } from './guard/create-guard.js';
export type { GuardErrorCode } from './guard/error-codes.js';
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
export { isEnforced } from './guard/rollout.js';
export type { GuardStats } from './guard/stats.js';
export { VERIFY_PHONE, type VerifyOptions, type VerifyResult } from './guard/verify.js';
export { createHttpAdapter, type HttpAdapter, type HttpCheckResult } from './http/adapter.js';
export {
  type AnyFunction,
  type HttpAdapterInfo,
  type LastVerifiedAt,
  type PhoneGuardHttpOptions,
  type PhoneGuardMode,
  SAFE_METHODS,
} from './http/adapter-options.js';
export { parsePhoneField, readPhoneField } from './http/fields.js';
export {
  fromHttpRequestView,
  type HttpRequestView,
  type NodeRequestReader,
  NodeRequestView,
  watchClientDisconnect,
} from './http/node.js';
export {
  decisionToProblem,
  type PhoneGuardProblem,
  type PhoneGuardProblemResponse,
} from './http/problem.js';
export type { ClientDisconnectWatch, RequestView } from './http/request-view.js';
export { HTTP_WARNINGS, type HttpWarningCode } from './http/warnings.js';
export type {
  Decision,
  DecisionAction,
  DecisionError,
  DecisionReason,
  DecisionSource,
  ReassignmentSignal,
  ReassignmentVerdict,
  SignalUnknownReason,
  SimSwapSignal,
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
export type {
  AddonOutcome,
  AddonStatus,
  NumberDeactivationRecord,
  PhoneIdAddons,
  PhoneIdAddonsOptions,
  PhoneIdAddonsProvider,
  SimSwapRecord,
  SimSwapRisk,
  TelesignRecycledVerdict,
} from './model/identity-signals.js';
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
export { isCountryCode } from './normalize/country.js';
export {
  MAX_PHONE_INPUT_LENGTH,
  type NormalizedPhone,
  type NormalizeError,
  type NormalizeErrorCode,
  type NormalizeOptions,
  type NormalizeResult,
  normalizePhone,
} from './normalize/normalize.js';
export {
  type BreakerEvent,
  type BudgetEvent,
  type CacheEvent,
  type CoalescedEvent,
  type DecisionEvent,
  GUARD_CHANNELS,
  type GuardChannelEvents,
  type LookupEvent,
  type StoreErrorEvent,
} from './observe/channels.js';
export { evaluatePolicy, evaluateRules } from './policy/evaluate.js';
export {
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
  evaluateSignals,
  type FailedSignals,
  type ReassignmentRules,
  type ResolvedReassignmentRules,
  type ResolvedSimSwapRules,
  type SignalVerdict,
  type SimSwapRules,
} from './policy/signal-rules.js';
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
  type TelesignAddonsEndpoint,
  type TelesignClient,
  type TelesignClientOptions,
} from './telesign/client.js';
export {
  TELESIGN_ERROR_FAULTS,
  TELESIGN_ERROR_TABLE,
  TELESIGN_PHONEID_ERROR_TABLE,
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
  ADDON_STATUS_OUTCOMES,
  addonStatusOf,
  type ParsePhoneIdAddonsContext,
  parseLegacyNumberDeactivation,
  parsePhoneIdAddons,
} from './telesign/parse-phoneid-addons.js';
export {
  createTelesignSigner,
  decodeTelesignApiKey,
  signTelesignRequest,
  type TelesignAuthMethod,
  type TelesignCredentials,
  type TelesignRequestToSign,
  type TelesignSignedHeaders,
} from './telesign/signing.js';
