import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { Dispatcher, MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPhoneGuardError, isTelesignError, PhoneGuardOptionError } from '../model/errors.js';
import { createTelesignClient, type TelesignClientOptions } from './client.js';
import { signTelesignRequest } from './signing.js';

const CUSTOMER_ID = 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890';
const API_KEY = 'cGhvbmUtZ3VhcmQgdGVzdCBrZXkgLSBub3QgYSBzZWNyZXQh';

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  closedEarly: boolean;
}

/** A loopback server whose behaviour each test sets; it records every request. */
let server: Server;
let baseUrl: string;
let handler: Handler;
let seen: Seen[] = [];
const sockets = new Set<import('node:net').Socket>();

function okBody(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    reference_id: 'REF123',
    status: { code: 300, description: 'Transaction successfully completed' },
    errors: [],
    phone_type: { code: '2', description: 'MOBILE' },
    carrier: { name: 'Verizon' },
    live: {
      subscriber_status: 'ACTIVE',
      device_status: 'REACHABLE',
      roaming: 'NO',
      roaming_country: null,
      roaming_country_iso2: null,
    },
    ...extra,
  });
}

function errorBody(code: number | undefined, description = 'error'): string {
  return JSON.stringify({
    reference_id: 'REFERR',
    status: { code: 501, description: 'Not authorized' },
    errors: code === undefined ? [] : [{ code, description }],
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const entry: Seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      closedEarly: false,
    };
    seen.push(entry);
    res.on('close', () => {
      if (!res.writableFinished) entry.closedEarly = true;
    });
    handler(req, res, seen.length);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const clients: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  seen = [];
});

function client(extra: Partial<TelesignClientOptions> = {}) {
  const c = createTelesignClient({
    customerId: CUSTOMER_ID,
    apiKey: API_KEY,
    baseUrl,
    retry: { random: () => 0 },
    ...extra,
  });
  clients.push(c);
  return c;
}

async function rejection(p: Promise<unknown>): Promise<Record<string, unknown> & Error> {
  try {
    await p;
  } catch (err) {
    return err as Record<string, unknown> & Error;
  }
  throw new Error('expected a rejection');
}

