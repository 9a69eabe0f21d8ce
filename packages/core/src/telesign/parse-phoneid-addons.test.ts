import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochMs, timeOfDayMs } from './json-values.js';
import {
  ADDON_STATUS_OUTCOMES,
  addonStatusOf,
  parseLegacyNumberDeactivation,
  parseNumberDeactivation,
  parsePhoneIdAddons,
  parseSimSwap,
} from './parse-phoneid-addons.js';

const BOTH = {
  phone: '+14155552671',
  checkedAt: 1_700_000_000_000,
  numberDeactivation: true,
  simSwap: true,
};
const ok = { code: 2800, description: 'Request successfully completed' };

describe('epochMs and timeOfDayMs', () => {
  it('reads dates, date-times with and without offsets, and epoch numbers', () => {
    expect(epochMs('2018-04-06T00:00:00Z')).toBe(Date.UTC(2018, 3, 6));
    expect(epochMs('2018-04-06')).toBe(Date.UTC(2018, 3, 6));
    expect(epochMs('2018-04-06 22:00:00')).toBe(Date.UTC(2018, 3, 6, 22));
    expect(epochMs('2018-04-06T22:00:00.5Z')).toBe(Date.UTC(2018, 3, 6, 22, 0, 0, 500));
    expect(epochMs('2018-04-06T22:00:00+02:00')).toBe(Date.UTC(2018, 3, 6, 20));
    expect(epochMs('2018-04-06T00:30:00-0130')).toBe(Date.UTC(2018, 3, 6, 2));
    expect(epochMs(1_522_972_800)).toBe(Date.UTC(2018, 3, 6));
    expect(epochMs(1_522_972_800_000)).toBe(Date.UTC(2018, 3, 6));
  });

  it('reads the other forms seen in the wild: short offsets, epoch strings, RFC 1123', () => {
    const march1 = Date.UTC(2024, 2, 1);
    for (const form of [
      '2024-03-01T00:00:00+00',
      '2024-03-01T00:00:00+0000',
      '2024-03-01T00:00:00.000+0000',
      '2024-03-01T00:00:00+00:00',
      '2024-03-01T00:00:00z',
      '2024-03-01 00:00:00 UTC',
      '2024-03-01',
      '1709251200',
      '1709251200000',
      ' 1709251200 ',
      1_709_251_200,
      1_709_251_200_000,
      'Fri, 01 Mar 2024 00:00:00 GMT',
      'fri, 1 mar 2024 00:00:00 gmt',
      '01 Mar 2024 00:00:00 GMT',
      'Fri, 01 Mar 2024 02:00:00 +0200',
    ]) {
      expect(epochMs(form), String(form)).toBe(march1);
    }
    expect(epochMs('2024-03-01T01:00:00-01')).toBe(Date.UTC(2024, 2, 1, 2));
    expect(epochMs('1709251200.5')).toBe(march1 + 500);
  });

  it('tells epoch seconds from milliseconds only where that cannot be confused', () => {
    // Seconds read 2000–2099 only (9.5e8–4.1e9), milliseconds likewise (9.5e11–4.1e12).
    expect(epochMs(946_684_800)).toBe(Date.UTC(2000, 0, 1));
    expect(epochMs(946_684_800_000)).toBe(Date.UTC(2000, 0, 1));
    expect(epochMs(4_102_444_799)).toBe(Date.UTC(2099, 11, 31, 23, 59, 59));
    for (const ambiguous of [
      946_684_799, // 1999 in seconds, or January 1970 in milliseconds
      4_102_444_800, // 2100 in seconds
      50_000_000_000, // year 3554 in seconds, or 1971 in milliseconds
      4_102_444_800_000, // 2100 in milliseconds
      20_240_301, // YYYYMMDD, not seconds of 1970
      '20240301',
      '0',
      1,
    ]) {
      expect(epochMs(ambiguous), String(ambiguous)).toBeNull();
    }
  });

  it('refuses what is not a date, never guessing', () => {
    for (const bad of [
      null,
      undefined,
      '',
      'null',
      'NULL',
      'yesterday',
      '2018-02-31',
      '2018-13-01',
      '2018-04-06T25:00:00Z',
      '2018-04-06T00:00:00+24:00',
      '2018-04-06T00:00:00+01:60',
      '2018-04-06T00:00:00+000',
      '03/01/2024',
      '01.03.2024',
      'Thu, 01 Mar 2024 00:00:00 GMT', // 1 March 2024 was a Friday
      'Fri, 01 Mar 2024 00:00:00 PST',
      'Fri, 31 Feb 2024 00:00:00 GMT',
      '-1709251200',
      '1e9',
      '20180406',
      0,
      -5,
      Number.NaN,
      {},
      [],
      true,
    ]) {
      expect(epochMs(bad), String(bad)).toBeNull();
    }
    expect(timeOfDayMs('22:00:00')).toBe(22 * 3_600_000);
    expect(timeOfDayMs('07:30')).toBe(7.5 * 3_600_000);
    expect(timeOfDayMs('24:00:00')).toBeNull();
    expect(timeOfDayMs(null)).toBeNull();
  });

  it('never throws and never returns NaN, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const at = epochMs(value);
        return at === null || Number.isFinite(at);
      }),
      { seed: 12, numRuns: 500 },
    );
  });
});

