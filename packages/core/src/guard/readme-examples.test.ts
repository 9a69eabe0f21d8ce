/**
 * The examples of packages/core/README.md about per-request countries, isCountryCode,
 * forget() and clear(), run as written (with an in-memory provider).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import { isCountryCode } from '../normalize/country.js';
import { normalizePhone } from '../normalize/normalize.js';
import { createPhoneGuard } from './create-guard.js';

const guard = createPhoneGuard({
  logger: false,
  provider: {
    async getLiveStatus(phone) {
      return liveStatus(phone, { checkedAt: Date.now() });
    },
  },
});
afterAll(() => guard.close());

describe('packages/core/README.md: countries, forget and clear', () => {
  it('isCountryCode', () => {
    const body = { phone: '07400 123456', country: 'gb' }; // e.g. a signup form
    const country = String(body.country).toUpperCase();
    const result = normalizePhone(
      body.phone,
      isCountryCode(country) ? { defaultCountry: country } : {},
    );
    expect(result.ok && result.phone.e164).toBe('+447400123456');
  });

  it('check(input, { defaultCountry })', async () => {
    const decision = await guard.check('07400 123456', { defaultCountry: 'gb' });
    expect(decision.phone?.e164).toBe('+447400123456');
  });

  it('forget() and clear()', async () => {
    await guard.check('+14155552671');
    expect(await guard.forget('+1 415 555 2671')).toBe(true);
    guard.clear();
    expect(guard.stats().cache.size).toBe(0);
  });
});
