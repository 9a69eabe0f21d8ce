/**
 * What each test number answers. The `satisfies` clause makes a new row of
 * `TEST_NUMBERS` without a behaviour a type error.
 */
import type { LiveProfile } from './envelope.js';
import { COUNTRIES } from './geo.js';
import {
  type InternationalCountry,
  type InternationalOutcome,
  ROAMING_DESTINATIONS,
} from './international-numbers.js';
import type { TestNumberName } from './test-numbers.js';

/** A transport or body fault a test number produces. */
export type SandboxFault =
  | 'hang'
  | 'slow'
  | 'malformed-json'
  | 'truncated'
  | 'reset'
  | 'oversized'
  | 'no-envelope'
  | 'flaky';

/** One number's behaviour. */
export type Scenario =
  | { kind: 'live'; profile: LiveProfile }
  | { kind: 'not-found'; profile: LiveProfile }
  | {
      kind: 'error';
      httpStatus: number;
      /** Telesign's error code; `null` sends an empty `errors` array. */
      code: number | null;
      description: string;
      statusCode: 500 | 501;
      headers?: Readonly<Record<string, string>>;
    }
  | { kind: 'fault'; fault: SandboxFault };

const US = COUNTRIES['1']!;
const SAN_FRANCISCO = US.cities[0]!;
const MOBILE = { code: '2', description: 'MOBILE' } as const;

/** A US mobile in San Francisco with the given live block (the base of every test row). */
function usProfile(
  live: Partial<LiveProfile['live']>,
  extra: Partial<LiveProfile> = {},
): LiveProfile {
  return {
    live: {
      subscriber_status: 'ACTIVE',
      device_status: 'REACHABLE',
      roaming: 'NO',
      roaming_country: null,
      roaming_country_iso2: null,
      ...live,
    },
    phoneType: MOBILE,
    carrier: 'Verizon Wireless',
    city: SAN_FRANCISCO,
    country: US,
    ...extra,
  };
}

const live = (l: Partial<LiveProfile['live']>, extra: Partial<LiveProfile> = {}): Scenario => ({
  kind: 'live',
  profile: usProfile(l, extra),
});

const error = (
  httpStatus: number,
  code: number | null,
  description: string,
  statusCode: 500 | 501 = 500,
  headers?: Record<string, string>,
): Scenario =>
  headers === undefined
    ? { kind: 'error', httpStatus, code, description, statusCode }
    : { kind: 'error', httpStatus, code, description, statusCode, headers };

const fault = (f: SandboxFault): Scenario => ({ kind: 'fault', fault: f });

