/**
 * The one place a {@link Decision} is built. Every decision is frozen; decisions that do
 * not depend on the number (invalid input) are shared.
 */
import type { LookupResult } from '../cache/status-cache.js';
import type {
  Decision,
  DecisionReason,
  DecisionSource,
  ReassignmentSignal,
  SimSwapSignal,
} from '../model/decision.js';
import { faultOf } from '../model/errors.js';
import type { NormalizedPhone, NormalizeError } from '../model/phone.js';
import type { LiveStatus, UseCase } from '../model/types.js';
import { evaluatePolicy } from '../policy/evaluate.js';
import type { ResolvedPolicy } from '../policy/policy.js';
import { internReasons, severer } from '../policy/reasons.js';
import type { SignalVerdict } from '../policy/signal-rules.js';
import { type GuardErrorCode, retryAfterOf } from './error-codes.js';
import { errorCodeOf, type GuardLog, redactError, scrub } from './guard-log.js';
import type { FailMode } from './options.js';
import type { GuardCounters } from './stats.js';

/** Why a check got no verdict: the decision's error code, message and reasons. */
export interface FailureInfo {
  readonly code: GuardErrorCode | (string & {});
  readonly message: string;
  readonly reasons: DecisionReason[];
  /** When trying again may help (breaker cool-down, budget window, upstream Retry-After). */
  readonly retryAfterMs?: number | undefined;
}

/** A failed {@link LookupResult}. */
type FailedLookup = Extract<LookupResult, { ok: false }>;

/** Checks made after (or waiting during) `close()`. */
export const GUARD_CLOSED: FailureInfo = Object.freeze({
  code: 'GUARD_CLOSED',
  message: 'The guard is closed.',
  reasons: internReasons(['LOOKUP_FAILED']),
});

const ABORTED: FailureInfo = Object.freeze({
  code: 'ABORTED',
  message: 'The check was aborted by its caller.',
  reasons: internReasons(['LOOKUP_FAILED']),
});

const INTERNAL_ERROR: FailureInfo = Object.freeze({
  code: 'INTERNAL_ERROR',
  message: 'phone-guard failed internally.',
  reasons: internReasons(['LOOKUP_FAILED']),
});

/**
 * An identity signal the check's policy asked for that could not be had (see
 * `Outcomes.withSignals`).
 */
export interface SignalFailure {
  /** Why: code, message, reasons (`LOOKUP_FAILED` …), `retryAfterMs`. */
  readonly info: FailureInfo;
  readonly failMode: FailMode;
  /**
   * A verdict about the number blocks without the missing signal (the Live policy's, or a
   * signal that was had): the failure cannot change the action.
   */
  readonly settled: boolean;
}

const NO_REASONS: readonly DecisionReason[] = Object.freeze([]);

/** The frozen `decision.error` of a failure. */
function decisionError(info: FailureInfo): Decision['error'] {
  return Object.freeze(
    info.retryAfterMs === undefined
      ? { code: info.code, message: info.message }
      : { code: info.code, message: info.message, retryAfterMs: info.retryAfterMs },
  );
}

/** Most distinct invalid-input decisions remembered (they depend only on code and use case). */
const MAX_INVALID_DECISIONS = 256;

/** Builds every decision of one guard, and counts the failed ones. */
export class Outcomes {
  private readonly invalidDecisions = new Map<string, Decision>();

  constructor(
    private readonly counters: GuardCounters,
    private readonly log: GuardLog,
    /** The guard's deadline, quoted by timeout messages. */
    private readonly timeoutMs: number,
  ) {}

