/**
 * The errors of the Telesign client: one stable `code` per documented row of Telesign's
 * error table, plus transport and response-format faults. Every class extends
 * `TelesignError`, so `isTelesignError()` recognises them all; `code` is the contract.
 */
import { TelesignError, type TelesignErrorOptions } from '../model/errors.js';
import { maskPhone } from '../model/mask.js';

/**
 * Every `code` a Telesign client error can carry.
 *
 * | code | when |
 * |---|---|
 * | `TELESIGN_NOT_ALLOWED` | 400 -10001: caller IP not authorised or product unsupported |
 * | `TELESIGN_RATE_LIMITED` | -40007 (HTTP 400 or 429), or a 429 without a code |
 * | `TELESIGN_LEGAL_BLOCK` | 400 10041: blocked for legal compliance |
 * | `TELESIGN_CONFIG` | 401 -10009 -20002 -20003 -30002 -30003 -40002: account / configuration |
 * | `TELESIGN_AUTH_FAILED` | 401 -30000 … -30015, or a 401 without a known code |
 * | `TELESIGN_PAYMENT_REQUIRED` | 402 |
 * | `TELESIGN_NOT_FOUND` | 404 -40001 -40004 |
 * | `TELESIGN_METHOD_NOT_ALLOWED` | 405 -40005 |
 * | `TELESIGN_HARD_CAP` | 429 -40008: transaction hard cap reached |
 * | `TELESIGN_SERVER_ERROR` | 500 (not attempted), 502, 504 and other 5xx |
 * | `TELESIGN_UNAVAILABLE` | 503 / -90001 |
 * | `TELESIGN_REQUEST_REJECTED` | any other 4xx (a 2xx whose `errors` hold only undocumented codes still resolves) |
 * | `TELESIGN_UNEXPECTED_STATUS` | 1xx/3xx or other non-2xx statuses outside the table |
 * | `TELESIGN_MALFORMED_RESPONSE` | the body is not JSON |
 * | `TELESIGN_NO_ENVELOPE` | JSON without Telesign's envelope (`status` / `errors`) |
 * | `TELESIGN_TRUNCATED_RESPONSE` | the connection broke while the body was read |
 * | `TELESIGN_RESPONSE_TOO_LARGE` | the body exceeds `maxResponseBytes` |
 * | `TELESIGN_NETWORK_ERROR` | connection refused / reset / DNS / TLS failure |
 * | `TELESIGN_ATTEMPT_TIMEOUT` | one attempt exceeded `attemptTimeoutMs` |
 * | `TELESIGN_TIMEOUT` | the whole look-up exceeded `timeoutMs` |
 * | `TELESIGN_ABORTED` | the caller's `AbortSignal` fired (its reason is the `cause`) |
 * | `TELESIGN_INVALID_PHONE` | the number is not E.164 / 6–15 digits (no request made) |
 * | `TELESIGN_INVALID_USE_CASE` | the use case is not a Telesign `ucid` (no request made) |
 * | `TELESIGN_CLIENT_CLOSED` | `close()` was called before the look-up started |
 */
export type TelesignErrorCode =
  | 'TELESIGN_NOT_ALLOWED'
  | 'TELESIGN_RATE_LIMITED'
  | 'TELESIGN_LEGAL_BLOCK'
  | 'TELESIGN_CONFIG'
  | 'TELESIGN_AUTH_FAILED'
  | 'TELESIGN_PAYMENT_REQUIRED'
  | 'TELESIGN_NOT_FOUND'
  | 'TELESIGN_METHOD_NOT_ALLOWED'
  | 'TELESIGN_HARD_CAP'
  | 'TELESIGN_SERVER_ERROR'
  | 'TELESIGN_UNAVAILABLE'
  | 'TELESIGN_REQUEST_REJECTED'
  | 'TELESIGN_UNEXPECTED_STATUS'
  | 'TELESIGN_MALFORMED_RESPONSE'
  | 'TELESIGN_NO_ENVELOPE'
  | 'TELESIGN_TRUNCATED_RESPONSE'
  | 'TELESIGN_RESPONSE_TOO_LARGE'
  | 'TELESIGN_NETWORK_ERROR'
  | 'TELESIGN_ATTEMPT_TIMEOUT'
  | 'TELESIGN_TIMEOUT'
  | 'TELESIGN_ABORTED'
  | 'TELESIGN_INVALID_PHONE'
  | 'TELESIGN_INVALID_USE_CASE'
  | 'TELESIGN_CLIENT_CLOSED';

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
    super(code, message, options);
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
    super(code, message, options);
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

