import { Script } from 'node:vm';
import { isCountryCode } from '@phone-guard/core';
import { INTERNATIONAL_TEST_NUMBERS, TEST_NUMBERS } from '@phone-guard/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PICKER_COUNTRIES } from './countries.js';
import { type Demo, startDemo } from './demo.js';

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo({ port: 0, env: {} });
});

afterAll(async () => {
  await demo?.close();
});

async function signup(body: unknown, contentType = 'application/json', url = demo.url) {
  const res = await fetch(`${url}/signup`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    json: (await res.json()) as Record<string, unknown>,
  };
}

const email = 'ada@example.com';

describe('express-signup example (the demo)', () => {
  it('runs on the built-in sandbox without credentials and prints ready-to-paste curl commands', () => {
    expect(demo.sandbox).toBeDefined();
    expect(demo.banner).toContain(demo.url);
    expect(demo.banner).toContain('Credentials verified with one look-up');
    expect(demo.examples.map((e) => e.expectStatus)).toEqual([201, 201, 403, 422, 201]);
    for (const e of demo.examples) expect(demo.banner).toContain(e.curl);
    expect(demo.banner).toContain(
      `-d '{"email":"ada@example.com","country":"GB","phone":"07400 123100"}'`,
    );
  });

  it('checked the credentials once before listening (guard.verify())', () => {
    // verify() looks up a fictional number that no documented example uses.
    expect(demo.sandbox!.requests[0]?.digits).toBe('12025550100');
  });

  it('answers each documented curl command as documented', async () => {
    // The body each curl line posts, parsed back out of the line itself.
    const bodies = demo.examples.map((e) => JSON.parse(/-d '(.*)'$/.exec(e.curl)![1]!));
    expect(bodies).toEqual(demo.examples.map((e) => e.body));
    const [allowed, flagged, blocked, invalid, national] = await Promise.all(
      bodies.map((b) => signup(b)),
    );
    expect(allowed).toMatchObject({
      status: 201,
      json: { created: true, needsReview: false, phone: '+1415*****00' },
    });
    expect(flagged).toMatchObject({
      status: 201,
      json: { created: true, needsReview: true, reasons: ['DEVICE_UNREACHABLE'] },
    });
    expect(blocked?.status).toBe(403);
    expect(blocked?.type).toMatch(/^application\/problem\+json/);
    expect(blocked?.json).toMatchObject({ status: 403, code: 'SUBSCRIBER_DISCONNECTED' });
    expect(JSON.stringify(blocked?.json)).not.toContain('4155550104');
    expect(invalid?.status).toBe(422);
    expect(invalid?.json).toMatchObject({ status: 422, code: 'PHONE_INVALID' });
    expect(national).toMatchObject({ status: 201, json: { created: true, needsReview: false } });
    expect(demo.examples.map((e) => e.expectStatus)).toEqual(
      [allowed, flagged, blocked, invalid, national].map((r) => r?.status),
    );
  });

  it('takes urlencoded form posts too (the page without JavaScript), and still wants an email', async () => {
    const ok = await signup(
      'email=bob%40example.com&country=GB&phone=07400+123101',
      'application/x-www-form-urlencoded',
    );
    expect(ok).toMatchObject({ status: 201, json: { needsReview: true } });
    const before = demo.sandbox!.requests.length;
    const noEmail = await signup({ phone: '+14155550107' });
    expect(noEmail).toMatchObject({ status: 422, json: { code: 'EMAIL_INVALID' } });
    // The email is checked before the (billed) look-up.
    expect(demo.sandbox!.requests.length).toBe(before);
  });
});

