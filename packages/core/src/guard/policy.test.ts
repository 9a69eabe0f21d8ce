import { afterEach, describe, expect, it, vi } from 'vitest';
import { liveStatus } from '../../test-support/live-status.js';
import type { LiveStatus, LiveStatusProvider, Logger, LookupOptions } from '../model/types.js';
import type { PolicyRules } from '../policy/policy.js';
import { createPhoneGuard, type PhoneGuard } from './create-guard.js';
import type { PhoneGuardOptions } from './options.js';

// Per-call policies: one guard (one cache, budget, breaker, provider) serving routes with
// different policies.

const ROAMING = '+14155552671';
const DISCONNECTED = '+14155552672';
const silent: Logger = { warn() {}, error() {} };

function status(phone: string): LiveStatus {
  const roaming = phone === ROAMING;
  return liveStatus(phone, {
    subscriberStatus: phone === DISCONNECTED ? 'DISCONNECTED' : 'ACTIVE',
    roaming: roaming ? 'YES' : 'NO',
    roamingCountry: roaming ? 'Mexico' : null,
    roamingCountryIso2: roaming ? 'MX' : null,
    carrier: 'Verizon',
    checkedAt: Date.now(),
  });
}

function fakeProvider() {
  const calls: { phone: string; options: LookupOptions | undefined }[] = [];
  const provider: LiveStatusProvider = {
    getLiveStatus(phone, options) {
      calls.push({ phone, options });
      return new Promise((resolve) => setImmediate(() => resolve(status(phone))));
    },
  };
  return { provider, calls };
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

describe('check({ policy })', () => {
  it('decides per call from one cached status, with one upstream call', async () => {
    const { provider, calls } = fakeProvider();
    const g = guard({ provider }); // signup: roaming is allowed
    const signup = await g.check(ROAMING);
    const reset = await g.check(ROAMING, { policy: 'passwordReset' });
    expect(signup).toMatchObject({ action: 'allow', reasons: [], useCase: 'BACS' });
    // passwordReset also asks for the identity signals, which this provider cannot give:
    // the reassignment verdict is unknown, never a silent pass (issue 12).
    expect(reset).toMatchObject({
      action: 'flag',
      reasons: ['ROAMING', 'REASSIGNMENT_UNKNOWN'],
      useCase: 'PWRT',
      source: 'cache',
      reassignment: { verdict: 'unknown', reason: 'PROVIDER_UNSUPPORTED' },
      simSwap: { risk: null, reason: 'PROVIDER_UNSUPPORTED' },
    });
    expect(calls).toHaveLength(1);
    // The guard's own default still answers from the entry's precomputed decision, and
    // the per-call policy from its own per-entry decision.
    const hit = await g.check(ROAMING);
    expect(hit).toMatchObject({ action: 'allow', source: 'cache' });
    expect(await g.check(ROAMING)).toBe(hit);
    // Decisions with signals depend on lastVerifiedAt: built per check, equal when it is.
    expect(await g.check(ROAMING, { policy: 'passwordReset' })).toEqual(reset);
    expect(g.stats()).toMatchObject({ lookups: 1, hits: 4 });
  });

  it('concurrent checks under different policies share one look-up', async () => {
    const { provider, calls } = fakeProvider();
    const g = guard({ provider });
    const [a, b] = await Promise.all([
      g.check(ROAMING, { policy: 'passwordReset' }),
      g.check(ROAMING, { policy: 'signup' }),
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.options?.useCase).toBe('PWRT'); // the first waiter's use case is sent
    expect(a).toMatchObject({ action: 'flag', source: 'upstream', useCase: 'PWRT' });
    expect(b).toMatchObject({ action: 'allow', source: 'upstream', useCase: 'BACS' });
    expect(b.status).toBe(a.status);
  });

  it('sends the per-call preset use case upstream when no useCase is given', async () => {
    const { provider, calls } = fakeProvider();
    const g = guard({ provider });
    await g.check(DISCONNECTED, { policy: 'passwordReset' });
    expect(calls[0]?.options?.useCase).toBe('PWRT');
  });

  it('picks the use case: check useCase > per-call policy > guard default', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider, policy: 'passwordReset', useCase: 'LEAD' });
    const fn = () => ({ action: 'allow' as const, reasons: [] });
    expect((await g.check(ROAMING)).useCase).toBe('LEAD');
    expect((await g.check(ROAMING, { policy: 'signup' })).useCase).toBe('BACS');
    expect((await g.check(ROAMING, { policy: 'signup', useCase: 'ATCK' })).useCase).toBe('ATCK');
    expect((await g.check(ROAMING, { policy: { extends: 'signup' } })).useCase).toBe('BACS');
    expect((await g.check(ROAMING, { policy: { useCase: 'TRVF' } })).useCase).toBe('TRVF');
    // A policy that names no use case keeps the guard's.
    expect((await g.check(ROAMING, { policy: { roaming: 'block' } })).useCase).toBe('LEAD');
    expect((await g.check(ROAMING, { policy: fn })).useCase).toBe('LEAD');
    // The guard's own preset per call changes nothing (its useCase option included).
    expect((await g.check(ROAMING, { policy: 'passwordReset' })).useCase).toBe('LEAD');
  });

  it('resolves a rules object once and serves repeated hits from one frozen decision', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider });
    const policy: PolicyRules = { extends: 'signup', roaming: 'block' };
    const snapshot = structuredClone(policy);
    const first = await g.check(ROAMING, { policy });
    const second = await g.check(ROAMING, { policy });
    expect(first).toMatchObject({ action: 'block', reasons: ['ROAMING'], source: 'upstream' });
    expect(second).toMatchObject({ action: 'block', source: 'cache' });
    expect(await g.check(ROAMING, { policy })).toBe(second);
    expect(Object.isFrozen(second)).toBe(true);
    expect(policy).toEqual(snapshot); // never mutated
  });

  it('runs a per-call policy function on every decision', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider });
    const fn = vi.fn(() => ({ action: 'flag' as const, reasons: ['STATUS_UNKNOWN' as const] }));
    await g.check(ROAMING, { policy: fn });
    const d = await g.check(ROAMING, { policy: fn });
    expect(d).toMatchObject({ action: 'flag', reasons: ['STATUS_UNKNOWN'], source: 'cache' });
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it("the guard's own policy value per call gives the default decision object", async () => {
    const { provider } = fakeProvider();
    const own: PolicyRules = {
      extends: 'passwordReset',
      roaming: 'block',
      reassignment: false,
      simSwap: false,
    };
    const g = guard({ provider, policy: own });
    await g.check(ROAMING);
    const plain = await g.check(ROAMING);
    expect(await g.check(ROAMING, { policy: own })).toBe(plain);
    const preset = guard({ provider, policy: 'signup' });
    await preset.check(ROAMING);
    const p = await preset.check(ROAMING);
    expect(await preset.check(ROAMING, { policy: 'signup' })).toBe(p);
  });

  it.each<[string, unknown]>([
    ['an unknown preset', 'login'],
    ['an unknown rule', { roam: 'flag' }],
    ['an impossible action', { roaming: 'deny' }],
    ['a bad use case', { useCase: 'SIGNUP' }],
    ['a number', 42],
    ['null', null],
  ])(
    'an invalid per-call policy (%s) follows the fail mode with POLICY_INVALID',
    async (_n, bad) => {
      const { provider, calls } = fakeProvider();
      const errors: unknown[][] = [];
      const logger: Logger = { warn() {}, error: (...args: unknown[]) => errors.push(args) };
      const g = guard({ provider, logger });
      const open = await g.check(ROAMING, { policy: bad as never });
      expect(open).toMatchObject({
        action: 'flag',
        failedOpen: true,
        reasons: ['LOOKUP_FAILED'],
        source: 'none',
        phone: { e164: ROAMING },
        error: { code: 'POLICY_INVALID' },
      });
      expect(open.error?.message).toMatch(/invalid policy: phone-guard: option "policy/);
      const closed = await g.check(ROAMING, { policy: bad as never, failMode: 'closed' });
      expect(closed).toMatchObject({ action: 'block', failedOpen: false });
      expect(calls).toHaveLength(0); // no look-up is spent on a misconfigured call
      expect(errors).toHaveLength(1); // logged once
      expect(JSON.stringify(errors)).not.toContain('5552671');
      expect(g.stats().errors).toMatchObject({ POLICY_INVALID: 2 });
    },
  );

  it('an invalid per-call policy with invalid input is still POLICY_INVALID', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider });
    const d = await g.check('nope', { policy: 'login' as never });
    expect(d).toMatchObject({ phone: null, error: { code: 'POLICY_INVALID' } });
  });

  it('invalid input under a per-call policy reports that policy use case', async () => {
    const { provider } = fakeProvider();
    const g = guard({ provider });
    const d = await g.check('nope', { policy: 'passwordReset' });
    expect(d).toMatchObject({ action: 'block', reasons: ['PHONE_INVALID'], useCase: 'PWRT' });
  });

  it('serves a stale answer under the per-call policy', async () => {
    let t = 1_700_000_000_000;
    const now = () => t;
    const { provider } = fakeProvider();
    const g = guard({
      provider,
      now,
      cache: { staleWhileRevalidateMs: 60_000, ttl: { transient: 1000 } },
    });
    await g.check(ROAMING);
    t += 2000;
    const d = await g.check(ROAMING, { policy: 'passwordReset' });
    expect(d).toMatchObject({
      action: 'flag',
      reasons: ['ROAMING', 'REASSIGNMENT_UNKNOWN'],
      source: 'stale',
    });
  });
});

