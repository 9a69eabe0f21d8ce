import { PhoneGuardOptionError, signTelesignRequest } from '@phone-guard/core';
import { SANDBOX_API_KEY, SANDBOX_CUSTOMER_ID } from './credentials.js';
import { isPinOutcome, pinDigits } from './pins.js';
import type { SandboxPinOutcome } from './rows.js';

/** Which authentication schemes the sandbox accepts. */
export type SandboxAuthMode = 'any' | 'basic' | 'digest';

/** Milliseconds added before the answers of each Telesign endpoint (unlisted: 0). */
export interface SandboxLatency {
  /**
   * `GET /v1/phoneid/live/{n}`.
   * @default 0
   */
  live?: number | undefined;
  /**
   * `POST /v1/phoneid/{n}` (Phone ID with add-ons).
   * @default 0
   */
  phoneid?: number | undefined;
  /**
   * `GET /v1/phoneid/number_deactivation/{n}` (legacy).
   * @default 0
   */
  numberDeactivation?: number | undefined;
}

/** Options of {@link startSandbox}. `undefined` always means "use the default". */
export interface SandboxOptions {
  /**
   * TCP port to listen on; `0` picks a free one (read it back from `port` / `url`).
   * @default 0
   */
  port?: number | undefined;
  /**
   * Interface to listen on. Keep the default unless the sandbox must be reached from
   * another machine or container.
   * @default '127.0.0.1'
   */
  host?: string | undefined;
  /**
   * The only customer id accepted (compared case-insensitively).
   * @default SANDBOX_CUSTOMER_ID ('FFFFFFFF-EEEE-DDDD-1234-AB1234567890')
   */
  customerId?: string | undefined;
  /**
   * The API key requests must be signed with (Digest) or carry (Basic). Unless `auth` is
   * `'basic'`, it must decode as a Telesign key (base64 after dropping other characters).
   * @default SANDBOX_API_KEY
   */
  apiKey?: string | undefined;
  /**
   * Milliseconds added before every answer (and before faults take effect): one number for
   * every Telesign endpoint, or one per endpoint, e.g. `{ live: 300, phoneid: 300 }`.
   * The admin routes never wait.
   * @default 0
   */
  latencyMs?: number | SandboxLatency | undefined;
  /**
   * Fraction (0..1) of otherwise-normal look-ups (live answers: listed live rows, the
   * not-found row and numbers outside the table; and normal add-on answers on both add-on
   * endpoints) answered HTTP 503 with error -90001. Decided by
   * `random() < failureRate`; `random` is only called when `failureRate > 0`.
   * @default 0
   */
  failureRate?: number | undefined;
  /**
   * Source of randomness for `failureRate`, returning a number in [0, 1). Inject one to
   * make failures deterministic.
   * @default Math.random
   */
  random?: (() => number) | undefined;
  /**
   * Telesign's same-number behaviour: a look-up of a number that got live data less
   * than this many milliseconds ago answers 200 / status 301 / -60001 with
   * `live: null`. `0` turns it off.
   * @default 0
   */
  repeatWindowMs?: number | undefined;
  /**
   * How long the `faultSlow` test number waits before answering, in milliseconds.
   * @default 1500
   */
  slowMs?: number | undefined;
  /**
   * Accepted authentication schemes: `'basic'`, `'digest'` (TSA HMAC-SHA256) or `'any'`.
   * @default 'any'
   */
  auth?: SandboxAuthMode | undefined;
  /**
   * Largest tolerated difference, in milliseconds, between the request's `Date` /
   * `x-ts-date` and the sandbox clock (Digest only).
   * @default 900000 (15 minutes)
   */
  dateSkewMs?: number | undefined;
  /**
   * The clock, in milliseconds since the epoch. Used for the date-skew check, the
   * repeat window, `updated_on` and the `at` of recorded requests.
   * @default Date.now
   */
  now?: (() => number) | undefined;
  /**
   * How many requests `requests` keeps; the oldest are dropped beyond it, so that long
   * benchmarks do not grow memory without bound.
   * @default 10000
   */
  maxRecordedRequests?: number | undefined;
  /**
   * Outcomes pinned from the start, by number (E.164 or digits), as `pin()` would:
   * `{ '+447400123100': 'disconnected' }`.
   * @default {}
   */
  pins?: Readonly<Record<string, SandboxPinOutcome>> | undefined;
}

/** {@link SandboxOptions} with every default applied. */
export interface ResolvedSandboxOptions {
  port: number;
  host: string;
  customerId: string;
  apiKey: string;
  latencyMs: Readonly<Record<keyof SandboxLatency, number>>;
  failureRate: number;
  random: () => number;
  repeatWindowMs: number;
  slowMs: number;
  auth: SandboxAuthMode;
  dateSkewMs: number;
  now: () => number;
  maxRecordedRequests: number;
  pins: Readonly<Record<string, SandboxPinOutcome>>;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'port',
  'host',
  'customerId',
  'apiKey',
  'latencyMs',
  'failureRate',
  'random',
  'repeatWindowMs',
  'slowMs',
  'auth',
  'dateSkewMs',
  'now',
  'maxRecordedRequests',
  'pins',
]);

const LATENCY_KEYS: ReadonlySet<string> = new Set(['live', 'phoneid', 'numberDeactivation']);

