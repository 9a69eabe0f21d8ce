/**
 * "Was this number reassigned since the user last proved it?" — the decision rule of the
 * number-deactivation signal, on day granularity (UTC), from the raw dates of a record
 * that may be cached and shared by checks with different `lastVerifiedAt` days.
 */
import type { ReassignmentSignal } from '../model/decision.js';
import type { AddonStatus, TelesignRecycledVerdict } from '../model/identity-signals.js';
import { type AddonFailure, addonStatusReason, isAddonFailure } from './addon-status-reason.js';
import { utcDay, type VerifiedAt } from './last-verified-at.js';

/** What the rule needs of a number-deactivation record (a cached one fits). */
export interface DeactivationFacts {
  readonly status: AddonStatus;
  readonly lastDeactivatedAt: number | null;
  readonly trackingSince: number | null;
  /** Telesign's verdict for the `last_verified` sent with the request, or `null`. */
  readonly telesignVerdict: TelesignRecycledVerdict | null;
  /** Midnight UTC of the `last_verified` that verdict answers, or `null`. */
  readonly telesignVerdictDay: number | null;
}

/**
 * Telesign's verdict as it applies to day `day`: the one asked for that day, or one that
 * implies it (recycled since a later day ⇒ recycled since an earlier one; not recycled
 * since an earlier day ⇒ not recycled since a later one). `null` otherwise.
 */
export function telesignVerdictFor(
  facts: Pick<DeactivationFacts, 'telesignVerdict' | 'telesignVerdictDay'>,
  day: number,
): TelesignRecycledVerdict | null {
  const { telesignVerdict: verdict, telesignVerdictDay: askedDay } = facts;
  if (verdict === null || askedDay === null) return null;
  if (askedDay === day) return verdict;
  if (verdict === 'recycled' && day < askedDay) return 'recycled';
  if (verdict === 'not_recycled' && day > askedDay) return 'not_recycled';
  return null;
}

/**
 * The reassignment verdict (telesign-phoneid-addons.md, section 4), V being the UTC day of
 * `lastVerifiedAt`:
 * 1. a failed request, no usable `lastVerifiedAt` (missing, invalid, in the future) or an
 *    add-on status without data (or with data that cannot be read) → `unknown`, with the
 *    reason (in that order) — unless Telesign's verdict for the day is `recycled`;
 * 2. last deactivated on or after V (same day counts) → `reassigned`, even when Telesign
 *    says `not_recycled` (fail safe; the guard logs the disagreement);
 * 3. Telesign says `recycled` → `reassigned`;
 * 4. tracking since missing or after V → `unknown` (`COVERAGE_GAP`: a deactivation in
 *    between would not be visible);
 * 5. Telesign says `cannot_be_determined` → `unknown`;
 * 6. otherwise → `not_reassigned` (Telesign's `not_recycled` agrees, or it said nothing
 *    for this day).
 *
 * @param record The add-on's record, the failure of its request, or `undefined` when it
 *   was not asked for (no usable `lastVerifiedAt`).
 */
export function judgeReassignment(
  record: DeactivationFacts | AddonFailure | undefined,
  verified: VerifiedAt,
): ReassignmentSignal {
  const facts = record === undefined || isAddonFailure(record) ? undefined : record;
  const lastDeactivatedAt = facts?.lastDeactivatedAt ?? null;
  const trackingSince = facts?.trackingSince ?? null;
  const base = { lastDeactivatedAt, trackingSince, lastVerifiedAt: verified.at };
  const unknown = (
    reason: string,
    telesignVerdict: TelesignRecycledVerdict | null = null,
  ): ReassignmentSignal => ({ verdict: 'unknown', ...base, telesignVerdict, reason });

  if (record !== undefined && isAddonFailure(record)) return unknown(record.failure);
  if (!verified.ok) return unknown(verified.reason);
  if (record === undefined) return unknown('ADDON_NO_DATA');

  const day = verified.day;
  const telesignVerdict = telesignVerdictFor(record, day);
  const known = (verdict: 'reassigned' | 'not_reassigned'): ReassignmentSignal => ({
    verdict,
    ...base,
    telesignVerdict,
  });
  if (record.status.outcome !== 'data') {
    // An answer with an unreadable date may still carry Telesign's verdict, or a readable
    // deactivation on or after the verification (rule 2 needs nothing else).
    if (telesignVerdict === 'recycled') return known('reassigned');
    if (lastDeactivatedAt !== null && utcDay(lastDeactivatedAt) >= day) return known('reassigned');
    return unknown(addonStatusReason(record.status));
  }
  if (lastDeactivatedAt !== null && utcDay(lastDeactivatedAt) >= day) return known('reassigned');
  if (telesignVerdict === 'recycled') return known('reassigned');
  if (trackingSince === null || utcDay(trackingSince) > day) {
    return unknown('COVERAGE_GAP', telesignVerdict);
  }
  if (telesignVerdict === 'cannot_be_determined') {
    return unknown('TELESIGN_CANNOT_DETERMINE', telesignVerdict);
  }
  return known('not_reassigned');
}
