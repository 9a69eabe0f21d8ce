/**
 * The Telesign Phone ID Live client: signed requests over a keep-alive undici pool,
 * a deadline per look-up, per-attempt timeouts, real cancellation, bounded retries and
 * typed errors.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { type Dispatcher, Pool } from 'undici';
import { PhoneGuardOptionError, TelesignError } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';
import {
  type LiveStatus,
  type LiveStatusProvider,
  type LookupOptions,
  type TelesignApiError,
  USE_CASES,
  type UseCase,
} from '../model/types.js';
import {
  backoffDelay,
  parseRetryAfter,
  type RetryOptions,
  resolveRetryPolicy,
} from '../resilience/retry.js';
import {
  isDocumentedTelesignErrorCode,
  sanitizeTransportError,
  TelesignAbortError,
  TelesignBadResponseError,
  TelesignNetworkError,
  TelesignResponseError,
  TelesignTimeoutError,
  telesignErrorFromResponse,
} from './errors.js';
import {
  LIVE_DATA_NOT_FOUND,
  parseLiveStatus,
  readTelesignEnvelope,
  type TelesignEnvelope,
} from './parse-live-status.js';
import {
  createTelesignSigner,
  describeInvalidTelesignApiKey,
  hasControlCharacter,
  type TelesignAuthMethod,
  type TelesignCredentials,
} from './signing.js';

/** The documented base URL of Phone ID Live (full-service accounts). */
export const DEFAULT_TELESIGN_BASE_URL = 'https://rest-ww.telesign.com';

/** Options of {@link createTelesignClient}. */
export interface TelesignClientOptions {
  /** Your Telesign customer id. Required. */
  customerId: string;
  /**
   * Your Telesign API key (base64, as Telesign shows it). Required. Kept in a closure:
   * it never appears in `util.inspect`, JSON, error messages or error causes.
   */
  apiKey: string;
  /**
   * `'digest'` signs every request (TSA HMAC-SHA256; the key never leaves the process);
   * `'basic'` sends the key in an HTTP Basic header.
   * @default 'digest'
   */
  authMethod?: TelesignAuthMethod | undefined;
  /**
   * Where Telesign is: an `http:` or `https:` URL, optionally with a path prefix; a
   * trailing slash is ignored. Point it at `@phone-guard/sandbox` in tests.
   * @default 'https://rest-ww.telesign.com'
   */
  baseUrl?: string | undefined;
  /**
   * Deadline of one whole `getLiveStatus()` call in milliseconds, retries and backoff
   * included. When it passes, the in-flight request is cancelled and the call rejects
   * with `TELESIGN_TIMEOUT`.
   * @default 5000
   */
  timeoutMs?: number | undefined;
  /**
   * Time limit of one attempt (connect, headers and body) in milliseconds. A timed-out
   * attempt is cancelled and, if attempts and time remain, retried
   * (`TELESIGN_ATTEMPT_TIMEOUT`). Values ≥ `timeoutMs` mean "only the deadline".
   * @default 2500
   */
  attemptTimeoutMs?: number | undefined;
  /**
   * Retry policy for retryable failures, or `false` to make one attempt only.
   * @default { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, random: Math.random }
   */
  retry?: RetryOptions | false | undefined;
  /**
   * An undici `Dispatcher` (Agent, Pool, MockAgent …) to send requests through. The
   * client does not close it. Without it the client owns a keep-alive `Pool` for
   * `baseUrl`'s origin, closed by `close()`. The global dispatcher is never used.
   * @default undefined (a Pool of its own)
   */
  dispatcher?: Dispatcher | undefined;
  /**
   * The Content-Type sent with each GET, and signed (the two are always the same).
   * The default is what every official Telesign SDK signs for GET (an empty value);
   * use `'application/x-www-form-urlencoded'` to send the value the product page lists.
   * @default ''
   */
  contentType?: string | undefined;
  /**
   * Largest response body read, in bytes; reading stops and the call fails with
   * `TELESIGN_RESPONSE_TOO_LARGE` past it.
   * @default 262144 (256 KiB)
   */
  maxResponseBytes?: number | undefined;
  /**
   * Use case (`ucid`) sent when a look-up does not name one.
   * @default 'OTHR'
   */
  useCase?: UseCase | undefined;
  /**
   * Maximum sockets of the client's own keep-alive pool. Not allowed together with
   * `dispatcher` (size that one yourself).
   * @default 64
   */
  connections?: number | undefined;
  /**
   * `User-Agent` header value.
   * @default '@phone-guard/core'
   */
  userAgent?: string | undefined;
  /**
   * Clock for `checkedAt` and `Retry-After` dates, in milliseconds since the epoch.
   * @default Date.now
   */
  now?: (() => number) | undefined;
}

