import { describe, expect, it } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import { createHttpAdapter } from '../http/adapter.js';
import type { LiveStatus, LiveStatusProvider, Logger } from '../model/types.js';
import { createPhoneGuard } from './create-guard.js';

const PHONE = '+14155552671';
const silent: Logger = { warn() {}, error() {} };

function counting(subscriberStatus: LiveStatus['subscriberStatus'] = 'ACTIVE') {
  let calls = 0;
  const provider: LiveStatusProvider = {
    async getLiveStatus(phone) {
      calls++;
      return liveStatus(phone, { subscriberStatus });
    },
  };
  return { provider, calls: () => calls };
}

describe('guard.checkCached()', () => {
  it('answers invalid input at once, without a look-up', () => {
    const { provider, calls } = counting();
    const guard = createPhoneGuard({ provider, logger: silent });
    const d = guard.checkCached({ not: 'a phone' });
    expect(d).toMatchObject({ action: 'block', reasons: ['PHONE_INVALID'], source: 'none' });
    expect(d?.error?.code).toBe('PHONE_NOT_STRING');
    expect(calls()).toBe(0);
  });

  it('returns undefined on a miss and starts nothing; then the cached decision after check()', async () => {
    const { provider, calls } = counting('DISCONNECTED');
    const guard = createPhoneGuard({ provider, logger: silent, policy: 'signup' });
    expect(guard.checkCached(PHONE)).toBeUndefined();
    expect(calls()).toBe(0);
    const first = await guard.check(PHONE);
    const cached = guard.checkCached('+1 (415) 555-2671');
    expect(cached).toMatchObject({
      action: 'block',
      reasons: ['SUBSCRIBER_DISCONNECTED'],
      source: 'cache',
    });
    expect(first.source).toBe('upstream');
    expect(calls()).toBe(1);
    expect(guard.stats()).toMatchObject({ hits: 1 });
  });

  it('honours per-call options the way check() does', async () => {
    const { provider } = counting();
    const guard = createPhoneGuard({ provider, logger: silent });
    await guard.check(PHONE);
    const d = guard.checkCached(PHONE, { useCase: 'PWRT', policy: 'passwordReset' });
    // passwordReset asks for identity signals this provider cannot give (issue 12).
    expect(d).toMatchObject({
      action: 'flag',
      reasons: ['REASSIGNMENT_UNKNOWN'],
      useCase: 'PWRT',
      source: 'cache',
      reassignment: { verdict: 'unknown', reason: 'PROVIDER_UNSUPPORTED' },
    });
  });

  it('never throws, whatever it is given', () => {
    const guard = createPhoneGuard({ provider: counting().provider, logger: silent });
    for (const input of [undefined, null, 42, [], {}, Symbol('x'), 'x'.repeat(10_000)]) {
      expect(() => guard.checkCached(input, { signal: 'nope' as never })).not.toThrow();
    }
  });

  it('lets an adapter answer a cache hit synchronously, and fall back to check() otherwise', async () => {
    const { provider, calls } = counting();
    const guard = createPhoneGuard({ provider, logger: silent });
    const adapter = createHttpAdapter<object>({ guard }, { name: 'test', bodyParserHint: '' });
    const view = {
      body: () => ({ phone: PHONE }),
      query: () => ({}),
      req: { headers: {}, method: 'POST', socket: {} } as never,
      res: { on() {}, off() {}, writableEnded: false } as never,
    };
    const miss = adapter.run({}, view);
    expect(miss).toBeInstanceOf(Promise);
    expect(await miss).toMatchObject({ kind: 'next' });
    const hit = adapter.run({}, view);
    expect(hit).not.toBeInstanceOf(Promise);
    expect(hit).toMatchObject({ kind: 'next', decision: { source: 'cache' } });
    expect(calls()).toBe(1);
  });

  it('an adapter still works with a guard-like object that has no checkCached', async () => {
    const { provider } = counting();
    const real = createPhoneGuard({ provider, logger: silent });
    const wrapper = { check: real.check, stats: real.stats, close: real.close };
    const adapter = createHttpAdapter<object>(
      { guard: wrapper as never },
      { name: 'test', bodyParserHint: '' },
    );
    const view = {
      body: () => ({ phone: PHONE }),
      query: () => ({}),
      req: { headers: {}, method: 'POST', socket: {} } as never,
      res: { on() {}, off() {}, writableEnded: false } as never,
    };
    await adapter.run({}, view);
    const again = adapter.run({}, view);
    expect(again).toBeInstanceOf(Promise);
    expect(await again).toMatchObject({ kind: 'next', decision: { source: 'cache' } });
  });
});
