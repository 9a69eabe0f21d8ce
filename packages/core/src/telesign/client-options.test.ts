import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { PhoneGuardOptionError } from '../model/errors.js';
import { createTelesignClient, type TelesignClientOptions } from './client.js';
import { resolveClientOptions } from './client-options.js';

const CUSTOMER_ID = 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890';
const API_KEY = 'cGhvbmUtZ3VhcmQgdGVzdCBrZXkgLSBub3QgYSBzZWNyZXQh';
const base = { customerId: CUSTOMER_ID, apiKey: API_KEY };

function optionError(options: unknown, path?: string): PhoneGuardOptionError {
  try {
    resolveClientOptions(options as TelesignClientOptions, path);
  } catch (err) {
    expect(err).toBeInstanceOf(PhoneGuardOptionError);
    return err as PhoneGuardOptionError;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('resolveClientOptions', () => {
  it('defaults', () => {
    const o = resolveClientOptions(base);
    expect(o).toMatchObject({
      origin: 'https://rest-ww.telesign.com',
      pathPrefix: '',
      timeoutMs: 5000,
      attemptTimeoutMs: 2500,
      retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
      connections: 64,
      contentType: '',
      maxResponseBytes: 262_144,
      useCase: 'OTHR',
      userAgent: '@phone-guard/core',
      addonsEndpoint: 'phoneid',
      credentials: { customerId: CUSTOMER_ID, authMethod: 'digest' },
    });
    expect(o.now).toBe(Date.now);
  });

  it('names the offending option by its full dotted path, at the top level and nested', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, timeout: 1 }, 'timeout'],
      [{ ...base, retry: { tries: 3 } }, 'retry.tries'],
      [{ ...base, retry: { attempts: 0 } }, 'retry.attempts'],
      [{ ...base, retry: { baseDelayMs: -1 } }, 'retry.baseDelayMs'],
      [{ ...base, timeoutMs: 0 }, 'timeoutMs'],
      [{ customerId: CUSTOMER_ID }, 'apiKey'],
      [{ ...base, addonsEndpoint: 'v2' }, 'addonsEndpoint'],
    ];
    for (const [options, path] of cases) {
      expect(optionError(options).option).toBe(path);
      expect(optionError(options, 'telesign').option).toBe(`telesign.${path}`);
    }
    expect(optionError('nope', 'telesign').option).toBe('telesign');
    expect(optionError(undefined).option).toBe('options');
  });

  it('refuses millisecond values that would overflow setTimeout', () => {
    for (const key of ['timeoutMs', 'attemptTimeoutMs']) {
      const err = optionError({ ...base, [key]: 3_000_000_000 }, 'telesign');
      expect(err.option).toBe(`telesign.${key}`);
      expect(err.message).toMatch(/2147483647/);
    }
    expect(resolveClientOptions({ ...base, timeoutMs: 2_147_483_647 }).timeoutMs).toBe(
      2_147_483_647,
    );
    expect(optionError({ ...base, retry: { maxDelayMs: 3_000_000_000 } }).option).toBe(
      'retry.maxDelayMs',
    );
  });

  it('says what is wrong without echoing the API key', () => {
    for (const apiKey of ['', '   ', 'abc', 42]) {
      const err = optionError({ ...base, apiKey });
      expect(err.option).toBe('apiKey');
      expect(err.message).not.toContain(API_KEY.slice(0, 10));
    }
    const short = optionError({ ...base, apiKey: 'a-b' });
    expect(short.message).toMatch(/is not a Telesign API key/);
    expect(optionError({ ...base, customerId: 'a b' }).message).toMatch(/spaces/);
    expect(optionError({ ...base, dispatcher: new MockAgent(), connections: 2 }).message).toMatch(
      /cannot be combined with dispatcher/,
    );
    expect(optionError({ ...base, baseUrl: 'https://x.example/?a=1' }).message).toMatch(
      /query string/,
    );
  });

  it('createTelesignClient takes the path for errors (the guard passes "telesign")', () => {
    expect(() =>
      createTelesignClient({ ...base, bogus: 1 } as TelesignClientOptions, 'telesign'),
    ).toThrow(/option "telesign\.bogus"/);
  });
});
