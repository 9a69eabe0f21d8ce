import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';
import { PhoneGuardOptionError } from '../model/errors.js';
import type {
  NormalizedPhone,
  NormalizeError,
  NormalizeErrorCode,
  NormalizeOptions,
  NormalizeResult,
} from '../model/phone.js';
import { isCountryCode } from './country.js';

export type {
  NormalizedPhone,
  NormalizeError,
  NormalizeErrorCode,
  NormalizeOptions,
  NormalizeResult,
};

/**
 * Inputs longer than this many characters are rejected with `PHONE_TOO_LONG` before any
 * parsing, so a megabyte of garbage costs nothing. The longest real number with spaces,
 * punctuation, a `tel:` prefix and an extension fits well inside it.
 */
export const MAX_PHONE_INPUT_LENGTH = 64;

type Failure = Extract<NormalizeResult, { ok: false }>;

function failure(code: NormalizeErrorCode, message: string): Failure {
  return Object.freeze({ ok: false, error: Object.freeze({ code, message }) });
}

const MISSING = failure('PHONE_MISSING', 'A phone number is required.');
const NOT_STRING = failure('PHONE_NOT_STRING', 'The phone number must be a string.');
const TOO_LONG = failure(
  'PHONE_TOO_LONG',
  `The phone number is longer than ${MAX_PHONE_INPUT_LENGTH} characters.`,
);
const INVALID = failure('PHONE_INVALID', 'This is not a valid phone number.');
const COUNTRY_REQUIRED: Failure = Object.freeze({
  ok: false,
  error: Object.freeze({
    code: 'PHONE_INVALID',
    message:
      'This number is written without its country code: include it, starting with +, or choose a country.',
    countryRequired: true,
  }),
});

/** How many parsed inputs each parse cache keeps (one without a country, one for all countries). */
const PARSE_CACHE_MAX = 20_000;

/**
 * Parsed results by raw input. Parsing with exact metadata costs about 15 µs; the guard
 * normalizes on every request, so repeated inputs are served from here in well under a
 * microsecond. Both results and failures are cached (a failure is as deterministic as a
 * success). Inputs without a default country are keyed by the input itself (no string
 * is built on a hit); inputs with one are keyed by the two-letter country then the input,
 * in a cache of their own, so no input can take another country's key.
 */
const parseCacheNoCountry = new LRUCache<string, NormalizeResult>({ max: PARSE_CACHE_MAX });
const parseCacheByCountry = new LRUCache<string, NormalizeResult>({ max: PARSE_CACHE_MAX });

const validatedCountries = new WeakSet<readonly CountryCode[]>();

function checkOptions(options: NormalizeOptions): void {
  const { defaultCountry, allowedCountries } = options;
  if (defaultCountry !== undefined && !isCountryCode(defaultCountry)) {
    throw new PhoneGuardOptionError(
      'defaultCountry',
      `must be an ISO 3166-1 alpha-2 country code that libphonenumber knows, got ${JSON.stringify(defaultCountry)}`,
    );
  }
  if (allowedCountries !== undefined && !validatedCountries.has(allowedCountries)) {
    if (!Array.isArray(allowedCountries) || allowedCountries.length === 0) {
      throw new PhoneGuardOptionError(
        'allowedCountries',
        'must be a non-empty array of country codes',
      );
    }
    for (const c of allowedCountries) {
      if (!isCountryCode(c)) {
        throw new PhoneGuardOptionError(
          'allowedCountries',
          `contains ${JSON.stringify(c)}, which is not an ISO 3166-1 alpha-2 country code that libphonenumber knows`,
        );
      }
    }
    validatedCountries.add(allowedCountries);
  }
}

function parse(raw: string, defaultCountry: CountryCode | undefined): NormalizeResult {
  // NFKC folds full-width digits and plus signs (＋４１５…) into ASCII.
  let text = raw.normalize('NFKC').trim();
  if (/^tel:/i.test(text)) text = text.slice(4).split(';', 1)[0] ?? '';
  // "00" is the international prefix almost everywhere; libphonenumber only reads it when
  // it knows the caller's country, so turn it into "+" ourselves.
  text = text.replace(/^00(?=\s*[1-9])/, '+');
  if (text === '') return MISSING;
  if (!/\d/.test(text)) return INVALID;
  const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : undefined);
  if (!parsed?.isValid()) {
    // Without a country, a number not written in international form cannot be read at all.
    return !defaultCountry && !text.startsWith('+') ? COUNTRY_REQUIRED : INVALID;
  }
  const e164 = parsed.number;
  const phone: { -readonly [K in keyof NormalizedPhone]: NormalizedPhone[K] } = {
    e164,
    digits: e164.slice(1),
  };
  if (parsed.country) phone.country = parsed.country;
  const type = parsed.getType();
  if (type) phone.type = type;
  return Object.freeze({ ok: true, phone: Object.freeze(phone) });
}

/**
 * Turns what a person typed into a phone number in E.164, or says why it cannot.
 * Accepts `+1 (415) 555-2671`, `415.555.2671` (with `defaultCountry: 'US'`),
 * `00 44 20 7946 0958`, `tel:+1-415-555-2671` and full-width digits. Uses libphonenumber's
 * exact ("max") metadata, so numbers that are merely the right length are rejected.
 *
 * Never throws for any `input`; results are frozen and may be shared. Throws a
 * {@link PhoneGuardOptionError} only when the *options* are impossible (an unknown
 * country code), which is a programming error.
 *
 * @example
 * ```ts
 * const r = normalizePhone('(415) 555-2671', { defaultCountry: 'US' });
 * if (r.ok) r.phone.e164; // '+14155552671'
 * else r.error.code;      // e.g. 'PHONE_INVALID'
 * ```
 */
export function normalizePhone(input: unknown, options: NormalizeOptions = {}): NormalizeResult {
  checkOptions(options);
  if (input === undefined || input === null || input === '') return MISSING;
  if (typeof input !== 'string') return NOT_STRING;
  if (input.length > MAX_PHONE_INPUT_LENGTH) return TOO_LONG;
  const { defaultCountry, allowedCountries } = options;
  const cache = defaultCountry === undefined ? parseCacheNoCountry : parseCacheByCountry;
  const key = defaultCountry === undefined ? input : `${defaultCountry}${input}`;
  let result = cache.get(key);
  if (result === undefined) {
    try {
      result = parse(input, defaultCountry);
    } catch {
      // libphonenumber is not documented to throw from parsePhoneNumberFromString, but
      // this function promises never to.
      result = INVALID;
    }
    cache.set(key, result);
  }
  if (
    result.ok &&
    allowedCountries &&
    !allowedCountries.includes(result.phone.country as CountryCode)
  ) {
    return failure(
      'PHONE_COUNTRY_NOT_ALLOWED',
      result.phone.country
        ? `Phone numbers from ${result.phone.country} are not accepted here.`
        : 'Phone numbers that belong to no country are not accepted here.',
    );
  }
  return result;
}
