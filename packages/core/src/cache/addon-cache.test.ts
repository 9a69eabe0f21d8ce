import { describe, expect, it, vi } from 'vitest';
import type { PhoneIdAddons } from '../model/identity-signals.js';
import type { StatusStore } from '../model/types.js';
import { type AddonLoader, type AddonRequest, createAddonCache } from './addon-cache.js';
import { BRIEF_TTL_MS } from './addon-records.js';

const PHONE = '+13105550100';
const DAY = 86_400_000;
const OK = { code: 2800, outcome: 'data', description: null } as const;
const V = { at: Date.UTC(2025, 2, 11, 7, 30), day: Date.UTC(2025, 2, 11) };

function answer(request: AddonRequest, patch: Partial<PhoneIdAddons> = {}): PhoneIdAddons {
  return {
    phone: PHONE,
    numberDeactivation: request.numberDeactivation
      ? {
          status: OK,
          lastDeactivatedAt: Date.UTC(2025, 4, 1),
          trackingSince: Date.UTC(2015, 0, 1),
          carrier: 'Verizon',
          telesignVerdict: typeof request.numberDeactivation === 'object' ? 'recycled' : null,
        }
      : null,
    simSwap: request.simSwap ? { status: OK, risk: 1, swappedAt: null } : null,
    referenceId: 'R',
    statusCode: 300,
    checkedAt: 0,
    ...patch,
  };
}

/** A loader answering after `delayMs`, recording requests, honouring the signal. */
function loader(delayMs = 10, patch?: (r: AddonRequest) => Partial<PhoneIdAddons>) {
  const requests: AddonRequest[] = [];
  const signals: AbortSignal[] = [];
  const load: AddonLoader = (_e164, request, signal) => {
    requests.push(request);
    signals.push(signal);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(answer(request, patch?.(request))), delayMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  };
  return { load, requests, signals };
}

function cache(load: AddonLoader, extra: { now?: () => number; store?: StatusStore } = {}) {
  return createAddonCache({
    max: 100,
    ttl: { numberDeactivation: 7 * DAY, simSwap: 60_000 },
    now: extra.now ?? Date.now,
    load,
    store: extra.store,
    storeTimeoutMs: 100,
  });
}

const both = { deactivation: true, simSwap: true, lastVerifiedAt: V };

