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

/** The guard's circuit breaker, or `null` with `breaker: false`. Logs and publishes its changes. */
export function createGuardBreaker(
  settings: ResolvedGuardOptions['breaker'],
  now: () => number,
  log: GuardLog,
  guardName: string | undefined,
): CircuitBreaker | null {
  if (settings === false) return null;
  return createCircuitBreaker({
    ...settings,
    now,
    onStateChange(state, previous) {
      if (state === 'open') {
        log.warn(
          `phone-guard: circuit breaker opened; look-ups are shed for ${settings.cooldownMs} ms`,
        );
      } else if (state === 'closed') log.warn('phone-guard: circuit breaker closed');
      if (channels.breaker.hasSubscribers)
        channels.breaker.publish({ state, previous, guard: guardName });
    },
  });
}

/** The guard's look-up budget, or `null` without `budget`. */
export function createGuardBudget(
  settings: ResolvedGuardOptions['budget'],
  now: () => number,
  store: StatusStore | undefined,
  storeTimeoutMs: number,
  onStoreError: StoreErrorReporter,
): LookupBudget | null {
  if (settings === false) return null;
  return createLookupBudget({
    ...settings,
    now,
    store,
    callStore: <T>(call: () => Promise<T>) =>
      callStore('consumeBudget', call, storeTimeoutMs, onStoreError),
  });
}
