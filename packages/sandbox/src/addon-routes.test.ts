import { signTelesignRequest } from '@phone-guard/core';
import {
  ADDON_TEST_NUMBERS,
  type AddonTestNumberName,
  INTERNATIONAL_TEST_NUMBERS,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
  TEST_NUMBERS,
  type TestNumberName,
} from '@phone-guard/sandbox';
import { afterEach, describe, expect, it } from 'vitest';

const DAY = 86_400_000;
/** A fixed clock: 2025-06-15 13:45:30 UTC. */
const NOW = Date.UTC(2025, 5, 15, 13, 45, 30);
const TODAY = Date.UTC(2025, 5, 15);
const day = (daysAgo: number) =>
  new Date(TODAY - daysAgo * DAY).toISOString().replace('.000Z', 'Z');
const BASIC = `Basic ${Buffer.from(`${SANDBOX_CUSTOMER_ID}:${SANDBOX_API_KEY}`).toString('base64')}`;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  sandbox = await startSandbox({ now: () => NOW, dateSkewMs: Number.MAX_SAFE_INTEGER, ...options });
  return sandbox;
}

const BOTH = { addons: { number_deactivation: {}, sim_swap: {} }, consent: { method: 1 } };
const verifiedAt = (iso: string) => ({
  addons: { number_deactivation: { last_verified: iso }, sim_swap: {} },
  consent: { method: 1 },
});

// biome-ignore lint/suspicious/noExplicitAny: Telesign JSON bodies, read freely in assertions
type Json = Record<string, any>;

