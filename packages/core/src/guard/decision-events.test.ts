/**
 * What a guard publishes per check (cache, coalesced and decision events, with the
 * guard's name and the check's route and mode labels) and what a shadow check counts.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import type { LiveStatus, LiveStatusProvider } from '../model/types.js';
import { GUARD_CHANNELS, type GuardChannelEvents } from '../observe/channels.js';
import { createPhoneGuard, type PhoneGuard } from './create-guard.js';
import { isEnforced } from './rollout.js';

const PHONE = '+14155552671';
const OTHER = '+14155552672';

function provider(
  status: (phone: string) => LiveStatus['subscriberStatus'] = () => 'ACTIVE',
  delayMs = 0,
): LiveStatusProvider {
  return {
    async getLiveStatus(phone) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      return liveStatus(phone, { subscriberStatus: status(phone) });
    },
  };
}

const unsubscribers: (() => void)[] = [];
const guards: PhoneGuard[] = [];
afterEach(async () => {
  for (const off of unsubscribers.splice(0)) off();
  await Promise.all(guards.splice(0).map((g) => g.close()));
});

/** Every event published on one channel from now on. */
function listen<K extends keyof GuardChannelEvents>(key: K): GuardChannelEvents[K][] {
  const events: GuardChannelEvents[K][] = [];
  const onMessage = (message: unknown) => events.push(message as GuardChannelEvents[K]);
  diagnosticsChannel.subscribe(GUARD_CHANNELS[key], onMessage);
  unsubscribers.push(() => diagnosticsChannel.unsubscribe(GUARD_CHANNELS[key], onMessage));
  return events;
}

function guard(options: Parameters<typeof createPhoneGuard>[0] = {}): PhoneGuard & {
  warnings: string[];
} {
  const warnings: string[] = [];
  const logger = { warn: (m: string) => warnings.push(m), error() {} };
  const g = createPhoneGuard({ provider: provider(), logger, ...options });
  guards.push(g);
  return Object.assign(g, { warnings });
}

describe('cache and coalesced events', () => {
  it('publishes a miss on the cache channel, hits as decisions with cacheHit, nothing for invalid input', async () => {
    const cache = listen('cache');
    const decisions = listen('decision');
    const g = guard({ name: 'signup' });
    await g.check(PHONE);
    await g.check(PHONE);
    g.checkCached('+1 415 555 2671');
    await g.check('junk');
    expect(cache).toEqual([{ result: 'miss', guard: 'signup' }]);
    expect(Object.isFrozen(cache[0])).toBe(true);
    expect(decisions.map((d) => (d as { cacheHit?: boolean }).cacheHit)).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(g.stats()).toMatchObject({ hits: 2, misses: 1 });
  });

  it('publishes each check that joined a look-up in flight', async () => {
    const coalesced = listen('coalesced');
    const g = guard({ name: 'signup', provider: provider(() => 'ACTIVE', 20) });
    await Promise.all([1, 2, 3].map(() => g.check(PHONE, { useCase: 'PWRT' })));
    expect(coalesced).toEqual([
      { useCase: 'PWRT', guard: 'signup' },
      { useCase: 'PWRT', guard: 'signup' },
    ]);
    expect(g.stats().coalesced).toBe(2);
  });
});

