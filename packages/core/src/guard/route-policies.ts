/**
 * Per-call policies (`check(input, { policy })`), so that one guard — one cache, budget,
 * breaker and provider — serves routes with different policies. Each distinct value is
 * resolved once and remembered; static (rules) policies also remember their cache-hit
 * decisions, so that hits stay allocation-free on every route.
 */
import type { CacheEntry } from '../cache/status-cache.js';
import type { Decision } from '../model/decision.js';
import type { NormalizedPhone } from '../model/phone.js';
import type { UseCase } from '../model/types.js';
import { isUseCase, POLICY_PRESETS, type ResolvedPolicy, resolvePolicy } from '../policy/policy.js';
import { type GuardLog, scrub } from './guard-log.js';
import type { FailMode } from './options.js';
import { type FailureInfo, type Outcomes, policyInvalid } from './outcomes.js';

/**
 * A policy ready for use by `check()`: the guard's own, or a per-call one resolved once.
 * `hits` holds cache-hit decisions per use case (static policies only).
 */
export interface PolicyHandle {
  readonly policy: ResolvedPolicy;
  /** The use case of checks under this policy that name none. */
  readonly useCase: UseCase;
  readonly hits: Map<UseCase, WeakMap<CacheEntry, Decision>> | null;
  /**
   * Whether the policy asks for identity signals (the Phone ID add-ons), decided once
   * when the handle is made, so that cache hits of other policies do not ask again.
   */
  readonly asksSignals: boolean;
}

/** Whether a resolved policy asks for the reassignment or SIM-swap signal. */
function asksForSignals(policy: ResolvedPolicy): boolean {
  return (
    policy.kind === 'rules' && (policy.rules.reassignment !== null || policy.rules.simSwap !== null)
  );
}

/** Tells a usable policy handle from the reason a per-call policy cannot be used. */
export function isPolicyHandle(value: PolicyHandle | FailureInfo): value is PolicyHandle {
  return 'policy' in value;
}

/** The use case a per-call policy names itself, if any (presets, `useCase`, `extends`). */
function namedUseCase(option: unknown): UseCase | undefined {
  if (option === 'signup' || option === 'passwordReset') return POLICY_PRESETS[option].useCase;
  if (typeof option !== 'object' || option === null) return undefined;
  const { useCase, extends: base } = option as { useCase?: unknown; extends?: unknown };
  if (isUseCase(useCase)) return useCase;
  if (base === 'signup' || base === 'passwordReset') return POLICY_PRESETS[base].useCase;
  return undefined;
}

/** Per-call policies remembered by value (strings) — bounded against unbounded junk. */
const MAX_POLICY_NAMES = 64;

function byIdentity(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** The guard's own policy and every per-call policy it has met. */
export class RoutePolicies {
  /** The guard's own policy and use case. */
  readonly guardDefault: PolicyHandle;
  // Preset names (and junk strings) by value, objects and functions by identity.
  private readonly byName = new Map<unknown, PolicyHandle | FailureInfo>();
  private readonly byObject = new WeakMap<object, PolicyHandle | FailureInfo>();

  /**
   * @param ownValue The guard's `policy` option as given: passing the same value per call
   *   maps to the guard's own handle, so it changes nothing.
   */
  constructor(
    policy: ResolvedPolicy,
    useCase: UseCase,
    ownValue: unknown,
    private readonly outcomes: Outcomes,
    private readonly log: GuardLog,
  ) {
    this.guardDefault = {
      policy,
      useCase,
      hits: policy.kind === 'rules' ? new Map() : null,
      asksSignals: asksForSignals(policy),
    };
    if (byIdentity(ownValue)) this.byObject.set(ownValue, this.guardDefault);
  }

  /** The handle of a per-call `policy` value, or why it cannot be used (`POLICY_INVALID`). */
  handleFor(value: unknown): PolicyHandle | FailureInfo {
    const identity = byIdentity(value);
    let handle = identity ? this.byObject.get(value) : this.byName.get(value);
    if (handle !== undefined) return handle;
    handle = this.resolve(value);
    if (identity) this.byObject.set(value, handle);
    else if (this.byName.size < MAX_POLICY_NAMES) this.byName.set(value, handle);
    return handle;
  }

  /**
   * The cache-hit decision for `entry` under a static policy: the entry's own precomputed
   * one for the guard's default policy and use case, else one remembered per (policy, use
   * case, entry). Dynamic policies (functions) decide every time.
   */
  hitDecision(
    handle: PolicyHandle,
    entry: CacheEntry,
    phone: NormalizedPhone,
    useCase: UseCase,
    failMode: FailMode,
  ): Decision {
    const hits = handle.hits;
    if (hits === null) {
      return this.outcomes.decide(handle.policy, entry.status, phone, useCase, 'cache', failMode);
    }
    if (handle === this.guardDefault && useCase === handle.useCase) {
      entry.decision ??= this.outcomes.decide(
        handle.policy,
        entry.status,
        phone,
        useCase,
        'cache',
        failMode,
      );
      return entry.decision;
    }
    let byEntry = hits.get(useCase);
    if (byEntry === undefined) {
      byEntry = new WeakMap();
      hits.set(useCase, byEntry);
    }
    let decision = byEntry.get(entry);
    if (decision === undefined) {
      decision = this.outcomes.decide(
        handle.policy,
        entry.status,
        phone,
        useCase,
        'cache',
        failMode,
      );
      byEntry.set(entry, decision);
    }
    return decision;
  }

  /** Forgets every remembered cache-hit decision (the policies themselves are kept). */
  clearHits(): void {
    this.guardDefault.hits?.clear();
    for (const handle of this.byName.values()) {
      if (isPolicyHandle(handle)) handle.hits?.clear();
    }
    // Handles of object policies are only reachable through their WeakMap; their hit
    // decisions are keyed by cache entries, which `clear()` has just dropped.
  }

  private resolve(value: unknown): PolicyHandle | FailureInfo {
    const own = this.guardDefault.policy;
    try {
      const resolved = resolvePolicy(value);
      const same =
        resolved === own ||
        (resolved.kind === 'rules' && own.kind === 'rules' && resolved.rules === own.rules);
      if (same) return this.guardDefault;
      return {
        policy: resolved,
        useCase: namedUseCase(value) ?? this.guardDefault.useCase,
        hits: resolved.kind === 'rules' ? new Map() : null,
        asksSignals: asksForSignals(resolved),
      };
    } catch (error) {
      // The option error quotes the value, which could be anything the caller passed.
      const message = scrub(error instanceof Error ? error.message : String(error));
      this.log.errorOnce(
        'policyInvalid',
        `phone-guard: check() was given an invalid policy; such checks follow the fail mode with POLICY_INVALID (logged once): ${message}`,
      );
      return policyInvalid(message);
    }
  }
}
