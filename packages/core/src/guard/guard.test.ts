import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import type { Decision } from '../model/decision.js';
import { PhoneGuardError, PhoneGuardOptionError } from '../model/errors.js';
import type { LiveStatus, LiveStatusProvider, Logger, LookupOptions } from '../model/types.js';
import { GUARD_CHANNELS } from '../observe/channels.js';
import { createPhoneGuard, type PhoneGuard } from './create-guard.js';
import type { PhoneGuardOptions } from './options.js';

const PHONE = '+14155552671';
const OTHER = '+14155552672';
const silent: Logger = { warn() {}, error() {} };

function status(phone: string, patch: Partial<LiveStatus> = {}): LiveStatus {
  return liveStatus(phone, {
    carrier: 'Verizon',
    referenceId: '0123456789ABCDEF0123456789ABCDEF',
    ...patch,
  });
}

const NOT_FOUND: Partial<LiveStatus> = {
  subscriberStatus: 'UNKNOWN',
  deviceStatus: 'UNKNOWN',
  roaming: 'UNKNOWN',
  statusCode: 301,
  errors: [{ code: -60001, description: 'PhoneID Live Data Not Found' }],
};

interface Call {
  phone: string;
  options: LookupOptions | undefined;
  resolve(s: LiveStatus): void;
  reject(e: unknown): void;
}

/** A provider that counts calls; answers by `answer`, or stays pending when `manual`. */
function fakeProvider(
  answer: (phone: string) => LiveStatus | Error | 'hang' = (p) => status(p),
  clock: () => number = Date.now,
) {
  const calls: Call[] = [];
  const provider: LiveStatusProvider & { closed: number } = {
    closed: 0,
    getLiveStatus(phone, options) {
      return new Promise<LiveStatus>((resolve, reject) => {
        calls.push({ phone, options, resolve, reject });
        const a = answer(phone);
        if (a === 'hang') return;
        setImmediate(() =>
          a instanceof Error ? reject(a) : resolve({ ...a, checkedAt: clock() }),
        );
      });
    },
    close() {
      provider.closed++;
    },
  };
  return { provider, calls };
}

function manualClock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
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

