/**
 * The options of `createTelesignClient`, validated once with the shared option-check
 * vocabulary (options/checks.ts): unknown keys and impossible values throw
 * `PhoneGuardOptionError` naming the full dotted path (`telesign.retry.attempts` when the
 * guard passes its `telesign` options through).
 */
import type { Dispatcher } from 'undici';
import { PhoneGuardOptionError } from '../model/errors.js';
import { USE_CASES, type UseCase } from '../model/types.js';
import {
  enumOption,
  functionOption,
  integerOption,
  msOption,
  optionObject,
  optionPath,
  textOption,
} from '../options/checks.js';
import { type RetryOptions, resolveRetryPolicy } from '../resilience/retry.js';
import {
  describeInvalidTelesignApiKey,
  hasControlCharacter,
  type TelesignAuthMethod,
} from './signing.js';
import type { TransportSettings } from './transport.js';

/** The documented base URL of Phone ID Live (full-service accounts). */
export const DEFAULT_TELESIGN_BASE_URL = 'https://rest-ww.telesign.com';

/**
 * Which endpoint answers `getPhoneIdAddons`: `'phoneid'` is Phone ID with add-ons
 * (`POST /v1/phoneid/{number}`, number deactivation and SIM swap); `'legacy'` is the older
 * `GET /v1/phoneid/number_deactivation/{number}` (number deactivation only).
 */
export type TelesignAddonsEndpoint = 'phoneid' | 'legacy';

/** Options of {@link createTelesignClient}. */
export interface TelesignClientOptions {
  /** Your Telesign customer id. Required. */
  customerId: string;
  /**
   * Your Telesign API key (base64, as Telesign shows it). Required. Kept in a closure:
   * it never appears in `util.inspect`, JSON, error messages or error causes.
   */
  apiKey: string;
  /**
   * `'digest'` signs every request (TSA HMAC-SHA256; the key never leaves the process);
   * `'basic'` sends the key in an HTTP Basic header.
   * @default 'digest'
   */
  authMethod?: TelesignAuthMethod | undefined;
  /**
   * Where Telesign is: an `http:` or `https:` URL, optionally with a path prefix; a
   * trailing slash is ignored. Point it at `@phone-guard/sandbox` in tests.
   * @default 'https://rest-ww.telesign.com'
   */
  baseUrl?: string | undefined;
  /**
   * Deadline of one whole call (`getLiveStatus()`, `getPhoneIdAddons()`) in milliseconds,
   * retries and backoff included. When it passes, the in-flight request is cancelled and
   * the call rejects with `TELESIGN_TIMEOUT`.
   * @default 5000
   */
  timeoutMs?: number | undefined;
  /**
   * Time limit of one attempt (connect, headers and body) in milliseconds. A timed-out
   * attempt is cancelled and, if attempts and time remain, retried
   * (`TELESIGN_ATTEMPT_TIMEOUT`). Values ≥ `timeoutMs` mean "only the deadline".
   * @default 2500
   */
  attemptTimeoutMs?: number | undefined;
  /**
   * Retry policy for retryable failures, or `false` to make one attempt only.
   * @default { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, random: Math.random }
   */
  retry?: RetryOptions | false | undefined;
  /**
   * An undici `Dispatcher` (Agent, Pool, MockAgent …) to send requests through. The
   * client does not close it. Without it the client owns a keep-alive `Pool` for
   * `baseUrl`'s origin, closed by `close()`. The global dispatcher is never used.
   * @default undefined (a Pool of its own)
   */
  dispatcher?: Dispatcher | undefined;
  /**
   * The Content-Type sent with each GET, and signed (the two are always the same).
   * The default is what every official Telesign SDK signs for GET (an empty value);
   * use `'application/x-www-form-urlencoded'` to send the value the product page lists.
   * (The add-on POST always sends and signs `application/json`.)
   * @default ''
   */
  contentType?: string | undefined;
  /**
   * Largest response body read, in bytes; reading stops and the call fails with
   * `TELESIGN_RESPONSE_TOO_LARGE` past it.
   * @default 262144 (256 KiB)
   */
  maxResponseBytes?: number | undefined;
  /**
   * Use case (`ucid`) sent when a live-status look-up does not name one.
   * @default 'OTHR'
   */
  useCase?: UseCase | undefined;
  /**
   * Maximum sockets of the client's own keep-alive pool. Not allowed together with
   * `dispatcher` (size that one yourself).
   * @default 64
   */
  connections?: number | undefined;
  /**
   * `User-Agent` header value.
   * @default '@phone-guard/core'
   */
  userAgent?: string | undefined;
  /**
   * Clock for `checkedAt` and `Retry-After` dates, in milliseconds since the epoch.
   * @default Date.now
   */
  now?: (() => number) | undefined;
  /**
   * Which endpoint `getPhoneIdAddons()` calls: `'phoneid'` (Phone ID with add-ons, both
   * number deactivation and SIM swap) or `'legacy'` (the deprecated number-deactivation
   * endpoint of older accounts; it cannot answer SIM swap).
   * @default 'phoneid'
   */
  addonsEndpoint?: TelesignAddonsEndpoint | undefined;
}

