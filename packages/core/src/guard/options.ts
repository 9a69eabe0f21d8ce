/**
 * The options of `createPhoneGuard`, their defaults and their resolved form. Validation
 * lives in `resolve-options.ts`.
 */
import type { Decision } from '../model/decision.js';
import type { NormalizeOptions } from '../model/phone.js';
import type { LiveStatusProvider, Logger, StatusStore, UseCase } from '../model/types.js';
import type { PolicyOption, ResolvedPolicy } from '../policy/policy.js';
import type { TelesignClientOptions } from '../telesign/client.js';

/** What the guard does when it cannot get an answer: let the request through marked, or refuse it. */
export type FailMode = 'open' | 'closed';

/**
 * How long each kind of answer stays fresh in the cache, in milliseconds. See the README
 * ("Cache") for why these defaults.
 */
export interface CacheTtlOptions {
  /**
   * `ACTIVE`, handset reachable (or reachability unknown), not roaming. Numbers are
   * recycled only after a quarantine of 45–90 days, so a day-old "active" is still true
   * of the same subscriber.
   * @default 86_400_000 (24 h)
   */
  active?: number | undefined;
  /**
   * `ACTIVE` but the handset is `UNREACHABLE` or roaming: states that change within
   * minutes (the phone is switched back on, the plane lands).
   * @default 900_000 (15 min)
   */
  transient?: number | undefined;
  /**
   * `DISCONNECTED`. Usually final, but ports and prepaid top-ups can bring a number back,
   * and a block must not stick to a number that works again.
   * @default 3_600_000 (1 h)
   */
  disconnected?: number | undefined;
  /**
   * Subscriber status unknown, including -60001 "live data not found". Telesign warns
   * that asking again soon returns -60001 again, so it is never retried at once.
   * @default 600_000 (10 min)
   */
  unknown?: number | undefined;
  /**
   * A number-deactivation record (raw dates, never a verdict). It can be kept for days:
   * a number deactivated after the record was fetched is DISCONNECTED on Live (which the
   * `passwordReset` preset blocks) for the at least 45-day quarantine US carriers keep
   * before reassigning it, so a record younger than that cannot hide a new owner. The
   * week leaves a wide margin for shorter quarantines elsewhere and for the Live TTL.
   * Answers without data (out of coverage, no data) keep as long; failures at most 30 s.
   * `0` never keeps one (concurrent checks still share one request).
   * @default 604_800_000 (7 days)
   */
  numberDeactivation?: number | undefined;
  /**
   * A SIM-swap record. A swap can happen at any minute and is the first step of a
   * take-over, so the answer goes stale in minutes: the minute only absorbs repeated
   * submits and retries of one reset, and leaves an attacker no useful window to warm the
   * cache before swapping. `0` never keeps one.
   * @default 60_000 (1 min)
   */
  simSwap?: number | undefined;
}

/** The guard's in-process cache. */
export interface GuardCacheOptions {
  /**
   * Most numbers kept (least recently used evicted first). About 300–500 bytes each.
   * @default 10_000
   */
  max?: number | undefined;
  /** Freshness per outcome. */
  ttl?: CacheTtlOptions | undefined;
  /**
   * For this long after an answer stops being fresh, a check gets the old answer at once
   * (`source: 'stale'`) while one background look-up refreshes it. `0` turns it off.
   * @default 0 (off: a stale answer is re-checked before deciding)
   */
  staleWhileRevalidateMs?: number | undefined;
  /**
   * For this long after an answer stops being fresh, it is still used when a new look-up
   * fails (error, timeout, open breaker, exhausted budget) instead of failing open or
   * closed (`source: 'stale'`). `0` turns it off.
   * @default 86_400_000 (24 h)
   */
  staleIfErrorMs?: number | undefined;
}