describe('createPhoneGuard: flow and cache', () => {
  it('1,000 concurrent checks of one uncached number make exactly one upstream call', async () => {
    const { provider, calls } = fakeProvider();
    const g = guard({ provider });
    const decisions = await Promise.all(Array.from({ length: 1000 }, () => g.check(PHONE)));
    expect(calls).toHaveLength(1);
    expect(decisions.every((d) => d.action === 'allow' && d.source === 'upstream')).toBe(true);
    const s = g.stats();
    expect(s.lookups).toBe(1);
    expect(s.coalesced).toBe(999);
    expect(s.misses).toBe(1000);
    expect(s.inFlight).toBe(0);
  });

  it('serves cached answers without upstream calls until their TTL, per outcome', async () => {
    const clock = manualClock();
    const { provider, calls } = fakeProvider(
      (p) => (p === OTHER ? status(p, { subscriberStatus: 'DISCONNECTED' }) : status(p)),
      clock.now,
    );
    const g = guard({
      provider,
      now: clock.now,
      cache: { ttl: { active: 60_000, disconnected: 10_000 }, staleIfErrorMs: 0 },
    });
    await g.check(PHONE);
    await g.check(OTHER);
    expect(calls).toHaveLength(2);
    for (let i = 0; i < 50; i++) {
      const d = await g.check(PHONE);
      expect(d.source).toBe('cache');
      expect((await g.check(OTHER)).action).toBe('block');
    }
    expect(calls).toHaveLength(2);
    clock.advance(10_000);
    await g.check(PHONE);
    await g.check(OTHER);
    expect(calls.map((c) => c.phone)).toEqual([PHONE, OTHER, OTHER]);
    clock.advance(50_000);
    expect((await g.check(PHONE)).source).toBe('upstream');
    expect(calls).toHaveLength(4);
    expect(g.stats().hits).toBe(101);
  });

  it('caches -60001 briefly and never hammers it', async () => {
    const clock = manualClock();
    const { provider, calls } = fakeProvider((p) => status(p, NOT_FOUND), clock.now);
    const g = guard({ provider, now: clock.now });
    const first = await Promise.all(Array.from({ length: 100 }, () => g.check(PHONE)));
    expect(first[0]).toMatchObject({ action: 'flag', reasons: ['STATUS_UNKNOWN'] });
    for (let i = 0; i < 100; i++) {
      clock.advance(5_000); // 100 × 5 s = 500 s, inside the 10 min default
      await g.check(PHONE);
    }
    expect(calls).toHaveLength(1);
    clock.advance(100_000);
    await g.check(PHONE);
    expect(calls).toHaveLength(2);
  });

  it('never sends invalid input upstream', async () => {
    const { provider, calls } = fakeProvider();
    const g = guard({ provider });
    const d = await g.check('not a phone');
    expect(d).toMatchObject({
      action: 'block',
      reasons: ['PHONE_INVALID'],
      phone: null,
      status: null,
      source: 'none',
      failedOpen: false,
      error: { code: 'PHONE_INVALID' },
    });
    expect((await g.check(undefined)).error?.code).toBe('PHONE_MISSING');
    expect((await g.check(42)).error?.code).toBe('PHONE_NOT_STRING');
    expect((await g.check('1'.repeat(100))).error?.code).toBe('PHONE_TOO_LONG');
    expect(calls).toHaveLength(0);
    expect(g.stats().invalid).toBe(4);
  });

  it('applies allowedCountries and defaultCountry', async () => {
    const { provider, calls } = fakeProvider();
    const g = guard({ provider, defaultCountry: 'US', allowedCountries: ['US'] });
    expect((await g.check('(415) 555-2671')).phone?.e164).toBe(PHONE);
    expect((await g.check('+44 20 7946 0958')).error?.code).toBe('PHONE_COUNTRY_NOT_ALLOWED');
    expect(calls).toHaveLength(1);
  });

  it('reports the use case and sends it upstream', async () => {
    const { provider, calls } = fakeProvider();
    const g = guard({ provider, policy: 'passwordReset' });
    expect((await g.check(PHONE)).useCase).toBe('PWRT');
    expect(calls[0]?.options?.useCase).toBe('PWRT');
    expect((await g.check(OTHER, { useCase: 'ATCK' })).useCase).toBe('ATCK');
    expect(calls[1]?.options?.useCase).toBe('ATCK');
    const hit = await g.check(OTHER, { useCase: 'ATCK' });
    expect(hit).toMatchObject({ useCase: 'ATCK', source: 'cache' });
  });

  it('returns frozen decisions and the same object for repeated cache hits', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider });
    await g.check(PHONE);
    const a = await g.check(PHONE);
    const b = await g.check('+1 415 555 2671');
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    const c = await g.check(PHONE, { useCase: 'PWRT' });
    expect(c).toMatchObject({ useCase: 'PWRT', source: 'cache' });
    expect(await g.check(PHONE, { useCase: 'PWRT' })).toBe(c);
    expect(a.status?.referenceId).toBeNull(); // the cache keeps only what decisions need
  });

  it('custom policy functions run on every decision', async () => {
    const { provider } = fakeProvider();
    const policy = vi.fn(() => ({ action: 'flag' as const, reasons: ['ROAMING' as const] }));
    const g = guard({ provider, policy });
    await g.check(PHONE);
    const d = await g.check(PHONE);
    expect(d).toMatchObject({ action: 'flag', reasons: ['ROAMING'], source: 'cache' });
    expect(policy).toHaveBeenCalledTimes(2);
    expect(d.useCase).toBe('OTHR');
  });

  it('a throwing policy follows the fail mode with POLICY_ERROR', async () => {
    const { provider } = fakeProvider();
    const g = guard({
      provider,
      failMode: 'closed',
      policy: () => {
        throw new Error('boom');
      },
    });
    const d = await g.check(PHONE);
    expect(d).toMatchObject({ action: 'block', error: { code: 'POLICY_ERROR' } });
  });
});

