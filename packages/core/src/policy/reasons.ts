/** Reason arrays and action severity, shared by every policy evaluation. */
import type { DecisionAction, DecisionReason } from '../model/decision.js';

const SEVERITY: Readonly<Record<DecisionAction, number>> = { allow: 0, flag: 1, block: 2 };

/** The more severe of two actions (`block` > `flag` > `allow`). */
export function severer(a: DecisionAction, b: DecisionAction): DecisionAction {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** Interned, frozen reason arrays, so that equal verdicts share one array. */
const reasonArrays = new Map<string, DecisionReason[]>();

/** The shared frozen array holding `reasons` (at most a few dozen distinct ones exist). */
export function internReasons(reasons: readonly DecisionReason[]): DecisionReason[] {
  const key = reasons.join(',');
  let arr = reasonArrays.get(key);
  if (arr === undefined) {
    arr = Object.freeze([...reasons]) as DecisionReason[];
    if (reasonArrays.size < 1024) reasonArrays.set(key, arr);
  }
  return arr;
}

/**
 * Every reason a custom policy function may give (the identity-signal reasons are the
 * declarative rules' own: a function does not see those signals).
 */
export const POLICY_REASONS: ReadonlySet<string> = new Set<DecisionReason>([
  'PHONE_INVALID',
  'SUBSCRIBER_DISCONNECTED',
  'DEVICE_UNREACHABLE',
  'DEVICE_UNAVAILABLE',
  'ROAMING',
  'ROAMING_COUNTRY_NOT_ALLOWED',
  'RISKY_PHONE_TYPE',
  'STATUS_UNKNOWN',
  'LOOKUP_FAILED',
  'LOOKUP_TIMEOUT',
  'CIRCUIT_OPEN',
  'BUDGET_EXCEEDED',
]);
