/**
 * Builds the pieces of one guard from its resolved options and wires them together:
 * log and counters → provider → breaker and budget → upstream loader → status cache →
 * decision building, per-route policies, hot-path memos, check options → miss path.
 */
import { type AddonCache, createAddonCache } from '../cache/addon-cache.js';
import { createStatusCache, type StatusCache } from '../cache/status-cache.js';
import type { Decision } from '../model/decision.js';
import type { LiveStatusProvider, UseCase } from '../model/types.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import type { LookupBudget } from '../resilience/lookup-budget.js';
import { addonProviderOf, createAddonLoader } from './addon-loader.js';
import { CheckOptionsReader } from './check-options.js';
import { createDecisionPublisher, type DecisionPublisher } from './decision-publisher.js';
import { createDefaultProvider } from './default-provider.js';
import { GuardLog } from './guard-log.js';
import { HitClock, InputMemo } from './hot-path.js';
import { createGuardBreaker, createGuardBudget } from './lookup-limits.js';
import { createMissPath, type PendingCheck } from './miss-path.js';
import type { ResolvedGuardOptions } from './options.js';
import { Outcomes } from './outcomes.js';
import { RoutePolicies } from './route-policies.js';
import { SignalPath } from './signal-path.js';
import { GuardCounters } from './stats.js';
import { createStoreErrorReporter, type StoreErrorReporter } from './store-errors.js';
import {
  createUpstreamLoader,
  type UpstreamHealth,
  type UpstreamLoaderParts,
} from './upstream-loader.js';

/** Most raw inputs the normalize memo holds (all countries together). */
const MAX_MEMO_INPUTS = 10_000;

/** Everything a guard is made of. */
export interface GuardParts {
  readonly settings: ResolvedGuardOptions;
  readonly log: GuardLog;
  readonly counters: GuardCounters;
  readonly provider: LiveStatusProvider;
  /** Whether the guard created `provider` (and must close it). */
  readonly ownsProvider: boolean;
  readonly breaker: CircuitBreaker | null;
  readonly budget: LookupBudget | null;
  readonly reportStoreError: StoreErrorReporter;
  readonly cache: StatusCache;
  /** The add-on record cache, or `null` when the provider has no `getPhoneIdAddons`. */
  readonly addons: AddonCache | null;
  /** Checks whose policy asks for identity signals. */
  readonly signals: SignalPath;
  readonly outcomes: Outcomes;
  readonly policies: RoutePolicies;
  readonly memo: InputMemo;
  readonly clock: HitClock;
  readonly options: CheckOptionsReader;
  readonly publish: DecisionPublisher;
  readonly decideAfterLookup: (check: PendingCheck) => Promise<Decision>;
  /** Set by `close()`; read by the miss path. */
  readonly lifecycle: { closed: boolean };
}

/**
 * @param ownPolicyValue The `policy` option exactly as given, so that passing the same
 *   value per call maps to the guard's own policy.
 */
export function assembleGuard(settings: ResolvedGuardOptions, ownPolicyValue: unknown): GuardParts {
  const { now, name } = settings;
  const log = new GuardLog(settings.logger, now);
  const health: UpstreamHealth = { lastErrorCode: null };
  const counters = new GuardCounters();
  const ownsProvider = settings.provider === undefined;
  if (!ownsProvider && settings.telesign !== undefined) {
    log.warn('phone-guard: option "telesign" is ignored because "provider" is given');
  }
  const provider = settings.provider ?? createDefaultProvider(settings);
  const reportStoreError = createStoreErrorReporter(counters, log, name);
  const breaker = createGuardBreaker(settings.breaker, now, log, name, health);
  const budget = createGuardBudget(
    settings.budget,
    now,
    settings.store,
    settings.storeTimeoutMs,
    reportStoreError,
    name,
  );
  const outcomes = new Outcomes(counters, log, settings.timeoutMs);
  const policies = new RoutePolicies(
    settings.policy,
    settings.useCase,
    ownPolicyValue,
    outcomes,
    log,
  );
  const guardPolicy = policies.guardDefault;
  const loaderParts: UpstreamLoaderParts = {
    provider,
    breaker,
    budget,
    counters,
    guardName: name,
    log,
    health,
  };
  const cache = createStatusCache({
    ...settings.cache,
    now,
    store: settings.store,
    storeTimeoutMs: settings.storeTimeoutMs,
    lockTtlMs: settings.timeoutMs,
    onStoreError: reportStoreError,
    // Static policies decide a cached number once, when it is cached.
    precompute:
      guardPolicy.hits === null
        ? undefined
        : (status, phone) =>
            outcomes.decide(
              guardPolicy.policy,
              status,
              phone,
              guardPolicy.useCase,
              'cache',
              settings.failMode,
            ),
    load: createUpstreamLoader(loaderParts),
  });
  const addonProvider = addonProviderOf(provider);
  const addons =
    addonProvider === null
      ? null
      : createAddonCache({
          max: settings.cache.max,
          ttl: settings.cache.ttl,
          now,
          store: settings.store,
          storeTimeoutMs: settings.storeTimeoutMs,
          onStoreError: reportStoreError,
          // The use case of the check that asked (for lookup events); `signals` exists by then.
          load: createAddonLoader(
            addonProvider,
            loaderParts,
            (e164): UseCase => signals.useCaseOf(e164) ?? guardPolicy.useCase,
          ),
        });
  const lifecycle = { closed: false };
  const isClosed = (): boolean => lifecycle.closed;
  const signals = new SignalPath({
    cache,
    addons,
    policies,
    outcomes,
    counters,
    log,
    now,
    timeoutMs: settings.timeoutMs,
    isClosed,
    guardName: name,
    missPath: createMissPath({ cache, outcomes, counters, settings, isClosed }),
  });
  return {
    settings,
    log,
    counters,
    provider,
    ownsProvider,
    breaker,
    budget,
    reportStoreError,
    cache,
    addons,
    signals,
    outcomes,
    policies,
    memo: new InputMemo(settings.normalize, Math.min(settings.cache.max, MAX_MEMO_INPUTS)),
    clock: new HitClock(now),
    options: new CheckOptionsReader(settings.failMode, policies, log),
    publish: createDecisionPublisher(name, counters, settings.onDecision, log),
    decideAfterLookup: signals.decideAfterLookup,
    lifecycle,
  };
}