/** A Telesign Phone ID Live client. */
export interface TelesignClient extends LiveStatusProvider {
  /**
   * Looks up one number (E.164 such as `+14155552671`, or its digits `14155552671`).
   * Resolves with a {@link LiveStatus} (UNKNOWN fields for -60001); rejects with a
   * `TelesignError` whose `code` says what went wrong.
   */
  getLiveStatus(phone: string, options?: LookupOptions): Promise<LiveStatus>;
  /**
   * Refuses new look-ups, lets in-flight ones finish (each is bounded by `timeoutMs`),
   * then closes the client's own pool. Idempotent. An injected `dispatcher` stays open.
   */
  close(): Promise<void>;
}

const OPTION_KEYS: ReadonlySet<string> = new Set([
  'customerId',
  'apiKey',
  'authMethod',
  'baseUrl',
  'timeoutMs',
  'attemptTimeoutMs',
  'retry',
  'dispatcher',
  'contentType',
  'maxResponseBytes',
  'useCase',
  'connections',
  'userAgent',
  'now',
]);
const LOOKUP_KEYS: ReadonlySet<string> = new Set(['useCase', 'signal']);
const MAX_TIMER_MS = 2_147_483_647;
const PHONE_PATTERN = /^\+?([1-9]\d{5,14})$/;
const USE_CASE_SET: ReadonlySet<string> = new Set(USE_CASES);
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

function requiredText(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new PhoneGuardOptionError(name, 'is required and must be a non-empty string.');
  }
  return value;
}

function positiveMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new PhoneGuardOptionError(
      name,
      `must be a finite number of milliseconds > 0 and ≤ ${MAX_TIMER_MS}.`,
    );
  }
  return value;
}

interface ResolvedOptions {
  credentials: Readonly<TelesignCredentials>;
  origin: string;
  pathPrefix: string;
  displayBaseUrl: string;
  timeoutMs: number;
  attemptTimeoutMs: number;
  retry: ReturnType<typeof resolveRetryPolicy>;
  dispatcher: Dispatcher | undefined;
  contentType: string;
  maxResponseBytes: number;
  useCase: UseCase;
  connections: number;
  userAgent: string;
  now: () => number;
}

