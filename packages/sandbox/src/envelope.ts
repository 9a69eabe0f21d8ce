/**
 * Telesign's JSON envelopes, built exactly as Phone ID Live sends them: the success
 * body, the "live data not found" body and the error body.
 */
import type { PhoneTypeInfo, TelesignApiError } from '@phone-guard/core';
import { COUNTRIES, type SandboxCity, type SandboxCountry, splitCountryCode } from './geo.js';

/** `live` of a successful answer (values are strings so that odd ones can be sent). */
export interface LiveJson {
  subscriber_status: string;
  device_status: string;
  roaming: string;
  roaming_country: string | null;
  roaming_country_iso2: string | null;
}

/** What one number answers when live data exists. */
export interface LiveProfile {
  live: LiveJson;
  phoneType: PhoneTypeInfo;
  carrier: string | null;
  /** The city the number is placed in, and its country (`null`: country unknown). */
  city: SandboxCity | null;
  country: SandboxCountry | null;
  /** Send coordinates as strings (Telesign does in some responses). */
  stringCoordinates?: boolean;
  /** Send the string "null" for empty location fields (Telesign's example once does). */
  stringNulls?: boolean;
}

/** The transaction status block. */
export interface StatusJson {
  code: number;
  description: string;
  updated_on: string;
}

/** Telesign's error envelope. */
export interface ErrorEnvelope {
  reference_id: string;
  status: StatusJson;
  errors: TelesignApiError[];
}

/** Telesign's timestamp format: ISO 8601 with microseconds (`…T21:51:28.709526Z`). */
export function telesignTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

/** The `numbering` block of a Phone ID answer. */
export function numbering(digits: string, country: SandboxCountry | null) {
  const { countryCode, national } = splitCountryCode(digits);
  const cleansed = {
    cleansed_code: 100,
    country_code: countryCode,
    max_length: country?.iso2 === 'US' ? 10 : national.length,
    min_length: country?.iso2 === 'US' ? 10 : national.length,
    phone_number: national,
  };
  return {
    original: { phone_number: national, complete_phone_number: digits, country_code: countryCode },
    cleansing: { call: cleansed, sms: { ...cleansed } },
  };
}

/** The `location` block of a Phone ID answer. */
export function location(profile: LiveProfile) {
  const { city, country } = profile;
  const empty = profile.stringNulls ? 'null' : null;
  const coordinate = (n: number | undefined) =>
    n === undefined ? null : profile.stringCoordinates ? n.toFixed(5) : n;
  return {
    city: city?.city ?? empty,
    state: city?.state ?? empty,
    zip: city?.zip ?? empty,
    metro_code: city?.metroCode ?? '',
    county: city?.county ?? '',
    country: {
      iso2: country?.iso2 ?? null,
      iso3: country?.iso3 ?? null,
      name: country?.name ?? null,
    },
    time_zone: {
      name: country?.timeZone ?? null,
      utc_offset_min: country?.utcOffset ?? null,
      utc_offset_max: country?.utcOffset ?? null,
    },
    coordinates: {
      latitude: coordinate(city?.latitude),
      longitude: coordinate(city?.longitude),
    },
  };
}

/** Country data for a complete number (digits only), or `null` when not in the table. */
export function countryOf(digits: string): SandboxCountry | null {
  return COUNTRIES[splitCountryCode(digits).countryCode] ?? null;
}

/** The HTTP 200 body of a completed look-up (status 300). */
export function successEnvelope(
  digits: string,
  profile: LiveProfile,
  referenceId: string,
  nowMs: number,
) {
  return {
    reference_id: referenceId,
    resource_uri: null,
    sub_resource: 'live',
    errors: [] as TelesignApiError[],
    status: {
      code: 300,
      description: 'Transaction successfully completed',
      updated_on: telesignTimestamp(nowMs),
    },
    phone_type: { code: profile.phoneType.code, description: profile.phoneType.description },
    numbering: numbering(digits, profile.country),
    location: location(profile),
    carrier: { name: profile.carrier },
    live: { ...profile.live },
  };
}

/**
 * The HTTP 200 body of "live data not found": status 301, error -60001, `live: null`,
 * the rest of the record (numbering, location, carrier) still present.
 */
export function notFoundEnvelope(
  digits: string,
  profile: LiveProfile,
  referenceId: string,
  nowMs: number,
) {
  return {
    ...successEnvelope(digits, profile, referenceId, nowMs),
    errors: [{ code: -60001, description: 'PhoneID Live Data Not Found' }],
    status: {
      code: 301,
      description: 'Transaction partially completed',
      updated_on: telesignTimestamp(nowMs),
    },
    live: null,
  };
}

/**
 * Telesign's error body. `statusCode` is 501 ("Not authorized") for authentication and
 * account problems, 500 ("Transaction not attempted") otherwise. `code` `null` sends an
 * empty `errors` array (402 and 500 have no documented Telesign code).
 */
export function errorEnvelope(
  code: number | null,
  description: string,
  referenceId: string,
  nowMs: number,
  statusCode: 500 | 501 = 500,
): ErrorEnvelope {
  return {
    reference_id: referenceId,
    status: {
      code: statusCode,
      description: statusCode === 501 ? 'Not authorized' : 'Transaction not attempted',
      updated_on: telesignTimestamp(nowMs),
    },
    errors: code === null ? [] : [{ code, description }],
  };
}
