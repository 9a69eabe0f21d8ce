/**
 * Checks whose policy asks for identity signals (number deactivation, SIM swap): the Live
 * status and the add-on records are fetched in parallel — a check costs the slower of
 * the two, not their sum — then the policy's signal rules are applied on top of its
 * live-status verdict. Answered without I/O when both are fresh in process.
 */
import type { AddonAnswer, AddonAsk, AddonCache, AddonResult } from '../cache/addon-cache.js';
import type { CachedDeactivation, CachedSimSwap } from '../cache/addon-records.js';
import type { StatusCache } from '../cache/status-cache.js';
import type { Decision, ReassignmentSignal, SimSwapSignal } from '../model/decision.js';
import { maskPhone } from '../model/mask.js';
import type { UseCase } from '../model/types.js';
import type { ResolvedPolicyRules } from '../policy/policy.js';
import { evaluateSignals } from '../policy/signal-rules.js';
import { type AddonFailure, isAddonFailure } from '../signals/addon-status-reason.js';
import { readLastVerifiedAt, type VerifiedAt } from '../signals/last-verified-at.js';
import { judgeReassignment } from '../signals/reassignment.js';
import { judgeSimSwap } from '../signals/sim-swap.js';
import { mergeFailures, recordFailure } from './addon-failures.js';
import { errorCodeOf, type GuardLog } from './guard-log.js';
import type { PendingCheck } from './miss-path.js';
import { type FailureInfo, GUARD_CLOSED, type Outcomes } from './outcomes.js';
import type { PolicyHandle, RoutePolicies } from './route-policies.js';
import type { GuardCounters } from './stats.js';

/** A pending check that also waits for identity signals. */
export interface SignalPending extends PendingCheck {
  readonly signals: {
    readonly verified: VerifiedAt;
    readonly ask: AddonAsk;
    /** The Live entry was fresh: only the add-ons are missing. */
    readonly liveFresh: boolean;
  };
}

/** What the signal path works with. */
export interface SignalPathParts {
  readonly cache: StatusCache;
  /** The add-on cache, or `null` when the provider cannot answer add-on requests. */
  readonly addons: AddonCache | null;
  readonly policies: RoutePolicies;
  readonly outcomes: Outcomes;
  readonly counters: GuardCounters;
  readonly log: GuardLog;
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly missPath: (check: PendingCheck) => Promise<Decision>;
  readonly isClosed: () => boolean;
  /** The guard's `name`, carried by its `cache` events. */
  readonly guardName: string | undefined;
}

const UNSUPPORTED: AddonFailure = Object.freeze({ failure: 'PROVIDER_UNSUPPORTED' });
const CLOSED: AddonFailure = Object.freeze({ failure: 'GUARD_CLOSED' });
const REASON_CODES = { timeout: 'LOOKUP_TIMEOUT', aborted: 'ABORTED', closed: 'GUARD_CLOSED' };

/** The rules of a policy that asks for signals, or `null`. Allocation-free (hot path). */
function signalRulesOf(handle: PolicyHandle): ResolvedPolicyRules | null {
  const policy = handle.policy;
  if (policy.kind !== 'rules') return null;
  const { rules } = policy;
  return rules.reassignment === null && rules.simSwap === null ? null : rules;
}

function isSignalPending(check: PendingCheck): check is SignalPending {
  return 'signals' in check;
}