/**
 * The circuit breaker in front of the provider. It measures the upstream's health only:
 * transport errors, timeouts, 5xx, rate limiting and unusable answers count; an answer
 * about one number (invalid, not found, rejected), a configuration fault (credentials,
 * product, payment, hard cap — logged as errors instead), -60001 and look-ups the caller
 * aborted never do. It opens when, within `windowMs`, at least `failureThreshold`
 * look-ups failed and they are at least `failureRate` of all look-ups; it then sheds
 * look-ups (`CIRCUIT_OPEN`) for a cool-down that starts at `minCooldownMs` and doubles
 * after each failed probe up to `cooldownMs`; half-open, up to `probes` look-ups go
 * through at once and the first success closes it.
 */
export interface CircuitBreakerOptions {
  /**
   * Fewest failed look-ups inside the window that can open the breaker.
   * @default 5
   */
  failureThreshold?: number | undefined;
  /**
   * Share of failed look-ups within the window (above 0, at most 1) that opens it.
   * @default 0.5
   */
  failureRate?: number | undefined;
  /**
   * The sliding window over which look-ups are counted, in milliseconds.
   * @default 10_000
   */
  windowMs?: number | undefined;
  /**
   * The first cool-down after the breaker opens, in milliseconds: short, so that a brief
   * outage is over for the guard within about a second of being over upstream. Must not
   * exceed `cooldownMs`.
   * @default 1_000 (or `cooldownMs` when that is smaller)
   */
  minCooldownMs?: number | undefined;
  /**
   * The longest cool-down, in milliseconds: each failed probe doubles the cool-down up
   * to this value; a successful probe resets it to `minCooldownMs`.
   * @default 30_000
   */
  cooldownMs?: number | undefined;
  /**
   * Probe look-ups let through at once while half-open.
   * @default 3
   */
  probes?: number | undefined;
}

/** A cap on upstream look-ups (each one is billed). */
export interface LookupBudgetOptions {
  /** Look-ups allowed per window: an integer, 0 or more. Required. */
  limit: number;
  /**
   * Window length in milliseconds (fixed windows).
   * @default 60_000
   */
  windowMs?: number | undefined;
}

/**
 * Settings of the Telesign client the guard creates when no `provider` is given: every
 * option of `createTelesignClient`, all optional (`undefined` means the default, so
 * `customerId: process.env.X` type-checks). `customerId`, `apiKey` and `baseUrl` default
 * to the environment (`TELESIGN_CUSTOMER_ID`, `TELESIGN_API_KEY`, `TELESIGN_BASE_URL`);
 * `timeoutMs` defaults to the guard's `timeoutMs`. Unknown keys throw, with their
 * `telesign.` path; values are checked by `createTelesignClient`.
 */
export type GuardTelesignOptions = {
  [K in keyof TelesignClientOptions]?: TelesignClientOptions[K] | undefined;
};

/**
 * Options of {@link createPhoneGuard}. Validated once at construction: unknown keys and
 * impossible values throw `PhoneGuardOptionError`; `undefined` means the default; the
 * object is never modified.
 */
