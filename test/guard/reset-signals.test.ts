/**
 * Password-reset protection over real HTTP: guard → its own Telesign client → the sandbox's
 * Phone ID add-on endpoint. Every row of the reassignment rule (telesign-phoneid-addons.md
 * section 4), every add-on status, every SIM-swap risk, and what is logged.
 */
import {
  type CheckOptions,
  createPhoneGuard,
  createTelesignClient,
  type Decision,
  decisionToProblem,
  type LiveStatusProvider,
  type PhoneGuard,
  type PhoneGuardOptions,
  type PhoneIdAddonsProvider,
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
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const midnight = (days: number) => {
  const t = Date.now() - days * DAY;
  return t - (t % DAY);
};

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

const guards: PhoneGuard[] = [];
function logger() {
  return { warn: vi.fn(), error: vi.fn() };
}
function guard(options: PhoneGuardOptions = {}): PhoneGuard {
  const g = createPhoneGuard({
    policy: 'passwordReset',
    logger: logger(),
    telesign: {
      baseUrl: sandbox.url,
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

const addonRequests = () => sandbox.requests.filter((r) => r.endpoint === 'phoneid');
const logged = (fn: ReturnType<typeof logger>['warn']) =>
  fn.mock.calls.map((call) => String(call[0])).join('\n');

async function reset(number: string, options: CheckOptions = {}): Promise<Decision> {
  return guard().check(number, options);
}

describe('the reassignment rule, row by row', () => {
  it.each<[string, string, number, Decision['action'], Record<string, unknown>]>([
    // rule 2: last deactivated on or after V (same day counts) → reassigned
    [
      'deactivated after verification',
      N.reassigned,
      30,
      'block',
      { verdict: 'reassigned', telesignVerdict: 'recycled' },
    ],
    [
      'deactivated the same day',
      N.reassigned,
      10,
      'block',
      { verdict: 'reassigned', telesignVerdict: 'recycled' },
    ],
    // rule 4: tracked and not deactivated since V → not reassigned
    [
      'deactivated before verification',
      N.reassigned,
      5,
      'allow',
      { verdict: 'not_reassigned', telesignVerdict: 'not_recycled' },
    ],
    ['deactivated long ago', N.deactivatedLongAgo, 30, 'allow', { verdict: 'not_reassigned' }],
    [
      'never deactivated (null)',
      N.neverDeactivated,
      30,
      'allow',
      { verdict: 'not_reassigned', lastDeactivatedAt: null },
    ],
    [
      'never deactivated (absent)',
      N.neverDeactivatedAbsent,
      30,
      'allow',
      { verdict: 'not_reassigned', lastDeactivatedAt: null },
    ],
    // rule 3: tracking since after V, or missing → unknown
    [
      'a coverage gap',
      N.coverageGap,
      30,
      'flag',
      { verdict: 'unknown', reason: 'COVERAGE_GAP', trackingSince: midnight(5) },
    ],
    [
      'tracking since unknown',
      N.trackingUnknown,
      30,
      'flag',
      { verdict: 'unknown', reason: 'COVERAGE_GAP', trackingSince: null },
    ],
    // rule 5: Telesign's own verdict
    [
      'Telesign says recycled (dates do not)',
      N.verdictRecycled,
      30,
      'block',
      { verdict: 'reassigned', telesignVerdict: 'recycled' },
    ],
    [
      'Telesign says not_recycled (dates say reassigned)',
      N.verdictNotRecycled,
      30,
      'block',
      { verdict: 'reassigned', telesignVerdict: 'not_recycled' },
    ],
    [
      'Telesign cannot determine',
      N.verdictCannotBeDetermined,
      30,
      'flag',
      {
        verdict: 'unknown',
        reason: 'TELESIGN_CANNOT_DETERMINE',
        telesignVerdict: 'cannot_be_determined',
      },
    ],
    [
      'no Telesign verdict',
      N.reassignedNoVerdict,
      30,
      'block',
      { verdict: 'reassigned', telesignVerdict: null },
    ],
    [
      'the same day, no Telesign verdict',
      N.reassignedNoVerdict,
      10,
      'block',
      { verdict: 'reassigned', telesignVerdict: null },
    ],
    [
      'before verification, no Telesign verdict',
      N.reassignedNoVerdict,
      9,
      'allow',
      { verdict: 'not_reassigned', telesignVerdict: null },
    ],
  ])('%s', async (_name, number, verifiedDaysAgo, action, reassignment) => {
    const at = daysAgo(verifiedDaysAgo);
    const d = await reset(number, { lastVerifiedAt: at });
    expect(d.action).toBe(action);
    expect(d.reassignment).toMatchObject({ lastVerifiedAt: at.getTime(), ...reassignment });
    const reason = { block: 'NUMBER_REASSIGNED', flag: 'REASSIGNMENT_UNKNOWN', allow: undefined }[
      action
    ];
    expect(d.reasons).toEqual(reason ? [reason] : []);
    expect(d.simSwap).toEqual({ risk: 1, swappedAt: null });
    expect(Object.isFrozen(d.reassignment)).toBe(true);
  });

  it("keeps a reassigned verdict against Telesign's not_recycled, and warns once (masked)", async () => {
    const log = logger();
    const g = guard({ logger: log });
    await g.check(N.verdictNotRecycled, { lastVerifiedAt: daysAgo(30) });
    await g.check(N.verdictNotRecycled, { lastVerifiedAt: daysAgo(20) });
    const warnings = log.warn.mock.calls.filter((c) => String(c[0]).includes('not_recycled'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.[0])).toContain('+1310*****07');
    expect(String(warnings[0]?.[0])).not.toContain('3105550107');
  });

  it('without lastVerifiedAt: unknown, the deactivation add-on is not asked (billed), warned once', async () => {
    const log = logger();
    const g = guard({ logger: log });
    const d = await g.check(N.reassigned);
    expect(d).toMatchObject({
      action: 'flag',
      reasons: ['REASSIGNMENT_UNKNOWN'],
      reassignment: { verdict: 'unknown', reason: 'NO_LAST_VERIFIED_AT', lastVerifiedAt: null },
      simSwap: { risk: 1 },
    });
    expect(addonRequests().map((r) => r.body)).toEqual([
      { addons: { sim_swap: {} }, consent: { method: 1 } },
    ]);
    await g.check(N.neverDeactivated);
    expect(logged(log.warn).match(/got no lastVerifiedAt/g)).toHaveLength(1);
  });

  it.each<[string, unknown, string]>([
    ['in the future', new Date(Date.now() + 2 * DAY), 'LAST_VERIFIED_AT_IN_FUTURE'],
    [
      'an ISO string in the future',
      new Date(Date.now() + DAY).toISOString(),
      'LAST_VERIFIED_AT_IN_FUTURE',
    ],
    ['not a date', 'yesterday', 'LAST_VERIFIED_AT_INVALID'],
    ['an invalid Date', new Date(Number.NaN), 'LAST_VERIFIED_AT_INVALID'],
    ['NaN', Number.NaN, 'LAST_VERIFIED_AT_INVALID'],
    ['epoch seconds', Math.floor(Date.now() / 1000), 'LAST_VERIFIED_AT_INVALID'],
    ['31 February', '2024-02-31', 'LAST_VERIFIED_AT_INVALID'],
    ['an object', { toString: () => '2024-01-01' }, 'LAST_VERIFIED_AT_INVALID'],
    [
      'a throwing object',
      {
        get valueOf() {
          throw new Error('boom');
        },
      },
      'LAST_VERIFIED_AT_INVALID',
    ],
  ])('lastVerifiedAt %s: unknown, never a throw', async (_name, value, reason) => {
    const d = await reset(N.reassigned, { lastVerifiedAt: value as never });
    expect(d).toMatchObject({
      action: 'flag',
      reasons: ['REASSIGNMENT_UNKNOWN'],
      reassignment: { verdict: 'unknown', reason },
    });
    expect(d.error).toBeNull();
  });

  it('reads a Date, an ISO string (date or date-time, any zone) and epoch ms alike', async () => {
    const g = guard();
    const at = daysAgo(30);
    const forms = [at, at.toISOString(), at.getTime(), at.toISOString().slice(0, 10)];
    for (const lastVerifiedAt of forms) {
      const d = await g.check(N.reassigned, { lastVerifiedAt });
      expect(d.reassignment?.verdict).toBe('reassigned');
    }
    const offset = await g.check(N.reassigned, { lastVerifiedAt: '2020-01-01T01:00:00+02:00' });
    expect(offset.reassignment?.lastVerifiedAt).toBe(Date.UTC(2019, 11, 31, 23));
  });
});

describe('add-on statuses', () => {
  it.each<[string, string, string]>([
    ['2803 out of coverage', N.addonOutOfCoverage, 'ADDON_OUT_OF_COVERAGE'],
    ['2804 not applicable', N.addonNotApplicable, 'ADDON_NOT_APPLICABLE'],
    ['2805 no data', N.addonNoData, 'ADDON_NO_DATA'],
  ])(
    '%s: no data, both signals unknown by their rules, whatever the fail mode',
    async (_name, number, reason) => {
      for (const failMode of ['open', 'closed'] as const) {
        const d = await reset(number, { lastVerifiedAt: daysAgo(30), failMode });
        expect(d).toEqual(
          expect.objectContaining({
            action: 'flag',
            reasons: ['REASSIGNMENT_UNKNOWN'],
            failedOpen: false,
            error: null,
            reassignment: expect.objectContaining({ verdict: 'unknown', reason }),
            simSwap: { risk: null, swappedAt: null, reason },
          }),
        );
      }
    },
  );

  it.each<[string, string, string, string[]]>([
    ['2801 invalid parameter', N.addonInvalidParameter, 'ADDON_REJECTED', []],
    ['2802 temporarily unavailable', N.addonUnavailable, 'ADDON_UNAVAILABLE', []],
    ['2806 not enabled', N.addonNotEnabled, 'ADDON_NOT_ENABLED', ['CONFIG_ERROR']],
    ['2807 invalid parameters', N.addonInvalidParameters, 'ADDON_REJECTED', []],
    ['2810 collection failure', N.addonCollectionFailure, 'ADDON_UNAVAILABLE', []],
    ['2811 processing timeout', N.addonTimeout, 'ADDON_UNAVAILABLE', []],
  ])(
    '%s: the signals could not be had, so the check follows the fail mode',
    async (_name, number, reason, extra) => {
      const reasons = ['LOOKUP_FAILED', ...extra, 'REASSIGNMENT_UNKNOWN', 'SIM_SWAP_UNKNOWN'];
      const open = await reset(number, { lastVerifiedAt: daysAgo(30) });
      expect(open).toMatchObject({
        action: 'flag',
        reasons,
        failedOpen: true,
        error: { code: reason, message: expect.stringMatching(/^The Telesign .* add-on /) },
        reassignment: { verdict: 'unknown', reason },
        simSwap: { risk: null, reason },
      });
      expect(open.status?.subscriberStatus).toBe('ACTIVE');
      const closed = await reset(number, { lastVerifiedAt: daysAgo(30), failMode: 'closed' });
      expect(closed).toMatchObject({ action: 'block', reasons, failedOpen: false });
      expect(decisionToProblem(closed).status).toBe(503);
    },
  );

  it('2806 is logged as a configuration error naming the add-on, once while it lasts', async () => {
    const log = logger();
    const g = guard({ logger: log });
    await g.check(N.addonNotEnabled, { lastVerifiedAt: daysAgo(30) });
    await g.check(N.deactivationNotEnabled, { lastVerifiedAt: daysAgo(30) });
    const errors = logged(log.error);
    expect(errors.match(/number-deactivation add-on is not enabled/g)).toHaveLength(1);
    expect(errors.match(/SIM-swap add-on is not enabled/g)).toHaveLength(1);
    expect(errors).toMatch(/configuration error/);
    expect(errors).not.toMatch(/310555012[69]/);
  });

  it('one add-on not enabled: the other answers, the missing one follows the fail mode', async () => {
    const swap = await reset(N.simSwapNotEnabled, { lastVerifiedAt: daysAgo(30) });
    expect(swap).toMatchObject({
      action: 'flag',
      reasons: ['LOOKUP_FAILED', 'CONFIG_ERROR', 'SIM_SWAP_UNKNOWN'],
      failedOpen: true,
      error: { code: 'ADDON_NOT_ENABLED' },
      reassignment: { verdict: 'not_reassigned' },
      simSwap: { risk: null, reason: 'ADDON_NOT_ENABLED' },
    });
    const deactivation = await reset(N.deactivationNotEnabled, {
      lastVerifiedAt: daysAgo(30),
      failMode: 'closed',
    });
    expect(deactivation).toMatchObject({
      action: 'block',
      reasons: ['LOOKUP_FAILED', 'CONFIG_ERROR', 'REASSIGNMENT_UNKNOWN'],
      failedOpen: false,
      error: { code: 'ADDON_NOT_ENABLED' },
      reassignment: { verdict: 'unknown', reason: 'ADDON_NOT_ENABLED' },
      simSwap: { risk: 1 },
    });
    // A policy that does not ask for the missing add-on is not affected by it.
    const noSwap = await reset(N.simSwapNotEnabled, {
      lastVerifiedAt: daysAgo(30),
      policy: { extends: 'passwordReset', simSwap: false },
    });
    expect(noSwap).toMatchObject({ action: 'allow', reasons: [], error: null });
  });

  it('2801/2807 are logged as a phone-guard bug', async () => {
    const log = logger();
    await guard({ logger: log }).check(N.addonInvalidParameters, { lastVerifiedAt: daysAgo(3) });
    expect(logged(log.error)).toMatch(
      /refused the parameters of the number-deactivation add-on.*phone-guard bug/,
    );
  });

  it('a failed add-on request follows the fail mode, even when Live answers', async () => {
    const credentials = {
      customerId: SANDBOX_CUSTOMER_ID,
      apiKey: SANDBOX_API_KEY,
      retry: false as const,
    };
    const live = createTelesignClient({ ...credentials, baseUrl: sandbox.url });
    const dead = createTelesignClient({ ...credentials, baseUrl: 'http://127.0.0.1:9' });
    try {
      const provider: LiveStatusProvider & PhoneIdAddonsProvider = {
        getLiveStatus: (phone, options) => live.getLiveStatus(phone, options),
        getPhoneIdAddons: (phone, options) => dead.getPhoneIdAddons(phone, options),
      };
      const g = guard({ provider });
      const d = await g.check(N.neverDeactivated, { lastVerifiedAt: daysAgo(30) });
      expect(d.status?.subscriberStatus).toBe('ACTIVE');
      expect(d).toMatchObject({
        action: 'flag',
        reasons: ['LOOKUP_FAILED', 'REASSIGNMENT_UNKNOWN', 'SIM_SWAP_UNKNOWN'],
        failedOpen: true,
        error: { code: expect.stringMatching(/^TELESIGN_/) },
        reassignment: { verdict: 'unknown', reason: expect.stringMatching(/^TELESIGN_/) },
        simSwap: { risk: null, reason: expect.stringMatching(/^TELESIGN_/) },
      });
      expect(d.error?.code).toBe(d.simSwap?.reason);
      const closed = await g.check(N.neverDeactivated, {
        lastVerifiedAt: daysAgo(30),
        failMode: 'closed',
      });
      expect(closed).toMatchObject({ action: 'block', failedOpen: false });
      expect(decisionToProblem(closed).status).toBe(503);
    } finally {
      await live.close();
      await dead.close();
    }
  });

  it('a provider without getPhoneIdAddons gives unknown signals, never a pass (warned once)', async () => {
    const log = logger();
    const client = createTelesignClient({
      baseUrl: sandbox.url,
      customerId: SANDBOX_CUSTOMER_ID,
      apiKey: SANDBOX_API_KEY,
    });
    try {
      const g = guard({
        logger: log,
        provider: { getLiveStatus: (phone, options) => client.getLiveStatus(phone, options) },
      });
      const d = await g.check(N.reassigned, { lastVerifiedAt: daysAgo(30) });
      expect(d).toMatchObject({
        action: 'flag',
        reasons: ['REASSIGNMENT_UNKNOWN'],
        reassignment: { verdict: 'unknown', reason: 'PROVIDER_UNSUPPORTED' },
        simSwap: { risk: null, reason: 'PROVIDER_UNSUPPORTED' },
      });
      await g.check(N.neverDeactivated, { lastVerifiedAt: daysAgo(30) });
      expect(logged(log.warn).match(/no getPhoneIdAddons/g)).toHaveLength(1);
      expect(addonRequests()).toHaveLength(0);
    } finally {
      await client.close();
    }
  });
});

describe('SIM swap', () => {
  it.each<[string, string, number, Decision['action']]>([
    ['never swapped', N.simSwapNever, 1, 'allow'],
    ['30 days ago', N.simSwapRisk1, 1, 'allow'],
    ['7 days ago', N.simSwapRisk2, 2, 'flag'],
    ['48 hours ago', N.simSwapRisk3, 3, 'block'],
    ['today', N.simSwapRisk4, 4, 'block'],
    ['48 hours ago, risk as text', N.simSwapRisk3Text, 3, 'block'],
    ['today, risk as text', N.simSwapRisk4Text, 4, 'block'],
  ])('%s: risk %i, %s', async (_name, number, risk, action) => {
    const d = await reset(number, { lastVerifiedAt: daysAgo(30) });
    expect(d.action).toBe(action);
    expect(d.simSwap?.risk).toBe(risk);
    expect(d.reasons).toEqual(action === 'allow' ? [] : ['SIM_SWAPPED']);
    expect(d.reassignment?.verdict).toBe('not_reassigned');
    if (number !== N.simSwapNever) expect(d.simSwap?.swappedAt).toEqual(expect.any(Number));
  });

  it('a rule can block a low-risk swap, or flag numbers without SIM-swap data', async () => {
    const g = guard({
      policy: { extends: 'passwordReset', simSwap: { lowRisk: 'block', unknown: 'flag' } },
    });
    const low = await g.check(N.simSwapRisk2, { lastVerifiedAt: daysAgo(30) });
    expect(low).toMatchObject({ action: 'block', reasons: ['SIM_SWAPPED'] });
    const none = await g.check(N.addonNoData, { lastVerifiedAt: daysAgo(30) });
    expect(none).toMatchObject({
      action: 'flag',
      reasons: ['REASSIGNMENT_UNKNOWN', 'SIM_SWAP_UNKNOWN'],
      error: null,
    });
  });

  it('a pinned number answers like the reassigned test number', async () => {
    sandbox.pin('+13105550199', 'reassigned');
    const d = await reset('+13105550199', { lastVerifiedAt: daysAgo(30) });
    expect(d).toMatchObject({ action: 'block', reasons: ['NUMBER_REASSIGNED'] });
  });
});

describe('Live and signals together', () => {
  it('a disconnected number keeps its Live reason next to the signals', async () => {
    const d = await reset(TEST_NUMBERS.disconnected, { lastVerifiedAt: daysAgo(1) });
    // The sandbox's disconnected number was deactivated 2 days ago: not yet reassigned
    // since a verification 1 day ago, and Live blocks it anyway.
    expect(d).toMatchObject({
      action: 'block',
      reasons: ['SUBSCRIBER_DISCONNECTED'],
      reassignment: { verdict: 'not_reassigned' },
    });
  });

  it('rules turn each signal on or off and choose its action', async () => {
    const onlySwap = guard({ policy: { extends: 'passwordReset', reassignment: false } });
    const d = await onlySwap.check(N.reassigned, { lastVerifiedAt: daysAgo(30) });
    expect(d).toMatchObject({ action: 'allow', reasons: [], simSwap: { risk: 1 } });
    expect(d).not.toHaveProperty('reassignment');
    expect(addonRequests().at(-1)?.body).toEqual({
      addons: { sim_swap: {} },
      consent: { method: 1 },
    });
    const lenient = guard({
      policy: { extends: 'signup', reassignment: { reassigned: 'flag' }, simSwap: false },
    });
    const e = await lenient.check(N.reassigned, { lastVerifiedAt: daysAgo(30) });
    expect(e).toMatchObject({ action: 'flag', reasons: ['NUMBER_REASSIGNED'], useCase: 'BACS' });
    expect(e).not.toHaveProperty('simSwap');
  });

  it('invalid signal rules throw PhoneGuardOptionError at construction', () => {
    for (const policy of [
      { reassignment: 'yes' },
      { reassignment: { reassigned: 'deny' } },
      { simSwap: { risky: 'block' } },
      { simSwap: [] },
    ]) {
      expect(() =>
        createPhoneGuard({ policy: policy as never, provider: { getLiveStatus: vi.fn() } }),
      ).toThrow(
        expect.objectContaining({
          code: 'PG_INVALID_OPTION',
          option: expect.stringMatching(/^policy\.(reassignment|simSwap)/),
        }),
      );
    }
  });
});

describe('packages/core/README.md: password reset', () => {
  it('runs the example as written', async () => {
    const guard = createPhoneGuard({
      policy: 'passwordReset',
      logger: false,
      telesign: { baseUrl: sandbox.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
    });
    guards.push(guard);
    const account = { phone: N.reassigned, phoneVerifiedAt: daysAgo(30).toISOString() };
    const decision = await guard.check(account.phone, { lastVerifiedAt: account.phoneVerifiedAt });
    expect(decision.action).toBe('block');
    expect(decision.reassignment).toEqual({
      verdict: 'reassigned',
      lastDeactivatedAt: midnight(10),
      trackingSince: midnight(3650),
      lastVerifiedAt: Date.parse(account.phoneVerifiedAt),
      telesignVerdict: 'recycled',
    });
    expect(decision.simSwap).toEqual({ risk: 1, swappedAt: null });
  });

  it('the sandbox example: a disconnected number without lastVerifiedAt', async () => {
    const d = await reset(TEST_NUMBERS.disconnected);
    expect(d).toMatchObject({
      action: 'block',
      reasons: ['SUBSCRIBER_DISCONNECTED', 'REASSIGNMENT_UNKNOWN'],
    });
  });

  it('the rules examples resolve', async () => {
    const g = guard({
      policy: {
        extends: 'passwordReset',
        reassignment: { unknown: 'allow' },
        simSwap: { lowRisk: 'block', unknown: 'flag' },
      },
    });
    expect((await g.check(N.coverageGap, { lastVerifiedAt: daysAgo(30) })).action).toBe('allow');
    const noSwap = guard({ policy: { extends: 'passwordReset', simSwap: false } });
    await noSwap.check(N.neverDeactivated, { lastVerifiedAt: daysAgo(30) });
    expect(addonRequests().at(-1)?.body).toMatchObject({ addons: { number_deactivation: {} } });
    expect(addonRequests().at(-1)?.body).not.toHaveProperty('addons.sim_swap');
  });
});

describe('the reason that blocks comes first', () => {
  it('a same-day SIM swap without lastVerifiedAt: 403 names SIM_SWAPPED, not the unknown reassignment', async () => {
    const g = guard();
    const d = await g.check(N.simSwapRisk4);
    expect(d.action).toBe('block');
    expect(d.reasons[0]).toBe('SIM_SWAPPED');
    expect(d.reasons).toContain('REASSIGNMENT_UNKNOWN');
    const problem = decisionToProblem(d);
    expect(problem.status).toBe(403);
    expect(problem.problem.code).toBe('SIM_SWAPPED');
  });

  it('a roaming (flagged) number that was reassigned: NUMBER_REASSIGNED leads', async () => {
    // Live from the sandbox's roaming number, the add-ons from its reassigned one.
    const client = createTelesignClient({
      customerId: SANDBOX_CUSTOMER_ID,
      apiKey: SANDBOX_API_KEY,
      baseUrl: sandbox.url,
      retry: false,
    });
    try {
      const provider: LiveStatusProvider & PhoneIdAddonsProvider = {
        getLiveStatus: (_phone, options) => client.getLiveStatus(TEST_NUMBERS.roaming, options),
        getPhoneIdAddons: (_phone, options) => client.getPhoneIdAddons(N.reassigned, options),
      };
      const g = guard({ provider });
      const d = await g.check(N.reassigned, { lastVerifiedAt: daysAgo(30) });
      expect(d.action).toBe('block');
      expect(d.reasons).toEqual(['NUMBER_REASSIGNED', 'ROAMING']);
      expect(decisionToProblem(d).problem.code).toBe('NUMBER_REASSIGNED');
    } finally {
      await client.close();
    }
  });
});

describe('cache hits of resets', () => {
  it('a reset whose Live status was cached counts and publishes as a cache hit, even while it asks the add-ons', async () => {
    const { subscribe, unsubscribe } = await import('node:diagnostics_channel');
    const { GUARD_CHANNELS } = await import('@phone-guard/core');
    const events: { cacheHit?: boolean; useCase: string }[] = [];
    const onDecision = (event: unknown) =>
      events.push(event as { cacheHit?: boolean; useCase: string });
    subscribe(GUARD_CHANNELS.decision, onDecision);
    try {
      const g = guard();
      await g.check(TEST_NUMBERS.active, { policy: 'signup' }); // caches Live only
      await g.check(TEST_NUMBERS.active, { lastVerifiedAt: daysAgo(30) }); // asks the add-ons
      expect(events.map((e) => e.cacheHit)).toEqual([false, true]);
      expect(g.stats().hits).toBe(1);
    } finally {
      unsubscribe(GUARD_CHANNELS.decision, onDecision);
    }
  });
});