describe('createPhoneGuard: failure modes', () => {
  const failing = () => fakeProvider(() => new PhoneGuardError('TELESIGN_UNAVAILABLE', 'down'));

  it('fails open by default: flag, failedOpen, LOOKUP_FAILED', async () => {
    const { provider } = failing();
    const g = guard({ provider });
    const d = await g.check(PHONE);
    expect(d).toMatchObject({
      action: 'flag',
      failedOpen: true,
      source: 'none',
      status: null,
      error: { code: 'TELESIGN_UNAVAILABLE' },
    });
    expect(d.reasons).toContain('LOOKUP_FAILED');
    expect(d.phone?.e164).toBe(PHONE);
    expect(g.stats().errors).toEqual({ TELESIGN_UNAVAILABLE: 1 });
  });

  it('fails closed per guard and per call', async () => {
    const { provider } = failing();
    const g = guard({ provider, failMode: 'closed' });
    expect(await g.check(PHONE)).toMatchObject({
      action: 'block',
      failedOpen: false,
      reasons: ['LOOKUP_FAILED'],
    });
    expect(await g.check(PHONE, { failMode: 'open' })).toMatchObject({
      action: 'flag',
      failedOpen: true,
    });
  });

  it('failures are not cached', async () => {
    const { provider, calls } = failing();
    const g = guard({ provider, breaker: false });
    await g.check(PHONE);
    await g.check(PHONE);
    expect(calls).toHaveLength(2);
  });

  it('no check outlives its deadline when the upstream hangs', async () => {
    const { provider, calls } = fakeProvider(() => 'hang');
    const g = guard({ provider, timeoutMs: 200 });
    const started = performance.now();
    const decisions = await Promise.all([g.check(PHONE), g.check(PHONE), g.check(OTHER)]);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(200 + 1500);
    for (const d of decisions) {
      expect(d).toMatchObject({
        action: 'flag',
        failedOpen: true,
        error: { code: 'LOOKUP_TIMEOUT' },
      });
      expect(d.reasons).toEqual(['LOOKUP_FAILED', 'LOOKUP_TIMEOUT']);
    }
    // Every waiter left, so both upstream requests were cancelled.
    expect(calls.map((c) => c.options?.signal?.aborted)).toEqual([true, true]);
    expect(g.stats().inFlight).toBe(0);
  });

  it('serves a stale answer when the refresh fails (stale-if-error)', async () => {
    const clock = manualClock();
    let fail = false;
    const { provider, calls } = fakeProvider(
      (p) => (fail ? new Error('down') : status(p, { subscriberStatus: 'DISCONNECTED' })),
      clock.now,
    );
    const g = guard({
      provider,
      now: clock.now,
      breaker: false,
      cache: { staleIfErrorMs: 60_000 },
    });
    await g.check(PHONE);
    fail = true;
    clock.advance(3_600_000 + 1); // past the 1 h "disconnected" TTL
    const d = await g.check(PHONE);
    expect(d).toMatchObject({ action: 'block', source: 'stale', failedOpen: false });
    expect(d.reasons).toEqual(['SUBSCRIBER_DISCONNECTED']);
    expect(calls).toHaveLength(2);
    clock.advance(60_000);
    expect(await g.check(PHONE)).toMatchObject({ source: 'none', failedOpen: true });
    expect(g.stats().staleServed).toBe(1);
  });

  it('stale-while-revalidate answers at once and refreshes in the background', async () => {
    const clock = manualClock();
    let sub: LiveStatus['subscriberStatus'] = 'ACTIVE';
    const { provider, calls } = fakeProvider(
      (p) => status(p, { subscriberStatus: sub }),
      clock.now,
    );
    const g = guard({
      provider,
      now: clock.now,
      cache: { ttl: { active: 1000 }, staleWhileRevalidateMs: 10_000 },
    });
    await g.check(PHONE);
    sub = 'DISCONNECTED';
    clock.advance(1500);
    const d = await g.check(PHONE);
    expect(d).toMatchObject({ action: 'allow', source: 'stale' });
    await vi.waitFor(() => expect(g.stats().inFlight).toBe(0));
    expect(calls).toHaveLength(2);
    expect(await g.check(PHONE)).toMatchObject({ action: 'block', source: 'cache' });
  });
});

