import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import type { LiveStatusProvider, Logger } from '../model/types.js';
import { createPhoneGuard, type PhoneGuard } from './create-guard.js';
import type { PhoneGuardOptions } from './options.js';

// check(input, { defaultCountry }): the country a request gives, as data.

const UK_MOBILE = '07400 123456';
const UK_E164 = '+447400123456';
const US_NATIONAL = '(415) 555-2671';
const US_E164 = '+14155552671';

function counting() {
  const calls: string[] = [];
  const provider: LiveStatusProvider = {
    async getLiveStatus(phone) {
      calls.push(phone);
      return liveStatus(phone, { checkedAt: Date.now() });
    },
  };
  return { provider, calls };
}

const warnings: unknown[][] = [];
const logger: Logger = { warn: (...a: unknown[]) => warnings.push(a), error() {} };
const guards: PhoneGuard[] = [];
function guard(options: PhoneGuardOptions): PhoneGuard {
  const g = createPhoneGuard({ logger, ...options });
  guards.push(g);
  return g;
}
afterEach(async () => {
  warnings.length = 0;
  await Promise.all(guards.splice(0).map((g) => g.close()));
});

describe('check(input, { defaultCountry })', () => {
  it('reads a national number in the country the request names, in any case', async () => {
    const { provider, calls } = counting();
    const g = guard({ provider });
    for (const country of ['GB', 'gb', 'Gb', ' gb ']) {
      const d = await g.check(UK_MOBILE, { defaultCountry: country });
      expect(d.phone?.e164, country).toBe(UK_E164);
      expect(d.action).toBe('allow');
    }
    expect(calls).toEqual([UK_E164]);
  });

  it('answers PHONE_COUNTRY_REQUIRED for a national number without a usable country', async () => {
    const { provider, calls } = counting();
    const g = guard({ provider });
    for (const country of [
      'XX',
      'T1',
      'ZZ',
      '',
      'EU',
      'UK',
      'xx',
      44,
      null,
      {},
      ['GB'],
      undefined,
    ]) {
      const d = await g.check(UK_MOBILE, { defaultCountry: country });
      expect(d, JSON.stringify(country)).toMatchObject({
        action: 'block',
        reasons: ['PHONE_INVALID'],
        phone: null,
        source: 'none',
        error: { code: 'PHONE_COUNTRY_REQUIRED' },
      });
    }
    expect(calls).toEqual([]);
    expect(warnings).toEqual([]); // request data is not a misconfiguration
  });

  it('still reads international numbers whatever the country says', async () => {
    const { provider } = counting();
    const g = guard({ provider });
    for (const country of ['XX', 'T1', 'US', 'de', '']) {
      expect((await g.check('+44 7400 123456', { defaultCountry: country })).phone?.e164).toBe(
        UK_E164,
      );
    }
  });

  it("overrides the guard's defaultCountry, which applies when the request gives none", async () => {
    const { provider } = counting();
    const g = guard({ provider, defaultCountry: 'US' });
    expect((await g.check(US_NATIONAL)).phone?.e164).toBe(US_E164);
    expect((await g.check(US_NATIONAL, { defaultCountry: 'XX' })).phone?.e164).toBe(US_E164);
    expect((await g.check(UK_MOBILE, { defaultCountry: 'gb' })).phone?.e164).toBe(UK_E164);
    // The same text means another number in another country.
    const asUk = await g.check(US_NATIONAL, { defaultCountry: 'GB' });
    expect(asUk.error?.code).toBe('PHONE_INVALID');
    expect((await g.check(US_NATIONAL)).phone?.e164).toBe(US_E164);
  });

  it('keeps allowedCountries in force', async () => {
    const { provider } = counting();
    const g = guard({ provider, allowedCountries: ['US'] });
    const d = await g.check(UK_MOBILE, { defaultCountry: 'GB' });
    expect(d.error?.code).toBe('PHONE_COUNTRY_NOT_ALLOWED');
  });

  it('answers cache hits per country, from checkCached too', async () => {
    const { provider, calls } = counting();
    const g = guard({ provider, defaultCountry: 'US' });
    await g.check(UK_MOBILE, { defaultCountry: 'GB' });
    expect(g.checkCached(UK_MOBILE, { defaultCountry: 'gb' })).toMatchObject({
      source: 'cache',
      phone: { e164: UK_E164 },
    });
    expect(g.checkCached(UK_MOBILE)?.error?.code).toBe('PHONE_INVALID'); // not a US number
    expect(calls).toHaveLength(1);
  });

  it('never rejects and never throws, whatever the input and the country', async () => {
    const { provider } = counting();
    const g = guard({ provider, logger: false, defaultCountry: 'US', timeoutMs: 500 });
    const country = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.string(),
      fc.constantFrom('GB', 'gb', 'XX', 'T1', 'ZZ', 'EU', 'UK', '', ' us '),
      fc.anything(),
    );
    const input = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.stringMatching(/^\+?[0-9 ()\-.]{0,20}$/),
      fc.constantFrom(UK_MOBILE, US_NATIONAL, '+447400123456'),
    );
    await fc.assert(
      fc.asyncProperty(input, country, async (value, defaultCountry) => {
        let thrown: unknown;
        let decision: Awaited<ReturnType<typeof g.check>> | undefined;
        try {
          decision = await g.check(value, { defaultCountry });
          g.checkCached(value, { defaultCountry });
        } catch (error) {
          thrown = error ?? 'falsy throw';
        }
        expect(thrown).toBeUndefined();
        expect(['allow', 'flag', 'block']).toContain(decision?.action);
        if (decision?.phone === null) expect(decision.error?.code).toMatch(/^PHONE_/);
      }),
      { numRuns: 1500 },
    );
  });
});
