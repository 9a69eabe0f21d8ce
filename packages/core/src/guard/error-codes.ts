import { type ErrorFault, PhoneGuardError } from '../model/errors.js';

/**
 * The error codes the guard itself gives, in `decision.error.code` (and `stats().errors`)
 * or on an error it rejects with. Other codes in a decision come from normalization
 * (`PHONE_…`, see `NormalizeErrorCode`) or from the provider (`TELESIGN_…`).
 *
 * - `CIRCUIT_OPEN`: the circuit breaker sheds look-ups.
 * - `BUDGET_EXCEEDED`: the look-up budget of the window is spent.
 * - `GUARD_CLOSED`: the check was made after, or was waiting during, `close()`.
 * - `LOOKUP_TIMEOUT`: no answer within the guard's `timeoutMs`.
 * - `ABORTED`: the caller's `signal` aborted the check.
 * - `POLICY_ERROR`: a policy function threw or returned an invalid verdict.
 * - `POLICY_INVALID`: the per-call `policy` is not a valid policy.
 * - `INTERNAL_ERROR`: a phone-guard bug (logged once).
 * - `STORE_ERROR`: `forget()` could not delete the number from the store.
 * - `ADDON_UNAVAILABLE`, `ADDON_NOT_ENABLED`, `ADDON_REJECTED`: an identity signal the
 *   policy asked for could not be had because its Phone ID add-on answered 2802/2810/2811
 *   (temporarily unavailable), 2806 (not enabled for the account) or 2801/2807
 *   (parameters refused): the check follows the fail mode.
 */
export type GuardErrorCode =
  | 'ADDON_UNAVAILABLE'
  | 'ADDON_NOT_ENABLED'
  | 'ADDON_REJECTED'
  | 'CIRCUIT_OPEN'
  | 'BUDGET_EXCEEDED'
  | 'GUARD_CLOSED'
  | 'LOOKUP_TIMEOUT'
  | 'ABORTED'
  | 'POLICY_ERROR'
  | 'POLICY_INVALID'
  | 'INTERNAL_ERROR'
  | 'STORE_ERROR';

/**
 * A {@link PhoneGuardError} carrying one of the guard's own codes, and, when the guard
 * knows when trying again may help (breaker cool-down, budget window), `retryAfterMs`.
 */
export function guardError(
  code: GuardErrorCode,
  message: string,
  fault: ErrorFault,
  cause?: unknown,
  retryAfterMs?: number,
): PhoneGuardError & { readonly retryAfterMs?: number } {
  const error: PhoneGuardError & { retryAfterMs?: number } = new PhoneGuardError(
    code,
    message,
    cause === undefined ? { fault } : { fault, cause },
  );
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}

/** The `retryAfterMs` an error carries (guard errors, Telesign's Retry-After), if any. */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const value = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