/** The behaviour of every row of `TEST_NUMBERS`, by name. */
export const TEST_NUMBER_SCENARIOS = {
  active: live({}),
  unreachable: live({ device_status: 'UNREACHABLE' }),
  deviceUnavailable: live({ device_status: 'UNAVAILABLE' }),
  roaming: live(
    { roaming: 'YES', roaming_country: 'MEXICO', roaming_country_iso2: 'MX' },
    { carrier: 'T-Mobile USA' },
  ),
  disconnected: live({
    subscriber_status: 'DISCONNECTED',
    device_status: 'UNAVAILABLE',
    roaming: 'UNAVAILABLE',
  }),
  notFound: { kind: 'not-found', profile: usProfile({}) },
  voip: live({}, { phoneType: { code: '5', description: 'VOIP' }, carrier: 'Bandwidth.com' }),
  prepaid: live({}, { phoneType: { code: '3', description: 'PREPAID' }, carrier: 'T-Mobile USA' }),
  oddValues: live(
    {
      roaming: 'PARTIAL',
      roaming_country: 'null',
      roaming_country_iso2: 'null',
    },
    {
      phoneType: { code: '12', description: 'OTHER' },
      carrier: null,
      stringCoordinates: true,
      stringNulls: true,
      city: { ...SAN_FRANCISCO, state: null, zip: null },
    },
  ),

  errNotAllowedHost: error(400, -10001, 'Not allowed host or unsupported product'),
  errRateLimited: error(429, -40007, 'Rate limit exceeded', 500, { 'retry-after': '1' }),
  errRateLimited400: error(400, -40007, 'Rate limit exceeded'),
  errLegalBlock: error(400, 10041, 'Request blocked for legal compliance'),
  errProductNotEnabled: error(
    401,
    -20002,
    'This product is not enabled for this Customer ID.',
    501,
  ),
  errAccountSuspended: error(401, -30001, 'Customer ID Account Suspended.', 501),
  errNotAuthorized: error(401, -40002, 'Not authorized', 501),
  errPaymentRequired: error(402, null, 'Payment required', 501),
  errStatusUnavailable: error(404, -40001, 'Status unavailable'),
  errNotFound: error(404, -40004, 'Resource not found'),
  errMethodNotAllowed: error(405, -40005, 'Method not allowed'),
  errHardCap: error(429, -40008, 'Transaction hard cap reached; request denied'),
  errInternal: error(500, null, 'Transaction not attempted'),
  errUnavailable: error(503, -90001, 'System unavailable, please try again later.'),
  errInvalidSourceIp: error(401, -10009, 'Invalid source IP address'),
  errAccountNotActivated: error(401, -30002, 'Customer ID account not activated.', 501),
  errFeatureNotEnabled: error(
    401,
    -20003,
    'This feature is not enabled for this Customer ID.',
    501,
  ),
  errNewAccountLimit: error(401, -30003, 'New account limit reached.', 501),

  faultHang: fault('hang'),
  faultSlow: fault('slow'),
  faultMalformedJson: fault('malformed-json'),
  faultTruncated: fault('truncated'),
  faultReset: fault('reset'),
  faultOversized: fault('oversized'),
  faultNoEnvelope: fault('no-envelope'),
  faultFlaky: fault('flaky'),
} as const satisfies Record<TestNumberName, Scenario>;

/** The live profile the `faultSlow` and `faultFlaky` numbers finally answer with. */
export const FAULT_SUCCESS_PROFILE: LiveProfile = usProfile({});

const CALLING_CODES: Readonly<Record<InternationalCountry, string>> = {
  GB: '44',
  DE: '49',
  FR: '33',
  IN: '91',
  BR: '55',
  AU: '61',
};

/**
 * The live answer of an international test number: the US row of the same name, moved to
 * the country (its carrier, first city and numbering; roaming in a neighbouring country).
 */
export function internationalScenario(
  country: InternationalCountry,
  outcome: InternationalOutcome,
): Scenario {
  const data = COUNTRIES[CALLING_CODES[country]]!;
  const us = TEST_NUMBER_SCENARIOS[outcome] as Extract<Scenario, { kind: 'live' | 'not-found' }>;
  const profile: LiveProfile = {
    ...us.profile,
    live: { ...us.profile.live },
    country: data,
    city: data.cities[0] ?? null,
    carrier:
      outcome === 'voip'
        ? `${data.name} VoIP`
        : (data.carriers[INTERNATIONAL_CARRIER_INDEX[outcome] % data.carriers.length] ?? null),
  };
  if (outcome === 'roaming') {
    const where = ROAMING_DESTINATIONS[country];
    profile.live.roaming_country = where.name;
    profile.live.roaming_country_iso2 = where.iso2;
  }
  return { kind: us.kind, profile };
}

/** Which of the country's carriers each outcome uses (varied, deterministic). */
const INTERNATIONAL_CARRIER_INDEX: Readonly<Record<InternationalOutcome, number>> = {
  active: 0,
  unreachable: 1,
  deviceUnavailable: 2,
  roaming: 0,
  disconnected: 1,
  notFound: 2,
  voip: 0,
  prepaid: 1,
};

/** A US live answer placed in Los Angeles (the add-on rows, +1 310). */
export const LOS_ANGELES_ACTIVE: Scenario = live({}, { city: US.cities[1]! });
