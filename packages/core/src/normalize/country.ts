/**
 * Country codes as phone-guard accepts them: exact ones in options (a wrong one is a
 * programming error), forgiving ones in request data (a wrong one means "no country").
 */
import { type CountryCode, getCountries, isSupportedCountry } from 'libphonenumber-js/max';

/**
 * True when `value` is an ISO 3166-1 alpha-2 country code, in upper case, that
 * libphonenumber has numbering data for (`'GB'`, `'US'`; not `'gb'`, `'UK'`, `'XX'`).
 * Never throws.
 *
 * @example
 * ```ts
 * if (isCountryCode(req.body.country)) normalizePhone(phone, { defaultCountry: req.body.country });
 * ```
 */
export function isCountryCode(value: unknown): value is CountryCode {
  return (
    typeof value === 'string' &&
    value.length === 2 &&
    /^[A-Z]{2}$/.test(value) &&
    isSupportedCountry(value)
  );
}

const A = 65;
/** Every supported code, indexed by its two letters (26 × 26 slots). */
let table: (CountryCode | undefined)[] | undefined;

function codeTable(): (CountryCode | undefined)[] {
  if (table === undefined) {
    const slots = new Array<CountryCode | undefined>(26 * 26).fill(undefined);
    for (const code of getCountries()) {
      if (/^[A-Z]{2}$/.test(code)) {
        slots[(code.charCodeAt(0) - A) * 26 + (code.charCodeAt(1) - A)] = code;
      }
    }
    table = slots;
  }
  return table;
}

/** 0–25 for an ASCII letter of either case, else -1. */
function letterIndex(charCode: number): number {
  const upper = charCode & ~0x20;
  return upper >= A && upper <= A + 25 ? upper - A : -1;
}

/**
 * Reads a country code from request data: case-insensitive, surrounding white space
 * ignored. Anything else — an unknown or placeholder code (`'XX'`, `'T1'`, `'ZZ'`, `'EU'`,
 * `'UK'`), `''`, a non-string — gives `undefined` ("no country"). Never throws, and does
 * not allocate for a two-letter string.
 *
 * @example
 * ```ts
 * countryCodeOf('gb'); // 'GB'
 * countryCodeOf('XX'); // undefined
 * ```
 */
export function countryCodeOf(value: unknown): CountryCode | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value;
  if (text.length !== 2) {
    if (text.length > 16) return undefined;
    text = text.trim();
    if (text.length !== 2) return undefined;
  }
  const first = letterIndex(text.charCodeAt(0));
  const second = letterIndex(text.charCodeAt(1));
  if (first < 0 || second < 0) return undefined;
  return codeTable()[first * 26 + second];
}
