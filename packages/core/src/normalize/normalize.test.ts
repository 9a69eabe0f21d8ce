import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPhoneGuardError } from '../model/errors.js';
import { MAX_PHONE_INPUT_LENGTH, type NormalizeResult, normalizePhone } from './normalize.js';

const SF = { e164: '+14155552671', digits: '14155552671', country: 'US' };

function expectOk(result: NormalizeResult) {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}`);
  return result.phone;
}

function expectCode(result: NormalizeResult, code: string) {
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe(code);
    expect(result.error.message.length).toBeGreaterThan(10);
  }
}

describe('normalizePhone accepts what people type', () => {
  it.each([
    ['+1 (415) 555-2671', undefined],
    ['+14155552671', undefined],
    ['415.555.2671', 'US'],
    ['(415) 555-2671', 'US'],
    ['tel:+1-415-555-2671', undefined],
    ['TEL:+1-415-555-2671;ext=7', undefined],
    ['＋１ ４１５ ５５５ ２６７１', undefined],
    ['  +1 415 555 2671  ', undefined],
    ['+1 415 555 2671 ext. 12', undefined],
    ['1 415 555 2671', 'US'],
    ['001 415 555 2671', 'GB'],
  ] as const)('%s (defaultCountry %s)', (input, defaultCountry) => {
    const phone = expectOk(normalizePhone(input, { defaultCountry }));
    expect(phone).toMatchObject(SF);
    expect(phone.type).toBe('FIXED_LINE_OR_MOBILE');
  });

  it('reads 00 as the international prefix without a default country', () => {
    expect(expectOk(normalizePhone('00 44 20 7946 0958'))).toEqual({
      e164: '+442079460958',
      digits: '442079460958',
      country: 'GB',
      type: 'FIXED_LINE',
    });
  });

  it("reads the default country's own international prefix (011 from the US)", () => {
    expect(expectOk(normalizePhone('011 44 20 7946 0958', { defaultCountry: 'US' })).e164).toBe(
      '+442079460958',
    );
  });

  it('reads national numbers of the default country and tells mobile from fixed line', () => {
    expect(expectOk(normalizePhone('06 12 34 56 78', { defaultCountry: 'FR' }))).toEqual({
      e164: '+33612345678',
      digits: '33612345678',
      country: 'FR',
      type: 'MOBILE',
    });
    expect(expectOk(normalizePhone('020 7946 0958', { defaultCountry: 'GB' })).type).toBe(
      'FIXED_LINE',
    );
  });

  it('keeps numbers that belong to no country, without a country', () => {
    const phone = expectOk(normalizePhone('+800 1234 5678'));
    expect(phone.e164).toBe('+80012345678');
    expect(phone.country).toBeUndefined();
  });

  it('returns frozen results that repeated calls share', () => {
    const a = normalizePhone('+1 415 555 2671');
    const b = normalizePhone('+1 415 555 2671');
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(expectOk(a))).toBe(true);
  });
});

describe('normalizePhone rejects with a stable code', () => {
  it.each([undefined, null, '', '   ', 'tel:'])('PHONE_MISSING for %j', (input) => {
    expectCode(normalizePhone(input), 'PHONE_MISSING');
  });

  it.each([
    14155552671,
    0,
    Number.NaN,
    true,
    ['+14155552671'],
    { phone: '+14155552671' },
    Symbol('x'),
    () => '+14155552671',
    10n,
    new String('+14155552671'),
  ])('PHONE_NOT_STRING for %s', (input) => {
    expectCode(normalizePhone(input), 'PHONE_NOT_STRING');
  });

  it('PHONE_TOO_LONG before parsing, even for a megabyte', () => {
    expectCode(normalizePhone('1'.repeat(MAX_PHONE_INPUT_LENGTH + 1)), 'PHONE_TOO_LONG');
    const huge = '+1'.padEnd(1024 * 1024, '5');
    const started = process.hrtime.bigint();
    expectCode(normalizePhone(huge), 'PHONE_TOO_LONG');
    // Generous bound: the check is a length comparison, so even a loaded machine is far below it.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(50);
  });

  it.each([
    '+1 415 555 267',
    '+12345',
    '+1 415 555 26711111',
    'abc',
    '+999 123 456 789',
    '+1 (000) 000-0000',
    '+44 7700 900123',
    '++14155552671',
  ])('PHONE_INVALID for %s', (input) => {
    expectCode(normalizePhone(input), 'PHONE_INVALID');
  });

  it('PHONE_INVALID with countryRequired for a national number without a default country', () => {
    for (const input of ['415 555 2671', '07400 123456', '(415) 555-2671', '12']) {
      const result = normalizePhone(input);
      expectCode(result, 'PHONE_INVALID');
      if (!result.ok) {
        expect(result.error.message).toMatch(/country code/);
        expect(result.error.countryRequired).toBe(true);
      }
    }
    const noDigits = normalizePhone('call me');
    expect(!noDigits.ok && noDigits.error.countryRequired).toBe(undefined);
    // With a country, the same text is read (or is plainly invalid); without digits it
    // is no number at all; an international number needs no country.
    expect(normalizePhone('07400 123456', { defaultCountry: 'GB' }).ok).toBe(true);
    expectCode(normalizePhone('12', { defaultCountry: 'GB' }), 'PHONE_INVALID');
    expectCode(normalizePhone('call me'), 'PHONE_INVALID');
    expect(normalizePhone('+44 7400 123456').ok).toBe(true);
  });

  it('PHONE_COUNTRY_NOT_ALLOWED outside allowedCountries', () => {
    expectCode(
      normalizePhone('+33 6 12 34 56 78', { allowedCountries: ['US', 'CA'] }),
      'PHONE_COUNTRY_NOT_ALLOWED',
    );
    expectCode(
      normalizePhone('+800 1234 5678', { allowedCountries: ['US'] }),
      'PHONE_COUNTRY_NOT_ALLOWED',
    );
    expect(normalizePhone('+1 415 555 2671', { allowedCountries: ['US'] }).ok).toBe(true);
  });

  it('never echoes the input in its messages', () => {
    const result = normalizePhone('+1 415 555 267', {});
    if (!result.ok) expect(result.error.message).not.toMatch(/415/);
  });
});

describe('normalizePhone options', () => {
  it('throws a typed option error for an unknown country (a programming error)', () => {
    for (const bad of [
      { defaultCountry: 'XX' },
      { defaultCountry: 'us' },
      { allowedCountries: [] },
      { allowedCountries: ['US', 'ZZ'] },
    ]) {
      let thrown: unknown;
      try {
        normalizePhone('+14155552671', bad as never);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(TypeError);
      expect(isPhoneGuardError(thrown)).toBe(true);
      expect((thrown as { code: string }).code).toBe('PG_INVALID_OPTION');
    }
  });

  it('does not mutate the options', () => {
    const options = Object.freeze({
      defaultCountry: 'US' as const,
      allowedCountries: Object.freeze(['US' as const]),
    });
    expect(normalizePhone('415 555 2671', options).ok).toBe(true);
  });
});

describe('normalizePhone fuzz', () => {
  function wellFormed(result: NormalizeResult): void {
    if (result.ok) {
      expect(result.phone.e164).toMatch(/^\+[1-9]\d{5,14}$/);
      expect(result.phone.digits).toBe(result.phone.e164.slice(1));
    } else {
      expect([
        'PHONE_MISSING',
        'PHONE_NOT_STRING',
        'PHONE_TOO_LONG',
        'PHONE_INVALID',
        'PHONE_COUNTRY_NOT_ALLOWED',
      ]).toContain(result.error.code);
      expect(typeof result.error.message).toBe('string');
    }
  }

  it('never throws and always returns a well-formed result for arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true }),
        (value) => {
          wellFormed(normalizePhone(value));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws for phone-like strings, with and without a default country', () => {
    const phoneish = fc.string({
      unit: fc.constantFrom(...'+0123456789 ()-.x#*tel:；＋０１２３'.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(
        phoneish,
        fc.constantFrom(undefined, 'US', 'GB', 'DE'),
        (value, defaultCountry) => {
          wellFormed(normalizePhone(value, { defaultCountry }));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws for arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (value) => {
        wellFormed(normalizePhone(value, { defaultCountry: 'US', allowedCountries: ['US', 'CA'] }));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('normalizePhone short numbers', () => {
  it('accepts the shortest valid numbers (6 digits), which the Telesign client also takes', () => {
    const result = normalizePhone('１695', { defaultCountry: 'DE' });
    expect(result.ok && result.phone.e164).toBe('+491695');
  });
});

describe('normalizePhone parse cache', () => {
  it('cannot be poisoned across countries by an input that embeds a country and a NUL', () => {
    // The key of ('07400 123456', GB) must differ from any country-less input's key.
    expect(normalizePhone('GB\u000007400 123456').ok).toBe(false);
    expect(normalizePhone('GB07400 123456').ok).toBe(false);
    expect(normalizePhone('07400 123456', { defaultCountry: 'GB' })).toMatchObject({
      ok: true,
      phone: { e164: '+447400123456' },
    });
  });
});
