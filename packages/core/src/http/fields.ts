/**
 * Finding a value in a parsed body or query string by a dotted path (`'user.phone'`),
 * safely: the path is checked once, when the middleware is created, and reading follows
 * own properties only, never the prototype chain. Used for the phone number (`field`)
 * and the request's country (`countryField`).
 */
import { PhoneGuardOptionError } from '../model/errors.js';

const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_FIELD_LENGTH = 256;

/**
 * Splits a `field` option (`'phone'`, `'user.phone'`) into its parts, refusing empty
 * parts and the names that lead into prototypes. Throws {@link PhoneGuardOptionError}.
 *
 * @example parsePhoneField('user.phone') // ['user', 'phone']
 */
export function parsePhoneField(field: unknown): readonly string[] {
  return parseFieldPath(field, 'field');
}

/**
 * {@link parsePhoneField} for any option that names a dotted path (`field`,
 * `countryField`); errors name `option`.
 */
export function parseFieldPath(field: unknown, option: string): readonly string[] {
  if (typeof field !== 'string' || field === '' || field.length > MAX_FIELD_LENGTH) {
    throw new PhoneGuardOptionError(
      option,
      `must be a non-empty string of at most ${MAX_FIELD_LENGTH} characters, such as 'phone' or 'user.phone'`,
    );
  }
  const parts = field.split('.');
  for (const part of parts) {
    if (part === '') {
      throw new PhoneGuardOptionError(option, `has an empty part: ${JSON.stringify(field)}`);
    }
    if (UNSAFE_SEGMENTS.has(part)) {
      throw new PhoneGuardOptionError(option, `must not contain "${part}"`);
    }
  }
  return Object.freeze(parts);
}

/**
 * Reads a phone field from a parsed body or query object, safely: only own properties
 * are followed (never the prototype chain), and non-objects yield `undefined`. When the
 * nested path is absent, a flat key spelled like the whole path (`'user.phone'`, as
 * some query-string parsers produce) is tried.
 *
 * @example readPhoneField({ user: { phone: '+14155552671' } }, ['user', 'phone']) // '+14155552671'
 */
export function readPhoneField(source: unknown, path: readonly string[]): unknown {
  const nested = readOwnPath(source, path);
  if (nested !== undefined || path.length < 2) return nested;
  return readOwnPath(source, [path.join('.')]);
}

function readOwnPath(source: unknown, path: readonly string[]): unknown {
  let value: unknown = source;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
