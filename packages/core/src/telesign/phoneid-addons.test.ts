/**
 * getPhoneIdAddons over real HTTP (a loopback node:http server that records each request):
 * the request body, content type and signature; every parse variant and add-on status;
 * the HTTP error table; retries of "temporarily unavailable"; the legacy endpoint; abort
 * and deadline.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faultOf, isTelesignError, PhoneGuardOptionError } from '../model/errors.js';
import type { PhoneIdAddonsOptions } from '../model/identity-signals.js';
import { createTelesignClient, type TelesignClientOptions } from './client.js';
import { signTelesignRequest } from './signing.js';

const CUSTOMER_ID = 'FFFFFFFF-EEEE-DDDD-1234-AB1234567890';
const API_KEY = 'cGhvbmUtZ3VhcmQgdGVzdCBrZXkgLSBub3QgYSBzZWNyZXQh';
const PHONE = '+14155552671';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  closedEarly: boolean;
}
type Handler = (seen: Seen, res: ServerResponse, count: number) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let seen: Seen[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closedEarly: false,
      };
      seen.push(entry);
      res.on('close', () => {
        if (!res.writableFinished) entry.closedEarly = true;
      });
      handler(entry, res, seen.length);
    });
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

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const STATUS_OK = { code: 2800, description: 'Request successfully completed' };

/** A Phone ID answer with the given add-on blocks. */
function addonsBody(blocks: Record<string, unknown>) {
  return {
    reference_id: 'ADDREF',
    status: { code: 300, description: 'Transaction successfully completed' },
    errors: [],
    numbering: { original: { complete_phone_number: '14155552671', country_code: '1' } },
    phone_type: { code: '2', description: 'MOBILE' },
    carrier: { name: 'Verizon' },
    location: { country: { iso2: 'US' }, coordinates: { latitude: '33.8', longitude: -117.8 } },
    ...blocks,
  };
}

const DOCS_DEACTIVATION = {
  carrier_name: 'Verizon',
  last_deactivated: '2018-04-06T00:00:00Z',
  tracking_since: '2014-10-06T00:00:00Z',
  recycled_since_last_verification: 'recycled',
  status: STATUS_OK,
};
const DOCS_SIM_SWAP = {
  swap_date: '2018-09-05',
  swap_time: '22:00:00',
  risk_indicator: 1,
  status: STATUS_OK,
};

async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

function expectDigest(
  req: Seen,
  method: string,
  resource: string,
  contentType: string,
  body?: string,
) {
  const expected = signTelesignRequest(
    {
      method,
      resource,
      contentType,
      body,
      date: req.headers.date,
      nonce: req.headers['x-ts-nonce'] as string,
    },
    { customerId: CUSTOMER_ID, apiKey: API_KEY },
  );
  expect(req.headers['x-ts-auth-method']).toBe('HMAC-SHA256');
  expect(req.headers.authorization).toBe(expected.authorization);
}

