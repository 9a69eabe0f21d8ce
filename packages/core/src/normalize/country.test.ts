import fc from 'fast-check';
import { getCountries } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { countryCodeOf, isCountryCode } from './country.js';

describe('isCountryCode', () => {
  it('accepts exact upper-case codes libphonenumber knows', () => {
    for (const code of ['GB', 'US', 'DE', 'FR', 'IN', 'BR', 'AU', 'XK']) {
      expect(isCountryCode(code), code).toBe(true);
    }
  });

  it('rejects lower case, placeholders, unknown codes and non-strings', () => {
    for (const value of ['gb', 'Gb', 'UK', 'XX', 'T1', 'ZZ', 'EU', '', ' GB', 'GBR', '001']) {
      expect(isCountryCode(value), JSON.stringify(value)).toBe(false);
    }
    for (const value of [undefined, null, 44, {}, ['GB'], new String('GB'), Symbol('GB')]) {
      expect(isCountryCode(value)).toBe(false);
    }
  });

  it('agrees with libphonenumber for every two-letter code', () => {
    const known = new Set(getCountries());
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        expect(isCountryCode(code), code).toBe(known.has(code as never));
      }
    }
  });
});

describe('countryCodeOf (request data)', () => {
  it('reads codes case-insensitively and ignores surrounding white space', () => {
    expect(countryCodeOf('GB')).toBe('GB');
    expect(countryCodeOf('gb')).toBe('GB');
    expect(countryCodeOf('gB')).toBe('GB');
    expect(countryCodeOf(' de\n')).toBe('DE');
  });

  it('means "no country" for placeholders, junk and non-strings', () => {
    const none = ['XX', 'xx', 'T1', 'ZZ', 'EU', 'UK', '', '  ', 'G', 'GBR', 'G\u0000', 'Ｇｂ'];
    for (const value of none) expect(countryCodeOf(value), JSON.stringify(value)).toBeUndefined();
    for (const value of [undefined, null, 44, true, {}, ['GB'], new String('GB'), () => 'GB']) {
      expect(countryCodeOf(value)).toBeUndefined();
    }
    expect(countryCodeOf(`GB${' '.repeat(10_000)}`)).toBeUndefined();
  });

  it('never throws, and what it returns is always a country code', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const code = countryCodeOf(value);
        expect(code === undefined || isCountryCode(code)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 4 }), (value) => {
        const code = countryCodeOf(value);
        if (code !== undefined) expect(code).toBe(value.trim().toUpperCase());
      }),
      { numRuns: 2000 },
    );
  });
});
