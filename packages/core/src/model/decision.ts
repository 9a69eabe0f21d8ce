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
  | 'CONFIG_ERROR';

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
}
