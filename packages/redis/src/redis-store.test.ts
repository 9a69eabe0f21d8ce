import { createHmac } from 'node:crypto';
import { isPhoneGuardError, PhoneGuardOptionError } from '@phone-guard/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deletePrefix,
  keysWithPrefix,
  requireSharedRedis,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../test-support/redis-test-server.js';
import { sampleStatus } from '../test-support/sample-status.js';
import { createKeyHasher } from './key-hasher.js';
import { createRedisStore, type RedisStore } from './redis-store.js';

const available = await requireSharedRedis('@phone-guard/redis store tests');
const SECRET = 'test-secret-0123456789abcdef';
const PHONE = '+14155552671';

function quietLogger() {
  return {
    warn: vi.fn<(message: string, ...details: unknown[]) => void>(),
    error: vi.fn<(message: string, ...details: unknown[]) => void>(),
    info: vi.fn<(message: string, ...details: unknown[]) => void>(),
  };
}

describe.skipIf(!available)('createRedisStore against the shared Redis', () => {
  let admin: Redis;
  const prefixes: string[] = [];
  const stores: RedisStore[] = [];

  function newStore(overrides: Parameters<typeof createRedisStore>[0] = { client: admin }) {
    const keyPrefix = uniquePrefix();
    prefixes.push(keyPrefix);
    const store = createRedisStore({
      keySecret: SECRET,
      keyPrefix,
      commandTimeoutMs: 2000,
      logger: quietLogger(),
      ...overrides,
    });
    stores.push(store);
    return { store, keyPrefix };
  }

  beforeAll(() => {
    admin = new Redis(SHARED_REDIS_URL, { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(prefixes.splice(0).map((prefix) => deletePrefix(admin, prefix)));
  });
  afterAll(async () => {
    await admin.quit();
  });

  it('stores and reads back a status with its TTL as PX', async () => {
    const { store, keyPrefix } = newStore();
    const status = sampleStatus({
      roaming: 'YES',
      roamingCountry: 'Mexico',
      roamingCountryIso2: 'MX',
    });
    await store.set(PHONE, status, 60_000);
    expect(await store.get(PHONE)).toEqual({ ...status, carrier: null, referenceId: null });
    const [key] = await keysWithPrefix(admin, keyPrefix);
    expect(key).toBe(`${keyPrefix}s:${createKeyHasher(SECRET)(PHONE)}`);
    const pttl = await admin.pttl(key as string);
    expect(pttl).toBeGreaterThan(50_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    expect(await store.get('+14155552672')).toBeUndefined();
  });

  it('lets an entry expire after its TTL', async () => {
    const { store } = newStore();
    await store.set(PHONE, sampleStatus(), 50);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await store.get(PHONE)).toBeUndefined();
  });

  it('ignores a non-positive or non-finite TTL', async () => {
    const { store, keyPrefix } = newStore();
    await store.set(PHONE, sampleStatus(), 0);
    await store.set(PHONE, sampleStatus(), Number.NaN);
    await store.set(PHONE, sampleStatus(), Number.POSITIVE_INFINITY);
    expect(await keysWithPrefix(admin, keyPrefix)).toEqual([]);
  });

  it('never writes a phone number into a key or a value', async () => {
    const { store, keyPrefix } = newStore();
    const phones = ['+14155552671', '+447700900123', '+4915112345678'];
    for (const phone of phones) {
      expect(await store.acquireLookup(phone, 60_000)).toBe(true);
      await store.set(phone, sampleStatus({ phone }), 60_000);
      await store.setRecord('deactivation', phone, { lastDeactivatedAt: 1 }, 60_000);
    }
    await store.consumeBudget(10, 60_000);
    const keys = await keysWithPrefix(admin, keyPrefix);
    expect(keys).toHaveLength(10);
    for (const key of keys) {
      const type = await admin.type(key);
      const value =
        type === 'string' ? await admin.get(key) : JSON.stringify(await admin.hgetall(key));
      for (const phone of phones) {
        const digits = phone.slice(1);
        expect(key).not.toContain(digits);
        expect(key).not.toContain(digits.slice(-7));
        expect(value).not.toContain(digits);
      }
    }
  });

  it('keys depend on the secret: another secret does not see the entry', async () => {
    const { store, keyPrefix } = newStore();
    await store.set(PHONE, sampleStatus(), 60_000);
    const other = createRedisStore({
      client: admin,
      keyPrefix,
      keySecret: 'another-secret-0123456789',
      logger: quietLogger(),
    });
    stores.push(other);
    expect(await other.get(PHONE)).toBeUndefined();
  });

  it('reads garbage and foreign values as a miss and logs once', async () => {
    const logger = quietLogger();
    const { store, keyPrefix } = newStore({ client: admin, logger });
    const hash = createKeyHasher(SECRET);
    await admin.set(`${keyPrefix}s:${hash(PHONE)}`, 'garbage{', 'PX', 60_000);
    await admin.set(`${keyPrefix}s:${hash('+14155552672')}`, '{"v":9}', 'PX', 60_000);
    await admin.rpush(`${keyPrefix}s:${hash('+14155552673')}`, 'a list');
    await admin.pexpire(`${keyPrefix}s:${hash('+14155552673')}`, 60_000);
    expect(await store.get(PHONE)).toBeUndefined();
    expect(await store.get('+14155552672')).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('4155552');
    // WRONGTYPE is a command error: still a miss, never a throw, and not an outage.
    expect(await store.get('+14155552673')).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    // A valid set replaces the garbage.
    await store.set(PHONE, sampleStatus(), 60_000);
    expect(await store.get(PHONE)).toMatchObject({ subscriberStatus: 'ACTIVE' });
  });

  it('grants a look-up claim to one caller at a time and releases only its own', async () => {
    const { store: a, keyPrefix } = newStore();
    const b = createRedisStore({
      client: admin,
      keyPrefix,
      keySecret: SECRET,
      logger: quietLogger(),
    });
    stores.push(b);
    expect(await a.acquireLookup(PHONE, 60_000)).toBe(true);
    expect(await b.acquireLookup(PHONE, 60_000)).toBe(false);
    expect(await a.acquireLookup(PHONE, 60_000)).toBe(false);
    // b never held it: releasing is a no-op.
    await b.releaseLookup(PHONE);
    expect(await b.acquireLookup(PHONE, 60_000)).toBe(false);
    const lockKey = `${keyPrefix}l:${createKeyHasher(SECRET)(PHONE)}`;
    const pttl = await admin.pttl(lockKey);
    expect(pttl).toBeGreaterThan(50_000);
    await a.releaseLookup(PHONE);
    expect(await admin.exists(lockKey)).toBe(0);
    expect(await b.acquireLookup(PHONE, 60_000)).toBe(true);
    await b.releaseLookup(PHONE);
  });

  it('refuses a claim for a number that is already cached, and leaves no claim behind', async () => {
    const { store, keyPrefix } = newStore();
    await store.set(PHONE, sampleStatus(), 60_000);
    expect(await store.acquireLookup(PHONE, 60_000)).toBe(false);
    expect(await admin.exists(`${keyPrefix}l:${createKeyHasher(SECRET)(PHONE)}`)).toBe(0);
  });

  it('releases a claim only after its own write of the number was sent', async () => {
    const { store: a, keyPrefix } = newStore();
    const b = createRedisStore({
      client: admin,
      keyPrefix,
      keySecret: SECRET,
      logger: quietLogger(),
    });
    stores.push(b);
    expect(await a.acquireLookup(PHONE, 60_000)).toBe(true);
    // The guard fires the write and the release without waiting for either.
    void a.set(PHONE, sampleStatus(), 60_000);
    await a.releaseLookup(PHONE);
    expect(await b.acquireLookup(PHONE, 60_000)).toBe(false);
    expect(await b.get(PHONE)).toBeDefined();
  });

  it('does not delete a claim that expired and was taken by someone else', async () => {
    const { store: a, keyPrefix } = newStore();
    const b = createRedisStore({
      client: admin,
      keyPrefix,
      keySecret: SECRET,
      logger: quietLogger(),
    });
    stores.push(b);
    expect(await a.acquireLookup(PHONE, 50)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await b.acquireLookup(PHONE, 60_000)).toBe(true);
    await a.releaseLookup(PHONE);
    const lockKey = `${keyPrefix}l:${createKeyHasher(SECRET)(PHONE)}`;
    expect(await admin.exists(lockKey)).toBe(1);
    await b.releaseLookup(PHONE);
    expect(await admin.exists(lockKey)).toBe(0);
  });

  it('counts a shared budget per fixed window', async () => {
    let now = 60_000 * 29_400_000; // the start of a window
    const clock = () => now;
    const { store: a, keyPrefix } = newStore({ client: admin, now: clock });
    const b = createRedisStore({
      client: admin,
      keyPrefix,
      keySecret: SECRET,
      logger: quietLogger(),
      now: clock,
    });
    stores.push(b);
    const results: boolean[] = [];
    for (let i = 0; i < 3; i++) results.push(await a.consumeBudget(5, 60_000));
    for (let i = 0; i < 3; i++) results.push(await b.consumeBudget(5, 60_000));
    expect(results).toEqual([true, true, true, true, true, false]);
    const tag = createKeyHasher(SECRET)('\u0000budget').slice(0, 12);
    const key = `${keyPrefix}b:default:${tag}:5:60000:${now / 60_000}`;
    expect(await admin.get(key)).toBe('6');
    const pttl = await admin.pttl(key);
    expect(pttl).toBeGreaterThan(60_000);
    expect(pttl).toBeLessThanOrEqual(61_000);
    // Another window length is another budget.
    expect(await a.consumeBudget(1, 1000)).toBe(true);
    expect(await a.consumeBudget(1, 1000)).toBe(false);
    // The next window starts from zero.
    now += 60_000;
    expect(await b.consumeBudget(5, 60_000)).toBe(true);
    expect(await admin.get(`${keyPrefix}b:default:${tag}:5:60000:${now / 60_000}`)).toBe('1');
  });

  it('is exact under concurrency across stores', async () => {
    const { store: a, keyPrefix } = newStore();
    const b = createRedisStore({
      client: admin,
      keyPrefix,
      keySecret: SECRET,
      logger: quietLogger(),
    });
    stores.push(b);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).consumeBudget(25, 600_000)),
    );
    // The test could straddle a 10-minute boundary; then both windows together allow 50.
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(25);
    expect(results.filter(Boolean).length).toBeLessThanOrEqual(40);
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquireLookup(PHONE, 60_000)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('does not close a client it was given', async () => {
    const client = new Redis(SHARED_REDIS_URL);
    try {
      const { store } = newStore({ client });
      await store.set(PHONE, sampleStatus(), 60_000);
      await store.close();
      await store.close();
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
      // A closed store does not touch Redis: it says so (the guard counts and logs it).
      await expect(store.get(PHONE)).rejects.toMatchObject({
        code: 'STORE_CLOSED',
        logged: false,
      });
      await expect(store.acquireLookup(PHONE, 1000)).rejects.toMatchObject({
        code: 'STORE_CLOSED',
      });
    } finally {
      await client.quit();
    }
  });

  it('creates, uses and closes its own client from a URL', async () => {
    const logger = quietLogger();
    const { store } = newStore({ url: SHARED_REDIS_URL, logger, commandTimeoutMs: 2000 });
    // The first call waits for the connection instead of failing on the empty queue.
    await store.set(PHONE, sampleStatus(), 60_000);
    expect(await store.get(PHONE)).toMatchObject({ subscriberStatus: 'ACTIVE' });
    expect(logger.warn).not.toHaveBeenCalled();
    const before = await admin.client('LIST');
    await store.close();
    const deadline = Date.now() + 5000;
    let after = await admin.client('LIST');
    while (
      String(after).split('\n').length >= String(before).split('\n').length &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await admin.client('LIST');
    }
    expect(String(after).split('\n').length).toBeLessThan(String(before).split('\n').length);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('connects a lazyConnect client it was given on first use', async () => {
    const client = new Redis(SHARED_REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
    try {
      const { store } = newStore({ client });
      await store.set(PHONE, sampleStatus(), 60_000);
      expect(await store.get(PHONE)).toMatchObject({ subscriberStatus: 'ACTIVE' });
    } finally {
      client.disconnect();
    }
  });

  describe('without a keySecret option', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it('refuses to start with no secret anywhere: there is no public default', () => {
      vi.stubEnv('PHONE_GUARD_KEY_SECRET', '');
      vi.stubEnv('TELESIGN_API_KEY', '');
      let thrown: unknown;
      try {
        createRedisStore({ client: admin, keyPrefix: uniquePrefix() });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(PhoneGuardOptionError);
      expect(isPhoneGuardError(thrown)).toBe(true);
      expect((thrown as PhoneGuardOptionError).option).toBe('keySecret');
    });

    it('writes no key computable from public information (secret derived from TELESIGN_API_KEY)', async () => {
      const apiKey = `${'k'.repeat(20)}${Math.random().toString(36).slice(2)}`;
      vi.stubEnv('PHONE_GUARD_KEY_SECRET', '');
      vi.stubEnv('TELESIGN_API_KEY', apiKey);
      const { store, keyPrefix } = newStore({ client: admin, keySecret: undefined });
      await store.set(PHONE, sampleStatus(), 60_000);
      await store.setRecord('sim-swap', PHONE, { risk: 1 }, 60_000);
      const keys = await keysWithPrefix(admin, keyPrefix);
      expect(keys).toHaveLength(2);
      // Everything an attacker could try without the API key: the old public default, the
      // empty key, well-known words, the number itself, a plain hash.
      const publicSecrets = [
        'phone-guard/redis: default key secret, set keySecret',
        '',
        'phone-guard',
        'secret',
        'changeme',
        PHONE,
      ];
      const guessable = new Set<string>([PHONE, PHONE.slice(1)]);
      for (const secret of publicSecrets) {
        guessable.add(createHmac('sha256', secret).update(PHONE).digest('base64url'));
      }
      guessable.add(createHmac('sha256', PHONE).digest('base64url'));
      for (const key of keys) {
        const opaque = key.slice(keyPrefix.length + 2);
        expect(guessable.has(opaque)).toBe(false);
        expect(key).not.toContain(PHONE.slice(1));
      }
      // The keys are bound to the API key: another one gives other keys.
      vi.stubEnv('TELESIGN_API_KEY', `${apiKey}-rotated`);
      const other = createRedisStore({ client: admin, keyPrefix, logger: quietLogger() });
      stores.push(other);
      expect(await other.get(PHONE)).toBeUndefined();
      vi.stubEnv('TELESIGN_API_KEY', apiKey);
      const same = createRedisStore({ client: admin, keyPrefix, logger: quietLogger() });
      stores.push(same);
      expect(await same.get(PHONE)).toBeDefined();
    });
  });

  it('keeps budgets apart unless prefix, secret, namespace, limit and window all match', async () => {
    const clock = () => 60_000 * 29_400_000 + 5;
    const { store: a, keyPrefix } = newStore({ client: admin, now: clock });
    const make = (overrides: Partial<Parameters<typeof createRedisStore>[0]>) => {
      const store = createRedisStore({
        client: admin,
        keyPrefix,
        keySecret: SECRET,
        logger: quietLogger(),
        now: clock,
        ...overrides,
      });
      stores.push(store);
      return store;
    };
    const twin = make({});
    const otherNamespace = make({ namespace: 'password-reset' });
    const otherSecret = make({ keySecret: 'another-secret-0123456789' });
    expect(await a.consumeBudget(1, 60_000)).toBe(true);
    expect(await twin.consumeBudget(1, 60_000)).toBe(false);
    expect(await otherNamespace.consumeBudget(1, 60_000)).toBe(true);
    expect(await otherSecret.consumeBudget(1, 60_000)).toBe(true);
    expect(await a.consumeBudget(2, 60_000)).toBe(true);
    expect(await a.consumeBudget(1, 30_000)).toBe(true);
    const keys = await keysWithPrefix(admin, keyPrefix);
    expect(keys).toHaveLength(5);
    expect(keys.filter((k) => k.startsWith(`${keyPrefix}b:password-reset:`))).toHaveLength(1);
  });

  it('keeps the budgets of differently named guards apart (scope), and shares a name', async () => {
    const clock = () => 60_000 * 29_400_000 + 5;
    const { store, keyPrefix } = newStore({ client: admin, now: clock });
    expect(await store.consumeBudget(1, 60_000, 'signup')).toBe(true);
    expect(await store.consumeBudget(1, 60_000, 'signup')).toBe(false);
    expect(await store.consumeBudget(1, 60_000, 'password-reset')).toBe(true);
    expect(await store.consumeBudget(1, 60_000)).toBe(true);
    expect(await store.consumeBudget(1, 60_000, 'odd name: with spaces\nand a newline')).toBe(true);
    const keys = await keysWithPrefix(admin, keyPrefix);
    expect(keys).toHaveLength(4);
    expect(keys.every((k) => !/\s/.test(k))).toBe(true);
  });

  it('rejects an error reply as REDIS_ERROR for the guard to log, without starting an outage', async () => {
    const now = 60_000 * 29_400_000;
    const logger = quietLogger();
    const { store, keyPrefix } = newStore({ client: admin, now: () => now, logger });
    const tag = createKeyHasher(SECRET)('\u0000budget').slice(0, 12);
    await admin.hset(`${keyPrefix}b:default:${tag}:5:60000:${now / 60_000}`, 'f', 'v');
    const refused = await store.consumeBudget(5, 60_000).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'REDIS_ERROR', logged: false, fault: 'upstream' });
    expect((refused as Error).message).toMatch(/consumeBudget \(WRONGTYPE\)/);
    expect(store.available).toBe(true);
    expect(logger.warn).not.toHaveBeenCalled();
    await store.set(PHONE, sampleStatus(), 60_000);
    expect(await store.get(PHONE)).toBeDefined();
  });

  it('holds add-on records per number and kind, each with its own TTL', async () => {
    let now = 1_764_200_000_000;
    const { store, keyPrefix } = newStore({ client: admin, now: () => now });
    const deactivation = { lastDeactivatedAt: 1_700_000_000_000, trackingSince: null, tags: ['a'] };
    await store.set(PHONE, sampleStatus(), 60_000);
    await store.setRecord('deactivation', PHONE, deactivation, 3_600_000);
    await store.setRecord('sim-swap', PHONE, { risk: 2 }, 300_000);
    expect(await store.getRecord('deactivation', PHONE)).toEqual(deactivation);
    expect(await store.getRecord('sim-swap', PHONE)).toEqual({ risk: 2 });
    expect(await store.getRecord('sim-swap', '+14155552672')).toBeUndefined();
    expect(await store.getRecord('carrier', PHONE)).toBeUndefined();
    // Another instance (its own store and connection, same prefix and secret) shares them.
    const shared = createRedisStore({
      url: SHARED_REDIS_URL,
      keyPrefix,
      keySecret: SECRET,
      logger: quietLogger(),
      now: () => now,
    });
    stores.push(shared);
    expect(await shared.getRecord('deactivation', PHONE)).toEqual(deactivation);
    // One hash per number, living as long as its longest record.
    const recordKey = `${keyPrefix}r:${createKeyHasher(SECRET)(PHONE)}`;
    expect(await admin.type(recordKey)).toBe('hash');
    expect(await admin.pttl(recordKey)).toBeGreaterThan(3_500_000);
    await store.setRecord('sim-swap', PHONE, { risk: 4 }, 1000);
    expect(await admin.pttl(recordKey)).toBeGreaterThan(3_500_000);
    expect(await store.getRecord('sim-swap', PHONE)).toEqual({ risk: 4 });
    // Each kind expires on its own, and the live status is untouched by either.
    now += 5000;
    expect(await store.getRecord('sim-swap', PHONE)).toBeUndefined();
    expect(await store.getRecord('deactivation', PHONE)).toEqual(deactivation);
    expect(await store.get(PHONE)).toBeDefined();
    // Values JSON cannot hold, and bad kinds, are refused loudly; bad TTLs write nothing.
    await expect(store.setRecord('sim-swap', PHONE, () => 1, 1000)).rejects.toMatchObject({
      code: 'STORE_VALUE_INVALID',
    });
    await expect(store.getRecord('Sim Swap', PHONE)).rejects.toMatchObject({
      code: 'STORE_VALUE_INVALID',
    });
    await store.setRecord('other', '+14155552672', 1, 0);
    expect(await keysWithPrefix(admin, keyPrefix)).toHaveLength(2);
  });

  it('reads a foreign record as a miss and logs once', async () => {
    const logger = quietLogger();
    const { store, keyPrefix } = newStore({ client: admin, logger });
    const hash = createKeyHasher(SECRET);
    await admin.hset(`${keyPrefix}r:${hash(PHONE)}`, 'sim-swap', '{"risk":1}');
    await admin.set(`${keyPrefix}r:${hash('+14155552672')}`, 'a string', 'PX', 60_000);
    expect(await store.getRecord('sim-swap', PHONE)).toBeUndefined();
    expect(await store.getRecord('sim-swap', '+14155552672')).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('4155552');
  });

  it('deletes the status and every record of a number, and nothing else', async () => {
    const { store, keyPrefix } = newStore();
    const other = '+14155552672';
    for (const phone of [PHONE, other]) {
      await store.set(phone, sampleStatus({ phone }), 60_000);
      await store.setRecord('deactivation', phone, { at: 1 }, 60_000);
    }
    await store.delete(PHONE);
    expect(await store.get(PHONE)).toBeUndefined();
    expect(await store.getRecord('deactivation', PHONE)).toBeUndefined();
    expect(await store.get(other)).toBeDefined();
    expect(await store.getRecord('deactivation', other)).toEqual({ at: 1 });
    expect(await keysWithPrefix(admin, keyPrefix)).toHaveLength(2);
    await store.delete(PHONE);
  });
});
