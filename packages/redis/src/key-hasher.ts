import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** Turns an E.164 number into the opaque part of a Redis key. */
export type KeyHasher = (phone: string) => string;

/**
 * Creates the function that turns a phone number into `base64url(HMAC-SHA256(secret,
 * e164))` (43 characters). The secret is copied, so later changes to the caller's
 * buffer have no effect. Use it to find (or delete) the entry of one number yourself.
 *
 * @example
 * ```ts
 * const hash = createKeyHasher(process.env.PHONE_GUARD_KEY_SECRET as string);
 * hash('+14155552671'); // 'q3V…' (43 base64url characters, no digits of the number)
 * ```
 */
export function createKeyHasher(secret: string | Uint8Array): KeyHasher {
  const key: KeyObject = createSecretKey(
    typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret),
  );
  return (phone) => createHmac('sha256', key).update(phone, 'utf8').digest('base64url');
}
