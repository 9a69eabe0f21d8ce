/**
 * Password-reset signals that could not be had are failures, never "no data" — over real
 * HTTP (the sandbox, a dead port, a fake add-on server). A failed add-on request follows
 * the fail mode like a failed Live look-up (the cache-warming attack of the security
 * review: warm the cache, swap the SIM, spend the budget, reset), a verdict about the
 * number still wins, failures are counted, published and logged as an episode, and a date
 * Telesign sends in a form phone-guard cannot read is unknown, never "never deactivated".
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createPhoneGuard,
  createTelesignClient,
  decisionToProblem,
  GUARD_CHANNELS,
  type LiveStatusProvider,
  type LookupEvent,
  type PhoneGuard,
  type PhoneGuardOptions,
  type PhoneIdAddonsProvider,
  type TelesignClient,
} from '@phone-guard/core';
import {
  ADDON_TEST_NUMBERS as N,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const DAY = 86_400_000;
const daysAgo = (days: number, from = Date.now()) => new Date(from - days * DAY);
const credentials = {
  customerId: SANDBOX_CUSTOMER_ID,
  apiKey: SANDBOX_API_KEY,
  retry: false as const,
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

const guards: PhoneGuard[] = [];
const clients: TelesignClient[] = [];
function logger() {
  return { warn: vi.fn(), error: vi.fn() };
}
function guard(options: PhoneGuardOptions = {}): PhoneGuard {
  const g = createPhoneGuard({
    policy: 'passwordReset',
    logger: logger(),
    telesign: { ...credentials, baseUrl: sandbox.url },
    ...options,
  });
  guards.push(g);
  return g;
}
function client(baseUrl: string): TelesignClient {
  const c = createTelesignClient({ ...credentials, baseUrl });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(guards.splice(0).map((g) => g.close()));
  await Promise.all(clients.splice(0).map((c) => c.close()));
  sandbox.reset();
});

/** Live from the sandbox; add-ons from `addons()` (asked at each request). */
function splitProvider(addons: () => TelesignClient): LiveStatusProvider & PhoneIdAddonsProvider {
  const live = client(sandbox.url);
  return {
    getLiveStatus: (phone, options) => live.getLiveStatus(phone, options),
    getPhoneIdAddons: (phone, options) => addons().getPhoneIdAddons(phone, options),
  };
}
/** Nothing listens there: every add-on request fails at once (TELESIGN_NETWORK_ERROR). */
const DEAD = 'http://127.0.0.1:9';

const text = (fn: ReturnType<typeof logger>['warn']) =>
  fn.mock.calls.map((call) => String(call[0])).join('\n');

