export type { CountryCode, NumberType } from 'libphonenumber-js/max';
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
