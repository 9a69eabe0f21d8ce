/**
 * The Telesign client against the real sandbox over HTTP: every row of the test-number
 * table, every fault, retries counted at the server, Retry-After, deadlines, caller
 * aborts seen as a closed socket, Basic and Digest.
 */
import {
  connect,
  createServer as createNetServer,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import {
  createTelesignClient,
  isTelesignError,
  type LiveStatus,
  type TelesignClientOptions,
} from '@phone-guard/core';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
  type TestNumberName,
} from '@phone-guard/sandbox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

let sandbox: Sandbox;
const clients: Array<{ close(): Promise<void> }> = [];
const extraSandboxes: Sandbox[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.reset());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(extraSandboxes.splice(0).map((s) => s.close()));
});

function client(extra: Partial<TelesignClientOptions> = {}) {
  const c = createTelesignClient({
    baseUrl: sandbox.url,
    customerId: SANDBOX_CUSTOMER_ID,
    apiKey: SANDBOX_API_KEY,
    retry: { random: () => 0.5 },
    ...extra,
  });
  clients.push(c);
  return c;
}

/** How many requests the sandbox received for `phone`. */
function hits(phone: string, s: Sandbox = sandbox): number {
  const digits = phone.slice(1);
  return s.requests.filter((r) => r.digits === digits).length;
}

async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('live answers', () => {
  const rows: Array<[TestNumberName, Partial<LiveStatus>]> = [
    ['active', { subscriberStatus: 'ACTIVE', deviceStatus: 'REACHABLE', roaming: 'NO' }],
    ['unreachable', { subscriberStatus: 'ACTIVE', deviceStatus: 'UNREACHABLE' }],
    ['deviceUnavailable', { subscriberStatus: 'ACTIVE', deviceStatus: 'UNAVAILABLE' }],
    ['roaming', { subscriberStatus: 'ACTIVE', roaming: 'YES', roamingCountryIso2: 'MX' }],
    ['disconnected', { subscriberStatus: 'DISCONNECTED' }],
    [
      'notFound',
      { subscriberStatus: 'UNKNOWN', deviceStatus: 'UNKNOWN', roaming: 'UNKNOWN', statusCode: 301 },
    ],
    ['voip', { subscriberStatus: 'ACTIVE', phoneType: expect.objectContaining({ code: '5' }) }],
    ['prepaid', { subscriberStatus: 'ACTIVE', phoneType: expect.objectContaining({ code: '3' }) }],
  ];
  for (const [name, expected] of rows) {
    it(`${name}`, async () => {
      const phone = TEST_NUMBERS[name];
      const status = await client({ now: () => 42 }).getLiveStatus(phone, { useCase: 'BACS' });
      expect(status).toMatchObject({ phone, checkedAt: 42, ...expected });
      expect(hits(phone)).toBe(1);
      expect(sandbox.requests[0]).toMatchObject({ ucid: 'BACS', authScheme: 'digest' });
    });
  }

  it('notFound carries -60001 and is not retried', async () => {
    const status = await client().getLiveStatus(TEST_NUMBERS.notFound);
    expect(status.errors.map((e) => e.code)).toContain(-60001);
    expect(hits(TEST_NUMBERS.notFound)).toBe(1);
  });

  it('oddValues: unknown enums kept in `unrecognized`, string "null" is null', async () => {
    const status = await client().getLiveStatus(TEST_NUMBERS.oddValues);
    expect(status.unrecognized).toBeDefined();
    expect(Object.keys(status.unrecognized ?? {}).length).toBeGreaterThan(0);
    for (const [field, raw] of Object.entries(status.unrecognized ?? {})) {
      expect(status[field as 'roaming']).toBe('UNKNOWN');
      expect(typeof raw).toBe('string');
    }
    expect(status.roamingCountry === null || status.roamingCountry !== 'null').toBe(true);
  });

  it('the same number inside repeatWindowMs answers -60001 (UNKNOWN, not an error)', async () => {
    const s = await startSandbox({ repeatWindowMs: 60_000 });
    extraSandboxes.push(s);
    const c = client({ baseUrl: s.url });
    expect((await c.getLiveStatus(TEST_NUMBERS.active)).subscriberStatus).toBe('ACTIVE');
    expect((await c.getLiveStatus(TEST_NUMBERS.active)).subscriberStatus).toBe('UNKNOWN');
    expect(hits(TEST_NUMBERS.active, s)).toBe(2);
  });
});