describe('getPhoneIdAddons: the request', () => {
  it('POSTs the JSON body with both add-ons and last_verified, signed with body and content type', async () => {
    handler = (_req, res) =>
      send(
        res,
        200,
        addonsBody({ number_deactivation: DOCS_DEACTIVATION, sim_swap: DOCS_SIM_SWAP }),
      );
    const lastVerifiedAt = new Date('2024-03-11T07:30:00.123Z');
    await client().getPhoneIdAddons(PHONE, {
      numberDeactivation: { lastVerifiedAt },
      simSwap: true,
    });
    const req = seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/phoneid/14155552671');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toBe(
      '{"addons":{"number_deactivation":{"last_verified":"2024-03-11T07:30:00Z"},"sim_swap":{}},"consent":{"method":1}}',
    );
    expectDigest(req, 'POST', '/v1/phoneid/14155552671', 'application/json', req.body);
    // The body is part of the signature: another body would not verify.
    const tampered = signTelesignRequest(
      {
        method: 'POST',
        resource: '/v1/phoneid/14155552671',
        contentType: 'application/json',
        body: '{}',
        date: req.headers.date,
        nonce: req.headers['x-ts-nonce'] as string,
      },
      { customerId: CUSTOMER_ID, apiKey: API_KEY },
    );
    expect(req.headers.authorization).not.toBe(tampered.authorization);
  });

  it('sends only the add-ons asked for, last_verified only when given', async () => {
    handler = (_req, res) => send(res, 200, addonsBody({}));
    const c = client();
    const cases: Array<[PhoneIdAddonsOptions, string]> = [
      [
        { numberDeactivation: true },
        '{"addons":{"number_deactivation":{}},"consent":{"method":1}}',
      ],
      [{ numberDeactivation: {} }, '{"addons":{"number_deactivation":{}},"consent":{"method":1}}'],
      [{ simSwap: true }, '{"addons":{"sim_swap":{}},"consent":{"method":1}}'],
      [
        { numberDeactivation: false, simSwap: true },
        '{"addons":{"sim_swap":{}},"consent":{"method":1}}',
      ],
      [
        { numberDeactivation: { lastVerifiedAt: new Date(Date.UTC(2020, 0, 2)) } },
        '{"addons":{"number_deactivation":{"last_verified":"2020-01-02T00:00:00Z"}},"consent":{"method":1}}',
      ],
    ];
    for (const [options, body] of cases) {
      await c.getPhoneIdAddons('14155552671', options);
      const req = seen.at(-1)!;
      expect(req.body, JSON.stringify(options)).toBe(body);
      expect(req.url).toBe('/v1/phoneid/14155552671');
      expectDigest(req, 'POST', '/v1/phoneid/14155552671', 'application/json', body);
    }
  });

  it('Basic authentication and a base URL path prefix', async () => {
    handler = (_req, res) => send(res, 200, addonsBody({}));
    await client({ authMethod: 'basic', baseUrl: `${baseUrl}/proxy/` }).getPhoneIdAddons(PHONE, {
      simSwap: true,
    });
    expect(seen[0]!.url).toBe('/proxy/v1/phoneid/14155552671');
    expect(seen[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${CUSTOMER_ID}:${API_KEY}`).toString('base64')}`,
    );
    expect(seen[0]!.headers['content-type']).toBe('application/json');
  });

  it('rejects malformed options and numbers before any I/O', async () => {
    handler = (_req, res) => send(res, 200, addonsBody({}));
    const c = client();
    const bad: unknown[] = [
      undefined,
      {},
      { numberDeactivation: false },
      { numberDeactivation: false, simSwap: false },
      { numberDeactivation: 'yes' },
      { numberDeactivation: { lastVerifiedAt: '2024-01-01' } },
      { numberDeactivation: { lastVerifiedAt: new Date(Number.NaN) } },
      { numberDeactivation: { lastVerifiedAt: new Date(Date.UTC(10_000, 0, 1)) } },
      { numberDeactivation: { verifiedAt: new Date() } },
      { simSwap: 1 },
      { simSwap: true, useCase: 'PWRT' },
      { simSwap: true, signal: 'stop' },
    ];
    for (const options of bad) {
      const err = await rejection(c.getPhoneIdAddons(PHONE, options as PhoneIdAddonsOptions));
      expect(err, JSON.stringify(options)).toBeInstanceOf(PhoneGuardOptionError);
    }
    const nested = await rejection(
      c.getPhoneIdAddons(PHONE, { numberDeactivation: { when: 1 } } as never),
    );
    expect(nested.option).toBe('numberDeactivation.when');
    const phone = await rejection(c.getPhoneIdAddons('+1 415', { simSwap: true }));
    expect(phone).toMatchObject({ code: 'TELESIGN_INVALID_PHONE', fault: 'request' });
    expect(seen).toHaveLength(0);
  });
});