  /** The policy's verdict on `status`; a policy that fails follows the fail mode (`POLICY_ERROR`). */
  decide(
    policy: ResolvedPolicy,
    status: LiveStatus,
    phone: NormalizedPhone,
    useCase: UseCase,
    source: DecisionSource,
    failMode: FailMode,
  ): Decision {
    const verdict = evaluatePolicy(policy, status, phone, useCase);
    if (verdict === null) {
      this.log.errorOnce(
        'policy',
        'phone-guard: the policy function threw or returned an invalid verdict (logged once)',
      );
      const failed = this.failure(phone, useCase, failMode, {
        code: 'POLICY_ERROR',
        message: 'The policy function threw or returned an invalid verdict.',
        reasons: internReasons([]),
      });
      return Object.freeze({ ...failed, status, source });
    }
    return Object.freeze({
      action: verdict.action,
      reasons: verdict.reasons,
      phone,
      status,
      source,
      failedOpen: false,
      error: null,
      useCase,
    });
  }

  /**
   * `decision` (about the live status, or its failure) with the identity signals its
   * policy asked for and their verdict: the more severe action, the signal reasons after
   * the live ones, or first when a signal is what blocks. A failed look-up whose signals block is no longer `failedOpen`.
   *
   * With `failure` (an add-on request the policy asked for could not be had), the check
   * follows the fail mode as a failed Live look-up does: at least `flag` with `failedOpen`
   * (open) or `block` (closed), the failure's reasons (`LOOKUP_FAILED` …) first, its
   * `error` (counted in `stats().errors`). When the Live look-up failed too, its error
   * stands and the reasons are merged. When a verdict about the number blocks anyway
   * (`failure.settled`), the block stands as it is: the failed signal's unknown reason
   * (in `verdict`) and its `reason` say what is missing.
   */
  withSignals(
    decision: Decision,
    verdict: SignalVerdict,
    reassignment: ReassignmentSignal | undefined,
    simSwap: SimSwapSignal | undefined,
    failure?: SignalFailure,
  ): Decision {
    let action = severer(decision.action, verdict.action);
    let error = decision.error;
    let failedOpen = decision.failedOpen;
    let before: readonly DecisionReason[] = NO_REASONS;
    let after: readonly DecisionReason[] = NO_REASONS;
    if (failure !== undefined && !failure.settled) {
      const open = failure.failMode === 'open';
      action = severer(action, open ? 'flag' : 'block');
      if (decision.error === null) {
        this.counters.error(failure.info.code);
        error = decisionError(failure.info);
        failedOpen = open;
        before = failure.info.reasons;
      } else {
        after = failure.info.reasons;
        // Live failed too: its error stands, but keep the add-on's retry time if Live had none.
        const retryAfterMs = decision.error.retryAfterMs ?? failure.info.retryAfterMs;
        if (retryAfterMs !== undefined && decision.error.retryAfterMs === undefined) {
          error = Object.freeze({ ...decision.error, retryAfterMs });
        }
      }
    }
    // When a signal is what blocks (or flags) beyond the live status, its reasons lead:
    // the first reason is what a 403 names and what would-block counts.
    const signalLeads =
      verdict.action === 'block' && (decision.action !== 'block' || decision.error !== null);
    const reasons =
      verdict.reasons.length === 0 && before.length === 0 && after.length === 0
        ? decision.reasons
        : internReasons([
            ...new Set(
              signalLeads
                ? [...before, ...verdict.reasons, ...decision.reasons, ...after]
                : [...before, ...decision.reasons, ...after, ...verdict.reasons],
            ),
          ]);
    const signals: Pick<Decision, 'reassignment' | 'simSwap'> = {};
    if (reassignment !== undefined) signals.reassignment = Object.freeze(reassignment);
    if (simSwap !== undefined) signals.simSwap = Object.freeze(simSwap);
    return Object.freeze({
      ...decision,
      action,
      reasons,
      failedOpen: failedOpen && action !== 'block',
      error,
      ...signals,
    });
  }

