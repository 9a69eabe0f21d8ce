import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLiveStatus, readTelesignEnvelope } from './parse-live-status.js';

const ctx = { phone: '+14155552671', checkedAt: 1234 };

describe('readTelesignEnvelope', () => {
  it('reads status, errors and reference id, tolerating strings for numbers', () => {
    expect(
      readTelesignEnvelope({
        reference_id: 'ABC',
        status: { code: '301', description: 'partial' },
        errors: [
          { code: '-60001', description: 'PhoneID Live Data Not Found' },
          { code: 'x' },
          null,
        ],
      }),
    ).toEqual({
      referenceId: 'ABC',
      statusCode: 301,
      statusDescription: 'partial',
      errors: [{ code: -60001, description: 'PhoneID Live Data Not Found' }],
    });
  });

  it('returns undefined for anything without the envelope', () => {
    for (const body of [null, 1, 'x', [], {}, { hello: 'world' }, { live: {} }, { status: 'ok' }]) {
      expect(readTelesignEnvelope(body)).toBeUndefined();
    }
    expect(readTelesignEnvelope({ errors: [] })).toBeDefined();
  });
});

describe('parseLiveStatus', () => {
  it('parses the documented success example', () => {
    const s = parseLiveStatus(
      {
        reference_id: '0123456789ABCDEF0123456789ABCDEF',
        resource_uri: null,
        sub_resource: 'live',
        errors: [],
        status: { code: 300, description: 'Transaction successfully completed' },
        phone_type: { code: '2', description: 'MOBILE' },
        carrier: { name: 'Verizon' },
        location: { coordinates: { latitude: '33.83', longitude: -117.84 } },
        live: {
          subscriber_status: 'ACTIVE',
          device_status: 'REACHABLE',
          roaming: 'NO',
          roaming_country: null,
          roaming_country_iso2: null,
        },
      },
      ctx,
    );
    expect(s).toEqual({
      phone: '+14155552671',
      subscriberStatus: 'ACTIVE',
      deviceStatus: 'REACHABLE',
      roaming: 'NO',
      roamingCountry: null,
      roamingCountryIso2: null,
      phoneType: { code: '2', description: 'MOBILE' },
      carrier: 'Verizon',
      referenceId: '0123456789ABCDEF0123456789ABCDEF',
      statusCode: 300,
      errors: [],
      checkedAt: 1234,
    });
  });

  it('treats the string "null" and empty strings as absent; numbers as strings become strings', () => {
    const s = parseLiveStatus(
      {
        status: { code: 300 },
        errors: [],
        phone_type: { code: 3, description: null },
        carrier: { name: 'null' },
        live: {
          subscriber_status: 'active',
          device_status: 'UNREACHABLE',
          roaming: 'YES',
          roaming_country: 'Mexico',
          roaming_country_iso2: 'mx',
        },
      },
      ctx,
    );
    expect(s).toMatchObject({
      subscriberStatus: 'ACTIVE',
      roaming: 'YES',
      roamingCountry: 'Mexico',
      roamingCountryIso2: 'MX',
      phoneType: { code: '3', description: '' },
      carrier: null,
    });
    const n = parseLiveStatus(
      {
        status: { code: 300 },
        live: { roaming: 'NO', roaming_country: 'null', roaming_country_iso2: '' },
      },
      ctx,
    );
    expect(n.roamingCountry).toBeNull();
    expect(n.roamingCountryIso2).toBeNull();
  });

  it('keeps unknown enum values in `unrecognized` and maps them to UNKNOWN', () => {
    const s = parseLiveStatus(
      {
        status: { code: 300 },
        live: { subscriber_status: 'PORTED', device_status: 'SLEEPING', roaming: 'MAYBE' },
      },
      ctx,
    );
    expect(s).toMatchObject({
      subscriberStatus: 'UNKNOWN',
      deviceStatus: 'UNKNOWN',
      roaming: 'UNKNOWN',
      unrecognized: { subscriberStatus: 'PORTED', deviceStatus: 'SLEEPING', roaming: 'MAYBE' },
    });
  });

  it('a missing or null `live` gives UNKNOWN without `unrecognized`', () => {
    for (const live of [undefined, null, 'x', []]) {
      const s = parseLiveStatus({ status: { code: 300 }, errors: [], live }, ctx);
      expect(s).toMatchObject({
        subscriberStatus: 'UNKNOWN',
        deviceStatus: 'UNKNOWN',
        roaming: 'UNKNOWN',
      });
      expect(s.unrecognized).toBeUndefined();
    }
  });

  it('-60001 gives UNKNOWN statuses even if a `live` object came along', () => {
    const s = parseLiveStatus(
      {
        status: { code: 301 },
        errors: [{ code: -60001, description: 'PhoneID Live Data Not Found' }],
        live: { subscriber_status: 'ACTIVE' },
      },
      ctx,
    );
    expect(s.subscriberStatus).toBe('UNKNOWN');
    expect(s.errors).toEqual([{ code: -60001, description: 'PhoneID Live Data Not Found' }]);
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const s = parseLiveStatus(body, ctx);
        expect(['ACTIVE', 'DISCONNECTED', 'UNKNOWN']).toContain(s.subscriberStatus);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.record({
          status: fc.anything(),
          errors: fc.anything(),
          live: fc.anything(),
          phone_type: fc.anything(),
        }),
        (body) => {
          parseLiveStatus(body, ctx);
        },
      ),
      { numRuns: 500 },
    );
  });
});
