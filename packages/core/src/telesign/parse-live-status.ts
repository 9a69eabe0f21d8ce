/**
 * Turns a Telesign Phone ID Live JSON body into a {@link LiveStatus}, tolerating what
 * the real API and its documentation are known to send: `null` and the string `"null"`,
 * numbers as strings, unknown enum values, a missing `live` object.
 */
import type {
  DeviceStatus,
  LiveStatus,
  PhoneTypeInfo,
  RoamingStatus,
  SubscriberStatus,
  TelesignApiError,
} from '../model/types.js';
import { isObject, numeric, text } from './json-values.js';
import { redactUpstreamText } from './upstream-text.js';

/** Telesign's error code for "PhoneID Live Data Not Found": an UNKNOWN status, not an error. */
export const LIVE_DATA_NOT_FOUND = -60001;

/** The envelope every Telesign response carries (success and error alike), normalised. */
export interface TelesignEnvelope {
  /** `reference_id`, or `null`. */
  referenceId: string | null;
  /** `status.code` (300 completed, 301 partial, 500 not attempted …), or `null`. */
  statusCode: number | null;
  /** `status.description`, or `null`. */
  statusDescription: string | null;
  /** The `errors` array, entries without a numeric code dropped. */
  errors: TelesignApiError[];
}

/**
 * Reads Telesign's envelope (`reference_id`, `status`, `errors`) from a parsed JSON
 * body. Returns `undefined` when the body is not an object with a `status` object or an
 * `errors` array, i.e. not a Telesign response at all.
 */
export function readTelesignEnvelope(body: unknown): TelesignEnvelope | undefined {
  if (!isObject(body)) return undefined;
  const status = body['status'];
  const rawErrors = body['errors'];
  if (!isObject(status) && !Array.isArray(rawErrors)) return undefined;
  const errors: TelesignApiError[] = [];
  if (Array.isArray(rawErrors)) {
    for (const entry of rawErrors) {
      if (!isObject(entry)) continue;
      const code = numeric(entry['code']);
      if (code === null) continue;
      errors.push({ code, description: redactUpstreamText(text(entry['description']) ?? '') });
    }
  }
  return {
    referenceId: text(body['reference_id']),
    statusCode: isObject(status) ? numeric(status['code']) : null,
    statusDescription: isObject(status) ? text(status['description']) : null,
    errors,
  };
}

const SUBSCRIBER: ReadonlySet<string> = new Set(['ACTIVE', 'DISCONNECTED']);
const DEVICE: ReadonlySet<string> = new Set(['REACHABLE', 'UNREACHABLE', 'UNAVAILABLE']);
const ROAMING: ReadonlySet<string> = new Set(['YES', 'NO', 'UNAVAILABLE']);

interface EnumResult<T> {
  value: T;
  unrecognized?: string;
}

function enumValue<T extends string>(raw: unknown, known: ReadonlySet<string>): EnumResult<T> {
  const s = text(raw);
  if (s === null) return { value: 'UNKNOWN' as T };
  const upper = s.toUpperCase();
  if (known.has(upper)) return { value: upper as T };
  // Kept verbatim (bounded) so operators can see what Telesign sent.
  return { value: 'UNKNOWN' as T, unrecognized: s.slice(0, 64) };
}

function phoneType(raw: unknown): PhoneTypeInfo | null {
  if (!isObject(raw)) return null;
  const code = text(raw['code']);
  if (code === null) return null;
  return { code, description: text(raw['description']) ?? '' };
}

/** Where {@link parseLiveStatus} takes the number and the time from. */
export interface ParseLiveStatusContext {
  /** The number looked up, E.164 with the plus. */
  phone: string;
  /** When the answer arrived, milliseconds since the epoch. */
  checkedAt: number;
}

/**
 * Builds a {@link LiveStatus} from a Telesign Phone ID Live body (already JSON-parsed).
 * Never throws: a missing or `null` `live` object, `null`/`"null"` values and unknown
 * enum values become `UNKNOWN` (unknown values are kept in `unrecognized`). A body whose
 * `errors` contain -60001 ("live data not found") yields UNKNOWN statuses.
 *
 * @example
 * ```ts
 * parseLiveStatus(json, { phone: '+14155552671', checkedAt: Date.now() }).subscriberStatus
 * // 'ACTIVE'
 * ```
 */
export function parseLiveStatus(body: unknown, context: ParseLiveStatusContext): LiveStatus {
  const root = isObject(body) ? body : {};
  const envelope = readTelesignEnvelope(root);
  const errors = envelope?.errors ?? [];
  const notFound = errors.some((e) => e.code === LIVE_DATA_NOT_FOUND);
  const live = !notFound && isObject(root['live']) ? root['live'] : {};

  const subscriber = enumValue<SubscriberStatus>(live['subscriber_status'], SUBSCRIBER);
  const device = enumValue<DeviceStatus>(live['device_status'], DEVICE);
  const roaming = enumValue<RoamingStatus>(live['roaming'], ROAMING);
  const carrier = isObject(root['carrier']) ? text(root['carrier']['name']) : null;
  const iso2 = text(live['roaming_country_iso2']);

  const status: LiveStatus = {
    phone: context.phone,
    subscriberStatus: subscriber.value,
    deviceStatus: device.value,
    roaming: roaming.value,
    roamingCountry: text(live['roaming_country']),
    roamingCountryIso2: iso2 === null ? null : iso2.toUpperCase(),
    phoneType: phoneType(root['phone_type']),
    carrier,
    referenceId: envelope?.referenceId ?? text(root['reference_id']),
    statusCode: envelope?.statusCode ?? null,
    errors,
    checkedAt: context.checkedAt,
  };
  const unrecognized: NonNullable<LiveStatus['unrecognized']> = {};
  if (subscriber.unrecognized !== undefined)
    unrecognized.subscriberStatus = subscriber.unrecognized;
  if (device.unrecognized !== undefined) unrecognized.deviceStatus = device.unrecognized;
  if (roaming.unrecognized !== undefined) unrecognized.roaming = roaming.unrecognized;
  if (Object.keys(unrecognized).length > 0) status.unrecognized = unrecognized;
  return status;
}