describe('createPhoneGuard: abort', () => {
  it('an aborted check settles at once and cancels its upstream request when alone', async () => {
    const { provider, calls } = fakeProvider(() => 'hang');
    const g = guard({ provider, timeoutMs: 10_000 });
    const ac = new AbortController();
    const pending = g.check(PHONE, { signal: ac.signal });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    ac.abort();
    const d = await pending;
    expect(d).toMatchObject({ error: { code: 'ABORTED' }, failedOpen: true });
    expect(calls[0]?.options?.signal?.aborted).toBe(true);
    expect(g.stats().breaker?.consecutiveFailures).toBe(0);
  });

  it('does not cancel the upstream request while another check still waits on it', async () => {
    const { provider, calls } = fakeProvider(() => 'hang');
    const g = guard({ provider, timeoutMs: 10_000 });
    const ac = new AbortController();
    const aborted = g.check(PHONE, { signal: ac.signal });
    const other = g.check(PHONE);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    ac.abort();
    expect((await aborted).error?.code).toBe('ABORTED');
    expect(calls[0]?.options?.signal?.aborted).toBe(false);
    calls[0]?.resolve(status(PHONE));
    expect(await other).toMatchObject({ action: 'allow', source: 'upstream' });
    expect(calls).toHaveLength(1);
  });

  it('an already aborted signal settles without calling upstream', async () => {
    const { provider, calls } = fakeProvider(() => 'hang');
    const g = guard({ provider });
    const d = await g.check(PHONE, { signal: AbortSignal.abort() });
    expect(d.error?.code).toBe('ABORTED');
    await new Promise((r) => setImmediate(r));
    expect(calls).toHaveLength(0);
  });
});

describe('createPhoneGuard: circuit breaker', () => {
  it('opens after N failures, sheds, half-opens with one probe, closes on success', async () => {
    // A fixed cool-down and a single probe, to follow each step of the state machine.
    const clock = manualClock();
    let healthy = false;
    const { provider, calls } = fakeProvider(
      (p) =>
        healthy
          ? status(p)
          : new PhoneGuardError('TELESIGN_UNAVAILABLE', 'down', { fault: 'upstream' }),
      clock.now,
    );
    const g = guard({
      provider,
      now: clock.now,
      breaker: { failureThreshold: 3, minCooldownMs: 10_000, cooldownMs: 10_000, probes: 1 },
    });
    for (let i = 0; i < 3; i++) await g.check(`+1415555260${i}`);
    expect(calls).toHaveLength(3);
    expect(g.stats().breaker?.state).toBe('open');
    const shed = await g.check('+14155552609');
    expect(shed).toMatchObject({ action: 'flag', error: { code: 'CIRCUIT_OPEN' } });
    expect(shed.reasons).toEqual(['LOOKUP_FAILED', 'CIRCUIT_OPEN']);
    expect(calls).toHaveLength(3);

    clock.advance(10_000);
    expect(g.stats().breaker?.state).toBe('half-open');
    // The probe fails: open again.
    await g.check('+14155552610');
    expect(calls).toHaveLength(4);
    expect(g.stats().breaker?.state).toBe('open');
    await g.check('+14155552611');
    expect(calls).toHaveLength(4);

    clock.advance(10_000);
    healthy = true;
    const probe = g.check('+14155552612');
    const whileProbing = await g.check('+14155552613'); // only one probe at a time
    expect(whileProbing.error?.code).toBe('CIRCUIT_OPEN');
    expect(await probe).toMatchObject({ action: 'allow', source: 'upstream' });
    expect(g.stats().breaker?.state).toBe('closed');
    expect((await g.check('+14155552614')).action).toBe('allow');
    expect(calls).toHaveLength(6);
    expect(g.stats().errors).toMatchObject({ CIRCUIT_OPEN: 3, TELESIGN_UNAVAILABLE: 4 });
  });

  it('does not count -60001, bad input or caller aborts as failures', async () => {
    const { provider } = fakeProvider((p) => status(p, NOT_FOUND));
    const g = guard({ provider, breaker: { failureThreshold: 1 } });
    await g.check(PHONE);
    await g.check('garbage');
    expect(g.stats().breaker).toEqual({ state: 'closed', consecutiveFailures: 0 });
  });

  it('counts a hanging upstream (timeout) as a failure', async () => {
    const { provider } = fakeProvider(() => 'hang');
    const g = guard({ provider, timeoutMs: 50, breaker: { failureThreshold: 1 } });
    await g.check(PHONE);
    await vi.waitFor(() => expect(g.stats().breaker?.state).toBe('open'));
  });
});

