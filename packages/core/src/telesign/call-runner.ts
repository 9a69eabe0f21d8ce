/**
 * The attempts of one Telesign call: one HTTP exchange after another, with a time limit
 * per attempt, jittered back-off that honours `Retry-After`, and the call's deadline and
 * caller abort (see attempt.ts), until an answer, a final failure, or a stop.
 */
import { performance } from 'node:perf_hooks';
import { TelesignError } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';
import { backoffDelay, type RetryPolicy } from '../resilience/retry.js';
import { backoff, createAttempt, STOPPED, timeOutAttempt } from './attempt.js';
import { TelesignAbortError, TelesignResponseError, TelesignTimeoutError } from './errors.js';
import {
  type ExchangeState,
  exchange,
  type TelesignLink,
  type TelesignRequest,
} from './exchange.js';
import { interpretReply, type ReplyContext, type TelesignReply } from './reply.js';

/** One call of a Telesign product: its request, and how to read the answer. */
export interface TelesignCall<T> extends TelesignRequest {
  /** The number, E.164; only ever shown masked. */
  readonly phone: string;
  /** The caller's abort signal. */
  readonly signal?: AbortSignal | undefined;
  /** How messages name the call. @default 'Telesign look-up' */
  readonly label?: string | undefined;
  /** Telesign error codes that are answers, not failures (Live's -60001). */
  readonly answerCodes?: ReadonlySet<number> | undefined;
  /**
   * Turns a successful reply into the product's value. May throw a `TelesignError`; a
   * retryable one is retried like a 5xx.
   */
  parse(reply: TelesignReply): T;
  /**
   * Whether `value` is an answer worth asking for again (Telesign said "temporarily
   * unavailable" inside an otherwise fine response). It is retried like a 5xx within the
   * attempts and the deadline; if no better answer comes, the call resolves with it.
   */
  retryAnswer?(value: T): boolean;
}

/** What every call of one transport shares. */
export interface CallRunner {
  readonly link: TelesignLink;
  readonly timeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly policy: RetryPolicy;
  /** Whether the transport was closed (no more retries then). */
  isClosed(): boolean;
}

function plural(n: number): string {
  return `${n} attempt${n === 1 ? '' : 's'}`;
}

/** The state of one call: its stop control, its attempts, and what messages need. */
export interface CallState<T> extends ExchangeState, ReplyContext {
  readonly call: TelesignCall<T>;
  readonly deadlineAt: number;
  attempts: number;
  lastError: TelesignError | undefined;
}

/** One HTTP exchange. Throws a TelesignError, or STOPPED when the call was stopped. */
async function attemptOnce<T>(ctx: CallRunner, state: CallState<T>): Promise<T> {
  if (state.stop !== undefined) throw STOPPED;
  const attempt = createAttempt();
  let timer: NodeJS.Timeout | undefined;
  if (ctx.attemptTimeoutMs < state.deadlineAt - performance.now()) {
    timer = setTimeout(timeOutAttempt, ctx.attemptTimeoutMs, attempt);
    timer.unref();
  }
  state.cancel = attempt.interrupt;
  try {
    const raw = await exchange(ctx.link, state, attempt);
    return state.call.parse(interpretReply(raw, state));
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    state.cancel = undefined;
  }
}

function stoppedError(ctx: CallRunner, state: CallState<unknown>): TelesignError {
  const masked = maskPhone(state.phone);
  if (state.stop === 'caller') {
    return new TelesignAbortError(
      `${state.label} for ${masked} was aborted by the caller (after ${plural(state.attempts)}).`,
      { cause: state.call.signal?.reason },
    );
  }
  const last = state.lastError === undefined ? '' : ` Last failure: ${state.lastError.code}.`;
  return new TelesignTimeoutError(
    'TELESIGN_TIMEOUT',
    `${state.label} for ${masked} did not finish within timeoutMs (${ctx.timeoutMs} ms; ${plural(state.attempts)}).${last}`,
    { retryable: true, cause: state.lastError },
  );
}

/**
 * The wait before the next attempt, or why there is none (a sentence to append to the
 * last error's message). `failure` is undefined after an answer worth retrying.
 */
function nextDelay(
  ctx: CallRunner,
  state: CallState<unknown>,
  failure: TelesignError | undefined,
): number | string {
  if (state.attempts >= ctx.policy.attempts || ctx.isClosed()) {
    return ` Gave up after ${plural(state.attempts)}.`;
  }
  const retryAfterMs = failure instanceof TelesignResponseError ? failure.retryAfterMs : undefined;
  const delay = retryAfterMs ?? backoffDelay(state.attempts, ctx.policy);
  if (delay < state.deadlineAt - performance.now()) return delay;
  return retryAfterMs === undefined
    ? ` Not retried: no time left before timeoutMs (${ctx.timeoutMs} ms).`
    : ` Not retried: Retry-After (${Math.ceil(retryAfterMs / 1000)} s) ends after the timeoutMs deadline (${ctx.timeoutMs} ms).`;
}

/** After a stop: the kept answer when the deadline passed, else the stop's error. */
function settleStopped<T>(ctx: CallRunner, state: CallState<T>, kept: { value: T } | undefined): T {
  if (kept !== undefined && state.stop === 'deadline') return kept.value;
  throw stoppedError(ctx, state);
}

/** Attempts until one succeeds, a failure is final, or the call is stopped. */
export async function runCall<T>(ctx: CallRunner, state: CallState<T>): Promise<T> {
  // An answer worth retrying: the call never ends worse than this (unless aborted).
  let kept: { value: T } | undefined;
  for (;;) {
    state.attempts++;
    let failure: TelesignError | undefined;
    try {
      const value = await attemptOnce(ctx, state);
      if (state.call.retryAnswer === undefined || !state.call.retryAnswer(value)) return value;
      kept = { value };
    } catch (err) {
      if (state.stop !== undefined || err === STOPPED) return settleStopped(ctx, state, kept);
      if (!(err instanceof TelesignError)) throw err;
      state.lastError = failure = err;
      if (!err.retryable) {
        if (kept !== undefined) return kept.value;
        throw err;
      }
    }
    const delay = nextDelay(ctx, state, failure);
    if (typeof delay === 'string') {
      if (kept !== undefined) return kept.value;
      (failure as TelesignError).message += delay;
      throw failure;
    }
    if (!(await backoff(state, delay))) return settleStopped(ctx, state, kept);
  }
}