function causeChainText(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let i = 0; i < 10 && current !== undefined && current !== null; i++) {
    parts.push(String(current), inspect(current, { depth: 5 }));
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

describe('createTelesignClient — requests', () => {
  it('sends a signed GET that verifies with the received headers', async () => {
    handler = (_req, res) => send(res, 200, okBody());
    const status = await client({ now: () => 1_700_000_000_000 }).getLiveStatus('+14155552671', {
      useCase: 'BACS',
    });
    expect(status).toMatchObject({
      phone: '+14155552671',
      subscriberStatus: 'ACTIVE',
      deviceStatus: 'REACHABLE',
      roaming: 'NO',
      carrier: 'Verizon',
      referenceId: 'REF123',
      statusCode: 300,
      checkedAt: 1_700_000_000_000,
      phoneType: { code: '2', description: 'MOBILE' },
    });
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/v1/phoneid/live/14155552671?ucid=BACS');
    expect(req.headers['content-type']).toBe('');
    expect(req.headers['x-ts-auth-method']).toBe('HMAC-SHA256');
    const expected = signTelesignRequest(
      {
        method: 'GET',
        resource: '/v1/phoneid/live/14155552671',
        contentType: req.headers['content-type'] ?? '',
        date: req.headers.date,
        nonce: req.headers['x-ts-nonce'] as string,
      },
      { customerId: CUSTOMER_ID, apiKey: API_KEY },
    );
    expect(req.headers.authorization).toBe(expected.authorization);
  });

  it('signs and sends the configured content type, accepts digits, default use case OTHR', async () => {
    handler = (_req, res) => send(res, 200, okBody());
    await client({
      contentType: 'application/x-www-form-urlencoded',
      baseUrl: `${baseUrl}/`,
    }).getLiveStatus('14155552671');
    const req = seen[0]!;
    expect(req.url).toBe('/v1/phoneid/live/14155552671?ucid=OTHR');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const expected = signTelesignRequest(
      {
        method: 'GET',
        resource: '/v1/phoneid/live/14155552671',
        contentType: 'application/x-www-form-urlencoded',
        date: req.headers.date,
        nonce: req.headers['x-ts-nonce'] as string,
      },
      { customerId: CUSTOMER_ID, apiKey: API_KEY },
    );
    expect(req.headers.authorization).toBe(expected.authorization);
  });

  it('uses fresh nonces and supports Basic authentication', async () => {
    handler = (_req, res) => send(res, 200, okBody());
    const c = client();
    await c.getLiveStatus('+14155552671');
    await c.getLiveStatus('+14155552671');
    expect(seen[0]!.headers['x-ts-nonce']).not.toBe(seen[1]!.headers['x-ts-nonce']);
    await client({ authMethod: 'basic' }).getLiveStatus('+14155552671');
    expect(seen[2]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${CUSTOMER_ID}:${API_KEY}`).toString('base64')}`,
    );
    // Like the official SDKs: Basic also sends x-ts-auth-method and a (fresh) nonce.
    expect(seen[2]!.headers['x-ts-auth-method']).toBe('Basic');
    expect(seen[2]!.headers['x-ts-nonce']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a base URL path prefix in the URL but signs the resource only', async () => {
    handler = (_req, res) => send(res, 200, okBody());
    await client({ baseUrl: `${baseUrl}/proxy/telesign/` }).getLiveStatus('+14155552671');
    expect(seen[0]!.url).toBe('/proxy/telesign/v1/phoneid/live/14155552671?ucid=OTHR');
  });

  it('rejects invalid numbers and use cases before any I/O', async () => {
    handler = (_req, res) => send(res, 200, okBody());
    const c = client();
    for (const bad of [
      '',
      '+',
      '+12345',
      '+1234567890123456',
      '+0123456789',
      '1-415-555',
      'abc',
      ' +14155552671',
    ]) {
      const err = await rejection(c.getLiveStatus(bad));
      expect(err.code).toBe('TELESIGN_INVALID_PHONE');
      expect(isPhoneGuardError(err)).toBe(true);
      expect(err.message).not.toContain('4155552671');
    }
    const notString = await rejection(c.getLiveStatus(14155552671 as unknown as string));
    expect(notString.code).toBe('TELESIGN_INVALID_PHONE');
    const uc = await rejection(c.getLiveStatus('+14155552671', { useCase: 'NOPE' as 'OTHR' }));
    expect(uc.code).toBe('TELESIGN_INVALID_USE_CASE');
    const extra = await rejection(
      c.getLiveStatus('+14155552671', { usecase: 'OTHR' } as unknown as { useCase: 'OTHR' }),
    );
    expect(extra).toBeInstanceOf(PhoneGuardOptionError);
    expect(seen).toHaveLength(0);
  });
});

describe('createTelesignClient — responses', () => {
  it('-60001 resolves to UNKNOWN statuses, not an error, and is not retried', async () => {
    handler = (_req, res) =>
      send(
        res,
        200,
        JSON.stringify({
          reference_id: 'R',
          status: { code: 301, description: 'Transaction partially completed' },
          errors: [{ code: -60001, description: 'PhoneID Live Data Not Found' }],
          live: null,
        }),
      );
    const s = await client().getLiveStatus('+14155552671');
    expect(s).toMatchObject({
      subscriberStatus: 'UNKNOWN',
      deviceStatus: 'UNKNOWN',
      roaming: 'UNKNOWN',
      statusCode: 301,
      errors: [{ code: -60001, description: 'PhoneID Live Data Not Found' }],
    });
    expect(seen).toHaveLength(1);
  });

  const table: Array<[number, number | undefined, string, boolean]> = [
    [400, -10001, 'TELESIGN_NOT_ALLOWED', false],
    [400, 10041, 'TELESIGN_LEGAL_BLOCK', false],
    [401, -20002, 'TELESIGN_CONFIG', false],
    [401, -30000, 'TELESIGN_AUTH_FAILED', false],
    [401, -30006, 'TELESIGN_AUTH_FAILED', false],
    [401, -30010, 'TELESIGN_AUTH_FAILED', false],
    [402, undefined, 'TELESIGN_PAYMENT_REQUIRED', false],
    [404, -40004, 'TELESIGN_NOT_FOUND', false],
    [405, -40005, 'TELESIGN_METHOD_NOT_ALLOWED', false],
    [429, -40008, 'TELESIGN_HARD_CAP', false],
    [400, -40007, 'TELESIGN_RATE_LIMITED', true],
    [500, undefined, 'TELESIGN_SERVER_ERROR', true],
    [503, -90001, 'TELESIGN_UNAVAILABLE', true],
  ];
  for (const [http, tsCode, code, retryable] of table) {
    it(`HTTP ${http} ${tsCode ?? ''} → ${code} (${retryable ? 'retried' : 'not retried'})`, async () => {
      handler = (_req, res) => send(res, http, errorBody(tsCode, `desc ${tsCode}`));
      const err = await rejection(client().getLiveStatus('+14155552671'));
      expect(isTelesignError(err)).toBe(true);
      expect(err).toMatchObject({ code, httpStatus: http, telesignCode: tsCode, retryable });
      expect(err.referenceId).toBe('REFERR');
      expect(seen).toHaveLength(retryable ? 3 : 1);
      expect(err.message).toContain('+1415*****71');
      expect(err.message).not.toContain('14155552671');
      expect(causeChainText(err)).not.toContain(API_KEY);
    });
  }

  it('auth messages point at the credential that looks wrong', async () => {
    const messages: Record<number, RegExp> = {
      [-30006]: /check the API key/,
      [-30010]: /clock skew/,
      [-30000]: /customer id/,
    };
    for (const [tsCode, pattern] of Object.entries(messages)) {
      handler = (_req, res) => send(res, 401, errorBody(Number(tsCode)));
      const err = await rejection(client().getLiveStatus('+14155552671'));
      expect(err.message).toMatch(pattern);
    }
  });

  it('a 503 that recovers on the third attempt succeeds', async () => {
    handler = (_req, res, n) =>
      n < 3 ? send(res, 503, errorBody(-90001, 'System unavailable')) : send(res, 200, okBody());
    const s = await client().getLiveStatus('+14155552671');
    expect(s.subscriberStatus).toBe('ACTIVE');
    expect(seen).toHaveLength(3);
  });

  it('retry: false makes one attempt', async () => {
    handler = (_req, res) => send(res, 503, errorBody(-90001));
    const err = await rejection(client({ retry: false }).getLiveStatus('+14155552671'));
    expect(err.code).toBe('TELESIGN_UNAVAILABLE');
    expect(seen).toHaveLength(1);
  });

  it('honours Retry-After (seconds) and an HTTP date', async () => {
    handler = (_req, res, n) =>
      n === 1
        ? send(res, 429, errorBody(-40007), { 'retry-after': '1' })
        : send(res, 200, okBody());
    const t0 = Date.now();
    await client().getLiveStatus('+14155552671');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(seen).toHaveLength(2);

    seen = [];
    const fixedNow = Date.parse('Wed, 14 Dec 2016 18:20:12 GMT');
    handler = (_req, res, n) =>
      n === 1
        ? send(res, 503, errorBody(-90001), { 'retry-after': 'Wed, 14 Dec 2016 18:20:13 GMT' })
        : send(res, 200, okBody());
    const t1 = Date.now();
    await client({ now: () => fixedNow }).getLiveStatus('+14155552671');
    expect(Date.now() - t1).toBeGreaterThanOrEqual(950);
  });

  it('does not retry when Retry-After would pass the deadline, and says so', async () => {
    handler = (_req, res) => send(res, 429, errorBody(-40007), { 'retry-after': '30' });
    const t0 = Date.now();
    const err = await rejection(client({ timeoutMs: 2000 }).getLiveStatus('+14155552671'));
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(err).toMatchObject({ code: 'TELESIGN_RATE_LIMITED', retryAfterMs: 30_000 });
    expect(err.message).toMatch(/Retry-After/);
    expect(seen).toHaveLength(1);
  });

  it('non-JSON, no envelope, oversized (declared and chunked) bodies are typed errors', async () => {
    handler = (_req, res) => send(res, 200, '<html>gateway</html>');
    expect((await rejection(client().getLiveStatus('+14155552671'))).code).toBe(
      'TELESIGN_MALFORMED_RESPONSE',
    );
    handler = (_req, res) => send(res, 200, JSON.stringify({ hello: 'world' }));
    expect((await rejection(client().getLiveStatus('+14155552671'))).code).toBe(
      'TELESIGN_NO_ENVELOPE',
    );
    handler = (_req, res) => send(res, 200, okBody({ pad: 'x'.repeat(300_000) }));
    expect((await rejection(client().getLiveStatus('+14155552671'))).code).toBe(
      'TELESIGN_RESPONSE_TOO_LARGE',
    );
    let written = 0;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (written < 64 * 1024 * 1024 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    };
    const err = await rejection(
      client({ maxResponseBytes: 100_000 }).getLiveStatus('+14155552671'),
    );
    expect(err.code).toBe('TELESIGN_RESPONSE_TOO_LARGE');
    expect(written).toBeLessThan(64 * 1024 * 1024); // reading stopped: the server was cut off
    expect(seen.length).toBe(4); // none of these is retried
  });

  it('a truncated body and a reset connection are typed, retryable network faults', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write(okBody().slice(0, 50));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const truncated = await rejection(client().getLiveStatus('+14155552671'));
    expect(truncated).toMatchObject({ code: 'TELESIGN_TRUNCATED_RESPONSE', retryable: true });
    expect(seen).toHaveLength(3);

    seen = [];
    handler = (req) => req.socket.destroy();
    const reset = await rejection(client().getLiveStatus('+14155552671'));
    expect(reset).toMatchObject({ code: 'TELESIGN_NETWORK_ERROR', retryable: true });
    expect(reset.name).toBe('TelesignNetworkError');
    expect(seen).toHaveLength(3);
  });

  it('a refused connection is a retryable network error, retried within the bounds', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const err = await rejection(
      client({ baseUrl: `http://127.0.0.1:${closedPort}` }).getLiveStatus('+14155552671'),
    );
    expect(err).toMatchObject({ code: 'TELESIGN_NETWORK_ERROR', retryable: true });
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).toMatch(/after 3 attempts/);
  });

  it('tolerates a non-2xx error body that is not JSON (maps by HTTP status)', async () => {
    handler = (_req, res) => send(res, 502, '<html>Bad gateway</html>');
    const err = await rejection(client({ retry: false }).getLiveStatus('+14155552671'));
    expect(err).toMatchObject({ code: 'TELESIGN_SERVER_ERROR', httpStatus: 502, retryable: true });
  });
});

