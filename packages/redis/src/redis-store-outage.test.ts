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

const available = requireRedisServerBinary('@phone-guard/redis outage tests');
const SECRET = 'test-secret-0123456789abcdef';
const PHONE = '+14155552671';
const TIMEOUT_MS = 300;
/** Generous bound for "returned within its timeout" on a slow, busy 2-core machine. */
const SLACK_MS = 1500;

function spyLogger() {
  return { warn: vi.fn(), error: vi.fn(), info: vi.fn() };
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

/** Every store method once; asserts each settles (without throwing) within the bound. */
async function callEverything(store: RedisStore) {
  const results = {
    get: await timed(store.get(PHONE)),
    set: await timed(store.set(PHONE, sampleStatus(), 60_000)),
    acquire: await timed(store.acquireLookup(PHONE, 5_000)),
    release: await timed(store.releaseLookup(PHONE)),
    budget: await timed(store.consumeBudget(2, 60_000)),
  };
  for (const { ms } of Object.values(results)) expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
  return results;
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe.skipIf(!available)('createRedisStore when Redis goes away', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('falls back within its timeout, logs once per outage, and recovers', async () => {
    const logger = spyLogger();
    const store = createRedisStore({
      url: redis.url,
      keySecret: SECRET,
      commandTimeoutMs: TIMEOUT_MS,
      logger,
    });
    try {
      await store.set(PHONE, sampleStatus(), 60_000);
      expect(await store.get(PHONE)).toMatchObject({ subscriberStatus: 'ACTIVE' });

      await redis.stop();
      for (let round = 0; round < 5; round++) {
        const results = await callEverything(store);
        expect(results.get.value).toBeUndefined();
        expect(results.acquire.value).toBe(true);
        // 'local' fallback: a per-process budget of 2 per window.
        expect(results.budget.value).toBe(round < 2);
      }
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0]?.[0]).toMatch(/Redis unavailable/);
      expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('4155552671');
      expect(logger.info).not.toHaveBeenCalled();

      await redis.start();
      const recovered = await until(async () => {
        await store.set(PHONE, sampleStatus(), 60_000);
        return (await store.get(PHONE)) !== undefined;
      }, 15_000);
      expect(recovered).toBe(true);
      expect(logger.info).toHaveBeenCalledTimes(1);
      expect(logger.info.mock.calls[0]?.[0]).toMatch(/answers again/);
      const other = '+14155552672';
      expect(await store.acquireLookup(other, 5_000)).toBe(true);
      expect(await store.acquireLookup(other, 5_000)).toBe(false);
      await store.releaseLookup(other);

      // A second outage is a second warning.
      await redis.stop();
      await callEverything(store);
      expect(logger.warn).toHaveBeenCalledTimes(2);
      await redis.start();
    } finally {
      await store.close();
    }
  });

  it('gives up on a Redis that accepts connections but never answers', async () => {
    const logger = spyLogger();
    const store = createRedisStore({
      url: redis.url,
      keySecret: SECRET,
      commandTimeoutMs: TIMEOUT_MS,
      logger,
      budgetFallback: 'deny',
    });
    try {
      await store.set(PHONE, sampleStatus(), 60_000);
      redis.pause();
      try {
        const results = await callEverything(store);
        expect(results.get.value).toBeUndefined();
        expect(results.acquire.value).toBe(true);
        expect(results.budget.value).toBe(false);
        expect(logger.warn).toHaveBeenCalledTimes(1);
      } finally {
        redis.resume();
      }
      expect(await until(async () => (await store.get(PHONE)) !== undefined, 10_000)).toBe(true);
      expect(logger.info).toHaveBeenCalledTimes(1);
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
    });
    try {
      await store.set(PHONE, sampleStatus(), 60_000);
      await redis.stop();
      const results = await callEverything(store);
      expect(results.get.value).toBeUndefined();
      expect(results.budget.value).toBe(true);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      await redis.start();
      expect(
        await until(async () => {
          await store.set(PHONE, sampleStatus(), 60_000);
          return (await store.get(PHONE)) !== undefined;
        }, 15_000),
      ).toBe(true);
      await store.close();
      expect(client.status).toBe('ready');
    } finally {
      client.disconnect();
    }
  });

  it('starts without Redis and fails fast until there is one', async () => {
    const port = await freePort();
    const logger = spyLogger();
    const store = createRedisStore({
      url: `redis://127.0.0.1:${port}`,
      keySecret: SECRET,
      commandTimeoutMs: TIMEOUT_MS,
      logger,
    });
    try {
      for (let round = 0; round < 3; round++) {
        expect((await callEverything(store)).get.value).toBeUndefined();
      }
      expect(logger.warn).toHaveBeenCalledTimes(1);
    } finally {
      const closed = await timed(store.close());
      expect(closed.ms).toBeLessThan(SLACK_MS);
    }
  });
});