describe('getPhoneIdAddons: the answer', () => {
  it('parses the documented example into typed records', async () => {
    handler = (_req, res) =>
      send(
        res,
        200,
        addonsBody({ number_deactivation: DOCS_DEACTIVATION, sim_swap: DOCS_SIM_SWAP }),
      );
    const addons = await client({ now: () => 1_700_000_000_000 }).getPhoneIdAddons(PHONE, {
      numberDeactivation: { lastVerifiedAt: new Date('2017-01-01') },
      simSwap: true,
    });
    expect(addons).toEqual({
      phone: PHONE,
      numberDeactivation: {
        status: { code: 2800, outcome: 'data', description: 'Request successfully completed' },
        lastDeactivatedAt: Date.UTC(2018, 3, 6),
        trackingSince: Date.UTC(2014, 9, 6),
        carrier: 'Verizon',
        telesignVerdict: 'recycled',
      },
      simSwap: {
        status: { code: 2800, outcome: 'data', description: 'Request successfully completed' },
        risk: 1,
        swappedAt: Date.UTC(2018, 8, 5, 22),
      },
      referenceId: 'ADDREF',
      statusCode: 300,
      checkedAt: 1_700_000_000_000,
    });
  });

  it('tolerates the type variants: timestamps, string risks, null and absent dates', async () => {
    const variants: Array<[Record<string, unknown>, Record<string, unknown>, object, object]> = [
      [
        { last_deactivated: null, tracking_since: '2014-10-06T00:00:00Z', status: STATUS_OK },
        { swap_date: '2018-09-05T22:00:00Z', risk_indicator: '3', status: STATUS_OK },
        { lastDeactivatedAt: null, trackingSince: Date.UTC(2014, 9, 6), telesignVerdict: null },
        { risk: 3, swappedAt: Date.UTC(2018, 8, 5, 22) },
      ],
      [
        { status: { code: '2800' } },
        { risk_indicator: 2, status: STATUS_OK },
        { status: { code: 2800, outcome: 'data' }, lastDeactivatedAt: null, trackingSince: null },
        { risk: 2, swappedAt: null },
      ],
      [
        { last_deactivated: 'null', tracking_since: '', status: STATUS_OK },
        { swap_date: 'null', risk_indicator: '9', status: STATUS_OK },
        { lastDeactivatedAt: null, trackingSince: null },
        { risk: null, swappedAt: null },
      ],
    ];
    const c = client();
    for (const [deactivation, swap, nd, ss] of variants) {
      handler = (_req, res) =>
        send(res, 200, addonsBody({ number_deactivation: deactivation, sim_swap: swap }));
      const r = await c.getPhoneIdAddons(PHONE, { numberDeactivation: true, simSwap: true });
      expect(r.numberDeactivation).toMatchObject(nd);
      expect(r.simSwap).toMatchObject(ss);
    }
  });

  it('maps every add-on status; only the all-retryable answer is asked again', async () => {
    const expected: Array<[number, string]> = [
      [2800, 'data'],
      [2801, 'bug'],
      [2803, 'unknown'],
      [2804, 'unknown'],
      [2805, 'unknown'],
      [2806, 'config_error'],
      [2807, 'bug'],
      [2899, 'unknown'],
    ];
    const c = client();
    for (const [code, outcome] of expected) {
      seen = [];
      handler = (_req, res) =>
        send(
          res,
          200,
          addonsBody({
            number_deactivation: { status: { code, description: `status ${code}` } },
            sim_swap: { status: { code, description: `status ${code}` } },
          }),
        );
      const r = await c.getPhoneIdAddons(PHONE, { numberDeactivation: true, simSwap: true });
      expect(r.numberDeactivation?.status, String(code)).toEqual({
        code,
        outcome,
        description: `status ${code}`,
      });
      expect(r.simSwap?.status.outcome).toBe(outcome);
      expect(seen, String(code)).toHaveLength(1);
    }
  });

  it('2802 / 2810 / 2811 on every add-on asked for: retried within attempts, then resolved as retryable', async () => {
    for (const code of [2802, 2810, 2811]) {
      seen = [];
      handler = (_req, res) => send(res, 200, addonsBody({ sim_swap: { status: { code } } }));
      const r = await client().getPhoneIdAddons(PHONE, { simSwap: true });
      expect(r.simSwap).toEqual({
        status: { code, outcome: 'retryable', description: null },
        risk: null,
        swappedAt: null,
      });
      expect(seen).toHaveLength(3);
    }
    seen = [];
    handler = (_req, res, n) =>
      send(
        res,
        200,
        addonsBody({
          number_deactivation: n === 1 ? { status: { code: 2811 } } : DOCS_DEACTIVATION,
          sim_swap: n === 1 ? { status: { code: 2802 } } : DOCS_SIM_SWAP,
        }),
      );
    const recovered = await client().getPhoneIdAddons(PHONE, {
      numberDeactivation: true,
      simSwap: true,
    });
    expect(recovered.numberDeactivation?.status.outcome).toBe('data');
    expect(recovered.simSwap?.risk).toBe(1);
    expect(seen).toHaveLength(2);
  });

  it('a retryable add-on next to one that answered is not asked again (no second bill)', async () => {
    handler = (_req, res) =>
      send(
        res,
        200,
        addonsBody({
          number_deactivation: DOCS_DEACTIVATION,
          sim_swap: { status: { code: 2810 } },
        }),
      );
    const r = await client().getPhoneIdAddons(PHONE, { numberDeactivation: true, simSwap: true });
    expect(r.numberDeactivation?.status.outcome).toBe('data');
    expect(r.simSwap?.status.outcome).toBe('retryable');
    expect(seen).toHaveLength(1);
  });

  it('retry: false makes one attempt even for an all-retryable answer', async () => {
    handler = (_req, res) => send(res, 200, addonsBody({ sim_swap: { status: { code: 2802 } } }));
    const r = await client({ retry: false }).getPhoneIdAddons(PHONE, { simSwap: true });
    expect(r.simSwap?.status.outcome).toBe('retryable');
    expect(seen).toHaveLength(1);
  });

  it('a retry that fails after a retryable answer resolves with that answer', async () => {
    handler = (_req, res, n) =>
      n === 1
        ? send(res, 200, addonsBody({ sim_swap: { status: { code: 2802 } } }))
        : send(res, 401, { errors: [{ code: 10008 }] });
    const r = await client().getPhoneIdAddons(PHONE, { simSwap: true });
    expect(r.simSwap?.status.outcome).toBe('retryable');
    expect(seen).toHaveLength(2);
  });

  it('a deadline that passes after a retryable answer resolves with that answer', async () => {
    handler = (_req, res, n) =>
      n === 1 ? send(res, 200, addonsBody({ sim_swap: { status: { code: 2811 } } })) : undefined;
    const t0 = Date.now();
    const r = await client({ timeoutMs: 400 }).getPhoneIdAddons(PHONE, { simSwap: true });
    expect(r.simSwap?.status.outcome).toBe('retryable');
    expect(Date.now() - t0).toBeLessThan(400 + 1500);
    await expect.poll(() => seen[1]?.closedEarly, { timeout: 2000 }).toBe(true);
  });
});