function resolveOptions(options: TelesignClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PhoneGuardOptionError('options', 'must be an object with customerId and apiKey.');
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new PhoneGuardOptionError(key, 'is not a known option.');
  }
  const customerId = requiredText('customerId', options.customerId);
  if (hasControlCharacter(customerId) || customerId.includes(':') || /\s/.test(customerId)) {
    throw new PhoneGuardOptionError(
      'customerId',
      'must not contain spaces, ":" or control characters.',
    );
  }
  const apiKey = requiredText('apiKey', options.apiKey);
  const keyProblem = describeInvalidTelesignApiKey(apiKey);
  if (keyProblem !== undefined) {
    // Never echo the key: say what is wrong with it.
    throw new PhoneGuardOptionError(
      'apiKey',
      `is not a Telesign API key: after dropping characters outside A–Z a–z 0–9 + / =, it ${keyProblem}.`,
    );
  }
  const authMethod = options.authMethod ?? 'digest';
  if (authMethod !== 'digest' && authMethod !== 'basic') {
    throw new PhoneGuardOptionError('authMethod', 'must be "digest" or "basic".');
  }

  const rawBase = options.baseUrl ?? DEFAULT_TELESIGN_BASE_URL;
  if (typeof rawBase !== 'string') throw new PhoneGuardOptionError('baseUrl', 'must be a string.');
  let url: URL;
  try {
    url = new URL(rawBase);
  } catch {
    throw new PhoneGuardOptionError('baseUrl', 'must be an absolute http(s) URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PhoneGuardOptionError('baseUrl', `must use http: or https:, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new PhoneGuardOptionError('baseUrl', 'must not contain credentials.');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new PhoneGuardOptionError('baseUrl', 'must not contain a query string or fragment.');
  }
  const pathPrefix = url.pathname.replace(/\/+$/, '');

  const timeoutMs = positiveMs('timeoutMs', options.timeoutMs, 5000);
  const attemptTimeoutMs = positiveMs('attemptTimeoutMs', options.attemptTimeoutMs, 2500);
  const retry = resolveRetryPolicy(options.retry);

  const dispatcher = options.dispatcher;
  if (
    dispatcher !== undefined &&
    (typeof dispatcher !== 'object' ||
      dispatcher === null ||
      typeof (dispatcher as { dispatch?: unknown }).dispatch !== 'function')
  ) {
    throw new PhoneGuardOptionError(
      'dispatcher',
      'must be an undici Dispatcher (Agent, Pool, MockAgent …).',
    );
  }
  if (dispatcher !== undefined && options.connections !== undefined) {
    throw new PhoneGuardOptionError(
      'connections',
      'cannot be combined with dispatcher; size the dispatcher itself.',
    );
  }
  const connections = options.connections ?? 64;
  if (!Number.isInteger(connections) || connections < 1 || connections > 10_000) {
    throw new PhoneGuardOptionError('connections', 'must be an integer from 1 to 10000.');
  }

  const contentType = options.contentType ?? '';
  if (typeof contentType !== 'string' || hasControlCharacter(contentType)) {
    throw new PhoneGuardOptionError('contentType', 'must be a string without control characters.');
  }
  const maxResponseBytes = options.maxResponseBytes ?? 256 * 1024;
  if (
    !Number.isInteger(maxResponseBytes) ||
    maxResponseBytes < 1024 ||
    maxResponseBytes > 2 ** 30
  ) {
    throw new PhoneGuardOptionError('maxResponseBytes', 'must be an integer from 1024 to 2^30.');
  }
  const useCase = options.useCase ?? 'OTHR';
  if (!USE_CASE_SET.has(useCase)) {
    throw new PhoneGuardOptionError('useCase', `must be one of ${USE_CASES.join(', ')}.`);
  }
  const userAgent = options.userAgent ?? '@phone-guard/core';
  if (typeof userAgent !== 'string' || userAgent.length === 0 || hasControlCharacter(userAgent)) {
    throw new PhoneGuardOptionError(
      'userAgent',
      'must be a non-empty string without control characters.',
    );
  }
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new PhoneGuardOptionError('now', 'must be a function.');

  return {
    credentials: Object.freeze({ customerId, apiKey, authMethod }),
    origin: url.origin,
    pathPrefix,
    displayBaseUrl: `${url.origin}${pathPrefix}`,
    timeoutMs,
    attemptTimeoutMs,
    retry,
    dispatcher,
    contentType,
    maxResponseBytes,
    useCase,
    connections,
    userAgent,
    now,
  };
}

/** Thrown inside an attempt when the look-up was stopped (caller abort or deadline). */
const STOPPED = Symbol('stopped');

const NON_RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'ENOTFOUND',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function errorCodeOf(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return 'UNKNOWN';
}

