/** The SIM-swap signal of a decision, from a (possibly cached) SIM-swap record. */
import type { SimSwapSignal } from '../model/decision.js';
import type { AddonStatus, SimSwapRisk } from '../model/identity-signals.js';
import { type AddonFailure, addonStatusReason, isAddonFailure } from './addon-status-reason.js';
import { DAY_MS, utcDay } from './last-verified-at.js';

/** What the signal needs of a SIM-swap record (a cached one fits). */
export interface SimSwapFacts {
  readonly status: AddonStatus;
  readonly risk: SimSwapRisk | null;
  readonly swappedAt: number | null;
}

/**
 * Telesign's risk scale applied to a swap date, for an answer that has the date but no
 * usable `risk_indicator`: the same UTC day 4, within 72 hours 3, within 15 days 2,
 * else 1.
 */
export function riskOfSwapAt(swappedAt: number, now: number): SimSwapRisk {
  if (utcDay(swappedAt) >= utcDay(now)) return 4;
  const age = now - swappedAt;
  if (age <= 3 * DAY_MS) return 3;
  if (age <= 15 * DAY_MS) return 2;
  return 1;
}

/**
 * The SIM-swap signal: Telesign's risk when the add-on answered with data (derived from
 * the swap date when the indicator is missing), else `risk: null` with the reason (the
 * failed request's error code, or the add-on status).
 *
 * @param now The clock, for a risk derived from the swap date.
 */
export function judgeSimSwap(record: SimSwapFacts | AddonFailure, now: number): SimSwapSignal {
  if (isAddonFailure(record)) return { risk: null, swappedAt: null, reason: record.failure };
  const { status, swappedAt } = record;
  if (status.outcome !== 'data') {
    return { risk: null, swappedAt, reason: addonStatusReason(status) };
  }
  const risk = record.risk ?? (swappedAt === null ? null : riskOfSwapAt(swappedAt, now));
  if (risk === null) return { risk: null, swappedAt, reason: 'ADDON_NO_DATA' };
  return { risk, swappedAt };
}
