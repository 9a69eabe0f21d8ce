import type { Decision } from '../model/decision.js';
import { PhoneGuardOptionError } from '../model/errors.js';
import type { NormalizeOptions } from '../model/phone.js';
import {
  type LiveStatusProvider,
  type Logger,
  type StatusStore,
  USE_CASES,
} from '../model/types.js';
import { normalizePhone } from '../normalize/normalize.js';
import {
  enumOption,
  functionOption,
  integerOption,
  MAX_TIMER_MS,
  msOption,
  optionObject,
  textOption,
} from '../options/checks.js';
import { resolvePolicy } from '../policy/policy.js';
import type { TelesignClientOptions } from '../telesign/client.js';
import {
  type FailMode,
  GUARD_DEFAULTS,
  type GuardTelesignOptions,
  type PhoneGuardOptions,
  type ResolvedGuardOptions,
} from './options.js';

const TOP_KEYS: readonly (keyof PhoneGuardOptions)[] = Object.keys({
  name: true,
  provider: true,
  telesign: true,
  defaultCountry: true,
  allowedCountries: true,
  policy: true,
  useCase: true,
  failMode: true,
  timeoutMs: true,
  cache: true,
  store: true,
  storeTimeoutMs: true,
  breaker: true,
  budget: true,
  logger: true,
  onDecision: true,
  now: true,
} satisfies Record<keyof PhoneGuardOptions, true>) as (keyof PhoneGuardOptions)[];

/** The keys of `createTelesignClient`'s options; the type check keeps the list complete. */
const TELESIGN_KEYS: readonly string[] = Object.keys({
  customerId: true,
  apiKey: true,
  authMethod: true,
  baseUrl: true,
  timeoutMs: true,
  attemptTimeoutMs: true,
  retry: true,
  dispatcher: true,
  contentType: true,
  maxResponseBytes: true,
  useCase: true,
  connections: true,
  userAgent: true,
  now: true,
  addonsEndpoint: true,
} satisfies Record<keyof TelesignClientOptions, true>);

/**
 * Bound of durations that are compared with the clock and never become timers (TTLs,
 * stale windows, cool-down, budget window): about 6.8 years.
 */
const MAX_AGE_MS = MAX_TIMER_MS * 100;
/** Deadlines become timers: `setTimeout` runs a longer one at once. */
const DEADLINE = { allowZero: false, max: MAX_TIMER_MS } as const;
const AGE = { max: MAX_AGE_MS } as const;
const POSITIVE_AGE = { allowZero: false, max: MAX_AGE_MS } as const;

const SILENT: Logger = Object.freeze({ warn() {}, error() {} });
// Looked up at call time, so that spies on console see the calls.
const CONSOLE: Logger = Object.freeze({
  warn: (message: string, ...details: unknown[]) => console.warn(message, ...details),
  error: (message: string, ...details: unknown[]) => console.error(message, ...details),
});

/**
 * Validates {@link PhoneGuardOptions} and applies defaults. Never modifies `input`.
 * Throws {@link PhoneGuardOptionError} naming the option's full path.
 */
export function resolveGuardOptions(input: unknown): ResolvedGuardOptions {
  const o = optionObject(input ?? {}, '', TOP_KEYS) ?? {};
  const policy = resolvePolicy(o.policy);
  const useCase = enumOption(o.useCase, 'useCase', USE_CASES, policy.useCase);
  return Object.freeze({
    name: textOption(o.name, 'name'),
    provider: providerOption(o.provider),
    telesign: telesignOption(o.telesign),
    normalize: normalizeOptions(o.defaultCountry, o.allowedCountries),
    policy,
    useCase,
    failMode: enumOption<FailMode>(
      o.failMode,
      'failMode',
      ['open', 'closed'],
      GUARD_DEFAULTS.failMode,
    ),
    timeoutMs: msOption(o.timeoutMs, 'timeoutMs', GUARD_DEFAULTS.timeoutMs, DEADLINE),
    cache: cacheOptions(o.cache),
    store: storeOption(o.store),
    storeTimeoutMs: msOption(
      o.storeTimeoutMs,
      'storeTimeoutMs',
      GUARD_DEFAULTS.storeTimeoutMs,
      DEADLINE,
    ),
    breaker: breakerOptions(o.breaker),
    budget: budgetOptions(o.budget),
    logger: loggerOption(o.logger),
    onDecision: functionOption<(decision: Decision) => void>(o.onDecision, 'onDecision'),
    now: functionOption<() => number>(o.now, 'now') ?? Date.now,
  });
}

function providerOption(value: unknown): LiveStatusProvider | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof (value as LiveStatusProvider).getLiveStatus !== 'function'
  ) {
    throw new PhoneGuardOptionError('provider', 'must be an object with a getLiveStatus() method');
  }
  return value as LiveStatusProvider;
}

function telesignOption(value: unknown): Readonly<GuardTelesignOptions> | undefined {
  const telesign = optionObject(value, 'telesign', TELESIGN_KEYS);
  return telesign === undefined
    ? undefined
    : Object.freeze({ ...(telesign as GuardTelesignOptions) });
}

function normalizeOptions(defaultCountry: unknown, allowedCountries: unknown): NormalizeOptions {
  const normalize: NormalizeOptions = {};
  if (defaultCountry !== undefined) {
    normalize.defaultCountry = defaultCountry as NormalizeOptions['defaultCountry'];
  }
  if (allowedCountries !== undefined) {
    if (!Array.isArray(allowedCountries)) {
      throw new PhoneGuardOptionError(
        'allowedCountries',
        'must be a non-empty array of country codes',
      );
    }
    normalize.allowedCountries = Object.freeze([...allowedCountries]);
  }
  // normalizePhone validates its options first and throws PhoneGuardOptionError.
  normalizePhone('', normalize);
  return Object.freeze(normalize);
}