function failureOf<R>(result: AddonResult<R>): R | AddonFailure {
  if (result.ok) return result.record;
  const failure =
    result.reason === 'failed' ? errorCodeOf(result.error) : REASON_CODES[result.reason];
  return { failure };
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** One signal's record, the failure of its request, or nothing (see `combine`). */
type Had<R> = R | AddonFailure | undefined;

/** The identity-signal side of one guard. */
export class SignalPath {
  /** Use case of the check that asked the add-ons of a number last, while it waits. */
  private readonly askers = new Map<string, UseCase>();

  constructor(private readonly parts: SignalPathParts) {}

  /** Counts a check whose Live status came fresh from the in-process cache (published with its decision). */
  private liveHit(): void {
    this.parts.counters.hits++;
  }

  /**
   * The decision of a check whose policy asks for signals, when both the Live status and
   * the records are fresh in process; else the pending check to hand to
   * {@link decideAfterLookup}. `check.entry` and `check.time` are the Live cache's.
   */
  start(check: PendingCheck, lastVerifiedAt: unknown): Decision | SignalPending {
    const { cache, addons, policies } = this.parts;
    const rules = signalRulesOf(check.policy) as ResolvedPolicyRules;
    const verified = readLastVerifiedAt(lastVerifiedAt, this.parts.now());
    if (rules.reassignment !== null) this.noteVerified(verified);
    if (addons === null) this.noteUnsupported();
    const ask: AddonAsk = {
      deactivation: addons !== null && rules.reassignment !== null && verified.ok,
      simSwap: addons !== null && rules.simSwap !== null,
      lastVerifiedAt: verified.ok ? verified : undefined,
    };
    const { entry, phone } = check;
    const liveFresh = entry !== undefined && cache.freshUntil(entry) > check.time;
    const deactivation = ask.deactivation ? addons?.peek('deactivation', phone.e164) : undefined;
    const simSwap = ask.simSwap ? addons?.peek('simSwap', phone.e164) : undefined;
    const recordsFresh =
      (!ask.deactivation || deactivation !== undefined) && (!ask.simSwap || simSwap !== undefined);
    if (liveFresh && recordsFresh) {
      this.liveHit();
      const live = policies.hitDecision(check.policy, entry, phone, check.useCase, check.failMode);
      const answer: AddonAnswer = {};
      if (deactivation !== undefined) answer.deactivation = { ok: true, record: deactivation };
      if (simSwap !== undefined) answer.simSwap = { ok: true, record: simSwap };
      return this.combine(live, rules, verified, answer, check);
    }
    return { ...check, signals: { verified, ask, liveFresh } };
  }

  /** Decides a pending check: with its signals when it has them, else by the miss path. */
  readonly decideAfterLookup = async (check: PendingCheck): Promise<Decision> => {
    const { missPath, addons, policies, isClosed, timeoutMs } = this.parts;
    if (!isSignalPending(check)) return missPath(check);
    const { verified, ask, liveFresh } = check.signals;
    const rules = signalRulesOf(check.policy) as ResolvedPolicyRules;
    let live: Decision | Promise<Decision>;
    if (liveFresh && check.entry !== undefined) {
      this.liveHit();
      const { policy, entry, phone, useCase, failMode } = check;
      live = policies.hitDecision(policy, entry, phone, useCase, failMode);
    } else live = missPath(check);
    const wanted = ask.deactivation || ask.simSwap;
    const records: Promise<AddonAnswer | null> =
      addons === null || !wanted || isClosed()
        ? Promise.resolve(null)
        : this.loadRecords(addons, check, ask, timeoutMs);
    const [settled, answer] = await Promise.all([live, records]);
    // The caller gave up while the add-ons were still out: the check as a whole is aborted.
    const { outcomes } = this.parts;
    const decision =
      check.signal?.aborted && settled.error === null
        ? outcomes.aborted(check.phone, check.useCase, check.failMode)
        : settled;
    return this.combine(decision, rules, verified, answer ?? this.noAnswer(ask), check);
  };

  /** The use case of the check waiting for the add-ons of `e164`, for its `lookup` event. */
  useCaseOf(e164: string): UseCase | undefined {
    return this.askers.get(e164);
  }

  private loadRecords(
    addons: AddonCache,
    check: PendingCheck,
    ask: AddonAsk,
    timeoutMs: number,
  ): Promise<AddonAnswer> {
    const { e164 } = check.phone;
    const { askers } = this;
    askers.set(e164, check.useCase);
    return addons.load(e164, ask, { signal: check.signal, timeoutMs }).finally(() => {
      if (askers.get(e164) === check.useCase) askers.delete(e164);
    });
  }

  /** What a check gets for add-ons it could not ask: closed guard, or nothing asked. */
  private noAnswer(ask: AddonAsk): AddonAnswer {
    if (!this.parts.isClosed()) return {};
    const closed = { ok: false, reason: 'closed', error: undefined } as const;
    return {
      ...(ask.deactivation ? { deactivation: closed } : {}),
      ...(ask.simSwap ? { simSwap: closed } : {}),
    };
  }

  /**
   * The check's decision: the live one with the signals' verdict. A signal whose request
   * failed (rather than Telesign having no data) makes the check follow the fail mode,
   * unless a verdict about the number blocks anyway (see `Outcomes.withSignals`).
   */
  private combine(
    decision: Decision,
    rules: ResolvedPolicyRules,
    verified: VerifiedAt,
    answer: AddonAnswer,
    check: PendingCheck,
  ): Decision {
    const { addons, outcomes, now } = this.parts;
    const e164 = check.phone.e164;
    let reassignment: ReassignmentSignal | undefined;
    let reassignmentFailure: FailureInfo | undefined;
    if (rules.reassignment !== null) {
      let record: Had<CachedDeactivation>;
      if (addons === null) record = UNSUPPORTED;
      else if (answer.deactivation) record = failureOf(answer.deactivation);
      // Not asked (no usable lastVerifiedAt): still show a cached record's dates.
      else record = this.parts.isClosed() ? CLOSED : addons.peek('deactivation', e164);
      reassignment = judgeReassignment(record, verified);
      // A record peeked but not asked for is not this check's failure.
      if (answer.deactivation || record === CLOSED) {
        reassignmentFailure = this.failureInfo(record, answer.deactivation);
      }
      if (
        reassignment.verdict === 'reassigned' &&
        reassignment.telesignVerdict === 'not_recycled'
      ) {
        this.noteDisagreement(e164, reassignment);
      }
    }
    let simSwap: SimSwapSignal | undefined;
    let simSwapFailure: FailureInfo | undefined;
    if (rules.simSwap !== null) {
      let record: CachedSimSwap | AddonFailure = UNSUPPORTED;
      if (answer.simSwap) record = failureOf(answer.simSwap);
      else if (addons !== null) record = CLOSED;
      simSwap = judgeSimSwap(record, now());
      simSwapFailure = this.failureInfo(record, answer.simSwap);
    }
    const failed = {
      reassignment: reassignmentFailure !== undefined,
      simSwap: simSwapFailure !== undefined,
    };
    const verdict = evaluateSignals(
      rules.reassignment,
      rules.simSwap,
      reassignment,
      simSwap,
      failed,
    );
    const failure = mergeFailures(reassignmentFailure, simSwapFailure);
    if (failure === undefined)
      return outcomes.withSignals(decision, verdict, reassignment, simSwap);
    // What the signals that were had say alone: a block there cannot be undone.
    const known = evaluateSignals(
      rules.reassignment,
      rules.simSwap,
      failed.reassignment ? undefined : reassignment,
      failed.simSwap ? undefined : simSwap,
    );
    const settled =
      (decision.action === 'block' && decision.error === null) || known.action === 'block';
    return outcomes.withSignals(decision, verdict, reassignment, simSwap, {
      info: failure,
      failMode: check.failMode,
      settled,
    });
  }

  /**
   * Why a signal could not be had, or `undefined` when it was (data, or no data): its
   * request failed or was not made (closed guard), or its add-on said it could not answer.
   * A provider without add-ons is a deployment choice, warned once: no data, not a failure.
   */
  private failureInfo<R extends CachedDeactivation | CachedSimSwap>(
    record: Had<R>,
    result: AddonResult<R> | undefined,
  ): FailureInfo | undefined {
    if (record === undefined || record === UNSUPPORTED) return undefined;
    if (!isAddonFailure(record)) return recordFailure(record);
    if (result === undefined || result.ok || result.reason === 'closed') return GUARD_CLOSED;
    return this.parts.outcomes.lookupFailure({ reason: result.reason, error: result.error });
  }

  private noteVerified(verified: VerifiedAt): void {
    if (verified.ok) return;
    const { log } = this.parts;
    if (verified.reason === 'NO_LAST_VERIFIED_AT') {
      log.warnOnce(
        'lastVerifiedAtMissing',
        'phone-guard: a check whose policy asks for the reassignment signal got no lastVerifiedAt: its verdict is unknown (REASSIGNMENT_UNKNOWN) and the number-deactivation add-on is not asked. Pass check(phone, { lastVerifiedAt }), or getLastVerifiedAt in the middleware (logged once)',
      );
    } else {
      log.warnOnce(
        `lastVerifiedAt:${verified.reason}`,
        `phone-guard: check() got a lastVerifiedAt that cannot be used (${verified.reason}: a Date, an ISO 8601 string or epoch milliseconds, from 2000 to now): the reassignment verdict is unknown (logged once)`,
      );
    }
  }

  private noteUnsupported(): void {
    this.parts.log.warnOnce(
      'addonsUnsupported',
      'phone-guard: the policy asks for identity signals (number deactivation, SIM swap), but the provider has no getPhoneIdAddons(): those signals are unknown (PROVIDER_UNSUPPORTED), never a pass. Use the Telesign client, or turn them off with policy: { extends: "passwordReset", reassignment: false, simSwap: false } (logged once)',
    );
  }

  private noteDisagreement(e164: string, signal: ReassignmentSignal): void {
    const last = signal.lastDeactivatedAt === null ? '?' : day(signal.lastDeactivatedAt);
    const verifiedDay = signal.lastVerifiedAt === null ? '?' : day(signal.lastVerifiedAt);
    this.parts.log.warnOnce(
      'telesignNotRecycled',
      `phone-guard: Telesign says not_recycled for ${maskPhone(e164)}, but it was last deactivated on ${last}, on or after the day of lastVerifiedAt (${verifiedDay}): the verdict stays reassigned (fail safe) (logged once)`,
    );
  }
}