describe('addonStatusOf', () => {
  it('maps every documented status to its outcome', () => {
    const expected: Record<number, string> = {
      2800: 'data',
      2801: 'bug',
      2802: 'retryable',
      2803: 'unknown',
      2804: 'unknown',
      2805: 'unknown',
      2806: 'config_error',
      2807: 'bug',
      2810: 'retryable',
      2811: 'retryable',
    };
    for (const [code, outcome] of Object.entries(expected)) {
      expect(addonStatusOf({ code: Number(code), description: 'x' })).toEqual({
        code: Number(code),
        outcome,
        description: 'x',
      });
    }
    expect([...ADDON_STATUS_OUTCOMES.keys()].sort()).toEqual(
      Object.keys(expected).map(Number).sort(),
    );
  });

  it('reads string codes; unknown, missing and malformed statuses are unknown', () => {
    expect(addonStatusOf({ code: '2806' }).outcome).toBe('config_error');
    expect(addonStatusOf({ code: 2899 })).toMatchObject({ code: 2899, outcome: 'unknown' });
    expect(addonStatusOf({ code: 'soon' })).toMatchObject({ code: null, outcome: 'unknown' });
    expect(addonStatusOf(undefined)).toEqual({ code: null, outcome: 'unknown', description: null });
    expect(addonStatusOf('2800')).toMatchObject({ outcome: 'unknown' });
  });

  it('cleans Telesign descriptions: numbers masked, control characters removed, bounded', () => {
    const s = addonStatusOf({
      code: 2805,
      description: `No data for 14155552671\r\n${'x'.repeat(300)}`,
    });
    expect(s.description).not.toMatch(/14155552671|[\r\n]/);
    expect(s.description).toContain('+1415*****71');
    expect(s.description?.length).toBeLessThanOrEqual(201);
  });
});

describe('parseNumberDeactivation', () => {
  it('reads the docs example verbatim', () => {
    expect(
      parseNumberDeactivation({
        carrier_name: 'Verizon',
        last_deactivated: '2018-04-06T00:00:00Z',
        tracking_since: '2014-10-06T00:00:00Z',
        recycled_since_last_verification: 'recycled',
        status: ok,
      }),
    ).toEqual({
      status: { code: 2800, outcome: 'data', description: 'Request successfully completed' },
      lastDeactivatedAt: Date.UTC(2018, 3, 6),
      trackingSince: Date.UTC(2014, 9, 6),
      carrier: 'Verizon',
      telesignVerdict: 'recycled',
    });
  });

  it('null and absent dates are null; unreadable verdicts are null', () => {
    const r = parseNumberDeactivation({
      last_deactivated: null,
      tracking_since: 'null',
      recycled_since_last_verification: 'maybe',
      status: ok,
    });
    expect(r).toMatchObject({
      lastDeactivatedAt: null,
      trackingSince: null,
      carrier: null,
      telesignVerdict: null,
    });
    expect(parseNumberDeactivation({ status: ok })).toMatchObject({
      lastDeactivatedAt: null,
      trackingSince: null,
    });
    for (const verdict of ['not_recycled', 'CANNOT_BE_DETERMINED']) {
      expect(
        parseNumberDeactivation({ recycled_since_last_verification: verdict, status: ok })
          .telesignVerdict,
      ).toBe(verdict.toLowerCase());
    }
  });

  it('a date that is present but unreadable makes the record unknown, never "never deactivated"', () => {
    for (const [field, value] of [
      ['last_deactivated', '03/01/2024'],
      ['last_deactivated', 'soon'],
      ['last_deactivated', 20_240_301],
      ['last_deactivated', false],
      ['last_deactivated', { date: '2024-03-01' }],
      ['tracking_since', '2014-10-06T00:00:00+25:00'],
      ['tracking_since', []],
    ] as const) {
      const r = parseNumberDeactivation({
        last_deactivated: null,
        tracking_since: '2014-10-06T00:00:00Z',
        recycled_since_last_verification: 'recycled',
        [field]: value,
        status: ok,
      });
      expect(r, `${field}: ${JSON.stringify(value)}`).toMatchObject({
        status: {
          code: 2800,
          outcome: 'unknown',
          description: expect.stringMatching(
            new RegExp(`^Unreadable answer: ${field} is not a date`),
          ),
        },
        lastDeactivatedAt: null,
        // The date that could be read is kept.
        trackingSince: field === 'tracking_since' ? null : Date.UTC(2014, 9, 6),
        // Telesign's own verdict is kept: its `recycled` decides alone.
        telesignVerdict: 'recycled',
      });
    }
    // Blank is absent, not unreadable.
    for (const blank of [null, undefined, '', '  ', 'null']) {
      const r = parseNumberDeactivation({
        last_deactivated: blank,
        tracking_since: '2014-10-06',
        status: ok,
      });
      expect(r.status.outcome, String(blank)).toBe('data');
    }
  });

  it('an unreadable date in a legacy answer is unknown too', () => {
    const r = parseLegacyNumberDeactivation(
      {
        number_deactivation: { last_deactivated: '6 April 2018', tracking_since: '2014-02-25' },
        errors: [],
        status: { code: 2300 },
      },
      { ...BOTH, simSwap: false },
    );
    expect(r.numberDeactivation).toMatchObject({
      status: { code: 2300, outcome: 'unknown', description: expect.stringMatching(/^Unreadable/) },
      lastDeactivatedAt: null,
    });
  });

  it('keeps no data unless the status is 2800; a missing block is unknown', () => {
    const r = parseNumberDeactivation({
      last_deactivated: '2018-04-06T00:00:00Z',
      status: { code: 2803 },
    });
    expect(r).toMatchObject({
      status: { outcome: 'unknown', code: 2803 },
      lastDeactivatedAt: null,
    });
    expect(parseNumberDeactivation(undefined).status).toMatchObject({
      code: null,
      outcome: 'unknown',
    });
    expect(parseNumberDeactivation('garbage').status.outcome).toBe('unknown');
  });
});

