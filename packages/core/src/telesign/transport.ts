/**
 * The Telesign transport every product shares: signed requests over a keep-alive undici
 * pool, one deadline per call (retries included), a time limit per attempt, real
 * cancellation, bounded retries with jittered backoff that honour `Retry-After`, a capped
 * body, Telesign's envelope and typed errors. A product only says what to send and how to
 * read the answer (see phoneid-live.ts, phoneid-addons.ts).
 */
import { performance } from 'node:perf_hooks';
import { type Dispatcher, Pool } from 'undici';
import { TelesignError } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';
import { backoffDelay, type RetryPolicy } from '../resilience/retry.js';
import { backoff, createAttempt, STOPPED, stopCall, timeOutAttempt } from './attempt.js';
import { TelesignAbortError, TelesignResponseError, TelesignTimeoutError } from './errors.js';
import {
  type ExchangeState,
  exchange,
  type TelesignLink,
  type TelesignRequest,
} from './exchange.js';
import { interpretReply, type ReplyContext, type TelesignReply } from './reply.js';
import { createTelesignSigner, type TelesignCredentials } from './signing.js';
import { createSecretScrubber } from './upstream-text.js';

export type { TelesignRequest } from './exchange.js';
export type { TelesignReply } from './reply.js';

/** What the transport needs, already validated (see client-options.ts). */
export interface TransportSettings {
  readonly credentials: Readonly<TelesignCredentials>;
  /** `https://rest-ww.telesign.com`. */
  readonly origin: string;
  /** A path prefix of the base URL (kept in the URL, not signed), or `''`. */
  readonly pathPrefix: string;
  readonly timeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly retry: RetryPolicy;
  /** An injected dispatcher (never closed here), or `undefined` for a pool of our own. */
  readonly dispatcher: Dispatcher | undefined;
  readonly connections: number;
  readonly maxResponseBytes: number;
  readonly userAgent: string;
  readonly now: () => number;
}

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

/** Sends calls; one per client, shared by every product. */
export interface TelesignTransport {
  /**
   * Makes the call: attempts within one deadline. Rejects with a `TelesignError`
   * (`TELESIGN_ABORTED` at once for an aborted signal, `TELESIGN_CLIENT_CLOSED` after
   * `close()`, both before any I/O).
   */
  send<T>(call: TelesignCall<T>): Promise<T>;
  /** Refuses new calls, lets in-flight ones finish, closes the own pool. Idempotent. */
  close(): Promise<void>;
  /** Whether `close()` was called. */
  readonly closed: boolean;
}

function plural(n: number): string {
  return `${n} attempt${n === 1 ? '' : 's'}`;
}

/** The state of one call: its stop control, its attempts, and what messages need. */
interface CallState<T> extends ExchangeState, ReplyContext {
  readonly call: TelesignCall<T>;
  readonly deadlineAt: number;
  attempts: number;
  lastError: TelesignError | undefined;
}

