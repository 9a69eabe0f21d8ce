/**
 * A guard on a Redis store while Redis fails: a private redis-server killed, then frozen
 * (SIGSTOP), and one master of a real three-node Redis Cluster killed. In each case the
 * outage is logged at most twice (begin and recovery), every failed store call is counted
 * in `stats().storeErrors` and published on `phone-guard:store-error`, and checks during
 * the outage cost about what in-process misses cost, instead of a store timeout each.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import {
  createPhoneGuard,
  type LiveStatus,
  type LiveStatusProvider,
  type PhoneGuard,
  type StatusStore,
} from '@phone-guard/core';
import { createRedisStore, type RedisStore } from '@phone-guard/redis';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  requireRedisClusterTools,
  startTestCluster,
  type TestCluster,
} from '../../packages/redis/test-support/redis-test-cluster.js';
import {
  type PrivateRedis,
  requireRedisServerBinary,
  startPrivateRedis,
} from '../../packages/redis/test-support/redis-test-server.js';

const available = requireRedisServerBinary('guard + Redis store outage tests');
const canRunCluster = available && requireRedisClusterTools('guard + Redis Cluster outage test');
const SECRET = 'outage-test-secret-0123456789';
/** The store's bound on one Redis call: what every miss would pay without outage tracking. */
const COMMAND_TIMEOUT_MS = 300;
const CHECKS = 40;

/** An in-process provider: every number is active, answered at once. */
function instantProvider(): LiveStatusProvider & { calls: number } {
  const provider = {
    calls: 0,
    async getLiveStatus(phone: string): Promise<LiveStatus> {
      provider.calls++;
      return {
        phone,
        subscriberStatus: 'ACTIVE',
        deviceStatus: 'REACHABLE',
        roaming: 'NO',
        roamingCountry: null,
        roamingCountryIso2: null,
        phoneType: { code: '2', description: 'MOBILE' },
        carrier: null,
        referenceId: null,
        statusCode: 300,
        errors: [],
        checkedAt: Date.now(),
      };
    },
  };
  return provider;
}

/** Distinct valid US numbers; `round` keeps each batch new to every cache. */
let batch = 0;
function freshNumbers(count = CHECKS): string[] {
  batch++;
  return Array.from(
    { length: count },
    (_, i) => `+1415${String(200 + batch)}${String(1000 + i).padStart(4, '0')}`,
  );
}

function spyLogger() {
  return { warn: vi.fn(), error: vi.fn(), info: vi.fn() };
}
type SpyLogger = ReturnType<typeof spyLogger>;
const lines = (logger: SpyLogger) =>
  logger.warn.mock.calls.length + logger.error.mock.calls.length + logger.info.mock.calls.length;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

/** Checks each number once, in turn; returns each check's duration in ms. */
async function timedChecks(guard: PhoneGuard, phones: string[]): Promise<number[]> {
  const durations: number[] = [];
  for (const phone of phones) {
    const started = performance.now();
    const decision = await guard.check(phone);
    durations.push(performance.now() - started);
    // A store outage never turns into a failed look-up: the guard asks upstream itself.
    expect(decision).toMatchObject({ action: 'allow', source: 'upstream', failedOpen: false });
  }
  return durations;
}

/** Store-error events published while `work` runs. */
async function storeErrorEvents(
  work: () => Promise<void>,
): Promise<{ operation: string; errorCode: string }[]> {
  const events: { operation: string; errorCode: string }[] = [];
  const listener = (message: unknown) => events.push(message as (typeof events)[number]);
  diagnosticsChannel.subscribe('phone-guard:store-error', listener);
  try {
    await work();
  } finally {
    diagnosticsChannel.unsubscribe('phone-guard:store-error', listener);
  }
  return events;
}