describe('createTelesignClient — time and cancellation', () => {
  it('a hung upstream rejects with TELESIGN_TIMEOUT by the deadline and the socket is closed', async () => {
    handler = () => {}; // never answers
    const t0 = Date.now();
    const err = await rejection(
      client({ timeoutMs: 600, attemptTimeoutMs: 10_000 }).getLiveStatus('+14155552671'),
    );
    expect(err).toMatchObject({ code: 'TELESIGN_TIMEOUT', name: 'TelesignTimeoutError' });
    expect(Date.now() - t0).toBeLessThan(600 + 1500);
    await expect.poll(() => seen[0]?.closedEarly, { timeout: 2000 }).toBe(true);
  });

  it('attempt timeouts are retried within the deadline', async () => {
    handler = (_req, res, n) => (n < 3 ? undefined : send(res, 200, okBody()));
    const s = await client({ timeoutMs: 5000, attemptTimeoutMs: 200 }).getLiveStatus(
      '+14155552671',
    );
    expect(s.subscriberStatus).toBe('ACTIVE');
    expect(seen).toHaveLength(3);
    await expect
      .poll(() => seen.slice(0, 2).every((x) => x.closedEarly), { timeout: 2000 })
      .toBe(true);
  });

  it('gives up with the last attempt-timeout when attempts run out', async () => {
    handler = () => {};
    const err = await rejection(
      client({
        timeoutMs: 5000,
        attemptTimeoutMs: 100,
        retry: { attempts: 2, random: () => 0 },
      }).getLiveStatus('+14155552671'),
    );
    expect(err).toMatchObject({ code: 'TELESIGN_ATTEMPT_TIMEOUT', retryable: true });
    expect(seen).toHaveLength(2);
  });

  it("the caller's abort cancels the request for real and keeps the reason as cause", async () => {
    handler = () => {};
    const ac = new AbortController();
    const reason = new Error('user went away');
    const p = client().getLiveStatus('+14155552671', { signal: ac.signal });
    await expect.poll(() => seen.length, { timeout: 2000 }).toBe(1);
    ac.abort(reason);
    const err = await rejection(p);
    expect(err).toMatchObject({ code: 'TELESIGN_ABORTED', name: 'TelesignAbortError' });
    expect(err.cause).toBe(reason);
    await expect.poll(() => seen[0]?.closedEarly, { timeout: 2000 }).toBe(true);
  });

  it('an already aborted signal rejects without I/O; abort during backoff stops at once', async () => {
    handler = (_req, res) => send(res, 503, errorBody(-90001), { 'retry-after': '2' });
    const pre = await rejection(
      client().getLiveStatus('+14155552671', { signal: AbortSignal.abort('stop') }),
    );
    expect(pre).toMatchObject({ code: 'TELESIGN_ABORTED', cause: 'stop' });
    expect(seen).toHaveLength(0);

    const ac = new AbortController();
    const p = client().getLiveStatus('+14155552671', { signal: ac.signal });
    await expect.poll(() => seen.length, { timeout: 2000 }).toBe(1);
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 50);
    const err = await rejection(p);
    expect(err.code).toBe('TELESIGN_ABORTED');
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(seen).toHaveLength(1);
  });

  it('leaves no timers behind', async () => {
    handler = (_req, res) => send(res, 200, okBody());
    const c = client();
    await c.getLiveStatus('+14155552671');
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await Promise.all(Array.from({ length: 20 }, () => c.getLiveStatus('+14155552671')));
    handler = (_req, res) => send(res, 401, errorBody(-30006));
    await Promise.allSettled(Array.from({ length: 5 }, () => c.getLiveStatus('+14155552671')));
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
  });
});

