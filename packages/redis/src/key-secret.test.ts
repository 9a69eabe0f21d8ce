import { hkdfSync } from 'node:crypto';
import { PhoneGuardOptionError } from '@phone-guard/core';
import { describe, expect, it } from 'vitest';
import { resolveKeySecret } from './key-secret.js';

const API_KEY = 'EXAMPLE+TELESIGN+API+KEY+0123456789abcdefghij==';
const ENV_SECRET = 'an-env-secret-of-enough-bytes';

function optionError(run: () => unknown): PhoneGuardOptionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PhoneGuardOptionError);
    return error as PhoneGuardOptionError;
  }
  throw new Error('expected a PhoneGuardOptionError');
}

describe('resolveKeySecret', () => {
  it('takes the option first, then PHONE_GUARD_KEY_SECRET, then TELESIGN_API_KEY', () => {
    const env = { PHONE_GUARD_KEY_SECRET: ENV_SECRET, TELESIGN_API_KEY: API_KEY };
    const option = resolveKeySecret('an-option-secret-0123456789', env);
    expect(option).toEqual({
      secret: Buffer.from('an-option-secret-0123456789'),
      source: 'option',
    });
    expect(resolveKeySecret(undefined, env)).toEqual({
      secret: Buffer.from(ENV_SECRET),
      source: 'PHONE_GUARD_KEY_SECRET',
    });
    const derived = resolveKeySecret(undefined, { TELESIGN_API_KEY: API_KEY });
    expect(derived.source).toBe('TELESIGN_API_KEY');
    expect(derived.secret).toHaveLength(32);
  });

  it('derives a fixed, one-way key from TELESIGN_API_KEY with HKDF-SHA256', () => {
    const derived = resolveKeySecret(undefined, {
      TELESIGN_API_KEY: API_KEY,
      PHONE_GUARD_KEY_SECRET: '',
    });
    const expected = Buffer.from(
      hkdfSync('sha256', API_KEY, 'phone-guard/redis', 'redis key secret v1', 32),
    );
    expect(derived.secret.equals(expected)).toBe(true);
    expect(derived.secret.toString('latin1')).not.toContain(API_KEY.slice(0, 8));
    const other = resolveKeySecret(undefined, { TELESIGN_API_KEY: `${API_KEY}x` });
    expect(other.secret.equals(derived.secret)).toBe(false);
  });

  it('throws without any secret: there is no public default', () => {
    const error = optionError(() => resolveKeySecret(undefined, {}));
    expect(error.option).toBe('keySecret');
    expect(error.message).toMatch(/PHONE_GUARD_KEY_SECRET/);
    expect(optionError(() => resolveKeySecret(undefined, { TELESIGN_API_KEY: '' })).option).toBe(
      'keySecret',
    );
  });

  it('refuses secrets shorter than 16 bytes, from any source, without echoing them', () => {
    expect(optionError(() => resolveKeySecret('short', {})).option).toBe('keySecret');
    expect(optionError(() => resolveKeySecret(Buffer.alloc(15), {})).option).toBe('keySecret');
    expect(optionError(() => resolveKeySecret(1234567890123456, {})).option).toBe('keySecret');
    const fromEnv = optionError(() =>
      resolveKeySecret(undefined, { PHONE_GUARD_KEY_SECRET: 'tiny-secret' }),
    );
    expect(fromEnv.option).toBe('PHONE_GUARD_KEY_SECRET');
    expect(fromEnv.message).not.toContain('tiny-secret');
    const fromApiKey = optionError(() => resolveKeySecret(undefined, { TELESIGN_API_KEY: 'abc' }));
    expect(fromApiKey.option).toBe('keySecret');
    expect(fromApiKey.message).toMatch(/TELESIGN_API_KEY is too short/);
    expect(resolveKeySecret(Buffer.alloc(16, 7), {}).secret).toHaveLength(16);
  });

  it('copies a Buffer secret', () => {
    const bytes = Buffer.from('sixteen-bytes-or-more');
    const { secret } = resolveKeySecret(bytes, {});
    bytes.fill(0);
    expect(secret.toString()).toBe('sixteen-bytes-or-more');
  });
});