describe.skipIf(!available)('a guard on a Redis store during an outage', () => {
  const guards: PhoneGuard[] = [];
  const stores: RedisStore[] = [];
  /** Median duration of an in-process miss (no store), measured once. */
  let inProcessMissMs = 0;

  function newGuard(store: StatusStore | undefined, logger: SpyLogger | false) {
    const guard = createPhoneGuard({
      provider: instantProvider(),
      store,
      storeTimeoutMs: 2000,
      timeoutMs: 5000,
      logger,
    });
    guards.push(guard);
    return guard;
  }

  /** Checks fresh numbers during the outage and asserts what the guard saw and paid. */
  async function checkDuringOutage(guard: PhoneGuard, logger: SpyLogger) {
    const before = guard.stats().storeErrors;
    let durations: number[] = [];
    const events = await storeErrorEvents(async () => {
      durations = await timedChecks(guard, freshNumbers());
      await new Promise((resolve) => setTimeout(resolve, 20)); // the last write's rejection
    });
    const counted = guard.stats().storeErrors - before;
    // get, acquireLookup and set of (nearly) every check fail; each is counted and
    // published. (On a cluster, the first checks may still reach healthy nodes.)
    expect(counted).toBeGreaterThanOrEqual((CHECKS - 5) * 3);
    expect(events).toHaveLength(counted);
    const operations = new Set(events.map((e) => e.operation));
    for (const operation of ['get', 'acquireLookup', 'set'])
      expect(operations).toContain(operation);
    for (const event of events) expect(event.errorCode).toMatch(/^REDIS_(UNAVAILABLE|TIMEOUT)$/);
    // One line when the outage began, none per failed call.
    expect(lines(logger)).toBe(1);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/Redis unavailable/);
    // At most the first checks paid a store timeout; the rest cost about an in-process miss.
    const afterFirst = durations.slice(3);
    expect(median(afterFirst)).toBeLessThan(inProcessMissMs + 25);
    expect(afterFirst.reduce((a, b) => a + b, 0)).toBeLessThan((CHECKS * COMMAND_TIMEOUT_MS) / 4);
    return { durations, events };
  }

  beforeAll(async () => {
    const guard = newGuard(undefined, false);
    await timedChecks(guard, freshNumbers(10)); // warm-up
    inProcessMissMs = median(await timedChecks(guard, freshNumbers()));
  });
  afterEach(async () => {
    await Promise.all(guards.splice(1).map((guard) => guard.close()));
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await Promise.all(guards.splice(0).map((guard) => guard.close()));
  });

  describe('with a private redis-server', () => {
    let redis: PrivateRedis;
    beforeAll(async () => {
      redis = await startPrivateRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    function newStore(logger: SpyLogger) {
      const store = createRedisStore({
        url: redis.url,
        keyPrefix: `pgtest:${batch}:`,
        keySecret: SECRET,
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
        probeIntervalMs: 200,
        maxProbeIntervalMs: 500,
        logger,
      });
      stores.push(store);
      return store;
    }

    it('killed: logs the outage once and the recovery once, counts and publishes every failed call', async () => {
      const logger = spyLogger();
      const store = newStore(logger);
      const guard = newGuard(store, logger);
      await timedChecks(guard, freshNumbers(3));
      expect(guard.stats().storeErrors).toBe(0);

      await redis.stop();
      await checkDuringOutage(guard, logger);

      await redis.start();
      await vi.waitFor(() => expect(store.available).toBe(true), { timeout: 10_000, interval: 50 });
      const stored = freshNumbers(1);
      await timedChecks(guard, stored);
      await vi.waitFor(async () => expect(await store.get(stored[0] as string)).toBeDefined());
      expect(lines(logger)).toBe(2);
      expect(logger.info.mock.calls[0]?.[0]).toMatch(/serves again/);
    });

    it('frozen (SIGSTOP): pays the store timeout once, then checks cost about an in-process miss', async () => {
      const logger = spyLogger();
      const store = newStore(logger);
      const guard = newGuard(store, logger);
      await timedChecks(guard, freshNumbers(3));

      redis.pause();
      try {
        const { durations, events } = await checkDuringOutage(guard, logger);
        expect(events.some((e) => e.errorCode === 'REDIS_TIMEOUT')).toBe(true);
        expect(Math.max(...durations)).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 5);
      } finally {
        redis.resume();
      }
      await vi.waitFor(() => expect(store.available).toBe(true), { timeout: 10_000, interval: 50 });
      expect(lines(logger)).toBe(2);
    });
  });

  describe.skipIf(!canRunCluster)('with a real three-node Redis Cluster', () => {
    let cluster: TestCluster;
    let client: Cluster;
    beforeAll(async () => {
      cluster = await startTestCluster();
      client = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0] as number }], {
        enableOfflineQueue: false,
      });
      client.on('error', () => {});
      client.on('node error', () => {});
    }, 60_000);
    afterAll(async () => {
      client?.disconnect();
      await cluster?.close();
    });

    it('one master killed: logged once, counted, published, and checks stay fast', async () => {
      const logger = spyLogger();
      const store = createRedisStore({
        client,
        keyPrefix: 'pgtest:cluster:',
        keySecret: SECRET,
        commandTimeoutMs: COMMAND_TIMEOUT_MS,
        logger,
      });
      stores.push(store);
      const guard = newGuard(store, logger);
      // Numbers whose keys land on every node are stored and read back before the kill.
      const warm = freshNumbers(12);
      await timedChecks(guard, warm);
      const reader = newGuard(store, logger);
      await vi.waitFor(async () => {
        for (const phone of warm) expect(await store.get(phone)).toBeDefined();
      });
      expect((await reader.check(warm[0] as string)).source).toBe('cache');
      expect(guard.stats().storeErrors + reader.stats().storeErrors).toBe(0);

      await cluster.kill(1);
      await checkDuringOutage(guard, logger);
      expect(store.available).toBe(false);
    });
  });
});
