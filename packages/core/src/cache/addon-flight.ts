/**
 * One add-on request in flight and the checks waiting on it, each for the kinds it needs
 * (see `flight.ts` for how waiters leave and when a request is cancelled).
 */
import type { AddonKind, CachedAddonRecord } from './addon-records.js';
import { Flight, type LeaveCause, type WaitOptions, waitAsWaiter } from './flight.js';

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
export class AddonFlight extends Flight {
  /** Set by `forget()` / `clear()`: the answer still serves its waiters but is not kept. */
  discard = false;
  promise!: Promise<Found>;

  constructor() {
    super('add-on request');
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
  options: WaitOptions,
): Promise<Answers> {
  const follow = (settle: (answers: Answers) => void): void => {
    let left = waiting.size;
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
          if (--left === 0) settle(answer);
        });
    }
  };
  const leftEarly = (cause: LeaveCause, error: unknown): Answers => {
    for (const kind of waiting.keys()) answer[kind] ??= { ok: false, reason: cause, error };
    return answer;
  };
  return waitAsWaiter(new Set(waiting.values()), options, follow, leftEarly);
}