describe('createPhoneGuard: look-up budget', () => {
  it('caps upstream look-ups per window and follows the fail mode beyond it', async () => {
    const clock = manualClock(0);
    const { provider, calls } = fakeProvider((p) => status(p), clock.now);
    const g = guard({ provider, now: clock.now, budget: { limit: 2, windowMs: 60_000 } });
    await g.check('+14155552601');
    await g.check('+14155552602');
    const over = await g.check('+14155552603');
    expect(over).toMatchObject({
      action: 'flag',
      failedOpen: true,
      error: { code: 'BUDGET_EXCEEDED' },
    });
    expect(over.reasons).toEqual(['LOOKUP_FAILED', 'BUDGET_EXCEEDED']);
    expect(await g.check('+14155552603', { failMode: 'closed' })).toMatchObject({
      action: 'block',
      reasons: ['LOOKUP_FAILED', 'BUDGET_EXCEEDED'],
    });
    // Cache hits cost nothing.
    expect((await g.check('+14155552601')).source).toBe('cache');
    expect(g.stats().budget).toEqual({ used: 2, limit: 2, windowMs: 60_000, shared: false });
    expect(calls).toHaveLength(2);
    clock.advance(60_000);
    expect((await g.check('+14155552603')).source).toBe('upstream');
    expect(g.stats().breaker?.state).toBe('closed'); // budget refusals are not failures
  });
});

describe('createPhoneGuard: observability', () => {
  it('calls onDecision for every decision; errors in it are logged once and ignored', async () => {
    const { provider } = fakeProvider();
    const errors: unknown[] = [];
    const seen: Decision[] = [];
    const g = createPhoneGuard({
      provider,
      logger: { warn() {}, error: (...a: unknown[]) => errors.push(a) },
      onDecision(d) {
        seen.push(d);
        throw new Error('hook bug');
      },
    });
    guards.push(g);
    expect((await g.check(PHONE)).action).toBe('allow');
    expect((await g.check(PHONE)).action).toBe('allow');
    expect((await g.check('x')).action).toBe('block');
    expect(seen).toHaveLength(3);
    expect(errors).toHaveLength(1);
  });

  it('publishes decisions and look-ups on diagnostics_channel with masked numbers', async () => {
    const { provider } = fakeProvider();
    const events: { name: string; message: unknown }[] = [];
    const onDecision = (message: unknown) => events.push({ name: 'decision', message });
    const onLookup = (message: unknown) => events.push({ name: 'lookup', message });
    diagnosticsChannel.subscribe(GUARD_CHANNELS.decision, onDecision);
    diagnosticsChannel.subscribe(GUARD_CHANNELS.lookup, onLookup);
    try {
      const g = guard({ provider });
      await g.check(PHONE);
      await g.check(PHONE);
    } finally {
      diagnosticsChannel.unsubscribe(GUARD_CHANNELS.decision, onDecision);
      diagnosticsChannel.unsubscribe(GUARD_CHANNELS.lookup, onLookup);
    }
    expect(events.map((e) => e.name)).toEqual(['lookup', 'decision', 'decision']);
    expect(events[0]?.message).toMatchObject({
      phone: '+1415*****71',
      outcome: 'ok',
      subscriberStatus: 'ACTIVE',
    });
    expect(events[2]?.message).toMatchObject({
      phone: '+1415*****71',
      action: 'allow',
      source: 'cache',
    });
    expect(JSON.stringify(events)).not.toContain('4155552671');
  });

  it('stats() reports the cache and breaker', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider, cache: { max: 5 } });
    await g.check(PHONE);
    expect(g.stats()).toMatchObject({
      checks: 1,
      lookups: 1,
      cache: { size: 1, max: 5 },
      breaker: { state: 'closed', consecutiveFailures: 0 },
      budget: null,
    });
  });
});

