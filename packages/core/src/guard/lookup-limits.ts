/**
 * The two limits in front of the provider, built from the guard's resolved options: the
 * circuit breaker (sheds look-ups while the upstream is unhealthy) and the look-up budget
 * (caps billed look-ups per window, shared through the store when it can).
 */
import type { StatusStore } from '../model/types.js';
import { channels } from '../observe/channels.js';
import { type CircuitBreaker, createCircuitBreaker } from '../resilience/circuit-breaker.js';
import { createLookupBudget, type LookupBudget } from '../resilience/lookup-budget.js';
import { callStore } from '../resilience/store-call.js';
import type { GuardLog } from './guard-log.js';
import type { ResolvedGuardOptions } from './options.js';
import type { StoreErrorReporter } from './store-errors.js';
import { breakerOpenMessage, type UpstreamHealth } from './upstream-loader.js';

/** The guard's circuit breaker, or `null` with `breaker: false`. Logs and publishes its changes. */
export function createGuardBreaker(
  settings: ResolvedGuardOptions['breaker'],
  now: () => number,
  log: GuardLog,
  guardName: string | undefined,
  health: UpstreamHealth,
): CircuitBreaker | null {
  if (settings === false) return null;
  const breaker: CircuitBreaker = createCircuitBreaker({
    ...settings,
    now,
    onStateChange(state, previous) {
      // Logged when it opens, every minute while it keeps re-opening, once when it closes.
      if (state === 'open')
        log.episode('breaker', 'warn', () => breakerOpenMessage(breaker, health));
      else if (state === 'closed') {
        log.endEpisode('breaker', 'phone-guard: circuit breaker closed: look-ups flow again');
      }
      if (channels.breaker.hasSubscribers)
        channels.breaker.publish({ state, previous, guard: guardName });
    },
  });
  return breaker;
}

/** The guard's look-up budget, or `null` without `budget`. */
export function createGuardBudget(
  settings: ResolvedGuardOptions['budget'],
  now: () => number,
  store: StatusStore | undefined,
  storeTimeoutMs: number,
  onStoreError: StoreErrorReporter,
  guardName: string | undefined,
): LookupBudget | null {
  if (settings === false) return null;
  return createLookupBudget({
    ...settings,
    now,
    store,
    scope: guardName,
    callStore: <T>(call: () => Promise<T>) =>
      callStore('consumeBudget', call, storeTimeoutMs, onStoreError),
  });
}
