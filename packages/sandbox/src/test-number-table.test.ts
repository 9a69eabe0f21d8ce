import { readFile } from 'node:fs/promises';
import {
  type CountryCode,
  createPhoneGuard,
  createTelesignClient,
  normalizePhone,
} from '@phone-guard/core';
import {
  ADDON_TEST_NUMBERS,
  INTERNATIONAL_OUTCOMES,
  INTERNATIONAL_TEST_NUMBERS,
  type InternationalCountry,
  ROAMING_DESTINATIONS,
  SANDBOX_API_KEY,
  SANDBOX_CUSTOMER_ID,
  type Sandbox,
  startSandbox,
  TEST_NUMBER_TABLE,
  TEST_NUMBERS,
} from '@phone-guard/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const COUNTRIES = Object.keys(INTERNATIONAL_TEST_NUMBERS) as InternationalCountry[];

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe('international test numbers', () => {
  it('cover GB, DE, FR, IN, BR and AU, every live outcome', () => {
    expect(COUNTRIES.sort()).toEqual(['AU', 'BR', 'DE', 'FR', 'GB', 'IN']);
    for (const country of COUNTRIES) {
      expect(Object.keys(INTERNATIONAL_TEST_NUMBERS[country])).toEqual([...INTERNATIONAL_OUTCOMES]);
    }
  });

  it('are valid numbers of their country for libphonenumber-js/max (+ form, no default country)', () => {
    for (const country of COUNTRIES) {
      for (const number of Object.values(INTERNATIONAL_TEST_NUMBERS[country])) {
        const r = normalizePhone(number);
        expect(r.ok && r.phone.e164 === number && r.phone.country, number).toBe(country);
        const allowed = normalizePhone(number, { allowedCountries: [country as CountryCode] });
        expect(allowed.ok, number).toBe(true);
      }
    }
  });

  it('give their documented outcome through the Telesign client', async () => {
    const client = createTelesignClient({
      baseUrl: sandbox.url,
      customerId: SANDBOX_CUSTOMER_ID,
      apiKey: SANDBOX_API_KEY,
    });
    try {
      for (const country of COUNTRIES) {
        const n = INTERNATIONAL_TEST_NUMBERS[country];
        const s = async (outcome: keyof typeof n) =>
          client.getLiveStatus(n[outcome], { useCase: 'BACS' });
        expect(await s('active'), country).toMatchObject({
          subscriberStatus: 'ACTIVE',
          deviceStatus: 'REACHABLE',
          roaming: 'NO',
          phoneType: { code: '2' },
        });
        expect((await s('unreachable')).deviceStatus).toBe('UNREACHABLE');
        expect((await s('deviceUnavailable')).deviceStatus).toBe('UNAVAILABLE');
        expect(await s('roaming')).toMatchObject({
          roaming: 'YES',
          roamingCountryIso2: ROAMING_DESTINATIONS[country].iso2,
        });
        expect((await s('disconnected')).subscriberStatus).toBe('DISCONNECTED');
        expect(await s('notFound')).toMatchObject({
          subscriberStatus: 'UNKNOWN',
          errors: [{ code: -60001 }],
        });
        expect((await s('voip')).phoneType?.code).toBe('5');
        expect((await s('prepaid')).phoneType?.code).toBe('3');
      }
    } finally {
      await client.close();
    }
  });

  it("work in an app that allows only their country (allowedCountries: ['GB'])", async () => {
    const guard = createPhoneGuard({
      allowedCountries: ['GB'],
      telesign: { baseUrl: sandbox.url, customerId: SANDBOX_CUSTOMER_ID, apiKey: SANDBOX_API_KEY },
    });
    try {
      const gb = INTERNATIONAL_TEST_NUMBERS.GB;
      expect((await guard.check(gb.active)).action).toBe('allow');
      expect(await guard.check(gb.disconnected)).toMatchObject({
        action: 'block',
        reasons: ['SUBSCRIBER_DISCONNECTED'],
      });
      expect((await guard.check(TEST_NUMBERS.active)).reasons).toEqual(['PHONE_INVALID']);
    } finally {
      await guard.close();
    }
  });

  it('answer with their own country, carrier and numbering', async () => {
    const res = await fetch(
      `${sandbox.url}/v1/phoneid/live/${INTERNATIONAL_TEST_NUMBERS.IN.roaming.slice(1)}?ucid=BACS`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${SANDBOX_CUSTOMER_ID}:${SANDBOX_API_KEY}`).toString('base64')}`,
        },
      },
    );
    // biome-ignore lint/suspicious/noExplicitAny: a Telesign JSON body, read freely in assertions
    const body = (await res.json()) as Record<string, any>;
    expect(body.location.country.iso2).toBe('IN');
    expect(body.numbering.original.country_code).toBe('91');
    expect(body.live.roaming_country).toBe('UNITED ARAB EMIRATES');
    expect(['Reliance Jio', 'Bharti Airtel', 'Vodafone Idea']).toContain(body.carrier.name);
  });
});

describe('TEST_NUMBER_TABLE', () => {
  it('lists every test number once, with country and outcome', () => {
    const numbers = TEST_NUMBER_TABLE.map((r) => r.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).toEqual(
      expect.arrayContaining([
        ...Object.values(TEST_NUMBERS),
        ...Object.values(ADDON_TEST_NUMBERS),
        ...COUNTRIES.flatMap((c) => Object.values(INTERNATIONAL_TEST_NUMBERS[c])),
      ]),
    );
    expect(
      TEST_NUMBER_TABLE.find((r) => r.number === INTERNATIONAL_TEST_NUMBERS.GB.disconnected),
    ).toEqual({
      number: '+447400123104',
      country: 'GB',
      outcome: 'disconnected',
      name: 'GB.disconnected',
      kind: 'live',
    });
    expect(TEST_NUMBER_TABLE.find((r) => r.name === 'errHardCap')?.kind).toBe('error');
    expect(TEST_NUMBER_TABLE.find((r) => r.name === 'faultHang')?.kind).toBe('fault');
    expect(TEST_NUMBER_TABLE.find((r) => r.name === 'reassigned')?.kind).toBe('addon');
  });

  it('holds only numbers that normalize to themselves, in their country', () => {
    for (const row of TEST_NUMBER_TABLE) {
      const r = normalizePhone(row.number);
      expect(r.ok && r.phone.e164 === row.number && r.phone.country, row.name).toBe(row.country);
    }
  });

  it('keeps the US numbers as they were', () => {
    expect(TEST_NUMBERS.active).toBe('+14155550100');
    expect(TEST_NUMBERS.disconnected).toBe('+14155550104');
    expect(TEST_NUMBERS.faultFlaky).toBe('+14155550197');
  });

  it('is documented: the README lists every number', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const missing = TEST_NUMBER_TABLE.filter((r) => !readme.includes(r.number)).map((r) => r.name);
    expect(missing).toEqual([]);
  });
});
