/**
 * Checks of what a caller passes to one client call (the number, the per-call options),
 * done before any I/O and shared by every product.
 */
import { PhoneGuardOptionError, TelesignError } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';

const PHONE_PATTERN = /^\+?([1-9]\d{5,14})$/;

/** A number to send: its digits (for the path) and its E.164 form (for messages). */
export interface PhoneArgument {
  readonly digits: string;
  readonly e164: string;
}

/**
 * Reads an E.164 number (`+14155552671`) or its digits alone. Throws
 * `TELESIGN_INVALID_PHONE` (fault `request`) for anything else; never echoes a full number.
 */
export function readPhoneArgument(phone: unknown): PhoneArgument {
  const match = typeof phone === 'string' ? PHONE_PATTERN.exec(phone) : null;
  if (match === null || match[1] === undefined) {
    const shown = typeof phone === 'string' ? `"${maskPhone(phone)}"` : `a ${typeof phone}`;
    throw new TelesignError(
      'TELESIGN_INVALID_PHONE',
      `Telesign look-up refused: ${shown} is not an E.164 number (+ and 6–15 digits, or the digits alone); normalize it first.`,
    );
  }
  const digits = match[1];
  return { digits, e164: `+${digits}` };
}

/**
 * The per-call options object of `method`, or `undefined`: an object whose keys are all
 * in `known`, and whose `signal`, if any, is an AbortSignal. Throws `PhoneGuardOptionError`.
 */
export function readCallOptions<T extends { signal?: AbortSignal | undefined }>(
  value: T | undefined,
  method: string,
  known: readonly string[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) {
    throw new PhoneGuardOptionError(`${method} options`, 'must be an object.');
  }
  for (const key in value) {
    if (!known.includes(key)) {
      throw new PhoneGuardOptionError(
        key,
        `is not a known ${method} option (${known.join(', ')}).`,
      );
    }
  }
  const signal: unknown = value.signal;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' ||
      signal === null ||
      typeof (signal as AbortSignal).addEventListener !== 'function')
  ) {
    throw new PhoneGuardOptionError('signal', 'must be an AbortSignal.');
  }
  return value;
}
