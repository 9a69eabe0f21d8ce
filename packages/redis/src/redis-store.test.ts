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
    }
    await store.consumeBudget(10, 60_000);
    const keys = await keysWithPrefix(admin, keyPrefix);
    expect(keys).toHaveLength(7);
    for (const key of keys) {
      const value = (await admin.type(key)) === 'string' ? await admin.get(key) : '';
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
    const key = `${keyPrefix}b:60000:${now / 60_000}`;
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
    expect(await admin.get(`${keyPrefix}b:60000:${now / 60_000}`)).toBe('1');
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
      // A closed store answers without Redis.
      expect(await store.get(PHONE)).toBeUndefined();
      expect(await store.acquireLookup(PHONE, 1000)).toBe(true);
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

  it('warns once when no keySecret is given', async () => {
    const logger = quietLogger();
    const { store } = newStore({ client: admin, keySecret: undefined, logger });
    await store.set(PHONE, sampleStatus(), 60_000);
    expect(await store.get(PHONE)).toBeDefined();
    newStore({ client: admin, keySecret: undefined, logger });
    const warnings = logger.warn.mock.calls.filter(([m]) => String(m).includes('keySecret'));
    expect(warnings.length).toBeLessThanOrEqual(1);
  });
});
