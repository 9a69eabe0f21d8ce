import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleStatus } from '../test-support/sample-status.js';
import { decodeStatus, encodeStatus, MAX_STORED_VALUE_LENGTH } from './status-codec.js';

const PHONE = '+14155552671';

describe('status codec', () => {
  it('round-trips what decisions read and drops carrier, referenceId and the number', () => {
    const status = sampleStatus({
      roaming: 'YES',
      roamingCountry: 'Mexico',
      roamingCountryIso2: 'MX',
      errors: [{ code: -60001, description: 'PhoneID Live Data Not Found' }],
      statusCode: 301,
    });
    const raw = encodeStatus(status);
    expect(raw).not.toContain('4155552671');
    expect(raw).not.toContain('Verizon');
    expect(decodeStatus(raw, PHONE)).toEqual({ ...status, carrier: null, referenceId: null });
  });

  it('keeps null fields null and omits them from the value', () => {
    const status = sampleStatus({ phoneType: null, statusCode: null });
    const raw = encodeStatus(status);
    expect(JSON.parse(raw)).toEqual({
      v: 1,
      s: 'ACTIVE',
      d: 'REACHABLE',
      r: 'NO',
      t: status.checkedAt,
    });
    expect(decodeStatus(raw, PHONE)).toMatchObject({
      phoneType: null,
      statusCode: null,
      errors: [],
    });
  });

  it('drops `unrecognized` and maps statuses outside the sets to UNKNOWN', () => {
    const status = sampleStatus({
      subscriberStatus: 'WEIRD' as never,
      unrecognized: { subscriberStatus: 'WEIRD' },
    });
    const decoded = decodeStatus(encodeStatus(status), PHONE);
    expect(decoded?.subscriberStatus).toBe('UNKNOWN');
    expect(decoded).not.toHaveProperty('unrecognized');
  });

  it.each([
    ['not JSON', 'garbage{'],
    ['empty', ''],
    ['a number', '42'],
    ['null', 'null'],
    ['an array', '[1,2]'],
    ['no version', '{"s":"ACTIVE","d":"REACHABLE","r":"NO","t":1}'],
    ['another version', '{"v":2,"s":"ACTIVE","d":"REACHABLE","r":"NO","t":1}'],
    ['a bad status', '{"v":1,"s":"MAYBE","d":"REACHABLE","r":"NO","t":1}'],
    ['no checkedAt', '{"v":1,"s":"ACTIVE","d":"REACHABLE","r":"NO"}'],
    ['a bad phone type', '{"v":1,"s":"ACTIVE","d":"REACHABLE","r":"NO","t":1,"pt":"2"}'],
    ['bad errors', '{"v":1,"s":"ACTIVE","d":"REACHABLE","r":"NO","t":1,"e":[[1]]}'],
    ['a bad roaming country', '{"v":1,"s":"ACTIVE","d":"REACHABLE","r":"NO","t":1,"rc":5}'],
    ['a huge value', `"${'x'.repeat(MAX_STORED_VALUE_LENGTH)}"`],
  ])('reads %s as a miss', (_name, raw) => {
    expect(decodeStatus(raw, PHONE)).toBeUndefined();
  });

  it('never throws on any string or JSON value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (raw) => {
        const decoded = decodeStatus(raw, PHONE);
        expect(decoded === undefined || decoded.phone === PHONE).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
