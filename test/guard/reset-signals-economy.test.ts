/**
 * The economy of password-reset protection, over real HTTP against the sandbox: one add-on
 * request serves many checks (coalesced, cached per number holding raw dates, shared
 * through Redis), Live and add-ons run in parallel, signup never pays for add-ons, and the
 * guard's deadline, abort, breaker and budget bound add-on requests too. Also what goes on
 * the wire.
 */
import {
  createPhoneGuard,
  decisionToProblem,
  type PhoneGuard,
  type PhoneGuardOptions,
} from '@phone-guard/core';
import { createRedisStore, type RedisStore } from '@phone-guard/redis';
import {
  ADDON_TEST_NUMBERS as N,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deletePrefix,
  Redis,
  redisAnswers,
  SHARED_REDIS_URL,
  uniquePrefix,
} from '../../packages/redis/test-support/redis-test-server.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const silent = { warn() {}, error() {} };

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

const guards: PhoneGuard[] = [];
function guard(options: PhoneGuardOptions = {}, box: Sandbox = sandbox): PhoneGuard {
  const g = createPhoneGuard({
    policy: 'passwordReset',
    logger: silent,
    telesign: {
      baseUrl: box.url,
      customerId: SANDBOX_CUSTOMER_ID,
      apiKey: SANDBOX_API_KEY,
      retry: false,
    },
    ...options,
  });
  guards.push(g);
  return g;
}
afterEach(async () => {
  await Promise.all(guards.splice(0).map((g) => g.close()));
  sandbox.reset();
});

const requests = (endpoint: 'live' | 'phoneid', box: Sandbox = sandbox) =>
  box.requests.filter((r) => r.endpoint === endpoint);

describe('one add-on request, many checks', () => {
  it('the same number with two lastVerifiedAt dates: one add-on request, two verdicts', async () => {
    const g = guard();
    const before = await g.check(N.reassigned, { lastVerifiedAt: daysAgo(30) });
    const after = await g.check(N.reassigned, { lastVerifiedAt: daysAgo(5) });
    expect(before.reassignment).toMatchObject({
      verdict: 'reassigned',
      telesignVerdict: 'recycled',
    });
    // Telesign's verdict answered day 30; the cached raw dates answer day 5.
    expect(after.reassignment).toMatchObject({ verdict: 'not_reassigned', telesignVerdict: null });
    expect([before.action, after.action]).toEqual(['block', 'allow']);
    expect(requests('phoneid')).toHaveLength(1);
    expect(requests('live')).toHaveLength(1);
    // An earlier day than one Telesign said "recycled" for is recycled too.
    const earlier = await g.check(N.verdictRecycled, { lastVerifiedAt: daysAgo(30) });
    const older = await g.check(N.verdictRecycled, { lastVerifiedAt: daysAgo(400) });
    expect([earlier.reassignment?.telesignVerdict, older.reassignment?.telesignVerdict]).toEqual([
      'recycled',
      'recycled',
    ]);
    expect(older.action).toBe('block');
    expect(g.stats()).toMatchObject({ addonLookups: 2, lookups: 2 });
  });

  it('100 concurrent resets of one number make one Live and one add-on request', async () => {
    const g = guard();
    const decisions = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        g.check(N.simSwapRisk3, { lastVerifiedAt: daysAgo(30 + (i % 7)) }),
      ),
    );
    expect(decisions.every((d) => d.action === 'block' && d.reasons.includes('SIM_SWAPPED'))).toBe(
      true,
    );
    expect(requests('live')).toHaveLength(1);
    expect(requests('phoneid')).toHaveLength(1);
  });

  it('answers from the in-process cache without I/O, checkCached included', async () => {
    const g = guard();
    const options = { lastVerifiedAt: daysAgo(30) };
    const first = await g.check(N.simSwapRisk2, options);
    const cached = g.checkCached(N.simSwapRisk2, options);
    expect(cached).toEqual({ ...first, source: 'cache', status: cached?.status });
    expect(sandbox.requests).toHaveLength(2);
  });

  it('each record keeps its own TTL: a stale SIM swap is asked again, alone', async () => {
    let t = Date.now();
    const g = guard({ now: () => t });
    const options = { lastVerifiedAt: daysAgo(30) };
    await g.check(N.neverDeactivated, options);
    t += 61_000; // past cache.ttl.simSwap (1 min), within numberDeactivation's and Live's
    await g.check(N.neverDeactivated, options);
    expect(requests('phoneid').map((r) => r.body)).toEqual([
      {
        addons: {
          number_deactivation: {
            last_verified: options.lastVerifiedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          },
          sim_swap: {},
        },
        consent: { method: 1 },
      },
      { addons: { sim_swap: {} }, consent: { method: 1 } },
    ]);
    expect(requests('live')).toHaveLength(1);
  });

  it('cache.ttl.simSwap: 0 keeps no SIM-swap answer; concurrent checks still share one', async () => {
    const g = guard({ cache: { ttl: { simSwap: 0 } } });
    const options = { lastVerifiedAt: daysAgo(30) };
    await Promise.all([g.check(N.simSwapNever, options), g.check(N.simSwapNever, options)]);
    await g.check(N.simSwapNever, options);
    expect(requests('phoneid')).toHaveLength(2);
  });

  it('forget() drops the add-on records too', async () => {
    const g = guard();
    await g.check(N.neverDeactivated, { lastVerifiedAt: daysAgo(30) });
    await g.forget(N.neverDeactivated);
    await g.check(N.neverDeactivated, { lastVerifiedAt: daysAgo(30) });
    expect(requests('phoneid')).toHaveLength(2);
  });
});

