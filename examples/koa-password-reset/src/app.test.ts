import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPhoneGuard, type PhoneGuard } from '@phone-guard/core';
import {
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordResetApp, type SentCode } from './app.js';

let sandbox: Sandbox;
let guard: PhoneGuard;
let server: Server;
let url = '';
let sent: SentCode[];

beforeAll(async () => {
  sandbox = await startSandbox();
  guard = createPhoneGuard({
    policy: 'passwordReset',
    telesign: { baseUrl: sandbox.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
  });
  const accounts = new Map([
    [TEST_NUMBERS.active, { email: 'ada@example.com' }],
    [TEST_NUMBERS.disconnected, { email: 'old-owner@example.com' }],
    [TEST_NUMBERS.roaming, { email: 'traveller@example.com' }],
  ]);
  const made = createPasswordResetApp({ guard, accounts });
  sent = made.sent;
  server = made.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await guard?.close();
  await sandbox?.close();
});

async function reset(phone: unknown) {
  const res = await fetch(`${url}/password-reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    json: (await res.json()) as Record<string, unknown>,
  };
}

describe('koa-password-reset example', () => {
  it('sends the code by SMS to an active number', async () => {
    const res = await reset(TEST_NUMBERS.active);
    expect(res).toMatchObject({
      status: 202,
      json: { accepted: true, channel: 'sms', phone: '+1415*****00' },
    });
    expect(sent).toContainEqual({ phone: TEST_NUMBERS.active, channel: 'sms' });
  });

  it('refuses to send a code to a number no longer in service, and points to email recovery', async () => {
    const res = await reset(TEST_NUMBERS.disconnected);
    expect(res.status).toBe(403);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.json).toMatchObject({
      status: 403,
      code: 'SUBSCRIBER_DISCONNECTED',
      recovery: '/password-reset/email',
    });
    expect(JSON.stringify(res.json)).not.toContain('4155550104');
    expect(sent.some((s) => s.phone === TEST_NUMBERS.disconnected)).toBe(false);
  });

  it('falls back to email for a roaming number (a take-over signal)', async () => {
    const res = await reset(TEST_NUMBERS.roaming);
    expect(res).toMatchObject({ status: 202, json: { channel: 'email' } });
  });

  it('answers the same for numbers without an account (no enumeration)', async () => {
    const res = await reset('+14155552671');
    expect(res.status).toBe(202);
    expect(res.json.accepted).toBe(true);
  });

  it('rejects what is not a phone number with 422', async () => {
    for (const phone of ['415 555', 42, ['+14155550100'], null]) {
      const res = await reset(phone);
      expect(res.status, JSON.stringify(phone)).toBe(422);
      expect(res.type).toMatch(/^application\/problem\+json/);
    }
  });

  it('asked Telesign with the password-reset use case (PWRT)', () => {
    expect(sandbox.requests.length).toBeGreaterThan(0);
    expect(sandbox.requests.every((r) => r.ucid === 'PWRT')).toBe(true);
  });
});
