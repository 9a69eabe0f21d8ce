/**
 * Shadow rollouts and decision labels, over real HTTP, against Express 5, Express 4,
 * Koa 3 and Koa 2 with the sandbox standing in for Telesign: in `mode: 'shadow'` a number
 * the policy blocks reaches the route and is counted as "would have blocked" (in the
 * guard's stats and on the decision channel, with the route and mode labels); invalid
 * input is still answered 422 unless `rejectInvalid: false`; `enforce` blocks a fixed
 * share of numbers.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import {
  createPhoneGuard,
  type DecisionEvent,
  GUARD_CHANNELS,
  isEnforced,
  type PhoneGuard,
} from '@phone-guard/core';
import {
  INTERNATIONAL_TEST_NUMBERS,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, expectReached } from './expectations.js';
import { type Harness, harnesses, type Mounted, type MountOptions } from './harnesses.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

const credentials = () => ({
  customerId: SANDBOX_CUSTOMER_ID,
  apiKey: SANDBOX_API_KEY,
  baseUrl: sandbox.url,
});

/** Decision events of the guard named `name`, from now until the test ends. */
const unsubscribers: (() => void)[] = [];
function decisionsOf(name: string): DecisionEvent[] {
  const events: DecisionEvent[] = [];
  const onMessage = (message: unknown) => {
    const event = message as DecisionEvent;
    if (event.guard === name) events.push(event);
  };
  diagnosticsChannel.subscribe(GUARD_CHANNELS.decision, onMessage);
  unsubscribers.push(() => diagnosticsChannel.unsubscribe(GUARD_CHANNELS.decision, onMessage));
  return events;
}

const US = TEST_NUMBERS.disconnected;
const GB = INTERNATIONAL_TEST_NUMBERS.GB.disconnected;
let guardNames = 0;

