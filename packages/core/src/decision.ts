import type { NormalizedPhone } from './normalize.js';
import type { PolicyOption } from './policy.js';
import type { LiveStatus, LookupOptions, UseCase } from './types.js';

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
  | 'BUDGET_EXCEEDED';

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
  error: { code: string; message: string } | null;
  /** The Telesign use case the check ran under. */
  useCase: UseCase;
}

/** Options of one `check()`. */
export interface CheckOptions extends LookupOptions {
  /** Overrides the guard's `failMode` for this call. */
  failMode?: 'open' | 'closed' | undefined;
  /**
   * The policy of this call instead of the guard's (`'signup'`, `'passwordReset'`, a rules
   * object or a function), so that one guard — one cache, one budget, one breaker, one
   * Telesign client — serves routes with different policies. Statuses are cached per
   * number whatever the policy; only the verdict differs. Each distinct value (preset
   * name, or object/function identity) is validated and resolved once, on first use, and
   * remembered: later changes to the same object are not seen. The use case of a check
   * that names none follows this policy (`PWRT` for `'passwordReset'`, `BACS` for
   * `'signup'`, a rules object's `useCase` or `extends` preset); a policy that names no
   * use case (a function, or rules without `useCase`/`extends`) keeps the guard's. A value
   * the guard's `policy` option would reject does not throw: the check follows the fail
   * mode with error code `POLICY_INVALID` and reason `LOOKUP_FAILED`, without a look-up.
   * @default undefined (the guard's `policy`)
   */
  policy?: PolicyOption | undefined;
}