describe('error rows', () => {
  const rows: Array<[TestNumberName, string, number, number | undefined, boolean]> = [
    ['errNotAllowedHost', 'TELESIGN_NOT_ALLOWED', 400, -10001, false],
    ['errRateLimited400', 'TELESIGN_RATE_LIMITED', 400, -40007, true],
    ['errLegalBlock', 'TELESIGN_LEGAL_BLOCK', 400, 10041, false],
    ['errProductNotEnabled', 'TELESIGN_CONFIG', 401, -20002, false],
    ['errAccountSuspended', 'TELESIGN_AUTH_FAILED', 401, -30001, false],
    ['errNotAuthorized', 'TELESIGN_CONFIG', 401, -40002, false],
    ['errPaymentRequired', 'TELESIGN_PAYMENT_REQUIRED', 402, undefined, false],
    ['errStatusUnavailable', 'TELESIGN_NOT_FOUND', 404, -40001, false],
    ['errNotFound', 'TELESIGN_NOT_FOUND', 404, -40004, false],
    ['errMethodNotAllowed', 'TELESIGN_METHOD_NOT_ALLOWED', 405, -40005, false],
    ['errHardCap', 'TELESIGN_HARD_CAP', 429, -40008, false],
    ['errInternal', 'TELESIGN_SERVER_ERROR', 500, undefined, true],
    ['errUnavailable', 'TELESIGN_UNAVAILABLE', 503, -90001, true],
    ['errInvalidSourceIp', 'TELESIGN_CONFIG', 401, -10009, false],
    ['errAccountNotActivated', 'TELESIGN_CONFIG', 401, -30002, false],
    ['errFeatureNotEnabled', 'TELESIGN_CONFIG', 401, -20003, false],
    ['errNewAccountLimit', 'TELESIGN_CONFIG', 401, -30003, false],
  ];
  for (const [name, code, httpStatus, telesignCode, retryable] of rows) {
    it(`${name} → ${code}, ${retryable ? 'retried 3 times' : 'not retried'}`, async () => {
      const phone = TEST_NUMBERS[name];
      const err = await rejection(client().getLiveStatus(phone));
      expect(isTelesignError(err)).toBe(true);
      expect(err).toMatchObject({ code, httpStatus, telesignCode, retryable });
      expect(typeof err.referenceId).toBe('string');
      expect(err.message).not.toContain(phone.slice(1));
      expect(err.message).not.toContain(SANDBOX_API_KEY);
      expect(hits(phone)).toBe(retryable ? 3 : 1);
    });
  }

  it('errRateLimited (429, Retry-After: 1) is retried after the advertised second', async () => {
    const t0 = Date.now();
    const err = await rejection(
      client({ retry: { attempts: 2, random: () => 0 } }).getLiveStatus(
        TEST_NUMBERS.errRateLimited,
      ),
    );
    expect(err).toMatchObject({
      code: 'TELESIGN_RATE_LIMITED',
      httpStatus: 429,
      retryAfterMs: 1000,
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(hits(TEST_NUMBERS.errRateLimited)).toBe(2);
  });

  it('a Retry-After beyond the deadline stops at once and says so', async () => {
    const t0 = Date.now();
    const err = await rejection(
      client({ timeoutMs: 800 }).getLiveStatus(TEST_NUMBERS.errRateLimited),
    );
    expect(err.code).toBe('TELESIGN_RATE_LIMITED');
    expect(err.message).toMatch(/Retry-After/);
    expect(Date.now() - t0).toBeLessThan(800 + 1500);
    expect(hits(TEST_NUMBERS.errRateLimited)).toBe(1);
  });
});

describe('authentication', () => {
  it('Digest and Basic are both accepted', async () => {
    await client({ authMethod: 'digest' }).getLiveStatus(TEST_NUMBERS.active);
    await client({ authMethod: 'basic' }).getLiveStatus(TEST_NUMBERS.active);
    expect(sandbox.requests.map((r) => r.authScheme)).toEqual(['digest', 'basic']);
    expect(sandbox.requests.every((r) => r.outcome === 'live')).toBe(true);
  });

  it('the application/x-www-form-urlencoded content type signs and verifies too', async () => {
    const s = await client({ contentType: 'application/x-www-form-urlencoded' }).getLiveStatus(
      TEST_NUMBERS.active,
    );
    expect(s.subscriberStatus).toBe('ACTIVE');
  });

  it('a wrong key, customer id or clock is a clear, unretried auth failure', async () => {
    const wrongKey = Buffer.from('definitely not the sandbox key').toString('base64');
    const cases: Array<[Partial<TelesignClientOptions>, number, RegExp, Sandbox?]> = [
      [{ apiKey: wrongKey }, -30006, /check the API key/],
      [{ apiKey: wrongKey, authMethod: 'basic' }, -30015, /API key/],
      [{ customerId: '00000000-0000-0000-0000-000000000000' }, -30000, /customer id/],
    ];
    for (const [options, telesignCode, message] of cases) {
      sandbox.reset();
      const err = await rejection(client(options).getLiveStatus(TEST_NUMBERS.active));
      expect(err).toMatchObject({ code: 'TELESIGN_AUTH_FAILED', telesignCode, retryable: false });
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain(wrongKey);
      expect(hits(TEST_NUMBERS.active)).toBe(1);
    }
    const skewed = await startSandbox({ now: () => Date.now() + 3_600_000 });
    extraSandboxes.push(skewed);
    const err = await rejection(client({ baseUrl: skewed.url }).getLiveStatus(TEST_NUMBERS.active));
    expect(err).toMatchObject({ code: 'TELESIGN_AUTH_FAILED', telesignCode: -30010 });
    expect(err.message).toMatch(/clock skew/);
  });
});

describe('faults', () => {
  it('faultHang: rejects with TELESIGN_TIMEOUT within the deadline', async () => {
    const t0 = Date.now();
    const err = await rejection(client({ timeoutMs: 1000 }).getLiveStatus(TEST_NUMBERS.faultHang));
    expect(err.code).toBe('TELESIGN_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(1000 + 1500);
  });

  it('faultHang with default timeouts: attempts time out and the 5 s deadline holds', async () => {
    const t0 = Date.now();
    const err = await rejection(client().getLiveStatus(TEST_NUMBERS.faultHang));
    expect(['TELESIGN_TIMEOUT', 'TELESIGN_ATTEMPT_TIMEOUT']).toContain(err.code);
    expect(Date.now() - t0).toBeLessThan(5000 + 1500);
    expect(hits(TEST_NUMBERS.faultHang)).toBeGreaterThanOrEqual(2);
  }, 15_000);

  it('faultSlow answers within the default per-attempt timeout', async () => {
    const s = await client().getLiveStatus(TEST_NUMBERS.faultSlow);
    expect(s.subscriberStatus).toBe('ACTIVE');
    expect(hits(TEST_NUMBERS.faultSlow)).toBe(1);
  });

  it('faultSlow with a shorter attempt timeout: TELESIGN_ATTEMPT_TIMEOUT after bounded retries', async () => {
    const err = await rejection(
      client({ attemptTimeoutMs: 300, timeoutMs: 3000 }).getLiveStatus(TEST_NUMBERS.faultSlow),
    );
    expect(err).toMatchObject({ code: 'TELESIGN_ATTEMPT_TIMEOUT', retryable: true });
    expect(hits(TEST_NUMBERS.faultSlow)).toBe(3);
  });

  const faults: Array<[TestNumberName, string, number]> = [
    ['faultMalformedJson', 'TELESIGN_MALFORMED_RESPONSE', 1],
    ['faultNoEnvelope', 'TELESIGN_NO_ENVELOPE', 1],
    ['faultOversized', 'TELESIGN_RESPONSE_TOO_LARGE', 1],
    ['faultTruncated', 'TELESIGN_TRUNCATED_RESPONSE', 3],
    ['faultReset', 'TELESIGN_NETWORK_ERROR', 3],
  ];
  for (const [name, code, attempts] of faults) {
    it(`${name} → ${code} (${attempts} attempt${attempts > 1 ? 's' : ''})`, async () => {
      const err = await rejection(client().getLiveStatus(TEST_NUMBERS[name]));
      expect(err.code).toBe(code);
      expect(isTelesignError(err)).toBe(true);
      expect(hits(TEST_NUMBERS[name])).toBe(attempts);
    });
  }

  it('faultFlaky succeeds on the third attempt', async () => {
    const s = await client().getLiveStatus(TEST_NUMBERS.faultFlaky);
    expect(s.subscriberStatus).toBe('ACTIVE');
    expect(hits(TEST_NUMBERS.faultFlaky)).toBe(3);
  });

  it('faultFlaky with two attempts fails with TELESIGN_UNAVAILABLE', async () => {
    const err = await rejection(
      client({ retry: { attempts: 2, random: () => 0 } }).getLiveStatus(TEST_NUMBERS.faultFlaky),
    );
    expect(err.code).toBe('TELESIGN_UNAVAILABLE');
    expect(err.message).toMatch(/after 2 attempts/);
    expect(hits(TEST_NUMBERS.faultFlaky)).toBe(2);
  });
});

/** A TCP relay in front of the sandbox that reports when a client connection closes. */
async function startRelay(target: Sandbox): Promise<{
  url: string;
  connections: number;
  closed: number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, closed: 0 };
  const server: NetServer = createNetServer((downstream) => {
    state.connections++;
    const upstream = connect(target.port, target.host);
    sockets.add(downstream).add(upstream);
    downstream.pipe(upstream).pipe(downstream);
    const done = (): void => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('close', () => {
      state.closed++;
      done();
    });
    upstream.on('close', done);
    downstream.on('error', done);
    upstream.on('error', done);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    get closed() {
      return state.closed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('cancellation and connections', () => {
  it("the caller's abort closes the connection the sandbox is hanging on", async () => {
    const relay = await startRelay(sandbox);
    try {
      const ac = new AbortController();
      const reason = new Error('request cancelled by the user');
      const pending = client({ baseUrl: relay.url }).getLiveStatus(TEST_NUMBERS.faultHang, {
        signal: ac.signal,
      });
      await expect.poll(() => hits(TEST_NUMBERS.faultHang), { timeout: 3000 }).toBe(1);
      expect(relay.closed).toBe(0);
      const t0 = Date.now();
      ac.abort(reason);
      const err = await rejection(pending);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(err).toMatchObject({ code: 'TELESIGN_ABORTED' });
      expect(err.cause).toBe(reason);
      await expect.poll(() => relay.closed, { timeout: 3000 }).toBe(1);
    } finally {
      await relay.close();
    }
  });

  it('keeps connections alive across look-ups and runs many in parallel', async () => {
    const relay = await startRelay(sandbox);
    try {
      const c = client({ baseUrl: relay.url });
      for (let i = 0; i < 20; i++) await c.getLiveStatus(TEST_NUMBERS.active);
      // Sequential look-ups reuse the pool's sockets (undici may open a second one while
      // the first is being released), never one per request.
      expect(relay.connections).toBeLessThanOrEqual(2);
      const phones = Array.from({ length: 100 }, (_, i) => `+1415555${String(2000 + i)}`);
      const results = await Promise.all(phones.map((p) => c.getLiveStatus(p)));
      expect(results.map((r) => r.phone)).toEqual(phones);
      expect(relay.connections).toBeLessThanOrEqual(64);
    } finally {
      await relay.close();
    }
  });
});