describe('Live and add-ons in parallel', () => {
  it('Live and add-on taking 300 ms each give a check well under 600 ms', async () => {
    const slow = await startSandbox({ latencyMs: { live: 300, phoneid: 300 } });
    try {
      const g = guard({}, slow);
      const started = performance.now();
      const d = await g.check(N.neverDeactivated, { lastVerifiedAt: daysAgo(30) });
      const took = performance.now() - started;
      expect(d).toMatchObject({ action: 'allow', reassignment: { verdict: 'not_reassigned' } });
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(550);
      expect([requests('live', slow).length, requests('phoneid', slow).length]).toEqual([1, 1]);
    } finally {
      await slow.close();
    }
  });

  it('a slow add-on is bounded by the check deadline: LOOKUP_TIMEOUT, the fail mode', async () => {
    const g = guard({ timeoutMs: 100 });
    const started = performance.now();
    const d = await g.check(N.addonSlow, { lastVerifiedAt: daysAgo(30) });
    expect(performance.now() - started).toBeLessThan(100 + 1000);
    expect(d).toMatchObject({
      action: 'flag',
      reasons: ['LOOKUP_FAILED', 'LOOKUP_TIMEOUT', 'REASSIGNMENT_UNKNOWN', 'SIM_SWAP_UNKNOWN'],
      failedOpen: true,
      error: { code: 'LOOKUP_TIMEOUT' },
      reassignment: { verdict: 'unknown', reason: 'LOOKUP_TIMEOUT' },
      simSwap: { risk: null, reason: 'LOOKUP_TIMEOUT' },
    });
    expect(d.status?.subscriberStatus).toBe('ACTIVE');
    expect(g.stats().errors).toEqual({ LOOKUP_TIMEOUT: 1 });
  });

  it('an aborted reset settles at once', async () => {
    const g = guard({ timeoutMs: 5000 });
    const controller = new AbortController();
    const pending = g.check(N.addonSlow, {
      lastVerifiedAt: daysAgo(30),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    const d = await pending;
    expect(performance.now() - started).toBeLessThan(250);
    expect(d.error?.code).toBe('ABORTED');
  });
});

describe('what a reset costs', () => {
  it('a signup check never reaches the add-on endpoint', async () => {
    const signup = guard({ policy: 'signup' });
    const reset = guard();
    const lastVerifiedAt = daysAgo(30);
    for (const number of [N.reassigned, N.simSwapRisk4, TEST_NUMBERS.active]) {
      const d = await signup.check(number, { lastVerifiedAt });
      expect(d).not.toHaveProperty('reassignment');
      expect(d).not.toHaveProperty('simSwap');
      await reset.check(number, { policy: 'signup', lastVerifiedAt });
    }
    expect(requests('phoneid')).toHaveLength(0);
    expect(requests('live').length).toBeGreaterThan(0);
  });

  it('the budget counts add-on requests: a spent budget is a failure, never "no data"', async () => {
    const g = guard({ budget: { limit: 1 } });
    await g.check(N.neverDeactivated, { policy: 'signup' }); // spends the one look-up on Live
    const d = await g.check(N.neverDeactivated, { lastVerifiedAt: daysAgo(30) });
    expect(d).toMatchObject({
      action: 'flag',
      reasons: ['LOOKUP_FAILED', 'BUDGET_EXCEEDED', 'REASSIGNMENT_UNKNOWN', 'SIM_SWAP_UNKNOWN'],
      failedOpen: true,
      error: { code: 'BUDGET_EXCEEDED', retryAfterMs: expect.any(Number) },
      reassignment: { verdict: 'unknown', reason: 'BUDGET_EXCEEDED' },
      simSwap: { reason: 'BUDGET_EXCEEDED' },
    });
    expect(d.status?.subscriberStatus).toBe('ACTIVE'); // Live came from the cache
    expect(requests('phoneid')).toHaveLength(0);
  });

  it('an open breaker sheds add-on requests too: CIRCUIT_OPEN, the fail mode', async () => {
    const g = guard({ breaker: { failureThreshold: 2, failureRate: 0.5 }, failMode: 'closed' });
    await g.check(N.neverDeactivated, { policy: 'signup' });
    for (let i = 0; i < 3; i++) await g.check(TEST_NUMBERS.errUnavailable, { policy: 'signup' });
    expect(g.stats().breaker?.state).toBe('open');
    const d = await g.check(N.neverDeactivated, { lastVerifiedAt: daysAgo(30) });
    expect(d).toMatchObject({
      action: 'block',
      reasons: ['LOOKUP_FAILED', 'CIRCUIT_OPEN', 'REASSIGNMENT_UNKNOWN', 'SIM_SWAP_UNKNOWN'],
      failedOpen: false,
      error: { code: 'CIRCUIT_OPEN', retryAfterMs: expect.any(Number) },
      reassignment: { verdict: 'unknown', reason: 'CIRCUIT_OPEN' },
    });
    expect(d.status?.subscriberStatus).toBe('ACTIVE'); // Live came from the cache
    const problem = decisionToProblem(d);
    expect(problem.status).toBe(503);
    expect(problem.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(requests('phoneid')).toHaveLength(0);
  });
});

describe('on the wire', () => {
  it.each(['digest', 'basic'] as const)(
    'POST /v1/phoneid/{digits} with the JSON body of the shared file, %s-signed',
    async (authMethod) => {
      const g = guard({
        telesign: {
          baseUrl: sandbox.url,
          customerId: SANDBOX_CUSTOMER_ID,
          apiKey: SANDBOX_API_KEY,
          authMethod,
        },
      });
      const lastVerifiedAt = new Date('2024-03-11T07:30:00.250Z');
      await g.check(N.neverDeactivated, { lastVerifiedAt });
      const [request] = requests('phoneid');
      // The sandbox recomputes the signature over method, content type, date, nonce,
      // path and body: a 200 means it matched.
      expect(request).toMatchObject({
        method: 'POST',
        path: '/v1/phoneid/13105550102',
        authScheme: authMethod,
        httpStatus: 200,
        ucid: null,
        body: {
          addons: { number_deactivation: { last_verified: '2024-03-11T07:30:00Z' }, sim_swap: {} },
          consent: { method: 1 },
        },
      });
    },
  );
});

const redisUp = await redisAnswers();

describe.skipIf(!redisUp)('shared through a Redis store', () => {
  let admin: Redis;
  let keyPrefix: string;
  const stores: RedisStore[] = [];
  beforeAll(() => {
    admin = new Redis(SHARED_REDIS_URL, { lazyConnect: true, enableOfflineQueue: true });
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await deletePrefix(admin, keyPrefix);
  });
  afterAll(async () => {
    admin?.disconnect();
  });

  it('another instance reuses the add-on records: no second add-on request', async () => {
    keyPrefix = uniquePrefix();
    const store = () => {
      const s = createRedisStore({
        client: admin,
        keyPrefix,
        keySecret: 'reset-signals-test-secret-0123',
        logger: silent,
      });
      stores.push(s);
      return s;
    };
    const a = guard({ store: store() });
    const b = guard({ store: store() });
    const first = await a.check(N.reassigned, { lastVerifiedAt: daysAgo(30) });
    const second = await b.check(N.reassigned, { lastVerifiedAt: daysAgo(5) });
    expect(first.reassignment?.verdict).toBe('reassigned');
    expect(second.reassignment).toMatchObject({ verdict: 'not_reassigned', telesignVerdict: null });
    expect(second.source).toBe('cache');
    expect(requests('phoneid')).toHaveLength(1);
    expect(requests('live')).toHaveLength(1);
    expect(b.stats().addonLookups).toBe(0);
  });
});