interface TableRow {
  code: TelesignErrorCode;
  retryable: boolean;
  hint: string;
}

const CONFIG = 'TELESIGN_CONFIG' as const;
const AUTH = 'TELESIGN_AUTH_FAILED' as const;

/** Telesign's documented error codes → our code, retryability and an operator hint. */
const BY_TELESIGN_CODE: ReadonlyMap<number, TableRow> = new Map<number, TableRow>([
  [
    -10001,
    {
      code: 'TELESIGN_NOT_ALLOWED',
      retryable: false,
      hint: "this server's IP is not authorised for the account, or the product is not supported: check Telesign's IP allow-list and that Phone ID Live is enabled",
    },
  ],
  [
    -40007,
    {
      code: 'TELESIGN_RATE_LIMITED',
      retryable: true,
      hint: 'rate limit exceeded: slow down (the client backs off and retries)',
    },
  ],
  [
    10041,
    {
      code: 'TELESIGN_LEGAL_BLOCK',
      retryable: false,
      hint: 'the request is blocked for legal compliance',
    },
  ],
  [
    -10009,
    {
      code: CONFIG,
      retryable: false,
      hint: "invalid source IP: add this server's public IP to the account's allow-list",
    },
  ],
  [
    -20002,
    {
      code: CONFIG,
      retryable: false,
      hint: 'Phone ID Live is not enabled for this customer id: ask Telesign to enable it',
    },
  ],
  [
    -20003,
    {
      code: CONFIG,
      retryable: false,
      hint: 'the feature is not enabled for this customer id: ask Telesign to enable it',
    },
  ],
  [
    -30002,
    {
      code: CONFIG,
      retryable: false,
      hint: 'the account is not activated yet: contact Telesign',
    },
  ],
  [
    -30003,
    {
      code: CONFIG,
      retryable: false,
      hint: 'the new-account limit is reached: contact Telesign',
    },
  ],
  [
    -40002,
    {
      code: CONFIG,
      retryable: false,
      hint: 'this customer id is not authorised for this request: check the product and base URL',
    },
  ],
  [
    -30000,
    {
      code: AUTH,
      retryable: false,
      hint: 'invalid customer id: check the customerId option (TELESIGN_CUSTOMER_ID)',
    },
  ],
  [
    -30001,
    {
      code: AUTH,
      retryable: false,
      hint: 'the account is suspended: contact Telesign',
    },
  ],
  [
    -30004,
    {
      code: AUTH,
      retryable: false,
      hint: 'the Authorization header did not arrive: check for a proxy that strips it',
    },
  ],
  [
    -30005,
    {
      code: AUTH,
      retryable: false,
      hint: 'the Authorization header is malformed: check the customerId and authMethod options',
    },
  ],
  [
    -30006,
    {
      code: AUTH,
      retryable: false,
      hint: 'signature rejected: check the API key (apiKey / TELESIGN_API_KEY) belongs to this customer id',
    },
  ],
  [
    -30007,
    {
      code: AUTH,
      retryable: false,
      hint: 'the Date header did not arrive: check for a proxy that strips it',
    },
  ],
  [
    -30008,
    {
      code: AUTH,
      retryable: false,
      hint: 'the x-ts-auth-method header was rejected: check the authMethod option',
    },
  ],
  [
    -30009,
    {
      code: AUTH,
      retryable: false,
      hint: 'the Date header is not RFC 822: check for a proxy that rewrites it',
    },
  ],
  [
    -30010,
    {
      code: AUTH,
      retryable: false,
      hint: "the request date is outside Telesign's tolerated clock skew: check this machine's clock (NTP)",
    },
  ],
  [
    -30011,
    {
      code: AUTH,
      retryable: false,
      hint: 'the x-ts-nonce header has an invalid length',
    },
  ],
  [
    -30012,
    {
      code: AUTH,
      retryable: false,
      hint: 'the x-ts-nonce was already used: check for a proxy that replays requests',
    },
  ],
  [
    -30015,
    {
      code: AUTH,
      retryable: false,
      hint: 'invalid API key: check the apiKey option (TELESIGN_API_KEY)',
    },
  ],
  [
    -40001,
    {
      code: 'TELESIGN_NOT_FOUND',
      retryable: false,
      hint: 'status unavailable: check the baseUrl (Phone ID Live is on https://rest-ww.telesign.com)',
    },
  ],
  [
    -40004,
    {
      code: 'TELESIGN_NOT_FOUND',
      retryable: false,
      hint: 'resource not found: check the baseUrl (Phone ID Live is on https://rest-ww.telesign.com)',
    },
  ],
  [
    -40005,
    {
      code: 'TELESIGN_METHOD_NOT_ALLOWED',
      retryable: false,
      hint: 'method not allowed: check the baseUrl and any proxy in between',
    },
  ],
  [
    -40008,
    {
      code: 'TELESIGN_HARD_CAP',
      retryable: false,
      hint: "the account's transaction hard cap is reached: requests are refused until it resets",
    },
  ],
  [
    -90001,
    {
      code: 'TELESIGN_UNAVAILABLE',
      retryable: true,
      hint: 'Telesign is temporarily unavailable',
    },
  ],
]);

