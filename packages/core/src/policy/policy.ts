import type { DecisionAction, DecisionReason } from '../model/decision.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import type { NormalizedPhone } from '../model/phone.js';
import { type LiveStatus, USE_CASES, type UseCase } from '../model/types.js';
import {
  REASSIGNMENT_DEFAULTS,
  type ReassignmentRules,
  type ResolvedReassignmentRules,
  type ResolvedSimSwapRules,
  resolveReassignmentRules,
  resolveSimSwapRules,
  SIM_SWAP_DEFAULTS,
  type SimSwapRules,
} from './signal-rules.js';

/** What a policy rule does when it matches: nothing (`allow`), mark (`flag`) or refuse (`block`). */
export type PolicyAction = DecisionAction;

/** The names of the built-in policies. */
export type PolicyPresetName = 'signup' | 'passwordReset';

/**
 * A declarative policy: one action per live-status outcome. The decision's action is the
 * most severe action of every rule that matched (`block` > `flag` > `allow`); its reasons
 * are the reasons of the rules that matched with `flag` or `block`. A rule left out means
 * `allow`, unless `extends` names a preset, whose value then applies.
 *
 * Declarative policies are static, so the guard computes each cached number's decision
 * once and serves it from the cache without re-evaluating.
 *
 * @example
 * ```ts
 * const policy: PolicyRules = { extends: 'signup', phoneTypes: { '5': 'block' } };
 * ```
 */
export interface PolicyRules {
  /**
   * A preset whose rules apply wherever this object says nothing.
   * @default undefined (unspecified rules are `allow`)
   */
  extends?: PolicyPresetName | undefined;
  /**
   * The Telesign use case (`ucid`) sent with look-ups made under this policy, unless
   * `check()` or the guard's `useCase` option says otherwise.
   * @default the preset's (`BACS` for signup, `PWRT` for passwordReset), else `'OTHR'`
   */
  useCase?: UseCase | undefined;
  /** Subscriber status `DISCONNECTED` (reason `SUBSCRIBER_DISCONNECTED`). @default 'allow' */
  disconnected?: PolicyAction | undefined;
  /**
   * Subscriber status `UNKNOWN`, including Telesign's -60001 "live data not found" and
   * values outside the documented set (reason `STATUS_UNKNOWN`).
   * @default 'allow'
   */
  unknown?: PolicyAction | undefined;
  /** Device status `UNREACHABLE`: handset off or out of coverage (reason `DEVICE_UNREACHABLE`). @default 'allow' */
  unreachable?: PolicyAction | undefined;
  /**
   * Device status `UNAVAILABLE` or unrecognised, for a number whose subscriber status is
   * known (reason `DEVICE_UNAVAILABLE`).
   * @default 'allow'
   */
  deviceUnavailable?: PolicyAction | undefined;
  /**
   * Roaming `YES` — in a country of `roamingCountries` when that list is given, anywhere
   * otherwise (reason `ROAMING`).
   * @default 'allow'
   */
  roaming?: PolicyAction | undefined;
  /**
   * ISO 3166-1 alpha-2 countries where roaming is acceptable. When given, roaming
   * anywhere else (or in an unnamed country) gets `roamingOutsideCountries`.
   * @default undefined (no list)
   */
  roamingCountries?: readonly string[] | undefined;
  /**
   * Roaming outside `roamingCountries` (reason `ROAMING_COUNTRY_NOT_ALLOWED`). Only used
   * when `roamingCountries` is given.
   * @default 'flag'
   */
  roamingOutsideCountries?: PolicyAction | undefined;
  /**
   * Actions by Telesign phone type code (a string): `'5'` VoIP, `'9'` premium/restricted,
   * `'4'` toll-free, `'3'` prepaid … (reason `RISKY_PHONE_TYPE`, also when the action is
   * `flag`). With `extends`, these are merged over the preset's map.
   * @default {}
   */
  phoneTypes?: Readonly<Record<string, PolicyAction>> | undefined;
  /**
   * Ask for the number-deactivation add-on and act on its verdict ("reassigned since
   * `check({ lastVerifiedAt })`?"): `true` or an object turns it on (actions default to
   * block `NUMBER_REASSIGNED`, flag `REASSIGNMENT_UNKNOWN`), `false` turns it off. Each
   * request is billed; without `lastVerifiedAt` the add-on is not asked and the verdict
   * is unknown.
   * @default false (the preset's with `extends`: on for `passwordReset`)
   */
  reassignment?: boolean | ReassignmentRules | undefined;
  /**
   * Ask for the SIM-swap add-on and act on its risk: `true` or an object turns it on
   * (actions default to block risk 3–4, flag risk 2, allow unknown), `false` turns it
   * off. Each request is billed.
   * @default false (the preset's with `extends`: on for `passwordReset`)
   */
  simSwap?: boolean | SimSwapRules | undefined;
}

