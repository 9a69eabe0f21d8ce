/**
 * The errors of the Telesign client: one stable `code` per documented row of Telesign's
 * error table, plus transport and response-format faults. Every class extends
 * `TelesignError`, so `isTelesignError()` recognises them all; `code` is the contract.
 */
import { TelesignError, type TelesignErrorOptions } from '../model/errors.js';
import { redactUpstreamText as redact } from './upstream-text.js';

export { maskPhoneLike } from './upstream-text.js';

import { errorRowFor, TELESIGN_ERROR_FAULTS, type TelesignErrorCode } from './error-table.js';

export {
  isDocumentedTelesignErrorCode,
  TELESIGN_ERROR_FAULTS,
  TELESIGN_ERROR_TABLE,
  TELESIGN_PHONEID_ERROR_TABLE,
  type TelesignErrorCode,
  type TelesignErrorTableRow,
} from './error-table.js';

/** Options of {@link TelesignResponseError}. */
export interface TelesignResponseErrorOptions extends TelesignErrorOptions {
  /** The delay the response's `Retry-After` header asked for, in milliseconds. */
  retryAfterMs?: number | undefined;
  /**
   * Telesign's own description of the error, as received except that anything that could
   * be a phone number (7 or more digits) is masked.
   */
  telesignDescription?: string | undefined;
}

/** Telesign answered with an error (an entry of its error table, or an unexpected status). */
export class TelesignResponseError extends TelesignError {
  /** The delay asked for by a `Retry-After` header, in milliseconds, when one came. */
  readonly retryAfterMs: number | undefined;
  /**
   * Telesign's description of the error (from the `errors` array), when there was one,
   * with anything that could be a phone number masked.
   */
  readonly telesignDescription: string | undefined;

  constructor(
    code: TelesignErrorCode,
    message: string,
    options: TelesignResponseErrorOptions = {},
  ) {
    super(code, message, { ...options, fault: options.fault ?? TELESIGN_ERROR_FAULTS[code] });
    this.name = 'TelesignResponseError';
    this.retryAfterMs = options.retryAfterMs;
    this.telesignDescription = options.telesignDescription;
  }
}

/**
 * The response could not be used: not JSON, JSON without Telesign's envelope, cut short,
 * or larger than `maxResponseBytes`.
 */
export class TelesignBadResponseError extends TelesignError {
  constructor(code: TelesignErrorCode, message: string, options: TelesignErrorOptions = {}) {
    super(code, message, { ...options, fault: options.fault ?? TELESIGN_ERROR_FAULTS[code] });
    this.name = 'TelesignBadResponseError';
  }
}

/** The request never got an answer: connection refused or reset, DNS or TLS failure. */
export class TelesignNetworkError extends TelesignError {
  constructor(message: string, options: TelesignErrorOptions = {}) {
    super('TELESIGN_NETWORK_ERROR', message, options);
    this.name = 'TelesignNetworkError';
  }
}

/** An attempt (`TELESIGN_ATTEMPT_TIMEOUT`) or the whole look-up (`TELESIGN_TIMEOUT`) ran out of time. */
export class TelesignTimeoutError extends TelesignError {
  constructor(
    code: 'TELESIGN_TIMEOUT' | 'TELESIGN_ATTEMPT_TIMEOUT',
    message: string,
    options: TelesignErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'TelesignTimeoutError';
  }
}

/** The caller's `AbortSignal` fired; `cause` is the signal's reason. */
export class TelesignAbortError extends TelesignError {
  constructor(message: string, options: TelesignErrorOptions = {}) {
    super('TELESIGN_ABORTED', message, { ...options, retryable: false });
    this.name = 'TelesignAbortError';
  }
}

