import { hkdfSync } from 'node:crypto';
import { PhoneGuardOptionError } from '@phone-guard/core';

/** The shortest key secret accepted, in bytes. */
export const MIN_KEY_SECRET_BYTES = 16;

/**
 * The public secret the store used to fall back to before 1.1. Kept as an export so that
 * code importing it still compiles, but never used: a store refuses it as `keySecret` (or
 * in `PHONE_GUARD_KEY_SECRET`), because keys hashed under a known secret can be reversed
 * to phone numbers by hashing every number of an area code.
 * @deprecated Pass your own `keySecret` (or set `PHONE_GUARD_KEY_SECRET`).
 */
export const DEFAULT_KEY_SECRET = 'phone-guard/redis: default key secret, set keySecret';

/** The environment variable read when `keySecret` is not given. */
export const KEY_SECRET_ENV = 'PHONE_GUARD_KEY_SECRET';

/** Where the store's key secret came from. */
export type KeySecretSource = 'option' | typeof KEY_SECRET_ENV | 'TELESIGN_API_KEY';

/** A key secret and where it came from. */
export interface ResolvedKeySecret {
  /** The HMAC key: a private copy, never the caller's buffer. */
  readonly secret: Buffer;
  readonly source: KeySecretSource;
}

/** HKDF salt and info for the secret derived from `TELESIGN_API_KEY` (never change them). */
const HKDF_SALT = 'phone-guard/redis';
const HKDF_INFO = 'redis key secret v1';

function bytesOf(value: unknown, option: string): Buffer {
  let bytes: Buffer;
  if (typeof value === 'string') bytes = Buffer.from(value, 'utf8');
  else if (value instanceof Uint8Array) bytes = Buffer.from(value);
  else throw new PhoneGuardOptionError(option, 'must be a string or a Buffer');
  if (bytes.equals(Buffer.from(DEFAULT_KEY_SECRET, 'utf8'))) {
    throw new PhoneGuardOptionError(
      option,
      'is the old public default secret: keys under it are reversible to phone numbers; use your own secret (e.g. `openssl rand -base64 32`)',
    );
  }
  if (bytes.byteLength < MIN_KEY_SECRET_BYTES) {
    throw new PhoneGuardOptionError(
      option,
      `must be at least ${MIN_KEY_SECRET_BYTES} bytes long (use 32 random bytes, e.g. \`openssl rand -base64 32\`)`,
    );
  }
  return bytes;
}

/**
 * Picks the secret that turns phone numbers into Redis keys, in this order:
 *
 * 1. the `keySecret` option;
 * 2. the `PHONE_GUARD_KEY_SECRET` environment variable;
 * 3. a key derived with HKDF-SHA256 from the `TELESIGN_API_KEY` environment variable,
 *    the secret every instance of a phone-guard deployment already shares (the derived
 *    key reveals nothing about the API key).
 *
 * With none of them it throws a {@link PhoneGuardOptionError}: there is no public default,
 * because keys hashed under a known secret can be reversed to phone numbers by hashing
 * every number of an area code. Each must be at least {@link MIN_KEY_SECRET_BYTES} bytes.
 *
 * @example
 * ```ts
 * resolveKeySecret(undefined, process.env); // from PHONE_GUARD_KEY_SECRET or TELESIGN_API_KEY
 * ```
 */
export function resolveKeySecret(
  option: unknown,
  env: Record<string, string | undefined> = process.env,
): ResolvedKeySecret {
  if (option !== undefined) return { secret: bytesOf(option, 'keySecret'), source: 'option' };
  const fromEnv = env[KEY_SECRET_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { secret: bytesOf(fromEnv, KEY_SECRET_ENV), source: KEY_SECRET_ENV };
  }
  const apiKey = env.TELESIGN_API_KEY;
  const howTo = `pass keySecret or set ${KEY_SECRET_ENV}: the same secret on every instance, at least ${MIN_KEY_SECRET_BYTES} bytes, e.g. \`openssl rand -base64 32\``;
  if (apiKey !== undefined && apiKey !== '') {
    const material = Buffer.from(apiKey, 'utf8');
    if (material.byteLength < MIN_KEY_SECRET_BYTES) {
      throw new PhoneGuardOptionError(
        'keySecret',
        `is required: TELESIGN_API_KEY is too short to derive one from; ${howTo}`,
      );
    }
    const derived = Buffer.from(hkdfSync('sha256', material, HKDF_SALT, HKDF_INFO, 32));
    return { secret: derived, source: 'TELESIGN_API_KEY' };
  }
  throw new PhoneGuardOptionError(
    'keySecret',
    `is required (no public default: it would make keys reversible to phone numbers); ${howTo}, or set TELESIGN_API_KEY to derive one`,
  );
}
