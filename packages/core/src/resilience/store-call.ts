import { PhoneGuardError } from '../model/errors.js';

/**
 * True when a store says it has already logged this failure itself (`logged: true` on the
 * error, e.g. `@phone-guard/redis` logs an outage once when it begins and once when it
 * ends): the guard still counts and publishes it, but does not log it again.
 */
export function loggedByStore(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { logged?: unknown }).logged === true
  );
}

/**
 * Calls a `StatusStore` method with a deadline. A store is never allowed to hold a check
 * up or to throw into it: a call that rejects, throws or takes longer than `timeoutMs`
 * is reported to `onError` and answers `undefined` (a miss).
 */
export async function callStore<T>(
  operation: string,
  call: () => Promise<T>,
  timeoutMs: number,
  onError: ((operation: string, error: unknown) => void) | undefined,
): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(call),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new PhoneGuardError(
                'STORE_TIMEOUT',
                `store ${operation} took longer than ${timeoutMs} ms`,
                { fault: 'upstream' },
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    onError?.(operation, error);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
