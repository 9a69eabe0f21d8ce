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
 * followed by `Z` or an offset (`+hh:mm`, `+hhmm`, `+hh`). Without an offset the time is
 * UTC (Telesign's is).
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
/** RFC 1123 (HTTP dates): `Fri, 01 Mar 2024 00:00:00 GMT`, the weekday optional. */
const RFC_1123 =
  /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(GMT|UTC|UT|Z|[+-]\d{4})$/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Epoch numbers (digits only, optionally a fraction) as strings. */
const EPOCH_TEXT = /^\d{1,16}(?:\.\d{1,9})?$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*Z?$/i;
/** 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z, in epoch seconds. */
const EPOCH_MIN_S = 946_684_800;
const EPOCH_MAX_S = 4_102_444_800;

/**
 * An epoch number read as seconds or milliseconds, only where that reading is a moment of
 * 2000–2099: seconds give 9.5e8–4.1e9, milliseconds 9.5e11–4.1e12, so the two ranges
 * cannot be confused. Anything else (a `YYYYMMDD` number, 0 for "never", a negative or
 * far-future value) is unreadable: never a guess.
 */
function epochNumber(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  if (value >= EPOCH_MIN_S && value < EPOCH_MAX_S) return Math.trunc(value * 1000);
  if (value >= EPOCH_MIN_S * 1000 && value < EPOCH_MAX_S * 1000) return Math.trunc(value);
  return null;
}

/** The offset of `+hh:mm`, `+hhmm`, `+hh`, `Z`, `UTC` or `GMT` in minutes, or `null`. */
function offsetMinutes(offset: string | undefined): number | null {
  if (offset === undefined || /^(z|utc|gmt|ut)$/i.test(offset)) return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

function utc(parts: Array<string | undefined>, offset: string | undefined): number | null {
  const [y, mo, d, h = '0', mi = '0', s = '0', fraction = ''] = parts;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const shift = offsetMinutes(offset);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  if (shift === null) return null;
  const ms = Math.floor(Number(`0.${fraction || '0'}`) * 1000);
  const at = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 February over into March: refuse instead.
  if (new Date(at).getUTCDate() !== day) return null;
  return at - shift * 60_000;
}

/** An RFC 1123 date; a weekday that does not match the date makes it unreadable. */
function rfc1123(match: RegExpExecArray): number | null {
  const [, weekday, d, mon, y, h, mi, s, zone] = match;
  const month = MONTHS.indexOf((mon as string).toLowerCase()) + 1;
  const at = utc([y, String(month), d, h, mi, s ?? '0'], zone);
  if (at === null || weekday === undefined) return at;
  const dayOfWeek = new Date(at + (offsetMinutes(zone) ?? 0) * 60_000).getUTCDay();
  return WEEKDAYS[dayOfWeek] === weekday.toLowerCase() ? at : null;
}

/**
 * A moment in epoch milliseconds, from the forms Telesign's answers are known or likely to
 * use: an RFC 3339 / ISO 8601 date or date-time (`"2018-04-06"`, `"2018-04-06T00:00:00Z"`,
 * `"2018-04-06 22:00:00"`, an offset `+02:00`, `+0200` or `+02`; none means UTC), an RFC
 * 1123 date (`"Fri, 06 Apr 2018 00:00:00 GMT"`), or epoch seconds or milliseconds as a
 * number or a numeric string, read only within 2000–2099 (see {@link epochNumber}).
 * `null` for anything absent or unreadable: tell them apart with {@link isBlank}.
 *
 * @example epochMs('2018-04-06T00:00:00Z') // 1522972800000
 */
export function epochMs(value: unknown): number | null {
  if (typeof value === 'number') return epochNumber(value);
  const raw = text(value);
  if (raw === null || raw.length > 64) return null;
  if (EPOCH_TEXT.test(raw)) return epochNumber(Number(raw));
  const match = DATE_TIME.exec(raw);
  if (match !== null) return utc(match.slice(1, 8), match[8]);
  const http = RFC_1123.exec(raw);
  return http === null ? null : rfc1123(http);
}

/**
 * Whether a field is absent: `undefined`, `null`, an empty or blank string, or the string
 * `"null"`. A field that is not blank but that {@link epochMs} cannot read is present
 * but unreadable, which is not the same as absent.
 */
export function isBlank(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'string' && text(value) === null)
  );
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