describe('parseSimSwap', () => {
  it('reads a bare date plus swap_time, a timestamp, and string or number risks', () => {
    expect(
      parseSimSwap({
        swap_date: '2018-09-05',
        swap_time: '22:00:00',
        risk_indicator: 1,
        status: ok,
      }),
    ).toEqual({
      status: { code: 2800, outcome: 'data', description: 'Request successfully completed' },
      risk: 1,
      swappedAt: Date.UTC(2018, 8, 5, 22),
    });
    expect(
      parseSimSwap({
        swap_date: '2018-09-05T22:00:00Z',
        swap_time: '01:00:00',
        risk_indicator: '3',
        status: ok,
      }),
    ).toMatchObject({ risk: 3, swappedAt: Date.UTC(2018, 8, 5, 22) });
    expect(
      parseSimSwap({ swap_date: '2018-09-05', risk_indicator: '4', status: ok }),
    ).toMatchObject({
      risk: 4,
      swappedAt: Date.UTC(2018, 8, 5),
    });
    expect(
      parseSimSwap({ swap_date: '2018-09-05', swap_time: 'late', risk_indicator: 2, status: ok })
        .swappedAt,
    ).toBe(Date.UTC(2018, 8, 5));
  });

  it('out-of-range risks and absent dates are null', () => {
    for (const risk of [0, 5, 2.5, 'high', null, undefined]) {
      expect(parseSimSwap({ risk_indicator: risk, status: ok }).risk, String(risk)).toBeNull();
    }
    expect(parseSimSwap({ swap_date: null, risk_indicator: 1, status: ok }).swappedAt).toBeNull();
  });

  it('neither a readable risk nor a readable date, though one came: unknown, not "no swap"', () => {
    for (const block of [
      { risk_indicator: 'high' },
      { risk_indicator: 7, swap_date: null },
      { swap_date: '05/09/2018' },
      { risk_indicator: 'x', swap_date: 'y' },
    ]) {
      expect(parseSimSwap({ ...block, status: ok }), JSON.stringify(block)).toMatchObject({
        status: { outcome: 'unknown', description: expect.stringMatching(/^Unreadable answer: /) },
        risk: null,
        swappedAt: null,
      });
    }
    // A readable date stands in for an unreadable risk (the guard derives the risk).
    expect(
      parseSimSwap({ risk_indicator: 'high', swap_date: '2018-09-05', status: ok }),
    ).toMatchObject({
      status: { outcome: 'data' },
      risk: null,
      swappedAt: Date.UTC(2018, 8, 5),
    });
    // Nothing at all is no data, as before.
    expect(parseSimSwap({ status: ok }).status.outcome).toBe('data');
  });

  it('a failure block carries only a status', () => {
    expect(parseSimSwap({ status: { code: 2805, description: 'No information' } })).toEqual({
      status: { code: 2805, outcome: 'unknown', description: 'No information' },
      risk: null,
      swappedAt: null,
    });
    expect(parseSimSwap({ risk_indicator: 4, status: { code: 2806 } })).toMatchObject({
      status: { outcome: 'config_error' },
      risk: null,
    });
  });
});

