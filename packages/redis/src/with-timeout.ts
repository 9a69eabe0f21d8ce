import { RedisStoreError } from './redis-store-error.js';

/**
 * Settles like `promise`, or rejects with a {@link RedisStoreError} coded `REDIS_TIMEOUT`
 * after `ms` milliseconds (plus one event-loop turn, so that an answer already received
 * while the loop was blocked still counts), whichever comes first. The timer does not
 * keep the process alive, and a late rejection of `promise` is swallowed (never
 * unhandled).
 *
 * @example
 * ```ts
 * const value = await withTimeout(client.get(key), 100);
 * ```
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Timers run before I/O in Node's event loop: after a blocked loop the answer may be
      // waiting in the socket already. Give it that one turn before calling it a timeout.
      setImmediate(() => {
        reject(new RedisStoreError('REDIS_TIMEOUT', `Redis did not answer within ${ms} ms`));
      });
    }, ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
