/**
 * Errors thrown by phone-guard. Every error carries a stable `code` and can be recognised
 * without `instanceof` through {@link isPhoneGuardError}, because an application may load
 * both the ESM and the CJS copy of this package (each with its own classes).
 */

const BRAND = Symbol.for('phone-guard.error');

/** Options accepted by every phone-guard error constructor. */
export interface PhoneGuardErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
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

  constructor(code: string, message: string, options: PhoneGuardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PhoneGuardError';
    this.code = code;
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
    super(code, message, options);
    this.name = 'TelesignError';
    this.telesignCode = options.telesignCode;
    this.httpStatus = options.httpStatus;
    this.retryable = options.retryable ?? false;
    this.referenceId = options.referenceId;
  }
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