describe('the cache-warming attack: warm, swap the SIM, spend the budget, reset', () => {
  const VICTIM = '+13105550199';

  async function attack(failMode: 'open' | 'closed') {
    let t = Date.now();
    const g = guard({ failMode, now: () => t, budget: { limit: 2, windowMs: 3_600_000 } });
    const lastVerifiedAt = daysAgo(30, t);
    sandbox.pin(VICTIM, 'neverDeactivated');
    // 1. A reset caches Live (24 h) and the deactivation record (7 days): two budget units.
    expect((await g.check(VICTIM, { lastVerifiedAt })).action).toBe('allow');
    // 2. The SIM is swapped. Two minutes on, only the SIM-swap record (1 min) is stale.
    sandbox.pin(VICTIM, 'simSwapRisk4');
    t += 2 * 60_000;
    // 3. The budget is spent with fresh numbers; 4. the reset that follows:
    for (const fresh of [TEST_NUMBERS.active, N.deactivatedLongAgo, N.coverageGap]) {
      const spent = await g.check(fresh, { policy: 'signup' });
      if (spent.error?.code === 'BUDGET_EXCEEDED') break;
    }
    const d = await g.check(VICTIM, { lastVerifiedAt });
    expect(sandbox.requests.filter((r) => r.endpoint === 'phoneid')).toHaveLength(1);
    return { g, d };
  }

  it("failMode 'closed': block, LOOKUP_FAILED, 503 with Retry-After — never a clean allow", async () => {
    const { g, d } = await attack('closed');
    expect(d).toMatchObject({
      action: 'block',
      reasons: ['LOOKUP_FAILED', 'BUDGET_EXCEEDED', 'SIM_SWAP_UNKNOWN'],
      failedOpen: false,
      error: { code: 'BUDGET_EXCEEDED', retryAfterMs: expect.any(Number) },
      reassignment: { verdict: 'not_reassigned' },
      simSwap: { risk: null, reason: 'BUDGET_EXCEEDED' },
    });
    expect(d.status?.subscriberStatus).toBe('ACTIVE');
    const problem = decisionToProblem(d);
    expect(problem.status).toBe(503);
    expect(problem.problem.code).toBe('LOOKUP_FAILED');
    expect(problem.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(g.stats().errors).toMatchObject({ BUDGET_EXCEEDED: 2 }); // the spender's and the reset
  });

  it("failMode 'open': flag with failedOpen and the error, never a clean allow", async () => {
    const { d } = await attack('open');
    expect(d).toMatchObject({
      action: 'flag',
      reasons: ['LOOKUP_FAILED', 'BUDGET_EXCEEDED', 'SIM_SWAP_UNKNOWN'],
      failedOpen: true,
      error: { code: 'BUDGET_EXCEEDED', retryAfterMs: expect.any(Number) },
    });
  });

  it('with room in the budget the same reset sees the swap (the attack needs the failure)', async () => {
    let t = Date.now();
    const g = guard({ failMode: 'closed', now: () => t });
    const lastVerifiedAt = daysAgo(30, t);
    sandbox.pin(VICTIM, 'neverDeactivated');
    await g.check(VICTIM, { lastVerifiedAt });
    sandbox.pin(VICTIM, 'simSwapRisk4');
    t += 2 * 60_000;
    const d = await g.check(VICTIM, { lastVerifiedAt });
    expect(d).toMatchObject({ action: 'block', reasons: ['SIM_SWAPPED'], error: null });
    expect(decisionToProblem(d).status).toBe(403);
  });
});

describe('a verdict about the number still wins over a failed signal', () => {
  it('Live says DISCONNECTED: block, 403, whatever the fail mode', async () => {
    const g = guard({ provider: splitProvider(() => client(DEAD)), breaker: false });
    for (const failMode of ['open', 'closed'] as const) {
      const d = await g.check(TEST_NUMBERS.disconnected, { lastVerifiedAt: daysAgo(30), failMode });
      expect(d).toMatchObject({
        action: 'block',
        reasons: ['SUBSCRIBER_DISCONNECTED', 'REASSIGNMENT_UNKNOWN', 'SIM_SWAP_UNKNOWN'],
        failedOpen: false,
        error: null,
        simSwap: { risk: null, reason: 'TELESIGN_NETWORK_ERROR' },
      });
      const problem = decisionToProblem(d);
      expect([problem.status, problem.problem.code]).toEqual([403, 'SUBSCRIBER_DISCONNECTED']);
    }
    // Still a failed add-on request: counted as one.
    expect(g.stats().addonLookupFailures).toBe(2);
  });

  it('a cached NUMBER_REASSIGNED blocks though the SIM-swap request fails: 403', async () => {
    let t = Date.now();
    let addonsUp = true;
    const g = guard({
      provider: splitProvider(() => client(addonsUp ? sandbox.url : DEAD)),
      breaker: false,
      failMode: 'closed',
      now: () => t,
    });
    const lastVerifiedAt = daysAgo(30, t);
    expect((await g.check(N.reassigned, { lastVerifiedAt })).reasons).toEqual([
      'NUMBER_REASSIGNED',
    ]);
    addonsUp = false;
    t += 2 * 60_000; // the SIM-swap record is stale, the deactivation record is not
    const d = await g.check(N.reassigned, { lastVerifiedAt });
    expect(d).toMatchObject({
      action: 'block',
      reasons: ['NUMBER_REASSIGNED', 'SIM_SWAP_UNKNOWN'],
      error: null,
      reassignment: { verdict: 'reassigned' },
      simSwap: { risk: null, reason: 'TELESIGN_NETWORK_ERROR' },
    });
    expect(decisionToProblem(d).problem.code).toBe('NUMBER_REASSIGNED');
  });
});

describe('what is not a failure of this check', () => {
  it('a failed record kept briefly does not fail a check that did not ask for it', async () => {
    const g = guard();
    const asked = await g.check(N.deactivationNotEnabled, { lastVerifiedAt: daysAgo(30) });
    expect(asked.error?.code).toBe('ADDON_NOT_ENABLED');
    // Without lastVerifiedAt the deactivation add-on is not asked: no data, as before.
    const notAsked = await g.check(N.deactivationNotEnabled);
    expect(notAsked).toMatchObject({
      action: 'flag',
      reasons: ['REASSIGNMENT_UNKNOWN'],
      failedOpen: false,
      error: null,
      reassignment: { verdict: 'unknown', reason: 'NO_LAST_VERIFIED_AT' },
      simSwap: { risk: 1 },
    });
  });

  it('a provider without add-ons is a deployment choice (warned once): no data', async () => {
    const live = client(sandbox.url);
    const g = guard({
      provider: { getLiveStatus: (phone, options) => live.getLiveStatus(phone, options) },
      failMode: 'closed',
    });
    const d = await g.check(N.neverDeactivated, { lastVerifiedAt: daysAgo(30) });
    expect(d).toMatchObject({
      action: 'flag',
      reasons: ['REASSIGNMENT_UNKNOWN'],
      error: null,
      simSwap: { risk: null, reason: 'PROVIDER_UNSUPPORTED' },
    });
  });
});

describe('add-on failures are counted, published and logged as an episode', () => {
  const events: LookupEvent[] = [];
  const listen = (message: unknown): void => {
    events.push(message as LookupEvent);
  };
  beforeAll(() => diagnosticsChannel.subscribe(GUARD_CHANNELS.lookup, listen));
  afterAll(() => diagnosticsChannel.unsubscribe(GUARD_CHANNELS.lookup, listen));
  afterEach(() => {
    events.length = 0;
  });

  it('an outage: counted, one event per request with product "addons", logged while it lasts', async () => {
    let t = Date.now();
    let addonsUp = false;
    const log = logger();
    const g = guard({
      provider: splitProvider(() => client(addonsUp ? sandbox.url : DEAD)),
      breaker: false,
      logger: log,
      now: () => t,
    });
    const lastVerifiedAt = daysAgo(30, t);
    await g.check(N.neverDeactivated, { lastVerifiedAt });
    await g.check(N.deactivatedLongAgo, { lastVerifiedAt });
    const began = text(log.warn);
    expect(began.match(/Phone ID add-on requests are failing/g)).toHaveLength(1);
    expect(began).toMatch(/last error: TELESIGN_NETWORK_ERROR/);
    expect(began).toMatch(/not "no data"/);
    t += 61_000;
    // A check under another use case: its add-on request's event says so.
    await g.check(N.coverageGap, {
      lastVerifiedAt,
      policy: { extends: 'signup', reassignment: true },
    });
    expect(text(log.warn)).toMatch(/are failing .*\(still so after 61 s; 3 times\)/);
    addonsUp = true;
    await g.check(N.neverDeactivatedAbsent, { lastVerifiedAt });
    expect(text(log.warn)).toMatch(/Phone ID add-on requests answer again/);

    expect(g.stats()).toMatchObject({
      addonLookups: 4,
      addonLookupFailures: 3,
      lookups: 4,
      lookupFailures: 0,
      errors: { TELESIGN_NETWORK_ERROR: 3 },
    });
    const addons = events.filter((e) => e.product === 'addons');
    expect(addons.map((e) => [e.outcome, e.errorCode, e.useCase])).toEqual([
      ['error', 'TELESIGN_NETWORK_ERROR', 'PWRT'],
      ['error', 'TELESIGN_NETWORK_ERROR', 'PWRT'],
      ['error', 'TELESIGN_NETWORK_ERROR', 'BACS'],
      ['ok', null, 'PWRT'],
    ]);
    expect(addons.every((e) => e.phone.includes('*') && e.subscriberStatus === null)).toBe(true);
    const live = events.filter((e) => e.product === 'live');
    expect(live).toHaveLength(4);
    expect(live.every((e) => e.outcome === 'ok' && e.subscriberStatus === 'ACTIVE')).toBe(true);
  });

  it('an add-on that answers 2802 or 2806 is a failed request too; 2805 is not', async () => {
    const log = logger();
    const g = guard({ logger: log });
    const lastVerifiedAt = daysAgo(30);
    await g.check(N.addonUnavailable, { lastVerifiedAt });
    await g.check(N.addonNotEnabled, { lastVerifiedAt });
    await g.check(N.addonNoData, { lastVerifiedAt });
    expect(g.stats()).toMatchObject({
      addonLookups: 3,
      addonLookupFailures: 2,
      errors: { ADDON_UNAVAILABLE: 1, ADDON_NOT_ENABLED: 1 },
    });
    expect(
      events.filter((e) => e.product === 'addons').map((e) => [e.outcome, e.errorCode]),
    ).toEqual([
      ['error', 'ADDON_UNAVAILABLE'],
      ['error', 'ADDON_NOT_ENABLED'],
      ['ok', null],
    ]);
    expect(text(log.warn)).toMatch(/are failing \(last error: ADDON_UNAVAILABLE/);
    expect(text(log.error)).toMatch(/number-deactivation add-on is not enabled/);
  });
});

describe('dates Telesign sends in another form', () => {
  let fake: Server;
  let fakeUrl: string;
  const LAST_DEACTIVATED: Record<string, unknown> = {
    '13105550160': '03/01/2024',
    '13105550161': '2024-03-01T00:00:00+00',
    '13105550162': 'Fri, 01 Mar 2024 00:00:00 GMT',
    '13105550163': '1709251200',
    '13105550164': 1_709_251_200_000,
    '13105550165': 'soon',
    '13105550166': '2024-03-01T00:00:00Z', // with an unreadable tracking_since
    '13105550167': null, // with an unreadable SIM-swap risk
  };
  beforeAll(async () => {
    // A Phone ID add-on endpoint whose number_deactivation dates come in the form above.
    fake = createServer((req, res) => {
      const digits = /^\/v1\/phoneid\/(\d+)$/.exec(req.url ?? '')?.[1] ?? '';
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            reference_id: 'FAKE',
            status: { code: 300, description: 'Transaction successfully completed' },
            errors: [],
            number_deactivation: {
              last_deactivated: LAST_DEACTIVATED[digits] ?? null,
              tracking_since: digits === '13105550166' ? '10/06/2014' : '2014-10-06T00:00:00Z',
              status: { code: 2800, description: 'Request successfully completed' },
            },
            sim_swap: {
              risk_indicator: digits === '13105550167' ? 'High' : 1,
              swap_date: null,
              status: { code: 2800 },
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => fake?.close(resolve));
  });

  it('reads +00 offsets, RFC 1123 and epoch forms: deactivated after the verification', async () => {
    const g = guard({ provider: splitProvider(() => client(fakeUrl)) });
    for (const digits of ['13105550161', '13105550162', '13105550163', '13105550164']) {
      sandbox.pin(`+${digits}`, 'active');
      const d = await g.check(`+${digits}`, { lastVerifiedAt: '2024-01-15' });
      expect(d, digits).toMatchObject({
        action: 'block',
        reasons: ['NUMBER_REASSIGNED'],
        reassignment: { verdict: 'reassigned', lastDeactivatedAt: Date.UTC(2024, 2, 1) },
      });
    }
  });

  it('an unreadable last_deactivated is unknown (flag), never not_reassigned; logged once', async () => {
    const log = logger();
    const g = guard({ provider: splitProvider(() => client(fakeUrl)), logger: log });
    for (const digits of ['13105550160', '13105550165']) {
      sandbox.pin(`+${digits}`, 'active');
      const d = await g.check(`+${digits}`, { lastVerifiedAt: '2024-01-15', failMode: 'closed' });
      expect(d, digits).toMatchObject({
        action: 'flag',
        reasons: ['REASSIGNMENT_UNKNOWN'],
        failedOpen: false,
        error: null,
        reassignment: { verdict: 'unknown', reason: 'ADDON_UNREADABLE', lastDeactivatedAt: null },
        simSwap: { risk: 1 },
      });
    }
    const errors = text(log.error);
    expect(errors.match(/answered with data phone-guard cannot read/g)).toHaveLength(1);
    expect(errors).toMatch(/last_deactivated is not a date/);
    expect(errors).not.toMatch(/3105550160/);
  });

  it('an unreadable tracking_since does not hide a readable deactivation after the verification', async () => {
    const g = guard({ provider: splitProvider(() => client(fakeUrl)) });
    sandbox.pin('+13105550166', 'active');
    const d = await g.check('+13105550166', { lastVerifiedAt: '2024-01-15' });
    expect(d).toMatchObject({
      action: 'block',
      reasons: ['NUMBER_REASSIGNED'],
      reassignment: { verdict: 'reassigned', lastDeactivatedAt: Date.UTC(2024, 2, 1) },
    });
  });

  it('SIM-swap data that cannot be read follows the fail mode, never a clean allow', async () => {
    const g = guard({ provider: splitProvider(() => client(fakeUrl)) });
    sandbox.pin('+13105550167', 'active');
    const open = await g.check('+13105550167', { lastVerifiedAt: '2024-01-15' });
    expect(open).toMatchObject({
      action: 'flag',
      failedOpen: true,
      error: { code: 'ADDON_UNREADABLE' },
      simSwap: { risk: null },
    });
    expect(open.reasons).toEqual(['LOOKUP_FAILED', 'SIM_SWAP_UNKNOWN']);
    const closed = await g.check('+13105550167', {
      lastVerifiedAt: '2024-01-15',
      failMode: 'closed',
    });
    expect(closed).toMatchObject({ action: 'block', failedOpen: false });
    expect(decisionToProblem(closed).status).toBe(503);
  });
});

describe('packages/core/README.md: failures are not "no data"', () => {
  it('the example: a SIM-swap request shed by the open breaker, failMode closed', async () => {
    let t = Date.now();
    const guard_ = guard({
      failMode: 'closed',
      now: () => t,
      breaker: { failureThreshold: 2, failureRate: 0.5 },
    });
    const account = { phone: N.neverDeactivated, phoneVerifiedAt: daysAgo(30, t) };
    await guard_.check(account.phone, { lastVerifiedAt: account.phoneVerifiedAt });
    t += 2 * 60_000; // only the SIM-swap record is stale now
    for (let i = 0; i < 3; i++) {
      await guard_.check(TEST_NUMBERS.errUnavailable, { policy: 'signup' });
    }
    expect(guard_.stats().breaker?.state).toBe('open');
    const shedBefore = guard_.stats().errors['CIRCUIT_OPEN'] ?? 0;
    // As in the README:
    const decision = await guard_.check(account.phone, {
      lastVerifiedAt: account.phoneVerifiedAt,
    });
    expect(decision.reasons.includes('LOOKUP_FAILED')).toBe(true);
    expect(decision).toMatchObject({
      action: 'block',
      reasons: ['LOOKUP_FAILED', 'CIRCUIT_OPEN', 'SIM_SWAP_UNKNOWN'],
      error: { code: 'CIRCUIT_OPEN', retryAfterMs: 1000 },
      simSwap: { risk: null, reason: 'CIRCUIT_OPEN' },
    });
    expect(decisionToProblem(decision).status).toBe(503);
    expect(guard_.stats().addonLookupFailures).toBe(0); // shed: never made
    expect(guard_.stats().errors['CIRCUIT_OPEN']).toBe(shedBefore + 1);
  });
});