describe('createTelesignClient — lifecycle, secrecy and options', () => {
  it('never exposes the API key', async () => {
    const c = client();
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(c)).not.toContain(API_KEY);
    expect(Object.values(c).join(' ')).not.toContain(API_KEY);
    const basicHeader = Buffer.from(`${CUSTOMER_ID}:${API_KEY}`).toString('base64');
    handler = (_req, res) => send(res, 401, errorBody(-30015));
    const err = await rejection(client({ authMethod: 'basic' }).getLiveStatus('+14155552671'));
    expect(causeChainText(err)).not.toContain(API_KEY);
    expect(causeChainText(err)).not.toContain(basicHeader);
  });

  it('transport errors that quote headers or the path are kept as a sanitised cause', async () => {
    // undici's MockAgent puts the request headers (Authorization included) and the path
    // (the full number) in its "not matched" message.
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://rest-ww.telesign.com')
      .intercept({
        path: '/v1/phoneid/live/447700900123?ucid=OTHR',
        method: 'GET',
        headers: { 'x-never-sent': 'yes' },
      })
      .reply(200, okBody());
    const basicHeader = Buffer.from(`${CUSTOMER_ID}:${API_KEY}`).toString('base64');
    for (const authMethod of ['basic', 'digest'] as const) {
      const c = createTelesignClient({
        customerId: CUSTOMER_ID,
        apiKey: API_KEY,
        authMethod,
        dispatcher: agent,
        retry: false,
      });
      const err = await rejection(c.getLiveStatus('+447700900123'));
      await c.close();
      expect(err).toMatchObject({ code: 'TELESIGN_NETWORK_ERROR' });
      const cause = err.cause as Error & { code?: string };
      expect(cause).toBeInstanceOf(Error);
      expect(cause.code).toBe('UND_MOCK_ERR_MOCK_NOT_MATCHED');
      expect(cause.message).toMatch(/not matched for headers/);
      const text = causeChainText(err);
      expect(text).not.toContain(basicHeader);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toMatch(/TSA FFFFFFFF-EEEE-DDDD-1234-AB1234567890:[A-Za-z0-9+/]{8,}/);
      expect(text).not.toContain('447700900123');
      expect(text).toContain('+4477******23');
    }
    await agent.close();
  });

  it('close() refuses new look-ups, waits for in-flight ones, and is idempotent', async () => {
    handler = (_req, res) => setTimeout(() => send(res, 200, okBody()), 100);
    const c = createTelesignClient({ customerId: CUSTOMER_ID, apiKey: API_KEY, baseUrl });
    const pending = c.getLiveStatus('+14155552671');
    await expect.poll(() => seen.length, { timeout: 2000 }).toBe(1);
    const closing = c.close();
    expect((await rejection(c.getLiveStatus('+14155552671'))).code).toBe('TELESIGN_CLIENT_CLOSED');
    await expect(pending).resolves.toMatchObject({ subscriberStatus: 'ACTIVE' });
    await closing;
    await c.close();
  });

  it('works through an injected MockAgent, which close() leaves open', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://rest-ww.telesign.com')
      .intercept({ path: '/v1/phoneid/live/447700900123?ucid=PWRT', method: 'GET' })
      .reply(200, okBody({ live: { subscriber_status: 'DISCONNECTED' } }));
    const c = createTelesignClient({ customerId: CUSTOMER_ID, apiKey: API_KEY, dispatcher: agent });
    const s = await c.getLiveStatus('+447700900123', { useCase: 'PWRT' });
    expect(s.subscriberStatus).toBe('DISCONNECTED');
    expect(s.deviceStatus).toBe('UNKNOWN');
    await c.close();
    agent.assertNoPendingInterceptors();
    // The injected dispatcher is still open: another client can use it.
    agent
      .get('https://rest-ww.telesign.com')
      .intercept({ path: '/v1/phoneid/live/447700900123?ucid=OTHR', method: 'GET' })
      .reply(200, okBody());
    const again = createTelesignClient({
      customerId: CUSTOMER_ID,
      apiKey: API_KEY,
      dispatcher: agent,
    });
    expect((await again.getLiveStatus('447700900123')).subscriberStatus).toBe('ACTIVE');
    await again.close();
    await agent.close();
  });

  it('validates options at construction without echoing the key', () => {
    const base = { customerId: CUSTOMER_ID, apiKey: API_KEY };
    const bad: unknown[] = [
      undefined,
      {},
      { apiKey: API_KEY },
      { customerId: CUSTOMER_ID },
      { ...base, apiKey: '   ' },
      { ...base, apiKey: 'not base64 at all!!!=x' },
      { ...base, customerId: 'a:b' },
      { ...base, authMethod: 'hmac' },
      { ...base, baseUrl: 'ftp://example.com' },
      { ...base, baseUrl: 'rest-ww.telesign.com' },
      { ...base, baseUrl: 'https://u:p@example.com' },
      { ...base, timeoutMs: -1 },
      { ...base, timeoutMs: Number.POSITIVE_INFINITY },
      { ...base, timeoutMs: 0 },
      { ...base, attemptTimeoutMs: Number.NaN },
      { ...base, retry: { attempts: 0 } },
      { ...base, retry: { tries: 3 } },
      { ...base, maxResponseBytes: 10 },
      { ...base, useCase: 'XXXX' },
      { ...base, contentType: 'a\r\nb' },
      { ...base, dispatcher: {} },
      { ...base, dispatcher: new MockAgent(), connections: 4 },
      { ...base, timeout: 1000 },
    ];
    for (const options of bad) {
      let caught: unknown;
      try {
        createTelesignClient(options as TelesignClientOptions);
      } catch (err) {
        caught = err;
      }
      expect(caught, JSON.stringify(options)).toBeInstanceOf(PhoneGuardOptionError);
      expect((caught as Error).message).not.toContain(API_KEY);
    }
    const frozen = Object.freeze({ ...base, retry: Object.freeze({ attempts: 2 }) });
    const ok = createTelesignClient(frozen);
    expect(inspect(ok)).toContain('rest-ww.telesign.com');
    return ok.close();
  });
});

