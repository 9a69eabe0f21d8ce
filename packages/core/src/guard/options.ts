import type { Decision } from '../model/decision.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import {
  type LiveStatusProvider,
  type Logger,
  type StatusStore,
  USE_CASES,
  type UseCase,
} from '../model/types.js';
import { type NormalizeOptions, normalizePhone } from '../normalize/normalize.js';
import {
  isUseCase,
  type PolicyOption,
  type ResolvedPolicy,
  resolvePolicy,
} from '../policy/policy.js';
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

/** The circuit breaker in front of the provider. */
export interface CircuitBreakerOptions {
  /**
   * Consecutive failed look-ups (errors and timeouts; not -60001, not bad input, not
   * look-ups the caller aborted) that open the breaker.
   * @default 5
   */
  failureThreshold?: number | undefined;
  /**
   * How long an open breaker sheds look-ups before one probe is let through
   * (half-open). The probe's success closes it; its failure opens it again.
   * @default 30_000
   */
  cooldownMs?: number | undefined;
}

/** A cap on upstream look-ups (each one is billed). */
export interface LookupBudgetOptions {
  /** Look-ups allowed per window. Required. */
  limit: number;
  /**
   * Window length in milliseconds (fixed windows).
   * @default 60_000
   */
  windowMs?: number | undefined;
}

/**
 * Settings of the Telesign client the guard creates when no `provider` is given: every
 * option of `createTelesignClient`, all optional. `customerId`, `apiKey` and `baseUrl`
 * default to the environment (`TELESIGN_CUSTOMER_ID`, `TELESIGN_API_KEY`,
 * `TELESIGN_BASE_URL`); `timeoutMs` defaults to the guard's `timeoutMs`.
 */
export type GuardTelesignOptions = Partial<TelesignClientOptions>;

/**
 * Options of {@link createPhoneGuard}. Validated once at construction: unknown keys and
 * impossible values throw `PhoneGuardOptionError`; `undefined` means the default; the
 * object is never modified.
 */