/** Creates the transport; from here on the API key lives only in the signer's closure. */
export function createTelesignTransport({
  credentials,
  ...settings
}: TransportSettings): TelesignTransport {
  const { origin, now, retry: policy } = settings;
  const ownPool =
    settings.dispatcher === undefined
      ? new Pool(origin, { connections: settings.connections })
      : undefined;
  const host = new URL(origin).host;
  const scrubSecrets = createSecretScrubber(credentials.customerId, credentials.apiKey);
  const link: TelesignLink = {
    sign: createTelesignSigner(credentials),
    dispatcher: settings.dispatcher ?? (ownPool as Pool),
    origin,
    pathPrefix: settings.pathPrefix,
    host,
    userAgent: settings.userAgent,
    maxResponseBytes: settings.maxResponseBytes,
    attemptTimeoutMs: settings.attemptTimeoutMs,
  };

  let closed = false;
  let closing: Promise<void> | undefined;
  let active = 0;
  let onIdle: (() => void) | undefined;

  /** One HTTP exchange. Throws a TelesignError, or STOPPED when the call was stopped. */
  async function attemptOnce<T>(state: CallState<T>): Promise<T> {
    if (state.stop !== undefined) throw STOPPED;
    const attempt = createAttempt();
    let timer: NodeJS.Timeout | undefined;
    if (settings.attemptTimeoutMs < state.deadlineAt - performance.now()) {
      timer = setTimeout(timeOutAttempt, settings.attemptTimeoutMs, attempt);
      timer.unref();
    }
    state.cancel = attempt.interrupt;
    try {
      const raw = await exchange(link, state, attempt);
      return state.call.parse(interpretReply(raw, state));
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      state.cancel = undefined;
    }
  }

  function stoppedError(state: CallState<unknown>): TelesignError {
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
      `${state.label} for ${masked} did not finish within timeoutMs (${settings.timeoutMs} ms; ${plural(state.attempts)}).${last}`,
      { retryable: true, cause: state.lastError },
    );
  }

  /**
   * The wait before the next attempt, or why there is none (a sentence to append to the
   * last error's message). `failure` is undefined after an answer worth retrying.
   */
  function nextDelay(
    state: CallState<unknown>,
    failure: TelesignError | undefined,
  ): number | string {
    if (state.attempts >= policy.attempts || closed) {
      return ` Gave up after ${plural(state.attempts)}.`;
    }
    const retryAfterMs =
      failure instanceof TelesignResponseError ? failure.retryAfterMs : undefined;
    const delay = retryAfterMs ?? backoffDelay(state.attempts, policy);
    if (delay < state.deadlineAt - performance.now()) return delay;
    return retryAfterMs === undefined
      ? ` Not retried: no time left before timeoutMs (${settings.timeoutMs} ms).`
      : ` Not retried: Retry-After (${Math.ceil(retryAfterMs / 1000)} s) ends after the timeoutMs deadline (${settings.timeoutMs} ms).`;
  }

  /** After a stop: the kept answer when the deadline passed, else the stop's error. */
  function settleStopped<T>(state: CallState<T>, kept: { value: T } | undefined): T {
    if (kept !== undefined && state.stop === 'deadline') return kept.value;
    throw stoppedError(state);
  }

  /** Attempts until one succeeds, a failure is final, or the call is stopped. */
  async function run<T>(state: CallState<T>): Promise<T> {
    // An answer worth retrying: the call never ends worse than this (unless aborted).
    let kept: { value: T } | undefined;
    for (;;) {
      state.attempts++;
      let failure: TelesignError | undefined;
      try {
        const value = await attemptOnce(state);
        if (state.call.retryAnswer === undefined || !state.call.retryAnswer(value)) return value;
        kept = { value };
      } catch (err) {
        if (state.stop !== undefined || err === STOPPED) return settleStopped(state, kept);
        if (!(err instanceof TelesignError)) throw err;
        state.lastError = failure = err;
        if (!err.retryable) {
          if (kept !== undefined) return kept.value;
          throw err;
        }
      }
      const delay = nextDelay(state, failure);
      if (typeof delay === 'string') {
        if (kept !== undefined) return kept.value;
        (failure as TelesignError).message += delay;
        throw failure;
      }
      if (!(await backoff(state, delay))) return settleStopped(state, kept);
    }
  }

  async function send<T>(call: TelesignCall<T>): Promise<T> {
    const { signal } = call;
    const label = call.label ?? 'Telesign look-up';
    if (signal?.aborted) {
      throw new TelesignAbortError(
        `${label} for ${maskPhone(call.phone)} was aborted by the caller.`,
        {
          cause: signal.reason,
        },
      );
    }
    if (closed) throw new TelesignError('TELESIGN_CLIENT_CLOSED', 'The Telesign client is closed.');

    active++;
    const state: CallState<T> = {
      call,
      request: call,
      label,
      phone: call.phone,
      host,
      answerCodes: call.answerCodes,
      now,
      scrubSecrets,
      deadlineAt: performance.now() + settings.timeoutMs,
      attempts: 0,
      lastError: undefined,
      stop: undefined,
      cancel: undefined,
    };
    const deadline = setTimeout(stopCall, settings.timeoutMs, state, 'deadline');
    deadline.unref();
    const onCallerAbort = signal === undefined ? undefined : (): void => stopCall(state, 'caller');
    if (onCallerAbort !== undefined)
      signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      return await run(state);
    } finally {
      clearTimeout(deadline);
      if (onCallerAbort !== undefined) signal?.removeEventListener('abort', onCallerAbort);
      active--;
      if (active === 0 && onIdle !== undefined) onIdle();
    }
  }

  return {
    send,
    get closed() {
      return closed;
    },
    close(): Promise<void> {
      if (closing === undefined) {
        closed = true;
        closing = (async () => {
          if (active > 0) {
            await new Promise<void>((resolve) => {
              onIdle = resolve;
            });
          }
          if (ownPool !== undefined) await ownPool.close();
        })();
      }
      return closing;
    },
  };
}
