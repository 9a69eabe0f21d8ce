import type { SimSwapRisk, TelesignRecycledVerdict } from './identity-signals.js';
import type { NormalizedPhone } from './phone.js';
import type { LiveStatus, UseCase } from './types.js';

/** What to do with the request: let it through, let it through marked, or refuse it. */
export type DecisionAction = 'allow' | 'flag' | 'block';

/**
 * Machine-readable reasons behind a decision. `LOOKUP_FAILED` is present whenever no
 * answer could be had (upstream error or timeout, open circuit breaker, exhausted look-up
 * budget), next to a more specific reason when one applies.
 */
export type DecisionReason =
  | 'PHONE_INVALID'
  | 'SUBSCRIBER_DISCONNECTED'
  | 'DEVICE_UNREACHABLE'
  | 'DEVICE_UNAVAILABLE'
  | 'ROAMING'
  | 'ROAMING_COUNTRY_NOT_ALLOWED'
  | 'RISKY_PHONE_TYPE'
  | 'STATUS_UNKNOWN'
  | 'LOOKUP_FAILED'
  | 'LOOKUP_TIMEOUT'
  | 'CIRCUIT_OPEN'
  | 'BUDGET_EXCEEDED'
  | 'CONFIG_ERROR'
  | 'NUMBER_REASSIGNED'
  | 'REASSIGNMENT_UNKNOWN'
  | 'SIM_SWAPPED'
  | 'SIM_SWAP_UNKNOWN';

/** What went wrong in a decision without an answer (see {@link Decision.error}). */
export interface DecisionError {
  /** A stable code: the normalize code, the look-up error's code, or the guard's own. */
  code: string;
  /** A human-readable explanation; never holds a phone number or a credential. */
  message: string;
  /**
   * When trying again may help, in milliseconds, when the guard knows it: the end of the
   * breaker's cool-down, of the budget window, or the upstream's `Retry-After`. The
   * middleware sends it as `Retry-After` with a 503.
   */
  retryAfterMs?: number;
}

/** Where the status behind a decision came from. */
export type DecisionSource = 'cache' | 'upstream' | 'stale' | 'none';

/** Whether the number changed hands since the user last proved it (see {@link ReassignmentSignal}). */
export type ReassignmentVerdict = 'reassigned' | 'not_reassigned' | 'unknown';

/**
 * Why an identity signal is unknown (`reason` of {@link ReassignmentSignal} and
 * {@link SimSwapSignal}):
 * - `NO_LAST_VERIFIED_AT`: `check()` got no `lastVerifiedAt` (the add-on is then not asked).
 * - `LAST_VERIFIED_AT_INVALID`: `lastVerifiedAt` is not a date: unparseable, `NaN`, not a
 *   `Date`/string/number, or before 2000 (epoch seconds passed as milliseconds, say).
 * - `LAST_VERIFIED_AT_IN_FUTURE`: `lastVerifiedAt` is more than 5 minutes ahead of the clock.
 * - `COVERAGE_GAP`: deactivations of the number are not tracked back to that day.
 * - `TELESIGN_CANNOT_DETERMINE`: Telesign's own verdict for that day.
 * - `ADDON_OUT_OF_COVERAGE` (2803), `ADDON_NOT_APPLICABLE` (2804), `ADDON_NO_DATA` (2805 or
 *   an answer without data), `ADDON_UNAVAILABLE` (2802, 2810, 2811), `ADDON_NOT_ENABLED`
 *   (2806: a configuration error, logged), `ADDON_REJECTED` (2801, 2807: a phone-guard
 *   bug, logged), `ADDON_UNKNOWN_STATUS` (a status this version does not know, or no
 *   block for the add-on in the answer), `ADDON_UNREADABLE` (the add-on answered with a
 *   field phone-guard cannot read, such as a date in an unknown form; logged once).
 * - `PROVIDER_UNSUPPORTED`: the guard's `provider` has no `getPhoneIdAddons()`.
 * - otherwise the code of the error that failed the add-on request (`TELESIGN_TIMEOUT`,
 *   `LOOKUP_TIMEOUT`, `CIRCUIT_OPEN`, `BUDGET_EXCEEDED`, `ABORTED`, `GUARD_CLOSED` …).
 */
