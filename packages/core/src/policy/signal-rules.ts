/**
 * The identity-signal part of a declarative policy: what to do with the
 * number-deactivation verdict and the SIM-swap risk, and whether to ask for them at all
 * (each add-on request is billed).
 */
import type {
  DecisionAction,
  DecisionReason,
  ReassignmentSignal,
  SimSwapSignal,
} from '../model/decision.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import { describe, optionObject, optionPath } from '../options/checks.js';
import { internReasons, severer } from './reasons.js';

type Action = DecisionAction;

/**
 * Rules for the number-deactivation signal ("was the number reassigned since the user
 * last proved it?"). Needs `check(input, { lastVerifiedAt })`.
 */
export interface ReassignmentRules {
  /**
   * The number was deactivated on or after the day of `lastVerifiedAt` (reason
   * `NUMBER_REASSIGNED`). A deactivation is not always a new owner (a port can show up as
   * one), so refuse the SMS and offer another factor rather than locking the account.
   * @default 'block'
   */
  reassigned?: Action | undefined;
  /**
   * No verdict: no or an unusable `lastVerifiedAt`, a coverage gap, no data, an add-on
   * status or a failed request (reason `REASSIGNMENT_UNKNOWN`). No data is not "safe".
   * @default 'flag'
   */
  unknown?: Action | undefined;
}

/** Rules for the SIM-swap signal. */
export interface SimSwapRules {
  /** Risk 3 or 4: a swap within 72 hours (reason `SIM_SWAPPED`). @default 'block' */
  highRisk?: Action | undefined;
  /** Risk 2: a swap 3 to 14 days ago (reason `SIM_SWAPPED`). @default 'flag' */
  lowRisk?: Action | undefined;
  /**
   * No risk known: no data for the number, an add-on status or a failed request (reason
   * `SIM_SWAP_UNKNOWN`).
   * @default 'allow'
   */
  unknown?: Action | undefined;
}

/** {@link ReassignmentRules} with every rule present. */
export interface ResolvedReassignmentRules {
  readonly reassigned: Action;
  readonly unknown: Action;
}

/** {@link SimSwapRules} with every rule present. */
export interface ResolvedSimSwapRules {
  readonly highRisk: Action;
  readonly lowRisk: Action;
  readonly unknown: Action;
}

/** Defaults of `reassignment: true` or `{}` (the `passwordReset` preset's). */
export const REASSIGNMENT_DEFAULTS: ResolvedReassignmentRules = Object.freeze({
  reassigned: 'block',
  unknown: 'flag',
});

/** Defaults of `simSwap: true` or `{}` (the `passwordReset` preset's). */
export const SIM_SWAP_DEFAULTS: ResolvedSimSwapRules = Object.freeze({
  highRisk: 'block',
  lowRisk: 'flag',
  unknown: 'allow',
});

const ACTIONS: readonly string[] = ['allow', 'flag', 'block'];

/**
 * Reads one signal's rules: `undefined` keeps `base` (the preset's, or off), `false` turns
 * the signal off, `true` turns it on with `base`'s actions (or `defaults`), an object
 * overrides them one by one. Throws {@link PhoneGuardOptionError}.
 */
function resolveSignal<R extends object>(
  value: unknown,
  path: string,
  base: R | null,
  defaults: R,
): R | null {
  if (value === undefined) return base;
  if (value === false) return null;
  const from = base ?? defaults;
  if (value === true) return from;
  const keys = Object.keys(defaults);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PhoneGuardOptionError(
      path,
      `must be true, false or an object of actions (${keys.join(', ')}), got ${describe(value)}`,
    );
  }
  const given = optionObject(value, path, keys);
  const out: Record<string, Action> = { ...(from as Record<string, Action>) };
  for (const key of keys) {
    const action = given?.[key];
    if (action === undefined) continue;
    if (typeof action !== 'string' || !ACTIONS.includes(action)) {
      throw new PhoneGuardOptionError(
        optionPath(path, key),
        `must be 'allow', 'flag' or 'block', got ${describe(action)}`,
      );
    }
    out[key] = action as Action;
  }
  return Object.freeze(out) as R;
}

/** The `reassignment` rule of a policy: `null` when the signal is not asked for. */
export function resolveReassignmentRules(
  value: unknown,
  path: string,
  base: ResolvedReassignmentRules | null,
): ResolvedReassignmentRules | null {
  return resolveSignal(value, path, base, REASSIGNMENT_DEFAULTS);
}

/** The `simSwap` rule of a policy: `null` when the signal is not asked for. */
export function resolveSimSwapRules(
  value: unknown,
  path: string,
  base: ResolvedSimSwapRules | null,
): ResolvedSimSwapRules | null {
  return resolveSignal(value, path, base, SIM_SWAP_DEFAULTS);
}

/** What signal rules concluded: the action and reasons to add to the live-status verdict. */
export interface SignalVerdict {
  readonly action: DecisionAction;
  readonly reasons: DecisionReason[];
}

/** Which signals of a check could not be had (their add-on request failed). */
export interface FailedSignals {
  readonly reassignment: boolean;
  readonly simSwap: boolean;
}

const NONE_FAILED: FailedSignals = Object.freeze({ reassignment: false, simSwap: false });

/**
 * Applies signal rules to the signals of one check (each `undefined` when not asked).
 * Reasons come in a fixed order: those whose rule blocks first, then the others;
 * within each, reassignment first, then SIM swap. A signal in `failed`
 * (its request failed, rather than Telesign having no data) always gives its unknown
 * reason, even when its `unknown` rule is `'allow'`: the guard applies the fail mode to
 * it, and the reason says which signal is missing.
 *
 * @example
 * ```ts
 * evaluateSignals(REASSIGNMENT_DEFAULTS, null, { verdict: 'reassigned', … }, undefined);
 * // { action: 'block', reasons: ['NUMBER_REASSIGNED'] }
 * ```
 */
export function evaluateSignals(
  reassignmentRules: ResolvedReassignmentRules | null,
  simSwapRules: ResolvedSimSwapRules | null,
  reassignment: ReassignmentSignal | undefined,
  simSwap: SimSwapSignal | undefined,
  failed: FailedSignals = NONE_FAILED,
): SignalVerdict {
  let action: DecisionAction = 'allow';
  const blocking: DecisionReason[] = [];
  const reasons: DecisionReason[] = [];
  const apply = (a: Action, reason: DecisionReason, always = false): void => {
    if (a === 'allow' && !always) return;
    // Reasons that block come first: the first reason is what a 403 names.
    (a === 'block' ? blocking : reasons).push(reason);
    action = severer(action, a);
  };
  if (reassignmentRules !== null && reassignment !== undefined) {
    if (reassignment.verdict === 'reassigned') {
      apply(reassignmentRules.reassigned, 'NUMBER_REASSIGNED');
    } else if (reassignment.verdict === 'unknown') {
      apply(reassignmentRules.unknown, 'REASSIGNMENT_UNKNOWN', failed.reassignment);
    }
  }
  if (simSwapRules !== null && simSwap !== undefined) {
    const risk = simSwap.risk;
    if (risk === null) apply(simSwapRules.unknown, 'SIM_SWAP_UNKNOWN', failed.simSwap);
    else if (risk >= 3) apply(simSwapRules.highRisk, 'SIM_SWAPPED');
    else if (risk === 2) apply(simSwapRules.lowRisk, 'SIM_SWAPPED');
  }
  return { action, reasons: internReasons([...blocking, ...reasons]) };
}