/** What a policy concluded about one live status. */
export interface PolicyVerdict {
  action: DecisionAction;
  reasons: DecisionReason[];
}

/** Context passed to a {@link PolicyFunction}. */
export interface PolicyContext {
  /** The use case of the check being decided. */
  useCase: UseCase;
}

/**
 * A custom policy. Called for every decision that has a live status (it is not cached);
 * it must be synchronous, fast and must not throw (if it throws or returns something
 * unusable, the check follows the fail mode with error code `POLICY_ERROR`).
 *
 * @example
 * ```ts
 * const policy: PolicyFunction = (status) =>
 *   status.subscriberStatus === 'DISCONNECTED'
 *     ? { action: 'block', reasons: ['SUBSCRIBER_DISCONNECTED'] }
 *     : { action: 'allow', reasons: [] };
 * ```
 */
export type PolicyFunction = (
  status: LiveStatus,
  phone: NormalizedPhone,
  context: PolicyContext,
) => PolicyVerdict;

/** Everything the guard's `policy` option accepts. */
export type PolicyOption = PolicyPresetName | PolicyRules | PolicyFunction;

/** A fully specified declarative policy (every rule present). */
export interface ResolvedPolicyRules {
  readonly useCase: UseCase;
  readonly disconnected: PolicyAction;
  readonly unknown: PolicyAction;
  readonly unreachable: PolicyAction;
  readonly deviceUnavailable: PolicyAction;
  readonly roaming: PolicyAction;
  readonly roamingCountries: readonly string[] | null;
  readonly roamingOutsideCountries: PolicyAction;
  readonly phoneTypes: Readonly<Record<string, PolicyAction>>;
  /** The number-deactivation rules, or `null`: the add-on is not asked for. */
  readonly reassignment: ResolvedReassignmentRules | null;
  /** The SIM-swap rules, or `null`: the add-on is not asked for. */
  readonly simSwap: ResolvedSimSwapRules | null;
}

/**
 * The built-in policies. Their reasoning is in the README ("Policies").
 *
 * - `signup` (ucid `BACS`): a disconnected number cannot receive the verification code
 *   and is a classic fake-signup signal, so it is blocked; everything that is merely
 *   uncertain (unreachable handset, unknown status, VoIP, toll-free) is flagged so the
 *   application can ask for more; numbers that cannot belong to a person's handset (pager,
 *   payphone, invalid, premium) are blocked. Roaming is normal for travellers: allowed.
 * - `passwordReset` (ucid `PWRT`): a disconnected number may already be recycled to a
 *   stranger, so a reset through it is blocked; roaming, an unreachable handset, an
 *   unknown status and VoIP are flagged (take-over signals, but blocking them would lock
 *   out real owners, so the application picks a second factor instead). It also asks for
 *   both identity signals: a number reassigned since `lastVerifiedAt` and a SIM swap
 *   within 72 hours (risk 3–4) are blocked; an unknown reassignment verdict and a swap
 *   within 14 days (risk 2) are flagged. `signup` never asks for them (billed add-ons).
 */