describe.each(harnesses)('$name', (harness: Harness) => {
  const mounted: Mounted[] = [];
  afterEach(async () => {
    for (const off of unsubscribers.splice(0)) off();
    await Promise.all(mounted.splice(0).map((m) => m.close()));
  });

  /** Mounts a guard named uniquely against the sandbox, through the router; returns its events too. */
  async function mount(m: MountOptions = {}): Promise<Mounted & { events: DecisionEvent[] }> {
    const name = `shadow-${++guardNames}`;
    const app = await harness.mount({
      router: true,
      ...m,
      options: { logger: false, name, telesign: credentials(), ...m.options },
    });
    mounted.push(app);
    return Object.assign(app, { events: decisionsOf(name) });
  }

  const post = (app: Mounted, phone: unknown) => request(app.url).post('/check').send({ phone });

  describe('shadow mode', () => {
    it('lets a disconnected number through and counts it as would-block', async () => {
      const app = await mount({ options: { mode: 'shadow' } });
      const first = await post(app, US); // looked up
      const again = await post(app, US); // a cache hit: the synchronous path
      for (const res of [first, again]) {
        expectReached(res, { action: 'block', reasons: ['SUBSCRIBER_DISCONNECTED'] });
      }
      expectReached(await post(app, TEST_NUMBERS.active), { action: 'allow' });
      expect(app.reached()).toBe(3);
      expect(app.guard.stats().wouldBlock).toEqual({ SUBSCRIBER_DISCONNECTED: 2 });
      expect(app.events.map(({ mode, route, action }) => ({ mode, route, action }))).toEqual([
        { mode: 'shadow', route: '/check', action: 'block' },
        { mode: 'shadow', route: '/check', action: 'block' },
        { mode: 'shadow', route: '/check', action: 'allow' },
      ]);
      expect(app.events[0]?.reasons).toEqual(['SUBSCRIBER_DISCONNECTED']);
    });

    it('still answers 422 for invalid input, and counts it', async () => {
      const app = await mount({ options: { mode: 'shadow' } });
      expectProblem(await post(app, 'call me maybe'), 422, 'PHONE_INVALID');
      expect(app.reached()).toBe(0);
      expect(app.guard.stats().wouldBlock).toEqual({ PHONE_INVALID: 1 });
      expect(app.events[0]).toMatchObject({ mode: 'shadow', action: 'block', phone: null });
    });

    it('lets invalid input through with rejectInvalid: false', async () => {
      const app = await mount({ options: { mode: 'shadow', rejectInvalid: false } });
      expectReached(await post(app, 'call me maybe'), {
        action: 'block',
        reasons: ['PHONE_INVALID'],
        phone: null,
      });
    });

    it('lets a failed look-up through when failing closed, and counts it', async () => {
      const app = await mount({ options: { mode: 'shadow', failMode: 'closed', timeoutMs: 300 } });
      const decision = expectReached(await post(app, TEST_NUMBERS.faultHang), {
        action: 'block',
        failedOpen: false,
      });
      expect(decision?.reasons).toContain('LOOKUP_FAILED');
      expect(app.guard.stats().wouldBlock).toEqual({ LOOKUP_FAILED: 1 });
    });

    it('enforces a fixed share of numbers with enforce, the same for a number every time', async () => {
      // The two disconnected test numbers fall on either side of a half share.
      expect([isEnforced(GB, 0.5), isEnforced(US, 0.5)]).toEqual([true, false]);
      const app = await mount({ options: { mode: 'shadow', enforce: 0.5 } });
      for (let i = 0; i < 2; i++) {
        expectProblem(await post(app, GB), 403, 'SUBSCRIBER_DISCONNECTED');
        expectReached(await post(app, US), { action: 'block' });
      }
      expect(app.events.map((e) => e.mode)).toEqual(['block', 'shadow', 'block', 'shadow']);
      expect(app.guard.stats().wouldBlock).toEqual({ SUBSCRIBER_DISCONNECTED: 2 });
    });

    it('counts per guard when routes share one guard, with each route on its events', async () => {
      const guard: PhoneGuard = createPhoneGuard({
        name: 'shared-shadow',
        logger: false,
        telesign: credentials(),
      });
      const events = decisionsOf('shared-shadow');
      try {
        const shadow = await harness.mount({
          router: true,
          options: { guard, mode: 'shadow', route: '/signup' },
        });
        const enforcing = await harness.mount({ router: true, options: { guard } });
        mounted.push(shadow, enforcing);
        expectReached(await post(shadow, US), { action: 'block' });
        expectProblem(await post(enforcing, US), 403, 'SUBSCRIBER_DISCONNECTED');
        expect(guard.stats().wouldBlock).toEqual({ SUBSCRIBER_DISCONNECTED: 1 });
        expect(events.map(({ mode, route }) => ({ mode, route }))).toEqual([
          { mode: 'shadow', route: '/signup' },
          { mode: 'block', route: '/check' },
        ]);
      } finally {
        await Promise.all(mounted.splice(0).map((m) => m.close()));
        await guard.close();
      }
    });
  });

  describe('labels in other modes', () => {
    it('block and annotate events carry their mode; an app-wide mount has no route', async () => {
      const block = await mount();
      await post(block, US);
      const annotate = await mount({ options: { mode: 'annotate' } });
      await post(annotate, US);
      const appWide = await mount({ appWide: true, router: false });
      await post(appWide, TEST_NUMBERS.active);
      expect(block.events[0]).toMatchObject({ mode: 'block', route: '/check' });
      expect(annotate.events[0]).toMatchObject({ mode: 'annotate', route: '/check' });
      expect(appWide.events[0]).toMatchObject({ mode: 'block', route: undefined });
      expect(block.guard.stats().wouldBlock).toEqual({});
      expect(annotate.guard.stats().wouldBlock).toEqual({});
    });

    it('annotate lets invalid input through, unless rejectInvalid: true', async () => {
      const annotate = await mount({ options: { mode: 'annotate' } });
      expectReached(await post(annotate, 'nope'), { reasons: ['PHONE_INVALID'] });
      const strict = await mount({ options: { mode: 'annotate', rejectInvalid: true } });
      expectProblem(await post(strict, 'nope'), 422, 'PHONE_INVALID');
      expectReached(await post(strict, US), { action: 'block' });
    });

    it('block mode lets invalid input through with rejectInvalid: false', async () => {
      const app = await mount({ options: { rejectInvalid: false } });
      expectReached(await post(app, 'nope'), { reasons: ['PHONE_INVALID'], phone: null });
      expectProblem(await post(app, US), 403, 'SUBSCRIBER_DISCONNECTED');
    });
  });

  describe('options', () => {
    it.each<[string, unknown]>([
      ['enforce without shadow mode', { enforce: 0.5 }],
      ['enforce in annotate mode', { mode: 'annotate', enforce: 0.5 }],
      ['enforce above 1', { mode: 'shadow', enforce: 2 }],
      ['enforce NaN', { mode: 'shadow', enforce: Number.NaN }],
      ['a route that is not a string', { route: /\/signup/ }],
      ['a route longer than 128 characters', { route: `/${'a'.repeat(128)}` }],
      ['an empty route', { route: '' }],
      ['rejectInvalid that is not a boolean', { rejectInvalid: 'yes' }],
    ])('throws PhoneGuardOptionError at construction for %s', (_name, options) => {
      const base = { logger: false, telesign: credentials() };
      expect(() => harness.create({ ...base, ...(options as object) })).toThrow(
        expect.objectContaining({ name: 'PhoneGuardOptionError', code: 'PG_INVALID_OPTION' }),
      );
    });

    it('accepts the same options with valid values', async () => {
      const options = { mode: 'shadow', enforce: 0.25, route: '/signup', rejectInvalid: false };
      await harness.create({ logger: false, telesign: credentials(), ...options }).close();
    });
  });
});
