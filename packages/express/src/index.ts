export type {
  Decision,
  PhoneGuard,
  PhoneGuardMode,
  PhoneGuardOptions,
  PhoneGuardProblem,
} from '@phone-guard/core';
export { createPhoneGuard, decisionToProblem, PhoneGuardOptionError } from '@phone-guard/core';
export {
  type ExpressOnBlocked,
  type PhoneGuardExpressOptions,
  type PhoneGuardMiddleware,
  phoneGuard,
} from './phone-guard.js';