describe('createPhoneGuard: options and lifecycle', () => {
  it('rejects unknown keys and impossible values with PhoneGuardOptionError', () => {
    const { provider } = fakeProvider();
    const bad: unknown[] = [
      { provider, colour: 'red' },
      { provider, timeoutMs: 0 },
      { provider, timeoutMs: -1 },
      { provider, timeoutMs: Number.NaN },
      { provider, failMode: 'sideways' },
      { provider, cache: { max: 0 } },
      { provider, cache: { ttl: { active: -5 } } },
      { provider, cache: { ttl: { forever: 1 } } },
      { provider, breaker: { failureThreshold: 0 } },
      { provider, budget: { windowMs: 1000 } },
      { provider, budget: { limit: 1.5 } },
      { provider, policy: 'lenient' },
      { provider, policy: { disconnected: 'maybe' } },
      { provider, policy: { phoneTypes: { VOIP: 'block' } } },
      { provider, useCase: 'SIGNUP' },
      { provider, defaultCountry: 'XX' },
      { provider, logger: {} },
      { provider: {} },
      { provider, store: { get() {} } },
    ];
    for (const options of bad) {
      expect(() => createPhoneGuard(options as PhoneGuardOptions), JSON.stringify(options)).toThrow(
        PhoneGuardOptionError,
      );
    }
  });

  it('treats undefined as the default and never mutates the caller object', async () => {
    const { provider } = fakeProvider();
    const options = Object.freeze({
      provider,
      logger: silent,
      failMode: undefined,
      timeoutMs: undefined,
      cache: Object.freeze({ max: undefined, ttl: Object.freeze({ active: undefined }) }),
    });
    const g = createPhoneGuard(options);
    guards.push(g);
    expect((await g.check(PHONE)).action).toBe('allow');
  });

  it('without provider nor credentials, explains how to fix it', () => {
    vi.stubEnv('TELESIGN_CUSTOMER_ID', '');
    vi.stubEnv('TELESIGN_API_KEY', '');
    try {
      expect(() => createPhoneGuard()).toThrow(/TELESIGN_CUSTOMER_ID/);
      expect(() => createPhoneGuard({ telesign: { customerId: 'c' } })).toThrow(
        PhoneGuardOptionError,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('builds its own Telesign client from the environment', async () => {
    vi.stubEnv('TELESIGN_CUSTOMER_ID', 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890');
    vi.stubEnv('TELESIGN_API_KEY', 'ZmFrZS1rZXk=');
    vi.stubEnv('TELESIGN_BASE_URL', 'http://127.0.0.1:9');
    try {
      const g = guard({ timeoutMs: 2000, breaker: false });
      const d = await g.check(PHONE);
      expect(d).toMatchObject({ failedOpen: true });
      expect(d.reasons).toContain('LOOKUP_FAILED');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('close() leaves a caller-passed provider open and later checks fail without throwing', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider });
    await g.check(PHONE);
    await g.close();
    expect(provider.closed).toBe(0);
    expect((await g.check(OTHER)).error?.code).toBe('GUARD_CLOSED');
  });

  it('survives options whose getters throw', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider, failMode: 'closed' });
    const hostile = Object.defineProperty({}, 'useCase', {
      get() {
        throw new Error('gotcha');
      },
    });
    const d = await g.check(PHONE, hostile as never);
    expect(d).toMatchObject({ action: 'block', error: { code: 'INTERNAL_ERROR' } });
  });

  it('ignores malformed per-call options instead of throwing', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider });
    const weird: unknown[] = [null, 5, 'x', { useCase: 'NOPE' }, { signal: {} }, { failMode: 3 }];
    for (const options of weird) {
      const d = await g.check(PHONE, options as never);
      expect(d.action).toBe('allow');
    }
  });
});

describe('createPhoneGuard: close() while checks wait', () => {
  it('settles waiting checks with GUARD_CLOSED and cancels their look-ups', async () => {
    const { provider, calls } = fakeProvider(() => 'hang');
    const g = createPhoneGuard({ provider, logger: silent, timeoutMs: 10_000 });
    const pending = g.check(PHONE);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await g.close();
    expect((await pending).error?.code).toBe('GUARD_CLOSED');
    expect(calls[0]?.options?.signal?.aborted).toBe(true);
  });
});
