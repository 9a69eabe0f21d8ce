import { request as httpRequest } from 'node:http';
import { signTelesignRequest } from '@phone-guard/core';
import {
  OVERSIZED_BODY_BYTES,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
  TEST_NUMBERS,
  type TestNumberName,
} from '@phone-guard/sandbox';
import { afterEach, describe, expect, it } from 'vitest';

const BASIC = `Basic ${Buffer.from(`${SANDBOX_CUSTOMER_ID}:${SANDBOX_API_KEY}`).toString('base64')}`;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  sandbox = await startSandbox(options);
  return sandbox;
}

const digits = (name: TestNumberName) => TEST_NUMBERS[name].slice(1);

interface Envelope {
  reference_id: string;
  status: { code: number; description: string; updated_on: string };
  errors: { code: number; description: string }[];
  live?: Record<string, unknown> | null;
  phone_type?: { code: string; description: string };
  carrier?: { name: string | null };
  location?: Record<string, unknown>;
  numbering?: Record<string, unknown>;
}

async function lookup(
  number: string,
  init: {
    ucid?: string | null;
    method?: string;
    timeoutMs?: number;
    headers?: Record<string, string>;
  } = {},
) {
  const ucid = init.ucid === undefined ? 'BACS' : init.ucid;
  const query = ucid === null ? '' : `?ucid=${ucid}`;
  const res = await fetch(`${sandbox!.url}/v1/phoneid/live/${number}${query}`, {
    method: init.method ?? 'GET',
    headers: { authorization: BASIC, ...init.headers },
    signal: AbortSignal.timeout(init.timeoutMs ?? 5000),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as Envelope,
  };
}

describe('success envelope', () => {
  it("answers Telesign's exact success shape", async () => {
    await start();
    const answer = await lookup(digits('active'));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    const body = answer.json();
    expect(Object.keys(body).sort()).toEqual(
      [
        'carrier',
        'errors',
        'live',
        'location',
        'numbering',
        'phone_type',
        'reference_id',
        'resource_uri',
        'status',
        'sub_resource',
      ].sort(),
    );
    expect(body.reference_id).toMatch(/^[0-9A-F]{32}$/);
    expect(body.status).toEqual({
      code: 300,
      description: 'Transaction successfully completed',
      updated_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
    });
    expect(body.errors).toEqual([]);
    expect(body.phone_type).toEqual({ code: '2', description: 'MOBILE' });
    expect(body.live).toEqual({
      subscriber_status: 'ACTIVE',
      device_status: 'REACHABLE',
      roaming: 'NO',
      roaming_country: null,
      roaming_country_iso2: null,
    });
    expect(body.numbering).toMatchObject({
      original: {
        phone_number: '4155550100',
        complete_phone_number: '14155550100',
        country_code: '1',
      },
      cleansing: {
        call: { cleansed_code: 100, country_code: '1', min_length: 10, max_length: 10 },
      },
    });
    expect(body.location).toMatchObject({
      country: { iso2: 'US', iso3: 'USA', name: 'United States' },
    });
    expect(typeof body.carrier?.name).toBe('string');
  });

  it('answers each live row as documented', async () => {
    await start();
    const expectations: [TestNumberName, Record<string, unknown>, string][] = [
      ['unreachable', { subscriber_status: 'ACTIVE', device_status: 'UNREACHABLE' }, '2'],
      ['deviceUnavailable', { device_status: 'UNAVAILABLE' }, '2'],
      ['roaming', { roaming: 'YES', roaming_country_iso2: 'MX' }, '2'],
      ['disconnected', { subscriber_status: 'DISCONNECTED' }, '2'],
      ['voip', { subscriber_status: 'ACTIVE', device_status: 'REACHABLE' }, '5'],
      ['prepaid', { subscriber_status: 'ACTIVE', device_status: 'REACHABLE' }, '3'],
    ];
    for (const [name, live, type] of expectations) {
      const body = (await lookup(digits(name))).json();
      expect({ name, live: body.live, type: body.phone_type?.code }).toMatchObject({
        name,
        live,
        type,
      });
    }
  });

  it('sends odd values for oddValues: unknown enum, string "null", string coordinates', async () => {
    await start();
    const body = (await lookup(digits('oddValues'))).json();
    expect(body.live).toMatchObject({
      subscriber_status: 'ACTIVE',
      device_status: 'REACHABLE',
      roaming: 'PARTIAL',
      roaming_country: 'null',
      roaming_country_iso2: 'null',
    });
    const coords = (body.location as { coordinates: { latitude: unknown } }).coordinates;
    expect(typeof coords.latitude).toBe('string');
  });

  it('answers -60001 with status 301 and live: null for notFound', async () => {
    await start();
    const answer = await lookup(digits('notFound'));
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(body.status.code).toBe(301);
    expect(body.errors).toEqual([{ code: -60001, description: 'PhoneID Live Data Not Found' }]);
    expect(body.live).toBeNull();
  });
});

describe('error rows', () => {
  const rows: [TestNumberName, number, number | null][] = [
    ['errNotAllowedHost', 400, -10001],
    ['errRateLimited', 429, -40007],
    ['errRateLimited400', 400, -40007],
    ['errLegalBlock', 400, 10041],
    ['errProductNotEnabled', 401, -20002],
    ['errAccountSuspended', 401, -30001],
    ['errNotAuthorized', 401, -40002],
    ['errPaymentRequired', 402, null],
    ['errStatusUnavailable', 404, -40001],
    ['errNotFound', 404, -40004],
    ['errMethodNotAllowed', 405, -40005],
    ['errHardCap', 429, -40008],
    ['errInternal', 500, null],
    ['errUnavailable', 503, -90001],
    ['errInvalidSourceIp', 401, -10009],
    ['errAccountNotActivated', 401, -30002],
    ['errFeatureNotEnabled', 401, -20003],
    ['errNewAccountLimit', 401, -30003],
  ];

  it('answers every error row with its HTTP status and code in the error envelope', async () => {
    await start();
    for (const [name, http, code] of rows) {
      const answer = await lookup(digits(name));
      const body = answer.json();
      expect({ name, http: answer.status, codes: body.errors.map((e) => e.code) }).toEqual({
        name,
        http,
        codes: code === null ? [] : [code],
      });
      expect(Object.keys(body).sort()).toEqual(['errors', 'reference_id', 'status']);
      expect([500, 501]).toContain(body.status.code);
    }
    const rateLimited = await lookup(digits('errRateLimited'));
    expect(rateLimited.headers.get('retry-after')).toBe('1');
  });

  it('covers every row of TEST_NUMBERS in some test', () => {
    const named = new Set<string>([
      ...rows.map(([n]) => n),
      'active',
      'unreachable',
      'deviceUnavailable',
      'roaming',
      'disconnected',
      'notFound',
      'voip',
      'prepaid',
      'oddValues',
      'faultHang',
      'faultSlow',
      'faultMalformedJson',
      'faultTruncated',
      'faultReset',
      'faultOversized',
      'faultNoEnvelope',
      'faultFlaky',
    ]);
    expect(Object.keys(TEST_NUMBERS).filter((n) => !named.has(n))).toEqual([]);
  });
});

describe('request validation', () => {
  it('answers 400 -10001 for a path that is not 6 to 15 digits', async () => {
    await start();
    for (const bad of ['%2B14155550100', '1415555abc', '12345', '1234567890123456', '']) {
      const answer = await lookup(bad);
      expect({ bad, status: answer.status, code: answer.json().errors[0]?.code }).toEqual({
        bad,
        status: 400,
        code: -10001,
      });
    }
    expect(
      sandbox!.requests.every((r) => r.outcome === 'invalid-request' && r.digits === null),
    ).toBe(true);
  });

  it('answers 400 -10001 for a missing or unknown ucid', async () => {
    await start();
    for (const ucid of [null, 'NOPE', 'bacs', '']) {
      const answer = await lookup(digits('active'), { ucid });
      expect({ ucid, status: answer.status, code: answer.json().errors[0]?.code }).toEqual({
        ucid,
        status: 400,
        code: -10001,
      });
    }
    for (const ucid of ['ATCK', 'PWRT', 'UNKN', 'TRVF']) {
      expect((await lookup(digits('active'), { ucid })).status).toBe(200);
    }
  });

  it('answers 405 -40005 for methods other than GET, and 404 -40004 for other paths', async () => {
    await start();
    const post = await lookup(digits('active'), { method: 'POST' });
    expect([post.status, post.json().errors[0]?.code]).toEqual([405, -40005]);
    expect(post.headers.get('allow')).toBe('GET');
    // GET on Phone ID (POST only) is 405 too, with its own Allow.
    const get = await fetch(`${sandbox!.url}/v1/phoneid/14155550100`, {
      headers: { authorization: BASIC },
      signal: AbortSignal.timeout(5000),
    });
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    await get.arrayBuffer();
    for (const path of ['/v1/phoneid/live/14155550100/x', '/v1/verify/14155550100', '/']) {
      const res = await fetch(`${sandbox!.url}${path}`, {
        headers: { authorization: BASIC },
        signal: AbortSignal.timeout(5000),
      });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as Envelope).errors[0]?.code).toBe(-40004);
    }
  });

  it('authenticates before validating the number', async () => {
    await start();
    const res = await fetch(`${sandbox!.url}/v1/phoneid/live/abc?ucid=BACS`, {
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Envelope).errors[0]?.code).toBe(-30004);
  });
});

