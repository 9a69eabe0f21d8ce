import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { signTelesignRequest } from '@phone-guard/core';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from '@phone-guard/sandbox';
import { afterEach, describe, expect, it } from 'vitest';

// Telesign's official SDK, to prove the sandbox accepts what real clients send.
type GenerateHeaders = (
  customerId: string,
  apiKey: string,
  method: string,
  resource: string,
  contentType: string,
  encodedFields: string | null,
  date?: string | null,
  nonce?: string | null,
  userAgent?: string | null,
  authMethod?: string | null,
) => Record<string, string>;
const require = createRequire(import.meta.url);
const { generateTeleSignHeaders } = require('telesignsdk/src/RestClient.js') as {
  generateTeleSignHeaders: GenerateHeaders;
};

const RESOURCE = '/v1/phoneid/live/14155550100';
const DATE = 'Wed, 14 Dec 2016 18:20:12 GMT';
const DATE_MS = Date.parse(DATE);
const OTHER_KEY = Buffer.from('some other key entirely').toString('base64');

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  sandbox = await startSandbox({ now: () => DATE_MS, ...options });
  return sandbox;
}

interface Answer {
  status: number;
  code: number | undefined;
  statusCode: number | undefined;
  body: Record<string, unknown>;
}

async function get(
  headers: Record<string, string>,
  path = `${RESOURCE}?ucid=BACS`,
): Promise<Answer> {
  const res = await fetch(`${sandbox!.url}${path}`, {
    headers,
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as {
    errors?: { code: number }[];
    status?: { code: number };
  } & Record<string, unknown>;
  return { status: res.status, code: body.errors?.[0]?.code, statusCode: body.status?.code, body };
}

const basic = (customerId: string, apiKey: string) =>
  `Basic ${Buffer.from(`${customerId}:${apiKey}`).toString('base64')}`;

function digest(
  overrides: {
    contentType?: string;
    nonce?: string;
    date?: string;
    apiKey?: string;
    resource?: string;
  } = {},
): Record<string, string> {
  const headers = signTelesignRequest(
    {
      method: 'GET',
      resource: overrides.resource ?? RESOURCE,
      contentType: overrides.contentType,
      date: overrides.date ?? DATE,
      nonce: overrides.nonce ?? crypto.randomUUID(),
    },
    { customerId: SANDBOX_CUSTOMER_ID, apiKey: overrides.apiKey ?? SANDBOX_API_KEY },
  );
  return { ...headers } as Record<string, string>;
}

describe('Basic authentication', () => {
  it('accepts base64(customerId:apiKey), customer id case-insensitively', async () => {
    await start();
    expect((await get({ authorization: basic(SANDBOX_CUSTOMER_ID, SANDBOX_API_KEY) })).status).toBe(
      200,
    );
    const lower = await get({
      authorization: basic(SANDBOX_CUSTOMER_ID.toLowerCase(), SANDBOX_API_KEY),
    });
    expect(lower.status).toBe(200);
    expect(sandbox!.requests.map((r) => r.authScheme)).toEqual(['basic', 'basic']);
  });

  it('answers -30000 for an unknown customer id and -30015 for a wrong API key', async () => {
    await start();
    const unknown = await get({
      authorization: basic('00000000-0000-0000-0000-000000000000', SANDBOX_API_KEY),
    });
    expect([unknown.status, unknown.code, unknown.statusCode]).toEqual([401, -30000, 501]);
    const wrongKey = await get({ authorization: basic(SANDBOX_CUSTOMER_ID, OTHER_KEY) });
    expect([wrongKey.status, wrongKey.code]).toEqual([401, -30015]);
  });

  it('accepts what the official SDK sends for Basic', async () => {
    await start();
    const headers = generateTeleSignHeaders(
      SANDBOX_CUSTOMER_ID,
      SANDBOX_API_KEY,
      'GET',
      RESOURCE,
      'application/x-www-form-urlencoded',
      null,
      DATE,
      null,
      null,
      'Basic',
    );
    expect((await get(headers)).status).toBe(200);
  });
});

describe('Digest (TSA HMAC-SHA256) authentication', () => {
  it('accepts a request signed by signTelesignRequest, with or without a Content-Type header', async () => {
    await start();
    // Signed with an empty content type (the official SDKs' choice for GET) ...
    expect((await get(digest())).status).toBe(200);
    // ... while sending a Content-Type header anyway.
    const sentForm = { ...digest(), 'content-type': 'application/x-www-form-urlencoded' };
    expect((await get(sentForm)).status).toBe(200);
    // Signed and sent with the same non-empty content type.
    expect((await get(digest({ contentType: 'application/x-www-form-urlencoded' }))).status).toBe(
      200,
    );
    expect(sandbox!.requests.every((r) => r.authScheme === 'digest')).toBe(true);
  });

  it('accepts what the official Telesign SDK signs', async () => {
    await start();
    const headers = generateTeleSignHeaders(
      SANDBOX_CUSTOMER_ID,
      SANDBOX_API_KEY,
      'GET',
      RESOURCE,
      'application/x-www-form-urlencoded',
      null,
      DATE,
      '2f3b1a9e-7d4c-4e1b-9a6f-0c8d5e2b7a11',
    );
    const answer = await get(headers);
    expect(answer.status).toBe(200);
    expect(answer.body['live']).toMatchObject({ subscriber_status: 'ACTIVE' });
  });

  it('accepts x-ts-date instead of Date', async () => {
    await start();
    const nonce = crypto.randomUUID();
    const s = `GET\n\n\nx-ts-auth-method:HMAC-SHA256\nx-ts-date:${DATE}\nx-ts-nonce:${nonce}\n${RESOURCE}`;
    const signature = createHmac('sha256', Buffer.from(SANDBOX_API_KEY, 'base64'))
      .update(s)
      .digest('base64');
    const answer = await get({
      authorization: `TSA ${SANDBOX_CUSTOMER_ID}:${signature}`,
      'x-ts-date': DATE,
      'x-ts-auth-method': 'HMAC-SHA256',
      'x-ts-nonce': nonce,
    });
    expect(answer.status).toBe(200);
  });

  it('answers -30006 for a wrong key, another resource or a content type that was not sent', async () => {
    await start();
    expect((await get(digest({ apiKey: OTHER_KEY }))).code).toBe(-30006);
    expect((await get(digest({ resource: '/v1/phoneid/live/14155550101' }))).code).toBe(-30006);
    const mismatch = {
      ...digest({ contentType: 'application/json' }),
      'content-type': 'text/plain',
    };
    const answer = await get(mismatch);
    expect([answer.status, answer.code, answer.statusCode]).toEqual([401, -30006, 501]);
  });

  it('answers -30012 when a nonce is reused, even with a fresh signature', async () => {
    await start();
    const nonce = crypto.randomUUID();
    expect((await get(digest({ nonce }))).status).toBe(200);
    const replay = await get(digest({ nonce }));
    expect([replay.status, replay.code]).toEqual([401, -30012]);
    // A forged request with a bad signature does not burn a fresh nonce.
    const fresh = crypto.randomUUID();
    expect((await get(digest({ nonce: fresh, apiKey: OTHER_KEY }))).code).toBe(-30006);
    expect((await get(digest({ nonce: fresh }))).status).toBe(200);
  });

  it('forgets nonces on reset()', async () => {
    await start();
    const nonce = crypto.randomUUID();
    expect((await get(digest({ nonce }))).status).toBe(200);
    sandbox!.reset();
    expect((await get(digest({ nonce }))).status).toBe(200);
  });

  it('answers each documented header error with its own code', async () => {
    await start();
    const cases: [string, Record<string, string>, number][] = [
      ['no Authorization', {}, -30004],
      ['unknown scheme', { authorization: 'Bearer abc' }, -30005],
      ['TSA without colon', { ...digest(), authorization: 'TSA nocolon' }, -30005],
      ['Basic not base64', { authorization: 'Basic !!!' }, -30005],
      [
        'Basic without colon',
        { authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` },
        -30005,
      ],
      [
        'unknown customer (TSA)',
        {
          ...digest(),
          authorization: `TSA 00000000-0000-0000-0000-000000000000:${'A'.repeat(44)}`,
        },
        -30000,
      ],
      ['no Date', (({ date: _d, ...rest }) => rest)(digest()), -30007],
      ['bad auth method', { ...digest(), 'x-ts-auth-method': 'HMAC-SHA1' }, -30008],
      ['no auth method', (({ 'x-ts-auth-method': _m, ...rest }) => rest)(digest()), -30008],
      ['date not RFC 822', { ...digest(), date: '2016-12-14T18:20:12Z' }, -30009],
      ['date too old', digest({ date: 'Wed, 14 Dec 2016 16:20:12 GMT' }), -30010],
      ['date in the future', digest({ date: 'Wed, 14 Dec 2016 18:40:13 GMT' }), -30010],
      ['no nonce', (({ 'x-ts-nonce': _n, ...rest }) => rest)(digest()), -30011],
    ];
    for (const [label, headers, code] of cases) {
      const answer = await get(headers);
      expect({ label, status: answer.status, code: answer.code }).toEqual({
        label,
        status: 401,
        code,
      });
    }
    const methodError = await get({ ...digest(), 'x-ts-auth-method': 'nope' });
    expect(methodError.statusCode).toBe(500);
  });

  it('tolerates a date within dateSkewMs', async () => {
    await start({ dateSkewMs: 60_000 });
    expect((await get(digest({ date: 'Wed, 14 Dec 2016 18:19:30 GMT' }))).status).toBe(200);
    expect((await get(digest({ date: 'Wed, 14 Dec 2016 18:18:30 GMT' }))).code).toBe(-30010);
  });
});

describe('auth option', () => {
  it("'basic' refuses Digest and 'digest' refuses Basic with -30005", async () => {
    await start({ auth: 'basic' });
    expect((await get(digest())).code).toBe(-30005);
    expect((await get({ authorization: basic(SANDBOX_CUSTOMER_ID, SANDBOX_API_KEY) })).status).toBe(
      200,
    );
    await sandbox!.close();
    await start({ auth: 'digest' });
    expect((await get({ authorization: basic(SANDBOX_CUSTOMER_ID, SANDBOX_API_KEY) })).code).toBe(
      -30005,
    );
    expect((await get(digest())).status).toBe(200);
  });

  it('accepts custom credentials', async () => {
    const apiKey = Buffer.from('my own sandbox key').toString('base64');
    await start({ customerId: 'ABCDEF01-0000-0000-0000-000000000000', apiKey });
    const ok = await get({ authorization: basic('ABCDEF01-0000-0000-0000-000000000000', apiKey) });
    expect(ok.status).toBe(200);
    expect((await get({ authorization: basic(SANDBOX_CUSTOMER_ID, SANDBOX_API_KEY) })).code).toBe(
      -30000,
    );
  });
});
