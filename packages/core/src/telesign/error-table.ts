/**
 * Telesign's documented error codes (Phone ID Live's table and Phone ID's), each mapped to
 * our stable `code`, whether it is retried, whose fault it is and an operator hint; and
 * the fallback by HTTP status when a body carries no known code. Data, mostly.
 */
import type { ErrorFault } from '../model/errors.js';

/**
 * Every `code` a Telesign client error can carry.
 *
 * | code | when |
 * |---|---|
 * | `TELESIGN_NOT_ALLOWED` | 400 -10001: caller IP not authorised or product unsupported |
 * | `TELESIGN_RATE_LIMITED` | -40007 (HTTP 400 or 429), 429 10019, or a 429 without a code |
 * | `TELESIGN_LEGAL_BLOCK` | 400 10041: blocked for legal compliance |
 * | `TELESIGN_INVALID_NUMBER` | 400 11000 / 11001 / 12000: Telesign refused the number (Phone ID) |
 * | `TELESIGN_NUMBER_BLOCKED` | 400 10032: the number is on a block list (Phone ID) |
 * | `TELESIGN_CONFIG` | 401 -10009 -20002 -20003 -30002 -30003 -40002: account / configuration |
 * | `TELESIGN_AUTH_FAILED` | 401 -30000 … -30015, 10008 … 10015, or a 401 without a known code |
 * | `TELESIGN_PAYMENT_REQUIRED` | 402, 10030 insufficient funds |
 * | `TELESIGN_NOT_FOUND` | 404 -40001 -40004 10017 |
 * | `TELESIGN_METHOD_NOT_ALLOWED` | 405 -40005 |
 * | `TELESIGN_HARD_CAP` | 429 -40008 / 10020: transaction hard cap reached |
 * | `TELESIGN_SERVER_ERROR` | 500 (not attempted), -10000, 502, 504 and other 5xx |
 * | `TELESIGN_UNAVAILABLE` | 503 / -90001 |
 * | `TELESIGN_REQUEST_REJECTED` | any other 4xx (a 2xx whose `errors` hold only undocumented codes still resolves) |
 * | `TELESIGN_UNEXPECTED_STATUS` | a 1xx or 3xx status (redirects are not followed) |
 * | `TELESIGN_MALFORMED_RESPONSE` | the body is not JSON |
 * | `TELESIGN_NO_ENVELOPE` | JSON without Telesign's envelope (`status` / `errors`) |
 * | `TELESIGN_TRUNCATED_RESPONSE` | the connection broke while the body was read |
 * | `TELESIGN_RESPONSE_TOO_LARGE` | the body exceeds `maxResponseBytes` |
 * | `TELESIGN_NETWORK_ERROR` | connection refused / reset / DNS / TLS failure |
 * | `TELESIGN_ATTEMPT_TIMEOUT` | one attempt exceeded `attemptTimeoutMs` |
 * | `TELESIGN_TIMEOUT` | the whole call exceeded `timeoutMs` |
 * | `TELESIGN_ABORTED` | the caller's `AbortSignal` fired (its reason is the `cause`) |
 * | `TELESIGN_INVALID_PHONE` | the number is not E.164 / 6–15 digits (no request made) |
 * | `TELESIGN_INVALID_USE_CASE` | the use case is not a Telesign `ucid` (no request made) |
 * | `TELESIGN_CLIENT_CLOSED` | `close()` was called before the call started |
 */
export type TelesignErrorCode =
  | 'TELESIGN_NOT_ALLOWED'
  | 'TELESIGN_RATE_LIMITED'
  | 'TELESIGN_LEGAL_BLOCK'
  | 'TELESIGN_INVALID_NUMBER'
  | 'TELESIGN_NUMBER_BLOCKED'
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

/**
 * Whose fault each code is (see `ErrorFault`): the deployment's (`config`), this request's
 * or number's (`request`), the caller's, or the upstream's health (`upstream`).
 */
