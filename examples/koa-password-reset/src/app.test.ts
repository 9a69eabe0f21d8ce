import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPhoneGuard, type PhoneGuard } from '@phone-guard/core';
import {
  ADDON_TEST_NUMBERS,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, decoyVerifiedAt } from './accounts.js';
import { createPasswordResetApp, type SentCode } from './app.js';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const SECRET = Buffer.from('koa-password-reset example test secret');

let sandbox: Sandbox;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await sandbox?.close();
});

function newGuard(): PhoneGuard {
  const guard = createPhoneGuard({
    policy: 'passwordReset',
    logger: false,
    telesign: { baseUrl: sandbox.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
  });
  closers.push(() => guard.close());
  return guard;
}

/** Starts the example app on a free port; `lookups` counts account look-ups. */
async function start(accounts: Map<string, Account>, guard = newGuard()) {
  let lookups = 0;
  const counted = new Map(accounts);
  const get = counted.get.bind(counted);
  counted.get = (key: string) => {
    lookups++;
    return get(key);
  };
  const made = createPasswordResetApp({ guard, accounts: counted, decoySecret: SECRET });
  const server: Server = made.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const reset = async (phone: unknown) => {
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
  };
  return { reset, sent: made.sent, lookups: () => lookups };
}

const accounts = new Map<string, Account>([
  [TEST_NUMBERS.active, { email: 'ada@example.com', phoneVerifiedAt: daysAgo(30) }],
  [TEST_NUMBERS.disconnected, { email: 'old-owner@example.com', phoneVerifiedAt: daysAgo(30) }],
  [TEST_NUMBERS.roaming, { email: 'traveller@example.com', phoneVerifiedAt: daysAgo(30) }],
  [ADDON_TEST_NUMBERS.reassigned, { email: 'grace@example.com', phoneVerifiedAt: daysAgo(30) }],
  [ADDON_TEST_NUMBERS.simSwapRisk4, { email: 'swapped@example.com', phoneVerifiedAt: daysAgo(30) }],
]);

let app: Awaited<ReturnType<typeof start>>;
let sent: SentCode[];
beforeAll(async () => {
  app = await start(accounts);
  sent = app.sent;
});

describe('koa-password-reset example', () => {
  it('sends the code by SMS to an active number', async () => {
    const res = await app.reset(TEST_NUMBERS.active);
    expect(res).toMatchObject({
      status: 202,
      json: { accepted: true, channel: 'sms', phone: '+1415*****00' },
    });
    expect(sent).toContainEqual({ phone: TEST_NUMBERS.active, channel: 'sms' });
  });

  it('refuses to send a code to a number no longer in service, and points to email recovery', async () => {
    const res = await app.reset(TEST_NUMBERS.disconnected);
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
    const res = await app.reset(TEST_NUMBERS.roaming);
    expect(res).toMatchObject({ status: 202, json: { channel: 'email' } });
  });

  it('answers the same for numbers without an account (no enumeration)', async () => {
    const res = await app.reset('+14155552671');
    expect(res.status).toBe(202);
    expect(res.json.accepted).toBe(true);
  });

  it('rejects what is not a phone number with 422', async () => {
    for (const phone of ['415 555', 42, ['+14155550100'], null]) {
      const res = await app.reset(phone);
      expect(res.status, JSON.stringify(phone)).toBe(422);
      expect(res.type).toMatch(/^application\/problem\+json/);
    }
  });

  it('asked Telesign Live with the password-reset use case (PWRT)', () => {
    const live = sandbox.requests.filter((r) => r.endpoint === 'live');
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((r) => r.ucid === 'PWRT')).toBe(true);
  });
});

