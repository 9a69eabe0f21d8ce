import { networkInterfaces } from 'node:os';
import { PhoneGuardOptionError } from '@phone-guard/core';
import {
  ADDON_TEST_NUMBERS,
  INTERNATIONAL_TEST_NUMBERS,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  type SandboxOptions,
  type SandboxPinOutcome,
  startSandbox,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopback } from './admin-route.js';

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

// biome-ignore lint/suspicious/noExplicitAny: Telesign JSON bodies, read freely in assertions
type Json = Record<string, any>;

async function live(number: string, base = sandbox!.url): Promise<Json> {
  const res = await fetch(`${base}/v1/phoneid/live/${number.replace('+', '')}?ucid=BACS`, {
    headers: { authorization: BASIC },
    signal: AbortSignal.timeout(5000),
  });
  return { httpStatus: res.status, ...((await res.json()) as Json) };
}

async function addons(number: string): Promise<Json> {
  const res = await fetch(`${sandbox!.url}/v1/phoneid/${number.replace('+', '')}`, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/json' },
    body: JSON.stringify({ addons: { number_deactivation: {}, sim_swap: {} } }),
    signal: AbortSignal.timeout(5000),
  });
  return (await res.json()) as Json;
}

async function admin(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const res = await fetch(`${sandbox!.url}/__sandbox/${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': contentType } }),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

describe('sandbox.pin()', () => {
  it('pins an outcome, unpins it, and says so in the request log', async () => {
    await start();
    const gb = INTERNATIONAL_TEST_NUMBERS.GB.active;
    expect((await live(gb)).live.subscriber_status).toBe('ACTIVE');
    expect(sandbox!.pin(gb, 'disconnected')).toEqual({ number: gb, outcome: 'disconnected' });
    const pinned = await live(gb);
    expect(pinned.live.subscriber_status).toBe('DISCONNECTED');
    expect(pinned.location.country.iso2).toBe('GB'); // still a GB number
    expect(sandbox!.requests.at(-1)).toMatchObject({ testNumber: 'disconnected', pinned: true });
    expect(sandbox!.unpin(gb)).toBe(true);
    expect(sandbox!.unpin(gb)).toBe(false);
    expect((await live(gb)).live.subscriber_status).toBe('ACTIVE');
    expect(sandbox!.requests.at(-1)).toMatchObject({ testNumber: 'GB.active', pinned: false });
  });

  it('accepts E.164, digits or formatted numbers, and pins numbers outside the table', async () => {
    await start();
    sandbox!.pin('+1 (212) 555-0199', 'notFound');
    sandbox!.pin('4915123456199', 'errUnavailable');
    expect(sandbox!.pins()).toEqual([
      { number: '+12125550199', outcome: 'notFound' },
      { number: '+4915123456199', outcome: 'errUnavailable' },
    ]);
    expect((await live('+12125550199')).errors[0].code).toBe(-60001);
    expect((await live('+4915123456199')).httpStatus).toBe(503);
    sandbox!.unpinAll();
    expect(sandbox!.pins()).toEqual([]);
  });

  it('pins add-on outcomes too: the add-on endpoint answers like that row', async () => {
    await start();
    const n = TEST_NUMBERS.active;
    expect((await addons(n)).number_deactivation.last_deactivated).toBeNull();
    sandbox!.pin(n, 'reassigned');
    expect((await addons(n)).number_deactivation.last_deactivated).toMatch(/T00:00:00Z$/);
    expect((await live(n)).live.subscriber_status).toBe('ACTIVE'); // a recycled number looks active
    sandbox!.pin(n, 'simSwapRisk4');
    expect((await addons(n)).sim_swap.risk_indicator).toBe(4);
    sandbox!.pin(ADDON_TEST_NUMBERS.reassigned, 'disconnected');
    expect((await live(ADDON_TEST_NUMBERS.reassigned)).live.subscriber_status).toBe('DISCONNECTED');
  });

  it('throws PhoneGuardOptionError for a bad number or an unknown outcome', async () => {
    await start();
    expect(() => sandbox!.pin('12ab', 'active')).toThrow(PhoneGuardOptionError);
    expect(() => sandbox!.pin('+123', 'active')).toThrow(/6 to 15 digits/);
    expect(() => sandbox!.pin(TEST_NUMBERS.active, 'gone' as SandboxPinOutcome)).toThrow(
      PhoneGuardOptionError,
    );
    expect(() => sandbox!.pin(TEST_NUMBERS.active, 'GB.active' as SandboxPinOutcome)).toThrow(
      /outcome/,
    );
  });

  it('starts with the pins option, and reset() goes back to it', async () => {
    await start({ pins: { [TEST_NUMBERS.active]: 'unreachable' } });
    expect((await live(TEST_NUMBERS.active)).live.device_status).toBe('UNREACHABLE');
    sandbox!.unpinAll();
    sandbox!.pin(TEST_NUMBERS.roaming, 'disconnected');
    sandbox!.reset();
    expect(sandbox!.pins()).toEqual([{ number: TEST_NUMBERS.active, outcome: 'unreachable' }]);
    await expect(startSandbox({ pins: { '12': 'active' } })).rejects.toThrow(PhoneGuardOptionError);
    await expect(
      startSandbox({ pins: { [TEST_NUMBERS.active]: 'nope' as SandboxPinOutcome } }),
    ).rejects.toThrow(/pins/);
  });
});

describe('the admin route /__sandbox/pins', () => {
  it('pins, lists and unpins over HTTP (for a sandbox in another process)', async () => {
    await start();
    const fr = INTERNATIONAL_TEST_NUMBERS.FR.active;
    const added = await admin('POST', 'pins', { number: fr, outcome: 'disconnected' });
    expect(added).toEqual({
      status: 200,
      json: { pinned: { number: fr, outcome: 'disconnected' } },
    });
    expect((await live(fr)).live.subscriber_status).toBe('DISCONNECTED');
    expect((await admin('GET', 'pins')).json).toEqual({
      pins: [{ number: fr, outcome: 'disconnected' }],
    });
    expect((await admin('DELETE', `pins/${encodeURIComponent(fr)}`)).json).toEqual({ unpinned: 1 });
    expect((await live(fr)).live.subscriber_status).toBe('ACTIVE');
    await admin('POST', 'pins', { number: fr, outcome: 'voip' });
    await admin('POST', 'pins', { number: TEST_NUMBERS.active, outcome: 'voip' });
    expect((await admin('DELETE', 'pins')).json).toEqual({ unpinned: 2 });
    expect(sandbox!.pins()).toEqual([]);
    expect(sandbox!.requests.every((r) => !r.path.startsWith('/__sandbox'))).toBe(true);
  });

  it('refuses bad pins, non-JSON posts and unknown routes', async () => {
    await start();
    expect((await admin('POST', 'pins', { number: 'x', outcome: 'active' })).status).toBe(400);
    expect(
      (await admin('POST', 'pins', { number: TEST_NUMBERS.active, outcome: 'x' })).status,
    ).toBe(400);
    const form = await admin(
      'POST',
      'pins',
      { number: TEST_NUMBERS.active, outcome: 'disconnected' },
      'text/plain',
    );
    expect(form.status).toBe(415);
    expect(sandbox!.pins()).toEqual([]);
    expect((await admin('PUT', 'pins')).status).toBe(405);
    expect((await admin('GET', 'nothing')).status).toBe(404);
    expect((await admin('DELETE', 'pins/abc')).status).toBe(400);
  });

  it('answers loopback clients only', async () => {
    expect([isLoopback('127.0.0.1'), isLoopback('127.8.9.1'), isLoopback('::1')]).toEqual([
      true,
      true,
      true,
    ]);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect([isLoopback('192.0.2.2'), isLoopback('::ffff:10.0.0.1'), isLoopback(undefined)]).toEqual(
      [false, false, false],
    );
    // Over a real non-loopback interface, when this machine has one.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
    if (external === undefined) return;
    await start({ host: '0.0.0.0' });
    const res = await fetch(`http://${external}:${sandbox!.port}/__sandbox/pins`, {
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(403);
    await res.arrayBuffer();
    const ok = await fetch(`http://127.0.0.1:${sandbox!.port}/__sandbox/pins`);
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
  });
});