describe('getPhoneIdAddons: errors', () => {
  const errorBody = (code: number | undefined) => ({
    reference_id: 'ERRREF',
    status: { code: 500, description: 'Transaction not attempted' },
    errors:
      code === undefined ? [] : [{ code, description: `Telesign error ${code} for 14155552671` }],
  });
  const table: Array<[number, number | undefined, string, boolean, string]> = [
    [400, 11000, 'TELESIGN_INVALID_NUMBER', false, 'request'],
    [400, 11001, 'TELESIGN_INVALID_NUMBER', false, 'request'],
    [400, 12000, 'TELESIGN_INVALID_NUMBER', false, 'request'],
    [400, 10032, 'TELESIGN_NUMBER_BLOCKED', false, 'request'],
    [401, 10008, 'TELESIGN_AUTH_FAILED', false, 'config'],
    [401, 10015, 'TELESIGN_AUTH_FAILED', false, 'config'],
    [401, -20002, 'TELESIGN_CONFIG', false, 'config'],
    [402, 10030, 'TELESIGN_PAYMENT_REQUIRED', false, 'config'],
    [404, 10017, 'TELESIGN_NOT_FOUND', false, 'request'],
    [429, 10019, 'TELESIGN_RATE_LIMITED', true, 'upstream'],
    [429, 10020, 'TELESIGN_HARD_CAP', false, 'config'],
    [500, -10000, 'TELESIGN_SERVER_ERROR', true, 'upstream'],
    [503, -90001, 'TELESIGN_UNAVAILABLE', true, 'upstream'],
    [500, undefined, 'TELESIGN_SERVER_ERROR', true, 'upstream'],
  ];
  for (const [http, tsCode, code, retryable, fault] of table) {
    it(`HTTP ${http} ${tsCode ?? ''} → ${code} (${fault}, ${retryable ? 'retried' : 'not retried'})`, async () => {
      handler = (_req, res) => send(res, http, errorBody(tsCode));
      const err = await rejection(
        client().getPhoneIdAddons(PHONE, { numberDeactivation: true, simSwap: true }),
      );
      expect(isTelesignError(err)).toBe(true);
      expect(err).toMatchObject({
        code,
        httpStatus: http,
        telesignCode: tsCode,
        retryable,
        referenceId: 'ERRREF',
      });
      expect(faultOf(err)).toBe(fault);
      expect(seen).toHaveLength(retryable ? 3 : 1);
      expect(err.message).toMatch(/^Telesign add-on look-up for \+1415\*{5}71 failed/);
      expect(`${err.message} ${String(err.telesignDescription)}`).not.toContain('14155552671');
    });
  }

  it('non-JSON and envelope-less 2xx bodies are typed errors', async () => {
    handler = (_req, res) => send(res, 200, '<html>proxy</html>');
    expect((await rejection(client().getPhoneIdAddons(PHONE, { simSwap: true }))).code).toBe(
      'TELESIGN_MALFORMED_RESPONSE',
    );
    handler = (_req, res) => send(res, 200, { sim_swap: { status: STATUS_OK } });
    expect((await rejection(client().getPhoneIdAddons(PHONE, { simSwap: true }))).code).toBe(
      'TELESIGN_NO_ENVELOPE',
    );
  });
});

