/**
 * The HTTP answer to a blocking decision: an RFC 9457 `application/problem+json` body
 * with a status that says whose fault it is (422 the input, 403 the number, 503 no
 * verdict). The body never contains the phone number.
 */
import type { Decision, DecisionReason } from '../model/decision.js';

/** An RFC 9457 problem details object, as the built-in block response sends it. */
export interface PhoneGuardProblem {
  /** A URI naming the kind of problem, e.g. `urn:phone-guard:problem:phone-blocked`. */
  type: string;
  /** A short, fixed summary of the kind of problem. */
  title: string;
  /** The HTTP status: 422 invalid number, 403 blocked by policy, 503 no verdict (look-up or policy failed). */
  status: 403 | 422 | 503;
  /** A human-readable explanation; never contains the phone number. */
  detail: string;
  /** The first reason of the decision (`PHONE_INVALID`, `SUBSCRIBER_DISCONNECTED` …). */
  code: DecisionReason;
  /** Every reason of the decision. */
  reasons: DecisionReason[];
  /**
   * For 422 only: why the input is not a number (`PHONE_MISSING`, `PHONE_NOT_STRING`,
   * `PHONE_COUNTRY_REQUIRED` …).
   */
  errorCode?: string;
}

/** A ready-to-send HTTP answer for a blocking decision. */
export interface PhoneGuardProblemResponse {
  /** The HTTP status (same as `problem.status`). */
  status: 403 | 422 | 503;
  /** Headers to set: `content-type: application/problem+json; charset=utf-8`, `cache-control: no-store`. */
  headers: Readonly<Record<string, string>>;
  /** The problem details object. */
  problem: PhoneGuardProblem;
  /** `problem` serialised as JSON. */
  body: string;
}

const PROBLEM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/problem+json; charset=utf-8',
  'cache-control': 'no-store',
});

const BLOCK_DETAILS: Partial<Record<DecisionReason, string>> = {
  SUBSCRIBER_DISCONNECTED: 'This phone number is no longer in service.',
  DEVICE_UNREACHABLE: 'This phone number cannot be reached right now.',
  DEVICE_UNAVAILABLE: 'The reachability of this phone number is not known.',
  ROAMING: 'This phone number is roaming abroad.',
  ROAMING_COUNTRY_NOT_ALLOWED: 'This phone number is roaming in a country that is not accepted.',
  RISKY_PHONE_TYPE: 'This type of phone number is not accepted.',
  STATUS_UNKNOWN: 'The status of this phone number could not be confirmed.',
  NUMBER_REASSIGNED:
    'This phone number may have changed hands since it was last confirmed. Use another way to verify.',
  REASSIGNMENT_UNKNOWN:
    'Whether this phone number still belongs to the same person could not be confirmed.',
  SIM_SWAPPED: 'The SIM card behind this phone number changed recently. Use another way to verify.',
  SIM_SWAP_UNKNOWN: 'Recent SIM changes for this phone number could not be checked.',
};

/**
 * The identity-signal verdict that blocks a number even though something could not be
 * had: the guard puts a reason that blocks first, so only the first reason counts (a
 * `SIM_SWAPPED` further down only flagged).
 */
function verdictReason(reasons: readonly DecisionReason[]): DecisionReason | undefined {
  const first = reasons[0];
  return first === 'NUMBER_REASSIGNED' || first === 'SIM_SWAPPED' ? first : undefined;
}

/**
 * Turns a blocking decision into an RFC 9457 `application/problem+json` answer:
 * 422 for an invalid number (`PHONE_INVALID`), 503 when no verdict could be had and the
 * guard fails closed (`LOOKUP_FAILED`, or any other decision that carries an error, such
 * as `POLICY_ERROR`; `code` is then the first reason, or `LOOKUP_FAILED` when there is
 * none), 403 for a number the policy blocks — also when the live status could not be had
 * but an identity signal blocks it (`NUMBER_REASSIGNED`, `SIM_SWAPPED`). The body
 * never contains the phone number. Useful in a custom `onBlocked`.
 *
 * @example
 * ```ts
 * const { status, headers, body } = decisionToProblem(decision);
 * res.writeHead(status, headers).end(body);
 * ```
 */
export function decisionToProblem(decision: Decision): PhoneGuardProblemResponse {
  const reasons = [...decision.reasons];
  let problem: PhoneGuardProblem;
  if (reasons.includes('PHONE_INVALID')) {
    problem = {
      type: 'urn:phone-guard:problem:invalid-phone',
      title: 'Invalid phone number',
      status: 422,
      detail: decision.error?.message ?? 'This is not a valid phone number.',
      code: reasons[0] ?? 'PHONE_INVALID',
      reasons,
      errorCode: decision.error?.code ?? 'PHONE_INVALID',
    };
  } else if (
    (reasons.includes('LOOKUP_FAILED') || decision.error !== null) &&
    verdictReason(reasons) === undefined
  ) {
    // No verdict could be had: the look-up failed, or the policy did (`POLICY_ERROR`).
    problem = {
      type: 'urn:phone-guard:problem:lookup-unavailable',
      title: 'Phone number check unavailable',
      status: 503,
      detail: 'The phone number could not be checked right now. Please try again later.',
      code: reasons[0] ?? 'LOOKUP_FAILED',
      reasons,
    };
  } else {
    // A verdict about the number (e.g. NUMBER_REASSIGNED from the add-ons) is the answer,
    // even when another signal could not be had: the app can offer another factor.
    const code = verdictReason(reasons) ?? reasons[0] ?? 'STATUS_UNKNOWN';
    problem = {
      type: 'urn:phone-guard:problem:phone-blocked',
      title: 'Phone number not accepted',
      status: 403,
      detail: BLOCK_DETAILS[code] ?? 'This phone number is not accepted here.',
      code,
      reasons,
    };
  }
  // A 503 says when trying again may help, when the guard knows (breaker cool-down,
  // budget window, the upstream's own Retry-After): RFC 9110 delay-seconds, rounded up.
  const retryAfterMs = problem.status === 503 ? decision.error?.retryAfterMs : undefined;
  return {
    status: problem.status,
    headers:
      retryAfterMs === undefined
        ? PROBLEM_HEADERS
        : Object.freeze({
            ...PROBLEM_HEADERS,
            'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
          }),
    problem,
    body: JSON.stringify(problem),
  };
}