/** POST /v1/phoneid/{digits}, Digest-signed with the body and content type as the shared file says. */
async function phoneId(number: string, body: unknown = BOTH, init: { sign?: boolean } = {}) {
  const resource = `/v1/phoneid/${number.replace('+', '')}`;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers =
    init.sign === false
      ? { authorization: BASIC, 'content-type': 'application/json' }
      : signTelesignRequest(
          { method: 'POST', resource, contentType: 'application/json', body: text },
          { customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
        );
  const res = await fetch(`${sandbox!.url}${resource}`, {
    method: 'POST',
    headers: { ...headers },
    body: text,
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
}

async function legacy(number: string, ucid = 'PWRT') {
  const res = await fetch(
    `${sandbox!.url}/v1/phoneid/number_deactivation/${number.replace('+', '')}?ucid=${ucid}`,
    { headers: { authorization: BASIC }, signal: AbortSignal.timeout(5000) },
  );
  return { status: res.status, json: (await res.json()) as Json };
}

const addon = (name: AddonTestNumberName) => ADDON_TEST_NUMBERS[name];

describe('POST /v1/phoneid/{n}', () => {
  it('answers the documented shape: standard blocks plus one block per add-on', async () => {
    await start();
    const r = await phoneId(addon('reassigned'));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(Object.keys(r.json).sort()).toEqual(
      [
        'carrier',
        'errors',
        'location',
        'number_deactivation',
        'numbering',
        'phone_type',
        'reference_id',
        'sim_swap',
        'status',
      ].sort(),
    );
    expect(r.json.status).toMatchObject({ code: 300 });
    expect(r.json.number_deactivation).toEqual({
      carrier_name: 'Verizon Wireless',
      last_deactivated: day(10),
      tracking_since: day(3650),
      status: { code: 2800, description: 'Request successfully completed' },
    });
    expect(r.json.sim_swap).toEqual({
      swap_date: null,
      swap_time: null,
      risk_indicator: 1,
      status: { code: 2800, description: 'Request successfully completed' },
    });
    expect(r.json.numbering.original.complete_phone_number).toBe('13105550100');
  });

  it('answers only the add-ons asked for, and none for a plain Phone ID request', async () => {
    await start();
    const sim = await phoneId(addon('simSwapRisk2'), { addons: { sim_swap: {} } });
    expect(sim.json.sim_swap).toBeDefined();
    expect(sim.json.number_deactivation).toBeUndefined();
    const plain = await phoneId(addon('simSwapRisk2'), {});
    expect(plain.json.sim_swap).toBeUndefined();
    expect(plain.json.number_deactivation).toBeUndefined();
    expect(plain.json.status.code).toBe(300);
  });

  it.each([
    ['reassigned', 10, 3650],
    ['deactivatedLongAgo', 1095, 3650],
    ['neverDeactivated', null, 3650],
    ['coverageGap', null, 5],
  ] as const)(
    '%s: last deactivated %s days ago, tracked since %s days ago',
    async (name, last, tracking) => {
      await start();
      const block = (await phoneId(addon(name))).json.number_deactivation;
      expect(block.last_deactivated).toBe(last === null ? null : day(last));
      expect(block.tracking_since).toBe(day(tracking));
    },
  );

  it('leaves fields out where the row says so', async () => {
    await start();
    const absent = (await phoneId(addon('neverDeactivatedAbsent'))).json.number_deactivation;
    expect('last_deactivated' in absent).toBe(false);
    expect(absent.tracking_since).toBe(day(3650));
    const unknown = (await phoneId(addon('trackingUnknown'))).json.number_deactivation;
    expect('tracking_since' in unknown).toBe(false);
  });

  it("adds Telesign's verdict only with last_verified, by the date rule (same day counts)", async () => {
    await start();
    const verdict = async (name: AddonTestNumberName, iso: string) =>
      (await phoneId(addon(name), verifiedAt(iso))).json.number_deactivation
        .recycled_since_last_verification;
    expect(
      'recycled_since_last_verification' in
        (await phoneId(addon('reassigned'))).json.number_deactivation,
    ).toBe(false);
    expect(await verdict('reassigned', day(11))).toBe('recycled');
    expect(await verdict('reassigned', new Date(TODAY - 10 * DAY + 3_600_000).toISOString())).toBe(
      'recycled',
    ); // verified on the day of the deactivation
    expect(await verdict('reassigned', day(9))).toBe('not_recycled');
    expect(await verdict('deactivatedLongAgo', day(30))).toBe('not_recycled');
    expect(await verdict('neverDeactivated', day(30))).toBe('not_recycled');
    expect(await verdict('coverageGap', day(30))).toBe('cannot_be_determined');
    expect(await verdict('coverageGap', day(2))).toBe('not_recycled');
    expect(await verdict('neverDeactivated', new Date(NOW + DAY).toISOString())).toBe(
      'cannot_be_determined',
    ); // in the future
    expect(await verdict('verdictRecycled', day(30))).toBe('recycled');
    expect(await verdict('verdictNotRecycled', day(30))).toBe('not_recycled');
    expect(await verdict('verdictCannotBeDetermined', day(30))).toBe('cannot_be_determined');
    expect(await verdict('reassignedNoVerdict', day(30))).toBeUndefined();
  });

  it.each([
    ['addonInvalidParameter', 2801],
    ['addonUnavailable', 2802],
    ['addonOutOfCoverage', 2803],
    ['addonNotApplicable', 2804],
    ['addonNoData', 2805],
    ['addonNotEnabled', 2806],
    ['addonInvalidParameters', 2807],
    ['addonCollectionFailure', 2810],
    ['addonTimeout', 2811],
  ] as const)(
    '%s: both add-ons answer status %i only, transaction partial (301)',
    async (name, code) => {
      await start();
      const r = await phoneId(addon(name));
      expect(r.status).toBe(200);
      expect(r.json.status.code).toBe(301);
      expect(r.json.number_deactivation).toEqual({
        status: { code, description: expect.any(String) },
      });
      expect(r.json.sim_swap).toEqual({ status: { code, description: expect.any(String) } });
    },
  );

  it('can have one add-on enabled and the other not (2806)', async () => {
    await start();
    const a = await phoneId(addon('simSwapNotEnabled'));
    expect([a.json.number_deactivation.status.code, a.json.sim_swap.status.code]).toEqual([
      2800, 2806,
    ]);
    const b = await phoneId(addon('deactivationNotEnabled'));
    expect([b.json.number_deactivation.status.code, b.json.sim_swap.status.code]).toEqual([
      2806, 2800,
    ]);
  });

  it('answers each SIM-swap risk with a swap date that matches it', async () => {
    await start();
    const swap = async (name: AddonTestNumberName) => (await phoneId(addon(name))).json.sim_swap;
    const when = (b: Json) => Date.parse(`${b.swap_date}T${b.swap_time}Z`);
    expect(await swap('simSwapNever')).toMatchObject({ swap_date: null, risk_indicator: 1 });
    const r1 = await swap('simSwapRisk1');
    expect([r1.risk_indicator, NOW - when(r1) > 15 * DAY]).toEqual([1, true]);
    const r2 = await swap('simSwapRisk2');
    const age2 = NOW - when(r2);
    expect([r2.risk_indicator, age2 >= 3 * DAY && age2 <= 14 * DAY]).toEqual([2, true]);
    const r3 = await swap('simSwapRisk3');
    expect([r3.risk_indicator, NOW - when(r3) <= 72 * 3_600_000]).toEqual([3, true]);
    expect(r3.swap_date).not.toBe(day(0).slice(0, 10));
    const r4 = await swap('simSwapRisk4');
    expect([r4.risk_indicator, r4.swap_date]).toEqual([4, day(0).slice(0, 10)]);
    expect(r4.swap_time).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });

  it('sends the type variants: risk as a string, swap_date as a timestamp', async () => {
    await start();
    const r3 = (await phoneId(addon('simSwapRisk3Text'))).json.sim_swap;
    expect(r3.risk_indicator).toBe('3');
    expect(r3.swap_date).toBe(new Date(NOW - 48 * 3_600_000).toISOString().replace('.000Z', 'Z'));
    expect('swap_time' in r3).toBe(false);
    const r4 = (await phoneId(addon('simSwapRisk4Text'))).json.sim_swap;
    expect(r4.risk_indicator).toBe('4');
    expect(r4.swap_date.slice(0, 10)).toBe(day(0).slice(0, 10));
  });

  it('keeps risk 4 on the same UTC day just after midnight', async () => {
    await start({ now: () => TODAY + 60_000 });
    const r4 = (await phoneId(addon('simSwapRisk4'))).json.sim_swap;
    expect(r4.swap_date).toBe(day(0).slice(0, 10));
  });

  it('answers addonSlow after 300 ms, and Live for it at once', async () => {
    await start({ now: Date.now });
    const order: string[] = [];
    const started = Date.now();
    const slow = phoneId(addon('addonSlow')).then(() => order.push('addon'));
    const live = fetch(`${sandbox!.url}/v1/phoneid/live/${addon('addonSlow').slice(1)}?ucid=PWRT`, {
      headers: { authorization: BASIC },
    })
      .then((r) => r.arrayBuffer())
      .then(() => order.push('live'));
    await Promise.all([slow, live]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(order).toEqual(['live', 'addon']);
  });

  it('reads a per-endpoint latency: Live and add-on each 300 ms', async () => {
    await start({ now: Date.now, latencyMs: { live: 300, phoneid: 300 } });
    const order: string[] = [];
    const started = Date.now();
    const live = fetch(
      `${sandbox!.url}/v1/phoneid/live/${addon('reassigned').slice(1)}?ucid=PWRT`,
      {
        headers: { authorization: BASIC },
      },
    )
      .then((r) => r.arrayBuffer())
      .then(() => order.push('live'));
    const post = phoneId(addon('reassigned')).then(() => order.push('phoneid'));
    const old = legacy(addon('reassigned')).then(() => order.push('legacy')); // no latency
    await Promise.all([live, post, old]);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000); // in parallel, not one after the other (generous bound)
    expect(order[0]).toBe('legacy');
  });

  it('records add-on requests with their endpoint and body, apart from Live ones', async () => {
    await start();
    await phoneId(addon('reassigned'), verifiedAt(day(30)));
    await fetch(`${sandbox!.url}/v1/phoneid/live/${addon('reassigned').slice(1)}?ucid=PWRT`, {
      headers: { authorization: BASIC },
    }).then((r) => r.arrayBuffer());
    await legacy(addon('reassigned'));
    const [post, live, old] = sandbox!.requests;
    expect(post).toMatchObject({
      method: 'POST',
      path: '/v1/phoneid/13105550100',
      endpoint: 'phoneid',
      digits: '13105550100',
      ucid: null,
      authScheme: 'digest',
      testNumber: 'reassigned',
      httpStatus: 200,
      outcome: 'phoneid',
      body: verifiedAt(day(30)),
    });
    expect(live).toMatchObject({ endpoint: 'live', outcome: 'live', body: null });
    expect(old).toMatchObject({ endpoint: 'number-deactivation', outcome: 'number-deactivation' });
    expect(sandbox!.requests.filter((r) => r.endpoint === 'phoneid')).toHaveLength(1);
    expect(JSON.stringify(sandbox!.requests)).not.toContain(SANDBOX_API_KEY);
  });
});

describe('POST /v1/phoneid/{n}: authentication and validation', () => {
  it('signs the JSON body: a changed body or an empty signed content type is -30006', async () => {
    await start();
    const resource = `/v1/phoneid/${addon('reassigned').slice(1)}`;
    const body = JSON.stringify(BOTH);
    const signed = signTelesignRequest(
      { method: 'POST', resource, contentType: 'application/json', body },
      { customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
    );
    const tampered = await fetch(`${sandbox!.url}${resource}`, {
      method: 'POST',
      headers: { ...signed },
      body: JSON.stringify(verifiedAt(day(1))),
    });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as Json).errors[0].code).toBe(-30006);
    const unsignedType = signTelesignRequest(
      { method: 'POST', resource, contentType: '', body },
      { customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
    );
    const res = await fetch(`${sandbox!.url}${resource}`, {
      method: 'POST',
      headers: { ...unsignedType, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(401);
    await res.arrayBuffer();
    expect(sandbox!.requests.map((r) => r.outcome)).toEqual(['auth-error', 'auth-error']);
  });

  it('accepts Basic, and refuses no credentials (-30004)', async () => {
    await start();
    expect((await phoneId(addon('reassigned'), BOTH, { sign: false })).status).toBe(200);
    const res = await fetch(`${sandbox!.url}/v1/phoneid/13105550100`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BOTH),
    });
    expect([res.status, ((await res.json()) as Json).errors[0].code]).toEqual([401, -30004]);
  });

  it('answers 400 for a bad number, a body that is not a JSON object, or an unknown add-on', async () => {
    await start();
    const bad = await phoneId('12ab', BOTH);
    expect([bad.status, bad.json.errors[0].code]).toEqual([400, 11000]);
    for (const body of ['{"addons":', '[1]', { addons: { contact: {} } }, { addons: [] }]) {
      const r = await phoneId(addon('reassigned'), body);
      expect([r.status, r.json.errors[0].code], JSON.stringify(body)).toEqual([400, -10001]);
    }
    const form = await fetch(`${sandbox!.url}/v1/phoneid/13105550100`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'addons=1',
    });
    expect(form.status).toBe(400);
    await form.arrayBuffer();
  });

  it('answers 2801 for a bad last_verified and 2807 for unexpected add-on parameters', async () => {
    await start();
    const badDate = await phoneId(addon('reassigned'), verifiedAt('yesterday'));
    expect(badDate.json.number_deactivation).toEqual({
      status: { code: 2801, description: expect.any(String) },
    });
    expect(badDate.json.sim_swap.status.code).toBe(2800);
    const extra = await phoneId(addon('reassigned'), {
      addons: {
        number_deactivation: { last_deactivated: '2020-01-01T00:00:00Z' },
        sim_swap: { risk_indicator: 1 },
      },
    });
    expect(extra.json.number_deactivation.status.code).toBe(2807);
    expect(extra.json.sim_swap.status.code).toBe(2807);
    expect(extra.json.status.code).toBe(301);
  });

  it('answers 413 to a body over 64 KiB', async () => {
    await start();
    const r = await phoneId(addon('reassigned'), { padding: 'x'.repeat(70_000) }, { sign: false });
    expect(r.status).toBe(413);
  });
});

describe('every Live test number on the add-on endpoints', () => {
  it('answers sensibly: data, its error with the Phone ID code, or its fault', async () => {
    await start({ slowMs: 10 });
    const plain: TestNumberName[] = [
      'active',
      'unreachable',
      'deviceUnavailable',
      'roaming',
      'prepaid',
    ];
    for (const name of plain) {
      const r = await phoneId(TEST_NUMBERS[name]);
      expect(r.json.number_deactivation, name).toMatchObject({
        last_deactivated: null,
        status: { code: 2800 },
      });
      expect(r.json.sim_swap, name).toMatchObject({ risk_indicator: 1 });
    }
    expect(
      (await phoneId(TEST_NUMBERS.disconnected)).json.number_deactivation.last_deactivated,
    ).toBe(day(2));
    const notFound = await phoneId(TEST_NUMBERS.notFound);
    expect([
      notFound.json.number_deactivation.status.code,
      notFound.json.sim_swap.status.code,
    ]).toEqual([2805, 2805]);
    expect((await phoneId(TEST_NUMBERS.voip)).json.sim_swap.status.code).toBe(2804);
    const odd = (await phoneId(TEST_NUMBERS.oddValues)).json.sim_swap;
    expect(typeof odd.risk_indicator).toBe('string');

    const errors: [TestNumberName, number, number | null][] = [
      ['errRateLimited', 429, 10019],
      ['errHardCap', 429, 10020],
      ['errPaymentRequired', 402, 10030],
      ['errNotFound', 404, 10017],
      ['errInternal', 500, -10000],
      ['errUnavailable', 503, -90001],
      ['errProductNotEnabled', 401, -20002],
      ['errNotAllowedHost', 400, -10001],
    ];
    for (const [name, httpStatus, code] of errors) {
      const r = await phoneId(TEST_NUMBERS[name]);
      expect([r.status, r.json.errors[0]?.code ?? null], name).toEqual([httpStatus, code]);
    }
    const slow = await phoneId(TEST_NUMBERS.faultSlow);
    expect(slow.json.number_deactivation.status.code).toBe(2800);
    for (let i = 0; i < 2; i++) expect((await phoneId(TEST_NUMBERS.faultFlaky)).status).toBe(503);
    expect((await phoneId(TEST_NUMBERS.faultFlaky)).status).toBe(200);
    await expect(phoneId(TEST_NUMBERS.faultReset)).rejects.toThrow();
    await expect(phoneId(TEST_NUMBERS.faultMalformedJson)).rejects.toThrow(SyntaxError);
  });

  it('answers international numbers "out of coverage" (2803) for deactivation', async () => {
    await start();
    const r = await phoneId(INTERNATIONAL_TEST_NUMBERS.GB.active);
    expect(r.json.number_deactivation.status.code).toBe(2803);
    expect(r.json.sim_swap.status.code).toBe(2800);
    expect(r.json.location.country.iso2).toBe('GB');
  });
});

describe('GET /v1/phoneid/number_deactivation/{n} (legacy)', () => {
  it('answers the documented body: dates, no verdict, status 2300', async () => {
    await start();
    const r = await legacy(addon('reassigned'));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      reference_id: expect.stringMatching(/^[0-9A-F]{32}$/),
      resource_uri: null,
      sub_resource: 'number_deactivation',
      number_deactivation: {
        number: '13105550100',
        tracking_since: day(3650),
        last_deactivated: day(10),
        mcc: 310,
        mnc: 4,
      },
      errors: [],
      status: {
        code: 2300,
        description: 'Number Deactivation check succeeded',
        updated_on: expect.any(String),
      },
    });
  });

  it('sends the variants: status 300 and mnc as a ;-separated string (oddValues)', async () => {
    await start();
    const r = await legacy(TEST_NUMBERS.oddValues);
    expect(r.json.status.code).toBe(300);
    expect(r.json.number_deactivation.mnc).toBe('030;070');
  });

  it('maps add-on statuses to what older accounts see', async () => {
    await start();
    expect((await legacy(addon('addonNoData'))).json.number_deactivation).toMatchObject({
      tracking_since: null,
      last_deactivated: null,
    });
    const disabled = await legacy(addon('addonNotEnabled'));
    expect([disabled.status, disabled.json.errors[0].code]).toEqual([401, -20002]);
    const down = await legacy(addon('addonUnavailable'));
    expect([down.status, down.json.errors[0].code]).toEqual([503, -90001]);
    const err = await legacy(TEST_NUMBERS.errRateLimited);
    expect([err.status, err.json.errors[0].code]).toEqual([429, -40007]);
  });

  it('checks the ucid and the method like Live', async () => {
    await start();
    expect((await legacy(addon('reassigned'), 'NOPE')).status).toBe(400);
    const post = await fetch(
      `${sandbox!.url}/v1/phoneid/number_deactivation/13105550100?ucid=PWRT`,
      {
        method: 'POST',
        headers: { authorization: BASIC },
      },
    );
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
    await post.arrayBuffer();
  });
});