export interface PhoneGuardOptions extends NormalizeOptions {
  /**
   * A name for this guard, carried by its diagnostics events (`guard` field) and shown
   * as `guard.name`, so that metrics and logs can tell several guards apart. A non-empty
   * string without control characters.
   * @default undefined (unnamed)
   */
  name?: string | undefined;
  /**
   * Answers look-ups. Not closed by `guard.close()`.
   * @default a Telesign client built from `telesign` and the environment
   */
  provider?: LiveStatusProvider | undefined;
  /** Settings of the Telesign client the guard creates (ignored with `provider`). */
  telesign?: GuardTelesignOptions | undefined;
  /**
   * `'signup'`, `'passwordReset'`, a rules object or a function.
   * @default 'signup'
   */
  policy?: PolicyOption | undefined;
  /**
   * Use case (`ucid`) of checks that do not give one.
   * @default the policy's (`BACS` for signup, `PWRT` for passwordReset, `OTHR` otherwise)
   */
  useCase?: UseCase | undefined;
  /**
   * When no answer can be had: `'open'` lets the request through as `flag` with
   * `failedOpen: true`, `'closed'` blocks it. Either way `LOOKUP_FAILED` is among the
   * reasons. Each check may override it.
   * @default 'open'
   */
  failMode?: FailMode | undefined;
  /**
   * Deadline of one whole `check()` in milliseconds (store, lock wait and look-up), at
   * most 2^31 − 1 (the longest timer Node keeps).
   * @default 3000
   */
  timeoutMs?: number | undefined;
  /** The in-process cache. */
  cache?: GuardCacheOptions | undefined;
  /**
   * A shared cache behind the in-process one (e.g. `@phone-guard/redis`). Not closed by
   * `guard.close()`.
   * @default undefined (in-process cache only)
   */
  store?: StatusStore | undefined;
  /**
   * Deadline of each store call; a slower or failing store counts as a miss. At most
   * 2^31 − 1.
   * @default 250
   */
  storeTimeoutMs?: number | undefined;
  /**
   * Circuit breaker settings, or `false` to disable it.
   * @default { failureThreshold: 5, failureRate: 0.5, windowMs: 10_000, minCooldownMs: 1000, cooldownMs: 30_000, probes: 3 }
   */
  breaker?: CircuitBreakerOptions | false | undefined;
  /**
   * A cap on upstream look-ups per window (shared through `store.consumeBudget` when the
   * store has it), or `false`.
   * @default false (no cap)
   */
  budget?: LookupBudgetOptions | false | undefined;
  /**
   * Receives warnings and errors (never a full phone number). `false` silences it.
   * @default console (warn and error only)
   */
  logger?: Logger | false | undefined;
  /**
   * Called with every decision, synchronously, before `check()` resolves. Errors it
   * throws are caught and logged (once); they never affect the check.
   * @default undefined
   */
  onDecision?: ((decision: Decision) => void) | undefined;
  /**
   * The clock (milliseconds), for cache TTLs, the breaker and the budget. Tests inject one.
   * @default Date.now
   */
  now?: (() => number) | undefined;
}

/** {@link PhoneGuardOptions} with every default applied. */
export interface ResolvedGuardOptions {
  readonly name: string | undefined;
  readonly provider: LiveStatusProvider | undefined;
  readonly telesign: Readonly<GuardTelesignOptions> | undefined;
  readonly normalize: NormalizeOptions;
  readonly policy: ResolvedPolicy;
  readonly useCase: UseCase;
  readonly failMode: FailMode;
  readonly timeoutMs: number;
  readonly cache: {
    readonly max: number;
    readonly ttl: Readonly<Required<{ [K in keyof CacheTtlOptions]: number }>>;
    readonly staleWhileRevalidateMs: number;
    readonly staleIfErrorMs: number;
  };
  readonly store: StatusStore | undefined;
  readonly storeTimeoutMs: number;
  readonly breaker:
    | {
        readonly failureThreshold: number;
        readonly failureRate: number;
        readonly windowMs: number;
        readonly minCooldownMs: number;
        readonly cooldownMs: number;
        readonly probes: number;
      }
    | false;
  readonly budget: { readonly limit: number; readonly windowMs: number } | false;
  readonly logger: Logger;
  readonly onDecision: ((decision: Decision) => void) | undefined;
  readonly now: () => number;
}

/** Default values, exported for documentation and tests. */
export const GUARD_DEFAULTS = Object.freeze({
  failMode: 'open' as FailMode,
  timeoutMs: 3000,
  storeTimeoutMs: 250,
  cacheMax: 10_000,
  ttl: Object.freeze({
    active: 86_400_000,
    transient: 900_000,
    disconnected: 3_600_000,
    unknown: 600_000,
    numberDeactivation: 604_800_000,
    simSwap: 60_000,
  }),
  staleWhileRevalidateMs: 0,
  staleIfErrorMs: 86_400_000,
  failureThreshold: 5,
  failureRate: 0.5,
  breakerWindowMs: 10_000,
  minCooldownMs: 1000,
  cooldownMs: 30_000,
  probes: 3,
  budgetWindowMs: 60_000,
});