describe('a country picker next to the number (countryField: "country")', () => {
  const { GB, DE, FR } = INTERNATIONAL_TEST_NUMBERS;

  it('reads national numbers in the chosen country, case-insensitively', async () => {
    const gb = await signup({ email, country: 'GB', phone: '07400 123100' });
    expect(gb).toMatchObject({ status: 201, json: { phone: `${GB.active.slice(0, 5)}******00` } });
    const de = await signup({ email, country: 'de', phone: '0151 23456106' });
    expect(de).toMatchObject({
      status: 201,
      json: { needsReview: true, reasons: ['RISKY_PHONE_TYPE'] },
    });
    const fr = await signup({ email, country: 'FR', phone: '06 12 34 51 04' });
    expect(fr).toMatchObject({ status: 403, json: { code: 'SUBSCRIBER_DISCONNECTED' } });
    const digits = demo.sandbox!.requests.map((r) => r.digits);
    expect(digits).toEqual(
      expect.arrayContaining([GB.active, DE.voip, FR.disconnected].map((n) => n.slice(1))),
    );
  });

  it('blocks a disconnected national number, without echoing it', async () => {
    const res = await signup({ email, country: 'gb', phone: '07400 123104' });
    expect(res).toMatchObject({ status: 403, json: { code: 'SUBSCRIBER_DISCONNECTED' } });
    expect(JSON.stringify(res.json)).not.toMatch(/7400\s?123104/);
  });

  it.each([
    ['XX (unknown, as Cloudflare sends it)', 'XX'],
    ['T1 (Tor, as Cloudflare sends it)', 'T1'],
    ['empty (the "International" choice)', ''],
    ['ZZ', 'ZZ'],
    ['UK (not an ISO code)', 'UK'],
    ['an array', ['GB']],
    ['an object', { code: 'GB' }],
    ['10 KB of junk', 'G'.repeat(10_000)],
    ['missing', undefined],
  ])(
    'asks for the country of a national number when the country is %s: 422, never 5xx',
    async (_name, country) => {
      const res = await signup({ email, country, phone: '07400 123100' });
      expect(res.status).toBe(422);
      expect(res.json).toMatchObject({
        code: 'PHONE_INVALID',
        errorCode: 'PHONE_COUNTRY_REQUIRED',
      });
    },
  );

  it('asks for the country in a plain form post with "International" chosen', async () => {
    const res = await signup(
      'email=a%40b.c&country=&phone=07400+123100',
      'application/x-www-form-urlencoded',
    );
    expect(res).toMatchObject({ status: 422, json: { errorCode: 'PHONE_COUNTRY_REQUIRED' } });
  });

  it('checks a + number whatever the country says', async () => {
    const res = await signup({ email, country: 'XX', phone: GB.disconnected });
    expect(res).toMatchObject({ status: 403, json: { code: 'SUBSCRIBER_DISCONNECTED' } });
    const us = await signup({ email, country: 'GB', phone: TEST_NUMBERS.active });
    expect(us).toMatchObject({ status: 201, json: { phone: '+1415*****00' } });
  });
});

describe('the signup page', () => {
  let html: string;

  beforeAll(async () => {
    const res = await fetch(`${demo.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    html = await res.text();
  });

  it('posts the form to /signup, also without JavaScript', () => {
    expect(html).toContain('<form id="signup" method="post" action="/signup">');
    expect(html).toContain('name="email"');
    expect(html).toContain('value="+1 415 555 0104"');
  });

  it('has a labelled country selector next to the number, "International" and US by default', () => {
    expect(html).toContain('<label for="country">Country</label>');
    expect(html).toContain('<select id="country" name="country"');
    expect(html).toContain('<option value="">International (+…)</option>');
    expect(html).toContain('<option value="US" selected>United States (+1)</option>');
    expect(html).toContain('<option value="GB">United Kingdom (+44)</option>');
    for (const code of [
      'US',
      'GB',
      'DE',
      'FR',
      'IN',
      'BR',
      'AU',
      ...Object.keys(INTERNATIONAL_TEST_NUMBERS),
    ]) {
      expect(html).toContain(`<option value="${code}"`);
    }
    for (const c of PICKER_COUNTRIES) expect(isCountryCode(c.code)).toBe(true);
  });

  it('has inline, announced error regions that the fields point at', () => {
    expect(html).toMatch(/<input id="phone"[^>]* aria-describedby="phone-error phone-hint"/);
    expect(html).toMatch(/<select id="country"[^>]* aria-describedby="phone-error"/);
    expect(html).toMatch(/<input id="email"[^>]* aria-describedby="email-error"/);
    expect(html).toContain('<p id="phone-error" class="error" role="alert"></p>');
    expect(html).toContain('<p id="email-error" class="error" role="alert"></p>');
    expect(html).toContain('aria-invalid');
    expect(html).toContain('PHONE_COUNTRY_REQUIRED');
    expect(html).toContain("res.headers.get('retry-after')");
  });

  it('loads nothing from elsewhere and its script compiles', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    expect(() => new Script(script)).not.toThrow();
  });
});

describe('shutdown', () => {
  it('stops the server first: a request in flight still gets its verdict', async () => {
    const own = await startDemo({ port: 0, env: {} });
    const before = own.sandbox!.requests.length;
    // faultSlow answers ACTIVE after 1.5 s: close() is called while the look-up runs.
    const pending = signup({ email, phone: TEST_NUMBERS.faultSlow }, 'application/json', own.url);
    while (own.sandbox!.requests.length === before) await new Promise((r) => setTimeout(r, 10));
    const closing = own.close();
    const res = await pending;
    await closing;
    expect(res).toMatchObject({ status: 201, json: { needsReview: false, reasons: [] } });
    await expect(fetch(`${own.url}/`)).rejects.toThrow();
  });
});
