/**
 * Errors thrown by phone-guard. Every error carries a stable `code` and can be recognised
 * without `instanceof` through {@link isPhoneGuardError}, because an application may load
 * both the ESM and the CJS copy of this package (each with its own classes).
 */

const BRAND = Symbol.for('phone-guard.error');

/**
 * Whose fault a failed look-up is, which decides what the guard does with it:
 * - `upstream`: the provider is unhealthy (transport error, timeout, 5xx, rate limiting,
 *   an unusable body). Only these count against the circuit breaker.
 * - `config`: the deployment is wrong (credentials, a product not enabled, payment, hard
 *   cap, a wrong base URL). Logged as an error naming the cause; never opens the breaker.
 * - `request`: an answer about this one request or number (an invalid or unknown number,
 *   a rejected request). Never opens the breaker.
 * - `caller`: the caller gave up (aborted) or closed the client.
 * - `internal`: a phone-guard bug or an unexpected value.
 */
export type ErrorFault = 'upstream' | 'config' | 'request' | 'caller' | 'internal';

/** Options accepted by every phone-guard error constructor. */
export interface PhoneGuardErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Whose fault the failure is; each class has a sensible default. */
  fault?: ErrorFault | undefined;
}

/**
 * The base class of every error phone-guard throws or reports.
 *
 * @example
 * ```ts
 * try { await client.getLiveStatus('+14155552671'); }
 * catch (err) { if (isPhoneGuardError(err)) console.log(err.code); }
 * ```
 */
export class PhoneGuardError extends Error {
  /** A stable, machine-readable code such as `TELESIGN_TIMEOUT`. */
  readonly code: string;
  /** Whose fault the failure is (see {@link ErrorFault}). */
  readonly fault: ErrorFault;

  constructor(code: string, message: string, options: PhoneGuardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PhoneGuardError';
    this.code = code;
    this.fault = options.fault ?? 'internal';
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Thrown at construction when an option is unknown or impossible (express-rate-limit
 * style: validated once, up front). It is a `TypeError`, and also recognised by
 * {@link isPhoneGuardError}.
 */
export class PhoneGuardOptionError extends TypeError {
  /** Always `PG_INVALID_OPTION`. */
  readonly code = 'PG_INVALID_OPTION' as const;
  /** The dotted path of the offending option, e.g. `cache.max`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`phone-guard: option "${option}" ${message}`);
    this.name = 'PhoneGuardOptionError';
    this.option = option;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Details of a {@link TelesignError}. */
export interface TelesignErrorOptions extends PhoneGuardErrorOptions {
  /** Telesign's own error code from the response body (e.g. `-30006`), when there is one. */
  telesignCode?: number | undefined;
  /** The HTTP status of the response, when a response arrived. */
  httpStatus?: number | undefined;
  /** Whether trying again later may succeed. */
  retryable?: boolean | undefined;
  /** Telesign's `reference_id`, when the response carried one. */
  referenceId?: string | undefined;
}

/**
 * A failed Telesign look-up: an error response, an unusable body, a network fault or a
 * timeout. `code` says which; `retryable` says whether trying again may help.
 */
export class TelesignError extends PhoneGuardError {
  readonly telesignCode: number | undefined;
  readonly httpStatus: number | undefined;
  readonly retryable: boolean;
  readonly referenceId: string | undefined;

  constructor(code: string, message: string, options: TelesignErrorOptions = {}) {
    super(code, message, { ...options, fault: options.fault ?? telesignFault(code) });
    this.name = 'TelesignError';
    this.telesignCode = options.telesignCode;
    this.httpStatus = options.httpStatus;
    this.retryable = options.retryable ?? false;
    this.referenceId = options.referenceId;
  }
}

const CONFIG_CODES: ReadonlySet<string> = new Set([
  'TELESIGN_NOT_ALLOWED',
  'TELESIGN_CONFIG',
  'TELESIGN_AUTH_FAILED',
  'TELESIGN_PAYMENT_REQUIRED',
  'TELESIGN_HARD_CAP',
  'TELESIGN_METHOD_NOT_ALLOWED',
]);
const REQUEST_CODES: ReadonlySet<string> = new Set([
  'TELESIGN_NOT_FOUND',
  'TELESIGN_INVALID_NUMBER',
  'TELESIGN_NUMBER_BLOCKED',
  'TELESIGN_REQUEST_REJECTED',
  'TELESIGN_LEGAL_BLOCK',
  'TELESIGN_INVALID_PHONE',
  'TELESIGN_INVALID_USE_CASE',
]);
const CALLER_CODES: ReadonlySet<string> = new Set(['TELESIGN_ABORTED', 'TELESIGN_CLIENT_CLOSED']);

/** The fault of a Telesign error code; anything not listed is the upstream's health. */
function telesignFault(code: string): ErrorFault {
  if (CONFIG_CODES.has(code)) return 'config';
  if (REQUEST_CODES.has(code)) return 'request';
  if (CALLER_CODES.has(code)) return 'caller';
  return 'upstream';
}

/**
 * Whose fault `error` is. phone-guard errors say it themselves; anything else a custom
 * provider throws counts as the upstream's, except an `AbortError` (the caller's).
 */
export function faultOf(error: unknown): ErrorFault {
  if (isPhoneGuardError(error)) {
    const fault = (error as { fault?: unknown }).fault;
    if (typeof fault === 'string') return fault as ErrorFault;
    return 'internal';
  }
  if (error instanceof Error && error.name === 'AbortError') return 'caller';
  return 'upstream';
}

/**
 * True for any error created by phone-guard (either module format), including
 * {@link PhoneGuardOptionError}.
 */
export function isPhoneGuardError(
  value: unknown,
): value is PhoneGuardError | PhoneGuardOptionError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** True for a {@link TelesignError} from either module format. */
export function isTelesignError(value: unknown): value is TelesignError {
  return (
    isPhoneGuardError(value) &&
    typeof (value as { retryable?: unknown }).retryable === 'boolean' &&
    'telesignCode' in value
  );
}
