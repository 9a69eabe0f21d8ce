import { isPhoneGuardError, PhoneGuardOptionError } from '@phone-guard/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_COMMAND_TIMEOUT_MS, resolveRedisStoreOptions } from './redis-store-options.js';

const SECRET = 'sixteen-bytes-or-more';
// Never connects: lazyConnect and no command is sent.
const client = new Redis({ lazyConnect: true });
afterAll(() => client.disconnect());

function optionError(options: unknown): PhoneGuardOptionError {
  try {
    resolveRedisStoreOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(PhoneGuardOptionError);
    expect(isPhoneGuardError(error)).toBe(true);
    return error as PhoneGuardOptionError;
  }
  throw new Error('expected a PhoneGuardOptionError');
}

describe('resolveRedisStoreOptions', () => {
  beforeEach(() => {
    // Whatever the machine has: these tests decide the environment themselves.
    vi.stubEnv('PHONE_GUARD_KEY_SECRET', '');
    vi.stubEnv('TELESIGN_API_KEY', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('applies the defaults', () => {
    const resolved = resolveRedisStoreOptions({ client, keySecret: SECRET });
    expect(resolved).toMatchObject({
      client,
      url: undefined,
      keyPrefix: 'pg:',
      keySecret: { secret: Buffer.from(SECRET), source: 'option' },
      namespace: 'default',
      commandTimeoutMs: DEFAULT_COMMAND_TIMEOUT_MS,
      connectTimeoutMs: 1000,
      budgetFallback: 'local',
      probeIntervalMs: 1000,
      maxProbeIntervalMs: 30_000,
      logger: console,
    });
  });

  it('requires a key secret: the option, PHONE_GUARD_KEY_SECRET or TELESIGN_API_KEY', () => {
    expect(optionError({ client }).option).toBe('keySecret');
    vi.stubEnv('TELESIGN_API_KEY', 'an-api-key-long-enough-to-derive-from');
    expect(resolveRedisStoreOptions({ client }).keySecret.source).toBe('TELESIGN_API_KEY');
    vi.stubEnv('PHONE_GUARD_KEY_SECRET', SECRET);
    expect(resolveRedisStoreOptions({ client }).keySecret.source).toBe('PHONE_GUARD_KEY_SECRET');
    // Other mistakes are reported before the secret is looked for.
    vi.stubEnv('PHONE_GUARD_KEY_SECRET', '');
    vi.stubEnv('TELESIGN_API_KEY', '');
    expect(optionError({ client, commandTimeoutMs: -1 }).option).toBe('commandTimeoutMs');
  });

  it('never lets the probe pauses be impossible', () => {
    const base = { client, keySecret: SECRET };
    expect(resolveRedisStoreOptions({ ...base, probeIntervalMs: 60_000 }).maxProbeIntervalMs).toBe(
      60_000,
    );
    expect(optionError({ ...base, probeIntervalMs: 500, maxProbeIntervalMs: 100 }).option).toBe(
      'maxProbeIntervalMs',
    );
  });

  it('treats undefined as the default and does not modify the options', () => {
    const options = Object.freeze({
      url: 'redis://127.0.0.1:6379',
      keySecret: SECRET,
      keyPrefix: undefined,
      commandTimeoutMs: undefined,
      redisOptions: Object.freeze({ db: 2 }),
    });
    const resolved = resolveRedisStoreOptions(options);
    expect(resolved.keyPrefix).toBe('pg:');
    expect(resolved.redisOptions).toEqual({ db: 2 });
    expect(resolved.redisOptions).not.toBe(options.redisOptions);
  });

  it.each([
    ['options', undefined],
    ['options', 'redis://x'],
    ['client', {}],
    ['client', { client, url: 'redis://127.0.0.1' }],
    ['client', { client: { get() {} } }],
    ['url', { url: '' }],
    ['url', { url: 'http://127.0.0.1:6379' }],
    ['url', { url: 42 }],
    ['keyPrefix', { client, keyPrefix: 3 }],
    ['keySecret', { client, keySecret: '' }],
    ['keySecret', { client, keySecret: 'short' }],
    ['keySecret', { client, keySecret: Buffer.alloc(15) }],
    ['keySecret', { client, keySecret: 1234567890123456 }],
    ['commandTimeoutMs', { client, commandTimeoutMs: 0 }],
    ['commandTimeoutMs', { client, commandTimeoutMs: -5 }],
    ['commandTimeoutMs', { client, commandTimeoutMs: Number.NaN }],
    ['commandTimeoutMs', { client, commandTimeoutMs: '100' }],
    ['connectTimeoutMs', { url: 'redis://127.0.0.1', connectTimeoutMs: 0 }],
    ['connectTimeoutMs', { client, connectTimeoutMs: 500 }],
    ['redisOptions', { client, redisOptions: {} }],
    ['redisOptions', { url: 'redis://127.0.0.1', redisOptions: 'db=1' }],
    ['budgetFallback', { client, budgetFallback: 'maybe' }],
    ['namespace', { client, namespace: '' }],
    ['namespace', { client, namespace: 'has space' }],
    ['namespace', { client, namespace: 'n:1' }],
    ['namespace', { client, namespace: 'x'.repeat(65) }],
    ['namespace', { client, namespace: 7 }],
    ['probeIntervalMs', { client, probeIntervalMs: 0 }],
    ['maxProbeIntervalMs', { client, maxProbeIntervalMs: 2 ** 31 }],
    ['logger', { client, logger: { warn() {} } }],
    ['now', { client, now: 5 }],
    ['keyprefix', { client, keyprefix: 'x:' }],
  ])('rejects a bad %s', (option, options) => {
    expect(optionError(options).option).toBe(option);
  });

  it('accepts a Buffer secret of 16 bytes and a Unix socket path', () => {
    expect(
      resolveRedisStoreOptions({ client, keySecret: Buffer.alloc(16, 1) }).keySecret.secret,
    ).toHaveLength(16);
    expect(resolveRedisStoreOptions({ url: '/tmp/redis.sock', keySecret: SECRET }).url).toBe(
      '/tmp/redis.sock',
    );
  });
});
