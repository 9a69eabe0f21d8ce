import { describe, expect, it } from 'vitest';
import { PhoneGuardOptionError } from '../model/errors.js';
import type { LiveStatusProvider } from '../model/types.js';
import { createPhoneGuard } from './create-guard.js';
import type { PhoneGuardOptions } from './options.js';
import { resolveGuardOptions } from './resolve-options.js';

const provider: LiveStatusProvider = {
  async getLiveStatus() {
    throw new Error('not called');
  },
};

function optionError(options: unknown): PhoneGuardOptionError {
  try {
    resolveGuardOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(PhoneGuardOptionError);
    return error as PhoneGuardOptionError;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('guard options', () => {
  it('rejects deadlines a timer cannot hold (every check would time out at once)', () => {
    expect(optionError({ provider, timeoutMs: 3_000_000_000 }).option).toBe('timeoutMs');
    expect(optionError({ provider, timeoutMs: 2 ** 31 }).option).toBe('timeoutMs');
    expect(optionError({ provider, storeTimeoutMs: 2 ** 31 }).option).toBe('storeTimeoutMs');
    expect(optionError({ provider, storeTimeoutMs: Infinity }).option).toBe('storeTimeoutMs');
    expect(resolveGuardOptions({ provider, timeoutMs: 2 ** 31 - 1 }).timeoutMs).toBe(2 ** 31 - 1);
  });

  it('still takes long cache durations, which are compared with the clock, not timers', () => {
    const thirtyDays = 30 * 86_400_000;
    const resolved = resolveGuardOptions({
      provider,
      cache: { ttl: { active: thirtyDays }, staleIfErrorMs: thirtyDays },
    });
    expect(resolved.cache.ttl.active).toBe(thirtyDays);
  });

  it('reports an unknown key inside telesign with its telesign. path', () => {
    const error = optionError({ telesign: { customerId: 'c', apiKey: 'k', timeout: 100 } });
    expect(error.option).toBe('telesign.timeout');
    expect(error.message).toMatch(/telesign\.timeout.*known: .*timeoutMs/);
    expect(optionError({ telesign: 'key' }).option).toBe('telesign');
  });

  it('takes undefined for any telesign setting (e.g. an unset environment variable)', () => {
    const env: Record<string, string | undefined> = {};
    const options: PhoneGuardOptions = {
      provider,
      logger: false,
      telesign: { customerId: env.TELESIGN_CUSTOMER_ID, apiKey: env.TELESIGN_API_KEY },
    };
    expect(resolveGuardOptions(options).telesign).toEqual(options.telesign);
  });

  it('checks name: a non-empty string without control characters', () => {
    expect(resolveGuardOptions({ provider }).name).toBeUndefined();
    expect(resolveGuardOptions({ provider, name: 'signup' }).name).toBe('signup');
    for (const name of ['', '  ', 'a\nb', 42, {}]) {
      expect(optionError({ provider, name }).option).toBe('name');
    }
  });

  it('exposes the name on the guard', async () => {
    const named = createPhoneGuard({ provider, logger: false, name: 'password-reset' });
    const unnamed = createPhoneGuard({ provider, logger: false });
    expect(named.name).toBe('password-reset');
    expect(unnamed.name).toBeUndefined();
    await Promise.all([named.close(), unnamed.close()]);
  });

  it('names the full path of nested mistakes', () => {
    expect(optionError({ provider, cache: { ttl: { forever: 1 } } }).option).toBe(
      'cache.ttl.forever',
    );
    expect(optionError({ provider, breaker: { cooldown: 1 } }).option).toBe('breaker.cooldown');
    expect(optionError({ provider, budget: { limit: 1, window: 5 } }).option).toBe('budget.window');
    expect(optionError({ provider, cache: { max: 1.5 } }).option).toBe('cache.max');
  });
});