function contentLengthOf(
  headers: Record<string, string | string[] | undefined>,
): number | undefined {
  const raw = headers['content-length'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

function plural(n: number): string {
  return `${n} attempt${n === 1 ? '' : 's'}`;
}

/** The state of one look-up, shared by its attempts and backoff waits. */
interface CallState {
  /** Why the look-up was stopped, once it was. */
  stop: 'caller' | 'deadline' | undefined;
  /** Cancels what is in progress: the current HTTP attempt or backoff wait. */
  cancel: (() => void) | undefined;
}

function stopCall(state: CallState, why: 'caller' | 'deadline'): void {
  if (state.stop !== undefined) return;
  state.stop = why;
  const cancel = state.cancel;
  state.cancel = undefined;
  cancel?.();
}

/**
 * One attempt's cancellation handle. `emitter` is the `signal` given to undici (which
 * accepts an EventEmitter); `interrupted` rejects when the attempt is stopped, so that the
 * attempt ends at once even where undici does not act on the signal yet: a request queued
 * behind busy connections, or an injected dispatcher that ignores it.
 */
interface AttemptState {
  readonly emitter: EventEmitter;
  readonly interrupted: Promise<never>;
  interrupt: () => void;
  timedOut: boolean;
}

/** Rejection value of {@link AttemptState.interrupted}. */
const INTERRUPTED = Symbol('interrupted');

function createAttempt(): AttemptState {
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

function timeOutAttempt(attempt: AttemptState): void {
  attempt.timedOut = true;
  attempt.interrupt();
}

/** Waits `ms` unless the look-up is stopped first; resolves `false` when it was. */
function backoff(state: CallState, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      state.cancel = undefined;
      resolve(true);
    }, ms);
    state.cancel = () => {
      clearTimeout(timer);
      resolve(false);
    };
  });
}

function ignore(): void {}

