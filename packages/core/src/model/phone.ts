/**
 * The phone number as phone-guard sees it after normalization, and what normalization
 * answers. Types only: `normalize/` does the work.
 */
import type { CountryCode, NumberType } from 'libphonenumber-js/max';

/** Why a value is not a usable phone number. */
export type NormalizeErrorCode =
  | 'PHONE_MISSING'
  | 'PHONE_NOT_STRING'
  | 'PHONE_TOO_LONG'
  | 'PHONE_INVALID'
  | 'PHONE_COUNTRY_NOT_ALLOWED';

/** Why {@link NormalizeResult} failed. */
export interface NormalizeError {
  readonly code: NormalizeErrorCode;
  readonly message: string;
  /**
   * `true` when the number is written without its country code (`07400 123456`) and no
   * usable default country was known: it may well be valid with one. `code` is then
   * `PHONE_INVALID`; the guard's decisions (and the middleware's 422) say
   * `PHONE_COUNTRY_REQUIRED`, so a form can ask for the country.
   */
  readonly countryRequired?: true;
}

/** A phone number in every form phone-guard needs. */
export interface NormalizedPhone {
  /** E.164 with the plus: `+14155552671`. */
  readonly e164: string;
  /** E.164 without the plus, the form Telesign wants in its path: `14155552671`. */
  readonly digits: string;
  /** ISO 3166-1 alpha-2 country, when the number belongs to one (not for +800 and similar). */
  readonly country?: CountryCode;
  /**
   * libphonenumber's number type (`MOBILE`, `FIXED_LINE`, `FIXED_LINE_OR_MOBILE`, `VOIP` …),
   * when it can tell. US and Canadian numbers are always `FIXED_LINE_OR_MOBILE`.
   */
  readonly type?: NumberType;
}

/** The result of {@link normalizePhone}: never thrown, always one of these two. */
export type NormalizeResult =
  | { readonly ok: true; readonly phone: NormalizedPhone }
  | {
      readonly ok: false;
      readonly error: NormalizeError;
    };

/** Options of {@link normalizePhone}. */
export interface NormalizeOptions {
  /**
   * Country assumed for numbers written without an international prefix
   * (`415 555 2671` with `'US'`). ISO 3166-1 alpha-2, upper case (see `isCountryCode`).
   * @default undefined (numbers must start with `+` or `00`; others fail with
   *   `PHONE_COUNTRY_REQUIRED`)
   */
  defaultCountry?: CountryCode | undefined;
  /**
   * Only numbers of these countries are accepted; others fail with
   * `PHONE_COUNTRY_NOT_ALLOWED`.
   * @default undefined (every country)
   */
  allowedCountries?: readonly CountryCode[] | undefined;
}