function rowForHttpStatus(status: number): TableRow {
  if (status === 400) {
    return {
      code: 'TELESIGN_REQUEST_REJECTED',
      retryable: false,
      hint: 'the request was rejected as invalid',
    };
  }
  if (status === 401) {
    return {
      code: AUTH,
      retryable: false,
      hint: 'authentication failed: check the customerId, apiKey and authMethod options',
    };
  }
  if (status === 402) {
    return {
      code: 'TELESIGN_PAYMENT_REQUIRED',
      retryable: false,
      hint: "payment required: check the account's balance and billing with Telesign",
    };
  }
  if (status === 404) {
    return {
      code: 'TELESIGN_NOT_FOUND',
      retryable: false,
      hint: 'not found: check the baseUrl (Phone ID Live is on https://rest-ww.telesign.com)',
    };
  }
  if (status === 405) {
    return {
      code: 'TELESIGN_METHOD_NOT_ALLOWED',
      retryable: false,
      hint: 'method not allowed: check the baseUrl and any proxy in between',
    };
  }
  if (status === 429) {
    return {
      code: 'TELESIGN_RATE_LIMITED',
      retryable: true,
      hint: 'too many requests: slow down (the client backs off and retries)',
    };
  }
  if (status === 500) {
    return {
      code: 'TELESIGN_SERVER_ERROR',
      retryable: true,
      hint: 'the transaction was not attempted (server error)',
    };
  }
  if (status === 503) {
    return {
      code: 'TELESIGN_UNAVAILABLE',
      retryable: true,
      hint: 'Telesign is temporarily unavailable',
    };
  }
  if (status === 502 || status === 504) {
    return {
      code: 'TELESIGN_SERVER_ERROR',
      retryable: true,
      hint: 'a gateway between here and Telesign failed',
    };
  }
  if (status >= 500) {
    return { code: 'TELESIGN_SERVER_ERROR', retryable: false, hint: 'server error' };
  }
  if (status >= 400) {
    return {
      code: 'TELESIGN_REQUEST_REJECTED',
      retryable: false,
      hint: 'the request was rejected',
    };
  }
  return {
    code: 'TELESIGN_UNEXPECTED_STATUS',
    retryable: false,
    hint: 'unexpected HTTP status (redirects are not followed): check the baseUrl',
  };
}

/** Whether `telesignCode` is one of the documented error codes of Telesign's table. */
export function isDocumentedTelesignErrorCode(telesignCode: number): boolean {
  return BY_TELESIGN_CODE.has(telesignCode);
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
}