export const TELESIGN_ERROR_FAULTS: Readonly<Record<TelesignErrorCode, ErrorFault>> = Object.freeze(
  {
    TELESIGN_NOT_ALLOWED: 'config',
    TELESIGN_RATE_LIMITED: 'upstream',
    TELESIGN_LEGAL_BLOCK: 'request',
    TELESIGN_INVALID_NUMBER: 'request',
    TELESIGN_NUMBER_BLOCKED: 'request',
    TELESIGN_CONFIG: 'config',
    TELESIGN_AUTH_FAILED: 'config',
    TELESIGN_PAYMENT_REQUIRED: 'config',
    TELESIGN_NOT_FOUND: 'request',
    TELESIGN_METHOD_NOT_ALLOWED: 'config',
    TELESIGN_HARD_CAP: 'config',
    TELESIGN_SERVER_ERROR: 'upstream',
    TELESIGN_UNAVAILABLE: 'upstream',
    TELESIGN_REQUEST_REJECTED: 'request',
    TELESIGN_UNEXPECTED_STATUS: 'upstream',
    TELESIGN_MALFORMED_RESPONSE: 'upstream',
    TELESIGN_NO_ENVELOPE: 'upstream',
    TELESIGN_TRUNCATED_RESPONSE: 'upstream',
    TELESIGN_RESPONSE_TOO_LARGE: 'upstream',
    TELESIGN_NETWORK_ERROR: 'upstream',
    TELESIGN_ATTEMPT_TIMEOUT: 'upstream',
    TELESIGN_TIMEOUT: 'upstream',
    TELESIGN_ABORTED: 'caller',
    TELESIGN_INVALID_PHONE: 'request',
    TELESIGN_INVALID_USE_CASE: 'request',
    TELESIGN_CLIENT_CLOSED: 'caller',
  },
);

/** How one documented code or HTTP status is handled. */
export interface ErrorRow {
  readonly code: TelesignErrorCode;
  readonly retryable: boolean;
  readonly hint: string;
}

type Entry = readonly [
  telesignCode: number,
  code: TelesignErrorCode,
  retryable: boolean,
  hint: string,
];

const CONFIG = 'TELESIGN_CONFIG';
const AUTH = 'TELESIGN_AUTH_FAILED';
const AUTH_HINT = 'authentication failed: check the customerId, apiKey and authMethod options';
const BASE_URL_HINT = 'check the baseUrl (Phone ID Live is on https://rest-ww.telesign.com)';