describe('route and mode on decision events', () => {
  it('carries the labels of each check, on hits, misses and invalid input alike', async () => {
    const decisions = listen('decision');
    const g = guard({ name: 'signup' });
    const labels = { route: '/signup', mode: 'block' } as const;
    await g.check(PHONE, labels);
    g.checkCached(PHONE, labels);
    await g.check('junk', { route: '/other', mode: 'annotate' });
    await g.check(PHONE);
    expect(decisions.map(({ route, mode, guard }) => ({ route, mode, guard }))).toEqual([
      { route: '/signup', mode: 'block', guard: 'signup' },
      { route: '/signup', mode: 'block', guard: 'signup' },
      { route: '/other', mode: 'annotate', guard: 'signup' },
      { route: undefined, mode: undefined, guard: 'signup' },
    ]);
  });

  it('keeps each check’s labels when a policy function checks again inside it', async () => {
    const decisions = listen('decision');
    const g = guard();
    await g.check(OTHER);
    const policy = () => {
      g.checkCached(OTHER, { route: '/inner', mode: 'annotate' });
      return { action: 'allow' as const, reasons: [] };
    };
    await g.check(PHONE, { policy, route: '/outer', mode: 'shadow' });
    g.checkCached(PHONE, { policy, route: '/outer', mode: 'shadow' });
    const outer = decisions.filter((d) => d.route === '/outer');
    expect(outer).toHaveLength(2);
    for (const d of outer) expect(d.mode).toBe('shadow');
  });

  it('never changes the decision, cuts long routes and ignores bad labels (warned once)', async () => {
    const decisions = listen('decision');
    const g = guard({ provider: provider(() => 'DISCONNECTED') });
    await g.check(PHONE);
    const plain = g.checkCached(PHONE);
    const labelled = g.checkCached(PHONE, { route: `/${'r'.repeat(300)}`, mode: 'shadow' });
    expect(labelled).toBe(plain);
    expect(decisions[2]?.route).toHaveLength(128);
    await g.check(PHONE, { route: 42 as never, mode: 'deny' as never });
    await g.check(PHONE, { route: '', mode: 'off' as never });
    expect(decisions[3]).toMatchObject({ route: undefined, mode: undefined, action: 'block' });
    expect(g.warnings.filter((w) => /route/.test(w))).toHaveLength(1);
    expect(g.warnings.filter((w) => /mode/.test(w))).toHaveLength(1);
  });
});

describe('shadow mode', () => {
  it('counts block decisions by first reason in stats().wouldBlock, and nothing else', async () => {
    const g = guard({ provider: provider((p) => (p === PHONE ? 'DISCONNECTED' : 'ACTIVE')) });
    expect(g.stats().wouldBlock).toEqual({});
    await g.check(PHONE, { mode: 'shadow' });
    g.checkCached(PHONE, { mode: 'shadow' });
    await g.check(OTHER, { mode: 'shadow' }); // allowed: not counted
    await g.check('junk', { mode: 'shadow' });
    await g.check(PHONE, { mode: 'block' }); // enforcing: not a "would"
    await g.check(PHONE); // no mode: not counted
    expect(g.stats().wouldBlock).toEqual({ SUBSCRIBER_DISCONNECTED: 2, PHONE_INVALID: 1 });
  });

  it('counts look-up failures that fail closed', async () => {
    const failing: LiveStatusProvider = {
      getLiveStatus: () => Promise.reject(new Error('down')),
    };
    const g = guard({ provider: failing, failMode: 'closed', breaker: false });
    const d = await g.check(PHONE, { mode: 'shadow' });
    expect(d.action).toBe('block');
    expect(g.stats().wouldBlock).toEqual({ LOOKUP_FAILED: 1 });
  });

  it('labels the enforced share of a rollout as block, consistently per number', async () => {
    const numbers = Array.from({ length: 40 }, (_, i) => `+1415555${String(2600 + i)}`);
    const enforced = numbers.filter((n) => isEnforced(n, 0.5));
    expect(enforced.length).toBeGreaterThan(5);
    expect(enforced.length).toBeLessThan(35);
    const decisions = listen('decision');
    const g = guard({ provider: provider(() => 'DISCONNECTED') });
    for (const n of numbers) await g.check(n, { mode: 'shadow', enforce: 0.5 });
    for (const n of numbers) g.checkCached(n, { mode: 'shadow', enforce: 0.5 });
    const blocked = decisions.filter((d) => d.mode === 'block');
    expect(blocked).toHaveLength(enforced.length * 2);
    expect(g.stats().wouldBlock).toEqual({
      SUBSCRIBER_DISCONNECTED: (numbers.length - enforced.length) * 2,
    });
  });

  it('ignores enforce outside shadow mode, and a share outside 0–1 (warned once)', async () => {
    const decisions = listen('decision');
    const g = guard({ provider: provider(() => 'DISCONNECTED') });
    await g.check(PHONE, { mode: 'annotate', enforce: 1 });
    await g.check(PHONE, { mode: 'shadow', enforce: 7 });
    await g.check(PHONE, { mode: 'shadow', enforce: Number.NaN });
    expect(decisions.map((d) => d.mode)).toEqual(['annotate', 'shadow', 'shadow']);
    expect(g.warnings.filter((w) => /enforce/.test(w))).toHaveLength(1);
  });
});
