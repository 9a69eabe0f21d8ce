/**
 * One vocabulary for validating options, express-rate-limit style: checked once, up
 * front; `undefined` means "the default"; anything unknown or impossible throws a
 * {@link PhoneGuardOptionError} naming the option's full dotted path (`telesign.retry`).
 * Every factory in phone-guard checks its options with these functions, so messages read
 * alike and no bound is forgotten.
 */
import { PhoneGuardOptionError } from '../model/errors.js';

/**
 * The largest delay `setTimeout` honours (2^31 − 1 ms, about 24.8 days). Node runs a
 * longer timer after 1 ms, so a larger timeout would fire at once: no millisecond option
 * that becomes a timer may exceed it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** `parent.key`, or `key` at the top level. */
export function optionPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** A short, safe description of a value for an error message (`a function`, `"text"`, `42`). */
export function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * A plain options object whose keys are all in `known`, or `undefined` when `value` is.
 * An unknown key is reported with its full path and the list of known keys.
 */
export function optionObject(
  value: unknown,
  path: string,
  known: readonly string[],
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PhoneGuardOptionError(path || 'options', `must be an object, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new PhoneGuardOptionError(
        optionPath(path, key),
        `is not a known option (known: ${known.join(', ')})`,
      );
    }
  }
  return value as Record<string, unknown>;
}

/** Bounds of {@link msOption}. */
export interface MsBounds {
  /** Smallest value allowed. @default 0 */
  min?: number;
  /** Whether exactly 0 is allowed (e.g. "off"). @default true */
  allowZero?: boolean;
  /** Largest value allowed. @default MAX_TIMER_MS */
  max?: number;
}

/** A duration in milliseconds, bounded so that it can always become a timer. */
export function msOption(
  value: unknown,
  path: string,
  fallback: number,
  bounds: MsBounds = {},
): number {
  if (value === undefined) return fallback;
  const { min = 0, allowZero = true, max = MAX_TIMER_MS } = bounds;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (!allowZero && value === 0)
  ) {
    const low = allowZero || min > 0 ? `>= ${min}` : '> 0';
    throw new PhoneGuardOptionError(
      path,
      `must be a finite number of milliseconds ${low} and <= ${max}, got ${describe(value)}`,
    );
  }
  return value;
}

/** A safe integer in `[min, max]`. */
export function integerOption(
  value: unknown,
  path: string,
  fallback: number,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new PhoneGuardOptionError(path, `must be an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

/** One of `allowed`. */
export function enumOption<T extends string>(
  value: unknown,
  path: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new PhoneGuardOptionError(
      path,
      `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as T;
}

/** A function, or `undefined`. */
export function functionOption<F extends (...args: never[]) => unknown>(
  value: unknown,
  path: string,
): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw new PhoneGuardOptionError(path, `must be a function, got ${describe(value)}`);
  }
  return value as F;
}

/** A boolean. */
export function booleanOption(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new PhoneGuardOptionError(path, `must be true or false, got ${describe(value)}`);
  }
  return value;
}

/** A non-empty string without control characters. */
export function textOption(value: unknown, path: string, fallback: string): string;
export function textOption(value: unknown, path: string): string | undefined;
export function textOption(value: unknown, path: string, fallback?: string): string | undefined {
  if (value === undefined) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
  if (typeof value !== 'string' || value.trim() === '' || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new PhoneGuardOptionError(
      path,
      `must be a non-empty string without control characters, got ${describe(value)}`,
    );
  }
  return value;
}