describe('parsePhoneIdAddons', () => {
  it('returns a record per add-on asked for, null for the others, with the envelope', () => {
    const body = {
      reference_id: 'REF',
      status: { code: 300, description: 'Transaction successfully completed' },
      errors: [],
      number_deactivation: {
        last_deactivated: null,
        tracking_since: '2014-10-06T00:00:00Z',
        status: ok,
      },
      sim_swap: { swap_date: '2018-09-05', risk_indicator: 1, status: ok },
    };
    const both = parsePhoneIdAddons(body, BOTH);
    expect(both).toMatchObject({
      phone: '+14155552671',
      referenceId: 'REF',
      statusCode: 300,
      checkedAt: 1_700_000_000_000,
    });
    expect(both.numberDeactivation?.trackingSince).toBe(Date.UTC(2014, 9, 6));
    expect(both.simSwap?.risk).toBe(1);
    const onlySwap = parsePhoneIdAddons(body, { ...BOTH, numberDeactivation: false });
    expect(onlySwap.numberDeactivation).toBeNull();
    const missing = parsePhoneIdAddons({ status: { code: 301 } }, BOTH);
    expect(missing.numberDeactivation?.status.outcome).toBe('unknown');
    expect(missing.simSwap?.status.outcome).toBe('unknown');
  });

  it('never throws, whatever the body (property)', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (a, b) => {
        const r = parsePhoneIdAddons({ number_deactivation: a, sim_swap: b, status: a }, BOTH);
        return r.numberDeactivation !== null && r.simSwap !== null;
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('parseLegacyNumberDeactivation', () => {
  const legacy = (status: number, extra: Record<string, unknown> = {}) => ({
    reference_id: 'LEG',
    resource_uri: null,
    sub_resource: 'number_deactivation',
    number_deactivation: {
      number: '13101234567',
      tracking_since: '2014-02-25T22:51:02Z',
      last_deactivated: null,
      ...extra,
    },
    errors: [],
    status: { code: status, description: 'Number Deactivation check succeeded' },
  });

  it('success at 2300 and at 300, mcc and mnc in every form, no verdict', () => {
    for (const code of [2300, 300]) {
      for (const extra of [
        {},
        { mcc: 310, mnc: 4 },
        { mcc: '310', mnc: '030;070' },
        { mnc: null },
      ]) {
        const r = parseLegacyNumberDeactivation(legacy(code, extra), { ...BOTH, simSwap: false });
        expect(r.numberDeactivation).toEqual({
          status: { code, outcome: 'data', description: 'Number Deactivation check succeeded' },
          lastDeactivatedAt: null,
          trackingSince: Date.UTC(2014, 1, 25, 22, 51, 2),
          carrier: null,
          telesignVerdict: null,
        });
        expect(r.simSwap).toBeNull();
        expect(r.referenceId).toBe('LEG');
      }
    }
    const verdictIgnored = parseLegacyNumberDeactivation(
      legacy(2300, {
        recycled_since_last_verification: 'recycled',
        last_deactivated: '2020-01-01',
      }),
      BOTH,
    );
    expect(verdictIgnored.numberDeactivation).toMatchObject({
      telesignVerdict: null,
      lastDeactivatedAt: Date.UTC(2020, 0, 1),
    });
  });

  it('SIM swap is unknown there; errors or a missing block are unknown', () => {
    const r = parseLegacyNumberDeactivation(legacy(2300), BOTH);
    expect(r.simSwap).toEqual({
      status: {
        code: null,
        outcome: 'unknown',
        description: expect.stringMatching(/not available on the legacy/),
      },
      risk: null,
      swappedAt: null,
    });
    const withError = parseLegacyNumberDeactivation(
      { ...legacy(2300), errors: [{ code: -60001, description: 'Data Not Found' }] },
      BOTH,
    );
    expect(withError.numberDeactivation).toMatchObject({
      status: { outcome: 'unknown', description: 'Data Not Found' },
      trackingSince: null,
    });
    expect(
      parseLegacyNumberDeactivation({ status: { code: 300 }, errors: [] }, BOTH).numberDeactivation
        ?.status,
    ).toMatchObject({ outcome: 'unknown', code: 300 });
  });
});
