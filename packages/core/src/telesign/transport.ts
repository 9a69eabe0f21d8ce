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
import type { RetryPolicy } from '../resilience/retry.js';
import { stopCall } from './attempt.js';
import { type CallRunner, type CallState, runCall, type TelesignCall } from './call-runner.js';
import { TelesignAbortError } from './errors.js';
import type { TelesignLink } from './exchange.js';
import { createTelesignSigner, type TelesignCredentials } from './signing.js';
import { createSecretScrubber } from './upstream-text.js';

export type { TelesignCall } from './call-runner.js';
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
  const runner: CallRunner = {
    link,
    timeoutMs: settings.timeoutMs,
    attemptTimeoutMs: settings.attemptTimeoutMs,
    policy,
    isClosed: () => closed,
  };
  let closing: Promise<void> | undefined;
  let active = 0;
  let onIdle: (() => void) | undefined;

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
      return await runCall(runner, state);
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
