/**
 * What each test number answers on the Phone ID add-on endpoints (`POST /v1/phoneid/{n}`
 * and the legacy `GET /v1/phoneid/number_deactivation/{n}`). The `satisfies` clauses make
 * a test number without an add-on behaviour a type error.
 */
import { ADDON_TEST_NUMBERS, type AddonTestNumberName, SLOW_ADDON_MS } from './addon-numbers.js';
import type { Scenario } from './scenarios.js';
import type { TestNumberName } from './test-numbers.js';

/** An add-on status other than 2800 (request successfully completed). */
export type AddonFailureStatus = 2801 | 2802 | 2803 | 2804 | 2805 | 2806 | 2807 | 2810 | 2811;

/** Every add-on status and its description, as Telesign words them. */
export const ADDON_STATUS_DESCRIPTIONS: Readonly<Record<2800 | AddonFailureStatus, string>> = {
  2800: 'Request successfully completed',
  2801: 'Invalid add-on parameter',
  2802: 'Add-on temporarily unavailable',
  2803: 'Phone number out of coverage',
  2804: 'Phone number not applicable',
  2805: 'No information available for this phone number',
  2806: 'Add-on not enabled for this account',
  2807: 'Invalid add-on parameters',
  2810: 'Data collection failure',
  2811: 'Processing timeout',
};

/** Telesign's own "recycled since last verification" answer, or how the sandbox forms it. */
export type VerdictMode =
  /** Computed from the dates by the rule of the shared facts file (the default). */
  | 'computed'
  /** Never sent, even when `last_verified` is. */
  | 'omitted'
  | 'recycled'
  | 'not_recycled'
  | 'cannot_be_determined';

/** A date field of the deactivation block: days before today (UTC midnight), `null`, or left out. */
export type DayField = number | null | 'absent';

/** What the number-deactivation add-on answers. */
export type DeactivationSpec =
  | {
      status: 2800;
      lastDeactivatedDaysAgo: DayField;
      trackingSinceDaysAgo: DayField;
      verdict: VerdictMode;
    }
  | { status: AddonFailureStatus };

/** When the SIM was swapped: never, some hours ago, or earlier today (UTC, at most an hour ago). */
export type SwapTime = null | { hoursAgo: number } | 'today';

/** What the SIM-swap add-on answers. */
export type SimSwapSpec =
  | {
      status: 2800;
      swapped: SwapTime;
      risk: 1 | 2 | 3 | 4;
      /** Send `risk_indicator` as a string and `swap_date` as a full timestamp, without `swap_time`. */
      text?: boolean;
    }
  | { status: AddonFailureStatus };

/** One number's add-on behaviour: data (or add-on statuses), an HTTP error, or a fault. */
export type AddonScenario =
  | {
      kind: 'addons';
      deactivation: DeactivationSpec;
      simSwap: SimSwapSpec;
      /** Milliseconds before answering (the `addonSlow` number). */
      delayMs?: number;
      /** Odd but documented forms: legacy `status.code` 300 and `mcc` / `mnc` as strings. */
      quirks?: boolean;
    }
  | Extract<Scenario, { kind: 'error' | 'fault' }>;

const TEN_YEARS = 3650;

/** Deactivation data of a number deactivated `daysAgo` days ago (`null`: never; `'absent'`: field left out). */
export const deactivated = (
  daysAgo: DayField,
  trackingSinceDaysAgo: DayField = TEN_YEARS,
  verdict: VerdictMode = 'computed',
): DeactivationSpec => ({
  status: 2800,
  lastDeactivatedDaysAgo: daysAgo,
  trackingSinceDaysAgo,
  verdict,
});

/** A SIM-swap answer. */
export const swapped = (when: SwapTime, risk: 1 | 2 | 3 | 4, text = false): SimSwapSpec =>
  text ? { status: 2800, swapped: when, risk, text } : { status: 2800, swapped: when, risk };

/** The answer of a number never deactivated and never swapped. */
export const NO_EVENTS = {
  kind: 'addons',
  deactivation: deactivated(null),
  simSwap: swapped(null, 1),
} as const satisfies AddonScenario;

const data = (
  deactivation: DeactivationSpec,
  simSwap: SimSwapSpec = swapped(null, 1),
  extra: { delayMs?: number; quirks?: boolean } = {},
): AddonScenario => ({ kind: 'addons', deactivation, simSwap, ...extra });

const both = (status: AddonFailureStatus): AddonScenario => data({ status }, { status });

