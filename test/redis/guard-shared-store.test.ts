/**
 * Guards with separate in-process caches sharing one Redis store: shared answers, one
 * upstream look-up per number across instances, TTLs, a shared budget, and a Redis
 * outage in the middle of the test.
 */
import { createPhoneGuard, type PhoneGuard, type PhoneGuardOptions } from '@phone-guard/core';
import { createKeyHasher, createRedisStore, type RedisStore } from '@phone-guard/redis';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  deletePrefix,
  type PrivateRedis,
  Redis,
  requireRedisServerBinary,
  requireSharedRedis,
  SHARED_REDIS_URL,
  startPrivateRedis,
  uniquePrefix,
} from '../../packages/redis/test-support/redis-test-server.js'; // shared with the package's own tests

const available = await requireSharedRedis('guard + Redis store tests');
const canRunOwnRedis = available && requireRedisServerBinary('guard + Redis outage test');
const SECRET = 'guard-test-secret-0123456789';
const DEADLINE_MS = 2000;
/** Slack on top of a deadline for a slow, busy CI machine. */
const SLACK_MS = 1500;

function silentLogger() {
  return { warn: vi.fn(), error: vi.fn(), info: vi.fn() };
}

describe.skipIf(!available)('guards sharing a Redis store', () => {
  let sandbox: Sandbox;
  let admin: Redis;
  let keyPrefix: string;
  const guards: PhoneGuard[] = [];
  const stores: RedisStore[] = [];

  const upstreamRequests = (phone: string) =>
    sandbox.requests.filter((r) => r.digits === phone.slice(1)).length;

  function newStore(overrides: Partial<Parameters<typeof createRedisStore>[0]> = {}) {
    const store = createRedisStore({
      client: admin,
      keyPrefix,
      keySecret: SECRET,
      commandTimeoutMs: 1000,
      logger: silentLogger(),
      ...overrides,
    } as Parameters<typeof createRedisStore>[0]);
    stores.push(store);
    return store;
  }

  function newGuard(store: RedisStore, options: PhoneGuardOptions = {}) {
    const guard = createPhoneGuard({
      telesign: { baseUrl: sandbox.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
      store,
      storeTimeoutMs: 1500,
      timeoutMs: DEADLINE_MS,
      logger: false,
      ...options,
    });
    guards.push(guard);
    return guard;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ latencyMs: 150 });
    admin = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  beforeEach(() => {
    keyPrefix = uniquePrefix();
    sandbox.reset();
  });
  afterEach(async () => {
    await Promise.all(guards.splice(0).map((guard) => guard.close()));
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await deletePrefix(admin, keyPrefix);
  });
  afterAll(async () => {
    await admin?.quit();
    await sandbox?.close();
  });

  it('a second guard answers from the store without an upstream request', async () => {
    const a = newGuard(newStore());
    const b = newGuard(newStore());
    const first = await a.check(TEST_NUMBERS.disconnected);
    expect(first).toMatchObject({ action: 'block', source: 'upstream' });
    expect(first.reasons).toContain('SUBSCRIBER_DISCONNECTED');
    // The store's write is fire-and-forget in the guard: wait until it has landed.
    await vi.waitFor(async () => {
      expect(
        await admin.exists(`${keyPrefix}s:${createKeyHasher(SECRET)(TEST_NUMBERS.disconnected)}`),
      ).toBe(1);
    });
    const second = await b.check(TEST_NUMBERS.disconnected);
    expect(second).toMatchObject({ action: 'block', source: 'cache' });
    expect(second.reasons).toEqual(first.reasons);
    expect(second.status?.subscriberStatus).toBe('DISCONNECTED');
    expect(upstreamRequests(TEST_NUMBERS.disconnected)).toBe(1);
    expect(b.stats().storeHits).toBe(1);
  });

  it('concurrent checks across several guards make one upstream request', async () => {
    const instances = Array.from({ length: 4 }, () => newGuard(newStore()));
    const checks = Array.from({ length: 20 }, (_, i) =>
      (instances[i % instances.length] as PhoneGuard).check(TEST_NUMBERS.roaming),
    );
    const decisions = await Promise.all(checks);
    for (const decision of decisions) {
      expect(decision.status?.roaming).toBe('YES');
      expect(decision.failedOpen).toBe(false);
    }
    expect(upstreamRequests(TEST_NUMBERS.roaming)).toBe(1);
    expect(new Set(decisions.map((d) => d.source))).toEqual(new Set(['upstream', 'cache']));
  });

  it('stores answers for the TTL the guard chose, and looks up again after it', async () => {
    const ttl = { active: 60_000, disconnected: 400, transient: 30_000, unknown: 20_000 };
    const hash = createKeyHasher(SECRET);
    const a = newGuard(newStore(), { cache: { ttl } });
    await a.check(TEST_NUMBERS.active);
    await a.check(TEST_NUMBERS.disconnected);
    await a.check(TEST_NUMBERS.notFound);
    const pttl = async (phone: string) => {
      await vi.waitFor(async () =>
        expect(await admin.exists(`${keyPrefix}s:${hash(phone)}`)).toBe(1),
      );
      return admin.pttl(`${keyPrefix}s:${hash(phone)}`);
    };
    const active = await pttl(TEST_NUMBERS.active);
    expect(active).toBeGreaterThan(50_000);
    expect(active).toBeLessThanOrEqual(60_000);
    const unknown = await pttl(TEST_NUMBERS.notFound);
    expect(unknown).toBeGreaterThan(10_000);
    expect(unknown).toBeLessThanOrEqual(20_000);
    expect(await pttl(TEST_NUMBERS.disconnected)).toBeLessThanOrEqual(400);

    // After the short TTL, a fresh guard finds nothing shared and asks upstream again.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const b = newGuard(newStore(), { cache: { ttl } });
    expect(await b.check(TEST_NUMBERS.disconnected)).toMatchObject({ source: 'upstream' });
    expect(upstreamRequests(TEST_NUMBERS.disconnected)).toBe(2);
    expect(await b.check(TEST_NUMBERS.active)).toMatchObject({ source: 'cache' });
    expect(upstreamRequests(TEST_NUMBERS.active)).toBe(1);
  });

  it('spends one look-up budget across guards', async () => {
    const budget = { limit: 2, windowMs: 600_000 };
    const a = newGuard(newStore(), { budget });
    const b = newGuard(newStore(), { budget });
    expect((await a.check(TEST_NUMBERS.active)).source).toBe('upstream');
    expect((await b.check(TEST_NUMBERS.voip)).source).toBe('upstream');
    const third = await a.check(TEST_NUMBERS.prepaid);
    expect(third.reasons).toContain('LOOKUP_FAILED');
    expect(upstreamRequests(TEST_NUMBERS.prepaid)).toBe(0);
    // A fixed window may end between the calls (once in 10 minutes): then it is allowed.
  });

  describe.skipIf(!canRunOwnRedis)('with a Redis that stops mid-test', () => {
    let redis: PrivateRedis;
    beforeAll(async () => {
      redis = await startPrivateRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('answers within the deadline while Redis is down and shares again after it restarts', async () => {
      const logger = silentLogger();
      const storeOptions = {
        url: redis.url,
        keyPrefix,
        keySecret: SECRET,
        // Short enough to matter, long enough that a busy CI machine does not flap.
        commandTimeoutMs: 300,
        // Probe often, so that the test sees the recovery soon after the restart.
        probeIntervalMs: 200,
        maxProbeIntervalMs: 500,
        logger,
      } as const;
      const storeA = createRedisStore(storeOptions);
      const storeB = createRedisStore(storeOptions);
      stores.push(storeA, storeB);
      const a = newGuard(storeA);
      const b = newGuard(storeB);

      expect((await a.check(TEST_NUMBERS.active)).source).toBe('upstream');
      await vi.waitFor(async () => expect(await storeB.get(TEST_NUMBERS.active)).toBeDefined());
      expect((await b.check(TEST_NUMBERS.active)).source).toBe('cache');

      await redis.stop();
      for (const phone of [TEST_NUMBERS.voip, TEST_NUMBERS.prepaid, TEST_NUMBERS.unreachable]) {
        for (const guard of [a, b]) {
          const started = performance.now();
          const decision = await guard.check(phone);
          expect(performance.now() - started).toBeLessThan(DEADLINE_MS + SLACK_MS);
          expect(decision.failedOpen).toBe(false);
          expect(decision.status).not.toBeNull();
        }
      }
      // Without Redis each guard looked each number up itself.
      expect(upstreamRequests(TEST_NUMBERS.voip)).toBe(2);
      // One warning per store, however many calls failed.
      expect(logger.warn.mock.calls.filter(([m]) => /unavailable/.test(String(m)))).toHaveLength(2);

      await redis.start();
      await vi.waitFor(
        async () => {
          await storeA.set(
            TEST_NUMBERS.active,
            (await a.check(TEST_NUMBERS.active)).status!,
            60_000,
          );
          expect(await storeA.get(TEST_NUMBERS.active)).toBeDefined();
          expect(await storeB.get(TEST_NUMBERS.active)).toBeDefined();
        },
        { timeout: 15_000, interval: 100 },
      );
      // Shared again: one upstream request for a number new to both guards.
      const [x, y] = await Promise.all([
        a.check(TEST_NUMBERS.roaming),
        b.check(TEST_NUMBERS.roaming),
      ]);
      expect([x.source, y.source].sort()).toEqual(['cache', 'upstream']);
      expect(upstreamRequests(TEST_NUMBERS.roaming)).toBe(1);
      // Every outage logged once and every recovery once (2 each unless a busy machine
      // made a call time out after the restart, which is a short outage of its own).
      const outages = logger.warn.mock.calls.filter(([m]) => /unavailable/.test(String(m))).length;
      expect(logger.info).toHaveBeenCalledTimes(outages);
      // Each store failure reached the guards' counters.
      expect(a.stats().storeErrors).toBeGreaterThan(0);
      expect(b.stats().storeErrors).toBeGreaterThan(0);
    });
  });
});