/** Telesign's documented error codes → our code, retryability and an operator hint. */
// biome-ignore format: a table reads best one row a line
const ENTRIES: readonly Entry[] = [
  // Phone ID Live (and the legacy number-deactivation endpoint).
  [-10001, 'TELESIGN_NOT_ALLOWED', false, "this server's IP is not authorised for the account, or the product is not supported: check Telesign's IP allow-list and that Phone ID Live is enabled"],
  [-40007, 'TELESIGN_RATE_LIMITED', true, 'rate limit exceeded: slow down (the client backs off and retries)'],
  [10041, 'TELESIGN_LEGAL_BLOCK', false, 'the request is blocked for legal compliance'],
  [-10009, CONFIG, false, "invalid source IP: add this server's public IP to the account's allow-list"],
  [-20002, CONFIG, false, 'the product (Phone ID Live, or Phone ID for add-ons) is not enabled for this customer id: ask Telesign to enable it'],
  [-20003, CONFIG, false, 'the feature is not enabled for this customer id: ask Telesign to enable it'],
  [-30002, CONFIG, false, 'the account is not activated yet: contact Telesign'],
  [-30003, CONFIG, false, 'the new-account limit is reached: contact Telesign'],
  [-40002, CONFIG, false, 'this customer id is not authorised for this request: check the product and base URL'],
  [-30000, AUTH, false, 'invalid customer id: check the customerId option (TELESIGN_CUSTOMER_ID)'],
  [-30001, AUTH, false, 'the account is suspended: contact Telesign'],
  [-30004, AUTH, false, 'the Authorization header did not arrive: check for a proxy that strips it'],
  [-30005, AUTH, false, 'the Authorization header is malformed: check the customerId and authMethod options'],
  [-30006, AUTH, false, 'signature rejected: check the API key (apiKey / TELESIGN_API_KEY) belongs to this customer id'],
  [-30007, AUTH, false, 'the Date header did not arrive: check for a proxy that strips it'],
  [-30008, AUTH, false, 'the x-ts-auth-method header was rejected: check the authMethod option'],
  [-30009, AUTH, false, 'the Date header is not RFC 822: check for a proxy that rewrites it'],
  [-30010, AUTH, false, "the request date is outside Telesign's tolerated clock skew: check this machine's clock (NTP)"],
  [-30011, AUTH, false, 'the x-ts-nonce header has an invalid length'],
  [-30012, AUTH, false, 'the x-ts-nonce was already used: check for a proxy that replays requests'],
  [-30015, AUTH, false, 'invalid API key: check the apiKey option (TELESIGN_API_KEY)'],
  [-40001, 'TELESIGN_NOT_FOUND', false, `status unavailable: ${BASE_URL_HINT}`],
  [-40004, 'TELESIGN_NOT_FOUND', false, `resource not found: ${BASE_URL_HINT}`],
  [-40005, 'TELESIGN_METHOD_NOT_ALLOWED', false, 'method not allowed: check the baseUrl and any proxy in between'],
  [-40008, 'TELESIGN_HARD_CAP', false, "the account's transaction hard cap is reached: requests are refused until it resets"],
  [-90001, 'TELESIGN_UNAVAILABLE', true, 'Telesign is temporarily unavailable'],
  // Phone ID (the add-on request, POST /v1/phoneid/{number}).
  [11000, 'TELESIGN_INVALID_NUMBER', false, 'Telesign considers the phone number invalid'],
  [11001, 'TELESIGN_INVALID_NUMBER', false, 'Telesign considers the country code invalid'],
  [12000, 'TELESIGN_INVALID_NUMBER', false, 'Telesign received no phone number (a phone-guard bug: please report it)'],
  [10032, 'TELESIGN_NUMBER_BLOCKED', false, 'the number is on a block list at Telesign'],
  [10008, AUTH, false, 'signature rejected: check the API key (apiKey / TELESIGN_API_KEY) belongs to this customer id'],
  ...[10009, 10010, 10011, 10012, 10013, 10014].map((n): Entry => [n, AUTH, false, AUTH_HINT]),
  [10015, AUTH, false, 'invalid customer id: check the customerId option (TELESIGN_CUSTOMER_ID)'],
  [10030, 'TELESIGN_PAYMENT_REQUIRED', false, "insufficient funds: check the account's balance and billing with Telesign"],
  [10017, 'TELESIGN_NOT_FOUND', false, `not found: ${BASE_URL_HINT}`],
  [10019, 'TELESIGN_RATE_LIMITED', true, 'rate limit exceeded: slow down (the client backs off and retries)'],
  [10020, 'TELESIGN_HARD_CAP', false, "the account's transaction hard cap is reached: requests are refused until it resets"],
  [-10000, 'TELESIGN_SERVER_ERROR', true, 'Telesign had an internal error'],
];

const BY_TELESIGN_CODE: ReadonlyMap<number, ErrorRow> = new Map(
  ENTRIES.map(([telesignCode, code, retryable, hint]) => [telesignCode, { code, retryable, hint }]),
);

/** Statuses with a row of their own; other 4xx and 5xx fall back below. */
// biome-ignore format: a table reads best one row a line
const BY_HTTP_STATUS: ReadonlyMap<number, ErrorRow> = new Map<number, ErrorRow>([
  [400, { code: 'TELESIGN_REQUEST_REJECTED', retryable: false, hint: 'the request was rejected as invalid' }],
  [401, { code: AUTH, retryable: false, hint: AUTH_HINT }],
  [402, { code: 'TELESIGN_PAYMENT_REQUIRED', retryable: false, hint: "payment required: check the account's balance and billing with Telesign" }],
  [404, { code: 'TELESIGN_NOT_FOUND', retryable: false, hint: `not found: ${BASE_URL_HINT}` }],
  [405, { code: 'TELESIGN_METHOD_NOT_ALLOWED', retryable: false, hint: 'method not allowed: check the baseUrl and any proxy in between' }],
  [429, { code: 'TELESIGN_RATE_LIMITED', retryable: true, hint: 'too many requests: slow down (the client backs off and retries)' }],
  [500, { code: 'TELESIGN_SERVER_ERROR', retryable: true, hint: 'the transaction was not attempted (server error)' }],
  [502, { code: 'TELESIGN_SERVER_ERROR', retryable: true, hint: 'a gateway between here and Telesign failed' }],
  [503, { code: 'TELESIGN_UNAVAILABLE', retryable: true, hint: 'Telesign is temporarily unavailable' }],
  [504, { code: 'TELESIGN_SERVER_ERROR', retryable: true, hint: 'a gateway between here and Telesign failed' }],
]);

