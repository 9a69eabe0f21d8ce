import { channels } from '../observe/channels.js';
import { loggedByStore } from '../resilience/store-call.js';
import { errorCodeOf, type GuardLog } from './guard-log.js';
import type { GuardCounters } from './stats.js';

/** Told about every store call that failed or timed out (each was treated as a miss). */
export type StoreErrorReporter = (operation: string, error: unknown) => void;

/**
 * Counts a failed store call in `stats().storeErrors`, warns once per operation and
 * error code, and publishes it on the `store-error` channel.
 */
export function createStoreErrorReporter(
  counters: GuardCounters,
  log: GuardLog,
  guardName: string | undefined,
): StoreErrorReporter {
  return (operation, error) => {
    counters.storeErrors++;
    const code = errorCodeOf(error);
    // A store that logged the failure itself (once per outage) is not echoed here.
    if (!loggedByStore(error))
      log.warnOnce(
        `store:${operation}:${code}`,
        `phone-guard: store ${operation} failed (${code}); treated as a miss. Further such failures are counted in stats().storeErrors, not logged.`,
      );
    if (channels.storeError.hasSubscribers) {
      channels.storeError.publish({ operation, errorCode: code, guard: guardName });
    }
  };
}