/** The add-on rows' own behaviour. */
const ADDON_ROWS = {
  reassigned: data(deactivated(10)),
  deactivatedLongAgo: data(deactivated(1095)),
  neverDeactivated: data(deactivated(null)),
  neverDeactivatedAbsent: data(deactivated('absent')),
  coverageGap: data(deactivated(null, 5)),
  trackingUnknown: data(deactivated(null, 'absent')),
  verdictRecycled: data(deactivated(1095, TEN_YEARS, 'recycled')),
  verdictNotRecycled: data(deactivated(10, TEN_YEARS, 'not_recycled')),
  verdictCannotBeDetermined: data(deactivated(null, TEN_YEARS, 'cannot_be_determined')),
  reassignedNoVerdict: data(deactivated(10, TEN_YEARS, 'omitted')),

  addonInvalidParameter: both(2801),
  addonUnavailable: both(2802),
  addonOutOfCoverage: both(2803),
  addonNotApplicable: both(2804),
  addonNoData: both(2805),
  addonNotEnabled: both(2806),
  addonInvalidParameters: both(2807),
  simSwapNotEnabled: data(deactivated(null), { status: 2806 }),
  deactivationNotEnabled: data({ status: 2806 }),
  addonCollectionFailure: both(2810),
  addonTimeout: both(2811),

  simSwapNever: data(deactivated(null), swapped(null, 1)),
  simSwapRisk1: data(deactivated(null), swapped({ hoursAgo: 30 * 24 }, 1)),
  simSwapRisk2: data(deactivated(null), swapped({ hoursAgo: 7 * 24 }, 2)),
  simSwapRisk3: data(deactivated(null), swapped({ hoursAgo: 48 }, 3)),
  simSwapRisk4: data(deactivated(null), swapped('today', 4)),
  simSwapRisk3Text: data(deactivated(null), swapped({ hoursAgo: 48 }, 3, true)),
  simSwapRisk4Text: data(deactivated(null), swapped('today', 4, true)),

  addonSlow: data(deactivated(null), swapped(null, 1), { delayMs: SLOW_ADDON_MS }),
} as const satisfies Record<AddonTestNumberName, AddonScenario>;

/** Phone ID's own codes for the errors whose Live code differs (from its published spec). */
const PHONE_ID_ERRORS: Partial<Record<TestNumberName, Extract<Scenario, { kind: 'error' }>>> = {
  errRateLimited: {
    kind: 'error',
    httpStatus: 429,
    code: 10019,
    description: 'Rate limit exceeded',
    statusCode: 500,
    headers: { 'retry-after': '1' },
  },
  errHardCap: {
    kind: 'error',
    httpStatus: 429,
    code: 10020,
    description: 'Transaction hard cap reached; request denied',
    statusCode: 500,
  },
  errPaymentRequired: {
    kind: 'error',
    httpStatus: 402,
    code: 10030,
    description: 'Insufficient funds',
    statusCode: 501,
  },
  errNotFound: {
    kind: 'error',
    httpStatus: 404,
    code: 10017,
    description: 'Resource not found',
    statusCode: 500,
  },
  errInternal: {
    kind: 'error',
    httpStatus: 500,
    code: -10000,
    description: 'Internal server error',
    statusCode: 500,
  },
};

/**
 * The add-on behaviour of a Live test number: its error or fault as it is, with Phone ID's
 * code where that differs; a recent deactivation for `disconnected`; no data for
 * `notFound`; SIM swap "not applicable" for `voip`; type quirks for `oddValues`; no events
 * otherwise.
 */
export function addonScenarioOfLiveRow(
  name: TestNumberName,
  live: Scenario,
  endpoint: 'phoneid' | 'number-deactivation',
): AddonScenario {
  if (live.kind === 'fault') return live;
  if (live.kind === 'error') {
    return endpoint === 'phoneid' ? (PHONE_ID_ERRORS[name] ?? live) : live;
  }
  switch (name) {
    case 'disconnected':
      return data(deactivated(2));
    case 'notFound':
      return both(2805);
    case 'voip':
      return data(deactivated(null), { status: 2804 });
    case 'oddValues':
      return data(deactivated(null), swapped({ hoursAgo: 30 * 24 }, 1, true), { quirks: true });
    default:
      return NO_EVENTS;
  }
}

/** The add-on behaviour of an add-on test number. */
export function addonScenarioOfAddonRow(name: AddonTestNumberName): AddonScenario {
  return ADDON_ROWS[name];
}

/** Every add-on row name (for tests and the table). */
export const ADDON_ROW_NAMES = Object.keys(ADDON_TEST_NUMBERS) as AddonTestNumberName[];