describe('getPhoneIdAddons: time and cancellation', () => {
  it("the caller's abort cancels the request for real", async () => {
    handler = () => {};
    const ac = new AbortController();
    const reason = new Error('user left');
    const p = client().getPhoneIdAddons(PHONE, { simSwap: true, signal: ac.signal });
    await expect.poll(() => seen.length, { timeout: 2000 }).toBe(1);
    ac.abort(reason);
    const err = await rejection(p);
    expect(err).toMatchObject({ code: 'TELESIGN_ABORTED', fault: 'caller' });
    expect(err.cause).toBe(reason);
    await expect.poll(() => seen[0]?.closedEarly, { timeout: 2000 }).toBe(true);
    const pre = await rejection(
      client().getPhoneIdAddons(PHONE, { simSwap: true, signal: AbortSignal.abort() }),
    );
    expect(pre.code).toBe('TELESIGN_ABORTED');
    expect(seen).toHaveLength(1);
  });

  it('a hung upstream rejects with TELESIGN_TIMEOUT by the deadline', async () => {
    handler = () => {};
    const t0 = Date.now();
    const err = await rejection(
      client({ timeoutMs: 500, attemptTimeoutMs: 10_000 }).getPhoneIdAddons(PHONE, {
        numberDeactivation: true,
      }),
    );
    expect(err).toMatchObject({ code: 'TELESIGN_TIMEOUT', fault: 'upstream' });
    expect(Date.now() - t0).toBeLessThan(500 + 1500);
    await expect.poll(() => seen[0]?.closedEarly, { timeout: 2000 }).toBe(true);
  });

  it('after close() add-on calls are refused', async () => {
    const c = client();
    await c.close();
    expect((await rejection(c.getPhoneIdAddons(PHONE, { simSwap: true }))).code).toBe(
      'TELESIGN_CLIENT_CLOSED',
    );
  });
});

