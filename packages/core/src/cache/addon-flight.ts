/**
 * One add-on request in flight and the checks waiting on it: each waiter leaves on its own
 * deadline or abort; the request is cancelled when the last waiter leaves by timeout or
 * abort (never by a waiter that got its answer).
 */
import type { AddonKind, CachedAddonRecord } from './addon-records.js';
import type { FlightInfo } from './status-cache.js';

/** What a flight found, by kind. */
export type Found = Partial<Record<AddonKind, CachedAddonRecord>>;

/** One kind's outcome for one waiter; never thrown. */
export type AddonResult<R> =
  | { readonly ok: true; readonly record: R }
  | {
      readonly ok: false;
      readonly reason: 'timeout' | 'aborted' | 'closed' | 'failed';
      readonly error: unknown;
    };

/** The kinds one check waits for, as they settle. */
export type Answers = Partial<Record<AddonKind, AddonResult<CachedAddonRecord>>>;

/** One add-on request in flight. */
export class AddonFlight implements FlightInfo {
  readonly controller = new AbortController();
  waiters = 0;
  settled = false;
  abortCause: 'timeout' | 'aborted' | 'closed' | null = null;
  /** Set by `forget()` / `clear()`: the answer still serves its waiters but is not kept. */
  discard = false;
  promise!: Promise<Found>;

  leave(cause: 'timeout' | 'aborted' | null): void {
    this.waiters--;
    if (this.waiters <= 0 && !this.settled && cause !== null && this.abortCause === null) {
      this.abortCause = cause;
      this.controller.abort(
        new DOMException(
          cause === 'timeout'
            ? 'Every check waiting on this add-on request timed out'
            : 'Every check waiting on this add-on request was aborted',
          cause === 'timeout' ? 'TimeoutError' : 'AbortError',
        ),
      );
    }
  }
}

/**
 * Waits for the kinds in `waiting`, each from its flight, filling `answer`; settles at once
 * when `options.signal` aborts or `options.timeoutMs` passes, the kinds not yet in marked
 * `aborted` or `timeout`.
 */
export function waitForFlights(
  waiting: ReadonlyMap<AddonKind, AddonFlight>,
  answer: Answers,
  options: { signal?: AbortSignal | undefined; timeoutMs: number },
): Promise<Answers> {
  const joined = new Set(waiting.values());
  for (const flight of joined) flight.waiters++;
  return new Promise<Answers>((settle) => {
    const { signal, timeoutMs } = options;
    let done = false;
    let left = waiting.size;
    const finish = (cause: 'timeout' | 'aborted' | null, error?: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (cause !== null) {
        for (const kind of waiting.keys()) {
          answer[kind] ??= { ok: false, reason: cause, error };
        }
      }
      for (const flight of joined) flight.leave(cause);
      settle(answer);
    };
    const onAbort = (): void => finish('aborted', signal?.reason);
    for (const [kind, flight] of waiting) {
      flight.promise
        .then(
          (found) => {
            const record = found[kind];
            answer[kind] ??=
              record === undefined
                ? { ok: false, reason: 'failed', error: new Error('add-on request cancelled') }
                : { ok: true, record };
          },
          (error: unknown) => {
            answer[kind] ??= {
              ok: false,
              reason: flight.abortCause === 'closed' ? 'closed' : 'failed',
              error,
            };
          },
        )
        .then(() => {
          if (--left === 0) finish(null);
        });
    }
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    if (signal) {
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}
