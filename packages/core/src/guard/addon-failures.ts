/**
 * Why an identity signal could not be had, as a decision says it: the add-on request
 * failed (error, timeout, open breaker, spent budget, closed guard), or its add-on
 * answered that it could not answer (2801/2802/2806/2807/2810/2811), or SIM-swap data
 * that could not be read. "No data" (2803, 2804, 2805, an unreadable deactivation date,
 * no `lastVerifiedAt`) is not a failure: it is an `unknown` verdict the policy's `unknown`
 * rule decides.
 */
import type { AddonKind, CachedAddonRecord } from '../cache/addon-records.js';
import type { DecisionReason } from '../model/decision.js';
import type { AddonStatus } from '../model/identity-signals.js';
import { internReasons } from '../policy/reasons.js';
import { addonStatusReason, isFailedAddonStatus } from '../signals/addon-status-reason.js';
import type { FailureInfo } from './outcomes.js';

const ADDON_NAMES: Readonly<Record<AddonKind, string>> = {
  deactivation: 'number-deactivation',
  simSwap: 'SIM-swap',
};

const WHAT: Readonly<Record<string, string>> = {
  retryable: 'is temporarily unavailable',
  config_error: 'is not enabled for this account',
  bug: 'refused the parameters phone-guard sent',
};

/** The failure of an add-on whose status says it could not answer. */
function statusFailure(kind: AddonKind, status: AddonStatus): FailureInfo {
  const why: DecisionReason[] = ['LOOKUP_FAILED'];
  if (status.outcome === 'config_error') why.push('CONFIG_ERROR');
  return {
    code: addonStatusReason(status),
    message: `The Telesign ${ADDON_NAMES[kind]} add-on ${WHAT[status.outcome] ?? 'could not answer'} (status ${status.code ?? '?'}).`,
    reasons: internReasons(why),
  };
}

/**
 * The failure a cached add-on record stands for, or `undefined` when it is an answer
 * (data, or no data).
 */
export function recordFailure(record: CachedAddonRecord | undefined): FailureInfo | undefined {
  if (record === undefined) return undefined;
  if (isFailedAddonStatus(record.status)) return statusFailure(record.kind, record.status);
  // Telesign said it has SIM-swap data (2800) that phone-guard could not read: the risk
  // may be 4, so it must not pass as "no data" (whose rule defaults to allow). An
  // unreadable deactivation date stays an unknown verdict: rule 2 may still decide it.
  if (record.kind === 'simSwap' && addonStatusReason(record.status) === 'ADDON_UNREADABLE') {
    return {
      code: 'ADDON_UNREADABLE',
      message: 'The Telesign SIM-swap add-on answered with data phone-guard cannot read.',
      reasons: internReasons(['LOOKUP_FAILED']),
    };
  }
  return undefined;
}

/**
 * Both signals' failures as one: the first one's code, message and `retryAfterMs` (or the
 * second's), the reasons of both.
 */
export function mergeFailures(
  first: FailureInfo | undefined,
  second: FailureInfo | undefined,
): FailureInfo | undefined {
  if (first === undefined || second === undefined) return first ?? second;
  return {
    ...first,
    reasons: internReasons([...new Set([...first.reasons, ...second.reasons])]),
    retryAfterMs: first.retryAfterMs ?? second.retryAfterMs,
  };
}
