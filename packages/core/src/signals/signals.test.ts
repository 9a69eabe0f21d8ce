import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AddonStatus } from '../model/identity-signals.js';
import { addonStatusReason, isFailedAddonStatus } from './addon-status-reason.js';
import {
  DAY_MS,
  FUTURE_TOLERANCE_MS,
  parseIsoInstant,
  readLastVerifiedAt,
  utcDay,
} from './last-verified-at.js';
import { type DeactivationFacts, judgeReassignment, telesignVerdictFor } from './reassignment.js';
import { judgeSimSwap, riskOfSwapAt } from './sim-swap.js';

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const OK: AddonStatus = { code: 2800, outcome: 'data', description: null };
const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

describe('readLastVerifiedAt', () => {
  it.each<[string, unknown, number]>([
    ['a Date', new Date(Date.UTC(2024, 2, 11, 7, 30)), Date.UTC(2024, 2, 11, 7, 30)],
    ['epoch ms', Date.UTC(2024, 2, 11, 7, 30), Date.UTC(2024, 2, 11, 7, 30)],
    ['fractional epoch ms', Date.UTC(2024, 2, 11) + 0.7, Date.UTC(2024, 2, 11)],
    ['an ISO date (midnight UTC)', '2024-03-11', Date.UTC(2024, 2, 11)],
    ['an ISO date-time in UTC', '2024-03-11T07:30:00Z', Date.UTC(2024, 2, 11, 7, 30)],
    ['an ISO date-time with an offset', '2024-03-11T01:30:00+05:30', Date.UTC(2024, 2, 10, 20)],
    ['an offset without a colon', '2024-03-11T01:30:00-0800', Date.UTC(2024, 2, 11, 9, 30)],
    ['no zone: UTC, not the server zone', '2024-03-11T07:30', Date.UTC(2024, 2, 11, 7, 30)],
    ['fractions of a second', '2024-03-11T07:30:00.123456Z', Date.UTC(2024, 2, 11, 7, 30, 0, 123)],
    ['a space separator', '2024-03-11 07:30:00Z', Date.UTC(2024, 2, 11, 7, 30)],
    ['a moment within the tolerance ahead', NOW + FUTURE_TOLERANCE_MS, NOW + FUTURE_TOLERANCE_MS],
  ])('reads %s', (_name, value, at) => {
    expect(readLastVerifiedAt(value, NOW)).toEqual({ ok: true, at, day: utcDay(at) });
  });

  it.each<[string, unknown, string]>([
    ['undefined', undefined, 'NO_LAST_VERIFIED_AT'],
    ['null', null, 'NO_LAST_VERIFIED_AT'],
    ['the future', NOW + FUTURE_TOLERANCE_MS + 1, 'LAST_VERIFIED_AT_IN_FUTURE'],
    ['a far future ISO string', '9999-12-31T00:00:00Z', 'LAST_VERIFIED_AT_IN_FUTURE'],
    ['NaN', Number.NaN, 'LAST_VERIFIED_AT_INVALID'],
    ['Infinity', Number.POSITIVE_INFINITY, 'LAST_VERIFIED_AT_INVALID'],
    ['an invalid Date', new Date('nope'), 'LAST_VERIFIED_AT_INVALID'],
    ['epoch seconds', Math.floor(NOW / 1000), 'LAST_VERIFIED_AT_INVALID'],
    ['before 2000', '1999-12-31', 'LAST_VERIFIED_AT_INVALID'],
    ['31 February', '2024-02-31', 'LAST_VERIFIED_AT_INVALID'],
    ['hour 24', '2024-03-11T24:00:00Z', 'LAST_VERIFIED_AT_INVALID'],
    ['a bad offset', '2024-03-11T07:30:00+25:00', 'LAST_VERIFIED_AT_INVALID'],
    ['an RFC 2822 date', 'Mon, 11 Mar 2024 07:30:00 GMT', 'LAST_VERIFIED_AT_INVALID'],
    ['digits in a string', String(NOW), 'LAST_VERIFIED_AT_INVALID'],
    ['a huge string', `2024-03-11${' '.repeat(100_000)}`, 'LAST_VERIFIED_AT_INVALID'],
    ['a boolean', true, 'LAST_VERIFIED_AT_INVALID'],
    ['a bigint', 1_700_000_000_000n, 'LAST_VERIFIED_AT_INVALID'],
    ['an object', { valueOf: () => NOW }, 'LAST_VERIFIED_AT_INVALID'],
  ])('%s is not a usable date', (_name, value, reason) => {
    expect(readLastVerifiedAt(value, NOW)).toMatchObject({ ok: false, reason });
  });

  it('never throws, whatever it is given', () => {
    const hostile = new Proxy(new Date(), {
      get() {
        throw new Error('boom');
      },
    });
    expect(readLastVerifiedAt(hostile, NOW).ok).toBe(false);
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const read = readLastVerifiedAt(value, NOW);
        expect(typeof read.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date(NOW) }), (date) => {
        if (Number.isNaN(date.getTime())) return;
        const read = readLastVerifiedAt(date.toISOString(), NOW);
        expect(read).toEqual({ ok: true, at: date.getTime(), day: utcDay(date.getTime()) });
      }),
    );
  });

  it('parseIsoInstant gives NaN rather than a guess', () => {
    expect(parseIsoInstant('2024-3-11')).toBeNaN();
    expect(parseIsoInstant('')).toBeNaN();
  });
});

