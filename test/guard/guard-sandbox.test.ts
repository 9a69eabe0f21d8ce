import {
  createPhoneGuard,
  type Logger,
  type PhoneGuard,
  type PhoneGuardOptions,
} from '@phone-guard/core';
import { type Sandbox, startSandbox, TEST_NUMBERS } from '@phone-guard/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// Over real HTTP: guard → its own Telesign client → @phone-guard/sandbox on loopback.
const silent: Logger = { warn() {}, error() {} };
const CUSTOMER_ID = 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890';
const API_KEY = 'cGhvbmUtZ3VhcmQgc2FuZGJveCBBUEkga2V5IC0gbm90IGEgc2VjcmV0IQ==';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await sandbox?.close();
});

const guards: PhoneGuard[] = [];
function guard(options: PhoneGuardOptions = {}): PhoneGuard {
  const g = createPhoneGuard({
    logger: silent,
    telesign: { customerId: CUSTOMER_ID, apiKey: API_KEY, baseUrl: sandbox.url, retry: false },
    ...options,
  });
  guards.push(g);
  return g;
}
afterEach(async () => {
  await Promise.all(guards.splice(0).map((g) => g.close()));
  sandbox.reset();
});

const requestsFor = (e164: string) => sandbox.requests.filter((r) => r.digits === e164.slice(1));