const OTHER_5XX: ErrorRow = {
  code: 'TELESIGN_SERVER_ERROR',
  retryable: false,
  hint: 'server error',
};
const OTHER_4XX: ErrorRow = {
  code: 'TELESIGN_REQUEST_REJECTED',
  retryable: false,
  hint: 'the request was rejected',
};
const UNEXPECTED: ErrorRow = {
  code: 'TELESIGN_UNEXPECTED_STATUS',
  retryable: false,
  hint: 'unexpected HTTP status (redirects are not followed): check the baseUrl',
};

/** The row for an error response: by Telesign's code when documented, else by HTTP status. */
export function errorRowFor(httpStatus: number, telesignCode: number | undefined): ErrorRow {
  const byCode = telesignCode === undefined ? undefined : BY_TELESIGN_CODE.get(telesignCode);
  if (byCode !== undefined) return byCode;
  const byStatus = BY_HTTP_STATUS.get(httpStatus);
  if (byStatus !== undefined) return byStatus;
  if (httpStatus >= 500) return OTHER_5XX;
  if (httpStatus >= 400) return OTHER_4XX;
  return UNEXPECTED;
}

/** Whether `telesignCode` is one of the documented error codes of Telesign's tables. */
export function isDocumentedTelesignErrorCode(telesignCode: number): boolean {
  return BY_TELESIGN_CODE.has(telesignCode);
}

/** One row of {@link TELESIGN_ERROR_TABLE} and {@link TELESIGN_PHONEID_ERROR_TABLE}. */
export interface TelesignErrorTableRow {
  /** Telesign's code, or `undefined` for a row keyed by HTTP status only. */
  telesignCode: number | undefined;
  /** The HTTP status Telesign documents for it. */
  httpStatus: number;
  /** Our stable `code`. */
  code: TelesignErrorCode;
  /** Whether the client retries it. */
  retryable: boolean;
  /** Whose fault it is. */
  fault: ErrorFault;
}

function tableOf(
  rows: ReadonlyArray<readonly [number | undefined, number]>,
): readonly TelesignErrorTableRow[] {
  return Object.freeze(
    rows.map(([telesignCode, httpStatus]) => {
      const row = errorRowFor(httpStatus, telesignCode);
      return Object.freeze({
        telesignCode,
        httpStatus,
        code: row.code,
        retryable: row.retryable,
        fault: TELESIGN_ERROR_FAULTS[row.code],
      });
    }),
  );
}

/**
 * Phone ID Live's documented error table as this client maps it (also rendered in the
 * README). Useful for tests and dashboards.
 */
// biome-ignore format: a table reads best one row a line
export const TELESIGN_ERROR_TABLE: readonly TelesignErrorTableRow[] = tableOf([
  [-10001, 400], [-40007, 400], [-40007, 429], [10041, 400],
  [-10009, 401], [-20002, 401], [-20003, 401], [-30002, 401], [-30003, 401], [-40002, 401],
  [-30000, 401], [-30001, 401], [-30004, 401], [-30005, 401], [-30006, 401], [-30007, 401],
  [-30008, 401], [-30009, 401], [-30010, 401], [-30011, 401], [-30012, 401], [-30015, 401],
  [undefined, 402], [-40001, 404], [-40004, 404], [-40005, 405], [-40008, 429],
  [undefined, 500], [-90001, 503],
]);

/**
 * Phone ID's documented error table (the add-on request), as this client maps it. The
 * same retry rules as Live: rate limits and 5xx are retried within the deadline; never
 * authentication, payment or the hard cap.
 */
// biome-ignore format: a table reads best one row a line
export const TELESIGN_PHONEID_ERROR_TABLE: readonly TelesignErrorTableRow[] = tableOf([
  [11000, 400], [11001, 400], [12000, 400], [10032, 400],
  [10008, 401], [10009, 401], [10010, 401], [10011, 401], [10012, 401], [10013, 401],
  [10014, 401], [10015, 401], [10030, 402], [10017, 404], [10019, 429], [10020, 429],
  [-90001, 500], [-90001, 503], [-10000, 500], [-10000, 503],
]);