describe('judgeReassignment (telesign-phoneid-addons.md section 4)', () => {
  const V = readLastVerifiedAt(Date.UTC(2025, 2, 11, 7, 30), NOW); // day 2025-03-11
  const facts = (patch: Partial<DeactivationFacts> = {}): DeactivationFacts => ({
    status: OK,
    lastDeactivatedAt: null,
    trackingSince: day(2015, 1, 1),
    telesignVerdict: null,
    telesignVerdictDay: null,
    ...patch,
  });

  it.each<[string, Partial<DeactivationFacts>, string, string | undefined]>([
    ['deactivated after V', { lastDeactivatedAt: day(2025, 4, 1) }, 'reassigned', undefined],
    [
      'deactivated the same day (before the verification hour)',
      { lastDeactivatedAt: day(2025, 3, 11) },
      'reassigned',
      undefined,
    ],
    [
      'deactivated the day before',
      { lastDeactivatedAt: day(2025, 3, 10) },
      'not_reassigned',
      undefined,
    ],
    ['never deactivated', {}, 'not_reassigned', undefined],
    ['tracked since after V', { trackingSince: day(2025, 3, 12) }, 'unknown', 'COVERAGE_GAP'],
    ['tracked since V', { trackingSince: day(2025, 3, 11) }, 'not_reassigned', undefined],
    ['tracking unknown', { trackingSince: null }, 'unknown', 'COVERAGE_GAP'],
    [
      'Telesign recycled wins',
      { telesignVerdict: 'recycled', telesignVerdictDay: day(2025, 3, 11) },
      'reassigned',
      undefined,
    ],
    [
      'Telesign cannot determine',
      { telesignVerdict: 'cannot_be_determined', telesignVerdictDay: day(2025, 3, 11) },
      'unknown',
      'TELESIGN_CANNOT_DETERMINE',
    ],
    [
      'Telesign not_recycled vs rule 2: reassigned',
      {
        lastDeactivatedAt: day(2025, 4, 1),
        telesignVerdict: 'not_recycled',
        telesignVerdictDay: day(2025, 3, 11),
      },
      'reassigned',
      undefined,
    ],
    [
      'Telesign not_recycled agrees',
      { telesignVerdict: 'not_recycled', telesignVerdictDay: day(2025, 3, 11) },
      'not_reassigned',
      undefined,
    ],
    [
      'a coverage gap outranks cannot_be_determined',
      {
        trackingSince: null,
        telesignVerdict: 'cannot_be_determined',
        telesignVerdictDay: day(2025, 3, 11),
      },
      'unknown',
      'COVERAGE_GAP',
    ],
  ])('%s', (_name, patch, verdict, reason) => {
    const signal = judgeReassignment(facts(patch), V);
    expect(signal.verdict).toBe(verdict);
    expect(signal.reason).toBe(reason);
    expect(signal.lastVerifiedAt).toBe(Date.UTC(2025, 2, 11, 7, 30));
  });

  it('is unknown for every add-on status without data, with the reason', () => {
    const statuses: [number, AddonStatus['outcome'], string][] = [
      [2801, 'bug', 'ADDON_REJECTED'],
      [2802, 'retryable', 'ADDON_UNAVAILABLE'],
      [2803, 'unknown', 'ADDON_OUT_OF_COVERAGE'],
      [2804, 'unknown', 'ADDON_NOT_APPLICABLE'],
      [2805, 'unknown', 'ADDON_NO_DATA'],
      [2806, 'config_error', 'ADDON_NOT_ENABLED'],
      [2899, 'unknown', 'ADDON_UNKNOWN_STATUS'],
    ];
    for (const [code, outcome, reason] of statuses) {
      const status = { code, outcome, description: null };
      expect(addonStatusReason(status)).toBe(reason);
      expect(judgeReassignment(facts({ status }), V)).toMatchObject({ verdict: 'unknown', reason });
    }
  });

  it('tells add-on statuses that failed from those that have no data', () => {
    const failed = [2801, 2802, 2806, 2807, 2810, 2811];
    const outcomes: Record<number, AddonStatus['outcome']> = {
      2801: 'bug',
      2802: 'retryable',
      2803: 'unknown',
      2804: 'unknown',
      2805: 'unknown',
      2806: 'config_error',
      2807: 'bug',
      2810: 'retryable',
      2811: 'retryable',
    };
    for (const [code, outcome] of Object.entries(outcomes)) {
      const status = { code: Number(code), outcome, description: null };
      expect(isFailedAddonStatus(status), code).toBe(failed.includes(Number(code)));
    }
    expect(isFailedAddonStatus(OK)).toBe(false);
  });

  it('data that could not be read is unknown (ADDON_UNREADABLE), unless Telesign says recycled', () => {
    const status: AddonStatus = {
      code: 2800,
      outcome: 'unknown',
      description: 'Unreadable answer: last_deactivated is not a date phone-guard can read ("x")',
    };
    expect(addonStatusReason(status)).toBe('ADDON_UNREADABLE');
    expect(judgeReassignment(facts({ status, trackingSince: null }), V)).toMatchObject({
      verdict: 'unknown',
      reason: 'ADDON_UNREADABLE',
    });
    const recycled = facts({
      status,
      trackingSince: null,
      telesignVerdict: 'recycled',
      telesignVerdictDay: day(2025, 3, 11),
    });
    expect(judgeReassignment(recycled, V)).toMatchObject({
      verdict: 'reassigned',
      telesignVerdict: 'recycled',
    });
    const notRecycled = { ...recycled, telesignVerdict: 'not_recycled' as const };
    expect(judgeReassignment(notRecycled, V).verdict).toBe('unknown');
    // An unreadable tracking_since does not hide a readable deactivation after V (rule 2).
    const deactivatedAfter = facts({
      status,
      lastDeactivatedAt: day(2025, 3, 20),
      trackingSince: null,
    });
    expect(judgeReassignment(deactivatedAfter, V)).toMatchObject({ verdict: 'reassigned' });
  });

  it('a failed request and a missing lastVerifiedAt are unknown, showing what is known', () => {
    expect(judgeReassignment({ failure: 'TELESIGN_TIMEOUT' }, V)).toEqual({
      verdict: 'unknown',
      lastDeactivatedAt: null,
      trackingSince: null,
      lastVerifiedAt: V.ok ? V.at : null,
      telesignVerdict: null,
      reason: 'TELESIGN_TIMEOUT',
    });
    const none = readLastVerifiedAt(undefined, NOW);
    expect(judgeReassignment(facts({ lastDeactivatedAt: day(2025, 4, 1) }), none)).toMatchObject({
      verdict: 'unknown',
      reason: 'NO_LAST_VERIFIED_AT',
      lastDeactivatedAt: day(2025, 4, 1),
      lastVerifiedAt: null,
    });
    expect(judgeReassignment(undefined, V)).toMatchObject({ verdict: 'unknown' });
  });

  it("applies Telesign's verdict to other days only where it implies them", () => {
    const recycled = { telesignVerdict: 'recycled' as const, telesignVerdictDay: day(2025, 3, 11) };
    expect(telesignVerdictFor(recycled, day(2025, 3, 11))).toBe('recycled');
    expect(telesignVerdictFor(recycled, day(2025, 1, 1))).toBe('recycled'); // earlier V
    expect(telesignVerdictFor(recycled, day(2025, 4, 1))).toBeNull();
    const notRecycled = {
      telesignVerdict: 'not_recycled' as const,
      telesignVerdictDay: day(2025, 3, 11),
    };
    expect(telesignVerdictFor(notRecycled, day(2025, 4, 1))).toBe('not_recycled'); // later V
    expect(telesignVerdictFor(notRecycled, day(2025, 1, 1))).toBeNull();
    const cannot = {
      telesignVerdict: 'cannot_be_determined' as const,
      telesignVerdictDay: day(2025, 3, 11),
    };
    expect(telesignVerdictFor(cannot, day(2025, 3, 12))).toBeNull();
  });

  it('is monotonic: a later verification is never "more reassigned" than an earlier one', () => {
    const order = { reassigned: 2, unknown: 1, not_reassigned: 0 } as const;
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 4000 }), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 4000 }), { nil: null }),
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: 0, max: 4000 }),
        (deactivated, tracked, a, b) => {
          const base = day(2014, 1, 1);
          const record = facts({
            lastDeactivatedAt: deactivated === null ? null : base + deactivated * DAY_MS,
            trackingSince: tracked === null ? null : base + tracked * DAY_MS,
          });
          const [early, late] = [Math.min(a, b), Math.max(a, b)];
          const at = (d: number) =>
            readLastVerifiedAt(base + d * DAY_MS + 3_600_000, base + 5000 * DAY_MS);
          const first = judgeReassignment(record, at(early)).verdict;
          const second = judgeReassignment(record, at(late)).verdict;
          if (first === 'not_reassigned') expect(second).not.toBe('reassigned');
          if (second === 'reassigned') expect(order[first]).toBe(2);
        },
      ),
    );
  });
});