/** A dispatcher that accepts every request and never answers nor honours aborts. */
class SilentDispatcher extends Dispatcher {
  dispatched = 0;
  override dispatch(): boolean {
    this.dispatched++;
    return true;
  }
}

/** Resolves with the value, or 'STILL PENDING' after `ms`: keeps a regression from hanging. */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'STILL PENDING'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<'STILL PENDING'>((resolve) => {
      timer = setTimeout(resolve, ms, 'STILL PENDING');
    }),
  ]).finally(() => clearTimeout(timer));
}

describe('createTelesignClient — stopping where undici does not act on the signal', () => {
  it('a look-up queued behind a busy pool stops at its signal, not when a connection frees', async () => {
    handler = () => {}; // hang: the only connection stays busy
    const c = client({ connections: 1, timeoutMs: 10_000, retry: false });
    const blocker = new AbortController();
    const first = rejection(c.getLiveStatus('+14155552671', { signal: blocker.signal }));
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toHaveLength(1);
    const queued = c.getLiveStatus('+14155552672', { signal: AbortSignal.timeout(100) });
    const err = await within(rejection(queued), 5000);
    expect(err).toMatchObject({ code: 'TELESIGN_ABORTED' });
    blocker.abort();
    expect(await first).toMatchObject({ code: 'TELESIGN_ABORTED' });
  });

  it('an injected dispatcher that never answers cannot hold a look-up past its deadline', async () => {
    const dispatcher = new SilentDispatcher();
    const c = createTelesignClient({
      customerId: CUSTOMER_ID,
      apiKey: API_KEY,
      dispatcher,
      timeoutMs: 200,
      attemptTimeoutMs: 60,
      retry: { attempts: 2, random: () => 0 },
    });
    const err = await within(rejection(c.getLiveStatus('+14155552671')), 5000);
    expect(err).toMatchObject({ code: 'TELESIGN_ATTEMPT_TIMEOUT', retryable: true });
    expect(dispatcher.dispatched).toBe(2);

    const deadlineOnly = createTelesignClient({
      customerId: CUSTOMER_ID,
      apiKey: API_KEY,
      dispatcher,
      timeoutMs: 150,
      retry: false,
    });
    const late = await within(rejection(deadlineOnly.getLiveStatus('+14155552671')), 5000);
    expect(late).toMatchObject({ code: 'TELESIGN_TIMEOUT' });

    const controller = new AbortController();
    const aborted = rejection(c.getLiveStatus('+14155552671', { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('user left')), 20);
    expect(await within(aborted, 5000)).toMatchObject({ code: 'TELESIGN_ABORTED' });
    // close() does not wait on the dispatcher's abandoned requests.
    expect(await within(Promise.all([c.close(), deadlineOnly.close()]), 5000)).not.toBe(
      'STILL PENDING',
    );
  });
});
