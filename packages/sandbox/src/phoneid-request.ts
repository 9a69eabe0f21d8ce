/**
 * Reads the JSON body of `POST /v1/phoneid/{n}`:
 * `{"addons":{"number_deactivation":{"last_verified":"…"},"sim_swap":{}},"consent":{"method":1}}`.
 * A body that is not a JSON object, or names an add-on the sandbox does not know, is an
 * invalid request (HTTP 400); bad parameters of a known add-on are that add-on's status
 * 2801 (bad value) or 2807 (unexpected parameters), as Telesign answers them.
 */

/** What one add-on of the request asks for. */
export interface AddonAsk {
  /** 2801 or 2807 when its parameters are wrong; the add-on then answers only that status. */
  problem?: 2801 | 2807;
  /** `last_verified` in ms since the epoch (number deactivation only). */
  lastVerified?: number;
}

/** The request, read. */
export type PhoneIdRequest =
  | { ok: true; deactivation?: AddonAsk; simSwap?: AddonAsk; body: unknown }
  | { ok: false; description: string; body: unknown };

const KNOWN_ADDONS: ReadonlySet<string> = new Set(['number_deactivation', 'sim_swap']);
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function deactivationAsk(value: unknown): AddonAsk {
  if (!isObject(value)) return { problem: 2807 };
  const keys = Object.keys(value);
  if (keys.some((k) => k !== 'last_verified')) return { problem: 2807 };
  if (!('last_verified' in value)) return {};
  const raw = value['last_verified'];
  const ms = typeof raw === 'string' && RFC3339.test(raw) ? Date.parse(raw) : Number.NaN;
  return Number.isFinite(ms) ? { lastVerified: ms } : { problem: 2801 };
}

function simSwapAsk(value: unknown): AddonAsk {
  return isObject(value) && Object.keys(value).length === 0 ? {} : { problem: 2807 };
}

/** Reads the body of a Phone ID request sent with `contentType`. */
export function readPhoneIdRequest(text: string, contentType: string | undefined): PhoneIdRequest {
  const mediaType = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    return { ok: false, description: 'Invalid Request: the body is not JSON', body: null };
  }
  if (mediaType !== 'application/json') {
    return {
      ok: false,
      description: 'Invalid Request: Content-Type must be application/json',
      body,
    };
  }
  if (!isObject(body)) {
    return { ok: false, description: 'Invalid Request: the body must be a JSON object', body };
  }
  const addons = body['addons'];
  if (addons === undefined) return { ok: true, body };
  if (!isObject(addons)) {
    return { ok: false, description: 'Invalid Request: addons must be an object', body };
  }
  const unknown = Object.keys(addons).find((k) => !KNOWN_ADDONS.has(k));
  if (unknown !== undefined) {
    return {
      ok: false,
      description: `Invalid Request: unknown add-on ${JSON.stringify(unknown.slice(0, 40))}`,
      body,
    };
  }
  const consent = body['consent'];
  if (consent !== undefined && !isObject(consent)) {
    return { ok: false, description: 'Invalid Request: consent must be an object', body };
  }
  const out: PhoneIdRequest = { ok: true, body };
  if ('number_deactivation' in addons) {
    out.deactivation = deactivationAsk(addons['number_deactivation']);
  }
  if ('sim_swap' in addons) out.simSwap = simSwapAsk(addons['sim_swap']);
  return out;
}
