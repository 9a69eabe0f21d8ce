/**
 * One request in flight shared by the checks waiting on it (a status look-up, an add-on
 * request): its bookkeeping under the keys it serves, and the waiters. Each waiter leaves
 * on its own deadline or abort; the request is cancelled when its last waiter leaves by
 * timeout or abort (never by a waiter that got its answer), or when the guard closes.
 */

/** What a loader may ask about the flight it serves. */
export interface FlightInfo {
  /** Why the flight's signal was aborted: every waiter left by timeout, or by caller abort. */
  readonly abortCause: 'timeout' | 'aborted' | 'closed' | null;
}

/** Why a waiter left before its answer. */
export type LeaveCause = 'timeout' | 'aborted';

/** How long one waiter waits. */
export interface WaitOptions {
  /** The waiter leaves (and settles) at once when this aborts. */
  readonly signal?: AbortSignal | undefined;
  /** The waiter leaves after this many milliseconds (real time). */
  readonly timeoutMs: number;
}

/** One request in flight; `subject` names it in abort reasons ("look-up"). */
export class Flight implements FlightInfo {
  readonly controller = new AbortController();
  waiters = 0;
  settled = false;
  abortCause: 'timeout' | 'aborted' | 'closed' | null = null;

  constructor(private readonly subject: string) {}

  /** One waiter leaves; the last one to leave by `timeout` or `aborted` cancels the flight. */
  leave(cause: LeaveCause | null): void {
    this.waiters--;
    if (this.waiters <= 0 && !this.settled && cause !== null && this.abortCause === null) {
      this.abortCause = cause;
      this.controller.abort(
        cause === 'timeout'
          ? new DOMException(
              `Every check waiting on this ${this.subject} timed out`,
              'TimeoutError',
            )
          : new DOMException(
              `Every check waiting on this ${this.subject} was aborted`,
              'AbortError',
            ),
      );
    }
  }

  /** Cancels the flight because the guard closed (unless it is over or already cancelled). */
  close(): void {
    if (!this.settled && this.abortCause === null) {
      this.abortCause = 'closed';
      this.controller.abort(new DOMException('The guard was closed', 'AbortError'));
    }
  }
}

/**
 * Runs `work` as `flight`, registered in `flights` under `keys` until it settles (a key
 * another flight took over in the meantime is left to it). The registration is made
 * before this returns, so a caller can find the flight at once.
 */
export async function runFlight<F extends Flight, T>(
  flights: Map<string, F>,
  keys: readonly string[],
  flight: F,
  work: () => Promise<T>,
): Promise<T> {
  for (const key of keys) flights.set(key, flight);
  try {
    return await work();
  } finally {
    flight.settled = true;
    for (const key of keys) {
      if (flights.get(key) === flight) flights.delete(key);
    }
  }
}

/**
 * Waits as one waiter of `flights` (joined now, left when this settles). `follow` is
 * given the function to call with the answer; the wait settles earlier, with
 * `leftEarly(cause, error)`, when `options.signal` aborts (`error`: its reason) or
 * `options.timeoutMs` passes (`error`: undefined). Only the first outcome counts.
 */
export function waitAsWaiter<R>(
  flights: ReadonlySet<Flight> | readonly Flight[],
  options: WaitOptions,
  follow: (answer: (result: R) => void) => void,
  leftEarly: (cause: LeaveCause, error: unknown) => R,
): Promise<R> {
  for (const flight of flights) flight.waiters++;
  return new Promise<R>((settle) => {
    const { signal, timeoutMs } = options;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: R, cause: LeaveCause | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      for (const flight of flights) flight.leave(cause);
      settle(result);
    };
    const leaveEarly = (cause: LeaveCause, error: unknown): void => {
      if (!done) finish(leftEarly(cause, error), cause);
    };
    const onAbort = (): void => leaveEarly('aborted', signal?.reason);
    follow((result) => finish(result, null));
    if (signal) {
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
    }
    timer = setTimeout(() => leaveEarly('timeout', undefined), timeoutMs);
  });
}