/** What {@link telesignErrorFromResponse} needs to know about one error response. */
export interface TelesignErrorResponse {
  /** The HTTP status. */
  httpStatus: number;
  /** The first error code in the body's `errors` array, if any. */
  telesignCode?: number | undefined;
  /** Its description, if any. */
  telesignDescription?: string | undefined;
  /** The body's `reference_id`, if any. */
  referenceId?: string | undefined;
  /** The `Retry-After` delay, if one came, in milliseconds. */
  retryAfterMs?: number | undefined;
  /** The masked number the look-up was for (never a full number). */
  maskedPhone: string;
  /** The underlying error (e.g. why the body could not be read), if any. */
  cause?: unknown;
  /** How the message names the call. @default 'Telesign look-up' */
  label?: string | undefined;
}

const MAX_DESCRIPTION = 200;

/**
 * A copy of a transport error (from undici or an injected dispatcher) that is safe to keep
 * as a `cause`: its message and stack with `Authorization` values redacted and anything
 * that could be a phone number masked, keeping `name` and `code` (and a sanitised `cause`,
 * three levels deep). Third-party messages may quote the request path (the full number)
 * or its headers (undici's MockAgent does). Anything that is not an `Error` is dropped.
 */
export function sanitizeTransportError(err: unknown, depth = 0): Error | undefined {
  if (!(err instanceof Error)) return undefined;
  const inner = depth < 3 ? sanitizeTransportError(err.cause, depth + 1) : undefined;
  const copy: Error & { code?: string } = new Error(
    redact(err.message),
    inner === undefined ? undefined : { cause: inner },
  );
  copy.name = err.name;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') copy.code = code;
  if (typeof err.stack === 'string') copy.stack = redact(err.stack);
  else delete copy.stack;
  return copy;
}

function quoteDescription(description: string | undefined): string {
  if (description === undefined || description.length === 0) return '';
  // Upstream text: printable only, bounded.
  let clean = '';
  for (const ch of description) {
    const c = ch.codePointAt(0) ?? 0;
    clean += c < 0x20 || c === 0x7f ? ' ' : ch;
  }
  clean = redact(clean);
  clean = clean.length > MAX_DESCRIPTION ? `${clean.slice(0, MAX_DESCRIPTION)}…` : clean;
  return ` Telesign said: "${clean}".`;
}

/**
 * Maps an error response to a {@link TelesignResponseError}: by Telesign's error code
 * when the body has a documented one (Telesign advises coding against it), otherwise
 * by the HTTP status. The message names the problem for an operator and never contains
 * the API key or the Authorization header.
 *
 * @example
 * ```ts
 * telesignErrorFromResponse({ httpStatus: 401, telesignCode: -30006, maskedPhone: '+1415*****71' }).code
 * // 'TELESIGN_AUTH_FAILED'
 * ```
 */
export function telesignErrorFromResponse(response: TelesignErrorResponse): TelesignResponseError {
  const row = errorRowFor(response.httpStatus, response.telesignCode);
  const codePart = response.telesignCode === undefined ? '' : ` error ${response.telesignCode},`;
  const reference =
    response.referenceId === undefined ? '' : ` (reference ${response.referenceId})`;
  // Telesign names every answer about a request or number with its own error code. A
  // 4xx without one did not come from Telesign's API (a wrong baseUrl path, a proxy): the
  // deployment's fault, so that verify() rejects it and the guard logs it as an error.
  const unnamed =
    response.telesignCode === undefined && TELESIGN_ERROR_FAULTS[row.code] === 'request';
  const fault = unnamed ? 'config' : TELESIGN_ERROR_FAULTS[row.code];
  const hint = unnamed
    ? `${row.hint}; no Telesign error code came with it, so the answer is likely not Telesign's: check the baseUrl and any proxy in between`
    : row.hint;
  const message =
    `${response.label ?? 'Telesign look-up'} for ${response.maskedPhone} failed (HTTP ${response.httpStatus},${codePart} ${row.code}): ` +
    `${hint}.${quoteDescription(response.telesignDescription)}${reference}`;
  return new TelesignResponseError(row.code, message, {
    telesignCode: response.telesignCode,
    httpStatus: response.httpStatus,
    retryable: row.retryable,
    fault,
    referenceId: response.referenceId,
    retryAfterMs: response.retryAfterMs,
    telesignDescription:
      response.telesignDescription === undefined ? undefined : redact(response.telesignDescription),
    cause: response.cause,
  });
}
