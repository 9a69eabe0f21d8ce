export type {
  Decision,
  PhoneGuard,
  PhoneGuardMode,
  PhoneGuardOptions,
  PhoneGuardProblem,
} from '@phone-guard/core';
export { createPhoneGuard, decisionToProblem, PhoneGuardOptionError } from '@phone-guard/core';
export {
  type KoaOnBlocked,
  type PhoneGuardKoaOptions,
  type PhoneGuardMiddleware,
  type PhoneGuardState,
  phoneGuard,
} from './phone-guard.js';
