/**
 * The names phone-guard's telemetry is recorded under, following OpenTelemetry's naming
 * conventions: dot-separated namespaces, snake_case words, UCUM units (`s`, `{decision}`).
 * Standard attributes are reused where one fits (`error.type`, `http.route`).
 */
import packageJson from '../package.json' with { type: 'json' };

/** The instrumentation scope (meter and tracer name). */
export const SCOPE_NAME = '@phone-guard/opentelemetry';

/**
 * The instrumentation scope version: this package's version, from its package.json (the
 * build inlines it, so the ESM and CommonJS files carry it without reading the file).
 */
export const SCOPE_VERSION: string = packageJson.version;

/** Metric instrument names. */
export const PHONE_GUARD_METRICS = Object.freeze({
  /** Counter, `{decision}`: every decision a guard made. */
  decisions: 'phone_guard.decisions',
  /** Histogram, `s`: how long each upstream look-up took. */
  lookupDuration: 'phone_guard.lookup.duration',
  /** Counter, `{check}`: checks answered from a fresh in-process cache entry. */
  cacheHits: 'phone_guard.cache.hits',
  /** Counter, `{check}`: checks of a valid number that found no fresh in-process entry. */
  cacheMisses: 'phone_guard.cache.misses',
  /** Counter, `{check}`: checks that joined a look-up already in flight. */
  coalesced: 'phone_guard.lookup.coalesced',
  /** Counter, `{transition}`: circuit breaker state changes. */
  breakerTransitions: 'phone_guard.breaker.transitions',
  /** Counter, `{lookup}`: look-ups refused because the look-up budget was spent. */
  budgetExhausted: 'phone_guard.budget.exhausted',
  /** Counter, `{error}`: store calls that failed or timed out. */
  storeErrors: 'phone_guard.store.errors',
});

/** The span recorded for every upstream look-up. */
export const LOOKUP_SPAN_NAME = 'phone_guard.lookup';

/** Attribute keys. */
export const PHONE_GUARD_ATTRIBUTES = Object.freeze({
  /** The guard's `name` option (only when the guard has one). */
  guardName: 'phone_guard.guard.name',
  /** `allow`, `flag` or `block` (in shadow mode: the decision that would have been made). */
  action: 'phone_guard.decision.action',
  /** The decision's first reason (`SUBSCRIBER_DISCONNECTED`…); absent when it has none. */
  reason: 'phone_guard.decision.reason',
  /** `cache`, `upstream`, `stale` or `none`. */
  source: 'phone_guard.decision.source',
  /** Whether the decision let the request through only because no answer could be had. */
  failedOpen: 'phone_guard.decision.failed_open',
  /** The adapter's mode (`block`, `annotate`, `shadow`…), when the event names one. */
  mode: 'phone_guard.mode',
  /** The route pattern, when the event names one (OpenTelemetry's standard attribute). */
  route: 'http.route',
  /** The Telesign use case (`BACS`, `PWRT`…). */
  useCase: 'phone_guard.use_case',
  /** `ok`, `error` or `aborted`. */
  outcome: 'phone_guard.lookup.outcome',
  /** What a look-up asked: `live` (Live status) or `addons` (Phone ID add-ons). */
  product: 'phone_guard.lookup.product',
  /** The subscriber status a look-up answered (`ACTIVE`, `DISCONNECTED`…); spans only. */
  subscriberStatus: 'phone_guard.subscriber_status',
  /** The masked number (`+1415*****71`); spans only, and only with `recordMaskedPhone`. */
  phone: 'phone_guard.phone.masked',
  /** The error code (`LOOKUP_TIMEOUT`, `TELESIGN_…`, `STORE_TIMEOUT`…). */
  errorType: 'error.type',
  /** The breaker's new state: `closed`, `open` or `half-open`. */
  breakerState: 'phone_guard.breaker.state',
  /** The breaker's state before the change. */
  breakerPreviousState: 'phone_guard.breaker.previous_state',
  /** Whether the budget is shared through a store. */
  budgetShared: 'phone_guard.budget.shared',
  /** The store operation that failed (`get`, `set`, `consumeBudget`…). */
  storeOperation: 'phone_guard.store.operation',
});

/**
 * Histogram bucket boundaries for look-up durations, in seconds: 5 ms to 10 s (the SDK's
 * default boundaries are meant for milliseconds and would put every look-up in the first).
 */
export const LOOKUP_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);
