import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import {
  createPhoneGuard,
  type Decision,
  GUARD_CHANNELS,
  isPhoneGuardError,
  type Logger,
  type PhoneGuard,
  type PhoneGuardOptions,
} from '@phone-guard/core';
import { phoneGuard } from '@phone-guard/express';
import { type Sandbox, startSandbox, TEST_NUMBERS } from '@phone-guard/sandbox';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorBody, type FakeTelesign, liveBody, startFakeTelesign } from './fake-telesign.js';

// Issue 11: a failure must never become a bypass, misconfiguration must be loud, outages
// must not last longer for the guard than upstream, and upstream text must never leak a
// credential. Everything runs over real HTTP (a fake Telesign with programmable faults,
// or the sandbox for authentication); where time matters, the guard's clock is injected.

const CUSTOMER_ID = 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890';
const API_KEY = 'cGhvbmUtZ3VhcmQgc2FuZGJveCBBUEkga2V5IC0gbm90IGEgc2VjcmV0IQ==';
const WRONG_KEY = 'd3JvbmcgYXBpIGtleSBmb3IgdGhlIHNhbmRib3ggLSBub3QgYSBzZWNyZXQ=';

/** A logger that keeps every line (and the text of every Error passed to it). */
function recordingLogger(): Logger & { lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  const text = (args: unknown[]) =>
    args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' ');
  return {
    lines,
    warn: (...args: unknown[]) => lines.push({ level: 'warn', text: text(args) }),
    error: (...args: unknown[]) => lines.push({ level: 'error', text: text(args) }),
  };
}

/** Distinct valid US numbers, one per index. */
const fresh = (i: number) => `+1415555${String(2000 + i).padStart(4, '0')}`;