describe("addonsEndpoint: 'legacy'", () => {
  const legacyBody = (code: number, extra: Record<string, unknown> = {}) => ({
    reference_id: 'LEGREF',
    resource_uri: null,
    sub_resource: 'number_deactivation',
    number_deactivation: {
      number: '14155552671',
      tracking_since: '2014-02-25T22:51:02Z',
      last_deactivated: '2019-05-01T00:00:00Z',
      ...extra,
    },
    errors: [],
    status: {
      code,
      description: 'Number Deactivation check succeeded',
      updated_on: '2024-10-03T21:51:28Z',
    },
  });

  it('GETs /v1/phoneid/number_deactivation/{digits}?ucid=PWRT, signed like Live', async () => {
    handler = (_req, res) => send(res, 200, legacyBody(2300));
    const r = await client({ addonsEndpoint: 'legacy' }).getPhoneIdAddons(PHONE, {
      numberDeactivation: { lastVerifiedAt: new Date('2020-01-01') },
    });
    const req = seen[0]!;
    expect(req.method).toBe('GET');
    expect(req.url).toBe('/v1/phoneid/number_deactivation/14155552671?ucid=PWRT');
    expect(req.body).toBe('');
    expect(req.headers['content-type']).toBe('');
    expectDigest(req, 'GET', '/v1/phoneid/number_deactivation/14155552671', '');
    expect(r).toMatchObject({
      numberDeactivation: {
        status: { code: 2300, outcome: 'data' },
        lastDeactivatedAt: Date.UTC(2019, 4, 1),
        trackingSince: Date.UTC(2014, 1, 25, 22, 51, 2),
        telesignVerdict: null,
      },
      simSwap: null,
      referenceId: 'LEGREF',
    });

    seen = [];
    await client({
      addonsEndpoint: 'legacy',
      contentType: 'application/x-www-form-urlencoded',
    }).getPhoneIdAddons(PHONE, { numberDeactivation: true });
    expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expectDigest(
      seen[0]!,
      'GET',
      '/v1/phoneid/number_deactivation/14155552671',
      'application/x-www-form-urlencoded',
    );
  });

  it('success at 300 and 2300, mcc/mnc variants; SIM swap is unknown and costs no request', async () => {
    const c = client({ addonsEndpoint: 'legacy' });
    for (const [code, extra] of [
      [300, { mcc: 310, mnc: 4 }],
      [2300, { mcc: '310', mnc: '030;070' }],
    ] as const) {
      handler = (_req, res) => send(res, 200, legacyBody(code, extra));
      const r = await c.getPhoneIdAddons(PHONE, { numberDeactivation: true, simSwap: true });
      expect(r.numberDeactivation?.status).toMatchObject({ code, outcome: 'data' });
      expect(r.simSwap).toMatchObject({
        status: { code: null, outcome: 'unknown' },
        risk: null,
        swappedAt: null,
      });
    }
    seen = [];
    const onlySwap = await c.getPhoneIdAddons(PHONE, { simSwap: true });
    expect(onlySwap).toMatchObject({
      numberDeactivation: null,
      simSwap: { status: { outcome: 'unknown' } },
    });
    expect(seen).toHaveLength(0);
  });

  it("errors map as Live's", async () => {
    handler = (_req, res) =>
      send(res, 401, {
        status: { code: 501 },
        errors: [{ code: -20002, description: 'Product not enabled' }],
      });
    const err = await rejection(
      client({ addonsEndpoint: 'legacy' }).getPhoneIdAddons(PHONE, { numberDeactivation: true }),
    );
    expect(err).toMatchObject({ code: 'TELESIGN_CONFIG', fault: 'config', retryable: false });
    expect(seen).toHaveLength(1);
  });

  it('does not change getLiveStatus', async () => {
    handler = (_req, res) =>
      send(res, 200, {
        status: { code: 300 },
        errors: [],
        live: { subscriber_status: 'ACTIVE', device_status: 'REACHABLE', roaming: 'NO' },
      });
    const s = await client({ addonsEndpoint: 'legacy' }).getLiveStatus(PHONE);
    expect(s.subscriberStatus).toBe('ACTIVE');
    expect(seen[0]!.url).toBe('/v1/phoneid/live/14155552671?ucid=OTHR');
  });
});