describe('review fixes', () => {
  it('never quotes a full number from an invalid per-call policy value', async () => {
    const { provider } = fakeProvider();
    const errors: unknown[][] = [];
    const g = guard({
      provider,
      logger: { warn() {}, error: (...a: unknown[]) => errors.push(a) },
    });
    const d = await g.check(ROAMING, { policy: '+14155550199' as never });
    expect(d.error?.code).toBe('POLICY_INVALID');
    expect(d.error?.message).not.toContain('4155550199');
    expect(JSON.stringify(errors)).not.toContain('4155550199');
  });

  it('masks numbers in errors it logs from onDecision (thrown, rejected or non-Error)', async () => {
    const { provider } = fakeProvider();
    for (const hook of [
      (d: { phone: { e164: string } | null }) => {
        throw new Error(`hook failed for ${d.phone?.e164}`);
      },
      (d: { phone: { e164: string } | null }) =>
        Promise.reject(new Error(`hook failed for ${d.phone?.e164}`)),
      (d: unknown) => {
        throw d; // the decision itself
      },
    ]) {
      const logged: unknown[] = [];
      const logger: Logger = { warn() {}, error: (...a: unknown[]) => logged.push(...a) };
      const g = guard({ provider, logger, onDecision: hook as never });
      await g.check(ROAMING);
      await new Promise((r) => setImmediate(r));
      expect(logged.length).toBeGreaterThan(0);
      const text = logged
        .map((x) => (x instanceof Error ? `${x.message}\n${x.stack}` : JSON.stringify(x)))
        .join('\n');
      expect(text).not.toContain('4155552671');
      expect(text).toMatch(/hook failed|non-Error/);
    }
  });

  it('close() returns one promise, so a second caller also waits for the release', async () => {
    const g = createPhoneGuard({
      logger: silent,
      telesign: { customerId: 'id', apiKey: 'a2V5', baseUrl: 'http://127.0.0.1:9' },
    });
    const first = g.close();
    const second = g.close();
    expect(second).toBe(first);
    await first;
    expect(g.close()).toBe(first);
    expect((await g.check(ROAMING)).error?.code).toBe('GUARD_CLOSED');
  });
});
