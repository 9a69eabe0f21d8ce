import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from './demo.js';

let demo: Demo;

beforeAll(async () => {
  demo = await startDemo({ port: 0, env: {} });
});

afterAll(async () => {
  await demo?.close();
});

async function signup(body: unknown, contentType = 'application/json') {
  const res = await fetch(`${demo.url}/signup`, {
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

describe('express-signup example (the demo)', () => {
  it('runs on the built-in sandbox without credentials and prints ready-to-paste curl commands', () => {
    expect(demo.sandbox).toBeDefined();
    expect(demo.banner).toContain(demo.url);
    expect(demo.banner).toContain('curl -s -X POST');
    expect(demo.examples.map((e) => e.expectStatus)).toEqual([201, 201, 403, 422]);
  });

  it('answers each documented curl command as documented', async () => {
    const [allowed, flagged, blocked, invalid] = await Promise.all(
      demo.examples.map((e) => signup({ email: 'ada@example.com', phone: e.phone })),
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
  });

  it('takes urlencoded form posts too, and still wants an email', async () => {
    const ok = await signup(
      'email=bob%40example.com&phone=%2B14155550100',
      'application/x-www-form-urlencoded',
    );
    expect(ok.status).toBe(201);
    const noEmail = await signup({ phone: '+14155550100' });
    expect(noEmail).toMatchObject({ status: 422, json: { code: 'EMAIL_INVALID' } });
  });

  it('serves a signup page for a browser', async () => {
    const res = await fetch(`${demo.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<form id="signup">');
    expect(html).toContain('+1 415 555 0104');
  });

  it('looked up each number once, through the sandbox', () => {
    const digits = demo.sandbox!.requests.map((r) => r.digits);
    expect(new Set(digits).size).toBe(digits.length);
  });
});