describe('createAddonCache', () => {
  it('asks once for what concurrent checks need, and keeps the raw dates with the day asked', async () => {
    const { load, requests } = loader();
    const c = cache(load);
    const [a, b, swapOnly] = await Promise.all([
      c.load(PHONE, both, { timeoutMs: 1000 }),
      c.load(PHONE, { ...both, lastVerifiedAt: { at: 0, day: 0 } }, { timeoutMs: 1000 }),
      c.load(
        PHONE,
        { deactivation: false, simSwap: true, lastVerifiedAt: undefined },
        { timeoutMs: 1000 },
      ),
    ]);
    expect(requests).toEqual([
      { numberDeactivation: { lastVerifiedAt: new Date(V.at) }, simSwap: true },
    ]);
    expect(a.deactivation).toMatchObject({
      ok: true,
      record: {
        telesignVerdict: 'recycled',
        telesignVerdictDay: V.day,
        lastDeactivatedAt: Date.UTC(2025, 4, 1),
      },
    });
    expect(b.deactivation).toEqual(a.deactivation);
    expect(swapOnly).toEqual({ simSwap: a.simSwap });
    expect(c.peek('deactivation', PHONE)).toBeDefined();
  });

  it('asks only for the kind that is stale', async () => {
    let t = 1_000_000;
    const { load, requests } = loader(1);
    const c = cache(load, { now: () => t });
    await c.load(PHONE, both, { timeoutMs: 1000 });
    t += 61_000;
    await c.load(PHONE, both, { timeoutMs: 1000 });
    expect(requests[1]).toEqual({ numberDeactivation: false, simSwap: true });
  });

  it('keeps answers without data as long as data, failures only briefly', async () => {
    let t = 1_000_000;
    const statuses = { numberDeactivation: 2803, simSwap: 2802 };
    const { load, requests } = loader(1, (r) => ({
      numberDeactivation: r.numberDeactivation
        ? {
            status: { code: statuses.numberDeactivation, outcome: 'unknown', description: null },
            lastDeactivatedAt: null,
            trackingSince: null,
            carrier: null,
            telesignVerdict: null,
          }
        : null,
      simSwap: r.simSwap
        ? {
            status: { code: statuses.simSwap, outcome: 'retryable', description: null },
            risk: null,
            swappedAt: null,
          }
        : null,
    }));
    const c = cache(load, { now: () => t });
    const ask = { deactivation: true, simSwap: false, lastVerifiedAt: V };
    await c.load(PHONE, both, { timeoutMs: 1000 });
    t += BRIEF_TTL_MS + 1;
    await c.load(PHONE, ask, { timeoutMs: 1000 });
    expect(requests).toHaveLength(1); // 2803 is still fresh
    await c.load(
      PHONE,
      { deactivation: false, simSwap: true, lastVerifiedAt: undefined },
      { timeoutMs: 1000 },
    );
    expect(requests).toHaveLength(2); // 2802 was kept 30 s only
  });

  it('a waiter that times out leaves; the request goes on for the others, and is cancelled when none is left', async () => {
    const { load } = loader(200);
    const c = cache(load);
    const short = c.load(PHONE, both, { timeoutMs: 20 });
    const long = c.load(PHONE, both, { timeoutMs: 1000 });
    expect((await short).simSwap).toMatchObject({ ok: false, reason: 'timeout' });
    expect((await long).simSwap).toMatchObject({ ok: true });
    const alone = loader(200);
    const c2 = cache(alone.load);
    const controller = new AbortController();
    const pending = c2.load(PHONE, both, { timeoutMs: 1000, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10)); // the request is out
    controller.abort();
    expect((await pending).deactivation).toMatchObject({ ok: false, reason: 'aborted' });
    expect(alone.signals[0]?.aborted).toBe(true);
  });

  it('a failed request is reported per kind and not kept', async () => {
    const load = vi.fn<AddonLoader>(() => Promise.reject(new Error('boom')));
    const c = cache(load);
    const first = await c.load(PHONE, both, { timeoutMs: 1000 });
    expect(first.deactivation).toMatchObject({ ok: false, reason: 'failed' });
    await c.load(PHONE, both, { timeoutMs: 1000 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('close() cancels requests in flight: their waiters get "closed"', async () => {
    const { load } = loader(1000);
    const c = cache(load);
    const pending = c.load(PHONE, both, { timeoutMs: 5000 });
    c.close();
    expect((await pending).simSwap).toMatchObject({ ok: false, reason: 'closed' });
  });

  it('shares records through the store, and ignores what it did not write', async () => {
    const records = new Map<string, unknown>();
    const setRecord = vi.fn(async (kind: string, phone: string, value: unknown, _ttlMs: number) => {
      records.set(`${kind}|${phone}`, JSON.parse(JSON.stringify(value)));
    });
    const store: StatusStore = {
      get: async () => undefined,
      set: async () => {},
      getRecord: async (kind, phone) => records.get(`${kind}|${phone}`),
      setRecord,
    };
    const first = loader(1);
    await cache(first.load, { store }).load(PHONE, both, { timeoutMs: 1000 });
    expect(setRecord.mock.calls.map((c) => [c[0], c[3]])).toEqual([
      ['deactivation', 7 * DAY],
      ['sim-swap', 60_000],
    ]);
    const second = loader(1);
    const other = await cache(second.load, { store }).load(PHONE, both, { timeoutMs: 1000 });
    expect(second.requests).toHaveLength(0);
    expect(other.deactivation).toMatchObject({ ok: true, record: { telesignVerdict: 'recycled' } });
    // Garbage in the store is a miss.
    records.set(`deactivation|${PHONE}`, { kind: 'deactivation', status: 'ok', receivedAt: 'x' });
    records.set(`sim-swap|${PHONE}`, {
      kind: 'simSwap',
      status: OK,
      risk: 9,
      swappedAt: null,
      receivedAt: Date.now(),
    });
    const third = loader(1);
    await cache(third.load, { store }).load(PHONE, both, { timeoutMs: 1000 });
    expect(third.requests).toHaveLength(1);
  });
});