function latency(value: unknown): Record<keyof SandboxLatency, number> {
  if (value === undefined || typeof value === 'number') {
    const all = nonNegative('latencyMs', value, 0);
    return { live: all, phoneid: all, numberDeactivation: all };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PhoneGuardOptionError(
      'latencyMs',
      'must be a number of milliseconds or an object { live?, phoneid?, numberDeactivation? }',
    );
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!LATENCY_KEYS.has(key)) {
      throw new PhoneGuardOptionError(`latencyMs.${key}`, 'is not a sandbox endpoint');
    }
  }
  return {
    live: nonNegative('latencyMs.live', o['live'], 0),
    phoneid: nonNegative('latencyMs.phoneid', o['phoneid'], 0),
    numberDeactivation: nonNegative('latencyMs.numberDeactivation', o['numberDeactivation'], 0),
  };
}

function pinsOption(value: unknown): Record<string, SandboxPinOutcome> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PhoneGuardOptionError('pins', 'must be an object { number: outcome }');
  }
  const out: Record<string, SandboxPinOutcome> = {};
  for (const [number, outcome] of Object.entries(value)) {
    if (pinDigits(number) === undefined) {
      throw new PhoneGuardOptionError('pins', `${JSON.stringify(number)} is not 6 to 15 digits`);
    }
    if (!isPinOutcome(outcome)) {
      throw new PhoneGuardOptionError(
        'pins',
        `${JSON.stringify(outcome)} names no test number of TEST_NUMBERS or ADDON_TEST_NUMBERS`,
      );
    }
    out[number] = outcome;
  }
  return out;
}

/** Largest delay a timer can hold (setTimeout clamps anything above to 1 ms). */
const MAX_DELAY_MS = 2_147_483_647;

function nonNegative(name: string, value: unknown, fallback: number, max = MAX_DELAY_MS): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new PhoneGuardOptionError(name, `must be a finite number from 0 to ${max}`);
  }
  return value;
}

function nonEmptyString(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new PhoneGuardOptionError(name, 'must be a non-empty string');
  }
  return value;
}

function fn<T extends (...args: never[]) => unknown>(name: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new PhoneGuardOptionError(name, 'must be a function');
  return value as T;
}

/**
 * Validates {@link SandboxOptions} once and applies the defaults. Throws
 * `PhoneGuardOptionError` for unknown keys and impossible values; never mutates `input`.
 */
export function resolveSandboxOptions(input: unknown): ResolvedSandboxOptions {
  if (input === undefined) input = {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PhoneGuardOptionError('options', 'must be an object');
  }
  const o = input as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN_KEYS.has(key)) throw new PhoneGuardOptionError(key, 'is not a sandbox option');
  }

  const port = o['port'];
  if (
    port !== undefined &&
    (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)
  ) {
    throw new PhoneGuardOptionError('port', 'must be an integer from 0 to 65535');
  }

  const customerId = nonEmptyString('customerId', o['customerId'], SANDBOX_CUSTOMER_ID);
  if (customerId.includes(':')) {
    throw new PhoneGuardOptionError('customerId', 'must not contain ":"');
  }

  const auth = o['auth'];
  if (auth !== undefined && auth !== 'any' && auth !== 'basic' && auth !== 'digest') {
    throw new PhoneGuardOptionError('auth', "must be 'any', 'basic' or 'digest'");
  }

  const apiKey = nonEmptyString('apiKey', o['apiKey'], SANDBOX_API_KEY);
  if (auth !== 'basic') {
    // Digest signatures are made with the key decoded by Telesign's rule: a key that does
    // not decode could never verify, and every request would fail with -30006.
    try {
      signTelesignRequest({ method: 'GET', resource: '/' }, { customerId, apiKey });
    } catch (err) {
      const detail = err instanceof Error ? err.message.replace(/^.*? is not/, 'is not') : '';
      throw new PhoneGuardOptionError(
        'apiKey',
        `${detail} Digest requests could never verify: use a base64 key, or auth: 'basic'.`,
      );
    }
  }

  const failureRate = nonNegative('failureRate', o['failureRate'], 0, 1);

  const maxRecorded = o['maxRecordedRequests'];
  if (
    maxRecorded !== undefined &&
    (!Number.isSafeInteger(maxRecorded) || (maxRecorded as number) < 0)
  ) {
    throw new PhoneGuardOptionError('maxRecordedRequests', 'must be a non-negative integer');
  }

  return {
    port: (port as number | undefined) ?? 0,
    host: nonEmptyString('host', o['host'], '127.0.0.1'),
    customerId,
    apiKey,
    latencyMs: latency(o['latencyMs']),
    failureRate,
    random: fn('random', o['random'], Math.random),
    repeatWindowMs: nonNegative('repeatWindowMs', o['repeatWindowMs'], 0, Number.MAX_SAFE_INTEGER),
    slowMs: nonNegative('slowMs', o['slowMs'], 1500),
    auth: (auth as SandboxAuthMode | undefined) ?? 'any',
    dateSkewMs: nonNegative('dateSkewMs', o['dateSkewMs'], 15 * 60 * 1000, Number.MAX_SAFE_INTEGER),
    now: fn('now', o['now'], Date.now),
    maxRecordedRequests: (maxRecorded as number | undefined) ?? 10_000,
    pins: pinsOption(o['pins']),
  };
}
