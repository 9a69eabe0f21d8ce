/**
 * `check({ lastVerifiedAt })` read as request data: a `Date`, an ISO 8601 string or epoch
 * milliseconds, from a database or a request. Never throws: anything unusable is a reason
 * for an `unknown` verdict.
 */
import type { SignalUnknownReason } from '../model/decision.js';

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * Earliest `lastVerifiedAt` taken as a date (2000-01-01T00:00:00Z). Anything earlier is
 * almost always a unit mistake (epoch seconds passed as milliseconds land in January
 * 1970), and Telesign tracks no deactivation that far back anyway.
 */
export const MIN_LAST_VERIFIED_AT = Date.UTC(2000, 0, 1);

/**
 * How far ahead of the guard's clock `lastVerifiedAt` may be before it counts as "in the
 * future": the application's servers and the guard's may disagree by a few seconds.
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** `lastVerifiedAt`, read. */
export type VerifiedAt =
  | {
      readonly ok: true;
      /** The instant, epoch ms. */
      readonly at: number;
      /** Midnight UTC of its calendar day (the rule's "V"). */
      readonly day: number;
    }
  | {
      readonly ok: false;
      readonly reason: Extract<
        SignalUnknownReason,
        'NO_LAST_VERIFIED_AT' | 'LAST_VERIFIED_AT_INVALID' | 'LAST_VERIFIED_AT_IN_FUTURE'
      >;
      /** The instant when one could be read (a future one), else `null`. */
      readonly at: number | null;
    };

const NONE: VerifiedAt = Object.freeze({ ok: false, reason: 'NO_LAST_VERIFIED_AT', at: null });
const INVALID: VerifiedAt = Object.freeze({
  ok: false,
  reason: 'LAST_VERIFIED_AT_INVALID',
  at: null,
});

/** Longest string read (`2024-03-11T07:30:00.123456789+05:30` is 35 characters). */
const MAX_TEXT = 40;

// YYYY-MM-DD, optionally followed by THH:MM[:SS[.fraction]] and a zone (Z, ±HH:MM, ±HHMM).
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/** Midnight UTC of the calendar day of `at`. */
export function utcDay(at: number): number {
  return at - (((at % DAY_MS) + DAY_MS) % DAY_MS);
}

/** Minutes east of UTC of a zone designator (`Z`, `+05:30`, `-0800`, `+02`). */
function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return Number.NaN;
  return sign * (hours * 60 + minutes);
}

/**
 * Epoch ms of an ISO 8601 date (`2024-03-11`: midnight UTC) or date-time (without a zone:
 * UTC, unlike `Date.parse`, which would use the server's time zone), or `NaN`. Checks
 * that the fields exist (no 31 February, no hour 25).
 */
export function parseIsoInstant(text: string): number {
  if (text.length > MAX_TEXT) return Number.NaN;
  const m = ISO.exec(text.trim());
  if (m === null) return Number.NaN;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const fraction = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (
    month === undefined ||
    day === undefined ||
    year === undefined ||
    month < 1 ||
    month > 12 ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return Number.NaN;
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second, fraction);
  // Date.UTC rolls 31 February over into March: such a day does not exist.
  if (new Date(local).getUTCDate() !== day) return Number.NaN;
  return local - zoneOffsetMinutes(m[8]) * 60_000;
}

function instantOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return parseIsoInstant(value);
  if (value instanceof Date) {
    try {
      return Date.prototype.getTime.call(value);
    } catch {
      return Number.NaN; // a Date subclass or proxy that refuses
    }
  }
  return Number.NaN;
}

/**
 * Reads `lastVerifiedAt` against the clock reading `now`. `undefined` and `null` are "not
 * given"; a value that is not a plausible instant (not a `Date`, ISO string or number;
 * `NaN`; before {@link MIN_LAST_VERIFIED_AT}) is invalid; one more than
 * {@link FUTURE_TOLERANCE_MS} ahead of `now` is in the future. Never throws.
 *
 * @example readLastVerifiedAt('2024-03-11T07:30:00Z', Date.now()) // { ok: true, at, day: Date.UTC(2024, 2, 11) }
 */
export function readLastVerifiedAt(value: unknown, now: number): VerifiedAt {
  if (value === undefined || value === null) return NONE;
  const at = instantOf(value);
  if (!Number.isFinite(at) || at < MIN_LAST_VERIFIED_AT) return INVALID;
  const instant = Math.floor(at);
  if (instant > now + FUTURE_TOLERANCE_MS) {
    return { ok: false, reason: 'LAST_VERIFIED_AT_IN_FUTURE', at: instant };
  }
  return { ok: true, at: instant, day: utcDay(instant) };
}
