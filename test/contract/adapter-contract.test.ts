/**
 * The adapter contract: the same cases, over real HTTP, against Express 5, Express 4,
 * Koa 3 and Koa 2, with the real sandbox standing in for Telesign (its US and GB test
 * numbers). Every case asserts
 * the status, the content type and the body.
 */
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import {
  type CheckOptions,
  createPhoneGuard,
  type PhoneGuard,
  type PhoneGuardOptions,
} from '@phone-guard/core';
import {
  ADDON_TEST_NUMBERS,
  INTERNATIONAL_TEST_NUMBERS,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { digitsOf, expectProblem, expectReached, JSON_TYPE } from './expectations.js';
import { type Harness, harnesses, type Mounted, type MountOptions } from './harnesses.js';

let sandbox: Sandbox;
let closedPortUrl: string;

/** A URL nothing listens on (a port that was free a moment ago). */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  sandbox = await startSandbox();
  closedPortUrl = await closedPort();
});

afterAll(async () => {
  await sandbox?.close();
});

/** Telesign settings pointing at the sandbox. */
function credentials() {
  return { customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY, baseUrl: sandbox.url };
}

describe.each(harnesses)('$name', (harness: Harness) => {
  const mounted: Mounted[] = [];

  afterEach(async () => {
    await Promise.all(mounted.splice(0).map((m) => m.close()));
  });

  /** Mounts the guard against the sandbox (unless `telesign` says otherwise). */
  async function mount(m: MountOptions = {}): Promise<Mounted> {
    const options = m.options ?? {};
    const app = await harness.mount({
      ...m,
      options: {
        logger: false,
        ...options,
        ...(options.guard === undefined
          ? { telesign: { ...credentials(), ...options.telesign } }
          : {}),
      },
    });
    mounted.push(app);
    return app;
  }

  describe('decisions', () => {
    it('lets an active number through with an allow decision', async () => {
      const app = await mount();
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.active });
      expectReached(res, {
        action: 'allow',
        reasons: [],
        phone: { e164: TEST_NUMBERS.active, digits: TEST_NUMBERS.active.slice(1), country: 'US' },
        useCase: 'BACS',
        failedOpen: false,
      });
    });

    it('blocks a disconnected number with 403 SUBSCRIBER_DISCONNECTED', async () => {
      const app = await mount();
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.disconnected });
      expectProblem(res, 403, 'SUBSCRIBER_DISCONNECTED', {
        title: 'Phone number not accepted',
        detail: 'This phone number is no longer in service.',
        reasons: ['SUBSCRIBER_DISCONNECTED'],
      });
      expect(app.reached()).toBe(0);
    });

    it.each([
      ['unreachable', { extends: 'signup', unreachable: 'block' }, 'DEVICE_UNREACHABLE'],
      ['roaming', { extends: 'passwordReset', roaming: 'block' }, 'ROAMING'],
      ['voip', { extends: 'signup', phoneTypes: { '5': 'block' } }, 'RISKY_PHONE_TYPE'],
      ['notFound', { extends: 'signup', unknown: 'block' }, 'STATUS_UNKNOWN'],
    ] as const)('blocks %s when the route policy says so (403 %s)', async (name, policy, code) => {
      const app = await mount({ options: { policy } });
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS[name] });
      expectProblem(res, 403, code);
    });

    it('blocks with the passwordReset preset per route', async () => {
      const app = await mount({ options: { policy: 'passwordReset' } });
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.disconnected });
      expectProblem(res, 403, 'SUBSCRIBER_DISCONNECTED');
    });

    it('lets a flagged number through with the flag on the decision', async () => {
      const app = await mount();
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.unreachable });
      expectReached(res, { action: 'flag', reasons: ['DEVICE_UNREACHABLE'], failedOpen: false });
    });

    it('uses the route use case', async () => {
      const app = await mount({ options: { useCase: 'PWRT' } });
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.active });
      expectReached(res, { action: 'allow', useCase: 'PWRT' });
    });
  });

  describe('invalid input', () => {
    it.each([
      ['missing', {}, 'PHONE_MISSING'],
      ['null', { phone: null }, 'PHONE_MISSING'],
      ['empty', { phone: '' }, 'PHONE_MISSING'],
      ['a number', { phone: 14155550100 }, 'PHONE_NOT_STRING'],
      ['an array', { phone: [TEST_NUMBERS.active] }, 'PHONE_NOT_STRING'],
      ['an object', { phone: { e164: TEST_NUMBERS.active } }, 'PHONE_NOT_STRING'],
      ['a boolean', { phone: true }, 'PHONE_NOT_STRING'],
      ['huge', { phone: `+1${'4'.repeat(20_000)}` }, 'PHONE_TOO_LONG'],
      ['not a number', { phone: 'call me maybe' }, 'PHONE_INVALID'],
      ['without a country code', { phone: '415 555 0100' }, 'PHONE_COUNTRY_REQUIRED'],
    ])('answers 422 for %s', async (_name, body, errorCode) => {
      const app = await mount();
      const res = await request(app.url).post('/check').send(body);
      expectProblem(res, 422, 'PHONE_INVALID', {
        title: 'Invalid phone number',
        reasons: ['PHONE_INVALID'],
        errorCode,
      });
      expect(app.reached()).toBe(0);
    });

    it('answers 422 for a repeated query parameter', async () => {
      const app = await mount({ options: { methods: ['GET'], query: true } });
      const res = await request(app.url)
        .get('/check')
        .query(`phone=${encodeURIComponent(TEST_NUMBERS.active)}&phone=2`);
      expectProblem(res, 422, 'PHONE_INVALID', { errorCode: 'PHONE_NOT_STRING' });
    });

    it('does not look the number up in the prototype chain', async () => {
      const app = await mount({ options: { field: 'toString' } });
      const res = await request(app.url).post('/check').send({ name: 'Ada' });
      expectProblem(res, 422, 'PHONE_INVALID', { errorCode: 'PHONE_MISSING' });
    });
  });

  describe('where the number is read', () => {
    it('reads a urlencoded body', async () => {
      const app = await mount();
      const res = await request(app.url)
        .post('/check')
        .type('form')
        .send({ phone: TEST_NUMBERS.disconnected });
      expectProblem(res, 403, 'SUBSCRIBER_DISCONNECTED');
    });

    it('reads the query string when the body lacks the field, with query: true', async () => {
      const app = await mount({ options: { query: true } });
      const res = await request(app.url)
        .post('/check')
        .query({ phone: TEST_NUMBERS.active })
        .send({ name: 'Ada' });
      expectReached(res, { action: 'allow', phone: { e164: TEST_NUMBERS.active } });
    });

    it('prefers the body over the query string', async () => {
      const app = await mount({ options: { query: true } });
      const res = await request(app.url)
        .post('/check')
        .query({ phone: TEST_NUMBERS.active })
        .send({ phone: TEST_NUMBERS.disconnected });
      expectProblem(res, 403, 'SUBSCRIBER_DISCONNECTED');
    });

    it('follows a dotted field path in JSON, urlencoded and query strings', async () => {
      const app = await mount({
        options: { field: 'user.phone', query: true, methods: ['GET', 'POST'] },
      });
      const json = await request(app.url)
        .post('/check')
        .send({ user: { phone: TEST_NUMBERS.disconnected } });
      expectProblem(json, 403, 'SUBSCRIBER_DISCONNECTED');
      const form = await request(app.url)
        .post('/check')
        .type('form')
        .send(`user[phone]=${encodeURIComponent(TEST_NUMBERS.disconnected)}`);
      expectProblem(form, 403, 'SUBSCRIBER_DISCONNECTED');
      const query = await request(app.url)
        .get('/check')
        .query(`user.phone=${encodeURIComponent(TEST_NUMBERS.active)}`);
      expectReached(query, { action: 'allow' });
      const missing = await request(app.url).post('/check').send({ user: 'Ada' });
      expectProblem(missing, 422, 'PHONE_INVALID', { errorCode: 'PHONE_MISSING' });
    });

    it('uses getPhone (async) instead of a field', async () => {
      const app = await mount({ phoneHeader: 'x-phone' });
      const res = await request(app.url)
        .post('/check')
        .set('x-phone', TEST_NUMBERS.disconnected)
        .send({ phone: TEST_NUMBERS.active });
      expectProblem(res, 403, 'SUBSCRIBER_DISCONNECTED');
    });

    it('reads the query string of a body-less request without a body parser', async () => {
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m), error: () => {} };
      const app = await mount({
        bodyParser: false,
        options: { logger, methods: ['GET'], query: true },
      });
      const res = await request(app.url).get('/check').query({ phone: TEST_NUMBERS.active });
      expectReached(res, { action: 'allow' });
      expect(warnings).toEqual([]);
    });

    it('says once, clearly, that no body parser ran when a body arrives', async () => {
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m), error: () => {} };
      const app = await mount({ bodyParser: false, options: { logger } });
      for (let i = 0; i < 2; i++) {
        const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.active });
        expectProblem(res, 422, 'PHONE_INVALID', { errorCode: 'PHONE_MISSING' });
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/no body parser ran before phoneGuard\(\)/);
      expect(warnings[0]).not.toContain(digitsOf(TEST_NUMBERS.active));
    });
  });

  describe('modes and hooks', () => {
    it('annotate mode never blocks', async () => {
      const app = await mount({ options: { mode: 'annotate' } });
      const blocked = await request(app.url)
        .post('/check')
        .send({ phone: TEST_NUMBERS.disconnected });
      expectReached(blocked, { action: 'block', reasons: ['SUBSCRIBER_DISCONNECTED'] });
      const invalid = await request(app.url).post('/check').send({ phone: 'nope' });
      expectReached(invalid, { action: 'block', reasons: ['PHONE_INVALID'], phone: null });
    });

    it('skip lets a request through unchecked, with no decision', async () => {
      const app = await mount({ skipHeader: 'x-internal' });
      const skipped = await request(app.url)
        .post('/check')
        .set('x-internal', '1')
        .send({ phone: TEST_NUMBERS.disconnected });
      expectReached(skipped, null);
      const checked = await request(app.url)
        .post('/check')
        .send({ phone: TEST_NUMBERS.disconnected });
      expectProblem(checked, 403, 'SUBSCRIBER_DISCONNECTED');
    });

    it('onBlocked answers blocked requests instead of problem+json', async () => {
      const app = await mount({ customBlock: true });
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.disconnected });
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toMatch(JSON_TYPE);
      expect(res.body).toEqual({ custom: true, reasons: ['SUBSCRIBER_DISCONNECTED'] });
      const ok = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.active });
      expectReached(ok, { action: 'allow' });
    });

    it('sends errors thrown by getPhone to the error handler', async () => {
      const app = await mount({ getPhoneThrows: true });
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.active });
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(JSON_TYPE);
      expect(res.body).toEqual({ error: 'getPhone failed' });
    });

    it('sends a rejected onBlocked to the error handler', async () => {
      const app = await mount({ customBlockRejects: true });
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.disconnected });
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(JSON_TYPE);
      expect(res.body).toEqual({ error: 'onBlocked failed' });
    });
  });

  describe('upstream failures', () => {
    const down = (failMode: 'open' | 'closed'): MountOptions => ({
      options: { failMode, timeoutMs: 1500, telesign: { baseUrl: closedPortUrl } },
    });
    const hanging = (failMode: 'open' | 'closed'): MountOptions => ({
      options: { failMode, timeoutMs: 300 },
    });

    it('fails open when the upstream is down', async () => {
      const app = await mount(down('open'));
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.active });
      const decision = expectReached(res, { action: 'flag', failedOpen: true, source: 'none' });
      expect(decision?.reasons).toContain('LOOKUP_FAILED');
    });

    it('fails closed with 503 when the upstream is down', async () => {
      const app = await mount(down('closed'));
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.active });
      expectProblem(res, 503, 'LOOKUP_FAILED', {
        title: 'Phone number check unavailable',
        detail: 'The phone number could not be checked right now. Please try again later.',
      });
    });

    it('fails open when the upstream hangs past timeoutMs', async () => {
      const app = await mount(hanging('open'));
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.faultHang });
      const decision = expectReached(res, { action: 'flag', failedOpen: true });
      expect(decision?.reasons).toContain('LOOKUP_FAILED');
    });

    it('fails closed with 503 when the upstream hangs past timeoutMs', async () => {
      const app = await mount(hanging('closed'));
      const started = Date.now();
      const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.faultHang });
      expectProblem(res, 503, 'LOOKUP_FAILED');
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });

  describe('shared guard', () => {
    it('uses a shared guard, with a per-route failMode, and never closes it', async () => {
      const options: PhoneGuardOptions = {
        telesign: { ...credentials(), baseUrl: closedPortUrl },
        timeoutMs: 1000,
        logger: false,
      };
      const guard = createPhoneGuard(options);
      try {
        const open = await mount({ options: { guard } });
        const closed = await mount({ options: { guard, failMode: 'closed' } });
        expect(open.guard).toBe(guard);
        const a = await request(open.url).post('/check').send({ phone: TEST_NUMBERS.active });
        expectReached(a, { action: 'flag', failedOpen: true });
        const b = await request(closed.url).post('/check').send({ phone: TEST_NUMBERS.active });
        expectProblem(b, 503, 'LOOKUP_FAILED');
        await Promise.all(mounted.splice(0).map((m) => m.close()));
        const after = await guard.check(TEST_NUMBERS.active);
        expect(after.error?.code).not.toBe('GUARD_CLOSED');
      } finally {
        await guard.close();
      }
    });
  });

  describe('shared guard with per-route policies', () => {
    // Live requests: the passwordReset route also asks the billed add-ons (issue 12).
    const roamingRequests = () =>
      sandbox.requests.filter(
        (r) => r.digits === TEST_NUMBERS.roaming.slice(1) && r.endpoint === 'live',
      );

    async function routes(guard: ReturnType<typeof createPhoneGuard>) {
      const signup = await mount({ options: { guard } });
      const reset = await mount({ options: { guard, policy: 'passwordReset' } });
      return { signup, reset };
    }

    it('one guard serves a signup and a passwordReset route with one upstream request', async () => {
      const guard = createPhoneGuard({ telesign: credentials(), logger: false });
      try {
        const { signup, reset } = await routes(guard);
        const before = roamingRequests().length;
        const a = await request(signup.url).post('/check').send({ phone: TEST_NUMBERS.roaming });
        expectReached(a, { action: 'allow', reasons: [], useCase: 'BACS', source: 'upstream' });
        const b = await request(reset.url).post('/check').send({ phone: TEST_NUMBERS.roaming });
        // No getLastVerifiedAt on this route: the reassignment verdict is unknown (flagged).
        expectReached(b, {
          action: 'flag',
          reasons: ['ROAMING', 'REASSIGNMENT_UNKNOWN'],
          useCase: 'PWRT',
          source: 'cache',
          failedOpen: false,
        });
        expect(roamingRequests().length - before).toBe(1);
        expect(roamingRequests().at(-1)?.ucid).toBe('BACS');
        expect(guard.stats()).toMatchObject({ lookups: 1, hits: 1 });
      } finally {
        await guard.close();
      }
    });

    it('concurrent requests on both routes share one look-up and decide per route', async () => {
      const guard = createPhoneGuard({ telesign: credentials(), logger: false });
      try {
        const { signup, reset } = await routes(guard);
        const before = roamingRequests().length;
        const [a, b] = await Promise.all([
          request(reset.url).post('/check').send({ phone: TEST_NUMBERS.roaming }),
          request(signup.url).post('/check').send({ phone: TEST_NUMBERS.roaming }),
        ]);
        expectReached(a, {
          action: 'flag',
          reasons: ['ROAMING', 'REASSIGNMENT_UNKNOWN'],
          useCase: 'PWRT',
        });
        expectReached(b, { action: 'allow', reasons: [], useCase: 'BACS' });
        expect(roamingRequests().length - before).toBe(1);
      } finally {
        await guard.close();
      }
    });

    it('a per-route policy blocks with 403 on its route only', async () => {
      const guard = createPhoneGuard({ telesign: credentials(), logger: false });
      try {
        const open = await mount({ options: { guard } });
        const strict = await mount({
          options: { guard, policy: { extends: 'passwordReset', roaming: 'block' } },
        });
        const res = await request(strict.url).post('/check').send({ phone: TEST_NUMBERS.roaming });
        expectProblem(res, 403, 'ROAMING', { reasons: ['ROAMING', 'REASSIGNMENT_UNKNOWN'] });
        const ok = await request(open.url).post('/check').send({ phone: TEST_NUMBERS.roaming });
        expectReached(ok, { action: 'allow', source: 'cache' });
      } finally {
        await guard.close();
      }
    });

    it('validates a per-route policy at construction, with or without a shared guard', async () => {
      const provider = { getLiveStatus: () => Promise.reject(new Error('unused')) };
      const guard = createPhoneGuard({ provider, logger: false });
      try {
        for (const policy of ['login', { roaming: 'deny' }, { roam: 'flag' }, 42]) {
          for (const options of [
            { guard, policy },
            { policy, provider },
          ]) {
            expect(() => harness.create(options)).toThrow(
              expect.objectContaining({
                name: 'PhoneGuardOptionError',
                code: 'PG_INVALID_OPTION',
                option: expect.stringMatching(/^policy/),
              }),
            );
          }
        }
        // Other guard options still cannot go next to a shared guard.
        expect(() => harness.create({ guard, policy: 'signup', timeoutMs: 5 })).toThrow(
          expect.objectContaining({ option: 'timeoutMs' }),
        );
      } finally {
        await guard.close();
      }
    });
  });

  describe('client disconnects', () => {
    it('aborts the look-up when the client goes away mid-check', async () => {
      let aborted!: () => void;
      const abortedP = new Promise<void>((resolve) => {
        aborted = resolve;
      });
      let called!: () => void;
      const calledP = new Promise<void>((resolve) => {
        called = resolve;
      });
      const app = await mount({
        options: {
          timeoutMs: 15_000,
          provider: {
            getLiveStatus: (_phone, lookup) =>
              new Promise((_resolve, reject) => {
                called();
                lookup?.signal?.addEventListener('abort', () => {
                  aborted();
                  reject(lookup.signal?.reason);
                });
              }),
          },
        },
      });
      const body = JSON.stringify({ phone: TEST_NUMBERS.active });
      const req = httpRequest(`${app.url}/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('error', () => {});
      req.end(body);
      await calledP;
      req.destroy();
      await abortedP;
      expect(app.reached()).toBe(0);
    });
  });

  describe('country per request', () => {
    const GB = INTERNATIONAL_TEST_NUMBERS.GB;
    /** `+447400123100` written as a UK user types it: `07400 123100`. */
    const national = (e164: string) => `0${e164.slice(3, 7)} ${e164.slice(7)}`;

    it.each(['GB', 'gb', ' gb '])(
      'reads countryField %j for a national number',
      async (country) => {
        const app = await mount({ options: { countryField: 'country' } });
        const res = await request(app.url)
          .post('/check')
          .send({ phone: national(GB.active), country });
        expectReached(res, { action: 'allow', phone: { e164: GB.active, country: 'GB' } });
      },
    );

    it('blocks a disconnected national number with 403', async () => {
      const app = await mount({ options: { countryField: 'address.country' } });
      const res = await request(app.url)
        .post('/check')
        .type('form')
        .send(`phone=${national(GB.disconnected)}&address[country]=GB`);
      expectProblem(res, 403, 'SUBSCRIBER_DISCONNECTED');
      expect(res.text).not.toContain(GB.disconnected.slice(-6));
    });

    const unusable: [string, unknown][] = [
      ['XX (Cloudflare: unknown)', 'XX'],
      ['T1 (Cloudflare: Tor)', 'T1'],
      ['an empty string', ''],
      ['UK (not ISO 3166)', 'UK'],
      ['__proto__', '__proto__'],
      ['CRLF', 'GB\r\nX-Injected: 1'],
      ['10 KB', 'G'.repeat(10_240)],
      ['an array', ['GB']],
      ['an object', { toString: 'GB' }],
      ['a number', 44],
      ['null', null],
    ];

    it.each(unusable)(
      'answers 422 PHONE_COUNTRY_REQUIRED for country %s',
      async (_name, country) => {
        const app = await mount({ options: { countryField: 'country' } });
        const res = await request(app.url)
          .post('/check')
          .send({ phone: national(GB.active), country });
        expectProblem(res, 422, 'PHONE_INVALID', { errorCode: 'PHONE_COUNTRY_REQUIRED' });
        expect(res.headers['x-injected']).toBeUndefined();
        expect(app.reached()).toBe(0);
      },
    );

    it('checks a + number whatever the country says', async () => {
      const app = await mount({ options: { countryField: 'country' } });
      for (const country of ['XX', 'DE', '']) {
        const res = await request(app.url).post('/check').send({ phone: GB.active, country });
        expectReached(res, { action: 'allow', phone: { e164: GB.active } });
      }
    });

    it.each([
      ['GB', 200],
      ['gb', 200],
      ['XX', 422],
      ['T1', 422],
      ['__proto__', 422],
      ['G'.repeat(10_240), 422],
    ] as const)('reads getCountry from a header: %s → %i', async (value, status) => {
      const app = await mount({ countryHeader: 'cf-ipcountry' });
      const res = await request(app.url)
        .post('/check')
        .set('cf-ipcountry', value)
        .send({ phone: national(GB.active) });
      if (status === 200) expectReached(res, { action: 'allow', phone: { e164: GB.active } });
      else expectProblem(res, 422, 'PHONE_INVALID', { errorCode: 'PHONE_COUNTRY_REQUIRED' });
    });

    it('runs without a country when getCountry throws, warning once', async () => {
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m), error: () => {} };
      const app = await mount({ getCountryThrows: true, options: { logger } });
      const bad = await request(app.url)
        .post('/check')
        .send({ phone: national(GB.active) });
      expectProblem(bad, 422, 'PHONE_INVALID', { errorCode: 'PHONE_COUNTRY_REQUIRED' });
      const ok = await request(app.url).post('/check').send({ phone: GB.active });
      expectReached(ok, { action: 'allow' });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/PG_GET_COUNTRY_FAILED: getCountry threw TypeError/);
    });
  });

  describe('safe mounting', () => {
    it('lets GET, HEAD and OPTIONS through an app-wide mount unchecked', async () => {
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m), error: () => {} };
      const app = await mount({ appWide: true, options: { logger } });
      const health = await request(app.url).get('/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ ok: true });
      expectReached(await request(app.url).options('/check'), null);
      const head = await request(app.url).head('/check');
      expect(head.status).toBe(200);
      expect(app.reached()).toBe(2);
      expect(warnings).toEqual([]);
      // A POST is still checked.
      const post = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.disconnected });
      expectProblem(post, 403, 'SUBSCRIBER_DISCONNECTED');
    });

    it('says once that a GET with the number in its query passed unchecked', async () => {
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m), error: () => {} };
      const app = await mount({ appWide: true, options: { logger } });
      for (let i = 0; i < 2; i++) {
        const res = await request(app.url)
          .get('/check')
          .query({ phone: TEST_NUMBERS.disconnected });
        expectReached(res, null);
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/PG_METHOD_NOT_CHECKED: .*methods: \['GET'/);
      expect(warnings[0]).not.toContain(digitsOf(TEST_NUMBERS.disconnected));
    });

    it('checks GET when methods asks for it', async () => {
      const app = await mount({
        appWide: true,
        options: { methods: ['GET', 'POST'], query: true },
      });
      const res = await request(app.url).get('/check').query({ phone: TEST_NUMBERS.disconnected });
      expectProblem(res, 403, 'SUBSCRIBER_DISCONNECTED');
    });

    it('does not read a query-only number on a POST by default, and says so once', async () => {
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m), error: () => {} };
      const app = await mount({ options: { logger } });
      for (let i = 0; i < 2; i++) {
        const res = await request(app.url)
          .post('/check')
          .query({ phone: TEST_NUMBERS.active })
          .send({ name: 'Ada' });
        expectProblem(res, 422, 'PHONE_INVALID', { errorCode: 'PHONE_MISSING' });
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/PG_QUERY_IGNORED: .*query: true/);
      expect(warnings[0]).not.toContain(digitsOf(TEST_NUMBERS.active));
    });
  });

  describe('runtime warnings', () => {
    it('warns once when the middleware is created per request', async () => {
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m), error: () => {} };
      const guard = createPhoneGuard({ telesign: credentials(), logger: false });
      try {
        const app = await mount({ perRequest: true, options: { guard, logger } });
        for (let i = 0; i < 3; i++) {
          const res = await request(app.url).post('/check').send({ phone: TEST_NUMBERS.active });
          expectReached(res, { action: 'allow' });
        }
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/^@phone-guard\/(express|koa) PG_CREATED_IN_REQUEST: /);
      } finally {
        await guard.close();
      }
    });
  });

  describe('getLastVerifiedAt', () => {
    /** A shared guard that records the lastVerifiedAt each check receives. */
    function recordingGuard() {
      const real = createPhoneGuard({ telesign: credentials(), logger: false });
      const seen: unknown[] = [];
      const guard = {
        check: (input: unknown, options?: CheckOptions) => {
          seen.push(options?.lastVerifiedAt);
          return real.check(input, options);
        },
        stats: () => real.stats(),
        close: () => real.close(),
      } as unknown as PhoneGuard;
      return { guard, seen, close: () => real.close() };
    }

    it('passes the date to the check', async () => {
      const spy = recordingGuard();
      try {
        const app = await mount({
          verifiedAtHeader: 'x-verified-at',
          options: { guard: spy.guard },
        });
        const res = await request(app.url)
          .post('/check')
          .set('x-verified-at', '2024-05-01T00:00:00Z')
          .send({ phone: TEST_NUMBERS.active });
        expectReached(res, { action: 'allow' });
        expect(spy.seen).toEqual(['2024-05-01T00:00:00Z']);
      } finally {
        await spy.close();
      }
    });

    it('runs the check without it when getLastVerifiedAt rejects, never a 5xx', async () => {
      const warnings: string[] = [];
      const logger = { warn: (m: string) => warnings.push(m), error: () => {} };
      const spy = recordingGuard();
      try {
        const app = await mount({
          getLastVerifiedAtThrows: true,
          options: { guard: spy.guard, logger },
        });
        for (const phone of [TEST_NUMBERS.active, TEST_NUMBERS.disconnected]) {
          const res = await request(app.url).post('/check').send({ phone });
          expect(res.status).toBeLessThan(500);
        }
        expect(spy.seen).toEqual([undefined, undefined]);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain('PG_GET_LAST_VERIFIED_AT_FAILED');
      } finally {
        await spy.close();
      }
    });
  });

  describe('password reset: reassigned numbers and SIM swaps', () => {
    const DAY = 86_400_000;
    const verifiedDaysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

    /** A passwordReset route reading lastVerifiedAt from `x-verified-at`. */
    function resetRoute(options: MountOptions['options'] = {}) {
      return mount({
        verifiedAtHeader: 'x-verified-at',
        options: { policy: 'passwordReset', ...options },
      });
    }

    function expectNoNumber(res: { text: string }): void {
      for (const phone of Object.values(ADDON_TEST_NUMBERS)) {
        expect(res.text).not.toContain(phone.slice(-7));
      }
    }

    it('answers 403 NUMBER_REASSIGNED for a number deactivated since the user proved it', async () => {
      const app = await resetRoute();
      const res = await request(app.url)
        .post('/check')
        .set('x-verified-at', verifiedDaysAgo(30))
        .send({ phone: ADDON_TEST_NUMBERS.reassigned });
      expectProblem(res, 403, 'NUMBER_REASSIGNED', {
        reasons: ['NUMBER_REASSIGNED'],
        title: 'Phone number not accepted',
        detail: expect.stringMatching(/another way to verify/),
      });
      expectNoNumber(res);
      expect(app.reached()).toBe(0);
    });

    it('lets the same number through when it was proved after the deactivation', async () => {
      const app = await resetRoute();
      const res = await request(app.url)
        .post('/check')
        .set('x-verified-at', verifiedDaysAgo(5))
        .send({ phone: ADDON_TEST_NUMBERS.reassigned });
      expectReached(res, {
        action: 'allow',
        reasons: [],
        useCase: 'PWRT',
        reassignment: { verdict: 'not_reassigned', telesignVerdict: 'not_recycled' },
        simSwap: { risk: 1, swappedAt: null },
      });
    });

    it('answers 403 SIM_SWAPPED for a SIM swapped within 72 hours', async () => {
      const app = await resetRoute();
      const res = await request(app.url)
        .post('/check')
        .set('x-verified-at', verifiedDaysAgo(30))
        .send({ phone: ADDON_TEST_NUMBERS.simSwapRisk4 });
      expectProblem(res, 403, 'SIM_SWAPPED', { reasons: ['SIM_SWAPPED'] });
      expectNoNumber(res);
    });

    it('passes a flagged unknown verdict, annotated (no date, or a date that is not one)', async () => {
      const app = await resetRoute();
      const none = await request(app.url)
        .post('/check')
        .send({ phone: ADDON_TEST_NUMBERS.neverDeactivated });
      expectReached(none, {
        action: 'flag',
        reasons: ['REASSIGNMENT_UNKNOWN'],
        reassignment: { verdict: 'unknown', reason: 'NO_LAST_VERIFIED_AT' },
        simSwap: { risk: 1 },
      });
      const bad = await request(app.url)
        .post('/check')
        .set('x-verified-at', 'last tuesday')
        .send({ phone: ADDON_TEST_NUMBERS.neverDeactivated });
      expectReached(bad, {
        action: 'flag',
        reassignment: { verdict: 'unknown', reason: 'LAST_VERIFIED_AT_INVALID' },
      });
      const gap = await request(app.url)
        .post('/check')
        .set('x-verified-at', verifiedDaysAgo(30))
        .send({ phone: ADDON_TEST_NUMBERS.coverageGap });
      expectReached(gap, {
        action: 'flag',
        reassignment: { verdict: 'unknown', reason: 'COVERAGE_GAP' },
      });
      expect(app.reached()).toBe(3);
    });

    it('annotate mode passes a reassigned number with its verdict for the route to act on', async () => {
      const app = await resetRoute({ mode: 'annotate' });
      const res = await request(app.url)
        .post('/check')
        .set('x-verified-at', verifiedDaysAgo(30))
        .send({ phone: ADDON_TEST_NUMBERS.reassigned });
      expectReached(res, {
        action: 'block',
        reasons: ['NUMBER_REASSIGNED'],
        reassignment: { verdict: 'reassigned' },
      });
    });

    it('the signup route of the same guard never asks the add-ons', async () => {
      const guard = createPhoneGuard({ telesign: credentials(), logger: false });
      try {
        const signup = await mount({ options: { guard }, verifiedAtHeader: 'x-verified-at' });
        const before = sandbox.requests.filter((r) => r.endpoint === 'phoneid').length;
        const res = await request(signup.url)
          .post('/check')
          .set('x-verified-at', verifiedDaysAgo(30))
          .send({ phone: ADDON_TEST_NUMBERS.reassigned });
        expectReached(res, { action: 'allow', useCase: 'BACS' });
        expect((res.body as { phoneGuard: object }).phoneGuard).not.toHaveProperty('reassignment');
        expect(sandbox.requests.filter((r) => r.endpoint === 'phoneid').length).toBe(before);
      } finally {
        await guard.close();
      }
    });
  });

  describe('options', () => {
    it.each<[string, unknown]>([
      ['an unknown key', { feild: 'phone' }],
      ['a guard that is not one', { guard: {} }],
      ['a bad mode', { mode: 'deny' }],
      ['an unsafe field', { field: 'constructor.prototype' }],
      ['field and getPhone together', { field: 'phone', getPhone: () => '' }],
    ])('throws PhoneGuardOptionError at construction for %s', (_name, options) => {
      expect(() => harness.create(options)).toThrow(
        expect.objectContaining({ name: 'PhoneGuardOptionError', code: 'PG_INVALID_OPTION' }),
      );
    });
  });
});
