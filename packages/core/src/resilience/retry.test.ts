import { describe, expect, it } from 'vitest';
import { PhoneGuardOptionError } from '../model/errors.js';
import { backoffDelay, parseRetryAfter, resolveRetryPolicy } from './retry.js';

describe('resolveRetryPolicy', () => {
  it('defaults, false, and partial objects', () => {
    expect(resolveRetryPolicy(undefined)).toMatchObject({
      attempts: 3,
      baseDelayMs: 100,
      maxDelayMs: 1000,
    });
    expect(resolveRetryPolicy(false).attempts).toBe(1);
    expect(resolveRetryPolicy({ attempts: 5, baseDelayMs: 50 })).toMatchObject({
      attempts: 5,
      baseDelayMs: 50,
      maxDelayMs: 1000,
    });
  });

  it('rejects impossible values and unknown keys', () => {
    const bad: unknown[] = [
      true,
      [],
      { attempts: 0 },
      { attempts: 1.5 },
      { attempts: 11 },
      { baseDelayMs: -1 },
      { maxDelayMs: Number.NaN },
      { baseDelayMs: 500, maxDelayMs: 100 },
      { random: 1 },
      { retries: 3 },
    ];
    for (const value of bad) {
      expect(() => resolveRetryPolicy(value as false)).toThrow(PhoneGuardOptionError);
    }
  });
});

describe('resolveRetryPolicy paths', () => {
  it('names the nested path and refuses delays a timer cannot hold', () => {
    const pathOf = (value: unknown, path?: string): string => {
      try {
        resolveRetryPolicy(value as false, path);
      } catch (err) {
        return (err as PhoneGuardOptionError).option;
      }
      return 'accepted';
    };
    expect(pathOf({ tries: 1 }, 'telesign.retry')).toBe('telesign.retry.tries');
    expect(pathOf({ attempts: 0 })).toBe('retry.attempts');
    expect(pathOf({ baseDelayMs: 3_000_000_000 }, 'telesign.retry')).toBe(
      'telesign.retry.baseDelayMs',
    );
    expect(pathOf({ random: 'x' })).toBe('retry.random');
    expect(pathOf(7, 'telesign.retry')).toBe('telesign.retry');
    expect(pathOf({ baseDelayMs: 2_147_483_647 })).toBe('accepted');
  });
});

describe('backoffDelay', () => {
  it('is full jitter under an exponential, capped ceiling', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
    expect(backoffDelay(1, policy)).toBe(99);
    expect(backoffDelay(2, policy)).toBe(199);
    expect(backoffDelay(3, policy)).toBe(399);
    expect(backoffDelay(5, policy)).toBe(999);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...policy, random: () => Number.NaN })).toBe(0);
    expect(backoffDelay(3, { ...policy, random: () => 7 })).toBe(400);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 14 Dec 2016 18:20:12 GMT');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(['3', '4'], now)).toBe(3000);
    expect(parseRetryAfter('Wed, 14 Dec 2016 18:20:15 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 14 Dec 2016 18:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent and unreadable values', () => {
    for (const v of [undefined, '', '-1', '1.5', 'soon', '99999999999999999999']) {
      expect(parseRetryAfter(v, now)).toBeUndefined();
    }
  });
});
