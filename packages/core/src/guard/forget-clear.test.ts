import { afterEach, describe, expect, it } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import { isPhoneGuardError } from '../model/errors.js';
import type { LiveStatus, LiveStatusProvider, Logger, StatusStore } from '../model/types.js';
import { createPhoneGuard, type PhoneGuard } from './create-guard.js';
import type { PhoneGuardOptions } from './options.js';

const PHONE = '+14155552671';
const OTHER = '+14155552672';

function provider(subscriberStatus: () => LiveStatus['subscriberStatus'] = () => 'ACTIVE') {
  const calls: string[] = [];
  const p: LiveStatusProvider = {
    async getLiveStatus(phone) {
      calls.push(phone);
      return liveStatus(phone, { subscriberStatus: subscriberStatus(), checkedAt: Date.now() });
    },
  };
  return { provider: p, calls };
}

/** A shared store in memory; `del` decides what `delete` does (absent: no `delete`). */
function memoryStore(del?: 'ok' | 'fail' | 'hang') {
  const data = new Map<string, LiveStatus>();
  const store: StatusStore = {
    async get(phone) {
      return data.get(phone);
    },
    async set(phone, s) {
      data.set(phone, s);
    },
  };
  if (del !== undefined) {
    store.delete = async (phone) => {
      if (del === 'fail') throw new Error(`cannot delete ${phone}`);
      if (del === 'hang') return new Promise<void>(() => {});
      data.delete(phone);
    };
  }
  return { store, data };
}

const warnings: unknown[][] = [];
const logger: Logger = { warn: (...a: unknown[]) => warnings.push(a), error() {} };
const guards: PhoneGuard[] = [];
function guard(options: PhoneGuardOptions): PhoneGuard {
  const g = createPhoneGuard({ logger, ...options });
  guards.push(g);
  return g;
}
afterEach(async () => {
  warnings.length = 0;
  await Promise.all(guards.splice(0).map((g) => g.close()));
});

describe('guard.forget()', () => {
  it('drops a number from the in-process cache: the next check looks it up again', async () => {
    let status: LiveStatus['subscriberStatus'] = 'DISCONNECTED';
    const { provider: p, calls } = provider(() => status);
    const g = guard({ provider: p });
    expect((await g.check(PHONE)).action).toBe('block');
    await g.check(OTHER);
    status = 'ACTIVE'; // support staff confirmed the number works again
    expect((await g.check(PHONE)).action).toBe('block'); // still cached
    expect(await g.forget('+1 (415) 555-2671')).toBe(true);
    expect(g.checkCached(PHONE)).toBeUndefined();
    expect(await g.check(PHONE)).toMatchObject({ action: 'allow', source: 'upstream' });
    expect((await g.check(OTHER)).source).toBe('cache'); // other numbers are kept
    expect(calls).toEqual([PHONE, OTHER, PHONE]);
  });

  it('reads national numbers with the given or the guard default country', async () => {
    const { provider: p, calls } = provider();
    const g = guard({ provider: p, defaultCountry: 'US' });
    await g.check('07400 123456', { defaultCountry: 'GB' });
    await g.check('(415) 555-2671');
    expect(await g.forget('07400 123456', { defaultCountry: 'gb' })).toBe(true);
    expect(await g.forget('(415) 555-2671')).toBe(true);
    await g.check('+447400123456');
    await g.check(PHONE);
    expect(calls).toEqual(['+447400123456', PHONE, '+447400123456', PHONE]);
  });

  it('resolves false for input that is not a usable number, and never throws', async () => {
    const g = guard({ provider: provider().provider });
    for (const input of [undefined, null, 42, {}, 'not a phone', '07400 123456', 'x'.repeat(1e4)]) {
      expect(await g.forget(input)).toBe(false);
    }
    expect(await g.forget('07400 123456', { defaultCountry: 'XX' })).toBe(false);
    const hostile = Object.defineProperty({}, 'defaultCountry', {
      get() {
        throw new Error('gotcha');
      },
    });
    expect(await g.forget(PHONE, hostile)).toBe(false);
  });

  it('deletes the number from a store that supports it, so other instances look it up again', async () => {
    const { store, data } = memoryStore('ok');
    const first = provider();
    const second = provider();
    const a = guard({ provider: first.provider, store });
    const b = guard({ provider: second.provider, store });
    await a.check(PHONE);
    expect(data.has(PHONE)).toBe(true);
    expect(await a.forget(PHONE)).toBe(true);
    expect(data.has(PHONE)).toBe(false);
    expect((await b.check(PHONE)).source).toBe('upstream');
    expect(second.calls).toEqual([PHONE]);
  });

  it('resolves false and warns once when the store cannot delete', async () => {
    const { store, data } = memoryStore();
    const g = guard({ provider: provider().provider, store });
    await g.check(PHONE);
    expect(await g.forget(PHONE)).toBe(false);
    expect(await g.forget(PHONE)).toBe(false);
    expect(data.has(PHONE)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.[0])).toMatch(/forget\(\).*no delete\(\)/);
    // The in-process copy is gone: the answer now comes from the store.
    expect(await g.check(PHONE)).toMatchObject({ source: 'cache' });
    expect(g.stats().storeHits).toBe(1);
  });

  it('rejects with STORE_ERROR when the store delete fails or hangs, never quoting the number', async () => {
    for (const mode of ['fail', 'hang'] as const) {
      const { store } = memoryStore(mode);
      const g = guard({ provider: provider().provider, store, storeTimeoutMs: 50 });
      await g.check(PHONE);
      const error: unknown = await g.forget(PHONE).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isPhoneGuardError(error), mode).toBe(true);
      expect(error).toMatchObject({ code: 'STORE_ERROR', fault: 'upstream' });
      expect(String((error as Error).message)).not.toContain('4155552671');
      expect(g.stats().storeErrors).toBeGreaterThan(0);
      expect(g.checkCached(PHONE)).toBeUndefined(); // the in-process copy is gone anyway
    }
  });
});

describe('guard.clear()', () => {
  it('empties the in-process cache, keeps the counters and the shared store', async () => {
    const { store, data } = memoryStore('ok');
    const { provider: p, calls } = provider();
    const g = guard({ provider: p, store });
    await g.check(PHONE);
    await g.check(PHONE, { policy: 'passwordReset' });
    await g.check('not a phone');
    g.clear();
    expect(g.stats().cache.size).toBe(0);
    expect(g.checkCached(PHONE)).toBeUndefined();
    expect(data.has(PHONE)).toBe(true);
    expect(await g.check(PHONE)).toMatchObject({ action: 'allow', source: 'cache' }); // from the store
    expect(g.stats()).toMatchObject({ storeHits: 1, invalid: 1 });
    expect(calls).toEqual([PHONE]);
    expect((await g.check('not a phone')).error?.code).toBe('PHONE_INVALID');
  });

  it('without a store, the next check looks the number up again', async () => {
    const { provider: p, calls } = provider();
    const g = guard({ provider: p });
    await g.check(PHONE);
    g.clear();
    g.clear();
    expect((await g.check(PHONE)).source).toBe('upstream');
    expect(calls).toEqual([PHONE, PHONE]);
  });
});