export type SignalUnknownReason =
  | 'NO_LAST_VERIFIED_AT'
  | 'LAST_VERIFIED_AT_INVALID'
  | 'LAST_VERIFIED_AT_IN_FUTURE'
  | 'COVERAGE_GAP'
  | 'TELESIGN_CANNOT_DETERMINE'
  | 'ADDON_OUT_OF_COVERAGE'
  | 'ADDON_NOT_APPLICABLE'
  | 'ADDON_NO_DATA'
  | 'ADDON_UNAVAILABLE'
  | 'ADDON_NOT_ENABLED'
  | 'ADDON_REJECTED'
  | 'ADDON_UNKNOWN_STATUS'
  | 'ADDON_UNREADABLE'
  | 'PROVIDER_UNSUPPORTED';

/**
 * The number-deactivation signal as a decision carries it: was the number deactivated
 * (and so possibly handed to a new owner) since the user last proved it? Dates are epoch
 * milliseconds; Telesign's data is day-granular (midnight UTC).
 */
export interface ReassignmentSignal {
  /**
   * `reassigned`: deactivated on or after the UTC day of `lastVerifiedAt` (or Telesign
   * says `recycled`). `not_reassigned`: tracked since that day or earlier and not
   * deactivated since. `unknown`: see `reason`; no data is not "safe".
   */
  verdict: ReassignmentVerdict;
  /** The most recent deactivation on record, or `null` (never deactivated, or not known). */
  lastDeactivatedAt: number | null;
  /** Since when deactivations of the number are tracked, or `null` (not known). */
  trackingSince: number | null;
  /** The `lastVerifiedAt` the verdict is about, or `null` when none usable was given. */
  lastVerifiedAt: number | null;
  /**
   * Telesign's own verdict for this `lastVerifiedAt` day, or `null`: asked for that day,
   * or implied by one asked for another day (`recycled` since a later day holds for an
   * earlier one; `not_recycled` since an earlier day holds for a later one).
   */
  telesignVerdict: TelesignRecycledVerdict | null;
  /** Why the verdict is `unknown`; absent otherwise. */
  reason?: SignalUnknownReason | (string & {});
}

/** The SIM-swap signal as a decision carries it. */
export interface SimSwapSignal {
  /**
   * Telesign's risk: 1 very low (no swap, or more than 15 days ago), 2 low (3–14 days),
   * 3 medium (within 72 hours), 4 high (the same day); `null` when unknown (see `reason`).
   */
  risk: SimSwapRisk | null;
  /** When the SIM last changed (epoch ms), or `null` (never, or not known). */
  swappedAt: number | null;
  /** Why `risk` is `null`; absent otherwise. */
  reason?: SignalUnknownReason | (string & {});
}

/** The outcome of one `check()`. */
export interface Decision {
  action: DecisionAction;
  /** Why; empty for a plain allow. */
  reasons: DecisionReason[];
  /** The normalized number, or `null` when the input was not a valid number. */
  phone: NormalizedPhone | null;
  /** The live status the decision was based on, or `null` when there was none. */
  status: LiveStatus | null;
  source: DecisionSource;
  /** True when the look-up failed and the guard let the request through (`failMode: 'open'`). */
  failedOpen: boolean;
  /**
   * What went wrong, or `null`: the normalize code (`PHONE_INVALID`, `PHONE_MISSING` …)
   * for bad input, or the look-up error's code (`TELESIGN_TIMEOUT` …).
   */
  error: DecisionError | null;
  /** The Telesign use case the check ran under. */
  useCase: UseCase;
  /**
   * The number-deactivation signal, present only when the check's policy asks for it
   * (`passwordReset`, or rules with `reassignment`) and the input was a valid number.
   */
  reassignment?: ReassignmentSignal;
  /** The SIM-swap signal, present only when the check's policy asks for it. */
  simSwap?: SimSwapSignal;
}