  /** No verdict could be had: `flag` with `failedOpen` (fail open) or `block` (fail closed). */
  failure(
    phone: NormalizedPhone | null,
    useCase: UseCase,
    failMode: FailMode,
    info: FailureInfo,
  ): Decision {
    this.counters.error(info.code);
    const open = failMode === 'open';
    return Object.freeze({
      action: open ? 'flag' : 'block',
      reasons: info.reasons,
      phone,
      status: null,
      source: 'none',
      failedOpen: open,
      error: decisionError(info),
      useCase,
    });
  }

  /** The input is not a usable number: `block` with `PHONE_INVALID` and the normalize code. */
  invalid(error: NormalizeError, useCase: UseCase): Decision {
    this.counters.invalid++;
    // A national number without a usable country says so, so that a form can ask for it.
    const code = error.countryRequired === true ? 'PHONE_COUNTRY_REQUIRED' : error.code;
    const key = `${code}|${useCase}|${error.message}`;
    let decision = this.invalidDecisions.get(key);
    if (decision === undefined) {
      decision = Object.freeze({
        action: 'block',
        reasons: internReasons(['PHONE_INVALID']),
        phone: null,
        status: null,
        source: 'none',
        failedOpen: false,
        error: Object.freeze({ code, message: error.message }),
        useCase,
      });
      if (this.invalidDecisions.size < MAX_INVALID_DECISIONS) {
        this.invalidDecisions.set(key, decision);
      }
    }
    return decision;
  }

  /** Why a look-up (or an add-on request) gave no answer, as the decision will say it. */
  lookupFailure(result: Pick<FailedLookup, 'reason' | 'error'>): FailureInfo {
    if (result.reason === 'timeout') {
      return {
        code: 'LOOKUP_TIMEOUT',
        message: `No answer within the ${this.timeoutMs} ms deadline.`,
        reasons: internReasons(['LOOKUP_FAILED', 'LOOKUP_TIMEOUT']),
      };
    }
    if (result.reason === 'aborted') return ABORTED;
    const code = errorCodeOf(result.error);
    const retryAfterMs = retryAfterOf(result.error);
    if (code === 'CIRCUIT_OPEN' || code === 'BUDGET_EXCEEDED') {
      return {
        code,
        message: (result.error as Error).message,
        reasons: internReasons(['LOOKUP_FAILED', code]),
        retryAfterMs,
      };
    }
    const message =
      result.error instanceof Error ? scrub(result.error.message) : 'The look-up failed.';
    const timedOut = code.endsWith('TIMEOUT') || code === 'TimeoutError';
    const why: DecisionReason[] = ['LOOKUP_FAILED'];
    if (timedOut) why.push('LOOKUP_TIMEOUT');
    else if (faultOf(result.error) === 'config') why.push('CONFIG_ERROR');
    return { code, message, reasons: internReasons(why), retryAfterMs };
  }

  /** The check was aborted by its caller's signal before it could be decided. */
  aborted(phone: NormalizedPhone, useCase: UseCase, failMode: FailMode): Decision {
    return this.failure(phone, useCase, failMode, ABORTED);
  }

  /** A phone-guard bug: logged once (redacted), then the fail mode (`INTERNAL_ERROR`). */
  internalError(
    error: unknown,
    phone: NormalizedPhone | null,
    useCase: UseCase,
    failMode: FailMode,
  ): Decision {
    this.log.errorOnce(
      'internal',
      'phone-guard: internal error in check() (logged once)',
      redactError(error),
    );
    return this.failure(phone, useCase, failMode, INTERNAL_ERROR);
  }

  /** Forgets the shared invalid-input decisions. */
  clear(): void {
    this.invalidDecisions.clear();
  }
}

/** Why a per-call policy cannot be used (`POLICY_INVALID`); `message` is already scrubbed. */
export function policyInvalid(message: string): FailureInfo {
  return Object.freeze({
    code: 'POLICY_INVALID',
    message: `check() was given an invalid policy: ${message}`,
    reasons: internReasons(['LOOKUP_FAILED']),
  });
}
