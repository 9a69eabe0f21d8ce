import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  freePort,
  type PrivateRedis,
  requireRedisServerBinary,
  startPrivateRedis,
} from '../test-support/redis-test-server.js';
import { sampleStatus } from '../test-support/sample-status.js';
import { createRedisStore, type RedisStore } from './redis-store.js';
import type { RedisStoreError } from './redis-store-error.js';

const available = requireRedisServerBinary('@phone-guard/redis outage tests');
const SECRET = 'test-secret-0123456789abcdef';
const PHONE = '+14155552671';
const TIMEOUT_MS = 300;
/** Generous bound for "returned within its timeout" on a slow, busy 2-core machine. */
const SLACK_MS = 1500;
/** Generous bound for a call refused without touching Redis. */
const REFUSED_MS = 50;
const PROBE = { probeIntervalMs: 200, maxProbeIntervalMs: 400 } as const;

function spyLogger() {
  return { warn: vi.fn(), error: vi.fn(), info: vi.fn() };
}

async function settle(
  work: Promise<unknown>,
): Promise<{ error: RedisStoreError | undefined; ms: number }> {
  const started = performance.now();
  let error: RedisStoreError | undefined;
  try {
    await work;
  } catch (caught) {
    error = caught as RedisStoreError;
  }
  return { error, ms: performance.now() - started };
}

/** Every store method once; each must reject as an outage the store has logged, in time. */
async function expectAllRefused(store: RedisStore, boundMs: number) {
  const calls = [
    () => store.get(PHONE),
    () => store.set(PHONE, sampleStatus(), 60_000),
    () => store.acquireLookup(PHONE, 5_000),
    () => store.consumeBudget(2, 60_000),
    () => store.delete(PHONE),
    () => store.getRecord('sim-swap', PHONE),
    () => store.setRecord('sim-swap', PHONE, { risk: 1 }, 60_000),
  ];
  for (const call of calls) {
    const { error, ms } = await settle(call());
    expect(error?.code).toMatch(/^REDIS_(UNAVAILABLE|TIMEOUT)$/);
    expect(error?.logged).toBe(true);
    expect(ms).toBeLessThan(boundMs);
  }
}

describe.skipIf(!available)('createRedisStore when Redis goes away', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('rejects fast while Redis is down, logs once per outage, and a probe ends it', async () => {
    const logger = spyLogger();
    const store = createRedisStore({
      url: redis.url,
      keySecret: SECRET,
      commandTimeoutMs: TIMEOUT_MS,
      logger,
      ...PROBE,
    });
    try {
      await store.set(PHONE, sampleStatus(), 60_000);
      expect(await store.get(PHONE)).toMatchObject({ subscriberStatus: 'ACTIVE' });

      await redis.stop();
      await expectAllRefused(store, TIMEOUT_MS + SLACK_MS);
      expect(store.available).toBe(false);
      for (let round = 0; round < 5; round++) await expectAllRefused(store, REFUSED_MS);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0]?.[0]).toMatch(/Redis unavailable/);
      expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('4155552671');
      expect(logger.info).not.toHaveBeenCalled();

      await redis.start();
      await vi.waitFor(() => expect(store.available).toBe(true), { timeout: 10_000, interval: 50 });
      expect(logger.info).toHaveBeenCalledTimes(1);
      expect(logger.info.mock.calls[0]?.[0]).toMatch(
        /serves again after \d+ ms \(\d+ store calls skipped/,
      );
      await store.set(PHONE, sampleStatus(), 60_000);
      expect(await store.get(PHONE)).toBeDefined();
      const other = '+14155552672';
      expect(await store.acquireLookup(other, 5_000)).toBe(true);
      expect(await store.acquireLookup(other, 5_000)).toBe(false);
      await store.releaseLookup(other);

      // A second outage is a second warning.
      await redis.stop();
      await expectAllRefused(store, TIMEOUT_MS + SLACK_MS);
      expect(logger.warn).toHaveBeenCalledTimes(2);
      await redis.start();
      await vi.waitFor(() => expect(store.available).toBe(true), { timeout: 10_000, interval: 50 });
      expect(logger.info).toHaveBeenCalledTimes(2);
    } finally {
      await store.close();
    }
  });

  it('on a Redis that accepts connections but never answers, pays the timeout once, then refuses at once', async () => {
    const logger = spyLogger();
    const store = createRedisStore({
      url: redis.url,
      keySecret: SECRET,
      commandTimeoutMs: TIMEOUT_MS,
      logger,
      ...PROBE,
    });
    try {
      await store.set(PHONE, sampleStatus(), 60_000);
      redis.pause();
      try {
        const first = await settle(store.get(PHONE));
        expect(first.error).toMatchObject({ code: 'REDIS_TIMEOUT', logged: true });
        expect(first.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
        await expectAllRefused(store, REFUSED_MS);
        // Probes keep failing while it is frozen, and stay quiet.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await expectAllRefused(store, REFUSED_MS);
        expect(logger.warn).toHaveBeenCalledTimes(1);
        expect(logger.warn.mock.calls[0]?.[0]).toMatch(/REDIS_TIMEOUT|did not answer/);
      } finally {
        redis.resume();
      }
      await vi.waitFor(() => expect(store.available).toBe(true), { timeout: 10_000, interval: 50 });
      expect(await store.get(PHONE)).toBeDefined();
      expect(logger.info).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledTimes(1);
    } finally {
      await store.close();
    }
  });

  it('bounds calls on a caller client that queues commands while offline', async () => {
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    const logger = spyLogger();
    const store = createRedisStore({
      client,
      keySecret: SECRET,
      commandTimeoutMs: TIMEOUT_MS,
      logger,
      budgetFallback: 'allow',
      ...PROBE,
    });
    try {
      await store.set(PHONE, sampleStatus(), 60_000);
      await redis.stop();
      expect((await settle(store.get(PHONE))).ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      // 'allow' answers instead of rejecting.
      expect(await store.consumeBudget(1, 60_000)).toBe(true);
      expect(await store.consumeBudget(1, 60_000)).toBe(true);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      await redis.start();
      await vi.waitFor(() => expect(store.available).toBe(true), { timeout: 15_000, interval: 50 });
      await store.set(PHONE, sampleStatus(), 60_000);
      expect(await store.get(PHONE)).toBeDefined();
      await store.close();
      expect(client.status).toBe('ready');
    } finally {
      client.disconnect();
    }
  });

  it('starts without Redis, fails fast, and closes promptly', async () => {
    const port = await freePort();
    const logger = spyLogger();
    const store = createRedisStore({
      url: `redis://127.0.0.1:${port}`,
      keySecret: SECRET,
      commandTimeoutMs: TIMEOUT_MS,
      logger,
      budgetFallback: 'deny',
      ...PROBE,
    });
    try {
      expect((await settle(store.get(PHONE))).error?.logged).toBe(true);
      expect(await store.consumeBudget(5, 60_000)).toBe(false);
      for (let round = 0; round < 3; round++) {
        for (const call of [store.get(PHONE), store.set(PHONE, sampleStatus(), 1000)]) {
          const { error, ms } = await settle(call);
          expect(error).toMatchObject({ code: 'REDIS_UNAVAILABLE', logged: true });
          expect(ms).toBeLessThan(REFUSED_MS);
        }
      }
      expect(logger.warn).toHaveBeenCalledTimes(1);
    } finally {
      const closed = await settle(store.close());
      expect(closed.ms).toBeLessThan(SLACK_MS);
    }
    await expect(store.get(PHONE)).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});
