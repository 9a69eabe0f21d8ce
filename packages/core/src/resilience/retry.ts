/**
 * The retry policy of the Telesign client: bounded attempts, exponential backoff with
 * full jitter and `Retry-After` parsing.
 */
import { PhoneGuardOptionError } from '../model/errors.js';
import {
  functionOption,
  integerOption,
  msOption,
  optionObject,
  optionPath,
} from '../options/checks.js';

/** Retry settings of the Telesign client. */
export interface RetryOptions {
  /**
   * Total attempts, the first included (1 = never retry). Integer 1–10.
   * @default 3
   */
  attempts?: number | undefined;
  /**
   * Backoff before retry *n* is a random delay in `[0, min(maxDelayMs, baseDelayMs · 2^(n-1)))`
   * ("full jitter").
   * @default 100
   */
  baseDelayMs?: number | undefined;
  /**
   * Upper bound of one backoff delay. A `Retry-After` header is honoured even when longer,
   * as long as it ends before the look-up's deadline.
   * @default 1000, or `baseDelayMs` when that is larger
   */
  maxDelayMs?: number | undefined;
  /**
   * Source of randomness in `[0, 1)` for the jitter (inject a constant in tests).
   * @default Math.random
   */
  random?: (() => number) | undefined;
}

/** A validated retry policy. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly attempts: number;
  /** Backoff base, in milliseconds. */
  readonly baseDelayMs: number;
  /** Backoff cap, in milliseconds. */
  readonly maxDelayMs: number;
  /** Jitter source in `[0, 1)`. */
  readonly random: () => number;
}

const RETRY_KEYS = ['attempts', 'baseDelayMs', 'maxDelayMs', 'random'] as const;
const DEFAULT_POLICY: RetryPolicy = Object.freeze({
  attempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  random: Math.random,
});
const NO_RETRY: RetryPolicy = Object.freeze({
  attempts: 1,
  baseDelayMs: 0,
  maxDelayMs: 0,
  random: Math.random,
});

/**
 * Validates the `retry` option: `false` disables retries, `undefined` means the
 * defaults (3 attempts, 100 ms base, 1 s cap). Throws `PhoneGuardOptionError` naming the
 * full dotted path (`path` is where the option sits, e.g. `telesign.retry`).
 *
 * @example resolveRetryPolicy({ attempts: 2 }) // { attempts: 2, baseDelayMs: 100, … }
 */
export function resolveRetryPolicy(
  retry: RetryOptions | false | undefined,
  path = 'retry',
): RetryPolicy {
  if (retry === false) return NO_RETRY;
  if (retry === undefined) return DEFAULT_POLICY;
  if (typeof retry !== 'object' || retry === null || Array.isArray(retry)) {
    throw new PhoneGuardOptionError(
      path,
      'must be false or an object { attempts, baseDelayMs, maxDelayMs, random }.',
    );
  }
  const options = optionObject(retry, path, RETRY_KEYS) as RetryOptions;
  const attempts = integerOption(options.attempts, optionPath(path, 'attempts'), 3, 1, 10);
  const baseDelayMs = msOption(options.baseDelayMs, optionPath(path, 'baseDelayMs'), 100);
  const maxPath = optionPath(path, 'maxDelayMs');
  const maxDelayMs = msOption(options.maxDelayMs, maxPath, Math.max(1000, baseDelayMs));
  if (maxDelayMs < baseDelayMs) {
    throw new PhoneGuardOptionError(maxPath, 'must not be smaller than baseDelayMs.');
  }
  const random =
    functionOption<() => number>(options.random, optionPath(path, 'random')) ?? Math.random;
  return Object.freeze({ attempts, baseDelayMs, maxDelayMs, random });
}

/**
 * The backoff before retry number `retry` (1 for the first retry): full jitter, a random
 * delay in `[0, min(maxDelayMs, baseDelayMs · 2^(retry-1)))`.
 *
 * @example backoffDelay(2, { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 }) // 100
 */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = policy.random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * ceiling);
}

/**
 * Parses a `Retry-After` header: delta-seconds (`"2"`) or an HTTP date. Returns the delay
 * in milliseconds (never negative), or `undefined` when absent or unreadable.
 *
 * @example parseRetryAfter('2', Date.now()) // 2000
 */
export function parseRetryAfter(
  header: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined;
  }
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
