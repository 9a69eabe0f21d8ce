import { afterEach, describe, expect, it } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import type { LiveStatus, LiveStatusProvider, Logger, StatusStore } from '../model/types.js';
import { createPhoneGuard, type PhoneGuard } from './create-guard.js';
import type { PhoneGuardOptions } from './options.js';

const PHONE = '+14155552671';
const silent: Logger = { warn() {}, error() {} };

function status(phone: string, patch: Partial<LiveStatus> = {}): LiveStatus {
  return liveStatus(phone, { checkedAt: Date.now(), ...patch });
}

function countingProvider(delayMs = 0) {
  const provider = {
    calls: 0,
    async getLiveStatus(phone: string) {
      provider.calls++;
      await new Promise((r) => setTimeout(r, delayMs));
      return status(phone);
    },
  } satisfies LiveStatusProvider & { calls: number };
  return provider;
}

/** An in-memory StatusStore with a lock and a budget, like the Redis one. */
function memoryStore() {
  const data = new Map<string, { status: LiveStatus; until: number }>();
  const locks = new Map<string, number>();
  let budgetUsed = 0;
  const store = {
    sets: [] as { phone: string; ttlMs: number }[],
    gets: 0,
    async get(phone: string) {
      store.gets++;
      const e = data.get(phone);
      return e && e.until > Date.now() ? e.status : undefined;
    },
    async set(phone: string, s: LiveStatus, ttlMs: number) {
      store.sets.push({ phone, ttlMs });
      data.set(phone, { status: s, until: Date.now() + ttlMs });
    },
    async acquireLookup(phone: string, ttlMs: number) {
      const until = locks.get(phone);
      if (until !== undefined && until > Date.now()) return false;
      locks.set(phone, Date.now() + ttlMs);
      return true;
    },
    async releaseLookup(phone: string) {
      locks.delete(phone);
    },
    async consumeBudget(limit: number) {
      if (budgetUsed >= limit) return false;
      budgetUsed++;
      return true;
    },
  } satisfies StatusStore & Record<string, unknown>;
  return { store, data, locks };
}

const guards: PhoneGuard[] = [];
function guard(options: PhoneGuardOptions): PhoneGuard {
  const g = createPhoneGuard({ logger: silent, ...options });
  guards.push(g);
  return g;
}
afterEach(async () => {
  await Promise.all(guards.splice(0).map((g) => g.close()));
});

describe('createPhoneGuard with a StatusStore', () => {
  it('writes upstream answers with the outcome TTL and serves other instances from it', async () => {
    const { store } = memoryStore();
    const provider = countingProvider();
    const a = guard({ provider, store });
    const b = guard({ provider, store });
    expect((await a.check(PHONE)).source).toBe('upstream');
    await new Promise((r) => setTimeout(r, 10)); // the write is not awaited by the check
    expect(store.sets).toEqual([{ phone: PHONE, ttlMs: 86_400_000 }]);
    const fromStore = await b.check(PHONE);
    expect(fromStore).toMatchObject({ source: 'cache', action: 'allow' });
    expect(provider.calls).toBe(1);
    expect(b.stats()).toMatchObject({ storeHits: 1, lookups: 0 });
    // and now b has it in its near cache
    await b.check(PHONE);
    expect(store.gets).toBe(2);
    // a caller-passed store is never closed by the guard
    let closed = 0;
    const withClose = { ...store, close: async () => void closed++ };
    await createPhoneGuard({ provider, store: withClose, logger: silent }).close();
    expect(closed).toBe(0);
  });

  it('ignores store answers older than the guard TTL', async () => {
    const { store, data } = memoryStore();
    data.set(PHONE, {
      status: status(PHONE, {
        subscriberStatus: 'DISCONNECTED',
        checkedAt: Date.now() - 7_200_000,
      }),
      until: Date.now() + 60_000,
    });
    const provider = countingProvider();
    const g = guard({ provider, store });
    expect(await g.check(PHONE)).toMatchObject({ source: 'upstream', action: 'allow' });
  });

  it('a failing store is a miss, logged once, never seen by the caller', async () => {
    const warnings: unknown[] = [];
    const broken: StatusStore = {
      get: () => Promise.reject(new Error('ECONNREFUSED')),
      set: () => Promise.reject(new Error('ECONNREFUSED')),
      acquireLookup: () => {
        throw new Error('sync throw');
      },
    };
    const provider = countingProvider();
    const g = guard({
      provider,
      store: broken,
      logger: { warn: (m: unknown) => warnings.push(m), error() {} },
    });
    expect((await g.check(PHONE)).action).toBe('allow');
    expect((await g.check('+14155552672')).action).toBe('allow');
    await new Promise((r) => setTimeout(r, 10));
    expect(provider.calls).toBe(2);
    expect(g.stats().storeErrors).toBeGreaterThanOrEqual(4);
    expect(new Set(warnings).size).toBe(warnings.length); // each kind once
  });

  it('a hanging store is bounded by storeTimeoutMs', async () => {
    const hanging: StatusStore = {
      get: () => new Promise(() => {}),
      set: () => new Promise(() => {}),
    };
    const provider = countingProvider();
    const g = guard({ provider, store: hanging, storeTimeoutMs: 50, timeoutMs: 2000 });
    const started = performance.now();
    expect(await g.check(PHONE)).toMatchObject({ action: 'allow', source: 'upstream' });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('coalesces across instances through acquireLookup', async () => {
    const { store } = memoryStore();
    const provider = countingProvider(150);
    const a = guard({ provider, store });
    const b = guard({ provider, store });
    const results = await Promise.all([
      a.check(PHONE),
      b.check(PHONE),
      a.check(PHONE),
      b.check(PHONE),
    ]);
    expect(provider.calls).toBe(1);
    expect(results.map((d) => d.action)).toEqual(['allow', 'allow', 'allow', 'allow']);
  });

  it('falls back to its own look-up when the lock holder never answers', async () => {
    const { store, locks } = memoryStore();
    locks.set(PHONE, Date.now() + 60_000); // another instance holds it and died
    const provider = countingProvider();
    const g = guard({ provider, store, timeoutMs: 1000 });
    const started = performance.now();
    expect(await g.check(PHONE)).toMatchObject({ source: 'upstream' });
    expect(performance.now() - started).toBeLessThan(1000 + 1500);
    expect(provider.calls).toBe(1);
  });

  it('shares the budget through consumeBudget', async () => {
    const { store } = memoryStore();
    const provider = countingProvider();
    const a = guard({ provider, store, budget: { limit: 2 } });
    const b = guard({ provider, store, budget: { limit: 2 } });
    await a.check('+14155552601');
    await b.check('+14155552602');
    const over = await a.check('+14155552603');
    expect(over.reasons).toEqual(['LOOKUP_FAILED', 'BUDGET_EXCEEDED']);
    expect(provider.calls).toBe(2);
    expect(a.stats().budget).toMatchObject({ shared: true, limit: 2 });
  });
});