const MAX_DESCRIPTION = 200;

/** 7 or more digits, optionally after "+" and separated by single spaces, dots, dashes or parentheses. */
const PHONE_LIKE = /\+?\d(?:[\s().-]?\d){6,}/g;

/**
 * Upstream text with anything that could be a phone number masked (`+1415*****71`):
 * Telesign's descriptions may echo the number looked up, and they end up in messages,
 * logs and `util.inspect` output.
 */
export function maskPhoneLike(text: string): string {
  return text.replace(PHONE_LIKE, (match) => maskPhone(match));
}

/** An `Authorization` value (`Basic …`, `TSA id:signature`) inside some text. */
const AUTHORIZATION_VALUE = /\b(Basic|TSA)(\s+|\\?"?\s*:\s*\\?"?)[A-Za-z0-9+/=._:~-]+/gi;

function redact(text: string): string {
  return maskPhoneLike(text.replace(AUTHORIZATION_VALUE, '$1 [redacted]'));
}

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
  copy.stack = typeof err.stack === 'string' ? redact(err.stack) : undefined;
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
  clean = maskPhoneLike(clean);
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
  const byCode =
    response.telesignCode === undefined ? undefined : BY_TELESIGN_CODE.get(response.telesignCode);
  const row = byCode ?? rowForHttpStatus(response.httpStatus);
  const codePart = response.telesignCode === undefined ? '' : ` error ${response.telesignCode},`;
  const reference =
    response.referenceId === undefined ? '' : ` (reference ${response.referenceId})`;
  const message =
    `Telesign look-up for ${response.maskedPhone} failed (HTTP ${response.httpStatus},${codePart} ${row.code}): ` +
    `${row.hint}.${quoteDescription(response.telesignDescription)}${reference}`;
  return new TelesignResponseError(row.code, message, {
    telesignCode: response.telesignCode,
    httpStatus: response.httpStatus,
    retryable: row.retryable,
    referenceId: response.referenceId,
    retryAfterMs: response.retryAfterMs,
    telesignDescription:
      response.telesignDescription === undefined
        ? undefined
        : maskPhoneLike(response.telesignDescription),
    cause: response.cause,
  });
}

/** One row of {@link TELESIGN_ERROR_TABLE}. */
export interface TelesignErrorTableRow {
  /** Telesign's code, or `undefined` for a row keyed by HTTP status only. */
  telesignCode: number | undefined;
  /** The HTTP status Telesign documents for it. */
  httpStatus: number;
  /** Our stable `code`. */
  code: TelesignErrorCode;
  /** Whether the client retries it. */
  retryable: boolean;
}

/**
 * The documented error table as this client maps it (also rendered in the README).
 * Useful for tests and dashboards.
 */
export const TELESIGN_ERROR_TABLE: readonly TelesignErrorTableRow[] = Object.freeze(
  [
    [-10001, 400],
    [-40007, 400],
    [-40007, 429],
    [10041, 400],
    [-10009, 401],
    [-20002, 401],
    [-20003, 401],
    [-30002, 401],
    [-30003, 401],
    [-40002, 401],
    [-30000, 401],
    [-30001, 401],
    [-30004, 401],
    [-30005, 401],
    [-30006, 401],
    [-30007, 401],
    [-30008, 401],
    [-30009, 401],
    [-30010, 401],
    [-30011, 401],
    [-30012, 401],
    [-30015, 401],
    [undefined, 402],
    [-40001, 404],
    [-40004, 404],
    [-40005, 405],
    [-40008, 429],
    [undefined, 500],
    [-90001, 503],
  ].map(([telesignCode, httpStatus]) => {
    const row =
      (telesignCode === undefined ? undefined : BY_TELESIGN_CODE.get(telesignCode)) ??
      rowForHttpStatus(httpStatus as number);
    return Object.freeze({
      telesignCode,
      httpStatus: httpStatus as number,
      code: row.code,
      retryable: row.retryable,
    });
  }),
);