export interface PhoneGuardOptions extends NormalizeOptions {
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
   * Deadline of one whole `check()` in milliseconds (store, lock wait and look-up).
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
   * Deadline of each store call; a slower or failing store counts as a miss.
   * @default 250
   */
  storeTimeoutMs?: number | undefined;
  /**
   * Circuit breaker settings, or `false` to disable it.
   * @default { failureThreshold: 5, cooldownMs: 30_000 }
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
  readonly breaker: { readonly failureThreshold: number; readonly cooldownMs: number } | false;
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
  }),
  staleWhileRevalidateMs: 0,
  staleIfErrorMs: 86_400_000,
  failureThreshold: 5,
  cooldownMs: 30_000,
  budgetWindowMs: 60_000,
});

const TOP_KEYS = [
  'provider',
  'telesign',
  'defaultCountry',
  'allowedCountries',
  'policy',
  'useCase',
  'failMode',
  'timeoutMs',
  'cache',
  'store',
  'storeTimeoutMs',
  'breaker',
  'budget',
  'logger',
  'onDecision',
  'now',
];

const SILENT: Logger = Object.freeze({ warn() {}, error() {} });
const CONSOLE: Logger = Object.freeze({
  warn: (message: string, ...details: unknown[]) => console.warn(message, ...details),
  error: (message: string, ...details: unknown[]) => console.error(message, ...details),
});

function plainObject(
  value: unknown,
  path: string,
  known: readonly string[],
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PhoneGuardOptionError(path, 'must be an object');
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new PhoneGuardOptionError(
        path ? `${path}.${key}` : key,
        `is not a known option (known: ${known.join(', ')})`,
      );
    }
  }
  return value as Record<string, unknown>;
}

function duration(
  value: unknown,
  path: string,
  fallback: number,
  { min = 0, allowZero = true }: { min?: number; allowZero?: boolean } = {},
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    (!allowZero && value === 0) ||
    value > 2_147_483_647 * 100
  ) {
    throw new PhoneGuardOptionError(
      path,
      `must be a finite number of milliseconds${allowZero ? ' >= ' + min : ' > 0'}, got ${String(value)}`,
    );
  }
  return value;
}

function integer(value: unknown, path: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new PhoneGuardOptionError(path, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

function isLogger(v: unknown): v is Logger {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Logger).warn === 'function' &&
    typeof (v as Logger).error === 'function'
  );
}

/**
 * Validates {@link PhoneGuardOptions} and applies defaults. Never modifies `input`.
 * Throws {@link PhoneGuardOptionError}.
 */
export function resolveGuardOptions(input: unknown): ResolvedGuardOptions {
  const o = plainObject(input ?? {}, '', TOP_KEYS) ?? {};

  const provider = o.provider;
  if (
    provider !== undefined &&
    (typeof provider !== 'object' ||
      provider === null ||
      typeof (provider as LiveStatusProvider).getLiveStatus !== 'function')
  ) {
    throw new PhoneGuardOptionError('provider', 'must be an object with a getLiveStatus() method');
  }
  let telesign: Readonly<GuardTelesignOptions> | undefined;
  if (o.telesign !== undefined) {
    if (typeof o.telesign !== 'object' || o.telesign === null || Array.isArray(o.telesign)) {
      throw new PhoneGuardOptionError('telesign', 'must be an object');
    }
    telesign = Object.freeze({ ...(o.telesign as GuardTelesignOptions) });
  }

  const normalize: NormalizeOptions = {};
  if (o.defaultCountry !== undefined)
    normalize.defaultCountry = o.defaultCountry as NormalizeOptions['defaultCountry'];
  if (o.allowedCountries !== undefined) {
    if (!Array.isArray(o.allowedCountries)) {
      throw new PhoneGuardOptionError(
        'allowedCountries',
        'must be a non-empty array of country codes',
      );
    }
    normalize.allowedCountries = Object.freeze([
      ...(o.allowedCountries as NonNullable<NormalizeOptions['allowedCountries']>),
    ]);
  }

  // normalizePhone validates its options first and throws PhoneGuardOptionError.
  normalizePhone('', normalize);

  const policy = resolvePolicy(o.policy);
  if (o.useCase !== undefined && !isUseCase(o.useCase)) {
    throw new PhoneGuardOptionError(
      'useCase',
      `must be one of ${USE_CASES.join(', ')}, got ${JSON.stringify(o.useCase)}`,
    );
  }
  const useCase = (o.useCase as UseCase | undefined) ?? policy.useCase;

  const failMode = o.failMode ?? GUARD_DEFAULTS.failMode;
  if (failMode !== 'open' && failMode !== 'closed') {
    throw new PhoneGuardOptionError(
      'failMode',
      `must be 'open' or 'closed', got ${JSON.stringify(failMode)}`,
    );
  }
  const timeoutMs = duration(o.timeoutMs, 'timeoutMs', GUARD_DEFAULTS.timeoutMs, {
    allowZero: false,
  });
  const storeTimeoutMs = duration(
    o.storeTimeoutMs,
    'storeTimeoutMs',
    GUARD_DEFAULTS.storeTimeoutMs,
    {
      allowZero: false,
    },
  );

  const c =
    plainObject(o.cache, 'cache', ['max', 'ttl', 'staleWhileRevalidateMs', 'staleIfErrorMs']) ?? {};
  const t =
    plainObject(c.ttl, 'cache.ttl', ['active', 'transient', 'disconnected', 'unknown']) ?? {};
  const d = GUARD_DEFAULTS.ttl;
  const cache = Object.freeze({
    max: integer(c.max, 'cache.max', GUARD_DEFAULTS.cacheMax, 1),
    ttl: Object.freeze({
      active: duration(t.active, 'cache.ttl.active', d.active),
      transient: duration(t.transient, 'cache.ttl.transient', d.transient),
      disconnected: duration(t.disconnected, 'cache.ttl.disconnected', d.disconnected),
      unknown: duration(t.unknown, 'cache.ttl.unknown', d.unknown),
    }),
    staleWhileRevalidateMs: duration(
      c.staleWhileRevalidateMs,
      'cache.staleWhileRevalidateMs',
      GUARD_DEFAULTS.staleWhileRevalidateMs,
    ),
    staleIfErrorMs: duration(
      c.staleIfErrorMs,
      'cache.staleIfErrorMs',
      GUARD_DEFAULTS.staleIfErrorMs,
    ),
  });

  const store = o.store;
  if (store !== undefined) {
    const s = store as StatusStore;
    if (
      typeof s !== 'object' ||
      s === null ||
      typeof s.get !== 'function' ||
      typeof s.set !== 'function'
    ) {
      throw new PhoneGuardOptionError(
        'store',
        'must be a StatusStore (an object with get() and set())',
      );
    }
  }

  let breaker: ResolvedGuardOptions['breaker'] = false;
  if (o.breaker !== false) {
    const b = plainObject(o.breaker, 'breaker', ['failureThreshold', 'cooldownMs']) ?? {};
    breaker = Object.freeze({
      failureThreshold: integer(
        b.failureThreshold,
        'breaker.failureThreshold',
        GUARD_DEFAULTS.failureThreshold,
        1,
      ),
      cooldownMs: duration(b.cooldownMs, 'breaker.cooldownMs', GUARD_DEFAULTS.cooldownMs, {
        allowZero: false,
      }),
    });
  }

  let budget: ResolvedGuardOptions['budget'] = false;
  if (o.budget !== undefined && o.budget !== false) {
    const b = plainObject(o.budget, 'budget', ['limit', 'windowMs']) ?? {};
    if (b.limit === undefined) {
      throw new PhoneGuardOptionError('budget.limit', 'is required when budget is given');
    }
    budget = Object.freeze({
      limit: integer(b.limit, 'budget.limit', 0, 0),
      windowMs: duration(b.windowMs, 'budget.windowMs', GUARD_DEFAULTS.budgetWindowMs, {
        allowZero: false,
      }),
    });
  }

  let logger: Logger = CONSOLE;
  if (o.logger === false || o.logger === null) logger = SILENT;
  else if (o.logger !== undefined) {
    if (!isLogger(o.logger)) {
      throw new PhoneGuardOptionError(
        'logger',
        'must have warn() and error() methods (console and pino loggers fit), or be false',
      );
    }
    logger = o.logger;
  }
  if (o.onDecision !== undefined && typeof o.onDecision !== 'function') {
    throw new PhoneGuardOptionError('onDecision', 'must be a function');
  }
  if (o.now !== undefined && typeof o.now !== 'function') {
    throw new PhoneGuardOptionError('now', 'must be a function returning milliseconds');
  }

  return Object.freeze({
    provider: provider as LiveStatusProvider | undefined,
    telesign,
    normalize: Object.freeze(normalize),
    policy,
    useCase,
    failMode,
    timeoutMs,
    cache,
    store: store as StatusStore | undefined,
    storeTimeoutMs,
    breaker,
    budget,
    logger,
    onDecision: o.onDecision as ((decision: Decision) => void) | undefined,
    now: (o.now as (() => number) | undefined) ?? Date.now,
  });
}