export const POLICY_PRESETS: Readonly<Record<PolicyPresetName, ResolvedPolicyRules>> =
  Object.freeze({
    signup: Object.freeze({
      useCase: 'BACS',
      disconnected: 'block',
      unknown: 'flag',
      unreachable: 'flag',
      deviceUnavailable: 'allow',
      roaming: 'allow',
      roamingCountries: null,
      roamingOutsideCountries: 'flag',
      reassignment: null,
      simSwap: null,
      phoneTypes: Object.freeze({
        '4': 'flag',
        '5': 'flag',
        '6': 'block',
        '7': 'block',
        '8': 'block',
        '9': 'block',
      }),
    }),
    passwordReset: Object.freeze({
      useCase: 'PWRT',
      disconnected: 'block',
      unknown: 'flag',
      unreachable: 'flag',
      deviceUnavailable: 'allow',
      roaming: 'flag',
      roamingCountries: null,
      roamingOutsideCountries: 'flag',
      reassignment: REASSIGNMENT_DEFAULTS,
      simSwap: SIM_SWAP_DEFAULTS,
      phoneTypes: Object.freeze({
        '5': 'flag',
        '6': 'block',
        '7': 'block',
        '8': 'block',
        '9': 'block',
      }),
    }),
  } satisfies Record<PolicyPresetName, ResolvedPolicyRules>);

const DEFAULT_RULES: ResolvedPolicyRules = Object.freeze({
  useCase: 'OTHR',
  disconnected: 'allow',
  unknown: 'allow',
  unreachable: 'allow',
  deviceUnavailable: 'allow',
  roaming: 'allow',
  roamingCountries: null,
  roamingOutsideCountries: 'flag',
  phoneTypes: Object.freeze({}),
  reassignment: null,
  simSwap: null,
});

/** A policy ready for evaluation: static rules, or a custom function. */
export type ResolvedPolicy =
  | { readonly kind: 'rules'; readonly useCase: UseCase; readonly rules: ResolvedPolicyRules }
  | { readonly kind: 'function'; readonly useCase: UseCase; readonly fn: PolicyFunction };

const ACTIONS: readonly string[] = ['allow', 'flag', 'block'];
const RULE_KEYS = new Set([
  'extends',
  'useCase',
  'disconnected',
  'unknown',
  'unreachable',
  'deviceUnavailable',
  'roaming',
  'roamingCountries',
  'roamingOutsideCountries',
  'phoneTypes',
  'reassignment',
  'simSwap',
]);

function isAction(v: unknown): v is PolicyAction {
  return typeof v === 'string' && ACTIONS.includes(v);
}

const USE_CASE_SET: ReadonlySet<string> = new Set(USE_CASES);

/** True for one of Telesign's 14 use-case codes. */
export function isUseCase(v: unknown): v is UseCase {
  return typeof v === 'string' && USE_CASE_SET.has(v);
}

/** Whether a resolved policy asks for an identity signal (and so for a billed add-on). */
export function asksForSignals(policy: ResolvedPolicy): boolean {
  return (
    policy.kind === 'rules' && (policy.rules.reassignment !== null || policy.rules.simSwap !== null)
  );
}

/**
 * Validates the `policy` option and fills in every default. Throws
 * {@link PhoneGuardOptionError} for unknown keys or impossible values.
 *
 * @example
 * ```ts
 * const p = resolvePolicy({ extends: 'signup', roaming: 'flag' });
 * ```
 */