const OPTION_KEYS = [
  'customerId',
  'apiKey',
  'authMethod',
  'baseUrl',
  'timeoutMs',
  'attemptTimeoutMs',
  'retry',
  'dispatcher',
  'contentType',
  'maxResponseBytes',
  'useCase',
  'connections',
  'userAgent',
  'now',
  'addonsEndpoint',
] as const;

/** The client's options, validated. */
export interface ResolvedClientOptions extends TransportSettings {
  /** `origin` + `pathPrefix`, for inspection. */
  readonly displayBaseUrl: string;
  readonly contentType: string;
  readonly useCase: UseCase;
  readonly addonsEndpoint: TelesignAddonsEndpoint;
}

function requiredText(value: unknown, path: string): string {
  if (value === undefined) {
    throw new PhoneGuardOptionError(path, 'is required and must be a non-empty string.');
  }
  return textOption(value, path) as string; // defined: textOption throws or returns it
}

function checkCustomerId(value: unknown, path: string): string {
  const customerId = requiredText(value, path);
  if (customerId.includes(':') || /\s/.test(customerId)) {
    throw new PhoneGuardOptionError(path, 'must not contain spaces, ":" or control characters.');
  }
  return customerId;
}

/** The key is never echoed, not even in part: only what is wrong with it. */
function checkApiKey(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new PhoneGuardOptionError(path, 'is required and must be a non-empty string.');
  }
  const problem = describeInvalidTelesignApiKey(value);
  if (problem !== undefined) {
    throw new PhoneGuardOptionError(
      path,
      `is not a Telesign API key: after dropping characters outside A–Z a–z 0–9 + / =, it ${problem}.`,
    );
  }
  return value;
}

function checkBaseUrl(value: unknown, path: string): { origin: string; pathPrefix: string } {
  const raw = textOption(value, path, DEFAULT_TELESIGN_BASE_URL);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PhoneGuardOptionError(path, 'must be an absolute http(s) URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PhoneGuardOptionError(path, `must use http: or https:, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new PhoneGuardOptionError(path, 'must not contain credentials.');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new PhoneGuardOptionError(path, 'must not contain a query string or fragment.');
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

function checkDispatcher(value: unknown, path: string): Dispatcher | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as { dispatch?: unknown }).dispatch !== 'function'
  ) {
    throw new PhoneGuardOptionError(
      path,
      'must be an undici Dispatcher (Agent, Pool, MockAgent …).',
    );
  }
  return value as Dispatcher;
}

/** An empty content type is valid (the SDKs' default for GET): only control characters are not. */
function checkContentType(value: unknown, path: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || hasControlCharacter(value)) {
    throw new PhoneGuardOptionError(path, 'must be a string without control characters.');
  }
  return value;
}

/**
 * Validates the options of `createTelesignClient`. `path` is where they sit in a larger
 * options object (`'telesign'` inside the guard's), so that errors name the full path.
 * Throws `PhoneGuardOptionError`; never echoes the API key.
 */
export function resolveClientOptions(
  options: TelesignClientOptions,
  path = '',
): ResolvedClientOptions {
  const o = optionObject(options, path, OPTION_KEYS);
  if (o === undefined) {
    throw new PhoneGuardOptionError(
      path || 'options',
      'must be an object with customerId and apiKey.',
    );
  }
  const at = (key: string): string => optionPath(path, key);
  const customerId = checkCustomerId(o['customerId'], at('customerId'));
  const apiKey = checkApiKey(o['apiKey'], at('apiKey'));
  const authMethod = enumOption<TelesignAuthMethod>(
    o['authMethod'],
    at('authMethod'),
    ['digest', 'basic'],
    'digest',
  );
  const { origin, pathPrefix } = checkBaseUrl(o['baseUrl'], at('baseUrl'));
  const dispatcher = checkDispatcher(o['dispatcher'], at('dispatcher'));
  if (dispatcher !== undefined && o['connections'] !== undefined) {
    throw new PhoneGuardOptionError(
      at('connections'),
      'cannot be combined with dispatcher; size the dispatcher itself.',
    );
  }
  return {
    credentials: Object.freeze({ customerId, apiKey, authMethod }),
    origin,
    pathPrefix,
    displayBaseUrl: `${origin}${pathPrefix}`,
    timeoutMs: msOption(o['timeoutMs'], at('timeoutMs'), 5000, { allowZero: false }),
    attemptTimeoutMs: msOption(o['attemptTimeoutMs'], at('attemptTimeoutMs'), 2500, {
      allowZero: false,
    }),
    retry: resolveRetryPolicy(o['retry'] as RetryOptions | false | undefined, at('retry')),
    dispatcher,
    connections: integerOption(o['connections'], at('connections'), 64, 1, 10_000),
    contentType: checkContentType(o['contentType'], at('contentType')),
    maxResponseBytes: integerOption(
      o['maxResponseBytes'],
      at('maxResponseBytes'),
      256 * 1024,
      1024,
      2 ** 30,
    ),
    useCase: enumOption(o['useCase'], at('useCase'), USE_CASES, 'OTHR'),
    userAgent: textOption(o['userAgent'], at('userAgent'), '@phone-guard/core'),
    now: functionOption<() => number>(o['now'], at('now')) ?? Date.now,
    addonsEndpoint: enumOption<TelesignAddonsEndpoint>(
      o['addonsEndpoint'],
      at('addonsEndpoint'),
      ['phoneid', 'legacy'],
      'phoneid',
    ),
  };
}