function manualClock(start = 1_800_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const guards: PhoneGuard[] = [];
const fakes: FakeTelesign[] = [];
afterEach(async () => {
  await Promise.all(guards.splice(0).map((g) => g.close()));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function fakeGuard(
  answer: Parameters<typeof startFakeTelesign>[0],
  options: PhoneGuardOptions = {},
): Promise<{ guard: PhoneGuard; fake: FakeTelesign }> {
  const fake = await startFakeTelesign(answer);
  fakes.push(fake);
  const guard = createPhoneGuard({
    logger: { warn() {}, error() {} },
    ...options,
    telesign: {
      customerId: CUSTOMER_ID,
      apiKey: API_KEY,
      baseUrl: fake.url,
      retry: false,
      ...options.telesign,
    },
  });
  guards.push(guard);
  return { guard, fake };
}

describe('per-number errors never open the breaker', () => {
  const DISCONNECTED = fresh(999);
  const answer = ({ digits }: { digits: string }) => {
    if (digits === DISCONNECTED.slice(1))
      return { status: 200, body: liveBody(digits, 'DISCONNECTED') };
    if (digits.endsWith('0') || digits.endsWith('2')) {
      return { status: 404, body: errorBody(-40001, 'Status unavailable for this number') };
    }
    if (digits.endsWith('4') || digits.endsWith('6') || digits.endsWith('8')) {
      return { status: 400, body: errorBody(11000, 'Invalid phone number') };
    }
    return { status: 200, body: liveBody(digits) };
  };

  it('after ten per-number errors on distinct numbers, a disconnected number is still blocked', async () => {
    const { guard } = await fakeGuard(answer, { breaker: { failureThreshold: 5 } });
    for (let i = 0; i < 10; i++) {
      const d = await guard.check(fresh(i * 2)); // even: each one answered with an error
      expect(d.reasons).toContain('LOOKUP_FAILED');
    }
    expect(guard.stats().breaker?.state).toBe('closed');
    const d = await guard.check(DISCONNECTED);
    expect(d).toMatchObject({ action: 'block', source: 'upstream', failedOpen: false });
    expect(d.reasons).toEqual(['SUBSCRIBER_DISCONNECTED']);
  });

  it('with failMode closed, the same trick does not refuse the next good number', async () => {
    const { guard } = await fakeGuard(answer, { failMode: 'closed' });
    for (let i = 0; i < 10; i++) await guard.check(fresh(i * 2));
    expect((await guard.check(fresh(1))).action).toBe('allow');
  });
});

describe('misconfiguration is loud', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  function sandboxGuard(apiKey: string, options: PhoneGuardOptions = {}) {
    const logger = recordingLogger();
    const guard = createPhoneGuard({
      logger,
      ...options,
      telesign: { customerId: CUSTOMER_ID, apiKey, baseUrl: sandbox.url, retry: false },
    });
    guards.push(guard);
    return { guard, logger };
  }

  it.each([
    ['on', {}],
    ['off', { breaker: false as const }],
  ])(
    'a wrong API key is logged as an authentication error at once (breaker %s)',
    async (_, extra) => {
      const { guard, logger } = sandboxGuard(WRONG_KEY, extra);
      const first = await guard.check(TEST_NUMBERS.active);
      expect(first).toMatchObject({ action: 'flag', failedOpen: true });
      expect(first.reasons).toEqual(['LOOKUP_FAILED', 'CONFIG_ERROR']);
      expect(first.error?.code).toBe('TELESIGN_AUTH_FAILED');
      const errors = logger.lines.filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.text).toMatch(/authentication/i);
      expect(errors[0]?.text).toContain('TELESIGN_AUTH_FAILED');
      // Logged when it begins, not once per check; the breaker is not what reports it.
      for (let i = 0; i < 5; i++) await guard.check(fresh(i));
      expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
      expect(guard.stats().breaker?.state ?? 'closed').toBe('closed');
      expect(logger.lines.map((l) => l.text).join('\n')).not.toContain(WRONG_KEY);
    },
  );

  it('verify() rejects a wrong key with a typed error and accepts the right one', async () => {
    const wrong = sandboxGuard(WRONG_KEY).guard;
    const error = await wrong.verify().catch((e: unknown) => e);
    expect(isPhoneGuardError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TELESIGN_AUTH_FAILED', fault: 'config' });
    expect(inspect(error)).not.toContain(WRONG_KEY);

    const right = sandboxGuard(API_KEY).guard;
    const result = await right.verify();
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('verify() reports an unreachable provider as an upstream fault', async () => {
    const fake = await startFakeTelesign(() => 'reset');
    fakes.push(fake);
    const guard = createPhoneGuard({
      logger: false,
      telesign: { customerId: CUSTOMER_ID, apiKey: API_KEY, baseUrl: fake.url, retry: false },
    });
    guards.push(guard);
    await expect(guard.verify()).rejects.toMatchObject({ fault: 'upstream' });
  });
});

describe('a wrong baseUrl or a proxy is a configuration fault, not an answer about a number', () => {
  it.each([404, 400])(
    'HTTP %i without a Telesign error code: verify() rejects, checks say CONFIG_ERROR, logged',
    async (status) => {
      const logger = recordingLogger();
      const { guard } = await fakeGuard(() => ({ status, body: '<html>Not Found</html>' }), {
        logger,
      });
      await expect(guard.verify()).rejects.toMatchObject({ fault: 'config' });
      const d = await guard.check(fresh(1));
      expect(d.reasons).toEqual(['LOOKUP_FAILED', 'CONFIG_ERROR']);
      const errors = logger.lines.filter((l) => l.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.text).toMatch(/baseUrl/);
    },
  );

  it("a 404 with Telesign's own code stays an answer about the number", async () => {
    const { guard } = await fakeGuard(() => ({
      status: 404,
      body: errorBody(-40001, 'Status unavailable'),
    }));
    const result = await guard.verify();
    expect(result.answered).toBe(false);
  });
});

describe('outages last no longer for the guard than upstream', () => {
  it('after a 5 s outage, look-ups succeed again within 5 s of recovery', async () => {
    const clock = manualClock();
    const start = clock.now();
    let up = false;
    const { guard } = await fakeGuard(
      ({ digits }) =>
        up
          ? { status: 200, body: liveBody(digits) }
          : { status: 503, body: errorBody(-90001, 'down') },
      { now: clock.now },
    );
    let recoveredAt = -1;
    for (let i = 0; i < 150 && recoveredAt < 0; i++) {
      const elapsed = clock.now() - start;
      up = elapsed >= 5000;
      const d = await guard.check(fresh(i));
      if (up && d.source === 'upstream' && d.action === 'allow') recoveredAt = elapsed - 5000;
      clock.advance(100);
    }
    expect(recoveredAt).toBeGreaterThanOrEqual(0);
    expect(recoveredAt).toBeLessThanOrEqual(5000);
    expect(guard.stats().breaker?.state).toBe('closed');
  });

  it('a flapping upstream (5 s up, 5 s down) keeps most checks made while it is up successful', async () => {
    const clock = manualClock();
    const start = clock.now();
    let up = true;
    const { guard } = await fakeGuard(
      ({ digits }) =>
        up
          ? { status: 200, body: liveBody(digits) }
          : { status: 503, body: errorBody(-90001, 'down') },
      { now: clock.now },
    );
    let upChecks = 0;
    let upSuccesses = 0;
    for (let i = 0; i < 400; i++) {
      up = Math.floor((clock.now() - start) / 5000) % 2 === 0;
      const d = await guard.check(fresh(i));
      if (up) {
        upChecks++;
        if (d.source === 'upstream') upSuccesses++;
      }
      clock.advance(100);
    }
    expect(upChecks).toBe(200);
    expect(upSuccesses / upChecks).toBeGreaterThan(0.6);
  });
});

describe('a spent budget or an open breaker is never a plain flag', () => {
  it('budget exhaustion: reasons say why, logged once, published, with a retry time', async () => {
    const logger = recordingLogger();
    const events: unknown[] = [];
    const onBudget = (event: unknown) => events.push(event);
    subscribe(GUARD_CHANNELS.budget, onBudget);
    try {
      const { guard } = await fakeGuard(({ digits }) => ({ status: 200, body: liveBody(digits) }), {
        logger,
        budget: { limit: 2, windowMs: 60_000 },
        name: 'signup',
      });
      await guard.check(fresh(0));
      await guard.check(fresh(1));
      const spent = await guard.check(fresh(2));
      await guard.check(fresh(3));
      expect(spent).toMatchObject({ action: 'flag', failedOpen: true });
      expect(spent.reasons).toEqual(['LOOKUP_FAILED', 'BUDGET_EXCEEDED']);
      expect(spent.error?.retryAfterMs).toBeGreaterThan(0);
      expect(spent.error?.retryAfterMs).toBeLessThanOrEqual(60_000);
      const warnings = logger.lines.filter((l) => /budget/.test(l.text));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.text).toMatch(/rate limit/);
      // One event per refused look-up (fresh(2) and fresh(3)); one log line for both.
      expect(events).toEqual([
        { used: 2, limit: 2, windowMs: 60_000, shared: false, guard: 'signup' },
        { used: 2, limit: 2, windowMs: 60_000, shared: false, guard: 'signup' },
      ]);
    } finally {
      unsubscribe(GUARD_CHANNELS.budget, onBudget);
    }
  });

  it('the middleware answers 503 with Retry-After when the breaker sheds and the guard fails closed', async () => {
    const fake = await startFakeTelesign(() => ({ status: 503, body: errorBody(-90001, 'down') }));
    fakes.push(fake);
    const mw = phoneGuard({
      failMode: 'closed',
      logger: false,
      breaker: { failureThreshold: 2, minCooldownMs: 4000 },
      telesign: { customerId: CUSTOMER_ID, apiKey: API_KEY, baseUrl: fake.url, retry: false },
    });
    guards.push(mw.guard);
    const app = express();
    app.post('/signup', express.json(), mw, (_req, res) => {
      res.status(201).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const post = (phone: string) =>
        fetch(`http://127.0.0.1:${port}/signup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ phone }),
        });
      for (let i = 0; i < 3; i++) await (await post(fresh(i))).arrayBuffer();
      const shed = await post(fresh(10));
      expect(shed.status).toBe(503);
      expect(shed.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const retryAfter = Number(shed.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(4);
      expect(((await shed.json()) as { code: string }).code).toBe('LOOKUP_FAILED');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('upstream text is redacted', () => {
  it('an echoed Authorization header appears in no decision, log line, event or error', async () => {
    const basic = Buffer.from(`${CUSTOMER_ID}:${API_KEY}`).toString('base64');
    const seen: string[] = [];
    const record = (event: unknown) => seen.push(JSON.stringify(event));
    const names = Object.values(GUARD_CHANNELS);
    for (const name of names) subscribe(name, record);
    const logger = recordingLogger();
    try {
      let round = 0;
      const { guard } = await fakeGuard(
        ({ digits, headers }) => {
          const echoed = String(headers.authorization);
          round++;
          if (round % 3 === 0) {
            // JSON escapes (\u0063 is "c") hide the key from a scrub of the raw text.
            const escapedKey = `\\u00${API_KEY.charCodeAt(0).toString(16)}${API_KEY.slice(1)}`;
            return {
              status: 401,
              body: errorBody(
                -30006,
                `Invalid signature. You sent: Authorization: ${echoed}`,
              ).replace('Invalid signature.', `Invalid signature for key ${escapedKey}.`),
            };
          }
          if (round % 3 === 1) {
            return { status: 500, body: `<html>proxy error; request header was ${echoed}</html>` };
          }
          return {
            status: 200,
            body: JSON.stringify({
              status: { code: 301, description: `partial for ${echoed}` },
              errors: [{ code: -60001, description: `no data (${echoed}, key ${API_KEY})` }],
              live: null,
              numbering: { original: { complete_phone_number: digits } },
            }),
          };
        },
        { logger, telesign: { authMethod: 'basic' } },
      );
      const decisions: Decision[] = [];
      for (let i = 0; i < 6; i++) decisions.push(await guard.check(fresh(i)));
      const verifyError = await guard.verify().catch((e: unknown) => e);
      const everything = [
        JSON.stringify(decisions),
        inspect(decisions, { depth: 10 }),
        ...logger.lines.map((l) => l.text),
        ...seen,
        verifyError instanceof Error ? `${verifyError.message}\n${verifyError.stack}` : '',
        inspect(verifyError, { depth: 10 }),
      ].join('\n');
      expect(decisions.some((d) => d.error?.code === 'TELESIGN_AUTH_FAILED')).toBe(true);
      expect(decisions.some((d) => d.status?.errors.length)).toBe(true);
      expect(everything).not.toContain(basic);
      expect(everything).not.toContain(API_KEY);
      expect(everything).not.toContain(`${CUSTOMER_ID}:${API_KEY}`);
    } finally {
      for (const name of names) unsubscribe(name, record);
    }
  });
});
