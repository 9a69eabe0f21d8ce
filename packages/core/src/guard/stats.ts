import type { StatusCache } from '../cache/status-cache.js';
import type { CircuitBreaker, CircuitState } from '../resilience/circuit-breaker.js';
import type { LookupBudget } from '../resilience/lookup-budget.js';

/** A snapshot of a guard's counters since it was created (see `guard.stats()`). */
export interface GuardStats {
  /** Checks answered (every `check()` call, whatever the outcome). */
  checks: number;
  /** Checks whose input was not a usable phone number (never looked up). */
  invalid: number;
  /** Checks answered from a fresh entry of the in-process cache. */
  hits: number;
  /** Checks that found no fresh in-process entry. */
  misses: number;
  /** Misses answered from the shared store without an upstream look-up. */
  storeHits: number;
  /** Checks that joined a look-up already in flight instead of starting one. */
  coalesced: number;
  /** Checks answered from a stale entry (stale-while-revalidate or stale-if-error). */
  staleServed: number;
  /** Upstream look-ups started (requests to the provider). */
  lookups: number;
  /**
   * Phone ID add-on requests started (number deactivation, SIM swap; each billed per
   * add-on asked), for policies that ask for identity signals.
   */
  addonLookups: number;
  /**
   * Upstream look-ups that failed: errors and timeouts, not look-ups the caller gave up
   * (aborted, or closed the guard or client).
   */
  lookupFailures: number;
  /**
   * Phone ID add-on requests that failed: errors and timeouts (not requests the caller
   * gave up), and answers in which an add-on asked for could not answer (2802/2810/2811
   * unavailable, 2806 not enabled, 2801/2807 refused). "No data" (2803/2804/2805) is an
   * answer, not a failure. Requests shed by the breaker or the budget are not made: they
   * show in `errors` (`CIRCUIT_OPEN`, `BUDGET_EXCEEDED`).
   */
  addonLookupFailures: number;
  /**
   * Checks that ended without an answer, by error code (`LOOKUP_TIMEOUT`, `CIRCUIT_OPEN`,
   * `TELESIGN_…`); also checks whose Live answer came but whose identity signals could
   * not be had (`ADDON_UNAVAILABLE`, `ADDON_NOT_ENABLED`, or the add-on request's code).
   */
  errors: Record<string, number>;
  /**
   * Shadow rollout: checks made with `mode: 'shadow'` (and not in its enforced share)
   * whose decision was `block`, by first reason (`SUBSCRIBER_DISCONNECTED`,
   * `LOOKUP_FAILED`, `PHONE_INVALID` …): what block mode would have refused. Empty until
   * then.
   */
  wouldBlock: Record<string, number>;
  /** Store calls that failed or timed out (each was treated as a miss). */
  storeErrors: number;
  /** Look-ups in flight right now. */
  inFlight: number;
  /** In-process cache occupancy. */
  cache: { size: number; max: number };
  /** Circuit breaker state, or `null` when disabled. */
  breaker: { state: CircuitState; consecutiveFailures: number } | null;
  /** Look-up budget of the current window, or `null` when there is no budget. */
  budget: { used: number; limit: number; windowMs: number; shared: boolean } | null;
}

/** Mutable counters behind {@link GuardStats}. Internal. */
export class GuardCounters {
  checks = 0;
  invalid = 0;
  hits = 0;
  misses = 0;
  storeHits = 0;
  coalesced = 0;
  staleServed = 0;
  lookups = 0;
  addonLookups = 0;
  lookupFailures = 0;
  addonLookupFailures = 0;
  storeErrors = 0;
  readonly errors = new Map<string, number>();
  readonly wouldBlock = new Map<string, number>();

  /** Counts one failed check under `code`. */
  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** Counts one shadow-mode check that block mode would have refused, under `reason`. */
  shadowBlock(reason: string): void {
    this.wouldBlock.set(reason, (this.wouldBlock.get(reason) ?? 0) + 1);
  }

  /** The counters as a plain object (the map becomes a record). */
  errorRecord(): Record<string, number> {
    return Object.fromEntries(this.errors);
  }
}

/** What {@link statsSnapshot} reads besides the counters. */
export interface StatsSources {
  readonly counters: GuardCounters;
  readonly cache: Pick<StatusCache, 'inFlight' | 'size' | 'max'>;
  readonly breaker: Pick<CircuitBreaker, 'state' | 'consecutiveFailures'> | null;
  readonly budget: Pick<LookupBudget, 'used' | 'limit' | 'windowMs' | 'shared'> | null;
}

/** A fresh {@link GuardStats} object (the caller may keep or modify it). */
export function statsSnapshot({ counters, cache, breaker, budget }: StatsSources): GuardStats {
  return {
    checks: counters.checks,
    invalid: counters.invalid,
    hits: counters.hits,
    misses: counters.misses,
    storeHits: counters.storeHits,
    coalesced: counters.coalesced,
    staleServed: counters.staleServed,
    lookups: counters.lookups,
    addonLookups: counters.addonLookups,
    lookupFailures: counters.lookupFailures,
    addonLookupFailures: counters.addonLookupFailures,
    errors: counters.errorRecord(),
    wouldBlock: Object.fromEntries(counters.wouldBlock),
    storeErrors: counters.storeErrors,
    inFlight: cache.inFlight,
    cache: { size: cache.size, max: cache.max },
    breaker: breaker
      ? { state: breaker.state, consecutiveFailures: breaker.consecutiveFailures }
      : null,
    budget: budget
      ? { used: budget.used, limit: budget.limit, windowMs: budget.windowMs, shared: budget.shared }
      : null,
  };
}
