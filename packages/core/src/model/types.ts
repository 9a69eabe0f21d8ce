/**
 * Shapes shared by every part of phone-guard: the live status a provider returns, the
 * provider and store contracts, and the use-case codes Telesign accepts.
 */

/** Whether the subscription is in service. Anything Telesign sends outside this set maps to `UNKNOWN`. */
export type SubscriberStatus = 'ACTIVE' | 'DISCONNECTED' | 'UNKNOWN';
/** Whether the handset can be reached right now (`UNAVAILABLE`: not known for this number). */
export type DeviceStatus = 'REACHABLE' | 'UNREACHABLE' | 'UNAVAILABLE' | 'UNKNOWN';
/** Whether the handset is roaming. */
export type RoamingStatus = 'YES' | 'NO' | 'UNAVAILABLE' | 'UNKNOWN';

/** Telesign's phone type: `code` is a string ("1" fixed line, "2" mobile, "5" VoIP …). */
export interface PhoneTypeInfo {
  code: string;
  description: string;
}

/** One entry of Telesign's `errors` array. */
export interface TelesignApiError {
  code: number;
  description: string;
}

/**
 * The answer of one Phone ID Live look-up, normalised. -60001 ("live data not found")
 * is a LiveStatus whose statuses are `UNKNOWN`, not an error.
 */
export interface LiveStatus {
  /** The number looked up, E.164 (`+14155552671`). */
  phone: string;
  subscriberStatus: SubscriberStatus;
  deviceStatus: DeviceStatus;
  roaming: RoamingStatus;
  /** Country name while roaming; `null` when absent (including Telesign's string "null"). */
  roamingCountry: string | null;
  /** ISO 3166-1 alpha-2 code while roaming; `null` when absent. */
  roamingCountryIso2: string | null;
  phoneType: PhoneTypeInfo | null;
  /** Carrier name, or `null`. */
  carrier: string | null;
  /** Telesign's `reference_id`, or `null`. */
  referenceId: string | null;
  /** Telesign's transaction status code (300 completed, 301 partial …), or `null`. */
  statusCode: number | null;
  /** Telesign's `errors` array (e.g. `[{ code: -60001, … }]`); empty when none. */
  errors: TelesignApiError[];
  /** When the answer was obtained, in milliseconds since the epoch. */
  checkedAt: number;
  /**
   * Values Telesign sent that are outside the documented sets, kept verbatim (the
   * matching field above is `UNKNOWN`). Absent when every value was recognised.
   */
  unrecognized?: { subscriberStatus?: string; deviceStatus?: string; roaming?: string };
}

/** The 14 use-case codes (`ucid`) Telesign accepts. */
export const USE_CASES = [
  'ATCK',
  'BACF',
  'BACS',
  'CHBK',
  'CLDR',
  'LEAD',
  'OTHR',
  'PWRT',
  'RESV',
  'RXPF',
  'SHIP',
  'THEF',
  'TRVF',
  'UNKN',
] as const;

/** A Telesign use-case code: `BACS` account creation (spam), `PWRT` password reset, … */
export type UseCase = (typeof USE_CASES)[number];

/** Options of one look-up. */
export interface LookupOptions {
  /** Telesign use-case code sent as `ucid`. */
  useCase?: UseCase | undefined;
  /** Cancels the look-up (and its HTTP request). */
  signal?: AbortSignal | undefined;
}

/**
 * Anything that can answer a live-status look-up. The Telesign client is one; tests and
 * other vendors can supply their own.
 */
export interface LiveStatusProvider {
  /** Look up one number (E.164). Rejects with a `PhoneGuardError` on failure. */
  getLiveStatus(phone: string, options?: LookupOptions): Promise<LiveStatus>;
  /** Release connections and timers, if the provider holds any. */
  close?(): Promise<void> | void;
}

/**
 * A shared cache behind the guard's in-process cache (for example `@phone-guard/redis`),
 * so that many processes share what any of them learned. Keys are E.164 numbers; a store
 * must not keep them in clear text. A store may reject when its backend fails: the guard
 * then counts the failure in `stats().storeErrors`, publishes it on the store-error
 * channel, treats the call as a miss and carries on. It also logs it (once per operation
 * and error code), unless the error has `logged: true`, which says that the store has
 * reported it itself (for example once per outage).
 */
export interface StatusStore {
  /** The cached status for `phone`, or `undefined`. */
  get(phone: string): Promise<LiveStatus | undefined>;
  /** Cache `status` for `ttlMs` milliseconds. */
  set(phone: string, status: LiveStatus, ttlMs: number): Promise<void>;
  /**
   * Claim the right to look `phone` up for at most `ttlMs` (cluster-wide coalescing).
   * Resolves `true` when this caller should do the look-up, `false` when another
   * instance is already doing it. Optional: without it every instance looks up itself.
   */
  acquireLookup?(phone: string, ttlMs: number): Promise<boolean>;
  /** Give up a claim made with `acquireLookup`. */
  releaseLookup?(phone: string): Promise<void>;
  /**
   * Count one upstream look-up against a budget of `limit` per `windowMs` shared by
   * every instance. Resolves `true` while within budget. `scope` (the guard's `name`, when
   * it has one) keeps budgets of differently named guards apart. Optional.
   */
  consumeBudget?(limit: number, windowMs: number, scope?: string): Promise<boolean>;
  /**
   * Drop the cached status of `phone`, so that every instance looks it up again
   * (`guard.forget()`). Optional: without it, `forget()` only clears the in-process copy.
   */
  delete?(phone: string): Promise<void>;
  /**
   * The record of `kind` (e.g. `'deactivation'`, `'sim-swap'`: 1–32 of `a-z`, `0-9`, `-`)
   * cached for `phone`, or `undefined` when there is none or it expired. The value comes
   * back as parsed JSON and is untrusted: check its shape before use. Optional: a store
   * without it shares live statuses only. `delete(phone)` removes records too.
   */
  getRecord?(kind: string, phone: string): Promise<unknown>;
  /**
   * Cache `value` (JSON-serialisable; a `Date` comes back as its ISO string, so prefer
   * epoch milliseconds) as the record of `kind` for `phone`, for `ttlMs` milliseconds,
   * independently of the number's live status and of its other kinds.
   */
  setRecord?(kind: string, phone: string, value: unknown, ttlMs: number): Promise<void>;
  /** Release what the store created itself. */
  close?(): Promise<void>;
}

/**
 * A logger: `console` and pino fit as they are. phone-guard never passes it a full phone
 * number, an API key or an Authorization header.
 */
export interface Logger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
  info?(message: string, ...details: unknown[]): void;
  debug?(message: string, ...details: unknown[]): void;
}
