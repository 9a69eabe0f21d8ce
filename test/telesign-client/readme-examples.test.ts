/**
 * The code examples of packages/core/README.md (Normalization, Telesign client, Request
 * signing, Errors), run against the real exports and the sandbox, so the docs cannot drift.
 */
import { inspect } from 'node:util';
import {
  createTelesignClient,
  isPhoneGuardError,
  isTelesignError,
  maskPhone,
  normalizePhone,
  PhoneGuardOptionError,
  signTelesignRequest,
} from '@phone-guard/core';
import {
  ADDON_TEST_NUMBERS,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { describe, expect, it } from 'vitest';

describe('packages/core/README.md examples', () => {
  it('Normalization: accepted forms, result and error codes', () => {
    const result = normalizePhone('(415) 555-2671', { defaultCountry: 'US' });
    expect(result).toEqual({
      ok: true,
      phone: {
        e164: '+14155552671',
        digits: '14155552671',
        country: 'US',
        type: 'FIXED_LINE_OR_MOBILE',
      },
    });
    if (result.ok) expect(maskPhone(result.phone.e164)).toBe('+1415*****71');
    const us = { defaultCountry: 'US' } as const;
    const forms: Array<[string, object, string]> = [
      ['+1 (415) 555-2671', {}, '+14155552671'],
      ['+1.415.555.2671', {}, '+14155552671'],
      ['415 555 2671', us, '+14155552671'],
      ['00 44 20 7946 0958', {}, '+442079460958'],
      ['011 44 20 7946 0958', us, '+442079460958'],
      ['tel:+1-415-555-2671', {}, '+14155552671'],
      ['tel:+1-415-555-2671;ext=123', {}, '+14155552671'],
      ['＋１ ４１５ ５５５ ２６７１', {}, '+14155552671'],
      ['+1 415 555 2671 ext. 12', {}, '+14155552671'],
    ];
    for (const [input, options, e164] of forms) {
      const r = normalizePhone(input, options);
      expect(r.ok && r.phone.e164, input).toBe(e164);
    }
    const code = (input: unknown, options = {}) => {
      const r = normalizePhone(input, options);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code(undefined)).toBe('PHONE_MISSING');
    expect(code('   ')).toBe('PHONE_MISSING');
    expect(code(4155552671)).toBe('PHONE_NOT_STRING');
    expect(code('1'.repeat(65))).toBe('PHONE_TOO_LONG');
    expect(code('415 555 2671')).toBe('PHONE_INVALID');
    const national = normalizePhone('415 555 2671');
    expect(!national.ok && national.error.countryRequired).toBe(true);
    expect(code('+44 20 7946 0958', { allowedCountries: ['US'] })).toBe(
      'PHONE_COUNTRY_NOT_ALLOWED',
    );
    expect(code('+800 1234 5678', { allowedCountries: ['US'] })).toBe('PHONE_COUNTRY_NOT_ALLOWED');
    expect(() => normalizePhone('1', { defaultCountry: 'XX' as 'US' })).toThrow(
      PhoneGuardOptionError,
    );
    expect(() => normalizePhone('1', { defaultCountry: 'us' as 'US' })).toThrow(
      PhoneGuardOptionError,
    );
    expect(maskPhone('+442079460958')).toBe('+4420******58');
    expect(maskPhone('+1234567')).toBe('+*****67');
  });

  it('Telesign client: the sandbox example', async () => {
    const sandbox = await startSandbox();
    const telesign = createTelesignClient({
      customerId: SANDBOX_CUSTOMER_ID,
      apiKey: SANDBOX_API_KEY,
      baseUrl: sandbox.url,
      timeoutMs: 2000,
    });
    let caught: unknown;
    try {
      const status = await telesign.getLiveStatus(TEST_NUMBERS.disconnected, { useCase: 'PWRT' });
      expect(status.subscriberStatus).toBe('DISCONNECTED');
      await telesign.getLiveStatus(TEST_NUMBERS.errUnavailable);
    } catch (err) {
      caught = err;
    } finally {
      expect(inspect(telesign)).toBe(
        `TelesignClient { baseUrl: '${sandbox.url}', authMethod: 'digest', closed: false }`,
      );
      await telesign.close();
      await sandbox.close();
    }
    expect(isTelesignError(caught)).toBe(true);
    expect(isPhoneGuardError(caught)).toBe(true);
    expect(caught).toMatchObject({
      code: 'TELESIGN_UNAVAILABLE',
      httpStatus: 503,
      telesignCode: -90001,
      retryable: true,
    });
    expect((caught as Error).message).toMatch(/Gave up after 3 attempts/);
  });

  it('Telesign client: the getPhoneIdAddons example', async () => {
    const sandbox = await startSandbox();
    const telesign = createTelesignClient({
      customerId: SANDBOX_CUSTOMER_ID,
      apiKey: SANDBOX_API_KEY,
      baseUrl: sandbox.url,
    });
    try {
      const verifiedAt = new Date(Date.now() - 30 * 86_400_000);
      const addons = await telesign.getPhoneIdAddons(ADDON_TEST_NUMBERS.reassigned, {
        numberDeactivation: { lastVerifiedAt: verifiedAt },
        simSwap: true,
      });
      const deactivation = addons.numberDeactivation;
      expect(deactivation?.status.outcome).toBe('data');
      const today = Date.UTC(
        new Date().getUTCFullYear(),
        new Date().getUTCMonth(),
        new Date().getUTCDate(),
      );
      // 10 days ago, day-granular (a day of slack in case the test straddles midnight UTC).
      const tenDaysAgo = today - 10 * 86_400_000;
      expect(deactivation?.lastDeactivatedAt).toBeGreaterThanOrEqual(tenDaysAgo - 86_400_000);
      expect(deactivation?.lastDeactivatedAt).toBeLessThanOrEqual(tenDaysAgo);
      expect(deactivation?.telesignVerdict).toBe('recycled');
      expect(addons.simSwap?.risk).toBe(1);
      const notEnabled = await telesign.getPhoneIdAddons(ADDON_TEST_NUMBERS.addonNotEnabled, {
        simSwap: true,
      });
      expect(notEnabled.simSwap?.status).toMatchObject({ code: 2806, outcome: 'config_error' });
    } finally {
      await telesign.close();
      await sandbox.close();
    }
  });

  it('Request signing: the example', () => {
    const headers = signTelesignRequest(
      { method: 'GET', resource: '/v1/phoneid/live/14155552671' },
      { customerId: 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890', apiKey: 'c2VjcmV0LWtleS1ieXRlcw==' },
    );
    expect(Object.keys(headers).sort()).toEqual([
      'authorization',
      'content-type',
      'date',
      'x-ts-auth-method',
      'x-ts-nonce',
    ]);
    expect(headers.authorization).toMatch(
      /^TSA FFFFFFFF-EEEE-DDDD-1234-AB1234567890:[A-Za-z0-9+/]+={0,2}$/,
    );
    expect(headers['content-type']).toBe('');
    expect(headers.date).toBe(new Date(Date.parse(headers.date)).toUTCString());
  });
});
