/**
 * What the cache keeps of an answer: a checked, frozen copy of a provider's or a store's
 * live status, with repeated strings shared across entries.
 */
import type {
  DeviceStatus,
  LiveStatus,
  PhoneTypeInfo,
  RoamingStatus,
  SubscriberStatus,
  TelesignApiError,
} from '../model/types.js';

const SUBSCRIBER: ReadonlySet<string> = new Set(['ACTIVE', 'DISCONNECTED', 'UNKNOWN']);
const DEVICE: ReadonlySet<string> = new Set(['REACHABLE', 'UNREACHABLE', 'UNAVAILABLE', 'UNKNOWN']);
const ROAMING: ReadonlySet<string> = new Set(['YES', 'NO', 'UNAVAILABLE', 'UNKNOWN']);

const EMPTY_ERRORS: TelesignApiError[] = Object.freeze([]) as unknown as TelesignApiError[];
const internedStrings = new Map<string, string>();
const internedTypes = new Map<string, PhoneTypeInfo>();
const internedErrors = new Map<string, TelesignApiError[]>();

function internString(s: unknown): string | null {
  if (typeof s !== 'string' || s === '' || s === 'null') return null;
  const hit = internedStrings.get(s);
  if (hit !== undefined) return hit;
  if (internedStrings.size < 4096 && s.length <= 64) internedStrings.set(s, s);
  return s;
}

function internType(t: unknown): PhoneTypeInfo | null {
  if (typeof t !== 'object' || t === null) return null;
  const { code, description } = t as { code?: unknown; description?: unknown };
  if (typeof code !== 'string') return null;
  const desc = typeof description === 'string' ? description : '';
  const key = `${code}\u0000${desc}`;
  let v = internedTypes.get(key);
  if (v === undefined) {
    v = Object.freeze({ code, description: desc });
    if (internedTypes.size < 256) internedTypes.set(key, v);
  }
  return v;
}

function internErrors(errors: unknown): TelesignApiError[] {
  if (!Array.isArray(errors) || errors.length === 0) return EMPTY_ERRORS;
  const list = errors
    .filter((e): e is TelesignApiError => typeof e === 'object' && e !== null)
    .map((e) =>
      Object.freeze({
        code: typeof e.code === 'number' ? e.code : Number(e.code),
        description: typeof e.description === 'string' ? e.description : '',
      }),
    );
  const key = JSON.stringify(list);
  let v = internedErrors.get(key);
  if (v === undefined) {
    v = Object.freeze(list) as TelesignApiError[];
    if (internedErrors.size < 256) internedErrors.set(key, v);
  }
  return v;
}

/**
 * Checks a provider's or a store's answer and returns a frozen, well-formed copy for
 * `e164`, or `null` when it is not a live status at all. Values outside the documented
 * sets become `UNKNOWN`. With `slim`, drops what decisions do not need (`referenceId`,
 * `unrecognized`) and shares repeated strings. `checkedAt`, when given, replaces the
 * answer's own.
 */
export function sanitizeStatus(
  raw: unknown,
  e164: string,
  slim: boolean,
  checkedAtOverride?: number,
): LiveStatus | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Partial<Record<keyof LiveStatus, unknown>>;
  if (typeof r.subscriberStatus !== 'string') return null;
  const subscriberStatus = (
    SUBSCRIBER.has(r.subscriberStatus) ? r.subscriberStatus : 'UNKNOWN'
  ) as SubscriberStatus;
  const deviceStatus = (
    typeof r.deviceStatus === 'string' && DEVICE.has(r.deviceStatus) ? r.deviceStatus : 'UNKNOWN'
  ) as DeviceStatus;
  const roaming = (
    typeof r.roaming === 'string' && ROAMING.has(r.roaming) ? r.roaming : 'UNKNOWN'
  ) as RoamingStatus;
  const checkedAt =
    checkedAtOverride ??
    (typeof r.checkedAt === 'number' && Number.isFinite(r.checkedAt) ? r.checkedAt : Number.NaN);
  const status: LiveStatus = {
    phone: e164,
    subscriberStatus,
    deviceStatus,
    roaming,
    roamingCountry: internString(r.roamingCountry),
    roamingCountryIso2: internString(r.roamingCountryIso2),
    phoneType: internType(r.phoneType),
    carrier: internString(r.carrier),
    referenceId: slim || typeof r.referenceId !== 'string' ? null : r.referenceId,
    statusCode: typeof r.statusCode === 'number' ? r.statusCode : null,
    errors: internErrors(r.errors),
    checkedAt,
  };
  if (!slim && typeof r.unrecognized === 'object' && r.unrecognized !== null) {
    status.unrecognized = Object.freeze({ ...(r.unrecognized as LiveStatus['unrecognized']) });
  }
  return Object.freeze(status);
}
