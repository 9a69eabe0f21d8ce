/** `guard.forget()`: drops one number from every cache the guard uses. */
import type { NormalizedPhone } from '../model/phone.js';
import { countryCodeOf } from '../normalize/country.js';
import type { GuardParts } from './assemble-guard.js';
import type { CheckOptions } from './check-options.js';
import { guardError } from './error-codes.js';

/** Options of `PhoneGuard.forget`. */
export type ForgetOptions = Pick<CheckOptions, 'defaultCountry'>;

/**
 * Forgets `input` (read like a check's) in the add-on records, the in-process cache and
 * the store: `true` when it is gone everywhere, `false` for an unusable input or a store
 * without `delete()` (warned once); throws `STORE_ERROR` when the store's delete fails.
 */
export async function forgetNumber(
  parts: GuardParts,
  input: unknown,
  options: ForgetOptions | undefined,
): Promise<boolean> {
  let phone: NormalizedPhone;
  try {
    const country = countryCodeOf((options as ForgetOptions | undefined)?.defaultCountry);
    const normalized = parts.memo.normalize(input, country);
    if (!normalized.ok) return false;
    phone = normalized.phone;
  } catch {
    return false; // hostile options (a throwing getter): nothing identifiable to forget
  }
  parts.addons?.forget(phone.e164);
  const outcome = await parts.cache.forget(phone.e164);
  if (outcome === 'failed') {
    throw guardError(
      'STORE_ERROR',
      'The store could not delete the number; other instances keep it until its TTL.',
      'upstream',
    );
  }
  if (outcome === 'unsupported') {
    parts.log.warnOnce(
      'forgetUnsupported',
      'phone-guard: forget() dropped the number from this process only: the store has no delete() (logged once)',
    );
    return false;
  }
  return true;
}