export function resolvePolicy(option: unknown, path = 'policy'): ResolvedPolicy {
  if (option === undefined) option = 'signup';
  if (typeof option === 'string') {
    if (option !== 'signup' && option !== 'passwordReset') {
      throw new PhoneGuardOptionError(
        path,
        `must be 'signup', 'passwordReset', a rules object or a function, got ${JSON.stringify(option)}`,
      );
    }
    const rules = POLICY_PRESETS[option];
    return Object.freeze({ kind: 'rules', useCase: rules.useCase, rules });
  }
  if (typeof option === 'function') {
    return Object.freeze({ kind: 'function', useCase: 'OTHR', fn: option as PolicyFunction });
  }
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    throw new PhoneGuardOptionError(
      path,
      "must be 'signup', 'passwordReset', a rules object or a function",
    );
  }
  const o = option as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!RULE_KEYS.has(key)) {
      throw new PhoneGuardOptionError(
        `${path}.${key}`,
        `is not a policy rule (known: ${[...RULE_KEYS].join(', ')})`,
      );
    }
  }
  let base = DEFAULT_RULES;
  if (o.extends !== undefined) {
    if (o.extends !== 'signup' && o.extends !== 'passwordReset') {
      throw new PhoneGuardOptionError(
        `${path}.extends`,
        `must be 'signup' or 'passwordReset', got ${JSON.stringify(o.extends)}`,
      );
    }
    base = POLICY_PRESETS[o.extends];
  }
  if (o.useCase !== undefined && !isUseCase(o.useCase)) {
    throw new PhoneGuardOptionError(
      `${path}.useCase`,
      `must be one of ${USE_CASES.join(', ')}, got ${JSON.stringify(o.useCase)}`,
    );
  }
  const action = (key: keyof ResolvedPolicyRules): PolicyAction => {
    const v = o[key];
    if (v === undefined) return base[key] as PolicyAction;
    if (!isAction(v)) {
      throw new PhoneGuardOptionError(
        `${path}.${key}`,
        `must be 'allow', 'flag' or 'block', got ${JSON.stringify(v)}`,
      );
    }
    return v;
  };
  let roamingCountries: readonly string[] | null = base.roamingCountries;
  if (o.roamingCountries !== undefined) {
    const list = o.roamingCountries;
    if (
      !Array.isArray(list) ||
      list.some((c) => typeof c !== 'string' || !/^[A-Z]{2}$/.test(c as string))
    ) {
      throw new PhoneGuardOptionError(
        `${path}.roamingCountries`,
        'must be an array of upper-case ISO 3166-1 alpha-2 codes such as "CA"',
      );
    }
    roamingCountries = Object.freeze([...(list as string[])]);
  }
  let phoneTypes = base.phoneTypes;
  if (o.phoneTypes !== undefined) {
    const map = o.phoneTypes;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      throw new PhoneGuardOptionError(
        `${path}.phoneTypes`,
        'must be an object of Telesign phone type codes to actions, e.g. { "5": "flag" }',
      );
    }
    const merged: Record<string, PolicyAction> = { ...base.phoneTypes };
    for (const [code, a] of Object.entries(map as Record<string, unknown>)) {
      if (!/^\d{1,3}$/.test(code)) {
        throw new PhoneGuardOptionError(
          `${path}.phoneTypes`,
          `has key ${JSON.stringify(code)}; keys are Telesign phone type codes such as "5" (VoIP)`,
        );
      }
      if (!isAction(a)) {
        throw new PhoneGuardOptionError(
          `${path}.phoneTypes.${code}`,
          `must be 'allow', 'flag' or 'block', got ${JSON.stringify(a)}`,
        );
      }
      merged[code] = a;
    }
    phoneTypes = Object.freeze(merged);
  }
  const rules: ResolvedPolicyRules = Object.freeze({
    useCase: (o.useCase as UseCase | undefined) ?? base.useCase,
    disconnected: action('disconnected'),
    unknown: action('unknown'),
    unreachable: action('unreachable'),
    deviceUnavailable: action('deviceUnavailable'),
    roaming: action('roaming'),
    roamingCountries,
    roamingOutsideCountries: action('roamingOutsideCountries'),
    phoneTypes,
    reassignment: resolveReassignmentRules(
      o.reassignment,
      `${path}.reassignment`,
      base.reassignment,
    ),
    simSwap: resolveSimSwapRules(o.simSwap, `${path}.simSwap`, base.simSwap),
  });
  return Object.freeze({ kind: 'rules', useCase: rules.useCase, rules });
}
