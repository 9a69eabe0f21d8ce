import type {
  DeviceStatus,
  LiveStatus,
  RoamingStatus,
  SubscriberStatus,
  TelesignApiError,
} from '@phone-guard/core';

/**
 * The value stored in Redis for one number (format version 1): compact JSON with only
 * what decisions read. The phone number is not stored (it is what the key hashes);
 * `carrier`, `referenceId` and `unrecognized` are dropped.
 *
 * | field | LiveStatus field | notes |
 * |---|---|---|
 * | `v` | — | always `1` |
 * | `s` | `subscriberStatus` | |
 * | `d` | `deviceStatus` | |
 * | `r` | `roaming` | |
 * | `rc` | `roamingCountry` | omitted when `null` |
 * | `ri` | `roamingCountryIso2` | omitted when `null` |
 * | `pt` | `phoneType` | `[code, description]`, omitted when `null` |
 * | `sc` | `statusCode` | omitted when `null` |
 * | `e` | `errors` | `[[code, description], …]`, omitted when empty |
 * | `t` | `checkedAt` | ms since the epoch |
 */
export interface StoredStatus {
  v: 1;
  s: SubscriberStatus;
  d: DeviceStatus;
  r: RoamingStatus;
  rc?: string;
  ri?: string;
  pt?: [string, string];
  sc?: number;
  e?: [number, string][];
  t: number;
}

/** Values longer than this are not ours: they are read as a miss without parsing. */
export const MAX_STORED_VALUE_LENGTH = 8192;
/** Strings inside a value are cut to this length when written. */
const MAX_FIELD_LENGTH = 200;
/** At most this many `errors` entries are kept. */
const MAX_ERRORS = 10;

const SUBSCRIBER: ReadonlySet<string> = new Set<SubscriberStatus>([
  'ACTIVE',
  'DISCONNECTED',
  'UNKNOWN',
]);
const DEVICE: ReadonlySet<string> = new Set<DeviceStatus>([
  'REACHABLE',
  'UNREACHABLE',
  'UNAVAILABLE',
  'UNKNOWN',
]);
const ROAMING: ReadonlySet<string> = new Set<RoamingStatus>([
  'YES',
  'NO',
  'UNAVAILABLE',
  'UNKNOWN',
]);

function cut(value: string): string {
  return value.length > MAX_FIELD_LENGTH ? value.slice(0, MAX_FIELD_LENGTH) : value;
}

/**
 * Serialises the parts of `status` that decisions need (see {@link StoredStatus}).
 *
 * @example
 * ```ts
 * encodeStatus(status); // '{"v":1,"s":"ACTIVE","d":"REACHABLE","r":"NO","pt":["2","MOBILE"],"sc":300,"t":1764200000000}'
 * ```
 */
export function encodeStatus(status: LiveStatus): string {
  const stored: StoredStatus = {
    v: 1,
    s: SUBSCRIBER.has(status.subscriberStatus) ? status.subscriberStatus : 'UNKNOWN',
    d: DEVICE.has(status.deviceStatus) ? status.deviceStatus : 'UNKNOWN',
    r: ROAMING.has(status.roaming) ? status.roaming : 'UNKNOWN',
    t: Number.isFinite(status.checkedAt) ? status.checkedAt : Date.now(),
  };
  if (typeof status.roamingCountry === 'string') stored.rc = cut(status.roamingCountry);
  if (typeof status.roamingCountryIso2 === 'string') stored.ri = cut(status.roamingCountryIso2);
  if (status.phoneType) {
    stored.pt = [cut(String(status.phoneType.code)), cut(String(status.phoneType.description))];
  }
  if (typeof status.statusCode === 'number' && Number.isFinite(status.statusCode)) {
    stored.sc = status.statusCode;
  }
  if (Array.isArray(status.errors) && status.errors.length > 0) {
    stored.e = status.errors
      .slice(0, MAX_ERRORS)
      .map((error): [number, string] => [Number(error.code), cut(String(error.description))])
      .filter(([code]) => Number.isFinite(code));
    if (stored.e.length === 0) delete stored.e;
  }
  return JSON.stringify(stored);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | null | false {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : false;
}

function decodeErrors(value: unknown): TelesignApiError[] | false {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return false;
  const errors: TelesignApiError[] = [];
  for (const entry of value) {
    if (!Array.isArray(entry) || entry.length !== 2) return false;
    const [code, description] = entry as unknown[];
    if (typeof code !== 'number' || !Number.isFinite(code) || typeof description !== 'string') {
      return false;
    }
    errors.push({ code, description });
  }
  return errors;
}

/**
 * Reads a stored value back into a {@link LiveStatus} for `phone`. Anything that is not a
 * well-formed version-1 value (garbage, another program's data, a future format) gives
 * `undefined`; this function never throws. `carrier` and `referenceId` come back `null`.
 *
 * @example
 * ```ts
 * decodeStatus(raw, '+14155552671'); // LiveStatus | undefined
 * ```
 */
export function decodeStatus(raw: unknown, phone: string): LiveStatus | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_STORED_VALUE_LENGTH) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || parsed.v !== 1) return undefined;
  const { s, d, r, t, sc, pt } = parsed;
  if (typeof s !== 'string' || !SUBSCRIBER.has(s)) return undefined;
  if (typeof d !== 'string' || !DEVICE.has(d)) return undefined;
  if (typeof r !== 'string' || !ROAMING.has(r)) return undefined;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) return undefined;
  const roamingCountry = optionalString(parsed.rc);
  const roamingCountryIso2 = optionalString(parsed.ri);
  if (roamingCountry === false || roamingCountryIso2 === false) return undefined;
  if (sc !== undefined && (typeof sc !== 'number' || !Number.isFinite(sc))) return undefined;
  let phoneType: LiveStatus['phoneType'] = null;
  if (pt !== undefined) {
    if (!Array.isArray(pt) || pt.length !== 2) return undefined;
    const [code, description] = pt as unknown[];
    if (typeof code !== 'string' || typeof description !== 'string') return undefined;
    phoneType = { code, description };
  }
  const errors = decodeErrors(parsed.e);
  if (errors === false) return undefined;
  return {
    phone,
    subscriberStatus: s as SubscriberStatus,
    deviceStatus: d as DeviceStatus,
    roaming: r as RoamingStatus,
    roamingCountry,
    roamingCountryIso2,
    phoneType,
    carrier: null,
    referenceId: null,
    statusCode: sc === undefined ? null : sc,
    errors,
    checkedAt: t,
  };
}
