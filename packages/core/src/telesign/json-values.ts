/**
 * Tolerant readers for values in Telesign's JSON: the real API and its documentation
 * disagree on types (numbers as strings, dates or timestamps, `null` as the string
 * `"null"`), so every parser reads fields through these and never throws.
 */

/** A JSON object (not `null`, not an array). */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object (not `null`, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A trimmed string, or `null` for `null`, `undefined`, `""` and the string `"null"`. Numbers become strings. */
export function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.toLowerCase() === 'null') return null;
  return trimmed;
}

/** A finite number from a number or a numeric string, else `null`. */
export function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

/**
 * `YYYY-MM-DD`, optionally followed by `T` or a space and `hh:mm[:ss[.fff]]`, optionally
 * followed by `Z` or an offset. Without an offset the time is UTC (Telesign's is).
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*Z?$/i;
/** Epoch numbers below this are seconds, at or above it milliseconds (2001-09-09 in ms). */
const SECONDS_LIMIT = 1e12;
/** The largest moment a JavaScript Date holds. */
const MAX_EPOCH_MS = 8.64e15;

function utc(parts: Array<string | undefined>, offset: string | undefined): number | null {
  const [y, mo, d, h = '0', mi = '0', s = '0', fraction = ''] = parts;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const ms = Math.floor(Number(`0.${fraction || '0'}`) * 1000);
  let at = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 February over into March: refuse instead.
  if (new Date(at).getUTCDate() !== day) return null;
  if (offset !== undefined && offset.toUpperCase() !== 'Z') {
    const sign = offset.startsWith('-') ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    at -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return at;
}

/**
 * A moment in epoch milliseconds from an RFC 3339 / ISO 8601 date or date-time (`"2018-04-06"`,
 * `"2018-04-06T00:00:00Z"`, `"2018-04-06 22:00:00"`, with or without an offset; no
 * offset means UTC) or a JSON number of epoch seconds or milliseconds (numeric strings are
 * not dates: `"20180406"` is refused, not read as seconds). `null` for anything absent or
 * unreadable.
 *
 * @example epochMs('2018-04-06T00:00:00Z') // 1522972800000
 */
export function epochMs(value: unknown): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0 || value > MAX_EPOCH_MS) return null;
    return Math.trunc(value < SECONDS_LIMIT ? value * 1000 : value);
  }
  const raw = text(value);
  if (raw === null) return null;
  const match = DATE_TIME.exec(raw);
  if (match === null) return null;
  return utc(match.slice(1, 8), match[8]);
}

/** Whether `value` is a bare date (`YYYY-MM-DD`) without a time of day. */
export function isBareDate(value: unknown): boolean {
  const raw = text(value);
  return raw !== null && /^\d{4}-\d{2}-\d{2}$/.test(raw);
}

/**
 * Milliseconds since midnight from a time of day (`"22:00:00"`, `"22:00"`, UTC), or `null`.
 *
 * @example timeOfDayMs('22:00:00') // 79200000
 */
export function timeOfDayMs(value: unknown): number | null {
  const raw = text(value);
  if (raw === null) return null;
  const match = TIME.exec(raw);
  if (match === null) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3] ?? '0');
  if (hour > 23 || minute > 59 || second > 59) return null;
  return ((hour * 60 + minute) * 60 + second) * 1000;
}
