/** Evaluation of policies: declarative rules and custom functions, on one live status. */
import type { DecisionAction, DecisionReason } from '../model/decision.js';
import type { NormalizedPhone } from '../model/phone.js';
import type { LiveStatus, UseCase } from '../model/types.js';
import type { PolicyAction, PolicyVerdict, ResolvedPolicy, ResolvedPolicyRules } from './policy.js';
import { internReasons, POLICY_REASONS, severer } from './reasons.js';

const ACTIONS: readonly string[] = ['allow', 'flag', 'block'];

function isAction(v: unknown): v is PolicyAction {
  return typeof v === 'string' && ACTIONS.includes(v);
}

/**
 * Applies declarative rules to one live status. Pure: the same status always gives the
 * same verdict (reasons in a fixed order, as an interned frozen array). The identity-signal
 * rules (`reassignment`, `simSwap`) are not applied here: the guard adds their verdict
 * (`evaluateSignals`) once the add-on records are in.
 *
 * @example
 * ```ts
 * evaluateRules(POLICY_PRESETS.signup, status); // { action: 'block', reasons: ['SUBSCRIBER_DISCONNECTED'] }
 * ```
 */
export function evaluateRules(rules: ResolvedPolicyRules, status: LiveStatus): PolicyVerdict {
  let action: DecisionAction = 'allow';
  const reasons: DecisionReason[] = [];
  const apply = (a: PolicyAction, reason: DecisionReason): void => {
    if (a === 'allow') return;
    reasons.push(reason);
    action = severer(action, a);
  };
  const sub = status.subscriberStatus;
  if (sub === 'DISCONNECTED') apply(rules.disconnected, 'SUBSCRIBER_DISCONNECTED');
  else if (sub !== 'ACTIVE') apply(rules.unknown, 'STATUS_UNKNOWN');
  if (sub === 'ACTIVE') {
    const dev = status.deviceStatus;
    if (dev === 'UNREACHABLE') apply(rules.unreachable, 'DEVICE_UNREACHABLE');
    else if (dev !== 'REACHABLE') apply(rules.deviceUnavailable, 'DEVICE_UNAVAILABLE');
  } else if (status.deviceStatus === 'UNREACHABLE') {
    apply(rules.unreachable, 'DEVICE_UNREACHABLE');
  }
  if (status.roaming === 'YES') {
    const list = rules.roamingCountries;
    if (list === null) apply(rules.roaming, 'ROAMING');
    else if (status.roamingCountryIso2 && list.includes(status.roamingCountryIso2.toUpperCase()))
      apply(rules.roaming, 'ROAMING');
    else apply(rules.roamingOutsideCountries, 'ROAMING_COUNTRY_NOT_ALLOWED');
  }
  const typeCode = status.phoneType?.code;
  if (typeCode !== undefined) {
    const a = rules.phoneTypes[typeCode];
    if (a !== undefined) apply(a, 'RISKY_PHONE_TYPE');
  }
  return { action, reasons: internReasons(reasons) };
}

/**
 * Runs a policy. Returns `null` when a custom policy throws or returns something that is
 * not a verdict (the guard then follows its fail mode with `POLICY_ERROR`).
 */
export function evaluatePolicy(
  policy: ResolvedPolicy,
  status: LiveStatus,
  phone: NormalizedPhone,
  useCase: UseCase,
): PolicyVerdict | null {
  if (policy.kind === 'rules') return evaluateRules(policy.rules, status);
  let out: unknown;
  try {
    out = policy.fn(status, phone, { useCase });
  } catch {
    return null;
  }
  if (typeof out !== 'object' || out === null) return null;
  const { action, reasons } = out as { action?: unknown; reasons?: unknown };
  if (!isAction(action)) return null;
  if (reasons === undefined) return { action, reasons: internReasons([]) };
  if (
    !Array.isArray(reasons) ||
    !reasons.every((r) => typeof r === 'string' && POLICY_REASONS.has(r))
  )
    return null;
  return { action, reasons: internReasons(reasons as DecisionReason[]) };
}