/**
 * Stops reading a body and frees its connection. undici reports a destroyed, unfinished
 * body as an 'error' (RequestAbortedError): swallow it, nobody is reading any more.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', ignore);
  body.destroy();
}

/** Reads a body into memory, failing (and destroying the stream) past `cap` bytes. */
function readBody(body: Dispatcher.ResponseData['body'], cap: number): Promise<Buffer> {
  // A late 'error' (an abort racing the end of the read) must never go unhandled.
  body.on('error', ignore);
  return new Promise<Buffer>((resolve, reject) => {
    if (body.destroyed) {
      reject(body.errored ?? new Error('the response body was destroyed before it was read'));
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = (): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > cap) {
        cleanup();
        discard(body);
        reject(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    // Destroyed without an error (e.g. an abort racing the read).
    const onClose = (): void => {
      cleanup();
      reject(new Error('the response body closed before its end'));
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
  });
}

const TOO_LARGE = Symbol('too large');

/**
 * Creates a Telesign Phone ID Live client. Options are validated here, once
 * (`PhoneGuardOptionError` for unknown keys and impossible values).
 *
 * @example
 * ```ts
 * import { createTelesignClient } from '@phone-guard/core';
 *
 * const telesign = createTelesignClient({
 *   customerId: process.env.TELESIGN_CUSTOMER_ID!,
 *   apiKey: process.env.TELESIGN_API_KEY!,
 * });
 * const status = await telesign.getLiveStatus('+14155552671', { useCase: 'BACS' });
 * if (status.subscriberStatus === 'DISCONNECTED') { … }
 * await telesign.close();
 * ```
 */
export function createTelesignClient(options: TelesignClientOptions): TelesignClient {
  const { credentials, ...config } = resolveOptions(options);
  const { retry: policy, now } = config;
  const authMethod = credentials.authMethod;
  // From here on the key lives only inside the signer's closure.
  const sign = createTelesignSigner(credentials);
  const ownPool =
    config.dispatcher === undefined
      ? new Pool(config.origin, { connections: config.connections })
      : undefined;
  const dispatcher: Dispatcher = config.dispatcher ?? (ownPool as Pool);
  const host = new URL(config.origin).host;
  const { origin, pathPrefix, contentType, userAgent, maxResponseBytes } = config;

  let closed = false;
  let closing: Promise<void> | undefined;
  let active = 0;
  let onIdle: (() => void) | undefined;

  /** One HTTP exchange. Throws a TelesignError, or STOPPED when the look-up was stopped. */
  async function attemptOnce(
    state: CallState,
    e164: string,
    digits: string,
    useCase: UseCase,
    deadlineAt: number,
  ): Promise<LiveStatus> {
    if (state.stop !== undefined) throw STOPPED;
    const attempt = createAttempt();
    let timer: NodeJS.Timeout | undefined;
    if (config.attemptTimeoutMs < deadlineAt - performance.now()) {
      timer = setTimeout(timeOutAttempt, config.attemptTimeoutMs, attempt);
      timer.unref();
    }
    state.cancel = attempt.interrupt;

    try {
      const resource = `/v1/phoneid/live/${digits}`;
      const headers: Record<string, string> = { ...sign({ method: 'GET', resource, contentType }) };
      headers['accept'] = 'application/json';
      headers['user-agent'] = userAgent;
      let response: Dispatcher.ResponseData;
      const pending = dispatcher.request({
        origin,
        path: `${pathPrefix}${resource}?ucid=${useCase}`,
        method: 'GET',
        headers,
        signal: attempt.emitter,
      });
      try {
        response = await Promise.race([pending, attempt.interrupted]);
      } catch (err) {
        // Interrupted before undici answered: whatever arrives later is thrown away and
        // its connection freed.
        if (err === INTERRUPTED) pending.then((late) => discard(late.body), ignore);
        throw failed(
          err,
          state,
          attempt,
          e164,
          (code, safe) =>
            new TelesignNetworkError(
              `Telesign look-up for ${maskPhone(e164)}: network error (${code}) talking to ${host}.`,
              { retryable: !NON_RETRYABLE_NETWORK_CODES.has(code), cause: safe },
            ),
        );
      }

      const status = response.statusCode;
      let body: Buffer | undefined;
      let readError: TelesignError | undefined;
      const declared = contentLengthOf(response.headers);
      try {
        if (declared !== undefined && declared > maxResponseBytes) {
          discard(response.body);
          throw TOO_LARGE;
        }
        body = await Promise.race([readBody(response.body, maxResponseBytes), attempt.interrupted]);
      } catch (err) {
        if (err === INTERRUPTED) discard(response.body);
        if (err === TOO_LARGE) {
          readError = new TelesignBadResponseError(
            'TELESIGN_RESPONSE_TOO_LARGE',
            `Telesign look-up for ${maskPhone(e164)}: the response from ${host} exceeds maxResponseBytes (${maxResponseBytes} bytes); reading stopped.`,
            { httpStatus: status },
          );
        } else {
          readError = failed(
            err,
            state,
            attempt,
            e164,
            (code, safe) =>
              new TelesignBadResponseError(
                'TELESIGN_TRUNCATED_RESPONSE',
                `Telesign look-up for ${maskPhone(e164)}: the connection to ${host} broke while the response (HTTP ${status}) was being read (${code}).`,
                { httpStatus: status, retryable: true, cause: safe },
              ),
          );
        }
      }

      let json: unknown;
      let jsonOk = false;
      if (body !== undefined) {
        try {
          json = JSON.parse(body.toString('utf8'));
          jsonOk = true;
        } catch {
          jsonOk = false;
        }
      }
      const envelope: TelesignEnvelope | undefined = jsonOk
        ? readTelesignEnvelope(json)
        : undefined;
      let documented: TelesignApiError | undefined;
      let notFound = false;
      if (envelope !== undefined) {
        for (const e of envelope.errors) {
          if (e.code === LIVE_DATA_NOT_FOUND) notFound = true;
          else if (documented === undefined && isDocumentedTelesignErrorCode(e.code))
            documented = e;
        }
      }

      if (status >= 200 && status < 300) {
        if (readError !== undefined) throw readError;
        if (!jsonOk) {
          throw new TelesignBadResponseError(
            'TELESIGN_MALFORMED_RESPONSE',
            `Telesign look-up for ${maskPhone(e164)}: ${host} answered HTTP ${status} with a body that is not JSON.`,
            { httpStatus: status },
          );
        }
        if (envelope === undefined) {
          throw new TelesignBadResponseError(
            'TELESIGN_NO_ENVELOPE',
            `Telesign look-up for ${maskPhone(e164)}: ${host} answered HTTP ${status} with JSON that is not a Telesign response (no "status" or "errors"); check the baseUrl.`,
            { httpStatus: status },
          );
        }
        if (documented === undefined || notFound) {
          return parseLiveStatus(json, { phone: e164, checkedAt: now() });
        }
      } else if (notFound && documented === undefined && status < 500) {
        return parseLiveStatus(json, { phone: e164, checkedAt: now() });
      }

      const first = documented ?? envelope?.errors[0];
      throw telesignErrorFromResponse({
        httpStatus: status,
        telesignCode: first?.code,
        telesignDescription: first?.description || undefined,
        referenceId: envelope?.referenceId ?? undefined,
        retryAfterMs: parseRetryAfter(response.headers['retry-after'], now()),
        maskedPhone: maskPhone(e164),
        cause: readError,
      });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      state.cancel = undefined;
    }
  }

  /** Classifies a transport failure: stopped look-up, attempt timeout, or `otherwise`. */
  function failed(
    err: unknown,
    state: CallState,
    attempt: AttemptState,
    e164: string,
    otherwise: (code: string, safeCause: Error | undefined) => TelesignError,
  ): TelesignError {
    if (state.stop !== undefined) throw STOPPED;
    // Transport errors are third-party text: keep a copy without headers or full numbers.
    const safe = sanitizeTransportError(err);
    if (attempt.timedOut) {
      return new TelesignTimeoutError(
        'TELESIGN_ATTEMPT_TIMEOUT',
        `Telesign look-up for ${maskPhone(e164)}: no complete answer from ${host} within attemptTimeoutMs (${config.attemptTimeoutMs} ms).`,
        { retryable: true, cause: safe },
      );
    }
    return otherwise(errorCodeOf(err), safe);
  }

  async function lookup(
    phone: unknown,
    lookupOptions: LookupOptions | undefined,
  ): Promise<LiveStatus> {
    // --- input checks: no I/O before these pass ---
    let useCase: unknown = config.useCase;
    let signal: AbortSignal | undefined;
    if (lookupOptions !== undefined) {
      if (typeof lookupOptions !== 'object' || lookupOptions === null) {
        throw new PhoneGuardOptionError('getLiveStatus options', 'must be an object.');
      }
      for (const key in lookupOptions) {
        if (!LOOKUP_KEYS.has(key)) {
          throw new PhoneGuardOptionError(
            key,
            'is not a known getLiveStatus option (useCase, signal).',
          );
        }
      }
      if (lookupOptions.useCase !== undefined) useCase = lookupOptions.useCase;
      signal = lookupOptions.signal;
      if (
        signal !== undefined &&
        (typeof signal !== 'object' ||
          signal === null ||
          typeof signal.addEventListener !== 'function')
      ) {
        throw new PhoneGuardOptionError('signal', 'must be an AbortSignal.');
      }
    }
    const match = typeof phone === 'string' ? PHONE_PATTERN.exec(phone) : null;
    if (match === null || match[1] === undefined) {
      const shown = typeof phone === 'string' ? `"${maskPhone(phone)}"` : `a ${typeof phone}`;
      throw new TelesignError(
        'TELESIGN_INVALID_PHONE',
        `Telesign look-up refused: ${shown} is not an E.164 number (+ and 6–15 digits, or the digits alone); normalize it first.`,
      );
    }
    const digits = match[1];
    const e164 = `+${digits}`;
    if (typeof useCase !== 'string' || !USE_CASE_SET.has(useCase)) {
      throw new TelesignError(
        'TELESIGN_INVALID_USE_CASE',
        `Telesign look-up refused: use case must be one of ${USE_CASES.join(', ')}.`,
      );
    }
    if (signal?.aborted) {
      throw new TelesignAbortError(
        `Telesign look-up for ${maskPhone(e164)} was aborted by the caller.`,
        {
          cause: signal.reason,
        },
      );
    }
    if (closed) {
      throw new TelesignError('TELESIGN_CLIENT_CLOSED', 'The Telesign client is closed.');
    }

    // --- the look-up: attempts within one deadline ---
    active++;
    const deadlineAt = performance.now() + config.timeoutMs;
    const state: CallState = { stop: undefined, cancel: undefined };
    const deadline = setTimeout(stopCall, config.timeoutMs, state, 'deadline');
    deadline.unref();
    const onCallerAbort = signal === undefined ? undefined : (): void => stopCall(state, 'caller');
    if (onCallerAbort !== undefined)
      signal?.addEventListener('abort', onCallerAbort, { once: true });

    let attempts = 0;
    let lastError: TelesignError | undefined;
    const stoppedError = (): TelesignError => {
      if (state.stop === 'caller') {
        return new TelesignAbortError(
          `Telesign look-up for ${maskPhone(e164)} was aborted by the caller (after ${plural(attempts)}).`,
          { cause: signal?.reason },
        );
      }
      const last = lastError === undefined ? '' : ` Last failure: ${lastError.code}.`;
      return new TelesignTimeoutError(
        'TELESIGN_TIMEOUT',
        `Telesign look-up for ${maskPhone(e164)} did not finish within timeoutMs (${config.timeoutMs} ms; ${plural(attempts)}).${last}`,
        { retryable: true, cause: lastError },
      );
    };

    try {
      for (;;) {
        attempts++;
        try {
          return await attemptOnce(state, e164, digits, useCase as UseCase, deadlineAt);
        } catch (err) {
          if (state.stop !== undefined || err === STOPPED) throw stoppedError();
          if (!(err instanceof TelesignError)) throw err;
          lastError = err;
          if (!err.retryable) throw err;
          if (attempts >= policy.attempts || closed) {
            err.message += ` Gave up after ${plural(attempts)}.`;
            throw err;
          }
          const retryAfterMs = err instanceof TelesignResponseError ? err.retryAfterMs : undefined;
          const delay = retryAfterMs ?? backoffDelay(attempts, policy);
          if (delay >= deadlineAt - performance.now()) {
            err.message +=
              retryAfterMs === undefined
                ? ` Not retried: no time left before timeoutMs (${config.timeoutMs} ms).`
                : ` Not retried: Retry-After (${Math.ceil(retryAfterMs / 1000)} s) ends after the timeoutMs deadline (${config.timeoutMs} ms).`;
            throw err;
          }
          if (!(await backoff(state, delay))) throw stoppedError();
        }
      }
    } finally {
      clearTimeout(deadline);
      if (onCallerAbort !== undefined) signal?.removeEventListener('abort', onCallerAbort);
      active--;
      if (active === 0 && onIdle !== undefined) onIdle();
    }
  }

  const client: TelesignClient = {
    getLiveStatus(phone: string, lookupOptions?: LookupOptions): Promise<LiveStatus> {
      return lookup(phone, lookupOptions);
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
  Object.defineProperty(client, INSPECT, {
    value: () =>
      `TelesignClient { baseUrl: '${config.displayBaseUrl}', authMethod: '${authMethod}', closed: ${closed} }`,
  });
  Object.defineProperty(client, 'toJSON', {
    value: () => ({ baseUrl: config.displayBaseUrl, authMethod }),
  });
  return Object.freeze(client);
}