describe('numbers reassigned since the user proved them, and SIM swaps', () => {
  it('refuses a number deactivated since the account verified it: 403 NUMBER_REASSIGNED', async () => {
    const res = await app.reset(ADDON_TEST_NUMBERS.reassigned);
    expect(res.status).toBe(403);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.json).toMatchObject({
      status: 403,
      code: 'NUMBER_REASSIGNED',
      recovery: '/password-reset/email',
    });
    expect(JSON.stringify(res.json)).not.toContain('3105550100');
    expect(sent.some((s) => s.phone === ADDON_TEST_NUMBERS.reassigned)).toBe(false);
  });

  it('sends the code when the account proved the number after its deactivation', async () => {
    const recent = await start(
      new Map([
        [ADDON_TEST_NUMBERS.reassigned, { email: 'new@example.com', phoneVerifiedAt: daysAgo(5) }],
      ]),
    );
    const res = await recent.reset(ADDON_TEST_NUMBERS.reassigned);
    expect(res).toMatchObject({ status: 202, json: { channel: 'sms' } });
    expect(recent.sent).toEqual([{ phone: ADDON_TEST_NUMBERS.reassigned, channel: 'sms' }]);
  });

  it('refuses a SIM swapped today: 403 SIM_SWAPPED', async () => {
    const res = await app.reset(ADDON_TEST_NUMBERS.simSwapRisk4);
    expect(res).toMatchObject({ status: 403, json: { code: 'SIM_SWAPPED' } });
  });

  it('looks the account up once per request, for both the number and the date', async () => {
    const before = app.lookups();
    await app.reset(TEST_NUMBERS.active);
    await app.reset('+14155552671');
    expect(app.lookups() - before).toBe(2);
  });
});

describe('uniform answers: nothing tells whether an account exists', () => {
  const numbers = [
    TEST_NUMBERS.active,
    TEST_NUMBERS.roaming,
    TEST_NUMBERS.disconnected,
    TEST_NUMBERS.voip,
    TEST_NUMBERS.notFound,
    ADDON_TEST_NUMBERS.simSwapRisk4,
    ADDON_TEST_NUMBERS.simSwapRisk2,
    ADDON_TEST_NUMBERS.reassigned,
    ADDON_TEST_NUMBERS.coverageGap,
  ];

  it('a number without an account answers exactly as one whose account has its date', async () => {
    // The unknown-account app gives each number its decoy date; the other app has an
    // account per number, verified on that very date. Same status, type and body.
    const withAccounts = new Map<string, Account>(
      numbers.map((n) => [
        n,
        { email: 'x@example.com', phoneVerifiedAt: decoyVerifiedAt(n, SECRET) },
      ]),
    );
    const known = await start(withAccounts);
    const unknown = await start(new Map());
    for (const number of numbers) {
      const a = await known.reset(number);
      const b = await unknown.reset(number);
      expect(b, number).toEqual(a);
    }
    expect(known.sent.length).toBeGreaterThan(0);
    expect(unknown.sent).toEqual([]);
  });

  it('runs the same upstream checks (same timing class) with or without an account', async () => {
    const phone = ADDON_TEST_NUMBERS.neverDeactivated;
    const count = () => {
      const mine = sandbox.requests.filter((r) => r.digits === phone.slice(1));
      return [
        mine.filter((r) => r.endpoint === 'live').length,
        mine.filter((r) => r.endpoint === 'phoneid').length,
      ];
    };
    const known = await start(
      new Map([[phone, { email: 'y@example.com', phoneVerifiedAt: daysAgo(30) }]]),
    );
    await known.reset(phone);
    const afterKnown = count();
    const unknown = await start(new Map());
    await unknown.reset(phone);
    const afterUnknown = count();
    expect(afterKnown).toEqual([1, 1]);
    expect(afterUnknown).toEqual([2, 2]); // its own guard: Live and the add-ons again
    const body = sandbox.requests.filter((r) => r.endpoint === 'phoneid').at(-1)?.body as {
      addons: { number_deactivation?: { last_verified?: string } };
    };
    expect(body.addons.number_deactivation?.last_verified).toMatch(/^\d{4}-\d\d-\d\dT00:00:00Z$/);
  });

  it('decoy dates are fixed per number (also as time passes), plausible, and differ between numbers', () => {
    const now = Date.UTC(2026, 5, 15, 12);
    const a = decoyVerifiedAt('+14155552671', SECRET, now).getTime();
    expect(decoyVerifiedAt('+14155552671', SECRET, now).getTime()).toBe(a);
    expect(decoyVerifiedAt('+14155552671', SECRET, now + 400 * DAY).getTime()).toBe(a);
    expect(now - a).toBeGreaterThanOrEqual(30 * DAY);
    expect(a).toBeGreaterThanOrEqual(Date.UTC(2023, 0, 1));
    expect(a % DAY).toBe(0);
    const dates = new Set(
      Array.from({ length: 50 }, (_, i) =>
        decoyVerifiedAt(`+1415555${1000 + i}`, SECRET, now).getTime(),
      ),
    );
    expect(dates.size).toBeGreaterThan(40);
    expect(decoyVerifiedAt('+14155552671', Buffer.from('another secret'), now).getTime()).not.toBe(
      a,
    );
  });
});
