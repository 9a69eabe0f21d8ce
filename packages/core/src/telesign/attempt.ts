/**
 * Cancellation primitives of one Telesign call: what stopped it (the caller or the
 * deadline), the cancel handle of whatever is in progress (an HTTP attempt or a backoff
 * wait), and one attempt's interrupt that ends it at once even where undici does not act
 * on an abort yet.
 */
import { EventEmitter } from 'node:events';
import { ignore } from './read-body.js';

/** Why a call was stopped before it settled. */
export type StopReason = 'caller' | 'deadline';

/** Thrown inside an attempt when the call was stopped (caller abort or deadline). */
export const STOPPED = Symbol('stopped');

/** Rejection value of {@link AttemptState.interrupted}. */
export const INTERRUPTED = Symbol('interrupted');

/** The stop state of one call, shared by its attempts and backoff waits. */
export interface CallControl {
  /** Why the call was stopped, once it was. */
  stop: StopReason | undefined;
  /** Cancels what is in progress: the current HTTP attempt or backoff wait. */
  cancel: (() => void) | undefined;
}

/** Stops a call (first reason wins) and cancels what it is doing. */
export function stopCall(control: CallControl, why: StopReason): void {
  if (control.stop !== undefined) return;
  control.stop = why;
  const cancel = control.cancel;
  control.cancel = undefined;
  cancel?.();
}

/**
 * One attempt's cancellation handle. `emitter` is the `signal` given to undici (which
 * accepts an EventEmitter); `interrupted` rejects when the attempt is stopped, so that the
 * attempt ends at once even where undici does not act on the signal yet: a request queued
 * behind busy connections, or an injected dispatcher that ignores it.
 */
export interface AttemptState {
  readonly emitter: EventEmitter;
  readonly interrupted: Promise<never>;
  interrupt: () => void;
  timedOut: boolean;
}

/** A fresh attempt handle. */
export function createAttempt(): AttemptState {
  let reject: ((reason: unknown) => void) | undefined;
  const interrupted = new Promise<never>((_resolve, rej) => {
    reject = rej;
  });
  interrupted.catch(ignore);
  const attempt: AttemptState = {
    emitter: new EventEmitter(),
    interrupted,
    timedOut: false,
    interrupt: () => {
      attempt.emitter.emit('abort');
      reject?.(INTERRUPTED);
    },
  };
  return attempt;
}

/** Timer callback of the per-attempt timeout. */
export function timeOutAttempt(attempt: AttemptState): void {
  attempt.timedOut = true;
  attempt.interrupt();
}

/** Waits `ms` unless the call is stopped first; resolves `false` when it was. */
export function backoff(control: CallControl, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      control.cancel = undefined;
      resolve(true);
    }, ms);
    control.cancel = () => {
      clearTimeout(timer);
      resolve(false);
    };
  });
}
