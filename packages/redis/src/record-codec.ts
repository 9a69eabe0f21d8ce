/**
 * The value of one record (see `getRecord` / `setRecord`) inside a number's record hash:
 * `{"v":1,"x":expiresAtMs,"d":<the caller's value as JSON>}`. Each kind is one field of
 * the hash, so each has its own expiry (`x`), while the hash as a whole expires with
 * its longest-lived record.
 */

/** What a record kind may look like: `deactivation`, `sim-swap` … */
export const RECORD_KIND_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/** The longest encoded record the store writes or reads. */
export const MAX_RECORD_LENGTH = 8192;

/** True for a kind the store accepts (see {@link RECORD_KIND_PATTERN}). */
export function isRecordKind(kind: unknown): kind is string {
  return typeof kind === 'string' && RECORD_KIND_PATTERN.test(kind);
}

/**
 * Encodes `value` (anything `JSON.stringify` can represent) with its expiry, or returns
 * `undefined` when it cannot be stored (not serialisable, `undefined`, or longer than
 * {@link MAX_RECORD_LENGTH}).
 *
 * @example
 * ```ts
 * encodeRecord({ lastDeactivatedAt: 1764200000000 }, Date.now() + 86_400_000);
 * ```
 */
export function encodeRecord(value: unknown, expiresAt: number): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
    return undefined;
  }
  let encoded: string;
  try {
    encoded = JSON.stringify({ v: 1, x: Math.ceil(expiresAt), d: value });
  } catch {
    return undefined;
  }
  return encoded.length <= MAX_RECORD_LENGTH ? encoded : undefined;
}

/** The outcome of {@link decodeRecord}. */
export type DecodedRecord =
  | { readonly state: 'fresh'; readonly value: unknown }
  | { readonly state: 'expired' }
  | { readonly state: 'invalid' };

/**
 * Reads a stored record: its value while `now` is before its expiry. Never throws; a
 * value that is not a version-1 record is `invalid`.
 *
 * @example
 * ```ts
 * const record = decodeRecord(raw, Date.now());
 * if (record.state === 'fresh') use(record.value);
 * ```
 */
export function decodeRecord(raw: unknown, now: number): DecodedRecord {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_RECORD_LENGTH) {
    return { state: 'invalid' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { state: 'invalid' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { state: 'invalid' };
  }
  const { v, x, d } = parsed as Record<string, unknown>;
  if (v !== 1 || typeof x !== 'number' || !Number.isFinite(x) || d === undefined) {
    return { state: 'invalid' };
  }
  return x > now ? { state: 'fresh', value: d } : { state: 'expired' };
}