function cacheOptions(value: unknown): ResolvedGuardOptions['cache'] {
  const known = ['max', 'ttl', 'staleWhileRevalidateMs', 'staleIfErrorMs'];
  const cache = optionObject(value, 'cache', known) ?? {};
  const ttl = optionObject(cache.ttl, 'cache.ttl', Object.keys(GUARD_DEFAULTS.ttl)) ?? {};
  const defaults = GUARD_DEFAULTS.ttl;
  return Object.freeze({
    max: integerOption(cache.max, 'cache.max', GUARD_DEFAULTS.cacheMax, 1),
    ttl: Object.freeze({
      active: msOption(ttl.active, 'cache.ttl.active', defaults.active, AGE),
      transient: msOption(ttl.transient, 'cache.ttl.transient', defaults.transient, AGE),
      disconnected: msOption(
        ttl.disconnected,
        'cache.ttl.disconnected',
        defaults.disconnected,
        AGE,
      ),
      unknown: msOption(ttl.unknown, 'cache.ttl.unknown', defaults.unknown, AGE),
      numberDeactivation: msOption(
        ttl.numberDeactivation,
        'cache.ttl.numberDeactivation',
        defaults.numberDeactivation,
        AGE,
      ),
      simSwap: msOption(ttl.simSwap, 'cache.ttl.simSwap', defaults.simSwap, AGE),
    }),
    staleWhileRevalidateMs: msOption(
      cache.staleWhileRevalidateMs,
      'cache.staleWhileRevalidateMs',
      GUARD_DEFAULTS.staleWhileRevalidateMs,
      AGE,
    ),
    staleIfErrorMs: msOption(
      cache.staleIfErrorMs,
      'cache.staleIfErrorMs',
      GUARD_DEFAULTS.staleIfErrorMs,
      AGE,
    ),
  });
}

function storeOption(value: unknown): StatusStore | undefined {
  if (value === undefined) return undefined;
  const store = value as StatusStore;
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.get !== 'function' ||
    typeof store.set !== 'function'
  ) {
    throw new PhoneGuardOptionError(
      'store',
      'must be a StatusStore (an object with get() and set())',
    );
  }
  return store;
}

function breakerOptions(value: unknown): ResolvedGuardOptions['breaker'] {
  if (value === false) return false;
  const breaker =
    optionObject(value, 'breaker', [
      'failureThreshold',
      'failureRate',
      'windowMs',
      'minCooldownMs',
      'cooldownMs',
      'probes',
    ]) ?? {};
  const failureRate = breaker.failureRate ?? GUARD_DEFAULTS.failureRate;
  if (typeof failureRate !== 'number' || !(failureRate > 0 && failureRate <= 1)) {
    throw new PhoneGuardOptionError(
      'breaker.failureRate',
      `must be a number above 0 and at most 1, got ${String(failureRate)}`,
    );
  }
  const cooldownMs = msOption(
    breaker.cooldownMs,
    'breaker.cooldownMs',
    GUARD_DEFAULTS.cooldownMs,
    POSITIVE_AGE,
  );
  const minCooldownMs = msOption(
    breaker.minCooldownMs,
    'breaker.minCooldownMs',
    Math.min(GUARD_DEFAULTS.minCooldownMs, cooldownMs),
    POSITIVE_AGE,
  );
  if (minCooldownMs > cooldownMs) {
    throw new PhoneGuardOptionError(
      'breaker.minCooldownMs',
      `must not exceed breaker.cooldownMs (${cooldownMs}), got ${minCooldownMs}`,
    );
  }
  return Object.freeze({
    failureRate,
    windowMs: msOption(
      breaker.windowMs,
      'breaker.windowMs',
      GUARD_DEFAULTS.breakerWindowMs,
      POSITIVE_AGE,
    ),
    minCooldownMs,
    probes: integerOption(breaker.probes, 'breaker.probes', GUARD_DEFAULTS.probes, 1, 100),
    failureThreshold: integerOption(
      breaker.failureThreshold,
      'breaker.failureThreshold',
      GUARD_DEFAULTS.failureThreshold,
      1,
    ),
    cooldownMs,
  });
}

function budgetOptions(value: unknown): ResolvedGuardOptions['budget'] {
  if (value === undefined || value === false) return false;
  const budget = optionObject(value, 'budget', ['limit', 'windowMs']) ?? {};
  if (budget.limit === undefined) {
    throw new PhoneGuardOptionError('budget.limit', 'is required when budget is given');
  }
  return Object.freeze({
    limit: integerOption(budget.limit, 'budget.limit', 0, 0),
    windowMs: msOption(
      budget.windowMs,
      'budget.windowMs',
      GUARD_DEFAULTS.budgetWindowMs,
      POSITIVE_AGE,
    ),
  });
}

function loggerOption(value: unknown): Logger {
  if (value === undefined) return CONSOLE;
  if (value === false || value === null) return SILENT;
  const logger = value as Logger;
  if (
    typeof logger !== 'object' ||
    typeof logger.warn !== 'function' ||
    typeof logger.error !== 'function'
  ) {
    throw new PhoneGuardOptionError(
      'logger',
      'must have warn() and error() methods (console and pino loggers fit), or be false',
    );
  }
  return logger;
}