/** A raw HTTP GET that reports transport errors instead of throwing. */
function rawGet(
  path: string,
  timeoutMs: number,
): Promise<{
  status?: number | undefined;
  headers?: Record<string, unknown>;
  body?: Buffer;
  error?: string;
}> {
  return new Promise((resolve) => {
    const req = httpRequest(`${sandbox!.url}${path}`, {
      headers: { authorization: BASIC },
      agent: false,
    });
    const timer = setTimeout(() => {
      req.destroy(new Error('client timeout'));
    }, timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (err) => {
        clearTimeout(timer);
        resolve({ status: res.statusCode, error: err.message });
      });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message });
    });
    req.end();
  });
}

const livePath = (name: TestNumberName) => `/v1/phoneid/live/${digits(name)}?ucid=BACS`;

describe('faults', () => {
  it('faultHang never answers; the client gives up', async () => {
    await start();
    const answer = await rawGet(livePath('faultHang'), 300);
    expect(answer.error).toBe('client timeout');
    expect(sandbox!.requests[0]).toMatchObject({ outcome: 'fault-hang', httpStatus: null });
  });

  it('faultSlow answers ACTIVE after slowMs', async () => {
    await start({ slowMs: 300 });
    const started = Date.now();
    const answer = await lookup(digits('faultSlow'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(answer.json().live).toMatchObject({ subscriber_status: 'ACTIVE' });
    // A client with a shorter deadline gives up first.
    const early = await rawGet(livePath('faultSlow'), 100);
    expect(early.error).toBe('client timeout');
  });

  it('faultMalformedJson sends 200 with a body that is not JSON', async () => {
    await start();
    const answer = await lookup(digits('faultMalformedJson'));
    expect(answer.status).toBe(200);
    expect(() => JSON.parse(answer.text)).toThrow();
  });

  it('faultTruncated stops the body before Content-Length', async () => {
    await start();
    const answer = await rawGet(livePath('faultTruncated'), 5000);
    expect(answer.status).toBe(200);
    expect(answer.error).toBeDefined();
    await expect(lookup(digits('faultTruncated'))).rejects.toThrow();
  });

  it('faultReset resets the connection', async () => {
    await start();
    const answer = await rawGet(livePath('faultReset'), 5000);
    expect(answer.status).toBeUndefined();
    expect(answer.error).toMatch(/ECONNRESET|socket hang up/);
    expect(sandbox!.requests[0]).toMatchObject({ outcome: 'fault-reset', httpStatus: null });
  });

  it('faultOversized sends exactly 4 MiB of valid JSON', async () => {
    await start();
    const answer = await rawGet(livePath('faultOversized'), 10_000);
    expect(answer.status).toBe(200);
    expect(answer.headers?.['content-length']).toBe(String(OVERSIZED_BODY_BYTES));
    expect(answer.body?.length).toBe(4 * 1024 * 1024);
    expect(JSON.parse(answer.body!.toString('utf8'))).toMatchObject({ status: { code: 300 } });
  });

  it('faultNoEnvelope sends JSON without the envelope', async () => {
    await start();
    const body = JSON.parse((await lookup(digits('faultNoEnvelope'))).text) as Record<
      string,
      unknown
    >;
    expect(body).not.toHaveProperty('status');
    expect(body).not.toHaveProperty('errors');
  });

  it('faultFlaky answers 503 -90001 twice, then ACTIVE; reset() starts over', async () => {
    await start();
    const seq = async () => {
      const out: number[] = [];
      for (let i = 0; i < 3; i++) out.push((await lookup(digits('faultFlaky'))).status);
      return out;
    };
    expect(await seq()).toEqual([503, 503, 200]);
    expect((await lookup(digits('faultFlaky'))).status).toBe(200);
    sandbox!.reset();
    expect(await seq()).toEqual([503, 503, 200]);
    expect(sandbox!.requests.map((r) => r.telesignCode)).toEqual([-90001, -90001, null]);
  });
});

describe('behaviour options', () => {
  it('repeatWindowMs answers -60001 to a repeat within the window', async () => {
    let now = 1_700_000_000_000;
    await start({ repeatWindowMs: 10_000, now: () => now });
    expect((await lookup(digits('active'))).json().status.code).toBe(300);
    now += 5_000;
    const repeat = (await lookup(digits('active'))).json();
    expect([repeat.status.code, repeat.errors[0]?.code, repeat.live]).toEqual([301, -60001, null]);
    expect((await lookup(digits('unreachable'))).json().status.code).toBe(300);
    now += 5_001;
    expect((await lookup(digits('active'))).json().status.code).toBe(300);
    expect(sandbox!.requests.map((r) => r.outcome)).toEqual([
      'live',
      'repeat-not-found',
      'live',
      'live',
    ]);
  });

  it('failureRate answers 503 -90001 when random() < failureRate, only for normal look-ups', async () => {
    const rolls = [0.1, 0.9, 0.49, 0.5];
    let calls = 0;
    await start({ failureRate: 0.5, random: () => rolls[calls++ % rolls.length]! });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await lookup(digits('active'))).status);
    expect(statuses).toEqual([503, 200, 503, 200]);
    expect((await lookup(digits('errLegalBlock'))).status).toBe(400);
    expect(calls).toBe(4);
    const failed = (await lookup('447700900123')).json();
    expect(failed.errors[0]?.code).toBe(-90001);
    expect(sandbox!.requests[0]).toMatchObject({
      outcome: 'injected-failure',
      telesignCode: -90001,
    });
  });

  it('latencyMs delays every answer', async () => {
    await start({ latencyMs: 200 });
    const started = Date.now();
    expect((await lookup(digits('active'))).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
  });
});

describe('numbers outside the table', () => {
  it('answer deterministically, across sandboxes', async () => {
    const sample = Array.from(
      { length: 40 },
      (_, i) => `1206555${String(1000 + i * 37).padStart(4, '0')}`,
    );
    await start();
    const first = [];
    for (const n of sample) {
      const b = (await lookup(n)).json();
      first.push([b.status.code, b.live, b.phone_type, b.carrier, b.location]);
    }
    await sandbox!.close();
    await start();
    for (const [i, n] of sample.entries()) {
      const b = (await lookup(n)).json();
      expect([b.status.code, b.live, b.phone_type, b.carrier, b.location]).toEqual(first[i]);
    }
  });

  it('are mostly ACTIVE, some DISCONNECTED, a few -60001, with varied carriers', async () => {
    await start();
    const counts = { active: 0, disconnected: 0, notFound: 0 };
    const carriers = new Set<string | null | undefined>();
    const n = 300;
    for (let i = 0; i < n; i++) {
      const b = (await lookup(`44770090${String(i).padStart(4, '0')}`)).json();
      carriers.add(b.carrier?.name);
      if (b.live === null) counts.notFound++;
      else if (b.live?.['subscriber_status'] === 'DISCONNECTED') counts.disconnected++;
      else counts.active++;
    }
    expect(counts.active / n).toBeGreaterThan(0.8);
    expect(counts.active / n).toBeLessThan(0.95);
    expect(counts.disconnected).toBeGreaterThan(5);
    expect(counts.notFound).toBeGreaterThan(3);
    expect(carriers.size).toBeGreaterThan(2);
  });
});

describe('requests log', () => {
  it('records each request without any secret', async () => {
    await start();
    const resource = `/v1/phoneid/live/${digits('active')}`;
    const headers = signTelesignRequest(
      { method: 'GET', resource, nonce: 'nonce-that-must-not-leak-1234' },
      { customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
    );
    await lookup(digits('active'), { headers: { ...headers } as Record<string, string> });
    await lookup(digits('disconnected'), { ucid: 'PWRT' });
    expect(sandbox!.requests).toEqual([
      {
        method: 'GET',
        path: resource,
        endpoint: 'live',
        body: null,
        digits: digits('active'),
        ucid: 'BACS',
        authScheme: 'digest',
        testNumber: 'active',
        pinned: false,
        httpStatus: 200,
        telesignCode: null,
        outcome: 'live',
        at: expect.any(Number),
      },
      expect.objectContaining({ authScheme: 'basic', ucid: 'PWRT', testNumber: 'disconnected' }),
    ]);
    const serialized = JSON.stringify(sandbox!.requests);
    for (const secret of [
      SANDBOX_API_KEY,
      BASIC,
      BASIC.slice(6),
      headers.authorization,
      headers.authorization.split(':')[1]!,
      'nonce-that-must-not-leak-1234',
    ]) {
      expect(serialized).not.toContain(secret);
    }
    sandbox!.reset();
    expect(sandbox!.requests).toEqual([]);
  });

  it('keeps at most maxRecordedRequests', async () => {
    await start({ maxRecordedRequests: 2 });
    for (const name of ['active', 'unreachable', 'roaming'] as const) await lookup(digits(name));
    expect(sandbox!.requests.map((r) => r.testNumber)).toEqual(['unreachable', 'roaming']);
  });
});

describe('lifecycle', () => {
  it('close() resolves promptly with a hung request and a slow one open', async () => {
    await start({ slowMs: 60_000, latencyMs: 0 });
    const hung = rawGet(livePath('faultHang'), 30_000);
    const slow = rawGet(livePath('faultSlow'), 30_000);
    while (sandbox!.requests.length < 2) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await sandbox!.close();
    // Generous: the point is "not 30 or 60 seconds".
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await hung).error).toBeDefined();
    expect((await slow).error).toBeDefined();
    // Idempotent.
    await sandbox!.close();
  });

  it('listens on the requested host and reports url and port', async () => {
    const s = await start({ host: '127.0.0.1' });
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
  });

  it('rejects when the port is taken', async () => {
    const s = await start();
    await expect(startSandbox({ port: s.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('options validation', () => {
  it.each([
    [{ bogus: 1 }, 'bogus'],
    [{ port: -1 }, 'port'],
    [{ port: 1.5 }, 'port'],
    [{ port: 70000 }, 'port'],
    [{ host: '' }, 'host'],
    [{ customerId: 'a:b' }, 'customerId'],
    [{ apiKey: '' }, 'apiKey'],
    [{ apiKey: 'my-key!' }, 'apiKey'],
    [{ apiKey: '!!!', auth: 'digest' }, 'apiKey'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ latencyMs: Number.NaN }, 'latencyMs'],
    [{ latencyMs: 'fast' }, 'latencyMs'],
    [{ latencyMs: { live: -1 } }, 'latencyMs.live'],
    [{ latencyMs: { verify: 10 } }, 'latencyMs.verify'],
    [{ pins: [] }, 'pins'],
    [{ pins: { '+1': 'active' } }, 'pins'],
    [{ pins: { '+14155550100': 'GB.active' } }, 'pins'],
    [{ failureRate: 1.5 }, 'failureRate'],
    [{ repeatWindowMs: -5 }, 'repeatWindowMs'],
    [{ slowMs: Number.POSITIVE_INFINITY }, 'slowMs'],
    [{ auth: 'hmac' }, 'auth'],
    [{ dateSkewMs: -1 }, 'dateSkewMs'],
    [{ now: 5 }, 'now'],
    [{ random: 'x' }, 'random'],
    [{ maxRecordedRequests: 1.5 }, 'maxRecordedRequests'],
  ])('rejects %o', async (options, option) => {
    await expect(startSandbox(options as SandboxOptions)).rejects.toMatchObject({
      name: 'PhoneGuardOptionError',
      code: 'PG_INVALID_OPTION',
      option,
    });
  });

  it("accepts any non-empty key with auth: 'basic', and says why a key cannot sign", async () => {
    const s = await start({ apiKey: 'my-key!', auth: 'basic' });
    expect(s.url).toMatch(/^http:/);
    const err: Error = await startSandbox({ apiKey: 'my-key!' }).then(
      async (started) => {
        await started.close();
        return new Error('started');
      },
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/option "apiKey" is not a Telesign API key/);
    expect(err.message).toMatch(/auth: 'basic'/);
    expect(err.message).not.toContain('my-key!');
  });

  it('does not mutate the options object', async () => {
    const options = Object.freeze({ latencyMs: undefined, port: 0 });
    await start(options);
    expect(options).toEqual({ latencyMs: undefined, port: 0 });
  });
});
