/**
 * One HTTP exchange with Telesign: sign and send the request, then read the body within
 * its cap, turning every transport failure into a typed error (or `STOPPED` when the call
 * was stopped meanwhile). What the answer means is reply.ts's business.
 */
import type { Dispatcher } from 'undici';
import type { TelesignError } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';
import { type AttemptState, type CallControl, INTERRUPTED, STOPPED } from './attempt.js';
import {
  sanitizeTransportError,
  TelesignBadResponseError,
  TelesignNetworkError,
  TelesignTimeoutError,
} from './errors.js';
import { contentLengthOf, discard, ignore, readBody, TOO_LARGE } from './read-body.js';
import type { RawReply } from './reply.js';
import type { TelesignRequestToSign, TelesignSignedHeaders } from './signing.js';

/** The HTTP part of a call: what is sent and signed. */
export interface TelesignRequest {
  readonly method: 'GET' | 'POST';
  /** The resource path, signed: `/v1/phoneid/live/14155552671`. */
  readonly resource: string;
  /** The query string without `?` (`ucid=OTHR`), not signed; omit for none. */
  readonly query?: string | undefined;
  /** Sent and signed (always the same value). */
  readonly contentType: string;
  /** The body exactly as sent and signed; omit for none. */
  readonly body?: string | undefined;
}

/** The connection to Telesign, fixed for the client's life. */
export interface TelesignLink {
  readonly sign: (request: TelesignRequestToSign) => TelesignSignedHeaders;
  readonly dispatcher: Dispatcher;
  readonly origin: string;
  readonly pathPrefix: string;
  /** For messages. */
  readonly host: string;
  readonly userAgent: string;
  readonly maxResponseBytes: number;
  readonly attemptTimeoutMs: number;
}

/** The call an exchange belongs to. */
export interface ExchangeState extends CallControl {
  readonly request: TelesignRequest;
  /** How messages name the call. */
  readonly label: string;
  /** The number, E.164; only ever shown masked. */
  readonly phone: string;
}

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

function where(state: ExchangeState): string {
  return `${state.label} for ${maskPhone(state.phone)}`;
}

/** Classifies a transport failure: stopped call (throws STOPPED), attempt timeout, or `otherwise`. */
function failed(
  link: TelesignLink,
  err: unknown,
  state: ExchangeState,
  attempt: AttemptState,
  otherwise: (code: string, safeCause: Error | undefined) => TelesignError,
): TelesignError {
  if (state.stop !== undefined) throw STOPPED;
  // Transport errors are third-party text: keep a copy without headers or full numbers.
  const safe = sanitizeTransportError(err);
  if (attempt.timedOut) {
    return new TelesignTimeoutError(
      'TELESIGN_ATTEMPT_TIMEOUT',
      `${where(state)}: no complete answer from ${link.host} within attemptTimeoutMs (${link.attemptTimeoutMs} ms).`,
      { retryable: true, cause: safe },
    );
  }
  return otherwise(errorCodeOf(err), safe);
}

/** Sends the request of one attempt; resolves with the response headers. */
async function send(
  link: TelesignLink,
  state: ExchangeState,
  attempt: AttemptState,
): Promise<Dispatcher.ResponseData> {
  const { request } = state;
  const headers: Record<string, string> = {
    ...link.sign({
      method: request.method,
      resource: request.resource,
      contentType: request.contentType,
      body: request.body,
    }),
  };
  headers['accept'] = 'application/json';
  headers['user-agent'] = link.userAgent;
  const path = `${link.pathPrefix}${request.resource}`;
  const pending = link.dispatcher.request({
    origin: link.origin,
    path: request.query === undefined ? path : `${path}?${request.query}`,
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    signal: attempt.emitter,
  });
  try {
    return await Promise.race([pending, attempt.interrupted]);
  } catch (err) {
    // Interrupted before undici answered: whatever arrives later is thrown away and its
    // connection freed.
    if (err === INTERRUPTED) pending.then((late) => discard(late.body), ignore);
    throw failed(
      link,
      err,
      state,
      attempt,
      (code, safe) =>
        new TelesignNetworkError(
          `${where(state)}: network error (${code}) talking to ${link.host}.`,
          { retryable: !NON_RETRYABLE_NETWORK_CODES.has(code), cause: safe },
        ),
    );
  }
}

/** Reads the body of one attempt's response, within `maxResponseBytes`. */
async function receive(
  link: TelesignLink,
  state: ExchangeState,
  attempt: AttemptState,
  response: Dispatcher.ResponseData,
): Promise<RawReply> {
  const status = response.statusCode;
  const { maxResponseBytes } = link;
  const raw: RawReply = {
    status,
    headers: response.headers,
    body: undefined,
    readError: undefined,
  };
  const declared = contentLengthOf(response.headers);
  try {
    if (declared !== undefined && declared > maxResponseBytes) {
      discard(response.body);
      throw TOO_LARGE;
    }
    raw.body = await Promise.race([readBody(response.body, maxResponseBytes), attempt.interrupted]);
  } catch (err) {
    if (err === INTERRUPTED) discard(response.body);
    if (err === TOO_LARGE) {
      raw.readError = new TelesignBadResponseError(
        'TELESIGN_RESPONSE_TOO_LARGE',
        `${where(state)}: the response from ${link.host} exceeds maxResponseBytes (${maxResponseBytes} bytes); reading stopped.`,
        { httpStatus: status },
      );
    } else {
      raw.readError = failed(
        link,
        err,
        state,
        attempt,
        (code, safe) =>
          new TelesignBadResponseError(
            'TELESIGN_TRUNCATED_RESPONSE',
            `${where(state)}: the connection to ${link.host} broke while the response (HTTP ${status}) was being read (${code}).`,
            { httpStatus: status, retryable: true, cause: safe },
          ),
      );
    }
  }
  return raw;
}

/**
 * One exchange: the response status, headers and body. Throws a `TelesignError` when no
 * response came, or `STOPPED` when the call was stopped meanwhile. A body that could not
 * be read is reported in `readError` (the status still decides what it means).
 */
export async function exchange(
  link: TelesignLink,
  state: ExchangeState,
  attempt: AttemptState,
): Promise<RawReply> {
  const response = await send(link, state, attempt);
  return receive(link, state, attempt, response);
}