describe('guard against the sandbox over HTTP', () => {
  it('1,000 concurrent checks of one uncached number make exactly one request', async () => {
    const g = guard();
    const decisions = await Promise.all(
      Array.from({ length: 1000 }, () => g.check(TEST_NUMBERS.active)),
    );
    expect(decisions.every((d) => d.action === 'allow' && d.source === 'upstream')).toBe(true);
    expect(requestsFor(TEST_NUMBERS.active)).toHaveLength(1);
    expect(requestsFor(TEST_NUMBERS.active)[0]?.ucid).toBe('BACS');
    // cached: no further requests
    for (let i = 0; i < 100; i++) expect((await g.check(TEST_NUMBERS.active)).source).toBe('cache');
    expect(sandbox.requests).toHaveLength(1);
  });

  it('looks up the shortest valid numbers (6 digits) instead of failing them', async () => {
    const d = await guard({ defaultCountry: 'DE' }).check('1695');
    expect(d.phone?.e164).toBe('+491695');
    expect(d.source).toBe('upstream');
    expect(d.reasons).not.toContain('LOOKUP_FAILED');
    expect(requestsFor('+491695')).toHaveLength(1);
  });

  it('decides disconnected, unreachable, roaming, VoIP and -60001 by policy', async () => {
    const g = guard({ policy: 'passwordReset' });
    // passwordReset also asks for the identity signals (issue 12): verified yesterday, none
    // of these numbers was reassigned since (the disconnected one was deactivated 2 days
    // ago); -60001 has no add-on data either.
    const lastVerifiedAt = new Date(Date.now() - 86_400_000);
    const d = async (n: string) => {
      const x = await g.check(n, { lastVerifiedAt });
      return [x.action, x.reasons];
    };
    expect(await d(TEST_NUMBERS.disconnected)).toEqual(['block', ['SUBSCRIBER_DISCONNECTED']]);
    expect(await d(TEST_NUMBERS.unreachable)).toEqual(['flag', ['DEVICE_UNREACHABLE']]);
    expect(await d(TEST_NUMBERS.roaming)).toEqual(['flag', ['ROAMING']]);
    expect(await d(TEST_NUMBERS.voip)).toEqual(['flag', ['RISKY_PHONE_TYPE']]);
    expect(await d(TEST_NUMBERS.notFound)).toEqual([
      'flag',
      ['STATUS_UNKNOWN', 'REASSIGNMENT_UNKNOWN'],
    ]);
    const live = sandbox.requests.filter((r) => r.endpoint === 'live');
    expect(live).toHaveLength(5);
    expect(live.every((r) => r.ucid === 'PWRT')).toBe(true);
  });

  it('-60001 is cached and never hammered', async () => {
    const g = guard();
    await Promise.all(Array.from({ length: 50 }, () => g.check(TEST_NUMBERS.notFound)));
    for (let i = 0; i < 50; i++) await g.check(TEST_NUMBERS.notFound);
    expect(requestsFor(TEST_NUMBERS.notFound)).toHaveLength(1);
  });

  it('follows the fail mode on upstream errors', async () => {
    const open = guard();
    const d = await open.check(TEST_NUMBERS.errUnavailable);
    expect(d).toMatchObject({ action: 'flag', failedOpen: true, source: 'none' });
    expect(d.reasons).toContain('LOOKUP_FAILED');
    expect(d.error?.code).toMatch(/^TELESIGN_/);
    const closed = guard({ failMode: 'closed' });
    expect(await closed.check(TEST_NUMBERS.errAccountSuspended)).toMatchObject({
      action: 'block',
      failedOpen: false,
    });
  });

  it('no check outlives its deadline when the upstream hangs', async () => {
    const g = guard({ timeoutMs: 300 });
    const started = performance.now();
    const decisions = await Promise.all([
      g.check(TEST_NUMBERS.faultHang),
      g.check(TEST_NUMBERS.faultHang),
    ]);
    expect(performance.now() - started).toBeLessThan(300 + 2000);
    for (const x of decisions) {
      expect(x.reasons).toEqual(['LOOKUP_FAILED', 'LOOKUP_TIMEOUT']);
      expect(x.failedOpen).toBe(true);
    }
    expect(requestsFor(TEST_NUMBERS.faultHang)).toHaveLength(1);
  });

  it('an aborted check settles at once', async () => {
    const g = guard({ timeoutMs: 5000 });
    const ac = new AbortController();
    const pending = g.check(TEST_NUMBERS.faultSlow, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const started = performance.now();
    expect((await pending).error?.code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('the breaker opens on repeated failures and sheds further look-ups', async () => {
    const g = guard({ breaker: { failureThreshold: 2, cooldownMs: 60_000 } });
    await g.check(TEST_NUMBERS.errInternal);
    await g.check(TEST_NUMBERS.errUnavailable);
    const before = sandbox.requests.length;
    const shed = await g.check(TEST_NUMBERS.active);
    expect(shed.reasons).toEqual(['LOOKUP_FAILED', 'CIRCUIT_OPEN']);
    expect(sandbox.requests.length).toBe(before);
  });
});

describe('an aborted check over real HTTP', () => {
  // A sandbox of its own whose slow row answers after 1 s: if the look-up were not
  // cancelled, the sandbox would send its 200 then and record it.
  const SLOW_MS = 1000;
  let slow: Sandbox;
  beforeAll(async () => {
    slow = await startSandbox({ port: 0, host: '127.0.0.1', slowMs: SLOW_MS });
  });
  afterAll(async () => {
    await slow?.close();
  });
  afterEach(() => slow.reset());

  function slowGuard(): PhoneGuard {
    return guard({
      timeoutMs: 10_000,
      telesign: { customerId: CUSTOMER_ID, apiKey: API_KEY, baseUrl: slow.url, retry: false },
    });
  }
  const slowRecord = () => slow.requests.find((r) => r.digits === TEST_NUMBERS.faultSlow.slice(1));

  it('closes the upstream connection when its only waiter aborts: the sandbox never answers', async () => {
    const g = slowGuard();
    const ac = new AbortController();
    const pending = g.check(TEST_NUMBERS.faultSlow, { signal: ac.signal });
    await vi.waitFor(() => expect(slowRecord()).toBeDefined(), { timeout: 5000 });
    ac.abort();
    const d = await pending;
    expect(d.error?.code).toBe('ABORTED');
    // Well past the moment the sandbox would have answered on an open connection.
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS + 600));
    expect(slowRecord()).toMatchObject({ outcome: 'fault-slow', httpStatus: null });
    expect(g.stats()).toMatchObject({ inFlight: 0, lookups: 1, lookupFailures: 0 });
  });

  it('keeps the upstream request while another check still waits on it', async () => {
    const g = slowGuard();
    const ac = new AbortController();
    const leaving = g.check(TEST_NUMBERS.faultSlow, { signal: ac.signal });
    const staying = g.check(TEST_NUMBERS.faultSlow);
    await vi.waitFor(() => expect(slowRecord()).toBeDefined(), { timeout: 5000 });
    ac.abort();
    expect((await leaving).error?.code).toBe('ABORTED');
    expect(await staying).toMatchObject({ action: 'allow', source: 'upstream' });
    expect(slowRecord()).toMatchObject({ outcome: 'fault-slow', httpStatus: 200 });
    expect(slow.requests).toHaveLength(1);
  });
});
