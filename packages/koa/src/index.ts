export type {
  CheckOptions,
  CountryCode,
  Decision,
  DecisionAction,
  DecisionReason,
  DecisionSource,
  HttpWarningCode,
  LastVerifiedAt,
  NormalizeResult,
  PhoneGuard,
  PhoneGuardMode,
  PhoneGuardOptions,
  PhoneGuardProblem,
  PhoneGuardProblemResponse,
} from '@phone-guard/core';
export {
  createPhoneGuard,
  decisionToProblem,
  GUARD_CHANNELS,
  HTTP_WARNINGS,
  isCountryCode,
  isPhoneGuardError,
  maskPhone,
  normalizePhone,
  PhoneGuardOptionError,
} from '@phone-guard/core';
export {
  type KoaOnBlocked,
  type PhoneGuardKoaOptions,
  type PhoneGuardMiddleware,
  type PhoneGuardState,
  phoneGuard,
} from './phone-guard.js';
