/**
 * The JSON the Phone ID add-on endpoints answer: the `number_deactivation` and `sim_swap`
 * blocks of `POST /v1/phoneid/{n}`, its envelope, and the legacy
 * `GET /v1/phoneid/number_deactivation/{n}` body. Dates are computed from the sandbox
 * clock, day-granular (midnight UTC) like Telesign's.
 */
import {
  ADDON_STATUS_DESCRIPTIONS,
  type AddonFailureStatus,
  type DayField,
  type DeactivationSpec,
  type SimSwapSpec,
} from './addon-scenarios.js';
import { type LiveProfile, location, numbering, telesignTimestamp } from './envelope.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Midnight UTC of the calendar day of `ms`. */
export function utcMidnight(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

/** `2024-03-11T00:00:00Z`: RFC 3339 without fractions, as the add-ons send dates. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The instant a {@link DayField} stands for, `null` for null, `undefined` when left out. */
function dayInstant(field: DayField, nowMs: number): number | null | undefined {
  if (field === 'absent') return undefined;
  if (field === null) return null;
  return utcMidnight(nowMs) - field * DAY_MS;
}

const status = (code: 2800 | AddonFailureStatus) => ({
  code,
  description: ADDON_STATUS_DESCRIPTIONS[code],
});

/** Telesign's verdict by the rule of the shared facts file (day granularity, same day counts). */
export function telesignVerdict(
  lastDeactivated: number | null | undefined,
  trackingSince: number | null | undefined,
  lastVerified: number,
  nowMs: number,
): 'recycled' | 'not_recycled' | 'cannot_be_determined' {
  if (lastVerified > nowMs) return 'cannot_be_determined';
  const verifiedDay = utcMidnight(lastVerified);
  if (typeof lastDeactivated === 'number' && lastDeactivated >= verifiedDay) return 'recycled';
  if (typeof trackingSince !== 'number' || trackingSince > verifiedDay) {
    return 'cannot_be_determined';
  }
  return 'not_recycled';
}

/**
 * The `number_deactivation` block. `lastVerified` is the request's `last_verified` (ms), or
 * `undefined` when none was sent: the verdict field appears only with it.
 */
export function deactivationBlock(
  spec: DeactivationSpec,
  carrier: string | null,
  nowMs: number,
  lastVerified: number | undefined,
): Record<string, unknown> {
  if (spec.status !== 2800) return { status: status(spec.status) };
  const last = dayInstant(spec.lastDeactivatedDaysAgo, nowMs);
  const tracking = dayInstant(spec.trackingSinceDaysAgo, nowMs);
  const block: Record<string, unknown> = { carrier_name: carrier };
  if (last !== undefined) block['last_deactivated'] = last === null ? null : rfc3339(last);
  if (tracking !== undefined)
    block['tracking_since'] = tracking === null ? null : rfc3339(tracking);
  if (lastVerified !== undefined && spec.verdict !== 'omitted') {
    block['recycled_since_last_verification'] =
      spec.verdict === 'computed'
        ? telesignVerdict(last, tracking, lastVerified, nowMs)
        : spec.verdict;
  }
  block['status'] = status(2800);
  return block;
}

/** The `sim_swap` block. */
export function simSwapBlock(spec: SimSwapSpec, nowMs: number): Record<string, unknown> {
  if (spec.status !== 2800) return { status: status(spec.status) };
  const at =
    spec.swapped === null
      ? null
      : spec.swapped === 'today'
        ? Math.max(utcMidnight(nowMs), nowMs - HOUR_MS)
        : nowMs - spec.swapped.hoursAgo * HOUR_MS;
  const stamp = at === null ? null : rfc3339(Math.floor(at / 1000) * 1000);
  if (spec.text) {
    return { swap_date: stamp, risk_indicator: String(spec.risk), status: status(2800) };
  }
  return {
    swap_date: stamp === null ? null : stamp.slice(0, 10),
    swap_time: stamp === null ? null : stamp.slice(11, 19),
    risk_indicator: spec.risk,
    status: status(2800),
  };
}

/** The add-on blocks a request asked for. */
export interface AddonBlocks {
  number_deactivation?: Record<string, unknown>;
  sim_swap?: Record<string, unknown>;
}

/**
 * The HTTP 200 body of `POST /v1/phoneid/{n}`: the standard Phone ID blocks and one block
 * per add-on asked for; `status.code` 300 when every add-on answered 2800, 301 otherwise.
 */
export function phoneIdEnvelope(
  digits: string,
  profile: LiveProfile,
  blocks: AddonBlocks,
  referenceId: string,
  nowMs: number,
) {
  const complete = Object.values(blocks).every(
    (b) => (b as { status?: { code?: number } }).status?.code === 2800,
  );
  return {
    reference_id: referenceId,
    status: complete
      ? {
          code: 300,
          description: 'Transaction successfully completed',
          updated_on: telesignTimestamp(nowMs),
        }
      : {
          code: 301,
          description: 'Transaction partially completed',
          updated_on: telesignTimestamp(nowMs),
        },
    errors: [] as unknown[],
    numbering: numbering(digits, profile.country),
    phone_type: { code: profile.phoneType.code, description: profile.phoneType.description },
    carrier: { name: profile.carrier },
    location: location(profile),
    ...blocks,
  };
}

/** What the legacy endpoint answers for one number. */
export type LegacyAnswer =
  | { kind: 'body'; body: Record<string, unknown> }
  | {
      kind: 'error';
      httpStatus: number;
      code: number;
      description: string;
      statusCode: 500 | 501;
    };

/**
 * The legacy `GET /v1/phoneid/number_deactivation/{n}` answer: the dates without a
 * verdict, status 2300 (300, and `mnc` as a string, with `quirks`). Add-on statuses become what an older account
 * sees: no data or no coverage → `null` dates; temporarily unavailable → 503 -90001; not
 * enabled → 401 -20002; invalid parameters → 400 -10001.
 */
export function legacyDeactivationAnswer(
  spec: DeactivationSpec,
  quirks: boolean,
  digits: string,
  referenceId: string,
  nowMs: number,
): LegacyAnswer {
  let dates: Record<string, unknown>;
  switch (spec.status) {
    case 2800: {
      const last = dayInstant(spec.lastDeactivatedDaysAgo, nowMs);
      const tracking = dayInstant(spec.trackingSinceDaysAgo, nowMs);
      dates = {};
      if (tracking !== undefined)
        dates['tracking_since'] = tracking === null ? null : rfc3339(tracking);
      if (last !== undefined) dates['last_deactivated'] = last === null ? null : rfc3339(last);
      break;
    }
    case 2803:
    case 2804:
    case 2805:
      dates = { tracking_since: null, last_deactivated: null };
      break;
    case 2806:
      return {
        kind: 'error',
        httpStatus: 401,
        code: -20002,
        description: 'This product is not enabled for this Customer ID.',
        statusCode: 501,
      };
    case 2801:
    case 2807:
      return {
        kind: 'error',
        httpStatus: 400,
        code: -10001,
        description: 'Invalid Request',
        statusCode: 500,
      };
    default:
      return {
        kind: 'error',
        httpStatus: 503,
        code: -90001,
        description: 'System unavailable, please try again later.',
        statusCode: 500,
      };
  }
  return {
    kind: 'body',
    body: {
      reference_id: referenceId,
      resource_uri: null,
      sub_resource: 'number_deactivation',
      number_deactivation: {
        number: digits,
        ...dates,
        // The mobile network of US numbers; `mnc` is sometimes a `;`-separated string.
        ...(digits.startsWith('1') ? { mcc: 310, mnc: quirks ? '030;070' : 4 } : {}),
      },
      errors: [],
      status: {
        code: quirks ? 300 : 2300,
        description: quirks
          ? 'Transaction successfully completed'
          : 'Number Deactivation check succeeded',
        updated_on: telesignTimestamp(nowMs),
      },
    },
  };
}