describe('judgeSimSwap', () => {
  it("takes Telesign's risk, or derives it from the swap date", () => {
    expect(judgeSimSwap({ status: OK, risk: 3, swappedAt: NOW - 2 * DAY_MS }, NOW)).toEqual({
      risk: 3,
      swappedAt: NOW - 2 * DAY_MS,
    });
    expect(judgeSimSwap({ status: OK, risk: null, swappedAt: NOW - 3_600_000 }, NOW).risk).toBe(4);
    expect(riskOfSwapAt(NOW - 2 * DAY_MS, NOW)).toBe(3);
    expect(riskOfSwapAt(NOW - 7 * DAY_MS, NOW)).toBe(2);
    expect(riskOfSwapAt(NOW - 30 * DAY_MS, NOW)).toBe(1);
  });

  it('is unknown without data, with the reason', () => {
    expect(judgeSimSwap({ status: OK, risk: null, swappedAt: null }, NOW)).toEqual({
      risk: null,
      swappedAt: null,
      reason: 'ADDON_NO_DATA',
    });
    const status: AddonStatus = { code: 2806, outcome: 'config_error', description: null };
    expect(judgeSimSwap({ status, risk: null, swappedAt: null }, NOW).reason).toBe(
      'ADDON_NOT_ENABLED',
    );
    expect(judgeSimSwap({ failure: 'CIRCUIT_OPEN' }, NOW)).toEqual({
      risk: null,
      swappedAt: null,
      reason: 'CIRCUIT_OPEN',
    });
  });
});
